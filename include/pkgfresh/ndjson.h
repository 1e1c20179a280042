/*
 * ndjson.h — newline-delimited JSON: one JSON value per line.
 *
 * Some indexes (stal/IX's dump.json) are not one JSON document but one
 * object per line. The reader walks the lines of a pf_reader (pf_lines, so
 * memory is bounded by the longest line) and hands out each non-blank line
 * (only white space: passed over) as the text of one value, which the
 * caller reads itself (jsonobj.h). A line the caller's reading refuses goes
 * to pf_ndjson_judge, which lets jansson decide: a line that is not valid
 * JSON is an error naming its line number (a truncated download ends in
 * such a line, and Repology's own reader, json.loads per line, fails there
 * too).
 */
#ifndef PKGFRESH_NDJSON_H
#define PKGFRESH_NDJSON_H

#include <stddef.h>
#include <stdint.h>

#include "pkgfresh/reader.h"

#define PF_NDJSON_MAX_LINE ((size_t)16 << 20) /* default line limit (16 MiB) */

typedef struct pf_ndjson pf_ndjson;

/* New reader over in (not owned); max_line 0 = the default. NULL when out of memory. */
pf_ndjson *pf_ndjson_new(pf_reader *in, size_t max_line);

/*
 * Next non-blank line: 1 = *text, *len hold it (without its newline and
 * leading white space; valid until the next call), 0 = end of input,
 * -1 = error (pf_ndjson_error).
 */
int pf_ndjson_next(pf_ndjson *nd, const char **text, size_t *len);

/*
 * jansson's verdict on the line last returned (text, len as returned):
 * 0 = it is one valid JSON value, -1 = it is not ("line N: invalid JSON at
 * column C: ..." in pf_ndjson_error, and every later call fails too).
 */
int pf_ndjson_judge(pf_ndjson *nd, const char *text, size_t len);

/* One-line cause of the last error (it names the line number); "" when none. */
const char *pf_ndjson_error(const pf_ndjson *nd);

/* Line number of the line returned last (1-based). */
uint64_t pf_ndjson_lineno(const pf_ndjson *nd);

/* Free the reader (not the pf_reader); NULL is a no-op. */
void pf_ndjson_free(pf_ndjson *nd);

#endif
