/*
 * labels.h — internal: collision-avoiding label placement for the map.
 *
 * Phase 1: for each point (input order) the label is tried at 8 spots around
 * its dot: right, left, above, below, upper-right, upper-left, lower-right,
 * lower-left. The first spot whose box overlaps no placed label box and no dot
 * and lies inside the plot wins. Phase 2 (most crowded dots first): the rest
 * move outwards ring by ring (24 directions, the 8 main ones first) and a thin
 * leader line joins label and dot; a leader avoids labels and other dots when
 * any spot allows it, else the spot with the fewest crossings is taken.
 * A label with no free spot anywhere is dropped (its dot stays), so labels
 * never overlap each other or dots. Dots, labels and leaders are kept in a
 * grid of 32 px cells so each candidate is checked against its
 * neighbourhood only (300 labels in well under 100 ms).
 * Exposed so tests can check the layout (no overlaps) without reading pixels.
 */
#ifndef PKGFRESH_RENDER_LABELS_H
#define PKGFRESH_RENDER_LABELS_H

#include <stddef.h>
#include <cairo.h>

#include "map.h"

typedef enum pf_label_state {
    PF_LABEL_NONE = 0,    /* no label: point not drawn or empty text */
    PF_LABEL_NEAR = 1,    /* next to its dot */
    PF_LABEL_LEADER = 2,  /* moved away, leader line drawn */
    PF_LABEL_OVERLAP = 3, /* no free spot: not drawn (box right of the dot, for reference) */
} pf_label_state;

/* One label. The box includes PF_LABEL_PAD on each side (room for the halo). */
typedef struct pf_label_box {
    pf_label_state state;
    const char *text; /* borrowed from the point (label, else id) */
    double x0, y0, x1, y1;
    double tx, ty; /* text origin (cairo_move_to) */
    double dx, dy; /* dot centre */
} pf_label_box;

#define PF_LABEL_PAD 1.5

/* Lay out the labels of pts[0..n) into out[0..n) (caller-owned, n entries),
 * measuring text on cr, which must have the label font selected
 * (pf_map_label_font). nolabel[i] set (nolabel may be NULL): point i gets
 * no label. Returns the number of PF_LABEL_OVERLAP (dropped) labels. */
size_t pf_label_layout(cairo_t *cr, const pf_map_point *pts, const unsigned char *nolabel, size_t n,
                       const pf_map_frame *f, pf_label_box *out);

/* Whether two label boxes overlap (shared edges do not count). */
int pf_label_boxes_overlap(const pf_label_box *a, const pf_label_box *b);

/* Whether a box overlaps the disc of radius r around (cx, cy). */
int pf_label_box_hits_disc(const pf_label_box *b, double cx, double cy, double r);

/* Whether the segment (ax, ay)-(bx, by) crosses the interior of box r. */
int pf_label_segment_hits_box(double ax, double ay, double bx, double by, const pf_label_box *r);

/* Where the leader of b meets its box: the box point nearest to the dot. */
void pf_label_leader_end(const pf_label_box *b, double *x, double *y);

#endif
