/*
 * compare.c — repository comparison (see compare.h).
 *
 * Reads both repositories' packages (already analyzed: project, normalized
 * version, flags, status), keeps each project's best package per side, then
 * merges the two sorted lists.
 *
 * Trust, as Repology's classifier sees a package's version: a package at
 * the project's best version (newest, devel, unique) is trusted (its version
 * group holds an unflagged package, or the project's ignore flags were
 * disregarded); one below it (outdated, legacy) is trusted when it carries
 * no ignore flag, or when the classifier disregarded the project's ignore
 * flags (then every package has one); above the best (ignored, incorrect,
 * untrusted, noscheme) and rolling ones never are.
 *
 * Whether the ignore flags were disregarded is a fact about all of the
 * project's packages (Repology: all non-rolling ones from one family, each
 * with an ignore flag and none noscheme, or at most one such package). The
 * two sides' own packages mostly settle it: two non-rolling packages, one of
 * which has no ignore flag or is noscheme, or that come from two families
 * (two repositories of different families), mean the flags were kept. Only
 * the projects left open (both sides of one family, every package of theirs
 * ignored) are asked of the store, one project at a time, and its read stops
 * at the first package that settles it.
 */
#include "pkgfresh/compare.h"

#include "pkgfresh/classify.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkgfresh/grow.h"
#include "pkgfresh/pool.h"
#include "pkgfresh/record.h"
#include "pkgfresh/version.h"

static const char *const kind_names[PF_CMP_NKINDS] = {"newer-a",      "newer-b", "same",
                                                      "uncomparable", "only-a",  "only-b"};

/* Name of a comparison kind. */
const char *pf_cmp_kind_name(int kind)
{
    return kind >= 0 && kind < PF_CMP_NKINDS ? kind_names[kind] : "?";
}

/* Kind from its name, -1 when unknown. */
int pf_cmp_kind_parse(const char *name)
{
    for (int k = 0; k < PF_CMP_NKINDS; k++)
        if (strcmp(kind_names[k], name) == 0)
            return k;
    return -1;
}

/* One package of a side, then (after reduce) the best package of one project. */
typedef struct best {
    uint64_t key; /* the project's first 8 bytes, big-endian, NUL-padded: orders like strcmp */
    const char *project, *version, *raw;
    size_t seq;      /* read order (rowid order): ties keep the first package */
    unsigned vflags; /* PF_V_* for comparison */
    int trust;       /* TRUST_*: the best package is the most trusted one */
    double lag;      /* days behind of that package, -1 unknown */
    size_t nonroll;  /* the side's non-rolling packages of the project */
    int veto;        /* one of them has no ignore flag or is noscheme */
} best;

typedef struct side {
    pf_pool *pool;
    best *v;
    size_t n, cap;
    const char *family; /* the repository's family (pool copy), NULL before the first row */
    int oom;
} side;

/* How far a package's version is trusted for comparison (see the top). */
enum {
    TRUST_NO = 0,           /* ignored, incorrect, untrusted, noscheme, rolling, unprocessed */
    TRUST_IF_DISREGARD = 1, /* below the best with an ignore flag: only if the classifier
                              disregarded the project's ignore flags */
    TRUST_YES = 2,
};

/* Trust of a package from its status and flags. */
static int trust_of(int status, unsigned flags)
{
    switch (status) {
    case PF_S_NEWEST:
    case PF_S_DEVEL:
    case PF_S_UNIQUE:
        return TRUST_YES;
    case PF_S_OUTDATED:
    case PF_S_LEGACY:
        return flags & PF_F_ANY_IGNORE ? TRUST_IF_DISREGARD : TRUST_YES;
    default:
        return TRUST_NO;
    }
}

/* Libversion flags a package's flags imply. */
static unsigned vflags_of(unsigned flags)
{
    return (flags & PF_F_P_IS_PATCH ? PF_V_P_IS_PATCH : 0) |
           (flags & PF_F_ANY_IS_PATCH ? PF_V_ANY_IS_PATCH : 0);
}

/* Sort key of a name: its first 8 bytes as a big-endian number (NUL-padded). */
static uint64_t name_key(const char *s)
{
    uint64_t k = 0;
    int i = 0;
    for (; i < 8 && s[i]; i++)
        k = k << 8 | (unsigned char)s[i];
    return k << (8 * (8 - i));
}

/* strcmp order of two names, through their keys first. */
static int cmp_names(const best *a, const best *b)
{
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    /* Equal keys: names shorter than 8 bytes are then equal (the NUL is in the key). */
    return (a->key & 0xff) == 0 ? 0 : strcmp(a->project + 8, b->project + 8);
}

