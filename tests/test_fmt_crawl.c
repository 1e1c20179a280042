/*
 * test_fmt_crawl.c — the five formats of issue 12 through the real binary:
 * a loopback HTTP server serves the fixtures of aur-json, pkgsrc-index,
 * alt-json, macports-json and guix-json in their served form (the AUR file
 * gzip'd as a file, not as Content-Encoding), `pkgfresh crawl --jobs 2`
 * fetches and parses them, analyze normalizes and classifies, and the
 * queries show each format's version scheme and project seed at work.
 * A second crawl is conditional (ETag) and parses nothing.
 */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "httpd.h"
#include "testutil.h"

typedef struct fc {
    tu_httpd *srv;
    char db[600], mirror[600];
} fc;

/* Run pkgfresh with the test database, catalog and mirror plus the NULL-terminated args. */
static int pf(fc *t, char **out, char **err, ...)
{
    char *fixed[] = {(char *)tu_pkgfresh(),
                     "--db",
                     t->db,
                     "--catalog",
                     (char *)tu_fixture("fmt-crawl/catalog.yaml"),
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

/* Serve fixture rel at path with an ETag. */
static void serve(fc *t, const char *path, const char *rel, const char *etag)
{
    size_t len;
    char *body = tu_slurp(tu_fixture(rel), &len);
    assert_non_null(body);
    tu_route r = {.path = path, .body = body, .body_len = len, .etag = etag};
    tu_httpd_route(t->srv, &r);
    free(body);
}

/* The "status" of the row of `project` output for repository repo and raw version raw. */
static const char *status_of(json_t *rows, const char *repo, const char *raw)
{
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        if (strcmp(json_string_value(json_object_get(row, "repository")), repo) == 0 &&
            strcmp(json_string_value(json_object_get(row, "rawversion")), raw) == 0)
            return json_string_value(json_object_get(row, "status"));
    }
    fail_msg("no %s %s row", repo, raw);
    return NULL;
}

/* Crawl all five over HTTP, then query. */
static void test_crawl_five_formats(void **state)
{
    (void)state;
    fc t;
    t.srv = tu_httpd_start();
    assert_non_null(t.srv);
    snprintf(t.db, sizeof t.db, "%s/pkgfresh.db", tu_tmpdir("fmt-crawl"));
    snprintf(t.mirror, sizeof t.mirror, "test=%s", tu_httpd_url(t.srv, ""));
    setenv("PKGFRESH_NOW", "1764928800", 1); /* 2025-12-05 10:00 UTC */
    serve(&t, "/aur/packages-meta-ext-v1.json.gz", "aur/packages-meta-ext-v1.json.gz", "\"a\"");
    serve(&t, "/pkgsrc/current/pkgsrc/INDEX", "pkgsrc/INDEX", "\"p\"");
    serve(&t, "/api/export/repology/sisyphus", "alt/sisyphus.json", "\"s\"");
    serve(&t, "/macports/PortIndex.json", "macports/PortIndex.json", "\"m\"");
    serve(&t, "/guix/packages.json", "guix/packages.json", "\"g\"");

    char *out, *err;
    int rc = pf(&t, &out, &err, "crawl", "--jobs", "2", "--format", "json", NULL);
    if (rc != 0)
        fail_msg("crawl: %d %s", rc, err);
    json_error_t jerr;
    json_t *j = json_loads(out, 0, &jerr);
    assert_non_null(j);
    static const struct {
        const char *id;
        long packages;
    } want[] = {{"t_aur", 6}, {"t_pkgsrc", 7}, {"t_alt", 5}, {"t_macports", 5}, {"t_guix", 10}};
    for (size_t k = 0; k < 5; k++) {
        size_t i;
        json_t *row;
        int found = 0;
        json_array_foreach(j, i, row)
        {
            if (strcmp(json_string_value(json_object_get(row, "repository")), want[k].id) != 0)
                continue;
            found = 1;
            assert_string_equal(json_string_value(json_object_get(row, "status")), "ok");
            assert_int_equal(json_integer_value(json_object_get(row, "packages")),
                             want[k].packages);
        }
        if (!found)
            fail_msg("%s not crawled", want[k].id);
    }
    json_decref(j);
    free(out);
    free(err);

    /* curl is in four of them: pkgsrc's nb revision, ALT's release, MacPorts as is. */
    assert_int_equal(pf(&t, &out, &err, "project", "curl", "--format", "json", NULL), 0);
    j = json_loads(out, 0, &jerr);
    assert_non_null(j);
    assert_string_equal(status_of(j, "t_pkgsrc", "8.10.1nb1"), "newest");
    assert_string_equal(status_of(j, "t_alt", "8.10.1-alt1"), "newest");
    assert_string_equal(status_of(j, "t_macports", "8.10.1"), "newest");
    assert_string_equal(status_of(j, "t_guix", "8.6.0"), "outdated");
    json_decref(j);
    free(out);
    free(err);

    /* Seeds from the package names of the ports formats; the parsers' flags are stored. */
    assert_int_equal(pf(&t, &out, &err, "packages", "t_macports", "--format", "csv", NULL), 0);
    assert_non_null(strstr(out, "python/py-requests,2.32.3,2.32.3,py312-requests,,newest"));
    assert_non_null(strstr(out, "graphics/ImageMagick7,7.1.1-40+q16,7.1.1-40,imagemagick7-devel,"
                                "ignore,unique"));
    free(out);
    free(err);
    assert_int_equal(pf(&t, &out, &err, "packages", "t_guix", "--format", "csv", NULL), 0);
    assert_non_null(strstr(out, "foo,0.1-2.0123abc,0.1-2.0123abc,foo,ignore,unique"));
    assert_non_null(strstr(out, "bar,1.2.0123abc,1.2.0123abc,bar,incorrect,unique"));
    free(out);
    free(err);
    assert_int_equal(pf(&t, &out, &err, "packages", "t_aur", "--format", "csv", NULL), 0);
    assert_non_null(strstr(out, "python-foo-git,1:0.4.1.r12.gabc1234-1,0.4.1.r12.gabc1234,"));
    free(out);
    free(err);

    /* Again: every server answers 304, nothing is parsed. */
    rc = pf(&t, &out, &err, "crawl", "--force", "--format", "csv", NULL);
    assert_int_equal(rc, 0);
    assert_int_equal(tu_httpd_count(t.srv, "/guix/packages.json"), 2);
    char *req = tu_httpd_last_request(t.srv, "/guix/packages.json");
    assert_non_null(strstr(req, "If-None-Match: \"g\""));
    free(req);
    assert_non_null(strstr(out, "t_aur,not_modified"));
    assert_non_null(strstr(out, "t_pkgsrc,not_modified"));
    free(out);
    free(err);
    tu_httpd_stop(t.srv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crawl_five_formats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
