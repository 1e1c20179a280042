/*
 * test_deb.c — the deb822 Sources parser (crawler/formats/fmt_deb_sources.c) and the
 * format table (crawler/formats.c).
 *
 * Fixtures in tests/fixtures/deb/ are real stanzas copied from Debian sid
 * and Ubuntu noble Sources files; the real-data tests parse whole indexes
 * from ../shared/realdata and skip when it is absent.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pkgfresh/format.h"
#include "pkgfresh/reader.h"
#include "reccollect.h"

/* Debian's own invariant: binary names space-separated, never a comma. */
static int binnames_no_comma(void *arg, const pf_record *rec)
{
    (void)arg;
    return rec->binnames && strchr(rec->binnames, ',');
}

/* Parse a fixture file into c; returns the parser's result. */
static int parse_path(const char *path, rc_set *c, pf_parse_stats *stats, char *err, size_t errlen)
{
    pf_parse_stats local;
    if (!stats)
        stats = &local;
    char oerr[256];
    pf_reader *r = pf_reader_open_path(path, 0, oerr, sizeof oerr);
    if (!r)
        fail_msg("open %s: %s", path, oerr);
    c->check = binnames_no_comma;
    int rc = pf_parse_deb_sources(r, NULL, rc_emit, c, stats, err, errlen);
    pf_reader_close(r);
    return rc;
}

/* Parse a memory buffer into c; returns the parser's result. */
static int parse_mem(const void *buf, size_t len, rc_set *c, pf_parse_stats *stats, char *err,
                     size_t errlen)
{
    pf_parse_stats local;
    if (!stats)
        stats = &local;
    char oerr[256];
    pf_reader *r = pf_reader_open_mem(buf, len, PF_CODEC_NONE, oerr, sizeof oerr);
    if (!r)
        fail_msg("open mem: %s", oerr);
    c->check = binnames_no_comma;
    int rc = pf_parse_deb_sources(r, NULL, rc_emit, c, stats, err, errlen);
    pf_reader_close(r);
    return rc;
}

/* Real sid stanzas: epoch, ~rc, multi-line Binary, quoted Uploaders, missing Homepage. */
static void test_sid_sample(void **state)
{
    (void)state;
    rc_set c = {0};
    pf_parse_stats st;
    char err[256] = "";
    assert_int_equal(parse_path(tu_fixture("deb/sid-sample.Sources"), &c, &st, err, sizeof err), 0);
    assert_int_equal(c.n, 9);
    assert_int_equal(st.records, 9);
    assert_int_equal(st.skipped, 0);
    assert_false(c.bad);

    const rc_rec *r = rc_need(&c, "0ad", NULL);
    assert_string_equal(r->version, "0.28.0-3");
    assert_string_equal(r->binnames, "0ad");
    assert_string_equal(r->maintainers, "pkg-games-devel@lists.alioth.debian.org,vcheng@debian.org,"
                                        "rousseau@debian.org");
    assert_string_equal(r->homepage, "https://play0ad.com/");
    assert_string_equal(r->category, "games");

    /* Epoch and ~rc kept verbatim; non-ASCII maintainer name. */
    r = rc_need(&c, "tiger", NULL);
    assert_string_equal(r->version, "1:3.2.4~rc1-3.5");
    assert_string_equal(r->binnames, "tiger tiger-otheros");
    assert_string_equal(r->maintainers, "jfs@debian.org,francisco@debian.org");
    assert_string_equal(r->homepage, "http://savannah.nongnu.org/projects/tiger/");
    assert_string_equal(r->category, "admin");

    /* Quoted name with a comma inside ("Adam C. Powell, IV"). */
    r = rc_need(&c, "spooles", NULL);
    assert_string_equal(r->maintainers,
                        "debian-science-maintainers@lists.alioth.debian.org,hazelsct@debian.org");
    assert_string_equal(r->binnames, "libspooles-dev libspooles2.2t64 spooles-doc");
    assert_string_equal(r->category, "math");

    r = rc_need(&c, "fonts-gujr", NULL);
    assert_string_equal(r->version, "2:1.6");
    assert_string_equal(r->maintainers,
                        "debian-fonts@lists.debian.org,kamathvasudev@gmail.com,kartik@debian.org");

    /* No Homepage field at all. */
    r = rc_need(&c, "ctapi", NULL);
    assert_string_equal(r->version, "1.1+nmu1");
    assert_null(r->homepage);
    assert_string_equal(r->maintainers, "sjr@debian.org");
    assert_string_equal(r->binnames, "ctapi-dev");

    r = rc_need(&c, "pexec", NULL);
    assert_string_equal(r->version, "1.0~rc8-7");
    assert_string_equal(r->maintainers, "packages@qa.debian.org");

    r = rc_need(&c, "lfanew", NULL);
    assert_string_equal(r->version, "0~20230825+dfsg-1");

    /* Binary over many continuation lines: 45 names, space-separated. */
    r = rc_need(&c, "debian-science", NULL);
    assert_string_equal(r->version, "1.15");
    assert_int_equal(strlen(r->binnames), 967);
    assert_memory_equal(r->binnames, "science-tasks science-electronics ", 34);
    size_t words = 1;
    for (const char *p = r->binnames; *p; p++)
        words += *p == ' ';
    assert_int_equal(words, 45);
    assert_string_equal(r->binnames + strlen(r->binnames) - 16, "science-workflow");
    assert_string_equal(r->maintainers, "debian-science-maintainers@lists.alioth.debian.org,"
                                        "tille@debian.org,olebole@debian.org");

    /* A stanza with a one-line Description field. */
    r = rc_need(&c, "belr", NULL);
    assert_string_equal(r->homepage, "https://www.linphone.org");
    assert_string_equal(r->category, "misc");
    rc_free(&c);
}

