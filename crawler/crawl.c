/*
 * crawl.c — crawl orchestration (see crawl.h).
 *
 * Phase 1 downloads every source of every repository in one parallel batch
 * into anonymous spool files (tmpfile: unlinked, freed by the kernel even on
 * a crash). Phase 2 handles repositories one at a time: if every source
 * answered 304 the crawl is "not_modified"; otherwise one transaction
 * replaces the packages of each changed source and writes the crawl row.
 * Invariant: the package snapshot of a repository changes only through a
 * committed transaction in which every changed source parsed completely.
 */
#include "pkgfresh/crawl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pkgfresh/format.h"
#include "pkgfresh/reader.h"

/* One source of one repository in this run. */
typedef struct job_src {
    const pf_source *src;
    char name[64];       /* source name stored in the db */
    char *url;           /* expanded URL (malloc'd) or NULL for --from */
    const char *path;    /* --from file */
    FILE *spool;         /* downloaded body (not for --from) */
    pf_source_state prev;
    size_t req;          /* index into the fetch request array, or SIZE_MAX */
} job_src;

/* Progress state handed to the record callback. */
typedef struct emit_ctx {
    pf_crawl_tx *tx;
    const char *repo_id;
    int progress;
    long count;
    pf_reader *rd;
    double t0;
    int failed;
} emit_ctx;

/* Monotonic seconds. */
static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Fill the documented defaults. */
void pf_crawl_opts_default(pf_crawl_opts *o)
{
    memset(o, 0, sizeof *o);
    o->max_decoded = 4ull << 30;
    o->min_packages = -1;
    pf_fetch_opts_default(&o->fetch);
    o->now = (int64_t)time(NULL);
}

/* Record callback: store one package, show progress now and then. */
static int emit_record(void *ctx, const pf_record *rec)
{
    emit_ctx *e = ctx;
    if (pf_store_crawl_add(e->tx, rec) != 0) {
        e->failed = 1;
        return 1;
    }
    e->count++;
    if (e->progress && (e->count & 4095) == 0)
        fprintf(stderr, "\r%-24s parsing: %8.1f MB decoded, %7ld packages", e->repo_id,
                (double)e->rd->nread / 1e6, e->count);
    return 0;
}

/* Suffix-based codec hint for a source (brotli has no magic bytes). */
static pf_codec source_hint(const job_src *js, const pf_fetch_req *req)
{
    if (req && req->content_encoding != PF_CODEC_NONE)
        return req->content_encoding;
    return pf_codec_from_name(js->path ? js->path : js->url);
}

/*
 * Parse one source's bytes into the open transaction. Returns 0, or -1 with
 * a one-line cause in err.
 */
static int parse_source(const pf_repo *repo, const pf_format *fmt, job_src *js,
                        const pf_fetch_req *req, const pf_crawl_opts *o, emit_ctx *e, char *err,
                        size_t errlen)
{
    char why[512];
    FILE *fp = js->spool;
    FILE *own = NULL;
    if (js->path) {
        fp = own = fopen(js->path, "rb");
        if (!fp) {
            snprintf(err, errlen, "%s: %s", js->path, strerror(errno));
            return -1;
        }
    } else {
        rewind(fp);
    }
    pf_reader *rd = pf_reader_open_file(fp, source_hint(js, req), o->max_decoded, why, sizeof why);
    if (!rd) {
        snprintf(err, errlen, "%s: %s", js->path ? js->path : js->url, why);
        if (own)
            fclose(own);
        return -1;
    }
    e->rd = rd;
    why[0] = 0;
    int rc = fmt->parse(rd, emit_record, e, why, sizeof why);
    if (rc != 0 || e->failed) {
        snprintf(err, errlen, "%s: %s", js->path ? js->path : js->url,
                 e->failed ? "cannot store package" : (why[0] ? why : "parse failed"));
        rc = -1;
    }
    e->rd = NULL;
    pf_reader_close(rd);
    if (own)
        fclose(own);
    (void)repo;
    return rc;
}

/* Free what a repository's job sources own. */
static void free_jobs(job_src *js, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(js[i].url);
        if (js[i].spool)
            fclose(js[i].spool);
        pf_source_state_clear(&js[i].prev);
    }
}

