/*
 * compare.h — two repositories side by side, project by project.
 *
 * Each project present in A or B lands in exactly one kind: newer in A,
 * newer in B, same version, only in A, only in B; so the five counts add up
 * to the union. A project with several packages in one repository compares
 * by its best version: the highest among packages that are not ignored /
 * incorrect / untrusted / noscheme / rolling, or the highest of all when
 * every package is such.
 */
#ifndef PKGFRESH_COMPARE_H
#define PKGFRESH_COMPARE_H

#include <stddef.h>

#include "pkgfresh/store.h"

enum pf_cmp_kind {
    PF_CMP_NEWER_A,
    PF_CMP_NEWER_B,
    PF_CMP_SAME,
    PF_CMP_ONLY_A,
    PF_CMP_ONLY_B,
    PF_CMP_NKINDS
};

/* "newer-a", "newer-b", "same", "only-a", "only-b"; kind from such a name (-1 if unknown). */
const char *pf_cmp_kind_name(int kind);
int pf_cmp_kind_parse(const char *name);

typedef struct pf_cmp_item {
    const char *project;
    const char *version_a, *version_b; /* normalized; NULL when absent */
    const char *raw_a, *raw_b;         /* as in the index */
    double lag;                        /* newer-a/newer-b: days the older side lags, -1 unknown */
    int kind;
} pf_cmp_item;

typedef struct pf_comparison {
    long count[PF_CMP_NKINDS];
    pf_cmp_item *items; /* sorted by project name */
    size_t nitems;
    void *pool; /* owns the strings */
} pf_comparison;

/* Compare repositories a and b (ids) from the latest analysis. 0 or -1 (err set). */
int pf_compare_repos(pf_store *st, const char *a, const char *b, pf_comparison *out, char *err,
                     size_t errlen);
void pf_comparison_free(pf_comparison *c);

#endif
