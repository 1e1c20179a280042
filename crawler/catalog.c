/*
 * catalog.c — the repository catalog (catalog.h): YAML files in the format
 * documented in data/repos/README.md, read with libyaml's document API.
 *
 * Loading is all-or-nothing per text: a file is parsed into a scratch
 * catalog and only merged into the caller's catalog when it is entirely
 * valid, so a bad user file never leaves half a catalog behind.
 * Errors name "file:line: cause"; unknown keys are warned about on stderr
 * (same form) and skipped, so newer catalogs still load in older binaries.
 *
 * Mirrors: a source URL may start with "{mirror:NAME}", resolved when the
 * URL is needed (pf_catalog_source_url) against the catalog's mirrors, which
 * --mirror NAME=URL overrides; NAME=apt takes the URL from the host's apt
 * configuration (first URL whose path ends in /NAME).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <yaml.h>

#include "pkgfresh/catalog.h"
#include "pkgfresh/format.h"

#define CAT_MAX_FILE ((size_t)4 << 20) /* a catalog file is a few KB; refuse absurd ones */

/* ---- small helpers ----------------------------------------------------- */

/* Free one repository's fields (not the struct itself). */
static void repo_clear(pf_repo *r)
{
    free(r->id);
    free(r->family);
    free(r->shortname);
    free(r->title);
    free(r->color);
    free(r->format);
    free(r->valid_till);
    free(r->statsgroup);
    for (size_t i = 0; i < r->nrulesets; i++)
        free(r->rulesets[i]);
    free(r->rulesets);
    for (size_t i = 0; i < r->naliases; i++)
        free(r->aliases[i]);
    free(r->aliases);
    for (size_t i = 0; i < r->nsources; i++) {
        free(r->sources[i].name);
        free(r->sources[i].url);
    }
    free(r->sources);
    memset(r, 0, sizeof *r);
}

/* Release everything reachable from the catalog and leave it empty. */
void pf_catalog_free(pf_catalog *cat)
{
    if (!cat)
        return;
    for (size_t i = 0; i < cat->nrepos; i++)
        repo_clear(&cat->repos[i]);
    free(cat->repos);
    for (size_t i = 0; i < cat->nmirrors; i++) {
        free(cat->mirrors[i].name);
        free(cat->mirrors[i].url);
    }
    free(cat->mirrors);
    free(cat->rules);
    memset(cat, 0, sizeof *cat);
}

/* Copy of s[0..n) with trailing slashes removed; NULL on out of memory. */
static char *dup_noslash(const char *s, size_t n)
{
    while (n > 0 && s[n - 1] == '/')
        n--;
    return strndup(s, n);
}

/* Is s a valid mirror or repository identifier: [a-z0-9_-]+ ? */
static int valid_ident(const char *s, size_t n)
{
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return 0;
    }
    return 1;
}

/* Set (replace or add) mirror name -> url; takes nothing over. 0, or -1 on out of memory. */
static int mirror_set(pf_catalog *cat, const char *name, const char *url)
{
    char *u = dup_noslash(url, strlen(url));
    if (!u)
        return -1;
    for (size_t i = 0; i < cat->nmirrors; i++)
        if (strcmp(cat->mirrors[i].name, name) == 0) {
            free(cat->mirrors[i].url);
            cat->mirrors[i].url = u;
            return 0;
        }
    char *nm = strdup(name);
    pf_mirror *nmir = nm ? realloc(cat->mirrors, (cat->nmirrors + 1) * sizeof *nmir) : NULL;
    if (!nmir) {
        free(nm);
        free(u);
        return -1;
    }
    cat->mirrors = nmir;
    cat->mirrors[cat->nmirrors].name = nm;
    cat->mirrors[cat->nmirrors].url = u;
    cat->nmirrors++;
    return 0;
}

/* The mirror called name[0..n), or NULL. */
static const pf_mirror *mirror_find(const pf_catalog *cat, const char *name, size_t n)
{
    for (size_t i = 0; i < cat->nmirrors; i++)
        if (strlen(cat->mirrors[i].name) == n && memcmp(cat->mirrors[i].name, name, n) == 0)
            return &cat->mirrors[i];
    return NULL;
}

/* ---- YAML loading ------------------------------------------------------ */

/* What one load works on: the document, where to report, the scratch catalog. */
typedef struct cat_ctx {
    const char *name; /* file name for messages */
    yaml_document_t *doc;
    const pf_catalog *into; /* catalog being added to (for duplicate checks) */
    pf_catalog *tmp;        /* what this text defines */
    char *err;
    size_t errlen;
} cat_ctx;

/* Line number (1-based) of a node. */
static unsigned long node_line(const yaml_node_t *n)
{
    return (unsigned long)n->start_mark.line + 1;
}

