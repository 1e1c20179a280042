/*
 * fuzz.h — shared pieces of the libFuzzer harnesses (fuzz/fuzz_<target>.c).
 *
 * Each harness is one translation unit with LLVMFuzzerTestOneInput; this
 * header (static functions only) gives them the parser driver: the input
 * becomes a pf_reader over memory (codec sniffed, so compressed inputs are
 * decoded too, capped at FZ_MAX_DECODED), the parser runs to the end, and
 * every emitted record is checked (required fields present, every string
 * readable to its NUL). A violated invariant aborts, which libFuzzer
 * reports as a crash with the input saved.
 */
#ifndef PKGFRESH_FUZZ_H
#define PKGFRESH_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkgfresh/format.h"
#include "pkgfresh/reader.h"

/* Decoded-size cap per input: keeps compression bombs from eating the RSS limit. */
#define FZ_MAX_DECODED ((uint64_t)32 << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Abort with a message: the fuzzer keeps the input as a crash artifact. */
static inline void fz_fail(const char *what)
{
    fprintf(stderr, "fuzz invariant violated: %s\n", what);
    abort();
}

/* Touch every byte of s up to its NUL (ASan checks the reads); returns its length. */
static inline size_t fz_touch(const char *s)
{
    if (!s)
        return 0;
    size_t n = strlen(s);
    volatile unsigned char sink = 0;
    for (size_t i = 0; i < n; i++)
        sink ^= (unsigned char)s[i];
    (void)sink;
    return n;
}

/* Emit callback: a record must carry a name and a version; every string is read. */
static inline int fz_emit(void *ctx, const pf_record *rec)
{
    long *count = ctx;
    if (!rec || !rec->srcname || !rec->version)
        fz_fail("record without srcname or version");
    fz_touch(rec->srcname);
    fz_touch(rec->binnames);
    fz_touch(rec->version);
    fz_touch(rec->maintainers);
    fz_touch(rec->homepage);
    fz_touch(rec->license);
    fz_touch(rec->category);
    fz_touch(rec->summary);
    (*count)++;
    return 0;
}

/*
 * Run parser fn with a format row's variant over data; an error return must
 * come with a one-line message.
 */
static inline void fz_parse_variant(pf_parse_fn fn, const char *variant, const uint8_t *data,
                                    size_t size)
{
    char err[512] = "";
    pf_reader *rd = pf_reader_open_mem(data, size, PF_CODEC_NONE, err, sizeof err);
    if (!rd)
        return;
    rd->limit = FZ_MAX_DECODED;
    long count = 0;
    err[0] = 0;
    pf_parse_stats st;
    int rc = fn(rd, variant, fz_emit, &count, &st, err, sizeof err);
    if (rc != 0 && rc != -1)
        fz_fail("parser returned neither 0 nor -1 although emit never stopped it");
    if (rc == -1 && err[0] == 0)
        fz_fail("parser failed without a message");
    if (memchr(err, '\n', strnlen(err, sizeof err)))
        fz_fail("error message spans lines");
    pf_reader_close(rd);
}

/* Run parser fn (no variant) over data; see fz_parse_variant. */
static inline void fz_parse(pf_parse_fn fn, const uint8_t *data, size_t size)
{
    fz_parse_variant(fn, NULL, data, size);
}

/*
 * Pick one of the n format rows named in names by the input's first byte
 * and run it on the rest: one harness covers every dialect of a reader.
 */
static inline void fz_parse_rows(const char *const *names, size_t n, const uint8_t *data,
                                 size_t size)
{
    if (size == 0)
        return;
    const pf_format *f = pf_format_find(names[data[0] % n]);
    if (!f)
        fz_fail("a format row named by the harness is missing");
    fz_parse_variant(f->parse, f->variant, data + 1, size - 1);
}

#endif
