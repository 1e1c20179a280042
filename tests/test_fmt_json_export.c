/*
 * test_fmt_json_export.c — the json-export reader (every dialect), its
 * helpers (NDJSON lines, Repology's extract_maintainers), the msys2-db and
 * apkindex-text variants, and the separator-stripping version schemes.
 *
 * Fixtures are in the form each server sends: plain JSON files
 * (tests/fixtures/json-export/), YACP's xz-compressed packages.json,
 * stal/IX's NDJSON dump, an MSYS2 ucrt64.db.tar.zst made with repo-add from
 * hand-written .PKGINFO files (tests/fixtures/msys2/), and a Chimera-style
 * plain-text APKINDEX (tests/fixtures/apkindex-text/). Expected values are
 * what Repology's parser of each distribution yields for the same entry.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkgfresh/format.h"
#include "pkgfresh/maintainers.h"
#include "pkgfresh/ndjson.h"
#include "pkgfresh/normalize.h"
#include "pkgfresh/reader.h"
#include "pkgfresh/record.h"
#include "reccollect.h"

/* Every json-export record has a name and a version: fail the test at once otherwise. */
static int names_present(void *arg, const pf_record *rec)
{
    (void)arg;
    assert_non_null(rec->srcname);
    assert_non_null(rec->version);
    return 0;
}

/* Parse a reader with the format row `fmt`; returns the parser's result. */
static int parse_reader(const char *fmt, pf_reader *rd, rc_set *out, pf_parse_stats *st, char *err,
                        size_t errlen)
{
    const pf_format *f = pf_format_find(fmt);
    assert_non_null(f);
    err[0] = '\0';
    out->check = names_present;
    out->stop_rc = 5;
    return pf_format_parse(f, rd, rc_emit, out, st, err, errlen);
}

/* Parse fixture `rel` (decoded as its codec says) with format `fmt`. */
static int parse_fixture(const char *fmt, const char *rel, rc_set *out, pf_parse_stats *st,
                         char *err, size_t errlen)
{
    char why[256];
    pf_reader *rd = pf_reader_open_path(tu_fixture(rel), 0, why, sizeof why);
    if (!rd)
        fail_msg("%s: %s", rel, why);
    int rc = parse_reader(fmt, rd, out, st, err, errlen);
    pf_reader_close(rd);
    return rc;
}

/* Parse an in-memory text with format `fmt`. */
static int parse_text(const char *fmt, const char *text, rc_set *out, pf_parse_stats *st, char *err,
                      size_t errlen)
{
    char why[256];
    pf_reader *rd = pf_reader_open_mem(text, strlen(text), PF_CODEC_NONE, why, sizeof why);
    assert_non_null(rd);
    int rc = parse_reader(fmt, rd, out, st, err, errlen);
    pf_reader_close(rd);
    return rc;
}

/* The version after normalization by the format's scheme. */
static const char *norm(const char *fmt, const char *raw)
{
    static char out[256];
    unsigned flags = 0;
    pf_normalize_version(pf_vscheme_for_format(fmt), raw, out, sizeof out, &flags);
    return out;
}

/* ---- dialects ------------------------------------------------------------- */

/* Termux: one name (the seed), "@user" maintainers, epochs dropped through the last ':'. */
static void test_termux(void **state)
{
    (void)state;
    rc_set l = {0};
    pf_parse_stats st;
    char err[256];
    assert_int_equal(
        parse_fixture("termux-json", "json-export/termux.json", &l, &st, err, sizeof err), 0);
    assert_int_equal(l.n, 5);
    assert_int_equal(st.records, 5);
    assert_int_equal(st.skipped, 1); /* the empty version */
    const rc_rec *r = rc_need(&l, "aapt", NULL);
    rc_eq(r->binnames, NULL); /* Repology's TERMUX_NAME is a plain name, no binary name */
    rc_eq(r->version, "13.0.0.6");
    rc_eq(r->summary, "Android Asset Packaging Tool");
    rc_eq(r->homepage, "https://elinux.org/Android_aapt");
    rc_eq(r->maintainers, "termux@termux");
    r = rc_need(&l, "apt", NULL);
    rc_eq(r->maintainers, "maintainers@termux.dev");
    r = rc_need(&l, "libandroid-support", NULL);
    rc_eq(r->version, "1:29");
    rc_eq(norm("termux-json", r->version), "29");
    rc_eq(r->maintainers, "fredrik@fornwall.net,fornwall@termux");
    r = rc_need(&l, "dpkg", NULL);
    rc_eq(norm("termux-json", r->version), "1.22.6");
    rc_eq(r->maintainers, "grimler91@termux");
    r = rc_need(&l, "neovim-nightly", NULL);
    rc_eq(r->version, "0.11.0~dev-1234+gabcdef0");
    rc_eq(r->maintainers, "tomjo2000@termux");
    rc_eq(r->license, NULL);
    rc_eq(r->category, NULL);
    assert_int_equal(r->flags, 0);
    rc_free(&l);
}

