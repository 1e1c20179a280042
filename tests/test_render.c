/*
 * test_render.c — the charts: scales and ticks, number formatting, colours,
 * output surfaces (PNG/SVG/PDF, atomic, deterministic), pixel checks on the
 * rendered PNGs (map with log / zoom / variants / highlight / dark theme /
 * HiDPI scale, trend lines and date ticks, rank bars) and the label layout.
 */
#include "testutil.h"

#include <cairo.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pkgfresh/render.h"
#include "../render/chart.h"
#include "../render/labels.h"
#include "../render/map.h"
#include "../render/rank.h"
#include "../render/scale.h"
#include "../render/surface.h"
#include "../render/trend.h"

/* A realistic set of repositories (projects, fresh projects). */
static const pf_map_point SAMPLE[] = {
    {"debian_unstable", "Debian Unstable", "#c70036", 36000, 21000},
    {"ubuntu_24_04", "Ubuntu 24.04", "#e95420", 33000, 15000},
    {"nix_unstable", "nixpkgs unstable", "#7eb2dd", 95000, 60000},
    {"arch", "Arch", "#1793d1", 12000, 9000},
    {"aur", "AUR", "#0088cc", 68000, 31000},
    {"alpine_edge", "Alpine Edge", "#0d597f", 31000, 20500},
    {"freebsd", "FreeBSD Ports", "#ab2b28", 30000, 19000},
    {"gentoo", "Gentoo", "#54487a", 26000, 17000},
    {"fedora_rawhide", "Fedora Rawhide", "#294172", 23000, 16500},
    {"opensuse_tw", "openSUSE Tumbleweed", "#73ba25", 16000, 11500},
    {"homebrew", "Homebrew", "#fbb040", 9200, 7800},
    {"void", "Void Linux", "#478061", 9800, 7000},
    {"broken", "Bad Colour", "not-a-colour", 50000, 12000},
};
#define NSAMPLE (sizeof SAMPLE / sizeof SAMPLE[0])

/* Join a temp dir and a file name into a static buffer (rotating, 4 slots). */
static const char *tmp_path(const char *dir, const char *name)
{
    static char bufs[4][4096];
    static int next;
    char *b = bufs[next];
    next = (next + 1) % 4;
    snprintf(b, 4096, "%s/%s", dir, name);
    return b;
}

/* Read a PNG back; the caller destroys the surface. */
static cairo_surface_t *load_png(const char *path)
{
    cairo_surface_t *s = cairo_image_surface_create_from_png(path);
    assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    cairo_surface_flush(s);
    return s;
}

/* 0xRRGGBB of pixel (x, y) of an RGB24/ARGB32 image surface. */
static uint32_t pixel(cairo_surface_t *s, int x, int y)
{
    assert_true(x >= 0 && y >= 0);
    assert_true(x < cairo_image_surface_get_width(s) && y < cairo_image_surface_get_height(s));
    const unsigned char *data = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    uint32_t v;
    memcpy(&v, data + (size_t)y * (size_t)stride + (size_t)x * 4, 4);
    return v & 0xffffffu;
}

/* Parse "#rrggbb" the way the test expects the renderer to. */
static uint32_t hex_color(const char *s)
{
    return (uint32_t)strtoul(s + 1, NULL, 16);
}

/* Count files in dir whose name contains ".tmp." (left-over temp files). */
static int count_tmp_files(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strstr(e->d_name, ".tmp."))
            n++;
    closedir(d);
    return n;
}

/* Render with default options (1140 x 800) and a title; asserts success. */
static void render_ok(const pf_map_point *pts, size_t n, const char *path)
{
    pf_map_opts o;
    pf_map_opts_default(&o);
    o.title = "Repository size vs. freshness";
    o.subtitle = "test data";
    char err[256] = "";
    int rc = pf_render_map(pts, n, &o, path, err, sizeof err);
    if (rc != 0)
        fail_msg("render %s: %s", path, err);
}

/* ---- scales ---- */

static void test_nice_max(void **state)
{
    (void)state;
    assert_true(pf_nice_max(101) == 110);
    assert_true(pf_nice_max(10001) == 11000);
    assert_true(pf_nice_max(0) == 1);
    assert_true(pf_nice_max(-5) == 1);
    assert_true(pf_nice_max(NAN) == 1);
    assert_true(pf_nice_max(0.3) == 1);
    assert_true(pf_nice_max(1) == 1);
    assert_true(pf_nice_max(7) == 7);
    assert_true(pf_nice_max(95) == 95);
    assert_true(pf_nice_max(99.5) == 100);
    assert_true(pf_nice_max(100) == 100);
    assert_true(pf_nice_max(110) == 110);
    assert_true(pf_nice_max(999) == 1000);
    assert_true(pf_nice_max(1000) == 1000);
    assert_true(pf_nice_max(36000) == 36000);
    assert_true(pf_nice_max(95001) == 96000);
    assert_true(pf_nice_max(140123) == 150000);
    assert_true(pf_nice_max(1e6) == 1e6);
}

/* Mantissa of a positive step, which must be 1, 2 or 5. */
static double mantissa(double v)
{
    double m = v / pow(10.0, floor(log10(v)));
    return round(m * 1e6) / 1e6;
}

static void test_ticks_125(void **state)
{
    (void)state;
    assert_true(pf_tick_step(110000, 8, 1) == 20000);
    assert_true(pf_tick_step(60000, 12, 1) == 5000);
    assert_true(pf_tick_step(110, 5, 1) == 20);
    assert_true(pf_tick_step(470, 2, 1) == 200); /* 0, 200, 400 */
    assert_true(pf_tick_step(7, 10, 1) == 1);
    assert_true(pf_tick_step(1, 10, 1) == 1); /* min_step: no 0.1 steps for counts */
    assert_true(pf_tick_step(1, 10, 0) == 0.1);

    double t[64];
    size_t n = pf_ticks(110000, 20000, t, 64);
    assert_int_equal(n, 6);
    assert_true(t[0] == 0 && t[5] == 100000);
    n = pf_ticks(1, 1, t, 64);
    assert_int_equal(n, 2);
    n = pf_ticks(1000, 200, t, 64); /* max itself is a tick */
    assert_int_equal(n, 6);
    assert_true(t[5] == 1000);
    assert_int_equal(pf_ticks(1000, 0, t, 64), 0);
    assert_int_equal(pf_ticks(1e9, 1, t, 64), 64); /* capped */

    /* every nice max gives a 1-2-5 step and at most max_ticks intervals */
    for (double v = 3; v < 3e6; v *= 1.37) {
        double max = pf_nice_max(v);
        for (int mt = 2; mt <= 12; mt++) {
            double step = pf_tick_step(max, mt, 1);
            double m = mantissa(step);
            assert_true(m == 1 || m == 2 || m == 5);
            n = pf_ticks(max, step, t, 64);
            assert_true(n >= 2);
            assert_true((double)(n - 1) <= mt || step == 1);
            assert_true(t[n - 1] <= max && t[n - 1] + step > max);
        }
    }
}

