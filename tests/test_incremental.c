/*
 * test_incremental.c — an incremental analysis gives exactly the results of
 * a full one. Two databases receive the same randomized sequence of weekly
 * crawls of a small universe: six repositories in four families (one a
 * shadow repository), names spelled with each family's habits so the
 * starter ruleset renames, splits and removes, versions that move on, go
 * back, turn devel or junk, packages that appear and vanish, duplicates,
 * maintainers that change. One is analyzed with pf_analyze (incremental
 * after the first run), one with pf_analyze_full in memory, one with
 * pf_analyze_full streaming (batches of 1 to 100 packages, one or two
 * threads, pass 1's rows spilled to sorted runs of 1 or 4 KiB, to one run
 * in memory, or not at all). After every week the package results, the
 * version history, the statistics rows and the run totals are compared. A week analyzed without
 * rules, then with them again, checks that a different ruleset forces a
 * full analysis.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkgfresh/analyze.h"
#include "pkgfresh/catalog.h"
#include "pkgfresh/rules.h"
#include "pkgfresh/store.h"
#include "rpkg.h"
#include "testutil.h"

#define T0     1700000000LL
#define WEEK   (7 * 86400LL)
#define NPROJ  160
#define NREPOS 6
#define NWEEKS 12

static const char CATALOG[] =
    "repositories:\n"
    "  - {id: deb_a, family: debuntu, title: A, color: \"#111111\", format: deb-sources,"
    " rulesets: [debuntu, debian], sources: [{name: main, url: \"http://127.0.0.1:9/a\"}]}\n"
    "  - {id: deb_b, family: debuntu, title: B, color: \"#222222\", format: deb-sources,"
    " rulesets: [debuntu, ubuntu], sources: [{name: main, url: \"http://127.0.0.1:9/b\"}]}\n"
    "  - {id: alp, family: alpine, title: C, color: \"#333333\", format: tsv,"
    " rulesets: [alpine], sources: [{name: main, url: \"http://127.0.0.1:9/c\"}]}\n"
    "  - {id: fed, family: fedora, title: D, color: \"#444444\", format: tsv,"
    " rulesets: [fedora, rpm], sources: [{name: main, url: \"http://127.0.0.1:9/d\"}]}\n"
    "  - {id: fed_old, family: fedora, title: E, color: \"#555555\", format: tsv, shadow: true,"
    " rulesets: [fedora, rpm], sources: [{name: main, url: \"http://127.0.0.1:9/e\"}]}\n"
    "  - {id: nix, family: nix, title: F, color: \"#666666\", format: tsv,"
    " rulesets: [nix, nix_name], sources: [{name: main, url: \"http://127.0.0.1:9/f\"}]}\n";

static const char *const REPO[NREPOS] = {"deb_a", "deb_b", "alp", "fed", "fed_old", "nix"};
/* python module spelling per repository */
static const char *const PYFMT[NREPOS] = {"python-%s", "python-%s",  "py3-%s",
                                          "python-%s", "python3-%s", "python3.12-%s"};

/* The universe: per repository and project, the release it ships (-1 none),
 * a second package of the same project (-1 none), and a maintainer number. */
typedef struct universe {
    int rel[NREPOS][NPROJ], dup[NREPOS][NPROJ], maint[NREPOS][NPROJ];
    int upstream[NPROJ];
    uint64_t rng;
} universe;

/* A number below n from the test's only randomness (tu_rand, fixed seed). */
static unsigned rnd(universe *u, unsigned n)
{
    return (unsigned)(tu_rand(&u->rng) % n);
}

/* Source name of project p in repository r. */
static void name_of(int r, int p, char *out, size_t len)
{
    static const char *const words[] = {"curl", "zlib",   "foo", "bar",   "requests", "yaml",
                                        "gtk",  "libxml", "qt",  "nginx", "openssl",  "six"};
    char base[64];
    snprintf(base, sizeof base, "%s%d", words[p % 12], p / 12);
    if (p % 5 == 1) /* a python module */
        snprintf(out, len, PYFMT[r], base);
    else if (p % 17 == 3) /* a name the starter rules strip a suffix from or drop */
        snprintf(out, len, "%s-git", base);
    else
        snprintf(out, len, "%s", base);
}

