/*
 * test_rules.c — the rule engine (analyzer/rules_load.c, rules_apply.c).
 *
 * 1. The whole community ruleset (realdata/repology-rules, read in place,
 *    GPL): loads without error or warning, per-file rule counts equal
 *    rule-key-stats.json, the .yml file is ignored.
 * 2. Real names across families with the community rules.
 * 3. The Rust port's ruleset fixtures (realdata/repology-rs-fixtures):
 *    simple_cases, hier (load order), allflags (every key), error_duplicate_key.
 * 4. Table-driven hand-made rules: one small ruleset per case, written to a
 *    temp dir, applied to one package, checking name/version/flags/flavor/
 *    branch/removed — every condition and action, plus order semantics.
 * 5. Load errors (file:line) and warnings; fixture dirs for order, warnings,
 *    duplicate keys.
 */
#include "testutil.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkgfresh/record.h"
#include "pkgfresh/rules.h"

#include "rpkg.h"

/* ------------------------------------------------------------ community ruleset */

static pf_rules *community;

/* Group setup: load the community ruleset once (NULL when the data is absent). */
static int setup_community(void **state)
{
    (void)state;
    const char *dir = tu_realdata("repology-rules");
    if (!dir)
        return 0;
    char err[512];
    community = pf_rules_load(dir, err, sizeof err);
    if (!community)
        fprintf(stderr, "community ruleset: %s\n", err);
    return 0;
}

static int teardown_community(void **state)
{
    (void)state;
    pf_rules_free(community);
    community = NULL;
    return 0;
}

static void test_community_load(void **state)
{
    (void)state;
    const char *stats = tu_realdata("repology-rules/rule-key-stats.json");
    if (!tu_realdata("repology-rules") || !stats)
        skip();
    assert_non_null(community);
    /* PROVENANCE: 23,775 rules in the 242 .yaml files Repology loads */
    assert_int_equal(pf_rules_count(community), 23775);
    assert_int_equal(pf_rules_nfiles(community), 242);
    /* 1,274 rules without `name` + 32,057 listed names (32,075 minus 18 in gnatcoll.yml) */
    assert_int_equal(pf_rules_nentries(community), 33331);
    assert_int_equal(pf_rules_nwarnings(community), 0);

    json_error_t jerr;
    json_t *root = json_load_file(stats, 0, &jerr);
    assert_non_null(root);
    json_t *per_file = json_object_get(root, "per_file");
    assert_non_null(per_file);
    size_t total = 0, seen_yml = 0;
    const char *key;
    json_t *val;
    json_object_foreach(per_file, key, val)
    {
        size_t n = strlen(key);
        if (n > 4 && strcmp(key + n - 4, ".yml") == 0) {
            seen_yml++;
            continue;
        }
        size_t i = 0, nrules = 0;
        for (; i < pf_rules_nfiles(community); i++)
            if (strcmp(pf_rules_file_name(community, i, &nrules), key) == 0)
                break;
        if (i == pf_rules_nfiles(community))
            fail_msg("file %s not loaded", key);
        if ((json_int_t)nrules != json_integer_value(val))
            fail_msg("%s: %zu rules, stats say %lld", key, nrules,
                     (long long)json_integer_value(val));
        total += nrules;
    }
    assert_int_equal(seen_yml, 1);
    assert_int_equal(total, 23775);
    json_decref(root);

    /* load order: sorted relative paths, 000 first and 999 last */
    assert_string_equal(pf_rules_file_name(community, 0, NULL), "000.prenormalize.yaml");
    assert_string_equal(pf_rules_file_name(community, 241, NULL), "999.postnormalize.yaml");
    for (size_t i = 1; i < pf_rules_nfiles(community); i++)
        assert_true(strcmp(pf_rules_file_name(community, i - 1, NULL),
                           pf_rules_file_name(community, i, NULL)) < 0);
    for (size_t i = 0; i < pf_rules_nfiles(community); i++)
        assert_null(strstr(pf_rules_file_name(community, i, NULL), "gnatcoll"));
}

/* One real-name expectation: package in a family -> project name and flavor. */
typedef struct realcase {
    const char *family;
    const char *rulesets[2];
    const char *name, *version, *homepage;
    const char *want_name, *want_flavor;
    unsigned want_flags;
} realcase;

/*
 * What the community rules produce (cross-checked against a throwaway Python
 * transcription of upstream's transformer). Debian's source package for
 * python-requests is called `requests`; 500.wildcard.yaml only prefixes
 * `python-*` names for debuntu and no rule mentions `requests`, so Debian's
 * package stays in project `requests` while Alpine's py3-requests, Arch's
 * and Fedora's python(3)-requests, FreeBSD's py311-requests and nixpkgs'
 * python3.12-requests all become `python:requests`. Debian sources that do
 * carry the prefix (python-urllib3) join the python: namespace.
 */
static const realcase real_cases[] = {
    {"alpine", {"alpine", NULL}, "py3-requests", "2.32.3", NULL, "python:requests", "", 0},
    {"arch", {"arch", NULL}, "python-requests", "2.32.3", NULL, "python:requests", "", 0},
    {"fedora", {"fedora", NULL}, "python3-requests", "2.32.3", NULL, "python:requests", "3", 0},
    {"freebsd", {"freebsd", NULL}, "py311-requests", "2.32.3", NULL, "python:requests", "311", 0},
    {"nix", {"nix", NULL}, "python3.12-requests", "2.32.3", NULL, "python:requests", "3.12", 0},
    {"debuntu", {"debuntu", "debian"}, "requests", "2.32.3", NULL, "requests", "", 0},
    {"debuntu", {"debuntu", "debian"}, "python-urllib3", "2.5.0", NULL, "python:urllib3", "", 0},
    {"debuntu", {"debuntu", "debian"}, "python-requests", "2.32.3", NULL, "python:requests", "", 0},
    /* Debian source names from sid (rename rules of 800.renames-and-merges) */
    {"debuntu", {"debuntu", "debian"}, "0ad-data", "0.28.0", NULL, "0ad", "0ad-data", 0},
    {"debuntu", {"debuntu", "debian"}, "3270font", "3.0.1", NULL, "fonts:3270", "", 0},
    {"debuntu",
     {"debuntu", "debian"},
     "ack",
     "3.8.1",
     "https://beyondgrep.com/",
     "ack-grep",
     "",
     0},
    /* an ambiguous name without a homepage the split rules know: 851.unclassified */
    {"debuntu",
     {"debuntu", "debian"},
     "ack",
     "3.8.1",
     NULL,
     "ack-unclassified",
     "",
     PF_F_OUTDATED | PF_F_NOLEGACY},
    /* version fixes: 900.version-fixes/z.yaml (verlonger 3 -> incorrect, verge 2 ->
     * untrusted) and the global devel rule of 899.version-fixes.global.yaml */
    {"debuntu", {"debuntu", "debian"}, "zlib", "1.3.1", NULL, "zlib", "", 0},
    {"debuntu", {"debuntu", "debian"}, "zlib", "2.0.1", NULL, "zlib", "", PF_F_UNTRUSTED},
    {"debuntu",
     {"debuntu", "debian"},
     "zlib",
     "1.3.2-rc1",
     NULL,
     "zlib",
     "",
     PF_F_DEVEL | PF_F_INCORRECT},
};

