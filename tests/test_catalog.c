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

/* The shipped catalog has at least this many repositories in this many families
 * (issue 12, catalog part: Repology's recommended set in the existing formats;
 * data/repos/README.md lists every one with its family, checked below). */
/* 80 in existing formats, 20 json-export/MSYS2/Chimera, 11 Gentoo/OpenBSD/Solus/Cygwin/
 * Casks, 8 AUR/pkgsrc/ALT/MacPorts/Guix */
#define MIN_REPOS    119
#define MIN_FAMILIES 41

/* Number of distinct families in cat. */
static size_t count_families(const pf_catalog *cat)
{
    size_t n = 0;
    for (size_t i = 0; i < cat->nrepos; i++) {
        size_t j = 0;
        while (j < i && strcmp(cat->repos[j].family, cat->repos[i].family) != 0)
            j++;
        n += j == i;
    }
    return n;
}

/* The shipped catalog: the debuntu repositories with the right defaults and URLs. */
static void test_default_catalog(void **state)
{
    (void)state;
    pf_catalog cat = {0};
    char err[256] = "";
    load_default(&cat);
    static const char *const ids[] = {"debian_12",       "debian_13",    "debian_14",
                                      "debian_unstable", "ubuntu_22_04", "ubuntu_24_04",
                                      "ubuntu_26_04"};
    assert_true(cat.nrepos >= MIN_REPOS);
    assert_true(count_families(&cat) >= MIN_FAMILIES);
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
    assert_url(&cat, "debian_testing", "non-free", /* the former id still works */
               "http://ftp.debian.org/debian/dists/forky/non-free/source/Sources.xz");
    assert_url(&cat, "ubuntu", "universe",
               "http://archive.ubuntu.com/ubuntu/dists/noble/universe/source/Sources.xz");
    assert_url(&cat, "ubuntu_22_04", "restricted",
               "http://archive.ubuntu.com/ubuntu/dists/jammy/restricted/source/Sources.xz");
    assert_url(&cat, "ubuntu_26_04", "multiverse",
               "http://archive.ubuntu.com/ubuntu/dists/resolute/multiverse/source/Sources.xz");
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
    const size_t nmirrors = cat.nmirrors;
    assert_int_equal(
        pf_catalog_set_mirror(&cat, "debian=http://127.0.0.1:8080/debian/", err, sizeof err), 0);
    assert_url(&cat, "debian", "main",
               "http://127.0.0.1:8080/debian/dists/sid/main/source/Sources.xz");
    assert_url(&cat, "ubuntu", "main",
               "http://archive.ubuntu.com/ubuntu/dists/noble/main/source/Sources.xz");
    /* A new mirror can be added. */
    assert_int_equal(pf_catalog_set_mirror(&cat, "extra=https://example.org/x", err, sizeof err),
                     0);
    assert_int_equal(cat.nmirrors, nmirrors + 1);

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
    assert_true(pairs >= 12);

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
        {REPO_HEAD "    format: deb-sources\n    valid_till: 2026-13-01\n" REPO_TAIL,
         "t.yaml:6: valid_till: expected a date YYYY-MM-DD"},
        {REPO_HEAD "    format: deb-sources\n    valid_till: 2026-1-01\n" REPO_TAIL,
         "t.yaml:6: valid_till: expected a date YYYY-MM-DD"},
        {REPO_HEAD "    format: deb-sources\n    valid_till: 2026-02-30\n" REPO_TAIL,
         "t.yaml:6: valid_till: no such day '2026-02-30'"},
        {REPO_HEAD "    format: deb-sources\n    shadow: maybe\n" REPO_TAIL,
         "t.yaml:6: shadow: expected true or false"},
        {REPO_HEAD "    format: deb-sources\n    aliases: [r1]\n" REPO_TAIL,
         "t.yaml:6: alias 'r1' already names a repository"},
        {REPO_HEAD "    format: deb-sources\n    aliases: [old, old]\n" REPO_TAIL,
         "t.yaml:6: alias 'old' already names a repository"},
        {REPO_HEAD "    format: deb-sources\n    aliases: [Old]\n" REPO_TAIL,
         "t.yaml:6: alias 'Old': use lower-case"},
        /* ids and aliases share one name space with the loaded catalog */
        {REPO_HEAD "    format: deb-sources\n    aliases: debian_12\n" REPO_TAIL,
         "t.yaml:6: alias 'debian_12' already names a repository"},
        {REPO_HEAD "    format: deb-sources\n    aliases: debian\n" REPO_TAIL,
         "t.yaml:6: alias 'debian' already names a repository"},
        {"repositories:\n  - id: debian_testing\n    family: debuntu\n    title: x\n"
         "    format: deb-sources\n" REPO_TAIL,
         "t.yaml:2: id 'debian_testing' is another repository's alias"},
    };
    pf_catalog cat = {0};
    char err[256] = "";
    assert_int_equal(pf_catalog_load_default(&cat, err, sizeof err), 0);
    const size_t nrepos = cat.nrepos, nmirrors = cat.nmirrors;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        err[0] = 0;
        int rc = pf_catalog_load_text(&cat, cases[i].text, strlen(cases[i].text), "t.yaml", err,
                                      sizeof err);
        if (rc != -1 || !strstr(err, cases[i].want))
            fail_msg("case %zu: rc %d, err '%s', want '%s'", i, rc, err, cases[i].want);
        assert_int_equal(cat.nrepos, nrepos);
        assert_int_equal(cat.nmirrors, nmirrors);
    }
    /* Valid first repository, invalid second: nothing is added. */
    const char *half =
        REPO_HEAD "    format: deb-sources\n" REPO_TAIL
                  "  - id: r2\n    family: fam\n    title: R2\n    format: nope\n" REPO_TAIL;
    assert_int_equal(pf_catalog_load_text(&cat, half, strlen(half), "t.yaml", err, sizeof err), -1);
    assert_int_equal(cat.nrepos, nrepos);
    assert_null(pf_catalog_find(&cat, "r1"));
    pf_catalog_free(&cat);
}

