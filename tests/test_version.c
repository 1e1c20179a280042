/*
 * test_version.c — version comparison (analyzer/version.c) against
 * libversion's own cases, the CC0 version-comparison-test-suite, the worked
 * examples of version-algorithm.md §7 and edge cases; plus pf_vflags_parse
 * and the `pkgfresh vercmp` command.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pkgfresh/version.h"

#define ALLF (PF_V_P_IS_PATCH | PF_V_ANY_IS_PATCH | PF_V_LOWER_BOUND | PF_V_UPPER_BOUND)

/* Sign character for a comparison result. */
static char sign_char(int r)
{
    return r < 0 ? '<' : r > 0 ? '>' : '=';
}

/* Relation sign to expected result; 2 for an unknown sign. */
static int sign_value(char c)
{
    return c == '<' ? -1 : c == '=' ? 0 : c == '>' ? 1 : 2;
}

/*
 * Counted compare on exact-size heap copies (no NUL after the bytes), so
 * ASan catches any read past the given length.
 */
static int cmp_counted(const char *a, size_t al, const char *b, size_t bl, unsigned fa, unsigned fb)
{
    char *ca = malloc(al ? al : 1), *cb = malloc(bl ? bl : 1);
    assert_non_null(ca);
    assert_non_null(cb);
    memcpy(ca, a, al);
    memcpy(cb, b, bl);
    int r = pf_vercmp_n(ca, al, cb, bl, fa, fb);
    free(ca);
    free(cb);
    return r;
}

/*
 * Every entry point on (a, b, fa, fb) and the swapped call; returns 1 when
 * all agree with `want`, else prints what differed and returns 0.
 */
static int check_case(const char *a, const char *b, unsigned fa, unsigned fb, int want,
                      const char *where)
{
    size_t al = strlen(a), bl = strlen(b);
    int r4 = pf_vercmp4(a, b, fa, fb);
    int rev = pf_vercmp4(b, a, fb, fa);
    int rn = cmp_counted(a, al, b, bl, fa, fb);
    int rnrev = cmp_counted(b, bl, a, al, fb, fa);
    int r2 = (fa | fb) == 0 ? pf_vercmp(a, b) : want; /* 2-arg form only without flags */
    if (r4 == want && rev == -want && rn == want && rnrev == -want && r2 == want)
        return 1;
    print_message("MISMATCH %s: \"%s\" %c \"%s\" (fa=%u fb=%u): vercmp4=%c reversed=%c "
                  "vercmp_n=%c vercmp_n reversed=%c vercmp=%c\n",
                  where, a, sign_char(want), b, fa, fb, sign_char(r4), sign_char(rev),
                  sign_char(rn), sign_char(rnrev), (fa | fb) ? '-' : sign_char(r2));
    return 0;
}

/* Flag word for one TSV flag name (P_IS_PATCH ...); 0 with *ok = 0 if unknown. */
static unsigned tsv_flag(const char *name, size_t n, int *ok)
{
    static const struct {
        const char *s;
        unsigned f;
    } names[] = {{"P_IS_PATCH", PF_V_P_IS_PATCH},
                 {"ANY_IS_PATCH", PF_V_ANY_IS_PATCH},
                 {"LOWER_BOUND", PF_V_LOWER_BOUND},
                 {"UPPER_BOUND", PF_V_UPPER_BOUND}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strlen(names[i].s) == n && memcmp(names[i].s, name, n) == 0)
            return names[i].f;
    *ok = 0;
    return 0;
}

/* libversion's own 636 cases (A OP B FLAGS, flags SIDE:NAME per argument). */
static void test_libversion_cases(void **state)
{
    (void)state;
    const char *path = tu_realdata("libversion/version_cases.tsv");
    if (!path)
        skip();
    char *text = tu_slurp(path, NULL);
    assert_non_null(text);
    int cases = 0, bad = 0, lineno = 0;
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        lineno++; /* strtok_r skips blank lines; the file has none */
        if (line[0] == '#')
            continue;
        char *f[4];
        int nf = 0;
        char *s = line;
        f[nf++] = s;
        while (nf < 4 && (s = strchr(s, '\t')) != NULL) {
            *s++ = '\0';
            f[nf++] = s;
        }
        if (nf != 4 || strlen(f[1]) != 1 || sign_value(f[1][0]) == 2) {
            print_message("malformed line %d\n", lineno);
            bad++;
            continue;
        }
        unsigned fa = 0, fb = 0;
        int ok = 1;
        if (strcmp(f[3], "-") != 0) {
            for (char *it = f[3]; *it;) {
                char *end = strchr(it, ',');
                size_t n = end ? (size_t)(end - it) : strlen(it);
                if (n < 3 || it[1] != ':' || (it[0] != 'A' && it[0] != 'B')) {
                    ok = 0;
                    break;
                }
                unsigned bit = tsv_flag(it + 2, n - 2, &ok);
                if (it[0] == 'A')
                    fa |= bit;
                else
                    fb |= bit;
                it = end ? end + 1 : it + n;
            }
        }
        if (!ok) {
            print_message("bad flags on line %d: %s\n", lineno, f[3]);
            bad++;
            continue;
        }
        cases++;
        char where[64];
        snprintf(where, sizeof where, "version_cases.tsv line %d", lineno);
        if (!check_case(f[0], f[2], fa, fb, sign_value(f[1][0]), where))
            bad++;
    }
    free(text);
    print_message("libversion cases: %d checked, %d failed\n", cases, bad);
    assert_int_equal(cases, 636);
    assert_int_equal(bad, 0);
}

