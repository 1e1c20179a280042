/*
 * jsonfmt_ref.c — reference versions of the JSON format parsers that build
 * a jansson tree per entry (pkgfresh's first implementation of aur-json,
 * alt-json, macports-json, guix-json, homebrew-cask-json, cygwin-json and
 * homebrew-json).
 * tests/test_fmt_json_diff.c runs them next to the production parsers, which read the text directly
 * (crawler/jsonobj.c), and requires the same records and counters.
 */
#include "jsonfmt_ref.h"

#include <ctype.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkgfresh/grow.h"
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

typedef struct cask_ctx {
    pf_emit_fn emit;
    void *ectx;
    pf_parse_stats *stats;
    int oom;
} cask_ctx;

/* One cask (the jansson version of fmt_homebrew_cask_json.c). */
static int cask_entry(void *vctx, const json_t *e)
{
    cask_ctx *c = vctx;
    const char *token = ref_json_str(e, "token");
    const char *version = ref_json_str(e, "version");
    size_t n = version ? strcspn(version, ",") : 0;
    if (!token || n == 0) {
        c->stats->skipped++;
        return 0;
    }
    char *ver = strndup(version, n);
    if (!ver) {
        c->oom = 1;
        return -1;
    }
    pf_record rec;
    memset(&rec, 0, sizeof rec);
    rec.srcname = token;
    rec.version = ver;
    rec.summary = ref_json_str(e, "desc");
    rec.homepage = ref_json_str(e, "homepage");
    int rc = c->emit(c->ectx, &rec);
    free(ver);
    if (rc == 0)
        c->stats->records++;
    return rc;
}

/* Parse a whole cask.json with a jansson tree per cask. */
int ref_parse_homebrew_cask_json(pf_reader *in, const char *variant, pf_emit_fn emit, void *ctx,
                                 pf_parse_stats *stats, char *err, size_t errlen)
{
    (void)variant;
    stats->records = stats->skipped = 0;
    cask_ctx c = {.emit = emit, .ectx = ctx, .stats = stats};
    int rc =
        ref_json_entries(in, PF_JS_ARRAY, NULL, "homebrew-cask-json", cask_entry, &c, err, errlen);
    if (c.oom) {
        snprintf(err, errlen, "homebrew-cask-json: out of memory");
        return -1;
    }
    return rc;
}

/* Scratch buffers for one package: binnames and maintainers. */
typedef struct ref_cyg_buf {
    char *bin, *mnt;
    size_t bincap, mntcap;
} ref_cyg_buf;

/* Does the categories array of a subpackage contain "_obsolete"? */
static int ref_cyg_obsolete(const json_t *cats)
{
    size_t i;
    const json_t *c;
    json_array_foreach(cats, i, c) if (json_is_string(c) &&
                                       strcmp(json_string_value(c), "_obsolete") == 0) return 1;
    return 0;
}

