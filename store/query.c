/*
 * query.c — read-only iterators and scalar queries over the snapshot,
 * crawl history and statistics history.
 *
 * Invariants:
 *  - Each iterator runs one prepared SELECT and hands rows to the callback;
 *    strings in a row point into SQLite's row buffer, valid only during that
 *    callback call.
 *  - Iterators return 0 when all rows were delivered, the callback's non-zero
 *    value when it stopped early, -1 on a database error (pf_store_errmsg).
 *  - Outside a transaction each iterator sees one consistent snapshot (WAL
 *    readers are not blocked by a crawl in progress, and see its result only
 *    after its COMMIT).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "pkgfresh/grow.h"

/* Text column or NULL. */
static const char *col_text(sqlite3_stmt *q, int col)
{
    return (const char *)sqlite3_column_text(q, col);
}

/* Double column, -1 for NULL (our "unknown"). */
static double col_opt_double(sqlite3_stmt *q, int col)
{
    if (sqlite3_column_type(q, col) == SQLITE_NULL)
        return -1;
    return sqlite3_column_double(q, col);
}

/* The caller's callback (exactly one set) and its context. */
typedef struct iter {
    pf_pkg_row_fn pkg;
    pf_repo_row_fn repo;
    pf_pkg_view_fn view;
    pf_seen_fn seen;
    void *ctx;
} iter;

/* Step q to the end, calling row_fn(q, it) per row; then reset q (it can be
 * bound and run again). */
static int step_rows(pf_store *st, sqlite3_stmt *q, const char *what,
                     int (*row_fn)(sqlite3_stmt *q, const iter *it), const iter *it)
{
    int rc, ret = 0;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        ret = row_fn(q, it);
        if (ret != 0)
            break;
    }
    if (ret == 0 && rc != SQLITE_DONE)
        ret = pfst_fail(st, what);
    sqlite3_reset(q);
    return ret;
}

/* step_rows, then finalize q: the shared loop of the iterators. */
static int run_rows(pf_store *st, sqlite3_stmt *q, const char *what,
                    int (*row_fn)(sqlite3_stmt *q, const iter *it), const iter *it)
{
    int ret = step_rows(st, q, what, row_fn, it);
    sqlite3_finalize(q);
    return ret;
}

/* run q once per key (bound to ?1) in keys[0..n), rows in key order; finalizes q. */
static int run_rows_per_key(pf_store *st, sqlite3_stmt *q, const char *const *keys, size_t n,
                            const char *what, int (*row_fn)(sqlite3_stmt *q, const iter *it),
                            const iter *it)
{
    int ret = 0;
    for (size_t i = 0; i < n && ret == 0; i++) {
        pfst_bind_text(q, 1, keys[i]);
        ret = step_rows(st, q, what, row_fn, it);
    }
    sqlite3_finalize(q);
    return ret;
}

/* ---- packages for the analyzer ---------------------------------------- */

/* Build a pf_pkg_row from the each_package SELECT and call the user's function. */
static int pkg_row(sqlite3_stmt *q, const iter *it)
{
    pf_pkg_row r = {
        .id = sqlite3_column_int64(q, 0),
        .repo_id = col_text(q, 1),
        .srcname = col_text(q, 2),
        .binnames = col_text(q, 3),
        .raw_version = col_text(q, 4),
        .maintainers = col_text(q, 5),
        .homepage = col_text(q, 6),
        .category = col_text(q, 7),
        .summary = col_text(q, 8),
        .pflags = (unsigned)sqlite3_column_int64(q, 9),
        .project = col_text(q, 10),
        .version = col_text(q, 11),
        .flags = (unsigned)sqlite3_column_int64(q, 12),
        .status = sqlite3_column_int(q, 13),
        .best = col_text(q, 14),
        .newer = sqlite3_column_type(q, 15) == SQLITE_NULL ? -1 : (long)sqlite3_column_int64(q, 15),
        .behind_since = sqlite3_column_int64(q, 16),
        .flavor = col_text(q, 17),
        .branch = col_text(q, 18),
    };
    return it->pkg(it->ctx, &r);
}

/* The columns pkg_row reads: package p, its results a (pkg_result, the same
 * id), its repository r. */
#define PKG_ROW_COLS                                                                               \
    "SELECT p.id, r.name, p.srcname, p.binnames, p.raw_version, p.maintainers,"                    \
    " p.homepage, p.category, p.summary, p.pflags, a.project, a.version,"                          \
    " a.flags, a.status, a.best_version, a.newer_versions, a.behind_since, a.flavor, a.branch"
#define PKG_ROW_SELECT                                                                             \
    PKG_ROW_COLS " FROM package p JOIN pkg_result a ON a.id = p.id"                                \
                 " JOIN repository r ON r.id = p.repository_id"
/* pkg_row's layout from the results alone (no rule inputs: NULL). */
#define RESULT_ROW_COLS                                                                            \
    "SELECT a.id, r.name, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0,"                            \
    " a.project, a.version, a.flags, a.status, a.best_version,"                                    \
    " a.newer_versions, a.behind_since, a.flavor, a.branch"
#define RESULT_ROW_SELECT                                                                          \
    RESULT_ROW_COLS " FROM pkg_result a JOIN repository r ON r.id = a.repository_id"

