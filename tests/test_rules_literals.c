/*
 * test_rules_literals.c — what the rule index knows of a namepat without
 * running it (analyzer/rules_literals.c), and the index built on it.
 *
 * 1. Prefix sets, hand-picked: community patterns (alternations, groups,
 *    optional parts), the cap (a set too big is shortened, still sound),
 *    and what must give no set (a match may start with under 2 known
 *    bytes, or syntax the analysis does not follow).
 * 2. Soundness on generated patterns: for 3,000 patterns over {a, b, -},
 *    every string of up to 6 of those bytes that the regex fully matches
 *    starts with one of the pattern's prefixes.
 * 3. The index against the walk it replaces: the community ruleset applied
 *    to real Debian, Alpine and Homebrew packages, once through the
 *    candidate lists and once trying every entry in turn with no literal
 *    pre-filter (upstream's loop), gives the same package every time
 *    (every 24th Debian package, every 12th of the others: 3,500 in all).
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../analyzer/rules.h"
#include "pkgfresh/format.h"
#include "pkgfresh/record.h"

#include "reccollect.h"
#include "rpkg.h"

/* The prefix set of pat as sorted, comma-joined text ("-" when there is none). */
static const char *prefixes_text(const char *pat, char *out, size_t outlen)
{
    pfr_prefixes px;
    if (pfr_pattern_prefixes(pat, &px) != 0) {
        snprintf(out, outlen, "-");
        return out;
    }
    char keys[PFR_PREFIXES_MAX][PFR_PREFIX_LEN + 1];
    for (size_t i = 0; i < px.n; i++) {
        memcpy(keys[i], px.s[i], px.len[i]);
        keys[i][px.len[i]] = '\0';
    }
    qsort(keys, px.n, sizeof keys[0], (int (*)(const void *, const void *))strcmp);
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = 0; i < px.n && o < outlen; i++)
        o += (size_t)snprintf(out + o, outlen - o, "%s%s", i ? "," : "", keys[i]);
    return out;
}

/* ------------------------------------------------------------ 1. hand-picked */

static void test_prefix_cases(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"foo", "foo"},
        {"python-(.*)", "pyth"},
        {"^perl-(.*)$", "perl"},
        {"(?:plasma-applet-|plasma5-applets?-|plasma6-applets?-|plasmoid-)(.+)", "plas"},
        {"(zeromq|zmq|libzmq)[0-9.-]*", "libz,zero,zmq"},
        {"(godot)[0-9]*(-.*)?", "godo"},
        {"(?:deepin|dde)-(.*)", "dde-,deep"},
        {"py3?-(.*)", "py-,py3-"},
        {"(?:lib)?fmt[0-9.-]*", "fmt,libf"},
        {"(ab)+c", "ab"},
        {"ab{0}cd", "acd"},
        {"a{1}b{1,1}c", "abc"},
        {"(?=lib)libfoo", "libf"},
        {"(?P<n>xy)z", "xyz"},
        {"(?<n>xy)z", "xyz"},
        {"lib\\.so\\-x", "lib."},
        {"x(?:a|b|c)?y", "xay,xby,xcy,xy"},
        {"ab\\bcd", "abcd"},
        /* a star's repeats are not the whole match: "(ab)*c" matches "ababc" */
        {"(ab)*c", "-"},
        {"(ab)*cd", "ab,cd"},
        {"(xy)*", "-"},
        {"(.*)-(hwe-[0-9]{2}\\.[0-9]{2})", "-"},
        {"[Pp]ython", "-"},
        {"a{2}b", "-"}, /* repeats are not followed: "a", then unknown */
        {"a|bc", "-"},
        {"", "-"},
        {"(?i)foo", "-"},
        {"\\x41bc", "-"},
        {"\\Qab\\E", "-"},
        {"(ab)\\1", "-"}, /* back-references are not followed */
        {"[[:alpha:]]x", "-"},
        {"(?>ab)", "-"},
        {"ab)", "-"},
        {"(ab", "-"},
        {"ab{2", "-"},
        {"\\d+foo", "-"},
    };
    char got[512];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        prefixes_text(cases[i][0], got, sizeof got);
        if (strcmp(got, cases[i][1]) != 0)
            fail_msg("prefixes of \"%s\": got \"%s\", want \"%s\"", cases[i][0], got, cases[i][1]);
    }
}

