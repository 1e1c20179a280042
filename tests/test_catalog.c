/*
 * test_catalog.c — the repository catalog (crawler/catalog.c, data/repos,
 * the generated crawler/catalog_data.c).
 *
 * Covers the shipped catalog (ids, families, defaults, URLs, per-format URL
 * shapes, the README table), mirror expansion and overrides, mirrors read
 * from a fixture apt configuration, file:line errors, warnings for unknown
 * keys, directory loading, and that the embedded copy matches data/repos
 * exactly.
 */
#include "testutil.h"

#include <dirent.h>
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

/* Load the shipped catalog; fails the test on error. */
static void load_default(pf_catalog *cat)
{
    char err[256] = "";
    if (pf_catalog_load_default(cat, err, sizeof err) != 0)
        fail_msg("%s", err);
}

/* Does s end with suffix? */
static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Does s end with one of the '|'-separated suffixes of list? */
static int ends_with_any(const char *s, const char *list)
{
    char one[64];
    for (const char *p = list; *p;) {
        size_t n = strcspn(p, "|");
        snprintf(one, sizeof one, "%.*s", (int)n, p);
        if (ends_with(s, one))
            return 1;
        p += n + (p[n] == '|');
    }
    return 0;
}

/* Every shipped repository: id and family (the README table must list the same ids). */
typedef struct shipped {
    const char *id;
    const char *family;
} shipped;
static const shipped all_repos[] = {
    {"alpine_3_22", "alpine"},
    {"alpine_3_23", "alpine"},
    {"alpine_3_24", "alpine"},
    {"alpine_edge", "alpine"},
    {"arch", "arch"},
    {"calculate", "gentoo"},
    {"centos_stream_10", "centos"},
    {"centos_stream_9", "centos"},
    {"cygwin", "cygwin"},
    {"debian_12", "debuntu"},
    {"debian_13", "debuntu"},
    {"debian_testing", "debuntu"},
    {"debian_unstable", "debuntu"},
    {"fedora_43", "fedora"},
    {"fedora_44", "fedora"},
    {"fedora_rawhide", "fedora"},
    {"freebsd", "freebsd"},
    {"gentoo", "gentoo"},
    {"gentoo_ovl_guru", "gentoo"},
    {"gentoo_ovl_pentoo", "gentoo"},
    {"gentoo_ovl_science", "gentoo"},
    {"homebrew", "homebrew"},
    {"homebrew_casks", "homebrew_casks"},
    {"liguros_develop", "gentoo"},
    {"liguros_stable", "gentoo"},
    {"nix_stable_26_05", "nix"},
    {"nix_unstable", "nix"},
    {"openbsd", "openbsd"},
    {"opensuse_leap_16_0", "opensuse"},
    {"opensuse_tumbleweed", "opensuse"},
    {"slackware_15_0", "slackware"},
    {"slackware_current", "slackware"},
    {"solus", "solus"},
    {"ubuntu_22_04", "debuntu"},
    {"ubuntu_24_04", "debuntu"},
    {"ubuntu_26_04", "debuntu"},
    {"void_x86_64", "void"},
};
#define N_REPOS   (sizeof all_repos / sizeof all_repos[0])
#define N_MIRRORS 17 /* one per file: debian, ubuntu and the families below */

/* The shipped catalog: the debuntu repositories with the right defaults and URLs. */
static void test_default_catalog(void **state)
{
    (void)state;
    pf_catalog cat = {0};
    char err[256] = "";
    load_default(&cat);
    static const char *const ids[] = {"debian_12",       "debian_13",    "debian_testing",
                                      "debian_unstable", "ubuntu_22_04", "ubuntu_24_04",
                                      "ubuntu_26_04"};
    assert_int_equal(cat.nrepos, N_REPOS);
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
    assert_null(pf_catalog_find(&cat, "nosuchdistro"));
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
    assert_int_equal(cat.nmirrors, N_MIRRORS);
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
    assert_int_equal(cat.nmirrors, N_MIRRORS + 1);

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
    /* Every YAML file of data/repos is embedded (a new file needs the script rerun). */
    size_t files = 0;
    DIR *d = opendir("data/repos");
    assert_non_null(d);
    for (struct dirent *de; (de = readdir(d)) != NULL;)
        if (de->d_name[0] != '.' && ends_with(de->d_name, ".yaml"))
            files++;
    closedir(d);
    assert_int_equal(pairs, files);
    assert_int_equal(pairs, 17);

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
        assert_int_equal(cat.nrepos, N_REPOS);
        assert_int_equal(cat.nmirrors, N_MIRRORS);
    }
    /* Valid first repository, invalid second: nothing is added. */
    const char *half =
        REPO_HEAD "    format: deb-sources\n" REPO_TAIL
                  "  - id: r2\n    family: fam\n    title: R2\n    format: nope\n" REPO_TAIL;
    assert_int_equal(pf_catalog_load_text(&cat, half, strlen(half), "t.yaml", err, sizeof err), -1);
    assert_int_equal(cat.nrepos, N_REPOS);
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