/* Spack: the greatest release plus every branch version (ROLLING), maintainers "x@spack". */
static void test_spack(void **state)
{
    (void)state;
    rc_set l = {0};
    pf_parse_stats st;
    char err[256];
    assert_int_equal(
        parse_fixture("spack-json", "json-export/spack.json", &l, &st, err, sizeof err), 0);
    assert_int_equal(l.n, 5);
    assert_int_equal(st.skipped, 1); /* no-versions */
    /* zlib: the branch first, then 1.3.1 (greater than 1.3 and 1.2.13, listed in between) */
    assert_string_equal(l.recs[0].srcname, "zlib");
    assert_string_equal(l.recs[0].version, "develop");
    assert_int_equal(l.recs[0].flags, PF_F_ROLLING);
    assert_string_equal(l.recs[1].version, "1.3.1");
    assert_int_equal(l.recs[1].flags, 0);
    rc_eq(l.recs[1].homepage, "https://zlib.net");
    rc_eq(l.recs[1].maintainers, "axelhuebl@spack");
    rc_eq(l.recs[1].license, NULL); /* Repology does not read spack licences */
    /* numpy: libversion puts 2.2.0rc1 above 2.1.10 and 2.1.3 */
    const rc_rec *r = rc_need(&l, "py-numpy", "2.2.0rc1");
    assert_int_equal(r->flags, 0);
    rc_eq(r->maintainers, "adamjstewart@spack,rgommers@spack");
    assert_int_equal(rc_need(&l, "py-numpy", "main")->flags, PF_F_ROLLING);
    r = rc_need(&l, "epoch-example", NULL);
    rc_eq(norm("spack-json", r->version), "0.9");
    rc_eq(r->homepage, NULL);
    rc_eq(r->maintainers, NULL);
    rc_free(&l);
}

/* Exherbo: name seeds, category kept, first homepage, -rN stripped later, scm ROLLING. */
static void test_exherbo(void **state)
{
    (void)state;
    rc_set l = {0};
    pf_parse_stats st;
    char err[256];
    assert_int_equal(
        parse_fixture("exherbo-json", "json-export/exherbo.json", &l, &st, err, sizeof err), 0);
    assert_int_equal(l.n, 5);
    assert_int_equal(st.skipped, 1);
    const rc_rec *r = rc_need(&l, "zlib", NULL);
    rc_eq(r->category, "sys-libs");
    rc_eq(r->homepage, "https://www.zlib.net/");
    rc_eq(r->summary, "Standard (de)compression library");
    rc_eq(r->binnames, NULL);
    assert_int_equal(r->flags, 0);
    r = rc_need(&l, "gcc", NULL);
    rc_eq(r->version, "14.2.0-r2");
    rc_eq(norm("exherbo-json", r->version), "14.2.0");
    assert_int_equal(rc_need(&l, "neovim", NULL)->flags, PF_F_ROLLING);
    r = rc_need(&l, "kernel", NULL);
    assert_int_equal(r->flags, PF_F_ROLLING); /* "6.12-scm" once -r1 is cut */
    rc_eq(norm("exherbo-json", r->version), "6.12-scm");
    r = rc_need(&l, "scmless", NULL);
    assert_int_equal(r->flags, 0);
    rc_eq(r->homepage, NULL); /* "" */
    rc_free(&l);
}

