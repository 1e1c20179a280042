/*
 * test_crawl_rpm.c — the two-stage rpm-md crawl through the binary against a
 * loopback server: repomd.xml first, then the primary it names; an unchanged
 * primary checksum means no second download and a "not_modified" crawl; a new
 * checksum fetches the new primary; --from accepts a tree directory, its
 * repodata/ directory, repomd.xml or a primary file (plain or compressed).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "httpd.h"
#include "testutil.h"

typedef struct rt {
    tu_httpd *srv;
    char dir[512], db[600], mirror[600];
    char *primary;
    size_t primary_len;
} rt;

/* A repomd.xml naming primary file `href` with checksum `hex`. */
static char *repomd(const char *href, const char *hex)
{
    char *s = malloc(2048);
    snprintf(s, 2048,
             "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
             "<repomd xmlns=\"http://linux.duke.edu/metadata/repo\">\n"
             "  <revision>1</revision>\n"
             "  <data type=\"filelists\"><checksum type=\"sha256\">ffff</checksum>"
             "<location href=\"repodata/ffff-filelists.xml.gz\"/></data>\n"
             "  <data type=\"primary\">\n"
             "    <checksum type=\"sha256\">%s</checksum>\n"
             "    <location href=\"%s\"/>\n"
             "  </data>\n"
             "</repomd>\n",
             hex, href);
    return s;
}

/* Serve repomd.xml (no validators, so only its checksum can say "unchanged"). */
static void serve_repomd(rt *t, const char *href, const char *hex)
{
    char *x = repomd(href, hex);
    tu_route r = {.path = "/fedora/repodata/repomd.xml", .body = x, .body_len = strlen(x)};
    tu_httpd_route(t->srv, &r);
    free(x);
}

/* Run pkgfresh with the test catalog plus NULL-terminated args. */
static int pf(rt *t, char **out, char **err, ...)
{
    char *fixed[] = {(char *)tu_pkgfresh(),
                     "--db",
                     t->db,
                     "--catalog",
                     (char *)tu_fixture("crawl/catalog.yaml"),
                     "--mirror",
                     t->mirror,
                     "--rules",
                     "none"};
    va_list ap;
    va_start(ap, err);
    int rc = tu_runv(fixed, 9, out, err, ap);
    va_end(ap);
    return rc;
}

/* Packages of fedora_test as CSV lines (header excluded). */
static int count_packages(rt *t)
{
    char *out, *err;
    assert_int_equal(pf(t, &out, &err, "packages", "fedora_test", "--format", "csv", NULL), 0);
    int n = -1;
    for (char *p = out; *p; p++)
        n += *p == '\n';
    free(out);
    free(err);
    return n;
}

/* Start the server and serve the Fedora fixture as the primary. */
static int setup(void **state)
{
    rt *t = calloc(1, sizeof *t);
    t->srv = tu_httpd_start();
    assert_non_null(t->srv);
    snprintf(t->dir, sizeof t->dir, "%s", tu_tmpdir("crawl_rpm"));
    snprintf(t->db, sizeof t->db, "%s/db", t->dir);
    snprintf(t->mirror, sizeof t->mirror, "test=%s", tu_httpd_url(t->srv, ""));
    t->primary = tu_slurp(tu_fixture("rpm/primary-fedora-src.xml"), &t->primary_len);
    assert_non_null(t->primary);
    tu_route p1 = {.path = "/fedora/repodata/aaaa-primary.xml",
                   .body = t->primary,
                   .body_len = t->primary_len};
    tu_httpd_route(t->srv, &p1);
    *state = t;
    return 0;
}

/* Stop the server. */
static int teardown(void **state)
{
    rt *t = *state;
    tu_httpd_stop(t->srv);
    free(t->primary);
    free(t);
    return 0;
}

/* First crawl fetches repomd.xml then the primary; the second sees the same
 * checksum and downloads nothing more; a new checksum fetches the new file. */
