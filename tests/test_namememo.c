/*
 * test_namememo.c — analyzer/namememo.c, the naming memo: whatever it
 * answers equals naming the row (an_name), and it answers whenever that is
 * sure.
 *
 * 1. Hand-made rules that read the category, the homepage and the rule set
 *    names: a row that differs from a remembered one only in inputs no rule
 *    read is answered from the memo; one that differs in an input a rule
 *    read, in NULL against "", or in its naming class is named anew.
 * 2. The community ruleset (realdata, skipped when absent) over real
 *    Debian/Ubuntu names, each in three repositories of two classes, in
 *    batches through an_name_batch on two threads: every result equals
 *    an_name's, the second repository of a class is answered, and another
 *    maintainer (which a Debian rule reads) is not.
 * 3. A tiny budget: the memo empties itself and the results stay right.
 * 4. A memo that answers almost nothing gives up after its trial.
 */
#include "rpkg.h"
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../analyzer/namememo.h"
#include "../analyzer/naming.h"

static const char *const DEB[] = {"debuntu", "debian"};
static const char *const UBU[] = {"debuntu", "ubuntu"};

/* Write yaml as the single file of a fresh temp dir and load it. */
static pf_rules *load_text(const char *tag, const char *yaml)
{
    char err[512];
    pf_rules *r = tu_rules_load_text(tag, yaml, err, sizeof err);
    if (!r)
        fprintf(stderr, "%s\n", err);
    assert_non_null(r);
    return r;
}

/* A job for row in a Debian-like repository with the given rule sets. */
static an_job job_for(const pf_pkg_row *row, const char *const *rs)
{
    an_job j;
    memset(&j, 0, sizeof j);
    j.row = row;
    j.scheme = PF_VS_DEBIAN;
    j.family = "debuntu";
    j.rulesets = rs;
    j.nrulesets = 2;
    return j;
}

/* The outputs of two namings are equal. */
static void assert_same(const an_job *x, const an_job *y)
{
    assert_int_equal(x->rc, y->rc);
    assert_string_equal(x->rp.name, y->rp.name);
    assert_string_equal(x->rp.version, y->rp.version);
    assert_string_equal(x->rp.flavor, y->rp.flavor);
    assert_string_equal(x->rp.branch, y->rp.branch);
    assert_int_equal(x->rp.flags, y->rp.flags);
    assert_int_equal(x->rp.removed, y->rp.removed);
}

/* Look row up in class cls: on a hit, check against an_name and return 1;
 * on a miss, name it, remember it and return 0. */
static int lookup(an_memo *m, const pf_rules *r, uint32_t cls, const pf_pkg_row *row,
                  const char *const *rs, an_job *out)
{
    an_job direct = job_for(row, rs), memo = job_for(row, rs);
    an_name(r, &direct);
    int hit = an_memo_get(m, cls, &memo);
    if (hit)
        assert_same(&memo, &direct);
    else
        assert_int_equal(an_memo_put(m, cls, &direct), 0);
    if (out)
        *out = direct;
    return hit;
}

