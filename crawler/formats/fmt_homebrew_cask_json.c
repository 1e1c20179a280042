/*
 * fmt_homebrew_cask_json.c — Homebrew Casks cask.json parser.
 *
 * cask.json (https://formulae.brew.sh/api/cask.json) is one JSON array of
 * ~7,000 cask objects, the sibling of formula.json; pf_json_each parses one
 * element at a time.
 *
 * Mapping (Repology's HomebrewCaskJsonParser; docs/formats.md):
 *   srcname   token (the project seed; "firefox@beta" stays whole, unlike a
 *             formula name: casks have no "@" seed rule)
 *   binnames  none: Repology has no binary name for a cask (name[0], the
 *             display name "Mozilla Firefox", is only its visible name)
 *   version   version cut at the first ',' ("1.2.3,4567" -> "1.2.3"), as
 *             Repology's parser passes it on; "latest" stays (the rules
 *             deal with it)
 *   summary   desc; homepage homepage
 *   no maintainers, licence or category (the API has none)
 * An element that is not an object, or has no token or no version, is
 * skipped and counted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkgfresh/format.h"
#include "pkgfresh/grow.h"
#include "pkgfresh/jsoneach.h"

/* Parser state handed to pf_json_each. */
typedef struct cask_ctx {
    pf_emit_fn emit;
    void *ctx;
    pf_parse_stats *stats;
    char *ver; /* the cut version, reused */
    size_t vercap;
    int oom;
} cask_ctx;

/* pf_json_each callback: one cask. Returns 0 or the emit value to stop. */
static int cask_entry(void *arg, const json_t *c)
{
    cask_ctx *st = arg;
    const char *token = pf_json_str(c, "token");
    const char *version = pf_json_str(c, "version");
    if (!token || !version) {
        st->stats->skipped++;
        return 0;
    }
    size_t n = strcspn(version, ",");
    if (n == 0) {
        st->stats->skipped++;
        return 0;
    }
    if (pf_grow(&st->ver, &st->vercap, 0, n + 1) != 0) {
        st->oom = 1;
        return -1;
    }
    memcpy(st->ver, version, n);
    st->ver[n] = 0;

    pf_record rec;
    memset(&rec, 0, sizeof rec);
    rec.srcname = token;
    rec.version = st->ver;
    rec.summary = pf_json_str(c, "desc");
    rec.homepage = pf_json_str(c, "homepage");
    int rc = st->emit(st->ctx, &rec);
    if (rc == 0)
        st->stats->records++;
    return rc;
}

/* Parse a whole cask.json stream (see file comment), filling *stats. */
int pf_parse_homebrew_cask_json(pf_reader *in, const char *variant, pf_emit_fn emit, void *ctx,
                                pf_parse_stats *stats, char *err, size_t errlen)
{
    (void)variant;
    stats->records = stats->skipped = 0;
    cask_ctx st = {.emit = emit, .ctx = ctx, .stats = stats};
    int rc =
        pf_json_each(in, PF_JS_ARRAY, NULL, "homebrew-cask-json", cask_entry, &st, err, errlen);
    if (st.oom) {
        snprintf(err, errlen, "homebrew-cask-json: out of memory");
        rc = -1;
    }
    free(st.ver);
    return rc;
}
