/*
 * crawl.c — writing crawl results: catalog sync, per-source conditional
 * request state, the crawl transaction that swaps a repository's package
 * snapshot, and the record of attempts that changed nothing.
 *
 * Invariants:
 *  - Between pf_store_crawl_begin and commit/abort the connection holds the
 *    write lock (BEGIN IMMEDIATE); a second crawl waits on the busy timeout.
 *  - Package rows change only inside that transaction, and the commit writes
 *    the crawl row in the same transaction: readers see the old snapshot or
 *    the new one with its crawl row, never a half.
 *  - tx->ins_pkg is prepared once per crawl; ?1 (repository) and ?2 (source)
 *    stay bound across rows, only the record's columns are rebound per row.
 *    Each package gets its pkg_result row (schema 11) at once, with no
 *    project: new to analysis (the partial index result_new).
 *  - A source's packages occupy the contiguous rowid range [pkg_first,
 *    pkg_last] stored in its source row: they are inserted back to back in one
 *    transaction, and an INTEGER PRIMARY KEY insert takes max(rowid)+1, which
 *    is above every row then present. Replacing a source therefore deletes a
 *    rowid range (guarded by source_id) instead of maintaining a third index.
 *  - A re-crawl keeps what did not change: the i-th record of a source is
 *    compared with the row at the i-th id of its old range; an equal row
 *    stays as it is (its id, and its analysis results in pkg_result), a
 *    different one is replaced in place (an UPDATE of its data columns, the
 *    source name only when it changed; the trigger package_replaced keeps
 *    its results in pkg_gone and resets its result row to new to analysis,
 *    as a delete and an insert at that id did). Old rows past the last record are
 *    deleted; records past the old range are appended, after the range when
 *    it ends the table, else after the range moved to the end (its rows
 *    inserted anew). So an unchanged re-crawl writes no package row, and a
 *    release of a tenth of a repository's packages rewrites that tenth; a
 *    record inserted or removed in the middle shifts the rest, which are
 *    then replaced as before.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"

/* A package row's crawl data columns, in the order the inserts bind them
 * (?1..?11): the one list the new-row insert and a range's move share. */
#define PKG_DATA_COLS                                                                              \
    "repository_id, source_id, srcname, binnames, raw_version, pflags, maintainers, homepage,"     \
    " license, category, summary"
/* An in-place replacement's SET list but the source name (?4..?11, as
 * bound by bind_record) and the row it replaces (?12, checked against the
 * repository ?1 and source ?2). */
#define PKG_SET_DATA                                                                               \
    "binnames = ?4, raw_version = ?5, pflags = ?6, maintainers = ?7, homepage = ?8,"               \
    " license = ?9, category = ?10, summary = ?11"
#define PKG_AT "id = ?12 AND repository_id = ?1 AND source_id = ?2"

struct pf_crawl_tx {
    pf_store *st;
    int64_t repo;            /* repository row id */
    int64_t source;          /* current source row id; 0 until pf_store_crawl_source */
    int64_t first, last;     /* rowid range added to the current source; 0 when none */
    int64_t pos, old_last;   /* the next old row to compare and the old range's end; pos 0:
                                none left (appending) */
    long count;              /* packages added in this transaction */
    sqlite3_stmt *ins_pkg;   /* package INSERT, prepared in begin */
    sqlite3_stmt *ins_res;   /* its pkg_result row (schema 11), prepared in begin */
    sqlite3_stmt *same_pkg;  /* how the old row at an id compares with the record (begin) */
    sqlite3_stmt *del_pkg;   /* delete the old row at an id (begin) */
    sqlite3_stmt *upd_pkg;   /* replace the old row's data but its name, in place (begin) */
    sqlite3_stmt *upd_named; /* the same, name and all (begin) */
    sqlite3_stmt *src_put;   /* source upsert with its new state */
    sqlite3_stmt *src_get;   /* source row id and old package range */
    sqlite3_stmt *src_del;   /* delete one source's old packages (rowid range) */
    sqlite3_stmt *src_range; /* store the new package range of a source */
    pfst_cache cache;        /* the connection's, while the crawl has CRAWL_CACHE_KIB */
};

/* Step a statement expected to produce no row, then reset it for reuse. */
static int step_done(pf_store *st, sqlite3_stmt *q, const char *what)
{
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    if (rc != SQLITE_DONE)
        return pfst_fail(st, what);
    return 0;
}

/* ---- catalog ----------------------------------------------------------- */

