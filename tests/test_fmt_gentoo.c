/*
 * test_fmt_gentoo.c — the gentoo-md5cache parser (crawler/formats/fmt_gentoo_md5cache.c),
 * its variants, the directory packer behind `crawl --from DIR`
 * (crawler/dirtar.c) and the Gentoo version scheme and project seed.
 *
 * Fixtures (tests/fixtures/gentoo/, see README.md there): tree/ is a small
 * repository tree (ebuilds, metadata.xml, metadata/md5-cache); it is packed
 * as Gentoo's daily snapshot (gentoo-latest.tar.xz, top directory
 * gentoo-20261205/, made with tar) and as a forge archive
 * (guru-master.tar.gz, made with git archive).
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkgfresh/dirtar.h"
#include "pkgfresh/format.h"
#include "pkgfresh/normalize.h"
#include "pkgfresh/reader.h"
#include "pkgfresh/record.h"
#include "reccollect.h"

/* Pack directory dir with pf_dirtar into a malloc'd buffer (length in *len). */
static char *pack_tree(const char *dir, size_t *len)
{
    FILE *fp = tmpfile();
    assert_non_null(fp);
    char err[256];
    if (pf_dirtar(dir, fp, err, sizeof err) != 0)
        fail_msg("pf_dirtar %s: %s", dir, err);
    long n = ftell(fp);
    assert_true(n > 0);
    char *buf = malloc((size_t)n);
    assert_non_null(buf);
    rewind(fp);
    assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
    fclose(fp);
    *len = (size_t)n;
    return buf;
}

/* The records every variant yields from the default-variant set, field by field. */
static void check_common(const rc_set *s)
{
    const rc_rec *r = rc_find(s, "net-misc/curl", "8.10.1-r1");
    assert_non_null(r);
    rc_eq(r->binnames, NULL);
    rc_eq(r->category, "net-misc");
    rc_eq(r->summary, "A Client that groks URLs");
    rc_eq(r->license, "BSD, curl");
    rc_eq(r->homepage, "https://curl.se/");
    rc_eq(r->maintainers, "sam.example@gentoo.org");
    assert_int_equal(r->flags, 0);
    assert_non_null(rc_find(s, "net-misc/curl", "8.11.0"));
    r = rc_find(s, "net-misc/curl", "9999");
    assert_non_null(r);
    assert_int_equal(r->flags, PF_F_ROLLING);
    assert_int_equal(rc_count(s, "net-misc/curl"), 3);

    r = rc_find(s, "dev-python/requests", "2.32.3_p1");
    assert_non_null(r);
    rc_eq(r->maintainers, "python@gentoo.org,jane@example.org");
    rc_eq(r->homepage, "https://requests.readthedocs.io/"); /* HOMEPAGE first, then upstream */
    rc_eq(r->license, "Apache-2.0");
    rc_eq(r->category, "dev-python");
    assert_int_equal(r->flags, 0);
}

/* Gentoo's snapshot (tar.xz, gentoo-YYYYMMDD/), default variant: md5-cache required. */
static void test_snapshot(void **state)
{
    (void)state;
    rc_set s;
    rc_parse_path(&s, pf_parse_gentoo_md5cache, NULL, tu_fixture("gentoo/gentoo-latest.tar.xz"));
    assert_int_equal(s.rc, 0);
    check_common(&s);
    const rc_rec *r = rc_find(&s, "media-libs/libpng", "1.6.44");
    assert_non_null(r);
    rc_eq(r->license, "libpng2 || ( MIT BSD )"); /* a group: kept whole */
    rc_eq(r->maintainers, NULL);                 /* no metadata.xml */
    rc_eq(r->homepage, "http://www.libpng.org/");
    r = rc_find(&s, "dev-libs/evil", "0.1"); /* internal DTD subset: metadata.xml ignored */
    assert_non_null(r);
    rc_eq(r->maintainers, NULL);
    r = rc_find(&s, "sci-libs/noxml", "2.0");
    assert_non_null(r);
    rc_eq(r->homepage, NULL); /* HOMEPAGE= empty */
    assert_non_null(rc_find(&s, "dev-libs/libfoo-bar2", "3.0.0_rc1"));
    assert_null(rc_find(&s, "app-misc/nocache", NULL)); /* no md5-cache entry */
    assert_null(rc_find(&s, "dev-libs/oddname", NULL)); /* ebuild named otherwise */
    assert_null(rc_find(&s, "acct-user/portage", NULL));
    assert_null(rc_find(&s, "virtual/libc", NULL));
    assert_int_equal(s.n, 8);
    assert_int_equal(s.stats.skipped, 2);
    rc_free(&s);
}

