/*
 * pool.h — a string pool: every distinct name or version is stored once and
 * known by a small integer id (as libsolv's pool does).
 *
 * Ids are dense, start at 1 (0 = "none") and stay valid until the pool is
 * freed; so do the strings, which never move. Lookup and insert are O(1)
 * expected (open addressing, FNV-1a).
 */
#ifndef PKGFRESH_POOL_H
#define PKGFRESH_POOL_H

#include <stddef.h>
#include <stdint.h>

typedef struct pf_pool pf_pool;

pf_pool *pf_pool_new(void);
void pf_pool_free(pf_pool *p);

/* Id of s[0..len) (added if new); 0 on out of memory. */
uint32_t pf_pool_intern(pf_pool *p, const char *s, size_t len);

/* Id of s[0..len) if it is in the pool, 0 otherwise (nothing added). */
uint32_t pf_pool_find(const pf_pool *p, const char *s, size_t len);

/* The string of an id (NUL-terminated); "" for id 0. */
const char *pf_pool_str(const pf_pool *p, uint32_t id);

/* Number of distinct strings. */
uint32_t pf_pool_count(const pf_pool *p);

/* Copy bytes into the pool's arena without interning (NUL appended); NULL on OOM. */
char *pf_pool_copy(pf_pool *p, const char *s, size_t len);

#endif
