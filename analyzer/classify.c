/*
 * classify.c — Repology's per-project classifier (repology-model.md §1).
 *
 * Written from the model notes and from the behaviour Repology's classifier
 * tests describe; no Repology code is copied. One call classifies every
 * package of one project:
 *
 *   1. ROLLING packages get "rolling" and leave.
 *   2. The rest is sorted by version, descending (metaorder first: SINK
 *      below everything), with a stable merge sort so ties keep input order.
 *   3. ALTSCHEME packages and the others form two pools, each classified on
 *      its own: equal versions are grouped; groups get devel / totally-ignored
 *      attributes; a devel section (leading devel groups) and a stable section
 *      get a "best" each; then each repository's packages are compared with
 *      the best of their section (newest / devel / unique / outdated / legacy,
 *      or an ignore-class when above the best).
 *
 * ALTVER: a section keeps two bests, the first group of any kind ("alt best")
 * and the first group without ALTVER ("plain best"). An ALTVER package is
 * compared with the alt best, every other package with the plain best, so
 * both "0.18" and "0.18.16131" can be newest, exactly as Repology does.
 *
 * Memory: one scratch block per call, on the stack for small projects and
 * malloc'd otherwise; nothing survives the call. Pure: no I/O, no globals.
 */
#include "pkgfresh/classify.h"

#include "pkgfresh/record.h"
#include "pkgfresh/version.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* Projects up to this many packages are classified without malloc. */
#define CLS_STACK_PKGS 32

/* No package: "best" of an empty section, absent map value. */
#define CLS_NONE ((size_t)-1)

/* Sections, in walk order. */
enum { SEC_DEVEL = 0, SEC_STABLE = 1, SEC_COUNT = 2 };

/* A run of equally versioned packages: pool positions [begin, end). */
typedef struct cls_group {
    size_t begin, end;
    unsigned all_flags; /* OR of members' flags */
    bool devel;         /* DEVEL, or all WEAK_DEVEL; never with STABLE */
    bool ignored;       /* all ignore-flagged (unless suppressed), or RECALLED */
} cls_group;

/* A section's bounds as package indices (CLS_NONE when unset). */
typedef struct cls_section {
    size_t first;     /* first added group without ALTVER: the plain best */
    size_t first_alt; /* first added group of any kind: the ALTVER best */
    size_t last;      /* last added group */
    int newest_status;
} cls_section;

/* One entry of a small linear map keyed by (branch, flavor) strings. */
typedef struct cls_entry {
    const char *branch; /* NULL is a valid key ("no branch") */
    const char *flavor; /* unused (NULL) in the branch-only map */
    size_t pkg;
} cls_entry;

/* A (repository, pool position) pair, sorted to walk packages per repo. */
typedef struct cls_repopos {
    int repo;
    size_t pos;
} cls_repopos;

/* Scratch arrays carved from one block; every array has n slots. */
typedef struct cls_scratch {
    size_t *order;       /* non-rolling package indices, sorted descending */
    size_t *tmp;         /* merge-sort buffer */
    size_t *pool;        /* the current pool: package indices in version order */
    unsigned char *sec;  /* section of each pool position */
    cls_group *groups;   /* groups of the current pool */
    cls_repopos *byrepo; /* pool positions sorted by (repo, position) */
    cls_entry *bestbr;   /* best non-devel package per branch */
    cls_entry *firstsec; /* per repo: first package in section, per flavor */
    cls_entry *firstbr;  /* per repo: first package per (branch, flavor) */
} cls_scratch;

/* Bytes of scratch needed per package; every member keeps size_t alignment
 * because the arrays with the strictest alignment come first. */
#define CLS_PER_PKG                                                                                \
    (3 * sizeof(size_t) + sizeof(cls_group) + sizeof(cls_repopos) + 3 * sizeof(cls_entry) + 1)

/* Translate package flags into the per-side version-comparison flags. */
static unsigned vflags(unsigned f)
{
    unsigned v = 0;
    if (f & PF_F_P_IS_PATCH)
        v |= PF_V_P_IS_PATCH;
    if (f & PF_F_ANY_IS_PATCH)
        v |= PF_V_ANY_IS_PATCH;
    return v;
}

