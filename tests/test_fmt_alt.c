/*
 * test_fmt_alt.c — alt-json (crawler/formats/fmt_alt_json.c): the ALT
 * Sisyphus export fixture field by field (epochs as numbers and strings,
 * binaries, packager forms, a package without release), the RPM cleanup of
 * ALT releases Repology's SisyphusJsonParser applies (alt0.rc1 -> DEVEL,
 * alt0.<date> -> IGNORE), and the failures: no "packages" array, renamed
 * fields, truncation.
 */
#include "testutil.h"

#include <string.h>

#include "fmtrun.h"
#include "pkgfresh/normalize.h"
#include "pkgfresh/record.h"

/* The normalized version of raw under alt-json's scheme; flags in *flags. */
static const char *norm(const char *raw, unsigned *flags)
{
    static char out[256];
    *flags = 0;
    pf_normalize_version(pf_vscheme_for_format("alt-json"), raw, out, sizeof out, flags);
    return out;
}

/* Every field of the fixture's records. */
static void test_alt_fixture(void **state)
{
    (void)state;
    fr_result r;
    fr_parse_path("alt-json", tu_fixture("alt/sisyphus.json"), &r);
    if (r.rc != 0)
        fail_msg("%s", r.err);
    assert_false(r.bad);
    assert_int_equal(r.stats.records, 5);
    assert_int_equal(r.stats.skipped, 1); /* no release */

    const fr_rec *p = fr_find(&r, "curl", NULL);
    assert_string_equal(p->binnames, "curl libcurl libcurl-devel");
    assert_string_equal(p->version, "8.10.1-alt1"); /* epoch 0 left out */
    assert_string_equal(p->summary, "Gets a file from a FTP, GOPHER or HTTP server");
    assert_string_equal(p->license, "MIT");
    assert_string_equal(p->category, "Networking/File transfer");
    assert_string_equal(p->maintainers, "rider@altlinux.org");
    assert_string_equal(p->homepage, "https://curl.se");
    assert_int_equal(p->flags, 0);

    p = fr_find(&r, "python3-module-setuptools", NULL);
    assert_string_equal(p->version, "1:75.1.0-alt1");
    assert_string_equal(p->binnames, "python3-module-setuptools python3-module-pkg_resources");

    p = fr_find(&r, "gimp", NULL);
    assert_string_equal(p->version, "3.0.0-alt0.rc1");
    assert_string_equal(p->maintainers, "aen@altlinux.org");

    p = fr_find(&r, "ffmpeg-snap", NULL);
    assert_string_equal(p->version, "2:7.1-alt0.20241001"); /* epoch given as a string */
    assert_null(p->binnames);
    assert_null(p->maintainers); /* "nobody at altlinux" is no address */

    p = fr_find(&r, "kernel-image-un-def", NULL);
    assert_string_equal(p->version, "1:6.12.1-alt1");

    unsigned fl;
    assert_string_equal(norm("8.10.1-alt1", &fl), "8.10.1");
    assert_int_equal(fl, 0);
    assert_string_equal(norm("1:75.1.0-alt1", &fl), "75.1.0");
    assert_string_equal(norm("3.0.0-alt0.rc1", &fl), "3.0.0-rc1");
    assert_true(fl & PF_F_DEVEL);
    norm("2:7.1-alt0.20241001", &fl);
    assert_true(fl & PF_F_IGNORE);
    norm("1.0-alt0.1", &fl);
    assert_true(fl & PF_F_IGNORE);
    fr_free(&r);
}

/* Schema changes fail the crawl with one line. */
static void test_alt_schema_change(void **state)
{
    (void)state;
    fr_result r;
    const char *nopk = "{\"branch\":\"sisyphus\",\"pkgs\":[{\"name\":\"a\"}]}";
    fr_parse_mem("alt-json", nopk, strlen(nopk), &r);
    assert_int_equal(r.rc, -1);
    assert_string_equal(r.err, "alt-json: JSON document has no top-level \"packages\" member");
    fr_free(&r);

    const char *obj = "{\"packages\":{\"a\":{}}}";
    fr_parse_mem("alt-json", obj, strlen(obj), &r);
    assert_int_equal(r.rc, -1);
    assert_non_null(strstr(r.err, "expected '[' (the \"packages\" array), got '{'"));
    fr_free(&r);

    const char *renamed = "{\"packages\":[{\"name\":\"a\",\"ver\":\"1\",\"rel\":\"alt1\"},"
                          "{\"name\":\"b\",\"version\":\"1\",\"release\":\"alt1\"},"
                          "{\"name\":\"c\",\"ver\":\"1\",\"rel\":\"alt1\"}]}";
    fr_parse_mem("alt-json", renamed, strlen(renamed), &r);
    assert_int_equal(r.rc, -1);
    assert_string_equal(r.err, "alt-json: 2 of 3 packages without name, version or release (has "
                               "the format changed?)");
    fr_free(&r);

    /* Members after the array are checked too. */
    const char *tail = "{\"packages\":[],\"count\":0,}";
    fr_parse_mem("alt-json", tail, strlen(tail), &r);
    assert_int_equal(r.rc, -1);
    assert_non_null(strstr(r.err, "alt-json: invalid JSON at byte"));
    fr_free(&r);

    const char *cut = "{\"packages\":[{\"name\":\"a\",\"version\":\"1\",\"release\":\"alt1\"}";
    fr_parse_mem("alt-json", cut, strlen(cut), &r);
    assert_int_equal(r.rc, -1);
    assert_non_null(strstr(r.err, "alt-json: truncated JSON"));
    assert_int_equal(r.n, 1);
    fr_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alt_fixture),
        cmocka_unit_test(test_alt_schema_change),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
