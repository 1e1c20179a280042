/*
 * fmt_json_export.c — the JSON files small distributions publish for
 * Repology (repology-repos.md §2.8), one table-driven reader.
 *
 * Each distribution writes its own little schema: where the package list
 * is, what its fields are called, how maintainers are spelled. A dialect
 * (one row of jx_dialects, picked by the format row's variant; one catalog
 * format name per dialect, e.g. "termux-json" -> "termux") says:
 *   - the shape: a top-level array, an array or an object held by a
 *     top-level member (jsonstream.h), or NDJSON (ndjson.h);
 *   - the keys of srcname (the project seed), binnames, version, summary,
 *     homepage, licence, category (a dotted path may index arrays:
 *     "variants.0.sdesc");
 *   - how the maintainer field is read: prose (Repology's
 *     extract_maintainers), a list of addresses, a list of {"email": ...}
 *     objects, or Spack's GitHub handles ("x" -> "x@spack");
 *   - a hook for what one table cannot say (Termux "@user" maintainers,
 *     Spack's version list, AOSC's meta packages, stal/IX's language
 *     prefixes, YACP's subpackages, ...).
 * Field by field this is what Repology's parser of each distribution yields
 * (repology/parsers/parsers/<name>.py); docs/formats.md has the table. The
 * version is passed on raw; the stripping Repology's parser does (Termux's
 * epoch, Exherbo's -rN, ...) is the format's version scheme
 * (pf_vscheme_for_format, analyzer/normalize_strip.c). A hook that needs the
 * stripped version (Exherbo's "scm" -> ROLLING, AOSC's "999" -> IGNORE)
 * strips it the same way.
 *
 * Only one entry is held at a time: the splitter (or the NDJSON line reader)
 * hands out its text, one pass of jsonobj notes where the wanted members
 * lie (validating the rest as jansson would), and only the strings a record
 * needs are decoded. An entry the fast reading refuses goes to jansson
 * (pf_json_refused, pf_ndjson_judge): its message when the entry is not
 * valid JSON, else the entry is skipped as one of the wrong shape. Field
 * strings are copied into one reused scratch buffer.
 *
 * Errors. A structurally broken or truncated file fails with the byte or
 * line. An entry that is not an object or lacks a name or a version is
 * skipped and counted; a file where more entries are skipped than emitted
 * fails ("the file's layout changed"), since a renamed field would otherwise
 * turn into an empty repository.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkgfresh/format.h"
#include "pkgfresh/grow.h"
#include "pkgfresh/jsonentries.h"
#include "pkgfresh/jsonobj.h"
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

/* The dotted paths of a dialect, in jx_dialect's order. */
enum jx_path { P_NAME, P_BIN, P_VER, P_SUM, P_HOME, P_LIC, P_CAT, P_MAINT, P_COUNT };

/* What a hook decides about an entry. */
enum jx_verdict {
    JX_GO,   /* emit it */
    JX_SKIP, /* unusable: count it as skipped */
    JX_DROP, /* left out on purpose, as Repology's parser does (not counted) */
    JX_DONE, /* the hook emitted the records itself (x->rc holds emit's value) */
};

typedef struct jx jx;
typedef int (*jx_hook)(jx *x);

/* One dialect (see the file comment). Paths are NULL when the dialect has no such field. */
typedef struct jx_dialect {
    const char *variant;
    const char *format; /* the catalog format name: prefix of every error */
    jx_shape shape;
    const char *member;        /* JX_LIST, JX_DICT: the top-level member */
    const char *path[P_COUNT]; /* name, bin, version, summary, homepage, licence, category, maint */
    jx_mk maint_kind;
    int split_homepage;   /* homepage is a space-separated list: the first one */
    jx_hook hook;         /* runs after the fields are read, before the checks */
    const char *extra[3]; /* more members of an entry the hook reads */
} jx_dialect;

#define JX_MAX_KEYS 16 /* top-level members read per entry: at most 8 paths + 3 extras */
#define JX_MAX_KEY  32 /* bytes of one member name, NUL included */

