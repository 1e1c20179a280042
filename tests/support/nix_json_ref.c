/*
 * nix_json_ref.c — the reference nix-json parser: a frozen copy of
 * crawler/formats/fmt_nix_json.c as it was before the direct extractor (commit
 * 6d015fb), i.e. jansson on a filtered copy of each entry, falling back to
 * jansson on the whole entry for the error position.
 *
 * Tests (tests/test_nix_json.c) and the fuzz harness (fuzz/fuzz_nix_json.c,
 * which includes this file) run it next to pf_parse_nix_json and
 * require the same records, counters, return value and error text. Do not
 * "improve" this file: it is the oracle. Its behaviour is documented in
 * docs/formats.md (nix-json).
 */
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nix_json_ref.h"
#include "pkgfresh/grow.h"
#include "pkgfresh/jsonstream.h"

/*
 * The strings one record needs that are not jansson's own: built into one
 * buffer reused for every entry. Invariant: values are stored as offsets
 * (the buffer may move while it grows) and each is NUL-terminated.
 */
typedef struct nix_buf {
    char *p;
    size_t len, cap;
} nix_buf;

/* Append n bytes (no NUL). 0 ok, -1 out of memory. */
static int nb_add(nix_buf *b, const char *s, size_t n)
{
    if (pf_grow(&b->p, &b->cap, b->len, n + 1) != 0)
        return -1;
    memcpy(b->p + b->len, s, n);
    b->len += n;
    return 0;
}

/* Terminate the current value with its NUL. 0 ok, -1 out of memory. */
static int nb_end(nix_buf *b)
{
    return nb_add(b, "", 1);
}

/* The string value of obj[key], NULL when absent or not a string. */
static const char *nix_str(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Is the comma-separated list b->p[start .. b->len) already holding item? */
static int nix_has_item(const nix_buf *b, size_t start, const char *item, size_t n)
{
    size_t i = start;
    while (i < b->len) {
        const char *comma = memchr(b->p + i, ',', b->len - i);
        size_t il = comma ? (size_t)(comma - (b->p + i)) : b->len - i;
        if (il == n && memcmp(b->p + i, item, n) == 0)
            return 1;
        i += il + 1;
    }
    return 0;
}

/* Append item lower-cased to the list started at `start`, comma-separated, unless present. */
static int nix_add_lower(nix_buf *b, size_t start, const char *s, size_t n, const char *suffix)
{
    char tmp[512];
    size_t sl = suffix ? strlen(suffix) : 0;
    if (n == 0 || n + sl >= sizeof tmp)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ',' || c == ' ' || c == '<' || c == '>' || c < 0x20)
            return 0; /* not an address */
        tmp[i] = (char)tolower(c);
    }
    memcpy(tmp + n, suffix ? suffix : "", sl);
    n += sl;
    if (nix_has_item(b, start, tmp, n))
        return 0;
    if (b->len > start && nb_add(b, ",", 1) != 0)
        return -1;
    return nb_add(b, tmp, n);
}

/* Maintainers of meta.maintainers into b (see file comment). */
static int nix_maintainers(nix_buf *b, size_t start, const json_t *list)
{
    size_t i;
    const json_t *m;
    if (!json_is_array(list))
        return 0;
    json_array_foreach(list, i, m)
    {
        if (json_is_object(m)) {
            const char *email = nix_str(m, "email");
            const char *gh = nix_str(m, "github");
            int rc = 0;
            if (email && strchr(email, '@'))
                rc = nix_add_lower(b, start, email, strlen(email), NULL);
            else if (gh)
                rc = nix_add_lower(b, start, gh, strlen(gh), "@github");
            if (rc != 0)
                return -1;
        } else if (json_is_string(m)) {
            /* Old format "Name <email>": the address between the brackets. */
            const char *s = json_string_value(m);
            const char *lt = strchr(s, '<');
            const char *gt = lt ? strchr(lt, '>') : NULL;
            if (lt && gt && memchr(lt, '@', (size_t)(gt - lt)) &&
                nix_add_lower(b, start, lt + 1, (size_t)(gt - lt - 1), NULL) != 0)
                return -1;
        }
    }
    return 0;
}

/* Licence names of a string, object or list (recursively) into b, ", "-joined. */
static int nix_licenses(nix_buf *b, size_t start, const json_t *v, int depth)
{
    const char *name = NULL;
    if (json_is_string(v))
        name = json_string_value(v);
    else if (json_is_object(v)) {
        name = nix_str(v, "spdxId");
        if (!name)
            name = nix_str(v, "fullName");
        if (!name)
            name = nix_str(v, "fullname");
    } else if (json_is_array(v) && depth < 4) {
        size_t i;
        const json_t *e;
        json_array_foreach(v, i, e)
        {
            if (nix_licenses(b, start, e, depth + 1) != 0)
                return -1;
        }
        return 0;
    }
    if (!name || !name[0])
        return 0;
    if (b->len > start && nb_add(b, ", ", 2) != 0)
        return -1;
    return nb_add(b, name, strlen(name));
}

