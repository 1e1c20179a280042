/*
 * test_render_cli.c — `pkgfresh render map|trend|rank` end to end: a small
 * database is filled through the store API (catalog sync, then analysis runs
 * at several times to make a history), and the binary draws each chart.
 * Checks exit codes, output types and PNG sizes, option errors, an empty
 * database, and a repository that is in the database but not in the catalog.
 */
#include "testutil.h"

#include <cairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkgfresh/catalog.h"
#include "pkgfresh/store.h"

#define T0  1748736000 /* 2025-06-01 00:00 UTC */
#define DAY 86400

/* Paths shared by the tests of this file. */
typedef struct fixture {
    char dir[4096];
    char db[4200];
    char empty_db[4200];
} fixture;

/* One repository's stats at one run: projects, newest, outdated, comparable
 * (0: newest % unknown), unique, median lag (-1 unknown). */
static void add_stats(pf_analysis_tx *tx, const char *repo, long projects, long newest,
                      long outdated, long comparable, long unique, double lag)
{
    pf_repo_stats s;
    memset(&s, 0, sizeof s);
    s.repo_id = repo;
    s.num_packages = projects;
    s.num_projects = projects;
    s.num_newest = newest;
    s.num_outdated = outdated;
    s.num_comparable = comparable;
    s.num_unique = unique;
    s.num_problematic = unique / 10;
    s.num_maintainers = 10;
    s.median_lag_days = lag;
    s.p90_lag_days = lag < 0 ? -1 : 3 * lag;
    assert_int_equal(pf_store_analysis_stats(tx, &s), 0);
}

/* The fixture catalog plus a repository only the database knows. */
static const char GHOST_YAML[] = "repositories:\n"
                                 "  - id: rt_ghost\n"
                                 "    family: ghost\n"
                                 "    title: RT Ghost\n"
                                 "    color: \"#556b2f\"\n"
                                 "    format: deb-sources\n"
                                 "    sources:\n"
                                 "      - name: main\n"
                                 "        url: http://127.0.0.1:9/ghost/Sources.xz\n";

/* Build the database: four analysis runs a week apart; rt_nix appears from
 * the third run on, rt_arch never has a known newest % or lag. */
static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    assert_non_null(fx);
    snprintf(fx->dir, sizeof fx->dir, "%s", tu_tmpdir("render_cli"));
    snprintf(fx->db, sizeof fx->db, "%s/pkgfresh.db", fx->dir);
    snprintf(fx->empty_db, sizeof fx->empty_db, "%s/empty.db", fx->dir);
    char err[512] = "";
    pf_catalog cat;
    memset(&cat, 0, sizeof cat);
    if (pf_catalog_load_path(&cat, tu_fixture("render/catalog.yaml"), err, sizeof err) != 0 ||
        pf_catalog_load_text(&cat, GHOST_YAML, sizeof GHOST_YAML - 1, "ghost", err, sizeof err) !=
            0)
        fail_msg("catalog: %s", err);
    pf_store *st = pf_store_open(fx->db, err, sizeof err);
    if (!st)
        fail_msg("pf_store_open: %s", err);
    assert_int_equal(pf_store_sync_catalog(st, &cat), 0);
    for (int run = 0; run < 4; run++) {
        pf_analysis_tx *tx = pf_store_analysis_begin(st, T0 + run * 7 * DAY, err, sizeof err);
        if (!tx)
            fail_msg("analysis_begin: %s", err);
        add_stats(tx, "rt_debian", 36000 + run * 100, 21000 + run * 300, 1500, 22500, 3000,
                  12.5 - run);
        add_stats(tx, "rt_ubuntu", 33000, 15000 - run * 200, 9000, 24000, 900, 40 + run);
        add_stats(tx, "rt_arch", 12000, 9000, 0, 0, 200, -1);
        if (run >= 2)
            add_stats(tx, "rt_nix", 95000, 60000, 20000, 80000, 30000, 8.0);
        add_stats(tx, "rt_ghost", 5000, 2500, 1000, 3500, 100, 20);
        if (pf_store_analysis_commit(tx, 100, 100, 0.1, err, sizeof err) != 0)
            fail_msg("analysis_commit: %s", err);
    }
    pf_store_close(st);
    pf_catalog_free(&cat);
    /* an empty database with the catalog synced and nothing analyzed */
    st = pf_store_open(fx->empty_db, err, sizeof err);
    if (!st)
        fail_msg("pf_store_open: %s", err);
    pf_store_close(st);
    *state = fx;
    return 0;
}

