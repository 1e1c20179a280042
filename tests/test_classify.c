/*
 * test_classify.c — table-driven tests of the per-project classifier.
 *
 * Each scenario is one project: packages (repo, family, version, flags,
 * flavor, branch) and the status Repology would give each. Scenarios follow
 * repology-model.md §1 and the situations Repology's own classifier tests
 * describe (re-expressed here with our own data). Every scenario is also run
 * with its input reversed and rotated: the result must not depend on order.
 */
#include "testutil.h"

#include "pkgfresh/classify.h"
#include "pkgfresh/record.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Short flag names for the tables. */
#define DEV   PF_F_DEVEL
#define WDEV  PF_F_WEAK_DEVEL
#define STAB  PF_F_STABLE
#define IGN   PF_F_IGNORE
#define INC   PF_F_INCORRECT
#define UNT   PF_F_UNTRUSTED
#define NOS   PF_F_NOSCHEME
#define ROL   PF_F_ROLLING
#define SINK  PF_F_SINK
#define LEGF  PF_F_LEGACY
#define NOLEG PF_F_NOLEGACY
#define OUTD  PF_F_OUTDATED
#define REC   PF_F_RECALLED
#define PIP   PF_F_P_IS_PATCH
#define AIP   PF_F_ANY_IS_PATCH
#define ALTV  PF_F_ALTVER
#define ALTS  PF_F_ALTSCHEME

/* Short status names for the tables. */
#define NEW PF_S_NEWEST
#define OUT PF_S_OUTDATED
#define IGD PF_S_IGNORED
#define UNQ PF_S_UNIQUE
#define DVL PF_S_DEVEL
#define LEG PF_S_LEGACY
#define INS PF_S_INCORRECT
#define UNS PF_S_UNTRUSTED
#define NSS PF_S_NOSCHEME
#define ROS PF_S_ROLLING

#define MAXP 40

/* One package of a scenario with its expected status. */
typedef struct tpkg {
    int repo, family;
    const char *version;
    unsigned flags;
    const char *flavor;
    const char *branch;
    int expect;
} tpkg;

/* One project; pkgs ends at the first entry with version NULL. */
typedef struct scenario {
    const char *name;
    tpkg pkgs[MAXP];
} scenario;

/* Package in its own family (Repology's test default), no flavor, no branch. */
#define R(repo, ver, fl, st)                                                                       \
    {                                                                                              \
        (repo), (repo), (ver), (fl), "", NULL, (st)                                                \
    }
/* Package with an explicit family. */
#define RF(repo, fam, ver, fl, st)                                                                 \
    {                                                                                              \
        (repo), (fam), (ver), (fl), "", NULL, (st)                                                 \
    }
/* Package with a flavor. */
#define RV(repo, ver, fl, flv, st)                                                                 \
    {                                                                                              \
        (repo), (repo), (ver), (fl), (flv), NULL, (st)                                             \
    }
/* Package with a flavor and a branch. */
#define RB(repo, ver, fl, flv, br, st)                                                             \
    {                                                                                              \
        (repo), (repo), (ver), (fl), (flv), (br), (st)                                             \
    }

