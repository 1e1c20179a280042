/*
 * ui-search.c — search.html and search-index.js: every project name with
 * its page (when it has one) and the repositories that have it, as one
 * compact script file the page loads (a <script> works from file://, where
 * fetching a data file does not). Without scripts the page says where to
 * look instead.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* A JSON string (with "<" escaped so it can never close a script element). */
static void json_str(hbuf *b, const char *str)
{
    char clean[2048];
    h_clean(str, clean, sizeof clean);
    h_raw(b, "\"");
    for (const char *p = clean; *p; p++) {
        if (*p == '"' || *p == '\\')
            h_fmt(b, "\\%c", *p);
        else if (*p == '<')
            h_raw(b, "\\u003c");
        else
            h_rawn(b, p, 1);
    }
    h_raw(b, "\"");
}

/* The index script: PF_INDEX = {r: [titles], p: [[name, page|0, [repos]], ...]}. */
static int index_js(site *s)
{
    hbuf js = {0};
    h_raw(&js, "window.PF_INDEX={r:[");
    for (size_t i = 0; i < s->nrepos; i++) {
        if (i)
            h_raw(&js, ",");
        json_str(&js, s->repos[i].id);
    }
    h_raw(&js, "],p:[\n");
    for (size_t i = 0; i < s->nprojects; i++) {
        const m_project *p = &s->projects[i];
        h_raw(&js, "[");
        json_str(&js, p->name);
        h_raw(&js, ",");
        if (p->has_page)
            json_str(&js, p->fname);
        else
            h_raw(&js, "0");
        h_raw(&js, ",[");
        int last = -1;
        for (size_t k = 0; k < p->n; k++) {
            int r = s->pkgs[s->by_project[p->first + k]].repo;
            if (r == last)
                continue;
            h_fmt(&js, "%s%d", last < 0 ? "" : ",", r);
            last = r;
        }
        h_raw(&js, "]],\n");
    }
    h_raw(&js, "]};\n");
    int rc = ui_put(s, "search-index.js", &js);
    h_free(&js);
    return rc;
}

/* The search page and its index. */
int ui_search(site *s)
{
    if (index_js(s) != 0)
        return -1;
    hbuf *b = &s->page;
    ui_begin(s, "", "Search projects", NULL);
    h_raw(b, "<form action=\"search.html\" method=\"get\"><p><label for=\"q\">Project name "
             "contains:</label> <input id=\"q\" name=\"q\" type=\"search\" autocomplete=\"off\">"
             "</p></form>\n<noscript><p>Searching needs JavaScript. Without it, every project "
             "packaged by two families or more has a page under <code>project/</code>, and each "
             "repository page lists its outdated projects.</p></noscript>\n"
             "<div id=\"results\"></div>\n<script src=\"search-index.js\"></script>\n");
    return ui_end(s, "search.html");
}
