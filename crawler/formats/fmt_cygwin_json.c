/*
 * fmt_cygwin_json.c — Cygwin packages.json parser.
 *
 * packages.json (https://cygwin.com/packages/packages.json.xz) is one object
 * whose "packages" member is an array of source packages; jsonstream
 * (PF_JS_MEMBER_ARRAY) hands out one element at a time (jsonentries) and
 * jsonobj reads the members it needs straight from the text.
 *
 * Mapping (Repology's CygwinParser; docs/formats.md):
 *   srcname      name (source packages named "_..." are installer helpers:
 *                left out without counting)
 *   binnames     subpackages[].name, those whose categories hold "_obsolete"
 *                left out (Repology yields one package per subpackage; here
 *                one record carries them all)
 *   category     the first category of the subpackage named like the source,
 *                else of the first subpackage kept
 *   version      the last element of versions.stable, raw ("8.10.1-1");
 *                PF_VS_CYGWIN later cuts the release after the last '-' and
 *                turns a pre-release release ("0.1rc2") into "-rc2" + DEVEL,
 *                or IGNORE when its form is unknown
 *   a second record from the last element of versions.test, flagged IGNORE
 *   summary      summary; homepage homepage
 *   maintainers  maintainers[] names as Repology builds them: dots removed,
 *                spaces turned into dots, "@cygwin" appended, lower-cased
 *                ("Jon Turney" -> "jon.turney@cygwin")
 * A package that is not an object, has no name, no versions object, no
 * subpackages array, or only obsolete subpackages yields nothing and is
 * counted as skipped; so is a version without a '-' (no release); there is
 * no majority check (Repology has none).
 * A document without a top-level "packages" array is an error (schema
 * change), as is malformed JSON.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkgfresh/format.h"
#include "pkgfresh/grow.h"
#include "pkgfresh/jsonentries.h"
#include "pkgfresh/jsonobj.h"

enum { P_NAME, P_VERSIONS, P_SUBS, P_SUMMARY, P_HOMEPAGE, P_MAINT, P_N };
static const char *const cyg_keys[P_N] = {"name",    "versions", "subpackages",
                                          "summary", "homepage", "maintainers"};
enum { S_NAME, S_CATS, S_N };
static const char *const cyg_sub_keys[S_N] = {"name", "categories"};
static const char *const cyg_maturities[] = {"stable", "test"};

/* Parser state: the shared JSON state first, then the binnames and maintainers buffers. */
typedef struct cyg_ctx {
    pf_json_parse p;
    char *bin, *mnt;
    size_t bincap, mntcap;
} cyg_ctx;

/* Results of the helpers below: done, out of memory, a text the fast reading refuses. */
enum { CYG_OK = 0, CYG_OOM = -1, CYG_BAD = -2 };

/* Append s (n bytes) to a space- or comma-separated list at *buf. 0 ok, -1 out of memory. */
static int cyg_append(char **buf, size_t *cap, size_t *len, const char *s, size_t n, char sep)
{
    if (pf_grow(buf, cap, *len, n + 2) != 0)
        return -1;
    if (*len)
        (*buf)[(*len)++] = sep;
    memcpy(*buf + *len, s, n);
    *len += n;
    (*buf)[*len] = 0;
    return 0;
}

/*
 * Look at the categories of one subpackage: *obsolete when one of them is
 * "_obsolete", *first the first one when it is a non-empty string.
 */
static int cyg_categories(cyg_ctx *c, pf_jv cats, int *obsolete, const char **first)
{
    *obsolete = 0;
    *first = NULL;
    if (!pf_jv_is_array(cats))
        return CYG_OK;
    size_t pos = 0;
    pf_jv el;
    int r, k = 0;
    while ((r = pf_jarr_next(cats, &pos, &el)) == 1) {
        const char *s = NULL;
        if (pf_jdec_str(&c->p.dec, el, &s) < 0)
            return CYG_BAD;
        if (s && strcmp(s, "_obsolete") == 0)
            *obsolete = 1;
        if (k++ == 0 && s && s[0])
            *first = s;
    }
    return r < 0 ? CYG_BAD : CYG_OK;
}