static const scenario scenarios[] = {
    /* --- basic newest / outdated / unique --- */
    {"newest_outdated_across_families",
     {R(0, "1.2", 0, NEW), R(1, "1.1", 0, OUT), R(2, "1.2", 0, NEW), R(3, "1.2.0", 0, NEW)}},
    {"unique_single_package", {R(0, "3.0", 0, UNQ)}},
    {"unique_one_family_two_repos", {RF(0, 7, "2.0", 0, UNQ), RF(1, 7, "1.9", 0, OUT)}},
    {"unique_one_family_devel_and_legacy",
     {RF(1, 1, "3.0beta2", DEV, UNQ), RF(2, 1, "2.4", 0, UNQ), RF(3, 1, "2.3", 0, OUT),
      RF(3, 1, "2.2", 0, LEG)}},

    /* --- devel vs stable --- */
    {"devel_above_stable",
     {R(0, "4.0rc1", DEV, DVL), R(0, "3.9", 0, NEW), R(1, "3.9", 0, NEW), R(2, "3.8", 0, OUT),
      R(3, "4.0beta1", DEV, OUT)}},
    {"beta_older_than_stable_is_outdated",
     {R(0, "5.1", 0, NEW), R(1, "5.1beta3", DEV, OUT), R(2, "5.0", 0, OUT)}},
    {"outdated_in_devel_and_stable_at_once",
     {R(0, "3.0beta1", DEV, DVL), R(0, "2.9", 0, NEW), R(1, "3.0alpha1", DEV, OUT),
      R(1, "2.8", 0, OUT)}},
    {"devel_flag_spreads_to_its_group",
     {R(0, "2.1", DEV, DVL), R(0, "2.0", DEV, LEG), R(1, "2.1", 0, DVL), R(1, "2.0", 0, LEG)}},
    {"devel_below_stable_is_plain_old",
     {R(0, "2.1", 0, NEW), R(0, "2.0", DEV, LEG), R(1, "2.1", 0, NEW), R(1, "2.0", DEV, LEG)}},
    {"devel_only_project",
     {R(0, "7.0rc1.20990101", IGN | DEV, IGD), R(0, "7.0beta1", DEV, DVL),
      R(0, "7.0alpha1.20990101", IGN | DEV, LEG), R(0, "7.0alpha1", DEV, LEG),
      R(1, "7.0beta1", DEV, DVL), R(1, "7.0alpha1", DEV, LEG), R(2, "7.0alpha1", DEV, OUT)}},
    {"weak_devel_all_members",
     {R(0, "2.1", WDEV, DVL), R(0, "2.0", WDEV, NEW), R(1, "2.0", 0, NEW)}},
    {"weak_devel_some_members",
     {R(0, "2.1", WDEV, NEW), R(0, "2.0", WDEV, LEG), R(1, "2.1", 0, NEW), R(1, "2.0", 0, LEG)}},
    {"stable_overrides_devel",
     {R(0, "2.1", DEV, NEW), R(0, "2.0", DEV, LEG), R(1, "2.1", STAB, NEW), R(1, "2.0", 0, LEG)}},

    /* --- legacy and flavors --- */
    {"legacy_same_repo_same_flavor",
     {R(0, "2.1", 0, NEW), R(0, "2.0", 0, LEG), R(0, "1.9", 0, LEG), R(1, "2.1", 0, NEW),
      R(2, "2.0", 0, OUT), R(2, "1.0", 0, LEG)}},
    {"different_flavor_is_outdated_not_legacy",
     {R(1, "2.2", 0, NEW), RV(2, "2.1", 0, "", OUT), RV(2, "2.0", 0, "", LEG),
      RV(3, "2.1", 0, "", OUT), RV(3, "2.0", 0, "server", OUT), RV(4, "2.1", 0, "server", OUT),
      RV(4, "2.0", 0, "", OUT), RV(5, "2.1", 0, "server", OUT), RV(5, "2.0", 0, "server", LEG)}},
    {"same_version_twice_same_status",
     {R(2, "2.2", 0, NEW), R(1, "2.1", 0, OUT), R(1, "2.1", 0, OUT)}},
    {"many_legacy_duplicates",
     {R(2, "2.2", 0, NEW), R(1, "2.1", 0, OUT), R(1, "2.0", 0, LEG), R(1, "2.0", 0, LEG),
      R(1, "1.9", 0, LEG), R(1, "1.9", 0, LEG), R(1, "1.8", 0, LEG)}},
    {"legacy_flag_forces_legacy",
     {R(0, "2.0", 0, NEW), R(1, "1.0", 0, OUT), R(2, "1.0", LEGF, LEG)}},
    {"nolegacy_flag_forbids_legacy",
     {R(0, "2.0", 0, NEW), R(0, "1.0", NOLEG, OUT), R(1, "2.0", 0, NEW)}},

    /* --- ignored versions --- */
    {"ignored_above_best",
     {R(0, "1.5.20990101", IGN, IGD), R(0, "1.4", 0, NEW), R(1, "1.4", 0, NEW)}},
    {"ignored_below_best_is_outdated_then_legacy",
     {R(0, "1.4", 0, NEW), R(1, "1.3", IGN, OUT), R(1, "1.2", IGN, LEG)}},
    {"ignored_equal_to_best_is_newest",
     {R(0, "2.1", IGN, NEW), R(0, "2.0", 0, LEG), R(1, "2.1", 0, NEW), R(1, "2.0", 0, LEG)}},
    {"ignored_do_not_start_legacy",
     {R(0, "6.2.99999999", IGN, IGD), R(0, "6.2.9999", IGN, IGD), R(0, "6.1", 0, OUT),
      R(0, "6.0", 0, LEG), R(1, "6.2", 0, NEW)}},
    {"ignore_class_priority",
     {R(0, "1.0", 0, NEW), R(1, "2.0", NOS | INC | UNT | IGN, NSS),
      R(2, "2.0", INC | UNT | IGN, INS), R(3, "2.0", UNT | IGN, UNS), R(4, "2.0", IGN, IGD),
      R(5, "1.1", INC, INS), R(6, "1.2", UNT, UNS)}},
    {"ignored_below_devel_only", {R(0, "2.0beta1", DEV, DVL), R(1, "0.9999", IGN, IGD)}},
    {"ignored_between_devel_and_stable",
     {R(0, "2.2beta1", DEV, DVL), R(0, "2.2alpha1.9999", IGN | DEV, LEG),
      R(0, "2.1.9999", IGN, IGD), R(0, "2.1", 0, NEW), R(0, "2.0", 0, LEG), R(1, "2.1", 0, NEW)}},
    {"ignored_does_not_end_devel_section",
     {R(0, "2.2beta1", DEV, DVL), R(0, "2.1.9999", IGN, LEG), R(0, "2.1.pre1", DEV, LEG),
      R(0, "2.0", 0, NEW), R(1, "2.0", 0, NEW)}},

    /* --- ignore suppression --- */
    {"ignore_suppression_single_family", {RF(0, 3, "2.0", IGN, UNQ), RF(1, 3, "1.0", IGN, OUT)}},
    {"ignore_suppression_needs_one_family", {RF(0, 3, "2.0", IGN, IGD), RF(1, 4, "1.0", IGN, IGD)}},
    {"ignore_suppression_needs_all_ignored", {RF(0, 3, "2.0", IGN, IGD), RF(1, 3, "1.0", 0, UNQ)}},
    {"ignore_suppression_not_for_noscheme",
     {RF(0, 1, "1.0", NOS, NSS), RF(1, 1, "2.0", NOS | IGN, NSS)}},
    {"ignore_suppression_not_for_mixed_snapshot_schemes",
     {RF(0, 5, "2022-08-31-a0ddab6", IGN, IGD), RF(1, 5, "0-unstable-2024-05-07", IGN, IGD)}},
    {"ignore_suppression_not_for_mixed_snapshot_schemes_2",
     {RF(0, 5, "2022-08-31-a0ddab6", IGN, IGD), RF(1, 5, "0.1.0-unstable-2024-05-07", IGN, IGD)}},

    /* --- rolling and sink --- */
    {"rolling", {R(0, "9999", ROL, ROS), R(1, "1.0", 0, NEW), R(2, "0.9", 0, OUT)}},
    {"rolling_only", {R(0, "20240101", ROL, ROS)}},
    {"rolling_family_breaks_uniqueness_not_suppression",
     {RF(0, 0, "3.0", ROL, ROS), RF(1, 1, "2.0", IGN, NEW), RF(2, 1, "1.0", IGN, OUT)}},
    {"sink_below_everything",
     {R(0, "1.0", 0, NEW), R(1, "1.0", SINK, OUT), R(2, "5.0", SINK, OUT)}},

    /* --- recalled and forced outdated --- */
    {"recalled_top_version",
     {R(0, "2", REC, OUT), R(0, "1", 0, NEW), R(1, "2", 0, OUT), R(1, "1", 0, NEW)}},
    {"recalled_middle_version",
     {R(0, "3", 0, NEW), R(0, "2", REC, LEG), R(0, "1", 0, LEG), R(1, "3", 0, NEW),
      R(1, "2", 0, LEG), R(1, "1", 0, LEG)}},
    {"recalled_only_version", {R(0, "1", REC, OUT), R(1, "1", 0, OUT)}},
    {"forced_outdated_newest", {R(0, "2", OUTD, OUT), R(1, "1", 0, OUT)}},
    {"forced_outdated_devel", {R(0, "2", DEV | OUTD, OUT), R(1, "1", 0, NEW)}},
    {"forced_outdated_unique", {R(0, "1", OUTD, OUT)}},

    /* --- per-side version flags --- */
    {"p_is_patch_makes_p_a_post_release", {R(0, "1.0p1", PIP, NEW), R(1, "1.0", 0, OUT)}},
    {"p_without_flag_is_a_pre_release", {R(0, "1.0p1", 0, OUT), R(1, "1.0", 0, NEW)}},
    {"any_is_patch_makes_words_post_release",
     {R(0, "2.0foo1", AIP, NEW), R(1, "2.0", 0, OUT), R(2, "2.0foo1", 0, OUT)}},
    {"any_is_patch_snapshot_above_release_is_ignored",
     {R(0, "1.0+git20200101", IGN | AIP, IGD), R(1, "1.0", 0, NEW),
      R(2, "1.0+git20200101", IGN, OUT)}},

    /* --- two schemes --- */
    {"altver_both_forms_newest",
     {R(1, "1.1.1234", ALTV, NEW), R(0, "1.1", 0, NEW), R(1, "1.0.1234", ALTV, LEG),
      R(0, "1.0", 0, LEG)}},
    {"altver_with_incorrect_snapshot",
     {R(0, "21.08.1.726", ALTV, NEW),
      R(1, "21.08.1+p20.04+tunstable+git20210927.0021", IGN | INC | AIP, INS),
      R(2, "21.08.1", 0, NEW)}},
    {"altscheme_separate_pool",
     {R(1, "1235", ALTS, NEW), R(0, "1.1", 0, NEW), R(1, "1234", ALTS, LEG), R(0, "1.0", 0, LEG)}},
    {"altscheme_and_incorrect_devel",
     {R(0, "101", ALTS, NEW), R(1, "100", ALTS, OUT), R(2, "99", DEV | INC, INS),
      R(3, "10.101", INC, INS), R(4, "10", 0, NEW)}},

    /* --- branches --- */
    {"no_branches_older_is_legacy",
     {R(0, "11.1", 0, NEW), R(0, "10.1", 0, LEG), R(0, "10.0", 0, LEG), R(1, "11.1", 0, NEW),
      R(1, "10.0", 0, LEG)}},
    {"lagging_branch_top_is_outdated",
     {R(0, "11.1", 0, NEW), RB(0, "10.1", 0, "", "10.x", LEG), RB(0, "10.0", 0, "", "10.x", LEG),
      R(1, "11.1", 0, NEW), RB(1, "10.0", 0, "", "10.x", OUT)}},
    {"branch_only_on_new_line",
     {RB(0, "2.0.0", 0, "", "2", NEW), R(0, "1.20.3", 0, OUT), RB(1, "2.0.0", 0, "", "2", NEW),
      R(1, "1.21.1", 0, LEG)}},
    {"branch_of_ignored_versions_has_no_best",
     {R(0, "11.1", 0, NEW), R(1, "11.1", 0, NEW), RB(1, "10.1", UNT, "", "10.x", LEG),
      RB(1, "10.0", UNT, "", "10.x", LEG)}},
    {"branch_best_skips_devel",
     {R(0, "11.1", 0, NEW), RB(0, "10.1", 0, "", "10.x", LEG), R(1, "11.1", 0, NEW),
      RB(1, "10.2alpha1", DEV, "", "10.x", LEG), RB(1, "10.0", 0, "", "10.x", LEG)}},
    {"branch_equal_versions_same_status",
     {R(0, "11.1", 0, NEW), RB(0, "10.1", 0, "", "10.x", LEG), R(1, "11.1", 0, NEW),
      RB(1, "10.0", 0, "", "10.x", OUT), RB(1, "10.0", 0, "", "10.x", OUT)}},
    {"branch_per_flavor",
     {RV(0, "11.1", 0, "a", NEW), RV(0, "11.1", 0, "b", NEW), RV(1, "11.1", 0, "a", NEW),
      RV(1, "11.1", 0, "b", NEW), RV(1, "11.0", 0, "a", LEG), RV(1, "11.0", 0, "b", LEG),
      RB(1, "10.2", 0, "b", "10.x", LEG), RB(1, "10.1", 0, "a", "10.x", OUT)}},

    /* --- everything together (a reference repo plus partial ones) --- */
    {"reference_mix",
     {R(1, "5.2.20990101", IGN, IGD),
      R(1, "5.2beta1", DEV, DVL),
      R(1, "5.2alpha1.20990101", DEV | IGN, LEG),
      R(1, "5.2alpha1", DEV, LEG),
      R(1, "5.1.20990101", IGN, IGD),
      R(1, "5.1", 0, NEW),
      R(1, "5.0.20990101", IGN, LEG),
      R(1, "5.0", 0, LEG),
      R(1, "4.2.20990101", IGN, LEG),
      R(1, "4.2beta1", DEV, LEG),
      R(1, "4.2alpha1.20990101", DEV | IGN, LEG),
      R(1, "4.2alpha1", DEV, LEG),
      R(1, "4.1.20990101", IGN, LEG),
      R(1, "4.1", 0, LEG),
      R(1, "4.0.20990101", IGN, LEG),
      R(1, "4.0", 0, LEG),
      R(2, "5.2beta1", DEV, DVL),
      R(2, "5.0", 0, OUT),
      R(3, "5.2beta1", DEV, DVL),
      R(3, "5.1", 0, NEW),
      R(3, "5.0", 0, LEG),
      R(4, "5.1", 0, NEW),
      R(4, "5.0", 0, LEG),
      R(5, "4.1", 0, OUT),
      R(5, "4.0", 0, LEG),
      R(6, "4.1.20990101", IGN, OUT),
      R(6, "4.1", 0, LEG),
      R(6, "4.0", 0, LEG),
      R(8, "5.2beta1", DEV | IGN, DVL),
      R(9, "5.1", IGN, NEW),
      R(10, "5.0", IGN, OUT),
      R(10, "4.9", IGN, LEG),
      R(11, "5.2alpha1", DEV, OUT),
      R(12, "5.2alpha1", DEV, OUT),
      R(12, "5.0", 0, OUT)}},
};

