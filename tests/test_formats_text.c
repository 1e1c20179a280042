/*
 * test_formats_text.c — the JSON and line-based index formats: the JSON
 * splitter (crawler/jsonstream.c), nix-json, homebrew-json, freebsd-index,
 * slackware, tsv, and the nix/homebrew version normalizers.
 *
 * Fixtures in tests/fixtures/formats/ are excerpts in the true formats
 * (packages.json v2, formula.json, INDEX-14, PACKAGES.TXT, tsv lists). The
 * real-data tests parse the whole nixpkgs packages.json (with a peak-RSS
 * check in a forked child), the Alpine/Void/Homebrew lists and the
 * repology-rs FreeBSD fixtures from ../shared/realdata, skipping when absent.
 */
#include "testutil.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <valgrind/valgrind.h>

#include "pkgfresh/format.h"
#include "pkgfresh/jsonstream.h"
#include "pkgfresh/normalize.h"
#include "pkgfresh/reader.h"
#include "pkgfresh/record.h"
#include "reccollect.h"

/* Parse a file with a stats parser into c; returns the parser's result. */
static int parse_path(pf_parse_fn fn, const char *path, pf_emit_fn emit, void *c,
                      pf_parse_stats *st, char *err, size_t errlen)
{
    char oerr[256];
    pf_reader *r = pf_reader_open_path(path, 0, oerr, sizeof oerr);
    if (!r)
        fail_msg("open %s: %s", path, oerr);
    int rc = fn(r, NULL, emit, c, st, err, errlen);
    pf_reader_close(r);
    return rc;
}

/* Parse a memory buffer with a stats parser; returns the parser's result. */
static int parse_mem(pf_parse_fn fn, const void *buf, size_t len, rc_set *c, pf_parse_stats *st,
                     char *err, size_t errlen)
{
    char oerr[256];
    pf_reader *r = pf_reader_open_mem(buf, len, PF_CODEC_NONE, oerr, sizeof oerr);
    if (!r)
        fail_msg("open mem: %s", oerr);
    err[0] = '\0';
    int rc = fn(r, NULL, rc_emit, c, st, err, errlen);
    pf_reader_close(r);
    return rc;
}

/* Wall-clock seconds. */
static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---------------------------------------------------------------- jsonstream */

/* All entries of a document, as NUL-separated copies; returns the next() result that ended. */
static int js_all(const char *doc, size_t len, pf_js_shape shape, size_t max_entry, int max_depth,
                  char out[][128], int maxout, int *count, char *err, size_t errlen)
{
    char oerr[256];
    pf_reader *r = pf_reader_open_mem(doc, len, PF_CODEC_NONE, oerr, sizeof oerr);
    assert_non_null(r);
    pf_jsonstream *js = pf_jsonstream_new(r, shape, "packages", max_depth, max_entry);
    assert_non_null(js);
    int got;
    *count = 0;
    pf_js_entry e;
    while ((got = pf_jsonstream_next(js, &e)) == 1) {
        assert_int_equal(e.text[e.len], '\0');
        if (*count < maxout)
            snprintf(out[*count], 128, "%s", e.text);
        (*count)++;
    }
    snprintf(err, errlen, "%s", pf_jsonstream_error(js));
    /* Once failed or done, it stays so. */
    assert_int_equal(pf_jsonstream_next(js, &e), got);
    pf_jsonstream_free(js);
    pf_reader_close(r);
    return got;
}

/* Array elements and "packages" members come out as standalone JSON texts. */
static void test_js_split(void **state)
{
    (void)state;
    char out[8][128];
    int n;
    char err[256];
    const char *arr = " [ {\"a\":1}, 2 ,\"x,]\\\"\" ,[1,[2]],null,-1.5e3,true ]\n";
    assert_int_equal(js_all(arr, strlen(arr), PF_JS_ARRAY, 0, 0, out, 8, &n, err, sizeof err), 0);
    assert_int_equal(n, 7);
    assert_string_equal(out[0], "{\"a\":1}");
    assert_string_equal(out[1], "2");
    assert_string_equal(out[2], "\"x,]\\\"\"");
    assert_string_equal(out[3], "[1,[2]]");
    assert_string_equal(out[4], "null");
    assert_string_equal(out[5], "-1.5e3");
    assert_string_equal(out[6], "true");

    const char *obj = "\xEF\xBB\xBF{\"version\":2, \"skip\":{\"packages\":{\"no\":1}},"
                      "\"packages\" : {\"a\":{\"x\":\"}\"} , \"b\\\"c\" : [1]},"
                      "\"after\":[{\"]\":\"[\"}]}";
    assert_int_equal(js_all(obj, strlen(obj), PF_JS_MEMBERS, 0, 0, out, 8, &n, err, sizeof err), 0);
    assert_int_equal(n, 2);
    assert_string_equal(out[0], "{\"a\":{\"x\":\"}\"}}");
    assert_string_equal(out[1], "{\"b\\\"c\" : [1]}");
    /* Each is valid JSON for jansson. */
    for (int i = 0; i < n; i++) {
        json_t *j = json_loads(out[i], 0, NULL);
        assert_non_null(j);
        json_decref(j);
    }

    /* Empty containers. */
    assert_int_equal(js_all("[]", 2, PF_JS_ARRAY, 0, 0, out, 8, &n, err, sizeof err), 0);
    assert_int_equal(n, 0);
    const char *empty = "{\"packages\":{}}";
    assert_int_equal(js_all(empty, strlen(empty), PF_JS_MEMBERS, 0, 0, out, 8, &n, err, sizeof err),
                     0);
    assert_int_equal(n, 0);
}

