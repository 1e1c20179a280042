/*
 * rank.c — repositories ranked by a metric: horizontal bars in repository
 * colors, rank and name on the left, the value at each bar's end.
 */
#include "rank.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "surface.h"

#define M_LEFT   10.0
#define M_RIGHT  24.0
#define M_TOP    26.0
#define M_BOTTOM 34.0 /* below the tick labels */
#define XTITLE_H 24.0

/* Defaults: 1140 wide, height from the bars, counts, largest first. */
void pf_rank_opts_default(pf_rank_opts *o)
{
    memset(o, 0, sizeof *o);
    o->width = 1140;
    o->height = 0;
    o->fmt = PF_FMT_COUNT;
    o->scale = 1.0;
    o->theme = PF_THEME_LIGHT;
}

/* Item label: the title, else the id, else "?". */
static const char *item_label(const pf_rank_item *it)
{
    if (it->label && *it->label)
        return it->label;
    return it->id && *it->id ? it->id : "?";
}

/* Sort key of one bar: the value negated for "largest first". */
typedef struct rank_key {
    double key;
    const char *label;
    size_t idx;
} rank_key;

/* qsort comparator: key, then label, then input position (stable, total). */
static int key_cmp(const void *a, const void *b)
{
    const rank_key *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    int c = strcmp(x->label, y->label);
    return c ? c : (x->idx < y->idx ? -1 : (x->idx > y->idx));
}

/* Tick text on the value axis. */
static void tick_text(double v, pf_value_fmt fmt, char *buf, size_t len)
{
    char num[64];
    pf_fmt_thousands(v, num, sizeof num);
    snprintf(buf, len, "%s%s", num, fmt == PF_FMT_PERCENT ? "%" : "");
}

/* Rank, then measure labels and values to place the bar area. */
int pf_rank_frame_compute(const pf_rank_item *items, size_t n, const pf_rank_opts *o,
                          pf_rank_frame *f)
{
    pf_rank_opts def;
    if (!o) {
        pf_rank_opts_default(&def);
        o = &def;
    }
    memset(f, 0, sizeof *f);
    rank_key *k = malloc((n ? n : 1) * sizeof *k);
    f->order = malloc((n ? n : 1) * sizeof *f->order);
    if (!k || !f->order) {
        free(k);
        free(f->order);
        f->order = NULL;
        return -1;
    }
    size_t nk = 0;
    for (size_t i = 0; i < n; i++) {
        double v = items[i].value;
        if (!isfinite(v) || v < 0.0) {
            f->omitted++;
            continue;
        }
        k[nk++] = (rank_key){o->ascending ? v : -v, item_label(&items[i]), i};
    }
    qsort(k, nk, sizeof *k, key_cmp);
    f->nbars = o->limit > 0 && nk > o->limit ? o->limit : nk;
    double vmax = 0.0;
    char buf[96];
    for (size_t i = 0; i < f->nbars; i++) {
        const pf_rank_item *it = &items[k[i].idx];
        f->order[i] = k[i].idx;
        if (it->value > vmax)
            vmax = it->value;
        double w = pf_chart_measure(item_label(it), PF_FONT_TICK, 0);
        if (w > f->label_w)
            f->label_w = w;
        pf_render_fmt_value(it->value, o->fmt, buf, sizeof buf);
        w = pf_chart_measure(buf, PF_FONT_TICK, 1);
        if (w > f->value_w)
            f->value_w = w;
    }
    free(k);

    double top = M_TOP + pf_chart_titles_height(o->title, o->subtitle);
    double bottom = M_BOTTOM + 20.0 + (o->xlabel && *o->xlabel ? XTITLE_H : 0.0);
    f->width = o->width;
    f->pitch = PF_RANK_PITCH;
    if (o->height > 0) {
        f->height = o->height;
        double room = o->height - top - bottom;
        if (f->nbars > 0 && room / (double)f->nbars < f->pitch)
            f->pitch = room > f->nbars ? room / (double)f->nbars : 1.0;
    } else {
        size_t rows = f->nbars ? f->nbars : 12; /* room for "No data" */
        f->height = (int)ceil(top + rows * f->pitch + bottom);
    }
    f->bar_h = f->pitch * PF_RANK_BAR_FRAC;
    f->py0 = top;
    f->py1 = top + (f->nbars ? f->nbars : 12) * f->pitch;
    if (f->py1 > f->height - bottom && o->height > 0)
        f->py1 = f->height - bottom;
    if (f->py1 - f->py0 < 10.0) {
        f->py0 = 0.0;
        f->py1 = f->height > 1 ? f->height : 1.0;
    }
    snprintf(buf, sizeof buf, "%zu", f->nbars);
    double numw = pf_chart_measure(buf, PF_FONT_TICK, 0);
    f->px0 = M_LEFT + numw + 10.0 + f->label_w + 10.0;
    f->px1 = o->width - M_RIGHT - f->value_w - 8.0;
    if (f->px1 - f->px0 < 40.0) { /* very long labels: let them be cut rather than the bars */
        f->px0 = o->width * 0.45;
        f->px1 = o->width - M_RIGHT - f->value_w - 8.0;
        if (f->px1 - f->px0 < 20.0) {
            f->px0 = 0.0;
            f->px1 = o->width > 1 ? o->width : 1.0;
        }
    }
    if (!(vmax > 0.0))
        vmax = o->fmt == PF_FMT_PERCENT ? 100.0 : 1.0;
    /* tick labels side by side: the widest (the maximum's) plus a gap apart */
    char mb[64];
    tick_text(vmax, o->fmt, mb, sizeof mb);
    double per = pf_chart_measure(mb, PF_FONT_TICK, 0) + 24.0;
    int mt = (int)((f->px1 - f->px0) / (per > 90.0 ? per : 90.0));
    f->xstep = pf_tick_step(vmax, mt > 1 ? mt : 1, o->fmt == PF_FMT_COUNT ? 1.0 : 0.0);
    f->xmax = ceil(vmax / f->xstep - 1e-9) * f->xstep;
    if (o->fmt == PF_FMT_PERCENT && vmax <= 100.0 && f->xmax > 100.0)
        f->xmax = 100.0;
    pf_scale_init(&f->sx, 0.0, f->xmax, f->px0, f->px1);
    return 0;
}

