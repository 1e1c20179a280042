/*
 * cmd_badge.c — `pkgfresh render badge [PROJECT] [--repo R] --out F.svg`:
 * one SVG badge on its own (the site writes the same ones): a project's
 * vertical packaging-status badge, its version in one repository, or a
 * repository's newest %.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cairo.h>

#include "cli.h"
#include "opts.h"
#include "pkgfresh/site.h"

/* Write buf to path through a temporary file renamed into place ("-" = stdout). */
static int write_file(const char *path, const char *buf, size_t len)
{
    if (strcmp(path, "-") == 0)
        return fwrite(buf, 1, len, stdout) == len ? 0 : -1;
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return -1;
    int bad = fwrite(buf, 1, len, f) != len;
    bad |= fclose(f) != 0;
    if (bad || rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        errno = e;
        return -1;
    }
    return 0;
}

/* Render one badge. */
int cmd_render_badge(pf_cli *cli, int argc, char **argv)
{
    const char *out = NULL, *repo = NULL;
    const pf_opt opts[] = {
        {"out", 'o', PF_OPT_STR, &out, "FILE.svg", "output file ('-' = standard output)"},
        {"repo", 0, PF_OPT_STR, &repo, "REPO", "the version in this repository (id or short name)"},
        {NULL, 0, 0, NULL, NULL, NULL},
    };
    const pf_cmdspec spec = {
        "render badge", "[PROJECT] [--repo REPO] --out FILE.svg",
        "Draw one SVG badge from the latest analysis.",
        "Badges:\n"
        "  PROJECT              Repology's vertical \"packaging status\" badge: one row\n"
        "                       per repository, its best version colored by status\n"
        "                       (green newest/devel/unique, red outdated, grey others)\n"
        "  PROJECT --repo REPO  the project's version in that repository\n"
        "  --repo REPO          the repository's newest % (red < 50, yellow < 75, green)\n"
        "Text widths are measured with cairo (DejaVu Sans 11 px), so names fit.\n\n"
        "Examples:\n"
        "  pkgfresh render badge curl --out curl.svg\n"
        "  pkgfresh render badge curl --repo debian --out curl-debian.svg\n"
        "  pkgfresh render badge --repo nixpkgs --out nixpkgs.svg",
        opts};
    const char *pos[1];
    int np = pf_opts_parse(&spec, argc, argv, pos, 1);
    if (np == -2)
        return PF_EXIT_OK;
    if (np < 0)
        return PF_EXIT_USAGE;
    if (!out) {
        pf_err("render badge: --out FILE.svg is required");
        return PF_EXIT_USAGE;
    }
    if (np == 0 && !repo) {
        pf_err("render badge: give a PROJECT, a --repo, or both (see 'pkgfresh render badge "
               "--help')");
        return PF_EXIT_USAGE;
    }
    size_t ol = strlen(out);
    if (strcmp(out, "-") != 0 && (ol < 4 || strcmp(out + ol - 4, ".svg") != 0)) {
        pf_err("render badge: badges are SVG: --out must end in .svg");
        return PF_EXIT_USAGE;
    }
    const char *repo_id = NULL;
    if (repo) {
        const pf_repo *r = pf_cli_repo(cli, "render badge", repo);
        if (!r)
            return PF_EXIT_USAGE;
        repo_id = r->id;
    }
    pf_store *st = pf_cli_store(cli);
    if (!st)
        return PF_EXIT_USAGE;
    char err[512];
    size_t len = 0;
    char *svg =
        pf_site_badge(st, &cli->catalog, np ? pos[0] : NULL, repo_id, &len, err, sizeof err);
    cairo_debug_reset_static_data();
    if (!svg) {
        pf_err("render badge: %s", err);
        return PF_EXIT_PARTIAL;
    }
    int rc = PF_EXIT_OK;
    if (write_file(out, svg, len) != 0) {
        pf_err("render badge: %s: %s", out, strerror(errno));
        rc = PF_EXIT_PARTIAL;
    } else if (!cli->quiet && strcmp(out, "-") != 0) {
        fprintf(stderr, "pkgfresh: wrote %s\n", out);
    }
    free(svg);
    return rc;
}
