/*
 * labels.c — greedy label placement with 8 candidate spots and leader lines.
 */
#include "labels.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Dots are kept clear by this radius (halo ring plus a hair). */
#define DOT_CLEAR (PF_MAP_DOT_HALO_R + 0.5)
/* Gap between dot centre and the near edge of a label beside it. */
#define NEAR_GAP 6.0
/* Outward search: first step and growth of the distance. */
#define STEP0 4.0
/* Directions tried on each outward ring. */
#define NANG 24
/* Radius for counting neighbours when ordering crowded labels. */
#define CROWD_R 40.0

/* Candidate directions in the documented order: right, left, above, below,
 * then the diagonals. hx/hy: -1 = box before the dot, 0 = centred, 1 = after. */
static const int DIRS[8][2] = {{1, 0},  {-1, 0},  {0, -1}, {0, 1},
                               {1, -1}, {-1, -1}, {1, 1},  {-1, 1}};

/* Overlap test with open intervals, so boxes that only touch are fine. */
int pf_label_boxes_overlap(const pf_label_box *a, const pf_label_box *b)
{
    return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 && b->y0 < a->y1;
}

/* Distance from the disc centre to the nearest box point, compared to r. */
int pf_label_box_hits_disc(const pf_label_box *b, double cx, double cy, double r)
{
    double nx = cx < b->x0 ? b->x0 : (cx > b->x1 ? b->x1 : cx);
    double ny = cy < b->y0 ? b->y0 : (cy > b->y1 ? b->y1 : cy);
    double ddx = cx - nx, ddy = cy - ny;
    return ddx * ddx + ddy * ddy < r * r;
}

/* Place a w x h box in direction (hx, hy) at distance d from (cx, cy). */
static void put_box(pf_label_box *b, double cx, double cy, int hx, int hy, double d, double w,
                    double h)
{
    /* diagonals sit a little closer so they hug the dot like the axis spots */
    double dd = (hx && hy) ? d * 0.75 : d;
    b->x0 = hx > 0 ? cx + dd : (hx < 0 ? cx - dd - w : cx - w / 2);
    b->y0 = hy > 0 ? cy + dd : (hy < 0 ? cy - dd - h : cy - h / 2);
    b->x1 = b->x0 + w;
    b->y1 = b->y0 + h;
}

/* Place a w x h box whose boundary touches the point at distance d from
 * (cx, cy) in direction (ux, uy): the side facing the dot slides smoothly
 * from the left edge (ux = 1) through the centre (ux = 0) to the right edge. */
static void put_box_angle(pf_label_box *b, double cx, double cy, double ux, double uy, double d,
                          double w, double h)
{
    double px = cx + ux * d, py = cy + uy * d;
    b->x0 = px - w * (1.0 - ux) / 2.0;
    b->y0 = py - h * (1.0 - uy) / 2.0;
    b->x1 = b->x0 + w;
    b->y1 = b->y0 + h;
}

/* Does the segment (ax, ay)-(bx, by) pass through the interior of box r?
 * Liang-Barsky clipping against the box shrunk by a hair, so a leader that
 * only grazes an edge does not count. */
int pf_label_segment_hits_box(double ax, double ay, double bx, double by, const pf_label_box *r)
{
    const double e = 0.25;
    double x0 = r->x0 + e, x1 = r->x1 - e, y0 = r->y0 + e, y1 = r->y1 - e;
    if (x0 >= x1 || y0 >= y1)
        return 0;
    double dx = bx - ax, dy = by - ay, t0 = 0.0, t1 = 1.0;
    double p[4] = {-dx, dx, -dy, dy};
    double q[4] = {ax - x0, x1 - ax, ay - y0, y1 - ay};
    for (int i = 0; i < 4; i++) {
        if (p[i] == 0.0) {
            if (q[i] < 0.0)
                return 0;
            continue;
        }
        double t = q[i] / p[i];
        if (p[i] < 0.0) {
            if (t > t1)
                return 0;
            if (t > t0)
                t0 = t;
        } else {
            if (t < t0)
                return 0;
            if (t < t1)
                t1 = t;
        }
    }
    return t0 < t1;
}

/* End of the leader on box b: its point nearest to the dot. */
void pf_label_leader_end(const pf_label_box *b, double *x, double *y)
{
    *x = b->dx < b->x0 ? b->x0 : (b->dx > b->x1 ? b->x1 : b->dx);
    *y = b->dy < b->y0 ? b->y0 : (b->dy > b->y1 ? b->y1 : b->dy);
}

/* Squared distance from (px, py) to the segment (ax, ay)-(bx, by). */
static double seg_dist2(double px, double py, double ax, double ay, double bx, double by)
{
    double vx = bx - ax, vy = by - ay, l2 = vx * vx + vy * vy;
    double t = l2 > 0.0 ? ((px - ax) * vx + (py - ay) * vy) / l2 : 0.0;
    t = t < 0.0 ? 0.0 : (t > 1.0 ? 1.0 : t);
    double dx = ax + t * vx - px, dy = ay + t * vy - py;
    return dx * dx + dy * dy;
}

