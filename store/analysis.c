/*
 * analysis.c — writing analysis results: one analysis_run row, the
 * per-package project/version/flags/status/staleness, the changes to the
 * version history, and one repo_stats row per repository, all in a single
 * transaction.
 *
 * Invariants:
 *  - repo_stats rows are only inserted (history for trends), never updated.
 *  - version_seen rows are never deleted; last_seen IS NULL exactly for the
 *    triples present in the newest analysis (the analyzer diffs the history
 *    against the snapshot and writes only the changes).
 *  - Negative lag values mean "unknown" and are stored as NULL.
 *  - repo_stats.pkg_<status> columns follow enum pf_status order 1..10, so
 *    pkg_status[i] binds to parameter PKG_PARAM0 + i.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "pkgfresh/grow.h"

#define PKG_PARAM0 4 /* pkg_status[1] (newest) binds to ?5 ... [10] (rolling) to ?14 */

/* What a rebuild-mode analysis (see plan_project_summary) sets aside while it
 * rewrites nearly every package row: the per-row trigger that only matters
 * outside rebuild mode, and the partial indexes nearly every row enters or
 * leaves. Creating an index once over the finished rows costs a fraction of
 * updating it row by row (127k rows: 0.33 s instead of 0.78 s). */
static const struct {
    const char *name, *drop;
    int read_in_project_order; /* a streaming analysis reads it: kept then */
    int index;  /* an index: cannot be dropped while a statement reads (mid-transaction) */
    int of_new; /* result_new: kept when few rows are new (few entries leave it) */
} aside_objs[] = {
    {"project_moved", "DROP TRIGGER project_moved", 0, 0, 0},
    {"result_project", "DROP INDEX result_project", 1, 1, 0},
    {"result_new", "DROP INDEX result_new", 0, 1, 1},
    {"result_behind", "DROP INDEX result_behind", 0, 1, 0},
};

/* New rows (no analysis yet) below which result_new stays through a rebuild:
 * a re-analysis of analyzed rows (new rules) leaves the index as it is, and
 * creating it again reads every row (5 M packages: 0.4-1.2 s). */
#define FEW_NEW 65536
#define ASIDE_N (sizeof aside_objs / sizeof aside_objs[0])

struct pf_analysis_tx {
    pf_store *st;
    int64_t run;             /* analysis_run row id */
    int64_t taken_at;        /* copied into each repo_stats row */
    sqlite3_stmt *upd_pkg;   /* UPDATE pkg_result ... WHERE id, prepared once */
    sqlite3_stmt *upd_stat;  /* the same for status and staleness only, on first use */
    sqlite3_stmt *upd_best;  /* best version and newer count only, on first use */
    sqlite3_stmt *ins_stats; /* INSERT INTO repo_stats, prepared once */
    sqlite3_stmt *ins_seen;  /* INSERT INTO version_seen, prepared on first use */
    sqlite3_stmt *upd_seen;  /* UPDATE version_seen by key, prepared on first use */
    sqlite3_stmt *sum_upd, *sum_ins, *sum_del; /* project_summary by name, on first use */
    int rebuild;       /* the commit recounts every project (plan_project_summary,
                        * pf_store_analysis_rebuild) */
    int summary_known; /* pf_store_analysis_summary_known: no recount of dirty names */
    int summary_all;   /* pf_store_analysis_summary_all: every project's counts given */
    int streaming;     /* begun for a streaming analysis (set_aside keeps its index) */
    pfst_cache cache;  /* the connection's, while pf_store_analysis_cache sizes its own */
    struct repo_id {
        char *name;
        int64_t id;
    } * repo_ids;         /* every repository, by name (the history's writes bind its id) */
    size_t nrepo_ids;     /* 0: not read yet */
    char *aside[ASIDE_N]; /* rebuild mode: CREATE statements of the objects set aside */
};

/* Finalize statements and free (no SQL side effects). */
static void atx_free(pf_analysis_tx *tx)
{
    sqlite3_finalize(tx->upd_pkg);
    sqlite3_finalize(tx->upd_stat);
    sqlite3_finalize(tx->upd_best);
    sqlite3_finalize(tx->ins_stats);
    sqlite3_finalize(tx->ins_seen);
    sqlite3_finalize(tx->upd_seen);
    sqlite3_finalize(tx->sum_upd);
    sqlite3_finalize(tx->sum_ins);
    sqlite3_finalize(tx->sum_del);
    for (size_t i = 0; i < ASIDE_N; i++)
        free(tx->aside[i]);
    for (size_t i = 0; i < tx->nrepo_ids; i++)
        free(tx->repo_ids[i].name);
    free(tx->repo_ids);
    free(tx);
}

