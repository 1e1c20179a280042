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
#include "pkgfresh/strlist.h"

typedef struct alt_ctx {
    pf_emit_fn emit;
    void *ectx;
    pf_parse_stats *stats;
    pf_strlist b;
    int oom;
} alt_ctx;

/* Append the epoch value (number or string) unless it is absent or zero; then ':'. */
static int alt_epoch(pf_strlist *b, size_t start, const json_t *ep)
{
    char num[32];
    const char *s = NULL;
    if (json_is_integer(ep)) {
        snprintf(num, sizeof num, "%lld", (long long)json_integer_value(ep));
        s = num;
    } else if (json_is_string(ep)) {
        s = json_string_value(ep);
    }
    if (!s || strspn(s, "0") == strlen(s))
        return 0;
    if (pf_strlist_add(b, start, "", s, strlen(s), 0) != 0)
        return -1;
    return pf_strlist_add(b, start, "", ":", 1, 0);
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

/* One package object: map and emit it, or count it as skipped. */
static int alt_entry(void *vctx, const json_t *e)
{
    alt_ctx *c = vctx;
    const char *name = pf_json_str(e, "name"), *ver = pf_json_str(e, "version"),
               *rel = pf_json_str(e, "release");
    if (!name || !ver || !rel) {
        c->stats->skipped++;
        return 0;
    }
    pf_strlist *b = &c->b;
    b->len = 0;
    int bad = 0;
    size_t v = pf_strlist_begin(b);
    bad |= alt_epoch(b, v, json_object_get(e, "epoch"));
    bad |= pf_strlist_add(b, v, "", ver, strlen(ver), 0);
    bad |= pf_strlist_add(b, v, "", "-", 1, 0);
    bad |= pf_strlist_add(b, v, "", rel, strlen(rel), 0);
    bad |= pf_strlist_end(b, v);

    size_t bin = pf_strlist_begin(b);
    size_t i;
    const json_t *x;
    json_array_foreach(json_object_get(e, "binaries"), i, x)
    {
        const char *bn = pf_json_str(x, "name");
        if (bn && !strpbrk(bn, " \t"))
            bad |= pf_strlist_add(b, bin, " ", bn, strlen(bn), 0);
    }
    bad |= pf_strlist_end(b, bin);

    size_t mnt = pf_strlist_begin(b);
    bad |= alt_packager(b, mnt, pf_json_str(e, "packager"));
    bad |= pf_strlist_end(b, mnt);
    if (bad) {
        c->oom = 1;
        return -1;
    }

    pf_record rec;
    memset(&rec, 0, sizeof rec);
    rec.srcname = name;
    rec.binnames = pf_strlist_get(b, bin);
    rec.version = pf_strlist_get(b, v);
    rec.maintainers = pf_strlist_get(b, mnt);
    rec.summary = pf_json_str(e, "summary");
    rec.category = pf_json_str(e, "category");
    rec.license = pf_json_str(e, "license");
    rec.homepage = pf_json_str(e, "url");
    int rc = c->emit(c->ectx, &rec);
    if (rc == 0)
        c->stats->records++;
    return rc;
}

/* Parse a whole export (see file comment), filling *stats. */
int pf_parse_alt_json(pf_reader *in, const char *variant, pf_emit_fn emit, void *ctx,
                      pf_parse_stats *stats, char *err, size_t errlen)
{
    (void)variant;
    stats->records = stats->skipped = 0;
    alt_ctx c = {emit, ctx, stats, {0}, 0};
    int rc =
        pf_json_entries(in, PF_JS_MEMBER_ARRAY, "packages", "alt-json", alt_entry, &c, err, errlen);
    pf_strlist_free(&c.b);
    if (c.oom) {
        snprintf(err, errlen, "alt-json: out of memory");
        return -1;
    }
    if (rc == 0)
        rc = pf_parse_check_skipped("alt-json", stats, "packages without name, version or release",
                                    err, errlen);
    return rc;
}
