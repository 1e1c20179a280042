/*
 * bench_render.c — chart rendering speed through the render API with
 * synthetic data (no database):
 *   - the map with 300 repositories (Repology's size), PNG 1140 x 800;
 *   - a trend of 5 repositories x 200 analysis runs, PNG 1140 x 600.
 * Prints "render map 300 repos: X ms" and "render trend 5x200: X ms" (best
 * of 9 runs, wall time with that run's CPU time in parentheses; the output
 * file is written each time; targets < 100 ms each).
 *
 * With --samples DIR it instead writes one of every chart drawn from ~40
 * realistic repositories (names, catalog colors, plausible sizes) to DIR:
 * the charts to look at before publishing.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pkgfresh/render.h"

/* Deterministic xorshift generator: every run draws the same data. */
static unsigned rnd(unsigned *s)
{
    unsigned x = *s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *s = x;
}

/* Uniform double in [0, 1). */
static double urand(unsigned *s)
{
    return (rnd(s) >> 8) / 16777216.0;
}

/* Milliseconds between two monotonic times. */
static double ms_between(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) * 1e3 + (double)(b->tv_nsec - a->tv_nsec) / 1e6;
}

/* ---- realistic sample repositories --------------------------------------- */

typedef struct sample_repo {
    const char *id, *title, *color;
    double projects, fresh, unique, freshness, lag;
} sample_repo;

static const sample_repo SAMPLES[] = {
    {"debian_unstable", "Debian Unstable", "#c70036", 36000, 21000, 3000, 74, 9},
    {"debian_13", "Debian 13", "#c70036", 33000, 16000, 2800, 55, 61},
    {"debian_12", "Debian 12", "#c70036", 31000, 9000, 2700, 33, 420},
    {"ubuntu_24_04", "Ubuntu 24.04", "#e95420", 33500, 15000, 900, 50, 180},
    {"ubuntu_22_04", "Ubuntu 22.04", "#e95420", 31000, 8000, 850, 29, 610},
    {"nix_unstable", "nixpkgs unstable", "#7eb2dd", 95000, 60000, 30000, 85, 6},
    {"nix_stable", "nixpkgs 24.11", "#5277c3", 90000, 50000, 29000, 76, 40},
    {"arch", "Arch", "#1793d1", 12000, 9000, 200, 88, 3},
    {"aur", "AUR", "#0088cc", 68000, 31000, 40000, 70, 25},
    {"alpine_edge", "Alpine Edge", "#0d597f", 31000, 20500, 1500, 80, 7},
    {"alpine_3_20", "Alpine 3.20", "#0d597f", 27000, 15000, 1400, 62, 95},
    {"freebsd", "FreeBSD Ports", "#ab2b28", 30000, 19000, 3500, 78, 10},
    {"gentoo", "Gentoo", "#54487a", 26000, 17000, 1200, 79, 8},
    {"fedora_rawhide", "Fedora Rawhide", "#294172", 23000, 16500, 500, 82, 5},
    {"fedora_41", "Fedora 41", "#294172", 22000, 14000, 480, 72, 30},
    {"opensuse_tw", "openSUSE Tumbleweed", "#73ba25", 16000, 11500, 600, 81, 6},
    {"homebrew", "Homebrew", "#fbb040", 9200, 7800, 300, 92, 2},
    {"void", "Void Linux", "#478061", 9800, 7000, 150, 83, 9},
    {"slackware", "Slackware 15.0", "#000000", 1500, 300, 20, 22, 900},
    {"centos_stream", "CentOS Stream 9", "#262577", 6000, 1800, 50, 31, 500},
    {"macports", "MacPorts", "#3a6fb0", 25000, 15000, 900, 71, 20},
    {"pkgsrc", "pkgsrc current", "#f27b1a", 23000, 14000, 800, 70, 22},
    {"openbsd", "OpenBSD", "#f2ca30", 11000, 6500, 100, 66, 45},
    {"guix", "GNU Guix", "#ffcc00", 28000, 14000, 2000, 60, 50},
    {"conda", "conda-forge", "#43b02a", 24000, 15500, 4000, 78, 14},
    {"msys2", "MSYS2", "#8b2c89", 3400, 2600, 40, 85, 4},
    {"termux", "Termux", "#000000", 2500, 2000, 60, 88, 5},
    {"kaos", "KaOS", "#2d84c9", 2400, 1900, 10, 89, 4},
    {"mageia", "Mageia cauldron", "#2397d4", 14000, 9000, 200, 73, 26},
    {"pclinuxos", "PCLinuxOS", "#2f64a9", 8000, 3000, 100, 40, 150},
    {"solus", "Solus", "#5294e2", 4500, 3500, 30, 82, 12},
    {"chocolatey", "Chocolatey", "#80b5e3", 8000, 4000, 5000, -1, -1},
    {"scoop", "Scoop", "#6b9dd9", 3500, 2700, 700, 88, 5},
    {"ravenports", "Ravenports", "#c60000", 1000, 900, 50, 95, 2},
    {"spack", "Spack", "#0f3a80", 7000, 4000, 2000, 65, 60},
    {"haikuports", "HaikuPorts", "#ffcc22", 3000, 1500, 100, 55, 110},
    {"openindiana", "OpenIndiana", "#00a0e0", 4000, 2000, 100, 52, 130},
    {"altsisyphus", "ALT Sisyphus", "#ffcb00", 27000, 17000, 1800, 70, 15},
    {"rosa", "ROSA", "#4091d3", 12000, 5000, 100, 45, 200},
    {"openmandriva", "OpenMandriva", "#40a3c6", 13000, 7000, 100, 58, 70},
};
#define NSAMPLES (sizeof SAMPLES / sizeof SAMPLES[0])

