/*
 * test_reader.c — decoding readers, codec sniffing, the line reader and the
 * read-ahead reader. Compressed inputs are made here with the codec
 * libraries (gzip via zlib, xz via liblzma, bzip2 via libbz2, zstd via
 * libzstd); brotli, whose encoder the project does not link, is a small
 * embedded stream made with libbrotlienc.
 */
#include "testutil.h"

#include <bzlib.h>
#include <lzma.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "pkgfresh/grow.h"
#include "pkgfresh/reader.h"

/* A byte buffer owned by the test. */
typedef struct buf {
    unsigned char *p;
    size_t n;
    size_t cap; /* 0 for buffers allocated at their exact size */
} buf;

/*
 * Append bytes to a buffer (aborts the test on allocation failure). The
 * capacity doubles (grow.h), so draining a stream in tiny reads stays linear.
 */
static void buf_add(buf *b, const void *p, size_t n)
{
    if (b->cap < b->n)
        b->cap = b->n; /* an exact-size buffer: grow from its length */
    char *bp = (char *)b->p;
    assert_int_equal(pf_grow(&bp, &b->cap, b->n, n + 1), 0);
    b->p = (unsigned char *)bp;
    memcpy(b->p + b->n, p, n);
    b->n += n;
}

/* Realistic text: deb822 stanzas, about `stanzas` * 150 bytes. */
static buf make_text(int stanzas)
{
    buf b = {0};
    char line[512];
    for (int i = 0; i < stanzas; i++) {
        int k = snprintf(line, sizeof line,
                         "Package: pkg%d\nBinary: pkg%d, libpkg%d-dev\nVersion: %d.%d.%d-%d\n"
                         "Maintainer: Debian Team <team%d@lists.debian.org>\n"
                         "Homepage: https://example.org/pkg%d\n\n",
                         i, i, i, i % 7, i % 13, i % 5, 1 + i % 3, i % 17, i);
        buf_add(&b, line, (size_t)k);
    }
    return b;
}

/* gzip one member with zlib. */
static buf gz_compress(const void *p, size_t n)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
    buf out = {malloc(deflateBound(&z, n) + 64), 0, 0};
    assert_non_null(out.p);
    z.next_in = (unsigned char *)p;
    z.avail_in = (uInt)n;
    z.next_out = out.p;
    z.avail_out = (uInt)(deflateBound(&z, n) + 64);
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    out.n = z.total_out;
    deflateEnd(&z);
    return out;
}

/* xz with CRC64, as Debian ships it. */
static buf xz_compress(const void *p, size_t n)
{
    size_t cap = lzma_stream_buffer_bound(n);
    buf out = {malloc(cap), 0, 0};
    assert_non_null(out.p);
    assert_int_equal(lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, NULL, p, n, out.p, &out.n, cap),
                     LZMA_OK);
    return out;
}

/* xz in 64 KiB blocks made by the threaded encoder: the decoder's multi-threaded path. */
static buf xz_blocks_compress(const void *p, size_t n)
{
    lzma_mt mt;
    memset(&mt, 0, sizeof mt);
    mt.threads = 2;
    mt.block_size = 64 * 1024;
    mt.preset = 6;
    mt.check = LZMA_CHECK_CRC64;
    lzma_stream s = LZMA_STREAM_INIT;
    assert_int_equal(lzma_stream_encoder_mt(&s, &mt), LZMA_OK);
    size_t cap = lzma_stream_buffer_bound(n) + 4096;
    buf out = {malloc(cap), 0, 0};
    assert_non_null(out.p);
    s.next_in = p;
    s.avail_in = n;
    s.next_out = out.p;
    s.avail_out = cap;
    assert_int_equal(lzma_code(&s, LZMA_FINISH), LZMA_STREAM_END);
    out.n = cap - s.avail_out;
    lzma_end(&s);
    return out;
}

/* bzip2 one stream. */
static buf bz_compress(const void *p, size_t n)
{
    unsigned cap = (unsigned)(n + n / 100 + 700);
    buf out = {malloc(cap), 0, 0};
    assert_non_null(out.p);
    assert_int_equal(BZ2_bzBuffToBuffCompress((char *)out.p, &cap, (char *)p, (unsigned)n, 9, 0, 0),
                     BZ_OK);
    out.n = cap;
    return out;
}

