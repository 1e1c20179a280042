/*
 * test_starter_rules.c — the starter ruleset shipped in data/rules/.
 *
 * 1. It loads without errors or warnings, every file opens with a comment
 *    block, and the files come in the documented order.
 * 2. Table-driven: real package names of every family in the default
 *    catalog go through the same steps as the analysis (seed, version
 *    normalization, rules with the repository's rule sets and family) and
 *    must land on the expected project, with the expected flavor.
 * 3. Version classes: pre-releases become devel, snapshots and glued commit
 *    hashes ignored, bare hashes incorrect; plain releases stay untouched.
 * 4. Measurement on real data (skipped when /work/shared is absent): how many
 *    projects of Debian unstable, Alpine edge and nixpkgs also exist in at
 *    least one of the other two, without rules and with the starter rules.
 *    The figures are printed (docs/rules.md quotes them) and loosely checked.
 */
#include "testutil.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <valgrind/valgrind.h>

#include "pkgfresh/catalog.h"
#include "pkgfresh/format.h"
#include "pkgfresh/normalize.h"
#include "pkgfresh/pool.h"
#include "pkgfresh/reader.h"
#include "pkgfresh/record.h"
#include "pkgfresh/rules.h"

#define STARTER_DIR "data/rules"

/* Shared by the tests: the starter ruleset and the default catalog. */
typedef struct fixture {
    pf_rules *rules;
    pf_catalog cat;
} fixture;