/* Bind a double, NULL when negative (unknown). */
static void bind_opt_double(sqlite3_stmt *q, int idx, double v)
{
    if (v < 0)
        sqlite3_bind_null(q, idx);
    else
        sqlite3_bind_double(q, idx, v);
}

/* Run each statement of a NULL-terminated list; stop at the first failure. */
static int exec_all(pf_store *st, const char *const *sql)
{
    for (; *sql; sql++)
        if (pfst_exec(st, *sql) != 0)
            return -1;
    return 0;
}

/* Before an analysis: when most packages are new to analysis (a first
 * analysis, or the summary is empty), switch the project_dirty and
 * project_name triggers off for this transaction (schema 7): the commit then
 * recounts every project in one pass, cheaper than per-row bookkeeping.
 * 1 in rebuild mode, 0 otherwise, -1 on error. */
static int plan_project_summary(pf_store *st)
{
    if (pfst_exec(st, "INSERT OR REPLACE INTO meta(key, value)"
                      " SELECT 'project_summary_rebuild', '1'"
                      " WHERE NOT EXISTS (SELECT 1 FROM project_summary)"
                      " OR (SELECT COUNT(*) FROM pkg_result WHERE version IS NULL AND flags = 0)"
                      " * 2 > (SELECT COUNT(*) FROM pkg_result)") != 0)
        return -1;
    return sqlite3_changes(st->db) > 0;
}

/* Are fewer than FEW_NEW rows new to analysis (counted through result_new,
 * up to FEW_NEW)? 1, 0, or -1 on error. */
static int few_new(pf_store *st)
{
    sqlite3_stmt *q;
    if (pfst_prepare(st,
                     "SELECT COUNT(*) FROM (SELECT 1 FROM pkg_result INDEXED BY result_new"
                     " WHERE version IS NULL AND flags = 0 LIMIT ?1)",
                     &q) != 0)
        return -1;
    sqlite3_bind_int(q, 1, FEW_NEW);
    int rc = sqlite3_step(q);
    int64_t n = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
    sqlite3_finalize(q);
    if (rc != SQLITE_ROW)
        return pfst_fail(st, "count new packages");
    return n < FEW_NEW;
}

/* Rebuild mode: drop the objects in aside_objs not dropped yet, keeping
 * each one's CREATE statement (as the schema stores it) to run again at
 * commit; a ROLLBACK brings them back by itself. trigger_only: the
 * project_moved trigger alone (its bookkeeping is not needed when the
 * analysis gives the summary counts itself; an index cannot be dropped
 * while a statement reads). */
static int set_aside(pf_analysis_tx *tx, int streaming, int trigger_only)
{
    sqlite3_stmt *q;
    if (pfst_prepare(tx->st, "SELECT sql FROM sqlite_schema WHERE name = ?1", &q) != 0)
        return -1;
    int rc = 0, now[ASIDE_N] = {0};
    for (size_t i = 0; i < ASIDE_N && rc == 0; i++) {
        if ((streaming && aside_objs[i].read_in_project_order) ||
            (trigger_only && aside_objs[i].index) || tx->aside[i])
            continue;
        int few = aside_objs[i].of_new ? few_new(tx->st) : 0;
        if (few < 0)
            rc = -1;
        if (few != 0)
            continue;
        pfst_bind_text(q, 1, aside_objs[i].name);
        int step = sqlite3_step(q);
        const unsigned char *sql = step == SQLITE_ROW ? sqlite3_column_text(q, 0) : NULL;
        if (step != SQLITE_ROW && step != SQLITE_DONE)
            rc = pfst_fail(tx->st, "read schema");
        else if (sql && !(tx->aside[i] = strdup((const char *)sql)))
            rc = pfst_failf(tx->st, "set indexes aside: out of memory");
        now[i] = tx->aside[i] != NULL;
        sqlite3_reset(q);
    }
    sqlite3_finalize(q);
    for (size_t i = 0; i < ASIDE_N && rc == 0; i++)
        if (now[i])
            rc = pfst_exec(tx->st, aside_objs[i].drop);
    return rc;
}

/* Is a statement of the connection under way (an index cannot be dropped)? */
static int reading(pf_store *st)
{
    for (sqlite3_stmt *q = sqlite3_next_stmt(st->db, NULL); q; q = sqlite3_next_stmt(st->db, q))
        if (sqlite3_stmt_busy(q))
            return 1;
    return 0;
}

