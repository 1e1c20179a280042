/*
 * gen_db.c — synthetic databases for the query and analysis benchmarks: the
 * 30-repository one (1.5 million packages, 300k projects) and Repology's
 * size (300 repositories, 5 million packages, 600k projects), each with
 * weekly analysis runs of history.
 *
 *   gen_db [--repos N] [--packages N] [--projects N] [--runs N]
 *          [--crawl-every N] [--names DIR] DB [CATALOG.yaml]
 *   gen_db --change REPO [--percent N] DB
 *
 * The second form re-crawls one repository of an existing database (the
 * bench's "one repository changed"): the same packages, every field kept,
 * N percent of them (default 10) one release newer; no analysis.
 *
 * Defaults: 30 repositories, 1,500,000 packages, 300,000 projects, 20 runs
 * ($PKGFRESH_GEN_RUNS overrides the default), names from
 * $PKGFRESH_SHARED/realdata (else ../shared/realdata; syllables when absent).
 * Writes DB through the store API only (catalog sync, crawl transactions,
 * pf_analyze with no rules) and the same catalog as YAML (default: DB with
 * its extension replaced by "-catalog.yaml"), so `pkgfresh --catalog` sees
 * identical repository rows. DB must not exist yet. It is built as DB.part
 * without a journal, its commits not waiting for the disk
 * (pf_store_set_durable), then switched to WAL and renamed to DB: a build
 * that stops half-way leaves no DB (build it again).
 *
 * Model (deterministic: own PRNG, fixed seed):
 *  - Projects are the real names of bench/names.c (most widespread first,
 *    then derived ones); each family spells them its way ("python-foo",
 *    "py3-foo", "python312Packages.foo", "libfoo-bar-perl", "p5-Foo-Bar"),
 *    with the rulesets of the real family, so the community ruleset does
 *    real work on the result.
 *  - Repositories: the 30 of the table below; more are variants of them
 *    ("debian_13_2"), each with its own coverage drawn in [0.05, 1).
 *  - Project i is in repository r with probability min(1, w_r * C * K /
 *    (i + K)) (Zipf-like, s = 1; K scales with the project count, C is
 *    solved so the expected total is the requested package count): the most
 *    popular projects are everywhere, the tail sits in one or two
 *    repositories; every project is in at least one.
 *  - Each project has an upstream release counter; the version string of
 *    release j is a monotonic "M.m.p" (deb-sources repositories add a
 *    Debian revision "-N"). A repository is rolling, stable or LTS: it lags
 *    0..2, 0..6 or 0..15 releases, is re-crawled every 1, 2 or 4 weeks, and
 *    then takes a project's newer upstream release with probability 0.6,
 *    0.25 or 0.1. --crawl-every N stretches the periods to N, 2N and 4N
 *    weeks (staggered by repository): a history of N times fewer crawls,
 *    each catching up on more releases, so a Repology-sized universe's 20
 *    runs build in minutes instead of hours (every re-crawl reads a whole
 *    repository, and the next analysis redoes the projects it changed).
 *  - A package's maintainers and category follow its project and family,
 *    as in real data (Debian 12 and 13 share 88 % of the maintainer fields
 *    and almost every category of their common source packages); one
 *    package in 8 has other maintainers in a repository. (Before, both
 *    were drawn per repository, and since a debuntu rule reads every row's
 *    maintainers, no package was named the same in two repositories.)
 *  - Week k: upstream releases happen (popular projects more often), the
 *    due repositories are re-crawled, pf_analyze runs at t0 + k * 7 days.
 * Prints progress on stderr and the totals and generation time on stdout.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pkgfresh/analyze.h"
#include "pkgfresh/catalog.h"
#include "pkgfresh/grow.h"
#include "pkgfresh/record.h"
#include "pkgfresh/store.h"

#include "../cli/cli.h"
#include "names.h"

#define NRUNS 20
#define T0    1735689600LL /* 2025-01-01T00:00:00Z: the first analysis */
#define WEEK  (7 * 86400LL)

