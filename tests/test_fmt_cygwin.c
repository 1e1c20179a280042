/*
 * test_fmt_cygwin.c — the cygwin-json parser (crawler/formats/fmt_cygwin_json.c), the
 * Cygwin version scheme (analyzer/normalize_cygwin.c) and the member-array
 * shape of the JSON splitter it reads through (crawler/jsonstream.c).
 *
 * Fixture: tests/fixtures/cygwin/packages.json.xz, hand-written in the
 * layout cygwin.com publishes ({"packages": [...]}, xz as served): an
 * installer helper ("_autorebase"), stable and test versions, an obsolete
 * subpackage, a pre-release release in stable, a package whose every
 * subpackage is obsolete, a version without release, an entry without name.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkgfresh/format.h"
#include "pkgfresh/normalize.h"
#include "pkgfresh/record.h"
#include "reccollect.h"

/* The fixture, field by field. */
static void test_fixture(void **state)
{
    (void)state;
    rc_set s;
    rc_parse_path(&s, pf_parse_cygwin_json, NULL, tu_fixture("cygwin/packages.json.xz"));
    assert_int_equal(s.rc, 0);
    assert_null(rc_find(&s, "_autorebase", NULL));     /* helper: left out, not counted */
    const rc_rec *r = rc_find(&s, "curl", "8.10.1-1"); /* the last stable version */
    assert_non_null(r);
    rc_eq(r->binnames, "libcurl4 curl curl-debuginfo"); /* libcurl3 is _obsolete */
    rc_eq(r->category, "Net");                          /* of the subpackage named "curl" */
    rc_eq(r->summary, "Multi-protocol file transfer tool");
    rc_eq(r->homepage, "https://curl.se/");
    rc_eq(r->maintainers, "jon.turney@cygwin,yaakov.selkowitz@cygwin");
    rc_eq(r->license, NULL);
    assert_int_equal(r->flags, 0);
    r = rc_find(&s, "curl", "8.11.0-0.1rc2"); /* test: IGNORE */
    assert_non_null(r);
    assert_int_equal(r->flags, PF_F_IGNORE);
    r = rc_find(&s, "gcc", "13.4.0-1");
    assert_non_null(r);
    rc_eq(r->maintainers, "jh.van.de.water@cygwin"); /* dots dropped, spaces -> dots */
    rc_eq(r->category, "Devel");
    assert_non_null(rc_find(&s, "gcc", "14.2.0-0.20240801"));
    assert_non_null(rc_find(&s, "python3-alpha", "3.14.0-0.1a.5"));
    assert_null(rc_find(&s, "oldlib", NULL));
    assert_null(rc_find(&s, "norelease", NULL));
    assert_int_equal(s.n, 5);
    assert_int_equal(s.stats.skipped, 3); /* oldlib, norelease, the nameless entry */
    rc_free(&s);
}

/* PF_VS_CYGWIN: the release cut, pre-release tags kept as "-tag" + DEVEL, else IGNORE. */
static void test_normalize(void **state)
{
    (void)state;
    static const struct {
        const char *raw, *want;
        unsigned flags;
    } cases[] = {
        {"8.10.1-1", "8.10.1", 0},
        {"8.11.0-0.1rc2", "8.11.0-rc2", PF_F_DEVEL},
        {"3.14.0-0.1a.5", "3.14.0-a.5", PF_F_DEVEL},
        {"2.0-0.3beta", "2.0-beta", PF_F_DEVEL},
        {"2.0-0.3beta.2", "2.0-beta.2", PF_F_DEVEL},
        {"1.0-0alpha1", "1.0-alpha1", PF_F_DEVEL},
        {"1.0-0.1b2", "1.0-b2", PF_F_DEVEL},
        {"1.0-0.1gamma2", "1.0", PF_F_IGNORE},        /* "a2" follows a letter */
        {"14.2.0-0.20240801", "14.2.0", PF_F_IGNORE}, /* unknown pre-release form */
        {"1.0-0", "1.0", 0},                          /* "0" alone: someone counted from 0 */
        {"1.0-10", "1.0", 0},
        {"2.0", "2.0", 0},
        {"a-b-c-1", "a-b-c", 0},
    };
    assert_int_equal(pf_vscheme_for_format("cygwin-json"), PF_VS_CYGWIN);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[64];
        unsigned flags = 0;
        pf_normalize_version(PF_VS_CYGWIN, cases[i].raw, out, sizeof out, &flags);
        if (strcmp(out, cases[i].want) != 0 || flags != cases[i].flags)
            fprintf(stderr, "%s -> %s (flags %u)\n", cases[i].raw, out, flags);
        assert_string_equal(out, cases[i].want);
        assert_int_equal(flags, cases[i].flags);
    }
    char tiny[4];
    unsigned flags = 0;
    pf_normalize_version(PF_VS_CYGWIN, "8.11.0-0.1rc2", tiny, sizeof tiny, &flags);
    assert_string_equal(tiny, "8.1"); /* truncated, still terminated */
}

/* Schema change and broken documents fail with one line. */
static void test_errors(void **state)
{
    (void)state;
    static const struct {
        const char *doc, *want;
    } cases[] = {
        {"{\"repository_name\": \"cygwin\", \"pkgs\": []}",
         "cygwin-json: JSON document has no top-level \"packages\" member"},
        {"{\"packages\": {\"curl\": {}}}", "cygwin-json: "},
        {"[{\"name\": \"curl\"}]", "cygwin-json: "},
        {"{\"packages\": [{\"name\": \"curl\", \"versions\": {\"stable\": [\"1-1\"]},",
         "cygwin-json: "},
        {"{\"packages\": [{\"name\": \"curl\" \"x\": 1}]}", "cygwin-json: invalid JSON at byte"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rc_set s;
        rc_parse_mem(&s, pf_parse_cygwin_json, NULL, cases[i].doc, strlen(cases[i].doc));
        if (s.rc != -1 || !strstr(s.err, cases[i].want))
            fprintf(stderr, "case %zu: rc %d: %s\n", i, s.rc, s.err);
        assert_int_equal(s.rc, -1);
        assert_non_null(strstr(s.err, cases[i].want));
        assert_null(strchr(s.err, '\n'));
        rc_free(&s);
    }
    /* other top-level members before and after the array are skipped */
    static const char ok[] = "{\"a\": [1, {\"b\": \"]\"}], \"packages\": [{\"name\": \"x\", "
                             "\"versions\": {\"stable\": [\"1.0-1\"]}, \"subpackages\": [{\"name\":"
                             " \"x\", \"categories\": []}]}], \"z\": {\"packages\": 1}}";
    rc_set s;
    rc_parse_mem(&s, pf_parse_cygwin_json, NULL, ok, sizeof ok - 1);
    assert_int_equal(s.rc, 0);
    assert_int_equal(s.n, 1);
    rc_eq(s.recs[0].category, NULL);
    rc_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixture),
        cmocka_unit_test(test_normalize),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
