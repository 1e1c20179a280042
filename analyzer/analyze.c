/*
 * analyze.c — the analysis pass (see analyze.h).
 *
 * 1. Read every stored package once, in rowid order; name its project (the
 *    seed name, then the rules), normalize its version per the repository's
 *    scheme; names and versions are interned in a pool, so a package costs
 *    a few integers. Its (project, version, repository) goes into the
 *    history set (history.c).
 * 2. Sort packages by project and classify each project across
 *    repositories (classify.c).
 * 3. Staleness: for each outdated package, the versions between its own and
 *    the best one, taken from the version history (version_seen) plus what
 *    is present now; days behind = now - first sighting anywhere of the next
 *    newer version, known only when that sighting is later than the start of
 *    the history (a version present at the first analysis has no known age).
 *    The stored history streams past the history set once: it feeds the
 *    staleness candidates and marks which stored rows are still present.
 * 4. Aggregate Repology's per-repository counts (stats below) and write, in
 *    one transaction: the package rows whose results changed, the history
 *    rows that appeared, came back, became trusted or disappeared, and one
 *    repo_stats row per repository. Week to week most rows are unchanged
 *    and cost nothing.
 */
#include "pkgfresh/analyze.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pkgfresh/classify.h"
#include "pkgfresh/grow.h"
#include "pkgfresh/normalize.h"
#include "pkgfresh/pool.h"
#include "pkgfresh/record.h"
#include "pkgfresh/version.h"

#include "history.h"

/* One package during analysis. */
typedef struct apkg {
    int64_t id;
    uint32_t project; /* pool id */
    uint32_t version; /* pool id of the normalized version */
    uint32_t repo;    /* index into the repo table */
    int old_same_pv;  /* the previous analysis gave the same project and version */
    unsigned old_flags;
    int old_status;
    uint32_t old_best; /* previous staleness: pool id of the best version, 0 none */
    long old_newer;
    int64_t old_behind;
    uint32_t flavor; /* pool id of the flavor ("" = none) */
    uint32_t branch; /* pool id of the branch, 0 = none */
    unsigned flags;
    int status;
    uint32_t best;  /* outdated: pool id of the best version it lacks, else 0 */
    long newer;     /* outdated: distinct newer versions, -1 otherwise */
    int64_t behind; /* outdated: first sighting of the next newer version, 0 unknown */
} apkg;

/* One (project, version) of the history. */
typedef struct aseen {
    uint32_t project, version;
    int64_t first_seen;
} aseen;

/* A repository seen in the database. */
typedef struct arepo {
    uint32_t name;   /* pool id of the repository id */
    uint32_t family; /* pool id of the family */
    pf_vscheme scheme;
    const pf_repo *cat; /* catalog entry, NULL for repositories no longer in it */
} arepo;

/* The smallest known days behind of one (repository, project) pair. */
typedef struct alag {
    double days;
    uint32_t repo;
} alag;

/* (repository, maintainer) pair, for counting distinct maintainers. */
typedef struct amaint {
    uint32_t repo, maint;
} amaint;

typedef struct actx {
    const pf_catalog *cat;
    const pf_rules *rules;
    long removed;
    pf_pool *pool;
    apkg *pkgs;
    size_t n, cap;
    arepo *repos;
    size_t nrepos;
    amaint *maints;
    size_t nmaints, capmaints;
    aseen *seen; /* trusted history, sorted by project id */
    size_t nseen, capseen;
    aseen group;       /* the (project, version) whose stored rows are being read */
    int group_trusted; /* one of them was trusted */
    ah_set hist;       /* current (project, version, repository) triples vs the stored history */
    int64_t now, hist_start; /* hist_start 0: no history before this run */
    int64_t *removed_ids;    /* packages a remove rule dropped: stored without a project */
    size_t n_removed_ids, cap_removed_ids;
    alag *lags; /* known lags of (repository, project) pairs */
    size_t nlags, caplags;
    int oom;
} actx;