/* Load the starter rules and the embedded catalog once for the group. */
static int group_setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    char err[512];
    if (!f)
        return -1;
    f->rules = pf_rules_load(STARTER_DIR, err, sizeof err);
    if (!f->rules) {
        fprintf(stderr, "starter rules: %s\n", err);
        free(f);
        return -1;
    }
    if (pf_catalog_load_default(&f->cat, err, sizeof err) != 0) {
        fprintf(stderr, "catalog: %s\n", err);
        pf_rules_free(f->rules);
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

/* Release what group_setup made. */
static int group_teardown(void **state)
{
    fixture *f = *state;
    pf_rules_free(f->rules);
    pf_catalog_free(&f->cat);
    free(f);
    return 0;
}

/*
 * One package through the analysis' naming steps: the seed (lower-cased up
 * to a space; Homebrew stops at '@'; the ports formats and nixpkgs seed from
 * binnames, pf_vscheme_seeds_from_binname), version normalization with the
 * repository's scheme, then the rules (when r is not NULL). Fills *p.
 */
static void run_pkg(const pf_rules *r, const pf_repo *repo, const pf_record *rec, pf_rpkg *p)
{
    pf_vscheme vs = pf_vscheme_for_format(repo->format);
    memset(p, 0, sizeof *p);
    const char *name = rec->srcname;
    if (pf_vscheme_seeds_from_binname(vs) && rec->binnames && *rec->binnames)
        name = rec->binnames;
    size_t i = 0;
    for (const char *s = name; *s && *s != ' ' && i + 1 < sizeof p->name; s++) {
        if (vs == PF_VS_HOMEBREW && *s == '@')
            break;
        p->name[i++] = (char)tolower((unsigned char)*s);
    }
    p->name[i] = 0;
    p->flags = rec->flags;
    pf_normalize_version(vs, rec->version, p->version, sizeof p->version, &p->flags);
    p->repo = repo->id;
    p->family = repo->family;
    p->rulesets = (const char *const *)repo->rulesets;
    p->nrulesets = repo->nrulesets;
    p->srcname = rec->srcname;
    p->binnames = rec->binnames;
    p->category = rec->category;
    p->homepage = rec->homepage;
    p->maintainers = rec->maintainers;
    p->summary = rec->summary;
    if (r)
        assert_int_equal(pf_rules_apply(r, p), 0);
}

/* The ruleset loads cleanly; files are the documented ones, each commented. */
static void test_loads_clean(void **state)
{
    fixture *f = *state;
    assert_int_equal(pf_rules_nwarnings(f->rules), 0);
    static const char *const want[] = {"000.normalize.yaml",
                                       "100.prefix-suffix.yaml",
                                       "450.module-exceptions.yaml",
                                       "500.modules.yaml",
                                       "510.modules-unprefixed.yaml",
                                       "520.namespace-fold.yaml",
                                       "700.deversion.yaml",
                                       "800.renames.yaml",
                                       "899.versions.yaml"};
    size_t n = sizeof want / sizeof want[0];
    assert_int_equal(pf_rules_nfiles(f->rules), n);
    size_t sum = 0;
    for (size_t i = 0; i < n; i++) {
        size_t cnt = 0;
        const char *name = pf_rules_file_name(f->rules, i, &cnt);
        assert_non_null(name);
        assert_string_equal(name, want[i]);
        assert_true(cnt > 0);
        sum += cnt;
        /* The file starts with a comment block naming itself. */
        char path[512];
        snprintf(path, sizeof path, "%s/%s", STARTER_DIR, name);
        size_t len;
        char *text = tu_slurp(path, &len);
        assert_non_null(text);
        assert_true(len > 2 && text[0] == '#' && text[1] == ' ');
        char *nl = strchr(text, '\n');
        assert_non_null(nl);
        *nl = 0;
        assert_non_null(strstr(text, name));
        free(text);
    }
    assert_int_equal(sum, pf_rules_count(f->rules));
    /* A few hundred renames, as the issue asks. */
    size_t renames = 0;
    pf_rules_file_name(f->rules, 7, &renames);
    assert_true(renames >= 300);
}

/* One naming case: repository, index fields, expected project and flavor. */
typedef struct ncase {
    const char *repo;
    const char *srcname, *category, *version;
    const char *project, *flavor;
} ncase;

/* Real names (Debian unstable, Alpine edge, nixpkgs, Void, Homebrew data in
 * /work/shared; Fedora, FreeBSD and Arch names of well-known packages). */
static const ncase name_cases[] = {
    /* Python: every family's module naming scheme meets at python:NAME. */
    {"debian_unstable", "requests", NULL, "2.34.2+dfsg-1", "python:requests", ""},
    {"debian_unstable", "python-django", NULL, "5.2.4-1", "python:django", ""},
    {"debian_unstable", "zope.interface", NULL, "7.2-1", "python:zope-interface", ""},
    {"alpine_edge", "py3-requests", NULL, "2.34.2-r0", "python:requests", ""},
    {"nix_unstable", "requests", "python38Packages", "2.24.0", "python:requests", ""},
    {"nix_unstable", "python3.8-aadict", "python38Packages", "0.2.3", "python:aadict", ""},
    {"freebsd", "py311-requests", NULL, "2.32.3", "python:requests", ""},
    {"arch", "python-requests", NULL, "2.32.3-1", "python:requests", ""},
    {"fedora_44", "python-requests", NULL, "2.32.3-4.fc44", "python:requests", ""},
    {"opensuse_tumbleweed", "python-requests", NULL, "2.32.3-1.1", "python:requests", ""},
    {"void_x86_64", "python3-BeautifulSoup4", NULL, "4.12.3_1", "python:beautifulsoup4", ""},
    {"void_x86_64", "python3-jupyter_server", NULL, "2.14.2_1", "python:jupyter-server", ""},
    /* Perl */
    {"debian_unstable", "libalgorithm-diff-perl", NULL, "1.201-1", "perl:algorithm-diff", ""},
    {"alpine_edge", "perl-algorithm-diff", NULL, "1.201-r0", "perl:algorithm-diff", ""},
    {"nix_unstable", "perl5.30.3-Algorithm-Diff", "perl530Packages", "1.1903",
     "perl:algorithm-diff", ""},
    {"void_x86_64", "perl-Algorithm-Diff", NULL, "1.1903_1", "perl:algorithm-diff", ""},
    {"freebsd", "p5-Algorithm-Diff", NULL, "1.201", "perl:algorithm-diff", ""},
    {"fedora_44", "perl-Algorithm-Diff", NULL, "1.201-5.fc44", "perl:algorithm-diff", ""},
    /* Ruby */
    {"debian_unstable", "ruby-addressable", NULL, "2.9.0-1", "ruby:addressable", ""},
    {"alpine_edge", "ruby-addressable", NULL, "2.9.0-r0", "ruby:addressable", ""},
    {"void_x86_64", "ruby-connection_pool", NULL, "2.4.1_1", "ruby:connection-pool", ""},
    {"nix_unstable", "ruby2.6.6-actionmailer", "rubyPackages", "4.2.11.1", "ruby:actionmailer", ""},
    {"fedora_44", "rubygem-rake", NULL, "13.2.1-1.fc44", "ruby:rake", ""},
    {"freebsd", "rubygem-rake", NULL, "13.2.1", "ruby:rake", ""},
    /* Rust crates, and a Rust program built from a crate source. */
    {"debian_unstable", "rust-serde", NULL, "1.0.229-1", "rust:serde", ""},
    {"fedora_44", "rust-serde", NULL, "1.0.219-1.fc44", "rust:serde", ""},
    {"debian_unstable", "rust-ripgrep", NULL, "14.1.1-1", "ripgrep", ""},
    {"alpine_edge", "rust-analyzer", NULL, "2025.08.11-r0", "rust-analyzer", ""},
    /* Haskell */
    {"debian_unstable", "haskell-aeson", NULL, "2.2.3.0-1", "haskell:aeson", ""},
    {"fedora_44", "ghc-aeson", NULL, "2.2.3.0-1.fc44", "haskell:aeson", ""},
    {"arch", "haskell-aeson", NULL, "2.2.3.0-1", "haskell:aeson", ""},
    {"nix_unstable", "aeson", "haskellPackages", "2.2.3.0", "haskell:aeson", ""},
    {"freebsd", "hs-pandoc", NULL, "3.6", "pandoc", ""},
    /* OCaml */
    {"debian_unstable", "ocaml-alcotest", NULL, "1.9.0-1", "ocaml:alcotest", ""},
    {"alpine_edge", "ocaml-alcotest", NULL, "1.9.0-r0", "ocaml:alcotest", ""},
    {"nix_unstable", "ocaml4.10.0-camlpdf", "ocamlPackages", "2.3", "ocaml:camlpdf", ""},
    {"homebrew", "ocaml-findlib", NULL, "1.9.8", "ocaml:findlib", ""},
    /* R */
    {"debian_unstable", "r-cran-ggplot2", NULL, "4.0.3-1", "r:ggplot2", ""},
    {"debian_unstable", "r-bioc-affy", NULL, "1.86.0-1", "r:affy", ""},
    {"nix_unstable", "r-ggplot2", "rPackages", "3.3.0", "r:ggplot2", ""},
    {"void_x86_64", "R-cran-ggplot2", NULL, "4.0.0_1", "r:ggplot2", ""},
    {"freebsd", "R-cran-ggplot2", NULL, "3.5.1", "r:ggplot2", ""},
    {"fedora_44", "R-ggplot2", NULL, "3.5.1-1.fc44", "r:ggplot2", ""},
    {"debian_unstable", "r-base", NULL, "4.6.1-1", "r", ""},
    /* Lua */
    {"debian_unstable", "lua-argparse", NULL, "0.7.2-1", "lua:argparse", ""},
    {"alpine_edge", "lua-argparse", NULL, "0.7.1-r0", "lua:argparse", ""},
    {"nix_unstable", "lua5.3-argparse", "lua53Packages", "0.7.0-1", "lua:argparse", ""},
    {"void_x86_64", "lua51-luasocket", NULL, "3.1.0_1", "lua:luasocket", ""},
    {"freebsd", "lua54-luafilesystem", NULL, "1.8.0", "lua:luafilesystem", ""},
    {"alpine_edge", "lua-language-server", NULL, "3.15.0-r0", "lua-language-server", ""},
    /* Node.js */
    {"debian_unstable", "node-ajv", NULL, "8.20.0-1", "node:ajv", ""},
    {"fedora_44", "nodejs-semver", NULL, "7.6.3-1.fc44", "node:semver", ""},
    {"homebrew", "node", NULL, "24.1.0", "nodejs", ""},
    {"alpine_edge", "nodejs-current", NULL, "26.7.0-r0", "nodejs", ""},
    /* Go */
    {"debian_unstable", "golang-github-spf13-cobra", NULL, "1.10.2-1", "go:github-spf13-cobra", ""},
    {"fedora_44", "golang-github-spf13-cobra", NULL, "1.8.1-1.fc44", "go:github-spf13-cobra", ""},
    {"debian_unstable", "golang-1.24", NULL, "1.24.9-1", "go", ""},
    {"alpine_edge", "go-md2man", NULL, "2.0.6-r0", "go-md2man", ""},
    /* Versioned names and interpreters. */
    {"debian_unstable", "python3.13", NULL, "3.13.15-1", "python", ""},
    {"homebrew", "python@3.12", NULL, "3.12.14", "python", ""},
    {"freebsd", "python311", NULL, "3.11.13", "python", ""},
    {"nix_unstable", "python3", "python38Packages", "3.8.3", "python", ""},
    {"debian_unstable", "gcc-14", NULL, "14.2.0-19", "gcc", ""},
    {"void_x86_64", "gcc11", NULL, "11.5.0_1", "gcc", ""},
    {"alpine_edge", "llvm21", NULL, "21.1.8-r0", "llvm", ""},
    {"debian_unstable", "llvm-toolchain-21", NULL, "1:21.1.8-1", "llvm", ""},
    {"alpine_edge", "postgresql17", NULL, "17.11-r0", "postgresql", ""},
    {"alpine_edge", "lua5.4", NULL, "5.4.8-r0", "lua", ""},
    {"nix_unstable", "tcl2048", NULL, "0.4.0", "tcl2048", ""},
    {"debian_unstable", "qtbase-opensource-src", NULL, "5.15.19+dfsg-1", "qtbase", ""},
    {"debian_unstable", "qt6-base", NULL, "6.11.2+dfsg-1", "qtbase", ""},
    {"alpine_edge", "qt6-qtbase", NULL, "6.11.1-r0", "qtbase", ""},
    /* Renames. */
    {"debian_unstable", "glib2.0", NULL, "2.88.2-1", "glib", ""},
    {"debian_unstable", "gtk+3.0", NULL, "3.24.52-1", "gtk3", ""},
    {"homebrew", "gtk+3", NULL, "3.24.52", "gtk3", ""},
    {"debian_unstable", "bind9", NULL, "1:9.20.11-1", "bind", ""},
    {"debian_unstable", "xz-utils", NULL, "5.8.1-1", "xz", ""},
    {"nix_unstable", "gnused", NULL, "4.8", "sed", ""},
    {"homebrew", "gnu-sed", NULL, "4.9", "sed", ""},
    {"alpine_edge", "ctags", NULL, "6.2.0-r0", "universal-ctags", ""},
    {"homebrew", "ctags", NULL, "5.8", "exuberant-ctags", ""},
    {"debian_unstable", "ctags", NULL, "1.0", "ctags", ""}, /* not renamed outside its families */
    /* Prefixes and suffixes. */
    {"nix_unstable", "firefox-unwrapped", NULL, "78.0.1", "firefox", ""},
    {"nix_unstable", "neovim-unwrapped", NULL, "0.4.3", "neovim", ""},
    {"nix_unstable", "firefox-bin", NULL, "78.0.1", "firefox", "bin"},
    {"nix_unstable", "vimplugin-vim-airline", "vimPlugins", "2020-07-15", "vim-airline", ""},
    {"nix_unstable", "python3.7-mitmproxy", NULL, "5.1.1", "mitmproxy", ""},
    {"void_x86_64", "chroot-bash", NULL, "5.2.32_1", "bash", "chroot"},
    {"arch", "lib32-zlib", NULL, "1.3.1-1", "zlib", "lib32"},
    {"debian_unstable", "texlive-bin", NULL, "2025.20250727.75242+ds-1", "texlive-bin", ""},
    /* The families of issue 12: AUR VCS and binary packages, ports flavours, ALT modules. */
    {"aur", "python-foo-git", NULL, "1:0.4.1.r12.gabc1234-1", "python:foo", ""},
    {"aur", "zoom-bin", NULL, "6.2.5.2440-1", "zoom", "bin"},
    {"aur", "python-svn", NULL, "1.9.22-1", "python:svn", ""},
    {"pkgsrc_current", "py312-requests", NULL, "2.32.3", "python:requests", ""},
    {"pkgsrc_current", "p5-libwww", NULL, "6.77nb2", "perl:libwww", ""},
    {"pkgsrc_current", "ruby33-rake", NULL, "13.2.1", "ruby:rake", ""},
    {"macports", "py312-requests", NULL, "2.32.3", "python:requests", ""},
    {"macports", "p5.34-uri", NULL, "5.28.0", "perl:uri", ""},
    {"macports", "rb33-rake", NULL, "13.2.1", "ruby:rake", ""},
    {"macports", "ImageMagick7-devel", NULL, "7.1.1-40", "imagemagick7", ""},
    {"altsisyphus", "python3-module-setuptools", NULL, "1:75.1.0-alt1", "python:setuptools", ""},
    {"altsisyphus", "perl-URI", NULL, "5.28-alt1", "perl:uri", ""},
    {"gnuguix", "python-requests", NULL, "2.32.3", "python:requests", ""},
    {"gnuguix", "perl-uri", NULL, "5.28", "perl:uri", ""},
};

/* Every naming case lands on its project and flavor. */
static void test_names(void **state)
{
    fixture *f = *state;
    int bad = 0;
    for (size_t i = 0; i < sizeof name_cases / sizeof name_cases[0]; i++) {
        const ncase *c = &name_cases[i];
        const pf_repo *repo = pf_catalog_find(&f->cat, c->repo);
        assert_non_null(repo);
        pf_record rec = {.srcname = c->srcname,
                         .binnames = c->srcname,
                         .version = c->version,
                         .category = c->category};
        pf_rpkg p;
        run_pkg(f->rules, repo, &rec, &p);
        if (strcmp(p.name, c->project) != 0 || strcmp(p.flavor, c->flavor) != 0 || p.removed) {
            fprintf(stderr, "%s %s -> %s [%s]%s, want %s [%s]\n", c->repo, c->srcname, p.name,
                    p.flavor, p.removed ? " removed" : "", c->project, c->flavor);
            bad++;
        }
    }
    assert_int_equal(bad, 0);
}

/* The nix -unstable suffix: the project keeps its name, the date is ignored. */
static void test_nix_unstable(void **state)
{
    fixture *f = *state;
    const pf_repo *repo = pf_catalog_find(&f->cat, "nix_unstable");
    assert_non_null(repo);
    pf_record rec = {.srcname = "adb-sync-unstable", .version = "2019-01-01"};
    pf_rpkg p;
    run_pkg(f->rules, repo, &rec, &p);
    assert_string_equal(p.name, "adb-sync");
    assert_true(p.flags & PF_F_IGNORE);
    assert_true(p.flags & PF_F_NOLEGACY);
    /* Outside nixpkgs the suffix is part of the name. */
    repo = pf_catalog_find(&f->cat, "debian_unstable");
    rec = (pf_record){.srcname = "foo-unstable", .version = "1.0-1"};
    run_pkg(f->rules, repo, &rec, &p);
    assert_string_equal(p.name, "foo-unstable");
    assert_false(p.flags & PF_F_IGNORE);
}

/* One version case: repository, raw version, flags that must be set and clear. */
typedef struct vcase {
    const char *repo, *version;
    unsigned set, clear;
} vcase;

#define VDEV PF_F_DEVEL
#define VIGN PF_F_IGNORE
#define VINC PF_F_INCORRECT

/* Versions seen in the real indexes (a few synthetic, marked). */
static const vcase version_cases[] = {
    /* pre-releases */
    {"void_x86_64", "0.9.beta2_1", VDEV, VIGN | VINC},
    {"homebrew", "79.0b7", VDEV, VIGN | VINC},
    {"nix_unstable", "6.0.0-alpha.4", VDEV, VIGN | VINC},
    {"nix_unstable", "3.9.0a4", VDEV, VIGN | VINC},
    {"debian_unstable", "2.0.0b5-1", VDEV, VIGN},
    {"alpine_edge", "4.0.0_alpha6-r0", VDEV, VIGN | VINC},
    {"nix_unstable", "0.3.0-pre.2", VDEV, VIGN | VINC},
    {"nix_unstable", "1.1.0.dev1", VDEV, VIGN | VINC},
    {"void_x86_64", "1.4rc5_1", VDEV, VIGN | VINC},
    /* snapshots and glued hashes */
    {"debian_unstable", "0.0+git20200428.f54c542-1", VIGN, VINC},
    {"debian_unstable", "0+svn795-2", VIGN, VINC},
    {"alpine_edge", "5.15.18_git20251101-r0", VIGN, VINC},
    {"debian_unstable", "0.9.0.9.g5a67ec0-1", VIGN, VINC},
    {"debian_unstable", "20211129.8cd63c5-1", VIGN, VINC},
    {"nix_unstable", "2.4pre20200721_ff314f1", VIGN, VINC},
    /* bare commit hashes */
    {"nix_unstable", "8ee1102", VINC, 0},
    {"nix_unstable", "36ffa923c7037e8b4fdcaa76272cb6267e908a9d", VINC, 0},
    /* plain releases stay plain */
    {"debian_unstable", "2.34.2+dfsg-1", 0, VDEV | VIGN | VINC},
    {"alpine_edge", "3.5.7-r0", 0, VDEV | VIGN | VINC},
    {"nix_unstable", "1.1.1g", 0, VDEV | VIGN | VINC},         /* OpenSSL's letter release */
    {"debian_unstable", "20101113a-1", 0, VDEV | VIGN | VINC}, /* a dated font release */
    {"homebrew", "1.2.0", 0, VDEV | VIGN | VINC},
    {"void_x86_64", "2024.1_1", 0, VDEV | VIGN | VINC},
    {"nix_unstable", "1234567", 0, VINC}, /* synthetic: all digits is a number, not a hash */
    /* Debian forms the starter rules turn into the upstream version (checked in test_debian) */
    {"debian_unstable", "6.3.0+~cs7.0.4-3", 0, VDEV | VIGN | VINC},
    {"debian_unstable", "0.10.dfsg1-1", 0, VDEV | VIGN | VINC},
    {"debian_unstable", "2.2.46+really2.2.45-1", 0, VDEV | VIGN | VINC},
    {"debian_unstable", "1.0+git20200101+~cs1.2-1", VIGN, 0}, /* synthetic: still a snapshot */
    /* nixpkgs version conventions */
    {"nix_unstable", "0.5.0-unstable-2020-07-01", VIGN | PF_F_ANY_IS_PATCH, 0},
    {"nix_unstable", "unstable-2020-01-31", PF_F_SINK, 0},
    {"nix_unstable", "2018-06-24", PF_F_UNTRUSTED, VIGN},
    {"nix_unstable", "1.2.3-2020-03-20", VIGN, 0},
    {"nix_unstable", "1.2.3-wrapper", VIGN, 0},
    {"nix_unstable", "1003.1-2008", VIGN, 0},
};

/* The version the starter rules make of a Debian version. */
static void test_debian(void **state)
{
    fixture *f = *state;
    static const char *const cases[][2] = {
        {"6.3.0+~cs7.0.4-3", "6.3.0"},
        {"0.13.1.+~cs2.19.16-2", "0.13.1"},
        {"2.2.1+~2.2.0-1", "2.2.1"},
        {"1:1.0~rc1+~cs2.1-1", "1.0~rc1"},
        {"0.10.dfsg1-1", "0.10"},
        {"2009.02.17.dfsg.3-3", "2009.02.17"},
        {"3.137ubuntu1", "3.137"},
        {"0.14.1build1", "0.14.1"},
        {"2.2.46+really2.2.45-1", "2.2.45"},
        {"1:1.3.dfsg+really1.3.1-3", "1.3.1"},
        {"1.5~rc2-1", "1.5~rc2"}, /* Repology's form is kept */
    };
    const pf_repo *repo = pf_catalog_find(&f->cat, "debian_unstable");
    assert_non_null(repo);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pf_record rec = {.srcname = "foo", .version = cases[i][0]};
        pf_rpkg p;
        run_pkg(f->rules, repo, &rec, &p);
        if (strcmp(p.version, cases[i][1]) != 0)
            fail_msg("%s -> %s, want %s", cases[i][0], p.version, cases[i][1]);
    }
}

