/*
 * test_store.c — the SQLite store: schema migrations, file mode, WAL,
 * catalog sync, crawl transactions (commit, abort, failure, per-source
 * replacement), analysis results and the query iterators.
 *
 * Each test works on a fresh database in its own tests/tmp directory and
 * checks results through the public API, cross-checked with a second raw
 * SQLite connection where the API exposes nothing (user_version, journal mode,
 * crawl history rows).
 */
#include "testutil.h"
#include "../store/internal.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "pkgfresh/store.h"

#define T0 1700000000 /* a fixed "now" for crawl times */

/* ---- helpers ----------------------------------------------------------- */

/* Path of a database file inside a fresh test directory (static buffer). */
static const char *db_path(const char *name)
{
    static char path[4][512];
    static int next;
    const char *dir = tu_tmpdir(name);
    assert_non_null(dir);
    char *p = path[next];
    next = (next + 1) % 4;
    snprintf(p, sizeof path[0], "%s/pkgfresh.db", dir);
    return p;
}

/* Open or fail the test with the store's message. */
static pf_store *open_ok(const char *path)
{
    char err[512] = "";
    pf_store *st = pf_store_open(path, err, sizeof err);
    if (!st)
        fail_msg("pf_store_open: %s", err);
    return st;
}

/* One integer from a query on the store's own connection (per-connection pragmas). */
static long long conn_int(pf_store *st, const char *sql)
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(st->db, sql, -1, &q, NULL) != SQLITE_OK)
        fail_msg("prepare %s: %s", sql, sqlite3_errmsg(st->db));
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    long long v = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return v;
}

/* One integer from a raw SQL query on a separate connection (-999 when no row). */
static long long raw_int(const char *path, const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
        fail_msg("prepare %s: %s", sql, sqlite3_errmsg(db));
    long long v = -999;
    if (sqlite3_step(q) == SQLITE_ROW)
        v = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    sqlite3_close(db);
    return v;
}

/* Run a statement on a separate read-write connection. */
static void raw_exec(const char *path, const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("exec %s: %s", sql, msg ? msg : "?");
    sqlite3_close(db);
}

/* Fill one catalog repository (strings strdup'd; freed by free_catalog). */
static void set_repo(pf_repo *r, const char *id, const char *family, const char *shortname,
                     const char *title, const char *color, const char *format, int is_default,
                     const char *src1, const char *url1, const char *src2, const char *url2)
{
    memset(r, 0, sizeof *r);
    r->id = strdup(id);
    r->family = strdup(family);
    r->shortname = shortname ? strdup(shortname) : NULL;
    r->title = strdup(title);
    r->color = strdup(color);
    r->format = strdup(format);
    r->is_default = is_default;
    r->nsources = src2 ? 2 : 1;
    r->sources = calloc(r->nsources, sizeof *r->sources);
    assert_non_null(r->sources);
    r->sources[0].name = strdup(src1);
    r->sources[0].url = strdup(url1);
    if (src2) {
        r->sources[1].name = strdup(src2);
        r->sources[1].url = strdup(url2);
    }
}

/* Two Debian-family repositories as the catalog describes them. */
static void make_catalog(pf_catalog *cat)
{
    memset(cat, 0, sizeof *cat);
    cat->nrepos = 2;
    cat->repos = calloc(cat->nrepos, sizeof *cat->repos);
    assert_non_null(cat->repos);
    set_repo(&cat->repos[0], "debian_unstable", "debuntu", "debian", "Debian Unstable", "#c70036",
             "deb-sources", 1, "main", "{mirror:debian}/dists/sid/main/source/Sources.xz",
             "contrib", "{mirror:debian}/dists/sid/contrib/source/Sources.xz");
    set_repo(&cat->repos[1], "ubuntu_24_04", "debuntu", NULL, "Ubuntu 24.04", "#e95420",
             "deb-sources", 0, "main", "{mirror:ubuntu}/dists/noble/main/source/Sources.xz",
             "universe", "{mirror:ubuntu}/dists/noble/universe/source/Sources.xz");
}

/* Open the store and sync the test catalog into it (*cat: free_catalog). */
static pf_store *open_synced(const char *path, pf_catalog *cat)
{
    pf_store *st = open_ok(path);
    make_catalog(cat);
    assert_int_equal(pf_store_sync_catalog(st, cat), 0);
    return st;
}

/* Free what make_catalog / set_repo allocated (pf_catalog_free lives elsewhere). */
static void free_catalog(pf_catalog *cat)
{
    for (size_t i = 0; i < cat->nrepos; i++) {
        pf_repo *r = &cat->repos[i];
        free(r->id);
        free(r->family);
        free(r->shortname);
        free(r->title);
        free(r->color);
        free(r->format);
        for (size_t j = 0; j < r->nsources; j++) {
            free(r->sources[j].name);
            free(r->sources[j].url);
        }
        free(r->sources);
    }
    free(cat->repos);
    memset(cat, 0, sizeof *cat);
}

/* Add one package with realistic Debian fields. */
static void add_pkg(pf_crawl_tx *tx, const char *src, const char *bins, const char *ver,
                    const char *maint)
{
    pf_record rec = {
        .srcname = src,
        .binnames = bins,
        .version = ver,
        .maintainers = maint,
        .homepage = "https://example.org/",
        .license = NULL,
        .category = "libs",
        .summary = NULL,
        .flags = 0,
    };
    assert_int_equal(pf_store_crawl_add(tx, &rec), 0);
}

/* Crawl info for a successful crawl at T0 + offset. */
static pf_crawl_info ok_info(int offset, long packages)
{
    pf_crawl_info ci = {
        .started = T0 + offset,
        .finished = T0 + offset + 5,
        .status = "ok",
        .http_status = 200,
        .etag = "\"5f3a-61c\"",
        .last_modified = "Tue, 14 Nov 2023 22:13:20 GMT",
        .content_hash = "sha256:0011",
        .bytes = 12345,
        .packages = packages,
        .error = NULL,
    };
    return ci;
}

/* Commit a crawl of debian_unstable/main with the three packages of snapshot A. */
static void crawl_snapshot_a(pf_store *st)
{
    char err[256];
    pf_crawl_tx *tx = pf_store_crawl_begin(st, "debian_unstable", err, sizeof err);
    assert_non_null(tx);
    pf_source_state ss = {.etag = "\"etag-a\"", .last_modified = "lm-a", .checksum = NULL};
    assert_int_equal(pf_store_crawl_source(tx, "main", &ss), 0);
    add_pkg(tx, "zlib", "zlib1g zlib1g-dev", "1:1.3.dfsg-3.1", "mark@debian.org");
    add_pkg(tx, "bash", "bash bash-static", "5.2.21-2", "doko@debian.org");
    add_pkg(tx, "curl", "curl libcurl4t64", "8.5.0-2", "samueloph@debian.org");
    assert_int_equal(pf_store_crawl_count(tx), 3);
    pf_crawl_info ci = ok_info(0, 3);
    assert_int_equal(pf_store_crawl_commit(tx, &ci, err, sizeof err), 0);
}

/* Collects package views as "srcname=raw_version" joined by spaces. */
typedef struct views {
    char text[8192];
    int n;
} views;

/* pf_pkg_view_fn appending to a views buffer. */
static int collect_view(void *ctx, const pf_pkg_view *v)
{
    views *vs = ctx;
    size_t len = strlen(vs->text);
    snprintf(vs->text + len, sizeof vs->text - len, "%s%s=%s", len ? " " : "", v->srcname,
             v->raw_version);
    vs->n++;
    return 0;
}

/* Copy of the fields of one repository row that tests look at. */
typedef struct repo_seen {
    const char *want;
    int found;
    char title[64], family[32], status[32], error[128];
    int64_t last_crawl, stats_taken_at;
    long crawl_packages;
    int has_stats;
    pf_repo_stats stats;
    int nrepos;
} repo_seen;

/* pf_repo_row_fn: count repositories and copy the wanted one. */
static int collect_repo(void *ctx, const pf_repo_row *r)
{
    repo_seen *rs = ctx;
    rs->nrepos++;
    if (strcmp(r->repo_id, rs->want) != 0)
        return 0;
    rs->found = 1;
    snprintf(rs->title, sizeof rs->title, "%s", r->title ? r->title : "");
    snprintf(rs->family, sizeof rs->family, "%s", r->family ? r->family : "");
    snprintf(rs->status, sizeof rs->status, "%s", r->last_status ? r->last_status : "");
    snprintf(rs->error, sizeof rs->error, "%s", r->last_error ? r->last_error : "");
    rs->last_crawl = r->last_crawl;
    rs->crawl_packages = r->crawl_packages;
    rs->has_stats = r->has_stats;
    rs->stats = r->stats;
    rs->stats.repo_id = NULL; /* not valid after the callback */
    rs->stats_taken_at = r->stats_taken_at;
    return 0;
}

/* Fetch one repository's row through pf_store_each_repo. */
static repo_seen get_repo(pf_store *st, const char *name)
{
    repo_seen rs;
    memset(&rs, 0, sizeof rs);
    rs.want = name;
    assert_int_equal(pf_store_each_repo(st, collect_repo, &rs), 0);
    return rs;
}

/* History rows as "repo@taken:projects/unique/newest/outdated/comparable/
 * problematic/median_lag/p90_lag " text; a row must leave the package
 * counts it does not read unknown (-1). */
typedef struct hist_rows {
    char text[1024];
    int n;
} hist_rows;

/* pf_repo_row_fn appending one history row to a hist_rows. */
static int collect_history(void *ctx, const pf_repo_row *r)
{
    hist_rows *h = ctx;
    size_t used = strlen(h->text);
    const pf_repo_stats *s = &r->stats;
    assert_int_equal(s->num_packages, -1);
    assert_int_equal(s->pkg_status[PF_S_OUTDATED], -1);
    assert_int_equal(s->num_maintainers, -1);
    assert_true(r->has_stats);
    snprintf(h->text + used, sizeof h->text - used, "%s@%lld:%ld/%ld/%ld/%ld/%ld/%ld/%.1f/%.1f ",
             r->repo_id, (long long)r->stats_taken_at, s->num_projects, s->num_unique,
             s->num_newest, s->num_outdated, s->num_comparable, s->num_problematic,
             s->median_lag_days, s->p90_lag_days);
    h->n++;
    return 0;
}

/* ---- migrations and connection ----------------------------------------- */

/* A new database is migrated to the latest version with every table present. */
static void test_migrate_empty(void **state)
{
    (void)state;
    const char *path = db_path("store_migrate");
    pf_store *st = open_ok(path);
    pf_store_close(st);
    assert_int_equal(raw_int(path, "PRAGMA user_version"), pfst_schema_latest());
    const char *tables[] = {"repository",   "source",     "crawl",       "package",
                            "analysis_run", "repo_stats", "version_seen"};
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        char sql[256];
        snprintf(sql, sizeof sql,
                 "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '%s'",
                 tables[i]);
        assert_int_equal(raw_int(path, sql), 1);
    }
    assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND"
                                   " name IN ('package_repository', 'result_project', 'result_new',"
                                   " 'result_behind')"),
                     4);
    /* the crawl status CHECK constraint is in force */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db,
                                      "INSERT INTO repository(name) VALUES ('x');"
                                      "INSERT INTO crawl(repository_id, started, finished, status)"
                                      " VALUES (1, 0, 0, 'bogus')",
                                      NULL, NULL, NULL),
                         SQLITE_OK);
    sqlite3_close(db);
}

/* A database left at schema 3 by an older pkgfresh keeps its data through
 * migration 4: days behind become the timestamp they were counted from, and
 * history rows present in the newest analysis get last_seen NULL. */
