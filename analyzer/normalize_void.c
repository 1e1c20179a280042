/*
 * normalize_void.c — Void Linux version normalization (PF_VS_VOID).
 *
 * XBPS versions are "<version>_<revision>" (pkgver "xbps-0.60.7_1" gives
 * the raw version "0.60.7_1"). The revision is the packaging counter, not
 * part of the upstream version, so it is cut: the trailing "_N" where N is
 * one or more digits after the last '_'. Nothing else changes; a version
 * without such a suffix is kept as it is. No flags are implied.
 */
#include <string.h>

#include "pkgfresh/normalize.h"

/* Copy raw without its trailing "_<digits>" revision (truncated to outlen - 1). */
size_t pf_normalize_void(const char *raw, char *out, size_t outlen, unsigned *flags)
{
    (void)flags;
    size_t n = strlen(raw);
    const char *us = strrchr(raw, '_');
    if (us && us > raw && us[1] != '\0' && strspn(us + 1, "0123456789") == strlen(us + 1))
        n = (size_t)(us - raw);
    if (outlen == 0)
        return 0;
    if (n >= outlen)
        n = outlen - 1;
    memcpy(out, raw, n);
    out[n] = '\0';
    return n;
}
