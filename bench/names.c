/*
 * names.c — realistic package names for bench/gen_db (see names.h).
 *
 * Each snapshot is parsed with the crawler's parser for its format; every
 * record's name is split into (kind, base) by the habits of the family it
 * comes from. Distinct pairs are counted in an open-addressing hash table
 * and sorted by how many snapshots (and records) have them, so the names
 * every distribution ships ("curl", "python:requests") are the popular
 * projects of a generated universe and single-distribution oddities the tail.
 */
#include "names.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkgfresh/format.h"
#include "pkgfresh/grow.h"
#include "pkgfresh/reader.h"
#include "pkgfresh/record.h"

/* Which family's habits a snapshot's names follow. */
enum gn_src { SRC_DEBIAN, SRC_NIX, SRC_ALPINE, SRC_VOID, SRC_HOMEBREW };

/* One distinct (kind, base) while loading. */
typedef struct gn_ent {
    char *key; /* kind digit + base, lower-cased; NULL = empty slot */
    unsigned count;
} gn_ent;

/* Loading state: the hash table. */
typedef struct gn_load_ctx {
    gn_ent *tab;
    size_t cap, n;
    int src; /* enum gn_src of the snapshot being read */
    int oom;
} gn_load_ctx;

/* FNV-1a of a string. */
static uint64_t str_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

/* Double the table and re-insert every entry. 0, or -1 out of memory. */
static int tab_grow(gn_load_ctx *c)
{
    size_t ncap = c->cap ? c->cap * 2 : 65536;
    gn_ent *nt = calloc(ncap, sizeof *nt);
    if (!nt)
        return -1;
    for (size_t i = 0; i < c->cap; i++) {
        if (!c->tab[i].key)
            continue;
        size_t j = (size_t)str_hash(c->tab[i].key) & (ncap - 1);
        while (nt[j].key)
            j = (j + 1) & (ncap - 1);
        nt[j] = c->tab[i];
    }
    free(c->tab);
    c->tab = nt;
    c->cap = ncap;
    return 0;
}

/* Count one (kind, base); the base is lower-cased and must be a plain name. */
static void tab_add(gn_load_ctx *c, int kind, const char *base, size_t len)
{
    char key[128];
    if (len == 0 || len + 2 > sizeof key)
        return;
    key[0] = (char)('0' + kind);
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)base[i];
        if (!isalnum(ch) && ch != '-' && ch != '_' && ch != '.' && ch != '+')
            return; /* spaces, '@', '/': not a name a family would spell */
        key[i + 1] = (char)tolower(ch);
    }
    key[len + 1] = 0;
    if ((c->n + 1) * 2 > c->cap && tab_grow(c) != 0) {
        c->oom = 1;
        return;
    }
    size_t j = (size_t)str_hash(key) & (c->cap - 1);
    while (c->tab[j].key && strcmp(c->tab[j].key, key) != 0)
        j = (j + 1) & (c->cap - 1);
    if (!c->tab[j].key) {
        c->tab[j].key = strdup(key);
        if (!c->tab[j].key) {
            c->oom = 1;
            return;
        }
        c->n++;
    }
    c->tab[j].count++;
}

/* Length of prefix p when s starts with it, else 0. */
static size_t starts(const char *s, const char *p)
{
    size_t n = strlen(p);
    return strncmp(s, p, n) == 0 ? n : 0;
}

/* Length of "<word><digits and dots>-" at the start of s (e.g. "python3.8-"), else 0. */
static size_t versioned_prefix(const char *s, const char *word)
{
    size_t i = starts(s, word);
    if (!i)
        return 0;
    size_t j = i;
    while (isdigit((unsigned char)s[j]) || s[j] == '.')
        j++;
    return j > i && s[j] == '-' ? j + 1 : 0;
}