/* Entries spanning the 64 KiB read chunks come out whole and in order. */
static void test_js_chunks(void **state)
{
    (void)state;
    size_t cap = 3u << 20, len = 0;
    char *doc = malloc(cap);
    assert_non_null(doc);
    len += (size_t)sprintf(doc + len, "{\"version\":2,\"packages\":{");
    int want = 5000;
    for (int i = 0; i < want; i++) {
        /* Entry sizes vary from ~30 to ~700 bytes, so boundaries fall everywhere. */
        len +=
            (size_t)sprintf(doc + len, "%s\"p%d\":{\"name\":\"p%d-1.%d\",\"d\":\"%.*s\\\"\"}",
                            i ? "," : "", i, i, i, (i * 37) % 640,
                            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
        assert_true(len + 4096 < cap);
    }
    len += (size_t)sprintf(doc + len, "}}");
    char oerr[256];
    pf_reader *r = pf_reader_open_mem(doc, len, PF_CODEC_NONE, oerr, sizeof oerr);
    pf_jsonstream *js = pf_jsonstream_new(r, PF_JS_MEMBERS, "packages", 0, 0);
    pf_js_entry e;
    int i = 0, got;
    while ((got = pf_jsonstream_next(js, &e)) == 1) {
        json_error_t jerr;
        json_t *j = json_loadb(e.text, e.len, 0, &jerr);
        if (!j)
            fail_msg("entry %d: %s", i, jerr.text);
        char key[32];
        snprintf(key, sizeof key, "p%d", i);
        json_t *v = json_object_get(j, key);
        assert_non_null(v);
        /* The entry's offset points at its key in the document. */
        assert_memory_equal(doc + e.offset, "\"", 1);
        assert_memory_equal(doc + e.offset + 1, key, strlen(key));
        json_decref(j);
        i++;
    }
    assert_int_equal(got, 0);
    assert_int_equal(i, want);
    assert_int_equal(pf_jsonstream_offset(js), len);
    pf_jsonstream_free(js);
    pf_reader_close(r);
    free(doc);
}

/* Expect js_all to fail with a message containing `needle`. */
static void js_expect_error(const char *doc, size_t len, pf_js_shape shape, size_t max_entry,
                            const char *needle)
{
    char out[1][128];
    int n;
    char err[256];
    int rc = js_all(doc, len, shape, max_entry, 0, out, 1, &n, err, sizeof err);
    if (rc != -1 || !strstr(err, needle))
        fail_msg("doc %.40s: rc %d, err \"%s\", wanted \"%s\"", doc, rc, err, needle);
}

/* The spans of an entry: its containers at levels 1-3, in order, each at its brackets. */
static void test_js_spans(void **state)
{
    (void)state;
    static const char doc[] =
        "{\"packages\":{\"a\" : {\"x\":[1,{\"y\":[[]]}],\"s\":\"{[\",\"m\":{\"p\":[\"q\"]}}}}";
    char oerr[256];
    pf_reader *r = pf_reader_open_mem(doc, strlen(doc), PF_CODEC_NONE, oerr, sizeof oerr);
    assert_non_null(r);
    pf_jsonstream *js = pf_jsonstream_new(r, PF_JS_MEMBERS, "packages", 0, 0);
    assert_non_null(js);
    pf_js_entry e;
    assert_int_equal(pf_jsonstream_next(js, &e), 1);
    assert_string_equal(e.text,
                        "{\"a\" : {\"x\":[1,{\"y\":[[]]}],\"s\":\"{[\",\"m\":{\"p\":[\"q\"]}}}");
    static const char *const want[] = {
        "{\"x\":[1,{\"y\":[[]]}],\"s\":\"{[\",\"m\":{\"p\":[\"q\"]}}", /* level 1 */
        "[1,{\"y\":[[]]}]",
        "{\"y\":[[]]}", /* levels 2, 3 ([[]] is level 4) */
        "{\"p\":[\"q\"]}",
        "[\"q\"]",
    };
    assert_int_equal(e.nspans, sizeof want / sizeof want[0]);
    for (size_t k = 0; k < e.nspans; k++) {
        size_t l = e.spans[k].close + 1 - e.spans[k].open;
        if (l != strlen(want[k]) || memcmp(e.text + e.spans[k].open, want[k], l) != 0)
            fail_msg("span %zu: %.*s", k, (int)l, e.text + e.spans[k].open);
    }
    assert_int_equal(pf_jsonstream_next(js, &e), 0);
    pf_jsonstream_free(js);
    pf_reader_close(r);
}

/* pf_js_plain_end against a byte loop: every special byte at every offset, random buffers. */
static void test_js_plain_end(void **state)
{
    (void)state;
    static const unsigned char special[] = {'"', '\\', 0x00, 0x01, 0x1f, 0x80, 0xc3, 0xff};
    unsigned char buf[40];
    uint64_t seed = 12345;
    for (int round = 0; round < 20000; round++) {
        size_t len = round < 2000 ? 24 : (size_t)(seed % 40);
        for (size_t i = 0; i < sizeof buf; i++) {
            seed = seed * 6364136223846793005u + 1442695040888963407u;
            /* mostly plain printable bytes, now and then one from special[] */
            unsigned r = (unsigned)(seed >> 33);
            buf[i] = r % 16 == 0 ? special[(r >> 4) % sizeof special]
                                 : (unsigned char)(0x20 + (r >> 4) % 0x5f);
            if (buf[i] == '"' && r % 16 != 0)
                buf[i] = 'a';
        }
        if (round < 2000) { /* exactly one special byte, at each offset in turn */
            for (size_t i = 0; i < len; i++)
                if (buf[i] < 0x20 || buf[i] >= 0x7f || buf[i] == '"' || buf[i] == '\\')
                    buf[i] = 'x';
            buf[round % len] = special[(size_t)(round / 24) % sizeof special];
        }
        for (int high = 0; high <= 1; high++) {
            size_t want = 0;
            while (want < len && buf[want] != '"' && buf[want] != '\\' && buf[want] >= 0x20 &&
                   !(high && buf[want] >= 0x80))
                want++;
            const unsigned char *got = pf_js_plain_end(buf, buf + len, high);
            if (got != buf + want)
                fail_msg("round %d len %zu high %d: %td, want %zu", round, len, high, got - buf,
                         want);
        }
    }
}

/* Broken structure: clear one-line errors with byte offsets, never a crash. */
static void test_js_errors(void **state)
{
    (void)state;
    js_expect_error("[1,2 3]", 7, PF_JS_ARRAY, 0, "at byte 5: expected ',' or ']', got '3'");
    js_expect_error("[1,2,]", 6, PF_JS_ARRAY, 0, "at byte 5: expected a value, got ']'");
    js_expect_error("[{\"a\":1]", 8, PF_JS_ARRAY, 0, "at byte 7");
    js_expect_error("[1", 2, PF_JS_ARRAY, 0, "truncated JSON at byte 2");
    js_expect_error("[\"abc", 5, PF_JS_ARRAY, 0, "truncated JSON at byte 5 (inside a string)");
    js_expect_error("", 0, PF_JS_ARRAY, 0, "truncated");
    js_expect_error("{}", 2, PF_JS_ARRAY, 0, "expected '[' (a top-level array), got '{'");
    js_expect_error("[1] x", 5, PF_JS_ARRAY, 0, "at byte 4: expected the end of the document");
    js_expect_error("{\"version\":2}", 13, PF_JS_MEMBERS, 0, "no top-level \"packages\" member");
    js_expect_error("{\"packages\":[1]}", 16, PF_JS_MEMBERS, 0, "the \"packages\" object");
    js_expect_error("{\"packages\":{1:2}}", 18, PF_JS_MEMBERS, 0, "expected a member name");
    js_expect_error("{\"packages\":{\"a\" 2}}", 20, PF_JS_MEMBERS, 0, "expected ':'");
    js_expect_error("{\"packages\":{\"a\":{}}", 20, PF_JS_MEMBERS, 0, "truncated");
    /* A raw NUL or newline inside a string. */
    js_expect_error("[\"a\0b\"]", 7, PF_JS_ARRAY, 0, "control byte 0x00");
    js_expect_error("[\"a\nb\"]", 7, PF_JS_ARRAY, 0, "control byte 0x0a");
    /* An entry larger than the limit. */
    js_expect_error("[\"0123456789abcdef\"]", 20, PF_JS_ARRAY, 10, "larger than 10 bytes");

    /* 10,000 nested '[': the depth limit stops it. */
    size_t n = 10000;
    char *deep = malloc(2 * n + 1);
    memset(deep, '[', n);
    memset(deep + n, ']', n);
    deep[2 * n] = 0;
    js_expect_error(deep, 2 * n, PF_JS_ARRAY, 0, "nested deeper than 64 levels");
    /* 64 levels in all is fine. */
    assert_int_equal(js_all(deep + n - 64, 128, PF_JS_ARRAY, 0, 0, (char(*)[128])NULL, 0,
                            (int[]){0}, (char[256]){0}, 256),
                     0);
    free(deep);

    /* A 20 MB string: over the default 16 MiB entry limit. */
    size_t big = 20u << 20;
    char *huge = malloc(big + 8);
    huge[0] = '[';
    huge[1] = '"';
    memset(huge + 2, 'a', big);
    memcpy(huge + 2 + big, "\"]", 2);
    js_expect_error(huge, big + 4, PF_JS_ARRAY, 0, "larger than 16777216 bytes");
    free(huge);
}

/* ---------------------------------------------------------------- nix-json */

/* The fixture: pname / no pname, licence and maintainer variants, drops. */
static void test_nix_fixture(void **state)
{
    (void)state;
    rc_set c = {0};
    pf_parse_stats st;
    char err[256] = "";
    int rc = parse_path(pf_parse_nix_json, tu_fixture("formats/nix-packages.json"), rc_emit, &c,
                        &st, err, sizeof err);
    if (rc != 0)
        fail_msg("%s", err);
    assert_false(c.bad);
    assert_int_equal(st.records, 6);
    assert_int_equal(st.skipped, 3); /* empty version, unsplittable name, wrong types */
    assert_int_equal(c.n, 6);

    const rc_rec *r = rc_need(&c, "hello", NULL); /* srcname: the attribute path */
    assert_string_equal(r->version, "2.10");
    assert_string_equal(r->binnames, "hello"); /* binnames: pname, the seed */
    assert_null(r->category);
    assert_string_equal(r->summary, "A program that produces a familiar, friendly greeting");
    assert_string_equal(r->homepage, "https://www.gnu.org/software/hello/manual/");
    assert_string_equal(r->license, "GPL-3.0-or-later");
    assert_string_equal(r->maintainers, "edolstra+nixpkgs@gmail.com");
    assert_int_equal(r->flags, 0);

    r = rc_need(&c, "python38Packages.requests", NULL);
    assert_string_equal(r->version, "2.23.0");
    assert_string_equal(r->binnames, "python3.8-requests");
    assert_string_equal(r->category, "python38Packages");
    assert_string_equal(r->license, "Apache-2.0, Some Custom Licence");
    assert_null(r->maintainers);

    /* No pname: name split at the first "-digit"; homepage list; old and github maintainers. */
    r = rc_need(&c, "gitAndTools.hub", NULL);
    assert_string_equal(r->binnames, "hub");
    assert_string_equal(r->version, "2.14.2");
    assert_string_equal(r->category, "gitAndTools");
    assert_string_equal(r->summary, "Command-line wrapper for git that makes you better at GitHub");
    assert_string_equal(r->homepage, "https://hub.github.com/");
    assert_string_equal(r->license, "mit");
    assert_string_equal(r->maintainers, "globin@github,old@example.org,edolstra+nixpkgs@gmail.com");

    /* No pname but a version field: the name part from the lazy split, the version as given. */
    r = rc_need(&c, "xorg.fontadobe100dpi", NULL);
    assert_string_equal(r->binnames, "font-adobe");
    assert_string_equal(r->version, "1.0.3");
    assert_int_equal(r->flags, PF_F_UNTRUSTED); /* no meta.position, as Repology's parser */
    assert_string_equal(r->category, "xorg");
    assert_string_equal(r->license, "Unfree");
    assert_null(r->summary);
    assert_null(r->homepage);

    r = rc_need(&c, "nixos-icons", NULL);
    assert_string_equal(r->version, "2017-03-16");
    assert_string_equal(r->license, "CC-BY-4.0");

    /* \u escapes (incl. a surrogate pair) decoded to UTF-8; brackets inside strings. */
    r = rc_need(&c, "caf\xc3\xa9", NULL);
    assert_string_equal(r->binnames, "caf\xc3\xa9");
    assert_string_equal(r->version, "0.1-unstable-2020-05-19");
    assert_string_equal(r->summary, "Gr\xc3\xbc\xc3\x9f"
                                    "e \xf0\x9f\x98\x80 and \"quotes\" and \\ backslash } ] {");
    assert_null(r->maintainers);
    rc_free(&c);

    /* The consumer can stop the parser: its value comes back. */
    c.stop_after = 2;
    rc = parse_path(pf_parse_nix_json, tu_fixture("formats/nix-packages.json"), rc_emit, &c, &st,
                    err, sizeof err);
    assert_int_equal(rc, 7);
    assert_int_equal(c.n, 2);
    rc_free(&c);
}

/* Hostile nix documents: an error naming the byte, never a crash. */
static void test_nix_hostile(void **state)
{
    (void)state;
    static const struct {
        const char *doc;
        size_t len;
        const char *needle;
    } cases[] = {
        /* jansson rejects the entry: offset points into the document. */
        {"{\"version\":2,\"packages\":{\"a\":{\"name\":tru}}}", 0,
         "invalid JSON at byte 40: invalid token"},
        /* Invalid UTF-8 inside a string. */
        {"{\"packages\":{\"a\":{\"name\":\"x\xff\xfe-1\"}}}", 0, "invalid JSON at byte"},
        /* \u0000 is refused by jansson without JSON_ALLOW_NUL. */
        {"{\"packages\":{\"a\":{\"name\":\"x\\u0000-1\"}}}", 0, "invalid JSON at byte"},
        {"{\"packages\":{\"a\":{\"name\":\"x-1\"}", 0, "truncated"},
        {"[{\"name\":\"x-1\"}]", 0, "expected '{' (a top-level object)"},
        {"{\"version\":2,\"packages\":{\"a\":{\"name\":\"x-1\"}},}", 0, "expected a member name"},
        {"\x1f\x8b", 2, "nix-json:"}, /* a gzip magic with nothing behind it */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rc_set c = {0};
        pf_parse_stats st;
        char err[256] = "";
        size_t len = cases[i].len ? cases[i].len : strlen(cases[i].doc);
        char oerr[256];
        pf_reader *r = pf_reader_open_mem(cases[i].doc, len, PF_CODEC_NONE, oerr, sizeof oerr);
        if (!r)
            continue; /* the reader itself refused it: fine */
        int rc = pf_parse_nix_json(r, NULL, rc_emit, &c, &st, err, sizeof err);
        pf_reader_close(r);
        if (rc != -1 || !strstr(err, cases[i].needle))
            fail_msg("case %zu: rc %d err \"%s\"", i, rc, err);
        rc_free(&c);
    }
}

/* CPU seconds of the calling thread (the xz reader may decode on its own threads). */
static double thread_cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Parse the real nixpkgs file; returns wall seconds, *cpu the parsing thread's CPU seconds. */
static double nix_real_parse(const char *path, rc_set *cnt, pf_parse_stats *st, char *err,
                             size_t errlen, uint64_t *decoded, double *cpu)
{
    char oerr[256];
    pf_reader *r = pf_reader_open_path(path, 0, oerr, sizeof oerr);
    if (!r)
        fail_msg("open %s: %s", path, oerr);
    double t0 = now_s(), c0 = thread_cpu_s();
    int rc = pf_parse_nix_json(r, NULL, rc_emit, cnt, st, err, errlen);
    double t = now_s() - t0;
    *cpu = thread_cpu_s() - c0;
    *decoded = r->nread;
    pf_reader_close(r);
    if (rc != 0)
        fail_msg("%s", err);
    return t;
}

/* The whole nixpkgs packages.json (47,523 attributes, 363 with an empty version, 36 that
 * Repology's parser drops). */
static void test_nix_real(void **state)
{
    (void)state;
    const char *path = tu_realdata("nixpkgs/packages.json.xz");
    if (!path)
        skip();
    rc_set cnt = {.count_only = 1};
    pf_parse_stats st;
    char err[256] = "";
    uint64_t decoded = 0;
    double cpu = 0;
    double t = nix_real_parse(path, &cnt, &st, err, sizeof err, &decoded, &cpu);
    assert_int_equal(st.records + st.skipped, 47523);
    assert_int_equal(st.skipped, 399);
    assert_int_equal(cnt.n, 47124);
    assert_int_equal(cnt.bad, 0);
    assert_int_equal(decoded, 56868041);
    /* Most packages have a homepage, licence and summary; about half have maintainers. */
    assert_int_equal(cnt.with_homepage, 44758); /* one homepage is "" */
    assert_int_equal(cnt.with_summary, 25096);
    assert_true(cnt.with_license > 20000);
    assert_int_equal(cnt.with_maint, 17731);
    assert_int_equal(cnt.with_category, 36815); /* rPackages, python3xPackages, ... */
    print_message("nix-json: %zu records, %.1f MB decoded: wall %.2f s (%.0f records/s, %.1f "
                  "MB/s), parsing thread CPU %.2f s (%.0f records/s, %.1f MB/s)\n",
                  cnt.n, decoded / 1e6, t, cnt.n / t, decoded / t / 1e6, cpu, cnt.n / cpu,
                  decoded / cpu / 1e6);

    /* Spot checks against the PROVENANCE sample. */
    rc_set c = {0};
    int rc = parse_path(pf_parse_nix_json, path, rc_emit, &c, &st, err, sizeof err);
    assert_int_equal(rc, 0);
    static const char *const want[][3] = {
        {"bash", "bash", "4.4-p23"},      {"coreutils", "coreutils", "8.31"},
        {"curl", "curl", "7.71.1"},       {"firefox", "firefox", "78.0.1"},
        {"openssl", "openssl", "1.1.1g"}, {"hello", "hello", "2.10"},
        {"git", "git-minimal", "2.27.0"}, {"gitMinimal", "git", "2.27.0"},
        {"vim", "vim", "8.2.1123"},       {"linux", "linux", "5.4.53"},
    };
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
        const rc_rec *r = NULL;
        for (size_t i = 0; i < c.n && !r; i++)
            if (strcmp(c.recs[i].srcname, want[k][0]) == 0)
                r = &c.recs[i];
        if (!r)
            fail_msg("attribute %s missing", want[k][0]);
        assert_string_equal(r->binnames, want[k][1]);
        assert_string_equal(r->version, want[k][2]);
        assert_null(r->category);
    }
    const rc_rec *r = NULL;
    for (size_t i = 0; i < c.n && !r; i++)
        if (strcmp(c.recs[i].srcname, "python38Packages.requests") == 0)
            r = &c.recs[i];
    assert_non_null(r);
    assert_string_equal(r->binnames, "python3.8-requests");
    assert_string_equal(r->category, "python38Packages");
    assert_string_equal(r->license, "Apache-2.0");
    r = rc_need(&c, "hello", NULL);
    assert_string_equal(r->maintainers, "edolstra+nixpkgs@gmail.com");
    assert_string_equal(r->license, "GPL-3.0-or-later");
    r = rc_need(&c, "_0x0", NULL); /* srcname: the attribute path */
    assert_string_equal(r->version, "2018-06-24");
    assert_string_equal(r->maintainers, "aria@ar1as.space");
    assert_string_equal(r->license, "Unlicense");
    assert_string_equal(r->summary, "A client for 0x0.st");
    rc_free(&c);
}