/* With a leader: the new leader must not cut a placed label, the new box
 * must not sit on a placed leader and, when avoid_dots is set, the leader
 * must pass clear of other dots (dots touching its own cannot be avoided). */
static int leader_free(const pf_label_box *b, const pf_label_box *placed, size_t nplaced,
                       const double *dots, size_t ndots, int avoid_dots)
{
    double ex, ey;
    pf_label_leader_end(b, &ex, &ey);
    for (size_t i = 0; i < nplaced; i++) {
        const pf_label_box *p = &placed[i];
        if (p->state == PF_LABEL_NONE)
            continue;
        if (pf_label_segment_hits_box(b->dx, b->dy, ex, ey, p))
            return 0;
        if (p->state == PF_LABEL_LEADER) {
            double px, py;
            pf_label_leader_end(p, &px, &py);
            if (pf_label_segment_hits_box(p->dx, p->dy, px, py, b))
                return 0;
        }
    }
    if (avoid_dots) {
        const double own2 = 4.0 * DOT_CLEAR * DOT_CLEAR, clear2 = DOT_CLEAR * DOT_CLEAR;
        for (size_t i = 0; i < ndots; i++) {
            double qx = dots[2 * i] - b->dx, qy = dots[2 * i + 1] - b->dy;
            if (qx * qx + qy * qy < own2)
                continue;
            if (seg_dist2(dots[2 * i], dots[2 * i + 1], b->dx, b->dy, ex, ey) < clear2)
                return 0;
        }
    }
    return 1;
}

/* How many placed labels the leader of b cuts, plus placed leaders that cut b. */
static size_t leader_crossings(const pf_label_box *b, const pf_label_box *placed, size_t nplaced)
{
    size_t c = 0;
    double ex, ey;
    pf_label_leader_end(b, &ex, &ey);
    for (size_t i = 0; i < nplaced; i++) {
        const pf_label_box *p = &placed[i];
        if (p->state == PF_LABEL_NONE)
            continue;
        c += (size_t)pf_label_segment_hits_box(b->dx, b->dy, ex, ey, p);
        if (p->state == PF_LABEL_LEADER) {
            double px, py;
            pf_label_leader_end(p, &px, &py);
            c += (size_t)pf_label_segment_hits_box(p->dx, p->dy, px, py, b);
        }
    }
    return c;
}

/* Is box b free: inside the plot, off every dot, off every placed label? */
static int box_free(const pf_label_box *b, const pf_map_frame *f, const double *dots, size_t ndots,
                    const pf_label_box *placed, size_t nplaced)
{
    if (b->x0 < f->px0 || b->x1 > f->px1 || b->y0 < f->py0 || b->y1 > f->py1)
        return 0;
    for (size_t i = 0; i < ndots; i++)
        if (pf_label_box_hits_disc(b, dots[2 * i], dots[2 * i + 1], DOT_CLEAR))
            return 0;
    for (size_t i = 0; i < nplaced; i++)
        if (placed[i].state != PF_LABEL_NONE && pf_label_boxes_overlap(b, &placed[i]))
            return 0;
    return 1;
}

/* Width of a label box: the text advance plus padding. */
static double label_width(cairo_t *cr, const char *text)
{
    cairo_text_extents_t te;
    cairo_text_extents(cr, text, &te);
    return te.x_advance + 2 * PF_LABEL_PAD;
}

/* Greedy layout in two phases (near spots for all, then leaders), input
 * order within each. Dot centres are collected first so every label avoids
 * every dot, including dots whose labels come later. Candidate boxes are
 * built in out[i] itself, whose state stays NONE (not an obstacle) until
 * placed, so the whole out[0..n) can be checked.
 * Ownership: the dot buffer is malloc'd here and freed before returning. */
