/*
 * fmt_deb_sources.c — Debian/Ubuntu source index parser (deb822 "Sources").
 *
 * A Sources file is a list of stanzas separated by blank lines. Each stanza
 * is a list of fields "Name: value"; a line starting with a space or a tab
 * continues the previous field (multi-line Binary lists, Files, ...).
 *
 * Streaming: lines come from pf_lines one at a time. Only the fields a record
 * needs (Package, Version, Binary, Maintainer, Uploaders, Homepage, Section)
 * are copied, into one growable buffer that is reused for every stanza, so
 * parsing does no per-record or per-field allocation.
 *
 * Robustness: lines that are neither a field, a continuation nor a blank line
 * are ignored, continuation lines without a field are ignored, NUL bytes
 * cannot overrun anything (all scanning is by length). A stanza larger than
 * DEB_MAX_STANZA bytes is an error (a sane index never comes close).
 * A stanza without Package or Version is skipped and counted, not fatal.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pkgfresh/format.h"
#include "pkgfresh/grow.h"

#define DEB_MAX_STANZA ((size_t)16 << 20)

/* The fields we keep; everything else is skipped without copying. */
enum deb_field {
    F_PACKAGE,
    F_VERSION,
    F_BINARY,
    F_MAINTAINER,
    F_UPLOADERS,
    F_HOMEPAGE,
    F_SECTION,
    F_COUNT,
    F_NONE = -1
};

/*
 * Parser state for one run. Invariants: buf[0..len) holds the copied field
 * values of the current stanza, each followed by a NUL; field i, when
 * has[i], is buf[off[i] .. off[i]+flen[i]). The field receiving continuation
 * lines (cur) is always the last value in buf, so extending it is an append.
 */
typedef struct deb_state {
    char *buf;
    size_t len, cap;
    size_t off[F_COUNT];
    size_t flen[F_COUNT];
    int has[F_COUNT];
    int cur;              /* enum deb_field getting continuations, F_NONE otherwise */
    int in_stanza;        /* a non-blank line was seen since the last separator */
    size_t stanza_bytes;  /* bytes of input in the current stanza */
    uint64_t stanza_line; /* line number where the current stanza began */
} deb_state;

/* Map a field name to the fields we keep (deb822 names are case-insensitive). */
static int deb_field_lookup(const char *name, size_t n)
{
    switch (n) {
    case 6:
        return strncasecmp(name, "Binary", 6) == 0 ? F_BINARY : F_NONE;
    case 7:
        if (strncasecmp(name, "Package", 7) == 0)
            return F_PACKAGE;
        if (strncasecmp(name, "Version", 7) == 0)
            return F_VERSION;
        if (strncasecmp(name, "Section", 7) == 0)
            return F_SECTION;
        return F_NONE;
    case 8:
        return strncasecmp(name, "Homepage", 8) == 0 ? F_HOMEPAGE : F_NONE;
    case 9:
        return strncasecmp(name, "Uploaders", 9) == 0 ? F_UPLOADERS : F_NONE;
    case 10:
        return strncasecmp(name, "Maintainer", 10) == 0 ? F_MAINTAINER : F_NONE;
    default:
        return F_NONE;
    }
}

/* Make room for `extra` more bytes in the stanza buffer. 0 ok, -1 out of memory. */
static int deb_reserve(deb_state *st, size_t extra)
{
    return pf_grow(&st->buf, &st->cap, st->len, extra);
}

/* Forget the current stanza (the buffer is kept for the next one). */
static void deb_reset(deb_state *st)
{
    st->len = 0;
    memset(st->has, 0, sizeof st->has);
    st->cur = F_NONE;
    st->in_stanza = 0;
    st->stanza_bytes = 0;
}

/* True for a space or a tab. */
static int deb_is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Trim spaces and tabs from both ends of [*s, *s + *n). */
static void deb_trim(const char **s, size_t *n)
{
    while (*n > 0 && deb_is_blank(**s)) {
        (*s)++;
        (*n)--;
    }
    while (*n > 0 && deb_is_blank((*s)[*n - 1]))
        (*n)--;
}

/* Start field f with value v (already trimmed). Returns 0, -1 on out of memory. */
static int deb_set_field(deb_state *st, int f, const char *v, size_t n)
{
    if (deb_reserve(st, n + 1) != 0)
        return -1;
    memcpy(st->buf + st->len, v, n);
    st->off[f] = st->len;
    st->flen[f] = n;
    st->has[f] = 1;
    st->len += n;
    st->buf[st->len++] = '\0';
    st->cur = f;
    return 0;
}