/* Index of the repository named id, adding it (family from the catalog, else its own id). */
static uint32_t repo_index(actx *a, const char *id)
{
    uint32_t name = pf_pool_intern(a->pool, id, strlen(id));
    for (size_t i = a->nrepos; i-- > 0;)
        if (a->repos[i].name == name)
            return (uint32_t)i;
    arepo *nr = realloc(a->repos, (a->nrepos + 1) * sizeof *nr);
    if (!nr) {
        a->oom = 1;
        return 0;
    }
    a->repos = nr;
    const pf_repo *r = pf_catalog_find(a->cat, id);
    const char *fam = r && strcmp(r->id, id) == 0 ? r->family : id;
    a->repos[a->nrepos].name = name;
    a->repos[a->nrepos].family = pf_pool_intern(a->pool, fam, strlen(fam));
    a->repos[a->nrepos].scheme =
        r && strcmp(r->id, id) == 0 ? pf_vscheme_for_format(r->format) : PF_VS_PLAIN;
    a->repos[a->nrepos].cat = r && strcmp(r->id, id) == 0 ? r : NULL;
    return (uint32_t)a->nrepos++;
}

/*
 * Project seed of a package, before any rule: the source name lower-cased
 * (Repology's 000.prenormalize does the same), with the family-specific seed
 * rules of repology-model.md §4: Homebrew "python@3.12" seeds "python";
 * FreeBSD and OpenBSD seed from the package name stem (the parser puts it
 * first in binnames), not from the category/port path; nixpkgs from pname
 * (in binnames), not from the attribute path that is its srcname; Gentoo
 * from the package name of "category/name".
 */
static size_t project_seed(const pf_pkg_row *row, pf_vscheme scheme, char *out, size_t outlen)
{
    size_t i = 0;
    const char *name = row->srcname;
    if ((scheme == PF_VS_FREEBSD || scheme == PF_VS_NIX || scheme == PF_VS_OPENBSD) &&
        row->binnames && *row->binnames)
        name = row->binnames;
    if (scheme == PF_VS_GENTOO && strchr(name, '/'))
        name = strchr(name, '/') + 1;
    for (const char *s = name; *s && *s != ' ' && i + 1 < outlen; s++) {
        if (scheme == PF_VS_HOMEBREW && *s == '@')
            break;
        out[i++] = (char)tolower((unsigned char)*s);
    }
    out[i] = 0;
    return i;
}

/* Remember each maintainer address of a package for the distinct count. */
static void add_maintainers(actx *a, uint32_t repo, const char *list)
{
    while (list && *list) {
        const char *end = strchr(list, ',');
        size_t len = end ? (size_t)(end - list) : strlen(list);
        while (len && *list == ' ')
            list++, len--;
        if (len) {
            amaint *nm = pf_grow_items(a->maints, &a->capmaints, a->nmaints, sizeof *nm, 4096);
            if (!nm) {
                a->oom = 1;
                return;
            }
            a->maints = nm;
            a->maints[a->nmaints].repo = repo;
            a->maints[a->nmaints].maint = pf_pool_intern(a->pool, list, len);
            a->nmaints++;
        }
        list = end ? end + 1 : NULL;
    }
}

/* Remember a removed package so its stale analysis columns are cleared. */
static int remember_removed(actx *a, int64_t id)
{
    int64_t *n =
        pf_grow_items(a->removed_ids, &a->cap_removed_ids, a->n_removed_ids, sizeof *n, 1024);
    if (!n)
        return a->oom = 1;
    a->removed_ids = n;
    a->removed_ids[a->n_removed_ids++] = id;
    return 0;
}