/* Letters p/a/l/u of the CC0 suite to flag bits; -1 on an unknown letter. */
static int suite_flags(const char *s, size_t n, unsigned *out)
{
    unsigned f = 0;
    for (size_t i = 0; i < n; i++) {
        switch (s[i]) {
        case 'p':
            f |= PF_V_P_IS_PATCH;
            break;
        case 'a':
            f |= PF_V_ANY_IS_PATCH;
            break;
        case 'l':
            f |= PF_V_LOWER_BOUND;
            break;
        case 'u':
            f |= PF_V_UPPER_BOUND;
            break;
        default:
            return -1;
        }
    }
    *out = f;
    return 0;
}

/* The CC0 version-comparison-test-suite: `"A" fl<fr "B"`, checked both ways. */
static void test_comparison_suite(void **state)
{
    (void)state;
    const char *path = tu_realdata("version-comparison-test-suite/version-comparison-tests.txt");
    if (!path)
        skip();
    char *text = tu_slurp(path, NULL);
    assert_non_null(text);
    int cases = 0, bad = 0, lineno = 0;
    char *line = text;
    while (*line) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        lineno++;
        if (line[0] != '\0' && line[0] != '#' && line[0] != '[') {
            /* "A" <flags><sign><flags> "B" */
            char *a = line + 1, *aq = line[0] == '"' ? strchr(a, '"') : NULL;
            char *rel = aq ? aq + 2 : NULL;
            char *sp = rel && aq[1] == ' ' ? strchr(rel, ' ') : NULL;
            char *b = sp && sp[1] == '"' ? sp + 2 : NULL;
            char *bq = b ? strchr(b, '"') : NULL;
            size_t sgn = rel && sp ? strcspn(rel, "<=>") : 0;
            unsigned fa = 0, fb = 0;
            if (!bq || bq[1] != '\0' || rel + sgn >= sp || suite_flags(rel, sgn, &fa) != 0 ||
                suite_flags(rel + sgn + 1, (size_t)(sp - rel - sgn - 1), &fb) != 0) {
                print_message("malformed line %d: %s\n", lineno, line);
                bad++;
            } else {
                *aq = '\0';
                *bq = '\0';
                char where[64];
                snprintf(where, sizeof where, "version-comparison-tests.txt line %d", lineno);
                cases++;
                if (!check_case(a, b, fa, fb, sign_value(rel[sgn]), where))
                    bad++;
            }
        }
        if (!nl)
            break;
        line = nl + 1;
    }
    free(text);
    print_message("comparison suite: %d cases checked both ways, %d failed\n", cases, bad);
    assert_int_equal(cases, 227);
    assert_int_equal(bad, 0);
}

/* §7: the ascending chain, checked over every pair. */
static void test_doc_ascending(void **state)
{
    (void)state;
    static const char *chain[] = {"1.0alpha1", "1.0beta1", "1.0", "1.0patch1", "1.0.1",
                                  "1.0a",      "1.0b",     "1.1", "1.2"};
    size_t n = sizeof chain / sizeof chain[0];
    int bad = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            bad += !check_case(chain[i], chain[j], 0, 0, i < j ? -1 : i > j ? 1 : 0, "§7 chain");
    assert_int_equal(bad, 0);
}

/* One hand-written expectation: a OP b with flags. */
typedef struct vcase {
    const char *a;
    char op;
    const char *b;
    unsigned fa, fb;
} vcase;

