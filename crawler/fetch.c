/*
 * fetch.c — download index files with libcurl's multi interface.
 *
 * One pf_fetch_all() call owns one curl multi handle and one easy handle
 * per running transfer. Scheduling is ours: at most opts->jobs transfers
 * run, at most opts->per_host per host (libcurl's own connection limits are
 * set too, as a second fence). A transfer that fails with a retryable cause
 * (timeout, connection error, 429, 5xx) is parked until its backoff expires,
 * then restarted with its spool file truncated and rewound.
 *
 * Invariants:
 *   - a request is in exactly one state: waiting (not started or parked for
 *     a retry, `due` says when), running (easy != NULL), or finished;
 *   - req->out only ever holds the body of the current attempt from offset 0;
 *   - header fields captured (etag, last-modified, retry-after, encoding,
 *     reason) belong to the last response head seen (reset on each status line).
 */
#include "pkgfresh/fetch.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#ifndef PKGFRESH_VERSION
#define PKGFRESH_VERSION "0"
#endif

#define PF_DEFAULT_UA "pkgfresh/" PKGFRESH_VERSION " (+https://github.com/pkgfresh/pkgfresh)"

enum xfer_state { XF_WAITING, XF_RUNNING, XF_DONE };

typedef struct xfer {
    pf_fetch_req *req;
    const pf_fetch_opts *opts;
    size_t idx;
    int state;          /* enum xfer_state */
    double due;         /* XF_WAITING: monotonic time it may start */
    double first_start; /* first attempt's start, for req->seconds */
    char host[256];     /* scheduling key ("" for file://) */
    CURL *easy;
    struct curl_slist *hdrs;
    char errbuf[CURL_ERROR_SIZE];
    /* Per attempt. */
    uint64_t bytes;
    int over_limit;   /* body grew past max_bytes */
    int write_failed; /* writing the spool file failed (errno in write_errno) */
    int write_errno;
    long status_seen; /* status of the response head being received */
    char reason[64];
    char *etag, *last_modified;
    char encoding[32];
    long retry_after_ms; /* -1 if none */
    double last_progress;
} xfer;

/* Monotonic seconds. */
static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Fill opts with the documented defaults. */
void pf_fetch_opts_default(pf_fetch_opts *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->jobs = 4;
    opts->per_host = 2;
    opts->connect_timeout = 30;
    opts->low_speed_limit = 1024;
    opts->low_speed_time = 60;
    opts->max_redirs = 5;
    opts->max_bytes = (uint64_t)1 << 30;
    opts->retries = 3;
    opts->retry_base_ms = 1000;
    opts->retry_max_ms = 60000;
    opts->user_agent = PF_DEFAULT_UA;
}

