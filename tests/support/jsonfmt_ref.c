/*
 * jsonfmt_ref.c — reference versions of the JSON format parsers that build
 * a jansson tree per entry (pkgfresh's first implementation of aur-json,
 * alt-json, macports-json and guix-json). tests/test_fmt_json_diff.c runs
 * them next to the production parsers, which read the text directly
 * (crawler/jsonobj.c), and requires the same records and counters.
 */
#include "jsonfmt_ref.h"

#include <ctype.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "pkgfresh/jsonstream.h"
#include "pkgfresh/strlist.h"

typedef int (*ref_json_entry_fn)(void *ctx, const json_t *entry);

/* The entry loop (see jsonentries.h). */
static int ref_json_entries(pf_reader *in, pf_js_shape shape, const char *member, const char *fmt,
                            ref_json_entry_fn fn, void *ctx, char *err, size_t errlen)
{
    pf_jsonstream *js = pf_jsonstream_new(in, shape, member, 0, 0);
    if (!js) {
        snprintf(err, errlen, "%s: out of memory", fmt);
        return -1;
    }
    int rc = 0;
    for (;;) {
        pf_js_entry e;
        int got = pf_jsonstream_next(js, &e);
        if (got < 0) {
            snprintf(err, errlen, "%s: %s", fmt, pf_jsonstream_error(js));
            rc = -1;
            break;
        }
        if (got == 0)
            break;
        json_error_t jerr;
        json_t *v = json_loadb(e.text, e.len, JSON_DECODE_ANY, &jerr);
        if (!v) {
            size_t pos = (size_t)jerr.position > e.prefix ? (size_t)jerr.position - e.prefix : 0;
            snprintf(err, errlen, "%s: invalid JSON at byte %llu: %s", fmt,
                     (unsigned long long)(e.offset + pos), jerr.text);
            rc = -1;
            break;
        }
        rc = fn(ctx, v);
        json_decref(v);
        if (rc != 0)
            break;
    }
    pf_jsonstream_free(js);
    return rc;
}

/* A non-empty string member of obj, else NULL. */
static const char *ref_json_str(const json_t *obj, const char *key)
{
    const json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
    if (!json_is_string(v) || !json_string_value(v)[0])
        return NULL;
    return json_string_value(v);
}

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
    const char *name = ref_json_str(e, "Name"), *version = ref_json_str(e, "Version");
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

    const char *base = ref_json_str(e, "PackageBase");
    pf_record rec;
    memset(&rec, 0, sizeof rec);
    rec.srcname = base ? base : name;
    rec.binnames = name;
    rec.version = version;
    rec.summary = ref_json_str(e, "Description");
    rec.homepage = ref_json_str(e, "URL");
    rec.license = pf_strlist_get(b, lic);
    rec.maintainers = pf_strlist_get(b, mnt);
    int rc = c->emit(c->ectx, &rec);
    if (rc == 0)
        c->stats->records++;
    return rc;
}

/* Parse a whole AUR package list (see file comment), filling *stats. */
int ref_parse_aur_json(pf_reader *in, const char *variant, pf_emit_fn emit, void *ctx,
                       pf_parse_stats *stats, char *err, size_t errlen)
{
    (void)variant;
    stats->records = stats->skipped = 0;
    aur_ctx c = {emit, ctx, stats, {0}, 0};
    int rc = ref_json_entries(in, PF_JS_ARRAY, NULL, "aur-json", aur_entry, &c, err, errlen);
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
    const char *name = ref_json_str(e, "name"), *ver = ref_json_str(e, "version"),
               *rel = ref_json_str(e, "release");
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
        const char *bn = ref_json_str(x, "name");
        if (bn && !strpbrk(bn, " \t"))
            bad |= pf_strlist_add(b, bin, " ", bn, strlen(bn), 0);
    }
    bad |= pf_strlist_end(b, bin);

    size_t mnt = pf_strlist_begin(b);
    bad |= alt_packager(b, mnt, ref_json_str(e, "packager"));
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
    rec.summary = ref_json_str(e, "summary");
    rec.category = ref_json_str(e, "category");
    rec.license = ref_json_str(e, "license");
    rec.homepage = ref_json_str(e, "url");
    int rc = c->emit(c->ectx, &rec);
    if (rc == 0)
        c->stats->records++;
    return rc;
}

/* Parse a whole export (see file comment), filling *stats. */
int ref_parse_alt_json(pf_reader *in, const char *variant, pf_emit_fn emit, void *ctx,
                       pf_parse_stats *stats, char *err, size_t errlen)
{
    (void)variant;
    stats->records = stats->skipped = 0;
    alt_ctx c = {emit, ctx, stats, {0}, 0};
    int rc = ref_json_entries(in, PF_JS_MEMBER_ARRAY, "packages", "alt-json", alt_entry, &c, err,
                              errlen);
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

typedef struct mp_ctx {
    pf_emit_fn emit;
    void *ectx;
    pf_parse_stats *stats;
    pf_strlist b;
    int oom;
} mp_ctx;

/* Is s[0..n) a plain handle or mailbox name (no separators a maintainer list uses)? */
static int mp_plain(const char *s, size_t n)
{
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] == ' ' || s[i] == '\t' || s[i] == ',' || s[i] == '<' || s[i] == '>' || s[i] == '@')
            return 0;
    return 1;
}