/*
 * Parse state. The key table (keys[0..nkeys)) holds the first step of every
 * path and the hook's extras; path p starts at member pkey[p] (-1: no such
 * field) and goes on with prest[p] (NULL: the member itself). top[k] is the
 * current entry's member keys[k]; ktext[k] its decoded string once asked
 * for (kstate[k]: 0 not yet, 1 decoded, -1 not a string), so that no string
 * is decoded twice into the room pf_jdec reserves. Field f, when off[f] !=
 * SIZE_MAX, is the NUL-terminated string buf + off[f]; maint[0..mlen) is the
 * maintainer list.
 */
struct jx {
    pf_json_parse p; /* emit, counters, the decoded strings */
    const jx_dialect *d;
    char keyname[JX_MAX_KEYS][JX_MAX_KEY];
    const char *keys[JX_MAX_KEYS];
    size_t nkeys;
    int pkey[P_COUNT];
    const char *prest[P_COUNT];
    pf_jv top[JX_MAX_KEYS];
    const char *ktext[JX_MAX_KEYS];
    signed char kstate[JX_MAX_KEYS];
    char *buf;
    size_t len, cap;
    size_t off[F_COUNT];
    char *maint;
    size_t mlen, mcap;
    unsigned flags;
    int bad; /* the fast reading refused the entry: jansson decides */
    int rc;  /* the non-zero value emit returned */
};

/* ---- the key table -------------------------------------------------------- */

/* Index of member name[0..n) in the key table, added when new; -1 when the table is full. */
static int jx_key_add(jx *x, const char *name, size_t n)
{
    for (size_t k = 0; k < x->nkeys; k++)
        if (strncmp(x->keys[k], name, n) == 0 && x->keys[k][n] == '\0')
            return (int)k;
    if (x->nkeys == JX_MAX_KEYS || n >= JX_MAX_KEY)
        return -1;
    memcpy(x->keyname[x->nkeys], name, n);
    x->keyname[x->nkeys][n] = '\0';
    x->keys[x->nkeys] = x->keyname[x->nkeys];
    return (int)x->nkeys++;
}

/* Build the key table of x's dialect. 0, or -1 when a dialect row is too big (a bug). */
static int jx_keys_init(jx *x)
{
    const jx_dialect *d = x->d;
    for (int p = 0; p < P_COUNT; p++) {
        x->pkey[p] = -1;
        x->prest[p] = NULL;
        if (!d->path[p])
            continue;
        const char *dot = strchr(d->path[p], '.');
        size_t n = dot ? (size_t)(dot - d->path[p]) : strlen(d->path[p]);
        if ((x->pkey[p] = jx_key_add(x, d->path[p], n)) < 0)
            return -1;
        x->prest[p] = dot ? dot + 1 : NULL;
    }
    for (size_t i = 0; i < sizeof d->extra / sizeof d->extra[0] && d->extra[i]; i++)
        if (jx_key_add(x, d->extra[i], strlen(d->extra[i])) < 0)
            return -1;
    return 0;
}

/* ---- reading values -------------------------------------------------------- */

/* The decoded string of value v; NULL when v is absent or not a string. */
static const char *jx_text(jx *x, pf_jv v)
{
    const char *s = NULL;
    if (pf_jdec_str(&x->p.dec, v, &s) < 0)
        x->bad = 1;
    return s;
}

/* The decoded string of top-level member k (decoded once per entry); NULL when not a string. */
static const char *jx_top_text(jx *x, int k)
{
    if (x->kstate[k] == 0) {
        x->ktext[k] = jx_text(x, x->top[k]);
        x->kstate[k] = x->ktext[k] ? 1 : -1;
    }
    return x->ktext[k];
}

/* Index of top-level member name in the key table (it is there: see the dialect's extras). */
static int jx_key(const jx *x, const char *name)
{
    for (size_t k = 0; k < x->nkeys; k++)
        if (strcmp(x->keys[k], name) == 0)
            return (int)k;
    return -1;
}

/* The current entry's top-level member name; absent when not in the key table. */
static pf_jv jx_member(const jx *x, const char *name)
{
    int k = jx_key(x, name);
    return k < 0 ? (pf_jv){NULL, 0} : x->top[k];
}