/* Report "name:line: message" in err; returns -1. */
static int cat_fail(cat_ctx *c, const yaml_node_t *n, const char *fmt, ...)
{
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(c->err, c->errlen, "%s:%lu: %s", c->name, n ? node_line(n) : 0ul, msg);
    return -1;
}

/* Warn "name:line: warning: message" on stderr. */
static void cat_warn(cat_ctx *c, const yaml_node_t *n, const char *fmt, ...)
{
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fprintf(stderr, "pkgfresh: %s:%lu: warning: %s\n", c->name, node_line(n), msg);
}

/* Scalar text of a node, or NULL when it is not a scalar. */
static const char *scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* Copy a non-empty scalar value into *out. */
static int get_str(cat_ctx *c, const yaml_node_t *v, const char *key, char **out)
{
    const char *s = scalar(v);
    if (!s)
        return cat_fail(c, v, "%s: expected a string", key);
    if (!*s)
        return cat_fail(c, v, "%s: empty value", key);
    free(*out);
    *out = strdup(s);
    if (!*out)
        return cat_fail(c, v, "out of memory");
    return 0;
}

/* Parse a boolean scalar (true/false/yes/no). */
static int get_bool(cat_ctx *c, const yaml_node_t *v, const char *key, int *out)
{
    const char *s = scalar(v);
    if (s && (strcasecmp(s, "true") == 0 || strcasecmp(s, "yes") == 0))
        *out = 1;
    else if (s && (strcasecmp(s, "false") == 0 || strcasecmp(s, "no") == 0))
        *out = 0;
    else
        return cat_fail(c, v, "%s: expected true or false", key);
    return 0;
}

/* Parse a non-negative integer scalar. */
static int get_long(cat_ctx *c, const yaml_node_t *v, const char *key, long *out)
{
    const char *s = scalar(v);
    char *end;
    errno = 0;
    long x = s && isdigit((unsigned char)*s) ? strtol(s, &end, 10) : -1;
    if (x < 0 || errno != 0 || *end)
        return cat_fail(c, v, "%s: expected a non-negative integer", key);
    *out = x;
    return 0;
}

/* Parse a period: seconds ("3600") or a number with s/m/h/d/w ("12h", "1d",
 * "1w"); at most 100 years. 0, or -1 when it is not one. */
int pf_period_parse(const char *s, long *out)
{
    char *end;
    errno = 0;
    long x = s && isdigit((unsigned char)*s) ? strtol(s, &end, 10) : -1;
    long mult = 0;
    if (x >= 0 && errno == 0) {
        if (!*end)
            mult = 1;
        else if (!end[1])
            switch (*end) {
            case 's':
                mult = 1;
                break;
            case 'm':
                mult = 60;
                break;
            case 'h':
                mult = 3600;
                break;
            case 'd':
                mult = 86400;
                break;
            case 'w':
                mult = 7 * 86400;
                break;
            }
    }
    if (mult == 0 || x <= 0 || x > 100L * 366 * 86400 / mult)
        return -1;
    *out = x * mult;
    return 0;
}

/* A catalog period value (see pf_period_parse). */
static int get_period(cat_ctx *c, const yaml_node_t *v, const char *key, long *out)
{
    if (pf_period_parse(scalar(v), out) != 0)
        return cat_fail(c, v, "%s: expected a period such as 3600, 12h, 1d or 1w", key);
    return 0;
}

/* Parse a list of names (a sequence, or one scalar) into *out / *n: rulesets, aliases. */
static int get_names(cat_ctx *c, const yaml_node_t *v, const char *key, char ***out, size_t *n)
{
    if (v->type == YAML_SCALAR_NODE) {
        *out = calloc(1, sizeof **out);
        if (!*out)
            return cat_fail(c, v, "out of memory");
        *n = 1;
        return get_str(c, v, key, &(*out)[0]);
    }
    if (v->type != YAML_SEQUENCE_NODE)
        return cat_fail(c, v, "%s: expected a list of names", key);
    size_t cnt = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
    *out = calloc(cnt ? cnt : 1, sizeof **out);
    if (!*out)
        return cat_fail(c, v, "out of memory");
    for (size_t i = 0; i < cnt; i++) {
        yaml_node_t *it = yaml_document_get_node(c->doc, v->data.sequence.items.start[i]);
        *n = i + 1;
        if (get_str(c, it, key, &(*out)[i]) != 0)
            return -1;
    }
    return 0;
}

/* Parse an end-of-life date "YYYY-MM-DD": keeps the text and the unix time at which
 * the day after it begins (UTC), when the repository stops being valid. */
