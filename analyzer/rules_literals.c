/*
 * rules_literals.c — what a namepat says about the names it can match,
 * found without running it: the literals the rule index (rules_load.c) files
 * a nameless rule under, and the cheap pre-filters rules_apply.c tries
 * before the regex.
 *
 * Both analyses read PCRE2 source as pfr_regex_convert leaves it, matched
 * as a full match (ANCHORED | ENDANCHORED, no caseless option), and are
 * conservative: syntax they do not know gives "nothing known", never a
 * literal a matching name could lack.
 *
 * pfr_pattern_literals: the literal prefix and the longest literal of the
 * pattern's top level (groups are opaque).
 *
 * pfr_pattern_prefixes: the set of strings (2..PFR_PREFIX_LEN bytes) one
 * of which starts every matching name, through groups, alternations and
 * optional parts: `(?:plasma-applet-|plasmoid-)(.+)` gives {plas},
 * `(zeromq|zmq|libzmq)[0-9.-]*` gives {zero, zmq, libz}. A small
 * recursive-descent parser computes for every node the set of its matches'
 * first bytes, each string marked "whole" when it is the node's entire
 * match (so a sequence can go on appending to it). Sets are capped: past
 * the cap, strings are shortened (a prefix of a prefix is still one)
 * until they fit. A set holding a string shorter than 2 bytes is useless
 * to the index, and the analysis says so.
 */
#include "rules.h"

#include <ctype.h>
#include <string.h>

/* Index just past the character class that opens at pat[i] == '['. */
static size_t skip_class(const char *pat, size_t i)
{
    i++;
    if (pat[i] == '^')
        i++;
    if (pat[i] == ']')
        i++;
    while (pat[i] && pat[i] != ']')
        i += (pat[i] == '\\' && pat[i + 1]) ? 2 : 1;
    return pat[i] ? i + 1 : i;
}

/* Index just past the group that opens at pat[i] == '(' (or strlen on imbalance). */
static size_t skip_group(const char *pat, size_t i)
{
    int depth = 0;
    while (pat[i]) {
        char c = pat[i];
        if (c == '\\' && pat[i + 1]) {
            i += 2;
            continue;
        }
        if (c == '[') {
            i = skip_class(pat, i);
            continue;
        }
        if (c == '(')
            depth++;
        else if (c == ')' && --depth == 0)
            return i + 1;
        i++;
    }
    return i;
}

/* Index just past a quantifier at pat[i] (with lazy/possessive suffix), i if none. */
static size_t skip_quant(const char *pat, size_t i)
{
    if (pat[i] == '?' || pat[i] == '*' || pat[i] == '+') {
        i++;
    } else if (pat[i] == '{') {
        const char *e = strchr(pat + i, '}');
        i = e ? (size_t)(e - pat) + 1 : strlen(pat);
    } else {
        return i;
    }
    if (pat[i] == '?' || pat[i] == '+')
        i++;
    return i;
}

