/*
 * bench_parse.c — decode + parse of one index file, without the store.
 *
 *   bench_parse FORMAT FILE
 *
 * The same reader chain as `crawl --from` (decoder on its own thread,
 * pf_reader_threaded) and the format's parser, with a callback that only
 * counts records. Next to `crawl --from` in make bench it separates what the
 * parser costs from what SQLite costs. Prints "SECONDS RECORDS" (best of 3);
 * exits 2 on usage, 1 when the file cannot be read or parsed.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "pkgfresh/format.h"
#include "pkgfresh/reader.h"
#include "pkgfresh/record.h"

/* Record callback: count only. */
static int count_record(void *ctx, const pf_record *rec)
{
    (void)rec;
    ++*(long *)ctx;
    return 0;
}

/* Monotonic seconds. */
static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One timed decode + parse of path; seconds, or -1 on error (message printed). */
static double run_once(const pf_format *fmt, const char *path, long *records)
{
    char err[512];
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        perror(path);
        return -1;
    }
    double t0 = mono();
    pf_reader *rd = pf_reader_open_file(fp, pf_codec_from_name(path), 0, err, sizeof err);
    rd = rd ? pf_reader_threaded(rd) : NULL;
    if (!rd) {
        fprintf(stderr, "bench_parse: %s: cannot open the reader\n", path);
        fclose(fp);
        return -1;
    }
    *records = 0;
    err[0] = 0;
    int rc =
        pf_format_parse(fmt, rd, count_record, records, &(pf_parse_stats){0, 0}, err, sizeof err);
    pf_reader_close(rd);
    double t = mono() - t0;
    fclose(fp);
    if (rc != 0) {
        fprintf(stderr, "bench_parse: %s: %s\n", path, err[0] ? err : "parse failed");
        return -1;
    }
    return t;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: bench_parse FORMAT FILE\n");
        return 2;
    }
    const pf_format *fmt = pf_format_find(argv[1]);
    if (!fmt) {
        fprintf(stderr, "bench_parse: unknown format '%s'\n", argv[1]);
        return 2;
    }
    double best = -1;
    long records = 0;
    for (int i = 0; i < 3; i++) {
        double t = run_once(fmt, argv[2], &records);
        if (t < 0)
            return 1;
        if (best < 0 || t < best)
            best = t;
    }
    printf("%.3f %ld\n", best, records);
    return 0;
}
