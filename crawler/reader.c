/*
 * reader.c — streaming byte readers: plain and decoding (gzip, xz, bzip2,
 * zstd, brotli) over a FILE or a memory buffer, the line reader on top of
 * any pf_reader, and an optional read-ahead reader that decodes in a
 * second thread.
 *
 * Invariants of a decoding reader (pf_dec):
 *   - input bytes not yet consumed are in [in, in + in_avail); for a FILE
 *     source they live in inbuf (256 KiB), for a memory source they point
 *     straight into the caller's buffer (no copy);
 *   - once state is DEC_END or DEC_ERROR every read returns 0 or -1 again;
 *   - base.nread counts decoded bytes handed out and never exceeds base.limit
 *     (when non-zero): all bytes up to the limit are delivered, the byte past
 *     it turns into the error returned by the following read.
 */
#include "pkgfresh/reader.h"

#include <brotli/decode.h>
#include <bzlib.h>
#include <errno.h>
#include <limits.h>
#include <lzma.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#define PF_INBUF_SIZE (256u * 1024u)

enum dec_state { DEC_RUN, DEC_END, DEC_ERROR };

typedef struct pf_dec {
    pf_reader base;
    FILE *fp;       /* NULL for a memory source */
    int owns_fp;    /* close fp in close() */
    pf_codec codec; /* what is being decoded */
    int state;      /* enum dec_state */
    int src_eof;    /* no more input beyond in_avail */
    const unsigned char *in;
    size_t in_avail;
    unsigned char *inbuf; /* PF_INBUF_SIZE bytes, FILE sources only */
    int member_done;      /* gzip/bzip2: the current member ended, look for another */
    int engine_live;      /* the codec state below is initialised */
    union {
        z_stream z;
        lzma_stream x;
        bz_stream b;
        ZSTD_DStream *zs;
        BrotliDecoderState *br;
    } u;
} pf_dec;

/* Format a one-line error into a reader's err[] and return -1 for chaining. */
static ssize_t dec_fail(pf_dec *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->base.err, sizeof d->base.err, fmt, ap);
    va_end(ap);
    d->state = DEC_ERROR;
    return -1;
}

/* Human name of a codec, as used in error messages and logs. */
const char *pf_codec_name(pf_codec c)
{
    switch (c) {
    case PF_CODEC_NONE:
        return "none";
    case PF_CODEC_GZIP:
        return "gzip";
    case PF_CODEC_XZ:
        return "xz";
    case PF_CODEC_BZIP2:
        return "bzip2";
    case PF_CODEC_ZSTD:
        return "zstd";
    case PF_CODEC_BROTLI:
        return "brotli";
    }
    return "unknown";
}

/* Recognise a codec from its magic bytes; brotli has none and is never sniffed. */
pf_codec pf_codec_sniff(const unsigned char *buf, size_t n)
{
    if (!buf)
        return PF_CODEC_NONE;
    if (n >= 2 && buf[0] == 0x1f && buf[1] == 0x8b)
        return PF_CODEC_GZIP;
    if (n >= 6 && memcmp(buf,
                         "\xfd"
                         "7zXZ\0",
                         6) == 0)
        return PF_CODEC_XZ;
    if (n >= 4 && buf[0] == 'B' && buf[1] == 'Z' && buf[2] == 'h' && buf[3] >= '1' && buf[3] <= '9')
        return PF_CODEC_BZIP2;
    if (n >= 4 && buf[0] == 0x28 && buf[1] == 0xb5 && buf[2] == 0x2f && buf[3] == 0xfd)
        return PF_CODEC_ZSTD;
    return PF_CODEC_NONE;
}

/* Codec from a file name or URL path suffix (a "?query" or "#frag" is ignored). */
pf_codec pf_codec_from_name(const char *name)
{
    static const struct {
        const char *suffix;
        pf_codec codec;
    } map[] = {{".gz", PF_CODEC_GZIP},  {".tgz", PF_CODEC_GZIP},  {".xz", PF_CODEC_XZ},
               {".txz", PF_CODEC_XZ},   {".bz2", PF_CODEC_BZIP2}, {".tbz2", PF_CODEC_BZIP2},
               {".zst", PF_CODEC_ZSTD}, {".zstd", PF_CODEC_ZSTD}, {".br", PF_CODEC_BROTLI}};
    if (!name)
        return PF_CODEC_NONE;
    size_t len = strcspn(name, "?#");
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
        size_t sl = strlen(map[i].suffix);
        if (len >= sl && strncasecmp(name + len - sl, map[i].suffix, sl) == 0)
            return map[i].codec;
    }
    return PF_CODEC_NONE;
}

