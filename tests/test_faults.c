/*
 * test_faults.c — fault injection over loopback: one repository of three is
 * served badly (HTTP errors, stalls, resets, truncation, corrupt or hostile
 * compression, redirect tricks, endless bodies, bombs, HTML instead of an
 * index) while the other two are fine, all crawled in ONE `pkgfresh crawl`.
 *
 * For every scenario: exit status 1; one stderr line "crawl test_bad: ..."
 * naming the URL and the cause; the good repositories succeed; the bad one
 * keeps its previous snapshot (counted through `packages`) and its crawl
 * history (the earlier rows untouched, one "failed" row added, read with
 * the sqlite3 API); request counts show the retry policy. Small limits come
 * from the crawl options --timeout/--retries/--retry-delay/--max-bytes/
 * --max-decoded so the whole file runs in well under a minute.
 */
#include <bzlib.h>
#include <lzma.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "httpd.h"
#include "testutil.h"

#define BAD_PATH "/bad/Sources.gz"

typedef struct fx {
    tu_httpd *srv;
    char dir[512], db[600], mirror[600];
    char *a_xz, *b_gz, *b_txt; /* e2e fixtures: good bodies */
    size_t a_len, b_len, b_txt_len;
    int base_bad; /* packages of test_bad after the baseline crawl */
} fx;

/* Monotonic seconds. */
static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Run argv with stdout/stderr captured in files under dir; kill it after
 * limit_s seconds (the test then fails: nothing may hang). Returns the exit
 * status; *out and *err are malloc'd.
 */
static int run_limited(const char *dir, char *const argv[], double limit_s, char **out, char **err)
{
    char po[700], pe[700];
    snprintf(po, sizeof po, "%s/stdout", dir);
    snprintf(pe, sizeof pe, "%s/stderr", dir);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (!freopen("/dev/null", "r", stdin) || !freopen(po, "w", stdout) ||
            !freopen(pe, "w", stderr))
            _exit(126);
        execv(argv[0], argv);
        _exit(127);
    }
    double t0 = mono();
    int st = 0;
    while (waitpid(pid, &st, WNOHANG) == 0) {
        if (mono() - t0 > limit_s) {
            kill(pid, SIGKILL);
            waitpid(pid, &st, 0);
            fail_msg("%s %s did not finish within %.0f s", argv[0], argv[7] ? argv[7] : "",
                     limit_s);
        }
        usleep(10000);
    }
    *out = tu_slurp(po, NULL);
    *err = tu_slurp(pe, NULL);
    assert_non_null(*out);
    assert_non_null(*err);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* pkgfresh with the hostile catalog, the mirror, the database, then args (NULL-terminated). */
static int pf(fx *t, char **out, char **err, ...)
{
    char *argv[40] = {(char *)tu_pkgfresh(),
                      "--db",
                      t->db,
                      "--catalog",
                      (char *)tu_fixture("hostile/catalog.yaml"),
                      "--mirror",
                      t->mirror};
    int n = 7;
    va_list ap;
    va_start(ap, err);
    const char *a;
    while (n < 39 && (a = va_arg(ap, const char *)) != NULL)
        argv[n++] = (char *)a;
    va_end(ap);
    argv[n] = NULL;
    return run_limited(t->dir, argv, 30, out, err);
}

/* Integer result of one SQL query with one text parameter on the test database. */
static long long sql_int(fx *t, const char *sql, const char *param)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(t->db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
        fail_msg("prepare %s: %s", sql, sqlite3_errmsg(db));
    if (param)
        sqlite3_bind_text(s, 1, param, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    long long v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return v;
}

/* Crawl rows of a repository with a given status ("%" = any). */
static long long crawl_rows(fx *t, const char *repo, const char *status)
{
    char sql[300];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM crawl c JOIN repository r ON r.id = c.repository_id "
             "WHERE r.name = ?1 AND c.status LIKE '%s'",
             status);
    return sql_int(t, sql, repo);
}

