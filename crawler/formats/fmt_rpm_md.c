/*
 * fmt_rpm_md.c — rpm-md primary.xml parser (Fedora, CentOS Stream, openSUSE).
 *
 * primary.xml is one <metadata> element holding a <package type="rpm"> per
 * RPM (namespaces http://linux.duke.edu/metadata/common and .../rpm). The
 * file is read with libxml2's streaming xmlTextReader over the pf_reader (no
 * DOM: only the current node exists), driven by an explicit state table in
 * the style of libsolv's ext/repo_rpmmd.c: a known element moves the parser
 * from one state to the next, any other element is skipped whole with
 * xmlTextReaderNext (descriptions, requires, file lists, checksums ...).
 *
 * What becomes a record:
 *   - Source mode (the normal case: Fedora/CentOS/openSUSE "source" trees):
 *     every package with <arch>src</arch> (or nosrc, a source package whose
 *     sources are not redistributed) gives one record. name -> srcname;
 *     <version epoch ver rel> -> "EPOCH:VER-REL" (epoch omitted when 0, the
 *     normalizer splits it again); summary; url -> homepage; rpm:license;
 *     rpm:group -> category; packager -> maintainers, only when it holds an
 *     e-mail address (lower-cased address only); rpm:provides entry names ->
 *     binnames (space-separated, deduplicated, names with '(' and file
 *     provides starting with '/' left out).
 *   - Binary fallback: a primary without any src package (a binary repo)
 *     maps each binary package to its source through <rpm:sourcerpm>
 *     (name-version-release.src.rpm) and yields one record per source name,
 *     in order of first appearance: srcname from the sourcerpm, version
 *     "EPOCH:VER-REL" with VER-REL from the sourcerpm and the epoch of the
 *     first binary of that source (subpackages inherit the source's epoch),
 *     binnames = the distinct binary package names, and summary, homepage,
 *     licence, group and packager from the binary named like the source when
 *     there is one, else from the first binary. Binary packages are held
 *     (in one string arena) until the end of the file, because a src
 *     package may still come and sources are not adjacent in a primary; as
 *     soon as a src package appears the held binaries are dropped and the
 *     file is parsed in source mode.
 *   - Packages of another type than "rpm", and names with an unexpanded
 *     "%{" macro, are skipped; so are packages without name or ver.
 *
 * Security: XML_PARSE_NONET, no XML_PARSE_NOENT, no DTD loading, libxml2's
 * size limits left on (no XML_PARSE_HUGE), input decoded as UTF-8. A
 * document with a DOCTYPE is rejected outright (a primary.xml never has
 * one): pf_xml_guard spots it in the bytes before libxml2 parses them, so no
 * entity or DTD declared by the document is ever parsed, expanded or
 * fetched (a DOCTYPE node reaching the reader anyway is refused too).
 * Malformed or truncated XML is an error naming the line.
 *
 * Speed: the per-package buffers (fields, provides, their hash set, the
 * version string) are reused for every package; nothing is allocated per
 * record in source mode.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlreader.h>

#include "pkgfresh/format.h"
#include "pkgfresh/grow.h"
#include "pkgfresh/repomd.h"

#define RPM_NS_COMMON   "http://linux.duke.edu/metadata/common"
#define RPM_NS_RPM      "http://linux.duke.edu/metadata/rpm"
#define RPM_MAX_PACKAGE ((size_t)16 << 20) /* bytes of kept text per package */
#define RPM_MAX_DEPTH   8                  /* deeper than any known state chain */
#define RPM_NONE        ((size_t)-1)

/* Internal results of the handlers below (the parser maps them to its return value). */
#define RPM_OK   0
#define RPM_OOM  (-1) /* out of memory */
#define RPM_BAD  (-2) /* structure error, message in xml_err */
#define RPM_STOP (-3) /* emit asked to stop, its value in emit_rc */
#define RPM_FAIL (-4) /* error already written to err */

enum rpm_ns { NS_COMMON, NS_RPM };

enum rpm_state {
    S_START,
    S_METADATA,
    S_PACKAGE,
    S_NAME,
    S_ARCH,
    S_VERSION,
    S_SUMMARY,
    S_PACKAGER,
    S_URL,
    S_FORMAT,
    S_LICENSE,
    S_GROUP,
    S_SOURCERPM,
    S_PROVIDES,
    S_ENTRY,
};

/* Per-package text fields, stored in the package buffer. */
enum rpm_field {
    F_NAME,
    F_ARCH,
    F_EPOCH,
    F_VER,
    F_REL,
    F_SUMMARY,
    F_PACKAGER,
    F_URL,
    F_LICENSE,
    F_GROUP,
    F_SOURCERPM,
    F_COUNT,
    F_NONE = -1
};

/* One transition: element (ns, name) seen in state `from` enters state `to`;
 * `text` is the field its character data goes to (F_NONE: ignored). */
typedef struct rpm_switch {
    unsigned char from;
    unsigned char ns;
    const char *name;
    unsigned char to;
    signed char text;
} rpm_switch;