/* Version string of a release: mostly plain, sometimes devel or junk. */
static void version_of(int r, int p, int rel, char *out, size_t len)
{
    const char *rev = r < 2 ? "-1" : "";
    if (rel % 11 == 7)
        snprintf(out, len, "%d.%drc1%s", 1 + rel / 10, rel % 10, rev);
    else if (rel % 23 == 13)
        snprintf(out, len, "unstable-2024-%02d-01%s", 1 + rel % 12, rev);
    else
        snprintf(out, len, "%d.%d.%d%s", 1 + rel / 10, rel % 10, p % 3, rev);
}

/* Crawl repository r of the universe into st at time t. */
static void crawl(pf_store *st, const universe *u, int r, int64_t t)
{
    char err[512], name[96], ver[64], maint[64];
    pf_crawl_tx *tx = pf_store_crawl_begin(st, REPO[r], err, sizeof err);
    assert_non_null(tx);
    assert_int_equal(pf_store_crawl_source(tx, "main", NULL), 0);
    for (int p = 0; p < NPROJ; p++) {
        for (int k = 0; k < 2; k++) {
            int rel = k == 0 ? u->rel[r][p] : u->dup[r][p];
            if (rel < 0)
                continue;
            name_of(r, p, name, sizeof name);
            version_of(r, p, rel, ver, sizeof ver);
            snprintf(maint, sizeof maint, "m%d@example.org", u->maint[r][p]);
            pf_record rec = {
                .srcname = name, .binnames = name, .version = ver, .maintainers = maint};
            assert_int_equal(pf_store_crawl_add(tx, &rec), 0);
        }
    }
    pf_crawl_info info = {
        .started = t, .finished = t + 1, .status = "ok", .packages = pf_store_crawl_count(tx)};
    assert_int_equal(pf_store_crawl_commit(tx, &info, err, sizeof err), 0);
}

/* One week of change in the universe; returns a bit set of repositories to re-crawl. */
static unsigned evolve(universe *u)
{
    for (int p = 0; p < NPROJ; p++)
        if (rnd(u, 4) == 0)
            u->upstream[p]++;
    unsigned due = 0;
    for (int r = 0; r < NREPOS; r++) {
        if (rnd(u, 3) == 0)
            continue; /* not crawled this week */
        due |= 1u << r;
        for (int p = 0; p < NPROJ; p++) {
            unsigned d = rnd(u, 40);
            if (d < 8 && u->rel[r][p] >= 0) /* catches up */
                u->rel[r][p] = u->upstream[p] - (int)rnd(u, 2);
            else if (d == 8) /* appears or vanishes */
                u->rel[r][p] = u->rel[r][p] < 0 ? u->upstream[p] : -1;
            else if (d == 9 && u->rel[r][p] > 0) /* goes back */
                u->rel[r][p]--;
            else if (d == 10) /* a second package of the project comes or goes */
                u->dup[r][p] = u->dup[r][p] < 0 ? (int)rnd(u, 30) : -1;
            else if (d == 11)
                u->maint[r][p] = (int)rnd(u, 20);
        }
    }
    return due;
}