/* zstd one frame with a content checksum (so corruption is detectable). */
static buf zst_compress(const void *p, size_t n)
{
    size_t cap = ZSTD_compressBound(n);
    buf out = {malloc(cap), 0, 0};
    assert_non_null(out.p);
    ZSTD_CCtx *c = ZSTD_createCCtx();
    ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel, 3);
    ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, 1);
    out.n = ZSTD_compress2(c, out.p, cap, p, n);
    assert_false(ZSTD_isError(out.n));
    ZSTD_freeCCtx(c);
    return out;
}

typedef buf (*compress_fn)(const void *, size_t);

static const struct {
    pf_codec codec;
    compress_fn fn;
} codecs[] = {{PF_CODEC_GZIP, gz_compress},
              {PF_CODEC_XZ, xz_compress},
              {PF_CODEC_XZ, xz_blocks_compress},
              {PF_CODEC_BZIP2, bz_compress},
              {PF_CODEC_ZSTD, zst_compress}};
#define NCODECS (sizeof codecs / sizeof codecs[0])

/* brotli -q 9 of BROTLI_TEXT, made once with BrotliEncoderCompress. */
static const char BROTLI_TEXT[] = "Package: hello\nVersion: 2.12-1\nHomepage: "
                                  "https://www.gnu.org/software/hello/\n\nPackage: "
                                  "brotli\nVersion: 1.0.9-2\n\n";
static const unsigned char BROTLI_DATA[] = {
    0x1b, 0x6f, 0x00, 0x00, 0xc4, 0xf2, 0xd6, 0xaf, 0x24, 0xa1, 0x78, 0xfe, 0x1b, 0x25,
    0x09, 0x15, 0x33, 0x33, 0x86, 0xd9, 0x73, 0x83, 0x03, 0xf6, 0x20, 0xa9, 0x41, 0x1e,
    0x16, 0x6f, 0x95, 0xc1, 0x39, 0x96, 0x0c, 0x55, 0x86, 0xe8, 0x7f, 0x53, 0xae, 0x33,
    0xf7, 0x16, 0xcd, 0x71, 0x17, 0xe2, 0x65, 0x34, 0x42, 0x2c, 0x96, 0x11, 0xd3, 0xd7,
    0xd3, 0xaa, 0xf7, 0x77, 0x30, 0xd3, 0xf4, 0xfd, 0xdb, 0x27, 0x58, 0x0e, 0xb0, 0x0e,
    0x20, 0x3e, 0xe5, 0x1d, 0x5d, 0x43, 0xc9, 0xe4, 0x29, 0x58, 0x01, 0x00};

/* A FILE holding bytes, positioned at the start. */
static FILE *file_of(const void *p, size_t n)
{
    FILE *fp = tmpfile();
    assert_non_null(fp);
    if (n)
        assert_int_equal(fwrite(p, 1, n, fp), n);
    rewind(fp);
    return fp;
}

/*
 * Drain a reader with reads of `chunk` bytes. Returns 0 at a clean end with
 * the bytes in *out, -1 on error (bytes so far in *out, message in r->err).
 */
static int drain(pf_reader *r, size_t chunk, buf *out)
{
    unsigned char *tmp = malloc(chunk);
    assert_non_null(tmp);
    ssize_t got;
    while ((got = r->read(r, tmp, chunk)) > 0) {
        assert_true((size_t)got <= chunk);
        buf_add(out, tmp, (size_t)got);
    }
    free(tmp);
    return got < 0 ? -1 : 0;
}

/* Assert that decoding `comp` from a FILE gives exactly `plain`, reading in `chunk`s. */
static void check_file_decodes(const buf *comp, const buf *plain, pf_codec hint, size_t chunk)
{
    FILE *fp = file_of(comp->p, comp->n);
    char err[256];
    pf_reader *r = pf_reader_open_file(fp, hint, 0, err, sizeof err);
    assert_non_null(r);
    buf out = {0};
    assert_int_equal(drain(r, chunk, &out), 0);
    assert_int_equal(out.n, plain->n);
    assert_memory_equal(out.p, plain->p, plain->n);
    assert_int_equal(r->nread, plain->n);
    /* End is sticky. */
    char one;
    assert_int_equal(r->read(r, &one, 1), 0);
    pf_reader_close(r);
    fclose(fp);
    free(out.p);
}

/* Assert that decoding `comp` from memory gives exactly `plain`. */
static void check_mem_decodes(const buf *comp, const buf *plain, pf_codec hint)
{
    char err[256];
    pf_reader *r = pf_reader_open_mem(comp->p, comp->n, hint, err, sizeof err);
    assert_non_null(r);
    buf out = {0};
    assert_int_equal(drain(r, 65536, &out), 0);
    assert_int_equal(out.n, plain->n);
    assert_memory_equal(out.p, plain->p, plain->n);
    pf_reader_close(r);
    free(out.p);
}

