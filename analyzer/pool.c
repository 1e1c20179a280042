/*
 * pool.c — string interning (see pool.h).
 *
 * Strings live in 1 MiB arena chunks that are never reallocated, so pointers
 * stay valid. The id table maps id -> string; the hash table maps a string
 * to its id, open addressing with linear probing, kept at most half full.
 * A slot holds the string's hash beside its id: a probe compares hashes
 * and touches the id table and the string only when they are equal, and
 * growing the table reinserts the slots without reading a string. On a
 * Repology-sized universe an incremental analysis looks up tens of
 * millions of strings in a pool of millions, where each of those reads
 * missed the processor's cache.
 */
#include "pkgfresh/pool.h"

#include <stdlib.h>
#include <string.h>

#include "hashword.h"

#define CHUNK_SIZE (1u << 20)

/* A hash table slot: a string's hash and its id (0: empty). */
typedef struct pslot {
    uint32_t hash, id;
} pslot;

typedef struct chunk {
    struct chunk *next;
    size_t used, size;
    char data[];
} chunk;

struct pf_pool {
    chunk *chunks;
    const char **strs; /* id -> string; strs[0] = "" */
    uint32_t *lens;
    uint32_t n, cap;
    pslot *hash;   /* open addressing; id 0 = empty */
    uint32_t hcap; /* power of two */
};

/* Hash of len bytes: the words as every analyzer hash (hashword.h; names
 * and versions are mostly 5 to 30 bytes), the zero-padded tail as one more
 * word, the length folded in first, and the high bits mixed down (the
 * table takes the low ones). */
static uint32_t str_hash(const char *s, size_t len)
{
    uint64_t h = an_hash_words((uint64_t)len * AN_HASH_K, s, len);
    if (len & 7) {
        uint64_t w = 0;
        memcpy(&w, s + (len & ~(size_t)7), len & 7);
        h = (h ^ w) * AN_HASH_K;
    }
    h ^= h >> 32;
    h *= 0xD6E8FEB86659FD93ULL;
    h ^= h >> 32;
    return (uint32_t)h;
}

/* New empty pool. */
pf_pool *pf_pool_new(void)
{
    pf_pool *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->cap = 1024;
    p->strs = malloc(p->cap * sizeof *p->strs);
    p->lens = malloc(p->cap * sizeof *p->lens);
    p->hcap = 2048;
    p->hash = calloc(p->hcap, sizeof *p->hash);
    if (!p->strs || !p->lens || !p->hash) {
        pf_pool_free(p);
        return NULL;
    }
    p->strs[0] = "";
    p->lens[0] = 0;
    p->n = 1;
    return p;
}

/* Free the pool and every string in it. */
void pf_pool_free(pf_pool *p)
{
    if (!p)
        return;
    for (chunk *c = p->chunks, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    free(p->strs);
    free(p->lens);
    free(p->hash);
    free(p);
}

/* Copy bytes into the arena (NUL-terminated). */
char *pf_pool_copy(pf_pool *p, const char *s, size_t len)
{
    chunk *c = p->chunks;
    if (!c || c->size - c->used < len + 1) {
        size_t size = len + 1 > CHUNK_SIZE ? len + 1 : CHUNK_SIZE;
        chunk *nc = malloc(sizeof *nc + size);
        if (!nc)
            return NULL;
        nc->next = p->chunks;
        nc->used = 0;
        nc->size = size;
        p->chunks = c = nc;
    }
    char *dst = c->data + c->used;
    memcpy(dst, s, len);
    dst[len] = 0;
    c->used += len + 1;
    return dst;
}

/* Double the hash table and reinsert every slot (by its stored hash). */
static int rehash(pf_pool *p)
{
    uint32_t ncap = p->hcap * 2;
    pslot *nh = calloc(ncap, sizeof *nh);
    if (!nh)
        return -1;
    for (uint32_t k = 0; k < p->hcap; k++) {
        if (!p->hash[k].id)
            continue;
        uint32_t i = p->hash[k].hash & (ncap - 1);
        while (nh[i].id)
            i = (i + 1) & (ncap - 1);
        nh[i] = p->hash[k];
    }
    free(p->hash);
    p->hash = nh;
    p->hcap = ncap;
    return 0;
}

/* The slot holding s[0..len) of hash h, or the empty slot where it would go. */
static uint32_t slot_of(const pf_pool *p, const char *s, size_t len, uint32_t h)
{
    uint32_t i = h & (p->hcap - 1);
    for (uint32_t id; (id = p->hash[i].id) != 0; i = (i + 1) & (p->hcap - 1))
        if (p->hash[i].hash == h && p->lens[id] == len && memcmp(p->strs[id], s, len) == 0)
            break;
    return i;
}

/* Look s[0..len) up without adding it. */
uint32_t pf_pool_find(const pf_pool *p, const char *s, size_t len)
{
    return p->hash[slot_of(p, s, len, str_hash(s, len))].id;
}

/* Find or add s[0..len). */
uint32_t pf_pool_intern(pf_pool *p, const char *s, size_t len)
{
    uint32_t h = str_hash(s, len);
    uint32_t i = slot_of(p, s, len, h);
    if (p->hash[i].id)
        return p->hash[i].id;
    if (p->n == p->cap) {
        uint32_t ncap = p->cap * 2;
        const char **ns = realloc(p->strs, ncap * sizeof *ns);
        if (!ns)
            return 0;
        p->strs = ns;
        uint32_t *nl = realloc(p->lens, ncap * sizeof *nl);
        if (!nl)
            return 0;
        p->lens = nl;
        p->cap = ncap;
    }
    char *copy = pf_pool_copy(p, s, len);
    if (!copy)
        return 0;
    uint32_t id = p->n++;
    p->strs[id] = copy;
    p->lens[id] = (uint32_t)len;
    p->hash[i] = (pslot){h, id};
    if (p->n * 2 > p->hcap && rehash(p) != 0)
        return 0;
    return id;
}

/* String of an id. */
const char *pf_pool_str(const pf_pool *p, uint32_t id)
{
    return id < p->n ? p->strs[id] : "";
}

/* Number of distinct strings. */
uint32_t pf_pool_count(const pf_pool *p)
{
    return p->n - 1;
}
