/*
 * schema.c — the numbered schema migrations.
 *
 * Invariants:
 *  - Migration N brings a database from user_version N-1 to N. A published
 *    migration is never edited; schema changes append a new one.
 *  - Each migration is a NULL-terminated array of single statements, run in
 *    order inside one transaction by db.c (which then sets user_version).
 *  - Times are unix seconds (INTEGER). Status counts, flags: INTEGER.
 *  - A source's current packages occupy exactly the rowid range
 *    [source.pkg_first, source.pkg_last] (see crawl.c); no index on
 *    package.source_id is needed to replace them.
 *  - Every package row has exactly one pkg_result row with the same id
 *    (schema 11): the crawl inserts both, the trigger package_gone deletes
 *    the result with the package.
 */
#include <stddef.h>

#include "internal.h"

/* Version 1: repositories, sources, crawl history, package snapshot, analysis runs,
 * per-repository statistics history, version sightings. */
static const char *const migration_1[] = {
    "CREATE TABLE repository ("
    " id INTEGER PRIMARY KEY,"
    " name TEXT UNIQUE NOT NULL,"
    " family TEXT,"
    " shortname TEXT,"
    " title TEXT,"
    " color TEXT,"
    " format TEXT,"
    " is_default INTEGER NOT NULL DEFAULT 0,"
    " first_seen INTEGER NOT NULL DEFAULT 0,"
    " last_success INTEGER NOT NULL DEFAULT 0)",

    "CREATE TABLE source ("
    " id INTEGER PRIMARY KEY,"
    " repository_id INTEGER NOT NULL REFERENCES repository(id),"
    " name TEXT NOT NULL,"
    " url TEXT,"
    " etag TEXT,"
    " last_modified TEXT,"
    " checksum TEXT,"
    " pkg_first INTEGER," /* rowid range of this source's packages, NULL when none */
    " pkg_last INTEGER,"
    " UNIQUE(repository_id, name))",

    "CREATE TABLE crawl ("
    " id INTEGER PRIMARY KEY,"
    " repository_id INTEGER NOT NULL REFERENCES repository(id),"
    " started INTEGER NOT NULL,"
    " finished INTEGER NOT NULL,"
    " status TEXT NOT NULL CHECK (status IN ('ok', 'not_modified', 'failed')),"
    " http_status INTEGER,"
    " etag TEXT,"
    " last_modified TEXT,"
    " content_hash TEXT,"
    " bytes INTEGER NOT NULL DEFAULT 0,"
    " packages INTEGER NOT NULL DEFAULT 0,"
    " error TEXT)",
    "CREATE INDEX crawl_repository ON crawl(repository_id, id)",

    /* No REFERENCES here on purpose: rows are written only by crawl.c with ids
     * it has just looked up in the same transaction, and per-row foreign key
     * checks cost ~10% of the bulk insert. */
    "CREATE TABLE package ("
    " id INTEGER PRIMARY KEY,"
    " repository_id INTEGER NOT NULL,"
    " source_id INTEGER NOT NULL,"
    " srcname TEXT NOT NULL,"
    " binnames TEXT,"
    " raw_version TEXT NOT NULL,"
    " pflags INTEGER NOT NULL DEFAULT 0,"
    " version TEXT,"
    " project TEXT,"
    " flags INTEGER NOT NULL DEFAULT 0,"
    " status INTEGER NOT NULL DEFAULT 0,"
    " maintainers TEXT,"
    " homepage TEXT,"
    " license TEXT,"
    " category TEXT,"
    " summary TEXT)",
    "CREATE INDEX package_repository ON package(repository_id, srcname)",
    /* partial: rows fresh from a crawl (project NULL) cost no index work until analyzed;
     * "project = ?" lookups can still use it */
    "CREATE INDEX package_project ON package(project) WHERE project IS NOT NULL",

    "CREATE TABLE analysis_run ("
    " id INTEGER PRIMARY KEY,"
    " taken_at INTEGER NOT NULL,"
    " packages INTEGER NOT NULL DEFAULT 0,"
    " projects INTEGER NOT NULL DEFAULT 0,"
    " seconds REAL NOT NULL DEFAULT 0)",

    /* pkg_<status>: packages per status; num_*: projects (Repology's counters).
     * freshness / lag columns are NULL when unknown. */
    "CREATE TABLE repo_stats ("
    " run_id INTEGER NOT NULL REFERENCES analysis_run(id),"
    " repository_id INTEGER NOT NULL REFERENCES repository(id),"
    " taken_at INTEGER NOT NULL,"
    " num_packages INTEGER NOT NULL DEFAULT 0,"
    " pkg_newest INTEGER NOT NULL DEFAULT 0,"
    " pkg_outdated INTEGER NOT NULL DEFAULT 0,"
    " pkg_ignored INTEGER NOT NULL DEFAULT 0,"
    " pkg_unique INTEGER NOT NULL DEFAULT 0,"
    " pkg_devel INTEGER NOT NULL DEFAULT 0,"
    " pkg_legacy INTEGER NOT NULL DEFAULT 0,"
    " pkg_incorrect INTEGER NOT NULL DEFAULT 0,"
    " pkg_untrusted INTEGER NOT NULL DEFAULT 0,"
    " pkg_noscheme INTEGER NOT NULL DEFAULT 0,"
    " pkg_rolling INTEGER NOT NULL DEFAULT 0,"
    " num_projects INTEGER NOT NULL DEFAULT 0,"
    " num_unique INTEGER NOT NULL DEFAULT 0,"
    " num_newest INTEGER NOT NULL DEFAULT 0,"
    " num_outdated INTEGER NOT NULL DEFAULT 0,"
    " num_comparable INTEGER NOT NULL DEFAULT 0,"
    " num_problematic INTEGER NOT NULL DEFAULT 0,"
    " num_fresh INTEGER NOT NULL DEFAULT 0,"
    " num_maintainers INTEGER NOT NULL DEFAULT 0,"
    " freshness REAL,"
    " median_lag_days REAL,"
    " p90_lag_days REAL,"
    " PRIMARY KEY(run_id, repository_id))",
    "CREATE INDEX repo_stats_repository ON repo_stats(repository_id, run_id)",

    "CREATE TABLE version_seen ("
    " project TEXT NOT NULL,"
    " version TEXT NOT NULL,"
    " repository_id INTEGER NOT NULL REFERENCES repository(id),"
    " first_seen INTEGER NOT NULL,"
    " last_seen INTEGER NOT NULL,"
    " PRIMARY KEY(project, version, repository_id))",
    NULL,
};

