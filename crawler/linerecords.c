/*
 * linerecords.c — the line-per-record loop (linerecords.h) over pf_lines.
 */
#include <stdio.h>

#include "pkgfresh/linerecords.h"

/* Parse line by line with map (see linerecords.h). */
int pf_line_records(pf_reader *in, size_t max_line, const char *fmt, pf_line_map_fn map,
                    pf_emit_fn emit, void *ctx, pf_parse_stats *stats, char *err, size_t errlen)
{
    stats->records = stats->skipped = 0;
    pf_lines *lines = pf_lines_new(in, max_line);
    if (!lines) {
        snprintf(err, errlen, "%s: out of memory", fmt);
        return -1;
    }
    char first_bad[200] = "";
    int rc = 0;
    for (;;) {
        char *line;
        size_t len;
        int got = pf_lines_next(lines, &line, &len);
        if (got < 0) {
            snprintf(err, errlen, "%s: %s", fmt, pf_lines_error(lines));
            rc = -1;
            break;
        }
        if (got == 0)
            break;
        if (len == 0)
            continue;
        pf_record rec;
        char why[160];
        int m = map(line, len, &rec, why, sizeof why);
        if (m == 1)
            continue;
        if (m != 0) {
            if (stats->skipped++ == 0)
                snprintf(first_bad, sizeof first_bad, "line %llu: %s",
                         (unsigned long long)pf_lines_lineno(lines), why);
            continue;
        }
        rc = emit(ctx, &rec);
        if (rc != 0)
            break;
        stats->records++;
    }
    pf_lines_free(lines);
    if (rc == 0 && stats->skipped > stats->records) {
        snprintf(err, errlen, "%s: %ld of %ld lines unusable, first at %s", fmt, stats->skipped,
                 stats->skipped + stats->records, first_bad);
        return -1;
    }
    return rc;
}