/* True (1) when every catalog repository and source is already stored with the
 * same attributes, so the common CLI start does not take the write lock. One
 * read transaction for all the lookups: each would otherwise take and drop
 * the WAL read lock itself (300 repositories: 1,200 fcntl and 600 fstat
 * calls, 3 of the 6 ms every query spent opening the store). */
static int catalog_in_sync(pf_store *st, const pf_catalog *cat)
{
    sqlite3_stmt *qr = NULL, *qs = NULL;
    int in_sync = -1;
    if (pfst_exec(st, "BEGIN") != 0)
        return -1;
    if (pfst_prepare(st,
                     "SELECT 1 FROM repository WHERE name = ?1 AND family IS ?2 AND shortname IS ?3"
                     " AND title IS ?4 AND color IS ?5 AND format IS ?6 AND is_default = ?7",
                     &qr) != 0 ||
        pfst_prepare(st,
                     "SELECT 1 FROM source s JOIN repository r ON r.id = s.repository_id"
                     " WHERE r.name = ?1 AND s.name = ?2 AND s.url IS ?3",
                     &qs) != 0)
        goto out;
    in_sync = 1;
    for (size_t i = 0; i < cat->nrepos && in_sync == 1; i++) {
        const pf_repo *r = &cat->repos[i];
        pfst_bind_text(qr, 1, r->id);
        pfst_bind_text(qr, 2, r->family);
        pfst_bind_text(qr, 3, r->shortname);
        pfst_bind_text(qr, 4, r->title);
        pfst_bind_text(qr, 5, r->color);
        pfst_bind_text(qr, 6, r->format);
        sqlite3_bind_int(qr, 7, r->is_default ? 1 : 0);
        int rc = sqlite3_step(qr);
        sqlite3_reset(qr);
        if (rc == SQLITE_DONE)
            in_sync = 0;
        else if (rc != SQLITE_ROW)
            in_sync = pfst_fail(st, "read repositories");
        for (size_t j = 0; j < r->nsources && in_sync == 1; j++) {
            pfst_bind_text(qs, 1, r->id);
            pfst_bind_text(qs, 2, r->sources[j].name);
            pfst_bind_text(qs, 3, r->sources[j].url);
            rc = sqlite3_step(qs);
            sqlite3_reset(qs);
            if (rc == SQLITE_DONE)
                in_sync = 0;
            else if (rc != SQLITE_ROW)
                in_sync = pfst_fail(st, "read sources");
        }
    }
out:
    sqlite3_finalize(qr);
    sqlite3_finalize(qs);
    if (pfst_exec(st, "COMMIT") != 0)
        in_sync = -1;
    return in_sync;
}

/* Rename the rows of repositories stored under a former id (a catalog alias) to
 * the current id, in place: the row id stays, so snapshot, crawls, statistics and
 * version history stay with it. A row already stored under the new id wins; the
 * old one is then left as it is (a repository no longer in the catalog). */
static int rename_aliases(pf_store *st, const pf_catalog *cat)
{
    sqlite3_stmt *q = NULL;
    if (pfst_prepare(st,
                     "UPDATE repository SET name = ?1 WHERE name = ?2"
                     " AND NOT EXISTS (SELECT 1 FROM repository WHERE name = ?1)",
                     &q) != 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < cat->nrepos && rc == 0; i++)
        for (size_t j = 0; j < cat->repos[i].naliases && rc == 0; j++) {
            pfst_bind_text(q, 1, cat->repos[i].id);
            pfst_bind_text(q, 2, cat->repos[i].aliases[j]);
            rc = step_done(st, q, "rename repository");
        }
    sqlite3_finalize(q);
    return rc;
}

/* Upsert every catalog repository and source; repositories no longer in the
 * catalog keep their rows (and history); rows under a former id are renamed
 * first. first_seen is set on insert only. */
