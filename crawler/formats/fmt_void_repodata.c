/*
 * fmt_void_repodata.c — Void Linux repodata parser (<arch>-repodata).
 *
 * The repodata file is a tar (zstd or gzip compressed) written by xbps; its
 * member "index.plist" is an XML property list: a top-level <dict> whose
 * keys are binary package names and whose values are <dict>s of package
 * properties. Members such as "index-meta.plist" (signing key) are skipped.
 * Fields used (repology-model.md §3): source-revisions before ':' ->
 * srcname (fallback the package name), pkgver minus "<name>-" -> raw
 * version (the "_revision" is kept: pf_normalize_void cuts it), short_desc
 * -> summary, homepage, license (verbatim, already comma-separated),
 * maintainer (e-mail only, lower-cased).
 *
 * XML: libxml2's streaming xmlTextReader over the member's data
 * (xmlReaderForIO), with XML_PARSE_NONET, no DTD loading and no entity
 * substitution (entity references are dropped, not expanded). An explicit
 * state table (enum void_st) follows the plist structure; values we do not
 * use (integers, arrays, nested dicts like "alternatives", <true/>) are
 * skipped by depth. Text is copied only for the kept keys, into one buffer
 * reused for every package.
 *
 * Subpackages (xbps-devel next to xbps) share source-revisions and are not
 * adjacent (the dict is sorted by name), so records are collected in a
 * pf_srcgroup — one per source name — and emitted after the whole plist.
 * A package without a usable pkgver is skipped and counted.
 */
#include <libxml/xmlreader.h>
#include <libxml/xmlversion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkgfresh/archive.h"
#include "pkgfresh/format.h"
#include "pkgfresh/grow.h"

#define VOID_MAX_PKG ((size_t)16 << 20) /* text kept for one package */

/* Where we are in the plist. */
enum void_st {
    S_DOC,     /* before <plist> */
    S_PLIST,   /* inside <plist>, expecting the index <dict> */
    S_INDEX,   /* inside the index dict: <key>pkgname</key> or its end */
    S_PKGKEY,  /* collecting the text of a package-name <key> */
    S_PKGVAL,  /* expecting the value of a package: a <dict> */
    S_PKG,     /* inside a package dict: <key> or its end */
    S_PROPKEY, /* collecting the text of a property <key> */
    S_PROPVAL, /* expecting the value of a property */
    S_STRING,  /* collecting the text of a kept <string> */
    S_SKIP,    /* skipping an element we do not use, back to skip_ret at skip_depth */
    S_DONE     /* after the index dict: the rest is ignored */
};

/* The package properties we keep; F_NAME is the package key itself. */
enum void_field { F_NAME, F_PKGVER, F_SRCREV, F_DESC, F_HOMEPAGE, F_LICENSE, F_MAINT, F_COUNT };

/*
 * Parser state. Invariants: buf[0..len) holds the kept text of the current
 * package, each value NUL-terminated; field i, when has[i], starts at
 * off[i]; while collecting (S_PKGKEY, S_STRING) the value being collected
 * is the last one in buf, starting at off[cur]. key[] holds the property
 * key being read (longer keys are truncated: none we keep is long).
 */
typedef struct void_state {
    enum void_st st;
    enum void_st skip_ret;
    int skip_depth;
    int cur; /* field being collected, or -1 for a property key, or -2 to drop */
    char *buf;
    size_t len, cap;
    size_t off[F_COUNT];
    int has[F_COUNT];
    char key[64];
    size_t key_len;
    int key_overflow;
    char *maint; /* scratch for the extracted maintainer address */
    size_t maint_cap;
    pf_srcgroup *g;
    pf_parse_stats *stats;
    pf_reader *in;     /* the index.plist member */
    char in_err[256];  /* the member reader's error, when reading failed */
    char xml_err[256]; /* the first libxml2 error */
    int oom;
} void_state;

/* xmlReaderForIO read callback: bytes from the member, -1 on error. */
static int void_io_read(void *ctx, char *buf, int len)
{
    void_state *s = ctx;
    ssize_t got = s->in->read(s->in, buf, (size_t)len);
    if (got < 0) {
        snprintf(s->in_err, sizeof s->in_err, "%s", s->in->err[0] ? s->in->err : "read error");
        return -1;
    }
    return (int)got;
}