static void test_community_real_names(void **state)
{
    (void)state;
    if (!community)
        skip();
    for (size_t i = 0; i < sizeof real_cases / sizeof *real_cases; i++) {
        const realcase *c = &real_cases[i];
        pf_rpkg p;
        tu_rpkg_debian(&p, c->name, c->version);
        p.family = c->family;
        p.rulesets = c->rulesets;
        p.nrulesets = c->rulesets[1] ? 2 : 1;
        p.homepage = c->homepage;
        assert_int_equal(pf_rules_apply(community, &p), 0);
        if (strcmp(p.name, c->want_name) != 0 || strcmp(p.flavor, c->want_flavor) != 0 ||
            p.flags != c->want_flags)
            fail_msg("%s %s (%s): got %s flavor '%s' flags %#x, want %s '%s' %#x", c->name,
                     c->version, c->family, p.name, p.flavor, p.flags, c->want_name, c->want_flavor,
                     c->want_flags);
    }
}

/* ------------------------------------------------------------ repology-rs fixtures */

/* Load a realdata/repology-rs-fixtures ruleset dir (skips when absent). */
static pf_rules *load_rs(const char *sub, char *err, size_t errlen)
{
    char rel[256];
    snprintf(rel, sizeof rel, "repology-rs-fixtures/repology-updater/src/fixtures/ruleset/%s", sub);
    const char *dir = tu_realdata(rel);
    if (!dir)
        return (pf_rules *)(void *)-1;
    return pf_rules_load(dir, err, errlen);
}

static void test_rs_simple_cases(void **state)
{
    (void)state;
    char err[512];
    pf_rules *r = load_rs("simple_cases", err, sizeof err);
    if (r == (pf_rules *)(void *)-1)
        skip();
    assert_non_null(r);
    assert_int_equal(pf_rules_count(r), 4);
    pf_rpkg p;
    tu_rpkg_debian(&p, "foo", "12.34");
    assert_int_equal(pf_rules_apply(r, &p), 0);
    /* renamed by the first rule, so the `name: foo` verpat rule no longer matches */
    assert_string_equal(p.name, "bar");
    assert_int_equal(p.flags, 0);
    tu_rpkg_debian(&p, "python:foo", "1");
    pf_rules_apply(r, &p);
    assert_string_equal(p.name, "python:bar");
    pf_rules_free(r);
}

static void test_rs_hier(void **state)
{
    (void)state;
    char err[512];
    pf_rules *r = load_rs("hier", err, sizeof err);
    if (r == (pf_rules *)(void *)-1)
        skip();
    assert_non_null(r);
    static const char *const order[] = {"1.yaml", "2/1.yaml", "2/2.yaml", "3.yaml"};
    assert_int_equal(pf_rules_nfiles(r), 4);
    for (size_t i = 0; i < 4; i++) {
        size_t n = 0;
        assert_string_equal(pf_rules_file_name(r, i, &n), order[i]);
        assert_int_equal(n, 1);
    }
    pf_rules_free(r);
}

static void test_rs_allflags(void **state)
{
    (void)state;
    char err[512];
    pf_rules *r = load_rs("allflags", err, sizeof err);
    if (r == (pf_rules *)(void *)-1)
        skip();
    if (!r)
        fail_msg("allflags: %s", err);
    assert_int_equal(pf_rules_count(r), 1);
    assert_int_equal(pf_rules_nentries(r), 2);  /* name: [name1, name2] */
    assert_int_equal(pf_rules_nwarnings(r), 0); /* every key is known */
    pf_rpkg p;
    tu_rpkg_debian(&p, "name1", "1.0");
    assert_int_equal(pf_rules_apply(r, &p), 0);
    assert_string_equal(p.name, "name1"); /* its conditions contradict each other */
    pf_rules_free(r);
}

static void test_rs_error_duplicate_key(void **state)
{
    (void)state;
    char err[512] = "";
    pf_rules *r = load_rs("error_duplicate_key", err, sizeof err);
    if (r == (pf_rules *)(void *)-1)
        skip();
    assert_null(r);
    assert_non_null(strstr(err, "1.yaml:1: duplicate key 'name'"));
}

/* ------------------------------------------------------------ table-driven rules */

typedef struct rcase {
    const char *yaml;
    const char *name, *version;
    unsigned flags;
    const char *family, *rs; /* NULL: debuntu + {debuntu, debian}; rs single name */
    const char *homepage, *category, *maintainers, *summary;
    const char *want_name, *want_version;
    unsigned want_flags;
    const char *want_flavor, *want_branch;
    int want_removed;
} rcase;

#define R(y) "- " y "\n"