int pf_store_sync_catalog(pf_store *st, const pf_catalog *cat)
{
    int s = catalog_in_sync(st, cat);
    if (s != 0)
        return s < 0 ? -1 : 0;
    sqlite3_stmt *qr = NULL, *qs = NULL;
    int rc = -1;
    if (pfst_exec(st, "BEGIN IMMEDIATE") != 0)
        return -1;
    if (rename_aliases(st, cat) != 0)
        goto out;
    if (pfst_prepare(st,
                     "INSERT INTO repository(name, family, shortname, title, color, format,"
                     " is_default, first_seen) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
                     " ON CONFLICT(name) DO UPDATE SET family = excluded.family,"
                     " shortname = excluded.shortname, title = excluded.title,"
                     " color = excluded.color, format = excluded.format,"
                     " is_default = excluded.is_default",
                     &qr) != 0 ||
        pfst_prepare(st,
                     "INSERT INTO source(repository_id, name, url)"
                     " VALUES ((SELECT id FROM repository WHERE name = ?1), ?2, ?3)"
                     " ON CONFLICT(repository_id, name) DO UPDATE SET url = excluded.url",
                     &qs) != 0)
        goto out;
    sqlite3_bind_int64(qr, 8, (sqlite3_int64)time(NULL));
    for (size_t i = 0; i < cat->nrepos; i++) {
        const pf_repo *r = &cat->repos[i];
        pfst_bind_text(qr, 1, r->id);
        pfst_bind_text(qr, 2, r->family);
        pfst_bind_text(qr, 3, r->shortname);
        pfst_bind_text(qr, 4, r->title);
        pfst_bind_text(qr, 5, r->color);
        pfst_bind_text(qr, 6, r->format);
        sqlite3_bind_int(qr, 7, r->is_default ? 1 : 0);
        if (step_done(st, qr, "store repository") != 0)
            goto out;
        for (size_t j = 0; j < r->nsources; j++) {
            pfst_bind_text(qs, 1, r->id);
            pfst_bind_text(qs, 2, r->sources[j].name);
            pfst_bind_text(qs, 3, r->sources[j].url);
            if (step_done(st, qs, "store source") != 0)
                goto out;
        }
    }
    rc = pfst_exec(st, "COMMIT");
out:
    sqlite3_finalize(qr);
    sqlite3_finalize(qs);
    if (rc != 0)
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

/* ---- source state ------------------------------------------------------ */

/* Duplicate a column's text, NULL staying NULL; *oom set on allocation failure. */
static char *dup_col(sqlite3_stmt *q, int col, int *oom)
{
    const unsigned char *t = sqlite3_column_text(q, col);
    if (!t)
        return NULL;
    char *s = strdup((const char *)t);
    if (!s)
        *oom = 1;
    return s;
}

/* Validators remembered for one source; all NULL when never crawled. */
int pf_store_source_state(pf_store *st, const char *repo_id, const char *source,
                          pf_source_state *out)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *q;
    if (pfst_prepare(st,
                     "SELECT s.etag, s.last_modified, s.checksum FROM source s"
                     " JOIN repository r ON r.id = s.repository_id"
                     " WHERE r.name = ?1 AND s.name = ?2",
                     &q) != 0)
        return -1;
    pfst_bind_text(q, 1, repo_id);
    pfst_bind_text(q, 2, source);
    int rc = sqlite3_step(q), oom = 0, ret = 0;
    if (rc == SQLITE_ROW) {
        out->etag = dup_col(q, 0, &oom);
        out->last_modified = dup_col(q, 1, &oom);
        out->checksum = dup_col(q, 2, &oom);
        if (oom) {
            pf_source_state_clear(out);
            ret = pfst_failf(st, "read source state: out of memory");
        }
    } else if (rc != SQLITE_DONE) {
        ret = pfst_fail(st, "read source state");
    }
    sqlite3_finalize(q);
    return ret;
}

/* Free the strings of a source state and zero it. */
void pf_source_state_clear(pf_source_state *s)
{
    if (!s)
        return;
    free(s->etag);
    free(s->last_modified);
    free(s->checksum);
    memset(s, 0, sizeof *s);
}

/* ---- crawl rows -------------------------------------------------------- */

/* Is this crawl status a success (the snapshot is current as of `finished`)? */
static int status_is_success(const char *status)
{
    return status && (strcmp(status, "ok") == 0 || strcmp(status, "not_modified") == 0);
}

/* Insert the crawl row; a successful status also moves repository.last_success.
 * The CHECK constraint rejects unknown statuses. Runs inside the caller's tx. */
