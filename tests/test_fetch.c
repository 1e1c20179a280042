/*
 * test_fetch.c — the libcurl fetcher against the loopback test server
 * (tests/support/httpd.c): bodies stored exactly as served, conditional
 * requests, errors, retries with backoff and Retry-After, size limits,
 * redirects, file:// policy and parallel transfers. Only 127.0.0.1.
 */
#include "testutil.h"
#include "httpd.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "pkgfresh/fetch.h"
#include "pkgfresh/reader.h"

/* Monotonic seconds. */
static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Options for tests: defaults with fast retries. */
static pf_fetch_opts fast_opts(void)
{
    pf_fetch_opts o;
    pf_fetch_opts_default(&o);
    o.retry_base_ms = 20;
    o.retry_max_ms = 500;
    o.connect_timeout = 5;
    return o;
}

/* A request for url spooling into a fresh temporary file. */
static pf_fetch_req new_req(const char *url)
{
    pf_fetch_req r;
    memset(&r, 0, sizeof r);
    r.url = url;
    r.out = tmpfile();
    assert_non_null(r.out);
    return r;
}

/* The spool file's whole content (malloc'd) and its size. */
static char *spool(FILE *fp, size_t *len)
{
    fflush(fp);
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    assert_true(n >= 0);
    char *b = malloc((size_t)n + 1);
    assert_non_null(b);
    rewind(fp);
    assert_int_equal(fread(b, 1, (size_t)n, fp), (size_t)n);
    b[n] = 0;
    *len = (size_t)n;
    return b;
}

/* Release a request's outputs and its spool file. */
static void done_req(pf_fetch_req *r)
{
    pf_fetch_req_clear(r);
    fclose(r->out);
}

/* Deterministic binary body of n bytes (not text, includes NULs). */
static unsigned char *make_body(size_t n)
{
    unsigned char *b = malloc(n);
    assert_non_null(b);
    uint32_t s = 7;
    for (size_t i = 0; i < n; i++) {
        s = s * 1664525u + 1013904223u;
        b[i] = (unsigned char)(s >> 24);
    }
    return b;
}

/* Per-test server. */
static int setup(void **state)
{
    tu_httpd *h = tu_httpd_start();
    if (!h)
        return -1;
    *state = h;
    return 0;
}

/* Stop the per-test server. */
static int teardown(void **state)
{
    tu_httpd_stop(*state);
    return 0;
}

/* Progress recorder. */
typedef struct prog {
    int calls;
    uint64_t last;
} prog;

/* Progress callback: remember the latest count. */
static void on_progress(void *ctx, size_t idx, uint64_t bytes)
{
    prog *p = ctx;
    assert_int_equal(idx, 0);
    assert_true(bytes >= p->last);
    p->calls++;
    p->last = bytes;
}