static int get_date(cat_ctx *c, const yaml_node_t *v, const char *key, pf_repo *r)
{
    const char *s = scalar(v);
    int y, m, d, used = 0;
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (!s || strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &used) != 3 || used != 10 ||
        s[4] != '-' || s[7] != '-' || y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31)
        return cat_fail(c, v, "%s: expected a date YYYY-MM-DD", key);
    tm.tm_year = y - 1900;
    tm.tm_mon = m - 1;
    tm.tm_mday = d;
    time_t t = timegm(&tm);
    if (t == (time_t)-1 || tm.tm_mday != d) /* timegm normalizes 2026-02-30 to March */
        return cat_fail(c, v, "%s: no such day '%s'", key, s);
    r->valid_end = (long long)t + 86400;
    return get_str(c, v, key, &r->valid_till);
}

/* Is url acceptable in a catalog: {mirror:NAME}..., http(s)://, or file:// when allowed? */
static int check_url(cat_ctx *c, const yaml_node_t *v, const char *url, int allow_file)
{
    if (strncmp(url, "{mirror:", 8) == 0) {
        const char *close = strchr(url + 8, '}');
        if (!close || !valid_ident(url + 8, (size_t)(close - (url + 8))))
            return cat_fail(c, v, "url: bad mirror reference in '%s'", url);
        return 0;
    }
    if (strncmp(url, "http://", 7) == 0 || strncmp(url, "https://", 8) == 0)
        return 0;
    if (strncmp(url, "file://", 7) == 0)
        return allow_file ? 0 : cat_fail(c, v, "url: file:// needs 'allow_file: true'");
    return cat_fail(c, v, "url: expected http://, https:// or {mirror:NAME}, got '%s'", url);
}

/* Parse the sources list: a sequence of {name, url}. */
static int get_sources(cat_ctx *c, const yaml_node_t *v, pf_repo *r)
{
    if (v->type != YAML_SEQUENCE_NODE)
        return cat_fail(c, v, "sources: expected a list of {name, url}");
    size_t n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
    if (n == 0)
        return cat_fail(c, v, "sources: empty list");
    r->sources = calloc(n, sizeof *r->sources);
    if (!r->sources)
        return cat_fail(c, v, "out of memory");
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *it = yaml_document_get_node(c->doc, v->data.sequence.items.start[i]);
        pf_source *s = &r->sources[i];
        r->nsources = i + 1;
        if (!it || it->type != YAML_MAPPING_NODE)
            return cat_fail(c, it, "sources: expected a mapping with name and url");
        for (yaml_node_pair_t *p = it->data.mapping.pairs.start; p < it->data.mapping.pairs.top;
             p++) {
            yaml_node_t *k = yaml_document_get_node(c->doc, p->key);
            yaml_node_t *val = yaml_document_get_node(c->doc, p->value);
            const char *key = scalar(k);
            if (!key)
                return cat_fail(c, k, "sources: expected a string key");
            if (strcmp(key, "name") == 0) {
                if (get_str(c, val, "name", &s->name) != 0)
                    return -1;
            } else if (strcmp(key, "url") == 0) {
                if (get_str(c, val, "url", &s->url) != 0)
                    return -1;
            } else {
                cat_warn(c, k, "unknown key '%s' in a source, ignored", key);
            }
        }
        if (!s->name)
            return cat_fail(c, it, "source without 'name'");
        if (!s->url)
            return cat_fail(c, it, "source '%s' without 'url'", s->name);
        for (size_t j = 0; j < i; j++)
            if (strcmp(r->sources[j].name, s->name) == 0)
                return cat_fail(c, it, "duplicate source name '%s'", s->name);
    }
    return 0;
}

/* The repository with this id in cat, or NULL. */
static const pf_repo *repo_by_id(const pf_catalog *cat, const char *id)
{
    for (size_t i = 0; i < cat->nrepos; i++)
        if (strcmp(cat->repos[i].id, id) == 0)
            return &cat->repos[i];
    return NULL;
}

/* The repository that has name as a former id (alias) in cat, or NULL. */
static const pf_repo *repo_by_alias(const pf_catalog *cat, const char *name)
{
    for (size_t i = 0; i < cat->nrepos; i++)
        for (size_t j = 0; j < cat->repos[i].naliases; j++)
            if (strcmp(cat->repos[i].aliases[j], name) == 0)
                return &cat->repos[i];
    return NULL;
}

/* Whether name is already an id or an alias in the catalog being added to or the
 * scratch one (ids and aliases share one name space). */
static int name_taken(const cat_ctx *c, const char *name)
{
    return repo_by_id(c->into, name) || repo_by_id(c->tmp, name) || repo_by_alias(c->into, name) ||
           repo_by_alias(c->tmp, name);
}

/* The default repository of a short name in cat, or NULL. */
static const pf_repo *repo_default_of(const pf_catalog *cat, const char *shortname)
{
    for (size_t i = 0; i < cat->nrepos; i++)
        if (cat->repos[i].is_default && cat->repos[i].shortname &&
            strcmp(cat->repos[i].shortname, shortname) == 0)
            return &cat->repos[i];
    return NULL;
}

