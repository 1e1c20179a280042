/*
 * cmd_render.c — `pkgfresh render map|trend|rank`: gather the repositories'
 * statistics (latest, or the whole history for trends) from the store,
 * turn them into plain points / series / bars and hand them to the renderer.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <cairo.h>

#include "cli.h"
#include "opts.h"
#include "pkgfresh/render.h"
#include "pkgfresh/utctime.h"

/* One repository with latest statistics. Strings are copied (store rows are
 * valid only during the callback). */
typedef struct repo_ent {
    char id[128];
    char label[160];
    char color[16]; /* "" = none: the renderer picks a palette color */
    char family[64];
    char group[160];     /* Repology statsgroup (default: the title) */
    pf_repo_stats stats; /* counters and lags of the latest analysis (repo_id NULL) */
    int64_t taken;
} repo_ent;

/* Growing array of repositories; owns v. */
typedef struct repo_list {
    const pf_catalog *cat;
    repo_ent *v;
    size_t n, cap;
    int oom;
    int64_t newest; /* latest stats time */
    int64_t now;    /* for end of life */
    int eol;        /* --eol: keep repositories past their valid_till */
} repo_list;

/* Copy one analyzed repository (catalog title and color win over the
 * database's; neither: the id and no color). */
static int collect_repo(void *ctx, const pf_repo_row *row)
{
    repo_list *l = ctx;
    if (!row->has_stats)
        return 0;
    const pf_repo *r = pf_catalog_find(l->cat, row->repo_id);
    if (r && strcmp(r->id, row->repo_id) != 0)
        r = NULL; /* a row no longer in the catalog that shares a name with an alias */
    if (!l->eol && pf_repo_is_eol(r, l->now))
        return 0; /* past its end of life: only with --eol */
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        repo_ent *v = realloc(l->v, cap * sizeof *v);
        if (!v) {
            l->oom = 1;
            return 1;
        }
        l->v = v;
        l->cap = cap;
    }
    repo_ent *e = &l->v[l->n++];
    memset(e, 0, sizeof *e);
    const char *title = r && r->title ? r->title : row->title;
    const char *color = r && r->color ? r->color : row->color;
    const char *family = r && r->family ? r->family : row->family;
    snprintf(e->id, sizeof e->id, "%s", row->repo_id);
    snprintf(e->label, sizeof e->label, "%s", title && *title ? title : row->repo_id);
    snprintf(e->color, sizeof e->color, "%s", color ? color : "");
    snprintf(e->family, sizeof e->family, "%s", family ? family : "");
    snprintf(e->group, sizeof e->group, "%s", r ? pf_repo_statsgroup(r) : e->label);
    e->stats = row->stats;
    e->stats.repo_id = NULL; /* points into the row */
    e->taken = row->stats_taken_at;
    if (row->stats_taken_at > l->newest)
        l->newest = row->stats_taken_at;
    return 0;
}

/* Requested repository ids (resolved), from repeated or comma-separated values. */
typedef struct id_set {
    char v[256][128];
    size_t n;
} id_set;

/* Whether id is in the set. */
static int set_has(const id_set *s, const char *id)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->v[i], id) == 0)
            return 1;
    return 0;
}

/* Resolve every name of a list option: an exact id of an analyzed repository
 * (catalog or not), else a catalog id or short name. 0, or -1 after printing. */
static int resolve_list(pf_cli *cli, const char *what, const pf_strlist *in, const repo_list *rl,
                        id_set *out)
{
    out->n = 0;
    for (int i = 0; i < in->n; i++) {
        const char *s = in->v[i];
        while (*s) {
            size_t len = strcspn(s, ",");
            char name[128];
            if (len >= sizeof name) {
                pf_err("render: %s: repository name too long", what);
                return -1;
            }
            memcpy(name, s, len);
            name[len] = '\0';
            s += len + (s[len] == ',');
            if (!*name)
                continue;
            const char *id = NULL;
            for (size_t k = 0; k < rl->n && !id; k++)
                if (strcmp(rl->v[k].id, name) == 0)
                    id = rl->v[k].id;
            if (!id) {
                const pf_repo *r = pf_cli_repo(cli, "render", name);
                if (!r)
                    return -1;
                id = r->id;
            }
            if (set_has(out, id))
                continue;
            if (out->n >= sizeof out->v / sizeof out->v[0]) {
                pf_err("render: too many repositories for %s", what);
                return -1;
            }
            snprintf(out->v[out->n++], sizeof out->v[0], "%s", id);
        }
    }
    return 0;
}