/* Packages of repo as `pkgfresh packages --format csv` lists them (header not counted). */
static int count_packages(fx *t, const char *repo)
{
    char *out, *err;
    int rc = pf(t, &out, &err, "packages", repo, "--format", "csv", NULL);
    if (rc != 0)
        fail_msg("packages %s: exit %d: %s", repo, rc, err);
    int n = -1;
    for (char *p = out; *p; p++)
        n += *p == '\n';
    free(out);
    free(err);
    return n;
}

/* gzip (deflate with a gzip wrapper) of buf into a malloc'd buffer. */
static char *gzip_buf(const void *buf, size_t len, size_t *outlen)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, 31, 9, Z_DEFAULT_STRATEGY), Z_OK);
    size_t cap = deflateBound(&z, len) + 64;
    char *o = malloc(cap);
    assert_non_null(o);
    z.next_in = (Bytef *)buf;
    z.avail_in = (uInt)len;
    z.next_out = (Bytef *)o;
    z.avail_out = (uInt)cap;
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    *outlen = z.total_out;
    deflateEnd(&z);
    return o;
}

/* xz of buf (malloc'd). */
static char *xz_buf(const void *buf, size_t len, size_t *outlen)
{
    size_t cap = lzma_stream_buffer_bound(len), pos = 0;
    char *o = malloc(cap);
    assert_non_null(o);
    assert_int_equal(
        lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, NULL, buf, len, (uint8_t *)o, &pos, cap),
        LZMA_OK);
    *outlen = pos;
    return o;
}

/* zstd of buf with a content checksum (malloc'd). */
static char *zstd_buf(const void *buf, size_t len, size_t *outlen)
{
    size_t cap = ZSTD_compressBound(len);
    char *o = malloc(cap);
    assert_non_null(o);
    ZSTD_CCtx *c = ZSTD_createCCtx();
    ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, 1);
    size_t n = ZSTD_compress2(c, o, cap, buf, len);
    assert_false(ZSTD_isError(n));
    ZSTD_freeCCtx(c);
    *outlen = n;
    return o;
}

/* bzip2 of buf (malloc'd). */
static char *bz2_buf(const void *buf, size_t len, size_t *outlen)
{
    unsigned cap = (unsigned)(len + len / 100 + 700);
    char *o = malloc(cap);
    assert_non_null(o);
    assert_int_equal(BZ2_bzBuffToBuffCompress(o, &cap, (char *)buf, (unsigned)len, 9, 0, 0), BZ_OK);
    *outlen = cap;
    return o;
}

/* Overwrite n bytes at off with a pattern: the stream stays recognisable but breaks. */
static void corrupt(char *buf, size_t len, size_t off, size_t n)
{
    for (size_t i = off; i < off + n && i < len; i++)
        buf[i] = (char)(0xa5 ^ (int)i);
}

/* Good routes for the two good repositories, and a good body for test_bad. */
static void serve_good(fx *t)
{
    tu_route a = {.path = "/a/Sources.xz", .body = t->a_xz, .body_len = t->a_len, .etag = "\"a1\""};
    tu_route b = {.path = "/b/Sources.gz", .body = t->b_gz, .body_len = t->b_len, .etag = "\"b1\""};
    tu_route bad = {.path = BAD_PATH, .body = t->b_gz, .body_len = t->b_len};
    tu_httpd_route(t->srv, &a);
    tu_httpd_route(t->srv, &b);
    tu_httpd_route(t->srv, &bad);
}

