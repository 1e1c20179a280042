/*
 * test_oracle.c — package-for-package agreement with Repology itself.
 *
 * ../shared/realdata/repology-oracle/debian-13.tsv.xz is Repology's own
 * output (its Debian parser, the community ruleset, its classifier) for the
 * shared Debian 13 Sources, classified together with the shared Debian sid
 * Sources and the 2020 nixpkgs packages.json. This test runs the same
 * pipeline through the pkgfresh binary (one `crawl A B C --from FA --from FB
 * --from FC`, which analyzes after crawling, `--rules` = the community
 * ruleset in ../shared/realdata/repology-rules)
 * and joins every Debian 13 package on (srcname, rawversion):
 *   - per package: version string, flags, project name and status must
 *     agree for >= 99.5% of the packages (project >= 99.9%);
 *   - per repository: projects, unique, newest, outdated and comparable of
 *     debian_13, computed from the package rows with the oracle's
 *     definitions (newest = not unique, has a newest or devel package, no
 *     outdated one; comparable = newest, outdated or has an incorrect
 *     package), must lie within 0.5% of the figures in the oracle's
 *     PROVENANCE.md; so must pkgfresh's own statistics row of debian_13
 *     (`stats`, read back from the database).
 * It prints the agreement table, the remaining differences grouped by field
 * with examples, and the pipeline's wall time (printed, never asserted;
 * `make bench` shows the same lines). Skipped when the shared data is absent.
 * PKGFRESH_ORACLE_RULES=DIR measures another ruleset (bench/run-bench runs
 * it with the starter rules): the table is printed, the targets are not
 * asserted (they are Repology's figures, which only its ruleset reproduces).
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pkgfresh/reader.h"
#include "pkgfresh/record.h"
#include "pkgfresh/store.h"

/* One package: ours (from the database) or the oracle's (one TSV line). */
typedef struct opkg {
    char *srcname, *raw, *version, *project;
    unsigned flags;
    int status; /* enum pf_status */
    long ord;   /* input order, to pair duplicate keys in order */
} opkg;

/* A growable list of packages. */
typedef struct olist {
    opkg *v;
    size_t n, cap;
} olist;

/* One (project, repository, status) of any of the three repositories. */
typedef struct oproj {
    const char *project; /* owned by the olist it came from */
    int repo;            /* index into oracle_repos */
    int status;
} oproj;

/* The repositories of the run, their inputs and families. */
static const struct {
    const char *id, *input, *family;
} oracle_repos[] = {
    {"debian_unstable", "debian/sid-main-Sources.xz", "debuntu"},
    {"debian_13", "debian/trixie-main-Sources.xz", "debuntu"},
    {"nix_unstable", "nixpkgs/packages.json.xz", "nix"},
};
#define NREPOS   (sizeof oracle_repos / sizeof oracle_repos[0])
#define REPO_D13 1

/* strdup that fails the test on OOM; NULL stays NULL. */
static char *xdup(const char *s)
{
    if (!s)
        return NULL;
    char *d = strdup(s);
    assert_non_null(d);
    return d;
}

/* Append one package to l (copies the strings). */
static void olist_add(olist *l, const char *src, const char *raw, const char *ver, const char *proj,
                      unsigned flags, int status)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 4096;
        l->v = realloc(l->v, l->cap * sizeof *l->v);
        assert_non_null(l->v);
    }
    l->v[l->n] = (opkg){xdup(src), xdup(raw), xdup(ver ? ver : ""), xdup(proj ? proj : ""), flags,
                        status,    (long)l->n};
    l->n++;
}

/* Free a list and its strings. */
static void olist_free(olist *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].srcname);
        free(l->v[i].raw);
        free(l->v[i].version);
        free(l->v[i].project);
    }
    free(l->v);
}

/* qsort order: srcname, rawversion, input order. */
static int opkg_cmp(const void *a, const void *b)
{
    const opkg *x = a, *y = b;
    int c = strcmp(x->srcname, y->srcname);
    if (!c)
        c = strcmp(x->raw, y->raw);
    if (!c)
        c = (x->ord > y->ord) - (x->ord < y->ord);
    return c;
}