/* Every package in rowid order: one sequential pass over the table and its
 * results (the same ids, so each lookup lands next to the previous one; a
 * source's packages are one rowid range, so repositories come in runs). */
int pf_store_each_package(pf_store *st, pf_pkg_row_fn fn, void *ctx)
{
    sqlite3_stmt *q;
    if (pfst_prepare(st, PKG_ROW_SELECT " ORDER BY p.id", &q) != 0)
        return -1;
    return run_rows(st, q, "read packages", pkg_row, &(iter){.pkg = fn, .ctx = ctx});
}

/* Rows no analysis has written yet, through the partial index result_new
 * (named: without statistics the planner prefers scanning the whole table in
 * rowid order to sorting the few new rows, 1.6 s instead of 0.04 s for 42k
 * new rows of 5 M). Not called inside a rebuild-mode analysis, which sets the
 * index aside. */
int pf_store_each_new_package(pf_store *st, pf_pkg_row_fn fn, void *ctx)
{
    sqlite3_stmt *q;
    if (pfst_prepare(st,
                     PKG_ROW_COLS " FROM pkg_result a INDEXED BY result_new"
                                  " JOIN package p ON p.id = a.id"
                                  " JOIN repository r ON r.id = p.repository_id"
                                  " WHERE a.version IS NULL AND a.flags = 0 ORDER BY a.id",
                     &q) != 0)
        return -1;
    return run_rows(st, q, "read new packages", pkg_row, &(iter){.pkg = fn, .ctx = ctx});
}

/* The packages of each project (index result_project), project after
 * project: their results only (the rule inputs are NULL, pflags 0: the
 * incremental analysis reads these rows' cached rule results, and the
 * crawl data stays unread). */
int pf_store_each_package_of(pf_store *st, const char *const *projects, size_t n, pf_pkg_row_fn fn,
                             void *ctx)
{
    sqlite3_stmt *q;
    if (pfst_prepare(st, RESULT_ROW_SELECT " WHERE a.project = ?1 ORDER BY a.id", &q) != 0)
        return -1;
    return run_rows_per_key(st, q, projects, n, "read project packages", pkg_row,
                            &(iter){.pkg = fn, .ctx = ctx});
}

/* The running count of pf_store_count_packages_of and where it stops. */
typedef struct count_to {
    long count, limit;
} count_to;

/* Add one project's count; 1 (stop) once past the limit. */
static int count_row(sqlite3_stmt *q, const iter *it)
{
    count_to *c = it->ctx;
    c->count += (long)sqlite3_column_int64(q, 0);
    return c->count > c->limit;
}

/* How many analyzed packages projects[0..n) have, counted in the index
 * result_project (no row read); the count stops once past limit. */
long pf_store_count_packages_of(pf_store *st, const char *const *projects, size_t n, long limit)
{
    sqlite3_stmt *q;
    if (pfst_prepare(st, "SELECT count(*) FROM pkg_result WHERE project = ?1", &q) != 0)
        return -1;
    count_to c = {0, limit};
    int ret = run_rows_per_key(st, q, projects, n, "count project packages", count_row,
                               &(iter){.ctx = &c});
    return ret < 0 ? -1 : c.count;
}

/* pf_store_each_package_if's filter: the caller's function and its context. */
typedef struct keep_ud {
    pf_keep_fn keep;
    void *ctx;
} keep_ud;

/* SQL function pf_keep(project), registered for one statement: 1 when the
 * caller's filter keeps the project, 0 for NULL. */
static void keep_func(sqlite3_context *c, int argc, sqlite3_value **argv)
{
    (void)argc;
    const keep_ud *k = sqlite3_user_data(c);
    const unsigned char *s = sqlite3_value_text(argv[0]);
    sqlite3_result_int(c,
                       s && k->keep(k->ctx, (const char *)s, (size_t)sqlite3_value_bytes(argv[0])));
}

/* Every analyzed package whose project keep() keeps, in rowid order: one pass
 * over pkg_result (CROSS JOIN keeps it the outer loop, so its rows come in
 * file order), the filter a SQL function that exists for this statement
 * only. Results only, as pf_store_each_package_of. */
int pf_store_each_package_if(pf_store *st, pf_keep_fn keep, void *kctx, pf_pkg_row_fn fn, void *ctx)
{
    keep_ud ud = {keep, kctx};
    const int enc = SQLITE_UTF8 | SQLITE_DIRECTONLY;
    if (sqlite3_create_function(st->db, "pf_keep", 1, enc, &ud, keep_func, NULL, NULL) != SQLITE_OK)
        return pfst_fail(st, "register the project filter");
    sqlite3_stmt *q;
    int ret = pfst_prepare(st,
                           RESULT_ROW_COLS
                           " FROM pkg_result a CROSS JOIN repository r ON r.id = a.repository_id"
                           " WHERE pf_keep(a.project) ORDER BY a.id",
                           &q);
    if (ret == 0)
        ret = run_rows(st, q, "read project packages", pkg_row, &(iter){.pkg = fn, .ctx = ctx});
    /* drop it: ud lives on this stack frame */
    sqlite3_create_function(st->db, "pf_keep", 1, enc, NULL, NULL, NULL, NULL);
    return ret;
}

