/*
 * crawl.c — crawl orchestration (see crawl.h).
 *
 * Plan: every source of every selected repository becomes a job. Fetch:
 * all downloads of a run happen in parallel batches into anonymous spool
 * files (tmpfile: unlinked, freed by the kernel even on a crash):
 *   batch 1 — each source's index URL with its ETag / Last-Modified;
 *             for rpm-md that URL is repodata/repomd.xml;
 *   batch 2 — rpm-md only: the primary file that repomd.xml names, unless
 *             its checksum equals the one stored (then: not modified).
 * Store: repositories are then handled one at a time: if every source is
 * unchanged the crawl is "not_modified"; otherwise one transaction replaces
 * the packages of each changed source and writes the crawl row. When more
 * than one repository has something to parse, worker threads parse them
 * meanwhile (parsepool.h) and the transaction takes their records from the
 * pool; a single one is parsed in line, as it is stored.
 * Invariant: a repository's package snapshot changes only through a
 * committed transaction in which every changed source parsed completely and
 * the package floor (min_packages) held.
 */
#include "pkgfresh/crawl.h"

#include <ctype.h>
#include <errno.h>
#include <zlib.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "parsepool.h"
#include "pkgfresh/dirtar.h"
#include "pkgfresh/format.h"
#include "pkgfresh/reader.h"
#include "pkgfresh/repomd.h"

/* Bytes of parsed records a multi-repository crawl may hold in memory for the
 * repositories waiting for the write lock (parsepool.h: at most twice this). */
#define POOL_BUDGET (48u << 20)

/* One source of one repository in this run. */
typedef struct job {
    const pf_repo *repo;
    char name[64];    /* source name stored in the db */
    char *url;        /* expanded catalog URL (malloc'd), NULL for --from */
    char *path;       /* local file to parse (--from, or resolved rpm-md primary), malloc'd */
    char *index_url;  /* URL requested in batch 1 (rpm-md: its repomd.xml), malloc'd */
    char *body_url;   /* URL of the body that gets parsed (rpm-md: the primary), malloc'd */
    int rpmmd;        /* format needs the repomd.xml step */
    FILE *spool;      /* downloaded index (batch 1) */
    FILE *spool2;     /* downloaded primary (batch 2) */
    size_t req, req2; /* indexes into the request arrays, SIZE_MAX = none */
    pf_source_state prev;
    /* outcome of the fetch stage */
    int result; /* enum pf_fetch_result */
    char err[512];
    FILE *body;                 /* what to parse (spool, spool2) or NULL for path */
    pf_codec hint;              /* codec hint for brotli (no magic bytes) */
    char *etag, *last_modified; /* new validators (owned by the fetch request) */
    char checksum[160];         /* rpm-md: checksum of the primary file */
    long http_status;
    uint64_t bytes;
} job;

