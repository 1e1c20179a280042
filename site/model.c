/*
 * model.c — the latest analysis in memory for the pages: the analyzed
 * repositories (catalog titles and colors win), every package of them (one
 * pf_store_each_repo_package pass per repository), which (project,
 * version) each repository gained since the previous analysis
 * (pf_store_each_seen_since), and two indexes: packages by project and
 * packages by maintainer address.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "pkgfresh/grow.h"
#include "pkgfresh/pool.h"
#include "pkgfresh/record.h"
#include "pkgfresh/version.h"

/* Copy of s in the pool ("" for NULL stays NULL). */
static const char *keep(site *s, const char *str)
{
    if (!str)
        return NULL;
    return pf_pool_copy(s->pool, str, strlen(str));
}

/* Interned copy (shared by equal strings: projects, versions, addresses). */
static const char *intern(site *s, const char *str, size_t len)
{
    uint32_t id = pf_pool_intern(s->pool, str, len);
    return id ? pf_pool_str(s->pool, id) : NULL;
}

/* Whether id was asked for (no selection: every repository). */
static int wanted(const pf_site_opts *o, const char *id)
{
    if (!o->repos || o->nrepos == 0)
        return 1;
    for (size_t i = 0; i < o->nrepos; i++)
        if (strcmp(o->repos[i], id) == 0)
            return 1;
    return 0;
}

/* Keep one analyzed, selected repository. */
static int add_repo(void *ctx, const pf_repo_row *row)
{
    site *s = ctx;
    if (!row->has_stats || !wanted(s->o, row->repo_id))
        return 0;
    const pf_repo *c = s->o->cat ? pf_catalog_find(s->o->cat, row->repo_id) : NULL;
    if (c && strcmp(c->id, row->repo_id) != 0)
        c = NULL; /* a short name matched; only the exact id counts */
    if (c && !s->o->eol && pf_repo_is_eol(c, s->o->now))
        return 0; /* past its end of life, as in render: only on request */
    size_t cap = s->nrepos;
    m_repo *v = pf_grow_items(s->repos, &cap, s->nrepos, sizeof *v, s->nrepos + 1);
    if (!v)
        return 1;
    s->repos = v;
    m_repo *r = &s->repos[s->nrepos++];
    memset(r, 0, sizeof *r);
    r->id = keep(s, row->repo_id);
    r->title = keep(s, c && c->title ? c->title : row->title ? row->title : row->repo_id);
    r->family = keep(s, c && c->family ? c->family : row->family ? row->family : "");
    r->color = keep(s, c && c->color ? c->color : row->color);
    r->is_default = c ? c->is_default : 0;
    r->stats = row->stats;
    r->stats.repo_id = r->id;
    r->has_stats = 1;
    r->taken = row->stats_taken_at;
    site_fname(row->repo_id, r->fname, sizeof r->fname);
    return (!r->id || !r->title || !r->family) ? 1 : 0;
}

/* Latest two distinct analysis times seen in the history. */
static int note_run(void *ctx, const pf_repo_row *row)
{
    site *s = ctx;
    int64_t t = row->stats_taken_at;
    if (t > s->taken) {
        s->prev_taken = s->taken;
        s->taken = t;
    } else if (t < s->taken && t > s->prev_taken) {
        s->prev_taken = t;
    }
    return 0;
}

/* Package loading context. */
typedef struct load_ctx {
    site *s;
    int repo;
    int oom;
} load_ctx;

/* Copy one package. */
static int add_pkg(void *ctx, const pf_pkg_view *v)
{
    load_ctx *lc = ctx;
    site *s = lc->s;
    if (!v->project)
        return 0; /* removed by a rule or never analyzed */
    m_pkg *p = pf_grow_items(s->pkgs, &s->pkgcap, s->npkgs, sizeof *p, 4096);
    if (!p) {
        lc->oom = 1;
        return 1;
    }
    s->pkgs = p;
    p = &s->pkgs[s->npkgs++];
    memset(p, 0, sizeof *p);
    p->repo = lc->repo;
    p->status = v->status;
    p->flags = v->flags;
    p->srcname = keep(s, v->srcname);
    p->raw = keep(s, v->raw_version);
    p->version = v->version ? intern(s, v->version, strlen(v->version)) : NULL;
    p->project = intern(s, v->project, strlen(v->project));
    p->maint = v->maintainers && *v->maintainers ? keep(s, v->maintainers) : NULL;
    p->best = v->best_version ? intern(s, v->best_version, strlen(v->best_version)) : NULL;
    p->homepage = h_url_ok(v->homepage) ? keep(s, v->homepage) : NULL;
    p->newer = v->newer_versions;
    p->lag = v->lag_days;
    p->project_idx = -1;
    if (!p->srcname || !p->raw || !p->project) {
        lc->oom = 1;
        return 1;
    }
    return 0;
}