/* Every analyzed package (project not NULL) in project order, by the index
 * result_project (project, repository_id): a project's rows come together,
 * and projects in the order of their names' bytes, as pf_store_each_seen_range
 * reads the history (a streaming analysis merges the two). Results only:
 * the rule inputs (srcname ... summary) are NULL, pflags 0 (the rules ran
 * before). */
int pf_store_each_package_by_project(pf_store *st, pf_pkg_row_fn fn, void *ctx)
{
    sqlite3_stmt *q;
    if (pfst_prepare(st,
                     RESULT_ROW_SELECT
                     " WHERE a.project IS NOT NULL ORDER BY a.project, a.repository_id",
                     &q) != 0)
        return -1;
    return run_rows(st, q, "read packages by project", pkg_row, &(iter){.pkg = fn, .ctx = ctx});
}

/* ---- repositories ------------------------------------------------------ */

/* The six project counters of a statistics row, from columns col..col+5 in
 * repo_stats' order: projects, unique, newest, outdated, comparable,
 * problematic. */
static void project_counters(sqlite3_stmt *q, int col, pf_repo_stats *s)
{
    s->num_projects = (long)sqlite3_column_int64(q, col);
    s->num_unique = (long)sqlite3_column_int64(q, col + 1);
    s->num_newest = (long)sqlite3_column_int64(q, col + 2);
    s->num_outdated = (long)sqlite3_column_int64(q, col + 3);
    s->num_comparable = (long)sqlite3_column_int64(q, col + 4);
    s->num_problematic = (long)sqlite3_column_int64(q, col + 5);
}

/* Build a pf_repo_row from the each_repo SELECT (column layout documented there). */
static int repo_row(sqlite3_stmt *q, const iter *it)
{
    pf_repo_row r;
    memset(&r, 0, sizeof r);
    r.repo_id = col_text(q, 0);
    r.family = col_text(q, 1);
    r.title = col_text(q, 2);
    r.color = col_text(q, 3);
    r.format = col_text(q, 4);
    r.last_crawl = sqlite3_column_int64(q, 5);
    r.last_status = col_text(q, 6);
    r.last_error = col_text(q, 7);
    r.crawl_packages = (long)sqlite3_column_int64(q, 8);
    r.has_stats = sqlite3_column_int(q, 9);
    pf_repo_stats *s = &r.stats;
    s->repo_id = r.repo_id;
    if (!r.has_stats) {
        s->num_packages = s->num_projects = s->num_unique = s->num_newest = -1;
        s->num_outdated = s->num_comparable = s->num_problematic = -1;
        s->num_maintainers = -1;
        for (size_t i = 0; i < sizeof s->pkg_status / sizeof s->pkg_status[0]; i++)
            s->pkg_status[i] = -1;
        s->median_lag_days = s->p90_lag_days = -1;
        r.stats_taken_at = -1;
        return it->repo(it->ctx, &r);
    }
    r.stats_taken_at = sqlite3_column_int64(q, 10);
    s->num_packages = (long)sqlite3_column_int64(q, 11);
    for (int i = PF_S_NEWEST; i <= PF_S_ROLLING; i++)
        s->pkg_status[i] = (long)sqlite3_column_int64(q, 11 + i);
    project_counters(q, 22, s);
    s->num_maintainers = (long)sqlite3_column_int64(q, 28);
    s->median_lag_days = col_opt_double(q, 29);
    s->p90_lag_days = col_opt_double(q, 30);
    return it->repo(it->ctx, &r);
}

/* Every stored repository by name, with its latest crawl attempt, snapshot
 * size and latest statistics row. Columns: 0-4 repository, 5 last_success,
 * 6-7 last crawl, 8 package count, 9 has stats, 10 taken_at, 11 num_packages,
 * 12-21 pkg_<status> (status 1..10), 22-28 project counters, 29-30 lags. */
int pf_store_each_repo(pf_store *st, pf_repo_row_fn fn, void *ctx)
{
    sqlite3_stmt *q;
    if (pfst_prepare(st,
                     "SELECT r.name, r.family, r.title, r.color, r.format, r.last_success,"
                     " c.status, c.error,"
                     " r.num_packages,"
                     " s.run_id IS NOT NULL, s.taken_at, s.num_packages,"
                     " s.pkg_newest, s.pkg_outdated, s.pkg_ignored, s.pkg_unique, s.pkg_devel,"
                     " s.pkg_legacy, s.pkg_incorrect, s.pkg_untrusted, s.pkg_noscheme,"
                     " s.pkg_rolling, s.num_projects, s.num_unique, s.num_newest,"
                     " s.num_outdated, s.num_comparable, s.num_problematic,"
                     " s.num_maintainers, s.median_lag_days, s.p90_lag_days"
                     " FROM repository r"
                     " LEFT JOIN crawl c ON c.id ="
                     "  (SELECT MAX(id) FROM crawl WHERE repository_id = r.id)"
                     " LEFT JOIN repo_stats s ON s.repository_id = r.id AND s.run_id ="
                     "  (SELECT MAX(run_id) FROM repo_stats WHERE repository_id = r.id)"
                     " ORDER BY r.name",
                     &q) != 0)
        return -1;
    return run_rows(st, q, "read repositories", repo_row, &(iter){.repo = fn, .ctx = ctx});
}