/* Progress state handed to the record callback. */
typedef struct emit_ctx {
    pf_crawl_tx *tx;
    const char *repo_id;
    int progress;
    long count;
    pf_reader *rd;
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

/*
 * The homepage as Repology's package maker stores it (its URL normalizer):
 * scheme and host lower-cased, and "/" as the path of an http, https or ftp
 * URL that has none ("https://openmsx.org" -> "https://openmsx.org/"), so
 * that rules matching on URLs (wwwpart) see what they see on Repology.
 * Returns url itself when nothing changes or it does not fit buf.
 */
static const char *homepage_form(const char *url, char *buf, size_t n)
{
    const char *sep = url ? strstr(url, "://") : NULL;
    if (!sep || sep == url || strpbrk(url, " \t\r\n"))
        return url;
    const char *host = sep + 3;
    size_t hl = strcspn(host, "/");
    size_t len = strlen(url);
    if (hl == 0 || len + 2 > n)
        return url;
    size_t scheme = (size_t)(sep - url);
    int add_slash = host[hl] == '\0' && ((scheme == 4 && strncasecmp(url, "http", 4) == 0) ||
                                         (scheme == 5 && strncasecmp(url, "https", 5) == 0) ||
                                         (scheme == 3 && strncasecmp(url, "ftp", 3) == 0));
    memcpy(buf, url, len + 1);
    for (size_t i = 0; i < (size_t)(host - url) + hl; i++)
        buf[i] = (char)tolower((unsigned char)buf[i]);
    if (add_slash) {
        buf[len] = '/';
        buf[len + 1] = '\0';
    }
    return strcmp(buf, url) == 0 ? url : buf;
}

/* Record callback: store one package, show progress now and then. */
static int emit_record(void *ctx, const pf_record *rec)
{
    emit_ctx *e = ctx;
    char hp[2048];
    pf_record r = *rec;
    r.homepage = homepage_form(rec->homepage, hp, sizeof hp);
    rec = &r;
    if (pf_store_crawl_add(e->tx, rec) != 0) {
        e->failed = 1;
        return 1;
    }
    e->count++;
    if (e->progress && (e->count & 4095) == 0) {
        if (e->rd)
            fprintf(stderr, "\r%-24s parsing: %8.1f MB decoded, %7ld packages", e->repo_id,
                    (double)e->rd->nread / 1e6, e->count);
        else
            fprintf(stderr, "\r%-24s storing: %7ld packages", e->repo_id, e->count);
    }
    return 0;
}

/* malloc'd "base/rel" with exactly one slash between them. */
static char *join_url(const char *base, const char *rel)
{
    size_t bl = strlen(base);
    while (bl > 0 && base[bl - 1] == '/')
        bl--;
    while (*rel == '/')
        rel++;
    size_t n = bl + strlen(rel) + 2;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%.*s/%s", (int)bl, base, rel);
    return s;
}

/*
 * Change detector for servers that send neither ETag nor Last-Modified:
 * "z:CRC32:ADLER32:SIZE" of the body as served. Two independent 32-bit
 * checksums plus the length; an unchanged body is then not parsed again.
 */
static int body_checksum(FILE *fp, char *out, size_t outlen)
{
    static const size_t chunk = 1u << 20;
    unsigned char *buf = malloc(chunk);
    if (!buf)
        return -1;
    uLong crc = crc32(0L, Z_NULL, 0), adl = adler32(0L, Z_NULL, 0);
    unsigned long long size = 0;
    size_t n;
    rewind(fp);
    while ((n = fread(buf, 1, chunk, fp)) > 0) {
        crc = crc32_z(crc, buf, n);
        adl = adler32_z(adl, buf, n);
        size += n;
    }
    int rc = ferror(fp) ? -1 : 0;
    free(buf);
    snprintf(out, outlen, "z:%08lx:%08lx:%llu", crc, adl, size);
    return rc;
}

/* Read repomd.xml from fp (or path) and find the primary: href and checksum. */
static int read_repomd(FILE *fp, const char *path, char *href, size_t hreflen, char *ck,
                       size_t cklen, char *err, size_t errlen)
{
    char why[256];
    if (fp)
        rewind(fp);
    pf_reader *rd = fp ? pf_reader_open_file(fp, PF_CODEC_NONE, 64u << 20, why, sizeof why)
                       : pf_reader_open_path(path, 64u << 20, why, sizeof why);
    if (!rd) {
        snprintf(err, errlen, "repomd.xml: %s", why);
        return -1;
    }
    int rc = pf_repomd_primary(rd, href, hreflen, ck, cklen, why, sizeof why);
    pf_reader_close(rd);
    if (rc != 0)
        snprintf(err, errlen, "repomd.xml: %s", why);
    return rc;
}

/*
 * Parse one source's bytes, calling emit(ectx, rec) per record; *rdp shows
 * the open reader (for progress) while it runs. Returns 0, or -1 with a
 * one-line cause in err ("cannot store package" when emit stopped it).
 */
static int parse_source(const pf_format *fmt, job *j, const pf_crawl_opts *o, pf_emit_fn emit,
                        void *ectx, pf_reader **rdp, char *err, size_t errlen)
{
    char why[512];
    const char *where = j->path ? j->path : j->body_url;
    FILE *fp = j->body, *own = NULL;
    struct stat sb;
    if (!fp && stat(j->path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        /* --from DIR: a repository tree, packed into a tar for the archive formats */
        fp = own = tmpfile();
        if (!fp || pf_dirtar(j->path, fp, why, sizeof why) != 0) {
            snprintf(err, errlen, "%s: %s", j->path, fp ? why : "cannot create a temporary file");
            if (own)
                fclose(own);
            return -1;
        }
        rewind(fp);
    } else if (!fp) {
        fp = own = fopen(j->path, "rb");
        if (!fp) {
            snprintf(err, errlen, "%s: %s", j->path, strerror(errno));
            return -1;
        }
    } else {
        rewind(fp);
    }
    pf_reader *rd = pf_reader_open_file(fp, j->hint, o->max_decoded, why, sizeof why);
    if (!rd) {
        snprintf(err, errlen, "%s: %s", where, why);
        if (own)
            fclose(own);
        return -1;
    }
    /* Decode on the second core while this one parses and stores. */
    rd = pf_reader_threaded(rd);
    if (!rd) {
        snprintf(err, errlen, "%s: cannot start the decoding thread", where);
        if (own)
            fclose(own);
        return -1;
    }
    if (rdp)
        *rdp = rd;
    why[0] = 0;
    pf_parse_stats ps;
    int rc = pf_format_parse(fmt, rd, emit, ectx, &ps, why, sizeof why);
    if (rc > 0)
        snprintf(err, errlen, "%s: %s", where, "cannot store package");
    else if (rc != 0)
        snprintf(err, errlen, "%s: %s", where, why[0] ? why : "parse failed");
    rc = rc != 0 ? -1 : 0;
    if (rdp)
        *rdp = NULL;
    pf_reader_close(rd);
    if (own)
        fclose(own);
    return rc;
}

/* Where a job's bytes come from, for messages: the --from file or the URL parsed. */
static const char *job_where(const job *j)
{
    return j->path ? j->path : j->body_url ? j->body_url : "?";
}

/*
 * Store one source's records into the open transaction: parsed here (pool
 * NULL), or taken from repository r's queue of the parse pool. Returns 0,
 * or -1 with a one-line cause in err.
 */
static int store_source(const pf_format *fmt, job *j, const pf_crawl_opts *o, emit_ctx *e,
                        pf_parsepool *pool, size_t r, char *err, size_t errlen)
{
    e->failed = 0;
    if (!pool) {
        int rc = parse_source(fmt, j, o, emit_record, e, &e->rd, err, errlen);
        if (rc != 0 && e->failed)
            snprintf(err, errlen, "%s: cannot store package", job_where(j));
        return rc;
    }
    pf_pool_item it;
    for (;;) {
        if (pf_parsepool_next(pool, r, &it) != 0) {
            snprintf(err, errlen, "%s: out of memory", job_where(j));
            return -1;
        }
        if (it.end) {
            if (it.rc == 0)
                return 0;
            snprintf(err, errlen, "%s", it.err);
            return -1;
        }
        if (emit_record(e, &it.rec) != 0) {
            snprintf(err, errlen, "%s: cannot store package", job_where(j));
            return -1;
        }
    }
}

/* The parser of a repository's crawl: --from-format if given, else the catalog's. */
static const pf_format *repo_format(const pf_crawl_opts *o, const pf_repo *repo)
{
    return pf_format_find(o->nfrom > 0 && o->from_format ? o->from_format : repo->format);
}

/* Record a failed attempt for repo and fill its outcome. Returns 1. */
static int fail_repo(pf_store *st, const pf_crawl_opts *o, pf_crawl_outcome *out, double t0)
{
    if (o->progress)
        fprintf(stderr, "\r%-70s\r", "");
    out->status = "failed";
    out->seconds = now_s() - t0;
    pf_crawl_info info = {.started = o->now,
                          .finished = o->now,
                          .status = "failed",
                          .error = out->error,
                          .packages = -1,
                          .bytes = out->bytes,
                          .http_status = out->http_status};
    pf_store_crawl_record(st, out->repo->id, &info);
    return 1;
}

/* Store the outcome of one repository from its jobs, its records parsed here (pool
 * NULL) or by the parse pool (repository index r); returns 1 when it failed. */
static int finish_repo(pf_store *st, const pf_crawl_opts *o, pf_crawl_outcome *out, job *js,
                       size_t njs, pf_parsepool *pool, size_t r, double t0)
{
    const pf_repo *repo = out->repo;
    int changed = 0;
    for (size_t i = 0; i < njs; i++) {
        out->bytes += js[i].bytes;
        if (js[i].http_status)
            out->http_status = js[i].http_status;
    }
    /* Any failed source fails the repository: the snapshot must stay whole. */
    for (size_t i = 0; i < njs; i++) {
        if (js[i].result == PF_FETCH_FAILED) {
            snprintf(out->error, sizeof out->error, "source %s: %s", js[i].name, js[i].err);
            return fail_repo(st, o, out, t0);
        }
        changed |= js[i].result == PF_FETCH_OK;
    }
    pf_crawl_info info = {.started = o->now,
                          .finished = o->now,
                          .http_status = out->http_status,
                          .bytes = out->bytes,
                          .etag = njs == 1 ? js[0].etag : NULL,
                          .last_modified = njs == 1 ? js[0].last_modified : NULL,
                          .content_hash = njs == 1 && js[0].checksum[0] ? js[0].checksum : NULL};
    if (!changed) {
        info.status = "not_modified";
        info.packages = -1;
        if (pf_store_crawl_record(st, repo->id, &info) != 0) {
            snprintf(out->error, sizeof out->error, "database: %s", pf_store_errmsg(st));
            return fail_repo(st, o, out, t0);
        }
        out->status = "not_modified";
        out->seconds = now_s() - t0;
        return 0;
    }

    const pf_format *fmt = repo_format(o, repo);
    if (!fmt) {
        snprintf(out->error, sizeof out->error, "unknown format '%s'",
                 o->nfrom > 0 && o->from_format ? o->from_format : repo->format);
        return fail_repo(st, o, out, t0);
    }
    char err[512];
    pf_crawl_tx *tx = pf_store_crawl_begin(st, repo->id, err, sizeof err);
    if (!tx) {
        snprintf(out->error, sizeof out->error, "database: %s", err);
        return fail_repo(st, o, out, t0);
    }
    emit_ctx e = {.tx = tx, .repo_id = repo->id, .progress = o->progress};
    /* A --from crawl replaces the whole snapshot; a catalog crawl drops sources
     * that are no longer in the catalog (or were left by a --from crawl). */
    const char *keep[64];
    size_t nkeep = 0;
    for (size_t i = 0; i < njs && nkeep < 64; i++)
        keep[nkeep++] = js[i].name;
    if ((o->nfrom > 0 ? pf_store_crawl_clear(tx) : pf_store_crawl_prune(tx, keep, nkeep)) != 0) {
        snprintf(out->error, sizeof out->error, "database: %s", pf_store_errmsg(st));
        pf_store_crawl_abort(tx);
        return fail_repo(st, o, out, t0);
    }
    int all_parsed = 1;
    for (size_t i = 0; i < njs; i++) {
        if (js[i].result == PF_FETCH_NOT_MODIFIED) {
            all_parsed = 0;
            continue;
        }
        pf_source_state ns = {js[i].etag, js[i].last_modified,
                              js[i].checksum[0] ? js[i].checksum : NULL};
        if (pf_store_crawl_source(tx, js[i].name, &ns) != 0) {
            snprintf(out->error, sizeof out->error, "database: %s", pf_store_errmsg(st));
            pf_store_crawl_abort(tx);
            return fail_repo(st, o, out, t0);
        }
        if (store_source(fmt, &js[i], o, &e, pool, r, err, sizeof err) != 0) {
            snprintf(out->error, sizeof out->error, "source %s: %s", js[i].name, err);
            pf_store_crawl_abort(tx);
            return fail_repo(st, o, out, t0);
        }
    }
    if (o->progress)
        fprintf(stderr, "\r%-70s\r", "");
    /* The catalog's floor guards downloads; a --from file is the user's choice. */
    long floor = o->min_packages >= 0 ? o->min_packages : o->nfrom > 0 ? 0 : repo->min_packages;
    if (all_parsed && e.count < floor) {
        /* One source: name it and its URL (or file) like every other failure does. */
        char src[320] = "";
        if (njs == 1)
            snprintf(src, sizeof src, "source %s: %.250s: ", js[0].name, job_where(&js[0]));
        snprintf(out->error, sizeof out->error,
                 "%sonly %ld packages parsed, fewer than the minimum %ld: index looks broken "
                 "(previous snapshot kept; --min-packages overrides)",
                 src, e.count, floor);
        pf_store_crawl_abort(tx);
        return fail_repo(st, o, out, t0);
    }
    info.status = "ok";
    info.packages = e.count;
    if (pf_store_crawl_commit(tx, &info, err, sizeof err) != 0) {
        snprintf(out->error, sizeof out->error, "database: %s", err);
        return fail_repo(st, o, out, t0);
    }
    out->status = "ok";
    out->packages = e.count;
    out->seconds = now_s() - t0;
    return 0;
}

/* Progress callback from the fetcher: the label of the download and its bytes. */
static void fetch_progress(void *ctx, size_t idx, uint64_t bytes)
{
    const char *const *labels = ctx;
    fprintf(stderr, "\r%-40.40s downloading: %8.1f MB", labels[idx], (double)bytes / 1e6);
}

/* Run one batch of downloads with progress. */
static void fetch_batch(pf_fetch_req *reqs, const char **labels, size_t n, const pf_crawl_opts *o)
{
    if (n == 0)
        return;
    pf_fetch_opts fo = o->fetch;
    if (o->progress) {
        fo.progress = fetch_progress;
        fo.progress_ctx = labels;
    }
    pf_fetch_all(reqs, n, &fo);
    if (o->progress)
        fprintf(stderr, "\r%-70s\r", "");
}

/* Fill a fetch request for job j (batch 1: the index or repomd.xml). */
static void plan_request(job *j, pf_fetch_req *q, const char *url, FILE *spool, int conditional)
{
    memset(q, 0, sizeof *q);
    q->url = url;
    q->etag = conditional ? j->prev.etag : NULL;
    q->last_modified = conditional ? j->prev.last_modified : NULL;
    q->allow_file = j->repo->allow_file;
    q->insecure = j->repo->tls_insecure;
    q->out = spool;
}

/* malloc'd directory part of path ("." when it has none), trailing slashes ignored. */
static char *parent_dir(const char *path)
{
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/')
        n--;
    while (n > 0 && path[n - 1] != '/')
        n--;
    while (n > 1 && path[n - 1] == '/')
        n--;
    return n == 0 ? strdup(".") : strndup(path, n);
}

/* Whether path exists (any kind of file). */
static int exists(const char *path)
{
    struct stat sb;
    return path && stat(path, &sb) == 0;
}

/* Whether the file at path (decoded if compressed) is a repomd.xml: its
 * first 4 KiB hold a <repomd element (a primary's root is <metadata>). */
static int looks_like_repomd(const char *path)
{
    char buf[4097], why[256];
    pf_reader *rd = pf_reader_open_path(path, 0, why, sizeof why);
    if (!rd)
        return 0;
    size_t n = 0;
    ssize_t got;
    while (n < sizeof buf - 1 && (got = rd->read(rd, buf + n, sizeof buf - 1 - n)) > 0)
        n += (size_t)got;
    pf_reader_close(rd);
    buf[n] = 0;
    return strstr(buf, "<repomd") != NULL;
}

/*
 * The primary file a repomd.xml at `repomd` names with href (relative to the
 * tree root, the parent of repodata/): root/href, else the file of that name
 * next to repomd.xml (both downloaded into one folder). malloc'd, or NULL
 * with the cause in err.
 */
static char *locate_primary(const char *repomd, const char *href, char *err, size_t errlen)
{
    char *dir = parent_dir(repomd), *root = dir ? parent_dir(dir) : NULL;
    char *p = root ? join_url(root, href) : NULL;
    if (p && !exists(p)) {
        const char *base = strrchr(href, '/');
        char *next = join_url(dir, base ? base + 1 : href);
        if (next && exists(next)) {
            free(p);
            p = next;
        } else {
            free(next);
            snprintf(err, errlen, "%s names %s, which is not there (nor next to it)", repomd, p);
            free(p);
            p = NULL;
        }
    } else if (!p) {
        snprintf(err, errlen, "out of memory");
    }
    free(root);
    free(dir);
    return p;
}

/*
 * An rpm-md --from: a tree directory (repodata/repomd.xml inside), the
 * repodata/ directory itself, a repomd.xml (which names the primary, and
 * its checksum), or a primary file (plain or compressed). Sets j->path to
 * the primary, or fails the job with the cause in j->err.
 */
static void plan_from_rpmmd(job *j, const char *path)
{
    struct stat sb;
    char *repomd = NULL;
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        repomd = join_url(path, "repodata/repomd.xml");
        if (repomd && !exists(repomd)) {
            free(repomd);
            repomd = join_url(path, "repomd.xml");
            if (repomd && !exists(repomd)) {
                snprintf(j->err, sizeof j->err,
                         "%s: a directory without repodata/repomd.xml or repomd.xml", path);
                free(repomd);
                j->result = PF_FETCH_FAILED;
                return;
            }
        }
    } else if (stat(path, &sb) == 0 && looks_like_repomd(path)) {
        repomd = strdup(path);
    } else {
        j->path = strdup(path); /* a primary (a missing file: the parse says so) */
        return;
    }
    char href[1024];
    if (!repomd) {
        snprintf(j->err, sizeof j->err, "out of memory");
    } else if (read_repomd(NULL, repomd, href, sizeof href, j->checksum, sizeof j->checksum, j->err,
                           sizeof j->err) == 0) {
        j->path = locate_primary(repomd, href, j->err, sizeof j->err);
    }
    if (!j->path)
        j->result = PF_FETCH_FAILED;
    free(repomd);
}

/* Set up the job of one --from file: the file itself, or for rpm-md what
 * plan_from_rpmmd finds. */
static void plan_from(job *j, const char *path)
{
    struct stat sb;
    j->result = PF_FETCH_OK;
    if (j->rpmmd)
        plan_from_rpmmd(j, path);
    else
        j->path = strdup(path);
    if (j->path && stat(j->path, &sb) == 0)
        j->bytes = (uint64_t)sb.st_size;
    j->hint = j->path ? pf_codec_from_name(j->path) : PF_CODEC_NONE;
}

/* After batch 1: decide what each job parses (or why it failed / is unchanged). */
static void settle_batch1(job *j, pf_fetch_req *q)
{
    j->http_status = q->http_status;
    j->bytes = q->bytes;
    j->result = q->result;
    j->etag = q->new_etag;
    j->last_modified = q->new_last_modified;
    if (q->result == PF_FETCH_FAILED) {
        snprintf(j->err, sizeof j->err, "%s: %s", q->url, q->err);
        return;
    }
    if (q->result == PF_FETCH_NOT_MODIFIED)
        return;
    if (!j->rpmmd) {
        if (body_checksum(j->spool, j->checksum, sizeof j->checksum) == 0 && j->prev.checksum &&
            strcmp(j->prev.checksum, j->checksum) == 0) {
            j->result = PF_FETCH_NOT_MODIFIED; /* same bytes as last time: nothing to parse */
            return;
        }
        j->body = j->spool;
        j->body_url = strdup(j->url);
        j->hint =
            q->content_encoding != PF_CODEC_NONE ? q->content_encoding : pf_codec_from_name(j->url);
        return;
    }
    char href[1024];
    if (read_repomd(j->spool, NULL, href, sizeof href, j->checksum, sizeof j->checksum, j->err,
                    sizeof j->err) != 0) {
        j->result = PF_FETCH_FAILED;
        char tmp[512];
        snprintf(tmp, sizeof tmp, "%s: %s", q->url, j->err);
        snprintf(j->err, sizeof j->err, "%s", tmp);
        return;
    }
    if (j->prev.checksum && strcmp(j->prev.checksum, j->checksum) == 0) {
        j->result = PF_FETCH_NOT_MODIFIED; /* same primary as last time: no download */
        return;
    }
    j->body_url = join_url(j->url, href);
    j->spool2 = tmpfile();
    if (!j->body_url || !j->spool2) {
        j->result = PF_FETCH_FAILED;
        snprintf(j->err, sizeof j->err, "cannot create a temporary file");
    }
}

/* After batch 2 (rpm-md primary). */
static void settle_batch2(job *j, pf_fetch_req *q)
{
    j->bytes += q->bytes;
    j->http_status = q->http_status;
    if (q->result == PF_FETCH_FAILED) {
        j->result = PF_FETCH_FAILED;
        snprintf(j->err, sizeof j->err, "%s: %s", q->url, q->err);
        return;
    }
    j->result = PF_FETCH_OK;
    j->body = j->spool2;
    j->hint = q->content_encoding != PF_CODEC_NONE ? q->content_encoding
                                                   : pf_codec_from_name(j->body_url);
}

/* Free what the jobs own. */
static void free_jobs(job *js, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(js[i].url);
        free(js[i].path);
        free(js[i].index_url);
        free(js[i].body_url);
        if (js[i].spool)
            fclose(js[i].spool);
        if (js[i].spool2)
            fclose(js[i].spool2);
        pf_source_state_clear(&js[i].prev);
    }
}