/* Version classes from 899.versions.yaml (together with the normalizers). */
static void test_versions(void **state)
{
    fixture *f = *state;
    int bad = 0;
    for (size_t i = 0; i < sizeof version_cases / sizeof version_cases[0]; i++) {
        const vcase *c = &version_cases[i];
        const pf_repo *repo = pf_catalog_find(&f->cat, c->repo);
        assert_non_null(repo);
        pf_record rec = {.srcname = "frobnicate", .version = c->version};
        pf_rpkg p;
        run_pkg(f->rules, repo, &rec, &p);
        if ((p.flags & c->set) != c->set || (p.flags & c->clear)) {
            fprintf(stderr, "%s %s -> %s flags %#x: want %#x set, %#x clear\n", c->repo, c->version,
                    p.version, p.flags, c->set, c->clear);
            bad++;
        }
    }
    assert_int_equal(bad, 0);
}

/* ---------------------------------------------------------------- measurement */

enum { M_REPOS = 3 };

/* Collects the project names of one repository. */
typedef struct mcollect {
    const pf_rules *rules;
    const pf_repo *repo;
    pf_pool *names; /* the set of project names (ids 1..count) */
    long records, limit;
    int oom;
} mcollect;

/* Parser callback: name one record's project and add it to the set. */
static int m_emit(void *ctx, const pf_record *rec)
{
    mcollect *m = ctx;
    pf_rpkg p;
    run_pkg(m->rules, m->repo, rec, &p);
    if (!p.removed && !(p.flags & PF_F_REMOVE) &&
        pf_pool_intern(m->names, p.name, strlen(p.name)) == 0) {
        m->oom = 1;
        return 1;
    }
    m->records++;
    return m->limit > 0 && m->records >= m->limit; /* stop early under valgrind */
}

