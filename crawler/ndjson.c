/*
 * ndjson.c — newline-delimited JSON reader (ndjson.h).
 *
 * A thin loop over pf_lines: each non-blank line is handed to jansson as a
 * complete JSON text (JSON_DECODE_ANY, so scalars are values too; the caller
 * decides what it accepts). Errors keep the first message.
 */
#include <stdio.h>
#include <stdlib.h>

#include "pkgfresh/ndjson.h"

struct pf_ndjson {
    pf_lines *lines;
    uint64_t lineno;
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

/* Is line[0..len) only JSON whitespace? */
static int nd_blank(const char *line, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
            return 0;
    return 1;
}

/* Next value (see ndjson.h). */
int pf_ndjson_next(pf_ndjson *nd, json_t **out)
{
    *out = NULL;
    if (nd->err[0])
        return -1;
    for (;;) {
        char *line;
        size_t len;
        int got = pf_lines_next(nd->lines, &line, &len);
        if (got < 0) {
            snprintf(nd->err, sizeof nd->err, "%s", pf_lines_error(nd->lines));
            return -1;
        }
        if (got == 0)
            return 0;
        nd->lineno = pf_lines_lineno(nd->lines);
        if (nd_blank(line, len))
            continue;
        json_error_t jerr;
        json_t *v = json_loadb(line, len, JSON_DECODE_ANY, &jerr);
        if (!v) {
            snprintf(nd->err, sizeof nd->err, "line %llu: invalid JSON at column %d: %s",
                     (unsigned long long)nd->lineno, jerr.column, jerr.text);
            return -1;
        }
        *out = v;
        return 1;
    }
}

/* The last error, "" when none. */
const char *pf_ndjson_error(const pf_ndjson *nd)
{
    return nd->err;
}

/* Line number of the last value. */
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
