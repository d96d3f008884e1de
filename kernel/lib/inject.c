/* Deliberate kernel bugs for positive controls: see inject.h. */
#include "lib/inject.h"
#include "lib/printk.h"
#include "lib/string.h"

uint32_t inject_bugs;
uint64_t inject_race_delay;

static const struct {
	const char *arg;
	enum inject_bug bug;
} bugs[] = {
    {"inject=fastpath-badge", INJECT_FASTPATH_BADGE},
    {"inject=no-shootdown", INJECT_NO_SHOOTDOWN},
    {"inject=drop-wakeup", INJECT_DROP_WAKEUP},
    {"inject=irq-no-mask", INJECT_IRQ_NO_MASK},
    {"inject=uintr-no-sync", INJECT_UINTR_NO_SYNC},
    {"inject=asid-drop-running", INJECT_ASID_DROP_RUNNING},
    {"inject=vspace-no-evict", INJECT_VSPACE_NO_EVICT},
    {"inject=stale-hart", INJECT_STALE_HART},
    {"inject=uintr-late-check", INJECT_UINTR_LATE_CHECK},
    {"inject=fastpath-badge", INJECT_FASTPATH_BADGE},
    {"inject=no-shootdown", INJECT_NO_SHOOTDOWN},
    {"inject=drop-wakeup", INJECT_DROP_WAKEUP},
    {"inject=irq-no-mask", INJECT_IRQ_NO_MASK},
    {"inject=uintr-no-sync", INJECT_UINTR_NO_SYNC},
    {"inject=copy-rights", INJECT_COPY_RIGHTS},
    {"inject=sync-self", INJECT_SYNC_SELF},
    {"inject=uintr-no-fpu", INJECT_UINTR_NO_FPU},
    {"inject=stale-ready-top", INJECT_STALE_READY_TOP},
    {"inject=stale-satp", INJECT_STALE_SATP},
    {"inject=stale-eligible", INJECT_STALE_ELIGIBLE},
    {"inject=uintr-uret-no-recheck", INJECT_UINTR_URET_NO_RECHECK},
    {"inject=uintr-reenter", INJECT_UINTR_REENTER},
    {"inject=uintr-fast-no-wake", INJECT_UINTR_FAST_NO_WAKE},
    {"inject=no-slice-charge", INJECT_NO_SLICE_CHARGE},
    {"inject=flush-per-frame", INJECT_FLUSH_PER_FRAME},
    {"inject=view-solo", INJECT_VIEW_SOLO},
};

void inject_init(const char *bootargs)
{
	for (size_t i = 0; i < ARRAY_SIZE(bugs); i++) {
		if (strstr_simple(bootargs, bugs[i].arg)) {
			inject_bugs |= bugs[i].bug;
			printk("inject: %s\n", bugs[i].arg + 7);
		}
	}
	inject_race_delay = bootarg_number(bootargs, "race-delay=", 0);
	if (inject_race_delay)
		printk("race-delay: %lu\n", inject_race_delay);
}
