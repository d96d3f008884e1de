/*
 * The shell's file commands: ls, cat, echo (with > and >>), rm, mkdir,
 * rmdir over the file system server (servers/fs, through the stubs idlc
 * generates from idl/fs.idl, on the connection `fs` of the manifest), and
 * run, which asks the supervisor to start a component declared
 * start = "request" and waits for it to end.
 *
 * Paths are absolute; one without a leading '/' is taken from the root.
 * The server resolves "." and ".." (never above the root). An error is one
 * line naming the command, the path and the errno text of the server's
 * fs_error (docs/posix.md maps them one to one): `cat: nofile: No such
 * file or directory`.
 */
#include <sel/ipc.h>
#include <sel/print.h>
#include <sel/string.h>
#include "fs_client.h" /* generated from idl/fs.idl */
#include "shell.h"

/* picolibc's <fcntl.h> numbering, which the server reads (servers/fs/main.c). */
#define FS_O_RDONLY 0x0000u
#define FS_O_WRONLY 0x0001u
#define FS_O_CREAT  0x0040u
#define FS_O_TRUNC  0x0200u
#define FS_O_APPEND 0x0400u

#define PATH_BUF  512          /* more than the stub's 255: a longer path is its to refuse */
#define CHUNK     2048u        /* the most one fs.read carries */
#define RUN_WAIT  600000000ull /* ticks `run` waits for the program (60 s at 10 MHz) */
#define SHOWN_MAX 60           /* bytes of a name an error line shows */
#define DIR_MODE  0755u
#define FILE_MODE 0644u

/* The text of errno for an fs call's result (the POSIX layer's mapping, as strerror). */
static const char *fs_strerror(int err)
{
	switch (err) {
	case FS_ERROR_NOT_FOUND:
		return "No such file or directory";
	case FS_ERROR_EXISTS:
		return "File exists";
	case FS_ERROR_NOT_DIR:
		return "Not a directory";
	case FS_ERROR_IS_DIR:
		return "Is a directory";
	case FS_ERROR_BAD_FD:
		return "Bad file descriptor";
	case FS_ERROR_NO_SPACE:
		return "No space left on device";
	case FS_ERROR_ACCESS:
		return "Permission denied";
	case FS_ERROR_INVALID:
		return "Invalid argument";
	case FS_ERROR_TOO_MANY_OPEN:
		return "Too many open files";
	case FS_ERROR_NOT_EMPTY:
		return "Directory not empty";
	case FS_ERROR_NAME_TOO_LONG:
	case SEL_ERR_RANGE: /* over the IDL's string<255>: refused by the stub */
		return "File name too long";
	case FS_ERROR_BUSY:
		return "Device or resource busy";
	default:
		return "Input/output error"; /* the server is gone, or the transport failed */
	}
}

/* Prints "cmd: name: text" for err; returns err. Names over SHOWN_MAX bytes are cut. */
static int fail(const char *cmd, const char *name, int err)
{
	char shown[SHOWN_MAX + 1];

	copy_str(shown, name, sizeof(shown));
	out("%s: %s%s: %s\n", cmd, shown, strlen(name) > SHOWN_MAX ? "..." : "", fs_strerror(err));
	return err;
}

/* arg as an absolute path (from the root if relative). */
static void abs_path(const char *arg, char out[PATH_BUF])
{
	out[0] = '/';
	copy_str(out + (arg[0] != '/'), arg, PATH_BUF - 1);
}

static bool connected(const char *cmd)
{
	if (!sh.fs)
		out("%s: no file system (the manifest connects the shell to none)\n", cmd);
	return sh.fs != NULL;
}

/* One line of ls: a directory with a '/', a file with its size. */
static void ls_line(const char *name, const struct fs_stat *st)
{
	if (st->kind == FS_KIND_DIR)
		out("%s/\n", name);
	else
		out("%s %lu\n", name, st->size);
}

