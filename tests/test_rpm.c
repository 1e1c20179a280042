/*
 * test_rpm.c — rpm-md support: the primary.xml parser (crawler/formats/fmt_rpm_md.c),
 * the repomd.xml reader (crawler/repomd.c) and RPM version normalization
 * (analyzer/normalize_rpm.c).
 *
 * Fixtures in tests/fixtures/rpm/ are hand-written in the true rpm-md format
 * (real namespaces, the element layout createrepo_c writes): a Fedora-style
 * source primary, an openSUSE-style source primary, a CentOS-style binary
 * primary and a repomd.xml. Compressed variants are made in the test with
 * zlib, liblzma, libbz2 and libzstd. The repology-rs parser fixtures and
 * their .snap expectations are read from ../shared/realdata when present.
 */
#include "testutil.h"

#include <bzlib.h>
#include <lzma.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <valgrind/valgrind.h>
#include <zlib.h>
#include <zstd.h>

#include "pkgfresh/format.h"
#include "pkgfresh/normalize.h"
#include "pkgfresh/reader.h"
#include "reccollect.h"
#include "pkgfresh/record.h"
#include "pkgfresh/repomd.h"

#define RS_FIX "repology-rs-fixtures/repology-updater/src/parsing/parsers/"

/* rpm-md's own invariant: binary names plain, never a dependency expression. */
static int binnames_plain(void *arg, const pf_record *rec)
{
    (void)arg;
    const char *b = rec->binnames;
    return b && (!b[0] || strchr(b, '(') || strstr(b, "  ") || b[0] == ' ');
}

/* Compare two optional strings, failing with the field name. */
static void check_str(const char *what, const char *got, const char *want)
{
    if (!want && !got)
        return;
    if (!want || !got || strcmp(got, want) != 0)
        fail_msg("%s: got [%s], want [%s]", what, got ? got : "(null)", want ? want : "(null)");
}

/* Parse a file (any compression) into c; returns the parser's result. */
static int parse_path(const char *path, rc_set *c, char *err, size_t errlen)
{
    char oerr[256];
    pf_reader *r = pf_reader_open_path(path, 0, oerr, sizeof oerr);
    if (!r)
        fail_msg("open %s: %s", path, oerr);
    int rc = pf_parse_rpm_md(r, NULL, rc_emit, c, &(pf_parse_stats){0, 0}, err, errlen);
    pf_reader_close(r);
    return rc;
}

/* Parse a memory buffer into c; returns the parser's result. */
static int parse_mem(const void *buf, size_t len, rc_set *c, char *err, size_t errlen)
{
    char oerr[256];
    pf_reader *r = pf_reader_open_mem(buf, len, PF_CODEC_NONE, oerr, sizeof oerr);
    if (!r)
        fail_msg("open mem: %s", oerr);
    int rc = pf_parse_rpm_md(r, NULL, rc_emit, c, &(pf_parse_stats){0, 0}, err, errlen);
    pf_reader_close(r);
    return rc;
}

/* Parse a NUL-terminated document from memory. */
static int parse_str(const char *s, rc_set *c, char *err, size_t errlen)
{
    return parse_mem(s, strlen(s), c, err, errlen);
}

/* Check the 6 records of primary-fedora-src.xml (shared by the compressed variants). */
static void check_fedora(const rc_set *c)
{
    assert_false(c->bad);
    /* noarch binary dropped, %{ name and the package without ver skipped. */
    assert_int_equal(c->n, 6);
    check_str("order", c->recs[0].srcname, "bash");
    check_str("order", c->recs[5].srcname, "golang-github-example-snap");

    const rc_rec *r = rc_need(c, "bash", NULL);
    check_str("bash version", r->version, "5.2.37-1.fc44");
    check_str("bash binnames", r->binnames, "bash bash-devel bash-doc");
    check_str("bash maint", r->maintainers, NULL); /* "Fedora Project": no e-mail */
    check_str("bash homepage", r->homepage, "https://www.gnu.org/software/bash");
    check_str("bash license", r->license, "GPL-3.0-or-later");
    check_str("bash category", r->category, "Unspecified");
    check_str("bash summary", r->summary, "The GNU Bourne Again shell");
    assert_int_equal(r->flags, 0);

    r = rc_need(c, "NetworkManager", NULL);
    check_str("NM version", r->version, "1:1.52.0-0.1.rc1.fc44");
    /* deduplicated; "(x86-64)" virtual and the file provide left out */
    check_str("NM binnames", r->binnames,
              "NetworkManager NetworkManager-libnm NetworkManager-wifi");
    check_str("NM maint", r->maintainers, "releng@fedoraproject.org");
    check_str("NM category", r->category, "System Environment/Base");
    check_str("NM license", r->license, "GPL-2.0-or-later AND LGPL-2.1-or-later");

    r = rc_need(c, "python-requests", NULL);
    check_str("requests homepage", r->homepage, NULL); /* no <url> */
    check_str("requests summary", r->summary,
              "HTTP library, written in Python, for human beings & robots");
    check_str("requests binnames", r->binnames,
              "python3-requests python3-requests+security python3-requests+socks");

    r = rc_need(c, "xmlstarlet", NULL);
    check_str("xmlstarlet summary", r->summary, "Command line <XML> toolkit & friends");
    check_str("xmlstarlet license", r->license, "MIT AND (BSD-3-Clause OR GPL-2.0-or-later)");
    check_str("xmlstarlet homepage", r->homepage, "https://xmlstar.sourceforge.net/");
    check_str("xmlstarlet maint", r->maintainers, "jane@example.org");
    check_str("xmlstarlet category", r->category, "Applications/Text");

    r = rc_need(c, "vim", NULL);
    check_str("vim version", r->version, "2:9.1.1000-1.fc44");
    check_str("vim binnames", r->binnames, "vim-common vim-enhanced vim-minimal vim-X11");

    r = rc_need(c, "golang-github-example-snap", NULL);
    check_str("snap version", r->version, "0-0.12.20240101git1a2b3c4.fc44");
    check_str("snap binnames", r->binnames, NULL);
}

/* Fedora-style source primary: fields, epochs, escapes, CDATA, skips. */
static void test_fedora_src(void **state)
{
    (void)state;
    rc_set c = {.check = binnames_plain};
    char err[256] = "";
    assert_int_equal(parse_path(tu_fixture("rpm/primary-fedora-src.xml"), &c, err, sizeof err), 0);
    check_fedora(&c);
    rc_free(&c);
}

