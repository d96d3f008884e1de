/*
 * What the seeded bugs of the differential harness's positive controls
 * call: run_diff.py --mutant NAME compiles one kernel file, with one piece
 * of its text replaced (run_diff.py's MUTANTS), in a copy, with -include
 * this file. The functions are defined in diff_main.c. The production
 * sources carry no mutant code.
 */
#ifndef SELENE_VERIFY_DIFF_MUTANT_H
#define SELENE_VERIFY_DIFF_MUTANT_H

struct ipc_queue;
struct tcb;
enum tcb_state;

/* "queue": ReplyRecv queues the server behind every receiver, ignoring priority. */
void diff_mutant_queue_add(struct ipc_queue *q, struct tcb *t, void *obj, enum tcb_state state);

#endif /* SELENE_VERIFY_DIFF_MUTANT_H */