/*
 * Make input available: if nothing is left, read the next chunk. Keeps
 * `keep` unconsumed bytes (moved to the front) so a caller can look ahead
 * across a chunk boundary. Returns 0, or -1 on a read error (err set).
 */
static int dec_refill(pf_dec *d, size_t keep)
{
    if (d->src_eof || !d->fp)
        return 0;
    if (d->in_avail > keep)
        return 0;
    if (d->in_avail > 0)
        memmove(d->inbuf, d->in, d->in_avail);
    size_t got = fread(d->inbuf + d->in_avail, 1, PF_INBUF_SIZE - d->in_avail, d->fp);
    if (got == 0) {
        if (ferror(d->fp))
            return (int)dec_fail(d, "read error: %s", strerror(errno ? errno : EIO));
        d->src_eof = 1;
    }
    d->in = d->inbuf;
    d->in_avail += got;
    return 0;
}

/* Release the codec engine (idempotent). */
static void dec_engine_end(pf_dec *d)
{
    if (!d->engine_live)
        return;
    switch (d->codec) {
    case PF_CODEC_GZIP:
        inflateEnd(&d->u.z);
        break;
    case PF_CODEC_XZ:
        lzma_end(&d->u.x);
        break;
    case PF_CODEC_BZIP2:
        BZ2_bzDecompressEnd(&d->u.b);
        break;
    case PF_CODEC_ZSTD:
        ZSTD_freeDStream(d->u.zs);
        break;
    case PF_CODEC_BROTLI:
        BrotliDecoderDestroyInstance(d->u.br);
        break;
    case PF_CODEC_NONE:
        break;
    }
    d->engine_live = 0;
}

/* Start (or restart, for the next gzip/bzip2 member) the codec engine. */
static int dec_engine_init(pf_dec *d)
{
    dec_engine_end(d);
    memset(&d->u, 0, sizeof d->u);
    switch (d->codec) {
    case PF_CODEC_GZIP:
        if (inflateInit2(&d->u.z, 15 + 16) != Z_OK)
            return (int)dec_fail(d, "gzip: cannot initialise decoder");
        break;
    case PF_CODEC_XZ: {
        lzma_stream init = LZMA_STREAM_INIT;
        d->u.x = init;
        /*
         * Multi-threaded decoder: files made of several blocks decode on up
         * to 4 cores; single-block files fall back to one thread. Above
         * memlimit_threading it also falls back, never fails. The budget is
         * small on purpose: Debian's ~23 MB blocks would cost ~100 MB of RSS
         * in parallel, while the crawler already overlaps decoding with
         * parsing (pf_reader_threaded), which keeps both cores busy anyway.
         */
        long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
        lzma_mt mt;
        memset(&mt, 0, sizeof mt);
        mt.flags = LZMA_CONCATENATED;
        mt.threads = ncpu < 1 ? 1 : (ncpu > 4 ? 4 : (uint32_t)ncpu);
        mt.memlimit_threading = (uint64_t)24 << 20;
        mt.memlimit_stop = UINT64_MAX;
        if (lzma_stream_decoder_mt(&d->u.x, &mt) != LZMA_OK)
            return (int)dec_fail(d, "xz: cannot initialise decoder");
        break;
    }
    case PF_CODEC_BZIP2:
        if (BZ2_bzDecompressInit(&d->u.b, 0, 0) != BZ_OK)
            return (int)dec_fail(d, "bzip2: cannot initialise decoder");
        break;
    case PF_CODEC_ZSTD:
        d->u.zs = ZSTD_createDStream();
        if (!d->u.zs)
            return (int)dec_fail(d, "zstd: cannot initialise decoder");
        /* Accept frames made with --long (up to 1 GiB windows). */
        ZSTD_DCtx_setParameter(d->u.zs, ZSTD_d_windowLogMax, 30);
        break;
    case PF_CODEC_BROTLI:
        d->u.br = BrotliDecoderCreateInstance(NULL, NULL, NULL);
        if (!d->u.br)
            return (int)dec_fail(d, "brotli: cannot initialise decoder");
        break;
    case PF_CODEC_NONE:
        break;
    }
    d->engine_live = 1;
    d->member_done = 0;
    return 0;
}

