/*
 * reccollect.h — run a parser over a fixture and keep copies of its records.
 *
 * The format tests (tests/test_fmt_*.c) check records field by field; a
 * parser's pointers die after each emit, so every record is copied here.
 */
#ifndef PKGFRESH_RECCOLLECT_H
#define PKGFRESH_RECCOLLECT_H

#include <stddef.h>

#include "pkgfresh/format.h"

/* One emitted record, copied. */
typedef struct rc_rec {
    char *srcname, *binnames, *version, *maintainers, *homepage, *license, *category, *summary;
    unsigned flags;
} rc_rec;

typedef struct rc_set {
    rc_rec *recs;
    size_t n, cap;
    pf_parse_stats stats;
    int rc;        /* the parser's return value */
    char err[512]; /* its message */
} rc_set;

/* Parse the file at path (codec sniffed) with fn and variant into *s (zeroed first). */
void rc_parse_path(rc_set *s, pf_parse_fn fn, const char *variant, const char *path);

/* Parse len bytes of buf (codec sniffed) with fn and variant into *s (zeroed first). */
void rc_parse_mem(rc_set *s, pf_parse_fn fn, const char *variant, const void *buf, size_t len);

/* The first record with this srcname and version (version NULL = any), NULL when none. */
const rc_rec *rc_find(const rc_set *s, const char *srcname, const char *version);

/* Number of records with this srcname. */
size_t rc_count(const rc_set *s, const char *srcname);

/* Assert a possibly-NULL field equals want (NULL = the field must be absent). */
void rc_eq(const char *got, const char *want);

/* Free the copies. */
void rc_free(rc_set *s);

#endif