static void test_migrate_from_3(void **state)
{
    (void)state;
    const char *path = db_path("store_migrate3");
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    for (int v = 1; v <= 3; v++)
        for (const char *const *sql = pfst_schema_steps(v); *sql; sql++)
            assert_int_equal(sqlite3_exec(db, *sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(db,
                     "INSERT INTO repository(id, name) VALUES (1, 'debian_unstable');"
                     "INSERT INTO analysis_run(taken_at) VALUES (500000), (1000000);"
                     "INSERT INTO package(id, repository_id, source_id, srcname, raw_version,"
                     " version, project, status, best_version, newer_versions, lag_days) VALUES"
                     " (1, 1, 1, 'curl', '8.5.0-1', '8.5.0', 'curl', 2, '8.6.0', 1, 2.5),"
                     " (2, 1, 1, 'bash', '5.2-1', '5.2', 'bash', 1, NULL, NULL, NULL);"
                     "INSERT INTO version_seen VALUES ('curl', '8.5.0', 1, 500000, 1000000, 1),"
                     " ('curl', '8.4.0', 1, 400000, 500000, 1);"
                     "PRAGMA user_version = 3",
                     NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);
    pf_store *st = open_ok(path);
    pf_store_close(st);
    assert_int_equal(raw_int(path, "PRAGMA user_version"), pfst_schema_latest());
    assert_int_equal(raw_int(path, "SELECT behind_since FROM pkg_result WHERE id = 1"),
                     1000000 - 216000);
    assert_int_equal(raw_int(path, "SELECT behind_since IS NULL FROM pkg_result WHERE id = 2"), 1);
    assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM pragma_table_info('package')"
                                   " WHERE name = 'lag_days'"),
                     0);
    assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM version_seen"), 2);
    assert_int_equal(
        raw_int(path, "SELECT last_seen IS NULL FROM version_seen WHERE version = '8.5.0'"), 1);
    assert_int_equal(raw_int(path, "SELECT last_seen FROM version_seen WHERE version = '8.4.0'"),
                     500000);
    assert_int_equal(raw_int(path, "SELECT first_seen FROM version_seen WHERE version = '8.4.0'"),
                     400000);
}

/* A database left at schema 4 keeps its statistics history through
 * migration 5: Repology's newest, stored as num_fresh, reads as num_newest;
 * the old num_newest (newest or unique) and freshness columns are gone. */
static void test_migrate_from_4(void **state)
{
    (void)state;
    const char *path = db_path("store_migrate4");
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    for (int v = 1; v <= 4; v++)
        for (const char *const *sql = pfst_schema_steps(v); *sql; sql++)
            assert_int_equal(sqlite3_exec(db, *sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(db,
                     "INSERT INTO repository(id, name, family) VALUES (1, 'debian_13', 'debuntu'),"
                     " (2, 'nix_unstable', 'nix');"
                     "INSERT INTO analysis_run(id, taken_at) VALUES (1, 500000), (2, 1000000);"
                     "INSERT INTO repo_stats(run_id, repository_id, taken_at, num_packages,"
                     " pkg_newest, pkg_outdated, num_projects, num_unique, num_newest,"
                     " num_outdated, num_comparable, num_problematic, num_fresh, num_maintainers,"
                     " freshness, median_lag_days, p90_lag_days) VALUES"
                     " (1, 1, 500000, 37641, 2738, 13777, 37276, 31141, 33897, 13707, 16530, 900,"
                     "  2756, 4000, 16.67, 30.5, NULL),"
                     " (2, 1, 1000000, 37650, 2740, 13770, 37280, 31140, 33900, 13700, 16531,"
                     "  901, 2760, 4001, 16.70, NULL, NULL),"
                     " (2, 2, 1000000, 47078, 2000, 9000, 36544, 25067, 27447, 8803, 11186, 50,"
                     "  2383, 3000, 21.30, 12.0, 40.0);"
                     "PRAGMA user_version = 4",
                     NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);
    pf_store *st = open_ok(path);
    assert_int_equal(raw_int(path, "PRAGMA user_version"), pfst_schema_latest());
    assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM pragma_table_info('repo_stats')"
                                   " WHERE name IN ('num_fresh', 'freshness')"),
                     0);
    /* every history row is still there, with Repology's newest as num_newest */
    hist_rows h = {0};
    assert_int_equal(pf_store_each_history(st, NULL, collect_history, &h), 0);
    assert_int_equal(h.n, 3);
    assert_string_equal(h.text, "debian_13@500000:37276/31141/2756/13707/16530/900/30.5/-1.0 "
                                "debian_13@1000000:37280/31140/2760/13700/16531/901/-1.0/-1.0 "
                                "nix_unstable@1000000:36544/25067/2383/8803/11186/50/12.0/40.0 ");
    repo_seen rs = get_repo(st, "nix_unstable");
    assert_true(rs.has_stats);
    assert_int_equal(rs.stats.num_newest, 2383);
    assert_true(fabs(pf_stats_pct(rs.stats.num_newest, rs.stats.num_comparable) - 21.30) < 0.01);
    assert_true(rs.stats.p90_lag_days > 39.9 && rs.stats.p90_lag_days < 40.1);
    pf_store_close(st);
}

/* pf_store_search_projects results as "name:repos/packages " text. */
typedef struct found_text {
    char text[512];
} found_text;

/* Append one search row to a found_text. */
static int collect_found(void *ctx, const char *project, long repos, long pkgs)
{
    found_text *f = ctx;
    size_t n = strlen(f->text);
    snprintf(f->text + n, sizeof f->text - n, "%s:%ld/%ld ", project, repos, pkgs);
    return 0;
}

/* Append one project name to a found_text. */
static int collect_name(void *ctx, const char *name)
{
    found_text *f = ctx;
    size_t n = strlen(f->text);
    snprintf(f->text + n, sizeof f->text - n, "%s ", name);
    return 0;
}

/* pf_store_each_project_name as one string. */
static const char *project_names(pf_store *st, found_text *f)
{
    f->text[0] = 0;
    assert_int_equal(pf_store_each_project_name(st, collect_name, f), 0);
    return f->text;
}

/* search TEXT as one string. */
static const char *search_text(pf_store *st, const char *text, found_text *f)
{
    f->text[0] = 0;
    assert_int_equal(pf_store_search_projects(st, text, collect_found, f), 0);
    return f->text;
}

/* A database left at schema 6 with analyzed packages gets its per-project
 * summary through migration 7 (and its trigram index again through 8); search then gives the same
 * answers as counting the packages, also after a crawl deleted packages (before any analysis) and
 * after an analysis moved a package to another project. */
static void test_migrate_from_6(void **state)
{
    (void)state;
    const char *path = db_path("store_migrate6");
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    for (int v = 1; v <= 6; v++)
        for (const char *const *sql = pfst_schema_steps(v); *sql; sql++)
            assert_int_equal(sqlite3_exec(db, *sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(
            db,
            "INSERT INTO repository(id, name, family) VALUES (1, 'debian_13', 'debuntu'),"
            " (2, 'nix_unstable', 'nix'), (3, 'ubuntu_24_04', 'debuntu');"
            "INSERT INTO source(id, repository_id, name) VALUES (1, 1, 'main'), (2, 2, 'main'),"
            " (3, 3, 'main');"
            "INSERT INTO package(id, repository_id, source_id, srcname, raw_version, version,"
            " project, status) VALUES"
            " (1, 1, 1, 'requests', '2.32.3+dfsg-1', '2.32.3', 'python:requests', 1),"
            " (2, 1, 1, 'grequests', '0.7.0-3', '0.7.0', 'python:grequests', 4),"
            " (3, 2, 2, 'python312Packages.requests', '2.32.3', '2.32.3', 'python:requests', 1),"
            " (4, 2, 2, 'python313Packages.requests', '2.32.3', '2.32.3', 'python:requests', 1),"
            " (5, 3, 3, 'requests', '2.31.0+dfsg-1', '2.31.0', 'python:requests', 2),"
            " (6, 3, 3, 'curl', '8.5.0-2ubuntu10', '8.5.0', 'curl', 2),"
            " (7, 1, 1, 'curl', '8.14.1-2', NULL, NULL, 0);"
            "PRAGMA user_version = 6",
            NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);
    pf_store *st = open_ok(path);
    assert_int_equal(raw_int(path, "PRAGMA user_version"), pfst_schema_latest());
    /* schema 11: each package's results moved to its pkg_result row, same id */
    assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM pkg_result"), 7);
    assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM package p JOIN pkg_result a"
                                   " USING (id, repository_id) WHERE a.project IS p.srcname"
                                   " OR a.project LIKE 'python:%' OR a.id = 7"),
                     7);
    assert_int_equal(raw_int(path, "SELECT status * 10 + (version IS NULL) FROM pkg_result"
                                   " WHERE id = 7"),
                     1);
    assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM pragma_table_info('package')"
                                   " WHERE name IN ('project', 'status', 'version')"),
                     0);
    assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM project_summary"), 3);
    /* schema 8: the trigram index keeps no per-name sizes */
    assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM sqlite_schema WHERE name ="
                                   " 'project_name_docsize'"),
                     0);
    found_text f;
    assert_string_equal(search_text(st, "Requests", &f),
                        "python:grequests:1/1 python:requests:3/4 ");
    assert_string_equal(search_text(st, "", &f),
                        "curl:1/1 python:grequests:1/1 python:requests:3/4 ");
    assert_string_equal(search_text(st, "n:r", &f), "python:requests:3/4 ");
    assert_string_equal(search_text(st, "rl", &f), "curl:1/1 ");
    /* LIKE's wildcards are plain text to search */
    assert_string_equal(search_text(st, "%re", &f), "");
    assert_string_equal(search_text(st, "n_r", &f), "");
    assert_string_equal(search_text(st, "_", &f), "");
    /* a crawl replaces nix_unstable's packages: the summary row is stale, the answer is not */
    raw_exec(path, "DELETE FROM package WHERE id IN (3, 4)");
    assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM project_dirty"), 1);
    assert_string_equal(search_text(st, "requests", &f),
                        "python:grequests:1/1 python:requests:2/2 ");
    /* the last package of a project goes: the project goes from the answer */
    raw_exec(path, "DELETE FROM package WHERE id = 2");
    assert_string_equal(search_text(st, "requests", &f), "python:requests:2/2 ");
    assert_string_equal(project_names(st, &f), "curl python:requests ");
    /* an analysis names the new curl row and moves Ubuntu's requests to another project */
    long long req_id =
        raw_int(path, "SELECT id FROM project_summary WHERE name = 'python:requests'");
    char err[256];
    pf_analysis_tx *tx = pf_store_analysis_begin(st, 2000000, err, sizeof err);
    assert_non_null(tx);
    assert_int_equal(pf_store_analysis_set(tx, 7, "curl", "8.14.1", 0, 1), 0);
    assert_int_equal(pf_store_analysis_set(tx, 5, "python:requests-legacy", "2.31.0", 0, 4), 0);
    assert_int_equal(pf_store_analysis_commit(tx, 4, 3, 0.1, err, sizeof err), 0);
    /* the commit recounted what changed and left nothing stale */
    assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM project_dirty"), 0);
    assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM project_summary"), 3);
    /* a project that stays keeps its summary row (and its trigram entry): updated in place */
    assert_int_equal(raw_int(path, "SELECT id FROM project_summary WHERE name = 'python:requests'"),
                     req_id);
    assert_string_equal(search_text(st, "", &f),
                        "curl:2/2 python:requests:1/1 python:requests-legacy:1/1 ");
    assert_string_equal(search_text(st, "requests-", &f), "python:requests-legacy:1/1 ");
    assert_string_equal(project_names(st, &f), "curl python:requests python:requests-legacy ");
    raw_exec(path, "INSERT INTO project_name(project_name) VALUES ('integrity-check')");
    assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM (SELECT project, COUNT(DISTINCT"
                                   " repository_id) r, COUNT(*) n FROM pkg_result WHERE project"
                                   " IS NOT NULL GROUP BY project EXCEPT SELECT name, repos,"
                                   " packages FROM project_summary)"),
                     0);
    /* an analysis that names most packages anew recounts every project at its commit */
    raw_exec(path, "UPDATE pkg_result SET version = NULL, flags = 0 WHERE id IN (1, 5, 6)");
    tx = pf_store_analysis_begin(st, 3000000, err, sizeof err);
    assert_non_null(tx);
    assert_int_equal(pf_store_analysis_set(tx, 1, "python:requests-legacy", "2.32.3", 0, 1), 0);
    assert_int_equal(pf_store_analysis_set(tx, 5, "python:requests", "2.31.0", 0, 2), 0);
    assert_int_equal(pf_store_analysis_set(tx, 6, "curl", "8.5.0", 0, 2), 0);
    char flag[8];
    assert_int_equal(pf_store_meta(st, "project_summary_rebuild", flag, sizeof flag), 1);
    assert_int_equal(pf_store_analysis_commit(tx, 4, 3, 0.1, err, sizeof err), 0);
    assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM meta WHERE key LIKE 'project_summary%'"),
                     0);
    assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM project_dirty"), 0);
    assert_string_equal(search_text(st, "", &f),
                        "curl:2/2 python:requests:1/1 python:requests-legacy:1/1 ");
    assert_string_equal(search_text(st, "legacy", &f), "python:requests-legacy:1/1 ");
    raw_exec(path, "INSERT INTO project_name(project_name) VALUES ('integrity-check')");
    pf_store_close(st);
}