/* openSUSE-style source primary: 150600.x releases, lp tags, '+git' versions, nosrc. */
static void test_opensuse_src(void **state)
{
    (void)state;
    rc_set c = {.check = binnames_plain};
    char err[256] = "";
    assert_int_equal(parse_path(tu_fixture("rpm/primary-opensuse-src.xml"), &c, err, sizeof err),
                     0);
    assert_false(c.bad);
    assert_int_equal(c.n, 4);
    const rc_rec *r = rc_need(&c, "aaa_base", NULL);
    check_str("aaa_base version", r->version, "84.87+git20241218.2f1a2b3-150600.1.2");
    check_str("aaa_base maint", r->maintainers, NULL); /* a URL, not an e-mail */
    check_str("aaa_base category", r->category, "System/Fhs");
    check_str("aaa_base binnames", r->binnames, "aaa_base aaa_base-extras aaa_base-malloccheck");
    r = rc_need(&c, "libzypp", NULL);
    check_str("libzypp version", r->version, "17.35.14-150600.3.2");
    r = rc_need(&c, "vim", NULL);
    check_str("vim version", r->version, "9.1.0836-lp156.2.1");
    check_str("vim maint", r->maintainers, "suse-beta@cboltz.de");
    check_str("vim binnames", r->binnames, NULL);
    r = rc_need(&c, "gcc14", NULL); /* nosrc.rpm: a source package whose sources are not shipped */
    check_str("gcc14 category", r->category, "Development/Languages/C and C++");

    /* Normalized as the analyzer will see them. */
    char out[64];
    unsigned fl = 0;
    pf_normalize_rpm("84.87+git20241218.2f1a2b3-150600.1.2", out, sizeof out, &fl);
    check_str("aaa_base norm", out, "84.87");
    assert_int_equal(fl, 0);
    fl = 0;
    pf_normalize_rpm("9.1.0836-lp156.2.1", out, sizeof out, &fl);
    check_str("vim norm", out, "9.1.0836");
    assert_int_equal(fl, 0);
    rc_free(&c);
}

/* Binary primary (no src package): one record per source rpm, fields from the main package. */
static void test_centos_binary(void **state)
{
    (void)state;
    rc_set c = {.check = binnames_plain};
    char err[256] = "";
    assert_int_equal(parse_path(tu_fixture("rpm/primary-centos-bin.xml"), &c, err, sizeof err), 0);
    assert_false(c.bad);
    assert_int_equal(c.n, 4); /* gpg-pubkey has no sourcerpm */
    /* order of first appearance */
    check_str("0", c.recs[0].srcname, "NetworkManager");
    check_str("1", c.recs[1].srcname, "bash");
    check_str("2", c.recs[2].srcname, "glibc");
    check_str("3", c.recs[3].srcname, "python-requests");

    const rc_rec *r = &c.recs[0];
    check_str("NM version", r->version, "1:1.51.90-1.el9");
    check_str("NM binnames", r->binnames, "NetworkManager-libnm NetworkManager");
    /* fields of the binary named like the source win over the first binary's */
    check_str("NM summary", r->summary, "Network connection manager and user applications");
    check_str("NM license", r->license, "GPL-2.0-or-later AND LGPL-2.1-or-later");
    check_str("NM category", r->category, "System Environment/Base");
    check_str("NM maint", r->maintainers, "builder@centos.org");
    r = &c.recs[1];
    check_str("bash version", r->version, "5.1.8-9.el9");
    check_str("bash binnames", r->binnames, "bash bash-doc");
    r = &c.recs[2];
    check_str("glibc binnames", r->binnames, "glibc glibc-common"); /* i686 + x86_64 once */
    check_str("glibc version", r->version, "2.34-168.el9");
    r = &c.recs[3];
    check_str("requests binnames", r->binnames, "python3-requests");
    check_str("requests version", r->version, "2.25.1-8.el9");
    check_str("requests homepage", r->homepage, "https://pypi.io/project/requests");
    rc_free(&c);
}

/* Write buf to path compressed with codec (gzip, xz, bzip2, zstd) using the libraries. */
static void write_compressed(const char *path, const char *buf, size_t len, pf_codec codec)
{
    size_t cap = len + len / 2 + 1024;
    char *out = malloc(cap);
    assert_non_null(out);
    size_t olen = 0;
    if (codec == PF_CODEC_GZIP) {
        z_stream z;
        memset(&z, 0, sizeof z);
        assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
        z.next_in = (unsigned char *)buf;
        z.avail_in = (uInt)len;
        z.next_out = (unsigned char *)out;
        z.avail_out = (uInt)cap;
        assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
        olen = z.total_out;
        deflateEnd(&z);
    } else if (codec == PF_CODEC_XZ) {
        assert_int_equal(lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, NULL, (const uint8_t *)buf,
                                                 len, (uint8_t *)out, &olen, cap),
                         LZMA_OK);
    } else if (codec == PF_CODEC_BZIP2) {
        unsigned int bl = (unsigned int)cap;
        assert_int_equal(
            BZ2_bzBuffToBuffCompress(out, &bl, (char *)buf, (unsigned int)len, 9, 0, 0), BZ_OK);
        olen = bl;
    } else {
        olen = ZSTD_compress(out, cap, buf, len, 19);
        assert_false(ZSTD_isError(olen));
    }
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(out, 1, olen, fp), olen);
    assert_int_equal(fclose(fp), 0);
    free(out);
}

/* The same primary compressed four ways, read through pf_reader_open_path. */
static void test_compressed(void **state)
{
    (void)state;
    size_t len;
    char *xml = tu_slurp(tu_fixture("rpm/primary-fedora-src.xml"), &len);
    assert_non_null(xml);
    const char *dir = tu_tmpdir("rpm-compressed");
    static const struct {
        pf_codec codec;
        const char *ext;
    } v[] = {{PF_CODEC_GZIP, "gz"},
             {PF_CODEC_XZ, "xz"},
             {PF_CODEC_BZIP2, "bz2"},
             {PF_CODEC_ZSTD, "zst"}};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        char path[4200];
        snprintf(path, sizeof path, "%s/primary.xml.%s", dir, v[i].ext);
        write_compressed(path, xml, len, v[i].codec);
        rc_set c = {.check = binnames_plain};
        char err[256] = "";
        int rc = parse_path(path, &c, err, sizeof err);
        if (rc != 0)
            fail_msg("%s: %s", v[i].ext, err);
        check_fedora(&c);
        rc_free(&c);
    }
    free(xml);
}

