/*
 * rules.h — the name/version rule engine (Repology ruleset format).
 *
 * A ruleset is a directory of YAML files (applied in sorted path order),
 * each a list of rules; a rule is a mapping of conditions (name, namepat,
 * ver, verpat, ruleset, family, wwwpart, ...) and actions (setname, setver,
 * devel, ignore, flavors, ...). pf_rules_apply runs every rule on one
 * package in order, as Repology's transformer does (repology-model.md §4).
 * Ownership: the loaded ruleset is immutable and may be shared; free it with
 * pf_rules_free.
 */
#ifndef PKGFRESH_RULES_H
#define PKGFRESH_RULES_H

#include <stddef.h>

typedef struct pf_rules pf_rules;

/* One package as the rules see and change it. In: everything; out: name,
 * version, flags, flavor, branch, removed. Buffers are owned by the caller. */
typedef struct pf_rpkg {
    char name[512];    /* in: project seed (lower-cased); out: project name */
    char version[256]; /* in: normalized version; out: possibly changed */
    unsigned flags;    /* PF_F_* in and out */
    const char *repo;  /* repository id */
    const char *family;
    const char *const *rulesets; /* the repository's rule set names */
    size_t nrulesets;
    const char *srcname, *binnames, *category, *homepage, *maintainers, *summary;
    char flavor[128]; /* out: flavors joined with '_' in sorted order, "" for none */
    char branch[64];  /* out: branch from setbranch/setbranchcomps, "" for none */
    int removed;      /* out: a remove rule matched */
} pf_rpkg;

/* Load every *.yaml below dir (recursively, sorted). NULL with a message (file:line). */
pf_rules *pf_rules_load(const char *dir, char *err, size_t errlen);

/* Apply all rules to p in order. Returns 0, or -1 on an internal error. */
int pf_rules_apply(const pf_rules *r, pf_rpkg *p);

/* Number of rules loaded; per-file counts through pf_rules_file_count. */
size_t pf_rules_count(const pf_rules *r);
size_t pf_rules_nfiles(const pf_rules *r);
const char *pf_rules_file_name(const pf_rules *r, size_t i, size_t *nrules);

void pf_rules_free(pf_rules *r);

#endif
