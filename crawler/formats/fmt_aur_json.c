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
#include "pkgfresh/jsonobj.h"
#include "pkgfresh/strlist.h"

enum { A_NAME, A_BASE, A_VERSION, A_DESC, A_URL, A_LICENSE, A_MAINT, A_COMAINT, A_N };
static const char *const aur_keys[A_N] = {"Name", "PackageBase", "Version",    "Description",
                                          "URL",  "License",     "Maintainer", "CoMaintainers"};

/*
 * Add login value v (when it is a string) as "<login>@aur" to the list at
 * start. Returns 0, -1 out of memory, -2 an invalid string.
 */
static int aur_login(pf_json_parse *c, size_t start, pf_jv v)
{
    const char *s;
    int r = pf_jdec_str(&c->dec, v, &s);
    if (r < 0)
        return -2;
    if (r == 0 || !s[0] || strpbrk(s, " ,<>@"))
        return 0;
    if (pf_strlist_add(&c->lists, start, ",", s, strlen(s), 1) != 0)
        return -1;
    return pf_strlist_add(&c->lists, c->lists.len, "", "@aur", 4,
                          0); /* start = len: no separator */
}

/* The licence and maintainer lists of one entry into c->lists. 0, -1 out of memory, -2 invalid. */
static int aur_lists(pf_json_parse *c, const pf_jv *f, size_t *lic, size_t *mnt)
{
    pf_strlist *b = &c->lists;
    b->len = 0;
    *lic = pf_strlist_begin(b);
    size_t pos = 0;
    pf_jv el;
    int r;
    while ((r = pf_jarr_next(f[A_LICENSE], &pos, &el)) == 1) {
        const char *s;
        int d = pf_jdec_str(&c->dec, el, &s);
        if (d < 0)
            return -2;
        if (d == 1 && pf_strlist_add(b, *lic, ", ", s, strlen(s), 0) != 0)
            return -1;
    }
    if (r < 0)
        return -2;
    if (pf_strlist_end(b, *lic) != 0)
        return -1;
    *mnt = pf_strlist_begin(b);
    if ((r = aur_login(c, *mnt, f[A_MAINT])) != 0)
        return r;
    pos = 0;
    while ((r = pf_jarr_next(f[A_COMAINT], &pos, &el)) == 1) {
        int l = aur_login(c, *mnt, el);
        if (l != 0)
            return l;
    }
    if (r < 0)
        return -2;
    return pf_strlist_end(b, *mnt) != 0 ? -1 : 0;
}

/* One array element: map and emit it, or count it as skipped. */
static int aur_entry(void *vctx, const pf_js_entry *e, char *err, size_t errlen)
{
    pf_json_parse *c = vctx;
    pf_jv f[A_N];
    const char *name = NULL, *base = NULL, *version = NULL, *desc = NULL, *url = NULL;
    int sc = pf_jobj_scan((pf_jv){e->text, e->len}, aur_keys, A_N, f);
    if (sc == 0 && pf_jdec_reset(&c->dec, e->len) != 0) {
        c->oom = 1;
        return -1;
    }
    size_t lic = 0, mnt = 0;
    int lr = 0;
    if (sc != 0 || pf_jdec_str(&c->dec, f[A_NAME], &name) < 0 ||
        pf_jdec_str(&c->dec, f[A_BASE], &base) < 0 ||
        pf_jdec_str(&c->dec, f[A_VERSION], &version) < 0 ||
        pf_jdec_str(&c->dec, f[A_DESC], &desc) < 0 || pf_jdec_str(&c->dec, f[A_URL], &url) < 0 ||
        (lr = aur_lists(c, f, &lic, &mnt)) == -2) {
        return pf_json_refused(c, e, err, errlen);
    }
    if (lr != 0) {
        c->oom = 1;
        return -1;
    }
    if (!name || !name[0] || !version || !version[0]) {
        c->stats->skipped++;
        return 0;
    }
    pf_record rec;
    memset(&rec, 0, sizeof rec);
    rec.srcname = base && base[0] ? base : name;
    rec.binnames = name;
    rec.version = version;
    rec.summary = desc && desc[0] ? desc : NULL;
    rec.homepage = url && url[0] ? url : NULL;
    rec.license = pf_strlist_get(&c->lists, lic);
    rec.maintainers = pf_strlist_get(&c->lists, mnt);
    return pf_json_emit(c, &rec);
}

/* Parse a whole AUR package list (see file comment), filling *stats. */
int pf_parse_aur_json(pf_reader *in, const char *variant, pf_emit_fn emit, void *ctx,
                      pf_parse_stats *stats, char *err, size_t errlen)
{
    (void)variant;
    pf_json_parse c = {0};
    return pf_json_parse_all(&c, in, PF_JS_ARRAY, NULL, "aur-json",
                             "entries without Name or Version", aur_entry, &c, emit, ctx, stats,
                             err, errlen);
}