/* 200: the body lands in the spool byte for byte, validators are captured, headers are ours. */
static void test_ok(void **state)
{
    tu_httpd *h = *state;
    size_t n = 700 * 1024;
    unsigned char *body = make_body(n);
    tu_httpd_route(h, &(tu_route){.path = "/dists/sid/main/source/Sources.xz",
                                  .body = body,
                                  .body_len = n,
                                  .etag = "\"5f2a-abc\"",
                                  .last_modified = "Thu, 30 Oct 2026 08:08:00 GMT"});
    pf_fetch_req r = new_req(tu_httpd_url(h, "/dists/sid/main/source/Sources.xz"));
    /* Junk already in the spool must go. */
    for (int i = 0; i < 100000; i++)
        fputs("junk ", r.out);
    pf_fetch_opts o = fast_opts();
    prog p = {0, 0};
    o.progress = on_progress;
    o.progress_ctx = &p;
    assert_int_equal(pf_fetch_all(&r, 1, &o), 0);
    assert_int_equal(r.result, PF_FETCH_OK);
    assert_int_equal(r.http_status, 200);
    assert_int_equal(r.bytes, n);
    assert_int_equal(r.attempts, 1);
    assert_string_equal(r.new_etag, "\"5f2a-abc\"");
    assert_string_equal(r.new_last_modified, "Thu, 30 Oct 2026 08:08:00 GMT");
    assert_int_equal(r.content_encoding, PF_CODEC_XZ); /* from the URL suffix */
    assert_string_equal(r.err, "");
    assert_true(r.seconds >= 0 && r.seconds < 10);
    size_t got;
    char *data = spool(r.out, &got);
    assert_int_equal(got, n);
    assert_memory_equal(data, body, n);
    assert_true(p.calls >= 1);
    assert_int_equal(p.last, n);

    char *req = tu_httpd_last_request(h, "/dists/sid/main/source/Sources.xz");
    assert_non_null(req);
    assert_non_null(strstr(req, "User-Agent: pkgfresh/"));
    assert_null(strcasestr(req, "Accept-Encoding"));
    assert_null(strcasestr(req, "If-None-Match"));
    assert_null(strcasestr(req, "If-Modified-Since"));
    assert_int_equal(tu_httpd_count(h, "/dists/sid/main/source/Sources.xz"), 1);
    free(req);
    free(data);
    free(body);
    done_req(&r);
}

/* 304 for a matching ETag or Last-Modified; a stale ETag gets the body. */
static void test_not_modified(void **state)
{
    tu_httpd *h = *state;
    const char *lm = "Sat, 21 Nov 2026 09:15:00 GMT";
    tu_httpd_route(h, &(tu_route){.path = "/Packages.gz",
                                  .body = "0123456789",
                                  .body_len = 10,
                                  .etag = "\"v2\"",
                                  .last_modified = lm});
    pf_fetch_opts o = fast_opts();

    pf_fetch_req r = new_req(tu_httpd_url(h, "/Packages.gz"));
    r.etag = "\"v2\"";
    assert_int_equal(pf_fetch_all(&r, 1, &o), 0);
    assert_int_equal(r.result, PF_FETCH_NOT_MODIFIED);
    assert_int_equal(r.http_status, 304);
    assert_int_equal(r.bytes, 0);
    assert_string_equal(r.new_etag, "\"v2\"");
    assert_string_equal(r.new_last_modified, lm);
    char *req = tu_httpd_last_request(h, "/Packages.gz");
    assert_non_null(strstr(req, "If-None-Match: \"v2\""));
    free(req);
    size_t got;
    char *data = spool(r.out, &got);
    assert_int_equal(got, 0);
    free(data);
    done_req(&r);

    r = new_req(tu_httpd_url(h, "/Packages.gz"));
    r.last_modified = lm;
    assert_int_equal(pf_fetch_all(&r, 1, &o), 0);
    assert_int_equal(r.result, PF_FETCH_NOT_MODIFIED);
    req = tu_httpd_last_request(h, "/Packages.gz");
    assert_non_null(strstr(req, "If-Modified-Since: Sat, 21 Nov 2026 09:15:00 GMT"));
    free(req);
    done_req(&r);

    r = new_req(tu_httpd_url(h, "/Packages.gz"));
    r.etag = "\"v1\"";
    assert_int_equal(pf_fetch_all(&r, 1, &o), 0);
    assert_int_equal(r.result, PF_FETCH_OK);
    assert_int_equal(r.bytes, 10);
    assert_string_equal(r.new_etag, "\"v2\"");
    assert_int_equal(r.content_encoding, PF_CODEC_GZIP);
    done_req(&r);
    assert_int_equal(tu_httpd_count(h, "/Packages.gz"), 3);
}

