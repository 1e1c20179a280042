/*
 * fmt_gentoo_md5cache.c — Gentoo repository tree (ebuilds + md5-cache) from a tarball.
 *
 * Repology clones the gentoo-mirror git trees; pkgfresh reads a tar of the
 * same tree instead (Gentoo's daily snapshot gentoo-latest.tar.xz, a forge
 * archive of an overlay branch, or `crawl --from DIR`, which the crawler
 * packs into a tar on the fly). The stream is walked once with pf_archive
 * and only three kinds of members are used:
 *   <cat>/<pkg>/<PF>.ebuild            the ebuild list (the name only; bodies
 *                                      are never read)
 *   <cat>/<pkg>/metadata.xml           maintainers and upstream remote-ids
 *   metadata/md5-cache/<cat>/<PF>      KEY=value lines: DESCRIPTION, LICENSE,
 *                                      HOMEPAGE
 * All paths may sit below one top directory ("gentoo-20261205/",
 * "guru-master/"): the first member that looks like one of the three
 * decides whether such a prefix is stripped. In a tar the three kinds of
 * one package arrive far apart, so everything is collected (small strings
 * in one arena, hash tables keyed by "cat/pkg" and "cat/PF") and records
 * are emitted after the last member, package by package in tree order.
 *
 * Mapping (Repology's GentooGitParser; docs/formats.md), one record per
 * ebuild:
 *   srcname      "<cat>/<pkg>" (the project is seeded from <pkg>: PF_VS_GENTOO)
 *   category     <cat>
 *   version      PF without "<pkg>-", raw ("8.10.1-r1"); PF_VS_GENTOO cuts it
 *                at the first '-' (the -rN revision) when analysing
 *   flags        ROLLING when that cut version ends in "9999"
 *   summary      DESCRIPTION; licence LICENSE, split at spaces and joined
 *                with ", " unless it holds '(' (kept whole); homepage the
 *                first word of HOMEPAGE, else the first upstream remote-id
 *                with a link template (github, gitlab, pypi, cpan, ...)
 *   maintainers  the addresses in the metadata.xml maintainer e-mails, lower-cased
 *                (pf_maint_extract: Repology's extract_maintainers)
 * Skipped: categories acct-group, acct-user, metadata, virtual and
 * dot-directories; an ebuild whose name does not start with "<pkg>-"
 * (counted). Variants (one format row each):
 *   NULL         an ebuild without md5-cache entry is dropped (counted)
 *                (Gentoo, LiGurOS, GURU: Repology's require_md5cache_metadata)
 *   "xml"        as NULL, and a package without a readable metadata.xml is
 *                dropped (counted) (Science: require_xml_metadata)
 *   "lax"        ebuilds without md5-cache entry are kept with empty
 *                metadata (Pentoo, Calculate)
 * A malformed metadata.xml (or one with an internal DTD subset), and a
 * metadata.xml or md5-cache entry over 1 MiB, count as absent. A tree without any ebuild is an
 * error (a schema change or the wrong tarball must not look like an empty repository).
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkgfresh/archive.h"
#include "pkgfresh/format.h"
#include "pkgfresh/grow.h"
#include "pkgfresh/maintainers.h"
#include "pkgfresh/xmltree.h"

#define GT_NONE     UINT32_MAX
#define GT_MAX_FILE ((size_t)1 << 20) /* a metadata.xml or md5-cache entry larger is bad */
#define GT_MD5_DIR  "metadata/md5-cache/"

/* A package directory <cat>/<pkg>. Strings are arena offsets (GT_NONE = absent). */
typedef struct gt_pkg {
    uint32_t key;         /* "cat/pkg" */
    uint32_t maintainers; /* "a@x,b@y" */
    uint32_t upstream;    /* first templated remote-id link */
    uint32_t first, last; /* ebuild list (indices into ebuilds) */
    int has_xml;
} gt_pkg;

