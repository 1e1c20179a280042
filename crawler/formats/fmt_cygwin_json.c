/*
 * fmt_cygwin_json.c — Cygwin packages.json parser.
 *
 * packages.json (https://cygwin.com/packages/packages.json.xz) is one object
 * whose "packages" member is an array of source packages; jsonstream
 * (PF_JS_MEMBER_ARRAY) hands out one element at a time, parsed by jansson.
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
 * counted as skipped; so is a version without a '-' (no release).
 * A document without a top-level "packages" array is an error (schema
 * change), as is malformed JSON.
 */
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkgfresh/format.h"
#include "pkgfresh/grow.h"
#include "pkgfresh/jsoneach.h"

/* Scratch buffers for one package: binnames and maintainers. */
typedef struct cyg_buf {
    char *bin, *mnt;
    size_t bincap, mntcap;
} cyg_buf;

/* Does the categories array of a subpackage contain "_obsolete"? */
static int cyg_obsolete(const json_t *cats)
{
    size_t i;
    const json_t *c;
    json_array_foreach(cats, i, c) if (json_is_string(c) &&
                                       strcmp(json_string_value(c), "_obsolete") == 0) return 1;
    return 0;
}

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
 * Fill rec->binnames and rec->category from the subpackages array. Returns
 * 1 when at least one subpackage is kept, 0 when none, -1 out of memory.
 */
static int cyg_subpackages(const json_t *subs, const char *srcname, cyg_buf *b, pf_record *rec)
{
    size_t len = 0, i;
    const json_t *sp;
    const char *cat = NULL;
    int own = 0;
    json_array_foreach(subs, i, sp)
    {
        const char *n = json_is_object(sp) ? pf_json_str(sp, "name") : NULL;
        const json_t *cats = json_is_object(sp) ? json_object_get(sp, "categories") : NULL;
        if (!n || (json_is_array(cats) && cyg_obsolete(cats)))
            continue;
        if (cyg_append(&b->bin, &b->bincap, &len, n, strlen(n), ' ') != 0)
            return -1;
        const json_t *c0 = json_is_array(cats) ? json_array_get(cats, 0) : NULL;
        const char *c =
            json_is_string(c0) && json_string_value(c0)[0] ? json_string_value(c0) : NULL;
        if (!own && (strcmp(n, srcname) == 0 || !cat)) {
            own = strcmp(n, srcname) == 0;
            cat = c;
        }
    }
    rec->binnames = len ? b->bin : NULL;
    rec->category = cat;
    return len > 0;
}

/* Build the maintainer list ("First.Last@cygwin", ...) into b->mnt. 0 ok, -1 out of memory. */
static int cyg_maintainers(const json_t *list, cyg_buf *b, pf_record *rec)
{
    size_t len = 0, i;
    const json_t *m;
    rec->maintainers = NULL;
    json_array_foreach(list, i, m)
    {
        if (!json_is_string(m))
            continue;
        const char *s = json_string_value(m);
        size_t start = len ? len + 1 : 0;
        if (pf_grow(&b->mnt, &b->mntcap, len, strlen(s) + 10) != 0)
            return -1;
        if (len)
            b->mnt[len++] = ',';
        for (; *s; s++)
            if (*s != '.')
                b->mnt[len++] = *s == ' ' ? '.' : (char)tolower((unsigned char)*s);
        if (len == start) { /* an empty name: nothing to add */
            len = start ? start - 1 : 0;
            continue;
        }
        memcpy(b->mnt + len, "@cygwin", 7);
        len += 7;
        b->mnt[len] = 0;
    }
    if (len)
        rec->maintainers = b->mnt;
    return 0;
}

/* The last element of versions[maturity], NULL when absent or not a non-empty string. */
static const char *cyg_last(const json_t *versions, const char *maturity)
{
    const json_t *a = json_object_get(versions, maturity);
    if (!json_is_array(a) || json_array_size(a) == 0)
        return NULL;
    const json_t *v = json_array_get(a, json_array_size(a) - 1);
    return json_is_string(v) && json_string_value(v)[0] ? json_string_value(v) : NULL;
}

/* Emit the records of one package. Returns 0 or the emit value to stop; *oom set when out of
 * memory. */
static int cyg_package(const json_t *p, cyg_buf *b, pf_emit_fn emit, void *ctx,
                       pf_parse_stats *stats, int *oom)
{
    const char *name = json_is_object(p) ? pf_json_str(p, "name") : NULL;
    if (name && name[0] == '_')
        return 0; /* installer helper scripts */
    const json_t *versions = name ? json_object_get(p, "versions") : NULL;
    const json_t *subs = name ? json_object_get(p, "subpackages") : NULL;
    if (!name || !json_is_object(versions) || !json_is_array(subs)) {
        stats->skipped++;
        return 0;
    }
    pf_record rec;
    memset(&rec, 0, sizeof rec);
    rec.srcname = name;
    rec.summary = pf_json_str(p, "summary");
    rec.homepage = pf_json_str(p, "homepage");
    int kept = cyg_subpackages(subs, name, b, &rec);
    if (kept < 0 || cyg_maintainers(json_object_get(p, "maintainers"), b, &rec) != 0) {
        *oom = 1;
        return -1;
    }
    if (kept == 0) {
        stats->skipped++;
        return 0;
    }
    static const char *const maturities[] = {"stable", "test"};
    for (int m = 0; m < 2; m++) {
        const char *v = cyg_last(versions, maturities[m]);
        if (!v)
            continue;
        const char *dash = strrchr(v, '-');
        if (!dash || dash == v || !dash[1]) {
            stats->skipped++;
            continue;
        }
        rec.version = v;
        rec.flags = m == 1 ? PF_F_IGNORE : 0;
        int rc = emit(ctx, &rec);
        if (rc != 0)
            return rc;
        stats->records++;
    }
    return 0;
}

/* Parser state handed to pf_json_each. */
typedef struct cyg_ctx {
    cyg_buf b;
    pf_emit_fn emit;
    void *ctx;
    pf_parse_stats *stats;
    int oom;
} cyg_ctx;

/* pf_json_each callback: one package. */
static int cyg_entry(void *arg, const json_t *p)
{
    cyg_ctx *c = arg;
    return cyg_package(p, &c->b, c->emit, c->ctx, c->stats, &c->oom);
}

/* Parse a whole packages.json stream (see file comment), filling *stats. */
int pf_parse_cygwin_json(pf_reader *in, const char *variant, pf_emit_fn emit, void *ctx,
                         pf_parse_stats *stats, char *err, size_t errlen)
{
    (void)variant;
    stats->records = stats->skipped = 0;
    cyg_ctx c = {.emit = emit, .ctx = ctx, .stats = stats};
    int rc =
        pf_json_each(in, PF_JS_MEMBER_ARRAY, "packages", "cygwin-json", cyg_entry, &c, err, errlen);
    if (c.oom) {
        snprintf(err, errlen, "cygwin-json: out of memory");
        rc = -1;
    }
    free(c.b.bin);
    free(c.b.mnt);
    return rc;
}
