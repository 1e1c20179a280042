/*
 * badge.c — SVG badges written as text, with cells sized from cairo's
 * measurement of DejaVu Sans 11 px (so text fits whatever the names):
 * Repology's vertical "packaging status" badge (a row per repository,
 * colored by status), a flat "label | value" badge (the version in one
 * repository, a repository's newest %), and pf_site_badge, which reads what
 * one badge needs from the store for `pkgfresh render badge`.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "pkgfresh/grow.h"
#include "pkgfresh/record.h"
#include "pkgfresh/render.h"
#include "pkgfresh/version.h"

#define FONT_PX  11.0
#define PAD      6.0 /* text padding on each side of a cell */
#define ROW_H    20.0
#define TITLE_H  22.0
#define FONT_ATT "font-family=\"DejaVu Sans,Verdana,Geneva,sans-serif\" font-size=\"11\""

/* Both measurers; 0 or -1. */
int badge_fonts_open(badge_fonts *f)
{
    f->regular = pf_text_measure_new(FONT_PX, 0);
    f->bold = pf_text_measure_new(FONT_PX, 1);
    if (!f->regular || !f->bold) {
        badge_fonts_close(f);
        return -1;
    }
    return 0;
}

/* Release the measurers. */
void badge_fonts_close(badge_fonts *f)
{
    pf_text_measure_free(f->regular);
    pf_text_measure_free(f->bold);
    f->regular = f->bold = NULL;
}

/* Repology's palette: green newest/devel/unique, red outdated, grey the rest. */
const char *badge_color(int status)
{
    switch (status) {
    case PF_S_NEWEST:
    case PF_S_DEVEL:
    case PF_S_UNIQUE:
        return "#4c1";
    case PF_S_OUTDATED:
        return "#e05d44";
    case PF_S_LEGACY:
        return "#f0b4a8";
    default:
        return "#9f9f9f";
    }
}

/* Red, yellow, green by newest %. */
const char *badge_pct_color(double pct)
{
    if (pct < 0)
        return "#9f9f9f";
    return pct < 50 ? "#e05d44" : pct < 75 ? "#dfb317" : "#4c1";
}

/* Width of a cleaned text, rounded up. */
static double text_w(pf_text_measure *m, const char *s)
{
    char clean[1024];
    h_clean(s, clean, sizeof clean);
    return ceil(pf_text_measure_width(m, clean));
}