/* Ubuntu: Maintainer + Uploaders are used, Original-Maintainer is not. */
static void test_noble_sample(void **state)
{
    (void)state;
    rc_set c = {0};
    char err[256] = "";
    assert_int_equal(parse_path(tu_fixture("deb/noble-sample.Sources"), &c, NULL, err, sizeof err),
                     0);
    assert_int_equal(c.n, 1);
    assert_string_equal(c.recs[0].srcname, "sysconfig");
    assert_string_equal(c.recs[0].version, "0.0.14ubuntu3");
    assert_string_equal(c.recs[0].binnames, "sysconfig-hardware");
    assert_string_equal(c.recs[0].maintainers,
                        "ubuntu-devel-discuss@lists.ubuntu.com,waldi@debian.org");
    assert_string_equal(c.recs[0].category, "admin");
    assert_null(c.recs[0].homepage);
    rc_free(&c);
}

/* Stanzas without Version or Package are skipped and counted; the rest still parse. */
static void test_missing_fields(void **state)
{
    (void)state;
    rc_set c = {0};
    pf_parse_stats st;
    char err[256] = "";
    assert_int_equal(parse_path(tu_fixture("deb/missing-fields.Sources"), &c, &st, err, sizeof err),
                     0);
    assert_int_equal(c.n, 1);
    assert_int_equal(st.records, 1);
    assert_int_equal(st.skipped, 2);
    assert_string_equal(c.recs[0].srcname, "pexec");
    rc_free(&c);
}

