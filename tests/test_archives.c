/*
 * test_archives.c — the tar-based index parsers: Arch .db
 * (crawler/formats/fmt_arch_db.c), Alpine APKINDEX.tar.gz (crawler/formats/fmt_apkindex.c),
 * Void repodata (crawler/formats/fmt_void_repodata.c), the libarchive helper and
 * source grouping they share (crawler/archive.c), and Void version
 * normalization (analyzer/normalize_void.c).
 *
 * Archives are built here with libarchive's writer from the text fixtures
 * in tests/fixtures/archives/ (Arch desc files, an APKINDEX, a Void
 * index.plist), in the exact layouts the distributions ship: a gzip/zstd tar
 * of <pkg>-<ver>/desc, the two concatenated gzip members of APKINDEX.tar.gz
 * (a signature tar cut before its end blocks, then DESCRIPTION + APKINDEX),
 * and a zstd tar holding index.plist. Each is parsed twice: the way the
 * crawler hands it over (outer compression already decoded by pf_reader)
 * and raw, so libarchive's own filters decode it.
 *
 * Real data: the zlib desc of repology-updater's testdata, and (for scale
 * and speed) an APKINDEX and an index.plist generated from the Alpine and
 * Void name/version snapshots; those tests skip when ../shared is absent.
 * repology-rs-fixtures has no Arch, Alpine or Void parser snapshot, so
 * there is nothing there to compare with.
 */
#include "testutil.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "pkgfresh/grow.h"
#include "pkgfresh/archive.h"
#include "pkgfresh/format.h"
#include "pkgfresh/normalize.h"
#include "pkgfresh/reader.h"
#include "reccollect.h"

/* ---------------------------------------------------------------------------------------- */
/* Growable memory buffer. */

typedef struct membuf {
    unsigned char *p;
    size_t len, cap;
} membuf;

/* Append n bytes. */
static void mb_put(membuf *b, const void *s, size_t n)
{
    char *bp = (char *)b->p;
    assert_int_equal(pf_grow(&bp, &b->cap, b->len, n + 1), 0);
    b->p = (unsigned char *)bp;
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
}

/* Append a C string. */
static void mb_puts(membuf *b, const char *s)
{
    mb_put(b, s, strlen(s));
}

