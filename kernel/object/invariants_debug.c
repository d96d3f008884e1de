/*
 * Debug kernels: when the capability invariant checker runs, and the check
 * behind the debug capability's CheckInvariants method (object/debug.c).
 *
 * The checker (kernel/cap/check.c) needs a live-object registry and scratch
 * space; they are static arrays here. The schedule: after every syscall
 * when the boot arguments contain "capcheck=all" (the caps test images),
 * with "capcheck=off" never (measurements of latency, which a check after
 * a syscall would dominate; the debug capability's CheckInvariants still
 * checks), with "capcheck=N" (a number) after every N-th syscall (the
 * fuzzer's long run), otherwise every CHECK_SAMPLE_EVERY-th syscall. A violation panics with
 * the invariant's name and where it failed. The address-space invariants
 * (object/vspace_check.c) run on the same schedule, after the capability
 * ones.
 */
#include "object/objects.h"
#include "cap/cap_debug.h"
#include "object/vspace_check.h"
#include "lib/panic.h"
#include "lib/string.h"
#include <selene/invocation.h>

const uint64_t invariants_built_in = 1;

#define REGISTRY_ENTRIES   16384u
#define SCRATCH_ENTRIES    4096u
#define CHECK_SAMPLE_EVERY 64u

static struct cap_registry_entry registry[REGISTRY_ENTRIES];
static const struct cte *scratch[SCRATCH_ENTRIES];
static bool check_never;
static uint64_t since_check, check_period = CHECK_SAMPLE_EVERY;

void invariants_init(struct cdt *cdt, const char *bootargs)
{
	cdt_debug_attach(cdt, registry, REGISTRY_ENTRIES, scratch, SCRATCH_ENTRIES);
	check_never = strstr_simple(bootargs, "capcheck=off");
	if (strstr_simple(bootargs, "capcheck=all"))
		check_period = 1;
	else if (bootarg_number(bootargs, "capcheck=", 0))
		check_period = bootarg_number(bootargs, "capcheck=", 0);
}

void invariants_after_syscall(void)
{
	struct cap_check_report r;
	struct vm_check_report v;

	if (check_never || ++since_check < check_period)
		return;
	since_check = 0;
	if (!cap_check_invariants(&kernel_cdt, &r))
		panic("capability invariant %s violated at node %lu: %s",
		      cap_invariant_name(r.failed), r.index, r.detail ? r.detail : "");
	if (!vm_check_invariants(&kernel_cdt, &v))
		panic("address-space invariant %s violated (ASID or hart %lu, va 0x%lx): %s",
		      vm_invariant_name(v.failed), v.asid, v.va, v.detail);
}

enum sel_error invariants_check_now(struct syscall_args *args)
{
	struct cap_check_report r;
	struct vm_check_report v;

	cap_check_invariants(&kernel_cdt, &r);
	vm_check_invariants(&kernel_cdt, &v);
	args->out[1] = r.failed;
	args->out[2] = r.nodes;
	args->out[3] = v.failed;
	return SEL_OK;
}

enum sel_error invariants_corrupt_vspace(struct tcb *t, struct syscall_args *args)
{
	uint32_t caught = 0;
	enum sel_error err = vm_debug_corrupt_and_check(t, args->a[2], args->a[3], &caught);

	args->out[1] = caught;
	return err;
}