int pfst_insert_crawl(pf_store *st, int64_t repo_rowid, const pf_crawl_info *info)
{
    if (!info)
        return pfst_failf(st, "record crawl: no crawl information");
    int64_t finished = info->finished ? info->finished : (int64_t)time(NULL);
    sqlite3_stmt *q;
    if (pfst_prepare(st,
                     "INSERT INTO crawl(repository_id, started, finished, status, http_status,"
                     " etag, last_modified, content_hash, bytes, packages, error)"
                     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                     &q) != 0)
        return -1;
    sqlite3_bind_int64(q, 1, repo_rowid);
    sqlite3_bind_int64(q, 2, info->started);
    sqlite3_bind_int64(q, 3, finished);
    pfst_bind_text(q, 4, info->status);
    if (info->http_status)
        sqlite3_bind_int64(q, 5, info->http_status);
    else
        sqlite3_bind_null(q, 5);
    pfst_bind_text(q, 6, info->etag);
    pfst_bind_text(q, 7, info->last_modified);
    pfst_bind_text(q, 8, info->content_hash);
    sqlite3_bind_int64(q, 9, (sqlite3_int64)info->bytes);
    sqlite3_bind_int64(q, 10, info->packages);
    pfst_bind_text(q, 11, info->error);
    int rc = step_done(st, q, "record crawl");
    sqlite3_finalize(q);
    if (rc != 0 || !status_is_success(info->status))
        return rc;
    if (pfst_prepare(st, "UPDATE repository SET last_success = ?2 WHERE id = ?1", &q) != 0)
        return -1;
    sqlite3_bind_int64(q, 1, repo_rowid);
    sqlite3_bind_int64(q, 2, finished);
    rc = step_done(st, q, "update repository");
    sqlite3_finalize(q);
    return rc;
}