/* History rows as "project/version/repo/first_seen/last_seen " text. */
typedef struct seen_rows {
    char text[512];
} seen_rows;

/* pf_seen_fn appending one history row to a seen_rows. */
static int collect_seen(void *ctx, const pf_seen_row *r)
{
    seen_rows *s = ctx;
    size_t used = strlen(s->text);
    snprintf(s->text + used, sizeof s->text - used, "%s/%s/%s/%lld/%lld ", r->project, r->version,
             r->repo_id, (long long)r->first_seen, (long long)r->last_seen);
    return 0;
}

/* A database left at schema 7 loses the unused index version_seen_repo
 * through migration 9 and keeps its history rows, which still read back by
 * project; a new database never has that index. */
static void test_migrate_from_7(void **state)
{
    (void)state;
    const char *path = db_path("store_migrate7");
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    for (int v = 1; v <= 7; v++)
        for (const char *const *sql = pfst_schema_steps(v); *sql; sql++)
            assert_int_equal(sqlite3_exec(db, *sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "INSERT INTO repository(id, name) VALUES (1, 'debian_13'),"
                                  " (2, 'nix_unstable');"
                                  "INSERT INTO version_seen VALUES ('curl', '8.14.1', 1, 100, NULL,"
                                  " 1), ('curl', '8.15.0', 2, 200, NULL, 1),"
                                  " ('zlib', '1.3.1', 1, 100, 150, 0);"
                                  "PRAGMA user_version = 7",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    const char *idx = "SELECT COUNT(*) FROM sqlite_master WHERE name = 'version_seen_repo'";
    assert_int_equal(raw_int(path, idx), 1);
    pf_store *st = open_ok(path);
    assert_int_equal(raw_int(path, "PRAGMA user_version"), pfst_schema_latest());
    assert_int_equal(raw_int(path, idx), 0);
    assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM version_seen"), 3);
    /* schema 12: the history is one B-tree without rowids, its rows kept */
    assert_int_equal(raw_int(path, "SELECT wr FROM pragma_table_list WHERE name = 'version_seen'"),
                     1);
    assert_int_equal(raw_int(path, "SELECT last_seen FROM version_seen WHERE project = 'zlib'"),
                     150);
    seen_rows sr = {0};
    const char *curl[] = {"curl"};
    assert_int_equal(pf_store_each_seen_of(st, curl, 1, collect_seen, &sr), 0);
    assert_string_equal(sr.text, "curl/8.14.1/debian_13/100/0 curl/8.15.0/nix_unstable/200/0 ");
    pf_store_close(st);
    const char *fresh = db_path("store_migrate7_new");
    pf_store_close(open_ok(fresh));
    assert_int_equal(raw_int(fresh, idx), 0);
}

/* The schema's indexes and triggers as one string (name and SQL of each),
 * read on a separate connection; the caller frees it. */
static char *schema_text(const char *path)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT group_concat(name || ': ' || sql, char(10)) FROM"
                                        " (SELECT name, sql FROM sqlite_schema WHERE type IN"
                                        " ('index', 'trigger') AND sql IS NOT NULL ORDER BY name)",
                                        -1, &q, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    char *text = strdup((const char *)sqlite3_column_text(q, 0));
    assert_non_null(text);
    sqlite3_finalize(q);
    sqlite3_close(db);
    return text;
}

/* How many schema objects are named name, as the store's own connection
 * sees them (inside its transaction). */
static int schema_objects(pf_store *st, const char *name)
{
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(st->db,
                                        "SELECT COUNT(*) FROM sqlite_schema WHERE name = ?1", -1,
                                        &q, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    int n = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    return n;
}

/* Two repositories with a source each, for the analysis tests' packages. */
#define TWO_REPOS                                                                                  \
    "INSERT INTO repository(id, name, family) VALUES (1, 'debian_13', 'debuntu'),"                 \
    " (2, 'nix_unstable', 'nix');"                                                                 \
    "INSERT INTO source(id, repository_id, name) VALUES (1, 1, 'main'), (2, 2, 'main');"

/* After raw package INSERTs: their pkg_result rows, as a crawl writes them
 * (schema 11: every package has one). */
#define WITH_RESULTS                                                                               \
    "; INSERT INTO pkg_result(id, repository_id) SELECT id, repository_id FROM package"            \
    " WHERE id NOT IN (SELECT id FROM pkg_result)"

/* An analysis in rebuild mode (most packages new to analysis) drops the
 * per-row trigger and the partial indexes on pkg_result while it writes, and
 * creates them again at commit: afterwards the schema is the same, the
 * indexes hold exactly the right rows and the trigger works; an aborted one
 * leaves everything as it was. */
static void test_rebuild_sets_aside(void **state)
{
    (void)state;
    const char *path = db_path("store_aside");
    pf_store *st = open_ok(path);
    raw_exec(path, TWO_REPOS
             "INSERT INTO package(id, repository_id, source_id, srcname, raw_version) VALUES"
             " (1, 1, 1, 'curl', '8.14.1-2'), (2, 1, 1, 'requests', '2.32.3+dfsg-1'),"
             " (3, 2, 2, 'curl', '8.15.0'), (4, 2, 2, 'python313Packages.requests', '2.32.3'),"
             " (5, 2, 2, 'zstd', '1.5.7')" WITH_RESULTS);
    char *before = schema_text(path);
    assert_non_null(strstr(before, "project_moved: CREATE TRIGGER"));
    assert_non_null(strstr(before, "result_behind: CREATE INDEX"));
    char err[256];
    /* aborted: the objects come back with the ROLLBACK */
    pf_analysis_tx *tx = pf_store_analysis_begin(st, 1000000, err, sizeof err);
    assert_non_null(tx);
    assert_int_equal(pf_store_analysis_set(tx, 1, "curl", "8.14.1", 0, PF_S_OUTDATED), 0);
    pf_store_analysis_abort(tx);
    char *after = schema_text(path);
    assert_string_equal(after, before);
    free(after);
    assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM pkg_result WHERE project IS NOT NULL"), 0);
    /* set aside inside the transaction; a streaming analysis, which reads
     * the rows back in project order, keeps result_project */
    tx = pf_store_analysis_begin(st, 1000000, err, sizeof err);
    assert_non_null(tx);
    assert_int_equal(schema_objects(st, "result_project"), 0);
    assert_int_equal(schema_objects(st, "result_behind"), 0);
    pf_store_analysis_abort(tx);
    tx = pf_store_analysis_begin_mode(st, 1000000, 1, err, sizeof err);
    assert_non_null(tx);
    assert_int_equal(schema_objects(st, "result_project"), 1);
    assert_int_equal(schema_objects(st, "result_behind"), 0);
    pf_store_analysis_abort(tx);
    assert_int_equal(schema_objects(st, "result_behind"), 1);
    /* committed: every row named, the objects created again over the new rows */
    tx = pf_store_analysis_begin(st, 1000000, err, sizeof err);
    assert_non_null(tx);
    char flag[8];
    assert_int_equal(pf_store_meta(st, "project_summary_rebuild", flag, sizeof flag), 1);
    assert_int_equal(pf_store_analysis_set_all(tx, 1, "curl", "8.14.1", 0, PF_S_OUTDATED, "8.15.0",
                                               1, 900000, NULL, NULL),
                     0);
    assert_int_equal(pf_store_analysis_set(tx, 2, "python:requests", "2.32.3", 0, PF_S_NEWEST), 0);
    assert_int_equal(pf_store_analysis_set(tx, 3, "curl", "8.15.0", 0, PF_S_NEWEST), 0);
    assert_int_equal(pf_store_analysis_set(tx, 4, "python:requests", "2.32.3", 0, PF_S_NEWEST), 0);
    assert_int_equal(pf_store_analysis_commit(tx, 4, 2, 0.1, err, sizeof err), 0);
    after = schema_text(path);
    assert_string_equal(after, before);
    free(after);
    free(before);
    assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM pragma_integrity_check WHERE"
                                   " integrity_check <> 'ok'"),
                     0);
    /* each partial index answers as the table does */
    assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM pkg_result INDEXED BY result_project"
                                   " WHERE project = 'curl'"),
                     2);
    assert_int_equal(raw_int(path, "SELECT id FROM pkg_result INDEXED BY result_new"
                                   " WHERE repository_id = 2 AND version IS NULL AND flags = 0"),
                     5);
    assert_int_equal(raw_int(path,
                             "SELECT id FROM pkg_result INDEXED BY result_behind WHERE"
                             " repository_id = 1 AND status = 2 AND behind_since IS NOT NULL"),
                     1);
    assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM project_summary"), 2);
    /* the trigger is back: a package that changes project marks both projects */
    raw_exec(path, "UPDATE pkg_result SET project = 'curl-legacy' WHERE id = 1");
    assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM project_dirty"), 2);
    pf_store_close(st);
}

/* curl and zstd in both repositories of TWO_REPOS. */
#define CURL_ZSTD                                                                                  \
    "INSERT INTO package(id, repository_id, source_id, srcname, raw_version) VALUES"               \
    " (1, 1, 1, 'curl', '8.14.1-2'), (2, 1, 1, 'zstd', '1.5.6'),"                                  \
    " (3, 2, 2, 'curl', '8.15.0'), (4, 2, 2, 'zstd', '1.5.7')"

/* An analysis that gives the summary counts itself (incremental): the
 * project_moved trigger stands aside inside its transaction only; given
 * counts update a row in place (its trigram entry kept), insert a new name
 * (searchable) and drop a project without packages (no longer found); the
 * commit empties project_dirty without recounting; an abort leaves all as
 * it was. */