static void test_read_inputs_decide(void **state)
{
    (void)state;
    pf_rules *r = load_text("memo-hand", "- { name: foo, category: games, setname: foo-game }\n"
                                         "- { name: bar, wwwpart: example.org, setname: bar-ex }\n"
                                         "- { ruleset: ubuntu, name: baz, setname: baz-ubu }\n");
    an_memo *m = an_memo_new(0);
    assert_non_null(m);
    an_job jd = job_for(NULL, DEB), ju = job_for(NULL, UBU);
    uint32_t deb = an_memo_class(m, &jd), ubu = an_memo_class(m, &ju);
    assert_true(deb && ubu && deb != ubu);
    assert_int_equal(an_memo_class(m, &jd), deb); /* the same facts, the same class */
    an_job out;
    pf_pkg_row foo = {.srcname = "foo",
                      .raw_version = "1.0-1",
                      .category = "games",
                      .maintainers = "a@example.org",
                      .summary = "a game"};
    assert_false(lookup(m, r, deb, &foo, DEB, &out));
    assert_string_equal(out.rp.name, "foo-game");
    /* another maintainer and summary: no rule read them */
    pf_pkg_row foo2 = foo;
    foo2.maintainers = "b@example.org";
    foo2.summary = NULL;
    assert_true(lookup(m, r, deb, &foo2, DEB, NULL));
    /* another category: the rule read it */
    pf_pkg_row foo3 = foo;
    foo3.category = "libs";
    assert_false(lookup(m, r, deb, &foo3, DEB, &out));
    assert_string_equal(out.rp.name, "foo");
    assert_true(lookup(m, r, deb, &foo3, DEB, NULL)); /* remembered beside the first */
    /* the homepage: NULL, "" and a matching one are three inputs */
    pf_pkg_row bar = {.srcname = "bar", .raw_version = "2"};
    assert_false(lookup(m, r, deb, &bar, DEB, &out));
    assert_string_equal(out.rp.name, "bar");
    pf_pkg_row bar2 = bar;
    bar2.homepage = "";
    assert_false(lookup(m, r, deb, &bar2, DEB, NULL));
    bar2.homepage = "https://example.org/bar";
    assert_false(lookup(m, r, deb, &bar2, DEB, &out));
    assert_string_equal(out.rp.name, "bar-ex");
    assert_true(lookup(m, r, deb, &bar2, DEB, NULL));
    /* the version and the binary names are part of the key */
    pf_pkg_row bar3 = bar;
    bar3.raw_version = "3";
    assert_false(lookup(m, r, deb, &bar3, DEB, NULL));
    bar3.binnames = "bar-utils";
    assert_false(lookup(m, r, deb, &bar3, DEB, NULL));
    /* another class: named anew, and differently */
    pf_pkg_row baz = {.srcname = "baz", .raw_version = "1"};
    assert_false(lookup(m, r, deb, &baz, DEB, &out));
    assert_string_equal(out.rp.name, "baz");
    assert_false(lookup(m, r, ubu, &baz, UBU, &out));
    assert_string_equal(out.rp.name, "baz-ubu");
    assert_true(lookup(m, r, ubu, &baz, UBU, NULL));
    size_t hits, misses, entries;
    an_memo_counts(m, &hits, &misses, &entries);
    assert_int_equal(hits, 4);
    assert_int_equal(entries, misses);
    an_memo_free(m);
    pf_rules_free(r);
}

/* Real source packages of Debian 13 / Ubuntu 24.04 (srcname, binnames,
 * version, homepage, section), the kinds the community rules rename. */
static const char *const REAL[][5] = {
    {"python-requests", "python3-requests", "2.32.3+dfsg-5", "https://requests.readthedocs.io/",
     "python"},
    {"libio-socket-ssl-perl", "libio-socket-ssl-perl", "2.089-1",
     "https://metacpan.org/release/IO-Socket-SSL", "perl"},
    {"ruby-rack", "ruby-rack", "3.1.16-0.1", "https://github.com/rack/rack", "ruby"},
    {"golang-github-spf13-cobra", "golang-github-spf13-cobra-dev", "1.8.1-1",
     "https://github.com/spf13/cobra", "golang"},
    {"node-lodash", "node-lodash", "4.17.21+dfsg+~cs8.31.198.20210220-9", "https://lodash.com/",
     "javascript"},
    {"r-cran-ggplot2", "r-cran-ggplot2", "3.5.1+dfsg-1",
     "https://cran.r-project.org/package=ggplot2", "gnu-r"},
    {"haskell-aeson", "libghc-aeson-dev", "2.1.2.1-1", "https://github.com/haskell/aeson",
     "haskell"},
    {"fonts-dejavu", "fonts-dejavu-core", "2.37-8", "https://dejavu-fonts.github.io/", "fonts"},
    {"linux", "linux-image-amd64", "6.12.38-1", "https://www.kernel.org/", "kernel"},
    {"curl", "curl libcurl4t64", "8.14.1-2", "https://curl.se/", "web"},
    {"qtbase-opensource-src", "libqt5core5t64", "5.15.15+dfsg-6", "https://www.qt.io/", "libs"},
    {"gcc-14", "gcc-14 cpp-14", "14.2.0-19", "http://gcc.gnu.org/", "devel"},
    {"firefox-esr", "firefox-esr", "128.12.0esr-1", "https://www.mozilla.org/", "web"},
    {"emacs", "emacs emacs-gtk", "1:30.1+1-6", "https://www.gnu.org/software/emacs/", "editors"},
    {"vim", "vim vim-tiny", "2:9.1.1230-2", "https://www.vim.org/", "editors"},
};
#define NREAL (sizeof REAL / sizeof REAL[0])