/* Whether family f is one of the --family values (comma lists allowed). */
static int family_selected(const pf_strlist *fam, const char *f)
{
    for (int i = 0; i < fam->n; i++) {
        const char *s = fam->v[i];
        while (*s) {
            size_t len = strcspn(s, ",");
            if (len == strlen(f) && strncmp(s, f, len) == 0)
                return 1;
            s += len + (s[len] == ',');
        }
    }
    return 0;
}

/* The selection: --only ids and/or --family names (none: everything). */
static int selected(const repo_ent *e, const id_set *only, const pf_strlist *fam)
{
    if (only->n && !set_has(only, e->id))
        return 0;
    if (fam->n && !family_selected(fam, e->family))
        return 0;
    return 1;
}

/* "YYYY-MM-DD" of a unix time (UTC). */
static void fmt_date(int64_t t, char *buf, size_t len)
{
    pf_utc_format(t, PF_UTC_DATE, buf, len);
}

/* Everything the user asked for. */
typedef struct render_args {
    const char *chart, *out, *title, *subtitle, *theme, *scale, *zoom, *variant, *metric;
    long width, height, limit, label, top;
    int log, eol, per_group;
    pf_strlist only, family, highlight;
    pf_theme th;
    double sc, xlimit, ylimit;
} render_args;

/* The current name of a --variant or --metric value: pkgfresh before schema
 * 5 said "fresh" for Repology's newest and "freshness" for newest %. */
static const char *current_name(const char *name)
{
    if (name && strcmp(name, "fresh") == 0)
        return "newest";
    if (name && strcmp(name, "freshness") == 0)
        return "newest-pct";
    return name;
}

/* ---- map ---------------------------------------------------------------- */

/* Build the map points (x, y by variant) and draw. */
static int render_map(pf_cli *cli, const render_args *a, const repo_list *rl, const id_set *only)
{
    pf_map_opts mo;
    pf_map_opts_default(&mo);
    const char *variant = current_name(a->variant);
    if (!variant || strcmp(variant, "newest") == 0)
        mo.variant = PF_MAP_NEWEST;
    else if (strcmp(variant, "newest-pct") == 0)
        mo.variant = PF_MAP_NEWEST_PCT;
    else if (strcmp(variant, "nonunique") == 0)
        mo.variant = PF_MAP_NONUNIQUE;
    else {
        pf_err("render map: unknown --variant '%s' (newest, newest-pct or nonunique)", a->variant);
        return PF_EXIT_USAGE;
    }
    id_set *hl = calloc(1, sizeof *hl);
    pf_map_point *pts = calloc(rl->n ? rl->n : 1, sizeof *pts);
    const char **hlp = calloc(256, sizeof *hlp);
    int rc = PF_EXIT_OK;
    if (!hl || !pts || !hlp) {
        pf_err("render map: out of memory");
        rc = PF_EXIT_PARTIAL;
        goto done;
    }
    if (resolve_list(cli, "--highlight", &a->highlight, rl, hl) != 0) {
        rc = PF_EXIT_USAGE;
        goto done;
    }
    size_t n = 0;
    for (size_t i = 0; i < rl->n; i++) {
        const repo_ent *e = &rl->v[i];
        if (!selected(e, only, &a->family))
            continue;
        pf_map_point *p = &pts[n++];
        p->id = e->id;
        p->label = e->label;
        p->color = e->color[0] ? e->color : NULL;
        p->x = (double)e->stats.num_projects;
        p->y = (double)e->stats.num_newest;
        if (mo.variant == PF_MAP_NEWEST_PCT) /* -1 unknown: not drawn */
            p->y = pf_stats_pct(e->stats.num_newest, e->stats.num_comparable);
        else if (mo.variant == PF_MAP_NONUNIQUE)
            p->x = (double)(e->stats.num_projects - e->stats.num_unique);
    }
    for (size_t i = 0; i < hl->n; i++)
        hlp[i] = hl->v[i];
    char sub[160];
    const char *subtitle = a->subtitle;
    if (!subtitle) {
        char date[32] = "no data";
        if (rl->newest > 0)
            fmt_date(rl->newest, date, sizeof date);
        snprintf(sub, sizeof sub, "data of %s · pkgfresh %s", date, PKGFRESH_VERSION);
        subtitle = sub;
    }
    mo.width = (int)a->width;
    mo.height = a->height > 0 ? (int)a->height : 800;
    mo.title = a->title;
    mo.subtitle = subtitle;
    mo.log = a->log;
    mo.xlimit = a->xlimit;
    mo.ylimit = a->ylimit;
    mo.highlight = hlp;
    mo.nhighlight = hl->n;
    mo.scale = a->sc;
    mo.theme = a->th;
    mo.label_top = a->label > 0 ? (size_t)a->label : 0;
    char err[512];
    if (pf_render_map(pts, n, &mo, a->out, err, sizeof err) != 0) {
        pf_err("render map: %s", err);
        rc = PF_EXIT_PARTIAL;
    } else if (!cli->quiet) {
        fprintf(stderr, "pkgfresh: wrote %s (%zu repositories)\n", a->out, n);
    }
done:
    free(hl);
    free(pts);
    free(hlp);
    return rc;
}