/* One ebuild: its PF (file name without .ebuild) and the next of its package. */
typedef struct gt_ebuild {
    uint32_t pf, next;
} gt_ebuild;

/* One md5-cache entry "cat/PF". */
typedef struct gt_md5 {
    uint32_t key, desc, license, homepage;
} gt_md5;

/* Open-addressing index over arena keys: slot = item index + 1, 0 = empty. */
typedef struct gt_index {
    uint32_t *slot;
    size_t nslot, n;
} gt_index;

typedef struct gt_state {
    char *arena;
    size_t alen, acap;
    gt_pkg *pkgs;
    size_t npkgs, cappkgs;
    gt_ebuild *ebuilds;
    size_t nebuilds, capebuilds;
    gt_md5 *md5;
    size_t nmd5, capmd5;
    gt_index pkgidx, md5idx;
    int prefix; /* -1 undecided, 0 none, 1 strip the first component */
    char *file; /* member contents, reused */
    size_t filelen, filecap;
    xmlParserCtxtPtr xml; /* reused for every metadata.xml */
    char *rec;            /* record strings at emit time, reused */
    size_t reccap;
    int oom; /* out of memory while emitting */
} gt_state;

/* Copy s[0..n) into the arena, NUL-terminated: its offset, GT_NONE when out of memory. */
static uint32_t gt_put(gt_state *g, const char *s, size_t n)
{
    if (g->alen + n + 1 >= GT_NONE || pf_grow(&g->arena, &g->acap, g->alen, n + 1) != 0)
        return GT_NONE;
    uint32_t at = (uint32_t)g->alen;
    memcpy(g->arena + at, s, n);
    g->arena[at + n] = 0;
    g->alen += n + 1;
    return at;
}

/* FNV-1a of s[0..n). */
static uint64_t gt_hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    return h;
}

/*
 * Look key[0..n) up in ix, whose items' key offsets are keyof(items, i).
 * Returns the item index or GT_NONE; *slot_out receives the slot where it
 * is or would go.
 */
static uint32_t gt_find(const gt_state *g, const gt_index *ix, const void *items, size_t itemsize,
                        const char *key, size_t n, size_t *slot_out)
{
    if (ix->nslot == 0) {
        *slot_out = 0;
        return GT_NONE;
    }
    size_t mask = ix->nslot - 1, s = (size_t)gt_hash(key, n) & mask;
    for (;;) {
        uint32_t v = ix->slot[s];
        if (v == 0) {
            *slot_out = s;
            return GT_NONE;
        }
        uint32_t k = *(const uint32_t *)((const char *)items + (size_t)(v - 1) * itemsize);
        if (strncmp(g->arena + k, key, n) == 0 && g->arena[k + n] == 0) {
            *slot_out = s;
            return v - 1;
        }
        s = (s + 1) & mask;
    }
}

/* Double ix (or create it) and re-insert every item. 0 ok, -1 out of memory. */
static int gt_rehash(const gt_state *g, gt_index *ix, const void *items, size_t itemsize)
{
    size_t nslot = ix->nslot ? ix->nslot * 2 : 1024;
    uint32_t *slot = calloc(nslot, sizeof *slot);
    if (!slot)
        return -1;
    for (size_t i = 0; i < ix->n; i++) {
        uint32_t k = *(const uint32_t *)((const char *)items + i * itemsize);
        const char *key = g->arena + k;
        size_t s = (size_t)gt_hash(key, strlen(key)) & (nslot - 1);
        while (slot[s])
            s = (s + 1) & (nslot - 1);
        slot[s] = (uint32_t)i + 1;
    }
    free(ix->slot);
    ix->slot = slot;
    ix->nslot = nslot;
    return 0;
}

