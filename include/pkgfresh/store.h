/*
 * store.h — the SQLite database: the only code that writes SQL.
 *
 * Invariants:
 *  - The package table holds the current snapshot of every repository; it
 *    changes only inside a crawl transaction that also writes the crawl row,
 *    so a failed crawl leaves the previous snapshot untouched.
 *  - Every crawl attempt is kept (crawl table), failed ones too.
 *  - repo_stats gains one row per repository per analysis run; it is never
 *    rewritten (history for trends).
 *  - Schema changes are numbered migrations (PRAGMA user_version).
 * Connection: WAL journal, foreign keys on, busy timeout 10 s.
 * Ownership: strings returned inside rows are valid only during the callback.
 */
#ifndef PKGFRESH_STORE_H
#define PKGFRESH_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "pkgfresh/catalog.h"
#include "pkgfresh/record.h"

typedef struct pf_store pf_store;

/* Default path: $PKGFRESH_DB, else $XDG_DATA_HOME/pkgfresh/pkgfresh.db, else ~/.local/share/...
 * Returns malloc'd path. */
char *pf_store_default_path(void);

/* Open (creating parent directory and file, mode 0600 & ~umask) and migrate. */
pf_store *pf_store_open(const char *path, char *err, size_t errlen);

/* Process-wide SQLite settings, once, before the first pf_store_open and
 * while no other thread uses SQLite (main() calls it): no memory-usage
 * statistics, which took a global mutex on every allocation. 0 or -1. */
int pf_store_global_init(void);
void pf_store_close(pf_store *st);

/* For a database that is built in bulk and can be built again (bench/gen_db):
 * durable = 0 writes without a journal and lets commits return without
 * waiting for the disk (PRAGMA journal_mode = OFF, synchronous = OFF): a
 * crash of the program or the system in a transaction leaves the file
 * corrupt, and no transaction may be rolled back. durable = 1 puts back WAL
 * and synchronous = NORMAL (before the file is handed over). 0 or -1. */
int pf_store_set_durable(pf_store *st, int durable);

/* Last SQLite error text of this connection. */
const char *pf_store_errmsg(pf_store *st);

/* Upsert repository and source rows for every catalog repository; a row stored under a
 * former id (catalog alias) is renamed to the current id first, keeping its history. */
int pf_store_sync_catalog(pf_store *st, const pf_catalog *cat);

/* ---- crawling ---------------------------------------------------------- */

/* What is remembered per source for conditional requests. Strings malloc'd. */
typedef struct pf_source_state {
    char *etag;
    char *last_modified;
    char *checksum; /* e.g. repomd primary checksum */
} pf_source_state;
int pf_store_source_state(pf_store *st, const char *repo_id, const char *source,
                          pf_source_state *out);
void pf_source_state_clear(pf_source_state *s);

/* Unix time of the repository's last successful (ok / not_modified) crawl, 0 if none. */
int64_t pf_store_last_success(pf_store *st, const char *repo_id);

typedef struct pf_crawl_info {
    int64_t started, finished; /* unix seconds */
    const char *status;        /* "ok", "not_modified", "failed" */
    long http_status;
    const char *etag, *last_modified, *content_hash;
    uint64_t bytes;
    long packages;
    const char *error;
} pf_crawl_info;

typedef struct pf_crawl_tx pf_crawl_tx;

/* Start the write transaction for one repository crawl (BEGIN IMMEDIATE). */
pf_crawl_tx *pf_store_crawl_begin(pf_store *st, const char *repo_id, char *err, size_t errlen);
/* Replace the packages of one source: deletes them; following adds belong to it. */
int pf_store_crawl_source(pf_crawl_tx *tx, const char *source, const pf_source_state *state);
/* Delete every package of the repository, all sources (a --from crawl replaces the whole
 * snapshot); call before pf_store_crawl_source. */
int pf_store_crawl_clear(pf_crawl_tx *tx);
/* Delete the packages and rows of the repository's sources not named in keep
 * (components dropped from the catalog, or left by an earlier --from crawl). */
