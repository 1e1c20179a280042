/*
 * bench_parse.c — decode + parse of one index file, without the store.
 *
 *   bench_parse [--ratio] FORMAT FILE
 *
 * The same reader chain as `crawl --from` (decoder on its own thread,
 * pf_reader_threaded) and the format's parser, with a callback that only
 * counts records. Next to `crawl --from` in make bench it separates what the
 * parser costs from what SQLite costs. Prints "SECONDS RECORDS" (best of 3,
 * or of as many runs as fit in 0.3 s, at most 50, for small files).
 * With --ratio it also times the pure decompression of the file through the
 * same reader chain in the same process (the bytes read and dropped) and
 * prints "SECONDS RECORDS DECODE_SECONDS RATIO", the ratio being parse over
 * decode: a figure that process start and a loaded machine disturb less
 * than a separate `xz -dc`. Exits 2 on usage, 1 when the file cannot be
 * read or parsed.
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

/*
 * One timed run over path through the reader chain of `crawl --from`: the
 * format's parser when fmt is set (records counted into *records), else
 * the bytes read and dropped. Seconds, or -1 on error (message printed).
 */
static double run_once(const pf_format *fmt, const char *path, long *records)
{
    char err[512];
    static char buf[1 << 16];
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
    err[0] = 0;
    int rc = 0;
    if (fmt) {
        *records = 0;
        rc = pf_format_parse(fmt, rd, count_record, records, &(pf_parse_stats){0, 0}, err,
                             sizeof err);
    } else {
        ssize_t got;
        while ((got = rd->read(rd, buf, sizeof buf)) > 0)
            ;
        rc = got < 0 ? -1 : 0;
    }
    pf_reader_close(rd);
    double t = mono() - t0;
    fclose(fp);
    if (rc != 0) {
        fprintf(stderr, "bench_parse: %s: %s\n", path, err[0] ? err : "read or parse failed");
        return -1;
    }
    return t;
}

/* Best time of fn (parse when fmt is set, else decode) over 3 runs, or as many as fit in 0.3 s. */
static double best_of(const pf_format *fmt, const char *path, long *records)
{
    double best = -1, spent = 0;
    for (int i = 0; i < 50 && (i < 3 || spent < 0.3); i++) {
        double t = run_once(fmt, path, records);
        if (t < 0)
            return -1;
        spent += t;
        if (best < 0 || t < best)
            best = t;
    }
    return best;
}

int main(int argc, char **argv)
{
    int ratio = argc == 4 && strcmp(argv[1], "--ratio") == 0;
    if (argc != 3 + ratio) {
        fprintf(stderr, "usage: bench_parse [--ratio] FORMAT FILE\n");
        return 2;
    }
    const pf_format *fmt = pf_format_find(argv[1 + ratio]);
    if (!fmt) {
        fprintf(stderr, "bench_parse: unknown format '%s'\n", argv[1 + ratio]);
        return 2;
    }
    long records = 0;
    double best = best_of(fmt, argv[2 + ratio], &records);
    if (best < 0)
        return 1;
    if (!ratio) {
        printf("%.3f %ld\n", best, records);
        return 0;
    }
    double dec = best_of(NULL, argv[2 + ratio], NULL);
    if (dec < 0)
        return 1;
    printf("%.4f %ld %.4f %.2f\n", best, records, dec, dec > 0 ? best / dec : 0);
    return 0;
}