/* The package "cat/pkg" (key[0..n)), created when new. Index or GT_NONE when out of memory. */
static uint32_t gt_package(gt_state *g, const char *key, size_t n)
{
    size_t s;
    uint32_t i = gt_find(g, &g->pkgidx, g->pkgs, sizeof *g->pkgs, key, n, &s);
    if (i != GT_NONE)
        return i;
    if ((g->pkgidx.n + 1) * 2 > g->pkgidx.nslot) {
        if (gt_rehash(g, &g->pkgidx, g->pkgs, sizeof *g->pkgs) != 0)
            return GT_NONE;
        gt_find(g, &g->pkgidx, g->pkgs, sizeof *g->pkgs, key, n, &s);
    }
    gt_pkg *np = pf_grow_items(g->pkgs, &g->cappkgs, g->npkgs, sizeof *np, 4096);
    uint32_t k = np ? gt_put(g, key, n) : GT_NONE;
    if (!np)
        return GT_NONE;
    g->pkgs = np;
    if (k == GT_NONE)
        return GT_NONE;
    g->pkgs[g->npkgs] = (gt_pkg){k, GT_NONE, GT_NONE, GT_NONE, GT_NONE, 0};
    g->pkgidx.slot[s] = (uint32_t)g->npkgs + 1;
    g->pkgidx.n++;
    return (uint32_t)g->npkgs++;
}

/* Is a category directory one Repology leaves out? */
static int gt_skip_category(const char *cat, size_t n)
{
    static const char *const skip[] = {"acct-group", "acct-user", "metadata", "virtual"};
    if (n == 0 || cat[0] == '.')
        return 1;
    for (size_t i = 0; i < sizeof skip / sizeof skip[0]; i++)
        if (strlen(skip[i]) == n && memcmp(skip[i], cat, n) == 0)
            return 1;
    return 0;
}

/* Number of '/'-separated components of p. */
static int gt_components(const char *p)
{
    int n = 1;
    for (; *p; p++)
        n += *p == '/';
    return n;
}

/* Does p end with suffix? */
static int gt_ends(const char *p, const char *suffix)
{
    size_t n = strlen(p), m = strlen(suffix);
    return n >= m && strcmp(p + n - m, suffix) == 0;
}

/*
 * Decide on the first telling member whether paths carry a top directory:
 * an md5-cache entry or a <cat>/<pkg>/ file (.ebuild, metadata.xml).
 */
static void gt_decide_prefix(gt_state *g, const char *p)
{
    int n = gt_components(p);
    if (strncmp(p, GT_MD5_DIR, strlen(GT_MD5_DIR)) == 0 && n == 4)
        g->prefix = 0;
    else if (strstr(p, "/" GT_MD5_DIR) && n == 5)
        g->prefix = 1;
    else if (gt_ends(p, ".ebuild") || gt_ends(p, "/metadata.xml"))
        g->prefix = n == 3 ? 0 : n == 4 ? 1 : -1;
}

/*
 * Read the current member (size bytes, -1 = unknown) into g->file,
 * NUL-terminated. 0 ok, 1 when it is larger than GT_MAX_FILE (left unread:
 * as if missing). A read error is sticky in the archive and reported by
 * the next pf_archive_next.
 */
static int gt_read_member(gt_state *g, pf_archive *a, int64_t size)
{
    if (size > (int64_t)GT_MAX_FILE)
        return 1;
    return pf_archive_read_all(a, &g->file, &g->filelen, &g->filecap, GT_MAX_FILE) != 0;
}