/* 404 and 403 fail at once with the status line as the error; no retries. */
static void test_client_errors(void **state)
{
    tu_httpd *h = *state;
    pf_fetch_opts o = fast_opts();
    pf_fetch_req r = new_req(tu_httpd_url(h, "/missing"));
    assert_int_equal(pf_fetch_all(&r, 1, &o), 1);
    assert_int_equal(r.result, PF_FETCH_FAILED);
    assert_int_equal(r.http_status, 404);
    assert_string_equal(r.err, "HTTP 404 Not Found");
    assert_int_equal(r.attempts, 1);
    size_t got;
    char *data = spool(r.out, &got);
    assert_int_equal(got, 0); /* the error page is not stored */
    free(data);
    done_req(&r);

    tu_httpd_route(h,
                   &(tu_route){.path = "/forbidden", .status = 403, .body = "no", .body_len = 2});
    r = new_req(tu_httpd_url(h, "/forbidden"));
    assert_int_equal(pf_fetch_all(&r, 1, &o), 1);
    assert_string_equal(r.err, "HTTP 403 Forbidden");
    assert_int_equal(tu_httpd_count(h, "/forbidden"), 1);
    done_req(&r);
}

/* 503, 500 and 429 are retried until success; exhausted retries report the count. */
static void test_retry(void **state)
{
    tu_httpd *h = *state;
    pf_fetch_opts o = fast_opts();
    tu_httpd_route(h, &(tu_route){.path = "/a", .body = "AAA", .body_len = 3, .fail_first = 2});
    tu_httpd_route(
        h,
        &(tu_route){.path = "/b", .body = "B", .body_len = 1, .fail_first = 1, .fail_status = 500});
    tu_httpd_route(
        h,
        &(tu_route){.path = "/c", .body = "C", .body_len = 1, .fail_first = 3, .fail_status = 429});
    tu_httpd_route(h, &(tu_route){.path = "/never", .body = "x", .body_len = 1, .fail_first = 99});
    pf_fetch_req r[4] = {new_req(tu_httpd_url(h, "/a")), new_req(tu_httpd_url(h, "/b")),
                         new_req(tu_httpd_url(h, "/c")), new_req(tu_httpd_url(h, "/never"))};
    o.retries = 3;
    assert_int_equal(pf_fetch_all(r, 4, &o), 1);
    assert_int_equal(r[0].result, PF_FETCH_OK);
    assert_int_equal(r[0].attempts, 3);
    assert_int_equal(r[0].bytes, 3);
    assert_int_equal(tu_httpd_count(h, "/a"), 3);
    assert_int_equal(r[1].result, PF_FETCH_OK);
    assert_int_equal(r[1].attempts, 2);
    assert_int_equal(tu_httpd_count(h, "/b"), 2);
    assert_int_equal(r[2].result, PF_FETCH_OK);
    assert_int_equal(r[2].attempts, 4);
    assert_int_equal(tu_httpd_count(h, "/c"), 4);
    assert_int_equal(r[3].result, PF_FETCH_FAILED);
    assert_int_equal(r[3].attempts, 4);
    assert_int_equal(r[3].http_status, 503);
    assert_string_equal(r[3].err, "HTTP 503 Service Unavailable (4 attempts)");
    assert_int_equal(tu_httpd_count(h, "/never"), 4);
    size_t got;
    char *data = spool(r[0].out, &got);
    assert_int_equal(got, 3);
    assert_memory_equal(data, "AAA", 3);
    free(data);
    for (int i = 0; i < 4; i++)
        done_req(&r[i]);

    /* retries = 0: one attempt only. */
    tu_httpd_route(h, &(tu_route){.path = "/once", .body = "x", .body_len = 1, .fail_first = 1});
    pf_fetch_req one = new_req(tu_httpd_url(h, "/once"));
    o.retries = 0;
    assert_int_equal(pf_fetch_all(&one, 1, &o), 1);
    assert_string_equal(one.err, "HTTP 503 Service Unavailable");
    assert_int_equal(tu_httpd_count(h, "/once"), 1);
    done_req(&one);
}

