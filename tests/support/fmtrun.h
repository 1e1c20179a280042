/*
 * fmtrun.h — run a format parser over a fixture or a buffer and keep every
 * record it emits, for the field-by-field format tests (tests/test_fmt_*.c).
 *
 * Every emitted record is checked against the invariants all parsers keep
 * (srcname and version present and non-empty; maintainers a clean,
 * lower-case, comma-separated address list); a breach sets fr_result.bad.
 */
#ifndef PKGFRESH_FMTRUN_H
#define PKGFRESH_FMTRUN_H

#include <stddef.h>

#include "pkgfresh/format.h"

/* One record, copied (a parser's pointers die after emit). */
typedef struct fr_rec {
    char *srcname, *binnames, *version, *maintainers, *homepage, *license, *category, *summary;
    unsigned flags;
} fr_rec;

typedef struct fr_result {
    fr_rec *recs;
    size_t n, cap;
    pf_parse_stats stats;
    int rc;        /* the parser's return value */
    char err[512]; /* its message when rc != 0 */
    int bad;       /* a record broke an invariant */
} fr_result;

/* Parse the file at path (decoded as served: gzip/xz sniffed) with format `fmt` into r. */
void fr_parse_path(const char *fmt, const char *path, fr_result *r);

/* Parse len bytes at buf (sniffed likewise) with format `fmt` into r. */
void fr_parse_mem(const char *fmt, const void *buf, size_t len, fr_result *r);

/* The first record with this srcname and binnames (NULL = any); fails the test when none. */
const fr_rec *fr_find(const fr_result *r, const char *srcname, const char *binnames);

/* How many records have this srcname. */
size_t fr_count(const fr_result *r, const char *srcname);

/* Free the copies and zero r. */
void fr_free(fr_result *r);

#endif