/* Store callback: keep one analyzed package (strings copied into the pool). */
static int collect(void *ctx, const pf_pkg_view *row)
{
    side *s = ctx;
    if (!row->project || !row->version)
        return 0; /* never analyzed */
    best *nv = pf_grow_items(s->v, &s->cap, s->n, sizeof *nv, 4096);
    if (!nv) {
        s->oom = 1;
        return 1;
    }
    s->v = nv;
    if (!s->family) {
        const char *fam = row->family ? row->family : "";
        if (!(s->family = pf_pool_copy(s->pool, fam, strlen(fam)))) {
            s->oom = 1;
            return 1;
        }
    }
    const char *raw = row->raw_version ? row->raw_version : "";
    int nonroll = !(row->flags & PF_F_ROLLING);
    best b = {name_key(row->project),
              pf_pool_copy(s->pool, row->project, strlen(row->project)),
              pf_pool_copy(s->pool, row->version, strlen(row->version)),
              pf_pool_copy(s->pool, raw, strlen(raw)),
              s->n,
              vflags_of(row->flags),
              trust_of(row->status, row->flags),
              row->lag_days,
              (size_t)nonroll,
              nonroll && pf_classify_keeps_ignores(row->flags)};
    if (!b.project || !b.version || !b.raw) {
        s->oom = 1;
        return 1;
    }
    s->v[s->n++] = b;
    return 0;
}

/* Sort packages by project name, then read order. */
static int cmp_best(const void *x, const void *y)
{
    const best *a = x, *b = y;
    int c = cmp_names(a, b);
    return c ? c : (a->seq > b->seq) - (a->seq < b->seq);
}

/*
 * Gather one side's best package per project: read, sort by project, keep per
 * project the package with the highest version among the most trusted ones;
 * on equal versions the first read. Its nonroll and veto then sum up all the
 * side's packages of the project.
 */
static int gather(pf_store *st, const char *repo, side *s)
{
    if (pf_store_each_repo_analyzed(st, repo, collect, s) != 0 || s->oom)
        return -1;
    if (s->n == 0)
        return 0;
    qsort(s->v, s->n, sizeof *s->v, cmp_best);
    size_t out = 0;
    for (size_t i = 0; i < s->n; i++) {
        const best *b = &s->v[i];
        best *cur = out ? &s->v[out - 1] : NULL;
        if (!cur || cmp_names(cur, b) != 0) {
            s->v[out++] = *b;
            continue;
        }
        size_t nonroll = cur->nonroll + b->nonroll;
        int veto = cur->veto || b->veto;
        if (b->trust > cur->trust ||
            (cur->trust == b->trust &&
             pf_vercmp4(b->version, cur->version, b->vflags, cur->vflags) > 0))
            *cur = *b;
        cur->nonroll = nonroll;
        cur->veto = veto;
    }
    s->n = out;
    return 0;
}

/* Every package of one project, as the classifier's input (see below). */
typedef struct project_pkgs {
    pf_pool *pool;
    pf_cpkg *v;
    size_t n, cap;
    const char *family0; /* the first non-rolling package's family (pool copy) */
    size_t nonroll;      /* non-rolling packages read */
    int veto;            /* one has no ignore flag, is noscheme, or has another family */
    int kept;            /* settled: the flags were kept (the read stopped) */
    int oom;
} project_pkgs;

/* Store callback: one package of the project; family 0 = the first
 * non-rolling package's family, 1 = any other (all the disregard test asks
 * of the non-rolling ones). Stops the read once two non-rolling packages and
 * a veto among them settle that the flags were kept. */
static int collect_project(void *ctx, const pf_pkg_view *row)
{
    project_pkgs *p = ctx;
    pf_cpkg *nv = pf_grow_items(p->v, &p->cap, p->n, sizeof *nv, 16);
    if (!nv) {
        p->oom = 1;
        return 1;
    }
    p->v = nv;
    const char *fam = row->family ? row->family : "";
    int rolling = (row->flags & PF_F_ROLLING) != 0;
    if (!p->family0 && !rolling && !(p->family0 = pf_pool_copy(p->pool, fam, strlen(fam)))) {
        p->oom = 1;
        return 1;
    }
    const char *ver = row->version ? pf_pool_copy(p->pool, row->version, strlen(row->version)) : "";
    if (!ver) {
        p->oom = 1;
        return 1;
    }
    p->v[p->n++] = (pf_cpkg){.version = ver,
                             .flags = row->flags,
                             .family = !rolling && strcmp(fam, p->family0) != 0,
                             .flavor = "",
                             .status = row->status};
    if (!rolling) {
        p->nonroll++;
        if (pf_classify_keeps_ignores(row->flags) || strcmp(fam, p->family0) != 0)
            p->veto = 1;
    }
    p->kept = p->nonroll >= 2 && p->veto;
    return p->kept;
}

/* Whether the classifier disregarded the ignore flags of project's packages
 * (all repositories): 1 yes, 0 no, -1 on a store error or out of memory. */