/* Build a history row from the each_history SELECT: 0 repository, 1
 * taken_at, 2-7 project counters, 8-9 lags. */
static int history_row(sqlite3_stmt *q, const iter *it)
{
    pf_repo_row r;
    memset(&r, 0, sizeof r);
    r.repo_id = col_text(q, 0);
    r.has_stats = 1;
    r.stats_taken_at = sqlite3_column_int64(q, 1);
    pf_repo_stats *s = &r.stats;
    s->repo_id = r.repo_id;
    s->num_packages = s->num_maintainers = -1;
    for (size_t i = 0; i < sizeof s->pkg_status / sizeof s->pkg_status[0]; i++)
        s->pkg_status[i] = -1;
    project_counters(q, 2, s);
    s->median_lag_days = col_opt_double(q, 8);
    s->p90_lag_days = col_opt_double(q, 9);
    return it->repo(it->ctx, &r);
}

/* Every statistics row (one per analysis run) of one repository, or of all
 * when repo_id is NULL, oldest first within each repository: the repository
 * id, taken_at, the project counters and the lags, what `history` and the
 * trends read. The package counts (num_packages, pkg_status, num_maintainers)
 * are -1 and the catalog and crawl fields empty: reading those 21 columns
 * too took half of the query's time (300 repositories x 20 runs: 5 of 10 ms). */
int pf_store_each_history(pf_store *st, const char *repo_id, pf_repo_row_fn fn, void *ctx)
{
    sqlite3_stmt *q;
    if (pfst_prepare(st,
                     "SELECT r.name, s.taken_at, s.num_projects, s.num_unique, s.num_newest,"
                     " s.num_outdated, s.num_comparable, s.num_problematic,"
                     " s.median_lag_days, s.p90_lag_days"
                     " FROM repo_stats s JOIN repository r ON r.id = s.repository_id"
                     " WHERE ?1 IS NULL OR r.name = ?1"
                     " ORDER BY r.name, s.run_id",
                     &q) != 0)
        return -1;
    pfst_bind_text(q, 1, repo_id);
    return run_rows(st, q, "read statistics history", history_row, &(iter){.repo = fn, .ctx = ctx});
}

/* Build a pf_seen_row from the each_seen SELECT and call the user's function. */
static int seen_row(sqlite3_stmt *q, const iter *it)
{
    pf_seen_row r = {
        .project = col_text(q, 0),
        .version = col_text(q, 1),
        .repo_id = col_text(q, 2),
        .first_seen = sqlite3_column_int64(q, 3),
        .last_seen = sqlite3_column_int64(q, 4),
        .trusted = sqlite3_column_int(q, 5),
    };
    return it->seen(it->ctx, &r);
}

/* The columns seen_row reads, and their order (the primary key's). */
#define SEEN_SELECT                                                                                \
    "SELECT s.project, s.version, r.name, s.first_seen, s.last_seen,"                              \
    " s.trusted FROM version_seen s JOIN repository r ON r.id = s.repository_id"
#define SEEN_ORDER " ORDER BY s.project, s.version, s.repository_id"

/* Every row of the version history with its repository name, in the
 * primary key's order (project, version, repository id). */
int pf_store_each_seen(pf_store *st, pf_seen_fn fn, void *ctx)
{
    sqlite3_stmt *q;
    if (pfst_prepare(st, SEEN_SELECT SEEN_ORDER, &q) != 0)
        return -1;
    return run_rows(st, q, "read version history", seen_row, &(iter){.seen = fn, .ctx = ctx});
}

/* The version-history rows that first appeared after `since` and are
 * present in the newest analysis (what a repository gained since an earlier
 * run: the site's "updated" feed entries), by project, version, repository. */
int pf_store_each_seen_since(pf_store *st, int64_t since, pf_seen_fn fn, void *ctx)
{
    sqlite3_stmt *q;
    if (pfst_prepare(st, SEEN_SELECT " WHERE s.first_seen > ?1 AND s.last_seen IS NULL" SEEN_ORDER,
                     &q) != 0)
        return -1;
    sqlite3_bind_int64(q, 1, since);
    return run_rows(st, q, "read version history", seen_row, &(iter){.seen = fn, .ctx = ctx});
}

/* The history rows of each project (the primary key's prefix), project after project. */
int pf_store_each_seen_of(pf_store *st, const char *const *projects, size_t n, pf_seen_fn fn,
                          void *ctx)
{
    sqlite3_stmt *q;
    if (pfst_prepare(st, SEEN_SELECT " WHERE s.project = ?1 ORDER BY s.version, s.repository_id",
                     &q) != 0)
        return -1;
    return run_rows_per_key(st, q, projects, n, "read version history", seen_row,
                            &(iter){.seen = fn, .ctx = ctx});
}

/* The history rows of the projects after `after` up to `upto` (NULL: no
 * bound), in the primary key's order: a streaming analysis reads the
 * history of one batch of projects at a time. */
