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

/*
 * A crew: threads - 1 helper threads kept for a whole pass, which run
 * posted work in chunks while the caller does something else (stores the
 * previous batch), and the caller's thread joining in when it is done
 * (an_crew_finish). One piece of work is posted at a time. With threads <
 * 2 (or helpers that cannot be started) the caller runs every chunk in
 * an_crew_finish: the same work, in the same items.
 */
typedef struct an_crew an_crew;

/* A crew of up to threads - 1 helpers (at most 7). NULL out of memory. */
an_crew *an_crew_new(int threads);

/* Post fn over [0, n) in chunks of `chunk` items and return at once; the
 * helpers start on it. The previous work must be finished. */
void an_crew_post(an_crew *c, size_t n, size_t chunk, an_slice_fn fn, void *ctx);

/* Run the posted work's remaining chunks here too; return when every chunk
 * is done (at once when nothing is posted). */
void an_crew_finish(an_crew *c);

/* Finish the posted work, stop the helpers, free (NULL: nothing). */
void an_crew_free(an_crew *c);

/* Threads worth using here: $PKGFRESH_THREADS, else the online
 * processors; at most 8. */
int an_threads(void);

#endif
