/*
 * decimal.h — numbers as decimal text without printf, byte for byte what
 * printf's "%lld" and "%.*f" write: the query commands print tens of
 * thousands of number cells (`history` on 300 repositories x 20 runs:
 * 72,000), and snprintf was most of their formatting time.
 *
 * pf_dec_fixed takes only the values whose rounding it can decide exactly and
 * says when it cannot; the caller then asks snprintf.
 */
#ifndef PKGFRESH_DECIMAL_H
#define PKGFRESH_DECIMAL_H

#include <math.h>
#include <stddef.h>

/* Room pf_dec_int and pf_dec_fixed need in their buffer, NUL included. */
enum { PF_DEC_BUF = 32 };

/* v as "%lld" writes it, into buf (PF_DEC_BUF bytes); returns the length. */
static inline size_t pf_dec_int(char *buf, long long v)
{
    char rev[24];
    size_t n = 0, len = 0;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do {
        rev[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        buf[len++] = '-';
    while (n)
        buf[len++] = rev[--n];
    buf[len] = 0;
    return len;
}

/*
 * v as "%.*f" writes it with `decimals` digits, into buf (PF_DEC_BUF bytes);
 * returns the length, or 0 when it did not decide: decimals outside 0..3, v
 * negative, -0, NaN or v x 10^decimals >= 1e9, or v x 10^decimals within
 * 1e-6 of a half, where only printf's exact arithmetic knows the rounding.
 * Elsewhere the product's own rounding error (under 2^-23 below 1e9) cannot
 * move it across a half, so rounding it to the nearest integer gives the
 * digits printf gives.
 */
static inline size_t pf_dec_fixed(char *buf, double v, int decimals)
{
    static const double scale[] = {1, 10, 100, 1000};
    static const unsigned long long p10[] = {1, 10, 100, 1000};
    if (decimals < 0 || decimals > 3 || !(v >= 0) || signbit(v))
        return 0;
    double x = v * scale[decimals];
    if (!(x < 1e9))
        return 0;
    double whole = floor(x), frac = x - whole; /* both exact */
    if (fabs(frac - 0.5) < 1e-6)
        return 0;
    unsigned long long n = (unsigned long long)whole + (frac > 0.5);
    size_t len = pf_dec_int(buf, (long long)(n / p10[decimals]));
    if (decimals > 0) {
        unsigned long long f = n % p10[decimals];
        buf[len++] = '.';
        for (int i = decimals - 1; i >= 0; i--) {
            buf[len + (size_t)i] = (char)('0' + f % 10);
            f /= 10;
        }
        len += (size_t)decimals;
        buf[len] = 0;
    }
    return len;
}

#endif
