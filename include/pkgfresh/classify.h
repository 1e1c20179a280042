/*
 * classify.h — Repology's per-project classifier (repology-model.md §1).
 *
 * Input: every package of one project across all repositories, with its
 * normalized version, flags, repository and family. Output: a status per
 * package. Pure: no I/O, no allocation beyond an internal scratch array the
 * classifier keeps internally (stack for small projects).
 */
#ifndef PKGFRESH_CLASSIFY_H
#define PKGFRESH_CLASSIFY_H

#include <stddef.h>

typedef struct pf_cpkg {
    const char *version; /* normalized */
    unsigned flags;      /* PF_F_* */
    int repo;            /* repository index */
    int family;          /* family index */
    const char *flavor;  /* "" when none */
    const char *branch;  /* NULL when none */
    int status;          /* out: enum pf_status */
} pf_cpkg;

/* Classify the n packages of one project in place (sets .status). Returns 0, -1 on OOM. */
int pf_classify_project(pf_cpkg *pkgs, size_t n);

/* Whether the classifier disregards the ignore flags (IGNORE, INCORRECT,
 * UNTRUSTED, NOSCHEME) of this project's packages: its non-rolling packages
 * all come from one family, all carry one and none is NOSCHEME (Repology
 * then compares them as if unflagged). Reads version, flags and family. */
int pf_classify_ignores_disregarded(const pf_cpkg *pkgs, size_t n);

/* Whether one non-rolling package with these flags keeps its project's
 * ignore flags (when the project has two or more non-rolling packages): it
 * carries none, or it is NOSCHEME. The flag half of the test above, for
 * callers that see a project's packages one at a time (compare). */
int pf_classify_keeps_ignores(unsigned flags);

#endif