static const rcase cases[] = {
    /* name: exact, list, $0 = setname */
    {R("{ name: foo, setname: bar }"), "foo", "1", 0, NULL, NULL, NULL, NULL, NULL, NULL, "bar",
     "1", 0, "", "", 0},
    {R("{ name: foo, setname: bar }"), "food", "1", 0, NULL, NULL, NULL, NULL, NULL, NULL, "food",
     "1", 0, "", "", 0},
    {R("{ name: [a, foo, b], setname: bar }"), "foo", "1", 0, NULL, NULL, NULL, NULL, NULL, NULL,
     "bar", "1", 0, "", "", 0},
    {R("{ setname: foo, name: \"rust:$0\" }"), "rust:foo", "1", 0, NULL, NULL, NULL, NULL, NULL,
     NULL, "foo", "1", 0, "", "", 0},
    {R("{ setname: foo, name: [\"$0-bin\", \"$0-git\"] }"), "foo-git", "1", 0, NULL, NULL, NULL,
     NULL, NULL, NULL, "foo", "1", 0, "", "", 0},
    /* namepat: full match, captures, $0, newline removal, PCRE syntax */
    {R("{ namepat: \"py3?-(.*)\", setname: \"python:$1\" }"), "py3-requests", "1", 0, NULL, NULL,
     NULL, NULL, NULL, NULL, "python:requests", "1", 0, "", "", 0},
    {R("{ namepat: \"foo\", setname: bar }"), "foobar", "1", 0, NULL, NULL, NULL, NULL, NULL, NULL,
     "foobar", "1", 0, "", "", 0},
    {R("{ namepat: \"(.*)-git\", setname: \"$1\", addflavor: \"$0\" }"), "tool-git", "1", 0, NULL,
     NULL, NULL, NULL, NULL, NULL, "tool", "1", 0, "tool-git", "", 0},
    {R("{ namepat: \"lib(.*)\", setname: \"$0-renamed\" }"), "libx", "1", 0, NULL, NULL, NULL, NULL,
     NULL, NULL, "libx-renamed", "1", 0, "", "", 0},
    {"- namepat: |\n    (?:kde-|kf5-)?(\n    akonadi|\n    dolphin\n    )\n  setname: \"kde-$1\"\n",
     "kf5-dolphin", "1", 0, NULL, NULL, NULL, NULL, NULL, NULL, "kde-dolphin", "1", 0, "", "", 0},
    {R("{ namepat: \"(?:lib)?fmt[0-9.-]*\", setname: fmt }"), "libfmt9", "1", 0, NULL, NULL, NULL,
     NULL, NULL, NULL, "fmt", "1", 0, "", "", 0},
    {R("{ namepat: \"(?:lib)?fmt[0-9.-]*\", setname: fmt }"), "libfm", "1", 0, NULL, NULL, NULL,
     NULL, NULL, NULL, "libfm", "1", 0, "", "", 0},
    {R("{ namepat: \"foo|bar\", setname: baz }"), "bar", "1", 0, NULL, NULL, NULL, NULL, NULL, NULL,
     "baz", "1", 0, "", "", 0},
    {R("{ namepat: \"ab?cd\", setname: hit }"), "acd", "1", 0, NULL, NULL, NULL, NULL, NULL, NULL,
     "hit", "1", 0, "", "", 0},
    {R("{ namepat: \"xa+yz\", setname: hit }"), "xaayz", "1", 0, NULL, NULL, NULL, NULL, NULL, NULL,
     "hit", "1", 0, "", "", 0},
    {R("{ namepat: \"(?i)foo-bar\", setname: hit }"), "FOO-BAR", "1", 0, NULL, NULL, NULL, NULL,
     NULL, NULL, "hit", "1", 0, "", "", 0},
    {R("{ namepat: \"\\\\.net-(.*)\", setname: \"dotnet:$1\" }"), ".net-x", "1", 0, NULL, NULL,
     NULL, NULL, NULL, NULL, "dotnet:x", "1", 0, "", "", 0},
    {R("{ namepat: \"(?!python)py(.*)\", setname: \"other\" }"), "python", "1", 0, NULL, NULL, NULL,
     NULL, NULL, NULL, "python", "1", 0, "", "", 0},
    {R("{ namepat: \"(.*?)-?([0-9]+)\", setname: \"$1\", addflavor: \"$2\" }"), "gtk-3", "1", 0,
     NULL, NULL, NULL, NULL, NULL, NULL, "gtk", "1", 0, "3", "", 0},
    /* ruleset / noruleset / family */
    {R("{ name: foo, ruleset: alpine, setname: bar }"), "foo", "1", 0, "alpine", "alpine", NULL,
     NULL, NULL, NULL, "bar", "1", 0, "", "", 0},
    {R("{ name: foo, ruleset: alpine, setname: bar }"), "foo", "1", 0, NULL, NULL, NULL, NULL, NULL,
     NULL, "foo", "1", 0, "", "", 0},
    {R("{ name: foo, ruleset: [arch, debian], setname: bar }"), "foo", "1", 0, NULL, NULL, NULL,
     NULL, NULL, NULL, "bar", "1", 0, "", "", 0},
    {R("{ name: foo, ruleset: arch, setname: bar }"), "foo", "1", 0, "arch", "archlinux_rs", NULL,
     NULL, NULL, NULL, "bar", "1", 0, "", "", 0},
    {R("{ name: foo, noruleset: debian, setname: bar }"), "foo", "1", 0, NULL, NULL, NULL, NULL,
     NULL, NULL, "foo", "1", 0, "", "", 0},
    {R("{ name: foo, noruleset: arch, setname: bar }"), "foo", "1", 0, NULL, NULL, NULL, NULL, NULL,
     NULL, "bar", "1", 0, "", "", 0},
    /* www */
    {R("{ name: foo, wwwpart: github.com/a, setname: bar }"), "foo", "1", 0, NULL, NULL,
     "https://GitHub.com/A/foo", NULL, NULL, NULL, "bar", "1", 0, "", "", 0},
    {R("{ name: foo, wwwpart: [gitlab, codeberg], setname: bar }"), "foo", "1", 0, NULL, NULL,
     "https://github.com/a/foo", NULL, NULL, NULL, "foo", "1", 0, "", "", 0},
    {R("{ name: foo, wwwpart: github, setname: bar }"), "foo", "1", 0, NULL, NULL, NULL, NULL, NULL,
     NULL, "foo", "1", 0, "", "", 0},
    {R("{ name: foo, wwwpat: \"https?://github\\\\.com/.*\", setname: bar }"), "foo", "1", 0, NULL,
     NULL, "http://github.com/x/y", NULL, NULL, NULL, "bar", "1", 0, "", "", 0},
    {R("{ name: foo, wwwpat: \"github\\\\.com\", setname: bar }"), "foo", "1", 0, NULL, NULL,
     "http://github.com/x/y", NULL, NULL, NULL, "foo", "1", 0, "", "", 0},
    {R("{ name: foo, wwwprefix: \"https://example.org/\", setname: bar }"), "foo", "1", 0, NULL,
     NULL, "https://Example.org/foo", NULL, NULL, NULL, "bar", "1", 0, "", "", 0},
    {R("{ name: aterm, sourceforge: aterm, setname: hit }"), "aterm", "1", 0, NULL, NULL,
     "https://sourceforge.net/projects/aterm/", NULL, NULL, NULL, "hit", "1", 0, "", "", 0},
    {R("{ name: aterm, sourceforge: aterm, setname: hit }"), "aterm", "1", 0, NULL, NULL,
     "http://aterm.sourceforge.net", NULL, NULL, NULL, "hit", "1", 0, "", "", 0},
    {R("{ name: aterm, sourceforge: aterm, setname: hit }"), "aterm", "1", 0, NULL, NULL,
     "https://atermx.sourceforge.net/", NULL, NULL, NULL, "aterm", "1", 0, "", "", 0},
    {R("{ name: aterm, sourceforge: aterm, setname: hit }"), "aterm", "1", 0, NULL, NULL,
     "https://sourceforge.net/p/aterm-ng/", NULL, NULL, NULL, "aterm", "1", 0, "", "", 0},
    /* category, categorypat, maintainer, summpart */
    {R("{ category: Games, setname: \"game:$0\" }"), "x", "1", 0, NULL, NULL, NULL, "games", NULL,
     NULL, "game:x", "1", 0, "", "", 0},
    {R("{ category: [a, b], setname: hit }"), "x", "1", 0, NULL, NULL, NULL, NULL, NULL, NULL, "x",
     "1", 0, "", "", 0},
    {R("{ categorypat: \"PYTHON[0-9]+Packages\", setname: \"python:$0\" }"), "x", "1", 0, NULL,
     NULL, NULL, "python312Packages", NULL, NULL, "python:x", "1", 0, "", "", 0},
    {R("{ maintainer: \"B@Y.org\", setname: hit }"), "x", "1", 0, NULL, NULL, NULL, NULL,
     "a@x.org,b@y.org", NULL, "hit", "1", 0, "", "", 0},
    {R("{ maintainer: \"y.org\", setname: hit }"), "x", "1", 0, NULL, NULL, NULL, NULL,
     "a@x.org,b@y.org", NULL, "x", "1", 0, "", "", 0},
    {R("{ summpart: browser, setname: hit }"), "x", "1", 0, NULL, NULL, NULL, NULL, NULL,
     "A Web Browser", "hit", "1", 0, "", "", 0},
    /* ver, notver, verpat (lower-cased both sides, captures, {,n}) */
    {R("{ name: foo, ver: [\"1.0\", \"2.0\"], incorrect: true }"), "foo", "2.0", 0, NULL, NULL,
     NULL, NULL, NULL, NULL, "foo", "2.0", PF_F_INCORRECT, "", "", 0},
    {R("{ name: foo, ver: \"1.0\", incorrect: true }"), "foo", "1.00", 0, NULL, NULL, NULL, NULL,
     NULL, NULL, "foo", "1.00", 0, "", "", 0},
    {R("{ name: foo, notver: [\"1.0\"], incorrect: true }"), "foo", "1.1", 0, NULL, NULL, NULL,
     NULL, NULL, NULL, "foo", "1.1", PF_F_INCORRECT, "", "", 0},
    {R("{ name: foo, verpat: \"1\\\\.0BETA[0-9]+\", devel: true }"), "foo", "1.0Beta2", 0, NULL,
     NULL, NULL, NULL, NULL, NULL, "foo", "1.0Beta2", PF_F_DEVEL, "", "", 0},
    {R("{ name: foo, verpat: \"1\\\\.0\", devel: true }"), "foo", "1.01", 0, NULL, NULL, NULL, NULL,
     NULL, NULL, "foo", "1.01", 0, "", "", 0},
    {R("{ name: foo, verpat: \"v(.*)\", setver: \"$1\" }"), "foo", "V1.2", 0, NULL, NULL, NULL,
     NULL, NULL, NULL, "foo", "1.2", 0, "", "", 0},
    {R("{ name: foo, verpat: \"([0-9]+)\\\\.([0-9]+)\\\\.([0-9]+)\", setver: \"$3.$2.$1\" }"),
     "foo", "1.2.3", 0, NULL, NULL, NULL, NULL, NULL, NULL, "foo", "3.2.1", 0, "", "", 0},
    {R("{ name: foo, setver: \"$0.0\" }"), "foo", "1", 0, NULL, NULL, NULL, NULL, NULL, NULL, "foo",
     "1.0", 0, "", "", 0},
    {R("{ name: foo, verpat: \"1\\\\.[0-9]{,2}\", incorrect: true }"), "foo", "1.12", 0, NULL, NULL,
     NULL, NULL, NULL, NULL, "foo", "1.12", PF_F_INCORRECT, "", "", 0},
    /* upstream lower-cases the whole verpat, so \D becomes \d */
    {R("{ name: foo, verpat: \"\\\\D+\", ignore: true }"), "foo", "123", 0, NULL, NULL, NULL, NULL,
     NULL, NULL, "foo", "123", PF_F_IGNORE, "", "", 0},
    /* version comparisons */
    {R("{ name: foo, vergt: \"1.0\", devel: true }"), "foo", "1.0.1", 0, NULL, NULL, NULL, NULL,
     NULL, NULL, "foo", "1.0.1", PF_F_DEVEL, "", "", 0},
    {R("{ name: foo, vergt: \"1.0\", devel: true }"), "foo", "1.0", 0, NULL, NULL, NULL, NULL, NULL,
     NULL, "foo", "1.0", 0, "", "", 0},
    {R("{ name: foo, verge: \"1.0\", devel: true }"), "foo", "1.0", 0, NULL, NULL, NULL, NULL, NULL,
     NULL, "foo", "1.0", PF_F_DEVEL, "", "", 0},
    {R("{ name: foo, verge: \"1.0\", devel: true }"), "foo", "1.0beta1", 0, NULL, NULL, NULL, NULL,
     NULL, NULL, "foo", "1.0beta1", 0, "", "", 0},
    {R("{ name: foo, verlt: \"2\", devel: true }"), "foo", "1.99", 0, NULL, NULL, NULL, NULL, NULL,
     NULL, "foo", "1.99", PF_F_DEVEL, "", "", 0},
    {R("{ name: foo, verle: \"2\", devel: true }"), "foo", "2.0", 0, NULL, NULL, NULL, NULL, NULL,
     NULL, "foo", "2.0", PF_F_DEVEL, "", "", 0},
    {R("{ name: foo, vereq: \"2\", devel: true }"), "foo", "2.0.0", 0, NULL, NULL, NULL, NULL, NULL,
     NULL, "foo", "2.0.0", PF_F_DEVEL, "", "", 0},
    {R("{ name: foo, verne: \"2\", devel: true }"), "foo", "2.0.0", 0, NULL, NULL, NULL, NULL, NULL,
     NULL, "foo", "2.0.0", 0, "", "", 0},
    {R("{ name: foo, releq: \"2.13\", devel: true }"), "foo", "2.13.5", 0, NULL, NULL, NULL, NULL,
     NULL, NULL, "foo", "2.13.5", PF_F_DEVEL, "", "", 0},
    {R("{ name: foo, releq: \"1.0\", devel: true }"), "foo", "1.0alpha1", 0, NULL, NULL, NULL, NULL,
     NULL, NULL, "foo", "1.0alpha1", PF_F_DEVEL, "", "", 0},
    {R("{ name: foo, releq: \"1.0\", devel: true }"), "foo", "1.1", 0, NULL, NULL, NULL, NULL, NULL,
     NULL, "foo", "1.1", 0, "", "", 0},
    {R("{ name: foo, releq: \"1.0\", devel: true }"), "foo", "0.99", 0, NULL, NULL, NULL, NULL,
     NULL, NULL, "foo", "0.99", 0, "", "", 0},
    {R("{ name: foo, relne: \"1.0\", devel: true }"), "foo", "1.0.5", 0, NULL, NULL, NULL, NULL,
     NULL, NULL, "foo", "1.0.5", 0, "", "", 0},
    {R("{ name: foo, relgt: \"1.0\", devel: true }"), "foo", "1.0.5", 0, NULL, NULL, NULL, NULL,
     NULL, NULL, "foo", "1.0.5", 0, "", "", 0},
    {R("{ name: foo, relgt: \"1.0\", devel: true }"), "foo", "1.1", 0, NULL, NULL, NULL, NULL, NULL,
     NULL, "foo", "1.1", PF_F_DEVEL, "", "", 0},
    {R("{ name: foo, relge: \"1.0\", devel: true }"), "foo", "1.0pre1", 0, NULL, NULL, NULL, NULL,
     NULL, NULL, "foo", "1.0pre1", PF_F_DEVEL, "", "", 0},
    {R("{ name: foo, relge: \"1.0\", devel: true }"), "foo", "0.9", 0, NULL, NULL, NULL, NULL, NULL,
     NULL, "foo", "0.9", 0, "", "", 0},
    {R("{ name: foo, rellt: \"1.0\", devel: true }"), "foo", "1.0alpha1", 0, NULL, NULL, NULL, NULL,
     NULL, NULL, "foo", "1.0alpha1", 0, "", "", 0},
    {R("{ name: foo, rellt: \"1.0\", devel: true }"), "foo", "0.9.9", 0, NULL, NULL, NULL, NULL,
     NULL, NULL, "foo", "0.9.9", PF_F_DEVEL, "", "", 0},
    {R("{ name: foo, relle: \"1.0\", devel: true }"), "foo", "1.0.99", 0, NULL, NULL, NULL, NULL,
     NULL, NULL, "foo", "1.0.99", PF_F_DEVEL, "", "", 0},
    {R("{ name: foo, relle: \"1.0\", devel: true }"), "foo", "1.1", 0, NULL, NULL, NULL, NULL, NULL,
     NULL, "foo", "1.1", 0, "", "", 0},
    /* components */
    {R("{ name: foo, verlonger: 3, altver: true }"), "foo", "1.2.3.4", 0, NULL, NULL, NULL, NULL,
     NULL, NULL, "foo", "1.2.3.4", PF_F_ALTVER, "", "", 0},
    {R("{ name: foo, verlonger: 3, altver: true }"), "foo", "1.2.3", 0, NULL, NULL, NULL, NULL,
     NULL, NULL, "foo", "1.2.3", 0, "", "", 0},
    {R("{ name: foo, vercomps: 3, altver: true }"), "foo", "1.2-3", 0, NULL, NULL, NULL, NULL, NULL,
     NULL, "foo", "1.2-3", PF_F_ALTVER, "", "", 0},
    {R("{ name: foo, vercomps: 3, altver: true }"), "foo", "1..2", 0, NULL, NULL, NULL, NULL, NULL,
     NULL, "foo", "1..2", PF_F_ALTVER, "", "", 0},
    /* virtual flags */
    {R("{ name: foo, addflag: f1 }") R("{ name: foo, flag: f1, setname: bar }"), "foo", "1", 0,
     NULL, NULL, NULL, NULL, NULL, NULL, "bar", "1", 0, "", "", 0},
    {R("{ name: foo, flag: f1, setname: bar }") R("{ name: foo, addflag: f1 }"), "foo", "1", 0,
     NULL, NULL, NULL, NULL, NULL, NULL, "foo", "1", 0, "", "", 0},
    {R("{ name: foo, addflag: [f1, f2] }") R("{ name: foo, noflag: [f3, f2], setname: bar }"),
     "foo", "1", 0, NULL, NULL, NULL, NULL, NULL, NULL, "foo", "1", 0, "", "", 0},
    {R("{ name: foo, addflag: f1 }") R("{ name: foo, noflag: [f3], flag: [f0, f1], setname: bar }"),
     "foo", "1", 0, NULL, NULL, NULL, NULL, NULL, NULL, "bar", "1", 0, "", "", 0},
    /* is_p_is_patch */
    {R("{ name: foo, p_is_patch: true }") R("{ name: foo, is_p_is_patch: true, setname: bar }"),
     "foo", "1", 0, NULL, NULL, NULL, NULL, NULL, NULL, "bar", "1", PF_F_P_IS_PATCH, "", "", 0},
    {R("{ name: foo, is_p_is_patch: false, setname: bar }"), "foo", "1", 0, NULL, NULL, NULL, NULL,
     NULL, NULL, "bar", "1", 0, "", "", 0},
    /* flavors: true = current name (before setname of the same rule), $N, strip '-', sorted */
    {R("{ name: [postgresql-client, postgresql-server], setname: postgresql, addflavor: true }"),
     "postgresql-server", "1", 0, NULL, NULL, NULL, NULL, NULL, NULL, "postgresql", "1", 0,
     "postgresql-server", "", 0},
    {R("{ name: foo, addflavor: yes }"), "foo", "1", 0, NULL, NULL, NULL, NULL, NULL, NULL, "foo",
     "1", 0, "foo", "", 0},
    {R("{ namepat: \"py([0-9]+)-(.*)\", setname: \"python:$2\", addflavor: \"$1\" }"), "py311-foo",
     "1", 0, NULL, NULL, NULL, NULL, NULL, NULL, "python:foo", "1", 0, "311", "", 0},
    {R("{ namepat: \"python(2)?-(.*)\", setname: \"python:$2\", addflavor: \"$1\" }"), "python-foo",
     "1", 0, NULL, NULL, NULL, NULL, NULL, NULL, "python:foo", "1", 0, "", "", 0},
    {R("{ name: foo, addflavor: \"-x-\" }"), "foo", "1", 0, NULL, NULL, NULL, NULL, NULL, NULL,
     "foo", "1", 0, "x", "", 0},
    {R("{ name: foo, addflavor: zz }") R("{ name: foo, addflavor: [aa, mm] }"), "foo", "1", 0, NULL,
     NULL, NULL, NULL, NULL, NULL, "foo", "1", 0, "aa_mm_zz", "", 0},
    {R("{ name: foo, addflavor: zz }") R("{ name: foo, setflavor: aa }"), "foo", "1", 0, NULL, NULL,
     NULL, NULL, NULL, NULL, "foo", "1", 0, "aa", "", 0},
    {R("{ name: foo, addflavor: zz }") R("{ name: foo, resetflavors: true }"), "foo", "1", 0, NULL,
     NULL, NULL, NULL, NULL, NULL, "foo", "1", 0, "", "", 0},
    /* branches */
    {R("{ name: foo, verpat: \"([0-9]+)\\\\..*\", setbranch: \"$1\" }"), "foo", "3.2", 0, NULL,
     NULL, NULL, NULL, NULL, NULL, "foo", "3.2", 0, "", "3", 0},
    {R("{ name: foo, setbranch: \"$0-lts\" }"), "foo", "3.2", 0, NULL, NULL, NULL, NULL, NULL, NULL,
     "foo", "3.2", 0, "", "3.2-lts", 0},
    {R("{ name: foo, setbranchcomps: 2 }"), "foo", "1.2-3", 0, NULL, NULL, NULL, NULL, NULL, NULL,
     "foo", "1.2-3", 0, "", "1.2", 0},
    {R("{ name: foo, setbranchcomps: 2 }"), "foo", "7", 0, NULL, NULL, NULL, NULL, NULL, NULL,
     "foo", "7", 0, "", "7", 0},
    /* name edits */
    {R("{ replaceinname: { \"/\": \"-\", \" \": \"_\" } }"), "a/b c/d", "1", 0, NULL, NULL, NULL,
     NULL, NULL, NULL, "a-b_c-d", "1", 0, "", "", 0},
    {R("{ tolowername: true }"), "FooBar", "1", 0, NULL, NULL, NULL, NULL, NULL, NULL, "foobar",
     "1", 0, "", "", 0},
    {R("{ name: Foo, addflag: preserve_case }") R("{ noflag: preserve_case, tolowername: true }"),
     "Foo", "1", 0, NULL, NULL, NULL, NULL, NULL, NULL, "Foo", "1", 0, "", "", 0},
    /* remove */
    {R("{ name: foo, remove: true }"), "foo", "1", 0, NULL, NULL, NULL, NULL, NULL, NULL, "foo",
     "1", PF_F_REMOVE, "", "", 1},
    {R("{ name: foo, remove: true }") R("{ name: foo, remove: false }"), "foo", "1", 0, NULL, NULL,
     NULL, NULL, NULL, NULL, "foo", "1", 0, "", "", 0},
    /* status flags: true sets, false clears (input flags kept otherwise) */
    {R("{ name: foo, ignore: false }"), "foo", "1", PF_F_IGNORE | PF_F_DEVEL, NULL, NULL, NULL,
     NULL, NULL, NULL, "foo", "1", PF_F_DEVEL, "", "", 0},
    {R("{ name: foo, untrusted: true, noscheme: true, rolling: true }"), "foo", "1", 0, NULL, NULL,
     NULL, NULL, NULL, NULL, "foo", "1", PF_F_UNTRUSTED | PF_F_NOSCHEME | PF_F_ROLLING, "", "", 0},
    {R("{ name: foo, sink: true, outdated: true, legacy: true, nolegacy: true }"), "foo", "1", 0,
     NULL, NULL, NULL, NULL, NULL, NULL, "foo", "1",
     PF_F_SINK | PF_F_OUTDATED | PF_F_LEGACY | PF_F_NOLEGACY, "", "", 0},
    {R("{ name: foo, any_is_patch: true, altscheme: true, vulnerable: true, recalled: true }"),
     "foo", "1", 0, NULL, NULL, NULL, NULL, NULL, NULL, "foo", "1",
     PF_F_ANY_IS_PATCH | PF_F_ALTSCHEME | PF_F_VULNERABLE | PF_F_RECALLED, "", "", 0},
    {R("{ name: foo, stable: true, trace: true }"), "foo", "1", 0, NULL, NULL, NULL, NULL, NULL,
     NULL, "foo", "1", PF_F_STABLE | PF_F_TRACE, "", "", 0},
    /* upstream aliases: snapshot/weak_devel -> IGNORE, successor/debianism -> DEVEL, generated ->
       ROLLING */
    {R("{ name: foo, snapshot: true }"), "foo", "1", 0, NULL, NULL, NULL, NULL, NULL, NULL, "foo",
     "1", PF_F_IGNORE, "", "", 0},
    {R("{ name: foo, weak_devel: true }"), "foo", "1", 0, NULL, NULL, NULL, NULL, NULL, NULL, "foo",
     "1", PF_F_IGNORE, "", "", 0},
    {R("{ name: foo, successor: true }"), "foo", "1", 0, NULL, NULL, NULL, NULL, NULL, NULL, "foo",
     "1", PF_F_DEVEL, "", "", 0},
    {R("{ name: foo, debianism: true }"), "foo", "1", 0, NULL, NULL, NULL, NULL, NULL, NULL, "foo",
     "1", PF_F_DEVEL, "", "", 0},
    {R("{ name: foo, generated: true }"), "foo", "1", 0, NULL, NULL, NULL, NULL, NULL, NULL, "foo",
     "1", PF_F_ROLLING, "", "", 0},
    /* flag actions run in upstream order: ignore before snapshot */
    {R("{ name: foo, snapshot: false, ignore: true }"), "foo", "1", 0, NULL, NULL, NULL, NULL, NULL,
     NULL, "foo", "1", 0, "", "", 0},
    /* order semantics */
    {R("{ name: a, setname: b }") R("{ name: b, setname: c }"), "a", "1", 0, NULL, NULL, NULL, NULL,
     NULL, NULL, "c", "1", 0, "", "", 0},
    {R("{ name: b, setname: c }") R("{ name: a, setname: b }"), "a", "1", 0, NULL, NULL, NULL, NULL,
     NULL, NULL, "b", "1", 0, "", "", 0},
    {R("{ name: foo, setname: py3-foo }") R("{ namepat: \"py3-(.*)\", setname: \"python:$1\" }"),
     "foo", "1", 0, NULL, NULL, NULL, NULL, NULL, NULL, "python:foo", "1", 0, "", "", 0},
    {R("{ namepat: \"py3-(.*)\", setname: \"python:$1\" }") R("{ name: foo, setname: py3-foo }"),
     "foo", "1", 0, NULL, NULL, NULL, NULL, NULL, NULL, "py3-foo", "1", 0, "", "", 0},
    {R("{ name: foo, setname: Bar }") R("{ tolowername: true }") R("{ name: bar, devel: true }"),
     "foo", "1", 0, NULL, NULL, NULL, NULL, NULL, NULL, "bar", "1", PF_F_DEVEL, "", "", 0},
    {R("{ name: foo, last: true }") R("{ name: foo, setname: bar }"), "foo", "1", 0, NULL, NULL,
     NULL, NULL, NULL, NULL, "foo", "1", 0, "", "", 0},
    {R("{ name: foo, devel: true, last: true }") R("{ devel: false }"), "foo", "1", 0, NULL, NULL,
     NULL, NULL, NULL, NULL, "foo", "1", PF_F_DEVEL, "", "", 0},
    /* a name list is split into one rule per name (upstream), so a rule renaming
     * into one of its own names applies twice */
    {R("{ name: [foo, bar], setname: bar, addflavor: true }"), "foo", "1", 0, NULL, NULL, NULL,
     NULL, NULL, NULL, "bar", "1", 0, "bar_foo", "", 0},
    /* the matching rule's captures belong to that rule only */
    {R("{ namepat: \"(x)(.*)\", addflag: seen }") R("{ name: xy, setname: \"$1$0\" }"), "xy", "1",
     0, NULL, NULL, NULL, NULL, NULL, NULL, "$1xy", "1", 0, "", "", 0},
};

