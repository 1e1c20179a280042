/*
 * gen_db.c — synthetic database for the query/analysis benchmark
 * (issue "Queries and staleness"): 30 repositories, ~1.5 million packages,
 * 300k projects, 20 weekly analysis runs of history.
 *
 *   gen_db DB [CATALOG.yaml]
 *
 * Writes DB through the store API only (catalog sync, crawl transactions,
 * pf_analyze with no rules) and the same catalog as YAML (default: DB with
 * its extension replaced by "-catalog.yaml"), so `pkgfresh --catalog` sees
 * identical repository rows. DB must not exist yet.
 *
 * Model (deterministic: own PRNG, fixed seed):
 *  - Project i (0..299999) is in repository r with probability
 *    min(1, w_r * C * K / (i + K)) (Zipf-like, s = 1): the ~2,600 most
 *    popular projects are everywhere, the tail sits in one or two
 *    repositories; every project is in at least one.
 *  - Each project has an upstream release counter; the version string of
 *    release j is a monotonic "M.m.p" (deb-sources repositories add a
 *    Debian revision "-N"). A repository is rolling, stable or LTS: it lags
 *    0..2, 0..6 or 0..15 releases, is re-crawled every 1, 2 or 4 weeks, and
 *    then takes a project's newer upstream release with probability 0.6,
 *    0.25 or 0.1.
 *  - Week k: upstream releases happen (popular projects more often), the
 *    due repositories are re-crawled, pf_analyze runs at t0 + k * 7 days.
 * Prints progress on stderr and the totals and generation time on stdout.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pkgfresh/analyze.h"
#include "pkgfresh/catalog.h"
#include "pkgfresh/record.h"
#include "pkgfresh/store.h"

#define NPROJECTS 300000u
#define NRUNS     20
#define T0        1735689600LL /* 2025-01-01T00:00:00Z: the first analysis */
#define WEEK      (7 * 86400LL)
/* popularity curve (see the header comment), tuned for ~1.5 M packages */
#define POP_K 1000.0
#define POP_C 18.0

/* Kind of repository: how far behind, how often crawled, how eagerly it updates. */
enum rkind { RK_ROLLING, RK_STABLE, RK_LTS };

typedef struct grepo {
    const char *id, *family, *title, *format;
    double weight; /* coverage: share of a project's popularity that reaches it */
    int kind;      /* enum rkind */
} grepo;

/* The 30 repositories: 14 families, deb-sources for debuntu (Debian version
 * scheme), tsv (plain scheme) for the others. */
static const grepo REPOS[] = {
    {"debian_12", "debuntu", "Debian 12", "deb-sources", 0.9, RK_LTS},
    {"debian_13", "debuntu", "Debian 13", "deb-sources", 1.0, RK_STABLE},
    {"debian_testing", "debuntu", "Debian testing", "deb-sources", 1.0, RK_ROLLING},
    {"debian_unstable", "debuntu", "Debian unstable", "deb-sources", 1.0, RK_ROLLING},
    {"ubuntu_22_04", "debuntu", "Ubuntu 22.04", "deb-sources", 0.9, RK_LTS},
    {"ubuntu_24_04", "debuntu", "Ubuntu 24.04", "deb-sources", 0.9, RK_STABLE},
    {"fedora_42", "fedora", "Fedora 42", "tsv", 0.8, RK_STABLE},
    {"fedora_43", "fedora", "Fedora 43", "tsv", 0.8, RK_STABLE},
    {"fedora_44", "fedora", "Fedora 44", "tsv", 0.8, RK_STABLE},
    {"fedora_rawhide", "fedora", "Fedora Rawhide", "tsv", 0.8, RK_ROLLING},
    {"alpine_3_22", "alpine", "Alpine 3.22", "tsv", 0.5, RK_LTS},
    {"alpine_3_23", "alpine", "Alpine 3.23", "tsv", 0.5, RK_STABLE},
    {"alpine_3_24", "alpine", "Alpine 3.24", "tsv", 0.5, RK_STABLE},
    {"alpine_edge", "alpine", "Alpine edge", "tsv", 0.5, RK_ROLLING},
    {"centos_stream_9", "centos", "CentOS Stream 9", "tsv", 0.35, RK_LTS},
    {"centos_stream_10", "centos", "CentOS Stream 10", "tsv", 0.35, RK_STABLE},
    {"opensuse_leap", "opensuse", "openSUSE Leap", "tsv", 0.6, RK_LTS},
    {"opensuse_tumbleweed", "opensuse", "openSUSE Tumbleweed", "tsv", 0.7, RK_ROLLING},
    {"nix_stable", "nix", "nixpkgs stable", "tsv", 1.0, RK_STABLE},
    {"nix_unstable", "nix", "nixpkgs unstable", "tsv", 1.0, RK_ROLLING},
    {"arch", "arch", "Arch Linux", "tsv", 0.5, RK_ROLLING},
    {"freebsd", "freebsd", "FreeBSD ports", "tsv", 0.9, RK_ROLLING},
    {"homebrew", "homebrew", "Homebrew", "tsv", 0.3, RK_ROLLING},
    {"void", "void", "Void Linux", "tsv", 0.4, RK_ROLLING},
    {"slackware_15_0", "slackware", "Slackware 15.0", "tsv", 0.2, RK_LTS},
    {"slackware_current", "slackware", "Slackware current", "tsv", 0.25, RK_ROLLING},
    {"gentoo", "gentoo", "Gentoo", "tsv", 0.7, RK_ROLLING},
    {"guix", "guix", "GNU Guix", "tsv", 0.5, RK_ROLLING},
    {"pkgsrc_2025q1", "pkgsrc", "pkgsrc 2025Q1", "tsv", 0.6, RK_STABLE},
    {"pkgsrc_current", "pkgsrc", "pkgsrc current", "tsv", 0.6, RK_ROLLING},
};
#define NREPOS (sizeof REPOS / sizeof REPOS[0])

