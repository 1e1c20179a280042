/*
 * test_percentile.c — analyzer/percentile.c: the median and the 90th
 * percentile by selection equal what a sort gives (the definition the
 * analysis used before), on small arrays of every length and on large
 * ones full of repeated values, as lags are (many packages share a first
 * sighting); an empty array has neither.
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "../analyzer/percentile.h"

/* Order doubles ascending (the reference's sort). */
static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return a < b ? -1 : a > b;
}

/* The reference: sort, then the median and the nearest-rank 90th percentile. */
static void by_sort(const double *v, size_t n, double *median, double *p90)
{
    double *b = malloc(n * sizeof *b);
    assert_non_null(b);
    memcpy(b, v, n * sizeof *b);
    qsort(b, n, sizeof *b, cmp_double);
    *median = n % 2 ? b[n / 2] : (b[n / 2 - 1] + b[n / 2]) / 2;
    size_t rank = (9 * n + 9) / 10;
    *p90 = b[rank - 1];
    free(b);
}

/* Both ways on v[0..n) must agree exactly (same doubles, not near). */
static void check(const double *v, size_t n)
{
    double m1, p1, m2, p2;
    by_sort(v, n, &m1, &p1);
    double *b = malloc(n * sizeof *b);
    assert_non_null(b);
    memcpy(b, v, n * sizeof *b);
    an_median_p90(b, n, &m2, &p2);
    assert_memory_equal(&m1, &m2, sizeof m1);
    assert_memory_equal(&p1, &p2, sizeof p1);
    free(b);
}

/* Every length up to 40, values drawn from few or many distinct ones,
 * ascending, descending and shuffled. */
static void test_small_arrays(void **state)
{
    (void)state;
    srand(7);
    double v[40];
    for (size_t n = 1; n <= 40; n++)
        for (int kind = 0; kind < 5; kind++) {
            for (size_t i = 0; i < n; i++)
                v[i] = kind == 0   ? (double)i / 3.0
                       : kind == 1 ? (double)(n - i) * 1.5
                       : kind == 2 ? (double)(rand() % 3)
                       : kind == 3 ? 4.25
                                   : (double)rand() / 1000.0;
            check(v, n);
        }
}

/* Lags as a repository has them: 200k values, most from a few hundred days
 * (fractional: now minus a first sighting, in days), some unique. */
static void test_large_repeated(void **state)
{
    (void)state;
    srand(11);
    size_t n = 200001;
    double *v = malloc(n * sizeof *v);
    assert_non_null(v);
    for (int round = 0; round < 2; round++) {
        for (size_t i = 0; i < n; i++)
            v[i] = rand() % 10 ? (double)(rand() % 300) + 0.5 : (double)rand() / 86400.0;
        check(v, n - (size_t)round); /* odd, then even */
    }
    free(v);
}

/* No lags: neither value is known (-1). */
static void test_empty(void **state)
{
    (void)state;
    double median = 0, p90 = 0;
    an_median_p90(NULL, 0, &median, &p90);
    assert_true(median == -1 && p90 == -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_arrays),
        cmocka_unit_test(test_large_repeated),
        cmocka_unit_test(test_empty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