static const rpm_switch rpm_switches[] = {
    {S_START, NS_COMMON, "metadata", S_METADATA, F_NONE},
    {S_METADATA, NS_COMMON, "package", S_PACKAGE, F_NONE},
    {S_PACKAGE, NS_COMMON, "name", S_NAME, F_NAME},
    {S_PACKAGE, NS_COMMON, "arch", S_ARCH, F_ARCH},
    {S_PACKAGE, NS_COMMON, "version", S_VERSION, F_NONE},
    {S_PACKAGE, NS_COMMON, "summary", S_SUMMARY, F_SUMMARY},
    {S_PACKAGE, NS_COMMON, "packager", S_PACKAGER, F_PACKAGER},
    {S_PACKAGE, NS_COMMON, "url", S_URL, F_URL},
    {S_PACKAGE, NS_COMMON, "format", S_FORMAT, F_NONE},
    {S_FORMAT, NS_RPM, "license", S_LICENSE, F_LICENSE},
    {S_FORMAT, NS_RPM, "group", S_GROUP, F_GROUP},
    {S_FORMAT, NS_RPM, "sourcerpm", S_SOURCERPM, F_SOURCERPM},
    {S_FORMAT, NS_RPM, "provides", S_PROVIDES, F_NONE},
    {S_PROVIDES, NS_RPM, "entry", S_ENTRY, F_NONE},
};
#define RPM_NSWITCHES (sizeof rpm_switches / sizeof rpm_switches[0])

/* A growable byte buffer (reused, never shrunk). */
typedef struct rpm_buf {
    char *p;
    size_t len, cap;
} rpm_buf;

/* Make room for `extra` more bytes. 0 ok, -1 out of memory. */
static int buf_reserve(rpm_buf *b, size_t extra)
{
    return pf_grow(&b->p, &b->cap, b->len, extra);
}

/* Append s[0..n) plus a NUL; returns the offset of the copy or RPM_NONE on out of memory. */
static size_t buf_add(rpm_buf *b, const char *s, size_t n)
{
    if (buf_reserve(b, n + 1) != 0)
        return RPM_NONE;
    size_t off = b->len;
    if (n > 0)
        memcpy(b->p + off, s, n);
    b->p[off + n] = '\0';
    b->len += n + 1;
    return off;
}