/* Server, database, baseline crawl of all three repositories. */
static int setup(void **state)
{
    fx *t = calloc(1, sizeof *t);
    t->srv = tu_httpd_start();
    assert_non_null(t->srv);
    snprintf(t->dir, sizeof t->dir, "%s", tu_tmpdir("faults"));
    snprintf(t->db, sizeof t->db, "%s/pkgfresh.db", t->dir);
    snprintf(t->mirror, sizeof t->mirror, "test=%s", tu_httpd_url(t->srv, ""));
    t->a_xz = tu_slurp(tu_fixture("e2e/a.Sources.xz"), &t->a_len);
    t->b_gz = tu_slurp(tu_fixture("e2e/b.Sources.gz"), &t->b_len);
    t->b_txt = tu_slurp(tu_fixture("e2e/b.Sources"), &t->b_txt_len);
    assert_non_null(t->a_xz);
    assert_non_null(t->b_gz);
    assert_non_null(t->b_txt);
    serve_good(t);
    setenv("PKGFRESH_NOW", "1764064800", 1);
    char *out, *err;
    int rc = pf(t, &out, &err, "crawl", "test_good_a", "test_good_b", "test_bad", "--format", "csv",
                NULL);
    if (rc != 0)
        fail_msg("baseline crawl: exit %d: %s", rc, err);
    free(out);
    free(err);
    t->base_bad = count_packages(t, "test_bad");
    assert_int_equal(t->base_bad, 7);
    *state = t;
    return 0;
}

/* Stop the server, free the bodies. */
static int teardown(void **state)
{
    fx *t = *state;
    if (!t) /* setup failed */
        return 0;
    tu_httpd_stop(t->srv);
    free(t->a_xz);
    free(t->b_gz);
    free(t->b_txt);
    free(t);
    return 0;
}

/* What a fault run returns for further checks. */
typedef struct fault_result {
    char line[1024]; /* the stderr line about test_bad */
    int requests;    /* requests for BAD_PATH during the run */
    double seconds;
} fault_result;

/*
 * Serve route r at BAD_PATH, crawl the three repositories in one run with
 * small limits plus extra (NULL-terminated, up to 4), and check everything
 * every fault must satisfy. `cause` must appear in the error line.
 */
static void run_fault(fx *t, const tu_route *r, const char *cause, const char *const *extra,
                      fault_result *res)
{
    tu_route bad = *r;
    bad.path = BAD_PATH;
    tu_httpd_route(t->srv, &bad);
    long long rows_before = crawl_rows(t, "test_bad", "%");
    long long ok_before = crawl_rows(t, "test_bad", "ok");
    int before = tu_httpd_count(t->srv, BAD_PATH);
    const char *x[4] = {NULL, NULL, NULL, NULL};
    for (int i = 0; extra && extra[i] && i < 4; i++)
        x[i] = extra[i];
    char *out, *err;
    double t0 = mono();
    int rc =
        pf(t, &out, &err, "crawl", "test_good_a", "test_good_b", "test_bad", "--format", "csv",
           "--timeout", "2", "--retries", "1", "--retry-delay", "50", x[0], x[1], x[2], x[3], NULL);
    res->seconds = mono() - t0;
    res->requests = tu_httpd_count(t->srv, BAD_PATH) - before;
    if (rc != 1)
        fail_msg("exit %d (want 1)\nstdout: %s\nstderr: %s", rc, out, err);
    /* the good ones went through */
    if (!strstr(out, "test_good_a,ok,") && !strstr(out, "test_good_a,not_modified,"))
        fail_msg("test_good_a did not succeed: %s", out);
    if (!strstr(out, "test_good_b,ok,") && !strstr(out, "test_good_b,not_modified,"))
        fail_msg("test_good_b did not succeed: %s", out);
    assert_non_null(strstr(out, "test_bad,failed,"));
    assert_null(strstr(err, "crawl test_good"));
    /* exactly one error line about test_bad, naming URL and cause */
    const char *l = strstr(err, "pkgfresh: crawl test_bad: ");
    if (!l)
        fail_msg("no error line for test_bad: %s", err);
    assert_null(strstr(l + strlen("pkgfresh: crawl test_bad: "), "crawl test_bad: "));
    size_t ll = strcspn(l, "\n");
    snprintf(res->line, sizeof res->line, "%.*s", (int)ll, l);
    if (!strstr(res->line, BAD_PATH) || !strstr(res->line, cause))
        fail_msg("error line lacks URL or cause '%s': %s", cause, res->line);
    print_message("    %s\n", res->line);
    for (const char *p = res->line; *p; p++)
        assert_true((unsigned char)*p >= 0x20);
    free(out);
    free(err);
    /* snapshot and history intact */
    assert_int_equal(count_packages(t, "test_bad"), t->base_bad);
    assert_int_equal(crawl_rows(t, "test_bad", "%"), rows_before + 1);
    assert_int_equal(crawl_rows(t, "test_bad", "ok"), ok_before);
    assert_int_equal(sql_int(t,
                             "SELECT c.status = 'failed' AND c.packages <= 0 AND "
                             "instr(?1, c.error) > 0 FROM crawl c JOIN repository r ON "
                             "r.id = c.repository_id WHERE r.name = 'test_bad' "
                             "ORDER BY c.id DESC LIMIT 1",
                             res->line),
                     1);
    char *ro, *re;
    assert_int_equal(pf(t, &ro, &re, "repos", "--format", "csv", NULL), 0);
    assert_non_null(strstr(ro, "test_bad,hostile,deb-sources,Hostile,1,7,"));
    assert_non_null(strstr(ro, ",failed,,0\n"));
    free(ro);
    free(re);
}

