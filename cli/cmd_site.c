/*
 * cmd_site.c — `pkgfresh site --out DIR`: the analysis as a static website
 * (site/, pf_site_write). Resolves the repository selection and the
 * compare pairs (default: each family's default repository against nixpkgs
 * and Debian unstable), then prints what was written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>

#include "cli.h"
#include "opts.h"
#include "pkgfresh/site.h"

#define MAX_PAIRS 256

/* Whether the pair (either order) is already listed. */
static int has_pair(const pf_site_pair *p, size_t n, const char *a, const char *b)
{
    for (size_t i = 0; i < n; i++)
        if ((strcmp(p[i].a, a) == 0 && strcmp(p[i].b, b) == 0) ||
            (strcmp(p[i].a, b) == 0 && strcmp(p[i].b, a) == 0))
            return 1;
    return 0;
}

/* Default pairs: every catalog default repository against the defaults of
 * "nixpkgs" and "debian" (when the catalog has them). */
static size_t default_pairs(const pf_catalog *cat, pf_site_pair *out)
{
    static const char *const refs[] = {"nixpkgs", "debian_unstable"};
    size_t n = 0;
    for (size_t r = 0; r < sizeof refs / sizeof refs[0]; r++) {
        const pf_repo *ref = pf_catalog_find(cat, refs[r]);
        if (!ref)
            continue;
        for (size_t i = 0; i < cat->nrepos && n < MAX_PAIRS; i++) {
            const pf_repo *a = &cat->repos[i];
            if (!a->is_default || strcmp(a->id, ref->id) == 0 || has_pair(out, n, a->id, ref->id))
                continue;
            out[n++] = (pf_site_pair){a->id, ref->id};
        }
    }
    return n;
}

/* Resolve "A,B" pairs; 0 or -1 after printing. */
static int parse_pairs(pf_cli *cli, const pf_strlist *in, pf_site_pair *out, size_t *n,
                       char (*names)[2][128])
{
    for (int i = 0; i < in->n && *n < MAX_PAIRS; i++) {
        const char *comma = strchr(in->v[i], ',');
        if (!comma || comma == in->v[i] || !comma[1] || strchr(comma + 1, ',')) {
            pf_err("site: --compare wants A,B (two repositories), not '%s'", in->v[i]);
            return -1;
        }
        char a[128];
        snprintf(a, sizeof a, "%.*s", (int)(comma - in->v[i]), in->v[i]);
        const pf_repo *ra = pf_cli_repo(cli, "site", a),
                      *rb = ra ? pf_cli_repo(cli, "site", comma + 1) : NULL;
        if (!ra || !rb)
            return -1;
        snprintf(names[*n][0], sizeof names[*n][0], "%s", ra->id);
        snprintf(names[*n][1], sizeof names[*n][1], "%s", rb->id);
        out[*n] = (pf_site_pair){names[*n][0], names[*n][1]};
        (*n)++;
    }
    return 0;
}