int pf_store_each_seen_range(pf_store *st, const char *after, const char *upto, pf_seen_fn fn,
                             void *ctx)
{
    /* real bounds (not "?1 IS NULL OR ..."): the index is searched, not scanned */
    static const char *const sql[] = {
        SEEN_SELECT SEEN_ORDER,
        SEEN_SELECT " WHERE s.project > ?1" SEEN_ORDER,
        SEEN_SELECT " WHERE s.project <= ?2" SEEN_ORDER,
        SEEN_SELECT " WHERE s.project > ?1 AND s.project <= ?2" SEEN_ORDER,
    };
    sqlite3_stmt *q;
    if (pfst_prepare(st, sql[(after != NULL) + 2 * (upto != NULL)], &q) != 0)
        return -1;
    if (after)
        pfst_bind_text(q, 1, after);
    if (upto)
        pfst_bind_text(q, 2, upto);
    return run_rows(st, q, "read version history", seen_row, &(iter){.seen = fn, .ctx = ctx});
}

/* ---- incremental analysis ---------------------------------------------- */

/* Analyzed packages deleted since the last analysis (pkg_gone, filled by a
 * trigger), in pkg_row's layout (id 0). */
int pf_store_each_gone(pf_store *st, pf_pkg_row_fn fn, void *ctx)
{
    sqlite3_stmt *q;
    if (pfst_prepare(st,
                     "SELECT 0, r.name, p.srcname, p.binnames, p.raw_version, p.maintainers,"
                     " p.homepage, p.category, p.summary, p.pflags, p.project, p.version,"
                     " p.flags, p.status, p.best_version, p.newer_versions, p.behind_since,"
                     " p.flavor, p.branch FROM pkg_gone p JOIN repository r"
                     " ON r.id = p.repository_id",
                     &q) != 0)
        return -1;
    return run_rows(st, q, "read deleted packages", pkg_row, &(iter){.pkg = fn, .ctx = ctx});
}

/* The name of repository row rid into *buf (grown as needed): 1 found, 0
 * no such row, -1 on error. */
static int repo_name_of(pf_store *st, sqlite3_stmt *rq, int64_t rid, char **buf, size_t *cap)
{
    sqlite3_bind_int64(rq, 1, rid);
    int rc = sqlite3_step(rq), ret = 0;
    if (rc == SQLITE_ROW) {
        size_t n = (size_t)sqlite3_column_bytes(rq, 0);
        if (pf_grow(buf, cap, 0, n + 1) != 0) {
            ret = pfst_failf(st, "read lags: out of memory");
        } else {
            memcpy(*buf, col_text(rq, 0), n);
            (*buf)[n] = '\0';
            ret = 1;
        }
    } else if (rc != SQLITE_DONE) {
        ret = pfst_fail(st, "read lags");
    }
    sqlite3_reset(rq);
    return ret;
}

/* Smallest known lag per (repository, project): the rows of the partial
 * index result_behind (covering: schema 10) in its own order (not named:
 * a rebuild-mode analysis has set it aside, and then the table is read), so a
 * (repository, project) group's last row not after `now` holds its latest
 * first sighting. Groups are closed here rather than by a GROUP BY, and a
 * repository's name is looked up once per run of its rows instead of once
 * per group (5 M packages, 2 M groups: 1.9 s -> about 0.5 s). */
int pf_store_each_lag(pf_store *st, int64_t now, pf_lag_fn fn, void *ctx)
{
    sqlite3_stmt *q, *rq;
    if (pfst_prepare(st,
                     "SELECT p.repository_id, p.project, p.behind_since FROM pkg_result p"
                     " WHERE p.status = 2"
                     " AND p.behind_since IS NOT NULL AND p.behind_since <= ?1"
                     " ORDER BY p.repository_id, p.project, p.behind_since",
                     &q) != 0)
        return -1;
    if (pfst_prepare(st, "SELECT name FROM repository WHERE id = ?1", &rq) != 0) {
        sqlite3_finalize(q);
        return -1;
    }
    sqlite3_bind_int64(q, 1, now);
    char *name = NULL, *proj = NULL; /* the current group's repository name and project */
    size_t namecap = 0, projcap = 0, projlen = 0;
    int64_t repo = 0, behind = 0;
    int in_group = 0, named = 0, rc, ret = 0;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        int64_t rid = sqlite3_column_int64(q, 0);
        const char *p = col_text(q, 1);
        size_t n = (size_t)sqlite3_column_bytes(q, 1);
        if (in_group && rid == repo && n == projlen && (n == 0 || memcmp(p, proj, n) == 0)) {
            behind = sqlite3_column_int64(q, 2); /* ascending: the group's latest so far */
            continue;
        }
        if (in_group && named && (ret = fn(ctx, name, behind)) != 0)
            break;
        if (!in_group || rid != repo) {
            named = repo_name_of(st, rq, rid, &name, &namecap);
            if (named < 0) {
                ret = -1;
                break;
            }
        }
        if (pf_grow(&proj, &projcap, 0, n + 1) != 0) {
            ret = pfst_failf(st, "read lags: out of memory");
            break;
        }
        if (n)
            memcpy(proj, p, n);
        projlen = n;
        repo = rid;
        behind = sqlite3_column_int64(q, 2);
        in_group = 1;
    }
    if (ret == 0 && rc != SQLITE_DONE)
        ret = pfst_fail(st, "read lags");
    if (ret == 0 && in_group && named)
        ret = fn(ctx, name, behind);
    sqlite3_finalize(q);
    sqlite3_finalize(rq);
    free(name);
    free(proj);
    return ret;
}

