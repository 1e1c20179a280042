/*
 * ui-compare.c — compare/<a>--<b>.html for the configured pairs of
 * repositories (pf_compare_repos, the query `pkgfresh compare` uses): the
 * five counts (newer in A, newer in B, same, only in A, only in B) and the
 * lists, the newer ones by days behind.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "pkgfresh/compare.h"

#define MAX_ROWS 150 /* per list */

/* qsort: most days behind first (unknown last), then name. */
static int cmp_lag(const void *a, const void *b)
{
    const pf_cmp_item *x = *(pf_cmp_item *const *)a, *y = *(pf_cmp_item *const *)b;
    if (x->lag != y->lag)
        return x->lag > y->lag ? -1 : 1;
    return strcmp(x->project, y->project);
}

/* One list of a kind. */
static void list(site *s, const pf_comparison *c, int kind, const char *title,
                 const pf_cmp_item **tmp)
{
    hbuf *b = &s->page;
    size_t n = 0;
    for (size_t i = 0; i < c->nitems; i++)
        if (c->items[i].kind == kind)
            tmp[n++] = &c->items[i];
    if (kind == PF_CMP_NEWER_A || kind == PF_CMP_NEWER_B)
        qsort(tmp, n, sizeof *tmp, cmp_lag);
    h_fmt(b, "<h2 id=\"%s\">", pf_cmp_kind_name(kind));
    h_text(b, title);
    h_raw(b, " (");
    h_num(b, (long)n);
    h_raw(b, ")</h2>\n<table class=\"sortable\">\n<thead><tr><th>project</th><th>A</th>"
             "<th>B</th><th class=\"n\">days behind</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < n && i < MAX_ROWS; i++) {
        const pf_cmp_item *it = tmp[i];
        h_raw(b, "<tr><td>");
        ui_project_link(s, "../", model_project(s, it->project), it->project);
        h_raw(b, "</td><td>");
        h_text(b, it->raw_a ? it->raw_a : "-");
        h_raw(b, "</td><td>");
        h_text(b, it->raw_b ? it->raw_b : "-");
        h_raw(b, "</td><td class=\"n\">");
        h_days(b, it->lag);
        h_raw(b, "</td></tr>\n");
    }
    h_raw(b, "</tbody></table>\n");
    if (n > MAX_ROWS)
        h_fmt(b,
              "<p class=\"note\">The first %d shown; all: <code>pkgfresh compare A B --list "
              "%s</code>.</p>\n",
              MAX_ROWS, pf_cmp_kind_name(kind));
}

/* One compare page. */
static int page(site *s, int a, int bi, long *done)
{
    const m_repo *ra = &s->repos[a], *rb = &s->repos[bi];
    pf_comparison c;
    memset(&c, 0, sizeof c);
    char err[512] = "";
    if (pf_compare_repos(s->st, ra->id, rb->id, &c, err, sizeof err) != 0) {
        snprintf(s->err, sizeof s->err, "compare %s %s: %s", ra->id, rb->id, err);
        return -1;
    }
    const pf_cmp_item **tmp = malloc((c.nitems ? c.nitems : 1) * sizeof *tmp);
    if (!tmp) {
        pf_comparison_free(&c);
        snprintf(s->err, sizeof s->err, "out of memory");
        return -1;
    }
    hbuf *b = &s->page;
    char title[512];
    snprintf(title, sizeof title, "%s vs %s", ra->title, rb->title);
    ui_begin(s, "../", title, NULL);
    h_raw(b, "<p>A = ");
    ui_repo_link(s, "../", a);
    h_raw(b, ", B = ");
    ui_repo_link(s, "../", bi);
    h_raw(b, ". Each project in either lands in exactly one row.</p>\n<table>\n<thead><tr>"
             "<th>kind</th><th class=\"n\">projects</th><th class=\"n\">%</th></tr></thead>\n"
             "<tbody>\n");
    long total = 0;
    for (int k = 0; k < PF_CMP_NKINDS; k++)
        total += c.count[k];
    for (int k = 0; k < PF_CMP_NKINDS; k++) {
        h_fmt(b, "<tr><td><a href=\"#%s\">%s</a></td><td class=\"n\">", pf_cmp_kind_name(k),
              pf_cmp_kind_name(k));
        h_num(b, c.count[k]);
        h_fmt(b, "</td><td class=\"n\">%.1f</td></tr>\n",
              total ? 100.0 * (double)c.count[k] / (double)total : 0.0);
    }
    h_raw(b, "</tbody></table>\n");
    static const char *const titles[PF_CMP_NKINDS] = {"Newer in A", "Newer in B", "Same version",
                                                      "Only in A", "Only in B"};
    for (int k = 0; k < PF_CMP_NKINDS; k++)
        list(s, &c, k, titles[k], tmp);
    free(tmp);
    pf_comparison_free(&c);
    char rel[512];
    snprintf(rel, sizeof rel, "compare/%s--%s.html", ra->fname, rb->fname);
    (*done)++;
    return ui_end(s, rel);
}

/* Every configured pair whose repositories are both in the site. */
int ui_compare(site *s)
{
    long done = 0;
    for (size_t i = 0; i < s->o->npairs; i++) {
        int a = model_repo(s, s->o->pairs[i].a), b = model_repo(s, s->o->pairs[i].b);
        if (a < 0 || b < 0 || a == b)
            continue;
        if (page(s, a, b, &done) != 0)
            return -1;
    }
    return 0;
}
