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

/* The parse around a format's entry callback (see jsonentries.h). */
int pf_json_parse_all(pf_json_parse *p, pf_reader *in, pf_js_shape shape, const char *member,
                      const char *fmt, const char *what, pf_json_entry_fn fn, void *ctx,
                      pf_emit_fn emit, void *ectx, pf_parse_stats *stats, char *err, size_t errlen)
{
    stats->records = stats->skipped = 0;
    p->emit = emit;
    p->ectx = ectx;
    p->stats = stats;
    p->fmt = fmt;
    p->oom = 0;
    int rc = pf_json_entries(in, shape, member, fmt, fn, ctx, err, errlen);
    pf_jdec_free(&p->dec);
    pf_strlist_free(&p->lists);
    if (p->oom) {
        snprintf(err, errlen, "%s: out of memory", fmt);
        return -1;
    }
    if (rc == 0)
        rc = pf_parse_check_skipped(fmt, stats, what, err, errlen);
    return rc;
}

/* jansson's verdict on a refused entry; a valid one is skipped (see jsonentries.h). */
int pf_json_refused(pf_json_parse *p, const pf_js_entry *e, char *err, size_t errlen)
{
    if (pf_json_entry_error(e, p->fmt, err, errlen) != 0)
        return -1;
    p->stats->skipped++;
    return 0;
}

/* Emit and count one record. */
int pf_json_emit(pf_json_parse *p, const pf_record *rec)
{
    int rc = p->emit(p->ectx, rec);
    if (rc == 0)
        p->stats->records++;
    return rc;
}