/* ---- trend -------------------------------------------------------------- */

typedef enum metric {
    M_NEWEST_PCT,
    M_OUTDATED,
    M_PROJECTS,
    M_NEWEST,
    M_LAG,
    M_OUTDATED_PCT,
    M_UNIQUE_PCT,
    M_PROBLEMATIC_PCT,
} metric;

/* The metric's value in a statistics row (-1 when unknown). */
static double metric_value(metric m, const pf_repo_stats *s)
{
    switch (m) {
    case M_NEWEST_PCT:
        return pf_stats_pct(s->num_newest, s->num_comparable);
    case M_OUTDATED:
        return (double)s->num_outdated;
    case M_PROJECTS:
        return (double)s->num_projects;
    case M_NEWEST:
        return (double)s->num_newest;
    case M_LAG:
        return s->median_lag_days;
    case M_OUTDATED_PCT:
        return pf_stats_pct(s->num_outdated, s->num_comparable);
    case M_UNIQUE_PCT:
        return pf_stats_pct(s->num_unique, s->num_projects);
    case M_PROBLEMATIC_PCT:
        return pf_stats_pct(s->num_problematic, s->num_projects);
    }
    return -1.0;
}

/* Collected history of one repository; owns pts. */
typedef struct hist {
    metric m;
    pf_trend_point *pts;
    size_t n, cap;
    int oom;
} hist;

/* Append one history row's value. */
static int collect_hist(void *ctx, const pf_repo_row *row)
{
    hist *h = ctx;
    if (h->n == h->cap) {
        size_t cap = h->cap ? 2 * h->cap : 32;
        pf_trend_point *p = realloc(h->pts, cap * sizeof *p);
        if (!p) {
            h->oom = 1;
            return 1;
        }
        h->pts = p;
        h->cap = cap;
    }
    h->pts[h->n++] = (pf_trend_point){row->stats_taken_at, metric_value(h->m, &row->stats)};
    return 0;
}

/* Sort helper: repositories by projects, largest first, then id. */
static int by_projects(const void *a, const void *b)
{
    const repo_ent *x = *(const repo_ent *const *)a, *y = *(const repo_ent *const *)b;
    if (x->stats.num_projects != y->stats.num_projects)
        return x->stats.num_projects > y->stats.num_projects ? -1 : 1;
    return strcmp(x->id, y->id);
}

/* Pick the repositories (--only as given; else the 8 largest of the
 * selection), read their histories and draw. */
