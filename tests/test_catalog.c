/*
 * test_catalog.c — the repository catalog (crawler/catalog.c, data/repos,
 * the generated crawler/catalog_data.c).
 *
 * Covers the shipped catalog (ids, families, defaults, URLs), mirror
 * expansion and overrides, mirrors read from a fixture apt configuration,
 * file:line errors, warnings for unknown keys, directory loading, and that
 * the embedded copy matches data/repos exactly.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pkgfresh/catalog.h"
#include "pkgfresh/format.h"

/* Expand the named source of a repository; fails the test on error. */
static char *source_url(const pf_catalog *cat, const char *repo, const char *source)
{
    const pf_repo *r = pf_catalog_find(cat, repo);
    assert_non_null(r);
    for (size_t i = 0; i < r->nsources; i++)
        if (strcmp(r->sources[i].name, source) == 0) {
            char err[256];
            char *u = pf_catalog_source_url(cat, &r->sources[i], err, sizeof err);
            if (!u)
                fail_msg("%s/%s: %s", repo, source, err);
            return u;
        }
    fail_msg("%s has no source %s", repo, source);
    return NULL;
}

/* Assert the expanded URL of repo/source. */
static void assert_url(const pf_catalog *cat, const char *repo, const char *source,
                       const char *want)
{
    char *u = source_url(cat, repo, source);
    assert_string_equal(u, want);
    free(u);
}

/* The shipped catalog: seven debuntu repositories with the right defaults and URLs. */
static void test_default_catalog(void **state)
{
    (void)state;
    pf_catalog cat = {0};
    char err[256] = "";
    if (pf_catalog_load_default(&cat, err, sizeof err) != 0)
        fail_msg("%s", err);
    static const char *const ids[] = {"debian_12",       "debian_13",    "debian_testing",
                                      "debian_unstable", "ubuntu_22_04", "ubuntu_24_04",
                                      "ubuntu_26_04"};
    assert_int_equal(cat.nrepos, 7);
    for (size_t i = 0; i < 7; i++) {
        const pf_repo *r = pf_catalog_find(&cat, ids[i]);
        assert_non_null(r);
        assert_string_equal(r->id, ids[i]);
        assert_string_equal(r->family, "debuntu");
        assert_string_equal(r->format, "deb-sources");
        assert_non_null(pf_format_find(r->format));
        assert_int_equal(r->nsources, 4);
        assert_int_equal(r->nrulesets, 2);
        assert_string_equal(r->rulesets[0], "debuntu");
        assert_string_equal(r->rulesets[1], ids[i][0] == 'd' ? "debian" : "ubuntu");
        assert_non_null(r->color);
        assert_int_equal(strlen(r->color), 7);
        assert_true(r->min_packages >= 20000);
        assert_true(r->update_period >= 3600);
        assert_false(r->tls_insecure);
        assert_false(r->allow_file);
        /* Every source expands to an official archive URL of an xz Sources index. */
        for (size_t s = 0; s < r->nsources; s++) {
            char *u = pf_catalog_source_url(&cat, &r->sources[s], err, sizeof err);
            if (!u)
                fail_msg("%s: %s", r->id, err);
            assert_true(strncmp(u, "http://ftp.debian.org/debian/dists/", 35) == 0 ||
                        strncmp(u, "http://archive.ubuntu.com/ubuntu/dists/", 39) == 0);
            assert_non_null(strstr(u, "/source/Sources.xz"));
            free(u);
        }
    }
    /* Short names resolve to the default repository of each distribution. */
    assert_string_equal(pf_catalog_find(&cat, "debian")->id, "debian_unstable");
    assert_string_equal(pf_catalog_find(&cat, "ubuntu")->id, "ubuntu_24_04");
    assert_null(pf_catalog_find(&cat, "debuntu"));
    assert_null(pf_catalog_find(&cat, "fedora"));
    assert_null(pf_catalog_find(&cat, NULL));
    assert_int_equal(pf_catalog_find(&cat, "debian_unstable")->update_period, 6 * 3600);
    assert_int_equal(pf_catalog_find(&cat, "debian_12")->update_period, 7 * 86400);

    assert_url(&cat, "debian", "main",
               "http://ftp.debian.org/debian/dists/sid/main/source/Sources.xz");
    assert_url(&cat, "debian_12", "non-free-firmware",
               "http://ftp.debian.org/debian/dists/bookworm/non-free-firmware/source/Sources.xz");
    assert_url(&cat, "debian_13", "contrib",
               "http://ftp.debian.org/debian/dists/trixie/contrib/source/Sources.xz");
    assert_url(&cat, "debian_testing", "non-free",
               "http://ftp.debian.org/debian/dists/forky/non-free/source/Sources.xz");
    assert_url(&cat, "ubuntu", "universe",
               "http://archive.ubuntu.com/ubuntu/dists/noble/universe/source/Sources.xz");
    assert_url(&cat, "ubuntu_22_04", "restricted",
               "http://archive.ubuntu.com/ubuntu/dists/jammy/restricted/source/Sources.xz");
    assert_url(&cat, "ubuntu_26_04", "multiverse",
               "http://archive.ubuntu.com/ubuntu/dists/resolute/multiverse/source/Sources.xz");
    assert_int_equal(cat.nmirrors, 2);
    pf_catalog_free(&cat);
    assert_int_equal(cat.nrepos, 0);
    pf_catalog_free(&cat); /* twice is harmless */
}

