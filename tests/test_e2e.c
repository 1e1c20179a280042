/*
 * test_e2e.c — the whole pipe through the real binary: crawl two small
 * repositories over a loopback HTTP server, analyze, query, render; then the
 * failure paths (304, 404, corrupt body) and usage errors.
 *
 * Expected numbers are computed by hand from tests/fixtures/e2e/{a,b}.Sources
 * (two families, seven packages each):
 *   project     A (debuntu)        B (other)        A status  B status
 *   bash        5.2.21             5.1              newest    outdated
 *   curl        8.5.0              8.6.0            outdated  newest
 *   gcc-13      13.2.0             13.3.0~rc1 devel newest    devel
 *   python3.12  3.12.1             3.12.1           newest    newest
 *   vim         9.0.2189           9.1.0            outdated  newest
 *   zlib        1.3 (+dfsg)        1.3              newest    newest
 *   only-in-a   1.0                -                unique
 *   only-in-b   -                  2.0                        unique
 */
#include <cairo.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "httpd.h"
#include "jsonutil.h"
#include "testutil.h"

typedef struct e2e {
    tu_httpd *srv;
    char dir[512], db[600], mirror[600];
    char *a_xz, *b_gz;
    size_t a_len, b_len;
} e2e;

/* Serve both fixture indexes with ETags. */
static void serve_ok(e2e *t)
{
    tu_route a = {.path = "/a/Sources.xz", .body = t->a_xz, .body_len = t->a_len, .etag = "\"a1\""};
    tu_route b = {.path = "/b/Sources.gz",
                  .body = t->b_gz,
                  .body_len = t->b_len,
                  .etag = "\"b1\"",
                  .last_modified = "Wed, 25 Nov 2026 10:00:00 GMT"};
    tu_httpd_route(t->srv, &a);
    tu_httpd_route(t->srv, &b);
}

/* Start the server, a fresh database directory, the fixtures in memory. */
static int setup(void **state)
{
    e2e *t = calloc(1, sizeof *t);
    t->srv = tu_httpd_start();
    assert_non_null(t->srv);
    snprintf(t->dir, sizeof t->dir, "%s", tu_tmpdir("e2e"));
    snprintf(t->db, sizeof t->db, "%s/pkgfresh.db", t->dir);
    snprintf(t->mirror, sizeof t->mirror, "test=%s", tu_httpd_url(t->srv, ""));
    t->a_xz = tu_slurp(tu_fixture("e2e/a.Sources.xz"), &t->a_len);
    t->b_gz = tu_slurp(tu_fixture("e2e/b.Sources.gz"), &t->b_len);
    assert_non_null(t->a_xz);
    assert_non_null(t->b_gz);
    serve_ok(t);
    setenv("PKGFRESH_NOW", "1764064800", 1); /* 2025-11-25 10:00 UTC */
    *state = t;
    return 0;
}

/* Stop the server and free the fixtures. */
static int teardown(void **state)
{
    e2e *t = *state;
    tu_httpd_stop(t->srv);
    free(t->a_xz);
    free(t->b_gz);
    free(t);
    return 0;
}

/* Run pkgfresh with the test database, catalog and mirror plus the NULL-terminated args. */
static int pfv(e2e *t, char **out, char **err, const char *const *args)
{
    /* --rules none: the expectations above are computed from source names */
    char *argv[32] = {(char *)tu_pkgfresh(),
                      "--db",
                      t->db,
                      "--catalog",
                      (char *)tu_fixture("e2e/catalog.yaml"),
                      "--mirror",
                      t->mirror,
                      "--rules",
                      "none"};
    int n = 9;
    for (; n < 31 && *args; args++)
        argv[n++] = (char *)*args;
    argv[n] = NULL;
    return tu_run(argv, out, err);
}

/* pfv with the arguments inline (NULL-terminated). */
static int pf(e2e *t, char **out, char **err, ...)
{
    const char *args[32];
    int n = 0;
    va_list ap;
    va_start(ap, err);
    while (n < 31 && (args[n] = va_arg(ap, const char *)) != NULL)
        n++;
    va_end(ap);
    args[n] = NULL;
    return pfv(t, out, err, args);
}

