/*
 * test_fmt_macports.c — macports-json (crawler/formats/fmt_macports_json.c):
 * the PortIndex.json fixture (portindex2json.tcl's shape: string scalars,
 * category arrays, maintainer objects) field by field — subports sharing a
 * portdir, macports.org vs other e-mail domains, GitHub handles, an empty
 * maintainer list, -devel ports, Tcl braces in the licence, obsolete
 * (replaced_by) ports — the PF_VS_MACPORTS cleanup, and the failures.
 */
#include "testutil.h"

#include <string.h>

#include "fmtrun.h"
#include "pkgfresh/normalize.h"
#include "pkgfresh/record.h"

/* Every field of the fixture's records. */
static void test_macports_fixture(void **state)
{
    (void)state;
    fr_result r;
    fr_parse_path("macports-json", tu_fixture("macports/PortIndex.json"), &r);
    if (r.rc != 0)
        fail_msg("%s", r.err);
    assert_false(r.bad);
    assert_int_equal(r.stats.records, 5);
    assert_int_equal(r.stats.skipped, 1); /* no version; the replaced_by port is not counted */
    for (size_t i = 0; i < r.n; i++)
        assert_string_not_equal(r.recs[i].binnames, "old-viewer");

    assert_int_equal(fr_count(&r, "python/py-requests"), 2);
    const fr_rec *p = fr_find(&r, "python/py-requests", "py312-requests");
    assert_string_equal(p->version, "2.32.3");
    assert_string_equal(p->summary, "HTTP library, written in Python, for human beings");
    assert_string_equal(p->homepage, "https://requests.readthedocs.io");
    assert_string_equal(p->category, "python");
    assert_string_equal(p->license, "Apache-2");
    assert_string_equal(p->maintainers, "someone@macports,someonegh@github");
    assert_int_equal(p->flags, 0);

    /* Only macports.org addresses are published; other domains give nothing. */
    p = fr_find(&r, "net/curl", NULL);
    assert_string_equal(p->maintainers, "ryandesign@github,jmr@macports");
    assert_string_equal(p->category, "net");

    /* <portdir basename>-devel is IGNOREd; empty list -> nomaintainer; braces kept. */
    p = fr_find(&r, "lang/gcc-devel", NULL);
    assert_int_equal(p->flags, 0); /* the portdir itself is gcc-devel */
    assert_string_equal(p->maintainers, "nomaintainer@macports.org");
    assert_string_equal(p->license, "{GPL-3+ Permissive}");
    p = fr_find(&r, "graphics/ImageMagick7", NULL);
    assert_string_equal(p->binnames, "ImageMagick7-devel");
    assert_int_equal(p->flags, PF_F_IGNORE);
    assert_string_equal(p->maintainers, "mascguy@github");

    char out[64];
    unsigned fl = 0;
    pf_vscheme vs = pf_vscheme_for_format("macports-json");
    assert_true(pf_vscheme_seeds_from_binname(vs));
    pf_normalize_version(vs, p->version, out, sizeof out, &fl);
    assert_string_equal(out, "7.1.1-40");
    pf_normalize_version(vs, "1.0+a+b", out, sizeof out, &fl);
    assert_string_equal(out, "1.0+a");
    assert_int_equal(fl, 0);
    fr_free(&r);
}

/* The raw Tcl PortIndex, or a bare array, fails with one line; so does a renamed field. */
static void test_macports_schema_change(void **state)
{
    (void)state;
    fr_result r;
    const char *tcl = "curl 1234\nportdir net/curl version 8.10.1 name curl\n";
    fr_parse_mem("macports-json", tcl, strlen(tcl), &r);
    assert_int_equal(r.rc, -1);
    assert_string_equal(r.err, "macports-json: invalid JSON at byte 0: expected '{' (a top-level "
                               "object), got 'c'");
    fr_free(&r);

    const char *arr = "[{\"name\":\"a\",\"version\":\"1\",\"portdir\":\"x/a\"}]";
    fr_parse_mem("macports-json", arr, strlen(arr), &r);
    assert_int_equal(r.rc, -1);
    fr_free(&r);

    const char *renamed = "{\"ports\":[{\"name\":\"a\",\"version\":\"1\",\"dir\":\"x/a\"},"
                          "{\"name\":\"b\",\"version\":\"1\",\"dir\":\"x/b\"}]}";
    fr_parse_mem("macports-json", renamed, strlen(renamed), &r);
    assert_int_equal(r.rc, -1);
    assert_non_null(strstr(r.err, "2 of 2 ports without name, version or portdir"));
    fr_free(&r);

    /* Wrong types inside a port: fields dropped, nothing crashes. */
    const char *types = "{\"ports\":[{\"name\":\"a\",\"version\":\"1\",\"portdir\":\"x/a\","
                        "\"maintainers\":[1,{\"email\":\"x\"},{\"github\":\"a b\"}],"
                        "\"categories\":\"net\",\"license\":[\"MIT\"]}]}";
    fr_parse_mem("macports-json", types, strlen(types), &r);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.n, 1);
    assert_null(r.recs[0].maintainers);
    assert_null(r.recs[0].category);
    assert_null(r.recs[0].license);
    fr_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_macports_fixture),
        cmocka_unit_test(test_macports_schema_change),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