static void test_thousands(void **state)
{
    (void)state;
    char b[32];
    struct {
        double v;
        const char *s;
    } cases[] = {{0, "0"},
                 {7, "7"},
                 {999, "999"},
                 {1000, "1,000"},
                 {12345, "12,345"},
                 {100000, "100,000"},
                 {1234567, "1,234,567"},
                 {-1000, "-1,000"},
                 {-0.001, "0"},
                 {2.5, "2.5"},
                 {0.25, "0.25"},
                 {1234.5, "1,234.5"},
                 {999.999, "1,000"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pf_fmt_thousands(cases[i].v, b, sizeof b);
        assert_string_equal(b, cases[i].s);
    }
    pf_fmt_thousands(12345, b, 4); /* truncates, stays terminated */
    assert_string_equal(b, "12,");
}

static void test_scale_and_color(void **state)
{
    (void)state;
    pf_scale s;
    pf_scale_init(&s, 0, 200, 100, 500);
    assert_true(pf_scale_map(&s, 0) == 100);
    assert_true(pf_scale_map(&s, 100) == 300);
    assert_true(pf_scale_map(&s, 200) == 500);
    pf_scale_init(&s, 5, 5, 0, 10); /* degenerate domain widened, no division by 0 */
    assert_true(isfinite(pf_scale_map(&s, 5)));

    double rgb[3];
    assert_int_equal(pf_parse_color("#ff8000", rgb), 0);
    assert_true(rgb[0] == 1.0 && fabs(rgb[1] - 128 / 255.0) < 1e-12 && rgb[2] == 0.0);
    assert_int_equal(pf_parse_color("#A0b0C0", rgb), 0);
    assert_true(fabs(rgb[0] - 160 / 255.0) < 1e-12);
    const char *bad[] = {"red", "#12345", "#1234567", "#gg0000", "ff8000", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(pf_parse_color(bad[i], rgb), -1);
        assert_true(rgb[0] == 0 && rgb[1] == 0 && rgb[2] == 0);
    }
    assert_int_equal(pf_parse_color(NULL, rgb), -1);
}

/* ---- frame ---- */

static void test_frame(void **state)
{
    (void)state;
    pf_map_opts o;
    pf_map_opts_default(&o);
    assert_int_equal(o.width, 1140);
    assert_int_equal(o.height, 800);
    assert_null(o.title);
    pf_map_frame f;
    pf_map_frame_compute(SAMPLE, NSAMPLE, &o, &f);
    assert_true(f.xmax == 95000 && f.ymax == 60000); /* each axis its own max */
    assert_true(f.px0 < f.px1 && f.py0 < f.py1);
    assert_true(f.px1 <= 1140 && f.py1 <= 800);
    assert_true(pf_map_px(&f, 0) == f.px0 && pf_map_px(&f, f.xmax) == f.px1);
    assert_true(pf_map_py(&f, 0) == f.py1 && pf_map_py(&f, f.ymax) == f.py0);
    /* a title pushes the plot down */
    double top = f.py0;
    o.title = "T";
    pf_map_frame_compute(SAMPLE, NSAMPLE, &o, &f);
    assert_true(f.py0 > top);
    /* non-finite and negative points do not stretch the axes */
    pf_map_point odd[] = {{"a", "A", "#000000", 500, 300},
                          {"b", "B", "#000000", INFINITY, 1e9},
                          {"c", "C", "#000000", -5, 1e9},
                          {"d", "D", "#000000", NAN, NAN}};
    pf_map_frame_compute(odd, 4, NULL, &f);
    assert_true(f.xmax == 500 && f.ymax == 300);
    assert_false(pf_map_point_visible(&odd[1]));
    assert_true(pf_map_point_visible(&odd[0]));
}

/* ---- PNG output ---- */

static void test_png_size_and_pixels(void **state)
{
    (void)state;
    const char *dir = tu_tmpdir("render_png");
    assert_non_null(dir);
    const char *path = tmp_path(dir, "map.png");
    render_ok(SAMPLE, NSAMPLE, path);
    assert_int_equal(count_tmp_files(dir), 0);

    cairo_surface_t *s = load_png(path);
    assert_int_equal(cairo_image_surface_get_width(s), 1140);
    assert_int_equal(cairo_image_surface_get_height(s), 800);

    /* non-blank: many distinct colours (dots, text anti-aliasing, zone) */
    uint32_t seen[256];
    size_t nseen = 0;
    for (int y = 0; y < 800 && nseen < 256; y += 3)
        for (int x = 0; x < 1140 && nseen < 256; x += 3) {
            uint32_t p = pixel(s, x, y);
            size_t k = 0;
            while (k < nseen && seen[k] != p)
                k++;
            if (k == nseen)
                seen[nseen++] = p;
        }
    assert_true(nseen > 40);

    /* every dot's centre pixel has its repository colour (black when unparsable) */
    pf_map_opts o;
    pf_map_opts_default(&o);
    o.title = "Repository size vs. freshness";
    o.subtitle = "test data";
    pf_map_frame f;
    pf_map_frame_compute(SAMPLE, NSAMPLE, &o, &f);
    for (size_t i = 0; i < NSAMPLE; i++) {
        int x = (int)floor(pf_map_px(&f, SAMPLE[i].x));
        int y = (int)floor(pf_map_py(&f, SAMPLE[i].y));
        uint32_t want = SAMPLE[i].color[0] == '#' ? hex_color(SAMPLE[i].color) : 0x000000;
        if (pixel(s, x, y) != want)
            fail_msg("%s at (%d,%d): got %06x want %06x", SAMPLE[i].id, x, y, pixel(s, x, y), want);
    }

    /* dead zone: well above the diagonal is #d0d0d0, well below it is light */
    int zx = (int)floor(pf_map_px(&f, 0.08 * f.xmax));
    int zy = (int)floor(pf_map_py(&f, 0.85 * f.ymax));
    assert_int_equal(pixel(s, zx, zy), 0xd0d0d0);
    zx = (int)floor(pf_map_px(&f, 0.97 * f.xmax));
    zy = (int)floor(pf_map_py(&f, 0.03 * f.ymax));
    assert_int_not_equal(pixel(s, zx, zy), 0xd0d0d0);
    assert_true((pixel(s, zx, zy) & 0xff) >= 0xe0);
    /* just either side of the diagonal through (y, y) at mid height */
    double mid = 0.5 * f.ymax;
    int dx = (int)floor(pf_map_px(&f, mid)), dy = (int)floor(pf_map_py(&f, mid));
    assert_int_equal(pixel(s, dx - 6, dy), 0xd0d0d0);
    assert_int_not_equal(pixel(s, dx + 6, dy), 0xd0d0d0);
    cairo_surface_destroy(s);

    /* custom size */
    o.width = 640;
    o.height = 420;
    char err[256];
    assert_int_equal(pf_render_map(SAMPLE, NSAMPLE, &o, path, err, sizeof err), 0);
    s = load_png(path);
    assert_int_equal(cairo_image_surface_get_width(s), 640);
    assert_int_equal(cairo_image_surface_get_height(s), 420);
    cairo_surface_destroy(s);
}

/* ---- SVG / PDF ---- */

static void test_svg_pdf(void **state)
{
    (void)state;
    const char *dir = tu_tmpdir("render_vec");
    assert_non_null(dir);
    const char *svg = tmp_path(dir, "map.svg");
    const char *pdf = tmp_path(dir, "map.PDF"); /* extension case does not matter */
    render_ok(SAMPLE, NSAMPLE, svg);
    render_ok(SAMPLE, NSAMPLE, pdf);
    assert_int_equal(count_tmp_files(dir), 0);

    size_t len;
    char *b = tu_slurp(svg, &len);
    assert_non_null(b);
    assert_true(len > 1000);
    assert_memory_equal(b, "<?xml", 5);
    assert_non_null(strstr(b, "<svg"));
    assert_non_null(strstr(b, "version=\"1.1\""));
    assert_non_null(strstr(b, "width=\"1140"));
    assert_non_null(strstr(b, "id=\"surface1\""));
    assert_non_null(strstr(b, "</svg>"));
    free(b);

    b = tu_slurp(pdf, &len);
    assert_non_null(b);
    assert_true(len > 1000);
    assert_memory_equal(b, "%PDF", 4);
    assert_null(memmem(b, len, "CreationDate", 12));
    assert_null(memmem(b, len, "ModDate", 7));
    free(b);
}

/* Render the sample twice to name.ext and compare the bytes. */
static void assert_deterministic(const char *dir, const char *ext)
{
    char n1[64], n2[64];
    snprintf(n1, sizeof n1, "a.%s", ext);
    snprintf(n2, sizeof n2, "b.%s", ext);
    const char *p1 = tmp_path(dir, n1), *p2 = tmp_path(dir, n2);
    render_ok(SAMPLE, NSAMPLE, p1);
    render_ok(SAMPLE, NSAMPLE, p2);
    size_t l1, l2;
    char *b1 = tu_slurp(p1, &l1), *b2 = tu_slurp(p2, &l2);
    assert_non_null(b1);
    assert_non_null(b2);
    if (l1 != l2 || memcmp(b1, b2, l1) != 0)
        fail_msg("%s output differs between two runs (%zu vs %zu bytes)", ext, l1, l2);
    free(b1);
    free(b2);
}

static void test_deterministic(void **state)
{
    (void)state;
    const char *dir = tu_tmpdir("render_det");
    assert_non_null(dir);
    assert_deterministic(dir, "png");
    assert_deterministic(dir, "svg");
    assert_deterministic(dir, "pdf");
}

static void test_svg_normalize_ids(void **state)
{
    (void)state;
    char buf[] = "<g id=\"surface37\"><use xlink:href=\"#surface37\"/><g id=\"surface41\">"
                 "<g id=\"surface12x\">surface9</g>";
    size_t n = pf_svg_normalize_ids(buf, strlen(buf));
    buf[n] = '\0';
    assert_string_equal(buf, "<g id=\"surface1\"><use xlink:href=\"#surface1\"/><g "
                             "id=\"surface2\"><g id=\"surface12x\">surface9</g>");
}

/* ---- errors ---- */

static void test_errors(void **state)
{
    (void)state;
    const char *dir = tu_tmpdir("render_err");
    assert_non_null(dir);
    char err[256] = "";
    pf_map_opts o;
    pf_map_opts_default(&o);

    const char *jpg = tmp_path(dir, "map.jpg");
    assert_int_equal(pf_render_map(SAMPLE, NSAMPLE, &o, jpg, err, sizeof err), -1);
    assert_non_null(strstr(err, "extension"));
    assert_non_null(strstr(err, ".jpg"));
    assert_int_equal(access(jpg, F_OK), -1);
    err[0] = '\0';
    assert_int_equal(pf_render_map(SAMPLE, NSAMPLE, &o, tmp_path(dir, "map"), err, sizeof err), -1);
    assert_true(err[0] != '\0');
    assert_int_equal(pf_surface_kind_from_path("x.Svg"), PF_SURF_SVG);
    assert_int_equal(pf_surface_kind_from_path(".png.gz"), -1);

    /* unwritable target: error naming the cause, nothing left behind */
    err[0] = '\0';
    assert_int_equal(
        pf_render_map(SAMPLE, NSAMPLE, &o, tmp_path(dir, "no/such/dir/map.png"), err, sizeof err),
        -1);
    assert_non_null(strstr(err, "map.png"));
    err[0] = '\0';
    assert_int_equal(
        pf_render_map(SAMPLE, NSAMPLE, &o, tmp_path(dir, "no/such/dir/map.pdf"), err, sizeof err),
        -1);
    assert_true(err[0] != '\0');

    o.width = 0;
    err[0] = '\0';
    assert_int_equal(pf_render_map(SAMPLE, NSAMPLE, &o, tmp_path(dir, "z.png"), err, sizeof err),
                     -1);
    assert_non_null(strstr(err, "size"));
    assert_int_equal(count_tmp_files(dir), 0);
}

/* ---- empty input ---- */

static void test_no_data(void **state)
{
    (void)state;
    const char *dir = tu_tmpdir("render_empty");
    assert_non_null(dir);
    const char *path = tmp_path(dir, "empty.png");
    render_ok(NULL, 0, path);
    cairo_surface_t *s = load_png(path);
    assert_int_equal(cairo_image_surface_get_width(s), 1140);
    /* the "No data" message darkens pixels around the plot centre */
    pf_map_opts o;
    pf_map_opts_default(&o);
    o.title = "Repository size vs. freshness";
    o.subtitle = "test data";
    pf_map_frame f;
    pf_map_frame_compute(NULL, 0, &o, &f);
    int cx = (int)((f.px0 + f.px1) / 2), cy = (int)((f.py0 + f.py1) / 2);
    int dark = 0;
    for (int y = cy - 20; y < cy + 30; y++)
        for (int x = cx - 60; x < cx + 60; x++)
            if ((pixel(s, x, y) & 0xff) < 0x90)
                dark++;
    assert_true(dark > 50);
    /* and no dead zone */
    assert_int_not_equal(pixel(s, (int)f.px0 + 20, (int)f.py0 + 20), 0xd0d0d0);
    cairo_surface_destroy(s);

    /* points that cannot be drawn count as no data too; SVG works as well */
    pf_map_point nan_pt = {"x", "X", "#ff0000", NAN, 5};
    render_ok(&nan_pt, 1, tmp_path(dir, "nan.svg"));
    render_ok(NULL, 0, tmp_path(dir, "empty.pdf"));
}

/* ---- label layout ---- */

/* Lay out labels for pts on a default-size frame, measuring with the map's font. */
static size_t layout(const pf_map_point *pts, size_t n, pf_map_frame *f, pf_label_box *out)
{
    pf_map_opts o;
    pf_map_opts_default(&o);
    pf_map_frame_compute(pts, n, &o, f);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 4, 4);
    cairo_t *cr = cairo_create(s);
    pf_map_label_font(cr);
    size_t bad = pf_label_layout(cr, pts, NULL, n, f, out);
    assert_int_equal(cairo_status(cr), CAIRO_STATUS_SUCCESS);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    return bad;
}