/* Split a nixpkgs record: the attribute path names the kind, pname the base. */
static void split_nix(gn_load_ctx *c, const char *pname, const char *attr)
{
    static const struct {
        const char *set;
        int kind;
    } sets[] = {{"perlPackages.", GN_PERL},
                {"rubyPackages.", GN_RUBY},
                {"nodePackages.", GN_NODE},
                {"rPackages.", GN_R},
                {"haskellPackages.", GN_HS}};
    size_t k;
    if (attr && strncmp(attr, "python", 6) == 0 && strstr(attr, "Packages.")) {
        k = versioned_prefix(pname, "python");
        tab_add(c, GN_PY, pname + k, strlen(pname + k));
        return;
    }
    for (size_t i = 0; attr && i < sizeof sets / sizeof sets[0]; i++)
        if (starts(attr, sets[i].set)) {
            k = sets[i].kind == GN_PERL   ? versioned_prefix(pname, "perl")
                : sets[i].kind == GN_RUBY ? versioned_prefix(pname, "ruby")
                                          : 0;
            tab_add(c, sets[i].kind, pname + k, strlen(pname + k));
            return;
        }
    tab_add(c, GN_PLAIN, pname, strlen(pname));
}

/* Parser callback: split one record's name by its snapshot's habits. */
static int on_record(void *ctx, const pf_record *rec)
{
    gn_load_ctx *c = ctx;
    const char *s = rec->srcname;
    size_t len = strlen(s), k;
    switch (c->src) {
    case SRC_DEBIAN:
        if ((k = starts(s, "python-")))
            tab_add(c, GN_PY, s + k, len - k);
        else if (len > 8 && starts(s, "lib") && strcmp(s + len - 5, "-perl") == 0)
            tab_add(c, GN_PERL, s + 3, len - 8);
        else if ((k = starts(s, "ruby-")))
            tab_add(c, GN_RUBY, s + k, len - k);
        else if ((k = starts(s, "node-")))
            tab_add(c, GN_NODE, s + k, len - k);
        else if ((k = starts(s, "r-cran-")) || (k = starts(s, "r-bioc-")))
            tab_add(c, GN_R, s + k, len - k);
        else if ((k = starts(s, "haskell-")))
            tab_add(c, GN_HS, s + k, len - k);
        else
            tab_add(c, GN_PLAIN, s, len);
        break;
    case SRC_NIX: /* srcname: the attribute path; binnames: pname */
        split_nix(c, rec->binnames && *rec->binnames ? rec->binnames : s, s);
        break;
    case SRC_ALPINE:
    case SRC_VOID:
        if ((k = starts(s, c->src == SRC_ALPINE ? "py3-" : "python3-")))
            tab_add(c, GN_PY, s + k, len - k);
        else if ((k = starts(s, "perl-")))
            tab_add(c, GN_PERL, s + k, len - k);
        else if ((k = starts(s, "ruby-")))
            tab_add(c, GN_RUBY, s + k, len - k);
        else if ((k = starts(s, "R-cran-")))
            tab_add(c, GN_R, s + k, len - k);
        else
            tab_add(c, GN_PLAIN, s, len);
        break;
    default:
        tab_add(c, GN_PLAIN, s, len);
    }
    return c->oom;
}

/* Order entries: most records first, then by key (deterministic). */
static int cmp_ent(const void *x, const void *y)
{
    const gn_ent *a = x, *b = y;
    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    return strcmp(a->key, b->key);
}

/* Parse one snapshot into the table; a missing file is skipped. 0 or -1. */
static int load_file(gn_load_ctx *c, const char *dir, const char *rel, const char *format, int src,
                     char *err, size_t errlen)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return 0;
    const pf_format *fmt = pf_format_find(format);
    pf_reader *rd = fmt ? pf_reader_open_file(fp, pf_codec_from_name(path), 0, err, errlen) : NULL;
    if (!rd) {
        if (!fmt)
            snprintf(err, errlen, "%s: no parser for %s", path, format);
        fclose(fp);
        return -1;
    }
    c->src = src;
    pf_parse_stats stats;
    int rc = pf_format_parse(fmt, rd, on_record, c, &stats, err, errlen);
    pf_reader_close(rd);
    fclose(fp);
    if (c->oom)
        snprintf(err, errlen, "out of memory");
    else if (rc != 0)
        snprintf(err + strlen(err), errlen - strlen(err), " (%s)", path);
    return rc != 0 || c->oom ? -1 : 0;
}

