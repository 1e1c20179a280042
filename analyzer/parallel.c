/*
 * parallel.c — contiguous slices of a range on several threads, and a crew
 * of helper threads that run posted work in chunks beside the caller (see
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

struct an_crew {
    pthread_mutex_t mu;
    pthread_cond_t work; /* helpers: a chunk to take, or stop */
    pthread_cond_t done; /* the caller: the last running chunk ended */
    an_slice_fn fn;
    void *ctx;
    size_t n, chunk, next; /* the posted work: [next, n) not taken yet */
    size_t running;        /* chunks taken and not ended */
    int stop;
    int nhelpers;
    pthread_t tid[7];
};

/* Take the next chunk of the posted work into [*lo, *hi) (mutex held): 1,
 * or 0 when every chunk is taken. */
static int crew_take(an_crew *c, size_t *lo, size_t *hi)
{
    if (c->next >= c->n)
        return 0;
    *lo = c->next;
    *hi = c->n - c->next > c->chunk ? c->next + c->chunk : c->n;
    c->next = *hi;
    c->running++;
    return 1;
}

/* Run the chunk [lo, hi) without the mutex, then count it ended (mutex held
 * again on return). */
static void crew_run(an_crew *c, size_t lo, size_t hi)
{
    an_slice_fn fn = c->fn;
    void *ctx = c->ctx;
    pthread_mutex_unlock(&c->mu);
    fn(ctx, lo, hi);
    pthread_mutex_lock(&c->mu);
    if (--c->running == 0 && c->next >= c->n)
        pthread_cond_signal(&c->done);
}

/* Helper thread body: run chunks as they are posted, until stopped. */
static void *crew_main(void *arg)
{
    an_crew *c = arg;
    pthread_mutex_lock(&c->mu);
    for (;;) {
        size_t lo, hi;
        if (crew_take(c, &lo, &hi))
            crew_run(c, lo, hi);
        else if (c->stop)
            break;
        else
            pthread_cond_wait(&c->work, &c->mu);
    }
    pthread_mutex_unlock(&c->mu);
    return NULL;
}

/* See parallel.h. */
an_crew *an_crew_new(int threads)
{
    an_crew *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    if (pthread_mutex_init(&c->mu, NULL) != 0) {
        free(c);
        return NULL;
    }
    if (pthread_cond_init(&c->work, NULL) != 0 || pthread_cond_init(&c->done, NULL) != 0) {
        pthread_cond_destroy(&c->work); /* destroying an unused condition is harmless */
        pthread_mutex_destroy(&c->mu);
        free(c);
        return NULL;
    }
    if (threads > 8)
        threads = 8;
    for (int t = 1; t < threads; t++) /* one that cannot start leaves its share to the others */
        if (pthread_create(&c->tid[c->nhelpers], NULL, crew_main, c) == 0)
            c->nhelpers++;
    return c;
}

/* See parallel.h. */
void an_crew_post(an_crew *c, size_t n, size_t chunk, an_slice_fn fn, void *ctx)
{
    pthread_mutex_lock(&c->mu);
    c->fn = fn;
    c->ctx = ctx;
    c->n = n;
    c->next = 0;
    c->chunk = chunk ? chunk : 1;
    pthread_cond_broadcast(&c->work);
    pthread_mutex_unlock(&c->mu);
}

/* See parallel.h. */
void an_crew_finish(an_crew *c)
{
    pthread_mutex_lock(&c->mu);
    size_t lo, hi;
    while (crew_take(c, &lo, &hi))
        crew_run(c, lo, hi);
    while (c->running > 0)
        pthread_cond_wait(&c->done, &c->mu);
    c->n = c->next = 0;
    pthread_mutex_unlock(&c->mu);
}

/* See parallel.h. */
void an_crew_free(an_crew *c)
{
    if (!c)
        return;
    an_crew_finish(c);
    pthread_mutex_lock(&c->mu);
    c->stop = 1;
    pthread_cond_broadcast(&c->work);
    pthread_mutex_unlock(&c->mu);
    for (int t = 0; t < c->nhelpers; t++)
        pthread_join(c->tid[t], NULL);
    pthread_cond_destroy(&c->work);
    pthread_cond_destroy(&c->done);
    pthread_mutex_destroy(&c->mu);
    free(c);
}

/* $PKGFRESH_THREADS when set (tests compare 1 with many), else the online
 * processors; 1..8. */
int an_threads(void)
{
    const char *env = getenv("PKGFRESH_THREADS");
    long n = env && *env ? strtol(env, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 8 ? 8 : (int)n;
}
