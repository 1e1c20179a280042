/*
 * jsoneach.c — the split-then-parse loop of the JSON formats (jsoneach.h).
 */
#include <stdio.h>

#include "pkgfresh/jsoneach.h"

/* Call fn on every entry of the document (see jsoneach.h). */
int pf_json_each(pf_reader *in, pf_js_shape shape, const char *member, const char *fmt,
                 pf_json_entry_fn fn, void *arg, char *err, size_t errlen)
{
    pf_jsonstream *js = pf_jsonstream_new(in, shape, member, 0, 0);
    if (!js) {
        snprintf(err, errlen, "%s: out of memory", fmt);
        return -1;
    }
    int rc = 0;
    for (;;) {
        pf_js_entry e;
        int got = pf_jsonstream_next(js, &e);
        if (got < 0) {
            snprintf(err, errlen, "%s: %s", fmt, pf_jsonstream_error(js));
            rc = -1;
            break;
        }
        if (got == 0)
            break;
        json_error_t jerr;
        json_t *v = json_loadb(e.text, e.len, JSON_DECODE_ANY, &jerr);
        if (!v) {
            size_t pos = (size_t)jerr.position > e.prefix ? (size_t)jerr.position - e.prefix : 0;
            snprintf(err, errlen, "%s: invalid JSON at byte %llu: %s", fmt,
                     (unsigned long long)(e.offset + pos), jerr.text);
            rc = -1;
            break;
        }
        rc = fn(arg, v);
        json_decref(v);
        if (rc != 0)
            break;
    }
    pf_jsonstream_free(js);
    return rc;
}

/* String member of an object, NULL unless a non-empty string (see jsoneach.h). */
const char *pf_json_str(const json_t *obj, const char *key)
{
    const json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
    if (!json_is_string(v) || !json_string_value(v)[0])
        return NULL;
    return json_string_value(v);
}
