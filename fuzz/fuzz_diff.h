/*
 * fuzz_diff.h — differential driver for harnesses whose parser has a
 * reference implementation (static functions only, like fuzz.h).
 *
 * fz_diff runs the parser under test with fz_parse's checks, then the
 * reference, on the same input; any difference in return value, error
 * text, counters or records (every field and flag, serialised) aborts.
 */
#ifndef PKGFRESH_FUZZ_DIFF_H
#define PKGFRESH_FUZZ_DIFF_H

#include "fuzz.h"

/* Everything one parser produced for one input, records serialised as text. */
typedef struct fz_drun {
    int rc;
    char err[512];
    pf_parse_stats st;
    char *text;
    size_t len, cap;
} fz_drun;

/* Append n bytes to the run's text (abort when out of memory: not a finding). */
static void fz_dadd(fz_drun *r, const char *s, size_t n)
{
    if (r->cap - r->len < n + 1) {
        size_t ncap = r->cap ? r->cap * 2 : 4096;
        while (ncap - r->len < n + 1)
            ncap *= 2;
        char *t = realloc(r->text, ncap);
        if (!t)
            abort();
        r->text = t;
        r->cap = ncap;
    }
    memcpy(r->text + r->len, s, n);
    r->len += n;
}

/* Emit callback: the fuzz.h record checks, then each field (NULL as 0x01), flags in hex. */
static int fz_demit(void *ctx, const pf_record *rec)
{
    fz_drun *r = ctx;
    long unused = 0;
    fz_emit(&unused, rec);
    const char *f[] = {rec->srcname,  rec->binnames, rec->version,  rec->maintainers,
                       rec->homepage, rec->license,  rec->category, rec->summary};
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        if (f[i])
            fz_dadd(r, f[i], strlen(f[i]));
        else
            fz_dadd(r, "\x01", 1);
        fz_dadd(r, "\x1f", 1);
    }
    char fl[16];
    int n = snprintf(fl, sizeof fl, "%x\x1e", rec->flags);
    fz_dadd(r, fl, (size_t)n);
    return 0;
}

/* Parse data with fn in variant into *r (rc -2 when the reader cannot be opened). */
static void fz_drun_one(pf_parse_fn fn, const char *variant, const uint8_t *data, size_t size,
                        fz_drun *r)
{
    char oerr[512];
    memset(r, 0, sizeof *r);
    pf_reader *rd = pf_reader_open_mem(data, size, PF_CODEC_NONE, oerr, sizeof oerr);
    if (!rd) {
        r->rc = -2;
        return;
    }
    rd->limit = FZ_MAX_DECODED;
    r->rc = fn(rd, variant, fz_demit, r, &r->st, r->err, sizeof r->err);
    pf_reader_close(rd);
}

/*
 * One input through the parser and its reference, both in variant (the
 * format row's; NULL for most formats); abort on any difference. With
 * same_text 0, two failures may differ in message and counters (a
 * streaming parser and a reference that reads ahead can meet different
 * errors first); records and results must still agree.
 */
static void fz_diff_opt(const char *name, const char *variant, pf_parse_fn fn, pf_parse_fn ref,
                        const uint8_t *data, size_t size, int same_text)
{
    fz_drun a, b;
    fz_drun_one(fn, variant, data, size, &a);
    if (a.rc != 0 && a.rc != -1 && a.rc != -2)
        fz_fail("parser returned neither 0 nor -1 although emit never stopped it");
    if (a.rc == -1 && a.err[0] == 0)
        fz_fail("parser failed without a message");
    if (memchr(a.err, '\n', strnlen(a.err, sizeof a.err)))
        fz_fail("error message spans lines");
    fz_drun_one(ref, variant, data, size, &b);
    int strict = same_text || a.rc == 0;
    if (a.rc != b.rc || (strict && strcmp(a.err, b.err) != 0)) {
        fprintf(stderr, "%s: rc %d \"%s\" vs reference %d \"%s\"\n", name, a.rc, a.err, b.rc,
                b.err);
        fz_fail("parser and reference disagree on the result");
    }
    if (strict && (a.st.records != b.st.records || a.st.skipped != b.st.skipped))
        fz_fail("parser and reference disagree on the counters");
    if (a.len != b.len || (a.len && memcmp(a.text, b.text, a.len) != 0))
        fz_fail("parser and reference disagree on a record");
    free(a.text);
    free(b.text);
}

/* fz_diff_opt with the same message required. */
static inline void fz_diff_variant(const char *name, const char *variant, pf_parse_fn fn,
                                   pf_parse_fn ref, const uint8_t *data, size_t size)
{
    fz_diff_opt(name, variant, fn, ref, data, size, 1);
}

/* fz_diff_variant for a format without variants. */
static inline void fz_diff(const char *name, pf_parse_fn fn, pf_parse_fn ref, const uint8_t *data,
                           size_t size)
{
    fz_diff_variant(name, NULL, fn, ref, data, size);
}

#endif
