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
#include "pkgfresh/jsoneach.h"

/* Emit the records of one formula object. Returns 0 or the emit value to stop. */
static int hb_formula(const json_t *f, pf_emit_fn emit, void *ctx, pf_parse_stats *stats)
{
    const char *name = json_is_object(f) ? pf_json_str(f, "name") : NULL;
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
    rec.summary = pf_json_str(f, "desc");
    rec.homepage = pf_json_str(f, "homepage");
    rec.license = pf_json_str(f, "license");

    const char *stable = versions ? pf_json_str(versions, "stable") : NULL;
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
        const char *hv = pf_json_str(versions, "head");
        rec.version = hv ? hv : "HEAD";
        rec.flags = PF_F_ROLLING;
        int rc = emit(ctx, &rec);
        if (rc != 0)
            return rc;
        stats->records++;
    }
    return 0;
}

/* Parser state handed to pf_json_each. */
typedef struct hb_ctx {
    pf_emit_fn emit;
    void *ctx;
    pf_parse_stats *stats;
} hb_ctx;

/* pf_json_each callback: one formula. */
static int hb_entry(void *arg, const json_t *f)
{
    hb_ctx *c = arg;
    return hb_formula(f, c->emit, c->ctx, c->stats);
}

/* Parse a whole formula.json stream (see file comment), filling *stats. */
int pf_parse_homebrew_json(pf_reader *in, const char *variant, pf_emit_fn emit, void *ctx,
                           pf_parse_stats *stats, char *err, size_t errlen)
{
    (void)variant;
    stats->records = stats->skipped = 0;
    hb_ctx c = {emit, ctx, stats};
    return pf_json_each(in, PF_JS_ARRAY, NULL, "homebrew-json", hb_entry, &c, err, errlen);
}
