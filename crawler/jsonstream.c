/*
 * jsonstream.c — streaming splitter of big JSON documents into entries
 * (jsonstream.h).
 *
 * The document is read in JS_CHUNK pieces from the pf_reader into rbuf. An
 * entry is copied into ebuf in runs: copying starts at the entry's first
 * byte, and whenever rbuf is about to be refilled (or the entry ends) the
 * bytes since copy_from are appended. So the only memory that grows is ebuf,
 * bounded by max_entry.
 *
 * Three shapes share the code: a top-level array (PF_JS_ARRAY), the members
 * of an object held by a top-level member (PF_JS_MEMBERS) and the elements of
 * an array held by a top-level member (PF_JS_MEMBER_ARRAY); the last two walk
 * the root object before and after their container.
 *
 * Structure outside entries (the container brackets, commas, top-level keys)
 * is checked strictly; inside an entry only strings and bracket nesting are
 * tracked (the caller's JSON parser validates the rest). Control characters
 * inside strings are rejected here already, so a raw NUL byte can never hide
 * a string end from the caller.
 *
 * Invariants: rpos <= rlen; rbase is the stream offset of rbuf[0]; when
 * copying, copy_from <= rpos and rbuf[copy_from..rpos) is not yet in ebuf.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkgfresh/grow.h"
#include "pkgfresh/jsonstream.h"

#define JS_CHUNK  ((size_t)64 << 10)
#define JS_KEYMAX 256

/* Where the splitter is in the document. */
enum js_phase {
    JS_START,  /* nothing read yet */
    JS_FIRST,  /* inside the container, before the first entry */
    JS_NEXT,   /* after an entry: ',' or the closer follows */
    JS_TAIL,   /* the container is closed: finish the document */
    JS_DONE,   /* end reached */
    JS_FAILED, /* an error was reported; every later call fails again */
};

struct pf_jsonstream {
    pf_reader *in;
    pf_js_shape shape;
    char *member;
    int max_depth;
    size_t max_entry;
    unsigned char *rbuf;
    size_t rlen, rpos;
    uint64_t rbase;
    int eof;
    int copying;
    size_t copy_from;
    char *ebuf;
    size_t elen, ecap;
    uint64_t entry_off;
    enum js_phase phase;
    char *stack;       /* max_depth bytes: the open brackets of the value being scanned */
    pf_js_span *spans; /* PF_JS_MAX_SPANS: the entry's containers (pf_js_entry.spans) */
    size_t nspans;
    size_t open_span[PF_JS_SPAN_LEVELS]; /* spans index of the open container per level, or
                                            SIZE_MAX when it was not recorded */
    char err[256];
};

/* Record an error (first one wins) and enter the failed phase. Returns -1. */
static int js_fail(pf_jsonstream *js, const char *fmt, ...)
{
    if (js->phase != JS_FAILED) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(js->err, sizeof js->err, fmt, ap);
        va_end(ap);
        js->phase = JS_FAILED;
    }
    return -1;
}

/* Stream offset of the next unread byte. */
static uint64_t js_pos(const pf_jsonstream *js)
{
    return js->rbase + js->rpos;
}

/* Append n bytes to the entry buffer, enforcing max_entry. 0 ok, -1 error. */
static int js_append(pf_jsonstream *js, const void *p, size_t n)
{
    if (n > js->max_entry || js->elen > js->max_entry - n)
        return js_fail(js, "JSON entry at byte %llu is larger than %zu bytes",
                       (unsigned long long)js->entry_off, js->max_entry);
    if (pf_grow(&js->ebuf, &js->ecap, js->elen, n + 2) != 0)
        return js_fail(js, "JSON splitter: out of memory");
    memcpy(js->ebuf + js->elen, p, n);
    js->elen += n;
    return 0;
}

/* Move the pending run rbuf[copy_from..rpos) into the entry buffer. */
static int js_flush(pf_jsonstream *js)
{
    if (!js->copying || js->rpos == js->copy_from)
        return 0;
    int rc = js_append(js, js->rbuf + js->copy_from, js->rpos - js->copy_from);
    js->copy_from = js->rpos;
    return rc;
}

