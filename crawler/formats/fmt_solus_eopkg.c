/*
 * fmt_solus_eopkg.c — Solus eopkg-index.xml parser.
 *
 * The index (https://cdn.getsol.us/repo/unstable/eopkg-index.xml.xz) is one
 * <PISI> root holding a <Distribution>, <Component>s, <Group>s and one
 * <Package> per *binary* package. The document is streamed through
 * libxml2's SAX2 parser (xmlsax.h): no node is built; a small table of the
 * element paths read below <Package> (sl_nodes) says which elements are
 * followed and whose text is kept, so descriptions, dependencies, file
 * lists and everything else pass by without a copy.
 *
 * Mapping (Repology's SolusIndexParser; docs/formats.md):
 *   srcname      Source/Name (the project seed)
 *   binnames     Name (merged per source: nano, nano-dbginfo, ...)
 *   version      the first History/Update/Version (the newest update), raw
 *   summary      the first Summary (any xml:lang)
 *   license      every License element; a multi-line value is a list of
 *                "- X" lines; joined with ", "
 *   category     the first PartOf
 *   maintainers  Source/Packager/Email, lower-cased
 *   homepage     Source/Homepage
 * Binary packages are grouped per source with pf_srcgroup (as the Arch
 * parser does): the package named like its source supplies the descriptive
 * fields, and records are emitted after the whole index has been read.
 *
 * A <Package> without Name, Source/Name or a History/Update/Version is
 * skipped and counted. Each path takes the first element of its name at
 * each step (Source/Name is the first Name of the first Source), as the
 * DOM reading this parser replaced did. Malformed XML, a DOCTYPE, or a
 * document whose root is not <PISI> (a schema change) fails the parse with
 * one line.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkgfresh/archive.h"
#include "pkgfresh/format.h"
#include "pkgfresh/grow.h"
#include "pkgfresh/xmlsax.h"

/* The record fields kept per package (the licences are kept apart). */
enum sl_field { F_NAME, F_SRC, F_VER, F_SUM, F_CAT, F_MAIL, F_HOME, F_COUNT, F_LIC = F_COUNT };

/* The elements followed below <Package>. */
enum sl_node {
    N_NAME,
    N_SUMMARY,
    N_PARTOF,
    N_LICENSE,
    N_SOURCE,
    N_SRC_NAME,
    N_HOMEPAGE,
    N_PACKAGER,
    N_EMAIL,
    N_HISTORY,
    N_UPDATE,
    N_VERSION,
    N_COUNT
};

#define SL_PACKAGE (-1) /* the parent of the top rows: <Package> itself */
#define SL_NONE    (-2) /* an element not followed */
#define SL_ABSENT  ((size_t)-1)

/* One followed element: its parent row, local name, and the field its text goes to (-1: none). */
static const struct sl_row {
    signed char parent;
    const char *name;
    signed char field;
} sl_nodes[N_COUNT] = {
    [N_NAME] = {SL_PACKAGE, "Name", F_NAME},
    [N_SUMMARY] = {SL_PACKAGE, "Summary", F_SUM},
    [N_PARTOF] = {SL_PACKAGE, "PartOf", F_CAT},
    [N_LICENSE] = {SL_PACKAGE, "License", F_LIC}, /* every one, not only the first */
    [N_SOURCE] = {SL_PACKAGE, "Source", -1},
    [N_SRC_NAME] = {N_SOURCE, "Name", F_SRC},
    [N_HOMEPAGE] = {N_SOURCE, "Homepage", F_HOME},
    [N_PACKAGER] = {N_SOURCE, "Packager", -1},
    [N_EMAIL] = {N_PACKAGER, "Email", F_MAIL},
    [N_HISTORY] = {SL_PACKAGE, "History", -1},
    [N_UPDATE] = {N_HISTORY, "Update", -1},
    [N_VERSION] = {N_UPDATE, "Version", F_VER},
};

/* What the handlers stop the parse with. */
enum { SL_STOP_ROOT = 1, SL_STOP_OOM = 2 };

/* A growing text buffer. */
typedef struct solus_buf {
    char *p;
    size_t cap, len;
} solus_buf;