/* AOSC: meta/bases dropped (not counted), null version skipped, 999 IGNORE, epoch stripped. */
static void test_aosc(void **state)
{
    (void)state;
    rc_set l = {0};
    pf_parse_stats st;
    char err[256];
    assert_int_equal(parse_fixture("aosc-json", "json-export/aosc.json", &l, &st, err, sizeof err),
                     0);
    assert_int_equal(l.n, 3);
    assert_int_equal(st.skipped, 1);
    const rc_rec *r = rc_need(&l, "gcc", NULL);
    rc_eq(r->version, "1:14.2.0");
    rc_eq(norm("aosc-json", r->version), "14.2.0");
    rc_eq(r->category, "devel");
    rc_eq(r->binnames, "gcc");
    rc_eq(r->summary, "GNU Compiler Collection");
    assert_int_equal(rc_need(&l, "linux+kernel", NULL)->flags, PF_F_IGNORE);
    assert_int_equal(rc_need(&l, "zlib", NULL)->flags, 0);
    for (size_t i = 0; i < l.n; i++)
        assert_string_not_equal(l.recs[i].srcname, "aosc-aaa");
    rc_free(&l);
}

/* CRUX: "ports" list, prose maintainers (obfuscated ones give nothing), "${" names skipped. */
static void test_crux(void **state)
{
    (void)state;
    rc_set l = {0};
    pf_parse_stats st;
    char err[256];
    assert_int_equal(parse_fixture("crux-json", "json-export/crux.json", &l, &st, err, sizeof err),
                     0);
    assert_int_equal(l.n, 4);
    assert_int_equal(st.skipped, 1);
    const rc_rec *r = rc_need(&l, "zlib", NULL);
    rc_eq(r->maintainers, NULL); /* "core-ports at crux dot nu" is no address */
    rc_eq(r->homepage, "https://www.zlib.net");
    rc_eq(r->summary, "A compression library");
    rc_eq(rc_need(&l, "ffmpeg", NULL)->maintainers, "danny@example.com");
    rc_eq(rc_need(&l, "tmux", NULL)->maintainers, "jue@example.org,tim@example.net");
    rc_eq(rc_need(&l, "orphan", NULL)->maintainers, NULL);
    rc_eq(norm("crux-json", "3.5a"), "3.5a");
    rc_free(&l);
}

/* Chromebrew: licence as a string or a list; version as is. */
static void test_chromebrew(void **state)
{
    (void)state;
    rc_set l = {0};
    pf_parse_stats st;
    char err[256];
    assert_int_equal(
        parse_fixture("chromebrew-json", "json-export/chromebrew.json", &l, &st, err, sizeof err),
        0);
    assert_int_equal(l.n, 4);
    assert_int_equal(st.skipped, 0);
    rc_eq(rc_need(&l, "gcc", NULL)->version, "14.2.0-icu75.1");
    rc_eq(norm("chromebrew-json", "14.2.0-icu75.1"), "14.2.0-icu75.1");
    rc_eq(rc_need(&l, "gcc", NULL)->license, "GPL-3, LGPL-3, libgcc, FDL-1.2");
    rc_eq(rc_need(&l, "neovim", NULL)->license, "Apache-2.0, vim");
    rc_eq(rc_need(&l, "nolicense", NULL)->license, NULL);
    rc_eq(rc_need(&l, "zlib", NULL)->homepage, "https://www.zlib.net/");
    rc_free(&l);
}

/* Ravenports: namebase, first keyword, first variant's sdesc, contact e-mails. */
static void test_ravenports(void **state)
{
    (void)state;
    rc_set l = {0};
    pf_parse_stats st;
    char err[256];
    assert_int_equal(
        parse_fixture("ravenports-json", "json-export/ravenports.json", &l, &st, err, sizeof err),
        0);
    assert_int_equal(l.n, 3);
    const rc_rec *r = rc_need(&l, "zlib", NULL);
    rc_eq(r->binnames, NULL);
    rc_eq(r->category, "archivers");
    rc_eq(r->summary, "Lossless data-compression library");
    rc_eq(r->maintainers, "draco@marino.st");
    rc_eq(r->homepage, "https://zlib.net");
    r = rc_need(&l, "python-setuptools-scm", NULL);
    rc_eq(r->category, "python");
    rc_eq(r->summary, "Manage Python package versions by scm tags");
    rc_eq(r->maintainers, NULL);
    rc_eq(r->homepage, NULL);
    rc_eq(rc_need(&l, "no-variants", NULL)->summary, NULL);
    rc_free(&l);
}