/* Refill rbuf when it is used up (js_fill's slow path). */
static int js_refill(pf_jsonstream *js)
{
    if (js->eof)
        return 0;
    if (js_flush(js) != 0)
        return -1;
    js->rbase += js->rlen;
    js->rlen = js->rpos = js->copy_from = 0;
    ssize_t n = js->in->read(js->in, js->rbuf, JS_CHUNK);
    if (n < 0)
        return js_fail(js, "%s", js->in->err[0] ? js->in->err : "read error");
    if (n == 0) {
        js->eof = 1;
        return 0;
    }
    js->rlen = (size_t)n;
    return 1;
}

/*
 * Make sure a byte is available: 1 yes, 0 end of input, -1 read error
 * (reported). Called for nearly every token, so the common case is inline.
 */
static inline int js_fill(pf_jsonstream *js)
{
    return js->rpos < js->rlen ? 1 : js_refill(js);
}

/* Offset in the entry text of the current byte (while copying: ebuf, then the pending run). */
static size_t js_entry_pos(const pf_jsonstream *js)
{
    return js->elen + (js->rpos - js->copy_from);
}

/* Fail for input that ends where more JSON was needed. */
static int js_truncated(pf_jsonstream *js, const char *where)
{
    return js_fail(js, "truncated JSON at byte %llu (%s)", (unsigned long long)js_pos(js), where);
}

/* Fail for an unexpected byte at the current position. */
static int js_unexpected(pf_jsonstream *js, const char *expected)
{
    unsigned char c = js->rbuf[js->rpos];
    if (c >= 0x20 && c < 0x7f)
        return js_fail(js, "invalid JSON at byte %llu: expected %s, got '%c'",
                       (unsigned long long)js_pos(js), expected, c);
    return js_fail(js, "invalid JSON at byte %llu: expected %s, got byte 0x%02x",
                   (unsigned long long)js_pos(js), expected, c);
}