int pf_store_crawl_prune(pf_crawl_tx *tx, const char *const *keep, size_t nkeep);
/* Add one package to the current source (prepared statement, no per-row parsing). */
int pf_store_crawl_add(pf_crawl_tx *tx, const pf_record *rec);
/* Packages added so far. */
long pf_store_crawl_count(const pf_crawl_tx *tx);
/* Write the crawl row, update the repository, COMMIT, free tx. */
int pf_store_crawl_commit(pf_crawl_tx *tx, const pf_crawl_info *info, char *err, size_t errlen);
/* ROLLBACK and free tx: the snapshot is as before. */
void pf_store_crawl_abort(pf_crawl_tx *tx);
/* Record an attempt that changed nothing (failed or not_modified) in its own transaction. */
int pf_store_crawl_record(pf_store *st, const char *repo_id, const pf_crawl_info *info);

/* ---- analysis ---------------------------------------------------------- */

/* One package as the analyzer reads it. */
typedef struct pf_pkg_row {
    int64_t id;
    const char *repo_id; /* repository name */
    const char *srcname, *binnames, *raw_version, *maintainers, *homepage, *category, *summary;
    unsigned pflags; /* flags the parser set */
    /* the previous analysis' results (NULL / 0 before the first), so unchanged
     * rows need not be written again */
    const char *project, *version;
    unsigned flags;
    int status;
    const char *best;            /* staleness: best version it lacked, NULL none */
    long newer;                  /* distinct newer versions, -1 none */
    int64_t behind_since;        /* first sighting of the next newer version, 0 unknown */
    const char *flavor, *branch; /* what the rules gave it, NULL none */
} pf_pkg_row;
typedef int (*pf_pkg_row_fn)(void *ctx, const pf_pkg_row *row);
/* Every package of every repository, ordered by repository. */
int pf_store_each_package(pf_store *st, pf_pkg_row_fn fn, void *ctx);

/* Incremental analysis reads. */
/* Packages no analysis has seen yet (inserted by crawls since), by id. */
int pf_store_each_new_package(pf_store *st, pf_pkg_row_fn fn, void *ctx);
/* The analyzed packages of each of projects[0..n), project after project. */
int pf_store_each_package_of(pf_store *st, const char *const *projects, size_t n, pf_pkg_row_fn fn,
                             void *ctx);
/* How many analyzed packages projects[0..n) have (index only); the count
 * stops once past limit. -1 on error. */
long pf_store_count_packages_of(pf_store *st, const char *const *projects, size_t n, long limit);
/* The same rows as pf_store_each_package_of for the projects keep() keeps
 * (keep gets the project's name and length; nonzero keeps), in rowid order:
 * one pass over every stored result, cheaper than project by project once
 * the projects hold a few percent of all packages. */
typedef int (*pf_keep_fn)(void *ctx, const char *project, size_t len);
int pf_store_each_package_if(pf_store *st, pf_keep_fn keep, void *kctx, pf_pkg_row_fn fn,
                             void *ctx);
/* Streaming (full) analysis reads. */
/* Every analyzed package (project not NULL), project after project, in the
 * byte order of the names (the order of pf_store_each_seen_range); the rule
 * inputs (srcname, binnames, raw_version, maintainers, homepage, category,
 * summary) are NULL: the analysis results only. */
int pf_store_each_package_by_project(pf_store *st, pf_pkg_row_fn fn, void *ctx);
/* Analyzed packages crawls deleted since the last analysis, with what it
 * made of them (rows with id 0). */
int pf_store_each_gone(pf_store *st, pf_pkg_row_fn fn, void *ctx);
/* Per (repository, project) with an outdated package of known lag: the
 * latest first sighting of a next newer version not after `now` (= the
 * smallest lag). */
typedef int (*pf_lag_fn)(void *ctx, const char *repo_id, int64_t behind_since);
int pf_store_each_lag(pf_store *st, int64_t now, pf_lag_fn fn, void *ctx);
/* The maintainers field of every analyzed, not removed package of a repository. */
typedef int (*pf_text_fn)(void *ctx, const char *text);
int pf_store_each_maintainers(pf_store *st, const char *repo_id, pf_text_fn fn, void *ctx);
/* Rows crawls deleted and inserted since the last analysis, and all rows. */
int pf_store_pending(pf_store *st, int64_t *gone, int64_t *fresh, int64_t *total);

