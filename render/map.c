/*
 * map.c — the size / freshness map (Repology's map_repo_size_fresh and its
 * variants): x = projects (or non-unique projects), y = newest projects
 * (Repology's "fresh" on its map; or newest % of comparable), linear from 0
 * or logarithmic, a grey "impossible" zone above
 * y = x, one labelled dot per repository, optional zoom and highlighting.
 */
#include "pkgfresh/render.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "labels.h"
#include "map.h"
#include "scale.h"
#include "surface.h"

/* Layout constants (pixels). */
#define M_LEFT   86.0 /* least left margin; wider y tick labels push it */
#define M_RIGHT  36.0
#define M_TOP    26.0
#define M_BOTTOM 62.0

/* Defaults: Repology's 1140 x 800, no title, linear newest map, light. */
void pf_map_opts_default(pf_map_opts *o)
{
    memset(o, 0, sizeof *o);
    o->width = 1140;
    o->height = 800;
    o->variant = PF_MAP_NEWEST;
    o->scale = 1.0;
    o->theme = PF_THEME_LIGHT;
}

/* A point is drawn when both coordinates are finite and non-negative. */
int pf_map_point_visible(const pf_map_point *p)
{
    return isfinite(p->x) && isfinite(p->y) && p->x >= 0.0 && p->y >= 0.0;
}

/* Within the axis maxima (with float slack): zoomed maps skip the rest. */
int pf_map_point_in_frame(const pf_map_frame *f, const pf_map_point *p)
{
    return pf_map_point_visible(p) && p->x <= f->xmax * (1.0 + 1e-9) &&
           p->y <= f->ymax * (1.0 + 1e-9);
}

/* The label font, shared with tests that measure the layout. */
void pf_map_label_font(cairo_t *cr)
{
    pf_chart_text_options(cr);
    pf_chart_font(cr, PF_MAP_LABEL_SIZE, 0);
}

/* Lowest decade for a log axis: the power of ten at or below the smallest
 * positive value, at least one decade under max. */
static double log_floor(double minpos, double max)
{
    double lo = minpos > 0.0 && isfinite(minpos) ? pow(10.0, floor(log10(minpos) + 1e-9)) : 1.0;
    while (lo * 10.0 > max * (1.0 + 1e-9) && lo > 1e-6)
        lo /= 10.0;
    return lo;
}

/* Tick values of one axis: linear 1-2-5 steps (about one per `per` pixels),
 * or the decades of a log axis. Returns how many were written. */
static size_t axis_ticks(int logax, double lo, double max, double pixels, double per, double *out,
                         size_t cap)
{
    if (logax) {
        size_t n = 0;
        for (double v = lo; v <= max * (1.0 + 1e-9) && n < cap; v *= 10.0)
            out[n++] = v;
        return n;
    }
    int mt = (int)(pixels / per);
    return pf_ticks(max, pf_tick_step(max, mt > 1 ? mt : 1, max > 10 ? 1.0 : 0.0), out, cap);
}

/* Tick text: thousands separators, "%" on a percentage axis. */
static void tick_text(double v, int percent, char *buf, size_t len)
{
    char num[64];
    pf_fmt_thousands(v, num, sizeof num);
    snprintf(buf, len, "%s%s", num, percent ? "%" : "");
}

/* Plot rectangle from the margins and axis maxima from the data: each axis
 * to its own maximum rounded up to two significant digits, capped by the
 * zoom limits; newest % is always 0..100 %. The left margin grows with the
 * widest y tick label so no label is clipped. */
