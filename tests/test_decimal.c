/*
 * test_decimal.c — cli/decimal.h: pf_dec_int writes what "%lld" writes, and
 * pf_dec_fixed writes what "%.*f" writes whenever it decides, on the values
 * the query commands print (percentages of two counts, lags in days) and on
 * the hard ones (exact halves, values a hair either side of a half, -0,
 * NaN, huge); it must decide nearly all the everyday ones, or the query
 * commands would be back on snprintf.
 */
#include "testutil.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../cli/decimal.h"

/* pf_dec_int(v) equals snprintf's "%lld". */
static void check_int(long long v)
{
    char got[PF_DEC_BUF], want[PF_DEC_BUF];
    size_t n = pf_dec_int(got, v);
    int w = snprintf(want, sizeof want, "%lld", v);
    assert_int_equal(n, (size_t)w);
    assert_string_equal(got, want);
}

/* pf_dec_fixed(v, d) declines (0) or equals snprintf's "%.*f"; returns
 * whether it decided. */
static int check_fixed(double v, int d)
{
    char got[PF_DEC_BUF], want[64];
    size_t n = pf_dec_fixed(got, v, d);
    if (n == 0)
        return 0;
    int w = snprintf(want, sizeof want, "%.*f", d, v);
    if (n != (size_t)w || strcmp(got, want) != 0)
        fail_msg("%.17g with %d decimals: got '%s', printf writes '%s'", v, d, got, want);
    return 1;
}

/* Integers: zero, signs, every power of ten and its neighbours, the extremes,
 * and random 64-bit values. */
static void test_int(void **state)
{
    (void)state;
    check_int(0);
    check_int(LLONG_MIN);
    check_int(LLONG_MAX);
    check_int(LLONG_MIN + 1);
    for (long long p = 1; p <= LLONG_MAX / 10; p *= 10)
        for (long long k = -1; k <= 1; k++) {
            check_int(p + k);
            check_int(-(p + k));
        }
    uint64_t s = 0x9e3779b97f4a7c15u;
    for (int i = 0; i < 100000; i++)
        check_int((long long)tu_rand(&s) >> (i % 64));
}

/* Percentages of two counts, as `stats` and `history` print them
 * (100 * part / whole with 2 decimals, 1 for lags): all pairs with a whole up
 * to 700; nearly all must be decided here. */
static void test_percentages(void **state)
{
    (void)state;
    long decided = 0, total = 0;
    for (long whole = 1; whole <= 700; whole++)
        for (long part = 0; part <= whole; part++) {
            double pct = 100.0 * (double)part / (double)whole;
            for (int d = 0; d <= 3; d++) {
                decided += check_fixed(pct, d);
                total++;
            }
        }
    assert_true(decided > total - total / 100);
}

/* Lags in days (seconds / 86400) and random values of every magnitude, with
 * 0 to 3 decimals. */
static void test_random(void **state)
{
    (void)state;
    uint64_t s = 12345;
    long decided = 0;
    for (int i = 0; i < 200000; i++) {
        double lag = (double)(tu_rand(&s) % (86400ull * 4000)) / 86400.0;
        decided += check_fixed(lag, i % 4);
        double mag = ldexp((double)(tu_rand(&s) >> 11), -53) * pow(10, (double)(i % 22) - 10);
        check_fixed(mag, i % 4);
        uint64_t bits = tu_rand(&s) >> 2; /* a positive double of any exponent */
        double any;
        memcpy(&any, &bits, sizeof any);
        check_fixed(any, i % 4);
    }
    assert_true(decided > 199000);
}

/* Exact halves are left to printf (it rounds them to even); values just
 * beside a half are decided correctly; -0, NaN, infinities, negatives,
 * values at 1e9 and more, and unsupported decimal counts are declined. */
static void test_hard_cases(void **state)
{
    (void)state;
    char buf[PF_DEC_BUF];
    static const double halves[] = {0.5, 1.5, 2.5, 0.125, 0.375, 0.625, 1e8 + 0.5};
    for (size_t i = 0; i < sizeof halves / sizeof halves[0]; i++)
        assert_int_equal(pf_dec_fixed(buf, halves[i], i < 3 || i == 6 ? 0 : 2), 0);
    static const double near[] = {0.005, 1.005, 2.675, 0.015, 1.115, 0.045, 99.995, 12.345};
    for (size_t i = 0; i < sizeof near / sizeof near[0]; i++)
        for (int d = 0; d <= 3; d++) {
            check_fixed(near[i], d);
            check_fixed(nextafter(near[i], 0), d);
            check_fixed(nextafter(near[i], 1e9), d);
        }
    for (double x = 0; x < 1000; x += 0.0625) /* every k/16 (halves among them) */
        for (int d = 0; d <= 3; d++)
            check_fixed(x, d);
    assert_int_equal(pf_dec_fixed(buf, -0.0, 2), 0);
    assert_int_equal(pf_dec_fixed(buf, NAN, 2), 0);
    assert_int_equal(pf_dec_fixed(buf, INFINITY, 2), 0);
    assert_int_equal(pf_dec_fixed(buf, -1.25, 2), 0);
    assert_int_equal(pf_dec_fixed(buf, 1e9, 0), 0);
    assert_int_equal(pf_dec_fixed(buf, 1e7, 2), 0);
    assert_int_equal(pf_dec_fixed(buf, 1.25, 4), 0);
    assert_int_equal(pf_dec_fixed(buf, 1.25, -1), 0);
    /* and the boundaries that are decided */
    assert_int_equal(pf_dec_fixed(buf, 999999999.25, 0), 9);
    assert_string_equal(buf, "999999999");
    assert_int_equal(pf_dec_fixed(buf, 0.0, 3), 5);
    assert_string_equal(buf, "0.000");
    assert_int_equal(pf_dec_fixed(buf, 9.996, 2), 5);
    assert_string_equal(buf, "10.00");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_int),
        cmocka_unit_test(test_percentages),
        cmocka_unit_test(test_random),
        cmocka_unit_test(test_hard_cases),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
