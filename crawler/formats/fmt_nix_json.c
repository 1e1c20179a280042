/*
 * fmt_nix_json.c — nixpkgs packages.json (version 2) parser.
 *
 * Layout: {"version":2,"packages":{"<attr.path>":{"name","pname","version",
 * "system","meta":{...}}, ...}}. The document is 50-150 MB of one-line JSON,
 * so it is never loaded whole: jsonstream hands out one "packages" member at
 * a time (as the text {"<attr.path>":{...}}) and the few fields a record
 * needs are read straight from that text, without building a tree (memory
 * is bounded by the largest entry, a few KB).
 *
 * Mapping (docs/formats.md):
 *   srcname     the attribute path (unique key of the entry; what
 *               `nix-env -iA` takes and Repology's srcname)
 *   binnames    pname, the project seed the name rules see (Repology's
 *               visiblename and projectname_seed); without pname, `name`
 *               split lazily at the first "-<digit>" ((.+?)-([0-9].*));
 *               records whose name does not split are dropped
 *   version     `version` when present, else the split's version part;
 *               records with an empty version are dropped
 *   flags       UNTRUSTED when meta.position is absent (as Repology's
 *               parser: a package nixpkgs cannot place in its tree)
 *   dropped     what Repology's parser drops (pf_nix_dropped: garbage
 *               names, name parts that leaked into the version)
 *   category    the attribute path before its first '.' (python38Packages),
 *               NULL for top-level attributes
 *   summary     meta.description, newlines turned into spaces, trimmed
 *   homepage    meta.homepage (string, or the first string of a list)
 *   license     meta.license: string, object (spdxId, else fullName/fullname)
 *               or a list of those (nested up to depth 4), joined with ", "
 *   maintainers meta.maintainers[]: object email (lower-cased), else
 *               "<github>@github"; old "Name <email>" strings: the address
 * Version flags are left to pf_normalize_nix (analyzer/normalize_nix.c).
 *
 * An entry is read in two passes over its text:
 *   1. nx_scan walks the structure. Only the kept members are checked
 *      strictly: the attribute key, the package's name/pname/version and
 *      meta's description/homepage/license/maintainers, chosen by their raw
 *      name (an escaped name such as "n\u0061me" is not kept). Their values
 *      are validated exactly as jansson 2.14 (json_loadb, flags 0) would
 *      (jv_* below: escapes, \u surrogate pairs, UTF-8, \u0000 refused,
 *      number grammar and long long / double overflow, literals, commas and
 *      brackets), and where each value starts is noted. A later duplicate
 *      wins (jansson's rule for duplicate keys), a later "meta" object
 *      replaces an earlier one whole, and a "meta" that is not an object
 *      is ignored. Every other member is skipped by bracket matching only:
 *      the splitter already checked its strings and brackets, so a bad
 *      literal there (`"platforms":[tru]`) goes unnoticed. A skipped
 *      object or array the splitter measured (pf_js_entry.spans, e.g.
 *      meta.platforms) is jumped over without being scanned again.
 *   2. nx_entry decodes the noted values (each string at most once) and
 *      builds the record.
 * An entry the scan refuses (a kept value jansson rejects, or a shape other
 * than {"<attr>":{...}}) is handed to jansson whole: jansson then reports
 * the error and its position (fatal), or accepts it, which for text the
 * scan refuses means the package value is valid JSON but not an object:
 * the entry is skipped.
 *
 * This is exactly what the former parser did by handing jansson a filtered
 * copy of each entry; tests/support/nix_json_ref.c keeps that parser as the
 * oracle of tests/test_nix_json.c and fuzz/fuzz_nix_json.c, which require
 * the same records, counters and errors.
 *
 * Errors: a malformed document (structure, truncation, a kept value jansson
 * rejects, bad UTF-8 there) is fatal with the byte offset; an entry whose
 * fields have the wrong types or lack a usable name/version is skipped and
 * counted.
 */
#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkgfresh/format.h"
#include "pkgfresh/grow.h"
#include "pkgfresh/jsonstream.h"

/*
 * A growable byte buffer, owned by the parse and reused for every entry.
 * Two are used (see nx_entry): b for the lists built by appending (values
 * NUL-terminated and referred to by offset while it may still grow), v for
 * the decoded strings (room reserved up front, so pointers into it stay
 * valid until the next entry).
 */
typedef struct nix_buf {
    char *p;
    size_t len, cap;
} nix_buf;