/* A text element (x anchored as given), escaped. */
static void text_el(hbuf *b, double x, double y, const char *anchor, const char *extra,
                    const char *s)
{
    h_fmt(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s>", x, y, anchor, extra);
    h_text(b, s);
    h_raw(b, "</text>\n");
}

/* Vertical badge. */
void badge_vertical(hbuf *b, badge_fonts *f, const char *title, const badge_row *rows, size_t n)
{
    double lw = 0, vw = 0, tw = text_w(f->bold, title) + 2 * PAD;
    for (size_t i = 0; i < n; i++) {
        double w1 = text_w(f->regular, rows[i].label), w2 = text_w(f->regular, rows[i].value);
        lw = w1 > lw ? w1 : lw;
        vw = w2 > vw ? w2 : vw;
    }
    lw += 2 * PAD;
    vw += 2 * PAD;
    if (lw + vw < tw)
        vw = tw - lw;
    double w = lw + vw, h = TITLE_H + ROW_H * (double)n;
    h_fmt(b,
          "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
          "role=\"img\" aria-label=\"",
          w, h);
    h_text(b, title);
    h_raw(b, "\">\n<title>");
    h_text(b, title);
    h_fmt(b,
          "</title>\n<clipPath id=\"r\"><rect width=\"%.0f\" height=\"%.0f\" rx=\"3\"/>"
          "</clipPath>\n<g clip-path=\"url(#r)\">\n<rect width=\"%.0f\" height=\"%.0f\" "
          "fill=\"#555\"/>\n",
          w, h, w, h);
    for (size_t i = 0; i < n; i++)
        h_fmt(b, "<rect x=\"%.0f\" y=\"%.0f\" width=\"%.0f\" height=\"%.0f\" fill=\"%s\"/>\n", lw,
              TITLE_H + ROW_H * (double)i, vw, ROW_H, badge_color(rows[i].status));
    h_raw(b, "</g>\n<g fill=\"#fff\" " FONT_ATT ">\n");
    text_el(b, w / 2, 15, "middle", " font-weight=\"bold\"", title);
    for (size_t i = 0; i < n; i++) {
        double y = TITLE_H + ROW_H * (double)i + 14;
        text_el(b, lw - PAD, y, "end", "", rows[i].label);
        text_el(b, lw + vw / 2, y, "middle", "", rows[i].value);
    }
    h_raw(b, "</g>\n</svg>\n");
}

/* Flat badge. */
void badge_flat(hbuf *b, badge_fonts *f, const char *label, const char *value, const char *color)
{
    double lw = text_w(f->regular, label) + 2 * PAD, vw = text_w(f->regular, value) + 2 * PAD;
    double w = lw + vw;
    h_fmt(b,
          "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
          "role=\"img\" aria-label=\"",
          w, ROW_H);
    h_text(b, label);
    h_raw(b, ": ");
    h_text(b, value);
    h_raw(b, "\">\n<title>");
    h_text(b, label);
    h_raw(b, ": ");
    h_text(b, value);
    h_fmt(b,
          "</title>\n<clipPath id=\"r\"><rect width=\"%.0f\" height=\"%.0f\" rx=\"3\"/>"
          "</clipPath>\n<g clip-path=\"url(#r)\">\n<rect width=\"%.0f\" height=\"%.0f\" "
          "fill=\"#555\"/>\n<rect x=\"%.0f\" width=\"%.0f\" height=\"%.0f\" fill=\"%s\"/>\n"
          "</g>\n<g fill=\"#fff\" " FONT_ATT ">\n",
          w, ROW_H, lw, ROW_H, lw, vw, ROW_H, color);
    text_el(b, lw / 2, 14, "middle", "", label);
    text_el(b, lw + vw / 2, 14, "middle", "", value);
    h_raw(b, "</g>\n</svg>\n");
}

/* Rank of a status for picking (lower is better). */
static int status_rank(int st)
{
    switch (st) {
    case PF_S_NEWEST:
    case PF_S_DEVEL:
    case PF_S_UNIQUE:
        return 0;
    case PF_S_OUTDATED:
        return 1;
    case PF_S_LEGACY:
        return 2;
    default:
        return 3;
    }
}

/* Best status, then highest version. */
size_t badge_pick(const int *status, const char *const *version, size_t n)
{
    size_t best = 0;
    for (size_t i = 1; i < n; i++) {
        int ri = status_rank(status[i]), rb = status_rank(status[best]);
        if (ri < rb ||
            (ri == rb && version[i] && version[best] && pf_vercmp(version[i], version[best]) > 0))
            best = i;
    }
    return best;
}

/* ---- pf_site_badge: one badge from the store ----------------------------- */

/* A project's packages, as the badge needs them. Strings copied. */
typedef struct proj_rows {
    const char *only; /* repository filter, or NULL */
    const pf_catalog *cat;
    char **repo, **raw, **version;
    int *status;
    size_t n, cap;
    int oom;
} proj_rows;

/* Copy one package of the project. */
static int add_row(void *ctx, const pf_pkg_view *v)
{
    proj_rows *r = ctx;
    if (r->only && strcmp(r->only, v->repo_id) != 0)
        return 0;
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 16;
        char **a = realloc(r->repo, cap * sizeof *a);
        if (a)
            r->repo = a;
        char **b = realloc(r->raw, cap * sizeof *b);
        if (b)
            r->raw = b;
        char **c = realloc(r->version, cap * sizeof *c);
        if (c)
            r->version = c;
        int *d = realloc(r->status, cap * sizeof *d);
        if (d)
            r->status = d;
        if (!a || !b || !c || !d) {
            r->oom = 1;
            return 1;
        }
        r->cap = cap;
    }
    r->repo[r->n] = strdup(v->repo_id);
    r->raw[r->n] = strdup(v->raw_version ? v->raw_version : "");
    r->version[r->n] = v->version ? strdup(v->version) : NULL;
    r->status[r->n] = v->status;
    r->n++;
    if (!r->repo[r->n - 1] || !r->raw[r->n - 1]) {
        r->oom = 1;
        return 1;
    }
    return 0;
}

