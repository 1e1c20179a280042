/*
 * map.c — the size / freshness map (Repology's map_repo_size_fresh):
 * x = projects in the repository, y = fresh projects, both linear from 0,
 * a grey "impossible" zone above y = x, one labelled dot per repository.
 */
#include "pkgfresh/render.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "labels.h"
#include "map.h"
#include "scale.h"
#include "surface.h"

/* Layout constants (pixels). */
#define M_LEFT      86.0
#define M_RIGHT     34.0
#define M_TOP       26.0
#define M_BOTTOM    58.0
#define TITLE_H     34.0
#define SUBTITLE_H  20.0
#define FONT_FAMILY "DejaVu Sans"

/* Palette: Repology-like light grey page, white plot, grey dead zone. */
static const double C_PAGE[3] = {0xf0 / 255.0, 0xf0 / 255.0, 0xf0 / 255.0};
static const double C_PLOT[3] = {1.0, 1.0, 1.0};
static const double C_DEAD[3] = {0xd0 / 255.0, 0xd0 / 255.0, 0xd0 / 255.0};
static const double C_GRID[3] = {0xe4 / 255.0, 0xe4 / 255.0, 0xe4 / 255.0};
static const double C_AXIS[3] = {0x44 / 255.0, 0x44 / 255.0, 0x44 / 255.0};
static const double C_TEXT[3] = {0x22 / 255.0, 0x22 / 255.0, 0x22 / 255.0};
static const double C_MUTED[3] = {0x66 / 255.0, 0x66 / 255.0, 0x66 / 255.0};
static const double C_LEADER[3] = {0x99 / 255.0, 0x99 / 255.0, 0x99 / 255.0};

/* Defaults: Repology's 1140 x 800, no title. */
void pf_map_opts_default(pf_map_opts *o)
{
    o->width = 1140;
    o->height = 800;
    o->title = NULL;
    o->subtitle = NULL;
}

/* A point is drawn when both coordinates are finite and non-negative. */
int pf_map_point_visible(const pf_map_point *p)
{
    return isfinite(p->x) && isfinite(p->y) && p->x >= 0.0 && p->y >= 0.0;
}

/* Value of one hex digit, -1 if c is not one. */
static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Parse exactly "#rrggbb"; anything else yields black and -1. */
int pf_parse_color(const char *s, double rgb[3])
{
    rgb[0] = rgb[1] = rgb[2] = 0.0;
    if (!s || s[0] != '#' || strlen(s) != 7)
        return -1;
    int v[6];
    for (int i = 0; i < 6; i++)
        if ((v[i] = hexval(s[1 + i])) < 0)
            return -1;
    for (int i = 0; i < 3; i++)
        rgb[i] = (v[2 * i] * 16 + v[2 * i + 1]) / 255.0;
    return 0;
}

/* Unhinted metrics and grey anti-aliasing: the same text widths on every
 * surface type, so PNG, SVG and PDF get the same label layout. */
static void text_options(cairo_t *cr)
{
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    cairo_set_font_options(cr, fo);
    cairo_font_options_destroy(fo);
}

/* Select DejaVu Sans at size px, bold or regular. */
static void set_font(cairo_t *cr, double size, int bold)
{
    cairo_select_font_face(cr, FONT_FAMILY, CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}

/* The label font, shared with tests that measure the layout. */
void pf_map_label_font(cairo_t *cr)
{
    text_options(cr);
    set_font(cr, PF_MAP_LABEL_SIZE, 0);
}

/* Plot rectangle from the margins and axis maxima from the data. */
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
    double top = M_TOP;
    if (o->title && *o->title)
        top += TITLE_H;
    if (o->subtitle && *o->subtitle)
        top += SUBTITLE_H;
    f->px0 = M_LEFT;
    f->px1 = o->width - M_RIGHT;
    f->py0 = top;
    f->py1 = o->height - M_BOTTOM;
    /* tiny canvases: give up the margins rather than the invariant */
    if (f->px1 - f->px0 < 20.0) {
        f->px0 = 0.0;
        f->px1 = o->width > 1 ? o->width : 1.0;
    }
    if (f->py1 - f->py0 < 20.0) {
        f->py0 = 0.0;
        f->py1 = o->height > 1 ? o->height : 1.0;
    }
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
    f->ymax = pf_nice_max(my);
    pf_scale_init(&f->sx, 0.0, f->xmax, f->px0, f->px1);
    pf_scale_init(&f->sy, 0.0, f->ymax, f->py1, f->py0);
}

/* Data x -> pixel x. */
double pf_map_px(const pf_map_frame *f, double x)
{
    return pf_scale_map(&f->sx, x);
}