static void test_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const rcase *c = &cases[i];
        char err[512];
        pf_rules *r = tu_rules_load_text("rules_case", c->yaml, err, sizeof err);
        if (!r)
            fail_msg("case %zu: %s", i, err);
        assert_int_equal(pf_rules_nwarnings(r), 0);
        pf_rpkg p;
        tu_rpkg_debian(&p, c->name, c->version);
        p.flags = c->flags;
        const char *one[1] = {c->rs};
        if (c->family) {
            p.family = c->family;
            p.rulesets = one;
            p.nrulesets = 1;
        }
        p.homepage = c->homepage;
        p.category = c->category;
        p.maintainers = c->maintainers;
        p.summary = c->summary;
        assert_int_equal(pf_rules_apply(r, &p), 0);
        if (strcmp(p.name, c->want_name) || strcmp(p.version, c->want_version) ||
            p.flags != c->want_flags || strcmp(p.flavor, c->want_flavor) ||
            strcmp(p.branch, c->want_branch) || p.removed != c->want_removed)
            fail_msg("case %zu (%s %s) %s: got name=%s ver=%s flags=%#x flavor=%s branch=%s "
                     "removed=%d",
                     i, c->name, c->version, c->yaml, p.name, p.version, p.flags, p.flavor,
                     p.branch, p.removed);
        pf_rules_free(r);
    }
}