/* Decode `comp` (memory) expecting an error whose text contains `want`. */
static void check_mem_fails(const buf *comp, const char *want)
{
    char err[256] = "";
    pf_reader *r = pf_reader_open_mem(comp->p, comp->n, PF_CODEC_NONE, err, sizeof err);
    assert_non_null(r);
    buf out = {0};
    assert_int_equal(drain(r, 4096, &out), -1);
    if (!strstr(r->err, want))
        fail_msg("error \"%s\" lacks \"%s\"", r->err, want);
    assert_null(strchr(r->err, '\n'));
    /* Errors are sticky. */
    char one;
    assert_int_equal(r->read(r, &one, 1), -1);
    pf_reader_close(r);
    free(out.p);
}

/* Magic bytes identify each codec; brotli and short or plain input do not sniff. */
static void test_sniff(void **state)
{
    (void)state;
    const unsigned char gz[] = {0x1f, 0x8b, 8, 0, 0, 0};
    const unsigned char xz[] = {0xfd, '7', 'z', 'X', 'Z', 0};
    const unsigned char bz[] = {'B', 'Z', 'h', '9', '1', 'A'};
    const unsigned char zs[] = {0x28, 0xb5, 0x2f, 0xfd, 0, 0};
    assert_int_equal(pf_codec_sniff(gz, 6), PF_CODEC_GZIP);
    assert_int_equal(pf_codec_sniff(xz, 6), PF_CODEC_XZ);
    assert_int_equal(pf_codec_sniff(xz, 5), PF_CODEC_NONE);
    assert_int_equal(pf_codec_sniff(bz, 6), PF_CODEC_BZIP2);
    assert_int_equal(pf_codec_sniff((const unsigned char *)"BZh0", 4), PF_CODEC_NONE);
    assert_int_equal(pf_codec_sniff(zs, 6), PF_CODEC_ZSTD);
    assert_int_equal(pf_codec_sniff(BROTLI_DATA, sizeof BROTLI_DATA), PF_CODEC_NONE);
    assert_int_equal(pf_codec_sniff((const unsigned char *)"Package: x\n", 11), PF_CODEC_NONE);
    assert_int_equal(pf_codec_sniff(gz, 1), PF_CODEC_NONE);
    assert_int_equal(pf_codec_sniff(NULL, 0), PF_CODEC_NONE);

    assert_int_equal(pf_codec_from_name("Sources.gz"), PF_CODEC_GZIP);
    assert_int_equal(pf_codec_from_name("dists/sid/main/source/Sources.xz"), PF_CODEC_XZ);
    assert_int_equal(pf_codec_from_name("http://x/Packages.XZ?x=1#f"), PF_CODEC_XZ);
    assert_int_equal(pf_codec_from_name("primary.xml.bz2"), PF_CODEC_BZIP2);
    assert_int_equal(pf_codec_from_name("core.db.tar.zst"), PF_CODEC_ZSTD);
    assert_int_equal(pf_codec_from_name("packages.json.br"), PF_CODEC_BROTLI);
    assert_int_equal(pf_codec_from_name("INDEX"), PF_CODEC_NONE);
    assert_int_equal(pf_codec_from_name("x.gzip"), PF_CODEC_NONE);
    assert_int_equal(pf_codec_from_name(NULL), PF_CODEC_NONE);
    assert_string_equal(pf_codec_name(PF_CODEC_XZ), "xz");
    assert_string_equal(pf_codec_name(PF_CODEC_BROTLI), "brotli");
}

/* Every codec round-trips ~600 KB of stanzas, from a FILE (odd and big reads) and memory. */
static void test_round_trip(void **state)
{
    (void)state;
    buf plain = make_text(4000);
    assert_true(plain.n > 2 * 256 * 1024);
    for (size_t i = 0; i < NCODECS; i++) {
        buf comp = codecs[i].fn(plain.p, plain.n);
        assert_int_equal(pf_codec_sniff(comp.p, comp.n), codecs[i].codec);
        check_file_decodes(&comp, &plain, PF_CODEC_NONE, 65536);
        check_file_decodes(&comp, &plain, PF_CODEC_NONE, 7);
        check_file_decodes(&comp, &plain, PF_CODEC_NONE, 1 << 20);
        check_mem_decodes(&comp, &plain, PF_CODEC_NONE);
        free(comp.p);
    }
    /* Uncompressed input passes through unchanged. */
    check_file_decodes(&plain, &plain, PF_CODEC_NONE, 1000);
    check_mem_decodes(&plain, &plain, PF_CODEC_NONE);
    free(plain.p);
}

