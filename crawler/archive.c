/*
 * archive.c — tar members through libarchive, and the by-source-name
 * grouping shared by the archive-based index parsers (see archive.h).
 *
 * pf_archive feeds libarchive from a pf_reader through archive_read_open
 * callbacks, in PF_AR_BLOCK-sized blocks, so an index is never slurped.
 * Filters: none, gzip, bzip2, xz, lzma and zstd are enabled one by one
 * rather than with archive_read_support_filter_all, because "all" also
 * registers bidders that run external programs (lrzip, lzop, grzip, ...)
 * on the input, which an untrusted download must never trigger. Formats:
 * tar only (ustar, pax, GNU) — every index we read is a tar — reading
 * across concatenated tars (see pf_archive_open).
 *
 * Invariant: `member` is the first field of struct pf_archive, so the
 * member reader's pf_reader pointer is the archive itself.
 */
#include "pkgfresh/archive.h"

#include <archive.h>
#include <archive_entry.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PF_AR_BLOCK (128u * 1024u)

struct pf_archive {
    pf_reader member; /* reader over the current member; must stay first */
    struct archive *ar;
    pf_reader *in;        /* not owned */
    unsigned char *block; /* input block lent to libarchive (PF_AR_BLOCK bytes) */
    uint64_t data_total;  /* member bytes handed out so far */
    uint64_t data_limit;  /* cap on data_total, 0 = none */
    long skipped;
    int in_member; /* a member header was read and its data may be read */
    int failed;
    char in_err[256]; /* the input reader's error: it explains what libarchive then reports */
    char err[256];
};

/* Record an error (first one wins) and return -1. */
static int ar_fail(pf_archive *a, const char *fmt, ...)
{
    if (!a->failed) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(a->err, sizeof a->err, fmt, ap);
        va_end(ap);
        a->failed = 1;
    }
    return -1;
}

/*
 * The cause of the last failure, never NULL: the input's own error when
 * reading failed (libarchive's filters replace it with "truncated gzip
 * input" and the like), else libarchive's message.
 */
static const char *ar_msg(pf_archive *a)
{
    if (a->in_err[0])
        return a->in_err;
    const char *m = archive_error_string(a->ar);
    return m && *m ? m : "archive error";
}

/* libarchive read callback: one block from the underlying pf_reader. */
static la_ssize_t ar_read_cb(struct archive *ar, void *client, const void **out)
{
    pf_archive *a = client;
    ssize_t got = a->in->read(a->in, a->block, PF_AR_BLOCK);
    if (got < 0) {
        snprintf(a->in_err, sizeof a->in_err, "%s", a->in->err[0] ? a->in->err : "read error");
        archive_set_error(ar, EIO, "%s", a->in_err);
        return -1;
    }
    *out = a->block;
    return got;
}

/* pf_reader.read of the member reader. */
static ssize_t member_read(pf_reader *r, void *buf, size_t n)
{
    pf_archive *a = (pf_archive *)r; /* member is the first field */
    ssize_t got = pf_archive_read(a, buf, n);
    if (got < 0)
        snprintf(r->err, sizeof r->err, "%s", a->err);
    else
        r->nread += (uint64_t)got;
    return got;
}

/* pf_reader.close of the member reader: the archive owns it, nothing to do. */
static void member_close(pf_reader *r)
{
    (void)r;
}

