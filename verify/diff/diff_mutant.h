/*
 * Seeded bugs of the fastpath, the differential harness's positive
 * controls: run_diff.py --mutant NAME compiles ipc/fastpath.c (and nothing
 * else) with -include this file and -DDIFF_MUTANT_NAME. The renamed
 * functions are defined in diff_main.c. The production sources carry no
 * mutant code.
 */
#ifndef SELENE_VERIFY_DIFF_MUTANT_H
#define SELENE_VERIFY_DIFF_MUTANT_H

/* PRIO: can_switch_to() sees no ready thread, whatever their priority. */
#ifdef DIFF_MUTANT_PRIO
#define highest_ready diff_mutant_highest_ready
#endif

/* QUEUE: ReplyRecv queues the server behind every receiver, ignoring priority. */
#ifdef DIFF_MUTANT_QUEUE
#define ipc_queue_add diff_mutant_queue_add
#endif

#endif /* SELENE_VERIFY_DIFF_MUTANT_H */