/*
 * Find " key: " in a .snap text and read its value into out: a "string"
 * (basic escapes), or a [ "list", ... ] joined with spaces. 1 found, 0 not.
 */
static int snap_get(const char *snap, const char *key, char *out, size_t outlen)
{
    char pat[64];
    snprintf(pat, sizeof pat, " %s: ", key);
    const char *p = strstr(snap, pat);
    if (!p)
        return 0;
    p += strlen(pat);
    size_t o = 0;
    int list = *p == '[';
    int items = 0;
    while (*p && (list ? *p != ']' : 1)) {
        if (*p == '"') {
            if (list && items++ > 0 && o + 1 < outlen)
                out[o++] = ' ';
            p++;
            while (*p && *p != '"') {
                if (*p == '\\' && p[1])
                    p++;
                if (o + 1 < outlen)
                    out[o++] = *p;
                p++;
            }
            if (!list)
                break;
        }
        if (*p)
            p++;
    }
    out[o] = '\0';
    return 1;
}

/* One repology-rs repodata fixture: our fields against its .snap expectations. */
static void check_rs_fixture(const char *name)
{
    char rel[256], srel[256];
    snprintf(rel, sizeof rel, RS_FIX "fixtures/repodata/%s", name);
    snprintf(srel, sizeof srel,
             RS_FIX "snapshots/repology_updater__parsing__parsers__repodata__tests__%s.snap", name);
    const char *path = tu_realdata(rel);
    const char *spath = tu_realdata(srel);
    if (!path || !spath)
        skip();
    char *snap = tu_slurp(spath, NULL);
    assert_non_null(snap);
    rc_set c = {.check = binnames_plain};
    char err[256] = "";
    if (parse_path(path, &c, err, sizeof err) != 0)
        fail_msg("%s: %s", name, err);
    assert_false(c.bad);
    assert_int_equal(c.n, 1);
    const rc_rec *r = &c.recs[0];
    char want[4096];

    assert_true(snap_get(snap, "srcname", want, sizeof want));
    check_str("srcname", r->srcname, want);
    assert_true(snap_get(snap, "rawversion", want, sizeof want));
    check_str("rawversion", r->version, want);
    /* binnames: the provides (source mode) or the binary name (binary mode, "binname") */
    if (snap_get(snap, "binnames", want, sizeof want) ||
        snap_get(snap, "binname", want, sizeof want))
        check_str("binnames", r->binnames, want);
    else
        check_str("binnames", r->binnames, NULL);
    check_str("maintainers", r->maintainers,
              snap_get(snap, "maintainers", want, sizeof want) ? want : NULL);
    assert_true(snap_get(snap, "category", want, sizeof want));
    check_str("category", r->category, want);
    assert_true(snap_get(snap, "comment", want, sizeof want));
    check_str("summary", r->summary, want);
    assert_true(snap_get(snap, "licenses", want, sizeof want)); /* one licence string each */
    check_str("license", r->license, want);
    assert_true(snap_get(snap, "url", want, sizeof want));
    check_str("homepage", r->homepage, want);

    /* The normalized version ("version" key after rawversion). */
    const char *after = strstr(snap, " rawversion: ");
    assert_non_null(after);
    assert_true(snap_get(after + 1, "version", want, sizeof want));
    char out[128];
    unsigned fl = 0;
    pf_normalize_rpm(r->version, out, sizeof out, &fl);
    check_str("normalized", out, want);
    assert_int_equal(fl, 0);
    free(snap);
    rc_free(&c);
}

static void test_rs_centos(void **state)
{
    (void)state;
    check_rs_fixture("ok_centos");
}

static void test_rs_fedora(void **state)
{
    (void)state;
    check_rs_fixture("ok_fedora");
}

static void test_rs_rpmfusion(void **state)
{
    (void)state;
    check_rs_fixture("ok_rpmfusion");
}

static void test_rs_openmamba(void **state)
{
    (void)state;
    check_rs_fixture("ok_openmamba");
}

static void test_rs_terra(void **state)
{
    (void)state;
    check_rs_fixture("ok_terra");
}

/* Run pf_repomd_primary over a string. */
static int repomd_str(const char *s, char *href, size_t hl, char *ck, size_t cl, char *err,
                      size_t el)
{
    char oerr[256];
    pf_reader *r = pf_reader_open_mem(s, strlen(s), PF_CODEC_NONE, oerr, sizeof oerr);
    assert_non_null(r);
    int rc = pf_repomd_primary(r, href, hl, ck, cl, err, el);
    pf_reader_close(r);
    return rc;
}

/* repomd.xml: the primary entry is found among primary_zck, filelists, primary_db ... */
static void test_repomd_fixture(void **state)
{
    (void)state;
    char err[256] = "", oerr[256];
    char href[512], ck[256];
    pf_reader *r = pf_reader_open_path(tu_fixture("rpm/repomd.xml"), 0, oerr, sizeof oerr);
    assert_non_null(r);
    int rc = pf_repomd_primary(r, href, sizeof href, ck, sizeof ck, err, sizeof err);
    pf_reader_close(r);
    if (rc != 0)
        fail_msg("%s", err);
    check_str("href", href,
              "repodata/"
              "6ec4b0d8fa4ac7e19b0fe5d3e0b2ef7b3f0f2d4c1a5e6b7c8d9e0f1a2b3c4d5e-primary.xml.zst");
    check_str("checksum", ck,
              "sha256:6ec4b0d8fa4ac7e19b0fe5d3e0b2ef7b3f0f2d4c1a5e6b7c8d9e0f1a2b3c4d5e");

    /* The same file gzip-compressed (some mirrors serve repomd.xml.gz). */
    size_t len;
    char *xml = tu_slurp(tu_fixture("rpm/repomd.xml"), &len);
    assert_non_null(xml);
    const char *dir = tu_tmpdir("rpm-repomd");
    char path[4200];
    snprintf(path, sizeof path, "%s/repomd.xml.gz", dir);
    write_compressed(path, xml, len, PF_CODEC_GZIP);
    free(xml);
    r = pf_reader_open_path(path, 0, oerr, sizeof oerr);
    assert_non_null(r);
    assert_int_equal(pf_repomd_primary(r, href, sizeof href, ck, sizeof ck, err, sizeof err), 0);
    pf_reader_close(r);
    check_str("checksum gz", ck,
              "sha256:6ec4b0d8fa4ac7e19b0fe5d3e0b2ef7b3f0f2d4c1a5e6b7c8d9e0f1a2b3c4d5e");
}

