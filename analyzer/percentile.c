/*
 * percentile.c — the median and the 90th percentile of a repository's lags
 * (see percentile.h) by selection instead of a sort.
 */
#include "percentile.h"

/* Rearrange b[0..n) so that b[k] holds the value of rank k (0-based) in
 * ascending order, everything before it is no greater and everything after
 * it no smaller (quickselect, three-way partition: lags repeat a lot, as
 * many packages share a first sighting). Expected linear time, where a sort
 * of each repository's lags took most of the percentiles' time. */
static void select_rank(double *b, size_t n, size_t k)
{
    size_t lo = 0, hi = n; /* the rank is in [lo, hi) */
    while (hi - lo > 1) {
        double x = b[lo], y = b[lo + (hi - lo) / 2], z = b[hi - 1];
        double piv = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
        size_t lt = lo, i = lo, gt = hi; /* [lo,lt) < piv, [lt,i) == piv, [gt,hi) > piv */
        while (i < gt) {
            double v = b[i];
            if (v < piv) {
                b[i++] = b[lt];
                b[lt++] = v;
            } else if (v > piv) {
                b[i] = b[--gt];
                b[gt] = v;
            } else {
                i++;
            }
        }
        if (k < lt)
            hi = lt;
        else if (k >= gt)
            lo = gt;
        else
            return; /* b[k] == piv, in place */
    }
}

/* The smallest of b[0..n), n > 0. */
static double min_of(const double *b, size_t n)
{
    double m = b[0];
    for (size_t i = 1; i < n; i++)
        if (b[i] < m)
            m = b[i];
    return m;
}

/* See percentile.h. */
void an_median_p90(double *b, size_t n, double *median, double *p90)
{
    if (n == 0) {
        *median = *p90 = -1;
        return;
    }
    /* the lower middle rank; then every later element is no smaller */
    size_t mid = n % 2 ? n / 2 : n / 2 - 1;
    select_rank(b, n, mid);
    *median = n % 2 ? b[mid] : (b[mid] + min_of(b + mid + 1, n - mid - 1)) / 2;
    size_t rank = (9 * n + 9) / 10;   /* ceil(0.9 n), nearest rank */
    size_t k = (rank ? rank : 1) - 1; /* >= mid */
    if (k > mid)
        select_rank(b + mid + 1, n - mid - 1, k - mid - 1);
    *p90 = b[k];
}