/* Retry-After is honoured over a shorter backoff, and capped by retry_max_ms. */
static void test_retry_after(void **state)
{
    tu_httpd *h = *state;
    pf_fetch_opts o = fast_opts();
    o.retry_base_ms = 10;
    o.retry_max_ms = 5000;
    tu_httpd_route(
        h, &(tu_route){
               .path = "/ra", .body = "ok", .body_len = 2, .fail_first = 1, .retry_after = "1"});
    pf_fetch_req r = new_req(tu_httpd_url(h, "/ra"));
    double t0 = mono();
    assert_int_equal(pf_fetch_all(&r, 1, &o), 0);
    double dt = mono() - t0;
    assert_int_equal(r.result, PF_FETCH_OK);
    assert_int_equal(r.attempts, 2);
    assert_true(dt >= 0.95);
    assert_true(dt < 4.0);
    done_req(&r);

    /* A huge Retry-After is cut to retry_max_ms. */
    o.retry_max_ms = 300;
    tu_httpd_route(
        h,
        &(tu_route){
            .path = "/ra2", .body = "ok", .body_len = 2, .fail_first = 1, .retry_after = "3600"});
    r = new_req(tu_httpd_url(h, "/ra2"));
    t0 = mono();
    assert_int_equal(pf_fetch_all(&r, 1, &o), 0);
    dt = mono() - t0;
    assert_int_equal(r.result, PF_FETCH_OK);
    assert_true(dt >= 0.28);
    assert_true(dt < 2.0);
    done_req(&r);
}

/* Bodies over max_bytes are refused: by Content-Length up front and while streaming. */
static void test_body_limit(void **state)
{
    tu_httpd *h = *state;
    pf_fetch_opts o = fast_opts();
    o.max_bytes = 50000;
    unsigned char *body = make_body(100000);
    tu_httpd_route(h, &(tu_route){.path = "/big", .body = body, .body_len = 100000});
    tu_httpd_route(h, &(tu_route){.path = "/endless", .endless = (uint64_t)20 << 20});
    pf_fetch_req r[2] = {new_req(tu_httpd_url(h, "/big")), new_req(tu_httpd_url(h, "/endless"))};
    assert_int_equal(pf_fetch_all(r, 2, &o), 2);
    assert_string_equal(r[0].err, "body exceeds 50000 bytes");
    assert_string_equal(r[1].err, "body exceeds 50000 bytes");
    assert_true(r[1].bytes <= 50000);
    assert_int_equal(tu_httpd_count(h, "/big"), 1);
    assert_int_equal(tu_httpd_count(h, "/endless"), 1);
    done_req(&r[0]);
    done_req(&r[1]);

    /* Exactly the limit is fine. */
    o.max_bytes = 100000;
    pf_fetch_req ok = new_req(tu_httpd_url(h, "/big"));
    assert_int_equal(pf_fetch_all(&ok, 1, &o), 0);
    assert_int_equal(ok.bytes, 100000);
    done_req(&ok);
    free(body);
}

/* A gzip Content-Encoding body is stored compressed, recorded, and decodes via the reader. */
static void test_gzip_as_served(void **state)
{
    tu_httpd *h = *state;
    const char *text = "Package: zlib\nVersion: 1:1.2.13.dfsg-1\n\n";
    unsigned char gz[256];
    z_stream z;
    memset(&z, 0, sizeof z);
    assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
    z.next_in = (unsigned char *)text;
    z.avail_in = (uInt)strlen(text);
    z.next_out = gz;
    z.avail_out = sizeof gz;
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    size_t gzlen = z.total_out;
    deflateEnd(&z);
    tu_httpd_route(h,
                   &(tu_route){.path = "/index.json",
                               .body = gz,
                               .body_len = gzlen,
                               .headers = "Content-Encoding: gzip\r\nVary: Accept-Encoding\r\n"});
    pf_fetch_req r = new_req(tu_httpd_url(h, "/index.json"));
    pf_fetch_opts o = fast_opts();
    assert_int_equal(pf_fetch_all(&r, 1, &o), 0);
    assert_int_equal(r.content_encoding, PF_CODEC_GZIP);
    assert_int_equal(r.bytes, gzlen);
    size_t got;
    char *data = spool(r.out, &got);
    assert_int_equal(got, gzlen);
    assert_memory_equal(data, gz, gzlen);
    free(data);
    char *req = tu_httpd_last_request(h, "/index.json");
    assert_null(strcasestr(req, "Accept-Encoding"));
    free(req);

    rewind(r.out);
    char err[256];
    pf_reader *rd = pf_reader_open_file(r.out, r.content_encoding, 0, err, sizeof err);
    assert_non_null(rd);
    char out[256];
    ssize_t k = rd->read(rd, out, sizeof out);
    assert_int_equal(k, (ssize_t)strlen(text));
    assert_memory_equal(out, text, strlen(text));
    pf_reader_close(rd);
    done_req(&r);
}