/* shadow, valid_till, aliases and statsgroup: parsed, found, and the end-of-life
 * boundary is the start of the day after valid_till (UTC). */
static void test_lifecycle_keys(void **state)
{
    (void)state;
    const char *text =
        "repositories:\n"
        "  - id: r_new\n    family: fam\n    title: R new\n"
        "    format: deb-sources\n    shadow: true\n"
        "    valid_till: 2024-02-29\n    aliases: [r_old, r_older]\n"
        "    statsgroup: Group R\n" REPO_TAIL "  - id: r2\n    family: fam\n    title: R2\n"
        "    format: deb-sources\n    aliases: r2_old\n" REPO_TAIL;
    pf_catalog cat = {0};
    char err[256] = "";
    if (pf_catalog_load_text(&cat, text, strlen(text), "k.yaml", err, sizeof err) != 0)
        fail_msg("%s", err);
    const pf_repo *r = pf_catalog_find(&cat, "r_older");
    assert_non_null(r);
    assert_string_equal(r->id, "r_new");
    assert_ptr_equal(pf_catalog_find(&cat, "r_old"), r);
    assert_int_equal(r->shadow, 1);
    assert_string_equal(r->valid_till, "2024-02-29");
    assert_string_equal(pf_repo_statsgroup(r), "Group R");
    /* 2024-02-29 is a leap day: valid through it, end of life from 2024-03-01 00:00 UTC */
    assert_int_equal(r->valid_end, 1709251200LL);
    assert_false(pf_repo_is_eol(r, 1709251199LL));
    assert_true(pf_repo_is_eol(r, 1709251200LL));
    const pf_repo *r2 = pf_catalog_find(&cat, "r2_old");
    assert_non_null(r2);
    assert_string_equal(r2->id, "r2");
    assert_int_equal(r2->shadow, 0);
    assert_null(r2->valid_till);
    assert_false(pf_repo_is_eol(r2, 4102444800LL));    /* no valid_till: never */
    assert_string_equal(pf_repo_statsgroup(r2), "R2"); /* its own group: the title */
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

/* Whether url (after mirror expansion) ends the way format's crawler expects. */
static int url_shape_ok(const char *format, const char *url)
{
    static const struct {
        const char *format, *suffix;
    } shapes[] = {
        {"deb-sources", "/source/Sources.xz"},
        {"deb-sources", "/source/Sources.gz"},
        {"deb-sources", "/source/Sources.bz2"},
        {"rpm-md", "/"}, /* the base directory that holds repodata/ */
        {"arch-db", ".db"},
        {"arch-db", ".db.tar.gz"},
        {"arch-db", ".db.tar.xz"},
        {"arch-db", ".db.tar.zst"},
        {"apkindex", "/APKINDEX.tar.gz"},
        {"void-repodata", "/x86_64-repodata"},
        {"nix-json", "/packages.json.br"},
        {"homebrew-json", "/formula.json"},
        {"freebsd-index", ".bz2"},
        {"slackware", "/PACKAGES.TXT"},
        {"aur-json", "/packages-meta-ext-v1.json.gz"},
        {"pkgsrc-index", "/pkgsrc/INDEX"},
        {"alt-json", "/api/export/repology/sisyphus"},
        {"alt-json", "/api/export/repology/p11"},
        {"macports-json", "/PortIndex.json"},
        {"guix-json", "/packages.json"},
        {"msys2-db", ".db.tar.zst"},
        {"apkindex-text", "/x86_64"},
        {"termux-json", "/packages.json"},
        {"spack-json", "/repology.json"},
        {"exherbo-json", "/packages.json"},
        {"aosc-json", "/list.json"},
        {"crux-json", ".json"},
        {"chromebrew-json", "/repology.json"},
        {"ravenports-json", "/repology.json"},
        {"yacp-json", "/packages.json.xz"},
        {"pacstall-json", "/api/repology"},
        {"stalix-ndjson", "/dump.json"},
        {"salix-json", "/PACKAGES.json"},
        {"ptxdist-json", "/repology.json"},
        {"gentoo-md5cache", ".tar.xz"}, /* Gentoo's daily snapshot */
        {"gentoo-md5cache", ".tar.gz"}, /* forge archives of a branch */
        {"gentoo-md5cache-lax", ".tar.gz"},
        {"gentoo-md5cache-xml", ".tar.gz"},
        {"openbsd-sqlports", "/sqlports"},
        {"solus-eopkg", "/eopkg-index.xml.xz"},
        {"cygwin-json", "/packages.json.xz"},
        {"homebrew-cask-json", "/cask.json"},
    };
    int known = 0;
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++)
        if (strcmp(shapes[i].format, format) == 0) {
            known = 1;
            if (ends_with(url, shapes[i].suffix))
                return 1;
        }
    return known ? 0 : -1;
}

