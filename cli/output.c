/*
 * output.c — table / JSON / CSV row writer (see output.h).
 *
 * Invariant: every cell of a row is added in column order; pf_out_end_row
 * checks the count. Tables are buffered: the cells' escaped text one after
 * another in one buffer (no allocation or pointer per cell: `history` on
 * 300 repositories x 20 runs has 72k cells), each column's width kept up to
 * date as cells come. JSON and CSV stream straight to the FILE.
 */
#include "output.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "decimal.h"
#include "pkgfresh/grow.h"

struct pf_out {
    FILE *fp;
    pf_outfmt fmt;
    const pf_col *cols;
    int ncols;
    int cell;  /* cells in the current row */
    long rows; /* rows finished */
    /* table buffer: the text of rows * ncols cells, each NUL-terminated,
     * row after row; after running out of memory no more cells are kept */
    char *text;
    size_t tlen, tcap;
    size_t ncells; /* cells in text */
    size_t *width; /* display width of each column: its widest cell or name */
    int multibyte; /* some cell's width is not its length in bytes */
    int oom;
};

/* Map a format name to its enum. */
int pf_outfmt_parse(const char *s, pf_outfmt *out)
{
    if (strcmp(s, "table") == 0)
        *out = PF_FMT_TABLE;
    else if (strcmp(s, "json") == 0)
        *out = PF_FMT_JSON;
    else if (strcmp(s, "csv") == 0)
        *out = PF_FMT_CSV;
    else {
        pf_err("unknown output format '%s' (use table, json or csv)", s);
        return -1;
    }
    return 0;
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if invalid. */
static int utf8_len(const unsigned char *s)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    int n = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
    if (n == 0 || (n == 3 && c >= 0xf0))
        return 0;
    for (int i = 1; i < n; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    if (n == 3 && c == 0xe0 && s[1] < 0xa0)
        return 0; /* overlong */
    if (n == 3 && c == 0xed && s[1] >= 0xa0)
        return 0; /* surrogate */
    if (n == 4 && ((c == 0xf0 && s[1] < 0x90) || (c == 0xf4 && s[1] >= 0x90)))
        return 0;
    return n;
}

/* Write s as a JSON string literal: escapes, invalid UTF-8 becomes U+FFFD.
 * Runs of printable ASCII other than '"' and '\\' go out in one fwrite. */
void pf_json_string(FILE *fp, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    putc('"', fp);
    while (*p) {
        const unsigned char *run = p;
        while (*p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\')
            p++;
        if (p > run)
            fwrite(run, 1, (size_t)(p - run), fp);
        if (!*p)
            break;
        int n = utf8_len(p);
        if (n == 0) {
            fputs("\\ufffd", fp);
            p++;
        } else if (n > 1) {
            fwrite(p, 1, (size_t)n, fp);
            p += n;
        } else {
            unsigned char c = *p++;
            if (c == '"' || c == '\\')
                fprintf(fp, "\\%c", c);
            else if (c == '\n')
                fputs("\\n", fp);
            else if (c == '\t')
                fputs("\\t", fp);
            else if (c < 0x20 || c == 0x7f)
                fprintf(fp, "\\u%04x", c);
            else
                putc(c, fp);
        }
    }
    putc('"', fp);
}

/* Terminal/CSV-safe copy of s: control characters as \xNN, invalid UTF-8 as \xNN. */
static char *safe_text(const char *s)
{
    size_t len = strlen(s);
    char *out = malloc(len * 4 + 1), *q = out;
    if (!out)
        return NULL;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int n = utf8_len(p);
        if (n == 1 && *p >= 0x20 && *p != 0x7f) {
            *q++ = (char)*p++;
        } else if (n > 1) {
            memcpy(q, p, (size_t)n);
            q += n;
            p += n;
        } else {
            q += sprintf(q, "\\x%02x", *p++);
        }
    }
    *q = 0;
    return out;
}

/* Display width of a UTF-8 string: code points (good enough for names). */
static size_t text_width(const char *s)
{
    size_t w = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p & 0xc0) != 0x80)
            w++;
    return w;
}

