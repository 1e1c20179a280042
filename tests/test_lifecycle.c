/*
 * test_lifecycle.c — catalog keys that change what is counted and crawled,
 * through the real binary over a loopback HTTP server:
 *  - shadow: true — a project only a shadow repository has is left out of
 *    every statistic, while shadow packages still take part in version
 *    comparison and the family count (Repology's update_repositories.sql);
 *  - valid_till — `crawl` with no names skips a repository past it (its
 *    history stays), `repos` shows it, `render` leaves it out unless --eol;
 *  - aliases — a database written under a former id keeps its snapshot and
 *    history after the rename, and the former id still names the repository.
 *
 * Fixtures: tests/fixtures/e2e/{a,b}.Sources (see test_e2e.c for their
 * hand-computed statistics) plus tests/fixtures/lifecycle/:
 *   s.Sources (shadow, family "registry"): curl 8.7.0, only-in-a 1.0,
 *     only-in-s 3.0;
 *   old.Sources (valid_till 2020-01-31): legacy-tool 0.9.
 * With the shadow repository, by hand:
 *   test_a: curl 8.5.0 < 8.7.0 outdated (as before), vim outdated, only-in-a
 *     is in two families now (debuntu, registry): not unique, and newest.
 *     projects 7, unique 0, outdated 2, newest 5, comparable 7.
 *   test_b: curl 8.6.0 < 8.7.0 outdated now, bash outdated: outdated 2,
 *     newest 4 (gcc-13 devel, python3.12, vim, zlib), unique 1 (only-in-b).
 *   test_s: curl and only-in-a count (2 projects, both newest); only-in-s
 *     (shadow-only) is classified "unique" but counted nowhere.
 */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "httpd.h"
#include "jsonutil.h"
#include "testutil.h"

typedef struct lc {
    tu_httpd *srv;
    char dir[512], db[600], mirror[600];
    char *bodies[4];
} lc;

/* Serve the four indexes. */
static int setup(void **state)
{
    lc *t = calloc(1, sizeof *t);
    assert_non_null(t);
    t->srv = tu_httpd_start();
    assert_non_null(t->srv);
    snprintf(t->dir, sizeof t->dir, "%s", tu_tmpdir("lifecycle"));
    snprintf(t->db, sizeof t->db, "%s/pkgfresh.db", t->dir);
    snprintf(t->mirror, sizeof t->mirror, "test=%s", tu_httpd_url(t->srv, ""));
    static const char *const files[4][2] = {{"e2e/a.Sources.xz", "/a/Sources.xz"},
                                            {"e2e/b.Sources.gz", "/b/Sources.gz"},
                                            {"lifecycle/s.Sources", "/s/Sources"},
                                            {"lifecycle/old.Sources", "/old/Sources"}};
    for (int i = 0; i < 4; i++) {
        size_t len;
        t->bodies[i] = tu_slurp(tu_fixture(files[i][0]), &len);
        assert_non_null(t->bodies[i]);
        tu_route r = {.path = files[i][1], .body = t->bodies[i], .body_len = len};
        tu_httpd_route(t->srv, &r);
    }
    setenv("PKGFRESH_NOW", "1764064800", 1); /* 2025-11-25 10:00 UTC */
    *state = t;
    return 0;
}

/* Stop the server, free the bodies. */
static int teardown(void **state)
{
    lc *t = *state;
    tu_httpd_stop(t->srv);
    for (int i = 0; i < 4; i++)
        free(t->bodies[i]);
    free(t);
    return 0;
}

/* Run pkgfresh on the test database with catalog fixture cat and the NULL-terminated
 * arguments; returns the exit status, output in *out and *err (caller frees). */
