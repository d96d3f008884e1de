/*
 * libsel/src/posix/proc.c: the process calls a single-process program
 * needs. getpid() is the component's identity (1: each component is a
 * process of its own with one program); kill() reaches only the caller
 * itself, as raise() and abort() use it: the signal's default action, which
 * for every signal that reaches kill() here is to end the program with
 * status 128 + the signal (there is no signal delivery: docs/porting.md).
 * Other processes are ESRCH.
 */
#include <errno.h>
#include <signal.h>
#include <unistd.h>

int kill(pid_t pid, int sig);

pid_t getpid(void)
{
	return 1;
}

int kill(pid_t pid, int sig)
{
	if (pid != getpid()) {
		errno = ESRCH;
		return -1;
	}
	if (sig <= 0 || sig >= NSIG) {
		errno = EINVAL;
		return sig == 0 ? 0 : -1;
	}
	_exit(128 + sig);
}