/* A failed or not_modified attempt: one crawl row in its own transaction. */
int pf_store_crawl_record(pf_store *st, const char *repo_id, const pf_crawl_info *info)
{
    if (pfst_exec(st, "BEGIN IMMEDIATE") != 0)
        return -1;
    int64_t repo = pfst_repo_ensure(st, repo_id);
    if (repo < 0 || pfst_insert_crawl(st, repo, info) != 0 || pfst_exec(st, "COMMIT") != 0) {
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    return 0;
}

/* ---- crawl transaction ------------------------------------------------- */

/*
 * The page cache of a crawl transaction (KiB; SQLite takes it negated), the
 * connection's own put back after it. A re-crawl that replaces a tenth of
 * a large repository's packages changes pages all over the file (the
 * results index by project, the dirty-project list); with the connection's
 * 32 MiB they spilled to the WAL inside the transaction, were read back
 * when changed again, and the commit read the rewritten frames back for
 * their checksums: in a profile of gen_db's weeks, a third of the crawl.
 */
#define CRAWL_CACHE_KIB 262144

/* Finalize the transaction's statements, put the page cache size back, free it. */
static void tx_free(pf_crawl_tx *tx)
{
    pfst_cache_restore(tx->st, &tx->cache);
    sqlite3_finalize(tx->ins_pkg);
    sqlite3_finalize(tx->ins_res);
    sqlite3_finalize(tx->same_pkg);
    sqlite3_finalize(tx->del_pkg);
    sqlite3_finalize(tx->upd_pkg);
    sqlite3_finalize(tx->upd_named);
    sqlite3_finalize(tx->src_put);
    sqlite3_finalize(tx->src_get);
    sqlite3_finalize(tx->src_del);
    sqlite3_finalize(tx->src_range);
    free(tx);
}

/* Take the write lock and prepare the per-row INSERT once for the whole crawl. */
pf_crawl_tx *pf_store_crawl_begin(pf_store *st, const char *repo_id, char *err, size_t errlen)
{
    pf_crawl_tx *tx = calloc(1, sizeof *tx);
    if (!tx) {
        pfst_failf(st, "begin crawl of %s: out of memory", repo_id);
        pfst_copy_err(st, err, errlen);
        return NULL;
    }
    tx->st = st;
    if (pfst_exec(st, "BEGIN IMMEDIATE") != 0) {
        pfst_copy_err(st, err, errlen);
        tx_free(tx);
        return NULL;
    }
    if (pfst_cache_set(st, &tx->cache, CRAWL_CACHE_KIB, -1) != 0) {
        pfst_copy_err(st, err, errlen);
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
        tx_free(tx);
        return NULL;
    }
    tx->repo = pfst_repo_ensure(st, repo_id);
    if (tx->repo < 0 ||
        pfst_prepare_hot(st,
                         "INSERT INTO package(" PKG_DATA_COLS ", id)"
                         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                         &tx->ins_pkg) != 0 ||
        pfst_prepare_hot(st, "INSERT INTO pkg_result(id, repository_id) VALUES (?1, ?2)",
                         &tx->ins_res) != 0 ||
        pfst_prepare_hot(st,
                         "SELECT srcname = ?3, binnames IS ?4 AND raw_version = ?5"
                         " AND pflags = ?6 AND maintainers IS ?7 AND homepage IS ?8"
                         " AND license IS ?9 AND category IS ?10 AND summary IS ?11"
                         " FROM package WHERE id = ?12 AND repository_id = ?1 AND source_id = ?2",
                         &tx->same_pkg) != 0 ||
        pfst_prepare_hot(st, "DELETE FROM package WHERE id = ?1 AND source_id = ?2",
                         &tx->del_pkg) != 0 ||
        pfst_prepare_hot(st, "UPDATE OR IGNORE package SET " PKG_SET_DATA " WHERE " PKG_AT,
                         &tx->upd_pkg) != 0 ||
        pfst_prepare_hot(
            st, "UPDATE OR IGNORE package SET srcname = ?3, " PKG_SET_DATA " WHERE " PKG_AT,
            &tx->upd_named) != 0) {
        pfst_copy_err(st, err, errlen);
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
        tx_free(tx);
        return NULL;
    }
    sqlite3_bind_int64(tx->ins_pkg, 1, tx->repo);
    sqlite3_bind_int64(tx->ins_res, 2, tx->repo);
    sqlite3_bind_int64(tx->same_pkg, 1, tx->repo);
    sqlite3_bind_int64(tx->upd_pkg, 1, tx->repo);
    sqlite3_bind_int64(tx->upd_named, 1, tx->repo);
    return tx;
}

/* Delete the current source's rows with ids in [from, to] (src_del). 0, or -1. */
static int delete_rows(pf_crawl_tx *tx, int64_t from, int64_t to, const char *what)
{
    sqlite3_bind_int64(tx->src_del, 1, tx->source);
    sqlite3_bind_int64(tx->src_del, 2, from);
    sqlite3_bind_int64(tx->src_del, 3, to);
    return step_done(tx->st, tx->src_del, what);
}

/* Store the rowid range the current source received (NULLs when it got none). */
static int finish_source(pf_crawl_tx *tx)
{
    if (!tx->source)
        return 0;
    if (tx->pos) { /* old rows past the last record */
        if (delete_rows(tx, tx->pos, tx->old_last, "delete source packages") != 0)
            return -1;
        tx->pos = 0;
    }
    sqlite3_stmt *q = tx->src_range;
    sqlite3_bind_int64(q, 1, tx->source);
    if (tx->first) {
        sqlite3_bind_int64(q, 2, tx->first);
        sqlite3_bind_int64(q, 3, tx->last);
    } else {
        sqlite3_bind_null(q, 2);
        sqlite3_bind_null(q, 3);
    }
    return step_done(tx->st, q, "store source packages");
}

/* Prepare the few per-source statements on first use in this crawl. */
static int prepare_source_stmts(pf_crawl_tx *tx)
{
    pf_store *st = tx->st;
    if (tx->src_put)
        return 0;
    if (pfst_prepare(st,
                     "INSERT INTO source(repository_id, name, etag, last_modified, checksum)"
                     " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(repository_id, name) DO UPDATE"
                     " SET etag = excluded.etag, last_modified = excluded.last_modified,"
                     " checksum = excluded.checksum",
                     &tx->src_put) != 0 ||
        pfst_prepare(st,
                     "SELECT id, pkg_first, pkg_last FROM source"
                     " WHERE repository_id = ?1 AND name = ?2",
                     &tx->src_get) != 0 ||
        pfst_prepare(st, "DELETE FROM package WHERE id BETWEEN ?2 AND ?3 AND source_id = ?1",
                     &tx->src_del) != 0 ||
        pfst_prepare(st, "UPDATE source SET pkg_first = ?2, pkg_last = ?3 WHERE id = ?1",
                     &tx->src_range) != 0) {
        sqlite3_stmt **all[] = {&tx->src_put, &tx->src_get, &tx->src_del, &tx->src_range};
        for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
            sqlite3_finalize(*all[i]);
            *all[i] = NULL;
        }
        return -1;
    }
    return 0;
}

/* Make `source` current: close the previous source's range, create its row if
 * needed, store its new validators (state NULL clears them); its old rows
 * are compared with the records added next (see the file comment). Later
 * adds belong to it. */
