/*
 * User interrupts and floating point (docs/uintr.md): code interrupted with
 * live values in f0-f31 and fcsr finds every one intact after uret,
 * although its handler loads other values into all of them; on its own
 * hart (a send to oneself) and from another hart (a thread that spins
 * without syscalls, whose FPU state the sender's hart may have taken over
 * under -smp 1); and code that never used the FPU finds it as a new
 * thread's, zeroed, after a handler that used it. The control UINTR_0397 boots a kernel that tells the
 * entry the FPU is not live (inject=uintr-no-fpu): 0310 and 0311 must fail.
 */
#include <sel/debug.h>
#include <sel/uintr.h>
#include "ipc_util.h"

#define FP_WORDS 33 /* f0-f31, then fcsr */
#define ROUNDS   30

int uintr_fp_send(const uint64_t in[FP_WORDS], uint64_t out[FP_WORDS], uint64_t index);
void uintr_fp_spin(const uint64_t in[FP_WORDS], uint64_t out[FP_WORDS], volatile uint64_t *hits,
                   uint64_t target, volatile uint64_t *ready);
void uintr_fp_clobber(const uint64_t vals[FP_WORDS], uint64_t back[FP_WORDS]);
void uintr_fp_read(uint64_t out[FP_WORDS]);

static volatile uint64_t hits, ready, done, clobber_bad, fresh_done, fresh_err;
static uint64_t rng_main = 0x9e3779b97f4a7c15ull, rng_handler = 0xd1b54a32d192ed03ull;
static uint64_t spin_in[ROUNDS][FP_WORDS], spin_out[ROUNDS][FP_WORDS], fresh_out[FP_WORDS];

static uint64_t next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/*
 * Random FP registers and an fcsr whose rounding mode is 0-1 for the
 * interrupted code and 2-4 for the handler, so the two fcsr always differ.
 */
static void fill(uint64_t v[FP_WORDS], uint64_t *s, uint64_t frm_base, uint64_t frm_span)
{
	uint64_t r;

	for (int i = 0; i < 32; i++)
		v[i] = next(s);
	r = next(s);
	v[32] = (frm_base + r % frm_span) << 5 | (r >> 8 & 0x1f);
}

/* Loads other values into every FP register and fcsr, and checks they took. */
static void handler(uint64_t pending, struct sel_uintr_frame *f)
{
	uint64_t vals[FP_WORDS], back[FP_WORDS];

	(void)pending;
	(void)f;
	fill(vals, &rng_handler, 2, 3);
	uintr_fp_clobber(vals, back);
	for (int i = 0; i < FP_WORDS; i++)
		if (back[i] != vals[i])
			clobber_bad = clobber_bad + 1;
	hits = hits + 1;
}

static uint64_t mismatches(const uint64_t a[FP_WORDS], const uint64_t b[FP_WORDS])
{
	uint64_t n = 0;

	for (int i = 0; i < FP_WORDS; i++)
		n += a[i] != b[i];
	return n;
}

/* A receiver with a sender of `vector` installed at `index`; *recv gets the receiver. */
static int receiver_new(uint64_t ut, uint64_t vector, uint64_t index, uint64_t *recv)
{
	uint64_t snd = slot_new();
	int err = object_new(ut, SEL_OBJ_UINTR_RECEIVER, 0, recv);

	if (err == SEL_OK)
		err = sel_uintr_create_sender(*recv, vector, ROOT, snd, FULL);
	if (err == SEL_OK)
		err = sel_uintr_install(snd, index);
	return err;
}

TEST(UINTR_0310, "a handler that loads every FP register and fcsr leaves the interrupted code's "
                 "values intact (a send to oneself)")
{
	uint64_t ut, recv, in[FP_WORDS], out[FP_WORDS], bad = 0, base = hits;

	CHECK_EQ(t, untyped_new(16, &ut), SEL_OK);
	CHECK_EQ(t, receiver_new(ut, 5, 0, &recv), SEL_OK);
	CHECK_EQ(t, sel_uintr_register_handler(recv, handler, 0), SEL_OK);
	for (uint64_t r = 0; r < ROUNDS; r++) {
		fill(in, &rng_main, 0, 2);
		CHECK_EQ(t, uintr_fp_send(in, out, 0), SEL_OK);
		CHECK_EQ(t, hits, base + r + 1); /* the handler ran inside the send */
		bad += mismatches(in, out);
	}
	CHECK_EQ(t, bad, 0);
	CHECK_EQ(t, clobber_bad, 0);
	CHECK_EQ(t, sel_uintr_unregister(), SEL_OK);
}