/* The string of the current entry's top-level member name; NULL when absent or not a string. */
static const char *jx_member_text(jx *x, const char *name)
{
    int k = jx_key(x, name);
    return k < 0 ? NULL : jx_top_text(x, k);
}

/* Member key of object v (absent when v is not an object or has none). */
static pf_jv jx_get_member(jx *x, pf_jv v, const char *key)
{
    pf_jv out;
    if (pf_jobj_scan(v, &key, 1, &out) < 0)
        x->bad = 1;
    return out;
}

/*
 * Follow a dotted path from v ("0.sdesc"): a step into an array is an index
 * (all digits), into an object a member name; absent when a step is missing.
 */
static pf_jv jx_follow(jx *x, pf_jv v, const char *path)
{
    char key[64];
    while (v.p && path && *path) {
        const char *dot = strchr(path, '.');
        size_t n = dot ? (size_t)(dot - path) : strlen(path);
        if (n >= sizeof key)
            return (pf_jv){NULL, 0};
        memcpy(key, path, n);
        key[n] = '\0';
        if (pf_jv_is_array(v)) {
            char *end;
            unsigned long i = strtoul(key, &end, 10), k = 0;
            size_t pos = 0;
            pf_jv el, at = {NULL, 0};
            int r = 1;
            while (!*end && (r = pf_jarr_next(v, &pos, &el)) == 1)
                if (k++ == i) {
                    at = el;
                    break;
                }
            if (r < 0)
                x->bad = 1;
            v = at;
        } else {
            v = jx_get_member(x, v, key);
        }
        path = dot ? dot + 1 : NULL;
    }
    return v;
}

/* The value of path p in the current entry; absent when the dialect has none. */
static pf_jv jx_value(jx *x, int p)
{
    if (x->pkey[p] < 0)
        return (pf_jv){NULL, 0};
    return jx_follow(x, x->top[x->pkey[p]], x->prest[p]);
}

/* The string at path p; NULL when absent or not a string. */
static const char *jx_path_text(jx *x, int p)
{
    if (x->pkey[p] >= 0 && !x->prest[p])
        return jx_top_text(x, x->pkey[p]);
    return jx_text(x, jx_value(x, p));
}

/* The first string at path p: the value itself, or the first string element of an array. */
static const char *jx_path_first(jx *x, int p)
{
    pf_jv v = jx_value(x, p);
    if (!pf_jv_is_array(v))
        return jx_path_text(x, p);
    size_t pos = 0;
    pf_jv el;
    int r;
    while ((r = pf_jarr_next(v, &pos, &el)) == 1)
        if (pf_jv_is_string(el))
            return jx_text(x, el);
    if (r < 0)
        x->bad = 1;
    return NULL;
}

/* ---- field helpers ------------------------------------------------------- */

/* Store s[0..n) as field f (replacing it); empty values stay absent. */
static void jx_set(jx *x, int f, const char *s, size_t n)
{
    if (!s || n == 0) {
        x->off[f] = SIZE_MAX;
        return;
    }
    if (pf_grow(&x->buf, &x->cap, x->len, n + 1) != 0) {
        x->p.oom = 1;
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
        x->p.oom = 1;
        return;
    }
    x->len--; /* over the NUL */
    memcpy(x->buf + x->len, sep, sl);
    memcpy(x->buf + x->len + sl, s, n + 1);
    x->len += sl + n + 1;
}

/* Replace present field f by pre followed by its old text. */
static void jx_prefix(jx *x, int f, const char *pre)
{
    size_t at = x->off[f], n = strlen(x->buf + at), pl = strlen(pre);
    if (pf_grow(&x->buf, &x->cap, x->len, pl + n + 1) != 0) {
        x->p.oom = 1;
        return;
    }
    memcpy(x->buf + x->len, pre, pl);
    memcpy(x->buf + x->len + pl, x->buf + at, n + 1);
    x->off[f] = x->len;
    x->len += pl + n + 1;
}

