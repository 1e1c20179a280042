/*
 * strlist.c — list fields of a record in one reusable buffer (strlist.h).
 *
 * Invariant: between pf_strlist_begin and pf_strlist_end the list being
 * built is p[start..len) with no NUL; after pf_strlist_end p[len - 1] is its
 * NUL. An empty list is a lone NUL, read back as NULL.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "pkgfresh/grow.h"
#include "pkgfresh/strlist.h"

/* Offset where the next list starts. */
size_t pf_strlist_begin(pf_strlist *b)
{
    return b->len;
}

/* Append one item (see strlist.h). */
int pf_strlist_add(pf_strlist *b, size_t start, const char *sep, const char *s, size_t n, int lower)
{
    if (n == 0)
        return 0;
    size_t sl = b->len > start ? strlen(sep) : 0;
    if (n > (size_t)-1 / 2 || pf_grow(&b->p, &b->cap, b->len, sl + n + 1) != 0)
        return -1;
    memcpy(b->p + b->len, sep, sl);
    b->len += sl;
    for (size_t i = 0; i < n; i++)
        b->p[b->len + i] = lower ? (char)tolower((unsigned char)s[i]) : s[i];
    b->len += n;
    return 0;
}

/* Terminate the list begun at start. */
int pf_strlist_end(pf_strlist *b, size_t start)
{
    (void)start;
    if (pf_grow(&b->p, &b->cap, b->len, 1) != 0)
        return -1;
    b->p[b->len++] = '\0';
    return 0;
}

/* The list at start, NULL when empty. */
const char *pf_strlist_get(const pf_strlist *b, size_t start)
{
    return start < b->len && b->p[start] ? b->p + start : NULL;
}

/* Free the buffer and zero the struct. */
void pf_strlist_free(pf_strlist *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}