static void ls_dir(const char *path)
{
	char name[256], child[PATH_BUF + 256];
	uint64_t cookie = 0;
	uint32_t fd, n = 0;
	int err = fs_open(sh.fs, path, FS_O_RDONLY, 0, &fd);

	if (err != SEL_OK) {
		fail("ls", path, err);
		return;
	}
	for (;;) {
		enum fs_kind kind;
		uint64_t next = 0;
		struct fs_stat st = {0};
		err = fs_readdir(sh.fs, fd, cookie, name, &kind, &next);
		if (err != SEL_OK)
			break; /* not_found: past the last entry */
		sel_snprintf(child, sizeof(child), "%s/%s", strcmp(path, "/") ? path : "", name);
		st.kind = kind;
		if (kind == FS_KIND_FILE)
			fs_stat(sh.fs, child, &st);
		ls_line(name, &st);
		n++;
		if (!next)
			break;
		cookie = next;
	}
	if (err == FS_ERROR_NOT_FOUND)
		err = SEL_OK;
	fs_close(sh.fs, fd);
	if (err != SEL_OK)
		fail("ls", path, err);
	else
		out("%u %s\n", n, n == 1 ? "entry" : "entries");
}

static void cmd_ls(int argc, char **argv)
{
	char path[PATH_BUF];
	struct fs_stat st;
	int err;

	if (!connected("ls"))
		return;
	abs_path(argc > 1 ? argv[1] : "/", path);
	err = fs_stat(sh.fs, path, &st);
	if (err != SEL_OK)
		fail("ls", argc > 1 ? argv[1] : "/", err);
	else if (st.kind == FS_KIND_DIR)
		ls_dir(path);
	else
		ls_line(argv[1], &st);
}

static void cmd_cat(int argc, char **argv)
{
	static uint8_t buf[CHUNK];
	char path[PATH_BUF];
	uint32_t fd;
	size_t n = 0;
	bool newline = true;
	int err;

	(void)argc;
	if (!connected("cat"))
		return;
	abs_path(argv[1], path);
	err = fs_open(sh.fs, path, FS_O_RDONLY, 0, &fd);
	if (err != SEL_OK) {
		fail("cat", argv[1], err);
		return;
	}
	while ((err = fs_read(sh.fs, fd, CHUNK, buf, &n)) == SEL_OK && n > 0) {
		out_bytes(sh.console, (const char *)buf, n);
		newline = buf[n - 1] == '\n';
	}
	fs_close(sh.fs, fd);
	if (err != SEL_OK)
		fail("cat", argv[1], err);
	else if (!newline)
		out("\n"); /* the prompt on a line of its own */
}

/* Where echo's output goes: the word `>`/`>>` and the next, or `>file`/`>>file`. */
struct redirect {
	const char *file; /* NULL: the console */
	bool append;
	int words; /* echo's words before the redirection */
};

static bool parse_redirect(int argc, char **argv, struct redirect *r)
{
	*r = (struct redirect){NULL, false, argc};
	for (int i = 1; i < argc; i++) {
		const char *w = argv[i];
		if (w[0] != '>')
			continue;
		r->append = w[1] == '>';
		w += r->append ? 2 : 1;
		r->words = i;
		r->file = *w ? w : i + 1 < argc ? argv[i + 1] : NULL;
		return r->file && i + 1 + (*w ? 0 : 1) == argc;
	}
	return true;
}

static void cmd_echo(int argc, char **argv)
{
	char text[LINE_MAX + 2], path[PATH_BUF];
	struct redirect r;
	size_t n = 0;
	uint32_t fd, written = 0;

	if (!parse_redirect(argc, argv, &r)) {
		out("echo: usage: echo [words] [> file | >> file]\n");
		return;
	}
	for (int i = 1; i < r.words; i++)
		n += (size_t)sel_snprintf(text + n, sizeof(text) - n, "%s%s", i > 1 ? " " : "",
		                          argv[i]);
	text[n++] = '\n';
	if (!r.file) {
		out_bytes(sh.console, text, n);
		return;
	}
	if (!connected("echo"))
		return;
	abs_path(r.file, path);
	uint32_t flags = FS_O_WRONLY | FS_O_CREAT | (r.append ? FS_O_APPEND : FS_O_TRUNC);
	int err = fs_open(sh.fs, path, flags, FILE_MODE, &fd);
	if (err != SEL_OK) {
		fail("echo", r.file, err);
		return;
	}
	err = fs_write(sh.fs, fd, (const uint8_t *)text, n, &written);
	fs_close(sh.fs, fd);
	if (err != SEL_OK)
		fail("echo", r.file, err);
	else if (written != n)
		out("echo: %s: %u of %lu bytes written\n", r.file, written, (unsigned long)n);
}