#define NSCEN (sizeof scenarios / sizeof scenarios[0])

/* Number of packages of a scenario. */
static size_t scen_len(const scenario *sc)
{
    size_t n = 0;
    while (n < MAXP && sc->pkgs[n].version != NULL)
        n++;
    return n;
}

/*
 * Classify a scenario with its packages placed by perm (input slot i holds
 * scenario package perm[i]); returns the number of wrong statuses, printing each.
 */
static int run_scenario(const scenario *sc, const size_t *perm, const char *how)
{
    size_t n = scen_len(sc);
    pf_cpkg pk[MAXP];
    for (size_t i = 0; i < n; i++) {
        const tpkg *t = &sc->pkgs[perm[i]];
        pk[i] = (pf_cpkg){t->version, t->flags, t->repo, t->family, t->flavor, t->branch, -1};
    }
    assert_int_equal(pf_classify_project(pk, n), 0);
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        const tpkg *t = &sc->pkgs[perm[i]];
        if (pk[i].status != t->expect) {
            fprintf(stderr, "%s (%s): pkg %zu repo %d version %s: got %s, want %s\n", sc->name, how,
                    perm[i], t->repo, t->version, pf_status_name(pk[i].status),
                    pf_status_name(t->expect));
            bad++;
        }
    }
    return bad;
}

