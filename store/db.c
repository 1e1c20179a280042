/*
 * db.c — opening the database: default path, file creation (mode 0600),
 * connection pragmas, numbered migrations, error text and small helpers
 * shared by the other store files.
 *
 * Invariants:
 *  - An open pf_store has WAL journaling (when the file system allows it),
 *    foreign keys on, busy timeout 10 s, synchronous=NORMAL, and a schema at
 *    exactly pfst_schema_latest().
 *  - Migrations run inside BEGIN IMMEDIATE, so two processes opening an old
 *    database at once migrate it once; user_version is re-read under the lock.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

#define PFST_BUSY_TIMEOUT_MS 10000

/* Record "what: <sqlite reason>" so pf_store_errmsg names the failing step. */
int pfst_fail(pf_store *st, const char *what)
{
    snprintf(st->msg, sizeof st->msg, "%s: %s", what, sqlite3_errmsg(st->db));
    return -1;
}

/* Record a message built by the caller (non-SQLite causes). */
int pfst_failf(pf_store *st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(st->msg, sizeof st->msg, fmt, ap);
    va_end(ap);
    return -1;
}

/* Hand the last error to an API caller's buffer; tolerates a NULL buffer. */
void pfst_copy_err(const pf_store *st, char *err, size_t errlen)
{
    if (err && errlen > 0)
        snprintf(err, errlen, "%s", st->msg[0] ? st->msg : "database error");
}

/* Format into a caller buffer when there is no store yet (open failures). */
static void put_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void put_err(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || errlen == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* Compile one statement, recording the SQL reason on failure. */
int pfst_prepare(pf_store *st, const char *sql, sqlite3_stmt **out)
{
    *out = NULL;
    if (sqlite3_prepare_v2(st->db, sql, -1, out, NULL) != SQLITE_OK) {
        *out = NULL;
        return pfst_fail(st, "prepare");
    }
    return 0;
}

/* Compile a statement that lives for a whole transaction (hint for SQLite's allocator). */
int pfst_prepare_hot(pf_store *st, const char *sql, sqlite3_stmt **out)
{
    *out = NULL;
    if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, out, NULL) != SQLITE_OK) {
        *out = NULL;
        return pfst_fail(st, "prepare");
    }
    return 0;
}

/* Run statements that return no rows (transaction control, DDL). */
int pfst_exec(pf_store *st, const char *sql)
{
    if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return pfst_fail(st, sql);
    return 0;
}

/* Read integer pragma `name` into *out: the schema version, and the values
 * a transaction changes for itself and puts back (page cache, memory map). */
int pfst_pragma_get(pf_store *st, const char *name, int64_t *out)
{
    char sql[64]; /* name is one of our constants */
    snprintf(sql, sizeof sql, "PRAGMA %s", name);
    sqlite3_stmt *q;
    if (pfst_prepare(st, sql, &q) != 0)
        return -1;
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return rc == SQLITE_ROW ? 0 : pfst_fail(st, sql);
}

/* Set integer pragma `name` (PRAGMA takes no bound parameters: name is one of
 * our constants, value a number). */
int pfst_pragma_set(pf_store *st, const char *name, int64_t value)
{
    char sql[96];
    snprintf(sql, sizeof sql, "PRAGMA %s = %lld", name, (long long)value);
    return pfst_exec(st, sql);
}

/* Size the page cache and the map for one transaction, the connection's
 * values saved the first time (see internal.h): a transaction that changes
 * pages all over the file wants its dirty pages held, not spilled to the
 * WAL and spilled again each time they change; SQLite allocates the pages
 * as they are used and frees them when the size is put back. */
int pfst_cache_set(pf_store *st, pfst_cache *saved, long kib, int64_t mmap_bytes)
{
    if (!saved->saved) {
        if (pfst_pragma_get(st, "cache_size", &saved->cache) != 0 ||
            pfst_pragma_get(st, "mmap_size", &saved->mmap) != 0)
            return -1;
        saved->saved = 1;
    }
    if (pfst_pragma_set(st, "cache_size", -(int64_t)kib) != 0)
        return -1;
    return mmap_bytes < 0 ? 0 : pfst_pragma_set(st, "mmap_size", mmap_bytes);
}

