/*
 * ui-repo.c — repo/<id>.html, one page per repository: its statistics and
 * their history (trend charts), its freshness badge, the outdated projects
 * by days behind (pf_store_each_outdated; the full list also as CSV), the
 * problematic packages, and the maintainers with their outdated counts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "pkgfresh/grow.h"
#include "pkgfresh/record.h"
#include "pkgfresh/render.h"

#define MAX_OUTDATED_ROWS    400 /* on the page; the CSV has them all */
#define MAX_PROBLEMATIC_ROWS 200
#define MAX_MAINT_ROWS       300

/* History points of one repository, two metrics. */
typedef struct hist {
    pf_trend_point *pct, *outdated;
    size_t n, cap;
    int oom;
} hist;

/* Append one statistics row. */
static int add_hist(void *ctx, const pf_repo_row *row)
{
    hist *h = ctx;
    size_t cap = h->cap;
    pf_trend_point *a = pf_grow_items(h->pct, &cap, h->n, sizeof *a, 32);
    if (a)
        h->pct = a;
    cap = h->cap;
    pf_trend_point *o = pf_grow_items(h->outdated, &cap, h->n, sizeof *o, 32);
    if (o)
        h->outdated = o;
    if (!a || !o) {
        h->oom = 1;
        return 1;
    }
    h->cap = cap;
    h->pct[h->n] = (pf_trend_point){row->stats_taken_at, ST_NEWEST_PCT(&row->stats)};
    h->outdated[h->n] = (pf_trend_point){row->stats_taken_at, (double)row->stats.num_outdated};
    h->n++;
    return 0;
}

/* The two trend charts of a repository. */
static int trends(site *s, const m_repo *r)
{
    hist h = {0};
    int rc = -1;
    if (pf_store_each_history(s->st, r->id, add_hist, &h) != 0 || h.oom) {
        snprintf(s->err, sizeof s->err, "history of %s: %s", r->id,
                 h.oom ? "out of memory" : pf_store_errmsg(s->st));
        goto done;
    }
    for (int k = 0; k < 2; k++) {
        pf_trend_series ser = {r->id, r->title, r->color, k ? h.outdated : h.pct, h.n};
        pf_trend_opts to;
        pf_trend_opts_default(&to);
        to.width = 760;
        to.height = 380;
        to.title = k ? "Outdated projects" : "Newest %";
        to.fmt = k ? PF_FMT_COUNT : PF_FMT_PERCENT;
        char rel[300], scratch[4200], err[512] = "";
        snprintf(rel, sizeof rel, "img/trend-%s-%s.png", r->fname, k ? "outdated" : "newest");
        tree_scratch(s->tree, k ? "trend-o.png" : "trend-n.png", scratch, sizeof scratch);
        if (pf_render_trend(&ser, 1, &to, scratch, err, sizeof err) != 0) {
            snprintf(s->err, sizeof s->err, "%s: %s", rel, err);
            goto done;
        }
        if (tree_put_path(s->tree, rel, scratch) != 0) {
            snprintf(s->err, sizeof s->err, "%s", s->tree->err);
            goto done;
        }
    }
    rc = 0;
done:
    free(h.pct);
    free(h.outdated);
    return rc;
}

/* Outdated rows: page rows (capped) and the CSV (all). */
typedef struct out_ctx {
    site *s;
    hbuf csv;
    long n;
} out_ctx;

/* One outdated package: a row on the page (while under the cap) and in the CSV. */
static int add_outdated(void *ctx, const pf_pkg_view *v)
{
    out_ctx *oc = ctx;
    hbuf *b = &oc->s->page;
    if (oc->n < MAX_OUTDATED_ROWS) {
        h_raw(b, "<tr><td>");
        ui_project_link(oc->s, "../", model_project(oc->s, v->project ? v->project : ""),
                        v->project ? v->project : "");
        h_raw(b, "</td><td>");
        h_text(b, v->srcname);
        h_raw(b, "</td>");
        ui_status_cell(oc->s, v->status, v->raw_version);
        h_raw(b, "<td>");
        h_text(b, v->best_version ? v->best_version : "-");
        h_raw(b, "</td><td class=\"n\">");
        if (v->newer_versions >= 0)
            h_num(b, v->newer_versions);
        else
            h_raw(b, "-");
        h_raw(b, "</td><td class=\"n\">");
        h_days(b, v->lag_days);
        h_raw(b, "</td></tr>\n");
    }
    hbuf *c = &oc->csv;
    h_csv(c, v->project);
    h_raw(c, ",");
    h_csv(c, v->srcname);
    h_raw(c, ",");
    h_csv(c, v->raw_version);
    h_raw(c, ",");
    h_csv(c, v->best_version);
    h_raw(c, ",");
    if (v->newer_versions >= 0)
        h_fmt(c, "%ld", v->newer_versions);
    h_raw(c, ",");
    if (v->lag_days >= 0)
        h_fmt(c, "%.1f", v->lag_days);
    h_raw(c, "\n");
    oc->n++;
    return 0;
}