/*
 * Fill rec->binnames and rec->category from the subpackages array; *kept
 * tells whether at least one subpackage is kept.
 */
static int cyg_subpackages(cyg_ctx *c, pf_jv subs, const char *srcname, pf_record *rec, int *kept)
{
    size_t len = 0, pos = 0;
    const char *cat = NULL;
    int own = 0, r;
    pf_jv sp;
    while ((r = pf_jarr_next(subs, &pos, &sp)) == 1) {
        if (!pf_jv_is_object(sp))
            continue;
        pf_jv f[S_N];
        const char *n = NULL, *c0;
        int obsolete;
        if (pf_jobj_scan(sp, cyg_sub_keys, S_N, f) != 0 ||
            pf_jdec_str(&c->p.dec, f[S_NAME], &n) < 0)
            return CYG_BAD;
        int cr = cyg_categories(c, f[S_CATS], &obsolete, &c0);
        if (cr != CYG_OK)
            return cr;
        if (!n || !n[0] || obsolete)
            continue;
        if (cyg_append(&c->bin, &c->bincap, &len, n, strlen(n), ' ') != 0)
            return CYG_OOM;
        if (!own && (strcmp(n, srcname) == 0 || !cat)) {
            own = strcmp(n, srcname) == 0;
            cat = c0;
        }
    }
    if (r < 0)
        return CYG_BAD;
    rec->binnames = len ? c->bin : NULL;
    rec->category = cat;
    *kept = len > 0;
    return CYG_OK;
}

/* Build the maintainer list ("first.last@cygwin", ...) from the maintainers array. */
static int cyg_maintainers(cyg_ctx *c, pf_jv list, pf_record *rec)
{
    size_t len = 0, pos = 0;
    pf_jv el;
    int r;
    rec->maintainers = NULL;
    if (!pf_jv_is_array(list))
        return CYG_OK;
    while ((r = pf_jarr_next(list, &pos, &el)) == 1) {
        const char *s = NULL;
        if (pf_jdec_str(&c->p.dec, el, &s) < 0)
            return CYG_BAD;
        if (!s)
            continue;
        size_t start = len ? len + 1 : 0;
        if (pf_grow(&c->mnt, &c->mntcap, len, strlen(s) + 10) != 0)
            return CYG_OOM;
        if (len)
            c->mnt[len++] = ',';
        for (; *s; s++)
            if (*s != '.')
                c->mnt[len++] = *s == ' ' ? '.' : (char)tolower((unsigned char)*s);
        if (len == start) { /* an empty name: nothing to add */
            len = start ? start - 1 : 0;
            continue;
        }
        memcpy(c->mnt + len, "@cygwin", 7);
        len += 7;
        c->mnt[len] = 0;
    }
    if (r < 0)
        return CYG_BAD;
    if (len)
        rec->maintainers = c->mnt;
    return CYG_OK;
}

/* The last element of versions[maturity] into *v: NULL when absent or not a non-empty string. */
static int cyg_last(cyg_ctx *c, pf_jv arr, const char **v)
{
    *v = NULL;
    if (!pf_jv_is_array(arr))
        return CYG_OK;
    size_t pos = 0;
    pf_jv el, last = {NULL, 0};
    int r;
    while ((r = pf_jarr_next(arr, &pos, &el)) == 1)
        last = el;
    if (r < 0 || pf_jdec_str(&c->p.dec, last, v) < 0)
        return CYG_BAD;
    if (*v && !(*v)[0])
        *v = NULL;
    return CYG_OK;
}

