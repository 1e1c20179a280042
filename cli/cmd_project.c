/*
 * cmd_project.c — `pkgfresh project NAME`: every repository's packages of one
 * project with versions, statuses and days behind; unknown names get the
 * closest project names as suggestions.
 */
#include <stdint.h>
#include <stdio.h>
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

/* Padded names are at most this long (longer names are cut, as they always were). */
#define TRI_PAD 160
/* Slots of the open-addressing table of the wanted name's trigrams (> 2 * TRI_PAD). */
#define TRI_SLOTS 512

/* Candidate names for "did you mean", and the wanted name's trigrams (its
 * padded form "  NAME " cut to TRI_PAD - 1 bytes), so each candidate costs one
 * pass over its own trigrams. */
typedef struct suggest {
    const char *name;
    size_t name_len;
    char best[5][128];
    double score[5];
    size_t na;                 /* trigram positions of the wanted name */
    size_t distinct;           /* its distinct trigrams */
    uint32_t key[TRI_SLOTS];   /* trigram + 1 (0 = empty slot) */
    uint16_t index[TRI_SLOTS]; /* which distinct trigram */
    uint32_t stamp[TRI_PAD];   /* per distinct trigram: last candidate that had it */
    uint32_t candidate;        /* candidates seen */
} suggest;

/* The three bytes at p as one number. */
static uint32_t trigram_at(const char *p)
{
    return (uint32_t)(unsigned char)p[0] << 16 | (uint32_t)(unsigned char)p[1] << 8 |
           (uint32_t)(unsigned char)p[2];
}

/* Slot of trigram t in s's table: where it is, or the empty slot it would take. */
static size_t trigram_slot(const suggest *s, uint32_t t)
{
    size_t h = (size_t)((t * 2654435761u) >> 23) % TRI_SLOTS;
    while (s->key[h] != 0 && s->key[h] != t + 1)
        h = (h + 1) % TRI_SLOTS;
    return h;
}

/* Set up s for the wanted name: its padded trigrams, each distinct one numbered. */
static void suggest_init(suggest *s, const char *name)
{
    memset(s, 0, sizeof *s);
    s->name = name;
    s->name_len = strlen(name);
    char pa[TRI_PAD];
    snprintf(pa, sizeof pa, "  %s ", name);
    s->na = strlen(pa) - 2;
    for (size_t i = 0; i < s->na; i++) {
        uint32_t t = trigram_at(pa + i);
        size_t h = trigram_slot(s, t);
        if (s->key[h] == 0) {
            s->key[h] = t + 1;
            s->index[h] = (uint16_t)s->distinct++;
        }
    }
}

/* Trigram similarity of the wanted name and b (Jaccard over padded 3-grams,
 * 0..1): distinct trigrams of the wanted name found in b, over both names'
 * trigram counts less that. */
static double trigram_similarity(suggest *s, const char *b)
{
    char pb[TRI_PAD];
    snprintf(pb, sizeof pb, "  %s ", b);
    size_t nb = strlen(pb) - 2, common = 0;
    uint32_t now = ++s->candidate;
    for (size_t j = 0; j < nb; j++) {
        size_t h = trigram_slot(s, trigram_at(pb + j));
        if (s->key[h] != 0 && s->stamp[s->index[h]] != now) {
            s->stamp[s->index[h]] = now;
            common++;
        }
    }
    return (double)common / (double)(s->na + nb - common);
}

/* Keep the five most similar project names. A name whose best possible
 * similarity (every distinct trigram shared) cannot beat the fifth is skipped
 * unread: on 600k projects that is most of them. */
static int suggest_name(void *ctx, const char *project)
{
    suggest *s = ctx;
    double bonus = strncmp(project, s->name, s->name_len) == 0 ? 0.5 : 0; /* prefix matches first */
    size_t len = strlen(project), nb = len + 3 < TRI_PAD ? len + 1 : TRI_PAD - 3;
    size_t most = s->distinct < nb ? s->distinct : nb;
    if ((double)most / (double)(s->na + nb - most) + bonus <= s->score[4])
        return 0;
    double sc = trigram_similarity(s, project) + bonus;
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
    return 0;
}

/* suggest_name for a search row (the counts do not matter). */
static int suggest_row(void *ctx, const char *project, long repos, long pkgs)
{
    (void)repos, (void)pkgs;
    return suggest_name(ctx, project);
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
    pf_store *st = pf_cli_store_few(cli);
    if (!st)
        return PF_EXIT_USAGE;
    static const pf_col cols[] = {{"repository", PF_COL_STR},   {"family", PF_COL_STR},
                                  {"srcname", PF_COL_STR},      {"rawversion", PF_COL_STR},
                                  {"version", PF_COL_STR},      {"status", PF_COL_STR},
                                  {"best_version", PF_COL_STR}, {"lag_days", PF_COL_REAL}};
    /* The exact name first, through the result_project index (milliseconds
     * on 1.5 M packages); the table is started on the first row, so an unknown
     * name prints none. Only then "did you mean": names containing NAME
     * (the trigram index), else every project name (164k names: about 30 ms,
     * 1.7 s when it read every package and scored trigrams pairwise). */
    proj_ctx probe = {NULL, 0, fmt, cols};
    int rc = pf_store_each_project_package(st, pos[0], proj_row, &probe);
    if (probe.out)
        pf_out_finish(probe.out);
    if (rc != 0) {
        pf_err("project: %s", pf_store_errmsg(st));
        return PF_EXIT_PARTIAL;
    }
    if (probe.rows == 0) {
        suggest *sg = malloc(sizeof *sg);
        if (!sg) {
            pf_err("project: out of memory");
            return PF_EXIT_PARTIAL;
        }
        suggest_init(sg, pos[0]);
        int src = pf_store_search_projects(st, pos[0], suggest_row, sg);
        if (src == 0 && !sg->best[0][0])
            src = pf_store_each_project_name(st, suggest_name, sg);
        if (src != 0) {
            pf_err("project: %s", pf_store_errmsg(st));
            free(sg);
            return PF_EXIT_PARTIAL;
        }
        char hint[700] = "";
        size_t used = 0;
        for (int i = 0; i < 5 && sg->best[i][0] && sg->score[i] > 0.2; i++)
            used += (size_t)snprintf(hint + used, sizeof hint - used, "%s%s", i ? ", " : "",
                                     sg->best[i]);
        if (used)
            pf_err("project: no project named '%s'; closest: %s", pos[0], hint);
        else
            pf_err("project: no project named '%s' (see 'pkgfresh search TEXT')", pos[0]);
        free(sg);
        return PF_EXIT_PARTIAL;
    }
    return PF_EXIT_OK;
}
