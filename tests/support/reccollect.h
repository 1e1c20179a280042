/*
 * reccollect.h — run a parser over a fixture or a buffer and keep copies of
 * its records, for the tests that check records field by field.
 *
 * A parser's pointers die after each emit, so every record is copied here.
 * Every emitted record is also checked against the invariants all parsers
 * keep (srcname and version present and non-empty; maintainers a clean,
 * lower-case, comma-separated address list); a breach sets rc_set.bad. A test
 * with stricter invariants of its own adds them through rc_set.check.
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

/* A test's own invariants: nonzero when rec breaks one. */
typedef int (*rc_check_fn)(void *arg, const pf_record *rec);

typedef struct rc_set {
    rc_rec *recs;
    size_t n, cap; /* n counts every record emitted, copied or not */
    pf_parse_stats stats;
    int rc;        /* the parser's return value (rc_parse_* only) */
    char err[512]; /* its message (rc_parse_* only) */
    int bad;       /* a record broke an invariant */
    /* Records with each optional field present (counted with count_only too). */
    long with_binnames, with_maint, with_homepage, with_license, with_category, with_summary;
    /* Settings, zero by default; rc_parse_* keep them. */
    size_t stop_after; /* rc_emit returns stop_rc (7 when 0) after this many records (0 = never) */
    int stop_rc;
    int count_only;    /* count and check records, copy none */
    rc_check_fn check; /* extra invariants (NULL = none) */
    void *check_arg;
} rc_set;

/* An rc_set with every setting zero, for rc_emit callers. */
#define RC_SET_INIT                                                                                \
    {                                                                                              \
        0                                                                                          \
    }

/* Emit callback (ctx = rc_set *): check the invariants and copy the record. */
int rc_emit(void *ctx, const pf_record *rec);

/* Whether rec breaks an invariant every parser keeps. */
int rc_record_is_bad(const pf_record *rec);

/* Parse the file at path (codec sniffed) with fn and variant into *s. The
 * results of *s are reset first, its settings kept (zero *s before a first use). */
void rc_parse_path(rc_set *s, pf_parse_fn fn, const char *variant, const char *path);

/* Parse len bytes of buf (not decoded) with fn and variant into *s (reset likewise). */
void rc_parse_mem(rc_set *s, pf_parse_fn fn, const char *variant, const void *buf, size_t len);

/* Parse the file at path (codec sniffed) with the format table row `fmt` into *s. */
void rc_parse_format_path(rc_set *s, const char *fmt, const char *path);

/* Parse len bytes of buf (not decoded) with the format table row `fmt` into *s. */
void rc_parse_format_mem(rc_set *s, const char *fmt, const void *buf, size_t len);

/* The first record with this srcname and version (version NULL = any), NULL when none. */
const rc_rec *rc_find(const rc_set *s, const char *srcname, const char *version);

/* The first record with this srcname and version (NULL = any); fails the test when none. */
const rc_rec *rc_need(const rc_set *s, const char *srcname, const char *version);

/* The first record with this srcname and binnames (NULL = any); fails the test when none. */
const rc_rec *rc_get(const rc_set *s, const char *srcname, const char *binnames);

/* Number of records with this srcname. */
size_t rc_count(const rc_set *s, const char *srcname);

/* Assert a possibly-NULL field equals want (NULL = the field must be absent). */
void rc_eq(const char *got, const char *want);

/* Free the copies and zero *s (settings too). */
void rc_free(rc_set *s);

#endif
