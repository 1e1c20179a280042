/*
 * cmd_gc.c — `pkgfresh gc`: drop crawl and statistics history older than a
 * period, and the version history of projects that are gone (store/gc.c
 * says exactly what goes and what always stays); --vacuum gives the space
 * back to the file system.
 */
#include "cli.h"
#include "opts.h"
#include "output.h"

/* Drop old history and print what went. */
int cmd_gc(pf_cli *cli, int argc, char **argv)
{
    const char *older = "52w", *format = "table";
    int vacuum = 0;
    const pf_opt opts[] = {
        {"older-than", 0, PF_OPT_STR, &older, "PERIOD",
         "drop history older than this (default 52w; 90d, 12h, 3600 ...)"},
        {"vacuum", 0, PF_OPT_FLAG, &vacuum, NULL, "then VACUUM: shrink the file (rewrites it)"},
        {"format", 'f', PF_OPT_STR, &format, "FMT", "table, json or csv"},
        {NULL, 0, 0, NULL, NULL, NULL},
    };
    const pf_cmdspec spec = {
        "gc", "[options]", "Drop old crawl and statistics history.",
        "Removes crawl rows, statistics rows and analysis runs older than the period\n"
        "(each repository keeps its latest crawl of each status; the first and the\n"
        "latest analysis run stay), and the version history of projects that no\n"
        "package has any more. The snapshot and the version history of current\n"
        "projects stay, so the next analysis computes the same results. Freed pages\n"
        "are reused by later writes; --vacuum also shrinks the file. For a backup use\n"
        "'pkgfresh backup FILE'.",
        opts};
    const char *pos[1];
    int np = pf_opts_parse(&spec, argc, argv, pos, 0);
    if (np == -2)
        return PF_EXIT_OK;
    pf_outfmt fmt;
    long period;
    if (np < 0 || pf_outfmt_parse(format, &fmt) != 0)
        return PF_EXIT_USAGE;
    if (pf_period_parse(older, &period) != 0) {
        pf_err("gc: --older-than: expected a period such as 90d, 26w or 3600, not '%s'", older);
        return PF_EXIT_USAGE;
    }
    pf_store *st = pf_cli_store(cli);
    if (!st)
        return PF_EXIT_USAGE;
    pf_gc_result res;
    if (pf_store_gc(st, cli->now - period, vacuum, &res) != 0) {
        pf_err("gc: %s", pf_store_errmsg(st));
        return PF_EXIT_PARTIAL;
    }
    static const pf_col cols[] = {{"item", PF_COL_STR}, {"count", PF_COL_INT}};
    pf_out *out = pf_out_new(stdout, fmt, cols, 2);
    const struct {
        const char *name;
        long long v;
    } rows[] = {{"crawls_dropped", res.crawls},         {"analysis_runs_dropped", res.runs},
                {"stats_rows_dropped", res.stats_rows}, {"history_rows_dropped", res.seen_rows},
                {"bytes_before", res.bytes_before},     {"free_bytes_before", res.free_before},
                {"bytes_after", res.bytes_after},       {"free_bytes_after", res.free_after}};
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        pf_out_str(out, rows[i].name);
        pf_out_int(out, rows[i].v);
        pf_out_end_row(out);
    }
    pf_out_finish(out);
    return PF_EXIT_OK;
}