/* Make room for n more bytes. 0 ok, -1 out of memory. */
static int nb_reserve(nix_buf *b, size_t n)
{
    return pf_grow(&b->p, &b->cap, b->len, n);
}

/* Append n bytes (no NUL, but room for one is kept). 0 ok, -1 out of memory. */
static int nb_add(nix_buf *b, const char *s, size_t n)
{
    if (nb_reserve(b, n + 1) != 0)
        return -1;
    memcpy(b->p + b->len, s, n);
    b->len += n;
    return 0;
}

/* Terminate the current value with its NUL. 0 ok, -1 out of memory. */
static int nb_end(nix_buf *b)
{
    return nb_add(b, "", 1);
}

/* ---- loose scanning: the structure the splitter already checked ---------- */

/* Skip JSON whitespace in s[i..n). */
static size_t nf_ws(const char *s, size_t n, size_t i)
{
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        i++;
    return i;
}

/*
 * Index after the string starting at s[i] == '"', or 0 when unterminated. A
 * backslash hides the byte after it; nothing else is checked.
 */
static size_t nf_string(const char *s, size_t n, size_t i)
{
    const unsigned char *u = (const unsigned char *)s, *p = u + i + 1, *end = u + n;
    for (;;) {
        p = pf_js_plain_end(p, end, 0);
        if (p == end || (*p == '\\' && end - p < 2))
            return 0;
        if (*p == '"')
            return (size_t)(p - u) + 1;
        p += *p == '\\' ? 2 : 1; /* an escape pair, or a control byte: plain here */
    }
}

/*
 * Index after the value starting at s[i], or 0 when it is malformed. Only
 * strings and bracket depth are followed (the bracket kinds are not
 * matched); a scalar runs to the next ',', '}', ']' or whitespace.
 */
static size_t nf_value(const char *s, size_t n, size_t i)
{
    if (i >= n)
        return 0;
    if (s[i] == '"')
        return nf_string(s, n, i);
    if (s[i] == '{' || s[i] == '[') {
        size_t depth = 0;
        while (i < n) {
            char c = s[i];
            if (c == '"') {
                i = nf_string(s, n, i);
                if (i == 0)
                    return 0;
                continue;
            }
            if (c == '{' || c == '[')
                depth++;
            else if ((c == '}' || c == ']') && --depth == 0)
                return i + 1;
            i++;
            while (i < n && s[i] != '"' && s[i] != '{' && s[i] != '[' && s[i] != '}' && s[i] != ']')
                i++;
        }
        return 0;
    }
    size_t start = i;
    while (i < n && s[i] != ',' && s[i] != '}' && s[i] != ']' && s[i] != ' ' && s[i] != '\n' &&
           s[i] != '\t' && s[i] != '\r')
        i++;
    return i > start ? i : 0;
}

/* ---- strict checking of kept values: jansson 2.14's rules (src/load.c) ---- */

/* The code unit of the 4 hex digits at s[i..i+4), -1 when short or not hex. */
static long jv_hex4(const char *s, size_t n, size_t i)
{
    if (i > n || n - i < 4)
        return -1;
    long v = 0;
    for (size_t k = i; k < i + 4; k++) {
        unsigned char c = (unsigned char)s[k];
        int d = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (d < 0)
            return -1;
        v = v << 4 | d;
    }
    return v;
}

/* Write code point cp (valid, not a surrogate) as UTF-8 to out; returns its length. */
static size_t jv_utf8(unsigned long cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | cp >> 12);
        out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | cp >> 18);
    out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/*
 * The JSON string starting at s[i] == '"', checked as jansson checks it:
 * only the escapes \" \\ \/ \b \f \n \r \t \uXXXX; a \u surrogate only as
 * a high+low pair; \u0000 refused (jansson refuses it in values without
 * JSON_ALLOW_NUL and in keys always); raw bytes valid UTF-8 (no overlong
 * form, surrogate or code point above U+10FFFF) and no control byte.
 * Returns the index after the closing quote, 0 when jansson would reject
 * the string or it is unterminated. When out is not NULL the decoded bytes
 * (no NUL) are written there and their count to *outlen; they are never
 * more than the raw bytes between the quotes.
 */