/* Everything an analysis writes, as text in a fixed order. */
static char *snapshot(const char *path)
{
    static const char *const queries[] = {
        "SELECT id, repository_id, project, version, flags, status, best_version,"
        " newer_versions, behind_since, flavor, branch FROM pkg_result ORDER BY id",
        /* every package has its result row, and no result row is left over */
        "SELECT (SELECT COUNT(*) FROM package p LEFT JOIN pkg_result a ON a.id = p.id"
        " WHERE a.id IS NULL OR a.repository_id <> p.repository_id),"
        " (SELECT COUNT(*) FROM pkg_result a LEFT JOIN package p ON p.id = a.id"
        " WHERE p.id IS NULL)",
        "SELECT project, version, repository_id, first_seen, last_seen, trusted"
        " FROM version_seen ORDER BY project, version, repository_id",
        "SELECT repository_id, taken_at, num_packages, pkg_newest, pkg_outdated, pkg_ignored,"
        " pkg_unique, pkg_devel, pkg_legacy, pkg_incorrect, pkg_untrusted, pkg_noscheme,"
        " pkg_rolling, num_projects, num_unique, num_newest, num_outdated, num_comparable,"
        " num_problematic, num_maintainers, median_lag_days,"
        " p90_lag_days FROM repo_stats ORDER BY run_id, repository_id",
        "SELECT taken_at, packages, projects FROM analysis_run ORDER BY id",
        /* the project summary, kept by difference when incremental, and
         * exact: no name left dirty, every row as the packages count it */
        "SELECT name, repos, packages FROM project_summary ORDER BY name",
        "SELECT COUNT(*) FROM project_dirty",
        "SELECT COUNT(*) FROM (SELECT project, COUNT(DISTINCT repository_id), COUNT(*)"
        " FROM pkg_result WHERE project IS NOT NULL GROUP BY project"
        " EXCEPT SELECT name, repos, packages FROM project_summary)",
    };
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    size_t len = 0, cap = 1 << 16;
    char *s = malloc(cap);
    assert_non_null(s);
    s[0] = 0;
    for (size_t k = 0; k < sizeof queries / sizeof queries[0]; k++) {
        sqlite3_stmt *q;
        assert_int_equal(sqlite3_prepare_v2(db, queries[k], -1, &q, NULL), SQLITE_OK);
        while (sqlite3_step(q) == SQLITE_ROW) {
            for (int c = 0; c < sqlite3_column_count(q); c++) {
                const char *v = (const char *)sqlite3_column_text(q, c);
                size_t need = (v ? strlen(v) : 4) + 2;
                while (len + need + 1 > cap) {
                    cap *= 2;
                    s = realloc(s, cap);
                    assert_non_null(s);
                }
                len += (size_t)sprintf(s + len, "%s%c", v ? v : "NULL",
                                       c + 1 < sqlite3_column_count(q) ? '|' : '\n');
            }
        }
        sqlite3_finalize(q);
    }
    sqlite3_close(db);
    return s;
}

/* The small universe's catalog (CATALOG) into *cat. */
static void load_catalog(pf_catalog *cat)
{
    char err[512];
    memset(cat, 0, sizeof *cat);
    assert_int_equal(pf_catalog_load_text(cat, CATALOG, strlen(CATALOG), "test", err, sizeof err),
                     0);
}

/* The most packages one project has in the database at path. */
static long biggest_project(const char *path)
{
    return (long)tu_sql_int(path, "SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM pkg_result"
                                  " WHERE project IS NOT NULL GROUP BY project)");
}

/* Print the first differing line of two snapshots (for a failing run). */
static void show_diff(const char *a, const char *b)
{
    size_t line = 1;
    while (*a && *a == *b) {
        line += *a == '\n';
        a++, b++;
    }
    while (line > 1 && a[-1] != '\n')
        a--, b--;
    fprintf(stderr, "line %zu differs:\n  this:      %.160s\n  in memory: %.160s\n", line, a, b);
}