/* Add one address to the maintainer list. */
static void jx_maint_add(jx *x, const char *s, size_t n)
{
    if (pf_maint_add(s, n, &x->maint, &x->mlen, &x->mcap) < 0)
        x->p.oom = 1;
}

/* Add "<s>@<domain>" to the maintainer list (names too long for it are left out). */
static void jx_maint_at(jx *x, const char *s, const char *domain)
{
    char a[256];
    int n = snprintf(a, sizeof a, "%s@%s", s, domain);
    if (n > 0 && (size_t)n < sizeof a)
        jx_maint_add(x, a, (size_t)n);
}

/* Read the maintainer field of the entry into the list, as the dialect says. */
static void jx_read_maint(jx *x)
{
    if (x->d->maint_kind == MK_NONE)
        return;
    pf_jv v = jx_value(x, P_MAINT), el;
    size_t pos = 0;
    int r = 0;
    const char *s;
    switch (x->d->maint_kind) {
    case MK_PROSE:
        s = jx_path_text(x, P_MAINT);
        if (s && pf_maint_extract(s, strlen(s), &x->maint, &x->mlen, &x->mcap) < 0)
            x->p.oom = 1;
        break;
    case MK_LIST:
        if (pf_jv_is_string(v) && (s = jx_path_text(x, P_MAINT)) != NULL)
            jx_maint_add(x, s, strlen(s));
        while ((r = pf_jarr_next(v, &pos, &el)) == 1)
            if ((s = jx_text(x, el)) != NULL)
                jx_maint_add(x, s, strlen(s));
        break;
    case MK_EMAILS:
        while ((r = pf_jarr_next(v, &pos, &el)) == 1)
            if ((s = jx_text(x, jx_get_member(x, el, "email"))) != NULL)
                jx_maint_add(x, s, strlen(s));
        break;
    case MK_SPACK:
        while ((r = pf_jarr_next(v, &pos, &el)) == 1)
            if ((s = jx_text(x, el)) != NULL)
                jx_maint_at(x, s, "spack");
        break;
    case MK_NONE:
        break;
    }
    if (r < 0)
        x->bad = 1;
}

/* Read every table-driven field of the entry (the hook may change them after). */
static void jx_read_fields(jx *x)
{
    x->len = 0;
    x->mlen = 0;
    x->flags = 0;
    for (int f = 0; f < F_COUNT; f++)
        x->off[f] = SIZE_MAX;
    if (x->maint)
        x->maint[0] = '\0';
    jx_set_str(x, F_SRC, jx_path_text(x, P_NAME));
    jx_set_str(x, F_BIN, jx_path_text(x, P_BIN));
    jx_set_str(x, F_VER, jx_path_text(x, P_VER));
    jx_set_str(x, F_SUM, jx_path_text(x, P_SUM));
    jx_set_str(x, F_CAT, jx_path_first(x, P_CAT));
    const char *home = jx_path_first(x, P_HOME);
    if (home && x->d->split_homepage) {
        home += strspn(home, " \t\r\n");
        jx_set(x, F_HOME, home, strcspn(home, " \t\r\n"));
    } else {
        jx_set_str(x, F_HOME, home);
    }
    pf_jv lic = jx_value(x, P_LIC);
    if (pf_jv_is_array(lic)) {
        size_t pos = 0;
        pf_jv el;
        int r;
        while ((r = pf_jarr_next(lic, &pos, &el)) == 1)
            jx_append(x, F_LIC, ", ", jx_text(x, el));
        if (r < 0)
            x->bad = 1;
    } else {
        jx_set_str(x, F_LIC, jx_path_text(x, P_LIC));
    }
    jx_read_maint(x);
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
    return pf_json_emit(&x->p, &rec);
}

/* The text after the first sep in v (all of v without one): Repology's strip_left. */
static const char *jx_after_first(const char *v, char sep)
{
    const char *p = strchr(v, sep);
    return p ? p + 1 : v;
}

/* ---- hooks: what the table cannot say ------------------------------------ */

