/*
 * chart.c — palettes, text, titles, colors and output setup shared by the
 * map, trend and rank charts.
 */
#include "chart.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "map.h"
#include "scale.h"
#include "surface.h"

#define HEX(v) ((v) / 255.0)
#define RGB(r, g, b)                                                                               \
    {                                                                                              \
        HEX(r), HEX(g), HEX(b)                                                                     \
    }

/* Light: Repology-like grey page, white plot, #d0d0d0 dead zone. */
static const pf_palette LIGHT = {
    .page = RGB(0xf0, 0xf0, 0xf0),
    .plot = RGB(0xff, 0xff, 0xff),
    .dead = RGB(0xd0, 0xd0, 0xd0),
    .grid = RGB(0xe4, 0xe4, 0xe4),
    .grid2 = RGB(0xf2, 0xf2, 0xf2),
    .axis = RGB(0x44, 0x44, 0x44),
    .text = RGB(0x22, 0x22, 0x22),
    .muted = RGB(0x5a, 0x5a, 0x5a),
    .faint = RGB(0x9a, 0x9a, 0x9a),
    .leader = RGB(0x99, 0x99, 0x99),
};

/* Dark: near-black page, slightly lighter plot, light grey text. */
static const pf_palette DARK = {
    .page = RGB(0x1b, 0x1d, 0x21),
    .plot = RGB(0x25, 0x28, 0x2d),
    .dead = RGB(0x3a, 0x3d, 0x44),
    .grid = RGB(0x34, 0x37, 0x3d),
    .grid2 = RGB(0x2c, 0x2f, 0x34),
    .axis = RGB(0xb4, 0xb8, 0xbf),
    .text = RGB(0xec, 0xee, 0xf0),
    .muted = RGB(0xaa, 0xae, 0xb5),
    .faint = RGB(0x6e, 0x73, 0x7b),
    .leader = RGB(0x70, 0x74, 0x7b),
};

/* Fallback colors for repositories without one: distinct, mid-dark hues that
 * read on both themes. */
static const double FALLBACK[][3] = {
    RGB(0x1f, 0x77, 0xb4), RGB(0xff, 0x7f, 0x0e), RGB(0x2c, 0xa0, 0x2c), RGB(0xd6, 0x27, 0x28),
    RGB(0x94, 0x67, 0xbd), RGB(0x8c, 0x56, 0x4b), RGB(0xe3, 0x77, 0xc2), RGB(0x7f, 0x7f, 0x7f),
    RGB(0xbc, 0xbd, 0x22), RGB(0x17, 0xbe, 0xcf), RGB(0x39, 0x3b, 0x79), RGB(0xad, 0x49, 0x4a),
};

/* The palette of a theme; anything unknown is light. */
const pf_palette *pf_palette_for(pf_theme theme)
{
    return theme == PF_THEME_DARK ? &DARK : &LIGHT;
}

/* Set an RGB triple as the source. */
void pf_chart_rgb(cairo_t *cr, const double c[3])
{
    cairo_set_source_rgb(cr, c[0], c[1], c[2]);
}

/* Pixel-centre snap for 1 px lines. */
double pf_chart_crisp(double v)
{
    return floor(v) + 0.5;
}

/* Unhinted metrics and grey anti-aliasing: the same text widths on every
 * surface type and scale, so PNG, SVG and PDF get the same layout. */
void pf_chart_text_options(cairo_t *cr)
{
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    cairo_set_font_options(cr, fo);
    cairo_font_options_destroy(fo);
}

/* DejaVu Sans at size px. */
void pf_chart_font(cairo_t *cr, double size, int bold)
{
    cairo_select_font_face(cr, PF_FONT_FAMILY, CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}

/* Advance width in the current font. */
double pf_chart_text_width(cairo_t *cr, const char *s)
{
    cairo_text_extents_t te;
    cairo_text_extents(cr, s, &te);
    return te.x_advance;
}

/* Measure on a 1x1 scratch surface with the same font options as drawing. */
double pf_chart_measure(const char *s, double size, int bold)
{
    cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1);
    cairo_t *cr = cairo_create(surf);
    pf_chart_text_options(cr);
    pf_chart_font(cr, size, bold);
    double w = pf_chart_text_width(cr, s);
    cairo_destroy(cr);
    cairo_surface_destroy(surf);
    return w;
}

/* Anchor, clamp into [xmin, xmax] when given, show. */
double pf_chart_text_at(cairo_t *cr, double x, double y, const char *s, double ax, double xmin,
                        double xmax)
{
    double w = pf_chart_text_width(cr, s);
    double left = x - ax * w;
    if (xmin < xmax) {
        if (left + w > xmax)
            left = xmax - w;
        if (left < xmin)
            left = xmin;
    }
    cairo_move_to(cr, left, y);
    cairo_show_text(cr, s);
    return left;
}

/* Room for the title block. */
double pf_chart_titles_height(const char *title, const char *subtitle)
{
    double h = 0.0;
    if (title && *title)
        h += PF_TITLE_H;
    if (subtitle && *subtitle)
        h += PF_SUBTITLE_H;
    return h;
}

/* Title and subtitle from y = 8, left-aligned at x. */
void pf_chart_titles(cairo_t *cr, const pf_palette *p, double x, const char *title,
                     const char *subtitle)
{
    double y = 8.0;
    if (title && *title) {
        pf_chart_font(cr, PF_FONT_TITLE, 1);
        pf_chart_rgb(cr, p->text);
        cairo_move_to(cr, x, y + 23.0);
        cairo_show_text(cr, title);
        y += PF_TITLE_H;
    }
    if (subtitle && *subtitle) {
        pf_chart_font(cr, PF_FONT_SUBTITLE, 0);
        pf_chart_rgb(cr, p->muted);
        cairo_move_to(cr, x, y + 14.0);
        cairo_show_text(cr, subtitle);
    }
}