/* More alternatives than a set holds: the strings are shortened until they fit. */
static void test_prefix_cap(void **state)
{
    (void)state;
    char pat[2048], got[512];
    size_t o = (size_t)snprintf(pat, sizeof pat, "q(?:");
    for (char a = 'a'; a <= 'z'; a++)
        for (char d = '0'; d <= '9'; d++)
            o += (size_t)snprintf(pat + o, sizeof pat - o, "%s%c%c", o > 4 ? "|" : "", a, d);
    snprintf(pat + o, sizeof pat - o, ")x");
    /* 260 strings of 4 bytes ("qa0x") do not fit; "qa".."qz" do */
    prefixes_text(pat, got, sizeof got);
    assert_int_equal(strlen(got), 26 * 3 - 1);
    assert_memory_equal(got, "qa,qb,qc", 8);
    assert_string_equal(got + strlen(got) - 2, "qz");
    /* without the leading "q", nothing of 2 bytes fits: no set */
    prefixes_text(pat + 1, got, sizeof got);
    assert_string_equal(got, "-");
}

/* ------------------------------------------------------------ 2. generated */

static void test_prefix_generated(void **state)
{
    (void)state;
    static const char *const tok[] = {
        "a",    "b",     "-",         "ab",       "ba",    "a-",    ".",      "\\d",   "\\-",
        "[ab]", "[^a]",  "(",         "(?:",      ")",     "|",     "*",      "+",     "?",
        "{2}",  "{0,1}", "{1,}",      "{0}",      "*?",    "^",     "$",      "(?=a)", "(?!b)",
        "\\b",  "(a|b)", "(?:ab|b-)", "(?P<n>a)", "(ab)+", "(ba)*", "(?:a-)?"};
    /* every string over {a, b, -} of up to 6 bytes */
    enum { MAXLEN = 6 };
    static char names[1093][MAXLEN + 1];
    size_t nn = 0;
    for (size_t len = 0; len <= MAXLEN; len++) {
        size_t total = 1;
        for (size_t i = 0; i < len; i++)
            total *= 3;
        for (size_t v = 0; v < total; v++) {
            size_t x = v;
            for (size_t i = 0; i < len; i++, x /= 3)
                names[nn][i] = "ab-"[x % 3];
            names[nn++][len] = '\0';
        }
    }
    assert_int_equal(nn, 1093);
    pcre2_match_data *md = pcre2_match_data_create(16, NULL);
    assert_non_null(md);
    uint64_t seed = 0x2545f4914f6cdd1dull;
    size_t with_set = 0, matched = 0, tested = 0;
    char pat[256];
    while (tested < 3000) {
        size_t len = 0, ntok = 1 + tu_rand(&seed) % 7;
        pat[0] = '\0';
        for (size_t t = 0; t < ntok; t++) {
            const char *p = tok[tu_rand(&seed) % (sizeof tok / sizeof *tok)];
            size_t n = strlen(p);
            memcpy(pat + len, p, n + 1);
            len += n;
        }
        int ec;
        PCRE2_SIZE off;
        pcre2_code *code = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED,
                                         PCRE2_ANCHORED | PCRE2_ENDANCHORED, &ec, &off, NULL);
        if (!code)
            continue;
        tested++;
        pfr_prefixes px;
        if (pfr_pattern_prefixes(pat, &px) == 0) {
            with_set++;
            for (size_t i = 0; i < nn; i++) {
                size_t n = strlen(names[i]);
                if (pcre2_match(code, (PCRE2_SPTR)names[i], n, 0, 0, md, NULL) < 0)
                    continue;
                matched++;
                size_t k = 0;
                while (k < px.n && !(px.len[k] <= n && memcmp(names[i], px.s[k], px.len[k]) == 0))
                    k++;
                if (k == px.n) {
                    char got[512];
                    fail_msg("\"%s\" matches \"%s\", which starts with none of %s", pat, names[i],
                             prefixes_text(pat, got, sizeof got));
                }
            }
        }
        pcre2_code_free(code);
    }
    pcre2_match_data_free(md);
    /* the generator reaches patterns with a set, and names they match */
    assert_true(with_set > 300);
    assert_true(matched > 1000);
}