/* Store callback: one package row into the analysis arrays. */
static int load_row(void *ctx, const pf_pkg_row *row)
{
    actx *a = ctx;
    apkg *np = pf_grow_items(a->pkgs, &a->cap, a->n, sizeof *np, 65536);
    if (!np)
        return a->oom = 1;
    a->pkgs = np;
    uint32_t repo = repo_index(a, row->repo_id);
    const arepo *ar = &a->repos[repo];
    pf_rpkg rp;
    project_seed(row, ar->scheme, rp.name, sizeof rp.name);
    rp.flags = row->pflags;
    pf_normalize_version(ar->scheme, row->raw_version, rp.version, sizeof rp.version, &rp.flags);
    rp.flavor[0] = rp.branch[0] = 0;
    rp.removed = 0;
    if (a->rules) {
        rp.repo = row->repo_id;
        rp.family = pf_pool_str(a->pool, ar->family);
        rp.rulesets = ar->cat ? (const char *const *)ar->cat->rulesets : NULL;
        rp.nrulesets = ar->cat ? ar->cat->nrulesets : 0;
        rp.srcname = row->srcname;
        rp.binnames = row->binnames;
        rp.category = row->category;
        rp.homepage = row->homepage;
        rp.maintainers = row->maintainers;
        rp.summary = row->summary;
        if (pf_rules_apply(a->rules, &rp) != 0) {
            a->oom = 1;
            return 1;
        }
        if (rp.removed || (rp.flags & PF_F_REMOVE)) {
            a->removed++;
            int stored = !row->project && !row->version && row->flags == PF_F_REMOVE &&
                         row->status == PF_S_NONE && !row->best && row->newer < 0 &&
                         !row->behind_since;
            return stored ? 0 : remember_removed(a, row->id);
        }
    }
    apkg *p = &a->pkgs[a->n++];
    p->id = row->id;
    p->repo = repo;
    p->project = pf_pool_intern(a->pool, rp.name, strlen(rp.name));
    p->version = pf_pool_intern(a->pool, rp.version, strlen(rp.version));
    p->flavor = pf_pool_intern(a->pool, rp.flavor, strlen(rp.flavor));
    p->branch = rp.branch[0] ? pf_pool_intern(a->pool, rp.branch, strlen(rp.branch)) : 0;
    p->flags = rp.flags;
    p->old_same_pv = row->project && row->version && strcmp(row->project, rp.name) == 0 &&
                     strcmp(row->version, rp.version) == 0;
    p->old_flags = row->flags;
    p->old_status = row->status;
    p->old_best = row->best ? pf_pool_intern(a->pool, row->best, strlen(row->best)) : 0;
    p->old_newer = row->newer;
    p->old_behind = row->behind_since;
    p->status = PF_S_NONE;
    p->best = 0;
    p->newer = -1;
    p->behind = 0;
    add_maintainers(a, repo, row->maintainers);
    if (!p->project || !p->version || !p->flavor || (rp.branch[0] && !p->branch) ||
        (row->best && !p->old_best) || ah_add(&a->hist, p->project, p->version, ar->name) != 0)
        a->oom = 1;
    return a->oom;
}