/* Append formatted text. */
static void mb_printf(membuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void mb_printf(membuf *b, const char *fmt, ...)
{
    char tmp[8192];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    assert_true(n >= 0 && (size_t)n < sizeof tmp);
    mb_put(b, tmp, (size_t)n);
}

/* Append s with the XML special characters escaped. */
static void mb_xml(membuf *b, const char *s)
{
    for (; *s; s++) {
        if (*s == '&')
            mb_puts(b, "&amp;");
        else if (*s == '<')
            mb_puts(b, "&lt;");
        else if (*s == '>')
            mb_puts(b, "&gt;");
        else
            mb_put(b, s, 1);
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Writing tar archives with libarchive. */

enum { T_FILE, T_DIR, T_SYMLINK, T_HARDLINK };

typedef struct tar_ent {
    const char *path;
    const void *data; /* T_FILE */
    size_t len;
    int type;
    const char *link; /* T_SYMLINK / T_HARDLINK target */
} tar_ent;

/* libarchive write callback: append to the membuf. */
static la_ssize_t tar_write_cb(struct archive *a, void *client, const void *buf, size_t n)
{
    (void)a;
    mb_put(client, buf, n);
    return (la_ssize_t)n;
}

/*
 * Write entries as a pax tar with the given libarchive filter
 * (ARCHIVE_FILTER_NONE/GZIP/ZSTD/XZ), appended to out. block0: no blocking,
 * so the archive ends right after its two zero end blocks.
 */
static void build_tar(const tar_ent *ents, size_t n, int filter, int block0, membuf *out)
{
    struct archive *a = archive_write_new();
    assert_non_null(a);
    assert_int_equal(archive_write_set_format_pax_restricted(a), ARCHIVE_OK);
    if (filter != ARCHIVE_FILTER_NONE)
        assert_int_equal(archive_write_add_filter(a, filter), ARCHIVE_OK);
    if (block0)
        assert_int_equal(archive_write_set_bytes_per_block(a, 0), ARCHIVE_OK);
    /* No zero padding after the compressed data (zstd readers reject it, as xbps never writes it).
     */
    assert_int_equal(archive_write_set_bytes_in_last_block(a, 1), ARCHIVE_OK);
    assert_int_equal(archive_write_open(a, out, NULL, tar_write_cb, NULL), ARCHIVE_OK);
    for (size_t i = 0; i < n; i++) {
        struct archive_entry *e = archive_entry_new();
        archive_entry_set_pathname(e, ents[i].path);
        archive_entry_set_mtime(e, 1755861905, 0);
        archive_entry_set_uname(e, "root");
        archive_entry_set_gname(e, "root");
        switch (ents[i].type) {
        case T_FILE:
            archive_entry_set_filetype(e, AE_IFREG);
            archive_entry_set_perm(e, 0644);
            archive_entry_set_size(e, (la_int64_t)ents[i].len);
            break;
        case T_DIR:
            archive_entry_set_filetype(e, AE_IFDIR);
            archive_entry_set_perm(e, 0755);
            break;
        case T_SYMLINK:
            archive_entry_set_filetype(e, AE_IFLNK);
            archive_entry_set_perm(e, 0777);
            archive_entry_set_symlink(e, ents[i].link);
            break;
        case T_HARDLINK:
            archive_entry_set_filetype(e, AE_IFREG);
            archive_entry_set_perm(e, 0644);
            archive_entry_set_hardlink(e, ents[i].link);
            archive_entry_set_size(e, 0);
            break;
        }
        assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
        if (ents[i].type == T_FILE && ents[i].len > 0)
            assert_int_equal(archive_write_data(a, ents[i].data, ents[i].len),
                             (la_ssize_t)ents[i].len);
        archive_entry_free(e);
    }
    assert_int_equal(archive_write_close(a), ARCHIVE_OK);
    archive_write_free(a);
}

/* gzip-compress in[0..n) as one gzip member appended to out. */
static void gzip_append(const void *in, size_t n, membuf *out)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
    size_t bound = deflateBound(&z, (uLong)n);
    unsigned char *tmp = malloc(bound);
    assert_non_null(tmp);
    z.next_in = (Bytef *)in;
    z.avail_in = (uInt)n;
    z.next_out = tmp;
    z.avail_out = (uInt)bound;
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    mb_put(out, tmp, bound - z.avail_out);
    deflateEnd(&z);
    free(tmp);
}

/*
 * APKINDEX.tar.gz exactly as abuild-sign makes it: gzip(signature tar
 * without its end-of-archive blocks) followed by gzip(tar of DESCRIPTION and
 * APKINDEX).
 */
static void build_apkindex_targz_cut(const char *desc, const void *index, size_t ilen, int cut,
                                     membuf *out)
{
    static const unsigned char sig[256] = {0x30, 0x82, 0x01, 0x0a, 0x02, 0x82, 0x01, 0x01};
    tar_ent s = {".SIGN.RSA.alpine-devel@lists.alpinelinux.org-6165ee59.rsa.pub", sig, sizeof sig,
                 T_FILE, NULL};
    membuf st = {0};
    build_tar(&s, 1, ARCHIVE_FILTER_NONE, 1, &st);
    /* abuild-tar --cut: drop the two 512-byte zero blocks that end a tar. */
    assert_true(st.len > 1024);
    for (size_t i = st.len - 1024; i < st.len; i++)
        assert_int_equal(st.p[i], 0);
    gzip_append(st.p, cut ? st.len - 1024 : st.len, out);
    free(st.p);

    tar_ent ents[] = {
        {"DESCRIPTION", desc, strlen(desc), T_FILE, NULL},
        {"APKINDEX", index, ilen, T_FILE, NULL},
    };
    membuf it = {0};
    build_tar(ents, 2, ARCHIVE_FILTER_NONE, 0, &it);
    gzip_append(it.p, it.len, out);
    free(it.p);
}

/* The real layout (signature tar cut). */
static void build_apkindex_targz(const char *desc, const void *index, size_t ilen, membuf *out)
{
    build_apkindex_targz_cut(desc, index, ilen, 1, out);
}

/* ---------------------------------------------------------------------------------------- */
/* A raw reader: hands out bytes undecoded, in odd-sized pieces, optionally failing. */

typedef struct raw_reader {
    pf_reader base; /* first */
    const unsigned char *p;
    size_t len, pos;
    size_t fail_at; /* fail once pos reaches this (0 = never) */
} raw_reader;

/* pf_reader.read: at most 777 bytes per call, so blocks never line up with tar records. */
static ssize_t raw_read(pf_reader *r, void *buf, size_t n)
{
    raw_reader *rr = (raw_reader *)r;
    if (rr->fail_at && rr->pos >= rr->fail_at) {
        snprintf(r->err, sizeof r->err, "disk on fire");
        return -1;
    }
    size_t left = rr->len - rr->pos;
    if (n > left)
        n = left;
    if (n > 777)
        n = 777;
    memcpy(buf, rr->p + rr->pos, n);
    rr->pos += n;
    r->nread += n;
    return (ssize_t)n;
}

/* pf_reader.close: nothing owned. */
static void raw_close(pf_reader *r)
{
    (void)r;
}

/* A raw reader over buf (not copied). */
static raw_reader raw_open(const void *buf, size_t len)
{
    raw_reader rr;
    memset(&rr, 0, sizeof rr);
    rr.base.read = raw_read;
    rr.base.close = raw_close;
    rr.p = buf;
    rr.len = len;
    return rr;
}

/* ---------------------------------------------------------------------------------------- */
/* Collecting records. */

/* The archive formats' own invariant: binary names, when given, one non-empty name. */
static int binnames_single(void *arg, const pf_record *rec)
{
    (void)arg;
    return rec->binnames && (strchr(rec->binnames, ',') || !rec->binnames[0]);
}

/* Parse buf as the crawler would hand it over (outer compression decoded by pf_reader). */
static int parse_crawler(pf_parse_fn fn, const membuf *b, rc_set *c, pf_parse_stats *st, char *err,
                         size_t errlen)
{
    char oerr[256];
    pf_reader *r = pf_reader_open_mem(b->p, b->len, PF_CODEC_NONE, oerr, sizeof oerr);
    if (!r)
        fail_msg("open mem: %s", oerr);
    c->check = binnames_single;
    int rc = fn(r, NULL, rc_emit, c, st, err, errlen);
    pf_reader_close(r);
    return rc;
}

/* Parse buf undecoded: libarchive's filters must deal with the compression. */
static int parse_raw(pf_parse_fn fn, const membuf *b, rc_set *c, pf_parse_stats *st, char *err,
                     size_t errlen)
{
    raw_reader rr = raw_open(b->p, b->len);
    c->check = binnames_single;
    return fn(&rr.base, NULL, rc_emit, c, st, err, errlen);
}

/* Number of space-separated words. */
static size_t words(const char *s)
{
    size_t n = 0;
    for (const char *p = s; p && *p;) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        n++;
        while (*p && *p != ' ')
            p++;
    }
    return n;
}

/* Normalize with a scheme into a static buffer. */
static const char *norm(pf_vscheme scheme, const char *raw)
{
    static char out[256];
    unsigned flags = 0;
    pf_normalize_version(scheme, raw, out, sizeof out, &flags);
    return out;
}

/* Seconds between two monotonic times. */
static double secs(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/* ---------------------------------------------------------------------------------------- */
/* Arch */

/* Compare directory entries by name for qsort. */
static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The Arch fixture as a .db: for every tests/fixtures/archives/arch/<dir>,
 * in name order as repo-add writes them, a directory entry and <dir>/desc;
 * plus repology's real zlib desc when realdata is present. Returns the
 * number of desc members; `bufs` keeps the file contents alive.
 */
static size_t build_arch_db(int filter, membuf *out, int with_real)
{
    const char *dir = tu_fixture("archives/arch");
    DIR *d = opendir(dir);
    assert_non_null(d);
    char *names[64];
    size_t nn = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        assert_true(nn < 60);
        names[nn++] = strdup(de->d_name);
    }
    closedir(d);
    const char *zlib = with_real ? tu_realdata("repology-updater-testdata/arch.state/core/"
                                               "zlib-1:1.2.8-7/desc")
                                 : NULL;
    if (zlib)
        names[nn++] = strdup("zlib-1:1.2.8-7");
    qsort(names, nn, sizeof names[0], cmp_str);

    tar_ent ents[128] = {{0}};
    char *data[64], *paths[64];
    size_t ne = 0;
    for (size_t i = 0; i < nn; i++) {
        char p[4096];
        if (zlib && strcmp(names[i], "zlib-1:1.2.8-7") == 0)
            snprintf(p, sizeof p, "%s", zlib);
        else
            snprintf(p, sizeof p, "%s/%s/desc", dir, names[i]);
        size_t len;
        data[i] = tu_slurp(p, &len);
        assert_non_null(data[i]);
        paths[i] = malloc(strlen(names[i]) + 8);
        sprintf(paths[i], "%s/desc", names[i]);
        ents[ne++] = (tar_ent){names[i], NULL, 0, T_DIR, NULL};
        ents[ne++] = (tar_ent){paths[i], data[i], len, T_FILE, NULL};
    }
    build_tar(ents, ne, filter, 0, out);
    for (size_t i = 0; i < nn; i++) {
        free(data[i]);
        free(paths[i]);
        free(names[i]);
    }
    return nn;
}

/* Check the records of the Arch fixture (zlib only when realdata was there). */
static void check_arch_records(const rc_set *c, int have_zlib)
{
    assert_false(c->bad);
    assert_int_equal(c->n, have_zlib ? 5 : 4);
    /* First-seen order: a52dec, libnm (base networkmanager), linux, systemd, zlib. */
    assert_string_equal(c->recs[0].srcname, "a52dec");
    assert_string_equal(c->recs[1].srcname, "networkmanager");
    assert_string_equal(c->recs[2].srcname, "linux");
    assert_string_equal(c->recs[3].srcname, "systemd");

    /* No %BASE%: the name is the source name. */
    const rc_rec *r = rc_need(c, "a52dec", NULL);
    assert_string_equal(r->binnames, "a52dec");
    assert_string_equal(r->version, "0.8.0-2");
    assert_string_equal(r->summary, "A free library for decoding ATSC A/52 streams");
    assert_string_equal(r->homepage, "https://git.adelielinux.org/community/a52dec");
    assert_string_equal(r->license, "GPL-2.0-or-later");
    assert_null(r->maintainers); /* %PACKAGER% is deliberately not used */

    /* Split package whose parts are not adjacent: the main package's fields win. */
    r = rc_need(c, "networkmanager", NULL);
    assert_string_equal(r->binnames, "libnm networkmanager");
    assert_string_equal(r->version, "1.52.0-1");
    assert_string_equal(r->summary, "Network connection manager and user applications");
    assert_string_equal(r->license, "GPL-2.0-or-later, LGPL-2.1-or-later");
    assert_string_equal(r->homepage, "https://networkmanager.dev/");
    assert_null(r->maintainers);

    r = rc_need(c, "linux", NULL);
    assert_string_equal(r->binnames, "linux linux-headers");
    assert_string_equal(r->version, "6.14.4.arch1-1");
    assert_string_equal(r->summary, "The Linux kernel and modules");

    r = rc_need(c, "systemd", NULL);
    assert_string_equal(r->binnames, "systemd systemd-libs systemd-sysvcompat");
    assert_string_equal(r->version, "257.5-1");
    assert_string_equal(r->summary, "system and service manager");
    assert_string_equal(r->license, "LGPL-2.1-or-later, CC0-1.0, GPL-2.0-or-later, MIT-0");
    assert_string_equal(r->homepage, "https://www.github.com/systemd/systemd");
    assert_string_equal(norm(PF_VS_ARCH, r->version), "257.5");

    if (have_zlib) {
        /* repology-updater's own sample: 1:1.2.8-7 normalizes to 1.2.8. */
        r = rc_need(c, "zlib", NULL);
        assert_string_equal(r->binnames, "zlib");
        assert_string_equal(r->version, "1:1.2.8-7");
        assert_string_equal(norm(PF_VS_ARCH, r->version), "1.2.8");
        assert_string_equal(r->summary, "Compression library implementing the deflate "
                                        "compression method found in gzip and PKZIP");
        assert_string_equal(r->homepage, "http://www.zlib.net/");
        assert_string_equal(r->license, "custom");
        assert_null(r->maintainers);
    }
}

/* A gzip .db, parsed as the crawler hands it over and raw; zstd and xz raw. */
static void test_arch_db(void **state)
{
    (void)state;
    int have_zlib =
        tu_realdata("repology-updater-testdata/arch.state/core/zlib-1:1.2.8-7/desc") != NULL;
    int filters[] = {ARCHIVE_FILTER_GZIP, ARCHIVE_FILTER_ZSTD, ARCHIVE_FILTER_XZ,
                     ARCHIVE_FILTER_NONE};
    for (size_t f = 0; f < sizeof filters / sizeof filters[0]; f++) {
        membuf db = {0};
        size_t ndesc = build_arch_db(filters[f], &db, 1);
        assert_int_equal(ndesc, have_zlib ? 9 : 8);
        for (int raw = 0; raw < 2; raw++) {
            rc_set c = {.check = binnames_single};
            pf_parse_stats st = {-1, -1};
            char err[256] = "";
            int rc = raw ? parse_raw(pf_parse_arch_db, &db, &c, &st, err, sizeof err)
                         : parse_crawler(pf_parse_arch_db, &db, &c, &st, err, sizeof err);
            if (rc != 0)
                fail_msg("filter %d raw %d: %s", filters[f], raw, err);
            assert_int_equal(st.records, (long)c.n);
            assert_int_equal(st.skipped, 0);
            check_arch_records(&c, have_zlib);
            rc_free(&c);
        }
        free(db.p);
    }
    if (!have_zlib)
        skip();
}

/* The table entry point is the same parser. */
static void test_arch_format_table(void **state)
{
    (void)state;
    const pf_format *f = pf_format_find("arch-db");
    assert_non_null(f);
    assert_ptr_equal(f->parse, pf_parse_arch_db);
    membuf db = {0};
    build_arch_db(ARCHIVE_FILTER_GZIP, &db, 0);
    char oerr[256], err[256] = "";
    pf_reader *r = pf_reader_open_mem(db.p, db.len, PF_CODEC_NONE, oerr, sizeof oerr);
    assert_non_null(r);
    rc_set c = {.check = binnames_single};
    assert_int_equal(pf_format_parse(f, r, rc_emit, &c, &(pf_parse_stats){0, 0}, err, sizeof err),
                     0);
    check_arch_records(&c, 0);
    rc_free(&c);
    pf_reader_close(r);
    free(db.p);
}

static const char good_desc[] = "%FILENAME%\nok-1.0-1-x86_64.pkg.tar.zst\n\n%NAME%\nok\n\n"
                                "%BASE%\nok\n\n%VERSION%\n1.0-1\n\n%DESC%\nfine\n\n";

/*
 * Hostile members: "..", absolute, symlink and hardlink entries carrying
 * (or pointing at) valid desc data are ignored; a desc without %VERSION%
 * is skipped and counted; CRLF lines, a desc without a trailing newline
 * and a "files" member are handled.
 */
static void test_arch_hostile(void **state)
{
    (void)state;
    static const char evil[] = "%NAME%\nevil\n\n%VERSION%\n6.6.6-1\n\n";
    static const char nover[] = "%NAME%\nnover\n\n%BASE%\nnover\n\n%DESC%\nno version\n\n";
    static const char crlf[] = "%NAME%\r\ncrlf\r\n\r\n%VERSION%\r\n2.0-3\r\n\r\n%URL%\r\n"
                               "https://example.org/crlf\r\n";
    static const char files[] = "%FILES%\nusr/\nusr/bin/ok\n\n";
    static const char dot[] = "%NAME%\ndot\n\n%VERSION%\n1.0-1"; /* no final newline */
    tar_ent ents[] = {
        {"../evil-1.0-1/desc", evil, sizeof evil - 1, T_FILE, NULL},
        {"/abs-1.0-1/desc", evil, sizeof evil - 1, T_FILE, NULL},
        {"sub/../../x/desc", evil, sizeof evil - 1, T_FILE, NULL},
        {"crlf-2.0-3/desc", crlf, sizeof crlf - 1, T_FILE, NULL},
        {"link-1.0-1/desc", NULL, 0, T_SYMLINK, "../../etc/passwd"},
        {"nover-1.0-1/desc", nover, sizeof nover - 1, T_FILE, NULL},
        {"ok-1.0-1/desc", good_desc, sizeof good_desc - 1, T_FILE, NULL},
        {"ok-1.0-1/files", files, sizeof files - 1, T_FILE, NULL},
        {"hard-1.0-1/desc", NULL, 0, T_HARDLINK, "ok-1.0-1/desc"},
        {"./dot-1.0-1/desc", dot, sizeof dot - 1, T_FILE, NULL},
        {"desc", evil, sizeof evil - 1, T_FILE, NULL},
    };
    membuf db = {0};
    build_tar(ents, sizeof ents / sizeof ents[0], ARCHIVE_FILTER_GZIP, 0, &db);

    /* The helper itself: what it hands out and what it skips. */
    char oerr[256];
    pf_reader *r = pf_reader_open_mem(db.p, db.len, PF_CODEC_NONE, oerr, sizeof oerr);
    assert_non_null(r);
    pf_archive *a = pf_archive_open(r, oerr, sizeof oerr);
    assert_non_null(a);
    const char *path;
    int64_t size;
    const char *expect[] = {"crlf-2.0-3/desc", "nover-1.0-1/desc", "ok-1.0-1/desc",
                            "ok-1.0-1/files",  "dot-1.0-1/desc",   "desc"};
    for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++) {
        assert_int_equal(pf_archive_next(a, &path, &size), 1);
        assert_string_equal(path, expect[i]);
    }
    assert_int_equal(pf_archive_next(a, &path, &size), 0);
    assert_int_equal(pf_archive_skipped(a), 5);
    assert_string_equal(pf_archive_error(a), "");
    pf_archive_close(a);
    pf_reader_close(r);

    rc_set c = {.check = binnames_single};
    pf_parse_stats st;
    char err[256] = "";
    assert_int_equal(parse_crawler(pf_parse_arch_db, &db, &c, &st, err, sizeof err), 0);
    assert_false(c.bad);
    assert_int_equal(st.skipped, 1);
    assert_int_equal(c.n, 3);
    assert_null(rc_find(&c, "evil", NULL));
    const rc_rec *rc = rc_need(&c, "crlf", NULL);
    assert_string_equal(rc->version, "2.0-3");
    assert_string_equal(rc->homepage, "https://example.org/crlf");
    assert_null(rc->summary);
    assert_null(rc->license);
    rc = rc_need(&c, "ok", NULL);
    assert_string_equal(rc->binnames, "ok");
    assert_string_equal(rc->summary, "fine");
    /* "./dot-1.0-1/desc" is a fine relative path once "./" is dropped. */
    rc = rc_need(&c, "dot", NULL);
    assert_string_equal(rc->version, "1.0-1");
    rc_free(&c);
    free(db.p);
}