/* Free the fixture. */
static int teardown(void **state)
{
    free(*state);
    return 0;
}

/* Run pkgfresh --db DB --catalog FIXTURE render ARGS... (NULL-terminated);
 * returns the exit status, stderr in *err (caller frees, may be NULL). */
static int render(const char *db, char **err, ...)
{
    char *argv[40] = {(char *)tu_pkgfresh(),
                      "--db",
                      (char *)db,
                      "--catalog",
                      (char *)tu_fixture("render/catalog.yaml"),
                      "render"};
    int n = 6;
    va_list ap;
    va_start(ap, err);
    const char *a;
    while (n < 39 && (a = va_arg(ap, const char *)) != NULL)
        argv[n++] = (char *)a;
    va_end(ap);
    argv[n] = NULL;
    char *out = NULL, *e = NULL;
    int rc = tu_run(argv, &out, &e);
    free(out);
    if (err)
        *err = e;
    else
        free(e);
    return rc;
}

/* Assert path is a PNG of w x h pixels. */
static void assert_png(const char *path, int w, int h)
{
    cairo_surface_t *s = cairo_image_surface_create_from_png(path);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
        fail_msg("%s: not a PNG (%s)", path, cairo_status_to_string(cairo_surface_status(s)));
    if (cairo_image_surface_get_width(s) != w || (h > 0 && cairo_image_surface_get_height(s) != h))
        fail_msg("%s: %dx%d, want %dx%d", path, cairo_image_surface_get_width(s),
                 cairo_image_surface_get_height(s), w, h);
    cairo_surface_destroy(s);
}

/* Output path in the fixture directory (static, rotating). */
static const char *out_path(const fixture *fx, const char *name)
{
    static char b[4][4400];
    static int k;
    k = (k + 1) % 4;
    snprintf(b[k], sizeof b[k], "%s/%s", fx->dir, name);
    return b[k];
}

/* The two files hold the same bytes. */
static void assert_same_bytes(const char *path1, const char *path2)
{
    size_t l1, l2;
    char *b1 = tu_slurp(path1, &l1), *b2 = tu_slurp(path2, &l2);
    assert_non_null(b1);
    assert_non_null(b2);
    assert_true(l1 == l2 && memcmp(b1, b2, l1) == 0);
    free(b1);
    free(b2);
}

static void test_cli_trend(void **state)
{
    fixture *fx = *state;
    char *err = NULL;
    const char *p = out_path(fx, "trend.png");
    int rc = render(fx->db, &err, "trend", "--out", p, NULL);
    if (rc != 0)
        fail_msg("render trend: rc %d: %s", rc, err);
    assert_non_null(strstr(err, "wrote"));
    free(err);
    assert_png(p, 1140, 600);
    /* a chosen set, SVG, dark HiDPI */
    /* every metric, and the former names fresh / freshness */
    const char *metrics[] = {"newest-pct", "newest",     "outdated",        "outdated-pct",
                             "projects",   "unique-pct", "problematic-pct", "median-lag",
                             "fresh",      "freshness"};
    for (size_t i = 0; i < sizeof metrics / sizeof metrics[0]; i++) {
        assert_int_equal(render(fx->db, NULL, "trend", "--metric", metrics[i], "--only",
                                "rt_debian,rtdeb", "--only", "rt_nix", "--out", p, NULL),
                         0);
        assert_png(p, 1140, 600);
    }
    const char *svg = out_path(fx, "trend.svg");
    assert_int_equal(render(fx->db, NULL, "trend", "--family", "debuntu", "--out", svg, NULL), 0);
    char *b = tu_slurp(svg, NULL);
    assert_non_null(b);
    assert_memory_equal(b, "<?xml", 5);
    free(b);
    assert_int_equal(render(fx->db, NULL, "trend", "--theme", "dark", "--scale", "2", "--width",
                            "800", "--height", "400", "--out", p, NULL),
                     0);
    assert_png(p, 1600, 800);
    /* same data, same bytes */
    const char *p2 = out_path(fx, "trend2.png");
    assert_int_equal(render(fx->db, NULL, "trend", "--out", p, NULL), 0);
    assert_int_equal(render(fx->db, NULL, "trend", "--out", p2, NULL), 0);
    assert_same_bytes(p, p2);
}

