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
#include <stdint.h>

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
    unsigned read;    /* out: the PF_RIN_* inputs some evaluated condition looked at */
} pf_rpkg;

/* Optional inputs a rule condition may look at (pf_rpkg.read): a package
 * that differs from another only in inputs neither call read is named the
 * same (the naming memo, analyzer/namememo.c, relies on it). */
enum {
    PF_RIN_CATEGORY = 1u << 0,
    PF_RIN_MAINTAINERS = 1u << 1,
    PF_RIN_HOMEPAGE = 1u << 2,
    PF_RIN_SUMMARY = 1u << 3
};

/* Load every *.yaml below dir (recursively, sorted). NULL with a message (file:line). */
pf_rules *pf_rules_load(const char *dir, char *err, size_t errlen);

/* Apply all rules to p in order. Returns 0, or -1 on an internal error. */
int pf_rules_apply(const pf_rules *r, pf_rpkg *p);

/* A digest of every loaded file (relative path and bytes): equal digests,
 * equal rules. The analysis caches rule results under it. 0 for NULL. */
uint64_t pf_rules_digest(const pf_rules *r);

/* Number of rules loaded; per-file counts through pf_rules_file_name. */
size_t pf_rules_count(const pf_rules *r);
size_t pf_rules_nfiles(const pf_rules *r);
/* Relative path of file i (load order) and, in *nrules, how many rules it holds. */
const char *pf_rules_file_name(const pf_rules *r, size_t i, size_t *nrules);

/* Rules after splitting `name` lists into one rule per name, as upstream tries them. */
size_t pf_rules_nentries(const pf_rules *r);

/* Load warnings ("file:line: unknown key 'x' skipped"), owned by the ruleset. */
size_t pf_rules_nwarnings(const pf_rules *r);
const char *pf_rules_warning(const pf_rules *r, size_t i);

/* What one pf_rules_apply_trace call did (diagnostics, `rules check`, benches). */
typedef struct pf_rules_trace {
    size_t checked;          /* rules whose conditions were evaluated */
    size_t matched;          /* rules that matched and were applied */
    const char *warnings[4]; /* texts of matched `warning` rules (owned by the ruleset) */
    size_t nwarnings;        /* may exceed 4: only the first 4 are kept */
    const char *last_file;   /* origin of the last matched rule, NULL if none */
    size_t last_line;
} pf_rules_trace;

/* pf_rules_apply, also filling *t (zeroed first; t may be NULL). */
int pf_rules_apply_trace(const pf_rules *r, pf_rpkg *p, pf_rules_trace *t);

void pf_rules_free(pf_rules *r);

#endif
