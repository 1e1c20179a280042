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
/* Leaders up to this long are tried first (clear of dots, then not). */
#define SHORT_REACH 110.0
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

/* ---- spatial index --------------------------------------------------------
 * Dots, placed label boxes and placed leaders are bucketed into square cells
 * so a candidate box or leader is tested only against what lies near it
 * (300 repositories would otherwise cost seconds). An item spanning several
 * cells is listed in each; a per-query stamp visits every item once. */

#define CELL 32.0
#define FINE 4.0

/* Kinds of indexed items. */
enum { IT_DOT = 0, IT_BOX = 1, IT_LEADER = 2 };

typedef struct gent {
    int kind, idx, next; /* next entry of the same cell, -1 = end */
} gent;

/* The index. Ownership: every array is malloc'd by grid_init and freed by
 * grid_free. Invariant: head[c] is -1 or an index into ent. */
typedef struct lgrid {
    double x0, y0;
    int nx, ny;
    int *head;
    gent *ent;
    size_t nent, cap;
    unsigned *stamp_dot, *stamp_lab; /* last query that visited each item */
    unsigned query;
    int oom;
    /* fine bitmap (FINE px cells, same origin): nonzero = the cell lies
     * wholly inside a placed label box, or holds a dot centre. A candidate
     * box wholly containing such a cell overlaps that label or covers that
     * dot for sure: a cheap, exact early rejection. */
    unsigned char *full;
    int fx, fy;
} lgrid;

/* Layout state shared by the helpers below. */
typedef struct lctx {
    const pf_map_frame *f;
    const double *dots; /* 2 * ndots coordinates */
    size_t ndots;
    pf_label_box *out; /* all label slots (state NONE = not an obstacle) */
    size_t n;
    lgrid g;
} lctx;

/* Allocate an index covering the frame (plus a margin for leaders). */
static int grid_init(lgrid *g, const pf_map_frame *f, size_t ndots, size_t n)
{
    memset(g, 0, sizeof *g);
    g->x0 = f->px0 - CELL;
    g->y0 = f->py0 - CELL;
    g->nx = (int)((f->px1 - f->px0) / CELL) + 3;
    g->ny = (int)((f->py1 - f->py0) / CELL) + 3;
    g->head = malloc((size_t)g->nx * (size_t)g->ny * sizeof *g->head);
    g->stamp_dot = calloc(ndots ? ndots : 1, sizeof *g->stamp_dot);
    g->stamp_lab = calloc(n ? n : 1, sizeof *g->stamp_lab);
    g->fx = (int)(g->nx * CELL / FINE);
    g->fy = (int)(g->ny * CELL / FINE);
    g->full = calloc((size_t)g->fx * (size_t)g->fy, 1);
    if (!g->head || !g->stamp_dot || !g->stamp_lab || !g->full)
        return -1;
    for (int i = 0; i < g->nx * g->ny; i++)
        g->head[i] = -1;
    return 0;
}

/* Release the index. */
static void grid_free(lgrid *g)
{
    free(g->head);
    free(g->ent);
    free(g->stamp_dot);
    free(g->stamp_lab);
    free(g->full);
    memset(g, 0, sizeof *g);
}

/* Cell range covering [a, b] on one axis, clamped to the grid. */
static void cell_range(double a, double b, double o, int nmax, int *c0, int *c1)
{
    double lo = floor((a - o) / CELL), hi = floor((b - o) / CELL);
    *c0 = lo < 0 ? 0 : (lo >= nmax ? nmax - 1 : (int)lo);
    *c1 = hi < 0 ? 0 : (hi >= nmax ? nmax - 1 : (int)hi);
}