int pf_store_crawl_source(pf_crawl_tx *tx, const char *source, const pf_source_state *state)
{
    pf_store *st = tx->st;
    if (!source)
        return pfst_failf(st, "crawl source: no source name");
    if (prepare_source_stmts(tx) != 0 || finish_source(tx) != 0)
        return -1;
    tx->source = 0;
    tx->first = tx->last = tx->pos = tx->old_last = 0;
    sqlite3_bind_int64(tx->src_put, 1, tx->repo);
    pfst_bind_text(tx->src_put, 2, source);
    pfst_bind_text(tx->src_put, 3, state ? state->etag : NULL);
    pfst_bind_text(tx->src_put, 4, state ? state->last_modified : NULL);
    pfst_bind_text(tx->src_put, 5, state ? state->checksum : NULL);
    if (step_done(st, tx->src_put, "store source state") != 0)
        return -1;
    sqlite3_stmt *q = tx->src_get;
    sqlite3_bind_int64(q, 1, tx->repo);
    pfst_bind_text(q, 2, source);
    int rc = sqlite3_step(q);
    int64_t id = 0, first = 0, last = 0;
    int has_range = 0;
    if (rc == SQLITE_ROW) {
        id = sqlite3_column_int64(q, 0);
        has_range = sqlite3_column_type(q, 1) != SQLITE_NULL;
        first = sqlite3_column_int64(q, 1);
        last = sqlite3_column_int64(q, 2);
    }
    sqlite3_reset(q);
    if (rc != SQLITE_ROW)
        return pfst_fail(st, "look up source");
    if (has_range && first > 0 && last >= first) {
        tx->pos = first;
        tx->old_last = last;
    }
    tx->source = id;
    sqlite3_bind_int64(tx->ins_pkg, 2, id);
    sqlite3_bind_int64(tx->same_pkg, 2, id);
    sqlite3_bind_int64(tx->del_pkg, 2, id);
    sqlite3_bind_int64(tx->upd_pkg, 2, id);
    sqlite3_bind_int64(tx->upd_named, 2, id);
    return 0;
}

/* Bind a record's columns (?3 .. ?11) to q, a statement of the ins_pkg /
 * same_pkg layout. */
static void bind_record(sqlite3_stmt *q, const pf_record *rec)
{
    pfst_bind_text(q, 3, rec->srcname);
    pfst_bind_text(q, 4, rec->binnames);
    pfst_bind_text(q, 5, rec->version);
    sqlite3_bind_int64(q, 6, (sqlite3_int64)rec->flags);
    pfst_bind_text(q, 7, rec->maintainers);
    pfst_bind_text(q, 8, rec->homepage);
    pfst_bind_text(q, 9, rec->license);
    pfst_bind_text(q, 10, rec->category);
    pfst_bind_text(q, 11, rec->summary);
}

/* The largest package id, 0 when the table is empty, -1 on error. */
static int64_t max_package_id(pf_store *st)
{
    sqlite3_stmt *q;
    if (pfst_prepare(st, "SELECT COALESCE(MAX(id), 0) FROM package", &q) != 0)
        return -1;
    int rc = sqlite3_step(q);
    int64_t v = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : -1;
    sqlite3_finalize(q);
    return v < 0 ? pfst_fail(st, "read package ids") : v;
}

/* A source outgrew its old range: the rows it holds so far, [first, last],
 * keep being followed by the records still to come only if they end the
 * table; otherwise they move to its end (inserted anew, with new result
 * rows, then deleted where they were: the trigger keeps their results in
 * pkg_gone, from which the analysis takes them back). 0, or -1. */
static int outgrow_range(pf_crawl_tx *tx)
{
    pf_store *st = tx->st;
    int64_t top = max_package_id(st);
    if (top < 0)
        return -1;
    if (!tx->first || top == tx->last)
        return 0;
    sqlite3_stmt *q;
    if (pfst_prepare(st,
                     "INSERT INTO package(" PKG_DATA_COLS ") SELECT " PKG_DATA_COLS
                     " FROM package WHERE id BETWEEN ?1 AND ?2 AND source_id = ?3 ORDER BY id",
                     &q) != 0)
        return -1;
    sqlite3_bind_int64(q, 1, tx->first);
    sqlite3_bind_int64(q, 2, tx->last);
    sqlite3_bind_int64(q, 3, tx->source);
    int rc = sqlite3_step(q);
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE)
        return pfst_fail(st, "move source packages");
    if (pfst_prepare(st,
                     "INSERT INTO pkg_result(id, repository_id)"
                     " SELECT id, repository_id FROM package WHERE id > ?1",
                     &q) != 0)
        return -1;
    sqlite3_bind_int64(q, 1, top);
    rc = sqlite3_step(q);
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE)
        return pfst_fail(st, "move source packages");
    if (delete_rows(tx, tx->first, tx->last, "move source packages") != 0)
        return -1;
    int64_t n = tx->last - tx->first + 1;
    tx->first = top + 1;
    tx->last = top + n;
    return 0;
}