/* The real repomd.xml of the repology-rs fetcher test. */
static void test_repomd_realdata(void **state)
{
    (void)state;
    const char *path =
        tu_realdata("repology-rs-fixtures/repology-updater/src/fetching/fetchers/repodata/"
                    "fixtures/repomd.xml");
    if (!path)
        skip();
    char err[256] = "", oerr[256], href[512], ck[256];
    pf_reader *r = pf_reader_open_path(path, 0, oerr, sizeof oerr);
    assert_non_null(r);
    int rc = pf_repomd_primary(r, href, sizeof href, ck, sizeof ck, err, sizeof err);
    pf_reader_close(r);
    if (rc != 0)
        fail_msg("%s", err);
    check_str(
        "href", href,
        "repodata/b17f53f807329932851a689e7f8bbc065ab38f71dc213941daedfa4095bbc72a-primary.xml.xz");
    check_str("checksum", ck,
              "sha256:b17f53f807329932851a689e7f8bbc065ab38f71dc213941daedfa4095bbc72a");
}

/* repomd.xml errors: each is -1 with a cause naming the problem. */
static void test_repomd_errors(void **state)
{
    (void)state;
    char err[256], href[512], ck[256];
    static const struct {
        const char *doc, *want;
    } cases[] = {
        {"<?xml version=\"1.0\"?><repomd xmlns=\"http://linux.duke.edu/metadata/repo\">"
         "<data type=\"filelists\"><location href=\"repodata/f.xml.gz\"/></data></repomd>",
         "no <data type=\"primary\">"},
        {"<repomd xmlns=\"http://linux.duke.edu/metadata/repo\"><data type=\"primary\">"
         "<checksum type=\"sha256\">abc</checksum></data></repomd>",
         "no <location href>"},
        {"<repomd xmlns=\"http://linux.duke.edu/metadata/repo\"><data type=\"primary\">"
         "<checksum type=\"sha256\">abc</checksum><location href=\"x\"",
         "line 1"},
        {"<html><body>404 Not Found</body></html>", "not <repomd>"},
        {"<?xml version=\"1.0\"?>\n<!DOCTYPE repomd [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
         "<repomd><data type=\"primary\"><location href=\"&x;\"/></data></repomd>",
         "DOCTYPE"},
        {"", "line"},
        {"\x1f\x8b garbage", "gzip"}, /* looks gzip-compressed: the decoder's cause */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        err[0] = '\0';
        int rc = repomd_str(cases[i].doc, href, sizeof href, ck, sizeof ck, err, sizeof err);
        if (rc != -1 || !strstr(err, cases[i].want))
            fail_msg("case %zu: rc %d err [%s], want [%s]", i, rc, err, cases[i].want);
        assert_null(strstr(href, "root:"));
    }
    /* href longer than the caller's buffer */
    const char *ok = "<repomd xmlns=\"http://linux.duke.edu/metadata/repo\"><data type=\"primary\">"
                     "<location href=\"repodata/0123456789-primary.xml.gz\"/></data></repomd>";
    char small[8];
    assert_int_equal(repomd_str(ok, small, sizeof small, ck, sizeof ck, err, sizeof err), -1);
    assert_non_null(strstr(err, "longer"));
    /* no checksum: an error, or an unchanged primary could not be recognised */
    assert_int_equal(repomd_str(ok, href, sizeof href, ck, sizeof ck, err, sizeof err), -1);
    assert_non_null(strstr(err, "no <checksum"));
    /* checksum longer than the caller's buffer */
    const char *ok2 =
        "<repomd xmlns=\"http://linux.duke.edu/metadata/repo\"><data type=\"primary\">"
        "<location href=\"p.xml.gz\"/><checksum type=\"sha1\">0123456789abcdef"
        "</checksum></data></repomd>";
    assert_int_equal(repomd_str(ok2, href, sizeof href, ck, 10, err, sizeof err), -1);
    assert_non_null(strstr(err, "does not fit"));
    assert_int_equal(repomd_str(ok2, href, sizeof href, ck, sizeof ck, err, sizeof err), 0);
    check_str("href", href, "p.xml.gz");
    check_str("sha1", ck, "sha1:0123456789abcdef");
}

