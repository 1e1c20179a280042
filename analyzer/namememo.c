/*
 * namememo.c — the naming memo (see namememo.h): a hash table of entries
 * whose bytes live in one arena. An entry's bytes are its key (class,
 * parser flags, srcname, binnames, raw_version), the optional inputs its
 * call read (a mask, then each of them), then the result (flags, removed,
 * name, version, flavor, branch). A string is stored as a tag byte (0 NULL,
 * 1 present) and, when present, its bytes and NUL, so NULL and "" differ.
 */
#include "namememo.h"

#include <stdlib.h>
#include <string.h>

#include "pkgfresh/grow.h"

#define DEFAULT_MAX ((size_t)256 << 20)

/* After TRIAL lookups, a memo that answered fewer than one in TRIAL_RATIO
 * gives its memory back and stops: a lookup and an entry cost about 1 us a
 * row, the rules about 6 us, so below that it costs more than it saves (the
 * generated universe of bench/gen_db spells each repository's versions
 * its own way: 4 % of rows repeat an identity). */
#define TRIAL       ((size_t)1 << 17)
#define TRIAL_RATIO 16

/* One remembered naming: its bytes at arena[off], the key the first klen. */
typedef struct memo_ent {
    uint64_t hash;
    size_t off;
    uint32_t klen;
    uint32_t next; /* index + 1 of the next entry of the bucket, 0 none */
} memo_ent;

/* A naming class: what job_init gives every row of a repository. */
typedef struct memo_class {
    int scheme;
    char *family;
    char **rulesets;
    size_t nrulesets;
} memo_class;

struct an_memo {
    size_t max;  /* budget in bytes: arena + entries + buckets */
    char *arena; /* entry bytes */
    size_t used, cap;
    memo_ent *ents;
    size_t n, capents;
    uint32_t *buckets; /* index + 1 of a bucket's first entry, 0 none */
    size_t nbuckets;   /* a power of two, or 0 */
    char *key;         /* the looked-up row's key, built here */
    size_t keylen, keycap;
    memo_class *classes;
    size_t nclasses;
    size_t hits, misses;
    int off; /* given up after its trial (see TRIAL) */
};

/* A memo with its budget; the table grows as entries come. */
an_memo *an_memo_new(size_t max_bytes)
{
    an_memo *m = calloc(1, sizeof *m);
    if (m)
        m->max = max_bytes ? max_bytes : DEFAULT_MAX;
    return m;
}

/* Free the memo and everything it holds. */
void an_memo_free(an_memo *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->nclasses; i++) {
        free(m->classes[i].family);
        for (size_t k = 0; k < m->classes[i].nrulesets; k++)
            free(m->classes[i].rulesets[k]);
        free(m->classes[i].rulesets);
    }
    free(m->classes);
    free(m->arena);
    free(m->ents);
    free(m->buckets);
    free(m->key);
    free(m);
}

/* Do two strings, either NULL, hold the same (NULL equals only NULL)? */
static int same_str(const char *x, const char *y)
{
    return x == y || (x && y && strcmp(x, y) == 0);
}

/* Does class c have job's naming facts? */
static int class_is(const memo_class *c, const an_job *job)
{
    if (c->scheme != (int)job->scheme || !same_str(c->family, job->family) ||
        c->nrulesets != job->nrulesets)
        return 0;
    for (size_t k = 0; k < c->nrulesets; k++)
        if (!same_str(c->rulesets[k], job->rulesets[k]))
            return 0;
    return 1;
}

/* Copy a string that may be NULL: *out NULL for NULL. 0, or -1 out of memory. */
static int dup_opt(const char *s, char **out)
{
    *out = s ? strdup(s) : NULL;
    return s && !*out ? -1 : 0;
}

/* The class of job's repository, added when new (a catalog has a few hundred
 * repositories and fewer classes: a linear search, once per repository). */
uint32_t an_memo_class(an_memo *m, const an_job *job)
{
    for (size_t i = 0; i < m->nclasses; i++)
        if (class_is(&m->classes[i], job))
            return (uint32_t)i + 1;
    memo_class *nc = realloc(m->classes, (m->nclasses + 1) * sizeof *nc);
    if (!nc)
        return 0;
    m->classes = nc;
    memo_class *c = &m->classes[m->nclasses];
    memset(c, 0, sizeof *c);
    c->scheme = (int)job->scheme;
    int bad = dup_opt(job->family, &c->family);
    if (job->nrulesets && !bad) {
        c->rulesets = calloc(job->nrulesets, sizeof *c->rulesets);
        bad = !c->rulesets;
        for (size_t k = 0; k < job->nrulesets && !bad; k++, c->nrulesets++)
            bad = dup_opt(job->rulesets[k], &c->rulesets[k]);
    }
    m->nclasses++; /* freed with the memo even when incomplete */
    return bad ? 0 : (uint32_t)m->nclasses;
}