/*
 * Run job(path, arg) in a forked child; returns its peak RSS in KiB (wait4),
 * failing the test when the child does not exit with 0.
 */
static long child_rss(int (*job)(const char *, int), const char *path, int arg)
{
    struct rusage ru;
    int status;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        _exit(job(path, arg));
    assert_int_equal(wait4(pid, &status, 0, &ru), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    return ru.ru_maxrss;
}

/* Child job: decode the file through pf_reader and drop the bytes (the reader's own peak). */
static int job_decode(const char *path, int unused)
{
    (void)unused;
    char err[256];
    static char buf[1 << 16];
    pf_reader *r = pf_reader_open_path(path, 0, err, sizeof err);
    if (!r)
        return 2;
    ssize_t n;
    while ((n = r->read(r, buf, sizeof buf)) > 0)
        ;
    pf_reader_close(r);
    return n == 0 ? 0 : 1;
}

/*
 * Child job: parse the file. With fd < 0 it is opened by path (decoder in
 * this process); otherwise the plain JSON is read from pipe fd, decoded by
 * another process, so only the parser's memory counts.
 */
static int job_parse(const char *path, int fd)
{
    rc_set cnt = {.count_only = 1};
    pf_parse_stats st;
    char err[256];
    FILE *fp = fd >= 0 ? fdopen(fd, "rb") : NULL;
    pf_reader *r = fp ? pf_reader_open_file(fp, PF_CODEC_NONE, 0, err, sizeof err)
                      : pf_reader_open_path(path, 0, err, sizeof err);
    if (!r)
        return 2;
    int rc = pf_parse_nix_json(r, NULL, rc_emit, &cnt, &st, err, sizeof err);
    pf_reader_close(r);
    if (fp)
        fclose(fp);
    return rc == 0 && cnt.n == 47124 ? 0 : 1;
}

/* Child job: decode path into pipe fd (the writer side of job_parse's pipe). */
static int job_feed(const char *path, int fd)
{
    char err[256];
    static char buf[1 << 16];
    pf_reader *r = pf_reader_open_path(path, 0, err, sizeof err);
    if (!r)
        return 2;
    ssize_t n;
    while ((n = r->read(r, buf, sizeof buf)) > 0)
        if (write(fd, buf, (size_t)n) != n)
            return 1;
    pf_reader_close(r);
    close(fd);
    return n == 0 ? 0 : 1;
}

/*
 * Peak RSS of parsing the real nixpkgs file, in forked children (wait4):
 * decoding and parsing together, and the parser alone (fed plain JSON
 * through a pipe), must stay under 100 MB; on top of the reader's own peak
 * the parser may add at most 16 MB.
 */
static void test_nix_real_rss(void **state)
{
    (void)state;
    const char *path = tu_realdata("nixpkgs/packages.json.xz");
    if (!path)
        skip();
        /* Memory figures mean nothing under ASan (shadow, quarantine) or valgrind. */
#if defined(__SANITIZE_ADDRESS__)
    skip();
#endif
    if (RUNNING_ON_VALGRIND)
        skip();
    long decode_kb = child_rss(job_decode, path, 0);
    long parse_kb = child_rss(job_parse, path, -1);

    int p[2];
    assert_int_equal(pipe(p), 0);
    pid_t feeder = fork();
    assert_true(feeder >= 0);
    if (feeder == 0) {
        close(p[0]);
        _exit(job_feed(path, p[1]));
    }
    close(p[1]);
    long alone_kb = child_rss(job_parse, path, p[0]);
    close(p[0]);
    int status;
    assert_int_equal(waitpid(feeder, &status, 0), feeder);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);

    print_message("nix-json peak RSS: parser alone %.1f MB; decode+parse %.1f MB, decode only "
                  "%.1f MB (xz reader)\n",
                  alone_kb / 1024.0, parse_kb / 1024.0, decode_kb / 1024.0);
    assert_true(alone_kb <= 100 * 1024);
    assert_true(parse_kb <= 100 * 1024);
    assert_true(parse_kb - decode_kb <= 16 * 1024);
}