void pf_map_frame_compute(const pf_map_point *pts, size_t n, const pf_map_opts *o, pf_map_frame *f)
{
    pf_map_opts def;
    if (!o) {
        pf_map_opts_default(&def);
        o = &def;
    }
    memset(f, 0, sizeof *f);
    f->width = o->width;
    f->height = o->height;
    f->log = o->log;
    f->variant = o->variant;
    double mx = 0.0, my = 0.0;
    for (size_t i = 0; i < n; i++) {
        if (!pf_map_point_visible(&pts[i]))
            continue;
        if (pts[i].x > mx)
            mx = pts[i].x;
        if (pts[i].y > my)
            my = pts[i].y;
    }
    f->xmax = pf_nice_max(mx);
    f->ymax = o->variant == PF_MAP_NEWEST_PCT ? 100.0 : pf_nice_max(my);
    if (o->xlimit > 0.0 && f->xmax > o->xlimit)
        f->xmax = o->xlimit;
    if (o->ylimit > 0.0 && f->ymax > o->ylimit)
        f->ymax = o->ylimit;
    if (f->log) {
        double minx = INFINITY, miny = INFINITY;
        for (size_t i = 0; i < n; i++) {
            if (!pf_map_point_in_frame(f, &pts[i]))
                continue;
            if (pts[i].x > 0.0 && pts[i].x < minx)
                minx = pts[i].x;
            if (pts[i].y > 0.0 && pts[i].y < miny)
                miny = pts[i].y;
        }
        f->xlo = log_floor(minx, f->xmax);
        f->ylo = log_floor(miny, f->ymax);
    }

    double top = M_TOP + pf_chart_titles_height(o->title, o->subtitle);
    f->py0 = top;
    f->py1 = o->height - M_BOTTOM;
    if (f->py1 - f->py0 < 20.0) { /* tiny canvases: give up the margins, not the invariant */
        f->py0 = 0.0;
        f->py1 = o->height > 1 ? o->height : 1.0;
    }
    double yt[64];
    size_t ny = axis_ticks(f->log, f->ylo, f->ymax, f->py1 - f->py0, 55.0, yt, 64);
    char buf[64];
    for (size_t i = 0; i <= ny; i++) {
        tick_text(i < ny ? yt[i] : f->ymax, f->variant == PF_MAP_NEWEST_PCT, buf, sizeof buf);
        double w = pf_chart_measure(buf, PF_FONT_TICK, i == ny);
        if (w > f->ytick_w)
            f->ytick_w = w;
    }
    tick_text(f->xmax, 0, buf, sizeof buf);
    f->xtick_w = pf_chart_measure(buf, PF_FONT_TICK, 1);
    f->px0 = f->ytick_w + 46.0 > M_LEFT ? f->ytick_w + 46.0 : M_LEFT;
    f->px1 = o->width - M_RIGHT;
    if (f->px1 - f->px0 < 20.0) {
        f->px0 = 0.0;
        f->px1 = o->width > 1 ? o->width : 1.0;
    }
    if (f->log) {
        pf_scale_init(&f->sx, log10(f->xlo), log10(f->xmax), f->px0, f->px1);
        pf_scale_init(&f->sy, log10(f->ylo), log10(f->ymax), f->py1, f->py0);
    } else {
        pf_scale_init(&f->sx, 0.0, f->xmax, f->px0, f->px1);
        pf_scale_init(&f->sy, 0.0, f->ymax, f->py1, f->py0);
    }
}

/* Data x -> pixel x; on a log axis values below the first decade (zero)
 * sit on the axis. */
double pf_map_px(const pf_map_frame *f, double x)
{
    if (f->log)
        return x <= f->xlo ? f->px0 : pf_scale_map(&f->sx, log10(x));
    return pf_scale_map(&f->sx, x);
}

/* Data y -> pixel y (downwards). */
double pf_map_py(const pf_map_frame *f, double y)
{
    if (f->log)
        return y <= f->ylo ? f->py1 : pf_scale_map(&f->sy, log10(y));
    return pf_scale_map(&f->sy, y);
}

/* Pixel x -> data x. */
double pf_map_data_x(const pf_map_frame *f, double px)
{
    double t = f->sx.d0 + (px - f->sx.r0) / (f->sx.r1 - f->sx.r0) * (f->sx.d1 - f->sx.d0);
    return f->log ? pow(10.0, t) : t;
}

/* Pixel y -> data y. */
double pf_map_data_y(const pf_map_frame *f, double py)
{
    double t = f->sy.d0 + (py - f->sy.r0) / (f->sy.r1 - f->sy.r0) * (f->sy.d1 - f->sy.d0);
    return f->log ? pow(10.0, t) : t;
}

/* Whether the variant has the impossible zone (newest <= x always holds). */
static int has_dead_zone(const pf_map_frame *f)
{
    return f->variant != PF_MAP_NEWEST_PCT;
}

/* The impossible region above y = x, clipped to the plot. Along y = x the
 * pixel path is straight on linear and on log-log axes, so the region is the
 * polygon P(lo) .. P(hi), (x(lo), y(hi)) with P(v) = pixel of (v, v). */