/* §1-§7 worked examples and edge cases, table-driven. */
static void test_doc_examples(void **state)
{
    (void)state;
    static const vcase cases[] = {
        /* §1 separators */
        {"..1....2....3..", '=', "1.2.3", 0, 0},
        {"1.0.alpha.2", '=', "1,0:alpha~2", 0, 0},
        {".,:;~+-_", '=', "0", 0, 0},
        {"1:2.0", '<', "2.0", 0, 0}, /* ':' is no epoch: this is 1.2.0 vs 2.0 */
        {"1.0~rc1", '<', "1.0", 0, 0},
        {"1.0~foo", '<', "1.0", 0, 0},
        /* §2 numbers */
        {"00100.00100", '=', "100.100", 0, 0},
        {"99999999999999999999999999999999999998", '<', "99999999999999999999999999999999999999", 0,
         0},
        {"1a2", '=', "1.a.2", 0, 0},
        /* §2 letter suffix */
        {"1.0a", '>', "1.0.1", 0, 0},
        {"1.0a.1", '>', "1.0.1", 0, 0},
        {"1.0a1", '<', "1.0", 0, 0},
        {"1.0.a", '<', "1.0", 0, 0},
        {"1.0alpha", '<', "1.0", 0, 0},
        {"1.0patch", '>', "1.0", 0, 0},
        {"1.0p.1", '>', "1.0.1", 0, 0},
        {"1.0p.1", '<', "1.0.1", PF_V_P_IS_PATCH, 0},
        {"1.0p.1", '>', "1.0", PF_V_P_IS_PATCH, 0},
        /* §4 first letters only */
        {"1.0a", '>', "1.0alpha", PF_V_ANY_IS_PATCH, PF_V_ANY_IS_PATCH}, /* suffix vs keyword */
        {"a", '=', "alpha", 0, 0},
        {"a", '=', "A", 0, 0},
        {"p", '=', "prerelease", 0, 0},
        {"b", '=', "beta", 0, 0},
        {"0.9.8za", '=', "0.9.8zb", 0, 0},
        {"1.0alpha1", '<', "1.0beta1", 0, 0},
        {"1.0beta1", '<', "1.0pre1", 0, 0},
        {"1.0pre1", '<', "1.0rc1", 0, 0},
        {"1.0post1", '=', "1.0patch1", 0, 0},
        {"1.0patch1", '=', "1.0pl1", 0, 0},
        {"1.0pl1", '=', "1.0p1", 0, PF_V_P_IS_PATCH},
        /* §5 padding */
        {"1", '=', "1.0.0", 0, 0},
        {"", '=', "0", 0, 0},
        {"", '<', "1", 0, 0},
        {"0", '>', "0.0", PF_V_UPPER_BOUND, PF_V_UPPER_BOUND},
        {"0", '<', "0.0", PF_V_LOWER_BOUND, PF_V_LOWER_BOUND},
        /* §6 flags */
        {"1.0p1", '<', "1.0", 0, 0},
        {"1.0p1", '=', "1.0pre1", 0, 0},
        {"1.0p1", '>', "1.0", PF_V_P_IS_PATCH, 0},
        {"1.0p1", '=', "1.0patch1", PF_V_P_IS_PATCH, 0},
        {"1.0a.1", '>', "1.0", PF_V_ANY_IS_PATCH, 0},
        {"1.0a1", '>', "1.0", PF_V_ANY_IS_PATCH, 0},
        {"1.0alpha1", '<', "1.0", PF_V_ANY_IS_PATCH, 0},
        {"1.0foo1", '>', "1.0", PF_V_ANY_IS_PATCH, 0},
        {"0.99999", '<', "1.0", 0, PF_V_LOWER_BOUND},
        {"1.0", '<', "1.0alpha", PF_V_LOWER_BOUND, 0},
        {"1.0", '<', "1.0alpha0", PF_V_LOWER_BOUND, 0},
        {"1.0", '<', "1.0", PF_V_LOWER_BOUND, 0},
        {"1.0", '<', "1.0a", PF_V_LOWER_BOUND, 0},
        {"1.0", '<', "1.0.1", PF_V_LOWER_BOUND, 0},
        {"1.0alpha", '<', "1.0", 0, PF_V_UPPER_BOUND},
        {"1.0patch0", '<', "1.0", 0, PF_V_UPPER_BOUND},
        {"1.0a", '<', "1.0", 0, PF_V_UPPER_BOUND},
        {"1.0.1", '<', "1.0", 0, PF_V_UPPER_BOUND},
        {"1.0", '<', "1.1", PF_V_UPPER_BOUND, 0},
        {"1.0", '<', "1.0", PF_V_LOWER_BOUND, PF_V_UPPER_BOUND},
        {"1.0", '<', "1.1", PF_V_UPPER_BOUND, PF_V_LOWER_BOUND},
        {"1.0alpha1", '>', "1.0", 0, PF_V_LOWER_BOUND},
        {"1.0alpha1", '<', "1.0", 0, PF_V_UPPER_BOUND},
        /* both bound flags: LOWER_BOUND wins */
        {"1.0", '=', "1.0", PF_V_LOWER_BOUND | PF_V_UPPER_BOUND, PF_V_LOWER_BOUND},
        {"1.0", '<', "1.0", PF_V_LOWER_BOUND | PF_V_UPPER_BOUND, 0},
        /* §7 */
        {"1.0alpha-1", '<', "1.0", 0, 0},
        {"1.0", '<', "1.0a-1", 0, 0},
        {"1.0prerelease-1", '<', "1.0", 0, 0},
        {"1.0postanythinggoeshere1", '>', "1.0", 0, 0},
        {"1.0postanythinggoeshere1", '<', "1.0.1", 0, 0},
        {"1.0errata1", '>', "1.0", 0, 0},
        {"1.0errata1", '<', "1.0.1", 0, 0},
        {"a", '<', "0", 0, 0},
        {"1.a", '<', "1.0", 0, 0},
        {"1.0.c", '<', "1.0", 0, 0},
        {"1.0a0", '=', "1.0.a0", 0, 0},
        {"1.0beta3", '=', "1.0.b3", 0, 0},
        {"1.0alpha1", '=', "1.0.alpha1", 0, 0},
        {"1.0alpha1", '=', "1.0alpha.1", 0, 0},
        {"1.0alpha1", '=', "1.0.alpha.1", 0, 0},
        {"1.0patch1", '=', "1.0.patch1", 0, 0},
        {"1.0patch1", '=', "1.0patch.1", 0, 0},
        {"1.0patch1", '=', "1.0.patch.1", 0, 0},
        {"1.0custom1", '<', "1.0", 0, 0},
        {"1.0git20190911", '<', "1.0", 0, 0},
        /* realistic distro strings (epochs/revisions not stripped here) */
        {"2.0.0~rc1", '<', "2.0.0", 0, 0},
        {"20240101", '>', "20231231", 0, 0},
        {"1.0alpha1", '<', "1.0alpha2", 0, 0},
        {"3.12.0", '>', "3.9.18", 0, 0},
        {"1.2.3-r1", '<', "1.2.3", 0, 0}, /* "r" is a pre-release word: callers strip revisions */
    };
    int bad = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const vcase *c = &cases[i];
        char where[32];
        snprintf(where, sizeof where, "table row %zu", i);
        bad += !check_case(c->a, c->b, c->fa, c->fb, sign_value(c->op), where);
    }
    assert_int_equal(bad, 0);
}

