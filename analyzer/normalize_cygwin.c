/*
 * normalize_cygwin.c — Cygwin version normalization (PF_VS_CYGWIN).
 *
 * Cygwin versions are "<version>-<release>" ("8.10.1-1"). As Repology's
 * CygwinParser: the release after the last '-' is cut. A release that
 * starts with '0' and is longer than one character marks a pre-release
 * (as in Fedora's "0.1rc2"): when it ends in a known tag — "alpha", "beta"
 * or "rc" with an optional ".N"/"N", or a lone "a"/"b" (not preceded by a
 * letter) followed by an optional '.' and digits — the version becomes
 * "<version>-<tag>" and DEVEL; otherwise it stays "<version>" and the
 * package is IGNOREd. Of the possible tags the shortest at the end of the
 * release wins (Repology's regex starts with a greedy ".*").
 */
#include <string.h>

#include "pkgfresh/normalize.h"
#include "pkgfresh/record.h"

/* Is s[0..n) "." optional then one or more digits, or empty when digits_optional? */
static int cyg_number(const char *s, size_t n, int digits_optional)
{
    if (n == 0)
        return digits_optional;
    if (s[0] == '.') {
        s++;
        n--;
    }
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* Does rel[i..n) match one of the pre-release tag forms (see file comment)? */
static int cyg_tag_at(const char *rel, size_t i, size_t n)
{
    static const char *const words[] = {"alpha", "beta", "rc"};
    const char *s = rel + i;
    size_t m = n - i;
    for (size_t w = 0; w < 3; w++) {
        size_t wl = strlen(words[w]);
        if (m >= wl && memcmp(s, words[w], wl) == 0 && cyg_number(s + wl, m - wl, 1))
            return 1;
    }
    int after_letter = i > 0 && rel[i - 1] >= 'a' && rel[i - 1] <= 'z';
    return !after_letter && m >= 2 && (s[0] == 'a' || s[0] == 'b') && cyg_number(s + 1, m - 1, 0);
}

/* Normalize a Cygwin "<version>-<release>" (see file comment). */
size_t pf_normalize_cygwin(const char *raw, char *out, size_t outlen, unsigned *flags)
{
    size_t n = strlen(raw), vn = n;
    const char *rel = NULL;
    size_t rn = 0, tag = 0;
    const char *dash = strrchr(raw, '-');
    if (dash) {
        vn = (size_t)(dash - raw);
        rel = dash + 1;
        rn = strlen(rel);
    }
    int pre = rel && rn > 1 && rel[0] == '0';
    int found = 0;
    if (pre) {
        for (size_t i = rn; i-- > 0;)
            if (cyg_tag_at(rel, i, rn)) {
                tag = i;
                found = 1;
                break;
            }
        *flags |= found ? PF_F_DEVEL : PF_F_IGNORE;
    }
    if (outlen == 0)
        return 0;
    size_t k = vn < outlen ? vn : outlen - 1;
    memcpy(out, raw, k);
    if (found && k + 1 < outlen) {
        out[k++] = '-';
        size_t tl = rn - tag;
        if (k + tl >= outlen)
            tl = outlen - 1 - k;
        memcpy(out + k, rel + tag, tl);
        k += tl;
    }
    out[k] = '\0';
    return k;
}