/* Termux: a maintainer ending in " @user" (or only "@user") is also user@termux. */
static int hook_termux(jx *x)
{
    const char *m = jx_member_text(x, "maintainer");
    if (m) {
        const char *sp = strrchr(m, ' ');
        const char *tok = sp ? sp + 1 : m;
        if (tok[0] == '@' && tok[1])
            jx_maint_at(x, tok + 1, "termux");
    }
    return JX_GO;
}

/*
 * Spack: a package lists many versions; Repology keeps the greatest release
 * (libversion order, the first of equals) and every branch version
 * ("develop", "main"), those as ROLLING: branches first, then the release.
 */
static int hook_spack(jx *x)
{
    static const char *const vkeys[] = {"version", "branch"};
    pf_jv vers = jx_member(x, "version");
    if (!jx_get(x, F_SRC) || !pf_jv_is_array(vers))
        return JX_SKIP;
    const char *best = NULL;
    int any = 0, r;
    size_t pos = 0;
    pf_jv v;
    while ((r = pf_jarr_next(vers, &pos, &v)) == 1) {
        pf_jv f[2];
        if (pf_jobj_scan(v, vkeys, 2, f) < 0)
            x->bad = 1;
        const char *s = jx_text(x, f[0]);
        if (!s || !*s)
            continue;
        if (f[1].p) {
            any = 1;
            if ((x->rc = jx_emit(x, s, PF_F_ROLLING)) != 0)
                return JX_DONE;
        } else if (!best || pf_vercmp(s, best) > 0) {
            best = s;
        }
    }
    if (r < 0)
        x->bad = 1;
    if (best) {
        any = 1;
        if ((x->rc = jx_emit(x, best, 0)) != 0)
            return JX_DONE;
    }
    return any ? JX_DONE : JX_SKIP;
}

