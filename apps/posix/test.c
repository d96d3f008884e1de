/*
 * The POSIX test client's start (test.h): argv and the environment as the
 * manifest gave them, then alice's or bob's share of the tests. Bob appends
 * records to a shared file (O_APPEND) and fills his quota; alice checks
 * everything else, and the shared file once bob is done (his "done" file).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sel/posix.h>
#include "test.h"

#define RECORDS 200

static int at_exit_ran;

bool report(const char *id, const char *what, bool ok, const char *why)
{
	printf("%s %s %s%s%s\n", id, ok ? "ok" : "FAIL", what, ok ? "" : ": ", ok ? "" : why);
	return ok;
}

static void bye(void)
{
	printf("%s: atexit handler ran\n", at_exit_ran ? "twice" : "posix-test");
	at_exit_ran = 1;
}

/* POSIX_0001: argv and environ are the manifest's; the clocks move forward. */
static void test_args(int argc, char **argv)
{
	struct timespec a, b;
	bool ok = argc == 3 && !strcmp(argv[0], "posix-test") && !strcmp(argv[1], "alice") &&
	          !strcmp(argv[2], "first argument") && argv[3] == NULL;
	const char *role = getenv("ROLE"), *home = getenv("HOME");

	ok = ok && role && !strcmp(role, "checker") && home && !strcmp(home, "/tmp");
	ok = ok && !getenv("SEL_QUOTA_2"); /* the server's environment is not ours */
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (volatile int i = 0; i < 100000; i++)
		;
	clock_gettime(CLOCK_MONOTONIC, &b);
	ok = ok && (b.tv_sec > a.tv_sec || (b.tv_sec == a.tv_sec && b.tv_nsec > a.tv_nsec));
	ok = ok && time(NULL) >= b.tv_sec;
	report("POSIX_0001", "argv, environment from the manifest; clock_gettime, time", ok,
	       "argv, environ or clock differ");
}

static int alice(int argc, char **argv)
{
	append_records("alice", RECORDS); /* while bob does the same */
	test_args(argc, argv);
	test_archive();
	test_holes();
	test_errors();
	test_emfile();
	test_big();
	test_dirs();
	test_dup_stdio();
	test_append_check(RECORDS);
	return 0;
}

static int bob(void)
{
	append_records("bob", RECORDS);
	test_quota();
	return 0;
}

int main(int argc, char **argv)
{
	atexit(bye);
	if (argc > 1 && !strcmp(argv[1], "bob"))
		return bob();
	return alice(argc, argv);
}
