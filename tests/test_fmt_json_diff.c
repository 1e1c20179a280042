/*
 * test_fmt_json_diff.c — the JSON formats that read entries straight from
 * their text (aur-json, alt-json, macports-json, guix-json, homebrew-cask-json,
 * cygwin-json, homebrew-json, and the json-export dialects) against
 * reference parsers that build a jansson tree per entry
 * (tests/support/jsonfmt_ref.c, tests/support/json_export_ref.c), on their fixtures and on 3,000
 * mutations of each (bytes flipped, deleted or set to NUL, JSON punctuation, escapes and bad UTF-8
 * inserted; fixed seed).
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

#include "json_export_ref.h"
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

/* Run fn over buf (variant: the format row's, NULL for most). */
static void run_fn(pf_parse_fn fn, const char *variant, const char *buf, size_t len, run *r)
{
    memset(r, 0, sizeof *r);
    char oerr[256];
    pf_reader *rd = pf_reader_open_mem(buf, len, PF_CODEC_NONE, oerr, sizeof oerr);
    assert_non_null(rd);
    r->rc = fn(rd, variant, d_emit, &r->d, &r->st, r->err, sizeof r->err);
    pf_reader_close(rd);
}

/*
 * Compare both parsers on one input (in the dialect variant, NULL for most
 * formats); returns 1 when only the reference failed. With strict, a failure
 * must also be the same: the same message after the same records.
 */
static int compare_variant(const char *name, const char *variant, int strict, pf_parse_fn fast,
                           pf_parse_fn ref, const char *buf, size_t len)
{
    run a, b;
    run_fn(fast, variant, buf, len, &a);
    run_fn(ref, variant, buf, len, &b);
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
    } else if (strict && (a.rc != b.rc || strcmp(a.err, b.err) != 0 || a.d.len != b.d.len ||
                          (a.d.len && memcmp(a.d.p, b.d.p, a.d.len) != 0))) {
        fprintf(stderr, "%s fails differently on %zu bytes: fast %d '%s', ref %d '%s'\n%.*s\n",
                name, len, a.rc, a.err, b.rc, b.err, (int)(len < 400 ? len : 400), buf);
        fail();
    } else if (strstr(b.err, "has the format changed") &&
               !strstr(a.err, "has the format changed")) {
        fprintf(stderr, "%s: ref '%s', fast '%s'\n", name, b.err, a.err);
        fail();
    }
    free(a.d.p);
    free(b.d.p);
    return lenient;
}

/* compare_variant for the formats without a variant, failures compared loosely. */
static int compare(const char *name, pf_parse_fn fast, pf_parse_fn ref, const char *buf, size_t len)
{
    return compare_variant(name, NULL, 0, fast, ref, buf, len);
}

/* Tokens the mutations insert. */
static const char *const inserts[] = {
    "\"", "\\", "\\u", "\\ud800", "\\u0000", "\xc3", "\xe2\x82", "\xff", "{",        "}", "[",
    "]",  ",",  ":",   "1e999",   "-0",      "null", "tru",      " ",    "\"x\":1,", "\n"};