/* "repo\x1fproject\x1fversion" keys of what repositories gained. */
typedef struct key_set {
    site *s;
    char **v;
    size_t n, cap;
    int oom;
} key_set;

/* Key for a triple into buf. */
static void triple_key(const char *repo, const char *project, const char *version, char *buf,
                       size_t len)
{
    snprintf(buf, len, "%s\x1f%s\x1f%s", repo, project, version ? version : "");
}

/* Remember one gained triple of a repository in the site. */
static int add_gained(void *ctx, const pf_seen_row *r)
{
    key_set *k = ctx;
    if (model_repo(k->s, r->repo_id) < 0)
        return 0;
    char buf[2048];
    triple_key(r->repo_id, r->project, r->version, buf, sizeof buf);
    char **v = pf_grow_items(k->v, &k->cap, k->n, sizeof *v, 1024);
    char *copy = pf_pool_copy(k->s->pool, buf, strlen(buf));
    if (!v || !copy) {
        k->oom = 1;
        return 1;
    }
    k->v = v;
    k->v[k->n++] = copy;
    return 0;
}

/* qsort: C strings. */
static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sort context for package indexes (qsort has no context argument). */
static int cmp_pkg_project(const void *a, const void *b, void *ctx)
{
    const m_pkg *v = ctx;
    const m_pkg *x = &v[*(const size_t *)a], *y = &v[*(const size_t *)b];
    int c = strcmp(x->project, y->project);
    if (c)
        return c;
    if (x->repo != y->repo)
        return x->repo < y->repo ? -1 : 1;
    c = strcmp(x->srcname, y->srcname);
    if (c)
        return c;
    return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

/* Group packages by project, count families. */
static int build_projects(site *s)
{
    s->by_project = malloc((s->npkgs ? s->npkgs : 1) * sizeof *s->by_project);
    if (!s->by_project)
        return -1;
    for (size_t i = 0; i < s->npkgs; i++)
        s->by_project[i] = i;
    if (s->npkgs > 1)
        qsort_r(s->by_project, s->npkgs, sizeof *s->by_project, cmp_pkg_project, s->pkgs);
    size_t cap = 0;
    for (size_t i = 0; i < s->npkgs;) {
        size_t j = i;
        const char *name = s->pkgs[s->by_project[i]].project;
        while (j < s->npkgs && strcmp(s->pkgs[s->by_project[j]].project, name) == 0)
            j++;
        m_project *v = pf_grow_items(s->projects, &cap, s->nprojects, sizeof *v, 4096);
        if (!v)
            return -1;
        s->projects = v;
        m_project *p = &s->projects[s->nprojects];
        memset(p, 0, sizeof *p);
        p->name = name;
        p->first = i;
        p->n = j - i;
        const char *fams[64];
        int nf = 0;
        for (size_t k = i; k < j; k++) {
            m_pkg *pk = &s->pkgs[s->by_project[k]];
            pk->project_idx = (int)s->nprojects;
            const char *f = s->repos[pk->repo].family;
            int seen = 0;
            for (int q = 0; q < nf && !seen; q++)
                seen = strcmp(fams[q], f) == 0;
            if (!seen && nf < 64)
                fams[nf++] = f;
        }
        p->families = nf;
        p->has_page = nf >= 2;
        site_fname(name, p->fname, sizeof p->fname);
        s->nprojects++;
        i = j;
    }
    return 0;
}

/* One (address, package) pair. */
typedef struct mpair {
    const char *email;
    size_t pkg;
} mpair;

/* qsort: by address, then package order. */
static int cmp_mpair(const void *a, const void *b)
{
    const mpair *x = a, *y = b;
    int c = strcmp(x->email, y->email);
    if (c)
        return c;
    return x->pkg < y->pkg ? -1 : x->pkg > y->pkg;
}

/* Split every package's maintainers into addresses and group packages by
 * address. */
static int build_maints(site *s)
{
    mpair *pairs = NULL;
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < s->npkgs; i++) {
        const char *m = s->pkgs[i].maint;
        while (m && *m) {
            size_t len = strcspn(m, ",");
            const char *e = m;
            size_t el = len;
            while (el && (*e == ' ' || *e == '\t'))
                e++, el--;
            while (el && (e[el - 1] == ' ' || e[el - 1] == '\t'))
                el--;
            if (el > 0 && el < 320 && memchr(e, '@', el)) {
                mpair *v = pf_grow_items(pairs, &cap, n, sizeof *v, 4096);
                const char *in = intern(s, e, el);
                if (!v || !in) {
                    free(v ? v : pairs);
                    return -1;
                }
                pairs = v;
                pairs[n++] = (mpair){in, i};
            }
            m += len + (m[len] == ',');
        }
    }
    if (n > 1)
        qsort(pairs, n, sizeof *pairs, cmp_mpair);
    s->maint_pkgs = malloc((n ? n : 1) * sizeof *s->maint_pkgs);
    if (!s->maint_pkgs) {
        free(pairs);
        return -1;
    }
    size_t mcap = 0, out = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        m_maint *v = pf_grow_items(s->maints, &mcap, s->nmaints, sizeof *v, 1024);
        if (!v) {
            free(pairs);
            return -1;
        }
        s->maints = v;
        m_maint *mt = &s->maints[s->nmaints++];
        memset(mt, 0, sizeof *mt);
        mt->email = pairs[i].email;
        mt->first = out;
        while (j < n && pairs[j].email == pairs[i].email) {
            if (j == i || pairs[j].pkg != pairs[j - 1].pkg) {
                s->maint_pkgs[out++] = pairs[j].pkg;
                if (s->pkgs[pairs[j].pkg].status == PF_S_OUTDATED)
                    mt->outdated++;
            }
            j++;
        }
        mt->n = out - mt->first;
        site_fname(mt->email, mt->fname, sizeof mt->fname);
        i = j;
    }
    free(pairs);
    return 0;
}

