/*
 * test_fmt_aur.c — aur-json (crawler/formats/fmt_aur_json.c): the gzip'd
 * packages-meta-ext-v1.json fixture field by field (split package, orphan,
 * VCS package with epoch, co-maintainers, missing fields), the PF_VS_ARCH
 * version cleanup Repology's AURJsonParser applies, and the failures: a
 * renamed field, truncation, a wrong root.
 */
#include "testutil.h"

#include <string.h>

#include "fmtrun.h"
#include "pkgfresh/normalize.h"

/* The normalized version of raw under the scheme of format fmt. */
static const char *norm(const char *fmt, const char *raw, unsigned *flags)
{
    static char out[256];
    *flags = 0;
    pf_normalize_version(pf_vscheme_for_format(fmt), raw, out, sizeof out, flags);
    return out;
}

/* Every field of the fixture's records. */
static void test_aur_fixture(void **state)
{
    (void)state;
    fr_result r;
    fr_parse_path("aur-json", tu_fixture("aur/packages-meta-ext-v1.json.gz"), &r);
    if (r.rc != 0)
        fail_msg("%s", r.err);
    assert_false(r.bad);
    assert_int_equal(r.stats.records, 6);
    assert_int_equal(r.stats.skipped, 1); /* no Version */

    const fr_rec *p = fr_find(&r, "python-foo-git", NULL);
    assert_string_equal(p->binnames, "python-foo-git");
    assert_string_equal(p->version, "1:0.4.1.r12.gabc1234-1");
    assert_string_equal(p->summary, "Foo bindings (git version)");
    assert_string_equal(p->homepage, "https://github.com/example/foo");
    assert_string_equal(p->license, "MIT");
    assert_string_equal(p->maintainers, "alice@aur,bob@aur,carol@aur");
    assert_null(p->category);
    assert_int_equal(p->flags, 0);

    /* Split package: two names, one base, so one project seed. */
    assert_int_equal(fr_count(&r, "linux-zen-lts"), 2);
    p = fr_find(&r, "linux-zen-lts", "linux-zen-lts-headers");
    assert_string_equal(p->version, "6.6.58-1");
    assert_string_equal(p->maintainers, "dave@aur");

    /* Orphan: no maintainer; null Description and URL are absent fields. */
    p = fr_find(&r, "xorg-font-orphan", NULL);
    assert_null(p->maintainers);
    assert_null(p->summary);
    assert_null(p->homepage);
    assert_string_equal(p->license, "MIT, custom:X11");

    p = fr_find(&r, "zoom-bin", NULL);
    assert_null(p->license); /* empty License[] */
    assert_string_equal(p->summary, "Video conferencing — “Zoom” client");

    /* Without PackageBase the name is the source name. */
    assert_string_equal(fr_find(&r, "nobase", NULL)->binnames, "nobase");

    unsigned fl;
    assert_string_equal(norm("aur-json", "1:0.4.1.r12.gabc1234-1", &fl), "0.4.1.r12.gabc1234");
    assert_string_equal(norm("aur-json", "2.3+really2.2-3", &fl), "2.3");
    assert_string_equal(norm("aur-json", "1:1.2.8-7", &fl), "1.2.8");
    fr_free(&r);
}

/* A renamed field fails the parse instead of yielding a near-empty repository. */
static void test_aur_schema_change(void **state)
{
    (void)state;
    const char *doc = "[{\"Name\":\"a\",\"Ver\":\"1-1\"},{\"Name\":\"b\",\"Ver\":\"2-1\"},"
                      "{\"Name\":\"c\",\"Version\":\"3-1\"}]";
    fr_result r;
    fr_parse_mem("aur-json", doc, strlen(doc), &r);
    assert_int_equal(r.rc, -1);
    assert_string_equal(r.err, "aur-json: 2 of 3 entries without Name or Version (has the format "
                               "changed?)");
    fr_free(&r);

    /* The former RPC shape {"results": [...]} is not the array the file holds. */
    const char *rpc = "{\"resultcount\":1,\"results\":[{\"Name\":\"a\",\"Version\":\"1-1\"}]}";
    fr_parse_mem("aur-json", rpc, strlen(rpc), &r);
    assert_int_equal(r.rc, -1);
    assert_non_null(strstr(r.err, "aur-json: invalid JSON at byte 0: expected '['"));
    assert_int_equal(r.n, 0);
    fr_free(&r);
}

/* Truncation and bad entries are errors naming the byte; records before stay counted. */
static void test_aur_truncated(void **state)
{
    (void)state;
    const char *doc =
        "[{\"Name\":\"a\",\"PackageBase\":\"a\",\"Version\":\"1-1\"},{\"Name\":\"b\",";
    fr_result r;
    fr_parse_mem("aur-json", doc, strlen(doc), &r);
    assert_int_equal(r.rc, -1);
    assert_non_null(strstr(r.err, "aur-json: truncated JSON"));
    assert_int_equal(r.n, 1);
    fr_free(&r);

    const char *bad = "[{\"Name\":\"a\",\"Version\":tru}]";
    fr_parse_mem("aur-json", bad, strlen(bad), &r);
    assert_int_equal(r.rc, -1);
    assert_non_null(strstr(r.err, "aur-json: invalid JSON at byte"));
    fr_free(&r);

    /* Wrong types are skipped, not crashed on: the entry counts as unusable. */
    const char *types = "[{\"Name\":1,\"Version\":\"1\"},{\"Name\":\"x\",\"Version\":\"1-1\","
                        "\"License\":\"MIT\",\"Maintainer\":[\"a\"],\"CoMaintainers\":{}},"
                        "{\"Name\":\"y\",\"Version\":\"2-1\",\"Maintainer\":\"a b\"}]";
    fr_parse_mem("aur-json", types, strlen(types), &r);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.stats.records, 2);
    assert_int_equal(r.stats.skipped, 1);
    assert_null(r.recs[0].license);
    assert_null(r.recs[0].maintainers);
    assert_null(r.recs[1].maintainers); /* a login with a space is no login */
    fr_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_aur_fixture),
        cmocka_unit_test(test_aur_schema_change),
        cmocka_unit_test(test_aur_truncated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