/* ---------------------------------------------------------------- homebrew-json */

/* formula.json excerpt: @-versions kept, head as a second ROLLING record. */
static void test_homebrew_fixture(void **state)
{
    (void)state;
    rc_set c = {0};
    pf_parse_stats st;
    char err[256] = "";
    int rc = parse_path(pf_parse_homebrew_json, tu_fixture("formats/formula.json"), rc_emit, &c,
                        &st, err, sizeof err);
    if (rc != 0)
        fail_msg("%s", err);
    assert_false(c.bad);
    assert_int_equal(st.records, 13); /* 9 stable + 4 head */
    assert_int_equal(st.skipped, 3);  /* head-only stable, nameless, not an object */

    const rc_rec *r = rc_need(&c, "hello", "2.12.1");
    assert_string_equal(r->summary,
                        "Program providing model for GNU coding standards and practices");
    assert_string_equal(r->homepage, "https://www.gnu.org/software/hello/");
    assert_string_equal(r->license, "GPL-3.0-or-later");
    assert_null(r->maintainers);
    assert_null(r->category);
    assert_int_equal(r->flags, 0);

    r = rc_need(&c, "python@3.12", NULL);
    assert_string_equal(r->version, "3.12.7"); /* revision 1 is not part of it */
    assert_string_equal(r->license, "Python-2.0");

    r = rc_need(&c, "neovim", "0.10.2");
    assert_int_equal(r->flags, 0);
    r = rc_need(&c, "neovim", "HEAD");
    assert_int_equal(r->flags, PF_F_ROLLING);
    assert_string_equal(r->homepage, "https://neovim.io/");

    assert_string_equal(rc_need(&c, "openssl@3", NULL)->version, "3.4.0");
    assert_string_equal(rc_need(&c, "x264", "r3108")->license, "GPL-2.0-only");
    assert_int_equal(rc_need(&c, "x264", "HEAD")->flags, PF_F_ROLLING);
    assert_string_equal(rc_need(&c, "aalib", NULL)->version, "1.4rc5");
    assert_string_equal(rc_need(&c, "ruby@3.3", NULL)->version, "3.3.6");

    r = rc_need(&c, "caf\xc3\xa9-tool", NULL);
    assert_null(r->summary);
    assert_null(r->license);
    assert_string_equal(r->homepage, "https://example.org/caf\xc3\xa9");

    /* No stable version: only the head record; a licence object is ignored. */
    r = rc_need(&c, "no-stable", NULL);
    assert_string_equal(r->version, "HEAD");
    assert_int_equal(r->flags, PF_F_ROLLING);
    assert_null(r->license);

    /* Order: the head record right after its stable one. */
    assert_string_equal(c.recs[0].srcname, "hello");
    assert_string_equal(c.recs[2].srcname, "neovim");
    assert_string_equal(c.recs[3].srcname, "neovim");
    assert_string_equal(c.recs[3].version, "HEAD");
    rc_free(&c);
}