/* libxml2 structured error handler: keep the first error, silence the rest. */
#if LIBXML_VERSION >= 21200
static void void_xml_error(void *ctx, const xmlError *e)
#else
static void void_xml_error(void *ctx, xmlErrorPtr e)
#endif
{
    void_state *s = ctx;
    if (!e || e->level < XML_ERR_ERROR || s->xml_err[0])
        return;
    snprintf(s->xml_err, sizeof s->xml_err, "line %d: %s", e->line,
             e->message ? e->message : "XML error");
    size_t n = strlen(s->xml_err);
    while (n > 0 && (s->xml_err[n - 1] == '\n' || s->xml_err[n - 1] == ' '))
        s->xml_err[--n] = '\0';
    for (size_t i = 0; i < n; i++) /* libxml2 messages may span lines: errors are one line */
        if (s->xml_err[i] == '\n' || s->xml_err[i] == '\r' || s->xml_err[i] == '\t')
            s->xml_err[i] = ' ';
}

/* Make room for `extra` more bytes in buf. 0 ok, -1 too big or out of memory. */
static int void_reserve(void_state *s, size_t extra)
{
    if (s->cap - s->len >= extra)
        return 0;
    if (s->len + extra > VOID_MAX_PKG)
        return -1;
    if (pf_grow(&s->buf, &s->cap, s->len, extra) != 0) {
        s->oom = 1;
        return -1;
    }
    return 0;
}

/* Start collecting field f as a new, empty value at the end of buf. */
static int void_begin(void_state *s, int f)
{
    if (void_reserve(s, 1) != 0)
        return -1;
    s->off[f] = s->len;
    s->has[f] = 1;
    s->buf[s->len++] = '\0';
    s->cur = f;
    return 0;
}

/* Append text to the value being collected (s->cur). 0 ok, -1 too big/out of memory. */
static int void_text(void_state *s, const char *t)
{
    size_t n = strlen(t);
    if (s->cur == -1) {
        /* A property key: only short keys matter. */
        if (s->key_len + n >= sizeof s->key) {
            s->key_overflow = 1;
            return 0;
        }
        memcpy(s->key + s->key_len, t, n + 1);
        s->key_len += n;
        return 0;
    }
    if (s->cur < 0)
        return 0;
    if (void_reserve(s, n) != 0)
        return -1;
    memcpy(s->buf + s->len - 1, t, n + 1); /* over the NUL, which moves to the end */
    s->len += n;
    return 0;
}

/* The kept field a property key names, or -2 to drop the value. */
static int void_prop_field(const void_state *s)
{
    static const struct {
        const char *key;
        int field;
    } map[] = {
        {"pkgver", F_PKGVER},     {"source-revisions", F_SRCREV}, {"short_desc", F_DESC},
        {"homepage", F_HOMEPAGE}, {"license", F_LICENSE},         {"maintainer", F_MAINT},
    };
    if (s->key_overflow)
        return -2;
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(map[i].key, s->key) == 0)
            return map[i].field;
    return -2;
}

/* Field f as a C string, NULL when absent or empty. */
static const char *void_get(const void_state *s, int f)
{
    if (!s->has[f] || s->buf[s->off[f]] == '\0')
        return NULL;
    return s->buf + s->off[f];
}

/* Forget the current package (buffers are kept). */
static void void_reset_pkg(void_state *s)
{
    s->len = 0;
    memset(s->has, 0, sizeof s->has);
    s->cur = -2;
}

/* A package dict ended: turn it into a record for the group set. 0 ok, -1 out of memory. */
static int void_finish_pkg(void_state *s)
{
    const char *name = void_get(s, F_NAME);
    const char *pkgver = void_get(s, F_PKGVER);
    const char *version = NULL;
    if (name && pkgver) {
        size_t nl = strlen(name);
        if (strncmp(pkgver, name, nl) == 0 && pkgver[nl] == '-') {
            version = pkgver + nl + 1;
        } else {
            /* pkgver names another package: take what follows its last '-'. */
            const char *dash = strrchr(pkgver, '-');
            version = dash ? dash + 1 : NULL;
        }
    }
    if (!name || !version || !*version) {
        s->stats->skipped++;
        void_reset_pkg(s);
        return 0;
    }
    /* source-revisions "srcname:hash": cut at ':' in place. */
    char *src = s->has[F_SRCREV] ? s->buf + s->off[F_SRCREV] : NULL;
    if (src) {
        char *colon = strchr(src, ':');
        if (colon)
            *colon = '\0';
        if (!*src)
            src = NULL;
    }
    const char *maint = NULL;
    const char *m = void_get(s, F_MAINT);
    if (m) {
        size_t n = strlen(m);
        if (n + 1 > s->maint_cap) {
            char *nm = realloc(s->maint, n + 1);
            if (!nm) {
                s->oom = 1;
                return -1;
            }
            s->maint = nm;
            s->maint_cap = n + 1;
        }
        if (pf_extract_email(m, n, s->maint, s->maint_cap) > 0)
            maint = s->maint;
    }
    pf_record rec;
    memset(&rec, 0, sizeof rec);
    rec.srcname = src ? src : name;
    rec.binnames = name;
    rec.version = version;
    rec.summary = void_get(s, F_DESC);
    rec.homepage = void_get(s, F_HOMEPAGE);
    rec.license = void_get(s, F_LICENSE);
    rec.maintainers = maint;
    int rc = pf_srcgroup_add(s->g, &rec);
    void_reset_pkg(s);
    if (rc != 0)
        s->oom = 1;
    return rc;
}