static int render_trend(pf_cli *cli, pf_store *st, const render_args *a, const repo_list *rl,
                        const id_set *only)
{
    static const struct {
        const char *name;
        metric m;
        pf_value_fmt fmt;
        const char *title, *ylabel;
    } METRICS[] = {
        {"newest-pct", M_NEWEST_PCT, PF_FMT_PERCENT, "Newest % over time",
         "Newest (% of comparable projects up to date)"},
        {"newest", M_NEWEST, PF_FMT_COUNT, "Newest projects over time",
         "Newest projects (up to date, not unique)"},
        {"outdated", M_OUTDATED, PF_FMT_COUNT, "Outdated projects over time", "Outdated projects"},
        {"outdated-pct", M_OUTDATED_PCT, PF_FMT_PERCENT, "Outdated % over time",
         "Outdated (% of comparable projects)"},
        {"projects", M_PROJECTS, PF_FMT_COUNT, "Repository size over time", "Projects"},
        {"unique-pct", M_UNIQUE_PCT, PF_FMT_PERCENT, "Unique % over time",
         "Unique (% of projects, in this family only)"},
        {"problematic-pct", M_PROBLEMATIC_PCT, PF_FMT_PERCENT, "Problematic % over time",
         "Problematic (% of projects with an ignored, incorrect or untrusted package)"},
        {"median-lag", M_LAG, PF_FMT_DAYS, "Median lag over time",
         "Median days behind the newest version"},
    };
    size_t mi = 0, nm = sizeof METRICS / sizeof METRICS[0];
    const char *want = current_name(a->metric);
    if (want) {
        for (mi = 0; mi < nm && strcmp(METRICS[mi].name, want) != 0; mi++)
            ;
        if (mi == nm) {
            pf_err("render trend: unknown --metric '%s' (newest-pct, newest, outdated, "
                   "outdated-pct, projects, unique-pct, problematic-pct, median-lag)",
                   a->metric);
            return PF_EXIT_USAGE;
        }
    }
    const repo_ent **pick = calloc(rl->n ? rl->n : 1, sizeof *pick);
    if (!pick) {
        pf_err("render trend: out of memory");
        return PF_EXIT_PARTIAL;
    }
    size_t np = 0;
    for (size_t i = 0; i < rl->n; i++)
        if (selected(&rl->v[i], only, &a->family))
            pick[np++] = &rl->v[i];
    int truncated = 0;
    if (!only->n) {
        qsort(pick, np, sizeof *pick, by_projects);
        if (np > 8) {
            np = 8;
            truncated = 1;
        }
    }
    hist *h = calloc(np ? np : 1, sizeof *h);
    pf_trend_series *s = calloc(np ? np : 1, sizeof *s);
    int rc = PF_EXIT_OK;
    int64_t t0 = 0, t1 = 0;
    if (!h || !s) {
        pf_err("render trend: out of memory");
        rc = PF_EXIT_PARTIAL;
        goto done;
    }
    for (size_t i = 0; i < np; i++) {
        h[i].m = METRICS[mi].m;
        if (pf_store_each_history(st, pick[i]->id, collect_hist, &h[i]) != 0 || h[i].oom) {
            pf_err("render trend: %s: %s", pick[i]->id,
                   h[i].oom ? "out of memory" : pf_store_errmsg(st));
            rc = PF_EXIT_PARTIAL;
            goto done;
        }
        s[i] = (pf_trend_series){pick[i]->id, pick[i]->label,
                                 pick[i]->color[0] ? pick[i]->color : NULL, h[i].pts, h[i].n};
        for (size_t k = 0; k < h[i].n; k++) {
            if (!t0 || h[i].pts[k].t < t0)
                t0 = h[i].pts[k].t;
            if (h[i].pts[k].t > t1)
                t1 = h[i].pts[k].t;
        }
    }
    char sub[256];
    const char *subtitle = a->subtitle;
    if (!subtitle) {
        char d0[32], d1[32], who[64];
        if (truncated)
            snprintf(who, sizeof who, "%zu largest repositories", np);
        else
            snprintf(who, sizeof who, "%zu repositor%s", np, np == 1 ? "y" : "ies");
        if (t0) {
            fmt_date(t0, d0, sizeof d0);
            fmt_date(t1, d1, sizeof d1);
            if (strcmp(d0, d1) == 0)
                snprintf(sub, sizeof sub, "%s · %s · pkgfresh %s", who, d0, PKGFRESH_VERSION);
            else
                snprintf(sub, sizeof sub, "%s · %s to %s · pkgfresh %s", who, d0, d1,
                         PKGFRESH_VERSION);
        } else {
            snprintf(sub, sizeof sub, "no analysis history · pkgfresh %s", PKGFRESH_VERSION);
        }
        subtitle = sub;
    }
    pf_trend_opts to;
    pf_trend_opts_default(&to);
    to.width = (int)a->width;
    to.height = a->height > 0 ? (int)a->height : 600;
    to.title = a->title ? a->title : METRICS[mi].title;
    to.subtitle = subtitle;
    to.ylabel = METRICS[mi].ylabel;
    to.fmt = METRICS[mi].fmt;
    to.scale = a->sc;
    to.theme = a->th;
    char err[512];
    if (pf_render_trend(s, np, &to, a->out, err, sizeof err) != 0) {
        pf_err("render trend: %s", err);
        rc = PF_EXIT_PARTIAL;
    } else if (!cli->quiet) {
        fprintf(stderr, "pkgfresh: wrote %s (%zu repositories)\n", a->out, np);
    }
done:
    for (size_t i = 0; h && i < np; i++)
        free(h[i].pts);
    free(h);
    free(s);
    free(pick);
    return rc;
}

