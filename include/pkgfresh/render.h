/*
 * render.h — charts with cairo (PNG, SVG, PDF by the output file's extension).
 *
 * Renderers take plain data (no database): the CLI gathers points from the
 * store and hands them over. Output is written to a temporary file and
 * renamed into place. Deterministic: same input, same bytes.
 */
#ifndef PKGFRESH_RENDER_H
#define PKGFRESH_RENDER_H

#include <stddef.h>

typedef struct pf_map_point {
    const char *id;    /* repository id */
    const char *label; /* repository title */
    const char *color; /* "#rrggbb" */
    double x;          /* projects in the repository */
    double y;          /* fresh projects */
} pf_map_point;

typedef struct pf_map_opts {
    int width, height; /* pixels (default 1140 x 800) */
    const char *title; /* NULL = none */
    const char *subtitle;
} pf_map_opts;

void pf_map_opts_default(pf_map_opts *o);

/* Draw the size / freshness map into path (.png, .svg or .pdf). */
int pf_render_map(const pf_map_point *pts, size_t n, const pf_map_opts *o, const char *path,
                  char *err, size_t errlen);

#endif
