/*
 * The POSIX test client's file tests (test.h): each checks the calls of the
 * layer against the file system server in another address space, with the
 * errors POSIX names.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sel/bind.h>
#include <sel/posix.h>
#include "fs_client.h" /* generated from idl/fs.idl: the one call POSIX has no name for */
#include "test.h"

#define BIG    (1u << 20)
#define RECLEN 12 /* "alice 0001\n" padded: "%-5s %05d\n" */

static char why[160];

#define EXPECT(cond, ...)                                                                          \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			snprintf(why, sizeof(why), __VA_ARGS__);                                   \
			return false;                                                              \
		}                                                                                  \
	} while (0)

static bool errno_is(int r, int e)
{
	return r == -1 && errno == e;
}

static bool archive(void)
{
	char buf[64] = {0};
	struct stat st;
	int fd = open("/etc/motd", O_RDONLY);

	EXPECT(fd >= 3, "open /etc/motd: %d errno %d", fd, errno);
	EXPECT(read(fd, buf, sizeof(buf)) == 35, "read");
	EXPECT(!strcmp(buf, "Selene: files from the boot image.\n"), "content '%s'", buf);
	EXPECT(read(fd, buf, sizeof(buf)) == 0, "read at the end is not 0");
	EXPECT(fstat(fd, &st) == 0 && st.st_size == 35 && S_ISREG(st.st_mode), "fstat");
	EXPECT(close(fd) == 0, "close");
	EXPECT(stat("/share/doc", &st) == 0 && S_ISDIR(st.st_mode), "stat dir");
	return true;
}

void test_archive(void)
{
	report("POSIX_0002", "the archive's files are there; read past the end gives 0", archive(),
	       why);
}

static bool holes(void)
{
	char buf[512];
	int fd = open("/tmp/holes", O_RDWR | O_CREAT | O_TRUNC, 0644);

	EXPECT(fd >= 0, "create: errno %d", errno);
	EXPECT(write(fd, "abc", 3) == 3, "write abc");
	EXPECT(lseek(fd, 10000, SEEK_SET) == 10000, "lseek beyond the end");
	EXPECT(read(fd, buf, 10) == 0, "read beyond the end is not 0");
	EXPECT(write(fd, "xyz", 3) == 3, "write after the hole");
	EXPECT(lseek(fd, 0, SEEK_END) == 10003, "size is not 10003");
	EXPECT(lseek(fd, 3, SEEK_SET) == 3, "lseek 3");
	for (int done = 0; done < 9997;) {
		int n = (int)read(fd, buf, 9997 - done < 512 ? 9997 - done : 512);
		EXPECT(n > 0, "read in the hole: %d", n);
		for (int i = 0; i < n; i++)
			EXPECT(buf[i] == 0, "byte %d of the hole is %d", 3 + done + i, buf[i]);
		done += n;
	}
	EXPECT(read(fd, buf, 100) == 3 && !memcmp(buf, "xyz", 3), "the bytes after the hole");
	EXPECT(lseek(fd, -1, SEEK_SET) == -1 && errno == EINVAL, "a negative position");
	EXPECT(ftruncate(fd, 2) == 0 && ftruncate(fd, 6) == 0 && lseek(fd, 0, SEEK_END) == 6,
	       "ftruncate");
	EXPECT(lseek(fd, 0, SEEK_SET) == 0 && read(fd, buf, 10) == 6 &&
	           !memcmp(buf, "ab\0\0\0\0", 6),
	       "ftruncate down then up: the new bytes are not zeros");
	close(fd);
	return true;
}

void test_holes(void)
{
	report("POSIX_0003", "lseek beyond the end and write: the hole reads as zeros", holes(),
	       why);
}