/* Load the distinct names of every snapshot present below dir. */
long gn_load(gn_names *nm, const char *dir, char *err, size_t errlen)
{
    static const struct {
        const char *rel, *format;
        int src;
    } files[] = {
        {"debian/sid-main-Sources.xz", "deb-sources", SRC_DEBIAN},
        {"nixpkgs/packages.json.xz", "nix-json", SRC_NIX},
        {"alpine/alpine-edge-origins.tsv", "tsv", SRC_ALPINE},
        {"void/void-srcpkgs.tsv", "tsv", SRC_VOID},
        {"homebrew/homebrew-core-formulae.tsv", "tsv", SRC_HOMEBREW},
    };
    memset(nm, 0, sizeof *nm);
    gn_load_ctx c = {0};
    int rc = 0;
    for (size_t i = 0; i < sizeof files / sizeof files[0] && rc == 0; i++)
        rc = load_file(&c, dir, files[i].rel, files[i].format, files[i].src, err, errlen);
    size_t n = 0;
    for (size_t i = 0; i < c.cap; i++)
        if (c.tab[i].key)
            c.tab[n++] = c.tab[i];
    if (rc == 0 && n > 0) {
        qsort(c.tab, n, sizeof *c.tab, cmp_ent);
        nm->base = malloc(n * sizeof *nm->base);
        nm->kind = malloc(n);
        if (!nm->base || !nm->kind) {
            snprintf(err, errlen, "out of memory");
            rc = -1;
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (rc == 0) {
            nm->kind[i] = (unsigned char)(c.tab[i].key[0] - '0');
            memmove(c.tab[i].key, c.tab[i].key + 1, strlen(c.tab[i].key));
            nm->base[i] = c.tab[i].key;
        } else {
            free(c.tab[i].key);
        }
    }
    free(c.tab);
    if (rc != 0) {
        free(nm->base);
        free(nm->kind);
        memset(nm, 0, sizeof *nm);
        return -1;
    }
    nm->n = n;
    return (long)n;
}

/* Free the names. */
void gn_free(gn_names *nm)
{
    for (size_t i = 0; i < nm->n; i++)
        free(nm->base[i]);
    free(nm->base);
    free(nm->kind);
    memset(nm, 0, sizeof *nm);
}

/* splitmix64 of a value: the syllable names' fixed traits. */
static uint64_t mix(uint64_t z)
{
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Base name and kind of project i (see names.h). */
void gn_project(const gn_names *nm, uint32_t i, char *out, size_t outlen, int *kind)
{
    static const char *const suffix[] = {"ng",    "extras", "utils", "tools",  "plugin", "cli",
                                         "core",  "bin",    "data",  "lite",   "gtk",    "qt",
                                         "async", "server", "doc",   "contrib"};
    const size_t nsuf = sizeof suffix / sizeof suffix[0];
    if (nm->n == 0) { /* no snapshots: syllables (never contain '-', so never collide) */
        static const char *const syl[] = {"ba",  "ke",  "lo",  "mi",  "nu",  "ra",  "te",  "zo",
                                          "qui", "dex", "fa",  "gor", "hy",  "jin", "kal", "lum",
                                          "mor", "nex", "pa",  "ros", "sil", "tor", "ul",  "ven",
                                          "wi",  "xa",  "yor", "zen", "bri", "cla", "dro", "fen"};
        static const int kinds[] = {GN_PLAIN, GN_PLAIN, GN_PLAIN, GN_PLAIN, GN_PLAIN, GN_PY,
                                    GN_PERL,  GN_R,     GN_RUBY,  GN_PLAIN, GN_PLAIN, GN_NODE};
        size_t len = 0;
        uint32_t v = i;
        out[0] = 0;
        do {
            len += (size_t)snprintf(out + len, outlen - len, "%s", syl[v % 32]);
            v /= 32;
        } while (v > 0 && len + 4 < outlen);
        *kind = kinds[mix(i) % 12];
        return;
    }
    size_t k = i % nm->n, q = i / nm->n;
    *kind = nm->kind[k];
    if (q == 0)
        snprintf(out, outlen, "%s", nm->base[k]);
    else if (q <= nsuf)
        snprintf(out, outlen, "%s-%s", nm->base[k], suffix[q - 1]);
    else
        snprintf(out, outlen, "%s-%s%zu", nm->base[k], suffix[(q - 1) % nsuf], (q - 1) / nsuf + 1);
}

/* How a family spells each kind: source name, binary name (NULL: the same). */
typedef struct gn_habit_def {
    const char *family;
    const char *src[GN_NKINDS];
    const char *bin[GN_NKINDS];
    int caps; /* Perl modules spelled Foo-Bar */
} gn_habit_def;

static const gn_habit_def HABITS[] = {
    {"", {"%s", "python-%s", "perl-%s", "ruby-%s", "node-%s", "r-%s", "haskell-%s"}, {0}, 0},
    {"debuntu",
     {"%s", "python-%s", "lib%s-perl", "ruby-%s", "node-%s", "r-cran-%s", "haskell-%s"},
     {0},
     0},
    {"fedora", {"%s", "python-%s", "perl-%s", "rubygem-%s", "nodejs-%s", "R-%s", "ghc-%s"}, {0}, 1},
    {"centos",
     {"%s", "python3-%s", "perl-%s", "rubygem-%s", "nodejs-%s", "R-%s", "ghc-%s"},
     {0},
     1},
    {"opensuse",
     {"%s", "python-%s", "perl-%s", "rubygem-%s", "nodejs-%s", "R-%s", "ghc-%s"},
     {0},
     1},
    {"alpine", {"%s", "py3-%s", "perl-%s", "ruby-%s", "%s", "R-%s", "%s"}, {0}, 0},
    {"arch", {"%s", "python-%s", "perl-%s", "ruby-%s", "nodejs-%s", "r-%s", "haskell-%s"}, {0}, 0},
    {"nix", /* srcname: the attribute path; binnames: pname, the seed */
     {"%s", "python312Packages.%s", "perlPackages.%s", "rubyPackages.%s", "nodePackages.%s",
      "rPackages.%s", "haskellPackages.%s"},
     {"%s", "python3.12-%s", "perl5.40.0-%s", "ruby3.3-%s", "%s", "r-%s", "%s"},
     1},
    {"freebsd", {"%s", "py311-%s", "p5-%s", "rubygem-%s", "%s", "R-cran-%s", "hs-%s"}, {0}, 1},
    {"homebrew", {"%s", "%s", "%s", "%s", "%s", "%s", "%s"}, {0}, 0},
    {"void", {"%s", "python3-%s", "perl-%s", "ruby-%s", "%s", "R-cran-%s", "%s"}, {0}, 1},
    {"slackware", {"%s", "python-%s", "perl-%s", "ruby-%s", "%s", "%s", "%s"}, {0}, 1},
    {"gentoo", {"%s", "%s", "%s", "%s", "%s", "%s", "%s"}, {0}, 1},
    {"guix", {"%s", "python-%s", "perl-%s", "ruby-%s", "node-%s", "r-%s", "ghc-%s"}, {0}, 0},
    {"pkgsrc", {"%s", "py312-%s", "p5-%s", "ruby33-%s", "%s", "R-%s", "hs-%s"}, {0}, 1},
};

/* Habit index of a family (0: the generic one). */
int gn_habit(const char *family)
{
    for (size_t i = 1; i < sizeof HABITS / sizeof HABITS[0]; i++)
        if (strcmp(HABITS[i].family, family) == 0)
            return (int)i;
    return 0;
}

/* Spell one project in one family (see names.h). */
void gn_spell(int habit, int kind, const char *base, char *src, size_t srclen, char *bin,
              size_t binlen)
{
    const gn_habit_def *h =
        &HABITS[habit >= 0 && (size_t)habit < sizeof HABITS / sizeof HABITS[0] ? habit : 0];
    char b[128];
    snprintf(b, sizeof b, "%s", base);
    if (kind == GN_PERL && h->caps) /* Foo-Bar: each part capitalized */
        for (size_t i = 0; b[i]; i++)
            if (i == 0 || b[i - 1] == '-')
                b[i] = (char)toupper((unsigned char)b[i]);
    const char *sf = h->src[kind < GN_NKINDS ? kind : 0];
    const char *bf = h->bin[kind < GN_NKINDS ? kind : 0];
    /* the formats come from the table above: each has exactly one %s */
    snprintf(src, srclen, sf, b);
    snprintf(bin, binlen, bf ? bf : sf, b);
}