/* Every scenario in table order gives the expected statuses. */
static void test_scenarios(void **state)
{
    (void)state;
    int bad = 0;
    size_t perm[MAXP];
    for (size_t s = 0; s < NSCEN; s++) {
        size_t n = scen_len(&scenarios[s]);
        assert_true(n > 0);
        for (size_t i = 0; i < n; i++)
            perm[i] = i;
        bad += run_scenario(&scenarios[s], perm, "table order");
    }
    assert_true(NSCEN >= 30);
    assert_int_equal(bad, 0);
}

/* Reversed and rotated inputs give the same statuses: no dependence on input order. */
static void test_order_independent(void **state)
{
    (void)state;
    int bad = 0;
    size_t perm[MAXP];
    for (size_t s = 0; s < NSCEN; s++) {
        size_t n = scen_len(&scenarios[s]);
        for (size_t i = 0; i < n; i++)
            perm[i] = n - 1 - i;
        bad += run_scenario(&scenarios[s], perm, "reversed");
        for (size_t r = 1; r < n; r++) {
            for (size_t i = 0; i < n; i++)
                perm[i] = (i + r) % n;
            bad += run_scenario(&scenarios[s], perm, "rotated");
        }
    }
    assert_int_equal(bad, 0);
}

/* An empty project is a no-op, even with a NULL array. */
static void test_empty(void **state)
{
    (void)state;
    assert_int_equal(pf_classify_project(NULL, 0), 0);
}

