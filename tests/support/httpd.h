/*
 * httpd.h — a tiny HTTP/1.1 server on 127.0.0.1 for tests.
 *
 * Started in-process: one accept thread plus one thread per connection,
 * every response "Connection: close". A test registers routes (path ->
 * behaviour), points the code under test at tu_httpd_url(), then asserts on
 * per-route request counts and the last request's headers. tu_httpd_stop()
 * interrupts sleeps, joins every thread and frees everything.
 */
#ifndef PKGFRESH_TEST_HTTPD_H
#define PKGFRESH_TEST_HTTPD_H

#include <stddef.h>
#include <stdint.h>

typedef struct tu_httpd tu_httpd;

/* What a route does. Zero means "off" / default for every field; strings are copied. */
typedef struct tu_route {
    const char *path; /* exact request path, query included ("/Sources.xz") */
    int status;       /* status of the normal response (default 200) */
    const void *body; /* response body (copied) */
    size_t body_len;
    const char *headers; /* extra header lines, each ending "\r\n" ("Content-Encoding: gzip\r\n") */
    const char *etag;    /* sent as ETag; If-None-Match equal to it -> 304 */
    const char *last_modified; /* sent as Last-Modified; If-Modified-Since equal to it -> 304 */
    int fail_first;            /* the first N requests get fail_status instead */
    int fail_status;           /* default 503 */
    const char *retry_after;   /* Retry-After value sent with the failures */
    int delay_ms;              /* wait before answering (interrupted by stop) */
    int stall_ms;              /* wait after sending half of the body */
    int truncate;              /* send Content-Length of the full body, only half of it, close */
    uint64_t endless;          /* ignore body: stream this many bytes of filler, no length */
    const char *redirect;      /* answer 302 with Location: this (absolute or a path) */
    int head_stall_ms;         /* wait after the response head, before the first body byte */
    int drip_ms;               /* send the body one byte at a time, waiting drip_ms between */
    int reset;                 /* send half of the body, then reset the connection (RST) */
    uint64_t content_length;   /* non-zero: announce this Content-Length instead of body_len */
} tu_route;

/* Start on 127.0.0.1, an ephemeral port. NULL on failure. */
tu_httpd *tu_httpd_start(void);

/* The bound port. */
int tu_httpd_port(const tu_httpd *h);

/* "http://127.0.0.1:PORT<path>" in a rotating static buffer (8 slots). */
const char *tu_httpd_url(const tu_httpd *h, const char *path);

/* Add (or replace) a route; safe while the server runs. */
void tu_httpd_route(tu_httpd *h, const tu_route *r);

/* Requests received for path so far (including ones answered 304/503); 0 if unknown. */
int tu_httpd_count(tu_httpd *h, const char *path);

/* Raw header block of the last request for path (malloc'd, caller frees), NULL if none. */
char *tu_httpd_last_request(tu_httpd *h, const char *path);

/* Highest number of requests answered at the same time so far (counted from the request
 * head received to the first response byte, so it is exact, unlike a connection count). */
int tu_httpd_max_concurrent(tu_httpd *h);

/* Stop: close the listener, interrupt waits, join all threads, free everything. NULL is a no-op. */
void tu_httpd_stop(tu_httpd *h);

#endif