/* A read transaction around many queries: one snapshot, and one lock taken
 * instead of one per statement. pf_store_read_end ends it (no writes may
 * happen in between). 0 or -1. */
int pf_store_read_begin(pf_store *st);
int pf_store_read_end(pf_store *st);
/* A value of the meta table into buf: 1 found, 0 absent, -1 error. */
int pf_store_meta(pf_store *st, const char *key, char *buf, size_t len);

/*
 * Per-repository statistics of one analysis run: Repology's counters (its
 * repositories table and statistics page; repology-model.md section 2) plus
 * pkgfresh's days behind. Project counts, per (repository, project):
 *   num_projects     a package here
 *   num_unique       only one family has the project
 *   num_newest       not unique, a newest or devel package, no outdated one
 *                    (Repology's num_metapackages_newest, the map's y axis)
 *   num_outdated     an outdated package (legacy ones do not count)
 *   num_comparable   newest, or outdated, or an incorrect package
 *   num_problematic  an ignored, incorrect or untrusted package
 * The statistics page's percentages come from pf_stats_pct: newest % and
 * outdated % of num_comparable, unique % and problematic % of num_projects.
 */
typedef struct pf_repo_stats {
    const char *repo_id;
    long num_packages;
    long pkg_status[16]; /* packages per status (index = enum pf_status) */
    long num_projects;
    long num_unique, num_newest, num_outdated, num_comparable, num_problematic;
    long num_maintainers;
    double median_lag_days, p90_lag_days; /* -1 when unknown */
} pf_repo_stats;

/* A statistics percentage: 100 * part / whole, -1 when whole is 0 (or a
 * count is unknown, -1): e.g. newest % = pf_stats_pct(s->num_newest,
 * s->num_comparable). */
double pf_stats_pct(long part, long whole);

typedef struct pf_analysis_tx pf_analysis_tx;
pf_analysis_tx *pf_store_analysis_begin(pf_store *st, int64_t now, char *err, size_t errlen);
/* The same; streaming != 0: the analysis reads the packages back in project
 * order inside the transaction, so the project index stays in place. */
pf_analysis_tx *pf_store_analysis_begin_mode(pf_store *st, int64_t now, int streaming, char *err,
                                             size_t errlen);
/* One package's analysis (project NULL = not matched), staleness cleared. */
int pf_store_analysis_set(pf_analysis_tx *tx, int64_t pkg_id, const char *project,
                          const char *version, unsigned flags, int status);
/* Only the status and staleness of a package whose rule results (project,
 * version, flags, flavor, branch) stay as stored: the narrower UPDATE leaves
 * result_project alone. */
int pf_store_analysis_set_status(pf_analysis_tx *tx, int64_t pkg_id, int status, const char *best,
                                 long newer, int64_t behind_since);
/* Only the best version and the count of newer versions of a package whose
 * rule results, status and days behind stay as stored: the narrowest UPDATE,
 * which leaves result_behind alone too. */
int pf_store_analysis_set_best(pf_analysis_tx *tx, int64_t pkg_id, const char *best, long newer);
/* The same with staleness (outdated packages): best version it lacks (NULL
 * none), distinct newer versions (-1 none), first sighting anywhere of the
 * next newer version (0 unknown; days behind are derived from it). */
int pf_store_analysis_set_all(pf_analysis_tx *tx, int64_t pkg_id, const char *project,
                              const char *version, unsigned flags, int status, const char *best,
                              long newer, int64_t behind_since, const char *flavor,
                              const char *branch);
/* Switch the transaction to rebuild mode (an analysis rewriting many rows'
 * projects): the per-row project bookkeeping stops and the commit recounts
 * every project. While a read of the packages is under way only the
 * trigger goes; called again between reads, the partial indexes go too
 * (streaming keeps result_project). 0, or -1. */
int pf_store_analysis_rebuild(pf_analysis_tx *tx);
/* The analysis knows, and gives through pf_store_analysis_summary, the
 * counts of every project whose packages it changed; every other project a
 * crawl dirtied since the last analysis kept its counts (an incremental
 * analysis: a deleted package taken back by an equal new one). The commit
 * then trusts them instead of recounting every dirty project from the
 * package table. No effect when the commit recounts everything (a first
 * analysis). Call it before writing packages; 0, or -1 on error. */