/* Shorthand: route with a body and a status. */
#define BODY(s) .body = (s), .body_len = sizeof(s) - 1

/* 404: not retried, the status and reason are the cause. */
static void test_404(void **state)
{
    fault_result r;
    tu_route rt = {.status = 404, BODY("gone")};
    run_fault(*state, &rt, "HTTP 404 Not Found", NULL, &r);
    assert_int_equal(r.requests, 1);
}

/* 500: retried once (--retries 1), then failed with the attempt count. */
static void test_500(void **state)
{
    fault_result r;
    tu_route rt = {.status = 500, BODY("oops")};
    run_fault(*state, &rt, "HTTP 500 Internal Server Error (2 attempts)", NULL, &r);
    assert_int_equal(r.requests, 2);
}

/* 503 with Retry-After: 1 — the retry waits the second the server asked for. */
static void test_503_retry_after(void **state)
{
    fault_result r;
    tu_route rt = {.fail_first = 1000, .fail_status = 503, .retry_after = "1", BODY("x")};
    run_fault(*state, &rt, "HTTP 503 Service Unavailable (2 attempts)", NULL, &r);
    assert_int_equal(r.requests, 2);
    assert_true(r.seconds >= 1.0);
}

/* 429: retried like 5xx. */
static void test_429(void **state)
{
    fault_result r;
    tu_route rt = {.fail_first = 1000, .fail_status = 429, BODY("x")};
    run_fault(*state, &rt, "HTTP 429 Too Many Requests (2 attempts)", NULL, &r);
    assert_int_equal(r.requests, 2);
}

/* One 503, then the index: the retry succeeds, exit 0, two requests. */
static void test_503_then_ok(void **state)
{
    fx *t = *state;
    size_t glen;
    char *txt = malloc(t->b_txt_len + 2); /* one more blank line: new bytes, parsed again */
    assert_non_null(txt);
    memcpy(txt, t->b_txt, t->b_txt_len);
    memcpy(txt + t->b_txt_len, "\n", 2);
    char *gz = gzip_buf(txt, t->b_txt_len + 1, &glen);
    free(txt);
    tu_route rt = {.path = BAD_PATH, .fail_first = 1, .body = gz, .body_len = glen};
    tu_httpd_route(t->srv, &rt);
    free(gz);
    int before = tu_httpd_count(t->srv, BAD_PATH);
    char *out, *err;
    int rc = pf(t, &out, &err, "crawl", "test_bad", "--format", "csv", "--retries", "1",
                "--retry-delay", "50", NULL);
    if (rc != 0)
        fail_msg("exit %d: %s", rc, err);
    if (!strstr(out, "test_bad,ok,7,"))
        fail_msg("want ok with 7 packages: %s", out);
    assert_int_equal(tu_httpd_count(t->srv, BAD_PATH) - before, 2);
    free(out);
    free(err);
}

