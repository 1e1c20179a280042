/*
 * analysis.c — writing analysis results: one analysis_run row, the
 * per-package project/version/flags/status, and one repo_stats row per
 * repository, all in a single transaction.
 *
 * Invariants:
 *  - repo_stats rows are only inserted (history for trends), never updated.
 *  - Negative freshness / lag values mean "unknown" and are stored as NULL.
 *  - repo_stats.pkg_<status> columns follow enum pf_status order 1..10, so
 *    pkg_status[i] binds to parameter PKG_PARAM0 + i.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define PKG_PARAM0 4 /* pkg_status[1] (newest) binds to ?5 ... [10] (rolling) to ?14 */

struct pf_analysis_tx {
    pf_store *st;
    int64_t run;             /* analysis_run row id */
    int64_t taken_at;        /* copied into each repo_stats row */
    sqlite3_stmt *upd_pkg;   /* UPDATE package ... WHERE id, prepared once */
    sqlite3_stmt *ins_stats; /* INSERT INTO repo_stats, prepared once */
    sqlite3_stmt *upd_lag;   /* UPDATE package staleness, prepared on first use */
    int cache_saved;         /* pf_store_analysis_cache changed the page cache */
    int64_t old_cache;
};

/* Finalize statements and free (no SQL side effects). */
static void atx_free(pf_analysis_tx *tx)
{
    sqlite3_finalize(tx->upd_pkg);
    sqlite3_finalize(tx->ins_stats);
    sqlite3_finalize(tx->upd_lag);
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

/* Take the write lock, create the run row, prepare the per-package UPDATE. */
pf_analysis_tx *pf_store_analysis_begin(pf_store *st, int64_t now, char *err, size_t errlen)
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
    if (pfst_prepare_hot(st,
                         "UPDATE package SET project = ?2, version = ?3, flags = ?4, status = ?5,"
                         " best_version = NULL, newer_versions = NULL, lag_days = NULL"
                         " WHERE id = ?1",
                         &tx->upd_pkg) != 0 ||
        pfst_prepare_hot(st,
                         "INSERT INTO repo_stats(run_id, repository_id, taken_at, num_packages,"
                         " pkg_newest, pkg_outdated, pkg_ignored, pkg_unique, pkg_devel,"
                         " pkg_legacy, pkg_incorrect, pkg_untrusted, pkg_noscheme, pkg_rolling,"
                         " num_projects, num_unique, num_newest, num_outdated, num_comparable,"
                         " num_problematic, num_fresh, num_maintainers, freshness,"
                         " median_lag_days, p90_lag_days) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
                         " ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21,"
                         " ?22, ?23, ?24, ?25)",
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

/* Store the analyzer's view of one package (project NULL = not matched). */
int pf_store_analysis_set(pf_analysis_tx *tx, int64_t pkg_id, const char *project,
                          const char *version, unsigned flags, int status)
{
    sqlite3_stmt *q = tx->upd_pkg;
    sqlite3_bind_int64(q, 1, pkg_id);
    pfst_bind_text(q, 2, project);
    pfst_bind_text(q, 3, version);
    sqlite3_bind_int64(q, 4, (sqlite3_int64)flags);
    sqlite3_bind_int(q, 5, status);
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    if (rc != SQLITE_DONE)
        return pfst_fail(tx->st, "store package analysis");
    if (sqlite3_changes(tx->st->db) != 1)
        return pfst_failf(tx->st, "store package analysis: no package with id %lld",
                          (long long)pkg_id);
    return 0;
}

/* Use a bigger page cache for this transaction; pf_store_analysis_commit and
 * _abort put the default back. */
int pf_store_analysis_cache(pf_analysis_tx *tx, long kib)
{
    sqlite3_stmt *q;
    if (pfst_prepare(tx->st, "SELECT cache_size FROM pragma_cache_size", &q) != 0)
        return -1;
    if (sqlite3_step(q) == SQLITE_ROW && !tx->cache_saved) {
        tx->old_cache = sqlite3_column_int64(q, 0);
        tx->cache_saved = 1;
    }
    sqlite3_finalize(q);
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA cache_size = %ld", -kib); /* a number, not user text */
    return pfst_exec(tx->st, sql);
}

/* Put the page cache size back after a pf_store_analysis_cache. */
static void restore_cache(pf_analysis_tx *tx)
{
    if (!tx->cache_saved)
        return;
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA cache_size = %lld", (long long)tx->old_cache);
    pfst_exec(tx->st, sql);
    tx->cache_saved = 0;
}

/* Store one package's staleness: the best version it lacks, how many distinct
 * newer versions exist, days behind (negative = unknown, stored NULL). */
int pf_store_analysis_lag(pf_analysis_tx *tx, int64_t pkg_id, const char *best, long newer,
                          double lag_days)
{
    if (!tx->upd_lag &&
        pfst_prepare_hot(tx->st,
                         "UPDATE package SET best_version = ?2, newer_versions = ?3, lag_days = ?4"
                         " WHERE id = ?1",
                         &tx->upd_lag) != 0)
        return -1;
    sqlite3_stmt *q = tx->upd_lag;
    sqlite3_bind_int64(q, 1, pkg_id);
    pfst_bind_text(q, 2, best);
    if (newer < 0)
        sqlite3_bind_null(q, 3);
    else
        sqlite3_bind_int64(q, 3, newer);
    bind_opt_double(q, 4, lag_days);
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    return rc == SQLITE_DONE ? 0 : pfst_fail(tx->st, "store package staleness");
}

/* Record the whole snapshot in the version history in one statement (run
 * after every package row of this analysis is written): new (project,
 * version, repository) triples get first_seen = now, present ones last_seen =
 * now, trusted is sticky. One INSERT ... SELECT inside SQLite rather than a
 * bound statement per package. */
int pf_store_analysis_seen_all(pf_analysis_tx *tx)
{
    sqlite3_stmt *q;
    if (pfst_prepare(tx->st,
                     "INSERT INTO version_seen(project, version, repository_id, first_seen,"
                     " last_seen, trusted)"
                     " SELECT project, version, repository_id, ?1, ?1,"
                     " MAX(status IN (1, 2, 4, 5, 6)) FROM package"
                     " WHERE project IS NOT NULL AND version IS NOT NULL"
                     " GROUP BY project, version, repository_id"
                     " ON CONFLICT(project, version, repository_id) DO UPDATE SET"
                     " last_seen = MAX(last_seen, excluded.last_seen),"
                     " first_seen = MIN(first_seen, excluded.first_seen),"
                     " trusted = MAX(trusted, excluded.trusted)",
                     &q) != 0)
        return -1;
    sqlite3_bind_int64(q, 1, tx->taken_at);
    int rc = sqlite3_step(q);
    sqlite3_finalize(q);
    return rc == SQLITE_DONE ? 0 : pfst_fail(tx->st, "store version history");
}

/* Insert this run's statistics row for one repository. */
int pf_store_analysis_stats(pf_analysis_tx *tx, const pf_repo_stats *s)
{
    pf_store *st = tx->st;
    int64_t repo = pfst_repo_rowid(st, s->repo_id);
    if (repo < 0)
        return -1;
    if (repo == 0)
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
    sqlite3_bind_int64(q, 21, s->num_fresh);
    sqlite3_bind_int64(q, 22, s->num_maintainers);
    bind_opt_double(q, 23, s->freshness);
    bind_opt_double(q, 24, s->median_lag_days);
    bind_opt_double(q, 25, s->p90_lag_days);
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    if (rc != SQLITE_DONE)
        return pfst_fail(st, "store statistics");
    return 0;
}

/* Fill in the run's totals and COMMIT; ROLLBACK on failure. Frees tx. */
int pf_store_analysis_commit(pf_analysis_tx *tx, long packages, long projects, double seconds,
                             char *err, size_t errlen)
{
    pf_store *st = tx->st;
    int64_t run = tx->run;
    sqlite3_finalize(tx->upd_pkg);
    sqlite3_finalize(tx->ins_stats);
    sqlite3_finalize(tx->upd_lag);
    tx->upd_pkg = tx->ins_stats = tx->upd_lag = NULL;
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
    if (rc == 0)
        rc = pfst_exec(st, "COMMIT");
    if (rc != 0) {
        pfst_copy_err(st, err, errlen);
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    }
    restore_cache(tx);
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
    restore_cache(tx);
    atx_free(tx);
}