/* Order packages by project id, then repository (deterministic groups). */
static int cmp_project(const void *x, const void *y)
{
    const apkg *a = x, *b = y;
    if (a->project != b->project)
        return a->project < b->project ? -1 : 1;
    if (a->repo != b->repo)
        return a->repo < b->repo ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

/* A package row to rewrite: its id and its index in the analysis array. */
typedef struct achg {
    int64_t id;
    size_t at;
} achg;

/* Order rewrites by row id: the writes then walk the table's B-tree in order. */
static int cmp_chg(const void *x, const void *y)
{
    const achg *a = x, *b = y;
    return a->id < b->id ? -1 : a->id > b->id;
}

/* Order maintainer pairs for counting distinct ones per repository. */
static int cmp_maint(const void *x, const void *y)
{
    const amaint *a = x, *b = y;
    if (a->repo != b->repo)
        return a->repo < b->repo ? -1 : 1;
    return a->maint < b->maint ? -1 : a->maint > b->maint;
}

/* Close the (project, version) group being read: keep it in the staleness
 * history when one of its rows was trusted. */
static int seen_group_end(actx *a)
{
    if (!a->group.project || !a->group_trusted)
        return 0;
    aseen *ns = pf_grow_items(a->seen, &a->capseen, a->nseen, sizeof *ns, 65536);
    if (!ns)
        return a->oom = 1;
    a->seen = ns;
    a->seen[a->nseen++] = a->group;
    return 0;
}

/*
 * Store callback: one stored history row (they come ordered by project and
 * version). Two uses: rows of projects that exist now form the staleness
 * history — per (project, version) the first sighting in any repository,
 * kept when it was ever trusted; and every row is matched against the
 * snapshot's triples for the history diff.
 */
static int load_seen(void *ctx, const pf_seen_row *row)
{
    actx *a = ctx;
    uint32_t proj = pf_pool_find(a->pool, row->project, strlen(row->project));
    uint32_t ver = 0;
    if (proj) {
        ver = pf_pool_intern(a->pool, row->version, strlen(row->version));
        if (!ver)
            return a->oom = 1;
    }
    if (proj != a->group.project || ver != a->group.version) {
        if (seen_group_end(a) != 0)
            return 1;
        a->group = (aseen){proj, ver, row->first_seen};
        a->group_trusted = 0;
    }
    if (row->first_seen < a->group.first_seen)
        a->group.first_seen = row->first_seen;
    a->group_trusted |= row->trusted != 0;
    uint32_t repo = pf_pool_find(a->pool, row->repo_id, strlen(row->repo_id));
    if (ah_old(&a->hist, proj, ver, repo, row->rowid, row->last_seen == 0, row->trusted) != 0)
        return a->oom = 1;
    return 0;
}

/* Order history rows by project id (versions need no order). */
static int cmp_seen(const void *x, const void *y)
{
    const aseen *a = x, *b = y;
    return a->project < b->project ? -1 : a->project > b->project;
}

/* Statuses whose version is trusted for history and staleness. */
static int status_trusted(int s)
{
    return s == PF_S_NEWEST || s == PF_S_OUTDATED || s == PF_S_UNIQUE || s == PF_S_DEVEL ||
           s == PF_S_LEGACY;
}

/* Libversion flags of a package. */
static unsigned vflags(unsigned flags)
{
    return (flags & PF_F_P_IS_PATCH ? PF_V_P_IS_PATCH : 0) |
           (flags & PF_F_ANY_IS_PATCH ? PF_V_ANY_IS_PATCH : 0);
}

/*
 * Staleness of the outdated packages of one project. Candidates are the
 * trusted history versions of the project (hist[0..nhist)) and the trusted
 * versions present now (first seen now when not in the history yet).
 */
static void project_staleness(actx *a, apkg *pkgs, size_t n, const aseen *hist, size_t nhist)
{
    const apkg *best = NULL;
    static const int order[] = {PF_S_NEWEST, PF_S_UNIQUE, PF_S_DEVEL};
    for (int pass = 0; pass < 3 && !best; pass++)
        for (size_t i = 0; i < n; i++)
            if (pkgs[i].status == order[pass] &&
                (!best || pf_vercmp4(pf_pool_str(a->pool, pkgs[i].version),
                                     pf_pool_str(a->pool, best->version), vflags(pkgs[i].flags),
                                     vflags(best->flags)) > 0))
                best = &pkgs[i];
    if (!best)
        return;
    const char *bv = pf_pool_str(a->pool, best->version);
    for (size_t i = 0; i < n; i++) {
        apkg *p = &pkgs[i];
        if (p->status != PF_S_OUTDATED)
            continue;
        const char *pv = pf_pool_str(a->pool, p->version);
        unsigned pf = vflags(p->flags);
        /* distinct candidate versions in (pv, best]; the lowest is the next one */
        long count = 0;
        uint32_t next = 0;
        int64_t next_first = 0;
        for (size_t k = 0; k < nhist + n; k++) {
            uint32_t v;
            int64_t first;
            if (k < nhist) {
                v = hist[k].version;
                first = hist[k].first_seen;
            } else {
                const apkg *q = &pkgs[k - nhist];
                if (!status_trusted(q->status))
                    continue;
                v = q->version;
                first = a->now;
                int known = 0; /* already counted through the history or earlier */
                for (size_t h = 0; h < nhist && !known; h++)
                    known = hist[h].version == v;
                for (size_t e = 0; e < k - nhist && !known; e++)
                    known = pkgs[e].version == v && status_trusted(pkgs[e].status);
                if (known)
                    continue;
            }
            const char *vs = pf_pool_str(a->pool, v);
            if (pf_vercmp4(vs, pv, pf, pf) <= 0 || pf_vercmp4(vs, bv, pf, vflags(best->flags)) > 0)
                continue;
            count++;
            if (!next || pf_vercmp(vs, pf_pool_str(a->pool, next)) < 0 ||
                (v == next && first < next_first)) {
                next = v;
                next_first = first;
            } else if (pf_vercmp(vs, pf_pool_str(a->pool, next)) == 0 && first < next_first) {
                next_first = first;
            }
        }
        p->best = best->version;
        p->newer = count;
        if (next && a->hist_start > 0 && next_first > a->hist_start)
            p->behind = next_first;
    }
}

/* Per (repository, project) facts that the project counts are made of. */
enum {
    RP_NEWEST = 1,      /* a newest or devel package */
    RP_OUTDATED = 2,    /* an outdated package */
    RP_INCORRECT = 4,   /* an incorrect package */
    RP_PROBLEMATIC = 8, /* an ignored, incorrect or untrusted package */
};

/* Classify one project's packages pkgs[0..n) and fold them into stats. */
static int classify_run(actx *a, apkg *pkgs, size_t n, pf_cpkg *scratch, pf_repo_stats *stats,
                        const aseen *hist, size_t nhist)
{
    for (size_t i = 0; i < n; i++) {
        scratch[i].version = pf_pool_str(a->pool, pkgs[i].version);
        scratch[i].flags = pkgs[i].flags;
        scratch[i].repo = (int)pkgs[i].repo;
        scratch[i].family = (int)a->repos[pkgs[i].repo].family;
        scratch[i].flavor = pf_pool_str(a->pool, pkgs[i].flavor);
        scratch[i].branch = pkgs[i].branch ? pf_pool_str(a->pool, pkgs[i].branch) : NULL;
        scratch[i].status = PF_S_NONE;
    }
    if (pf_classify_project(scratch, n) != 0)
        return -1;
    int one_family = 1;
    for (size_t i = 0; i < n; i++) {
        pkgs[i].status = scratch[i].status;
        if (scratch[i].family != scratch[0].family)
            one_family = 0;
    }
    project_staleness(a, pkgs, n, hist, nhist);
    /* As on Repology, a project only shadow repositories have is classified (and
     * its shadow packages count for families and versions elsewhere) but left
     * out of every statistic. */
    int countable = 0;
    for (size_t i = 0; i < n && !countable; i++)
        countable = !(a->repos[pkgs[i].repo].cat && a->repos[pkgs[i].repo].cat->shadow);
    /* pkgs are sorted by repository: fold each repository's packages. */
    for (size_t i = 0; countable && i < n;) {
        uint32_t r = pkgs[i].repo;
        unsigned f = 0;
        double lag = -1; /* the smallest known lag of this repository's outdated packages */
        for (; i < n && pkgs[i].repo == r; i++) {
            int s = pkgs[i].status;
            double l = pkgs[i].behind > 0 ? (double)(a->now - pkgs[i].behind) / 86400.0 : -1;
            if (s == PF_S_OUTDATED && l >= 0 && (lag < 0 || l < lag))
                lag = l;
            stats[r].num_packages++;
            if (s >= 0 && s < 16)
                stats[r].pkg_status[s]++;
            if (s == PF_S_NEWEST || s == PF_S_DEVEL)
                f |= RP_NEWEST;
            if (s == PF_S_OUTDATED)
                f |= RP_OUTDATED;
            if (s == PF_S_INCORRECT)
                f |= RP_INCORRECT;
            if (s == PF_S_IGNORED || s == PF_S_INCORRECT || s == PF_S_UNTRUSTED)
                f |= RP_PROBLEMATIC;
        }
        pf_repo_stats *st = &stats[r];
        st->num_projects++;
        if (one_family)
            st->num_unique++;
        /* Repology's update_repositories.sql: newest = not unique, a newest or
         * devel package and no outdated one */
        int newest = !one_family && (f & RP_NEWEST) && !(f & RP_OUTDATED);
        if (newest)
            st->num_newest++;
        if (f & RP_OUTDATED)
            st->num_outdated++;
        if (newest || (f & RP_OUTDATED) || (f & RP_INCORRECT))
            st->num_comparable++;
        if (f & RP_PROBLEMATIC)
            st->num_problematic++;
        if ((f & RP_OUTDATED) && lag >= 0) {
            alag *nl = pf_grow_items(a->lags, &a->caplags, a->nlags, sizeof *nl, 4096);
            if (!nl)
                return -1;
            a->lags = nl;
            a->lags[a->nlags++] = (alag){lag, r};
        }
    }
    return 0;
}

/* Sort doubles ascending. */
static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return a < b ? -1 : a > b;
}

