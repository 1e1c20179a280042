/*
 * test_fmt_pkgsrc.c — pkgsrc-index (crawler/formats/fmt_pkgsrc_index.c):
 * the INDEX fixture field by field (flavoured Python lines sharing one
 * PKGPATH, "nb" revisions, no maintainer, several homepages and categories,
 * white space around a line, CRLF), the PF_VS_PKGSRC cleanup Repology's
 * PkgsrcIndexParser applies, the project seed from the package name, and
 * the failures: a file in another layout (FreeBSD's 13 fields), NUL bytes.
 */
#include "testutil.h"

#include <string.h>

#include "fmtrun.h"
#include "pkgfresh/normalize.h"

/* The normalized version of raw under pkgsrc's scheme. */
static const char *norm(const char *raw)
{
    static char out[256];
    unsigned flags = 0;
    pf_normalize_version(pf_vscheme_for_format("pkgsrc-index"), raw, out, sizeof out, &flags);
    assert_int_equal(flags, 0);
    return out;
}

/* Every field of the fixture's records. */
static void test_pkgsrc_fixture(void **state)
{
    (void)state;
    fr_result r;
    fr_parse_path("pkgsrc-index", tu_fixture("pkgsrc/INDEX"), &r);
    if (r.rc != 0)
        fail_msg("%s", r.err);
    assert_false(r.bad);
    assert_int_equal(r.stats.records, 7);
    assert_int_equal(r.stats.skipped, 2); /* 11 fields; empty PKGNAME */

    const fr_rec *p = fr_find(&r, "www/curl", NULL);
    assert_string_equal(p->binnames, "curl");
    assert_string_equal(p->version, "8.10.1nb1");
    assert_string_equal(p->summary, "Client that groks URLs");
    assert_string_equal(p->maintainers, "leot@netbsd.org");
    assert_string_equal(p->category, "www");
    assert_string_equal(p->homepage, "https://curl.se/");

    /* Two flavours of one PKGPATH: two records, seeded by their package names. */
    assert_int_equal(fr_count(&r, "devel/py-requests"), 2);
    p = fr_find(&r, "devel/py-requests", "py312-requests");
    assert_string_equal(p->version, "2.32.3");
    assert_string_equal(p->category, "devel");
    assert_string_equal(p->homepage, "https://requests.readthedocs.io/");
    p = fr_find(&r, "devel/py-requests", "py311-requests");
    assert_string_equal(p->homepage, "https://requests.readthedocs.io/");
    assert_true(pf_vscheme_seeds_from_binname(pf_vscheme_for_format("pkgsrc-index")));

    p = fr_find(&r, "www/p5-libwww", NULL);
    assert_null(p->homepage); /* a lone space */
    assert_string_equal(p->version, "6.77nb2");

    p = fr_find(&r, "x11/gtk3", NULL);
    assert_string_equal(p->binnames, "gtk3+");
    assert_null(p->maintainers); /* OWNER only: no MAINTAINER in the INDEX */

    /* Leading blanks and a CRLF ending are trimmed. */
    p = fr_find(&r, "lang/rust-bin", NULL);
    assert_string_equal(p->binnames, "rust-bin");
    assert_string_equal(p->homepage, "https://www.rust-lang.org/");
    assert_string_equal(p->maintainers, "pkgsrc-users@netbsd.org");

    assert_string_equal(norm("8.10.1nb1"), "8.10.1");
    assert_string_equal(norm("3.24.43nb10"), "3.24.43");
    assert_string_equal(norm("2.32.3"), "2.32.3");
    /* Cut at the LAST "nb" only: libnbcompat's date version is untouched. */
    assert_string_equal(norm(fr_find(&r, "pkgtools/libnbcompat", NULL)->version), "20240919");
    assert_string_equal(norm("1.0nbx2nb3"), "1.0nbx2");
    fr_free(&r);
}

/* A FreeBSD INDEX (13 fields) is not a pkgsrc INDEX: the parse fails, naming the line. */
static void test_pkgsrc_wrong_layout(void **state)
{
    (void)state;
    const char *doc = "curl-8.10.1|/usr/ports/ftp/curl|/usr/local|c|d|m@x.org|ftp|||https://x/|||\n"
                      "wget-1.24|/usr/ports/ftp/wget|/usr/local|c|d|m@x.org|ftp|||https://y/|||\n";
    fr_result r;
    fr_parse_mem("pkgsrc-index", doc, strlen(doc), &r);
    assert_int_equal(r.rc, -1);
    assert_string_equal(r.err,
                        "pkgsrc-index: 2 of 2 lines unusable, first at line 1: expected 12 fields, "
                        "got 13");
    fr_free(&r);

    /* No "-version" in PKGNAME, or an empty PKGPATH. */
    const char *odd = "noversion|a/b|p|c|d|m|c|||||\nx-1|||c|d|m|c|||||\ny-2|c/y|p|s|d|m|c|||||\n";
    fr_parse_mem("pkgsrc-index", odd, strlen(odd), &r);
    assert_int_equal(r.rc, -1);
    assert_non_null(strstr(r.err, "first at line 1: expected <name>-<version>"));
    assert_int_equal(r.n, 1);
    fr_free(&r);
}

/* NUL bytes and binary garbage are skipped lines, never a crash. */
static void test_pkgsrc_binary(void **state)
{
    (void)state;
    const char doc[] = "a-1|c/a|p|s|d|m|c|||||\n"
                       "b-2|c/b|p|s\0x|d|m|c|||||\n"
                       "c-3|c/c|p|s|d|m|c|||||\n";
    fr_result r;
    fr_parse_mem("pkgsrc-index", doc, sizeof doc - 1, &r);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.stats.records, 2);
    assert_int_equal(r.stats.skipped, 1);
    assert_null(r.recs[0].maintainers); /* "m" is no address */
    fr_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pkgsrc_fixture),
        cmocka_unit_test(test_pkgsrc_wrong_layout),
        cmocka_unit_test(test_pkgsrc_binary),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