/* Parse an md5-cache entry "cat/PF" from g->file. 0 ok, -1 out of memory. */
static int gt_md5_entry(gt_state *g, const char *key)
{
    size_t n = strlen(key), s;
    if (gt_find(g, &g->md5idx, g->md5, sizeof *g->md5, key, n, &s) != GT_NONE)
        return 0; /* a second copy */
    gt_md5 e = {GT_NONE, GT_NONE, GT_NONE, GT_NONE};
    for (char *line = g->file; line && *line;) {
        char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        while (len && (line[len - 1] == '\r' || line[len - 1] == ' ' || line[len - 1] == '\t'))
            len--;
        char *eq = memchr(line, '=', len);
        if (eq) {
            size_t kl = (size_t)(eq - line), vl = len - kl - 1;
            uint32_t *dst = kl == 11 && memcmp(line, "DESCRIPTION", 11) == 0 ? &e.desc
                            : kl == 7 && memcmp(line, "LICENSE", 7) == 0     ? &e.license
                            : kl == 8 && memcmp(line, "HOMEPAGE", 8) == 0    ? &e.homepage
                                                                             : NULL;
            if (dst && vl > 0 && (*dst = gt_put(g, eq + 1, vl)) == GT_NONE)
                return -1;
        }
        line = nl ? nl + 1 : NULL;
    }
    if ((e.key = gt_put(g, key, n)) == GT_NONE)
        return -1;
    if ((g->md5idx.n + 1) * 2 > g->md5idx.nslot) {
        if (gt_rehash(g, &g->md5idx, g->md5, sizeof *g->md5) != 0)
            return -1;
        gt_find(g, &g->md5idx, g->md5, sizeof *g->md5, key, n, &s);
    }
    gt_md5 *nm = pf_grow_items(g->md5, &g->capmd5, g->nmd5, sizeof *nm, 4096);
    if (!nm)
        return -1;
    g->md5 = nm;
    g->md5[g->nmd5] = e;
    g->md5idx.slot[s] = (uint32_t)g->nmd5 + 1;
    g->md5idx.n++;
    g->nmd5++;
    return 0;
}

/* Link template of a metadata.xml remote-id type (Repology's list); NULL when none. */
static const char *gt_template(const char *type)
{
    static const char *const map[][2] = {
        {"bitbucket", "https://bitbucket.org/%s"},
        {"cpan", "https://metacpan.org/release/%s"},
        {"ctan", "https://www.ctan.org/pkg/%s"},
        {"freecode", "http://freecode.com/projects/%s"},
        {"freshmeat", "http://freshmeat.net/projects/%s/"},
        {"github", "https://github.com/%s"},
        {"gitlab", "https://gitlab.com/%s"},
        {"google-code", "https://code.google.com/p/%s/"},
        {"launchpad", "https://launchpad.net/%s"},
        {"pear", "http://pear.php.net/package/%s"},
        {"pypi", "https://pypi.org/project/%s/"},
        {"rubygems", "https://rubygems.org/gems/%s"},
        {"sourceforge", "https://sourceforge.net/projects/%s/"},
        {"sourceforge-jp", "https://osdn.net/projects/%s/"},
    };
    for (size_t i = 0; type && i < sizeof map / sizeof map[0]; i++)
        if (strcmp(map[i][0], type) == 0)
            return map[i][1];
    return NULL;
}

/* Scratch buffers for one metadata.xml. */
typedef struct gt_xmlbuf {
    char *text, *mnt, *up;
    size_t textcap, mntcap, upcap, mntlen;
} gt_xmlbuf;

/*
 * Parse g->file as metadata.xml into pkg p: maintainer e-mails and the first
 * templated upstream link. Returns 0 (also when the XML is unusable: the
 * package then has no XML metadata), -1 out of memory.
 */
