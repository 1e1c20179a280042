/*
 * bench_vercmp.c — comparisons per second of pf_vercmp over a realistic mix:
 * every version of the CC0 version-comparison-test-suite (when
 * $PKGFRESH_SHARED or ../shared has it) plus synthetic distro-like versions
 * (1.2.3, 2.0.0~rc1, 1:2.4.5-3, 20240101, 1.0alpha1, ...). Half the pairs are
 * near neighbours (same prefix, one component changed), as when the analyzer
 * compares one project's versions; half are random pairs.
 *
 * Prints one line: "vercmp: N comparisons in S s = X M/s".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pkgfresh/version.h"

enum { MAXV = 8192, VLEN = 48, NPAIRS = 1 << 16 };

/* The version pool: fixed-size slots, no per-string allocation. */
typedef struct pool {
    char v[MAXV][VLEN];
    int n;
} pool;

/* Deterministic xorshift generator so every run measures the same mix. */
static unsigned rnd(unsigned *s)
{
    unsigned x = *s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *s = x;
}

/* Append one version (truncated to VLEN - 1) unless the pool is full. */
static void add(pool *p, const char *s, size_t len)
{
    if (p->n >= MAXV)
        return;
    if (len >= VLEN)
        len = VLEN - 1;
    memcpy(p->v[p->n], s, len);
    p->v[p->n][len] = '\0';
    p->n++;
}

/* Add both quoted versions of every case line of the shared test suite; count added. */
static int load_suite(pool *p)
{
    const char *shared = getenv("PKGFRESH_SHARED");
    char path[4096], line[4096];
    snprintf(path, sizeof path,
             "%s/realdata/version-comparison-test-suite/"
             "version-comparison-tests.txt",
             shared ? shared : "../shared");
    FILE *fp = fopen(path, "r");
    if (!fp)
        return 0;
    int before = p->n;
    while (fgets(line, sizeof line, fp)) {
        if (line[0] != '"')
            continue;
        char *a = line + 1, *ae = strchr(a, '"');
        char *b = ae ? strchr(ae + 1, '"') : NULL;
        char *be = b ? strchr(b + 1, '"') : NULL;
        if (!be)
            continue;
        add(p, a, (size_t)(ae - a));
        add(p, b + 1, (size_t)(be - b - 1));
    }
    fclose(fp);
    return p->n - before;
}

/* One synthetic distro-like version in one of a dozen common shapes. */
static void synth(pool *p, unsigned *s)
{
    char buf[VLEN];
    unsigned M = rnd(s) % 12, m = rnd(s) % 30, q = rnd(s) % 20, k = rnd(s) % 5 + 1;
    static const char *pre[] = {"alpha", "beta", "rc", "pre", "a", "b"};
    switch (rnd(s) % 12) {
    case 0:
    case 1:
    case 2:
        snprintf(buf, sizeof buf, "%u.%u.%u", M, m, q);
        break;
    case 3:
        snprintf(buf, sizeof buf, "%u.%u", M, m);
        break;
    case 4:
        snprintf(buf, sizeof buf, "%u.%u.%u~rc%u", M, m, q, k);
        break;
    case 5:
        snprintf(buf, sizeof buf, "%u:%u.%u.%u-%u", k, M, m, q, rnd(s) % 4 + 1);
        break;
    case 6:
        snprintf(buf, sizeof buf, "20%02u%02u%02u", 15 + M, m % 12 + 1, q + 1);
        break;
    case 7:
        snprintf(buf, sizeof buf, "%u.%u%s%u", M, m, pre[rnd(s) % 6], k);
        break;
    case 8:
        snprintf(buf, sizeof buf, "%u.%u.%u.%u", M, m, q, rnd(s) % 300);
        break;
    case 9:
        snprintf(buf, sizeof buf, "%u.%u.%u+git20%02u%02u%02u.%07x", M, m, q, 18 + M % 8,
                 m % 12 + 1, q + 1, rnd(s) & 0xfffffff);
        break;
    case 10:
        snprintf(buf, sizeof buf, "%u.%u.%up%u", M, m, q, k);
        break;
    default:
        snprintf(buf, sizeof buf, "%u.%u.%u-r%u", M, m, q, k);
        break;
    }
    add(p, buf, strlen(buf));
}

/* A near neighbour of s: the same string with one digit changed. */
static void neighbour(char *dst, const char *src, unsigned *s)
{
    size_t n = strlen(src), digits = 0;
    memcpy(dst, src, n + 1);
    for (size_t i = 0; i < n; i++)
        digits += src[i] >= '0' && src[i] <= '9';
    if (!digits)
        return;
    size_t pick = rnd(s) % digits;
    for (size_t i = 0; i < n; i++)
        if (dst[i] >= '0' && dst[i] <= '9' && pick-- == 0) {
            dst[i] = (char)('0' + rnd(s) % 10);
            break;
        }
}

/* Seconds since an arbitrary point, monotonic. */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Build the mix, compare pairs for ~1.5 s, print the rate. */
int main(void)
{
    pool *p = calloc(1, sizeof *p);
    const char **pa = malloc(NPAIRS * sizeof *pa), **pb = malloc(NPAIRS * sizeof *pb);
    static char near[NPAIRS / 2][VLEN];
    if (!p || !pa || !pb) {
        fprintf(stderr, "bench_vercmp: out of memory\n");
        return 1;
    }
    unsigned seed = 2463534242u;
    load_suite(p);
    while (p->n < 4096)
        synth(p, &seed);
    for (int i = 0; i < NPAIRS; i++) {
        pa[i] = p->v[rnd(&seed) % (unsigned)p->n];
        if (i % 2) {
            pb[i] = p->v[rnd(&seed) % (unsigned)p->n];
        } else {
            neighbour(near[i / 2], pa[i], &seed);
            pb[i] = near[i / 2];
        }
    }
    long long count = 0;
    long sink = 0;
    double t0 = now(), t;
    do {
        for (int i = 0; i < NPAIRS; i++)
            sink += pf_vercmp(pa[i], pb[i]);
        count += NPAIRS;
        t = now() - t0;
    } while (t < 1.5);
    printf("vercmp: %lld comparisons in %.2f s = %.1f M/s\n", count, t, (double)count / t / 1e6);
    if (sink == 42) /* keeps the loop from being optimised away */
        fputs("", stderr);
    free(p);
    free(pa);
    free(pb);
    return 0;
}
