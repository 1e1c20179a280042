/*
 * json_export_ref.c — reference version of the json-export reader
 * (crawler/formats/fmt_json_export.c) that builds a jansson tree per entry:
 * pkgfresh's first implementation, kept as the oracle. tests/test_fmt_json_diff.c
 * and fuzz/fuzz_json_export.c run it next to the production reader, which
 * reads the entries' text directly (crawler/jsonobj.c), and require the same
 * records, counters and messages. See the production file for the dialects.
 */
#include "json_export_ref.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkgfresh/format.h"
#include "pkgfresh/grow.h"
#include "pkgfresh/jsonstream.h"
#include "pkgfresh/maintainers.h"
#include "pkgfresh/ndjson.h"
#include "pkgfresh/version.h"

/* Where the entries are. */
typedef enum jx_shape {
    JX_ARRAY,  /* [ entry, ... ] */
    JX_LIST,   /* { "<member>": [ entry, ... ] } */
    JX_DICT,   /* { "<member>": { "key": entry, ... } } */
    JX_NDJSON, /* one entry per line */
} jx_shape;

/* How the maintainer field is read. */
typedef enum jx_mk {
    MK_NONE,
    MK_PROSE,  /* a string of prose: extract_maintainers */
    MK_LIST,   /* a string or a list of strings, each an address */
    MK_EMAILS, /* a list of objects, their "email" members */
    MK_SPACK,  /* a list of GitHub handles: "<handle>@spack" */
} jx_mk;

/* The record fields kept in the scratch buffer. */
enum jx_field { F_SRC, F_BIN, F_VER, F_SUM, F_HOME, F_LIC, F_CAT, F_COUNT };

/* What a hook decides about an entry. */
enum jx_verdict {
    JX_GO,   /* emit it */
    JX_SKIP, /* unusable: count it as skipped */
    JX_DROP, /* left out on purpose, as Repology's parser does (not counted) */
    JX_DONE, /* the hook emitted the records itself (x->rc holds emit's value) */
};

typedef struct jx jx;
typedef int (*jx_hook)(jx *x, const json_t *e);

/* One dialect (see the file comment). Keys are NULL when the dialect has no such field. */
typedef struct jx_dialect {
    const char *variant;
    const char *format; /* the catalog format name: prefix of every error */
    jx_shape shape;
    const char *member; /* JX_LIST, JX_DICT: the top-level member */
    const char *name, *bin, *version, *summary, *homepage, *license, *category, *maint;
    jx_mk maint_kind;
    int split_homepage; /* homepage is a space-separated list: the first one */
    jx_hook hook;       /* runs after the fields are read, before the checks */
} jx_dialect;

/*
 * Parse state. Invariant: field f, when off[f] != SIZE_MAX, is the
 * NUL-terminated string buf + off[f]; maint[0..mlen) is the maintainer list.
 */
struct jx {
    const jx_dialect *d;
    char *buf;
    size_t len, cap;
    size_t off[F_COUNT];
    char *maint;
    size_t mlen, mcap;
    unsigned flags;
    int oom;
    pf_emit_fn emit;
    void *ctx;
    pf_parse_stats *stats;
    int rc; /* the non-zero value emit returned */
};

/* ---- field helpers ------------------------------------------------------- */

/* The value at a dotted path ("a.b", "variants.0.sdesc"); NULL when any step is missing. */
static const json_t *jx_path(const json_t *o, const char *path)
{
    char key[64];
    while (o && path && *path) {
        const char *dot = strchr(path, '.');
        size_t n = dot ? (size_t)(dot - path) : strlen(path);
        if (n >= sizeof key)
            return NULL;
        memcpy(key, path, n);
        key[n] = '\0';
        if (json_is_array(o)) {
            char *end;
            unsigned long i = strtoul(key, &end, 10);
            o = *end ? NULL : json_array_get(o, i);
        } else {
            o = json_object_get(o, key);
        }
        path = dot ? dot + 1 : NULL;
    }
    return o;
}

