/*
 * surface.h — internal: output surfaces for the renderers. The output kind
 * comes from the file extension (.png, .svg, .pdf, case-insensitive).
 * Drawing goes to a surface; pf_surface_finish writes "<path>.tmp.<pid>" and
 * renames it into place, so a reader never sees a half-written chart.
 * Output is deterministic: no dates in PDF/SVG, stable SVG element ids.
 */
#ifndef PKGFRESH_RENDER_SURFACE_H
#define PKGFRESH_RENDER_SURFACE_H

#include <stddef.h>
#include <cairo.h>

typedef enum pf_surface_kind { PF_SURF_PNG, PF_SURF_SVG, PF_SURF_PDF } pf_surface_kind;

/* An open output. Owns surf, tmp_path and the SVG buffer until
 * pf_surface_finish or pf_surface_abort releases them. */
typedef struct pf_surface {
    pf_surface_kind kind;
    cairo_surface_t *surf;
    char *path;     /* final path (copy) */
    char *tmp_path; /* "<path>.tmp.<pid>" */
    char *svg;      /* SVG: document collected in memory, normalised at finish */
    size_t svg_len, svg_cap;
    int svg_oom;
    double scale; /* drawing scale for this surface (PNG HiDPI), 1 otherwise */
} pf_surface;

/* Kind from the extension of path; -1 if unknown. */
int pf_surface_kind_from_path(const char *path);

/* Create the surface (width x height pixels, or points for PDF/SVG).
 * Returns 0, or -1 with a one-line message in err. */
int pf_surface_open(pf_surface *o, const char *path, int width, int height, char *err,
                    size_t errlen);

/* Same, PNG pixels multiplied by scale (0 or 1 = as is; SVG/PDF ignore it):
 * the surface is round(width * scale) x round(height * scale) and o->scale
 * says what cairo_scale the drawing must apply (1 for vector outputs). */
int pf_surface_open_scaled(pf_surface *o, const char *path, int width, int height, double scale,
                           char *err, size_t errlen);

/* Finish drawing, write the temporary file, rename it to path and free
 * everything. Returns 0, or -1 with err set (the temp file is removed). */
int pf_surface_finish(pf_surface *o, char *err, size_t errlen);

/* Drop an open output without writing anything. Safe on a zeroed struct. */
void pf_surface_abort(pf_surface *o);

/* Write an RGB24 (or ARGB32, alpha dropped) image surface as an 8-bit RGB
 * PNG to path ("Up" row filter, zlib level 3): 0, or -1 with err set. */
int pf_png_write(cairo_surface_t *surf, const char *path, char *err, size_t errlen);

/* Rewrite cairo's process-global "surfaceN" ids in an SVG buffer to
 * per-document numbers (first seen = 1), in place; returns the new length.
 * Exposed for tests. */
size_t pf_svg_normalize_ids(char *buf, size_t len);

#endif