/* Hostile formula.json variants: error (or skip), never a crash. */
static void test_homebrew_hostile(void **state)
{
    (void)state;
    rc_set c = {0};
    pf_parse_stats st;
    char err[256];
    /* Deeply nested. */
    size_t n = 10000;
    char *deep = malloc(2 * n);
    memset(deep, '[', n);
    memset(deep + n, ']', n);
    assert_int_equal(parse_mem(pf_parse_homebrew_json, deep, 2 * n, &c, &st, err, sizeof err), -1);
    if (!strstr(err, "homebrew-json: JSON nested deeper than 64 levels at byte 64"))
        fail_msg("%s", err);
    free(deep);

    /* Truncated in the middle of an element. */
    size_t len;
    char *doc = tu_slurp(tu_fixture("formats/formula.json"), &len);
    assert_non_null(doc);
    assert_int_equal(parse_mem(pf_parse_homebrew_json, doc, len / 2, &c, &st, err, sizeof err), -1);
    assert_non_null(strstr(err, "truncated JSON"));
    assert_true(c.n > 0); /* the elements before the cut were emitted */
    rc_free(&c);

    /* NUL and invalid UTF-8 in a name. */
    const char nul[] = "[{\"name\":\"a\0b\",\"versions\":{\"stable\":\"1\"}}]";
    assert_int_equal(
        parse_mem(pf_parse_homebrew_json, nul, sizeof nul - 1, &c, &st, err, sizeof err), -1);
    assert_non_null(strstr(err, "control byte 0x00"));
    const char *bad = "[{\"name\":\"a\xc3(\",\"versions\":{\"stable\":\"1\"}}]";
    assert_int_equal(parse_mem(pf_parse_homebrew_json, bad, strlen(bad), &c, &st, err, sizeof err),
                     -1);
    if (!strstr(err, "homebrew-json: invalid JSON at byte 1"))
        fail_msg("%s", err);
    rc_free(&c);

    /* Random byte corruption of the real-format fixture: any outcome but a crash. */
    char *mut = malloc(len);
    unsigned seed = 12345;
    int failures = 0;
    for (int round = 0; round < 3000; round++) {
        memcpy(mut, doc, len);
        for (int k = 0; k < 1 + round % 4; k++) {
            seed = seed * 1103515245u + 12345u;
            size_t pos = (seed >> 8) % len;
            seed = seed * 1103515245u + 12345u;
            static const char pick[] = "{}[]\",:\\\0\xff a1";
            mut[pos] = pick[(seed >> 8) % (sizeof pick - 1)];
        }
        int rc = parse_mem(pf_parse_homebrew_json, mut, len, &c, &st, err, sizeof err);
        assert_true(rc == 0 || rc == -1);
        if (rc == -1) {
            assert_true(err[0] != '\0');
            failures++;
        }
        assert_false(c.bad);
        rc_free(&c);
    }
    assert_true(failures > 1000); /* most corruptions break the JSON */
    free(mut);
    free(doc);
}

