/*
 * jsonentries.h — run a callback on every entry of a big JSON document.
 *
 * The loop every JSON format repeats: split the document with jsonstream
 * (one entry at a time, memory bounded by the largest entry) and hand each
 * entry's text to the format's callback, which reads the members it needs
 * with jsonobj.h. Errors (structure, truncation) are one line starting with
 * the format's name and naming the byte offset; an entry the callback's
 * fast reading refuses goes to pf_json_entry_error, which lets jansson
 * judge it, so a broken document gets jansson's exact message.
 */
#ifndef PKGFRESH_JSONENTRIES_H
#define PKGFRESH_JSONENTRIES_H

#include "pkgfresh/format.h"
#include "pkgfresh/jsonobj.h"
#include "pkgfresh/jsonstream.h"
#include "pkgfresh/reader.h"
#include "pkgfresh/strlist.h"

/*
 * Receives one entry (valid during the call). Returns 0 to go on, -1 on a
 * fatal error with a one-line message in err (starting with the format's
 * name), any other value to stop the loop with that value.
 */
typedef int (*pf_json_entry_fn)(void *ctx, const pf_js_entry *e, char *err, size_t errlen);

/*
 * Split `in` as `shape` (with `member` for the member shapes) and call fn on
 * each entry. Returns 0 at the end of the document, -1 on an error (message
 * "<fmt>: ..." in err), or fn's non-zero value.
 */
int pf_json_entries(pf_reader *in, pf_js_shape shape, const char *member, const char *fmt,
                    pf_json_entry_fn fn, void *ctx, char *err, size_t errlen);

/*
 * jansson's verdict on an entry the fast reading refused: -1 with
 * "<fmt>: invalid JSON at byte N: <jansson's message>" in err when jansson
 * rejects it too, 0 when jansson accepts it (the entry is then valid JSON
 * of an unexpected shape: the caller skips it).
 */
int pf_json_entry_error(const pf_js_entry *e, const char *fmt, char *err, size_t errlen);

/*
 * The state every JSON format parser keeps, and the parse around its entry
 * callback. A format embeds pf_json_parse as the first member of its context
 * (or uses it alone) and passes its entry callback to pf_json_parse_all.
 */
typedef struct pf_json_parse {
    pf_emit_fn emit;
    void *ectx;
    pf_parse_stats *stats;
    const char *fmt;  /* the format's name, for messages */
    pf_jdec dec;      /* the entry's decoded strings */
    pf_strlist lists; /* the record's list fields */
    int oom;          /* set by a callback before returning -1 when out of memory */
} pf_json_parse;

/*
 * Run the entry loop with fn and ctx (whose first member is p, set up from
 * the parser's arguments here), then: free p's buffers; fail with
 * "<fmt>: out of memory" when a callback set p->oom; otherwise apply
 * pf_parse_check_skipped with `what`. Returns as a pf_parse_fn does.
 */
int pf_json_parse_all(pf_json_parse *p, pf_reader *in, pf_js_shape shape, const char *member,
                      const char *fmt, const char *what, pf_json_entry_fn fn, void *ctx,
                      pf_emit_fn emit, void *ectx, pf_parse_stats *stats, char *err, size_t errlen);

/*
 * An entry the fast reading refused: -1 (err set) when jansson rejects it
 * too, else 0 with the entry counted as skipped (valid JSON, wrong shape).
 */
int pf_json_refused(pf_json_parse *p, const pf_js_entry *e, char *err, size_t errlen);

/* Emit rec and count it; returns emit's value. */
int pf_json_emit(pf_json_parse *p, const pf_record *rec);

#endif