static void test_cli_rank(void **state)
{
    fixture *fx = *state;
    char *err = NULL;
    const char *p = out_path(fx, "rank.png");
    int rc = render(fx->db, &err, "rank", "--out", p, NULL);
    if (rc != 0)
        fail_msg("render rank: rc %d: %s", rc, err);
    /* rt_arch has no known newest % (nothing comparable): omitted, and said so */
    assert_non_null(strstr(err, "1 omitted"));
    free(err);
    assert_png(p, 1140, 0);
    const char *metrics[] = {"newest",          "median-lag", "outdated-pct", "unique-pct",
                             "problematic-pct", "fresh",      "freshness"};
    const char *pdf = out_path(fx, "rank.pdf"); /* out_path's buffers rotate: once */
    for (size_t i = 0; i < sizeof metrics / sizeof metrics[0]; i++) {
        assert_int_equal(render(fx->db, NULL, "rank", "--metric", metrics[i], "--limit", "2",
                                "--out", pdf, NULL),
                         0);
    }
    /* five bars are taller than two */
    cairo_surface_t *a = NULL, *c = NULL;
    assert_int_equal(render(fx->db, NULL, "rank", "--metric", "newest", "--out", p, NULL), 0);
    a = cairo_image_surface_create_from_png(p);
    assert_int_equal(
        render(fx->db, NULL, "rank", "--metric", "newest", "--limit", "2", "--out", p, NULL), 0);
    c = cairo_image_surface_create_from_png(p);
    assert_true(cairo_image_surface_get_height(a) > cairo_image_surface_get_height(c));
    cairo_surface_destroy(a);
    cairo_surface_destroy(c);
    /* Repology's top lists: one bar per statsgroup (rt_debian and rt_ubuntu share
     * one), repositories of at least 1000 projects; --top N keeps the N best */
    assert_int_equal(render(fx->db, &err, "rank", "--metric", "fresh", "--out", p, NULL), 0);
    assert_non_null(strstr(err, "(5 repositories, 0 omitted)"));
    free(err);
    assert_int_equal(
        render(fx->db, &err, "rank", "--metric", "fresh", "--per-group", "--out", p, NULL), 0);
    assert_non_null(strstr(err, "(4 repositories, 0 omitted)"));
    free(err);
    assert_int_equal(render(fx->db, &err, "rank", "--metric", "fresh", "--per-group", "--top", "2",
                            "--out", p, NULL),
                     0);
    assert_non_null(strstr(err, "(2 repositories, 0 omitted)"));
    free(err);
    assert_int_equal(render(fx->db, &err, "rank", "--top", "2", "--limit", "3", "--out", p, NULL),
                     2);
    free(err);
    assert_int_equal(render(fx->db, &err, "map", "--per-group", "--out", p, NULL), 2);
    free(err);
}

