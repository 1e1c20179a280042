/*
 * map.h — internal: geometry of the size / freshness map, shared by
 * map.c, labels.c and the tests (which need the data -> pixel transform
 * to sample the colour of a dot).
 */
#ifndef PKGFRESH_RENDER_MAP_H
#define PKGFRESH_RENDER_MAP_H

#include <stddef.h>
#include <cairo.h>

#include "pkgfresh/render.h"
#include "scale.h"

#define PF_MAP_DOT_R      4.0 /* coloured dot radius */
#define PF_MAP_DOT_HALO_R 5.0 /* background ring under the dot */
#define PF_MAP_LABEL_SIZE 12.0

/* Plot rectangle (pixels, y grows downwards) and axis scales.
 * Invariant: px0 < px1, py0 < py1. Linear: sx maps [0, xmax] to [px0, px1],
 * sy maps [0, ymax] to [py1, py0]. Log: sx maps [log10 xlo, log10 xmax]
 * (0 < xlo < xmax, xlo a power of ten), values below xlo (zero) sit on the
 * axis at px0; the same for y. */
typedef struct pf_map_frame {
    int width, height;
    double px0, py0, px1, py1;
    double xmax, ymax;
    pf_scale sx, sy;
    int log;
    double xlo, ylo; /* log: lowest decade on the axis; linear: 0 */
    pf_map_variant variant;
    double ytick_w; /* widest y tick label (pixels): the left margin follows it */
    double xtick_w; /* width of the x axis maximum's label: x tick spacing follows it */
} pf_map_frame;

/* Compute the frame for these points and options (NULL opts = defaults).
 * Points with negative or non-finite coordinates are ignored for the maxima. */
void pf_map_frame_compute(const pf_map_point *pts, size_t n, const pf_map_opts *o, pf_map_frame *f);

/* Data -> pixel. */
double pf_map_px(const pf_map_frame *f, double x);
double pf_map_py(const pf_map_frame *f, double y);

/* Pixel -> data (inverse of the above; log: pixels left of / below the
 * first decade give xlo / ylo). */
double pf_map_data_x(const pf_map_frame *f, double px);
double pf_map_data_y(const pf_map_frame *f, double py);

/* Whether a visible point lies within the axes (zoom skips the rest). */
int pf_map_point_in_frame(const pf_map_frame *f, const pf_map_point *p);

/* The points inside the frame in label placement order into vis[0..return)
 * (n entries of room), muted[i] set for the points --highlight mutes: the
 * highlighted ones first, then the others, each group biggest (x) first,
 * ties by id. With o->label_top, only the label_top biggest of all keep
 * their labels (nolabel[i] set for the rest); highlighted points always do. */
size_t pf_map_order(const pf_map_point *pts, size_t n, const pf_map_frame *f, const pf_map_opts *o,
                    pf_map_point *vis, unsigned char *muted, unsigned char *nolabel);

/* Whether a point is drawn at all (finite, non-negative coordinates). */
int pf_map_point_visible(const pf_map_point *p);

/* Parse "#rrggbb" into 0..1 components; returns 0, or -1 (and black) on error. */
int pf_parse_color(const char *s, double rgb[3]);

/* Select the label font (DejaVu Sans, PF_MAP_LABEL_SIZE px) on cr. */
void pf_map_label_font(cairo_t *cr);

#endif