/* Kind of repository: how far behind, how often crawled, how eagerly it updates. */
enum rkind { RK_ROLLING, RK_STABLE, RK_LTS };

typedef struct grepo {
    const char *id, *family, *title, *format;
    double weight; /* coverage: share of a project's popularity that reaches it */
    int kind;      /* enum rkind */
} grepo;

/* The 30 base repositories: 14 families, deb-sources for debuntu (Debian
 * version scheme), nix-json for nixpkgs (its scheme; pname in binnames
 * seeds the project), tsv (plain scheme) for the others. */
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
    {"nix_stable", "nix", "nixpkgs stable", "nix-json", 1.0, RK_STABLE},
    {"nix_unstable", "nix", "nixpkgs unstable", "nix-json", 1.0, RK_ROLLING},
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
#define NBASE (sizeof REPOS / sizeof REPOS[0])

/* Per kind: maximum lag (releases), crawl period (weeks), update probability. */
static const int KIND_LAG[] = {2, 6, 15};
static const int KIND_PERIOD[] = {1, 2, 4};
static const double KIND_UPDATE[] = {0.6, 0.25, 0.1};

/* The size of the universe (command line). */
typedef struct gparams {
    size_t nrepos, packages;
    uint32_t projects;
    int runs;
    int crawl_every; /* multiplier of KIND_PERIOD */
    const char *names_dir;
    const char *change; /* --change REPO: the second form */
    long percent;
} gparams;

/* One generated repository: a base repository or a variant of one. */
typedef struct urepo {
    char id[64], title[96];
    const grepo *base;
    double weight;
    int habit; /* names.h habit of its family */
} urepo;

/* One repository's packages (project ids ascending) and their release index. */
typedef struct rpkgs {
    uint32_t *proj;
    uint16_t *ver;
    size_t n, cap;
} rpkgs;

/* Everything the generator owns. */
typedef struct gen {
    gparams par;
    urepo *repos;
    rpkgs *rp;           /* per repository */
    char *pnames;        /* project base names, NUL-separated */
    uint32_t *pname_at;  /* offset of project i's base name in pnames */
    unsigned char *kind; /* names.h kind of project i */
    uint16_t *rel;       /* upstream release counter of project i */
} gen;

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