/* Numbers of 1000 digits: compared by length, then digit by digit, leading zeros ignored. */
static void test_long_numbers(void **state)
{
    (void)state;
    enum { N = 1000 };
    char big[N + 1], big2[N + 1], nines[N], zpad[N + 8], dotted[2 * N + 2];
    memset(big, '9', N);
    big[N] = '\0';
    memcpy(big2, big, N + 1);
    big2[N - 1] = '8';
    memset(nines, '9', N - 1); /* 999 digits */
    nines[N - 1] = '\0';
    memset(zpad, '0', 7);
    memcpy(zpad + 7, big, N + 1); /* same number with leading zeros */
    assert_true(check_case(big, big2, 0, 0, 1, "1000 digits, last differs"));
    assert_true(check_case(big, nines, 0, 0, 1, "1000 vs 999 digits"));
    assert_true(check_case(zpad, big, 0, 0, 0, "leading zeros"));
    assert_true(check_case(big, "1", 0, 0, 1, "1000 digits vs 1"));
    /* 1000 digits then a component: "<big>.1" > "<big>" */
    memcpy(dotted, big, N);
    memcpy(dotted + N, ".1", 3);
    assert_true(check_case(dotted, big, 0, 0, 1, "long then .1"));
    /* 1000 zeros is ZERO */
    char zeros[N + 1];
    memset(zeros, '0', N);
    zeros[N] = '\0';
    assert_true(check_case(zeros, "", 0, 0, 0, "1000 zeros vs empty"));
    assert_true(check_case(zeros, "a", 0, 0, 1, "1000 zeros vs a"));
}

