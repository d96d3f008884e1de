/*
 * The file system crash test (apps/posix-crash, POSIX_0011). The crasher
 * opens and writes a file, then calls fs crash(): the server faults, the
 * call ends with SEL_ERR_PEER_DEAD, and the root task restarts the server.
 * Its old descriptor is then unknown to the new instance (EBADF), the file
 * it wrote is gone (ENOENT: the tree is the archive again), and new calls
 * work. The bystander reads /etc/motd in a loop meanwhile: it is served by
 * the first instance and by the restarted one (told apart by the crasher's
 * file), a call during the crash may fail with EIO, none hangs, and its
 * last ones succeed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sel/bind.h>
#include <sel/posix.h>
#include "fs_client.h" /* generated from idl/fs.idl */

#define ROUNDS 400

static int crasher(void)
{
	char buf[8];
	struct stat st;
	int fd = open("/tmp/mine", O_RDWR | O_CREAT, 0644);
	int ok = fd >= 0 && write(fd, "abc", 3) == 3, rc;

	for (int i = 0; i < ROUNDS / 4; i++)
		sched_yield(); /* the bystander's first rounds */
	rc = fs_crash(sel_bind("fs", NULL));

	printf("crasher: crash -> %d\n", rc);
	ok = ok && rc == SEL_ERR_PEER_DEAD;
	ok = ok && lseek(fd, 0, SEEK_SET) == -1 && errno == EBADF; /* the new server's session */
	ok = ok && stat("/tmp/mine", &st) == -1 && errno == ENOENT;
	close(fd);
	fd = open("/etc/motd", O_RDONLY);
	ok = ok && fd >= 0 && read(fd, buf, sizeof(buf)) == sizeof(buf) &&
	     !memcmp(buf, "Selene: ", 8);
	close(fd);
	printf(
	    "POSIX_0011 %s the fs server crashes: the crasher gets errors, then a new instance\n",
	    ok ? "ok" : "FAIL");
	return !ok;
}

/*
 * Reads /etc/motd ROUNDS times, yielding between rounds. The crasher's file tells which
 * instance served a round: it exists in the first, is gone in the restarted one.
 */
static int bystander(void)
{
	char buf[8];
	struct stat st;
	int failed = 0, last_failed = -1, before = 0, after = 0;

	for (int i = 0; i < ROUNDS; i++) {
		int fd = open("/etc/motd", O_RDONLY);
		if (fd < 0 || read(fd, buf, sizeof(buf)) != sizeof(buf) ||
		    memcmp(buf, "Selene: ", 8)) {
			failed++;
			last_failed = i;
			if (errno != EIO && errno != EBADF)
				printf("bystander: round %d: errno %d\n", i, errno);
		} else if (stat("/tmp/mine", &st) == 0) {
			before += !after;
		} else if (before) {
			after++;
		}
		if (fd >= 0)
			close(fd);
		sched_yield();
	}
	printf("bystander: %d rounds served by the first instance, %d by the restarted one, "
	       "%d failed (the last at %d)\n",
	       before, after, failed, last_failed);
	int ok = before > 0 && after > 0 && last_failed < ROUNDS - 50;
	printf("POSIX_0011 %s the bystander is served before and after the restart\n",
	       ok ? "ok" : "FAIL");
	return !ok;
}

int main(int argc, char **argv)
{
	return argc > 1 && !strcmp(argv[1], "crasher") ? crasher() : bystander();
}
