/*
 * parsepool.h — parse several repositories at once on worker threads while
 * one consumer (the crawl, holding the write lock) stores them in turn.
 *
 * Each repository's records travel from its parsing thread to the consumer
 * as chunks (about 1 MiB of strings each, copied out of the parser's
 * buffers) in a per-repository queue. The consumer takes repositories in
 * order: the one it is on may always queue up to the budget of its own, the
 * others only while all queues together hold less than the budget, so at
 * most twice the budget is buffered and a parser far ahead waits instead
 * of growing memory. Workers take repositories in order too, so the one the
 * consumer waits for is always being parsed or done: no deadlock.
 * Internal to the crawler (crawl.c); not part of the public headers.
 */
#ifndef PKGFRESH_PARSEPOOL_H
#define PKGFRESH_PARSEPOOL_H

#include <stddef.h>

#include "pkgfresh/record.h"

/*
 * Parse source k of repository r, calling emit(ectx, rec) per record.
 * Returns 0, or -1 with a one-line cause in err (as the serial crawl words
 * it), or the non-zero value emit returned (the consumer gave up).
 */
typedef int (*pf_pool_parse_fn)(void *ctx, size_t r, size_t k, pf_emit_fn emit, void *ectx,
                                char *err, size_t errlen);

typedef struct pf_parsepool pf_parsepool;

/* One source's outcome as the consumer reads it. */
typedef struct pf_pool_item {
    pf_record rec; /* the record (pointers valid until the next pf_parsepool_next) */
    int end;       /* 1: the source is complete; rc and err say how it went */
    int rc;        /* 0 parsed completely, else failed (err) */
    const char *err;
} pf_pool_item;

/*
 * Start `threads` workers over nrepos repositories, nsrc[r] sources each (0 =
 * nothing to parse: skipped). budget = bytes of queued records (see above).
 * Returns NULL when out of memory or no thread could start.
 */
pf_parsepool *pf_parsepool_start(size_t nrepos, const size_t *nsrc, int threads, size_t budget,
                                 pf_pool_parse_fn fn, void *ctx);

/*
 * The consumer's next item of repository r: a record, or the end of the
 * current source (end = 1). Blocks until one is there. Records of source k
 * come before its end, and sources in order. Returns 0, -1 when out of order
 * (r has nothing left or was cancelled).
 */
int pf_parsepool_next(pf_parsepool *p, size_t r, pf_pool_item *it);

/* The consumer gives up on repository r: its worker stops, its queue is freed. */
void pf_parsepool_cancel(pf_parsepool *p, size_t r);

/* Cancel what is left, join the workers, free everything. NULL is a no-op. */
void pf_parsepool_free(pf_parsepool *p);

#endif
