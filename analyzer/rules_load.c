/*
 * rules_load.c — load a Repology ruleset directory into a pf_rules.
 *
 * Files: every name ending in ".yaml" below the directory (directories whose
 * name starts with '.' are skipped; ".yml" files are ignored, as upstream
 * does), sorted by relative path as byte strings, then read one by one (the
 * whole file into one reused buffer, which feeds both the digest and the
 * YAML reader, rules_yaml.c: an array of events, from a fast reader for
 * files of one-line flow mappings or else from libyaml; no document tree).
 * Each file is a sequence of mappings, in flow (`- { k: v }`) or block
 * style.
 *
 * Scalars are typed as PyYAML would for the values the ruleset uses: plain
 * true/false/yes/no/on/off are booleans, plain digit strings are integers
 * (only where an integer is expected: vercomps, verlonger, setbranchcomps),
 * everything else is a string. A key given twice in one rule is an error
 * (file:line), an unknown key is skipped with a warning. The scalars of the
 * rule being read are read in place in the event array; only the strings
 * the rule keeps are copied into the arena.
 *
 * Regexes (namepat, verpat, wwwpat, categorypat) are Python `re` patterns:
 * newlines are deleted, verpat/wwwpat/categorypat are lower-cased, `{,n}` is
 * rewritten to PCRE2's `{0,n}`; they are anchored at both ends (Python
 * fullmatch), in byte mode without Unicode properties (Python's re.ASCII).
 * The load checks them (a bad one fails it with file and line) and compiles
 * none that it need not: each is compiled and JIT-compiled on first use
 * (rules_regex.c).
 *
 * Ownership: all strings, arrays and regex states go to the pf_rules arena;
 * pcre2 codes are owned by their regex state. pf_rules_free releases
 * everything.
 */
#include "rules.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pkgfresh/grow.h"
#include "pkgfresh/record.h"

#include "hashword.h"

/* ---------------------------------------------------------------- arena */

struct pfr_block {
    pfr_block *next;
    size_t used, cap;
    _Alignas(16) char data[];
};

/* Allocate n bytes (16-aligned) from r's arena; NULL when out of memory. */
static void *arena_alloc(pf_rules *r, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    pfr_block *b = r->arena;
    if (!b || b->cap - b->used < n) {
        size_t cap = n > (1u << 20) ? n : (1u << 20);
        b = malloc(sizeof *b + cap);
        if (!b)
            return NULL;
        b->next = r->arena;
        b->used = 0;
        b->cap = cap;
        r->arena = b;
    }
    void *p = b->data + b->used;
    b->used += n;
    return p;
}