/* Per kind: maximum lag (releases), crawl period (weeks), update probability. */
static const int KIND_LAG[] = {2, 6, 15};
static const int KIND_PERIOD[] = {1, 2, 4};
static const double KIND_UPDATE[] = {0.6, 0.25, 0.1};

/* One repository's packages (project ids ascending) and their release index. */
typedef struct rpkgs {
    uint32_t *proj;
    uint16_t *ver;
    size_t n, cap;
} rpkgs;

/* splitmix64 step: the generator's only randomness (state owned by the caller). */
static uint64_t rnd_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Uniform double in [0, 1). */
static double rnd_unit(uint64_t *s)
{
    return (double)(rnd_next(s) >> 11) * (1.0 / 9007199254740992.0);
}

/* Stateless hash of (a, b, salt): fixed per-package traits. */
static uint64_t mix3(uint64_t a, uint64_t b, uint64_t salt)
{
    uint64_t s = a * 0x100000001b3ULL ^ (b << 32) ^ salt;
    return rnd_next(&s);
}

/* Monotonic seconds. */
static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Project name of id i: a prefix by "language" plus a unique syllable
 * encoding of i (syllables contain no '-', so names never collide). */
static void project_name(uint32_t i, char *out, size_t outlen)
{
    static const char *const syl[] = {"ba",  "ke",  "lo",  "mi",  "nu",  "ra",  "te",  "zo",
                                      "qui", "dex", "fa",  "gor", "hy",  "jin", "kal", "lum",
                                      "mor", "nex", "pa",  "ros", "sil", "tor", "ul",  "ven",
                                      "wi",  "xa",  "yor", "zen", "bri", "cla", "dro", "fen"};
    static const char *const prefix[] = {"",      "",   "",      "",        "lib", "python-",
                                         "perl-", "r-", "ruby-", "golang-", "",    "node-"};
    const size_t nsyl = sizeof syl / sizeof syl[0];
    size_t len = (size_t)snprintf(out, outlen, "%s", prefix[mix3(i, 7, 1) % 12]);
    uint32_t v = i;
    do {
        len += (size_t)snprintf(out + len, len < outlen ? outlen - len : 0, "%s", syl[v % nsyl]);
        v /= (uint32_t)nsyl;
    } while (v > 0 && len + 4 < outlen);
}

