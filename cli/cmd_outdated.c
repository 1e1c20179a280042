/*
 * cmd_outdated.c — `pkgfresh outdated REPO`: a packaging team's to-do list:
 * outdated packages with the version they lack and how long they lag.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "opts.h"
#include "output.h"

typedef struct od_row {
    char *project, *srcname, *raw, *version, *best;
    long newer;
    double lag;
} od_row;

typedef struct od_ctx {
    od_row *rows;
    size_t n, cap;
    const char *maintainer;
    int oom;
} od_ctx;

/* Does the comma-separated list contain addr (case-insensitive)? */
static int has_maintainer(const char *list, const char *addr)
{
    size_t n = strlen(addr);
    for (const char *p = list; p && *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && strncasecmp(p, addr, n) == 0)
            return 1;
        p = end;
    }
    return 0;
}

/* Collect one outdated package (filtered by maintainer). */
static int od_collect(void *ctx, const pf_pkg_view *p)
{
    od_ctx *c = ctx;
    if (c->maintainer && !has_maintainer(p->maintainers, c->maintainer))
        return 0;
    if (c->n == c->cap) {
        size_t ncap = c->cap ? c->cap * 2 : 1024;
        od_row *nr = realloc(c->rows, ncap * sizeof *nr);
        if (!nr) {
            c->oom = 1;
            return 1;
        }
        c->rows = nr;
        c->cap = ncap;
    }
    od_row *r = &c->rows[c->n++];
    r->project = strdup(p->project ? p->project : "");
    r->srcname = strdup(p->srcname);
    r->raw = strdup(p->raw_version);
    r->version = strdup(p->version ? p->version : "");
    r->best = p->best_version ? strdup(p->best_version) : NULL;
    r->newer = p->newer_versions;
    r->lag = p->lag_days;
    return 0;
}

/* Sort by project name. */
static int by_name(const void *x, const void *y)
{
    return strcmp(((const od_row *)x)->project, ((const od_row *)y)->project);
}

/* List a repository's outdated packages. */
int cmd_outdated(pf_cli *cli, int argc, char **argv)
{
    const char *format = "table", *sort = "lag", *maintainer = NULL;
    long limit = 0;
    const pf_opt opts[] = {
        {"maintainer", 'M', PF_OPT_STR, &maintainer, "EMAIL",
         "only packages this address maintains"},
        {"sort", 's', PF_OPT_STR, &sort, "KEY", "lag (most days behind first, default) or name"},
        {"limit", 'n', PF_OPT_INT, &limit, "N", "at most N rows"},
        {"format", 'f', PF_OPT_STR, &format, "FMT", "table, json or csv"},
        {NULL, 0, 0, NULL, NULL, NULL},
    };
    const pf_cmdspec spec = {
        "outdated", "REPO [options]", "Outdated packages of a repository: what to update.",
        "Columns: project, srcname, rawversion, version, newest (the best version\n"
        "elsewhere), newer_versions (distinct versions between), lag_days (days since\n"
        "the next newer version first appeared anywhere; empty when unknown).\n\n"
        "Example:\n  pkgfresh outdated debian --maintainer doko@debian.org --limit 20",
        opts};
    const char *pos[1];
    int np = pf_opts_parse(&spec, argc, argv, pos, 1);
    if (np == -2)
        return PF_EXIT_OK;
    pf_outfmt fmt;
    if (np < 0 || pf_outfmt_parse(format, &fmt) != 0)
        return PF_EXIT_USAGE;
    if (np != 1) {
        pf_err("outdated: which repository?");
        return PF_EXIT_USAGE;
    }
    if (strcmp(sort, "lag") != 0 && strcmp(sort, "name") != 0) {
        pf_err("outdated: --sort takes lag or name");
        return PF_EXIT_USAGE;
    }
    const pf_repo *r = pf_cli_repo(cli, "outdated", pos[0]);
    pf_store *st = r ? pf_cli_store(cli) : NULL;
    if (!st)
        return PF_EXIT_USAGE;
    od_ctx c = {.maintainer = maintainer};
    int rc = pf_store_each_outdated(st, r->id, od_collect, &c);
    if (rc != 0 || c.oom) {
        pf_err("outdated: %s", c.oom ? "out of memory" : pf_store_errmsg(st));
        rc = PF_EXIT_PARTIAL;
    } else {
        if (strcmp(sort, "name") == 0)
            qsort(c.rows, c.n, sizeof *c.rows, by_name);
        static const pf_col cols[] = {{"project", PF_COL_STR},    {"srcname", PF_COL_STR},
                                      {"rawversion", PF_COL_STR}, {"version", PF_COL_STR},
                                      {"newest", PF_COL_STR},     {"newer_versions", PF_COL_INT},
                                      {"lag_days", PF_COL_REAL}};
        pf_out *o = pf_out_new(stdout, fmt, cols, 7);
        for (size_t i = 0; o && i < c.n && (limit <= 0 || (long)i < limit); i++) {
            pf_out_str(o, c.rows[i].project);
            pf_out_str(o, c.rows[i].srcname);
            pf_out_str(o, c.rows[i].raw);
            pf_out_str(o, c.rows[i].version);
            pf_out_str(o, c.rows[i].best);
            if (c.rows[i].newer >= 0)
                pf_out_int(o, c.rows[i].newer);
            else
                pf_out_null(o);
            pf_out_real(o, c.rows[i].lag, 0);
            pf_out_end_row(o);
        }
        pf_out_finish(o);
        rc = PF_EXIT_OK;
    }
    for (size_t i = 0; i < c.n; i++) {
        free(c.rows[i].project);
        free(c.rows[i].srcname);
        free(c.rows[i].raw);
        free(c.rows[i].version);
        free(c.rows[i].best);
    }
    free(c.rows);
    return rc;
}