/* YACP: xz-compressed as served; subpackages are the binary names. */
static void test_yacp(void **state)
{
    (void)state;
    rc_set l = {0};
    pf_parse_stats st;
    char err[256];
    assert_int_equal(
        parse_fixture("yacp-json", "json-export/yacp.json.xz", &l, &st, err, sizeof err), 0);
    assert_int_equal(l.n, 3);
    const rc_rec *r = rc_need(&l, "zlib", NULL);
    rc_eq(r->binnames, "mingw64-x86_64-zlib mingw64-x86_64-zlib-devel");
    rc_eq(r->category, "Libs");
    rc_eq(r->summary, "Compression library");
    r = rc_need(&l, "python-setuptools-scm", NULL);
    rc_eq(r->binnames, NULL);
    rc_eq(r->category, "Python");
    rc_eq(r->version, "8.1.0+bl1");
    rc_eq(rc_need(&l, "tmux", NULL)->homepage, "https://github.com/tmux/tmux");
    rc_free(&l);
}

/* pacstall: maintainers from objects; version cut at the last '-', then the epoch. */
static void test_pacstall(void **state)
{
    (void)state;
    rc_set l = {0};
    pf_parse_stats st;
    char err[256];
    assert_int_equal(
        parse_fixture("pacstall-json", "json-export/pacstall.json", &l, &st, err, sizeof err), 0);
    assert_int_equal(l.n, 3);
    const rc_rec *r = rc_need(&l, "neovim-git", NULL);
    rc_eq(r->maintainers, "elsie19@pm.me");
    rc_eq(norm("pacstall-json", r->version), "0.11.0-dev-1234-gabcdef0");
    r = rc_need(&l, "zoom-deb", NULL);
    rc_eq(norm("pacstall-json", r->version), "6.2.10.4983");
    rc_eq(r->maintainers, NULL);
    rc_eq(rc_need(&l, "fastfetch", NULL)->maintainers, "oren@example.org");
    rc_eq(rc_need(&l, "fastfetch", NULL)->homepage, NULL);
    rc_free(&l);
}

/* stal/IX: NDJSON lines, python:/perl: seeds, other modules unprefixed, blank lines passed. */
static void test_stalix(void **state)
{
    (void)state;
    rc_set l = {0};
    pf_parse_stats st;
    char err[256];
    assert_int_equal(
        parse_fixture("stalix-ndjson", "json-export/stalix.ndjson", &l, &st, err, sizeof err), 0);
    assert_int_equal(l.n, 4);
    assert_int_equal(st.skipped, 1);
    const rc_rec *r = rc_need(&l, "zlib", NULL);
    rc_eq(r->binnames, "lib/z");
    rc_eq(r->category, "lib");
    rc_eq(r->maintainers, "pg83@stal-ix.org");
    r = rc_need(&l, "python:setuptools-scm", NULL);
    rc_eq(r->version, "8.1.0");
    rc_eq(r->binnames, "pip/setuptools_scm");
    rc_eq(r->maintainers, "pg83@stal-ix.org");
    rc_eq(rc_need(&l, "perl:Try-Tiny", NULL)->version, "0.32");
    rc_eq(rc_need(&l, "serde", NULL)->maintainers, "pg83@stal-ix.org"); /* a string, not a list */
    rc_free(&l);
}

/* Salix and PTXdist: the simplest dialects. */
static void test_salix_ptxdist(void **state)
{
    (void)state;
    rc_set l = {0};
    pf_parse_stats st;
    char err[256];
    assert_int_equal(
        parse_fixture("salix-json", "json-export/salix.json", &l, &st, err, sizeof err), 0);
    assert_int_equal(l.n, 3);
    rc_eq(rc_need(&l, "gimp", NULL)->version, "2.8.22");
    rc_eq(rc_need(&l, "gimp", NULL)->summary, "gimp (The GNU Image Manipulation Program)");
    rc_eq(rc_need(&l, "salixtools", NULL)->summary, NULL);
    rc_free(&l);
    assert_int_equal(
        parse_fixture("ptxdist-json", "json-export/ptxdist.json", &l, &st, err, sizeof err), 0);
    assert_int_equal(l.n, 2);
    rc_eq(rc_need(&l, "busybox", NULL)->license, "GPL-2.0-only");
    rc_eq(rc_need(&l, "zlib", NULL)->homepage, NULL); /* upstream_urls are downloads */
    rc_free(&l);
}

/* ---- failures -------------------------------------------------------------- */