static void test_community_batches(void **state)
{
    (void)state;
    const char *dir = tu_realdata("repology-rules");
    if (!dir)
        skip();
    char err[512];
    pf_rules *r = pf_rules_load(dir, err, sizeof err);
    assert_non_null(r);
    an_memo *m = an_memo_new(0);
    assert_non_null(m);
    /* debian_12, debian_13 (one class), ubuntu_24_04 (another) */
    const char *const *rs[3] = {DEB, DEB, UBU};
    pf_pkg_row rows[3 * NREAL];
    an_job jobs[3 * NREAL], direct[3 * NREAL];
    for (size_t k = 0; k < 3; k++) {
        an_job probe = job_for(NULL, rs[k]);
        uint32_t cls = an_memo_class(m, &probe);
        assert_true(cls != 0);
        for (size_t i = 0; i < NREAL; i++) {
            pf_pkg_row *row = &rows[k * NREAL + i];
            *row = (pf_pkg_row){.srcname = REAL[i][0],
                                .binnames = REAL[i][1],
                                .raw_version = REAL[i][2],
                                .homepage = REAL[i][3],
                                .category = REAL[i][4],
                                .maintainers = k < 2 ? "x@d.o" : "y@d.o"};
            jobs[k * NREAL + i] = job_for(row, rs[k]);
            jobs[k * NREAL + i].memo_class = cls;
            direct[k * NREAL + i] = job_for(row, rs[k]);
            an_name(r, &direct[k * NREAL + i]);
        }
        /* one batch per repository, on two threads */
        an_name_batch(r, m, &jobs[k * NREAL], NREAL, 2);
    }
    for (size_t i = 0; i < 3 * NREAL; i++)
        assert_same(&jobs[i], &direct[i]);
    assert_string_equal(direct[0].rp.name, "python:requests"); /* the rules did work */
    size_t hits, misses, entries;
    an_memo_counts(m, &hits, &misses, &entries);
    assert_int_equal(hits, NREAL); /* debian_13 repeats debian_12 */
    assert_int_equal(misses, 2 * NREAL);
    /* a Debian maintainer rule reads every debuntu row's maintainers (200.blacklists):
     * another maintainer is another input */
    pf_pkg_row other = rows[0];
    other.maintainers = "debian-qt-kde@lists.debian.org";
    an_job j = job_for(&other, DEB);
    assert_false(an_memo_get(m, jobs[0].memo_class, &j));
    an_name(r, &j);
    assert_true(j.rp.flags != direct[0].rp.flags); /* untrusted */
    an_memo_free(m);
    pf_rules_free(r);
}

static void test_small_budget(void **state)
{
    (void)state;
    pf_rules *r = load_text("memo-budget", "- { namepat: \"lib(.*)\", setname: \"$1\" }\n");
    an_memo *m = an_memo_new(512 << 10); /* about 10k entries */
    assert_non_null(m);
    an_job probe = job_for(NULL, DEB);
    uint32_t cls = an_memo_class(m, &probe);
    enum { N = 20000 };
    static char names[N][32];
    static pf_pkg_row rows[N];
    for (int i = 0; i < N; i++) {
        snprintf(names[i], sizeof names[i], "libthing%d", i);
        rows[i] = (pf_pkg_row){.srcname = names[i], .raw_version = "1.2-3"};
    }
    int hits = 0;
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < N; i++) {
            an_job out;
            hits += lookup(m, r, cls, &rows[i], DEB, &out);
            char want[40];
            snprintf(want, sizeof want, "thing%d", i);
            assert_string_equal(out.rp.name, want);
        }
    size_t h, mi, entries;
    an_memo_counts(m, &h, &mi, &entries);
    assert_true(entries < N); /* it started over */
    assert_true(entries > 0);
    assert_int_equal((size_t)hits, h);
    an_memo_free(m);
    pf_rules_free(r);
}

static void test_gives_up(void **state)
{
    (void)state;
    pf_rules *r = load_text("memo-trial", "- { name: never-matches, setname: x }\n");
    an_memo *m = an_memo_new(0);
    assert_non_null(m);
    an_job probe = job_for(NULL, DEB);
    uint32_t cls = an_memo_class(m, &probe);
    char name[32];
    pf_pkg_row row = {.srcname = name, .raw_version = "1"};
    snprintf(name, sizeof name, "first");
    assert_false(lookup(m, r, cls, &row, DEB, NULL));
    assert_true(lookup(m, r, cls, &row, DEB, NULL)); /* remembered */
    for (int i = 0; i < 140000; i++) {               /* every one new: past the trial */
        snprintf(name, sizeof name, "p%d", i);
        lookup(m, r, cls, &row, DEB, NULL);
    }
    size_t hits, misses, entries;
    an_memo_counts(m, &hits, &misses, &entries);
    assert_int_equal(entries, 0); /* its memory given back */
    snprintf(name, sizeof name, "first");
    assert_false(lookup(m, r, cls, &row, DEB, NULL)); /* and nothing answered any more */
    an_memo_free(m);
    pf_rules_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read_inputs_decide),
        cmocka_unit_test(test_community_batches),
        cmocka_unit_test(test_small_budget),
        cmocka_unit_test(test_gives_up),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