static void test_two_stage(void **state)
{
    rt *t = *state;
    char *out, *err;
    serve_repomd(t, "repodata/aaaa-primary.xml", "aaaa");
    int rc = pf(t, &out, &err, "crawl", "fedora_test", "--format", "csv", NULL);
    if (rc != 0)
        fail_msg("crawl: %s", err);
    assert_non_null(strstr(out, "fedora_test,ok,"));
    free(out);
    free(err);
    int n = count_packages(t);
    assert_true(n >= 5);
    assert_int_equal(tu_httpd_count(t->srv, "/fedora/repodata/repomd.xml"), 1);
    assert_int_equal(tu_httpd_count(t->srv, "/fedora/repodata/aaaa-primary.xml"), 1);

    rc = pf(t, &out, &err, "crawl", "fedora_test", "--format", "csv", NULL);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "fedora_test,not_modified,"));
    free(out);
    free(err);
    assert_int_equal(tu_httpd_count(t->srv, "/fedora/repodata/repomd.xml"), 2);
    assert_int_equal(tu_httpd_count(t->srv, "/fedora/repodata/aaaa-primary.xml"), 1);
    assert_int_equal(count_packages(t), n);

    /* a new primary: only the first three packages (still a valid document) */
    const char *cut = strstr(t->primary, "<package type=");
    for (int k = 0; k < 3 && cut; k++)
        cut = strstr(cut + 1, "<package type=");
    assert_non_null(cut);
    char *small = malloc((size_t)(cut - t->primary) + 32);
    size_t len = (size_t)(cut - t->primary);
    memcpy(small, t->primary, len);
    strcpy(small + len, "</metadata>\n");
    tu_route p2 = {
        .path = "/fedora/repodata/bbbb-primary.xml", .body = small, .body_len = strlen(small)};
    tu_httpd_route(t->srv, &p2);
    free(small);
    serve_repomd(t, "repodata/bbbb-primary.xml", "bbbb");
    rc = pf(t, &out, &err, "crawl", "fedora_test", "--min-packages", "0", "--format", "csv", NULL);
    if (rc != 0)
        fail_msg("crawl: %s", err);
    assert_non_null(strstr(out, "fedora_test,ok,"));
    free(out);
    free(err);
    assert_int_equal(tu_httpd_count(t->srv, "/fedora/repodata/bbbb-primary.xml"), 1);
    int m = count_packages(t);
    assert_true(m > 0 && m < n);

    /* repomd.xml naming a primary that is missing: failed, snapshot kept */
    serve_repomd(t, "repodata/cccc-primary.xml", "cccc");
    rc = pf(t, &out, &err, "crawl", "fedora_test", "--format", "csv", NULL);
    assert_int_equal(rc, 1);
    assert_non_null(strstr(err, "cccc-primary.xml"));
    assert_non_null(strstr(err, "404"));
    free(out);
    free(err);
    assert_int_equal(count_packages(t), m);
}

/* Write len bytes of data to path (gzip-compressed when gz). */
static void write_file(const char *path, const void *data, size_t len, int gz)
{
    if (gz) {
        gzFile g = gzopen(path, "wb");
        assert_non_null(g);
        assert_int_equal(gzwrite(g, data, (unsigned)len), (int)len);
        assert_int_equal(gzclose(g), Z_OK);
        return;
    }
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
}

/* A tree t->dir/NAME/repodata/ with repomd.xml naming the Fedora fixture as
 * dddd-primary.xml (gzip-compressed as .xml.gz when gz). */
static void make_tree(rt *t, const char *name, int gz)
{
    char path[700];
    snprintf(path, sizeof path, "%s/%s", t->dir, name);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/%s/repodata", t->dir, name);
    mkdir(path, 0755);
    const char *href = gz ? "repodata/dddd-primary.xml.gz" : "repodata/dddd-primary.xml";
    char *x = repomd(href, "dddd");
    snprintf(path, sizeof path, "%s/%s/repodata/repomd.xml", t->dir, name);
    write_file(path, x, strlen(x), 0);
    free(x);
    snprintf(path, sizeof path, "%s/%s/%s", t->dir, name, href);
    write_file(path, t->primary, t->primary_len, gz);
}

/* `packages fedora_test` as CSV after `crawl fedora_test --from FROM` (which
 * must succeed); malloc'd. */