/* Big "No data", then the reason below it. */
void pf_chart_no_data(cairo_t *cr, const pf_palette *p, double cx, double cy, const char *why)
{
    pf_chart_font(cr, 24.0, 1);
    pf_chart_rgb(cr, p->muted);
    pf_chart_text_at(cr, cx, cy, "No data", 0.5, 0, 0);
    if (why && *why) {
        pf_chart_font(cr, 14.0, 0);
        pf_chart_text_at(cr, cx, cy + 26.0, why, 0.5, 0, 0);
    }
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

/* NULL color: FNV-1a hash of the id picks a fallback, so a repository keeps
 * its color across charts and runs. */
void pf_chart_repo_color(const char *color, const char *id, double rgb[3])
{
    if (color) {
        pf_parse_color(color, rgb); /* black on error, as documented */
        return;
    }
    uint32_t h = 2166136261u;
    for (const char *s = id ? id : ""; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    const double *c = FALLBACK[h % (sizeof FALLBACK / sizeof FALLBACK[0])];
    memcpy(rgb, c, 3 * sizeof *rgb);
}

/* Relative luminance approximation (Rec. 601 weights), 0..1. */
static double luma(const double c[3])
{
    return 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2];
}

/* Keep 30% of the saturation, then move towards the background: 55% on a
 * light one, 40% on a dark one (dark backgrounds swallow dim colors). */
void pf_chart_mute(const double c[3], const double bg[3], double out[3])
{
    double l = luma(c), k = luma(bg) > 0.5 ? 0.55 : 0.40;
    for (int i = 0; i < 3; i++) {
        double d = l + 0.3 * (c[i] - l);
        out[i] = d + k * (bg[i] - d);
    }
}

/* Repository color that stays visible on bg: a color whose luminance is
 * within 0.25 of the background's (black on the dark theme) is moved
 * towards white or black until it is not. */
void pf_chart_series_color(const char *color, const char *id, const double bg[3], double rgb[3])
{
    pf_chart_repo_color(color, id, rgb);
    double lb = luma(bg), l = luma(rgb);
    if (fabs(l - lb) >= 0.25)
        return;
    double target = lb > 0.5 ? 0.0 : 1.0;
    double want = lb > 0.5 ? lb - 0.25 : lb + 0.25;
    double k = fabs(target - l) > 1e-9 ? (want - l) / (target - l) : 0.0;
    k = k < 0.0 ? 0.0 : (k > 1.0 ? 1.0 : k);
    for (int i = 0; i < 3; i++)
        rgb[i] += k * (target - rgb[i]);
}

/* "redmean" weighted Euclidean distance in 0..255 units. */
double pf_chart_color_distance(const double a[3], const double b[3])
{
    double rm = (a[0] + b[0]) * 255.0 / 2.0;
    double dr = (a[0] - b[0]) * 255.0, dg = (a[1] - b[1]) * 255.0, db = (a[2] - b[2]) * 255.0;
    return sqrt((2.0 + rm / 256.0) * dr * dr + 4.0 * dg * dg +
                (2.0 + (255.0 - rm) / 256.0) * db * db);
}

/* Open the output, create the context with the HiDPI scale, paint the page. */
cairo_t *pf_chart_begin(pf_surface *out, const char *path, int width, int height, double scale,
                        const pf_palette *p, char *err, size_t errlen)
{
    if (pf_surface_open_scaled(out, path, width, height, scale, err, errlen) != 0)
        return NULL;
    cairo_t *cr = cairo_create(out->surf);
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
        snprintf(err, errlen, "cannot draw: %s", cairo_status_to_string(cairo_status(cr)));
        cairo_destroy(cr);
        pf_surface_abort(out);
        return NULL;
    }
    if (out->scale != 1.0)
        cairo_scale(cr, out->scale, out->scale);
    pf_chart_text_options(cr);
    cairo_set_antialias(cr, CAIRO_ANTIALIAS_DEFAULT);
    pf_chart_rgb(cr, p->page);
    cairo_paint(cr);
    return cr;
}

/* Check the drawing status, then write or drop the output. */
int pf_chart_end(pf_surface *out, cairo_t *cr, const char *what, char *err, size_t errlen)
{
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    if (st != CAIRO_STATUS_SUCCESS) {
        snprintf(err, errlen, "drawing the %s failed: %s", what, cairo_status_to_string(st));
        pf_surface_abort(out);
        return -1;
    }
    return pf_surface_finish(out, err, errlen);
}

/* Chart value text: counts grouped, percentages and days with one decimal. */
void pf_render_fmt_value(double v, pf_value_fmt fmt, char *buf, size_t len)
{
    if (len == 0)
        return;
    if (!isfinite(v)) {
        snprintf(buf, len, "n/a");
        return;
    }
    char num[64];
    switch (fmt) {
    case PF_FMT_PERCENT:
        snprintf(buf, len, "%.1f%%", v);
        break;
    case PF_FMT_DAYS:
        pf_fmt_thousands(round(v * 10.0) / 10.0, num, sizeof num);
        if (!strchr(num, '.') && fabs(v) < 1000.0)
            snprintf(buf, len, "%s.0 d", num);
        else
            snprintf(buf, len, "%s d", num);
        break;
    default:
        pf_fmt_thousands(round(v), buf, len);
        break;
    }
}