/* At commit: create again what set_aside dropped, over the finished rows. */
static int put_back(pf_analysis_tx *tx)
{
    for (size_t i = 0; i < ASIDE_N; i++) {
        if (tx->aside[i] && pfst_exec(tx->st, tx->aside[i]) != 0)
            return -1;
        free(tx->aside[i]);
        tx->aside[i] = NULL;
    }
    return 0;
}

/* At commit: bring project_summary and its trigram index up to date, either
 * recounting every project (rebuild mode, see plan_project_summary) or only
 * those whose packages changed since the last analysis (project_dirty,
 * filled by triggers), so `search` and `project` read one row per project
 * instead of every package. */
static int refresh_project_summary(pf_store *st, int summary_known, int summary_all)
{
    static const char *const recount[] = {
        "DELETE FROM project_summary",
        "INSERT INTO project_summary(name, repos, packages) SELECT project,"
        " COUNT(DISTINCT repository_id), COUNT(*) FROM pkg_result WHERE project IS NOT NULL"
        " GROUP BY project",
        NULL,
    };
    /* the rows given (summary_all), then the rebuild below */
    static const char *const given[] = {
        "DELETE FROM project_summary",
        "INSERT INTO project_summary(name, repos, packages)"
        " SELECT name, repos, packages FROM temp.summary_given ORDER BY rowid",
        "DROP TABLE temp.summary_given",
        NULL,
    };
    /* after a recount, or after the rows were given (summary_all) */
    static const char *const rebuild[] = {
        "INSERT INTO project_name(project_name) VALUES ('rebuild')",
        "DELETE FROM project_dirty",
        "DELETE FROM meta WHERE key = 'project_summary_rebuild'",
        NULL,
    };
    /* Rows that stay are updated in place (only when a count differs): a
     * deleted and inserted row would also delete and insert its name in the
     * trigram index (42k dirty names of 5 M packages: 1.3-1.9 s for
     * the refresh before, 1.1 s after). */
    static const char *const update[] = {
        "DELETE FROM project_summary WHERE name IN (SELECT name FROM project_dirty)"
        " AND NOT EXISTS (SELECT 1 FROM pkg_result p WHERE p.project = project_summary.name)",
        "UPDATE project_summary AS s SET repos = c.repos, packages = c.packages FROM"
        " (SELECT d.name AS name, COUNT(DISTINCT p.repository_id) AS repos,"
        " COUNT(*) AS packages FROM project_dirty d CROSS JOIN pkg_result p"
        " ON p.project = d.name GROUP BY d.name) AS c"
        " WHERE s.name = c.name AND (s.repos <> c.repos OR s.packages <> c.packages)",
        "INSERT INTO project_summary(name, repos, packages) SELECT d.name,"
        " COUNT(DISTINCT p.repository_id), COUNT(*) FROM project_dirty d"
        " CROSS JOIN pkg_result p ON p.project = d.name"
        " WHERE d.name NOT IN (SELECT name FROM project_summary) GROUP BY d.name",
        "DELETE FROM project_dirty",
        NULL,
    };
    sqlite3_stmt *q;
    if (summary_all) /* rebuild mode, the rows given */
        return exec_all(st, given) != 0 ? -1 : exec_all(st, rebuild);
    if (pfst_prepare(st, "SELECT 1 FROM meta WHERE key = 'project_summary_rebuild'", &q) != 0)
        return -1;
    int rc = sqlite3_step(q);
    sqlite3_finalize(q);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return pfst_fail(st, "read meta");
    /* the analysis gave the changed projects' counts (pf_store_analysis_summary) */
    if (rc == SQLITE_DONE && summary_known)
        return pfst_exec(st, "DELETE FROM project_dirty");
    if (rc == SQLITE_ROW)
        return exec_all(st, recount) != 0 ? -1 : exec_all(st, rebuild);
    return exec_all(st, update);
}

/* Take the write lock, create the run row, prepare the per-package UPDATE. */
pf_analysis_tx *pf_store_analysis_begin(pf_store *st, int64_t now, char *err, size_t errlen)
{
    return pf_store_analysis_begin_mode(st, now, 0, err, errlen);
}

/* The same for an analysis that reads the packages back in project order
 * inside the transaction (streaming: pf_store_each_package_by_project):
 * rebuild mode keeps result_project, so that read walks the index instead
 * of sorting every row in memory. */