/* Emit the records of one package (stable, then test); 0 or emit's value to stop. */
static int cyg_emit_versions(cyg_ctx *c, pf_record *rec, const char *const v[2])
{
    for (int m = 0; m < 2; m++) {
        if (!v[m])
            continue;
        const char *dash = strrchr(v[m], '-');
        if (!dash || dash == v[m] || !dash[1]) {
            c->p.stats->skipped++;
            continue;
        }
        rec->version = v[m];
        rec->flags = m == 1 ? PF_F_IGNORE : 0;
        int rc = pf_json_emit(&c->p, rec);
        if (rc != 0)
            return rc;
    }
    return 0;
}

/* Read one package into rec and v[]; *skip when it yields nothing (counted or not, see below). */
static int cyg_read(cyg_ctx *c, const pf_jv *f, pf_record *rec, const char *v[2], int *skip)
{
    const char *name = NULL;
    *skip = 0;
    if (pf_jdec_str(&c->p.dec, f[P_NAME], &name) < 0)
        return CYG_BAD;
    if (name && name[0] == '_') {
        *skip = 1; /* installer helper scripts: not counted */
        return CYG_OK;
    }
    if (!name || !name[0] || !pf_jv_is_object(f[P_VERSIONS]) || !pf_jv_is_array(f[P_SUBS])) {
        *skip = 2;
        return CYG_OK;
    }
    const char *summary = NULL, *home = NULL;
    if (pf_jdec_str(&c->p.dec, f[P_SUMMARY], &summary) < 0 ||
        pf_jdec_str(&c->p.dec, f[P_HOMEPAGE], &home) < 0)
        return CYG_BAD;
    memset(rec, 0, sizeof *rec);
    rec->srcname = name;
    rec->summary = summary && summary[0] ? summary : NULL;
    rec->homepage = home && home[0] ? home : NULL;
    int kept = 0, r = cyg_subpackages(c, f[P_SUBS], name, rec, &kept);
    if (r == CYG_OK)
        r = cyg_maintainers(c, f[P_MAINT], rec);
    if (r != CYG_OK)
        return r;
    if (!kept) {
        *skip = 2;
        return CYG_OK;
    }
    pf_jv mv[2];
    if (pf_jobj_scan(f[P_VERSIONS], cyg_maturities, 2, mv) != 0)
        return CYG_BAD;
    for (int m = 0; m < 2; m++)
        if ((r = cyg_last(c, mv[m], &v[m])) != CYG_OK)
            return r;
    return CYG_OK;
}

/* One element of "packages": map and emit it, or count it as skipped. */
static int cyg_entry(void *vctx, const pf_js_entry *e, char *err, size_t errlen)
{
    cyg_ctx *c = vctx;
    pf_jv f[P_N];
    int sc = pf_jobj_scan((pf_jv){e->text, e->len}, cyg_keys, P_N, f);
    if (sc == 0 && pf_jdec_reset(&c->p.dec, e->len) != 0) {
        c->p.oom = 1;
        return -1;
    }
    if (sc != 0)
        return pf_json_refused(&c->p, e, err, errlen);
    pf_record rec;
    const char *v[2] = {NULL, NULL};
    int skip, r = cyg_read(c, f, &rec, v, &skip);
    if (r == CYG_BAD)
        return pf_json_refused(&c->p, e, err, errlen);
    if (r == CYG_OOM) {
        c->p.oom = 1;
        return -1;
    }
    if (skip) {
        c->p.stats->skipped += skip == 2;
        return 0;
    }
    return cyg_emit_versions(c, &rec, v);
}

/* Parse a whole packages.json stream (see file comment), filling *stats. */
int pf_parse_cygwin_json(pf_reader *in, const char *variant, pf_emit_fn emit, void *ctx,
                         pf_parse_stats *stats, char *err, size_t errlen)
{
    (void)variant;
    cyg_ctx c = {0};
    int rc = pf_json_parse_all(&c.p, in, PF_JS_MEMBER_ARRAY, "packages", "cygwin-json", NULL,
                               cyg_entry, &c, emit, ctx, stats, err, errlen);
    free(c.bin);
    free(c.mnt);
    return rc;
}