static void test_summary_given(void **state)
{
    (void)state;
    const char *path = db_path("store_summary");
    pf_store *st = open_ok(path);
    raw_exec(path, TWO_REPOS CURL_ZSTD WITH_RESULTS);
    char err[256];
    /* a first analysis (rebuild mode: the counts are recounted, not given) */
    pf_analysis_tx *tx = pf_store_analysis_begin(st, 1000000, err, sizeof err);
    assert_non_null(tx);
    assert_int_equal(pf_store_analysis_summary_known(tx), 0);
    assert_int_equal(schema_objects(st, "project_moved"), 0);
    assert_int_equal(pf_store_analysis_set(tx, 1, "curl", "8.14.1", 0, PF_S_OUTDATED), 0);
    assert_int_equal(pf_store_analysis_set(tx, 2, "zstd", "1.5.6", 0, PF_S_OUTDATED), 0);
    assert_int_equal(pf_store_analysis_set(tx, 3, "curl", "8.15.0", 0, PF_S_NEWEST), 0);
    assert_int_equal(pf_store_analysis_set(tx, 4, "zstd", "1.5.7", 0, PF_S_NEWEST), 0);
    assert_int_equal(pf_store_analysis_commit(tx, 4, 2, 0.1, err, sizeof err), 0);
    char *before = schema_text(path);
    assert_int_equal(raw_int(path, "SELECT repos * 10 + packages FROM project_summary"
                                   " WHERE name = 'zstd'"),
                     22);
    /* a crawl deleted zstd in debian_13 and added libcurl there */
    raw_exec(path, "DELETE FROM package WHERE id = 2;"
                   "INSERT INTO package(id, repository_id, source_id, srcname, raw_version)"
                   " VALUES (5, 1, 1, 'libcurl', '8.14.1-2')" WITH_RESULTS);
    assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM project_dirty"), 1);
    for (int commit = 0; commit < 2; commit++) {
        tx = pf_store_analysis_begin(st, 2000000, err, sizeof err);
        assert_non_null(tx);
        assert_int_equal(pf_store_analysis_summary_known(tx), 0);
        assert_int_equal(schema_objects(st, "project_moved"), 0);
        assert_int_equal(pf_store_analysis_set(tx, 5, "libcurl", "8.14.1", 0, PF_S_UNIQUE), 0);
        assert_int_equal(pf_store_analysis_summary(tx, "zstd", 1, 1), 0);
        assert_int_equal(pf_store_analysis_summary(tx, "libcurl", 1, 1), 0);
        assert_int_equal(pf_store_analysis_summary(tx, "curl", 2, 2), 0); /* unchanged */
        assert_int_equal(pf_store_analysis_summary(tx, "nothing", 0, 0), 0);
        if (!commit) {
            pf_store_analysis_abort(tx);
            assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM project_summary"
                                           " WHERE name = 'libcurl'"),
                             0);
            continue;
        }
        assert_int_equal(pf_store_analysis_commit(tx, 4, 3, 0.1, err, sizeof err), 0);
    }
    char *after = schema_text(path);
    assert_string_equal(after, before); /* the trigger is back */
    free(after);
    free(before);
    assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM project_dirty"), 0);
    assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM (SELECT project,"
                                   " COUNT(DISTINCT repository_id), COUNT(*) FROM pkg_result"
                                   " WHERE project IS NOT NULL GROUP BY project EXCEPT"
                                   " SELECT name, repos, packages FROM project_summary)"),
                     0);
    assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM project_summary"), 3);
    assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM project_name WHERE project_name"
                                   " MATCH '\"bcu\"'"),
                     1);
    assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM project_name WHERE project_name"
                                   " MATCH '\"zst\"'"),
                     1);
    /* the trigger works again: a package that changes project marks both */
    raw_exec(path, "UPDATE pkg_result SET project = 'curl-legacy' WHERE id = 1");
    assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM project_dirty"), 2);
    pf_store_close(st);
}

/* A rebuild-mode analysis that gives every project's counts (a streaming
 * full analysis): the summary is what it gave (the commit does not
 * recount: a count given wrong on purpose stays), its trigram index finds
 * the names, the rebuild flag and project_dirty are cleared; outside
 * rebuild mode nothing is asked for. */
static void test_summary_all(void **state)
{
    (void)state;
    const char *path = db_path("store_summary_all");
    pf_store *st = open_ok(path);
    raw_exec(path, TWO_REPOS CURL_ZSTD WITH_RESULTS);
    char err[256];
    pf_analysis_tx *tx = pf_store_analysis_begin_mode(st, 1000000, 1, err, sizeof err);
    assert_non_null(tx);
    assert_int_equal(pf_store_analysis_summary_all(tx), 1); /* a first analysis: rebuild mode */
    assert_int_equal(pf_store_analysis_summary_all(tx), 1); /* asking again changes nothing */
    assert_int_equal(pf_store_analysis_set(tx, 1, "curl", "8.14.1", 0, PF_S_OUTDATED), 0);
    assert_int_equal(pf_store_analysis_set(tx, 2, "zstd", "1.5.6", 0, PF_S_OUTDATED), 0);
    assert_int_equal(pf_store_analysis_set(tx, 3, "curl", "8.15.0", 0, PF_S_NEWEST), 0);
    assert_int_equal(pf_store_analysis_set(tx, 4, "zstd", "1.5.7", 0, PF_S_NEWEST), 0);
    assert_int_equal(pf_store_analysis_summary(tx, "curl", 2, 2), 0);
    assert_int_equal(pf_store_analysis_summary(tx, "nothing", 0, 0), 0); /* no row */
    assert_int_equal(pf_store_analysis_summary(tx, "zstd", 7, 9), 0);
    assert_int_equal(pf_store_analysis_commit(tx, 4, 2, 0.1, err, sizeof err), 0);
    assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM project_summary"), 2);
    assert_int_equal(raw_int(path, "SELECT repos * 10 + packages FROM project_summary"
                                   " WHERE name = 'curl'"),
                     22);
    assert_int_equal(raw_int(path, "SELECT repos * 10 + packages FROM project_summary"
                                   " WHERE name = 'zstd'"),
                     79);
    assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM project_name WHERE project_name"
                                   " MATCH '\"zst\"'"),
                     1);
    assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM project_dirty"), 0);
    char flag[8];
    assert_int_equal(pf_store_meta(st, "project_summary_rebuild", flag, sizeof flag), 0);
    /* not in rebuild mode: the store keeps counting itself */
    tx = pf_store_analysis_begin_mode(st, 2000000, 1, err, sizeof err);
    assert_non_null(tx);
    assert_int_equal(pf_store_analysis_summary_all(tx), 0);
    pf_store_analysis_abort(tx);
    pf_store_close(st);
}

/* Opening again changes nothing and keeps the data. */
static void test_reopen_idempotent(void **state)
{
    (void)state;
    const char *path = db_path("store_reopen");
    pf_catalog cat;
    make_catalog(&cat);
    pf_store *st = open_ok(path);
    assert_int_equal(pf_store_sync_catalog(st, &cat), 0);
    crawl_snapshot_a(st);
    pf_store_close(st);
    long long schema_before = raw_int(path, "PRAGMA schema_version");
    for (int i = 0; i < 3; i++) {
        st = open_ok(path);
        assert_int_equal(pf_store_sync_catalog(st, &cat), 0);
        repo_seen rs = get_repo(st, "debian_unstable");
        assert_true(rs.found);
        assert_int_equal(rs.crawl_packages, 3);
        pf_store_close(st);
    }
    assert_int_equal(raw_int(path, "PRAGMA user_version"), pfst_schema_latest());
    assert_int_equal(raw_int(path, "PRAGMA schema_version"), schema_before);
    assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM repository"), 2);
    free_catalog(&cat);
}

/* A catalog already stored is checked in one read transaction: it needs no
 * write lock (another connection holds it throughout), and the transaction
 * is over when the check returns (the store writes next). */