pf_analysis_tx *pf_store_analysis_begin_mode(pf_store *st, int64_t now, int streaming, char *err,
                                             size_t errlen)
{
    pf_analysis_tx *tx = calloc(1, sizeof *tx);
    if (!tx) {
        pfst_failf(st, "begin analysis: out of memory");
        pfst_copy_err(st, err, errlen);
        return NULL;
    }
    tx->st = st;
    tx->taken_at = now;
    if (pfst_exec(st, "BEGIN IMMEDIATE") != 0) {
        pfst_copy_err(st, err, errlen);
        atx_free(tx);
        return NULL;
    }
    sqlite3_stmt *q = NULL;
    if (pfst_prepare(st, "INSERT INTO analysis_run(taken_at) VALUES (?1)", &q) != 0)
        goto fail;
    sqlite3_bind_int64(q, 1, now);
    int rc = sqlite3_step(q);
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE) {
        pfst_fail(st, "create analysis run");
        goto fail;
    }
    tx->run = sqlite3_last_insert_rowid(st->db);
    tx->streaming = streaming;
    int rebuild = plan_project_summary(st);
    if (rebuild < 0 || (rebuild && set_aside(tx, streaming, 0) != 0))
        goto fail;
    tx->rebuild = rebuild;
    /* OR IGNORE: package has triggers, so a plain UPDATE (conflict mode ABORT)
     * opens a statement journal and copies every page it changes into it
     * first (32 KiB pages: 17k rows of the real data took 0.25 s instead of
     * 0.07 s). IGNORE also rules the trigger bodies' INSERT OR IGNORE, and a
     * row the update left alone shows as no change, which is checked. */
    if (pfst_prepare_hot(
            st,
            "UPDATE OR IGNORE pkg_result SET project = ?2, version = ?3, flags = ?4, status = ?5,"
            " best_version = ?6, newer_versions = ?7, behind_since = ?8,"
            " flavor = ?9, branch = ?10 WHERE id = ?1",
            &tx->upd_pkg) != 0 ||
        pfst_prepare_hot(st,
                         "INSERT INTO repo_stats(run_id, repository_id, taken_at, num_packages,"
                         " pkg_newest, pkg_outdated, pkg_ignored, pkg_unique, pkg_devel,"
                         " pkg_legacy, pkg_incorrect, pkg_untrusted, pkg_noscheme, pkg_rolling,"
                         " num_projects, num_unique, num_newest, num_outdated, num_comparable,"
                         " num_problematic, num_maintainers, median_lag_days, p90_lag_days)"
                         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
                         " ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23)",
                         &tx->ins_stats) != 0)
        goto fail;
    sqlite3_bind_int64(tx->ins_stats, 1, tx->run);
    sqlite3_bind_int64(tx->ins_stats, 3, tx->taken_at);
    return tx;
fail:
    pfst_copy_err(st, err, errlen);
    pf_store_analysis_abort(tx);
    return NULL;
}

/* Bind a count of newer versions (< 0: none, stored NULL). */
static void bind_newer(sqlite3_stmt *q, int at, long newer)
{
    if (newer < 0)
        sqlite3_bind_null(q, at);
    else
        sqlite3_bind_int64(q, at, newer);
}

/* Bind status, best version (NULL none), newer versions (< 0: NULL) and
 * first sighting of the next newer version (<= 0: NULL) to parameters
 * at .. at + 3: the two wider result UPDATEs end with these four. */
static void bind_staleness(sqlite3_stmt *q, int at, int status, const char *best, long newer,
                           int64_t behind_since)
{
    sqlite3_bind_int(q, at, status);
    pfst_bind_text(q, at + 1, best);
    bind_newer(q, at + 2, newer);
    if (behind_since <= 0)
        sqlite3_bind_null(q, at + 3);
    else
        sqlite3_bind_int64(q, at + 3, behind_since);
}

/* Run a result UPDATE for package pkg_id (?1) and reset it; exactly one row
 * must change (OR IGNORE: a missing row shows as no change). 0, or -1. */
static int step_result(pf_analysis_tx *tx, sqlite3_stmt *q, int64_t pkg_id)
{
    sqlite3_bind_int64(q, 1, pkg_id);
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    if (rc != SQLITE_DONE)
        return pfst_fail(tx->st, "store package analysis");
    if (sqlite3_changes(tx->st->db) != 1)
        return pfst_failf(tx->st, "store package analysis: no package with id %lld",
                          (long long)pkg_id);
    return 0;
}