static bool errors(void)
{
	char c, name[300];
	int fd;

	EXPECT(errno_is(open("/etc/motd", O_WRONLY | O_CREAT | O_EXCL, 0644), EEXIST),
	       "O_CREAT|O_EXCL on an existing file: errno %d", errno);
	EXPECT(errno_is(open("/nothing", O_RDONLY), ENOENT), "open of nothing: %d", errno);
	EXPECT(errno_is(unlink("/nothing"), ENOENT), "unlink of nothing");
	EXPECT(errno_is(open("/etc/motd/x", O_RDONLY), ENOTDIR), "a file as a directory");
	EXPECT(errno_is(open("/etc", O_WRONLY), EISDIR), "a directory opened to write");
	EXPECT(errno_is(read(42, &c, 1), EBADF), "read of fd 42");
	EXPECT(errno_is(close(-1), EBADF), "close(-1)");
	fd = open("/etc/motd", O_RDONLY);
	EXPECT(errno_is(write(fd, "x", 1), EBADF), "write to an O_RDONLY descriptor");
	close(fd);
	EXPECT(errno_is(read(fd, &c, 1), EBADF), "read after close");
	EXPECT(errno_is(mkdir("/etc", 0755), EEXIST), "mkdir of an existing directory");
	EXPECT(errno_is(rmdir("/"), EBUSY), "rmdir of the root");
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = 0;
	name[0] = '/';
	EXPECT(errno_is(open(name, O_RDONLY), ENAMETOOLONG), "a 299-byte path");
	name[65] = 0; /* "/" and 64 bytes */
	EXPECT(errno_is(open(name, O_RDONLY), ENAMETOOLONG), "a 64-byte name");
	EXPECT(sel_posix_errno(fs_crash(sel_bind("fs", NULL))) == EACCES,
	       "crash() of a server not started crashable");
	return true;
}

void test_errors(void)
{
	report("POSIX_0004",
	       "EEXIST on O_CREAT|O_EXCL, ENOENT, ENOTDIR, EISDIR, EBADF, EBUSY, "
	       "ENAMETOOLONG, EACCES",
	       errors(), why);
}

static bool emfile(void)
{
	int fds[64], n = 0;
	bool ok;

	while (n < 64 && (fds[n] = open("/etc/motd", O_RDONLY)) >= 0)
		n++;
	ok = n == 29 && errno == EMFILE; /* 32 descriptors, 3 taken by stdin/out/err */
	snprintf(why, sizeof(why), "%d opened, then errno %d", n, errno);
	while (n--)
		close(fds[n]);
	if (ok && (n = open("/etc/motd", O_RDONLY)) < 0)
		return false;
	close(n);
	return ok;
}

void test_emfile(void)
{
	report("POSIX_0005", "EMFILE after 32 descriptors; closing frees them", emfile(), why);
}

static uint64_t fnv(const uint8_t *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;

	while (n--)
		h = (h ^ *p++) * 0x100000001b3ull;
	return h;
}

