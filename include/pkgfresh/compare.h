/*
 * compare.h — two repositories side by side, project by project.
 *
 * Each project present in A or B lands in exactly one kind: newer in A,
 * newer in B, same version, uncomparable, only in A, only in B; so the six
 * counts add up to the union. Each side counts by its best trusted version
 * as Repology's classifier sees it: the highest among packages that carry
 * no ignore flag (ignore, incorrect, untrusted, noscheme) and are not
 * rolling, flags that the classifier disregarded (a project of one family
 * whose packages all carry one) not counting. A project in both where one
 * side has no trusted package (e.g. nixpkgs' snapshot "2018-05-16", flagged
 * ignore, against Debian's "0.6") is uncomparable; version_a / version_b
 * then show each side's highest version all the same.
 */
#ifndef PKGFRESH_COMPARE_H
#define PKGFRESH_COMPARE_H

#include <stddef.h>

#include "pkgfresh/store.h"

enum pf_cmp_kind {
    PF_CMP_NEWER_A,
    PF_CMP_NEWER_B,
    PF_CMP_SAME,
    PF_CMP_UNCOMPARABLE, /* in both, but a side has no trusted version */
    PF_CMP_ONLY_A,
    PF_CMP_ONLY_B,
    PF_CMP_NKINDS
};

/* "newer-a", "newer-b", "same", "uncomparable", "only-a", "only-b"; kind from such a name (-1
 * if unknown). */
const char *pf_cmp_kind_name(int kind);
int pf_cmp_kind_parse(const char *name);

typedef struct pf_cmp_item {
    const char *project;
    const char *version_a, *version_b; /* normalized; NULL when absent */
    const char *raw_a, *raw_b;         /* as in the index */
    double lag; /* newer-a/newer-b: days the older side lags, -1 unknown (and other kinds) */
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
