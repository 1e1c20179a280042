/*
 * cmd_history.c — `pkgfresh history [REPO...]`: the statistics of every
 * analysis run, oldest first: "are we getting better?".
 */
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "opts.h"
#include "output.h"
#include "pkgfresh/utctime.h"

/* The dates of recent runs' timestamps: every repository has the same few
 * runs, and strftime was a quarter of the formatting (a slot per hash of
 * the timestamp; a collision only formats again). */
enum { DATE_SLOTS = 64 };
typedef struct date_memo {
    int64_t t[DATE_SLOTS];
    char text[DATE_SLOTS][32]; /* "" = slot unused */
} date_memo;

typedef struct hist_ctx {
    pf_out *out;
    long rows;
    date_memo dates;
} hist_ctx;

/* The UTC date and time of t as ISO 8601 ("2025-01-08T00:00:00Z"), from
 * the memo when it has it. */
static const char *run_date(date_memo *m, int64_t t)
{
    size_t slot = (size_t)(((uint64_t)t * 0x9e3779b97f4a7c15u) >> 58); /* 0..63 */
    if (m->text[slot][0] && m->t[slot] == t)
        return m->text[slot];
    /* a year past the buffer: an empty cell */
    pf_utc_format(t, PF_UTC_ISO, m->text[slot], sizeof m->text[slot]);
    m->t[slot] = t;
    return m->text[slot];
}

/* One row per (repository, run). */
static int hist_row(void *ctx, const pf_repo_row *row)
{
    hist_ctx *c = ctx;
    const pf_repo_stats *s = &row->stats;
    pf_out_str(c->out, row->repo_id);
    pf_out_str(c->out, run_date(&c->dates, row->stats_taken_at));
    pf_out_int(c->out, s->num_projects);
    pf_out_int(c->out, s->num_unique);
    pf_out_int(c->out, s->num_newest);
    pf_out_real(c->out, pf_stats_pct(s->num_newest, s->num_comparable), 2);
    pf_out_int(c->out, s->num_outdated);
    pf_out_real(c->out, pf_stats_pct(s->num_outdated, s->num_comparable), 2);
    pf_out_int(c->out, s->num_comparable);
    pf_out_int(c->out, s->num_problematic);
    pf_out_real(c->out, s->median_lag_days, 1);
    pf_out_real(c->out, s->p90_lag_days, 1);
    pf_out_end_row(c->out);
    c->rows++;
    return 0;
}

/* Print the history of the named repositories (all when none). */
int cmd_history(pf_cli *cli, int argc, char **argv)
{
    const char *format = "table";
    const pf_opt opts[] = {
        {"format", 'f', PF_OPT_STR, &format, "FMT", "table, json or csv"},
        {NULL, 0, 0, NULL, NULL, NULL},
    };
    const pf_cmdspec spec = {
        "history", "[REPO...] [options]", "Statistics of every analysis run, oldest first.",
        "Columns: repository, date (UTC), projects, unique, newest, newest_pct,\n"
        "outdated, outdated_pct, comparable, problematic, median_lag_days and\n"
        "p90_lag_days of outdated projects: as in 'pkgfresh stats'. Rows written\n"
        "by pkgfresh before schema 5 read the same ('newest' was called 'fresh').",
        opts};
    const char *pos[64];
    int np = pf_opts_parse(&spec, argc, argv, pos, 64);
    if (np == -2)
        return PF_EXIT_OK;
    pf_outfmt fmt;
    if (np < 0 || pf_outfmt_parse(format, &fmt) != 0)
        return PF_EXIT_USAGE;
    const pf_repo *sel[64];
    for (int i = 0; i < np; i++)
        if (!(sel[i] = pf_cli_repo(cli, "history", pos[i])))
            return PF_EXIT_USAGE;
    pf_store *st = pf_cli_store_few(cli);
    if (!st)
        return PF_EXIT_USAGE;
    static const pf_col cols[] = {{"repository", PF_COL_STR},       {"date", PF_COL_STR},
                                  {"projects", PF_COL_INT},         {"unique", PF_COL_INT},
                                  {"newest", PF_COL_INT},           {"newest_pct", PF_COL_REAL},
                                  {"outdated", PF_COL_INT},         {"outdated_pct", PF_COL_REAL},
                                  {"comparable", PF_COL_INT},       {"problematic", PF_COL_INT},
                                  {"median_lag_days", PF_COL_REAL}, {"p90_lag_days", PF_COL_REAL}};
    hist_ctx c;
    memset(&c, 0, sizeof c);
    c.out = pf_out_new(stdout, fmt, cols, (int)(sizeof cols / sizeof cols[0]));
    if (!c.out) {
        pf_err("history: out of memory");
        return PF_EXIT_PARTIAL;
    }
    int rc = 0;
    if (np == 0)
        rc = pf_store_each_history(st, NULL, hist_row, &c);
    for (int i = 0; i < np && rc == 0; i++)
        rc = pf_store_each_history(st, sel[i]->id, hist_row, &c);
    pf_out_finish(c.out);
    if (rc != 0) {
        pf_err("history: %s", pf_store_errmsg(st));
        return PF_EXIT_PARTIAL;
    }
    return PF_EXIT_OK;
}
