/*
 * test_compare.c — `pkgfresh compare` judges by trusted versions, through
 * the binary: three repositories read with --from (a nixpkgs-like one,
 * family nix, and two Debian-like ones, family debuntu), flags set by a
 * small ruleset (tests/fixtures/compare/rules).
 *
 *   project  cmp_nix           cmp_deb               cmp_deb13
 *   rsstail  2018-05-16 (ign)  0.6
 *   foo      1.2               1.0                   1.0
 *   bar      1.0               1.1
 *   same     3.0               3.0                   3.0
 *   mixed    2.0               1.9.9 (ign, below)    1.9.8
 *   snap                       0.0.20250101 (ign)    0.0.20240101 (ign)
 *   nixonly  1.0
 *   debonly                    1.0
 *   outside  3.0               2.0 (ign)             1.0 (ign)
 *   famsplit 1.0 (ign)         1.0 (ign)             2.0
 *
 * nix's snapshot is above Debian's 0.6 only because it is a date: Repology
 * marks it ignored, so the project is uncomparable, not newer in nix. snap
 * is in one family with every package flagged: Repology disregards the
 * flags and compares, so cmp_deb is newer. mixed is in two families, so
 * the flag on 1.9.9 counts: cmp_deb has no trusted version of it.
 * outside and famsplit have flags that count although both sides of a
 * comparison are flagged: outside has an unflagged package in a third
 * repository (cmp_deb against cmp_deb13 must ask the store), famsplit has
 * its flagged packages in two families (cmp_nix against cmp_deb knows it
 * from the two sides alone).
 */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

typedef struct cmp_ctx {
    char dir[512], db[600];
} cmp_ctx;

/* Run pkgfresh on the test catalog and rules; stdout in *out (malloc'd). */
static int run(cmp_ctx *t, char **out, ...)
{
    char *fixed[] = {(char *)tu_pkgfresh(),
                     "-q",
                     "--db",
                     t->db,
                     "--catalog",
                     (char *)tu_fixture("compare/catalog.yaml"),
                     "--rules",
                     (char *)tu_fixture("compare/rules")};
    char *err = NULL;
    va_list ap;
    va_start(ap, out);
    int rc = tu_runv(fixed, 8, out, &err, ap);
    va_end(ap);
    if (rc != 0)
        fprintf(stderr, "pkgfresh exit %d: %s\n", rc, err);
    free(err);
    return rc;
}

/* Write a deb822 Sources file of "name version" pairs into dir/file and
 * crawl repo from it (no analysis). */
static void crawl(cmp_ctx *t, const char *repo, const char *const *pairs, size_t n)
{
    char path[700];
    snprintf(path, sizeof path, "%s/%s.Sources", t->dir, repo);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    for (size_t i = 0; i + 1 < n; i += 2)
        fprintf(fp, "Package: %s\nBinary: %s\nVersion: %s-1\nMaintainer: T <t@example.org>\n\n",
                pairs[i], pairs[i], pairs[i + 1]);
    assert_int_equal(fclose(fp), 0);
    char *out = NULL;
    assert_int_equal(run(t, &out, "crawl", repo, "--from", path, "--no-analyze", NULL), 0);
    free(out);
}

/* Crawl the three repositories and analyze once. */
static int setup(void **state)
{
    cmp_ctx *t = calloc(1, sizeof *t);
    snprintf(t->dir, sizeof t->dir, "%s", tu_tmpdir("compare"));
    snprintf(t->db, sizeof t->db, "%s/db", t->dir);
    static const char *const nix[] = {"rsstail", "2018-05-16", "foo",      "1.2", "bar",     "1.0",
                                      "same",    "3.0",        "mixed",    "2.0", "nixonly", "1.0",
                                      "outside", "3.0",        "famsplit", "1.0"};
    static const char *const deb[] = {
        "rsstail", "0.6",  "foo",          "1.0",     "bar", "1.1",     "same", "3.0",      "mixed",
        "1.9.9",   "snap", "0.0.20250101", "debonly", "1.0", "outside", "2.0",  "famsplit", "1.0"};
    static const char *const deb13[] = {"foo",     "1.0",   "same",     "3.0",
                                        "mixed",   "1.9.8", "snap",     "0.0.20240101",
                                        "outside", "1.0",   "famsplit", "2.0"};
    crawl(t, "cmp_nix", nix, sizeof nix / sizeof nix[0]);
    crawl(t, "cmp_deb", deb, sizeof deb / sizeof deb[0]);
    crawl(t, "cmp_deb13", deb13, sizeof deb13 / sizeof deb13[0]);
    char *out = NULL;
    assert_int_equal(run(t, &out, "analyze", NULL), 0);
    free(out);
    *state = t;
    return 0;
}

/* Free the context. */
static int teardown(void **state)
{
    free(*state);
    return 0;
}

