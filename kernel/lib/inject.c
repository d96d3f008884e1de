/* Deliberate kernel bugs for positive controls: see inject.h. */
#include "lib/inject.h"
#include "lib/printk.h"
#include "lib/string.h"

uint32_t inject_bugs;

static const struct {
	const char *arg;
	enum inject_bug bug;
} bugs[] = {
    {"inject=fastpath-badge", INJECT_FASTPATH_BADGE},
    {"inject=no-shootdown", INJECT_NO_SHOOTDOWN},
    {"inject=drop-wakeup", INJECT_DROP_WAKEUP},
    {"inject=irq-no-mask", INJECT_IRQ_NO_MASK},
};

void inject_init(const char *bootargs)
{
	for (size_t i = 0; i < ARRAY_SIZE(bugs); i++) {
		if (strstr_simple(bootargs, bugs[i].arg)) {
			inject_bugs |= bugs[i].bug;
			printk("inject: %s\n", bugs[i].arg + 7);
		}
	}
}