/* Parse one real index into m->names; 0 ok. */
static int m_parse(mcollect *m, const char *path, pf_parse_fn fn)
{
    char err[512];
    pf_reader *rd = pf_reader_open_path(path, 0, err, sizeof err);
    if (!rd) {
        fprintf(stderr, "%s: %s\n", path, err);
        return -1;
    }
    int rc = fn(rd, NULL, m_emit, m, &(pf_parse_stats){0, 0}, err, sizeof err);
    pf_reader_close(rd);
    if (rc < 0 || m->oom) {
        fprintf(stderr, "%s: %s\n", path, m->oom ? "out of memory" : err);
        return -1;
    }
    return 0;
}

/* Per repository: projects, and projects also present in another of the three. */
typedef struct mresult {
    long projects[M_REPOS], shared[M_REPOS], all_three;
} mresult;

/* Name every package of the three repositories with rules (or none); count overlaps. */
static void measure(const fixture *f, const pf_rules *rules, const char *const paths[M_REPOS],
                    long limit, mresult *out)
{
    static const char *const ids[M_REPOS] = {"debian_unstable", "alpine_edge", "nix_unstable"};
    static const pf_parse_fn fns[M_REPOS] = {pf_parse_deb_sources, pf_parse_tsv, pf_parse_nix_json};
    mcollect m[M_REPOS];
    for (int i = 0; i < M_REPOS; i++) {
        m[i] = (mcollect){.rules = rules,
                          .repo = pf_catalog_find(&f->cat, ids[i]),
                          .names = pf_pool_new(),
                          .limit = limit};
        assert_non_null(m[i].repo);
        assert_non_null(m[i].names);
        assert_int_equal(m_parse(&m[i], paths[i], fns[i]), 0);
    }
    memset(out, 0, sizeof *out);
    for (int i = 0; i < M_REPOS; i++) {
        uint32_t n = pf_pool_count(m[i].names);
        out->projects[i] = (long)n;
        for (uint32_t id = 1; id <= n; id++) {
            const char *s = pf_pool_str(m[i].names, id);
            size_t len = strlen(s);
            int in = 0;
            for (int j = 0; j < M_REPOS; j++)
                if (j != i && pf_pool_find(m[j].names, s, len))
                    in++;
            if (in > 0)
                out->shared[i]++;
            if (i == 0 && in == M_REPOS - 1)
                out->all_three++;
        }
    }
    for (int i = 0; i < M_REPOS; i++)
        pf_pool_free(m[i].names);
}