/* curl_global_init for the whole program. 0 on success. */
int pf_fetch_global_init(void)
{
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

/* curl_global_cleanup at exit. */
void pf_fetch_global_cleanup(void)
{
    curl_global_cleanup();
}

/* Free a request's malloc'd outputs and reset them. */
void pf_fetch_req_clear(pf_fetch_req *req)
{
    if (!req)
        return;
    free(req->new_etag);
    free(req->new_last_modified);
    req->new_etag = NULL;
    req->new_last_modified = NULL;
}

/* Copy of s[0..n) without surrounding blanks, NUL-terminated; NULL on allocation failure. */
static char *dup_trim(const char *s, size_t n)
{
    while (n > 0 && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        n--;
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = 0;
    }
    return d;
}

/* Retry-After: delay-seconds or an HTTP date; milliseconds from now, -1 if unparsable. */
static long parse_retry_after(const char *v)
{
    char *end;
    long secs = strtol(v, &end, 10);
    if (end != v && (*end == 0 || *end == ' ')) {
        if (secs < 0)
            return -1;
        return secs > 86400 ? 86400000L : secs * 1000L;
    }
    time_t t = curl_getdate(v, NULL);
    if (t == (time_t)-1)
        return -1;
    time_t now = time(NULL);
    return t <= now ? 0 : (t - now > 86400 ? 86400000L : (long)(t - now) * 1000L);
}

/* Header callback: capture the fields we keep from each response head. */
static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
    xfer *x = ud;
    size_t len = size * n;
    if (len >= 5 && strncmp(p, "HTTP/", 5) == 0) {
        /* A new response head (redirect hop, 100-continue, final): forget the previous one. */
        free(x->etag);
        free(x->last_modified);
        x->etag = x->last_modified = NULL;
        x->encoding[0] = 0;
        x->reason[0] = 0;
        x->retry_after_ms = -1;
        const char *sp = memchr(p, ' ', len);
        if (sp) {
            x->status_seen = strtol(sp + 1, NULL, 10);
            const char *rs = memchr(sp + 1, ' ', len - (size_t)(sp + 1 - p));
            if (rs) {
                char *r = dup_trim(rs + 1, len - (size_t)(rs + 1 - p));
                if (r) {
                    snprintf(x->reason, sizeof x->reason, "%s", r);
                    free(r);
                }
            }
        }
        return len;
    }
    const char *colon = memchr(p, ':', len);
    if (!colon)
        return len;
    size_t nl = (size_t)(colon - p);
    const char *v = colon + 1;
    size_t vl = len - nl - 1;
    if (nl == 4 && strncasecmp(p, "ETag", 4) == 0) {
        free(x->etag);
        x->etag = dup_trim(v, vl);
    } else if (nl == 13 && strncasecmp(p, "Last-Modified", 13) == 0) {
        free(x->last_modified);
        x->last_modified = dup_trim(v, vl);
    } else if (nl == 16 && strncasecmp(p, "Content-Encoding", 16) == 0) {
        char *e = dup_trim(v, vl);
        if (e) {
            snprintf(x->encoding, sizeof x->encoding, "%s", e);
            free(e);
        }
    } else if (nl == 11 && strncasecmp(p, "Retry-After", 11) == 0) {
        char *e = dup_trim(v, vl);
        if (e) {
            x->retry_after_ms = parse_retry_after(e);
            free(e);
        }
    }
    return len;
}

/* Write callback: append the body to the spool file, enforcing max_bytes; report progress. */
static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
    xfer *x = ud;
    size_t len = size * n;
    /* Bodies of error responses are not data: drop them (the spool stays empty). */
    if (x->status_seen >= 300)
        return len;
    if (x->opts->max_bytes && x->bytes + len > x->opts->max_bytes) {
        x->over_limit = 1;
        return 0; /* abort: CURLE_WRITE_ERROR */
    }
    if (len && fwrite(p, 1, len, x->req->out) != len) {
        x->write_failed = 1;
        x->write_errno = errno;
        return 0;
    }
    x->bytes += len;
    if (x->opts->progress) {
        double t = now_s();
        if (t - x->last_progress >= 0.25) {
            x->last_progress = t;
            x->opts->progress(x->opts->progress_ctx, x->idx, x->bytes);
        }
    }
    return len;
}

/* Host part of a URL for per-host scheduling ("" when none, e.g. file://). */
static void url_host(const char *url, char *out, size_t outlen)
{
    out[0] = 0;
    CURLU *u = curl_url();
    if (!u)
        return;
    char *host = NULL;
    if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK && host) {
        snprintf(out, outlen, "%s", host);
    }
    curl_free(host);
    curl_url_cleanup(u);
}

/* Scheme check before curl sees the URL: http(s) always, file only when allowed. */
static int scheme_allowed(const pf_fetch_req *req, char *err, size_t errlen)
{
    const char *u = req->url;
    if (!u || !*u) {
        snprintf(err, errlen, "empty URL");
        return 0;
    }
    if (strncasecmp(u, "http://", 7) == 0 || strncasecmp(u, "https://", 8) == 0)
        return 1;
    if (strncasecmp(u, "file://", 7) == 0) {
        if (req->allow_file)
            return 1;
        snprintf(err, errlen, "file:// URLs are not allowed for this repository");
        return 0;
    }
    snprintf(err, errlen, "unsupported URL scheme: %.*s", (int)strcspn(u, ":/"), u);
    return 0;
}