/*
 * The --from files of repository r of n: all of them for a single
 * repository, else the r-th (one file each, paired in order; the CLI checks
 * the counts). Sets *first and returns the count.
 */
static size_t from_files(const pf_crawl_opts *o, size_t n, size_t r, size_t *first)
{
    *first = n == 1 ? 0 : r;
    if (o->nfrom <= 0)
        return 0;
    return n == 1 ? (size_t)o->nfrom : (r < (size_t)o->nfrom ? 1 : 0);
}

/* What the parse pool's workers run: parse the k-th changed source of repository r. */
typedef struct pool_ctx {
    job *js;
    const size_t *first; /* jobs of repository r: js[first[r], first[r + 1]) */
    const pf_crawl_outcome *out;
    const pf_crawl_opts *o;
} pool_ctx;

/* pf_pool_parse_fn: find the k-th source of repository r that was fetched and parse it. */
static int pool_parse(void *ctx, size_t r, size_t k, pf_emit_fn emit, void *ectx, char *err,
                      size_t errlen)
{
    pool_ctx *pc = ctx;
    const pf_format *fmt = repo_format(pc->o, pc->out[r].repo);
    for (size_t i = pc->first[r]; i < pc->first[r + 1]; i++) {
        if (pc->js[i].result != PF_FETCH_OK || k-- > 0)
            continue;
        return parse_source(fmt, &pc->js[i], pc->o, emit, ectx, NULL, err, errlen);
    }
    snprintf(err, errlen, "no source %zu to parse", k);
    return -1;
}