/* How the record compares with the old row at tx->pos. */
enum { OLD_NONE, OLD_SAME, OLD_DATA, OLD_NAMED, OLD_ERROR = -1 };

/* Compare the record with the old row at tx->pos: OLD_SAME equal (kept),
 * OLD_DATA same source name but other data, OLD_NAMED another source name
 * (both replaced in place), OLD_NONE no row of this source there (replaced
 * by delete and insert), OLD_ERROR. */
static int same_as_old(pf_crawl_tx *tx, const pf_record *rec)
{
    sqlite3_stmt *q = tx->same_pkg;
    bind_record(q, rec);
    sqlite3_bind_int64(q, 12, tx->pos);
    int rc = sqlite3_step(q);
    int name = rc == SQLITE_ROW && sqlite3_column_int(q, 0);
    int data = rc == SQLITE_ROW && sqlite3_column_int(q, 1);
    sqlite3_reset(q);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return pfst_fail(tx->st, "compare package");
    if (rc == SQLITE_DONE)
        return OLD_NONE;
    return !name ? OLD_NAMED : data ? OLD_SAME : OLD_DATA;
}

/* Replace the old row at id `at` with the record, in place (the trigger
 * package_replaced keeps its results in pkg_gone and resets its result
 * row); named: the source name changes too. 0, or -1. */
static int replace_old(pf_crawl_tx *tx, const pf_record *rec, int64_t at, int named)
{
    sqlite3_stmt *q = named ? tx->upd_named : tx->upd_pkg;
    bind_record(q, rec);
    sqlite3_bind_int64(q, 12, at);
    if (step_done(tx->st, q, "replace package") != 0)
        return -1;
    if (sqlite3_changes(tx->st->db) != 1)
        return pfst_failf(tx->st, "replace package: no row at id %lld", (long long)at);
    return 0;
}

/* Insert one record into the current source; strings bound SQLITE_STATIC
 * (they live for this call, and the step happens inside it). */
int pf_store_crawl_add(pf_crawl_tx *tx, const pf_record *rec)
{
    pf_store *st = tx->st;
    if (!tx->source)
        return pfst_failf(st, "add package: no source selected (call pf_store_crawl_source)");
    if (!rec->srcname || !rec->version)
        return pfst_failf(st, "add package: record without %s",
                          rec->srcname ? "version" : "source name");
    int64_t at = 0; /* the id the record takes: 0 = the next one after every row */
    if (tx->pos) {
        int old = same_as_old(tx, rec);
        if (old == OLD_ERROR)
            return -1;
        at = tx->pos;
        tx->pos = tx->pos < tx->old_last ? tx->pos + 1 : 0;
        if (old == OLD_NONE) { /* replaced at its id */
            sqlite3_bind_int64(tx->del_pkg, 1, at);
            if (step_done(st, tx->del_pkg, "replace package") != 0)
                return -1;
        } else { /* kept, results and all, or replaced in place */
            if (old != OLD_SAME && replace_old(tx, rec, at, old == OLD_NAMED) != 0)
                return -1;
            tx->last = at;
            if (!tx->first)
                tx->first = at;
            tx->count++;
            return 0;
        }
    } else if (tx->old_last) { /* past the old range: append where the range can grow */
        if (outgrow_range(tx) != 0)
            return -1;
        tx->old_last = 0;
    }
    sqlite3_stmt *q = tx->ins_pkg;
    bind_record(q, rec);
    if (at)
        sqlite3_bind_int64(q, 12, at);
    else
        sqlite3_bind_null(q, 12);
    if (step_done(st, q, "add package") != 0)
        return -1;
    tx->last = sqlite3_last_insert_rowid(st->db);
    sqlite3_bind_int64(tx->ins_res, 1, tx->last);
    if (step_done(st, tx->ins_res, "add package result") != 0)
        return -1;
    if (!tx->first)
        tx->first = tx->last;
    tx->count++;
    return 0;
}

/* Packages added in this transaction so far (all sources). */
long pf_store_crawl_count(const pf_crawl_tx *tx)
{
    return tx->count;
}

/* Store the repository's snapshot size (an index range count, once per crawl). */
static int update_size(pf_store *st, int64_t repo)
{
    sqlite3_stmt *q;
    if (pfst_prepare(st,
                     "UPDATE repository SET num_packages ="
                     " (SELECT COUNT(*) FROM package WHERE repository_id = ?1) WHERE id = ?1",
                     &q) != 0)
        return -1;
    sqlite3_bind_int64(q, 1, repo);
    int rc = sqlite3_step(q);
    sqlite3_finalize(q);
    return rc == SQLITE_DONE ? 0 : pfst_fail(st, "store repository size");
}