static void test_incremental_equals_full(void **state)
{
    (void)state;
    /* incremental however much changed (the default redoes everything
     * past a third of the rows) */
    setenv("PKGFRESH_FULL_ABOVE", "100", 1);
    const char *dir = tu_tmpdir("incremental");
    char pinc[600], pfull[600], pstream[600], err[512];
    snprintf(pinc, sizeof pinc, "%s/inc.db", dir);
    snprintf(pfull, sizeof pfull, "%s/full.db", dir);
    snprintf(pstream, sizeof pstream, "%s/stream.db", dir);
    pf_catalog cat;
    load_catalog(&cat);
    pf_rules *rules = pf_rules_load("data/rules", err, sizeof err);
    assert_non_null(rules);
    pf_store *inc = pf_store_open(pinc, err, sizeof err),
             *full = pf_store_open(pfull, err, sizeof err),
             *stream = pf_store_open(pstream, err, sizeof err);
    assert_non_null(inc);
    assert_non_null(full);
    assert_non_null(stream);
    assert_int_equal(pf_store_sync_catalog(inc, &cat), 0);
    assert_int_equal(pf_store_sync_catalog(full, &cat), 0);
    assert_int_equal(pf_store_sync_catalog(stream, &cat), 0);

    universe *u = calloc(1, sizeof *u);
    assert_non_null(u);
    u->rng = 0x9e3779b97f4a7c15ULL;
    for (int p = 0; p < NPROJ; p++) {
        u->upstream[p] = 3 + (int)rnd(u, 20);
        for (int r = 0; r < NREPOS; r++) {
            u->rel[r][p] = rnd(u, 3) == 0 ? -1 : u->upstream[p] - (int)rnd(u, 4);
            u->dup[r][p] = rnd(u, 25) == 0 ? (int)rnd(u, 20) : -1;
            u->maint[r][p] = (int)rnd(u, 20);
        }
    }
    long incremental_runs = 0, analyzed = 0, total = 0, scans = 0;
    for (int w = 0; w < NWEEKS; w++) {
        int64_t t = T0 + w * WEEK;
        unsigned due = w == 0 ? (1u << NREPOS) - 1 : evolve(u);
        for (int r = 0; r < NREPOS; r++)
            if (due & (1u << r)) {
                crawl(inc, u, r, t - 60);
                crawl(full, u, r, t - 60);
                crawl(stream, u, r, t - 60);
            }
        /* week 6 without rules: a different digest, so a full analysis on all sides */
        const pf_rules *use = w == 6 ? NULL : rules;
        pf_analyze_result ri, rf, rs;
        setenv("PKGFRESH_ANALYZE_STREAM", "0", 1);
        /* the touched projects' packages project by project, in one pass
         * over every row, or as their count decides */
        static const char *const scan[] = {"0", "1", ""};
        setenv("PKGFRESH_ANALYZE_SCAN", scan[w % 3], 1);
        assert_int_equal(pf_analyze(inc, &cat, use, t, &ri, err, sizeof err), 0);
        unsetenv("PKGFRESH_ANALYZE_SCAN");
        if (ri.incremental && w % 3 != 2)
            assert_int_equal(ri.scanned, w % 3 == 1);
        scans += ri.scanned;
        assert_int_equal(pf_analyze_full(full, &cat, use, t, &rf, err, sizeof err), 0);
        /* batches of one project, of a few, of many; one thread or two */
        static const char *const batch[] = {"1", "7", "100"};
        setenv("PKGFRESH_ANALYZE_STREAM", batch[w % 3], 1);
        setenv("PKGFRESH_THREADS", w % 2 ? "2" : "1", 1);
        /* pass 2 reads runs from a file, one run from memory, or the store */
        static const char *const spill[] = {"4", "", "0", "1"};
        setenv("PKGFRESH_SPILL_KIB", spill[w % 4], 1);
        int src = pf_analyze_full(stream, &cat, use, t, &rs, err, sizeof err);
        if (src != 0)
            fprintf(stderr, "week %d, streaming: %s\n", w, err);
        assert_int_equal(src, 0);
        unsetenv("PKGFRESH_SPILL_KIB");
        unsetenv("PKGFRESH_ANALYZE_STREAM");
        unsetenv("PKGFRESH_THREADS");
        assert_int_equal(rf.incremental, 0);
        assert_int_equal(rf.streamed, 0);
        assert_int_equal(rs.streamed, 1);
        assert_int_equal(rs.packages, rf.packages);
        assert_int_equal(rs.projects, rf.projects);
        assert_int_equal(rs.analyzed, rf.analyzed);
        /* in memory: every package at once; streaming: a batch of whole
         * projects (one project at a time: the biggest one) */
        assert_int_equal(rf.held, rf.analyzed);
        if (w % 3 == 0)
            assert_int_equal(rs.held, biggest_project(pstream));
        assert_true(rs.held < 100 + biggest_project(pstream));
        assert_true(rs.held * 4 < rf.held);
        assert_int_equal(ri.incremental, w != 0 && w != 6 && w != 7);
        assert_int_equal(ri.packages, rf.packages);
        assert_int_equal(ri.projects, rf.projects);
        incremental_runs += ri.incremental;
        if (ri.incremental) {
            analyzed += ri.analyzed;
            total += rf.analyzed;
        }
        char *a = snapshot(pinc), *b = snapshot(pfull), *c = snapshot(pstream);
        if (strcmp(a, b) != 0) {
            fprintf(stderr, "week %d, incremental vs in memory:\n", w);
            show_diff(a, b);
        }
        if (strcmp(c, b) != 0) {
            fprintf(stderr, "week %d, streaming vs in memory:\n", w);
            show_diff(c, b);
        }
        assert_string_equal(a, b);
        assert_string_equal(c, b);
        free(a);
        free(b);
        free(c);
    }
    assert_int_equal(incremental_runs, NWEEKS - 3);
    assert_true(scans >= (NWEEKS - 3) / 3);
    unsetenv("PKGFRESH_FULL_ABOVE");
    /* the incremental runs classified only the touched projects */
    assert_true(analyzed > 0 && analyzed < total);
    free(u);
    pf_store_close(inc);
    pf_store_close(full);
    pf_store_close(stream);
    pf_rules_free(rules);
    pf_catalog_free(&cat);
}