/* The trace: checked/matched counts, warnings, origin of the last match. */
static void test_trace_and_warning(void **state)
{
    (void)state;
    char err[512];
    pf_rules *r = tu_rules_load_text("rules_trace",
                                     R("{ name: gtk, verpat: \"3\\\\..*\", setname: gtk3 }")
                                         R("{ name: gtk, warning: \"need a rule for gtk\" }")
                                             R("{ name: other, devel: true }"),
                                     err, sizeof err);
    assert_non_null(r);
    pf_rpkg p;
    pf_rules_trace t;
    tu_rpkg_debian(&p, "gtk", "5.0");
    assert_int_equal(pf_rules_apply_trace(r, &p, &t), 0);
    assert_string_equal(p.name, "gtk");
    assert_int_equal(t.checked, 2); /* the `other` rule is never tried */
    assert_int_equal(t.matched, 1);
    assert_int_equal(t.nwarnings, 1);
    assert_string_equal(t.warnings[0], "need a rule for gtk");
    assert_string_equal(t.last_file, "rules.yaml");
    assert_int_equal(t.last_line, 2);
    tu_rpkg_debian(&p, "gtk", "3.24");
    assert_int_equal(pf_rules_apply_trace(r, &p, &t), 0);
    assert_string_equal(p.name, "gtk3");
    assert_int_equal(t.nwarnings, 0);
    assert_int_equal(t.last_line, 1);
    pf_rules_free(r);
}