/* FNV-1a hash of s[0..n). */
static uint32_t rpm_hash(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

/*
 * Deduplicated space-separated name list (the provides of one package).
 * Invariant: names are stored in str as "a b c" (no trailing space, NUL
 * after the last); a hash set over name start offsets (slot value offset+1,
 * 0 = empty) is used once count exceeds NAMESET_LINEAR, with `nslot` active
 * slots (a power of two, at least twice count); below that, lookups scan.
 */
#define NAMESET_LINEAR 16
typedef struct nameset {
    rpm_buf str;
    size_t count;
    uint32_t *slot;
    size_t nslot;    /* active slots, 0 = hash not in use */
    size_t slot_cap; /* allocated slots */
} nameset;

/* Length of the name starting at offset off of the list (up to a space or the final NUL). */
static size_t nameset_len_at(const nameset *s, size_t off)
{
    return strcspn(s->str.p + off, " ");
}

/* Insert offset off into the hash set (room guaranteed by the caller). */
static void nameset_hash_put(nameset *s, size_t off)
{
    size_t n = nameset_len_at(s, off);
    size_t mask = s->nslot - 1;
    size_t i = rpm_hash(s->str.p + off, n) & mask;
    while (s->slot[i] != 0)
        i = (i + 1) & mask;
    s->slot[i] = (uint32_t)off + 1;
}

/* (Re)build the hash set with nslot >= 4 * count. 0 ok, -1 out of memory. */
static int nameset_rehash(nameset *s)
{
    size_t want = 64;
    while (want < s->count * 4)
        want *= 2;
    if (want > s->slot_cap) {
        uint32_t *ns = realloc(s->slot, want * sizeof *ns);
        if (!ns)
            return -1;
        s->slot = ns;
        s->slot_cap = want;
    }
    s->nslot = want;
    memset(s->slot, 0, want * sizeof *s->slot);
    size_t off = 0;
    while (off < s->str.len) {
        nameset_hash_put(s, off);
        off += nameset_len_at(s, off) + 1;
    }
    return 0;
}

/* Is name[0..n) in the set? */
static int nameset_has(const nameset *s, const char *name, size_t n)
{
    if (s->nslot == 0) {
        size_t off = 0;
        while (off < s->str.len) {
            size_t l = nameset_len_at(s, off);
            if (l == n && memcmp(s->str.p + off, name, n) == 0)
                return 1;
            off += l + 1;
        }
        return 0;
    }
    size_t mask = s->nslot - 1;
    size_t i = rpm_hash(name, n) & mask;
    while (s->slot[i] != 0) {
        size_t off = s->slot[i] - 1;
        if (nameset_len_at(s, off) == n && memcmp(s->str.p + off, name, n) == 0)
            return 1;
        i = (i + 1) & mask;
    }
    return 0;
}

/* Add name[0..n) unless present. 0 ok, -1 out of memory (or list over 4 GB). */
static int nameset_add(nameset *s, const char *name, size_t n)
{
    if (n == 0 || nameset_has(s, name, n))
        return 0;
    if (s->str.len + n + 1 >= UINT32_MAX || buf_reserve(&s->str, n + 2) != 0)
        return -1;
    size_t off = s->str.len;
    if (off > 0) {
        /* Overwrite the previous NUL with the separating space. */
        s->str.p[off - 1] = ' ';
    }
    memcpy(s->str.p + off, name, n);
    s->str.p[off + n] = '\0';
    s->str.len = off + n + 1;
    s->count++;
    /* str.len counts the final NUL; offsets stay name starts. */
    if (s->nslot == 0) {
        if (s->count > NAMESET_LINEAR)
            return nameset_rehash(s);
        return 0;
    }
    if (s->count * 2 > s->nslot)
        return nameset_rehash(s);
    nameset_hash_put(s, off);
    return 0;
}

/* Forget every name (buffers kept). */
static void nameset_reset(nameset *s)
{
    s->str.len = 0;
    s->count = 0;
    if (s->nslot)
        memset(s->slot, 0, s->nslot * sizeof *s->slot);
    s->nslot = 0;
}

/* The list as a C string, NULL when empty. */
static const char *nameset_str(const nameset *s)
{
    return s->count ? s->str.p : NULL;
}

/* Free the set's memory. */
static void nameset_free(nameset *s)
{
    free(s->str.p);
    free(s->slot);
}

/*
 * Binary-mode groups: one per source name. Strings live in `arena` (offsets,
 * RPM_NONE = absent); the binary names of a group are a singly linked list
 * of `bins` entries.
 */
typedef struct bin_group {
    size_t srcname, verrel, epoch, summary, url, license, group, packager;
    int from_main; /* the fields came from the binary named like the source */
    size_t first_bin, last_bin;
} bin_group;

typedef struct bin_entry {
    size_t name; /* arena offset */
    size_t next; /* index in bins, RPM_NONE at the end */
} bin_entry;

typedef struct bin_groups {
    rpm_buf arena;
    bin_group *g;
    size_t n, cap;
    bin_entry *bins;
    size_t nbins, bins_cap;
    uint32_t *slot; /* group index + 1, 0 = empty; nslot a power of two */
    size_t nslot;
} bin_groups;

/* Drop every group (memory kept). */
static void groups_reset(bin_groups *gs)
{
    gs->arena.len = 0;
    gs->n = 0;
    gs->nbins = 0;
    if (gs->nslot)
        memset(gs->slot, 0, gs->nslot * sizeof *gs->slot);
}

/* Free everything the groups own. */
static void groups_free(bin_groups *gs)
{
    free(gs->arena.p);
    free(gs->g);
    free(gs->bins);
    free(gs->slot);
}

/* Rebuild the source-name hash with at least 4 slots per group. 0 ok, -1 out of memory. */
static int groups_rehash(bin_groups *gs)
{
    size_t want = 256;
    while (want < gs->n * 4)
        want *= 2;
    if (want != gs->nslot) {
        uint32_t *ns = realloc(gs->slot, want * sizeof *ns);
        if (!ns)
            return -1;
        gs->slot = ns;
        gs->nslot = want;
    }
    memset(gs->slot, 0, gs->nslot * sizeof *gs->slot);
    for (size_t k = 0; k < gs->n; k++) {
        const char *name = gs->arena.p + gs->g[k].srcname;
        size_t i = rpm_hash(name, strlen(name)) & (gs->nslot - 1);
        while (gs->slot[i] != 0)
            i = (i + 1) & (gs->nslot - 1);
        gs->slot[i] = (uint32_t)k + 1;
    }
    return 0;
}

/* Index of the group for source name[0..n), creating it; RPM_NONE on out of memory. */
static size_t groups_get(bin_groups *gs, const char *name, size_t n, int *created)
{
    *created = 0;
    if (gs->nslot == 0 && groups_rehash(gs) != 0)
        return RPM_NONE;
    size_t mask = gs->nslot - 1;
    size_t i = rpm_hash(name, n) & mask;
    while (gs->slot[i] != 0) {
        size_t k = gs->slot[i] - 1;
        const char *s = gs->arena.p + gs->g[k].srcname;
        if (strncmp(s, name, n) == 0 && s[n] == '\0')
            return k;
        i = (i + 1) & mask;
    }
    if (gs->n == gs->cap) {
        size_t ncap = gs->cap ? gs->cap * 2 : 256;
        bin_group *ng = realloc(gs->g, ncap * sizeof *ng);
        if (!ng)
            return RPM_NONE;
        gs->g = ng;
        gs->cap = ncap;
    }
    size_t off = buf_add(&gs->arena, name, n);
    if (off == RPM_NONE || gs->n >= UINT32_MAX - 1)
        return RPM_NONE;
    bin_group *g = &gs->g[gs->n];
    memset(g, 0, sizeof *g);
    g->srcname = off;
    g->verrel = g->epoch = g->summary = g->url = g->license = g->group = g->packager = RPM_NONE;
    g->first_bin = g->last_bin = RPM_NONE;
    gs->slot[i] = (uint32_t)gs->n + 1;
    gs->n++;
    *created = 1;
    if (gs->n * 2 > gs->nslot && groups_rehash(gs) != 0)
        return RPM_NONE;
    return gs->n - 1;
}

/* Parser state for one run. */
typedef struct rpm_parser {
    xmlTextReaderPtr xr;
    pf_reader *in;
    pf_xml_guard guard; /* refuses a DOCTYPE before libxml2 parses it */
    int io_failed;      /* the pf_reader reported an error (message in in->err) */
    char xml_err[200];
    int xml_err_line;

    int stack[RPM_MAX_DEPTH]; /* states entered, stack[depth - 1] is current */
    int depth;
    int text_field; /* field receiving character data, F_NONE otherwise */

    /* Current package: fields in pkg (offsets/lengths), provides in prov. */
    rpm_buf pkg;
    size_t off[F_COUNT], flen[F_COUNT];
    unsigned char has[F_COUNT];
    int pkg_line;
    nameset prov;
    rpm_buf scratch; /* version string and maintainer of the record being emitted */

    int mode;    /* 0 = undecided/binary so far, 1 = source (a src package was seen) */
    int emit_rc; /* the non-zero value emit returned (RPM_STOP) */
    bin_groups groups;
    long records, skipped;
} rpm_parser;

/* libxml2 input callback: pull bytes from the pf_reader. */
static int rpm_io_read(void *ctx, char *buffer, int len)
{
    rpm_parser *st = ctx;
    if (len <= 0)
        return 0;
    ssize_t n = st->in->read(st->in, buffer, (size_t)len);
    if (n < 0) {
        st->io_failed = 1;
        return -1;
    }
    if (!st->guard.done && pf_xml_guard_feed(&st->guard, buffer, (size_t)n))
        return -1; /* a DOCTYPE: libxml2 never sees it */
    return (int)n;
}

/* libxml2 close callback: the pf_reader belongs to the caller, nothing to do. */
static int rpm_io_close(void *ctx)
{
    (void)ctx;
    return 0;
}

/* libxml2 error callback: keep the first error (not warnings) with its line. */
static void rpm_xml_error(void *arg, const char *msg, xmlParserSeverities severity,
                          xmlTextReaderLocatorPtr locator)
{
    rpm_parser *st = arg;
    if (severity == XML_PARSER_SEVERITY_WARNING || severity == XML_PARSER_SEVERITY_VALIDITY_WARNING)
        return;
    if (st->xml_err[0])
        return;
    snprintf(st->xml_err, sizeof st->xml_err, "%s", msg ? msg : "malformed XML");
    size_t n = strlen(st->xml_err);
    while (n > 0 && (st->xml_err[n - 1] == '\n' || st->xml_err[n - 1] == ' '))
        st->xml_err[--n] = '\0';
    for (size_t i = 0; i < n; i++) /* libxml2 messages may span lines: errors are one line */
        if (st->xml_err[i] == '\n' || st->xml_err[i] == '\r' || st->xml_err[i] == '\t')
            st->xml_err[i] = ' ';
    st->xml_err_line = locator ? xmlTextReaderLocatorLineNumber(locator) : 0;
}

/* Write the parse error into err: the I/O cause if the reader failed, else the XML one. */
static void rpm_set_error(rpm_parser *st, char *err, size_t errlen)
{
    if (st->guard.doctype) {
        snprintf(
            err, errlen,
            "rpm-md: line %u: DOCTYPE not allowed in primary.xml (entities are never expanded)",
            st->guard.line);
        return;
    }
    if (st->io_failed) {
        snprintf(err, errlen, "rpm-md: %s", st->in->err[0] ? st->in->err : "read error");
        return;
    }
    int line = st->xml_err_line > 0 ? st->xml_err_line : xmlTextReaderGetParserLineNumber(st->xr);
    snprintf(err, errlen, "rpm-md: line %d: %s", line,
             st->xml_err[0] ? st->xml_err : "malformed or truncated XML");
}

/* Forget the current package's fields (buffers kept). */
static void pkg_reset(rpm_parser *st)
{
    st->pkg.len = 0;
    memset(st->has, 0, sizeof st->has);
    nameset_reset(&st->prov);
}

/* Field f as a C string, NULL when absent or empty. */
static const char *pkg_get(const rpm_parser *st, int f)
{
    if (!st->has[f] || st->flen[f] == 0)
        return NULL;
    return st->pkg.p + st->off[f];
}

/* Is a space, tab, CR or LF. */
static int rpm_is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Set field f to s[0..n), trimmed. 0 ok, -1 out of memory. */
static int pkg_set(rpm_parser *st, int f, const char *s, size_t n)
{
    while (n > 0 && rpm_is_space(*s))
        s++, n--;
    while (n > 0 && rpm_is_space(s[n - 1]))
        n--;
    size_t off = buf_add(&st->pkg, s, n);
    if (off == RPM_NONE)
        return -1;
    st->off[f] = off;
    st->flen[f] = n;
    st->has[f] = 1;
    return 0;
}

/* Open field f for character data: it becomes the last value in pkg. */
static int pkg_text_begin(rpm_parser *st, int f)
{
    size_t off = buf_add(&st->pkg, "", 0);
    if (off == RPM_NONE)
        return -1;
    st->off[f] = off;
    st->flen[f] = 0;
    st->has[f] = 1;
    st->text_field = f;
    return 0;
}

/* Append character data to the open field (which is the last value in pkg). */
static int pkg_text_add(rpm_parser *st, const char *s, size_t n)
{
    int f = st->text_field;
    if (buf_reserve(&st->pkg, n) != 0)
        return -1;
    char *end = st->pkg.p + st->off[f] + st->flen[f]; /* the field's NUL */
    memcpy(end, s, n);
    end[n] = '\0';
    st->flen[f] += n;
    st->pkg.len += n;
    return 0;
}

/* Close the open field: trim surrounding white space in place. */
static void pkg_text_end(rpm_parser *st)
{
    int f = st->text_field;
    st->text_field = F_NONE;
    if (f == F_NONE)
        return;
    char *s = st->pkg.p + st->off[f];
    size_t n = st->flen[f];
    size_t a = 0;
    while (a < n && rpm_is_space(s[a]))
        a++;
    while (n > a && rpm_is_space(s[n - 1]))
        n--;
    if (a > 0)
        memmove(s, s + a, n - a);
    s[n - a] = '\0';
    st->flen[f] = n - a;
}

/*
 * The e-mail address in a packager string ("Name <a@b>", "a@b", "Fedora
 * Project"): lower-cased into out (capacity >= strlen(s) + 1). Returns its
 * length, 0 when there is none.
 */
static size_t rpm_packager_email(const char *s, char *out)
{
    const char *a = NULL;
    size_t n = 0;
    const char *lt = strchr(s, '<');
    const char *gt = lt ? strchr(lt, '>') : NULL;
    if (lt && gt) {
        a = lt + 1;
        n = (size_t)(gt - a);
    } else {
        /* The first white-space separated word holding an '@'. */
        const char *p = s;
        while (*p) {
            while (*p && rpm_is_space(*p))
                p++;
            const char *w = p;
            while (*p && !rpm_is_space(*p))
                p++;
            if (p > w && memchr(w, '@', (size_t)(p - w))) {
                a = w;
                n = (size_t)(p - w);
                break;
            }
        }
    }
    while (a && n > 0 && rpm_is_space(*a))
        a++, n--;
    while (a && n > 0 && rpm_is_space(a[n - 1]))
        n--;
    if (!a || n < 3)
        return 0;
    const char *at = memchr(a, '@', n);
    if (!at || at == a || at == a + n - 1)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (rpm_is_space(a[i]) || strchr("<>\",;()", a[i]))
            return 0;
        out[i] = (char)tolower((unsigned char)a[i]);
    }
    out[n] = '\0';
    return n;
}