/* Write the crawl row, move last_success, COMMIT; on any failure ROLLBACK so
 * the previous snapshot stays. Frees tx in every case. */
int pf_store_crawl_commit(pf_crawl_tx *tx, const pf_crawl_info *info, char *err, size_t errlen)
{
    pf_store *st = tx->st;
    int64_t repo = tx->repo;
    /* Finalize first: pending statements would not block COMMIT, but there is
     * nothing left for them to do. */
    sqlite3_finalize(tx->ins_pkg);
    tx->ins_pkg = NULL;
    int rc = finish_source(tx);
    if (rc == 0)
        rc = pfst_insert_crawl(st, repo, info);
    if (rc == 0)
        rc = update_size(st, repo);
    if (rc == 0)
        rc = pfst_exec(st, "COMMIT");
    if (rc != 0) {
        pfst_copy_err(st, err, errlen);
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    }
    tx_free(tx);
    return rc;
}

/* Discard everything the crawl wrote: the snapshot is as before. */
void pf_store_crawl_abort(pf_crawl_tx *tx)
{
    if (!tx)
        return;
    pf_store *st = tx->st;
    tx_free(tx);
    sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Run one statement bound to the repository row id (?1) inside the crawl. */
static int exec_repo_stmt(pf_crawl_tx *tx, const char *sql, const char *what)
{
    sqlite3_stmt *q;
    if (pfst_prepare(tx->st, sql, &q) != 0)
        return -1;
    sqlite3_bind_int64(q, 1, tx->repo);
    int rc = sqlite3_step(q);
    sqlite3_finalize(q);
    return rc == SQLITE_DONE ? 0 : pfst_fail(tx->st, what);
}

/* Empty the whole repository (all sources) and forget every source's
 * validators, so the next catalog crawl downloads everything again. */
int pf_store_crawl_clear(pf_crawl_tx *tx)
{
    if (finish_source(tx) != 0)
        return -1;
    tx->source = 0;
    tx->first = tx->last = tx->pos = tx->old_last = 0;
    if (exec_repo_stmt(tx, "DELETE FROM package WHERE repository_id = ?1", "clear packages") != 0)
        return -1;
    return exec_repo_stmt(tx,
                          "UPDATE source SET etag = NULL, last_modified = NULL, checksum = NULL,"
                          " pkg_first = NULL, pkg_last = NULL WHERE repository_id = ?1",
                          "clear sources");
}

/* Drop the packages and rows of every source of the repository not named in
 * keep (sources removed from the catalog, or left by a --from crawl). */
int pf_store_crawl_prune(pf_crawl_tx *tx, const char *const *keep, size_t nkeep)
{
    sqlite3_stmt *q;
    if (pfst_prepare(tx->st, "SELECT id, name FROM source WHERE repository_id = ?1", &q) != 0)
        return -1;
    sqlite3_bind_int64(q, 1, tx->repo);
    int64_t drop[64];
    size_t ndrop = 0;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW && ndrop < 64) {
        const char *name = (const char *)sqlite3_column_text(q, 1);
        int kept = 0;
        for (size_t i = 0; name && i < nkeep && !kept; i++)
            kept = strcmp(keep[i], name) == 0;
        if (!kept)
            drop[ndrop++] = sqlite3_column_int64(q, 0);
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return pfst_fail(tx->st, "list sources");
    for (size_t i = 0; i < ndrop; i++) {
        sqlite3_stmt *d;
        if (pfst_prepare(tx->st, "DELETE FROM package WHERE repository_id = ?1 AND source_id = ?2",
                         &d) != 0)
            return -1;
        sqlite3_bind_int64(d, 1, tx->repo);
        sqlite3_bind_int64(d, 2, drop[i]);
        rc = sqlite3_step(d);
        sqlite3_finalize(d);
        if (rc != SQLITE_DONE)
            return pfst_fail(tx->st, "drop old source packages");
        if (pfst_prepare(tx->st, "DELETE FROM source WHERE id = ?1", &d) != 0)
            return -1;
        sqlite3_bind_int64(d, 1, drop[i]);
        rc = sqlite3_step(d);
        sqlite3_finalize(d);
        if (rc != SQLITE_DONE)
            return pfst_fail(tx->st, "drop old source");
        if (tx->source == drop[i])
            tx->source = tx->pos = tx->old_last = 0;
    }
    return 0;
}