/* Version string of release j of project p in repository r (monotonic in j). */
static void version_string(uint32_t p, unsigned j, size_t r, char *out, size_t outlen)
{
    unsigned major = (unsigned)(mix3(p, 3, 2) % 4) + j / 40, minor = (j / 8) % 5, patch = j % 8;
    if (strcmp(REPOS[r].format, "deb-sources") == 0)
        snprintf(out, outlen, "%u.%u.%u-%u", major, minor, patch,
                 1 + (unsigned)(mix3(p, r, 3) % 3));
    else if (mix3(p, r, 4) % 1000 < 3) /* a few snapshot versions the schemes reject */
        snprintf(out, outlen, "unstable-2025-%02u-%02u", 1 + j % 12, 1 + j % 28);
    else
        snprintf(out, outlen, "%u.%u.%u", major, minor, patch);
}

/* Append one package to a repository's list. 0, or -1 out of memory. */
static int rp_push(rpkgs *rp, uint32_t proj, uint16_t ver)
{
    if (rp->n == rp->cap) {
        size_t ncap = rp->cap ? rp->cap * 2 : 16384;
        uint32_t *np = realloc(rp->proj, ncap * sizeof *np);
        if (!np)
            return -1;
        rp->proj = np;
        uint16_t *nv = realloc(rp->ver, ncap * sizeof *nv);
        if (!nv)
            return -1;
        rp->ver = nv;
        rp->cap = ncap;
    }
    rp->proj[rp->n] = proj;
    rp->ver[rp->n] = ver;
    rp->n++;
    return 0;
}

/* Releases a repository of this kind is behind for a fresh pick. */
static unsigned lag_pick(uint64_t *rng, int kind)
{
    double u = rnd_unit(rng);
    static const double p_current[] = {0.85, 0.4, 0.2};
    if (u < p_current[kind])
        return 0;
    return 1 + (unsigned)(rnd_next(rng) % (uint64_t)KIND_LAG[kind]);
}

/* Build the in-memory catalog (strings strdup'd: pf_catalog_free frees them). */
static int build_catalog(pf_catalog *cat)
{
    memset(cat, 0, sizeof *cat);
    cat->repos = calloc(NREPOS, sizeof *cat->repos);
    if (!cat->repos)
        return -1;
    cat->nrepos = NREPOS;
    for (size_t r = 0; r < NREPOS; r++) {
        pf_repo *c = &cat->repos[r];
        char color[8], url[256];
        snprintf(color, sizeof color, "#%02x%02x%02x", (unsigned)(40 + r * 7),
                 (unsigned)(200 - r * 5), (unsigned)(90 + r * 4));
        snprintf(url, sizeof url, "https://example.org/synth/%s/index.tsv", REPOS[r].id);
        c->id = strdup(REPOS[r].id);
        c->family = strdup(REPOS[r].family);
        c->title = strdup(REPOS[r].title);
        c->color = strdup(color);
        c->format = strdup(REPOS[r].format);
        c->sources = calloc(1, sizeof *c->sources);
        c->update_period = 86400;
        if (!c->id || !c->family || !c->title || !c->color || !c->format || !c->sources)
            return -1;
        c->nsources = 1;
        c->sources[0].name = strdup("main");
        c->sources[0].url = strdup(url);
        if (!c->sources[0].name || !c->sources[0].url)
            return -1;
    }
    return 0;
}

/* The same catalog in the data/repos/README.md YAML format. */
static int write_catalog_yaml(const pf_catalog *cat, const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        return -1;
    }
    fprintf(f, "# Synthetic catalog written by bench/gen_db (matches the generated database).\n"
               "repositories:\n");
    for (size_t r = 0; r < cat->nrepos; r++) {
        const pf_repo *c = &cat->repos[r];
        fprintf(f,
                "  - id: %s\n    family: %s\n    title: %s\n    color: \"%s\"\n"
                "    format: %s\n    update_period: 1d\n    sources:\n"
                "      - name: %s\n        url: \"%s\"\n",
                c->id, c->family, c->title, c->color, c->format, c->sources[0].name,
                c->sources[0].url);
    }
    if (fclose(f) != 0) {
        perror(path);
        return -1;
    }
    return 0;
}