/* Reset the per-attempt state and the spool file. 0 on success, -1 (err set) on failure. */
static int attempt_reset(xfer *x)
{
    pf_fetch_req *req = x->req;
    x->bytes = 0;
    x->over_limit = 0;
    x->write_failed = 0;
    x->status_seen = 0;
    x->reason[0] = 0;
    x->encoding[0] = 0;
    x->retry_after_ms = -1;
    x->errbuf[0] = 0;
    free(x->etag);
    free(x->last_modified);
    x->etag = x->last_modified = NULL;
    if (fflush(req->out) != 0 || ftruncate(fileno(req->out), 0) != 0) {
        snprintf(req->err, sizeof req->err, "cannot truncate spool file: %s", strerror(errno));
        return -1;
    }
    rewind(req->out);
    return 0;
}

/* Create and configure the easy handle for the next attempt of x. 0, or -1 with req->err. */
static int attempt_start(xfer *x, CURLM *multi)
{
    pf_fetch_req *req = x->req;
    const pf_fetch_opts *o = x->opts;
    if (attempt_reset(x) < 0)
        return -1;
    CURL *e = curl_easy_init();
    if (!e) {
        snprintf(req->err, sizeof req->err, "cannot create a curl handle");
        return -1;
    }
    int is_file = strncasecmp(req->url, "file://", 7) == 0;
    curl_easy_setopt(e, CURLOPT_URL, req->url);
    curl_easy_setopt(e, CURLOPT_PRIVATE, x);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, req->allow_file ? "http,https,file" : "http,https");
    curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(e, CURLOPT_MAXREDIRS, o->max_redirs < 0 ? 0L : o->max_redirs);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, o->connect_timeout > 0 ? o->connect_timeout : 30L);
    if (o->low_speed_limit > 0 && o->low_speed_time > 0) {
        curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, o->low_speed_limit);
        curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, o->low_speed_time);
    }
    if (o->max_bytes)
        curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_bytes);
    curl_easy_setopt(e, CURLOPT_USERAGENT, o->user_agent ? o->user_agent : PF_DEFAULT_UA);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, req->insecure ? 0L : 1L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, req->insecure ? 0L : 2L);
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(e, CURLOPT_FILETIME, 1L);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, x);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
    /* No CURLOPT_ACCEPT_ENCODING: the body is stored exactly as served. */
    curl_slist_free_all(x->hdrs);
    x->hdrs = NULL;
    if (!is_file) {
        char line[1024];
        if (req->etag && *req->etag) {
            snprintf(line, sizeof line, "If-None-Match: %s", req->etag);
            x->hdrs = curl_slist_append(x->hdrs, line);
        }
        if (req->last_modified && *req->last_modified) {
            /* Echo the server's own string: the most reliable If-Modified-Since. */
            snprintf(line, sizeof line, "If-Modified-Since: %s", req->last_modified);
            struct curl_slist *h = curl_slist_append(x->hdrs, line);
            if (h)
                x->hdrs = h;
        }
        if (x->hdrs)
            curl_easy_setopt(e, CURLOPT_HTTPHEADER, x->hdrs);
    } else if (req->last_modified && *req->last_modified) {
        time_t t = curl_getdate(req->last_modified, NULL);
        if (t != (time_t)-1) {
            curl_easy_setopt(e, CURLOPT_TIMECONDITION, (long)CURL_TIMECOND_IFMODSINCE);
            curl_easy_setopt(e, CURLOPT_TIMEVALUE_LARGE, (curl_off_t)t);
        }
    }
    if (curl_multi_add_handle(multi, e) != CURLM_OK) {
        curl_easy_cleanup(e);
        snprintf(req->err, sizeof req->err, "cannot start transfer");
        return -1;
    }
    x->easy = e;
    x->state = XF_RUNNING;
    req->attempts++;
    if (req->attempts == 1)
        x->first_start = now_s();
    return 0;
}

