/*
 * internal.h — what the site's files share: the markup buffer and its
 * escaping helpers (html.c), the output tree (tree.c), the in-memory model
 * of the latest analysis (model.c) and one entry point per page kind
 * (ui-<page>.c).
 *
 * Rules every page follows:
 *  - text from an index goes through h_text (escaped, control characters
 *    dropped, invalid UTF-8 replaced); h_raw only takes our own markup;
 *  - links from an index go through h_ext_link (http(s) only);
 *  - file names made from index strings go through site_fname.
 */
#ifndef PKGFRESH_SITE_INTERNAL_H
#define PKGFRESH_SITE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "pkgfresh/site.h"
#include "pkgfresh/store.h"

/* ---- html.c: a growable markup buffer ------------------------------------ */

typedef struct hbuf {
    char *p;
    size_t len, cap;
    int oom; /* an append failed: the content is incomplete */
} hbuf;

void h_reset(hbuf *b);
void h_free(hbuf *b);
/* Our own markup, as is. */
void h_raw(hbuf *b, const char *s);
void h_rawn(hbuf *b, const char *s, size_t n);
/* printf into the buffer: only for our markup and numbers, never index text. */
void h_fmt(hbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Text (or an attribute value) escaped for HTML and XML: & < > " ' become
 * entities, control characters are dropped, invalid UTF-8 becomes U+FFFD.
 * NULL writes nothing. */
void h_text(hbuf *b, const char *s);
/* s percent-encoded for a URL query value (unreserved characters kept). */
void h_query(hbuf *b, const char *s);
/* One CSV field (RFC 4180 quoting when needed; controls dropped, invalid
 * UTF-8 replaced). */
void h_csv(hbuf *b, const char *s);
/* An integer with thousands separators ("12,345"). */
void h_num(hbuf *b, long v);
/* Days behind: "12" (rounded down), "-" when unknown (negative). */
void h_days(hbuf *b, double days);
/* Whether url is an absolute http:// or https:// URL without spaces or
 * control characters: the only links from an index the site writes. */
int h_url_ok(const char *url);
/* <a href="url">text</a> when url passes h_url_ok, else text alone. */
void h_ext_link(hbuf *b, const char *url, const char *text);
/* A copy of s with control characters dropped and invalid UTF-8 replaced
 * (for cairo, which refuses invalid UTF-8), in out (truncated at a
 * character boundary to fit). */
void h_clean(const char *s, char *out, size_t outlen);

/* File name (and URL path segment) for an index string: [a-z0-9._+-] kept,
 * any other byte as "~xx" (hex), a leading dot escaped, names longer than 80
 * bytes cut and suffixed with "~" and a hash; "" is "~". Always one safe path
 * component that needs no escaping in a URL. */
void site_fname(const char *name, char *out, size_t outlen);

/* ---- tree.c: the output folder -------------------------------------------- */

typedef struct site_tree {
    char *out;   /* final folder */
    char *stage; /* "<out>.new.<pid>", built here then swapped in */
    long files, written, unchanged;
    uint64_t bytes;
    size_t largest_page;
    char largest_name[256];
    char lastdir[256]; /* last folder make_parents created */
    char err[512];
} site_tree;

/* Check that out may be replaced, create the staging folder. 0 or -1 (t->err). */
int tree_open(site_tree *t, const char *out);
/* Put one file (rel: "repo/x.html") with these bytes: carried over from the
 * current site when identical, else written. 0 or -1 (t->err). */
int tree_put(site_tree *t, const char *rel, const void *data, size_t len);
/* Put the file at path (a chart rendered to a scratch file), then remove it. */
int tree_put_path(site_tree *t, const char *rel, const char *path);
/* A scratch file name inside the staging folder (not part of the site). */
void tree_scratch(const site_tree *t, const char *name, char *out, size_t outlen);
/* Swap the staging folder into place, remove the previous site. 0 or -1. */
int tree_commit(site_tree *t);
/* Remove the staging folder (after an error); frees t. */
void tree_free(site_tree *t);

/* ---- model.c: the latest analysis in memory ------------------------------- */

/* Repology's "newest" count of a repository (not unique, a newest or devel
 * package, no outdated one). Pages use only these two. */
#define ST_NEWEST(st) ((st)->num_newest)
/* Repology's "newest %": 100 * newest / comparable, -1 unknown. */
#define ST_NEWEST_PCT(st) pf_stats_pct((st)->num_newest, (st)->num_comparable)

typedef struct m_repo {
    const char *id, *title, *family, *color;
    pf_repo_stats stats;
    int has_stats;
    int64_t taken;
    int is_default; /* the catalog's default of its short name */
    char fname[200];
} m_repo;

typedef struct m_pkg {
    int repo; /* index into site.repos */
    int status;
    unsigned flags;
    const char *srcname, *raw, *version, *project, *maint, *best, *homepage;
    long newer;
    double lag; /* days behind, -1 unknown */
    int is_new; /* this (project, version) appeared in the repository since the previous analysis */
    int project_idx;
} m_pkg;

typedef struct m_project {
    const char *name;
    size_t first, n; /* packages by_project[first .. first+n) */
    int families;
    int has_page; /* in at least two families */
    char fname[200];
} m_project;

typedef struct m_maint {
    const char *email;
    size_t first, n; /* package indexes maint_pkgs[first .. first+n) */
    long outdated;
    char fname[200];
} m_maint;

typedef struct site {
    pf_store *st;
    const pf_site_opts *o;
    site_tree *tree;
    void *pool; /* pf_pool: owns every string below */
    m_repo *repos;
    size_t nrepos;
    m_pkg *pkgs;
    size_t npkgs, pkgcap;
    size_t *by_project; /* package indexes sorted by project, repository */
    m_project *projects;
    size_t nprojects;
    size_t *maint_pkgs; /* package indexes grouped by maintainer */
    m_maint *maints;
    size_t nmaints;
    int64_t taken, prev_taken; /* newest and previous analysis (0 none) */
    char date[32];             /* "YYYY-MM-DD" of the newest analysis */
    const char *title;
    hbuf page; /* scratch buffer for the page being written */
    char err[512];
} site;

/* Read repositories, packages and the version-history changes; build the
 * project and maintainer indexes. 0 or -1 (s->err). */
int model_load(site *s);
void model_free(site *s);
/* Repository index of an id, -1 if not in the site. */
int model_repo(const site *s, const char *id);
/* Project by name, NULL if unknown. */
const m_project *model_project(const site *s, const char *name);
/* Status color class: "newest", "outdated", ... (the CSS classes). */
const char *model_status_class(int status);
/* Whether a status is "problematic" (ignored, incorrect, untrusted). */
int model_problematic(int status);

/* ---- page helpers (ui-common.c) -------------------------------------------- */

/* Open a page: doctype, head (title, CSS, script), header with navigation.
 * root: relative path to the site root ("" or "../"). */
void ui_begin(site *s, const char *root, const char *title, const char *feed);
/* Close the page (footer with the data date and the pkgfresh version) and
 * put it at rel. 0 or -1. */
int ui_end(site *s, const char *rel);
/* Put buffer b at rel (a failed append in b is an error). 0 or -1 (s->err). */
int ui_put(site *s, const char *rel, const hbuf *b);
/* The cells every package row shares: version (colored by status), status,
 * best version, days behind (outdated only). */
void ui_pkg_cells(site *s, const m_pkg *p);
/* Link to a project: its page when it has one, else the search page. */
void ui_project_link(site *s, const char *root, const m_project *p, const char *name);
/* Link to a repository page with its title. */
void ui_repo_link(site *s, const char *root, int repo);
/* A status cell: <td class="st-<status>">text</td>. */
void ui_status_cell(site *s, int status, const char *text);

/* ---- pages ------------------------------------------------------------------ */

int ui_static(site *s);  /* style.css, site.js, the marker file */
int ui_index(site *s);   /* index.html + charts */
int ui_repo(site *s);    /* repo/<id>.html + trend charts + CSV */
int ui_maint(site *s);   /* maintainer/<email>.html */
int ui_project(site *s); /* project/<name>.html */
int ui_compare(site *s); /* compare/<a>--<b>.html */
int ui_search(site *s);  /* search.html + search-index.js */
int ui_feed(site *s);    /* repo/<id>.atom, maintainer/<email>.atom */
int ui_badges(site *s);  /* badge/... .svg */

/* ---- badge.c --------------------------------------------------------------- */

typedef struct badge_row {
    const char *label, *value;
    int status;
} badge_row;

/* The two fonts badges measure text with (cairo, DejaVu Sans 11 px). */
typedef struct badge_fonts {
    struct pf_text_measure *regular, *bold;
} badge_fonts;

int badge_fonts_open(badge_fonts *f);
void badge_fonts_close(badge_fonts *f);
/* Repology's badge color for a status. */
const char *badge_color(int status);
/* Color of a newest %: red below 50, yellow below 75, green from 75. */
const char *badge_pct_color(double pct);
/* Vertical "packaging status" badge: a title row, then one row per
 * repository (label | value in its status color). */
void badge_vertical(hbuf *b, badge_fonts *f, const char *title, const badge_row *rows, size_t n);
/* Flat two-cell badge "label | value", the value cell in color. */
void badge_flat(hbuf *b, badge_fonts *f, const char *label, const char *value, const char *color);
/* The package that stands for a repository in a badge among n candidates:
 * best status first (newest, devel, unique; outdated; legacy; the rest),
 * then the highest version. Returns its index. */
size_t badge_pick(const int *status, const char *const *version, size_t n);

#endif