/* Sort key above the version: rolling over everything, sink under everything. */
static int metaorder(unsigned f)
{
    if (f & PF_F_ROLLING)
        return 1;
    if (f & PF_F_SINK)
        return -1;
    return 0;
}

/* Compare two packages' versions as Repology does: metaorder, then libversion. */
static int pkg_cmp(const pf_cpkg *a, const pf_cpkg *b)
{
    int ma = metaorder(a->flags), mb = metaorder(b->flags);
    if (ma != mb)
        return ma < mb ? -1 : 1;
    return pf_vercmp4(a->version ? a->version : "", b->version ? b->version : "", vflags(a->flags),
                      vflags(b->flags));
}

/* String equality where NULL equals only NULL (branch keys). */
static bool key_eq(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return a == b;
    return a == b || strcmp(a, b) == 0;
}

/* Look a (branch, flavor) key up in a linear map of len entries; CLS_NONE if absent. */
static size_t map_get(const cls_entry *map, size_t len, const char *branch, const char *flavor)
{
    for (size_t i = 0; i < len; i++)
        if (key_eq(map[i].branch, branch) && key_eq(map[i].flavor, flavor))
            return map[i].pkg;
    return CLS_NONE;
}

/* Sort idx[0..m) by package version, descending; stable (ties keep input order). */
static void sort_desc(const pf_cpkg *pkgs, size_t *idx, size_t *tmp, size_t m)
{
    /* Invariant: after the pass of width w, every run [k*w, (k+1)*w) of src is sorted. */
    size_t *src = idx, *dst = tmp;
    for (size_t w = 1; w < m; w *= 2) {
        for (size_t lo = 0; lo < m; lo += 2 * w) {
            size_t mid = lo + w < m ? lo + w : m;
            size_t hi = lo + 2 * w < m ? lo + 2 * w : m;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi) {
                /* take the right element only when strictly greater: stability */
                if (pkg_cmp(&pkgs[src[j]], &pkgs[src[i]]) > 0)
                    dst[k++] = src[j++];
                else
                    dst[k++] = src[i++];
            }
            while (i < mid)
                dst[k++] = src[i++];
            while (j < hi)
                dst[k++] = src[j++];
        }
        size_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != idx)
        memcpy(idx, src, m * sizeof *idx);
}

/* True when every package comes from one family (nothing to compare against). */
static bool project_is_unique(const pf_cpkg *pkgs, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (pkgs[i].family != pkgs[0].family)
            return false;
    return true;
}

/* True when the version starts with prefix. */
static bool starts_with(const char *v, const char *prefix)
{
    return v != NULL && strncmp(v, prefix, strlen(prefix)) == 0;
}

/*
 * Whether ignore flags are disregarded: the m sorted non-rolling packages
 * all come from one family, all carry an ignore flag and none is NOSCHEME.
 * Repology's exception for nix (old "YYYY-MM-DD" snapshots compare above new
 * "0-unstable-YYYY-MM-DD" ones) is applied to any family mixing both forms,
 * since pf_cpkg carries a family index, not a name; "-unstable-" anywhere
 * counts as the new form, as Repology's test with "0.1.0-unstable-..." needs.
 */
static bool should_suppress_ignore(const pf_cpkg *pkgs, const size_t *idx, size_t m)
{
    if (m <= 1)
        return true;
    bool old_scheme = false, new_scheme = false;
    for (size_t i = 0; i < m; i++) {
        const pf_cpkg *p = &pkgs[idx[i]];
        if (p->family != pkgs[idx[0]].family || pf_classify_keeps_ignores(p->flags))
            return false;
        if (starts_with(p->version, "20"))
            old_scheme = true;
        else if (p->version != NULL && strstr(p->version, "-unstable-") != NULL)
            new_scheme = true;
    }
    return !(old_scheme && new_scheme);
}