/* Runs the rounds of UINTR_0311 on whatever hart it was put on. */
static void fp_spinner(uint64_t arg)
{
	uint64_t recv = arg & 0xffffffffu, base = arg >> 32;

	if (sel_uintr_register_handler(recv, handler, 0) != SEL_OK)
		return;
	for (uint64_t r = 0; r < ROUNDS; r++)
		uintr_fp_spin(spin_in[r], spin_out[r], &hits, base + r + 1, &ready);
	done = 1;
}

TEST(UINTR_0311, "FP registers survive a handler run by a send from another hart (this hart "
                 "under -smp 1, its FPU taken by the sender meanwhile)")
{
	uint64_t ut, recv, tcb, mine[FP_WORDS], back[FP_WORDS], bad = 0, base = hits;
	uint64_t harts = sel_debug_info(SEL_INFO_HARTS_ONLINE);
	uint64_t me = sel_debug_info(SEL_INFO_HART_ID);

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, receiver_new(ut, 7, 1, &recv), SEL_OK);
	for (int r = 0; r < ROUNDS; r++)
		fill(spin_in[r], &rng_main, 0, 2);
	CHECK(t, recv < (1ull << 32));
	CHECK_EQ(t, ipc_thread_opts(ut, fp_spinner, base << 32 | recv, 1, &tcb), SEL_OK);
	CHECK_EQ(t, sel_tcb_set_affinity(tcb, (me + 1) % harts), SEL_OK);
	CHECK_EQ(t, sel_tcb_resume(tcb), SEL_OK);
	for (uint64_t r = 0; r < ROUNDS; r++) {
		uint64_t start = sel_rdtime();
		/* 5 s at 10 MHz for the spinner to load the round's values */
		while (ready != base + r + 1 && sel_rdtime() - start < 50000000ull)
			sel_yield();
		CHECK_EQ(t, ready, base + r + 1);
		fill(mine, &rng_main, 0, 2); /* this hart's FPU now holds our values */
		uintr_fp_clobber(mine, back);
		CHECK_EQ(t, sel_uintr_send(1), SEL_OK);
	}
	CHECK(t, wait_flag(&done, IPC_PATIENCE));
	for (int r = 0; r < ROUNDS; r++)
		bad += mismatches(spin_in[r], spin_out[r]);
	CHECK_EQ(t, hits, base + ROUNDS);
	CHECK_EQ(t, bad, 0);
	CHECK_EQ(t, clobber_bad, 0);
}

/* A thread that never touches the FPU but through its handler: sends to itself, reads the FPU. */
static void fresh_sender(uint64_t arg)
{
	int err = sel_uintr_register_handler(arg & 0xffffffffu, handler, 0);

	if (err == SEL_OK)
		err = sel_uintr_install(arg >> 32, 0);
	if (err == SEL_OK)
		err = sel_uintr_send(0);
	fresh_err = (uint64_t)err;
	uintr_fp_read(fresh_out);
	fresh_done = 1;
}

TEST(UINTR_0312, "code that never used the FPU finds it zeroed after a handler that used it")
{
	uint64_t ut, recv, tcb, snd = slot_new(), base = hits, nonzero = 0;

	CHECK_EQ(t, untyped_new(18, &ut), SEL_OK);
	CHECK_EQ(t, object_new(ut, SEL_OBJ_UINTR_RECEIVER, 0, &recv), SEL_OK);
	CHECK_EQ(t, sel_uintr_create_sender(recv, 9, ROOT, snd, FULL), SEL_OK);
	CHECK(t, recv < (1ull << 32));
	CHECK_EQ(t, ipc_thread(ut, fresh_sender, snd << 32 | recv, &tcb), SEL_OK);
	CHECK(t, wait_flag(&fresh_done, IPC_PATIENCE));
	CHECK_EQ(t, fresh_err, SEL_OK);
	CHECK_EQ(t, hits, base + 1);
	for (int i = 0; i < FP_WORDS; i++)
		nonzero += fresh_out[i] != 0;
	CHECK_EQ(t, nonzero, 0);
	CHECK_EQ(t, clobber_bad, 0);
}
