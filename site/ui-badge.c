/*
 * ui-badge.c — the site's badge files: badge/project/<name>.svg (the
 * vertical packaging-status badge of every project that has a page) and
 * badge/repo/<id>.svg (a repository's newest %).
 */
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"

/* One project's badge: a row per repository, its best package. */
static int project_badge(site *s, badge_fonts *f, const m_project *pj, badge_row *rows, int *status,
                         const char **version)
{
    size_t nrows = 0;
    for (size_t i = 0; i < pj->n;) {
        size_t j = i;
        int repo = s->pkgs[s->by_project[pj->first + i]].repo;
        while (j < pj->n && s->pkgs[s->by_project[pj->first + j]].repo == repo) {
            const m_pkg *p = &s->pkgs[s->by_project[pj->first + j]];
            status[j - i] = p->status;
            version[j - i] = p->version;
            j++;
        }
        const m_pkg *best =
            &s->pkgs[s->by_project[pj->first + i + badge_pick(status, version, j - i)]];
        rows[nrows++] = (badge_row){s->repos[repo].title, best->raw, best->status};
        i = j;
    }
    h_reset(&s->page);
    badge_vertical(&s->page, f, "Packaging status", rows, nrows);
    char rel[300];
    snprintf(rel, sizeof rel, "badge/project/%s.svg", pj->fname);
    return ui_put(s, rel, &s->page);
}

/* Every badge. */
int ui_badges(site *s)
{
    badge_fonts f = {0};
    size_t most = 1;
    for (size_t i = 0; i < s->nprojects; i++)
        if (s->projects[i].n > most)
            most = s->projects[i].n;
    badge_row *rows = calloc(most, sizeof *rows);
    int *status = calloc(most, sizeof *status);
    const char **version = calloc(most, sizeof *version);
    int rc = -1;
    if (!rows || !status || !version || badge_fonts_open(&f) != 0) {
        snprintf(s->err, sizeof s->err, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < s->nprojects; i++)
        if (s->projects[i].has_page &&
            project_badge(s, &f, &s->projects[i], rows, status, version) != 0)
            goto done;
    for (size_t i = 0; i < s->nrepos; i++) {
        const m_repo *r = &s->repos[i];
        double pct = ST_NEWEST_PCT(&r->stats);
        char v[64] = "no data", rel[300];
        if (pct >= 0)
            snprintf(v, sizeof v, "%.1f%% newest", pct);
        h_reset(&s->page);
        badge_flat(&s->page, &f, r->title, v, badge_pct_color(pct));
        snprintf(rel, sizeof rel, "badge/repo/%s.svg", r->fname);
        if (ui_put(s, rel, &s->page) != 0)
            goto done;
    }
    rc = 0;
done:
    badge_fonts_close(&f);
    free(rows);
    free(status);
    free(version);
    return rc;
}