static size_t jv_string(const char *s, size_t n, size_t i, char *out, size_t *outlen)
{
    static const char esc_from[] = "\"\\/bfnrt", esc_to[] = "\"\\/\b\f\n\r\t";
    const unsigned char *u = (const unsigned char *)s;
    size_t o = 0;
    for (i++; i < n;) {
        /* A run of printable ASCII other than '"' and '\\' is taken as is. */
        size_t run = (size_t)(pf_js_plain_end(u + i, u + n, 1) - (u + i));
        if (out)
            memcpy(out + o, s + i, run);
        o += run;
        i += run;
        if (i >= n)
            break;
        unsigned char c = u[i];
        if (c == '"') {
            if (outlen)
                *outlen = o;
            return i + 1;
        } else if (c < 0x20) {
            return 0;
        } else if (c == '\\') {
            const char *e = i + 1 < n && s[i + 1] ? strchr(esc_from, s[i + 1]) : NULL;
            if (e) {
                if (out)
                    out[o] = esc_to[e - esc_from];
                o++;
                i += 2;
                continue;
            }
            if (i + 1 >= n || s[i + 1] != 'u')
                return 0;
            long cp = jv_hex4(s, n, i + 2);
            i += 6;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                long lo = i + 1 < n && s[i] == '\\' && s[i + 1] == 'u' ? jv_hex4(s, n, i + 2) : -1;
                if (lo < 0xDC00 || lo > 0xDFFF)
                    return 0;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                i += 6;
            } else if (cp <= 0 || (cp >= 0xDC00 && cp <= 0xDFFF)) {
                return 0; /* not hex, \u0000, or a lone low surrogate */
            }
            char tmp[4];
            o += jv_utf8((unsigned long)cp, out ? out + o : tmp);
        } else {
            /* A UTF-8 sequence: lead byte, continuation bytes, range. */
            size_t len = c >= 0xC2 && c <= 0xDF   ? 2
                         : c >= 0xE0 && c <= 0xEF ? 3
                         : c >= 0xF0 && c <= 0xF4 ? 4
                                                  : 0;
            if (len == 0 || n - i < len)
                return 0;
            unsigned long cp = c & (len == 2 ? 0x1Fu : len == 3 ? 0x0Fu : 0x07u);
            for (size_t k = 1; k < len; k++) {
                if (u[i + k] < 0x80 || u[i + k] > 0xBF)
                    return 0;
                cp = cp << 6 | (u[i + k] & 0x3Fu);
            }
            if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || (len == 3 && cp < 0x800) ||
                (len == 4 && cp < 0x10000))
                return 0;
            if (out)
                memcpy(out + o, s + i, len);
            o += len;
            i += len;
        }
    }
    return 0;
}

/*
 * Index after the JSON number at s[i], or 0 when jansson would reject it:
 * the grammar -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?, and without
 * fraction or exponent a value that fits a long long (strtoll), else one
 * that does not overflow a double (strtod giving +-HUGE_VAL; underflow is
 * fine). What follows the number is the caller's business.
 */