static void test_sync_in_sync_reads_only(void **state)
{
    (void)state;
    const char *path = db_path("store_sync_read");
    pf_catalog cat;
    make_catalog(&cat);
    pf_store *st = open_ok(path);
    assert_int_equal(pf_store_sync_catalog(st, &cat), 0);
    pf_store_close(st);
    sqlite3 *writer;
    assert_int_equal(sqlite3_open(path, &writer), SQLITE_OK);
    assert_int_equal(sqlite3_exec(writer, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    st = open_ok(path);
    assert_int_equal(pf_store_sync_catalog(st, &cat), 0);
    assert_int_equal(sqlite3_exec(writer, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(writer);
    crawl_snapshot_a(st); /* a write transaction: none may be open */
    assert_int_equal(get_repo(st, "debian_unstable").crawl_packages, 3);
    pf_store_close(st);
    free_catalog(&cat);
}

/* File created 0600 under umask 022, parent directories created. */
static void test_file_mode(void **state)
{
    (void)state;
    const char *dir = tu_tmpdir("store_mode");
    assert_non_null(dir);
    char path[512];
    snprintf(path, sizeof path, "%s/a/b/pkgfresh.db", dir);
    mode_t old = umask(022);
    pf_store *st = open_ok(path);
    umask(old);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    /* the WAL sidecar inherits the mode once something is written */
    pf_crawl_info ci = {.started = T0, .finished = T0, .status = "failed", .error = "x"};
    assert_int_equal(pf_store_crawl_record(st, "debian_unstable", &ci), 0);
    char wal[600];
    snprintf(wal, sizeof wal, "%s-wal", path);
    assert_int_equal(stat(wal, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    pf_store_close(st);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    /* the created directories are private */
    snprintf(wal, sizeof wal, "%s/a", dir);
    assert_int_equal(stat(wal, &sb), 0);
    assert_true(S_ISDIR(sb.st_mode));
    assert_int_equal(sb.st_mode & 0777, 0700);
}

/* The journal is WAL (persistent in the file); foreign keys are enforced. */
static void test_wal_and_foreign_keys(void **state)
{
    (void)state;
    const char *path = db_path("store_wal");
    pf_store *st = open_ok(path);
    char *mode = tu_sql_text(path, "PRAGMA journal_mode");
    assert_string_equal(mode, "wal");
    free(mode);
    /* durable by default; pf_store_set_durable(0) stops waiting for the disk
     * and drops the journal (the file is no longer WAL: another connection
     * sees the default mode), 1 puts both back */
    assert_int_equal(conn_int(st, "PRAGMA synchronous"), 1); /* NORMAL */
    assert_int_equal(pf_store_set_durable(st, 0), 0);
    assert_int_equal(conn_int(st, "PRAGMA synchronous"), 0); /* OFF */
    mode = tu_sql_text(path, "PRAGMA journal_mode");
    assert_string_equal(mode, "delete");
    free(mode);
    assert_int_equal(pf_store_set_durable(st, 1), 0);
    assert_int_equal(conn_int(st, "PRAGMA synchronous"), 1);
    mode = tu_sql_text(path, "PRAGMA journal_mode");
    assert_string_equal(mode, "wal");
    free(mode);
    /* a crawl_record for an unknown repository creates it; a package pointing at a
     * missing source would violate the foreign key: checked via the API's error path */
    pf_crawl_info ci = {.started = T0, .finished = T0, .status = "failed", .error = "x"};
    assert_int_equal(pf_store_crawl_record(st, "local_repo", &ci), 0);
    pf_store_close(st);
    assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM repository WHERE name = 'local_repo'"), 1);
}

/* A database from a newer pkgfresh is refused with a clear message. */
static void test_newer_schema_refused(void **state)
{
    (void)state;
    const char *path = db_path("store_newer");
    pf_store_close(open_ok(path));
    raw_exec(path, "PRAGMA user_version = 99");
    char err[512] = "";
    assert_null(pf_store_open(path, err, sizeof err));
    assert_non_null(strstr(err, "newer"));
    assert_non_null(strstr(err, "99"));
}

/* Garbage in the file is reported, not crashed on. */
static void test_not_a_database(void **state)
{
    (void)state;
    const char *path = db_path("store_garbage");
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    for (int i = 0; i < 200; i++)
        fputs("this is not an sqlite database\n", fp);
    fclose(fp);
    char err[512] = "";
    assert_null(pf_store_open(path, err, sizeof err));
    assert_non_null(strstr(err, path));
}

/* $PKGFRESH_DB, then $XDG_DATA_HOME, then $HOME/.local/share. */
static void test_default_path(void **state)
{
    (void)state;
    char *saved[3];
    const char *names[3] = {"PKGFRESH_DB", "XDG_DATA_HOME", "HOME"};
    for (int i = 0; i < 3; i++) {
        const char *v = getenv(names[i]);
        saved[i] = v ? strdup(v) : NULL;
    }
    setenv("PKGFRESH_DB", "/srv/pf/x.db", 1);
    setenv("XDG_DATA_HOME", "/xdg", 1);
    setenv("HOME", "/home/u", 1);
    char *p = pf_store_default_path();
    assert_string_equal(p, "/srv/pf/x.db");
    free(p);
    unsetenv("PKGFRESH_DB");
    p = pf_store_default_path();
    assert_string_equal(p, "/xdg/pkgfresh/pkgfresh.db");
    free(p);
    unsetenv("XDG_DATA_HOME");
    p = pf_store_default_path();
    assert_string_equal(p, "/home/u/.local/share/pkgfresh/pkgfresh.db");
    free(p);
    for (int i = 0; i < 3; i++) {
        if (saved[i])
            setenv(names[i], saved[i], 1);
        else
            unsetenv(names[i]);
        free(saved[i]);
    }
}

/* ---- catalog ----------------------------------------------------------- */

/* Repositories and sources are upserted; removed ones stay. */
static void test_catalog_sync(void **state)
{
    (void)state;
    const char *path = db_path("store_catalog");
    pf_catalog cat;
    pf_store *st = open_synced(path, &cat);
    repo_seen rs = get_repo(st, "debian_unstable");
    assert_true(rs.found);
    assert_int_equal(rs.nrepos, 2);
    assert_string_equal(rs.title, "Debian Unstable");
    assert_string_equal(rs.family, "debuntu");
    assert_int_equal(rs.last_crawl, 0);
    assert_string_equal(rs.status, ""); /* never crawled */
    assert_int_equal(rs.crawl_packages, 0);
    assert_int_equal(rs.has_stats, 0);
    assert_int_equal(rs.stats.num_projects, -1);
    assert_true(pf_stats_pct(rs.stats.num_newest, rs.stats.num_comparable) < 0);
    assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM source"), 4);
    assert_int_equal(raw_int(path, "SELECT is_default FROM repository WHERE name ="
                                   " 'debian_unstable'"),
                     1);

    /* change a title and a URL, drop ubuntu from the catalog */
    free(cat.repos[0].title);
    cat.repos[0].title = strdup("Debian Sid");
    free(cat.repos[0].sources[1].url);
    cat.repos[0].sources[1].url = strdup("https://ftp.debian.org/debian/dists/sid/contrib/x");
    long long first_seen =
        raw_int(path, "SELECT first_seen FROM repository WHERE name = 'debian_unstable'");
    cat.nrepos = 1;
    assert_int_equal(pf_store_sync_catalog(st, &cat), 0);
    cat.nrepos = 2;
    rs = get_repo(st, "debian_unstable");
    assert_string_equal(rs.title, "Debian Sid");
    assert_int_equal(rs.nrepos, 2); /* ubuntu kept */
    assert_true(get_repo(st, "ubuntu_24_04").found);
    assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM source WHERE url LIKE"
                                   " 'https://ftp.debian.org/%'"),
                     1);
    assert_int_equal(raw_int(path, "SELECT first_seen FROM repository WHERE name ="
                                   " 'debian_unstable'"),
                     first_seen);
    pf_store_close(st);
    free_catalog(&cat);
}

/* ---- crawling ---------------------------------------------------------- */

/* PRAGMA value of the store's own connection (the settings the API changes). */
static long long conn_pragma(pf_store *st, const char *sql)
{
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(st->db, sql, -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    long long v = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return v;
}

/* A big analysis sizes the page cache and the map for its transaction; the
 * commit and the abort put the connection's values back. */
static void test_analysis_cache_restored(void **state)
{
    (void)state;
    const char *path = db_path("store_analysis_cache");
    pf_store *st = open_ok(path);
    long long cache = conn_pragma(st, "PRAGMA cache_size");
    long long map = conn_pragma(st, "PRAGMA mmap_size");
    assert_true(map > 0);
    char err[256];
    for (int commit = 0; commit <= 1; commit++) {
        pf_analysis_tx *tx = pf_store_analysis_begin(st, T0 + commit, err, sizeof err);
        assert_non_null(tx);
        assert_int_equal(pf_store_analysis_cache(tx, 4096, 1 << 20), 0);
        assert_int_equal(conn_pragma(st, "PRAGMA cache_size"), -4096);
        assert_int_equal(conn_pragma(st, "PRAGMA mmap_size"), 1 << 20);
        assert_int_equal(pf_store_analysis_cache(tx, 8192, -1), 0); /* map kept */
        assert_int_equal(conn_pragma(st, "PRAGMA cache_size"), -8192);
        assert_int_equal(conn_pragma(st, "PRAGMA mmap_size"), 1 << 20);
        if (commit)
            assert_int_equal(pf_store_analysis_commit(tx, 0, 0, 0.0, err, sizeof err), 0);
        else
            pf_store_analysis_abort(tx);
        assert_int_equal(conn_pragma(st, "PRAGMA cache_size"), cache);
        assert_int_equal(conn_pragma(st, "PRAGMA mmap_size"), map);
    }
    pf_store_close(st);
}

/* A crawl transaction has a page cache of 256 MiB, and the connection gets
 * its own back after a commit, an abort, and an abort after a failed add. */
static void test_crawl_cache_restored(void **state)
{
    (void)state;
    const char *path = db_path("store_crawl_cache");
    pf_catalog cat;
    pf_store *st = open_synced(path, &cat);
    long long cache = conn_pragma(st, "PRAGMA cache_size");
    assert_true(cache != -262144);
    char err[256];
    for (int how = 0; how < 3; how++) {
        pf_crawl_tx *tx = pf_store_crawl_begin(st, "debian_unstable", err, sizeof err);
        assert_non_null(tx);
        assert_int_equal(conn_pragma(st, "PRAGMA cache_size"), -262144);
        if (how < 2) {
            assert_int_equal(pf_store_crawl_source(tx, "main", NULL), 0);
            add_pkg(tx, "zlib", "zlib1g", "1:1.3.dfsg-3.1", "a@example.org");
        } else { /* no source selected: the add fails, the crawler aborts */
            pf_record rec = {.srcname = "zlib", .version = "1.3"};
            assert_int_equal(pf_store_crawl_add(tx, &rec), -1);
        }
        pf_crawl_info ci = ok_info(how, 1);
        if (how == 0)
            assert_int_equal(pf_store_crawl_commit(tx, &ci, err, sizeof err), 0);
        else
            pf_store_crawl_abort(tx);
        assert_int_equal(conn_pragma(st, "PRAGMA cache_size"), cache);
    }
    pf_store_close(st);
    free_catalog(&cat);
}

/* A short query's connection reads pages with pread (no map) and still sees
 * the same rows; gc's VACUUM builds its copy in a file and puts the
 * in-memory temp store back. */
static void test_read_few_and_gc_settings(void **state)
{
    (void)state;
    const char *path = db_path("store_read_few");
    pf_catalog cat;
    pf_store *st = open_synced(path, &cat);
    crawl_snapshot_a(st);
    assert_true(conn_pragma(st, "PRAGMA mmap_size") > 0);
    assert_int_equal(pf_store_read_few(st), 0);
    assert_int_equal(conn_pragma(st, "PRAGMA mmap_size"), 0);
    views vs = {.text = "", .n = 0};
    assert_int_equal(pf_store_each_repo_package(st, "debian_unstable", collect_view, &vs), 0);
    assert_string_equal(vs.text, "bash=5.2.21-2 curl=8.5.0-2 zlib=1:1.3.dfsg-3.1");
    assert_int_equal(conn_pragma(st, "PRAGMA temp_store"), 2);
    pf_gc_result g;
    assert_int_equal(pf_store_gc(st, T0, 1, &g), 0);
    assert_int_equal(conn_pragma(st, "PRAGMA temp_store"), 2);
    vs = (views){.text = "", .n = 0};
    assert_int_equal(pf_store_each_repo_package(st, "debian_unstable", collect_view, &vs), 0);
    assert_string_equal(vs.text, "bash=5.2.21-2 curl=8.5.0-2 zlib=1:1.3.dfsg-3.1");
    pf_store_close(st);
    free_catalog(&cat);
}

/* A committed crawl is visible: packages, count, status, last success, source state. */
static void test_crawl_commit_visible(void **state)
{
    (void)state;
    const char *path = db_path("store_commit");
    pf_catalog cat;
    pf_store *st = open_synced(path, &cat);
    assert_int_equal(pf_store_last_success(st, "debian_unstable"), 0);
    crawl_snapshot_a(st);

    views vs = {.text = "", .n = 0};
    assert_int_equal(pf_store_each_repo_package(st, "debian_unstable", collect_view, &vs), 0);
    assert_string_equal(vs.text, "bash=5.2.21-2 curl=8.5.0-2 zlib=1:1.3.dfsg-3.1");
    repo_seen rs = get_repo(st, "debian_unstable");
    assert_int_equal(rs.crawl_packages, 3);
    assert_string_equal(rs.status, "ok");
    assert_int_equal(rs.last_crawl, T0 + 5);
    assert_int_equal(pf_store_last_success(st, "debian_unstable"), T0 + 5);
    assert_int_equal(pf_store_last_success(st, "no_such_repo"), 0);

    pf_source_state ss;
    assert_int_equal(pf_store_source_state(st, "debian_unstable", "main", &ss), 0);
    assert_string_equal(ss.etag, "\"etag-a\"");
    assert_string_equal(ss.last_modified, "lm-a");
    assert_null(ss.checksum);
    pf_source_state_clear(&ss);
    assert_int_equal(pf_store_source_state(st, "debian_unstable", "contrib", &ss), 0);
    assert_null(ss.etag);
    pf_source_state_clear(&ss);
    assert_int_equal(pf_store_source_state(st, "nowhere", "main", &ss), 0);
    assert_null(ss.etag);

    /* ubuntu has nothing */
    vs.text[0] = '\0';
    vs.n = 0;
    assert_int_equal(pf_store_each_repo_package(st, "ubuntu_24_04", collect_view, &vs), 0);
    assert_int_equal(vs.n, 0);
    assert_int_equal(raw_int(path, "SELECT packages FROM crawl"), 3);
    pf_store_close(st);
    free_catalog(&cat);
}

/* A crawl aborted midway leaves the previous snapshot intact; a concurrent
 * reader never sees the half-written one. */
static void test_crawl_abort_keeps_snapshot(void **state)
{
    (void)state;
    const char *path = db_path("store_abort");
    pf_store *st = open_ok(path);
    crawl_snapshot_a(st);
    pf_store *reader = open_ok(path);

    char err[256];
    pf_crawl_tx *tx = pf_store_crawl_begin(st, "debian_unstable", err, sizeof err);
    assert_non_null(tx);
    pf_source_state ss = {.etag = "\"etag-b\"", .last_modified = NULL, .checksum = NULL};
    assert_int_equal(pf_store_crawl_source(tx, "main", &ss), 0);
    add_pkg(tx, "openssl", "openssl libssl3t64", "3.1.4-2", "debian.openssl@example.org");

    /* the other connection still sees snapshot A while the crawl is open */
    views vs = {.text = "", .n = 0};
    assert_int_equal(pf_store_each_repo_package(reader, "debian_unstable", collect_view, &vs), 0);
    assert_string_equal(vs.text, "bash=5.2.21-2 curl=8.5.0-2 zlib=1:1.3.dfsg-3.1");

    pf_store_crawl_abort(tx);
    vs.text[0] = '\0';
    vs.n = 0;
    assert_int_equal(pf_store_each_repo_package(st, "debian_unstable", collect_view, &vs), 0);
    assert_string_equal(vs.text, "bash=5.2.21-2 curl=8.5.0-2 zlib=1:1.3.dfsg-3.1");
    pf_source_state got;
    assert_int_equal(pf_store_source_state(st, "debian_unstable", "main", &got), 0);
    assert_string_equal(got.etag, "\"etag-a\""); /* state rolled back too */
    pf_source_state_clear(&got);
    assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM crawl"), 1);

    /* a commit with an invalid status is refused and also rolls back */
    tx = pf_store_crawl_begin(st, "debian_unstable", err, sizeof err);
    assert_non_null(tx);
    assert_int_equal(pf_store_crawl_source(tx, "main", NULL), 0);
    pf_crawl_info bad = ok_info(100, 0);
    bad.status = "half-done";
    err[0] = '\0';
    assert_int_equal(pf_store_crawl_commit(tx, &bad, err, sizeof err), -1);
    assert_non_null(strstr(err, "CHECK"));
    assert_int_equal(get_repo(st, "debian_unstable").crawl_packages, 3);

    /* the store is usable after both failures */
    crawl_snapshot_a(st);
    assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM crawl"), 2);
    pf_store_close(reader);
    pf_store_close(st);
}

/* Failed attempts are kept as crawl rows and change nothing else;
 * not_modified moves last_success. */
static void test_failed_crawl_kept(void **state)
{
    (void)state;
    const char *path = db_path("store_failed");
    pf_store *st = open_ok(path);
    crawl_snapshot_a(st);
    pf_crawl_info ci = {
        .started = T0 + 3600,
        .finished = T0 + 3630,
        .status = "failed",
        .http_status = 503,
        .bytes = 0,
        .packages = 0,
        .error = "HTTP 503 from https://ftp.debian.org/debian/dists/sid/main/source/Sources.xz",
    };
    assert_int_equal(pf_store_crawl_record(st, "debian_unstable", &ci), 0);
    repo_seen rs = get_repo(st, "debian_unstable");
    assert_string_equal(rs.status, "failed");
    assert_non_null(strstr(rs.error, "HTTP 503"));
    assert_int_equal(rs.last_crawl, T0 + 5); /* still the last success */
    assert_int_equal(rs.crawl_packages, 3);

    pf_crawl_info nm = {
        .started = T0 + 7200, .finished = T0 + 7201, .status = "not_modified", .http_status = 304};
    assert_int_equal(pf_store_crawl_record(st, "debian_unstable", &nm), 0);
    rs = get_repo(st, "debian_unstable");
    assert_string_equal(rs.status, "not_modified");
    assert_string_equal(rs.error, "");
    assert_int_equal(pf_store_last_success(st, "debian_unstable"), T0 + 7201);
    assert_int_equal(rs.crawl_packages, 3);

    /* an unknown status is refused and leaves no row */
    pf_crawl_info bad = nm;
    bad.status = "weird";
    assert_int_equal(pf_store_crawl_record(st, "debian_unstable", &bad), -1);
    assert_non_null(strstr(pf_store_errmsg(st), "record crawl"));
    pf_store_close(st);
    assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM crawl"), 3);
    assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM crawl WHERE status = 'failed'"
                                   " AND http_status = 503 AND finished = 1700003630"),
                     1);
}

/* Replacing source main leaves source universe's packages and state alone. */
static void test_per_source_replacement(void **state)
{
    (void)state;
    const char *path = db_path("store_sources");
    pf_store *st = open_ok(path);
    char err[256];
    pf_crawl_tx *tx = pf_store_crawl_begin(st, "ubuntu_24_04", err, sizeof err);
    assert_non_null(tx);
    pf_source_state s_main = {.etag = NULL, .last_modified = NULL, .checksum = "sha256:aa"};
    pf_source_state s_univ = {.etag = NULL, .last_modified = NULL, .checksum = "sha256:bb"};
    assert_int_equal(pf_store_crawl_source(tx, "main", &s_main), 0);
    add_pkg(tx, "glibc", "libc6 libc-bin", "2.39-0ubuntu8",
            "ubuntu-devel-discuss@lists.ubuntu.com");
    add_pkg(tx, "systemd", "systemd udev", "255.4-1ubuntu8",
            "ubuntu-devel-discuss@lists.ubuntu.com");
    assert_int_equal(pf_store_crawl_source(tx, "universe", &s_univ), 0);
    add_pkg(tx, "0ad", "0ad", "0.0.26-6", "ubuntu-devel-discuss@lists.ubuntu.com");
    add_pkg(tx, "zsh", "zsh zsh-common", "5.9-6ubuntu2", "ubuntu-devel-discuss@lists.ubuntu.com");
    assert_int_equal(pf_store_crawl_count(tx), 4);
    pf_crawl_info ci = ok_info(0, 4);
    assert_int_equal(pf_store_crawl_commit(tx, &ci, err, sizeof err), 0);

    /* second crawl: only main changed */
    tx = pf_store_crawl_begin(st, "ubuntu_24_04", err, sizeof err);
    assert_non_null(tx);
    s_main.checksum = "sha256:cc";
    assert_int_equal(pf_store_crawl_source(tx, "main", &s_main), 0);
    add_pkg(tx, "glibc", "libc6 libc-bin", "2.39-0ubuntu8.1",
            "ubuntu-devel-discuss@lists.ubuntu.com");
    ci = ok_info(86400, 3);
    assert_int_equal(pf_store_crawl_commit(tx, &ci, err, sizeof err), 0);

    views vs = {.text = "", .n = 0};
    assert_int_equal(pf_store_each_repo_package(st, "ubuntu_24_04", collect_view, &vs), 0);
    assert_string_equal(vs.text, "0ad=0.0.26-6 glibc=2.39-0ubuntu8.1 zsh=5.9-6ubuntu2");
    pf_source_state got;
    assert_int_equal(pf_store_source_state(st, "ubuntu_24_04", "main", &got), 0);
    assert_string_equal(got.checksum, "sha256:cc");
    pf_source_state_clear(&got);
    assert_int_equal(pf_store_source_state(st, "ubuntu_24_04", "universe", &got), 0);
    assert_string_equal(got.checksum, "sha256:bb");
    pf_source_state_clear(&got);
    assert_int_equal(get_repo(st, "ubuntu_24_04").crawl_packages, 3);
    pf_store_close(st);
}

/* Crawl one source of repo with the packages names[0..n) (version ver,
 * except the one named bump: ver2). */
static void crawl_names(pf_store *st, const char *repo, const char *const *names, size_t n,
                        const char *ver, const char *bump, const char *ver2, int offset)
{
    char err[256];
    pf_crawl_tx *tx = pf_store_crawl_begin(st, repo, err, sizeof err);
    assert_non_null(tx);
    assert_int_equal(pf_store_crawl_source(tx, "main", NULL), 0);
    for (size_t i = 0; i < n; i++)
        add_pkg(tx, names[i], names[i], bump && strcmp(bump, names[i]) == 0 ? ver2 : ver,
                "maint@example.org");
    pf_crawl_info ci = ok_info(offset, (long)n);
    assert_int_equal(pf_store_crawl_commit(tx, &ci, err, sizeof err), 0);
}

/* A re-crawl keeps the rows that did not change, with their ids and their
 * analysis results; a changed record is replaced at its id (its results go
 * to pkg_gone); a shorter source loses its last rows; a longer one grows in
 * place when it ends the table, else moves to the end in one piece. Every
 * source's rows stay exactly its stored range, in record order. */
static void test_recrawl_keeps_unchanged(void **state)
{
    (void)state;
    const char *path = db_path("store_keep");
    pf_store *st = open_ok(path);
    const char *five[] = {"bash", "curl", "gcc", "perl", "zsh"};
    crawl_names(st, "debian_13", five, 5, "1.0-1", NULL, NULL, 0);
    crawl_names(st, "nix_unstable", five, 3, "1.0", NULL, NULL, 10);
    char err[256];
    pf_analysis_tx *atx = pf_store_analysis_begin(st, 1000000, err, sizeof err);
    assert_non_null(atx);
    for (int id = 1; id <= 8; id++)
        assert_int_equal(pf_store_analysis_set(atx, id, five[(id - 1) % 5], "1.0", 0, PF_S_NEWEST),
                         0);
    assert_int_equal(pf_store_analysis_commit(atx, 8, 5, 0.1, err, sizeof err), 0);
    /* unchanged: nothing rewritten */
    crawl_names(st, "debian_13", five, 5, "1.0-1", NULL, NULL, 20);
    assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM pkg_gone"), 0);
    assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM pkg_result WHERE project IS NOT NULL"), 8);
    assert_int_equal(raw_int(path, "SELECT group_concat(id) = '1,2,3,4,5' FROM (SELECT id FROM"
                                   " package WHERE repository_id = 1 ORDER BY id)"),
                     1);
    /* one release: that row alone is replaced, at its id */
    crawl_names(st, "debian_13", five, 5, "1.0-1", "gcc", "2.0-1", 30);
    assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM pkg_gone WHERE srcname = 'gcc'"), 1);
    assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM pkg_gone"), 1);
    assert_int_equal(raw_int(path, "SELECT id FROM package WHERE raw_version = '2.0-1'"), 3);
    assert_int_equal(raw_int(path, "SELECT project IS NULL FROM pkg_result WHERE id = 3"), 1);
    assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM pkg_result WHERE project IS NOT NULL"), 7);
    /* in place: what the analysis made of it went to pkg_gone, its result
     * row is new to analysis again, its project is dirty, nothing else moved */
    assert_int_equal(raw_int(path, "SELECT project = 'gcc' AND version = '1.0' AND raw_version ="
                                   " '1.0-1' AND status = 1 FROM pkg_gone"),
                     1);
    assert_int_equal(raw_int(path, "SELECT group_concat(id) FROM pkg_result"
                                   " WHERE version IS NULL AND flags = 0 AND status = 0"
                                   " AND best_version IS NULL AND newer_versions IS NULL"),
                     3);
    assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM project_dirty WHERE name = 'gcc'"), 1);
    assert_int_equal(raw_int(path, "SELECT MAX(id) FROM package"), 8);
    /* a new source name at that place: replaced in place too, and its index
     * entry moves with it */
    const char *renamed[] = {"bash", "curl", "gdb", "perl", "zsh"};
    crawl_names(st, "debian_13", renamed, 5, "1.0-1", "gdb", "2.0-1", 35);
    assert_int_equal(raw_int(path, "SELECT id FROM package WHERE repository_id = 1"
                                   " AND srcname = 'gdb'"),
                     3);
    assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM package WHERE repository_id = 1"
                                   " AND srcname = 'gcc'"),
                     0);
    assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM pkg_gone"), 1); /* gcc's was unanalyzed */
    assert_int_equal(raw_int(path, "SELECT MAX(id) FROM package"), 8);
    assert_int_equal(raw_int(path, "SELECT integrity_check = 'ok' FROM pragma_integrity_check"), 1);
    crawl_names(st, "debian_13", five, 5, "1.0-1", "gcc", "2.0-1", 38);
    /* shorter: the last rows go */
    crawl_names(st, "debian_13", five, 3, "1.0-1", "gcc", "2.0-1", 40);
    assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM package WHERE repository_id = 1"), 3);
    assert_int_equal(raw_int(path, "SELECT pkg_last FROM source WHERE repository_id = 1"), 3);
    assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM pkg_gone"), 3);
    /* longer while nix_unstable's rows follow: moved to the end in one piece */
    crawl_names(st, "debian_13", five, 5, "1.0-1", "gcc", "2.0-1", 50);
    assert_int_equal(raw_int(path, "SELECT pkg_first || '-' || pkg_last = '9-13' FROM source"
                                   " WHERE repository_id = 1"),
                     1);
    assert_int_equal(raw_int(path, "SELECT group_concat(srcname) = 'bash,curl,gcc,perl,zsh' FROM"
                                   " (SELECT srcname FROM package WHERE id BETWEEN 9 AND 13"
                                   " ORDER BY id)"),
                     1);
    assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM package WHERE repository_id = 1"), 5);
    assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM package p JOIN pkg_result a"
                                   " USING (id, repository_id)"),
                     8);
    /* longer again, now at the end of the table: it grows in place */
    const char *six[] = {"bash", "curl", "gcc", "perl", "zsh", "zstd"};
    crawl_names(st, "debian_13", six, 6, "1.0-1", "gcc", "2.0-1", 60);
    assert_int_equal(raw_int(path, "SELECT pkg_first || '-' || pkg_last = '9-14' FROM source"
                                   " WHERE repository_id = 1"),
                     1);
    assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM package WHERE repository_id = 1"), 6);
    assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM package p JOIN pkg_result a"
                                   " USING (id, repository_id)"),
                     9);
    assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM pkg_result"), 9);
    pf_store_close(st);
}