/* Store the analyzer's view of one package (project NULL = not matched), with
 * its staleness: best version it lacks (NULL none), distinct newer versions
 * (-1 none), the first sighting of the next newer version (0 unknown); and
 * the flavor and branch the rules gave it (NULL or "" = none, stored NULL). */
int pf_store_analysis_set_all(pf_analysis_tx *tx, int64_t pkg_id, const char *project,
                              const char *version, unsigned flags, int status, const char *best,
                              long newer, int64_t behind_since, const char *flavor,
                              const char *branch)
{
    sqlite3_stmt *q = tx->upd_pkg;
    pfst_bind_text(q, 9, flavor && *flavor ? flavor : NULL);
    pfst_bind_text(q, 10, branch && *branch ? branch : NULL);
    pfst_bind_text(q, 2, project);
    pfst_bind_text(q, 3, version);
    sqlite3_bind_int64(q, 4, (sqlite3_int64)flags);
    bind_staleness(q, 5, status, best, newer, behind_since);
    return step_result(tx, q, pkg_id);
}

/* Status and staleness alone (see store.h): most rows an incremental
 * analysis rewrites are other repositories' packages of a touched project,
 * whose rule results stay. */
int pf_store_analysis_set_status(pf_analysis_tx *tx, int64_t pkg_id, int status, const char *best,
                                 long newer, int64_t behind_since)
{
    if (!tx->upd_stat &&
        pfst_prepare_hot(tx->st,
                         "UPDATE OR IGNORE pkg_result SET status = ?2, best_version = ?3,"
                         " newer_versions = ?4, behind_since = ?5 WHERE id = ?1",
                         &tx->upd_stat) != 0)
        return -1;
    sqlite3_stmt *q = tx->upd_stat;
    bind_staleness(q, 2, status, best, newer, behind_since);
    return step_result(tx, q, pkg_id);
}

/* The best version and the count of newer ones alone (see store.h). The
 * columns of result_behind (and of its WHERE) are not in the SET list, so
 * SQLite leaves that index alone: set_status deletes and inserts the same
 * entry again for every outdated row. Most rows a week's analysis rewrites
 * on the universe are outdated packages of a touched project that only
 * fell one more version behind. */
int pf_store_analysis_set_best(pf_analysis_tx *tx, int64_t pkg_id, const char *best, long newer)
{
    if (!tx->upd_best &&
        pfst_prepare_hot(tx->st,
                         "UPDATE OR IGNORE pkg_result SET best_version = ?2, newer_versions = ?3"
                         " WHERE id = ?1",
                         &tx->upd_best) != 0)
        return -1;
    sqlite3_stmt *q = tx->upd_best;
    pfst_bind_text(q, 2, best);
    bind_newer(q, 3, newer);
    return step_result(tx, q, pkg_id);
}

/* The same without staleness (packages that are not outdated). */
int pf_store_analysis_set(pf_analysis_tx *tx, int64_t pkg_id, const char *project,
                          const char *version, unsigned flags, int status)
{
    return pf_store_analysis_set_all(tx, pkg_id, project, version, flags, status, NULL, -1, 0, NULL,
                                     NULL);
}

/*
 * Switch to rebuild mode in the middle of the transaction: an analysis that
 * finds itself rewriting many rows' projects calls it (a full one with new
 * rules renames a third of the universe). Each UPDATE of a project otherwise
 * runs the project_moved trigger, which makes SQLite keep a statement
 * journal for every package UPDATE and fills project_dirty row by row; in
 * rebuild mode the commit recounts every project in one pass instead (the
 * rows already written are counted like the others). While a statement
 * reads (the caller's read of the packages) only the trigger is set aside,
 * since an index cannot be dropped under it; a later call, between reads,
 * sets the partial indexes aside too. 0, or -1.
 */
int pf_store_analysis_rebuild(pf_analysis_tx *tx)
{
    if (!tx->rebuild && pfst_exec(tx->st, "INSERT OR REPLACE INTO meta(key, value)"
                                          " VALUES ('project_summary_rebuild', '1')") != 0)
        return -1;
    tx->rebuild = 1;
    return set_aside(tx, tx->streaming, reading(tx->st));
}

/*
 * Size the page cache and the memory map for this transaction;
 * pf_store_analysis_commit and _abort put the connection's values back.
 * A transaction that rewrites most of the database wants a page cache
 * holding its dirty pages (every page spilled goes to the WAL, and spilled
 * again each time it is modified after), and a smaller map: mapped pages
 * count in RSS too. mmap_bytes < 0 keeps the map.
 */