/* One-line cause of a curl failure, in our words where we know better. */
static void describe_curl_error(xfer *x, CURLcode rc, char *out, size_t outlen)
{
    const pf_fetch_opts *o = x->opts;
    long oserr = 0;
    curl_easy_getinfo(x->easy, CURLINFO_OS_ERRNO, &oserr);
    switch (rc) {
    case CURLE_COULDNT_CONNECT:
        if (oserr == ECONNREFUSED) {
            snprintf(out, outlen, "connection refused");
            return;
        }
        break;
    case CURLE_OPERATION_TIMEDOUT:
        if (strstr(x->errbuf, "too slow"))
            snprintf(out, outlen, "too slow: under %ld bytes/s for %ld s", o->low_speed_limit,
                     o->low_speed_time);
        else
            snprintf(out, outlen, "timed out after %ld s",
                     o->connect_timeout > 0 ? o->connect_timeout : 30L);
        return;
    case CURLE_FILESIZE_EXCEEDED:
        snprintf(out, outlen, "body exceeds %llu bytes", (unsigned long long)o->max_bytes);
        return;
    case CURLE_WRITE_ERROR:
        if (x->over_limit) {
            snprintf(out, outlen, "body exceeds %llu bytes", (unsigned long long)o->max_bytes);
            return;
        }
        if (x->write_failed) {
            snprintf(out, outlen, "cannot write spool file: %s", strerror(x->write_errno));
            return;
        }
        break;
    case CURLE_TOO_MANY_REDIRECTS:
        snprintf(out, outlen, "too many redirects (limit %ld)", o->max_redirs);
        return;
    case CURLE_UNSUPPORTED_PROTOCOL:
        snprintf(out, outlen, "protocol not allowed: %.150s", x->errbuf[0] ? x->errbuf : "unknown");
        return;
    default:
        break;
    }
    const char *m = x->errbuf[0] ? x->errbuf : curl_easy_strerror(rc);
    size_t ml = strcspn(m, "\r\n");
    snprintf(out, outlen, "%.*s", (int)ml, m);
}

/* Is this curl result worth another attempt? */
static int curl_retryable(CURLcode rc)
{
    switch (rc) {
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_COULDNT_CONNECT:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_SSL_CONNECT_ERROR:
        return 1;
    default:
        return 0;
    }
}

/* Small per-call PRNG for jitter (xorshift64*), no global state. */
static uint64_t rng_next(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 2685821657736338717ULL;
}

/* Backoff before attempt number `attempts`+1: base * 2^(attempts-1), jittered to [50%, 100%],
 * raised to Retry-After if the server asked for more, capped by retry_max_ms. */
static long backoff_ms(const xfer *x, uint64_t *rng)
{
    const pf_fetch_opts *o = x->opts;
    long cap = o->retry_max_ms > 0 ? o->retry_max_ms : 60000;
    long d = o->retry_base_ms > 0 ? o->retry_base_ms : 0;
    for (int i = 1; i < x->req->attempts && d < cap; i++)
        d *= 2;
    if (d > cap)
        d = cap;
    if (d > 1)
        d = d / 2 + (long)(rng_next(rng) % (uint64_t)(d / 2 + 1));
    if (x->retry_after_ms > d)
        d = x->retry_after_ms;
    return d > cap ? cap : d;
}

/* Record the outputs common to every ending. */
static void finish(xfer *x, int result)
{
    pf_fetch_req *req = x->req;
    req->result = result;
    req->seconds = now_s() - x->first_start;
    x->state = XF_DONE;
    if (x->opts->progress && result == PF_FETCH_OK)
        x->opts->progress(x->opts->progress_ctx, x->idx, req->bytes);
}

