/*
 * fmt_homebrew_json.c — Homebrew formula.json parser.
 *
 * formula.json (https://formulae.brew.sh/api/formula.json) is one JSON array
 * of ~8,000 formula objects, 25-30 MB. jsonentries hands out one element at a
 * time and jsonobj reads its few members straight from the text.
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
 * record of a formula without versions.stable (no majority check).
 */
#include <string.h>

#include "pkgfresh/format.h"
#include "pkgfresh/jsonentries.h"
#include "pkgfresh/jsonobj.h"

enum { H_NAME, H_VERSIONS, H_DESC, H_HOMEPAGE, H_LICENSE, H_N };
static const char *const hb_keys[H_N] = {"name", "versions", "desc", "homepage", "license"};
enum { V_STABLE, V_HEAD, V_N };
static const char *const hb_version_keys[V_N] = {"stable", "head"};

/* A decoded string that is not empty, else NULL (jansson's pf_json_str rule). */
static const char *hb_nonempty(const char *s)
{
    return s && s[0] ? s : NULL;
}

/* Emit rec with version v and flags; 0 or emit's value. */
static int hb_emit(pf_json_parse *p, pf_record *rec, const char *v, unsigned flags)
{
    rec->version = v;
    rec->flags = flags;
    return pf_json_emit(p, rec);
}

/* One array element: emit its stable and head records, or count it as skipped. */
static int hb_entry(void *vctx, const pf_js_entry *e, char *err, size_t errlen)
{
    pf_json_parse *p = vctx;
    pf_jv f[H_N], v[V_N] = {{NULL, 0}, {NULL, 0}};
    const char *name = NULL, *desc = NULL, *home = NULL, *lic = NULL, *stable = NULL, *hv = NULL;
    int sc = pf_jobj_scan((pf_jv){e->text, e->len}, hb_keys, H_N, f);
    if (sc == 0 && pf_jdec_reset(&p->dec, e->len) != 0) {
        p->oom = 1;
        return -1;
    }
    if (sc != 0 || pf_jdec_str(&p->dec, f[H_NAME], &name) < 0 ||
        pf_jdec_str(&p->dec, f[H_DESC], &desc) < 0 ||
        pf_jdec_str(&p->dec, f[H_HOMEPAGE], &home) < 0 ||
        pf_jdec_str(&p->dec, f[H_LICENSE], &lic) < 0 ||
        (pf_jv_is_object(f[H_VERSIONS]) &&
         (pf_jobj_scan(f[H_VERSIONS], hb_version_keys, V_N, v) != 0 ||
          pf_jdec_str(&p->dec, v[V_STABLE], &stable) < 0 ||
          pf_jdec_str(&p->dec, v[V_HEAD], &hv) < 0)))
        return pf_json_refused(p, e, err, errlen);
    if (!hb_nonempty(name)) {
        p->stats->skipped++;
        return 0;
    }
    pf_record rec;
    memset(&rec, 0, sizeof rec);
    rec.srcname = name;
    rec.summary = hb_nonempty(desc);
    rec.homepage = hb_nonempty(home);
    rec.license = hb_nonempty(lic);
    int rc;
    if (hb_nonempty(stable)) {
        if ((rc = hb_emit(p, &rec, stable, 0)) != 0)
            return rc;
    } else {
        p->stats->skipped++;
    }
    if (v[V_HEAD].p && v[V_HEAD].p[0] != 'n') /* present and not null */
        return hb_emit(p, &rec, hb_nonempty(hv) ? hv : "HEAD", PF_F_ROLLING);
    return 0;
}

/* Parse a whole formula.json stream (see file comment), filling *stats. */
int pf_parse_homebrew_json(pf_reader *in, const char *variant, pf_emit_fn emit, void *ctx,
                           pf_parse_stats *stats, char *err, size_t errlen)
{
    (void)variant;
    pf_json_parse p = {0};
    return pf_json_parse_all(&p, in, PF_JS_ARRAY, NULL, "homebrew-json", NULL, hb_entry, &p, emit,
                             ctx, stats, err, errlen);
}