/* Crawl both over HTTP, analyze, and check stats by hand-computed numbers. */
static void test_crawl_stats_compare(void **state)
{
    e2e *t = *state;
    char *out, *err;
    int rc = pf(t, &out, &err, "crawl", "--format", "json", NULL);
    if (rc != 0)
        fail_msg("crawl exit %d: %s", rc, err);
    json_t *j = tu_json_parse(out);
    assert_int_equal(json_array_size(j), 2);
    assert_string_equal(
        json_string_value(json_object_get(tu_json_row(j, "repository", "test_a"), "status")), "ok");
    assert_int_equal(tu_json_int(tu_json_row(j, "repository", "test_a"), "packages"), 7);
    assert_int_equal(tu_json_int(tu_json_row(j, "repository", "test_b"), "packages"), 7);
    assert_int_equal(tu_json_int(tu_json_row(j, "repository", "test_a"), "bytes"),
                     (long long)t->a_len);
    json_decref(j);
    free(out);
    free(err);

    rc = pf(t, &out, &err, "stats", "--format", "json", NULL);
    assert_int_equal(rc, 0);
    j = tu_json_parse(out);
    json_t *a = tu_json_row(j, "repository", "test_a"), *b = tu_json_row(j, "repository", "test_b");
    assert_int_equal(tu_json_int(a, "packages"), 7);
    assert_int_equal(tu_json_int(a, "projects"), 7);
    /* Repology's statistics page: newest is not unique, up to date, none outdated */
    assert_int_equal(tu_json_int(a, "unique"), 1);
    assert_int_equal(tu_json_int(a, "nonunique"), 6);
    assert_int_equal(tu_json_int(a, "newest"), 4);
    assert_int_equal(tu_json_int(a, "outdated"), 2);
    assert_int_equal(tu_json_int(a, "comparable"), 6);
    assert_int_equal(tu_json_int(a, "problematic"), 0);
    assert_int_equal(tu_json_int(a, "maintainers"), 9);
    assert_float_equal(json_real_value(json_object_get(a, "newest_pct")), 66.67, 0.001);
    assert_float_equal(json_real_value(json_object_get(a, "outdated_pct")), 33.33, 0.001);
    assert_float_equal(json_real_value(json_object_get(a, "unique_pct")), 14.29, 0.001);
    assert_float_equal(json_real_value(json_object_get(a, "problematic_pct")), 0.0, 0.001);
    assert_null(json_object_get(a, "fresh")); /* the former names are gone */
    assert_null(json_object_get(a, "freshness"));
    assert_int_equal(tu_json_int(b, "unique"), 1);
    assert_int_equal(tu_json_int(b, "newest"), 5);
    assert_int_equal(tu_json_int(b, "outdated"), 1);
    assert_int_equal(tu_json_int(b, "comparable"), 6);
    assert_int_equal(tu_json_int(b, "maintainers"), 6);
    assert_float_equal(json_real_value(json_object_get(b, "newest_pct")), 83.33, 0.001);
    assert_float_equal(json_real_value(json_object_get(b, "outdated_pct")), 16.67, 0.001);
    json_decref(j);
    free(out);
    free(err);

    rc = pf(t, &out, &err, "compare", "testa", "test_b", "--format", "json", NULL);
    assert_int_equal(rc, 0);
    j = tu_json_parse(out);
    assert_int_equal(tu_json_int(tu_json_row(j, "kind", "newer-a"), "projects"), 1);
    assert_int_equal(tu_json_int(tu_json_row(j, "kind", "newer-b"), "projects"), 3);
    assert_int_equal(tu_json_int(tu_json_row(j, "kind", "same"), "projects"), 2);
    assert_int_equal(tu_json_int(tu_json_row(j, "kind", "only-a"), "projects"), 1);
    assert_int_equal(tu_json_int(tu_json_row(j, "kind", "only-b"), "projects"), 1);
    long long sum = 0; /* every project of either repository counted exactly once */
    for (size_t k = 0; k < json_array_size(j); k++)
        sum += tu_json_int(json_array_get(j, k), "projects");
    assert_int_equal(sum, 8);
    json_decref(j);
    free(out);
    free(err);

    rc = pf(t, &out, &err, "compare", "test_a", "test_b", "--list", "newer-b", "--format", "csv",
            NULL);
    assert_int_equal(rc, 0);
    assert_string_equal(out, "project,version_a,version_b,rawversion_a,rawversion_b,lag_days\n"
                             "curl,8.5.0,8.6.0,8.5.0-2,8.6.0-1,\n"
                             "gcc-13,13.2.0,13.3.0~rc1,13.2.0-9,13.3.0~rc1-1,\n"
                             "vim,9.0.2189,9.1.0,2:9.0.2189-1,2:9.1.0-1,\n");
    free(out);
    free(err);

    rc = pf(t, &out, &err, "packages", "test_b", "--format", "csv", NULL);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "srcname,rawversion,version,project,flags,status,binnames\n"));
    assert_non_null(strstr(out, "\nbash,5.1-6,5.1,bash,,outdated,"));
    assert_non_null(strstr(out, "\ngcc-13,13.3.0~rc1-1,13.3.0~rc1,gcc-13,devel,devel,gcc-13\n"));
    assert_non_null(strstr(out, "\nonly-in-b,2.0-1,2.0,only-in-b,,unique,only-in-b\n"));
    free(out);
    free(err);
    rc = pf(t, &out, &err, "packages", "test_a", "--format", "json", NULL);
    assert_int_equal(rc, 0);
    j = tu_json_parse(out);
    json_t *z = tu_json_row(j, "srcname", "zlib");
    assert_string_equal(json_string_value(json_object_get(z, "rawversion")), "1:1.3+dfsg-3");
    assert_string_equal(json_string_value(json_object_get(z, "version")), "1.3");
    assert_string_equal(json_string_value(json_object_get(z, "status")), "newest");
    assert_true(json_is_null(json_object_get(z, "flags"))); /* none */
    json_decref(j);
    free(out);
    free(err);

    /* the history of that one analysis, in each format: the numbers above,
     * aligned (names left, numbers right), unknown lags as "-", empty, null */
    rc = pf(t, &out, &err, "history", NULL);
    assert_int_equal(rc, 0);
    assert_string_equal(
        out, "repository  date                  projects  unique  newest  newest_pct  outdated"
             "  outdated_pct  comparable  problematic  median_lag_days  p90_lag_days\n"
             "test_a      2025-11-25T10:00:00Z         7       1       4       66.67         2"
             "         33.33           6            0                -             -\n"
             "test_b      2025-11-25T10:00:00Z         7       1       5       83.33         1"
             "         16.67           6            0                -             -\n");
    free(out);
    free(err);
    rc = pf(t, &out, &err, "history", "--format", "csv", NULL);
    assert_int_equal(rc, 0);
    assert_string_equal(out, "repository,date,projects,unique,newest,newest_pct,outdated,"
                             "outdated_pct,comparable,problematic,median_lag_days,p90_lag_days\n"
                             "test_a,2025-11-25T10:00:00Z,7,1,4,66.67,2,33.33,6,0,,\n"
                             "test_b,2025-11-25T10:00:00Z,7,1,5,83.33,1,16.67,6,0,,\n");
    free(out);
    free(err);
    rc = pf(t, &out, &err, "history", "test_b", "--format", "json", NULL);
    assert_int_equal(rc, 0);
    assert_string_equal(
        out, "[\n {\"repository\": \"test_b\", \"date\": \"2025-11-25T10:00:00Z\", \"projects\": 7,"
             " \"unique\": 1, \"newest\": 5, \"newest_pct\": 83.33, \"outdated\": 1,"
             " \"outdated_pct\": 16.67, \"comparable\": 6, \"problematic\": 0,"
             " \"median_lag_days\": null, \"p90_lag_days\": null}\n]\n");
    free(out);
    free(err);
}