/* The layout invariants: no two boxes overlap, no box covers any dot, all
 * inside the plot. Returns how many (leader, label) pairs cross: the layout
 * only allows that for a dot walled in by earlier labels. */
static int assert_clean_layout(const pf_map_point *pts, size_t n, const pf_map_frame *f,
                               const pf_label_box *lb)
{
    int crossings = 0;
    for (size_t i = 0; i < n; i++) {
        if (lb[i].state == PF_LABEL_NONE)
            continue;
        assert_true(lb[i].state == PF_LABEL_NEAR || lb[i].state == PF_LABEL_LEADER);
        assert_true(lb[i].x0 >= f->px0 && lb[i].x1 <= f->px1);
        assert_true(lb[i].y0 >= f->py0 && lb[i].y1 <= f->py1);
        assert_true(lb[i].x1 - lb[i].x0 > 10 && lb[i].y1 - lb[i].y0 > 8);
        for (size_t j = 0; j < n; j++) {
            if (j != i && lb[j].state != PF_LABEL_NONE && pf_label_boxes_overlap(&lb[i], &lb[j]))
                fail_msg("labels %zu '%s' and %zu '%s' overlap", i, lb[i].text, j, lb[j].text);
            if (j != i && lb[j].state == PF_LABEL_LEADER) {
                double ex, ey;
                pf_label_leader_end(&lb[j], &ex, &ey);
                crossings += pf_label_segment_hits_box(lb[j].dx, lb[j].dy, ex, ey, &lb[i]);
            }
            if (!pf_map_point_visible(&pts[j]))
                continue;
            double cx = pf_map_px(f, pts[j].x), cy = pf_map_py(f, pts[j].y);
            if (pf_label_box_hits_disc(&lb[i], cx, cy, PF_MAP_DOT_HALO_R))
                fail_msg("label '%s' covers the dot of '%s'", lb[i].text, pts[j].label);
        }
    }
    return crossings;
}

static void test_segment_box(void **state)
{
    (void)state;
    pf_label_box r = {.x0 = 10, .y0 = 10, .x1 = 20, .y1 = 20};
    assert_true(pf_label_segment_hits_box(0, 15, 30, 15, &r));  /* straight through */
    assert_true(pf_label_segment_hits_box(15, 15, 15, 16, &r)); /* inside */
    assert_true(pf_label_segment_hits_box(0, 0, 30, 30, &r));   /* diagonal */
    assert_false(pf_label_segment_hits_box(0, 0, 9, 9, &r));    /* stops short */
    assert_false(pf_label_segment_hits_box(0, 25, 30, 25, &r)); /* passes below */
    assert_false(pf_label_segment_hits_box(0, 10, 30, 10, &r)); /* grazes the edge */
    assert_true(pf_label_segment_hits_box(0, 30, 30, 0, &r));   /* anti-diagonal */
    assert_false(pf_label_segment_hits_box(0, 12, 8, 40, &r));  /* beside, vertical-ish */
    r.dx = 5;
    r.dy = 15;
    double ex, ey;
    pf_label_leader_end(&r, &ex, &ey);
    assert_true(ex == 10 && ey == 15);
}

static void test_labels_sample(void **state)
{
    (void)state;
    pf_label_box lb[NSAMPLE];
    pf_map_frame f;
    assert_int_equal(layout(SAMPLE, NSAMPLE, &f, lb), 0);
    assert_int_equal(assert_clean_layout(SAMPLE, NSAMPLE, &f, lb), 0);
    /* uncrowded: every label sits right next to its dot */
    for (size_t i = 0; i < NSAMPLE; i++)
        assert_int_equal(lb[i].state, PF_LABEL_NEAR);
    /* the first choice is the right of the dot; at the right edge it flips */
    assert_true(lb[0].x0 > lb[0].dx && lb[0].y0 < lb[0].dy && lb[0].y1 > lb[0].dy);
    assert_true(lb[2].x1 <= lb[2].dx); /* nixpkgs at x max */
    assert_string_equal(lb[0].text, "Debian Unstable");
}

static void test_labels_crammed_corner(void **state)
{
    (void)state;
    enum { N = 31 };
    pf_map_point pts[N];
    char names[N][40];
    for (int i = 0; i < N - 1; i++) {
        snprintf(names[i], sizeof names[i], "Repository number %d", i + 1);
        pts[i].id = names[i];
        pts[i].label = names[i];
        pts[i].color = "#3366cc";
        pts[i].x = 1000 + (i % 6) * 40; /* a 6 x 5 block a few pixels wide */
        pts[i].y = 600 + (i / 6) * 30;
    }
    pts[N - 1] = (pf_map_point){"big", "Big repository", "#cc3333", 100000, 60000};

    pf_label_box lb[N];
    pf_map_frame f;
    assert_int_equal(layout(pts, N, &f, lb), 0);
    assert_clean_layout(pts, N, &f, lb);
    int leaders = 0;
    for (int i = 0; i < N; i++)
        leaders += lb[i].state == PF_LABEL_LEADER;
    assert_true(leaders > 5); /* the block is too dense for labels next to the dots */

    /* and the chart itself renders */
    const char *dir = tu_tmpdir("render_corner");
    assert_non_null(dir);
    render_ok(pts, N, tmp_path(dir, "corner.png"));

    /* a label without text or an invisible point gets no box */
    pf_map_point two[] = {{"", NULL, "#000000", 10, 5}, {"n", "N", "#000000", NAN, 1}};
    pf_label_box lb2[2];
    layout(two, 2, &f, lb2);
    assert_int_equal(lb2[0].state, PF_LABEL_NONE);
    assert_int_equal(lb2[1].state, PF_LABEL_NONE);
}