/*
 * Parse state. node[d] is the row of the open element at depth d (d >= 2,
 * inside a <Package>; SL_NONE when not followed); matched has a bit per row
 * already met in this package. While a field element is open (field >= 0,
 * at depth fdepth) its text is appended to fields (from fstart) or, for a
 * licence, to tmp. off[f] is where field f starts in fields (SL_ABSENT when
 * absent or empty); lic holds the licences, ", "-joined.
 */
typedef struct sl_state {
    pf_srcgroup *g;
    pf_parse_stats *stats;
    char *root; /* the root element's name */
    long packages;
    int in_pkg;
    signed char *node;
    size_t ncap;
    unsigned matched;
    int field, fdepth;
    size_t fstart;
    solus_buf fields, tmp, lic;
    size_t off[F_COUNT];
} sl_state;

/* Append s[0..n) to b. 0, -1 out of memory. */
static int sl_put(solus_buf *b, const char *s, size_t n)
{
    if (pf_grow(&b->p, &b->cap, b->len, n + 1) != 0)
        return -1;
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
    return 0;
}

/* Is c XML white space? */
static int sl_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The row below parent named local, or SL_NONE. */
static int sl_row_find(int parent, const char *local)
{
    for (int i = 0; i < N_COUNT; i++)
        if (sl_nodes[i].parent == parent && strcmp(sl_nodes[i].name, local) == 0)
            return i;
    return SL_NONE;
}

/* A <Package> begins: forget the last one. */
static void sl_package_begin(sl_state *s)
{
    s->in_pkg = 1;
    s->matched = 0;
    s->field = -1;
    s->fields.len = 0;
    s->lic.len = 0;
    for (int f = 0; f < F_COUNT; f++)
        s->off[f] = SL_ABSENT;
}

/* SAX handler: an element starts (see xmlsax.h). */
static int sl_start(void *ctx, const char *local, int depth)
{
    sl_state *s = ctx;
    if (depth == 0) {
        free(s->root);
        return (s->root = strdup(local)) ? 0 : SL_STOP_OOM;
    }
    if (depth == 1) {
        s->in_pkg = 0;
        if (strcmp(local, "Package") != 0)
            return 0;
        if (s->packages++ == 0 && strcmp(s->root, "PISI") != 0)
            return SL_STOP_ROOT;
        sl_package_begin(s);
        return 0;
    }
    if (!s->in_pkg)
        return 0;
    if (pf_grow((char **)&s->node, &s->ncap, 0, (size_t)depth + 1) != 0)
        return SL_STOP_OOM;
    int parent = depth == 2 ? SL_PACKAGE : s->node[depth - 1];
    int row = parent == SL_NONE ? SL_NONE : sl_row_find(parent, local);
    if (row != SL_NONE && row != N_LICENSE && (s->matched & (1u << row)))
        row = SL_NONE; /* not the first of its name: paths take the first */
    s->node[depth] = (signed char)row;
    if (row == SL_NONE)
        return 0;
    s->matched |= 1u << row;
    if (sl_nodes[row].field >= 0) {
        s->field = sl_nodes[row].field;
        s->fdepth = depth;
        s->fstart = s->fields.len;
        s->tmp.len = 0;
    }
    return 0;
}

/* SAX handler: text; kept when it is the direct text of the open field element. */
static int sl_text(void *ctx, const char *t, size_t n, int depth)
{
    sl_state *s = ctx;
    if (s->field < 0 || depth != s->fdepth)
        return 0;
    return sl_put(s->field == F_LIC ? &s->tmp : &s->fields, t, n) == 0 ? 0 : SL_STOP_OOM;
}

/*
 * A <License> ends: each line of its text, leading '-' and ' ' and trailing
 * white space removed, is one more licence in s->lic.
 */
static int sl_license_end(sl_state *s)
{
    if (sl_put(&s->tmp, "", 0) != 0)
        return -1;
    const char *line = s->tmp.p;
    while (line) {
        const char *nl = strchr(line, '\n');
        const char *e = nl ? nl : line + strlen(line);
        while (line < e && (*line == '-' || *line == ' '))
            line++;
        while (e > line && isspace((unsigned char)e[-1]))
            e--;
        if (e > line && ((s->lic.len && sl_put(&s->lic, ", ", 2) != 0) ||
                         sl_put(&s->lic, line, (size_t)(e - line)) != 0))
            return -1;
        line = nl ? nl + 1 : NULL;
    }
    return 0;
}