void pfr_pattern_literals(const char *pat, char *prefix, size_t *plen, char *lit, size_t *llen)
{
    *plen = *llen = 0;
    prefix[0] = lit[0] = '\0';
    /* Bail out on syntax that changes what a literal means: inline flags,
     * \Q..\E, and alternation at the top level. */
    if (strstr(pat, "\\Q"))
        return;
    for (const char *q = strstr(pat, "(?"); q; q = strstr(q + 2, "(?"))
        if (strchr("aiLmsux-^", q[2]) && q[2])
            return;
    for (size_t i = 0; pat[i];) {
        if (pat[i] == '\\' && pat[i + 1])
            i += 2;
        else if (pat[i] == '(' || pat[i] == '[')
            i = pat[i] == '(' ? skip_group(pat, i) : skip_class(pat, i);
        else if (pat[i] == '|')
            return;
        else
            i++;
    }
    char run[1024];
    size_t rn = 0;
    int at_start = 1;
    size_t i = 0;
    for (;;) {
        int literal = 0;
        char c = 0;
        size_t next = i;
        if (!pat[i]) {
            literal = -1; /* end */
        } else if (pat[i] == '\\') {
            if (pat[i + 1] && !isalnum((unsigned char)pat[i + 1])) {
                literal = 1;
                c = pat[i + 1];
            }
            next = pat[i + 1] ? i + 2 : i + 1;
        } else if (strchr("^$.|?*+)]{}", pat[i])) {
            next = i + 1;
        } else if (pat[i] == '(' || pat[i] == '[') {
            next = pat[i] == '(' ? skip_group(pat, i) : skip_class(pat, i);
        } else {
            literal = 1;
            c = pat[i];
            next = i + 1;
        }
        char q = literal >= 0 ? pat[next] : 0;
        int optional = literal == 1 && (q == '?' || q == '*' || q == '{');
        if (literal == 1 && !optional && rn < sizeof run)
            run[rn++] = c;
        if (literal != 1 || optional || q == '+') {
            /* The run ends here: record it as prefix and/or longest literal. */
            if (at_start) {
                memcpy(prefix, run, rn);
                prefix[rn] = '\0';
                *plen = rn;
                at_start = 0;
            }
            if (rn > *llen) {
                memcpy(lit, run, rn);
                lit[rn] = '\0';
                *llen = rn;
            }
            rn = 0;
        }
        if (literal == -1)
            break;
        i = literal >= 0 ? skip_quant(pat, next) : next;
    }
}

/* ---------------------------------------------------------------- prefix sets */

enum { PSET_CAP = PFR_PREFIXES_MAX, PDEPTH_MAX = 32 };

/* A string of a node's prefix set: s[0..len), `whole` when it is the entire match. */
typedef struct pitem {
    char s[PFR_PREFIX_LEN];
    uint8_t len, whole;
} pitem;

/* A prefix set: every match of the node starts with one of v[0..n); no string
 * is longer than lim (lowered when the set overflows). */
typedef struct pset {
    size_t n;
    uint8_t lim;
    pitem v[PSET_CAP];
} pset;

/* The parser: the pattern, the position, and whether it met unknown syntax. */
typedef struct pparse {
    const char *pat;
    size_t i;
    int bad, depth;
} pparse;

/* The set {""} — whole when the node matches only the empty string. */
static void pset_empty(pset *a, int whole)
{
    a->n = 1;
    a->lim = PFR_PREFIX_LEN;
    a->v[0] = (pitem){.len = 0, .whole = (uint8_t)whole};
}

/* Shorten every string to lim-1 bytes (no longer whole) and drop duplicates:
 * every match still starts with one of them, and the set shrinks. */
static void pset_shrink(pset *a)
{
    a->lim--;
    size_t n = 0;
    for (size_t i = 0; i < a->n; i++) {
        pitem x = a->v[i];
        if (x.len > a->lim)
            x.len = a->lim, x.whole = 0;
        size_t j = 0;
        while (j < n && !(a->v[j].len == x.len && a->v[j].whole == x.whole &&
                          memcmp(a->v[j].s, x.s, x.len) == 0))
            j++;
        if (j == n)
            a->v[n++] = x;
    }
    a->n = n;
}

/* Add s[0..len) (whole or not), cut to the set's limit, unless present. */
static void pset_add(pset *a, const char *s, size_t len, int whole)
{
    for (;;) {
        pitem x = {.len = 0, .whole = (uint8_t)whole};
        if (len > a->lim)
            len = a->lim, x.whole = 0;
        memcpy(x.s, s, len);
        x.len = (uint8_t)len;
        for (size_t j = 0; j < a->n; j++)
            if (a->v[j].len == x.len && a->v[j].whole == x.whole &&
                memcmp(a->v[j].s, x.s, len) == 0)
                return;
        if (a->n < PSET_CAP) {
            a->v[a->n++] = x;
            return;
        }
        pset_shrink(a); /* lim >= 1 here: at lim 0 the set has at most 2 strings */
    }
}

/* No string is the whole match any more (the node goes on: X*, X+, X{2,}). */
static void pset_open(pset *a)
{
    pset b = {.n = 0, .lim = PFR_PREFIX_LEN};
    for (size_t i = 0; i < a->n; i++)
        pset_add(&b, a->v[i].s, a->v[i].len, 0);
    *a = b;
}

