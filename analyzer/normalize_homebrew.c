/*
 * normalize_homebrew.c — Homebrew version normalization (PF_VS_HOMEBREW).
 *
 * formula.json versions.stable is the upstream version as Homebrew detected
 * it from the download URL or set it explicitly; the formula `revision` is a
 * separate field the parser never reads, so there is nothing to strip.
 * Repology compares these versions as they are, and so do we: the text is
 * copied unchanged and no flag is added. The head record of a formula
 * already carries PF_F_ROLLING from the parser (fmt_homebrew_json.c).
 */
#include <string.h>

#include "pkgfresh/normalize.h"

/* Copy raw as it is (truncated to outlen - 1); flags are left untouched. */
size_t pf_normalize_homebrew(const char *raw, char *out, size_t outlen, unsigned *flags)
{
    (void)flags;
    size_t n = raw ? strlen(raw) : 0;
    if (outlen == 0)
        return 0;
    if (n >= outlen)
        n = outlen - 1;
    if (n)
        memcpy(out, raw, n);
    out[n] = 0;
    return n;
}
