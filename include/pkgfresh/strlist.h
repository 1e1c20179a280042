/*
 * strlist.h — build the list fields of a record (binnames, licences,
 * maintainers) in one reusable buffer.
 *
 * A parser resets the buffer per record, appends items with their
 * separator and reads the lists back through offsets, since the buffer may
 * move as it grows (pf_grow rules). All functions return 0, or -1 when out
 * of memory (the buffer stays valid).
 */
#ifndef PKGFRESH_STRLIST_H
#define PKGFRESH_STRLIST_H

#include <stddef.h>

typedef struct pf_strlist {
    char *p;    /* bytes; every list is NUL-terminated */
    size_t len; /* bytes used */
    size_t cap;
} pf_strlist;

/* Start a new list at the current end; returns its offset (for pf_strlist_get). */
size_t pf_strlist_begin(pf_strlist *b);

/*
 * Append s[0..n) to the list that began at `start`, after `sep` when the list
 * is not empty; lower-cased when `lower`. An empty item is not appended.
 */
int pf_strlist_add(pf_strlist *b, size_t start, const char *sep, const char *s, size_t n,
                   int lower);

/* End the list begun at `start` (its NUL). */
int pf_strlist_end(pf_strlist *b, size_t start);

/* The list begun at start, or NULL when it is empty. Valid until the next add. */
const char *pf_strlist_get(const pf_strlist *b, size_t start);

/* Release the buffer. */
void pf_strlist_free(pf_strlist *b);

#endif