/* Headers, then silence: the low-speed limit (--timeout 2) ends each attempt. */
static void test_stall_after_headers(void **state)
{
    fx *t = *state;
    fault_result r;
    tu_route rt = {.head_stall_ms = 20000, .body = t->b_gz, .body_len = t->b_len};
    run_fault(t, &rt, "too slow: under 1024 bytes/s for 2 s (2 attempts)", NULL, &r);
    assert_int_equal(r.requests, 2);
    assert_true(r.seconds < 15);
}

/* Half the body, then silence. */
static void test_stall_mid_body(void **state)
{
    fx *t = *state;
    fault_result r;
    tu_route rt = {.stall_ms = 20000, .body = t->b_gz, .body_len = t->b_len};
    run_fault(t, &rt, "too slow", NULL, &r);
    assert_int_equal(r.requests, 2);
}

/* One byte every 100 ms (10 B/s, far below 1 kB/s): aborted, not waited out. */
static void test_slow_drip(void **state)
{
    fx *t = *state;
    fault_result r;
    tu_route rt = {.drip_ms = 100, .body = t->b_gz, .body_len = t->b_len};
    run_fault(t, &rt, "too slow", NULL, &r);
    assert_int_equal(r.requests, 2);
    assert_true(r.seconds < 15);
}

/* Connection reset mid-body: retried, then failed naming the reset. */
static void test_connection_reset(void **state)
{
    fx *t = *state;
    fault_result r;
    tu_route rt = {.reset = 1, .body = t->b_gz, .body_len = t->b_len};
    run_fault(t, &rt, "reset", NULL, &r);
    assert_int_equal(r.requests, 2);
}

/* Content-Length promises the whole body, the connection closes after half. */
static void test_truncated_body(void **state)
{
    fx *t = *state;
    fault_result r;
    tu_route rt = {.truncate = 1, .body = t->b_gz, .body_len = t->b_len};
    run_fault(t, &rt, "bytes remaining", NULL, &r);
    assert_int_equal(r.requests, 2);
}

/* Content-Length larger than the body sent. */
static void test_content_length_too_big(void **state)
{
    fx *t = *state;
    fault_result r;
    tu_route rt = {.content_length = t->b_len + 1000, .body = t->b_gz, .body_len = t->b_len};
    run_fault(t, &rt, "1000 bytes remaining", NULL, &r);
}

/* Content-Length smaller than the body: the client stops early, the xz stream is cut. */
static void test_content_length_too_small(void **state)
{
    fx *t = *state;
    fault_result r;
    tu_route rt = {.content_length = t->a_len / 2, .body = t->a_xz, .body_len = t->a_len};
    run_fault(t, &rt, "xz: unexpected end of stream", NULL, &r);
    assert_int_equal(r.requests, 1);
}

/* Corrupt streams of every codec: the decoder names itself and the damage. */
static void test_corrupt_compression(void **state)
{
    fx *t = *state;
    static const struct {
        char *(*fn)(const void *, size_t, size_t *);
        size_t off, n;
        const char *cause;
    } c[] = {
        {gzip_buf, 10, 40, "gzip: compressed data is corrupt"},
        {xz_buf, 40, 40, "xz: compressed data is corrupt"},
        {zstd_buf, 6, 40, "zstd: compressed data is corrupt"},
        {bz2_buf, 10, 40, "bzip2: compressed data is corrupt"},
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        size_t len;
        char *z = c[i].fn(t->b_txt, t->b_txt_len, &len);
        corrupt(z, len, c[i].off, c[i].n);
        tu_route rt = {.body = z, .body_len = len};
        fault_result r;
        run_fault(t, &rt, c[i].cause, NULL, &r);
        assert_int_equal(r.requests, 1);
        free(z);
    }
}

