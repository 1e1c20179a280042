/*
 * version.c — libversion-compatible version comparison (see
 * /work/shared/docs/version-algorithm.md; written from that prose spec).
 *
 * Both strings are tokenized lazily, one component at a time, in lock step:
 * no allocation, one pass over each string, numbers compared as digit
 * strings so their length is unbounded. NUL-terminated and counted inputs
 * share one tokenizer body, specialised at compile time through an
 * always-inlined "nul" parameter so pf_vercmp never calls strlen.
 */
#include "pkgfresh/version.h"

#include <string.h>
#include <strings.h>

/* Component ranks, low to high (spec §3). The bound ranks only pad. */
enum {
    R_LOWER_BOUND,
    R_PRE_RELEASE,
    R_ZERO,
    R_POST_RELEASE,
    R_NONZERO,
    R_LETTER_SUFFIX,
    R_UPPER_BOUND,
};

/* Byte classes. C_END is only used for '\0' in NUL-terminated mode. */
enum { C_SEP = 0, C_DIGIT = 1, C_ALPHA = 2, C_END = 3 };

/* Class of every byte for NUL-terminated input: '\0' ends the string. */
static const unsigned char cls_nul[256] = {
    [0] = C_END,     ['0'] = C_DIGIT, ['1'] = C_DIGIT, ['2'] = C_DIGIT, ['3'] = C_DIGIT,
    ['4'] = C_DIGIT, ['5'] = C_DIGIT, ['6'] = C_DIGIT, ['7'] = C_DIGIT, ['8'] = C_DIGIT,
    ['9'] = C_DIGIT, ['A'] = C_ALPHA, ['B'] = C_ALPHA, ['C'] = C_ALPHA, ['D'] = C_ALPHA,
    ['E'] = C_ALPHA, ['F'] = C_ALPHA, ['G'] = C_ALPHA, ['H'] = C_ALPHA, ['I'] = C_ALPHA,
    ['J'] = C_ALPHA, ['K'] = C_ALPHA, ['L'] = C_ALPHA, ['M'] = C_ALPHA, ['N'] = C_ALPHA,
    ['O'] = C_ALPHA, ['P'] = C_ALPHA, ['Q'] = C_ALPHA, ['R'] = C_ALPHA, ['S'] = C_ALPHA,
    ['T'] = C_ALPHA, ['U'] = C_ALPHA, ['V'] = C_ALPHA, ['W'] = C_ALPHA, ['X'] = C_ALPHA,
    ['Y'] = C_ALPHA, ['Z'] = C_ALPHA, ['a'] = C_ALPHA, ['b'] = C_ALPHA, ['c'] = C_ALPHA,
    ['d'] = C_ALPHA, ['e'] = C_ALPHA, ['f'] = C_ALPHA, ['g'] = C_ALPHA, ['h'] = C_ALPHA,
    ['i'] = C_ALPHA, ['j'] = C_ALPHA, ['k'] = C_ALPHA, ['l'] = C_ALPHA, ['m'] = C_ALPHA,
    ['n'] = C_ALPHA, ['o'] = C_ALPHA, ['p'] = C_ALPHA, ['q'] = C_ALPHA, ['r'] = C_ALPHA,
    ['s'] = C_ALPHA, ['t'] = C_ALPHA, ['u'] = C_ALPHA, ['v'] = C_ALPHA, ['w'] = C_ALPHA,
    ['x'] = C_ALPHA, ['y'] = C_ALPHA, ['z'] = C_ALPHA,
};

/*
 * One side of a comparison: the cursor into its string plus its flags.
 * Invariant: start <= p; in counted mode p <= e. `state` is 0 while real
 * components remain, 1 once the string is exhausted (padding only).
 */
typedef struct vtok {
    const unsigned char *start, *p, *e;
    unsigned flags;
    int filler; /* rank used for padding: ZERO, LOWER_BOUND or UPPER_BOUND */
    int state;
} vtok;

/* One component. Numbers keep their digits (no leading zeros), words their first letter. */
typedef struct vcomp {
    int rank;
    const unsigned char *num; /* NONZERO only */
    size_t nlen;              /* NONZERO only, > 0 */
    unsigned letter;          /* letter ranks only: lowercased first letter */
} vcomp;

#define ALWAYS_INLINE static inline __attribute__((always_inline))

/* Class of the byte at q, or C_END when q is past the end (counted mode) or at NUL. */
ALWAYS_INLINE int cls_at(const vtok *t, const unsigned char *q, int nul)
{
    if (nul)
        return cls_nul[*q];
    if (q == t->e)
        return C_END;
    int c = cls_nul[*q];
    return c == C_END ? C_SEP : c; /* an embedded NUL is a separator */
}

/* Case-insensitive compare of a letters-only run with a lowercase literal of length n. */
ALWAYS_INLINE int word_eq(const unsigned char *s, const char *lit, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((s[i] | 0x20) != (unsigned char)lit[i])
            return 0;
    return 1;
}