/*
 * After a gzip or bzip2 member ended: decide whether another member follows.
 * Returns 1 to continue with a fresh engine, 0 at the true end, -1 on error.
 * Trailing zero padding is ignored (as gzip does); other trailing bytes are an error.
 */
static int dec_next_member(pf_dec *d, const unsigned char *magic, size_t mlen)
{
    if (dec_refill(d, mlen - 1) < 0)
        return -1;
    for (;;) {
        if (d->in_avail == 0 && d->src_eof)
            return 0;
        if (d->in_avail >= mlen || d->src_eof) {
            if (d->in_avail >= mlen && memcmp(d->in, magic, mlen) == 0)
                return dec_engine_init(d) < 0 ? -1 : 1;
            break;
        }
        if (dec_refill(d, mlen - 1) < 0)
            return -1;
    }
    /* Not a member: accept only zero padding up to the end. */
    for (;;) {
        for (size_t i = 0; i < d->in_avail; i++)
            if (d->in[i] != 0)
                return (int)dec_fail(d, "%s: trailing garbage after compressed data",
                                     pf_codec_name(d->codec));
        d->in += d->in_avail;
        d->in_avail = 0;
        if (d->src_eof)
            return 0;
        if (dec_refill(d, 0) < 0)
            return -1;
    }
}

/* Decode into out[0..n) from gzip; returns bytes produced (may be 0), or -1. */
static ssize_t dec_gzip(pf_dec *d, unsigned char *out, size_t n)
{
    z_stream *z = &d->u.z;
    z->next_in = (unsigned char *)d->in;
    z->avail_in = d->in_avail > UINT_MAX ? UINT_MAX : (uInt)d->in_avail;
    z->next_out = out;
    z->avail_out = n > UINT_MAX ? UINT_MAX : (uInt)n;
    uInt in0 = z->avail_in, out0 = z->avail_out;
    int rc = inflate(z, Z_NO_FLUSH);
    size_t used = in0 - z->avail_in, made = out0 - z->avail_out;
    d->in += used;
    d->in_avail -= used;
    if (rc == Z_STREAM_END) {
        d->member_done = 1;
        return (ssize_t)made;
    }
    if (rc == Z_DATA_ERROR)
        return dec_fail(d, "gzip: compressed data is corrupt (%s)", z->msg ? z->msg : "bad data");
    if (rc == Z_MEM_ERROR)
        return dec_fail(d, "gzip: out of memory");
    if (rc == Z_NEED_DICT)
        return dec_fail(d, "gzip: compressed data is corrupt (needs a dictionary)");
    if (made == 0 && used == 0 && d->in_avail == 0 && d->src_eof)
        return dec_fail(d, "gzip: unexpected end of stream");
    return (ssize_t)made;
}

/* Decode from xz (concatenated streams, padding handled by liblzma). */
static ssize_t dec_xz(pf_dec *d, unsigned char *out, size_t n)
{
    lzma_stream *x = &d->u.x;
    x->next_in = d->in;
    x->avail_in = d->in_avail;
    x->next_out = out;
    x->avail_out = n;
    lzma_ret rc = lzma_code(x, d->src_eof ? LZMA_FINISH : LZMA_RUN);
    size_t used = d->in_avail - x->avail_in, made = n - x->avail_out;
    d->in += used;
    d->in_avail -= used;
    switch (rc) {
    case LZMA_OK:
        return (ssize_t)made;
    case LZMA_STREAM_END:
        d->state = DEC_END;
        return (ssize_t)made;
    case LZMA_BUF_ERROR:
        if (made > 0)
            return (ssize_t)made;
        return dec_fail(d, "xz: unexpected end of stream");
    case LZMA_MEM_ERROR:
    case LZMA_MEMLIMIT_ERROR:
        return dec_fail(d, "xz: out of memory");
    case LZMA_FORMAT_ERROR:
        return dec_fail(d, "xz: not in xz format");
    case LZMA_OPTIONS_ERROR:
        return dec_fail(d, "xz: unsupported compression options");
    case LZMA_DATA_ERROR:
        return dec_fail(d, "xz: compressed data is corrupt");
    default:
        return dec_fail(d, "xz: decoder error %d", (int)rc);
    }
}

