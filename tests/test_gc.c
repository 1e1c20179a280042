/*
 * test_gc.c — `pkgfresh gc` and `pkgfresh backup` (store/gc.c): ten weekly
 * crawls and analyses of two repositories through the library, then a gc
 * with a cutoff in the middle. Checks what went and what stayed, row by
 * row, and that the next analysis of the collected database gives exactly
 * the package results of the same analysis on a backup taken before the gc.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pkgfresh/analyze.h"
#include "pkgfresh/catalog.h"
#include "pkgfresh/store.h"
#include "testutil.h"

#define T0   1700000000LL
#define WEEK (7 * 86400LL)

/* One repository's snapshot in week w: "name version" pairs as records.
 * foo and bar move on; gone exists only in weeks 0..2. */
static void crawl_week(pf_store *st, const char *repo, int w, int lag)
{
    char err[512];
    pf_crawl_tx *tx = pf_store_crawl_begin(st, repo, err, sizeof err);
    assert_non_null(tx);
    assert_int_equal(pf_store_crawl_source(tx, "main", NULL), 0);
    char ver[32];
    const char *names[] = {"foo", "bar", "baz", "gone"};
    for (int i = 0; i < 4; i++) {
        if (i == 3 && w > 2)
            continue;
        int release = i == 2 ? 1 : (w > lag ? w - lag : 0) / (i + 1);
        snprintf(ver, sizeof ver, "1.%d-1", release);
        pf_record rec = {.srcname = names[i],
                         .binnames = names[i],
                         .version = ver,
                         .maintainers = "t@example.org"};
        assert_int_equal(pf_store_crawl_add(tx, &rec), 0);
    }
    pf_crawl_info info = {.started = T0 + w * WEEK - 120,
                          .finished = T0 + w * WEEK - 60,
                          .status = "ok",
                          .packages = pf_store_crawl_count(tx)};
    assert_int_equal(pf_store_crawl_commit(tx, &info, err, sizeof err), 0);
}

/* One integer from a query on an open database. */
static long long q_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    long long v = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return v;
}

/* The analysis results of every package, one line each, in a malloc'd string. */
static char *results(const char *path)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT printf('%d %s %s %s %d %d %s %s %s', repository_id,"
                                        " srcname, project, version, flags, status, best_version,"
                                        " newer_versions, behind_since) FROM package JOIN pkg_result"
                                        " USING (id, repository_id) ORDER BY id",
                                        -1, &q, NULL),
                     SQLITE_OK);
    size_t len = 0;
    char *s = calloc(1, 1);
    while (sqlite3_step(q) == SQLITE_ROW) {
        const char *line = (const char *)sqlite3_column_text(q, 0);
        s = realloc(s, len + strlen(line) + 2);
        assert_non_null(s);
        len += (size_t)sprintf(s + len, "%s\n", line);
    }
    sqlite3_finalize(q);
    sqlite3_close(db);
    return s;
}