/* Store the outcome of one repository; returns 1 when it failed. */
static int finish_repo(pf_store *st, const pf_repo *repo, const pf_crawl_opts *o,
                       pf_crawl_outcome *out, job_src *js, size_t njs, pf_fetch_req *reqs,
                       double t0)
{
    pf_crawl_info info = {0};
    info.started = o->now;
    uint64_t bytes = 0;
    long http = 0;
    int changed = 0;
    const char *etag = NULL, *lastmod = NULL;

    /* Any failed download fails the repository: the snapshot must stay whole. */
    for (size_t i = 0; i < njs; i++) {
        if (js[i].req == SIZE_MAX) {
            changed = 1;
            continue;
        }
        pf_fetch_req *r = &reqs[js[i].req];
        bytes += r->bytes;
        if (r->http_status)
            http = r->http_status;
        if (r->result == PF_FETCH_FAILED) {
            snprintf(out->error, sizeof out->error, "source %s: %s: %s", js[i].name, js[i].url,
                     r->err);
            out->http_status = r->http_status;
            goto failed;
        }
        if (r->result == PF_FETCH_OK) {
            changed = 1;
            etag = r->new_etag;
            lastmod = r->new_last_modified;
        }
    }
    out->bytes = bytes;
    out->http_status = http;
    info.http_status = http;
    info.bytes = bytes;
    info.etag = njs == 1 ? etag : NULL;
    info.last_modified = njs == 1 ? lastmod : NULL;

    if (!changed) {
        info.status = "not_modified";
        info.finished = o->now;
        info.packages = -1;
        if (pf_store_crawl_record(st, repo->id, &info) != 0) {
            snprintf(out->error, sizeof out->error, "database: %s", pf_store_errmsg(st));
            goto failed;
        }
        out->status = "not_modified";
        out->seconds = now_s() - t0;
        return 0;
    }

    const pf_format *fmt = pf_format_find(repo->format);
    if (!fmt) {
        snprintf(out->error, sizeof out->error, "unknown format '%s'", repo->format);
        goto failed;
    }
    char err[512];
    pf_crawl_tx *tx = pf_store_crawl_begin(st, repo->id, err, sizeof err);
    if (!tx) {
        snprintf(out->error, sizeof out->error, "database: %s", err);
        goto failed;
    }
    emit_ctx e = {.tx = tx, .repo_id = repo->id, .progress = o->progress, .t0 = t0};
    int all_parsed = 1;
    /* A --from crawl replaces the whole snapshot; a catalog crawl drops sources
     * that are no longer in the catalog (or were left by a --from crawl). */
    const char *keep[64];
    size_t nkeep = 0;
    for (size_t i = 0; i < njs && nkeep < 64; i++)
        keep[nkeep++] = js[i].name;
    if ((o->nfrom > 0 ? pf_store_crawl_clear(tx) : pf_store_crawl_prune(tx, keep, nkeep)) != 0) {
        snprintf(out->error, sizeof out->error, "database: %s", pf_store_errmsg(st));
        pf_store_crawl_abort(tx);
        goto failed;
    }
    for (size_t i = 0; i < njs; i++) {
        pf_fetch_req *r = js[i].req == SIZE_MAX ? NULL : &reqs[js[i].req];
        if (r && r->result == PF_FETCH_NOT_MODIFIED) {
            all_parsed = 0;
            continue;
        }
        pf_source_state ns = {0};
        if (r) {
            ns.etag = r->new_etag;
            ns.last_modified = r->new_last_modified;
        }
        if (pf_store_crawl_source(tx, js[i].name, &ns) != 0) {
            snprintf(out->error, sizeof out->error, "database: %s", pf_store_errmsg(st));
            pf_store_crawl_abort(tx);
            goto failed;
        }
        if (parse_source(repo, fmt, &js[i], r, o, &e, err, sizeof err) != 0) {
            snprintf(out->error, sizeof out->error, "source %s: %s", js[i].name, err);
            pf_store_crawl_abort(tx);
            goto failed;
        }
    }
    if (o->progress)
        fprintf(stderr, "\r%-70s\r", "");
    long floor = o->min_packages >= 0 ? o->min_packages : repo->min_packages;
    if (all_parsed && e.count < floor) {
        snprintf(out->error, sizeof out->error,
                 "only %ld packages parsed, fewer than the minimum %ld: index looks broken "
                 "(previous snapshot kept; --min-packages overrides)",
                 e.count, floor);
        pf_store_crawl_abort(tx);
        goto failed;
    }
    info.status = "ok";
    info.finished = o->now;
    info.packages = e.count;
    if (pf_store_crawl_commit(tx, &info, err, sizeof err) != 0) {
        snprintf(out->error, sizeof out->error, "database: %s", err);
        goto failed;
    }
    out->status = "ok";
    out->packages = e.count;
    out->seconds = now_s() - t0;
    return 0;

failed:
    if (o->progress)
        fprintf(stderr, "\r%-70s\r", "");
    out->status = "failed";
    out->seconds = now_s() - t0;
    info.status = "failed";
    info.finished = o->now;
    info.error = out->error;
    info.packages = -1;
    info.bytes = out->bytes;
    info.http_status = out->http_status;
    pf_store_crawl_record(st, repo->id, &info);
    return 1;
}