/* Replace repository r's snapshot with its current package list (one crawl transaction). */
static int crawl_repo(pf_store *st, size_t r, const rpkgs *rp, int64_t when)
{
    char err[512];
    pf_crawl_tx *tx = pf_store_crawl_begin(st, REPOS[r].id, err, sizeof err);
    if (!tx) {
        fprintf(stderr, "gen_db: crawl %s: %s\n", REPOS[r].id, err);
        return -1;
    }
    if (pf_store_crawl_source(tx, "main", NULL) != 0)
        goto fail;
    char name[96], ver[64], maint[96], home[160], summary[160];
    for (size_t k = 0; k < rp->n; k++) {
        uint32_t p = rp->proj[k];
        project_name(p, name, sizeof name);
        version_string(p, rp->ver[k], r, ver, sizeof ver);
        uint64_t h = mix3(p, r, 5);
        if (h % 8 == 0)
            snprintf(maint, sizeof maint, "m%u@example.org,team%u@example.org",
                     (unsigned)(h >> 8) % 4000, (unsigned)(h >> 24) % 200);
        else
            snprintf(maint, sizeof maint, "m%u@example.org", (unsigned)(h >> 8) % 4000);
        snprintf(home, sizeof home, "https://%s.example.org/", name);
        snprintf(summary, sizeof summary, "Synthetic package %s", name);
        static const char *const cats[] = {"libs", "devel", "net", "utils", "python", "misc"};
        pf_record rec = {.srcname = name,
                         .binnames = name,
                         .version = ver,
                         .maintainers = maint,
                         .homepage = home,
                         .license = "MIT",
                         .category = cats[h % 6],
                         .summary = summary,
                         .flags = 0};
        if (pf_store_crawl_add(tx, &rec) != 0)
            goto fail;
    }
    pf_crawl_info info = {.started = when,
                          .finished = when + 60,
                          .status = "ok",
                          .http_status = 200,
                          .bytes = (uint64_t)rp->n * 120,
                          .packages = (long)rp->n};
    if (pf_store_crawl_commit(tx, &info, err, sizeof err) != 0) {
        fprintf(stderr, "gen_db: commit %s: %s\n", REPOS[r].id, err);
        return -1;
    }
    return 0;
fail:
    fprintf(stderr, "gen_db: crawl %s: %s\n", REPOS[r].id, pf_store_errmsg(st));
    pf_store_crawl_abort(tx);
    return -1;
}