/* ---- rank --------------------------------------------------------------- */

/* Repology's front-page top lists count only repositories this large (projects). */
#define TOP_MIN_PROJECTS 1000

/* Keep the best item of each statsgroup (items carry the group as their label);
 * ascending: smaller values are better. Returns the new count; order kept. */
static size_t best_per_group(pf_rank_item *it, size_t n, int ascending)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        size_t j = 0;
        while (j < m && strcmp(it[j].label, it[i].label) != 0)
            j++;
        if (j == m)
            it[m++] = it[i];
        else if (ascending ? it[i].value < it[j].value : it[i].value > it[j].value)
            it[j] = it[i];
    }
    return m;
}

/* Bars for the selected repositories; unknown values are left out and
 * counted in the subtitle. --per-group: one bar per statsgroup, as on
 * Repology's front page. */
static int render_rank(pf_cli *cli, const render_args *a, const repo_list *rl, const id_set *only)
{
    static const struct {
        const char *name;
        metric m;
        pf_value_fmt fmt;
        int ascending;
        const char *title, *xlabel;
    } METRICS[] = {
        {"newest-pct", M_NEWEST_PCT, PF_FMT_PERCENT, 0, "Repositories by newest %",
         "Newest (% of comparable projects up to date)"},
        {"newest", M_NEWEST, PF_FMT_COUNT, 0, "Repositories by newest projects",
         "Newest projects (up to date, not unique)"},
        {"median-lag", M_LAG, PF_FMT_DAYS, 1, "Repositories by median lag",
         "Median days behind the newest version (shorter is better)"},
        {"outdated-pct", M_OUTDATED_PCT, PF_FMT_PERCENT, 1, "Repositories by outdated %",
         "Outdated (% of comparable projects; lower is better)"},
        {"unique-pct", M_UNIQUE_PCT, PF_FMT_PERCENT, 0, "Repositories by unique %",
         "Unique (% of projects, in this family only)"},
        {"problematic-pct", M_PROBLEMATIC_PCT, PF_FMT_PERCENT, 1, "Repositories by problematic %",
         "Problematic (% of projects; lower is better)"},
    };
    size_t mi = 0, nm = sizeof METRICS / sizeof METRICS[0];
    const char *want = current_name(a->metric);
    if (want) {
        for (mi = 0; mi < nm && strcmp(METRICS[mi].name, want) != 0; mi++)
            ;
        if (mi == nm) {
            pf_err("render rank: unknown --metric '%s' (newest-pct, newest, median-lag, "
                   "outdated-pct, unique-pct, problematic-pct)",
                   a->metric);
            return PF_EXIT_USAGE;
        }
    }
    pf_rank_item *it = calloc(rl->n ? rl->n : 1, sizeof *it);
    if (!it) {
        pf_err("render rank: out of memory");
        return PF_EXIT_PARTIAL;
    }
    size_t n = 0, unknown = 0;
    for (size_t i = 0; i < rl->n; i++) {
        const repo_ent *e = &rl->v[i];
        if (!selected(e, only, &a->family))
            continue;
        double v = metric_value(METRICS[mi].m, &e->stats);
        if (!isfinite(v) || v < 0.0) {
            unknown++;
            continue;
        }
        if (a->per_group && e->stats.num_projects < TOP_MIN_PROJECTS)
            continue; /* too small for Repology's top lists */
        const char *label = a->per_group ? e->group : e->label;
        it[n++] = (pf_rank_item){e->id, label, e->color[0] ? e->color : NULL, v};
    }
    if (a->per_group)
        n = best_per_group(it, n, METRICS[mi].ascending);
    size_t limit = a->limit > 0 ? (size_t)a->limit : 30;
    char sub[256];
    const char *subtitle = a->subtitle;
    if (!subtitle) {
        char date[32] = "no data", note[96] = "", top[48] = "";
        if (rl->newest > 0)
            fmt_date(rl->newest, date, sizeof date);
        if (unknown)
            snprintf(note, sizeof note, " · %zu repositor%s without a known value omitted", unknown,
                     unknown == 1 ? "y" : "ies");
        if (n > limit)
            snprintf(top, sizeof top, "top %zu of %zu · ", limit, n);
        snprintf(sub, sizeof sub, "%sdata of %s%s · pkgfresh %s", top, date, note,
                 PKGFRESH_VERSION);
        subtitle = sub;
    }
    pf_rank_opts ro;
    pf_rank_opts_default(&ro);
    ro.width = (int)a->width;
    ro.height = a->height > 0 ? (int)a->height : 0;
    ro.title = a->title ? a->title : METRICS[mi].title;
    ro.subtitle = subtitle;
    ro.xlabel = METRICS[mi].xlabel;
    ro.fmt = METRICS[mi].fmt;
    ro.ascending = METRICS[mi].ascending;
    ro.limit = limit;
    ro.scale = a->sc;
    ro.theme = a->th;
    char err[512];
    int rc = PF_EXIT_OK;
    if (pf_render_rank(it, n, &ro, a->out, err, sizeof err) != 0) {
        pf_err("render rank: %s", err);
        rc = PF_EXIT_PARTIAL;
    } else if (!cli->quiet) {
        fprintf(stderr, "pkgfresh: wrote %s (%zu repositories, %zu omitted)\n", a->out,
                n < limit ? n : limit, unknown);
    }
    free(it);
    return rc;
}

