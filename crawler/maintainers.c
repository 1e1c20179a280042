/*
 * maintainers.c — Repology's extract_maintainers for prose maintainer
 * fields (maintainers.h).
 *
 * Works on bytes: lower-casing is ASCII only (Python's str.lower also folds
 * non-ASCII letters; addresses are ASCII in practice). Whitespace is what
 * Python's str.split() splits at in ASCII: space, \t, \n, \v, \f, \r.
 * Invariant of a list: addresses separated by single ',' with no spaces,
 * NUL-terminated at list[len] once anything was added.
 */
#include <stdlib.h>
#include <string.h>

#include "pkgfresh/grow.h"
#include "pkgfresh/maintainers.h"

#define MAINT_MAX_WORDS 64 /* candidate addresses considered per ','-part */

/* Python's ASCII whitespace for str.split(). */
static int m_space(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

/* re.fullmatch('[^<> \t]+@[^<> \t]+', w): an '@' with something on both sides, no <, >. */
static int m_looks_like_email(const char *w, size_t n)
{
    int at_inside = 0;
    for (size_t i = 0; i < n; i++) {
        if (w[i] == '<' || w[i] == '>' || w[i] == ' ' || w[i] == '\t')
            return 0;
        if (w[i] == '@' && i > 0 && i + 1 < n)
            at_inside = 1;
    }
    return at_inside;
}

/* Is the address a[0..n) (lower-case already) in the list? */
static int m_in_list(const char *list, size_t len, const char *a, size_t n)
{
    size_t i = 0;
    while (i < len) {
        const char *comma = memchr(list + i, ',', len - i);
        size_t e = comma ? (size_t)(comma - list) : len;
        if (e - i == n && memcmp(list + i, a, n) == 0)
            return 1;
        i = e + 1;
    }
    return 0;
}

/* Append one address (see maintainers.h). */
int pf_maint_add(const char *addr, size_t n, char **list, size_t *len, size_t *cap)
{
    if (n == 0 || memchr(addr, ',', n) || memchr(addr, ' ', n))
        return 0;
    if (pf_grow(list, cap, *len, n + 2) != 0)
        return -1;
    char *dst = *list + *len + (*len ? 1 : 0);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)addr[i];
        dst[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    if (m_in_list(*list, *len, dst, n)) {
        (*list)[*len] = '\0';
        return 0;
    }
    if (*len)
        (*list)[*len] = ',';
    *len += n + (*len ? 1 : 0);
    (*list)[*len] = '\0';
    return 1;
}

/* A word of a part: where it is in the source text. */
typedef struct m_word {
    const char *p;
    size_t n;
} m_word;

/* Byte-wise comparison of two words (for the sorted result), shorter first on a tie. */
static int m_word_cmp(const void *a, const void *b)
{
    const m_word *x = a, *y = b;
    size_t n = x->n < y->n ? x->n : y->n;
    int c = 0;
    for (size_t i = 0; i < n && c == 0; i++) {
        unsigned char cx = (unsigned char)x->p[i], cy = (unsigned char)y->p[i];
        cx = (unsigned char)(cx >= 'A' && cx <= 'Z' ? cx + 32 : cx);
        cy = (unsigned char)(cy >= 'A' && cy <= 'Z' ? cy + 32 : cy);
        c = (cx > cy) - (cx < cy);
    }
    return c ? c : (x->n > y->n) - (x->n < y->n);
}

/* Extract the addresses of prose s[0..n) into the list (see maintainers.h). */
int pf_maint_extract(const char *s, size_t n, char **list, size_t *len, size_t *cap)
{
    m_word found[MAINT_MAX_WORDS];
    size_t nfound = 0;
    size_t i = 0;
    while (i <= n) {
        const char *comma = memchr(s + i, ',', n - i);
        size_t pe = comma ? (size_t)(comma - s) : n;
        m_word cand[MAINT_MAX_WORDS];
        size_t ncand = 0;
        int other_words = 0;
        size_t k = i;
        while (k < pe) {
            while (k < pe && m_space((unsigned char)s[k]))
                k++;
            size_t w = k;
            while (k < pe && !m_space((unsigned char)s[k]))
                k++;
            if (k == w)
                break;
            const char *wp = s + w;
            size_t wn = k - w;
            if (wp[0] == '<' && wp[wn - 1] == '>') {
                /* str.strip('<>'): every leading and trailing bracket goes. */
                while (wn > 0 && (*wp == '<' || *wp == '>'))
                    wp++, wn--;
                while (wn > 0 && (wp[wn - 1] == '<' || wp[wn - 1] == '>'))
                    wn--;
                if (m_looks_like_email(wp, wn) && nfound < MAINT_MAX_WORDS)
                    found[nfound++] = (m_word){wp, wn};
            } else if (m_looks_like_email(wp, wn)) {
                if (ncand < MAINT_MAX_WORDS)
                    cand[ncand++] = (m_word){wp, wn};
            } else {
                other_words = 1;
            }
        }
        for (size_t c = 0; !other_words && c < ncand && nfound < MAINT_MAX_WORDS; c++)
            found[nfound++] = cand[c];
        if (!comma)
            break;
        i = pe + 1;
    }
    qsort(found, nfound, sizeof found[0], m_word_cmp);
    int added = 0;
    for (size_t f = 0; f < nfound; f++) {
        int r = pf_maint_add(found[f].p, found[f].n, list, len, cap);
        if (r < 0)
            return -1;
        added += r;
    }
    return added;
}