/* Everything the pages need. */
int model_load(site *s)
{
    s->pool = pf_pool_new();
    if (!s->pool) {
        snprintf(s->err, sizeof s->err, "out of memory");
        return -1;
    }
    if (pf_store_each_repo(s->st, add_repo, s) != 0 ||
        pf_store_each_history(s->st, NULL, note_run, s) != 0) {
        snprintf(s->err, sizeof s->err, "read repositories: %s", pf_store_errmsg(s->st));
        return -1;
    }
    for (size_t i = 0; i < s->nrepos; i++) {
        load_ctx lc = {s, (int)i, 0};
        int rc = pf_store_each_repo_package(s->st, s->repos[i].id, add_pkg, &lc);
        if (rc != 0 || lc.oom) {
            snprintf(s->err, sizeof s->err, "read packages of %s: %s", s->repos[i].id,
                     lc.oom ? "out of memory" : pf_store_errmsg(s->st));
            return -1;
        }
    }
    if (s->prev_taken > 0) {
        key_set k = {.s = s};
        if (pf_store_each_seen_since(s->st, s->prev_taken, add_gained, &k) != 0 || k.oom) {
            snprintf(s->err, sizeof s->err, "read version history: %s",
                     k.oom ? "out of memory" : pf_store_errmsg(s->st));
            free(k.v);
            return -1;
        }
        if (k.n > 1)
            qsort(k.v, k.n, sizeof *k.v, cmp_str);
        char buf[2048];
        for (size_t i = 0; i < s->npkgs && k.n; i++) {
            m_pkg *p = &s->pkgs[i];
            triple_key(s->repos[p->repo].id, p->project, p->version, buf, sizeof buf);
            const char *key = buf;
            p->is_new = bsearch(&key, k.v, k.n, sizeof *k.v, cmp_str) != NULL;
        }
        free(k.v);
    }
    if (build_projects(s) != 0 || build_maints(s) != 0) {
        snprintf(s->err, sizeof s->err, "out of memory");
        return -1;
    }
    return 0;
}

/* Release the model. */
void model_free(site *s)
{
    free(s->repos);
    free(s->pkgs);
    free(s->by_project);
    free(s->projects);
    free(s->maint_pkgs);
    free(s->maints);
    pf_pool_free(s->pool);
}

/* Linear: a site has tens, not thousands, of repositories. */
int model_repo(const site *s, const char *id)
{
    for (size_t i = 0; i < s->nrepos; i++)
        if (strcmp(s->repos[i].id, id) == 0)
            return (int)i;
    return -1;
}

/* Binary search over the projects (sorted by name). */
const m_project *model_project(const site *s, const char *name)
{
    size_t lo = 0, hi = s->nprojects;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(s->projects[mid].name, name);
        if (c == 0)
            return &s->projects[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* CSS class names, one per status. */
const char *model_status_class(int status)
{
    return pf_status_name(status);
}

/* Repology's "problematic": ignored, incorrect or untrusted packages. */
int model_problematic(int status)
{
    return status == PF_S_IGNORED || status == PF_S_INCORRECT || status == PF_S_UNTRUSTED;
}