/* Many repositories (Repology has ~300): every one gets a clean spot. */
static void test_labels_many(void **state)
{
    (void)state;
    enum { N = 120 };
    pf_map_point pts[N];
    char names[N][32];
    unsigned seed = 12345;
    for (int i = 0; i < N; i++) {
        seed = seed * 1103515245u + 12345u;
        double x = 500 + (seed >> 8) % 60000;
        seed = seed * 1103515245u + 12345u;
        double frac = 0.3 + ((seed >> 8) % 600) / 1000.0;
        snprintf(names[i], sizeof names[i], "Repo %d", i);
        pts[i] = (pf_map_point){names[i], names[i], "#008800", x, floor(x * frac)};
    }
    pf_label_box lb[N];
    pf_map_frame f;
    size_t bad = layout(pts, N, &f, lb);
    assert_int_equal(bad, 0);
    int crossings = assert_clean_layout(pts, N, &f, lb);
    print_message("leader/label crossings: %d of %d labels\n", crossings, N);
    /* dense on purpose: walled-in dots may need a leader across a label, but few */
    assert_true(crossings < N / 4);
}

/* ---- shared helpers for the chart tests ---- */

/* Whether any pixel of the image has exactly this color. */
static int has_color(cairo_surface_t *s, uint32_t c, int x0, int y0, int x1, int y1)
{
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++)
            if (pixel(s, x, y) == c)
                return 1;
    return 0;
}

/* Count pixels of exactly this color in a rectangle. */
static int count_color(cairo_surface_t *s, uint32_t c, int x0, int y0, int x1, int y1)
{
    int n = 0;
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++)
            n += pixel(s, x, y) == c;
    return n;
}

/* Render a map with options, asserting success, and load the PNG. */
static cairo_surface_t *map_png(const pf_map_point *pts, size_t n, const pf_map_opts *o,
                                const char *path)
{
    char err[256] = "";
    if (pf_render_map(pts, n, o, path, err, sizeof err) != 0)
        fail_msg("render %s: %s", path, err);
    return load_png(path);
}

/* Assert the centre pixel of a map point is exactly want. */
static void assert_dot(cairo_surface_t *s, const pf_map_frame *f, const pf_map_point *p,
                       uint32_t want)
{
    int x = (int)floor(pf_map_px(f, p->x)), y = (int)floor(pf_map_py(f, p->y));
    if (pixel(s, x, y) != want)
        fail_msg("%s at (%d,%d): got %06x want %06x", p->id, x, y, pixel(s, x, y), want);
}

static void test_fmt_value(void **state)
{
    (void)state;
    char b[32];
    pf_render_fmt_value(12345, PF_FMT_COUNT, b, sizeof b);
    assert_string_equal(b, "12,345");
    pf_render_fmt_value(87.54, PF_FMT_PERCENT, b, sizeof b);
    assert_string_equal(b, "87.5%");
    pf_render_fmt_value(100, PF_FMT_PERCENT, b, sizeof b);
    assert_string_equal(b, "100.0%");
    pf_render_fmt_value(14, PF_FMT_DAYS, b, sizeof b);
    assert_string_equal(b, "14.0 d");
    pf_render_fmt_value(1234.56, PF_FMT_DAYS, b, sizeof b);
    assert_string_equal(b, "1,234.6 d");
    pf_render_fmt_value(NAN, PF_FMT_COUNT, b, sizeof b);
    assert_string_equal(b, "n/a");
}

/* ---- map: log axes ---- */

static void test_map_log(void **state)
{
    (void)state;
    const char *dir = tu_tmpdir("render_log");
    assert_non_null(dir);
    pf_map_point pts[NSAMPLE + 1];
    memcpy(pts, SAMPLE, sizeof SAMPLE);
    pts[NSAMPLE] = (pf_map_point){"zero", "Zero fresh", "#10a020", 5000, 0}; /* on the x axis */
    pf_map_opts o;
    pf_map_opts_default(&o);
    o.log = 1;
    pf_map_frame f;
    pf_map_frame_compute(pts, NSAMPLE + 1, &o, &f);
    /* smallest x is 5,000 -> first decade 1,000; smallest positive y 7,000 -> 1,000 */
    assert_true(f.xlo == 1000 && f.ylo == 1000);
    assert_true(f.xmax == 95000 && f.ymax == 60000);
    /* decades are evenly spaced; 12,000 sits log10(12) of a decade past 10,000 */
    double dec = (f.px1 - f.px0) / log10(95000.0 / 1000.0);
    assert_true(fabs(pf_map_px(&f, 1000) - f.px0) < 1e-9);
    assert_true(fabs(pf_map_px(&f, 10000) - (f.px0 + dec)) < 1e-6);
    assert_true(fabs(pf_map_px(&f, 12000) - (f.px0 + dec * log10(12.0))) < 1e-6);
    assert_true(fabs(pf_map_px(&f, 95000) - f.px1) < 1e-6);
    double ydec = (f.py1 - f.py0) / log10(60.0);
    assert_true(fabs(pf_map_py(&f, 10000) - (f.py1 - ydec)) < 1e-6);
    /* zero sits on the axis */
    assert_true(pf_map_py(&f, 0) == f.py1 && pf_map_px(&f, 0) == f.px0);
    /* inverse */
    assert_true(fabs(pf_map_data_x(&f, pf_map_px(&f, 31000)) - 31000) < 1e-6);

    cairo_surface_t *s = map_png(pts, NSAMPLE + 1, &o, tmp_path(dir, "log.png"));
    for (size_t i = 0; i < NSAMPLE - 1; i++) /* the last sample has a bad colour */
        assert_dot(s, &f, &pts[i], hex_color(pts[i].color));
    /* the zero point: its dot straddles the x axis at x = 5,000 */
    int zx = (int)floor(pf_map_px(&f, 5000)), zy = (int)floor(f.py1);
    assert_true(pixel(s, zx, zy - 2) == 0x10a020);
    /* dead zone above the diagonal (log-log: still a straight edge) */
    assert_int_equal(pixel(s, (int)pf_map_px(&f, 1500), (int)pf_map_py(&f, 30000)), 0xd0d0d0);
    assert_int_not_equal(pixel(s, (int)pf_map_px(&f, 30000), (int)pf_map_py(&f, 2000)), 0xd0d0d0);
    cairo_surface_destroy(s);
}

/* ---- map: zoom ---- */

static void test_map_zoom(void **state)
{
    (void)state;
    const char *dir = tu_tmpdir("render_zoom");
    assert_non_null(dir);
    pf_map_opts o;
    pf_map_opts_default(&o);
    o.xlimit = 40000;
    o.ylimit = 20000;
    pf_map_frame f;
    pf_map_frame_compute(SAMPLE, NSAMPLE, &o, &f);
    assert_true(f.xmax == 40000 && f.ymax == 20000);
    /* 12,000 projects: 30% of the way across */
    assert_true(fabs(pf_map_px(&f, 12000) - (f.px0 + 0.3 * (f.px1 - f.px0))) < 1e-6);
    assert_true(fabs(pf_map_py(&f, 9000) - (f.py1 - 0.45 * (f.py1 - f.py0))) < 1e-6);
    assert_true(pf_map_point_in_frame(&f, &SAMPLE[3]));  /* arch */
    assert_false(pf_map_point_in_frame(&f, &SAMPLE[2])); /* nixpkgs: beyond */
    assert_false(pf_map_point_in_frame(&f, &SAMPLE[0])); /* debian: y 21,000 > 20,000 */

    cairo_surface_t *s = map_png(SAMPLE, NSAMPLE, &o, tmp_path(dir, "zoom.png"));
    assert_dot(s, &f, &SAMPLE[3], 0x1793d1);
    assert_dot(s, &f, &SAMPLE[10], 0xfbb040); /* homebrew */
    /* skipped points are nowhere: not even clamped to the edge */
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    assert_false(has_color(s, 0x7eb2dd, 0, 0, w, h)); /* nixpkgs */
    assert_false(has_color(s, 0xc70036, 0, 0, w, h)); /* debian */
    cairo_surface_destroy(s);

    /* a limit above the data does not stretch the axis */
    o.xlimit = 1e6;
    o.ylimit = 1e6;
    pf_map_frame_compute(SAMPLE, NSAMPLE, &o, &f);
    assert_true(f.xmax == 95000 && f.ymax == 60000);
    /* 8000,4000 inset: only homebrew-sized repositories would fit: none here */
    o.xlimit = 8000;
    o.ylimit = 4000;
    s = map_png(SAMPLE, NSAMPLE, &o, tmp_path(dir, "zoom8k.png"));
    pf_map_frame_compute(SAMPLE, NSAMPLE, &o, &f);
    assert_true(f.xmax == 8000 && f.ymax == 4000);
    for (size_t i = 0; i < NSAMPLE; i++)
        assert_false(pf_map_point_in_frame(&f, &SAMPLE[i]));
    cairo_surface_destroy(s);
}

