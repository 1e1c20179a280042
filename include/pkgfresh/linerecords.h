/*
 * linerecords.h — the loop of the one-record-per-line formats (FreeBSD
 * INDEX, pkgsrc INDEX): read lines, map each to a record, skip and count
 * the unusable ones, fail when they are the majority.
 */
#ifndef PKGFRESH_LINERECORDS_H
#define PKGFRESH_LINERECORDS_H

#include "pkgfresh/format.h"

/*
 * Map one line (NUL-terminated, len bytes, editable in place) into *rec.
 * Returns 0 for a record, 1 for a line to ignore silently (blank after
 * trimming), -1 for an unusable line with the reason in why.
 */
typedef int (*pf_line_map_fn)(char *line, size_t len, pf_record *rec, char *why, size_t whylen);

/*
 * Parse `in` line by line (lines longer than max_line are an error): empty
 * lines are ignored, every other line goes through map and its record to
 * emit. Unusable lines are counted in stats->skipped, the first one
 * remembered; when more lines are skipped than kept the parse fails with
 * "<fmt>: S of N lines unusable, first at line L: <why>". Returns 0, -1 with
 * a one-line message in err, or emit's non-zero value.
 */
int pf_line_records(pf_reader *in, size_t max_line, const char *fmt, pf_line_map_fn map,
                    pf_emit_fn emit, void *ctx, pf_parse_stats *stats, char *err, size_t errlen);

#endif