static void draw_dead_zone(cairo_t *cr, const pf_map_frame *f, const pf_palette *p)
{
    double lo = f->log ? (f->xlo < f->ylo ? f->xlo : f->ylo) : 0.0;
    double hi = f->xmax > f->ymax ? f->xmax : f->ymax;
    cairo_save(cr);
    cairo_rectangle(cr, f->px0, f->py0, f->px1 - f->px0, f->py1 - f->py0);
    cairo_clip(cr);
    /* pixel of (v, v) without the log clamp at the first decade */
    double ax = f->log ? pf_scale_map(&f->sx, log10(lo)) : pf_map_px(f, lo);
    double ay = f->log ? pf_scale_map(&f->sy, log10(lo)) : pf_map_py(f, lo);
    double bx = f->log ? pf_scale_map(&f->sx, log10(hi)) : pf_map_px(f, hi);
    double by = f->log ? pf_scale_map(&f->sy, log10(hi)) : pf_map_py(f, hi);
    cairo_move_to(cr, ax, ay);
    cairo_line_to(cr, bx, by);
    cairo_line_to(cr, ax < f->px0 ? ax : f->px0, by);
    cairo_line_to(cr, ax < f->px0 ? ax : f->px0, ay);
    cairo_close_path(cr);
    pf_chart_rgb(cr, p->dead);
    cairo_fill(cr);
    cairo_restore(cr);

    /* a note along the visible edge, inside the zone */
    double v0 = f->log ? (f->xlo > f->ylo ? f->xlo : f->ylo) : 0.0;
    double v1 = f->xmax < f->ymax ? f->xmax : f->ymax;
    if (!(v1 > v0))
        return;
    double x0 = pf_map_px(f, v0), y0 = pf_map_py(f, v0);
    double x1 = pf_map_px(f, v1), y1 = pf_map_py(f, v1);
    double len = hypot(x1 - x0, y1 - y0);
    const char *note = f->variant == PF_MAP_NONUNIQUE ? "more newest than non-unique: impossible"
                                                      : "more newest than projects: impossible";
    pf_chart_font(cr, 12.0, 0);
    double w = pf_chart_text_width(cr, note);
    if (len < w + 40.0)
        return;
    /* centred 65% of the way up: the big, fresh repositories crowd the top
     * end of the diagonal and the small ones its foot */
    double ang = atan2(y1 - y0, x1 - x0), t = 0.65;
    double along = t * len;
    if (along + w / 2.0 > len - 12.0)
        along = len - 12.0 - w / 2.0;
    cairo_save(cr);
    cairo_translate(cr, x0 + (x1 - x0) * along / len, y0 + (y1 - y0) * along / len);
    cairo_rotate(cr, ang);
    pf_chart_rgb(cr, p->muted);
    cairo_move_to(cr, -w / 2.0, -7.0);
    cairo_show_text(cr, note);
    cairo_restore(cr);
}

/* Small filled arrowhead at (x, y) pointing along (ux, uy). */
static void arrowhead(cairo_t *cr, double x, double y, double ux, double uy)
{
    const double len = 8.0, half = 3.5;
    cairo_move_to(cr, x, y);
    cairo_line_to(cr, x - ux * len - uy * half, y - uy * len + ux * half);
    cairo_line_to(cr, x - ux * len + uy * half, y - uy * len - ux * half);
    cairo_close_path(cr);
    cairo_fill(cr);
}

/* Tick values for both axes; none when there is no data. */
typedef struct ticks {
    double x[64], y[64];
    size_t nx, ny;
} ticks;

/* Compute the ticks of the frame's axes (about one per 95 px across, more
 * for wide labels, and 55 px up; or every decade on log axes). */
static void compute_ticks(const pf_map_frame *f, int with_ticks, ticks *t)
{
    t->nx = t->ny = 0;
    if (!with_ticks)
        return;
    /* x labels side by side: at least their width plus a gap apart */
    double per = f->xtick_w + 24.0 > 95.0 ? f->xtick_w + 24.0 : 95.0;
    t->nx = axis_ticks(f->log, f->xlo, f->xmax, f->px1 - f->px0, per, t->x, 64);
    t->ny = axis_ticks(f->log, f->ylo, f->ymax, f->py1 - f->py0, 55.0, t->y, 64);
}

/* Light gridlines at the ticks (not at the axes), and on log axes fainter
 * lines at 2..9 times each decade. Drawn before the dead zone, which hides
 * them, so the zone reads as one flat region. */