/* rm, mkdir, rmdir: one call on one path. */
static void path_call(const char *cmd, const char *arg)
{
	char path[PATH_BUF];
	int err;

	if (!connected(cmd))
		return;
	abs_path(arg, path);
	err = !strcmp(cmd, "rm")      ? fs_unlink(sh.fs, path)
	      : !strcmp(cmd, "mkdir") ? fs_mkdir(sh.fs, path, DIR_MODE)
	                              : fs_rmdir(sh.fs, path);
	if (err != SEL_OK)
		fail(cmd, arg, err);
}

static void cmd_rm(int argc, char **argv)
{
	(void)argc;
	path_call("rm", argv[1]);
}

static void cmd_mkdir(int argc, char **argv)
{
	(void)argc;
	path_call("mkdir", argv[1]);
}

static void cmd_rmdir(int argc, char **argv)
{
	(void)argc;
	path_call("rmdir", argv[1]);
}

/* Asks the supervisor to start component c with argv[2..] (SYS_REQ_RUN). */
static int run_request(int c, int argc, char **argv)
{
	struct sel_msg m = {0};
	uint64_t words[SEL_MSG_MAX_WORDS] = {(uint64_t)c};
	char *bytes = (char *)&words[2];
	size_t n = 0;

	for (int i = 2; i < argc; i++) {
		size_t len = strlen(argv[i]) + 1;
		if (n + len > SYS_RUN_ARGS)
			return SEL_ERR_RANGE;
		memcpy(bytes + n, argv[i], len);
		n += len;
	}
	words[1] = n;
	uint32_t length = 2 + (uint32_t)(n + 7) / 8;
	m.info = SEL_MSG_INFO(SYS_REQ_RUN, 0, length);
	for (uint32_t k = 0; k < length; k++) /* MR5 on go in our IPC buffer */
		if (k < SEL_MSG_REG_WORDS)
			m.mr[k] = words[k];
		else
			sel_ipc_buffer()->mr[k] = words[k];
	int err = sel_call(SYS_SLOT_SUPERVISOR, &m);
	return err != SEL_OK ? err : (int)m.mr[0];
}

static void cmd_run(int argc, char **argv)
{
	int c = component_index(argv[1]);
	struct sel_msg m;

	if (c < 0 || sys_components[c].start != SYS_START_REQUEST) {
		out("run: %s '%s' (try 'services': those marked 'on request')\n",
		    c < 0 ? "no program" : "not started on request:", argv[1]);
		return;
	}
	int err = run_request(c, argc, argv);
	if (err != SEL_OK) {
		out("run: %s: %s (error %d)\n", argv[1],
		    err == SEL_ERR_BUSY    ? "already running"
		    : err == SEL_ERR_RANGE ? "arguments too long"
		    : err == SEL_ERR_FULL  ? "run too many times since boot"
		                           : "the supervisor refused",
		    err);
		return;
	}
	uint64_t start = sel_rdtime();
	do {
		sel_yield();
		m = (struct sel_msg){SEL_MSG_INFO(SYS_REQ_RESTARTS, 0, 1), {(uint64_t)c}, 0};
		err = sel_call(SYS_SLOT_SUPERVISOR, &m);
	} while (err == SEL_OK && m.mr[2] && sel_rdtime() - start < RUN_WAIT);
	if (err != SEL_OK || m.mr[2])
		out("run: %s: still running after 60 s; the shell goes on\n", argv[1]);
	else
		out("run: %s exited with status %ld\n", argv[1], (long)(int64_t)m.mr[4]);
}

const struct command fs_commands[] = {
    {"ls", 0, 1, "ls [dir]", "a directory's entries (files with their size)", cmd_ls},
    {"cat", 1, 1, "cat <file>", "print a file", cmd_cat},
    {"echo", 0, 15, "echo [words]", "print the words; > file or >> file writes them", cmd_echo},
    {"rm", 1, 1, "rm <file>", "remove a file", cmd_rm},
    {"mkdir", 1, 1, "mkdir <dir>", "make a directory", cmd_mkdir},
    {"rmdir", 1, 1, "rmdir <dir>", "remove an empty directory", cmd_rmdir},
    {"run", 1, 15, "run <program> [args]", "start a program declared on request; wait", cmd_run},
    {NULL, 0, 0, NULL, NULL, NULL},
};
