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
 * entries (probing terminates); an entry's stored is 0 until a stored row
 * matched it. A stored row is named by its key (project, version,
 * repository: version_seen has no rowid, schema 12); the gone rows' keys
 * are copied into the set's own arena, since their projects need not be in
 * the pool. The set owns its arrays.
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
    uint8_t stored;                  /* a stored row matched it (0: a new triple) */
} ah_ent;

typedef struct ah_set {
    ah_ent *ents; /* slots */
    size_t cap, n;
    char *gone; /* stored present rows the snapshot no longer has: ngone keys, each
                   "project\0version\0repository\0", back to back */
    size_t ngone, gonelen, capgone;
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
/* Match one stored row (project 0 = its project has no package now): 1 when
 * a current triple has it (the entry records what the row held), else 0. */
int ah_old(ah_set *h, uint32_t project, uint32_t version, uint32_t repo, int present, int trusted);
/* List a stored present row the snapshot no longer has, by its key. 0 ok,
 * -1 out of memory. */
int ah_gone(ah_set *h, const char *project, const char *version, const char *repo);
/* The key of the gone row that starts at *pos in gone, moving *pos to the
 * next one. */
void ah_gone_key(const ah_set *h, size_t *pos, const char **project, const char **version,
                 const char **repo);

#endif