/* Write the site. */
int cmd_site(pf_cli *cli, int argc, char **argv)
{
    const char *out = NULL, *title = NULL, *base = NULL;
    pf_strlist repos = {0}, compare = {0};
    int no_compare = 0, eol = 0;
    const pf_opt opts[] = {
        {"out", 'o', PF_OPT_STR, &out, "DIR", "output folder (replaced as a whole)"},
        {"title", 0, PF_OPT_STR, &title, "TEXT", "site title (default: Package freshness)"},
        {"base-url", 0, PF_OPT_STR, &base, "URL",
         "where the site is served (absolute links in feeds and badge snippets)"},
        {"repo", 0, PF_OPT_LIST, &repos, "REPO",
         "only these repositories (repeatable; default: every analyzed one)"},
        {"compare", 0, PF_OPT_LIST, &compare, "A,B",
         "a compare page for A against B (repeatable; replaces the default pairs)"},
        {"no-compare", 0, PF_OPT_FLAG, &no_compare, NULL, "no compare pages"},
        {"eol", 0, PF_OPT_FLAG, &eol, NULL,
         "include repositories past their end of life (catalog valid_till)"},
        {NULL, 0, 0, NULL, NULL, NULL},
    };
    const pf_cmdspec spec = {
        "site", "--out DIR [options]",
        "Write the latest analysis as a static website any web server (or file://) can serve.",
        "Pages: index.html (map, ranking, top lists, statistics table), repo/ID.html (statistics,\n"
        "history charts, outdated projects by days behind with a CSV of all, problematic\n"
        "packages, maintainers), maintainer/ADDRESS.html, project/NAME.html (projects in two\n"
        "families or more; search.html finds every project), compare/A--B.html; Atom feeds\n"
        "repo/ID.atom and maintainer/ADDRESS.atom (projects that became outdated or were\n"
        "updated since the previous analysis); badges badge/project/NAME.svg and\n"
        "badge/repo/ID.svg. Pages read fine with scripts off; site.js adds sorting and search.\n\n"
        "The site is built in DIR.new.PID and swapped into place, so a web server never\n"
        "serves half a site; files whose content did not change are carried over (same inode\n"
        "and time), so rsync and CI deploys copy only what changed. An existing DIR is\n"
        "replaced only if pkgfresh wrote it (it holds .pkgfresh-site) or it is empty.\n"
        "Default compare pairs: each catalog default repository against nixpkgs and\n"
        "Debian unstable (pairs whose repositories are not analyzed are skipped).\n"
        "Repositories past their end of life (catalog valid_till) are left out unless\n"
        "--eol is given, as in 'pkgfresh render'.\n"
        "With -v (global option) each step's wall and CPU time goes to stderr.\n\n"
        "Examples:\n"
        "  pkgfresh site --out /var/www/html/freshness --base-url https://example.org/freshness\n"
        "  pkgfresh site --out site --repo debian --repo nixpkgs --compare debian,nixpkgs",
        opts};
    const char *pos[1];
    int np = pf_opts_parse(&spec, argc, argv, pos, 0);
    if (np == -2)
        return PF_EXIT_OK;
    if (np < 0)
        return PF_EXIT_USAGE;
    if (!out || !*out) {
        pf_err("site: --out DIR is required");
        return PF_EXIT_USAGE;
    }
    if (base && strncmp(base, "http://", 7) != 0 && strncmp(base, "https://", 8) != 0) {
        pf_err("site: --base-url must be an http(s) URL, not '%s'", base);
        return PF_EXIT_USAGE;
    }
    char basebuf[2048] = "";
    if (base) {
        snprintf(basebuf, sizeof basebuf, "%s", base);
        size_t bl = strlen(basebuf);
        while (bl > 0 && basebuf[bl - 1] == '/')
            basebuf[--bl] = 0;
    }
    pf_catalog *cat = pf_cli_catalog(cli);
    if (!cat)
        return PF_EXIT_USAGE;
    const char *ids[64];
    size_t nids = 0;
    for (int i = 0; i < repos.n; i++) {
        const pf_repo *r = pf_cli_repo(cli, "site", repos.v[i]);
        if (!r)
            return PF_EXIT_USAGE;
        ids[nids++] = r->id;
    }
    pf_site_pair *pairs = calloc(MAX_PAIRS, sizeof *pairs);
    char(*names)[2][128] = calloc(MAX_PAIRS, sizeof *names);
    int rc = PF_EXIT_OK;
    size_t npairs = 0;
    if (!pairs || !names) {
        pf_err("site: out of memory");
        rc = PF_EXIT_PARTIAL;
        goto done;
    }
    if (compare.n) {
        if (parse_pairs(cli, &compare, pairs, &npairs, names) != 0) {
            rc = PF_EXIT_USAGE;
            goto done;
        }
    } else if (!no_compare) {
        npairs = default_pairs(cat, pairs);
    }
    pf_store *st = pf_cli_store(cli);
    if (!st) {
        rc = PF_EXIT_USAGE;
        goto done;
    }
    pf_site_opts o = {.out = out,
                      .title = title,
                      .base_url = base ? basebuf : NULL,
                      .repos = nids ? ids : NULL,
                      .nrepos = nids,
                      .pairs = pairs,
                      .npairs = npairs,
                      .cat = cat,
                      .verbose = cli->verbose,
                      .eol = eol,
                      .now = cli->now};
    pf_site_result res;
    char err[1024];
    if (pf_site_write(st, &o, &res, err, sizeof err) != 0) {
        pf_err("site: %s", err);
        rc = PF_EXIT_PARTIAL;
        goto done;
    }
    if (!cli->quiet)
        fprintf(stderr,
                "pkgfresh: wrote %s: %ld files (%ld written, %ld unchanged), %.1f MB; "
                "%ld repositories, %ld project pages, %ld maintainers, %ld compare pages; "
                "largest page %.0f kB (%s); %.1f s\n",
                out, res.files, res.written, res.unchanged, (double)res.bytes / 1e6,
                res.repositories, res.projects, res.maintainers, res.compares,
                (double)res.largest_page / 1e3, res.largest_name, res.seconds);
done:
    free(pairs);
    free(names);
    cairo_debug_reset_static_data();
    return rc;
}