/* Create a writer; JSON opens its array now. */
pf_out *pf_out_new(FILE *fp, pf_outfmt fmt, const pf_col *cols, int ncols)
{
    pf_out *o = calloc(1, sizeof *o);
    if (!o)
        return NULL;
    o->fp = fp;
    o->fmt = fmt;
    o->cols = cols;
    o->ncols = ncols;
    if (fmt == PF_FMT_TABLE) {
        if (!(o->width = calloc((size_t)ncols, sizeof *o->width))) {
            free(o);
            return NULL;
        }
        for (int i = 0; i < ncols; i++)
            o->width[i] = text_width(cols[i].name);
    }
    if (fmt == PF_FMT_JSON)
        fputs("[", fp);
    if (fmt == PF_FMT_CSV) {
        for (int i = 0; i < ncols; i++)
            fprintf(fp, "%s%s", i ? "," : "", cols[i].name);
        fputs("\n", fp);
    }
    return o;
}

/* Keep one table cell: text[0..len) (NULL = empty), whose display width is
 * `width`. */
static void table_push(pf_out *o, const char *text, size_t len, size_t width)
{
    if (o->oom || o->ncols <= 0)
        return;
    if (!text)
        len = width = 0;
    if (pf_grow(&o->text, &o->tcap, o->tlen, len + 1) != 0) {
        o->oom = 1;
        return;
    }
    if (len)
        memcpy(o->text + o->tlen, text, len);
    o->text[o->tlen + len] = 0;
    o->tlen += len + 1;
    size_t col = o->ncells++ % (size_t)o->ncols; /* the column table_print puts it in */
    if (width != len)
        o->multibyte = 1;
    if (width > o->width[col])
        o->width[col] = width;
}

/* Length of s when every byte is printable ASCII (safe_text would copy it
 * unchanged), else (size_t)-1. */
static size_t plain_len(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p >= 0x20 && *p < 0x7f)
        p++;
    return *p ? (size_t)-1 : (size_t)(p - (const unsigned char *)s);
}

/* Start a cell: JSON key, CSV separator. */
static void cell_begin(pf_out *o)
{
    if (o->fmt == PF_FMT_JSON) {
        fputs(o->cell == 0 ? (o->rows ? ",\n {" : "\n {") : ", ", o->fp);
        pf_json_string(o->fp, o->cols[o->cell].name);
        fputs(": ", o->fp);
    } else if (o->fmt == PF_FMT_CSV && o->cell > 0) {
        putc(',', o->fp);
    }
}

/* Add a string cell. */
void pf_out_str(pf_out *o, const char *s)
{
    if (!s) {
        pf_out_null(o);
        return;
    }
    cell_begin(o);
    if (o->fmt == PF_FMT_JSON) {
        pf_json_string(o->fp, s);
    } else if (o->fmt == PF_FMT_TABLE) {
        size_t n = plain_len(s);
        if (n != (size_t)-1) {
            table_push(o, s, n, n);
        } else {
            char *t = safe_text(s);
            if (!t)
                o->oom = 1;
            table_push(o, t, t ? strlen(t) : 0, t ? text_width(t) : 0);
            free(t);
        }
    } else if (plain_len(s) != (size_t)-1 && !strpbrk(s, ",\"")) {
        fputs(s, o->fp); /* what safe_text would copy unchanged, needing no quotes */
    } else {
        char *t = safe_text(s);
        if (t && strpbrk(t, ",\"\n")) {
            putc('"', o->fp);
            for (const char *p = t; *p; p++) {
                if (*p == '"')
                    putc('"', o->fp);
                putc(*p, o->fp);
            }
            putc('"', o->fp);
        } else if (t) {
            fputs(t, o->fp);
        }
        free(t);
    }
    o->cell++;
}

/* Add an integer cell. */
void pf_out_int(pf_out *o, long long v)
{
    char buf[PF_DEC_BUF];
    size_t n = pf_dec_int(buf, v);
    cell_begin(o);
    if (o->fmt == PF_FMT_TABLE)
        table_push(o, buf, n, n);
    else
        fwrite(buf, 1, n, o->fp);
    o->cell++;
}