static int run(lc *t, const char *cat, char **out, char **err, ...)
{
    char *fixed[] = {(char *)tu_pkgfresh(),
                     "--db",
                     t->db,
                     "--catalog",
                     (char *)tu_fixture(cat),
                     "--mirror",
                     t->mirror,
                     "--rules",
                     "none"};
    va_list ap;
    va_start(ap, err);
    int rc = tu_runv(fixed, 9, out, err, ap);
    va_end(ap);
    return rc;
}

/* Crawl the named repositories (NULL-terminated list of up to 4), expecting success. */
static void crawl(lc *t, const char *a, const char *b, const char *c)
{
    char *out, *err;
    int rc = run(t, "lifecycle/catalog.yaml", &out, &err, "crawl", a, b, c, NULL);
    if (rc != 0)
        fail_msg("crawl exit %d: %s", rc, err);
    free(out);
    free(err);
}

/* Shadow: version comparison and families count the shadow packages, the
 * statistics leave the shadow-only project out. */
static void test_shadow(void **state)
{
    lc *t = *state;
    crawl(t, "test_a", "test_b", "test_s");
    char *out, *err;
    assert_int_equal(
        run(t, "lifecycle/catalog.yaml", &out, &err, "stats", "--format", "json", NULL), 0);
    json_t *j = tu_json_parse(out);
    json_t *a = tu_json_row(j, "repository", "test_a"), *b = tu_json_row(j, "repository", "test_b"),
           *s = tu_json_row(j, "repository", "test_s");
    assert_int_equal(tu_json_int(a, "projects"), 7);
    assert_int_equal(tu_json_int(a, "unique"), 0);
    assert_int_equal(tu_json_int(a, "outdated"), 2);
    assert_int_equal(tu_json_int(a, "newest"), 5);
    assert_int_equal(tu_json_int(a, "comparable"), 7);
    assert_int_equal(tu_json_int(b, "outdated"), 2);
    assert_int_equal(tu_json_int(b, "newest"), 4);
    assert_int_equal(tu_json_int(b, "unique"), 1);
    assert_int_equal(tu_json_int(s, "projects"), 2);
    assert_int_equal(tu_json_int(s, "packages"), 2);
    assert_int_equal(tu_json_int(s, "unique"), 0);
    assert_int_equal(tu_json_int(s, "newest"), 2);
    json_decref(j);
    free(out);
    free(err);

    /* the shadow-only project is still classified */
    assert_int_equal(
        run(t, "lifecycle/catalog.yaml", &out, &err, "packages", "test_s", "--format", "csv", NULL),
        0);
    assert_non_null(strstr(out, "\nonly-in-s,3.0-1,3.0,only-in-s,,unique,"));
    assert_non_null(strstr(out, "\ncurl,8.7.0-1,8.7.0,curl,,newest,"));
    free(out);
    free(err);
    assert_int_equal(
        run(t, "lifecycle/catalog.yaml", &out, &err, "repos", "--format", "json", NULL), 0);
    j = tu_json_parse(out);
    assert_int_equal(tu_json_int(tu_json_row(j, "id", "test_s"), "shadow"), 1);
    assert_int_equal(tu_json_int(tu_json_row(j, "id", "test_a"), "shadow"), 0);
    json_decref(j);
    free(out);
    free(err);
}

/* End of life: a named crawl still works, "crawl" alone skips it, the history
 * stays, repos shows the date, render leaves it out unless --eol. */