/* The outdated section and repo/<id>-outdated.csv. */
static int outdated(site *s, int ri)
{
    const m_repo *r = &s->repos[ri];
    hbuf *b = &s->page;
    out_ctx oc = {s, {0}, 0};
    h_raw(&oc.csv, "project,srcname,version,best_version,newer_versions,days_behind\n");
    h_raw(b, "<h2 id=\"outdated\">Outdated projects</h2>\n"
             "<p class=\"note\">Most days behind first: days since the next newer version was "
             "first seen anywhere (\"-\": older than the history).</p>\n"
             "<table class=\"sortable\">\n<thead><tr><th>project</th><th>package</th>"
             "<th>version</th><th>best version</th><th class=\"n\">newer versions</th>"
             "<th class=\"n\">days behind</th></tr></thead>\n<tbody>\n");
    if (pf_store_each_outdated(s->st, r->id, add_outdated, &oc) != 0) {
        snprintf(s->err, sizeof s->err, "outdated of %s: %s", r->id, pf_store_errmsg(s->st));
        h_free(&oc.csv);
        return -1;
    }
    h_raw(b, "</tbody></table>\n");
    h_raw(b, "<p>");
    h_num(b, oc.n);
    h_fmt(b, " outdated packages%s; all of them: <a href=\"%s-outdated.csv\">CSV</a>.</p>\n",
          oc.n > MAX_OUTDATED_ROWS ? " (the first "
                                     "400"
                                     " shown)"
                                   : "",
          r->fname);
    char rel[300];
    snprintf(rel, sizeof rel, "repo/%s-outdated.csv", r->fname);
    int rc = ui_put(s, rel, &oc.csv);
    h_free(&oc.csv);
    return rc;
}

/* Problematic packages from the model. */
static void problematic(site *s, int ri)
{
    hbuf *b = &s->page;
    long n = 0;
    h_raw(b, "<h2 id=\"problematic\">Problematic packages</h2>\n<p class=\"note\">Ignored, "
             "incorrect or untrusted versions.</p>\n<table class=\"sortable\">\n<thead><tr>"
             "<th>project</th><th>package</th><th>version</th><th>status</th></tr></thead>\n"
             "<tbody>\n");
    for (size_t i = 0; i < s->npkgs; i++) {
        const m_pkg *p = &s->pkgs[i];
        if (p->repo != ri || !model_problematic(p->status))
            continue;
        if (n++ >= MAX_PROBLEMATIC_ROWS)
            continue;
        h_raw(b, "<tr><td>");
        ui_project_link(s, "../", &s->projects[p->project_idx], p->project);
        h_raw(b, "</td><td>");
        h_text(b, p->srcname);
        h_raw(b, "</td>");
        ui_status_cell(s, p->status, p->raw);
        h_fmt(b, "<td>%s</td></tr>\n", model_status_class(p->status));
    }
    h_raw(b, "</tbody></table>\n<p>");
    h_num(b, n);
    h_fmt(b, " problematic packages%s.</p>\n",
          n > MAX_PROBLEMATIC_ROWS ? " (the first 200 shown)" : "");
}

/* A maintainer's numbers in one repository. */
typedef struct mrow {
    size_t maint;
    long packages, outdated;
} mrow;

/* qsort: most outdated first, then most packages, then address. */
static int cmp_mrow(const void *a, const void *b, void *ctx)
{
    const site *s = ctx;
    const mrow *x = a, *y = b;
    if (x->outdated != y->outdated)
        return x->outdated > y->outdated ? -1 : 1;
    if (x->packages != y->packages)
        return x->packages > y->packages ? -1 : 1;
    return strcmp(s->maints[x->maint].email, s->maints[y->maint].email);
}