/* file:// works only with allow_file; a redirect to file:// is never followed. */
static void test_file_urls(void **state)
{
    tu_httpd *h = *state;
    const char *dir = tu_tmpdir("fetch_file");
    assert_non_null(dir);
    char path[1024], url[1200], abs[1024];
    snprintf(path, sizeof path, "%s/INDEX.bz2", dir);
    FILE *w = fopen(path, "wb");
    assert_non_null(w);
    fputs("BZh9 not really bzip2", w);
    fclose(w);
    assert_non_null(realpath(path, abs));
    snprintf(url, sizeof url, "file://%s", abs);
    pf_fetch_opts o = fast_opts();

    pf_fetch_req r = new_req(url);
    assert_int_equal(pf_fetch_all(&r, 1, &o), 1);
    assert_int_equal(r.result, PF_FETCH_FAILED);
    assert_non_null(strstr(r.err, "file:// URLs are not allowed"));
    assert_int_equal(r.attempts, 0);
    done_req(&r);

    r = new_req(url);
    r.allow_file = 1;
    assert_int_equal(pf_fetch_all(&r, 1, &o), 0);
    assert_int_equal(r.result, PF_FETCH_OK);
    assert_int_equal(r.bytes, 21);
    assert_int_equal(r.content_encoding, PF_CODEC_BZIP2);
    assert_non_null(r.new_last_modified);
    assert_non_null(strstr(r.new_last_modified, " GMT"));
    size_t got;
    char *data = spool(r.out, &got);
    assert_string_equal(data, "BZh9 not really bzip2");
    free(data);
    done_req(&r);

    /* Other schemes are refused before any transfer. */
    r = new_req("ftp://127.0.0.1/x");
    assert_int_equal(pf_fetch_all(&r, 1, &o), 1);
    assert_string_equal(r.err, "unsupported URL scheme: ftp");
    done_req(&r);

    /* Redirect to file:// is refused even when file:// itself is allowed. */
    tu_httpd_route(h, &(tu_route){.path = "/tofile", .redirect = url});
    r = new_req(tu_httpd_url(h, "/tofile"));
    r.allow_file = 1;
    assert_int_equal(pf_fetch_all(&r, 1, &o), 1);
    assert_non_null(strstr(r.err, "protocol not allowed"));
    done_req(&r);
}