/* Enter skipping of the element just opened (unless it is empty), then return to ret. */
static void void_skip(void_state *s, int depth, int empty, enum void_st ret)
{
    if (empty) {
        s->st = ret;
        return;
    }
    s->skip_depth = depth;
    s->skip_ret = ret;
    s->st = S_SKIP;
}

/*
 * One element start. Returns 0, or -1 with xml_err set on a structure we
 * cannot read (the index is not a plist dict) or a too-large value.
 */
static int void_on_start(void_state *s, const char *name, int depth, int empty)
{
    switch (s->st) {
    case S_DOC:
        if (strcmp(name, "plist") != 0) {
            snprintf(s->xml_err, sizeof s->xml_err, "root element is <%s>, not <plist>", name);
            return -1;
        }
        s->st = empty ? S_DONE : S_PLIST;
        return 0;
    case S_PLIST:
        if (strcmp(name, "dict") != 0) {
            snprintf(s->xml_err, sizeof s->xml_err, "plist holds <%s>, not <dict>", name);
            return -1;
        }
        s->st = empty ? S_DONE : S_INDEX;
        return 0;
    case S_INDEX:
        if (strcmp(name, "key") == 0) {
            void_reset_pkg(s);
            if (void_begin(s, F_NAME) != 0)
                return -1;
            s->st = empty ? S_PKGVAL : S_PKGKEY;
        } else {
            void_skip(s, depth, empty, S_INDEX); /* stray value: ignored */
        }
        return 0;
    case S_PKGVAL:
        s->cur = -2;
        if (strcmp(name, "dict") != 0) {
            s->stats->skipped++; /* a package that is not a dict */
            void_skip(s, depth, empty, S_INDEX);
            return 0;
        }
        s->st = empty ? S_INDEX : S_PKG;
        return empty ? void_finish_pkg(s) : 0;
    case S_PKG:
        if (strcmp(name, "key") == 0) {
            s->key_len = 0;
            s->key[0] = '\0';
            s->key_overflow = 0;
            s->cur = -1;
            s->st = empty ? S_PROPVAL : S_PROPKEY;
        } else {
            void_skip(s, depth, empty, S_PKG);
        }
        return 0;
    case S_PROPVAL: {
        int f = void_prop_field(s);
        if (f >= 0 && strcmp(name, "string") == 0) {
            if (void_begin(s, f) != 0)
                return -1;
            s->st = empty ? S_PKG : S_STRING;
            if (empty)
                s->cur = -2; /* <string/>: an empty value, already complete */
        } else {
            void_skip(s, depth, empty, S_PKG);
        }
        return 0;
    }
    case S_PKGKEY:
    case S_PROPKEY:
    case S_STRING:
        /* Markup inside text: skip the element, keep collecting. */
        void_skip(s, depth, empty, s->st);
        return 0;
    case S_SKIP:
    case S_DONE:
        return 0;
    }
    return 0;
}

/* One element end. Returns 0, or -1 on out of memory. */
static int void_on_end(void_state *s, int depth)
{
    switch (s->st) {
    case S_SKIP:
        if (depth == s->skip_depth)
            s->st = s->skip_ret;
        return 0;
    case S_PKGKEY:
        s->cur = -2;
        s->st = S_PKGVAL;
        return 0;
    case S_PROPKEY:
        s->cur = -2;
        s->st = S_PROPVAL;
        return 0;
    case S_STRING:
        s->cur = -2;
        s->st = S_PKG;
        return 0;
    case S_PKG: /* the package dict closed */
        s->st = S_INDEX;
        return void_finish_pkg(s);
    case S_INDEX: /* the index dict closed */
        s->st = S_DONE;
        return 0;
    default:
        return 0;
    }
}