/* Free the copies. */
static void rows_free(proj_rows *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->repo[i]);
        free(r->raw[i]);
        free(r->version[i]);
    }
    free(r->repo);
    free(r->raw);
    free(r->version);
    free(r->status);
}

/* Catalog title of a repository id, else the id. */
static const char *title_of(const pf_catalog *cat, const char *id)
{
    const pf_repo *c = cat ? pf_catalog_find(cat, id) : NULL;
    return c && c->title && strcmp(c->id, id) == 0 ? c->title : id;
}

/* The newest % of one repository. */
typedef struct pct_ctx {
    const char *repo;
    double pct;
    int found;
    char title[256];
} pct_ctx;

/* Find the repository's latest statistics. */
static int find_pct(void *ctx, const pf_repo_row *row)
{
    pct_ctx *p = ctx;
    if (strcmp(row->repo_id, p->repo) != 0 || !row->has_stats)
        return 0;
    p->found = 1;
    p->pct = ST_NEWEST_PCT(&row->stats);
    snprintf(p->title, sizeof p->title, "%s", row->title ? row->title : row->repo_id);
    return 1;
}

/* One badge from the store (see site.h). */
char *pf_site_badge(pf_store *st, const pf_catalog *cat, const char *project, const char *repo,
                    size_t *len, char *err, size_t errlen)
{
    hbuf b = {0};
    badge_fonts f = {0};
    proj_rows r = {.only = repo, .cat = cat};
    if (badge_fonts_open(&f) != 0) {
        snprintf(err, errlen, "cannot set up the font (cairo)");
        return NULL;
    }
    if (!project) {
        pct_ctx p = {.repo = repo};
        if (!repo || pf_store_each_repo(st, find_pct, &p) < 0) {
            snprintf(err, errlen, "%s", repo ? pf_store_errmsg(st) : "nothing to show");
            goto fail;
        }
        if (!p.found) {
            snprintf(err, errlen, "repository %s has no analysis", repo);
            goto fail;
        }
        char v[64] = "no data";
        if (p.pct >= 0)
            snprintf(v, sizeof v, "%.1f%% newest", p.pct);
        const pf_repo *c = cat ? pf_catalog_find(cat, repo) : NULL;
        badge_flat(&b, &f, c && c->title ? c->title : p.title, v, badge_pct_color(p.pct));
    } else {
        if (pf_store_each_project_package(st, project, add_row, &r) != 0 || r.oom) {
            snprintf(err, errlen, "%s", r.oom ? "out of memory" : pf_store_errmsg(st));
            goto fail;
        }
        if (r.n == 0) {
            snprintf(err, errlen, "no package of project '%s'%s%s", project, repo ? " in " : "",
                     repo ? repo : "");
            goto fail;
        }
        badge_row *rows = calloc(r.n, sizeof *rows);
        if (!rows) {
            snprintf(err, errlen, "out of memory");
            goto fail;
        }
        size_t nrows = 0;
        for (size_t i = 0; i < r.n;) {
            size_t j = i;
            while (j < r.n && strcmp(r.repo[j], r.repo[i]) == 0)
                j++;
            size_t k = i + badge_pick(r.status + i, (const char *const *)r.version + i, j - i);
            rows[nrows++] = (badge_row){title_of(cat, r.repo[k]), r.raw[k], r.status[k]};
            i = j;
        }
        if (repo)
            badge_flat(&b, &f, rows[0].label, rows[0].value, badge_color(rows[0].status));
        else
            badge_vertical(&b, &f, "Packaging status", rows, nrows);
        free(rows);
    }
    if (b.oom) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    rows_free(&r);
    badge_fonts_close(&f);
    *len = b.len;
    return b.p;
fail:
    rows_free(&r);
    badge_fonts_close(&f);
    h_free(&b);
    return NULL;
}
