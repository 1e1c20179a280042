/*
 * grow.h — the one growable-buffer rule the parsers share.
 *
 * Parsers keep the fields of the record being built in one reusable byte
 * buffer (no allocation per field or per record); this makes room in it.
 */
#ifndef PKGFRESH_GROW_H
#define PKGFRESH_GROW_H

#include <stddef.h>
#include <stdlib.h>

/*
 * Make room for `extra` more bytes after the first `len` of *buf, whose
 * capacity is *cap: capacity doubles from 4 KiB. Returns 0, or -1 when out
 * of memory (then *buf and *cap are unchanged and still valid).
 */
static inline int pf_grow(char **buf, size_t *cap, size_t len, size_t extra)
{
    if (*cap - len >= extra)
        return 0;
    size_t ncap = *cap ? *cap : 4096;
    while (ncap - len < extra)
        ncap *= 2;
    char *nb = realloc(*buf, ncap);
    if (!nb)
        return -1;
    *buf = nb;
    *cap = ncap;
    return 0;
}

#endif