/* Keys of a repository mapping, in a table so duplicates and missing ones are easy to see. */
enum {
    K_ID,
    K_FAMILY,
    K_SHORTNAME,
    K_DEFAULT,
    K_TITLE,
    K_COLOR,
    K_FORMAT,
    K_RULESETS,
    K_UPDATE_PERIOD,
    K_MIN_PACKAGES,
    K_SOURCES,
    K_TLS_INSECURE,
    K_ALLOW_FILE,
    K_SHADOW,
    K_VALID_TILL,
    K_ALIASES,
    K_STATSGROUP,
    K_COUNT
};
static const char *const repo_keys[K_COUNT] = {
    "id",         "family",   "shortname",     "default",      "title",     "color",
    "format",     "rulesets", "update_period", "min_packages", "sources",   "tls_insecure",
    "allow_file", "shadow",   "valid_till",    "aliases",      "statsgroup"};

/* Parse one repository mapping into r (r zeroed by the caller, cleared by it on error). */
static int parse_repo(cat_ctx *c, const yaml_node_t *m, pf_repo *r)
{
    if (m->type != YAML_MAPPING_NODE)
        return cat_fail(c, m, "repositories: expected a mapping per repository");
    const yaml_node_t *val[K_COUNT] = {0};
    for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(c->doc, p->key);
        const char *key = scalar(k);
        if (!key)
            return cat_fail(c, k, "expected a string key");
        int idx = -1;
        for (int i = 0; i < K_COUNT; i++)
            if (strcmp(key, repo_keys[i]) == 0)
                idx = i;
        if (idx < 0) {
            cat_warn(c, k, "unknown key '%s', ignored", key);
            continue;
        }
        if (val[idx])
            return cat_fail(c, k, "duplicate key '%s'", key);
        val[idx] = yaml_document_get_node(c->doc, p->value);
    }
    static const int required[] = {K_ID, K_FAMILY, K_TITLE, K_FORMAT, K_SOURCES};
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        if (!val[required[i]])
            return cat_fail(c, m, "repository without '%s'", repo_keys[required[i]]);

    r->update_period = 86400;
    if (get_str(c, val[K_ID], "id", &r->id) != 0)
        return -1;
    if (!valid_ident(r->id, strlen(r->id)))
        return cat_fail(c, val[K_ID], "id '%s': use lower-case letters, digits, '_' and '-'",
                        r->id);
    if (repo_by_id(c->into, r->id) || repo_by_id(c->tmp, r->id))
        return cat_fail(c, val[K_ID], "duplicate repository id '%s'", r->id);
    if (name_taken(c, r->id))
        return cat_fail(c, val[K_ID], "id '%s' is another repository's alias", r->id);
    if (get_str(c, val[K_FAMILY], "family", &r->family) != 0 ||
        get_str(c, val[K_TITLE], "title", &r->title) != 0 ||
        get_str(c, val[K_FORMAT], "format", &r->format) != 0)
        return -1;
    if (!valid_ident(r->family, strlen(r->family)))
        return cat_fail(c, val[K_FAMILY], "family '%s': use lower-case letters, digits, '_', '-'",
                        r->family);
    if (!pf_format_find(r->format))
        return cat_fail(c, val[K_FORMAT], "unknown format '%s'", r->format);
    if (val[K_SHORTNAME] && get_str(c, val[K_SHORTNAME], "shortname", &r->shortname) != 0)
        return -1;
    if (val[K_DEFAULT] && get_bool(c, val[K_DEFAULT], "default", &r->is_default) != 0)
        return -1;
    if (r->is_default && !r->shortname)
        return cat_fail(c, val[K_DEFAULT], "'default: true' needs a 'shortname'");
    if (r->is_default &&
        (repo_default_of(c->into, r->shortname) || repo_default_of(c->tmp, r->shortname)))
        return cat_fail(c, val[K_DEFAULT], "second default repository for '%s'", r->shortname);
    if (r->shortname && name_taken(c, r->shortname))
        return cat_fail(c, val[K_SHORTNAME], "shortname '%s' is a repository id or alias",
                        r->shortname);
    if (val[K_COLOR]) {
        if (get_str(c, val[K_COLOR], "color", &r->color) != 0)
            return -1;
        size_t i = 1;
        while (i < 7 && isxdigit((unsigned char)r->color[i]))
            i++;
        if (r->color[0] != '#' || i != 7 || r->color[7])
            return cat_fail(c, val[K_COLOR], "color '%s': expected #rrggbb", r->color);
    }
    if (val[K_RULESETS] &&
        get_names(c, val[K_RULESETS], "rulesets", &r->rulesets, &r->nrulesets) != 0)
        return -1;
    if (val[K_ALIASES] && get_names(c, val[K_ALIASES], "aliases", &r->aliases, &r->naliases) != 0)
        return -1;
    for (size_t i = 0; i < r->naliases; i++) {
        const char *al = r->aliases[i];
        if (!valid_ident(al, strlen(al)))
            return cat_fail(c, val[K_ALIASES],
                            "alias '%s': use lower-case letters, digits, '_'"
                            " and '-'",
                            al);
        int dup = strcmp(al, r->id) == 0;
        for (size_t j = 0; j < i; j++)
            dup |= strcmp(al, r->aliases[j]) == 0;
        if (dup || name_taken(c, al) || repo_default_of(c->into, al) ||
            repo_default_of(c->tmp, al) || (r->shortname && strcmp(al, r->shortname) == 0))
            return cat_fail(c, val[K_ALIASES], "alias '%s' already names a repository", al);
    }
    if (val[K_SHADOW] && get_bool(c, val[K_SHADOW], "shadow", &r->shadow) != 0)
        return -1;
    if (val[K_VALID_TILL] && get_date(c, val[K_VALID_TILL], "valid_till", r) != 0)
        return -1;
    if (val[K_STATSGROUP] && get_str(c, val[K_STATSGROUP], "statsgroup", &r->statsgroup) != 0)
        return -1;
    if (val[K_UPDATE_PERIOD] &&
        get_period(c, val[K_UPDATE_PERIOD], "update_period", &r->update_period) != 0)
        return -1;
    if (val[K_MIN_PACKAGES] &&
        get_long(c, val[K_MIN_PACKAGES], "min_packages", &r->min_packages) != 0)
        return -1;
    if (val[K_TLS_INSECURE] &&
        get_bool(c, val[K_TLS_INSECURE], "tls_insecure", &r->tls_insecure) != 0)
        return -1;
    if (val[K_ALLOW_FILE] && get_bool(c, val[K_ALLOW_FILE], "allow_file", &r->allow_file) != 0)
        return -1;
    if (get_sources(c, val[K_SOURCES], r) != 0)
        return -1;
    for (size_t i = 0; i < r->nsources; i++) {
        yaml_node_t *it =
            yaml_document_get_node(c->doc, val[K_SOURCES]->data.sequence.items.start[i]);
        if (check_url(c, it, r->sources[i].url, r->allow_file) != 0)
            return -1;
    }
    return 0;
}

