/*
 * fuzz_nix_json.c — libFuzzer harness for pf_parse_nix_json (format.h): the input is the
 * index as served (compressed or not); see fuzz.h for the checks.
 *
 * Differential as well: every input is also parsed by the jansson-based
 * reference parser (tests/support/nix_json_ref.c, compiled into this
 * harness), and any difference in records, counters, return value or error
 * text aborts.
 */
#include "fuzz.h"

#include "nix_json_ref.c"

/* Everything one parser produced for one input, records serialised as text. */
typedef struct fz_nix_run {
    int rc;
    char err[512];
    pf_parse_stats st;
    char *text;
    size_t len, cap;
} fz_nix_run;

/* Append n bytes to the run's text (abort when out of memory: not a finding). */
static void fz_nix_add(fz_nix_run *r, const char *s, size_t n)
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

/* Emit callback: the fuzz.h record checks, then each field (NULL as 0x01) and 0x1f, 0x1e. */
static int fz_nix_emit(void *ctx, const pf_record *rec)
{
    fz_nix_run *r = ctx;
    long unused = 0;
    fz_emit(&unused, rec);
    const char *f[] = {rec->srcname,  rec->binnames, rec->version,  rec->maintainers,
                       rec->homepage, rec->license,  rec->category, rec->summary};
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        if (f[i])
            fz_nix_add(r, f[i], strlen(f[i]));
        else
            fz_nix_add(r, "\x01", 1);
        fz_nix_add(r, "\x1f", 1);
    }
    fz_nix_add(r, rec->flags ? "1\x1e" : "0\x1e", 2);
    return 0;
}

typedef pf_parse_fn fz_nix_parse_fn;

/* Parse data with fn into *r. */
static void fz_nix_run_one(fz_nix_parse_fn fn, const uint8_t *data, size_t size, fz_nix_run *r)
{
    char oerr[512];
    memset(r, 0, sizeof *r);
    pf_reader *rd = pf_reader_open_mem(data, size, PF_CODEC_NONE, oerr, sizeof oerr);
    if (!rd) {
        r->rc = -2;
        return;
    }
    rd->limit = FZ_MAX_DECODED;
    r->rc = fn(rd, NULL, fz_nix_emit, r, &r->st, r->err, sizeof r->err);
    pf_reader_close(rd);
}

/* One input: fz_parse's checks on the parser, then the parser against the reference. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_nix_run a, b;
    fz_nix_run_one(pf_parse_nix_json, data, size, &a);
    if (a.rc != 0 && a.rc != -1 && a.rc != -2)
        fz_fail("parser returned neither 0 nor -1 although emit never stopped it");
    if (a.rc == -1 && a.err[0] == 0)
        fz_fail("parser failed without a message");
    if (memchr(a.err, '\n', strnlen(a.err, sizeof a.err)))
        fz_fail("error message spans lines");
    fz_nix_run_one(nix_ref_parse_stats, data, size, &b);
    if (a.rc != b.rc || strcmp(a.err, b.err) != 0) {
        fprintf(stderr, "nix-json: rc %d \"%s\" vs reference %d \"%s\"\n", a.rc, a.err, b.rc,
                b.err);
        fz_fail("extractor and jansson reference disagree on the result");
    }
    if (a.st.records != b.st.records || a.st.skipped != b.st.skipped)
        fz_fail("extractor and jansson reference disagree on the counters");
    if (a.len != b.len || (a.len && memcmp(a.text, b.text, a.len) != 0))
        fz_fail("extractor and jansson reference disagree on a record");
    free(a.text);
    free(b.text);
    return 0;
}