/* Split pool[0..m) into groups of equal versions; returns the group count. */
static size_t make_groups(const pf_cpkg *pkgs, const size_t *pool, size_t m, bool suppress,
                          cls_group *groups)
{
    size_t ng = 0;
    for (size_t b = 0; b < m;) {
        size_t e = b + 1;
        while (e < m && pkg_cmp(&pkgs[pool[b]], &pkgs[pool[e]]) == 0)
            e++;
        cls_group *g = &groups[ng++];
        g->begin = b;
        g->end = e;
        g->all_flags = 0;
        g->ignored = !suppress;
        bool has_non_devel = false;
        for (size_t i = b; i < e; i++) {
            unsigned f = pkgs[pool[i]].flags;
            g->all_flags |= f;
            if (!(f & PF_F_ANY_IGNORE))
                g->ignored = false;
            if (!(f & (PF_F_DEVEL | PF_F_WEAK_DEVEL)))
                has_non_devel = true;
        }
        if (g->all_flags & PF_F_RECALLED)
            g->ignored = true;
        g->devel =
            ((g->all_flags & PF_F_DEVEL) || ((g->all_flags & PF_F_WEAK_DEVEL) && !has_non_devel)) &&
            !(g->all_flags & PF_F_STABLE);
        b = e;
    }
    return ng;
}

/* Record a group's first package in a section (sets both bests on first use). */
static void section_add(cls_section *s, size_t pkg, bool alt)
{
    if (s->first_alt == CLS_NONE)
        s->first_alt = pkg;
    if (s->first == CLS_NONE && !alt)
        s->first = pkg;
    s->last = pkg;
}

/* Comparison of a package with its section's best; +1 when there is no best. */
static int section_cmp_best(const pf_cpkg *pkgs, const cls_section *s, size_t pkg, bool alt)
{
    size_t best = alt ? s->first_alt : s->first;
    return best == CLS_NONE ? 1 : pkg_cmp(&pkgs[pkg], &pkgs[best]);
}

/* Whether a group led by pkg lies within the section's [last, best] range. */
static bool section_contains(const pf_cpkg *pkgs, const cls_section *s, size_t pkg, bool alt)
{
    size_t best = alt ? s->first_alt : s->first;
    return best != CLS_NONE && pkg_cmp(&pkgs[best], &pkgs[pkg]) >= 0 &&
           pkg_cmp(&pkgs[s->last], &pkgs[pkg]) <= 0;
}

/* Whether a group led by pkg lies above the section's best. */
static bool section_below(const pf_cpkg *pkgs, const cls_section *s, size_t pkg, bool alt)
{
    size_t best = alt ? s->first_alt : s->first;
    return best != CLS_NONE && pkg_cmp(&pkgs[best], &pkgs[pkg]) < 0;
}

/* Status of a package above its section's best: the strongest ignore class, else outdated. */
static int above_best_status(unsigned f)
{
    if (f & PF_F_NOSCHEME)
        return PF_S_NOSCHEME;
    if (f & PF_F_INCORRECT)
        return PF_S_INCORRECT;
    if (f & PF_F_UNTRUSTED)
        return PF_S_UNTRUSTED;
    if (f & PF_F_IGNORE)
        return PF_S_IGNORED;
    return PF_S_OUTDATED;
}

/* qsort order of (repo, position) pairs; positions are unique, so the order is total. */
static int repopos_cmp(const void *a, const void *b)
{
    const cls_repopos *x = a, *y = b;
    if (x->repo != y->repo)
        return x->repo < y->repo ? -1 : 1;
    return (x->pos > y->pos) - (x->pos < y->pos);
}

/*
 * Classify one repository's packages: rp[0..k) are its pool positions in
 * version order. Legacy needs a different, higher package of the same flavor
 * earlier in the same section of this repo, and not being the top of its own
 * branch in this repo while that branch's global best is higher.
 */