/* Maintainers with their outdated counts in this repository. */
static int maintainers(site *s, int ri)
{
    hbuf *b = &s->page;
    mrow *rows = NULL;
    size_t n = 0, cap = 0;
    for (size_t m = 0; m < s->nmaints; m++) {
        const m_maint *mt = &s->maints[m];
        mrow row = {m, 0, 0};
        for (size_t k = 0; k < mt->n; k++) {
            const m_pkg *p = &s->pkgs[s->maint_pkgs[mt->first + k]];
            if (p->repo != ri)
                continue;
            row.packages++;
            row.outdated += p->status == PF_S_OUTDATED;
        }
        if (!row.packages)
            continue;
        mrow *v = pf_grow_items(rows, &cap, n, sizeof *v, 256);
        if (!v) {
            free(rows);
            snprintf(s->err, sizeof s->err, "out of memory");
            return -1;
        }
        rows = v;
        rows[n++] = row;
    }
    if (n == 0) {
        free(rows);
        return 0;
    }
    qsort_r(rows, n, sizeof *rows, cmp_mrow, s);
    h_raw(b, "<h2 id=\"maintainers\">Maintainers</h2>\n<table class=\"sortable\">\n<thead><tr>"
             "<th>maintainer</th><th class=\"n\">packages</th><th class=\"n\">outdated</th>"
             "</tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < n && i < MAX_MAINT_ROWS; i++) {
        const m_maint *mt = &s->maints[rows[i].maint];
        h_fmt(b, "<tr><td><a href=\"../maintainer/%s.html\">", mt->fname);
        h_text(b, mt->email);
        h_raw(b, "</a></td><td class=\"n\">");
        h_num(b, rows[i].packages);
        h_raw(b, "</td><td class=\"n\">");
        h_num(b, rows[i].outdated);
        h_raw(b, "</td></tr>\n");
    }
    h_raw(b, "</tbody></table>\n<p>");
    h_num(b, (long)n);
    h_fmt(b, " maintainers%s.</p>\n",
          n > MAX_MAINT_ROWS ? " (the 300 with most outdated shown)" : "");
    free(rows);
    return 0;
}

/* The statistics as a definition list. */
static void stats(site *s, const m_repo *r)
{
    hbuf *b = &s->page;
    const pf_repo_stats *st = &r->stats;
    static const char *const labels[] = {"packages", "projects",   "unique",      "newest",
                                         "outdated", "comparable", "problematic", "maintainers"};
    long vals[] = {st->num_packages, st->num_projects,   st->num_unique,      ST_NEWEST(st),
                   st->num_outdated, st->num_comparable, st->num_problematic, st->num_maintainers};
    h_raw(b, "<dl class=\"stats\">\n<dt>family</dt><dd>");
    h_text(b, r->family);
    h_raw(b, "</dd>\n");
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        h_fmt(b, "<dt>%s</dt><dd>", labels[i]);
        h_num(b, vals[i]);
        h_raw(b, "</dd>\n");
    }
    h_raw(b, "<dt>newest %</dt><dd>");
    if (ST_NEWEST_PCT(st) >= 0)
        h_fmt(b, "%.2f", ST_NEWEST_PCT(st));
    else
        h_raw(b, "-");
    h_raw(b, "</dd>\n<dt>days behind (median, p90)</dt><dd>");
    h_days(b, st->median_lag_days);
    h_raw(b, ", ");
    h_days(b, st->p90_lag_days);
    h_raw(b, "</dd>\n</dl>\n");
}

/* Every repository page. */
int ui_repo(site *s)
{
    for (size_t i = 0; i < s->nrepos; i++) {
        const m_repo *r = &s->repos[i];
        if (trends(s, r) != 0)
            return -1;
        hbuf *b = &s->page;
        char feed[300], rel[300];
        snprintf(feed, sizeof feed, "%s.atom", r->fname);
        ui_begin(s, "../", r->title, feed);
        h_raw(b, "<p>Repository <code>");
        h_text(b, r->id);
        h_fmt(b,
              "</code>. <a href=\"%s.atom\">Feed of changes</a> (Atom). "
              "<a href=\"#outdated\">Outdated</a> · <a href=\"#problematic\">problematic</a> · "
              "<a href=\"#maintainers\">maintainers</a>.</p>\n",
              r->fname);
        stats(s, r);
        h_fmt(b,
              "<h2>History</h2>\n<p><img class=\"chart\" src=\"../img/trend-%s-newest.png\" "
              "width=\"760\" height=\"380\" alt=\"Newest %% over time\"> "
              "<img class=\"chart\" src=\"../img/trend-%s-outdated.png\" width=\"760\" "
              "height=\"380\" alt=\"Outdated projects over time\"></p>\n"
              "<h2>Badge</h2>\n<p><img src=\"../badge/repo/%s.svg\" alt=\"newest %% badge\"></p>\n"
              "<pre>&lt;img src=&quot;",
              r->fname, r->fname, r->fname);
        h_text(b, s->o->base_url ? s->o->base_url : "");
        h_fmt(b, "%sbadge/repo/%s.svg&quot; alt=&quot;newest %%&quot;&gt;</pre>\n",
              s->o->base_url ? "/" : "", r->fname);
        if (outdated(s, (int)i) != 0)
            return -1;
        problematic(s, (int)i);
        if (maintainers(s, (int)i) != 0)
            return -1;
        snprintf(rel, sizeof rel, "repo/%s.html", r->fname);
        if (ui_end(s, rel) != 0)
            return -1;
    }
    return 0;
}