int pf_store_analysis_summary_known(pf_analysis_tx *tx);
/* In rebuild mode (see pf_store_analysis_rebuild), the analysis gives the
 * counts of every project there is, each once, in the order of their
 * names' bytes (a streaming analysis reads every package in that order),
 * and the commit takes them instead of recounting: 1 then, 0 when not in
 * rebuild mode (the commit counts as before), -1 on error. Call it before
 * the first pf_store_analysis_summary. */
int pf_store_analysis_summary_all(pf_analysis_tx *tx);
/* One project's repositories and packages after this analysis (0 packages:
 * its summary row goes). */
int pf_store_analysis_summary(pf_analysis_tx *tx, const char *project, long repos, long packages);
/* Remember a fact about the results (meta table: the rules digest). */
int pf_store_analysis_meta(pf_analysis_tx *tx, const char *key, const char *value);
/* Size the page cache (kilobytes) and the memory map (bytes, < 0 kept) for
 * a big analysis; both restored at commit/abort. */
int pf_store_analysis_cache(pf_analysis_tx *tx, long kib, int64_t mmap_bytes);
int pf_store_analysis_stats(pf_analysis_tx *tx, const pf_repo_stats *s);
/* Version history changes (the analyzer diffs the stored history against
 * the snapshot): a triple seen for the first time (first_seen = this run,
 * present), and a row (by its key) that appeared again (last_seen 0 = present)
 * or disappeared (last_seen = the last analysis that saw it); trusted is
 * sticky. Rows are never deleted: the history only grows. */
int pf_store_seen_insert(pf_analysis_tx *tx, const char *project, const char *version,
                         const char *repo_id, int trusted);
int pf_store_seen_update(pf_analysis_tx *tx, const char *project, const char *version,
                         const char *repo_id, int64_t last_seen, int trusted);
int pf_store_analysis_commit(pf_analysis_tx *tx, long packages, long projects, double seconds,
                             char *err, size_t errlen);
void pf_store_analysis_abort(pf_analysis_tx *tx);

/* ---- queries ----------------------------------------------------------- */

/* A repository with its latest crawl and latest stats (stats fields -1 when never analyzed). */
typedef struct pf_repo_row {
    const char *repo_id, *family, *title, *color, *format;
    int64_t last_crawl;      /* finished time of last successful crawl, 0 never */
    const char *last_status; /* status of last attempt, or NULL */
    const char *last_error;  /* error of last attempt, or NULL */
    long crawl_packages;     /* packages in snapshot */
    int has_stats;
    pf_repo_stats stats; /* from the latest analysis run */
    int64_t stats_taken_at;
} pf_repo_row;
typedef int (*pf_repo_row_fn)(void *ctx, const pf_repo_row *row);
/* Repositories known to the database, by id. */
int pf_store_each_repo(pf_store *st, pf_repo_row_fn fn, void *ctx);

/* Every statistics row (one per analysis run) of repo_id, or of all repositories
 * when NULL, ordered by repository then run (the history trends draw): the
 * repository id, taken_at, the project counters and the lags; the package
 * counts (num_packages, pkg_status, num_maintainers) are -1, and the catalog
 * and crawl fields empty. */
int pf_store_each_history(pf_store *st, const char *repo_id, pf_repo_row_fn fn, void *ctx);

/* Current packages of one repository, by srcname then version. */
typedef struct pf_pkg_view {
    const char *repo_id, *srcname, *raw_version, *version, *project, *maintainers, *homepage;
    unsigned flags;
    int status;
    const char *best_version; /* outdated: the best version it lacks, else NULL */
    long newer_versions;      /* outdated: distinct newer versions, else -1 */
    double lag_days;          /* outdated: days behind, -1 unknown */
    const char *family;       /* the repository's family */
    const char *binnames;     /* binary names; nixpkgs: pname, the project seed */
} pf_pkg_view;
typedef int (*pf_pkg_view_fn)(void *ctx, const pf_pkg_view *row);
int pf_store_each_repo_package(pf_store *st, const char *repo_id, pf_pkg_view_fn fn, void *ctx);
/* Analyzed packages of one repository, in no particular order; only project,
 * version, raw_version, flags, status, lag_days and family are set. */