/* Append "<user>@<host>" to the list at start when user is plain. */
static int mp_add(pf_strlist *b, size_t start, const char *user, const char *host)
{
    if (!user || !mp_plain(user, strlen(user)))
        return 0;
    if (pf_strlist_add(b, start, ",", user, strlen(user), 1) != 0)
        return -1;
    return pf_strlist_add(b, b->len, "", host, strlen(host), 0); /* start = len: no separator */
}

/* The maintainers of one port into the list at start (see file comment). */
static int mp_maintainers(pf_strlist *b, size_t start, const json_t *arr)
{
    if (!json_is_array(arr))
        return 0;
    if (json_array_size(arr) == 0)
        return pf_strlist_add(b, start, "", "nomaintainer@macports.org", 25, 0);
    size_t i;
    const json_t *m;
    json_array_foreach(arr, i, m)
    {
        const json_t *email = json_object_get(m, "email");
        const char *domain = ref_json_str(email, "domain");
        if (domain && strcmp(domain, "macports.org") == 0 &&
            mp_add(b, start, ref_json_str(email, "name"), "@macports") != 0)
            return -1;
        if (mp_add(b, start, ref_json_str(m, "github"), "@github") != 0)
            return -1;
    }
    return 0;
}

/* Is name the last component of portdir followed by "-devel"? */
static int mp_is_devel_port(const char *name, const char *portdir)
{
    const char *slash = strrchr(portdir, '/');
    const char *base = slash ? slash + 1 : portdir;
    size_t bl = strlen(base), nl = strlen(name);
    return bl > 0 && nl == bl + 6 && strncmp(name, base, bl) == 0 &&
           strcmp(name + bl, "-devel") == 0;
}

/* One port object: map and emit it, drop it, or count it as skipped. */
static int mp_entry(void *vctx, const json_t *e)
{
    mp_ctx *c = vctx;
    if (json_is_object(e) && json_object_get(e, "replaced_by"))
        return 0;
    const char *name = ref_json_str(e, "name"), *ver = ref_json_str(e, "version"),
               *portdir = ref_json_str(e, "portdir");
    if (!name || !ver || !portdir) {
        c->stats->skipped++;
        return 0;
    }
    pf_strlist *b = &c->b;
    b->len = 0;
    size_t mnt = pf_strlist_begin(b);
    if (mp_maintainers(b, mnt, json_object_get(e, "maintainers")) != 0 ||
        pf_strlist_end(b, mnt) != 0) {
        c->oom = 1;
        return -1;
    }
    const json_t *cats = json_object_get(e, "categories");
    const json_t *cat0 = json_is_array(cats) ? json_array_get(cats, 0) : NULL;

    pf_record rec;
    memset(&rec, 0, sizeof rec);
    rec.srcname = portdir;
    rec.binnames = name;
    rec.version = ver;
    rec.summary = ref_json_str(e, "description");
    rec.homepage = ref_json_str(e, "homepage");
    rec.license = ref_json_str(e, "license");
    rec.category =
        json_is_string(cat0) && json_string_value(cat0)[0] ? json_string_value(cat0) : NULL;
    rec.maintainers = pf_strlist_get(b, mnt);
    if (mp_is_devel_port(name, portdir))
        rec.flags |= PF_F_IGNORE;
    int rc = c->emit(c->ectx, &rec);
    if (rc == 0)
        c->stats->records++;
    return rc;
}

/* Parse a whole PortIndex.json (see file comment), filling *stats. */
int ref_parse_macports_json(pf_reader *in, const char *variant, pf_emit_fn emit, void *ctx,
                            pf_parse_stats *stats, char *err, size_t errlen)
{
    (void)variant;
    stats->records = stats->skipped = 0;
    mp_ctx c = {emit, ctx, stats, {0}, 0};
    int rc = ref_json_entries(in, PF_JS_MEMBER_ARRAY, "ports", "macports-json", mp_entry, &c, err,
                              errlen);
    pf_strlist_free(&c.b);
    if (c.oom) {
        snprintf(err, errlen, "macports-json: out of memory");
        return -1;
    }
    if (rc == 0)
        rc = pf_parse_check_skipped("macports-json", stats,
                                    "ports without name, version or portdir", err, errlen);
    return rc;
}

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
    const char *type = ref_json_str(src, "type");
    const char *hash;
    if (type && strcmp(type, "git") == 0) {
        const char *ref = ref_json_str(src, "git_ref");
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
    const char *name = ref_json_str(e, "name"), *version = ref_json_str(e, "version");
    if (!name || !version) {
        stats->skipped++;
        return 0;
    }
    pf_record rec;
    memset(&rec, 0, sizeof rec);
    rec.srcname = name;
    rec.version = version;
    rec.summary = ref_json_str(e, "synopsis");
    rec.homepage = ref_json_str(e, "homepage");
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
int ref_parse_guix_json(pf_reader *in, const char *variant, pf_emit_fn emit, void *ctx,
                        pf_parse_stats *stats, char *err, size_t errlen)
{
    (void)variant;
    stats->records = stats->skipped = 0;
    gx_ctx c = {emit, ctx, stats};
    int rc = ref_json_entries(in, PF_JS_ARRAY, NULL, "guix-json", gx_entry, &c, err, errlen);
    if (rc == 0)
        rc = pf_parse_check_skipped("guix-json", stats, "packages without name or version", err,
                                    errlen);
    return rc;
}