static void draw_grid(cairo_t *cr, const pf_map_frame *f, const ticks *t, const pf_palette *p)
{
    cairo_set_line_width(cr, 1.0);
    if (f->log && t->nx > 0) {
        pf_chart_rgb(cr, p->grid2);
        for (double d = f->xlo; d < f->xmax; d *= 10.0)
            for (int k = 2; k <= 9 && d * k < f->xmax; k++) {
                double x = pf_chart_crisp(pf_map_px(f, d * k));
                cairo_move_to(cr, x, f->py0);
                cairo_line_to(cr, x, f->py1);
            }
        for (double d = f->ylo; d < f->ymax; d *= 10.0)
            for (int k = 2; k <= 9 && d * k < f->ymax; k++) {
                double y = pf_chart_crisp(pf_map_py(f, d * k));
                cairo_move_to(cr, f->px0, y);
                cairo_line_to(cr, f->px1, y);
            }
        cairo_stroke(cr);
    }
    pf_chart_rgb(cr, p->grid);
    for (size_t i = 1; i < t->nx; i++) {
        double x = pf_chart_crisp(pf_map_px(f, t->x[i]));
        cairo_move_to(cr, x, f->py0);
        cairo_line_to(cr, x, f->py1);
    }
    for (size_t i = 1; i < t->ny; i++) {
        double y = pf_chart_crisp(pf_map_py(f, t->y[i]));
        cairo_move_to(cr, f->px0, y);
        cairo_line_to(cr, f->px1, y);
    }
    cairo_stroke(cr);
}

/* Axis titles for the variant (with "log scale" noted). */
static void axis_titles(const pf_map_frame *f, const char **xt, const char **yt)
{
    switch (f->variant) {
    case PF_MAP_NEWEST_PCT:
        *xt = f->log ? "Projects in repository (log scale)" : "Projects in repository";
        *yt = "Newest: % of comparable projects up to date";
        break;
    case PF_MAP_NONUNIQUE:
        *xt = f->log ? "Non-unique projects (also packaged elsewhere, log scale)"
                     : "Non-unique projects (also packaged elsewhere)";
        *yt = f->log ? "Newest projects (log scale)" : "Newest projects (up to date, not unique)";
        break;
    default:
        *xt = f->log ? "Projects in repository (log scale)" : "Projects in repository";
        *yt = f->log ? "Newest projects (log scale)" : "Newest projects (up to date, not unique)";
        break;
    }
}

/* Axis lines with arrows, ticks with thousands separators and the axis
 * titles. The axis maximum is labelled too when it is clear of the last
 * regular tick, since the axis ends there (Repology labels only 0 and max). */
