/*
 * fmt_guix_json.c — GNU Guix packages.json parser (guix.gnu.org/packages.json).
 *
 * One JSON array with an object per package (the website's
 * packages-json-builder); jsonentries hands out one element at a time.
 *
 * Mapping (docs/formats.md; Repology's GuixJsonParser):
 *   srcname   name (every name role)        version  version, as is
 *   summary   synopsis                      homepage homepage (when a string;
 *                                                      it may be false)
 *   no maintainers, licence or category in the file.
 *
 * Flags, from the package's source (an object, or an array of them; each is
 * looked at and the flags add up):
 *   - type "git" whose git_ref is a commit (>= 7 lower-case hex digits, not
 *     an 8-digit date): IGNORE when the version is Guix's snapshot form
 *     "X-N.<hash>" (N digits, hash >= 7 hex) and git_ref starts with that
 *     hash; else INCORRECT when git_ref's first 7 characters appear anywhere
 *     in the version;
 *   - type "svn": IGNORE when svn_revision is one of the version's
 *     components split at '.', '_' and '-';
 *   - any other type (url, hg, null): IGNORE when the version ends in the
 *     snapshot form "-N.<hex>" (hex >= 4 digits).
 *
 * An element that is not an object or has no name or an empty version is
 * skipped and counted; more skipped than kept fails the parse.
 */
#include <stdio.h>
#include <string.h>

#include "pkgfresh/format.h"
#include "pkgfresh/jsonentries.h"
#include "pkgfresh/jsonobj.h"

/* Count of leading bytes of s that are in [0-9a-f]. */
static size_t gx_hexlen(const char *s)
{
    size_t n = 0;
    while ((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f'))
        n++;
    return n;
}

/*
 * Does version end in "-<digits>.<hex>" with at least minhex hex digits
 * after the last '-'? Then *hash points at the hex part. Only the last '-'
 * can match, since the tail holds no '-'.
 */
static int gx_snapshot_tail(const char *version, size_t minhex, const char **hash)
{
    const char *dash = strrchr(version, '-');
    if (!dash || dash == version)
        return 0;
    const char *p = dash + 1;
    size_t d = strspn(p, "0123456789");
    if (d == 0 || p[d] != '.')
        return 0;
    p += d + 1;
    size_t h = gx_hexlen(p);
    if (h < minhex || p[h] != '\0')
        return 0;
    *hash = p;
    return 1;
}

/* Is ref a commit hash: >= 7 lower-case hex digits and all of it, not an 8-digit date? */
static int gx_is_commit(const char *ref)
{
    size_t n = strlen(ref);
    return n >= 7 && gx_hexlen(ref) == n && !(n == 8 && strspn(ref, "0123456789") == 8);
}

/* Is rev one of version's components split at '.', '_' and '-'? */
static int gx_has_component(const char *version, const char *rev)
{
    size_t rl = strlen(rev);
    for (const char *p = version;;) {
        size_t n = strcspn(p, "._-");
        if (n == rl && strncmp(p, rev, n) == 0)
            return 1;
        if (!p[n])
            return 0;
        p += n + 1;
    }
}

/*
 * OR the flags one source object implies for version (file comment) into
 * *flags. 0, or -1 when a string in it is invalid.
 */
static int gx_source_flags(pf_json_parse *c, pf_jv src, const char *version, unsigned *flags)
{
    static const char *const keys[3] = {"type", "git_ref", "svn_revision"};
    pf_jv f[3];
    if (pf_jobj_scan(src, keys, 3, f) != 0)
        return 0; /* not an object (or refused: the entry check below catches that) */
    const char *type = NULL, *hash;
    if (pf_jdec_str(&c->dec, f[0], &type) < 0)
        return -1;
    if (type && strcmp(type, "git") == 0) {
        const char *ref = NULL;
        if (pf_jdec_str(&c->dec, f[1], &ref) < 0)
            return -1;
        if (!ref || !gx_is_commit(ref))
            return 0;
        if (gx_snapshot_tail(version, 7, &hash) && strncmp(ref, hash, strlen(hash)) == 0) {
            *flags |= PF_F_IGNORE;
            return 0;
        }
        char ref7[8];
        memcpy(ref7, ref, 7);
        ref7[7] = '\0';
        if (strstr(version, ref7))
            *flags |= PF_F_INCORRECT;
        return 0;
    }
    if (type && strcmp(type, "svn") == 0) {
        char num[32];
        const char *rev = NULL;
        int in = pf_jv_integer_text(f[2], num, sizeof num);
        if (in < 0)
            return -1;
        if (in == 1)
            rev = num;
        else if (pf_jdec_str(&c->dec, f[2], &rev) < 0)
            return -1;
        if (rev && gx_has_component(version, rev))
            *flags |= PF_F_IGNORE;
        return 0;
    }
    if (gx_snapshot_tail(version, 4, &hash))
        *flags |= PF_F_IGNORE;
    return 0;
}

/* One package object: map and emit it, or count it as skipped. */
static int gx_entry(void *vctx, const pf_js_entry *e, char *err, size_t errlen)
{
    pf_json_parse *c = vctx;
    static const char *const keys[5] = {"name", "version", "synopsis", "homepage", "source"};
    pf_jv f[5];
    const char *name = NULL, *version = NULL, *syn = NULL, *home = NULL;
    int sc = pf_jobj_scan((pf_jv){e->text, e->len}, keys, 5, f);
    if (sc == 0 && pf_jdec_reset(&c->dec, e->len) != 0) {
        c->oom = 1;
        return -1;
    }
    int bad = sc != 0 || pf_jdec_str(&c->dec, f[0], &name) < 0 ||
              pf_jdec_str(&c->dec, f[1], &version) < 0 || pf_jdec_str(&c->dec, f[2], &syn) < 0 ||
              pf_jdec_str(&c->dec, f[3], &home) < 0;
    pf_record rec;
    memset(&rec, 0, sizeof rec);
    if (!bad && name && name[0] && version && version[0]) {
        if (pf_jv_is_array(f[4])) {
            size_t pos = 0;
            pf_jv el;
            int r;
            while (!bad && (r = pf_jarr_next(f[4], &pos, &el)) == 1)
                bad = gx_source_flags(c, el, version, &rec.flags) != 0;
            bad |= r < 0;
        } else {
            bad = gx_source_flags(c, f[4], version, &rec.flags) != 0;
        }
    }
    if (bad) {
        return pf_json_refused(c, e, err, errlen);
    }
    if (!name || !name[0] || !version || !version[0]) {
        c->stats->skipped++;
        return 0;
    }
    rec.srcname = name;
    rec.version = version;
    rec.summary = syn && syn[0] ? syn : NULL;
    rec.homepage = home && home[0] ? home : NULL;
    return pf_json_emit(c, &rec);
}

/* Parse a whole packages.json (see file comment), filling *stats. */
int pf_parse_guix_json(pf_reader *in, const char *variant, pf_emit_fn emit, void *ctx,
                       pf_parse_stats *stats, char *err, size_t errlen)
{
    (void)variant;
    pf_json_parse c = {0};
    return pf_json_parse_all(&c, in, PF_JS_ARRAY, NULL, "guix-json",
                             "packages without name or version", gx_entry, &c, emit, ctx, stats,
                             err, errlen);
}