static size_t jv_number(const char *s, size_t n, size_t i)
{
    size_t a = i;
    int real = 0;
    if (i < n && s[i] == '-')
        i++;
    if (i < n && s[i] == '0')
        i++;
    else if (i < n && s[i] >= '1' && s[i] <= '9')
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
    else
        return 0;
    if (i < n && s[i] >= '0' && s[i] <= '9')
        return 0; /* a leading zero followed by digits */
    if (i < n && s[i] == '.') {
        real = 1;
        if (++i >= n || s[i] < '0' || s[i] > '9')
            return 0;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        real = 1;
        if (++i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        if (i >= n || s[i] < '0' || s[i] > '9')
            return 0;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
    }
    /* The range check needs the text NUL-terminated: copy it (rarely long). */
    char small[64], *t = i - a < sizeof small ? small : malloc(i - a + 1);
    if (!t)
        return 0; /* out of memory: jansson gets the entry and decides */
    memcpy(t, s + a, i - a);
    t[i - a] = '\0';
    errno = 0;
    int bad;
    if (real) {
        double d = strtod(t, NULL);
        bad = errno == ERANGE && (d == HUGE_VAL || d == -HUGE_VAL);
    } else {
        (void)strtoll(t, NULL, 10);
        bad = errno == ERANGE;
    }
    if (t != small)
        free(t);
    return bad ? 0 : i;
}

/*
 * Index after the JSON value at s[i] (no whitespace before it), checked as
 * jansson checks a value, or 0 when jansson would reject it. Recursion is
 * bounded by the splitter's nesting limit (PF_JS_MAX_DEPTH).
 */
static size_t jv_value(const char *s, size_t n, size_t i)
{
    static const char *const lit[] = {"true", "false", "null"};
    if (i >= n)
        return 0;
    char c = s[i];
    if (c == '"')
        return jv_string(s, n, i, NULL, NULL);
    if (c == '{' || c == '[') {
        char close = c == '{' ? '}' : ']';
        i = nf_ws(s, n, i + 1);
        if (i < n && s[i] == close)
            return i + 1;
        for (;;) {
            if (c == '{') {
                if (i >= n || s[i] != '"' || (i = jv_string(s, n, i, NULL, NULL)) == 0)
                    return 0;
                i = nf_ws(s, n, i);
                if (i >= n || s[i] != ':')
                    return 0;
                i = nf_ws(s, n, i + 1);
            }
            if ((i = jv_value(s, n, i)) == 0)
                return 0;
            i = nf_ws(s, n, i);
            if (i < n && s[i] == ',') {
                i = nf_ws(s, n, i + 1);
                continue;
            }
            return i < n && s[i] == close ? i + 1 : 0;
        }
    }
    if (c == '-' || (c >= '0' && c <= '9'))
        return jv_number(s, n, i);
    for (size_t k = 0; k < 3; k++) {
        size_t l = strlen(lit[k]);
        if (n - i >= l && memcmp(s + i, lit[k], l) == 0)
            return i + l;
    }
    return 0;
}

/*
 * Index after the kept member value at s[i] when jansson accepts it, else
 * 0. The value must end where the loose scan ends it (nf_value): a scalar
 * token is then exactly one number or literal.
 */
static size_t jv_kept(const char *s, size_t n, size_t i)
{
    size_t end = nf_value(s, n, i);
    return end != 0 && jv_value(s, n, i) == end ? end : 0;
}

/* ---- pass 1: the entry's structure and where the kept values are -------- */

/* Where the kept values start in the entry text (0 = absent: s[0] is '{'). */
typedef struct nx_spans {
    size_t attr;                 /* the attribute key's opening quote */
    size_t name, pname, version; /* in the package object */
    size_t desc, home, lic, mnt; /* in the last "meta" object */
    size_t pos;                  /* meta.position (only its presence counts) */
    /* The containers the splitter matched (pf_js_entry.spans) and the first
     * one not yet passed: skipped values are visited in text order. */
    const pf_js_span *js;
    size_t njs, next;
} nx_spans;

/*
 * Index after a skipped member value at s[i]: a container the splitter
 * matched is jumped over, anything else is scanned (nf_value). 0 when
 * malformed.
 */
static size_t nx_skip(const char *s, size_t n, size_t i, nx_spans *sp)
{
    if (s[i] == '{' || s[i] == '[') {
        while (sp->next < sp->njs && sp->js[sp->next].open < i)
            sp->next++;
        if (sp->next < sp->njs && sp->js[sp->next].open == i && sp->js[sp->next].close < n)
            return sp->js[sp->next].close + 1;
    }
    return nf_value(s, n, i);
}

/* Is the raw member name s[a..b) (quotes included) exactly "name"? */
static int nx_key_is(const char *s, size_t a, size_t b, const char *name)
{
    size_t l = strlen(name);
    return b - a == l + 2 && memcmp(s + a + 1, name, l) == 0;
}

/* The span slot of the kept member named s[a..b) (raw), NULL when not kept. */
static size_t *nx_slot(nx_spans *sp, int in_meta, const char *s, size_t a, size_t b)
{
    static const struct {
        const char *name;
        size_t off;
        int in_meta;
    } kept[] = {
        {"name", offsetof(nx_spans, name), 0},       {"pname", offsetof(nx_spans, pname), 0},
        {"version", offsetof(nx_spans, version), 0}, {"description", offsetof(nx_spans, desc), 1},
        {"homepage", offsetof(nx_spans, home), 1},   {"license", offsetof(nx_spans, lic), 1},
        {"maintainers", offsetof(nx_spans, mnt), 1}, {"position", offsetof(nx_spans, pos), 1},
    };
    for (size_t k = 0; k < sizeof kept / sizeof kept[0]; k++)
        if (kept[k].in_meta == in_meta && nx_key_is(s, a, b, kept[k].name))
            return (size_t *)((char *)sp + kept[k].off);
    return NULL;
}

/*
 * Walk the object at s[*ip] ('{' expected): kept members are checked
 * strictly and their value's start noted in *sp (a later duplicate wins);
 * in the package object (in_meta 0) a "meta" object recurses and first
 * forgets what an earlier one noted; every other member is skipped
 * loosely. Advances *ip past the object. 0 ok, -1 when jansson must judge
 * the entry (a kept value it rejects, or a shape this walk does not know).
 */
static int nx_members(const char *s, size_t n, size_t *ip, nx_spans *sp, int in_meta)
{
    size_t i = nf_ws(s, n, *ip);
    if (i >= n || s[i] != '{')
        return -1;
    i = nf_ws(s, n, i + 1);
    if (i < n && s[i] == '}') {
        *ip = i + 1;
        return 0;
    }
    for (;;) {
        if (i >= n || s[i] != '"')
            return -1;
        size_t ka = i, kb = nf_string(s, n, i);
        if (kb == 0)
            return -1;
        i = nf_ws(s, n, kb);
        if (i >= n || s[i] != ':')
            return -1;
        i = nf_ws(s, n, i + 1);
        if (!in_meta && i < n && s[i] == '{' && nx_key_is(s, ka, kb, "meta")) {
            sp->desc = sp->home = sp->lic = sp->mnt = sp->pos = 0;
            if (nx_members(s, n, &i, sp, 1) != 0)
                return -1;
        } else {
            size_t *slot = nx_slot(sp, in_meta, s, ka, kb);
            size_t end = slot ? jv_kept(s, n, i) : nx_skip(s, n, i, sp);
            if (end == 0)
                return -1;
            if (slot)
                *slot = i;
            i = end;
        }
        i = nf_ws(s, n, i);
        if (i < n && s[i] == ',') {
            i = nf_ws(s, n, i + 1);
            continue;
        }
        if (i < n && s[i] == '}') {
            *ip = i + 1;
            return 0;
        }
        return -1;
    }
}

/* Pass 1 over one entry {"<attr>":{...}}: fill *sp. 0 ok, -1 jansson must judge it. */
static int nx_scan(const pf_js_entry *e, nx_spans *sp)
{
    const char *s = e->text;
    size_t n = e->len;
    memset(sp, 0, sizeof *sp);
    sp->js = e->spans;
    sp->njs = e->nspans;
    size_t i = nf_ws(s, n, 0);
    if (i >= n || s[i] != '{')
        return -1;
    i = nf_ws(s, n, i + 1);
    if (i >= n || s[i] != '"')
        return -1;
    sp->attr = i;
    i = jv_string(s, n, i, NULL, NULL);
    if (i == 0)
        return -1;
    i = nf_ws(s, n, i);
    if (i >= n || s[i] != ':')
        return -1;
    i++;
    return nx_members(s, n, &i, sp, 0);
}

/* ---- pass 2: decode the kept values (all valid now) into a record -------- */

/*
 * Decode the string at s[i] into v, NUL-terminated; NULL when the value at
 * s[i] is not a string. The caller reserved room (see nx_entry), so v does
 * not move and earlier results stay valid.
 */
static char *nx_str(const char *s, size_t n, size_t i, nix_buf *v)
{
    if (s[i] != '"')
        return NULL;
    char *r = v->p + v->len;
    size_t len = 0;
    jv_string(s, n, i, r, &len);
    r[len] = '\0';
    v->len += len + 1;
    return r;
}

/* First element of the array at s[i] == '[', 0 when it is empty. */
static size_t nx_first(const char *s, size_t n, size_t i)
{
    i = nf_ws(s, n, i + 1);
    return i < n && s[i] != ']' ? i : 0;
}

/* The element after the one at s[i] in its array, 0 after the last. */
static size_t nx_next(const char *s, size_t n, size_t i)
{
    i = nf_ws(s, n, nf_value(s, n, i));
    return i < n && s[i] == ',' ? nf_ws(s, n, i + 1) : 0;
}

/*
 * In the object at s[i] == '{', where the value of the last member named
 * names[k] starts, into at[k] (0 when absent). Names are compared decoded,
 * as a jansson lookup compares them.
 */
static void nx_lookup(const char *s, size_t n, size_t i, const char *const *names, size_t *at,
                      size_t count)
{
    memset(at, 0, count * sizeof *at);
    i = nf_ws(s, n, i + 1);
    while (i < n && s[i] == '"') {
        /* A raw name longer than key[] decodes to more than 10 bytes: no match. */
        char key[64];
        size_t kl = sizeof key + 1, ke = nf_string(s, n, i);
        if (ke - i - 2 <= sizeof key)
            jv_string(s, n, i, key, &kl);
        size_t vi = nf_ws(s, n, nf_ws(s, n, ke) + 1);
        for (size_t k = 0; k < count; k++)
            if (kl == strlen(names[k]) && memcmp(key, names[k], kl) == 0)
                at[k] = vi;
        i = nf_ws(s, n, nf_value(s, n, vi));
        if (i < n && s[i] == ',')
            i = nf_ws(s, n, i + 1);
    }
}

/* Is the comma-separated list b->p[start .. b->len) already holding item? */
static int nix_has_item(const nix_buf *b, size_t start, const char *item, size_t n)
{
    size_t i = start;
    while (i < b->len) {
        const char *comma = memchr(b->p + i, ',', b->len - i);
        size_t il = comma ? (size_t)(comma - (b->p + i)) : b->len - i;
        if (il == n && memcmp(b->p + i, item, n) == 0)
            return 1;
        i += il + 1;
    }
    return 0;
}

/* Append item lower-cased to the list started at `start`, comma-separated, unless present. */
static int nix_add_lower(nix_buf *b, size_t start, const char *s, size_t n, const char *suffix)
{
    char tmp[512];
    size_t sl = suffix ? strlen(suffix) : 0;
    if (n == 0 || n + sl >= sizeof tmp)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ',' || c == ' ' || c == '<' || c == '>' || c < 0x20)
            return 0; /* not an address */
        tmp[i] = (char)tolower(c);
    }
    memcpy(tmp + n, suffix ? suffix : "", sl);
    n += sl;
    if (nix_has_item(b, start, tmp, n))
        return 0;
    if (b->len > start && nb_add(b, ",", 1) != 0)
        return -1;
    return nb_add(b, tmp, n);
}