/* Truncated and corrupt archives are errors, never a silently short result. */
static void test_arch_truncated_corrupt(void **state)
{
    (void)state;
    membuf gz = {0}, plain = {0};
    build_arch_db(ARCHIVE_FILTER_GZIP, &gz, 0);
    build_arch_db(ARCHIVE_FILTER_NONE, &plain, 0);
    char err[256];
    pf_parse_stats st;

    /* gzip cut in half: the crawler's decoder and libarchive's both notice. */
    membuf half = {gz.p, gz.len / 2, gz.cap};
    for (int raw = 0; raw < 2; raw++) {
        rc_set c = {.check = binnames_single};
        err[0] = '\0';
        int rc = raw ? parse_raw(pf_parse_arch_db, &half, &c, &st, err, sizeof err)
                     : parse_crawler(pf_parse_arch_db, &half, &c, &st, err, sizeof err);
        assert_int_equal(rc, -1);
        assert_int_equal(c.n, 0); /* nothing is emitted before the whole index parsed */
        assert_non_null(strstr(err, "arch-db: "));
        rc_free(&c);
    }

    /* Plain tar cut inside a member's data. */
    membuf cut = {plain.p, 512 * 3 + 100, plain.cap};
    rc_set c = {.check = binnames_single};
    err[0] = '\0';
    assert_int_equal(parse_raw(pf_parse_arch_db, &cut, &c, &st, err, sizeof err), -1);
    assert_non_null(strstr(err, "runcated"));
    rc_free(&c);

    /* Corrupt deflate data in the middle of the gzip member. */
    membuf bad = {0};
    mb_put(&bad, gz.p, gz.len);
    for (size_t i = bad.len / 3; i < bad.len / 3 + 64; i++)
        bad.p[i] ^= 0x5a;
    for (int raw = 0; raw < 2; raw++) {
        err[0] = '\0';
        int rc = raw ? parse_raw(pf_parse_arch_db, &bad, &c, &st, err, sizeof err)
                     : parse_crawler(pf_parse_arch_db, &bad, &c, &st, err, sizeof err);
        assert_int_equal(rc, -1);
        assert_true(strlen(err) > 9);
        rc_free(&c);
    }

    /* Not an archive at all. */
    static const char text[] = "Package: zlib\nVersion: 1.3\n\nthis is not a tar file at all\n";
    membuf t = {(unsigned char *)text, sizeof text - 1, 0};
    err[0] = '\0';
    assert_int_equal(parse_raw(pf_parse_arch_db, &t, &c, &st, err, sizeof err), -1);
    assert_non_null(strstr(err, "arch-db: archive: "));
    rc_free(&c);

    /* A read error below the archive is reported with its own message. */
    raw_reader rr = raw_open(gz.p, gz.len);
    rr.fail_at = gz.len / 2;
    err[0] = '\0';
    assert_int_equal(pf_parse_arch_db(&rr.base, NULL, rc_emit, &c, &st, err, sizeof err), -1);
    if (!strstr(err, "disk on fire"))
        fail_msg("%s", err);
    rc_free(&c);

    free(gz.p);
    free(plain.p);
    free(bad.p);
}

