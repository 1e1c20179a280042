/*
 * rules_yaml.c — a rule file's YAML as an array of events (pfr_ystream),
 * which rules_load.c turns into rules.
 *
 * Two readers fill the same array. libyaml reads any file. The fast reader
 * reads only the shape 143 of the community ruleset's 242 files have (90 %
 * of its bytes): comment lines, blank lines and rules written as one-line
 * flow mappings at column 0, `- { key: value, key: [a, "b"], key: { "x": y } }`,
 * in printable UTF-8 without tabs or carriage returns, with plain,
 * single-quoted and double-quoted scalars (escapes \\ and \" only). It gives up on anything else
 * (0), and the file goes to libyaml; it never reports an error of its own, so errors read the same
 * either way. libyaml spent most of the load allocating and freeing every token and event; the fast
 * reader allocates nothing per event.
 *
 * Within that shape it yields exactly libyaml's events: types, scalar
 * styles and texts, and start lines (tests/test_rules_yaml.c compares the
 * two on every file of the community ruleset and on mutations of them).
 * A ':' inside a plain scalar belongs to it unless a space or the end of
 * the line follows (then it ends a key); libyaml 0.2.5 refuses one followed
 * by , [ ] { } or ?, and the fast reader gives up there, as on a '#' after
 * a space inside a collection.
 */
#include "rules.h"

#include <string.h>
#include <yaml.h>

#include "pkgfresh/grow.h"

/* Room for one more event; -1 when out of memory. */
static int ys_room(pfr_ystream *ys)
{
    pfr_yev *v = pf_grow_items(ys->ev, &ys->capev, ys->nev, sizeof *v, 1024);
    if (!v)
        return -1;
    ys->ev = v;
    return 0;
}

/* Append an event without text; -1 when out of memory. */
static int ys_event(pfr_ystream *ys, int type, size_t line)
{
    if (ys_room(ys) < 0)
        return -1;
    ys->ev[ys->nev++] = (pfr_yev){.type = (uint8_t)type, .line = (uint32_t)line};
    return 0;
}

/* Append n bytes of text (NUL-terminated in the buffer); its offset, or -1 when out of memory. */
static long ys_text(pfr_ystream *ys, const char *s, size_t n)
{
    if (pf_grow(&ys->text, &ys->captext, ys->ntext, n + 1) != 0)
        return -1;
    memcpy(ys->text + ys->ntext, s, n);
    ys->text[ys->ntext + n] = '\0';
    ys->ntext += n + 1;
    return (long)(ys->ntext - n - 1);
}

/* Append an event carrying text (a scalar, or an error's message); -1 when out of memory. */
static int ys_scalar(pfr_ystream *ys, int type, size_t line, int style, int tagged, const char *s,
                     size_t n)
{
    long off = ys_text(ys, s, n);
    if (off < 0 || ys_event(ys, type, line) < 0)
        return -1;
    pfr_yev *e = &ys->ev[ys->nev - 1];
    e->style = (uint8_t)style;
    e->tagged = (uint8_t)tagged;
    e->off = (uint32_t)off;
    e->len = (uint32_t)n;
    return 0;
}

/* See rules.h. */
int pfr_yev_same(const pfr_ystream *x, size_t i, const pfr_ystream *y, size_t j)
{
    const pfr_yev *a = &x->ev[i], *b = &y->ev[j];
    return a->type == b->type && a->line == b->line && a->style == b->style &&
           a->tagged == b->tagged &&
           (a->type != PFR_YEV_SCALAR ||
            (a->len == b->len && memcmp(x->text + a->off, y->text + b->off, a->len) == 0));
}

/* Empty ys for the next file (buffers kept). */
static void ys_reset(pfr_ystream *ys)
{
    ys->nev = 0;
    ys->ntext = 0;
}

void pfr_ystream_free(pfr_ystream *ys)
{
    free(ys->ev);
    free(ys->text);
    memset(ys, 0, sizeof *ys);
}

/* ---------------------------------------------------------------- libyaml */