/* Median and 90th percentile (nearest rank) of each repository's known lags. */
static int lag_percentiles(actx *a, pf_repo_stats *stats)
{
    double *buf = malloc((a->nlags + 1) * sizeof *buf);
    if (!buf)
        return -1;
    for (size_t r = 0; r < a->nrepos; r++) {
        size_t n = 0;
        for (size_t i = 0; i < a->nlags; i++)
            if (a->lags[i].repo == r)
                buf[n++] = a->lags[i].days;
        stats[r].median_lag_days = stats[r].p90_lag_days = -1;
        if (n == 0)
            continue;
        qsort(buf, n, sizeof *buf, cmp_double);
        stats[r].median_lag_days = n % 2 ? buf[n / 2] : (buf[n / 2 - 1] + buf[n / 2]) / 2;
        size_t rank = (size_t)((9 * n + 9) / 10); /* ceil(0.9 n) */
        stats[r].p90_lag_days = buf[(rank ? rank : 1) - 1];
    }
    free(buf);
    return 0;
}

/* Monotonic seconds. */
static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Free everything the analysis context owns. */
static void actx_free(actx *a)
{
    free(a->pkgs);
    free(a->repos);
    free(a->maints);
    free(a->seen);
    free(a->removed_ids);
    free(a->lags);
    ah_free(&a->hist);
    pf_pool_free(a->pool);
}

