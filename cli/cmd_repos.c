/*
 * cmd_repos.c — `pkgfresh repos`: the catalog with each repository's last
 * crawl as recorded in the database.
 */
#include <string.h>
#include <time.h>

#include "cli.h"
#include "opts.h"
#include "output.h"
#include "pkgfresh/format.h"
#include "pkgfresh/utctime.h"

typedef struct repos_ctx {
    pf_out *out;
    const pf_catalog *cat;
    int json;
} repos_ctx;

/* Format a unix time as an ISO date-time (UTC), or NULL for 0. */
static const char *iso_time(int64_t t, char *buf, size_t len)
{
    return t > 0 ? pf_utc_format(t, PF_UTC_ISO, buf, len) : NULL;
}

/* One row per database repository still in the catalog. */
static int repo_row(void *ctx, const pf_repo_row *row)
{
    repos_ctx *c = ctx;
    const pf_repo *r = pf_catalog_find(c->cat, row->repo_id);
    if (!r || strcmp(r->id, row->repo_id) != 0)
        return 0;
    char tb[32];
    pf_out_str(c->out, r->id);
    pf_out_str(c->out, r->family);
    pf_out_str(c->out, r->format);
    pf_out_str(c->out, r->title);
    pf_out_int(c->out, (long long)r->nsources);
    if (row->last_crawl)
        pf_out_int(c->out, row->crawl_packages);
    else
        pf_out_null(c->out);
    pf_out_str(c->out, iso_time(row->last_crawl, tb, sizeof tb));
    pf_out_str(c->out, row->last_status);
    pf_out_str(c->out, r->valid_till);
    pf_out_int(c->out, r->shadow);
    pf_out_end_row(c->out);
    return 0;
}

/* List the catalog. */
int cmd_repos(pf_cli *cli, int argc, char **argv)
{
    const char *format = "table";
    int formats = 0;
    const pf_opt opts[] = {
        {"format", 'f', PF_OPT_STR, &format, "FMT", "table, json or csv"},
        {"formats", 0, PF_OPT_FLAG, &formats, NULL, "list the index formats pkgfresh reads"},
        {NULL, 0, 0, NULL, NULL, NULL},
    };
    const pf_cmdspec spec = {"repos", "[options]",
                             "List the catalog's repositories and their last crawl.",
                             "Columns: id, family, format, title, sources, packages (in the\n"
                             "stored snapshot), last_crawl (last success, UTC), last_status\n"
                             "(ok, not_modified or failed), valid_till (end of life: the last\n"
                             "valid day; 'crawl' and 'render' leave such repositories out\n"
                             "once it has passed), shadow (1: a project only shadow\n"
                             "repositories have is left out of the statistics).",
                             opts};
    const char *pos[1];
    int np = pf_opts_parse(&spec, argc, argv, pos, 0);
    if (np == -2)
        return PF_EXIT_OK;
    pf_outfmt fmt;
    if (np < 0 || pf_outfmt_parse(format, &fmt) != 0)
        return PF_EXIT_USAGE;
    if (formats) {
        static const pf_col fcols[] = {{"format", PF_COL_STR}, {"description", PF_COL_STR}};
        pf_out *o = pf_out_new(stdout, fmt, fcols, 2);
        for (const pf_format *f = pf_format_list(); o && f->name; f++) {
            pf_out_str(o, f->name);
            pf_out_str(o, f->description);
            pf_out_end_row(o);
        }
        return pf_out_finish(o) == 0 ? PF_EXIT_OK : PF_EXIT_PARTIAL;
    }
    pf_store *st = pf_cli_store(cli);
    if (!st)
        return PF_EXIT_USAGE;
    static const pf_col cols[] = {{"id", PF_COL_STR},         {"family", PF_COL_STR},
                                  {"format", PF_COL_STR},     {"title", PF_COL_STR},
                                  {"sources", PF_COL_INT},    {"packages", PF_COL_INT},
                                  {"last_crawl", PF_COL_STR}, {"last_status", PF_COL_STR},
                                  {"valid_till", PF_COL_STR}, {"shadow", PF_COL_INT}};
    repos_ctx c = {pf_out_new(stdout, fmt, cols, 10), &cli->catalog, fmt == PF_FMT_JSON};
    if (!c.out)
        return PF_EXIT_PARTIAL;
    int rc = pf_store_each_repo(st, repo_row, &c);
    if (pf_out_finish(c.out) != 0 || rc != 0) {
        pf_err("repos: %s", rc ? pf_store_errmsg(st) : "write error");
        return PF_EXIT_PARTIAL;
    }
    return PF_EXIT_OK;
}