/* Is an epoch string absent or zero ("", "0", "00")? */
static int rpm_epoch_is_zero(const char *e)
{
    if (!e)
        return 1;
    for (; *e; e++)
        if (*e != '0')
            return 0;
    return 1;
}

/*
 * Compose "EPOCH:VER-REL" (epoch left out when zero, "-REL" when there is no
 * release) into the scratch buffer at offset 0. Returns the string, NULL on
 * out of memory.
 */
static const char *rpm_compose_version(rpm_buf *b, const char *epoch, const char *ver,
                                       size_t verlen, const char *rel, size_t rellen)
{
    size_t elen = rpm_epoch_is_zero(epoch) ? 0 : strlen(epoch);
    b->len = 0;
    if (buf_reserve(b, elen + verlen + rellen + 3) != 0)
        return NULL;
    char *p = b->p;
    if (elen) {
        memcpy(p, epoch, elen);
        p += elen;
        *p++ = ':';
    }
    memcpy(p, ver, verlen);
    p += verlen;
    if (rellen) {
        *p++ = '-';
        memcpy(p, rel, rellen);
        p += rellen;
    }
    *p++ = '\0';
    b->len = (size_t)(p - b->p);
    return b->p;
}

/*
 * Split a sourcerpm file name "name-ver-rel.src.rpm" (or .nosrc.rpm) into
 * its name length and the "ver-rel" part. Returns 0, -1 when it has not that
 * shape.
 */