/* Rowid-range replacement stays exact under interleaved crawls of several
 * sources and repositories, empty sources, a source given twice in one crawl,
 * and rowid reuse after the highest rows were deleted. */
static void test_source_ranges_stress(void **state)
{
    (void)state;
    const char *path = db_path("store_ranges");
    pf_store *st = open_ok(path);
    const char *repos[2] = {"debian_unstable", "ubuntu_24_04"};
    const char *srcs[3] = {"main", "contrib", "universe"};
    long expect[2][3] = {{0}};
    unsigned seed = 12345;
    char err[256], name[64];
    for (int round = 0; round < 40; round++) {
        int r = (int)((seed = seed * 1103515245u + 12345u) >> 16) % 2;
        pf_crawl_tx *tx = pf_store_crawl_begin(st, repos[r], err, sizeof err);
        assert_non_null(tx);
        for (int k = 0; k < 3; k++) {
            seed = seed * 1103515245u + 12345u;
            if ((seed >> 16) % 3 == 0)
                continue;                      /* this source not modified: keeps its packages */
            long n = (long)((seed >> 8) % 50); /* 0 .. 49, empty sources included */
            assert_int_equal(pf_store_crawl_source(tx, srcs[k], NULL), 0);
            if (round % 7 == 3) { /* same source twice: the second replaces the first */
                snprintf(name, sizeof name, "dup-%s", srcs[k]);
                add_pkg(tx, name, name, "1.0-1", NULL);
                assert_int_equal(pf_store_crawl_source(tx, srcs[k], NULL), 0);
            }
            for (long i = 0; i < n; i++) {
                snprintf(name, sizeof name, "%s-%s-%ld-r%d", repos[r], srcs[k], i, round);
                add_pkg(tx, name, name, "2.0-1", NULL);
            }
            expect[r][k] = n;
        }
        pf_crawl_info ci = ok_info(round, 0);
        assert_int_equal(pf_store_crawl_commit(tx, &ci, err, sizeof err), 0);
    }
    pf_store_close(st);
    for (int r = 0; r < 2; r++) {
        for (int k = 0; k < 3; k++) {
            char sql[512];
            snprintf(sql, sizeof sql,
                     "SELECT COUNT(*) FROM package p JOIN source s ON s.id = p.source_id"
                     " JOIN repository r ON r.id = s.repository_id"
                     " WHERE r.name = '%s' AND s.name = '%s'",
                     repos[r], srcs[k]);
            assert_int_equal(raw_int(path, sql), expect[r][k]);
            /* every package of the source carries its own name prefix (no strays) */
            snprintf(sql, sizeof sql,
                     "SELECT COUNT(*) FROM package p JOIN source s ON s.id = p.source_id"
                     " JOIN repository r ON r.id = s.repository_id"
                     " WHERE r.name = '%s' AND s.name = '%s' AND p.srcname NOT LIKE '%s-%s-%%'",
                     repos[r], srcs[k], repos[r], srcs[k]);
            assert_int_equal(raw_int(path, sql), 0);
        }
    }
    assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM package WHERE srcname LIKE 'dup-%'"), 0);
}