/* Free the bar order. */
void pf_rank_frame_free(pf_rank_frame *f)
{
    free(f->order);
    f->order = NULL;
}

/* Value -> pixel x. */
double pf_rank_px(const pf_rank_frame *f, double v)
{
    return pf_scale_map(&f->sx, v);
}

/* Centre of bar i. */
double pf_rank_bar_y(const pf_rank_frame *f, size_t i)
{
    return f->py0 + ((double)i + 0.5) * f->pitch;
}

/* Gridlines, the value axis with ticks and its title. */
static void draw_axis(cairo_t *cr, const pf_rank_frame *f, const pf_rank_opts *o,
                      const pf_palette *p)
{
    double t[64];
    size_t nt = pf_ticks(f->xmax, f->xstep, t, 64);
    cairo_set_line_width(cr, 1.0);
    pf_chart_rgb(cr, p->grid);
    for (size_t i = 1; i < nt; i++) {
        double x = pf_chart_crisp(pf_rank_px(f, t[i]));
        cairo_move_to(cr, x, f->py0);
        cairo_line_to(cr, x, f->py1);
    }
    cairo_stroke(cr);
    double ax = pf_chart_crisp(f->px0), ay = pf_chart_crisp(f->py1);
    pf_chart_rgb(cr, p->axis);
    cairo_move_to(cr, ax, f->py0);
    cairo_line_to(cr, ax, ay);
    cairo_line_to(cr, f->px1, ay);
    cairo_stroke(cr);
    pf_chart_font(cr, PF_FONT_TICK, 0);
    cairo_font_extents_t fe;
    cairo_font_extents(cr, &fe);
    char buf[64];
    for (size_t i = 0; i < nt; i++) {
        double x = pf_chart_crisp(pf_rank_px(f, t[i]));
        pf_chart_rgb(cr, p->axis);
        cairo_move_to(cr, x, ay);
        cairo_line_to(cr, x, ay + 5.0);
        cairo_stroke(cr);
        tick_text(t[i], o->fmt, buf, sizeof buf);
        pf_chart_rgb(cr, p->muted);
        pf_chart_text_at(cr, x, ay + 7.0 + fe.ascent, buf, 0.5, 2.0, f->width - 2.0);
    }
    if (o->xlabel && *o->xlabel) {
        pf_chart_font(cr, PF_FONT_AXIS_TITLE, 1);
        pf_chart_rgb(cr, p->text);
        pf_chart_text_at(cr, (f->px0 + f->px1) / 2.0, ay + 46.0, o->xlabel, 0.5, 2.0,
                         f->width - 2.0);
    }
}