/* Brotli decodes only with the hint; without it the bytes pass through as they are. */
static void test_brotli(void **state)
{
    (void)state;
    buf comp = {(unsigned char *)BROTLI_DATA, sizeof BROTLI_DATA, 0};
    buf plain = {(unsigned char *)BROTLI_TEXT, strlen(BROTLI_TEXT), 0};
    check_mem_decodes(&comp, &plain, PF_CODEC_BROTLI);
    check_file_decodes(&comp, &plain, PF_CODEC_BROTLI, 5);
    check_mem_decodes(&comp, &comp, PF_CODEC_NONE);
    /* Sniffed codecs win over the hint. */
    buf gz = gz_compress(plain.p, plain.n);
    check_mem_decodes(&gz, &plain, PF_CODEC_BROTLI);
    free(gz.p);

    /* Truncated and corrupt brotli. */
    char err[256];
    pf_reader *r =
        pf_reader_open_mem(BROTLI_DATA, sizeof BROTLI_DATA - 10, PF_CODEC_BROTLI, err, sizeof err);
    assert_non_null(r);
    buf out = {0};
    assert_int_equal(drain(r, 4096, &out), -1);
    assert_non_null(strstr(r->err, "brotli: unexpected end of stream"));
    pf_reader_close(r);
    free(out.p);
    unsigned char bad[sizeof BROTLI_DATA];
    memcpy(bad, BROTLI_DATA, sizeof bad);
    bad[0] = 0xff;
    bad[1] = 0xff;
    r = pf_reader_open_mem(bad, sizeof bad, PF_CODEC_BROTLI, err, sizeof err);
    assert_non_null(r);
    out = (buf){0};
    assert_int_equal(drain(r, 4096, &out), -1);
    assert_non_null(strstr(r->err, "brotli:"));
    pf_reader_close(r);
    free(out.p);
}

/* gzip members, xz streams, bzip2 streams and zstd frames one after another decode as one. */
static void test_concatenated(void **state)
{
    (void)state;
    buf a = make_text(1500), b = make_text(3), empty = {0};
    buf whole = {0};
    buf_add(&whole, a.p, a.n);
    buf_add(&whole, b.p, b.n);
    buf_add(&whole, a.p, a.n);
    for (size_t i = 0; i < NCODECS; i++) {
        buf ca = codecs[i].fn(a.p, a.n), cb = codecs[i].fn(b.p, b.n);
        buf ce = codecs[i].fn("", 0);
        buf cat = {0};
        buf_add(&cat, ca.p, ca.n);
        buf_add(&cat, ce.p, ce.n);
        buf_add(&cat, cb.p, cb.n);
        buf_add(&cat, ca.p, ca.n);
        check_file_decodes(&cat, &whole, PF_CODEC_NONE, 65536);
        check_file_decodes(&cat, &whole, PF_CODEC_NONE, 3);
        check_mem_decodes(&cat, &whole, PF_CODEC_NONE);
        /* An empty stream decodes to nothing. */
        check_mem_decodes(&ce, &empty, PF_CODEC_NONE);
        free(ca.p);
        free(cb.p);
        free(ce.p);
        free(cat.p);
    }
    /* gzip: trailing zero padding is ignored, other trailing bytes are an error. */
    buf gz = gz_compress(a.p, a.n);
    buf padded = {0};
    buf_add(&padded, gz.p, gz.n);
    buf_add(&padded, "\0\0\0\0\0\0\0\0", 8);
    check_mem_decodes(&padded, &a, PF_CODEC_NONE);
    buf_add(&padded, "junk", 4);
    check_mem_fails(&padded, "gzip: trailing garbage");
    free(gz.p);
    free(padded.p);
    free(a.p);
    free(b.p);
    free(whole.p);
}