int pf_store_each_repo_analyzed(pf_store *st, const char *repo_id, pf_pkg_view_fn fn, void *ctx);
/* Outdated packages of one repository, most days behind first (unknown last). */
int pf_store_each_outdated(pf_store *st, const char *repo_id, pf_pkg_view_fn fn, void *ctx);
/* Projects whose name contains text, with the number of repositories having them. */
typedef int (*pf_project_fn)(void *ctx, const char *project, long repositories, long packages);
int pf_store_search_projects(pf_store *st, const char *text, pf_project_fn fn, void *ctx);
/* Every project name with packages, in name order (the index of
 * project_summary alone: "did you mean" reads only names). */
int pf_store_each_project_name(pf_store *st, pf_text_fn fn, void *ctx);
/* Every package of a project across repositories. */
int pf_store_each_project_package(pf_store *st, const char *project, pf_pkg_view_fn fn, void *ctx);
/* Every package of a project in no particular order, only version, flags,
 * status and family set; fn returning nonzero stops the read (that value is
 * returned). */
int pf_store_each_project_flags(pf_store *st, const char *project, pf_pkg_view_fn fn, void *ctx);

/* One row of the version history. */
typedef struct pf_seen_row {
    const char *project, *version, *repo_id;
    int64_t first_seen; /* first sighting in this repository */
    int64_t last_seen;  /* last analysis that saw it; 0 = present in the newest one */
    int trusted;        /* ever seen there with a trusted status */
} pf_seen_row;
typedef int (*pf_seen_fn)(void *ctx, const pf_seen_row *row);
/* Every (project, version, repository) ever recorded, ordered by project and
 * version. */
int pf_store_each_seen(pf_store *st, pf_seen_fn fn, void *ctx);
/* The same for each of projects[0..n), project after project. */
int pf_store_each_seen_of(pf_store *st, const char *const *projects, size_t n, pf_seen_fn fn,
                          void *ctx);

/* The same for the projects after `after` up to `upto` (NULL: unbounded),
 * in the same order. */
int pf_store_each_seen_range(pf_store *st, const char *after, const char *upto, pf_seen_fn fn,
                             void *ctx);

/* Rows first seen after `since` and present in the newest analysis (what
 * each repository gained since an earlier analysis), same order. */
int pf_store_each_seen_since(pf_store *st, int64_t since, pf_seen_fn fn, void *ctx);

/* Unix time of the first analysis run, 0 if none (where the history starts). */
int64_t pf_store_first_analysis(pf_store *st);

/* Unix time of the latest analysis run, 0 if none. */
int64_t pf_store_last_analysis(pf_store *st);
/* Projects the latest analysis run counted, 0 if none. */
int64_t pf_store_last_run_projects(pf_store *st);

/* ---- maintenance (gc.c) ------------------------------------------------ */

/* What pf_store_gc removed, and the file's size (and free pages) around it. */
typedef struct pf_gc_result {
    long crawls, runs, stats_rows, seen_rows;
    int64_t bytes_before, free_before, bytes_after, free_after;
} pf_gc_result;
/* Drop history older than `before` (unix seconds): crawl rows (each
 * repository keeps its latest of each status), statistics rows and analysis
 * runs (the first and the latest run stay), version history of projects no
 * package has any more. Never the snapshot, never what an analysis reads for
 * current projects. One transaction; then VACUUM when vacuum != 0. */
int pf_store_gc(pf_store *st, int64_t before, int vacuum, pf_gc_result *res);
/* A compact, consistent copy of the database at path (VACUUM INTO; path
 * must not exist). */
int pf_store_backup(pf_store *st, const char *path);
/* This connection will read each page once at most (one project, the
 * statistics, a comparison, a search): read them with pread instead of
 * through the memory map, into a small (2 MiB) page cache. 0 or -1
 * (pf_store_errmsg). */
int pf_store_read_few(pf_store *st);

#endif
