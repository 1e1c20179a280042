/*
 * test_staleness.c — version history and days behind, through the binary,
 * with a controlled clock (PKGFRESH_NOW) over several crawls.
 *
 * Timeline (days after t0; A = test_a, B = test_b, two families):
 *   day  0: A foo 1.0, bar 2.0, baz 3.0   B foo 1.0, bar 2.0, baz 2.0
 *           (history starts: baz 3.0 was already there, so B's lag is unknown)
 *   day 10: A foo 1.1                     B unchanged  -> B foo 0 days behind
 *   day 15: unchanged                                  -> B foo 5 days behind
 *   day 20: A bar 2.1                     B foo 1.1    -> B foo newest, bar 0 days
 *   day 30: unchanged                                  -> B bar 10 days behind
 */
#include <jansson.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#define T0  1700000000LL
#define DAY 86400LL

typedef struct st_ctx {
    char dir[512], db[600];
} st_ctx;

/* Write a deb822 Sources file with the given "name version" pairs. */
static void write_sources(const char *path, const char *const *pairs, int n)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    for (int i = 0; i < n; i += 2)
        fprintf(fp,
                "Package: %s\nBinary: %s\nVersion: %s-1\nMaintainer: T <t@example.org>\n"
                "Section: misc\n\n",
                pairs[i], pairs[i], pairs[i + 1]);
    fclose(fp);
}

/* Run pkgfresh at a given time with NULL-terminated arguments. */
static int run_at(st_ctx *t, long long when, char **out, ...)
{
    char now[32];
    snprintf(now, sizeof now, "%lld", when);
    setenv("PKGFRESH_NOW", now, 1);
    char *fixed[] = {(char *)tu_pkgfresh(),
                     "-q",
                     "--db",
                     t->db,
                     "--catalog",
                     (char *)tu_fixture("e2e/catalog.yaml")};
    char *err = NULL;
    va_list ap;
    va_start(ap, out);
    int rc = tu_runv(fixed, 6, out, &err, ap);
    va_end(ap);
    if (rc != 0)
        fprintf(stderr, "pkgfresh exit %d: %s\n", rc, err);
    free(err);
    return rc;
}

/* Crawl both repositories from files at time `day`, then analyze. */
static void crawl_day(st_ctx *t, int day, const char *const *a, int na, const char *const *b,
                      int nb)
{
    char pa[700], pb[700];
    snprintf(pa, sizeof pa, "%s/a-%d.Sources", t->dir, day);
    snprintf(pb, sizeof pb, "%s/b-%d.Sources", t->dir, day);
    write_sources(pa, a, na);
    write_sources(pb, b, nb);
    long long when = T0 + day * DAY;
    char *out = NULL;
    assert_int_equal(run_at(t, when, &out, "crawl", "test_a", "--from", pa, "--min-packages", "0",
                            "--no-analyze", NULL),
                     0);
    free(out);
    assert_int_equal(run_at(t, when, &out, "crawl", "test_b", "--from", pb, "--min-packages", "0",
                            "--no-analyze", NULL),
                     0);
    free(out);
    assert_int_equal(run_at(t, when, &out, "analyze", NULL), 0);
    free(out);
}

/* The JSON row of `outdated test_b` for a project, or NULL. */
static json_t *outdated_row(json_t *arr, const char *project)
{
    size_t i;
    json_t *row;
    json_array_foreach(arr, i, row)
    {
        if (strcmp(json_string_value(json_object_get(row, "project")), project) == 0)
            return row;
    }
    return NULL;
}