/* Corruption in the middle of each codec's data is an error with the codec's name. */
static void test_corrupt(void **state)
{
    (void)state;
    buf plain = make_text(3000);
    for (size_t i = 0; i < NCODECS; i++) {
        buf comp = codecs[i].fn(plain.p, plain.n);
        for (size_t k = comp.n / 2; k < comp.n / 2 + 16; k++)
            comp.p[k] ^= 0x55;
        char want[64];
        snprintf(want, sizeof want, "%s: compressed data is corrupt",
                 pf_codec_name(codecs[i].codec));
        check_mem_fails(&comp, want);
        free(comp.p);
    }
    /* xz magic followed by garbage. */
    buf fake = {0};
    buf_add(&fake,
            "\xfd"
            "7zXZ\0",
            6);
    buf_add(&fake, "this is not an xz stream at all, just text", 42);
    check_mem_fails(&fake, "xz: ");
    free(fake.p);
    free(plain.p);
}

/* Random damage anywhere never crashes: each attempt ends cleanly or with an error. */
static void test_fuzz_no_crash(void **state)
{
    (void)state;
    buf plain = make_text(300);
    uint32_t seed = 12345;
    for (size_t i = 0; i < NCODECS; i++) {
        buf comp = codecs[i].fn(plain.p, plain.n);
        buf work = {malloc(comp.n), comp.n, 0};
        assert_non_null(work.p);
        int errors = 0;
        for (int round = 0; round < 150; round++) {
            memcpy(work.p, comp.p, comp.n);
            for (int m = 0; m < 1 + round % 4; m++) {
                seed = seed * 1103515245u + 12345u;
                work.p[(seed >> 8) % comp.n] = (unsigned char)(seed >> 3);
            }
            seed = seed * 1103515245u + 12345u;
            size_t len = round % 3 == 0 ? (seed >> 8) % comp.n : comp.n;
            char err[256];
            pf_reader *r = pf_reader_open_mem(work.p, len, PF_CODEC_NONE, err, sizeof err);
            assert_non_null(r);
            buf out = {0};
            if (drain(r, 8192, &out) < 0) {
                errors++;
                assert_true(r->err[0] != 0);
            }
            pf_reader_close(r);
            free(out.p);
        }
        /* Most damaged inputs are detected (the checksums see to it). */
        assert_true(errors > 100);
        free(work.p);
        free(comp.p);
    }
    free(plain.p);
}

/* A stream cut short is "unexpected end of stream", from memory and from a FILE. */
static void test_truncated(void **state)
{
    (void)state;
    buf plain = make_text(2000);
    for (size_t i = 0; i < NCODECS; i++) {
        buf comp = codecs[i].fn(plain.p, plain.n);
        size_t cuts[] = {comp.n - 1, comp.n - 9, comp.n / 2, 12};
        for (size_t c = 0; c < 4; c++) {
            buf cut = {comp.p, cuts[c], 0};
            char want[64];
            snprintf(want, sizeof want, "%s: unexpected end of stream",
                     pf_codec_name(codecs[i].codec));
            if (codecs[i].codec == PF_CODEC_BZIP2 && c == 1) {
                /* A bzip2 stream cut inside its trailer may also fail its CRC first. */
                check_mem_fails(&cut, "bzip2:");
                continue;
            }
            check_mem_fails(&cut, want);
            FILE *fp = file_of(cut.p, cut.n);
            char err[256];
            pf_reader *r = pf_reader_open_file(fp, PF_CODEC_NONE, 0, err, sizeof err);
            assert_non_null(r);
            buf out = {0};
            assert_int_equal(drain(r, 100000, &out), -1);
            assert_non_null(strstr(r->err, want));
            pf_reader_close(r);
            fclose(fp);
            free(out.p);
        }
        free(comp.p);
    }
    free(plain.p);
}

/* The decoded-size limit: exactly the limit is fine, one byte more is an error. */
static void test_limit(void **state)
{
    (void)state;
    buf plain = make_text(2000);
    for (size_t i = 0; i < NCODECS + 1; i++) {
        buf comp = i < NCODECS ? codecs[i].fn(plain.p, plain.n) : plain;
        char err[256];
        FILE *fp = file_of(comp.p, comp.n);
        pf_reader *r = pf_reader_open_file(fp, PF_CODEC_NONE, plain.n, err, sizeof err);
        assert_non_null(r);
        buf out = {0};
        assert_int_equal(drain(r, 4096, &out), 0);
        assert_int_equal(out.n, plain.n);
        pf_reader_close(r);
        out.n = 0;

        rewind(fp);
        r = pf_reader_open_file(fp, PF_CODEC_NONE, plain.n - 1, err, sizeof err);
        assert_non_null(r);
        assert_int_equal(drain(r, 100000, &out), -1);
        char want[64];
        snprintf(want, sizeof want, "decoded size exceeds %zu bytes", plain.n - 1);
        assert_string_equal(r->err, want);
        assert_int_equal(out.n, plain.n - 1);
        assert_memory_equal(out.p, plain.p, plain.n - 1);
        assert_int_equal(r->nread, plain.n - 1);
        pf_reader_close(r);
        fclose(fp);
        free(out.p);

        /* The limit field works on memory readers too. */
        r = pf_reader_open_mem(comp.p, comp.n, PF_CODEC_NONE, err, sizeof err);
        assert_non_null(r);
        r->limit = 1000;
        out = (buf){0};
        assert_int_equal(drain(r, 333, &out), -1);
        assert_int_equal(out.n, 1000);
        assert_string_equal(r->err, "decoded size exceeds 1000 bytes");
        pf_reader_close(r);
        free(out.p);
        if (i < NCODECS)
            free(comp.p);
    }
    free(plain.p);
}

