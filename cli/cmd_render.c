/*
 * cmd_render.c — `pkgfresh render map`: gather each analyzed repository's
 * (projects, fresh projects) point and hand it to the renderer.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "opts.h"
#include "pkgfresh/render.h"

typedef struct map_ctx {
    const pf_catalog *cat;
    pf_map_point *pts;
    char (*labels)[128];
    char (*colors)[16];
    char (*ids)[128];
    size_t n, cap;
    int64_t newest; /* latest stats time */
} map_ctx;

/* Collect one repository's point (skip repositories never analyzed). */
static int map_row(void *ctx, const pf_repo_row *row)
{
    map_ctx *m = ctx;
    if (!row->has_stats || m->n >= m->cap)
        return 0;
    const pf_repo *r = pf_catalog_find(m->cat, row->repo_id);
    snprintf(m->ids[m->n], sizeof m->ids[m->n], "%s", row->repo_id);
    snprintf(m->labels[m->n], sizeof m->labels[m->n], "%s",
             r && r->title ? r->title : row->repo_id);
    snprintf(m->colors[m->n], sizeof m->colors[m->n], "%s",
             r && r->color ? r->color : (row->color ? row->color : "#000000"));
    pf_map_point *p = &m->pts[m->n++];
    p->id = NULL;
    p->x = (double)row->stats.num_projects;
    p->y = (double)row->stats.num_fresh;
    if (row->stats_taken_at > m->newest)
        m->newest = row->stats_taken_at;
    return 0;
}

/* Render a chart. */
int cmd_render(pf_cli *cli, int argc, char **argv)
{
    const char *outpath = NULL, *title = NULL, *subtitle = NULL;
    long width = 1140, height = 800;
    const pf_opt opts[] = {
        {"out", 'o', PF_OPT_STR, &outpath, "FILE", "output file: .png, .svg or .pdf"},
        {"width", 0, PF_OPT_INT, &width, "PX", "width (default 1140)"},
        {"height", 0, PF_OPT_INT, &height, "PX", "height (default 800)"},
        {"title", 0, PF_OPT_STR, &title, "TEXT", "title at the top"},
        {"subtitle", 0, PF_OPT_STR, &subtitle, "TEXT",
         "subtitle (default: data date and pkgfresh version)"},
        {NULL, 0, 0, NULL, NULL, NULL},
    };
    const pf_cmdspec spec = {
        "render", "map --out FILE [options]", "Draw a chart from the latest analysis.",
        "Charts:\n"
        "  map   Repology's map: x = projects in the repository, y = fresh projects,\n"
        "        a dot per repository in its catalog color; the grey zone above\n"
        "        y = x is impossible.\n\n"
        "Example:\n"
        "  pkgfresh render map --out map.png --title 'Freshness of Linux distributions'",
        opts};
    const char *pos[1];
    int np = pf_opts_parse(&spec, argc, argv, pos, 1);
    if (np == -2)
        return PF_EXIT_OK;
    if (np < 0)
        return PF_EXIT_USAGE;
    if (np != 1 || strcmp(pos[0], "map") != 0) {
        pf_err("render: which chart? (only 'map' so far; see 'pkgfresh render --help')");
        return PF_EXIT_USAGE;
    }
    if (!outpath) {
        pf_err("render: --out FILE is required (.png, .svg or .pdf)");
        return PF_EXIT_USAGE;
    }
    if (width < 200 || height < 150 || width > 20000 || height > 20000) {
        pf_err("render: --width/--height out of range (200x150 .. 20000x20000)");
        return PF_EXIT_USAGE;
    }
    pf_store *st = pf_cli_store(cli);
    if (!st)
        return PF_EXIT_USAGE;
    map_ctx m = {.cat = &cli->catalog, .cap = 4096};
    m.pts = calloc(m.cap, sizeof *m.pts);
    m.labels = calloc(m.cap, sizeof *m.labels);
    m.colors = calloc(m.cap, sizeof *m.colors);
    m.ids = calloc(m.cap, sizeof *m.ids);
    int rc = PF_EXIT_OK;
    if (!m.pts || !m.labels || !m.colors || !m.ids || pf_store_each_repo(st, map_row, &m) != 0) {
        pf_err("render: %s", pf_store_errmsg(st));
        rc = PF_EXIT_PARTIAL;
        goto done;
    }
    for (size_t i = 0; i < m.n; i++) {
        m.pts[i].id = m.ids[i];
        m.pts[i].label = m.labels[i];
        m.pts[i].color = m.colors[i];
    }
    char sub[128];
    if (!subtitle) {
        char date[32] = "no data";
        if (m.newest) {
            time_t t = (time_t)m.newest;
            struct tm tm;
            gmtime_r(&t, &tm);
            strftime(date, sizeof date, "%Y-%m-%d", &tm);
        }
        snprintf(sub, sizeof sub, "data of %s · pkgfresh %s", date, PKGFRESH_VERSION);
        subtitle = sub;
    }
    pf_map_opts mo;
    pf_map_opts_default(&mo);
    mo.width = (int)width;
    mo.height = (int)height;
    mo.title = title;
    mo.subtitle = subtitle;
    char err[512];
    if (pf_render_map(m.pts, m.n, &mo, outpath, err, sizeof err) != 0) {
        pf_err("render map: %s: %s", outpath, err);
        rc = PF_EXIT_PARTIAL;
    } else if (!cli->quiet) {
        fprintf(stderr, "pkgfresh: wrote %s (%zu repositories)\n", outpath, m.n);
    }
done:
    free(m.pts);
    free(m.labels);
    free(m.colors);
    free(m.ids);
    return rc;
}