/* Open a tar reader over in (see archive.h). */
pf_archive *pf_archive_open(pf_reader *in, char *err, size_t errlen)
{
    pf_archive *a = calloc(1, sizeof *a);
    if (a)
        a->block = malloc(PF_AR_BLOCK);
    if (a)
        a->ar = archive_read_new();
    if (!a || !a->block || !a->ar) {
        snprintf(err, errlen, "archive: out of memory");
        pf_archive_close(a);
        return NULL;
    }
    a->in = in;
    a->data_limit = in->limit;
    a->member.read = member_read;
    a->member.close = member_close;

    /* ARCHIVE_WARN means "via an external program": refuse to rely on it (see file comment). */
    int (*filters[])(struct archive *) = {
        archive_read_support_filter_gzip, archive_read_support_filter_bzip2,
        archive_read_support_filter_xz,   archive_read_support_filter_lzma,
        archive_read_support_filter_zstd,
    };
    int rc = ARCHIVE_OK;
    for (size_t i = 0; i < sizeof filters / sizeof filters[0] && rc == ARCHIVE_OK; i++)
        rc = filters[i](a->ar);
    if (rc == ARCHIVE_OK)
        rc = archive_read_support_format_tar(a->ar);
    /*
     * Go on past an end-of-archive marker: APKINDEX.tar.gz is a signature
     * tar followed by the index tar, and a signer that did not cut the
     * first one's end blocks must not hide the index.
     */
    if (rc == ARCHIVE_OK)
        rc = archive_read_set_format_option(a->ar, "tar", "read_concatenated_archives", "1");
    if (rc != ARCHIVE_OK) {
        snprintf(err, errlen, "archive: cannot set up libarchive: %s", ar_msg(a));
        pf_archive_close(a);
        return NULL;
    }
    if (archive_read_open(a->ar, a, NULL, ar_read_cb, NULL) != ARCHIVE_OK) {
        snprintf(err, errlen, "archive: %s", ar_msg(a));
        pf_archive_close(a);
        return NULL;
    }
    return a;
}

/* A member path we accept: relative, non-empty, no ".." component. */
static int ar_path_safe(const char *p)
{
    if (!p || !*p || *p == '/')
        return 0;
    for (const char *c = p; *c;) {
        const char *slash = strchr(c, '/');
        size_t n = slash ? (size_t)(slash - c) : strlen(c);
        if (n == 2 && c[0] == '.' && c[1] == '.')
            return 0;
        if (!slash)
            break;
        c = slash + 1;
    }
    return 1;
}

/* Next regular, safely named member (see archive.h). */
int pf_archive_next(pf_archive *a, const char **path, int64_t *size)
{
    if (a->failed)
        return -1;
    a->in_member = 0;
    int retries = 0;
    for (;;) {
        struct archive_entry *e;
        int rc = archive_read_next_header(a->ar, &e);
        if (rc == ARCHIVE_EOF)
            return 0;
        if (rc == ARCHIVE_RETRY && ++retries <= 8)
            continue;
        if (rc < ARCHIVE_WARN || rc == ARCHIVE_RETRY)
            return ar_fail(a, "archive: %s", ar_msg(a));
        /* Only plain files; a hardlink entry is a regular file that names another path. */
        if (archive_entry_filetype(e) != AE_IFREG || archive_entry_hardlink(e) ||
            archive_entry_symlink(e)) {
            a->skipped++;
            continue;
        }
        const char *p = archive_entry_pathname(e);
        if (!ar_path_safe(p)) {
            a->skipped++;
            continue;
        }
        while (p[0] == '.' && p[1] == '/')
            p += 2;
        while (*p == '/') /* "./" followed by more slashes */
            p++;
        if (!*p) {
            a->skipped++;
            continue;
        }
        *path = p;
        if (size)
            *size = archive_entry_size_is_set(e) ? (int64_t)archive_entry_size(e) : -1;
        a->member.nread = 0;
        a->member.err[0] = '\0';
        a->in_member = 1;
        return 1;
    }
}

/* Read from the current member (see archive.h). */
ssize_t pf_archive_read(pf_archive *a, void *buf, size_t n)
{
    if (a->failed)
        return -1;
    if (!a->in_member || n == 0)
        return 0;
    if (n > (size_t)SSIZE_MAX)
        n = (size_t)SSIZE_MAX;
    la_ssize_t got = archive_read_data(a->ar, buf, n);
    if (got < 0)
        return ar_fail(a, "archive: %s", ar_msg(a));
    a->data_total += (uint64_t)got;
    if (a->data_limit && a->data_total > a->data_limit)
        return ar_fail(a, "archive: member data exceeds %llu bytes",
                       (unsigned long long)a->data_limit);
    return (ssize_t)got;
}

