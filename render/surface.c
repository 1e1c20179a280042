/*
 * surface.c — PNG/SVG/PDF output surfaces with atomic rename and
 * deterministic bytes.
 */
#include "surface.h"

#include <cairo-pdf.h>
#include <png.h>
#include <cairo-svg.h>
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* Compare the extension of path with ext (".png"), ignoring case. */
static int has_ext(const char *path, const char *ext)
{
    size_t n = strlen(path), e = strlen(ext);
    return n > e && strcasecmp(path + n - e, ext) == 0;
}

/* Map the file extension to an output kind, -1 when unsupported. */
int pf_surface_kind_from_path(const char *path)
{
    if (!path)
        return -1;
    if (has_ext(path, ".png"))
        return PF_SURF_PNG;
    if (has_ext(path, ".svg"))
        return PF_SURF_SVG;
    if (has_ext(path, ".pdf"))
        return PF_SURF_PDF;
    return -1;
}

/* cairo write callback: append SVG bytes to the in-memory document. */
static cairo_status_t svg_write(void *closure, const unsigned char *data, unsigned int len)
{
    pf_surface *o = closure;
    if (o->svg_len + len > o->svg_cap) {
        size_t cap = o->svg_cap ? o->svg_cap : 65536;
        while (cap < o->svg_len + len)
            cap *= 2;
        char *p = realloc(o->svg, cap);
        if (!p) {
            o->svg_oom = 1;
            return CAIRO_STATUS_NO_MEMORY;
        }
        o->svg = p;
        o->svg_cap = cap;
    }
    memcpy(o->svg + o->svg_len, data, len);
    o->svg_len += len;
    return CAIRO_STATUS_SUCCESS;
}

/* Release everything an output owns and zero it. */
static void out_free(pf_surface *o)
{
    if (o->surf)
        cairo_surface_destroy(o->surf);
    free(o->path);
    free(o->tmp_path);
    free(o->svg);
    memset(o, 0, sizeof *o);
}

/* Open the surface matching the extension; the file itself is written at finish
 * (PNG, SVG) or streamed by cairo to the temporary path (PDF). */
int pf_surface_open(pf_surface *o, const char *path, int width, int height, char *err,
                    size_t errlen)
{
    memset(o, 0, sizeof *o);
    int kind = pf_surface_kind_from_path(path);
    if (kind < 0) {
        const char *dot = path ? strrchr(path, '.') : NULL;
        snprintf(err, errlen, "unsupported output extension '%s' (use .png, .svg or .pdf)",
                 dot ? dot : "");
        return -1;
    }
    if (width < 1 || height < 1 || width > 32767 || height > 32767) {
        snprintf(err, errlen, "invalid chart size %dx%d (1..32767)", width, height);
        return -1;
    }
    o->kind = (pf_surface_kind)kind;
    o->scale = 1.0;
    o->path = strdup(path);
    size_t tl = strlen(path) + 32;
    o->tmp_path = malloc(tl);
    if (!o->path || !o->tmp_path) {
        snprintf(err, errlen, "out of memory");
        out_free(o);
        return -1;
    }
    snprintf(o->tmp_path, tl, "%s.tmp.%ld", path, (long)getpid());

    switch (o->kind) {
    case PF_SURF_PNG:
        o->surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height);
        break;
    case PF_SURF_SVG:
        o->surf = cairo_svg_surface_create_for_stream(svg_write, o, width, height);
        if (cairo_surface_status(o->surf) == CAIRO_STATUS_SUCCESS) {
            cairo_svg_surface_restrict_to_version(o->surf, CAIRO_SVG_VERSION_1_1);
            /* pixels, not points: viewBox and size in the same unit */
            cairo_svg_surface_set_document_unit(o->surf, CAIRO_SVG_UNIT_PX);
        }
        break;
    case PF_SURF_PDF:
        o->surf = cairo_pdf_surface_create(o->tmp_path, width, height);
        if (cairo_surface_status(o->surf) == CAIRO_STATUS_SUCCESS) {
            /* empty dates make cairo omit CreationDate/ModDate: same input, same bytes */
            cairo_pdf_surface_set_metadata(o->surf, CAIRO_PDF_METADATA_CREATE_DATE, "");
            cairo_pdf_surface_set_metadata(o->surf, CAIRO_PDF_METADATA_MOD_DATE, "");
            cairo_pdf_surface_set_metadata(o->surf, CAIRO_PDF_METADATA_CREATOR, "pkgfresh");
        }
        break;
    }
    cairo_status_t st = cairo_surface_status(o->surf);
    if (st != CAIRO_STATUS_SUCCESS) {
        snprintf(err, errlen, "cannot create surface for %s: %s", path, cairo_status_to_string(st));
        if (o->kind == PF_SURF_PDF)
            unlink(o->tmp_path);
        out_free(o);
        return -1;
    }
    return 0;
}