/*
 * Version 2: staleness. Per package the best version it lacks, how many
 * distinct newer versions exist and how many days it is behind (NULL =
 * unknown); version_seen remembers whether a version was ever seen with a
 * trusted status (not ignored / incorrect / untrusted / noscheme / rolling),
 * the only ones staleness counts.
 */
static const char *const migration_2[] = {
    "ALTER TABLE package ADD COLUMN best_version TEXT",
    "ALTER TABLE package ADD COLUMN newer_versions INTEGER",
    "ALTER TABLE package ADD COLUMN lag_days REAL",
    "ALTER TABLE version_seen ADD COLUMN trusted INTEGER NOT NULL DEFAULT 0",
    "CREATE INDEX version_seen_repo ON version_seen(repository_id)",
    NULL,
};

/*
 * Version 3: the snapshot size per repository, kept by every committed crawl,
 * so listing repositories does not count 1.5 million package rows each time.
 */
static const char *const migration_3[] = {
    "ALTER TABLE repository ADD COLUMN num_packages INTEGER NOT NULL DEFAULT 0",
    "UPDATE repository SET num_packages ="
    " (SELECT COUNT(*) FROM package p WHERE p.repository_id = repository.id)",
    NULL,
};

/*
 * Version 4: analysis results that do not change week to week, so a re-run
 * rewrites only what changed.
 *  - package.behind_since (the first sighting anywhere of the next newer
 *    version) replaces lag_days, which grew with every run's "now"; queries
 *    derive days behind from the newest analysis_run.taken_at.
 *  - version_seen.last_seen becomes NULL for versions present in the newest
 *    analysis (else: the taken_at of the last analysis that saw them), so a
 *    version still present costs no write.
 */
