/*
 * ui-project.c — project/<name>.html for every project that at least two
 * families package (the others are found through the search page): each
 * repository's packages with versions colored by status as on Repology,
 * the packaging-status badge and its snippets.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "pkgfresh/record.h"

/* One project page. */
static int page(site *s, const m_project *pj)
{
    hbuf *b = &s->page;
    ui_begin(s, "../", pj->name, NULL);
    h_fmt(b, "<p>In %d families. <a href=\"../badge/project/%s.svg\">Badge</a>.</p>\n",
          pj->families, pj->fname);
    h_raw(b, "<table class=\"sortable\">\n<thead><tr><th>repository</th><th>package</th>"
             "<th>version</th><th>status</th><th>best version</th><th class=\"n\">days behind"
             "</th><th>homepage</th></tr></thead>\n<tbody>\n");
    for (size_t k = 0; k < pj->n; k++) {
        const m_pkg *p = &s->pkgs[s->by_project[pj->first + k]];
        h_raw(b, "<tr><td>");
        ui_repo_link(s, "../", p->repo);
        h_raw(b, "</td><td>");
        h_text(b, p->srcname);
        h_raw(b, "</td>");
        ui_pkg_cells(s, p);
        h_raw(b, "<td>");
        if (p->homepage)
            h_ext_link(b, p->homepage, p->homepage);
        h_raw(b, "</td></tr>\n");
    }
    h_fmt(b,
          "</tbody></table>\n<h2>Badge</h2>\n<p><img src=\"../badge/project/%s.svg\" "
          "alt=\"packaging status\"></p>\n<p>Markdown:</p>\n<pre>[![packaging status](",
          pj->fname);
    const char *base = s->o->base_url ? s->o->base_url : "";
    const char *sep = s->o->base_url ? "/" : "";
    h_text(b, base);
    h_fmt(b, "%sbadge/project/%s.svg)](", sep, pj->fname);
    h_text(b, base);
    h_fmt(b, "%sproject/%s.html)</pre>\n<p>HTML:</p>\n<pre>&lt;a href=&quot;", sep, pj->fname);
    h_text(b, base);
    h_fmt(b, "%sproject/%s.html&quot;&gt;&lt;img src=&quot;", sep, pj->fname);
    h_text(b, base);
    h_fmt(b,
          "%sbadge/project/%s.svg&quot; alt=&quot;packaging status&quot;&gt;&lt;/a&gt;</pre>\n"
          "<p class=\"note\">One repository: <code>pkgfresh render badge ",
          sep, pj->fname);
    h_text(b, pj->name);
    h_raw(b, " --repo REPO --out FILE.svg</code></p>\n");
    char rel[300];
    snprintf(rel, sizeof rel, "project/%s.html", pj->fname);
    return ui_end(s, rel);
}

/* Every project in two families or more. */
int ui_project(site *s)
{
    for (size_t i = 0; i < s->nprojects; i++)
        if (s->projects[i].has_page && page(s, &s->projects[i]) != 0)
            return -1;
    return 0;
}