/* Generate the whole database; 0 or -1 (message printed). */
static int generate(pf_store *st, const pf_catalog *cat)
{
    uint64_t rng = 20250101; /* fixed seed: the same database every time */
    rpkgs rp[NREPOS];
    memset(rp, 0, sizeof rp);
    uint16_t *rel = malloc(NPROJECTS * sizeof *rel);
    int rc = -1;
    if (!rel)
        goto out;
    /* Placement and initial versions. */
    size_t total = 0;
    for (uint32_t i = 0; i < NPROJECTS; i++) {
        rel[i] = (uint16_t)(5 + rnd_next(&rng) % 30);
        double f = POP_C * POP_K / ((double)i + POP_K);
        size_t placed = 0;
        for (size_t r = 0; r < NREPOS; r++) {
            double p = f * REPOS[r].weight;
            if (p >= 1 || rnd_unit(&rng) < p) {
                unsigned lag = lag_pick(&rng, REPOS[r].kind);
                if (rp_push(&rp[r], i, (uint16_t)(rel[i] > lag ? rel[i] - lag : 0)) != 0)
                    goto oom;
                placed++;
            }
        }
        if (!placed) { /* every project is somewhere: a repository by coverage */
            size_t r = (size_t)(rnd_next(&rng) % NREPOS);
            while (rnd_unit(&rng) >= REPOS[r].weight)
                r = (size_t)(rnd_next(&rng) % NREPOS);
            if (rp_push(&rp[r], i, rel[i]) != 0)
                goto oom;
            placed = 1;
        }
        total += placed;
    }
    fprintf(stderr, "gen_db: %zu packages of %u projects in %zu repositories\n", total, NPROJECTS,
            NREPOS);

    /* PKGFRESH_GEN_RUNS shortens the history for a quick look (default NRUNS). */
    const char *runs_env = getenv("PKGFRESH_GEN_RUNS");
    int nruns = runs_env && atoi(runs_env) > 0 ? atoi(runs_env) : NRUNS;
    long changed_total = 0, crawled_total = 0;
    for (int k = 0; k < nruns; k++) {
        double tk = mono();
        int64_t now = T0 + (int64_t)k * WEEK;
        long changed = 0;
        int ncrawled = 0;
        if (k > 0) /* a week of upstream releases */
            for (uint32_t i = 0; i < NPROJECTS; i++)
                if (rnd_unit(&rng) < (i < 5000 ? 0.25 : 0.08) && rel[i] < 60000)
                    rel[i]++;
        for (size_t r = 0; r < NREPOS; r++) {
            int kind = REPOS[r].kind;
            if (k > 0 && (k + (int)r) % KIND_PERIOD[kind] != 0)
                continue; /* not due this week: snapshot unchanged */
            if (k > 0)
                for (size_t n = 0; n < rp[r].n; n++) {
                    uint32_t p = rp[r].proj[n];
                    if (rp[r].ver[n] < rel[p] && rnd_unit(&rng) < KIND_UPDATE[kind]) {
                        unsigned lag = lag_pick(&rng, kind) / 2;
                        uint16_t nv = (uint16_t)(rel[p] > lag ? rel[p] - lag : rel[p]);
                        if (nv > rp[r].ver[n]) {
                            rp[r].ver[n] = nv;
                            changed++;
                        }
                    }
                }
            if (crawl_repo(st, r, &rp[r], now - 3600) != 0)
                goto out;
            ncrawled++;
        }
        double tc = mono() - tk;
        char err[512];
        pf_analyze_result res;
        if (pf_analyze(st, cat, NULL, now, &res, err, sizeof err) != 0) {
            fprintf(stderr, "gen_db: analyze run %d: %s\n", k + 1, err);
            goto out;
        }
        changed_total += changed;
        crawled_total += ncrawled;
        fprintf(stderr,
                "gen_db: run %2d/%d: %2d repositories crawled, %ld versions changed (%.1f%%),"
                " crawl %.1f s, analyze %.1f s (%ld packages, %ld projects)\n",
                k + 1, nruns, ncrawled, changed, 100.0 * (double)changed / (double)total, tc,
                res.seconds, res.packages, res.projects);
    }
    printf("gen_db: %zu packages, %u projects, %zu repositories, %d analysis runs,"
           " %ld version changes (%.1f%% per week)\n",
           total, NPROJECTS, NREPOS, nruns, changed_total,
           100.0 * (double)changed_total / (double)total / (nruns > 1 ? nruns - 1 : 1));
    (void)crawled_total;
    rc = 0;
    goto out;
oom:
    fprintf(stderr, "gen_db: out of memory\n");
out:
    for (size_t r = 0; r < NREPOS; r++) {
        free(rp[r].proj);
        free(rp[r].ver);
    }
    free(rel);
    return rc;
}

/* gen_db DB [CATALOG.yaml] */
int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: gen_db DB [CATALOG.yaml]\n");
        return 2;
    }
    const char *db = argv[1];
    char yaml[4096];
    if (argc == 3) {
        snprintf(yaml, sizeof yaml, "%s", argv[2]);
    } else {
        const char *dot = strrchr(db, '.'), *slash = strrchr(db, '/');
        int stem = dot && (!slash || dot > slash) ? (int)(dot - db) : (int)strlen(db);
        snprintf(yaml, sizeof yaml, "%.*s-catalog.yaml", stem, db);
    }
    FILE *probe = fopen(db, "r");
    if (probe) {
        fclose(probe);
        fprintf(stderr, "gen_db: %s exists; remove it first\n", db);
        return 1;
    }
    double t0 = mono();
    pf_catalog cat;
    if (build_catalog(&cat) != 0) {
        fprintf(stderr, "gen_db: out of memory\n");
        pf_catalog_free(&cat);
        return 1;
    }
    if (write_catalog_yaml(&cat, yaml) != 0) {
        pf_catalog_free(&cat);
        return 1;
    }
    char err[512];
    pf_store *st = pf_store_open(db, err, sizeof err);
    if (!st) {
        fprintf(stderr, "gen_db: %s: %s\n", db, err);
        pf_catalog_free(&cat);
        return 1;
    }
    int rc = pf_store_sync_catalog(st, &cat);
    if (rc != 0)
        fprintf(stderr, "gen_db: catalog: %s\n", pf_store_errmsg(st));
    else
        rc = generate(st, &cat);
    pf_store_close(st);
    pf_catalog_free(&cat);
    if (rc == 0)
        printf("gen_db: wrote %s and %s in %.1f s\n", db, yaml, mono() - t0);
    return rc == 0 ? 0 : 1;
}
