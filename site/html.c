/*
 * html.c — the markup buffer and the escaping every page goes through
 * (modelled on cgit's html.c): text escaped for HTML and XML alike, control
 * characters dropped, invalid UTF-8 replaced by U+FFFD, links from indexes
 * only when they are http(s) URLs, and safe file names for index strings.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "internal.h"
#include "pkgfresh/grow.h"

/* Empty the buffer, keep its memory. */
void h_reset(hbuf *b)
{
    b->len = 0;
    b->oom = 0;
    if (b->p)
        b->p[0] = 0;
}

/* Release the memory. */
void h_free(hbuf *b)
{
    free(b->p);
    memset(b, 0, sizeof *b);
}

/* Append n bytes as they are (keeps a NUL after them). */
void h_rawn(hbuf *b, const char *s, size_t n)
{
    if (b->oom || pf_grow(&b->p, &b->cap, b->len, n + 1) != 0) {
        b->oom = 1;
        return;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
}

/* Append our own markup. */
void h_raw(hbuf *b, const char *s)
{
    h_rawn(b, s, strlen(s));
}

/* printf-append (our markup and numbers only). */
void h_fmt(hbuf *b, const char *fmt, ...)
{
    char tmp[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->oom = 1;
        return;
    }
    h_rawn(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* Length of the valid UTF-8 sequence at s (1..4), 0 when invalid
 * (overlong forms, surrogates and code points above U+10FFFF are invalid). */
static size_t utf8_len(const unsigned char *s)
{
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    size_t n;
    unsigned min, cp;
    if ((c & 0xe0) == 0xc0)
        n = 2, min = 0x80, cp = c & 0x1f;
    else if ((c & 0xf0) == 0xe0)
        n = 3, min = 0x800, cp = c & 0x0f;
    else if ((c & 0xf8) == 0xf0)
        n = 4, min = 0x10000, cp = c & 0x07;
    else
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n;
}

/* Escaped text: entities for the five markup characters, no controls,
 * U+FFFD for bytes that are not UTF-8. */
void h_text(hbuf *b, const char *s)
{
    if (!s)
        return;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        const unsigned char *run = p;
        while (*p && *p >= 0x20 && *p < 0x7f && *p != '&' && *p != '<' && *p != '>' && *p != '"' &&
               *p != '\'')
            p++;
        if (p > run)
            h_rawn(b, (const char *)run, (size_t)(p - run));
        if (!*p)
            break;
        switch (*p) {
        case '&':
            h_raw(b, "&amp;");
            break;
        case '<':
            h_raw(b, "&lt;");
            break;
        case '>':
            h_raw(b, "&gt;");
            break;
        case '"':
            h_raw(b, "&quot;");
            break;
        case '\'':
            h_raw(b, "&#39;");
            break;
        default:
            if (*p < 0x20 || *p == 0x7f) {
                if (*p == '\t' || *p == '\n')
                    h_raw(b, " ");
                break;
            }
            size_t n = utf8_len(p);
            if (n == 0) {
                h_raw(b, "\xef\xbf\xbd");
                break;
            }
            /* C1 controls (U+0080..U+009F) are dropped too */
            if (!(p[0] == 0xc2 && p[1] < 0xa0))
                h_rawn(b, (const char *)p, n);
            p += n;
            continue;
        }
        p++;
    }
}

/* Percent-encoding: every byte but A-Z a-z 0-9 - . _ ~ becomes %XX. */
void h_query(hbuf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '.' || *p == '_' || *p == '~') {
            h_rawn(b, (const char *)p, 1);
        } else {
            char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
            h_rawn(b, e, 3);
        }
    }
}

/* A CSV field, quoted when it holds a comma or a quote (quotes doubled). */
void h_csv(hbuf *b, const char *s)
{
    char clean[4096];
    h_clean(s, clean, sizeof clean);
    if (!strpbrk(clean, ",\"")) {
        h_raw(b, clean);
        return;
    }
    h_raw(b, "\"");
    for (const char *p = clean; *p; p++) {
        if (*p == '"')
            h_raw(b, "\"");
        h_rawn(b, p, 1);
    }
    h_raw(b, "\"");
}

/* Thousands separators. */
void h_num(hbuf *b, long v)
{
    char digits[32], out[48];
    snprintf(digits, sizeof digits, "%ld", v < 0 ? -v : v);
    size_t n = strlen(digits), o = 0;
    if (v < 0)
        out[o++] = '-';
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = 0;
    h_raw(b, out);
}

/* Whole days, or "-" when unknown. */
void h_days(hbuf *b, double days)
{
    if (days < 0)
        h_raw(b, "-");
    else
        h_num(b, (long)days);
}

/* http(s) only, and nothing a browser would read differently from us. */
int h_url_ok(const char *url)
{
    if (!url)
        return 0;
    size_t skip;
    if (strncasecmp(url, "https://", 8) == 0)
        skip = 8;
    else if (strncasecmp(url, "http://", 7) == 0)
        skip = 7;
    else
        return 0;
    if (!url[skip] || url[skip] == '/')
        return 0;
    for (const unsigned char *p = (const unsigned char *)url; *p; p++)
        if (*p <= 0x20 || *p == 0x7f || *p == '"' || *p == '\'' || *p == '<' || *p == '>' ||
            *p == '\\' || *p >= 0x80)
            return 0;
    return strlen(url) < 2048;
}

/* A link when the URL is safe, else the text alone. */
void h_ext_link(hbuf *b, const char *url, const char *text)
{
    if (!h_url_ok(url)) {
        h_text(b, text);
        return;
    }
    h_raw(b, "<a rel=\"nofollow noopener\" href=\"");
    h_text(b, url);
    h_raw(b, "\">");
    h_text(b, text);
    h_raw(b, "</a>");
}

/* Copy with controls dropped and invalid UTF-8 replaced, cut at a character. */
void h_clean(const char *s, char *out, size_t outlen)
{
    size_t o = 0;
    if (!outlen)
        return;
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    while (*p) {
        size_t n = utf8_len(p);
        const char *src = (const char *)p;
        size_t take = n;
        if (n == 0) {
            src = "\xef\xbf\xbd";
            take = 3;
            n = 1;
        } else if (*p < 0x20 || *p == 0x7f || (p[0] == 0xc2 && p[1] < 0xa0)) {
            take = 0;
        }
        if (o + take >= outlen)
            break;
        memcpy(out + o, src, take);
        o += take;
        p += n;
    }
    out[o] = 0;
}

/* FNV-1a, for cutting long names. */
static unsigned long fnv1a(const char *s)
{
    unsigned long h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h & 0xffffffffu;
}

/* Safe single path component for an index string. */
void site_fname(const char *name, char *out, size_t outlen)
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0, limit = outlen > 80 ? 80 : outlen - 1;
    const unsigned char *p = (const unsigned char *)(name ? name : "");
    int cut = 0;
    for (size_t i = 0; p[i]; i++) {
        unsigned c = p[i];
        int keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '-' ||
                   c == '_' || (c == '.' && i > 0);
        size_t need = keep ? 1 : 3;
        if (o + need > limit) {
            cut = 1;
            break;
        }
        if (keep) {
            out[o++] = (char)c;
        } else {
            out[o++] = '~';
            out[o++] = hex[c >> 4];
            out[o++] = hex[c & 15];
        }
    }
    out[o] = 0;
    if (o == 0 && outlen > 2)
        snprintf(out, outlen, "~");
    if (cut && outlen > o + 10)
        snprintf(out + o, outlen - o, "~%08lx", fnv1a(name));
}