static int gt_metadata_xml(gt_state *g, uint32_t p, gt_xmlbuf *xb)
{
    char why[256];
    if (!g->xml && !(g->xml = xmlNewParserCtxt()))
        return -1;
    xmlDocPtr doc = pf_xml_read_mem(g->xml, g->file, g->filelen, "metadata.xml",
                                    PF_XT_EXTERNAL_DOCTYPE, why, sizeof why);
    xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;
    int ok = root != NULL, oom = 0;
    xb->mntlen = 0;
    if (xb->mnt)
        xb->mnt[0] = 0;
    int have_up = 0;
    for (xmlNodePtr el = root ? root->children : NULL; el && !oom; el = el->next) {
        if (el->type != XML_ELEMENT_NODE)
            continue;
        int is_maint = strcmp((const char *)el->name, "maintainer") == 0;
        if (!is_maint && strcmp((const char *)el->name, "upstream") != 0)
            continue;
        if (is_maint) {
            /* Repology: extract_maintainers(<email> text) */
            size_t tl = 0;
            size_t off = pf_xml_text(pf_xml_child(el, "email"), 1, &xb->text, &xb->textcap, &tl);
            oom = off == (size_t)-1 || pf_maint_extract(xb->text + off, strlen(xb->text + off),
                                                        &xb->mnt, &xb->mntlen, &xb->mntcap) < 0;
            continue;
        }
        for (xmlNodePtr r = el->children; r && !have_up && !oom; r = r->next) {
            if (r->type != XML_ELEMENT_NODE || strcmp((const char *)r->name, "remote-id") != 0)
                continue;
            xmlChar *type = xmlGetProp(r, (const xmlChar *)"type");
            const char *tpl = gt_template((const char *)type);
            xmlFree(type);
            size_t tl = 0;
            size_t off = tpl ? pf_xml_text(r, 1, &xb->text, &xb->textcap, &tl) : (size_t)-1;
            if (tpl && off == (size_t)-1) {
                oom = 1;
                break;
            }
            if (!tpl || !xb->text[off])
                continue;
            size_t need = strlen(tpl) + strlen(xb->text + off) + 1;
            if (pf_grow(&xb->up, &xb->upcap, 0, need) != 0) {
                oom = 1;
                break;
            }
            snprintf(xb->up, need, tpl, xb->text + off);
            have_up = 1;
        }
    }
    xmlFreeDoc(doc);
    if (oom)
        return -1;
    if (!ok)
        return 0; /* unusable metadata.xml: as if absent */
    gt_pkg *pk = &g->pkgs[p];
    pk->has_xml = 1;
    if (xb->mntlen && (pk->maintainers = gt_put(g, xb->mnt, xb->mntlen)) == GT_NONE)
        return -1;
    if (have_up && (g->pkgs[p].upstream = gt_put(g, xb->up, strlen(xb->up))) == GT_NONE)
        return -1;
    return 0;
}

/* Register ebuild PF (pf[0..n)) of package p. 0 ok, -1 out of memory. */
static int gt_add_ebuild(gt_state *g, uint32_t p, const char *pf, size_t n)
{
    gt_ebuild *ne = pf_grow_items(g->ebuilds, &g->capebuilds, g->nebuilds, sizeof *ne, 8192);
    if (!ne)
        return -1;
    g->ebuilds = ne;
    uint32_t at = gt_put(g, pf, n);
    if (at == GT_NONE || g->nebuilds >= GT_NONE)
        return -1;
    uint32_t i = (uint32_t)g->nebuilds++;
    g->ebuilds[i] = (gt_ebuild){at, GT_NONE};
    gt_pkg *pk = &g->pkgs[p];
    if (pk->last == GT_NONE)
        pk->first = i;
    else
        g->ebuilds[pk->last].next = i;
    pk->last = i;
    return 0;
}