/* Garbage lines, NUL bytes, CRLF, whitespace-only separators, odd maintainer lists. */
static void test_garbage_lines(void **state)
{
    (void)state;
    static const char text[] = " orphan continuation line\n"
                               "garbage line without colon\n"
                               ": no field name\n"
                               "Package: foo\r\n"
                               "version:   1.0-1  \r\n"
                               "Maintainer: Foo Bar <Foo@Example.ORG>\r\n"
                               "Uploaders: foo@example.org, \"Baz, Qux\" <baz@example.org>,\r\n"
                               "  plain@example.net, Nobody, <FOO@example.org>\r\n"
                               "\x01\x02\xff\xfe junk \x00 with a NUL\r\n"
                               "Binary: foo,\r\n"
                               "  foo-doc ,foo-dev\r\n"
                               "Homepage:\r\n"
                               "Section:\tdevel\r\n"
                               "\t  \r\n"
                               "Package: bar\x00hidden\n"
                               "Version: 2\n"
                               "\n\n\n"
                               "Package: nover\n";
    rc_set c = {0};
    pf_parse_stats st;
    char err[256] = "";
    assert_int_equal(parse_mem(text, sizeof text - 1, &c, &st, err, sizeof err), 0);
    assert_int_equal(c.n, 2);
    assert_int_equal(st.skipped, 1);
    assert_string_equal(c.recs[0].srcname, "foo");
    assert_string_equal(c.recs[0].version, "1.0-1");
    assert_string_equal(c.recs[0].maintainers, "foo@example.org,baz@example.org,plain@example.net");
    assert_string_equal(c.recs[0].binnames, "foo foo-doc foo-dev");
    assert_null(c.recs[0].homepage);
    assert_string_equal(c.recs[0].category, "devel");
    assert_string_equal(c.recs[1].srcname, "bar");
    assert_string_equal(c.recs[1].version, "2");
    assert_null(c.recs[1].maintainers);
    assert_null(c.recs[1].binnames);
    rc_free(&c);
}

/* Pseudo-random bytes (with newlines, colons, NULs): no crash, only sane records. */
static void test_random_bytes(void **state)
{
    (void)state;
    size_t len = 1 << 20;
    unsigned char *buf = malloc(len);
    assert_non_null(buf);
    unsigned x = 12345;
    static const char alphabet[] = "\n\n  :Package Version Binary Uploaders <@>,\"\t\r\0\xff";
    for (size_t i = 0; i < len; i++) {
        x = x * 1103515245u + 12345u;
        unsigned v = x >> 16;
        buf[i] = (v & 1) ? (unsigned char)alphabet[(v >> 1) % (sizeof alphabet - 1)]
                         : (unsigned char)(v >> 8);
    }
    buf[0] = 'P'; /* not a compression magic */
    rc_set c = {0};
    char err[256] = "";
    int rc = parse_mem(buf, len, &c, NULL, err, sizeof err);
    assert_int_equal(rc, 0);
    assert_false(c.bad);
    rc_free(&c);
    free(buf);
}

/* Build "Package/Version/Files" with continuation lines totalling more than 16 MB. */
static char *big_stanza(size_t *len)
{
    size_t cap = (17u << 20) + 4096;
    char *buf = malloc(cap);
    assert_non_null(buf);
    size_t n = (size_t)sprintf(buf, "Package: big\nVersion: 1\nFiles:\n");
    while (n < (17u << 20)) {
        buf[n++] = ' ';
        memset(buf + n, 'a', 999);
        n += 999;
        buf[n++] = '\n';
    }
    n += (size_t)sprintf(buf + n, "\nPackage: after\nVersion: 1\n");
    *len = n;
    return buf;
}

/* A stanza over 16 MB is an error that names the cause. */
static void test_stanza_too_big(void **state)
{
    (void)state;
    size_t len;
    char *buf = big_stanza(&len);
    rc_set c = {0};
    char err[256] = "";
    assert_int_equal(parse_mem(buf, len, &c, NULL, err, sizeof err), -1);
    assert_int_equal(c.n, 0);
    assert_non_null(strstr(err, "larger than 16 MB"));
    rc_free(&c);

    /* One single line over 16 MB fails in the line reader. */
    memset(buf, 'x', len - 1);
    memcpy(buf, "Package: ", 9);
    buf[len - 1] = '\n';
    err[0] = 0;
    assert_int_equal(parse_mem(buf, len, &c, NULL, err, sizeof err), -1);
    assert_int_equal(c.n, 0);
    assert_non_null(strstr(err, "deb-sources:"));
    rc_free(&c);
    free(buf);
}

/* A non-zero emit result stops the parser and is returned as is. */
static void test_emit_stops(void **state)
{
    (void)state;
    rc_set c = {0};
    c.stop_after = 2;
    char err[256] = "";
    assert_int_equal(parse_path(tu_fixture("deb/sid-sample.Sources"), &c, NULL, err, sizeof err),
                     7);
    assert_int_equal(c.n, 2);
    rc_free(&c);
}

