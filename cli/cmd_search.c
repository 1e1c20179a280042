/*
 * cmd_search.c — `pkgfresh search TEXT`: projects whose name contains TEXT,
 * with how many repositories carry them.
 */
#include "cli.h"
#include "opts.h"
#include "output.h"

/* One row per matching project. */
static int search_row(void *ctx, const char *project, long repos, long pkgs)
{
    pf_out *o = ctx;
    pf_out_str(o, project);
    pf_out_int(o, repos);
    pf_out_int(o, pkgs);
    pf_out_end_row(o);
    return 0;
}

/* Find projects by substring. */
int cmd_search(pf_cli *cli, int argc, char **argv)
{
    const char *format = "table";
    const pf_opt opts[] = {
        {"format", 'f', PF_OPT_STR, &format, "FMT", "table, json or csv"},
        {NULL, 0, 0, NULL, NULL, NULL},
    };
    const pf_cmdspec spec = {"search", "TEXT [options]",
                             "Projects whose name contains TEXT (case-insensitive).",
                             "Columns: project, repositories (how many carry it), packages.", opts};
    const char *pos[1];
    int np = pf_opts_parse(&spec, argc, argv, pos, 1);
    if (np == -2)
        return PF_EXIT_OK;
    pf_outfmt fmt;
    if (np < 0 || pf_outfmt_parse(format, &fmt) != 0)
        return PF_EXIT_USAGE;
    if (np != 1) {
        pf_err("search: what to look for?");
        return PF_EXIT_USAGE;
    }
    pf_store *st = pf_cli_store_few(cli);
    if (!st)
        return PF_EXIT_USAGE;
    static const pf_col cols[] = {
        {"project", PF_COL_STR}, {"repositories", PF_COL_INT}, {"packages", PF_COL_INT}};
    pf_out *o = pf_out_new(stdout, fmt, cols, 3);
    int rc = pf_store_search_projects(st, pos[0], search_row, o);
    pf_out_finish(o);
    if (rc != 0) {
        pf_err("search: %s", pf_store_errmsg(st));
        return PF_EXIT_PARTIAL;
    }
    return PF_EXIT_OK;
}
