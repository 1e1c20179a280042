/*
 * cmd_packages.c — `pkgfresh packages REPO`: the repository's packages with
 * their project, normalized version and status.
 */
#include <string.h>

#include "cli.h"
#include "opts.h"
#include "output.h"

typedef struct pk_ctx {
    pf_out *out;
    int status; /* filter, -1 = all */
    const char *match;
    long rows;
    int binnames; /* JSON and CSV carry binnames as a sixth column */
} pk_ctx;

/* One output row per package. */
static int pkg_row(void *ctx, const pf_pkg_view *p)
{
    pk_ctx *c = ctx;
    if (c->status >= 0 && p->status != c->status)
        return 0;
    if (c->match && !strstr(p->srcname, c->match) && !(p->project && strstr(p->project, c->match)))
        return 0;
    pf_out_str(c->out, p->srcname);
    pf_out_str(c->out, p->raw_version);
    pf_out_str(c->out, p->version);
    pf_out_str(c->out, p->project);
    char flags[256];
    pf_out_str(c->out, pf_flags_format(p->flags, flags, sizeof flags) ? flags : NULL);
    pf_out_str(c->out, pf_status_name(p->status));
    if (c->binnames)
        pf_out_str(c->out, p->binnames);
    pf_out_end_row(c->out);
    c->rows++;
    return 0;
}

/* List one repository's packages. */
int cmd_packages(pf_cli *cli, int argc, char **argv)
{
    const char *format = "table", *status = NULL, *match = NULL;
    const pf_opt opts[] = {
        {"format", 'f', PF_OPT_STR, &format, "FMT", "table, json or csv"},
        {"status", 's', PF_OPT_STR, &status, "STATUS", "only packages with this status"},
        {"match", 'm', PF_OPT_STR, &match, "TEXT", "only names containing TEXT"},
        {NULL, 0, 0, NULL, NULL, NULL},
    };
    const pf_cmdspec spec = {
        "packages", "REPO [options]",
        "List a repository's packages with project, version and status.",
        "Columns: srcname (source package), rawversion (as in the index), version\n"
        "(normalized, compared), project, flags (Repology's flag names that the\n"
        "parser, the version scheme and the rules set, e.g. ignore,any_is_patch: why\n"
        "a package is ignored; '-' for none), status (newest, outdated, ignored,\n"
        "unique, devel, legacy, incorrect, untrusted, noscheme, rolling; 'unprocessed'\n"
        "before the first analysis). JSON and CSV add binnames (the binary packages;\n"
        "for nixpkgs, whose srcname is the attribute path, the pname the rules see).",
        opts};
    const char *pos[1];
    int np = pf_opts_parse(&spec, argc, argv, pos, 1);
    if (np == -2)
        return PF_EXIT_OK;
    pf_outfmt fmt;
    if (np < 0 || pf_outfmt_parse(format, &fmt) != 0)
        return PF_EXIT_USAGE;
    if (np != 1) {
        pf_err("packages: which repository? (see 'pkgfresh packages --help')");
        return PF_EXIT_USAGE;
    }
    pk_ctx c = {NULL, -1, match, 0, fmt != PF_FMT_TABLE};
    if (status) {
        for (int s = 0; s < PF_S_COUNT; s++)
            if (strcmp(pf_status_name(s), status) == 0)
                c.status = s;
        if (c.status < 0) {
            pf_err("packages: unknown status '%s'", status);
            return PF_EXIT_USAGE;
        }
    }
    const pf_repo *r = pf_cli_repo(cli, "packages", pos[0]);
    if (!r)
        return PF_EXIT_USAGE;
    pf_store *st = pf_cli_store(cli);
    if (!st)
        return PF_EXIT_USAGE;
    static const pf_col cols[] = {{"srcname", PF_COL_STR}, {"rawversion", PF_COL_STR},
                                  {"version", PF_COL_STR}, {"project", PF_COL_STR},
                                  {"flags", PF_COL_STR},   {"status", PF_COL_STR},
                                  {"binnames", PF_COL_STR}};
    c.out = pf_out_new(stdout, fmt, cols, c.binnames ? 7 : 6);
    if (!c.out)
        return PF_EXIT_PARTIAL;
    int rc = pf_store_each_repo_package(st, r->id, pkg_row, &c);
    pf_out_finish(c.out);
    if (rc != 0) {
        pf_err("packages: %s", pf_store_errmsg(st));
        return PF_EXIT_PARTIAL;
    }
    return PF_EXIT_OK;
}