/* Empty input, missing files, path opening with codec detection. */
static void test_open_edges(void **state)
{
    (void)state;
    char err[256];
    FILE *fp = file_of("", 0);
    pf_reader *r = pf_reader_open_file(fp, PF_CODEC_NONE, 0, err, sizeof err);
    assert_non_null(r);
    char b[16];
    assert_int_equal(r->read(r, b, sizeof b), 0);
    pf_reader_close(r);
    fclose(fp);

    r = pf_reader_open_mem(NULL, 0, PF_CODEC_BROTLI, err, sizeof err);
    assert_non_null(r);
    assert_int_equal(r->read(r, b, sizeof b), -1); /* empty brotli is truncated */
    pf_reader_close(r);

    assert_null(pf_reader_open_path("tests/tmp/definitely/not/here.xz", 0, err, sizeof err));
    assert_non_null(strstr(err, "No such file"));
    pf_reader_close(NULL);

    /* open_path: owns the FILE; a .br name supplies the brotli hint. */
    const char *dir = tu_tmpdir("reader_open");
    assert_non_null(dir);
    char path[512];
    snprintf(path, sizeof path, "%s/packages.json.br", dir);
    FILE *w = fopen(path, "wb");
    assert_non_null(w);
    assert_int_equal(fwrite(BROTLI_DATA, 1, sizeof BROTLI_DATA, w), sizeof BROTLI_DATA);
    fclose(w);
    r = pf_reader_open_path(path, 0, err, sizeof err);
    assert_non_null(r);
    buf out = {0};
    assert_int_equal(drain(r, 64, &out), 0);
    assert_int_equal(out.n, strlen(BROTLI_TEXT));
    assert_memory_equal(out.p, BROTLI_TEXT, out.n);
    pf_reader_close(r);
    free(out.p);
}

/* A pf_reader over a string that hands out at most `step` bytes per read. */
typedef struct drip {
    pf_reader base;
    const char *p;
    size_t n, pos, step;
} drip;

/* drip.read: a few bytes at a time. */
static ssize_t drip_read(pf_reader *r, void *b, size_t n)
{
    drip *d = (drip *)r;
    size_t k = d->n - d->pos;
    if (k > n)
        k = n;
    if (k > d->step)
        k = d->step;
    memcpy(b, d->p + d->pos, k);
    d->pos += k;
    return (ssize_t)k;
}

/* drip.close: nothing owned. */
static void drip_close(pf_reader *r)
{
    (void)r;
}

/* Lines of `text` through a drip reader of the given step; checks against expected lines. */
static void check_lines(const char *text, size_t n, size_t step, const char *const *want,
                        const size_t *want_len, size_t nwant)
{
    drip d = {{drip_read, drip_close, 0, 0, ""}, text, n, 0, step};
    pf_lines *l = pf_lines_new(&d.base, 100);
    assert_non_null(l);
    char *line;
    size_t len;
    for (size_t i = 0; i < nwant; i++) {
        assert_int_equal(pf_lines_next(l, &line, &len), 1);
        assert_int_equal(len, want_len[i]);
        assert_memory_equal(line, want[i], len);
        assert_int_equal(line[len], 0);
        assert_int_equal(pf_lines_lineno(l), i + 1);
    }
    assert_int_equal(pf_lines_next(l, &line, &len), 0);
    assert_int_equal(pf_lines_next(l, &line, &len), 0);
    pf_lines_free(l);
}