/* Parse the "mirrors:" mapping into the scratch catalog. */
static int parse_mirrors(cat_ctx *c, const yaml_node_t *m)
{
    if (m->type != YAML_MAPPING_NODE)
        return cat_fail(c, m, "mirrors: expected a mapping of name: URL");
    for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(c->doc, p->key);
        yaml_node_t *v = yaml_document_get_node(c->doc, p->value);
        const char *name = scalar(k), *url = scalar(v);
        if (!name || !valid_ident(name, strlen(name)))
            return cat_fail(c, k, "mirrors: bad mirror name");
        if (!url || (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0))
            return cat_fail(c, v, "mirror '%s': expected an http:// or https:// URL", name);
        if (mirror_find(c->tmp, name, strlen(name)))
            return cat_fail(c, k, "duplicate mirror '%s'", name);
        if (mirror_set(c->tmp, name, url) != 0)
            return cat_fail(c, v, "out of memory");
    }
    return 0;
}

/* Parse one YAML document's root mapping into the scratch catalog. */
static int parse_root(cat_ctx *c, const yaml_node_t *root)
{
    if (root->type != YAML_MAPPING_NODE)
        return cat_fail(c, root, "expected a mapping with 'mirrors' and 'repositories'");
    int seen_mirrors = 0, seen_repos = 0;
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = yaml_document_get_node(c->doc, p->key);
        yaml_node_t *v = yaml_document_get_node(c->doc, p->value);
        const char *key = scalar(k);
        int *seen = !key                               ? NULL
                    : strcmp(key, "mirrors") == 0      ? &seen_mirrors
                    : strcmp(key, "repositories") == 0 ? &seen_repos
                                                       : NULL;
        if (seen && (*seen)++)
            return cat_fail(c, k, "duplicate key '%s'", key);
        if (key && strcmp(key, "mirrors") == 0) {
            if (parse_mirrors(c, v) != 0)
                return -1;
        } else if (key && strcmp(key, "rules") == 0) {
            /* the rules directory to use (pkgfresh --rules overrides it) */
            const char *dir = scalar(v);
            if (!dir || !*dir)
                return cat_fail(c, v, "rules: expected a directory path");
            free(c->tmp->rules);
            if (!(c->tmp->rules = strdup(dir)))
                return cat_fail(c, v, "out of memory");
        } else if (key && strcmp(key, "repositories") == 0) {
            if (v->type != YAML_SEQUENCE_NODE)
                return cat_fail(c, v, "repositories: expected a list");
            for (yaml_node_item_t *it = v->data.sequence.items.start;
                 it < v->data.sequence.items.top; it++) {
                pf_repo *nr = realloc(c->tmp->repos, (c->tmp->nrepos + 1) * sizeof *nr);
                if (!nr)
                    return cat_fail(c, v, "out of memory");
                c->tmp->repos = nr;
                pf_repo r;
                memset(&r, 0, sizeof r);
                if (parse_repo(c, yaml_document_get_node(c->doc, *it), &r) != 0) {
                    repo_clear(&r);
                    return -1;
                }
                c->tmp->repos[c->tmp->nrepos++] = r;
            }
        } else {
            cat_warn(c, k, "unknown key '%s', ignored", key ? key : "?");
        }
    }
    return 0;
}