/* ---- map: variants ---- */

static void test_map_variants(void **state)
{
    (void)state;
    const char *dir = tu_tmpdir("render_variant");
    assert_non_null(dir);
    /* newest %: y in percent, axis 0..100 whatever the data, no dead zone */
    pf_map_point fr[] = {{"a", "A", "#aa0000", 30000, 55.5},
                         {"b", "B", "#00aa00", 9000, 88},
                         {"c", "C", "#0000aa", 20000, -1}}; /* unknown: not drawn */
    pf_map_opts o;
    pf_map_opts_default(&o);
    o.variant = PF_MAP_NEWEST_PCT;
    pf_map_frame f;
    pf_map_frame_compute(fr, 3, &o, &f);
    assert_true(f.ymax == 100 && f.xmax == 30000);
    cairo_surface_t *s = map_png(fr, 3, &o, tmp_path(dir, "freshness.png"));
    assert_dot(s, &f, &fr[0], 0xaa0000);
    assert_dot(s, &f, &fr[1], 0x00aa00);
    assert_true(fabs(pf_map_py(&f, 55.5) - (f.py1 - 0.555 * (f.py1 - f.py0))) < 1e-6);
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    assert_false(has_color(s, 0x0000aa, 0, 0, w, h));
    /* no dead zone: the upper left of the plot is plain plot */
    assert_int_equal(pixel(s, (int)pf_map_px(&f, 1000), (int)pf_map_py(&f, 95)), 0xffffff);
    assert_false(
        has_color(s, 0xd0d0d0, (int)f.px0 + 2, (int)f.py0 + 2, (int)f.px1 - 2, (int)f.py1 - 2));
    cairo_surface_destroy(s);

    /* nonunique: x = non-unique projects, dead zone as in the newest map */
    pf_map_point nu[] = {{"a", "A", "#aa0000", 30000 - 3000, 21000},
                         {"b", "B", "#00aa00", 12000 - 200, 9000}};
    o.variant = PF_MAP_NONUNIQUE;
    pf_map_frame_compute(nu, 2, &o, &f);
    assert_true(f.xmax == 27000 && f.ymax == 21000);
    s = map_png(nu, 2, &o, tmp_path(dir, "nonunique.png"));
    assert_dot(s, &f, &nu[0], 0xaa0000);
    assert_int_equal(pixel(s, (int)pf_map_px(&f, 2000), (int)pf_map_py(&f, 18000)), 0xd0d0d0);
    cairo_surface_destroy(s);
}

/* ---- map: highlight ---- */

static void test_map_highlight(void **state)
{
    (void)state;
    const char *dir = tu_tmpdir("render_hl");
    assert_non_null(dir);
    const char *hl[] = {"arch", "gentoo"};
    pf_map_opts o;
    pf_map_opts_default(&o);
    o.highlight = hl;
    o.nhighlight = 2;
    pf_map_frame f;
    pf_map_frame_compute(SAMPLE, NSAMPLE, &o, &f);
    cairo_surface_t *s = map_png(SAMPLE, NSAMPLE, &o, tmp_path(dir, "hl.png"));
    assert_dot(s, &f, &SAMPLE[3], 0x1793d1); /* highlighted: full colour */
    assert_dot(s, &f, &SAMPLE[7], 0x54487a);
    /* the others are muted: lighter and less saturated than their colour */
    const size_t others[] = {0, 1, 2, 9};
    for (size_t k = 0; k < sizeof others / sizeof others[0]; k++) {
        const pf_map_point *p = &SAMPLE[others[k]];
        uint32_t c = hex_color(p->color);
        uint32_t m = pixel(s, (int)floor(pf_map_px(&f, p->x)), (int)floor(pf_map_py(&f, p->y)));
        int cr = c >> 16, cg = (c >> 8) & 0xff, cb = c & 0xff;
        int mr = m >> 16, mg = (m >> 8) & 0xff, mb = m & 0xff;
        int cmax = cr > cg ? (cr > cb ? cr : cb) : (cg > cb ? cg : cb);
        int cmin = cr < cg ? (cr < cb ? cr : cb) : (cg < cb ? cg : cb);
        int mmax = mr > mg ? (mr > mb ? mr : mb) : (mg > mb ? mg : mb);
        int mmin = mr < mg ? (mr < mb ? mr : mb) : (mg < mb ? mg : mb);
        if (m == c || mr + mg + mb <= cr + cg + cb || mmax - mmin >= cmax - cmin)
            fail_msg("%s not muted: %06x vs %06x", p->id, m, c);
    }
    cairo_surface_destroy(s);
}

/* ---- map: label order and --label N ---- */

/* Labels are placed biggest first (highlighted ones before all); label_top keeps
 * the labels of the N biggest and of every highlighted repository only. */
static void test_map_label_order(void **state)
{
    (void)state;
    pf_map_opts o;
    pf_map_opts_default(&o);
    pf_map_frame f;
    pf_map_frame_compute(SAMPLE, NSAMPLE, &o, &f);
    pf_map_point vis[NSAMPLE];
    unsigned char muted[NSAMPLE], nolabel[NSAMPLE];
    size_t nv = pf_map_order(SAMPLE, NSAMPLE, &f, &o, vis, muted, nolabel);
    assert_int_equal(nv, NSAMPLE);
    assert_string_equal(vis[0].id, "nix_unstable");
    assert_string_equal(vis[1].id, "aur");
    assert_string_equal(vis[2].id, "broken");
    assert_string_equal(vis[nv - 1].id, "homebrew");
    for (size_t i = 1; i < nv; i++) {
        assert_true(vis[i - 1].x >= vis[i].x);
        assert_false(nolabel[i]);
    }
    /* --label 3: the three biggest keep their labels */
    o.label_top = 3;
    nv = pf_map_order(SAMPLE, NSAMPLE, &f, &o, vis, muted, nolabel);
    size_t labelled = 0;
    for (size_t i = 0; i < nv; i++) {
        labelled += !nolabel[i];
        assert_int_equal(nolabel[i], i >= 3);
    }
    assert_int_equal(labelled, 3);
    /* highlighted ones come first and keep their labels whatever their size */
    const char *hl[] = {"void", "aur"};
    o.highlight = hl;
    o.nhighlight = 2;
    nv = pf_map_order(SAMPLE, NSAMPLE, &f, &o, vis, muted, nolabel);
    assert_string_equal(vis[0].id, "aur");
    assert_string_equal(vis[1].id, "void");
    assert_false(nolabel[1]);
    assert_false(muted[1]);
    assert_true(muted[2]);
    assert_string_equal(vis[2].id, "nix_unstable");
    assert_false(nolabel[2]); /* nix, aur, broken are the three biggest */
    assert_false(nolabel[3]); /* broken */
    assert_true(nolabel[4]);  /* debian_unstable: fourth */
    /* and the chart draws with it (labels of the others left out, no overlap) */
    const char *dir = tu_tmpdir("render_labeltop");
    assert_non_null(dir);
    char err[256];
    assert_int_equal(pf_render_map(SAMPLE, NSAMPLE, &o, tmp_path(dir, "top.png"), err, sizeof err),
                     0);
}

/* ---- themes and scale ---- */