/* A second crawl sends the validators and gets 304: nothing re-parsed. */
static void test_not_modified(void **state)
{
    e2e *t = *state;
    char *out, *err;
    int before = tu_httpd_count(t->srv, "/a/Sources.xz");
    int rc = pf(t, &out, &err, "crawl", "test_a", "test_b", "--format", "csv", NULL);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "test_a,not_modified,"));
    assert_non_null(strstr(out, "test_b,not_modified,"));
    assert_int_equal(tu_httpd_count(t->srv, "/a/Sources.xz"), before + 1);
    char *req = tu_httpd_last_request(t->srv, "/a/Sources.xz");
    assert_non_null(req);
    assert_non_null(strcasestr(req, "If-None-Match: \"a1\""));
    assert_non_null(strcasestr(req, "User-Agent: pkgfresh/"));
    free(req);
    req = tu_httpd_last_request(t->srv, "/b/Sources.gz");
    assert_non_null(strcasestr(req, "If-Modified-Since: Wed, 25 Nov 2026 10:00:00 GMT"));
    free(req);
    free(out);
    free(err);
    /* Not due: a plain crawl (no names) within the update period does nothing. */
    rc = pf(t, &out, &err, "crawl", "--format", "csv", NULL);
    assert_int_equal(rc, 0);
    assert_int_equal(tu_httpd_count(t->srv, "/a/Sources.xz"), before + 1);
    free(out);
    free(err);
}

