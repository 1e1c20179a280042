/*
 * parsepool.c — repositories parsed on worker threads into bounded record
 * queues, stored by one consumer in order (see parsepool.h).
 *
 * Invariants (all guarded by mu):
 *  - q[r] holds the chunks of repository r not yet taken, in the order the
 *    worker produced them; q[r].bytes is their size, queued the sum over r;
 *  - a worker appends to q[r] only while queued < budget, or r is the
 *    repository the consumer is on (head) and q[r].bytes < budget;
 *  - a cancelled queue is empty and stays empty (pushes are freed);
 *  - repositories are handed to workers in increasing order (next_repo).
 * The consumer's current chunk (cur) is touched by the consumer only.
 */
#include "parsepool.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "pkgfresh/grow.h"

#define CHUNK_BYTES (1u << 20) /* strings per chunk before it is handed over */
#define NFIELDS     8
#define NO_STR      UINT32_MAX

/* One record inside a chunk: string offsets into the chunk's bytes. */
typedef struct crec {
    uint32_t off[NFIELDS]; /* srcname, binnames, version, maintainers, homepage, license,
                              category, summary; NO_STR = absent */
    unsigned flags;
} crec;

/* Records of one source on their way to the consumer; the last one of a source has end set. */
typedef struct chunk {
    struct chunk *next;
    crec *recs;
    size_t n, cap;
    char *bytes;
    size_t used, bcap;
    int end, rc;
    char err[512];
} chunk;

/* The queue of one repository. */
typedef struct repo_q {
    chunk *first, *last;
    size_t bytes;
    int cancel;
} repo_q;

struct pf_parsepool {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t *th;
    int nth;
    size_t nrepos;
    size_t *nsrc;
    repo_q *q;
    size_t next_repo; /* next repository a worker takes */
    size_t head;      /* repository the consumer is on */
    size_t queued;    /* bytes in all queues */
    size_t budget;
    pf_pool_parse_fn fn;
    void *ctx;
    /* consumer side */
    chunk *cur;
    size_t cur_repo, idx;
    int end_given;
};

/* What a worker's emit callback needs. */
typedef struct wctx {
    pf_parsepool *p;
    size_t r;
    chunk *cur;
    int oom, cancelled;
} wctx;

/* Bytes a chunk holds on the heap (what the budget counts). */
static size_t chunk_size(const chunk *c)
{
    return sizeof *c + c->bcap + c->cap * sizeof(crec);
}

/* Free a chunk. */
static void chunk_free(chunk *c)
{
    if (!c)
        return;
    free(c->recs);
    free(c->bytes);
    free(c);
}

/* Append one record (its strings copied) to c; -1 when out of memory. */
static int chunk_add(chunk *c, const pf_record *rec)
{
    const char *f[NFIELDS] = {rec->srcname,  rec->binnames, rec->version,  rec->maintainers,
                              rec->homepage, rec->license,  rec->category, rec->summary};
    size_t need = 0;
    for (int i = 0; i < NFIELDS; i++)
        need += f[i] ? strlen(f[i]) + 1 : 0;
    if (c->used + need >= NO_STR)
        return -1;
    crec *nr = pf_grow_items(c->recs, &c->cap, c->n, sizeof *c->recs, 1024);
    if (!nr)
        return -1;
    c->recs = nr;
    if (pf_grow(&c->bytes, &c->bcap, c->used, need) != 0)
        return -1;
    crec *r = &c->recs[c->n++];
    r->flags = rec->flags;
    for (int i = 0; i < NFIELDS; i++) {
        if (!f[i]) {
            r->off[i] = NO_STR;
            continue;
        }
        size_t len = strlen(f[i]) + 1;
        memcpy(c->bytes + c->used, f[i], len);
        r->off[i] = (uint32_t)c->used;
        c->used += len;
    }
    return 0;
}

/* Field i of record k of c, NULL when absent. */
static const char *chunk_str(const chunk *c, size_t k, int i)
{
    uint32_t off = c->recs[k].off[i];
    return off == NO_STR ? NULL : c->bytes + off;
}

