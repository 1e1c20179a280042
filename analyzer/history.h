/*
 * analyzer/history.h — the version-history diff of one analysis: which
 * (project, version, repository) triples of the snapshot are new to the
 * history, which came back, which became trusted, and which stored ones
 * are gone. Used by analyze.c only.
 *
 * The current triples live in an open-addressing hash set keyed by pool ids
 * (project, version, repository name), filled while packages load; stored
 * history rows are then matched against it one by one as they stream from
 * the database, so the 1.6 M-row history is never held in memory and only
 * the differences reach SQLite.
 *
 * Invariants: capacity is a power of two and at least twice the number of
 * entries (probing terminates); an entry's rowid is 0 until a stored row
 * matched it (rowids start at 1). The set owns its arrays.
 */
#ifndef PKGFRESH_ANALYZER_HISTORY_H
#define PKGFRESH_ANALYZER_HISTORY_H

#include <stddef.h>
#include <stdint.h>

/* One current triple. */
typedef struct ah_ent {
    uint32_t project, version, repo; /* pool ids; project 0 = empty slot */
    uint8_t trusted_now;             /* some package of the triple is trusted now */
    uint8_t old_present;             /* the stored row was present in the previous analysis */
    uint8_t old_trusted;             /* the stored row was trusted */
    int64_t rowid;                   /* the stored row, 0 = none (new triple) */
} ah_ent;

typedef struct ah_set {
    ah_ent *ents; /* slots */
    size_t cap, n;
    int64_t *gone; /* rowids of stored present rows the snapshot no longer has */
    size_t ngone, capgone;
} ah_set;

/* Empty set; 0 ok, -1 out of memory. */
int ah_init(ah_set *h);
/* Empty the set, keeping its capacity (a streaming analysis reuses one set
 * batch after batch). */
void ah_clear(ah_set *h);
/* Free the arrays (the struct itself is the caller's). */
void ah_free(ah_set *h);
/* Add a current triple (no-op when present). 0 ok, -1 out of memory. */
int ah_add(ah_set *h, uint32_t project, uint32_t version, uint32_t repo);
/* The entry of a current triple, NULL when absent (pointers are valid until the next ah_add). */
ah_ent *ah_find(ah_set *h, uint32_t project, uint32_t version, uint32_t repo);
/* Match one stored row (project 0 = its project has no package now).
 * Unmatched present rows are listed in gone. 0 ok, -1 out of memory. */
int ah_old(ah_set *h, uint32_t project, uint32_t version, uint32_t repo, int64_t rowid, int present,
           int trusted);

#endif