/* Redirects are followed within the limit; a loop stops at it. */
static void test_redirects(void **state)
{
    tu_httpd *h = *state;
    tu_httpd_route(h, &(tu_route){.path = "/old", .redirect = "/new"});
    tu_httpd_route(h, &(tu_route){.path = "/new", .body = "fresh", .body_len = 5, .etag = "\"n\""});
    tu_httpd_route(h, &(tu_route){.path = "/loop", .redirect = "/loop"});
    pf_fetch_opts o = fast_opts();
    o.max_redirs = 2;
    pf_fetch_req r[2] = {new_req(tu_httpd_url(h, "/old")), new_req(tu_httpd_url(h, "/loop"))};
    assert_int_equal(pf_fetch_all(r, 2, &o), 1);
    assert_int_equal(r[0].result, PF_FETCH_OK);
    assert_int_equal(r[0].http_status, 200);
    assert_string_equal(r[0].new_etag, "\"n\"");
    size_t got;
    char *data = spool(r[0].out, &got);
    assert_string_equal(data, "fresh");
    free(data);
    assert_int_equal(tu_httpd_count(h, "/old"), 1);
    assert_int_equal(tu_httpd_count(h, "/new"), 1);
    assert_string_equal(r[1].err, "too many redirects (limit 2)");
    assert_int_equal(tu_httpd_count(h, "/loop"), 3);
    done_req(&r[0]);
    done_req(&r[1]);
}

/* Several requests in one call run at once, within jobs and per-host limits. */
static void test_parallel(void **state)
{
    tu_httpd *h = *state;
    char paths[6][32];
    pf_fetch_req r[6];
    for (int i = 0; i < 6; i++) {
        snprintf(paths[i], sizeof paths[i], "/repo%d/Packages", i);
        char body[64];
        int bl = snprintf(body, sizeof body, "body of %d", i);
        tu_httpd_route(
            h,
            &(tu_route){.path = paths[i], .body = body, .body_len = (size_t)bl, .delay_ms = 300});
        r[i] = new_req(tu_httpd_url(h, paths[i]));
    }
    pf_fetch_opts o = fast_opts();
    o.jobs = 3;
    o.per_host = 3;
    double t0 = mono();
    assert_int_equal(pf_fetch_all(r, 6, &o), 0);
    double dt = mono() - t0;
    for (int i = 0; i < 6; i++) {
        assert_int_equal(r[i].result, PF_FETCH_OK);
        size_t got;
        char *data = spool(r[i].out, &got);
        char want[64];
        snprintf(want, sizeof want, "body of %d", i);
        assert_string_equal(data, want);
        free(data);
        done_req(&r[i]);
    }
    /* 6 x 300 ms with 3 at a time: about 0.6 s, never the serial 1.8 s. */
    assert_true(dt >= 0.55);
    assert_true(dt < 1.5);
    assert_int_equal(tu_httpd_max_concurrent(h), 3);
}

/* per_host = 1 serialises requests to one host. */
static void test_per_host(void **state)
{
    tu_httpd *h = *state;
    pf_fetch_req r[3];
    for (int i = 0; i < 3; i++) {
        char path[32];
        snprintf(path, sizeof path, "/p%d", i);
        tu_httpd_route(h, &(tu_route){.path = path, .body = "x", .body_len = 1, .delay_ms = 150});
        r[i] = new_req(tu_httpd_url(h, path));
    }
    pf_fetch_opts o = fast_opts();
    o.jobs = 8;
    o.per_host = 1;
    double t0 = mono();
    assert_int_equal(pf_fetch_all(r, 3, &o), 0);
    assert_true(mono() - t0 >= 0.44);
    assert_int_equal(tu_httpd_max_concurrent(h), 1);
    for (int i = 0; i < 3; i++)
        done_req(&r[i]);
}

