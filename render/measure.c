/*
 * measure.c — text widths for the SVG badges: one scratch cairo context
 * with the charts' font settings (DejaVu Sans, unhinted metrics), reused
 * for every measurement.
 */
#include <stdlib.h>

#include <cairo.h>

#include "chart.h"
#include "pkgfresh/render.h"

struct pf_text_measure {
    cairo_surface_t *surf;
    cairo_t *cr;
};

/* Scratch 1x1 surface and a context set to the font. */
pf_text_measure *pf_text_measure_new(double size, int bold)
{
    pf_text_measure *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1);
    m->cr = cairo_create(m->surf);
    if (cairo_status(m->cr) != CAIRO_STATUS_SUCCESS) {
        pf_text_measure_free(m);
        return NULL;
    }
    pf_chart_text_options(m->cr);
    pf_chart_font(m->cr, size, bold);
    return m;
}

/* Advance width; 0 when cairo refuses the text (the context is in an error
 * state then, so it is not used again). */
double pf_text_measure_width(pf_text_measure *m, const char *s)
{
    if (!m || !s || cairo_status(m->cr) != CAIRO_STATUS_SUCCESS)
        return 0;
    return pf_chart_text_width(m->cr, s);
}

/* Release the context and the surface. */
void pf_text_measure_free(pf_text_measure *m)
{
    if (!m)
        return;
    if (m->cr)
        cairo_destroy(m->cr);
    if (m->surf)
        cairo_surface_destroy(m->surf);
    free(m);
}