/* Handle one archive member at relative path p. 0 ok, -1 out of memory. */
static int gt_member(gt_state *g, pf_archive *a, const char *p, int64_t size, gt_xmlbuf *xb)
{
    if (g->prefix < 0)
        gt_decide_prefix(g, p);
    if (g->prefix < 0)
        return 0;
    if (g->prefix == 1) {
        const char *slash = strchr(p, '/');
        if (!slash)
            return 0;
        p = slash + 1;
    }
    int n = gt_components(p);
    if (n == 4 && strncmp(p, GT_MD5_DIR, strlen(GT_MD5_DIR)) == 0) {
        if (gt_read_member(g, a, size) != 0)
            return 0; /* unreadable or oversized: as if missing */
        return gt_md5_entry(g, p + strlen(GT_MD5_DIR));
    }
    if (n != 3)
        return 0;
    const char *s1 = strchr(p, '/'), *s2 = strchr(s1 + 1, '/');
    if (gt_skip_category(p, (size_t)(s1 - p)) || s2 == s1 + 1 || s1[1] == '.')
        return 0;
    const char *file = s2 + 1;
    if (strcmp(file, "metadata.xml") == 0) {
        uint32_t pk = gt_package(g, p, (size_t)(s2 - p));
        if (pk == GT_NONE)
            return -1;
        if (g->pkgs[pk].has_xml || gt_read_member(g, a, size) != 0)
            return 0;
        return gt_metadata_xml(g, pk, xb);
    }
    size_t fl = strlen(file);
    if (fl > 7 && strcmp(file + fl - 7, ".ebuild") == 0) {
        uint32_t pk = gt_package(g, p, (size_t)(s2 - p));
        if (pk == GT_NONE)
            return -1;
        return gt_add_ebuild(g, pk, file, fl - 7);
    }
    return 0;
}

/*
 * Append the licence list of LICENSE value v to the record buffer at *len:
 * kept whole when it holds '(', else its words joined with ", ". Returns
 * the offset or (size_t)-1 when out of memory.
 */
static size_t gt_licenses(gt_state *g, const char *v, size_t *len)
{
    size_t need = strlen(v) * 2 + 1, at = *len;
    if (pf_grow(&g->rec, &g->reccap, *len, need) != 0)
        return (size_t)-1;
    char *o = g->rec + at;
    if (strchr(v, '(')) {
        strcpy(o, v);
    } else {
        size_t k = 0;
        for (const char *w = v; *w;) {
            while (*w == ' ')
                w++;
            size_t wl = strcspn(w, " ");
            if (!wl)
                break;
            if (k) {
                o[k++] = ',';
                o[k++] = ' ';
            }
            memcpy(o + k, w, wl);
            k += wl;
            w += wl;
        }
        o[k] = 0;
    }
    *len += strlen(o) + 1;
    return at;
}

/* Emit the records of every package (see file comment). 0 or the emit value to stop; g->oom. */
static int gt_emit_all(gt_state *g, const char *variant, pf_emit_fn emit, void *ctx,
                       pf_parse_stats *stats)
{
    int lax = variant && strcmp(variant, "lax") == 0;
    int need_xml = variant && strcmp(variant, "xml") == 0;
    for (size_t i = 0; i < g->npkgs; i++) {
        const gt_pkg *pk = &g->pkgs[i];
        const char *key = g->arena + pk->key;
        const char *slash = strchr(key, '/');
        size_t catlen = (size_t)(slash - key);
        const char *name = slash + 1;
        size_t namelen = strlen(name);
        for (uint32_t e = pk->first; e != GT_NONE; e = g->ebuilds[e].next) {
            const char *pf = g->arena + g->ebuilds[e].pf;
            if (need_xml && !pk->has_xml) {
                stats->skipped++;
                continue;
            }
            if (strncmp(pf, name, namelen) != 0 || pf[namelen] != '-' || !pf[namelen + 1]) {
                stats->skipped++;
                continue;
            }
            /* md5-cache key "cat/PF" */
            size_t len = 0, kl = catlen + 1 + strlen(pf);
            if (pf_grow(&g->rec, &g->reccap, 0, kl + catlen + 2) != 0)
                return g->oom = 1, 0;
            memcpy(g->rec, key, catlen + 1);
            strcpy(g->rec + catlen + 1, pf);
            size_t s;
            uint32_t m = gt_find(g, &g->md5idx, g->md5, sizeof *g->md5, g->rec, kl, &s);
            if (m == GT_NONE && !lax) {
                stats->skipped++;
                continue;
            }
            memcpy(g->rec, key, catlen); /* category */
            g->rec[catlen] = 0;
            len = catlen + 1;
            const gt_md5 *md = m == GT_NONE ? NULL : &g->md5[m];
            size_t o_lic = (size_t)-1, o_home = (size_t)-1;
            if (md && md->license != GT_NONE &&
                (o_lic = gt_licenses(g, g->arena + md->license, &len)) == (size_t)-1)
                return g->oom = 1, 0;
            if (md && md->homepage != GT_NONE) {
                const char *h = g->arena + md->homepage;
                while (*h == ' ')
                    h++;
                size_t hl = strcspn(h, " ");
                if (hl) {
                    if (pf_grow(&g->rec, &g->reccap, len, hl + 1) != 0)
                        return g->oom = 1, 0;
                    memcpy(g->rec + len, h, hl);
                    g->rec[len + hl] = 0;
                    o_home = len;
                    len += hl + 1;
                }
            }
            const char *ver = pf + namelen + 1;
            size_t cut = strcspn(ver, "-");
            pf_record rec = {
                .srcname = key,
                .version = ver,
                .category = g->rec,
                .license = o_lic == (size_t)-1 ? NULL : g->rec + o_lic,
                .homepage = o_home != (size_t)-1      ? g->rec + o_home
                            : pk->upstream != GT_NONE ? g->arena + pk->upstream
                                                      : NULL,
                .maintainers = pk->maintainers != GT_NONE ? g->arena + pk->maintainers : NULL,
                .summary = md && md->desc != GT_NONE ? g->arena + md->desc : NULL,
                .flags = cut >= 4 && memcmp(ver + cut - 4, "9999", 4) == 0 ? PF_F_ROLLING : 0,
            };
            int rc = emit(ctx, &rec);
            if (rc != 0)
                return rc;
            stats->records++;
        }
    }
    return 0;
}