/* Status number of a lower-case status name; -1 if unknown. */
static int status_of(const char *name)
{
    for (int s = 0; s < PF_S_COUNT; s++)
        if (strcmp(pf_status_name(s), name) == 0)
            return s;
    return -1;
}

/* Read the oracle TSV (srcname rawversion version flags project status) into l. */
static void read_oracle(const char *path, olist *l)
{
    char err[256];
    pf_reader *r = pf_reader_open_path(path, 0, err, sizeof err);
    assert_non_null(r);
    pf_lines *ln = pf_lines_new(r, 1 << 16);
    assert_non_null(ln);
    char *line;
    size_t len;
    int rc;
    while ((rc = pf_lines_next(ln, &line, &len)) > 0) {
        if (len == 0 || line[0] == '#')
            continue;
        char *f[6];
        size_t nf = 0;
        for (char *p = line; nf < 6; nf++) {
            f[nf] = p;
            p = strchr(p, '\t');
            if (!p) {
                nf++;
                break;
            }
            *p++ = '\0';
        }
        assert_int_equal(nf, 6);
        int st = status_of(f[5]);
        assert_true(st >= 0);
        olist_add(l, f[0], f[1], f[2], f[4], (unsigned)strtoul(f[3], NULL, 10), st);
    }
    if (rc < 0)
        fail_msg("%s: %s", path, pf_lines_error(ln));
    pf_lines_free(ln);
    pf_reader_close(r);
}

/* Store callback: one of our packages into the list. */
static int collect_pkg(void *ctx, const pf_pkg_view *row)
{
    olist_add(ctx, row->srcname, row->raw_version, row->version, row->project, row->flags,
              row->status);
    return 0;
}

/* Run pkgfresh with argv (NULL-terminated); fails the test on a non-zero exit. */
static void run_pf(char **argv)
{
    char *out = NULL, *err = NULL;
    int rc = tu_run(argv, &out, &err);
    if (rc != 0)
        fail_msg("pkgfresh %s: exit %d: %s", argv[6], rc, err ? err : "");
    free(out);
    free(err);
}