/* Data y -> pixel y (downwards). */
double pf_map_py(const pf_map_frame *f, double y)
{
    return pf_scale_map(&f->sy, y);
}

/* Set an RGB triple as the source. */
static void set_rgb(cairo_t *cr, const double c[3])
{
    cairo_set_source_rgb(cr, c[0], c[1], c[2]);
}

/* Snap a coordinate to a pixel centre so 1 px lines stay crisp in PNG. */
static double crisp(double v)
{
    return floor(v) + 0.5;
}

/* Show text with its anchor at (x, y): ax = 0 left, 0.5 centre, 1 right;
 * y is the baseline. Returns the advance width. */
static double show_text_at(cairo_t *cr, double x, double y, const char *s, double ax)
{
    cairo_text_extents_t te;
    cairo_text_extents(cr, s, &te);
    cairo_move_to(cr, x - ax * te.x_advance, y);
    cairo_show_text(cr, s);
    return te.x_advance;
}

/* Title and subtitle above the plot, left-aligned with it. */
static void draw_titles(cairo_t *cr, const pf_map_frame *f, const pf_map_opts *o)
{
    double y = 8.0;
    if (o->title && *o->title) {
        set_font(cr, 20.0, 1);
        set_rgb(cr, C_TEXT);
        show_text_at(cr, f->px0, y + 21.0, o->title, 0.0);
        y += TITLE_H;
    }
    if (o->subtitle && *o->subtitle) {
        set_font(cr, 13.0, 0);
        set_rgb(cr, C_MUTED);
        show_text_at(cr, f->px0, y + 12.0, o->subtitle, 0.0);
    }
}

/* The impossible region above y = x, clipped to the plot: a triangle when the
 * diagonal leaves through the top edge, a quadrilateral through the right. */
