/*
 * cmd_stats.c — `pkgfresh stats`: per-repository statistics of the latest
 * analysis, with Repology's definitions and names (README "Statistics").
 */
#include <string.h>

#include "cli.h"
#include "opts.h"
#include "output.h"

typedef struct stats_ctx {
    pf_out *out;
    long rows;
} stats_ctx;

/* One row per analyzed repository: Repology's statistics page's columns,
 * then ours. */
static int stats_row(void *ctx, const pf_repo_row *row)
{
    stats_ctx *c = ctx;
    if (!row->has_stats)
        return 0;
    const pf_repo_stats *s = &row->stats;
    pf_out *o = c->out;
    pf_out_str(o, row->repo_id);
    pf_out_str(o, row->family);
    pf_out_int(o, s->num_packages);
    pf_out_int(o, s->num_projects);
    pf_out_int(o, s->num_projects - s->num_unique);
    pf_out_int(o, s->num_newest);
    pf_out_real(o, pf_stats_pct(s->num_newest, s->num_comparable), 2);
    pf_out_int(o, s->num_outdated);
    pf_out_real(o, pf_stats_pct(s->num_outdated, s->num_comparable), 2);
    pf_out_int(o, s->num_unique);
    pf_out_real(o, pf_stats_pct(s->num_unique, s->num_projects), 2);
    pf_out_int(o, s->num_problematic);
    pf_out_real(o, pf_stats_pct(s->num_problematic, s->num_projects), 2);
    pf_out_int(o, s->num_comparable);
    pf_out_int(o, s->num_maintainers);
    pf_out_real(o, s->median_lag_days, 1);
    pf_out_real(o, s->p90_lag_days, 1);
    pf_out_end_row(o);
    c->rows++;
    return 0;
}

/* Print the statistics table. */
int cmd_stats(pf_cli *cli, int argc, char **argv)
{
    const char *format = "table";
    const pf_opt opts[] = {
        {"format", 'f', PF_OPT_STR, &format, "FMT", "table, json or csv"},
        {NULL, 0, 0, NULL, NULL, NULL},
    };
    const pf_cmdspec spec = {
        "stats", "[options]", "Per-repository statistics of the latest analysis.",
        "Columns and names as on Repology's statistics page (counts of projects\n"
        "unless said otherwise):\n"
        "  packages        packages in the snapshot\n"
        "  projects        projects with at least one package in the repository\n"
        "  nonunique       projects also packaged by another family (projects - unique)\n"
        "  newest          not unique, a newest or devel package and no outdated one\n"
        "                  (Repology's 'newest'; the y axis of the map)\n"
        "  newest_pct      100 * newest / comparable\n"
        "  outdated        projects with an outdated package (legacy ones do not count)\n"
        "  outdated_pct    100 * outdated / comparable\n"
        "  unique          projects found in this family only\n"
        "  unique_pct      100 * unique / projects\n"
        "  problematic     projects with an ignored, incorrect or untrusted package\n"
        "  problematic_pct 100 * problematic / projects\n"
        "  comparable      newest + outdated + projects with an incorrect version\n"
        "  maintainers     distinct maintainer addresses\n"
        "  median_lag_days, p90_lag_days  median and 90th percentile of the days\n"
        "                  outdated projects are behind (only where the history tells)\n"
        "A percentage is empty (null) when its denominator is 0.",
        opts};
    const char *pos[1];
    int np = pf_opts_parse(&spec, argc, argv, pos, 0);
    if (np == -2)
        return PF_EXIT_OK;
    pf_outfmt fmt;
    if (np < 0 || pf_outfmt_parse(format, &fmt) != 0)
        return PF_EXIT_USAGE;
    pf_store *st = pf_cli_store_few(cli);
    if (!st)
        return PF_EXIT_USAGE;
    static const pf_col cols[] = {
        {"repository", PF_COL_STR},       {"family", PF_COL_STR},
        {"packages", PF_COL_INT},         {"projects", PF_COL_INT},
        {"nonunique", PF_COL_INT},        {"newest", PF_COL_INT},
        {"newest_pct", PF_COL_REAL},      {"outdated", PF_COL_INT},
        {"outdated_pct", PF_COL_REAL},    {"unique", PF_COL_INT},
        {"unique_pct", PF_COL_REAL},      {"problematic", PF_COL_INT},
        {"problematic_pct", PF_COL_REAL}, {"comparable", PF_COL_INT},
        {"maintainers", PF_COL_INT},      {"median_lag_days", PF_COL_REAL},
        {"p90_lag_days", PF_COL_REAL}};
    stats_ctx c = {pf_out_new(stdout, fmt, cols, (int)(sizeof cols / sizeof cols[0])), 0};
    if (!c.out)
        return PF_EXIT_PARTIAL;
    int rc = pf_store_each_repo(st, stats_row, &c);
    pf_out_finish(c.out);
    if (rc != 0) {
        pf_err("stats: %s", pf_store_errmsg(st));
        return PF_EXIT_PARTIAL;
    }
    if (c.rows == 0 && !cli->quiet)
        fprintf(stderr, "pkgfresh: no statistics yet: run 'pkgfresh crawl' (or 'analyze')\n");
    return PF_EXIT_OK;
}