/* ------------------------------------------------------------ 3. the index */

/* Apply r to (name, version) of family/rulesets both ways; fail on any difference. */
static void apply_both(pf_rules *r, const char *family, const char *const *rulesets, size_t nrs,
                       const char *name, const char *version, size_t *renamed)
{
    pf_rpkg a;
    tu_rpkg_debian(&a, name, version);
    a.family = family;
    a.rulesets = rulesets;
    a.nrulesets = nrs;
    a.srcname = name;
    pf_rpkg b = a;
    r->linear = false;
    assert_int_equal(pf_rules_apply(r, &a), 0);
    r->linear = true;
    assert_int_equal(pf_rules_apply(r, &b), 0);
    r->linear = false;
    if (strcmp(a.name, b.name) || strcmp(a.version, b.version) || a.flags != b.flags ||
        strcmp(a.flavor, b.flavor) || strcmp(a.branch, b.branch) || a.removed != b.removed)
        fail_msg("%s %s (%s): index gives %s %s flags %x flavor '%s', every rule gives %s %s "
                 "flags %x flavor '%s'",
                 name, version, family, a.name, a.version, a.flags, a.flavor, b.name, b.version,
                 b.flags, b.flavor);
    *renamed += strcmp(a.name, name) != 0;
}

static void test_index_community(void **state)
{
    (void)state;
    const char *dir = tu_realdata("repology-rules");
    const char *deb = tu_realdata("debian/sid-main-Sources.xz");
    const char *alp = tu_realdata("alpine/alpine-edge-origins.tsv");
    const char *brew = tu_realdata("homebrew/homebrew-core-formulae.tsv");
    if (!dir || !deb || !alp || !brew)
        skip();
    char err[512];
    pf_rules *r = pf_rules_load(dir, err, sizeof err);
    if (!r)
        fail_msg("%s", err);
    static const char *const rs_deb[] = {"debuntu", "debian"};
    static const char *const rs_alp[] = {"alpine"};
    static const char *const rs_brew[] = {"homebrew"};
    struct {
        const char *path, *family;
        const char *const *rs;
        pf_parse_fn fn;
        size_t every;
    } src[] = {{deb, "debuntu", rs_deb, pf_parse_deb_sources, 24},
               {alp, "alpine", rs_alp, pf_parse_tsv, 12},
               {brew, "homebrew", rs_brew, pf_parse_tsv, 12}};
    size_t tried = 0, renamed = 0;
    for (size_t s = 0; s < sizeof src / sizeof *src; s++) {
        rc_set set = RC_SET_INIT;
        rc_parse_path(&set, src[s].fn, NULL, src[s].path);
        assert_int_equal(set.rc, 0);
        assert_true(set.n > 5000);
        for (size_t i = 0; i < set.n; i += src[s].every, tried++)
            apply_both(r, src[s].family, src[s].rs, 1 + (src[s].rs == rs_deb), set.recs[i].srcname,
                       set.recs[i].version, &renamed);
        rc_free(&set);
    }
    /* the rules did real work on the sample */
    assert_true(tried > 3000);
    assert_true(renamed > tried / 5);
    pf_rules_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prefix_cases),
        cmocka_unit_test(test_prefix_cap),
        cmocka_unit_test(test_prefix_generated),
        cmocka_unit_test(test_index_community),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