/* Rules every shipped repository follows: ids, colors, rule sets, URL shapes, one default per
 * family reachable through its short name. */
static void test_catalog_invariants(void **state)
{
    (void)state;
    pf_catalog cat = {0};
    char err[256] = "";
    load_default(&cat);
    assert_true(cat.nrepos >= MIN_REPOS);
    for (size_t i = 0; i < cat.nrepos; i++) {
        const pf_repo *r = &cat.repos[i];
        assert_non_null(r->color); /* Repology shares colours within a distribution */
        for (size_t j = i + 1; j < cat.nrepos; j++) {
            const pf_repo *o = &cat.repos[j];
            if (strcmp(r->id, o->id) == 0)
                fail_msg("duplicate id %s", r->id);
            if (strcmp(r->title, o->title) == 0)
                fail_msg("%s and %s share the title '%s'", r->id, o->id, r->title);
        }
        assert_non_null(pf_format_find(r->format));
        assert_true(r->min_packages >= 0 && r->min_packages <= 200000);
        assert_true(r->update_period >= 3600 && r->update_period <= 7 * 86400);
        assert_true(r->nrulesets >= 1);
        assert_string_equal(r->rulesets[0], r->family); /* the family's rule set comes first */
        assert_false(r->tls_insecure);
        assert_false(r->allow_file);
        /* Only a default carries the short name, so a short name means one repository. */
        if (!r->is_default)
            assert_null(r->shortname);
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
            int shape = url_shape_ok(r->format, u);
            if (shape < 0)
                fail_msg("%s: no URL shape known for format %s", r->id, r->format);
            if (shape == 0)
                fail_msg("%s/%s: '%s' does not end as format %s's URLs do", r->id,
                         r->sources[s].name, u, r->format);
            free(u);
        }
    }
    /* Every family has a default, and each default's short name finds it. */
    for (size_t i = 0; i < cat.nrepos; i++) {
        const char *fam = cat.repos[i].family;
        size_t ndef = 0;
        for (size_t j = 0; j < cat.nrepos; j++)
            if (strcmp(cat.repos[j].family, fam) == 0 && cat.repos[j].is_default)
                ndef++;
        if (ndef == 0)
            fail_msg("family %s has no default repository", fam);
        if (cat.repos[i].is_default) {
            assert_non_null(cat.repos[i].shortname);
            assert_ptr_equal(pf_catalog_find(&cat, cat.repos[i].shortname), &cat.repos[i]);
        }
        /* a former id finds the repository that took its place */
        for (size_t k = 0; k < cat.repos[i].naliases; k++)
            assert_ptr_equal(pf_catalog_find(&cat, cat.repos[i].aliases[k]), &cat.repos[i]);
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
        {"slackware", "slackware64_current"},
        {"pkgsrc", "pkgsrc_current"},
        {"alt", "altsisyphus"},
        {"macports", "macports"},
        {"guix", "gnuguix"},
        {"slackware_current", "slackware64_current"}, /* former ids */
        {"slackware_15_0", "slackware64_15_0"},
        {"manjaro", "manjaro_stable"},
        {"mageia", "mageia_10"},
        {"rosa", "rosa_13"},
    };
    for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++) {
        const pf_repo *r = pf_catalog_find(&cat, defaults[i][0]);
        if (!r)
            fail_msg("short name %s finds nothing", defaults[i][0]);
        assert_string_equal(r->id, defaults[i][1]);
        assert_true(r->is_default || strchr(defaults[i][0], '_'));
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
    assert_url(
        &cat, "slackware", "slackware64",
        "https://mirrors.slackware.com/slackware/slackware64-current/slackware64/PACKAGES.TXT");
    assert_url(&cat, "slackware_15_0", "patches",
               "https://mirrors.slackware.com/slackware/slackware64-15.0/patches/PACKAGES.TXT");
    /* Repology's URLs for the added distributions */
    assert_url(&cat, "mageia_cauldron", "tainted/backports",
               "https://mirrors.kernel.org/mageia/distrib/cauldron/SRPMS/tainted/backports/");
    assert_url(&cat, "manjaro", "multilib",
               "https://mirror.kamtv.ru/manjaro/stable/multilib/x86_64/multilib.db.tar.gz");
    assert_url(&cat, "kaos", "core", "https://repo.kaosx.us/core/core.db");
    assert_url(&cat, "rpmfusion_fedora_44", "nonfree/tainted",
               "https://download1.rpmfusion.org/nonfree/fedora/tainted/44/SRPMS/");
    assert_url(&cat, "parrot", "parrot-updates/non-free",
               "https://deb.parrotsec.org/parrot/dists/parrot-updates/non-free/source/Sources.gz");
    assert_url(&cat, "postmarketos", "master",
               "https://mirror.postmarketos.org/postmarketos/master/aarch64/APKINDEX.tar.gz");
    assert_int_equal(pf_catalog_find(&cat, "parrot")->min_packages, 55000);
    assert_string_equal(pf_repo_statsgroup(pf_catalog_find(&cat, "kali")), "Debian+derivs");
    assert_string_equal(pf_repo_statsgroup(pf_catalog_find(&cat, "ubuntu")), "Debian+derivs");
    assert_string_equal(pf_repo_statsgroup(pf_catalog_find(&cat, "blackarch")), "BlackArch");
    assert_string_equal(pf_catalog_find(&cat, "fedora_43")->valid_till, "2026-12-09");

    assert_url(&cat, "aur", "packages-meta-ext",
               "https://aur.archlinux.org/packages-meta-ext-v1.json.gz");
    assert_url(&cat, "pkgsrc", "INDEX", "https://cdn.netbsd.org/pub/pkgsrc/current/pkgsrc/INDEX");
    assert_url(&cat, "pkgsrc_2026_2", "INDEX",
               "https://cdn.netbsd.org/pub/pkgsrc/pkgsrc-2026Q2/pkgsrc/INDEX");
    assert_url(&cat, "alt", "sisyphus", "https://rdb.altlinux.org/api/export/repology/sisyphus");
    assert_url(&cat, "alt_p11", "p11", "https://rdb.altlinux.org/api/export/repology/p11");
    assert_url(&cat, "macports", "PortIndex",
               "https://ftp.fau.de/macports/release/tarballs/PortIndex_darwin_21_i386/"
               "PortIndex.json");
    assert_url(&cat, "guix", "packages", "https://guix.gnu.org/packages.json");
    assert_int_equal(pf_catalog_find(&cat, "guix")->update_period, 7 * 86400);
    assert_int_equal(pf_catalog_find(&cat, "aur")->min_packages, 48000);
    assert_string_equal(pf_catalog_find(&cat, "aur")->rulesets[1], "aur");
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
                    /* the second column is the family */
                    const char *fam = line + 2 + n + strspn(line + 2 + n, " |");
                    size_t fl = strcspn(fam, " |");
                    if (fl != strlen(r->family) || strncmp(fam, r->family, fl) != 0)
                        fail_msg("README gives '%s' the family '%.*s', the catalog '%s'", id,
                                 (int)fl, fam, r->family);
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
        cmocka_unit_test(test_lifecycle_keys),
        cmocka_unit_test(test_unknown_keys_warn),
        cmocka_unit_test(test_load_path),
        cmocka_unit_test(test_catalog_invariants),
        cmocka_unit_test(test_family_defaults_and_urls),
        cmocka_unit_test(test_readme_lists_every_repository),
        cmocka_unit_test(test_no_host_mirror),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