/* A transfer ended with curl result rc: decide success, 304, retry or failure. */
static void on_done(xfer *x, CURLM *multi, CURLcode rc, uint64_t *rng)
{
    pf_fetch_req *req = x->req;
    long status = 0, unmet = 0;
    curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(x->easy, CURLINFO_CONDITION_UNMET, &unmet);
    curl_off_t filetime = -1;
    curl_easy_getinfo(x->easy, CURLINFO_FILETIME_T, &filetime);
    int is_file = strncasecmp(req->url, "file://", 7) == 0;
    req->http_status = is_file ? 0 : status;
    int retry = 0;
    char err[200] = ""; /* leaves room for " (N attempts)" in req->err */
    if (rc != CURLE_OK) {
        describe_curl_error(x, rc, err, sizeof err);
        retry = curl_retryable(rc);
    } else if (!is_file && status >= 400) {
        if (x->reason[0])
            snprintf(err, sizeof err, "HTTP %ld %s", status, x->reason);
        else
            snprintf(err, sizeof err, "HTTP %ld", status);
        retry = status == 429 || status >= 500;
    } else if (!is_file && status >= 300 && status != 304) {
        snprintf(err, sizeof err, "HTTP %ld redirect not followed", status);
    }
    if (rc == CURLE_OK && (fflush(req->out) != 0 || ferror(req->out))) {
        snprintf(err, sizeof err, "cannot write spool file: %s", strerror(errno));
        retry = 0;
    }

    curl_multi_remove_handle(multi, x->easy);
    curl_easy_cleanup(x->easy);
    x->easy = NULL;

    if (err[0]) {
        if (retry && req->attempts <= x->opts->retries) {
            x->state = XF_WAITING;
            x->due = now_s() + (double)backoff_ms(x, rng) / 1000.0;
            return;
        }
        if (req->attempts > 1)
            snprintf(req->err, sizeof req->err, "%s (%d attempts)", err, req->attempts);
        else
            snprintf(req->err, sizeof req->err, "%s", err);
        req->bytes = x->bytes;
        finish(x, PF_FETCH_FAILED);
        return;
    }

    /* Success or not modified: hand over the validators. */
    pf_fetch_req_clear(req);
    req->new_etag = x->etag;
    req->new_last_modified = x->last_modified;
    x->etag = x->last_modified = NULL;
    if (!req->new_last_modified && filetime >= 0) {
        /* file:// (and servers curl parsed a date from): format as an HTTP date. */
        char date[64];
        time_t t = (time_t)filetime;
        struct tm tm;
        if (gmtime_r(&t, &tm) && strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm))
            req->new_last_modified = strdup(date);
    }
    req->bytes = x->bytes;
    if (status == 304 || (is_file && unmet)) {
        /* Keep the caller's validators when the 304 did not repeat them. */
        if (!req->new_etag && req->etag)
            req->new_etag = strdup(req->etag);
        if (!req->new_last_modified && req->last_modified)
            req->new_last_modified = strdup(req->last_modified);
        req->content_encoding = PF_CODEC_NONE;
        finish(x, PF_FETCH_NOT_MODIFIED);
        return;
    }
    pf_codec ce = PF_CODEC_NONE;
    if (x->encoding[0]) {
        if (strcasecmp(x->encoding, "gzip") == 0 || strcasecmp(x->encoding, "x-gzip") == 0)
            ce = PF_CODEC_GZIP;
        else if (strcasecmp(x->encoding, "br") == 0)
            ce = PF_CODEC_BROTLI;
        else if (strcasecmp(x->encoding, "zstd") == 0)
            ce = PF_CODEC_ZSTD;
        else if (strcasecmp(x->encoding, "xz") == 0)
            ce = PF_CODEC_XZ;
        else if (strcasecmp(x->encoding, "bzip2") == 0)
            ce = PF_CODEC_BZIP2;
    }
    if (ce == PF_CODEC_NONE)
        ce = pf_codec_from_name(req->url);
    req->content_encoding = ce;
    finish(x, PF_FETCH_OK);
}

/* Number of running transfers on host. */
static int running_on_host(const xfer *xs, size_t n, const char *host)
{
    int k = 0;
    for (size_t i = 0; i < n; i++)
        if (xs[i].state == XF_RUNNING && strcmp(xs[i].host, host) == 0)
            k++;
    return k;
}

