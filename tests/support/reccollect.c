/*
 * reccollect.c — parse a fixture and keep copies of the records (reccollect.h).
 */
#include "reccollect.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkgfresh/reader.h"
#include "testutil.h"

/* strdup that keeps NULL and fails the test when out of memory. */
static char *rc_dup(const char *s)
{
    if (!s)
        return NULL;
    char *d = strdup(s);
    assert_non_null(d);
    return d;
}

/* The invariants of any record (see reccollect.h). */
int rc_record_is_bad(const pf_record *rec)
{
    if (!rec->srcname || !rec->version || !rec->srcname[0] || !rec->version[0])
        return 1;
    const char *m = rec->maintainers;
    if (m && (!m[0] || strpbrk(m, " <>") || !strchr(m, '@')))
        return 1;
    for (; m && *m; m++)
        if (*m >= 'A' && *m <= 'Z')
            return 1;
    return 0;
}

/* Emit callback: check, then copy the record unless only counting (see reccollect.h). */
int rc_emit(void *ctx, const pf_record *rec)
{
    rc_set *s = ctx;
    s->bad |= rc_record_is_bad(rec);
    if (s->check && s->check(s->check_arg, rec))
        s->bad = 1;
    s->with_binnames += rec->binnames != NULL;
    s->with_maint += rec->maintainers != NULL;
    s->with_homepage += rec->homepage != NULL;
    s->with_license += rec->license != NULL;
    s->with_category += rec->category != NULL;
    s->with_summary += rec->summary != NULL;
    if (!s->count_only) {
        if (s->n == s->cap) {
            s->cap = s->cap ? s->cap * 2 : 16;
            s->recs = realloc(s->recs, s->cap * sizeof *s->recs);
            assert_non_null(s->recs);
        }
        rc_rec *r = &s->recs[s->n];
        r->srcname = rc_dup(rec->srcname);
        r->binnames = rc_dup(rec->binnames);
        r->version = rc_dup(rec->version);
        r->maintainers = rc_dup(rec->maintainers);
        r->homepage = rc_dup(rec->homepage);
        r->license = rc_dup(rec->license);
        r->category = rc_dup(rec->category);
        r->summary = rc_dup(rec->summary);
        r->flags = rec->flags;
    }
    s->n++;
    if (s->stop_after && s->n == s->stop_after)
        return s->stop_rc ? s->stop_rc : 7;
    return 0;
}

/* Free the copies, keep the settings: the results of a new run start empty. */
static void rc_reset(rc_set *s)
{
    rc_set keep = *s;
    rc_free(s);
    s->stop_after = keep.stop_after;
    s->stop_rc = keep.stop_rc;
    s->count_only = keep.count_only;
    s->check = keep.check;
    s->check_arg = keep.check_arg;
}

/* Run fn (or the format row f) over reader rd into s, close rd, check what
 * every parser owes: one record counted per emit, a one-line message on failure. */
static void rc_run(rc_set *s, pf_parse_fn fn, const char *variant, const pf_format *f,
                   pf_reader *rd, const char *what, const char *why)
{
    if (!rd)
        fail_msg("open %s: %s", what, why);
    s->rc = f ? pf_format_parse(f, rd, rc_emit, s, &s->stats, s->err, sizeof s->err)
              : fn(rd, variant, rc_emit, s, &s->stats, s->err, sizeof s->err);
    pf_reader_close(rd);
    assert_int_equal(s->stats.records, (long)s->n);
    if (s->rc != 0 && (!s->err[0] || strchr(s->err, '\n')))
        fail_msg("parser failed without a one-line message (%s)", what);
}

/* The format row fmt, or fail the test. */
static const pf_format *rc_format(const char *fmt)
{
    const pf_format *f = pf_format_find(fmt);
    if (!f)
        fail_msg("unknown format %s", fmt);
    return f;
}

/* Parse a file (see reccollect.h). */
void rc_parse_path(rc_set *s, pf_parse_fn fn, const char *variant, const char *path)
{
    rc_reset(s);
    char why[256] = "";
    pf_reader *rd = pf_reader_open_path(path, 0, why, sizeof why);
    rc_run(s, fn, variant, NULL, rd, path, why);
}

/* Parse a buffer (see reccollect.h). */
void rc_parse_mem(rc_set *s, pf_parse_fn fn, const char *variant, const void *buf, size_t len)
{
    rc_reset(s);
    char why[256] = "";
    pf_reader *rd = pf_reader_open_mem(buf, len, PF_CODEC_NONE, why, sizeof why);
    rc_run(s, fn, variant, NULL, rd, "memory", why);
}

/* Parse a file with a format row (see reccollect.h). */
void rc_parse_format_path(rc_set *s, const char *fmt, const char *path)
{
    rc_reset(s);
    const pf_format *f = rc_format(fmt);
    char why[256] = "";
    pf_reader *rd = pf_reader_open_path(path, 0, why, sizeof why);
    rc_run(s, NULL, NULL, f, rd, path, why);
}

/* Parse a buffer with a format row (see reccollect.h). */
void rc_parse_format_mem(rc_set *s, const char *fmt, const void *buf, size_t len)
{
    rc_reset(s);
    const pf_format *f = rc_format(fmt);
    char why[256] = "";
    pf_reader *rd = pf_reader_open_mem(buf, len, PF_CODEC_NONE, why, sizeof why);
    rc_run(s, NULL, NULL, f, rd, "memory", why);
}

/* Find a record by srcname and version (see reccollect.h). */
const rc_rec *rc_find(const rc_set *s, const char *srcname, const char *version)
{
    for (size_t i = 0; i < s->n && s->recs; i++)
        if (strcmp(s->recs[i].srcname, srcname) == 0 &&
            (!version || strcmp(s->recs[i].version, version) == 0))
            return &s->recs[i];
    return NULL;
}

/* Find a record by srcname and version or fail (see reccollect.h). */
const rc_rec *rc_need(const rc_set *s, const char *srcname, const char *version)
{
    const rc_rec *r = rc_find(s, srcname, version);
    if (!r)
        fail_msg("no record %s %s", srcname, version ? version : "");
    return r;
}

/* Find a record by srcname and binnames or fail (see reccollect.h). */
const rc_rec *rc_get(const rc_set *s, const char *srcname, const char *binnames)
{
    for (size_t i = 0; i < s->n && s->recs; i++)
        if (strcmp(s->recs[i].srcname, srcname) == 0 &&
            (!binnames || (s->recs[i].binnames && strcmp(s->recs[i].binnames, binnames) == 0)))
            return &s->recs[i];
    fail_msg("no record %s %s", srcname, binnames ? binnames : "");
    return NULL;
}

/* Count records of a srcname (see reccollect.h). */
size_t rc_count(const rc_set *s, const char *srcname)
{
    size_t k = 0;
    for (size_t i = 0; i < s->n && s->recs; i++)
        k += strcmp(s->recs[i].srcname, srcname) == 0;
    return k;
}

/* Compare a field with an expectation (see reccollect.h). */
void rc_eq(const char *got, const char *want)
{
    if (!want)
        assert_null(got);
    else
        assert_string_equal(got ? got : "(null)", want);
}

/* Free the copies (see reccollect.h). */
void rc_free(rc_set *s)
{
    for (size_t i = 0; i < s->n && s->recs; i++) {
        rc_rec *r = &s->recs[i];
        free(r->srcname);
        free(r->binnames);
        free(r->version);
        free(r->maintainers);
        free(r->homepage);
        free(r->license);
        free(r->category);
        free(r->summary);
    }
    free(s->recs);
    memset(s, 0, sizeof *s);
}