/* Skip JSON whitespace. 1 = a byte follows, 0 = end of input, -1 = error. */
static int js_skip_ws(pf_jsonstream *js)
{
    for (;;) {
        int f = js_fill(js);
        if (f <= 0)
            return f;
        unsigned char c = js->rbuf[js->rpos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            return 1;
        js->rpos++;
    }
}

/* Skip whitespace and require a byte; `where` names what was expected at EOF. */
static int js_need(pf_jsonstream *js, const char *where)
{
    int f = js_skip_ws(js);
    if (f == 0)
        return js_truncated(js, where);
    return f;
}

/*
 * Scan a string whose opening quote is the current byte, up to and including
 * the closing quote. When key is non-NULL, the raw (undecoded) content is
 * stored there (truncated to JS_KEYMAX - 1 bytes, *keylen set, NUL-terminated).
 * Runs of plain bytes are skipped at once (pf_js_plain_end) when no key is
 * copied and no escape is pending; every other byte goes through the byte
 * loop, so the result and the errors are those of the byte loop alone.
 */
static int js_scan_string(pf_jsonstream *js, char *key, size_t *keylen)
{
    uint64_t start = js_pos(js);
    size_t kn = 0;
    int esc = 0;
    js->rpos++; /* the opening quote */
    for (;;) {
        int f = js_fill(js);
        if (f < 0)
            return -1;
        if (f == 0)
            return js_truncated(js, "inside a string");
        const unsigned char *p = js->rbuf + js->rpos;
        const unsigned char *end = js->rbuf + js->rlen;
        while (p < end) {
            if (!esc && !key && (p = pf_js_plain_end(p, end, 0)) == end)
                break;
            unsigned char c = *p++;
            if (c < 0x20) {
                js->rpos = (size_t)(p - 1 - js->rbuf);
                return js_fail(js,
                               "invalid JSON at byte %llu: control byte 0x%02x inside the string "
                               "starting at byte %llu",
                               (unsigned long long)js_pos(js), c, (unsigned long long)start);
            }
            if (esc) {
                esc = 0;
            } else if (c == '\\') {
                esc = 1;
            } else if (c == '"') {
                js->rpos = (size_t)(p - js->rbuf);
                if (key) {
                    key[kn] = '\0';
                    *keylen = kn;
                }
                return 0;
            }
            if (key && kn + 1 < JS_KEYMAX)
                key[kn++] = (char)c;
        }
        js->rpos = js->rlen;
    }
}

/* True for the bytes a JSON number or literal (true/false/null) is made of. */
static int js_is_scalar_byte(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' ||
           c == '+' || c == '.';
}

/*
 * Scan one value starting at the current byte (whitespace already skipped),
 * `depth` being the nesting of the container holding it. Objects and arrays
 * are matched bracket by bracket; strings are skipped with their escapes;
 * scalars are a run of number/literal bytes (checked later by the caller's
 * parser).
 */
static int js_scan_value(pf_jsonstream *js, int depth)
{
    int top = 0; /* open brackets in js->stack */
    for (;;) {
        int f = js_fill(js);
        if (f < 0)
            return -1;
        if (f == 0)
            return js_truncated(js, top ? "inside an object or array" : "expected a value");
        unsigned char c = js->rbuf[js->rpos];
        if (c == '"') {
            if (js_scan_string(js, NULL, NULL) != 0)
                return -1;
        } else if (c == '{' || c == '[') {
            if (depth + top + 1 > js->max_depth)
                return js_fail(js, "JSON nested deeper than %d levels at byte %llu", js->max_depth,
                               (unsigned long long)js_pos(js));
            js->stack[top++] = (char)(c == '{' ? '}' : ']');
            if (js->copying && top <= PF_JS_SPAN_LEVELS) {
                size_t k = js->nspans < PF_JS_MAX_SPANS ? js->nspans++ : SIZE_MAX;
                if (k != SIZE_MAX)
                    js->spans[k].open = js_entry_pos(js);
                js->open_span[top - 1] = k;
            }
            js->rpos++;
        } else if (c == '}' || c == ']') {
            if (top == 0 || js->stack[top - 1] != (char)c)
                return js_unexpected(js, top ? "a value or a matching bracket" : "a value");
            if (js->copying && top <= PF_JS_SPAN_LEVELS && js->open_span[top - 1] != SIZE_MAX)
                js->spans[js->open_span[top - 1]].close = js_entry_pos(js);
            top--;
            js->rpos++;
        } else if (top > 0) {
            /* Inside a container: skip separators, whitespace and scalars in one run. */
            const unsigned char *p = js->rbuf + js->rpos + 1;
            const unsigned char *end = js->rbuf + js->rlen;
            while (p < end && *p != '"' && *p != '{' && *p != '[' && *p != '}' && *p != ']')
                p++;
            js->rpos = (size_t)(p - js->rbuf);
        } else if (js_is_scalar_byte(c)) {
            /* A top-level scalar: consume its run of bytes. */
            do {
                js->rpos++;
                f = js_fill(js);
                if (f < 0)
                    return -1;
            } while (f > 0 && js_is_scalar_byte(js->rbuf[js->rpos]));
            return 0;
        } else {
            return js_unexpected(js, "a value");
        }
        if (top == 0)
            return 0;
    }
}

/* Start copying an entry at the current byte; `prefix` is put before it ("{" or ""). */
static int js_begin_entry(pf_jsonstream *js, const char *prefix)
{
    js->elen = 0;
    js->nspans = 0;
    js->entry_off = js_pos(js);
    if (js_append(js, prefix, strlen(prefix)) != 0)
        return -1;
    js->copying = 1;
    js->copy_from = js->rpos;
    return 0;
}

/* Stop copying, append `suffix` and the NUL, fill *e. */
static int js_end_entry(pf_jsonstream *js, const char *suffix, size_t prefix, pf_js_entry *e)
{
    int rc = js_flush(js);
    js->copying = 0;
    if (rc != 0 || js_append(js, suffix, strlen(suffix)) != 0)
        return -1;
    js->ebuf[js->elen] = '\0'; /* js_append always leaves room for it */
    e->text = js->ebuf;
    e->len = js->elen;
    e->offset = js->entry_off;
    e->prefix = prefix;
    e->spans = js->spans;
    e->nspans = js->nspans;
    return 0;
}

/* Read one entry at the current byte (whitespace skipped). */
static int js_read_entry(pf_jsonstream *js, pf_js_entry *e)
{
    if (js->shape != PF_JS_MEMBERS) {
        int depth = js->shape == PF_JS_ARRAY ? 1 : 2;
        if (js_begin_entry(js, "") != 0 || js_scan_value(js, depth) != 0)
            return -1;
        return js_end_entry(js, "", 0, e);
    }
    if (js->rbuf[js->rpos] != '"')
        return js_unexpected(js, "a member name");
    if (js_begin_entry(js, "{") != 0 || js_scan_string(js, NULL, NULL) != 0)
        return -1;
    if (js_need(js, "expected ':'") < 0)
        return -1;
    if (js->rbuf[js->rpos] != ':')
        return js_unexpected(js, "':'");
    js->rpos++;
    if (js_need(js, "expected a value") < 0 || js_scan_value(js, 2) != 0)
        return -1;
    return js_end_entry(js, "}", 1, e);
}

/*
 * Walk top-level members of the root object (whose '{' is consumed, or a ','
 * when `after_comma`), skipping their values. With `want` set, stop after
 * the ':' of the member named `want` (returns 1); otherwise run to the
 * closing '}' (returns 0). Returns 0 as well when the object ends without
 * `want`, -1 on error.
 */
static int js_walk_root(pf_jsonstream *js, const char *want, int first)
{
    char key[JS_KEYMAX];
    size_t klen = 0;
    for (;;) {
        if (js_need(js, "inside the top-level object") < 0)
            return -1;
        unsigned char c = js->rbuf[js->rpos];
        if (first && c == '}') {
            js->rpos++;
            return 0;
        }
        if (!first) {
            if (c == '}') {
                js->rpos++;
                return 0;
            }
            if (c != ',')
                return js_unexpected(js, "',' or '}'");
            js->rpos++;
            if (js_need(js, "expected a member name") < 0)
                return -1;
            c = js->rbuf[js->rpos];
        }
        first = 0;
        if (c != '"')
            return js_unexpected(js, "a member name");
        if (js_scan_string(js, key, &klen) != 0)
            return -1;
        if (js_need(js, "expected ':'") < 0)
            return -1;
        if (js->rbuf[js->rpos] != ':')
            return js_unexpected(js, "':'");
        js->rpos++;
        if (js_need(js, "expected a value") < 0)
            return -1;
        if (want && strcmp(key, want) == 0)
            return 1;
        if (js_scan_value(js, 1) != 0)
            return -1;
    }
}

/* Finish after the container closed: the rest of the root, then only whitespace. */
static int js_finish(pf_jsonstream *js)
{
    if (js->shape != PF_JS_ARRAY && js_walk_root(js, NULL, 0) != 0)
        return -1;
    int f = js_skip_ws(js);
    if (f < 0)
        return -1;
    if (f > 0)
        return js_unexpected(js, "the end of the document");
    js->phase = JS_DONE;
    return 0;
}

/* Open the document: the root bracket and, for members, descend into `member`. */
static int js_start(pf_jsonstream *js)
{
    if (js_need(js, "empty document") < 0)
        return -1;
    /* A UTF-8 byte order mark is tolerated at the very start. */
    if (js_pos(js) == 0 && js->rlen >= 3 && memcmp(js->rbuf, "\xEF\xBB\xBF", 3) == 0) {
        js->rpos = 3;
        if (js_need(js, "empty document") < 0)
            return -1;
    }
    unsigned char c = js->rbuf[js->rpos];
    if (js->shape == PF_JS_ARRAY) {
        if (c != '[')
            return js_unexpected(js, "'[' (a top-level array)");
        js->rpos++;
        return 0;
    }
    if (c != '{')
        return js_unexpected(js, "'{' (a top-level object)");
    js->rpos++;
    int found = js_walk_root(js, js->member, 1);
    if (found < 0)
        return -1;
    if (found == 0)
        return js_fail(js, "JSON document has no top-level \"%s\" member", js->member);
    char open = js->shape == PF_JS_MEMBERS ? '{' : '[';
    if (js->rbuf[js->rpos] != (unsigned char)open) {
        char what[JS_KEYMAX + 32];
        snprintf(what, sizeof what, "'%c' (the \"%s\" %s)", open, js->member,
                 open == '{' ? "object" : "array");
        return js_unexpected(js, what);
    }
    js->rpos++;
    return 0;
}

/* Next entry (see jsonstream.h). */
int pf_jsonstream_next(pf_jsonstream *js, pf_js_entry *e)
{
    const char closer = js->shape == PF_JS_MEMBERS ? '}' : ']';
    switch (js->phase) {
    case JS_FAILED:
        return -1;
    case JS_DONE:
        return 0;
    case JS_START:
        if (js_start(js) != 0)
            return -1;
        js->phase = JS_FIRST;
        /* fall through */
    case JS_FIRST:
        if (js_need(js, "inside the entry list") < 0)
            return -1;
        if (js->rbuf[js->rpos] == (unsigned char)closer) {
            js->rpos++;
            js->phase = JS_TAIL;
            return js_finish(js);
        }
        break;
    case JS_NEXT:
        if (js_need(js, "inside the entry list") < 0)
            return -1;
        if (js->rbuf[js->rpos] == (unsigned char)closer) {
            js->rpos++;
            js->phase = JS_TAIL;
            return js_finish(js);
        }
        if (js->rbuf[js->rpos] != ',')
            return js_unexpected(js, closer == ']' ? "',' or ']'" : "',' or '}'");
        js->rpos++;
        if (js_need(js, "expected an entry") < 0)
            return -1;
        break;
    case JS_TAIL:
        return js_finish(js);
    }
    if (js_read_entry(js, e) != 0)
        return -1;
    js->phase = JS_NEXT;
    return 1;
}

/* New splitter (see jsonstream.h). */
pf_jsonstream *pf_jsonstream_new(pf_reader *in, pf_js_shape shape, const char *member,
                                 int max_depth, size_t max_entry)
{
    pf_jsonstream *js = calloc(1, sizeof *js);
    if (!js)
        return NULL;
    js->in = in;
    js->shape = shape;
    js->max_depth = max_depth > 0 ? max_depth : PF_JS_MAX_DEPTH;
    js->max_entry = max_entry > 0 ? max_entry : PF_JS_MAX_ENTRY;
    js->member = strdup(member && shape != PF_JS_ARRAY ? member : "");
    js->rbuf = malloc(JS_CHUNK);
    js->stack = malloc((size_t)js->max_depth + 1);
    js->spans = malloc(PF_JS_MAX_SPANS * sizeof *js->spans);
    js->phase = JS_START;
    if (!js->member || !js->rbuf || !js->stack || !js->spans) {
        pf_jsonstream_free(js);
        return NULL;
    }
    return js;
}

/* Message of the last error, "" when none. */
const char *pf_jsonstream_error(const pf_jsonstream *js)
{
    return js->err;
}

/* Decoded bytes consumed so far. */
uint64_t pf_jsonstream_offset(const pf_jsonstream *js)
{
    return js_pos(js);
}

/* Free everything the splitter owns. */
void pf_jsonstream_free(pf_jsonstream *js)
{
    if (!js)
        return;
    free(js->member);
    free(js->rbuf);
    free(js->ebuf);
    free(js->stack);
    free(js->spans);
    free(js);
}
