/*
 * analyzer/percentile.h — order statistics of the lag percentiles: the
 * median (the mean of the two middle values when n is even) and the 90th
 * percentile by nearest rank (the value of rank ceil(0.9 n)), exactly as
 * sorting b would give them, in expected linear time.
 */
#ifndef PKGFRESH_ANALYZER_PERCENTILE_H
#define PKGFRESH_ANALYZER_PERCENTILE_H

#include <stddef.h>

/* Median and 90th percentile of b[0..n) into *median and *p90 (-1 both when
 * n is 0). Reorders b. */
void an_median_p90(double *b, size_t n, double *median, double *p90);

#endif
