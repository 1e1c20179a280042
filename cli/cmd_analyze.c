/*
 * cmd_analyze.c — `pkgfresh analyze`: recompute projects, statuses and one
 * statistics row per repository from the stored snapshots.
 */
#include "cli.h"
#include "opts.h"
#include "pkgfresh/analyze.h"

/* Run the analysis once. */
int cmd_analyze(pf_cli *cli, int argc, char **argv)
{
    const pf_opt opts[] = {{NULL, 0, 0, NULL, NULL, NULL}};
    const pf_cmdspec spec = {
        "analyze", "", "Map packages to projects, classify versions, record statistics.",
        "Reads every stored package, names its project, normalizes its version for its\n"
        "family, classifies each project across repositories (newest, outdated, devel,\n"
        "unique, legacy, ignored, ...) and appends one statistics row per repository to\n"
        "the history. 'crawl' runs this at its end unless given --no-analyze.",
        opts};
    const char *pos[1];
    int np = pf_opts_parse(&spec, argc, argv, pos, 0);
    if (np == -2)
        return PF_EXIT_OK;
    if (np < 0)
        return PF_EXIT_USAGE;
    pf_store *st = pf_cli_store(cli);
    if (!st)
        return PF_EXIT_USAGE;
    int ok;
    const pf_rules *rules = pf_cli_rules(cli, &ok);
    if (!ok)
        return PF_EXIT_USAGE;
    char err[512];
    pf_analyze_result res;
    if (pf_analyze(st, &cli->catalog, rules, cli->now, &res, err, sizeof err) != 0) {
        pf_err("analyze: %s", err);
        return PF_EXIT_PARTIAL;
    }
    if (!cli->quiet)
        fprintf(stderr,
                "pkgfresh: analyzed %ld packages of %ld repositories into %ld projects "
                "(%.2f s)\n",
                res.packages, res.repositories, res.projects, res.seconds);
    return PF_EXIT_OK;
}
