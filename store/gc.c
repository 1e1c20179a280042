/*
 * gc.c — dropping old history (`pkgfresh gc`), in one transaction, then
 * optionally VACUUM to give the space back to the file system.
 *
 * What goes, for a cutoff time T:
 *  - crawl rows that finished before T, except each repository's latest row
 *    of each status (the `repos` listing and "last success" keep their facts);
 *  - repo_stats rows of analysis runs taken before T, except the latest
 *    run's; the analysis_run rows themselves go too, except the first (it
 *    marks where the version history starts: days behind stay "unknown" for
 *    versions that were there from the start) and the latest;
 *  - version_seen rows of projects that no package has any more and that
 *    were last seen before T. Rows of current projects stay whatever their
 *    age: they are the staleness history (the first sighting of a version
 *    a package lacks), so gc never changes what an analysis computes.
 * The snapshot itself (package, source, repository) is never touched.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* Run one DELETE with ?1 = the cutoff; adds the rows it removed to *count. */
static int gc_delete(pf_store *st, const char *sql, int64_t before, long *count)
{
    sqlite3_stmt *q;
    if (pfst_prepare(st, sql, &q) != 0)
        return -1;
    sqlite3_bind_int64(q, 1, before);
    int rc = sqlite3_step(q);
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE)
        return pfst_fail(st, "gc");
    *count += sqlite3_changes(st->db);
    return 0;
}

/* Bytes the database file holds (pages in use and free ones). */
static int64_t db_bytes(pf_store *st, int64_t *free_bytes)
{
    sqlite3_stmt *q;
    int64_t v = -1;
    *free_bytes = -1;
    if (pfst_prepare(st,
                     "SELECT p.page_count * s.page_size, f.freelist_count * s.page_size"
                     " FROM pragma_page_count p, pragma_page_size s, pragma_freelist_count f",
                     &q) != 0)
        return -1;
    if (sqlite3_step(q) == SQLITE_ROW) {
        v = sqlite3_column_int64(q, 0);
        *free_bytes = sqlite3_column_int64(q, 1);
    }
    sqlite3_finalize(q);
    return v;
}

/* Drop the history older than `before` (see the file comment); VACUUM when asked. */
int pf_store_gc(pf_store *st, int64_t before, int vacuum, pf_gc_result *res)
{
    memset(res, 0, sizeof *res);
    res->bytes_before = db_bytes(st, &res->free_before);
    if (res->bytes_before < 0 || pfst_exec(st, "BEGIN IMMEDIATE") != 0)
        return -1;
    int rc = gc_delete(st,
                       "DELETE FROM crawl WHERE finished < ?1 AND id NOT IN"
                       " (SELECT MAX(id) FROM crawl GROUP BY repository_id, status)",
                       before, &res->crawls);
    if (rc == 0)
        rc = gc_delete(st,
                       "DELETE FROM repo_stats WHERE run_id IN (SELECT id FROM analysis_run"
                       " WHERE taken_at < ?1 AND id < (SELECT MAX(id) FROM analysis_run))",
                       before, &res->stats_rows);
    if (rc == 0)
        rc = gc_delete(st,
                       "DELETE FROM analysis_run WHERE taken_at < ?1"
                       " AND id < (SELECT MAX(id) FROM analysis_run)"
                       " AND id > (SELECT MIN(id) FROM analysis_run)",
                       before, &res->runs);
    if (rc == 0)
        rc = gc_delete(st,
                       "DELETE FROM version_seen WHERE last_seen < ?1 AND NOT EXISTS"
                       " (SELECT 1 FROM pkg_result p WHERE p.project = version_seen.project)",
                       before, &res->seen_rows);
    if (rc == 0)
        rc = pfst_exec(st, "COMMIT");
    if (rc != 0) {
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    /* VACUUM builds the new copy in a temporary database, which the
     * connection's temp_store = MEMORY would hold in RAM: on the 5 M-package
     * universe a 3 GB peak instead of a temporary file. */
    if (vacuum && (pfst_exec(st, "PRAGMA temp_store = FILE") != 0 || pfst_exec(st, "VACUUM") != 0 ||
                   pfst_exec(st, "PRAGMA temp_store = MEMORY") != 0))
        return -1;
    res->bytes_after = db_bytes(st, &res->free_after);
    return res->bytes_after < 0 ? -1 : 0;
}

/* Put the copy at path in WAL mode, as the store it came from: VACUUM INTO
 * writes a rollback-journal database, so the first pkgfresh run on a
 * restored backup would convert it (a journal and three fdatasyncs: 60 ms
 * on the real snapshots' store). Closing the only connection leaves one
 * file again (no -wal). */
static int wal_copy(pf_store *st, const char *path)
{
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        pfst_failf(st, "backup: %s", db ? sqlite3_errmsg(db) : "out of memory");
    if (sqlite3_close(db) != SQLITE_OK && rc == SQLITE_OK)
        rc = pfst_failf(st, "backup: cannot close the copy");
    return rc == SQLITE_OK ? 0 : -1;
}

/* Write a compact copy of the whole database to path (VACUUM INTO): a
 * consistent backup while other connections read or write. */
int pf_store_backup(pf_store *st, const char *path)
{
    sqlite3_stmt *q;
    if (pfst_prepare(st, "VACUUM INTO ?1", &q) != 0)
        return -1;
    pfst_bind_text(q, 1, path);
    int rc = sqlite3_step(q);
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE)
        return pfst_fail(st, "backup");
    return wal_copy(st, path);
}
