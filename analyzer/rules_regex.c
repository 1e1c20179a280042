/*
 * rules_regex.c — the regexes of a ruleset (namepat, verpat, wwwpat,
 * categorypat): Python `re` source turned into PCRE2 source, checked when
 * the rules load, compiled on first use.
 *
 * Why lazy: the community ruleset holds 4,279 regexes; compiling them cost
 * ~35 ms of a load and JIT-compiling them as much again (plus the pages of
 * code), while an incremental analysis runs a few hundred of them. So the
 * load only converts and checks a pattern; its first match compiles (and
 * JIT-compiles) it.
 *
 * The check at load. A syntax error must still be reported by the load,
 * with the rule's file and line. pfr_regex_plain is a one-pass scan that
 * vouches for patterns written in a small subset of the syntax (literals,
 * `.`, `^`, `$`, `|`, groups and non-capturing groups, classes of literals
 * and ranges, \d \w \s and their negations, escaped punctuation, the
 * quantifiers * + ? {n} {n,} {n,m} with lazy or possessive suffixes) that
 * always compiles, within limits of length, nesting and repetition; 4,272
 * of the community ruleset's 4,279 patterns are in it (the other seven use
 * lookarounds). Any other pattern is compiled at load, which reports its
 * error, and that code (without JIT) is kept for the first use. tests/test_rules_regex.c holds the
 * scan to its promise on generated patterns: whatever it vouches for compiles.
 *
 * Thread safety: rules are applied from several threads at once
 * (analyzer/parallel.c). pfr_regex_code publishes a compiled code with one
 * compare-and-swap: two threads that meet an uncompiled regex may both
 * compile it, one of them wins, the other frees its copy and uses the
 * winner's. A published code is never changed again (pcre2_match on a
 * shared code is thread-safe), so readers need only an acquire load.
 */
#include "rules.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Options of every rule regex: Python's fullmatch, bytes, no Unicode. */
#define RX_OPTIONS (PCRE2_ANCHORED | PCRE2_ENDANCHORED)

/*
 * Python-re -> PCRE2 source: drop newlines, lower-case (ASCII) when asked,
 * and rewrite `{,n}` as `{0,n}` (PCRE2 10.42 reads `{,n}` literally).
 */