static void classify_repo(pf_cpkg *pkgs, const cls_scratch *sc, const cls_section *secs,
                          size_t nbest, const cls_repopos *rp, size_t k, bool unique)
{
    size_t nsec = 0, nbr = 0;
    int prev_section = -1;
    for (size_t r = 0; r < k; r++) {
        size_t pi = sc->pool[rp[r].pos];
        pf_cpkg *p = &pkgs[pi];
        int s = sc->sec[rp[r].pos];
        if (s != prev_section) {
            nsec = 0; /* first-in-section is per section; first-in-branch is not */
            prev_section = s;
        }
        bool alt = (p->flags & PF_F_ALTVER) != 0;
        int c = section_cmp_best(pkgs, &secs[s], pi, alt);
        if (c > 0) {
            p->status = above_best_status(p->flags);
        } else {
            const char *flavor = p->flavor ? p->flavor : "";
            size_t fs = map_get(sc->firstsec, nsec, NULL, flavor);
            size_t fb = map_get(sc->firstbr, nbr, p->branch, flavor);
            if (c == 0) {
                p->status = unique ? PF_S_UNIQUE : secs[s].newest_status;
            } else {
                bool non_first = fs != CLS_NONE && pkg_cmp(&pkgs[fs], p) != 0;
                size_t bb = map_get(sc->bestbr, nbest, p->branch, NULL);
                bool branch_top_lagging = (fb == CLS_NONE || pkg_cmp(&pkgs[fb], p) == 0) &&
                                          bb != CLS_NONE && pkg_cmp(&pkgs[bb], p) > 0;
                bool legacy = (non_first && !branch_top_lagging && !(p->flags & PF_F_NOLEGACY)) ||
                              (p->flags & PF_F_LEGACY);
                p->status = legacy ? PF_S_LEGACY : PF_S_OUTDATED;
            }
            if (fs == CLS_NONE)
                sc->firstsec[nsec++] = (cls_entry){NULL, flavor, pi};
            if (fb == CLS_NONE)
                sc->firstbr[nbr++] = (cls_entry){p->branch, flavor, pi};
        }
        if ((p->flags & PF_F_OUTDATED) &&
            (p->status == PF_S_UNIQUE || p->status == PF_S_NEWEST || p->status == PF_S_DEVEL))
            p->status = PF_S_OUTDATED;
    }
}

/* Classify one pool (sc->pool[0..m), version order) on its own. */
static void classify_pool(pf_cpkg *pkgs, const cls_scratch *sc, size_t m, bool unique,
                          bool suppress)
{
    size_t ng = make_groups(pkgs, sc->pool, m, suppress, sc->groups);
    cls_section secs[SEC_COUNT] = {
        {CLS_NONE, CLS_NONE, CLS_NONE, PF_S_DEVEL},
        {CLS_NONE, CLS_NONE, CLS_NONE, PF_S_NEWEST},
    };

    /* Pass 1: section bests from non-ignored groups; the devel section only
     * takes devel groups from the top, the first other one starts stable. */
    size_t nbest = 0;
    int cur = SEC_DEVEL;
    for (size_t g = 0; g < ng; g++) {
        const cls_group *gr = &sc->groups[g];
        if (gr->ignored)
            continue;
        size_t lead = sc->pool[gr->begin];
        if (!gr->devel) {
            for (size_t i = gr->begin; i < gr->end; i++) {
                const char *br = pkgs[sc->pool[i]].branch;
                if (map_get(sc->bestbr, nbest, br, NULL) == CLS_NONE)
                    sc->bestbr[nbest++] = (cls_entry){br, NULL, lead};
            }
            cur = SEC_STABLE;
        }
        section_add(&secs[cur], lead, (gr->all_flags & PF_F_ALTVER) != 0);
    }

    /* Pass 2: every group (ignored ones too) stays in devel while it lies in
     * the devel range, is devel itself, or lies above the devel best. */
    cur = SEC_DEVEL;
    for (size_t g = 0; g < ng; g++) {
        const cls_group *gr = &sc->groups[g];
        size_t lead = sc->pool[gr->begin];
        bool alt = (gr->all_flags & PF_F_ALTVER) != 0;
        if (cur == SEC_DEVEL && !(section_contains(pkgs, &secs[cur], lead, alt) || gr->devel ||
                                  section_below(pkgs, &secs[cur], lead, alt)))
            cur = SEC_STABLE;
        for (size_t i = gr->begin; i < gr->end; i++)
            sc->sec[i] = (unsigned char)cur;
    }

    /* Pass 3: per repository, in version order. */
    for (size_t i = 0; i < m; i++)
        sc->byrepo[i] = (cls_repopos){pkgs[sc->pool[i]].repo, i};
    qsort(sc->byrepo, m, sizeof *sc->byrepo, repopos_cmp);
    for (size_t b = 0; b < m;) {
        size_t e = b + 1;
        while (e < m && sc->byrepo[e].repo == sc->byrepo[b].repo)
            e++;
        classify_repo(pkgs, sc, secs, nbest, &sc->byrepo[b], e - b, unique);
        b = e;
    }
}