/* Empty, all-separator and non-ASCII inputs. */
static void test_edge_inputs(void **state)
{
    (void)state;
    static const vcase cases[] = {
        {"", '=', "", 0, 0},
        {"", '=', "0.0.0", 0, 0},
        {"", '>', "a", 0, 0},
        {"", '<', "0.1", 0, 0},
        {"", '<', "", PF_V_LOWER_BOUND, 0},
        {"", '>', "", PF_V_UPPER_BOUND, 0},
        {"", '<', "", PF_V_LOWER_BOUND, PF_V_UPPER_BOUND},
        {"...", '=', "", 0, 0},
        {"-_~+:,/ ", '=', "0", 0, 0},
        {"...", '<', "0.1", 0, 0},
        {" 1 . 2 ", '=', "1.2", 0, 0},
        {"1.0\xc3\xa9", '=', "1.0", 0, 0}, /* UTF-8 é is two separators */
        {"1\xff"
         "2",
         '=', "1.2", 0, 0},
        {"\xe2\x80\x93", '=', "", 0, 0},
        {"1.0\xc3\xa9"
         "a",
         '<', "1.0", 0, 0}, /* non-ASCII byte separates: "a" is a word, not a suffix */
        {"caf\xc3\xa9", '=', "c", 0, 0},
    };
    int bad = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char where[32];
        snprintf(where, sizeof where, "edge row %zu", i);
        bad += !check_case(cases[i].a, cases[i].b, cases[i].fa, cases[i].fb,
                           sign_value(cases[i].op), where);
    }
    assert_int_equal(bad, 0);
    /* counted strings: an embedded NUL is a separator; bytes past len are ignored */
    assert_int_equal(pf_vercmp_n("1\0"
                                 "2",
                                 3, "1.2", 3, 0, 0),
                     0);
    assert_int_equal(pf_vercmp_n("1.2.3", 3, "1.2", 3, 0, 0), 0);
    assert_int_equal(pf_vercmp_n("1.0a1", 4, "1.0.1", 5, 0, 0), 1); /* "1.0a": suffix */
    assert_int_equal(pf_vercmp_n("10", 1, "1", 1, 0, 0), 0);
    assert_int_equal(pf_vercmp_n(NULL, 0, "", 0, 0, 0), 0);
}

/* Antisymmetry and counted/NUL agreement over every pair of a version pool and all flags. */
static void test_antisymmetry(void **state)
{
    (void)state;
    static const char *pool[] = {
        "",       "0",         "1",       "1.0",     "1.0.0",    "1.0a",      "1.0a1",
        "1.0.a",  "1.0alpha",  "1.0p1",   "1.0p",    "1.0pl1",   "1.0patch",  "1.0post",
        "1.0foo", "1.0foo.1",  "1.0rc1",  "1.0pre",  "1.1",      "a",         "p",
        "0.0",    "...",       "1:2.3-4", "2.0~rc1", "20240101", "1.0errata", "1.0.1",
        "01.00",  "1.0.0.0.0", "1_0",     "1.0-1",   "9.99",     "10",        "1.0P1",
    };
    size_t n = sizeof pool / sizeof pool[0];
    long pairs = 0;
    int bad = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            for (unsigned fa = 0; fa <= ALLF; fa++)
                for (unsigned fb = 0; fb <= ALLF; fb++) {
                    int r = pf_vercmp4(pool[i], pool[j], fa, fb);
                    int s = pf_vercmp4(pool[j], pool[i], fb, fa);
                    int rn =
                        pf_vercmp_n(pool[i], strlen(pool[i]), pool[j], strlen(pool[j]), fa, fb);
                    pairs++;
                    if (r != -s || r != rn || r < -1 || r > 1 || (i == j && fa == fb && r != 0)) {
                        if (bad++ < 10)
                            print_message("antisymmetry: \"%s\" \"%s\" %u %u: %d %d %d\n", pool[i],
                                          pool[j], fa, fb, r, s, rn);
                    }
                }
    assert_int_equal(bad, 0);
    assert_true(pairs > 300000);
}

/* Transitivity without flags over a pool: sorting with pf_vercmp must be consistent. */
static void test_transitivity(void **state)
{
    (void)state;
    static const char *pool[] = {"",       "0",     "1",      "1.0",     "1.0a",    "1.0a1",
                                 "1.0.a",  "1.0p1", "1.0pl1", "1.0rc1",  "1.1",     "a",
                                 "1.0.1",  "1.0b",  "10",     "1.0post", "2.0~rc1", "0.9",
                                 "1.0foo", "z",     "1.0z",   "1.0.0.1", "1.0-1",   "1.00"};
    size_t n = sizeof pool / sizeof pool[0];
    int bad = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            for (size_t k = 0; k < n; k++) {
                int ij = pf_vercmp(pool[i], pool[j]), jk = pf_vercmp(pool[j], pool[k]);
                int ik = pf_vercmp(pool[i], pool[k]);
                if (ij <= 0 && jk <= 0 && ik > 0)
                    bad++;
                if (ij == 0 && jk == 0 && ik != 0)
                    bad++;
            }
    assert_int_equal(bad, 0);
}