static const char *const migration_4[] = {
    "ALTER TABLE package ADD COLUMN behind_since INTEGER",
    "UPDATE package SET behind_since = (SELECT MAX(taken_at) FROM analysis_run)"
    " - CAST(round(lag_days * 86400) AS INTEGER) WHERE lag_days IS NOT NULL",
    "ALTER TABLE package DROP COLUMN lag_days",
    "CREATE TABLE version_seen_4 ("
    " project TEXT NOT NULL,"
    " version TEXT NOT NULL,"
    " repository_id INTEGER NOT NULL REFERENCES repository(id),"
    " first_seen INTEGER NOT NULL,"
    " last_seen INTEGER," /* NULL: present in the newest analysis */
    " trusted INTEGER NOT NULL DEFAULT 0,"
    " PRIMARY KEY(project, version, repository_id))",
    "INSERT INTO version_seen_4 SELECT project, version, repository_id, first_seen,"
    " CASE WHEN last_seen >= (SELECT MAX(taken_at) FROM analysis_run) THEN NULL"
    " ELSE last_seen END, trusted FROM version_seen ORDER BY project, version, repository_id",
    "DROP TABLE version_seen",
    "ALTER TABLE version_seen_4 RENAME TO version_seen",
    "CREATE INDEX version_seen_repo ON version_seen(repository_id)",
    NULL,
};

/*
 * Version 5: statistics in Repology's words. repo_stats.num_newest becomes
 * Repology's num_metapackages_newest (not unique, a newest or devel package,
 * no outdated one), which schema 1-4 stored as num_fresh: that column is
 * renamed, so old history rows keep their figure under the new name. The
 * former num_newest (also counting unique projects: a mix Repology's
 * statistics do not show) is dropped, and so is freshness, which is
 * 100 * num_newest / num_comparable and is now computed when read.
 */
static const char *const migration_5[] = {
    "ALTER TABLE repo_stats DROP COLUMN num_newest",
    "ALTER TABLE repo_stats RENAME COLUMN num_fresh TO num_newest",
    "ALTER TABLE repo_stats DROP COLUMN freshness",
    NULL,
};

/*
 * Version 6: incremental analysis.
 *  - package.flavor / package.branch: the rest of what the rules made of a
 *    package, so an analysis can classify a project without applying the
 *    rules to its unchanged packages again (NULL = none).
 *  - package_new: the rows no analysis has seen yet (a crawl's inserts).
 *  - pkg_gone: each analyzed package a crawl deleted, with what the
 *    analysis made of it (a trigger fills it; every analysis empties it):
 *    the statistics are updated by difference, and a package the crawl
 *    inserted again unchanged takes its results back without the rules.
 *  - package_behind: outdated packages with a known lag, per repository and
 *    project (the lag percentiles without reading the snapshot).
 *  - meta: the digest of the rules, catalog and code the stored results
 *    were computed with; a different one forces a full analysis.
 */
static const char *const migration_6[] = {
    "ALTER TABLE package ADD COLUMN flavor TEXT",
    "ALTER TABLE package ADD COLUMN branch TEXT",
    "CREATE INDEX package_new ON package(repository_id) WHERE version IS NULL AND flags = 0",
    "CREATE INDEX package_behind ON package(repository_id, project, behind_since)"
    " WHERE status = 2 AND behind_since IS NOT NULL",
    "CREATE TABLE pkg_gone ("
    " repository_id INTEGER NOT NULL,"
    " srcname TEXT NOT NULL,"
    " binnames TEXT,"
    " raw_version TEXT NOT NULL,"
    " pflags INTEGER NOT NULL,"
    " maintainers TEXT,"
    " homepage TEXT,"
    " category TEXT,"
    " summary TEXT,"
    " project TEXT NOT NULL,"
    " version TEXT,"
    " flags INTEGER NOT NULL,"
    " status INTEGER NOT NULL,"
    " best_version TEXT,"
    " newer_versions INTEGER,"
    " behind_since INTEGER,"
    " flavor TEXT,"
    " branch TEXT)",
    "CREATE TRIGGER package_gone AFTER DELETE ON package WHEN old.project IS NOT NULL"
    " BEGIN INSERT INTO pkg_gone VALUES (old.repository_id, old.srcname, old.binnames,"
    " old.raw_version, old.pflags, old.maintainers, old.homepage, old.category, old.summary,"
    " old.project, old.version, old.flags, old.status, old.best_version, old.newer_versions,"
    " old.behind_since, old.flavor, old.branch); END",
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    NULL,
};