/* Move everything of src into dst (src is left empty). 0, or -1 on out of memory. */
static int catalog_merge(pf_catalog *dst, pf_catalog *src)
{
    if (src->nrepos > 0) {
        pf_repo *nr = realloc(dst->repos, (dst->nrepos + src->nrepos) * sizeof *nr);
        if (!nr)
            return -1;
        dst->repos = nr;
        memcpy(dst->repos + dst->nrepos, src->repos, src->nrepos * sizeof *nr);
        dst->nrepos += src->nrepos;
        free(src->repos);
        src->repos = NULL;
        src->nrepos = 0;
    }
    /* A later file's rules setting replaces an earlier one. */
    if (src->rules) {
        free(dst->rules);
        dst->rules = src->rules;
        src->rules = NULL;
    }
    /* A later file's mirror replaces an earlier one of the same name. */
    for (size_t i = 0; i < src->nmirrors; i++)
        if (mirror_set(dst, src->mirrors[i].name, src->mirrors[i].url) != 0)
            return -1;
    return 0;
}

/* Parse YAML text and add its repositories and mirrors to cat (all or nothing). */
int pf_catalog_load_text(pf_catalog *cat, const char *text, size_t len, const char *name, char *err,
                         size_t errlen)
{
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        snprintf(err, errlen, "%s: out of memory", name);
        return -1;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    pf_catalog tmp;
    memset(&tmp, 0, sizeof tmp);
    int rc = 0;
    for (;;) {
        yaml_document_t doc;
        if (!yaml_parser_load(&parser, &doc)) {
            snprintf(err, errlen, "%s:%lu: YAML error: %s%s%s", name,
                     (unsigned long)parser.problem_mark.line + 1,
                     parser.problem ? parser.problem : "unknown", parser.context ? " " : "",
                     parser.context ? parser.context : "");
            rc = -1;
            break;
        }
        yaml_node_t *root = yaml_document_get_root_node(&doc);
        if (!root) { /* end of stream (or an empty file) */
            yaml_document_delete(&doc);
            break;
        }
        cat_ctx c = {name, &doc, cat, &tmp, err, errlen};
        rc = parse_root(&c, root);
        yaml_document_delete(&doc);
        if (rc != 0)
            break;
    }
    yaml_parser_delete(&parser);
    if (rc == 0 && catalog_merge(cat, &tmp) != 0) {
        snprintf(err, errlen, "%s: out of memory", name);
        rc = -1;
    }
    pf_catalog_free(&tmp);
    return rc;
}

/* Read a small file whole (catalog files are a few KB). NULL with err set on failure. */
static char *read_small_file(const char *path, size_t *len, char *err, size_t errlen)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 8192, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, fp);
        n += got;
        if (got == 0)
            break;
        if (n == cap) {
            char *nb = cap >= CAT_MAX_FILE ? NULL : realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                snprintf(err, errlen, "%s: too large or out of memory", path);
                fclose(fp);
                return NULL;
            }
            buf = nb;
            cap *= 2;
        }
    }
    int bad = ferror(fp);
    fclose(fp);
    if (!buf || bad) {
        free(buf);
        snprintf(err, errlen, "%s: read error", path);
        return NULL;
    }
    *len = n;
    return buf;
}

/* Load one file (any name) into cat. */
static int load_file(pf_catalog *cat, const char *path, char *err, size_t errlen)
{
    size_t len;
    char *text = read_small_file(path, &len, err, errlen);
    if (!text)
        return -1;
    int rc = pf_catalog_load_text(cat, text, len, path, err, errlen);
    free(text);
    return rc;
}

/* qsort comparator for file names. */
static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Load one YAML file, or every *.yaml of a directory in name order, into cat. */
int pf_catalog_load_path(pf_catalog *cat, const char *path, char *err, size_t errlen)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    if (!S_ISDIR(sb.st_mode))
        return load_file(cat, path, err, errlen);
    DIR *d = opendir(path);
    if (!d) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    char **names = NULL;
    size_t n = 0;
    int rc = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        size_t l = strlen(de->d_name);
        if (l < 6 || de->d_name[0] == '.' || strcmp(de->d_name + l - 5, ".yaml") != 0)
            continue;
        char **nn = realloc(names, (n + 1) * sizeof *nn);
        char *full = NULL;
        if (nn) {
            names = nn;
            if (asprintf(&full, "%s/%s", path, de->d_name) < 0)
                full = NULL;
        }
        if (!full) {
            snprintf(err, errlen, "%s: out of memory", path);
            rc = -1;
            break;
        }
        names[n++] = full;
    }
    closedir(d);
    if (rc == 0 && n > 0)
        qsort(names, n, sizeof *names, cmp_names);
    for (size_t i = 0; i < n; i++) {
        if (rc == 0)
            rc = load_file(cat, names[i], err, errlen);
        free(names[i]);
    }
    free(names);
    return rc;
}

