/*
 * test_crawl_ports.c — the five formats of tests/test_fmt_{gentoo,openbsd,solus,cygwin,
 * homebrew_cask}.c end to end: one catalog, the fixtures served as is by the
 * loopback HTTP server (tests/support/httpd.c), `pkgfresh crawl` (fetch,
 * decode, parse, store), `analyze` (version schemes, project seeds), then
 * queries. curl is in Gentoo, OpenBSD and Cygwin: three families, one
 * project, so it is not unique and the newest version wins.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "httpd.h"

/* Serve one fixture file at path. */
static void serve(tu_httpd *srv, const char *path, const char *fixture, char **keep)
{
    size_t len;
    *keep = tu_slurp(tu_fixture(fixture), &len);
    assert_non_null(*keep);
    tu_route r = {.path = path, .body = *keep, .body_len = len};
    tu_httpd_route(srv, &r);
}

/* Run pkgfresh with the test catalog, database and mirror; args NULL-terminated. */
static int pf(const char *db, const char *mirror, char **out, const char *a1, const char *a2,
              const char *a3, const char *a4)
{
    char *argv[16] = {(char *)tu_pkgfresh(),
                      "--db",
                      (char *)db,
                      "--catalog",
                      (char *)tu_fixture("crawl_ports/catalog.yaml"),
                      "--mirror",
                      (char *)mirror,
                      "--rules",
                      "none"};
    int n = 9;
    const char *args[] = {a1, a2, a3, a4};
    for (size_t i = 0; i < 4 && args[i]; i++)
        argv[n++] = (char *)args[i];
    argv[n] = NULL;
    char *err = NULL;
    int rc = tu_run(argv, out, &err);
    if (rc != 0)
        fprintf(stderr, "%s%s", *out ? *out : "", err ? err : "");
    free(err);
    return rc;
}

/* Crawl all five from loopback, analyze, and read the results back. */
static void test_crawl_analyze(void **state)
{
    (void)state;
    tu_httpd *srv = tu_httpd_start();
    assert_non_null(srv);
    char *bodies[5];
    serve(srv, "/gentoo-latest.tar.xz", "gentoo/gentoo-latest.tar.xz", &bodies[0]);
    serve(srv, "/sqlports", "openbsd/sqlports", &bodies[1]);
    serve(srv, "/eopkg-index.xml.xz", "solus/eopkg-index.xml.xz", &bodies[2]);
    serve(srv, "/packages.json.xz", "cygwin/packages.json.xz", &bodies[3]);
    serve(srv, "/cask.json", "homebrew_casks/cask.json", &bodies[4]);
    char db[512], mirror[600];
    snprintf(db, sizeof db, "%s/p.db", tu_tmpdir("crawl_ports"));
    snprintf(mirror, sizeof mirror, "test=%s", tu_httpd_url(srv, ""));
    setenv("PKGFRESH_NOW", "1764892800", 1);

    char *out = NULL;
    assert_int_equal(pf(db, mirror, &out, "crawl", "--all", "--format", "csv"), 0);
    static const char *const want[] = {"t_casks,ok,4,", "t_cygwin,ok,5,", "t_gentoo,ok,8,",
                                       "t_openbsd,ok,7,", "t_solus,ok,3,"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (!strstr(out, want[i]))
            fail_msg("crawl output lacks '%s':\n%s", want[i], out);
    free(out);

    /* curl: Gentoo 8.10.1-r1/8.11.0/9999, OpenBSD 8.10.1, Cygwin 8.10.1-1 (+ test 8.11.0-rc2) */
    assert_int_equal(pf(db, mirror, &out, "project", "curl", "--format", "csv"), 0);
    assert_non_null(strstr(out, "t_gentoo,gentoo,net-misc/curl,8.11.0,8.11.0,newest"));
    assert_non_null(strstr(out, "t_gentoo,gentoo,net-misc/curl,9999,9999,rolling"));
    assert_non_null(strstr(out, "t_openbsd,openbsd,www/curl,8.10.1,8.10.1,outdated,8.11.0"));
    /* Cygwin's test version is IGNOREd (below 8.11.0: outdated); its stable one is legacy */
    assert_non_null(strstr(out, "t_cygwin,cygwin,curl,8.10.1-1,8.10.1,legacy"));
    assert_non_null(strstr(out, "t_cygwin,cygwin,curl,8.11.0-0.1rc2,8.11.0-rc2,outdated,8.11.0"));
    assert_non_null(strstr(out, "t_gentoo,gentoo,net-misc/curl,8.10.1-r1,8.10.1,legacy"));
    free(out);

    /* gtk+3's -docs subpackage joins the gtk+3 project (stripped stem first in binnames) */
    assert_int_equal(pf(db, mirror, &out, "packages", "t_openbsd", "--format", "csv"), 0);
    assert_non_null(strstr(out, "x11/gtk+3,3.24.43p1,3.24.43,gtk+3,"));
    assert_null(strstr(out, ",gtk+3-docs,"));
    assert_non_null(strstr(out, "devel/py-setuptools,75.1.0v0,75.1.0,py3-setuptools,"));
    free(out);
    for (size_t i = 0; i < 5; i++)
        free(bodies[i]);
    tu_httpd_stop(srv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crawl_analyze),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