static void test_gc_keeps_results(void **state)
{
    (void)state;
    const char *dir = tu_tmpdir("gc");
    char path[600], copy[600], err[512];
    snprintf(path, sizeof path, "%s/gc.db", dir);
    snprintf(copy, sizeof copy, "%s/backup.db", dir);
    pf_catalog cat;
    memset(&cat, 0, sizeof cat);
    assert_int_equal(pf_catalog_load_path(&cat, tu_fixture("e2e/catalog.yaml"), err, sizeof err),
                     0);
    pf_store *st = pf_store_open(path, err, sizeof err);
    assert_non_null(st);
    assert_int_equal(pf_store_sync_catalog(st, &cat), 0);
    pf_analyze_result res;
    for (int w = 0; w < 10; w++) {
        crawl_week(st, "test_a", w, 0);
        if (w % 2 == 0) /* B is crawled every other week: fewer crawl rows */
            crawl_week(st, "test_b", w, 2);
        assert_int_equal(pf_analyze(st, &cat, NULL, T0 + w * WEEK, &res, err, sizeof err), 0);
    }
    assert_int_equal(pf_store_backup(st, copy), 0);
    assert_int_not_equal(pf_store_backup(st, copy), 0); /* never over an existing file */
    /* the copy is in WAL mode, like the store, and one file */
    char *mode = tu_sql_text(copy, "PRAGMA journal_mode");
    assert_string_equal(mode, "wal");
    free(mode);
    char wal[620];
    snprintf(wal, sizeof wal, "%s-wal", copy);
    assert_int_not_equal(access(wal, F_OK), 0);

    pf_gc_result g;
    assert_int_equal(pf_store_gc(st, T0 + 5 * WEEK, 1, &g), 0);
    /* crawls finish a minute before their week's analysis: A's of weeks 0..5
     * and B's of weeks 0, 2, 4 are older than the cutoff */
    assert_int_equal(g.crawls, 9);
    /* runs of weeks 1..4 go (week 0 marks where the history starts) */
    assert_int_equal(g.runs, 4);
    assert_int_equal(g.stats_rows, 10);                  /* weeks 0..4, two repositories */
    assert_int_equal(g.seen_rows, 2);                    /* "gone" 1.0 in A and in B */
    assert_true(g.bytes_after > 0 && g.free_after == 0); /* vacuumed */

    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(q_int(db, "SELECT COUNT(*) FROM analysis_run"), 6);
    assert_int_equal(q_int(db, "SELECT MIN(taken_at) FROM analysis_run"), T0);
    assert_int_equal(q_int(db, "SELECT COUNT(*) FROM repo_stats"), 10);
    assert_int_equal(q_int(db, "SELECT COUNT(*) FROM crawl"), 6);
    assert_int_equal(q_int(db, "SELECT COUNT(*) FROM version_seen WHERE project = 'gone'"), 0);
    /* old versions of current projects stay: foo 1.0 was last seen in week 0 */
    assert_int_equal(q_int(db, "SELECT COUNT(*) FROM version_seen WHERE project = 'foo'"
                               " AND version = '1.0'"),
                     2);
    sqlite3_close(db);

    /* a second gc with the same cutoff finds nothing more */
    assert_int_equal(pf_store_gc(st, T0 + 5 * WEEK, 0, &g), 0);
    assert_int_equal(g.crawls + g.runs + g.stats_rows + g.seen_rows, 0);

    /* the same next week on both: identical package results */
    crawl_week(st, "test_a", 10, 0);
    crawl_week(st, "test_b", 10, 3);
    assert_int_equal(pf_analyze(st, &cat, NULL, T0 + 10 * WEEK, &res, err, sizeof err), 0);
    pf_store_close(st);
    st = pf_store_open(copy, err, sizeof err);
    assert_non_null(st);
    crawl_week(st, "test_a", 10, 0);
    crawl_week(st, "test_b", 10, 3);
    assert_int_equal(pf_analyze(st, &cat, NULL, T0 + 10 * WEEK, &res, err, sizeof err), 0);
    pf_store_close(st);
    char *a = results(path), *b = results(copy);
    assert_true(strlen(a) > 100);
    assert_string_equal(a, b);
    assert_non_null(strstr(a, " foo foo 1.10 ")); /* analyzed, not just copied */
    free(a);
    free(b);
    pf_catalog_free(&cat);
}

/* The command line: a bad period is a usage error, a good one prints the counts. */
static void test_gc_cli(void **state)
{
    (void)state;
    const char *dir = tu_tmpdir("gc_cli");
    char db[600], bak[600];
    snprintf(db, sizeof db, "%s/cli.db", dir);
    snprintf(bak, sizeof bak, "%s/copy.db", dir);
    char *out = NULL, *err = NULL;
    char *bad[] = {(char *)tu_pkgfresh(), "--db", db, "gc", "--older-than", "soon", NULL};
    assert_int_equal(tu_run(bad, &out, &err), 2);
    assert_non_null(strstr(err, "--older-than"));
    free(out);
    free(err);
    char *good[] = {
        (char *)tu_pkgfresh(), "--db", db, "gc", "--older-than", "26w", "--format", "csv", NULL};
    assert_int_equal(tu_run(good, &out, &err), 0);
    assert_non_null(strstr(out, "item,count\ncrawls_dropped,0\n"));
    free(out);
    free(err);
    char *backup[] = {(char *)tu_pkgfresh(), "--db", db, "backup", bak, NULL};
    assert_int_equal(tu_run(backup, &out, &err), 0);
    free(out);
    free(err);
    assert_int_equal(access(bak, R_OK), 0);
    assert_int_equal(tu_run(backup, &out, &err), 1); /* exists: refused */
    assert_non_null(strstr(err, "backup"));
    free(out);
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gc_keeps_results),
        cmocka_unit_test(test_gc_cli),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