static int rpm_split_sourcerpm(const char *s, size_t *namelen, const char **verrel,
                               size_t *verrellen)
{
    size_t n = strlen(s);
    static const char *const sfx[] = {".src.rpm", ".nosrc.rpm"};
    size_t base = 0;
    for (size_t i = 0; i < 2; i++) {
        size_t l = strlen(sfx[i]);
        if (n > l && strcmp(s + n - l, sfx[i]) == 0) {
            base = n - l;
            break;
        }
    }
    if (base == 0)
        return -1;
    const char *d2 = NULL, *d1 = NULL; /* last and second-to-last '-' before base */
    for (size_t i = base; i-- > 0;) {
        if (s[i] == '-') {
            if (!d2)
                d2 = s + i;
            else {
                d1 = s + i;
                break;
            }
        }
    }
    if (!d1 || d1 == s || d2 == d1 + 1 || d2 + 1 == s + base)
        return -1;
    *namelen = (size_t)(d1 - s);
    *verrel = d1 + 1;
    *verrellen = (size_t)(s + base - (d1 + 1));
    return 0;
}

/* Emit one record for the current src package. Returns RPM_OK, RPM_STOP or RPM_OOM. */
static int rpm_emit_source(rpm_parser *st, pf_emit_fn emit, void *ctx)
{
    const char *name = pkg_get(st, F_NAME);
    const char *ver = pkg_get(st, F_VER);
    const char *rel = pkg_get(st, F_REL);
    const char *v = rpm_compose_version(&st->scratch, pkg_get(st, F_EPOCH), ver, strlen(ver), rel,
                                        rel ? strlen(rel) : 0);
    if (!v)
        return -1;
    const char *packager = pkg_get(st, F_PACKAGER);
    const char *maint = NULL;
    if (packager) {
        size_t vlen = st->scratch.len;
        if (buf_reserve(&st->scratch, strlen(packager) + 1) != 0)
            return -1;
        v = st->scratch.p; /* may have moved */
        if (rpm_packager_email(packager, st->scratch.p + vlen) > 0)
            maint = st->scratch.p + vlen;
    }
    pf_record rec;
    memset(&rec, 0, sizeof rec);
    rec.srcname = name;
    rec.version = v;
    rec.binnames = nameset_str(&st->prov);
    rec.maintainers = maint;
    rec.homepage = pkg_get(st, F_URL);
    rec.license = pkg_get(st, F_LICENSE);
    rec.category = pkg_get(st, F_GROUP);
    rec.summary = pkg_get(st, F_SUMMARY);
    int rc = emit(ctx, &rec);
    if (rc != 0) {
        st->emit_rc = rc;
        return RPM_STOP;
    }
    st->records++;
    return 0;
}

