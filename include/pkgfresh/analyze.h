/*
 * analyze.h — from stored packages to projects, statuses and statistics.
 *
 * pf_analyze reads the snapshot (all of it, or in an incremental analysis
 * only what crawls changed since the last one and the projects it touches), seeds each package's
 * project name from its source name (lower-cased, Repology's seed rules per family), normalizes its
 * version per family, runs the name/version rules (rules.h), classifies every project across
 * repositories (classify.h) and writes statuses, staleness, version history and one repo_stats row
 * per repository in one transaction.
 */
#ifndef PKGFRESH_ANALYZE_H
#define PKGFRESH_ANALYZE_H

#include <stdint.h>

#include "pkgfresh/catalog.h"
#include "pkgfresh/rules.h"
#include "pkgfresh/store.h"

typedef struct pf_analyze_result {
    long packages;
    long removed; /* packages a remove rule dropped from the analysis */
    long projects;
    long repositories;
    int incremental; /* only the projects touched since the last analysis were redone */
    long analyzed;   /* packages classified this time (all, or the touched projects') */
    int streamed;    /* a full analysis that streamed projects instead of holding every package */
    int scanned;     /* incremental: the touched projects' packages were read in one pass over
                        every stored result (many touched), not project by project */
    long held;       /* most packages held in memory at once (streaming: the largest batch) */
    double seconds;
} pf_analyze_result;

/* Analyze at time `now` (unix seconds); rules may be NULL (seeds only).
 * Incremental when the database holds a previous analysis made with the
 * same rules, catalog and code (the stored digest); full otherwise. Either
 * way the results are those of a full analysis. */
int pf_analyze(pf_store *st, const pf_catalog *cat, const pf_rules *rules, int64_t now,
               pf_analyze_result *res, char *err, size_t errlen);
/* A full analysis whatever is stored (`analyze --full`). */
int pf_analyze_full(pf_store *st, const pf_catalog *cat, const pf_rules *rules, int64_t now,
                    pf_analyze_result *res, char *err, size_t errlen);

#endif