int pf_store_analysis_cache(pf_analysis_tx *tx, long kib, int64_t mmap_bytes)
{
    return pfst_cache_set(tx->st, &tx->cache, kib, mmap_bytes);
}

/* Order repository ids by name. */
static int cmp_repo_id(const void *x, const void *y)
{
    return strcmp(((const struct repo_id *)x)->name, ((const struct repo_id *)y)->name);
}

/* The id of the repository named name into *id, from the table read once
 * per transaction, for the history's and the statistics' rows (a subquery
 * per history row cost more: millions of rows in a full analysis of 5 M
 * packages). 0, 1 (no such repository), or -1. */
static int repo_id_of(pf_analysis_tx *tx, const char *name, int64_t *id)
{
    if (!tx->nrepo_ids) {
        sqlite3_stmt *q;
        if (pfst_prepare(tx->st, "SELECT name, id FROM repository", &q) != 0)
            return -1;
        size_t cap = 0;
        int rc;
        while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
            struct repo_id *n = pf_grow_items(tx->repo_ids, &cap, tx->nrepo_ids, sizeof *n, 64);
            if (!n)
                break;
            tx->repo_ids = n;
            struct repo_id *r = &tx->repo_ids[tx->nrepo_ids];
            if (!(r->name = strdup((const char *)sqlite3_column_text(q, 0))))
                break;
            r->id = sqlite3_column_int64(q, 1);
            tx->nrepo_ids++;
        }
        sqlite3_finalize(q);
        if (rc != SQLITE_DONE) {
            if (rc == SQLITE_ROW)
                return pfst_failf(tx->st, "read repositories: out of memory");
            return pfst_fail(tx->st, "read repositories");
        }
        qsort(tx->repo_ids, tx->nrepo_ids, sizeof *tx->repo_ids, cmp_repo_id);
    }
    struct repo_id key = {(char *)name, 0};
    const struct repo_id *r =
        name ? bsearch(&key, tx->repo_ids, tx->nrepo_ids, sizeof key, cmp_repo_id) : NULL;
    if (!r)
        return 1;
    *id = r->id;
    return 0;
}

/* A (project, version, repository) the newest analysis sees for the first
 * time: first_seen = now, last_seen NULL (present). */
int pf_store_seen_insert(pf_analysis_tx *tx, const char *project, const char *version,
                         const char *repo_id, int trusted)
{
    if (!tx->ins_seen &&
        pfst_prepare_hot(tx->st,
                         "INSERT INTO version_seen(project, version, repository_id, first_seen,"
                         " last_seen, trusted) VALUES (?1, ?2, ?3, ?4, NULL, ?5)",
                         &tx->ins_seen) != 0)
        return -1;
    int64_t repo;
    int known = repo_id_of(tx, repo_id, &repo);
    if (known != 0)
        return known < 0 ? -1
                         : pfst_failf(tx->st, "store version history: no repository '%s'",
                                      repo_id ? repo_id : "(null)");
    sqlite3_stmt *q = tx->ins_seen;
    pfst_bind_text(q, 1, project);
    pfst_bind_text(q, 2, version);
    sqlite3_bind_int64(q, 3, repo);
    sqlite3_bind_int64(q, 4, tx->taken_at);
    sqlite3_bind_int(q, 5, trusted != 0);
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    return rc == SQLITE_DONE ? 0 : pfst_fail(tx->st, "store version history");
}

/* Change one history row (by its key: schema 12 has no rowid): last_seen
 * (0 = present now, stored NULL) and trusted (sticky: never lowered). */
int pf_store_seen_update(pf_analysis_tx *tx, const char *project, const char *version,
                         const char *repo_id, int64_t last_seen, int trusted)
{
    if (!tx->upd_seen &&
        pfst_prepare_hot(tx->st,
                         "UPDATE version_seen SET last_seen = ?2, trusted = MAX(trusted, ?3)"
                         " WHERE project = ?1 AND version = ?4 AND repository_id = ?5",
                         &tx->upd_seen) != 0)
        return -1;
    int64_t repo;
    int known = repo_id_of(tx, repo_id, &repo);
    if (known != 0)
        return known < 0 ? -1 : 0; /* no such repository: no such row either */
    sqlite3_stmt *q = tx->upd_seen;
    pfst_bind_text(q, 1, project);
    pfst_bind_text(q, 4, version);
    sqlite3_bind_int64(q, 5, repo);
    if (last_seen > 0)
        sqlite3_bind_int64(q, 2, last_seen);
    else
        sqlite3_bind_null(q, 2);
    sqlite3_bind_int(q, 3, trusted != 0);
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    return rc == SQLITE_DONE ? 0 : pfst_fail(tx->st, "store version history");
}