/* Decode from bzip2 (members restarted by the caller on BZ_STREAM_END). */
static ssize_t dec_bzip2(pf_dec *d, unsigned char *out, size_t n)
{
    bz_stream *b = &d->u.b;
    b->next_in = (char *)d->in;
    b->avail_in = d->in_avail > UINT_MAX ? UINT_MAX : (unsigned)d->in_avail;
    b->next_out = (char *)out;
    b->avail_out = n > UINT_MAX ? UINT_MAX : (unsigned)n;
    unsigned in0 = b->avail_in, out0 = b->avail_out;
    int rc = BZ2_bzDecompress(b);
    size_t used = in0 - b->avail_in, made = out0 - b->avail_out;
    d->in += used;
    d->in_avail -= used;
    if (rc == BZ_STREAM_END) {
        d->member_done = 1;
        return (ssize_t)made;
    }
    if (rc == BZ_DATA_ERROR || rc == BZ_DATA_ERROR_MAGIC)
        return dec_fail(d, "bzip2: compressed data is corrupt");
    if (rc == BZ_MEM_ERROR)
        return dec_fail(d, "bzip2: out of memory");
    if (rc != BZ_OK)
        return dec_fail(d, "bzip2: decoder error %d", rc);
    if (made == 0 && used == 0 && d->in_avail == 0 && d->src_eof)
        return dec_fail(d, "bzip2: unexpected end of stream");
    return (ssize_t)made;
}

/* Decode from zstd; frames follow each other transparently. */
static ssize_t dec_zstd(pf_dec *d, unsigned char *out, size_t n)
{
    ZSTD_inBuffer ib = {d->in, d->in_avail, 0};
    ZSTD_outBuffer ob = {out, n, 0};
    size_t rc = ZSTD_decompressStream(d->u.zs, &ob, &ib);
    d->in += ib.pos;
    d->in_avail -= ib.pos;
    if (ZSTD_isError(rc))
        return dec_fail(d, "zstd: compressed data is corrupt (%s)", ZSTD_getErrorName(rc));
    /* rc == 0: a frame ended exactly here; member_done tells read() it may stop at EOF. */
    d->member_done = rc == 0;
    if (ob.pos == 0 && ib.pos == 0 && d->in_avail == 0 && d->src_eof) {
        if (rc == 0)
            d->state = DEC_END;
        else
            return dec_fail(d, "zstd: unexpected end of stream");
    }
    return (ssize_t)ob.pos;
}

/* Decode from brotli (a single stream; trailing bytes are an error). */
static ssize_t dec_brotli(pf_dec *d, unsigned char *out, size_t n)
{
    size_t avail_in = d->in_avail, avail_out = n;
    const uint8_t *next_in = d->in;
    uint8_t *next_out = out;
    BrotliDecoderResult rc =
        BrotliDecoderDecompressStream(d->u.br, &avail_in, &next_in, &avail_out, &next_out, NULL);
    size_t made = n - avail_out;
    d->in = next_in;
    d->in_avail = avail_in;
    if (rc == BROTLI_DECODER_RESULT_ERROR)
        return dec_fail(d, "brotli: compressed data is corrupt (%s)",
                        BrotliDecoderErrorString(BrotliDecoderGetErrorCode(d->u.br)));
    if (rc == BROTLI_DECODER_RESULT_SUCCESS) {
        if (d->in_avail > 0 || (dec_refill(d, 0) == 0 && d->in_avail > 0))
            return dec_fail(d, "brotli: trailing garbage after compressed data");
        if (d->state != DEC_ERROR)
            d->state = DEC_END;
        return d->state == DEC_ERROR ? -1 : (ssize_t)made;
    }
    if (rc == BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT && made == 0 && d->in_avail == 0 && d->src_eof)
        return dec_fail(d, "brotli: unexpected end of stream");
    return (ssize_t)made;
}

