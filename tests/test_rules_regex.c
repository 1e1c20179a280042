/*
 * test_rules_regex.c — the rule regexes (analyzer/rules_regex.c): checked
 * when the rules load, compiled on first use, from any thread.
 *
 * 1. The scan's promise: every pattern pfr_regex_plain vouches for compiles
 *    (100,000 generated patterns from the syntax it knows and the syntax it
 *    must refuse; every pattern of the community ruleset).
 * 2. Lazy: after a load no regex is compiled; applying a package compiles
 *    the regexes it tried, no others.
 * 3. Threads: eight threads apply a ruleset of 400 regexes, all uncompiled,
 *    to the same packages at once (from a barrier): each result equals the
 *    one-thread result, and every regex ends up compiled once (under SAN=1,
 *    ASan reports a code lost or freed twice by the publishing race).
 * 4. A bad regex still fails the load with its file and line, whether the
 *    scan or PCRE2 refuses it; `pkgfresh rules check DIR` exits 2 with it.
 */
#include "testutil.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../analyzer/rules.h"
#include "pkgfresh/record.h"

#include "rpkg.h"

/* pcre2_compile with the rules' options succeeds on src. */
static int compiles(const char *src)
{
    int ec;
    PCRE2_SIZE off;
    pcre2_code *c = pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED,
                                  PCRE2_ANCHORED | PCRE2_ENDANCHORED, &ec, &off, NULL);
    pcre2_code_free(c);
    return c != NULL;
}

/* ------------------------------------------------------------ 1. the scan's promise */

/* Generated patterns: whatever the scan vouches for compiles. */
static void test_plain_generated(void **state)
{
    (void)state;
    /* pieces of the plain subset, of what it leaves to PCRE2, and of errors */
    static const char *const tok[] = {
        "a",    "b",    "-",     ".",     "\\d",       "\\W",     "\\.",   "\\-",
        "\\",   "(",    "(?:",   ")",     "(?=",       "(?i)",    "[",     "]",
        "[^",   "a-z",  "z-a",   "\\d-z", "*",         "+",       "?",     "*?",
        "++",   "{2}",  "{1,3}", "{3,1}", "{2,}",      "{,2}",    "{0}",   "{99999}",
        "|",    "^",    "$",     "{",     "}",         ",",       "0",     " ",
        "\\b",  "\\1",  "[]",    "]-",    "[:alpha:]", "[.a.]",   "[=a=]", "[^:a:]",
        "\x01", "\xe9", "#",     "(a)",   "[0-9]",     "x{1000}", ")*"};
    enum { N = 100000 };
    uint64_t seed = 0x9e3779b97f4a7c15ull;
    size_t vouched = 0, refused_bad = 0;
    char pat[256];
    for (int i = 0; i < N; i++) {
        size_t len = 0, ntok = 1 + tu_rand(&seed) % 9;
        pat[0] = '\0';
        for (size_t t = 0; t < ntok; t++) {
            const char *p = tok[tu_rand(&seed) % (sizeof tok / sizeof *tok)];
            size_t n = strlen(p);
            if (len + n >= sizeof pat)
                break;
            memcpy(pat + len, p, n + 1);
            len += n;
        }
        int ok = compiles(pat);
        if (pfr_regex_plain(pat)) {
            vouched++;
            if (!ok)
                fail_msg("the scan vouched for \"%s\", which does not compile", pat);
        } else if (!ok) {
            refused_bad++;
        }
    }
    /* the generator reaches both sides: plain patterns and errors */
    assert_true(vouched > N / 20);
    assert_true(refused_bad > N / 20);
}

