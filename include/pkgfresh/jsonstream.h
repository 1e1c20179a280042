/*
 * jsonstream.h — split a big JSON document into its entries, streaming.
 *
 * Package indexes in JSON (nixpkgs packages.json, Homebrew formula.json) are
 * one huge document made of many small, independent entries. The splitter
 * walks the bytes of a pf_reader, tracking strings (with escapes) and
 * nesting, and hands out one entry at a time as a complete JSON text that
 * the caller parses alone (jansson json_loadb, or nix-json's own extractor),
 * so memory stays bounded by the largest entry, not the document.
 *
 * Three shapes are supported:
 *   - PF_JS_ARRAY: the document is a top-level array; each element is an
 *     entry, handed out as is ("{...}").
 *   - PF_JS_MEMBERS: the document is a top-level object; each member of the
 *     object held by its top-level member `member` ("packages") is an entry,
 *     handed out wrapped as a one-member object ("{\"key\":{...}}"). Other
 *     top-level members are skipped (not copied).
 *   - PF_JS_MEMBER_ARRAY: the document is a top-level object; each element of
 *     the array held by its top-level member `member` ("packages", "ports")
 *     is an entry, handed out as is. Other top-level members are skipped.
 *
 * The splitter checks the structure between entries (commas, brackets,
 * strings, nesting) strictly; the inside of scalars is left to the caller's
 * JSON parser. Errors name the byte offset in the decoded stream.
 */
#ifndef PKGFRESH_JSONSTREAM_H
#define PKGFRESH_JSONSTREAM_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "pkgfresh/reader.h"

#define PF_JS_MAX_DEPTH 64                 /* default nesting limit */
#define PF_JS_MAX_ENTRY ((size_t)16 << 20) /* default per-entry size limit (16 MiB) */

typedef enum pf_js_shape {
    PF_JS_ARRAY,        /* [ entry, entry, ... ] */
    PF_JS_MEMBERS,      /* { ..., "<member>": { "k": entry, ... }, ... } */
    PF_JS_MEMBER_ARRAY, /* { ..., "<member>": [ entry, ... ], ... } */
} pf_js_shape;

typedef struct pf_jsonstream pf_jsonstream;

#define PF_JS_SPAN_LEVELS 3    /* pf_js_entry.spans: nesting levels recorded */
#define PF_JS_MAX_SPANS   4096 /* pf_js_entry.spans: at most this many per entry */

/* Where one object or array of an entry starts and ends: offsets in pf_js_entry.text. */
typedef struct pf_js_span {
    size_t open;  /* its '{' or '[' */
    size_t close; /* the matching '}' or ']' */
} pf_js_span;

/* One entry: a complete JSON text, valid until the next call to pf_jsonstream_next. */
typedef struct pf_js_entry {
    const char *text; /* the JSON text, NUL-terminated at text[len] */
    size_t len;       /* bytes of text */
    uint64_t offset;  /* byte offset of the entry's first byte in the decoded stream */
    size_t prefix;    /* bytes of text added by the splitter before the input bytes (0 or 1) */
    /*
     * The objects and arrays the splitter matched while scanning the entry's
     * value, at nesting levels 1 (the value itself) to PF_JS_SPAN_LEVELS, in
     * the order of their opening brackets; the first PF_JS_MAX_SPANS only.
     * A parser may use them to jump over a value instead of scanning it again.
     */
    const pf_js_span *spans;
    size_t nspans;
} pf_js_entry;

/*
 * The first byte in [p, end) that a JSON string scanner must look at: '"',
 * '\\', a control byte (< 0x20) and, with stop_high, any byte >= 0x80
 * (UTF-8); end when there is none. Shared by the splitter and the parsers
 * that read its entries, whose strings are mostly runs of plain bytes.
 *
 * SWAR, 8 bytes at a time: (x - 0x01..) & ~x & 0x80.. flags the bytes of x
 * that are zero, (x - 0x20..) & ~x & 0x80.. those below 0x20. A borrow can
 * flag a byte above a true one, never below it, so the lowest flag is exact:
 * on little-endian machines with GCC/Clang its index comes from ctz, else a
 * byte loop finds it.
 */
static inline const unsigned char *pf_js_plain_end(const unsigned char *p, const unsigned char *end,
                                                   int stop_high)
{
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    while (end - p >= 8) {
        uint64_t w;
        memcpy(&w, p, sizeof w);
        uint64_t q = w ^ (ones * '"'), b = w ^ (ones * '\\');
        uint64_t m = ((q - ones) & ~q) | ((b - ones) & ~b) | ((w - ones * 0x20) & ~w);
        m = (m | (stop_high ? w : 0)) & highs;
        if (m) {
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
            return p + (__builtin_ctzll(m) >> 3);
#else
            break;
#endif
        }
        p += 8;
    }
    while (p < end && *p != '"' && *p != '\\' && *p >= 0x20 && !(stop_high && *p >= 0x80))
        p++;
    return p;
}

/*
 * New splitter over `in` (not owned). `member` names the top-level member to
 * descend into for PF_JS_MEMBERS (ignored for PF_JS_ARRAY). max_depth 0 and
 * max_entry 0 mean the defaults above. Returns NULL when out of memory.
 */
pf_jsonstream *pf_jsonstream_new(pf_reader *in, pf_js_shape shape, const char *member,
                                 int max_depth, size_t max_entry);

/* 1 = *e holds the next entry, 0 = end of the document, -1 = error (pf_jsonstream_error). */
int pf_jsonstream_next(pf_jsonstream *js, pf_js_entry *e);

/* One-line cause of the last error ("invalid JSON at byte N: ..."). */
const char *pf_jsonstream_error(const pf_jsonstream *js);

/* Decoded bytes consumed so far. */
uint64_t pf_jsonstream_offset(const pf_jsonstream *js);

/* Free the splitter (not the reader); NULL is a no-op. */
void pf_jsonstream_free(pf_jsonstream *js);

#endif