static const char *write_tsv(e2e *t, const char *name, int n, int v);
static void exec_sql(e2e *t, const char *sql);

/* Count the packages of a repository through the CLI. */
static int count_packages(e2e *t, const char *repo)
{
    char *out, *err;
    assert_int_equal(pf(t, &out, &err, "packages", repo, "--format", "csv", NULL), 0);
    int n = -1; /* header line */
    for (char *p = out; *p; p++)
        n += *p == '\n';
    free(out);
    free(err);
    return n;
}

/* 404 on one repository, garbage on the other: both fail with a one-line
 * error naming repository, URL and cause; snapshots stay; exit status 1. */
static void test_failures_keep_snapshot(void **state)
{
    e2e *t = *state;
    tu_route gone = {.path = "/b/Sources.gz", .status = 404, .body = "not here", .body_len = 8};
    tu_route junk = {.path = "/a/Sources.xz",
                     .body = "\xfd"
                             "7zXZ\0garbage garbage",
                     .body_len = 20,
                     .etag = "\"a2\""};
    tu_httpd_route(t->srv, &gone);
    tu_httpd_route(t->srv, &junk);
    char *out, *err;
    int rc = pf(t, &out, &err, "crawl", "test_a", "test_b", "--format", "csv", NULL);
    assert_int_equal(rc, 1);
    assert_non_null(strstr(out, "test_a,failed,"));
    assert_non_null(strstr(out, "test_b,failed,"));
    const char *l = strstr(err, "crawl test_b: ");
    assert_non_null(l);
    const char *eol = strchr(l, '\n');
    char line[1024];
    snprintf(line, sizeof line, "%.*s", (int)(eol - l), l);
    assert_non_null(strstr(line, "/b/Sources.gz"));
    assert_non_null(strstr(line, "404"));
    l = strstr(err, "crawl test_a: ");
    assert_non_null(l);
    assert_non_null(strstr(l, "xz"));
    free(out);
    free(err);
    assert_int_equal(count_packages(t, "test_a"), 7);
    assert_int_equal(count_packages(t, "test_b"), 7);
    /* history keeps every attempt */
    rc = pf(t, &out, &err, "repos", "--format", "csv", NULL);
    assert_non_null(strstr(out, "test_b,other,deb-sources,Test B,1,7,"));
    assert_non_null(strstr(out, ",failed,,0\n"));
    free(out);
    free(err);
    serve_ok(t);
}

/* A server without ETag or Last-Modified: the body checksum says "unchanged"
 * and nothing is parsed; a changed body is parsed. */
static void test_checksum_without_validators(void **state)
{
    e2e *t = *state;
    tu_route bare = {.path = "/a/Sources.xz", .body = t->a_xz, .body_len = t->a_len};
    tu_httpd_route(t->srv, &bare);
    char *out, *err;
    int rc = pf(t, &out, &err, "crawl", "test_a", "--format", "csv", NULL);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "test_a,not_modified,,"));
    char *req = tu_httpd_last_request(t->srv, "/a/Sources.xz");
    assert_non_null(strcasestr(req, "If-None-Match: \"a1\""));
    free(req);
    free(out);
    free(err);
    /* same content, recompressed: different bytes, so it is parsed again */
    size_t gzlen;
    char *gz = tu_slurp(tu_fixture("e2e/a.Sources.gz"), &gzlen);
    assert_non_null(gz);
    tu_route regz = {.path = "/a/Sources.xz", .body = gz, .body_len = gzlen};
    tu_httpd_route(t->srv, &regz);
    free(gz);
    rc = pf(t, &out, &err, "crawl", "test_a", "--format", "csv", NULL);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "test_a,ok,7,"));
    free(out);
    free(err);
    serve_ok(t);
}

