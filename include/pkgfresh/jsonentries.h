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

#include "pkgfresh/jsonstream.h"
#include "pkgfresh/reader.h"

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

#endif
