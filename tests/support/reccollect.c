/*
 * reccollect.c — parse a fixture and keep copies of the records (reccollect.h).
 */
#include "reccollect.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pkgfresh/reader.h"

/* strdup that keeps NULL and fails the test when out of memory. */
static char *rc_dup(const char *s)
{
    if (!s)
        return NULL;
    char *d = strdup(s);
    assert_non_null(d);
    return d;
}

/* Emit callback: copy the record. */
static int rc_emit(void *ctx, const pf_record *rec)
{
    rc_set *s = ctx;
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 16;
        s->recs = realloc(s->recs, s->cap * sizeof *s->recs);
        assert_non_null(s->recs);
    }
    rc_rec *r = &s->recs[s->n++];
    r->srcname = rc_dup(rec->srcname);
    r->binnames = rc_dup(rec->binnames);
    r->version = rc_dup(rec->version);
    r->maintainers = rc_dup(rec->maintainers);
    r->homepage = rc_dup(rec->homepage);
    r->license = rc_dup(rec->license);
    r->category = rc_dup(rec->category);
    r->summary = rc_dup(rec->summary);
    r->flags = rec->flags;
    return 0;
}

/* Run fn over an open reader into s. */
static void rc_run(rc_set *s, pf_parse_fn fn, const char *variant, pf_reader *rd)
{
    assert_non_null(rd);
    s->rc = fn(rd, variant, rc_emit, s, &s->stats, s->err, sizeof s->err);
    pf_reader_close(rd);
    assert_int_equal(s->stats.records, (long)s->n);
}

/* Parse a file (see reccollect.h). */
void rc_parse_path(rc_set *s, pf_parse_fn fn, const char *variant, const char *path)
{
    memset(s, 0, sizeof *s);
    char err[256];
    rc_run(s, fn, variant, pf_reader_open_path(path, 0, err, sizeof err));
}

/* Parse a buffer (see reccollect.h). */
void rc_parse_mem(rc_set *s, pf_parse_fn fn, const char *variant, const void *buf, size_t len)
{
    memset(s, 0, sizeof *s);
    char err[256];
    rc_run(s, fn, variant, pf_reader_open_mem(buf, len, PF_CODEC_NONE, err, sizeof err));
}

/* Find a record (see reccollect.h). */
const rc_rec *rc_find(const rc_set *s, const char *srcname, const char *version)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->recs[i].srcname, srcname) == 0 &&
            (!version || strcmp(s->recs[i].version, version) == 0))
            return &s->recs[i];
    return NULL;
}

/* Count records of a srcname (see reccollect.h). */
size_t rc_count(const rc_set *s, const char *srcname)
{
    size_t k = 0;
    for (size_t i = 0; i < s->n; i++)
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
    for (size_t i = 0; i < s->n; i++) {
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