/* Open with a PNG pixel multiplier: the size check applies to the final
 * pixel size, vector outputs keep their nominal size. */
int pf_surface_open_scaled(pf_surface *o, const char *path, int width, int height, double scale,
                           char *err, size_t errlen)
{
    if (!(scale > 0.0) || !isfinite(scale))
        scale = 1.0;
    if (scale > 8.0) {
        memset(o, 0, sizeof *o);
        snprintf(err, errlen, "invalid scale %g (at most 8)", scale);
        return -1;
    }
    if (pf_surface_kind_from_path(path) != PF_SURF_PNG || scale == 1.0)
        return pf_surface_open(o, path, width, height, err, errlen);
    double w = round(width * scale), h = round(height * scale);
    if (width < 1 || height < 1 || w > 32767 || h > 32767) {
        memset(o, 0, sizeof *o);
        snprintf(err, errlen, "invalid chart size %dx%d at scale %g (1..32767 pixels)", width,
                 height, scale);
        return -1;
    }
    if (pf_surface_open(o, path, (int)w, (int)h, err, errlen) != 0)
        return -1;
    o->scale = scale;
    return 0;
}

/* Is c a character that may continue an XML name (so "surface12x" is not an id)? */
static int name_char(char c)
{
    return isalnum((unsigned char)c) || c == '-' || c == '_' || c == '.';
}

/* Renumber "surfaceN" tokens that follow '"' or '#' (ids and references) in
 * order of first appearance. Output never grows: the new number is at most as
 * long as the old one because first-seen numbering starts at 1 and cairo's
 * global counters only grow. */
size_t pf_svg_normalize_ids(char *buf, size_t len)
{
    static const char key[] = "surface";
    const size_t kl = sizeof key - 1;
    unsigned long seen[64];
    size_t nseen = 0;
    size_t r = 0, w = 0;
    while (r < len) {
        if (r > 0 && (buf[r - 1] == '"' || buf[r - 1] == '#') && len - r > kl &&
            memcmp(buf + r, key, kl) == 0 && isdigit((unsigned char)buf[r + kl])) {
            size_t d = r + kl, e = d;
            unsigned long num = 0;
            while (e < len && isdigit((unsigned char)buf[e]) && e - d < 18)
                num = num * 10 + (unsigned long)(buf[e++] - '0');
            if (e < len && !name_char(buf[e])) {
                size_t id = 0;
                while (id < nseen && seen[id] != num)
                    id++;
                if (id == nseen && nseen < sizeof seen / sizeof seen[0])
                    seen[nseen++] = num;
                if (id < nseen) {
                    char nb[24];
                    int nl = snprintf(nb, sizeof nb, "%zu", id + 1);
                    if ((size_t)nl <= e - d) {
                        memmove(buf + w, key, kl);
                        w += kl;
                        memcpy(buf + w, nb, (size_t)nl);
                        w += (size_t)nl;
                        r = e;
                        continue;
                    }
                }
            }
        }
        buf[w++] = buf[r++];
    }
    return w;
}

/* ---- PNG ------------------------------------------------------------------
 * cairo_surface_write_to_png uses libpng's defaults (all filters tried per
 * row, zlib level 6): ~50 ms for a 1140 x 800 chart. Charts are flat fills
 * and vertical repeats, so libpng with the "Up" filter only and zlib level 3
 * gives the same size within a few percent in a third of the time. Output is
 * a pure function of the pixels (no time chunk), so renders are repeatable. */

/* libpng error callback: remember the message and unwind to pf_png_write. */
static void png_fail(png_structp png, png_const_charp msg)
{
    char *why = png_get_error_ptr(png);
    snprintf(why, 160, "%s", msg);
    png_longjmp(png, 1);
}