/* Copy undecoded bytes (PF_CODEC_NONE): buffered ones first, then straight from the FILE. */
static ssize_t dec_plain(pf_dec *d, unsigned char *out, size_t n)
{
    if (d->in_avail > 0) {
        size_t k = d->in_avail < n ? d->in_avail : n;
        memcpy(out, d->in, k);
        d->in += k;
        d->in_avail -= k;
        return (ssize_t)k;
    }
    if (d->src_eof || !d->fp) {
        d->state = DEC_END;
        return 0;
    }
    size_t got = fread(out, 1, n, d->fp);
    if (got == 0) {
        if (ferror(d->fp))
            return dec_fail(d, "read error: %s", strerror(errno ? errno : EIO));
        d->src_eof = 1;
        d->state = DEC_END;
    }
    return (ssize_t)got;
}

/*
 * pf_reader.read for every codec: loops until some bytes are produced, the
 * stream ends, or an error occurs; enforces base.limit.
 */
static ssize_t dec_read(pf_reader *r, void *buf, size_t n)
{
    pf_dec *d = (pf_dec *)r;
    if (d->state == DEC_ERROR)
        return -1;
    if (d->state == DEC_END || n == 0)
        return 0;
    /* Ask for at most one byte beyond the limit: enough to detect overflow. */
    if (r->limit && n > r->limit - r->nread + 1)
        n = (size_t)(r->limit - r->nread + 1);
    if (n > (size_t)SSIZE_MAX)
        n = (size_t)SSIZE_MAX;
    ssize_t got = 0;
    while (got == 0 && d->state == DEC_RUN) {
        if (d->member_done && d->codec != PF_CODEC_ZSTD) {
            static const unsigned char gz_magic[] = {0x1f, 0x8b};
            static const unsigned char bz_magic[] = {'B', 'Z', 'h'};
            int more = d->codec == PF_CODEC_GZIP ? dec_next_member(d, gz_magic, 2)
                                                 : dec_next_member(d, bz_magic, 3);
            if (more < 0)
                return -1;
            if (more == 0) {
                d->state = DEC_END;
                break;
            }
        }
        if (d->codec != PF_CODEC_NONE && d->in_avail == 0 && dec_refill(d, 0) < 0)
            return -1;
        if (d->codec == PF_CODEC_ZSTD && d->member_done && d->in_avail == 0 && d->src_eof) {
            d->state = DEC_END;
            break;
        }
        switch (d->codec) {
        case PF_CODEC_NONE:
            got = dec_plain(d, buf, n);
            break;
        case PF_CODEC_GZIP:
            got = dec_gzip(d, buf, n);
            break;
        case PF_CODEC_XZ:
            got = dec_xz(d, buf, n);
            break;
        case PF_CODEC_BZIP2:
            got = dec_bzip2(d, buf, n);
            break;
        case PF_CODEC_ZSTD:
            got = dec_zstd(d, buf, n);
            break;
        case PF_CODEC_BROTLI:
            got = dec_brotli(d, buf, n);
            break;
        }
        if (got < 0)
            return -1;
    }
    if (r->limit && r->nread + (uint64_t)got > r->limit) {
        /* Hand out the bytes up to the limit; the error comes with the next read. */
        dec_fail(d, "decoded size exceeds %llu bytes", (unsigned long long)r->limit);
        got = (ssize_t)(r->limit - r->nread);
        if (got == 0)
            return -1;
    }
    r->nread += (uint64_t)got;
    return got;
}

/* pf_reader.close: free the engine, the buffer, and the FILE if owned. */
static void dec_close(pf_reader *r)
{
    pf_dec *d = (pf_dec *)r;
    dec_engine_end(d);
    if (d->owns_fp && d->fp)
        fclose(d->fp);
    free(d->inbuf);
    free(d);
}

/* Build a decoding reader once the source is set up: sniff, apply the hint, start the engine. */
static pf_reader *dec_start(pf_dec *d, pf_codec hint, uint64_t max_decoded, char *err,
                            size_t errlen)
{
    d->base.read = dec_read;
    d->base.close = dec_close;
    d->base.limit = max_decoded;
    d->codec = pf_codec_sniff(d->in, d->in_avail);
    if (d->codec == PF_CODEC_NONE && hint == PF_CODEC_BROTLI)
        d->codec = PF_CODEC_BROTLI;
    if (dec_engine_init(d) < 0) {
        if (err && errlen)
            snprintf(err, errlen, "%s", d->base.err);
        d->owns_fp = 0;
        dec_close(&d->base);
        return NULL;
    }
    return &d->base;
}

