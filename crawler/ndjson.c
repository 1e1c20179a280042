/*
 * ndjson.c — newline-delimited JSON reader (ndjson.h).
 *
 * A thin loop over pf_lines handing out each non-blank line; jansson is
 * only asked about a line the caller's own reading refused
 * (JSON_DECODE_ANY, so scalars are values too; the caller decides what it
 * accepts). Errors keep the first message.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "pkgfresh/ndjson.h"

struct pf_ndjson {
    pf_lines *lines;
    uint64_t lineno;
    size_t skipped; /* leading white space cut from the last line (for columns) */
    char err[256];
};

/* New reader (see ndjson.h). */
pf_ndjson *pf_ndjson_new(pf_reader *in, size_t max_line)
{
    pf_ndjson *nd = calloc(1, sizeof *nd);
    if (!nd)
        return NULL;
    nd->lines = pf_lines_new(in, max_line ? max_line : PF_NDJSON_MAX_LINE);
    if (!nd->lines) {
        free(nd);
        return NULL;
    }
    return nd;
}

/* Is c JSON white space other than the newline (which ends lines)? */
static int nd_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* Next non-blank line (see ndjson.h). */
int pf_ndjson_next(pf_ndjson *nd, const char **text, size_t *len)
{
    *text = NULL;
    *len = 0;
    if (nd->err[0])
        return -1;
    for (;;) {
        char *line;
        size_t n;
        int got = pf_lines_next(nd->lines, &line, &n);
        if (got < 0) {
            snprintf(nd->err, sizeof nd->err, "%s", pf_lines_error(nd->lines));
            return -1;
        }
        if (got == 0)
            return 0;
        nd->lineno = pf_lines_lineno(nd->lines);
        size_t i = 0;
        while (i < n && nd_space(line[i]))
            i++;
        if (i == n)
            continue;
        nd->skipped = i;
        *text = line + i;
        *len = n - i;
        return 1;
    }
}

/* jansson's verdict on the last line (see ndjson.h). */
int pf_ndjson_judge(pf_ndjson *nd, const char *text, size_t len)
{
    json_error_t jerr;
    json_t *v = json_loadb(text - nd->skipped, len + nd->skipped, JSON_DECODE_ANY, &jerr);
    if (v) {
        json_decref(v);
        return 0;
    }
    snprintf(nd->err, sizeof nd->err, "line %llu: invalid JSON at column %d: %s",
             (unsigned long long)nd->lineno, jerr.column, jerr.text);
    return -1;
}

/* The last error, "" when none. */
const char *pf_ndjson_error(const pf_ndjson *nd)
{
    return nd->err;
}

/* Line number of the last line. */
uint64_t pf_ndjson_lineno(const pf_ndjson *nd)
{
    return nd->lineno;
}

/* Free the reader. */
void pf_ndjson_free(pf_ndjson *nd)
{
    if (!nd)
        return;
    pf_lines_free(nd->lines);
    free(nd);
}
