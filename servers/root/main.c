/*
 * The root server: the first and, for now, only user program of the demo
 * system. It checks its boot-info page, prints a banner with what the
 * kernel found (including the boot arguments), and powers the machine off
 * by returning, whatever the boot arguments say: `./selene run` passes
 * "interactive" or "scripted" (tests/harness/qemu.py), and nothing reads
 * it yet. A shell and the services it starts, with an interactive boot
 * that stays up until `poweroff`, are planned with the demo area.
 */
#include <sel/debug.h>
#include <sel/print.h>
#include <sel/string.h>
#include <sel/syscall.h>
#include <selene/bootinfo.h>

int main(const struct sel_bootinfo *bi);

int main(const struct sel_bootinfo *bi)
{
	uint64_t free_bytes = 0;

	if (bi->magic != SEL_BOOTINFO_MAGIC || bi->version != SEL_BOOTINFO_VERSION) {
		sel_printf("root: bad boot-info page (magic 0x%lx)\n", bi->magic);
		return 1;
	}
	for (uint32_t i = 0; i < bi->n_untyped; i++)
		if (!bi->untyped[i].is_device)
			free_bytes += 1ull << bi->untyped[i].size_bits;
	sel_printf("root: Selene root task running in user mode\n");
	sel_printf("root: %u harts online of %u; %lu MiB free for user space; bootargs \"%s\"\n",
	           (unsigned)sel_debug_info(SEL_INFO_HARTS_ONLINE), bi->n_harts, free_bytes >> 20,
	           (const char *)bi->bootargs);
	sel_printf("root: nothing more to run yet; powering off\n");
	return 0;
}