/* A renamed field fails the crawl with one line instead of an empty repository. */
static void test_schema_change_fails(void **state)
{
    (void)state;
    rc_set l = {0};
    pf_parse_stats st;
    char err[256];
    const char *renamed = "[{\"pkgname\":\"a\",\"version\":\"1\"},{\"pkgname\":\"b\",\"version\":"
                          "\"2\"},{\"name\":\"c\",\"version\":\"3\"}]";
    assert_int_equal(parse_text("chromebrew-json", renamed, &l, &st, err, sizeof err), -1);
    assert_non_null(strstr(err, "chromebrew-json: 2 of 3 entries"));
    assert_non_null(strstr(err, "layout changed"));
    assert_null(strchr(err, '\n'));
    rc_free(&l);
    /* the list moved: an object where an array was */
    assert_int_equal(parse_text("termux-json", "{\"packages\":[]}", &l, &st, err, sizeof err), -1);
    assert_non_null(strstr(err, "termux-json: invalid JSON at byte 0"));
    /* the member is gone */
    assert_int_equal(parse_text("crux-json", "{\"packages\":[]}", &l, &st, err, sizeof err), -1);
    assert_non_null(strstr(err, "no top-level \"ports\" member"));
    /* an empty list is no error by itself (the catalog's min_packages floor catches it) */
    assert_int_equal(parse_text("crux-json", "{\"ports\":[]}", &l, &st, err, sizeof err), 0);
    assert_int_equal(l.n, 0);
    rc_free(&l);
}

/* Truncation, bad entries, bad NDJSON lines and unknown dialects: one-line errors. */
static void test_broken_input(void **state)
{
    (void)state;
    rc_set l = {0};
    pf_parse_stats st;
    char err[256];
    assert_int_equal(parse_text("salix-json", "{\"packages\":[{\"name\":\"a\",\"ver\":\"1\"},{\"na",
                                &l, &st, err, sizeof err),
                     -1);
    assert_non_null(strstr(err, "salix-json: truncated JSON"));
    rc_free(&l);
    assert_int_equal(
        parse_text("exherbo-json", "[{\"name\":\"a\",\"version\":tru}]", &l, &st, err, sizeof err),
        -1);
    assert_non_null(strstr(err, "exherbo-json: invalid JSON at byte"));
    /* entries that are not objects are skipped and counted */
    assert_int_equal(parse_text("ptxdist-json",
                                "[1,{\"name\":\"a\",\"version\":\"1\"},{\"name\":\"b\",\"version\":"
                                "\"2\"},{\"name\":\"c\",\"version\":5}]",
                                &l, &st, err, sizeof err),
                     0);
    assert_int_equal(st.records, 2);
    assert_int_equal(st.skipped, 2);
    rc_free(&l);
    const char *nd = "{\"pkg_name\":\"a\",\"pkg_ver\":\"1\"}\n{\"pkg_name\":\"b\",\"pkg_";
    assert_int_equal(parse_text("stalix-ndjson", nd, &l, &st, err, sizeof err), -1);
    assert_non_null(strstr(err, "stalix-ndjson: line 2: invalid JSON"));
    assert_int_equal(l.n, 1);
    rc_free(&l);
    pf_format bogus = {"bogus", pf_parse_json_export, "", "no-such-dialect"};
    pf_reader *rd = pf_reader_open_mem("[]", 2, PF_CODEC_NONE, err, sizeof err);
    assert_int_equal(pf_format_parse(&bogus, rd, rc_emit, &l, &st, err, sizeof err), -1);
    assert_string_equal(err, "json-export: unknown dialect 'no-such-dialect'");
    pf_reader_close(rd);
}

/* A consumer that asks to stop gets its value back at once, in every shape. */
static void test_emit_stop(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"spack-json", "json-export/spack.json"},
        {"termux-json", "json-export/termux.json"},
        {"stalix-ndjson", "json-export/stalix.ndjson"},
        {"aosc-json", "json-export/aosc.json"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rc_set l = {0};
        l.stop_after = 1;
        pf_parse_stats st;
        char err[256];
        assert_int_equal(parse_fixture(cases[i][0], cases[i][1], &l, &st, err, sizeof err), 5);
        assert_int_equal(l.n, 1);
        rc_free(&l);
    }
}

/* ---- helpers -------------------------------------------------------------- */