/* A non-zero emit value stops the parser and is returned. */
static void test_emit_stops(void **state)
{
    (void)state;
    membuf db = {0};
    build_arch_db(ARCHIVE_FILTER_GZIP, &db, 0);
    rc_set c = {.check = binnames_single};
    c.stop_after = 2;
    pf_parse_stats st;
    char err[256] = "";
    assert_int_equal(parse_crawler(pf_parse_arch_db, &db, &c, &st, err, sizeof err), 7);
    assert_int_equal(c.n, 2);
    assert_int_equal(st.records, 1);
    rc_free(&c);
    free(db.p);
}

/* ---------------------------------------------------------------------------------------- */
/* Alpine */

/* Check the records of the APKINDEX fixture. */
static void check_apk_records(const rc_set *c)
{
    assert_false(c->bad);
    assert_int_equal(c->n, 5);
    /* First-seen order: abuild, libcrypto3 (origin openssl), musl, py3-requests, zlib. */
    assert_string_equal(c->recs[0].srcname, "abuild");
    assert_string_equal(c->recs[1].srcname, "openssl");
    assert_string_equal(c->recs[2].srcname, "musl");
    assert_string_equal(c->recs[3].srcname, "py3-requests");
    assert_string_equal(c->recs[4].srcname, "zlib");

    const rc_rec *r = rc_need(c, "abuild", NULL);
    assert_string_equal(r->binnames, "abuild abuild-doc apkbuild-pypi");
    assert_string_equal(r->version, "3.18.0_rc5-r0");
    assert_string_equal(norm(PF_VS_ALPINE, r->version), "3.18.0_rc5");
    assert_string_equal(r->summary, "Script to build Alpine Packages");
    assert_string_equal(r->homepage, "https://gitlab.alpinelinux.org/alpine/abuild/");
    assert_string_equal(r->license, "GPL-2.0-only");
    assert_string_equal(r->maintainers, "ncopa@alpinelinux.org");

    /* Library subpackages come first, yet the origin's own package supplies T/U/L. */
    r = rc_need(c, "openssl", NULL);
    assert_string_equal(r->binnames, "libcrypto3 libssl3 openssl openssl-dev");
    assert_string_equal(r->version, "3.5.7-r0");
    assert_string_equal(r->summary, "Toolkit for Transport Layer Security (TLS)");
    assert_string_equal(r->license, "Apache-2.0");

    r = rc_need(c, "musl", NULL);
    assert_string_equal(r->binnames, "musl musl-dbg musl-dev musl-utils");
    assert_string_equal(r->version, "1.2.6-r2");
    assert_string_equal(norm(PF_VS_ALPINE, r->version), "1.2.6");
    assert_string_equal(r->license, "MIT"); /* not musl-utils' longer one */
    assert_string_equal(r->homepage, "https://musl.libc.org/");

    r = rc_need(c, "py3-requests", NULL);
    assert_string_equal(r->binnames, "py3-requests py3-requests-pyc");
    assert_string_equal(r->maintainers, "void@fluix.one");
    assert_string_equal(r->summary, "HTTP request library for Python3");

    r = rc_need(c, "zlib", NULL);
    assert_string_equal(r->binnames, "zlib zlib-dev");
    assert_string_equal(r->version, "1.3.2-r0");
    assert_string_equal(r->license, "Zlib");
}

/* The APKINDEX fixture in its real two-gzip-member layout, parsed both ways. */
static void test_apkindex(void **state)
{
    (void)state;
    size_t ilen, dlen;
    char *index = tu_slurp(tu_fixture("archives/apkindex/APKINDEX"), &ilen);
    char *desc = tu_slurp(tu_fixture("archives/apkindex/DESCRIPTION"), &dlen);
    assert_non_null(index);
    assert_non_null(desc);
    membuf tgz = {0};
    build_apkindex_targz(desc, index, ilen, &tgz);
    for (int raw = 0; raw < 2; raw++) {
        rc_set c = {.check = binnames_single};
        pf_parse_stats st = {-1, -1};
        char err[256] = "";
        int rc = raw ? parse_raw(pf_parse_apkindex, &tgz, &c, &st, err, sizeof err)
                     : parse_crawler(pf_parse_apkindex, &tgz, &c, &st, err, sizeof err);
        if (rc != 0)
            fail_msg("raw %d: %s", raw, err);
        assert_int_equal(st.records, 5);
        assert_int_equal(st.skipped, 0);
        check_apk_records(&c);
        rc_free(&c);
    }

    /* A signer that left the signature tar's end blocks in must not hide the index. */
    membuf uncut = {0};
    build_apkindex_targz_cut(desc, index, ilen, 0, &uncut);
    for (int raw = 0; raw < 2; raw++) {
        rc_set c = {.check = binnames_single};
        pf_parse_stats st;
        char err[256] = "";
        int rc = raw ? parse_raw(pf_parse_apkindex, &uncut, &c, &st, err, sizeof err)
                     : parse_crawler(pf_parse_apkindex, &uncut, &c, &st, err, sizeof err);
        if (rc != 0)
            fail_msg("uncut, raw %d: %s", raw, err);
        check_apk_records(&c);
        rc_free(&c);
    }
    free(uncut.p);

    /* The format table routes "apkindex" here. */
    const pf_format *f = pf_format_find("apkindex");
    assert_non_null(f);
    assert_ptr_equal(f->parse, pf_parse_apkindex);

    /* The fixture's versions are the real edge ones. */
    const char *origins = tu_realdata("alpine/alpine-edge-origins.tsv");
    if (origins) {
        size_t olen;
        char *tsv = tu_slurp(origins, &olen);
        assert_non_null(tsv);
        const char *want[] = {"\nabuild\t3.18.0_rc5-r0\n", "\nopenssl\t3.5.7-r0\n",
                              "\nmusl\t1.2.6-r2\n", "\npy3-requests\t2.34.2-r0\n",
                              "\nzlib\t1.3.2-r0\n"};
        for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
            assert_non_null(strstr(tsv, want[i]));
        free(tsv);
    }
    free(tgz.p);
    free(index);
    free(desc);
}

/* Odd records: no V or P (skipped), no o (own origin), upper-case e-mail, junk lines. */
static void test_apkindex_odd(void **state)
{
    (void)state;
    static const char index[] =
        "C:Q1aaa=\nP:noversion\nA:x86_64\no:noversion\n\n"
        "V:1.0-r0\nT:no name\n\n"
        "P:lonely\nV:0.9_git20250101-r3\nm:Some One <Some.One@Example.ORG>\n"
        "this line has no colon\nX\nL:MIT\n\n\n\n"
        "P:nomaint\nV:2-r0\no:nomaint\nm:\nU:https://example.org/\n"; /* no final blank line */
    membuf tgz = {0};
    build_apkindex_targz("x", index, sizeof index - 1, &tgz);
    rc_set c = {.check = binnames_single};
    pf_parse_stats st;
    char err[256] = "";
    assert_int_equal(parse_crawler(pf_parse_apkindex, &tgz, &c, &st, err, sizeof err), 0);
    assert_false(c.bad);
    assert_int_equal(st.skipped, 2);
    assert_int_equal(c.n, 2);
    const rc_rec *r = rc_need(&c, "lonely", NULL);
    assert_string_equal(r->binnames, "lonely");
    assert_string_equal(r->version, "0.9_git20250101-r3");
    assert_string_equal(r->maintainers, "some.one@example.org");
    assert_string_equal(r->license, "MIT");
    r = rc_need(&c, "nomaint", NULL);
    assert_null(r->maintainers);
    assert_string_equal(r->homepage, "https://example.org/");
    rc_free(&c);
    free(tgz.p);

    /* An archive without an APKINDEX member is an error. */
    tar_ent only_desc = {"DESCRIPTION", "x", 1, T_FILE, NULL};
    membuf t = {0};
    build_tar(&only_desc, 1, ARCHIVE_FILTER_GZIP, 0, &t);
    err[0] = '\0';
    assert_int_equal(parse_crawler(pf_parse_apkindex, &t, &c, &st, err, sizeof err), -1);
    assert_string_equal(err, "apkindex: no APKINDEX member in the archive");
    rc_free(&c);
    free(t.p);
    memset(&t, 0, sizeof t);

    /* A symlink named APKINDEX is not followed; a regular one after it is used. */
    static const char one[] = "P:one\nV:1-r0\n";
    tar_ent ents[] = {
        {"APKINDEX", NULL, 0, T_SYMLINK, "/etc/shadow"},
        {"APKINDEX", one, sizeof one - 1, T_FILE, NULL},
    };
    build_tar(ents, 2, ARCHIVE_FILTER_NONE, 0, &t);
    err[0] = '\0';
    assert_int_equal(parse_raw(pf_parse_apkindex, &t, &c, &st, err, sizeof err), 0);
    assert_int_equal(c.n, 1);
    assert_string_equal(c.recs[0].srcname, "one");
    rc_free(&c);
    free(t.p);
}