/*
 * Reference comparison for the differential test: the spec applied eagerly
 * and naively (component arrays, full keyword table), sharing no code with
 * version.c's lazy tokenizer and common-prefix skip.
 */
typedef struct refcomp {
    int rank; /* 0 LB, 1 PRE, 2 ZERO, 3 POST, 4 NONZERO, 5 SUFFIX, 6 UB */
    char text[64];
} refcomp;

/* Rank of a letter word per spec §2 (lowercased copy in w). */
static int ref_word_rank(const char *w, unsigned f, int suffix)
{
    if (!strcmp(w, "alpha") || !strcmp(w, "beta") || !strcmp(w, "rc") || !strncmp(w, "pre", 3))
        return 1;
    if (!strncmp(w, "post", 4) || !strncmp(w, "patch", 5) || !strcmp(w, "pl") ||
        !strcmp(w, "errata") || (!strcmp(w, "p") && (f & PF_V_P_IS_PATCH)))
        return 3;
    if (suffix)
        return 5;
    return (f & PF_V_ANY_IS_PATCH) ? 3 : 1;
}

/* Split s into components (at most max); returns the count. */
static int ref_split(const char *s, unsigned f, refcomp *c, int max)
{
    int n = 0;
    size_t i = 0, len = strlen(s);
    while (i < len && n < max) {
        unsigned char ch = (unsigned char)s[i];
        int dig = ch >= '0' && ch <= '9';
        int let = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
        if (!dig && !let) {
            i++;
            continue;
        }
        size_t j = i;
        char w[64];
        size_t wl = 0;
        while (j < len) {
            unsigned char cj = (unsigned char)s[j];
            int dj = cj >= '0' && cj <= '9';
            int lj = (cj >= 'a' && cj <= 'z') || (cj >= 'A' && cj <= 'Z');
            if (dig ? !dj : !lj)
                break;
            if (wl < sizeof w - 1)
                w[wl++] = (char)(lj ? (cj | 0x20) : cj);
            j++;
        }
        w[wl] = '\0';
        if (dig) {
            const char *v = w;
            while (*v == '0')
                v++;
            c[n].rank = *v ? 4 : 2;
            snprintf(c[n].text, sizeof c[n].text, "%s", v);
        } else {
            int after_digit = i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9';
            int before_digit = j < len && s[j] >= '0' && s[j] <= '9';
            c[n].rank = ref_word_rank(w, f, after_digit && !before_digit);
            c[n].text[0] = w[0];
            c[n].text[1] = '\0';
        }
        n++;
        i = j;
    }
    return n;
}

/* compare(a, b, fa, fb) by the spec, eagerly. */
static int ref_cmp(const char *a, const char *b, unsigned fa, unsigned fb)
{
    refcomp ca[80], cb[80];
    int na = ref_split(a, fa, ca, 64), nb = ref_split(b, fb, cb, 64);
    int fila = (fa & PF_V_LOWER_BOUND) ? 0 : (fa & PF_V_UPPER_BOUND) ? 6 : 2;
    int filb = (fb & PF_V_LOWER_BOUND) ? 0 : (fb & PF_V_UPPER_BOUND) ? 6 : 2;
    int la = na + (fila != 2), lb = nb + (filb != 2), n = la > lb ? la : lb;
    for (int i = 0; i < n; i++) {
        refcomp pa = {fila, ""}, pb = {filb, ""};
        const refcomp *x = i < na ? &ca[i] : &pa, *y = i < nb ? &cb[i] : &pb;
        if (x->rank != y->rank)
            return x->rank < y->rank ? -1 : 1;
        if (x->rank == 4 && strlen(x->text) != strlen(y->text))
            return strlen(x->text) < strlen(y->text) ? -1 : 1;
        int r = strcmp(x->text, y->text);
        if (r)
            return r < 0 ? -1 : 1;
    }
    return 0;
}