/* List an item in every cell its bounding box touches. */
static void grid_add(lgrid *g, int kind, int idx, double x0, double y0, double x1, double y1)
{
    int cx0, cx1, cy0, cy1;
    cell_range(x0, x1, g->x0, g->nx, &cx0, &cx1);
    cell_range(y0, y1, g->y0, g->ny, &cy0, &cy1);
    for (int cy = cy0; cy <= cy1; cy++)
        for (int cx = cx0; cx <= cx1; cx++) {
            if (g->nent == g->cap) {
                size_t cap = g->cap ? 2 * g->cap : 1024;
                gent *e = realloc(g->ent, cap * sizeof *e);
                if (!e) {
                    g->oom = 1;
                    return;
                }
                g->ent = e;
                g->cap = cap;
            }
            int c = cy * g->nx + cx;
            g->ent[g->nent] = (gent){kind, idx, g->head[c]};
            g->head[c] = (int)g->nent++;
        }
}

/* Fine cells wholly inside [x0, x1] x [y0, y1]: columns c0..c1, rows r0..r1
 * (empty when c0 > c1 or r0 > r1), clamped to the bitmap. */
static void fine_inside(const lgrid *g, double x0, double y0, double x1, double y1, int *c0,
                        int *c1, int *r0, int *r1)
{
    *c0 = (int)ceil((x0 - g->x0) / FINE);
    *c1 = (int)floor((x1 - g->x0) / FINE) - 1;
    *r0 = (int)ceil((y0 - g->y0) / FINE);
    *r1 = (int)floor((y1 - g->y0) / FINE) - 1;
    *c0 = *c0 < 0 ? 0 : *c0;
    *r0 = *r0 < 0 ? 0 : *r0;
    *c1 = *c1 >= g->fx ? g->fx - 1 : *c1;
    *r1 = *r1 >= g->fy ? g->fy - 1 : *r1;
}

/* Does box b wholly contain a fine cell wholly inside a placed label? */
static int fine_blocked(const lgrid *g, const pf_label_box *b)
{
    int c0, c1, r0, r1;
    fine_inside(g, b->x0, b->y0, b->x1, b->y1, &c0, &c1, &r0, &r1);
    for (int r = r0; r <= r1; r++)
        for (int c = c0; c <= c1; c++)
            if (g->full[r * g->fx + c])
                return 1;
    return 0;
}

/* Index a placed label: its box, and its leader when it has one. */
static void grid_add_label(lgrid *g, const pf_label_box *b, size_t i)
{
    int c0, c1, r0, r1;
    fine_inside(g, b->x0, b->y0, b->x1, b->y1, &c0, &c1, &r0, &r1);
    for (int r = r0; r <= r1; r++)
        for (int c = c0; c <= c1; c++)
            g->full[r * g->fx + c] = 1;
    grid_add(g, IT_BOX, (int)i, b->x0, b->y0, b->x1, b->y1);
    if (b->state == PF_LABEL_LEADER) {
        double ex, ey;
        pf_label_leader_end(b, &ex, &ey);
        grid_add(g, IT_LEADER, (int)i, fmin(b->dx, ex), fmin(b->dy, ey), fmax(b->dx, ex),
                 fmax(b->dy, ey));
    }
}

/* Optional segment filter for grid_visit: only cells within r of the
 * segment (ax, ay)-(bx, by), or overlapping the box, are visited. */
typedef struct seg_filter {
    double ax, ay, bx, by, r;
    double x0, y0, x1, y1; /* box */
} seg_filter;

/* Visit the items listed in the cells of a rectangle (restricted by sf when
 * given), each once per query; fn returns nonzero to stop. Returns what fn
 * returned, or 0. */