/* Version string of release j of project p in repository r (monotonic in j). */
static void version_string(const gen *g, uint32_t p, unsigned j, size_t r, char *out, size_t outlen)
{
    unsigned major = (unsigned)(mix3(p, 3, 2) % 4) + j / 40, minor = (j / 8) % 5, patch = j % 8;
    if (strcmp(g->repos[r].base->format, "deb-sources") == 0)
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

/* The repository list: the base table, then variants of it with their own coverage. */
static int make_repos(gen *g)
{
    g->repos = calloc(g->par.nrepos, sizeof *g->repos);
    if (!g->repos)
        return -1;
    uint64_t rng = 300;
    for (size_t r = 0; r < g->par.nrepos; r++) {
        urepo *u = &g->repos[r];
        u->base = &REPOS[r % NBASE];
        u->habit = gn_habit(u->base->family);
        if (r < NBASE) {
            snprintf(u->id, sizeof u->id, "%s", u->base->id);
            snprintf(u->title, sizeof u->title, "%s", u->base->title);
            u->weight = u->base->weight;
        } else {
            snprintf(u->id, sizeof u->id, "%s_%zu", u->base->id, r / NBASE + 1);
            snprintf(u->title, sizeof u->title, "%s #%zu", u->base->title, r / NBASE + 1);
            u->weight = u->base->weight * (0.05 + 0.95 * rnd_unit(&rng));
        }
    }
    return 0;
}

/* Rule set names of a family, as the real catalog gives them. */
static size_t family_rulesets(const grepo *b, const char *out[2])
{
    size_t n = 0;
    out[n++] = b->family;
    if (strcmp(b->family, "debuntu") == 0)
        out[n++] = strncmp(b->id, "ubuntu", 6) == 0 ? "ubuntu" : "debian";
    else if (!strcmp(b->family, "fedora") || !strcmp(b->family, "centos") ||
             !strcmp(b->family, "opensuse"))
        out[n++] = "rpm";
    else if (strcmp(b->family, "nix") == 0)
        out[n++] = "nix_name";
    return n;
}

/* Build the in-memory catalog (strings strdup'd: pf_catalog_free frees them). */
static int build_catalog(const gen *g, pf_catalog *cat)
{
    memset(cat, 0, sizeof *cat);
    cat->repos = calloc(g->par.nrepos, sizeof *cat->repos);
    if (!cat->repos)
        return -1;
    cat->nrepos = g->par.nrepos;
    for (size_t r = 0; r < g->par.nrepos; r++) {
        const urepo *u = &g->repos[r];
        pf_repo *c = &cat->repos[r];
        char color[8], url[256];
        snprintf(color, sizeof color, "#%02x%02x%02x", (unsigned)(40 + r * 7) % 256,
                 (unsigned)(200 + 256 * 4 - r * 5) % 256, (unsigned)(90 + r * 4) % 256);
        snprintf(url, sizeof url, "https://example.org/synth/%s/index.tsv", u->id);
        c->id = strdup(u->id);
        c->family = strdup(u->base->family);
        c->title = strdup(u->title);
        c->color = strdup(color);
        c->format = strdup(u->base->format);
        c->sources = calloc(1, sizeof *c->sources);
        c->rulesets = calloc(2, sizeof *c->rulesets);
        c->update_period = 86400;
        if (!c->id || !c->family || !c->title || !c->color || !c->format || !c->sources ||
            !c->rulesets)
            return -1;
        const char *rs[2];
        size_t nrs = family_rulesets(u->base, rs);
        for (size_t i = 0; i < nrs; i++)
            if (!(c->rulesets[c->nrulesets++] = strdup(rs[i])))
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
                "    format: %s\n    update_period: 1d\n    rulesets: [",
                c->id, c->family, c->title, c->color, c->format);
        for (size_t i = 0; i < c->nrulesets; i++)
            fprintf(f, "%s%s", i ? ", " : "", c->rulesets[i]);
        fprintf(f, "]\n    sources:\n      - name: %s\n        url: \"%s\"\n", c->sources[0].name,
                c->sources[0].url);
    }
    if (fclose(f) != 0) {
        perror(path);
        return -1;
    }
    return 0;
}