/*
 * Rank of a letter run s[0..n) (n >= 1, letters only) per spec §2: known
 * keywords are PRE or POST; unknown words are LETTER_SUFFIX in suffix
 * position, else POST under ANY_IS_PATCH, else PRE.
 */
static int word_rank(const unsigned char *s, size_t n, unsigned flags, int suffix)
{
    switch (s[0] | 0x20) {
    case 'a':
        if (n == 5 && word_eq(s + 1, "lpha", 4))
            return R_PRE_RELEASE;
        break;
    case 'b':
        if (n == 4 && word_eq(s + 1, "eta", 3))
            return R_PRE_RELEASE;
        break;
    case 'r':
        if (n == 2 && (s[1] | 0x20) == 'c')
            return R_PRE_RELEASE;
        break;
    case 'e':
        if (n == 6 && word_eq(s + 1, "rrata", 5))
            return R_POST_RELEASE;
        break;
    case 'p':
        if (n == 1) {
            if (flags & PF_V_P_IS_PATCH)
                return R_POST_RELEASE;
            break;
        }
        if (n >= 3 && word_eq(s + 1, "re", 2))
            return R_PRE_RELEASE;
        if (n >= 4 && word_eq(s + 1, "ost", 3))
            return R_POST_RELEASE;
        if (n >= 5 && word_eq(s + 1, "atch", 4))
            return R_POST_RELEASE;
        if (n == 2 && (s[1] | 0x20) == 'l')
            return R_POST_RELEASE;
        break;
    default:
        break;
    }
    if (suffix)
        return R_LETTER_SUFFIX;
    return (flags & PF_V_ANY_IS_PATCH) ? R_POST_RELEASE : R_PRE_RELEASE;
}

/*
 * Produce the next component of t into *c. Returns 1 for a real component
 * (or the one extra filler a bound-flagged side gets), 0 once the side only
 * pads. The loop in vercmp_impl stops when both sides return 0.
 */
ALWAYS_INLINE int next_comp(vtok *t, vcomp *c, int nul)
{
    const unsigned char *p = t->p;
    int k;
    if (t->state == 0) {
        while ((k = cls_at(t, p, nul)) == C_SEP)
            p++;
        if (k == C_DIGIT) {
            while ((nul || p != t->e) && *p == '0')
                p++;
            const unsigned char *q = p;
            while (cls_at(t, q, nul) == C_DIGIT)
                q++;
            t->p = q;
            if (q == p) {
                c->rank = R_ZERO;
            } else {
                c->rank = R_NONZERO;
                c->num = p;
                c->nlen = (size_t)(q - p);
            }
            return 1;
        }
        if (k == C_ALPHA) {
            const unsigned char *q = p + 1;
            while ((k = cls_at(t, q, nul)) == C_ALPHA)
                q++;
            /* suffix: glued to a preceding digit run and not followed by a digit */
            int suffix = p > t->start && cls_nul[p[-1]] == C_DIGIT && k != C_DIGIT;
            t->p = q;
            c->rank = word_rank(p, (size_t)(q - p), t->flags, suffix);
            c->letter = p[0] | 0x20u;
            return 1;
        }
        /* end of string: a bound-flagged side emits one counted filler */
        t->p = p;
        t->state = 1;
        c->rank = t->filler;
        return t->filler != R_ZERO;
    }
    c->rank = t->filler;
    return 0;
}

/* Compare two components of equal or different rank (spec §4): -1, 0, +1. */
ALWAYS_INLINE int comp_cmp(const vcomp *a, const vcomp *b)
{
    if (a->rank != b->rank)
        return a->rank < b->rank ? -1 : 1;
    switch (a->rank) {
    case R_NONZERO:
        if (a->nlen != b->nlen)
            return a->nlen < b->nlen ? -1 : 1;
        for (size_t i = 0; i < a->nlen; i++) /* short numbers: a loop beats memcmp */
            if (a->num[i] != b->num[i])
                return a->num[i] < b->num[i] ? -1 : 1;
        return 0;
    case R_PRE_RELEASE:
    case R_POST_RELEASE:
    case R_LETTER_SUFFIX:
        return (a->letter > b->letter) - (a->letter < b->letter);
    default:
        return 0;
    }
}

/* Filler rank for a flag set (spec §5): LOWER_BOUND wins over UPPER_BOUND. */
static inline int filler_of(unsigned flags)
{
    if (flags & PF_V_LOWER_BOUND)
        return R_LOWER_BOUND;
    if (flags & PF_V_UPPER_BOUND)
        return R_UPPER_BOUND;
    return R_ZERO;
}

/* Class of a byte inside a counted or NUL-terminated string's body (NUL = separator). */
ALWAYS_INLINE int body_cls(unsigned char x)
{
    int c = cls_nul[x];
    return c == C_END ? C_SEP : c;
}