/* Append a continuation line (trimmed, non-empty) to the current field, space-joined. */
static int deb_continue_field(deb_state *st, const char *v, size_t n)
{
    int f = st->cur;
    if (deb_reserve(st, n + 1) != 0)
        return -1;
    /* The field is the last value: overwrite its NUL with the joining space. */
    char *end = st->buf + st->len - 1;
    if (st->flen[f] > 0) {
        *end++ = ' ';
        st->flen[f]++;
    }
    memcpy(end, v, n);
    st->flen[f] += n;
    st->len = (size_t)(end - st->buf) + n;
    st->buf[st->len++] = '\0';
    return 0;
}

/* Rewrite a comma list ("a, b,c") in place as space-separated names ("a b c"). */
static size_t deb_commas_to_spaces(char *s, size_t n)
{
    size_t w = 0;
    size_t i = 0;
    while (i < n) {
        while (i < n && (s[i] == ',' || deb_is_blank(s[i])))
            i++;
        if (i >= n)
            break;
        if (w > 0)
            s[w++] = ' ';
        while (i < n && s[i] != ',' && !deb_is_blank(s[i]))
            s[w++] = s[i++];
    }
    s[w] = '\0';
    return w;
}

/* Is the e-mail e[0..n) already one of the comma-separated items of out[0..olen)? */
static int deb_has_email(const char *out, size_t olen, const char *e, size_t n)
{
    size_t i = 0;
    while (i < olen) {
        const char *comma = memchr(out + i, ',', olen - i);
        size_t item = comma ? (size_t)(comma - (out + i)) : olen - i;
        if (item == n && memcmp(out + i, e, n) == 0)
            return 1;
        i += item + 1;
    }
    return 0;
}

/* Append lower-cased e[0..n) to out (comma-separated) unless empty, not an address or present. */
static void deb_add_email(char *out, size_t *olen, const char *e, size_t n)
{
    deb_trim(&e, &n);
    if (n == 0 || !memchr(e, '@', n))
        return;
    for (size_t i = 0; i < n; i++)
        if (strchr(" \t<>\",", e[i]) || e[i] == '\0')
            return; /* not an address */
    /* Lower-case into place at the end, then drop it again if it is a duplicate. */
    size_t start = *olen + (*olen > 0 ? 1 : 0);
    for (size_t i = 0; i < n; i++)
        out[start + i] = (char)tolower((unsigned char)e[i]);
    if (deb_has_email(out, *olen, out + start, n))
        return;
    if (*olen > 0)
        out[*olen] = ',';
    *olen = start + n;
}

/*
 * Extract the e-mail addresses of a Maintainer/Uploaders value: a comma list
 * of "Name <email>" where a name may be quoted and contain commas
 * ("\"Adam C. Powell, IV\" <hazelsct@debian.org>"), or bare addresses.
 * Appends to out (capacity >= *olen + n + 1 guaranteed by the caller).
 */
static void deb_extract_emails(const char *s, size_t n, char *out, size_t *olen)
{
    size_t i = 0;
    while (i < n) {
        /* One entry: up to a comma outside quotes and angle brackets. */
        size_t a = i;
        int inq = 0, inang = 0;
        size_t lt = (size_t)-1, gt = (size_t)-1;
        for (; i < n; i++) {
            char c = s[i];
            if (c == '"' && !inang)
                inq = !inq;
            else if (c == '<' && !inq && !inang) {
                inang = 1;
                if (lt == (size_t)-1)
                    lt = i;
            } else if (c == '>' && inang) {
                inang = 0;
                if (gt == (size_t)-1)
                    gt = i;
            } else if (c == ',' && !inq && !inang)
                break;
        }
        size_t b = i; /* entry is s[a..b) */
        i++;          /* past the comma */
        if (lt != (size_t)-1 && gt != (size_t)-1 && gt > lt) {
            deb_add_email(out, olen, s + lt + 1, gt - lt - 1);
            continue;
        }
        /* No <...>: take the whitespace-separated word holding an '@'. */
        size_t k = a;
        while (k < b) {
            while (k < b && (deb_is_blank(s[k]) || s[k] == '"'))
                k++;
            size_t w = k;
            while (k < b && !deb_is_blank(s[k]) && s[k] != '"')
                k++;
            if (k > w && memchr(s + w, '@', k - w)) {
                deb_add_email(out, olen, s + w, k - w);
                break;
            }
        }
    }
}

/* Pointer to field f as a C string, NULL when absent or empty. */
static const char *deb_get(const deb_state *st, int f)
{
    if (!st->has[f] || st->flen[f] == 0)
        return NULL;
    return st->buf + st->off[f];
}

/*
 * Finish the current stanza: emit it, or count it as skipped when it lacks
 * Package or Version. Returns 0 to go on, the emit value to stop, or -1 with
 * err set on out of memory.
 */