/* The compiled-in catalog: the data/repos files as embedded by scripts/embed-catalog. */
int pf_catalog_load_default(pf_catalog *cat, char *err, size_t errlen)
{
    for (size_t i = 0; pf_embedded_catalog[i]; i += 2) {
        char name[256];
        snprintf(name, sizeof name, "embedded:%s", pf_embedded_catalog[i]);
        const char *text = pf_embedded_catalog[i + 1];
        if (pf_catalog_load_text(cat, text, strlen(text), name, err, errlen) != 0)
            return -1;
    }
    return 0;
}

/* ---- lookups ----------------------------------------------------------- */

/* By id first, then by a former id (alias), then by the short name of a default
 * repository. */
const pf_repo *pf_catalog_find(const pf_catalog *cat, const char *name)
{
    if (!cat || !name)
        return NULL;
    const pf_repo *r = repo_by_id(cat, name);
    if (!r)
        r = repo_by_alias(cat, name);
    return r ? r : repo_default_of(cat, name);
}

/* End of life: the day after valid_till has begun. */
int pf_repo_is_eol(const pf_repo *r, long long now)
{
    return r && r->valid_end > 0 && now >= r->valid_end;
}

/* Repology's statsgroup, or the title (each repository its own group). */
const char *pf_repo_statsgroup(const pf_repo *r)
{
    return r->statsgroup ? r->statsgroup : r->title;
}

/* Expand a leading {mirror:NAME} in a source URL into a malloc'd string. */
char *pf_catalog_source_url(const pf_catalog *cat, const pf_source *src, char *err, size_t errlen)
{
    const char *url = src->url;
    char *out = NULL;
    if (strncmp(url, "{mirror:", 8) != 0) {
        out = strdup(url);
    } else {
        const char *nm = url + 8;
        const char *close = strchr(nm, '}');
        if (!close) {
            snprintf(err, errlen, "source %s: bad mirror reference in '%s'", src->name, url);
            return NULL;
        }
        const pf_mirror *m = mirror_find(cat, nm, (size_t)(close - nm));
        if (!m) {
            snprintf(err, errlen, "source %s: unknown mirror '%.*s' (use --mirror %.*s=URL)",
                     src->name, (int)(close - nm), nm, (int)(close - nm), nm);
            return NULL;
        }
        if (asprintf(&out, "%s%s", m->url, close + 1) < 0)
            out = NULL;
    }
    if (!out)
        snprintf(err, errlen, "out of memory");
    return out;
}

/* ---- mirrors from apt -------------------------------------------------- */

/* Does url[0..n) (an http(s)/ftp URL) have a path ending in "/name" (trailing '/' ignored)? */
static int apt_url_matches(const char *url, size_t n, const char *name)
{
    const char *scheme = strstr(url, "://");
    if (!scheme || (size_t)(scheme - url) >= n)
        return 0;
    while (n > 0 && url[n - 1] == '/')
        n--;
    size_t l = strlen(name);
    const char *host = scheme + 3;
    const char *path = memchr(host, '/', n - (size_t)(host - url));
    if (!path || n < l + 1 || url + n - l - 1 < path)
        return 0;
    return url[n - l - 1] == '/' && memcmp(url + n - l, name, l) == 0;
}

/* The first token of s (whitespace-separated) starting at *pos; its length, 0 at end. */
static size_t next_token(const char *s, size_t *pos, const char **tok)
{
    size_t i = *pos;
    while (s[i] && isspace((unsigned char)s[i]))
        i++;
    size_t b = i;
    while (s[i] && !isspace((unsigned char)s[i]))
        i++;
    *tok = s + b;
    *pos = i;
    return i - b;
}

/* Search a one-line-style sources.list ("deb [opts] URL suite comps"); malloc'd URL or NULL. */
static char *apt_scan_list(const char *path, const char *name)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        return NULL;
    char *line = NULL, *found = NULL;
    size_t cap = 0;
    while (!found && getline(&line, &cap, fp) > 0) {
        size_t pos = 0;
        const char *tok;
        size_t l = next_token(line, &pos, &tok);
        if (!((l == 3 && memcmp(tok, "deb", 3) == 0) || (l == 7 && memcmp(tok, "deb-src", 7) == 0)))
            continue;
        l = next_token(line, &pos, &tok);
        if (l > 0 && tok[0] == '[') { /* options, possibly with spaces inside */
            const char *close = strchr(tok, ']');
            if (!close)
                continue;
            pos = (size_t)(close + 1 - line);
            l = next_token(line, &pos, &tok);
        }
        if (l > 0 && apt_url_matches(tok, l, name))
            found = dup_noslash(tok, l);
    }
    free(line);
    fclose(fp);
    return found;
}