/* A new history triple, by its strings: inserts go in the primary key's order. */
typedef struct hnew {
    const char *project, *version, *repo;
    int trusted;
} hnew;

/* Order new triples by project, version, repository name. */
static int cmp_hnew(const void *x, const void *y)
{
    const hnew *a = x, *b = y;
    int c = strcmp(a->project, b->project);
    if (c == 0)
        c = strcmp(a->version, b->version);
    return c ? c : strcmp(a->repo, b->repo);
}

/*
 * Write the history diff: triples seen for the first time are inserted
 * (sorted, so a first analysis fills the index in order), rows that came
 * back or became trusted are updated, rows the snapshot lost get last_seen =
 * the previous analysis (the last one that saw them). Unchanged rows — nearly
 * all of them week to week — cost nothing.
 */
static int write_history(actx *a, pf_analysis_tx *tx, int64_t prev_run)
{
    ah_set *h = &a->hist;
    size_t nnew = 0;
    for (size_t i = 0; i < h->cap; i++)
        nnew += h->ents[i].project && !h->ents[i].rowid;
    hnew *fresh = malloc((nnew + 1) * sizeof *fresh);
    if (!fresh)
        return -1;
    int rc = 0;
    nnew = 0;
    for (size_t i = 0; i < h->cap && rc == 0; i++) {
        const ah_ent *e = &h->ents[i];
        if (!e->project)
            continue;
        if (!e->rowid)
            fresh[nnew++] =
                (hnew){pf_pool_str(a->pool, e->project), pf_pool_str(a->pool, e->version),
                       pf_pool_str(a->pool, e->repo), e->trusted_now};
        else if (!e->old_present || (e->trusted_now && !e->old_trusted))
            rc = pf_store_seen_update(tx, e->rowid, 0, e->trusted_now);
    }
    if (nnew > 1)
        qsort(fresh, nnew, sizeof *fresh, cmp_hnew);
    for (size_t i = 0; i < nnew && rc == 0; i++)
        rc = pf_store_seen_insert(tx, fresh[i].project, fresh[i].version, fresh[i].repo,
                                  fresh[i].trusted);
    for (size_t i = 0; i < h->ngone && rc == 0; i++)
        rc = pf_store_seen_update(tx, h->gone[i], prev_run > 0 ? prev_run : a->now, 0);
    free(fresh);
    return rc;
}

