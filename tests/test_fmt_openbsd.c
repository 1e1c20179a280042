/*
 * test_fmt_openbsd.c — the openbsd-sqlports parser (crawler/formats/fmt_openbsd_sqlports.c)
 * and the OpenBSD version scheme and project seed.
 *
 * Fixtures (tests/fixtures/openbsd/): sqlports, an SQLite database made
 * with the sqlite3 tool from sqlports.sql (a subset of the real schema:
 * _Ports, _Paths, _Email, the Categories_ordered view, _Broken), and
 * sqlports-8.0.tgz, the same database packed as the official package
 * (share/sqlports). Hostile databases are made here with the SQLite
 * library: a schema change, a looping view, garbage, a truncated file.
 */
#include "testutil.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkgfresh/format.h"
#include "pkgfresh/normalize.h"
#include "pkgfresh/record.h"
#include "reccollect.h"

/* The fixture's rows, field by field (shared by the raw and the packaged database). */
static void check_fixture(const rc_set *s)
{
    assert_int_equal(s->rc, 0);
    const rc_rec *r = rc_find(s, "www/curl", "8.10.1");
    assert_non_null(r);
    rc_eq(r->binnames, "curl");
    rc_eq(r->summary, "transfer files with FTP, HTTP, HTTPS, etc.");
    rc_eq(r->homepage, "https://curl.se/");
    rc_eq(r->maintainers, "naddy@openbsd.org");
    rc_eq(r->category, "net"); /* "net www": the first */
    rc_eq(r->license, NULL);
    r = rc_find(s, "devel/py-setuptools", "75.1.0v0");
    assert_non_null(r);
    rc_eq(r->binnames, "py3-setuptools");
    rc_eq(r->homepage, "https://github.com/pypa/setuptools"); /* no HOMEPAGE: GH_* */
    rc_eq(r->maintainers, "ports@openbsd.org");
    /* x11/gtk+3 has two paths (with and without ",-main") for one port: two rows */
    assert_int_equal(rc_count(s, "x11/gtk+3"), 3);
    r = rc_find(s, "x11/gtk+3", "3.24.43p1");
    rc_eq(r->binnames, "gtk+3");
    /* the -docs subpackage: its stem loses the flavour word, which seeds the project */
    int docs = 0;
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->recs[i].srcname, "x11/gtk+3") == 0 &&
            strcmp(s->recs[i].binnames, "gtk+3 gtk+3-docs") == 0)
            docs++;
    assert_int_equal(docs, 1);
    r = rc_find(s, "editors/vim", "9.1.0707"); /* "-gtk3" flavour suffix after the version */
    assert_non_null(r);
    rc_eq(r->binnames, "vim");
    rc_eq(r->maintainers, "kirby@openbsd.org");
    r = rc_find(s, "lang/php/8.3", "8.3.12");
    assert_non_null(r);
    rc_eq(r->binnames, "php");
    assert_null(rc_find(s, "games/broken", NULL));   /* in _Broken */
    assert_null(rc_find(s, "misc/noversion", NULL)); /* no version component */
    assert_int_equal(s->n, 7);
    assert_int_equal(s->stats.skipped, 2);
}

/* The raw database as Repology downloads it. */
static void test_sqlports(void **state)
{
    (void)state;
    rc_set s;
    rc_parse_path(&s, pf_parse_openbsd_sqlports, NULL, tu_fixture("openbsd/sqlports"));
    check_fixture(&s);
    rc_free(&s);
}

/* The official package sqlports-<v>.tgz (database at share/sqlports). */
static void test_package(void **state)
{
    (void)state;
    rc_set s;
    rc_parse_path(&s, pf_parse_openbsd_sqlports, NULL, tu_fixture("openbsd/sqlports-8.0.tgz"));
    check_fixture(&s);
    rc_free(&s);
}

/* Build a database at path from SQL. */
static void make_db(const char *path, const char *sql)
{
    remove(path);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        fprintf(stderr, "%s\n", msg);
    assert_int_equal(rc, SQLITE_OK);
    sqlite3_close(db);
}

/* Parse the database at path; expect failure with `want` in the one-line message. */
static void expect_fail(const char *path, const char *want)
{
    rc_set s;
    rc_parse_path(&s, pf_parse_openbsd_sqlports, NULL, path);
    assert_int_equal(s.rc, -1);
    if (!strstr(s.err, want))
        fprintf(stderr, "message: %s\n", s.err);
    assert_non_null(strstr(s.err, want));
    assert_null(strchr(s.err, '\n'));
    assert_int_equal(s.n, 0);
    rc_free(&s);
}