/* Description with newlines, tabs and carriage returns as spaces, trimmed. */
static int nix_summary(nix_buf *b, const char *s)
{
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)*s))
        s++, n--;
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        n--;
    size_t start = b->len;
    if (nb_add(b, s, n) != 0)
        return -1;
    for (size_t i = start; i < b->len; i++)
        if (b->p[i] == '\n' || b->p[i] == '\r' || b->p[i] == '\t')
            b->p[i] = ' ';
    return 0;
}

/*
 * Split a derivation name lazily at the first "-<digit>": (.+?)-([0-9].*).
 * Returns the length of the name part (> 0), or 0 when it does not split.
 */
static size_t nix_split_name(const char *name)
{
    for (size_t i = 1; name[0] && name[i]; i++) /* "" has no name[1] */
        if (name[i] == '-' && name[i + 1] >= '0' && name[i + 1] <= '9')
            return i;
    return 0;
}

/*
 * Turn one entry {"<attr>": {...}} into a record and emit it. Returns 0 when
 * emitted or skipped (stats updated) or the emit value to stop; on out of
 * memory sets *oom and returns -1.
 */
static int nix_entry(json_t *root, nix_buf *b, pf_emit_fn emit, void *ctx, pf_parse_stats *stats,
                     int *oom_out)
{
    void *it = json_object_iter(root);
    if (!it) {
        stats->skipped++;
        return 0;
    }
    const char *attr = json_object_iter_key(it);
    const json_t *pkg = json_object_iter_value(it);
    if (!json_is_object(pkg) || !attr[0] ||
        pf_nix_dropped(nix_str(pkg, "name"), nix_str(pkg, "pname"), nix_str(pkg, "version"))) {
        stats->skipped++;
        return 0;
    }
    const char *name = nix_str(pkg, "name");
    const char *pname = nix_str(pkg, "pname");
    const char *version = nix_str(pkg, "version");
    const json_t *meta = json_object_get(pkg, "meta");
    if (!json_is_object(meta))
        meta = NULL;

    b->len = 0;
    size_t o_src = 0, o_ver = 0, o_cat = 0, o_sum = 0, o_lic = 0, o_mnt = 0;
    int has_cat = 0, has_sum = 0, has_lic = 0, has_mnt = 0, own_ver = 0;
    int oom = 0;

    if (pname && pname[0]) {
        oom |= nb_add(b, pname, strlen(pname)) | nb_end(b);
    } else {
        size_t cut = name ? nix_split_name(name) : 0;
        if (cut == 0) {
            stats->skipped++;
            return 0;
        }
        oom |= nb_add(b, name, cut) | nb_end(b);
        if (!version) {
            o_ver = b->len;
            own_ver = 1;
            oom |= nb_add(b, name + cut + 1, strlen(name + cut + 1)) | nb_end(b);
        }
    }
    if (!own_ver && (!version || !version[0])) {
        stats->skipped++;
        return 0;
    }

    const char *dot = strchr(attr, '.');
    if (dot && dot > attr) {
        o_cat = b->len;
        has_cat = 1;
        oom |= nb_add(b, attr, (size_t)(dot - attr)) | nb_end(b);
    }

    const char *homepage = NULL;
    if (meta) {
        const char *desc = nix_str(meta, "description");
        if (desc) {
            o_sum = b->len;
            oom |= nix_summary(b, desc);
            has_sum = b->len > o_sum;
            oom |= nb_end(b);
        }
        const json_t *hp = json_object_get(meta, "homepage");
        if (json_is_array(hp))
            hp = json_array_get(hp, 0);
        if (json_is_string(hp) && json_string_value(hp)[0])
            homepage = json_string_value(hp);
        const json_t *lic = json_object_get(meta, "license");
        if (lic) {
            o_lic = b->len;
            oom |= nix_licenses(b, o_lic, lic, 0);
            has_lic = b->len > o_lic;
            oom |= nb_end(b);
        }
        const json_t *mnt = json_object_get(meta, "maintainers");
        if (mnt) {
            o_mnt = b->len;
            oom |= nix_maintainers(b, o_mnt, mnt);
            has_mnt = b->len > o_mnt;
            oom |= nb_end(b);
        }
    }
    if (oom) {
        *oom_out = 1;
        return -1;
    }

    pf_record rec;
    memset(&rec, 0, sizeof rec);
    rec.srcname = b->p + o_src;
    rec.version = own_ver ? b->p + o_ver : version;
    if (!rec.version[0]) {
        stats->skipped++;
        return 0;
    }
    rec.binnames = rec.srcname;
    rec.srcname = attr;
    if (!meta || !json_object_get(meta, "position"))
        rec.flags |= PF_F_UNTRUSTED;
    rec.category = has_cat ? b->p + o_cat : NULL;
    rec.summary = has_sum ? b->p + o_sum : NULL;
    rec.homepage = homepage;
    rec.license = has_lic ? b->p + o_lic : NULL;
    rec.maintainers = has_mnt ? b->p + o_mnt : NULL;
    int rc = emit(ctx, &rec);
    if (rc != 0)
        return rc;
    stats->records++;
    return 0;
}

