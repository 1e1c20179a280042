/*
 * scale.c — linear scales, nice axis maxima, 1-2-5 ticks, thousands separators.
 */
#include "scale.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Set up a linear scale; widen a degenerate domain so pf_scale_map never divides by 0. */
void pf_scale_init(pf_scale *s, double d0, double d1, double r0, double r1)
{
    if (!(d1 != d0))
        d1 = d0 + 1.0;
    s->d0 = d0;
    s->d1 = d1;
    s->r0 = r0;
    s->r1 = r1;
}

/* Map a data value into the pixel range by linear interpolation. */
double pf_scale_map(const pf_scale *s, double v)
{
    return s->r0 + (v - s->d0) / (s->d1 - s->d0) * (s->r1 - s->r0);
}

/* Ceil that forgives floating-point noise: 11.000000001 counts as 11. */
static double tolerant_ceil(double q)
{
    double r = round(q);
    if (fabs(q - r) < 1e-9 * (fabs(q) > 1.0 ? fabs(q) : 1.0))
        return r;
    return ceil(q);
}

/* Round v up to two significant digits (values under 100 just up to an integer),
 * the rule Repology's map uses so axis maxima stay close to the data. */
double pf_nice_max(double v)
{
    if (!(v > 0.0) || isinf(v))
        return 1.0;
    if (v < 100.0) {
        double c = tolerant_ceil(v);
        return c < 1.0 ? 1.0 : c;
    }
    /* order = 10^(digits - 2), so v / order lies in [10, 100). */
    double order = pow(10.0, floor(log10(v)) - 1.0);
    double q = v / order;
    if (q >= 100.0) { /* log10 rounding at exact powers of ten */
        order *= 10.0;
        q = v / order;
    } else if (q < 10.0) {
        order /= 10.0;
        q = v / order;
    }
    return tolerant_ceil(q) * order;
}

/* Pick the smallest 1-2-5 step whose ticks 0, step, ... <= max make at most
 * max_ticks intervals (floor(max / step) <= max_ticks). */
double pf_tick_step(double max, int max_ticks, double min_step)
{
    if (!(max > 0.0) || isinf(max))
        return min_step > 0.0 ? min_step : 1.0;
    if (max_ticks < 1)
        max_ticks = 1;
    /* start one decade below max / max_ticks; the answer lies within two decades */
    double mag = pow(10.0, floor(log10(max / max_ticks)) - 1.0);
    static const double mult[] = {1.0, 2.0, 5.0};
    double step = max;
    for (int dec = 0; dec < 4; dec++, mag *= 10.0) {
        int done = 0;
        for (size_t i = 0; i < sizeof mult / sizeof mult[0]; i++) {
            double s = mult[i] * mag;
            if (floor(max / s + 1e-9) <= max_ticks) {
                step = s;
                done = 1;
                break;
            }
        }
        if (done)
            break;
    }
    if (min_step > 0.0 && step < min_step)
        step = min_step;
    return step;
}

/* Emit ticks k*step for k = 0.. while they stay within max (with float slack). */
size_t pf_ticks(double max, double step, double *out, size_t cap)
{
    size_t n = 0;
    if (!(step > 0.0) || !(max >= 0.0) || isinf(max))
        return 0;
    for (size_t k = 0; n < cap; k++) {
        double t = (double)k * step;
        if (t > max * (1.0 + 1e-9) + 1e-12)
            break;
        out[n++] = t;
    }
    return n;
}

/* Write v as digits grouped by three with commas, plus up to two decimals. */
void pf_fmt_thousands(double v, char *buf, size_t len)
{
    if (len == 0)
        return;
    if (isnan(v) || isinf(v)) {
        snprintf(buf, len, "%s", isnan(v) ? "nan" : (v < 0 ? "-inf" : "inf"));
        return;
    }
    double r = round(v * 100.0) / 100.0;
    int neg = r < 0.0;
    double a = fabs(r);
    char digits[64];
    snprintf(digits, sizeof digits, "%.0f", floor(a));
    long cents = lround((a - floor(a)) * 100.0);

    char tmp[96];
    size_t o = 0, nd = strlen(digits);
    if (neg && (nd > 1 || digits[0] != '0' || cents > 0))
        tmp[o++] = '-';
    for (size_t i = 0; i < nd && o < sizeof tmp - 8; i++) {
        tmp[o++] = digits[i];
        size_t left = nd - 1 - i;
        if (left > 0 && left % 3 == 0)
            tmp[o++] = ',';
    }
    if (cents > 0) {
        tmp[o++] = '.';
        tmp[o++] = (char)('0' + cents / 10);
        if (cents % 10)
            tmp[o++] = (char)('0' + cents % 10);
    }
    tmp[o] = '\0';
    snprintf(buf, len, "%s", tmp);
}