/* A project larger than the stack scratch (heap path): 120 repos, each with an
 * old line kept next to its current one. */
static void test_large_project(void **state)
{
    (void)state;
    enum { NREPO = 120 };
    static char vers[NREPO][2][16];
    pf_cpkg pk[NREPO * 2];
    for (int r = 0; r < NREPO; r++) {
        /* repo r ships 3.<r % 10> and 2.<r % 10>; the newest is 3.9 */
        snprintf(vers[r][0], sizeof vers[r][0], "3.%d", r % 10);
        snprintf(vers[r][1], sizeof vers[r][1], "2.%d", r % 10);
        for (int k = 0; k < 2; k++)
            pk[r * 2 + k] = (pf_cpkg){vers[r][k], 0, r, r, "", NULL, -1};
    }
    assert_int_equal(pf_classify_project(pk, NREPO * 2), 0);
    for (int r = 0; r < NREPO; r++) {
        assert_int_equal(pk[r * 2].status, r % 10 == 9 ? PF_S_NEWEST : PF_S_OUTDATED);
        assert_int_equal(pk[r * 2 + 1].status, PF_S_LEGACY);
    }
}

/* Small deterministic PRNG (xorshift32) for the randomized test. */
static unsigned rnd(unsigned *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

/* Random projects (run under ASan/valgrind too): every package gets a valid
 * status, rolling iff flagged, unique only within one family and newest only
 * across families, and OUTDATED-flagged packages are never newest/devel/unique. */
static void test_random_invariants(void **state)
{
    (void)state;
    static const char *const vers[] = {"1.0",   "1.1",          "1.1.1", "2.0alpha1", "2.0",
                                       "2.0p1", "2.0.20990101", "9999",  "1.0a",      "0.9rc2"};
    static const unsigned fl[] = {0,    DEV,  WDEV,  STAB, IGN, INC, UNT, NOS,  ROL,
                                  SINK, LEGF, NOLEG, OUTD, REC, PIP, AIP, ALTV, ALTS};
    static const char *const flavors[] = {"", "", "x"};
    static const char *const branches[] = {NULL, NULL, "1.x"};
    unsigned seed = 12345;
    pf_cpkg pk[64];
    for (int iter = 0; iter < 3000; iter++) {
        size_t n = 1 + rnd(&seed) % 64;
        for (size_t i = 0; i < n; i++) {
            unsigned f = 0;
            if (rnd(&seed) % 2)
                f |= fl[rnd(&seed) % (sizeof fl / sizeof fl[0])];
            if (rnd(&seed) % 4 == 0)
                f |= fl[rnd(&seed) % (sizeof fl / sizeof fl[0])];
            int repo = (int)(rnd(&seed) % 6);
            pk[i] = (pf_cpkg){vers[rnd(&seed) % 10],    f, repo, repo / 2, flavors[rnd(&seed) % 3],
                              branches[rnd(&seed) % 3], -1};
        }
        assert_int_equal(pf_classify_project(pk, n), 0);
        bool one_family = true;
        for (size_t i = 1; i < n; i++)
            one_family = one_family && pk[i].family == pk[0].family;
        for (size_t i = 0; i < n; i++) {
            assert_true(pk[i].status >= PF_S_NEWEST && pk[i].status <= PF_S_ROLLING);
            assert_int_equal(pk[i].status == PF_S_ROLLING, (pk[i].flags & ROL) != 0);
            if (pk[i].status == PF_S_UNIQUE)
                assert_true(one_family);
            if (pk[i].status == PF_S_NEWEST)
                assert_false(one_family);
            if (pk[i].flags & OUTD)
                assert_true(pk[i].status != PF_S_NEWEST && pk[i].status != PF_S_DEVEL &&
                            pk[i].status != PF_S_UNIQUE);
        }
    }
}

/* Status and flag names are Repology's; flags print in bit order, cut at a
 * whole name when the buffer is short. */
static void test_names(void **state)
{
    (void)state;
    assert_string_equal(pf_status_name(PF_S_NEWEST), "newest");
    assert_string_equal(pf_status_name(PF_S_NOSCHEME), "noscheme");
    assert_string_equal(pf_status_name(PF_S_NONE), "unprocessed");
    assert_string_equal(pf_status_name(99), "unprocessed");
    char buf[256];
    assert_int_equal(pf_flags_format(0, buf, sizeof buf), 0);
    assert_string_equal(buf, "");
    assert_int_equal(pf_flags_format(PF_F_ANY_IS_PATCH | PF_F_IGNORE, buf, sizeof buf), 2);
    assert_string_equal(buf, "ignore,any_is_patch");
    assert_int_equal(pf_flags_format(PF_F_RECALLED | PF_F_REMOVE | (1u << 6), buf, sizeof buf), 2);
    assert_string_equal(buf, "remove,recalled"); /* bit 6 has no name */
    assert_int_equal(pf_flags_format(~0u, buf, sizeof buf), 20);
    assert_string_equal(buf, "remove,devel,ignore,incorrect,untrusted,noscheme,rolling,sink,"
                             "legacy,p_is_patch,any_is_patch,trace,weak_devel,stable,altver,"
                             "vulnerable,altscheme,nolegacy,outdated,recalled");
    char small[12];
    assert_int_equal(pf_flags_format(PF_F_IGNORE | PF_F_INCORRECT, small, sizeof small), 1);
    assert_string_equal(small, "ignore");
    assert_int_equal(pf_flags_format(PF_F_IGNORE, small, 6), 0); /* "ignore" needs 7 */
    assert_string_equal(small, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scenarios),
        cmocka_unit_test(test_order_independent),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_large_project),
        cmocka_unit_test(test_random_invariants),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