/* --from parses a local file through the same pipeline (plain, uncompressed). */
static void test_from_file(void **state)
{
    e2e *t = *state;
    char *out, *err;
    int rc = pf(t, &out, &err, "crawl", "test_b", "--from", tu_fixture("e2e/b.Sources"), "--format",
                "csv", NULL);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "test_b,ok,7,"));
    free(out);
    free(err);
    assert_int_equal(count_packages(t, "test_b"), 7);
    rc = pf(t, &out, &err, "crawl", "test_b", "--from", "/nonexistent/Sources", NULL);
    assert_int_equal(rc, 1);
    assert_non_null(strstr(err, "/nonexistent/Sources"));
    free(out);
    free(err);
    assert_int_equal(count_packages(t, "test_b"), 7);
}

/* PKGFRESH_TIMINGS: analyze names each phase on stderr as it ends, with
 * its seconds; without it, not a line of them (and stdout is the same). */
static void test_analyze_timings(void **state)
{
    e2e *t = *state;
    char *out, *err;
    assert_int_equal(pf(t, &out, &err, "crawl", "test_b", "--from", tu_fixture("e2e/b.Sources"),
                        "--no-analyze", NULL),
                     0);
    free(out);
    free(err);
    setenv("PKGFRESH_TIMINGS", "1", 1);
    int rc = pf(t, &out, &err, "analyze", "--full", NULL);
    unsetenv("PKGFRESH_TIMINGS");
    assert_int_equal(rc, 0);
    static const char *const phases[] = {"plan (full)", "read and name", "read history",
                                         "classify", "store results", "store history",
                                         "statistics", "commit"};
    const char *at = err;
    for (size_t i = 0; i < sizeof phases / sizeof phases[0]; i++) {
        char want[64];
        snprintf(want, sizeof want, "pkgfresh: analyze: %s ", phases[i]);
        const char *p = strstr(at, want);
        assert_non_null(p); /* in this order */
        assert_non_null(strstr(p, " s\n"));
        at = p + 1;
    }
    char *timed_out = out;
    free(err);
    rc = pf(t, &out, &err, "analyze", "--full", NULL);
    assert_int_equal(rc, 0);
    assert_null(strstr(err, "pkgfresh: analyze: "));
    assert_string_equal(out, timed_out);
    free(timed_out);
    free(out);
    free(err);
}

/* pkgfresh with the test database and catalog, --rules DIR, then the
 * NULL-terminated args. */
static int pf_rules(e2e *t, const char *rules, char **out, char **err, ...)
{
    char *const fixed[] = {(char *)tu_pkgfresh(),
                           "--db",
                           t->db,
                           "--catalog",
                           (char *)tu_fixture("e2e/catalog.yaml"),
                           "--rules",
                           (char *)rules};
    va_list ap;
    va_start(ap, err);
    int rc = tu_runv(fixed, 7, out, err, ap);
    va_end(ap);
    return rc;
}

/*
 * crawl --from loads the rules on a thread while it parses: the analysis
 * afterwards uses them; a broken ruleset is reported once the crawl is
 * stored (exit 2, nothing analyzed), and the same crawl with the rules
 * fixed analyzes.
 */
static void test_from_rules_thread(void **state)
{
    e2e *t = *state;
    char dir[700], file[760];
    snprintf(dir, sizeof dir, "%s/rules-thread", t->dir);
    assert_int_equal(mkdir(dir, 0700), 0);
    snprintf(file, sizeof file, "%s/800.renames.yaml", dir);
    FILE *fp = fopen(file, "w");
    assert_non_null(fp);
    fputs("- { name: [\n", fp); /* a YAML syntax error */
    fclose(fp);
    char a[700]; /* tu_fixture's buffers are reused */
    snprintf(a, sizeof a, "%s", tu_fixture("e2e/a.Sources.xz"));
    char *out, *err;
    assert_int_equal(
        pf_rules(t, dir, &out, &err, "crawl", "test_a", "--from", a, "--format", "csv", NULL), 2);
    assert_non_null(strstr(out, "test_a,ok,7,"));
    assert_non_null(strstr(err, "rules-thread: "));
    assert_null(strstr(err, "analyze"));
    free(out), free(err);
    assert_int_equal(count_packages(t, "test_a"), 7);
    assert_int_equal(
        pf_rules(t, "none", &out, &err, "project", "curl-renamed", "--format", "csv", NULL),
        1); /* no such project yet */
    free(out), free(err);

    fp = fopen(file, "w");
    assert_non_null(fp);
    fputs("- { name: curl, setname: curl-renamed }\n", fp);
    fclose(fp);
    assert_int_equal(
        pf_rules(t, dir, &out, &err, "crawl", "test_a", "--from", a, "--format", "csv", NULL), 0);
    assert_non_null(strstr(out, "test_a,ok,7,"));
    free(out), free(err);
    assert_int_equal(
        pf_rules(t, "none", &out, &err, "project", "curl-renamed", "--format", "csv", NULL), 0);
    assert_non_null(strstr(out, "test_a,"));
    free(out), free(err);
}