/* Parse index.plist from the member reader into s->g. 0 ok, -1 with err set. */
static int void_parse_plist(void_state *s, char *err, size_t errlen)
{
    /* No XML_PARSE_NOENT / DTDLOAD / DTDATTR: no entity expansion, no external fetches. */
    xmlTextReaderPtr xr = xmlReaderForIO(void_io_read, NULL, s, "index.plist", NULL,
                                         XML_PARSE_NONET | XML_PARSE_COMPACT | XML_PARSE_NOBLANKS);
    if (!xr) {
        snprintf(err, errlen, "void-repodata: cannot create XML reader");
        return -1;
    }
    xmlTextReaderSetStructuredErrorHandler(xr, void_xml_error, s);
    int rc = 0;
    for (;;) {
        int got = xmlTextReaderRead(xr);
        if (got == 0)
            break;
        if (got < 0) {
            rc = -1;
            break;
        }
        int type = xmlTextReaderNodeType(xr);
        int depth = xmlTextReaderDepth(xr);
        if (type == XML_READER_TYPE_ELEMENT) {
            const char *name = (const char *)xmlTextReaderConstLocalName(xr);
            int empty = xmlTextReaderIsEmptyElement(xr) == 1;
            if (void_on_start(s, name ? name : "", depth, empty) != 0) {
                rc = -1;
                break;
            }
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            if (void_on_end(s, depth) != 0) {
                rc = -1;
                break;
            }
        } else if ((type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
                    type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
                    type == XML_READER_TYPE_WHITESPACE) &&
                   (s->st == S_PKGKEY || s->st == S_PROPKEY || s->st == S_STRING)) {
            const char *t = (const char *)xmlTextReaderConstValue(xr);
            if (t && void_text(s, t) != 0) {
                if (!s->oom)
                    snprintf(s->xml_err, sizeof s->xml_err,
                             "a package holds more than %zu MB of text", VOID_MAX_PKG >> 20);
                rc = -1;
                break;
            }
        }
    }
    if (rc == 0 && s->st != S_DONE) {
        snprintf(s->xml_err, sizeof s->xml_err, "document ends inside the index");
        rc = -1;
    }
    if (rc != 0) {
        if (s->oom)
            snprintf(err, errlen, "void-repodata: out of memory");
        else if (s->in_err[0])
            snprintf(err, errlen, "void-repodata: index.plist: %s", s->in_err);
        else
            snprintf(err, errlen, "void-repodata: index.plist: %s",
                     s->xml_err[0] ? s->xml_err : "malformed XML");
    }
    xmlFreeTextReader(xr);
    return rc;
}

/* Parse a whole repodata archive, emitting one record per source name (see file comment). */
int pf_parse_void_repodata(pf_reader *in, const char *variant, pf_emit_fn emit, void *ctx,
                           pf_parse_stats *stats, char *err, size_t errlen)
{
    (void)variant;
    stats->records = stats->skipped = 0;

    char why[256];
    pf_archive *ar = pf_archive_open(in, why, sizeof why);
    if (!ar) {
        snprintf(err, errlen, "void-repodata: %s", why);
        return -1;
    }
    void_state s;
    memset(&s, 0, sizeof s);
    s.g = pf_srcgroup_new();
    s.stats = stats;
    s.cur = -2;
    int rc = 0, found = 0;
    if (!s.g) {
        snprintf(err, errlen, "void-repodata: out of memory");
        rc = -1;
    }
    while (rc == 0) {
        const char *path;
        int got = pf_archive_next(ar, &path, NULL);
        if (got < 0) {
            snprintf(err, errlen, "void-repodata: %s", pf_archive_error(ar));
            rc = -1;
            break;
        }
        if (got == 0)
            break;
        if (found || strcmp(path, "index.plist") != 0)
            continue; /* index-meta.plist, a second copy */
        found = 1;
        s.in = pf_archive_member(ar);
        rc = void_parse_plist(&s, err, errlen);
    }
    if (rc == 0 && !found) {
        snprintf(err, errlen, "void-repodata: no index.plist member in the archive");
        rc = -1;
    }
    if (rc == 0)
        rc = pf_srcgroup_emit(s.g, emit, ctx, &stats->records);
    free(s.buf);
    free(s.maint);
    pf_srcgroup_free(s.g);
    pf_archive_close(ar);
    return rc;
}
