/*
 * apps/demo/hello.c: a POSIX program of the demo, started by the shell's
 * `run hello [args]`. It shows where its standard descriptors go (the
 * console service: the manifest connects it to `console`), writes a line
 * to stderr, asks a question on stdout and reads the answer from stdin, so
 * that a person (or the DEMO tests, through the UART) can see the console
 * bound to descriptors 0, 1 and 2. ^C at the question is end of input.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sel/posix.h>

int main(int argc, char **argv)
{
	struct sel_posix_route r;
	char name[128];

	for (int fd = 0; fd < 3; fd++)
		if (sel_posix_route(fd, &r) == 0)
			printf("hello: fd %d: %s, endpoint slot %lu, a tty: %s\n", fd, r.service,
			       (unsigned long)r.ep, isatty(fd) ? "yes" : "no");
	fprintf(stderr, "hello: this line went to stderr\n");
	printf("hello: what is your name? ");
	fflush(stdout);
	if (!fgets(name, sizeof(name), stdin)) {
		printf("hello: end of input\n");
		return 1;
	}
	name[strcspn(name, "\n")] = '\0';
	printf("hello, %s!", name);
	for (int i = 1; i < argc; i++)
		printf(" %s", argv[i]);
	printf("\n");
	return 0;
}