/* Maintainers of the meta.maintainers value at s[i] into b (see file comment). */
static int nx_maintainers(const char *s, size_t n, size_t i, nix_buf *v, nix_buf *b, size_t start)
{
    static const char *const names[] = {"email", "github"};
    if (s[i] != '[')
        return 0;
    for (size_t e = nx_first(s, n, i); e; e = nx_next(s, n, e)) {
        if (s[e] == '{') {
            size_t at[2];
            nx_lookup(s, n, e, names, at, 2);
            const char *email = at[0] ? nx_str(s, n, at[0], v) : NULL;
            const char *gh = at[1] ? nx_str(s, n, at[1], v) : NULL;
            int rc = 0;
            if (email && strchr(email, '@'))
                rc = nix_add_lower(b, start, email, strlen(email), NULL);
            else if (gh)
                rc = nix_add_lower(b, start, gh, strlen(gh), "@github");
            if (rc != 0)
                return -1;
        } else if (s[e] == '"') {
            /* Old format "Name <email>": the address between the brackets. */
            const char *str = nx_str(s, n, e, v);
            const char *lt = strchr(str, '<');
            const char *gt = lt ? strchr(lt, '>') : NULL;
            if (lt && gt && memchr(lt, '@', (size_t)(gt - lt)) &&
                nix_add_lower(b, start, lt + 1, (size_t)(gt - lt - 1), NULL) != 0)
                return -1;
        }
    }
    return 0;
}

