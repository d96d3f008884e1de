/*
 * libsel/src/posix/program.c: from the kernel's start to main(argc, argv,
 * envp) and from its return to exit(): picolibc's thread-local data (errno)
 * placed after the IPC buffer (libsel/posix.ld), the argument and environment
 * strings the root task wrote (<sel/posix_boot.h>) become argv and
 * `environ`; exit() runs the atexit handlers, flushes stdio (picolibc)
 * and ends in _exit, which ends the program with its status for the
 * supervisor.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sel/posix_boot.h>

#define MAX_ARGS 64

extern char **environ;
int main(int argc, char **argv, char **envp);
__attribute__((noreturn)) void sel_posix_start(uint64_t arg);
__attribute__((noreturn)) void sel_exit(int code);
void sel_posix_stdio_flush(void);

static char *vector[MAX_ARGS + 2];

/* The next string of the table from *s, or NULL past its end. */
static char *next_string(char **s, char *end)
{
	char *str = *s;

	if (str >= end)
		return NULL;
	while (*s < end && **s)
		(*s)++;
	(*s)++;
	return str;
}

/* argv then envp in vector, each list ending in NULL; returns argc. */
static int split_strings(char ***envp)
{
	static char name[] = "program";
	struct sel_posix_boot *b = &sel_posix_boot;
	char *s = b->strings, *end = b->strings + sizeof(b->strings);
	uint32_t argc = 0, n = 0;

	if (b->magic != SEL_POSIX_BOOT_MAGIC) {
		vector[0] = name;
		*envp = &vector[2];
		return 1;
	}
	while (argc < b->argc && n < MAX_ARGS && (vector[n] = next_string(&s, end)))
		n++, argc++;
	vector[n++] = NULL;
	*envp = &vector[n];
	for (uint32_t k = 0; k < b->envc && n < MAX_ARGS && (vector[n] = next_string(&s, end)); k++)
		n++;
	vector[n] = NULL;
	return (int)argc;
}

extern char __tls_base[], __tdata_start[], __tdata_end[], __tbss_start[], __tbss_end[];

/* The TLS block at tp: .tdata's image copied, .tbss zeroed (the IPC buffer is below). */
static void tls_init(void)
{
	char *tp;

	__asm__("mv %0, tp" : "=r"(tp));
	memcpy(tp + (__tdata_start - __tls_base), __tdata_start,
	       (size_t)(__tdata_end - __tdata_start));
	memset(tp + (__tbss_start - __tls_base), 0, (size_t)(__tbss_end - __tbss_start));
}

void sel_posix_start(uint64_t arg)
{
	char **envp;
	int argc;

	(void)arg;
	tls_init();
	argc = split_strings(&envp);
	environ = envp;
	atexit(sel_posix_stdio_flush);
	exit(main(argc, vector, envp));
}

void _exit(int status)
{
	sel_exit(status);
}