/* Free everything the state owns. */
static void gt_free(gt_state *g)
{
    free(g->arena);
    free(g->pkgs);
    free(g->ebuilds);
    free(g->md5);
    free(g->pkgidx.slot);
    free(g->md5idx.slot);
    free(g->file);
    free(g->rec);
    if (g->xml)
        xmlFreeParserCtxt(g->xml);
}

/* Parse a whole tree tarball (see file comment), filling *stats. */
int pf_parse_gentoo_md5cache(pf_reader *in, const char *variant, pf_emit_fn emit, void *ctx,
                             pf_parse_stats *stats, char *err, size_t errlen)
{
    stats->records = stats->skipped = 0;
    char why[256];
    pf_archive *ar = pf_archive_open(in, why, sizeof why);
    if (!ar) {
        snprintf(err, errlen, "gentoo-md5cache: %s", why);
        return -1;
    }
    gt_state g;
    memset(&g, 0, sizeof g);
    g.prefix = -1;
    gt_xmlbuf xb;
    memset(&xb, 0, sizeof xb);
    int rc = 0;
    for (;;) {
        const char *path;
        int64_t size;
        int got = pf_archive_next(ar, &path, &size);
        if (got < 0) {
            snprintf(err, errlen, "gentoo-md5cache: %s", pf_archive_error(ar));
            rc = -1;
            break;
        }
        if (got == 0)
            break;
        if (gt_member(&g, ar, path, size, &xb) != 0) {
            snprintf(err, errlen, "gentoo-md5cache: out of memory");
            rc = -1;
            break;
        }
    }
    if (rc == 0 && g.nebuilds == 0) {
        snprintf(err, errlen,
                 "gentoo-md5cache: no <category>/<package>/*.ebuild in the archive (not a "
                 "repository tree?)");
        rc = -1;
    }
    if (rc == 0) {
        rc = gt_emit_all(&g, variant, emit, ctx, stats);
        if (g.oom) {
            snprintf(err, errlen, "gentoo-md5cache: out of memory");
            rc = -1;
        }
    }
    free(xb.text);
    free(xb.mnt);
    free(xb.up);
    gt_free(&g);
    pf_archive_close(ar);
    return rc;
}