/* Put the connection's page cache size and map back after pfst_cache_set. */
void pfst_cache_restore(pf_store *st, pfst_cache *saved)
{
    if (!saved->saved)
        return;
    pfst_pragma_set(st, "cache_size", saved->cache);
    pfst_pragma_set(st, "mmap_size", saved->mmap);
    saved->saved = 0;
}

/* Bind text without copying (SQLITE_STATIC) or NULL for an absent value. */
int pfst_bind_text(sqlite3_stmt *stmt, int idx, const char *s)
{
    if (!s)
        return sqlite3_bind_null(stmt, idx);
    return sqlite3_bind_text(stmt, idx, s, -1, SQLITE_STATIC);
}

/* Look up a repository's row id by its catalog id (name). */
int64_t pfst_repo_rowid(pf_store *st, const char *name)
{
    sqlite3_stmt *q;
    if (pfst_prepare(st, "SELECT id FROM repository WHERE name = ?1", &q) != 0)
        return -1;
    pfst_bind_text(q, 1, name);
    int64_t id = 0;
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        id = sqlite3_column_int64(q, 0);
    else if (rc != SQLITE_DONE)
        id = pfst_fail(st, "look up repository");
    sqlite3_finalize(q);
    return id;
}

/* Repository row id, creating a bare row (name only) for a repository the
 * catalog sync has not seen, e.g. one from a user configuration file. */
int64_t pfst_repo_ensure(pf_store *st, const char *name)
{
    int64_t id = pfst_repo_rowid(st, name);
    if (id != 0)
        return id;
    sqlite3_stmt *q;
    if (pfst_prepare(
            st,
            "INSERT INTO repository(name, first_seen) VALUES (?1, CAST(strftime('%s','now') "
            "AS INTEGER))",
            &q) != 0)
        return -1;
    pfst_bind_text(q, 1, name);
    int rc = sqlite3_step(q);
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE)
        return pfst_fail(st, "add repository");
    return sqlite3_last_insert_rowid(st->db);
}

/* $PKGFRESH_DB, else $XDG_DATA_HOME/pkgfresh/pkgfresh.db, else
 * $HOME/.local/share/pkgfresh/pkgfresh.db (HOME from passwd when unset). */
char *pf_store_default_path(void)
{
    const char *env = getenv("PKGFRESH_DB");
    if (env && *env)
        return strdup(env);
    char *out = NULL;
    env = getenv("XDG_DATA_HOME");
    if (env && env[0] == '/') { /* XDG: relative values are invalid and ignored */
        if (asprintf(&out, "%s/pkgfresh/pkgfresh.db", env) < 0)
            return NULL;
        return out;
    }
    const char *home = getenv("HOME");
    char pwbuf[4096];
    struct passwd pw, *pwp = NULL;
    if (!home || !*home) {
        if (getpwuid_r(getuid(), &pw, pwbuf, sizeof pwbuf, &pwp) != 0 || !pwp)
            return NULL;
        home = pwp->pw_dir;
    }
    if (asprintf(&out, "%s/.local/share/pkgfresh/pkgfresh.db", home) < 0)
        return NULL;
    return out;
}

/* SQLite's special names that are not plain files we may create. */
static int is_special_path(const char *path)
{
    return path[0] == '\0' || strcmp(path, ":memory:") == 0 || strncmp(path, "file:", 5) == 0;
}

/* mkdir -p for the directory part of `path` (new directories 0700 & ~umask). */
static int make_parents(const char *path, char *err, size_t errlen)
{
    char dir[PATH_MAX];
    size_t n = strlen(path);
    if (n >= sizeof dir) {
        put_err(err, errlen, "database path too long: %s", path);
        return -1;
    }
    memcpy(dir, path, n + 1);
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir)
        return 0;
    *slash = '\0';
    for (char *p = dir + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char saved = *p;
        *p = '\0';
        if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
            put_err(err, errlen, "create directory %s: %s", dir, strerror(errno));
            return -1;
        }
        *p = saved;
        if (saved == '\0')
            break;
    }
    return 0;
}

