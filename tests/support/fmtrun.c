/*
 * fmtrun.c — parser runner for the format tests (fmtrun.h).
 */
#include "fmtrun.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkgfresh/reader.h"
#include "testutil.h"

/* strdup that keeps NULL and fails the test when out of memory. */
static char *fr_dup(const char *s)
{
    if (!s)
        return NULL;
    char *d = strdup(s);
    assert_non_null(d);
    return d;
}

/* The invariants of any record (see fmtrun.h). */
static int fr_is_bad(const pf_record *rec)
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

/* Emit callback: check and copy one record. */
static int fr_emit(void *ctx, const pf_record *rec)
{
    fr_result *r = ctx;
    r->bad |= fr_is_bad(rec);
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 16;
        r->recs = realloc(r->recs, r->cap * sizeof *r->recs);
        assert_non_null(r->recs);
    }
    fr_rec *c = &r->recs[r->n++];
    c->srcname = fr_dup(rec->srcname);
    c->binnames = fr_dup(rec->binnames);
    c->version = fr_dup(rec->version);
    c->maintainers = fr_dup(rec->maintainers);
    c->homepage = fr_dup(rec->homepage);
    c->license = fr_dup(rec->license);
    c->category = fr_dup(rec->category);
    c->summary = fr_dup(rec->summary);
    c->flags = rec->flags;
    return 0;
}

/* Run format fmt over reader rd into r, then close rd. */
static void fr_run(const char *fmt, pf_reader *rd, fr_result *r)
{
    const pf_format *f = pf_format_find(fmt);
    if (!f)
        fail_msg("unknown format %s", fmt);
    memset(r, 0, sizeof *r);
    r->rc = pf_format_parse(f, rd, fr_emit, r, &r->stats, r->err, sizeof r->err);
    pf_reader_close(rd);
    if (r->rc != 0 && (!r->err[0] || strchr(r->err, '\n')))
        fail_msg("%s failed without a one-line message", fmt);
}

/* Parse a file (see fmtrun.h). */
void fr_parse_path(const char *fmt, const char *path, fr_result *r)
{
    char err[256];
    pf_reader *rd = pf_reader_open_path(path, 0, err, sizeof err);
    if (!rd)
        fail_msg("open %s: %s", path, err);
    fr_run(fmt, rd, r);
}

/* Parse a buffer (see fmtrun.h). */
void fr_parse_mem(const char *fmt, const void *buf, size_t len, fr_result *r)
{
    char err[256];
    pf_reader *rd = pf_reader_open_mem(buf, len, PF_CODEC_NONE, err, sizeof err);
    if (!rd)
        fail_msg("open memory: %s", err);
    fr_run(fmt, rd, r);
}

/* First record by srcname and binnames (see fmtrun.h). */
const fr_rec *fr_find(const fr_result *r, const char *srcname, const char *binnames)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->recs[i].srcname, srcname) == 0 &&
            (!binnames || (r->recs[i].binnames && strcmp(r->recs[i].binnames, binnames) == 0)))
            return &r->recs[i];
    fail_msg("no record %s %s", srcname, binnames ? binnames : "");
    return NULL;
}

/* Records with srcname. */
size_t fr_count(const fr_result *r, const char *srcname)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n; i++)
        n += strcmp(r->recs[i].srcname, srcname) == 0;
    return n;
}

/* Free every copy. */
void fr_free(fr_result *r)
{
    for (size_t i = 0; i < r->n; i++) {
        fr_rec *c = &r->recs[i];
        free(c->srcname);
        free(c->binnames);
        free(c->version);
        free(c->maintainers);
        free(c->homepage);
        free(c->license);
        free(c->category);
        free(c->summary);
    }
    free(r->recs);
    memset(r, 0, sizeof *r);
}