/* The repository in the expected table with this id, or NULL. */
static const shipped *expected_repo(const char *id)
{
    for (size_t i = 0; i < N_REPOS; i++)
        if (strcmp(all_repos[i].id, id) == 0)
            return &all_repos[i];
    return NULL;
}

/* The URL ending each format's crawler expects (after mirror expansion). */
static const char *url_shape(const char *format)
{
    static const struct {
        const char *format, *suffix;
    } shapes[] = {
        {"deb-sources", "/source/Sources.xz"},
        {"rpm-md", "/"}, /* the base directory that holds repodata/ */
        {"arch-db", ".db"},
        {"apkindex", "/x86_64/APKINDEX.tar.gz"},
        {"void-repodata", "/x86_64-repodata"},
        {"nix-json", "/packages.json.br"},
        {"homebrew-json", "/formula.json"},
        {"freebsd-index", ".bz2"},
        {"slackware", "/PACKAGES.TXT"},
        {"gentoo-md5cache", ".tar.xz|.tar.gz"}, /* Gentoo's snapshot | forge archives */
        {"gentoo-md5cache-lax", ".tar.gz"},
        {"gentoo-md5cache-xml", ".tar.gz"},
        {"openbsd-sqlports", "/sqlports"},
        {"solus-eopkg", "/eopkg-index.xml.xz"},
        {"cygwin-json", "/packages.json.xz"},
        {"homebrew-cask-json", "/cask.json"},
    };
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++)
        if (strcmp(shapes[i].format, format) == 0)
            return shapes[i].suffix;
    return NULL;
}

/* Rules every shipped repository follows: ids, colors, rule sets, URL shapes, one default per
 * family reachable through its short name. */
static void test_catalog_invariants(void **state)
{
    (void)state;
    pf_catalog cat = {0};
    char err[256] = "";
    load_default(&cat);
    assert_int_equal(cat.nrepos, N_REPOS);
    assert_true(cat.nrepos >= 25);
    for (size_t i = 0; i < cat.nrepos; i++) {
        const pf_repo *r = &cat.repos[i];
        const shipped *want = expected_repo(r->id);
        if (!want)
            fail_msg("%s is shipped but not expected by this test", r->id);
        assert_string_equal(r->family, want->family);
        assert_non_null(r->color);
        for (size_t j = i + 1; j < cat.nrepos; j++) {
            const pf_repo *o = &cat.repos[j];
            if (strcmp(r->id, o->id) == 0)
                fail_msg("duplicate id %s", r->id);
            if (strcmp(r->title, o->title) == 0)
                fail_msg("%s and %s share the title '%s'", r->id, o->id, r->title);
            if (strcmp(r->color, o->color) == 0)
                fail_msg("%s and %s share the color %s", r->id, o->id, r->color);
        }
        assert_non_null(pf_format_find(r->format));
        assert_true(r->min_packages >= 50); /* Repology's floors: small overlays go down to 50 */
        assert_true(r->update_period >= 3600 && r->update_period <= 7 * 86400);
        assert_true(r->nrulesets >= 1);
        assert_string_equal(r->rulesets[0], r->family); /* the family's rule set comes first */
        assert_false(r->tls_insecure);
        assert_false(r->allow_file);
        /* Only a default carries the short name, so a short name means one repository. */
        if (!r->is_default)
            assert_null(r->shortname);
        const char *suffix = url_shape(r->format);
        if (!suffix)
            fail_msg("%s: no URL shape known for format %s", r->id, r->format);
        assert_true(r->nsources >= 1);
        for (size_t s = 0; s < r->nsources; s++) {
            const char *raw = r->sources[s].url;
            assert_true(strncmp(raw, "{mirror:", 8) == 0 || strncmp(raw, "https://", 8) == 0 ||
                        strncmp(raw, "http://", 7) == 0);
            for (size_t t = 0; t < s; t++)
                assert_string_not_equal(raw, r->sources[t].url);
            char *u = pf_catalog_source_url(&cat, &r->sources[s], err, sizeof err);
            if (!u)
                fail_msg("%s/%s: %s", r->id, r->sources[s].name, err);
            const char *rest = strncmp(u, "https://", 8) == 0  ? u + 8
                               : strncmp(u, "http://", 7) == 0 ? u + 7
                                                               : NULL;
            if (!rest || strstr(rest, "//") || strchr(u, '{') || strchr(u, ' '))
                fail_msg("%s/%s: bad URL '%s'", r->id, r->sources[s].name, u);
            if (!ends_with_any(u, suffix))
                fail_msg("%s/%s: '%s' does not end in '%s' (format %s)", r->id, r->sources[s].name,
                         u, suffix, r->format);
            free(u);
        }
    }
    /* Every family has exactly one default, and its short name finds it. */
    for (size_t i = 0; i < cat.nrepos; i++) {
        const char *fam = cat.repos[i].family;
        const pf_repo *def = NULL;
        size_t ndef = 0;
        for (size_t j = 0; j < cat.nrepos; j++)
            if (strcmp(cat.repos[j].family, fam) == 0 && cat.repos[j].is_default) {
                def = &cat.repos[j];
                ndef++;
            }
        if (strcmp(fam, "debuntu") == 0) { /* Debian and Ubuntu share a family */
            assert_int_equal(ndef, 2);
            continue;
        }
        if (ndef != 1)
            fail_msg("family %s has %zu default repositories, want 1", fam, ndef);
        assert_non_null(def->shortname);
        assert_ptr_equal(pf_catalog_find(&cat, def->shortname), def);
    }
    pf_catalog_free(&cat);
}