/* A perfectly valid gzip around random bytes: decoded fine, not an index. */
static void test_valid_gzip_of_garbage(void **state)
{
    fx *t = *state;
    char junk[4096];
    uint64_t s = 0x243f6a8885a308d3ULL;
    for (size_t i = 0; i < sizeof junk; i++) {
        s ^= s << 13, s ^= s >> 7, s ^= s << 17;
        junk[i] = (char)(s >> 24);
    }
    size_t len;
    char *z = gzip_buf(junk, sizeof junk, &len);
    tu_route rt = {.body = z, .body_len = len};
    fault_result r;
    run_fault(t, &rt, ": ", NULL, &r);
    free(z);
    /* whichever stage rejected it, the line says why in words */
    assert_true(strstr(r.line, "fewer than the minimum") || strstr(r.line, "line"));
}

/* Redirect to itself: stopped at the redirect limit (5), not retried. */
static void test_redirect_loop(void **state)
{
    fault_result r;
    tu_route rt = {.redirect = BAD_PATH};
    run_fault(*state, &rt, "too many redirects (limit 5)", NULL, &r);
    assert_int_equal(r.requests, 6);
}

/* Redirects to file:// and ftp:// are refused, never followed. */
static void test_redirect_to_other_schemes(void **state)
{
    static const char *const targets[] = {"file:///etc/passwd", "ftp://127.0.0.1/Sources.gz"};
    for (size_t i = 0; i < 2; i++) {
        fault_result r;
        tu_route rt = {.redirect = targets[i]};
        run_fault(*state, &rt, "protocol not allowed", NULL, &r);
        assert_int_equal(r.requests, 1);
        assert_null(strstr(r.line, "root:"));
    }
}

/* A body that never ends: cut at --max-bytes, not retried. */
static void test_endless_body(void **state)
{
    fault_result r;
    tu_route rt = {.endless = (uint64_t)1 << 30};
    static const char *const x[] = {"--max-bytes", "1000000", NULL};
    run_fault(*state, &rt, "body exceeds 1000000 bytes", x, &r);
    assert_int_equal(r.requests, 1);
    assert_true(r.seconds < 15);
}

/* 8 MiB of zeros in a 8 kB gzip: decoding stops at --max-decoded. */
static void test_compression_bomb(void **state)
{
    fx *t = *state;
    size_t n = (size_t)8 << 20, len;
    char *zeros = calloc(1, n);
    assert_non_null(zeros);
    char *z = gzip_buf(zeros, n, &len);
    free(zeros);
    assert_true(len < 20000);
    tu_route rt = {.body = z, .body_len = len};
    fault_result r;
    static const char *const x[] = {"--max-decoded", "1000000", NULL};
    run_fault(t, &rt, "decoded size exceeds 1000000 bytes", x, &r);
    free(z);
}

/* 200 with an empty body: nothing parsed, below the package floor. */
static void test_empty_body(void **state)
{
    fault_result r;
    tu_route rt = {.body = "", .body_len = 0};
    run_fault(*state, &rt, "only 0 packages parsed, fewer than the minimum 3", NULL, &r);
}

/* A captive-portal style HTML page served with 200. */
static void test_html_error_page(void **state)
{
    fault_result r;
    tu_route rt = {.headers = "Content-Type: text/html\r\n",
                   BODY("<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n"
                        "<body><h1>Bad Gateway</h1>\n<p>The proxy server received an invalid "
                        "response.</p>\n</body></html>\n")};
    run_fault(*state, &rt, "fewer than the minimum", NULL, &r);
}

/* Usage: the limit options reject nonsense. */
static void test_limit_options(void **state)
{
    fx *t = *state;
    char *out, *err;
    assert_int_equal(pf(t, &out, &err, "crawl", "test_bad", "--max-bytes", "0", NULL), 2);
    assert_non_null(strstr(err, "--max-bytes"));
    free(out);
    free(err);
    assert_int_equal(pf(t, &out, &err, "crawl", "test_bad", "--retries", "-1", NULL), 2);
    free(out);
    free(err);
    assert_int_equal(pf(t, &out, &err, "crawl", "--help", NULL), 0);
    assert_non_null(strstr(out, "--max-decoded N"));
    assert_non_null(strstr(out, "--timeout SEC"));
    free(out);
    free(err);
}

