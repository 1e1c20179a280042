/*
 * analyzer/parallel.h — the analysis' one way of using several cores: a
 * range of independent items cut into contiguous slices, one thread per
 * slice, the caller's thread included. Each item writes only its own
 * results, so the outcome is that of one thread (tests compare
 * PKGFRESH_THREADS=1 with more). Used for the rules (naming.c) and for
 * classification (analyze.c).
 */
#ifndef PKGFRESH_ANALYZER_PARALLEL_H
#define PKGFRESH_ANALYZER_PARALLEL_H

#include <stddef.h>

/* Work on items [lo, hi) of the caller's range. */
typedef void (*an_slice_fn)(void *ctx, size_t lo, size_t hi);

/* Run fn over [0, n) on up to `threads` threads (at most 8), each slice at
 * least `min_slice` items (fewer items: one thread). A thread that cannot
 * be started leaves its slice to the caller's thread. */
void an_parallel(size_t n, int threads, size_t min_slice, an_slice_fn fn, void *ctx);

/* Threads worth using here: $PKGFRESH_THREADS, else the online
 * processors; at most 8. */
int an_threads(void);

#endif