/* Repology's extract_maintainers, case by case. */
static void test_extract_maintainers(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"Jane Doe <Jane@Example.org>", "jane@example.org"},
        {"a@b.org, C@D.org", "a@b.org,c@d.org"},
        {"z@z.org a@a.org", "a@a.org,z@z.org"}, /* sorted */
        {"John (jd at example dot org)", ""},
        {"contact me: x@y.org please", ""}, /* a bare address among words is not taken */
        {"<<odd@x.org>>", "odd@x.org"},
        {"@user", ""},
        {"user@", ""},
        {"dup@x.org, Dup@X.org", "dup@x.org"},
        {"", ""},
        {"   ,  , ", ""},
        {"A <a@x.org>, b@y.org, words c@z.org", "a@x.org,b@y.org"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *list = NULL;
        size_t len = 0, cap = 0;
        assert_true(pf_maint_extract(cases[i][0], strlen(cases[i][0]), &list, &len, &cap) >= 0);
        if (strcmp(list ? list : "", cases[i][1]) != 0 && !(len == 0 && !cases[i][1][0]))
            fail_msg("extract(%s) = %s, want %s", cases[i][0], list ? list : "", cases[i][1]);
        free(list);
    }
}

/* NDJSON: lines handed out without leading white space, blank ones passed over, jansson's
 * verdict with the line number. */
static void test_ndjson(void **state)
{
    (void)state;
    const char *text = "{\"a\":1}\n\n  \n [2]\r\n\"s\"\n{bad}\n";
    char err[256];
    pf_reader *rd = pf_reader_open_mem(text, strlen(text), PF_CODEC_NONE, err, sizeof err);
    pf_ndjson *nd = pf_ndjson_new(rd, 0);
    assert_non_null(nd);
    const char *t;
    size_t n;
    assert_int_equal(pf_ndjson_next(nd, &t, &n), 1);
    assert_int_equal(n, 7);
    assert_memory_equal(t, "{\"a\":1}", 7);
    assert_int_equal(pf_ndjson_lineno(nd), 1);
    assert_int_equal(pf_ndjson_judge(nd, t, n), 0);
    assert_int_equal(pf_ndjson_next(nd, &t, &n), 1);
    assert_true(n >= 3 && memcmp(t, "[2]", 3) == 0);
    assert_int_equal(pf_ndjson_lineno(nd), 4);
    assert_int_equal(pf_ndjson_judge(nd, t, n), 0);
    assert_int_equal(pf_ndjson_next(nd, &t, &n), 1);
    assert_int_equal(pf_ndjson_judge(nd, t, n), 0);
    assert_int_equal(pf_ndjson_next(nd, &t, &n), 1);
    assert_int_equal(pf_ndjson_judge(nd, t, n), -1);
    assert_non_null(strstr(pf_ndjson_error(nd), "line 6: invalid JSON at column 4"));
    assert_int_equal(pf_ndjson_next(nd, &t, &n), -1); /* stays failed */
    pf_ndjson_free(nd);
    pf_reader_close(rd);
}

