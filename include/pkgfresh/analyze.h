/*
 * analyze.h — from stored packages to projects, statuses and statistics.
 *
 * pf_analyze reads the snapshot, seeds each package's project name from
 * its source name (lower-cased, Repology's seed rules per family), normalizes
 * its version per family, runs the name/version rules (rules.h), classifies
 * every project across repositories (classify.h) and writes statuses,
 * staleness, version history and one repo_stats row per repository in one
 * transaction.
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
    double seconds;
} pf_analyze_result;

/* Run a full analysis at time `now` (unix seconds); rules may be NULL (seeds only). */
int pf_analyze(pf_store *st, const pf_catalog *cat, const pf_rules *rules, int64_t now,
               pf_analyze_result *res, char *err, size_t errlen);

#endif
