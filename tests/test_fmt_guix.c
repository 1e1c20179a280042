/*
 * test_fmt_guix.c — guix-json (crawler/formats/fmt_guix_json.c): the
 * packages.json fixture field by field and the flags Repology's
 * GuixJsonParser derives from each source type: git snapshots "X-N.<hash>"
 * (IGNORE), commit hashes elsewhere in the version (INCORRECT), tag and
 * date refs (none), svn revisions (IGNORE), url and untyped snapshots
 * (IGNORE); homepage false; empty versions skipped; the failures.
 */
#include "testutil.h"

#include <string.h>

#include "fmtrun.h"
#include "pkgfresh/normalize.h"
#include "pkgfresh/record.h"

/* The flags of the record named name. */
static unsigned flags_of(const fr_result *r, const char *name)
{
    return fr_find(r, name, NULL)->flags;
}

/* Every field and flag of the fixture's records. */
static void test_guix_fixture(void **state)
{
    (void)state;
    fr_result r;
    fr_parse_path("guix-json", tu_fixture("guix/packages.json"), &r);
    if (r.rc != 0)
        fail_msg("%s", r.err);
    assert_false(r.bad);
    assert_int_equal(r.stats.records, 10);
    assert_int_equal(r.stats.skipped, 1); /* empty version */

    const fr_rec *p = fr_find(&r, "curl", NULL);
    assert_string_equal(p->version, "8.6.0");
    assert_string_equal(p->summary, "Client URL library and command line tool");
    assert_string_equal(p->homepage, "https://curl.se/");
    assert_null(p->binnames);
    assert_null(p->maintainers);
    assert_null(p->license);
    assert_int_equal(p->flags, 0);

    assert_int_equal(flags_of(&r, "foo"), PF_F_IGNORE);     /* 0.1-2.0123abc, ref 0123abcd… */
    assert_int_equal(flags_of(&r, "bar"), PF_F_INCORRECT);  /* 1.2.0123abc */
    assert_null(fr_find(&r, "bar", NULL)->homepage);        /* homepage: false */
    assert_int_equal(flags_of(&r, "baz"), 0);               /* tag ref */
    assert_int_equal(flags_of(&r, "datepkg"), 0);           /* 8-digit date ref */
    assert_int_equal(flags_of(&r, "svnpkg"), PF_F_IGNORE);  /* revision 4567 */
    assert_int_equal(flags_of(&r, "urlsnap"), PF_F_IGNORE); /* -0.beef */
    assert_int_equal(flags_of(&r, "computed"), PF_F_IGNORE);
    assert_int_equal(flags_of(&r, "nosource"), 0);
    assert_int_equal(flags_of(&r, "hgpkg"), 0);
    assert_int_equal(pf_vscheme_for_format("guix-json"), PF_VS_PLAIN);
    fr_free(&r);
}

/* Flag corner cases, one package each. */
static void test_guix_flags(void **state)
{
    (void)state;
    static const struct {
        const char *json;
        unsigned flags;
    } cases[] = {
        /* a hash shorter than 4 hex digits is no snapshot */
        {"{\"name\":\"a\",\"version\":\"1.0-1.abc\",\"source\":{\"type\":\"url\"}}", 0},
        /* upper-case hex is not Guix's form */
        {"{\"name\":\"a\",\"version\":\"1.0-1.ABCD\",\"source\":{\"type\":\"url\"}}", 0},
        /* git snapshot whose hash is not the ref's prefix, but ref[:7] occurs */
        {"{\"name\":\"a\",\"version\":\"1.0-1.1111111x0123abc\",\"source\":{\"type\":\"git\","
         "\"git_ref\":\"0123abcdef\"}}",
         PF_F_INCORRECT},
        /* short ref (7 hex) is a trimmed commit */
        {"{\"name\":\"a\",\"version\":\"0-0.0123abc\",\"source\":{\"type\":\"git\","
         "\"git_ref\":\"0123abc\"}}",
         PF_F_IGNORE},
        /* svn revision as a string, not a component */
        {"{\"name\":\"a\",\"version\":\"1.45678\",\"source\":{\"type\":\"svn\","
         "\"svn_revision\":\"4567\"}}",
         0},
        /* two sources: the flags add up */
        {"{\"name\":\"a\",\"version\":\"2-3.abcd1234\",\"source\":[{\"type\":\"url\"},"
         "{\"type\":\"git\",\"git_ref\":\"ffffffffff\"}]}",
         PF_F_IGNORE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char doc[512];
        snprintf(doc, sizeof doc, "[%s]", cases[i].json);
        fr_result r;
        fr_parse_mem("guix-json", doc, strlen(doc), &r);
        assert_int_equal(r.rc, 0);
        assert_int_equal(r.n, 1);
        if (r.recs[0].flags != cases[i].flags)
            fail_msg("case %zu: flags %u, expected %u", i, r.recs[0].flags, cases[i].flags);
        fr_free(&r);
    }
}

/* A changed schema or a broken file fails with one line. */
static void test_guix_schema_change(void **state)
{
    (void)state;
    fr_result r;
    const char *renamed = "[{\"name\":\"a\",\"ver\":\"1\"},{\"name\":\"b\",\"ver\":\"2\"}]";
    fr_parse_mem("guix-json", renamed, strlen(renamed), &r);
    assert_int_equal(r.rc, -1);
    assert_string_equal(r.err, "guix-json: 2 of 2 packages without name or version (has the "
                               "format changed?)");
    fr_free(&r);

    const char *wrapped = "{\"packages\":[]}";
    fr_parse_mem("guix-json", wrapped, strlen(wrapped), &r);
    assert_int_equal(r.rc, -1);
    assert_non_null(strstr(r.err, "expected '[' (a top-level array)"));
    fr_free(&r);

    const char *garbage = "[{\"name\":\"a\",\"version\":\"1\"}]\x01\x02";
    fr_parse_mem("guix-json", garbage, strlen(garbage), &r);
    assert_int_equal(r.rc, -1);
    assert_non_null(strstr(r.err, "expected the end of the document, got byte 0x01"));
    fr_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_guix_fixture),
        cmocka_unit_test(test_guix_flags),
        cmocka_unit_test(test_guix_schema_change),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