/* Read the rest of the current member into a growable buffer (see archive.h). */
int pf_archive_read_all(pf_archive *a, char **buf, size_t *len, size_t *cap, size_t max)
{
    *len = 0;
    for (;;) {
        if (*cap - *len < 4096 + 1) {
            size_t ncap = *cap ? *cap * 2 : 16384;
            char *nb = realloc(*buf, ncap);
            if (!nb)
                return ar_fail(a, "archive: out of memory");
            *buf = nb;
            *cap = ncap;
        }
        ssize_t got = pf_archive_read(a, *buf + *len, *cap - *len - 1);
        if (got < 0)
            return -1;
        if (got == 0)
            break;
        *len += (size_t)got;
        if (*len > max)
            return ar_fail(a, "archive: member is larger than %zu bytes", max);
    }
    (*buf)[*len] = '\0';
    return 0;
}

/* The member reader (see archive.h). */
pf_reader *pf_archive_member(pf_archive *a)
{
    return &a->member;
}

/* Last error message. */
const char *pf_archive_error(const pf_archive *a)
{
    return a->err;
}

/* Members skipped as unsafe or not regular files. */
long pf_archive_skipped(const pf_archive *a)
{
    return a->skipped;
}

/* Free the libarchive handle and the block buffer. */
void pf_archive_close(pf_archive *a)
{
    if (!a)
        return;
    if (a->ar)
        archive_read_free(a->ar);
    free(a->block);
    free(a);
}

/* ---------------------------------------------------------------------------------------- */
/*
 * pf_srcgroup: groups live in a growable array (insertion order), found
 * through an open-addressing hash table of indices; all strings are copied
 * into an arena of large blocks, so adding a package costs no malloc of its
 * own. Invariants: nslot is a power of two and > 2 * n; slot[i] == 0 is
 * empty, otherwise the group index + 1.
 */

enum { SG_VERSION, SG_MAINT, SG_HOMEPAGE, SG_LICENSE, SG_CATEGORY, SG_SUMMARY, SG_NF };

#define SG_BLOCK (256u * 1024u)

typedef struct sg_name {
    struct sg_name *next;
    size_t len;
    char s[]; /* NUL-terminated */
} sg_name;

typedef struct sg_entry {
    const char *src;
    const char *f[SG_NF];
    unsigned flags;
    int primary; /* the descriptive fields come from the main package */
    uint32_t hash;
    sg_name *bin_head, *bin_tail;
    size_t bin_len; /* joined length of the binary names, with separators */
} sg_entry;

typedef struct sg_block {
    struct sg_block *next;
    /* data follows, aligned for pointers */
} sg_block;

struct pf_srcgroup {
    sg_entry *e;
    size_t n, cap;
    uint32_t *slot;
    size_t nslot;
    sg_block *blocks;
    char *cur; /* free space of the newest block */
    size_t left;
    char *join; /* reusable buffer for the joined binary names */
    size_t join_cap;
};

/* An empty group set. */
pf_srcgroup *pf_srcgroup_new(void)
{
    pf_srcgroup *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    g->nslot = 1024;
    g->slot = calloc(g->nslot, sizeof *g->slot);
    if (!g->slot) {
        free(g);
        return NULL;
    }
    return g;
}

/* FNV-1a over a C string. */
static uint32_t sg_hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 16777619u;
    }
    return h;
}

/* n bytes from the arena, aligned to 16; NULL on out of memory. */
static void *sg_alloc(pf_srcgroup *g, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (g->left < n) {
        size_t hdr = (sizeof(sg_block) + 15) & ~(size_t)15;
        size_t sz = n + hdr > SG_BLOCK ? n + hdr : SG_BLOCK;
        sg_block *b = malloc(sz);
        if (!b)
            return NULL;
        b->next = g->blocks;
        g->blocks = b;
        g->cur = (char *)b + hdr;
        g->left = sz - hdr;
    }
    void *p = g->cur;
    g->cur += n;
    g->left -= n;
    return p;
}

