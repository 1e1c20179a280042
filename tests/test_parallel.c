/*
 * test_parallel.c — analyzer/parallel.c: a range cut into slices on
 * several threads covers every item exactly once, never runs slices
 * smaller than asked (but the one thread's whole range), and the thread
 * count follows PKGFRESH_THREADS within 1..8; a crew runs every posted
 * item exactly once, in chunks no larger than asked, whether the caller
 * joins in at once or after work of its own, and on one thread too.
 */
#include "testutil.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "../analyzer/parallel.h"

/* What the slices did: a counter per item, the number and smallest size of slices. */
typedef struct seen {
    unsigned char *hits;
    atomic_int slices;
    atomic_size_t smallest;
} seen;

/* Slice body: count each item, and the slice. */
static void mark(void *ctx, size_t lo, size_t hi)
{
    seen *s = ctx;
    for (size_t i = lo; i < hi; i++)
        s->hits[i]++;
    atomic_fetch_add(&s->slices, 1);
    size_t n = hi - lo, cur = atomic_load(&s->smallest);
    while (n < cur && !atomic_compare_exchange_weak(&s->smallest, &cur, n))
        ;
}

static void test_every_item_once(void **state)
{
    (void)state;
    static const size_t sizes[] = {0, 1, 5, 31, 32, 63, 64, 65, 1000, 100003};
    static const int threads[] = {1, 2, 3, 8, 16};
    static const size_t mins[] = {1, 16, 32};
    for (size_t a = 0; a < sizeof sizes / sizeof sizes[0]; a++)
        for (size_t b = 0; b < sizeof threads / sizeof threads[0]; b++)
            for (size_t c = 0; c < sizeof mins / sizeof mins[0]; c++) {
                size_t n = sizes[a];
                seen s = {.hits = calloc(n + 1, 1)};
                assert_non_null(s.hits);
                atomic_init(&s.slices, 0);
                atomic_init(&s.smallest, (size_t)-1);
                an_parallel(n, threads[b], mins[c], mark, &s);
                for (size_t i = 0; i < n; i++)
                    assert_int_equal(s.hits[i], 1);
                int k = atomic_load(&s.slices);
                if (n == 0) {
                    assert_int_equal(k, 0);
                } else {
                    assert_true(k >= 1 && k <= (threads[b] > 8 ? 8 : threads[b]));
                    /* several slices only when each gets at least the minimum */
                    if (k > 1)
                        assert_true(atomic_load(&s.smallest) >= mins[c]);
                    if (n >= 2 * mins[c] && threads[b] >= 2)
                        assert_true(k >= 2);
                    if (n < 2 * mins[c])
                        assert_int_equal(k, 1);
                }
                free(s.hits);
            }
}

static void test_thread_count(void **state)
{
    (void)state;
    static const struct {
        const char *env;
        int want;
    } cases[] = {{"1", 1}, {"2", 2}, {"3", 3}, {"8", 8}, {"100", 8}, {"0", 1}, {"-4", 1}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        setenv("PKGFRESH_THREADS", cases[i].env, 1);
        assert_int_equal(an_threads(), cases[i].want);
    }
    unsetenv("PKGFRESH_THREADS");
    int n = an_threads();
    assert_true(n >= 1 && n <= 8);
}

/* Crew chunk body: count each item, the chunk, and its largest size. */
static void mark_chunk(void *ctx, size_t lo, size_t hi)
{
    seen *s = ctx;
    for (size_t i = lo; i < hi; i++)
        s->hits[i]++;
    atomic_fetch_add(&s->slices, 1);
    size_t n = hi - lo, cur = atomic_load(&s->smallest); /* here: the largest */
    while (n > cur && !atomic_compare_exchange_weak(&s->smallest, &cur, n))
        ;
}

static void test_crew_every_item_once(void **state)
{
    (void)state;
    static const size_t sizes[] = {0, 1, 63, 64, 65, 4096, 100003};
    static const int threads[] = {1, 2, 3, 8};
    for (size_t t = 0; t < sizeof threads / sizeof threads[0]; t++) {
        an_crew *c = an_crew_new(threads[t]);
        assert_non_null(c);
        an_crew_finish(c); /* nothing posted: returns at once */
        for (int round = 0; round < 3; round++)
            for (size_t a = 0; a < sizeof sizes / sizeof sizes[0]; a++) {
                size_t n = sizes[a];
                seen s = {calloc(n + 1, 1), 0, 0};
                assert_non_null(s.hits);
                an_crew_post(c, n, 64, mark_chunk, &s);
                if (round == 1) { /* the caller busy meanwhile */
                    volatile unsigned long spin = 0;
                    for (unsigned long k = 0; k < 200000; k++)
                        spin += k;
                }
                an_crew_finish(c);
                for (size_t i = 0; i < n; i++)
                    assert_int_equal(s.hits[i], 1);
                assert_int_equal(s.hits[n], 0);
                assert_int_equal(atomic_load(&s.slices), (int)((n + 63) / 64));
                assert_true(atomic_load(&s.smallest) <= 64);
                free(s.hits);
            }
        /* freed with work posted: the work is finished first */
        size_t n = 1000;
        seen s = {calloc(n, 1), 0, 0};
        assert_non_null(s.hits);
        an_crew_post(c, n, 7, mark_chunk, &s);
        an_crew_free(c);
        for (size_t i = 0; i < n; i++)
            assert_int_equal(s.hits[i], 1);
        free(s.hits);
    }
    an_crew_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_item_once),
        cmocka_unit_test(test_thread_count),
        cmocka_unit_test(test_crew_every_item_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