/* Full analysis: load, classify, aggregate, write. */
int pf_analyze(pf_store *st, const pf_catalog *cat, const pf_rules *rules, int64_t now,
               pf_analyze_result *res, char *err, size_t errlen)
{
    double t0 = mono();
    actx a = {.cat = cat, .rules = rules, .pool = pf_pool_new(), .now = now};
    memset(res, 0, sizeof *res);
    if (!a.pool || ah_init(&a.hist) != 0) {
        snprintf(err, errlen, "out of memory");
        actx_free(&a);
        return -1;
    }
    if (pf_store_each_package(st, load_row, &a) != 0 || a.oom) {
        snprintf(err, errlen, "%s", a.oom ? "out of memory" : pf_store_errmsg(st));
        actx_free(&a);
        return -1;
    }
    if (a.n > 0) /* qsort(NULL, 0, ...) is undefined */
        qsort(a.pkgs, a.n, sizeof *a.pkgs, cmp_project);
    /* The history: where it starts, and every trusted version seen so far. */
    int64_t first_run = pf_store_first_analysis(st);
    int64_t prev_run = pf_store_last_analysis(st);
    a.hist_start = first_run > 0 && first_run < now ? first_run : 0;
    if (first_run < 0 || prev_run < 0 || pf_store_each_seen(st, load_seen, &a) != 0 ||
        seen_group_end(&a) != 0 || a.oom) {
        snprintf(err, errlen, "%s", a.oom ? "out of memory" : pf_store_errmsg(st));
        actx_free(&a);
        return -1;
    }
    if (a.nseen > 0) /* qsort(NULL, 0, ...) is undefined: no history before the first run */
        qsort(a.seen, a.nseen, sizeof *a.seen, cmp_seen);

    pf_repo_stats *stats = calloc(a.nrepos + 1, sizeof *stats);
    pf_cpkg *scratch = NULL;
    size_t scap = 0;
    long projects = 0;
    size_t seen_at = 0;
    int rc = stats ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < a.n;) {
        size_t j = i + 1;
        while (j < a.n && a.pkgs[j].project == a.pkgs[i].project)
            j++;
        if (j - i > scap) {
            scap = (j - i) * 2;
            pf_cpkg *ns = realloc(scratch, scap * sizeof *ns);
            if (!ns) {
                rc = -1;
                break;
            }
            scratch = ns;
        }
        uint32_t proj = a.pkgs[i].project;
        while (seen_at < a.nseen && a.seen[seen_at].project < proj)
            seen_at++;
        size_t seen_end = seen_at;
        while (seen_end < a.nseen && a.seen[seen_end].project == proj)
            seen_end++;
        rc = classify_run(&a, a.pkgs + i, j - i, scratch, stats, a.seen + seen_at,
                          seen_end - seen_at);
        seen_at = seen_end;
        projects++;
        i = j;
    }
    free(scratch);
    if (rc == 0)
        rc = lag_percentiles(&a, stats);
    if (rc != 0) {
        snprintf(err, errlen, "out of memory");
        free(stats);
        actx_free(&a);
        return -1;
    }
    /* Distinct maintainers per repository. */
    qsort(a.maints, a.nmaints, sizeof *a.maints, cmp_maint);
    for (size_t i = 0; i < a.nmaints; i++)
        if (i == 0 || cmp_maint(&a.maints[i], &a.maints[i - 1]) != 0)
            stats[a.maints[i].repo].num_maintainers++;

    pf_analysis_tx *tx = pf_store_analysis_begin(st, now, err, errlen);
    if (!tx) {
        free(stats);
        actx_free(&a);
        return -1;
    }
    pf_store_analysis_cache(tx, 64 * 1024); /* a first analysis writes every row */
    /* Unchanged rows (the common case week to week) are not rewritten; the
     * changed ones are written in id order. */
    achg *chg = malloc((a.n + 1) * sizeof *chg);
    size_t nchg = 0;
    if (!chg)
        rc = -1;
    for (size_t i = 0; i < a.n && rc == 0; i++) {
        const apkg *p = &a.pkgs[i];
        if (!p->old_same_pv || p->old_flags != p->flags || p->old_status != p->status ||
            p->old_best != p->best || p->old_newer != p->newer || p->old_behind != p->behind)
            chg[nchg++] = (achg){p->id, i};
        ah_ent *e = ah_find(&a.hist, p->project, p->version, a.repos[p->repo].name);
        if (e && status_trusted(p->status))
            e->trusted_now = 1;
    }
    if (nchg > 1)
        qsort(chg, nchg, sizeof *chg, cmp_chg);
    for (size_t k = 0; k < nchg && rc == 0; k++) {
        const apkg *p = &a.pkgs[chg[k].at];
        rc = pf_store_analysis_set_all(
            tx, p->id, pf_pool_str(a.pool, p->project), pf_pool_str(a.pool, p->version), p->flags,
            p->status, p->best ? pf_pool_str(a.pool, p->best) : NULL, p->newer, p->behind);
    }
    free(chg);
    if (rc == 0)
        rc = write_history(&a, tx, prev_run);
    for (size_t i = 0; i < a.n_removed_ids && rc == 0; i++)
        rc = pf_store_analysis_set(tx, a.removed_ids[i], NULL, NULL, PF_F_REMOVE, PF_S_NONE);
    for (size_t r = 0; r < a.nrepos && rc == 0; r++) {
        pf_repo_stats *s = &stats[r];
        s->repo_id = pf_pool_str(a.pool, a.repos[r].name);
        rc = pf_store_analysis_stats(tx, s);
    }
    if (rc != 0) {
        snprintf(err, errlen, "database: %s", pf_store_errmsg(st));
        pf_store_analysis_abort(tx);
        free(stats);
        actx_free(&a);
        return -1;
    }
    res->packages = (long)a.n;
    res->removed = a.removed;
    res->projects = projects;
    res->repositories = (long)a.nrepos;
    res->seconds = mono() - t0;
    rc = pf_store_analysis_commit(tx, res->packages, res->projects, res->seconds, err, errlen);
    free(stats);
    actx_free(&a);
    return rc;
}