/* Maintainer lists of a repository's analyzed packages (removed ones have no project). */
int pf_store_each_maintainers(pf_store *st, const char *repo_id, pf_text_fn fn, void *ctx)
{
    sqlite3_stmt *q;
    if (pfst_prepare(st,
                     "SELECT p.maintainers FROM package p JOIN pkg_result a ON a.id = p.id"
                     " WHERE p.repository_id = (SELECT id FROM repository WHERE name = ?1)"
                     " AND a.project IS NOT NULL",
                     &q) != 0)
        return -1;
    pfst_bind_text(q, 1, repo_id);
    int rc, ret = 0;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW && (ret = fn(ctx, col_text(q, 0))) == 0)
        ;
    if (ret == 0 && rc != SQLITE_DONE)
        ret = pfst_fail(st, "read maintainers");
    sqlite3_finalize(q);
    return ret;
}

/* How much crawls changed since the last analysis: rows deleted (pkg_gone),
 * rows inserted (result_new), and all rows (the repositories' sizes). */
/* Start a read transaction (see store.h): BEGIN is deferred, so the first
 * query takes the snapshot. */
int pf_store_read_begin(pf_store *st)
{
    return pfst_exec(st, "BEGIN");
}

/* End the read transaction pf_store_read_begin started. */
int pf_store_read_end(pf_store *st)
{
    return pfst_exec(st, "COMMIT");
}

int pf_store_pending(pf_store *st, int64_t *gone, int64_t *fresh, int64_t *total)
{
    sqlite3_stmt *q;
    if (pfst_prepare(st,
                     "SELECT (SELECT COUNT(*) FROM pkg_gone),"
                     " (SELECT COUNT(*) FROM pkg_result WHERE version IS NULL AND flags = 0),"
                     " (SELECT COALESCE(SUM(num_packages), 0) FROM repository)",
                     &q) != 0)
        return -1;
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        *gone = sqlite3_column_int64(q, 0);
        *fresh = sqlite3_column_int64(q, 1);
        *total = sqlite3_column_int64(q, 2);
    }
    sqlite3_finalize(q);
    return rc == SQLITE_ROW ? 0 : pfst_fail(st, "count changes");
}