/* Replace repository r's snapshot with its current package list (one crawl transaction). */
static int crawl_repo(const gen *g, pf_store *st, size_t r, int64_t when)
{
    const rpkgs *rp = &g->rp[r];
    const char *id = g->repos[r].id;
    uint64_t fam = 14695981039346656037u; /* FNV-1a of the family's name */
    for (const char *c = g->repos[r].base->family; *c; c++)
        fam = (fam ^ (unsigned char)*c) * 1099511628211u;
    char err[512];
    pf_crawl_tx *tx = pf_store_crawl_begin(st, id, err, sizeof err);
    if (!tx) {
        fprintf(stderr, "gen_db: crawl %s: %s\n", id, err);
        return -1;
    }
    if (pf_store_crawl_source(tx, "main", NULL) != 0)
        goto fail;
    char name[160], bin[160], ver[64], maint[96], home[200], summary[200];
    for (size_t k = 0; k < rp->n; k++) {
        uint32_t p = rp->proj[k];
        const char *base = g->pnames + g->pname_at[p];
        gn_spell(g->repos[r].habit, g->kind[p], base, name, sizeof name, bin, sizeof bin);
        version_string(g, p, rp->ver[k], r, ver, sizeof ver);
        /* maintainers and category follow the family, as in real data
         * (Debian 12 and 13 share 88 % of their maintainer fields and
         * all but a few categories); one package in 8 has other
         * maintainers in this repository */
        uint64_t h = mix3(p, fam, 5);
        if (mix3(p, r, 7) % 8 == 0)
            h = mix3(p, r, 5);
        if (h % 8 == 0)
            snprintf(maint, sizeof maint, "m%u@example.org,team%u@example.org",
                     (unsigned)(h >> 8) % 4000, (unsigned)(h >> 24) % 200);
        else
            snprintf(maint, sizeof maint, "m%u@example.org", (unsigned)(h >> 8) % 4000);
        snprintf(home, sizeof home, "https://%s.example.org/", base);
        snprintf(summary, sizeof summary, "Synthetic package %s", base);
        static const char *const cats[] = {"libs", "devel", "net", "utils", "python", "misc"};
        pf_record rec = {.srcname = name,
                         .binnames = bin,
                         .version = ver,
                         .maintainers = maint,
                         .homepage = home,
                         .license = "MIT",
                         .category = cats[mix3(p, fam, 6) % 6],
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
        fprintf(stderr, "gen_db: commit %s: %s\n", id, err);
        return -1;
    }
    return 0;
fail:
    fprintf(stderr, "gen_db: crawl %s: %s\n", id, pf_store_errmsg(st));
    pf_store_crawl_abort(tx);
    return -1;
}

/* Expected packages when project i's popularity is c * k / (i + k): every
 * project counts its expected repositories, or one when it drew none. The
 * head is summed exactly, the tail on a stride. */
static double expected_total(const gen *g, double c, double k)
{
    double total = 0;
    uint32_t n = g->par.projects, stride = n > 40000 ? n / 20000 : 1;
    for (uint32_t i = 0; i < n;) {
        uint32_t step = i < 10000 ? 1 : stride;
        if (step > n - i)
            step = n - i;
        double f = c * k / ((double)i + k), sum = 0, none = 1;
        for (size_t r = 0; r < g->par.nrepos; r++) {
            double p = f * g->repos[r].weight;
            if (p >= 1) {
                sum += 1;
                none = 0;
            } else {
                sum += p;
                none *= 1 - p;
            }
        }
        total += (sum + none) * step;
        i += step;
    }
    return total;
}

/* The popularity scale C that yields the requested package count (bisection). */
static double solve_popularity(const gen *g, double k)
{
    double lo = 0, hi = 1;
    while (expected_total(g, hi, k) < (double)g->par.packages && hi < 1e9)
        hi *= 2;
    for (int it = 0; it < 40; it++) {
        double mid = (lo + hi) / 2;
        if (expected_total(g, mid, k) < (double)g->par.packages)
            lo = mid;
        else
            hi = mid;
    }
    return hi;
}

/* Every project's base name and kind (bench/names.c), kept in one buffer. */
static int make_projects(gen *g)
{
    gn_names nm;
    char err[512];
    long n = gn_load(&nm, g->par.names_dir, err, sizeof err);
    if (n < 0) {
        fprintf(stderr, "gen_db: names: %s\n", err);
        return -1;
    }
    fprintf(stderr, "gen_db: %ld distinct real names from %s%s\n", n, g->par.names_dir,
            n ? "" : " (none: syllable names)");
    size_t np = g->par.projects, cap = 0, len = 0;
    g->pname_at = malloc(np * sizeof *g->pname_at);
    g->kind = malloc(np);
    g->rel = malloc(np * sizeof *g->rel);
    int rc = g->pname_at && g->kind && g->rel ? 0 : -1;
    for (uint32_t i = 0; i < np && rc == 0; i++) {
        char base[128];
        int kind;
        gn_project(&nm, i, base, sizeof base, &kind);
        size_t bl = strlen(base) + 1;
        if (pf_grow(&g->pnames, &cap, len, bl) != 0 || len > UINT32_MAX - bl) {
            rc = -1;
            break;
        }
        memcpy(g->pnames + len, base, bl);
        g->pname_at[i] = (uint32_t)len;
        g->kind[i] = (unsigned char)kind;
        len += bl;
    }
    gn_free(&nm);
    if (rc != 0)
        fprintf(stderr, "gen_db: out of memory\n");
    return rc;
}

/* Generate the whole database; 0 or -1 (message printed). */
static int generate(gen *g, pf_store *st, const pf_catalog *cat)
{
    uint64_t rng = 20250101; /* fixed seed: the same database every time */
    const size_t nrepos = g->par.nrepos;
    const uint32_t nproj = g->par.projects;
    g->rp = calloc(nrepos, sizeof *g->rp);
    if (!g->rp)
        goto oom;
    double k = 1000.0 * (double)nproj / 300000.0;
    if (k < 10)
        k = 10;
    double c = solve_popularity(g, k);
    /* Placement and initial versions. */
    size_t total = 0;
    uint32_t head = 0; /* projects in every repository */
    for (uint32_t i = 0; i < nproj; i++) {
        g->rel[i] = (uint16_t)(5 + rnd_next(&rng) % 30);
        double f = c * k / ((double)i + k);
        size_t placed = 0;
        for (size_t r = 0; r < nrepos; r++) {
            double p = f * g->repos[r].weight;
            if (p >= 1 || rnd_unit(&rng) < p) {
                unsigned lag = lag_pick(&rng, g->repos[r].base->kind);
                if (rp_push(&g->rp[r], i, (uint16_t)(g->rel[i] > lag ? g->rel[i] - lag : 0)) != 0)
                    goto oom;
                placed++;
            }
        }
        if (!placed) { /* every project is somewhere: a repository by coverage */
            size_t r = (size_t)(rnd_next(&rng) % nrepos);
            while (rnd_unit(&rng) >= g->repos[r].weight)
                r = (size_t)(rnd_next(&rng) % nrepos);
            if (rp_push(&g->rp[r], i, g->rel[i]) != 0)
                goto oom;
            placed = 1;
        }
        head += placed == nrepos;
        total += placed;
    }
    fprintf(stderr,
            "gen_db: %zu packages of %u projects in %zu repositories (popularity C = %.2f,"
            " K = %.0f; %u projects everywhere)\n",
            total, nproj, nrepos, c, k, head);

    long changed_total = 0;
    const int nruns = g->par.runs;
    for (int wk = 0; wk < nruns; wk++) {
        double tk = mono();
        int64_t now = T0 + (int64_t)wk * WEEK;
        long changed = 0;
        int ncrawled = 0;
        if (wk > 0) /* a week of upstream releases */
            for (uint32_t i = 0; i < nproj; i++)
                if (rnd_unit(&rng) < (i < nproj / 60 ? 0.25 : 0.08) && g->rel[i] < 60000)
                    g->rel[i]++;
        for (size_t r = 0; r < nrepos; r++) {
            int kind = g->repos[r].base->kind;
            rpkgs *rp = &g->rp[r];
            if (wk > 0 && (wk + (int)r) % (KIND_PERIOD[kind] * g->par.crawl_every) != 0)
                continue; /* not due this week: snapshot unchanged */
            if (wk > 0)
                for (size_t n = 0; n < rp->n; n++) {
                    uint32_t p = rp->proj[n];
                    if (rp->ver[n] < g->rel[p] && rnd_unit(&rng) < KIND_UPDATE[kind]) {
                        unsigned lag = lag_pick(&rng, kind) / 2;
                        uint16_t nv = (uint16_t)(g->rel[p] > lag ? g->rel[p] - lag : g->rel[p]);
                        if (nv > rp->ver[n]) {
                            rp->ver[n] = nv;
                            changed++;
                        }
                    }
                }
            if (crawl_repo(g, st, r, now - 3600) != 0)
                return -1;
            ncrawled++;
        }
        double tc = mono() - tk;
        char err[512];
        pf_analyze_result res;
        if (pf_analyze(st, cat, NULL, now, &res, err, sizeof err) != 0) {
            fprintf(stderr, "gen_db: analyze run %d: %s\n", wk + 1, err);
            return -1;
        }
        changed_total += changed;
        fprintf(stderr,
                "gen_db: run %2d/%d: %3d repositories crawled, %ld versions changed (%.1f%%),"
                " crawl %.1f s, analyze %.1f s (%ld packages, %ld projects)\n",
                wk + 1, nruns, ncrawled, changed, 100.0 * (double)changed / (double)total, tc,
                res.seconds, res.packages, res.projects);
    }
    printf("gen_db: %zu packages, %u projects, %zu repositories, %d analysis runs,"
           " %ld version changes (%.1f%% per week)\n",
           total, nproj, nrepos, nruns, changed_total,
           100.0 * (double)changed_total / (double)total / (nruns > 1 ? nruns - 1 : 1));
    return 0;
oom:
    fprintf(stderr, "gen_db: out of memory\n");
    return -1;
}

/* Free the generator's arrays. */
static void gen_free(gen *g)
{
    for (size_t r = 0; g->rp && r < g->par.nrepos; r++) {
        free(g->rp[r].proj);
        free(g->rp[r].ver);
    }
    free(g->rp);
    free(g->repos);
    free(g->pnames);
    free(g->pname_at);
    free(g->kind);
    free(g->rel);
}

/* Re-crawl state: the repository's packages as read (strings in one
 * buffer, NUL-separated, 7 per package), then written back. */
typedef struct chg_ctx {
    const char *repo;
    char *buf;
    size_t len, cap;
    unsigned *pflags;
    size_t n, capn;
    int oom;
} chg_ctx;

/* Append a string (NULL as "") to the buffer. */
static void chg_put(chg_ctx *c, const char *s)
{
    size_t n = strlen(s ? s : "") + 1;
    if (pf_grow(&c->buf, &c->cap, c->len, n) != 0) {
        c->oom = 1;
        return;
    }
    memcpy(c->buf + c->len, s ? s : "", n);
    c->len += n;
}

/* Store callback: keep the packages of the repository. */
static int change_row(void *ctx, const pf_pkg_row *row)
{
    chg_ctx *c = ctx;
    if (strcmp(row->repo_id, c->repo) != 0)
        return 0;
    unsigned *nf = pf_grow_items(c->pflags, &c->capn, c->n, sizeof *nf, 4096);
    if (!nf)
        return c->oom = 1;
    c->pflags = nf;
    c->pflags[c->n++] = row->pflags;
    const char *f[] = {row->srcname,  row->binnames, row->raw_version, row->maintainers,
                       row->homepage, row->category, row->summary};
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        chg_put(c, f[i]);
    return c->oom;
}

/* A newer version: "1.2.3-1" -> "1.2.3.1-1", "1.2.3" -> "1.2.3.1". */
static void newer_version(const char *v, char *out, size_t len)
{
    const char *dash = strchr(v, '-');
    if (dash && dash != v && strncmp(v, "unstable", 8) != 0)
        snprintf(out, len, "%.*s.1%s", (int)(dash - v), v, dash);
    else
        snprintf(out, len, "%s.1", v);
}

/* gen_db --change REPO [--percent N] DB: one repository re-crawled, N % newer. */
static int change_repo(const char *db, const char *repo, long percent)
{
    char err[512];
    pf_store *st = pf_store_open(db, err, sizeof err);
    if (!st) {
        fprintf(stderr, "gen_db: %s: %s\n", db, err);
        return 1;
    }
    chg_ctx c = {.repo = repo};
    int rc = pf_store_each_package(st, change_row, &c) != 0 || c.oom ? -1 : 0;
    if (rc == 0 && c.n == 0) {
        fprintf(stderr, "gen_db: change %s: no packages\n", repo);
        rc = -1;
    }
    pf_crawl_tx *tx = rc == 0 ? pf_store_crawl_begin(st, repo, err, sizeof err) : NULL;
    if (rc == 0 && (!tx || pf_store_crawl_source(tx, "main", NULL) != 0))
        rc = -1;
    long bumped = 0;
    const char *p = c.buf;
    for (size_t i = 0; i < c.n && rc == 0; i++) {
        const char *f[7];
        for (int k = 0; k < 7; k++) {
            f[k] = p;
            p += strlen(p) + 1;
        }
        char ver[192];
        if ((long)(i % 100) < percent) {
            newer_version(f[2], ver, sizeof ver);
            bumped++;
        } else {
            snprintf(ver, sizeof ver, "%s", f[2]);
        }
        pf_record rec = {.srcname = f[0],
                         .binnames = *f[1] ? f[1] : NULL,
                         .version = ver,
                         .maintainers = *f[3] ? f[3] : NULL,
                         .homepage = *f[4] ? f[4] : NULL,
                         .category = *f[5] ? f[5] : NULL,
                         .summary = *f[6] ? f[6] : NULL,
                         .license = "MIT",
                         .flags = c.pflags[i]};
        rc = pf_store_crawl_add(tx, &rec);
    }
    if (rc == 0) {
        pf_crawl_info info = {.status = "ok", .packages = (long)c.n};
        rc = pf_store_crawl_commit(tx, &info, err, sizeof err);
        tx = NULL;
    } else if (tx) {
        fprintf(stderr, "gen_db: change %s: %s\n", repo, pf_store_errmsg(st));
    }
    if (tx)
        pf_store_crawl_abort(tx);
    pf_store_close(st);
    free(c.buf);
    free(c.pflags);
    if (rc != 0)
        return 1;
    printf("gen_db: %s re-crawled: %zu packages, %ld of them newer\n", repo, c.n, bumped);
    return 0;
}

/* Remove a database file and its WAL and shared-memory files, if any: a
 * stale WAL beside a new file of that name would be read into it. */
static void remove_db(const char *path)
{
    char side[4096 + 8];
    remove(path);
    snprintf(side, sizeof side, "%s-wal", path);
    remove(side);
    snprintf(side, sizeof side, "%s-shm", path);
    remove(side);
}

/* A positive count from an option's value, or 0 when it is not one. */
static size_t count_arg(const char *s)
{
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    return *s && *end == 0 && v > 0 && v <= 100000000ULL ? (size_t)v : 0;
}

/* Read the command line into g->par; the positional arguments into pos. -1 on misuse. */
static int parse_args(gen *g, int argc, char **argv, const char *pos[2], char *names,
                      size_t nameslen)
{
    const char *runs_env = getenv("PKGFRESH_GEN_RUNS");
    const char *shared = getenv("PKGFRESH_SHARED");
    g->par = (gparams){.nrepos = NBASE,
                       .packages = 1500000,
                       .projects = 300000,
                       .runs = NRUNS,
                       .crawl_every = 1,
                       .percent = 10};
    if (runs_env && atoi(runs_env) > 0)
        g->par.runs = atoi(runs_env);
    snprintf(names, nameslen, "%s/realdata", shared && *shared ? shared : "../shared");
    g->par.names_dir = names;
    int npos = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] == '-' && a[1] == '-' && i + 1 < argc) {
            size_t v = count_arg(argv[i + 1]);
            if (strcmp(a, "--names") == 0)
                g->par.names_dir = argv[i + 1];
            else if (strcmp(a, "--repos") == 0 && v && v <= 10000)
                g->par.nrepos = v;
            else if (strcmp(a, "--packages") == 0 && v)
                g->par.packages = v;
            else if (strcmp(a, "--projects") == 0 && v && v <= 4000000)
                g->par.projects = (uint32_t)v;
            else if (strcmp(a, "--runs") == 0 && v && v <= 1000)
                g->par.runs = (int)v;
            else if (strcmp(a, "--crawl-every") == 0 && v && v <= 52)
                g->par.crawl_every = (int)v;
            else if (strcmp(a, "--change") == 0)
                g->par.change = argv[i + 1];
            else if (strcmp(a, "--percent") == 0 && v && v <= 100)
                g->par.percent = (long)v;
            else
                return -1;
            i++;
        } else if (a[0] != '-' && npos < 2) {
            pos[npos++] = a;
        } else {
            return -1;
        }
    }
    return npos >= 1 ? npos : -1;
}