/* A schema change fails the crawl with a clear line, never an empty repository. */
static void test_schema_change(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/changed", tu_tmpdir("fmt_openbsd"));
    /* the columns renamed (as an old sqlports with views instead of _ tables) */
    make_db(path, "CREATE TABLE Ports (FULLPKGPATH TEXT, FULLPKGNAME TEXT);"
                  "INSERT INTO Ports VALUES ('www/curl', 'curl-8.10.1');");
    expect_fail(path, "openbsd-sqlports: unexpected database schema: no table or view _Ports");
    make_db(path, "CREATE TABLE _Ports (FullPkgPath INTEGER, COMMENT TEXT, FULLPKGNAME TEXT,"
                  " HOMEPAGE TEXT, MAINTAINER INTEGER, GH_ACCOUNT TEXT);"
                  "CREATE TABLE _Paths (FullPkgPath TEXT, Canonical INTEGER);"
                  "CREATE TABLE Categories_ordered (FullPkgPath INTEGER, Value TEXT);"
                  "CREATE TABLE _Email (KeyRef INTEGER, Value TEXT);");
    expect_fail(path, "_Ports has no column GH_PROJECT");
    /* the right schema but nothing in it: not an empty repository either */
    make_db(path, "CREATE TABLE _Ports (FullPkgPath INTEGER, COMMENT TEXT, FULLPKGNAME TEXT,"
                  " HOMEPAGE TEXT, MAINTAINER INTEGER, GH_ACCOUNT TEXT, GH_PROJECT TEXT);"
                  "CREATE TABLE _Paths (FullPkgPath TEXT, Canonical INTEGER);"
                  "CREATE TABLE Categories_ordered (FullPkgPath INTEGER, Value TEXT);"
                  "CREATE TABLE _Email (KeyRef INTEGER, Value TEXT);");
    expect_fail(path, "openbsd-sqlports: the query found no ports");
}

/* Hostile files: a view that loops forever, garbage, truncation, a hostile tar. */
static void test_hostile(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/loop", tu_tmpdir("fmt_openbsd_hostile"));
    make_db(path, "CREATE TABLE _Ports (FullPkgPath INTEGER, COMMENT TEXT, FULLPKGNAME TEXT,"
                  " HOMEPAGE TEXT, MAINTAINER INTEGER, GH_ACCOUNT TEXT, GH_PROJECT TEXT);"
                  "INSERT INTO _Ports VALUES (1, 'c', 'curl-1.0', NULL, 1, NULL, NULL);"
                  "CREATE TABLE _Paths (FullPkgPath TEXT, Canonical INTEGER);"
                  "INSERT INTO _Paths VALUES ('www/curl', 1);"
                  "CREATE TABLE _Email (KeyRef INTEGER, Value TEXT);"
                  "INSERT INTO _Email VALUES (1, 'a <a@b.c>');"
                  "CREATE VIEW Categories_ordered AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL"
                  " SELECT i + 1 FROM n) SELECT 1 AS FullPkgPath, 'www' AS Value FROM n"
                  " WHERE i < 0;");
    expect_fail(path, "query needs too much work");

    /* a view calling a function with side effects is refused by the authorizer/trusted_schema */
    make_db(path, "CREATE TABLE _Ports (FullPkgPath INTEGER, COMMENT TEXT, FULLPKGNAME TEXT,"
                  " HOMEPAGE TEXT, MAINTAINER INTEGER, GH_ACCOUNT TEXT, GH_PROJECT TEXT);"
                  "CREATE TABLE _Paths (FullPkgPath TEXT, Canonical INTEGER);"
                  "CREATE TABLE _Email (KeyRef INTEGER, Value TEXT);"
                  "CREATE VIEW Categories_ordered AS SELECT 1 AS FullPkgPath,"
                  " load_extension('/nonexistent.so') AS Value;");
    expect_fail(path, "openbsd-sqlports: ");

    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs("SQLite format 3", fp);
    fputc(0, fp);
    for (int i = 0; i < 4000; i++)
        fputc((i * 131) & 0xff, fp);
    fclose(fp);
    expect_fail(path, "openbsd-sqlports: ");

    size_t len;
    char *db = tu_slurp(tu_fixture("openbsd/sqlports"), &len);
    assert_non_null(db);
    rc_set s;
    rc_parse_mem(&s, pf_parse_openbsd_sqlports, NULL, db, len / 3); /* truncated */
    assert_int_equal(s.rc, -1);
    assert_true(strncmp(s.err, "openbsd-sqlports: ", 18) == 0);
    rc_free(&s);
    free(db);

    static const char junk[] = "<html>Not Found</html>\n";
    rc_parse_mem(&s, pf_parse_openbsd_sqlports, NULL, junk, sizeof junk - 1);
    assert_int_equal(s.rc, -1);
    assert_non_null(strstr(s.err, "neither an SQLite database nor a tar with share/sqlports"));
    rc_free(&s);

    /* a tar without the database */
    rc_parse_path(&s, pf_parse_openbsd_sqlports, NULL, tu_fixture("gentoo/guru-master.tar.gz"));
    assert_int_equal(s.rc, -1);
    assert_non_null(strstr(s.err, "share/sqlports"));
    rc_free(&s);
}

/* PF_VS_OPENBSD strips vN then pN; OpenBSD projects seed from the first binary name. */
static void test_normalize(void **state)
{
    (void)state;
    char out[64];
    unsigned flags = 0;
    assert_int_equal(pf_vscheme_for_format("openbsd-sqlports"), PF_VS_OPENBSD);
    static const char *const cases[][2] = {
        {"3.24.43p1", "3.24.43"}, {"75.1.0v0", "75.1.0"}, {"1.2p3v1", "1.2"},
        {"2.0v", "2.0v"},         {"1.0pre", "1.0pre"},   {"p1", ""},
        {"8.10.1", "8.10.1"},     {"1.0p1p2", "1.0p1"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pf_normalize_version(PF_VS_OPENBSD, cases[i][0], out, sizeof out, &flags);
        assert_string_equal(out, cases[i][1]);
    }
    assert_int_equal(flags, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sqlports),      cmocka_unit_test(test_package),
        cmocka_unit_test(test_schema_change), cmocka_unit_test(test_hostile),
        cmocka_unit_test(test_normalize),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
