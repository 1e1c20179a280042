/*
 * testutil.h — small helpers shared by the cmocka test programs.
 *
 * Tests run from the repository root (make check does so). Real data lives
 * in ../shared/realdata (override with PKGFRESH_SHARED); tests that need it
 * call skip() when it is absent.
 */
#ifndef PKGFRESH_TESTUTIL_H
#define PKGFRESH_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

/* Path of a realdata file ("debian/sid-main-Sources.xz") in a static buffer, or NULL if absent. */
const char *tu_realdata(const char *rel);

/* Path of tests/fixtures/<rel> in a static buffer (rotating, 8 slots). */
const char *tu_fixture(const char *rel);

/* A fresh empty directory under tests/tmp/ for this test; returns its path (static, rotating). */
const char *tu_tmpdir(const char *name);

/* Read a whole small file into a malloc'd NUL-terminated buffer; NULL on error. */
char *tu_slurp(const char *path, size_t *len);

/* xorshift64: the next number of *seed (never 0 when the seed is not), so a
 * fixed seed replays the same sequence; the randomized tests' one source. */
uint64_t tu_rand(uint64_t *seed);

/*
 * One mutation of text[0..len) into m (room for len + 64 bytes), for the
 * differential tests: 1 to 3 edits (a byte flipped, deleted or set to NUL,
 * or one of the ni tokens ins[] inserted) drawn from *seed (xorshift, so a
 * fixed seed replays the same inputs). Returns the new length.
 */
size_t tu_mutate(const char *text, size_t len, char *m, uint64_t *seed, const char *const *ins,
                 size_t ni);

/* Run a shell-free command (argv) capturing stdout into a malloc'd buffer; returns exit status. */
int tu_run(char *const argv[], char **out, char **errout);

/*
 * tu_run on pkgfresh: `fixed` (nfixed leading arguments, argv[0] included)
 * followed by the NULL-terminated arguments of ap (at most TU_MAX_ARGS in all).
 */
#define TU_MAX_ARGS 63
int tu_runv(char *const fixed[], int nfixed, char **out, char **errout, va_list ap);

/* Path of the pkgfresh binary under test ($PKGFRESH_BIN, else ./pkgfresh). */
const char *tu_pkgfresh(void);

/* The first column of the first row of sql (an integer; NULL = -1) in the
 * database at path, opened read-write with a busy timeout; fails the test
 * on any error. */
long long tu_sql_int(const char *path, const char *sql);

/* The same as text (malloc'd; NULL for NULL), e.g. a PRAGMA's value. */
char *tu_sql_text(const char *path, const char *sql);

#endif