/* Append s (n bytes) to a space- or comma-separated list at *buf. 0 ok, -1 out of memory. */
static int ref_cyg_append(char **buf, size_t *cap, size_t *len, const char *s, size_t n, char sep)
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
static int ref_cyg_subpackages(const json_t *subs, const char *srcname, ref_cyg_buf *b,
                               pf_record *rec)
{
    size_t len = 0, i;
    const json_t *sp;
    const char *cat = NULL;
    int own = 0;
    json_array_foreach(subs, i, sp)
    {
        const char *n = json_is_object(sp) ? ref_json_str(sp, "name") : NULL;
        const json_t *cats = json_is_object(sp) ? json_object_get(sp, "categories") : NULL;
        if (!n || (json_is_array(cats) && ref_cyg_obsolete(cats)))
            continue;
        if (ref_cyg_append(&b->bin, &b->bincap, &len, n, strlen(n), ' ') != 0)
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
static int ref_cyg_maintainers(const json_t *list, ref_cyg_buf *b, pf_record *rec)
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
static const char *ref_cyg_last(const json_t *versions, const char *maturity)
{
    const json_t *a = json_object_get(versions, maturity);
    if (!json_is_array(a) || json_array_size(a) == 0)
        return NULL;
    const json_t *v = json_array_get(a, json_array_size(a) - 1);
    return json_is_string(v) && json_string_value(v)[0] ? json_string_value(v) : NULL;
}

/* Emit the records of one package (the jansson version of fmt_cygwin_json.c). */
static int ref_cyg_package(const json_t *p, ref_cyg_buf *b, pf_emit_fn emit, void *ctx,
                           pf_parse_stats *stats, int *oom)
{
    const char *name = json_is_object(p) ? ref_json_str(p, "name") : NULL;
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
    rec.summary = ref_json_str(p, "summary");
    rec.homepage = ref_json_str(p, "homepage");
    int kept = ref_cyg_subpackages(subs, name, b, &rec);
    if (kept < 0 || ref_cyg_maintainers(json_object_get(p, "maintainers"), b, &rec) != 0) {
        *oom = 1;
        return -1;
    }
    if (kept == 0) {
        stats->skipped++;
        return 0;
    }
    static const char *const maturities[] = {"stable", "test"};
    for (int m = 0; m < 2; m++) {
        const char *v = ref_cyg_last(versions, maturities[m]);
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

typedef struct ref_cyg_ctx {
    ref_cyg_buf b;
    pf_emit_fn emit;
    void *ectx;
    pf_parse_stats *stats;
    int oom;
} ref_cyg_ctx;

/* One package with a jansson tree. */
static int ref_cyg_entry(void *vctx, const json_t *p)
{
    ref_cyg_ctx *c = vctx;
    return ref_cyg_package(p, &c->b, c->emit, c->ectx, c->stats, &c->oom);
}

/* Parse a whole Cygwin packages.json with a jansson tree per package. */
int ref_parse_cygwin_json(pf_reader *in, const char *variant, pf_emit_fn emit, void *ctx,
                          pf_parse_stats *stats, char *err, size_t errlen)
{
    (void)variant;
    stats->records = stats->skipped = 0;
    ref_cyg_ctx c = {.emit = emit, .ectx = ctx, .stats = stats};
    int rc = ref_json_entries(in, PF_JS_MEMBER_ARRAY, "packages", "cygwin-json", ref_cyg_entry, &c,
                              err, errlen);
    if (c.oom) {
        snprintf(err, errlen, "cygwin-json: out of memory");
        rc = -1;
    }
    free(c.b.bin);
    free(c.b.mnt);
    return rc;
}

/* Emit the records of one formula object. Returns 0 or the emit value to stop. */
static int ref_hb_formula(const json_t *f, pf_emit_fn emit, void *ctx, pf_parse_stats *stats)
{
    const char *name = json_is_object(f) ? ref_json_str(f, "name") : NULL;
    if (!name) {
        stats->skipped++;
        return 0;
    }
    const json_t *versions = json_object_get(f, "versions");
    if (!json_is_object(versions))
        versions = NULL;

    pf_record rec;
    memset(&rec, 0, sizeof rec);
    rec.srcname = name;
    rec.summary = ref_json_str(f, "desc");
    rec.homepage = ref_json_str(f, "homepage");
    rec.license = ref_json_str(f, "license");

    const char *stable = versions ? ref_json_str(versions, "stable") : NULL;
    if (stable) {
        rec.version = stable;
        int rc = emit(ctx, &rec);
        if (rc != 0)
            return rc;
        stats->records++;
    } else {
        stats->skipped++;
    }

    const json_t *head = versions ? json_object_get(versions, "head") : NULL;
    if (head && !json_is_null(head)) {
        const char *hv = ref_json_str(versions, "head");
        rec.version = hv ? hv : "HEAD";
        rec.flags = PF_F_ROLLING;
        int rc = emit(ctx, &rec);
        if (rc != 0)
            return rc;
        stats->records++;
    }
    return 0;
}

/* The jansson version of fmt_homebrew_json.c. */
typedef struct ref_hb_ctx {
    pf_emit_fn emit;
    void *ctx;
    pf_parse_stats *stats;
} ref_hb_ctx;

/* One formula with a jansson tree. */
static int ref_hb_entry(void *arg, const json_t *f)
{
    ref_hb_ctx *c = arg;
    return ref_hb_formula(f, c->emit, c->ctx, c->stats);
}

/* Parse a whole formula.json with a jansson tree per formula. */
int ref_parse_homebrew_json(pf_reader *in, const char *variant, pf_emit_fn emit, void *ctx,
                            pf_parse_stats *stats, char *err, size_t errlen)
{
    (void)variant;
    stats->records = stats->skipped = 0;
    ref_hb_ctx c = {emit, ctx, stats};
    return ref_json_entries(in, PF_JS_ARRAY, NULL, "homebrew-json", ref_hb_entry, &c, err, errlen);
}
