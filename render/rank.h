/*
 * rank.h — internal: layout of the ranking bar chart, shared by rank.c and
 * the tests (which measure bars in the rendered PNG).
 */
#ifndef PKGFRESH_RENDER_RANK_H
#define PKGFRESH_RENDER_RANK_H

#include <stddef.h>

#include "pkgfresh/render.h"
#include "scale.h"

#define PF_RANK_PITCH    26.0 /* vertical distance between bars (auto height) */
#define PF_RANK_BAR_FRAC 0.7  /* bar thickness / pitch */

/* The bars in display order (top first): indexes into the caller's items,
 * only items with a known value, at most limit. Invariants: px0 < px1,
 * py0 < py1; sx maps [0, xmax] to [px0, px1]; bar i is centred at
 * py0 + (i + 0.5) * pitch. A fixed height squeezes the pitch to fit. */
typedef struct pf_rank_frame {
    int width, height; /* height resolved (auto when the options say 0) */
    double px0, py0, px1, py1;
    double xmax, xstep;
    double pitch, bar_h;
    pf_scale sx;
    double label_w, value_w;
    size_t *order; /* nbars indexes, malloc'd: pf_rank_frame_free */
    size_t nbars;
    size_t omitted; /* items with unknown values */
} pf_rank_frame;

/* Rank the items and lay out the chart; 0, or -1 when out of memory. */
int pf_rank_frame_compute(const pf_rank_item *items, size_t n, const pf_rank_opts *o,
                          pf_rank_frame *f);
void pf_rank_frame_free(pf_rank_frame *f);

/* Value -> pixel x (bar end); bar index -> centre y. */
double pf_rank_px(const pf_rank_frame *f, double v);
double pf_rank_bar_y(const pf_rank_frame *f, size_t i);

#endif