/*
 * Entry filter. Most of an entry's bytes are lists nobody reads here
 * (meta.platforms alone is 45% of packages.json), and jansson allocates
 * every string of them. So before jansson sees an entry, the members we use
 * are copied into a small JSON text of the same shape:
 *   {"<attr>":{"name":..,"pname":..,"version":..,"meta":{"description":..,
 *   "homepage":..,"license":..,"maintainers":..,"position":..}}}
 * and the rest is skipped by bracket matching. The splitter already checked
 * strings and nesting, so skipping is safe; the kept values are validated by
 * jansson. An entry of any other shape is handed to jansson whole.
 */

/* Skip whitespace in s[i..n). */
static size_t nf_ws(const char *s, size_t n, size_t i)
{
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        i++;
    return i;
}

/* Index after the string starting at s[i] == '"', or 0 when unterminated. */
static size_t nf_string(const char *s, size_t n, size_t i)
{
    for (i++; i < n;) {
        const char *q = memchr(s + i, '"', n - i);
        if (!q)
            return 0;
        size_t k = (size_t)(q - s);
        /* Escaped when preceded by an odd run of backslashes. */
        size_t bs = 0;
        while (k - bs > i && s[k - bs - 1] == '\\')
            bs++;
        if (bs % 2 == 0)
            return k + 1;
        i = k + 1;
    }
    return 0;
}

/* Index after the value starting at s[i], or 0 when it is malformed. */
static size_t nf_value(const char *s, size_t n, size_t i)
{
    if (i >= n)
        return 0;
    if (s[i] == '"')
        return nf_string(s, n, i);
    if (s[i] == '{' || s[i] == '[') {
        size_t depth = 0;
        while (i < n) {
            char c = s[i];
            if (c == '"') {
                i = nf_string(s, n, i);
                if (i == 0)
                    return 0;
                continue;
            }
            if (c == '{' || c == '[')
                depth++;
            else if ((c == '}' || c == ']') && --depth == 0)
                return i + 1;
            i++;
            while (i < n && s[i] != '"' && s[i] != '{' && s[i] != '[' && s[i] != '}' && s[i] != ']')
                i++;
        }
        return 0;
    }
    size_t start = i;
    while (i < n && s[i] != ',' && s[i] != '}' && s[i] != ']' && s[i] != ' ' && s[i] != '\n' &&
           s[i] != '\t' && s[i] != '\r')
        i++;
    return i > start ? i : 0;
}

/* Is the raw key s[a..b) (quotes included) one of the NULL-terminated names? */
static int nf_key_in(const char *s, size_t a, size_t b, const char *const *names)
{
    for (; *names; names++) {
        size_t l = strlen(*names);
        if (b - a == l + 2 && memcmp(s + a + 1, *names, l) == 0)
            return 1;
    }
    return 0;
}

/*
 * Copy the members of the object at s[*ip] (which must be '{') whose keys
 * are in `keep` into out as "key:value" pairs (comma-separated, no braces);
 * a member named `sub` that is an object recurses with sub_keep, emitted as
 * "sub":{...}. Advances *ip past the object. 0 ok, -1 malformed or no memory.
 */
