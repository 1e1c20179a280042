/*
 * grow.h — the growable-buffer rules the parsers and the analyzer share.
 *
 * Parsers keep the fields of the record being built in one reusable byte
 * buffer (no allocation per field or per record): pf_grow makes room in it.
 * Arrays of structs that only ever grow (packages, history rows, ...) use
 * pf_grow_items.
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

/*
 * Room for one more item in an array `arr` of `size`-byte items, `n` used of
 * *cap: returns arr itself while there is room, else the array reallocated
 * to double the capacity (`first` items at first) with *cap updated, or NULL
 * when out of memory (arr and *cap unchanged and still valid).
 */
static inline void *pf_grow_items(void *arr, size_t *cap, size_t n, size_t size, size_t first)
{
    if (n < *cap)
        return arr;
    size_t ncap = *cap ? *cap * 2 : first;
    if (ncap < *cap || ncap > (size_t)-1 / size)
        return NULL;
    void *na = realloc(arr, ncap * size);
    if (na)
        *cap = ncap;
    return na;
}

#endif