/* Copy field f of the current package into the group arena (RPM_NONE when absent). */
static int rpm_group_field(rpm_parser *st, size_t *dst, int f)
{
    const char *s = pkg_get(st, f);
    if (!s) {
        *dst = RPM_NONE;
        return 0;
    }
    size_t off = buf_add(&st->groups.arena, s, st->flen[f]);
    if (off == RPM_NONE)
        return -1;
    *dst = off;
    return 0;
}

/* Hold the current binary package in its source's group. 0 ok, -1 out of memory. */
static int rpm_hold_binary(rpm_parser *st)
{
    const char *srpm = pkg_get(st, F_SOURCERPM);
    size_t nlen, vrlen;
    const char *verrel;
    if (!srpm || rpm_split_sourcerpm(srpm, &nlen, &verrel, &vrlen) != 0) {
        st->skipped++;
        return 0;
    }
    bin_groups *gs = &st->groups;
    int created;
    size_t k = groups_get(gs, srpm, nlen, &created);
    if (k == RPM_NONE)
        return -1;
    const char *name = pkg_get(st, F_NAME);
    int is_main = strlen(name) == nlen && memcmp(name, srpm, nlen) == 0;
    if (created) {
        /* verrel points into pkg, which buf_add on the arena does not move. */
        size_t off = buf_add(&gs->arena, verrel, vrlen);
        if (off == RPM_NONE)
            return -1;
        gs->g[k].verrel = off;
        if (rpm_group_field(st, &gs->g[k].epoch, F_EPOCH) != 0)
            return -1;
    }
    bin_group *g = &gs->g[k];
    if (created || (is_main && !g->from_main)) {
        if (rpm_group_field(st, &g->summary, F_SUMMARY) != 0 ||
            rpm_group_field(st, &g->url, F_URL) != 0 ||
            rpm_group_field(st, &g->license, F_LICENSE) != 0 ||
            rpm_group_field(st, &g->group, F_GROUP) != 0 ||
            rpm_group_field(st, &g->packager, F_PACKAGER) != 0)
            return -1;
        g->from_main = is_main;
    }
    /* The binary name, unless this group has it already (multilib: one name, two arches). */
    for (size_t b = g->first_bin; b != RPM_NONE; b = gs->bins[b].next)
        if (strcmp(gs->arena.p + gs->bins[b].name, name) == 0)
            return 0;
    if (gs->nbins == gs->bins_cap) {
        size_t ncap = gs->bins_cap ? gs->bins_cap * 2 : 256;
        bin_entry *nb = realloc(gs->bins, ncap * sizeof *nb);
        if (!nb)
            return -1;
        gs->bins = nb;
        gs->bins_cap = ncap;
    }
    size_t off = buf_add(&gs->arena, name, strlen(name));
    if (off == RPM_NONE)
        return -1;
    size_t b = gs->nbins++;
    gs->bins[b].name = off;
    gs->bins[b].next = RPM_NONE;
    if (g->last_bin == RPM_NONE)
        g->first_bin = b;
    else
        gs->bins[g->last_bin].next = b;
    g->last_bin = b;
    return 0;
}

/* Arena string at off, NULL for RPM_NONE or empty. */
static const char *groups_str(const bin_groups *gs, size_t off)
{
    if (off == RPM_NONE || gs->arena.p[off] == '\0')
        return NULL;
    return gs->arena.p + off;
}

/* Emit one record per held source group (binary fallback): RPM_OK, RPM_STOP or RPM_OOM. */
static int rpm_emit_groups(rpm_parser *st, pf_emit_fn emit, void *ctx)
{
    bin_groups *gs = &st->groups;
    rpm_buf *sc = &st->scratch;
    for (size_t k = 0; k < gs->n; k++) {
        const bin_group *g = &gs->g[k];
        /* scratch layout: version NUL binnames NUL maintainer NUL */
        const char *vr = gs->arena.p + g->verrel;
        const char *dash = strchr(vr, '-'); /* verrel always has one (split_sourcerpm) */
        size_t vlen = (size_t)(dash - vr);
        if (!rpm_compose_version(sc, groups_str(gs, g->epoch), vr, vlen, dash + 1,
                                 strlen(dash + 1)))
            return -1;
        size_t bin_off = sc->len;
        for (size_t b = g->first_bin; b != RPM_NONE; b = gs->bins[b].next) {
            const char *bn = gs->arena.p + gs->bins[b].name;
            size_t bl = strlen(bn);
            if (buf_reserve(sc, bl + 2) != 0)
                return -1;
            if (sc->len > bin_off)
                sc->p[sc->len - 1] = ' ';
            memcpy(sc->p + sc->len, bn, bl);
            sc->len += bl;
            sc->p[sc->len++] = '\0';
        }
        if (sc->len == bin_off && buf_add(sc, "", 0) == RPM_NONE)
            return -1;
        size_t maint_off = RPM_NONE;
        const char *packager = groups_str(gs, g->packager);
        if (packager) {
            if (buf_reserve(sc, strlen(packager) + 1) != 0)
                return -1;
            size_t ml = rpm_packager_email(packager, sc->p + sc->len);
            if (ml > 0) {
                maint_off = sc->len;
                sc->len += ml + 1;
            }
        }
        pf_record rec;
        memset(&rec, 0, sizeof rec);
        rec.srcname = gs->arena.p + g->srcname;
        rec.version = sc->p;
        rec.binnames = sc->p[bin_off] ? sc->p + bin_off : NULL;
        rec.maintainers = maint_off != RPM_NONE ? sc->p + maint_off : NULL;
        rec.homepage = groups_str(gs, g->url);
        rec.license = groups_str(gs, g->license);
        rec.category = groups_str(gs, g->group);
        rec.summary = groups_str(gs, g->summary);
        int rc = emit(ctx, &rec);
        if (rc != 0) {
            st->emit_rc = rc;
            return RPM_STOP;
        }
        st->records++;
    }
    return 0;
}