/* A new store at path with the catalog, and a universe drawn from seed
 * without duplicates (*u, the caller frees it). */
static pf_store *open_small(const char *path, const pf_catalog *cat, uint64_t seed, universe **u)
{
    char err[512];
    pf_store *st = pf_store_open(path, err, sizeof err);
    assert_non_null(st);
    assert_int_equal(pf_store_sync_catalog(st, cat), 0);
    universe *v = calloc(1, sizeof *v);
    assert_non_null(v);
    v->rng = seed;
    for (int p = 0; p < NPROJ; p++) {
        v->upstream[p] = 3 + (int)rnd(v, 20);
        for (int r = 0; r < NREPOS; r++) {
            v->rel[r][p] = rnd(v, 4) == 0 ? -1 : v->upstream[p] - (int)rnd(v, 3);
            v->dup[r][p] = -1;
            v->maint[r][p] = (int)rnd(v, 20);
        }
    }
    *u = v;
    return st;
}

/* Crawl every repository of the universe at time t. */
static void crawl_all(pf_store *st, const universe *u, int64_t t)
{
    for (int r = 0; r < NREPOS; r++)
        crawl(st, u, r, t);
}

/* The n snapshots are all the first one; free them. */
static void assert_snapshots_equal(char **snap, int n)
{
    for (int k = 1; k < n; k++)
        assert_string_equal(snap[0], snap[k]);
    for (int k = 0; k < n; k++)
        free(snap[k]);
}

/* The rules (naming.c) and the classification (analyze.c) run on several
 * threads: one thread and four give the same database, in memory and
 * streaming, on the same universe's first two weeks. */
static void test_threads_equal_one(void **state)
{
    (void)state;
    const char *dir = tu_tmpdir("threads");
    char path[4][600], err[512];
    pf_catalog cat;
    load_catalog(&cat);
    pf_rules *rules = pf_rules_load("data/rules", err, sizeof err);
    assert_non_null(rules);
    char *snap[4];
    for (int k = 0; k < 4; k++) {
        setenv("PKGFRESH_THREADS", k % 2 == 0 ? "1" : "4", 1);
        setenv("PKGFRESH_ANALYZE_STREAM", k < 2 ? "0" : "40", 1);
        snprintf(path[k], sizeof path[k], "%s/t%d.db", dir, k);
        universe *u;
        pf_store *st = open_small(path[k], &cat, 12345, &u);
        pf_analyze_result res;
        for (int w = 0; w < 2; w++) {
            unsigned due = w == 0 ? (1u << NREPOS) - 1 : evolve(u);
            for (int r = 0; r < NREPOS; r++)
                if (due & (1u << r))
                    crawl(st, u, r, T0 + w * WEEK - 60);
            assert_int_equal(pf_analyze(st, &cat, rules, T0 + w * WEEK, &res, err, sizeof err), 0);
        }
        free(u);
        pf_store_close(st);
        snap[k] = snapshot(path[k]);
    }
    unsetenv("PKGFRESH_THREADS");
    unsetenv("PKGFRESH_ANALYZE_STREAM");
    assert_true(strlen(snap[0]) > 1000);
    assert_snapshots_equal(snap, 4);
    pf_rules_free(rules);
    pf_catalog_free(&cat);
}

/* A remove rule that drops packages an earlier analysis had named (the
 * rules changed): a streaming full analysis stores them as removed, without
 * a project, as the in-memory one does, so no statistic counts them. */