/* Copy a string into the arena; NULL stays NULL, an empty string becomes NULL. */
static int sg_strdup(pf_srcgroup *g, const char *s, const char **out)
{
    if (!s || !*s) {
        *out = NULL;
        return 0;
    }
    size_t n = strlen(s) + 1;
    char *p = sg_alloc(g, n);
    if (!p)
        return -1;
    memcpy(p, s, n);
    *out = p;
    return 0;
}

/* Double the hash table and re-insert every group. */
static int sg_grow(pf_srcgroup *g)
{
    size_t ns = g->nslot * 2;
    uint32_t *slot = calloc(ns, sizeof *slot);
    if (!slot)
        return -1;
    for (size_t i = 0; i < g->n; i++) {
        size_t k = g->e[i].hash & (ns - 1);
        while (slot[k])
            k = (k + 1) & (ns - 1);
        slot[k] = (uint32_t)(i + 1);
    }
    free(g->slot);
    g->slot = slot;
    g->nslot = ns;
    return 0;
}

/* Set the descriptive fields of e from rec: all of them (overwrite) or only the absent ones. */
static int sg_take_fields(pf_srcgroup *g, sg_entry *e, const pf_record *rec, int overwrite)
{
    const char *src[SG_NF] = {rec->version, rec->maintainers, rec->homepage,
                              rec->license, rec->category,    rec->summary};
    for (int i = 0; i < SG_NF; i++) {
        if (!src[i] || !*src[i])
            continue;
        if (e->f[i] && !overwrite)
            continue;
        if (e->f[i] && strcmp(e->f[i], src[i]) == 0)
            continue;
        if (sg_strdup(g, src[i], &e->f[i]) != 0)
            return -1;
    }
    if (overwrite)
        e->flags = rec->flags;
    return 0;
}

/* Append a binary name to e unless already present. */
static int sg_add_bin(pf_srcgroup *g, sg_entry *e, const char *bin)
{
    if (!bin || !*bin)
        return 0;
    size_t n = strlen(bin);
    for (sg_name *b = e->bin_head; b; b = b->next)
        if (b->len == n && memcmp(b->s, bin, n) == 0)
            return 0;
    sg_name *b = sg_alloc(g, sizeof *b + n + 1);
    if (!b)
        return -1;
    b->next = NULL;
    b->len = n;
    memcpy(b->s, bin, n + 1);
    if (e->bin_tail)
        e->bin_tail->next = b;
    else
        e->bin_head = b;
    e->bin_tail = b;
    e->bin_len += n + (e->bin_len ? 1 : 0);
    /* Keep the join buffer big enough for every group, so emitting cannot fail. */
    if (e->bin_len + 1 > g->join_cap) {
        size_t ncap = g->join_cap ? g->join_cap : 1024;
        while (ncap < e->bin_len + 1)
            ncap *= 2;
        char *nj = realloc(g->join, ncap);
        if (!nj)
            return -1;
        g->join = nj;
        g->join_cap = ncap;
    }
    return 0;
}

/* Add one binary package to its source group (see archive.h). */
int pf_srcgroup_add(pf_srcgroup *g, const pf_record *rec)
{
    if (!rec->srcname || !*rec->srcname)
        return 0;
    uint32_t h = sg_hash(rec->srcname);
    size_t k = h & (g->nslot - 1);
    sg_entry *e = NULL;
    while (g->slot[k]) {
        sg_entry *c = &g->e[g->slot[k] - 1];
        if (c->hash == h && strcmp(c->src, rec->srcname) == 0) {
            e = c;
            break;
        }
        k = (k + 1) & (g->nslot - 1);
    }
    int primary = rec->binnames && strcmp(rec->binnames, rec->srcname) == 0;
    if (!e) {
        if (g->n == g->cap) {
            size_t ncap = g->cap ? g->cap * 2 : 1024;
            sg_entry *ne = realloc(g->e, ncap * sizeof *ne);
            if (!ne)
                return -1;
            g->e = ne;
            g->cap = ncap;
        }
        e = &g->e[g->n];
        memset(e, 0, sizeof *e);
        e->hash = h;
        if (sg_strdup(g, rec->srcname, &e->src) != 0)
            return -1;
        g->slot[k] = (uint32_t)(g->n + 1);
        g->n++;
        e->primary = primary;
        if (sg_take_fields(g, e, rec, 1) != 0)
            return -1;
        if (sg_add_bin(g, e, rec->binnames) != 0)
            return -1;
        if (g->n * 2 >= g->nslot && sg_grow(g) != 0)
            return -1;
        return 0;
    }
    if (primary && !e->primary) {
        e->primary = 1;
        if (sg_take_fields(g, e, rec, 1) != 0)
            return -1;
    }
    if (sg_take_fields(g, e, rec, 0) != 0)
        return -1;
    return sg_add_bin(g, e, rec->binnames);
}