/* Truncated APKINDEX.tar.gz: an error. */
static void test_apkindex_truncated(void **state)
{
    (void)state;
    size_t ilen;
    char *index = tu_slurp(tu_fixture("archives/apkindex/APKINDEX"), &ilen);
    assert_non_null(index);
    membuf tgz = {0};
    build_apkindex_targz("d", index, ilen, &tgz);
    membuf cut = {tgz.p, tgz.len - 40, tgz.cap};
    for (int raw = 0; raw < 2; raw++) {
        rc_set c = {.check = binnames_single};
        pf_parse_stats st;
        char err[256] = "";
        int rc = raw ? parse_raw(pf_parse_apkindex, &cut, &c, &st, err, sizeof err)
                     : parse_crawler(pf_parse_apkindex, &cut, &c, &st, err, sizeof err);
        assert_int_equal(rc, -1);
        assert_int_equal(c.n, 0);
        assert_non_null(strstr(err, "apkindex: "));
        rc_free(&c);
    }
    free(tgz.p);
    free(index);
}

/* Split a TSV line in place into at most max fields; returns the count. */
static size_t split_tabs(char *line, char **f, size_t max)
{
    size_t n = 0;
    f[n++] = line;
    for (char *p = line; *p && n < max; p++)
        if (*p == '\t') {
            *p = '\0';
            f[n++] = p + 1;
        }
    return n;
}

/* One package entry of a generated index, sortable by name. */
typedef struct gen_pkg {
    char *name;
    char *text;
} gen_pkg;

/* Compare gen_pkg by name for qsort. */
static int cmp_gen(const void *a, const void *b)
{
    return strcmp(((const gen_pkg *)a)->name, ((const gen_pkg *)b)->name);
}

/* Expected result per source package of a generated index. */
typedef struct gen_src {
    char *name, *version;
    size_t nbin;
} gen_src;

/* Count distinct words of s other than `self`. */
static size_t distinct_subs(const char *s, const char *self)
{
    char *copy = strdup(s);
    char *seen[1024];
    size_t n = 0;
    for (char *tok = strtok(copy, " "); tok; tok = strtok(NULL, " ")) {
        int dup = strcmp(tok, self) == 0;
        for (size_t i = 0; i < n && !dup; i++)
            dup = strcmp(seen[i], tok) == 0;
        if (!dup && n < 1024)
            seen[n++] = tok;
    }
    free(copy);
    return n;
}

/* Compare rc_rec pointers by source name for qsort and bsearch. */
static int cmp_rec(const void *a, const void *b)
{
    return strcmp((*(rc_rec *const *)a)->srcname, (*(rc_rec *const *)b)->srcname);
}

/* Check that every generated source package came out once, with its version and all names. */
static void check_generated(const rc_set *c, gen_src *src, size_t nsrc, const char *what)
{
    assert_false(c->bad);
    assert_int_equal(c->n, nsrc);
    /* The parser emits in first-seen order; look each one up through a sorted copy. */
    rc_rec **sorted = malloc(c->n * sizeof *sorted);
    assert_non_null(sorted);
    for (size_t i = 0; i < c->n; i++)
        sorted[i] = &c->recs[i];
    qsort(sorted, c->n, sizeof *sorted, cmp_rec);
    size_t mismatch = 0;
    for (size_t i = 0; i < nsrc; i++) {
        rc_rec key = {.srcname = src[i].name};
        rc_rec *kp = &key;
        rc_rec **hit = bsearch(&kp, sorted, c->n, sizeof *sorted, cmp_rec);
        if (!hit || strcmp((*hit)->version, src[i].version) != 0 ||
            words((*hit)->binnames) != src[i].nbin) {
            if (mismatch++ < 5)
                print_message("%s: %s %s: got %s / %zu names, want %zu\n", what, src[i].name,
                              src[i].version, hit ? (*hit)->version : "(missing)",
                              hit ? words((*hit)->binnames) : 0, src[i].nbin);
        }
    }
    free(sorted);
    assert_int_equal(mismatch, 0);
}

/* Free the generated expectations and entries. */
static void gen_free(gen_src *src, size_t nsrc, gen_pkg *pk, size_t npk)
{
    for (size_t i = 0; i < nsrc; i++) {
        free(src[i].name);
        free(src[i].version);
    }
    for (size_t i = 0; i < npk; i++) {
        free(pk[i].name);
        free(pk[i].text);
    }
    free(src);
    free(pk);
}

/*
 * Real scale: an APKINDEX generated from the 12,712 edge origins (detail
 * TSV), one record per binary package (origin plus subpackages), sorted by
 * package name like the real one. Every origin must come out once with
 * its version and all its package names. Reports the parse speed.
 */