/* ---- command ------------------------------------------------------------ */

/* LeakSanitizer hook, used only by SAN=1 builds: fontconfig (loaded by cairo
 * for the chart text) keeps a few one-time allocations for the life of the
 * process, as tests/valgrind.supp notes for valgrind; they are not ours. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig\n";
}

/* Parse "X,Y" into two positive numbers. */
static int parse_zoom(const char *s, double *x, double *y)
{
    char *end;
    *x = strtod(s, &end);
    if (end == s || *end != ',')
        return -1;
    const char *t = end + 1;
    *y = strtod(t, &end);
    if (end == t || *end != '\0')
        return -1;
    return *x > 0.0 && *y > 0.0 && isfinite(*x) && isfinite(*y) ? 0 : -1;
}

/* Check the options against the chart and convert the textual ones. */
static int check_args(render_args *a)
{
    int is_map = strcmp(a->chart, "map") == 0, is_rank = strcmp(a->chart, "rank") == 0;
    if (!is_map && (a->log || a->zoom || a->variant || a->highlight.n)) {
        pf_err("render %s: --log, --zoom, --variant and --highlight apply to 'map' only", a->chart);
        return -1;
    }
    if (is_map && a->metric) {
        pf_err("render map: --metric applies to 'trend' and 'rank' (see --variant)");
        return -1;
    }
    if (!is_rank && (a->limit || a->top || a->per_group)) {
        pf_err("render %s: --limit, --top and --per-group apply to 'rank' only", a->chart);
        return -1;
    }
    if (!is_map && a->label) {
        pf_err("render %s: --label applies to 'map' only", a->chart);
        return -1;
    }
    if (a->limit < 0 || a->top < 0 || a->label < 0) {
        pf_err("render: --limit, --top and --label must be positive");
        return -1;
    }
    if (a->top && a->limit && a->top != a->limit) {
        pf_err("render rank: --top and --limit say the same; give one");
        return -1;
    }
    if (a->top)
        a->limit = a->top;
    size_t ol = a->out ? strlen(a->out) : 0;
    if (!a->out || ol < 5 ||
        (strcasecmp(a->out + ol - 4, ".png") != 0 && strcasecmp(a->out + ol - 4, ".svg") != 0 &&
         strcasecmp(a->out + ol - 4, ".pdf") != 0)) {
        pf_err("render: --out FILE is required, ending in .png, .svg or .pdf");
        return -1;
    }
    if (a->width < 200 || a->width > 20000 ||
        (a->height != -1 && (a->height < 150 || a->height > 20000))) {
        pf_err("render: --width/--height out of range (200x150 .. 20000x20000)");
        return -1;
    }
    a->th = PF_THEME_LIGHT;
    if (a->theme && strcmp(a->theme, "dark") == 0)
        a->th = PF_THEME_DARK;
    else if (a->theme && strcmp(a->theme, "light") != 0) {
        pf_err("render: unknown --theme '%s' (light or dark)", a->theme);
        return -1;
    }
    a->sc = 1.0;
    if (a->scale) {
        char *end;
        a->sc = strtod(a->scale, &end);
        if (end == a->scale || *end || !(a->sc >= 0.25 && a->sc <= 8.0)) {
            pf_err("render: --scale '%s' is not a number between 0.25 and 8", a->scale);
            return -1;
        }
    }
    if (a->zoom && parse_zoom(a->zoom, &a->xlimit, &a->ylimit) != 0) {
        pf_err("render map: --zoom '%s': expected XMAX,YMAX (e.g. 40000,20000)", a->zoom);
        return -1;
    }
    return 0;
}