/* Add a real cell; negative or NaN means "unknown" (null / empty). */
void pf_out_real(pf_out *o, double v, int decimals)
{
    if (isnan(v) || v < 0) {
        pf_out_null(o);
        return;
    }
    char buf[64];
    size_t n = pf_dec_fixed(buf, v, decimals);
    if (n == 0) {
        int w = snprintf(buf, sizeof buf, "%.*f", decimals, v);
        n = (size_t)w < sizeof buf ? (size_t)w : sizeof buf - 1;
    }
    cell_begin(o);
    if (o->fmt == PF_FMT_TABLE)
        table_push(o, buf, n, n);
    else
        fwrite(buf, 1, n, o->fp);
    o->cell++;
}

/* Add a missing value. */
void pf_out_null(pf_out *o)
{
    cell_begin(o);
    if (o->fmt == PF_FMT_JSON)
        fputs("null", o->fp);
    else if (o->fmt == PF_FMT_TABLE)
        table_push(o, "-", 1, 1);
    o->cell++;
}

/* Close the current row. */
void pf_out_end_row(pf_out *o)
{
    while (o->cell < o->ncols)
        pf_out_null(o);
    if (o->fmt == PF_FMT_JSON)
        fputs("}", o->fp);
    else if (o->fmt == PF_FMT_CSV)
        putc('\n', o->fp);
    o->cell = 0;
    o->rows++;
}

/* Print the buffered table with aligned columns: the rows all of whose
 * cells were kept, built in one buffer and written 64 KiB at a time (a
 * printf per padding was half of the table's cost, and stdio's 4 KiB
 * buffer made 240 write calls of `history`'s 1 MB). */
static void table_print(pf_out *o)
{
    enum { CHUNK = 64 * 1024 };
    const size_t *w = o->width;
    char *buf = NULL;
    size_t cap = 0, len = 0; /* buf[0..len): whole lines not written yet */
    const char *next = o->text;
    long rows = o->ncols ? (long)(o->ncells / (size_t)o->ncols) : 0;
    if (rows > o->rows)
        rows = o->rows; /* a row begun but never ended is left out */
    for (long r = -1; r < rows; r++) {
        size_t end = len;
        for (int c = 0; c < o->ncols; c++) {
            const char *t = r < 0 ? o->cols[c].name : next;
            size_t tlen = strlen(t);
            size_t pad = w[c] - (r >= 0 && !o->multibyte ? tlen : text_width(t));
            if (r >= 0)
                next += tlen + 1;
            int right = o->cols[c].type != PF_COL_STR;
            int last = c == o->ncols - 1;
            if (pf_grow(&buf, &cap, end, pad + tlen + 3) != 0) {
                o->oom = 1;
                rows = r; /* stop after writing the lines before this one */
                break;
            }
            if (right) {
                memset(buf + end, ' ', pad);
                end += pad;
            }
            memcpy(buf + end, t, tlen);
            end += tlen;
            if (!right && !last) {
                memset(buf + end, ' ', pad);
                end += pad;
            }
            if (!last) {
                memcpy(buf + end, "  ", 2);
                end += 2;
            }
        }
        if (r < rows) {
            buf[end++] = '\n';
            len = end;
        }
        if (len >= CHUNK || (r + 1 >= rows && len > 0)) {
            fwrite(buf, 1, len, o->fp);
            len = 0;
        }
    }
    free(buf);
}

/* Finish output and free the writer. */
int pf_out_finish(pf_out *o)
{
    if (!o)
        return -1;
    if (o->fmt == PF_FMT_JSON)
        fputs(o->rows ? "\n]\n" : "]\n", o->fp);
    else if (o->fmt == PF_FMT_TABLE)
        table_print(o);
    free(o->text);
    free(o->width);
    int rc = o->oom || ferror(o->fp) ? -1 : 0;
    free(o);
    return rc;
}