/* Adding before a source is chosen, or a record without a version, is an error. */
static void test_crawl_add_errors(void **state)
{
    (void)state;
    pf_store *st = open_ok(db_path("store_adderr"));
    char err[256];
    pf_crawl_tx *tx = pf_store_crawl_begin(st, "debian_unstable", err, sizeof err);
    assert_non_null(tx);
    pf_record rec = {.srcname = "bash", .version = "5.2.21-2"};
    assert_int_equal(pf_store_crawl_add(tx, &rec), -1);
    assert_non_null(strstr(pf_store_errmsg(st), "no source"));
    assert_int_equal(pf_store_crawl_source(tx, "main", NULL), 0);
    rec.version = NULL;
    assert_int_equal(pf_store_crawl_add(tx, &rec), -1);
    assert_non_null(strstr(pf_store_errmsg(st), "version"));
    assert_int_equal(pf_store_crawl_count(tx), 0);
    pf_store_crawl_abort(tx);
    pf_store_close(st);
}

/* Every attempt is kept: history count per repository. */
static void test_crawl_history_count(void **state)
{
    (void)state;
    const char *path = db_path("store_history");
    pf_store *st = open_ok(path);
    for (int i = 0; i < 5; i++)
        crawl_snapshot_a(st);
    pf_crawl_info ci = {.started = T0, .finished = T0 + 1, .status = "failed", .error = "timeout"};
    assert_int_equal(pf_store_crawl_record(st, "debian_unstable", &ci), 0);
    assert_int_equal(pf_store_crawl_record(st, "ubuntu_24_04", &ci), 0);
    pf_store_close(st);
    assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM crawl c JOIN repository r"
                                   " ON r.id = c.repository_id WHERE r.name = 'debian_unstable'"),
                     6);
    assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM crawl WHERE status = 'ok'"), 5);
    assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM package"), 3);
}

/* ---- analysis ---------------------------------------------------------- */

/* Collects package ids in iteration order. */
typedef struct ids {
    int64_t id[16];
    char repo[16][32];
    char src[16][32];
    int n;
} ids;

/* pf_pkg_row_fn recording id, repository and srcname. */
static int collect_ids(void *ctx, const pf_pkg_row *r)
{
    ids *v = ctx;
    assert_true(v->n < 16);
    v->id[v->n] = r->id;
    snprintf(v->repo[v->n], sizeof v->repo[0], "%s", r->repo_id);
    snprintf(v->src[v->n], sizeof v->src[0], "%s", r->srcname);
    assert_non_null(r->raw_version);
    v->n++;
    return 0;
}

/* Stops after the first row, to check early termination. */
static int stop_first(void *ctx, const pf_pkg_row *r)
{
    (void)r;
    (*(int *)ctx)++;
    return 7;
}

/* pf_pkg_row_fn of the results-only reads: "id:repo:project:status" per row. */
static int collect_results(void *ctx, const pf_pkg_row *r)
{
    views *vs = ctx;
    assert_null(r->raw_version); /* the crawl data stays unread */
    size_t len = strlen(vs->text);
    snprintf(vs->text + len, sizeof vs->text - len, "%s%lld:%s:%s:%d", len ? " " : "",
             (long long)r->id, r->repo_id, r->project, r->status);
    vs->n++;
    return 0;
}

/* pf_keep_fn keeping the projects whose names start with the letter in ctx. */
static int keep_letter(void *ctx, const char *project, size_t len)
{
    assert_int_equal(strlen(project), len);
    return project[0] == *(const char *)ctx;
}

/* pf_pkg_view_fn recording "repo:srcname:version:status". */
static int collect_project(void *ctx, const pf_pkg_view *v)
{
    views *vs = ctx;
    size_t len = strlen(vs->text);
    snprintf(vs->text + len, sizeof vs->text - len, "%s%s:%s:%s:%d", len ? " " : "", v->repo_id,
             v->srcname, v->version ? v->version : "-", v->status);
    vs->n++;
    return 0;
}

/* What pf_store_each_project_flags gave, and after how many rows to stop. */
typedef struct flag_views {
    char text[256];
    int n, stop_after;
} flag_views;

/* pf_pkg_view_fn recording "family:version:flags:status"; returns 7 to stop. */
static int collect_flags(void *ctx, const pf_pkg_view *v)
{
    flag_views *fs = ctx;
    size_t len = strlen(fs->text);
    snprintf(fs->text + len, sizeof fs->text - len, "%s%s:%s:%u:%d", len ? " " : "",
             v->family ? v->family : "-", v->version ? v->version : "-", v->flags, v->status);
    return ++fs->n == fs->stop_after ? 7 : 0;
}

