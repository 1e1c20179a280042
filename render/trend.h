/*
 * trend.h — internal: geometry of the trend chart and its UTC date ticks,
 * shared by trend.c and the tests (which sample pixels at known dates).
 */
#ifndef PKGFRESH_RENDER_TREND_H
#define PKGFRESH_RENDER_TREND_H

#include <stddef.h>
#include <stdint.h>

#include "pkgfresh/render.h"
#include "scale.h"

#define PF_TREND_LINE_W     2.2 /* line width */
#define PF_TREND_MARK_R     3.5 /* point marker radius (shrinks when points crowd) */
#define PF_TREND_LEGEND_ROW 22.0

/* One x tick: its time and text; label2 (may be empty) goes on a second line
 * (the year, or the date under hour ticks). */
typedef struct pf_time_tick {
    int64_t t;
    char label[24];
    char label2[24];
} pf_time_tick;

/* Plot rectangle and scales. Invariants: px0 < px1, py0 < py1, t0 < t1,
 * ymax > 0; sx maps [t0, t1] to [px0, px1], sy maps [0, ymax] to [py1, py0].
 * The legend column starts at legend_x, right of the plot. */
typedef struct pf_trend_frame {
    int width, height;
    double px0, py0, px1, py1;
    double t0, t1;
    double ymax, ystep;
    pf_scale sx, sy;
    double legend_x, legend_w;
    double ytick_w;     /* widest y tick label */
    size_t npoints;     /* known points over all series (0 = no data) */
    int64_t tmin, tmax; /* first and last known point */
} pf_trend_frame;

/* Compute the frame for these series and options (NULL opts = defaults). */
void pf_trend_frame_compute(const pf_trend_series *s, size_t n, const pf_trend_opts *o,
                            pf_trend_frame *f);

/* Data -> pixel. */
double pf_trend_px(const pf_trend_frame *f, int64_t t);
double pf_trend_py(const pf_trend_frame *f, double v);

/* Whether a point has a known value (finite, >= 0). */
int pf_trend_point_known(const pf_trend_point *p);

/* Date ticks within [t0, t1] (unix seconds, UTC): the finest of hours,
 * days, weeks (Mondays), months and years that gives at most max_ticks.
 * Returns how many were written to out (at most cap). */
size_t pf_time_ticks(double t0, double t1, int max_ticks, pf_time_tick *out, size_t cap);

/* Line dash style per series: 0 solid, 1.. dashed patterns, assigned when a
 * series' color is close to an earlier series' color. out holds n entries. */
void pf_trend_dashes(const pf_trend_series *s, size_t n, int *out);

#endif