int pfr_yaml_libyaml(pfr_ystream *ys, const char *buf, size_t n)
{
    /* Every event up to the end or the first error (a PFR_YEV_ERROR event
     * with libyaml's message and line: the loader reports it only if it gets
     * that far, as it would have reading libyaml's events one by one). */
    static const uint8_t types[] = {
        [YAML_NO_EVENT] = PFR_YEV_ERROR,
        [YAML_STREAM_START_EVENT] = PFR_YEV_STREAM_START,
        [YAML_STREAM_END_EVENT] = PFR_YEV_STREAM_END,
        [YAML_DOCUMENT_START_EVENT] = PFR_YEV_DOC_START,
        [YAML_DOCUMENT_END_EVENT] = PFR_YEV_DOC_END,
        [YAML_ALIAS_EVENT] = PFR_YEV_ALIAS,
        [YAML_SCALAR_EVENT] = PFR_YEV_SCALAR,
        [YAML_SEQUENCE_START_EVENT] = PFR_YEV_SEQ_START,
        [YAML_SEQUENCE_END_EVENT] = PFR_YEV_SEQ_END,
        [YAML_MAPPING_START_EVENT] = PFR_YEV_MAP_START,
        [YAML_MAPPING_END_EVENT] = PFR_YEV_MAP_END,
    };
    ys_reset(ys);
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p))
        return -1;
    yaml_parser_set_input_string(&p, (const unsigned char *)buf, n);
    int rc = 0;
    for (int done = 0; !done && rc == 0;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&p, &ev)) {
            const char *msg = p.problem ? p.problem : "unknown";
            rc = ys_scalar(ys, PFR_YEV_ERROR, p.problem_mark.line, 0, 0, msg, strlen(msg));
            break;
        }
        size_t line = ev.start_mark.line;
        if (ev.type == YAML_SCALAR_EVENT) {
            int style = ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE           ? PFR_YS_PLAIN
                        : ev.data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ? PFR_YS_SINGLE
                        : ev.data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE ? PFR_YS_DOUBLE
                                                                                  : PFR_YS_OTHER;
            rc = ys_scalar(ys, PFR_YEV_SCALAR, line, style, ev.data.scalar.tag != NULL,
                           (const char *)ev.data.scalar.value, ev.data.scalar.length);
        } else {
            rc =
                ys_event(ys, (size_t)ev.type < sizeof types ? types[ev.type] : PFR_YEV_ERROR, line);
        }
        done = ev.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&p);
    return rc;
}

/* ---------------------------------------------------------------- the fast reader */

/* Reading state of one line: buf[i..end) is what is left of it. */
typedef struct fline {
    const char *buf;
    size_t i, end, line;
} fline;

/* Skip spaces. */
static void f_spaces(fline *f)
{
    while (f->i < f->end && f->buf[f->i] == ' ')
        f->i++;
}

/* The byte at i, or 0 at the end of the line. */
static char f_peek(const fline *f)
{
    return f->i < f->end ? f->buf[f->i] : '\0';
}

/* One scalar of a flow collection at i; 1 read, 0 not in the fast subset, -1 no memory. */
static int f_scalar(pfr_ystream *ys, fline *f)
{
    const char *b = f->buf;
    char q = f_peek(f);
    if (q == '"' || q == '\'') {
        /* quoted: decoded on the stack (longer than 1 KiB: left to libyaml) */
        char tmp[1024];
        size_t n = 0, j = f->i + 1;
        for (;; j++) {
            if (j >= f->end || n >= sizeof tmp)
                return 0;
            char c = b[j];
            if (c == q) {
                if (q == '\'' && j + 1 < f->end && b[j + 1] == '\'') { /* '' is one quote */
                    tmp[n++] = '\'';
                    j++;
                    continue;
                }
                break;
            }
            if (q == '"' && c == '\\') {
                if (j + 1 >= f->end || (b[j + 1] != '\\' && b[j + 1] != '"'))
                    return 0;
                c = b[++j];
            }
            tmp[n++] = c;
        }
        f->i = j + 1;
        char next = f_peek(f);
        if (next != ' ' && next != ',' && next != ':' && next != ']' && next != '}')
            return 0;
        if (ys_scalar(ys, PFR_YEV_SCALAR, f->line, q == '"' ? PFR_YS_DOUBLE : PFR_YS_SINGLE, 0, tmp,
                      n) < 0)
            return -1;
        return 1;
    }
    /* plain: not starting with an indicator; ends at , ] } or ": " */
    if (!q || strchr(" -?:,[]{}#&*!|>'\"%@`\\", q))
        return 0;
    size_t j = f->i, last = f->i; /* last: just past the last non-space byte */
    for (; j < f->end; j++) {
        char c = b[j];
        if (c == ',' || c == ']' || c == '}')
            break;
        if (c == '[' || c == '{')
            return 0;
        if (c == ':') {
            if (j + 1 >= f->end || b[j + 1] == ' ')
                break; /* the end of a key */
            if (strchr(",[]{}?", b[j + 1]))
                return 0; /* an error to libyaml 0.2.5 */
            /* else part of the scalar (rust:$0) */
        }
        if (c == '#' && b[j - 1] == ' ')
            return 0; /* a comment inside a flow collection */
        if (c != ' ')
            last = j + 1;
    }
    if (ys_scalar(ys, PFR_YEV_SCALAR, f->line, PFR_YS_PLAIN, 0, b + f->i, last - f->i) < 0)
        return -1;
    f->i = last;
    return 1;
}

/*
 * A flow collection at i ('{' or '['): its events. Mapping values may be
 * scalars or collections one level deeper (depth counts levels). 1 read, 0
 * not in the subset, -1 no memory.
 */