static void draw_axes(cairo_t *cr, const pf_map_frame *f, const ticks *t, const pf_palette *p)
{
    const double *xt = t->x, *yt = t->y;
    size_t nx = t->nx, ny = t->ny;
    int with_ticks = nx > 0, pct = f->variant == PF_MAP_NEWEST_PCT;
    cairo_set_line_width(cr, 1.0);

    /* axis lines with arrowheads past the plot */
    double ax = pf_chart_crisp(f->px0), ay = pf_chart_crisp(f->py1);
    pf_chart_rgb(cr, p->axis);
    cairo_move_to(cr, ax, ay);
    cairo_line_to(cr, f->px1 + 14.0, ay);
    cairo_move_to(cr, ax, ay);
    cairo_line_to(cr, ax, f->py0 - 14.0);
    cairo_stroke(cr);
    arrowhead(cr, f->px1 + 18.0, ay, 1.0, 0.0);
    arrowhead(cr, ax, f->py0 - 18.0, 0.0, -1.0);

    /* ticks and their labels, kept inside the canvas */
    char buf[64];
    pf_chart_font(cr, PF_FONT_TICK, 0);
    cairo_font_extents_t fe;
    cairo_font_extents(cr, &fe);
    double xlast = -1e9, ylast = 1e9, W = f->width;
    for (size_t i = 0; i < nx; i++) {
        double x = pf_chart_crisp(pf_map_px(f, xt[i]));
        pf_chart_rgb(cr, p->axis);
        cairo_move_to(cr, x, ay);
        cairo_line_to(cr, x, ay + 5.0);
        cairo_stroke(cr);
        tick_text(xt[i], 0, buf, sizeof buf);
        pf_chart_rgb(cr, p->muted);
        pf_chart_text_at(cr, x, ay + 7.0 + fe.ascent, buf, 0.5, 2.0, W - 2.0);
        xlast = x;
    }
    for (size_t i = 0; i < ny; i++) {
        double y = pf_chart_crisp(pf_map_py(f, yt[i]));
        pf_chart_rgb(cr, p->axis);
        cairo_move_to(cr, ax - 5.0, y);
        cairo_line_to(cr, ax, y);
        cairo_stroke(cr);
        tick_text(yt[i], pct, buf, sizeof buf);
        pf_chart_rgb(cr, p->muted);
        pf_chart_text_at(cr, ax - 8.0, y + (fe.ascent - fe.descent) / 2.0, buf, 1.0, 2.0, W);
        ylast = y;
    }
    if (with_ticks) {
        pf_chart_font(cr, PF_FONT_TICK, 1);
        double x = pf_chart_crisp(pf_map_px(f, f->xmax));
        if (x - xlast > f->xtick_w + 12.0 && x - xlast > 75.0) {
            pf_chart_rgb(cr, p->axis);
            cairo_move_to(cr, x, ay);
            cairo_line_to(cr, x, ay + 5.0);
            cairo_stroke(cr);
            tick_text(f->xmax, 0, buf, sizeof buf);
            pf_chart_text_at(cr, x, ay + 7.0 + fe.ascent, buf, 0.5, 2.0, W - 2.0);
        }
        double y = pf_chart_crisp(pf_map_py(f, f->ymax));
        if (ylast - y > 24.0) {
            pf_chart_rgb(cr, p->axis);
            cairo_move_to(cr, ax - 5.0, y);
            cairo_line_to(cr, ax, y);
            cairo_stroke(cr);
            tick_text(f->ymax, pct, buf, sizeof buf);
            pf_chart_text_at(cr, ax - 8.0, y + (fe.ascent - fe.descent) / 2.0, buf, 1.0, 2.0, W);
        }
    }

    /* axis titles: x centred under the plot, y rotated left of the tick labels */
    const char *xtitle, *ytitle;
    axis_titles(f, &xtitle, &ytitle);
    pf_chart_font(cr, PF_FONT_AXIS_TITLE, 1);
    pf_chart_rgb(cr, p->text);
    pf_chart_text_at(cr, (f->px0 + f->px1) / 2.0, ay + 46.0, xtitle, 0.5, 2.0, W - 2.0);
    cairo_font_extents(cr, &fe);
    double bx = ax - 8.0 - f->ytick_w - 10.0 - fe.descent;
    if (bx - fe.ascent < 2.0)
        bx = 2.0 + fe.ascent;
    cairo_save(cr);
    cairo_translate(cr, bx, (f->py0 + f->py1) / 2.0);
    cairo_rotate(cr, -M_PI / 2.0);
    /* rotated: u = cy - screen y, so [4, height - 4] on screen is this range */
    double cy = (f->py0 + f->py1) / 2.0;
    pf_chart_text_at(cr, 0.0, 0.0, ytitle, 0.5, -(f->height - 4.0 - cy), cy - 4.0);
    cairo_restore(cr);
}

/* Is the label's centre above y = x (over the dead zone)? */
static int over_dead_zone(const pf_map_frame *f, const pf_label_box *b)
{
    if (!has_dead_zone(f))
        return 0;
    double mx = (b->x0 + b->x1) / 2.0, my = (b->y0 + b->y1) / 2.0;
    return pf_map_data_y(f, my) > pf_map_data_x(f, mx);
}

/* Leader lines, dots (background ring under the colored disc; muted points
 * first so highlighted ones stay on top), then the labels with a halo in
 * the color under them so gridlines do not cut the text. */