static int ignores_disregarded(pf_store *st, pf_pool *pool, const char *project)
{
    project_pkgs p = {.pool = pool};
    int rc = pf_store_each_project_flags(st, project, collect_project, &p);
    int r = p.kept ? 0 : rc != 0 || p.oom ? -1 : pf_classify_ignores_disregarded(p.v, p.n);
    free(p.v);
    return r;
}

/* Whether the two sides' own packages of a project (see the top) show that
 * the classifier kept its ignore flags: two non-rolling packages or more, and
 * one with no ignore flag or noscheme, or two families. 0 when the store must
 * be asked. same: A and B are one repository (their packages counted once). */
static int ignores_kept(const side *sa, const best *a, const side *sb, const best *b, int same)
{
    if (a->nonroll + (same ? 0 : b->nonroll) < 2)
        return 0;
    if (a->veto || (!same && b->veto))
        return 1;
    return !same && a->nonroll && b->nonroll && strcmp(sa->family, sb->family) != 0;
}

/* Kind of a project both sides have: by the best trusted versions, or
 * uncomparable when a side has none. -1 on error. */
static int judge(pf_store *st, pf_pool *pool, const side *sa, const best *a, const side *sb,
                 const best *b, int same)
{
    if (a->trust == TRUST_NO || b->trust == TRUST_NO)
        return PF_CMP_UNCOMPARABLE;
    if (a->trust == TRUST_IF_DISREGARD || b->trust == TRUST_IF_DISREGARD) {
        if (ignores_kept(sa, a, sb, b, same))
            return PF_CMP_UNCOMPARABLE;
        int d = ignores_disregarded(st, pool, a->project);
        if (d <= 0)
            return d < 0 ? -1 : PF_CMP_UNCOMPARABLE;
    }
    int v = pf_vercmp4(a->version, b->version, a->vflags, b->vflags);
    return v > 0 ? PF_CMP_NEWER_A : v < 0 ? PF_CMP_NEWER_B : PF_CMP_SAME;
}

/* Compare two repositories. */
int pf_compare_repos(pf_store *st, const char *a, const char *b, pf_comparison *out, char *err,
                     size_t errlen)
{
    memset(out, 0, sizeof *out);
    pf_pool *pool = pf_pool_new();
    side sa = {.pool = pool}, sb = {.pool = pool};
    if (!pool || gather(st, a, &sa) != 0 || gather(st, b, &sb) != 0) {
        snprintf(err, errlen, "%s",
                 pool && !sa.oom && !sb.oom ? pf_store_errmsg(st) : "out of memory");
        free(sa.v);
        free(sb.v);
        pf_pool_free(pool);
        return -1;
    }
    out->items = calloc(sa.n + sb.n + 1, sizeof *out->items);
    if (!out->items) {
        snprintf(err, errlen, "out of memory");
        free(sa.v);
        free(sb.v);
        pf_pool_free(pool);
        return -1;
    }
    int same = strcmp(a, b) == 0; /* one repository: its packages count once */
    size_t i = 0, j = 0;
    while (i < sa.n || j < sb.n) {
        pf_cmp_item *it = &out->items[out->nitems++];
        int c = i >= sa.n ? 1 : j >= sb.n ? -1 : cmp_names(&sa.v[i], &sb.v[j]);
        if (c < 0) {
            *it = (pf_cmp_item){sa.v[i].project, sa.v[i].version, NULL, sa.v[i].raw, NULL, -1,
                                PF_CMP_ONLY_A};
            i++;
        } else if (c > 0) {
            *it = (pf_cmp_item){sb.v[j].project, NULL, sb.v[j].version, NULL,
                                sb.v[j].raw,     -1,   PF_CMP_ONLY_B};
            j++;
        } else {
            int k = judge(st, pool, &sa, &sa.v[i], &sb, &sb.v[j], same);
            if (k < 0) {
                snprintf(err, errlen, "%s", pf_store_errmsg(st));
                free(sa.v);
                free(sb.v);
                out->pool = pool;
                pf_comparison_free(out);
                return -1;
            }
            *it = (pf_cmp_item){sa.v[i].project,
                                sa.v[i].version,
                                sb.v[j].version,
                                sa.v[i].raw,
                                sb.v[j].raw,
                                k == PF_CMP_NEWER_A   ? sb.v[j].lag
                                : k == PF_CMP_NEWER_B ? sa.v[i].lag
                                                      : -1,
                                k};
            i++;
            j++;
        }
        out->count[it->kind]++;
    }
    free(sa.v);
    free(sb.v);
    out->pool = pool;
    return 0;
}

/* Free a comparison's items and strings. */
void pf_comparison_free(pf_comparison *c)
{
    free(c->items);
    pf_pool_free(c->pool);
    memset(c, 0, sizeof *c);
}