/* ------------------------------------------------------------ errors and warnings */

typedef struct ecase {
    const char *yaml;
    const char *want; /* substring of the error */
} ecase;

static const ecase errors[] = {
    {R("{ name: foo, name: bar }"), "rules.yaml:1: duplicate key 'name'"},
    {R("{ name: ok }") "- name: foo\n  setname: bar\n  setname: baz\n",
     "rules.yaml:4: duplicate key 'setname'"},
    {R("{ name: foo, namepat: \"(unclosed\" }"), "rules.yaml:1: bad namepat"},
    {R("{ name: foo, verpat: \"[a-\" }"), "rules.yaml:1: bad verpat"},
    {R("{ name: foo, devel: maybe }"), "rules.yaml:1: key 'devel' expects true or false"},
    {R("{ name: foo, vercomps: many }"), "rules.yaml:1: key 'vercomps' expects an integer"},
    {R("{ name: foo, addflavor: false }"), "false not allowed as addflavor argument"},
    {R("{ name: [foo, [bar]] }"), "nested structures are not allowed"},
    {R("{ name: foo, replaceinname: x }"), "key 'replaceinname' expects a mapping"},
    {"name: foo\nsetname: bar\n", "rules.yaml:1: the file must be a list of rules"},
    {"- just a string\n", "rules.yaml:1: a rule must be a mapping"},
    {"- { name: foo, setname: bar\n", "rules.yaml:"},
    {"- &a { name: foo }\n- *a\n", "aliases are not supported"},
};