/* Random token soup (keywords, numbers with zeros, separators, non-ASCII) vs the reference. */
static void test_differential(void **state)
{
    (void)state;
    static const char *tok[] = {"0",    "00", "1",      "01", "9",    "10",   "123",   "a",
                                "B",    "p",  "P",      "pl", "pre",  "Post", "patch", "alpha",
                                "beta", "rc", "errata", "x",  "foo",  "z",    ".",     "-",
                                "~",    "_",  "+",      " ",  "\xc3", "..",   ":"};
    size_t ntok = sizeof tok / sizeof tok[0];
    unsigned seed = 12345;
    int bad = 0;
    for (int iter = 0; iter < 200000; iter++) {
        char a[128] = "", b[128] = "";
        seed = seed * 1103515245u + 12345u;
        int na = (int)(seed >> 16) % 7;
        for (int i = 0; i < na; i++) {
            seed = seed * 1103515245u + 12345u;
            strcat(a, tok[(seed >> 16) % ntok]);
        }
        /* b: usually a prefix of a (cut anywhere) plus fresh tokens, to exercise prefix skip */
        seed = seed * 1103515245u + 12345u;
        size_t cut = strlen(a) ? (seed >> 16) % (strlen(a) + 1) : 0;
        if ((seed >> 8) % 4 != 0)
            memcpy(b, a, cut), b[cut] = '\0';
        seed = seed * 1103515245u + 12345u;
        int nb = (int)(seed >> 16) % 4;
        for (int i = 0; i < nb; i++) {
            seed = seed * 1103515245u + 12345u;
            strcat(b, tok[(seed >> 16) % ntok]);
        }
        seed = seed * 1103515245u + 12345u;
        unsigned fa = (seed >> 16) & ALLF, fb = (seed >> 20) & ALLF;
        if ((seed >> 24) % 2) /* half the time no flags, the common case */
            fa = fb = 0;
        int want = ref_cmp(a, b, fa, fb);
        if (pf_vercmp4(a, b, fa, fb) != want ||
            pf_vercmp_n(a, strlen(a), b, strlen(b), fa, fb) != want) {
            if (bad++ < 10)
                print_message("differential: \"%s\" vs \"%s\" fa=%u fb=%u: want %d got %d\n", a, b,
                              fa, fb, want, pf_vercmp4(a, b, fa, fb));
        }
    }
    assert_int_equal(bad, 0);
}

/* pf_vflags_parse: names, case, "-" and "", rejection of junk without touching *out. */
static void test_vflags_parse(void **state)
{
    (void)state;
    unsigned f = 99;
    assert_int_equal(pf_vflags_parse("-", &f), 0);
    assert_int_equal(f, 0);
    f = 99;
    assert_int_equal(pf_vflags_parse("", &f), 0);
    assert_int_equal(f, 0);
    assert_int_equal(pf_vflags_parse("p_is_patch", &f), 0);
    assert_int_equal(f, PF_V_P_IS_PATCH);
    assert_int_equal(pf_vflags_parse("any_is_patch,lower_bound", &f), 0);
    assert_int_equal(f, PF_V_ANY_IS_PATCH | PF_V_LOWER_BOUND);
    assert_int_equal(pf_vflags_parse("UPPER_BOUND,P_Is_Patch", &f), 0);
    assert_int_equal(f, PF_V_UPPER_BOUND | PF_V_P_IS_PATCH);
    assert_int_equal(pf_vflags_parse("p_is_patch,any_is_patch,lower_bound,upper_bound", &f), 0);
    assert_int_equal(f, ALLF);
    assert_int_equal(pf_vflags_parse("lower_bound,lower_bound", &f), 0);
    assert_int_equal(f, PF_V_LOWER_BOUND);
    static const char *badlists[] = {
        "x",    "p",  "p_is_patc",   "p_is_patchx",  "lower_bound,",   ",lower_bound",
        "a,,b", "--", "lower bound", " lower_bound", "lower_bound,foo"};
    for (size_t i = 0; i < sizeof badlists / sizeof badlists[0]; i++) {
        f = 77;
        if (pf_vflags_parse(badlists[i], &f) != -1 || f != 77)
            fail_msg("pf_vflags_parse accepted \"%s\"", badlists[i]);
    }
}

/* Run the pkgfresh binary through sh (for stdin redirection); skips if it is absent. */
static int run_sh(const char *script, char **out, char **err)
{
    if (access(tu_pkgfresh(), X_OK) != 0)
        skip();
    char *argv[] = {"/bin/sh", "-c", (char *)script, NULL};
    setenv("PF", tu_pkgfresh(), 1);
    return tu_run(argv, out, err);
}