/* A forge archive (git archive, pax header, guru-master/), lax: ebuilds without cache kept. */
static void test_forge_lax(void **state)
{
    (void)state;
    rc_set s;
    rc_parse_path(&s, pf_parse_gentoo_md5cache, "lax", tu_fixture("gentoo/guru-master.tar.gz"));
    assert_int_equal(s.rc, 0);
    check_common(&s);
    const rc_rec *r = rc_find(&s, "app-misc/nocache", "1.0");
    assert_non_null(r);
    rc_eq(r->summary, NULL);
    rc_eq(r->license, NULL);
    rc_eq(r->maintainers, "nc@example.org");
    rc_eq(r->homepage, "https://gitlab.com/nc/nocache"); /* from the upstream remote-id */
    assert_int_equal(s.n, 9);
    assert_int_equal(s.stats.skipped, 1);
    rc_free(&s);
}

/* The "xml" variant (Science overlay) drops packages without a usable metadata.xml. */
static void test_require_xml(void **state)
{
    (void)state;
    rc_set s;
    rc_parse_path(&s, pf_parse_gentoo_md5cache, "xml", tu_fixture("gentoo/gentoo-latest.tar.xz"));
    assert_int_equal(s.rc, 0);
    check_common(&s);
    assert_null(rc_find(&s, "media-libs/libpng", NULL));
    assert_null(rc_find(&s, "dev-libs/evil", NULL));
    assert_null(rc_find(&s, "sci-libs/noxml", NULL));
    assert_int_equal(s.n, 4);
    assert_int_equal(s.stats.skipped, 6);
    rc_free(&s);
}

/* The tree directory packed by pf_dirtar parses like the snapshot. */
static void test_dirtar(void **state)
{
    (void)state;
    size_t len;
    char *buf = pack_tree(tu_fixture("gentoo/tree"), &len);
    assert_true(len > 10240);
    assert_memory_equal(buf, "tree/", 5); /* members below the directory's own name */
    rc_set s;
    rc_parse_mem(&s, pf_parse_gentoo_md5cache, NULL, buf, len);
    assert_int_equal(s.rc, 0);
    check_common(&s);
    assert_int_equal(s.n, 8);
    rc_free(&s);
    free(buf);
    char err[256];
    FILE *fp = tmpfile();
    assert_int_equal(pf_dirtar("/nonexistent/tree", fp, err, sizeof err), -1);
    fclose(fp);
    assert_non_null(strstr(err, "/nonexistent/tree"));
}

/*
 * Real data: repology-updater's testdata tree (../shared, GPL test input,
 * read in place), packed by pf_dirtar. The expectations are the values
 * Repology's test_parsers.py asserts for it (srcname, raw version, seed via
 * srcname, category, summary, licence, first homepage).
 */
static void test_repology_testdata(void **state)
{
    (void)state;
    const char *dir = tu_realdata("repology-updater-testdata/gentoo.state/gentoo");
    if (!dir)
        skip();
    size_t len;
    char *buf = pack_tree(dir, &len);
    rc_set s;
    rc_parse_mem(&s, pf_parse_gentoo_md5cache, NULL, buf, len);
    assert_int_equal(s.rc, 0);
    static const char *const want[][6] = {
        {"app-misc/away", "0.9.5-r1", "app-misc",
         "Terminal locking program with few additional features", "GPL-2",
         "http://unbeatenpath.net/software/away/"},
        {"app-test/aspell", "0.60.7_rc1", "app-test", "A spell checker replacement for ispell",
         "LGPL-2", "http://aspell.net/"},
        {"app-misc/asciinema", "1.3.0", "app-misc",
         "Command line recorder for asciinema.org service", "GPL-3+", "https://asciinema.org/"},
        {"games-action/chromium-bsu", "0.9.15.1", "games-action",
         "Chromium B.S.U. - an arcade game", "Clarified-Artistic",
         "http://chromium-bsu.sourceforge.net/"},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const rc_rec *r = rc_find(&s, want[i][0], want[i][1]);
        if (!r)
            fail_msg("%s %s missing", want[i][0], want[i][1]);
        rc_eq(r->category, want[i][2]);
        rc_eq(r->summary, want[i][3]);
        rc_eq(r->license, want[i][4]);
        rc_eq(r->homepage, want[i][5]);
        assert_int_equal(r->flags, 0);
    }
    rc_eq(rc_find(&s, "app-misc/asciinema", NULL)->maintainers, "kensington@gentoo.org");
    assert_int_equal(s.n, 4);
    assert_int_equal(s.stats.skipped, 0);
    rc_free(&s);
    free(buf);
}

