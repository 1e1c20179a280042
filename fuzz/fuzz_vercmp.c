/*
 * fuzz_vercmp.c — libFuzzer harness for the version comparison (version.h).
 *
 * Input layout: byte 0 = flags of a (low 4 bits) and b (high 4 bits), then
 * a and b separated by the first NUL (no NUL: split in the middle). Checked:
 * the result is -1, 0 or +1; antisymmetry cmp(a,b) == -cmp(b,a) with the
 * flags swapped along; reflexivity cmp(a,a) == 0 for equal flags; the
 * counted form pf_vercmp_n agrees with pf_vercmp4; pf_vercmp equals
 * pf_vercmp4 without flags.
 */
#include "fuzz.h"
#include "pkgfresh/version.h"

/* One input: compare both ways. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned fa = data[0] & 15u, fb = (data[0] >> 4) & 15u;
    const char *rest = (const char *)data + 1;
    size_t n = size - 1;
    const char *nul = memchr(rest, 0, n);
    size_t alen = nul ? (size_t)(nul - rest) : n / 2;
    size_t boff = nul ? alen + 1 : alen;
    char *a = malloc(alen + 1), *b = malloc(n - boff + 1);
    if (!a || !b) {
        free(a);
        free(b);
        return 0;
    }
    memcpy(a, rest, alen);
    a[alen] = 0;
    memcpy(b, rest + boff, n - boff);
    b[n - boff] = 0;
    /* b may hold further NULs: its string is up to the first one. */
    size_t blen = strlen(b);
    int ab = pf_vercmp4(a, b, fa, fb), ba = pf_vercmp4(b, a, fb, fa);
    if (ab < -1 || ab > 1)
        fz_fail("result outside -1..1");
    if (ab != -ba)
        fz_fail("not antisymmetric");
    if (pf_vercmp4(a, a, fa, fa) != 0 || pf_vercmp4(b, b, fb, fb) != 0)
        fz_fail("not reflexive");
    if (pf_vercmp_n(a, alen, b, blen, fa, fb) != ab)
        fz_fail("pf_vercmp_n disagrees with pf_vercmp4");
    if (pf_vercmp(a, b) != pf_vercmp4(a, b, 0, 0))
        fz_fail("pf_vercmp disagrees with pf_vercmp4 without flags");
    free(a);
    free(b);
    return 0;
}