/* Wall-clock seconds. */
static double wall(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Project order for the per-repository counts. */
static int oproj_cmp(const void *a, const void *b)
{
    const oproj *x = a, *y = b;
    return strcmp(x->project, y->project);
}

/* The oracle's figures of debian_13 (PROVENANCE.md's JSON block). */
typedef struct ofig {
    const char *key;
    long want, got; /* the oracle's; ours from the package rows */
    long stat;      /* ours from pkgfresh's statistics row */
} ofig;

/* Read "key": number from the debian_13 block of PROVENANCE.md into figs. */
static void read_figures(const char *path, ofig *figs, size_t nfigs)
{
    char *text = tu_slurp(path, NULL);
    assert_non_null(text);
    const char *blk = strstr(text, "\"debian_13\": {");
    assert_non_null(blk);
    for (size_t i = 0; i < nfigs; i++) {
        char pat[64];
        snprintf(pat, sizeof pat, "\"%s\": ", figs[i].key);
        const char *at = strstr(blk, pat);
        assert_non_null(at);
        figs[i].want = strtol(at + strlen(pat), NULL, 10);
    }
    free(text);
}

/*
 * Our figures for debian_13 from the package rows of all three repositories,
 * with the oracle's definitions (see the file comment). figs: projects,
 * unique, newest, outdated, comparable, packages.
 */
static void our_figures(olist *lists, ofig *figs)
{
    size_t n = 0;
    for (size_t r = 0; r < NREPOS; r++)
        n += lists[r].n;
    oproj *all = malloc((n ? n : 1) * sizeof *all);
    assert_non_null(all);
    size_t k = 0;
    for (size_t r = 0; r < NREPOS; r++)
        for (size_t i = 0; i < lists[r].n; i++)
            if (lists[r].v[i].project[0])
                all[k++] = (oproj){lists[r].v[i].project, (int)r, lists[r].v[i].status};
    qsort(all, k, sizeof *all, oproj_cmp);
    long projects = 0, unique = 0, newest = 0, outdated = 0, comparable = 0;
    for (size_t i = 0; i < k;) {
        size_t j = i;
        int in13 = 0, fam_deb = 0, fam_other = 0, has_new = 0, has_out = 0, has_inc = 0;
        for (; j < k && strcmp(all[j].project, all[i].project) == 0; j++) {
            if (strcmp(oracle_repos[all[j].repo].family, "debuntu") == 0)
                fam_deb = 1;
            else
                fam_other = 1;
            if (all[j].repo != REPO_D13)
                continue;
            in13 = 1;
            has_new |= all[j].status == PF_S_NEWEST || all[j].status == PF_S_DEVEL;
            has_out |= all[j].status == PF_S_OUTDATED;
            has_inc |= all[j].status == PF_S_INCORRECT;
        }
        if (in13) {
            int uniq = !(fam_deb && fam_other);
            int fresh = !uniq && has_new && !has_out;
            projects++;
            unique += uniq;
            newest += fresh;
            outdated += has_out;
            comparable += fresh || has_out || has_inc;
        }
        i = j;
    }
    free(all);
    figs[0].got = projects;
    figs[1].got = unique;
    figs[2].got = newest;
    figs[3].got = outdated;
    figs[4].got = comparable;
    long pkgs = 0; /* packages a rule removed have no project */
    for (size_t i = 0; i < lists[REPO_D13].n; i++)
        pkgs += lists[REPO_D13].v[i].project[0] != '\0';
    figs[5].got = pkgs;
}

/* Store callback: pkgfresh's statistics of debian_13 into the figures. */
static int collect_stats(void *ctx, const pf_repo_row *row)
{
    ofig *figs = ctx;
    if (strcmp(row->repo_id, oracle_repos[REPO_D13].id) != 0 || !row->has_stats)
        return 0;
    const pf_repo_stats *st = &row->stats;
    long v[] = {st->num_projects, st->num_unique,     st->num_newest,
                st->num_outdated, st->num_comparable, st->num_packages};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        figs[i].stat = v[i];
    return 0;
}

/* |got - want| in percent of want. */
static double off_pct(long got, long want)
{
    double d = want ? 100.0 * (double)(got - want) / (double)want : 0;
    return d < 0 ? -d : d;
}

/* The whole measurement (see the file comment). */
static void test_oracle_agreement(void **state)
{
    (void)state;
    const char *other = getenv("PKGFRESH_ORACLE_RULES");
    const char *rules = other ? other : tu_realdata("repology-rules");
    const char *oracle = tu_realdata("repology-oracle/debian-13.tsv.xz");
    const char *prov = tu_realdata("repology-oracle/PROVENANCE.md");
    if (!rules || !oracle || !prov)
        skip();
    char inputs[NREPOS][4096];
    for (size_t r = 0; r < NREPOS; r++) {
        const char *p = tu_realdata(oracle_repos[r].input);
        if (!p)
            skip();
        snprintf(inputs[r], sizeof inputs[r], "%s", p);
    }
    char rulesdir[4096], oracle_path[4096], prov_path[4096], db[4096];
    snprintf(rulesdir, sizeof rulesdir, "%s", rules);
    snprintf(oracle_path, sizeof oracle_path, "%s", oracle);
    snprintf(prov_path, sizeof prov_path, "%s", prov);
    snprintf(db, sizeof db, "%s/oracle.db", tu_tmpdir("oracle"));

    /* The pipeline as one command: three repositories crawled from their
     * files (parsed at once), then the analysis crawl runs after them. */
    double t0 = wall();
    char *argv[] = {(char *)tu_pkgfresh(),
                    "-q",
                    "--db",
                    db,
                    "--rules",
                    rulesdir,
                    "crawl",
                    (char *)oracle_repos[0].id,
                    (char *)oracle_repos[1].id,
                    (char *)oracle_repos[2].id,
                    "--from",
                    inputs[0],
                    "--from",
                    inputs[1],
                    "--from",
                    inputs[2],
                    NULL};
    _Static_assert(NREPOS == 3, "one name and one --from per oracle repository");
    run_pf(argv);
    double secs = wall() - t0;

    ofig figs[] = {{"projects", 0, 0, -1}, {"unique", 0, 0, -1},     {"newest", 0, 0, -1},
                   {"outdated", 0, 0, -1}, {"comparable", 0, 0, -1}, {"packages", 0, 0, -1}};
    size_t nfigs = sizeof figs / sizeof figs[0];
    char err[256];
    pf_store *st = pf_store_open(db, err, sizeof err);
    assert_non_null(st);
    olist ours[NREPOS];
    memset(ours, 0, sizeof ours);
    for (size_t r = 0; r < NREPOS; r++)
        assert_int_equal(pf_store_each_repo_package(st, oracle_repos[r].id, collect_pkg, &ours[r]),
                         0);
    assert_int_equal(pf_store_each_repo(st, collect_stats, figs), 0);
    pf_store_close(st);
    olist orc = {0};
    read_oracle(oracle_path, &orc);

    /* Join on (srcname, rawversion); duplicate keys pair in input order. */
    olist *d13 = &ours[REPO_D13];
    qsort(d13->v, d13->n, sizeof *d13->v, opkg_cmp);
    qsort(orc.v, orc.n, sizeof *orc.v, opkg_cmp);
    static const char *const fields[] = {"version", "flags", "project", "status"};
    long agree[4] = {0}, missing = 0, shown[4] = {0};
    size_t j = 0;
    for (size_t i = 0; i < orc.n; i++) {
        const opkg *o = &orc.v[i];
        while (j < d13->n &&
               (strcmp(d13->v[j].srcname, o->srcname) < 0 ||
                (strcmp(d13->v[j].srcname, o->srcname) == 0 && strcmp(d13->v[j].raw, o->raw) < 0)))
            j++;
        if (j >= d13->n || strcmp(d13->v[j].srcname, o->srcname) != 0 ||
            strcmp(d13->v[j].raw, o->raw) != 0) {
            if (missing++ < 5)
                printf("# missing: %s %s\n", o->srcname, o->raw);
            continue;
        }
        const opkg *u = &d13->v[j++];
        int same[4] = {strcmp(u->version, o->version) == 0, u->flags == o->flags,
                       strcmp(u->project, o->project) == 0, u->status == o->status};
        for (int f = 0; f < 4; f++) {
            agree[f] += same[f];
            if (!same[f] && shown[f]++ < 8)
                printf("# differs in %s: %s %s: repology %s %u %s %s, pkgfresh %s %u %s %s\n",
                       fields[f], o->srcname, o->raw, o->version, o->flags, o->project,
                       pf_status_name(o->status), u->version, u->flags, u->project,
                       pf_status_name(u->status));
        }
    }

    read_figures(prov_path, figs, nfigs);
    our_figures(ours, figs);

    printf("# agreement with Repology on debian_13 (%zu packages, %ld missing), rules %s, "
           "pipeline %.2f s\n",
           orc.n, missing, other ? other : "community", secs);
    printf("# %-10s %8s %8s %8s\n", "field", "agree", "differ", "percent");
    double pct[4];
    for (int f = 0; f < 4; f++) {
        pct[f] = orc.n ? 100.0 * (double)agree[f] / (double)orc.n : 0;
        printf("# %-10s %8ld %8ld %8.3f\n", fields[f], agree[f], (long)orc.n - agree[f], pct[f]);
    }
    printf("# %-10s %8s %8s %8s %8s %8s\n", "figure", "repology", "packages", "diff%", "stats",
           "diff%");
    double worst = 0;
    for (size_t i = 0; i < nfigs; i++) {
        double d = off_pct(figs[i].got, figs[i].want), e = off_pct(figs[i].stat, figs[i].want);
        printf("# %-10s %8ld %8ld %8.3f %8ld %8.3f\n", figs[i].key, figs[i].want, figs[i].got, d,
               figs[i].stat, e);
        worst = d > worst ? d : worst;
        worst = e > worst ? e : worst;
    }

    for (size_t r = 0; r < NREPOS; r++)
        olist_free(&ours[r]);
    olist_free(&orc);

    if (other)
        return; /* a measurement of another ruleset: no targets */
    assert_int_equal(missing, 0);
    assert_true(pct[0] >= 99.5); /* version */
    assert_true(pct[1] >= 99.5); /* flags */
    assert_true(pct[2] >= 99.9); /* project */
    assert_true(pct[3] >= 99.5); /* status */
    assert_true(worst <= 0.5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_oracle_agreement),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
