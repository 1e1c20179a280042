/*
 * test_fmt_homebrew_cask.c — the homebrew-cask-json parser
 * (crawler/formats/fmt_homebrew_cask_json.c) and the jsoneach loop it shares with
 * homebrew-json and cygwin-json (crawler/jsoneach.c).
 *
 * Fixture: tests/fixtures/homebrew_casks/cask.json, an excerpt in the
 * layout of https://formulae.brew.sh/api/cask.json (one array, plain as
 * served): a full cask object, an "@beta" token, a "version,build" version,
 * "latest", a null version, a non-object element, a version that is only
 * a build number.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkgfresh/format.h"
#include "pkgfresh/normalize.h"
#include "reccollect.h"

/* The fixture, field by field. */
static void test_fixture(void **state)
{
    (void)state;
    rc_set s;
    rc_parse_path(&s, pf_parse_homebrew_cask_json, NULL, tu_fixture("homebrew_casks/cask.json"));
    assert_int_equal(s.rc, 0);
    const rc_rec *r = rc_find(&s, "firefox", "133.0");
    assert_non_null(r);
    rc_eq(r->binnames, NULL);
    rc_eq(r->summary, "Web browser");
    rc_eq(r->homepage, "https://www.mozilla.org/firefox/");
    rc_eq(r->maintainers, NULL);
    rc_eq(r->license, NULL);
    rc_eq(r->category, NULL);
    assert_int_equal(r->flags, 0);
    assert_non_null(rc_find(&s, "firefox@beta", "134.0b9")); /* the token stays whole */
    r = rc_find(&s, "parsehub", "54.0.1");                   /* cut at the first ',' */
    assert_non_null(r);
    rc_eq(r->summary, NULL); /* "desc": null */
    assert_non_null(rc_find(&s, "google-chrome", "latest"));
    assert_int_equal(s.n, 4);
    assert_int_equal(s.stats.skipped, 3); /* null version, not an object, ",123" */
    rc_free(&s);
    /* casks are seeded as they are: the scheme does not cut at '@' like formulae */
    assert_int_equal(pf_vscheme_for_format("homebrew-cask-json"), PF_VS_PLAIN);
}

/* A schema change (an object instead of the array) and truncation fail with one line. */
static void test_errors(void **state)
{
    (void)state;
    static const char *const docs[] = {
        "{\"casks\": []}",
        "[{\"token\": \"a\", \"version\": \"1\"}, {\"token\": ",
        "[{\"token\": \"a\" \"version\": \"1\"}]",
        "\x1f\x8b garbage",
    };
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        rc_set s;
        rc_parse_mem(&s, pf_parse_homebrew_cask_json, NULL, docs[i], strlen(docs[i]));
        assert_int_equal(s.rc, -1);
        assert_true(strncmp(s.err, "homebrew-cask-json: ", 20) == 0);
        assert_null(strchr(s.err, '\n'));
        rc_free(&s);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixture),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