/* An external entity is never resolved: the document is refused, nothing leaks into records. */
static void test_xxe(void **state)
{
    (void)state;
    const char *doc =
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE metadata [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
        "<metadata xmlns=\"http://linux.duke.edu/metadata/common\" "
        "xmlns:rpm=\"http://linux.duke.edu/metadata/rpm\" packages=\"1\">\n"
        "<package type=\"rpm\"><name>evil</name><arch>src</arch>"
        "<version epoch=\"0\" ver=\"1\" rel=\"1\"/><summary>&xxe;</summary></package>\n"
        "</metadata>\n";
    rc_set c = {.check = binnames_plain};
    char err[256] = "";
    assert_int_equal(parse_str(doc, &c, err, sizeof err), -1);
    assert_non_null(strstr(err, "DOCTYPE"));
    assert_non_null(strstr(err, "line 2"));
    for (size_t i = 0; i < c.n; i++)
        assert_null(c.recs[i].summary && strstr(c.recs[i].summary, "root:") ? "leak" : NULL);
    rc_free(&c);

    /* An external DTD is not fetched (no network, no DTD loading): refused as well. */
    const char *doc2 = "<?xml version=\"1.0\"?>\n"
                       "<!DOCTYPE metadata SYSTEM \"http://127.0.0.1:9/evil.dtd\">\n"
                       "<metadata xmlns=\"http://linux.duke.edu/metadata/common\"></metadata>\n";
    rc_set c2 = {.check = binnames_plain};
    assert_int_equal(parse_str(doc2, &c2, err, sizeof err), -1);
    assert_non_null(strstr(err, "DOCTYPE"));
    assert_int_equal(c2.n, 0);
    rc_free(&c2);
}

/* The DOCTYPE guard: found after a BOM, declaration, comments and PIs, in any chunking. */
static void test_doctype_guard(void **state)
{
    (void)state;
    static const struct {
        const char *doc;
        int doctype;
        unsigned line;
    } cases[] = {
        {"<?xml version=\"1.0\"?>\n<!DOCTYPE metadata>\n<metadata/>", 1, 2},
        {"\xEF\xBB\xBF<?xml version=\"1.0\"?><!-- a -- b --><?pi x?>\n\n<!doctype m>", 1, 3},
        {"<!-- <!DOCTYPE x> inside a comment --><metadata/>", 0, 0},
        {"<?xml version=\"1.0\"?><?pi <!DOCTYPE x> ?><metadata/><!DOCTYPE late>", 0, 0},
        {"<metadata><![CDATA[<!DOCTYPE]]></metadata>", 0, 0},
        {"<?xml version=\"1.0\"?>\n<metadata>\n<!DOCTYPE>", 0, 0}, /* after the root: libxml2 */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *d = cases[i].doc;
        size_t n = strlen(d);
        for (size_t chunk = 1; chunk <= n; chunk = chunk < 4 ? chunk + 1 : chunk * 3) {
            pf_xml_guard g;
            memset(&g, 0, sizeof g);
            int got = 0;
            for (size_t o = 0; o < n && !got; o += chunk)
                got = pf_xml_guard_feed(&g, d + o, o + chunk <= n ? chunk : n - o);
            if (got != cases[i].doctype || (got && g.line != cases[i].line))
                fail_msg("case %zu chunk %zu: doctype %d line %u", i, chunk, got, g.line);
        }
    }
    /* whole documents: a DOCTYPE after comments is refused, one in a comment is harmless */
    rc_set c = {.check = binnames_plain};
    char err[256] = "";
    assert_int_equal(parse_str("<?xml version=\"1.0\"?>\n<!-- generated -->\n"
                               "<!DOCTYPE metadata [<!ENTITY a \"b\">]>\n<metadata/>\n",
                               &c, err, sizeof err),
                     -1);
    assert_non_null(strstr(err, "line 3: DOCTYPE"));
    assert_int_equal(parse_str("<!-- <!DOCTYPE x> --><metadata xmlns=\"http://linux.duke.edu/"
                               "metadata/common\"><package type=\"rpm\"><name>a</name>"
                               "<arch>src</arch><version ver=\"1\"/></package></metadata>",
                               &c, err, sizeof err),
                     0);
    assert_int_equal(c.n, 1);
    check_str("version", c.recs[0].version, "1");
    rc_free(&c);
}

/* Seconds on the monotonic clock. */
static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Billion laughs: refused in bounded time and memory, nothing expanded. */
static void test_billion_laughs(void **state)
{
    (void)state;
    char doc[4096];
    size_t o = (size_t)snprintf(doc, sizeof doc,
                                "<?xml version=\"1.0\"?>\n<!DOCTYPE metadata [\n"
                                "<!ENTITY lol0 \"lol\">\n");
    for (int i = 1; i <= 12; i++) {
        o += (size_t)snprintf(doc + o, sizeof doc - o, "<!ENTITY lol%d \"", i);
        for (int k = 0; k < 10; k++)
            o += (size_t)snprintf(doc + o, sizeof doc - o, "&lol%d;", i - 1);
        o += (size_t)snprintf(doc + o, sizeof doc - o, "\">\n");
    }
    snprintf(doc + o, sizeof doc - o,
             "]>\n<metadata xmlns=\"http://linux.duke.edu/metadata/common\">"
             "<package type=\"rpm\"><name>x</name><arch>src</arch>"
             "<version ver=\"1\" rel=\"1\"/><summary>&lol12;</summary></package></metadata>\n");
    struct rusage ru0, ru1;
    getrusage(RUSAGE_SELF, &ru0);
    double t0 = now_s();
    rc_set c = {.check = binnames_plain};
    char err[256] = "";
    assert_int_equal(parse_str(doc, &c, err, sizeof err), -1);
    double dt = now_s() - t0;
    getrusage(RUSAGE_SELF, &ru1);
    assert_int_equal(c.n, 0);
    assert_true(dt < 5.0);
    /* peak RSS grew by less than 64 MB (10^12 "lol"s would need terabytes) */
    assert_true(ru1.ru_maxrss - ru0.ru_maxrss < 64 * 1024);
    rc_free(&c);
}

/* Truncated input at many points: always an error naming a line (or a decoder cause), no crash. */
static void test_truncated(void **state)
{
    (void)state;
    size_t len;
    char *xml = tu_slurp(tu_fixture("rpm/primary-fedora-src.xml"), &len);
    assert_non_null(xml);
    /* the document ends with "</metadata>\n": any cut before its '>' is incomplete */
    size_t last = len - 2;
    size_t step = RUNNING_ON_VALGRIND ? 61 : 3;
    for (size_t cut = 0; cut < last; cut += step) {
        rc_set c = {.count_only = 1, .check = binnames_plain};
        char err[256] = "";
        int rc = parse_mem(xml, cut, &c, err, sizeof err);
        if (rc != -1 || !strstr(err, "rpm-md:"))
            fail_msg("cut at %zu: rc %d, err [%s]", cut, rc, err);
        if (!strstr(err, "line ") && !strstr(err, "truncated"))
            fail_msg("cut at %zu: no line in [%s]", cut, err);
        assert_false(c.bad);
        assert_true(c.n <= 6);
    }
    /* a truncated compressed stream: the decoder's message comes through */
    const char *dir = tu_tmpdir("rpm-trunc");
    char path[4200];
    snprintf(path, sizeof path, "%s/primary.xml.gz", dir);
    write_compressed(path, xml, len, PF_CODEC_GZIP);
    size_t glen;
    char *gz = tu_slurp(path, &glen);
    assert_non_null(gz);
    rc_set c = {.count_only = 1, .check = binnames_plain};
    char err[256] = "";
    assert_int_equal(parse_mem(gz, glen / 2, &c, err, sizeof err), -1);
    assert_non_null(strstr(err, "rpm-md:"));
    free(gz);
    free(xml);
}

/* Not a primary at all: errors, never records. */
static void test_garbage(void **state)
{
    (void)state;
    static const struct {
        const char *doc, *want;
    } cases[] = {
        {"", "line"},
        {"<html><head><title>403 Forbidden</title></head><body>nope</body></html>",
         "not rpm-md <metadata>"},
        {"<?xml version=\"1.0\"?><repomd xmlns=\"http://linux.duke.edu/metadata/repo\">"
         "<data type=\"primary\"/></repomd>",
         "not rpm-md <metadata>"},
        {"<metadata xmlns=\"http://linux.duke.edu/metadata/common\"><package type=\"rpm\">"
         "<name>a</name></package><package></metadata>",
         "line 1"},
        {"<metadata xmlns=\"http://linux.duke.edu/metadata/common\"><package type=\"rpm\">"
         "<name>a &bogus; b</name></package></metadata>",
         "line 1"},
        {"Package: bash\nVersion: 5.2-1\n", "line"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rc_set c = {.count_only = 1, .check = binnames_plain};
        char err[256] = "";
        int rc = parse_str(cases[i].doc, &c, err, sizeof err);
        if (rc != -1 || !strstr(err, cases[i].want))
            fail_msg("case %zu: rc %d err [%s], want [%s]", i, rc, err, cases[i].want);
    }
    /* random bytes (fixed seed) */
    unsigned seed = 12345;
    char buf[8192];
    for (int round = 0; round < 20; round++) {
        for (size_t i = 0; i < sizeof buf; i++) {
            seed = seed * 1103515245u + 12345u;
            buf[i] = (char)(seed >> 16);
        }
        if (round % 2)
            memcpy(buf, "<metadata xmlns=\"http://linux.duke.edu/metadata/common\">", 56);
        rc_set c = {.count_only = 1, .check = binnames_plain};
        char err[256] = "";
        assert_int_equal(parse_mem(buf, sizeof buf, &c, err, sizeof err), -1);
        assert_int_equal(c.n, 0);
    }
    /* an empty but valid primary: no records, no error */
    rc_set c = {.count_only = 1, .check = binnames_plain};
    char err[256] = "";
    assert_int_equal(parse_str("<?xml version=\"1.0\"?>\n<metadata xmlns=\"http://linux.duke.edu/"
                               "metadata/common\" packages=\"0\"/>\n",
                               &c, err, sizeof err),
                     0);
    assert_int_equal(c.n, 0);
}

/* The consumer can stop the parser; its value comes back. Both modes. */
static void test_emit_stops(void **state)
{
    (void)state;
    char err[256] = "";
    rc_set c = {.check = binnames_plain, .stop_after = 2};
    assert_int_equal(parse_path(tu_fixture("rpm/primary-fedora-src.xml"), &c, err, sizeof err), 7);
    assert_int_equal(c.n, 2);
    rc_free(&c);
    rc_set b = {.check = binnames_plain, .stop_after = 3};
    assert_int_equal(parse_path(tu_fixture("rpm/primary-centos-bin.xml"), &b, err, sizeof err), 7);
    assert_int_equal(b.n, 3);
    rc_free(&b);
    /* any value comes back as is, -1 and -2 included, and err is left alone */
    for (int v = -2; v <= -1; v++) {
        rc_set d = {.check = binnames_plain, .stop_after = 1, .stop_rc = v};
        strcpy(err, "untouched");
        assert_int_equal(
            parse_path(tu_fixture("rpm/primary-opensuse-src.xml"), &d, err, sizeof err), v);
        check_str("err", err, "untouched");
        rc_free(&d);
    }
}

/* A source package with thousands of provides (texlive-like), half of them repeated. */
static void test_many_provides(void **state)
{
    (void)state;
    size_t cap = 1u << 20, o = 0;
    char *doc = malloc(cap);
    assert_non_null(doc);
    o += (size_t)snprintf(doc + o, cap - o,
                          "<metadata xmlns=\"http://linux.duke.edu/metadata/common\" "
                          "xmlns:rpm=\"http://linux.duke.edu/metadata/rpm\">"
                          "<package type=\"rpm\"><name>texlive</name><arch>src</arch>"
                          "<version epoch=\"12\" ver=\"20240311\" rel=\"5.fc44\"/>"
                          "<format><rpm:provides>");
    for (int i = 0; i < 6000; i++)
        o += (size_t)snprintf(doc + o, cap - o, "<rpm:entry name=\"texlive-p%d\"/>",
                              i < 3000 ? i : 5999 - i);
    o += (size_t)snprintf(doc + o, cap - o,
                          "<rpm:entry name=\"tex(foo.sty)\"/></rpm:provides></format></package>"
                          "<package type=\"rpm\"><name>small</name><arch>src</arch>"
                          "<version ver=\"1\"/><format><rpm:provides>"
                          "<rpm:entry name=\"small\"/><rpm:entry name=\"small\"/>"
                          "</rpm:provides></format></package></metadata>");
    assert_true(o < cap);
    rc_set c = {.check = binnames_plain};
    char err[256] = "";
    assert_int_equal(parse_mem(doc, o, &c, err, sizeof err), 0);
    assert_int_equal(c.n, 2);
    const rc_rec *r = rc_need(&c, "texlive", NULL);
    check_str("version", r->version, "12:20240311-5.fc44");
    size_t words = 1;
    for (const char *p = r->binnames; *p; p++)
        words += *p == ' ';
    assert_int_equal(words, 3000);
    assert_non_null(strstr(r->binnames, "texlive-p2999"));
    assert_null(strstr(r->binnames, "tex(foo.sty)"));
    r = rc_need(&c, "small", NULL);
    check_str("small binnames", r->binnames, "small"); /* the hash set was reset */
    check_str("small version", r->version, "1");
    rc_free(&c);
    free(doc);
}

/* rpm-md is in the format table with this parser. */
static void test_format_table(void **state)
{
    (void)state;
    const pf_format *f = pf_format_find("rpm-md");
    assert_non_null(f);
    assert_ptr_equal(f->parse, pf_parse_rpm_md);
    assert_int_equal(pf_vscheme_for_format("rpm-md"), PF_VS_RPM);
}

/*
 * RPM normalization. The cases re-express Repology's
 * tests/test_version_parse_rpm.py (written "VER-REL" as our parser emits,
 * with tags recognised generically) plus distro-typical ones.
 */
static void test_normalize_table(void **state)
{
    (void)state;
    static const struct {
        const char *raw, *want;
        unsigned flags;
    } cases[] = {
        /* basic, epoch, dist tags */
        {"1.2.3-1", "1.2.3", 0},
        {"1.2.3", "1.2.3", 0},
        {"2:9.1.1000-1.fc44", "9.1.1000", 0},
        {"1:1.2.8-7", "1.2.8", 0},
        {"0.27.1-5.fc44", "0.27.1", 0},
        {"1.22.0-5.el10", "1.22.0", 0},
        {"5.14.0-3.el9", "5.14.0", 0},
        {"2.34-100.el9_4.2", "2.34", 0},
        {"1.2.3-1.el6", "1.2.3", 0},
        {"1.2.3-1.6el", "1.2.3", 0},
        {"1.2.3-1.mga1.mga2", "1.2.3", 0},
        {"17.35.14-150600.3.2", "17.35.14", 0},
        {"9.1.0836-lp156.2.1", "9.1.0836", 0},
        {"5.3-bp156.1.4", "5.3", 0},
        {"1.0.2001.11.16-4mamba", "1.0.2001.11.16", 0},
        {"3.4.0-1.fcrawhide", "3.4.0", 0},
        {"8.0.30-1.module+el8.5.0+12345+8a2b3c4d", "8.0.30", 0},
        {"84.87+git20241218.2f1a2b3-150600.1.2", "84.87", 0},
        /* release starting with 0 / snapshots */
        {"1.2.3-0", "1.2.3", PF_F_IGNORE},
        {"1.2.3-0.3.fc44", "1.2.3", PF_F_IGNORE},
        {"1.2.3-1.20200101", "1.2.3", PF_F_IGNORE},
        {"1.2.3-1.garbage", "1.2.3", PF_F_IGNORE},
        {"0-0.12.20240101git1a2b3c4.fc44", "0", PF_F_IGNORE},
        /* pre-releases in the release */
        {"1.2.3-0alpha1", "1.2.3-alpha1", PF_F_DEVEL},
        {"1.2.3-1beta1", "1.2.3-beta1", PF_F_DEVEL},
        {"1.2.3-0.rc1", "1.2.3-rc1", PF_F_DEVEL},
        {"1.2.3-1.pre1", "1.2.3-pre1", PF_F_DEVEL},
        {"1.2.3-0alpha.1", "1.2.3-alpha.1", PF_F_DEVEL},
        {"1.2.3-1.rc.1", "1.2.3-rc.1", PF_F_DEVEL},
        {"1.2.3-0.pre.1", "1.2.3-pre.1", PF_F_DEVEL},
        {"1.2.3-0alpha", "1.2.3-alpha", PF_F_DEVEL},
        {"1.2.3-1.alpha", "1.2.3-alpha", PF_F_DEVEL},
        {"1.2.3-0.alpha20210101", "1.2.3-alpha20210101", PF_F_DEVEL},
        {"1.2.3-0.alpha.20210101", "1.2.3-alpha", PF_F_DEVEL | PF_F_IGNORE},
        {"1.2.3-1.alpha.20210101", "1.2.3-alpha", PF_F_DEVEL | PF_F_IGNORE},
        {"1.2.3-1beta3el6", "1.2.3-beta3", PF_F_DEVEL},
        {"1:1.52.0-0.1.rc1.fc44", "1.52.0-rc1", PF_F_DEVEL},
        {"1.5.0-0.2.alpha.13.fc26", "1.5.0-alpha.13", PF_F_DEVEL},
        {"1.5-0.beta.2.mga8", "1.5-beta.2", PF_F_DEVEL},
        {"0.2.2-0.36.beta2.fc29", "0.2.2-beta2", PF_F_DEVEL},
        {"2.1.0-0.rc9.20190320.7.mga7", "2.1.0-rc9", PF_F_IGNORE | PF_F_DEVEL},
        {"1.1.0-0.4.rc1.git.ff7641193a.el6", "1.1.0-rc1", PF_F_IGNORE | PF_F_DEVEL},
        {"1.0-1.0-0.pre6a.8.mga8", "1.0-pre6", PF_F_IGNORE | PF_F_DEVEL},
        {"4.999.9-0.5.beta.20091007git.el6", "4.999.9-beta", PF_F_DEVEL | PF_F_IGNORE},
        {"1.0.0-0.rc92.7.dev.gitff819c7.mga8", "1.0.0-rc92", PF_F_IGNORE | PF_F_DEVEL},
        {"1.2.3-1.RC2.fc44", "1.2.3-RC2", PF_F_DEVEL},
        /* post-releases: appended, not devel */
        {"1.2.3-1.post2.fc44", "1.2.3-post2", 0},
        {"1.2.3-1.post.fc44", "1.2.3", PF_F_IGNORE}, /* "post" without a number is a letter */
        /* '+' cut last, also through an appended suffix */
        {"1.0+git20240101-0.1.rc1.fc44", "1.0", PF_F_DEVEL},
        {"", "", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[64];
        unsigned flags = 0;
        size_t n = pf_normalize_rpm(cases[i].raw, out, sizeof out, &flags);
        if (strcmp(out, cases[i].want) != 0 || flags != cases[i].flags)
            fail_msg("%s -> %s flags %#x, want %s flags %#x", cases[i].raw, out, flags,
                     cases[i].want, cases[i].flags);
        assert_int_equal(n, strlen(out));
        /* the dispatcher gives the same */
        char out2[64];
        unsigned f2 = 0;
        pf_normalize_version(PF_VS_RPM, cases[i].raw, out2, sizeof out2, &f2);
        check_str("dispatch", out2, out);
        assert_int_equal(f2, flags);
    }
    /* flags are OR-ed into what the caller has */
    unsigned f = PF_F_ROLLING;
    char out[64];
    pf_normalize_rpm("1.0-0", out, sizeof out, &f);
    assert_int_equal(f, PF_F_ROLLING | PF_F_IGNORE);
}

/* Output truncation: never past outlen, always NUL-terminated. */
static void test_normalize_truncation(void **state)
{
    (void)state;
    char out[6];
    memset(out, 'x', sizeof out);
    unsigned f = 0;
    size_t n = pf_normalize_rpm("1.22.333-0.1.beta4.fc44", out, sizeof out, &f);
    assert_int_equal(n, 5);
    check_str("trunc", out, "1.22.");
    assert_int_equal(f, PF_F_DEVEL);
    char one[1] = {'x'};
    assert_int_equal(pf_normalize_rpm("1.0-1", one, 1, &f), 0);
    assert_int_equal(one[0], '\0');
    assert_int_equal(pf_normalize_rpm("1.0-1", NULL, 0, &f), 0);
}

/* Append one synthetic source package (shaped like Fedora's) to the buffer. */
static size_t synth_package(char *p, size_t room, unsigned i)
{
    return (size_t)snprintf(
        p, room,
        "<package type=\"rpm\">\n"
        "  <name>pkg-%u</name>\n  <arch>src</arch>\n"
        "  <version epoch=\"%u\" ver=\"%u.%u.%u\" rel=\"%u.fc44\"/>\n"
        "  <checksum type=\"sha256\" pkgid=\"YES\">"
        "f7b195979780b292c52adb3281a3624375ad2456a3497b05f4a6dbdd1eb5b8de</checksum>\n"
        "  <summary>Synthetic package number %u for the parser benchmark</summary>\n"
        "  <description>A synthetic package. It has a description of a few lines, as\n"
        "real packages do, so that the parser has to skip some text between the\n"
        "fields it keeps; the text is otherwise meaningless &amp; harmless.</description>\n"
        "  <packager>Fedora Project</packager>\n"
        "  <url>https://example.org/pkg-%u</url>\n"
        "  <time file=\"1761189840\" build=\"1761188890\"/>\n"
        "  <size package=\"167421\" installed=\"170266\" archive=\"170269\"/>\n"
        "  <location href=\"Packages/p/pkg-%u-1.0-1.fc44.src.rpm\"/>\n"
        "  <format>\n"
        "    <rpm:license>GPL-2.0-or-later AND MIT</rpm:license>\n"
        "    <rpm:vendor>Fedora Project</rpm:vendor>\n"
        "    <rpm:group>Unspecified</rpm:group>\n"
        "    <rpm:buildhost>buildhw-x86-02.rdu3.fedoraproject.org</rpm:buildhost>\n"
        "    <rpm:sourcerpm></rpm:sourcerpm>\n"
        "    <rpm:header-range start=\"4504\" end=\"43402\"/>\n"
        "    <rpm:provides>\n"
        "      <rpm:entry name=\"pkg-%u\" flags=\"EQ\" epoch=\"0\" ver=\"1.0\" rel=\"1.fc44\"/>\n"
        "      <rpm:entry name=\"pkg-%u-devel\" flags=\"EQ\" epoch=\"0\" ver=\"1.0\" "
        "rel=\"1.fc44\"/>\n"
        "      <rpm:entry name=\"pkg-%u-doc\" flags=\"EQ\" epoch=\"0\" ver=\"1.0\" "
        "rel=\"1.fc44\"/>\n"
        "    </rpm:provides>\n"
        "    <rpm:requires>\n"
        "      <rpm:entry name=\"gcc\"/>\n      <rpm:entry name=\"make\"/>\n"
        "      <rpm:entry name=\"pkgconfig(glib-2.0)\" flags=\"GE\" epoch=\"0\" ver=\"2.56\"/>\n"
        "      <rpm:entry name=\"meson\" flags=\"GE\" epoch=\"0\" ver=\"0.53\"/>\n"
        "      <rpm:entry name=\"python3-devel\"/>\n      <rpm:entry "
        "name=\"systemd-rpm-macros\"/>\n"
        "    </rpm:requires>\n"
        "  </format>\n"
        "</package>\n",
        i, i % 3, i % 7, i % 13, i % 100, 1 + i % 9, i, i, i, i, i, i);
}

/* Parse speed on a synthetic 60 000-package source primary (in memory, no decompression). */
static void test_synthetic_speed(void **state)
{
    (void)state;
    unsigned npkg = RUNNING_ON_VALGRIND ? 3000 : 60000;
    size_t cap = (size_t)npkg * 2048 + 4096, o = 0;
    char *doc = malloc(cap);
    assert_non_null(doc);
    o += (size_t)snprintf(doc, cap,
                          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                          "<metadata xmlns=\"http://linux.duke.edu/metadata/common\" "
                          "xmlns:rpm=\"http://linux.duke.edu/metadata/rpm\" packages=\"%u\">\n",
                          npkg);
    for (unsigned i = 0; i < npkg; i++)
        o += synth_package(doc + o, cap - o, i);
    o += (size_t)snprintf(doc + o, cap - o, "</metadata>\n");
    assert_true(o < cap);

    rc_set c = {.count_only = 1, .check = binnames_plain};
    char err[256] = "";
    double t0 = now_s();
    int rc = parse_mem(doc, o, &c, err, sizeof err);
    double dt = now_s() - t0;
    if (rc != 0)
        fail_msg("%s", err);
    assert_int_equal(c.n, npkg);
    assert_false(c.bad);
    assert_int_equal(c.with_binnames, npkg);
    assert_int_equal(c.with_maint, 0);
    printf("# rpm-md: synthetic primary, %u packages, %.1f MB parsed in %.3f s: "
           "%.0f records/s, %.1f MB/s%s\n",
           npkg, (double)o / 1e6, dt, npkg / dt, (double)o / 1e6 / dt,
           RUNNING_ON_VALGRIND ? " (under valgrind)" : "");
    free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fedora_src),
        cmocka_unit_test(test_opensuse_src),
        cmocka_unit_test(test_centos_binary),
        cmocka_unit_test(test_compressed),
        cmocka_unit_test(test_rs_centos),
        cmocka_unit_test(test_rs_fedora),
        cmocka_unit_test(test_rs_rpmfusion),
        cmocka_unit_test(test_rs_openmamba),
        cmocka_unit_test(test_rs_terra),
        cmocka_unit_test(test_repomd_fixture),
        cmocka_unit_test(test_repomd_realdata),
        cmocka_unit_test(test_repomd_errors),
        cmocka_unit_test(test_xxe),
        cmocka_unit_test(test_doctype_guard),
        cmocka_unit_test(test_billion_laughs),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_garbage),
        cmocka_unit_test(test_emit_stops),
        cmocka_unit_test(test_many_provides),
        cmocka_unit_test(test_format_table),
        cmocka_unit_test(test_normalize_table),
        cmocka_unit_test(test_normalize_truncation),
        cmocka_unit_test(test_synthetic_speed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
