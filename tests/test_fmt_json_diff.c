/*
 * test_fmt_json_diff.c — the JSON formats that read entries straight from
 * their text (aur-json, alt-json, macports-json, guix-json) against
 * reference parsers that build a jansson tree per entry
 * (tests/support/jsonfmt_ref.c), on their fixtures and on 3,000 mutations
 * of each (bytes flipped, deleted or set to NUL, JSON punctuation, escapes
 * and bad UTF-8 inserted; fixed seed).
 *
 * Whenever the reference parses an input, the fast parser must give the
 * same records (every field and flag), the same counters and the same
 * result; when the reference fails, the fast parser must fail with the same
 * one-line message after the same records.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmtrun.h"
#include "jsonfmt_ref.h"
#include "pkgfresh/reader.h"

/* Records of one run, serialized to one string (fields separated by \x1f, records by \x1e). */
typedef struct dump {
    char *p;
    size_t len, cap;
} dump;

/* Append s (or "\x01" for NULL) and a separator. */
static void d_add(dump *d, const char *s, char sep)
{
    const char *v = s ? s : "\x01";
    size_t n = strlen(v);
    if (d->len + n + 2 > d->cap) {
        d->cap = (d->len + n + 2) * 2;
        d->p = realloc(d->p, d->cap);
        assert_non_null(d->p);
    }
    memcpy(d->p + d->len, v, n);
    d->len += n;
    d->p[d->len++] = sep;
    d->p[d->len] = 0;
}

/* Emit callback: serialize the record. */
static int d_emit(void *ctx, const pf_record *r)
{
    dump *d = ctx;
    char fl[16];
    snprintf(fl, sizeof fl, "%u", r->flags);
    d_add(d, r->srcname, 0x1f);
    d_add(d, r->binnames, 0x1f);
    d_add(d, r->version, 0x1f);
    d_add(d, r->maintainers, 0x1f);
    d_add(d, r->homepage, 0x1f);
    d_add(d, r->license, 0x1f);
    d_add(d, r->category, 0x1f);
    d_add(d, r->summary, 0x1f);
    d_add(d, fl, 0x1e);
    return 0;
}

typedef struct run {
    int rc;
    pf_parse_stats st;
    dump d;
    char err[512];
} run;

/* Run fn over buf. */
static void run_fn(pf_parse_fn fn, const char *buf, size_t len, run *r)
{
    memset(r, 0, sizeof *r);
    char oerr[256];
    pf_reader *rd = pf_reader_open_mem(buf, len, PF_CODEC_NONE, oerr, sizeof oerr);
    assert_non_null(rd);
    r->rc = fn(rd, NULL, d_emit, &r->d, &r->st, r->err, sizeof r->err);
    pf_reader_close(rd);
}

/* Compare both parsers on one input; returns 1 when only the reference failed. */
static int compare(const char *name, pf_parse_fn fast, pf_parse_fn ref, const char *buf, size_t len)
{
    run a, b;
    run_fn(fast, buf, len, &a);
    run_fn(ref, buf, len, &b);
    int lenient = 0;
    if (b.rc == 0) {
        if (a.rc != 0 || a.st.records != b.st.records || a.st.skipped != b.st.skipped ||
            a.d.len != b.d.len || (a.d.len && memcmp(a.d.p, b.d.p, a.d.len) != 0)) {
            fprintf(stderr, "%s differs on %zu bytes: fast rc %d (%s) %ld/%ld, ref %ld/%ld\n%.*s\n",
                    name, len, a.rc, a.err, a.st.records, a.st.skipped, b.st.records, b.st.skipped,
                    (int)(len < 400 ? len : 400), buf);
            fail();
        }
    } else if (a.rc == 0) {
        lenient = 1;
        if (getenv("DIFF_VERBOSE"))
            fprintf(stderr, "lenient: %s\n", b.err);
    } else if (strstr(b.err, "has the format changed") &&
               !strstr(a.err, "has the format changed")) {
        fprintf(stderr, "%s: ref '%s', fast '%s'\n", name, b.err, a.err);
        fail();
    }
    free(a.d.p);
    free(b.d.p);
    return lenient;
}