static int deb_finish(deb_state *st, pf_emit_fn emit, void *ctx, pf_parse_stats *stats, char *err,
                      size_t errlen)
{
    if (!st->in_stanza)
        return 0;
    if (!deb_get(st, F_PACKAGE) || !deb_get(st, F_VERSION)) {
        stats->skipped++;
        deb_reset(st);
        return 0;
    }
    if (st->has[F_BINARY])
        st->flen[F_BINARY] = deb_commas_to_spaces(st->buf + st->off[F_BINARY], st->flen[F_BINARY]);

    /* Maintainers go after the values: reserve first, since realloc moves buf. */
    size_t mlen = (st->has[F_MAINTAINER] ? st->flen[F_MAINTAINER] : 0) +
                  (st->has[F_UPLOADERS] ? st->flen[F_UPLOADERS] : 0);
    const char *maint = NULL;
    if (mlen > 0) {
        if (deb_reserve(st, mlen + 2) != 0) {
            snprintf(err, errlen, "deb-sources: out of memory");
            return -1;
        }
        char *out = st->buf + st->len;
        size_t olen = 0;
        if (st->has[F_MAINTAINER])
            deb_extract_emails(st->buf + st->off[F_MAINTAINER], st->flen[F_MAINTAINER], out, &olen);
        if (st->has[F_UPLOADERS])
            deb_extract_emails(st->buf + st->off[F_UPLOADERS], st->flen[F_UPLOADERS], out, &olen);
        out[olen] = '\0';
        if (olen > 0)
            maint = out;
    }

    pf_record rec;
    memset(&rec, 0, sizeof rec);
    rec.srcname = deb_get(st, F_PACKAGE);
    rec.version = deb_get(st, F_VERSION);
    rec.binnames = deb_get(st, F_BINARY);
    rec.maintainers = maint;
    rec.homepage = deb_get(st, F_HOMEPAGE);
    rec.category = deb_get(st, F_SECTION);
    int rc = emit(ctx, &rec);
    deb_reset(st);
    if (rc != 0)
        return rc;
    stats->records++;
    return 0;
}

/* Handle one input line (not a stanza separator). Returns 0, or -1 on out of memory. */
static int deb_line(deb_state *st, const char *line, size_t len)
{
    if (deb_is_blank(line[0])) {
        /* Continuation of the previous field; dropped unless that field is kept. */
        if (st->cur == F_NONE)
            return 0;
        const char *v = line;
        size_t n = len;
        deb_trim(&v, &n);
        return n > 0 ? deb_continue_field(st, v, n) : 0;
    }
    const char *colon = memchr(line, ':', len);
    if (!colon || colon == line) {
        st->cur = F_NONE; /* garbage line: ignored */
        return 0;
    }
    int f = deb_field_lookup(line, (size_t)(colon - line));
    if (f == F_NONE) {
        st->cur = F_NONE;
        return 0;
    }
    const char *v = colon + 1;
    size_t n = len - (size_t)(v - line);
    deb_trim(&v, &n);
    return deb_set_field(st, f, v, n);
}

/* Parse a whole Sources stream, emitting one record per stanza (see file comment). */
int pf_parse_deb_sources(pf_reader *in, const char *variant, pf_emit_fn emit, void *ctx,
                         pf_parse_stats *stats, char *err, size_t errlen)
{
    (void)variant;
    stats->records = stats->skipped = 0;

    pf_lines *lines = pf_lines_new(in, DEB_MAX_STANZA);
    if (!lines) {
        snprintf(err, errlen, "deb-sources: out of memory");
        return -1;
    }
    deb_state st;
    memset(&st, 0, sizeof st);
    deb_reset(&st);

    int rc = 0;
    for (;;) {
        char *line;
        size_t len;
        int got = pf_lines_next(lines, &line, &len);
        if (got < 0) {
            /* The line reader's message names the line (too long, decoder error). */
            snprintf(err, errlen, "deb-sources: %s", pf_lines_error(lines));
            rc = -1;
            break;
        }
        if (got == 0) {
            rc = deb_finish(&st, emit, ctx, stats, err, errlen);
            break;
        }
        /* Blank (or whitespace-only) line: stanza separator. */
        size_t k = 0;
        while (k < len && deb_is_blank(line[k]))
            k++;
        if (k == len) {
            rc = deb_finish(&st, emit, ctx, stats, err, errlen);
            if (rc != 0)
                break;
            continue;
        }
        if (!st.in_stanza) {
            st.in_stanza = 1;
            st.stanza_line = pf_lines_lineno(lines);
        }
        st.stanza_bytes += len + 1;
        if (st.stanza_bytes > DEB_MAX_STANZA) {
            snprintf(err, errlen, "deb-sources: stanza at line %llu is larger than %zu MB",
                     (unsigned long long)st.stanza_line, DEB_MAX_STANZA >> 20);
            rc = -1;
            break;
        }
        if (deb_line(&st, line, len) != 0) {
            snprintf(err, errlen, "deb-sources: out of memory");
            rc = -1;
            break;
        }
    }
    free(st.buf);
    pf_lines_free(lines);
    return rc;
}