/* CRLF, missing final newline, empty lines, NUL bytes inside lines; any read granularity. */
static void test_lines_edges(void **state)
{
    (void)state;
    static const char text[] = "Package: a\r\n\r\n\nVer\0sion: 1\nlast\r";
    const char *const want[] = {"Package: a", "", "", "Ver\0sion: 1", "last"};
    const size_t want_len[] = {10, 0, 0, 11, 4};
    for (size_t step = 1; step <= 40; step++)
        check_lines(text, sizeof text - 1, step, want, want_len, 5);
    /* Final newline present: no extra empty line. */
    check_lines("a\nb\n", 4, 3, (const char *const[]){"a", "b"}, (const size_t[]){1, 1}, 2);
    /* Empty input: no lines at all. */
    check_lines("", 0, 1, NULL, NULL, 0);
    /* A lone "\r" is kept inside a line, only the one before "\n" goes. */
    check_lines("a\rb\r\r\n", 6, 2, (const char *const[]){"a\rb\r"}, (const size_t[]){4}, 1);
}

/* Lines longer than max_line are an error naming the line; exactly max_line is fine. */
static void test_lines_max(void **state)
{
    (void)state;
    char text[400];
    memset(text, 'x', sizeof text);
    text[100] = '\n';                /* line 1: 100 bytes, the limit */
    memcpy(text + 101, "ok\r\n", 4); /* line 2 */
    /* line 3: 295 bytes of x, no newline */
    drip d = {{drip_read, drip_close, 0, 0, ""}, text, sizeof text, 0, 64};
    pf_lines *l = pf_lines_new(&d.base, 100);
    char *line;
    size_t len;
    assert_int_equal(pf_lines_next(l, &line, &len), 1);
    assert_int_equal(len, 100);
    assert_int_equal(pf_lines_next(l, &line, &len), 1);
    assert_string_equal(line, "ok");
    assert_int_equal(pf_lines_next(l, &line, &len), -1);
    assert_string_equal(pf_lines_error(l), "line 3 longer than 100 bytes");
    assert_int_equal(pf_lines_next(l, &line, &len), -1);
    pf_lines_free(l);

    /* 101 bytes then "\r\n" is too long even though the raw line fits in max+1. */
    char t2[] = "0123456789012345678901234567890123456789012345678901234567890123456789"
                "0123456789012345678901234567890\r\n";
    drip d2 = {{drip_read, drip_close, 0, 0, ""}, t2, strlen(t2), 0, 1000};
    l = pf_lines_new(&d2.base, 100);
    assert_int_equal(pf_lines_next(l, &line, &len), -1);
    assert_non_null(strstr(pf_lines_error(l), "line 1 longer than 100"));
    pf_lines_free(l);
}

/* Lines far bigger than the internal chunk grow the buffer; errors of the input pass through. */
static void test_lines_big_and_errors(void **state)
{
    (void)state;
    size_t big = 700 * 1024;
    buf text = {0};
    char *x = malloc(big);
    assert_non_null(x);
    memset(x, 'y', big);
    buf_add(&text, "first\n", 6);
    buf_add(&text, x, big);
    buf_add(&text, "\nlast\n", 6);
    buf gz = gz_compress(text.p, text.n);
    char err[256];
    pf_reader *r = pf_reader_open_mem(gz.p, gz.n, PF_CODEC_NONE, err, sizeof err);
    pf_lines *l = pf_lines_new(r, 1 << 20);
    char *line;
    size_t len;
    assert_int_equal(pf_lines_next(l, &line, &len), 1);
    assert_string_equal(line, "first");
    assert_int_equal(pf_lines_next(l, &line, &len), 1);
    assert_int_equal(len, big);
    assert_memory_equal(line, x, big);
    assert_int_equal(pf_lines_next(l, &line, &len), 1);
    assert_string_equal(line, "last");
    assert_int_equal(pf_lines_next(l, &line, &len), 0);
    pf_lines_free(l);
    pf_reader_close(r);

    /* A truncated stream: lines before the damage come out, then the decoder's error. */
    r = pf_reader_open_mem(gz.p, gz.n - 20, PF_CODEC_NONE, err, sizeof err);
    l = pf_lines_new(r, 0);
    assert_int_equal(pf_lines_next(l, &line, &len), 1);
    assert_string_equal(line, "first");
    int rc;
    while ((rc = pf_lines_next(l, &line, &len)) == 1)
        ;
    assert_int_equal(rc, -1);
    assert_string_equal(pf_lines_error(l), "gzip: unexpected end of stream");
    pf_lines_free(l);
    pf_reader_close(r);
    free(gz.p);
    free(x);
    free(text.p);
}