/* Decoding reader over a FILE (not owned). */
pf_reader *pf_reader_open_file(FILE *fp, pf_codec hint, uint64_t max_decoded, char *err,
                               size_t errlen)
{
    pf_dec *d = calloc(1, sizeof *d);
    unsigned char *inbuf = malloc(PF_INBUF_SIZE);
    if (!d || !inbuf || !fp) {
        if (err && errlen)
            snprintf(err, errlen, "%s", fp ? "out of memory" : "no input file");
        free(d);
        free(inbuf);
        return NULL;
    }
    d->fp = fp;
    d->inbuf = inbuf;
    d->in = inbuf;
    /* Read until the magic can be seen (a pipe may deliver fewer bytes at first). */
    while (d->in_avail < 6 && !d->src_eof) {
        if (dec_refill(d, d->in_avail) < 0) {
            if (err && errlen)
                snprintf(err, errlen, "%s", d->base.err);
            dec_close(&d->base);
            return NULL;
        }
    }
    return dec_start(d, hint, max_decoded, err, errlen);
}

/* Open a path and wrap it; the reader owns the FILE. */
pf_reader *pf_reader_open_path(const char *path, uint64_t max_decoded, char *err, size_t errlen)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        if (err && errlen)
            snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    pf_reader *r = pf_reader_open_file(fp, pf_codec_from_name(path), max_decoded, err, errlen);
    if (!r) {
        fclose(fp);
        return NULL;
    }
    ((pf_dec *)r)->owns_fp = 1;
    return r;
}

/* Reader over a caller-owned memory buffer; the whole buffer is the input. */
pf_reader *pf_reader_open_mem(const void *buf, size_t len, pf_codec hint, char *err, size_t errlen)
{
    pf_dec *d = calloc(1, sizeof *d);
    if (!d) {
        if (err && errlen)
            snprintf(err, errlen, "out of memory");
        return NULL;
    }
    d->in = buf;
    d->in_avail = buf ? len : 0;
    d->src_eof = 1;
    return dec_start(d, hint, 0, err, errlen);
}

/* Close any reader; NULL is a no-op. */
void pf_reader_close(pf_reader *r)
{
    if (r)
        r->close(r);
}

/* ---------------------------------------------------------------------------------------- */
/* Read-ahead reader: a producer thread fills buffers from `inner`, the consumer drains them. */

#define PF_RA_SLOTS 4
#define PF_RA_SIZE  (256u * 1024u)

typedef struct pf_ra_slot {
    unsigned char *data;
    size_t len;
    int status; /* 1 = data, 0 = end of stream, -1 = error (err copied to the reader) */
} pf_ra_slot;

typedef struct pf_ra {
    pf_reader base;
    pf_reader *inner; /* owned; touched only by the producer thread while it runs */
    pthread_t thread;
    int thread_live;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pf_ra_slot slot[PF_RA_SLOTS];
    /* Guarded by mu: slots [head, head+count) are filled, in ring order. */
    unsigned head, count;
    int stop;        /* consumer asks the producer to quit */
    size_t pos;      /* consumer's position in slot[head] */
    int final;       /* consumer saw end (0) or error (-1) */
    int final_state; /* 0 end, -1 error */
    char inner_err[256];
} pf_ra;