static void draw_points(cairo_t *cr, const pf_map_frame *f, const pf_map_point *pts,
                        const unsigned char *muted, size_t n, const pf_label_box *lb,
                        const pf_palette *p)
{
    cairo_set_line_width(cr, 0.8);
    pf_chart_rgb(cr, p->leader);
    for (size_t i = 0; i < n; i++) {
        if (lb[i].state != PF_LABEL_LEADER)
            continue;
        double ex, ey;
        pf_label_leader_end(&lb[i], &ex, &ey);
        double vx = ex - lb[i].dx, vy = ey - lb[i].dy, d = hypot(vx, vy);
        if (d <= PF_MAP_DOT_HALO_R)
            continue;
        cairo_move_to(cr, lb[i].dx + vx / d * PF_MAP_DOT_HALO_R,
                      lb[i].dy + vy / d * PF_MAP_DOT_HALO_R);
        cairo_line_to(cr, ex, ey);
        cairo_stroke(cr);
    }

    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < n; i++) {
            if (muted[i] != (pass == 0))
                continue;
            double x = pf_map_px(f, pts[i].x), y = pf_map_py(f, pts[i].y);
            double rgb[3];
            pf_chart_series_color(pts[i].color, pts[i].id, p->plot, rgb);
            if (muted[i])
                pf_chart_mute(rgb, p->plot, rgb);
            cairo_new_sub_path(cr);
            cairo_arc(cr, x, y, PF_MAP_DOT_HALO_R, 0.0, 2.0 * M_PI);
            pf_chart_rgb(cr, p->plot);
            cairo_fill(cr);
            cairo_new_sub_path(cr);
            cairo_arc(cr, x, y, PF_MAP_DOT_R, 0.0, 2.0 * M_PI);
            pf_chart_rgb(cr, rgb);
            cairo_fill(cr);
        }
    }

    /* the halo: on pixels, the text drawn at 8 offsets around its place
     * (cached glyphs: 20x cheaper than stroking the outline, which costs
     * cairo 0.5 ms a label); vector outputs stroke the outline (compact) */
    static const double HALO[8][2] = {{1.5, 0},   {-1.5, 0},   {0, 1.5},    {0, -1.5},
                                      {1.1, 1.1}, {-1.1, 1.1}, {1.1, -1.1}, {-1.1, -1.1}};
    int raster = cairo_surface_get_type(cairo_get_target(cr)) == CAIRO_SURFACE_TYPE_IMAGE;
    pf_map_label_font(cr);
    cairo_set_line_width(cr, 3.0);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    for (size_t i = 0; i < n; i++) {
        if (lb[i].state != PF_LABEL_NEAR && lb[i].state != PF_LABEL_LEADER)
            continue; /* no label, or no free spot for it */
        pf_chart_rgb(cr, over_dead_zone(f, &lb[i]) ? p->dead : p->plot);
        if (raster) {
            for (int k = 0; k < 8; k++) {
                cairo_move_to(cr, lb[i].tx + HALO[k][0], lb[i].ty + HALO[k][1]);
                cairo_show_text(cr, lb[i].text);
            }
        } else {
            cairo_move_to(cr, lb[i].tx, lb[i].ty);
            cairo_text_path(cr, lb[i].text);
            cairo_stroke(cr);
        }
        cairo_move_to(cr, lb[i].tx, lb[i].ty);
        pf_chart_rgb(cr, muted[i] ? p->faint : p->text);
        cairo_show_text(cr, lb[i].text);
    }
}

/* Whether id is one of the highlighted ids. */
static int is_highlighted(const pf_map_opts *o, const char *id)
{
    for (size_t i = 0; i < o->nhighlight; i++)
        if (id && o->highlight[i] && strcmp(o->highlight[i], id) == 0)
            return 1;
    return 0;
}

/* Draw the whole chart on cr. vis/muted/nolabel/lb hold the n points inside the
 * frame (in pf_map_order's order), have_data says whether any point is visible. */
static void draw_map(cairo_t *cr, const pf_map_frame *f, const pf_map_point *vis,
                     const unsigned char *muted, const unsigned char *nolabel, size_t n,
                     const pf_map_opts *o, pf_label_box *lb, int have_data)
{
    const pf_palette *p = pf_palette_for(o->theme);
    cairo_rectangle(cr, f->px0, f->py0, f->px1 - f->px0, f->py1 - f->py0);
    pf_chart_rgb(cr, p->plot);
    cairo_fill(cr);

    pf_chart_titles(cr, p, f->px0, o->title, o->subtitle);
    ticks t;
    compute_ticks(f, have_data, &t);
    draw_grid(cr, f, &t, p);
    if (have_data && has_dead_zone(f))
        draw_dead_zone(cr, f, p);
    draw_axes(cr, f, &t, p);
    if (!have_data) {
        pf_chart_no_data(cr, p, (f->px0 + f->px1) / 2.0, (f->py0 + f->py1) / 2.0,
                         "no repositories to plot");
        return;
    }
    pf_map_label_font(cr);
    pf_label_layout(cr, vis, nolabel, n, f, lb);
    draw_points(cr, f, vis, muted, n, lb, p);
}