/* Render a chart. */
int cmd_render(pf_cli *cli, int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "badge") == 0)
        return cmd_render_badge(cli, argc - 1, argv + 1);
    render_args a;
    memset(&a, 0, sizeof a);
    a.width = 1140;
    a.height = -1;
    const pf_opt opts[] = {
        {"out", 'o', PF_OPT_STR, &a.out, "FILE", "output file: .png, .svg or .pdf"},
        {"width", 0, PF_OPT_INT, &a.width, "PX", "width (default 1140)"},
        {"height", 0, PF_OPT_INT, &a.height, "PX",
         "height (default: map 800, trend 600, rank from the number of bars)"},
        {"title", 0, PF_OPT_STR, &a.title, "TEXT", "title at the top"},
        {"subtitle", 0, PF_OPT_STR, &a.subtitle, "TEXT",
         "subtitle (default: data date and pkgfresh version)"},
        {"scale", 0, PF_OPT_STR, &a.scale, "K", "PNG pixel multiplier for HiDPI (e.g. 2)"},
        {"theme", 0, PF_OPT_STR, &a.theme, "NAME", "light (default) or dark"},
        {"only", 0, PF_OPT_LIST, &a.only, "REPO",
         "only these repositories (repeatable, ids or "
         "short names, commas allowed)"},
        {"family", 0, PF_OPT_LIST, &a.family, "F", "only repositories of these families"},
        {"log", 0, PF_OPT_FLAG, &a.log, NULL, "map: logarithmic axes"},
        {"zoom", 0, PF_OPT_STR, &a.zoom, "X,Y", "map: axis limits, points beyond are skipped"},
        {"highlight", 0, PF_OPT_LIST, &a.highlight, "REPO",
         "map: draw these in full color, the others muted"},
        {"variant", 0, PF_OPT_STR, &a.variant, "V", "map: newest (default), newest-pct, nonunique"},
        {"metric", 0, PF_OPT_STR, &a.metric, "M",
         "trend: newest-pct|newest|outdated|outdated-pct|projects|unique-pct|"
         "problematic-pct|median-lag; rank: newest-pct|newest|median-lag|outdated-pct|"
         "unique-pct|problematic-pct"},
        {"limit", 0, PF_OPT_INT, &a.limit, "N", "rank: at most N bars (default 30)"},
        {"label", 0, PF_OPT_INT, &a.label, "N",
         "map: label only the N largest repositories (and the highlighted ones)"},
        {"top", 0, PF_OPT_INT, &a.top, "N", "rank: the N best (same as --limit)"},
        {"per-group", 0, PF_OPT_FLAG, &a.per_group, NULL,
         "rank: one bar per Repology statsgroup (its best repository), like Repology's "
         "top lists"},
        {"eol", 0, PF_OPT_FLAG, &a.eol, NULL,
         "include repositories past their end of life (catalog valid_till)"},
        {NULL, 0, 0, NULL, NULL, NULL},
    };
    const pf_cmdspec spec = {
        "render", "map|trend|rank|badge --out FILE [options]",
        "Draw a chart from the analysis results.",
        "Charts:\n"
        "  map    Repology's map: x = projects in the repository, y = newest projects\n"
        "         (not unique, up to date: Repology's 'newest', 'fresh' on its map),\n"
        "         a dot per repository in its catalog color; the grey zone above\n"
        "         y = x is impossible. --variant newest-pct puts newest % of\n"
        "         comparable on y, --variant nonunique puts non-unique projects on x.\n"
        "  trend  a metric over the stored analysis history, one line per repository\n"
        "         (default: the 8 largest; metric newest-pct).\n"
        "  rank   repositories ranked by a metric, horizontal bars (default\n"
        "         newest-pct).\n"
        "  badge  an SVG badge: see 'pkgfresh render badge --help'.\n"
        "Metrics use 'pkgfresh stats' names (newest-pct = newest_pct, ...); the\n"
        "former names fresh and freshness still mean newest and newest-pct.\n"
        "The output type follows the extension (.png, .svg, .pdf). Repositories past\n"
        "their end of life (catalog valid_till) are left out unless --eol is given.\n\n"
        "Examples:\n"
        "  pkgfresh render map --out map.png --title 'Freshness of Linux distributions'\n"
        "  pkgfresh render map --zoom 40000,20000 --highlight debian --out zoom.png\n"
        "  pkgfresh render trend --only debian_unstable --only ubuntu_24_04 --out t.svg\n"
        "  pkgfresh render rank --metric median-lag --limit 20 --theme dark --out r.png\n"
        "  pkgfresh render rank --per-group --top 10 --out top10.png\n"
        "  pkgfresh render map --label 30 --out map.png",
        opts};
    const char *pos[1];
    int np = pf_opts_parse(&spec, argc, argv, pos, 1);
    if (np == -2)
        return PF_EXIT_OK;
    if (np < 0)
        return PF_EXIT_USAGE;
    if (np != 1 || (strcmp(pos[0], "map") != 0 && strcmp(pos[0], "trend") != 0 &&
                    strcmp(pos[0], "rank") != 0)) {
        pf_err("render: which chart? map, trend or rank (see 'pkgfresh render --help')");
        return PF_EXIT_USAGE;
    }
    a.chart = pos[0];
    if (check_args(&a) != 0)
        return PF_EXIT_USAGE;
    pf_store *st = pf_cli_store(cli);
    if (!st)
        return PF_EXIT_USAGE;
    repo_list rl = {.cat = &cli->catalog, .now = cli->now, .eol = a.eol};
    if (pf_store_each_repo(st, collect_repo, &rl) != 0 || rl.oom) {
        pf_err("render: %s", rl.oom ? "out of memory" : pf_store_errmsg(st));
        free(rl.v);
        return PF_EXIT_PARTIAL;
    }
    id_set *only = calloc(1, sizeof *only);
    int rc;
    if (!only) {
        pf_err("render: out of memory");
        rc = PF_EXIT_PARTIAL;
    } else if (resolve_list(cli, "--only", &a.only, &rl, only) != 0) {
        rc = PF_EXIT_USAGE;
    } else if (strcmp(a.chart, "map") == 0) {
        rc = render_map(cli, &a, &rl, only);
    } else if (strcmp(a.chart, "trend") == 0) {
        rc = render_trend(cli, st, &a, &rl, only);
    } else {
        rc = render_rank(cli, &a, &rl, only);
    }
    free(only);
    free(rl.v);
    /* drop cairo's font and surface caches: leak checkers then see only
     * what is really lost */
    cairo_debug_reset_static_data();
    return rc;
}