static int f_collection(pfr_ystream *ys, fline *f, int depth)
{
    int map = f_peek(f) == '{';
    char close = map ? '}' : ']';
    if (ys_event(ys, map ? PFR_YEV_MAP_START : PFR_YEV_SEQ_START, f->line) < 0)
        return -1;
    f->i++;
    f_spaces(f);
    if (f_peek(f) == close) {
        f->i++;
        return ys_event(ys, map ? PFR_YEV_MAP_END : PFR_YEV_SEQ_END, f->line) < 0 ? -1 : 1;
    }
    for (;;) {
        int rc = f_scalar(ys, f);
        if (rc <= 0)
            return rc;
        if (map) {
            /* "key: value": the colon right after the key, then a space */
            if (f_peek(f) != ':' || f->i + 1 >= f->end || f->buf[f->i + 1] != ' ')
                return 0;
            f->i += 2;
            f_spaces(f);
            char c = f_peek(f);
            if ((c == '[' || c == '{') && depth < 2)
                rc = f_collection(ys, f, depth + 1);
            else
                rc = f_scalar(ys, f);
            if (rc <= 0)
                return rc;
        }
        f_spaces(f);
        char c = f_peek(f);
        if (c == close)
            break;
        if (c != ',')
            return 0;
        f->i++;
        f_spaces(f);
        if (f_peek(f) == close)
            break; /* a trailing comma */
        if (f_peek(f) == ',')
            return 0; /* an empty entry */
    }
    f->i++;
    return ys_event(ys, map ? PFR_YEV_MAP_END : PFR_YEV_SEQ_END, f->line) < 0 ? -1 : 1;
}

/*
 * Length of the UTF-8 sequence at s[0..n) (s[0] >= 0x80) when it encodes a
 * character libyaml reads as printable and not as a line break (U+00A0 ..
 * U+D7FF, U+E000 .. U+FFFD but U+FEFF, U+10000 .. U+10FFFF; not U+0085,
 * U+2028, U+2029), minimally encoded; 0 otherwise.
 */
static size_t utf8_printable(const unsigned char *s, size_t n)
{
    size_t len = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC0 ? 2 : 0;
    if (!len || len > n || s[0] >= 0xF8)
        return 0;
    uint32_t cp = s[0] & (0x7F >> len);
    for (size_t k = 1; k < len; k++) {
        if ((s[k] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (s[k] & 0x3F);
    }
    static const uint32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < least[len] || cp < 0xA0 || (cp >= 0xD800 && cp < 0xE000) || cp == 0xFEFF ||
        cp == 0x2028 || cp == 0x2029 || cp == 0xFFFE || cp == 0xFFFF || cp > 0x10FFFF)
        return 0;
    return len;
}

int pfr_yaml_fast(pfr_ystream *ys, const char *buf, size_t n)
{
    ys_reset(ys);
    /* printable characters and newlines only (libyaml judges the rest) */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)buf[i];
        if (c >= 0x80) {
            size_t len = utf8_printable((const unsigned char *)buf + i, n - i);
            if (!len)
                return 0;
            i += len - 1;
        } else if ((c < 0x20 && c != '\n') || c == 0x7f) {
            return 0;
        }
    }
    if (ys_event(ys, PFR_YEV_STREAM_START, 0) < 0)
        return -1;
    size_t line = 0;
    int started = 0;
    for (size_t p = 0; p < n; line++) {
        const char *nl = memchr(buf + p, '\n', n - p);
        size_t eol = nl ? (size_t)(nl - buf) : n;
        fline f = {buf, p, eol, line};
        p = nl ? eol + 1 : n;
        size_t start = f.i;
        f_spaces(&f);
        if (f.i == f.end || buf[f.i] == '#')
            continue; /* blank or comment */
        if (f.i != start || buf[f.i] != '-')
            return 0; /* a rule starts with its dash at column 0 */
        f.i++;
        if (f_peek(&f) != ' ')
            return 0;
        f_spaces(&f);
        if (f_peek(&f) != '{')
            return 0;
        if (!started) {
            if (ys_event(ys, PFR_YEV_DOC_START, line) < 0 ||
                ys_event(ys, PFR_YEV_SEQ_START, line) < 0)
                return -1;
            started = 1;
        }
        int rc = f_collection(ys, &f, 1);
        if (rc <= 0)
            return rc;
        f_spaces(&f);
        if (f.i < f.end && !(buf[f.i] == '#' && buf[f.i - 1] == ' '))
            return 0; /* only a comment may follow the rule */
    }
    /* libyaml ends the stream on the line after the last newline, or after
     * an unterminated last line: either way `line`, the count of lines read */
    if (started &&
        (ys_event(ys, PFR_YEV_SEQ_END, line) < 0 || ys_event(ys, PFR_YEV_DOC_END, line) < 0))
        return -1;
    if (ys_event(ys, PFR_YEV_STREAM_END, line) < 0)
        return -1;
    return 1;
}

int pfr_yaml_read(pfr_ystream *ys, const char *buf, size_t n)
{
    /* The fast reader when it can, libyaml otherwise. */
    int rc = pfr_yaml_fast(ys, buf, n);
    return rc != 0 ? (rc < 0 ? -1 : 0) : pfr_yaml_libyaml(ys, buf, n);
}