/* Bars with rank, label and value. */
static void draw_bars(cairo_t *cr, const pf_rank_frame *f, const pf_rank_item *items,
                      const pf_rank_opts *o, const pf_palette *p)
{
    char buf[96];
    pf_chart_font(cr, PF_FONT_TICK, 0);
    cairo_font_extents_t fe;
    cairo_font_extents(cr, &fe);
    double base = (fe.ascent - fe.descent) / 2.0;
    char num[32];
    snprintf(num, sizeof num, "%zu", f->nbars);
    double numw = pf_chart_text_width(cr, num);
    for (size_t i = 0; i < f->nbars; i++) {
        const pf_rank_item *it = &items[f->order[i]];
        double cy = pf_rank_bar_y(f, i);
        double rgb[3];
        pf_chart_series_color(it->color, it->id, p->plot, rgb);
        double x1 = pf_rank_px(f, it->value);
        cairo_rectangle(cr, f->px0 + 1.0, cy - f->bar_h / 2.0, x1 - f->px0 - 1.0, f->bar_h);
        pf_chart_rgb(cr, rgb);
        cairo_fill(cr);

        pf_chart_font(cr, PF_FONT_TICK, 0);
        snprintf(num, sizeof num, "%zu", i + 1);
        pf_chart_rgb(cr, p->muted);
        pf_chart_text_at(cr, M_LEFT + numw, cy + base, num, 1.0, 0, 0);
        pf_chart_rgb(cr, p->text);
        pf_chart_text_at(cr, f->px0 - 10.0, cy + base, item_label(it), 1.0, M_LEFT + numw + 10.0,
                         f->px0 - 10.0);
        pf_chart_font(cr, PF_FONT_TICK, 1);
        pf_render_fmt_value(it->value, o->fmt, buf, sizeof buf);
        pf_chart_text_at(cr, x1 + 6.0, cy + base, buf, 0.0, 0, 0);
    }
}

/* Render the ranking; see render.h. */
int pf_render_rank(const pf_rank_item *items, size_t n, const pf_rank_opts *o, const char *path,
                   char *err, size_t errlen)
{
    pf_rank_opts def;
    if (!o) {
        pf_rank_opts_default(&def);
        o = &def;
    }
    if (n > 0 && !items) {
        snprintf(err, errlen, "rank: %zu items but no item array", n);
        return -1;
    }
    pf_rank_frame f;
    if (pf_rank_frame_compute(items, n, o, &f) != 0) {
        snprintf(err, errlen, "out of memory for %zu bars", n);
        return -1;
    }
    const pf_palette *p = pf_palette_for(o->theme);
    pf_surface out;
    cairo_t *cr = pf_chart_begin(&out, path, f.width, f.height, o->scale, p, err, errlen);
    if (!cr) {
        pf_rank_frame_free(&f);
        return -1;
    }
    cairo_rectangle(cr, f.px0, f.py0, f.px1 - f.px0, f.py1 - f.py0);
    pf_chart_rgb(cr, p->plot);
    cairo_fill(cr);
    pf_chart_titles(cr, p, M_LEFT, o->title, o->subtitle);
    draw_axis(cr, &f, o, p);
    if (f.nbars == 0)
        pf_chart_no_data(cr, p, (f.px0 + f.px1) / 2.0, (f.py0 + f.py1) / 2.0,
                         f.omitted ? "no repository has a known value" : "no repositories");
    else
        draw_bars(cr, &f, items, o, p);
    pf_rank_frame_free(&f);
    return pf_chart_end(&out, cr, "ranking", err, errlen);
}
