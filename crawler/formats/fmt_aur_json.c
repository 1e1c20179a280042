/*
 * fmt_aur_json.c — AUR packages-meta-ext-v1.json(.gz) parser.
 *
 * The file (aurweb's mkpkglists) is one JSON array with an object per AUR
 * package, ~100k entries; jsonentries hands out one element at a time.
 *
 * Mapping (docs/formats.md; Repology's AURJsonParser):
 *   srcname      PackageBase (split packages share it: one project), else Name
 *   binnames     Name
 *   version      Version, raw ("1:0.4.1.r12.gabc1234-1"; PF_VS_ARCH drops the
 *                pkgrel, the epoch and anything after '+')
 *   summary      Description      homepage  URL
 *   license      License[] joined with ", "
 *   maintainers  Maintainer and CoMaintainers[] logins as "<login>@aur",
 *                lower-cased; none for an orphan (Maintainer null)
 *   no category (Keywords are ignored), no flags: the arch/aur rulesets mark
 *   VCS packages.
 *
 * An element that is not an object or lacks Name or Version is skipped and
 * counted; when more than half of the elements are skipped the parse fails
 * (a renamed field must fail the crawl, not yield a near-empty repository).
 */
#include <stdio.h>
#include <string.h>

#include "pkgfresh/format.h"
#include "pkgfresh/jsonentries.h"
#include "pkgfresh/strlist.h"

typedef struct aur_ctx {
    pf_emit_fn emit;
    void *ectx;
    pf_parse_stats *stats;
    pf_strlist lists;
    int oom;
} aur_ctx;

/* Add login string v (when it is one) as "<login>@aur" to the list at start. */
static int aur_login(pf_strlist *b, size_t start, const json_t *v)
{
    const char *s = json_is_string(v) ? json_string_value(v) : NULL;
    if (!s || !s[0] || strpbrk(s, " ,<>@"))
        return 0;
    if (pf_strlist_add(b, start, ",", s, strlen(s), 1) != 0)
        return -1;
    return pf_strlist_add(b, b->len, "", "@aur", 4, 0); /* start = len: no separator */
}

/* One array element: map and emit it, or count it as skipped. */
static int aur_entry(void *vctx, const json_t *e)
{
    aur_ctx *c = vctx;
    const char *name = pf_json_str(e, "Name"), *version = pf_json_str(e, "Version");
    if (!name || !version) {
        c->stats->skipped++;
        return 0;
    }
    pf_strlist *b = &c->lists;
    b->len = 0;
    size_t lic = pf_strlist_begin(b);
    const json_t *licenses = json_object_get(e, "License");
    size_t i;
    const json_t *v;
    json_array_foreach(licenses, i, v)
    {
        if (json_is_string(v) &&
            pf_strlist_add(b, lic, ", ", json_string_value(v), json_string_length(v), 0) != 0)
            c->oom = 1;
    }
    c->oom |= pf_strlist_end(b, lic) != 0;

    size_t mnt = pf_strlist_begin(b);
    c->oom |= aur_login(b, mnt, json_object_get(e, "Maintainer")) != 0;
    json_array_foreach(json_object_get(e, "CoMaintainers"), i, v)
    {
        c->oom |= aur_login(b, mnt, v) != 0;
    }
    c->oom |= pf_strlist_end(b, mnt) != 0;
    if (c->oom)
        return -1;

    const char *base = pf_json_str(e, "PackageBase");
    pf_record rec;
    memset(&rec, 0, sizeof rec);
    rec.srcname = base ? base : name;
    rec.binnames = name;
    rec.version = version;
    rec.summary = pf_json_str(e, "Description");
    rec.homepage = pf_json_str(e, "URL");
    rec.license = pf_strlist_get(b, lic);
    rec.maintainers = pf_strlist_get(b, mnt);
    int rc = c->emit(c->ectx, &rec);
    if (rc == 0)
        c->stats->records++;
    return rc;
}

/* Parse a whole AUR package list (see file comment), filling *stats. */
int pf_parse_aur_json(pf_reader *in, const char *variant, pf_emit_fn emit, void *ctx,
                      pf_parse_stats *stats, char *err, size_t errlen)
{
    (void)variant;
    stats->records = stats->skipped = 0;
    aur_ctx c = {emit, ctx, stats, {0}, 0};
    int rc = pf_json_entries(in, PF_JS_ARRAY, NULL, "aur-json", aur_entry, &c, err, errlen);
    pf_strlist_free(&c.lists);
    if (c.oom) {
        snprintf(err, errlen, "aur-json: out of memory");
        return -1;
    }
    if (rc == 0)
        rc = pf_parse_check_skipped("aur-json", stats, "entries without Name or Version", err,
                                    errlen);
    return rc;
}