/* ---------------------------------------------------------------- freebsd-index */

/* INDEX-14 excerpt: origin as srcname, raw version kept, epoch/portrevision normalized. */
static void test_freebsd_fixture(void **state)
{
    (void)state;
    rc_set c = {0};
    pf_parse_stats st;
    char err[256] = "";
    int rc = parse_path(pf_parse_freebsd_index, tu_fixture("formats/INDEX-14"), rc_emit, &c, &st,
                        err, sizeof err);
    if (rc != 0)
        fail_msg("%s", err);
    assert_false(c.bad);
    assert_int_equal(st.records, 6);
    assert_int_equal(st.skipped, 2); /* 12 fields; empty port path */

    const rc_rec *r = rc_need(&c, "arabic/aspell", NULL);
    assert_string_equal(r->binnames, "ar-aspell");
    assert_string_equal(r->version, "1.2.0_1,1");
    assert_string_equal(r->maintainers, "office@freebsd.org");
    assert_string_equal(r->category, "arabic");
    assert_string_equal(r->summary, "Aspell Arabic dictionaries");
    assert_string_equal(r->homepage, "https://sourceforge.net/projects/arabic-spell/");

    r = rc_need(&c, "www/py-requests", NULL);
    assert_string_equal(r->binnames, "py311-requests");
    assert_string_equal(r->version, "2.32.3");
    assert_string_equal(r->category, "www");

    r = rc_need(&c, "japanese/kterm", NULL);
    assert_string_equal(r->version, "6.2.0_10,3");
    assert_null(r->homepage);
    char out[64];
    unsigned flags = 0;
    pf_normalize_version(PF_VS_FREEBSD, r->version, out, sizeof out, &flags);
    assert_string_equal(out, "6.2.0");
    pf_normalize_version(PF_VS_FREEBSD, rc_need(&c, "multimedia/vlc", NULL)->version, out,
                         sizeof out, &flags);
    assert_string_equal(out, "3.0.21");

    /* Trailing slash on the port path. */
    assert_string_equal(rc_need(&c, "www/p5-libwww", NULL)->binnames, "p5-libwww");
    assert_string_equal(rc_need(&c, "shells/bash", NULL)->version, "5.2.37");
    rc_free(&c);

    /* More bad lines than good: an error naming the first bad line. */
    const char *mostly_bad = "a-1|/usr/ports/x/a||c|d|m@x.org|x||||||\nb|c\nd|e\n";
    rc =
        parse_mem(pf_parse_freebsd_index, mostly_bad, strlen(mostly_bad), &c, &st, err, sizeof err);
    assert_int_equal(rc, -1);
    assert_string_equal(err, "freebsd-index: 2 of 3 lines unusable, first at line 2: expected 13 "
                             "fields, got 2");
    rc_free(&c);
}

/* Read a repology-rs fixture file's path (NULL when the data is absent). */
static const char *rs_path(const char *rel)
{
    char b[256];
    snprintf(b, sizeof b, "repology-rs-fixtures/repology-updater/src/parsing/parsers/%s", rel);
    return tu_realdata(b);
}

/* Does the snapshot text hold `field: "value"`? */
static int snap_has(const char *snap, const char *field, const char *value)
{
    char needle[512];
    snprintf(needle, sizeof needle, "%s: \"%s\"", field, value);
    return strstr(snap, needle) != NULL;
}

/* repology-rs FreeBSD fixtures: the ok record matches the snapshot, errors fail. */
static void test_freebsd_repology_rs(void **state)
{
    (void)state;
    const char *ok = rs_path("fixtures/freebsd/ok");
    if (!ok)
        skip();
    rc_set c = {0};
    pf_parse_stats st;
    char err[256] = "";
    assert_int_equal(parse_path(pf_parse_freebsd_index, ok, rc_emit, &c, &st, err, sizeof err), 0);
    assert_int_equal(c.n, 1);
    char *snap = tu_slurp(
        rs_path("snapshots/repology_updater__parsing__parsers__freebsd__tests__ok.snap"), NULL);
    if (!snap) {
        /* Snapshot names vary: find the one holding the ok result. */
        fail_msg("freebsd ok snapshot missing");
    }
    const rc_rec *r = &c.recs[0];
    assert_true(snap_has(snap, "srcname", r->srcname));
    assert_true(snap_has(snap, "binname", r->binnames));
    assert_true(snap_has(snap, "rawversion", r->version));
    assert_true(snap_has(snap, "category", r->category));
    assert_true(snap_has(snap, "comment", r->summary));
    assert_true(snap_has(snap, "url", r->homepage));
    char want_m[128];
    snprintf(want_m, sizeof want_m, "\"%s\",", r->maintainers);
    assert_non_null(strstr(snap, want_m));
    char norm[64];
    unsigned flags = 0;
    pf_normalize_version(PF_VS_FREEBSD, r->version, norm, sizeof norm, &flags);
    assert_true(snap_has(snap, "version", norm));
    free(snap);
    rc_free(&c);

    static const char *const errs[][2] = {
        {"error_extra_field", "expected 13 fields, got 14"},
        {"error_missing_field", "expected 13 fields, got 12"},
        {"error_bad_package_format", "expected <package name>-<version> in the first field"},
        {"error_bad_package_path",
         "unexpectedly short port path (expected at least category/name)"},
        {"error_missing_name", "empty package name"},
        {"error_missing_version", "empty version"},
    };
    for (size_t i = 0; i < sizeof errs / sizeof errs[0]; i++) {
        char rel[128];
        snprintf(rel, sizeof rel, "fixtures/freebsd/%s", errs[i][0]);
        int rc =
            parse_path(pf_parse_freebsd_index, rs_path(rel), rc_emit, &c, &st, err, sizeof err);
        assert_int_equal(rc, -1);
        assert_int_equal(c.n, 0);
        if (!strstr(err, "line 1: ") || !strstr(err, errs[i][1]))
            fail_msg("%s: %s", errs[i][0], err);
        rc_free(&c);
    }
}

