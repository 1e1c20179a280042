/*
 * jsoneach.h — run a callback on every entry of a huge JSON document.
 *
 * The loop the JSON formats share: pf_jsonstream splits the document into
 * entries (any shape of jsonstream.h), jansson parses each entry alone, the
 * callback maps it. Memory stays bounded by the largest entry.
 */
#ifndef PKGFRESH_JSONEACH_H
#define PKGFRESH_JSONEACH_H

#include <jansson.h>
#include <stddef.h>

#include "pkgfresh/jsonstream.h"
#include "pkgfresh/reader.h"

/* Receives one parsed entry (owned by the caller: do not keep it); 0 = go on, else stop. */
typedef int (*pf_json_entry_fn)(void *arg, const json_t *entry);

/*
 * Split `in` (shape and member as pf_jsonstream_new) and call fn on each
 * entry. Returns 0 at the end of the document; -1 on malformed JSON (err
 * gets "<fmt>: <cause> at byte N", one line) or out of memory; or the
 * non-zero value fn returned (err untouched).
 */
int pf_json_each(pf_reader *in, pf_js_shape shape, const char *member, const char *fmt,
                 pf_json_entry_fn fn, void *arg, char *err, size_t errlen);

/* The string value of obj[key]; NULL when obj is not an object, key absent, not a string or "". */
const char *pf_json_str(const json_t *obj, const char *key);

#endif
