/*
 * jsonobj.c — members of one JSON entry read from its text (jsonobj.h).
 *
 * Scanning: an index i walks the entry; every step checks i < n, so a
 * malformed or truncated text ends in -1, never in a read past the end.
 * Decoding: strict UTF-8 (no overlong forms, surrogates or code points above
 * U+10FFFF) and JSON escapes, as jansson 2.14 accepts them.
 */
#include "pkgfresh/jsonobj.h"

#include <stdint.h>
#include <stdlib.h>

#include "pkgfresh/grow.h"
#include "pkgfresh/jsonstream.h"

#define JO_BAD SIZE_MAX

/* Skip JSON white space from i. */
static size_t jo_ws(const char *s, size_t n, size_t i)
{
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        i++;
    return i;
}

/* End (one past the closing quote) of the string whose quote is at s[i], or JO_BAD. */
static size_t jo_string_end(const char *s, size_t n, size_t i)
{
    const unsigned char *p = (const unsigned char *)s + i + 1, *end = (const unsigned char *)s + n;
    for (;;) {
        p = pf_js_plain_end(p, end, 0);
        if (p >= end || *p < 0x20)
            return JO_BAD;
        if (*p == '"')
            return (size_t)(p + 1 - (const unsigned char *)s);
        p += 2; /* a backslash and the byte it escapes */
    }
}

/* True for the bytes of a number or a literal. */
static int jo_scalar_byte(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' ||
           c == '+' || c == '.';
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
 * Is s[0..n) a JSON literal or number (grammar only: jansson's overflow
 * checks on huge numbers are not repeated)?
 */
static int jo_scalar_ok(const char *s, size_t n)
{
    if ((n == 4 && (memcmp(s, "true", 4) == 0 || memcmp(s, "null", 4) == 0)) ||
        (n == 5 && memcmp(s, "false", 5) == 0))
        return 1;
    size_t i = s[0] == '-';
    size_t d = jo_digits(s + i, n - i);
    if (d == 0 || (d > 1 && s[i] == '0'))
        return 0;
    i += d;
    if (i < n && s[i] == '.') {
        d = jo_digits(s + i + 1, n - i - 1);
        if (d == 0)
            return 0;
        i += 1 + d;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        d = jo_digits(s + i, n - i);
        if (d == 0)
            return 0;
        i += d;
    }
    return i == n;
}

/* End of the value starting at s[i] (white space skipped), or JO_BAD. */
static size_t jo_value_end(const char *s, size_t n, size_t i)
{
    if (i >= n)
        return JO_BAD;
    if (s[i] == '"')
        return jo_string_end(s, n, i);
    if (s[i] == '{' || s[i] == '[') {
        size_t depth = 0;
        while (i < n) {
            char c = s[i];
            if (c == '"') {
                i = jo_string_end(s, n, i);
                if (i == JO_BAD)
                    return JO_BAD;
                continue;
            }
            if (c == '{' || c == '[')
                depth++;
            else if (c == '}' || c == ']') {
                if (--depth == 0)
                    return i + 1;
            }
            i++;
        }
        return JO_BAD;
    }
    size_t j = i;
    while (j < n && jo_scalar_byte(s[j]))
        j++;
    return j > i && jo_scalar_ok(s + i, j - i) ? j : JO_BAD;
}

/* Members of an object (see jsonobj.h). */
int pf_jobj_scan(pf_jv v, const char *const *keys, size_t nkeys, pf_jv *out)
{
    if (!pf_jv_is_object(v))
        return 1;
    const char *s = v.p;
    size_t n = v.n, i = jo_ws(s, n, 1);
    for (size_t k = 0; k < nkeys; k++)
        out[k].p = NULL, out[k].n = 0;
    if (i < n && s[i] == '}')
        return 0;
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
        size_t vend = jo_value_end(s, n, i);
        if (vend == JO_BAD)
            return -1;
        for (size_t k = 0; k < nkeys; k++)
            if (strlen(keys[k]) == klen && memcmp(keys[k], key, klen) == 0) {
                out[k].p = s + i;
                out[k].n = vend - i;
            }
        i = jo_ws(s, n, vend);
        if (i < n && s[i] == '}')
            return 0;
        if (i >= n || s[i] != ',')
            return -1;
        i = jo_ws(s, n, i + 1);
    }
}

/* Next array element (see jsonobj.h). */
int pf_jarr_next(pf_jv arr, size_t *pos, pf_jv *el)
{
    if (!pf_jv_is_array(arr))
        return *pos == 0 ? 0 : -1;
    const char *s = arr.p;
    size_t n = arr.n, i = *pos;
    if (i == 0) {
        i = jo_ws(s, n, 1);
        if (i < n && s[i] == ']')
            return *pos = n, 0;
    } else if (i >= n) {
        return 0;
    } else {
        i = jo_ws(s, n, i);
        if (i < n && s[i] == ']')
            return *pos = n, 0;
        if (i >= n || s[i] != ',')
            return -1;
        i = jo_ws(s, n, i + 1);
    }
    size_t end = jo_value_end(s, n, i);
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

/* Decode one string value (see jsonobj.h). */
int pf_jdec_str(pf_jdec *d, pf_jv v, const char **out)
{
    if (!pf_jv_is_string(v))
        return 0;
    const char *s = v.p + 1;
    size_t n = v.n - 2; /* without the quotes */
    if (v.n < 2 || d->cap - d->len < n + 1)
        return -1;
    char *o = d->p + d->len, *start = o;
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\\') {
            if (i + 1 >= n)
                return -1;
            char e = s[i + 1];
            i += 2;
            switch (e) {
            case '"':
            case '\\':
            case '/':
                *o++ = e;
                break;
            case 'b':
                *o++ = '\b';
                break;
            case 'f':
                *o++ = '\f';
                break;
            case 'n':
                *o++ = '\n';
                break;
            case 'r':
                *o++ = '\r';
                break;
            case 't':
                *o++ = '\t';
                break;
            case 'u': {
                long cp = jo_hex4(s + i, n - i);
                if (cp < 0)
                    return -1;
                i += 4;
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    long lo = i + 6 <= n && s[i] == '\\' && s[i + 1] == 'u'
                                  ? jo_hex4(s + i + 2, n - i - 2)
                                  : -1;
                    if (lo < 0xDC00 || lo > 0xDFFF)
                        return -1;
                    i += 6;
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                } else if ((cp >= 0xDC00 && cp <= 0xDFFF) || cp == 0) {
                    return -1;
                }
                /* "\uXXXX" is 6 raw bytes and gives at most 3; a pair 12 gives 4 */
                o += jo_put_utf8((uint32_t)cp, o);
                break;
            }
            default:
                return -1;
            }
        } else if (c < 0x20) {
            return -1;
        } else if (c < 0x80) {
            *o++ = (char)c;
            i++;
        } else {
            size_t l = jo_utf8_len((const unsigned char *)s + i, n - i);
            if (l == 0)
                return -1;
            memcpy(o, s + i, l);
            o += l;
            i += l;
        }
    }
    *o++ = '\0';
    d->len = (size_t)(o - d->p);
    *out = start;
    return 1;
}

/* Free the decode buffer. */
void pf_jdec_free(pf_jdec *d)
{
    free(d->p);
    d->p = NULL;
    d->len = d->cap = 0;
}