/*
 * Where both tokenizers may start: the common prefix of a and b, backed off
 * to the start of the digit or letter run it ends in (that run may continue
 * differently). Every component before the returned offset is then complete
 * and identical on both sides, and a run starting there still sees the same
 * preceding byte (the letter-suffix rule). Sets *same for identical strings.
 */
ALWAYS_INLINE size_t restart_point(const unsigned char *a, const unsigned char *ae,
                                   const unsigned char *b, const unsigned char *be, int nul,
                                   int *same)
{
    size_t k = 0;
    if (nul) {
        while (a[k] == b[k] && a[k])
            k++;
        *same = a[k] == b[k];
    } else {
        size_t al = (size_t)(ae - a), bl = (size_t)(be - b), n = al < bl ? al : bl;
        while (k < n && a[k] == b[k])
            k++;
        *same = k == al && k == bl;
    }
    int c = k > 0 ? body_cls(a[k - 1]) : C_SEP;
    if (c != C_SEP)
        while (k > 0 && body_cls(a[k - 1]) == c)
            k--;
    return k;
}

/* The comparison loop, shared by the NUL-terminated and counted entry points. */
ALWAYS_INLINE int vercmp_impl(const unsigned char *a, const unsigned char *ae,
                              const unsigned char *b, const unsigned char *be, unsigned fa,
                              unsigned fb, int nul)
{
    /* P_IS_PATCH and ANY_IS_PATCH change how words rank: skip a common prefix only when
     * both sides agree on them (bound flags only change the padding after the end) */
    int same = 0;
    size_t k = 0;
    if (((fa ^ fb) & (PF_V_P_IS_PATCH | PF_V_ANY_IS_PATCH)) == 0) {
        k = restart_point(a, ae, b, be, nul, &same);
        if (same && fa == fb)
            return 0;
    }
    vtok ta = {a, a + k, ae, fa, filler_of(fa), 0};
    vtok tb = {b, b + k, be, fb, filler_of(fb), 0};
    vcomp ca = {0, NULL, 0, 0}, cb = {0, NULL, 0, 0};
    for (;;) {
        int ma = next_comp(&ta, &ca, nul);
        int mb = next_comp(&tb, &cb, nul);
        if (!ma && !mb)
            return 0;
        int r = comp_cmp(&ca, &cb);
        if (r)
            return r;
    }
}

/* Compare two NUL-terminated versions without flags. */
int pf_vercmp(const char *a, const char *b)
{
    return vercmp_impl((const unsigned char *)a, NULL, (const unsigned char *)b, NULL, 0, 0, 1);
}

/* Compare two NUL-terminated versions with per-argument flags. */
int pf_vercmp4(const char *a, const char *b, unsigned fa, unsigned fb)
{
    return vercmp_impl((const unsigned char *)a, NULL, (const unsigned char *)b, NULL, fa, fb, 1);
}

/* Compare two counted versions with per-argument flags; bytes past len are never read. */
int pf_vercmp_n(const char *a, size_t alen, const char *b, size_t blen, unsigned fa, unsigned fb)
{
    const unsigned char *ua = (const unsigned char *)(a ? a : "");
    const unsigned char *ub = (const unsigned char *)(b ? b : "");
    if (!a)
        alen = 0;
    if (!b)
        blen = 0;
    return vercmp_impl(ua, ua + alen, ub, ub + blen, fa, fb, 0);
}

/* Flag names accepted by pf_vflags_parse, with their bits. */
static const struct {
    const char *name;
    unsigned bit;
} vflag_names[] = {
    {"p_is_patch", PF_V_P_IS_PATCH},
    {"any_is_patch", PF_V_ANY_IS_PATCH},
    {"lower_bound", PF_V_LOWER_BOUND},
    {"upper_bound", PF_V_UPPER_BOUND},
};

/*
 * Parse "name,name,..." case-insensitively into *out. "-", "" and NULL mean
 * no flags. Empty items ("a,,b", trailing comma) and unknown names fail;
 * *out is only written on success.
 */
int pf_vflags_parse(const char *list, unsigned *out)
{
    unsigned flags = 0;
    if (!list || !*list || (list[0] == '-' && list[1] == '\0')) {
        *out = 0;
        return 0;
    }
    const char *s = list;
    for (;;) {
        const char *comma = strchr(s, ',');
        size_t n = comma ? (size_t)(comma - s) : strlen(s);
        size_t i;
        for (i = 0; i < sizeof vflag_names / sizeof vflag_names[0]; i++)
            if (strlen(vflag_names[i].name) == n && strncasecmp(s, vflag_names[i].name, n) == 0)
                break;
        if (i == sizeof vflag_names / sizeof vflag_names[0])
            return -1;
        flags |= vflag_names[i].bit;
        if (!comma)
            break;
        s = comma + 1;
    }
    *out = flags;
    return 0;
}