/* `compare A B` as CSV "kind,projects" lines, percent column dropped. */
static void expect_summary(cmp_ctx *t, const char *a, const char *b, const char *want)
{
    char *out = NULL;
    assert_int_equal(run(t, &out, "compare", a, b, "--format", "csv", NULL), 0);
    char got[512] = "";
    size_t used = 0;
    for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
        char *c = strchr(line, ',');
        char *c2 = c ? strchr(c + 1, ',') : NULL;
        if (c2)
            used +=
                (size_t)snprintf(got + used, sizeof got - used, "%.*s\n", (int)(c2 - line), line);
    }
    free(out);
    if (strcmp(got, want) != 0)
        fail_msg("compare %s %s:\n%s\nwant\n%s", a, b, got, want);
}

/* `compare A B --list KIND` projects, one per line. */
static void expect_list(cmp_ctx *t, const char *a, const char *b, const char *kind,
                        const char *want)
{
    char *out = NULL;
    assert_int_equal(run(t, &out, "compare", a, b, "--list", kind, "--format", "csv", NULL), 0);
    char got[512] = "";
    size_t used = 0;
    int header = 1;
    for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
        if (header) {
            header = 0;
            continue;
        }
        char *c = strchr(line, ',');
        used += (size_t)snprintf(got + used, sizeof got - used, "%.*s\n",
                                 c ? (int)(c - line) : (int)strlen(line), line);
    }
    free(out);
    if (strcmp(got, want) != 0)
        fail_msg("compare %s %s --list %s:\n%s\nwant\n%s", a, b, kind, got, want);
}

/* nixpkgs' ignored date snapshot is not "newer" than Debian's 0.6, nor is a
 * flagged version below the best; the six kinds add up to the union. */
static void test_two_families(void **state)
{
    cmp_ctx *t = *state;
    expect_summary(t, "cmp_nix", "cmp_deb",
                   "kind,projects\n"
                   "newer-a,1\n"
                   "newer-b,1\n"
                   "same,1\n"
                   "uncomparable,4\n"
                   "only-a,1\n"
                   "only-b,2\n");
    expect_list(t, "cmp_nix", "cmp_deb", "uncomparable", "famsplit\nmixed\noutside\nrsstail\n");
    expect_list(t, "cmp_nix", "cmp_deb", "newer-a", "foo\n");
    /* the other way round, mirrored */
    expect_summary(t, "cmp_deb", "cmp_nix",
                   "kind,projects\n"
                   "newer-a,1\n"
                   "newer-b,1\n"
                   "same,1\n"
                   "uncomparable,4\n"
                   "only-a,2\n"
                   "only-b,1\n");
    /* the uncomparable rows still show both sides' versions */
    char *out = NULL;
    assert_int_equal(run(t, &out, "compare", "cmp_nix", "cmp_deb", "--list", "uncomparable",
                         "--format", "csv", NULL),
                     0);
    assert_non_null(strstr(out, "\nrsstail,2018-05-16,0.6,2018-05-16-1,0.6-1,\n"));
    free(out);
}

/* Within one family a project whose packages are all flagged is compared
 * (Repology disregards the flags there); a flag that counts still makes the
 * project uncomparable. */
static void test_one_family(void **state)
{
    cmp_ctx *t = *state;
    expect_summary(t, "cmp_deb", "cmp_deb13",
                   "kind,projects\n"
                   "newer-a,1\n"
                   "newer-b,0\n"
                   "same,2\n"
                   "uncomparable,3\n"
                   "only-a,3\n"
                   "only-b,0\n");
    expect_list(t, "cmp_deb", "cmp_deb13", "newer-a", "snap\n");
    expect_list(t, "cmp_deb", "cmp_deb13", "uncomparable", "famsplit\nmixed\noutside\n");
    /* what the classifier made of them, with the flags that explain it */
    char *out = NULL;
    assert_int_equal(run(t, &out, "packages", "cmp_deb13", "--format", "csv", NULL), 0);
    assert_non_null(strstr(out, "\nsnap,0.0.20240101-1,0.0.20240101,snap,ignore,outdated,"));
    free(out);
    assert_int_equal(run(t, &out, "packages", "cmp_nix", "--format", "csv", NULL), 0);
    assert_non_null(strstr(out, "\nrsstail,2018-05-16-1,2018-05-16,rsstail,ignore,ignored,"));
    free(out);
}

/* --list takes the new kind's name; an unknown kind names all six. */
static void test_kind_names(void **state)
{
    cmp_ctx *t = *state;
    char *out = NULL, *err = NULL;
    char *argv[] = {(char *)tu_pkgfresh(),
                    "--db",
                    t->db,
                    "--catalog",
                    (char *)tu_fixture("compare/catalog.yaml"),
                    "compare",
                    "cmp_nix",
                    "cmp_deb",
                    "--list",
                    "older",
                    NULL};
    assert_int_equal(tu_run(argv, &out, &err), 2);
    assert_non_null(strstr(err, "uncomparable"));
    free(out);
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_families),
        cmocka_unit_test(test_one_family),
        cmocka_unit_test(test_kind_names),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