/* Short names, exact URLs and periods of the non-Debian families. */
static void test_family_defaults_and_urls(void **state)
{
    (void)state;
    pf_catalog cat = {0};
    char err[256] = "";
    load_default(&cat);
    static const char *const defaults[][2] = {
        {"fedora", "fedora_44"},
        {"centos", "centos_stream_10"},
        {"opensuse", "opensuse_tumbleweed"},
        {"arch", "arch"},
        {"alpine", "alpine_edge"},
        {"nixpkgs", "nix_unstable"},
        {"homebrew", "homebrew"},
        {"freebsd", "freebsd"},
        {"void", "void_x86_64"},
        {"slackware", "slackware_current"},
    };
    for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++) {
        const pf_repo *r = pf_catalog_find(&cat, defaults[i][0]);
        if (!r)
            fail_msg("short name %s finds nothing", defaults[i][0]);
        assert_string_equal(r->id, defaults[i][1]);
        assert_true(r->is_default);
    }
    assert_null(pf_catalog_find(&cat, "nix")); /* the family, not a short name */
    assert_null(pf_catalog_find(&cat, "fedora_42"));

    const char *fed = "https://dl.fedoraproject.org/pub/fedora/linux";
    char want[256];
    snprintf(want, sizeof want, "%s/updates/44/Everything/source/tree/", fed);
    assert_url(&cat, "fedora", "updates", want);
    snprintf(want, sizeof want, "%s/releases/43/Everything/source/tree/", fed);
    assert_url(&cat, "fedora_43", "release", want);
    snprintf(want, sizeof want, "%s/development/rawhide/Everything/source/tree/", fed);
    assert_url(&cat, "fedora_rawhide", "development", want);
    assert_url(&cat, "centos", "AppStream",
               "https://mirror.stream.centos.org/10-stream/AppStream/source/tree/");
    assert_url(&cat, "centos_stream_9", "CRB",
               "https://mirror.stream.centos.org/9-stream/CRB/source/tree/");
    assert_url(&cat, "opensuse", "src-non-oss",
               "https://download.opensuse.org/tumbleweed/repo/src-non-oss/");
    assert_url(&cat, "opensuse_leap_16_0", "oss",
               "https://download.opensuse.org/source/distribution/leap/16.0/repo/oss/");
    assert_url(&cat, "arch", "multilib",
               "https://geo.mirror.pkgbuild.com/multilib/os/x86_64/multilib.db");
    assert_url(&cat, "alpine", "community",
               "https://dl-cdn.alpinelinux.org/alpine/edge/community/x86_64/APKINDEX.tar.gz");
    assert_url(&cat, "alpine_3_24", "main",
               "https://dl-cdn.alpinelinux.org/alpine/v3.24/main/x86_64/APKINDEX.tar.gz");
    assert_url(&cat, "nixpkgs", "packages.json",
               "https://channels.nixos.org/nixpkgs-unstable/packages.json.br");
    assert_url(&cat, "nix_stable_26_05", "packages.json",
               "https://channels.nixos.org/nixos-26.05/packages.json.br");
    assert_url(&cat, "homebrew", "formula", "https://formulae.brew.sh/api/formula.json");
    assert_url(&cat, "freebsd", "INDEX-14",
               "https://download.FreeBSD.org/ports/index/INDEX-14.bz2");
    assert_url(&cat, "void", "nonfree",
               "https://repo-default.voidlinux.org/current/nonfree/x86_64-repodata");
    assert_url(&cat, "slackware", "current",
               "https://mirrors.slackware.com/slackware/slackware64-current/PACKAGES.TXT");
    assert_url(&cat, "slackware_15_0", "patches",
               "https://mirrors.slackware.com/slackware/slackware64-15.0/patches/PACKAGES.TXT");

    assert_int_equal(pf_catalog_find(&cat, "opensuse")->update_period, 7 * 86400);
    assert_int_equal(pf_catalog_find(&cat, "homebrew")->update_period, 12 * 3600);
    assert_int_equal(pf_catalog_find(&cat, "fedora_rawhide")->nsources, 1);
    assert_int_equal(pf_catalog_find(&cat, "arch")->nsources, 3);
    assert_int_equal(pf_catalog_find(&cat, "nixpkgs")->nrulesets, 2);
    assert_string_equal(pf_catalog_find(&cat, "nixpkgs")->rulesets[1], "nix_name");
    /* Homebrew's floor stays under its real size (8,560 formulae in 2026-08). */
    assert_true(pf_catalog_find(&cat, "homebrew")->min_packages <= 8000);

    /* A family mirror can be pointed elsewhere like Debian's. */
    assert_int_equal(
        pf_catalog_set_mirror(&cat, "fedora=http://127.0.0.1:8080/fedora/linux", err, sizeof err),
        0);
    assert_url(&cat, "fedora_rawhide", "development",
               "http://127.0.0.1:8080/fedora/linux/development/rawhide/Everything/source/tree/");
    assert_int_equal(cat.nmirrors, N_MIRRORS);
    pf_catalog_free(&cat);
}