/*
 * --from with several repositories: one file each, in order, parsed at once
 * (the parse pool) and stored one transaction each. A corrupt file fails
 * only its repository (its snapshot stays, one error line); a count that
 * does not pair is a usage error.
 */
static void test_from_several(void **state)
{
    e2e *t = *state;
    char *out, *err;
    int rc =
        pf(t, &out, &err, "crawl", "test_a", "test_b", "--from", tu_fixture("e2e/a.Sources.xz"),
           "--from", tu_fixture("e2e/b.Sources"), "--format", "csv", NULL);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "test_a,ok,7,"));
    assert_non_null(strstr(out, "test_b,ok,7,"));
    free(out);
    free(err);
    assert_int_equal(count_packages(t, "test_a"), 7);
    assert_int_equal(count_packages(t, "test_b"), 7);
    /* the files went to their own repositories: a's only-in-a, b's only-in-b */
    assert_int_equal(pf(t, &out, &err, "packages", "test_a", "--format", "csv", NULL), 0);
    assert_non_null(strstr(out, "only-in-a"));
    assert_null(strstr(out, "only-in-b"));
    free(out);
    free(err);

    char bad[700];
    snprintf(bad, sizeof bad, "%s/bad.Sources.xz", t->dir);
    FILE *fp = fopen(bad, "wb");
    assert_non_null(fp);
    fwrite("\xfd"
           "7zXZ\0garbage garbage",
           1, 20, fp);
    fclose(fp);
    rc = pf(t, &out, &err, "crawl", "test_a", "test_b", "--from", bad, "--from",
            tu_fixture("e2e/b.Sources.gz"), "--format", "csv", NULL);
    assert_int_equal(rc, 1);
    assert_non_null(strstr(out, "test_a,failed,"));
    assert_non_null(strstr(out, "test_b,ok,7,"));
    const char *l = strstr(err, "crawl test_a: source from:1: ");
    assert_non_null(l);
    assert_non_null(strstr(l, "bad.Sources.xz"));
    assert_null(strstr(err, "crawl test_b"));
    free(out);
    free(err);
    assert_int_equal(count_packages(t, "test_a"), 7);

    rc = pf(t, &out, &err, "crawl", "test_a", "test_b", "--from", bad, NULL);
    assert_int_equal(rc, 2);
    assert_non_null(strstr(err, "one --from per"));
    free(out);
    free(err);
}

/*
 * Two big sources parsed at once (several record chunks each) while an
 * insert of the first fails in its middle: the first fails with "cannot
 * store package" and keeps its snapshot, its parser is stopped, and the
 * second repository is stored whole.
 */
static void test_store_failure_while_parsing_several(void **state)
{
    e2e *t = *state;
    char a1[700], b1[700];
    snprintf(a1, sizeof a1, "%s", write_tsv(t, "a1.tsv", 150000, 1));
    snprintf(b1, sizeof b1, "%s", write_tsv(t, "b1.tsv", 150000, 2));
    char *out, *err;
    exec_sql(t, "CREATE TRIGGER inject BEFORE INSERT ON package WHEN NEW.srcname = 'pkg99999'"
                " AND NEW.raw_version = '1.99999' BEGIN SELECT RAISE(ABORT, 'injected'); END");
    int rc = pf(t, &out, &err, "crawl", "test_a", "test_b", "--from", a1, "--from", b1,
                "--from-format", "tsv", "--no-analyze", "--format", "csv", NULL);
    exec_sql(t, "DROP TRIGGER inject");
    assert_int_equal(rc, 1);
    assert_non_null(strstr(out, "test_a,failed,"));
    assert_non_null(strstr(out, "test_b,ok,150000,"));
    assert_non_null(strstr(err, "cannot store package"));
    free(out);
    free(err);
    assert_int_equal(count_packages(t, "test_a"), 7);
    assert_int_equal(count_packages(t, "test_b"), 150000);
    /* put the fixtures back for the tests after this one */
    rc = pf(t, &out, &err, "crawl", "test_a", "test_b", "--from", tu_fixture("e2e/a.Sources.xz"),
            "--from", tu_fixture("e2e/b.Sources"), NULL);
    assert_int_equal(rc, 0);
    free(out);
    free(err);
}