/* Connection refused, truncated bodies and stalls: retried where it makes sense, clear errors. */
static void test_network_errors(void **state)
{
    tu_httpd *h = *state;
    /* A port nobody listens on. */
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t al = sizeof a;
    assert_int_equal(bind(s, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(getsockname(s, (struct sockaddr *)&a, &al), 0);
    close(s);
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/x", ntohs(a.sin_port));

    unsigned char *body = make_body(200000);
    tu_httpd_route(h, &(tu_route){.path = "/cut", .body = body, .body_len = 200000, .truncate = 1});
    pf_fetch_opts o = fast_opts();
    o.retries = 1;
    pf_fetch_req r[2] = {new_req(url), new_req(tu_httpd_url(h, "/cut"))};
    assert_int_equal(pf_fetch_all(r, 2, &o), 2);
    assert_string_equal(r[0].err, "connection refused (2 attempts)");
    assert_int_equal(r[0].attempts, 2);
    assert_int_equal(r[0].http_status, 0);
    assert_string_equal(r[1].err,
                        "transfer closed with 100000 bytes remaining to read (2 attempts)");
    assert_int_equal(tu_httpd_count(h, "/cut"), 2);
    done_req(&r[0]);
    done_req(&r[1]);

    /* A stall after half the body: libcurl averages speed over a few seconds, so the
     * limit is set high enough to trip soon after the data stops. */
    tu_httpd_route(h,
                   &(tu_route){.path = "/stall", .body = body, .body_len = 4000, .stall_ms = 8000});
    o.retries = 0;
    o.low_speed_limit = 5000;
    o.low_speed_time = 1;
    pf_fetch_req st = new_req(tu_httpd_url(h, "/stall"));
    double t0 = mono();
    assert_int_equal(pf_fetch_all(&st, 1, &o), 1);
    double dt = mono() - t0;
    assert_string_equal(st.err, "too slow: under 5000 bytes/s for 1 s");
    assert_int_equal(tu_httpd_count(h, "/stall"), 1);
    assert_true(dt < 6.0);
    print_message("stall detected after %.2f s\n", dt);
    done_req(&st);
    free(body);
}

/* Edge cases of the API itself: no requests, no spool, NULL options mean defaults. */
static void test_api_edges(void **state)
{
    tu_httpd *h = *state;
    assert_int_equal(pf_fetch_all(NULL, 0, NULL), 0);
    pf_fetch_req r;
    memset(&r, 0, sizeof r);
    r.url = tu_httpd_url(h, "/x");
    assert_int_equal(pf_fetch_all(&r, 1, NULL), 1);
    assert_string_equal(r.err, "no spool file");
    pf_fetch_req_clear(&r);
    pf_fetch_req_clear(NULL);

    pf_fetch_opts o;
    pf_fetch_opts_default(&o);
    assert_int_equal(o.jobs, 4);
    assert_int_equal(o.per_host, 2);
    assert_int_equal(o.max_bytes, (uint64_t)1 << 30);
    assert_int_equal(o.retries, 3);
    assert_non_null(strstr(o.user_agent, "pkgfresh/"));
    tu_httpd_route(h, &(tu_route){.path = "/d", .body = "d", .body_len = 1});
    r = new_req(tu_httpd_url(h, "/d"));
    assert_int_equal(pf_fetch_all(&r, 1, NULL), 0);
    assert_int_equal(r.bytes, 1);
    assert_null(r.new_etag);
    assert_int_equal(r.content_encoding, PF_CODEC_NONE);
    done_req(&r);
}

/* curl_global_init once for the program. */
static int group_setup(void **state)
{
    (void)state;
    /* A proxy configured in the environment must not see loopback test traffic. */
    setenv("no_proxy", "127.0.0.1,localhost", 1);
    setenv("NO_PROXY", "127.0.0.1,localhost", 1);
    return pf_fetch_global_init();
}

/* curl_global_cleanup at the end. */
static int group_teardown(void **state)
{
    (void)state;
    pf_fetch_global_cleanup();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_ok, setup, teardown),
        cmocka_unit_test_setup_teardown(test_not_modified, setup, teardown),
        cmocka_unit_test_setup_teardown(test_client_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_retry, setup, teardown),
        cmocka_unit_test_setup_teardown(test_retry_after, setup, teardown),
        cmocka_unit_test_setup_teardown(test_body_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gzip_as_served, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_urls, setup, teardown),
        cmocka_unit_test_setup_teardown(test_redirects, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parallel, setup, teardown),
        cmocka_unit_test_setup_teardown(test_per_host, setup, teardown),
        cmocka_unit_test_setup_teardown(test_network_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_api_edges, setup, teardown),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
