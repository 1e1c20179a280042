/*
 * cmd_analyze.c — `pkgfresh analyze [--full]`: recompute projects, statuses
 * and one statistics row per repository from the stored snapshots
 * (incrementally when the stored results allow it, see analyze.h).
 */
#include "cli.h"
#include "opts.h"
#include "pkgfresh/analyze.h"

/* Run the analysis once. */
int cmd_analyze(pf_cli *cli, int argc, char **argv)
{
    int full = 0;
    const pf_opt opts[] = {
        {"full", 0, PF_OPT_FLAG, &full, NULL, "redo every package, not only what crawls changed"},
        {NULL, 0, 0, NULL, NULL, NULL},
    };
    const pf_cmdspec spec = {
        "analyze", "[--full]", "Map packages to projects, classify versions, record statistics.",
        "Names each package's project, normalizes its version for its family,\n"
        "classifies each project across repositories (newest, outdated, devel, unique,\n"
        "legacy, ignored, ...) and appends one statistics row per repository to the\n"
        "history. Only the projects that crawls touched since the last analysis are\n"
        "redone (the statistics are updated by difference), unless the rules, the\n"
        "catalog or pkgfresh itself changed since, or --full is given: then every\n"
        "package is. Both give the same results. 'crawl' runs this at its end unless\n"
        "given --no-analyze.",
        opts};
    const char *pos[1];
    int np = pf_opts_parse(&spec, argc, argv, pos, 0);
    if (np == -2)
        return PF_EXIT_OK;
    if (np < 0)
        return PF_EXIT_USAGE;
    /* the rules load on a thread while the store opens and syncs the catalog */
    pf_cli_rules_start(cli);
    pf_store *st = pf_cli_store(cli);
    if (!st)
        return PF_EXIT_USAGE;
    int ok;
    const pf_rules *rules = pf_cli_rules(cli, &ok);
    if (!ok)
        return PF_EXIT_USAGE;
    char err[512];
    pf_analyze_result res;
    if ((full ? pf_analyze_full : pf_analyze)(st, &cli->catalog, rules, cli->now, &res, err,
                                              sizeof err) != 0) {
        pf_err("analyze: %s", err);
        return PF_EXIT_PARTIAL;
    }
    if (!cli->quiet)
        fprintf(stderr,
                "pkgfresh: analyzed %ld packages of %ld repositories into %ld projects "
                "(%s: %ld packages classified again, %.2f s)\n",
                res.packages, res.repositories, res.projects,
                res.incremental ? "incremental"
                : res.streamed  ? "full, streamed"
                                : "full",
                res.analyzed, res.seconds);
    return PF_EXIT_OK;
}