/* Print an error for one sample chart; returns 1 for counting. */
static int sample_failed(const char *what, const char *err)
{
    fprintf(stderr, "bench_render: %s: %s\n", what, err);
    return 1;
}

/* Write every chart kind from the realistic samples into dir. */
static int write_samples(const char *dir)
{
    char path[4096], err[512];
    int bad = 0;
    pf_map_point pts[NSAMPLES];
    for (size_t i = 0; i < NSAMPLES; i++)
        pts[i] = (pf_map_point){SAMPLES[i].id, SAMPLES[i].title, SAMPLES[i].color,
                                SAMPLES[i].projects, SAMPLES[i].fresh};
    pf_map_opts o;
    pf_map_opts_default(&o);
    o.title = "Repository size vs. freshness";
    o.subtitle = "synthetic sample data · pkgfresh " PKGFRESH_VERSION;
    const struct {
        const char *name;
        int log;
        double xl, yl;
        int hl;
        pf_theme th;
    } maps[] = {{"map.png", 0, 0, 0, 0, PF_THEME_LIGHT},
                {"map-log.png", 1, 0, 0, 0, PF_THEME_LIGHT},
                {"map-zoom-40000.png", 0, 40000, 20000, 0, PF_THEME_LIGHT},
                {"map-zoom-8000.png", 0, 8000, 4000, 0, PF_THEME_LIGHT},
                {"map-highlight-debuntu.png", 0, 0, 0, 1, PF_THEME_LIGHT},
                {"map-dark.png", 0, 0, 0, 0, PF_THEME_DARK},
                {"map.svg", 0, 0, 0, 0, PF_THEME_LIGHT}};
    const char *hl[] = {"debian_unstable", "debian_13", "debian_12", "ubuntu_24_04",
                        "ubuntu_22_04"};
    for (size_t m = 0; m < sizeof maps / sizeof maps[0]; m++) {
        o.log = maps[m].log;
        o.xlimit = maps[m].xl;
        o.ylimit = maps[m].yl;
        o.highlight = maps[m].hl ? hl : NULL;
        o.nhighlight = maps[m].hl ? 5 : 0;
        o.theme = maps[m].th;
        snprintf(path, sizeof path, "%s/%s", dir, maps[m].name);
        if (pf_render_map(pts, NSAMPLES, &o, path, err, sizeof err) != 0)
            bad += sample_failed(path, err);
    }
    pf_map_opts_default(&o);
    o.title = "Freshness vs. size";
    o.subtitle = "synthetic sample data · pkgfresh " PKGFRESH_VERSION;
    o.variant = PF_MAP_NEWEST_PCT;
    pf_map_point v[NSAMPLES];
    for (size_t i = 0; i < NSAMPLES; i++) {
        v[i] = pts[i];
        v[i].y = SAMPLES[i].freshness;
    }
    snprintf(path, sizeof path, "%s/map-freshness.png", dir);
    if (pf_render_map(v, NSAMPLES, &o, path, err, sizeof err) != 0)
        bad += sample_failed(path, err);
    o.variant = PF_MAP_NONUNIQUE;
    o.title = "Non-unique projects vs. fresh projects";
    for (size_t i = 0; i < NSAMPLES; i++) {
        v[i] = pts[i];
        v[i].x = SAMPLES[i].projects - SAMPLES[i].unique;
    }
    snprintf(path, sizeof path, "%s/map-nonunique.png", dir);
    if (pf_render_map(v, NSAMPLES, &o, path, err, sizeof err) != 0)
        bad += sample_failed(path, err);

    /* trend: the 8 largest repositories, weekly over half a year */
    enum { NS = 8, NP = 26 };
    static const size_t pick[NS] = {5, 6, 8, 0, 3, 1, 9, 11};
    pf_trend_point tp[NS][NP];
    pf_trend_series ts[NS];
    unsigned seed = 7;
    for (size_t s = 0; s < NS; s++) {
        const sample_repo *r = &SAMPLES[pick[s]];
        double f = r->freshness - 8.0;
        for (size_t k = 0; k < NP; k++) {
            f += (urand(&seed) - 0.45) * 3.0;
            f = f > 99 ? 99 : (f < 1 ? 1 : f);
            tp[s][k] = (pf_trend_point){1748736000 + (int64_t)k * 7 * 86400 + 3600 * (int64_t)s, f};
        }
        ts[s] = (pf_trend_series){r->id, r->title, r->color, tp[s], NP};
    }
    pf_trend_opts to;
    pf_trend_opts_default(&to);
    to.title = "Freshness over time";
    to.subtitle = "8 largest repositories · weekly analysis · pkgfresh " PKGFRESH_VERSION;
    to.ylabel = "Freshness (% of comparable projects at newest)";
    to.fmt = PF_FMT_PERCENT;
    const char *tnames[] = {"trend.png", "trend-dark.png", "trend.svg"};
    for (size_t k = 0; k < 3; k++) {
        to.theme = k == 1 ? PF_THEME_DARK : PF_THEME_LIGHT;
        snprintf(path, sizeof path, "%s/%s", dir, tnames[k]);
        if (pf_render_trend(ts, NS, &to, path, err, sizeof err) != 0)
            bad += sample_failed(path, err);
    }

    /* rank: freshness (largest first) and median lag (shortest first) */
    pf_rank_item it[NSAMPLES];
    for (size_t i = 0; i < NSAMPLES; i++)
        it[i] =
            (pf_rank_item){SAMPLES[i].id, SAMPLES[i].title, SAMPLES[i].color, SAMPLES[i].freshness};
    pf_rank_opts ro;
    pf_rank_opts_default(&ro);
    ro.title = "Repositories by freshness";
    ro.subtitle = "top 30 · 1 without a known value omitted · pkgfresh " PKGFRESH_VERSION;
    ro.xlabel = "Freshness (% of comparable projects at newest)";
    ro.fmt = PF_FMT_PERCENT;
    ro.limit = 30;
    snprintf(path, sizeof path, "%s/rank.png", dir);
    if (pf_render_rank(it, NSAMPLES, &ro, path, err, sizeof err) != 0)
        bad += sample_failed(path, err);
    for (size_t i = 0; i < NSAMPLES; i++)
        it[i].value = SAMPLES[i].lag;
    ro.title = "Repositories by median lag";
    ro.xlabel = "Median days behind the newest version (shorter is better)";
    ro.fmt = PF_FMT_DAYS;
    ro.ascending = 1;
    ro.limit = 20;
    ro.theme = PF_THEME_DARK;
    snprintf(path, sizeof path, "%s/rank-lag-dark.png", dir);
    if (pf_render_rank(it, NSAMPLES, &ro, path, err, sizeof err) != 0)
        bad += sample_failed(path, err);
    if (!bad)
        printf("bench_render: sample charts written to %s\n", dir);
    return bad ? 1 : 0;
}

