/*
 * analyzer/naming.h — what a package is before classification: its project
 * seed (the source name, lower-cased, with the family seed rules), its
 * version normalized for the repository's scheme, then the name/version
 * rules. Used by analyze.c, for one package or a batch of them spread over
 * several threads (the rules are immutable and every call keeps its own
 * state, so the results are those of one thread).
 */
#ifndef PKGFRESH_ANALYZER_NAMING_H
#define PKGFRESH_ANALYZER_NAMING_H

#include <stddef.h>

#include "pkgfresh/normalize.h"
#include "pkgfresh/rules.h"
#include "pkgfresh/store.h"

#include "parallel.h"

/* One package to name: in row and the repository's facts, out rp and rc. */
typedef struct an_job {
    const pf_pkg_row *row;
    pf_vscheme scheme;
    const char *family;          /* the repository's family */
    const char *const *rulesets; /* its rule set names */
    size_t nrulesets;
    uint32_t memo_class; /* the repository's naming class in the memo (namememo.h), 0 none */
    pf_rpkg rp;          /* out: name, version, flags, flavor, branch, removed */
    int rc;              /* out: 0, or -1 (the rules failed: out of memory) */
} an_job;

/* Name one package (rules may be NULL: seed and normalization only). */
void an_name(const pf_rules *rules, an_job *job);

typedef struct an_memo an_memo;

/* Name jobs[0..n) on up to `threads` threads (the caller's one included;
 * a thread that cannot be started leaves its share to the caller's). With a
 * memo (may be NULL), jobs with a memo_class take what it remembers, on the
 * caller's thread, and the others are named and then remembered. */
void an_name_batch(const pf_rules *rules, an_memo *memo, an_job *jobs, size_t n, int threads);

/*
 * The same in three steps, for a caller that names a batch on a crew
 * (parallel.h) while it does other work: an_name_begin takes what the memo
 * remembers (on the caller's thread; idx: room for n indexes, NULL for no
 * memo) and returns how many jobs are left to name; an_name_slice names
 * left jobs [lo, hi) on any thread; an_name_end, on the caller's thread
 * once every left job is named, remembers them.
 */
typedef struct an_batch {
    const pf_rules *rules;
    an_job *jobs;
    const size_t *idx; /* the left jobs' indexes, NULL: all of jobs */
    an_memo *memo;
} an_batch;
size_t an_name_begin(an_batch *b, const pf_rules *rules, an_memo *memo, an_job *jobs, size_t n,
                     size_t *idx);
void an_name_slice(void *ctx, size_t lo, size_t hi);
void an_name_end(const an_batch *b, size_t nmiss);

#endif