static void test_errors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof errors / sizeof *errors; i++) {
        char err[512] = "";
        pf_rules *r = tu_rules_load_text("rules_err", errors[i].yaml, err, sizeof err);
        if (r) {
            pf_rules_free(r);
            fail_msg("error case %zu loaded: %s", i, errors[i].yaml);
        }
        if (!strstr(err, errors[i].want))
            fail_msg("error case %zu: '%s' lacks '%s'", i, err, errors[i].want);
    }
    char err[512] = "";
    assert_null(pf_rules_load("tests/fixtures/rules/no-such-dir", err, sizeof err));
    assert_non_null(strstr(err, "no-such-dir"));
}

static void test_fixture_dupkey(void **state)
{
    (void)state;
    char err[512] = "";
    assert_null(pf_rules_load(tu_fixture("rules/dupkey"), err, sizeof err));
    assert_non_null(strstr(err, "rules.yaml:4: duplicate key 'name'"));
}

static void test_fixture_warnings(void **state)
{
    (void)state;
    char err[512];
    pf_rules *r = pf_rules_load(tu_fixture("rules/warn"), err, sizeof err);
    assert_non_null(r);
    assert_int_equal(pf_rules_count(r), 3);
    assert_int_equal(pf_rules_nwarnings(r), 2);
    assert_non_null(strstr(pf_rules_warning(r, 0), "rules.yaml:1: unknown key 'frobnicate'"));
    assert_non_null(strstr(pf_rules_warning(r, 1), "rules.yaml:3: unknown key 'nested_unknown'"));
    assert_null(pf_rules_warning(r, 2));
    /* the known keys of those rules still work; annotations change nothing */
    pf_rpkg p;
    tu_rpkg_debian(&p, "foo", "1");
    pf_rules_apply(r, &p);
    assert_string_equal(p.name, "bar");
    tu_rpkg_debian(&p, "baz", "1");
    pf_rules_apply(r, &p);
    assert_string_equal(p.name, "qux");
    assert_int_equal(p.flags, PF_F_DEVEL);
    pf_rules_free(r);
}

