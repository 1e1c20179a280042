/*
 * jsonobj.h — read a few members of one JSON entry straight from its text.
 *
 * The JSON formats take a handful of fields from entries of a few hundred
 * bytes each; building a jansson tree per entry costs several times the
 * decompression of the file. jsonstream has already checked an entry's
 * strings (no raw control bytes, escapes paired) and brackets, so one pass
 * over the top-level members can note where the wanted values lie, skip
 * the rest by bracket matching, and decode only the strings a record needs.
 *
 * The scan validates everything it passes over as jansson 2.14 does: strings
 * (escapes, \u surrogate pairs, \u0000 refused, strict UTF-8), numbers
 * (grammar; integers within long long, reals within double), literals,
 * commas and colons, at every depth. A text the scan refuses is handed to
 * jansson (pf_json_entry_error) for the exact message. Member names are
 * compared decoded ("N\u0061me" is "Name"); for a name given twice the last
 * one counts, as in jansson.
 */
#ifndef PKGFRESH_JSONOBJ_H
#define PKGFRESH_JSONOBJ_H

#include <stddef.h>
#include <string.h>

/* A value's raw text: p[0..n) ('"', '{', '[', a digit, '-', t, f or n first); p NULL = absent. */
typedef struct pf_jv {
    const char *p;
    size_t n;
} pf_jv;

/* Is v a string? (Value kinds are told by their first byte.) */
static inline int pf_jv_is_string(pf_jv v)
{
    return v.p && v.p[0] == '"';
}
/* Is v an object? */
static inline int pf_jv_is_object(pf_jv v)
{
    return v.p && v.p[0] == '{';
}
/* Is v an array? */
static inline int pf_jv_is_array(pf_jv v)
{
    return v.p && v.p[0] == '[';
}
/* Is v a number without fraction or exponent? */
static inline int pf_jv_is_integer(pf_jv v)
{
    return v.p && (v.p[0] == '-' || (v.p[0] >= '0' && v.p[0] <= '9')) && !memchr(v.p, '.', v.n) &&
           !memchr(v.p, 'e', v.n) && !memchr(v.p, 'E', v.n);
}

/*
 * An integer value as jansson prints it ("%lld": "-0" -> "0") into buf:
 * 1 = done, 0 = v is absent or not an integer, -1 = out of range (jansson
 * refuses such a document) or buf too small.
 */
int pf_jv_integer_text(pf_jv v, char *buf, size_t n);

/*
 * One pass over the members of the object value v: out[k] gets the value of
 * member keys[k] (absent: p NULL; every out[k] starts absent, whatever the
 * result). Returns 0, 1 when v is not an object, -1 when the member syntax
 * is malformed.
 */
int pf_jobj_scan(pf_jv v, const char *const *keys, size_t nkeys, pf_jv *out);

/*
 * pf_jobj_scan for a value that must fill v: -1 also when anything but
 * white space follows the object (one line of NDJSON, say).
 */
int pf_jobj_scan_whole(pf_jv v, const char *const *keys, size_t nkeys, pf_jv *out);

/*
 * Next member of object value obj from *pos (0 to start): 1 = *key (the
 * raw name, a string value: decode it with pf_jdec_str) and *val set, 0 =
 * end, -1 = malformed. Members come in document order, duplicates included.
 */
int pf_jobj_next(pf_jv obj, size_t *pos, pf_jv *key, pf_jv *val);

/* Next element of array value arr from *pos (0 to start): 1 = *el set, 0 = end, -1 = malformed. */
int pf_jarr_next(pf_jv arr, size_t *pos, pf_jv *el);

/*
 * Decoded strings of one entry. pf_jdec_reset reserves room for every
 * string of an entry of `len` bytes to be decoded once, so the pointers
 * pf_jdec_str returns stay valid until the next reset.
 */
typedef struct pf_jdec {
    char *p;
    size_t len, cap;
} pf_jdec;

/* Prepare for an entry of len bytes: 0, or -1 when out of memory. */
int pf_jdec_reset(pf_jdec *d, size_t len);

/*
 * Decode string value v: 1 = *out points at the NUL-terminated text, 0 = v
 * is absent or not a string, -1 = invalid (bad escape or UTF-8, \u0000, or
 * the reserved room exhausted).
 */
int pf_jdec_str(pf_jdec *d, pf_jv v, const char **out);

/* Free the buffer. */
void pf_jdec_free(pf_jdec *d);

#endif
