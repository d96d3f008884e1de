/*
 * The root task of the benchmark image: what its parts share.
 *
 * A figure is measured inside a benchmark window (SEL_DEBUG_BENCH on the debug cap) and
 * kept as a struct result; main.c prints them all at the end, in the order
 * of docs/performance.md's table. struct bench_env holds the root task's
 * resources: its slot allocator, the Untyped everything is carved from,
 * and the spawner that builds the partner processes.
 */
#ifndef BENCH_BENCH_H
#define BENCH_BENCH_H

#include <stdint.h>
#include <sel/spawn.h>
#include <selene/bootinfo.h>

/* The root task's priority; the partners run at it, the waiter one above. */
#define BENCH_PRIO 100

/* What SEL_BENCH_END returns: the counts of this hart in the window. */
struct window {
	uint64_t ticks, wfi, fences, satp_writes;
	uint64_t ipc_calls; /* Call and ReplyRecv syscalls on endpoints */
	uint64_t fastpath;  /* those the fastpath completed */
};

/* One figure: printed as BENCH <name> <value> <unit>, or rejected. */
struct result {
	const char *name, *unit;
	uint64_t value;
	struct window w;
	int err;          /* a setup or operation error: the figure is rejected */
	const char *note; /* why the figure is rejected, when not a window */
	int cross_hart;   /* this hart may idle in the window (wfi is not a disturbance) */
};

struct bench_env {
	const struct sel_bootinfo *bi;
	uint64_t next_slot;
	sel_cptr_t ut; /* the largest RAM Untyped of the boot info */
	struct sel_spawner sp;
	uint64_t spare_vaddr; /* next free page after the spawner's window */
};

void window_begin(void);
struct window window_end(void);
/* Instructions of the loop `for (i = 0; i < n; i++)` with an empty body. */
uint64_t empty_loop(uint64_t n);
/* Instructions between two back-to-back counter reads. */
uint64_t counter_overhead(void);

sel_cptr_t env_slot(struct bench_env *env);
int env_object(struct bench_env *env, enum sel_object_type type, uint32_t bits, sel_cptr_t *slot);
/* A new frame mapped read-write in the root task's address space; its address. */
int env_page(struct bench_env *env, sel_cptr_t *frame, uint64_t *vaddr);
/*
 * Spawns the server program at `prio`, running `role`, with ep and ntfn in
 * its slots BENCH_SRV_SLOT_EP and BENCH_SRV_SLOT_NTFN and the frame `shared`
 * at BENCH_SHARED_VADDR (each 0: none).
 */
int env_spawn(struct bench_env *env, uint64_t role, uint64_t prio, sel_cptr_t ep, sel_cptr_t ntfn,
              sel_cptr_t shared, struct sel_process *p);
/* A thread of the root task's address space running fn(arg) at `prio`. */
int env_thread(struct bench_env *env, void (*fn)(uint64_t), uint64_t arg, uint64_t prio,
               sel_cptr_t *tcb);
/* The same on hart `hart`. */
int env_thread_on(struct bench_env *env, void (*fn)(uint64_t), uint64_t arg, uint64_t prio,
                  uint64_t hart, sel_cptr_t *tcb);

/* ipc.c */
struct result bench_ipc_call_rt(struct bench_env *env, const char *name, uint64_t n, int same_as);
struct result bench_ipc_call10_rt(struct bench_env *env, uint64_t n);
/* ntfn.c */
struct result bench_ntfn_poll_empty(struct bench_env *env, uint64_t n);
struct result bench_ntfn_signal_nowake(struct bench_env *env, uint64_t n);
struct result bench_ntfn_signal_wake(struct bench_env *env, uint64_t n, struct result *switched);

/* window.c */
struct result bench_ring_msg_pair(struct bench_env *env, uint64_t n);
/* batch 8 and 32: ring_b8_rt_xas, ring_b32_rt_xas */
struct result bench_ring_rt(struct bench_env *env, uint64_t batch, uint64_t rounds);
struct result bench_lease_4k_rt(struct bench_env *env, uint64_t n);
struct result bench_window_session(struct bench_env *env, uint64_t n);

/* idl.c: generated echo stubs over the synchronous transport */
struct result bench_idl_sync_add_rt(struct bench_env *env, uint64_t n);
struct result bench_idl_echo_bytes_2k_rt(struct bench_env *env, uint64_t n);
struct result bench_idl_async_add_b8(struct bench_env *env, uint64_t rounds);

/* uintr.c */
struct result bench_uintr_send(struct bench_env *env, uint64_t n);
struct result bench_uintr_self_rt(struct bench_env *env, uint64_t n);
struct result bench_uintr_pingpong(struct bench_env *env, uint64_t n);
/* Needs two harts: the end-to-end figure and, in *sbi, SBI calls per delivery. */
struct result bench_uintr_xhart(struct bench_env *env, uint64_t rounds, const char *name,
                                const char *sbi_name, struct result *sbi);

#endif /* BENCH_BENCH_H */
