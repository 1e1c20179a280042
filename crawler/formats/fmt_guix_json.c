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

/* Flags one source object implies for version (see file comment). */
static unsigned gx_source_flags(const json_t *src, const char *version)
{
    if (!json_is_object(src))
        return 0;
    const char *type = pf_json_str(src, "type");
    const char *hash;
    if (type && strcmp(type, "git") == 0) {
        const char *ref = pf_json_str(src, "git_ref");
        if (!ref || !gx_is_commit(ref))
            return 0;
        if (gx_snapshot_tail(version, 7, &hash) && strncmp(ref, hash, strlen(hash)) == 0)
            return PF_F_IGNORE;
        char ref7[8];
        memcpy(ref7, ref, 7);
        ref7[7] = '\0';
        return strstr(version, ref7) ? PF_F_INCORRECT : 0;
    }
    if (type && strcmp(type, "svn") == 0) {
        const json_t *rv = json_object_get(src, "svn_revision");
        char num[32];
        const char *rev = NULL;
        if (json_is_integer(rv)) {
            snprintf(num, sizeof num, "%lld", (long long)json_integer_value(rv));
            rev = num;
        } else if (json_is_string(rv)) {
            rev = json_string_value(rv);
        }
        return rev && gx_has_component(version, rev) ? PF_F_IGNORE : 0;
    }
    return gx_snapshot_tail(version, 4, &hash) ? PF_F_IGNORE : 0;
}

typedef struct gx_ctx {
    pf_emit_fn emit;
    void *ectx;
    pf_parse_stats *stats;
} gx_ctx;

/* One package object: map and emit it, or count it as skipped. */
static int gx_entry(void *vctx, const json_t *e)
{
    gx_ctx *c = vctx;
    pf_parse_stats *stats = c->stats;
    const char *name = pf_json_str(e, "name"), *version = pf_json_str(e, "version");
    if (!name || !version) {
        stats->skipped++;
        return 0;
    }
    pf_record rec;
    memset(&rec, 0, sizeof rec);
    rec.srcname = name;
    rec.version = version;
    rec.summary = pf_json_str(e, "synopsis");
    rec.homepage = pf_json_str(e, "homepage");
    const json_t *src = json_object_get(e, "source");
    if (json_is_array(src)) {
        size_t i;
        const json_t *s;
        json_array_foreach(src, i, s)
        {
            rec.flags |= gx_source_flags(s, version);
        }
    } else {
        rec.flags |= gx_source_flags(src, version);
    }
    int rc = c->emit(c->ectx, &rec);
    if (rc == 0)
        stats->records++;
    return rc;
}

/* Parse a whole packages.json (see file comment), filling *stats. */
int pf_parse_guix_json(pf_reader *in, const char *variant, pf_emit_fn emit, void *ctx,
                       pf_parse_stats *stats, char *err, size_t errlen)
{
    (void)variant;
    stats->records = stats->skipped = 0;
    gx_ctx c = {emit, ctx, stats};
    int rc = pf_json_entries(in, PF_JS_ARRAY, NULL, "guix-json", gx_entry, &c, err, errlen);
    if (rc == 0)
        rc = pf_parse_check_skipped("guix-json", stats, "packages without name or version", err,
                                    errlen);
    return rc;
}