/* Not a tree, a truncated tarball, garbage: one-line errors, never zero packages. */
static void test_errors(void **state)
{
    (void)state;
    rc_set s;
    /* a tar of something else: no ebuilds is an error, not an empty repository */
    rc_parse_path(&s, pf_parse_gentoo_md5cache, NULL, tu_fixture("openbsd/sqlports-8.0.tgz"));
    assert_int_equal(s.rc, -1);
    assert_non_null(strstr(s.err, "gentoo-md5cache: no <category>/<package>/*.ebuild"));
    rc_free(&s);

    size_t len;
    char *xz = tu_slurp(tu_fixture("gentoo/gentoo-latest.tar.xz"), &len);
    assert_non_null(xz);
    rc_parse_mem(&s, pf_parse_gentoo_md5cache, NULL, xz, len / 2);
    assert_int_equal(s.rc, -1);
    assert_true(strncmp(s.err, "gentoo-md5cache: ", 17) == 0);
    assert_null(strchr(s.err, '\n'));
    rc_free(&s);
    free(xz);

    static const char junk[] = "\x01\x02 this is not a tar archive at all \xff\xfe";
    rc_parse_mem(&s, pf_parse_gentoo_md5cache, NULL, junk, sizeof junk - 1);
    assert_int_equal(s.rc, -1);
    assert_true(strncmp(s.err, "gentoo-md5cache: ", 17) == 0);
    rc_free(&s);
}

/* PF_VS_GENTOO cuts the revision at the first '-'; the catalog formats map to it. */
static void test_normalize(void **state)
{
    (void)state;
    char out[64];
    unsigned flags = 0;
    assert_int_equal(pf_vscheme_for_format("gentoo-md5cache"), PF_VS_GENTOO);
    assert_int_equal(pf_vscheme_for_format("gentoo-md5cache-lax"), PF_VS_GENTOO);
    assert_int_equal(pf_vscheme_for_format("gentoo-md5cache-xml"), PF_VS_GENTOO);
    pf_normalize_version(PF_VS_GENTOO, "8.10.1-r1", out, sizeof out, &flags);
    assert_string_equal(out, "8.10.1");
    pf_normalize_version(PF_VS_GENTOO, "1.0_p20240101-r12", out, sizeof out, &flags);
    assert_string_equal(out, "1.0_p20240101");
    pf_normalize_version(PF_VS_GENTOO, "9999", out, sizeof out, &flags);
    assert_string_equal(out, "9999");
    assert_int_equal(flags, 0);
}

/* crawl --from DIR end to end: the tree is packed, parsed, stored; projects seed from <pkg>. */
static void test_crawl_from_dir(void **state)
{
    (void)state;
    char db[512];
    snprintf(db, sizeof db, "%s/g.db", tu_tmpdir("fmt_gentoo"));
    setenv("PKGFRESH_NOW", "1764892800", 1);
    char *out = NULL, *err = NULL;
    char *crawl[] = {(char *)tu_pkgfresh(),
                     "--db",
                     db,
                     "--catalog",
                     (char *)tu_fixture("gentoo/catalog.yaml"),
                     "--rules",
                     "none",
                     "-q",
                     "crawl",
                     "gentoo",
                     "--from",
                     (char *)tu_fixture("gentoo/tree"),
                     NULL};
    int rc = tu_run(crawl, &out, &err);
    if (rc != 0)
        fprintf(stderr, "%s%s", out ? out : "", err ? err : "");
    assert_int_equal(rc, 0);
    free(out);
    free(err);
    char *proj[] = {(char *)tu_pkgfresh(),
                    "--db",
                    db,
                    "--catalog",
                    (char *)tu_fixture("gentoo/catalog.yaml"),
                    "--rules",
                    "none",
                    "project",
                    "curl",
                    "--format",
                    "csv",
                    NULL};
    assert_int_equal(tu_run(proj, &out, &err), 0);
    assert_non_null(strstr(out, "gentoo,gentoo,net-misc/curl,8.10.1-r1,8.10.1,"));
    assert_non_null(strstr(out, "net-misc/curl,9999,9999,"));
    free(out);
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_snapshot),       cmocka_unit_test(test_forge_lax),
        cmocka_unit_test(test_require_xml),    cmocka_unit_test(test_dirtar),
        cmocka_unit_test(test_errors),         cmocka_unit_test(test_normalize),
        cmocka_unit_test(test_crawl_from_dir), cmocka_unit_test(test_repology_testdata),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
