/*
 * fmt_alt_json.c — ALT Linux export for Repology (rdb.altlinux.org
 * /api/export/repology/<branch>): Sisyphus and the p-branches.
 *
 * One JSON object whose "packages" member is an array with an object per
 * source package; jsonentries hands out one element at a time.
 *
 * Mapping (docs/formats.md; Repology's SisyphusJsonParser):
 *   srcname      name (the source RPM name)
 *   binnames     binaries[].name, space-separated
 *   version      "EPOCH:VERSION-RELEASE", the epoch left out when zero; as
 *                for rpm-md, PF_VS_RPM turns it into Repology's
 *                parse_rpm_version result ("alt0.rc1" -> "-rc1" + DEVEL,
 *                "alt0.1" -> IGNORE, snapshot dates -> IGNORE)
 *   summary      summary       category  category       license  license
 *   homepage     url (the upstream site; "homepage" is ALT's package page)
 *   maintainers  packager: the address (inside "<>" when written
 *                "Name <a@b>"), lower-cased; none when it is no address
 *
 * An element that is not an object or lacks name, version or release (as
 * strings) is skipped and counted; more skipped than kept fails the parse.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "pkgfresh/format.h"
#include "pkgfresh/jsonentries.h"
#include "pkgfresh/jsonobj.h"
#include "pkgfresh/strlist.h"

enum {
    L_NAME,
    L_EPOCH,
    L_VERSION,
    L_RELEASE,
    L_SUMMARY,
    L_CATEGORY,
    L_LICENSE,
    L_URL,
    L_PACKAGER,
    L_BINARIES,
    L_N
};
static const char *const alt_keys[L_N] = {"name",     "epoch",   "version", "release",  "summary",
                                          "category", "license", "url",     "packager", "binaries"};

/* Append the epoch (an integer or a string) unless absent or zero, then ':'. 0, -1, -2 invalid. */
static int alt_epoch(pf_json_parse *c, size_t start, pf_jv ep)
{
    const char *s = NULL;
    char num[32];
    int in = pf_jv_integer_text(ep, num, sizeof num);
    if (in < 0)
        return -2;
    if (in == 1)
        s = num;
    else if (pf_jdec_str(&c->dec, ep, &s) < 0)
        return -2;
    if (!s || strspn(s, "0") == strlen(s))
        return 0;
    if (pf_strlist_add(&c->lists, start, "", s, strlen(s), 0) != 0)
        return -1;
    return pf_strlist_add(&c->lists, start, "", ":", 1, 0);
}

/* Append the address in packager p ("a@b" or "Name <a@b>"), lower-cased, if it is one. */
static int alt_packager(pf_strlist *b, size_t start, const char *p)
{
    if (!p)
        return 0;
    const char *lt = strchr(p, '<');
    const char *s = lt ? lt + 1 : p;
    size_t n = lt ? strcspn(s, ">") : strlen(s);
    while (n > 0 && isspace((unsigned char)*s))
        s++, n--;
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        n--;
    const char *at = memchr(s, '@', n);
    if (!at || at == s || at == s + n - 1)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (isspace((unsigned char)s[i]) || s[i] == ',' || s[i] == '<' || s[i] == '>')
            return 0;
    return pf_strlist_add(b, start, "", s, n, 1);
}