static void test_dark_theme(void **state)
{
    (void)state;
    const char *dir = tu_tmpdir("render_dark");
    assert_non_null(dir);
    pf_map_opts o;
    pf_map_opts_default(&o);
    o.theme = PF_THEME_DARK;
    o.title = "Dark";
    pf_map_frame f;
    pf_map_frame_compute(SAMPLE, NSAMPLE, &o, &f);
    cairo_surface_t *s = map_png(SAMPLE, NSAMPLE, &o, tmp_path(dir, "dark.png"));
    assert_int_equal(pixel(s, 2, 2), 0x1b1d21);                           /* page */
    assert_int_equal(pixel(s, (int)f.px1 - 3, (int)f.py1 - 3), 0x25282d); /* plot */
    assert_int_equal(pixel(s, (int)pf_map_px(&f, 0.05 * f.xmax), (int)pf_map_py(&f, 0.9 * f.ymax)),
                     0x3a3d44); /* dead zone */
    assert_dot(s, &f, &SAMPLE[3], 0x1793d1);
    cairo_surface_destroy(s);

    /* a black repository stays visible on the dark plot */
    pf_map_point blk = {"slack", "Slackware", "#000000", 100, 50};
    pf_map_frame_compute(&blk, 1, &o, &f);
    s = map_png(&blk, 1, &o, tmp_path(dir, "black.png"));
    uint32_t c = pixel(s, (int)floor(pf_map_px(&f, 100)), (int)floor(pf_map_py(&f, 50)));
    assert_true((c >> 16) > 0x40);
    cairo_surface_destroy(s);

    /* trend and rank follow the theme too */
    pf_trend_point tp[] = {{1750000000, 10}, {1750600000, 20}};
    pf_trend_series ts = {"a", "A", "#cc0000", tp, 2};
    pf_trend_opts to;
    pf_trend_opts_default(&to);
    to.theme = PF_THEME_DARK;
    char err[256];
    assert_int_equal(pf_render_trend(&ts, 1, &to, tmp_path(dir, "t.png"), err, sizeof err), 0);
    s = load_png(tmp_path(dir, "t.png"));
    assert_int_equal(pixel(s, 2, 2), 0x1b1d21);
    cairo_surface_destroy(s);
    pf_rank_item it = {"a", "A", "#cc0000", 5};
    pf_rank_opts ro;
    pf_rank_opts_default(&ro);
    ro.theme = PF_THEME_DARK;
    assert_int_equal(pf_render_rank(&it, 1, &ro, tmp_path(dir, "r.png"), err, sizeof err), 0);
    s = load_png(tmp_path(dir, "r.png"));
    assert_int_equal(pixel(s, 2, 2), 0x1b1d21);
    cairo_surface_destroy(s);
}

static void test_scale2(void **state)
{
    (void)state;
    const char *dir = tu_tmpdir("render_scale");
    assert_non_null(dir);
    pf_map_opts o;
    pf_map_opts_default(&o);
    o.title = "HiDPI";
    o.scale = 2;
    pf_map_frame f;
    pf_map_frame_compute(SAMPLE, NSAMPLE, &o, &f);
    cairo_surface_t *s = map_png(SAMPLE, NSAMPLE, &o, tmp_path(dir, "map2x.png"));
    assert_int_equal(cairo_image_surface_get_width(s), 2280);
    assert_int_equal(cairo_image_surface_get_height(s), 1600);
    /* same layout, twice the pixels: dots sit at twice the coordinates */
    for (size_t i = 0; i < 4; i++) {
        int x = (int)floor(2 * pf_map_px(&f, SAMPLE[i].x));
        int y = (int)floor(2 * pf_map_py(&f, SAMPLE[i].y));
        assert_int_equal(pixel(s, x, y), hex_color(SAMPLE[i].color));
    }
    cairo_surface_destroy(s);
    /* vector outputs keep their nominal size */
    char err[256];
    assert_int_equal(pf_render_map(SAMPLE, NSAMPLE, &o, tmp_path(dir, "map.svg"), err, sizeof err),
                     0);
    char *b = tu_slurp(tmp_path(dir, "map.svg"), NULL);
    assert_non_null(b);
    assert_non_null(strstr(b, "width=\"1140"));
    free(b);
    /* trend and rank double as well */
    pf_trend_point tp[] = {{1750000000, 10}};
    pf_trend_series ts = {"a", "A", "#cc0000", tp, 1};
    pf_trend_opts to;
    pf_trend_opts_default(&to);
    to.scale = 2;
    assert_int_equal(pf_render_trend(&ts, 1, &to, tmp_path(dir, "t.png"), err, sizeof err), 0);
    s = load_png(tmp_path(dir, "t.png"));
    assert_int_equal(cairo_image_surface_get_width(s), 2280);
    assert_int_equal(cairo_image_surface_get_height(s), 1200);
    cairo_surface_destroy(s);
    o.scale = 9; /* out of range: error, no file */
    assert_int_equal(pf_render_map(SAMPLE, NSAMPLE, &o, tmp_path(dir, "big.png"), err, sizeof err),
                     -1);
    assert_non_null(strstr(err, "scale"));
}

/* Huge values: the left margin grows with the tick labels, nothing is cut. */
static void test_labels_not_clipped(void **state)
{
    (void)state;
    const char *dir = tu_tmpdir("render_clip");
    assert_non_null(dir);
    pf_map_point big[] = {{"a", "A", "#aa0000", 5.2e9, 4.1e9}, {"b", "B", "#00aa00", 1e9, 2e8}};
    pf_map_opts o;
    pf_map_opts_default(&o);
    pf_map_frame f;
    pf_map_frame_compute(big, 2, &o, &f);
    assert_true(f.ytick_w > 60); /* "4,100,000,000" */
    assert_true(f.px0 >= f.ytick_w + 40);
    cairo_surface_t *s = map_png(big, 2, &o, tmp_path(dir, "big.png"));
    /* the outermost columns and the bottom rows are untouched page */
    int h = cairo_image_surface_get_height(s), w = cairo_image_surface_get_width(s);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < 2; x++) {
            assert_int_equal(pixel(s, x, y), 0xf0f0f0);
            assert_int_equal(pixel(s, w - 1 - x, y), 0xf0f0f0);
        }
    for (int x = 0; x < w; x++)
        assert_int_equal(pixel(s, x, h - 1), 0xf0f0f0);
    cairo_surface_destroy(s);
}

/* One repository; a repository without a colour gets a stable palette colour. */
static void test_map_single_and_nocolor(void **state)
{
    (void)state;
    const char *dir = tu_tmpdir("render_single");
    assert_non_null(dir);
    pf_map_point p[] = {{"only_repo", NULL, NULL, 1234, 567}};
    pf_map_opts o;
    pf_map_opts_default(&o);
    pf_map_frame f;
    pf_map_frame_compute(p, 1, &o, &f);
    assert_true(f.xmax == 1300 && f.ymax == 570);
    cairo_surface_t *s = map_png(p, 1, &o, tmp_path(dir, "one.png"));
    double rgb[3];
    pf_chart_repo_color(NULL, "only_repo", rgb);
    uint32_t want = (uint32_t)lround(rgb[0] * 255) << 16 | (uint32_t)lround(rgb[1] * 255) << 8 |
                    (uint32_t)lround(rgb[2] * 255);
    assert_dot(s, &f, &p[0], want);
    cairo_surface_destroy(s);
    /* same id, same colour; another id may differ but is a palette colour too */
    double again[3];
    pf_chart_repo_color(NULL, "only_repo", again);
    assert_memory_equal(rgb, again, sizeof rgb);
}

/* ---- trend ---- */

/* Day of week of a unix time, 0 = Monday. */
static int weekday(int64_t t)
{
    return (int)(((t / 86400) % 7 + 7 + 3) % 7);
}

static void test_time_ticks(void **state)
{
    (void)state;
    pf_time_tick tk[64];
    const double d = 86400;
    /* 2025-06-01 .. 2025-11-25: months, year under the first */
    size_t n = pf_time_ticks(1748736000, 1764028800, 10, tk, 64);
    assert_int_equal(n, 6);
    assert_string_equal(tk[0].label, "Jun");
    assert_string_equal(tk[0].label2, "2025");
    assert_string_equal(tk[5].label, "Nov");
    assert_string_equal(tk[1].label2, "");
    assert_int_equal(tk[0].t, 1748736000); /* 2025-06-01 00:00 UTC */
    /* a month: weekly ticks on Mondays at midnight UTC */
    n = pf_time_ticks(1748736000, 1748736000 + 30 * d, 8, tk, 64);
    assert_true(n >= 4 && n <= 5);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(tk[i].t % 86400, 0);
        assert_int_equal(weekday(tk[i].t), 0);
    }
    assert_string_equal(tk[0].label, "Jun 2");
    /* a few days: daily */
    n = pf_time_ticks(1748736000 - 3 * d, 1748736000 + 3 * d, 10, tk, 64);
    assert_int_equal(n, 7);
    assert_string_equal(tk[3].label, "Jun 1");
    assert_string_equal(tk[0].label2, "2025");
    /* across new year the year shows again */
    n = pf_time_ticks(1764028800, 1764028800 + 120 * d, 10, tk, 64);
    int years = 0;
    for (size_t i = 0; i < n; i++)
        years += tk[i].label2[0] != '\0';
    assert_int_equal(years, 2);
    /* a decade: years */
    n = pf_time_ticks(1262304000, 1262304000 + 3653 * d, 12, tk, 64);
    assert_true(n >= 10 && n <= 11);
    assert_string_equal(tk[0].label, "2010");
    /* hours for a short span */
    n = pf_time_ticks(1748736000, 1748736000 + 0.5 * d, 8, tk, 64);
    assert_true(n >= 3);
    assert_string_equal(tk[0].label, "00:00");
    assert_string_equal(tk[0].label2, "Jun 1");
    /* degenerate */
    assert_int_equal(pf_time_ticks(5, 5, 8, tk, 64), 0);
}