/* A package ended: emit it (src), hold it (binary fallback) or skip it. RPM_OK/STOP/OOM. */
static int rpm_package_end(rpm_parser *st, pf_emit_fn emit, void *ctx)
{
    const char *name = pkg_get(st, F_NAME);
    if (!name || !pkg_get(st, F_VER) || strstr(name, "%{")) {
        st->skipped++;
        return 0;
    }
    const char *arch = pkg_get(st, F_ARCH);
    /* nosrc: a source package whose sources are not shipped (openSUSE non-oss). */
    int is_src = arch && (strcmp(arch, "src") == 0 || strcmp(arch, "nosrc") == 0);
    if (is_src) {
        if (st->mode == 0) {
            /* First source package: this is a source repository after all. */
            st->mode = 1;
            st->skipped += (long)st->groups.nbins;
            groups_reset(&st->groups);
        }
        return rpm_emit_source(st, emit, ctx);
    }
    if (st->mode == 1) {
        st->skipped++;
        return 0;
    }
    return rpm_hold_binary(st);
}

/* Copy the attributes of the current element that a state needs. 0 ok, -1 out of memory. */
static int rpm_attributes(rpm_parser *st, int state)
{
    xmlTextReaderPtr xr = st->xr;
    int rc = 0;
    if (xmlTextReaderMoveToFirstAttribute(xr) != 1)
        return 0;
    do {
        const char *an = (const char *)xmlTextReaderConstLocalName(xr);
        const char *av = (const char *)xmlTextReaderConstValue(xr);
        if (!an || !av)
            continue;
        if (state == S_VERSION) {
            int f = strcmp(an, "epoch") == 0 ? F_EPOCH
                    : strcmp(an, "ver") == 0 ? F_VER
                    : strcmp(an, "rel") == 0 ? F_REL
                                             : F_NONE;
            if (f != F_NONE)
                rc = pkg_set(st, f, av, strlen(av));
        } else if (state == S_ENTRY && strcmp(an, "name") == 0) {
            /* Virtual provides with '(' (pkgconfig(x), foo(x86-64)), files and names with
             * white space (invalid; the list is space-separated) are not packages. */
            if (!strpbrk(av, "( \t\r\n") && av[0] != '/')
                rc = nameset_add(&st->prov, av, strlen(av));
        }
    } while (rc == 0 && xmlTextReaderMoveToNextAttribute(xr) == 1);
    xmlTextReaderMoveToElement(xr);
    return rc;
}

/* Value of attribute `name` of the current element equals `want` (absent: `absent_ok`). */
static int rpm_attr_is(xmlTextReaderPtr xr, const char *name, const char *want, int absent_ok)
{
    int ok = absent_ok;
    if (xmlTextReaderMoveToAttribute(xr, (const xmlChar *)name) == 1) {
        const char *v = (const char *)xmlTextReaderConstValue(xr);
        ok = v && strcmp(v, want) == 0;
        xmlTextReaderMoveToElement(xr);
    }
    return ok;
}

/* The transition for element (uri, local) in state `from`, or NULL. */
static const rpm_switch *rpm_find_switch(int from, const char *uri, const char *local)
{
    int ns = -1;
    if (!uri || strcmp(uri, RPM_NS_COMMON) == 0)
        ns = NS_COMMON;
    else if (strcmp(uri, RPM_NS_RPM) == 0)
        ns = NS_RPM;
    for (size_t i = 0; i < RPM_NSWITCHES; i++) {
        const rpm_switch *sw = &rpm_switches[i];
        if (sw->from == from && sw->ns == ns && strcmp(sw->name, local) == 0)
            return sw;
    }
    return NULL;
}

/* Effects of leaving state `state` (an element closed). RPM_OK, RPM_STOP or RPM_OOM. */
static int rpm_leave(rpm_parser *st, int state, pf_emit_fn emit, void *ctx)
{
    if (st->text_field != F_NONE)
        pkg_text_end(st);
    if (state == S_PACKAGE)
        return rpm_package_end(st, emit, ctx);
    return 0;
}

/*
 * Handle an element start. *skip is set when its subtree must be skipped.
 * Returns RPM_OK, RPM_STOP, RPM_OOM or RPM_BAD (message in xml_err).
 */