/* A package that keeps its project's ignore flags (see classify.h). */
int pf_classify_keeps_ignores(unsigned flags)
{
    return !(flags & PF_F_ANY_IGNORE) || (flags & PF_F_NOSCHEME);
}

/* Public form of should_suppress_ignore over all of a project's packages in
 * any order (rolling ones left out, as the classifier leaves them out). */
int pf_classify_ignores_disregarded(const pf_cpkg *pkgs, size_t n)
{
    size_t stackidx[64] = {0}, *idx = stackidx, m = 0;
    if (n > sizeof stackidx / sizeof stackidx[0] && !(idx = malloc(n * sizeof *idx)))
        return 0; /* out of memory: say "not disregarded", the cautious answer */
    for (size_t i = 0; i < n; i++)
        if (!(pkgs[i].flags & PF_F_ROLLING))
            idx[m++] = i;
    bool r = should_suppress_ignore(pkgs, idx, m);
    if (idx != stackidx)
        free(idx);
    return r;
}

/* Carve the scratch arrays for n packages out of block (CLS_PER_PKG * n bytes). */
static void scratch_init(cls_scratch *sc, void *block, size_t n)
{
    size_t *z = block;
    sc->order = z;
    sc->tmp = z + n;
    sc->pool = z + 2 * n;
    sc->byrepo = (cls_repopos *)(z + 3 * n);
    sc->bestbr = (cls_entry *)(sc->byrepo + n);
    sc->firstsec = sc->bestbr + n;
    sc->firstbr = sc->firstsec + n;
    sc->groups = (cls_group *)(sc->firstbr + n);
    sc->sec = (unsigned char *)(sc->groups + n);
}

/* Classify the n packages of one project in place (sets .status). Returns 0, -1 on OOM. */
int pf_classify_project(pf_cpkg *pkgs, size_t n)
{
    if (n == 0)
        return 0;
    _Alignas(max_align_t) unsigned char stackbuf[CLS_STACK_PKGS * CLS_PER_PKG];
    void *block = stackbuf;
    if (n > CLS_STACK_PKGS) {
        if (n > (size_t)-1 / CLS_PER_PKG)
            return -1;
        block = malloc(n * CLS_PER_PKG);
        if (block == NULL)
            return -1;
    }
    cls_scratch sc;
    scratch_init(&sc, block, n);

    bool unique = project_is_unique(pkgs, n);

    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (pkgs[i].flags & PF_F_ROLLING)
            pkgs[i].status = PF_S_ROLLING;
        else
            sc.order[m++] = i;
    }
    sort_desc(pkgs, sc.order, sc.tmp, m);
    bool suppress = should_suppress_ignore(pkgs, sc.order, m);

    /* ALTSCHEME pool, then the normal pool; each keeps the sorted order. */
    for (int altscheme = 1; altscheme >= 0; altscheme--) {
        size_t pm = 0;
        for (size_t i = 0; i < m; i++)
            if (((pkgs[sc.order[i]].flags & PF_F_ALTSCHEME) != 0) == (altscheme != 0))
                sc.pool[pm++] = sc.order[i];
        if (pm > 0)
            classify_pool(pkgs, &sc, pm, unique, suppress);
    }

    if (block != stackbuf)
        free(block);
    return 0;
}