/* Licence names of the value at s[i] (string, object or list, recursively) into b, ", "-joined. */
static int nx_licenses(const char *s, size_t n, size_t i, nix_buf *v, nix_buf *b, size_t start,
                       int depth)
{
    static const char *const names[] = {"spdxId", "fullName", "fullname"};
    const char *name = NULL;
    if (s[i] == '"') {
        name = nx_str(s, n, i, v);
    } else if (s[i] == '{') {
        size_t at[3];
        nx_lookup(s, n, i, names, at, 3);
        for (size_t k = 0; k < 3 && !name; k++)
            if (at[k])
                name = nx_str(s, n, at[k], v);
    } else if (s[i] == '[' && depth < 4) {
        for (size_t e = nx_first(s, n, i); e; e = nx_next(s, n, e))
            if (nx_licenses(s, n, e, v, b, start, depth + 1) != 0)
                return -1;
        return 0;
    }
    if (!name || !name[0])
        return 0;
    if (b->len > start && nb_add(b, ", ", 2) != 0)
        return -1;
    return nb_add(b, name, strlen(name));
}

/* Description as a summary: \n, \r and \t as spaces, trimmed, in place; NULL when empty. */
static char *nix_summary(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        n--;
    s[n] = '\0';
    for (char *p = s; *p; p++)
        if (*p == '\n' || *p == '\r' || *p == '\t')
            *p = ' ';
    return n ? s : NULL;
}