/* Hand-picked: the subset's edges. */
static void test_plain_cases(void **state)
{
    (void)state;
    static const char *const yes[] = {"",
                                      "foo",
                                      "[0-9]+(\\.[0-9]+){2}-[0-9]+",
                                      "([0-9]+\\.){3}[0-9]{7,}",
                                      "(?:lib)?fmt[0-9.-]*",
                                      "py3?-(.*)",
                                      "[]a]",
                                      "[^]a-]",
                                      "a*?b+?c??d*+",
                                      "\\.net-(.*)",
                                      "x{0,5}y{2,}z{3}",
                                      "]}"};
    static const char *const no[] = {"(unclosed", "a)",       "[a-",         "[z-a]",   "*a",
                                     "a**",       "a{3,1}",   "(?=x)y",      "(?i)x",   "\\1",
                                     "\\b",       "x\\",      "[[:alpha:]]", "a{2}{3}", "(a){2000}",
                                     "^*",        "(?P<n>a)", "a|*",         "[\\d-z]", "(?:"};
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
        if (!pfr_regex_plain(yes[i]))
            fail_msg("the scan refused plain \"%s\"", yes[i]);
        assert_true(compiles(yes[i]));
    }
    for (size_t i = 0; i < sizeof no / sizeof *no; i++)
        if (pfr_regex_plain(no[i]))
            fail_msg("the scan vouched for \"%s\"", no[i]);
    /* a group copied so many times that PCRE2 would run out of room */
    char big[64];
    snprintf(big, sizeof big, "((((a{1000}){1000}){1000}){1000})");
    assert_false(pfr_regex_plain(big));
}

/* The community ruleset: nearly every pattern is plain, each of those compiles. */
static void test_plain_community(void **state)
{
    (void)state;
    const char *dir = tu_realdata("repology-rules");
    if (!dir)
        skip();
    char err[512];
    pf_rules *r = pf_rules_load(dir, err, sizeof err);
    if (!r)
        fail_msg("%s", err);
    size_t n = 0, plain = 0;
    for (pfr_regex *rx = r->regexes; rx; rx = rx->next, n++) {
        assert_false(pfr_regex_compiled(rx)); /* lazy: nothing compiled by the load */
        if (!rx->checked) {
            plain++;
            if (!compiles(rx->src))
                fail_msg("vouched-for \"%s\" does not compile", rx->src);
        }
    }
    assert_int_equal(n, 4279); /* 1,091 namepat + 3,167 verpat + 10 wwwpat + 11 categorypat */
    assert_true(plain >= 4270);
    pf_rules_free(r);
}

/* ------------------------------------------------------------ 2. lazy */

static void test_lazy(void **state)
{
    (void)state;
    char err[512];
    pf_rules *r = tu_rules_load_text("rx_lazy",
                                     "- { name: foo, verpat: \"1\\\\..*\", devel: true }\n"
                                     "- { name: bar, verpat: \"2\\\\..*\", devel: true }\n"
                                     "- { namepat: \"baz(.*)\", setname: \"baz\" }\n"
                                     "- { name: foo, wwwpat: \".*example.*\", addflavor: web }\n"
                                     "- { name: foo, namepat: \"(?=f)foo\", setname: quux }\n",
                                     err, sizeof err);
    if (!r)
        fail_msg("%s", err);
    pfr_regex *foo_ver = r->rules[0].verpat, *bar_ver = r->rules[1].verpat;
    pfr_regex *baz = r->rules[2].namepat, *www = r->rules[3].rare->wwwpat;
    pfr_regex *look = r->rules[4].namepat;
    assert_null(foo_ver->checked);
    assert_non_null(look->checked); /* a lookahead: compiled by the load to check it */
    for (pfr_regex *rx = r->regexes; rx; rx = rx->next)
        assert_false(pfr_regex_compiled(rx));

    pf_rpkg p;
    tu_rpkg_debian(&p, "foo", "1.5");
    p.homepage = "https://example.org/";
    assert_int_equal(pf_rules_apply(r, &p), 0);
    assert_true(p.flags & PF_F_DEVEL);
    assert_string_equal(p.flavor, "web");
    assert_string_equal(p.name, "quux");
    assert_true(pfr_regex_compiled(foo_ver));
    assert_true(pfr_regex_compiled(www));
    assert_true(pfr_regex_compiled(look));
    assert_false(pfr_regex_compiled(bar_ver)); /* only for packages called bar */
    assert_false(pfr_regex_compiled(baz));     /* only for names holding "ba" */
    /* once compiled, the same code serves every later call */
    const pcre2_code *code = pfr_regex_code(foo_ver);
    tu_rpkg_debian(&p, "foo", "2.0");
    assert_int_equal(pf_rules_apply(r, &p), 0);
    assert_false(p.flags & PF_F_DEVEL);
    assert_ptr_equal(pfr_regex_code(foo_ver), code);
    tu_rpkg_debian(&p, "bazooka", "1");
    assert_int_equal(pf_rules_apply(r, &p), 0);
    assert_string_equal(p.name, "baz");
    assert_true(pfr_regex_compiled(baz));
    pf_rules_free(r);
}