/* The decoded text of a fixture (it may be served compressed) into text[0..cap); its length. */
static size_t read_fixture(const char *fixture, char *text, size_t cap)
{
    char err[256];
    pf_reader *rd = pf_reader_open_path(tu_fixture(fixture), 0, err, sizeof err);
    assert_non_null(rd);
    size_t len = 0;
    ssize_t got;
    while ((got = rd->read(rd, text + len, cap - 1 - len)) > 0)
        len += (size_t)got;
    assert_true(got == 0);
    pf_reader_close(rd);
    return len;
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
        {"homebrew-cask-json", "homebrew_casks/cask.json", pf_parse_homebrew_cask_json,
         ref_parse_homebrew_cask_json},
        {"cygwin-json", "cygwin/packages.json.xz", pf_parse_cygwin_json, ref_parse_cygwin_json},
        {"homebrew-json", "formats/formula.json", pf_parse_homebrew_json, ref_parse_homebrew_json},
    };
    uint64_t seed = 0x2545F4914F6CDD1Dull;
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        char text[16384];
        size_t len = read_fixture(f[i].fixture, text, sizeof text);
        compare(f[i].fmt, f[i].fast, f[i].ref, text, len);
        int lenient = 0;
        char *m = malloc(len + 64);
        assert_non_null(m);
        for (int k = 0; k < 3000; k++) {
            size_t ml =
                tu_mutate(text, len, m, &seed, inserts, sizeof inserts / sizeof inserts[0] - 1);
            lenient += compare(f[i].fmt, f[i].fast, f[i].ref, m, ml);
        }
        free(m);
        assert_int_equal(lenient, 0);
    }
}

/*
 * json-export, every dialect: its fixture and 3,000 mutations of it (new
 * lines too, for NDJSON), compared strictly: the same records, counters,
 * result and message.
 */
static void test_json_export_matches_reference(void **state)
{
    (void)state;
    static const char *const f[][2] = {
        {"termux", "json-export/termux.json"},
        {"spack", "json-export/spack.json"},
        {"exherbo", "json-export/exherbo.json"},
        {"aosc", "json-export/aosc.json"},
        {"crux", "json-export/crux.json"},
        {"chromebrew", "json-export/chromebrew.json"},
        {"ravenports", "json-export/ravenports.json"},
        {"yacp", "json-export/yacp.json.xz"},
        {"pacstall", "json-export/pacstall.json"},
        {"stalix", "json-export/stalix.ndjson"},
        {"salix", "json-export/salix.json"},
        {"ptxdist", "json-export/ptxdist.json"},
    };
    uint64_t seed = 0x9E3779B97F4A7C15ull;
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        char text[16384];
        size_t len = read_fixture(f[i][1], text, sizeof text);
        assert_int_equal(compare_variant(f[i][0], f[i][0], 1, pf_parse_json_export,
                                         ref_parse_json_export, text, len),
                         0);
        char *m = malloc(len + 64);
        assert_non_null(m);
        for (int k = 0; k < 3000; k++) {
            size_t ml = tu_mutate(text, len, m, &seed, inserts, sizeof inserts / sizeof inserts[0]);
            compare_variant(f[i][0], f[i][0], 1, pf_parse_json_export, ref_parse_json_export, m,
                            ml);
        }
        free(m);
    }
}

/*
 * json-export: the shapes the fixtures lack (values of the wrong type,
 * escaped and repeated member names, paths through objects, entries that
 * are not objects, NDJSON lines with white space or junk around them).
 */