/* Number of groups. */
size_t pf_srcgroup_count(const pf_srcgroup *g)
{
    return g->n;
}

/* Emit one record per group in first-seen order (see archive.h). */
int pf_srcgroup_emit(pf_srcgroup *g, pf_emit_fn emit, void *ctx, long *emitted)
{
    long done = 0;
    int rc = 0;
    for (size_t i = 0; i < g->n; i++) {
        sg_entry *e = &g->e[i];
        if (!e->f[SG_VERSION])
            continue; /* callers only add versioned packages; be safe anyway */
        size_t w = 0;
        for (sg_name *b = e->bin_head; b; b = b->next) {
            if (w)
                g->join[w++] = ' ';
            memcpy(g->join + w, b->s, b->len);
            w += b->len;
        }
        if (g->join)
            g->join[w] = '\0';
        pf_record rec;
        memset(&rec, 0, sizeof rec);
        rec.srcname = e->src;
        rec.binnames = w ? g->join : NULL;
        rec.version = e->f[SG_VERSION];
        rec.maintainers = e->f[SG_MAINT];
        rec.homepage = e->f[SG_HOMEPAGE];
        rec.license = e->f[SG_LICENSE];
        rec.category = e->f[SG_CATEGORY];
        rec.summary = e->f[SG_SUMMARY];
        rec.flags = e->flags;
        rc = emit(ctx, &rec);
        if (rc != 0)
            break;
        done++;
    }
    if (emitted)
        *emitted = done;
    return rc;
}

/* Free the groups, the table, the arena and the join buffer. */
void pf_srcgroup_free(pf_srcgroup *g)
{
    if (!g)
        return;
    while (g->blocks) {
        sg_block *b = g->blocks;
        g->blocks = b->next;
        free(b);
    }
    free(g->e);
    free(g->slot);
    free(g->join);
    free(g);
}

/* ---------------------------------------------------------------------------------------- */

/* Lower-cased e-mail of one "Name <email>" or bare-address value (see archive.h). */
size_t pf_extract_email(const char *s, size_t n, char *out, size_t outlen)
{
    if (outlen == 0)
        return 0;
    out[0] = '\0';
    const char *a = NULL;
    size_t an = 0;
    const char *lt = memchr(s, '<', n);
    if (lt) {
        const char *gt = memchr(lt, '>', n - (size_t)(lt - s));
        if (gt) {
            a = lt + 1;
            an = (size_t)(gt - a);
        }
    } else {
        /* A bare address: the whitespace-separated word holding an '@'. */
        size_t k = 0;
        while (k < n) {
            while (k < n && isspace((unsigned char)s[k]))
                k++;
            size_t w = k;
            while (k < n && !isspace((unsigned char)s[k]))
                k++;
            if (k > w && memchr(s + w, '@', k - w)) {
                a = s + w;
                an = k - w;
                break;
            }
        }
    }
    while (a && an > 0 && isspace((unsigned char)*a)) {
        a++;
        an--;
    }
    while (a && an > 0 && isspace((unsigned char)a[an - 1]))
        an--;
    if (!a || an == 0 || an >= outlen || !memchr(a, '@', an))
        return 0;
    for (size_t i = 0; i < an; i++) {
        unsigned char c = (unsigned char)a[i];
        if (c <= ' ' || c == '<' || c == '>' || c == ',' || c == '"') {
            out[0] = '\0';
            return 0; /* not an address */
        }
        out[i] = (char)tolower(c);
    }
    out[an] = '\0';
    return an;
}
