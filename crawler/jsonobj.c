/*
 * jsonobj.c — members of one JSON entry read from its text (jsonobj.h).
 *
 * Scanning: an index i walks the entry; every step checks i < n, so a
 * malformed or truncated text ends in -1, never in a read past the end.
 * Decoding: strict UTF-8 (no overlong forms, surrogates or code points above
 * U+10FFFF) and JSON escapes, as jansson 2.14 accepts them.
 */
#include "pkgfresh/jsonobj.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "pkgfresh/grow.h"
#include "pkgfresh/jsonstream.h"

#define JO_BAD SIZE_MAX

/*
 * The deepest value jansson 2.14 accepts is at depth 2048, the entry itself
 * at depth 1 (JSON_PARSER_MAX_DEPTH; scalars count); the members of the
 * scanned object are at depth 1 here, so values deeper than this are refused.
 */
#define JO_MAX_DEPTH 2047

/* Skip JSON white space from i. */
static size_t jo_ws(const char *s, size_t n, size_t i)
{
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        i++;
    return i;
}

/* Value of hex digit c, or -1. */
static int jo_hex(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* The 4 hex digits at s[0..4) (within n), or -1. */
static long jo_hex4(const char *s, size_t n)
{
    if (n < 4)
        return -1;
    long v = 0;
    for (int k = 0; k < 4; k++) {
        int h = jo_hex(s[k]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

/* Length of the valid UTF-8 sequence at p (within n bytes), or 0 when invalid. */
static size_t jo_utf8_len(const unsigned char *p, size_t n)
{
    unsigned c = p[0];
    size_t len;
    uint32_t cp;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2, cp = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF)
        len = 3, cp = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4)
        len = 4, cp = c & 0x07;
    else
        return 0;
    if (n < len)
        return 0;
    for (size_t k = 1; k < len; k++) {
        if ((p[k] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[k] & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

/*
 * The escape starting at s[i] (the backslash), as jansson accepts it: its
 * length (2, 6 or 12 for a surrogate pair) and the code point in *cp (-1
 * for the one-letter escapes), or 0 when invalid. \u0000 is refused.
 */
static size_t jo_escape(const char *s, size_t n, size_t i, long *cp)
{
    if (i + 1 >= n)
        return 0;
    *cp = -1;
    switch (s[i + 1]) {
    case '"':
    case '\\':
    case '/':
    case 'b':
    case 'f':
    case 'n':
    case 'r':
    case 't':
        return 2;
    case 'u':
        break;
    default:
        return 0;
    }
    long u = jo_hex4(s + i + 2, n - i - 2);
    if (u <= 0 || (u >= 0xDC00 && u <= 0xDFFF))
        return 0;
    if (u < 0xD800 || u > 0xDBFF) {
        *cp = u;
        return 6;
    }
    if (i + 12 > n || s[i + 6] != '\\' || s[i + 7] != 'u')
        return 0;
    long lo = jo_hex4(s + i + 8, n - i - 8);
    if (lo < 0xDC00 || lo > 0xDFFF)
        return 0;
    *cp = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
    return 12;
}

/*
 * End (one past the closing quote) of the string whose quote is at s[i],
 * every escape and UTF-8 sequence checked; JO_BAD when invalid.
 */
static size_t jo_string_end(const char *s, size_t n, size_t i)
{
    const unsigned char *u = (const unsigned char *)s, *end = u + n;
    size_t k = i + 1;
    for (;;) {
        k = (size_t)(pf_js_plain_end(u + k, end, 1) - u);
        if (k >= n || u[k] < 0x20)
            return JO_BAD;
        if (u[k] == '"')
            return k + 1;
        size_t l;
        if (u[k] == '\\') {
            long cp;
            l = jo_escape(s, n, k, &cp);
        } else {
            l = jo_utf8_len(u + k, n - k);
        }
        if (l == 0)
            return JO_BAD;
        k += l;
    }
}

/* Count of leading ASCII digits of s[0..n). */
static size_t jo_digits(const char *s, size_t n)
{
    size_t k = 0;
    while (k < n && s[k] >= '0' && s[k] <= '9')
        k++;
    return k;
}

/*
 * Is s[0..n) a JSON literal or a number jansson accepts (grammar; integers
 * within long long, reals within double)?
 */
static int jo_scalar_ok(const char *s, size_t n)
{
    if ((n == 4 && (memcmp(s, "true", 4) == 0 || memcmp(s, "null", 4) == 0)) ||
        (n == 5 && memcmp(s, "false", 5) == 0))
        return 1;
    size_t i = n > 0 && s[0] == '-';
    size_t d = jo_digits(s + i, n - i);
    if (d == 0 || (d > 1 && s[i] == '0'))
        return 0;
    i += d;
    int real = 0;
    if (i < n && s[i] == '.') {
        d = jo_digits(s + i + 1, n - i - 1);
        if (d == 0)
            return 0;
        i += 1 + d;
        real = 1;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        d = jo_digits(s + i, n - i);
        if (d == 0)
            return 0;
        i += d;
        real = 1;
    }
    if (i != n)
        return 0;
    if (!real && n <= 18)
        return 1; /* fits whatever its digits */
    char tmp[512];
    if (n >= sizeof tmp)
        return 0; /* jansson refuses tokens this long too ("too big") */
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    errno = 0;
    if (!real) {
        (void)strtoll(tmp, NULL, 10);
        return errno != ERANGE;
    }
    double v = strtod(tmp, NULL);
    return !((v == HUGE_VAL || v == -HUGE_VAL) && errno == ERANGE);
}

/* True for the bytes of a number or a literal. */
static int jo_scalar_byte(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' ||
           c == '+' || c == '.';
}

/*
 * End of the value starting at s[i], validated as jansson would (strings,
 * numbers, literals, commas and colons, at every depth up to JO_MAX_DEPTH),
 * or JO_BAD.
 */
static size_t jo_value_end(const char *s, size_t n, size_t i, int depth)
{
    if (i >= n || depth > JO_MAX_DEPTH)
        return JO_BAD;
    char c = s[i];
    if (c == '"')
        return jo_string_end(s, n, i);
    if (c == '{' || c == '[') {
        char close = c == '{' ? '}' : ']';
        i = jo_ws(s, n, i + 1);
        if (i < n && s[i] == close)
            return i + 1;
        for (;;) {
            if (c == '{') {
                if (i >= n || s[i] != '"')
                    return JO_BAD;
                i = jo_string_end(s, n, i);
                if (i == JO_BAD)
                    return JO_BAD;
                i = jo_ws(s, n, i);
                if (i >= n || s[i] != ':')
                    return JO_BAD;
                i = jo_ws(s, n, i + 1);
            }
            i = jo_value_end(s, n, i, depth + 1);
            if (i == JO_BAD)
                return JO_BAD;
            i = jo_ws(s, n, i);
            if (i < n && s[i] == close)
                return i + 1;
            if (i >= n || s[i] != ',')
                return JO_BAD;
            i = jo_ws(s, n, i + 1);
        }
    }
    size_t j = i;
    while (j < n && jo_scalar_byte(s[j]))
        j++;
    if (j == i || !jo_scalar_ok(s + i, j - i))
        return JO_BAD;
    /*
     * jansson quirk, kept for identical results: one NUL byte right after a
     * number or literal is swallowed (its lexer's put-back buffer treats NUL
     * as empty), so "[1\0]" is [1]; a second NUL, or one elsewhere, is an error.
     */
    if (j < n && s[j] == '\0')
        j++;
    return j;
}

/* Encode code point cp as UTF-8 into o; returns the bytes written. */
static size_t jo_put_utf8(uint32_t cp, char *o)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/*
 * Decode the string body s[0..n) (no quotes) into o, which has room for n
 * bytes (a decoded string is never longer than its text); returns the
 * length, or JO_BAD when an escape or UTF-8 sequence is invalid.
 */
static size_t jo_decode(const char *s, size_t n, char *o)
{
    static const char plain[128] = {['"'] = '"',  ['\\'] = '\\', ['/'] = '/',  ['b'] = '\b',
                                    ['f'] = '\f', ['n'] = '\n',  ['r'] = '\r', ['t'] = '\t'};
    size_t i = 0, w = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        size_t l;
        if (c == '\\') {
            long cp;
            l = jo_escape(s, n, i, &cp);
            if (l == 0)
                return JO_BAD;
            if (cp < 0)
                o[w++] = plain[(unsigned char)s[i + 1] & 0x7F];
            else
                w += jo_put_utf8((uint32_t)cp, o + w);
        } else if (c < 0x20) {
            return JO_BAD;
        } else {
            l = c < 0x80 ? 1 : jo_utf8_len((const unsigned char *)s + i, n - i);
            if (l == 0)
                return JO_BAD;
            memcpy(o + w, s + i, l);
            w += l;
        }
        i += l;
    }
    return w;
}

/* Is the raw key text k[0..kn) (escapes possible) equal to name? */
static int jo_key_is(const char *k, size_t kn, const char *name)
{
    if (!memchr(k, '\\', kn)) /* the usual case: compare as written */
        return kn > 0 && k[0] == name[0] && strncmp(k, name, kn) == 0 && name[kn] == '\0';
    size_t nl = strlen(name);
    char tmp[256];
    if (kn > sizeof tmp)
        return 0; /* decodes to more than 256/6 bytes at least: longer than any name we look for */
    size_t w = jo_decode(k, kn, tmp);
    return w != JO_BAD && w == nl && memcmp(tmp, name, nl) == 0;
}

/* An integer's text as jansson would print it (see jsonobj.h). */
int pf_jv_integer_text(pf_jv v, char *buf, size_t n)
{
    if (!pf_jv_is_integer(v))
        return 0;
    char tmp[32];
    if (v.n >= sizeof tmp)
        return -1;
    memcpy(tmp, v.p, v.n);
    tmp[v.n] = '\0';
    errno = 0;
    long long x = strtoll(tmp, NULL, 10);
    if (errno == ERANGE)
        return -1;
    return snprintf(buf, n, "%lld", x) < (int)n ? 1 : -1;
}

/*
 * The members of the object at the start of v, as pf_jobj_scan; with
 * whole, -1 also when anything but white space follows the object in v.
 */
static int jo_scan(pf_jv v, const char *const *keys, size_t nkeys, pf_jv *out, int whole)
{
    for (size_t k = 0; k < nkeys; k++)
        out[k].p = NULL, out[k].n = 0;
    if (!pf_jv_is_object(v))
        return 1;
    const char *s = v.p;
    size_t n = v.n, i = jo_ws(s, n, 1);
    if (i < n && s[i] == '}')
        return whole && jo_ws(s, n, i + 1) != n ? -1 : 0;
    for (;;) {
        if (i >= n || s[i] != '"')
            return -1;
        size_t kend = jo_string_end(s, n, i);
        if (kend == JO_BAD)
            return -1;
        const char *key = s + i + 1;
        size_t klen = kend - i - 2;
        i = jo_ws(s, n, kend);
        if (i >= n || s[i] != ':')
            return -1;
        i = jo_ws(s, n, i + 1);
        size_t vend = jo_value_end(s, n, i, 1);
        if (vend == JO_BAD)
            return -1;
        for (size_t k = 0; k < nkeys; k++)
            if (jo_key_is(key, klen, keys[k])) {
                out[k].p = s + i;
                out[k].n = vend - i;
            }
        i = jo_ws(s, n, vend);
        if (i < n && s[i] == '}')
            return whole && jo_ws(s, n, i + 1) != n ? -1 : 0;
        if (i >= n || s[i] != ',')
            return -1;
        i = jo_ws(s, n, i + 1);
    }
}

/* Members of an object (see jsonobj.h). */
int pf_jobj_scan(pf_jv v, const char *const *keys, size_t nkeys, pf_jv *out)
{
    return jo_scan(v, keys, nkeys, out, 0);
}

/* Members of an object that must fill v (see jsonobj.h). */
int pf_jobj_scan_whole(pf_jv v, const char *const *keys, size_t nkeys, pf_jv *out)
{
    return jo_scan(v, keys, nkeys, out, 1);
}

/*
 * Where the next item of the container s[0..n) (closed by `close`) starts,
 * from *pos (0: at the opening bracket, else just after the last item):
 * 1 = at *at, 0 = none left (*pos set to n), -1 = malformed.
 */
static int jo_next_item(const char *s, size_t n, size_t *pos, char close, size_t *at)
{
    size_t i = *pos;
    if (i >= n && i > 0)
        return 0;
    i = jo_ws(s, n, i == 0 ? 1 : i);
    if (i < n && s[i] == close)
        return *pos = n, 0;
    if (*pos > 0) {
        if (i >= n || s[i] != ',')
            return -1;
        i = jo_ws(s, n, i + 1);
    }
    *at = i;
    return 1;
}

/* Next member of an object (see jsonobj.h). */
int pf_jobj_next(pf_jv obj, size_t *pos, pf_jv *key, pf_jv *val)
{
    if (!pf_jv_is_object(obj))
        return *pos == 0 ? 0 : -1;
    const char *s = obj.p;
    size_t n = obj.n, i;
    int r = jo_next_item(s, n, pos, '}', &i);
    if (r <= 0)
        return r;
    if (i >= n || s[i] != '"')
        return -1;
    size_t kend = jo_string_end(s, n, i);
    if (kend == JO_BAD)
        return -1;
    key->p = s + i;
    key->n = kend - i;
    i = jo_ws(s, n, kend);
    if (i >= n || s[i] != ':')
        return -1;
    i = jo_ws(s, n, i + 1);
    size_t end = jo_value_end(s, n, i, 1);
    if (end == JO_BAD)
        return -1;
    val->p = s + i;
    val->n = end - i;
    *pos = end;
    return 1;
}

/* Next array element (see jsonobj.h). */
int pf_jarr_next(pf_jv arr, size_t *pos, pf_jv *el)
{
    if (!pf_jv_is_array(arr))
        return *pos == 0 ? 0 : -1;
    const char *s = arr.p;
    size_t n = arr.n, i;
    int r = jo_next_item(s, n, pos, ']', &i);
    if (r <= 0)
        return r;
    size_t end = jo_value_end(s, n, i, 1);
    if (end == JO_BAD)
        return -1;
    el->p = s + i;
    el->n = end - i;
    *pos = end;
    return 1;
}

/* Reserve room for one entry's strings. */
int pf_jdec_reset(pf_jdec *d, size_t len)
{
    d->len = 0;
    return pf_grow(&d->p, &d->cap, 0, len + 16);
}

/* Decode one string value (see jsonobj.h). */
int pf_jdec_str(pf_jdec *d, pf_jv v, const char **out)
{
    if (!pf_jv_is_string(v))
        return 0;
    size_t n = v.n - 2; /* without the quotes */
    if (v.n < 2 || d->cap - d->len < n + 1)
        return -1;
    size_t w = jo_decode(v.p + 1, n, d->p + d->len);
    if (w == JO_BAD)
        return -1;
    *out = d->p + d->len;
    d->p[d->len + w] = '\0';
    d->len += w + 1;
    return 1;
}

/* Free the decode buffer. */
void pf_jdec_free(pf_jdec *d)
{
    free(d->p);
    d->p = NULL;
    d->len = d->cap = 0;
}