/* The format table knows deb-sources and nothing made up. */
static void test_format_table(void **state)
{
    (void)state;
    const pf_format *f = pf_format_find("deb-sources");
    assert_non_null(f);
    assert_ptr_equal(f->parse, pf_parse_deb_sources);
    assert_non_null(f->description);
    assert_null(pf_format_find("deb-source"));
    assert_null(pf_format_find(""));
    assert_null(pf_format_find(NULL));
    size_t n = 0;
    int seen = 0;
    for (const pf_format *p = pf_format_list(); p->name; p++, n++)
        seen |= p == f;
    assert_true(n >= 1);
    assert_true(seen);
}

/* Parse a whole realdata index through its decoder; check count and invariants. */
static void check_real(const char *rel, long expect, long expect_homepage)
{
    const char *path = tu_realdata(rel);
    if (!path)
        skip();
    char err[256] = "";
    pf_reader *r = pf_reader_open_path(path, 0, err, sizeof err);
    assert_non_null(r);
    rc_set c = {.count_only = 1, .check = binnames_no_comma};
    pf_parse_stats st;
    int rc = pf_parse_deb_sources(r, NULL, rc_emit, &c, &st, err, sizeof err);
    pf_reader_close(r);
    if (rc != 0)
        fail_msg("%s: %s", rel, err);
    assert_int_equal(c.n, expect);
    assert_int_equal(st.records, expect);
    assert_int_equal(st.skipped, 0);
    assert_false(c.bad);
    assert_int_equal(c.with_binnames, expect);
    assert_int_equal(c.with_maint, expect);
    if (expect_homepage >= 0)
        assert_int_equal(c.with_homepage, expect_homepage);
}

static void test_real_sid(void **state)
{
    (void)state;
    check_real("debian/sid-main-Sources.xz", 42990, 41159);
}

static void test_real_trixie(void **state)
{
    (void)state;
    check_real("debian/trixie-main-Sources.xz", 37652, -1);
}

static void test_real_bookworm(void **state)
{
    (void)state;
    check_real("debian/bookworm-main-Sources.xz", 34335, -1);
}

static void test_real_noble_main(void **state)
{
    (void)state;
    check_real("ubuntu/noble-main-Sources.xz", 2390, -1);
}

/* Parse speed without decompression: decode sid into memory once, then time the parser. */
static void test_real_sid_speed(void **state)
{
    (void)state;
    const char *path = tu_realdata("debian/sid-main-Sources.xz");
    if (!path)
        skip();
    char err[256] = "";
    pf_reader *r = pf_reader_open_path(path, 0, err, sizeof err);
    assert_non_null(r);
    size_t cap = 80u << 20, len = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    for (;;) {
        if (len == cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
        ssize_t got = r->read(r, buf + len, cap - len);
        assert_true(got >= 0);
        if (got == 0)
            break;
        len += (size_t)got;
    }
    pf_reader_close(r);

    rc_set c = {.count_only = 1, .check = binnames_no_comma};
    pf_reader *m = pf_reader_open_mem(buf, len, PF_CODEC_NONE, err, sizeof err);
    assert_non_null(m);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = pf_parse_deb_sources(m, NULL, rc_emit, &c, &(pf_parse_stats){0, 0}, err, sizeof err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    pf_reader_close(m);
    free(buf);
    assert_int_equal(rc, 0);
    assert_int_equal(c.n, 42990);
    double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("# deb-sources: sid %.1f MB, %zu records parsed in %.3f s (%.0f MB/s)\n",
           (double)len / 1e6, c.n, s, (double)len / 1e6 / s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sid_sample),     cmocka_unit_test(test_noble_sample),
        cmocka_unit_test(test_missing_fields), cmocka_unit_test(test_garbage_lines),
        cmocka_unit_test(test_random_bytes),   cmocka_unit_test(test_stanza_too_big),
        cmocka_unit_test(test_emit_stops),     cmocka_unit_test(test_format_table),
        cmocka_unit_test(test_real_sid),       cmocka_unit_test(test_real_trixie),
        cmocka_unit_test(test_real_bookworm),  cmocka_unit_test(test_real_noble_main),
        cmocka_unit_test(test_real_sid_speed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