/* The map is a 1140x800 PNG with dots in the repositories' colors. */
static void test_render_map(void **state)
{
    e2e *t = *state;
    char path[700], *out, *err;
    snprintf(path, sizeof path, "%s/map.png", t->dir);
    int rc = pf(t, &out, &err, "render", "map", "--out", path, NULL);
    if (rc != 0)
        fail_msg("render: %s", err);
    free(out);
    free(err);
    cairo_surface_t *s = cairo_image_surface_create_from_png(path);
    assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    assert_int_equal(cairo_image_surface_get_width(s), 1140);
    assert_int_equal(cairo_image_surface_get_height(s), 800);
    unsigned char *px = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    long red = 0, distinct = 0;
    uint32_t first = *(uint32_t *)px;
    for (int y = 0; y < 800; y++)
        for (int x = 0; x < 1140; x++) {
            uint32_t v = *(uint32_t *)(px + y * stride + x * 4);
            distinct += v != first;
            red += (v & 0xffffff) == 0xc70036; /* test_a's catalog color */
        }
    assert_true(distinct > 10000); /* not blank */
    assert_true(red >= 20);        /* test_a's dot */
    cairo_surface_destroy(s);
}

/* Every query's JSON parses, is an array of objects with the documented keys,
 * and numbers are numbers (docs/json.md). */
static void test_json_everywhere(void **state)
{
    e2e *t = *state;
    static const struct {
        const char *args[6];
        const char *num_key; /* a key that must be a JSON number (integer) */
        const char *str_key;
    } q[] = {
        {{"repos", "--format", "json", NULL}, "sources", "family"},
        {{"stats", "--format", "json", NULL}, "projects", "repository"},
        {{"packages", "test_a", "--format", "json", NULL}, NULL, "rawversion"},
        {{"compare", "test_a", "test_b", "--format", "json", NULL}, "projects", "kind"},
        {{"project", "curl", "--format", "json", NULL}, NULL, "status"},
        {{"outdated", "test_a", "--format", "json", NULL}, "newer_versions", "newest"},
        {{"history", "--format", "json", NULL}, "newest", "date"},
        {{"search", "c", "--format", "json", NULL}, "repositories", "project"},
    };
    for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
        char *out, *err;
        const char *const *a = q[i].args;
        int rc = pfv(t, &out, &err, a);
        if (rc != 0)
            fail_msg("%s: exit %d: %s", a[0], rc, err);
        json_t *j = tu_json_parse(out);
        assert_true(json_is_array(j));
        assert_true(json_array_size(j) > 0);
        size_t k;
        json_t *row;
        json_array_foreach(j, k, row)
        {
            assert_true(json_is_object(row));
            if (q[i].num_key && !json_is_integer(json_object_get(row, q[i].num_key)))
                fail_msg("%s: %s is not an integer", a[0], q[i].num_key);
            if (!json_is_string(json_object_get(row, q[i].str_key)))
                fail_msg("%s: %s is not a string", a[0], q[i].str_key);
        }
        json_decref(j);
        free(out);
        free(err);
    }
}

/* Usage and configuration errors exit 2 with a message. */
static void test_usage_errors(void **state)
{
    e2e *t = *state;
    char *out, *err;
    assert_int_equal(pf(t, &out, &err, "frobnicate", NULL), 2);
    assert_non_null(strstr(err, "unknown command"));
    free(out), free(err);
    assert_int_equal(pf(t, &out, &err, "packages", "nosuchrepo", NULL), 2);
    assert_non_null(strstr(err, "unknown repository 'nosuchrepo'"));
    free(out), free(err);
    assert_int_equal(pf(t, &out, &err, "stats", "--bogus", NULL), 2);
    free(out), free(err);
    assert_int_equal(pf(t, &out, &err, "stats", "--format", "xml", NULL), 2);
    free(out), free(err);
    assert_int_equal(pf(t, &out, &err, "crawl", "--jobs", "zero", NULL), 2);
    free(out), free(err);
    assert_int_equal(pf(t, &out, &err, "vercmp", "1.0", "1.0.1", NULL), 0);
    assert_string_equal(out, "<\n");
    free(out), free(err);
    /* a config file's "rules:" setting is used (here: a directory that does not exist) */
    char cfg[700];
    snprintf(cfg, sizeof cfg, "%s/config.yaml", t->dir);
    FILE *fp = fopen(cfg, "w");
    assert_non_null(fp);
    fputs("# user config\nrules: /nonexistent/rules\n", fp);
    fclose(fp);
    char *argv[] = {(char *)tu_pkgfresh(),
                    "--db",
                    t->db,
                    "--catalog",
                    (char *)tu_fixture("e2e/catalog.yaml"),
                    "--config",
                    cfg,
                    "analyze",
                    NULL};
    assert_int_equal(tu_run(argv, &out, &err), 2);
    assert_non_null(strstr(err, "rules /nonexistent/rules"));
    free(out), free(err);
    assert_int_equal(pf(t, &out, &err, "crawl", "--help", NULL), 0);
    assert_non_null(strstr(out, "--from FILE"));
    free(out), free(err);
}

