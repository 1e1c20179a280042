/*
 * internal.h — what the store/ files share and nobody else sees.
 *
 * Invariants:
 *  - st->msg holds the text of the last failure on this connection (one line,
 *    naming the operation and SQLite's reason); empty when none happened yet.
 *  - Every helper that fails sets st->msg and returns -1 (or NULL).
 *  - Statement text is only ever compiled here (prepare) and bound with
 *    sqlite3_bind_*; no SQL is built by string formatting.
 */
#ifndef PKGFRESH_STORE_INTERNAL_H
#define PKGFRESH_STORE_INTERNAL_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "pkgfresh/store.h"

struct pf_store {
    sqlite3 *db;   /* owned; closed by pf_store_close */
    char msg[512]; /* last error, see invariants */
    /* pf_store_each_project_flags' statement, prepared on first use and kept
     * (compare asks it once per undecided project: 1,007 times for
     * debian_13 against debian_unstable); finalized by pf_store_close */
    sqlite3_stmt *project_flags;
};

/* ---- db.c ---- */

/* Record "what: <sqlite reason>" as the last error; returns -1. */
int pfst_fail(pf_store *st, const char *what);
/* Record a plain message as the last error; returns -1. */
int pfst_failf(pf_store *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Copy the store's last error into a caller buffer (both may be NULL/0). */
void pfst_copy_err(const pf_store *st, char *err, size_t errlen);
/* Compile one statement; on failure *out is NULL and -1 is returned. */
int pfst_prepare(pf_store *st, const char *sql, sqlite3_stmt **out);
/* Compile one statement meant to be reused many times (SQLITE_PREPARE_PERSISTENT). */
int pfst_prepare_hot(pf_store *st, const char *sql, sqlite3_stmt **out);
/* Run SQL without results (BEGIN, COMMIT, DDL); -1 on failure. */
int pfst_exec(pf_store *st, const char *sql);
/* Read integer pragma `name` (e.g. "cache_size") into *out; 0, or -1. */
int pfst_pragma_get(pf_store *st, const char *name, int64_t *out);
/* Set integer pragma `name` (one of our constants) to value; 0, or -1. */
int pfst_pragma_set(pf_store *st, const char *name, int64_t value);
/* The connection's page cache size and memory map, kept while a
 * transaction (a crawl, an analysis) sizes its own. */
typedef struct pfst_cache {
    int64_t cache, mmap; /* the connection's values */
    int saved;           /* cache and mmap hold them: pfst_cache_restore puts them back */
} pfst_cache;
/* Size the page cache (KiB) and the map (bytes; < 0 keeps it), saving the
 * connection's values into *saved the first time; 0, or -1. */
int pfst_cache_set(pf_store *st, pfst_cache *saved, long kib, int64_t mmap_bytes);
/* Put back what pfst_cache_set saved (nothing when it saved nothing). */
void pfst_cache_restore(pf_store *st, pfst_cache *saved);
/* Bind text or NULL, SQLITE_STATIC: the caller keeps s alive until the step. */
int pfst_bind_text(sqlite3_stmt *stmt, int idx, const char *s);
/* Row id of repository `name`, 0 when unknown, -1 on error. */
int64_t pfst_repo_rowid(pf_store *st, const char *name);
/* Row id of repository `name`, inserting a bare row when unknown; -1 on error. */
int64_t pfst_repo_ensure(pf_store *st, const char *name);

/* ---- schema.c ---- */

/* Newest schema version this code knows (== number of migrations). */
int pfst_schema_latest(void);
/* Statements of migration `version` (1-based), NULL-terminated; NULL if out of range. */
const char *const *pfst_schema_steps(int version);

/* ---- crawl.c ---- */

/* Insert one crawl row (and bump last_success when the status is a success); no tx handling. */
int pfst_insert_crawl(pf_store *st, int64_t repo_rowid, const pf_crawl_info *info);

#endif