/* Run pkgfresh with the hostile catalog and the given mirror spec, then args. */
static int pf_mirror(fx *t, const char *mirror, char **out, char **err, const char *a1,
                     const char *a2)
{
    char *argv[] = {(char *)tu_pkgfresh(),
                    "--db",
                    t->db,
                    "--catalog",
                    (char *)tu_fixture("hostile/catalog.yaml"),
                    "--mirror",
                    (char *)mirror,
                    (char *)a1,
                    (char *)a2,
                    NULL};
    return run_limited(t->dir, argv, 30, out, err);
}

/* Security defaults: only http(s) is fetched, file:// needs allow_file, the db is 0600. */
static void test_security_defaults(void **state)
{
    fx *t = *state;
    char *out, *err;
    /* a mirror pointing at the local file system or another scheme is refused at fetch time */
    int rc = pf_mirror(t, "test=file:///etc", &out, &err, "crawl", "test_bad");
    assert_int_equal(rc, 1);
    assert_non_null(strstr(err, "file:// URLs are not allowed for this repository"));
    free(out);
    free(err);
    rc = pf_mirror(t, "test=ftp://127.0.0.1", &out, &err, "crawl", "test_bad");
    assert_int_equal(rc, 2); /* refused when the mirror is set, before any fetch */
    assert_non_null(strstr(err, "bad mirror URL 'ftp://127.0.0.1'"));
    free(out);
    free(err);
    assert_int_equal(count_packages(t, "test_bad"), t->base_bad);
    /* a catalog naming a file:// source without allow_file does not load */
    char cat[700];
    snprintf(cat, sizeof cat, "%s/filecat.yaml", t->dir);
    FILE *fp = fopen(cat, "w");
    assert_non_null(fp);
    fputs("repositories:\n  - id: local\n    family: x\n    title: Local\n    color: \"#000000\"\n "
          "   format: deb-sources\n"
          "    sources:\n      - name: main\n        url: file:///etc/passwd\n",
          fp);
    fclose(fp);
    char *argv[] = {(char *)tu_pkgfresh(), "--db", t->db, "--catalog", cat, "crawl", "local", NULL};
    rc = run_limited(t->dir, argv, 30, &out, &err);
    assert_int_equal(rc, 2);
    assert_non_null(strstr(err, "file:// needs 'allow_file: true'"));
    free(out);
    free(err);
    /* the database is private to its owner */
    struct stat sb;
    assert_int_equal(stat(t->db, &sb), 0);
    assert_int_equal(sb.st_mode & 0077, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_404),
        cmocka_unit_test(test_500),
        cmocka_unit_test(test_503_retry_after),
        cmocka_unit_test(test_429),
        cmocka_unit_test(test_503_then_ok),
        cmocka_unit_test(test_stall_after_headers),
        cmocka_unit_test(test_stall_mid_body),
        cmocka_unit_test(test_slow_drip),
        cmocka_unit_test(test_connection_reset),
        cmocka_unit_test(test_truncated_body),
        cmocka_unit_test(test_content_length_too_big),
        cmocka_unit_test(test_content_length_too_small),
        cmocka_unit_test(test_corrupt_compression),
        cmocka_unit_test(test_valid_gzip_of_garbage),
        cmocka_unit_test(test_redirect_loop),
        cmocka_unit_test(test_redirect_to_other_schemes),
        cmocka_unit_test(test_endless_body),
        cmocka_unit_test(test_compression_bomb),
        cmocka_unit_test(test_empty_body),
        cmocka_unit_test(test_html_error_page),
        cmocka_unit_test(test_limit_options),
        cmocka_unit_test(test_security_defaults),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