/* Three repositories over ten weekly analyses. */
#define T0 1748736000 /* 2025-06-01 00:00 UTC */
static pf_trend_point TP[3][10];
static const pf_trend_series *trend_sample(void)
{
    static pf_trend_series ts[3];
    for (int k = 0; k < 10; k++) {
        TP[0][k] = (pf_trend_point){T0 + k * 7 * 86400, 70 + k};
        TP[1][k] = (pf_trend_point){T0 + k * 7 * 86400, 40 + (k % 3) * 5};
        TP[2][k] = (pf_trend_point){T0 + k * 7 * 86400 + 3600, k == 4 ? -1 : 55.5};
    }
    ts[0] = (pf_trend_series){"debian_unstable", "Debian Unstable", "#c70036", TP[0], 10};
    ts[1] = (pf_trend_series){"ubuntu_24_04", "Ubuntu 24.04", "#e95420", TP[1], 10};
    ts[2] = (pf_trend_series){"arch", "Arch", "#1793d1", TP[2], 10};
    return ts;
}

static void test_trend_pixels(void **state)
{
    (void)state;
    const char *dir = tu_tmpdir("render_trend");
    assert_non_null(dir);
    const pf_trend_series *ts = trend_sample();
    pf_trend_opts o;
    pf_trend_opts_default(&o);
    o.title = "Freshness over time";
    o.subtitle = "test";
    o.ylabel = "Freshness (%)";
    o.fmt = PF_FMT_PERCENT;
    pf_trend_frame f;
    pf_trend_frame_compute(ts, 3, &o, &f);
    /* y from zero to the first tick at or above 79 */
    assert_true(pf_trend_py(&f, 0) == f.py1);
    assert_true(f.ymax >= 79 && f.ymax <= 100);
    assert_true(fmod(f.ymax, f.ystep) == 0);
    assert_int_equal(f.npoints, 29); /* one unknown value skipped */
    assert_true(f.t0 < T0 && f.t1 > T0 + 63 * 86400);
    char err[256];
    const char *path = tmp_path(dir, "trend.png");
    assert_int_equal(pf_render_trend(ts, 3, &o, path, err, sizeof err), 0);
    cairo_surface_t *s = load_png(path);
    assert_int_equal(cairo_image_surface_get_width(s), 1140);
    assert_int_equal(cairo_image_surface_get_height(s), 600);
    /* a marker at (2025-06-29, 74%) of Debian (drawn under Ubuntu and Arch,
     * which are far away there) */
    int64_t t = T0 + 4 * 7 * 86400;
    int x = (int)floor(pf_trend_px(&f, t)), y = (int)floor(pf_trend_py(&f, 74));
    assert_int_equal(pixel(s, x, y), 0xc70036);
    assert_true(fabs(pf_trend_px(&f, t) - (f.px0 + (t - f.t0) / (f.t1 - f.t0) * (f.px1 - f.px0))) <
                1e-6);
    /* the last Arch point, drawn last */
    t = T0 + 9 * 7 * 86400 + 3600;
    assert_int_equal(pixel(s, (int)floor(pf_trend_px(&f, t)), (int)floor(pf_trend_py(&f, 55.5))),
                     0x1793d1);
    /* nothing below the zero line inside the plot: the y axis starts at 0 */
    assert_false(has_color(s, 0xe95420, (int)f.px0, (int)f.py1 + 3, (int)f.px1,
                           cairo_image_surface_get_height(s)));
    /* the legend right of the plot shows every colour */
    int W = cairo_image_surface_get_width(s), H = cairo_image_surface_get_height(s);
    assert_true(count_color(s, 0xc70036, (int)f.px1 + 8, 0, W, H) > 20);
    assert_true(count_color(s, 0xe95420, (int)f.px1 + 8, 0, W, H) > 20);
    assert_true(count_color(s, 0x1793d1, (int)f.px1 + 8, 0, W, H) > 20);
    cairo_surface_destroy(s);
    /* SVG and PDF work as well */
    assert_int_equal(pf_render_trend(ts, 3, &o, tmp_path(dir, "trend.svg"), err, sizeof err), 0);
    assert_int_equal(pf_render_trend(ts, 3, &o, tmp_path(dir, "trend.pdf"), err, sizeof err), 0);
    assert_int_equal(count_tmp_files(dir), 0);
}

static void test_trend_single_and_empty(void **state)
{
    (void)state;
    const char *dir = tu_tmpdir("render_trend1");
    assert_non_null(dir);
    char err[256];
    pf_trend_opts o;
    pf_trend_opts_default(&o);
    /* a single point is a dot in the middle */
    pf_trend_point one = {T0, 1234};
    pf_trend_series s1 = {"r", "Repo", "#2060c0", &one, 1};
    pf_trend_frame f;
    pf_trend_frame_compute(&s1, 1, &o, &f);
    assert_true(fabs(pf_trend_px(&f, T0) - (f.px0 + f.px1) / 2) < 1e-6);
    assert_true(f.ymax >= 1234);
    assert_int_equal(pf_render_trend(&s1, 1, &o, tmp_path(dir, "one.png"), err, sizeof err), 0);
    cairo_surface_t *s = load_png(tmp_path(dir, "one.png"));
    assert_int_equal(pixel(s, (int)floor(pf_trend_px(&f, T0)), (int)floor(pf_trend_py(&f, 1234))),
                     0x2060c0);
    cairo_surface_destroy(s);

    /* no series, or only unknown values: "No data" in the middle of the plot */
    pf_trend_point unk[] = {{T0, -1}, {T0 + 86400, NAN}};
    pf_trend_series su = {"u", "U", "#2060c0", unk, 2};
    const struct {
        const pf_trend_series *s;
        size_t n;
        const char *name;
    } cases[] = {{NULL, 0, "none.png"}, {&su, 1, "unknown.png"}};
    for (size_t c = 0; c < 2; c++) {
        assert_int_equal(pf_render_trend(cases[c].s, cases[c].n, &o, tmp_path(dir, cases[c].name),
                                         err, sizeof err),
                         0);
        pf_trend_frame_compute(cases[c].s, cases[c].n, &o, &f);
        assert_int_equal(f.npoints, 0);
        s = load_png(tmp_path(dir, cases[c].name));
        int cx = (int)((f.px0 + f.px1) / 2), cy = (int)((f.py0 + f.py1) / 2), dark = 0;
        for (int y = cy - 20; y < cy + 30; y++)
            for (int x = cx - 60; x < cx + 60; x++)
                dark += (pixel(s, x, y) & 0xff) < 0x90;
        assert_true(dark > 50);
        assert_false(has_color(s, 0x2060c0, 0, 0, 1140, 600));
        cairo_surface_destroy(s);
    }
    /* bad input: points promised but missing */
    pf_trend_series bad = {"b", "B", NULL, NULL, 3};
    assert_int_equal(pf_render_trend(&bad, 1, &o, tmp_path(dir, "bad.png"), err, sizeof err), -1);
    assert_non_null(strstr(err, "series"));
}

static void test_trend_dashes(void **state)
{
    (void)state;
    pf_trend_series s[4] = {{"a", "A", "#c70036", NULL, 0},
                            {"b", "B", "#c70036", NULL, 0},  /* same colour: dashed */
                            {"c", "C", "#1793d1", NULL, 0},  /* distinct: solid */
                            {"d", "D", "#c80037", NULL, 0}}; /* close to a and b: third style */
    int d[4];
    pf_trend_dashes(s, 4, d);
    assert_int_equal(d[0], 0);
    assert_true(d[1] != 0);
    assert_int_equal(d[2], 0);
    assert_true(d[3] != 0 && d[3] != d[1]);
}

/* ---- rank ---- */

/* Length in pixels of the run of colour c on row y starting at x0. */
static int run_length(cairo_surface_t *s, int x0, int y, uint32_t c)
{
    int w = cairo_image_surface_get_width(s), n = 0;
    for (int x = x0; x < w && pixel(s, x, y) == c; x++)
        n++;
    return n;
}