/* Producer: decode into free slots until end, error, or stop. */
static void *ra_producer(void *arg)
{
    pf_ra *ra = arg;
    unsigned tail = 0;
    for (;;) {
        pthread_mutex_lock(&ra->mu);
        while (ra->count == PF_RA_SLOTS && !ra->stop)
            pthread_cond_wait(&ra->cv, &ra->mu);
        int stop = ra->stop;
        pthread_mutex_unlock(&ra->mu);
        if (stop)
            break;
        /* The slot at tail is free: only this thread writes it until it is published. */
        pf_ra_slot *s = &ra->slot[tail];
        ssize_t got = 0;
        size_t fill = 0;
        while (fill < PF_RA_SIZE) {
            got = ra->inner->read(ra->inner, s->data + fill, PF_RA_SIZE - fill);
            if (got <= 0)
                break;
            fill += (size_t)got;
        }
        s->len = fill;
        s->status = fill > 0 ? 1 : (int)got;
        if (got < 0 && fill == 0)
            snprintf(ra->inner_err, sizeof ra->inner_err, "%s", ra->inner->err);
        pthread_mutex_lock(&ra->mu);
        ra->count++;
        pthread_cond_broadcast(&ra->cv);
        pthread_mutex_unlock(&ra->mu);
        tail = (tail + 1) % PF_RA_SLOTS;
        if (s->status <= 0)
            break;
        /* A short fill with data and then end/error: the next round reports it (read returns
         * 0/-1 again; readers are sticky). */
    }
    return NULL;
}

/* pf_reader.read for the read-ahead reader: copy from the head slot, waiting if needed. */
static ssize_t ra_read(pf_reader *r, void *buf, size_t n)
{
    pf_ra *ra = (pf_ra *)r;
    if (ra->final)
        return ra->final_state;
    if (n == 0)
        return 0;
    pthread_mutex_lock(&ra->mu);
    while (ra->count == 0)
        pthread_cond_wait(&ra->cv, &ra->mu);
    pthread_mutex_unlock(&ra->mu);
    pf_ra_slot *s = &ra->slot[ra->head];
    if (s->status <= 0) {
        ra->final = 1;
        ra->final_state = s->status;
        if (s->status < 0)
            snprintf(r->err, sizeof r->err, "%s", ra->inner_err);
        return s->status;
    }
    size_t k = s->len - ra->pos < n ? s->len - ra->pos : n;
    memcpy(buf, s->data + ra->pos, k);
    ra->pos += k;
    if (ra->pos == s->len) {
        ra->pos = 0;
        pthread_mutex_lock(&ra->mu);
        ra->head = (ra->head + 1) % PF_RA_SLOTS;
        ra->count--;
        pthread_cond_broadcast(&ra->cv);
        pthread_mutex_unlock(&ra->mu);
    }
    r->nread += k;
    return (ssize_t)k;
}

/* pf_reader.close: stop and join the producer, close inner, free the slots. */
static void ra_close(pf_reader *r)
{
    pf_ra *ra = (pf_ra *)r;
    if (ra->thread_live) {
        pthread_mutex_lock(&ra->mu);
        ra->stop = 1;
        pthread_cond_broadcast(&ra->cv);
        pthread_mutex_unlock(&ra->mu);
        pthread_join(ra->thread, NULL);
    }
    pthread_cond_destroy(&ra->cv);
    pthread_mutex_destroy(&ra->mu);
    for (int i = 0; i < PF_RA_SLOTS; i++)
        free(ra->slot[i].data);
    pf_reader_close(ra->inner);
    free(ra);
}

/*
 * Wrap `inner` so that it is read by a second thread, overlapping decoding
 * with whatever the caller does with the bytes. The returned reader owns
 * inner (also on failure, when inner is closed and NULL returned). Errors of
 * inner surface, with its message, after all bytes decoded before them.
 */
pf_reader *pf_reader_threaded(pf_reader *inner)
{
    if (!inner)
        return NULL;
    pf_ra *ra = calloc(1, sizeof *ra);
    if (!ra) {
        pf_reader_close(inner);
        return NULL;
    }
    ra->base.read = ra_read;
    ra->base.close = ra_close;
    ra->base.limit = inner->limit; /* informational: inner enforces it */
    ra->inner = inner;
    pthread_mutex_init(&ra->mu, NULL);
    pthread_cond_init(&ra->cv, NULL);
    for (int i = 0; i < PF_RA_SLOTS; i++) {
        ra->slot[i].data = malloc(PF_RA_SIZE);
        if (!ra->slot[i].data) {
            ra_close(&ra->base);
            return NULL;
        }
    }
    if (pthread_create(&ra->thread, NULL, ra_producer, ra) != 0) {
        ra_close(&ra->base);
        return NULL;
    }
    ra->thread_live = 1;
    return &ra->base;
}

/* ---------------------------------------------------------------------------------------- */
/* Line reader. */