static void test_cli_map(void **state)
{
    fixture *fx = *state;
    char *err = NULL;
    const char *p = out_path(fx, "map.png");
    int rc = render(fx->db, &err, "map", "--log", "--zoom", "40000,20000", "--out", p, NULL);
    if (rc != 0)
        fail_msg("render map: rc %d: %s", rc, err);
    /* the database-only repository is drawn too (5 repositories) */
    assert_non_null(strstr(err, "(5 repositories)"));
    free(err);
    assert_png(p, 1140, 800);
    const char *variants[] = {"newest", "newest-pct", "nonunique", "fresh", "freshness"};
    for (size_t i = 0; i < sizeof variants / sizeof variants[0]; i++)
        assert_int_equal(render(fx->db, NULL, "map", "--variant", variants[i], "--highlight",
                                "rt_debian", "--highlight", "rt_ghost", "--out", p, NULL),
                         0);
    /* the former variant name draws the same chart, byte for byte */
    const char *m1 = out_path(fx, "map-pct.png"), *m2 = out_path(fx, "map-freshness.png");
    assert_int_equal(render(fx->db, NULL, "map", "--variant", "newest-pct", "--out", m1, NULL), 0);
    assert_int_equal(render(fx->db, NULL, "map", "--variant", "freshness", "--out", m2, NULL), 0);
    assert_same_bytes(m1, m2);
    assert_int_equal(render(fx->db, NULL, "map", "--scale", "2", "--theme", "dark", "--title",
                            "Map", "--family", "debuntu", "--out", p, NULL),
                     0);
    assert_png(p, 2280, 1600);
    /* --label N: the N biggest labelled (placement is tested in test_render) */
    assert_int_equal(render(fx->db, NULL, "map", "--label", "2", "--out", p, NULL), 0);
    assert_int_equal(render(fx->db, NULL, "rank", "--label", "2", "--out", p, NULL), 2);
}

static void test_cli_errors(void **state)
{
    fixture *fx = *state;
    const char *p = out_path(fx, "err.png");
    char *err = NULL;
    assert_int_equal(render(fx->db, &err, "pie", "--out", p, NULL), 2);
    assert_non_null(strstr(err, "map, trend or rank"));
    free(err);
    assert_int_equal(render(fx->db, NULL, "rank", "--log", "--out", p, NULL), 2);
    assert_int_equal(render(fx->db, NULL, "map", "--metric", "newest", "--out", p, NULL), 2);
    assert_int_equal(render(fx->db, NULL, "map", "--limit", "3", "--out", p, NULL), 2);
    assert_int_equal(render(fx->db, NULL, "map", "--zoom", "40000", "--out", p, NULL), 2);
    assert_int_equal(render(fx->db, NULL, "map", "--variant", "size", "--out", p, NULL), 2);
    assert_int_equal(render(fx->db, NULL, "map", "--theme", "pink", "--out", p, NULL), 2);
    assert_int_equal(render(fx->db, NULL, "map", "--scale", "0", "--out", p, NULL), 2);
    assert_int_equal(render(fx->db, NULL, "trend", "--metric", "bogus", "--out", p, NULL), 2);
    assert_int_equal(render(fx->db, NULL, "rank", "--metric", "projects", "--out", p, NULL), 2);
    assert_int_equal(render(fx->db, NULL, "map", "--out", out_path(fx, "x.jpg"), NULL), 2);
    assert_int_equal(render(fx->db, &err, "trend", "--only", "no_such_repo", "--out", p, NULL), 2);
    assert_non_null(strstr(err, "no_such_repo"));
    free(err);
    /* unwritable output: a failure, not a crash */
    assert_int_equal(render(fx->db, NULL, "map", "--out", out_path(fx, "no/dir/m.png"), NULL), 1);
}

static void test_cli_empty_db(void **state)
{
    fixture *fx = *state;
    const char *charts[] = {"map", "trend", "rank"};
    for (size_t i = 0; i < 3; i++) {
        char name[32];
        snprintf(name, sizeof name, "empty-%s.png", charts[i]);
        const char *p = out_path(fx, name);
        char *err = NULL;
        int rc = render(fx->empty_db, &err, charts[i], "--out", p, NULL);
        if (rc != 0)
            fail_msg("render %s on an empty database: rc %d: %s", charts[i], rc, err);
        free(err);
        assert_png(p, 1140, strcmp(charts[i], "map") == 0 ? 800 : 0);
    }
}

/* LeakSanitizer hook (SAN=1 builds): fontconfig's one-time allocations. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig\n";
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cli_trend),    cmocka_unit_test(test_cli_rank),
        cmocka_unit_test(test_cli_map),      cmocka_unit_test(test_cli_errors),
        cmocka_unit_test(test_cli_empty_db),
    };
    int rc = cmocka_run_group_tests(tests, setup, teardown);
    cairo_debug_reset_static_data();
    return rc;
}