/* Free every chunk of q (mu held). */
static void queue_drop(pf_parsepool *p, repo_q *q)
{
    while (q->first) {
        chunk *c = q->first;
        q->first = c->next;
        chunk_free(c);
    }
    q->last = NULL;
    p->queued -= q->bytes;
    q->bytes = 0;
}

/* Hand c to the consumer of repository r, waiting for room. Returns 0, or 1 when r was
 * cancelled (c freed). */
static int push(pf_parsepool *p, size_t r, chunk *c)
{
    size_t size = chunk_size(c);
    repo_q *q = &p->q[r];
    pthread_mutex_lock(&p->mu);
    while (!q->cancel && p->queued >= p->budget && !(r == p->head && q->bytes < p->budget))
        pthread_cond_wait(&p->cv, &p->mu);
    int cancelled = q->cancel;
    if (!cancelled) {
        c->next = NULL;
        if (q->last)
            q->last->next = c;
        else
            q->first = c;
        q->last = c;
        q->bytes += size;
        p->queued += size;
        pthread_cond_broadcast(&p->cv);
    }
    pthread_mutex_unlock(&p->mu);
    if (cancelled)
        chunk_free(c);
    return cancelled;
}

/* Worker's emit: copy the record into the current chunk, hand full chunks over. */
static int pool_emit(void *ctx, const pf_record *rec)
{
    wctx *w = ctx;
    if (!w->cur && !(w->cur = calloc(1, sizeof *w->cur))) {
        w->oom = 1;
        return 1;
    }
    if (chunk_add(w->cur, rec) != 0) {
        w->oom = 1;
        return 1;
    }
    if (w->cur->used >= CHUNK_BYTES) {
        chunk *c = w->cur;
        w->cur = NULL;
        if (push(w->p, w->r, c) != 0) {
            w->cancelled = 1;
            return 1;
        }
    }
    return 0;
}

/* Parse every source of repository r into its queue; stops at the first failure. */
static void parse_repo(pf_parsepool *p, size_t r)
{
    for (size_t k = 0; k < p->nsrc[r]; k++) {
        wctx w = {.p = p, .r = r};
        char err[512] = "";
        int rc = p->fn(p->ctx, r, k, pool_emit, &w, err, sizeof err);
        if (w.cancelled) {
            chunk_free(w.cur);
            return;
        }
        chunk *c = w.cur ? w.cur : calloc(1, sizeof *c);
        if (!c) {
            /* Not even an end marker fits: cancel, which the consumer reads as a failure. */
            pthread_mutex_lock(&p->mu);
            p->q[r].cancel = 1;
            queue_drop(p, &p->q[r]);
            pthread_cond_broadcast(&p->cv);
            pthread_mutex_unlock(&p->mu);
            return;
        }
        c->end = 1;
        c->rc = w.oom || rc != 0 ? -1 : 0;
        if (w.oom)
            snprintf(c->err, sizeof c->err, "out of memory");
        else if (rc != 0)
            snprintf(c->err, sizeof c->err, "%s", err[0] ? err : "parse failed");
        int failed = c->rc != 0;
        if (push(p, r, c) != 0 || failed)
            return;
    }
}

/* Worker thread: take repositories in order until none is left. */
static void *worker(void *arg)
{
    pf_parsepool *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        while (p->next_repo < p->nrepos &&
               (p->nsrc[p->next_repo] == 0 || p->q[p->next_repo].cancel))
            p->next_repo++;
        size_t r = p->next_repo < p->nrepos ? p->next_repo++ : p->nrepos;
        pthread_mutex_unlock(&p->mu);
        if (r >= p->nrepos)
            return NULL;
        parse_repo(p, r);
    }
}