/* Progress callback from the fetcher: one line per active download. */
static void fetch_progress(void *ctx, size_t idx, uint64_t bytes)
{
    const char *const *names = ctx;
    fprintf(stderr, "\r%-40.40s downloading: %8.1f MB", names[idx], (double)bytes / 1e6);
}

/* Crawl repositories: download everything, then parse and store each. */
int pf_crawl_run(pf_store *st, const pf_catalog *cat, const pf_repo *const *repos, size_t n,
                 const pf_crawl_opts *o, pf_crawl_outcome *out)
{
    size_t total = 0;
    for (size_t r = 0; r < n; r++)
        total += o->nfrom > 0 ? (size_t)o->nfrom : repos[r]->nsources;
    job_src *js = calloc(total ? total : 1, sizeof *js);
    size_t *first = calloc(n + 1, sizeof *first);
    pf_fetch_req *reqs = calloc(total ? total : 1, sizeof *reqs);
    const char **labels = calloc(total ? total : 1, sizeof *labels);
    char(*labelbuf)[96] = calloc(total ? total : 1, sizeof *labelbuf);
    if (!js || !first || !reqs || !labels || !labelbuf) {
        free(js), free(first), free(reqs), free(labels), free(labelbuf);
        snprintf(out[0].error, sizeof out[0].error, "out of memory");
        return -1;
    }
    int failures = 0;
    size_t k = 0, nreq = 0;
    /* Plan: resolve URLs, previous conditional-request state, spool files. */
    for (size_t r = 0; r < n; r++) {
        const pf_repo *repo = repos[r];
        memset(&out[r], 0, sizeof out[r]);
        out[r].repo = repo;
        out[r].status = "ok";
        first[r] = k;
        size_t ns = o->nfrom > 0 ? (size_t)o->nfrom : repo->nsources;
        for (size_t s = 0; s < ns; s++, k++) {
            job_src *j = &js[k];
            j->req = SIZE_MAX;
            if (o->nfrom > 0) {
                j->path = o->from[s];
                snprintf(j->name, sizeof j->name, "from:%zu", s + 1);
                continue;
            }
            j->src = &repo->sources[s];
            snprintf(j->name, sizeof j->name, "%s", j->src->name);
            char err[256];
            j->url = pf_catalog_source_url(cat, j->src, err, sizeof err);
            j->spool = j->url ? tmpfile() : NULL;
            if (!j->url || !j->spool) {
                snprintf(out[r].error, sizeof out[r].error, "source %s: %s", j->name,
                         j->url ? "cannot create a temporary file" : err);
                out[r].status = "failed";
                continue;
            }
            pf_store_source_state(st, repo->id, j->name, &j->prev);
            pf_fetch_req *q = &reqs[nreq];
            q->url = j->url;
            q->etag = j->prev.etag;
            q->last_modified = j->prev.last_modified;
            q->allow_file = repo->allow_file;
            q->insecure = repo->tls_insecure;
            q->out = j->spool;
            snprintf(labelbuf[nreq], sizeof labelbuf[nreq], "%s/%s", repo->id, j->name);
            labels[nreq] = labelbuf[nreq];
            j->req = nreq++;
        }
    }
    first[n] = k;
    /* Download everything at once, within the per-host limits. */
    if (nreq > 0) {
        pf_fetch_opts fo = o->fetch;
        if (o->progress) {
            fo.progress = fetch_progress;
            fo.progress_ctx = labels;
        }
        pf_fetch_all(reqs, nreq, &fo);
        if (o->progress)
            fprintf(stderr, "\r%-70s\r", "");
    }
    /* Parse and store, one repository (one transaction) at a time. */
    for (size_t r = 0; r < n; r++) {
        double t0 = now_s();
        if (strcmp(out[r].status, "failed") == 0) {
            pf_crawl_info info = {.started = o->now, .finished = o->now, .status = "failed",
                                  .error = out[r].error, .packages = -1};
            pf_store_crawl_record(st, repos[r]->id, &info);
            failures++;
            continue;
        }
        failures += finish_repo(st, repos[r], o, &out[r], js + first[r], first[r + 1] - first[r],
                                reqs, t0);
    }
    for (size_t i = 0; i < nreq; i++)
        pf_fetch_req_clear(&reqs[i]);
    free_jobs(js, total);
    free(js);
    free(first);
    free(reqs);
    free(labels);
    free(labelbuf);
    return failures;
}
