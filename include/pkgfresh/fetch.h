/*
 * fetch.h — downloading index files (libcurl multi interface).
 *
 * A fetch writes the body, exactly as served (compressed), into a spool FILE
 * the caller owns; the parser later streams from that file through the
 * decoder. Nothing is ever held whole in memory, a failed or partial download
 * never reaches the parser, and the body can be checksummed or kept.
 * Conditional requests: etag / last_modified in, 304 -> PF_FETCH_NOT_MODIFIED.
 */
#ifndef PKGFRESH_FETCH_H
#define PKGFRESH_FETCH_H

#include <stdint.h>
#include <stdio.h>

#include "pkgfresh/reader.h"

enum pf_fetch_result { PF_FETCH_OK = 0, PF_FETCH_NOT_MODIFIED = 1, PF_FETCH_FAILED = 2 };

typedef struct pf_fetch_opts {
    int jobs;             /* transfers at once (default 4) */
    int per_host;         /* transfers at once per host (default 2) */
    long connect_timeout; /* seconds (default 30) */
    long low_speed_limit; /* bytes/s below which ... (default 1024) */
    long low_speed_time;  /* ... for this many seconds aborts (default 60) */
    long max_redirs;      /* redirect limit (default 5) */
    uint64_t max_bytes;   /* maximum body size (default 1 GiB) */
    int retries;          /* extra attempts on timeouts, connection errors, 429, 5xx (default 3) */
    long retry_base_ms;   /* first backoff delay, doubled each time, with jitter (default 1000) */
    long retry_max_ms;    /* cap on one delay, also on Retry-After (default 60000) */
    const char *user_agent; /* default "pkgfresh/VERSION (+https://github.com/pkgfresh/pkgfresh)" */
    /* Progress: called now and then with the bytes received so far for request idx. */
    void (*progress)(void *ctx, size_t idx, uint64_t bytes);
    void *progress_ctx;
} pf_fetch_opts;

typedef struct pf_fetch_req {
    /* in */
    const char *url;           /* http://, https://, or file:// (only when allow_file) */
    const char *etag;          /* previous ETag, or NULL */
    const char *last_modified; /* previous Last-Modified, or NULL */
    int allow_file;            /* permit file:// */
    int insecure;              /* disable TLS verification (per-repository option) */
    FILE *out;                 /* spool file, truncated and written from offset 0 */
    /* out */
    int result;                /* enum pf_fetch_result */
    long http_status;          /* last HTTP status, 0 if none */
    char *new_etag;            /* malloc'd, may be NULL */
    char *new_last_modified;   /* malloc'd, may be NULL */
    pf_codec content_encoding; /* from Content-Encoding/URL suffix, PF_CODEC_NONE if unknown */
    uint64_t bytes;            /* body bytes written to out */
    int attempts;
    double seconds;
    char err[256]; /* one-line cause when result == PF_FETCH_FAILED */
} pf_fetch_req;

/* Fill opts with the documented defaults. */
void pf_fetch_opts_default(pf_fetch_opts *opts);

/* Run all requests (in parallel, within opts' limits). Returns the number that failed. */
int pf_fetch_all(pf_fetch_req *reqs, size_t n, const pf_fetch_opts *opts);

/* Free the malloc'd outputs of a request (not out, not the inputs). */
void pf_fetch_req_clear(pf_fetch_req *req);

/* Call once in main before any fetch / once at exit (curl_global_init/cleanup). */
int pf_fetch_global_init(void);
void pf_fetch_global_cleanup(void);

#endif