/* Exherbo: "scm" and "*-scm" versions (after -rN is cut) are ROLLING. */
static int hook_exherbo(jx *x)
{
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
static int hook_aosc(jx *x)
{
    const char *cat = jx_member_text(x, "category");
    const char *sec = jx_member_text(x, "section");
    if (cat && sec && strcmp(cat, "meta") == 0 && strcmp(sec, "bases") == 0)
        return JX_DROP;
    const char *v = jx_get(x, F_VER);
    if (v && strcmp(jx_after_first(v, ':'), "999") == 0)
        x->flags |= PF_F_IGNORE;
    return JX_GO;
}

/* CRUX: a name with an unexpanded "${...}" is a broken port, not a package. */
static int hook_crux(jx *x)
{
    const char *name = jx_get(x, F_SRC);
    return name && strstr(name, "${") ? JX_SKIP : JX_GO;
}

/* YACP: the binary names are those of the subpackages. */
static int hook_yacp(jx *x)
{
    pf_jv subs = jx_member(x, "subpackages"), s;
    size_t pos = 0;
    int r;
    if (!pf_jv_is_array(subs))
        return JX_GO;
    x->off[F_BIN] = SIZE_MAX;
    while ((r = pf_jarr_next(subs, &pos, &s)) == 1)
        jx_append(x, F_BIN, " ", jx_text(x, jx_get_member(x, s, "name")));
    if (r < 0)
        x->bad = 1;
    return JX_GO;
}

/* stal/IX: Python and Perl modules are seeded "python:<name>" / "perl:<name>". */
static int hook_stalix(jx *x)
{
    const char *lang = jx_member_text(x, "lang_module");
    if (!lang || !jx_get(x, F_SRC) || (strcmp(lang, "python") != 0 && strcmp(lang, "perl") != 0))
        return JX_GO; /* Repology only warns about other modules */
    jx_prefix(x, F_SRC, lang[1] == 'y' ? "python:" : "perl:");
    return JX_GO;
}

/* ---- the dialects -------------------------------------------------------- */

static const jx_dialect jx_dialects[] = {
    /* variant, format, shape, member,
       {name, bin, version, summary, homepage, license, category, maint}, kind, split, hook,
       {members the hook reads} */
    {"termux",
     "termux-json",
     JX_ARRAY,
     NULL,
     {"name", NULL, "version", "description", "homepage", NULL, NULL, "maintainer"},
     MK_PROSE,
     0,
     hook_termux,
     {NULL}},
    {"spack",
     "spack-json",
     JX_DICT,
     "packages",
     {"name", NULL, NULL, NULL, "homepages", NULL, NULL, "maintainers"},
     MK_SPACK,
     0,
     hook_spack,
     {"version", NULL}},
    {"exherbo",
     "exherbo-json",
     JX_ARRAY,
     NULL,
     {"name", NULL, "version", "summary", "homepage", NULL, "category", NULL},
     MK_NONE,
     1,
     hook_exherbo,
     {NULL}},
    {"aosc",
     "aosc-json",
     JX_LIST,
     "packages",
     {"name", "name", "version", "description", NULL, NULL, "pkg_section", NULL},
     MK_NONE,
     0,
     hook_aosc,
     {"category", "section", NULL}},
    {"crux",
     "crux-json",
     JX_LIST,
     "ports",
     {"name", NULL, "version", "description", "url", NULL, NULL, "maintainer"},
     MK_PROSE,
     0,
     hook_crux,
     {NULL}},
    {"chromebrew",
     "chromebrew-json",
     JX_ARRAY,
     NULL,
     {"name", NULL, "version", "description", "homepage", "license", NULL, NULL},
     MK_NONE,
     0,
     NULL,
     {NULL}},
    {"ravenports",
     "ravenports-json",
     JX_LIST,
     "ravenports",
     {"namebase", NULL, "version", "variants.0.sdesc", "homepage", NULL, "keywords", "contacts"},
     MK_EMAILS,
     0,
     NULL,
     {NULL}},
    {"yacp",
     "yacp-json",
     JX_LIST,
     "packages",
     {"name", NULL, "version", "summary", "homepage", NULL, "category", NULL},
     MK_NONE,
     0,
     hook_yacp,
     {"subpackages", NULL}},
    {"pacstall",
     "pacstall-json",
     JX_ARRAY,
     NULL,
     {"name", NULL, "version", "description", NULL, NULL, NULL, "maintainer"},
     MK_EMAILS,
     0,
     NULL,
     {NULL}},
    {"stalix",
     "stalix-ndjson",
     JX_NDJSON,
     NULL,
     {"pkg_name", "ix_pkg_name", "pkg_ver", NULL, NULL, NULL, "category", "maintainers"},
     MK_LIST,
     0,
     hook_stalix,
     {"lang_module", NULL}},
    {"salix",
     "salix-json",
     JX_LIST,
     "packages",
     {"name", NULL, "ver", "descs", NULL, NULL, NULL, NULL},
     MK_NONE,
     0,
     NULL,
     {NULL}},
    {"ptxdist",
     "ptxdist-json",
     JX_ARRAY,
     NULL,
     {"name", NULL, "version", NULL, NULL, "license", NULL, NULL},
     MK_NONE,
     0,
     NULL,
     {NULL}},
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

/* What jx_entry tells its caller besides 0 and emit's stop value. */
enum { JX_REFUSED = -2 };

/*
 * Handle the entry whose text is v (a whole NDJSON line when line is set):
 * fields, hook, checks, emit. Returns 0, emit's stop value, or JX_REFUSED
 * when the fast reading refuses the text (not an object, or malformed).
 * Out of memory sets x->p.oom.
 */
static int jx_entry(jx *x, pf_jv v, int line)
{
    int sc = line ? pf_jobj_scan_whole(v, x->keys, x->nkeys, x->top)
                  : pf_jobj_scan(v, x->keys, x->nkeys, x->top);
    if (sc != 0)
        return JX_REFUSED;
    if (pf_jdec_reset(&x->p.dec, v.n) != 0) {
        x->p.oom = 1;
        return 0;
    }
    memset(x->kstate, 0, sizeof x->kstate);
    x->bad = 0;
    jx_read_fields(x);
    int verdict = x->d->hook ? x->d->hook(x) : JX_GO;
    if (x->bad)
        return JX_REFUSED;
    if (x->p.oom)
        return 0;
    if (verdict == JX_DONE)
        return x->rc;
    if (verdict == JX_DROP)
        return 0;
    if (verdict == JX_SKIP || !jx_get(x, F_SRC) || !jx_get(x, F_VER)) {
        x->p.stats->skipped++;
        return 0;
    }
    return jx_emit(x, NULL, x->flags);
}

/* One entry from the splitter (pf_json_entry_fn): a Spack entry is unwrapped first. */
static int jx_split_entry(void *vctx, const pf_js_entry *e, char *err, size_t errlen)
{
    jx *x = vctx;
    pf_jv v = {e->text, e->len}, key;
    size_t pos = 0;
    if (x->d->shape == JX_DICT && pf_jobj_next((pf_jv){e->text, e->len}, &pos, &key, &v) != 1)
        return pf_json_refused(&x->p, e, err, errlen);
    int rc = jx_entry(x, v, 0);
    if (rc == JX_REFUSED)
        return pf_json_refused(&x->p, e, err, errlen);
    return x->p.oom ? -1 : rc;
}

/* Walk every line of an NDJSON file. 0, -1 (err set) or the stop value emit returned. */
static int jx_lines(jx *x, pf_reader *in, char *err, size_t errlen)
{
    pf_ndjson *nd = pf_ndjson_new(in, 0);
    if (!nd) {
        x->p.oom = 1;
        return -1;
    }
    int rc = 0;
    for (;;) {
        const char *t;
        size_t n;
        int got = pf_ndjson_next(nd, &t, &n);
        if (got == 0)
            break;
        if (got > 0) {
            rc = jx_entry(x, (pf_jv){t, n}, 1);
            if (rc == JX_REFUSED) {
                got = pf_ndjson_judge(nd, t, n);
                x->p.stats->skipped += got == 0;
                rc = 0;
            }
        }
        if (got < 0) {
            snprintf(err, errlen, "%s: %s", x->d->format, pf_ndjson_error(nd));
            rc = -1;
        }
        if (x->p.oom)
            rc = -1;
        if (rc != 0)
            break;
    }
    pf_ndjson_free(nd);
    return rc;
}

/* Parse one Repology export in the dialect named by variant (see the file comment). */
int pf_parse_json_export(pf_reader *in, const char *variant, pf_emit_fn emit, void *ctx,
                         pf_parse_stats *stats, char *err, size_t errlen)
{
    stats->records = stats->skipped = 0;
    const jx_dialect *d = jx_dialect_find(variant);
    if (!d) {
        snprintf(err, errlen, "json-export: unknown dialect '%s'", variant ? variant : "(none)");
        return -1;
    }
    jx *x = calloc(1, sizeof *x);
    if (!x) {
        snprintf(err, errlen, "%s: out of memory", d->format);
        return -1;
    }
    x->d = d;
    int rc;
    if (jx_keys_init(x) != 0) {
        snprintf(err, errlen, "%s: the dialect reads too many members", d->format);
        rc = -1;
    } else if (d->shape == JX_NDJSON) {
        x->p.emit = emit;
        x->p.ectx = ctx;
        x->p.stats = stats;
        x->p.fmt = d->format;
        rc = jx_lines(x, in, err, errlen);
        pf_jdec_free(&x->p.dec);
        if (x->p.oom) {
            snprintf(err, errlen, "%s: out of memory", d->format);
            rc = -1;
        }
    } else {
        pf_js_shape shape = d->shape == JX_ARRAY  ? PF_JS_ARRAY
                            : d->shape == JX_LIST ? PF_JS_MEMBER_ARRAY
                                                  : PF_JS_MEMBERS;
        rc = pf_json_parse_all(&x->p, in, shape, d->member, d->format, NULL, jx_split_entry, x,
                               emit, ctx, stats, err, errlen);
    }
    if (rc == 0 && stats->skipped > stats->records) {
        snprintf(err, errlen,
                 "%s: %ld of %ld entries have no usable \"%s\"/\"%s\": the file's layout changed",
                 d->format, stats->skipped, stats->skipped + stats->records, d->path[P_NAME],
                 d->path[P_VER] ? d->path[P_VER] : "version");
        rc = -1;
    }
    free(x->buf);
    free(x->maint);
    free(x);
    return rc;
}