/* qsort order for label placement: largest x first, ties by id (deterministic). */
static int by_size_desc(const void *a, const void *b)
{
    const pf_map_point *p = a, *q = b;
    if (p->x != q->x)
        return p->x > q->x ? -1 : 1;
    return strcmp(p->id ? p->id : "", q->id ? q->id : "");
}

/* The points drawn and the order their labels are placed in (see map.h). */
size_t pf_map_order(const pf_map_point *pts, size_t n, const pf_map_frame *f, const pf_map_opts *o,
                    pf_map_point *vis, unsigned char *muted, unsigned char *nolabel)
{
    size_t nv = 0;
    size_t nhl = 0; /* highlighted points: vis[0..nhl) */
    for (int pass = 0; pass < 2; pass++) {
        size_t first = nv;
        for (size_t i = 0; i < n; i++) {
            if (!pf_map_point_in_frame(f, &pts[i]))
                continue;
            int mute = o->nhighlight > 0 && !is_highlighted(o, pts[i].id);
            if (mute != pass)
                continue;
            muted[nv] = (unsigned char)mute;
            vis[nv++] = pts[i];
        }
        qsort(vis + first, nv - first, sizeof *vis, by_size_desc); /* muted[] is uniform here */
        if (pass == 0 && o->nhighlight > 0)
            nhl = nv;
    }
    memset(nolabel, 0, nv);
    if (o->label_top > 0 && nv > o->label_top) {
        /* rank every visible point by size: only the label_top biggest keep their
         * labels; highlighted points always do */
        pf_map_point *rank = malloc(nv * sizeof *rank);
        if (rank) {
            memcpy(rank, vis, nv * sizeof *rank);
            qsort(rank, nv, sizeof *rank, by_size_desc);
            for (size_t i = nhl; i < nv; i++) {
                size_t r = 0; /* points ranked before vis[i] */
                while (r < nv && by_size_desc(&rank[r], &vis[i]) < 0)
                    r++;
                nolabel[i] = r >= o->label_top;
            }
            free(rank);
        }
    }

    return nv;
}

/* Render the map to path; see render.h. Points outside the (zoomed) axes
 * are dropped before layout; highlighted points are laid out first, then the
 * others, each group biggest first, so the biggest get the best label spots
 * (label_top: only the biggest get a label at all). Ownership: vis, muted
 * and lb are malloc'd here. */
int pf_render_map(const pf_map_point *pts, size_t n, const pf_map_opts *o, const char *path,
                  char *err, size_t errlen)
{
    pf_map_opts def;
    if (!o) {
        pf_map_opts_default(&def);
        o = &def;
    }
    if (n > 0 && !pts) {
        snprintf(err, errlen, "map: %zu points but no point array", n);
        return -1;
    }
    pf_map_frame f;
    pf_map_frame_compute(pts, n, o, &f);
    int have_data = 0;
    for (size_t i = 0; i < n && !have_data; i++)
        have_data = pf_map_point_visible(&pts[i]);

    size_t cap = n ? n : 1, nv = 0;
    pf_map_point *vis = malloc(cap * sizeof *vis);
    unsigned char *muted = malloc(cap), *nolabel = malloc(cap);
    pf_label_box *lb = calloc(cap, sizeof *lb);
    if (!vis || !muted || !nolabel || !lb) {
        snprintf(err, errlen, "out of memory for %zu points", n);
        free(vis);
        free(muted);
        free(nolabel);
        free(lb);
        return -1;
    }
    nv = pf_map_order(pts, n, &f, o, vis, muted, nolabel);

    pf_surface out;
    const pf_palette *p = pf_palette_for(o->theme);
    cairo_t *cr = pf_chart_begin(&out, path, o->width, o->height, o->scale, p, err, errlen);
    int rc = -1;
    if (cr) {
        draw_map(cr, &f, vis, muted, nolabel, nv, o, lb, have_data);
        rc = pf_chart_end(&out, cr, "map", err, errlen);
    }
    free(vis);
    free(muted);
    free(nolabel);
    free(lb);
    return rc;
}