/* Create the database file ourselves so it starts as 0600 & ~umask
 * (SQLite would use 0644); an existing file is left as it is. */
static int create_file(const char *path, char *err, size_t errlen)
{
    if (make_parents(path, err, errlen) != 0)
        return -1;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno == EEXIST)
            return 0;
        put_err(err, errlen, "create %s: %s", path, strerror(errno));
        return -1;
    }
    close(fd);
    return 0;
}

/* Refuse a database written by a newer pkgfresh: its schema is unknown to us. */
static int check_not_newer(pf_store *st, int64_t version)
{
    if (version > pfst_schema_latest())
        return pfst_failf(st,
                          "database schema version %lld is newer than this pkgfresh supports (%d); "
                          "upgrade pkgfresh",
                          (long long)version, pfst_schema_latest());
    return 0;
}

/* Bring the schema to the latest version, one numbered migration at a time,
 * all inside one transaction (either fully migrated or untouched). */
static int migrate(pf_store *st)
{
    int64_t version;
    if (pfst_pragma_get(st, "user_version", &version) != 0 || check_not_newer(st, version) != 0)
        return -1;
    if (version == pfst_schema_latest())
        return 0; /* common case: no write lock taken */
    if (pfst_exec(st, "BEGIN IMMEDIATE") != 0)
        return -1;
    if (pfst_pragma_get(st, "user_version", &version) != 0 || check_not_newer(st, version) != 0)
        goto fail;
    for (int v = (int)version + 1; v <= pfst_schema_latest(); v++) {
        for (const char *const *sql = pfst_schema_steps(v); *sql; sql++) {
            if (sqlite3_exec(st->db, *sql, NULL, NULL, NULL) != SQLITE_OK) {
                char what[64];
                snprintf(what, sizeof what, "schema migration %d", v);
                pfst_fail(st, what);
                goto fail;
            }
        }
    }
    if (pfst_pragma_set(st, "user_version", pfst_schema_latest()) != 0 ||
        pfst_exec(st, "COMMIT") != 0)
        goto fail;
    return 0;
fail:
    sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    return -1;
}

/* Connection settings every pf_store runs with. */
static int configure(pf_store *st)
{
    sqlite3_extended_result_codes(st->db, 1);
    if (sqlite3_busy_timeout(st->db, PFST_BUSY_TIMEOUT_MS) != SQLITE_OK)
        return pfst_fail(st, "set busy timeout");
    /* Pages of 32 KiB for a new database (an existing one keeps its own, as
     * WAL mode cannot change it): a crawl and a first analysis write every
     * page through the WAL and again at the checkpoint, one pwrite per page
     * and frame, and 4 KiB pages made that tens of thousands of system calls
     * (Debian unstable + 13 + nixpkgs crawled and analyzed: 51k pwrite calls,
     * 3.30 s with 4 KiB pages, 3.05 s with 32 KiB). The page cache is sized in
     * KiB below, so it holds as many bytes either way. */
    if (pfst_exec(st, "PRAGMA page_size = 32768") != 0 ||
        /* journal_mode returns a row: exec ignores it. Persistent in the file once set. */
        pfst_exec(st, "PRAGMA journal_mode = WAL") != 0 ||
        pfst_exec(st, "PRAGMA foreign_keys = ON") != 0 ||
        pfst_exec(st, "PRAGMA synchronous = NORMAL") != 0 ||
        pfst_exec(st, "PRAGMA temp_store = MEMORY") != 0 ||
        pfst_exec(st, "PRAGMA cache_size = -32768") != 0 || /* 32 MiB: whole-crawl inserts */
        /* Read the file through a memory map: queries and the analysis then
         * read pages in place instead of pread-ing copies into freshly
         * allocated cache pages (compare on 1.5 M packages: 0.24 s -> 0.13 s).
         * Writes still go through the WAL. Mapped pages count in RSS but are
         * the kernel's page cache, shared and reclaimable. The size is the
         * most Debian's SQLite maps (SQLITE_MAX_MMAP_SIZE 0x7fff0000), so the
         * 5 M-package universe's store (1.7 GB) is mapped whole; with 1 GiB,
         * pages past it were pread (a 6-run gen_db: 133.2 s -> 129.0 s). */
        pfst_exec(st, "PRAGMA mmap_size = 2147418112") != 0 ||
        /* Checkpoint (copy WAL to the database + fsync) every 8192 pages of WAL (256 MiB
         * with 32 KiB pages, 32 MiB in a file made with 4 KiB pages) rather than 1000:
         * one large repository's commit does not pay for it, a multi-repository crawl
         * pays it a few times instead of once per repository; sqlite3_close of the last
         * connection checkpoints the rest. The WAL is truncated back to 64 MiB. */
        pfst_exec(st, "PRAGMA wal_autocheckpoint = 8192") != 0 ||
        pfst_exec(st, "PRAGMA journal_size_limit = 67108864") != 0)
        return -1;
    return 0;
}