char *pfr_regex_convert(const char *pat, int lower)
{
    size_t n = strlen(pat);
    char *out = malloc(2 * n + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    int inclass = 0;
    for (size_t i = 0; i < n; i++) {
        char c = pat[i];
        if (c == '\n' || c == '\r')
            continue;
        if (c == '\\' && i + 1 < n) {
            out[o++] = c;
            c = pat[++i];
            out[o++] = lower ? (char)tolower((unsigned char)c) : c;
            continue;
        }
        if (inclass) {
            if (c == ']')
                inclass = 0;
        } else if (c == '[') {
            inclass = 1;
            if (pat[i + 1] == '^')
                out[o++] = c, c = pat[++i];
            if (pat[i + 1] == ']')
                out[o++] = c, c = pat[++i];
        } else if (c == '{' && pat[i + 1] == ',') {
            size_t j = i + 2;
            while (isdigit((unsigned char)pat[j]))
                j++;
            if (j > i + 2 && pat[j] == '}') {
                out[o++] = '{';
                out[o++] = '0';
                continue;
            }
        }
        out[o++] = lower ? (char)tolower((unsigned char)c) : c;
    }
    out[o] = '\0';
    return out;
}

/*
 * Limits of the plain subset, well inside PCRE2's own (nesting 250; 64 KiB
 * of compiled code with the default link size). COST_* are generous upper
 * bounds of the compiled bytes of one item (a class is a 32-byte bitmap);
 * a counted repeat of a group copies the group, so its cost multiplies.
 */
enum {
    PLAIN_MAX_LEN = 16384,
    PLAIN_MAX_DEPTH = 32,
    PLAIN_MAX_REPEAT = 1000,
    PLAIN_MAX_COST = 24576,
    COST_ITEM = 4,
    COST_CLASS = 40,
    COST_QUANT = 8,
    COST_GROUP = 16
};

/*
 * An escape at s[0] == '\\' the plain subset allows: escaped ASCII
 * punctuation or space (a literal), or \d \D \w \W \s \S (a type). Returns
 * the literal byte, 256 for a type, -1 for anything else (\b, \1, \x, ...).
 */
static int plain_escape(const char *s)
{
    unsigned char e = (unsigned char)s[1];
    if (e == 0 || e >= 0x80 || iscntrl(e))
        return -1;
    if (isalnum(e))
        return strchr("dDwWsS", e) ? 256 : -1;
    return e;
}

/* Index just past a plain character class opening at s[i] == '[', or 0 when it is not plain. */
static size_t plain_class(const char *s, size_t i)
{
    size_t j = i + 1;
    if (s[j] == '^')
        j++;
    if (s[j] == ':' || s[j] == '.' || s[j] == '=') {
        /* [:alpha:], [.a.], [=a=] outside a class are errors to PCRE2: refuse
         * when the first ']' comes right after the opening character again */
        size_t k = j + 1;
        while (s[k] && s[k] != ']')
            k += s[k] == '\\' && s[k + 1] ? 2 : 1;
        if (s[k] && s[k - 1] == s[j])
            return 0;
    }
    for (int first = 1; s[j] && (s[j] != ']' || first);
         first = 0) { /* a leading ']' is a literal */
        int lo;
        if (s[j] == '[') /* [:alpha:] and friends, or a literal '[': left to PCRE2 */
            return 0;
        if (s[j] == '\\') {
            if ((lo = plain_escape(s + j)) < 0)
                return 0;
            j += 2;
        } else {
            lo = (unsigned char)s[j++];
        }
        if (s[j] == '-' && s[j + 1] && s[j + 1] != ']') { /* a range lo-hi */
            int hi;
            j++;
            if (lo == 256 || s[j] == '[')
                return 0;
            if (s[j] == '\\') {
                if ((hi = plain_escape(s + j)) < 0 || hi == 256)
                    return 0;
                j += 2;
            } else {
                hi = (unsigned char)s[j++];
            }
            if (hi < lo)
                return 0;
        }
    }
    return s[j] == ']' ? j + 1 : 0;
}

/* Index just past a plain counted quantifier {n}, {n,}, {n,m} at s[i] == '{', or 0. */
static size_t plain_braces(const char *s, size_t i)
{
    size_t j = i + 1;
    long lo = 0, hi;
    if (!isdigit((unsigned char)s[j]))
        return 0;
    while (isdigit((unsigned char)s[j]) && lo <= PLAIN_MAX_REPEAT)
        lo = lo * 10 + (s[j++] - '0');
    hi = lo;
    if (s[j] == ',') {
        j++;
        hi = PLAIN_MAX_REPEAT;
        if (isdigit((unsigned char)s[j])) {
            hi = 0;
            while (isdigit((unsigned char)s[j]) && hi <= PLAIN_MAX_REPEAT)
                hi = hi * 10 + (s[j++] - '0');
        }
    }
    if (s[j] != '}' || lo > PLAIN_MAX_REPEAT || hi > PLAIN_MAX_REPEAT || hi < lo)
        return 0;
    return j + 1;
}

/* The repeat count {n}, {n,} or {n,m} at s[i] == '{' copies a group: how many copies. */
static size_t brace_copies(const char *s, size_t i)
{
    long lo = strtol(s + i + 1, NULL, 10);
    const char *comma = strchr(s + i, ',');
    const char *end = strchr(s + i, '}');
    if (!comma || comma > end)
        return (size_t)lo;
    long hi = isdigit((unsigned char)comma[1]) ? strtol(comma + 1, NULL, 10) : lo + 1;
    return (size_t)(hi > lo ? hi : lo);
}

/* s is in the plain subset (see the file comment), so pcre2_compile accepts it. */
bool pfr_regex_plain(const char *s)
{
    /* atom: what came last can take a quantifier (0 no, 1 a single item, 2 a
     * group); cost[d]: estimated compiled bytes at nesting depth d so far */
    size_t cost[PLAIN_MAX_DEPTH + 1], group = 0;
    int depth = 0, atom = 0;
    size_t n = strlen(s);
    if (n > PLAIN_MAX_LEN)
        return false;
    cost[0] = 0;
    for (size_t i = 0; i < n;) {
        char c = s[i];
        size_t j;
        switch (c) {
        case '\\':
            if (plain_escape(s + i) < 0)
                return false;
            i += 2;
            atom = 1;
            cost[depth] += COST_ITEM;
            break;
        case '[':
            if (!(j = plain_class(s, i)))
                return false;
            i = j;
            atom = 1;
            cost[depth] += COST_CLASS;
            break;
        case '(':
            if (s[i + 1] == '?' && s[i + 2] != ':')
                return false; /* lookaround, inline options, named groups, ... */
            i += s[i + 1] == '?' ? 3 : 1;
            if (++depth > PLAIN_MAX_DEPTH)
                return false;
            cost[depth] = COST_GROUP;
            atom = 0;
            break;
        case ')':
            if (depth == 0)
                return false;
            group = cost[depth--];
            cost[depth] += group;
            i++;
            atom = 2;
            break;
        case '*':
        case '+':
        case '?':
        case '{':
            if (!atom) /* a quantifier needs something repeatable before it */
                return false;
            if (c == '{') {
                if (!(j = plain_braces(s, i)))
                    return false;
                if (atom == 2) /* the group is copied: once already counted */
                    cost[depth] += group * brace_copies(s, i);
                i = j;
            } else {
                i++;
            }
            if (s[i] == '?' || s[i] == '+')
                i++;
            atom = 0;
            cost[depth] += COST_QUANT;
            break;
        case '|':
        case '^':
        case '$':
            i++;
            atom = 0;
            cost[depth] += COST_ITEM;
            break;
        default: /* '.', literals, and ']' '}' standing alone (literals to PCRE2) */
            if ((unsigned char)c < 0x20 || c == 0x7f)
                return false;
            i++;
            atom = 1;
            cost[depth] += COST_ITEM;
            break;
        }
        if (cost[depth] > PLAIN_MAX_COST)
            return false;
    }
    return depth == 0;
}

/* Compile src with the rule options; NULL with *errcode and *erroff set on failure. */
static pcre2_code *rx_compile(const char *src, int *errcode, PCRE2_SIZE *erroff)
{
    return pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED, RX_OPTIONS, errcode, erroff, NULL);
}

