/*
 * libsel/src/posix/stdio.c: picolibc's stdin, stdout and stderr (its tiny
 * stdio asks the system for three FILEs with a put, a get and a flush).
 * They go through descriptors 0, 1 and 2, so dup2() can point them
 * elsewhere. stdout is line-buffered (and flushed at exit), stderr is
 * written at each newline or when full; stdin reads descriptor 0.
 */
#include <stdio.h>
#include <unistd.h>
#include "posix_internal.h"

#define LINE 256

/* A buffered output stream. Invariant: len < LINE. */
struct out {
	FILE file;
	int fd;
	size_t len;
	char buf[LINE];
};

static int out_flush(FILE *f)
{
	struct out *o = (struct out *)f;
	size_t len = o->len;

	o->len = 0;
	return len && write(o->fd, o->buf, len) < 0 ? EOF : 0;
}

static int out_put(char c, FILE *f)
{
	struct out *o = (struct out *)f;

	o->buf[o->len++] = c;
	if (c == '\n' || o->len == LINE)
		return out_flush(f) ? EOF : (unsigned char)c;
	return (unsigned char)c;
}

static int in_get(FILE *f)
{
	unsigned char c;

	(void)f;
	return read(0, &c, 1) == 1 ? c : EOF;
}

static FILE in = FDEV_SETUP_STREAM(NULL, in_get, NULL, _FDEV_SETUP_READ);
static struct out out = {FDEV_SETUP_STREAM(out_put, NULL, out_flush, _FDEV_SETUP_WRITE), 1, 0, {0}};
static struct out err = {FDEV_SETUP_STREAM(out_put, NULL, out_flush, _FDEV_SETUP_WRITE), 2, 0, {0}};

FILE *const stdin = &in;
FILE *const stdout = &out.file;
FILE *const stderr = &err.file;

void sel_posix_stdio_flush(void);
void sel_posix_stdio_flush(void)
{
	out_flush(&out.file);
	out_flush(&err.file);
	posix_console_flush(); /* a last partial line out of the console's buffer */
}
