/*
 * history.c — the version-history diff (history.h).
 */
#include "history.h"

#include <stdlib.h>
#include <string.h>

#include "pkgfresh/grow.h"

/* Hash of a triple (multiplicative mixing; pool ids are dense small ints). */
static size_t ah_hash(uint32_t p, uint32_t v, uint32_t r)
{
    uint64_t x = (uint64_t)p * 0x9E3779B97F4A7C15ull;
    x ^= ((uint64_t)v + 0x632BE59BD9B4E019ull) * 0xBF58476D1CE4E5B9ull;
    x ^= ((uint64_t)r + 0x94D049BB133111EBull) * 0x94D049BB133111EBull;
    x ^= x >> 31;
    return (size_t)x;
}

/* Slot holding the triple, or the empty slot where it belongs. */
static size_t ah_slot(const ah_set *h, uint32_t p, uint32_t v, uint32_t r)
{
    size_t mask = h->cap - 1, i = ah_hash(p, v, r) & mask;
    while (h->ents[i].project &&
           (h->ents[i].project != p || h->ents[i].version != v || h->ents[i].repo != r))
        i = (i + 1) & mask;
    return i;
}

/* Double the capacity and re-insert every entry. 0 ok, -1 out of memory. */
static int ah_grow(ah_set *h)
{
    ah_set g = *h;
    g.cap = h->cap * 2;
    g.ents = calloc(g.cap, sizeof *g.ents);
    if (!g.ents)
        return -1;
    for (size_t i = 0; i < h->cap; i++)
        if (h->ents[i].project)
            g.ents[ah_slot(&g, h->ents[i].project, h->ents[i].version, h->ents[i].repo)] =
                h->ents[i];
    free(h->ents);
    h->ents = g.ents;
    h->cap = g.cap;
    return 0;
}

/* Empty set with room for 64k triples before the first growth. */
int ah_init(ah_set *h)
{
    memset(h, 0, sizeof *h);
    h->cap = (size_t)1 << 17;
    h->ents = calloc(h->cap, sizeof *h->ents);
    return h->ents ? 0 : -1;
}

/* Forget every triple and gone row; the capacity stays. */
void ah_clear(ah_set *h)
{
    memset(h->ents, 0, h->cap * sizeof *h->ents);
    h->n = 0;
    h->ngone = 0;
    h->gonelen = 0;
}

/* Free what the set owns. */
void ah_free(ah_set *h)
{
    free(h->ents);
    free(h->gone);
    memset(h, 0, sizeof *h);
}

/* Add the current triple unless present. */
int ah_add(ah_set *h, uint32_t project, uint32_t version, uint32_t repo)
{
    if ((h->n + 1) * 2 > h->cap && ah_grow(h) != 0)
        return -1;
    size_t i = ah_slot(h, project, version, repo);
    if (!h->ents[i].project) {
        h->ents[i] = (ah_ent){.project = project, .version = version, .repo = repo};
        h->n++;
    }
    return 0;
}

/* Entry of a current triple, NULL when the snapshot does not have it. */
ah_ent *ah_find(ah_set *h, uint32_t project, uint32_t version, uint32_t repo)
{
    ah_ent *e = &h->ents[ah_slot(h, project, version, repo)];
    return e->project ? e : NULL;
}

/* Match a stored row against the current triples (see history.h). */
int ah_old(ah_set *h, uint32_t project, uint32_t version, uint32_t repo, int present, int trusted)
{
    if (!project || !version || !repo)
        return 0;
    ah_ent *e = &h->ents[ah_slot(h, project, version, repo)];
    if (!e->project)
        return 0;
    e->stored = 1;
    e->old_present = present != 0;
    e->old_trusted = trusted != 0;
    return 1;
}

/* Append a gone row's key to the arena (see history.h). */
int ah_gone(ah_set *h, const char *project, const char *version, const char *repo)
{
    size_t lp = strlen(project) + 1, lv = strlen(version) + 1, lr = strlen(repo) + 1;
    if (pf_grow(&h->gone, &h->capgone, h->gonelen, lp + lv + lr) != 0)
        return -1;
    char *d = h->gone + h->gonelen;
    memcpy(d, project, lp);
    memcpy(d + lp, version, lv);
    memcpy(d + lp + lv, repo, lr);
    h->gonelen += lp + lv + lr;
    h->ngone++;
    return 0;
}

/* Read the gone key at *pos (see history.h). */
void ah_gone_key(const ah_set *h, size_t *pos, const char **project, const char **version,
                 const char **repo)
{
    const char *p = h->gone + *pos;
    *project = p;
    p += strlen(p) + 1;
    *version = p;
    p += strlen(p) + 1;
    *repo = p;
    p += strlen(p) + 1;
    *pos = (size_t)(p - h->gone);
}