/* Search a deb822 .sources file ("URIs:" fields; stanzas with "Enabled: no" skipped). */
static char *apt_scan_sources(const char *path, const char *name)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        return NULL;
    char *line = NULL, *found = NULL, *cand = NULL;
    size_t cap = 0;
    int enabled = 1, in_uris = 0;
    ssize_t got;
    for (;;) {
        got = getline(&line, &cap, fp);
        int blank = 1;
        for (ssize_t i = 0; i < got; i++)
            if (!isspace((unsigned char)line[i]))
                blank = 0;
        if (got <= 0 || blank) { /* end of stanza */
            if (cand && enabled && !found) {
                found = cand;
                cand = NULL;
            }
            free(cand);
            cand = NULL;
            enabled = 1;
            in_uris = 0;
            if (got <= 0 || found)
                break;
            continue;
        }
        if (line[0] == '#')
            continue;
        size_t pos = 0;
        if (isspace((unsigned char)line[0])) {
            if (!in_uris)
                continue;
        } else {
            in_uris = 0;
            if (strncasecmp(line, "URIs:", 5) == 0) {
                in_uris = 1;
                pos = 5;
            } else if (strncasecmp(line, "Enabled:", 8) == 0) {
                const char *tok;
                size_t p8 = 8;
                size_t l = next_token(line, &p8, &tok);
                enabled = !(l == 2 && strncasecmp(tok, "no", 2) == 0);
                continue;
            } else {
                continue;
            }
        }
        const char *tok;
        size_t l;
        while (!cand && (l = next_token(line, &pos, &tok)) > 0)
            if (apt_url_matches(tok, l, name))
                cand = dup_noslash(tok, l);
    }
    free(cand);
    free(line);
    fclose(fp);
    return found;
}

/* Mirror URL for name from the apt configuration under aptdir (see catalog.h). */
char *pf_apt_find_mirror(const char *aptdir, const char *name, char *err, size_t errlen)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/sources.list", aptdir);
    char *url = apt_scan_list(path, name);
    if (url)
        return url;
    snprintf(path, sizeof path, "%s/sources.list.d", aptdir);
    struct dirent **ents = NULL;
    int n = scandir(path, &ents, NULL, alphasort);
    for (int i = 0; i < n; i++) {
        const char *fn = ents[i]->d_name;
        size_t l = strlen(fn);
        if (!url && fn[0] != '.') {
            char full[8192];
            snprintf(full, sizeof full, "%s/%s", path, fn);
            if (l > 5 && strcmp(fn + l - 5, ".list") == 0)
                url = apt_scan_list(full, name);
            else if (l > 8 && strcmp(fn + l - 8, ".sources") == 0)
                url = apt_scan_sources(full, name);
        }
        free(ents[i]);
    }
    free(ents);
    if (!url)
        snprintf(err, errlen, "no apt source URL ending in /%s in %s/sources.list{,.d}", name,
                 aptdir);
    return url;
}

/* --mirror NAME=URL, with NAME=apt read from the apt configuration under aptdir. */
int pf_catalog_set_mirror_in(pf_catalog *cat, const char *spec, const char *aptdir, char *err,
                             size_t errlen)
{
    const char *eq = strchr(spec, '=');
    if (!eq || !valid_ident(spec, (size_t)(eq - spec)) || !eq[1]) {
        snprintf(err, errlen, "bad mirror '%s': expected NAME=URL or NAME=apt", spec);
        return -1;
    }
    char name[128];
    snprintf(name, sizeof name, "%.*s", (int)(eq - spec), spec);
    const char *url = eq + 1;
    char *owned = NULL;
    if (strcmp(url, "apt") == 0) {
        owned = pf_apt_find_mirror(aptdir, name, err, errlen);
        if (!owned)
            return -1;
        url = owned;
    } else if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0 &&
               strncmp(url, "file://", 7) != 0) {
        snprintf(err, errlen, "bad mirror URL '%s': expected http://, https:// or file://", url);
        return -1;
    }
    int rc = mirror_set(cat, name, url);
    free(owned);
    if (rc != 0)
        snprintf(err, errlen, "out of memory");
    return rc;
}

/* --mirror NAME=URL; NAME=apt reads /etc/apt/sources.list and sources.list.d. */
int pf_catalog_set_mirror(pf_catalog *cat, const char *spec, char *err, size_t errlen)
{
    return pf_catalog_set_mirror_in(cat, spec, "/etc/apt", err, errlen);
}
