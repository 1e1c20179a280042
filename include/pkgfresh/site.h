/*
 * site.h — `pkgfresh site`: the analysis as a static website (HTML, CSS, a
 * small optional script, PNG/SVG charts, SVG badges, Atom feeds, a search
 * index), written from the store's queries.
 *
 * Invariants:
 *  - The site is built in "<out>.new.<pid>" and swapped into place in one
 *    rename, so a web server never serves a half-written site; a file whose
 *    bytes did not change is carried over (hard link), not rewritten.
 *  - Every string from an index is escaped; links from indexes are written
 *    only when they are http(s) URLs.
 *  - An existing output folder is replaced only when it was written by
 *    pkgfresh (it holds the marker file ".pkgfresh-site") or is empty.
 * Ownership: every pointer in the options is borrowed for the call.
 */
#ifndef PKGFRESH_SITE_H
#define PKGFRESH_SITE_H

#include <stddef.h>
#include <stdint.h>

#include "pkgfresh/catalog.h"
#include "pkgfresh/store.h"

/* Two repositories that get a compare page. */
typedef struct pf_site_pair {
    const char *a, *b; /* repository ids */
} pf_site_pair;

typedef struct pf_site_opts {
    const char *out;          /* output folder */
    const char *title;        /* NULL = "Package freshness" */
    const char *base_url;     /* absolute URL the site is served at (feeds, badge
                                 snippets); NULL = relative links only */
    const char *const *repos; /* repository ids to include; NULL/0 = every analyzed one */
    size_t nrepos;
    const pf_site_pair *pairs; /* compare pages */
    size_t npairs;
    const pf_catalog *cat; /* titles and colors win over the database's; may be NULL */
    int verbose;           /* time each step on stderr */
    int eol;               /* keep repositories past their end of life (catalog valid_till) */
    int64_t now;           /* what "past" means for eol (unix seconds) */
} pf_site_opts;

typedef struct pf_site_result {
    long files;             /* files in the site */
    long written;           /* files whose content changed (written anew) */
    long unchanged;         /* files carried over from the previous site */
    uint64_t bytes;         /* total size of the files */
    size_t largest_page;    /* bytes of the largest HTML page */
    char largest_name[256]; /* and its path in the site */
    long repositories, projects, maintainers, compares;
    double seconds;
} pf_site_result;

/* Write the whole site. 0 ok, -1 with err set (the previous site is untouched). */
int pf_site_write(pf_store *st, const pf_site_opts *o, pf_site_result *res, char *err,
                  size_t errlen);

/* One badge as an SVG document (malloc'd, *len set), from the store:
 *   project, no repo: Repology's vertical "packaging status" badge, one row
 *                     per repository having the project, colored by status;
 *   project and repo: the version of the project in that repository;
 *   repo, no project: the repository's freshness %.
 * NULL with err set when there is nothing to show (unknown project, ...). */
char *pf_site_badge(pf_store *st, const pf_catalog *cat, const char *project, const char *repo,
                    size_t *len, char *err, size_t errlen);

#endif