/* --mirror NAME=URL replaces a mirror for expansion; bad specs are refused. */
static void test_mirror_override(void **state)
{
    (void)state;
    pf_catalog cat = {0};
    char err[256] = "";
    assert_int_equal(pf_catalog_load_default(&cat, err, sizeof err), 0);
    assert_int_equal(
        pf_catalog_set_mirror(&cat, "debian=http://127.0.0.1:8080/debian/", err, sizeof err), 0);
    assert_url(&cat, "debian", "main",
               "http://127.0.0.1:8080/debian/dists/sid/main/source/Sources.xz");
    assert_url(&cat, "ubuntu", "main",
               "http://archive.ubuntu.com/ubuntu/dists/noble/main/source/Sources.xz");
    /* A new mirror can be added. */
    assert_int_equal(pf_catalog_set_mirror(&cat, "extra=https://example.org/x", err, sizeof err),
                     0);
    assert_int_equal(cat.nmirrors, 3);

    static const char *const bad[] = {"debian",          "=http://x",
                                      "debian=",         "debian=ftp://x/debian",
                                      "Debian=http://x", "de bian=http://x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = 0;
        assert_int_equal(pf_catalog_set_mirror(&cat, bad[i], err, sizeof err), -1);
        assert_true(strlen(err) > 0);
    }

    /* An unknown mirror in a URL is an error naming it. */
    pf_source src = {"main", "{mirror:nowhere}/dists/x"};
    assert_null(pf_catalog_source_url(&cat, &src, err, sizeof err));
    assert_non_null(strstr(err, "nowhere"));
    pf_source plain = {"main", "https://example.org/Sources.gz"};
    char *u = pf_catalog_source_url(&cat, &plain, err, sizeof err);
    assert_string_equal(u, "https://example.org/Sources.gz");
    free(u);
    pf_catalog_free(&cat);
}