/* One buffer (the heap is 2 MiB): filled, written, checksummed, zeroed, read back. */
static bool big(void)
{
	uint8_t *a = malloc(BIG);
	uint32_t x = 12345;
	uint64_t sum;
	int fd;

	EXPECT(a, "malloc of 1 MiB");
	for (size_t i = 0; i < BIG; i++)
		a[i] = (uint8_t)((x = x * 1103515245u + 12345u) >> 16);
	sum = fnv(a, BIG);
	fd = open("/tmp/big", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	EXPECT(fd >= 0 && write(fd, a, BIG) == (ssize_t)BIG, "write of 1 MiB: errno %d", errno);
	close(fd);
	memset(a, 0, BIG);
	fd = open("/tmp/big", O_RDONLY);
	EXPECT(fd >= 0 && read(fd, a, BIG) == (ssize_t)BIG, "read of 1 MiB: errno %d", errno);
	EXPECT(fnv(a, BIG) == sum, "checksums differ");
	printf("posix-test: 1 MiB checksum %016llx\n", (unsigned long long)sum);
	close(fd);
	unlink("/tmp/big");
	free(a);
	return true;
}

void test_big(void)
{
	report("POSIX_0006", "1 MiB written and read back by lease, same checksum", big(), why);
}

static bool listing(const char *dir, const char *expect)
{
	char got[128] = "";
	struct dirent *e;
	DIR *d = opendir(dir);

	EXPECT(d, "opendir %s: errno %d", dir, errno);
	while ((e = readdir(d))) {
		strcat(got, e->d_name);
		strcat(got, e->d_type == DT_DIR ? "/ " : " ");
	}
	closedir(d);
	EXPECT(!strcmp(got, expect), "%s lists '%s'", dir, got);
	return true;
}

static bool dirs(void)
{
	char cwd[64];
	struct stat st;
	int fd;

	EXPECT(mkdir("/tmp/d", 0755) == 0 && mkdir("/tmp/d/e", 0755) == 0, "mkdir");
	EXPECT(errno_is(rmdir("/tmp/d"), ENOTEMPTY), "rmdir of a full directory");
	EXPECT(chdir("/tmp/d") == 0 && getcwd(cwd, sizeof(cwd)) && !strcmp(cwd, "/tmp/d"), "cwd");
	EXPECT((fd = open("f", O_WRONLY | O_CREAT, 0600)) >= 0, "create f (relative)");
	close(fd);
	EXPECT(rename("f", "e/g") == 0, "rename: errno %d", errno);
	EXPECT(stat("/tmp/d/e/g", &st) == 0 && errno_is(stat("f", &st), ENOENT), "after rename");
	EXPECT(errno_is(rename("/tmp/d", "/tmp/d/e/x"), EINVAL), "a directory into itself");
	EXPECT(listing("e", "g "), "%s", why);
	EXPECT(listing("/", "etc/ share/ tmp/ "), "%s", why);
	EXPECT(errno_is(rmdir("e/g"), ENOTDIR), "rmdir of a file");
	EXPECT(unlink("e/g") == 0 && rmdir("e") == 0, "unlink, rmdir");
	EXPECT(chdir("..") == 0 && getcwd(cwd, sizeof(cwd)) && !strcmp(cwd, "/tmp"), "cd ..");
	EXPECT(rmdir("d") == 0 && errno_is(stat("/tmp/d", &st), ENOENT), "rmdir d");
	EXPECT(errno_is(chdir("/etc/motd"), ENOTDIR), "chdir to a file");
	fd = open("/tmp/gone", O_RDWR | O_CREAT, 0644);
	EXPECT(fd >= 0 && write(fd, "kept", 4) == 4 && unlink("/tmp/gone") == 0, "unlink open");
	EXPECT(errno_is(stat("/tmp/gone", &st), ENOENT) && lseek(fd, 0, SEEK_SET) == 0 &&
	           read(fd, cwd, 4) == 4 && !memcmp(cwd, "kept", 4),
	       "an unlinked file is still read through its descriptor");
	close(fd);
	return true;
}

void test_dirs(void)
{
	report("POSIX_0007",
	       "mkdir, rmdir, rename, opendir/readdir, getcwd/chdir; unlink while open", dirs(),
	       why);
}

static bool dup_stdio(void)
{
	char line[32];
	struct stat st;
	FILE *f;
	int fd = open("/tmp/dup", O_RDWR | O_CREAT | O_TRUNC, 0644), d = dup(fd);

	EXPECT(fd >= 0 && d > fd, "dup: %d %d", fd, d);
	EXPECT(write(fd, "hello", 5) == 5 && lseek(d, 0, SEEK_CUR) == 5, "offset not shared");
	EXPECT(dup2(fd, 20) == 20 && close(fd) == 0 && close(d) == 0, "dup2");
	EXPECT(write(20, " world", 6) == 6 && lseek(20, 0, SEEK_END) == 11, "write on the dup2");
	EXPECT(isatty(1) == 1 && isatty(20) == 0 && errno == ENOTTY, "isatty");
	EXPECT(fstat(1, &st) == 0 && S_ISCHR(st.st_mode), "fstat(1)");
	close(20);
	f = fopen("/tmp/stdio.txt", "w");
	EXPECT(f && fprintf(f, "%d %s\n", 42, "lines") == 9 && fclose(f) == 0, "fprintf");
	f = fopen("/tmp/stdio.txt", "r");
	EXPECT(f && fgets(line, sizeof(line), f) && !strcmp(line, "42 lines\n"), "fgets");
	fclose(f);
	f = fopen("/share/doc/lines.txt", "r");
	int n = 0;
	while (f && fgets(line, sizeof(line), f))
		n++;
	EXPECT(f && n == 3, "lines.txt has %d lines", n);
	fclose(f);
	return true;
}

void test_dup_stdio(void)
{
	report("POSIX_0008", "dup/dup2 share the offset; isatty; stdio (fopen, fprintf, fgets)",
	       dup_stdio(), why);
}

void append_records(const char *who, int n)
{
	char rec[RECLEN + 1], done[32];
	int fd = open("/tmp/log", O_WRONLY | O_CREAT | O_APPEND, 0644);

	for (int i = 0; i < n && fd >= 0; i++) {
		snprintf(rec, sizeof(rec), "%-5s %05d\n", who, i);
		if (write(fd, rec, RECLEN) != RECLEN)
			printf("posix-test: %s: append %d failed: errno %d\n", who, i, errno);
		sched_yield(); /* the other writer's turn */
	}
	close(fd);
	snprintf(done, sizeof(done), "/tmp/%s.done", who);
	close(open(done, O_WRONLY | O_CREAT, 0644));
}

/* Every record whole and each writer's in order, none lost; returns the number of switches. */
static bool append_check(int n, int *switches)
{
	char rec[RECLEN + 1] = {0}, last = 0;
	int next[2] = {0, 0};
	struct stat st;
	int fd;

	for (long tries = 0; stat("/tmp/bob.done", &st) < 0; tries++)
		EXPECT(tries < 1000000, "bob never finished");
	fd = open("/tmp/log", O_RDONLY);
	EXPECT(fd >= 0 && fstat(fd, &st) == 0 && st.st_size == 2 * n * RECLEN, "size %ld",
	       (long)st.st_size);
	*switches = 0;
	while (read(fd, rec, RECLEN) == RECLEN) {
		int w = rec[0] == 'b', i = atoi(rec + 6);
		EXPECT(!strncmp(rec, w ? "bob   " : "alice ", 6) && rec[11] == '\n', "torn '%s'",
		       rec);
		EXPECT(i == next[w]++, "%s record %d out of order", w ? "bob" : "alice", i);
		*switches += last && last != rec[0];
		last = rec[0];
	}
	close(fd);
	EXPECT(next[0] == n && next[1] == n, "%d and %d records", next[0], next[1]);
	EXPECT(*switches >= 2, "the writers took turns %d times: not at once", *switches);
	return true;
}

void test_append_check(int n)
{
	int switches = 0;
	bool ok = append_check(n, &switches);

	if (ok)
		printf("posix-test: the log switches writer %d times\n", switches);
	report("POSIX_0009", "O_APPEND from two clients at once: every record whole, none lost", ok,
	       why);
}

static bool quota(void)
{
	static char chunk[4096];
	long total = 0;
	ssize_t r;
	int fd = open("/tmp/fill", O_WRONLY | O_CREAT | O_TRUNC, 0644);

	EXPECT(fd >= 0, "create");
	while ((r = write(fd, chunk, sizeof(chunk))) == (ssize_t)sizeof(chunk))
		total += r;
	EXPECT(r == -1 && errno == ENOSPC, "after %ld bytes: %ld, errno %d", total, (long)r, errno);
	EXPECT(total >= 56 * 1024 && total <= 64 * 1024, "quota 64K but %ld bytes went in", total);
	close(fd);
	EXPECT(unlink("/tmp/fill") == 0, "unlink");
	fd = open("/tmp/fill", O_WRONLY | O_CREAT, 0644);
	EXPECT(write(fd, chunk, sizeof(chunk)) == (ssize_t)sizeof(chunk), "quota not returned");
	close(fd);
	return true;
}

void test_quota(void)
{
	report("POSIX_0010",
	       "ENOSPC at the client's quota (64K, from the manifest); unlink returns it", quota(),
	       why);
}
