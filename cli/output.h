/*
 * output.h — one writer for every query's rows: aligned table, JSON or CSV.
 *
 * A command declares its columns once, then emits cells row by row. JSON is
 * an array of objects keyed by the column names (numbers as numbers, null
 * for missing); CSV has a header line (RFC 4180 quoting); the table is
 * aligned (it buffers rows to measure widths). Text is made safe for the
 * medium: control characters are escaped, invalid UTF-8 replaced.
 */
#ifndef PKGFRESH_OUTPUT_H
#define PKGFRESH_OUTPUT_H

#include <stdio.h>

typedef enum pf_outfmt { PF_FMT_TABLE, PF_FMT_JSON, PF_FMT_CSV } pf_outfmt;

typedef enum pf_coltype { PF_COL_STR, PF_COL_INT, PF_COL_REAL } pf_coltype;

typedef struct pf_col {
    const char *name; /* stable machine name, also the table header */
    pf_coltype type;  /* numbers are right-aligned in tables, unquoted in JSON */
} pf_col;

typedef struct pf_out pf_out;

/* Parse "table" / "json" / "csv"; -1 when unknown (error printed). */
int pf_outfmt_parse(const char *s, pf_outfmt *out);

/* Start output of rows with these columns (cols must outlive the writer). */
pf_out *pf_out_new(FILE *fp, pf_outfmt fmt, const pf_col *cols, int ncols);
void pf_out_str(pf_out *o, const char *s); /* NULL = null */
void pf_out_int(pf_out *o, long long v);
void pf_out_real(pf_out *o, double v, int decimals); /* v < 0 or NaN = null */
void pf_out_null(pf_out *o);
void pf_out_end_row(pf_out *o);
/* Finish (print the buffered table / close the JSON array), free. Returns 0 or -1 on write error.
 */
int pf_out_finish(pf_out *o);

/* Append s to fp as a JSON string literal (quotes included), UTF-8 validated. */
void pf_json_string(FILE *fp, const char *s);

#endif