/* One meta value into buf (truncated to len). */
int pf_store_meta(pf_store *st, const char *key, char *buf, size_t len)
{
    sqlite3_stmt *q;
    if (pfst_prepare(st, "SELECT value FROM meta WHERE key = ?1", &q) != 0)
        return -1;
    pfst_bind_text(q, 1, key);
    int rc = sqlite3_step(q), found = 0;
    if (rc == SQLITE_ROW) {
        snprintf(buf, len, "%s", col_text(q, 0) ? col_text(q, 0) : "");
        found = 1;
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return pfst_fail(st, "read meta");
    return found;
}

/* 100 * part / whole, -1 when whole is 0 or unknown (negative). */
double pf_stats_pct(long part, long whole)
{
    return whole > 0 && part >= 0 ? 100.0 * (double)part / (double)whole : -1.0;
}

/* Time of the first analysis run, 0 when none. */
int64_t pf_store_first_analysis(pf_store *st)
{
    sqlite3_stmt *q;
    if (pfst_prepare(st, "SELECT MIN(taken_at) FROM analysis_run", &q) != 0)
        return -1;
    int64_t v = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
    sqlite3_finalize(q);
    return v;
}

/* ---- package views ----------------------------------------------------- */

/* Build a pf_pkg_view from the package-view SELECTs (shared column layout). */
static int view_row(sqlite3_stmt *q, const iter *it)
{
    pf_pkg_view v = {
        .repo_id = col_text(q, 0),
        .srcname = col_text(q, 1),
        .raw_version = col_text(q, 2),
        .version = col_text(q, 3),
        .project = col_text(q, 4),
        .maintainers = col_text(q, 5),
        .homepage = col_text(q, 6),
        .flags = (unsigned)sqlite3_column_int64(q, 7),
        .status = sqlite3_column_int(q, 8),
        .best_version = col_text(q, 9),
        .newer_versions =
            sqlite3_column_type(q, 10) == SQLITE_NULL ? -1 : (long)sqlite3_column_int64(q, 10),
        .lag_days = col_opt_double(q, 11),
        .family = col_text(q, 12),
        .binnames = col_text(q, 13),
    };
    return it->view(it->ctx, &v);
}

/* Days behind of package p: from the first sighting of the next newer version
 * to the newest analysis (which wrote p's staleness). NULL when unknown. */
#define LAG_DAYS "((SELECT MAX(taken_at) FROM analysis_run) - a.behind_since) / 86400.0"

/* Package views: package p, its results a, its repository r. */
#define VIEW_SELECT                                                                                \
    "SELECT r.name, p.srcname, p.raw_version, a.version, a.project, p.maintainers, p.homepage,"    \
    " a.flags, a.status, a.best_version, a.newer_versions, " LAG_DAYS ", r.family, p.binnames"
#define VIEW_COLUMNS                                                                               \
    VIEW_SELECT " FROM package p JOIN pkg_result a ON a.id = p.id"                                 \
                " JOIN repository r ON r.id = p.repository_id"

/* Current packages of one repository, by srcname then insertion order. */
int pf_store_each_repo_package(pf_store *st, const char *repo_id, pf_pkg_view_fn fn, void *ctx)
{
    sqlite3_stmt *q;
    if (pfst_prepare(st, VIEW_COLUMNS " WHERE r.name = ?1 ORDER BY p.srcname, p.id", &q) != 0)
        return -1;
    pfst_bind_text(q, 1, repo_id);
    return run_rows(st, q, "read repository packages", view_row, &(iter){.view = fn, .ctx = ctx});
}

/* Build the narrow pf_pkg_view that compare needs (columns of the query below). */
static int cmp_row(sqlite3_stmt *q, const iter *it)
{
    pf_pkg_view v = {
        .project = col_text(q, 0),
        .version = col_text(q, 1),
        .raw_version = col_text(q, 2),
        .flags = (unsigned)sqlite3_column_int64(q, 3),
        .status = sqlite3_column_int(q, 4),
        .lag_days = col_opt_double(q, 5),
        .newer_versions = -1,
        .family = col_text(q, 6),
    };
    return it->view(it->ctx, &v);
}

/* Analyzed packages of one repository in rowid order (compare reads these):
 * only the columns compare uses, read as rowid ranges of the repository's
 * sources (one sequential pass; going through the (repository_id, srcname)
 * index instead costs a table seek per row), and the repository's family
 * (a constant subquery, computed once). Other pf_pkg_view fields are NULL. */
int pf_store_each_repo_analyzed(pf_store *st, const char *repo_id, pf_pkg_view_fn fn, void *ctx)
{
    sqlite3_stmt *q;
    if (pfst_prepare(st,
                     "SELECT a.project, a.version, p.raw_version, a.flags, a.status, " LAG_DAYS
                     ", (SELECT family FROM repository WHERE name = ?1)"
                     " FROM source s JOIN package p ON p.id BETWEEN s.pkg_first AND s.pkg_last"
                     " JOIN pkg_result a ON a.id = p.id"
                     " WHERE s.repository_id = (SELECT id FROM repository WHERE name = ?1)"
                     " AND a.project IS NOT NULL",
                     &q) != 0)
        return -1;
    pfst_bind_text(q, 1, repo_id);
    return run_rows(st, q, "read repository projects", cmp_row, &(iter){.view = fn, .ctx = ctx});
}

/* Outdated packages of one repository, largest known lag first. */
int pf_store_each_outdated(pf_store *st, const char *repo_id, pf_pkg_view_fn fn, void *ctx)
{
    sqlite3_stmt *q;
    if (pfst_prepare(st,
                     VIEW_COLUMNS
                     " WHERE r.name = ?1 AND a.status = 2"
                     " ORDER BY a.behind_since IS NULL, a.behind_since, a.project, p.id",
                     &q) != 0)
        return -1;
    pfst_bind_text(q, 1, repo_id);
    return run_rows(st, q, "read outdated packages", view_row, &(iter){.view = fn, .ctx = ctx});
}

/* The dirty half of a project search: names a crawl or analysis made stale
 * since the last analysis (project_dirty), counted from the packages. */
#define SEARCH_DIRTY                                                                               \
    " UNION ALL SELECT d.name, COUNT(DISTINCT p.repository_id), COUNT(*)"                          \
    " FROM project_dirty d CROSS JOIN pkg_result p ON p.project = d.name"                          \
    " WHERE instr(d.name, lower(?1)) > 0 GROUP BY d.name ORDER BY 1"

/* Projects containing text (project names are lower case), by name, with
 * how many repositories and packages have them: project_summary's rows
 * except the stale ones, which are counted from the packages. Three
 * characters or more go through the trigram index (its LIKE is a superset:
 * case-insensitive, '%' and '_' wildcards; instr decides). */
int pf_store_search_projects(pf_store *st, const char *text, pf_project_fn fn, void *ctx)
{
    sqlite3_stmt *q;
    const char *sql = strlen(text) >= 3
                          ? "SELECT s.name, s.repos, s.packages FROM project_name f"
                            " JOIN project_summary s ON s.id = f.rowid"
                            " WHERE f.name LIKE '%' || ?1 || '%' AND instr(s.name, lower(?1)) > 0"
                            " AND s.name NOT IN (SELECT name FROM project_dirty)" SEARCH_DIRTY
                          : "SELECT name, repos, packages FROM project_summary"
                            " WHERE instr(name, lower(?1)) > 0"
                            " AND name NOT IN (SELECT name FROM project_dirty)" SEARCH_DIRTY;
    if (pfst_prepare(st, sql, &q) != 0)
        return -1;
    pfst_bind_text(q, 1, text);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        int stop = fn(ctx, col_text(q, 0), (long)sqlite3_column_int64(q, 1),
                      (long)sqlite3_column_int64(q, 2));
        if (stop) {
            sqlite3_finalize(q);
            return stop;
        }
    }
    sqlite3_finalize(q);
    return rc == SQLITE_DONE ? 0 : pfst_fail(st, "search projects");
}

/* Every project name with packages, by name: project_summary's names except
 * the stale ones, and the stale ones that still have packages. */