/*
 * Version 7: interactive queries on a Repology-sized store.
 *  - project_summary: per project, how many repositories and packages have
 *    it (what `search` lists and `project` suggests from), so those read one
 *    row per project instead of every package. A row's name never changes:
 *    rows are inserted and deleted (the triggers below keep project_name in
 *    step), and only their counts are updated in place.
 *  - project_name: a trigram index (FTS5, external content) of those names:
 *    `search TEXT` with 3 or more characters reads the names that contain
 *    TEXT's trigrams instead of every name (600k names: 0.4 ms instead of
 *    about 55 ms; about 42 bytes a name).
 *  - project_dirty: names whose summary row may be stale: a trigger adds a
 *    package's project when the package is deleted or its project changes.
 *    Queries count these names from the package table; every analysis
 *    refreshes their summary rows at its commit (store/analysis.c) and empties
 *    this table. So a summary row is always exact or marked dirty. An
 *    analysis that names most packages for the first time recounts every
 *    project instead (one pass over package_project) with the triggers
 *    standing aside: per-row bookkeeping would cost it about half again.
 *  - package_project gains repository_id: counting a project's repositories
 *    reads the index alone (recounting every project of 1 M packages: 6.8 s
 *    through table rows, 0.46 s from the index) for 0.4 % more index.
 */
static const char *const migration_7[] = {
    "DROP INDEX package_project",
    "CREATE INDEX package_project ON package(project, repository_id) WHERE project IS NOT NULL",
    "CREATE TABLE project_summary ("
    " id INTEGER PRIMARY KEY,"
    " name TEXT UNIQUE NOT NULL,"
    " repos INTEGER NOT NULL,"
    " packages INTEGER NOT NULL)",
    "CREATE VIRTUAL TABLE project_name USING fts5(name, content='project_summary',"
    " content_rowid='id', tokenize='trigram', detail='none')",
    "INSERT INTO project_summary(name, repos, packages) SELECT project,"
    " COUNT(DISTINCT repository_id), COUNT(*) FROM package WHERE project IS NOT NULL"
    " GROUP BY project",
    "INSERT INTO project_name(project_name) VALUES ('rebuild')",
    "CREATE TABLE project_dirty (name TEXT PRIMARY KEY) WITHOUT ROWID",
    /* While meta has 'project_summary_rebuild' (an analysis that names most
     * packages for the first time), the per-row triggers stand aside and the
     * analysis recounts everything at its commit. */
    "CREATE TRIGGER project_summary_add AFTER INSERT ON project_summary"
    " WHEN NOT EXISTS (SELECT 1 FROM meta WHERE key = 'project_summary_rebuild')"
    " BEGIN INSERT INTO project_name(rowid, name) VALUES (new.id, new.name); END",
    "CREATE TRIGGER project_summary_drop AFTER DELETE ON project_summary"
    " WHEN NOT EXISTS (SELECT 1 FROM meta WHERE key = 'project_summary_rebuild')"
    " BEGIN INSERT INTO project_name(project_name, rowid, name)"
    " VALUES ('delete', old.id, old.name); END",
    "CREATE TRIGGER project_gone AFTER DELETE ON package WHEN old.project IS NOT NULL"
    " BEGIN INSERT OR IGNORE INTO project_dirty VALUES (old.project); END",
    "CREATE TRIGGER project_moved AFTER UPDATE OF project ON package"
    " WHEN old.project IS NOT new.project"
    " AND NOT EXISTS (SELECT 1 FROM meta WHERE key = 'project_summary_rebuild')"
    " BEGIN INSERT OR IGNORE INTO project_dirty SELECT old.project WHERE old.project IS NOT NULL;"
    " INSERT OR IGNORE INTO project_dirty SELECT new.project WHERE new.project IS NOT NULL; END",
    NULL,
};

/*
 * Version 8: the trigram index of project names keeps no per-name sizes
 * (FTS5 columnsize=0). Search only asks which names hold a text's trigrams,
 * it never ranks, so the sizes were written for nothing: about 10 bytes a
 * name, and a first analysis rebuilding the index of 74k names spends
 * 0.11 s instead of 0.16 s.
 */
static const char *const migration_8[] = {
    "DROP TABLE project_name",
    "CREATE VIRTUAL TABLE project_name USING fts5(name, content='project_summary',"
    " content_rowid='id', tokenize='trigram', detail='none', columnsize=0)",
    "INSERT INTO project_name(project_name) VALUES ('rebuild')",
    NULL,
};