/* ------------------------------------------------------------ 3. threads */

enum { T_THREADS = 8, T_RULES = 200, T_PKGS = 1200 };

typedef struct tpkg {
    char name[64], version[32];
} tpkg;

typedef struct tout {
    char name[512], version[256], flavor[128];
    unsigned flags;
    int rc;
} tout;

typedef struct tjob {
    const pf_rules *r;
    const tpkg *pkgs;
    tout *out;
    pthread_barrier_t *start;
} tjob;

/* Apply the rules to every package, in order, into job->out. */
static void apply_all(const pf_rules *r, const tpkg *pkgs, tout *out)
{
    for (size_t i = 0; i < T_PKGS; i++) {
        pf_rpkg p;
        tu_rpkg_debian(&p, pkgs[i].name, pkgs[i].version);
        out[i].rc = pf_rules_apply(r, &p);
        memcpy(out[i].name, p.name, sizeof p.name);
        memcpy(out[i].version, p.version, sizeof p.version);
        memcpy(out[i].flavor, p.flavor, sizeof p.flavor);
        out[i].flags = p.flags;
    }
}

/* Thread body: wait for the others, then apply everything. */
static void *tmain(void *arg)
{
    tjob *j = arg;
    pthread_barrier_wait(j->start);
    apply_all(j->r, j->pkgs, j->out);
    return NULL;
}

/* A ruleset of T_RULES namepat and T_RULES verpat rules, all distinct regexes. */
static char *thread_rules(void)
{
    size_t cap = 160 * 2 * T_RULES, n = 0;
    char *y = malloc(cap);
    assert_non_null(y);
    for (int i = 0; i < T_RULES; i++) {
        n += (size_t)snprintf(y + n, cap - n,
                              "- { namepat: \"pk%d-([a-z]+)(-git)?\", setname: \"p%d:$1\", "
                              "addflavor: \"$2\" }\n",
                              i, i);
        n += (size_t)snprintf(y + n, cap - n,
                              "- { name: \"p%d:x\", verpat: \"%d\\\\.([0-9]+)(rc[0-9])?\", "
                              "setver: \"$1\" }\n",
                              i % 7, i);
    }
    return y;
}