typedef int (*visit_fn)(lctx *c, int kind, int idx, void *arg);
static int grid_visit(lctx *c, double x0, double y0, double x1, double y1, const seg_filter *sf,
                      visit_fn fn, void *arg)
{
    lgrid *g = &c->g;
    g->query++;
    int cx0, cx1, cy0, cy1;
    cell_range(x0, x1, g->x0, g->nx, &cx0, &cx1);
    cell_range(y0, y1, g->y0, g->ny, &cy0, &cy1);
    const double half = CELL / 2.0;
    for (int cy = cy0; cy <= cy1; cy++)
        for (int cx = cx0; cx <= cx1; cx++) {
            if (sf) {
                double mx = g->x0 + cx * CELL + half, my = g->y0 + cy * CELL + half;
                int in_box = mx + half >= sf->x0 && mx - half <= sf->x1 && my + half >= sf->y0 &&
                             my - half <= sf->y1;
                double lim = sf->r + half * M_SQRT2;
                if (!in_box && seg_dist2(mx, my, sf->ax, sf->ay, sf->bx, sf->by) > lim * lim)
                    continue;
            }
            for (int e = g->head[cy * g->nx + cx]; e >= 0; e = g->ent[e].next) {
                const gent *it = &g->ent[e];
                if (it->kind == IT_DOT) {
                    if (g->stamp_dot[it->idx] == g->query)
                        continue;
                    g->stamp_dot[it->idx] = g->query;
                } else {
                    /* boxes and leaders share the label stamp: visit_box and
                     * visit_leader_* handle both from the label index */
                    if (g->stamp_lab[it->idx] == g->query)
                        continue;
                    g->stamp_lab[it->idx] = g->query;
                }
                int r = fn(c, it->kind, it->idx, arg);
                if (r)
                    return r;
            }
        }
    return 0;
}

/* box_free visitor: a dot under the box, or a placed label overlapping it. */
static int visit_box(lctx *c, int kind, int idx, void *arg)
{
    const pf_label_box *b = arg;
    if (kind == IT_DOT)
        return pf_label_box_hits_disc(b, c->dots[2 * idx], c->dots[2 * idx + 1], DOT_CLEAR);
    const pf_label_box *p = &c->out[idx];
    return p != b && p->state != PF_LABEL_NONE && pf_label_boxes_overlap(b, p);
}

/* Is box b free: inside the plot, off every dot, off every placed label? */
static int box_free(lctx *c, const pf_label_box *b)
{
    const pf_map_frame *f = c->f;
    if (b->x0 < f->px0 || b->x1 > f->px1 || b->y0 < f->py0 || b->y1 > f->py1)
        return 0;
    if (fine_blocked(&c->g, b))
        return 0;
    return !grid_visit(c, b->x0 - DOT_CLEAR, b->y0 - DOT_CLEAR, b->x1 + DOT_CLEAR,
                       b->y1 + DOT_CLEAR, NULL, visit_box, (void *)b);
}

/* What the leader checks need: the candidate and its leader segment. */
typedef struct leader_q {
    const pf_label_box *b;
    double ex, ey;  /* leader end on b */
    int avoid_dots; /* leader_free: dots count as obstacles */
    size_t count;   /* leader_crossings: crossings so far */
} leader_q;

/* Crossings between the candidate (its leader, its box) and placed label idx:
 * the new leader through the label, the label's leader through the new box. */
static int label_crossings(lctx *c, int idx, const leader_q *q)
{
    const pf_label_box *p = &c->out[idx], *b = q->b;
    if (p == b || p->state == PF_LABEL_NONE)
        return 0;
    int n = pf_label_segment_hits_box(b->dx, b->dy, q->ex, q->ey, p);
    if (p->state == PF_LABEL_LEADER) {
        double px, py;
        pf_label_leader_end(p, &px, &py);
        n += pf_label_segment_hits_box(p->dx, p->dy, px, py, b);
    }
    return n;
}

/* leader_free visitor: stop at the first obstacle. */
static int visit_leader_free(lctx *c, int kind, int idx, void *arg)
{
    leader_q *q = arg;
    if (kind != IT_DOT)
        return label_crossings(c, idx, q) > 0;
    if (!q->avoid_dots)
        return 0;
    /* dots touching its own cannot be avoided */
    const double own2 = 4.0 * DOT_CLEAR * DOT_CLEAR, clear2 = DOT_CLEAR * DOT_CLEAR;
    double x = c->dots[2 * idx], y = c->dots[2 * idx + 1];
    double qx = x - q->b->dx, qy = y - q->b->dy;
    if (qx * qx + qy * qy < own2)
        return 0;
    return seg_dist2(x, y, q->b->dx, q->b->dy, q->ex, q->ey) < clear2;
}

