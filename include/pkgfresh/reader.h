/*
 * reader.h — the byte stream a parser pulls from.
 *
 * A pf_reader hides where bytes come from (a file, a decompressor, a tar
 * member). Parsers never see the network or a path. Errors carry a one-line
 * cause in err[].
 */
#ifndef PKGFRESH_READER_H
#define PKGFRESH_READER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

typedef struct pf_reader pf_reader;
struct pf_reader {
    /* Read up to n bytes into buf: count read, 0 at end, -1 on error (err set). */
    ssize_t (*read)(pf_reader *r, void *buf, size_t n);
    /* Release everything the reader owns (not the underlying FILE unless it opened it). */
    void (*close)(pf_reader *r);
    uint64_t nread; /* decoded bytes delivered so far */
    uint64_t limit; /* maximum decoded bytes, 0 = unlimited; exceeding it is an error */
    char err[256];
};

/* Compression of a byte stream, detected from magic bytes. */
typedef enum pf_codec {
    PF_CODEC_NONE,
    PF_CODEC_GZIP,
    PF_CODEC_XZ,
    PF_CODEC_BZIP2,
    PF_CODEC_ZSTD,
    PF_CODEC_BROTLI /* no magic: only from a hint (file name .br, Content-Encoding) */
} pf_codec;

const char *pf_codec_name(pf_codec c);

/* Codec from the first bytes of a stream (n >= 6 recommended). */
pf_codec pf_codec_sniff(const unsigned char *buf, size_t n);

/* Codec from a name suffix (".gz", ".xz", ".bz2", ".zst", ".br"), PF_CODEC_NONE otherwise. */
pf_codec pf_codec_from_name(const char *name);

/*
 * Open a decoding reader over fp (not owned: the caller closes fp after
 * closing the reader). The codec is sniffed from the stream; `hint` is used
 * only when nothing is recognised (brotli has no magic). max_decoded caps the
 * decoded size (0 = unlimited). Returns NULL with a message in err on failure.
 */
pf_reader *pf_reader_open_file(FILE *fp, pf_codec hint, uint64_t max_decoded, char *err,
                               size_t errlen);

/* Convenience: open path read-only, then as pf_reader_open_file; the reader owns the FILE. */
pf_reader *pf_reader_open_path(const char *path, uint64_t max_decoded, char *err, size_t errlen);

/* Reader over a memory buffer (not copied, must outlive the reader). Codec sniffed as above. */
pf_reader *pf_reader_open_mem(const void *buf, size_t len, pf_codec hint, char *err, size_t errlen);

/* Close and free; NULL is a no-op. */
void pf_reader_close(pf_reader *r);

/*
 * Read-ahead: a second thread pulls from `inner` into a few 256 KiB buffers
 * while the caller consumes them, so decoding and parsing overlap on two
 * cores. The returned reader owns inner (closed with it, also when this
 * returns NULL on failure). inner's limit still applies; an error of inner
 * is reported (with its message) after the bytes decoded before it.
 * Worth it for single-threaded codecs (gzip, bzip2, zstd, brotli, one-block
 * xz) when the consumer does real work; multi-block xz (Debian's) already
 * decodes on several cores inside liblzma, so wrapping it gains little.
 */
pf_reader *pf_reader_threaded(pf_reader *inner);

/*
 * Line reader on top of a pf_reader: returns lines without the trailing
 * "\n" (and "\r"), NUL-terminated, valid until the next call. Lines longer
 * than max_line are an error. Used by the text formats (deb822, INDEX, tsv).
 */
typedef struct pf_lines pf_lines;
pf_lines *pf_lines_new(pf_reader *in, size_t max_line);
/* 1 = got a line (*line, *len set), 0 = end of input, -1 = error (pf_lines_error). */
int pf_lines_next(pf_lines *l, char **line, size_t *len);
const char *pf_lines_error(const pf_lines *l);
uint64_t pf_lines_lineno(const pf_lines *l);
void pf_lines_free(pf_lines *l);

#endif
