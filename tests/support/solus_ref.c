/*
 * solus_ref.c — reference version of the Solus eopkg-index.xml parser
 * (crawler/formats/fmt_solus_eopkg.c) that expands a DOM subtree per
 * <Package> (xmltree.h): pkgfresh's first implementation, kept as the
 * oracle. tests/test_fmt_solus.c runs it next to the production parser,
 * which streams SAX events (xmlsax.h), and requires the same records and
 * counters. See the production file for the mapping.
 */
#include "solus_ref.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkgfresh/archive.h"
#include "pkgfresh/format.h"
#include "pkgfresh/grow.h"
#include "pkgfresh/xmltree.h"

/* Per-package text buffer: fields at offsets, NUL-separated. */
typedef struct solus_buf {
    char *p;
    size_t cap, len;
} solus_buf;

/* Text of the element at path under pkg into b; offset or (size_t)-1 when absent/empty/OOM. */
static size_t solus_text(xmlNodePtr pkg, const char *path, solus_buf *b, int *oom)
{
    xmlNodePtr el = pf_xml_path(pkg, path);
    if (!el)
        return (size_t)-1;
    size_t off = pf_xml_text(el, 1, &b->p, &b->cap, &b->len);
    if (off == (size_t)-1) {
        *oom = 1;
        return off;
    }
    return b->p[off] ? off : (size_t)-1;
}

/*
 * Append the licences of pkg (each License element; the lines of a
 * multi-line value with leading '-' and ' ' removed) to b, ", "-joined,
 * using tmp for the raw text. Returns the offset, (size_t)-1 when there is
 * none or out of memory (*oom set).
 */
static size_t solus_licenses(xmlNodePtr pkg, solus_buf *b, solus_buf *tmp, int *oom)
{
    size_t out = b->len;
    int any = 0;
    for (xmlNodePtr c = pkg->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, "License") != 0)
            continue;
        tmp->len = 0;
        if (pf_xml_text(c, 0, &tmp->p, &tmp->cap, &tmp->len) == (size_t)-1) {
            *oom = 1;
            return (size_t)-1;
        }
        const char *line = tmp->p;
        while (line) {
            const char *nl = strchr(line, '\n');
            const char *e = nl ? nl : line + strlen(line);
            while (line < e && (*line == '-' || *line == ' '))
                line++;
            while (e > line && isspace((unsigned char)e[-1]))
                e--;
            if (e > line) {
                size_t n = (size_t)(e - line);
                if (pf_grow(&b->p, &b->cap, b->len, n + 3) != 0) {
                    *oom = 1;
                    return (size_t)-1;
                }
                if (any) {
                    memcpy(b->p + b->len, ", ", 2);
                    b->len += 2;
                }
                memcpy(b->p + b->len, line, n);
                b->len += n;
                any = 1;
            }
            line = nl ? nl + 1 : NULL;
        }
    }
    if (!any)
        return (size_t)-1;
    if (pf_grow(&b->p, &b->cap, b->len, 1) != 0) {
        *oom = 1;
        return (size_t)-1;
    }
    b->p[b->len++] = 0;
    return out;
}

/* Lower-case s in place. */
static void solus_lower(char *s)
{
    for (; *s; s++)
        *s = (char)tolower((unsigned char)*s);
}

/* Map one <Package> subtree into the group set. 0 ok (or skipped), -1 out of memory. */
static int solus_package(xmlNodePtr pkg, solus_buf *b, solus_buf *tmp, pf_srcgroup *g,
                         pf_parse_stats *stats)
{
    int oom = 0;
    b->len = 0;
    size_t name = solus_text(pkg, "Name", b, &oom);
    size_t src = solus_text(pkg, "Source/Name", b, &oom);
    size_t ver = solus_text(pkg, "History/Update/Version", b, &oom);
    size_t sum = solus_text(pkg, "Summary", b, &oom);
    size_t cat = solus_text(pkg, "PartOf", b, &oom);
    size_t mail = solus_text(pkg, "Source/Packager/Email", b, &oom);
    size_t home = solus_text(pkg, "Source/Homepage", b, &oom);
    size_t lic = oom ? (size_t)-1 : solus_licenses(pkg, b, tmp, &oom);
    if (oom)
        return -1;
    if (name == (size_t)-1 || src == (size_t)-1 || ver == (size_t)-1) {
        stats->skipped++;
        return 0;
    }
#define SOLUS_AT(o) ((o) == (size_t)-1 ? NULL : b->p + (o))
    pf_record rec;
    memset(&rec, 0, sizeof rec);
    rec.srcname = SOLUS_AT(src);
    rec.binnames = SOLUS_AT(name);
    rec.version = SOLUS_AT(ver);
    rec.summary = SOLUS_AT(sum);
    rec.category = SOLUS_AT(cat);
    rec.homepage = SOLUS_AT(home);
    rec.license = SOLUS_AT(lic);
    if (mail != (size_t)-1 && strchr(b->p + mail, '@')) {
        solus_lower(b->p + mail);
        rec.maintainers = b->p + mail;
    }
#undef SOLUS_AT
    return pf_srcgroup_add(g, &rec);
}

/* Parse a whole eopkg-index.xml stream with a subtree per package, filling *stats. */
int ref_parse_solus_eopkg(pf_reader *in, const char *variant, pf_emit_fn emit, void *ctx,
                          pf_parse_stats *stats, char *err, size_t errlen)
{
    (void)variant;
    stats->records = stats->skipped = 0;
    static const char *const pkg_names[] = {"Package", NULL};
    char why[400];
    pf_xmltree *t = pf_xmltree_open(in, "eopkg-index.xml", 1, pkg_names, 0, why, sizeof why);
    if (!t) {
        snprintf(err, errlen, "solus-eopkg: %s", why);
        return -1;
    }
    pf_srcgroup *g = pf_srcgroup_new();
    solus_buf b = {0}, tmp = {0};
    int rc = g ? 0 : -1;
    if (!g)
        snprintf(err, errlen, "solus-eopkg: out of memory");
    long seen = 0;
    while (rc == 0) {
        xmlNodePtr pkg;
        int got = pf_xmltree_next(t, &pkg);
        if (got < 0) {
            snprintf(err, errlen, "solus-eopkg: %s", pf_xmltree_error(t));
            rc = -1;
            break;
        }
        if (got == 0)
            break;
        if (seen++ == 0) {
            xmlNodePtr root = pkg->parent;
            if (!root || root->type != XML_ELEMENT_NODE ||
                strcmp((const char *)root->name, "PISI") != 0) {
                snprintf(err, errlen, "solus-eopkg: root element is <%s>, expected <PISI>",
                         root && root->name ? (const char *)root->name : "?");
                rc = -1;
                break;
            }
        }
        if (solus_package(pkg, &b, &tmp, g, stats) != 0) {
            snprintf(err, errlen, "solus-eopkg: out of memory");
            rc = -1;
        }
    }
    if (rc == 0 && seen == 0) {
        snprintf(err, errlen, "solus-eopkg: no <Package> element under the root (schema change?)");
        rc = -1;
    }
    if (rc == 0)
        rc = pf_srcgroup_emit(g, emit, ctx, &stats->records);
    free(b.p);
    free(tmp.p);
    pf_srcgroup_free(g);
    pf_xmltree_close(t);
    return rc;
}