/* Does s start with prefix? */
static int nix_starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Does name match "<what>-[0-9.-]+-<tail>" from its start (Repology's re.match)? */
static int nix_numbered(const char *name, const char *what, const char *tail)
{
    size_t w = strlen(what), t = strlen(tail);
    if (strncmp(name, what, w) != 0 || name[w] != '-')
        return 0;
    /* [0-9.-]+ is greedy but backtracks: any '-' inside the run may start "-<tail>". */
    for (size_t i = w + 1; name[i] && strchr("0123456789.-", name[i]); i++)
        if (i > w + 1 && name[i] == '-' && strncmp(name + i + 1, tail, t) == 0)
            return 1;
    return 0;
}

/* Repology's NixJsonParser drop list (see format.h). */
int pf_nix_dropped(const char *name, const char *pname, const char *version)
{
    static const struct {
        const char *pname, *verprefix;
    } leaked[] = {
        {"liblqr", "1"},        {"python2.7", "3to2"},  {"python3.6", "3to2"},
        {"python3.7", "3to2"},  {"python3.8", "3to2"},  {"libretro", "4do"},
        {"polkit-qt", "1-qt4"}, {"polkit-qt", "1-qt5"}, {"Dell", "5130cdn-Color-Laser"},
        {"epson", "201106w"},   {"MPH", "2B-Damase"},   {"x86", "64bit"},
        {"fuse", "7z-ng"},      {"av", "98"},
    };
    if (name && (strstr(name, "node-_at") || nix_starts(name, "_at") || strstr(name, "--") ||
                 nix_starts(name, "luajit-2.1.0-beta3-") || nix_starts(name, "palp-6d") ||
                 nix_numbered(name, "cudatoolkit", "cudnn") || nix_numbered(name, "nccl", "cuda")))
        return 1;
    if (pname && strcmp(pname, "airstrike-pre") == 0)
        return 1;
    if (!version)
        return 0;
    if (nix_starts(version, "100dpi") || nix_starts(version, "75dpi"))
        return 1;
    for (size_t i = 0; pname && i < sizeof leaked / sizeof leaked[0]; i++)
        if (strcmp(pname, leaked[i].pname) == 0 && nix_starts(version, leaked[i].verprefix))
            return 1;
    return 0;
}

/*
 * Split a derivation name lazily at the first "-<digit>": (.+?)-([0-9].*).
 * Returns the length of the name part (> 0), or 0 when it does not split.
 */
static size_t nix_split_name(const char *name)
{
    for (size_t i = 1; name[0] && name[i]; i++) /* "" has no name[1] */
        if (name[i] == '-' && name[i + 1] >= '0' && name[i + 1] <= '9')
            return i;
    return 0;
}

/*
 * Pass 2: turn the scanned entry s[0..n) into a record and emit it. Decoded
 * strings go to v, the built lists (category, licence, maintainers) to b.
 * Returns 0 when emitted or skipped (stats updated) or the emit value to
 * stop; on out of memory sets *oom and returns -1.
 */
static int nx_entry(const char *s, size_t n, const nx_spans *sp, nix_buf *v, nix_buf *b,
                    pf_emit_fn emit, void *ctx, pf_parse_stats *stats, int *oom)
{
    /*
     * Room for every decoded string up front, so v never moves while the
     * record points into it: each raw string is decoded at most once, and
     * decodes to no more bytes than its raw form with quotes (room for the NUL).
     */
    v->len = b->len = 0;
    if (nb_reserve(v, n + 1) != 0) {
        *oom = 1;
        return -1;
    }
    const char *attr = nx_str(s, n, sp->attr, v);
    char *name = sp->name ? nx_str(s, n, sp->name, v) : NULL;
    const char *pname = sp->pname ? nx_str(s, n, sp->pname, v) : NULL;
    const char *version = sp->version ? nx_str(s, n, sp->version, v) : NULL;
    const char *seed = pname;
    if (!attr[0] || pf_nix_dropped(name, pname, version)) {
        stats->skipped++;
        return 0;
    }
    if (!pname || !pname[0]) {
        size_t cut = name ? nix_split_name(name) : 0;
        if (cut == 0) {
            stats->skipped++;
            return 0;
        }
        name[cut] = '\0'; /* name becomes the name part, the rest its version */
        seed = name;
        if (!version)
            version = name + cut + 1;
    }
    if (!version || !version[0]) {
        stats->skipped++;
        return 0;
    }

    pf_record rec;
    memset(&rec, 0, sizeof rec);
    size_t o_cat = 0, o_lic = 0, o_mnt = 0;
    int bad = 0;
    const char *dot = strchr(attr, '.');
    if (dot && dot > attr)
        bad |= nb_add(b, attr, (size_t)(dot - attr)) | nb_end(b);
    char *desc = sp->desc ? nx_str(s, n, sp->desc, v) : NULL;
    rec.summary = desc ? nix_summary(desc) : NULL;
    size_t h = sp->home;
    if (h && s[h] == '[')
        h = nx_first(s, n, h);
    if (h && (rec.homepage = nx_str(s, n, h, v)) != NULL && !rec.homepage[0])
        rec.homepage = NULL;
    if (sp->lic) {
        o_lic = b->len;
        bad |= nx_licenses(s, n, sp->lic, v, b, o_lic, 0);
        rec.license = b->len > o_lic ? "" : NULL; /* set below: b may move */
        bad |= nb_end(b);
    }
    if (sp->mnt) {
        o_mnt = b->len;
        bad |= nx_maintainers(s, n, sp->mnt, v, b, o_mnt);
        rec.maintainers = b->len > o_mnt ? "" : NULL;
        bad |= nb_end(b);
    }
    if (bad) {
        *oom = 1;
        return -1;
    }
    rec.srcname = attr;
    rec.version = version;
    rec.binnames = seed;
    if (!sp->pos)
        rec.flags |= PF_F_UNTRUSTED; /* Repology: no meta.position, untrusted */
    rec.category = dot && dot > attr ? b->p + o_cat : NULL;
    if (rec.license)
        rec.license = b->p + o_lic;
    if (rec.maintainers)
        rec.maintainers = b->p + o_mnt;
    int rc = emit(ctx, &rec);
    if (rc != 0)
        return rc;
    stats->records++;
    return 0;
}

/* Parse a whole packages.json stream (see file comment), filling *stats. */
int pf_parse_nix_json(pf_reader *in, const char *variant, pf_emit_fn emit, void *ctx,
                      pf_parse_stats *stats, char *err, size_t errlen)
{
    (void)variant;
    stats->records = stats->skipped = 0;

    pf_jsonstream *js = pf_jsonstream_new(in, PF_JS_MEMBERS, "packages", 0, 0);
    if (!js) {
        snprintf(err, errlen, "nix-json: out of memory");
        return -1;
    }
    nix_buf v = {NULL, 0, 0}; /* decoded strings of the current entry */
    nix_buf b = {NULL, 0, 0}; /* category, licence and maintainer lists */
    int rc = 0;
    for (;;) {
        pf_js_entry e;
        int got = pf_jsonstream_next(js, &e);
        if (got < 0) {
            snprintf(err, errlen, "nix-json: %s", pf_jsonstream_error(js));
            rc = -1;
            break;
        }
        if (got == 0)
            break;
        nx_spans sp;
        if (nx_scan(&e, &sp) == 0) {
            int oom = 0;
            rc = nx_entry(e.text, e.len, &sp, &v, &b, emit, ctx, stats, &oom);
            if (oom) {
                snprintf(err, errlen, "nix-json: out of memory");
                break;
            }
            if (rc != 0)
                break;
            continue;
        }
        /* Refused by the scan: jansson judges the whole entry (see file comment). */
        json_error_t jerr;
        json_t *root = json_loadb(e.text, e.len, 0, &jerr);
        if (!root) {
            size_t pos = (size_t)jerr.position > e.prefix ? (size_t)jerr.position - e.prefix : 0;
            snprintf(err, errlen, "nix-json: invalid JSON at byte %llu: %s",
                     (unsigned long long)(e.offset + pos), jerr.text);
            rc = -1;
            break;
        }
        json_decref(root); /* valid, so the package value is not an object */
        stats->skipped++;
    }
    free(v.p);
    free(b.p);
    pf_jsonstream_free(js);
    return rc;
}