/* gen_db [--repos N] [--packages N] [--projects N] [--runs N] [--crawl-every N] [--names DIR]
 * DB [CATALOG.yaml],
 * or gen_db --change REPO [--percent N] DB */
int main(int argc, char **argv)
{
    gen g;
    memset(&g, 0, sizeof g);
    const char *pos[2] = {NULL, NULL};
    char names[4096];
    int npos = parse_args(&g, argc, argv, pos, names, sizeof names);
    if (npos < 0) {
        fprintf(stderr, "usage: gen_db [--repos N] [--packages N] [--projects N] [--runs N]"
                        " [--crawl-every N] [--names DIR] DB [CATALOG.yaml]\n"
                        "       gen_db --change REPO [--percent N] DB\n");
        return 2;
    }
    const char *db = pos[0];
    /* as `pkgfresh crawl` and `analyze` run: the heap on huge pages (once
     * re-executed with glibc's tunable; cli/hugepages.c). Its hash tables,
     * sorts and page cache are visited at random over GBs: a 5-run build
     * took a fifth less user time */
    pf_cli_hugepages(argv);
    if (pf_store_global_init() != 0) { /* as pkgfresh's main: no allocation statistics */
        fprintf(stderr, "gen_db: cannot initialise SQLite\n");
        return 1;
    }
    if (g.par.change)
        return change_repo(db, g.par.change, g.par.percent);
    char yaml[4096];
    if (npos == 2) {
        snprintf(yaml, sizeof yaml, "%s", pos[1]);
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
    memset(&cat, 0, sizeof cat);
    if (make_repos(&g) != 0 || build_catalog(&g, &cat) != 0) {
        fprintf(stderr, "gen_db: out of memory\n");
        pf_catalog_free(&cat);
        gen_free(&g);
        return 1;
    }
    if (write_catalog_yaml(&cat, yaml) != 0 || make_projects(&g) != 0) {
        pf_catalog_free(&cat);
        gen_free(&g);
        return 1;
    }
    /* built as DB.part and renamed when complete: without a journal, a build
     * stopped half-way leaves a file no one should take for a database */
    char part[4096];
    if ((size_t)snprintf(part, sizeof part, "%s.part", db) >= sizeof part) {
        fprintf(stderr, "gen_db: %s: path too long\n", db);
        pf_catalog_free(&cat);
        gen_free(&g);
        return 1;
    }
    remove_db(part); /* a stopped build's */
    char err[512];
    pf_store *st = pf_store_open(part, err, sizeof err);
    if (!st) {
        fprintf(stderr, "gen_db: %s: %s\n", part, err);
        pf_catalog_free(&cat);
        gen_free(&g);
        return 1;
    }
    /* a benchmark's database: built again, not recovered, after a system crash */
    int rc = 0;
    if (pf_store_set_durable(st, 0) != 0 || pf_store_sync_catalog(st, &cat) != 0) {
        fprintf(stderr, "gen_db: %s: %s\n", db, pf_store_errmsg(st));
        rc = -1;
    } else {
        rc = generate(&g, st, &cat);
    }
    /* hand the file over as pkgfresh makes it: WAL, synchronous = NORMAL */
    if (rc == 0 && pf_store_set_durable(st, 1) != 0) {
        fprintf(stderr, "gen_db: %s: %s\n", part, pf_store_errmsg(st));
        rc = -1;
    }
    pf_store_close(st); /* checkpoints and removes the WAL: DB.part is whole */
    if (rc == 0 && rename(part, db) != 0) {
        fprintf(stderr, "gen_db: rename %s to %s: %s\n", part, db, strerror(errno));
        rc = -1;
    }
    if (rc != 0)
        remove_db(part);
    pf_catalog_free(&cat);
    gen_free(&g);
    if (rc == 0)
        printf("gen_db: wrote %s and %s in %.1f s\n", db, yaml, mono() - t0);
    return rc == 0 ? 0 : 1;
}
