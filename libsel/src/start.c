/*
 * What libsel's start (crt0.S) checks before main: that the kernel speaks
 * the interface this program was built against. Both sides carry the hash
 * idlc computes over idl/kernel/ (SEL_KERNEL_ABI_HASH): the kernel shows its
 * own on the info page (and in the root task's boot info), this program was
 * compiled with libsel's. A mismatch is reported on the kernel console (when
 * the program holds a debug cap) and ends the program with
 * SEL_EXIT_ABI_MISMATCH before it makes a single invocation.
 */
#include <sel/debug.h>
#include <selene/kinfo.h>

__attribute__((noreturn)) void sel_exit(int code);

int sel_abi_check(uint64_t kernel_hash)
{
	return kernel_hash == SEL_KERNEL_ABI_HASH ? SEL_OK : SEL_ERR_NOT_SUPPORTED;
}

void sel_start_check(void)
{
	static const char msg[] = "libsel: the kernel's interface hash differs from this "
	                          "program's (rebuild it against this kernel)\n";
	const struct sel_kinfo *k = (const struct sel_kinfo *)SEL_KINFO_VADDR;

	if (sel_abi_check(k->abi_hash) == SEL_OK)
		return;
	sel_debug_write(msg, sizeof(msg) - 1);
	sel_exit(SEL_EXIT_ABI_MISMATCH);
}