/* ---------------------------------------------------------------- slackware */

/* PACKAGES.TXT excerpt: name/version from the file name, series as category. */
static void test_slackware_fixture(void **state)
{
    (void)state;
    rc_set c = {0};
    pf_parse_stats st;
    char err[256] = "";
    int rc = parse_path(pf_parse_slackware, tu_fixture("formats/PACKAGES.TXT"), rc_emit, &c, &st,
                        err, sizeof err);
    if (rc != 0)
        fail_msg("%s", err);
    assert_false(c.bad);
    assert_int_equal(st.records, 5);
    assert_int_equal(st.skipped, 1);

    const rc_rec *r = rc_need(&c, "a2ps", NULL);
    assert_string_equal(r->version, "4.15.6");
    assert_string_equal(r->category, "ap");
    assert_string_equal(r->summary, "Any to PostScript filter");
    assert_null(r->maintainers);
    assert_null(r->homepage);

    r = rc_need(&c, "bash", NULL);
    assert_string_equal(r->version, "5.2.037");
    assert_string_equal(r->category, "a");
    assert_string_equal(r->summary, "sh-compatible shell");

    assert_string_equal(rc_need(&c, "glibc-zoneinfo", NULL)->version, "2024b");
    assert_string_equal(rc_need(&c, "kernel-generic", NULL)->version, "6.6.62");
    r = rc_need(&c, "python-pip", NULL);
    assert_string_equal(r->version, "24.3.1");
    assert_string_equal(r->category, "packages");
    assert_string_equal(r->summary, "The PyPA recommended tool for installing Python packages");
    rc_free(&c);

    const char *bad = "PACKAGE NAME:  foo.txz\n\nPACKAGE NAME:  a-1-x86_64-1.txz\n\n"
                      "PACKAGE NAME:  bar-1.txz\n";
    rc = parse_mem(pf_parse_slackware, bad, strlen(bad), &c, &st, err, sizeof err);
    assert_int_equal(rc, -1);
    assert_string_equal(err, "slackware: 2 of 3 packages unusable, first at line 1: \"foo.txz\"");
    rc_free(&c);
}

/* ---------------------------------------------------------------- tsv */

/* Default columns, comments, blank and malformed lines. */
static void test_tsv_fixture(void **state)
{
    (void)state;
    rc_set c = {0};
    pf_parse_stats st;
    char err[256] = "";
    int rc =
        parse_path(pf_parse_tsv, tu_fixture("formats/list.tsv"), rc_emit, &c, &st, err, sizeof err);
    if (rc != 0)
        fail_msg("%s", err);
    assert_false(c.bad);
    assert_int_equal(st.records, 4);
    assert_int_equal(st.skipped, 3);
    const rc_rec *r = rc_need(&c, "hello", NULL);
    assert_string_equal(r->version, "2.12.1");
    assert_string_equal(r->homepage, "https://www.gnu.org/software/hello/");
    assert_string_equal(r->summary, "Program providing model for GNU coding standards");
    r = rc_need(&c, "curl", NULL);
    assert_string_equal(r->version, "8.11.0");
    assert_null(r->homepage);
    assert_string_equal(rc_need(&c, "spaces name", NULL)->version, "1.0");
    assert_string_equal(rc_need(&c, "zlib", NULL)->homepage, "https://zlib.net");
    rc_free(&c);

    /* A header names the columns (Alpine detail layout). */
    rc = parse_path(pf_parse_tsv, tu_fixture("formats/detail.tsv"), rc_emit, &c, &st, err,
                    sizeof err);
    if (rc != 0)
        fail_msg("%s", err);
    assert_false(c.bad);
    assert_int_equal(c.n, 3);
    r = rc_need(&c, "musl", NULL);
    assert_string_equal(r->version, "1.2.5-r8");
    assert_string_equal(r->category, "main");
    assert_string_equal(r->license, "MIT");
    assert_string_equal(r->homepage, "https://musl.libc.org/");
    assert_string_equal(r->maintainers, "timo.teras@iki.fi,ncopa@alpinelinux.org");
    assert_string_equal(r->binnames, "musl-dbg musl-dev musl-utils");
    assert_string_equal(r->summary, "the musl c library (libc) implementation");
    assert_string_equal(rc_need(&c, "2bwm", NULL)->maintainers, "prspkt@protonmail.com");
    r = rc_need(&c, "nomaint", NULL);
    assert_string_equal(r->license, "GPL-2.0-or-later");
    assert_null(r->maintainers);
    assert_null(r->homepage);
    assert_null(r->summary);
    rc_free(&c);

    /* A '#' header works too; columns in any order. */
    const char *h = "#version\tname\tsummary\n1.0\tfoo\tthe foo\n2.0\tbar\n";
    assert_int_equal(parse_mem(pf_parse_tsv, h, strlen(h), &c, &st, err, sizeof err), 0);
    assert_int_equal(c.n, 2);
    assert_string_equal(rc_need(&c, "foo", "1.0")->summary, "the foo");
    assert_null(rc_need(&c, "bar", "2.0")->summary);
    rc_free(&c);

    /* A first line that is not a header is data, untouched. */
    const char *nh = "foo \t1.0\n";
    assert_int_equal(parse_mem(pf_parse_tsv, nh, strlen(nh), &c, &st, err, sizeof err), 0);
    assert_int_equal(c.n, 1);
    assert_string_equal(c.recs[0].srcname, "foo");
    assert_string_equal(c.recs[0].version, "1.0");
    rc_free(&c);

    /* Space-separated is not accepted: mostly bad is an error. */
    const char *sp = "foo 1.0\nbar 2.0\nbaz\t3.0\n";
    assert_int_equal(parse_mem(pf_parse_tsv, sp, strlen(sp), &c, &st, err, sizeof err), -1);
    assert_string_equal(err, "tsv: 2 of 3 lines are not name<TAB>version, first at line 1");
    rc_free(&c);
}