static void draw_dead_zone(cairo_t *cr, const pf_map_frame *f)
{
    double m = f->xmax < f->ymax ? f->xmax : f->ymax;
    cairo_move_to(cr, pf_map_px(f, 0), pf_map_py(f, 0));
    cairo_line_to(cr, pf_map_px(f, m), pf_map_py(f, m));
    if (f->xmax < f->ymax)
        cairo_line_to(cr, pf_map_px(f, f->xmax), pf_map_py(f, f->ymax));
    cairo_line_to(cr, pf_map_px(f, 0), pf_map_py(f, f->ymax));
    cairo_close_path(cr);
    set_rgb(cr, C_DEAD);
    cairo_fill(cr);

    /* a note along the edge, inside the zone, far up where few dots live */
    double x0 = pf_map_px(f, 0), y0 = pf_map_py(f, 0);
    double x1 = pf_map_px(f, m), y1 = pf_map_py(f, m);
    double len = hypot(x1 - x0, y1 - y0);
    const char *note = "more fresh than total: impossible";
    set_font(cr, 11.0, 0);
    cairo_text_extents_t te;
    cairo_text_extents(cr, note, &te);
    if (len < te.x_advance + 40.0)
        return;
    double ang = atan2(y1 - y0, x1 - x0);
    cairo_save(cr);
    cairo_translate(cr, x1, y1);
    cairo_rotate(cr, ang);
    set_rgb(cr, C_MUTED);
    cairo_move_to(cr, -te.x_advance - 24.0, -7.0);
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

/* Tick values for both axes (1-2-5 steps, about one per 95 px across and
 * 55 px up); none when there is no data. */
typedef struct ticks {
    double x[64], y[64];
    size_t nx, ny;
} ticks;

/* Compute the ticks of the frame's axes. */
static void compute_ticks(const pf_map_frame *f, int with_ticks, ticks *t)
{
    t->nx = t->ny = 0;
    if (!with_ticks)
        return;
    int mx = (int)((f->px1 - f->px0) / 95.0), my = (int)((f->py1 - f->py0) / 55.0);
    t->nx = pf_ticks(f->xmax, pf_tick_step(f->xmax, mx > 1 ? mx : 1, 1.0), t->x, 64);
    t->ny = pf_ticks(f->ymax, pf_tick_step(f->ymax, my > 1 ? my : 1, 1.0), t->y, 64);
}

/* Light gridlines at the ticks (not at 0: the axes are there). Drawn before
 * the dead zone, which hides them, so the zone reads as one flat region. */
static void draw_grid(cairo_t *cr, const pf_map_frame *f, const ticks *t)
{
    cairo_set_line_width(cr, 1.0);
    set_rgb(cr, C_GRID);
    for (size_t i = 1; i < t->nx; i++) {
        double x = crisp(pf_map_px(f, t->x[i]));
        cairo_move_to(cr, x, f->py0);
        cairo_line_to(cr, x, f->py1);
    }
    for (size_t i = 1; i < t->ny; i++) {
        double y = crisp(pf_map_py(f, t->y[i]));
        cairo_move_to(cr, f->px0, y);
        cairo_line_to(cr, f->px1, y);
    }
    cairo_stroke(cr);
}

/* Axis lines with arrows, ticks with thousands separators and the axis
 * titles. The axis maximum is labelled too when it is clear of the last
 * regular tick, since the axis ends there (Repology labels only 0 and max). */
static void draw_axes(cairo_t *cr, const pf_map_frame *f, const ticks *t)
{
    const double *xt = t->x, *yt = t->y;
    size_t nx = t->nx, ny = t->ny;
    int with_ticks = nx > 0;
    cairo_set_line_width(cr, 1.0);

    /* axis lines with arrowheads past the plot */
    double ax = crisp(f->px0), ay = crisp(f->py1);
    set_rgb(cr, C_AXIS);
    cairo_move_to(cr, ax, ay);
    cairo_line_to(cr, f->px1 + 14.0, ay);
    cairo_move_to(cr, ax, ay);
    cairo_line_to(cr, ax, f->py0 - 14.0);
    cairo_stroke(cr);
    arrowhead(cr, f->px1 + 18.0, ay, 1.0, 0.0);
    arrowhead(cr, ax, f->py0 - 18.0, 0.0, -1.0);

    /* ticks and their labels */
    char buf[64];
    set_font(cr, 11.0, 0);
    cairo_font_extents_t fe;
    cairo_font_extents(cr, &fe);
    double xlast = -1e9, ylast = 1e9;
    for (size_t i = 0; i < nx; i++) {
        double x = crisp(pf_map_px(f, xt[i]));
        set_rgb(cr, C_AXIS);
        cairo_move_to(cr, x, ay);
        cairo_line_to(cr, x, ay + 5.0);
        cairo_stroke(cr);
        pf_fmt_thousands(xt[i], buf, sizeof buf);
        set_rgb(cr, C_MUTED);
        show_text_at(cr, x, ay + 7.0 + fe.ascent, buf, 0.5);
        xlast = x;
    }
    for (size_t i = 0; i < ny; i++) {
        double y = crisp(pf_map_py(f, yt[i]));
        set_rgb(cr, C_AXIS);
        cairo_move_to(cr, ax - 5.0, y);
        cairo_line_to(cr, ax, y);
        cairo_stroke(cr);
        pf_fmt_thousands(yt[i], buf, sizeof buf);
        set_rgb(cr, C_MUTED);
        show_text_at(cr, ax - 8.0, y + (fe.ascent - fe.descent) / 2.0, buf, 1.0);
        ylast = y;
    }
    if (with_ticks) {
        set_font(cr, 11.0, 1);
        double x = crisp(pf_map_px(f, f->xmax));
        if (x - xlast > 70.0) {
            set_rgb(cr, C_AXIS);
            cairo_move_to(cr, x, ay);
            cairo_line_to(cr, x, ay + 5.0);
            cairo_stroke(cr);
            pf_fmt_thousands(f->xmax, buf, sizeof buf);
            show_text_at(cr, x, ay + 7.0 + fe.ascent, buf, 0.5);
        }
        double y = crisp(pf_map_py(f, f->ymax));
        if (ylast - y > 22.0) {
            set_rgb(cr, C_AXIS);
            cairo_move_to(cr, ax - 5.0, y);
            cairo_line_to(cr, ax, y);
            cairo_stroke(cr);
            pf_fmt_thousands(f->ymax, buf, sizeof buf);
            show_text_at(cr, ax - 8.0, y + (fe.ascent - fe.descent) / 2.0, buf, 1.0);
        }
    }

    /* axis titles */
    set_font(cr, 13.0, 1);
    set_rgb(cr, C_TEXT);
    show_text_at(cr, (f->px0 + f->px1) / 2.0, ay + 42.0, "Projects in repository", 0.5);
    cairo_save(cr);
    cairo_translate(cr, ax - 62.0, (f->py0 + f->py1) / 2.0);
    cairo_rotate(cr, -M_PI / 2.0);
    show_text_at(cr, 0.0, 0.0, "Fresh projects (newest versions)", 0.5);
    cairo_restore(cr);
}

/* Leader lines, dots (background ring under the coloured disc), then the
 * labels with a halo in the plot colour so gridlines do not cut the text. */
static void draw_points(cairo_t *cr, const pf_map_frame *f, const pf_map_point *pts, size_t n,
                        const pf_label_box *lb)
{
    cairo_set_line_width(cr, 0.8);
    set_rgb(cr, C_LEADER);
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

    for (size_t i = 0; i < n; i++) {
        if (!pf_map_point_visible(&pts[i]))
            continue;
        double x = pf_map_px(f, pts[i].x), y = pf_map_py(f, pts[i].y);
        double rgb[3];
        pf_parse_color(pts[i].color, rgb); /* black on error, as documented */
        cairo_new_sub_path(cr);
        cairo_arc(cr, x, y, PF_MAP_DOT_HALO_R, 0.0, 2.0 * M_PI);
        set_rgb(cr, C_PLOT);
        cairo_fill(cr);
        cairo_new_sub_path(cr);
        cairo_arc(cr, x, y, PF_MAP_DOT_R, 0.0, 2.0 * M_PI);
        set_rgb(cr, rgb);
        cairo_fill(cr);
    }

    pf_map_label_font(cr);
    cairo_set_line_width(cr, 3.0);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    for (size_t i = 0; i < n; i++) {
        if (lb[i].state == PF_LABEL_NONE)
            continue;
        /* halo in the colour under the label's centre: plot or dead zone */
        double mx = (lb[i].x0 + lb[i].x1) / 2.0, my = (lb[i].y0 + lb[i].y1) / 2.0;
        double ux = (mx - f->px0) / (f->px1 - f->px0) * f->xmax;
        double uy = (f->py1 - my) / (f->py1 - f->py0) * f->ymax;
        cairo_move_to(cr, lb[i].tx, lb[i].ty);
        cairo_text_path(cr, lb[i].text);
        set_rgb(cr, uy > ux ? C_DEAD : C_PLOT);
        cairo_stroke(cr);
        cairo_move_to(cr, lb[i].tx, lb[i].ty);
        set_rgb(cr, C_TEXT);
        cairo_show_text(cr, lb[i].text);
    }
}

/* "No data" message in the middle of an empty plot. */
static void draw_no_data(cairo_t *cr, const pf_map_frame *f)
{
    double cx = (f->px0 + f->px1) / 2.0, cy = (f->py0 + f->py1) / 2.0;
    set_font(cr, 22.0, 1);
    set_rgb(cr, C_MUTED);
    show_text_at(cr, cx, cy, "No data", 0.5);
    set_font(cr, 13.0, 0);
    show_text_at(cr, cx, cy + 24.0, "no repositories to plot", 0.5);
}

/* Draw the whole chart on cr. lb holds n label slots (NULL when n == 0). */
static void draw_map(cairo_t *cr, const pf_map_frame *f, const pf_map_point *pts, size_t n,
                     const pf_map_opts *o, pf_label_box *lb, int have_data)
{
    text_options(cr);
    cairo_set_antialias(cr, CAIRO_ANTIALIAS_DEFAULT);
    set_rgb(cr, C_PAGE);
    cairo_paint(cr);
    cairo_rectangle(cr, f->px0, f->py0, f->px1 - f->px0, f->py1 - f->py0);
    set_rgb(cr, C_PLOT);
    cairo_fill(cr);

    draw_titles(cr, f, o);
    ticks t;
    compute_ticks(f, have_data, &t);
    draw_grid(cr, f, &t);
    if (have_data)
        draw_dead_zone(cr, f);
    draw_axes(cr, f, &t);
    if (!have_data) {
        draw_no_data(cr, f);
        return;
    }
    pf_map_label_font(cr);
    pf_label_layout(cr, pts, n, f, lb);
    draw_points(cr, f, pts, n, lb);
}

/* Render the map to path; see render.h. */
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
    pf_surface out;
    if (pf_surface_open(&out, path, o->width, o->height, err, errlen) != 0)
        return -1;

    pf_label_box *lb = NULL;
    if (n > 0) {
        lb = calloc(n, sizeof *lb);
        if (!lb) {
            snprintf(err, errlen, "out of memory for %zu labels", n);
            pf_surface_abort(&out);
            return -1;
        }
    }
    int have_data = 0;
    for (size_t i = 0; i < n && !have_data; i++)
        have_data = pf_map_point_visible(&pts[i]);

    pf_map_frame f;
    pf_map_frame_compute(pts, n, o, &f);
    cairo_t *cr = cairo_create(out.surf);
    draw_map(cr, &f, pts, n, o, lb, have_data);
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    free(lb);
    if (st != CAIRO_STATUS_SUCCESS) {
        snprintf(err, errlen, "drawing the map failed: %s", cairo_status_to_string(st));
        pf_surface_abort(&out);
        return -1;
    }
    return pf_surface_finish(&out, err, errlen);
}
