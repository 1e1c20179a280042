/*
 * fmt_homebrew_cask_json.c — Homebrew Casks cask.json parser.
 *
 * cask.json (https://formulae.brew.sh/api/cask.json) is one JSON array of
 * ~7,000 cask objects, the sibling of formula.json; jsonentries hands out one
 * element at a time and jsonobj reads its four members from the text.
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
 * skipped and counted (no majority check: Repology has none for casks).
 */
#include <stdlib.h>
#include <string.h>

#include "pkgfresh/format.h"
#include "pkgfresh/grow.h"
#include "pkgfresh/jsonentries.h"
#include "pkgfresh/jsonobj.h"

enum { C_TOKEN, C_VERSION, C_DESC, C_HOMEPAGE, C_N };
static const char *const cask_keys[C_N] = {"token", "version", "desc", "homepage"};

/* Parser state: the shared JSON state first, then the cut version (reused). */
typedef struct cask_ctx {
    pf_json_parse p;
    char *ver;
    size_t vercap;
} cask_ctx;

/* One array element: map and emit it, or count it as skipped. */
static int cask_entry(void *vctx, const pf_js_entry *e, char *err, size_t errlen)
{
    cask_ctx *c = vctx;
    pf_jv f[C_N];
    const char *token = NULL, *version = NULL, *desc = NULL, *home = NULL;
    int sc = pf_jobj_scan((pf_jv){e->text, e->len}, cask_keys, C_N, f);
    if (sc == 0 && pf_jdec_reset(&c->p.dec, e->len) != 0) {
        c->p.oom = 1;
        return -1;
    }
    if (sc != 0 || pf_jdec_str(&c->p.dec, f[C_TOKEN], &token) < 0 ||
        pf_jdec_str(&c->p.dec, f[C_VERSION], &version) < 0 ||
        pf_jdec_str(&c->p.dec, f[C_DESC], &desc) < 0 ||
        pf_jdec_str(&c->p.dec, f[C_HOMEPAGE], &home) < 0)
        return pf_json_refused(&c->p, e, err, errlen);
    size_t n = version ? strcspn(version, ",") : 0;
    if (!token || !token[0] || n == 0) {
        c->p.stats->skipped++;
        return 0;
    }
    if (pf_grow(&c->ver, &c->vercap, 0, n + 1) != 0) {
        c->p.oom = 1;
        return -1;
    }
    memcpy(c->ver, version, n);
    c->ver[n] = 0;

    pf_record rec;
    memset(&rec, 0, sizeof rec);
    rec.srcname = token;
    rec.version = c->ver;
    rec.summary = desc && desc[0] ? desc : NULL;
    rec.homepage = home && home[0] ? home : NULL;
    return pf_json_emit(&c->p, &rec);
}

/* Parse a whole cask.json stream (see file comment), filling *stats. */
int pf_parse_homebrew_cask_json(pf_reader *in, const char *variant, pf_emit_fn emit, void *ctx,
                                pf_parse_stats *stats, char *err, size_t errlen)
{
    (void)variant;
    cask_ctx c = {0};
    int rc = pf_json_parse_all(&c.p, in, PF_JS_ARRAY, NULL, "homebrew-cask-json", NULL, cask_entry,
                               &c, emit, ctx, stats, err, errlen);
    free(c.ver);
    return rc;
}