/* a := a followed by b: whole strings of a are extended by each string of b. */
static void pset_cat(pset *a, const pset *b)
{
    pset r = {.n = 0, .lim = PFR_PREFIX_LEN};
    for (size_t i = 0; i < a->n; i++) {
        const pitem *x = &a->v[i];
        if (!x->whole) {
            pset_add(&r, x->s, x->len, 0);
            continue;
        }
        for (size_t j = 0; j < b->n; j++) {
            const pitem *y = &b->v[j];
            char s[2 * PFR_PREFIX_LEN];
            memcpy(s, x->s, x->len);
            memcpy(s + x->len, y->s, y->len);
            size_t n = (size_t)x->len + y->len;
            pset_add(&r, s, n > PFR_PREFIX_LEN ? PFR_PREFIX_LEN : n,
                     y->whole && n <= PFR_PREFIX_LEN);
        }
    }
    *a = r;
}

/* a := a or b. */
static void pset_union(pset *a, const pset *b)
{
    for (size_t j = 0; j < b->n; j++)
        pset_add(a, b->v[j].s, b->v[j].len, b->v[j].whole);
}

static void p_alt(pparse *P, pset *out);

/* A class [...] at P->i: skipped; POSIX [:name:] inside is unknown syntax. */
static void p_class(pparse *P)
{
    const char *pat = P->pat;
    size_t i = P->i + 1;
    if (pat[i] == '^')
        i++;
    if (pat[i] == ']')
        i++;
    while (pat[i] && pat[i] != ']') {
        if (pat[i] == '[' && (pat[i + 1] == ':' || pat[i + 1] == '.' || pat[i + 1] == '='))
            P->bad = 1;
        i += (pat[i] == '\\' && pat[i + 1]) ? 2 : 1;
    }
    if (!pat[i])
        P->bad = 1;
    P->i = i + 1;
}

/* A group at P->i == '(': plain, non-capturing, named or a lookaround. */
static void p_group(pparse *P, pset *a)
{
    const char *pat = P->pat;
    size_t i = P->i + 1;
    int look = 0;
    if (pat[i] == '?') {
        if (pat[i + 1] == ':') {
            i += 2;
        } else if (pat[i + 1] == '=' || pat[i + 1] == '!') {
            i += 2, look = 1;
        } else if (pat[i + 1] == '<' && (pat[i + 2] == '=' || pat[i + 2] == '!')) {
            i += 3, look = 1;
        } else if ((pat[i + 1] == '<' || (pat[i + 1] == 'P' && pat[i + 2] == '<'))) {
            i += pat[i + 1] == 'P' ? 3 : 2;
            if (!isalpha((unsigned char)pat[i]) && pat[i] != '_') {
                P->bad = 1;
                return;
            }
            while (isalnum((unsigned char)pat[i]) || pat[i] == '_')
                i++;
            if (pat[i] != '>') {
                P->bad = 1;
                return;
            }
            i++;
        } else {
            P->bad = 1; /* inline flags, atomic groups, conditionals, comments ... */
            return;
        }
    }
    if (++P->depth > PDEPTH_MAX) {
        P->bad = 1;
        return;
    }
    P->i = i;
    p_alt(P, a);
    P->depth--;
    if (P->bad || pat[P->i] != ')') {
        P->bad = 1;
        return;
    }
    P->i++;
    if (look) /* matches no byte of its own: it only narrows what matches */
        pset_empty(a, 1);
}

/* The set {c}: a node matching exactly the byte c. */
static void pset_byte(pset *a, char c)
{
    a->n = 1;
    a->lim = PFR_PREFIX_LEN;
    a->v[0] = (pitem){.s = {c}, .len = 1, .whole = 1};
}