/* Check B's outdated list at `day`: project -> expected lag (-1 = unknown). */
static void check_lag(st_ctx *t, int day, const char *project, double lag, const char *newest)
{
    char *out = NULL;
    assert_int_equal(
        run_at(t, T0 + day * DAY, &out, "outdated", "test_b", "--format", "json", NULL), 0);
    json_error_t jerr;
    json_t *j = json_loads(out, 0, &jerr);
    assert_non_null(j);
    json_t *row = outdated_row(j, project);
    if (!row)
        fail_msg("day %d: %s not outdated in test_b: %s", day, project, out);
    json_t *v = json_object_get(row, "lag_days");
    if (lag < 0)
        assert_true(json_is_null(v));
    else
        assert_float_equal(json_number_value(v), lag, 0.01);
    assert_string_equal(json_string_value(json_object_get(row, "newest")), newest);
    assert_int_equal(json_integer_value(json_object_get(row, "newer_versions")), 1);
    json_decref(j);
    free(out);
}

/* One integer from the database (-1 for NULL, -999 for no row). */
static long long db_int(const st_ctx *t, const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(t->db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
        fail_msg("prepare %s: %s", sql, sqlite3_errmsg(db));
    long long v = -999;
    if (sqlite3_step(q) == SQLITE_ROW)
        v = sqlite3_column_type(q, 0) == SQLITE_NULL ? -1 : sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    sqlite3_close(db);
    return v;
}

/* first_seen or last_seen (column) of one history row, in days after t0 (-1 NULL = present). */
static long long seen_day(const st_ctx *t, const char *col, const char *repo, const char *project,
                          const char *version)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT (s.%s - %lld) / %lld FROM version_seen s JOIN repository r ON"
             " r.id = s.repository_id WHERE r.name = '%s' AND s.project = '%s' AND"
             " s.version = '%s'",
             col, T0, DAY, repo, project, version);
    long long v = db_int(t, sql);
    if (v == -999)
        fail_msg("no history row %s %s %s", repo, project, version);
    return v;
}