/* NAME=apt takes the first matching URL: sources.list, then sources.list.d in name order. */
static void test_mirror_from_apt(void **state)
{
    (void)state;
    const char *apt = tu_fixture("catalog/apt");
    char err[256] = "";
    /* deb822 continuation URIs; the disabled stanza and -security are skipped. */
    char *u = pf_apt_find_mirror(apt, "debian", err, sizeof err);
    assert_non_null(u);
    assert_string_equal(u, "http://mirror.example/debian");
    free(u);
    /* One-line sources.list wins over sources.list.d. */
    u = pf_apt_find_mirror(apt, "ubuntu", err, sizeof err);
    assert_non_null(u);
    assert_string_equal(u, "http://old.example.net/ubuntu");
    free(u);
    u = pf_apt_find_mirror(apt, "debian-security", err, sizeof err);
    assert_non_null(u);
    assert_string_equal(u, "http://security.example.org/debian-security");
    free(u);
    assert_null(pf_apt_find_mirror(apt, "nix", err, sizeof err));
    assert_non_null(strstr(err, "/nix"));
    assert_null(
        pf_apt_find_mirror("tests/fixtures/catalog/no-such-dir", "debian", err, sizeof err));

    pf_catalog cat = {0};
    assert_int_equal(pf_catalog_load_default(&cat, err, sizeof err), 0);
    assert_int_equal(pf_catalog_set_mirror_in(&cat, "debian=apt", apt, err, sizeof err), 0);
    assert_url(&cat, "debian_13", "main",
               "http://mirror.example/debian/dists/trixie/main/source/Sources.xz");
    assert_int_equal(pf_catalog_set_mirror_in(&cat, "fedora=apt", apt, err, sizeof err), -1);
    assert_non_null(strstr(err, "/fedora"));
    pf_catalog_free(&cat);
}

/* The compiled-in catalog is exactly data/repos (and what the script would generate now). */
static void test_embedded_matches_data(void **state)
{
    (void)state;
    size_t pairs = 0;
    for (size_t i = 0; pf_embedded_catalog[i]; i += 2, pairs++) {
        char path[512];
        snprintf(path, sizeof path, "data/repos/%s", pf_embedded_catalog[i]);
        char *text = tu_slurp(path, NULL);
        if (!text)
            fail_msg("%s is embedded but missing: run scripts/embed-catalog", path);
        if (strcmp(text, pf_embedded_catalog[i + 1]) != 0)
            fail_msg("%s differs from crawler/catalog_data.c: run "
                     "scripts/embed-catalog > crawler/catalog_data.c",
                     path);
        free(text);
    }
    assert_int_equal(pairs, 2);

    char *argv[] = {"/bin/sh", "scripts/embed-catalog", NULL};
    char *out = NULL, *errout = NULL;
    assert_int_equal(tu_run(argv, &out, &errout), 0);
    char *checked_in = tu_slurp("crawler/catalog_data.c", NULL);
    assert_non_null(checked_in);
    if (strcmp(out, checked_in) != 0)
        fail_msg("crawler/catalog_data.c is stale: run scripts/embed-catalog > "
                 "crawler/catalog_data.c");
    free(checked_in);
    free(out);
    free(errout);
}

/* A minimal valid repository, with %s replaced by extra lines. */
#define REPO_HEAD                                                                                  \
    "repositories:\n"                                                                              \
    "  - id: r1\n"                                                                                 \
    "    family: fam\n"                                                                            \
    "    title: R1\n"
#define REPO_TAIL                                                                                  \
    "    sources:\n"                                                                               \
    "      - name: main\n"                                                                         \
    "        url: http://example.org/Sources.gz\n"

typedef struct ecase {
    const char *text;
    const char *want; /* substring of the error, starting with "t.yaml:LINE:" */
} ecase;