/* Run all requests within the limits; returns how many failed. */
int pf_fetch_all(pf_fetch_req *reqs, size_t n, const pf_fetch_opts *opts_in)
{
    pf_fetch_opts opts;
    if (opts_in)
        opts = *opts_in;
    else
        pf_fetch_opts_default(&opts);
    if (opts.jobs < 1)
        opts.jobs = 1;
    if (opts.per_host < 1)
        opts.per_host = 1;
    if (opts.retries < 0)
        opts.retries = 0;

    xfer *xs = calloc(n ? n : 1, sizeof *xs);
    CURLM *multi = curl_multi_init();
    if (!xs || !multi) {
        for (size_t i = 0; i < n; i++) {
            reqs[i].result = PF_FETCH_FAILED;
            snprintf(reqs[i].err, sizeof reqs[i].err, "out of memory");
        }
        free(xs);
        if (multi)
            curl_multi_cleanup(multi);
        return (int)n;
    }
    curl_multi_setopt(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)opts.jobs);
    curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)opts.per_host);

    uint64_t rng = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32) ^ (uint64_t)(uintptr_t)xs;
    if (!rng)
        rng = 0x9e3779b97f4a7c15ULL;
    size_t pending = 0;
    double t0 = now_s();
    for (size_t i = 0; i < n; i++) {
        xfer *x = &xs[i];
        pf_fetch_req *req = &reqs[i];
        x->req = req;
        x->opts = &opts;
        x->idx = i;
        x->retry_after_ms = -1;
        x->first_start = t0;
        req->result = PF_FETCH_FAILED;
        req->http_status = 0;
        req->new_etag = req->new_last_modified = NULL;
        req->content_encoding = PF_CODEC_NONE;
        req->bytes = 0;
        req->attempts = 0;
        req->seconds = 0;
        req->err[0] = 0;
        if (!req->out) {
            snprintf(req->err, sizeof req->err, "no spool file");
            x->state = XF_DONE;
        } else if (!scheme_allowed(req, req->err, sizeof req->err)) {
            x->state = XF_DONE;
        } else {
            url_host(req->url, x->host, sizeof x->host);
            x->state = XF_WAITING;
            x->due = t0;
            pending++;
        }
    }

    int running = 0;
    while (pending > 0) {
        /* Start whatever is due and fits the limits, in request order. */
        double t = now_s(), next_due = -1;
        for (size_t i = 0; i < n && running < opts.jobs; i++) {
            xfer *x = &xs[i];
            if (x->state != XF_WAITING)
                continue;
            if (x->due > t) {
                if (next_due < 0 || x->due < next_due)
                    next_due = x->due;
                continue;
            }
            if (running_on_host(xs, n, x->host) >= opts.per_host)
                continue;
            if (attempt_start(x, multi) < 0) {
                finish(x, PF_FETCH_FAILED);
                pending--;
                continue;
            }
            running++;
        }
        if (running == 0) {
            if (pending == 0)
                break;
            /* Only parked retries left: sleep until the first is due. */
            double wait = next_due - now_s();
            if (wait > 0)
                usleep((useconds_t)(wait * 1e6));
            continue;
        }
        int still = 0;
        curl_multi_perform(multi, &still);
        CURLMsg *m;
        int left, ended = 0;
        while ((m = curl_multi_info_read(multi, &left))) {
            if (m->msg != CURLMSG_DONE)
                continue;
            xfer *x = NULL;
            curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&x);
            CURLcode rc = m->data.result;
            on_done(x, multi, rc, &rng);
            running--;
            ended = 1;
            if (x->state == XF_DONE)
                pending--;
        }
        /* A slot freed up or a retry was parked: schedule again before waiting. */
        if (pending == 0 || ended)
            continue;
        int timeout_ms = 1000;
        if (next_due >= 0) {
            double w = (next_due - now_s()) * 1000.0;
            timeout_ms = w < 0 ? 0 : (w < 1000 ? (int)w + 1 : 1000);
        }
        curl_multi_poll(multi, NULL, 0, timeout_ms, NULL);
    }

    int failed = 0;
    for (size_t i = 0; i < n; i++) {
        xfer *x = &xs[i];
        if (x->easy) {
            curl_multi_remove_handle(multi, x->easy);
            curl_easy_cleanup(x->easy);
        }
        curl_slist_free_all(x->hdrs);
        free(x->etag);
        free(x->last_modified);
        if (reqs[i].result == PF_FETCH_FAILED)
            failed++;
    }
    curl_multi_cleanup(multi);
    free(xs);
    return failed;
}