/* data/repos/README.md's table lists exactly the shipped repositories. */
static void test_readme_lists_every_repository(void **state)
{
    (void)state;
    char *text = tu_slurp("data/repos/README.md", NULL);
    assert_non_null(text);
    char *sec = strstr(text, "## Shipped repositories");
    assert_non_null(sec);
    pf_catalog cat = {0};
    load_default(&cat);
    size_t rows = 0;
    for (char *line = sec; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = 0;
        if (strncmp(line, "| ", 2) == 0) {
            char id[64];
            size_t n = strcspn(line + 2, " |");
            if (n > 0 && n < sizeof id) {
                memcpy(id, line + 2, n);
                id[n] = 0;
                if (strcmp(id, "id") != 0) {
                    const pf_repo *r = pf_catalog_find(&cat, id);
                    if (!r || strcmp(r->id, id) != 0)
                        fail_msg("README lists '%s', which is not a shipped repository", id);
                    rows++;
                }
            }
        }
        line = nl ? nl + 1 : NULL;
    }
    assert_int_equal(rows, cat.nrepos); /* ids are unique, so every one is listed */
    pf_catalog_free(&cat);
    free(text);
}

/* The catalog never names the Debian mirror this machine's apt uses (only official aliases). */
static void test_no_host_mirror(void **state)
{
    (void)state;
    char err[256] = "";
    char *host_url = pf_apt_find_mirror("/etc/apt", "debian", err, sizeof err);
    if (!host_url)
        skip();
    const char *h = strstr(host_url, "://");
    h = h ? h + 3 : host_url;
    char host[256];
    size_t n = strcspn(h, "/:");
    snprintf(host, sizeof host, "%.*s", (int)n, h);
    if (strcmp(host, "ftp.debian.org") == 0) {
        free(host_url); /* the host uses the catalog's own official alias: nothing to check */
        skip();
    }
    for (size_t i = 0; pf_embedded_catalog[i]; i += 2)
        if (strstr(pf_embedded_catalog[i + 1], host))
            fail_msg("data/repos/%s names this machine's apt mirror", pf_embedded_catalog[i]);
    free(host_url);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_catalog),
        cmocka_unit_test(test_mirror_override),
        cmocka_unit_test(test_mirror_from_apt),
        cmocka_unit_test(test_embedded_matches_data),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_unknown_keys_warn),
        cmocka_unit_test(test_load_path),
        cmocka_unit_test(test_catalog_invariants),
        cmocka_unit_test(test_family_defaults_and_urls),
        cmocka_unit_test(test_readme_lists_every_repository),
        cmocka_unit_test(test_no_host_mirror),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