static void test_stream_removes_named(void **state)
{
    (void)state;
    const char *dir = tu_tmpdir("stream_removes");
    char path[2][600], err[512];
    pf_rules *rules = tu_rules_load_text("stream_removes_rules",
                                         "- { ruleset: alpine, remove: true }\n", err, sizeof err);
    assert_non_null(rules);
    pf_catalog cat;
    load_catalog(&cat);
    char *snap[2];
    for (int k = 0; k < 2; k++) {
        snprintf(path[k], sizeof path[k], "%s/s%d.db", dir, k);
        universe *u;
        pf_store *st = open_small(path[k], &cat, 777, &u);
        crawl_all(st, u, T0 - 60);
        pf_analyze_result res;
        setenv("PKGFRESH_ANALYZE_STREAM", k ? "10" : "0", 1);
        assert_int_equal(pf_analyze_full(st, &cat, NULL, T0, &res, err, sizeof err), 0);
        pf_store_close(st);
        assert_true(tu_sql_int(path[k], "SELECT COUNT(*) FROM pkg_result a JOIN repository r"
                                        " ON r.id = a.repository_id"
                                        " WHERE r.name = 'alp' AND a.project IS NOT NULL") > 50);
        st = pf_store_open(path[k], err, sizeof err);
        assert_non_null(st);
        assert_int_equal(pf_analyze_full(st, &cat, rules, T0 + WEEK, &res, err, sizeof err), 0);
        unsetenv("PKGFRESH_ANALYZE_STREAM");
        assert_int_equal(res.streamed, k);
        assert_true(res.removed > 50);
        free(u);
        pf_store_close(st);
        assert_int_equal(tu_sql_int(path[k], "SELECT COUNT(*) FROM pkg_result a JOIN repository r"
                                             " ON r.id = a.repository_id WHERE r.name = 'alp'"
                                             " AND (a.project IS NOT NULL OR a.flags <> 1)"),
                         0);
        assert_int_equal(tu_sql_int(path[k],
                                    "SELECT s.num_packages FROM repo_stats s JOIN"
                                    " repository r ON r.id = s.repository_id"
                                    " WHERE r.name = 'alp' ORDER BY s.run_id DESC LIMIT 1"),
                         0);
        snap[k] = snapshot(path[k]);
    }
    assert_snapshots_equal(snap, 2);
    pf_rules_free(rules);
    pf_catalog_free(&cat);
}

/* The spill's file cannot be made (TMPDIR names no directory): the
 * streaming analysis starts over without a spill and gives the database
 * an in-memory analysis gives. */
static void test_spill_fails_over(void **state)
{
    (void)state;
    const char *dir = tu_tmpdir("spill_fails");
    char path[2][600], err[512];
    pf_catalog cat;
    load_catalog(&cat);
    pf_rules *rules = pf_rules_load("data/rules", err, sizeof err);
    assert_non_null(rules);
    char *snap[2];
    for (int k = 0; k < 2; k++) {
        snprintf(path[k], sizeof path[k], "%s/f%d.db", dir, k);
        universe *u;
        pf_store *st = open_small(path[k], &cat, 4242, &u);
        crawl_all(st, u, T0 - 60);
        setenv("PKGFRESH_ANALYZE_STREAM", k ? "16" : "0", 1);
        setenv("PKGFRESH_SPILL_KIB", "1", 1);
        setenv("TMPDIR", "/nonexistent/pkgfresh-test", 1);
        pf_analyze_result res;
        int rc = pf_analyze_full(st, &cat, rules, T0, &res, err, sizeof err);
        unsetenv("TMPDIR");
        unsetenv("PKGFRESH_SPILL_KIB");
        unsetenv("PKGFRESH_ANALYZE_STREAM");
        if (rc != 0)
            fprintf(stderr, "%s\n", err);
        assert_int_equal(rc, 0);
        assert_int_equal(res.streamed, k);
        assert_true(res.packages > 500);
        free(u);
        pf_store_close(st);
        snap[k] = snapshot(path[k]);
    }
    assert_snapshots_equal(snap, 2);
    pf_rules_free(rules);
    pf_catalog_free(&cat);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_incremental_equals_full),
        cmocka_unit_test(test_threads_equal_one),
        cmocka_unit_test(test_stream_removes_named),
        cmocka_unit_test(test_spill_fails_over),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