/* Copy n bytes of s into the arena as a NUL-terminated string. */
static char *arena_strndup(pf_rules *r, const char *s, size_t n)
{
    char *p = arena_alloc(r, n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

/* ---------------------------------------------------------------- hashing and indexes */

uint32_t pfr_hash(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

const pfr_slot *pfr_index_find(const pfr_index *ix, const char *key, size_t n)
{
    if (!ix->slots)
        return NULL;
    uint32_t h = pfr_hash(key, n);
    for (uint32_t i = h & ix->mask;; i = (i + 1) & ix->mask) {
        const pfr_slot *s = &ix->slots[i];
        if (!s->key)
            return NULL;
        if (s->hash == h && s->len == n && memcmp(s->key, key, n) == 0)
            return s;
    }
}

/*
 * Interning into a fixed-capacity index (capacity 2 * PFR_MAX_*): returns the
 * id of key (new ids count up from *count), -1 when the table is full, -2
 * when out of memory. A new key is copied into r's arena.
 */
static int intern(pf_rules *r, pfr_index *ix, const char *key, size_t n, size_t *count, size_t max)
{
    uint32_t h = pfr_hash(key, n);
    for (uint32_t i = h & ix->mask;; i = (i + 1) & ix->mask) {
        pfr_slot *s = &ix->slots[i];
        if (!s->key) {
            if (*count >= max)
                return -1;
            const char *copy = arena_strndup(r, key, n);
            if (!copy)
                return -2;
            *s = (pfr_slot){.key = copy, .len = (uint32_t)n, .hash = h, .off = (uint32_t)*count};
            return (int)(*count)++;
        }
        if (s->hash == h && s->len == n && memcmp(s->key, key, n) == 0)
            return (int)s->off;
    }
}

/* A (key, entry id) pair while building a name or prefix index. */
typedef struct kpair {
    const char *key;
    uint32_t len, id;
} kpair;

typedef struct kvec {
    kpair *v;
    size_t n, cap;
} kvec;

/* Append a pair; -1 when out of memory. */
static int kvec_push(kvec *kv, const char *key, size_t len, uint32_t id)
{
    if (kv->n == kv->cap) {
        size_t cap = kv->cap ? kv->cap * 2 : 4096;
        kpair *v = realloc(kv->v, cap * sizeof *v);
        if (!v)
            return -1;
        kv->v = v;
        kv->cap = cap;
    }
    kv->v[kv->n++] = (kpair){key, (uint32_t)len, id};
    return 0;
}

/* The slot of key (n bytes, hash h) in ix: where it is, or the empty slot where it goes. */
static pfr_slot *index_slot(pfr_index *ix, const char *key, uint32_t n, uint32_t h)
{
    for (uint32_t i = h & ix->mask;; i = (i + 1) & ix->mask) {
        pfr_slot *s = &ix->slots[i];
        if (!s->key || (s->hash == h && s->len == n && memcmp(s->key, key, n) == 0))
            return s;
    }
}

/*
 * Build ix from the pairs, which come in ascending id order (the loader
 * pushes them so), so each key's list is ascending without a sort: count
 * per key, place the lists back to back, fill them in pair order. 0 or -1
 * (no memory).
 */
static int index_build(pf_rules *r, pfr_index *ix, const kvec *kv)
{
    uint32_t size = 16;
    while (size < kv->n * 2)
        size *= 2;
    ix->slots = arena_alloc(r, size * sizeof *ix->slots);
    ix->ids = arena_alloc(r, (kv->n ? kv->n : 1) * sizeof *ix->ids);
    if (!ix->slots || !ix->ids)
        return -1;
    memset(ix->slots, 0, size * sizeof *ix->slots);
    ix->mask = size - 1;
    for (size_t i = 0; i < kv->n; i++) {
        const kpair *kp = &kv->v[i];
        uint32_t h = pfr_hash(kp->key, kp->len);
        pfr_slot *s = index_slot(ix, kp->key, kp->len, h);
        if (!s->key)
            *s = (pfr_slot){.key = kp->key, .len = kp->len, .hash = h};
        s->cnt++;
    }
    uint32_t off = 0;
    for (uint32_t i = 0; i < size; i++) {
        ix->slots[i].off = off;
        off += ix->slots[i].cnt;
        ix->slots[i].cnt = 0; /* counted up again as the list fills */
    }
    for (size_t i = 0; i < kv->n; i++) {
        const kpair *kp = &kv->v[i];
        pfr_slot *s = index_slot(ix, kp->key, kp->len, pfr_hash(kp->key, kp->len));
        ix->ids[s->off + s->cnt++] = kp->id;
    }
    return 0;
}

/*
 * The set of the first two bytes of every key in kv, as 65,536 bits: a
 * lookup skips the hash probe for a pair no key starts with (most pairs of
 * most names). NULL when out of memory.
 */
static uint64_t *pair_set(pf_rules *r, const kvec *kv)
{
    uint64_t *bits = arena_alloc(r, 65536 / 8);
    if (!bits)
        return NULL;
    memset(bits, 0, 65536 / 8);
    for (size_t i = 0; i < kv->n; i++) {
        unsigned b = (unsigned)(unsigned char)kv->v[i].key[0] << 8 | (unsigned char)kv->v[i].key[1];
        bits[b >> 6] |= (uint64_t)1 << (b & 63);
    }
    return bits;
}

/* ---------------------------------------------------------------- keys */

enum keytype { KT_STR, KT_STRS, KT_BOOL, KT_INT, KT_FLAVOR, KT_MAP, KT_ANNOT };

/* Every key the ruleset schema knows. Flag actions are listed in upstream's
 * application order (repology/transformer/actions.py), K_REMOVE..K_RECALLED. */
enum key {
    K_NAME,
    K_NAMEPAT,
    K_VER,
    K_NOTVER,
    K_VERPAT,
    K_WWWPART,
    K_WWWPREFIX,
    K_SOURCEFORGE,
    K_SUMMPART,
    K_WWWPAT,
    K_RULESET,
    K_NORULESET,
    K_FAMILY,
    K_CATEGORY,
    K_CATEGORYPAT,
    K_MAINTAINER,
    K_VERCOMPS,
    K_VERLONGER,
    K_VERGT,
    K_VERGE,
    K_VERLT,
    K_VERLE,
    K_VEREQ,
    K_VERNE,
    K_RELGT,
    K_RELGE,
    K_RELLT,
    K_RELLE,
    K_RELEQ,
    K_RELNE,
    K_FLAG,
    K_NOFLAG,
    K_IS_P_IS_PATCH,
    K_HASBRANCH,
    /* flag actions, in order */
    K_REMOVE,
    K_IGNORE,
    K_WEAK_DEVEL,
    K_STABLE,
    K_DEVEL,
    K_P_IS_PATCH,
    K_ANY_IS_PATCH,
    K_SINK,
    K_OUTDATED,
    K_LEGACY,
    K_NOLEGACY,
    K_INCORRECT,
    K_UNTRUSTED,
    K_NOSCHEME,
    K_ROLLING,
    K_SNAPSHOT,
    K_SUCCESSOR,
    K_DEBIANISM,
    K_GENERATED,
    K_TRACE,
    K_ALTVER,
    K_ALTSCHEME,
    K_VULNERABLE,
    K_RECALLED,
    /* other actions */
    K_LAST,
    K_ADDFLAVOR,
    K_SETFLAVOR,
    K_RESETFLAVORS,
    K_SETBRANCH,
    K_SETBRANCHCOMPS,
    K_ADDFLAG,
    K_SETNAME,
    K_SETVER,
    K_SETSUBREPO,
    K_REPLACEINNAME,
    K_TOLOWERNAME,
    K_WARNING,
    /* annotations */
    K_MAINTENANCE,
    K_DISPOSABLE,
    K_PRECIOUS,
    K_COUNT
};

static const struct keydef {
    const char *name;
    uint8_t type;
    uint32_t flag; /* flag actions: the PF_F_* bit they set or clear */
} keydefs[K_COUNT] = {
    [K_NAME] = {"name", KT_STRS, 0},
    [K_NAMEPAT] = {"namepat", KT_STR, 0},
    [K_VER] = {"ver", KT_STRS, 0},
    [K_NOTVER] = {"notver", KT_STRS, 0},
    [K_VERPAT] = {"verpat", KT_STR, 0},
    [K_WWWPART] = {"wwwpart", KT_STRS, 0},
    [K_WWWPREFIX] = {"wwwprefix", KT_STRS, 0},
    [K_SOURCEFORGE] = {"sourceforge", KT_STRS, 0},
    [K_SUMMPART] = {"summpart", KT_STRS, 0},
    [K_WWWPAT] = {"wwwpat", KT_STR, 0},
    [K_RULESET] = {"ruleset", KT_STRS, 0},
    [K_NORULESET] = {"noruleset", KT_STRS, 0},
    [K_FAMILY] = {"family", KT_STRS, 0},
    [K_CATEGORY] = {"category", KT_STRS, 0},
    [K_CATEGORYPAT] = {"categorypat", KT_STR, 0},
    [K_MAINTAINER] = {"maintainer", KT_STRS, 0},
    [K_VERCOMPS] = {"vercomps", KT_INT, 0},
    [K_VERLONGER] = {"verlonger", KT_INT, 0},
    [K_VERGT] = {"vergt", KT_STR, 0},
    [K_VERGE] = {"verge", KT_STR, 0},
    [K_VERLT] = {"verlt", KT_STR, 0},
    [K_VERLE] = {"verle", KT_STR, 0},
    [K_VEREQ] = {"vereq", KT_STR, 0},
    [K_VERNE] = {"verne", KT_STR, 0},
    [K_RELGT] = {"relgt", KT_STR, 0},
    [K_RELGE] = {"relge", KT_STR, 0},
    [K_RELLT] = {"rellt", KT_STR, 0},
    [K_RELLE] = {"relle", KT_STR, 0},
    [K_RELEQ] = {"releq", KT_STR, 0},
    [K_RELNE] = {"relne", KT_STR, 0},
    [K_FLAG] = {"flag", KT_STRS, 0},
    [K_NOFLAG] = {"noflag", KT_STRS, 0},
    [K_IS_P_IS_PATCH] = {"is_p_is_patch", KT_BOOL, 0},
    [K_HASBRANCH] = {"hasbranch", KT_BOOL, 0},
    [K_REMOVE] = {"remove", KT_BOOL, PF_F_REMOVE},
    [K_IGNORE] = {"ignore", KT_BOOL, PF_F_IGNORE},
    /* upstream: "XXX: currently sets ignore; change to set non-viral variant of devel (#654)" */
    [K_WEAK_DEVEL] = {"weak_devel", KT_BOOL, PF_F_IGNORE},
    [K_STABLE] = {"stable", KT_BOOL, PF_F_STABLE},
    [K_DEVEL] = {"devel", KT_BOOL, PF_F_DEVEL},
    [K_P_IS_PATCH] = {"p_is_patch", KT_BOOL, PF_F_P_IS_PATCH},
    [K_ANY_IS_PATCH] = {"any_is_patch", KT_BOOL, PF_F_ANY_IS_PATCH},
    [K_SINK] = {"sink", KT_BOOL, PF_F_SINK},
    [K_OUTDATED] = {"outdated", KT_BOOL, PF_F_OUTDATED},
    [K_LEGACY] = {"legacy", KT_BOOL, PF_F_LEGACY},
    [K_NOLEGACY] = {"nolegacy", KT_BOOL, PF_F_NOLEGACY},
    [K_INCORRECT] = {"incorrect", KT_BOOL, PF_F_INCORRECT},
    [K_UNTRUSTED] = {"untrusted", KT_BOOL, PF_F_UNTRUSTED},
    [K_NOSCHEME] = {"noscheme", KT_BOOL, PF_F_NOSCHEME},
    [K_ROLLING] = {"rolling", KT_BOOL, PF_F_ROLLING},
    [K_SNAPSHOT] = {"snapshot", KT_BOOL, PF_F_IGNORE},    /* upstream alias */
    [K_SUCCESSOR] = {"successor", KT_BOOL, PF_F_DEVEL},   /* upstream alias */
    [K_DEBIANISM] = {"debianism", KT_BOOL, PF_F_DEVEL},   /* upstream alias */
    [K_GENERATED] = {"generated", KT_BOOL, PF_F_ROLLING}, /* upstream alias */
    [K_TRACE] = {"trace", KT_BOOL, PF_F_TRACE},
    [K_ALTVER] = {"altver", KT_BOOL, PF_F_ALTVER},
    [K_ALTSCHEME] = {"altscheme", KT_BOOL, PF_F_ALTSCHEME},
    [K_VULNERABLE] = {"vulnerable", KT_BOOL, PF_F_VULNERABLE},
    [K_RECALLED] = {"recalled", KT_BOOL, PF_F_RECALLED},
    [K_LAST] = {"last", KT_BOOL, 0},
    [K_ADDFLAVOR] = {"addflavor", KT_FLAVOR, 0},
    [K_SETFLAVOR] = {"setflavor", KT_FLAVOR, 0},
    [K_RESETFLAVORS] = {"resetflavors", KT_BOOL, 0},
    [K_SETBRANCH] = {"setbranch", KT_STR, 0},
    [K_SETBRANCHCOMPS] = {"setbranchcomps", KT_INT, 0},
    [K_ADDFLAG] = {"addflag", KT_STRS, 0},
    [K_SETNAME] = {"setname", KT_STR, 0},
    [K_SETVER] = {"setver", KT_STR, 0},
    [K_SETSUBREPO] = {"setsubrepo", KT_STR, 0},
    [K_REPLACEINNAME] = {"replaceinname", KT_MAP, 0},
    [K_TOLOWERNAME] = {"tolowername", KT_BOOL, 0},
    [K_WARNING] = {"warning", KT_STR, 0},
    [K_MAINTENANCE] = {"maintenance", KT_ANNOT, 0},
    [K_DISPOSABLE] = {"disposable", KT_ANNOT, 0},
    [K_PRECIOUS] = {"precious", KT_ANNOT, 0},
};

/* The key with this name, or -1. */
static int key_lookup(const char *s)
{
    for (int k = 0; k < K_COUNT; k++) /* the first byte spares most strcmp calls */
        if (keydefs[k].name[0] == s[0] && strcmp(keydefs[k].name, s) == 0)
            return k;
    return -1;
}

/* ---------------------------------------------------------------- scalar typing */

enum sval { SV_STR, SV_BOOL_TRUE, SV_BOOL_FALSE, SV_NULL, SV_INT };

/* Type of one scalar as PyYAML (YAML 1.1) resolves it; quoted/tagged scalars are strings. */
static int scalar_type(const char *s, size_t n, int plain)
{
    if (!plain)
        return SV_STR;
    /* A plain scalar holds no NUL (libyaml refuses control characters), so n
     * is its strlen: booleans and nulls are 1 to 5 bytes long and begin with
     * one of these. */
    if (n == 0)
        return SV_NULL;
    if (n <= 5 && strchr("tTyYoOfFnN~", s[0])) {
        static const char *const t[] = {"true", "True", "TRUE", "yes", "Yes",
                                        "YES",  "on",   "On",   "ON"};
        static const char *const f[] = {"false", "False", "FALSE", "no", "No",
                                        "NO",    "off",   "Off",   "OFF"};
        for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
            if (strcmp(s, t[i]) == 0)
                return SV_BOOL_TRUE;
            if (strcmp(s, f[i]) == 0)
                return SV_BOOL_FALSE;
        }
        if (strcmp(s, "~") == 0 || strcmp(s, "null") == 0 || strcmp(s, "Null") == 0 ||
            strcmp(s, "NULL") == 0)
            return SV_NULL;
    }
    size_t i = (s[0] == '+') ? 1 : 0;
    if (i < n) {
        size_t j = i;
        while (j < n && isdigit((unsigned char)s[j]))
            j++;
        if (j == n)
            return SV_INT;
    }
    return SV_STR;
}

/* ---------------------------------------------------------------- parsing state */

/* One scalar of a value: its text (at off in the event stream's text, NUL-terminated), its YAML
 * type. */
typedef struct sitem {
    uint32_t off, n;
    uint8_t type;
} sitem;

enum vshape { VS_SCALAR, VS_SEQ, VS_MAP };

/* The raw value of one key in the rule being read: a slice of the scratch items. */
typedef struct rawval {
    uint32_t first, n, line;
    uint8_t shape, present;
} rawval;

typedef struct loader {
    pf_rules *r;
    pfr_ystream ys;   /* the events of the file being read (rules_yaml.c) */
    size_t evi;       /* the next one */
    const char *path; /* full path, for messages */
    char *err;
    size_t errlen;
    sitem *items; /* scratch for the current rule */
    size_t nitems, capitems;
    char *file; /* the bytes of the file being read */
    size_t capfile;
    rawval vals[K_COUNT];
    pfr_index vflags; /* virtual flag name -> id (load only) */
    /* rules and entries array growth */
    size_t caprules, capentries;
    kvec names, prefixes, bigrams;
    uint32_t *always, *keyed; /* entry ids of the always / keyed groups, ascending */
    size_t capalways, nkeyed, capkeyed;
    char *pbuf, *lbuf; /* literal analysis buffers */
    size_t pbufcap;
    pfr_prefixes pfx; /* prefix set of the rule being built ... */
    int pfx_ok;       /* ... when its namepat has one (pfr_pattern_prefixes) */
    int jit;          /* JIT-compile the regexes (PKGFRESH_NO_JIT turns it off: valgrind
                         cannot follow JIT code and reports false errors in it) */
} loader;

/* Format "path:line: message" into the loader's error buffer; returns -1. */
static int fail(loader *L, size_t line, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (L->err && L->errlen)
        snprintf(L->err, L->errlen, "%s:%zu: %s", L->path, line, msg);
    return -1;
}

/* Record a load warning "path:line: message" in the ruleset; -1 on no memory. */
static int warn(loader *L, size_t line, const char *fmt, ...)
{
    pf_rules *r = L->r;
    char msg[600];
    int off = snprintf(msg, sizeof msg, "%s:%zu: ", L->path, line);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg + off, sizeof msg - (size_t)off, fmt, ap);
    va_end(ap);
    if (r->nwarnings == r->capwarnings) {
        size_t cap = r->capwarnings ? r->capwarnings * 2 : 16;
        char **w = realloc(r->warnings, cap * sizeof *w);
        if (!w)
            return -1;
        r->warnings = w;
        r->capwarnings = cap;
    }
    char *s = arena_strndup(r, msg, strlen(msg));
    if (!s)
        return -1;
    r->warnings[r->nwarnings++] = s;
    return 0;
}

/* Next YAML event of the file into *ev; -1 with a located message on a syntax error or an alias. */
static int next_event(loader *L, const pfr_yev **ev)
{
    if (L->evi >= L->ys.nev)
        return fail(L, 0, "YAML error: unexpected end"); /* the stream always ends */
    const pfr_yev *e = &L->ys.ev[L->evi++];
    if (e->type == PFR_YEV_ERROR)
        return fail(L, e->line + 1, "YAML error: %s", L->ys.text + e->off);
    if (e->type == PFR_YEV_ALIAS)
        return fail(L, e->line + 1, "YAML aliases are not supported in rules");
    *ev = e;
    return 0;
}

/* Note one scalar event as the next scratch item (its text stays in the event stream). */
static int push_item(loader *L, const pfr_yev *ev)
{
    if (L->nitems == L->capitems) {
        size_t cap = L->capitems ? L->capitems * 2 : 256;
        sitem *v = realloc(L->items, cap * sizeof *v);
        if (!v)
            return fail(L, ev->line + 1, "out of memory");
        L->items = v;
        L->capitems = cap;
    }
    int plain = ev->style == PFR_YS_PLAIN && !ev->tagged;
    L->items[L->nitems++] =
        (sitem){ev->off, ev->len, (uint8_t)scalar_type(L->ys.text + ev->off, ev->len, plain)};
    return 0;
}

/* Skip the value whose first event is ev (already consumed), including nested content. */
static int skip_value(loader *L, const pfr_yev *ev)
{
    int depth = 0;
    for (;;) {
        if (ev->type == PFR_YEV_SEQ_START || ev->type == PFR_YEV_MAP_START)
            depth++;
        else if (ev->type == PFR_YEV_SEQ_END || ev->type == PFR_YEV_MAP_END)
            depth--;
        if (depth == 0)
            return 0;
        if (next_event(L, &ev) < 0)
            return -1;
    }
}

/* Read the value of key k (first event already in ev, consumed here) into L->vals[k]. */
static int read_value(loader *L, int k, const pfr_yev *ev)
{
    rawval *v = &L->vals[k];
    v->first = (uint32_t)L->nitems;
    v->line = ev->line + 1;
    v->present = 1;
    if (ev->type == PFR_YEV_SCALAR) {
        v->shape = VS_SCALAR;
        v->n = 1;
        return push_item(L, ev);
    }
    int seq = ev->type == PFR_YEV_SEQ_START;
    if (!seq && ev->type != PFR_YEV_MAP_START)
        return fail(L, v->line, "key '%s': unexpected YAML structure", keydefs[k].name);
    v->shape = seq ? VS_SEQ : VS_MAP;
    for (;;) {
        if (next_event(L, &ev) < 0)
            return -1;
        if (ev->type == (seq ? PFR_YEV_SEQ_END : PFR_YEV_MAP_END))
            break;
        if (ev->type != PFR_YEV_SCALAR)
            return fail(L, ev->line + 1, "key '%s': nested structures are not allowed",
                        keydefs[k].name);
        if (push_item(L, ev) < 0)
            return -1;
    }
    v->n = (uint32_t)(L->nitems - v->first);
    return 0;
}

/* ---------------------------------------------------------------- building one rule */

/* The text of an item (in the file's event stream: valid until the next file). */
static const char *item_text(const loader *L, const sitem *it)
{
    return L->ys.text + it->off;
}

/* An arena copy of an item's text, to keep in the ruleset; NULL on no memory. */
static char *item_keep(loader *L, const sitem *it)
{
    return arena_strndup(L->r, item_text(L, it), it->n);
}

/* Value k is a string or a list of strings; 0, or -1 with the located error. */
static int check_strs(loader *L, int k)
{
    const rawval *v = &L->vals[k];
    if (v->shape == VS_MAP)
        return fail(L, v->line, "key '%s' expects a string or a list of strings", keydefs[k].name);
    for (uint32_t i = 0; i < v->n; i++) {
        const sitem *it = &L->items[v->first + i];
        if (it->type == SV_BOOL_TRUE || it->type == SV_BOOL_FALSE || it->type == SV_NULL)
            return fail(L, v->line, "key '%s' expects strings, got '%s'", keydefs[k].name,
                        item_text(L, it));
    }
    return 0;
}

/* Copy the string items of value k into an arena array (lower-cased if asked). */
static int build_strs(loader *L, int k, pfr_strs *out, int lower)
{
    const rawval *v = &L->vals[k];
    if (check_strs(L, k) < 0)
        return -1;
    const char **arr = arena_alloc(L->r, (v->n ? v->n : 1) * sizeof *arr);
    if (!arr)
        return fail(L, v->line, "out of memory");
    for (uint32_t i = 0; i < v->n; i++) {
        char *s = item_keep(L, &L->items[v->first + i]);
        if (!s)
            return fail(L, v->line, "out of memory");
        if (lower)
            for (char *p = s; *p; p++)
                *p = (char)tolower((unsigned char)*p);
        arr[i] = s;
    }
    *out = (pfr_strs){arr, v->n};
    return 0;
}

/* The single string of value k (numbers taken as their text), kept in the arena. */
static int build_str(loader *L, int k, const char **out)
{
    const rawval *v = &L->vals[k];
    const sitem *it = &L->items[v->first];
    if (v->shape != VS_SCALAR || it->type == SV_BOOL_TRUE || it->type == SV_BOOL_FALSE ||
        it->type == SV_NULL)
        return fail(L, v->line, "key '%s' expects a string", keydefs[k].name);
    if (!(*out = item_keep(L, it)))
        return fail(L, v->line, "out of memory");
    return 0;
}

/* The boolean of value k. */
static int build_bool(loader *L, int k, int *out)
{
    const rawval *v = &L->vals[k];
    const sitem *it = &L->items[v->first];
    if (v->shape != VS_SCALAR || (it->type != SV_BOOL_TRUE && it->type != SV_BOOL_FALSE))
        return fail(L, v->line, "key '%s' expects true or false", keydefs[k].name);
    *out = it->type == SV_BOOL_TRUE;
    return 0;
}

/* The non-negative integer of value k. */
static int build_int(loader *L, int k, int32_t *out)
{
    const rawval *v = &L->vals[k];
    const sitem *it = &L->items[v->first];
    if (v->shape != VS_SCALAR || it->type != SV_INT)
        return fail(L, v->line, "key '%s' expects an integer", keydefs[k].name);
    long n = strtol(item_text(L, it), NULL, 10);
    if (n < 0 || n > 1000000)
        return fail(L, v->line, "key '%s': integer out of range", keydefs[k].name);
    *out = (int32_t)n;
    return 0;
}

/* Intern the names of value k as ruleset or virtual-flag ids. */
static int build_ids(loader *L, int k, pfr_ids *out, int rulesets)
{
    const rawval *v = &L->vals[k];
    if (check_strs(L, k) < 0)
        return -1;
    uint16_t *ids = arena_alloc(L->r, (v->n ? v->n : 1) * sizeof *ids);
    if (!ids)
        return fail(L, v->line, "out of memory");
    for (uint32_t i = 0; i < v->n; i++) {
        const char *s = item_text(L, &L->items[v->first + i]);
        int id = rulesets ? intern(L->r, &L->r->ruleset_ids, s, strlen(s), &L->r->nrulesets,
                                   PFR_MAX_RULESETS)
                          : intern(L->r, &L->vflags, s, strlen(s), &L->r->nvflags, PFR_MAX_VFLAGS);
        if (id == -2)
            return fail(L, v->line, "out of memory");
        if (id < 0)
            return fail(L, v->line, "too many distinct %s names", rulesets ? "ruleset" : "flag");
        ids[i] = (uint16_t)id;
    }
    *out = (pfr_ids){ids, v->n};
    return 0;
}

/* addflavor/setflavor: true -> AUTO, string or list -> LIST; false is an error. */
static int build_flavor(loader *L, int k, uint8_t *mode, pfr_strs *out)
{
    const rawval *v = &L->vals[k];
    const sitem *it = &L->items[v->first];
    if (v->shape == VS_SCALAR && it->type == SV_BOOL_TRUE) {
        *mode = PFR_FLAVOR_AUTO;
        return 0;
    }
    if (v->shape == VS_SCALAR && it->type == SV_BOOL_FALSE)
        return fail(L, v->line, "false not allowed as %s argument", keydefs[k].name);
    *mode = PFR_FLAVOR_LIST;
    return build_strs(L, k, out, 0);
}

/* Replace every "$0" in s by rep; a new arena string (or s itself when there is none). */
static const char *subst_dollar0(loader *L, const char *s, const char *rep)
{
    if (!strstr(s, "$0"))
        return s;
    size_t rn = strlen(rep), cnt = 0;
    for (const char *q = strstr(s, "$0"); q; q = strstr(q + 2, "$0"))
        cnt++;
    char *out = arena_alloc(L->r, strlen(s) + cnt * rn + 1);
    if (!out)
        return NULL;
    char *o = out;
    for (const char *q = s; *q;) {
        if (q[0] == '$' && q[1] == '0') {
            memcpy(o, rep, rn);
            o += rn;
            q += 2;
        } else {
            *o++ = *q++;
        }
    }
    *o = '\0';
    return out;
}

/*
 * A rule regex of key k (see the file comment), set up in the arena and
 * checked now but compiled on first use (rules_regex.c); NULL with a located
 * error. *src_out, when given, receives its PCRE2 source.
 */
static pfr_regex *make_regex(loader *L, int k, const char *pat, int lower, const char **src_out)
{
    char *conv = pfr_regex_convert(pat, lower);
    char *src = conv ? arena_strndup(L->r, conv, strlen(conv)) : NULL;
    pfr_regex *rx = src ? arena_alloc(L->r, sizeof *rx) : NULL;
    free(conv);
    if (!rx) {
        fail(L, L->vals[k].line, "out of memory");
        return NULL;
    }
    char msg[300];
    if (pfr_regex_init(rx, src, L->jit, msg, sizeof msg) < 0) {
        fail(L, L->vals[k].line, "bad %s \"%s\": %s", keydefs[k].name, src, msg);
        return NULL;
    }
    rx->next = L->r->regexes;
    L->r->regexes = rx;
    if (src_out)
        *src_out = src;
    return rx;
}

/* Reset the per-rule scratch. */
static void rule_reset(loader *L)
{
    memset(L->vals, 0, sizeof L->vals);
    L->nitems = 0;
    L->pfx_ok = 0;
}

/* Keys whose values live in a rule's pfr_rare block. */
static const uint8_t rare_keys[] = {
    K_NORULESET,   K_FLAG,        K_NOFLAG,   K_HASBRANCH,      K_NOTVER,     K_VERCOMPS,
    K_VERGT,       K_VERGE,       K_VERLT,    K_VERLE,          K_VEREQ,      K_VERNE,
    K_RELGT,       K_RELGE,       K_RELLT,    K_RELLE,          K_RELEQ,      K_RELNE,
    K_WWWPREFIX,   K_SOURCEFORGE, K_SUMMPART, K_CATEGORY,       K_MAINTAINER, K_WWWPAT,
    K_CATEGORYPAT, K_SETBRANCH,   K_WARNING,  K_SETBRANCHCOMPS, K_SETFLAVOR,  K_REPLACEINNAME};

/* Namepat of the rule being built: its regex and the literals that pre-filter it. */
static int build_namepat(loader *L, pfr_rule *ru, uint32_t line)
{
    const char *pat, *src;
    if (build_str(L, K_NAMEPAT, &pat) < 0)
        return -1;
    if (ru->setname && !(pat = subst_dollar0(L, pat, ru->setname)))
        return fail(L, line, "out of memory");
    if (!(ru->namepat = make_regex(L, K_NAMEPAT, pat, 0, &src)))
        return -1;
    size_t need = strlen(src) + 1;
    if (need > L->pbufcap) {
        free(L->pbuf);
        free(L->lbuf);
        L->pbuf = malloc(need);
        L->lbuf = malloc(need);
        L->pbufcap = need;
    }
    if (!L->pbuf || !L->lbuf) {
        L->pbufcap = 0;
        return fail(L, line, "out of memory");
    }
    size_t pl, ll;
    pfr_pattern_literals(src, L->pbuf, &pl, L->lbuf, &ll);
    L->pfx_ok = pfr_pattern_prefixes(src, &L->pfx) == 0;
    if (pl) {
        ru->np_prefix = arena_strndup(L->r, L->pbuf, pl);
        ru->np_prefixlen = (uint32_t)pl;
    }
    if (ll) {
        ru->np_lit = arena_strndup(L->r, L->lbuf, ll);
        ru->np_litlen = (uint32_t)ll;
    }
    if ((pl && !ru->np_prefix) || (ll && !ru->np_lit))
        return fail(L, line, "out of memory");
    return 0;
}

/* Append entry id to an ascending entry list (the always or keyed group). 0, or -1. */
static int push_entry(uint32_t **v, size_t *n, size_t *cap, uint32_t id)
{
    uint32_t *a = pf_grow_items(*v, cap, *n, sizeof *a, 256);
    if (!a)
        return -1;
    *v = a;
    a[(*n)++] = id;
    return 0;
}

/*
 * File nameless entry id of rule ru (its namepat, if any, just analysed):
 * in the keyed group, under its dense index, by its prefix set, else by the
 * first bytes of its literal prefix (both looked up with the name's first
 * bytes), else by the first two bytes of its longest literal (looked up with
 * every two bytes of the name); with none of these, in the always group.
 * 0, or -1 (no memory).
 */
static int push_nameless(loader *L, const pfr_rule *ru, uint32_t id)
{
    uint32_t dense = (uint32_t)L->nkeyed;
    if (L->pfx_ok) {
        for (size_t i = 0; i < L->pfx.n; i++) {
            const char *key = arena_strndup(L->r, L->pfx.s[i], L->pfx.len[i]);
            if (!key || kvec_push(&L->prefixes, key, L->pfx.len[i], dense) < 0)
                return -1;
        }
    } else if (ru->namepat && ru->np_prefixlen >= 2) {
        size_t n = ru->np_prefixlen < PFR_PREFIX_LEN ? ru->np_prefixlen : PFR_PREFIX_LEN;
        if (kvec_push(&L->prefixes, ru->np_prefix, n, dense) < 0)
            return -1;
    } else if (ru->namepat && ru->np_litlen >= 2) {
        if (kvec_push(&L->bigrams, ru->np_lit, 2, dense) < 0)
            return -1;
    } else {
        return push_entry(&L->always, &L->r->nalways, &L->capalways, id);
    }
    return push_entry(&L->keyed, &L->nkeyed, &L->capkeyed, id);
}

/* Turn the raw values of the rule read last (at line) into a pfr_rule appended to r. */
static int build_rule(loader *L, uint32_t file, uint32_t line)
{
    pf_rules *r = L->r;
    if (r->nrules == L->caprules) {
        size_t cap = L->caprules ? L->caprules * 2 : 4096;
        pfr_rule *v = realloc(r->rules, cap * sizeof *v);
        if (!v)
            return fail(L, line, "out of memory");
        r->rules = v;
        L->caprules = cap;
    }
    pfr_rule *ru = &r->rules[r->nrules];
    memset(ru, 0, sizeof *ru);
    r->nrules++;
    ru->file = file;
    ru->line = line;
    ru->verlonger = -1;
    ru->is_p_is_patch = -1;
    pfr_rare rare_v, *rare = &rare_v; /* copied into the arena at the end when used */
    memset(rare, 0, sizeof *rare);
    rare->vercomps = rare->setbranchcomps = -1;
    rare->hasbranch = -1;
    rawval *V = L->vals;
    int b = 0;

    if (V[K_SETNAME].present && build_str(L, K_SETNAME, &ru->setname) < 0)
        return -1;
    if (V[K_NAME].present) {
        if (build_strs(L, K_NAME, &ru->names, 0) < 0)
            return -1;
        for (uint32_t i = 0; ru->setname && i < ru->names.n; i++)
            if (!(ru->names.v[i] = subst_dollar0(L, ru->names.v[i], ru->setname)))
                return fail(L, line, "out of memory");
    }
    if (V[K_NAMEPAT].present && build_namepat(L, ru, line) < 0)
        return -1;
    if ((V[K_VER].present && build_strs(L, K_VER, &ru->ver, 0) < 0) ||
        (V[K_NOTVER].present && build_strs(L, K_NOTVER, &rare->notver, 0) < 0) ||
        (V[K_WWWPART].present && build_strs(L, K_WWWPART, &ru->wwwpart, 1) < 0) ||
        (V[K_WWWPREFIX].present && build_strs(L, K_WWWPREFIX, &rare->wwwprefix, 1) < 0) ||
        (V[K_SOURCEFORGE].present && build_strs(L, K_SOURCEFORGE, &rare->sourceforge, 1) < 0) ||
        (V[K_SUMMPART].present && build_strs(L, K_SUMMPART, &rare->summpart, 1) < 0) ||
        (V[K_CATEGORY].present && build_strs(L, K_CATEGORY, &rare->category, 1) < 0) ||
        (V[K_MAINTAINER].present && build_strs(L, K_MAINTAINER, &rare->maintainer, 1) < 0))
        return -1;
    struct {
        int key;
        pfr_regex **out;
    } const pats[] = {
        {K_VERPAT, &ru->verpat},
        {K_WWWPAT, &rare->wwwpat},
        {K_CATEGORYPAT, &rare->categorypat},
    };
    for (size_t i = 0; i < sizeof pats / sizeof *pats; i++) {
        const char *pat;
        if (!V[pats[i].key].present)
            continue;
        if (build_str(L, pats[i].key, &pat) < 0)
            return -1;
        if (!(*pats[i].out = make_regex(L, pats[i].key, pat, 1, NULL)))
            return -1;
    }
    if (V[K_RULESET].present && V[K_FAMILY].present)
        return fail(L, V[K_FAMILY].line, "both 'ruleset' and its alias 'family' given");
    if ((V[K_RULESET].present && build_ids(L, K_RULESET, &ru->ruleset, 1) < 0) ||
        (V[K_FAMILY].present && build_ids(L, K_FAMILY, &ru->ruleset, 1) < 0) ||
        (V[K_NORULESET].present && build_ids(L, K_NORULESET, &rare->noruleset, 1) < 0) ||
        (V[K_FLAG].present && build_ids(L, K_FLAG, &rare->flag, 0) < 0) ||
        (V[K_NOFLAG].present && build_ids(L, K_NOFLAG, &rare->noflag, 0) < 0) ||
        (V[K_ADDFLAG].present && build_ids(L, K_ADDFLAG, &ru->addflag, 0) < 0))
        return -1;
    if ((V[K_VERCOMPS].present && build_int(L, K_VERCOMPS, &rare->vercomps) < 0) ||
        (V[K_VERLONGER].present && build_int(L, K_VERLONGER, &ru->verlonger) < 0) ||
        (V[K_SETBRANCHCOMPS].present && build_int(L, K_SETBRANCHCOMPS, &rare->setbranchcomps) < 0))
        return -1;
    for (int c = 0; c < PFR_NCMP; c++) {
        if (V[K_VERGT + c].present && build_str(L, K_VERGT + c, &rare->vercmp[c]) < 0)
            return -1;
        if (V[K_RELGT + c].present && build_str(L, K_RELGT + c, &rare->relcmp[c]) < 0)
            return -1;
    }
    if (V[K_IS_P_IS_PATCH].present) {
        if (build_bool(L, K_IS_P_IS_PATCH, &b) < 0)
            return -1;
        ru->is_p_is_patch = (int8_t)b;
    }
    if (V[K_HASBRANCH].present) {
        if (build_bool(L, K_HASBRANCH, &b) < 0)
            return -1;
        rare->hasbranch = (int8_t)b;
    }
    /* actions */
    uint32_t nf = 0;
    for (int k = K_REMOVE; k <= K_RECALLED; k++)
        nf += V[k].present;
    if (nf) {
        pfr_flagop *ops = arena_alloc(r, nf * sizeof *ops);
        if (!ops)
            return fail(L, line, "out of memory");
        nf = 0;
        for (int k = K_REMOVE; k <= K_RECALLED; k++) {
            if (!V[k].present)
                continue;
            if (build_bool(L, k, &b) < 0)
                return -1;
            ops[nf++] = (pfr_flagop){keydefs[k].flag, (uint8_t)b};
        }
        ru->flagops = ops;
        ru->nflagops = nf;
    }
    /* Upstream acts on the presence of last/resetflavors/tolowername whatever the
     * value; they must still be booleans. */
    if (V[K_LAST].present && build_bool(L, K_LAST, &b) < 0)
        return -1;
    if (V[K_RESETFLAVORS].present && build_bool(L, K_RESETFLAVORS, &b) < 0)
        return -1;
    if (V[K_TOLOWERNAME].present && build_bool(L, K_TOLOWERNAME, &b) < 0)
        return -1;
    ru->last = V[K_LAST].present;
    ru->resetflavors = V[K_RESETFLAVORS].present;
    ru->tolowername = V[K_TOLOWERNAME].present;
    if ((V[K_ADDFLAVOR].present &&
         build_flavor(L, K_ADDFLAVOR, &ru->addflavor_mode, &ru->addflavor) < 0) ||
        (V[K_SETFLAVOR].present &&
         build_flavor(L, K_SETFLAVOR, &rare->setflavor_mode, &rare->setflavor) < 0))
        return -1;
    if ((V[K_SETBRANCH].present && build_str(L, K_SETBRANCH, &rare->setbranch) < 0) ||
        (V[K_SETVER].present && build_str(L, K_SETVER, &ru->setver) < 0) ||
        (V[K_WARNING].present && build_str(L, K_WARNING, &rare->warning) < 0))
        return -1;
    const char *unused;
    if (V[K_SETSUBREPO].present && build_str(L, K_SETSUBREPO, &unused) < 0)
        return -1; /* accepted; pf_rpkg has no subrepo to set */
    if (V[K_REPLACEINNAME].present) {
        const rawval *v = &V[K_REPLACEINNAME];
        if (v->shape != VS_MAP || v->n % 2)
            return fail(L, v->line, "key 'replaceinname' expects a mapping of strings");
        const char **arr = arena_alloc(r, (v->n ? v->n : 1) * sizeof *arr);
        if (!arr)
            return fail(L, line, "out of memory");
        for (uint32_t i = 0; i < v->n; i++) {
            if (L->items[v->first + i].type == SV_NULL || (i % 2 == 0 && !L->items[v->first + i].n))
                return fail(L, v->line, "key 'replaceinname' expects non-empty strings");
            if (!(arr[i] = item_keep(L, &L->items[v->first + i])))
                return fail(L, line, "out of memory");
        }
        rare->repl = (pfr_strs){arr, v->n};
    }
    for (size_t i = 0; i < sizeof rare_keys; i++) {
        if (!V[rare_keys[i]].present)
            continue;
        pfr_rare *copy = arena_alloc(r, sizeof *copy);
        if (!copy)
            return fail(L, line, "out of memory");
        *copy = *rare;
        ru->rare = copy;
        break;
    }
    return 0;
}

/* Read one rule mapping (MAPPING_START already consumed) at line and build it. */
static int read_rule(loader *L, uint32_t file, uint32_t line)
{
    rule_reset(L);
    const pfr_yev *ev;
    for (;;) {
        if (next_event(L, &ev) < 0)
            return -1;
        if (ev->type == PFR_YEV_MAP_END)
            break;
        size_t kline = ev->line + 1;
        if (ev->type != PFR_YEV_SCALAR)
            return fail(L, kline, "rule keys must be plain strings");
        char key[64]; /* truncated: no key is that long */
        size_t kn = ev->len < sizeof key ? ev->len : sizeof key - 1;
        memcpy(key, L->ys.text + ev->off, kn);
        key[kn] = '\0';
        int k = key_lookup(key);
        if (next_event(L, &ev) < 0)
            return -1;
        if (k < 0) {
            if (warn(L, kline, "unknown key '%s' skipped", key) < 0)
                return fail(L, kline, "out of memory");
            if (skip_value(L, ev) < 0)
                return -1;
            continue;
        }
        if (L->vals[k].present)
            return fail(L, kline, "duplicate key '%s' in rule", key);
        if (read_value(L, k, ev) < 0)
            return -1;
    }
    if (build_rule(L, file, line) < 0)
        return -1;
    /* Entries: one per listed name (upstream splits multi-name rules). */
    pfr_rule *ru = &L->r->rules[L->r->nrules - 1];
    uint32_t ri = (uint32_t)(L->r->nrules - 1);
    uint32_t nent = ru->names.n ? ru->names.n : 1;
    for (uint32_t i = 0; i < nent; i++) {
        uint32_t *er =
            pf_grow_items(L->r->entry_rule, &L->capentries, L->r->nentries, sizeof *er, 4096);
        if (!er)
            return fail(L, line, "out of memory");
        L->r->entry_rule = er;
        uint32_t id = (uint32_t)L->r->nentries++;
        er[id] = ri;
        int rc = ru->names.n ? kvec_push(&L->names, ru->names.v[i], strlen(ru->names.v[i]), id)
                             : push_nameless(L, ru, id);
        if (rc < 0)
            return fail(L, line, "out of memory");
    }
    return 0;
}

/* Fold n bytes into the running ruleset digest: the words as every
 * analyzer hash (hashword.h), the tail byte by byte as FNV-1a. */
static uint64_t digest_bytes(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    h = an_hash_words(h, b, n);
    for (size_t i = n & ~(size_t)7; i < n; i++)
        h = (h ^ b[i]) * 1099511628211ULL;
    return h;
}

/* Read the whole file at path into L->file (reused from file to file); its size, or -1 (errno set).
 */
static long read_whole(loader *L, const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return -1;
    size_t n = 0, got;
    for (;;) {
        if (pf_grow(&L->file, &L->capfile, n, 65536) < 0) {
            fclose(fp);
            errno = ENOMEM;
            return -1;
        }
        got = fread(L->file + n, 1, L->capfile - n, fp);
        n += got;
        if (got == 0)
            break;
        if (n > ((size_t)1 << 30)) { /* event offsets are 32-bit; no rule file is near this */
            fclose(fp);
            errno = EFBIG;
            return -1;
        }
    }
    int bad = ferror(fp);
    fclose(fp);
    if (bad) {
        errno = EIO;
        return -1;
    }
    return (long)n;
}

/* Parse one rule file (full path, file index fi) and append its rules. */
static int load_file(loader *L, const char *path, uint32_t fi)
{
    long size = read_whole(L, path);
    if (size < 0) {
        if (L->err && L->errlen)
            snprintf(L->err, L->errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    /* The digest covers the relative path and the bytes: the analysis' rule-result
     * cache is valid only for the same digest. */
    const char *rel = L->r->files[fi];
    L->r->digest = digest_bytes(L->r->digest, rel, strlen(rel) + 1);
    L->r->digest = digest_bytes(L->r->digest, L->file, (size_t)size);
    L->path = path;
    L->evi = 0;
    if (pfr_yaml_read(&L->ys, L->file, (size_t)size) < 0)
        return fail(L, 1, "out of memory");
    size_t before = L->r->nrules;
    int in_seq = 0;
    for (;;) {
        const pfr_yev *ev;
        if (next_event(L, &ev) < 0)
            return -1;
        size_t line = ev->line + 1;
        switch (ev->type) {
        case PFR_YEV_STREAM_END:
            L->r->file_rules[fi] = L->r->nrules - before;
            return 0;
        case PFR_YEV_SEQ_START:
            if (in_seq)
                return fail(L, line, "a rule must be a mapping, not a list");
            in_seq = 1;
            break;
        case PFR_YEV_SEQ_END:
            in_seq = 0;
            break;
        case PFR_YEV_MAP_START:
            if (!in_seq)
                return fail(L, line, "the file must be a list of rules");
            if (read_rule(L, fi, (uint32_t)line) < 0)
                return -1;
            break;
        case PFR_YEV_SCALAR:
            /* An empty document ("" / null) holds no rules, as upstream's `if rules:`. */
            if (!in_seq &&
                scalar_type(L->ys.text + ev->off, ev->len, ev->style == PFR_YS_PLAIN) == SV_NULL)
                break;
            return fail(L, line,
                        in_seq ? "a rule must be a mapping" : "the file must be a list of rules");
        default: /* stream, document starts and ends */
            break;
        }
    }
}

/*
 * Partition the always entries (ascending in always[0..r->nalways)) by their
 * ruleset condition: always_free for none, one ascending slice per ruleset
 * id otherwise; both hold dense indices i (always[i]). 0 or -1 (no memory).
 */
static int split_always(pf_rules *r, const uint32_t *always)
{
    size_t nrs = r->nrulesets, total = 0, nfree = 0;
    r->always_off = arena_alloc(r, (nrs + 1) * sizeof *r->always_off);
    if (!r->always_off)
        return -1;
    memset(r->always_off, 0, (nrs + 1) * sizeof *r->always_off);
    for (size_t i = 0; i < r->nalways; i++) {
        const pfr_rule *ru = &r->rules[r->entry_rule[always[i]]];
        if (!ru->ruleset.n)
            nfree++;
        for (uint32_t j = 0; j < ru->ruleset.n; j++, total++)
            r->always_off[ru->ruleset.v[j] + 1]++;
    }
    for (size_t i = 0; i < nrs; i++)
        r->always_off[i + 1] += r->always_off[i];
    r->always_free = arena_alloc(r, (nfree ? nfree : 1) * sizeof *r->always_free);
    r->always_ids = arena_alloc(r, (total ? total : 1) * sizeof *r->always_ids);
    uint32_t *fill = calloc(nrs + 1, sizeof *fill);
    if (!r->always_free || !r->always_ids || !fill) {
        free(fill);
        return -1;
    }
    for (size_t i = 0; i < r->nalways; i++) {
        const pfr_rule *ru = &r->rules[r->entry_rule[always[i]]];
        if (!ru->ruleset.n)
            r->always_free[r->nalways_free++] = (uint32_t)i;
        for (uint32_t j = 0; j < ru->ruleset.n; j++) {
            uint16_t id = ru->ruleset.v[j];
            r->always_ids[r->always_off[id] + fill[id]++] = (uint32_t)i;
        }
    }
    free(fill);
    return 0;
}

/* ---------------------------------------------------------------- directory walk */

typedef struct pathvec {
    char **v;
    size_t n, cap;
    size_t bytes; /* their sizes added up */
} pathvec;

/* Collect relative paths of *.yaml files below base/rel (dot-directories skipped). */
static int walk(const char *base, const char *rel, pathvec *pv, char *err, size_t errlen)
{
    char dirpath[4096];
    snprintf(dirpath, sizeof dirpath, "%s%s%s", base, *rel ? "/" : "", rel);
    DIR *d = opendir(dirpath);
    if (!d) {
        snprintf(err, errlen, "%s: %s", dirpath, strerror(errno));
        return -1;
    }
    struct dirent *de;
    int rc = 0;
    while (rc == 0 && (de = readdir(d))) {
        const char *nm = de->d_name;
        if (strcmp(nm, ".") == 0 || strcmp(nm, "..") == 0)
            continue;
        char sub[4096], full[8192];
        snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", nm);
        snprintf(full, sizeof full, "%s/%s", base, sub);
        struct stat st;
        if (stat(full, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            if (nm[0] != '.')
                rc = walk(base, sub, pv, err, errlen);
            continue;
        }
        size_t n = strlen(nm);
        if (!S_ISREG(st.st_mode) || n < 5 || strcmp(nm + n - 5, ".yaml") != 0)
            continue;
        if (pv->n == pv->cap) {
            size_t cap = pv->cap ? pv->cap * 2 : 256;
            char **v = realloc(pv->v, cap * sizeof *v);
            if (!v) {
                rc = -1;
                snprintf(err, errlen, "out of memory");
                break;
            }
            pv->v = v;
            pv->cap = cap;
        }
        pv->bytes += (size_t)st.st_size;
        if (!(pv->v[pv->n] = strdup(sub))) {
            rc = -1;
            snprintf(err, errlen, "out of memory");
            break;
        }
        pv->n++;
    }
    closedir(d);
    return rc;
}

/* Byte-wise order of relative paths, as Python's sorted() on str. */
static int path_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ---------------------------------------------------------------- public */

pf_rules *pf_rules_load(const char *dir, char *err, size_t errlen)
{
    char dummy[8];
    if (!err || !errlen) {
        err = dummy;
        errlen = sizeof dummy;
    }
    err[0] = '\0';
    pf_rules *r = calloc(1, sizeof *r);
    if (!r) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    r->digest = 1469598103934665603ULL; /* the FNV-1a 64 offset basis as the seed */
    pathvec pv = {0};
    loader L = {.r = r, .err = err, .errlen = errlen, .jit = !getenv("PKGFRESH_NO_JIT")};
    int ok = 0;
    if (walk(dir, "", &pv, err, errlen) < 0)
        goto done;
    qsort(pv.v, pv.n, sizeof *pv.v, path_cmp);
    /* Room for the rules up front: a rule takes some 95 bytes of YAML in the
     * community ruleset, so 1 per 48 bytes rarely needs a realloc (which
     * would copy megabytes); pages are touched only as rules fill them. */
    L.caprules = pv.bytes / 48 + 64;
    if (!(r->rules = malloc(L.caprules * sizeof *r->rules))) {
        snprintf(err, errlen, "out of memory");
        goto done;
    }
    r->nfiles = pv.n;
    r->files = arena_alloc(r, (pv.n ? pv.n : 1) * sizeof *r->files);
    r->file_rules = arena_alloc(r, (pv.n ? pv.n : 1) * sizeof *r->file_rules);
    uint32_t tabsize = 2 * PFR_MAX_RULESETS;
    r->ruleset_ids.slots = arena_alloc(r, tabsize * sizeof(pfr_slot));
    L.vflags.slots = arena_alloc(r, 2 * PFR_MAX_VFLAGS * sizeof(pfr_slot));
    if (!r->files || !r->file_rules || !r->ruleset_ids.slots || !L.vflags.slots) {
        snprintf(err, errlen, "out of memory");
        goto done;
    }
    memset(r->ruleset_ids.slots, 0, tabsize * sizeof(pfr_slot));
    memset(L.vflags.slots, 0, 2 * PFR_MAX_VFLAGS * sizeof(pfr_slot));
    r->ruleset_ids.mask = tabsize - 1;
    L.vflags.mask = 2 * PFR_MAX_VFLAGS - 1;
    for (size_t i = 0; i < pv.n; i++) {
        r->files[i] = arena_strndup(r, pv.v[i], strlen(pv.v[i]));
        r->file_rules[i] = 0;
        if (!r->files[i]) {
            snprintf(err, errlen, "out of memory");
            goto done;
        }
    }
    for (size_t i = 0; i < pv.n; i++) {
        char full[8192];
        snprintf(full, sizeof full, "%s/%s", dir, pv.v[i]);
        if (load_file(&L, full, (uint32_t)i) < 0)
            goto done;
    }
    if (r->nalways > PFR_MAX_DENSE || L.nkeyed > PFR_MAX_DENSE) {
        snprintf(err, errlen, "%s: more than %d rules without a name condition", dir,
                 PFR_MAX_DENSE);
        goto done;
    }
    if (index_build(r, &r->by_name, &L.names) < 0 || split_always(r, L.always) < 0) {
        snprintf(err, errlen, "out of memory");
        goto done;
    }
    /* Entries were pushed in ascending order: keep the plain lists as fallbacks. */
    r->nkeyed = L.nkeyed;
    r->always_all = arena_alloc(r, (r->nalways ? r->nalways : 1) * sizeof *r->always_all);
    r->keyed_all = arena_alloc(r, (r->nkeyed ? r->nkeyed : 1) * sizeof *r->keyed_all);
    if (!r->always_all || !r->keyed_all) {
        snprintf(err, errlen, "out of memory");
        goto done;
    }
    if (r->nalways)
        memcpy(r->always_all, L.always, r->nalways * sizeof *r->always_all);
    if (r->nkeyed)
        memcpy(r->keyed_all, L.keyed, r->nkeyed * sizeof *r->keyed_all);
    if (index_build(r, &r->by_prefix, &L.prefixes) < 0 ||
        index_build(r, &r->by_bigram, &L.bigrams) < 0 ||
        !(r->pair_prefix = pair_set(r, &L.prefixes)) ||
        !(r->pair_bigram = pair_set(r, &L.bigrams))) {
        snprintf(err, errlen, "out of memory");
        goto done;
    }
    ok = 1;
done:
    for (size_t i = 0; i < pv.n; i++)
        free(pv.v[i]);
    free(pv.v);
    free(L.items);
    pfr_ystream_free(&L.ys);
    free(L.file);
    free(L.names.v);
    free(L.prefixes.v);
    free(L.bigrams.v);
    free(L.always);
    free(L.keyed);
    free(L.pbuf);
    free(L.lbuf);
    if (!ok) {
        if (!err[0])
            snprintf(err, errlen, "%s: cannot load rules", dir);
        pf_rules_free(r);
        return NULL;
    }
    return r;
}

/* The ruleset's digest (see rules.h). */
uint64_t pf_rules_digest(const pf_rules *r)
{
    return r ? r->digest : 0;
}

size_t pf_rules_count(const pf_rules *r)
{
    return r ? r->nrules : 0;
}

size_t pf_rules_nfiles(const pf_rules *r)
{
    return r ? r->nfiles : 0;
}

const char *pf_rules_file_name(const pf_rules *r, size_t i, size_t *nrules)
{
    if (!r || i >= r->nfiles)
        return NULL;
    if (nrules)
        *nrules = r->file_rules[i];
    return r->files[i];
}

size_t pf_rules_nentries(const pf_rules *r)
{
    return r ? r->nentries : 0;
}

size_t pf_rules_nwarnings(const pf_rules *r)
{
    return r ? r->nwarnings : 0;
}

const char *pf_rules_warning(const pf_rules *r, size_t i)
{
    return r && i < r->nwarnings ? r->warnings[i] : NULL;
}

void pf_rules_free(pf_rules *r)
{
    if (!r)
        return;
    for (pfr_regex *rx = r->regexes; rx; rx = rx->next)
        pfr_regex_free(rx);
    free(r->rules);
    free(r->entry_rule);
    free(r->warnings);
    for (pfr_block *b = r->arena, *n; b; b = n) {
        n = b->next;
        free(b);
    }
    free(r);
}