/*
 * Start parsing on worker threads when more than one repository has
 * something to parse (a single one is parsed in line, as it is stored).
 * nsrc[r] = its fetched sources, 0 when finish_repo will not parse it. NULL:
 * every repository is parsed in line.
 */
static pf_parsepool *start_pool(pool_ctx *pc, size_t n, size_t *nsrc)
{
    size_t busy = 0;
    for (size_t r = 0; r < n; r++) {
        nsrc[r] = 0;
        int failed = 0;
        for (size_t i = pc->first[r]; i < pc->first[r + 1]; i++) {
            failed |= pc->js[i].result == PF_FETCH_FAILED;
            nsrc[r] += pc->js[i].result == PF_FETCH_OK;
        }
        if (failed || !repo_format(pc->o, pc->out[r].repo))
            nsrc[r] = 0;
        busy += nsrc[r] > 0;
    }
    if (busy < 2)
        return NULL;
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    int threads = ncpu < 2 ? 2 : ncpu > 4 ? 4 : (int)ncpu;
    if ((size_t)threads > busy)
        threads = (int)busy;
    return pf_parsepool_start(n, nsrc, threads, POOL_BUDGET, pool_parse, pc);
}

/* Crawl repositories: download everything, then parse and store each. */
int pf_crawl_run(pf_store *st, const pf_catalog *cat, const pf_repo *const *repos, size_t n,
                 const pf_crawl_opts *o, pf_crawl_outcome *out)
{
    if (o->nfrom > 0 && n > 1 && (size_t)o->nfrom != n) {
        snprintf(out[0].error, sizeof out[0].error,
                 "%d --from files for %zu repositories: give one per repository", o->nfrom, n);
        return -1;
    }
    size_t total = 0;
    for (size_t r = 0; r < n; r++)
        total += o->nfrom > 0 ? from_files(o, n, r, &(size_t){0}) : repos[r]->nsources;
    size_t cap = total ? total : 1;
    job *js = calloc(cap, sizeof *js);
    size_t *first = calloc(n + 1, sizeof *first);
    pf_fetch_req *r1 = calloc(cap, sizeof *r1), *r2 = calloc(cap, sizeof *r2);
    const char **labels = calloc(cap, sizeof *labels);
    char(*labelbuf)[96] = calloc(cap, sizeof *labelbuf);
    int failures = 0;
    if (!js || !first || !r1 || !r2 || !labels || !labelbuf) {
        snprintf(out[0].error, sizeof out[0].error, "out of memory");
        failures = -1;
        goto done;
    }
    /* Plan the jobs: URLs, stored validators, spool files. */
    size_t k = 0, n1 = 0, n2 = 0;
    for (size_t r = 0; r < n; r++) {
        const pf_repo *repo = repos[r];
        memset(&out[r], 0, sizeof out[r]);
        out[r].repo = repo;
        out[r].status = "ok";
        first[r] = k;
        size_t from0 = 0, ns = o->nfrom > 0 ? from_files(o, n, r, &from0) : repo->nsources;
        for (size_t s = 0; s < ns; s++, k++) {
            job *j = &js[k];
            j->repo = repo;
            j->req = j->req2 = SIZE_MAX;
            j->rpmmd = strcmp(o->nfrom > 0 && o->from_format ? o->from_format : repo->format,
                              "rpm-md") == 0;
            if (o->nfrom > 0) {
                snprintf(j->name, sizeof j->name, "from:%zu", s + 1);
                plan_from(j, o->from[from0 + s]);
                continue;
            }
            snprintf(j->name, sizeof j->name, "%s", repo->sources[s].name);
            char err[256];
            j->url = pf_catalog_source_url(cat, &repo->sources[s], err, sizeof err);
            j->spool = j->url ? tmpfile() : NULL;
            if (!j->url || !j->spool) {
                j->result = PF_FETCH_FAILED;
                snprintf(j->err, sizeof j->err, "%s",
                         j->url ? "cannot create a temporary file" : err);
                continue;
            }
            pf_store_source_state(st, repo->id, j->name, &j->prev);
            j->index_url = j->rpmmd ? join_url(j->url, "repodata/repomd.xml") : strdup(j->url);
            if (!j->index_url) {
                j->result = PF_FETCH_FAILED;
                snprintf(j->err, sizeof j->err, "out of memory");
                continue;
            }
            plan_request(j, &r1[n1], j->index_url, j->spool, 1);
            snprintf(labelbuf[n1], sizeof labelbuf[n1], "%s/%s", repo->id, j->name);
            labels[n1] = labelbuf[n1];
            j->req = n1++;
        }
    }
    first[n] = k;
    /* Batch 1: every index (or repomd.xml), in parallel. */
    fetch_batch(r1, labels, n1, o);
    for (size_t i = 0; i < k; i++) {
        job *j = &js[i];
        if (j->req == SIZE_MAX)
            continue;
        settle_batch1(j, &r1[j->req]);
        if (j->rpmmd && j->result == PF_FETCH_OK && j->spool2) {
            plan_request(j, &r2[n2], j->body_url, j->spool2, 0);
            j->req2 = n2;
            labels[n2] = labelbuf[j->req];
            n2++;
        }
    }
    /* Batch 2: rpm-md primaries whose checksum changed. */
    fetch_batch(r2, labels, n2, o);
    for (size_t i = 0; i < k; i++)
        if (js[i].req2 != SIZE_MAX)
            settle_batch2(&js[i], &r2[js[i].req2]);
    /* Parse (several repositories at once on worker threads when there are
     * several) and store, one repository (one transaction) at a time. */
    pool_ctx pc = {.js = js, .first = first, .out = out, .o = o};
    size_t *nsrc = calloc(n ? n : 1, sizeof *nsrc);
    pf_parsepool *pool = nsrc ? start_pool(&pc, n, nsrc) : NULL;
    for (size_t r = 0; r < n; r++) {
        failures += finish_repo(st, o, &out[r], js + first[r], first[r + 1] - first[r],
                                pool && nsrc[r] ? pool : NULL, r, now_s());
        if (pool)
            pf_parsepool_cancel(pool, r); /* whatever it left: its worker stops */
    }
    pf_parsepool_free(pool);
    free(nsrc);
    for (size_t i = 0; i < n1; i++)
        pf_fetch_req_clear(&r1[i]);
    for (size_t i = 0; i < n2; i++)
        pf_fetch_req_clear(&r2[i]);
    free_jobs(js, total);
done:
    free(js);
    free(first);
    free(r1);
    free(r2);
    free(labels);
    free(labelbuf);
    return failures;
}
