/*
 * render.h — charts with cairo (PNG, SVG, PDF by the output file's extension).
 *
 * Renderers take plain data (no database): the CLI gathers points from the
 * store and hands them over. Output is written to a temporary file and
 * renamed into place. Deterministic: same input, same bytes (PNG pixels, SVG
 * and PDF bytes; no timestamps).
 *
 * Common conventions:
 *  - colors are "#rrggbb"; NULL picks a stable palette color from the id
 *    (same id, same color in every chart); an unparsable string draws black;
 *  - scale (PNG only) multiplies the pixel size, the layout stays identical
 *    (HiDPI); 0 means 1; SVG and PDF ignore it;
 *  - every text is DejaVu Sans, numbers use thousands separators.
 * Ownership: every pointer in the inputs is borrowed for the call only.
 */
#ifndef PKGFRESH_RENDER_H
#define PKGFRESH_RENDER_H

#include <stddef.h>
#include <stdint.h>

typedef enum pf_theme {
    PF_THEME_LIGHT = 0, /* light grey page, white plot (Repology-like) */
    PF_THEME_DARK = 1,  /* dark page and plot, light text */
} pf_theme;

/* ---- the size / freshness map ------------------------------------------ */
/* "newest" is Repology's word (statistics page, num_metapackages_newest):
 * projects that are not unique, have a newest or devel package and no
 * outdated one; Repology's own map calls them "fresh". */

typedef struct pf_map_point {
    const char *id;    /* repository id */
    const char *label; /* repository title (NULL or "" = id) */
    const char *color; /* "#rrggbb", NULL = palette color from id */
    double x;          /* projects in the repository (non-unique projects: NONUNIQUE) */
    double y;          /* newest projects (newest % of comparable: NEWEST_PCT) */
} pf_map_point;

/* What the axes mean. The caller computes x and y accordingly; the variant
 * picks axis titles, the y range and whether the impossible zone is drawn. */
typedef enum pf_map_variant {
    PF_MAP_NEWEST = 0,     /* x = projects, y = newest projects, dead zone above y = x */
    PF_MAP_NEWEST_PCT = 1, /* x = projects, y = newest % (axis 0..100), no dead zone */
    PF_MAP_NONUNIQUE = 2,  /* x = projects - unique, y = newest projects, dead zone */
} pf_map_variant;

typedef struct pf_map_opts {
    int width, height; /* pixels (default 1140 x 800) */
    const char *title; /* NULL = none */
    const char *subtitle;
    /* fields below were added for the blog charts; pf_map_opts_default zeroes them */
    pf_map_variant variant;
    int log;                      /* logarithmic axes; zero values sit on the axis */
    double xlimit, ylimit;        /* zoom: > 0 caps the axis; points beyond are skipped */
    const char *const *highlight; /* ids drawn in full color; the others muted */
    size_t nhighlight;            /* 0 = nothing muted */
    double scale;                 /* PNG pixel multiplier (0 = 1) */
    pf_theme theme;
    size_t label_top; /* label only the label_top largest repositories (by x) and the
                         highlighted ones; 0 = every repository */
} pf_map_opts;

void pf_map_opts_default(pf_map_opts *o);

/* Draw the size / freshness map into path (.png, .svg or .pdf). Labels are placed
 * biggest repository first (highlighted ones before all others), so where room runs
 * out it is the small repositories that lose their labels; labels never overlap. */
int pf_render_map(const pf_map_point *pts, size_t n, const pf_map_opts *o, const char *path,
                  char *err, size_t errlen);

/* ---- trends over the analysis history ------------------------------------ */

/* How values are written on axes and labels. */
typedef enum pf_value_fmt {
    PF_FMT_COUNT = 0,   /* 12,345 */
    PF_FMT_PERCENT = 1, /* 87.5% (values 0..100) */
    PF_FMT_DAYS = 2,    /* 14.5 d */
} pf_value_fmt;

typedef struct pf_trend_point {
    int64_t t; /* unix seconds (UTC) */
    double v;  /* value; negative or non-finite = unknown, skipped */
} pf_trend_point;

typedef struct pf_trend_series {
    const char *id, *label, *color; /* as in pf_map_point */
    const pf_trend_point *pts;      /* n points in time order */
    size_t n;
} pf_trend_series;

typedef struct pf_trend_opts {
    int width, height; /* default 1140 x 600 */
    const char *title, *subtitle;
    const char *ylabel; /* y axis title, NULL = none */
    pf_value_fmt fmt;
    double scale;
    pf_theme theme;
} pf_trend_opts;

void pf_trend_opts_default(pf_trend_opts *o);

/* Line chart, one line per series: dates on x (UTC, day / week / month /
 * year ticks by span), y from zero, points marked, a legend with the
 * series colors (a dash pattern tells close colors apart). A series of one
 * point is a dot; no point at all gives a "No data" chart. */
int pf_render_trend(const pf_trend_series *s, size_t n, const pf_trend_opts *o, const char *path,
                    char *err, size_t errlen);

/* ---- ranking ------------------------------------------------------------ */

typedef struct pf_rank_item {
    const char *id, *label, *color; /* as in pf_map_point */
    double value;                   /* negative or non-finite = unknown, omitted */
} pf_rank_item;

typedef struct pf_rank_opts {
    int width, height; /* default 1140 x 0; height 0 = from the number of bars */
    const char *title, *subtitle;
    const char *xlabel; /* value axis title, NULL = none */
    pf_value_fmt fmt;
    int ascending; /* 0: largest value first (top); 1: smallest first */
    size_t limit;  /* at most this many bars (0 = all) */
    double scale;
    pf_theme theme;
} pf_rank_opts;

void pf_rank_opts_default(pf_rank_opts *o);

/* Horizontal bars ranked by value (ties by label), one per item in its
 * color, the value written at the bar's end; no item gives "No data". */
int pf_render_rank(const pf_rank_item *items, size_t n, const pf_rank_opts *o, const char *path,
                   char *err, size_t errlen);

/* Format v the way charts write it (fmt): "12,345", "87.5%", "14.5 d".
 * Always NUL-terminates. */
void pf_render_fmt_value(double v, pf_value_fmt fmt, char *buf, size_t len);

/* ---- text measurement (badges) -------------------------------------------- */

/* Measures DejaVu Sans text the way the charts draw it (unhinted metrics), so
 * SVG badges written as text get cells that fit. One scratch surface for
 * many measurements. */
typedef struct pf_text_measure pf_text_measure;

/* A measurer for size px, bold or regular; NULL when out of memory. */
pf_text_measure *pf_text_measure_new(double size, int bold);

/* Advance width of s (valid UTF-8; anything else measures 0). */
double pf_text_measure_width(pf_text_measure *m, const char *s);

void pf_text_measure_free(pf_text_measure *m);

#endif