/* ---- timing --------------------------------------------------------------- */

/* 300 repositories spread like Repology's: many small, few huge, freshness
 * between 20% and 95% of the size. Labels and ids live in names. */
static void make_map(pf_map_point *pts, char (*names)[32], size_t n)
{
    static const char *const colors[] = {"#c70036", "#e95420", "#7eb2dd", "#1793d1",
                                         "#0d597f", "#ab2b28", "#54487a", "#73ba25"};
    unsigned seed = 12345;
    for (size_t i = 0; i < n; i++) {
        double x = floor(exp(log(200.0) + urand(&seed) * (log(120000.0) - log(200.0))));
        double y = floor(x * (0.2 + 0.75 * urand(&seed)));
        snprintf(names[i], sizeof names[i], "Repository %zu", i + 1);
        pts[i] = (pf_map_point){names[i], names[i], colors[i % 8], x, y};
    }
}

/* Best-of-9 wall time of one render call, and the CPU time of that run
 * (on a busy machine the wall time includes waiting for a core). */
#define BEST_OF(ms, cpu, call)                                                                     \
    do {                                                                                           \
        ms = cpu = 1e30;                                                                           \
        for (int run_ = 0; run_ < 9; run_++) {                                                     \
            struct timespec a_, b_, ca_, cb_;                                                      \
            clock_gettime(CLOCK_MONOTONIC, &a_);                                                   \
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ca_);                                         \
            if ((call) != 0) {                                                                     \
                fprintf(stderr, "bench_render: %s\n", err);                                        \
                return 1;                                                                          \
            }                                                                                      \
            clock_gettime(CLOCK_MONOTONIC, &b_);                                                   \
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cb_);                                         \
            double t_ = ms_between(&a_, &b_);                                                      \
            if (t_ < ms) {                                                                         \
                ms = t_;                                                                           \
                cpu = ms_between(&ca_, &cb_);                                                      \
            }                                                                                      \
        }                                                                                          \
    } while (0)

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--samples") == 0)
        return write_samples(argv[2]);
    if (argc != 1) {
        fprintf(stderr, "usage: bench_render [--samples DIR]\n");
        return 2;
    }
    const char *tmp = getenv("TMPDIR");
    char path[4096], err[512];
    enum { NREPO = 300, NSER = 5, NRUN = 200 };
    static pf_map_point pts[NREPO];
    static char names[NREPO][32];
    make_map(pts, names, NREPO);
    pf_map_opts mo;
    pf_map_opts_default(&mo);
    mo.title = "Repository size vs. freshness";
    mo.subtitle = "300 synthetic repositories";
    snprintf(path, sizeof path, "%s/bench_render_%ld.png", tmp ? tmp : "/tmp", (long)getpid());
    double map_ms, trend_ms, map_cpu, trend_cpu;
    /* first render warms up fontconfig and cairo's caches */
    if (pf_render_map(pts, NREPO, &mo, path, err, sizeof err) != 0) {
        fprintf(stderr, "bench_render: %s\n", err);
        return 1;
    }
    BEST_OF(map_ms, map_cpu, pf_render_map(pts, NREPO, &mo, path, err, sizeof err));

    static pf_trend_point tp[NSER][NRUN];
    pf_trend_series ts[NSER];
    static const char *const tcol[NSER] = {"#c70036", "#e95420", "#7eb2dd", "#1793d1", "#73ba25"};
    unsigned seed = 99;
    for (size_t s = 0; s < NSER; s++) {
        double v = 40 + 10 * (double)s;
        for (size_t k = 0; k < NRUN; k++) {
            v += (urand(&seed) - 0.5) * 2.0;
            tp[s][k] = (pf_trend_point){1700000000 + (int64_t)k * 86400, v};
        }
        ts[s] = (pf_trend_series){names[s], names[s], tcol[s], tp[s], NRUN};
    }
    pf_trend_opts to;
    pf_trend_opts_default(&to);
    to.title = "Freshness over time";
    to.ylabel = "Freshness (%)";
    to.fmt = PF_FMT_PERCENT;
    BEST_OF(trend_ms, trend_cpu, pf_render_trend(ts, NSER, &to, path, err, sizeof err));
    unlink(path);
    printf("render map 300 repos: %.1f ms (cpu %.1f ms)\n", map_ms, map_cpu);
    printf("render trend 5x200: %.1f ms (cpu %.1f ms)\n", trend_ms, trend_cpu);
    return 0;
}