static int nf_members(const char *s, size_t n, size_t *ip, nix_buf *out, const char *const *keep,
                      const char *sub, const char *const *sub_keep)
{
    size_t i = nf_ws(s, n, *ip);
    if (i >= n || s[i] != '{')
        return -1;
    i = nf_ws(s, n, i + 1);
    int first = 1;
    if (i < n && s[i] == '}') {
        *ip = i + 1;
        return 0;
    }
    for (;;) {
        if (i >= n || s[i] != '"')
            return -1;
        size_t ka = i, kb = nf_string(s, n, i);
        if (kb == 0)
            return -1;
        i = nf_ws(s, n, kb);
        if (i >= n || s[i] != ':')
            return -1;
        i = nf_ws(s, n, i + 1);
        const char *subs[] = {sub, NULL};
        if (sub && nf_key_in(s, ka, kb, subs) && i < n && s[i] == '{') {
            if ((!first && nb_add(out, ",", 1) != 0) || nb_add(out, s + ka, kb - ka) != 0 ||
                nb_add(out, ":{", 2) != 0)
                return -1;
            if (nf_members(s, n, &i, out, sub_keep, NULL, NULL) != 0 || nb_add(out, "}", 1) != 0)
                return -1;
            first = 0;
        } else {
            size_t ve = nf_value(s, n, i);
            if (ve == 0)
                return -1;
            if (nf_key_in(s, ka, kb, keep)) {
                if ((!first && nb_add(out, ",", 1) != 0) || nb_add(out, s + ka, kb - ka) != 0 ||
                    nb_add(out, ":", 1) != 0 || nb_add(out, s + i, ve - i) != 0)
                    return -1;
                first = 0;
            }
            i = ve;
        }
        i = nf_ws(s, n, i);
        if (i < n && s[i] == ',') {
            i = nf_ws(s, n, i + 1);
            continue;
        }
        if (i < n && s[i] == '}') {
            *ip = i + 1;
            return 0;
        }
        return -1;
    }
}

/* Build the filtered entry text into out (NUL-terminated). 0 ok, -1 unexpected shape. */
static int nix_filter(const char *s, size_t n, nix_buf *out)
{
    static const char *const pkg_keys[] = {"name", "pname", "version", NULL};
    static const char *const meta_keys[] = {"description", "homepage", "license",
                                            "maintainers", "position", NULL};
    out->len = 0;
    size_t i = nf_ws(s, n, 0);
    if (i >= n || s[i] != '{')
        return -1;
    i = nf_ws(s, n, i + 1);
    if (i >= n || s[i] != '"')
        return -1;
    size_t kb = nf_string(s, n, i);
    if (kb == 0)
        return -1;
    if (nb_add(out, "{", 1) != 0 || nb_add(out, s + i, kb - i) != 0 || nb_add(out, ":{", 2) != 0)
        return -1;
    i = nf_ws(s, n, kb);
    if (i >= n || s[i] != ':')
        return -1;
    i++;
    if (nf_members(s, n, &i, out, pkg_keys, "meta", meta_keys) != 0)
        return -1;
    if (nb_add(out, "}}", 2) != 0 || nb_end(out) != 0)
        return -1;
    return 0;
}

/* Parse a whole packages.json stream the way the jansson parser did, filling *stats. */
int nix_ref_parse_stats(pf_reader *in, const char *variant, pf_emit_fn emit, void *ctx,
                        pf_parse_stats *stats, char *err, size_t errlen)
{
    (void)variant;
    pf_parse_stats local = {0, 0};
    if (!stats)
        stats = &local;
    stats->records = stats->skipped = 0;

    pf_jsonstream *js = pf_jsonstream_new(in, PF_JS_MEMBERS, "packages", 0, 0);
    if (!js) {
        snprintf(err, errlen, "nix-json: out of memory");
        return -1;
    }
    nix_buf b = {NULL, 0, 0};
    nix_buf f = {NULL, 0, 0}; /* the filtered entry */
    int rc = 0;
    for (;;) {
        pf_js_entry e;
        int got = pf_jsonstream_next(js, &e);
        if (got < 0) {
            snprintf(err, errlen, "nix-json: %s", pf_jsonstream_error(js));
            rc = -1;
            break;
        }
        if (got == 0)
            break;
        json_error_t jerr;
        json_t *root = NULL;
        if (nix_filter(e.text, e.len, &f) == 0)
            root = json_loadb(f.p, f.len - 1, 0, &jerr);
        if (!root) /* unexpected shape, or an error: parse whole for the exact position */
            root = json_loadb(e.text, e.len, 0, &jerr);
        if (!root) {
            size_t pos = (size_t)jerr.position > e.prefix ? (size_t)jerr.position - e.prefix : 0;
            snprintf(err, errlen, "nix-json: invalid JSON at byte %llu: %s",
                     (unsigned long long)(e.offset + pos), jerr.text);
            rc = -1;
            break;
        }
        int oom = 0;
        rc = nix_entry(root, &b, emit, ctx, stats, &oom);
        json_decref(root);
        if (oom) {
            snprintf(err, errlen, "nix-json: out of memory");
            break;
        }
        if (rc != 0)
            break;
    }
    free(b.p);
    free(f.p);
    pf_jsonstream_free(js);
    return rc;
}
