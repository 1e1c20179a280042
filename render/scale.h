/*
 * scale.h — internal: linear scales, "nice" axis maxima, 1-2-5 ticks and
 * number formatting for the render module. Pure functions, no cairo.
 */
#ifndef PKGFRESH_RENDER_SCALE_H
#define PKGFRESH_RENDER_SCALE_H

#include <stddef.h>

/* Linear map from the data interval [d0, d1] to the pixel interval [r0, r1].
 * Invariant: d0 != d1 (pf_scale_init enforces it). */
typedef struct pf_scale {
    double d0, d1;
    double r0, r1;
} pf_scale;

/* Set up a linear scale; a degenerate domain (d0 == d1) is widened to d0 + 1. */
void pf_scale_init(pf_scale *s, double d0, double d1, double r0, double r1);

/* Map a data value to pixels (no clamping). */
double pf_scale_map(const pf_scale *s, double v);

/* Axis maximum like Repology: v rounded up to two significant digits
 * (101 -> 110, 10001 -> 11000, 7 -> 7, 99.5 -> 100); v <= 0 or NaN -> 1. */
double pf_nice_max(double v);

/* Tick step from the 1-2-5 series (times a power of ten) so that [0, max]
 * holds at most max_ticks intervals; never below min_step (if > 0). */
double pf_tick_step(double max, int max_ticks, double min_step);

/* Fill out[] with ticks 0, step, 2*step, ... <= max (at most cap);
 * returns how many were written. */
size_t pf_ticks(double max, double step, double *out, size_t cap);

/* Format v with thousands separators ("12,345", "-1,000", "2.5");
 * rounds to at most 2 decimals, drops trailing zeros. Always NUL-terminates. */
void pf_fmt_thousands(double v, char *buf, size_t len);

#endif