/* Allocate the pool and start its workers (see parsepool.h). */
pf_parsepool *pf_parsepool_start(size_t nrepos, const size_t *nsrc, int threads, size_t budget,
                                 pf_pool_parse_fn fn, void *ctx)
{
    pf_parsepool *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->nrepos = nrepos;
    p->budget = budget;
    p->fn = fn;
    p->ctx = ctx;
    p->nsrc = calloc(nrepos ? nrepos : 1, sizeof *p->nsrc);
    p->q = calloc(nrepos ? nrepos : 1, sizeof *p->q);
    p->th = calloc(threads > 0 ? (size_t)threads : 1, sizeof *p->th);
    if (!p->nsrc || !p->q || !p->th) {
        free(p->nsrc);
        free(p->q);
        free(p->th);
        free(p);
        return NULL;
    }
    memcpy(p->nsrc, nsrc, nrepos * sizeof *nsrc);
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    /* libxml2 before 2.11 (bookworm: 2.9.14) sets its globals up lazily,
     * and two workers parsing XML at once (Solus and Gentoo's metadata.xml)
     * could both do it: a SEGV inside libxml2 under ASan in one CI run of
     * test_crawl_ports. Set them up here, before any worker starts. */
    xmlInitParser();
    for (int i = 0; i < threads; i++) {
        if (pthread_create(&p->th[p->nth], NULL, worker, p) != 0)
            break;
        p->nth++;
    }
    if (p->nth == 0) {
        pf_parsepool_free(p);
        return NULL;
    }
    return p;
}

/* Next record or end of source of repository r (see parsepool.h). */
int pf_parsepool_next(pf_parsepool *p, size_t r, pf_pool_item *it)
{
    memset(it, 0, sizeof *it);
    for (;;) {
        chunk *c = p->cur;
        if (c && p->cur_repo == r && p->idx < c->n) {
            size_t k = p->idx++;
            it->rec = (pf_record){chunk_str(c, k, 0), chunk_str(c, k, 1), chunk_str(c, k, 2),
                                  chunk_str(c, k, 3), chunk_str(c, k, 4), chunk_str(c, k, 5),
                                  chunk_str(c, k, 6), chunk_str(c, k, 7), c->recs[k].flags};
            return 0;
        }
        if (c && p->cur_repo == r && c->end && !p->end_given) {
            p->end_given = 1;
            it->end = 1;
            it->rc = c->rc;
            it->err = c->err;
            return 0;
        }
        chunk_free(c);
        p->cur = NULL;
        if (r >= p->nrepos)
            return -1;
        pthread_mutex_lock(&p->mu);
        if (p->head != r) {
            p->head = r;
            pthread_cond_broadcast(&p->cv);
        }
        repo_q *q = &p->q[r];
        while (!q->first && !q->cancel)
            pthread_cond_wait(&p->cv, &p->mu);
        c = q->first;
        if (c) {
            q->first = c->next;
            if (!q->first)
                q->last = NULL;
            size_t size = chunk_size(c);
            q->bytes -= size;
            p->queued -= size;
            pthread_cond_broadcast(&p->cv);
        }
        pthread_mutex_unlock(&p->mu);
        if (!c)
            return -1;
        p->cur = c;
        p->cur_repo = r;
        p->idx = 0;
        p->end_given = 0;
    }
}

/* Stop parsing repository r and free what it queued. */
void pf_parsepool_cancel(pf_parsepool *p, size_t r)
{
    if (r >= p->nrepos)
        return;
    if (p->cur && p->cur_repo == r) {
        chunk_free(p->cur);
        p->cur = NULL;
    }
    pthread_mutex_lock(&p->mu);
    p->q[r].cancel = 1;
    queue_drop(p, &p->q[r]);
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

/* Cancel everything left, join the workers, free. */
void pf_parsepool_free(pf_parsepool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    for (size_t r = 0; r < p->nrepos; r++) {
        p->q[r].cancel = 1;
        queue_drop(p, &p->q[r]);
    }
    p->next_repo = p->nrepos;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    for (int i = 0; i < p->nth; i++)
        pthread_join(p->th[i], NULL);
    chunk_free(p->cur);
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    free(p->th);
    free(p->q);
    free(p->nsrc);
    free(p);
}
