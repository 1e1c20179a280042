/*
 * parallel.c — contiguous slices of a range on several threads (see
 * parallel.h).
 */
#include "parallel.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

/* One thread's slice. */
typedef struct an_part {
    an_slice_fn fn;
    void *ctx;
    size_t lo, hi;
} an_part;

/* Thread body: run the slice. */
static void *run_part(void *arg)
{
    an_part *p = arg;
    p->fn(p->ctx, p->lo, p->hi);
    return NULL;
}

/* Cut [0, n) into equal slices (each at least min_slice items: fewer
 * threads otherwise), start one thread per slice after the first,
 * run the first here, join (or run here a slice whose thread did not start). */
void an_parallel(size_t n, int threads, size_t min_slice, an_slice_fn fn, void *ctx)
{
    if (threads > 8)
        threads = 8;
    if (min_slice < 1)
        min_slice = 1;
    while (threads > 1 && n / (size_t)threads < min_slice)
        threads--;
    if (threads < 2) {
        if (n > 0)
            fn(ctx, 0, n);
        return;
    }
    pthread_t tid[8];
    an_part part[8];
    int started[8] = {0};
    for (int t = 0; t < threads; t++) /* sizes differ by one at most */
        part[t] = (an_part){fn, ctx, n * (size_t)t / (size_t)threads,
                            n * (size_t)(t + 1) / (size_t)threads};
    for (int t = 1; t < threads; t++)
        started[t] = pthread_create(&tid[t], NULL, run_part, &part[t]) == 0;
    run_part(&part[0]);
    for (int t = 1; t < threads; t++) {
        if (started[t])
            pthread_join(tid[t], NULL);
        else /* could not start it: do its share here */
            run_part(&part[t]);
    }
}

/* $PKGFRESH_THREADS when set (tests compare 1 with many), else the online
 * processors; 1..8. */
int an_threads(void)
{
    const char *env = getenv("PKGFRESH_THREADS");
    long n = env && *env ? strtol(env, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 8 ? 8 : (int)n;
}