static void test_json_export_shapes(void **state)
{
    (void)state;
    static const char *const c[][2] = {
        {"termux",
         "[{\"name\":\"a\",\"version\":\"1\",\"maintainer\":\"Jo <j@x.org> @jo\"},5,"
         "{\"name\":1,\"version\":\"2\"},{\"na\\u006de\":\"b\",\"version\":\"1\",\"name\":"
         "\"c\",\"maintainer\":\"@\"},{\"name\":\"d\",\"version\":\"1\",\"maintainer\":[]}]"},
        {"spack",
         "{\"x\":1,\"packages\":{\"a\":{\"name\":\"a\",\"version\":[{\"version\":\"1.0\"},"
         "{\"version\":\"2.0\"},{\"version\":\"develop\",\"branch\":null},5,{\"version\":3},"
         "{\"version\":\"\"}],\"homepages\":[1,\"h\"],\"maintainers\":[\"x\",2]},\"b\":[],"
         "\"c\":{\"name\":\"c\",\"version\":\"1\"},\"d\":{\"name\":\"d\",\"version\":[]}}}"},
        {"ravenports",
         "{\"ravenports\":[{\"namebase\":\"a\",\"version\":\"1\",\"variants\":[{\"sdesc\":"
         "\"s\"}],\"keywords\":[\"k\"],\"contacts\":[{\"email\":\"a@b\"},1,{\"email\":2}]},"
         "{\"namebase\":\"b\",\"version\":\"1\",\"variants\":{\"0\":{\"sdesc\":\"t\"}},"
         "\"keywords\":\"kw\"},{\"namebase\":\"c\",\"version\":\"1\",\"variants\":[1,{}]}]}"},
        {"stalix",
         "{\"pkg_name\":\"a\",\"pkg_ver\":\"1\",\"lang_module\":\"python\",\"maintainers\":"
         "\"m@x\"}\n  [1]\r\n{\"pkg_name\":\"b\",\"pkg_ver\":\"2\",\"lang_module\":\"perl\","
         "\"maintainers\":[\"a@x\",1,\"b@x\"]}  \n\t{\"pkg_name\":\"c\",\"pkg_ver\":\"1\","
         "\"lang_module\":\"go\"}\n{\"pkg_name\":\"d\",\"pkg_ver\":\"1\"} x\n"},
        {"stalix",
         "{\"pkg_name\":\"a\",\"pkg_ver\":\"1\"}\n\"s\"\n{\"pkg_name\":\"b\",\"pkg_ver\":\"1\"}"},
        {"yacp",
         "{\"packages\":[{\"name\":\"a\",\"version\":\"1\",\"subpackages\":[{\"name\":\"a1\"},"
         "1,{\"name\":2},{\"name\":\"a2\"}]},{\"name\":\"b\",\"version\":\"1\",\"subpackages\":"
         "{}}]}"},
        {"aosc", "{\"packages\":[{\"name\":\"a\",\"version\":\"1:999\",\"category\":\"meta\"},"
                 "{\"name\":\"m\",\"version\":\"1\",\"category\":\"meta\",\"section\":\"bases\"},"
                 "{\"name\":\"b\",\"version\":\"2\",\"pkg_section\":[\"x\"]}]}"},
        {"chromebrew",
         "[{\"name\":\"a\",\"version\":\"1\",\"license\":[\"MIT\",1,\"\",\"GPL\"],"
         "\"homepage\":[\"h1\",\"h2\"]},{\"name\":\"b\",\"version\":\"1\",\"license\":"
         "{\"x\":1}}]"},
        {"exherbo", "[{\"name\":\"a\",\"version\":\"scm-r2\",\"homepage\":\"  h1 h2\"},"
                    "{\"name\":\"b\",\"version\":\"1\",\"homepage\":\" \"}]"},
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++)
        assert_int_equal(compare_variant(c[i][0], c[i][0], 1, pf_parse_json_export,
                                         ref_parse_json_export, c[i][1], strlen(c[i][1])),
                         0);
    /* NDJSON lines have no splitter depth limit: jansson's (2048, scalars included) holds */
    char *line = malloc(8192);
    assert_non_null(line);
    for (int k = 2045; k <= 2049; k++)
        for (int scalar = 0; scalar < 2; scalar++) {
            size_t n = (size_t)sprintf(line, "{\"pkg_name\":\"a\",\"pkg_ver\":\"1\",\"x\":");
            memset(line + n, '[', (size_t)k);
            n += (size_t)k;
            if (scalar)
                line[n++] = '1';
            memset(line + n, ']', (size_t)k);
            n += (size_t)k;
            n += (size_t)sprintf(line + n, "}\n{\"pkg_name\":\"b\",\"pkg_ver\":\"2\"}\n");
            assert_int_equal(compare_variant("stalix depth", "stalix", 1, pf_parse_json_export,
                                             ref_parse_json_export, line, n),
                             0);
        }
    free(line);
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
        cmocka_unit_test(test_json_export_matches_reference),
        cmocka_unit_test(test_json_export_shapes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