/* leader_crossings visitor: count. */
static int visit_leader_count(lctx *c, int kind, int idx, void *arg)
{
    leader_q *q = arg;
    if (kind != IT_DOT)
        q->count += (size_t)label_crossings(c, idx, q);
    return 0;
}

/* Area to search for a leader's obstacles: cells near its segment (labels
 * it cuts, dots it passes) and cells of the new label box (placed leaders
 * crossing it are indexed by their own bounding boxes). */
static void leader_area(const leader_q *q, double r[4], seg_filter *sf)
{
    const pf_label_box *b = q->b;
    r[0] = fmin(fmin(b->dx, q->ex), b->x0) - DOT_CLEAR;
    r[1] = fmin(fmin(b->dy, q->ey), b->y0) - DOT_CLEAR;
    r[2] = fmax(fmax(b->dx, q->ex), b->x1) + DOT_CLEAR;
    r[3] = fmax(fmax(b->dy, q->ey), b->y1) + DOT_CLEAR;
    *sf = (seg_filter){b->dx, b->dy, q->ex, q->ey, DOT_CLEAR, b->x0, b->y0, b->x1, b->y1};
}

/* With a leader: the new leader must not cut a placed label, the new box
 * must not sit on a placed leader and, when avoid_dots is set, the leader
 * must pass clear of other dots (dots touching its own cannot be avoided). */
static int leader_free(lctx *c, const pf_label_box *b, int avoid_dots)
{
    leader_q q = {.b = b, .avoid_dots = avoid_dots};
    pf_label_leader_end(b, &q.ex, &q.ey);
    double r[4];
    seg_filter sf;
    leader_area(&q, r, &sf);
    return !grid_visit(c, r[0], r[1], r[2], r[3], &sf, visit_leader_free, &q);
}