static void test_fixture_order(void **state)
{
    (void)state;
    char err[512];
    pf_rules *r = pf_rules_load(tu_fixture("rules/order"), err, sizeof err);
    if (!r)
        fail_msg("%s", err);
    static const char *const files[] = {"10-first.yaml", "20-sub/a.yaml", "20-sub/b.yaml",
                                        "25-empty.yaml", "30-last.yaml"};
    static const size_t counts[] = {2, 1, 2, 0, 2};
    assert_int_equal(pf_rules_nfiles(r), 5); /* ignored.yml and .hidden/ skipped */
    for (size_t i = 0; i < 5; i++) {
        size_t n = 99;
        assert_string_equal(pf_rules_file_name(r, i, &n), files[i]);
        assert_int_equal(n, counts[i]);
    }
    assert_null(pf_rules_file_name(r, 5, NULL));
    assert_int_equal(pf_rules_count(r), 7);
    pf_rpkg p;
    tu_rpkg_debian(&p, "alpha", "1");
    pf_rules_apply(r, &p);
    assert_string_equal(p.name, "delta");
    assert_string_equal(p.flavor, "from-b");
    assert_int_equal(p.flags, PF_F_DEVEL);
    tu_rpkg_debian(&p, "gamma", "1");
    pf_rules_apply(r, &p);
    assert_string_equal(p.name, "gamma-flagged");
    pf_rules_free(r);
}

int main(void)
{
    const struct CMUnitTest community_tests[] = {
        cmocka_unit_test(test_community_load),
        cmocka_unit_test(test_community_real_names),
    };
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rs_simple_cases),
        cmocka_unit_test(test_rs_hier),
        cmocka_unit_test(test_rs_allflags),
        cmocka_unit_test(test_rs_error_duplicate_key),
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_trace_and_warning),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_fixture_dupkey),
        cmocka_unit_test(test_fixture_warnings),
        cmocka_unit_test(test_fixture_order),
    };
    int rc = cmocka_run_group_tests(community_tests, setup_community, teardown_community);
    return rc | cmocka_run_group_tests(tests, NULL, NULL);
}
