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
};

/* The decimal number after `key` in the boot arguments, or 0. */
static uint64_t arg_number(const char *args, const char *key)
{
	size_t n = strlen(key);
	uint64_t v = 0;

	for (; *args; args++) {
		if (strncmp(args, key, n) != 0)
			continue;
		for (args += n; *args >= '0' && *args <= '9'; args++)
			v = v * 10 + (uint64_t)(*args - '0');
		return v;
	}
	return 0;
}

void inject_init(const char *bootargs)
{
	for (size_t i = 0; i < ARRAY_SIZE(bugs); i++) {
		if (strstr_simple(bootargs, bugs[i].arg)) {
			inject_bugs |= bugs[i].bug;
			printk("inject: %s\n", bugs[i].arg + 7);
		}
	}
	inject_race_delay = arg_number(bootargs, "race-delay=");
	if (inject_race_delay)
		printk("race-delay: %lu\n", inject_race_delay);
}