/* Bad catalogs fail with file:line and leave the catalog unchanged. */
static void test_errors(void **state)
{
    (void)state;
    static const ecase cases[] = {
        {"repositories:\n  - id: [a\n", "t.yaml:3: YAML error"},
        {"repositories:\n  - id: r1\n    title: x\n", "t.yaml:2: repository without 'family'"},
        {REPO_HEAD REPO_TAIL, "t.yaml:2: repository without 'format'"},
        {REPO_HEAD "    format: deb-sources\n" REPO_TAIL "  - id: r1\n    family: fam\n"
                   "    title: R1\n    format: deb-sources\n"
                   "    sources: [{name: m, url: 'http://x'}]\n",
         "t.yaml:9: duplicate repository id 'r1'"},
        {REPO_HEAD "    format: deb-sources\n" REPO_TAIL REPO_HEAD, "t.yaml:9: duplicate key"},
        {REPO_HEAD "    format: rpm-xx\n" REPO_TAIL, "t.yaml:5: unknown format 'rpm-xx'"},
        {REPO_HEAD "    format: deb-sources\n    color: red\n" REPO_TAIL, "t.yaml:6: color 'red'"},
        {REPO_HEAD "    format: deb-sources\n    update_period: 1y\n" REPO_TAIL,
         "t.yaml:6: update_period"},
        {REPO_HEAD "    format: deb-sources\n    min_packages: -5\n" REPO_TAIL,
         "t.yaml:6: min_packages"},
        {REPO_HEAD "    format: deb-sources\n    default: true\n" REPO_TAIL,
         "t.yaml:6: 'default: true' needs a 'shortname'"},
        {REPO_HEAD "    format: deb-sources\n    title: again\n" REPO_TAIL,
         "t.yaml:6: duplicate key 'title'"},
        {REPO_HEAD "    format: deb-sources\n    sources:\n      - name: main\n"
                   "        url: ftp://example.org/x\n",
         "t.yaml:7: url: expected"},
        {REPO_HEAD "    format: deb-sources\n    sources:\n      - name: main\n"
                   "        url: file:///srv/x\n",
         "t.yaml:7: url: file:// needs 'allow_file: true'"},
        {REPO_HEAD "    format: deb-sources\n    sources:\n      - url: http://x/\n",
         "t.yaml:7: source without 'name'"},
        {REPO_HEAD "    format: deb-sources\n    sources: []\n", "t.yaml:6: sources: empty list"},
        {"mirrors:\n  debian: ftp://example.org/debian\n", "t.yaml:2: mirror 'debian'"},
        {"- just\n- a list\n", "t.yaml:1: expected a mapping"},
        /* Clashes with the default catalog already loaded. */
        {"repositories:\n  - id: debian_12\n    family: debuntu\n    title: x\n"
         "    format: deb-sources\n" REPO_TAIL,
         "t.yaml:2: duplicate repository id 'debian_12'"},
        {REPO_HEAD "    format: deb-sources\n    shortname: debian\n    default: yes\n" REPO_TAIL,
         "t.yaml:7: second default repository for 'debian'"},
    };
    pf_catalog cat = {0};
    char err[256] = "";
    assert_int_equal(pf_catalog_load_default(&cat, err, sizeof err), 0);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        err[0] = 0;
        int rc = pf_catalog_load_text(&cat, cases[i].text, strlen(cases[i].text), "t.yaml", err,
                                      sizeof err);
        if (rc != -1 || !strstr(err, cases[i].want))
            fail_msg("case %zu: rc %d, err '%s', want '%s'", i, rc, err, cases[i].want);
        assert_int_equal(cat.nrepos, 7);
        assert_int_equal(cat.nmirrors, 2);
    }
    /* Valid first repository, invalid second: nothing is added. */
    const char *half =
        REPO_HEAD "    format: deb-sources\n" REPO_TAIL
                  "  - id: r2\n    family: fam\n    title: R2\n    format: nope\n" REPO_TAIL;
    assert_int_equal(pf_catalog_load_text(&cat, half, strlen(half), "t.yaml", err, sizeof err), -1);
    assert_int_equal(cat.nrepos, 7);
    assert_null(pf_catalog_find(&cat, "r1"));
    pf_catalog_free(&cat);
}