/*
 * Version 9: a smaller store at Repology's size. version_seen_repo
 * (version_seen by repository) serves no query: history is read by project
 * (the primary key's prefix), by first sighting or whole, and repositories
 * are never deleted, so the foreign key never looks it up. On the 5 M-package
 * universe it held about 12 bytes per history row, 60 MB for 5 M rows, and
 * grows with every version a repository ever had. Self-contained (IF EXISTS),
 * so it may be renumbered.
 */
static const char *const migration_9[] = {
    "DROP INDEX IF EXISTS version_seen_repo",
    NULL,
};

/*
 * Version 10: package_behind holds status too. The index is partial (status
 * = 2), but SQLite before 3.45 does not count a column of the index's WHERE
 * as covered, so reading the lags through it looked up every row in the
 * table (5 M packages, 2 M lags: 1.9 s; covering, in index order: 0.5 s).
 * Self-contained, so it may be renumbered.
 */
static const char *const migration_10[] = {
    "DROP INDEX IF EXISTS package_behind",
    "CREATE INDEX package_behind ON package(repository_id, project, behind_since, status)"
    " WHERE status = 2 AND behind_since IS NOT NULL",
    NULL,
};

/* A trigger's statement keeping what the analysis made of the package row
 * `old` in pkg_gone (analyzed rows only): for package_gone (schema 11) and
 * package_replaced (13). */
#define KEEP_GONE                                                                                  \
    " INSERT INTO pkg_gone SELECT old.repository_id, old.srcname, old.binnames,"                   \
    " old.raw_version, old.pflags, old.maintainers, old.homepage, old.category, old.summary,"      \
    " r.project, r.version, r.flags, r.status, r.best_version, r.newer_versions,"                  \
    " r.behind_since, r.flavor, r.branch FROM pkg_result r"                                        \
    " WHERE r.id = old.id AND r.project IS NOT NULL;"

/*
 * Version 11: the analysis results in a table of their own. package keeps
 * what a crawl stores (written once, read by the rules); pkg_result, one
 * row per package with the same id, holds what the analysis makes of it:
 * project, version, flags, flavor, branch (the rule results, cached per
 * package) and status and staleness (the classification). An analysis
 * rewrites results, not crawl data: a result row is about a fifth of a
 * package row (5 M packages: about 45 against 190 bytes), so the rows an
 * incremental analysis changes dirty that many fewer pages, and pass 2 of a
 * full one reads that many fewer. The crawl inserts a result row with each
 * package (no project: new to analysis); deleting a package deletes its
 * result row (the trigger package_gone, which also keeps what the analysis
 * had made of it in pkg_gone). The partial indexes move with the columns:
 * result_project, result_new and result_behind are package_project,
 * package_new and package_behind of schema 7, 6 and 10.
 */
static const char *const migration_11[] = {
    "DROP TRIGGER IF EXISTS package_gone",
    "DROP TRIGGER IF EXISTS project_gone",
    "DROP TRIGGER IF EXISTS project_moved",
    "DROP INDEX IF EXISTS package_project",
    "DROP INDEX IF EXISTS package_new",
    "DROP INDEX IF EXISTS package_behind",
    "CREATE TABLE pkg_result ("
    " id INTEGER PRIMARY KEY," /* package.id */
    " repository_id INTEGER NOT NULL,"
    " project TEXT,"
    " version TEXT,"
    " flags INTEGER NOT NULL DEFAULT 0,"
    " status INTEGER NOT NULL DEFAULT 0,"
    " best_version TEXT,"
    " newer_versions INTEGER,"
    " behind_since INTEGER,"
    " flavor TEXT,"
    " branch TEXT)",
    "INSERT INTO pkg_result SELECT id, repository_id, project, version, flags, status,"
    " best_version, newer_versions, behind_since, flavor, branch FROM package ORDER BY id",
    "CREATE TABLE package_11 ("
    " id INTEGER PRIMARY KEY,"
    " repository_id INTEGER NOT NULL,"
    " source_id INTEGER NOT NULL,"
    " srcname TEXT NOT NULL,"
    " binnames TEXT,"
    " raw_version TEXT NOT NULL,"
    " pflags INTEGER NOT NULL DEFAULT 0,"
    " maintainers TEXT,"
    " homepage TEXT,"
    " license TEXT,"
    " category TEXT,"
    " summary TEXT)",
    "INSERT INTO package_11 SELECT id, repository_id, source_id, srcname, binnames, raw_version,"
    " pflags, maintainers, homepage, license, category, summary FROM package ORDER BY id",
    "DROP TABLE package",
    "ALTER TABLE package_11 RENAME TO package",
    "CREATE INDEX package_repository ON package(repository_id, srcname)",
    "CREATE INDEX result_project ON pkg_result(project, repository_id) WHERE project IS NOT NULL",
    "CREATE INDEX result_new ON pkg_result(repository_id) WHERE version IS NULL AND flags = 0",
    "CREATE INDEX result_behind ON pkg_result(repository_id, project, behind_since, status)"
    " WHERE status = 2 AND behind_since IS NOT NULL",
    "CREATE TRIGGER package_gone AFTER DELETE ON package BEGIN" KEEP_GONE
    " DELETE FROM pkg_result WHERE id = old.id; END",
    "CREATE TRIGGER project_gone AFTER DELETE ON pkg_result WHEN old.project IS NOT NULL"
    " BEGIN INSERT OR IGNORE INTO project_dirty VALUES (old.project); END",
    "CREATE TRIGGER project_moved AFTER UPDATE OF project ON pkg_result"
    " WHEN old.project IS NOT new.project"
    " AND NOT EXISTS (SELECT 1 FROM meta WHERE key = 'project_summary_rebuild')"
    " BEGIN INSERT OR IGNORE INTO project_dirty SELECT old.project WHERE old.project IS NOT NULL;"
    " INSERT OR IGNORE INTO project_dirty SELECT new.project WHERE new.project IS NOT NULL; END",
    NULL,
};