static void test_threads(void **state)
{
    (void)state;
    char *yaml = thread_rules();
    tpkg *pkgs = calloc(T_PKGS, sizeof *pkgs);
    tout *want = calloc(T_PKGS, sizeof *want);
    tout *got = calloc((size_t)T_THREADS * T_PKGS, sizeof *got);
    assert_true(pkgs && want && got);
    for (int i = 0; i < T_PKGS; i++) {
        snprintf(pkgs[i].name, sizeof pkgs[i].name, "pk%d-%s%s", (i * 37) % T_RULES,
                 i % 3 ? "x" : "other", i % 5 ? "" : "-git");
        snprintf(pkgs[i].version, sizeof pkgs[i].version, "%d.%d%s", (i * 11) % T_RULES, i % 9,
                 i % 4 ? "" : "rc1");
    }
    char err[512];
    pf_rules *r = tu_rules_load_text("rx_threads", yaml, err, sizeof err);
    if (!r)
        fail_msg("%s", err);
    apply_all(r, pkgs, want);
    size_t used = 0;
    for (pfr_regex *rx = r->regexes; rx; rx = rx->next)
        used += pfr_regex_compiled(rx);
    assert_true(used > T_RULES); /* both kinds of regex were reached */
    pf_rules_free(r);

    r = tu_rules_load_text("rx_threads", yaml, err, sizeof err); /* again: nothing compiled */
    assert_non_null(r);
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, T_THREADS);
    pthread_t th[T_THREADS];
    tjob jobs[T_THREADS];
    for (int t = 0; t < T_THREADS; t++) {
        jobs[t] = (tjob){r, pkgs, got + (size_t)t * T_PKGS, &start};
        assert_int_equal(pthread_create(&th[t], NULL, tmain, &jobs[t]), 0);
    }
    for (int t = 0; t < T_THREADS; t++)
        pthread_join(th[t], NULL);
    pthread_barrier_destroy(&start);
    for (int t = 0; t < T_THREADS; t++)
        for (int i = 0; i < T_PKGS; i++) {
            const tout *a = &want[i], *b = &got[(size_t)t * T_PKGS + i];
            if (a->rc || b->rc || strcmp(a->name, b->name) || strcmp(a->version, b->version) ||
                strcmp(a->flavor, b->flavor) || a->flags != b->flags)
                fail_msg("thread %d, %s %s: %s %s [%s] %d, alone %s %s [%s] %d", t, pkgs[i].name,
                         pkgs[i].version, b->name, b->version, b->flavor, b->rc, a->name,
                         a->version, a->flavor, a->rc);
        }
    size_t used_mt = 0;
    for (pfr_regex *rx = r->regexes; rx; rx = rx->next)
        used_mt += pfr_regex_compiled(rx);
    assert_int_equal(used_mt, used);
    pf_rules_free(r);
    free(yaml);
    free(pkgs);
    free(want);
    free(got);
}

/* ------------------------------------------------------------ 4. errors */

static void test_bad_regex(void **state)
{
    (void)state;
    /* each bad pattern on line 3 of a file, after two good rules */
    static const struct {
        const char *key, *pat;
    } bad[] = {
        {"namepat", "(unclosed"}, {"namepat", "[z-a]"},
        {"verpat", "1{3,1}"},     {"verpat", "*1"},
        {"namepat", "a**"},       {"namepat", "(?<=a+)b"},
        {"wwwpat", "x\\\\"},      {"categorypat", "(?P<n>a)(?P<n>b)"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char yaml[512], err[512] = "", want[128];
        snprintf(yaml, sizeof yaml,
                 "- { name: foo, verpat: \"1\\\\.[0-9]+\", devel: true }\n"
                 "- { namepat: \"lib(.*)\", setname: \"$1\" }\n"
                 "- { name: foo, %s: \"%s\", ignore: true }\n",
                 bad[i].key, bad[i].pat);
        pf_rules *r = tu_rules_load_text("rx_bad", yaml, err, sizeof err);
        if (r) {
            pf_rules_free(r);
            fail_msg("bad %s \"%s\" loaded", bad[i].key, bad[i].pat);
        }
        snprintf(want, sizeof want, "rules.yaml:3: bad %s \"", bad[i].key);
        if (!strstr(err, want) || !strstr(err, "at offset"))
            fail_msg("bad %s \"%s\": '%s'", bad[i].key, bad[i].pat, err);
    }

    /* the command line: exit 2, file and line on stderr */
    char dir[4096];
    snprintf(dir, sizeof dir, "%s",
             tu_rules_write("rx_bad_cli", "- { name: a }\n- { name: b, verpat: \"[b-a]\" }\n"));
    char *out = NULL, *errout = NULL;
    char *const argv[] = {(char *)tu_pkgfresh(), "rules", "check", dir, NULL};
    assert_int_equal(tu_run(argv, &out, &errout), 2);
    assert_non_null(errout);
    if (!strstr(errout, "rules.yaml:2: bad verpat \"[b-a]\""))
        fail_msg("stderr: %s", errout);
    free(out);
    free(errout);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_generated), cmocka_unit_test(test_plain_cases),
        cmocka_unit_test(test_plain_community), cmocka_unit_test(test_lazy),
        cmocka_unit_test(test_threads),         cmocka_unit_test(test_bad_regex),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