/* `pkgfresh vercmp A B` with and without flags, and its usage errors. */
static void test_cli_args(void **state)
{
    (void)state;
    char *out, *err;
    assert_int_equal(run_sh("\"$PF\" vercmp 1.0 1.0a", &out, &err), 0);
    assert_string_equal(out, "<\n");
    free(out);
    free(err);
    assert_int_equal(run_sh("\"$PF\" vercmp 1.0.0 1", &out, &err), 0);
    assert_string_equal(out, "=\n");
    free(out);
    free(err);
    assert_int_equal(run_sh("\"$PF\" vercmp --flags-a p_is_patch 1.0p1 1.0", &out, &err), 0);
    assert_string_equal(out, ">\n");
    free(out);
    free(err);
    assert_int_equal(
        run_sh("\"$PF\" vercmp 1.0.1 1.0 --flags-b=upper_bound,p_is_patch", &out, &err), 0);
    assert_string_equal(out, "<\n");
    free(out);
    free(err);
    assert_int_equal(run_sh("\"$PF\" vercmp '' 0", &out, &err), 0);
    assert_string_equal(out, "=\n");
    free(out);
    free(err);
    /* (stdout is not inspected when empty: tu_run leaves it unterminated then) */
    assert_int_equal(run_sh("\"$PF\" vercmp --flags-a bogus 1 2", &out, &err), 2);
    assert_non_null(strstr(err, "bogus"));
    free(out);
    free(err);
    assert_int_equal(run_sh("\"$PF\" vercmp 1", &out, &err), 2);
    free(out);
    free(err);
    assert_int_equal(run_sh("\"$PF\" vercmp --help", &out, &err), 0);
    assert_non_null(strstr(out, "vercmp"));
    assert_non_null(strstr(out, "upper_bound"));
    free(out);
    free(err);
}

/* `pkgfresh vercmp -` over stdin: signs per line, flags fields, line-numbered errors. */
static void test_cli_stdin(void **state)
{
    (void)state;
    char *out, *err;
    assert_int_equal(run_sh("printf '1.0\\t1.0a\\n1.0.0\\t1\\n1.0p1\\t1.0\\tp_is_patch\\t-\\n"
                            "1.0.1\\t1.0\\t-\\tupper_bound\\n\\t0\\n2.0\\t1.0' | \"$PF\" vercmp -",
                            &out, &err),
                     0);
    assert_string_equal(out, "<\n=\n>\n<\n=\n>\n");
    free(out);
    free(err);
    /* --flags-a/--flags-b are the defaults for lines without flag fields */
    assert_int_equal(run_sh("printf '1.0p1\\t1.0\\n1.0p1\\t1.0\\t-\\t-\\r\\n' | "
                            "\"$PF\" vercmp --flags-a p_is_patch -",
                            &out, &err),
                     0);
    assert_string_equal(out, ">\n<\n");
    free(out);
    free(err);
    assert_int_equal(
        run_sh("printf '1\\t2\\n1\\t2\\tnope\\t-\\n3\\t4\\n' | \"$PF\" vercmp -", &out, &err), 2);
    assert_non_null(strstr(err, "line 2"));
    free(out);
    free(err);
    assert_int_equal(run_sh("printf '1\\t2\\nno-tab-here\\n' | \"$PF\" vercmp -", &out, &err), 2);
    assert_non_null(strstr(err, "line 2"));
    free(out);
    free(err);
    assert_int_equal(run_sh("printf '1\\t2\\t-\\n' | \"$PF\" vercmp -", &out, &err), 2);
    assert_non_null(strstr(err, "line 1"));
    free(out);
    free(err);
    /* every libversion case through the command, flags included */
    const char *path = tu_realdata("libversion/version_cases.tsv");
    if (!path)
        return;
    char script[1024];
    snprintf(
        script, sizeof script,
        "grep -v '^#' '%s' | awk -F'\\t' 'BEGIN{OFS=\"\\t\"} {fa=\"\"; fb=\"\"; "
        "n=split($4, f, \",\"); for (i=1;i<=n;i++) { if (f[i]==\"-\") continue; "
        "s=substr(f[i],1,1); v=tolower(substr(f[i],3)); if (s==\"A\") fa=fa (fa?\",\":\"\") v; "
        "else fb=fb (fb?\",\":\"\") v } print $1, $3, (fa?fa:\"-\"), (fb?fb:\"-\") }' | "
        "\"$PF\" vercmp - | tr -d '\\n'; printf '|'; grep -v '^#' '%s' | cut -f2 | tr -d '\\n'",
        path, path);
    assert_int_equal(run_sh(script, &out, &err), 0);
    char *bar = strchr(out, '|');
    assert_non_null(bar);
    *bar = '\0';
    assert_int_equal(strlen(out), 636);
    assert_string_equal(out, bar + 1);
    free(out);
    free(err);
}

/* Run every group test. */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_libversion_cases), cmocka_unit_test(test_comparison_suite),
        cmocka_unit_test(test_doc_ascending),    cmocka_unit_test(test_doc_examples),
        cmocka_unit_test(test_long_numbers),     cmocka_unit_test(test_edge_inputs),
        cmocka_unit_test(test_antisymmetry),     cmocka_unit_test(test_transitivity),
        cmocka_unit_test(test_differential),     cmocka_unit_test(test_vflags_parse),
        cmocka_unit_test(test_cli_args),         cmocka_unit_test(test_cli_stdin),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