static void test_real_alpine_index(void **state)
{
    (void)state;
    const char *path = tu_realdata("alpine/alpine-edge-detail.tsv.xz");
    if (!path)
        skip();
    char oerr[256];
    pf_reader *r = pf_reader_open_path(path, 0, oerr, sizeof oerr);
    assert_non_null(r);
    pf_lines *l = pf_lines_new(r, 1 << 20);
    gen_src *src = NULL;
    gen_pkg *pk = NULL;
    size_t nsrc = 0, csrc = 0, npk = 0, cpk = 0;
    char *line;
    size_t len;
    int first = 1;
    while (pf_lines_next(l, &line, &len) == 1) {
        if (first) { /* header */
            first = 0;
            continue;
        }
        char *f[9];
        if (split_tabs(line, f, 9) != 9)
            fail_msg("bad detail line");
        /* repo name version arch license url maintainer subpackages description */
        if (nsrc == csrc) {
            csrc = csrc ? csrc * 2 : 16384;
            src = realloc(src, csrc * sizeof *src);
            assert_non_null(src);
        }
        src[nsrc].name = strdup(f[1]);
        src[nsrc].version = strdup(f[2]);
        src[nsrc].nbin = 1 + distinct_subs(f[7], f[1]);
        nsrc++;
        char *subs = strdup(f[7]);
        const char *pkg = f[1];
        char *save = NULL;
        char *tok = NULL;
        for (;;) {
            membuf t = {0};
            mb_printf(&t,
                      "C:Q1AAAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:%s\nV:%s\nA:x86_64\nS:1024\nI:4096\n",
                      pkg, f[2]);
            mb_printf(&t, "T:%s\nU:%s\nL:%s\no:%s\nm:%s\nt:1755861905\n\n", f[8], f[5], f[4], f[1],
                      f[6]);
            if (npk == cpk) {
                cpk = cpk ? cpk * 2 : 65536;
                pk = realloc(pk, cpk * sizeof *pk);
                assert_non_null(pk);
            }
            pk[npk].name = strdup(pkg);
            pk[npk].text = (char *)t.p;
            npk++;
            tok = strtok_r(tok ? NULL : subs, " ", &save);
            if (!tok)
                break;
            pkg = tok;
        }
        free(subs);
    }
    pf_lines_free(l);
    pf_reader_close(r);
    assert_int_equal(nsrc, 12712);
    qsort(pk, npk, sizeof *pk, cmp_gen);
    membuf index = {0};
    for (size_t i = 0; i < npk; i++)
        mb_puts(&index, pk[i].text);
    membuf tgz = {0};
    build_apkindex_targz("v20260822", index.p, index.len, &tgz);

    rc_set c = {.check = binnames_single};
    pf_parse_stats st;
    char err[256] = "";
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = parse_crawler(pf_parse_apkindex, &tgz, &c, &st, err, sizeof err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (rc != 0)
        fail_msg("%s", err);
    printf("# apkindex: %zu packages, %.1f MB APKINDEX (%.1f MB gz), %zu origins in %.3f s "
           "(%.0f MB/s, copying every record)\n",
           npk, index.len / 1e6, tgz.len / 1e6, c.n, secs(&t0, &t1),
           index.len / 1e6 / secs(&t0, &t1));
    check_generated(&c, src, nsrc, "apkindex");
    assert_int_equal(st.skipped, 0);
    const rc_rec *m = rc_need(&c, "musl", NULL);
    assert_string_equal(m->binnames, "musl musl-dbg musl-dev musl-libintl musl-utils");
    assert_string_equal(m->maintainers, "ncopa@alpinelinux.org");
    rc_free(&c);
    gen_free(src, nsrc, pk, npk);
    free(index.p);
    free(tgz.p);
}

/* ---------------------------------------------------------------------------------------- */
/* Void */

/* The Void fixture as repodata: index.plist plus index-meta.plist, compressed with filter. */
static void build_repodata(const char *plist, size_t plen, int filter, membuf *out)
{
    static const char meta[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist "
                               "version=\"1.0\">\n<dict>\n\t<key>public-key-size</key>\n"
                               "\t<integer>4096</integer>\n</dict>\n</plist>\n";
    tar_ent ents[] = {
        {"index.plist", plist, plen, T_FILE, NULL},
        {"index-meta.plist", meta, sizeof meta - 1, T_FILE, NULL},
    };
    build_tar(ents, 2, filter, 0, out);
}

/* Check the records of the index.plist fixture. */
static void check_void_records(const rc_set *c)
{
    assert_false(c->bad);
    assert_int_equal(c->n, 5);
    /* First-seen order: glibc, libcrypto3 (openssl), libxbps (xbps), python3-requests, zlib. */
    assert_string_equal(c->recs[0].srcname, "glibc");
    assert_string_equal(c->recs[1].srcname, "openssl");
    assert_string_equal(c->recs[2].srcname, "xbps");
    assert_string_equal(c->recs[3].srcname, "python3-requests");
    assert_string_equal(c->recs[4].srcname, "zlib");

    const rc_rec *r = rc_need(c, "glibc", NULL);
    assert_string_equal(r->binnames, "glibc glibc-devel");
    assert_string_equal(r->version, "2.41_1");
    assert_string_equal(norm(PF_VS_VOID, r->version), "2.41");
    assert_string_equal(r->summary, "GNU C library");
    assert_string_equal(r->homepage, "http://www.gnu.org/software/libc");
    assert_string_equal(r->license, "GPL-2.0-or-later, LGPL-2.1-or-later, BSD-3-Clause");
    assert_string_equal(r->maintainers, "gottox@voidlinux.org");

    r = rc_need(c, "openssl", NULL);
    assert_string_equal(r->binnames, "libcrypto3 libssl3 openssl openssl-devel");
    assert_string_equal(r->version, "3.6.2_1");
    assert_string_equal(r->summary,
                        "Toolkit for Secure Sockets Layer and Transport Layer Security");
    assert_string_equal(r->maintainers, "void@placeviolette.net");

    r = rc_need(c, "xbps", NULL);
    assert_string_equal(r->binnames, "libxbps libxbps-devel xbps");
    assert_string_equal(r->version, "0.60.7_1");
    assert_string_equal(norm(PF_VS_VOID, r->version), "0.60.7");
    assert_string_equal(r->summary, "XBPS package system utilities");
    assert_string_equal(r->homepage, "https://github.com/void-linux/xbps");

    r = rc_need(c, "python3-requests", NULL);
    assert_string_equal(r->binnames, "python3-requests");
    assert_string_equal(r->version, "2.32.5_1");
    assert_string_equal(r->maintainers, "tornaria@cmat.edu.uy");

    r = rc_need(c, "zlib", NULL);
    assert_string_equal(r->binnames, "zlib zlib-devel");
    assert_string_equal(r->version, "1.3.2_1");
    assert_string_equal(r->license, "Zlib");
}

/* The index.plist fixture in zstd (as xbps writes it), gzip and plain tars, parsed both ways. */
static void test_void_repodata(void **state)
{
    (void)state;
    size_t plen;
    char *plist = tu_slurp(tu_fixture("archives/void/index.plist"), &plen);
    assert_non_null(plist);
    int filters[] = {ARCHIVE_FILTER_ZSTD, ARCHIVE_FILTER_GZIP, ARCHIVE_FILTER_NONE};
    for (size_t f = 0; f < sizeof filters / sizeof filters[0]; f++) {
        membuf rd = {0};
        build_repodata(plist, plen, filters[f], &rd);
        for (int raw = 0; raw < 2; raw++) {
            rc_set c = {.check = binnames_single};
            pf_parse_stats st = {-1, -1};
            char err[256] = "";
            int rc = raw ? parse_raw(pf_parse_void_repodata, &rd, &c, &st, err, sizeof err)
                         : parse_crawler(pf_parse_void_repodata, &rd, &c, &st, err, sizeof err);
            if (rc != 0)
                fail_msg("filter %d raw %d: %s", filters[f], raw, err);
            assert_int_equal(st.records, 5);
            assert_int_equal(st.skipped, 0);
            check_void_records(&c);
            rc_free(&c);
        }
        free(rd.p);
    }
    const pf_format *fmt = pf_format_find("void-repodata");
    assert_non_null(fmt);
    assert_ptr_equal(fmt->parse, pf_parse_void_repodata);

    /* The fixture's versions are the real void-packages ones. */
    const char *srcpkgs = tu_realdata("void/void-srcpkgs.tsv");
    if (srcpkgs) {
        size_t slen;
        char *tsv = tu_slurp(srcpkgs, &slen);
        assert_non_null(tsv);
        const char *want[] = {"\nglibc\t2.41_1\n", "\nopenssl\t3.6.2_1\n", "\nxbps\t0.60.7_1\n",
                              "\npython3-requests\t2.32.5_1\n", "\nzlib\t1.3.2_1\n"};
        for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
            assert_non_null(strstr(tsv, want[i]));
        free(tsv);
    }
    free(plist);
}

/* Parse one index.plist text wrapped in a plain tar. */
static int parse_plist(const char *plist, rc_set *c, pf_parse_stats *st, char *err, size_t errlen)
{
    membuf rd = {0};
    build_repodata(plist, strlen(plist), ARCHIVE_FILTER_NONE, &rd);
    int rc = parse_raw(pf_parse_void_repodata, &rd, c, st, err, errlen);
    free(rd.p);
    return rc;
}

#define PLIST_HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<dict>\n"
#define PLIST_TAIL "</dict>\n</plist>\n"

/* Odd but well-formed plists: missing pkgver/source-revisions, empty strings, CDATA, markup. */
static void test_void_odd(void **state)
{
    (void)state;
    static const char plist[] =
        PLIST_HEAD "<key>nover</key><dict><key>short_desc</key><string>no pkgver</string></dict>\n"
                   "<key>nosrc</key><dict><key>pkgver</key><string>nosrc-1.0_2</string>"
                   "<key>maintainer</key><string>Orphaned &lt;ORPHAN@voidlinux.org&gt;</string>"
                   "<key>homepage</key><string/><key>license</key><string></string>"
                   "<key>short_desc</key><string><![CDATA[A & B <tools>]]></string></dict>\n"
                   "<key>notadict</key><string>ignored-1.0_1</string>\n"
                   "<key>emptydict</key><dict/>\n"
                   "<key>mixed</key><dict><key>pkgver</key><string>mixed-2_1</string>"
                   "<key>short_desc</key><string>one<b>bold</b> two</string>"
                   "<key>source-revisions</key><string>mixsrc:deadbeef</string>"
                   "<key>alternatives</key><dict><key>pkgver</key><string>x-9_9</string></dict>"
                   "<key>pkgver</key><!-- a comment --><string>mixed-2_1</string></dict>\n"
                   "<key>weird</key><dict><key>pkgver</key><string>other-name-3.1_4</string>"
                   "</dict>\n" PLIST_TAIL;
    rc_set c = {.check = binnames_single};
    pf_parse_stats st;
    char err[256] = "";
    if (parse_plist(plist, &c, &st, err, sizeof err) != 0)
        fail_msg("%s", err);
    assert_false(c.bad);
    assert_int_equal(st.skipped, 3); /* nover, notadict, emptydict */
    assert_int_equal(c.n, 3);
    const rc_rec *r = rc_need(&c, "nosrc", NULL);
    assert_string_equal(r->version, "1.0_2");
    assert_string_equal(r->binnames, "nosrc");
    assert_string_equal(r->maintainers, "orphan@voidlinux.org");
    assert_null(r->homepage);
    assert_null(r->license);
    assert_string_equal(r->summary, "A & B <tools>");
    r = rc_need(&c, "mixsrc", NULL);
    assert_string_equal(r->binnames, "mixed");
    assert_string_equal(r->version, "2_1"); /* not the nested dict's pkgver */
    assert_string_equal(r->summary, "one two");
    r = rc_need(&c, "weird", NULL);
    assert_string_equal(r->version, "3.1_4");
    rc_free(&c);
}

/* Malformed or hostile XML: errors with a cause, no entity expansion, no file access. */
static void test_void_hostile(void **state)
{
    (void)state;
    rc_set c = {.check = binnames_single};
    pf_parse_stats st;
    char err[256];

    /* Unclosed elements. */
    err[0] = '\0';
    assert_int_equal(parse_plist(PLIST_HEAD "<key>a</key><dict><key>pkgver</key><string>a-1_1", &c,
                                 &st, err, sizeof err),
                     -1);
    assert_non_null(strstr(err, "void-repodata: index.plist: "));
    assert_int_equal(c.n, 0);

    /* Not a plist. */
    err[0] = '\0';
    assert_int_equal(
        parse_plist("<?xml version=\"1.0\"?><html><body/></html>", &c, &st, err, sizeof err), -1);
    assert_string_equal(err, "void-repodata: index.plist: root element is <html>, not <plist>");

    /* Garbage bytes. */
    err[0] = '\0';
    assert_int_equal(parse_plist("\x01\x02 not xml at all <<<", &c, &st, err, sizeof err), -1);
    assert_non_null(strstr(err, "void-repodata: index.plist: "));

    /* A billion-laughs seed: refused (libxml2's amplification check) or left unexpanded. */
    static const char laughs[] =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE plist [\n"
        "<!ENTITY a \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\">\n"
        "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
        "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n"
        "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">\n]>\n"
        "<plist version=\"1.0\"><dict><key>e</key><dict><key>pkgver</key><string>e-1_1</string>"
        "<key>short_desc</key><string>[&d;]</string></dict></dict></plist>\n";
    err[0] = '\0';
    if (parse_plist(laughs, &c, &st, err, sizeof err) == 0) {
        const rc_rec *r = rc_need(&c, "e", NULL);
        assert_string_equal(r->summary, "[]");
    } else {
        assert_non_null(strstr(err, "void-repodata: index.plist: "));
    }
    rc_free(&c);

    /* Entity references are dropped, not expanded; external ones are never loaded. */
    static const char ents[] =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE plist [\n<!ENTITY a \"aaaa\">\n"
        "<!ENTITY b \"&a;&a;&a;\">\n<!ENTITY x SYSTEM \"file:///etc/passwd\">\n]>\n"
        "<plist version=\"1.0\"><dict><key>e</key><dict><key>pkgver</key><string>e-1_1</string>"
        "<key>short_desc</key><string>[&b;]</string><key>homepage</key><string>&x;</string>"
        "</dict></dict></plist>\n";
    err[0] = '\0';
    if (parse_plist(ents, &c, &st, err, sizeof err) != 0)
        fail_msg("%s", err);
    const rc_rec *r = rc_need(&c, "e", NULL);
    assert_string_equal(r->summary, "[]");
    assert_null(r->homepage); /* /etc/passwd never read */
    rc_free(&c);

    /* No index.plist member. */
    tar_ent meta = {"index-meta.plist", PLIST_HEAD PLIST_TAIL, strlen(PLIST_HEAD PLIST_TAIL),
                    T_FILE, NULL};
    membuf t = {0};
    build_tar(&meta, 1, ARCHIVE_FILTER_ZSTD, 0, &t);
    err[0] = '\0';
    assert_int_equal(parse_raw(pf_parse_void_repodata, &t, &c, &st, err, sizeof err), -1);
    assert_string_equal(err, "void-repodata: no index.plist member in the archive");
    free(t.p);

    /* Truncated zstd repodata. */
    size_t plen;
    char *plist = tu_slurp(tu_fixture("archives/void/index.plist"), &plen);
    assert_non_null(plist);
    membuf rd = {0};
    build_repodata(plist, plen, ARCHIVE_FILTER_ZSTD, &rd);
    membuf cut = {rd.p, rd.len * 2 / 3, rd.cap};
    for (int raw = 0; raw < 2; raw++) {
        err[0] = '\0';
        int rc = raw ? parse_raw(pf_parse_void_repodata, &cut, &c, &st, err, sizeof err)
                     : parse_crawler(pf_parse_void_repodata, &cut, &c, &st, err, sizeof err);
        assert_int_equal(rc, -1);
        assert_int_equal(c.n, 0);
        assert_non_null(strstr(err, "void-repodata: "));
    }
    free(rd.p);
    free(plist);
    rc_free(&c);
}

/*
 * Real scale: an index.plist generated from the 9,548 void-packages
 * templates plus their 5,360 subpackages (one dict per binary package,
 * sorted by name, with the keys xbps writes). Every source package must
 * come out once with its version and all its package names.
 */
static void test_real_void_index(void **state)
{
    (void)state;
    const char *path = tu_realdata("void/void-srcpkgs-detail.tsv.xz");
    if (!path)
        skip();
    char oerr[256];
    pf_reader *r = pf_reader_open_path(path, 0, oerr, sizeof oerr);
    assert_non_null(r);
    pf_lines *l = pf_lines_new(r, 1 << 20);
    gen_src *src = NULL;
    gen_pkg *pk = NULL;
    size_t nsrc = 0, csrc = 0, npk = 0, cpk = 0;
    char *line;
    size_t len;
    int first = 1;
    while (pf_lines_next(l, &line, &len) == 1) {
        if (first) {
            first = 0;
            continue;
        }
        char *f[10];
        if (split_tabs(line, f, 10) != 10)
            fail_msg("bad detail line");
        /* name version archs restricted broken license homepage maintainer subpackages desc */
        if (nsrc == csrc) {
            csrc = csrc ? csrc * 2 : 16384;
            src = realloc(src, csrc * sizeof *src);
            assert_non_null(src);
        }
        src[nsrc].name = strdup(f[0]);
        src[nsrc].version = strdup(f[1]);
        src[nsrc].nbin = 1 + distinct_subs(f[8], f[0]);
        nsrc++;
        char *subs = strdup(f[8]);
        const char *pkg = f[0];
        char *save = NULL, *tok = NULL;
        for (;;) {
            membuf t = {0};
            mb_puts(&t, "\t<key>");
            mb_xml(&t, pkg);
            mb_puts(&t, "</key>\n\t<dict>\n\t\t<key>architecture</key>\n\t\t<string>x86_64"
                        "</string>\n\t\t<key>filename-size</key>\n\t\t<integer>123456</integer>\n"
                        "\t\t<key>homepage</key>\n\t\t<string>");
            mb_xml(&t, f[6]);
            mb_puts(&t, "</string>\n\t\t<key>license</key>\n\t\t<string>");
            mb_xml(&t, f[5]);
            mb_puts(&t, "</string>\n\t\t<key>maintainer</key>\n\t\t<string>");
            mb_xml(&t, f[7]);
            mb_puts(&t, "</string>\n\t\t<key>pkgver</key>\n\t\t<string>");
            mb_xml(&t, pkg);
            mb_puts(&t, "-");
            mb_xml(&t, f[1]);
            mb_puts(&t, "</string>\n\t\t<key>run_depends</key>\n\t\t<array>\n\t\t\t<string>"
                        "glibc&gt;=2.41_1</string>\n\t\t</array>\n\t\t<key>short_desc</key>\n"
                        "\t\t<string>");
            mb_xml(&t, f[9]);
            mb_puts(&t, "</string>\n\t\t<key>source-revisions</key>\n\t\t<string>");
            mb_xml(&t, f[0]);
            mb_puts(&t, ":bc618b9adc</string>\n\t</dict>\n");
            if (npk == cpk) {
                cpk = cpk ? cpk * 2 : 32768;
                pk = realloc(pk, cpk * sizeof *pk);
                assert_non_null(pk);
            }
            pk[npk].name = strdup(pkg);
            pk[npk].text = (char *)t.p;
            npk++;
            tok = strtok_r(tok ? NULL : subs, " ", &save);
            if (!tok)
                break;
            pkg = tok;
        }
        free(subs);
    }
    pf_lines_free(l);
    pf_reader_close(r);
    assert_int_equal(nsrc, 9548);
    qsort(pk, npk, sizeof *pk, cmp_gen);
    membuf plist = {0};
    mb_puts(&plist, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE plist PUBLIC "
                    "\"-//Apple Computer//DTD PLIST 1.0//EN\" "
                    "\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
                    "<plist version=\"1.0\">\n<dict>\n");
    for (size_t i = 0; i < npk; i++)
        mb_puts(&plist, pk[i].text);
    mb_puts(&plist, PLIST_TAIL);
    membuf rd = {0};
    build_repodata((char *)plist.p, plist.len, ARCHIVE_FILTER_ZSTD, &rd);

    rc_set c = {.check = binnames_single};
    pf_parse_stats st;
    char err[256] = "";
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = parse_crawler(pf_parse_void_repodata, &rd, &c, &st, err, sizeof err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (rc != 0)
        fail_msg("%s", err);
    printf("# void-repodata: %zu packages, %.1f MB index.plist (%.1f MB zstd), %zu sources in "
           "%.3f s (%.0f MB/s, copying every record)\n",
           npk, plist.len / 1e6, rd.len / 1e6, c.n, secs(&t0, &t1),
           plist.len / 1e6 / secs(&t0, &t1));
    check_generated(&c, src, nsrc, "void");
    assert_int_equal(st.skipped, 0);
    const rc_rec *x = rc_need(&c, "xbps", NULL);
    assert_string_equal(x->binnames, "libxbps libxbps-devel xbps xbps-tests");
    assert_string_equal(x->maintainers, "xtraeme@gmail.com");
    assert_string_equal(norm(PF_VS_VOID, x->version), "0.60.7");
    rc_free(&c);
    gen_free(src, nsrc, pk, npk);
    free(plist.p);
    free(rd.p);
}

/* ---------------------------------------------------------------------------------------- */
/* Helpers */

/* pf_normalize_void cuts exactly a trailing "_<digits>". */
static void test_normalize_void(void **state)
{
    (void)state;
    static const char *cases[][2] = {
        {"0.60.7_1", "0.60.7"},
        {"2.41_12", "2.41"},
        {"1.0", "1.0"},
        {"1.0_rc1_2", "1.0_rc1"},
        {"1.0_rc1", "1.0_rc1"},
        {"1.0_", "1.0_"},
        {"_1", "_1"},
        {"20250101_3", "20250101"},
        {"6.18.23_1", "6.18.23"},
        {"1.2_3a", "1.2_3a"},
        {"0.0.1alpha_10", "0.0.1alpha"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[64];
        unsigned flags = 0;
        size_t n = pf_normalize_void(cases[i][0], out, sizeof out, &flags);
        assert_string_equal(out, cases[i][1]);
        assert_int_equal(n, strlen(cases[i][1]));
        assert_int_equal(flags, 0);
        assert_string_equal(norm(PF_VS_VOID, cases[i][0]), cases[i][1]);
    }
    assert_int_equal(pf_vscheme_for_format("void-repodata"), PF_VS_VOID);
    char small[4];
    unsigned flags = 0;
    assert_int_equal(pf_normalize_void("12345_6", small, sizeof small, &flags), 3);
    assert_string_equal(small, "123");
    assert_int_equal(pf_normalize_void("1_2", small, 0, &flags), 0);
}

/* pf_srcgroup: main package wins, names merged without duplicates, table growth, order. */
static void test_srcgroup(void **state)
{
    (void)state;
    pf_srcgroup *g = pf_srcgroup_new();
    assert_non_null(g);
    pf_record a = {.srcname = "foo",
                   .binnames = "libfoo",
                   .version = "1-r0",
                   .summary = "lib",
                   .homepage = NULL,
                   .license = "MIT"};
    pf_record b = {.srcname = "foo",
                   .binnames = "foo",
                   .version = "1-r0",
                   .summary = "main",
                   .maintainers = "x@y.org",
                   .flags = PF_F_DEVEL};
    pf_record c2 = {.srcname = "foo",
                    .binnames = "foo-doc",
                    .version = "1-r0",
                    .homepage = "https://foo.example/",
                    .summary = "docs"};
    assert_int_equal(pf_srcgroup_add(g, &a), 0);
    assert_int_equal(pf_srcgroup_add(g, &b), 0);
    assert_int_equal(pf_srcgroup_add(g, &c2), 0);
    assert_int_equal(pf_srcgroup_add(g, &a), 0); /* duplicate name: merged away */
    /* 50,000 more groups force the hash table through several doublings. */
    char name[32];
    for (int i = 0; i < 50000; i++) {
        snprintf(name, sizeof name, "pkg%05d", i);
        pf_record r = {.srcname = name, .binnames = name, .version = "1"};
        assert_int_equal(pf_srcgroup_add(g, &r), 0);
        if (i % 7 == 0) {
            char sub[40];
            snprintf(sub, sizeof sub, "%s-dev", name);
            pf_record s = {.srcname = name, .binnames = sub, .version = "1"};
            assert_int_equal(pf_srcgroup_add(g, &s), 0);
        }
    }
    assert_int_equal(pf_srcgroup_count(g), 50001);
    rc_set c = {.check = binnames_single};
    long n = 0;
    assert_int_equal(pf_srcgroup_emit(g, rc_emit, &c, &n), 0);
    assert_int_equal(n, 50001);
    const rc_rec *r = &c.recs[0];
    assert_string_equal(r->srcname, "foo");
    assert_string_equal(r->binnames, "libfoo foo foo-doc");
    assert_string_equal(r->summary, "main");
    assert_string_equal(r->maintainers, "x@y.org");
    assert_string_equal(r->license, "MIT");                   /* filled from libfoo */
    assert_string_equal(r->homepage, "https://foo.example/"); /* filled from foo-doc */
    assert_string_equal(c.recs[1].srcname, "pkg00000");
    assert_string_equal(c.recs[1].binnames, "pkg00000 pkg00000-dev");
    assert_string_equal(c.recs[50000].srcname, "pkg49999");
    assert_string_equal(c.recs[50000].binnames, "pkg49999");
    rc_free(&c);

    /* Emit stops on request and reports how many were accepted. */
    c.stop_after = 3;
    assert_int_equal(pf_srcgroup_emit(g, rc_emit, &c, &n), 7);
    assert_int_equal(n, 2);
    rc_free(&c);
    pf_srcgroup_free(g);
    pf_srcgroup_free(NULL);
}

/* pf_archive: chunked member reads, the member reader with pf_lines, the size cap. */
static void test_archive_helper(void **state)
{
    (void)state;
    /* A 3 MB member of numbered lines: read through pf_lines over the member reader. */
    membuf big = {0};
    for (int i = 0; i < 300000; i++)
        mb_printf(&big, "line %06d\n", i);
    static const char small[] = "tiny";
    tar_ent ents[] = {
        {"big.txt", big.p, big.len, T_FILE, NULL},
        {"small.txt", small, sizeof small - 1, T_FILE, NULL},
    };
    membuf t = {0};
    build_tar(ents, 2, ARCHIVE_FILTER_XZ, 0, &t);
    raw_reader rr = raw_open(t.p, t.len);
    char err[256];
    pf_archive *a = pf_archive_open(&rr.base, err, sizeof err);
    assert_non_null(a);
    const char *path;
    int64_t size;
    assert_int_equal(pf_archive_next(a, &path, &size), 1);
    assert_string_equal(path, "big.txt");
    assert_int_equal(size, (int64_t)big.len);
    pf_lines *l = pf_lines_new(pf_archive_member(a), 0);
    char *line;
    size_t len;
    int count = 0, got;
    while ((got = pf_lines_next(l, &line, &len)) == 1) {
        char want[16];
        snprintf(want, sizeof want, "line %06d", count);
        if (strcmp(line, want) != 0)
            fail_msg("line %d: %s", count, line);
        count++;
    }
    assert_int_equal(got, 0);
    assert_int_equal(count, 300000);
    assert_int_equal(pf_archive_member(a)->nread, big.len);
    pf_lines_free(l);
    pf_reader_close(pf_archive_member(a)); /* a no-op */
    /* Next member, read whole; a member bigger than the cap is an error. */
    assert_int_equal(pf_archive_next(a, &path, &size), 1);
    assert_string_equal(path, "small.txt");
    char *buf = NULL;
    size_t blen = 0, bcap = 0;
    assert_int_equal(pf_archive_read_all(a, &buf, &blen, &bcap, 100), 0);
    assert_string_equal(buf, "tiny");
    assert_int_equal(pf_archive_next(a, &path, &size), 0);
    pf_archive_close(a);

    /* The same archive with a member-data cap (the input's limit) below its content. */
    rr = raw_open(t.p, t.len);
    rr.base.limit = 1000000;
    a = pf_archive_open(&rr.base, err, sizeof err);
    assert_non_null(a);
    assert_int_equal(pf_archive_next(a, &path, &size), 1);
    assert_int_equal(pf_archive_read_all(a, &buf, &blen, &bcap, (size_t)1 << 30), -1);
    assert_string_equal(pf_archive_error(a), "archive: member data exceeds 1000000 bytes");
    assert_int_equal(pf_archive_next(a, &path, &size), -1); /* errors are sticky */
    pf_archive_close(a);

    /* read_all's own cap. */
    rr = raw_open(t.p, t.len);
    a = pf_archive_open(&rr.base, err, sizeof err);
    assert_int_equal(pf_archive_next(a, &path, &size), 1);
    assert_int_equal(pf_archive_read_all(a, &buf, &blen, &bcap, 4096), -1);
    assert_non_null(strstr(pf_archive_error(a), "larger than 4096 bytes"));
    pf_archive_close(a);
    free(buf);
    free(t.p);
    free(big.p);

    /* Empty input. */
    rr = raw_open("", 0);
    a = pf_archive_open(&rr.base, err, sizeof err);
    if (a) {
        assert_int_equal(pf_archive_next(a, &path, &size), -1);
        pf_archive_close(a);
    }

    /* e-mail extraction. */
    char out[64];
    assert_int_equal(pf_extract_email("Natanael Copa <NCopa@AlpineLinux.org>", 37, out, sizeof out),
                     21);
    assert_string_equal(out, "ncopa@alpinelinux.org");
    assert_int_equal(pf_extract_email("bare@Example.com", 16, out, sizeof out), 16);
    assert_string_equal(out, "bare@example.com");
    assert_int_equal(pf_extract_email("No Address", 10, out, sizeof out), 0);
    assert_string_equal(out, "");
    assert_int_equal(pf_extract_email("Bad <a b@c>", 11, out, sizeof out), 0);
    assert_string_equal(out, "");
    assert_int_equal(pf_extract_email("x <a@b.c>", 9, out, 3), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arch_db),           cmocka_unit_test(test_arch_format_table),
        cmocka_unit_test(test_arch_hostile),      cmocka_unit_test(test_arch_truncated_corrupt),
        cmocka_unit_test(test_emit_stops),        cmocka_unit_test(test_apkindex),
        cmocka_unit_test(test_apkindex_odd),      cmocka_unit_test(test_apkindex_truncated),
        cmocka_unit_test(test_real_alpine_index), cmocka_unit_test(test_void_repodata),
        cmocka_unit_test(test_void_odd),          cmocka_unit_test(test_void_hostile),
        cmocka_unit_test(test_real_void_index),   cmocka_unit_test(test_normalize_void),
        cmocka_unit_test(test_srcgroup),          cmocka_unit_test(test_archive_helper),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