/* Unknown keys are warned about on stderr with file:line, and the load succeeds. */
static void test_unknown_keys_warn(void **state)
{
    (void)state;
    const char *dir = tu_tmpdir("catalog");
    assert_non_null(dir);
    char path[512];
    snprintf(path, sizeof path, "%s/stderr.txt", dir);
    fflush(stderr);
    int saved = dup(2);
    FILE *cap = fopen(path, "w");
    assert_non_null(cap);
    dup2(fileno(cap), 2);

    const char *text = "colours: many\n" REPO_HEAD "    format: deb-sources\n"
                       "    colour: red\n" REPO_TAIL "        mirror: no\n";
    pf_catalog cat = {0};
    char err[256] = "";
    int rc = pf_catalog_load_text(&cat, text, strlen(text), "w.yaml", err, sizeof err);

    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    fclose(cap);
    assert_int_equal(rc, 0);
    assert_int_equal(cat.nrepos, 1);
    char *warn = tu_slurp(path, NULL);
    assert_non_null(warn);
    assert_non_null(strstr(warn, "w.yaml:1: warning: unknown key 'colours'"));
    assert_non_null(strstr(warn, "w.yaml:7: warning: unknown key 'colour'"));
    assert_non_null(strstr(warn, "w.yaml:11: warning: unknown key 'mirror'"));
    free(warn);
    unlink(path);
    rmdir(dir);
    pf_catalog_free(&cat);
}

/* A directory loads every *.yaml in name order; single files and missing paths work too. */
static void test_load_path(void **state)
{
    (void)state;
    pf_catalog cat = {0};
    char err[256] = "";
    if (pf_catalog_load_path(&cat, tu_fixture("catalog/dir"), err, sizeof err) != 0)
        fail_msg("%s", err);
    assert_int_equal(cat.nrepos, 2);
    assert_string_equal(cat.repos[0].id, "local_a");
    assert_string_equal(cat.repos[1].id, "local_b");
    const pf_repo *a = &cat.repos[0];
    assert_int_equal(a->update_period, 3600);
    assert_int_equal(a->min_packages, 0);
    assert_int_equal(a->nrulesets, 1);
    assert_string_equal(a->rulesets[0], "debuntu");
    assert_null(a->color);
    assert_null(a->shortname);
    const pf_repo *b = pf_catalog_find(&cat, "local");
    assert_non_null(b);
    assert_string_equal(b->id, "local_b");
    assert_true(b->allow_file);
    assert_true(b->tls_insecure);
    assert_int_equal(b->update_period, 86400);
    assert_url(&cat, "local_a", "main", "http://127.0.0.1:8080/repo/a/Sources.gz");
    assert_url(&cat, "local_b", "main", "file:///srv/repo/b/Sources");
    pf_catalog_free(&cat);

    assert_int_equal(pf_catalog_load_path(&cat, tu_fixture("catalog/dir/a.yaml"), err, sizeof err),
                     0);
    assert_int_equal(cat.nrepos, 1);
    /* The same file again: duplicate id, with the file name in the message. */
    assert_int_equal(pf_catalog_load_path(&cat, tu_fixture("catalog/dir/a.yaml"), err, sizeof err),
                     -1);
    assert_non_null(strstr(err, "catalog/dir/a.yaml:5: duplicate repository id 'local_a'"));
    pf_catalog_free(&cat);

    assert_int_equal(
        pf_catalog_load_path(&cat, "tests/fixtures/catalog/missing.yaml", err, sizeof err), -1);
    assert_non_null(strstr(err, "missing.yaml"));
    /* An empty text is an empty catalog. */
    assert_int_equal(pf_catalog_load_text(&cat, "", 0, "empty.yaml", err, sizeof err), 0);
    assert_int_equal(cat.nrepos, 0);
    pf_catalog_free(&cat);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_catalog), cmocka_unit_test(test_mirror_override),
        cmocka_unit_test(test_mirror_from_apt), cmocka_unit_test(test_embedded_matches_data),
        cmocka_unit_test(test_errors),          cmocka_unit_test(test_unknown_keys_warn),
        cmocka_unit_test(test_load_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