/* The real derived lists: plain name<TAB>version files and the headed detail files. */
static void test_tsv_real(void **state)
{
    (void)state;
    static const struct {
        const char *rel;
        long want;
    } lists[] = {
        {"alpine/alpine-edge-origins.tsv", 12712},
        {"alpine/alpine-edge-detail.tsv.xz", 12712},
        {"void/void-srcpkgs.tsv", 9548},
        {"void/void-srcpkgs-detail.tsv.xz", 9548},
        {"homebrew/homebrew-core-formulae.tsv", 8560},
        {"homebrew/homebrew-core-formulae-detail.tsv.xz", 8560},
    };
    int seen = 0;
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
        const char *path = tu_realdata(lists[i].rel);
        if (!path)
            continue;
        seen++;
        rc_set cnt = {.count_only = 1};
        pf_parse_stats st;
        char err[256] = "";
        double t0 = now_s();
        int rc = parse_path(pf_parse_tsv, path, rc_emit, &cnt, &st, err, sizeof err);
        double t = now_s() - t0;
        if (rc != 0)
            fail_msg("%s: %s", lists[i].rel, err);
        print_message("tsv %s: %zu records, %ld skipped, %.3f s\n", lists[i].rel, cnt.n, st.skipped,
                      t);
        assert_int_equal(cnt.bad, 0);
        assert_int_equal(st.records + st.skipped, lists[i].want);
        if (strstr(lists[i].rel, "detail")) {
            assert_true(cnt.with_homepage > (long)(cnt.n * 9 / 10));
            assert_true(cnt.with_summary > (long)(cnt.n * 9 / 10));
        }
    }
    if (!seen)
        skip();
}

/* ---------------------------------------------------------------- normalizers */

/* nix: exactly the flags of Repology's parser (dates and the like are left to the rules); text
 * kept. */
static void test_normalize_nix(void **state)
{
    (void)state;
    static const struct {
        const char *raw, *want;
        unsigned flags;
    } cases[] = {
        {"2.10", "2.10", 0},
        {"4.4-p23", "4.4-p23", 0},
        {"1.0-rc1", "1.0-rc1", 0},
        {"0.5.0-unstable-2020-07-01", "0.5.0-unstable-2020-07-01", 0},
        {"0-unstable-2024-01-31", "0-unstable-2024-01-31", 0},
        {"unstable-2020-01-31", "unstable-2020-01-31", 0},
        {"2018-06-24", "2018-06-24", 0},
        {"2019-10-19-unstable", "2019-10-19-unstable", 0},
        {"git-2020-03-01", "git-2020-03-01", 0},
        {"hg-2019-12-24", "hg-2019-12-24", 0},
        {"1.2.3-2020-03-20", "1.2.3-2020-03-20", 0}, /* no letters: not suspicious */
        {"deadbeef", "deadbeef", PF_F_IGNORE},
        {"0123abc", "0123abc", PF_F_IGNORE},
        {"12345678", "12345678", 0}, /* all digits: a number, not a hash */
        {"abcdef", "abcdef", 0},     /* 6 chars: too short for a hash */
        {"1.2-foo-3", "1.2-foo-3", PF_F_UNTRUSTED},
        {"1.0-beta-2", "1.0-beta-2", 0},
        {"5.4.53-ck-1", "5.4.53-ck-1", PF_F_UNTRUSTED},
        {"1.2.3-wrapper", "1.2.3-wrapper", 0},
        {"1003.1-2008", "1003.1-2008", 0},
        {"", "", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[128];
        unsigned flags = 0;
        size_t n = pf_normalize_version(PF_VS_NIX, cases[i].raw, out, sizeof out, &flags);
        assert_int_equal(n, strlen(out));
        if (strcmp(out, cases[i].want) != 0 || flags != cases[i].flags)
            fail_msg("%s: got \"%s\" flags %#x, want \"%s\" %#x", cases[i].raw, out, flags,
                     cases[i].want, cases[i].flags);
    }
    /* Truncation keeps the buffer terminated. */
    char small[4];
    unsigned flags = 0;
    assert_int_equal(pf_normalize_nix("1.2.3.4", small, sizeof small, &flags), 3);
    assert_string_equal(small, "1.2");
    assert_int_equal(pf_normalize_nix("1.2", small, 0, NULL), 0);
}

/* homebrew: versions as they are, no flags. */
static void test_normalize_homebrew(void **state)
{
    (void)state;
    static const char *const vs[] = {"2.12.1", "1.4rc5", "r3108", "HEAD", "3.12.7", ""};
    for (size_t i = 0; i < sizeof vs / sizeof vs[0]; i++) {
        char out[64];
        unsigned flags = 0;
        pf_normalize_version(PF_VS_HOMEBREW, vs[i], out, sizeof out, &flags);
        assert_string_equal(out, vs[i]);
        assert_int_equal(flags, 0);
    }
}

/* The format table routes the catalog names to these parsers. */
static void test_format_table(void **state)
{
    (void)state;
    assert_ptr_equal(pf_format_find("nix-json")->parse, pf_parse_nix_json);
    assert_ptr_equal(pf_format_find("homebrew-json")->parse, pf_parse_homebrew_json);
    assert_ptr_equal(pf_format_find("freebsd-index")->parse, pf_parse_freebsd_index);
    assert_ptr_equal(pf_format_find("slackware")->parse, pf_parse_slackware);
    assert_ptr_equal(pf_format_find("tsv")->parse, pf_parse_tsv);
    /* Every format goes through the one pf_format_parse entry point, counters included. */
    rc_set c = {0};
    pf_parse_stats st = {7, 7};
    char err[256];
    const char *t = "a\t1\n";
    pf_reader *r = pf_reader_open_mem(t, strlen(t), PF_CODEC_NONE, err, sizeof err);
    assert_int_equal(pf_format_parse(pf_format_find("tsv"), r, rc_emit, &c, &st, err, sizeof err),
                     0);
    pf_reader_close(r);
    assert_int_equal(c.n, 1);
    assert_int_equal(st.records, 1);
    assert_int_equal(st.skipped, 0);
    rc_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_js_split),
        cmocka_unit_test(test_js_chunks),
        cmocka_unit_test(test_js_errors),
        cmocka_unit_test(test_js_plain_end), /* the SWAR helper of jsonstream.h */
        cmocka_unit_test(test_js_spans),
        cmocka_unit_test(test_nix_fixture),
        cmocka_unit_test(test_nix_hostile),
        cmocka_unit_test(test_nix_real),
        cmocka_unit_test(test_nix_real_rss),
        cmocka_unit_test(test_homebrew_fixture),
        cmocka_unit_test(test_homebrew_hostile),
        cmocka_unit_test(test_freebsd_fixture),
        cmocka_unit_test(test_freebsd_repology_rs),
        cmocka_unit_test(test_slackware_fixture),
        cmocka_unit_test(test_tsv_fixture),
        cmocka_unit_test(test_tsv_real),
        cmocka_unit_test(test_normalize_nix),
        cmocka_unit_test(test_normalize_homebrew),
        cmocka_unit_test(test_format_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
