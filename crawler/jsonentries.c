/*
 * jsonentries.c — the jsonstream entry loop of the JSON formats
 * (jsonentries.h), and jansson as the judge of entries the fast reading
 * (jsonobj.c) refuses.
 */
#include <jansson.h>
#include <stdio.h>

#include "pkgfresh/jsonentries.h"

/* The entry loop (see jsonentries.h). */
int pf_json_entries(pf_reader *in, pf_js_shape shape, const char *member, const char *fmt,
                    pf_json_entry_fn fn, void *ctx, char *err, size_t errlen)
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
        rc = fn(ctx, &e, err, errlen);
        if (rc != 0)
            break;
    }
    pf_jsonstream_free(js);
    return rc;
}

/* Parse the entry with jansson: its error, or 0 when it is valid JSON (see jsonentries.h). */
int pf_json_entry_error(const pf_js_entry *e, const char *fmt, char *err, size_t errlen)
{
    json_error_t jerr;
    json_t *v = json_loadb(e->text, e->len, JSON_DECODE_ANY, &jerr);
    if (v) {
        json_decref(v);
        return 0;
    }
    size_t pos = (size_t)jerr.position > e->prefix ? (size_t)jerr.position - e->prefix : 0;
    snprintf(err, errlen, "%s: invalid JSON at byte %llu: %s", fmt,
             (unsigned long long)(e->offset + pos), jerr.text);
    return -1;
}