/* Append n bytes to the key being built. 0, or -1 out of memory. */
static int key_put(an_memo *m, const void *p, size_t n)
{
    if (pf_grow(&m->key, &m->keycap, m->keylen, n) != 0)
        return -1;
    memcpy(m->key + m->keylen, p, n);
    m->keylen += n;
    return 0;
}

/* Append a tagged string (see the file comment) to the key being built. */
static int key_str(an_memo *m, const char *s)
{
    unsigned char tag = s != NULL;
    return key_put(m, &tag, 1) != 0 || (s && key_put(m, s, strlen(s) + 1) != 0) ? -1 : 0;
}

/* Build row's key for class cls into m->key. 0, or -1 out of memory. */
static int build_key(an_memo *m, uint32_t cls, const pf_pkg_row *row)
{
    m->keylen = 0;
    uint32_t pflags = row->pflags;
    if (key_put(m, &cls, sizeof cls) != 0 || key_put(m, &pflags, sizeof pflags) != 0 ||
        key_str(m, row->srcname) != 0 || key_str(m, row->binnames) != 0 ||
        key_str(m, row->raw_version) != 0)
        return -1;
    return 0;
}

/* Hash n bytes (8 at a time, multiply and fold). */
static uint64_t hash_bytes(const char *p, size_t n)
{
    uint64_t h = 0x9e3779b97f4a7c15u ^ n;
    for (; n >= 8; p += 8, n -= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdu;
        h ^= h >> 32;
    }
    uint64_t w = 0;
    memcpy(&w, p, n);
    h = (h ^ w) * 0xc4ceb9fe1a85ec53u;
    return h ^ (h >> 29);
}

/* The optional inputs, in mask bit order (PF_RIN_*). */
static void optional_inputs(const pf_pkg_row *row, const char *out[4])
{
    out[0] = row->category;
    out[1] = row->maintainers;
    out[2] = row->homepage;
    out[3] = row->summary;
}

/* Does the tagged string at *p equal s? Moves *p past it. */
static int take_same(const char **p, const char *s)
{
    int present = **p;
    (*p)++;
    if (!present)
        return s == NULL;
    size_t n = strlen(*p);
    int same = s && strcmp(*p, s) == 0;
    *p += n + 1;
    return same;
}

/* Take a NUL-terminated result string at *p into out (of size len). */
static void take_out(const char **p, char *out, size_t len)
{
    size_t n = strlen(*p);
    if (n >= len) /* cannot happen: it was copied out of a buffer of this size */
        n = len - 1;
    memcpy(out, *p, n);
    out[n] = 0;
    *p += strlen(*p) + 1;
}

/* Look up: an entry with row's key whose read inputs equal row's. */
int an_memo_get(an_memo *m, uint32_t cls, an_job *job)
{
    if (m->off)
        return 0;
    if (m->hits + m->misses == TRIAL && m->hits * TRIAL_RATIO < TRIAL) {
        m->off = 1;
        free(m->arena);
        free(m->ents);
        free(m->buckets);
        m->arena = NULL;
        m->ents = NULL;
        m->buckets = NULL;
        m->used = m->cap = m->n = m->capents = m->nbuckets = 0;
        return 0;
    }
    if (!m->nbuckets || build_key(m, cls, job->row) != 0) {
        m->misses++;
        return 0;
    }
    uint64_t h = hash_bytes(m->key, m->keylen);
    const char *opt[4];
    optional_inputs(job->row, opt);
    for (uint32_t e = m->buckets[h & (m->nbuckets - 1)]; e; e = m->ents[e - 1].next) {
        const memo_ent *en = &m->ents[e - 1];
        if (en->hash != h || en->klen != m->keylen ||
            memcmp(m->arena + en->off, m->key, m->keylen) != 0)
            continue;
        const char *p = m->arena + en->off + en->klen;
        unsigned mask = (unsigned char)*p++;
        int same = 1;
        for (int b = 0; b < 4 && same; b++)
            if (mask & (1u << b))
                same = take_same(&p, opt[b]);
        if (!same)
            continue;
        pf_rpkg *rp = &job->rp;
        memcpy(&rp->flags, p, sizeof rp->flags);
        p += sizeof rp->flags;
        rp->removed = *p++;
        take_out(&p, rp->name, sizeof rp->name);
        take_out(&p, rp->version, sizeof rp->version);
        take_out(&p, rp->flavor, sizeof rp->flavor);
        take_out(&p, rp->branch, sizeof rp->branch);
        rp->read = mask;
        job->rc = 0;
        m->hits++;
        return 1;
    }
    m->misses++;
    return 0;
}