/* Set rx up uncompiled, checking src: the scan, or a compile (kept) when it cannot vouch. */
int pfr_regex_init(pfr_regex *rx, const char *src, bool jit, char *err, size_t errlen)
{
    rx->src = src;
    rx->jit = jit;
    rx->checked = NULL;
    atomic_init(&rx->code, NULL);
    if (pfr_regex_plain(src))
        return 0;
    int errcode;
    PCRE2_SIZE erroff;
    rx->checked = rx_compile(src, &errcode, &erroff);
    if (!rx->checked) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(errcode, msg, sizeof msg);
        snprintf(err, errlen, "%s at offset %zu", (const char *)msg, (size_t)erroff);
        return -1;
    }
    return 0;
}

/* The compiled code, compiled (and published) by the first caller; NULL when out of memory. */
const pcre2_code *pfr_regex_code(pfr_regex *rx)
{
    /* Fast path: already published. */
    pcre2_code *code = atomic_load_explicit(&rx->code, memory_order_acquire);
    if (code)
        return code;
    if (rx->checked) {
        code = pcre2_code_copy(rx->checked); /* this thread's own, until published */
    } else {
        int errcode;
        PCRE2_SIZE erroff;
        code = rx_compile(rx->src, &errcode, &erroff);
    }
    if (!code)
        return NULL; /* out of memory: the load checked the syntax */
    if (rx->jit)
        (void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE); /* else the interpreter runs it */
    pcre2_code *expected = NULL;
    if (!atomic_compare_exchange_strong_explicit(&rx->code, &expected, code, memory_order_acq_rel,
                                                 memory_order_acquire)) {
        pcre2_code_free(code); /* another thread published first */
        return expected;
    }
    return code;
}

/* rx has been compiled (by some thread): for the tests. */
bool pfr_regex_compiled(pfr_regex *rx)
{
    return atomic_load_explicit(&rx->code, memory_order_acquire) != NULL;
}

/* Free the codes rx holds (rx itself lives in the arena). */
void pfr_regex_free(pfr_regex *rx)
{
    pcre2_code_free(atomic_load_explicit(&rx->code, memory_order_relaxed));
    pcre2_code_free(rx->checked);
    atomic_store_explicit(&rx->code, NULL, memory_order_relaxed);
    rx->checked = NULL;
}