/* How many placed labels the leader of b cuts, plus placed leaders that cut b. */
static size_t leader_crossings(lctx *c, const pf_label_box *b)
{
    leader_q q = {.b = b};
    pf_label_leader_end(b, &q.ex, &q.ey);
    double r[4];
    seg_filter sf;
    leader_area(&q, r, &sf);
    grid_visit(c, r[0], r[1], r[2], r[3], &sf, visit_leader_count, &q);
    return q.count;
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
size_t pf_label_layout(cairo_t *cr, const pf_map_point *pts, const unsigned char *nolabel, size_t n,
                       const pf_map_frame *f, pf_label_box *out)
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
    lctx c = {.f = f, .dots = dots, .ndots = dots ? ndots : 0, .out = out, .n = n};
    if (grid_init(&c.g, f, c.ndots, n) != 0) {
        /* no index, no safe layout: no labels rather than overlapping ones */
        grid_free(&c.g);
        memset(out, 0, n * sizeof *out);
        if (dots != stackbuf)
            free(dots);
        return n;
    }
    for (size_t k = 0; k < c.ndots; k++) {
        grid_add(&c.g, IT_DOT, (int)k, dots[2 * k] - DOT_CLEAR, dots[2 * k + 1] - DOT_CLEAR,
                 dots[2 * k] + DOT_CLEAR, dots[2 * k + 1] + DOT_CLEAR);
        int fc = (int)floor((dots[2 * k] - c.g.x0) / FINE);
        int fr = (int)floor((dots[2 * k + 1] - c.g.y0) / FINE);
        if (fc >= 0 && fc < c.g.fx && fr >= 0 && fr < c.g.fy)
            c.g.full[fr * c.g.fx + fc] = 1;
    }

    /* phase 1: every label tries its 8 near spots, in input order; labels
     * still without a spot keep state NONE (NONE boxes are never obstacles) */
    memset(out, 0, n * sizeof *out);
    for (size_t i = 0; i < n; i++) {
        pf_label_box *b = &out[i];
        b->text = pts[i].label && *pts[i].label ? pts[i].label : pts[i].id;
        if (!pf_map_point_visible(&pts[i]) || (nolabel && nolabel[i]) || !b->text || !*b->text) {
            b->text = NULL;
            continue;
        }
        b->dx = pf_map_px(f, pts[i].x);
        b->dy = pf_map_py(f, pts[i].y);
        double w = label_width(cr, b->text);
        for (int k = 0; k < 8; k++) {
            put_box(b, b->dx, b->dy, DIRS[k][0], DIRS[k][1], NEAR_GAP, w, h);
            if (box_free(&c, b)) {
                b->state = PF_LABEL_NEAR;
                grid_add_label(&c.g, b, i);
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
            size_t v = order[a], k = a;
            while (k > 0 && crowd[order[k - 1]] < crowd[v]) {
                order[k] = order[k - 1];
                k--;
            }
            order[k] = v;
        }
    }
    for (size_t a = 0; a < npend; a++) {
        size_t bi = order ? order[a] : a;
        pf_label_box *b = &out[bi];
        if (!b->text || b->state != PF_LABEL_NONE)
            continue;
        double w = label_width(cr, b->text);
        int found = 0, any_free = 0;
        double reach = maxd;
        /* passes: (leader clear of dots, reach): a short leader that passes a
         * dot beats a long one across the chart, so both short passes come
         * before the long ones */
        const struct {
            int avoid_dots;
            double reach;
        } passes[4] = {{1, SHORT_REACH}, {0, SHORT_REACH}, {1, reach}, {0, reach}};
        for (int pass = 0; pass < 4 && !found; pass++) {
            double d = NEAR_GAP, step = STEP0;
            while (!found && d < passes[pass].reach) {
                d += step;
                step *= 1.05;
                for (int k = 0; k < NANG && !found; k++) {
                    put_box_angle(b, b->dx, b->dy, ang[k][0], ang[k][1], d, w, h);
                    if (!box_free(&c, b))
                        continue;
                    any_free = 1;
                    found = leader_free(&c, b, passes[pass].avoid_dots);
                }
            }
            /* no free box anywhere (a full canvas): the later searches,
             * which also need one, cannot succeed either */
            if (!any_free && passes[pass].reach >= reach)
                break;
        }
        if (!found && any_free) {
            /* walled in: take the free spot whose leader cuts fewest labels */
            size_t best = (size_t)-1;
            pf_label_box keep = *b;
            double d = NEAR_GAP, step = STEP0;
            while (best > 0 && d < reach) {
                d += step;
                step *= 1.05;
                for (int k = 0; k < NANG && best > 0; k++) {
                    put_box_angle(b, b->dx, b->dy, ang[k][0], ang[k][1], d, w, h);
                    if (!box_free(&c, b))
                        continue;
                    size_t nc = leader_crossings(&c, b);
                    if (nc < best) {
                        best = nc;
                        keep = *b;
                    }
                }
            }
            *b = keep;
            found = best != (size_t)-1;
        }
        if (found) {
            b->state = PF_LABEL_LEADER;
            grid_add_label(&c.g, b, bi);
        } else {
            put_box(b, b->dx, b->dy, 1, 0, NEAR_GAP, w, h);
            b->state = PF_LABEL_OVERLAP; /* not drawn, not an obstacle */
            overlaps++;
        }
    }
    if (c.g.oom) { /* the index missed items: the layout cannot be trusted */
        for (size_t i = 0; i < n; i++)
            if (out[i].state == PF_LABEL_NEAR || out[i].state == PF_LABEL_LEADER) {
                out[i].state = PF_LABEL_OVERLAP;
                overlaps++;
            }
    }
    grid_free(&c.g);

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
