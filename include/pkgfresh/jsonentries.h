/*
 * jsonentries.h — run a callback on every entry of a big JSON document.
 *
 * The loop every JSON format repeats: split the document with jsonstream
 * (one entry at a time, memory bounded by the largest entry), parse each
 * entry with jansson, hand the tree to the format's callback, free it. Errors
 * (structure, truncation, an entry jansson rejects) are one line starting
 * with the format's name and naming the byte offset.
 *
 * Also the small typed getters the callbacks share.
 */
#ifndef PKGFRESH_JSONENTRIES_H
#define PKGFRESH_JSONENTRIES_H

#include <jansson.h>

#include "pkgfresh/jsonstream.h"
#include "pkgfresh/reader.h"

/* Receives one entry (owned by the loop); returns 0 to go on, non-zero to stop with that value. */
typedef int (*pf_json_entry_fn)(void *ctx, const json_t *entry);

/*
 * Split `in` as `shape` (with `member` for the member shapes), parse each
 * entry and call fn. Returns 0 at the end of the document, -1 on an error
 * (message "<fmt>: ..." in err), or fn's non-zero value.
 */
int pf_json_entries(pf_reader *in, pf_js_shape shape, const char *member, const char *fmt,
                    pf_json_entry_fn fn, void *ctx, char *err, size_t errlen);

/* obj[key] when obj is an object and the value a non-empty string, else NULL. */
const char *pf_json_str(const json_t *obj, const char *key);

#endif