static void test_rank_bars(void **state)
{
    (void)state;
    const char *dir = tu_tmpdir("render_rank");
    assert_non_null(dir);
    pf_rank_item it[] = {{"b", "Bravo", "#e95420", 50},
                         {"a", "Alpha", "#c70036", 100},
                         {"c", "Charlie", "#1793d1", 25},
                         {"d", "Delta", "#54487a", 75}};
    pf_rank_opts o;
    pf_rank_opts_default(&o);
    o.title = "Ranking";
    o.xlabel = "Fresh projects";
    pf_rank_frame f;
    assert_int_equal(pf_rank_frame_compute(it, 4, &o, &f), 0);
    assert_int_equal(f.nbars, 4);
    /* largest first */
    assert_int_equal(f.order[0], 1);
    assert_int_equal(f.order[1], 3);
    assert_int_equal(f.order[2], 0);
    assert_int_equal(f.order[3], 2);
    char err[256];
    const char *path = tmp_path(dir, "rank.png");
    assert_int_equal(pf_render_rank(it, 4, &o, path, err, sizeof err), 0);
    cairo_surface_t *s = load_png(path);
    assert_int_equal(cairo_image_surface_get_width(s), 1140);
    assert_int_equal(cairo_image_surface_get_height(s), f.height);
    /* measure every bar along its centre row: lengths proportional to values */
    int len[4];
    const uint32_t col[4] = {0xc70036, 0x54487a, 0xe95420, 0x1793d1}; /* display order */
    const double val[4] = {100, 75, 50, 25};
    for (size_t i = 0; i < 4; i++) {
        int y = (int)floor(pf_rank_bar_y(&f, i));
        int x0 = (int)ceil(f.px0) + 1;
        assert_int_equal(pixel(s, x0, y), col[i]);
        len[i] = run_length(s, x0, y, col[i]);
        /* and the bar is where the frame says it ends */
        assert_true(fabs(x0 + len[i] - pf_rank_px(&f, val[i])) <= 1.5);
    }
    for (size_t i = 1; i < 4; i++) {
        double ratio = (double)len[i] / len[0], want = val[i] / val[0];
        if (fabs(ratio - want) > 0.01)
            fail_msg("bar %zu: %d px vs %d px (ratio %.3f, want %.3f)", i, len[i], len[0], ratio,
                     want);
    }
    cairo_surface_destroy(s);
    pf_rank_frame_free(&f);

    /* ascending (lag: shorter first), limit */
    o.ascending = 1;
    o.limit = 2;
    assert_int_equal(pf_rank_frame_compute(it, 4, &o, &f), 0);
    assert_int_equal(f.nbars, 2);
    assert_int_equal(f.order[0], 2);
    assert_int_equal(f.order[1], 0);
    int h2 = f.height;
    pf_rank_frame_free(&f);
    o.limit = 0;
    assert_int_equal(pf_rank_frame_compute(it, 4, &o, &f), 0);
    assert_true(f.height > h2); /* auto height grows with the bars */
    pf_rank_frame_free(&f);
    /* ties by label */
    pf_rank_item tie[] = {{"z", "Zulu", "#000000", 5}, {"y", "Yankee", "#000000", 5}};
    o.ascending = 0;
    assert_int_equal(pf_rank_frame_compute(tie, 2, &o, &f), 0);
    assert_int_equal(f.order[0], 1);
    pf_rank_frame_free(&f);
    /* a fixed height is honoured */
    o.height = 300;
    assert_int_equal(pf_render_rank(it, 4, &o, tmp_path(dir, "fixed.png"), err, sizeof err), 0);
    s = load_png(tmp_path(dir, "fixed.png"));
    assert_int_equal(cairo_image_surface_get_height(s), 300);
    cairo_surface_destroy(s);
}

static void test_rank_empty_and_unknown(void **state)
{
    (void)state;
    const char *dir = tu_tmpdir("render_rank0");
    assert_non_null(dir);
    pf_rank_opts o;
    pf_rank_opts_default(&o);
    o.fmt = PF_FMT_PERCENT;
    char err[256];
    pf_rank_item it[] = {
        {"a", "A", "#c70036", -1}, {"b", "B", "#1793d1", NAN}, {"c", "C", "#54487a", 62.5}};
    pf_rank_frame f;
    assert_int_equal(pf_rank_frame_compute(it, 3, &o, &f), 0);
    assert_int_equal(f.nbars, 1);
    assert_int_equal(f.omitted, 2);
    assert_true(f.xmax == 100 || f.xmax == 70); /* percent axis */
    pf_rank_frame_free(&f);
    assert_int_equal(pf_render_rank(it, 3, &o, tmp_path(dir, "one.png"), err, sizeof err), 0);
    cairo_surface_t *s = load_png(tmp_path(dir, "one.png"));
    int W = cairo_image_surface_get_width(s), H = cairo_image_surface_get_height(s);
    assert_false(has_color(s, 0xc70036, 0, 0, W, H));
    assert_true(count_color(s, 0x54487a, 0, 0, W, H) > 100);
    cairo_surface_destroy(s);
    /* nothing at all: a "No data" chart */
    assert_int_equal(pf_render_rank(NULL, 0, &o, tmp_path(dir, "none.png"), err, sizeof err), 0);
    assert_int_equal(pf_render_rank(it, 2, &o, tmp_path(dir, "unk.svg"), err, sizeof err), 0);
    s = load_png(tmp_path(dir, "none.png"));
    assert_true(cairo_image_surface_get_height(s) >= 200);
    cairo_surface_destroy(s);
    assert_int_equal(pf_render_rank(it, 3, &o, tmp_path(dir, "x.gif"), err, sizeof err), -1);
    assert_non_null(strstr(err, ".gif"));
}

/* Render trend and rank twice in each format and compare the bytes. */
static void test_trend_rank_deterministic(void **state)
{
    (void)state;
    const char *dir = tu_tmpdir("render_det2");
    assert_non_null(dir);
    const pf_trend_series *ts = trend_sample();
    pf_trend_opts to;
    pf_trend_opts_default(&to);
    to.title = "T";
    pf_rank_item it[] = {{"b", "Bravo", "#e95420", 50}, {"a", "Alpha", NULL, 100}};
    pf_rank_opts ro;
    pf_rank_opts_default(&ro);
    ro.title = "R";
    const char *ext[] = {"png", "svg", "pdf"};
    char err[256];
    for (size_t e = 0; e < 3; e++)
        for (int chart = 0; chart < 2; chart++) {
            char n1[32], n2[32];
            snprintf(n1, sizeof n1, "%d-1.%s", chart, ext[e]);
            snprintf(n2, sizeof n2, "%d-2.%s", chart, ext[e]);
            const char *p1 = tmp_path(dir, n1), *p2 = tmp_path(dir, n2);
            for (int k = 0; k < 2; k++) {
                const char *p = k ? p2 : p1;
                int rc = chart ? pf_render_rank(it, 2, &ro, p, err, sizeof err)
                               : pf_render_trend(ts, 3, &to, p, err, sizeof err);
                assert_int_equal(rc, 0);
            }
            size_t l1, l2;
            char *b1 = tu_slurp(p1, &l1), *b2 = tu_slurp(p2, &l2);
            assert_non_null(b1);
            assert_non_null(b2);
            if (l1 != l2 || memcmp(b1, b2, l1) != 0)
                fail_msg("%s %s differs between two runs", chart ? "rank" : "trend", ext[e]);
            free(b1);
            free(b2);
        }
}

/* LeakSanitizer hook (used only in SAN=1 builds): fontconfig keeps a few
 * one-time allocations for the life of the process, like tests/valgrind.supp
 * says for valgrind; they are not pkgfresh's. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig\n";
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nice_max),
        cmocka_unit_test(test_ticks_125),
        cmocka_unit_test(test_thousands),
        cmocka_unit_test(test_scale_and_color),
        cmocka_unit_test(test_frame),
        cmocka_unit_test(test_png_size_and_pixels),
        cmocka_unit_test(test_svg_pdf),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_svg_normalize_ids),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_no_data),
        cmocka_unit_test(test_segment_box),
        cmocka_unit_test(test_labels_sample),
        cmocka_unit_test(test_labels_crammed_corner),
        cmocka_unit_test(test_labels_many),
        cmocka_unit_test(test_fmt_value),
        cmocka_unit_test(test_map_log),
        cmocka_unit_test(test_map_zoom),
        cmocka_unit_test(test_map_variants),
        cmocka_unit_test(test_map_highlight),
        cmocka_unit_test(test_map_label_order),
        cmocka_unit_test(test_dark_theme),
        cmocka_unit_test(test_scale2),
        cmocka_unit_test(test_map_single_and_nocolor),
        cmocka_unit_test(test_labels_not_clipped),
        cmocka_unit_test(test_time_ticks),
        cmocka_unit_test(test_trend_pixels),
        cmocka_unit_test(test_trend_single_and_empty),
        cmocka_unit_test(test_trend_dashes),
        cmocka_unit_test(test_rank_bars),
        cmocka_unit_test(test_rank_empty_and_unknown),
        cmocka_unit_test(test_trend_rank_deterministic),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    /* drop cairo's font and surface caches so leak checkers see only our memory */
    cairo_debug_reset_static_data();
    return rc;
}