static void test_end_of_life(void **state)
{
    lc *t = *state;
    crawl(t, "test_a", "test_old", NULL);
    char *out, *err;
    /* no names: everything due except the repository past its end of life */
    int rc =
        run(t, "lifecycle/catalog.yaml", &out, &err, "crawl", "--force", "--format", "json", NULL);
    if (rc != 0)
        fail_msg("crawl exit %d: %s", rc, err);
    json_t *j = tu_json_parse(out);
    assert_int_equal(json_array_size(j), 3);
    assert_null(tu_json_find(j, "repository", "test_old"));
    assert_non_null(tu_json_find(j, "repository", "test_s"));
    json_decref(j);
    free(out);
    free(err);
    /* a family name means its live repositories: "gone" has none */
    assert_int_equal(
        run(t, "lifecycle/catalog.yaml", &out, &err, "crawl", "gone", "--format", "json", NULL), 0);
    assert_null(strstr(out, "test_old"));
    assert_non_null(strstr(err, "every repository of family 'gone' is past its end of life"));
    free(out);
    free(err);

    assert_int_equal(
        run(t, "lifecycle/catalog.yaml", &out, &err, "repos", "--format", "json", NULL), 0);
    j = tu_json_parse(out);
    json_t *old = tu_json_row(j, "id", "test_old");
    assert_string_equal(json_string_value(json_object_get(old, "valid_till")), "2020-01-31");
    assert_int_equal(tu_json_int(old, "packages"), 1); /* the snapshot stays */
    assert_true(json_is_null(json_object_get(tu_json_row(j, "id", "test_a"), "valid_till")));
    json_decref(j);
    free(out);
    free(err);
    assert_int_equal(run(t, "lifecycle/catalog.yaml", &out, &err, "packages", "test_old",
                         "--format", "csv", NULL),
                     0);
    assert_non_null(strstr(out, "\nlegacy-tool,0.9-1,0.9,legacy-tool,,unique,"));
    free(out);
    free(err);

    char png[700];
    snprintf(png, sizeof png, "%s/map.png", t->dir);
    assert_int_equal(
        run(t, "lifecycle/catalog.yaml", &out, &err, "render", "map", "--out", png, NULL), 0);
    assert_non_null(strstr(err, "(3 repositories)"));
    free(out);
    free(err);
    assert_int_equal(
        run(t, "lifecycle/catalog.yaml", &out, &err, "render", "map", "--eol", "--out", png, NULL),
        0);
    assert_non_null(strstr(err, "(4 repositories)"));
    free(out);
    free(err);
}

/* Aliases: crawled as test_b_old, renamed to test_b: the row keeps its snapshot and
 * statistics history, and the old id still names it. */
static void test_alias_keeps_history(void **state)
{
    lc *t = *state;
    char *out, *err;
    int rc = run(t, "lifecycle/catalog-old.yaml", &out, &err, "crawl", "test_b_old", NULL);
    if (rc != 0)
        fail_msg("crawl exit %d: %s", rc, err);
    free(out);
    free(err);
    /* the renamed catalog: history under the former id, found by either name */
    const char *names[] = {"test_b_old", "test_b"};
    for (int i = 0; i < 2; i++) {
        assert_int_equal(run(t, "lifecycle/catalog.yaml", &out, &err, "history", names[i],
                             "--format", "json", NULL),
                         0);
        json_t *j = tu_json_parse(out);
        assert_int_equal(json_array_size(j), 1);
        assert_string_equal(json_string_value(json_object_get(json_array_get(j, 0), "repository")),
                            "test_b");
        assert_int_equal(tu_json_int(json_array_get(j, 0), "projects"), 7);
        json_decref(j);
        free(out);
        free(err);
    }
    assert_int_equal(
        run(t, "lifecycle/catalog.yaml", &out, &err, "repos", "--format", "json", NULL), 0);
    json_t *j = tu_json_parse(out);
    assert_int_equal(tu_json_int(tu_json_row(j, "id", "test_b"), "packages"), 7);
    assert_null(tu_json_find(j, "id", "test_b_old"));
    json_decref(j);
    free(out);
    free(err);
    /* a crawl by the former id crawls the renamed repository */
    assert_int_equal(run(t, "lifecycle/catalog.yaml", &out, &err, "crawl", "test_b_old", "--format",
                         "csv", NULL),
                     0);
    assert_non_null(strstr(out, "\ntest_b,"));
    free(out);
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_shadow, setup, teardown),
        cmocka_unit_test_setup_teardown(test_end_of_life, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alias_keeps_history, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
