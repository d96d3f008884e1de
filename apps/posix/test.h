/*
 * The POSIX test client (apps/posix): alice and bob run this one program
 * with different arguments from the manifest. Each test prints one line,
 * "POSIX_NNNN ok <what>" or "POSIX_NNNN FAIL <what>: <why>", which the
 * CTest test of that ID looks for (cmake/SeleneHost.cmake).
 */
#ifndef POSIX_TEST_H
#define POSIX_TEST_H

#include <stdbool.h>
#include <stdio.h>

/* Prints the test's line; returns ok. */
bool report(const char *id, const char *what, bool ok, const char *why);

/* The tests of test_files.c, run by alice (the checker) or bob (the appender). */
void test_archive(void);
void test_holes(void);
void test_errors(void);
void test_emfile(void);
void test_big(void);
void test_dirs(void);
void test_dup_stdio(void);
void test_quota(void);
void append_records(const char *who, int n);
void test_append_check(int n);

#endif /* POSIX_TEST_H */