#define PF_LINES_CHUNK (256u * 1024u)

/*
 * Invariants: buf[start, end) holds bytes not yet returned; buf[start, scan)
 * is known to contain no '\n'; cap > end always (room for a NUL); eof is set
 * once the input reported end.
 */
struct pf_lines {
    pf_reader *in; /* not owned */
    size_t max_line;
    unsigned char *buf;
    size_t cap, start, end, scan;
    int eof;
    int failed;
    uint64_t lineno;
    char err[256];
};

/* New line reader over `in` (not owned). max_line 0 means no limit. */
pf_lines *pf_lines_new(pf_reader *in, size_t max_line)
{
    pf_lines *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    l->in = in;
    l->max_line = max_line ? max_line : SIZE_MAX - 4;
    l->cap = PF_LINES_CHUNK + 1;
    l->buf = malloc(l->cap);
    if (!l->buf) {
        free(l);
        return NULL;
    }
    return l;
}

/* Record a line-reader error and return -1. */
static int lines_fail(pf_lines *l, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(l->err, sizeof l->err, fmt, ap);
    va_end(ap);
    l->failed = 1;
    return -1;
}

/* Hand out buf[start, stop) as a line, dropping one trailing '\r'; stop is consumed past `skip`. */
static int lines_emit(pf_lines *l, size_t stop, size_t skip, char **line, size_t *len)
{
    size_t n = stop - l->start;
    if (n > 0 && l->buf[stop - 1] == '\r')
        n--;
    if (n > l->max_line)
        return lines_fail(l, "line %llu longer than %zu bytes", (unsigned long long)(l->lineno + 1),
                          l->max_line);
    unsigned char *p = l->buf + l->start;
    p[n] = 0; /* overwrites '\r', '\n' or the spare byte at end */
    *line = (char *)p;
    *len = n;
    l->start = stop + skip;
    l->scan = l->start;
    l->lineno++;
    return 1;
}

/* Next line: 1 with line and len set, 0 at end, -1 on error. */
int pf_lines_next(pf_lines *l, char **line, size_t *len)
{
    if (l->failed)
        return -1;
    for (;;) {
        unsigned char *nl =
            l->scan < l->end ? memchr(l->buf + l->scan, '\n', l->end - l->scan) : NULL;
        if (nl)
            return lines_emit(l, (size_t)(nl - l->buf), 1, line, len);
        l->scan = l->end;
        size_t pending = l->end - l->start;
        /* +1: a '\r' before the '\n' does not count towards the line. */
        if (pending > l->max_line + 1)
            return lines_fail(l, "line %llu longer than %zu bytes",
                              (unsigned long long)(l->lineno + 1), l->max_line);
        if (l->eof) {
            if (pending == 0)
                return 0;
            return lines_emit(l, l->end, 0, line, len);
        }
        /* Make room: slide pending bytes to the front, grow only when a line needs it. */
        if (l->start > 0 && (l->cap - 1 - l->end < PF_LINES_CHUNK / 2 || pending == 0)) {
            memmove(l->buf, l->buf + l->start, pending);
            l->start = 0;
            l->end = l->scan = pending;
        }
        if (l->cap - 1 - l->end < PF_LINES_CHUNK / 2) {
            size_t ncap = (l->cap - 1) * 2 + 1;
            unsigned char *nb = realloc(l->buf, ncap);
            if (!nb)
                return lines_fail(l, "out of memory");
            l->buf = nb;
            l->cap = ncap;
        }
        ssize_t got = l->in->read(l->in, l->buf + l->end, l->cap - 1 - l->end);
        if (got < 0)
            return lines_fail(l, "%s", l->in->err[0] ? l->in->err : "read error");
        if (got == 0)
            l->eof = 1;
        l->end += (size_t)got;
    }
}

/* The error message of the last failed pf_lines_next. */
const char *pf_lines_error(const pf_lines *l)
{
    return l->err;
}

/* Number of lines returned so far (the current line's number). */
uint64_t pf_lines_lineno(const pf_lines *l)
{
    return l->lineno;
}

/* Free the line reader (not the underlying pf_reader). */
void pf_lines_free(pf_lines *l)
{
    if (!l)
        return;
    free(l->buf);
    free(l);
}