/*
 * Version 12: the version history without rowids. version_seen was a rowid
 * table beside the index of its primary key (project, version, repository),
 * which holds the same columns but two: on the 5 M-package universe 297 MB
 * of table and 238 MB of index. WITHOUT ROWID it is that one B-tree, in the
 * key's order, which is the order every read wants (by project, whole or a
 * range); rows are updated by their key.
 */
static const char *const migration_12[] = {
    "CREATE TABLE version_seen_12 ("
    " project TEXT NOT NULL,"
    " version TEXT NOT NULL,"
    " repository_id INTEGER NOT NULL REFERENCES repository(id),"
    " first_seen INTEGER NOT NULL,"
    " last_seen INTEGER," /* NULL: present in the newest analysis */
    " trusted INTEGER NOT NULL DEFAULT 0,"
    " PRIMARY KEY(project, version, repository_id)) WITHOUT ROWID",
    "INSERT INTO version_seen_12 SELECT project, version, repository_id, first_seen, last_seen,"
    " trusted FROM version_seen ORDER BY project, version, repository_id",
    "DROP TABLE version_seen",
    "ALTER TABLE version_seen_12 RENAME TO version_seen",
    NULL,
};

/*
 * Version 13: a re-crawl replaces a changed package in place. It deleted the
 * row and inserted the record at the same id (package_gone kept the old
 * results; a fresh result row followed): two changes of the package table,
 * two of package_repository and two of pkg_result for each changed
 * package. Now it updates the package row's data columns (srcname only
 * when it changed, so package_repository mostly stays), and this trigger
 * keeps the old results in pkg_gone as package_gone does and resets the
 * result row to new to analysis, as the insert made it: the analysis sees
 * the same pkg_gone and result_new rows either way. project_moved marks the
 * old project dirty, as project_gone did. Every UPDATE of a package's data
 * is such a replacement: nothing else updates package rows.
 */
static const char *const migration_13[] = {
    "CREATE TRIGGER package_replaced AFTER UPDATE ON package BEGIN" KEEP_GONE
    " UPDATE OR IGNORE pkg_result SET project = NULL, version = NULL, flags = 0, status = 0,"
    " best_version = NULL, newer_versions = NULL, behind_since = NULL, flavor = NULL,"
    " branch = NULL WHERE id = old.id; END",
    NULL,
};

/* All migrations in order; index 0 is version 1. */
static const char *const *const migrations[] = {
    migration_1, migration_2, migration_3,  migration_4,  migration_5,  migration_6,  migration_7,
    migration_8, migration_9, migration_10, migration_11, migration_12, migration_13,
};

/* Newest schema version: the number of migrations. */
int pfst_schema_latest(void)
{
    return (int)(sizeof migrations / sizeof migrations[0]);
}

/* Statements of one migration, so db.c can run them in order. */
const char *const *pfst_schema_steps(int version)
{
    if (version < 1 || version > pfst_schema_latest())
        return NULL;
    return migrations[version - 1];
}