/* The whole timeline. */
static void test_days_behind(void **state)
{
    (void)state;
    st_ctx t;
    snprintf(t.dir, sizeof t.dir, "%s", tu_tmpdir("staleness"));
    snprintf(t.db, sizeof t.db, "%s/db", t.dir);
    const char *a0[] = {"foo", "1.0", "bar", "2.0", "baz", "3.0"};
    const char *b0[] = {"foo", "1.0", "bar", "2.0", "baz", "2.0"};
    crawl_day(&t, 0, a0, 6, b0, 6);
    check_lag(&t, 0, "baz", -1, "3.0"); /* present at the first analysis: age unknown */

    const char *a10[] = {"foo", "1.1", "bar", "2.0", "baz", "3.0"};
    crawl_day(&t, 10, a10, 6, b0, 6);
    check_lag(&t, 10, "foo", 0, "1.1");
    check_lag(&t, 10, "baz", -1, "3.0");

    crawl_day(&t, 15, a10, 6, b0, 6);
    check_lag(&t, 15, "foo", 5, "1.1");

    const char *a20[] = {"foo", "1.1", "bar", "2.1", "baz", "3.0"};
    const char *b20[] = {"foo", "1.1", "bar", "2.0", "baz", "2.0"};
    crawl_day(&t, 20, a20, 6, b20, 6);
    check_lag(&t, 20, "bar", 0, "2.1");

    crawl_day(&t, 30, a20, 6, b20, 6);
    check_lag(&t, 30, "bar", 10, "2.1");

    /* foo is no longer outdated in B */
    char *out = NULL;
    assert_int_equal(run_at(&t, T0 + 30 * DAY, &out, "outdated", "test_b", "--format", "csv", NULL),
                     0);
    assert_null(strstr(out, "\nfoo,"));
    free(out);

    /* history: one row per run for B, median lag as computed above */
    assert_int_equal(run_at(&t, T0 + 30 * DAY, &out, "history", "test_b", "--format", "json", NULL),
                     0);
    json_error_t jerr;
    json_t *h = json_loads(out, 0, &jerr);
    assert_non_null(h);
    assert_int_equal(json_array_size(h), 5);
    static const double median[] = {-1, 0, 5, 0, 10};
    for (size_t i = 0; i < 5; i++) {
        json_t *m = json_object_get(json_array_get(h, i), "median_lag_days");
        if (median[i] < 0)
            assert_true(json_is_null(m));
        else
            assert_float_equal(json_number_value(m), median[i], 0.01);
        assert_int_equal(json_integer_value(json_object_get(json_array_get(h, i), "outdated")),
                         i == 0 ? 1 : 2);
    }
    json_decref(h);
    free(out);

    /* compare: the lagging side's days behind, most first, unknown last */
    assert_int_equal(run_at(&t, T0 + 30 * DAY, &out, "compare", "test_a", "test_b", "--list",
                            "newer-a", "--sort", "lag", "--format", "csv", NULL),
                     0);
    assert_string_equal(out, "project,version_a,version_b,rawversion_a,rawversion_b,lag_days\n"
                             "bar,2.1,2.0,2.1-1,2.0-1,10\n"
                             "baz,3.0,2.0,3.0-1,2.0-1,\n");
    free(out);

    /* project view shows the lag too; an unknown project suggests names */
    assert_int_equal(run_at(&t, T0 + 30 * DAY, &out, "project", "bar", "--format", "csv", NULL), 0);
    assert_non_null(strstr(out, "test_b,other,bar,2.0-1,2.0,outdated,2.1,10\n"));
    free(out);
    char *err = NULL;
    char *argv[] = {(char *)tu_pkgfresh(),
                    "--db",
                    t.db,
                    "--catalog",
                    (char *)tu_fixture("e2e/catalog.yaml"),
                    "project",
                    "baa",
                    NULL};
    assert_int_equal(tu_run(argv, &out, &err), 1);
    assert_non_null(strstr(err, "closest: ba"));
    free(out);
    free(err);
    assert_int_equal(run_at(&t, T0 + 30 * DAY, &out, "search", "ba", "--format", "csv", NULL), 0);
    assert_string_equal(out, "project,repositories,packages\nbar,2,2\nbaz,2,2\n");
    free(out);

    /* The version history: one row per (project, version, repository) ever
     * seen; last_seen NULL while present, else the last analysis that saw it. */
    assert_int_equal(db_int(&t, "SELECT COUNT(*) FROM version_seen"), 9);
    assert_int_equal(seen_day(&t, "first_seen", "test_a", "foo", "1.0"), 0);
    assert_int_equal(seen_day(&t, "last_seen", "test_a", "foo", "1.0"), 0);
    assert_int_equal(seen_day(&t, "last_seen", "test_b", "foo", "1.0"), 15);
    assert_int_equal(seen_day(&t, "first_seen", "test_b", "foo", "1.1"), 20);
    assert_int_equal(seen_day(&t, "last_seen", "test_b", "foo", "1.1"), -1);
    assert_int_equal(seen_day(&t, "first_seen", "test_a", "bar", "2.1"), 20);
    assert_int_equal(seen_day(&t, "last_seen", "test_a", "baz", "3.0"), -1);
    /* B goes back to foo 1.0 on day 40: that row is present again (first
     * sighting kept), 1.1 was last seen on day 30; nothing is deleted. */
    const char *b40[] = {"foo", "1.0", "bar", "2.0", "baz", "2.0"};
    crawl_day(&t, 40, a20, 6, b40, 6);
    assert_int_equal(db_int(&t, "SELECT COUNT(*) FROM version_seen"), 9);
    assert_int_equal(seen_day(&t, "first_seen", "test_b", "foo", "1.0"), 0);
    assert_int_equal(seen_day(&t, "last_seen", "test_b", "foo", "1.0"), -1);
    assert_int_equal(seen_day(&t, "last_seen", "test_b", "foo", "1.1"), 30);
    /* foo 1.0 in B is 30 days behind: 1.1 first appeared (in A) on day 10 */
    check_lag(&t, 40, "foo", 30, "1.1");
    /* a second analysis at the same snapshot rewrites nothing it need not */
    assert_int_equal(run_at(&t, T0 + 41 * DAY, &out, "analyze", NULL), 0);
    free(out);
    assert_int_equal(seen_day(&t, "last_seen", "test_b", "foo", "1.1"), 30);
    check_lag(&t, 41, "foo", 31, "1.1");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_days_behind),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