int pf_store_each_project_name(pf_store *st, pf_text_fn fn, void *ctx)
{
    sqlite3_stmt *q;
    if (pfst_prepare(st,
                     "SELECT name FROM project_summary"
                     " WHERE name NOT IN (SELECT name FROM project_dirty)"
                     " UNION ALL SELECT d.name FROM project_dirty d"
                     " WHERE EXISTS (SELECT 1 FROM pkg_result p WHERE p.project = d.name)"
                     " ORDER BY 1",
                     &q) != 0)
        return -1;
    int rc, ret = 0;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW && (ret = fn(ctx, col_text(q, 0))) == 0)
        ;
    if (ret == 0 && rc != SQLITE_DONE)
        ret = pfst_fail(st, "read project names");
    sqlite3_finalize(q);
    return ret;
}

/* Every package of a project, by repository name (then srcname, id). */
int pf_store_each_project_package(pf_store *st, const char *project, pf_pkg_view_fn fn, void *ctx)
{
    sqlite3_stmt *q;
    if (pfst_prepare(st, VIEW_COLUMNS " WHERE a.project = ?1 ORDER BY r.name, p.srcname, p.id",
                     &q) != 0)
        return -1;
    pfst_bind_text(q, 1, project);
    return run_rows(st, q, "read project packages", view_row, &(iter){.view = fn, .ctx = ctx});
}

/* Build the narrow pf_pkg_view of a project's flags (columns of the query below). */
static int flags_row(sqlite3_stmt *q, const iter *it)
{
    pf_pkg_view v = {
        .version = col_text(q, 0),
        .flags = (unsigned)sqlite3_column_int64(q, 1),
        .status = sqlite3_column_int(q, 2),
        .family = col_text(q, 3),
        .newer_versions = -1,
        .lag_days = -1,
    };
    return it->view(it->ctx, &v);
}

/* Every package of a project as the result_project index has them (no
 * sort: a caller that has its answer after a few rows stops there), with
 * only version, flags, status and the repository's family. The statement
 * is the store's, prepared once (st->project_flags). */
int pf_store_each_project_flags(pf_store *st, const char *project, pf_pkg_view_fn fn, void *ctx)
{
    if (!st->project_flags &&
        pfst_prepare_hot(st,
                         "SELECT p.version, p.flags, p.status, r.family"
                         " FROM pkg_result p JOIN repository r ON r.id = p.repository_id"
                         " WHERE p.project = ?1",
                         &st->project_flags) != 0)
        return -1;
    sqlite3_stmt *q = st->project_flags;
    pfst_bind_text(q, 1, project);
    return step_rows(st, q, "read project flags", flags_row, &(iter){.view = fn, .ctx = ctx});
}

/* ---- scalars ----------------------------------------------------------- */

/* First column of the first row as an integer; 0 when no row, -1 on error. */
static int64_t scalar_int(pf_store *st, sqlite3_stmt *q, const char *what)
{
    int rc = sqlite3_step(q);
    int64_t v = 0;
    if (rc == SQLITE_ROW)
        v = sqlite3_column_int64(q, 0);
    else if (rc != SQLITE_DONE)
        v = pfst_fail(st, what);
    sqlite3_finalize(q);
    return v;
}

/* Unix time of the latest analysis run; 0 if none, -1 on error. */
int64_t pf_store_last_analysis(pf_store *st)
{
    sqlite3_stmt *q;
    if (pfst_prepare(st, "SELECT taken_at FROM analysis_run ORDER BY id DESC LIMIT 1", &q) != 0)
        return -1;
    return scalar_int(st, q, "read last analysis");
}

/* Projects counted by the latest analysis run, 0 if none. */
int64_t pf_store_last_run_projects(pf_store *st)
{
    sqlite3_stmt *q;
    if (pfst_prepare(st, "SELECT projects FROM analysis_run ORDER BY id DESC LIMIT 1", &q) != 0)
        return -1;
    return scalar_int(st, q, "read last analysis");
}

/* Unix time of the repository's last ok / not_modified crawl; 0 if none
 * (or unknown repository), -1 on error. */
int64_t pf_store_last_success(pf_store *st, const char *repo_id)
{
    sqlite3_stmt *q;
    if (pfst_prepare(st, "SELECT last_success FROM repository WHERE name = ?1", &q) != 0)
        return -1;
    pfst_bind_text(q, 1, repo_id);
    return scalar_int(st, q, "read last success");
}

/* ---- connection -------------------------------------------------------- */

/* A short query in a new process touches each page once: mapping them costs
 * more than copying them. On the 5 M-package universe the 622 packages of
 * one project took 40 ms through the 1 GiB map against 13 ms with pread (the
 * map pays a page fault per page; its gain is on long sequential reads such
 * as an analysis). Nor does it need the 32 MiB page cache the writers get:
 * every page it keeps is fresh memory the kernel must fault in and zero, a
 * page read once gains nothing from staying, and a 2 MiB cache recycles its
 * pages. There `search py` (755 k names scanned) took 0.23 s against 0.41 s,
 * `compare debian_unstable fedora_44` 0.20 s against 0.32 s. */
int pf_store_read_few(pf_store *st)
{
    return pfst_exec(st, "PRAGMA mmap_size = 0; PRAGMA cache_size = -2048");
}