/* One atom at P->i into a. */
static void p_atom(pparse *P, pset *a)
{
    const char *pat = P->pat;
    char c = pat[P->i];
    if (c == '\\') {
        char e = pat[P->i + 1];
        P->i += e ? 2 : 1;
        if (!e) {
            P->bad = 1;
        } else if (!isalnum((unsigned char)e)) {
            pset_byte(a, e);
        } else if (strchr("dDwWsS", e)) {
            pset_empty(a, 0);
        } else if (strchr("bBAZzG", e)) {
            pset_empty(a, 1);
        } else {
            P->bad = 1; /* \x.., \Q, back-references, properties: not followed */
        }
    } else if (c == '.') {
        P->i++;
        pset_empty(a, 0);
    } else if (c == '[') {
        p_class(P);
        pset_empty(a, 0);
    } else if (c == '(') {
        p_group(P, a);
    } else if (c == '^' || c == '$') {
        P->i++;
        pset_empty(a, 1);
    } else if (strchr("*+?{}])", c)) {
        P->bad = 1;
    } else {
        P->i++;
        pset_byte(a, c);
    }
}

/* Read a decimal at P->i (digits only); -1 when there is none. */
static long p_number(pparse *P)
{
    if (!isdigit((unsigned char)P->pat[P->i]))
        return -1;
    long v = 0;
    while (isdigit((unsigned char)P->pat[P->i])) {
        if (v < 100000)
            v = v * 10 + (P->pat[P->i] - '0');
        P->i++;
    }
    return v;
}

/* A quantifier after an atom (with its lazy/possessive suffix), applied to a. */
static void p_quant(pparse *P, pset *a)
{
    const char *pat = P->pat;
    long lo, hi;
    char c = pat[P->i];
    if (c == '?') {
        lo = 0, hi = 1;
        P->i++;
    } else if (c == '*' || c == '+') {
        lo = c == '+', hi = -1;
        P->i++;
    } else if (c == '{') {
        P->i++;
        lo = p_number(P);
        hi = lo;
        if (pat[P->i] == ',') {
            P->i++;
            hi = pat[P->i] == '}' ? -1 : p_number(P);
            if (hi == -1 && pat[P->i] != '}')
                lo = -1;
        }
        if (lo < 0 || pat[P->i] != '}') {
            P->bad = 1; /* not a quantifier we know */
            return;
        }
        P->i++;
    } else {
        return;
    }
    if (pat[P->i] == '?' || pat[P->i] == '+')
        P->i++;
    if (hi == 0) {
        pset_empty(a, 1);
        return;
    }
    if (hi != 1)
        pset_open(a);
    if (lo == 0) {
        pset e;
        pset_empty(&e, 1);
        pset_union(a, &e);
    }
}

/* A sequence of quantified atoms, up to '|', ')' or the end. */
static void p_seq(pparse *P, pset *out)
{
    pset_empty(out, 1);
    while (!P->bad && P->pat[P->i] && P->pat[P->i] != '|' && P->pat[P->i] != ')') {
        pset a;
        p_atom(P, &a);
        if (P->bad)
            return;
        p_quant(P, &a);
        if (P->bad)
            return;
        pset_cat(out, &a);
    }
}

/* Alternatives of sequences, up to ')' or the end. */
static void p_alt(pparse *P, pset *out)
{
    p_seq(P, out);
    while (!P->bad && P->pat[P->i] == '|') {
        P->i++;
        pset b;
        p_seq(P, &b);
        if (!P->bad)
            pset_union(out, &b);
    }
}

int pfr_pattern_prefixes(const char *pat, pfr_prefixes *out)
{
    out->n = 0;
    pparse P = {.pat = pat};
    pset s;
    p_alt(&P, &s);
    if (P.bad || pat[P.i])
        return -1;
    for (size_t i = 0; i < s.n; i++) {
        if (s.v[i].len < 2)
            return -1;
        size_t j = 0;
        while (j < out->n &&
               !(out->len[j] == s.v[i].len && memcmp(out->s[j], s.v[i].s, s.v[i].len) == 0))
            j++;
        if (j < out->n)
            continue;
        memcpy(out->s[j], s.v[i].s, s.v[i].len);
        out->len[j] = s.v[i].len;
        out->n++;
    }
    return 0;
}