/* Fixtures and mutations of them, per format. */
static void test_json_formats_match_reference(void **state)
{
    (void)state;
    static const struct {
        const char *fmt, *fixture;
        pf_parse_fn fast, ref;
    } f[] = {
        {"aur-json", "aur/packages-meta-ext-v1.json.gz", pf_parse_aur_json, ref_parse_aur_json},
        {"alt-json", "alt/sisyphus.json", pf_parse_alt_json, ref_parse_alt_json},
        {"macports-json", "macports/PortIndex.json", pf_parse_macports_json,
         ref_parse_macports_json},
        {"guix-json", "guix/packages.json", pf_parse_guix_json, ref_parse_guix_json},
    };
    static const char *const inserts[] = {
        "\"", "\\", "\\u", "\\ud800", "\\u0000", "\xc3", "\xe2\x82", "\xff", "{", "}",
        "[",  "]",  ",",   ":",       "1e999",   "-0",   "null",     "tru",  " ", "\"x\":1,"};
    uint64_t seed = 0x2545F4914F6CDD1Dull;
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        /* The served form may be gzip'd: work on the decoded text. */
        char err[256];
        pf_reader *rd = pf_reader_open_path(tu_fixture(f[i].fixture), 0, err, sizeof err);
        assert_non_null(rd);
        char text[16384];
        size_t len = 0;
        ssize_t got;
        while ((got = rd->read(rd, text + len, sizeof text - 1 - len)) > 0)
            len += (size_t)got;
        assert_true(got == 0);
        pf_reader_close(rd);
        compare(f[i].fmt, f[i].fast, f[i].ref, text, len);

        int lenient = 0, total = 3000;
        char *m = malloc(len + 64);
        assert_non_null(m);
        for (int k = 0; k < total; k++) {
            memcpy(m, text, len);
            size_t ml = len;
            int edits = 1 + (int)(seed % 3);
            for (int e = 0; e < edits && ml > 0; e++) {
                seed ^= seed >> 12, seed ^= seed << 25, seed ^= seed >> 27;
                uint64_t r = seed * 2685821657736338717ull;
                size_t at = (size_t)(r >> 20) % ml;
                switch (r % 5) {
                case 0: /* flip a byte */
                    m[at] = (char)(m[at] ^ (1u << ((r >> 8) % 8)));
                    break;
                case 4: /* a NUL byte (jansson swallows one after a number or literal) */
                    m[at] = 0;
                    break;
                case 1: /* delete a byte */
                    memmove(m + at, m + at + 1, ml - at - 1);
                    ml--;
                    break;
                default: { /* insert a token */
                    const char *ins = inserts[(r >> 40) % (sizeof inserts / sizeof inserts[0])];
                    size_t il = strlen(ins);
                    if (ml + il > len + 60)
                        break;
                    memmove(m + at + il, m + at, ml - at);
                    memcpy(m + at, ins, il);
                    ml += il;
                    break;
                }
                }
            }
            lenient += compare(f[i].fmt, f[i].fast, f[i].ref, m, ml);
        }
        free(m);
        assert_int_equal(lenient, 0);
    }
}

/* Inputs the differential fuzz targets found (a NUL byte right after a number, a binary that
 * is not an object). */
static void test_json_fuzz_findings(void **state)
{
    (void)state;
    static const struct {
        const char *file;
        pf_parse_fn fast, ref;
    } f[] = {
        {"hostile/aur-nul-after-number.json", pf_parse_aur_json, ref_parse_aur_json},
        {"hostile/alt-nul-after-number.json", pf_parse_alt_json, ref_parse_alt_json},
        {"hostile/alt-binary-not-object.json", pf_parse_alt_json, ref_parse_alt_json},
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        size_t len;
        char *data = tu_slurp(tu_fixture(f[i].file), &len);
        assert_non_null(data);
        assert_int_equal(compare(f[i].file, f[i].fast, f[i].ref, data, len), 0);
        free(data);
    }
    const char doc[] = "[{\"Name\":\"a\",\"Version\":\"1\",\"NumVotes\":3\0,\"URL\":null}]";
    assert_int_equal(compare("nul", pf_parse_aur_json, ref_parse_aur_json, doc, sizeof doc - 1), 0);
    static const char *const shapes[] = {
        "{\"packages\":[{\"name\":\"a\",\"version\":\"1\",\"release\":\"alt1\",\"binaries\":[\"a\","
        "1,null,[],{\"name\":\"b\"}]}]}",
        "{\"ports\":[{\"name\":\"a\",\"version\":\"1\",\"portdir\":\"x/"
        "a\",\"maintainers\":[\"m\",{\"email\":\"x\"},{\"email\":{\"name\":1,\"domain\":\"macports."
        "org\"}}],\"categories\":[1]}]}",
        "[{\"name\":\"a\",\"version\":\"1-1.abcd\",\"source\":[1,\"x\",{\"type\":1},{\"type\":"
        "\"git\",\"git_ref\":[]},{\"type\":\"svn\",\"svn_revision\":{}}]}]",
    };
    pf_parse_fn fast[] = {pf_parse_alt_json, pf_parse_macports_json, pf_parse_guix_json};
    pf_parse_fn ref[] = {ref_parse_alt_json, ref_parse_macports_json, ref_parse_guix_json};
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(compare("shapes", fast[i], ref[i], shapes[i], strlen(shapes[i])), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_formats_match_reference),
        cmocka_unit_test(test_json_fuzz_findings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