/* Analysis results are stored per package and per repository, and read back. */
static void test_analysis_roundtrip(void **state)
{
    (void)state;
    const char *path = db_path("store_analysis");
    pf_catalog cat;
    pf_store *st = open_synced(path, &cat);
    crawl_snapshot_a(st);
    char err[256];
    pf_crawl_tx *tx = pf_store_crawl_begin(st, "ubuntu_24_04", err, sizeof err);
    assert_non_null(tx);
    assert_int_equal(pf_store_crawl_source(tx, "main", NULL), 0);
    add_pkg(tx, "zlib", "zlib1g", "1:1.3.dfsg-3.1ubuntu2", "ubuntu-devel-discuss@lists.ubuntu.com");
    add_pkg(tx, "curl", "curl", "8.5.0-2ubuntu10", "ubuntu-devel-discuss@lists.ubuntu.com");
    pf_crawl_info ci = ok_info(10, 2);
    assert_int_equal(pf_store_crawl_commit(tx, &ci, err, sizeof err), 0);

    ids v;
    memset(&v, 0, sizeof v);
    assert_int_equal(pf_store_each_package(st, collect_ids, &v), 0);
    assert_int_equal(v.n, 5);
    /* in rowid order: the debian snapshot first, then ubuntu's in insertion order */
    for (int i = 1; i < v.n; i++)
        assert_true(v.id[i] > v.id[i - 1]);
    assert_string_equal(v.repo[0], "debian_unstable");
    assert_string_equal(v.repo[2], "debian_unstable");
    assert_string_equal(v.repo[3], "ubuntu_24_04");
    assert_string_equal(v.src[3], "zlib");
    assert_string_equal(v.src[4], "curl");
    int calls = 0;
    assert_int_equal(pf_store_each_package(st, stop_first, &calls), 7);
    assert_int_equal(calls, 1);

    assert_int_equal(pf_store_last_analysis(st), 0);
    pf_analysis_tx *atx = pf_store_analysis_begin(st, T0 + 1000, err, sizeof err);
    assert_non_null(atx);
    /* debian: bash newest, curl newest, zlib newest; ubuntu: curl newest, zlib newest */
    for (int i = 0; i < v.n; i++) {
        const char *ver = strcmp(v.src[i], "bash") == 0   ? "5.2.21"
                          : strcmp(v.src[i], "curl") == 0 ? "8.5.0"
                                                          : "1.3";
        int st_ = strcmp(v.repo[i], "ubuntu_24_04") == 0 && strcmp(v.src[i], "curl") == 0
                      ? PF_S_OUTDATED
                      : PF_S_NEWEST;
        assert_int_equal(pf_store_analysis_set(atx, v.id[i], v.src[i], ver, 0, st_), 0);
    }
    assert_int_equal(pf_store_analysis_set(atx, 999999, "ghost", "1", 0, PF_S_NEWEST), -1);
    /* status and staleness alone: the rule results stay */
    assert_int_equal(pf_store_analysis_set_status(atx, v.id[4], PF_S_OUTDATED, "8.6.0", 2, T0), 0);
    assert_int_equal(pf_store_analysis_set_status(atx, 999999, PF_S_NEWEST, NULL, -1, 0), -1);
    assert_non_null(strstr(pf_store_errmsg(st), "no package with id 999999"));
    /* the best version and newer count alone: status and days behind stay
     * (checked after the commit below) */
    assert_int_equal(pf_store_analysis_set_best(atx, v.id[4], "8.7.0", 3), 0);
    assert_int_equal(pf_store_analysis_set_best(atx, 999999, NULL, -1), -1);
    assert_non_null(strstr(pf_store_errmsg(st), "no package with id 999999"));
    pf_repo_stats s;
    memset(&s, 0, sizeof s);
    s.repo_id = "debian_unstable";
    s.num_packages = 3;
    s.pkg_status[PF_S_NEWEST] = 3;
    s.num_projects = 3;
    s.num_newest = 3;
    s.num_comparable = 3;
    s.num_maintainers = 3;
    s.median_lag_days = -1;
    s.p90_lag_days = -1;
    assert_int_equal(pf_store_analysis_stats(atx, &s), 0);
    memset(&s, 0, sizeof s);
    s.repo_id = "ubuntu_24_04";
    s.num_packages = 2;
    s.pkg_status[PF_S_NEWEST] = 1;
    s.pkg_status[PF_S_OUTDATED] = 1;
    s.pkg_status[PF_S_ROLLING] = 0;
    s.num_projects = 2;
    s.num_newest = 1;
    s.num_outdated = 1;
    s.num_comparable = 2;
    s.num_problematic = 1;
    s.num_maintainers = 1;
    s.median_lag_days = 12.5;
    s.p90_lag_days = 40.25;
    assert_int_equal(pf_store_analysis_stats(atx, &s), 0);
    s.repo_id = "not_in_db";
    assert_int_equal(pf_store_analysis_stats(atx, &s), -1);
    assert_non_null(strstr(pf_store_errmsg(st), "not_in_db"));
    assert_int_equal(pf_store_analysis_commit(atx, 5, 3, 0.25, err, sizeof err), 0);

    assert_int_equal(pf_store_last_analysis(st), T0 + 1000);
    /* the touched-project reads of the incremental analysis: counted in the
     * index (stopping past the limit), project by project, or in one pass */
    const char *const some[] = {"curl", "zlib", "no-such-project"};
    assert_int_equal(pf_store_count_packages_of(st, some, 3, 100), 4);
    assert_int_equal(pf_store_count_packages_of(st, some, 3, 1), 2);
    assert_int_equal(pf_store_count_packages_of(st, some + 2, 1, 100), 0);
    views by_index = {.text = ""}, by_pass = {.text = ""};
    assert_int_equal(pf_store_each_package_of(st, some, 1, collect_results, &by_index), 0);
    char want[128] = "";
    for (int i = 0; i < v.n; i++) /* v is in rowid order */
        if (strcmp(v.src[i], "curl") == 0)
            snprintf(want + strlen(want), sizeof want - strlen(want), "%s%lld:%s:curl:%d",
                     *want ? " " : "", (long long)v.id[i], v.repo[i],
                     i == 4 ? PF_S_OUTDATED : PF_S_NEWEST);
    assert_string_equal(by_index.text, want);
    assert_int_equal(pf_store_each_package_if(st, keep_letter, "c", collect_results, &by_pass), 0);
    assert_string_equal(by_pass.text, by_index.text);
    by_pass = (views){.text = ""};
    assert_int_equal(pf_store_each_package_if(st, keep_letter, "q", collect_results, &by_pass), 0);
    assert_int_equal(by_pass.n, 0);
    /* the filter exists for that statement only */
    assert_int_equal(conn_int(st, "SELECT count(*) FROM pragma_function_list"
                                  " WHERE name = 'pf_keep'"),
                     0);
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT project = 'curl' AND version = '8.5.0' AND status = %d"
             " AND best_version = '8.7.0' AND newer_versions = 3 AND behind_since = %lld"
             " FROM pkg_result WHERE id = %lld",
             PF_S_OUTDATED, (long long)T0, (long long)v.id[4]);
    assert_int_equal(raw_int(path, sql), 1);
    repo_seen rs = get_repo(st, "ubuntu_24_04");
    assert_true(rs.has_stats);
    assert_int_equal(rs.stats_taken_at, T0 + 1000);
    assert_int_equal(rs.stats.num_packages, 2);
    assert_int_equal(rs.stats.pkg_status[PF_S_NEWEST], 1);
    assert_int_equal(rs.stats.pkg_status[PF_S_OUTDATED], 1);
    assert_int_equal(rs.stats.pkg_status[PF_S_ROLLING], 0);
    assert_int_equal(rs.stats.num_outdated, 1);
    assert_int_equal(rs.stats.num_comparable, 2);
    assert_int_equal(rs.stats.num_newest, 1);
    assert_int_equal(rs.stats.num_problematic, 1);
    assert_true(fabs(pf_stats_pct(rs.stats.num_newest, rs.stats.num_comparable) - 50.0) < 1e-9);
    assert_true(rs.stats.median_lag_days > 12.49 && rs.stats.median_lag_days < 12.51);
    assert_true(rs.stats.p90_lag_days > 40.24 && rs.stats.p90_lag_days < 40.26);
    rs = get_repo(st, "debian_unstable");
    assert_true(rs.has_stats);
    assert_true(rs.stats.median_lag_days < 0); /* unknown stays unknown */

    views vs = {.text = "", .n = 0};
    assert_int_equal(pf_store_each_project_package(st, "curl", collect_project, &vs), 0);
    assert_string_equal(vs.text, "debian_unstable:curl:8.5.0:1 ubuntu_24_04:curl:8.5.0:2");
    /* the narrow read compare makes: every package, or as many as the callback wants */
    flag_views fs = {.text = ""};
    assert_int_equal(pf_store_each_project_flags(st, "curl", collect_flags, &fs), 0);
    assert_string_equal(fs.text, "debuntu:8.5.0:0:1 debuntu:8.5.0:0:2");
    fs = (flag_views){.text = "", .stop_after = 1};
    assert_int_equal(pf_store_each_project_flags(st, "curl", collect_flags, &fs), 7);
    assert_int_equal(fs.n, 1);
    fs = (flag_views){.text = ""};
    assert_int_equal(pf_store_each_project_flags(st, "no-such-project", collect_flags, &fs), 0);
    assert_int_equal(fs.n, 0);

    /* a second run adds history; each_repo shows the newest; aborted run leaves nothing */
    atx = pf_store_analysis_begin(st, T0 + 2000, err, sizeof err);
    assert_non_null(atx);
    s.repo_id = "ubuntu_24_04";
    s.num_newest = 2;
    assert_int_equal(pf_store_analysis_stats(atx, &s), 0);
    assert_int_equal(pf_store_analysis_commit(atx, 5, 3, 0.2, err, sizeof err), 0);
    atx = pf_store_analysis_begin(st, T0 + 3000, err, sizeof err);
    assert_non_null(atx);
    assert_int_equal(pf_store_analysis_stats(atx, &s), 0);
    pf_store_analysis_abort(atx);
    assert_int_equal(pf_store_last_analysis(st), T0 + 2000);
    rs = get_repo(st, "ubuntu_24_04");
    assert_int_equal(rs.stats_taken_at, T0 + 2000);
    assert_int_equal(rs.stats.num_newest, 2);
    /* debian's latest row is still from the first run */
    assert_int_equal(get_repo(st, "debian_unstable").stats_taken_at, T0 + 1000);
    pf_store_close(st);
    assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM repo_stats"), 3);
    assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM analysis_run"), 2);
    assert_int_equal(raw_int(path, "SELECT packages FROM analysis_run WHERE id = 1"), 5);
    free_catalog(&cat);
}

/* ---- volume ------------------------------------------------------------ */

/* Counts rows and checks srcname order. */
typedef struct counter {
    long n;
    char last[64];
    int ordered;
} counter;

/* pf_pkg_view_fn counting rows and checking srcname ordering. */
static int count_view(void *ctx, const pf_pkg_view *v)
{
    counter *c = ctx;
    if (c->n > 0 && strcmp(c->last, v->srcname) > 0)
        c->ordered = 0;
    snprintf(c->last, sizeof c->last, "%s", v->srcname);
    c->n++;
    return 0;
}

/* Seconds between two monotonic times. */
static double elapsed(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/* Insert `n` packages in one crawl of debian_unstable/main. */
static void bulk_crawl(pf_store *st, long n, int offset)
{
    char err[256], name[64], ver[64], bins[128];
    pf_crawl_tx *tx = pf_store_crawl_begin(st, "debian_unstable", err, sizeof err);
    assert_non_null(tx);
    assert_int_equal(pf_store_crawl_source(tx, "main", NULL), 0);
    for (long i = 0; i < n; i++) {
        /* reverse order so the srcname ORDER BY is really exercised */
        snprintf(name, sizeof name, "libpkg%06ld", n - i);
        snprintf(ver, sizeof ver, "%ld.%d.%ld-1", i % 17, offset, i % 5);
        snprintf(bins, sizeof bins, "%s %s-dev %s-doc", name, name, name);
        pf_record rec = {.srcname = name,
                         .binnames = bins,
                         .version = ver,
                         .maintainers = "debian-devel@lists.debian.org",
                         .homepage = "https://www.example.org/projects/libpkg",
                         .license = "GPL-2+",
                         .category = "libs",
                         .summary = NULL,
                         .flags = 0};
        if (pf_store_crawl_add(tx, &rec) != 0)
            fail_msg("add: %s", pf_store_errmsg(st));
    }
    pf_crawl_info ci = ok_info(offset, n);
    assert_int_equal(pf_store_crawl_commit(tx, &ci, err, sizeof err), 0);
}

/* 40k rows in one transaction land completely; a second crawl replaces them. */
static void test_bulk_insert(void **state)
{
    (void)state;
    const char *path = db_path("store_bulk");
    pf_store *st = open_ok(path);
    struct timespec a, b, c;
    clock_gettime(CLOCK_MONOTONIC, &a);
    bulk_crawl(st, 40000, 0);
    clock_gettime(CLOCK_MONOTONIC, &b);
    bulk_crawl(st, 40000, 1);
    clock_gettime(CLOCK_MONOTONIC, &c);
    print_message("bulk: 40000 packages inserted in %.3f s, replaced in %.3f s\n", elapsed(&a, &b),
                  elapsed(&b, &c));
    counter cnt = {.n = 0, .last = "", .ordered = 1};
    assert_int_equal(pf_store_each_repo_package(st, "debian_unstable", count_view, &cnt), 0);
    assert_int_equal(cnt.n, 40000);
    assert_true(cnt.ordered);
    assert_string_equal(cnt.last, "libpkg040000");
    assert_int_equal(get_repo(st, "debian_unstable").crawl_packages, 40000);
    pf_store_close(st);
    assert_int_equal(raw_int(path, "SELECT COUNT(*) FROM package WHERE raw_version LIKE '%.1.%'"),
                     40000);
    assert_int_equal(raw_int(path, "SELECT MAX(packages) FROM crawl"), 40000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_migrate_empty),
        cmocka_unit_test(test_migrate_from_3),
        cmocka_unit_test(test_reopen_idempotent),
        cmocka_unit_test(test_sync_in_sync_reads_only),
        cmocka_unit_test(test_file_mode),
        cmocka_unit_test(test_wal_and_foreign_keys),
        cmocka_unit_test(test_newer_schema_refused),
        cmocka_unit_test(test_migrate_from_4),
        cmocka_unit_test(test_migrate_from_6),
        cmocka_unit_test(test_migrate_from_7),
        cmocka_unit_test(test_read_few_and_gc_settings),
        cmocka_unit_test(test_rebuild_sets_aside),
        cmocka_unit_test(test_summary_given),
        cmocka_unit_test(test_summary_all),
        cmocka_unit_test(test_not_a_database),
        cmocka_unit_test(test_default_path),
        cmocka_unit_test(test_catalog_sync),
        cmocka_unit_test(test_crawl_commit_visible),
        cmocka_unit_test(test_crawl_abort_keeps_snapshot),
        cmocka_unit_test(test_failed_crawl_kept),
        cmocka_unit_test(test_per_source_replacement),
        cmocka_unit_test(test_recrawl_keeps_unchanged),
        cmocka_unit_test(test_source_ranges_stress),
        cmocka_unit_test(test_crawl_add_errors),
        cmocka_unit_test(test_crawl_history_count),
        cmocka_unit_test(test_analysis_roundtrip),
        cmocka_unit_test(test_bulk_insert),
        cmocka_unit_test(test_analysis_cache_restored),
        cmocka_unit_test(test_crawl_cache_restored),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