/* Bytes the memo holds (arena, entries, buckets). */
static size_t held(const an_memo *m)
{
    return m->cap + m->capents * sizeof *m->ents + m->nbuckets * sizeof *m->buckets;
}

/* Forget every entry (the memory stays for the next ones). */
static void memo_clear(an_memo *m)
{
    m->used = m->n = 0;
    if (m->nbuckets)
        memset(m->buckets, 0, m->nbuckets * sizeof *m->buckets);
}

/* Double the buckets (at least 4096) and put every entry back. 0 or -1. */
static int rehash(an_memo *m)
{
    size_t nb = m->nbuckets ? m->nbuckets * 2 : 4096;
    uint32_t *b = calloc(nb, sizeof *b);
    if (!b)
        return -1;
    free(m->buckets);
    m->buckets = b;
    m->nbuckets = nb;
    for (size_t i = 0; i < m->n; i++) {
        size_t at = m->ents[i].hash & (nb - 1);
        m->ents[i].next = b[at];
        b[at] = (uint32_t)i + 1;
    }
    return 0;
}

/* Append n bytes to the arena. */
static void arena_put(an_memo *m, const void *p, size_t n)
{
    memcpy(m->arena + m->used, p, n);
    m->used += n;
}

/* Remember job's result under its row's key and the inputs its call read. */
int an_memo_put(an_memo *m, uint32_t cls, const an_job *job)
{
    const pf_rpkg *rp = &job->rp;
    if (m->off)
        return 0;
    if (job->rc != 0 || build_key(m, cls, job->row) != 0)
        return -1;
    const char *opt[4];
    optional_inputs(job->row, opt);
    unsigned mask = rp->read & 15u;
    size_t need = m->keylen + 1 + sizeof rp->flags + 1 + strlen(rp->name) + strlen(rp->version) +
                  strlen(rp->flavor) + strlen(rp->branch) + 4;
    for (int b = 0; b < 4; b++)
        if (mask & (1u << b))
            need += 1 + (opt[b] ? strlen(opt[b]) + 1 : 0);
    if (need > m->max / 64)
        return 0; /* too big to be worth keeping */
    size_t grow_ents = m->n == m->capents ? (m->capents ? m->capents : 4096) * sizeof *m->ents : 0;
    size_t grow_arena = m->used + need > m->cap ? (m->cap ? m->cap : 4096) : 0;
    size_t grow_buckets = m->n + 1 > m->nbuckets ? (m->nbuckets ? m->nbuckets : 4096) * 4 : 0;
    if (held(m) + grow_ents + grow_arena + grow_buckets > m->max) {
        memo_clear(m); /* over budget: start over with the memory held */
        if (m->n == m->capents || m->used + need > m->cap || !m->nbuckets)
            return 0; /* cannot happen past the first entries */
    }
    if (pf_grow(&m->arena, &m->cap, m->used, need) != 0)
        return -1;
    memo_ent *ne = pf_grow_items(m->ents, &m->capents, m->n, sizeof *ne, 4096);
    if (!ne)
        return -1;
    m->ents = ne;
    if (m->n + 1 > m->nbuckets && rehash(m) != 0)
        return -1;
    uint64_t h = hash_bytes(m->key, m->keylen);
    memo_ent *en = &m->ents[m->n];
    en->hash = h;
    en->off = m->used;
    en->klen = (uint32_t)m->keylen;
    arena_put(m, m->key, m->keylen);
    unsigned char mb = (unsigned char)mask;
    arena_put(m, &mb, 1);
    for (int b = 0; b < 4; b++) {
        if (!(mask & (1u << b)))
            continue;
        unsigned char tag = opt[b] != NULL;
        arena_put(m, &tag, 1);
        if (opt[b])
            arena_put(m, opt[b], strlen(opt[b]) + 1);
    }
    arena_put(m, &rp->flags, sizeof rp->flags);
    unsigned char removed = (unsigned char)(rp->removed != 0);
    arena_put(m, &removed, 1);
    arena_put(m, rp->name, strlen(rp->name) + 1);
    arena_put(m, rp->version, strlen(rp->version) + 1);
    arena_put(m, rp->flavor, strlen(rp->flavor) + 1);
    arena_put(m, rp->branch, strlen(rp->branch) + 1);
    size_t at = h & (m->nbuckets - 1);
    en->next = m->buckets[at];
    m->buckets[at] = (uint32_t)++m->n;
    return 0;
}

/* Lookups answered and entries held. */
void an_memo_counts(const an_memo *m, size_t *hits, size_t *misses, size_t *entries)
{
    *hits = m->hits;
    *misses = m->misses;
    *entries = m->n;
}
