/*
 * chart.h — internal: what every chart shares: the light and dark palettes,
 * DejaVu Sans text helpers with unhinted metrics (same layout on PNG, SVG,
 * PDF and at any scale), titles, the "No data" message, repository colors
 * (fallback palette, muting, closeness) and value formatting.
 */
#ifndef PKGFRESH_RENDER_CHART_H
#define PKGFRESH_RENDER_CHART_H

#include <stddef.h>
#include <cairo.h>

#include "pkgfresh/render.h"

#define PF_FONT_FAMILY     "DejaVu Sans"
#define PF_FONT_TITLE      22.0 /* bold */
#define PF_FONT_SUBTITLE   14.0
#define PF_FONT_TICK       12.0
#define PF_FONT_AXIS_TITLE 14.0 /* bold */
#define PF_TITLE_H         36.0 /* vertical room the title takes */
#define PF_SUBTITLE_H      22.0

/* Colors of one theme, each an RGB triple in 0..1. */
typedef struct pf_palette {
    double page[3];   /* canvas outside the plot */
    double plot[3];   /* plot background */
    double dead[3];   /* impossible zone of the map */
    double grid[3];   /* gridlines at ticks */
    double grid2[3];  /* minor gridlines (log axes) */
    double axis[3];   /* axis lines and tick marks */
    double text[3];   /* titles, labels */
    double muted[3];  /* tick labels, subtitle */
    double faint[3];  /* labels of muted points */
    double leader[3]; /* leader lines */
} pf_palette;

/* The palette of a theme (unknown values: light). Static storage, read-only. */
const pf_palette *pf_palette_for(pf_theme theme);

/* Set an RGB triple as the cairo source. */
void pf_chart_rgb(cairo_t *cr, const double c[3]);

/* Snap a coordinate to a pixel centre so 1 px lines stay crisp in PNG. */
double pf_chart_crisp(double v);

/* Unhinted metrics, grey anti-aliasing: identical text widths everywhere. */
void pf_chart_text_options(cairo_t *cr);

/* Select DejaVu Sans at size px, bold or regular. */
void pf_chart_font(cairo_t *cr, double size, int bold);

/* Advance width of s in the current font. */
double pf_chart_text_width(cairo_t *cr, const char *s);

/* Advance width of s in DejaVu Sans at size without a drawing context
 * (a scratch surface is created and destroyed). */
double pf_chart_measure(const char *s, double size, int bold);

/* Show s with its anchor at (x, y): ax = 0 left, 0.5 centre, 1 right; y is
 * the baseline. The text is shifted to stay within [xmin, xmax] when those
 * differ (xmin < xmax), so labels are never clipped. Returns the left x. */
double pf_chart_text_at(cairo_t *cr, double x, double y, const char *s, double ax, double xmin,
                        double xmax);

/* Vertical room titles take (0 without title and subtitle). */
double pf_chart_titles_height(const char *title, const char *subtitle);

/* Title (bold) and subtitle (muted) from the top, left-aligned at x. */
void pf_chart_titles(cairo_t *cr, const pf_palette *p, double x, const char *title,
                     const char *subtitle);

/* "No data" and a smaller explanation centred at (cx, cy). */
void pf_chart_no_data(cairo_t *cr, const pf_palette *p, double cx, double cy, const char *why);

/* Repository color: "#rrggbb" parsed, NULL -> stable palette color picked
 * by a hash of id, anything else -> black. */
void pf_chart_repo_color(const char *color, const char *id, double rgb[3]);

/* pf_chart_repo_color, then nudged towards white (dark background) or
 * black (light background) when too close in luminance to bg to be seen. */
void pf_chart_series_color(const char *color, const char *id, const double bg[3], double rgb[3]);

/* A desaturated, lighter (dark theme: dimmer) version of c against bg,
 * for points that are not highlighted. */
void pf_chart_mute(const double c[3], const double bg[3], double out[3]);

/* Perceptual distance of two colors ("redmean" approximation, 0..~765). */
double pf_chart_color_distance(const double a[3], const double b[3]);

/* Open the output and a cairo context scaled for it; paints the page.
 * Returns the context (caller destroys it before pf_surface_finish), or
 * NULL with err set and the output released. */
struct pf_surface;
cairo_t *pf_chart_begin(struct pf_surface *out, const char *path, int width, int height,
                        double scale, const pf_palette *p, char *err, size_t errlen);

/* Destroy cr, then finish (write + rename) or abort the output on a
 * drawing error. Returns 0 or -1 with err set. */
int pf_chart_end(struct pf_surface *out, cairo_t *cr, const char *what, char *err, size_t errlen);

#endif
