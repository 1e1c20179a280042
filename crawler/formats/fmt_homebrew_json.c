/*
 * fmt_homebrew_json.c — Homebrew formula.json parser.
 *
 * formula.json (https://formulae.brew.sh/api/formula.json) is one JSON array
 * of ~8,000 formula objects, 25-30 MB. jsonstream hands out one element at a
 * time and only that element is parsed by jansson.
 *
 * Mapping (docs/formats.md):
 *   srcname   name, kept as is ("python@3.12"; the "@X" suffix is stripped
 *             later, when the project name is seeded)
 *   version   versions.stable (the formula `revision` is not part of it)
 *   summary   desc
 *   homepage  homepage
 *   license   license (an SPDX expression string; anything else is ignored)
 *   no maintainers, no category
 * When versions.head is a non-null value a second record is emitted for the
 * same formula with version = the head value ("HEAD" when it is not a
 * non-empty string) and PF_F_ROLLING.
 *
 * Errors: a malformed document is fatal with the byte offset; an element that
 * is not an object or has no name is skipped and counted, as is the stable
 * record of a formula without versions.stable.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "pkgfresh/format.h"
#include "pkgfresh/jsonstream.h"

/* The string value of obj[key], NULL when absent, not a string or empty. */
static const char *hb_str(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);
    if (!json_is_string(v) || !json_string_value(v)[0])
        return NULL;
    return json_string_value(v);
}

/* Emit the records of one formula object. Returns 0 or the emit value to stop. */
static int hb_formula(const json_t *f, pf_emit_fn emit, void *ctx, pf_parse_stats *stats)
{
    const char *name = json_is_object(f) ? hb_str(f, "name") : NULL;
    if (!name) {
        stats->skipped++;
        return 0;
    }
    const json_t *versions = json_object_get(f, "versions");
    if (!json_is_object(versions))
        versions = NULL;

    pf_record rec;
    memset(&rec, 0, sizeof rec);
    rec.srcname = name;
    rec.summary = hb_str(f, "desc");
    rec.homepage = hb_str(f, "homepage");
    rec.license = hb_str(f, "license");

    const char *stable = versions ? hb_str(versions, "stable") : NULL;
    if (stable) {
        rec.version = stable;
        int rc = emit(ctx, &rec);
        if (rc != 0)
            return rc;
        stats->records++;
    } else {
        stats->skipped++;
    }

    const json_t *head = versions ? json_object_get(versions, "head") : NULL;
    if (head && !json_is_null(head)) {
        const char *hv = hb_str(versions, "head");
        rec.version = hv ? hv : "HEAD";
        rec.flags = PF_F_ROLLING;
        int rc = emit(ctx, &rec);
        if (rc != 0)
            return rc;
        stats->records++;
    }
    return 0;
}

/* Parse a whole formula.json stream (see file comment), filling *stats. */
int pf_parse_homebrew_json(pf_reader *in, const char *variant, pf_emit_fn emit, void *ctx,
                           pf_parse_stats *stats, char *err, size_t errlen)
{
    (void)variant;
    stats->records = stats->skipped = 0;

    pf_jsonstream *js = pf_jsonstream_new(in, PF_JS_ARRAY, NULL, 0, 0);
    if (!js) {
        snprintf(err, errlen, "homebrew-json: out of memory");
        return -1;
    }
    int rc = 0;
    for (;;) {
        pf_js_entry e;
        int got = pf_jsonstream_next(js, &e);
        if (got < 0) {
            snprintf(err, errlen, "homebrew-json: %s", pf_jsonstream_error(js));
            rc = -1;
            break;
        }
        if (got == 0)
            break;
        json_error_t jerr;
        json_t *f = json_loadb(e.text, e.len, JSON_DECODE_ANY, &jerr);
        if (!f) {
            snprintf(err, errlen, "homebrew-json: invalid JSON at byte %llu: %s",
                     (unsigned long long)(e.offset + (size_t)jerr.position), jerr.text);
            rc = -1;
            break;
        }
        rc = hb_formula(f, emit, ctx, stats);
        json_decref(f);
        if (rc != 0)
            break;
    }
    pf_jsonstream_free(js);
    return rc;
}