/* A field element ends: trim its text; empty text leaves the field absent. */
static int sl_field_end(sl_state *s)
{
    int f = s->field;
    s->field = -1;
    if (f == F_LIC)
        return sl_license_end(s);
    if (sl_put(&s->fields, "", 0) != 0)
        return -1;
    char *p = s->fields.p + s->fstart;
    size_t a = 0, z = s->fields.len - s->fstart;
    while (a < z && sl_space(p[a]))
        a++;
    while (z > a && sl_space(p[z - 1]))
        z--;
    memmove(p, p + a, z - a);
    p[z - a] = 0;
    s->fields.len = s->fstart + (z - a) + 1;
    s->off[f] = z > a ? s->fstart : SL_ABSENT;
    return 0;
}

/* Lower-case s in place. */
static void solus_lower(char *s)
{
    for (; *s; s++)
        *s = (char)tolower((unsigned char)*s);
}

/* A <Package> ends: map it into the group set, or count it as skipped. 0, -1 out of memory. */
static int sl_package_end(sl_state *s)
{
    s->in_pkg = 0;
    if (s->off[F_NAME] == SL_ABSENT || s->off[F_SRC] == SL_ABSENT || s->off[F_VER] == SL_ABSENT) {
        s->stats->skipped++;
        return 0;
    }
#define SOLUS_AT(f) (s->off[f] == SL_ABSENT ? NULL : s->fields.p + s->off[f])
    pf_record rec;
    memset(&rec, 0, sizeof rec);
    rec.srcname = SOLUS_AT(F_SRC);
    rec.binnames = SOLUS_AT(F_NAME);
    rec.version = SOLUS_AT(F_VER);
    rec.summary = SOLUS_AT(F_SUM);
    rec.category = SOLUS_AT(F_CAT);
    rec.homepage = SOLUS_AT(F_HOME);
    rec.license = s->lic.len ? s->lic.p : NULL;
    char *mail = SOLUS_AT(F_MAIL);
    if (mail && strchr(mail, '@')) {
        solus_lower(mail);
        rec.maintainers = mail;
    }
#undef SOLUS_AT
    return pf_srcgroup_add(s->g, &rec);
}

/* SAX handler: an element ends. */
static int sl_end(void *ctx, const char *local, int depth)
{
    (void)local;
    sl_state *s = ctx;
    if (!s->in_pkg)
        return 0;
    if (s->field >= 0 && depth == s->fdepth && sl_field_end(s) != 0)
        return SL_STOP_OOM;
    if (depth == 1 && sl_package_end(s) != 0)
        return SL_STOP_OOM;
    return 0;
}

/* Parse a whole eopkg-index.xml stream (see file comment), filling *stats. */
int pf_parse_solus_eopkg(pf_reader *in, const char *variant, pf_emit_fn emit, void *ctx,
                         pf_parse_stats *stats, char *err, size_t errlen)
{
    (void)variant;
    stats->records = stats->skipped = 0;
    static const pf_xmlsax_handler h = {sl_start, sl_end, sl_text};
    sl_state s;
    memset(&s, 0, sizeof s);
    s.stats = stats;
    s.field = -1;
    s.g = pf_srcgroup_new();
    int rc = -1;
    char why[400];
    if (!s.g) {
        snprintf(err, errlen, "solus-eopkg: out of memory");
    } else if ((rc = pf_xmlsax_run(in, "eopkg-index.xml", &h, &s, why, sizeof why)) == -1) {
        snprintf(err, errlen, "solus-eopkg: %s", why);
    } else if (rc == SL_STOP_ROOT) {
        snprintf(err, errlen, "solus-eopkg: root element is <%s>, expected <PISI>", s.root);
        rc = -1;
    } else if (rc == SL_STOP_OOM) {
        snprintf(err, errlen, "solus-eopkg: out of memory");
        rc = -1;
    } else if (s.packages == 0) {
        snprintf(err, errlen, "solus-eopkg: no <Package> element under the root (schema change?)");
        rc = -1;
    } else {
        rc = pf_srcgroup_emit(s.g, emit, ctx, &stats->records);
    }
    free(s.root);
    free(s.node);
    free(s.fields.p);
    free(s.tmp.p);
    free(s.lic.p);
    pf_srcgroup_free(s.g);
    return rc;
}