/* The read-ahead reader delivers the same bytes, and the inner error after them. */
static void test_threaded(void **state)
{
    (void)state;
    buf plain = make_text(20000); /* ~3 MB: more than all read-ahead slots */
    buf comp = xz_compress(plain.p, plain.n);
    char err[256];
    pf_reader *r =
        pf_reader_threaded(pf_reader_open_mem(comp.p, comp.n, PF_CODEC_NONE, err, sizeof err));
    assert_non_null(r);
    buf out = {0};
    assert_int_equal(drain(r, 10000, &out), 0);
    assert_int_equal(out.n, plain.n);
    assert_memory_equal(out.p, plain.p, plain.n);
    assert_int_equal(r->nread, plain.n);
    char one;
    assert_int_equal(r->read(r, &one, 1), 0);
    pf_reader_close(r);

    /* Truncated: all good bytes, then -1 with the decoder's message. */
    r = pf_reader_threaded(
        pf_reader_open_mem(comp.p, comp.n - 100, PF_CODEC_NONE, err, sizeof err));
    out.n = 0;
    assert_int_equal(drain(r, 4096, &out), -1);
    assert_string_equal(r->err, "xz: unexpected end of stream");
    assert_true(out.n > plain.n / 2);
    assert_memory_equal(out.p, plain.p, out.n);
    assert_int_equal(r->read(r, &one, 1), -1);
    pf_reader_close(r);

    /* Limit of the inner reader surfaces through the wrapper. */
    FILE *fp = file_of(comp.p, comp.n);
    r = pf_reader_threaded(pf_reader_open_file(fp, PF_CODEC_NONE, 1000000, err, sizeof err));
    out.n = 0;
    assert_int_equal(drain(r, 65536, &out), -1);
    assert_string_equal(r->err, "decoded size exceeds 1000000 bytes");
    assert_int_equal(out.n, 1000000);
    pf_reader_close(r);
    fclose(fp);

    /* Closing early, while the producer is blocked on full slots, joins cleanly. */
    r = pf_reader_threaded(pf_reader_open_mem(comp.p, comp.n, PF_CODEC_NONE, err, sizeof err));
    assert_int_equal(r->read(r, &one, 1), 1);
    assert_int_equal(one, 'P');
    pf_reader_close(r);
    assert_null(pf_reader_threaded(NULL));
    free(out.p);
    free(comp.p);
    free(plain.p);
}

/* Count "Package: " lines of a real Sources.xz through the line reader. */
static uint64_t count_packages(pf_reader *r)
{
    pf_lines *l = pf_lines_new(r, 1 << 20);
    assert_non_null(l);
    char *line;
    size_t len;
    uint64_t n = 0;
    int rc;
    while ((rc = pf_lines_next(l, &line, &len)) == 1)
        if (len >= 9 && memcmp(line, "Package: ", 9) == 0)
            n++;
    if (rc < 0)
        fail_msg("%s", pf_lines_error(l));
    pf_lines_free(l);
    return n;
}

/* Real data: Debian sid Sources.xz has 42,990 stanzas and 69,560,278 bytes decoded. */
static void test_realdata_sid(void **state)
{
    (void)state;
    const char *path = tu_realdata("debian/sid-main-Sources.xz");
    if (!path)
        skip();
    char err[256];
    pf_reader *r = pf_reader_open_path(path, 0, err, sizeof err);
    assert_non_null(r);
    assert_int_equal(count_packages(r), 42990);
    assert_int_equal(r->nread, 69560278);
    pf_reader_close(r);

    r = pf_reader_threaded(pf_reader_open_path(path, 0, err, sizeof err));
    assert_non_null(r);
    assert_int_equal(count_packages(r), 42990);
    assert_int_equal(r->nread, 69560278);
    pf_reader_close(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sniff),      cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_brotli),     cmocka_unit_test(test_concatenated),
        cmocka_unit_test(test_corrupt),    cmocka_unit_test(test_fuzz_no_crash),
        cmocka_unit_test(test_truncated),  cmocka_unit_test(test_limit),
        cmocka_unit_test(test_open_edges), cmocka_unit_test(test_lines_edges),
        cmocka_unit_test(test_lines_max),  cmocka_unit_test(test_lines_big_and_errors),
        cmocka_unit_test(test_threaded),   cmocka_unit_test(test_realdata_sid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