static int rpm_element(rpm_parser *st, int *skip, pf_emit_fn emit, void *ctx)
{
    xmlTextReaderPtr xr = st->xr;
    int cur = st->depth > 0 ? st->stack[st->depth - 1] : S_START;
    const char *local = (const char *)xmlTextReaderConstLocalName(xr);
    const char *uri = (const char *)xmlTextReaderConstNamespaceUri(xr);
    const rpm_switch *sw = local ? rpm_find_switch(cur, uri, local) : NULL;
    if (!sw) {
        if (cur == S_START) {
            snprintf(st->xml_err, sizeof st->xml_err,
                     "root element is <%s>, not rpm-md <metadata> (not a primary.xml)",
                     local ? local : "?");
            st->xml_err_line = xmlTextReaderGetParserLineNumber(xr);
            return RPM_BAD;
        }
        *skip = 1;
        return 0;
    }
    if (sw->to == S_PACKAGE) {
        if (!rpm_attr_is(xr, "type", "rpm", 1)) {
            st->skipped++;
            *skip = 1;
            return 0;
        }
        pkg_reset(st);
        st->pkg_line = xmlTextReaderGetParserLineNumber(xr);
    }
    if (st->depth == RPM_MAX_DEPTH) { /* cannot happen with the table above */
        *skip = 1;
        return 0;
    }
    st->stack[st->depth++] = sw->to;
    if ((sw->to == S_VERSION || sw->to == S_ENTRY) && rpm_attributes(st, sw->to) != 0)
        return -1;
    if (sw->text != F_NONE && pkg_text_begin(st, sw->text) != 0)
        return -1;
    if (st->pkg.len + st->prov.str.len > RPM_MAX_PACKAGE) {
        snprintf(st->xml_err, sizeof st->xml_err,
                 "package starting at line %d is larger than %zu MB", st->pkg_line,
                 RPM_MAX_PACKAGE >> 20);
        st->xml_err_line = xmlTextReaderGetParserLineNumber(xr);
        return RPM_BAD;
    }
    if (xmlTextReaderIsEmptyElement(xr)) {
        /* <x/> produces no end node: leave at once. */
        st->depth--;
        return rpm_leave(st, sw->to, emit, ctx);
    }
    return 0;
}

/* Parse a primary.xml stream (see the file comment). */
int pf_parse_rpm_md(pf_reader *in, const char *variant, pf_emit_fn emit, void *ctx,
                    pf_parse_stats *stats, char *err, size_t errlen)
{
    (void)variant;
    stats->records = stats->skipped = 0;
    rpm_parser st;
    memset(&st, 0, sizeof st);
    st.in = in;
    st.text_field = F_NONE;

    st.xr = xmlReaderForIO(rpm_io_read, rpm_io_close, &st, "primary.xml", "UTF-8",
                           XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_COMPACT);
    if (!st.xr) {
        if (st.guard.doctype || st.io_failed)
            rpm_set_error(&st, err, errlen); /* those causes never touch st.xr */
        else
            snprintf(err, errlen, "rpm-md: cannot create XML reader");
        return -1;
    }
    xmlTextReaderSetErrorHandler(st.xr, rpm_xml_error, &st);

    int rc = 0;
    int skip = 0;
    int ret = xmlTextReaderRead(st.xr);
    while (ret == 1) {
        skip = 0;
        int type = xmlTextReaderNodeType(st.xr);
        switch (type) {
        case XML_READER_TYPE_ELEMENT:
            rc = rpm_element(&st, &skip, emit, ctx);
            break;
        case XML_READER_TYPE_END_ELEMENT:
            if (st.depth > 0) {
                int state = st.stack[--st.depth];
                rc = rpm_leave(&st, state, emit, ctx);
            }
            break;
        case XML_READER_TYPE_TEXT:
        case XML_READER_TYPE_CDATA:
        case XML_READER_TYPE_WHITESPACE:
        case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
            if (st.text_field != F_NONE) {
                const char *v = (const char *)xmlTextReaderConstValue(st.xr);
                if (v && pkg_text_add(&st, v, strlen(v)) != 0)
                    rc = RPM_OOM;
            }
            break;
        case XML_READER_TYPE_DOCUMENT_TYPE:
            snprintf(st.xml_err, sizeof st.xml_err,
                     "DOCTYPE not allowed in primary.xml (entities are never expanded)");
            st.xml_err_line = xmlTextReaderGetParserLineNumber(st.xr);
            rc = RPM_BAD;
            break;
        default:
            break; /* comments, processing instructions */
        }
        if (rc != 0)
            break;
        ret = skip ? xmlTextReaderNext(st.xr) : xmlTextReaderRead(st.xr);
    }

    if (rc == RPM_OK && ret < 0) {
        rpm_set_error(&st, err, errlen);
        rc = RPM_FAIL;
    } else if (rc == RPM_OK && st.depth != 0) {
        snprintf(err, errlen, "rpm-md: truncated primary.xml (unclosed elements at end)");
        rc = RPM_FAIL;
    } else if (rc == RPM_OK && st.mode == 0 && st.groups.n > 0) {
        rc = rpm_emit_groups(&st, emit, ctx);
    }
    if (rc == RPM_OOM) {
        snprintf(err, errlen, "rpm-md: out of memory");
        rc = -1;
    } else if (rc == RPM_BAD) {
        snprintf(err, errlen, "rpm-md: line %d: %s", st.xml_err_line, st.xml_err);
        rc = -1;
    } else if (rc == RPM_STOP) {
        rc = st.emit_rc; /* err untouched: the consumer stopped the parse */
    } else if (rc == RPM_FAIL) {
        rc = -1;
    }
    stats->records = st.records;
    stats->skipped = st.skipped;
    xmlFreeTextReader(st.xr);
    free(st.pkg.p);
    free(st.scratch.p);
    nameset_free(&st.prov);
    groups_free(&st.groups);
    return rc;
}