size_t pf_label_layout(cairo_t *cr, const pf_map_point *pts, size_t n, const pf_map_frame *f,
                       pf_label_box *out)
{
    size_t overlaps = 0;
    cairo_font_extents_t fe;
    cairo_font_extents(cr, &fe);
    const double h = fe.ascent + fe.descent + 2 * PF_LABEL_PAD;
    const double maxd = hypot(f->px1 - f->px0, f->py1 - f->py0);

    /* outward directions: the 8 of DIRS (normalised), then 16 in between */
    double ang[NANG][2];
    for (int k = 0; k < 8; k++) {
        double l = hypot(DIRS[k][0], DIRS[k][1]);
        ang[k][0] = DIRS[k][0] / l;
        ang[k][1] = DIRS[k][1] / l;
    }
    for (int k = 0; k < NANG - 8; k++) {
        double a = (k + 0.5) * (2.0 * M_PI / (NANG - 8));
        ang[8 + k][0] = cos(a);
        ang[8 + k][1] = sin(a);
    }

    double stackbuf[2 * 64];
    double *dots = n > 64 ? malloc(2 * n * sizeof *dots) : stackbuf;
    size_t ndots = 0;
    if (dots) {
        for (size_t i = 0; i < n; i++) {
            if (!pf_map_point_visible(&pts[i]))
                continue;
            dots[2 * ndots] = pf_map_px(f, pts[i].x);
            dots[2 * ndots + 1] = pf_map_py(f, pts[i].y);
            ndots++;
        }
    }
    /* without the dot list (out of memory) labels still avoid each other */

    /* phase 1: every label tries its 8 near spots, in input order; labels
     * still without a spot keep state NONE (NONE boxes are never obstacles) */
    memset(out, 0, n * sizeof *out);
    for (size_t i = 0; i < n; i++) {
        pf_label_box *b = &out[i];
        b->text = pts[i].label && *pts[i].label ? pts[i].label : pts[i].id;
        if (!pf_map_point_visible(&pts[i]) || !b->text || !*b->text) {
            b->text = NULL;
            continue;
        }
        b->dx = pf_map_px(f, pts[i].x);
        b->dy = pf_map_py(f, pts[i].y);
        double w = label_width(cr, b->text);
        for (int k = 0; k < 8; k++) {
            put_box(b, b->dx, b->dy, DIRS[k][0], DIRS[k][1], NEAR_GAP, w, h);
            if (box_free(b, f, dots, ndots, out, n)) {
                b->state = PF_LABEL_NEAR;
                break;
            }
        }
    }

    /* phase 2: the rest walk outwards ring by ring over NANG directions (the
     * 8 main ones first), so crowded labels fan out instead of lining up; the
     * step grows slowly so far rings stay cheap. Pass 0 keeps leaders clear
     * of labels and dots, pass 1 of labels only; a dot walled in by earlier
     * labels finally gets the spot with the fewest leader/label crossings. */
    size_t *order = malloc((n ? n : 1) * sizeof *order);
    size_t *crowd = malloc((n ? n : 1) * sizeof *crowd);
    size_t npend = 0;
    for (size_t i = 0; i < n; i++)
        if (out[i].text && out[i].state == PF_LABEL_NONE)
            order[npend++] = i;
    if (order && crowd) {
        /* most crowded first: they have the fewest ways out, and placing
         * them before their neighbours keeps them from being walled in */
        for (size_t a = 0; a < npend; a++) {
            const pf_label_box *p = &out[order[a]];
            crowd[order[a]] = 0;
            for (size_t j = 0; j < ndots; j++)
                if (hypot(dots[2 * j] - p->dx, dots[2 * j + 1] - p->dy) < CROWD_R)
                    crowd[order[a]]++;
        }
        /* insertion sort: stable, npend is small */
        for (size_t a = 1; a < npend; a++) {
            size_t v = order[a], c = a;
            while (c > 0 && crowd[order[c - 1]] < crowd[v]) {
                order[c] = order[c - 1];
                c--;
            }
            order[c] = v;
        }
    }
    for (size_t a = 0; a < npend; a++) {
        pf_label_box *b = &out[order ? order[a] : a];
        if (!b->text || b->state != PF_LABEL_NONE)
            continue;
        double w = label_width(cr, b->text);
        int found = 0;
        for (int pass = 0; pass < 2 && !found; pass++) {
            double d = NEAR_GAP, step = STEP0;
            while (!found && d < maxd) {
                d += step;
                step *= 1.05;
                for (int k = 0; k < NANG && !found; k++) {
                    put_box_angle(b, b->dx, b->dy, ang[k][0], ang[k][1], d, w, h);
                    found = box_free(b, f, dots, ndots, out, n) &&
                            leader_free(b, out, n, dots, ndots, pass == 0);
                }
            }
        }
        if (!found) {
            /* walled in: take the free spot whose leader cuts fewest labels */
            size_t best = (size_t)-1;
            pf_label_box keep = *b;
            double d = NEAR_GAP, step = STEP0;
            while (best > 0 && d < maxd) {
                d += step;
                step *= 1.05;
                for (int k = 0; k < NANG && best > 0; k++) {
                    put_box_angle(b, b->dx, b->dy, ang[k][0], ang[k][1], d, w, h);
                    if (!box_free(b, f, dots, ndots, out, n))
                        continue;
                    size_t c = leader_crossings(b, out, n);
                    if (c < best) {
                        best = c;
                        keep = *b;
                    }
                }
            }
            *b = keep;
            found = best != (size_t)-1;
        }
        if (found) {
            b->state = PF_LABEL_LEADER;
        } else {
            put_box(b, b->dx, b->dy, 1, 0, NEAR_GAP, w, h);
            b->state = PF_LABEL_OVERLAP;
            overlaps++;
        }
    }

    free(order);
    free(crowd);
    for (size_t i = 0; i < n; i++) {
        out[i].tx = out[i].x0 + PF_LABEL_PAD;
        out[i].ty = out[i].y0 + PF_LABEL_PAD + fe.ascent;
    }
    if (dots != stackbuf)
        free(dots);
    return overlaps;
}