/* Write n tsv lines "pkgNNNN<TAB>V.NNNN" into dir/name; returns the path (static). */
static const char *write_tsv(e2e *t, const char *name, int n, int v)
{
    static char path[700];
    snprintf(path, sizeof path, "%s/%s", t->dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    for (int i = 0; i < n; i++)
        fprintf(f, "pkg%04d\t%d.%d\n", i, v, i);
    fclose(f);
    return path;
}

/* Run one SQL statement on the test database directly. */
static void exec_sql(e2e *t, const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(t->db, &db), SQLITE_OK);
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg);
    sqlite3_close(db);
}

/*
 * An insert that fails in the middle of a big source (a trigger raises on
 * the first, a middle or the last package): the crawl fails with "cannot
 * store package" and the previous snapshot stays whole; without the
 * trigger the same file goes in.
 */
static void test_store_failure_keeps_snapshot(void **state)
{
    e2e *t = *state;
    char *out, *err;
    const char *v1 = write_tsv(t, "v1.tsv", 6000, 1);
    int rc = pf(t, &out, &err, "crawl", "test_b", "--from", v1, "--from-format", "tsv", "--format",
                "csv", NULL);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "test_b,ok,6000,"));
    free(out);
    free(err);
    const char *v2 = write_tsv(t, "v2.tsv", 6000, 2);
    static const char *const victims[] = {"pkg0000", "pkg3000", "pkg5999"};
    for (size_t k = 0; k < sizeof victims / sizeof victims[0]; k++) {
        char sql[256];
        snprintf(sql, sizeof sql,
                 "CREATE TRIGGER inject BEFORE INSERT ON package WHEN NEW.srcname = '%s'"
                 " BEGIN SELECT RAISE(ABORT, 'injected'); END",
                 victims[k]);
        exec_sql(t, sql);
        rc = pf(t, &out, &err, "crawl", "test_b", "--from", v2, "--from-format", "tsv", NULL);
        assert_int_equal(rc, 1);
        if (!strstr(err, "cannot store package"))
            fail_msg("%s: %s", victims[k], err);
        free(out);
        free(err);
        exec_sql(t, "DROP TRIGGER inject");
        assert_int_equal(count_packages(t, "test_b"), 6000);
        rc = pf(t, &out, &err, "packages", "test_b", "--format", "csv", NULL);
        assert_int_equal(rc, 0);
        assert_non_null(strstr(out, "pkg5999"));
        assert_null(strstr(out, "2.5999")); /* the old versions are still there */
        free(out);
        free(err);
    }
    rc = pf(t, &out, &err, "crawl", "test_b", "--from", v2, "--from-format", "tsv", "--format",
            "csv", NULL);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "test_b,ok,6000,"));
    free(out);
    free(err);
    rc = pf(t, &out, &err, "packages", "test_b", "--format", "csv", NULL);
    assert_non_null(strstr(out, "2.5999"));
    free(out);
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crawl_stats_compare),
        cmocka_unit_test(test_not_modified),
        cmocka_unit_test(test_failures_keep_snapshot),
        cmocka_unit_test(test_checksum_without_validators),
        cmocka_unit_test(test_from_file),
        cmocka_unit_test(test_analyze_timings),
        cmocka_unit_test(test_from_rules_thread),
        cmocka_unit_test(test_from_several),
        cmocka_unit_test(test_store_failure_while_parsing_several),
        cmocka_unit_test(test_render_map),
        cmocka_unit_test(test_json_everywhere),
        cmocka_unit_test(test_usage_errors),
        cmocka_unit_test(test_store_failure_keeps_snapshot),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
