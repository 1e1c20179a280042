/*
 * ui-index.c — index.html: the size / freshness map (PNG, SVG), the
 * ranking by newest %, Repology's top lists (most projects, most
 * non-unique, most newest, best newest %), the statistics table of every
 * repository (sortable with the script) and the compare pages.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "pkgfresh/render.h"

/* Render a chart into a scratch file and put it at rel. */
static int put_chart(site *s, const char *rel, int rc, const char *scratch, const char *err)
{
    if (rc != 0) {
        snprintf(s->err, sizeof s->err, "%s: %s", rel, err);
        return -1;
    }
    if (tree_put_path(s->tree, rel, scratch) != 0) {
        snprintf(s->err, sizeof s->err, "%s", s->tree->err);
        return -1;
    }
    return 0;
}

/* The map as PNG and SVG, and the ranking PNG. */
static int charts(site *s)
{
    size_t n = s->nrepos;
    pf_map_point *pts = calloc(n ? n : 1, sizeof *pts);
    pf_rank_item *items = calloc(n ? n : 1, sizeof *items);
    int rc = -1;
    if (!pts || !items) {
        snprintf(s->err, sizeof s->err, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        const m_repo *r = &s->repos[i];
        pts[i] = (pf_map_point){r->id, r->title, r->color, (double)r->stats.num_projects,
                                (double)ST_NEWEST(&r->stats)};
        items[i] = (pf_rank_item){r->id, r->title, r->color, ST_NEWEST_PCT(&r->stats)};
    }
    char sub[96], scratch[4200], err[512] = "";
    snprintf(sub, sizeof sub, "data of %s · pkgfresh %s", s->date, PKGFRESH_VERSION);
    static const char *const map_files[] = {"img/map.png", "img/map.svg"};
    for (size_t k = 0; k < 2; k++) {
        pf_map_opts mo;
        pf_map_opts_default(&mo);
        mo.title = "Projects vs newest projects";
        mo.subtitle = sub;
        tree_scratch(s->tree, k ? "map.svg" : "map.png", scratch, sizeof scratch);
        if (put_chart(s, map_files[k], pf_render_map(pts, n, &mo, scratch, err, sizeof err),
                      scratch, err) != 0)
            goto done;
    }
    pf_rank_opts ro;
    pf_rank_opts_default(&ro);
    ro.title = "Newest % by repository";
    ro.subtitle = sub;
    ro.xlabel = "newest / comparable projects";
    ro.fmt = PF_FMT_PERCENT;
    tree_scratch(s->tree, "rank.png", scratch, sizeof scratch);
    if (put_chart(s, "img/rank.png", pf_render_rank(items, n, &ro, scratch, err, sizeof err),
                  scratch, err) != 0)
        goto done;
    rc = 0;
done:
    free(pts);
    free(items);
    return rc;
}

/* Sort context for the top lists. */
typedef struct top_key {
    const site *s;
    int which;
} top_key;

/* The value a top list ranks by (-1 unknown). */
static double top_value(const m_repo *r, int which)
{
    switch (which) {
    case 0:
        return (double)r->stats.num_projects;
    case 1:
        return (double)(r->stats.num_projects - r->stats.num_unique);
    case 2:
        return (double)ST_NEWEST(&r->stats);
    default:
        return ST_NEWEST_PCT(&r->stats);
    }
}

/* qsort_r: larger value first, then id. */
static int cmp_top(const void *a, const void *b, void *ctx)
{
    const top_key *k = ctx;
    const m_repo *x = &k->s->repos[*(const int *)a], *y = &k->s->repos[*(const int *)b];
    double vx = top_value(x, k->which), vy = top_value(y, k->which);
    if (vx != vy)
        return vx > vy ? -1 : 1;
    return strcmp(x->id, y->id);
}

/* One top list (at most 10 repositories). */
static void top_list(site *s, int *order, int which, const char *title)
{
    hbuf *b = &s->page;
    top_key k = {s, which};
    for (size_t i = 0; i < s->nrepos; i++)
        order[i] = (int)i;
    qsort_r(order, s->nrepos, sizeof *order, cmp_top, &k);
    h_raw(b, "<section><h3>");
    h_text(b, title);
    h_raw(b, "</h3>\n<ol>\n");
    for (size_t i = 0; i < s->nrepos && i < 10; i++) {
        const m_repo *r = &s->repos[order[i]];
        double v = top_value(r, which);
        if (v < 0)
            continue;
        h_raw(b, "<li>");
        ui_repo_link(s, "", order[i]);
        h_raw(b, ": ");
        if (which == 3)
            h_fmt(b, "%.2f%%", v);
        else
            h_num(b, (long)v);
        h_raw(b, "</li>\n");
    }
    h_raw(b, "</ol></section>\n");
}

/* A number cell with its sort value. */
static void num_cell(hbuf *b, long v)
{
    h_raw(b, "<td class=\"n\">");
    h_num(b, v);
    h_raw(b, "</td>");
}

/* A real cell: "12.34" or "-". */
static void real_cell(hbuf *b, double v, const char *fmt)
{
    if (v < 0)
        h_raw(b, "<td class=\"n\">-</td>");
    else
        h_fmt(b, fmt, v);
}

/* The statistics table. */
static void stats_table(site *s)
{
    hbuf *b = &s->page;
    h_raw(b, "<h2 id=\"repos\">Repositories</h2>\n"
             "<p class=\"note\">As Repology counts them: <b>newest</b> = projects that are not "
             "unique to the family and have a newest (or devel) package and no outdated one; "
             "<b>newest %</b> = newest / comparable (newest + outdated + incorrect). "
             "Days behind: median over outdated projects.</p>\n"
             "<table class=\"sortable\" id=\"stats\">\n<thead><tr><th>repository</th>"
             "<th>family</th><th class=\"n\">packages</th><th class=\"n\">projects</th>"
             "<th class=\"n\">unique</th><th class=\"n\">newest</th><th class=\"n\">outdated</th>"
             "<th class=\"n\">comparable</th><th class=\"n\">newest %</th>"
             "<th class=\"n\">problematic</th><th class=\"n\">maintainers</th>"
             "<th class=\"n\">days behind</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < s->nrepos; i++) {
        const m_repo *r = &s->repos[i];
        const pf_repo_stats *st = &r->stats;
        h_raw(b, "<tr><td>");
        ui_repo_link(s, "", (int)i);
        h_raw(b, "</td><td>");
        h_text(b, r->family);
        h_raw(b, "</td>");
        num_cell(b, st->num_packages);
        num_cell(b, st->num_projects);
        num_cell(b, st->num_unique);
        num_cell(b, ST_NEWEST(st));
        num_cell(b, st->num_outdated);
        num_cell(b, st->num_comparable);
        real_cell(b, ST_NEWEST_PCT(st), "<td class=\"n\">%.2f</td>");
        num_cell(b, st->num_problematic);
        num_cell(b, st->num_maintainers);
        real_cell(b, st->median_lag_days, "<td class=\"n\">%.0f</td>");
        h_raw(b, "</tr>\n");
    }
    h_raw(b, "</tbody></table>\n");
}

/* index.html and its charts. */
int ui_index(site *s)
{
    if (charts(s) != 0)
        return -1;
    int *order = malloc((s->nrepos ? s->nrepos : 1) * sizeof *order);
    if (!order) {
        snprintf(s->err, sizeof s->err, "out of memory");
        return -1;
    }
    hbuf *b = &s->page;
    ui_begin(s, "", "Package freshness by repository", NULL);
    h_fmt(b, "<p>%zu repositories, ", s->nrepos);
    h_num(b, (long)s->nprojects);
    h_raw(b, " projects, ");
    h_num(b, (long)s->npkgs);
    h_raw(b, " packages. <a href=\"search.html\">Search a project</a>.</p>\n"
             "<h2>Map</h2>\n<p><a href=\"img/map.svg\"><img class=\"chart\" src=\"img/map.png\" "
             "width=\"1140\" height=\"800\" alt=\"Map: projects (x) against newest projects (y) "
             "per repository\"></a></p>\n<p class=\"note\">x: projects in the repository; y: "
             "newest projects. The grey zone above the diagonal cannot be reached. "
             "<a href=\"img/map.svg\">SVG</a>, <a href=\"img/map.png\">PNG</a>.</p>\n"
             "<h2>Ranking</h2>\n<p><img class=\"chart\" src=\"img/rank.png\" alt=\"Newest % "
             "by repository\"></p>\n<h2>Top</h2>\n<div class=\"tops\">\n");
    top_list(s, order, 0, "Most projects");
    top_list(s, order, 1, "Most non-unique projects");
    top_list(s, order, 2, "Most newest projects");
    top_list(s, order, 3, "Best newest %");
    h_raw(b, "</div>\n");
    free(order);
    stats_table(s);
    if (s->o->npairs) {
        h_raw(b, "<h2>Comparisons</h2>\n<ul>\n");
        for (size_t i = 0; i < s->o->npairs; i++) {
            int a = model_repo(s, s->o->pairs[i].a), c = model_repo(s, s->o->pairs[i].b);
            if (a < 0 || c < 0 || a == c)
                continue;
            h_fmt(b, "<li><a href=\"compare/%s--%s.html\">", s->repos[a].fname, s->repos[c].fname);
            h_text(b, s->repos[a].title);
            h_raw(b, " vs ");
            h_text(b, s->repos[c].title);
            h_raw(b, "</a></li>\n");
        }
        h_raw(b, "</ul>\n");
    }
    return ui_end(s, "index.html");
}
