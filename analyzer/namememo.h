/*
 * analyzer/namememo.h — the naming memo of a full analysis: what the seed,
 * the version normalization and the rules made of one package identity,
 * so that the same package in several repositories of one family (Debian
 * 12 and 13, the Ubuntu releases, the nix channels) is named once.
 *
 * Naming is a pure function of the repository's naming class (scheme,
 * family, rule set names) and the row's srcname, binnames, raw_version and
 * parser flags, plus those optional inputs (category, maintainers,
 * homepage, summary) a rule condition looked at (pf_rpkg.read). The memo
 * keys on exactly that: an entry holds the required inputs, the optional
 * ones its own call read, and the result; a row takes an entry's result
 * only when all of them are equal, so results are those of naming it
 * (tests/test_namememo.c). Memory is bounded: past its budget the memo
 * empties itself and starts over; a memo that answers too few lookups
 * (namememo.c, TRIAL) gives up and names nothing more. One thread uses it (naming.c looks up
 * and remembers on the caller's thread, names the misses on every core).
 */
#ifndef PKGFRESH_ANALYZER_NAMEMEMO_H
#define PKGFRESH_ANALYZER_NAMEMEMO_H

#include <stddef.h>
#include <stdint.h>

#include "naming.h"

typedef struct an_memo an_memo;

/* A memo of at most about max_bytes (0: a default of 256 MiB); NULL out of memory. */
an_memo *an_memo_new(size_t max_bytes);
void an_memo_free(an_memo *m);

/* The naming class of a repository: equal scheme, family and rule set
 * names give the same class. 0 out of memory, else a class id. */
uint32_t an_memo_class(an_memo *m, const an_job *job);

/* Fill job->rp and job->rc from an entry of class cls that names job's row
 * the same: 1 then, 0 when none does (or out of memory). */
int an_memo_get(an_memo *m, uint32_t cls, an_job *job);

/* Remember what job (already named, rc 0) made of its row. 0, or -1 out of
 * memory (the memo stays usable). */
int an_memo_put(an_memo *m, uint32_t cls, const an_job *job);

/* Lookups answered and entries held, for benches and tests. */
void an_memo_counts(const an_memo *m, size_t *hits, size_t *misses, size_t *entries);

#endif
