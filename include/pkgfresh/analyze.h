/*
 * analyze.h — from stored packages to projects, statuses and statistics.
 *
 * pf_analyze reads the snapshot, names each package's project (the namer
 * seam: lower-cased source name now, the rule engine later), normalizes its
 * version, classifies every project across repositories (classify.h) and
 * writes statuses plus one repo_stats row per repository in one transaction.
 */
#ifndef PKGFRESH_ANALYZE_H
#define PKGFRESH_ANALYZE_H

#include <stdint.h>

#include "pkgfresh/catalog.h"
#include "pkgfresh/store.h"

typedef struct pf_analyze_result {
    long packages;
    long projects;
    long repositories;
    double seconds;
} pf_analyze_result;

/* Run a full analysis at time `now` (unix seconds). */
int pf_analyze(pf_store *st, const pf_catalog *cat, int64_t now, pf_analyze_result *res,
               char *err, size_t errlen);

#endif