static char *crawl_from(rt *t, const char *from)
{
    char *out, *err;
    int rc = pf(t, &out, &err, "crawl", "fedora_test", "--from", from, "--format", "csv", NULL);
    if (rc != 0)
        fail_msg("crawl --from %s: %s", from, err);
    assert_non_null(strstr(out, "fedora_test,ok,"));
    free(out);
    free(err);
    assert_int_equal(pf(t, &out, &err, "packages", "fedora_test", "--format", "csv", NULL), 0);
    free(err);
    return out;
}

/* --from takes what users have: the tree directory, its repodata/
 * directory, repomd.xml, or the primary file itself, plain or compressed;
 * each gives the same snapshot. */
static void test_from_forms(void **state)
{
    rt *t = *state;
    make_tree(t, "tree", 0);
    make_tree(t, "treegz", 1);
    char path[700];
    snprintf(path, sizeof path, "%s/tree", t->dir);
    char *want = crawl_from(t, path);
    assert_true(count_packages(t) >= 5);
    assert_non_null(strstr(want, "\n"));
    const char *forms[] = {
        "tree/",
        "tree/repodata",
        "tree/repodata/",
        "tree/repodata/repomd.xml",
        "treegz",
        "treegz/repodata/repomd.xml",
        "tree/repodata/dddd-primary.xml",
        "treegz/repodata/dddd-primary.xml.gz",
    };
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", t->dir, forms[i]);
        char *got = crawl_from(t, path);
        if (strcmp(got, want) != 0)
            fail_msg("--from %s gave\n%s\nnot\n%s", forms[i], got, want);
        free(got);
    }
    free(want);
}

/* repomd.xml with its primary beside it (both fetched into one folder): the
 * primary is found next to repomd.xml when root/href is not there. */
static void test_from_flat_folder(void **state)
{
    rt *t = *state;
    char path[700];
    snprintf(path, sizeof path, "%s/flat", t->dir);
    mkdir(path, 0755);
    char *x = repomd("repodata/eeee-primary.xml.gz", "eeee");
    snprintf(path, sizeof path, "%s/flat/repomd.xml", t->dir);
    write_file(path, x, strlen(x), 0);
    free(x);
    snprintf(path, sizeof path, "%s/flat/eeee-primary.xml.gz", t->dir);
    write_file(path, t->primary, t->primary_len, 1);
    snprintf(path, sizeof path, "%s/flat/repomd.xml", t->dir);
    char *got = crawl_from(t, path);
    assert_non_null(strstr(got, "\n"));
    free(got);
    assert_true(count_packages(t) >= 5);
}

/* What is not an rpm-md repository fails with one line naming it, and the
 * previous snapshot stays. */
static void test_from_errors(void **state)
{
    rt *t = *state;
    make_tree(t, "keep", 0);
    char path[700];
    snprintf(path, sizeof path, "%s/keep", t->dir);
    free(crawl_from(t, path));
    int before = count_packages(t);
    /* an empty directory */
    snprintf(path, sizeof path, "%s/empty", t->dir);
    mkdir(path, 0755);
    char *out, *err;
    assert_int_equal(pf(t, &out, &err, "crawl", "fedora_test", "--from", path, NULL), 1);
    assert_non_null(strstr(err, "without repodata/repomd.xml or repomd.xml"));
    assert_non_null(strstr(err, "/empty"));
    free(out);
    free(err);
    /* a repomd.xml whose primary is nowhere */
    snprintf(path, sizeof path, "%s/lost", t->dir);
    mkdir(path, 0755);
    char *x = repomd("repodata/ffff-primary.xml", "ffff");
    snprintf(path, sizeof path, "%s/lost/repomd.xml", t->dir);
    write_file(path, x, strlen(x), 0);
    free(x);
    assert_int_equal(pf(t, &out, &err, "crawl", "fedora_test", "--from", path, NULL), 1);
    assert_non_null(strstr(err, "ffff-primary.xml, which is not there"));
    free(out);
    free(err);
    assert_int_equal(count_packages(t), before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_stage),
        cmocka_unit_test(test_from_forms),
        cmocka_unit_test(test_from_flat_folder),
        cmocka_unit_test(test_from_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