/* Open or create the database at `path`, configure the connection, migrate. */
/* See store.h. SQLite keeps per-process statistics of its allocations
 * behind a mutex (SQLITE_CONFIG_MEMSTATUS, on by default); pkgfresh never
 * reads them, and profiles of the 5 M-package analysis showed that mutex at
 * 1.5-4 % of the run. */
int pf_store_global_init(void)
{
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK ? 0 : -1;
}

pf_store *pf_store_open(const char *path, char *err, size_t errlen)
{
    if (!path) {
        put_err(err, errlen, "no database path");
        return NULL;
    }
    if (!is_special_path(path) && create_file(path, err, errlen) != 0)
        return NULL;
    pf_store *st = calloc(1, sizeof *st);
    if (!st) {
        put_err(err, errlen, "open %s: out of memory", path);
        return NULL;
    }
    /* NOMUTEX: a store is only ever used by one thread at a time, so SQLite's
     * per-call connection mutex is pure cost (every insert of a crawl). */
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (strncmp(path, "file:", 5) == 0)
        flags |= SQLITE_OPEN_URI;
    if (sqlite3_open_v2(path, &st->db, flags, NULL) != SQLITE_OK) {
        put_err(err, errlen, "open %s: %s", path,
                st->db ? sqlite3_errmsg(st->db) : "out of memory");
        pf_store_close(st);
        return NULL;
    }
    if (configure(st) != 0 || migrate(st) != 0) {
        put_err(err, errlen, "open %s: %s", path, st->msg);
        pf_store_close(st);
        return NULL;
    }
    return st;
}

/* See store.h. At 1 M packages and 8 weekly runs, gen_db took 41.1 s with
 * synchronous = NORMAL and 34.2 s with OFF (the same CPU time: the rest was
 * waiting for fsync at the checkpoints). Without a journal, a commit writes
 * each changed page once, in place, where WAL writes it to the log and then
 * copies it again at the checkpoint (reading it back). journal_mode is read
 * back: SQLite answers with the mode it took, and refuses silently. */
int pf_store_set_durable(pf_store *st, int durable)
{
    const char *mode = durable ? "wal" : "off";
    const char *sql = durable ? "PRAGMA journal_mode = wal" : "PRAGMA journal_mode = off";
    sqlite3_stmt *q = NULL;
    int ok = sqlite3_prepare_v2(st->db, sql, -1, &q, NULL) == SQLITE_OK &&
             sqlite3_step(q) == SQLITE_ROW &&
             strcmp((const char *)sqlite3_column_text(q, 0), mode) == 0;
    sqlite3_finalize(q);
    if (!ok)
        return pfst_fail(st, "set journal mode");
    return pfst_exec(st, durable ? "PRAGMA synchronous = NORMAL" : "PRAGMA synchronous = OFF");
}

/* Close the connection (all statements are finalized by their owners first). */
void pf_store_close(pf_store *st)
{
    if (!st)
        return;
    sqlite3_finalize(st->project_flags);
    if (st->db)
        sqlite3_close_v2(st->db);
    free(st);
}

/* Last error text: our one-line message, or SQLite's own when we set none. */
const char *pf_store_errmsg(pf_store *st)
{
    if (!st)
        return "no database";
    if (st->msg[0])
        return st->msg;
    return sqlite3_errmsg(st->db);
}
