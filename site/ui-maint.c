/*
 * ui-maint.c — maintainer/<address>.html, one page per maintainer address
 * found in the indexes: their packages in every repository of the site with
 * status, best version and days behind, outdated ones first (most days
 * behind first) — the page a packager bookmarks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "pkgfresh/record.h"

#define MAX_ROWS 500

/* qsort_r: outdated first (most days behind, unknown last), then repository,
 * package name. */
static int cmp_pkg(const void *a, const void *b, void *ctx)
{
    const site *s = ctx;
    const m_pkg *x = &s->pkgs[*(const size_t *)a], *y = &s->pkgs[*(const size_t *)b];
    int ox = x->status == PF_S_OUTDATED, oy = y->status == PF_S_OUTDATED;
    if (ox != oy)
        return ox ? -1 : 1;
    if (ox && x->lag != y->lag)
        return x->lag > y->lag ? -1 : 1;
    if (x->repo != y->repo)
        return x->repo < y->repo ? -1 : 1;
    int c = strcmp(x->srcname, y->srcname);
    if (c)
        return c;
    return strcmp(x->project, y->project);
}

/* One maintainer's page. */
static int page(site *s, const m_maint *mt, size_t *order)
{
    hbuf *b = &s->page;
    memcpy(order, &s->maint_pkgs[mt->first], mt->n * sizeof *order);
    qsort_r(order, mt->n, sizeof *order, cmp_pkg, s);
    char feed[300], rel[300];
    snprintf(feed, sizeof feed, "%s.atom", mt->fname);
    ui_begin(s, "../", mt->email, feed);
    h_raw(b, "<p>");
    h_num(b, (long)mt->n);
    h_raw(b, " packages, ");
    h_num(b, mt->outdated);
    h_fmt(b, " outdated. <a href=\"%s.atom\">Feed of changes</a> (Atom).</p>\n", mt->fname);
    h_raw(b, "<table class=\"sortable\">\n<thead><tr><th>repository</th><th>package</th>"
             "<th>project</th><th>version</th><th>status</th><th>best version</th>"
             "<th class=\"n\">days behind</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < mt->n && i < MAX_ROWS; i++) {
        const m_pkg *p = &s->pkgs[order[i]];
        h_raw(b, "<tr><td>");
        ui_repo_link(s, "../", p->repo);
        h_raw(b, "</td><td>");
        h_text(b, p->srcname);
        h_raw(b, "</td><td>");
        ui_project_link(s, "../", &s->projects[p->project_idx], p->project);
        h_raw(b, "</td>");
        ui_pkg_cells(s, p);
        h_raw(b, "</tr>\n");
    }
    h_raw(b, "</tbody></table>\n");
    if (mt->n > MAX_ROWS) {
        h_fmt(b,
              "<p>The first %d shown. All outdated ones: <code>pkgfresh outdated REPO "
              "--maintainer ",
              MAX_ROWS);
        h_text(b, mt->email);
        h_raw(b, "</code></p>\n");
    }
    snprintf(rel, sizeof rel, "maintainer/%s.html", mt->fname);
    return ui_end(s, rel);
}

/* Every maintainer page. */
int ui_maint(site *s)
{
    size_t most = 1;
    for (size_t m = 0; m < s->nmaints; m++)
        if (s->maints[m].n > most)
            most = s->maints[m].n;
    size_t *order = malloc(most * sizeof *order);
    if (!order) {
        snprintf(s->err, sizeof s->err, "out of memory");
        return -1;
    }
    int rc = 0;
    for (size_t m = 0; m < s->nmaints && rc == 0; m++)
        rc = page(s, &s->maints[m], order);
    free(order);
    return rc;
}
