/*
 * ui-feed.c — Atom feeds, one per repository (repo/<id>.atom) and one per
 * maintainer (maintainer/<address>.atom): the projects that became outdated
 * (the next newer version was first seen after the previous analysis) or
 * were updated (the repository has a version it did not have at the
 * previous analysis). The first analysis has no "before", so its feeds are
 * empty. Entries are dated with the analysis that found them.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "internal.h"
#include "pkgfresh/record.h"
#include "pkgfresh/utctime.h"

#define MAX_ENTRIES 200

/* RFC 3339 UTC time. */
static void rfc3339(int64_t t, char *buf, size_t len)
{
    pf_utc_format(t, PF_UTC_ISO, buf, len);
}

/* What changed for a package since the previous analysis: 1 updated,
 * 2 became outdated, 0 nothing. */
static int change(const site *s, const m_pkg *p)
{
    if (s->prev_taken <= 0)
        return 0;
    if (p->status == PF_S_OUTDATED && p->lag >= 0 &&
        (double)s->taken - p->lag * 86400.0 > (double)s->prev_taken)
        return 2;
    if (p->is_new)
        return 1;
    return 0;
}

/* One entry. */
static void entry(site *s, hbuf *b, const m_pkg *p, int kind, const char *when, const char *feed_id)
{
    const m_repo *r = &s->repos[p->repo];
    const m_project *pj = &s->projects[p->project_idx];
    h_raw(b, "<entry>\n<title>");
    h_text(b, p->project);
    h_raw(b, " ");
    h_text(b, p->raw);
    h_raw(b, kind == 2 ? " is outdated in " : " is new in ");
    h_text(b, r->title);
    h_raw(b, "</title>\n<id>");
    h_text(b, feed_id);
    h_raw(b, "/");
    h_query(b, r->id);
    h_raw(b, "/");
    h_query(b, p->project);
    h_raw(b, "/");
    h_query(b, p->raw);
    h_fmt(b, "/%s</id>\n<updated>%s</updated>\n", kind == 2 ? "outdated" : "updated", when);
    if (pj->has_page) {
        h_raw(b, "<link href=\"");
        if (s->o->base_url) {
            h_text(b, s->o->base_url);
            h_raw(b, "/");
        } else {
            h_raw(b, "../");
        }
        h_fmt(b, "project/%s.html\"/>\n", pj->fname);
    }
    h_raw(b, "<content type=\"text\">");
    h_text(b, p->srcname);
    h_raw(b, " ");
    h_text(b, p->raw);
    if (kind == 2) {
        h_raw(b, ": ");
        h_text(b, p->best);
        h_raw(b, " is out");
    }
    h_raw(b, "</content>\n</entry>\n");
}

/* One feed over packages idx[0..n) (or every package of repository `repo`
 * when idx is NULL). */
static int feed(site *s, const char *rel, const char *title, const size_t *idx, size_t n, int repo)
{
    hbuf *b = &s->page;
    char when[40], id[600];
    rfc3339(s->taken, when, sizeof when);
    snprintf(id, sizeof id, "%s%s%s",
             s->o->base_url ? s->o->base_url : "tag:pkgfresh,2026:", s->o->base_url ? "/" : "",
             rel);
    h_reset(b);
    h_raw(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
             "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<title>");
    h_text(b, title);
    h_raw(b, "</title>\n<id>");
    h_text(b, id);
    h_fmt(b,
          "</id>\n<updated>%s</updated>\n<author><name>pkgfresh</name></author>\n"
          "<generator>pkgfresh " PKGFRESH_VERSION "</generator>\n",
          when);
    size_t count = idx ? n : s->npkgs, shown = 0;
    for (size_t i = 0; i < count && shown < MAX_ENTRIES; i++) {
        const m_pkg *p = &s->pkgs[idx ? idx[i] : i];
        if (!idx && p->repo != repo)
            continue;
        int kind = change(s, p);
        if (kind) {
            entry(s, b, p, kind, when, id);
            shown++;
        }
    }
    h_raw(b, "</feed>\n");
    return ui_put(s, rel, b);
}

/* Every repository's and maintainer's feed. */
int ui_feed(site *s)
{
    char rel[300], title[600];
    for (size_t i = 0; i < s->nrepos; i++) {
        snprintf(rel, sizeof rel, "repo/%s.atom", s->repos[i].fname);
        snprintf(title, sizeof title, "%s: outdated and updated projects", s->repos[i].title);
        if (feed(s, rel, title, NULL, 0, (int)i) != 0)
            return -1;
    }
    for (size_t m = 0; m < s->nmaints; m++) {
        const m_maint *mt = &s->maints[m];
        snprintf(rel, sizeof rel, "maintainer/%s.atom", mt->fname);
        snprintf(title, sizeof title, "%s: outdated and updated packages", mt->email);
        if (feed(s, rel, title, &s->maint_pkgs[mt->first], mt->n, -1) != 0)
            return -1;
    }
    return 0;
}