/* The version, binaries and maintainer lists into c->lists. 0, -1 out of memory, -2 invalid. */
static int alt_lists(pf_json_parse *c, const pf_jv *f, const char *ver, const char *rel,
                     const char *packager, size_t *v, size_t *bin, size_t *mnt)
{
    pf_strlist *b = &c->lists;
    b->len = 0;
    *v = pf_strlist_begin(b);
    int r = alt_epoch(c, *v, f[L_EPOCH]);
    if (r != 0)
        return r;
    if (pf_strlist_add(b, *v, "", ver, strlen(ver), 0) != 0 ||
        pf_strlist_add(b, *v, "", "-", 1, 0) != 0 ||
        pf_strlist_add(b, *v, "", rel, strlen(rel), 0) != 0 || pf_strlist_end(b, *v) != 0)
        return -1;
    *bin = pf_strlist_begin(b);
    size_t pos = 0;
    pf_jv el;
    static const char *const name_key[1] = {"name"};
    while ((r = pf_jarr_next(f[L_BINARIES], &pos, &el)) == 1) {
        pf_jv nv;
        const char *bn = NULL;
        if (pf_jobj_scan(el, name_key, 1, &nv) < 0 || pf_jdec_str(&c->dec, nv, &bn) < 0)
            return -2;
        if (bn && bn[0] && !strpbrk(bn, " \t") &&
            pf_strlist_add(b, *bin, " ", bn, strlen(bn), 0) != 0)
            return -1;
    }
    if (r < 0)
        return -2;
    if (pf_strlist_end(b, *bin) != 0)
        return -1;
    *mnt = pf_strlist_begin(b);
    if (alt_packager(b, *mnt, packager) != 0 || pf_strlist_end(b, *mnt) != 0)
        return -1;
    return 0;
}

/* A decoded string field, NULL when empty. */
static const char *alt_nonempty(const char *s)
{
    return s && s[0] ? s : NULL;
}

/* One package object: map and emit it, or count it as skipped. */
static int alt_entry(void *vctx, const pf_js_entry *e, char *err, size_t errlen)
{
    pf_json_parse *c = vctx;
    pf_jv f[L_N];
    const char *s[L_N] = {NULL};
    int sc = pf_jobj_scan((pf_jv){e->text, e->len}, alt_keys, L_N, f);
    if (sc == 0 && pf_jdec_reset(&c->dec, e->len) != 0) {
        c->oom = 1;
        return -1;
    }
    int bad = sc != 0;
    static const int strs[] = {L_NAME,     L_VERSION, L_RELEASE, L_SUMMARY,
                               L_CATEGORY, L_LICENSE, L_URL,     L_PACKAGER};
    for (size_t k = 0; !bad && k < sizeof strs / sizeof strs[0]; k++)
        bad = pf_jdec_str(&c->dec, f[strs[k]], &s[strs[k]]) < 0;
    const char *name = alt_nonempty(s[L_NAME]), *ver = alt_nonempty(s[L_VERSION]),
               *rel = alt_nonempty(s[L_RELEASE]);
    size_t v = 0, bin = 0, mnt = 0;
    int lr = 0;
    if (!bad && name && ver && rel)
        bad = (lr = alt_lists(c, f, ver, rel, s[L_PACKAGER], &v, &bin, &mnt)) == -2;
    if (bad) {
        return pf_json_refused(c, e, err, errlen);
    }
    if (lr != 0) {
        c->oom = 1;
        return -1;
    }
    if (!name || !ver || !rel) {
        c->stats->skipped++;
        return 0;
    }
    pf_record rec;
    memset(&rec, 0, sizeof rec);
    rec.srcname = name;
    rec.binnames = pf_strlist_get(&c->lists, bin);
    rec.version = pf_strlist_get(&c->lists, v);
    rec.maintainers = pf_strlist_get(&c->lists, mnt);
    rec.summary = alt_nonempty(s[L_SUMMARY]);
    rec.category = alt_nonempty(s[L_CATEGORY]);
    rec.license = alt_nonempty(s[L_LICENSE]);
    rec.homepage = alt_nonempty(s[L_URL]);
    return pf_json_emit(c, &rec);
}

/* Parse a whole export (see file comment), filling *stats. */
int pf_parse_alt_json(pf_reader *in, const char *variant, pf_emit_fn emit, void *ctx,
                      pf_parse_stats *stats, char *err, size_t errlen)
{
    (void)variant;
    pf_json_parse c = {0};
    return pf_json_parse_all(&c, in, PF_JS_MEMBER_ARRAY, "packages", "alt-json",
                             "packages without name, version or release", alt_entry, &c, emit, ctx,
                             stats, err, errlen);
}
