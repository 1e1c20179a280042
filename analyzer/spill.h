/*
 * analyzer/spill.h — rows set aside in sorted runs and merged back in
 * order: how a streaming full analysis gets the rows pass 1 named back by
 * project (pass 2) without reading every package of the store again in
 * the order of an index, one random table lookup per row.
 *
 * Rows are added in any order into a run of about run_bytes; a full run
 * is sorted (project bytes, repository index, package id: the order of the
 * store's result_project index) and written to an unnamed temporary file
 * (in $TMPDIR, else /tmp); an_spill_each merges the runs. Memory
 * is one run plus a read buffer per run; disk, about 60 bytes a row (5 M
 * packages: 300 MB, gone when the spill is freed).
 */
#ifndef PKGFRESH_ANALYZER_SPILL_H
#define PKGFRESH_ANALYZER_SPILL_H

#include <stddef.h>
#include <stdint.h>

/* One row: what pass 2 reads of a package (strings may be NULL but
 * project and version; each at most 65534 bytes). */
typedef struct an_srow {
    int64_t id;
    uint32_t repo; /* the analysis' repository index */
    unsigned flags;
    int status;
    long newer;     /* -1 none */
    int64_t behind; /* 0 none */
    int renamed;    /* the caller's mark (0 or 1) */
    const char *project, *version, *best, *flavor, *branch;
} an_srow;

typedef struct an_spill an_spill;

/* A spill with runs of about run_bytes (0: 64 MiB). NULL out of memory. */
an_spill *an_spill_new(size_t run_bytes);

/* Add a copy of r. 0, or -1: out of memory or the temporary file failed
 * (errno tells; the spill is then unusable, free it). */
int an_spill_add(an_spill *s, const an_srow *r);

/* Rows added so far. */
size_t an_spill_count(const an_spill *s);

/* Call fn with every row, in order (the strings live until fn returns);
 * once only. 0, fn's nonzero return (it stops), or -1 (out of memory or
 * a read failed: errno). */
int an_spill_each(an_spill *s, int (*fn)(void *ctx, const an_srow *r), void *ctx);

/* Free the spill and its temporary file (NULL: nothing). */
void an_spill_free(an_spill *s);

#endif