/* Matching figures on the real Debian unstable, Alpine edge and nixpkgs data. */
static void test_matching_figures(void **state)
{
    fixture *f = *state;
    const char *paths[M_REPOS];
    static const char *const rel[M_REPOS] = {"debian/sid-main-Sources.xz",
                                             "alpine/alpine-edge-detail.tsv.xz",
                                             "nixpkgs/packages.json.xz"};
    char buf[M_REPOS][1024];
    for (int i = 0; i < M_REPOS; i++) {
        const char *p = tu_realdata(rel[i]);
        if (!p)
            skip();
        snprintf(buf[i], sizeof buf[i], "%s", p); /* tu_realdata's buffer is static */
        paths[i] = buf[i];
    }
    /* Under valgrind only a prefix of each index (the figures are then not the real ones). */
    long limit = RUNNING_ON_VALGRIND ? 1500 : 0;
    mresult none, with;
    measure(f, NULL, paths, limit, &none);
    measure(f, f->rules, paths, limit, &with);
    static const char *const label[M_REPOS] = {"Debian unstable", "Alpine edge", "nixpkgs"};
    printf("projects also present in one of the other two repositories%s:\n",
           limit ? " (first 1500 packages each, valgrind)" : "");
    printf("  %-16s %27s %27s\n", "", "without rules", "starter rules");
    for (int i = 0; i < M_REPOS; i++)
        printf("  %-16s %6ld of %6ld (%4.1f%%) %6ld of %6ld (%4.1f%%)\n", label[i], none.shared[i],
               none.projects[i], 100.0 * (double)none.shared[i] / (double)none.projects[i],
               with.shared[i], with.projects[i],
               100.0 * (double)with.shared[i] / (double)with.projects[i]);
    printf("  %-16s %6ld %27ld\n", "in all three", none.all_three, with.all_three);
    for (int i = 0; i < M_REPOS; i++)
        assert_true(with.shared[i] >= none.shared[i]);
    if (limit)
        return;
    /* Loose: the rules match at least a quarter more projects in every repository
     * (measured: about +80% for Debian and nixpkgs, +50% for Alpine). */
    for (int i = 0; i < M_REPOS; i++)
        assert_true(with.shared[i] * 4 >= none.shared[i] * 5);
    assert_true(with.all_three * 3 >= none.all_three * 4);
}

/* Run the group. */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_loads_clean),  cmocka_unit_test(test_names),
        cmocka_unit_test(test_nix_unstable), cmocka_unit_test(test_versions),
        cmocka_unit_test(test_debian),       cmocka_unit_test(test_matching_figures),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