/* A string value, NULL when v is not a string. */
static const char *jx_text(const json_t *v)
{
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* The first string of v: v itself, or the first string element of an array. */
static const char *jx_first(const json_t *v)
{
    if (json_is_array(v)) {
        size_t i;
        const json_t *el;
        json_array_foreach(v, i, el) if (json_is_string(el)) return json_string_value(el);
        return NULL;
    }
    return jx_text(v);
}

/* Store s[0..n) as field f (replacing it); empty values stay absent. */
static void jx_set(jx *x, int f, const char *s, size_t n)
{
    if (!s || n == 0) {
        x->off[f] = SIZE_MAX;
        return;
    }
    if (pf_grow(&x->buf, &x->cap, x->len, n + 1) != 0) {
        x->oom = 1;
        return;
    }
    memcpy(x->buf + x->len, s, n);
    x->buf[x->len + n] = '\0';
    x->off[f] = x->len;
    x->len += n + 1;
}

/* Store a C string as field f. */
static void jx_set_str(jx *x, int f, const char *s)
{
    jx_set(x, f, s, s ? strlen(s) : 0);
}

/* Field f as a C string, NULL when absent. */
static const char *jx_get(const jx *x, int f)
{
    return x->off[f] == SIZE_MAX ? NULL : x->buf + x->off[f];
}

/*
 * Append s as the next element of field f, joined by sep (the field must be
 * the last one stored, so it can grow in place).
 */
static void jx_append(jx *x, int f, const char *sep, const char *s)
{
    if (!s || !*s)
        return;
    if (x->off[f] == SIZE_MAX) {
        jx_set_str(x, f, s);
        return;
    }
    size_t sl = strlen(sep), n = strlen(s);
    if (pf_grow(&x->buf, &x->cap, x->len, sl + n + 1) != 0) {
        x->oom = 1;
        return;
    }
    x->len--; /* over the NUL */
    memcpy(x->buf + x->len, sep, sl);
    memcpy(x->buf + x->len + sl, s, n + 1);
    x->len += sl + n + 1;
}

/* Add one address to the maintainer list. */
static void jx_maint_add(jx *x, const char *s, size_t n)
{
    if (pf_maint_add(s, n, &x->maint, &x->mlen, &x->mcap) < 0)
        x->oom = 1;
}

/* Read the maintainer field of e into the list, as the dialect says. */
static void jx_read_maint(jx *x, const json_t *e)
{
    const json_t *v = x->d->maint ? jx_path(e, x->d->maint) : NULL;
    size_t i;
    const json_t *el;
    switch (x->d->maint_kind) {
    case MK_PROSE:
        if (json_is_string(v) && pf_maint_extract(json_string_value(v), json_string_length(v),
                                                  &x->maint, &x->mlen, &x->mcap) < 0)
            x->oom = 1;
        break;
    case MK_LIST:
        if (json_is_string(v))
            jx_maint_add(x, json_string_value(v), json_string_length(v));
        json_array_foreach(v, i, el) if (json_is_string(el))
            jx_maint_add(x, json_string_value(el), json_string_length(el));
        break;
    case MK_EMAILS:
        json_array_foreach(v, i, el)
        {
            const json_t *m = json_object_get(el, "email");
            if (json_is_string(m))
                jx_maint_add(x, json_string_value(m), json_string_length(m));
        }
        break;
    case MK_SPACK:
        json_array_foreach(v, i, el) if (json_is_string(el))
        {
            char a[256];
            int n = snprintf(a, sizeof a, "%s@spack", json_string_value(el));
            if (n > 0 && (size_t)n < sizeof a)
                jx_maint_add(x, a, (size_t)n);
        }
        break;
    case MK_NONE:
        break;
    }
}

/* Read every table-driven field of entry e (the hook may change them after). */
static void jx_read_fields(jx *x, const json_t *e)
{
    const jx_dialect *d = x->d;
    x->len = 0;
    x->mlen = 0;
    x->flags = 0;
    for (int f = 0; f < F_COUNT; f++)
        x->off[f] = SIZE_MAX;
    if (x->maint)
        x->maint[0] = '\0';
    jx_set_str(x, F_SRC, d->name ? jx_text(jx_path(e, d->name)) : NULL);
    jx_set_str(x, F_BIN, d->bin ? jx_text(jx_path(e, d->bin)) : NULL);
    jx_set_str(x, F_VER, d->version ? jx_text(jx_path(e, d->version)) : NULL);
    jx_set_str(x, F_SUM, d->summary ? jx_text(jx_path(e, d->summary)) : NULL);
    jx_set_str(x, F_CAT, d->category ? jx_first(jx_path(e, d->category)) : NULL);
    const char *home = d->homepage ? jx_first(jx_path(e, d->homepage)) : NULL;
    if (home && d->split_homepage) {
        home += strspn(home, " \t\r\n");
        jx_set(x, F_HOME, home, strcspn(home, " \t\r\n"));
    } else {
        jx_set_str(x, F_HOME, home);
    }
    const json_t *lic = d->license ? jx_path(e, d->license) : NULL;
    if (json_is_array(lic)) {
        size_t i;
        const json_t *el;
        x->off[F_LIC] = SIZE_MAX;
        json_array_foreach(lic, i, el) jx_append(x, F_LIC, ", ", jx_text(el));
    } else {
        jx_set_str(x, F_LIC, jx_text(lic));
    }
    jx_read_maint(x, e);
}

/* Emit the record held in x with version ver (NULL = field F_VER). */
static int jx_emit(jx *x, const char *ver, unsigned flags)
{
    pf_record rec;
    memset(&rec, 0, sizeof rec);
    rec.srcname = jx_get(x, F_SRC);
    rec.binnames = jx_get(x, F_BIN);
    rec.version = ver ? ver : jx_get(x, F_VER);
    rec.summary = jx_get(x, F_SUM);
    rec.homepage = jx_get(x, F_HOME);
    rec.license = jx_get(x, F_LIC);
    rec.category = jx_get(x, F_CAT);
    rec.maintainers = x->mlen ? x->maint : NULL;
    rec.flags = flags;
    int rc = x->emit(x->ctx, &rec);
    if (rc == 0)
        x->stats->records++;
    return rc;
}

/* The text after the first sep in v (all of v without one): Repology's strip_left. */
static const char *jx_after_first(const char *v, char sep)
{
    const char *p = strchr(v, sep);
    return p ? p + 1 : v;
}

/* ---- hooks: what the table cannot say ------------------------------------ */

/* Termux: a maintainer ending in " @user" (or only "@user") is also user@termux. */
static int hook_termux(jx *x, const json_t *e)
{
    const char *m = jx_text(json_object_get(e, "maintainer"));
    if (m) {
        const char *sp = strrchr(m, ' ');
        const char *tok = sp ? sp + 1 : m;
        if (tok[0] == '@' && tok[1]) {
            char a[256];
            int n = snprintf(a, sizeof a, "%s@termux", tok + 1);
            if (n > 0 && (size_t)n < sizeof a)
                jx_maint_add(x, a, (size_t)n);
        }
    }
    return JX_GO;
}

/*
 * Spack: a package lists many versions; Repology keeps the greatest release
 * (libversion order, the first of equals) and every branch version
 * ("develop", "main"), those as ROLLING: branches first, then the release.
 */
static int hook_spack(jx *x, const json_t *e)
{
    const json_t *vers = json_object_get(e, "version");
    if (!jx_get(x, F_SRC) || !json_is_array(vers))
        return JX_SKIP;
    const char *best = NULL;
    int any = 0;
    size_t i;
    const json_t *v;
    json_array_foreach(vers, i, v)
    {
        const char *s = jx_text(json_object_get(v, "version"));
        if (!s || !*s)
            continue;
        if (json_object_get(v, "branch")) {
            any = 1;
            if ((x->rc = jx_emit(x, s, PF_F_ROLLING)) != 0)
                return JX_DONE;
        } else if (!best || pf_vercmp(s, best) > 0) {
            best = s;
        }
    }
    if (best) {
        any = 1;
        if ((x->rc = jx_emit(x, best, 0)) != 0)
            return JX_DONE;
    }
    return any ? JX_DONE : JX_SKIP;
}

/* Exherbo: "scm" and "*-scm" versions (after -rN is cut) are ROLLING. */
static int hook_exherbo(jx *x, const json_t *e)
{
    (void)e;
    const char *v = jx_get(x, F_VER);
    if (!v)
        return JX_GO;
    size_t n = strlen(v), k = n;
    while (k > 0 && v[k - 1] >= '0' && v[k - 1] <= '9')
        k--;
    if (k < n && k >= 2 && v[k - 1] == 'r' && v[k - 2] == '-')
        n = k - 2;
    if ((n == 3 && memcmp(v, "scm", 3) == 0) || (n >= 4 && memcmp(v + n - 4, "-scm", 4) == 0))
        x->flags |= PF_F_ROLLING;
    return JX_GO;
}

/* AOSC: the dummy packages of meta/bases are left out; version "999" is IGNOREd. */
static int hook_aosc(jx *x, const json_t *e)
{
    const char *cat = jx_text(json_object_get(e, "category"));
    const char *sec = jx_text(json_object_get(e, "section"));
    if (cat && sec && strcmp(cat, "meta") == 0 && strcmp(sec, "bases") == 0)
        return JX_DROP;
    const char *v = jx_get(x, F_VER);
    if (v && strcmp(jx_after_first(v, ':'), "999") == 0)
        x->flags |= PF_F_IGNORE;
    return JX_GO;
}

/* CRUX: a name with an unexpanded "${...}" is a broken port, not a package. */
static int hook_crux(jx *x, const json_t *e)
{
    (void)e;
    const char *name = jx_get(x, F_SRC);
    return name && strstr(name, "${") ? JX_SKIP : JX_GO;
}

/* YACP: the binary names are those of the subpackages. */
static int hook_yacp(jx *x, const json_t *e)
{
    const json_t *subs = json_object_get(e, "subpackages");
    size_t i;
    const json_t *s;
    if (json_is_array(subs)) {
        x->off[F_BIN] = SIZE_MAX;
        json_array_foreach(subs, i, s)
            jx_append(x, F_BIN, " ", jx_text(json_object_get(s, "name")));
    }
    return JX_GO;
}

/* stal/IX: Python and Perl modules are seeded "python:<name>" / "perl:<name>". */
static int hook_stalix(jx *x, const json_t *e)
{
    const char *lang = jx_text(json_object_get(e, "lang_module"));
    const char *name = jx_get(x, F_SRC);
    if (!lang || !name || (strcmp(lang, "python") != 0 && strcmp(lang, "perl") != 0))
        return JX_GO; /* Repology only warns about other modules */
    char pre[8];
    snprintf(pre, sizeof pre, "%s:", lang);
    size_t nl = strlen(name);
    char *tmp = malloc(strlen(pre) + nl + 1);
    if (!tmp) {
        x->oom = 1;
        return JX_GO;
    }
    memcpy(tmp, pre, strlen(pre));
    memcpy(tmp + strlen(pre), name, nl + 1);
    jx_set_str(x, F_SRC, tmp);
    free(tmp);
    return JX_GO;
}

/* ---- the dialects -------------------------------------------------------- */

static const jx_dialect jx_dialects[] = {
    /* variant, format, shape, member,
       name, bin, version, summary, homepage, license, category, maint, kind, split, hook */
    {"termux", "termux-json", JX_ARRAY, NULL, "name", NULL, "version", "description", "homepage",
     NULL, NULL, "maintainer", MK_PROSE, 0, hook_termux},
    {"spack", "spack-json", JX_DICT, "packages", "name", NULL, NULL, NULL, "homepages", NULL, NULL,
     "maintainers", MK_SPACK, 0, hook_spack},
    {"exherbo", "exherbo-json", JX_ARRAY, NULL, "name", NULL, "version", "summary", "homepage",
     NULL, "category", NULL, MK_NONE, 1, hook_exherbo},
    {"aosc", "aosc-json", JX_LIST, "packages", "name", "name", "version", "description", NULL, NULL,
     "pkg_section", NULL, MK_NONE, 0, hook_aosc},
    {"crux", "crux-json", JX_LIST, "ports", "name", NULL, "version", "description", "url", NULL,
     NULL, "maintainer", MK_PROSE, 0, hook_crux},
    {"chromebrew", "chromebrew-json", JX_ARRAY, NULL, "name", NULL, "version", "description",
     "homepage", "license", NULL, NULL, MK_NONE, 0, NULL},
    {"ravenports", "ravenports-json", JX_LIST, "ravenports", "namebase", NULL, "version",
     "variants.0.sdesc", "homepage", NULL, "keywords", "contacts", MK_EMAILS, 0, NULL},
    {"yacp", "yacp-json", JX_LIST, "packages", "name", NULL, "version", "summary", "homepage", NULL,
     "category", NULL, MK_NONE, 0, hook_yacp},
    {"pacstall", "pacstall-json", JX_ARRAY, NULL, "name", NULL, "version", "description", NULL,
     NULL, NULL, "maintainer", MK_EMAILS, 0, NULL},
    {"stalix", "stalix-ndjson", JX_NDJSON, NULL, "pkg_name", "ix_pkg_name", "pkg_ver", NULL, NULL,
     NULL, "category", "maintainers", MK_LIST, 0, hook_stalix},
    {"salix", "salix-json", JX_LIST, "packages", "name", NULL, "ver", "descs", NULL, NULL, NULL,
     NULL, MK_NONE, 0, NULL},
    {"ptxdist", "ptxdist-json", JX_ARRAY, NULL, "name", NULL, "version", NULL, NULL, "license",
     NULL, NULL, MK_NONE, 0, NULL},
};

/* The dialect of a variant name; NULL when unknown. */
static const jx_dialect *jx_dialect_find(const char *variant)
{
    for (size_t i = 0; variant && i < sizeof jx_dialects / sizeof jx_dialects[0]; i++)
        if (strcmp(jx_dialects[i].variant, variant) == 0)
            return &jx_dialects[i];
    return NULL;
}

/* ---- the reader ---------------------------------------------------------- */

/* Handle one entry: fields, hook, checks, emit. Returns 0 or emit's stop value. */
static int jx_entry(jx *x, const json_t *e)
{
    if (x->d->shape == JX_DICT && json_is_object(e) && json_object_size(e) == 1)
        e = json_object_iter_value(json_object_iter((json_t *)e));
    if (!json_is_object(e)) {
        x->stats->skipped++;
        return 0;
    }
    jx_read_fields(x, e);
    int verdict = x->d->hook ? x->d->hook(x, e) : JX_GO;
    if (x->oom)
        return 0;
    if (verdict == JX_DONE)
        return x->rc;
    if (verdict == JX_DROP)
        return 0;
    if (verdict == JX_SKIP || !jx_get(x, F_SRC) || !jx_get(x, F_VER)) {
        x->stats->skipped++;
        return 0;
    }
    return jx_emit(x, NULL, x->flags);
}

/*
 * Where entries come from: the JSON splitter (array and member shapes) or
 * the NDJSON line reader. Exactly one of js and nd is set.
 */
typedef struct jx_src {
    pf_jsonstream *js;
    pf_ndjson *nd;
} jx_src;

/* Open the entry source for x's dialect over in. 0 ok, -1 out of memory. */
static int jx_src_open(jx_src *src, const jx_dialect *d, pf_reader *in)
{
    memset(src, 0, sizeof *src);
    if (d->shape == JX_NDJSON)
        return (src->nd = pf_ndjson_new(in, 0)) ? 0 : -1;
    pf_js_shape shape = d->shape == JX_ARRAY  ? PF_JS_ARRAY
                        : d->shape == JX_LIST ? PF_JS_MEMBER_ARRAY
                                              : PF_JS_MEMBERS;
    return (src->js = pf_jsonstream_new(in, shape, d->member, 0, 0)) ? 0 : -1;
}

/*
 * The next entry, parsed: 1 = *out holds it (json_decref it), 0 = end,
 * -1 = error (a one-line cause in why, without the format's name).
 */
static int jx_src_next(jx_src *src, json_t **out, char *why, size_t whylen)
{
    *out = NULL;
    if (src->nd) {
        const char *line;
        size_t len;
        int got = pf_ndjson_next(src->nd, &line, &len);
        if (got > 0 && !(*out = json_loadb(line, len, JSON_DECODE_ANY, NULL))) {
            (void)pf_ndjson_judge(src->nd, line, len); /* jansson's message, with the column */
            got = -1;
        }
        if (got < 0)
            snprintf(why, whylen, "%s", pf_ndjson_error(src->nd));
        return got;
    }
    pf_js_entry en;
    int got = pf_jsonstream_next(src->js, &en);
    if (got <= 0) {
        if (got < 0)
            snprintf(why, whylen, "%s", pf_jsonstream_error(src->js));
        return got;
    }
    json_error_t jerr;
    *out = json_loadb(en.text, en.len, JSON_DECODE_ANY, &jerr);
    if (!*out) {
        size_t pos = (size_t)jerr.position > en.prefix ? (size_t)jerr.position - en.prefix : 0;
        snprintf(why, whylen, "invalid JSON at byte %llu: %s",
                 (unsigned long long)(en.offset + pos), jerr.text);
        return -1;
    }
    return 1;
}

/* Free the entry source (not the reader). */
static void jx_src_close(jx_src *src)
{
    pf_jsonstream_free(src->js);
    pf_ndjson_free(src->nd);
}

/* Walk every entry of in. 0, -1 (err set) or the stop value emit returned. */
static int jx_walk(jx *x, pf_reader *in, char *err, size_t errlen)
{
    jx_src src;
    if (jx_src_open(&src, x->d, in) != 0) {
        jx_src_close(&src);
        snprintf(err, errlen, "%s: out of memory", x->d->format);
        return -1;
    }
    int rc = 0;
    for (;;) {
        json_t *e;
        char why[256];
        int got = jx_src_next(&src, &e, why, sizeof why);
        if (got < 0) {
            snprintf(err, errlen, "%s: %s", x->d->format, why);
            rc = -1;
            break;
        }
        if (got == 0)
            break;
        rc = jx_entry(x, e);
        json_decref(e);
        if (x->oom) {
            snprintf(err, errlen, "%s: out of memory", x->d->format);
            rc = -1;
        }
        if (rc != 0)
            break;
    }
    jx_src_close(&src);
    return rc;
}

/* Parse one Repology export in the dialect named by variant, building a tree per entry. */
int ref_parse_json_export(pf_reader *in, const char *variant, pf_emit_fn emit, void *ctx,
                          pf_parse_stats *stats, char *err, size_t errlen)
{
    stats->records = stats->skipped = 0;
    const jx_dialect *d = jx_dialect_find(variant);
    if (!d) {
        snprintf(err, errlen, "json-export: unknown dialect '%s'", variant ? variant : "(none)");
        return -1;
    }
    jx x;
    memset(&x, 0, sizeof x);
    x.d = d;
    x.emit = emit;
    x.ctx = ctx;
    x.stats = stats;
    int rc = jx_walk(&x, in, err, errlen);
    if (rc == 0 && stats->skipped > stats->records) {
        snprintf(err, errlen,
                 "%s: %ld of %ld entries have no usable \"%s\"/\"%s\": the file's layout changed",
                 d->format, stats->skipped, stats->skipped + stats->records, d->name,
                 d->version ? d->version : "version");
        rc = -1;
    }
    free(x.buf);
    free(x.maint);
    return rc;
}