/* Write an RGB24 / ARGB32 image surface as an 8-bit RGB PNG to path. */
int pf_png_write(cairo_surface_t *surf, const char *path, char *err, size_t errlen)
{
    int w = cairo_image_surface_get_width(surf), h = cairo_image_surface_get_height(surf);
    int stride = cairo_image_surface_get_stride(surf);
    const unsigned char *px = cairo_image_surface_get_data(surf);
    unsigned char *row = malloc((size_t)w * 3);
    char why[160] = "";
    FILE *fp = NULL;
    png_structp png = NULL;
    png_infop info = NULL;
    int rc = -1;
    if (!px || !row) {
        snprintf(err, errlen, "cannot write %s: out of memory", path);
        goto done;
    }
    fp = fopen(path, "wb");
    if (!fp) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        goto done;
    }
    png = png_create_write_struct(PNG_LIBPNG_VER_STRING, why, png_fail, NULL);
    info = png ? png_create_info_struct(png) : NULL;
    if (!png || !info) {
        snprintf(err, errlen, "cannot write %s: out of memory", path);
        goto done;
    }
    if (setjmp(png_jmpbuf(png))) {
        snprintf(err, errlen, "cannot write %s: %s", path, why[0] ? why : "libpng error");
        goto done;
    }
    png_init_io(png, fp);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_UP);
    png_set_compression_level(png, 3);
    png_write_info(png, info);
    for (int y = 0; y < h; y++) {
        const uint32_t *src = (const uint32_t *)(const void *)(px + (size_t)y * (size_t)stride);
        for (int x = 0; x < w; x++) { /* native-endian xRGB: no alpha on RGB24 */
            row[3 * x] = (unsigned char)(src[x] >> 16);
            row[3 * x + 1] = (unsigned char)(src[x] >> 8);
            row[3 * x + 2] = (unsigned char)src[x];
        }
        png_write_row(png, row);
    }
    png_write_end(png, info);
    rc = 0;
done:
    if (png)
        png_destroy_write_struct(&png, info ? &info : NULL);
    if (fp && fclose(fp) != 0 && rc == 0) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        rc = -1;
    }
    free(row);
    return rc;
}

/* Write an in-memory buffer to path; 0 or -1 with errno kept. */
static int write_all(const char *path, const char *buf, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t n = fwrite(buf, 1, len, f);
    int e = errno;
    if (fclose(f) != 0 || n != len) {
        if (n != len)
            errno = e;
        return -1;
    }
    return 0;
}

/* Flush the surface to the temporary file and rename it over the target. */
int pf_surface_finish(pf_surface *o, char *err, size_t errlen)
{
    int rc = -1;
    cairo_status_t st;
    if (o->kind == PF_SURF_PNG) {
        cairo_surface_flush(o->surf);
        if (pf_png_write(o->surf, o->tmp_path, err, errlen) != 0)
            goto out;
    } else {
        cairo_surface_finish(o->surf);
        st = cairo_surface_status(o->surf);
        if (st != CAIRO_STATUS_SUCCESS || o->svg_oom) {
            snprintf(err, errlen, "cannot write %s: %s", o->tmp_path,
                     o->svg_oom ? "out of memory" : cairo_status_to_string(st));
            goto out;
        }
        if (o->kind == PF_SURF_SVG) {
            size_t n = pf_svg_normalize_ids(o->svg, o->svg_len);
            if (write_all(o->tmp_path, o->svg ? o->svg : "", n) != 0) {
                snprintf(err, errlen, "cannot write %s: %s", o->tmp_path, strerror(errno));
                goto out;
            }
        }
    }
    if (rename(o->tmp_path, o->path) != 0) {
        snprintf(err, errlen, "cannot rename %s to %s: %s", o->tmp_path, o->path, strerror(errno));
        goto out;
    }
    rc = 0;
out:
    if (rc != 0)
        unlink(o->tmp_path);
    out_free(o);
    return rc;
}

/* Abandon an output: destroy the surface, remove any partial temp file. */
void pf_surface_abort(pf_surface *o)
{
    if (o->tmp_path) {
        if (o->surf && o->kind == PF_SURF_PDF)
            cairo_surface_finish(o->surf);
        unlink(o->tmp_path);
    }
    out_free(o);
}
