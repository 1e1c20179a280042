/*
 * cmd_project.c — `pkgfresh project NAME`: every repository's packages of one
 * project with versions, statuses and days behind; unknown names get the
 * closest project names as suggestions.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "opts.h"
#include "output.h"

typedef struct proj_ctx {
    pf_out *out; /* created on the first row (NULL: nothing printed yet) */
    long rows;
    pf_outfmt fmt;
    const pf_col *cols; /* 8 columns */
} proj_ctx;

/* One row per package of the project. */
static int proj_row(void *ctx, const pf_pkg_view *p)
{
    proj_ctx *c = ctx;
    if (!c->out && !(c->out = pf_out_new(stdout, c->fmt, c->cols, 8)))
        return 1;
    pf_out_str(c->out, p->repo_id);
    pf_out_str(c->out, p->family);
    pf_out_str(c->out, p->srcname);
    pf_out_str(c->out, p->raw_version);
    pf_out_str(c->out, p->version);
    pf_out_str(c->out, pf_status_name(p->status));
    pf_out_str(c->out, p->best_version);
    pf_out_real(c->out, p->lag_days, 0);
    pf_out_end_row(c->out);
    c->rows++;
    return 0;
}

/* Candidate names for "did you mean". */
typedef struct suggest {
    const char *name;
    char best[5][128];
    double score[5];
} suggest;

/* Trigram similarity of a and b (Jaccard over padded 3-grams, 0..1). */
static double trigram_similarity(const char *a, const char *b)
{
    char pa[160], pb[160];
    snprintf(pa, sizeof pa, "  %s ", a);
    snprintf(pb, sizeof pb, "  %s ", b);
    size_t na = strlen(pa) - 2, nb = strlen(pb) - 2, common = 0;
    for (size_t i = 0; i < na; i++) {
        int dup = 0;
        for (size_t k = 0; k < i && !dup; k++)
            dup = memcmp(pa + k, pa + i, 3) == 0;
        if (dup)
            continue;
        for (size_t j = 0; j < nb; j++)
            if (memcmp(pa + i, pb + j, 3) == 0) {
                common++;
                break;
            }
    }
    return (double)common / (double)(na + nb - common);
}

/* Keep the five most similar project names. */
static int suggest_row(void *ctx, const char *project, long repos, long pkgs)
{
    suggest *s = ctx;
    double sc = trigram_similarity(s->name, project);
    if (strncmp(project, s->name, strlen(s->name)) == 0)
        sc += 0.5; /* prefix matches first */
    for (int i = 0; i < 5; i++) {
        if (sc > s->score[i]) {
            for (int k = 4; k > i; k--) {
                s->score[k] = s->score[k - 1];
                memcpy(s->best[k], s->best[k - 1], sizeof s->best[k]);
            }
            s->score[i] = sc;
            snprintf(s->best[i], sizeof s->best[i], "%s", project);
            break;
        }
    }
    (void)repos, (void)pkgs;
    return 0;
}

/* Show one project everywhere. */
int cmd_project(pf_cli *cli, int argc, char **argv)
{
    const char *format = "table";
    const pf_opt opts[] = {
        {"format", 'f', PF_OPT_STR, &format, "FMT", "table, json or csv"},
        {NULL, 0, 0, NULL, NULL, NULL},
    };
    const pf_cmdspec spec = {
        "project", "NAME [options]", "Every repository's packages of one project.",
        "Columns: repository, family, srcname, rawversion, version (normalized),\n"
        "status, best_version (for outdated packages: the version they lack) and\n"
        "lag_days (days since that version's successor of theirs first appeared\n"
        "anywhere; empty when the history does not reach back far enough).",
        opts};
    const char *pos[1];
    int np = pf_opts_parse(&spec, argc, argv, pos, 1);
    if (np == -2)
        return PF_EXIT_OK;
    pf_outfmt fmt;
    if (np < 0 || pf_outfmt_parse(format, &fmt) != 0)
        return PF_EXIT_USAGE;
    if (np != 1) {
        pf_err("project: which project? (see 'pkgfresh search TEXT')");
        return PF_EXIT_USAGE;
    }
    pf_store *st = pf_cli_store(cli);
    if (!st)
        return PF_EXIT_USAGE;
    static const pf_col cols[] = {{"repository", PF_COL_STR},   {"family", PF_COL_STR},
                                  {"srcname", PF_COL_STR},      {"rawversion", PF_COL_STR},
                                  {"version", PF_COL_STR},      {"status", PF_COL_STR},
                                  {"best_version", PF_COL_STR}, {"lag_days", PF_COL_REAL}};
    /* The exact name first, through the package_project index (milliseconds
     * on 1.5 M packages); the table is started on the first row, so an unknown
     * name prints none. Only then the substring scan over every package that
     * finds "did you mean" names (about 1 s on 1.5 M packages). */
    proj_ctx probe = {NULL, 0, fmt, cols};
    int rc = pf_store_each_project_package(st, pos[0], proj_row, &probe);
    if (probe.out)
        pf_out_finish(probe.out);
    if (rc != 0) {
        pf_err("project: %s", pf_store_errmsg(st));
        return PF_EXIT_PARTIAL;
    }
    if (probe.rows == 0) {
        suggest sg;
        memset(&sg, 0, sizeof sg);
        sg.name = pos[0];
        if (pf_store_search_projects(st, pos[0], suggest_row, &sg) != 0) {
            pf_err("project: %s", pf_store_errmsg(st));
            return PF_EXIT_PARTIAL;
        }
        if (!sg.best[0][0])
            pf_store_search_projects(st, "", suggest_row, &sg);
        char hint[700] = "";
        size_t used = 0;
        for (int i = 0; i < 5 && sg.best[i][0] && sg.score[i] > 0.2; i++)
            used += (size_t)snprintf(hint + used, sizeof hint - used, "%s%s", i ? ", " : "",
                                     sg.best[i]);
        if (used)
            pf_err("project: no project named '%s'; closest: %s", pos[0], hint);
        else
            pf_err("project: no project named '%s' (see 'pkgfresh search TEXT')", pos[0]);
        return PF_EXIT_PARTIAL;
    }
    return PF_EXIT_OK;
}
