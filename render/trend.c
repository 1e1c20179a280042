/*
 * trend.c — a metric over the analysis history: one line per repository,
 * dates on x (UTC ticks by span), y from zero, points marked, a legend on
 * the right ordered by the latest value.
 */
#include "trend.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chart.h"
#include "surface.h"

#define M_RIGHT      24.0
#define M_TOP        26.0
#define M_BOTTOM     70.0
#define DAY          86400.0
#define CLOSE_COLORS 130.0 /* pf_chart_color_distance below this: use a dash */

static const char *const MONTHS[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* Dash patterns (on, off, ...) in pixels; index 0 is solid. */
static const double DASHES[][4] = {{0, 0, 0, 0}, {8, 4, 0, 0}, {2, 3, 0, 0}, {10, 3, 2, 3}};
static const int NDASH[] = {0, 2, 2, 4};
#define NSTYLES 4

/* Defaults: 1140 x 600, counts, light. */
void pf_trend_opts_default(pf_trend_opts *o)
{
    memset(o, 0, sizeof *o);
    o->width = 1140;
    o->height = 600;
    o->fmt = PF_FMT_COUNT;
    o->scale = 1.0;
    o->theme = PF_THEME_LIGHT;
}

/* A value is known when finite and non-negative (stats use -1 for unknown). */
int pf_trend_point_known(const pf_trend_point *p)
{
    return isfinite(p->v) && p->v >= 0.0;
}

/* Series label: the title, else the id, else "?". */
static const char *series_label(const pf_trend_series *s)
{
    if (s->label && *s->label)
        return s->label;
    return s->id && *s->id ? s->id : "?";
}

/* y tick text for the format (percent with "%", days and counts plain). */
static void ytick_text(double v, pf_value_fmt fmt, char *buf, size_t len)
{
    char num[64];
    pf_fmt_thousands(v, num, sizeof num);
    snprintf(buf, len, "%s%s", num, fmt == PF_FMT_PERCENT ? "%" : "");
}

/* Latest known value of a series, or -1. */
static double last_value(const pf_trend_series *s)
{
    for (size_t i = s->n; i > 0; i--)
        if (pf_trend_point_known(&s->pts[i - 1]))
            return s->pts[i - 1].v;
    return -1.0;
}

/* Frame: legend width from the longest legend text, left margin from the
 * widest y tick, time domain padded 4% (a week when the points span less
 * than a day),
 * y from 0 to the first tick at or above the largest value. */
void pf_trend_frame_compute(const pf_trend_series *s, size_t n, const pf_trend_opts *o,
                            pf_trend_frame *f)
{
    pf_trend_opts def;
    if (!o) {
        pf_trend_opts_default(&def);
        o = &def;
    }
    memset(f, 0, sizeof *f);
    f->width = o->width;
    f->height = o->height;
    double vmax = 0.0;
    int64_t tmin = INT64_MAX, tmax = INT64_MIN;
    double lw = 0.0;
    char buf[256];
    for (size_t i = 0; i < n; i++) {
        size_t known = 0;
        for (size_t k = 0; k < s[i].n; k++) {
            const pf_trend_point *p = &s[i].pts[k];
            if (!pf_trend_point_known(p))
                continue;
            known++;
            if (p->v > vmax)
                vmax = p->v;
            if (p->t < tmin)
                tmin = p->t;
            if (p->t > tmax)
                tmax = p->t;
        }
        f->npoints += known;
        if (known) {
            double w = pf_chart_measure(series_label(&s[i]), PF_FONT_TICK, 0);
            if (w > lw)
                lw = w;
        }
    }
    if (f->npoints == 0) {
        tmin = tmax = 0;
        lw = 0.0;
    }
    f->tmin = tmin;
    f->tmax = tmax;
    double span = (double)(tmax - tmin);
    if (span < DAY) { /* one instant, or runs hours apart: a week around them */
        double mid = ((double)tmin + (double)tmax) / 2.0;
        f->t0 = mid - 3.0 * DAY;
        f->t1 = mid + 3.0 * DAY;
    } else {
        f->t0 = (double)tmin - span * 0.04;
        f->t1 = (double)tmax + span * 0.04;
    }

    f->py0 = M_TOP + pf_chart_titles_height(o->title, o->subtitle);
    f->py1 = o->height - M_BOTTOM;
    if (f->py1 - f->py0 < 20.0) {
        f->py0 = 0.0;
        f->py1 = o->height > 1 ? o->height : 1.0;
    }
    int mt = (int)((f->py1 - f->py0) / 55.0);
    double minstep = o->fmt == PF_FMT_COUNT ? 1.0 : 0.0;
    if (!(vmax > 0.0))
        vmax = o->fmt == PF_FMT_PERCENT ? 100.0 : 1.0;
    f->ystep = pf_tick_step(vmax, mt > 1 ? mt : 1, minstep);
    f->ymax = ceil(vmax / f->ystep - 1e-9) * f->ystep;
    if (o->fmt == PF_FMT_PERCENT && f->ymax > 100.0 && vmax <= 100.0)
        f->ymax = 100.0;
    if (!(f->ymax > 0.0))
        f->ymax = 1.0;
    double t[64];
    size_t nt = pf_ticks(f->ymax, f->ystep, t, 64);
    for (size_t i = 0; i < nt; i++) {
        ytick_text(t[i], o->fmt, buf, sizeof buf);
        double w = pf_chart_measure(buf, PF_FONT_TICK, 0);
        if (w > f->ytick_w)
            f->ytick_w = w;
    }
    f->px0 = f->ytick_w + (o->ylabel && *o->ylabel ? 46.0 : 20.0);
    if (f->px0 < 60.0)
        f->px0 = 60.0;
    f->legend_w = f->npoints ? lw + 48.0 : 0.0;
    if (f->legend_w > o->width * 0.4)
        f->legend_w = o->width * 0.4;
    f->px1 = o->width - M_RIGHT - f->legend_w;
    f->legend_x = f->px1 + 20.0;
    if (f->px1 - f->px0 < 20.0) {
        f->px0 = 0.0;
        f->px1 = o->width > 1 ? o->width : 1.0;
        f->legend_w = 0.0;
    }
    pf_scale_init(&f->sx, f->t0, f->t1, f->px0, f->px1);
    pf_scale_init(&f->sy, 0.0, f->ymax, f->py1, f->py0);
}

/* Time -> pixel x. */
double pf_trend_px(const pf_trend_frame *f, int64_t t)
{
    return pf_scale_map(&f->sx, (double)t);
}

/* Value -> pixel y. */
double pf_trend_py(const pf_trend_frame *f, double v)
{
    return pf_scale_map(&f->sy, v);
}

/* ---- date ticks --------------------------------------------------------- */

typedef enum tunit { T_HOUR, T_DAY, T_WEEK, T_MONTH, T_YEAR } tunit;

/* Candidate tick intervals, finest first. */
static const struct {
    tunit unit;
    int k;
} STEPS[] = {{T_HOUR, 1},  {T_HOUR, 3},  {T_HOUR, 6},  {T_HOUR, 12}, {T_DAY, 1},
             {T_DAY, 2},   {T_WEEK, 1},  {T_WEEK, 2},  {T_MONTH, 1}, {T_MONTH, 2},
             {T_MONTH, 3}, {T_MONTH, 6}, {T_YEAR, 1},  {T_YEAR, 2},  {T_YEAR, 5},
             {T_YEAR, 10}, {T_YEAR, 20}, {T_YEAR, 50}, {T_YEAR, 100}};

/* Floor division for negative times too. */
static int64_t floordiv(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Unix time of the first day of month m (0-based, may overflow) of year y. */
static int64_t month_start(int y, int m)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    y += m / 12;
    m %= 12;
    if (m < 0) {
        m += 12;
        y--;
    }
    tm.tm_year = y - 1900;
    tm.tm_mon = m;
    tm.tm_mday = 1;
    return (int64_t)timegm(&tm);
}

/* Fill one tick's texts for the unit; the year (or the date for hours) goes
 * to label2 on the first tick and when it changes. */
static void tick_label(pf_time_tick *tk, tunit u, const struct tm *prev)
{
    time_t tt = (time_t)tk->t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    tk->label2[0] = '\0';
    switch (u) {
    case T_HOUR:
        snprintf(tk->label, sizeof tk->label, "%02d:00", tm.tm_hour);
        if (!prev || prev->tm_yday != tm.tm_yday || prev->tm_year != tm.tm_year)
            snprintf(tk->label2, sizeof tk->label2, "%s %d", MONTHS[tm.tm_mon], tm.tm_mday);
        break;
    case T_DAY:
    case T_WEEK:
        snprintf(tk->label, sizeof tk->label, "%s %d", MONTHS[tm.tm_mon], tm.tm_mday);
        if (!prev || prev->tm_year != tm.tm_year)
            snprintf(tk->label2, sizeof tk->label2, "%d", tm.tm_year + 1900);
        break;
    case T_MONTH:
        snprintf(tk->label, sizeof tk->label, "%s", MONTHS[tm.tm_mon]);
        if (!prev || prev->tm_year != tm.tm_year)
            snprintf(tk->label2, sizeof tk->label2, "%d", tm.tm_year + 1900);
        break;
    case T_YEAR:
        snprintf(tk->label, sizeof tk->label, "%d", tm.tm_year + 1900);
        break;
    }
}

/* Generate the ticks of one interval within [t0, t1]; returns the count
 * (stops counting past cap + 1 so callers can reject the interval). */
static size_t gen_ticks(double t0, double t1, tunit u, int k, pf_time_tick *out, size_t cap)
{
    size_t n = 0;
    int64_t a = (int64_t)ceil(t0), b = (int64_t)floor(t1);
    if (u == T_HOUR || u == T_DAY || u == T_WEEK) {
        int64_t step = (u == T_HOUR ? 3600 : (u == T_DAY ? 86400 : 7 * 86400)) * (int64_t)k;
        int64_t origin = u == T_WEEK ? 4 * 86400 : 0; /* 1970-01-05 was a Monday */
        int64_t t = origin + floordiv(a - origin + step - 1, step) * step;
        for (; t <= b && n <= cap; t += step) {
            if (n < cap)
                out[n].t = t;
            n++;
        }
        return n;
    }
    time_t ta = (time_t)a;
    struct tm tm;
    gmtime_r(&ta, &tm);
    int y = tm.tm_year + 1900;
    if (u == T_MONTH) {
        /* months aligned to multiples of k (Jan, Apr, Jul, Oct for k = 3) */
        int m = (tm.tm_mon / k) * k;
        for (int64_t t = month_start(y, m); t <= b && n <= cap; m += k, t = month_start(y, m)) {
            if (t < a)
                continue;
            if (n < cap)
                out[n].t = t;
            n++;
        }
        return n;
    }
    int yy = (y / k) * k;
    for (int64_t t = month_start(yy, 0); t <= b && n <= cap; yy += k, t = month_start(yy, 0)) {
        if (t < a)
            continue;
        if (n < cap)
            out[n].t = t;
        n++;
    }
    return n;
}

/* The finest interval with at most max_ticks ticks, then the labels. */
size_t pf_time_ticks(double t0, double t1, int max_ticks, pf_time_tick *out, size_t cap)
{
    if (!(t1 > t0) || cap == 0)
        return 0;
    if (max_ticks < 1)
        max_ticks = 1;
    size_t lim = (size_t)max_ticks < cap ? (size_t)max_ticks : cap;
    for (size_t i = 0; i < sizeof STEPS / sizeof STEPS[0]; i++) {
        size_t n = gen_ticks(t0, t1, STEPS[i].unit, STEPS[i].k, out, lim);
        if (n > lim)
            continue;
        struct tm prev, *pp = NULL;
        for (size_t j = 0; j < n; j++) {
            tick_label(&out[j], STEPS[i].unit, pp);
            time_t tt = (time_t)out[j].t;
            gmtime_r(&tt, &prev);
            pp = &prev;
        }
        return n;
    }
    return 0;
}

/* ---- drawing ------------------------------------------------------------ */

/* A series gets the first style no close-colored earlier series uses. */
void pf_trend_dashes(const pf_trend_series *s, size_t n, int *out)
{
    for (size_t i = 0; i < n; i++) {
        double ci[3];
        pf_chart_repo_color(s[i].color, s[i].id, ci);
        int used[NSTYLES] = {0};
        for (size_t j = 0; j < i; j++) {
            double cj[3];
            pf_chart_repo_color(s[j].color, s[j].id, cj);
            if (pf_chart_color_distance(ci, cj) < CLOSE_COLORS)
                used[out[j]] = 1;
        }
        out[i] = 0;
        for (int k = 0; k < NSTYLES; k++)
            if (!used[k]) {
                out[i] = k;
                break;
            }
    }
}

/* Set the dash pattern of a style (0 = solid). */
static void set_dash(cairo_t *cr, int style)
{
    cairo_set_dash(cr, DASHES[style], NDASH[style], 0.0);
}

/* Grid, axes, y ticks and x date ticks; labels never leave the canvas. */
static void draw_axes(cairo_t *cr, const pf_trend_frame *f, const pf_trend_opts *o,
                      const pf_palette *p)
{
    double t[64];
    size_t nt = pf_ticks(f->ymax, f->ystep, t, 64);
    pf_time_tick xt[64];
    int mx = (int)((f->px1 - f->px0) / 90.0);
    size_t nx = f->npoints ? pf_time_ticks(f->t0, f->t1, mx > 1 ? mx : 1, xt, 64) : 0;

    cairo_set_line_width(cr, 1.0);
    pf_chart_rgb(cr, p->grid);
    for (size_t i = 1; i < nt; i++) {
        double y = pf_chart_crisp(pf_trend_py(f, t[i]));
        cairo_move_to(cr, f->px0, y);
        cairo_line_to(cr, f->px1, y);
    }
    for (size_t i = 0; i < nx; i++) {
        double x = pf_chart_crisp(pf_trend_px(f, xt[i].t));
        cairo_move_to(cr, x, f->py0);
        cairo_line_to(cr, x, f->py1);
    }
    cairo_stroke(cr);

    double ax = pf_chart_crisp(f->px0), ay = pf_chart_crisp(f->py1), W = f->width;
    pf_chart_rgb(cr, p->axis);
    cairo_move_to(cr, ax, f->py0);
    cairo_line_to(cr, ax, ay);
    cairo_line_to(cr, f->px1, ay);
    cairo_stroke(cr);

    char buf[64];
    pf_chart_font(cr, PF_FONT_TICK, 0);
    cairo_font_extents_t fe;
    cairo_font_extents(cr, &fe);
    for (size_t i = 0; i < nt; i++) {
        double y = pf_chart_crisp(pf_trend_py(f, t[i]));
        pf_chart_rgb(cr, p->axis);
        cairo_move_to(cr, ax - 5.0, y);
        cairo_line_to(cr, ax, y);
        cairo_stroke(cr);
        ytick_text(t[i], o->fmt, buf, sizeof buf);
        pf_chart_rgb(cr, p->muted);
        pf_chart_text_at(cr, ax - 8.0, y + (fe.ascent - fe.descent) / 2.0, buf, 1.0, 2.0, W);
    }
    for (size_t i = 0; i < nx; i++) {
        double x = pf_chart_crisp(pf_trend_px(f, xt[i].t));
        pf_chart_rgb(cr, p->axis);
        cairo_move_to(cr, x, ay);
        cairo_line_to(cr, x, ay + 5.0);
        cairo_stroke(cr);
        pf_chart_rgb(cr, p->muted);
        pf_chart_text_at(cr, x, ay + 7.0 + fe.ascent, xt[i].label, 0.5, 2.0, W - 2.0);
        if (xt[i].label2[0])
            pf_chart_text_at(cr, x, ay + 9.0 + fe.ascent + fe.height, xt[i].label2, 0.5, 2.0,
                             W - 2.0);
    }
    if (o->ylabel && *o->ylabel) {
        pf_chart_font(cr, PF_FONT_AXIS_TITLE, 1);
        cairo_font_extents(cr, &fe);
        pf_chart_rgb(cr, p->text);
        double bx = ax - 8.0 - f->ytick_w - 10.0 - fe.descent;
        if (bx - fe.ascent < 2.0)
            bx = 2.0 + fe.ascent;
        double cy = (f->py0 + f->py1) / 2.0;
        cairo_save(cr);
        cairo_translate(cr, bx, cy);
        cairo_rotate(cr, -M_PI / 2.0);
        pf_chart_text_at(cr, 0.0, 0.0, o->ylabel, 0.5, -(f->height - 4.0 - cy), cy - 4.0);
        cairo_restore(cr);
    }
}

/* Marker radius: smaller when points crowd (average spacing under 12 px). */
static double marker_radius(const pf_trend_frame *f, const pf_trend_series *s)
{
    size_t known = 0;
    for (size_t k = 0; k < s->n; k++)
        known += (size_t)pf_trend_point_known(&s->pts[k]);
    if (known < 2)
        return PF_TREND_MARK_R + 0.5;
    double span = pf_trend_px(f, f->tmax) - pf_trend_px(f, f->tmin);
    double gap = span / (double)(known - 1);
    double r = gap / 3.5;
    return r > PF_TREND_MARK_R ? PF_TREND_MARK_R : (r < 1.6 ? 1.6 : r);
}

/* One series: the line through its known points, then the markers (a ring
 * in the plot color keeps crossing lines from blurring them). */
static void draw_series(cairo_t *cr, const pf_trend_frame *f, const pf_trend_series *s, int dash,
                        const pf_palette *p)
{
    double rgb[3];
    pf_chart_series_color(s->color, s->id, p->plot, rgb);
    int started = 0;
    for (size_t k = 0; k < s->n; k++) {
        if (!pf_trend_point_known(&s->pts[k]))
            continue;
        double x = pf_trend_px(f, s->pts[k].t), y = pf_trend_py(f, s->pts[k].v);
        if (started)
            cairo_line_to(cr, x, y);
        else
            cairo_move_to(cr, x, y);
        started = 1;
    }
    cairo_set_line_width(cr, PF_TREND_LINE_W);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    set_dash(cr, dash);
    pf_chart_rgb(cr, rgb);
    cairo_stroke(cr);
    set_dash(cr, 0);
    double r = marker_radius(f, s);
    for (size_t k = 0; k < s->n; k++) {
        if (!pf_trend_point_known(&s->pts[k]))
            continue;
        double x = pf_trend_px(f, s->pts[k].t), y = pf_trend_py(f, s->pts[k].v);
        cairo_new_sub_path(cr);
        cairo_arc(cr, x, y, r + 1.0, 0.0, 2.0 * M_PI);
        pf_chart_rgb(cr, p->plot);
        cairo_fill(cr);
        cairo_new_sub_path(cr);
        cairo_arc(cr, x, y, r, 0.0, 2.0 * M_PI);
        pf_chart_rgb(cr, rgb);
        cairo_fill(cr);
    }
}

/* Legend entry order: latest value descending, then label (deterministic). */
typedef struct legend_ent {
    size_t idx;
    double last;
    const char *label;
} legend_ent;

/* qsort comparator for legend entries. */
static int legend_cmp(const void *a, const void *b)
{
    const legend_ent *x = a, *y = b;
    if (x->last != y->last)
        return x->last > y->last ? -1 : 1;
    int c = strcmp(x->label, y->label);
    return c ? c : (x->idx < y->idx ? -1 : (x->idx > y->idx));
}

/* Legend column right of the plot: a line sample with the series' dash and
 * marker, the label, and the latest value below it in muted text. Entries
 * that do not fit are summarised as "+N more". */
static void draw_legend(cairo_t *cr, const pf_trend_frame *f, const pf_trend_series *s, size_t n,
                        const int *dash, const pf_trend_opts *o, const pf_palette *p)
{
    legend_ent *e = malloc((n ? n : 1) * sizeof *e);
    if (!e)
        return;
    size_t ne = 0;
    for (size_t i = 0; i < n; i++) {
        double v = last_value(&s[i]);
        if (v < 0.0)
            continue;
        e[ne++] = (legend_ent){i, v, series_label(&s[i])};
    }
    qsort(e, ne, sizeof *e, legend_cmp);
    const double row = 2.0 * PF_TREND_LEGEND_ROW - 4.0;
    size_t fit = (size_t)((f->py1 - f->py0) / row);
    if (fit < ne && fit > 0)
        fit--; /* room for "+N more" */
    double x = f->legend_x, y = f->py0 + 6.0;
    char buf[256];
    cairo_font_extents_t fe;
    for (size_t j = 0; j < ne && j < fit; j++, y += row) {
        const pf_trend_series *si = &s[e[j].idx];
        double rgb[3];
        pf_chart_series_color(si->color, si->id, p->page, rgb);
        double ly = y + 8.0;
        cairo_set_line_width(cr, PF_TREND_LINE_W);
        set_dash(cr, dash[e[j].idx]);
        pf_chart_rgb(cr, rgb);
        cairo_move_to(cr, x, ly);
        cairo_line_to(cr, x + 28.0, ly);
        cairo_stroke(cr);
        set_dash(cr, 0);
        cairo_new_sub_path(cr);
        cairo_arc(cr, x + 14.0, ly, PF_TREND_MARK_R, 0.0, 2.0 * M_PI);
        cairo_fill(cr);
        pf_chart_font(cr, PF_FONT_TICK, 0);
        cairo_font_extents(cr, &fe);
        pf_chart_rgb(cr, p->text);
        pf_chart_text_at(cr, x + 36.0, ly + (fe.ascent - fe.descent) / 2.0, series_label(si), 0.0,
                         0, 0);
        pf_render_fmt_value(e[j].last, o->fmt, buf, sizeof buf);
        pf_chart_rgb(cr, p->muted);
        pf_chart_text_at(cr, x + 36.0, ly + (fe.ascent - fe.descent) / 2.0 + 17.0, buf, 0.0, 0, 0);
    }
    if (fit < ne) {
        snprintf(buf, sizeof buf, "+%zu more", ne - fit);
        pf_chart_font(cr, PF_FONT_TICK, 0);
        pf_chart_rgb(cr, p->muted);
        pf_chart_text_at(cr, x + 36.0, y + 12.0, buf, 0.0, 0, 0);
    }
    free(e);
}

/* Render the trend chart; see render.h. Ownership: dash styles malloc'd here. */
int pf_render_trend(const pf_trend_series *s, size_t n, const pf_trend_opts *o, const char *path,
                    char *err, size_t errlen)
{
    pf_trend_opts def;
    if (!o) {
        pf_trend_opts_default(&def);
        o = &def;
    }
    if (n > 0 && !s) {
        snprintf(err, errlen, "trend: %zu series but no series array", n);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        if (s[i].n > 0 && !s[i].pts) {
            snprintf(err, errlen, "trend: series %zu has %zu points but no point array", i, s[i].n);
            return -1;
        }
    int *dash = calloc(n ? n : 1, sizeof *dash);
    if (!dash) {
        snprintf(err, errlen, "out of memory for %zu series", n);
        return -1;
    }
    pf_trend_frame f;
    pf_trend_frame_compute(s, n, o, &f);
    pf_trend_dashes(s, n, dash);

    const pf_palette *p = pf_palette_for(o->theme);
    pf_surface out;
    cairo_t *cr = pf_chart_begin(&out, path, o->width, o->height, o->scale, p, err, errlen);
    if (!cr) {
        free(dash);
        return -1;
    }
    cairo_rectangle(cr, f.px0, f.py0, f.px1 - f.px0, f.py1 - f.py0);
    pf_chart_rgb(cr, p->plot);
    cairo_fill(cr);
    pf_chart_titles(cr, p, f.px0, o->title, o->subtitle);
    draw_axes(cr, &f, o, p);
    if (f.npoints == 0) {
        pf_chart_no_data(cr, p, (f.px0 + f.px1) / 2.0, (f.py0 + f.py1) / 2.0,
                         "no analysis history for these repositories");
    } else {
        cairo_save(cr);
        cairo_rectangle(cr, f.px0 - 6.0, f.py0 - 6.0, f.px1 - f.px0 + 12.0, f.py1 - f.py0 + 12.0);
        cairo_clip(cr);
        for (size_t i = 0; i < n; i++)
            draw_series(cr, &f, &s[i], dash[i], p);
        cairo_restore(cr);
        draw_legend(cr, &f, s, n, dash, o, p);
    }
    free(dash);
    return pf_chart_end(&out, cr, "trend chart", err, errlen);
}
