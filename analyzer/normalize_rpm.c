/*
 * normalize_rpm.c — RPM version normalization (being written; stub: as is).
 */
#include <string.h>

#include "pkgfresh/normalize.h"

/* Copy raw as it is (truncated to outlen - 1). */
size_t pf_normalize_rpm(const char *raw, char *out, size_t outlen, unsigned *flags)
{
    (void)flags;
    size_t n = strlen(raw);
    if (outlen == 0)
        return 0;
    if (n >= outlen)
        n = outlen - 1;
    memcpy(out, raw, n);
    out[n] = 0;
    return n;
}