/* Insert this run's statistics row for one repository. */
int pf_store_analysis_stats(pf_analysis_tx *tx, const pf_repo_stats *s)
{
    pf_store *st = tx->st;
    int64_t repo;
    int known = repo_id_of(tx, s->repo_id, &repo);
    if (known < 0)
        return -1;
    if (known > 0)
        return pfst_failf(st, "store statistics: unknown repository %s",
                          s->repo_id ? s->repo_id : "(null)");
    sqlite3_stmt *q = tx->ins_stats;
    sqlite3_bind_int64(q, 2, repo);
    sqlite3_bind_int64(q, 4, s->num_packages);
    for (int i = PF_S_NEWEST; i <= PF_S_ROLLING; i++)
        sqlite3_bind_int64(q, PKG_PARAM0 + i, s->pkg_status[i]);
    sqlite3_bind_int64(q, 15, s->num_projects);
    sqlite3_bind_int64(q, 16, s->num_unique);
    sqlite3_bind_int64(q, 17, s->num_newest);
    sqlite3_bind_int64(q, 18, s->num_outdated);
    sqlite3_bind_int64(q, 19, s->num_comparable);
    sqlite3_bind_int64(q, 20, s->num_problematic);
    sqlite3_bind_int64(q, 21, s->num_maintainers);
    bind_opt_double(q, 22, s->median_lag_days);
    bind_opt_double(q, 23, s->p90_lag_days);
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    if (rc != SQLITE_DONE)
        return pfst_fail(st, "store statistics");
    return 0;
}

/* See store.h: the commit empties project_dirty without recounting it, so
 * the trigger that marks projects dirty as package rows change project is
 * set aside for the transaction (each row an analysis gives its project
 * would run it: 80k rows of the 5 M universe). */
int pf_store_analysis_summary_known(pf_analysis_tx *tx)
{
    if (tx->rebuild || tx->summary_known)
        return 0;
    tx->summary_known = 1;
    return set_aside(tx, 0, 1);
}

/* See store.h: in rebuild mode each project's row is given, in name
 * order, to a temporary table (no index, no trigger: 5 M universe, 0.3-0.5
 * s for its projects where straight into project_summary, whose insert
 * trigger runs its condition for every row, took 4.1-4.3 s); the commit
 * empties the summary (its triggers are off then: no trigram index row is
 * deleted one by one) and copies the rows over in one statement, which
 * appends to the table and its name index (about 1 s more at the commit);
 * it skips the recount, which groups every package row by project (5 M
 * packages: 4 s). */
int pf_store_analysis_summary_all(pf_analysis_tx *tx)
{
    if (!tx->rebuild)
        return 0;
    if (!tx->summary_all) {
        sqlite3_finalize(tx->sum_ins); /* an INSERT OR IGNORE prepared before, if any */
        tx->sum_ins = NULL;
        if (pfst_exec(tx->st, "CREATE TEMP TABLE IF NOT EXISTS summary_given("
                              "name TEXT NOT NULL, repos INTEGER NOT NULL,"
                              " packages INTEGER NOT NULL)") != 0 ||
            pfst_exec(tx->st, "DELETE FROM temp.summary_given") != 0 ||
            pfst_prepare_hot(tx->st,
                             "INSERT INTO temp.summary_given(name, repos, packages)"
                             " VALUES (?1, ?2, ?3)",
                             &tx->sum_ins) != 0)
            return -1;
        tx->summary_all = 1;
    }
    return 1;
}

/* Bind a project's counts to q (?1 name, ?2 repos, ?3 packages) and run it. */
static int step_summary(pf_analysis_tx *tx, sqlite3_stmt *q, const char *project, long repos,
                        long packages)
{
    pfst_bind_text(q, 1, project);
    sqlite3_bind_int64(q, 2, repos);
    sqlite3_bind_int64(q, 3, packages);
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    return rc == SQLITE_DONE ? 0 : pfst_fail(tx->st, "store project summary");
}

/* One project's counts into project_summary: a row that stays is updated in
 * place only when a count differs (its trigram entry untouched), a new name
 * is inserted, a project without packages loses its row. Nothing in rebuild
 * mode, where the commit recounts every project. */