/* The stripper schemes, and which format uses which. */
static void test_strip_schemes(void **state)
{
    (void)state;
    static const char *const cases[][3] = {
        {"termux-json", "1:2:3.4", "3.4"},
        {"termux-json", "3.4", "3.4"},
        {"spack-json", "1:2:3.4", "2:3.4"},
        {"aosc-json", "2:1.0", "1.0"},
        {"pacstall-json", "1:2.3-1", "2.3"},
        {"pacstall-json", "2.3", "2.3"},
        {"pacstall-json", "1-2-3", "1-2"},
        {"msys2-db", "1~3.0.4-1", "3.0.4"},
        {"msys2-db", "14.2.0-2", "14.2.0"},
        {"msys2-db", "8.1.0+dfsg-1", "8.1.0+dfsg"},
        {"exherbo-json", "1.2-r3", "1.2"},
        {"exherbo-json", "1.2-rc3", "1.2-rc3"},
        {"apkindex-text", "1.3.1-r1", "1.3.1"},
        {"salix-json", "1:2-3", "1:2-3"},
        {"spack-json", "", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (strcmp(norm(cases[i][0], cases[i][1]), cases[i][2]) != 0)
            fail_msg("%s %s -> %s, want %s", cases[i][0], cases[i][1],
                     norm(cases[i][0], cases[i][1]), cases[i][2]);
    char small[4];
    assert_int_equal(pf_normalize_strip(PF_VS_EPOCH, "1:123456", small, sizeof small), 3);
    assert_string_equal(small, "123");
}

/* ---- the variants of existing formats --------------------------------------- */

/* MSYS2: zstd .db from repo-add; split packages grouped; PACKAGER gives maintainers. */
static void test_msys2(void **state)
{
    (void)state;
    rc_set l = {0};
    pf_parse_stats st;
    char err[256];
    assert_int_equal(parse_fixture("msys2-db", "msys2/ucrt64.db.tar.zst", &l, &st, err, sizeof err),
                     0);
    assert_int_equal(l.n, 5);
    assert_int_equal(st.skipped, 0);
    const rc_rec *r = rc_need(&l, "mingw-w64-gcc", NULL);
    rc_eq(r->binnames, "mingw-w64-ucrt-x86_64-gcc mingw-w64-ucrt-x86_64-gcc-libs");
    rc_eq(r->version, "14.2.0-2");
    rc_eq(r->maintainers, "alexpux@gmail.com");
    rc_eq(r->category, "mingw-w64-ucrt-x86_64-toolchain");
    rc_eq(r->license, "spdx:GPL-3.0-or-later, spdx:LGPL-3.0-or-later");
    r = rc_need(&l, "mingw-w64-libjpeg-turbo", NULL);
    rc_eq(r->version, "1~3.0.4-1");
    rc_eq(norm("msys2-db", r->version), "3.0.4");
    rc_eq(r->maintainers, "nathbappai@gmail.com,reiter.christoph@gmail.com");
    r = rc_need(&l, "mingw-w64-zlib", NULL);
    rc_eq(r->maintainers, NULL); /* "CI (msys2/msys2-autobuild/...)" */
    rc_eq(r->homepage, "https://www.zlib.net/");
    rc_eq(r->category, NULL);
    /* plain arch-db on the same file keeps ignoring %PACKAGER% */
    rc_free(&l);
    assert_int_equal(parse_fixture("arch-db", "msys2/ucrt64.db.tar.zst", &l, &st, err, sizeof err),
                     0);
    assert_int_equal(l.n, 5);
    rc_eq(rc_need(&l, "mingw-w64-gcc", NULL)->maintainers, NULL);
    rc_eq(rc_need(&l, "mingw-w64-gcc", NULL)->category, NULL);
    rc_free(&l);
    /* errors name the format row, not the reader behind it */
    assert_int_equal(parse_text("msys2-db", "not a tar", &l, &st, err, sizeof err), -1);
    assert_memory_equal(err, "msys2-db: ", 10);
    assert_null(strchr(err, '\n'));
}

/* Chimera: the APKINDEX records as plain text, grouped by origin. */
static void test_apkindex_text(void **state)
{
    (void)state;
    rc_set l = {0};
    pf_parse_stats st;
    char err[256];
    assert_int_equal(
        parse_fixture("apkindex-text", "apkindex-text/APKINDEX", &l, &st, err, sizeof err), 0);
    assert_int_equal(l.n, 4);
    assert_int_equal(st.skipped, 1);
    const rc_rec *r = rc_need(&l, "zlib", NULL);
    rc_eq(r->binnames, "zlib zlib-devel");
    rc_eq(r->version, "1.3.1-r1");
    rc_eq(r->maintainers, "q66@chimera-linux.org");
    rc_eq(r->license, "Zlib");
    rc_eq(rc_need(&l, "base-files", NULL)->maintainers, "q66@chimera-linux.org");
    rc_eq(rc_need(&l, "fastfetch", NULL)->version, "2.30.1_git20241120-r0");
    rc_free(&l);
    /* the tar.gz reader refuses the bare text; the text reader refuses what is not APKINDEX */
    assert_int_equal(parse_fixture("apkindex", "apkindex-text/APKINDEX", &l, &st, err, sizeof err),
                     -1);
    rc_free(&l);
    assert_int_equal(parse_text("apkindex-text", "<html>\n<body>Not Found</body>\n</html>\n", &l,
                                &st, err, sizeof err),
                     -1);
    assert_non_null(strstr(err, "apkindex-text: no APKINDEX record"));
    rc_free(&l);
}

/* Run pkgfresh with args on the test's database; returns stdout (malloc'd), fails on non-zero. */
static char *run_cli(const char *db, const char *const *args)
{
    char *argv[16] = {(char *)tu_pkgfresh(), "--db", (char *)db, "--rules", "none"};
    size_t n = 5;
    for (; *args && n < 15; args++)
        argv[n++] = (char *)*args;
    argv[n] = NULL;
    char *out = NULL, *errout = NULL;
    int rc = tu_run(argv, &out, &errout);
    if (rc != 0)
        fail_msg("%s %s: exit %d: %s", argv[5], argv[6], rc, errout ? errout : "");
    free(errout);
    return out;
}

/* The catalog rows reach the analyzer: each repository's scheme strips as Repology's parser. */
static void test_crawl_from_fixtures(void **state)
{
    (void)state;
    char db[512];
    snprintf(db, sizeof db, "%s/db.sqlite", tu_tmpdir("json_export_cli"));
    static const char *const crawls[][2] = {
        {"termux", "json-export/termux.json"},
        {"msys2_ucrt64", "msys2/ucrt64.db.tar.zst"},
        {"spack", "json-export/spack.json"},
        {"chimera", "apkindex-text/APKINDEX"},
    };
    for (size_t i = 0; i < sizeof crawls / sizeof crawls[0]; i++) {
        const char *args[] = {
            "-q", "crawl", crawls[i][0], "--from", tu_fixture(crawls[i][1]), "--min-packages",
            "1",  NULL};
        free(run_cli(db, args));
    }
    const char *termux[] = {"packages", "termux", "--format", "csv", NULL};
    char *out = run_cli(db, termux);
    assert_non_null(strstr(out, "dpkg,2:1.22.6,1.22.6,"));
    assert_non_null(strstr(out, "libandroid-support,1:29,29,"));
    free(out);
    const char *msys2[] = {"packages", "msys2", "--format", "csv", NULL};
    out = run_cli(db, msys2);
    assert_non_null(strstr(out, "mingw-w64-libjpeg-turbo,1~3.0.4-1,3.0.4,"));
    assert_non_null(strstr(out, "mingw-w64-gcc,14.2.0-2,14.2.0,"));
    free(out);
    const char *spack[] = {"packages", "spack", "--format", "csv", NULL};
    out = run_cli(db, spack);
    assert_non_null(strstr(out, "epoch-example,1:0.9,0.9,"));
    /* flags, status, binnames */
    assert_non_null(strstr(out, "zlib,develop,develop,zlib,rolling,rolling,\n"));
    free(out);
    const char *chimera[] = {"packages", "chimera", "--format", "csv", NULL};
    out = run_cli(db, chimera);
    assert_non_null(strstr(out, "zlib,1.3.1-r1,1.3.1,zlib,"));
    free(out);
}

/* Every dialect row names a dialect the reader knows, and the formats list them all. */
static void test_format_rows(void **state)
{
    (void)state;
    static const char *const names[] = {
        "termux-json",   "spack-json",      "exherbo-json",    "aosc-json",
        "crux-json",     "chromebrew-json", "ravenports-json", "yacp-json",
        "pacstall-json", "stalix-ndjson",   "salix-json",      "ptxdist-json",
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const pf_format *f = pf_format_find(names[i]);
        assert_non_null(f);
        assert_ptr_equal(f->parse, pf_parse_json_export);
        rc_set l = {0};
        pf_parse_stats st;
        char err[256];
        pf_reader *rd = pf_reader_open_mem("x", 1, PF_CODEC_NONE, err, sizeof err);
        int rc = pf_format_parse(f, rd, rc_emit, &l, &st, err, sizeof err);
        pf_reader_close(rd);
        /* "x" is no JSON in any dialect: a one-line error naming the format */
        assert_int_equal(rc, -1);
        assert_memory_equal(err, names[i], strlen(names[i]));
        rc_free(&l);
    }
    assert_string_equal(pf_format_find("msys2-db")->variant, "msys2");
    assert_string_equal(pf_format_find("apkindex-text")->variant, "text");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_termux),
        cmocka_unit_test(test_spack),
        cmocka_unit_test(test_exherbo),
        cmocka_unit_test(test_aosc),
        cmocka_unit_test(test_crux),
        cmocka_unit_test(test_chromebrew),
        cmocka_unit_test(test_ravenports),
        cmocka_unit_test(test_yacp),
        cmocka_unit_test(test_pacstall),
        cmocka_unit_test(test_stalix),
        cmocka_unit_test(test_salix_ptxdist),
        cmocka_unit_test(test_schema_change_fails),
        cmocka_unit_test(test_broken_input),
        cmocka_unit_test(test_emit_stop),
        cmocka_unit_test(test_extract_maintainers),
        cmocka_unit_test(test_ndjson),
        cmocka_unit_test(test_strip_schemes),
        cmocka_unit_test(test_msys2),
        cmocka_unit_test(test_apkindex_text),
        cmocka_unit_test(test_format_rows),
        cmocka_unit_test(test_crawl_from_fixtures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