int pf_store_analysis_summary(pf_analysis_tx *tx, const char *project, long repos, long packages)
{
    if (tx->summary_all)
        return packages > 0 ? step_summary(tx, tx->sum_ins, project, repos, packages) : 0;
    if (tx->rebuild)
        return 0;
    if ((!tx->sum_upd && pfst_prepare_hot(tx->st,
                                          "UPDATE project_summary SET repos = ?2, packages = ?3"
                                          " WHERE name = ?1 AND (repos <> ?2 OR packages <> ?3)",
                                          &tx->sum_upd) != 0) ||
        (!tx->sum_ins &&
         pfst_prepare_hot(tx->st,
                          "INSERT OR IGNORE INTO project_summary(name, repos, packages)"
                          " VALUES (?1, ?2, ?3)",
                          &tx->sum_ins) != 0) ||
        (!tx->sum_del && pfst_prepare_hot(tx->st, "DELETE FROM project_summary WHERE name = ?1",
                                          &tx->sum_del) != 0))
        return -1;
    if (packages <= 0)
        return step_summary(tx, tx->sum_del, project, 0, 0);
    if (step_summary(tx, tx->sum_upd, project, repos, packages) != 0)
        return -1;
    /* no row changed: it is new, or its counts were right (then IGNORE) */
    if (sqlite3_changes(tx->st->db) == 0)
        return step_summary(tx, tx->sum_ins, project, repos, packages);
    return 0;
}

/* Remember one fact about the results being written (meta table), e.g. the
 * digest of the rules they were computed with. */
int pf_store_analysis_meta(pf_analysis_tx *tx, const char *key, const char *value)
{
    sqlite3_stmt *q;
    if (pfst_prepare(tx->st, "INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)", &q) != 0)
        return -1;
    pfst_bind_text(q, 1, key);
    pfst_bind_text(q, 2, value);
    int rc = sqlite3_step(q);
    sqlite3_finalize(q);
    return rc == SQLITE_DONE ? 0 : pfst_fail(tx->st, "store analysis digest");
}

/* Fill in the run's totals and COMMIT; ROLLBACK on failure. Frees tx. */
int pf_store_analysis_commit(pf_analysis_tx *tx, long packages, long projects, double seconds,
                             char *err, size_t errlen)
{
    pf_store *st = tx->st;
    int64_t run = tx->run;
    sqlite3_finalize(tx->upd_pkg);
    sqlite3_finalize(tx->upd_stat);
    sqlite3_finalize(tx->upd_best);
    sqlite3_finalize(tx->ins_stats);
    sqlite3_finalize(tx->ins_seen);
    sqlite3_finalize(tx->upd_seen);
    sqlite3_finalize(tx->sum_upd);
    sqlite3_finalize(tx->sum_ins);
    sqlite3_finalize(tx->sum_del);
    tx->upd_pkg = tx->upd_stat = tx->upd_best = tx->ins_stats = tx->ins_seen = tx->upd_seen = NULL;
    tx->sum_upd = tx->sum_ins = tx->sum_del = NULL;
    sqlite3_stmt *q;
    int rc = pfst_prepare(st,
                          "UPDATE analysis_run SET packages = ?2, projects = ?3, seconds = ?4"
                          " WHERE id = ?1",
                          &q);
    if (rc == 0) {
        sqlite3_bind_int64(q, 1, run);
        sqlite3_bind_int64(q, 2, packages);
        sqlite3_bind_int64(q, 3, projects);
        sqlite3_bind_double(q, 4, seconds);
        if (sqlite3_step(q) != SQLITE_DONE)
            rc = pfst_fail(st, "finish analysis run");
        sqlite3_finalize(q);
    }
    /* this analysis has taken the deleted packages into account */
    if (rc == 0)
        rc = pfst_exec(st, "DELETE FROM pkg_gone");
    if (rc == 0)
        rc = put_back(tx);
    if (rc == 0)
        rc = refresh_project_summary(st, tx->summary_known, tx->summary_all);
    if (rc == 0)
        rc = pfst_exec(st, "COMMIT");
    if (rc != 0) {
        pfst_copy_err(st, err, errlen);
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    }
    pfst_cache_restore(tx->st, &tx->cache);
    atx_free(tx);
    return rc;
}

/* ROLLBACK: packages and statistics are as before the run. Frees tx. */
void pf_store_analysis_abort(pf_analysis_tx *tx)
{
    if (!tx)
        return;
    pf_store *st = tx->st;
    sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    pfst_cache_restore(tx->st, &tx->cache);
    atx_free(tx);
}
