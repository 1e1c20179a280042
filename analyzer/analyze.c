/*
 * analyze.c — the analysis pass (see analyze.h), full or incremental.
 *
 * Full (the first analysis, `analyze --full`, or whenever the rules, the
 * catalog or the analysis code differ from what the stored results were
 * computed with — the digest in the meta table):
 * 1. Read every stored package once, in rowid order; name its project (the
 *    seed name, then the rules), normalize its version per the repository's
 *    scheme (batches on every core; an identity a repository of the same
 *    naming class had named is taken from the naming memo, namememo.h);
 *    names and versions are interned in a pool, so a package costs
 *    a few integers. Its (project, version, repository) goes into the
 *    history set (history.c).
 * 2. Sort packages by project and classify each project across
 *    repositories (classify.c), on every core (parallel.c: contiguous
 *    slices of projects; the statistics are folded afterwards on this
 *    thread in project order, so any thread count gives the same results).
 * 3. Staleness: for each outdated package, the versions between its own and
 *    the best one, taken from the version history (version_seen) plus what
 *    is present now; days behind = now - first sighting anywhere of the next
 *    newer version, known only when that sighting is later than the start of
 *    the history (a version present at the first analysis has no known age).
 *    The stored history streams past the history set once: it feeds the
 *    staleness candidates and marks which stored rows are still present.
 * 4. Aggregate Repology's per-repository counts (stats below) and write, in
 *    one transaction: the package rows whose results changed, the history
 *    rows that appeared, came back, became trusted or disappeared, and one
 *    repo_stats row per repository. Week to week most rows are unchanged
 *    and cost nothing.
 *
 * Incremental (otherwise): a project's results depend only on its own
 * packages and its own version history, so only the projects touched since
 * the last analysis are redone. Touched = the projects of the packages
 * crawls inserted since (the only rows the rules are applied to: the
 * stored project, version, flags, flavor and branch of every other row are
 * the cached rule results) and of the analyzed packages crawls deleted
 * (pkg_gone). Their stored packages are read project by project, or in one
 * pass over every result when they are many (touched_by_scan). Steps 2-4
 * run on those projects alone; the statistics start from the previous
 * run's row, minus each touched project's old contribution (its stored
 * statuses and the deleted rows'), plus its new one; maintainers are
 * recounted for the repositories that changed, lag percentiles read from
 * the result_behind index (covering) and selected (percentile.c), not
 * sorted. The touched projects' package and repository
 * counts go to the store's project summary as they are (write_summary), so
 * its commit does not recount every project a crawl marked dirty.
 * `analyze --full` gives the same results (tests/test_incremental.c).
 *
 * Streaming (a full analysis of more than STREAM_ABOVE packages, or as
 * $PKGFRESH_ANALYZE_STREAM says): memory follows the largest batch of
 * projects, not the snapshot. Inside the write transaction, pass 1 reads
 * every row in rowid order and names it (step 1 without holding it): rows
 * whose names changed are written at once, their status left for pass 2
 * (past a twentieth of the rows renamed, the store switches to rebuild
 * mode: no per-row project bookkeeping, one recount at commit);
 * maintainers are counted. Pass 2 reads the analyzed rows in project order
 * (index result_project), about stream_batch packages of whole projects
 * at a time, with the version history of the same range of project names,
 * and runs steps 2-4 on each batch (a fresh pool and history set each); the
 * statistics fold across batches. Same results as in memory (tested).
 */
#include "pkgfresh/analyze.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pkgfresh/classify.h"
#include "pkgfresh/grow.h"
#include "pkgfresh/normalize.h"
#include "pkgfresh/pool.h"
#include "pkgfresh/record.h"
#include "pkgfresh/version.h"

#include "history.h"
#include "namememo.h"
#include "naming.h"
#include "parallel.h"
#include "spill.h"
#include "percentile.h"

/* One package during analysis. */
typedef struct apkg {
    int64_t id;
    uint32_t project; /* pool id */
    uint32_t version; /* pool id of the normalized version */
    uint32_t repo;    /* index into the repo table */
    int old_same_pv;  /* the previous analysis gave the same project and version */
    unsigned old_flags;
    int old_status;
    uint32_t old_best; /* previous staleness: pool id of the best version, 0 none */
    long old_newer;
    int64_t old_behind;
    uint32_t flavor;                 /* pool id of the flavor ("" = none) */
    uint32_t branch;                 /* pool id of the branch, 0 = none */
    uint32_t old_flavor, old_branch; /* the stored ones, same encoding */
    unsigned flags;
    int status;
    uint32_t best;     /* outdated: pool id of the best version it lacks, else 0 */
    int fresh_version; /* project_staleness: trusted, and the first package of the project
                          with this version the history does not hold yet */
    long newer;        /* outdated: distinct newer versions, -1 otherwise */
    int64_t behind;    /* outdated: first sighting of the next newer version, 0 unknown */
} apkg;

/* One (project, version) of the history. */
typedef struct aseen {
    uint32_t project, version;
    int64_t first_seen;
} aseen;

/* A repository seen in the database. */
typedef struct arepo {
    uint32_t name;   /* pool id of the repository id */
    uint32_t family; /* pool id of the family */
    pf_vscheme scheme;
    const pf_repo *cat; /* catalog entry, NULL for repositories no longer in it */
    int emit;           /* gets a statistics row (it has packages) */
    int changed;        /* incremental: crawls added or deleted packages here */
    int has_base;       /* incremental: base holds the previous run's statistics */
    pf_repo_stats base;
    uint32_t memo_class; /* its naming class in a->memo, 0 none */
} arepo;

/* A package a crawl deleted (incremental): the rule inputs that identify it
 * (pool ids, 0 = NULL) and what the last analysis made of it. */
enum { GI_SRC, GI_BIN, GI_RAW, GI_MAINT, GI_HOME, GI_CAT, GI_SUM, GI_N };
typedef struct agone {
    uint32_t ident[GI_N];
    unsigned pflags;
    uint32_t repo; /* index into the repo table */
    uint32_t project, version, flavor, branch, best;
    unsigned flags;
    int status;
    long newer;
    int64_t behind;
    int taken; /* a new row with the same inputs took its results back */
} agone;

/* A new row that takes a deleted package's results back. */
typedef struct acopy {
    int64_t id;
    uint32_t gone;
    int absorbed; /* its project is redone anyway: classified, not copied */
} acopy;

/* What one package adds to its repository's counts (stats below). */
typedef struct afold {
    uint32_t project, repo;
    int status;
    int64_t behind;
} afold;

/* The smallest known days behind of one (repository, project) pair. */
typedef struct alag {
    double days;
    uint32_t repo;
} alag;

/* (repository, maintainer) pair, for counting distinct maintainers. */
typedef struct amaint {
    uint32_t repo, maint;
} amaint;

/* Rows waiting for the rules: copies (strings in one arena) named a batch
 * at a time, then added in their order. Two batches take turns: while the
 * crew (parallel.h) names one, the caller's thread adds the one before
 * (stores its renames, pass 1) and reads rows into the other, then helps
 * name what is left. */
#define BATCH_ROWS  4096
#define BATCH_BYTES ((size_t)8 << 20)
#define NAME_CHUNK  64 /* jobs a crew thread takes at a time */
typedef struct abatch {
    pf_pkg_row rows[BATCH_ROWS];
    uint32_t repo[BATCH_ROWS];
    an_job jobs[BATCH_ROWS];
    size_t idx[BATCH_ROWS]; /* the jobs the memo did not name (naming.h) */
    an_batch named;         /* posted to the crew: what an_name_end needs */
    size_t nmiss;
    char arena[BATCH_BYTES];
    size_t n, used;
} abatch;

typedef struct actx {
    const pf_catalog *cat;
    const pf_rules *rules;
    long removed;
    pf_pool *pool;
    apkg *pkgs;
    size_t n, cap;
    arepo *repos;
    size_t nrepos;
    amaint *maints;
    size_t nmaints, capmaints;
    aseen *seen; /* trusted history, sorted by project id */
    size_t nseen, capseen;
    aseen group;       /* the (project, version) whose stored rows are being read */
    int group_trusted; /* one of them was trusted */
    ah_set hist;       /* current (project, version, repository) triples vs the stored history */
    int64_t now, hist_start; /* hist_start 0: no history before this run */
    int64_t *removed_ids;    /* packages a remove rule dropped: stored without a project */
    size_t n_removed_ids, cap_removed_ids;
    alag *lags; /* known lags of (repository, project) pairs */
    size_t nlags, caplags;
    int incremental; /* see the file comment */
    afold *old;      /* incremental: old contributions of the touched projects */
    size_t nold, capold;
    uint32_t last_repo; /* repo_index: the repository it returned last */
    uint32_t *touched;  /* incremental: touched projects (pool ids, may repeat) */
    size_t ntouched, captouched;
    agone *gones; /* incremental: packages crawls deleted */
    size_t ngones, capgones;
    uint32_t *gone_slots; /* hash of gones by identity: index + 1, 0 empty */
    size_t gone_mask;
    acopy *copies; /* incremental: new rows equal to a deleted one */
    size_t ncopies, capcopies;
    abatch *batch;  /* rows being read, allocated on first use */
    abatch *naming; /* the batch the crew is naming (posted), NULL none */
    abatch *spare;  /* the other batch, empty */
    an_crew *crew;  /* a->threads - 1 helpers naming batches, started on first use */
    an_memo *memo;  /* what the rules made of each identity (namememo.h), NULL none */
    int threads;    /* threads the rules and the classification run on */
    pf_pool *mpool; /* maintainer addresses, for the distinct counts */
    size_t held;    /* most packages held at once */
    /* streaming (see the file comment) */
    int stream;                /* a streaming full analysis */
    size_t stream_batch;       /* packages per batch (whole projects) */
    int64_t total;             /* packages stored (streaming; incremental: the snapshots' sizes) */
    int scanned;               /* incremental: the touched projects' packages came from one pass
                                  over every result row (touched_by_scan) */
    const pf_pool *scan_names; /* the pass: the touched names, id k = touched[k - 1] */
    uint32_t scan_hit;         /* the pass: id in scan_names of the row its filter kept */
    int64_t renamed;           /* rows pass 1 rewrote */
    int timings;               /* $PKGFRESH_TIMINGS: each phase's time on stderr */
    double mark;               /* when the phase under way began (timings) */
    double pass2_t[6];         /* timings: pass 2's steps summed (see pass2_step) */
    pf_store *st;              /* the store being analyzed */
    pf_analysis_tx *tx;        /* the open write transaction */
    int64_t prev_run;          /* the previous analysis run, 0 none */
    pf_repo_stats *stats;      /* per repository, folded batch after batch */
    long projects, analyzed;
    char *last; /* the last project read (the batch's upper bound) */
    size_t lastcap;
    int has_last;
    char *after; /* the history is read up to this project */
    size_t aftercap;
    int has_after;
    an_spill *spill;  /* streaming: pass 1's rows for pass 2, by project; NULL: read the store */
    int no_spill;     /* a second try after a spill failed: pass 1 writes the renames */
    int spill_failed; /* the spill could not be written or read back: start over without */
    int sum_all;      /* streaming, rebuild mode: every project's counts to the store */
    long sum_pkgs, sum_repos; /* the counts of project a->last so far */
    uint32_t sum_repo;        /* the repository index of the last row counted */
    uint32_t *repo_of_name;   /* pool id of a repository name -> index + 1 */
    size_t nrepo_of_name;
    int failed;      /* a store call failed (pf_store_errmsg, unless why) */
    const char *why; /* what failed, when not the store */
    int oom;
} actx;

static void job_init(const actx *a, an_job *job, const pf_pkg_row *row, uint32_t repo);

/* Index of the repository named id, adding it (family from the catalog, else its own id). */
static uint32_t repo_index(actx *a, const char *id)
{
    /* rows come by repository (rowid order): the previous row's when equal */
    if (a->last_repo < a->nrepos &&
        strcmp(id, pf_pool_str(a->pool, a->repos[a->last_repo].name)) == 0)
        return a->last_repo;
    uint32_t name = pf_pool_intern(a->pool, id, strlen(id));
    for (size_t i = a->nrepos; i-- > 0;)
        if (a->repos[i].name == name)
            return a->last_repo = (uint32_t)i;
    arepo *nr = realloc(a->repos, (a->nrepos + 1) * sizeof *nr);
    if (!nr) {
        a->oom = 1;
        return 0;
    }
    a->repos = nr;
    const pf_repo *r = pf_catalog_find(a->cat, id);
    const char *fam = r && strcmp(r->id, id) == 0 ? r->family : id;
    a->repos[a->nrepos].name = name;
    a->repos[a->nrepos].family = pf_pool_intern(a->pool, fam, strlen(fam));
    a->repos[a->nrepos].scheme =
        r && strcmp(r->id, id) == 0 ? pf_vscheme_for_format(r->format) : PF_VS_PLAIN;
    a->repos[a->nrepos].cat = r && strcmp(r->id, id) == 0 ? r : NULL;
    a->repos[a->nrepos].emit = !a->incremental;
    a->repos[a->nrepos].changed = 0;
    a->repos[a->nrepos].has_base = 0;
    a->repos[a->nrepos].memo_class = 0;
    if (a->memo) { /* 0 when out of memory: its rows are named without the memo */
        an_job j;
        job_init(a, &j, NULL, (uint32_t)a->nrepos);
        a->repos[a->nrepos].memo_class = an_memo_class(a->memo, &j);
    }
    a->last_repo = (uint32_t)a->nrepos;
    return (uint32_t)a->nrepos++;
}

/* Order maintainer pairs for counting distinct ones per repository. */
static int cmp_maint(const void *x, const void *y)
{
    const amaint *a = x, *b = y;
    if (a->repo != b->repo)
        return a->repo < b->repo ? -1 : 1;
    return a->maint < b->maint ? -1 : a->maint > b->maint;
}

/* Sort the maintainer pairs and drop repeats: the array then grows with the
 * distinct pairs, not with the packages. */
static void compact_maintainers(actx *a)
{
    if (a->nmaints > 1)
        qsort(a->maints, a->nmaints, sizeof *a->maints, cmp_maint);
    size_t n = 0;
    for (size_t i = 0; i < a->nmaints; i++)
        if (n == 0 || cmp_maint(&a->maints[i], &a->maints[n - 1]) != 0)
            a->maints[n++] = a->maints[i];
    a->nmaints = n;
}

/* Remember each maintainer address of a package for the distinct count. */
static void add_maintainers(actx *a, uint32_t repo, const char *list)
{
    while (list && *list) {
        const char *end = strchr(list, ',');
        size_t len = end ? (size_t)(end - list) : strlen(list);
        while (len && *list == ' ')
            list++, len--;
        if (len) {
            if (a->nmaints == a->capmaints && a->nmaints >= 65536) {
                compact_maintainers(a);
                if (a->nmaints > a->capmaints / 2) { /* mostly distinct: grow as well */
                    amaint *nm = realloc(a->maints, a->capmaints * 2 * sizeof *nm);
                    if (!nm) {
                        a->oom = 1;
                        return;
                    }
                    a->maints = nm;
                    a->capmaints *= 2;
                }
            }
            amaint *nm = pf_grow_items(a->maints, &a->capmaints, a->nmaints, sizeof *nm, 4096);
            if (!nm) {
                a->oom = 1;
                return;
            }
            a->maints = nm;
            a->maints[a->nmaints].repo = repo;
            a->maints[a->nmaints].maint = pf_pool_intern(a->mpool, list, len);
            if (!a->maints[a->nmaints].maint) {
                a->oom = 1;
                return;
            }
            a->nmaints++;
        }
        list = end ? end + 1 : NULL;
    }
}

/* Remember a removed package so its stale analysis columns are cleared. */
static int remember_removed(actx *a, int64_t id)
{
    if (a->stream) /* written at once: the rows are not held */
        return pf_store_analysis_set(a->tx, id, NULL, NULL, PF_F_REMOVE, PF_S_NONE) != 0
                   ? (a->failed = 1)
                   : 0;
    int64_t *n =
        pf_grow_items(a->removed_ids, &a->cap_removed_ids, a->n_removed_ids, sizeof *n, 1024);
    if (!n)
        return a->oom = 1;
    a->removed_ids = n;
    a->removed_ids[a->n_removed_ids++] = id;
    return 0;
}

/* Remember a touched project (incremental analysis). */
static int touch(actx *a, uint32_t project)
{
    uint32_t *nt = pf_grow_items(a->touched, &a->captouched, a->ntouched, sizeof *nt, 4096);
    if (!nt)
        return a->oom = 1;
    a->touched = nt;
    a->touched[a->ntouched++] = project;
    return 0;
}

/* Remember an old contribution of a touched project (incremental analysis). */
static int remember_old(actx *a, uint32_t project, uint32_t repo, int status, int64_t behind)
{
    afold *no = pf_grow_items(a->old, &a->capold, a->nold, sizeof *no, 4096);
    if (!no)
        return a->oom = 1;
    a->old = no;
    a->old[a->nold++] = (afold){project, repo, status, behind};
    return 0;
}

/* Pool id of s: id, the id of known, when the two are equal (no lookup);
 * else s interned (0 out of memory). */
static uint32_t same_or_intern(actx *a, const char *s, const char *known, uint32_t id)
{
    return id && strcmp(s, known) == 0 ? id : pf_pool_intern(a->pool, s, strlen(s));
}

/* Add a package to the analysis arrays: rp holds what the rules made of it,
 * row what the previous analysis stored; project is rp->name's pool id when
 * the caller knows it, else 0. */
static int add_package(actx *a, const pf_pkg_row *row, uint32_t repo, const pf_rpkg *rp,
                       uint32_t project)
{
    apkg *np = pf_grow_items(a->pkgs, &a->cap, a->n, sizeof *np, 65536);
    if (!np)
        return a->oom = 1;
    a->pkgs = np;
    const arepo *ar = &a->repos[repo];
    apkg *p = &a->pkgs[a->n++];
    p->id = row->id;
    p->repo = repo;
    /* rows often come by project (streaming, incremental): the previous row's id when equal */
    uint32_t prev = a->n > 1 ? a->pkgs[a->n - 2].project : 0;
    if (!project)
        project = prev && strcmp(pf_pool_str(a->pool, prev), rp->name) == 0
                      ? prev
                      : pf_pool_intern(a->pool, rp->name, strlen(rp->name));
    p->project = project;
    p->version = pf_pool_intern(a->pool, rp->version, strlen(rp->version));
    p->flavor = pf_pool_intern(a->pool, rp->flavor, strlen(rp->flavor));
    p->branch = rp->branch[0] ? pf_pool_intern(a->pool, rp->branch, strlen(rp->branch)) : 0;
    p->flags = rp->flags;
    p->old_same_pv = row->project && row->version && strcmp(row->project, rp->name) == 0 &&
                     strcmp(row->version, rp->version) == 0;
    p->old_flags = row->flags;
    p->old_status = row->status;
    p->old_best = row->best ? pf_pool_intern(a->pool, row->best, strlen(row->best)) : 0;
    p->old_newer = row->newer;
    p->old_behind = row->behind_since;
    /* the stored flavor and branch: mostly the rules' own (always for a known row) */
    p->old_flavor = same_or_intern(a, row->flavor ? row->flavor : "", rp->flavor, p->flavor);
    p->old_branch = row->branch ? same_or_intern(a, row->branch, rp->branch, p->branch) : 0;
    p->status = PF_S_NONE;
    p->best = 0;
    p->newer = -1;
    p->behind = 0;
    if (!a->incremental && !a->stream)
        add_maintainers(a, repo, row->maintainers);
    if (!p->project || !p->version || !p->flavor || (rp->branch[0] && !p->branch) ||
        (row->best && !p->old_best) || !p->old_flavor || (row->branch && !p->old_branch) ||
        ah_add(&a->hist, p->project, p->version, ar->name) != 0)
        a->oom = 1;
    return a->oom;
}

/* Do two strings, either NULL standing for "", differ? */
static int differ(const char *x, const char *y)
{
    return strcmp(x ? x : "", y ? y : "") != 0;
}

/*
 * Streaming, pass 1: past one row in RENAMED_REBUILD rewritten, the store
 * stops its per-row project bookkeeping and recounts every project at
 * commit (pf_store_analysis_rebuild; between the passes, the partial
 * indexes pass 2 does not read go too). The 1 M universe's first analysis
 * with the community ruleset (38 % renamed): 26-30 s of CPU before, 21 s
 * after, the same database; about 7 % since package writes are UPDATE OR
 * IGNORE (no statement journal either), nothing measurable at 5 M.
 */
#define RENAMED_REBUILD 20

/*
 * Streaming, pass 1: what the rules made of a row is stored at once when it
 * differs from the stored results (project, version, flags, flavor, branch;
 * the status and staleness stay as they were until pass 2 classifies the
 * row's project), and its maintainers are counted; the row is not held.
 */
static int stream_named(actx *a, const pf_pkg_row *row, uint32_t repo, const pf_rpkg *rp)
{
    add_maintainers(a, repo, row->maintainers);
    if (a->oom)
        return 1;
    int same = row->project && row->version && strcmp(row->project, rp->name) == 0 &&
               strcmp(row->version, rp->version) == 0 && row->flags == rp->flags &&
               !differ(row->flavor, rp->flavor) && !differ(row->branch, rp->branch);
    a->renamed += !same;
    if (a->spill) { /* the row as the store holds it, and whether pass 2 must rename it */
        an_srow r = {.id = row->id,
                     .repo = repo,
                     .flags = rp->flags,
                     .status = row->status,
                     .newer = row->newer < 0 ? -1 : row->newer,
                     .behind = row->behind_since > 0 ? row->behind_since : 0,
                     .renamed = !same,
                     .project = rp->name,
                     .version = rp->version,
                     .best = row->best,
                     .flavor = rp->flavor[0] ? rp->flavor : NULL,
                     .branch = rp->branch[0] ? rp->branch : NULL};
        if (an_spill_add(a->spill, &r) == 0)
            return 0;
        /* the rows before were not written: the analysis starts over without a spill */
        a->spill_failed = 1;
        return a->failed = 1, a->why = "the spill file could not be written", 1;
    }
    if (same)
        return 0;
    if (a->renamed == a->total / RENAMED_REBUILD + 1 && pf_store_analysis_rebuild(a->tx) != 0)
        return a->failed = 1;
    if (pf_store_analysis_set_all(a->tx, row->id, rp->name, rp->version, rp->flags, row->status,
                                  row->best, row->newer, row->behind_since, rp->flavor,
                                  rp->branch) != 0)
        return a->failed = 1;
    return 0;
}

/* A named row into the analysis: dropped (a remove rule), or added (and, in
 * an incremental analysis, its project touched; streaming: stored). */
static int finish_row(actx *a, const pf_pkg_row *row, uint32_t repo, const an_job *job)
{
    if (job->rc != 0)
        return a->oom = 1;
    if (a->rules && (job->rp.removed || (job->rp.flags & PF_F_REMOVE))) {
        a->removed++;
        int stored = !row->project && !row->version && row->flags == PF_F_REMOVE &&
                     row->status == PF_S_NONE && !row->best && row->newer < 0 && !row->behind_since;
        return stored ? 0 : remember_removed(a, row->id);
    }
    if (a->stream)
        return stream_named(a, row, repo, &job->rp);
    if (add_package(a, row, repo, &job->rp, 0) != 0)
        return 1;
    return a->incremental ? touch(a, a->pkgs[a->n - 1].project) : 0;
}

/* The naming facts of repository repo for a job on row. */
static void job_init(const actx *a, an_job *job, const pf_pkg_row *row, uint32_t repo)
{
    const arepo *ar = &a->repos[repo];
    job->row = row;
    job->scheme = ar->scheme;
    job->family = pf_pool_str(a->pool, ar->family);
    job->rulesets = ar->cat ? (const char *const *)ar->cat->rulesets : NULL;
    job->nrulesets = ar->cat ? ar->cat->nrulesets : 0;
    job->memo_class = ar->memo_class;
}

/* Post the batch being read to the crew, once the memo has named what it
 * can; a->batch is NULL after. 0, or 1 out of memory (nothing posted). */
static int post_batch(actx *a)
{
    abatch *b = a->batch;
    if (!a->crew && !(a->crew = an_crew_new(a->threads)))
        return a->oom = 1;
    for (size_t i = 0; i < b->n; i++)
        job_init(a, &b->jobs[i], &b->rows[i], b->repo[i]);
    b->nmiss = an_name_begin(&b->named, a->rules, a->memo, b->jobs, b->n, b->idx);
    an_crew_post(a->crew, b->nmiss, NAME_CHUNK, an_name_slice, &b->named);
    a->naming = b;
    a->batch = NULL;
    return 0;
}

/* Name what is left of the posted batch on this thread too and wait for
 * the crew; the memo remembers the batch's names. Returns the batch. */
static abatch *finish_naming(actx *a)
{
    abatch *b = a->naming;
    an_crew_finish(a->crew);
    an_name_end(&b->named, b->nmiss);
    a->naming = NULL;
    return b;
}

/* Add a named batch's rows in order; it is empty after. 0, or 1 (a->oom,
 * a->failed). */
static int add_batch(actx *a, abatch *b)
{
    for (size_t i = 0; i < b->n && !a->oom && !a->failed; i++)
        finish_row(a, &b->rows[i], b->repo[i], &b->jobs[i]);
    b->n = b->used = 0;
    return a->oom || a->failed;
}

/* The batch being read is full: finish naming the posted one, post this
 * one, add the finished one's rows while the crew names the new one, and
 * read the next rows into the finished one. 0, or 1 (a->oom, a->failed). */
static int next_batch(actx *a)
{
    abatch *done = a->naming ? finish_naming(a) : NULL;
    if (post_batch(a) != 0) {
        a->spare = done;
        return 1;
    }
    if (done) { /* its rows are added while the crew names the new one */
        a->batch = done;
        return add_batch(a, done);
    }
    if (!(done = a->spare) && !(done = malloc(sizeof *done)))
        return a->oom = 1;
    a->spare = NULL;
    done->n = done->used = 0;
    a->batch = done;
    return 0;
}

/* Name every queued row and add them all, in order. */
static int flush_batch(actx *a)
{
    if (a->oom || a->failed)
        return 1;
    if (a->batch && a->batch->n > 0 && next_batch(a) != 0)
        return 1;
    if (!a->naming)
        return 0;
    a->spare = finish_naming(a);
    return add_batch(a, a->spare);
}

/* Copy a string into the batch arena (NULL stays NULL). */
static const char *batch_copy(abatch *b, const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = b->arena + b->used;
    memcpy(d, s, n);
    b->used += n;
    return d;
}

/* Store callback: a package the rules have not seen (every package in a
 * full analysis, the crawls' new ones in an incremental one), queued for
 * naming; flush_batch must run after the last one. */
static int load_row(void *ctx, const pf_pkg_row *row)
{
    actx *a = ctx;
    uint32_t repo = repo_index(a, row->repo_id);
    if (a->oom)
        return 1;
    a->repos[repo].changed = 1;
    const char *str[] = {row->srcname,  row->binnames, row->raw_version, row->maintainers,
                         row->homepage, row->category, row->summary,     row->project,
                         row->version,  row->best,     row->flavor,      row->branch};
    size_t need = 0;
    for (size_t i = 0; i < sizeof str / sizeof str[0]; i++)
        need += str[i] ? strlen(str[i]) + 1 : 0;
    if (need > BATCH_BYTES) { /* too big to queue: named here, alone */
        an_job job;
        job_init(a, &job, row, repo);
        an_name(a->rules, &job);
        return flush_batch(a) || finish_row(a, row, repo, &job);
    }
    if (!a->batch) {
        if (!(a->batch = malloc(sizeof *a->batch)))
            return a->oom = 1;
        a->batch->n = a->batch->used = 0;
    }
    abatch *b = a->batch;
    if ((b->n == BATCH_ROWS || b->used + need > BATCH_BYTES) && next_batch(a) != 0)
        return 1;
    b = a->batch;
    pf_pkg_row *r = &b->rows[b->n];
    *r = *row;
    r->repo_id = pf_pool_str(a->pool, a->repos[repo].name);
    r->srcname = batch_copy(b, row->srcname);
    r->binnames = batch_copy(b, row->binnames);
    r->raw_version = batch_copy(b, row->raw_version);
    r->maintainers = batch_copy(b, row->maintainers);
    r->homepage = batch_copy(b, row->homepage);
    r->category = batch_copy(b, row->category);
    r->summary = batch_copy(b, row->summary);
    r->project = batch_copy(b, row->project);
    r->version = batch_copy(b, row->version);
    r->best = batch_copy(b, row->best);
    r->flavor = batch_copy(b, row->flavor);
    r->branch = batch_copy(b, row->branch);
    b->repo[b->n++] = repo;
    return 0;
}

/* Copy s (NULL: "") into dst of size bytes, cut as snprintf would; one
 * memcpy instead of a format per field (pass 2 copies four per row). */
static void copy_field(char *dst, size_t size, const char *s)
{
    size_t n = s ? strnlen(s, size - 1) : 0;
    memcpy(dst, s ? s : "", n);
    dst[n] = '\0';
}

/* The stored rule results of an analyzed row (project and version not NULL). */
static void stored_rpkg(const pf_pkg_row *row, pf_rpkg *rp)
{
    copy_field(rp->name, sizeof rp->name, row->project);
    copy_field(rp->version, sizeof rp->version, row->version);
    copy_field(rp->flavor, sizeof rp->flavor, row->flavor);
    copy_field(rp->branch, sizeof rp->branch, row->branch);
    rp->flags = row->flags;
}

/* Store callback (incremental): an analyzed package of a touched project;
 * its stored project, version, flags, flavor and branch are the cached rule
 * results, its stored status its old contribution to the statistics. */
static int load_known_row(void *ctx, const pf_pkg_row *row)
{
    actx *a = ctx;
    /* the pass's filter has just found this row's project among the touched
     * names (a small pool, in the processor's cache): its id there gives the
     * analysis pool's id without a lookup in that large one */
    uint32_t hit = a->scan_hit, project = 0;
    a->scan_hit = 0;
    uint32_t repo = repo_index(a, row->repo_id);
    if (a->oom || !row->project || !row->version)
        return a->oom;
    if (hit && strcmp(pf_pool_str(a->scan_names, hit), row->project) == 0)
        project = a->touched[hit - 1];
    pf_rpkg rp;
    stored_rpkg(row, &rp);
    if (add_package(a, row, repo, &rp, project) != 0)
        return 1;
    const apkg *p = &a->pkgs[a->n - 1];
    return remember_old(a, p->project, repo, row->status, row->behind_since);
}

/* Pool id of an optional text for an identity: 0 for NULL, else interned
 * (intern != 0) or looked up (UINT32_MAX when absent: matches nothing). */
static uint32_t ident_id(actx *a, const char *s, int intern)
{
    if (!s)
        return 0;
    uint32_t id =
        intern ? pf_pool_intern(a->pool, s, strlen(s)) : pf_pool_find(a->pool, s, strlen(s));
    if (!id && intern)
        a->oom = 1;
    return id ? id : UINT32_MAX;
}

/* The identity of a row: what the rules read, besides the repository. */
static void row_ident(actx *a, const pf_pkg_row *row, uint32_t ident[GI_N], int intern)
{
    ident[GI_SRC] = ident_id(a, row->srcname, intern);
    ident[GI_BIN] = ident_id(a, row->binnames, intern);
    ident[GI_RAW] = ident_id(a, row->raw_version, intern);
    ident[GI_MAINT] = ident_id(a, row->maintainers, intern);
    ident[GI_HOME] = ident_id(a, row->homepage, intern);
    ident[GI_CAT] = ident_id(a, row->category, intern);
    ident[GI_SUM] = ident_id(a, row->summary, intern);
}

/* Hash of an identity in a repository. */
static size_t ident_hash(const uint32_t ident[GI_N], unsigned pflags, uint32_t repo)
{
    uint64_t h = 1469598103934665603ULL ^ ((uint64_t)repo << 32 | pflags);
    for (int i = 0; i < GI_N; i++)
        h = (h ^ ident[i]) * 1099511628211ULL;
    return (size_t)(h ^ (h >> 29));
}

/* Store callback (incremental): an analyzed package a crawl deleted. */
static int load_gone(void *ctx, const pf_pkg_row *row)
{
    actx *a = ctx;
    uint32_t repo = repo_index(a, row->repo_id);
    agone *ng = pf_grow_items(a->gones, &a->capgones, a->ngones, sizeof *ng, 4096);
    if (!ng || a->oom)
        return a->oom = 1;
    a->gones = ng;
    agone *g = &a->gones[a->ngones++];
    memset(g, 0, sizeof *g);
    row_ident(a, row, g->ident, 1);
    g->pflags = row->pflags;
    g->repo = repo;
    const char *fl = row->flavor ? row->flavor : "";
    g->project = pf_pool_intern(a->pool, row->project, strlen(row->project));
    g->version = pf_pool_intern(a->pool, row->version ? row->version : "",
                                row->version ? strlen(row->version) : 0);
    g->flavor = pf_pool_intern(a->pool, fl, strlen(fl));
    g->branch = row->branch ? pf_pool_intern(a->pool, row->branch, strlen(row->branch)) : 0;
    g->best = row->best ? pf_pool_intern(a->pool, row->best, strlen(row->best)) : 0;
    g->flags = row->flags;
    g->status = row->status;
    g->newer = row->newer;
    g->behind = row->behind_since;
    a->repos[repo].changed = 1;
    if (!g->project || !g->version || !g->flavor || (row->branch && !g->branch) ||
        (row->best && !g->best))
        a->oom = 1;
    return a->oom;
}

/* Index the deleted packages by identity (open addressing). 0 or -1. */
static int index_gones(actx *a)
{
    size_t cap = 64;
    while (cap < a->ngones * 2)
        cap *= 2;
    a->gone_slots = calloc(cap, sizeof *a->gone_slots);
    if (!a->gone_slots)
        return a->oom = 1, -1;
    a->gone_mask = cap - 1;
    for (size_t i = 0; i < a->ngones; i++) {
        const agone *g = &a->gones[i];
        size_t k = ident_hash(g->ident, g->pflags, g->repo) & a->gone_mask;
        while (a->gone_slots[k])
            k = (k + 1) & a->gone_mask;
        a->gone_slots[k] = (uint32_t)i + 1;
    }
    return 0;
}

/* A deleted package of repository repo with the same rule inputs as row,
 * not yet taken; its index, or -1. */
static long find_gone(actx *a, const pf_pkg_row *row, uint32_t repo)
{
    if (!a->ngones)
        return -1;
    uint32_t ident[GI_N];
    row_ident(a, row, ident, 0);
    for (size_t k = ident_hash(ident, row->pflags, repo) & a->gone_mask; a->gone_slots[k];
         k = (k + 1) & a->gone_mask) {
        agone *g = &a->gones[a->gone_slots[k] - 1];
        if (!g->taken && g->repo == repo && g->pflags == row->pflags &&
            memcmp(g->ident, ident, sizeof ident) == 0)
            return (long)(a->gone_slots[k] - 1);
    }
    return -1;
}

/* Store callback (incremental): a crawl's new row. Equal to a deleted one,
 * it takes that one's results back (the rules would give the same); else
 * the rules name it (load_row). */
static int load_new_row(void *ctx, const pf_pkg_row *row)
{
    actx *a = ctx;
    uint32_t repo = repo_index(a, row->repo_id);
    if (a->oom)
        return 1;
    long g = find_gone(a, row, repo);
    if (g < 0)
        return load_row(ctx, row);
    a->gones[g].taken = 1;
    acopy *nc = pf_grow_items(a->copies, &a->capcopies, a->ncopies, sizeof *nc, 4096);
    if (!nc)
        return a->oom = 1;
    a->copies = nc;
    a->copies[a->ncopies++] = (acopy){row->id, (uint32_t)g, 0};
    return 0;
}

/* Is project (pool id) among the sorted, unique touched projects? */
static int is_touched(const actx *a, uint32_t project)
{
    size_t lo = 0, hi = a->ntouched;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (a->touched[mid] < project)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < a->ntouched && a->touched[lo] == project;
}

/* A copied row whose project is redone anyway: classify it with the others
 * (results from its deleted twin, nothing stored yet), and take back the
 * twin's old contribution. */
static int absorb_copy(actx *a, acopy *c)
{
    const agone *g = &a->gones[c->gone];
    pf_pkg_row row = {
        .id = c->id, .repo_id = pf_pool_str(a->pool, a->repos[g->repo].name), .newer = -1};
    pf_rpkg rp;
    snprintf(rp.name, sizeof rp.name, "%s", pf_pool_str(a->pool, g->project));
    snprintf(rp.version, sizeof rp.version, "%s", pf_pool_str(a->pool, g->version));
    snprintf(rp.flavor, sizeof rp.flavor, "%s", pf_pool_str(a->pool, g->flavor));
    snprintf(rp.branch, sizeof rp.branch, "%s", g->branch ? pf_pool_str(a->pool, g->branch) : "");
    rp.flags = g->flags;
    c->absorbed = 1;
    if (add_package(a, &row, g->repo, &rp, 0) != 0)
        return 1;
    return remember_old(a, g->project, g->repo, g->status, g->behind);
}

/* Order packages by project id, then repository (deterministic groups). */
static int cmp_project(const void *x, const void *y)
{
    const apkg *a = x, *b = y;
    if (a->project != b->project)
        return a->project < b->project ? -1 : 1;
    if (a->repo != b->repo)
        return a->repo < b->repo ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

/* A package row to rewrite: its id and its index in the analysis array. */
typedef struct achg {
    int64_t id;
    size_t at;
} achg;

/* Order rewrites by row id: the writes then walk the table's B-tree in order. */
static int cmp_chg(const void *x, const void *y)
{
    const achg *a = x, *b = y;
    return a->id < b->id ? -1 : a->id > b->id;
}

/* Close the (project, version) group being read: keep it in the staleness
 * history when one of its rows was trusted. */
static int seen_group_end(actx *a)
{
    if (!a->group.project || !a->group_trusted)
        return 0;
    aseen *ns = pf_grow_items(a->seen, &a->capseen, a->nseen, sizeof *ns, 65536);
    if (!ns)
        return a->oom = 1;
    a->seen = ns;
    a->seen[a->nseen++] = a->group;
    return 0;
}

/*
 * Store callback: one stored history row (they come ordered by project and
 * version). Two uses: rows of projects that exist now form the staleness
 * history — per (project, version) the first sighting in any repository,
 * kept when it was ever trusted; and every row is matched against the
 * snapshot's triples for the history diff.
 */
static int load_seen(void *ctx, const pf_seen_row *row)
{
    actx *a = ctx;
    /* rows come by project and version: the current group's ids when equal */
    int same =
        a->group.project && strcmp(row->project, pf_pool_str(a->pool, a->group.project)) == 0;
    uint32_t proj =
        same ? a->group.project : pf_pool_find(a->pool, row->project, strlen(row->project));
    uint32_t ver = 0;
    if (same && strcmp(row->version, pf_pool_str(a->pool, a->group.version)) == 0) {
        ver = a->group.version;
    } else if (proj) {
        ver = pf_pool_intern(a->pool, row->version, strlen(row->version));
        if (!ver)
            return a->oom = 1;
    }
    if (proj != a->group.project || ver != a->group.version) {
        if (seen_group_end(a) != 0)
            return 1;
        a->group = (aseen){proj, ver, row->first_seen};
        a->group_trusted = 0;
    }
    if (row->first_seen < a->group.first_seen)
        a->group.first_seen = row->first_seen;
    a->group_trusted |= row->trusted != 0;
    uint32_t repo = pf_pool_find(a->pool, row->repo_id, strlen(row->repo_id));
    int present = row->last_seen == 0;
    if (!ah_old(&a->hist, proj, ver, repo, present, row->trusted) && present &&
        ah_gone(&a->hist, row->project, row->version, row->repo_id) != 0)
        return a->oom = 1;
    return 0;
}

/* Order history rows by project id (versions need no order). */
static int cmp_seen(const void *x, const void *y)
{
    const aseen *a = x, *b = y;
    return a->project < b->project ? -1 : a->project > b->project;
}

/* Statuses whose version is trusted for history and staleness. */
static int status_trusted(int s)
{
    return s == PF_S_NEWEST || s == PF_S_OUTDATED || s == PF_S_UNIQUE || s == PF_S_DEVEL ||
           s == PF_S_LEGACY;
}

/* Libversion flags of a package. */
static unsigned vflags(unsigned flags)
{
    return (flags & PF_F_P_IS_PATCH ? PF_V_P_IS_PATCH : 0) |
           (flags & PF_F_ANY_IS_PATCH ? PF_V_ANY_IS_PATCH : 0);
}

/*
 * Staleness of the outdated packages of one project. Candidates are the
 * trusted history versions of the project (hist[0..nhist)) and the trusted
 * versions present now (first seen now when not in the history yet).
 */
static void project_staleness(const actx *a, apkg *pkgs, size_t n, const aseen *hist, size_t nhist)
{
    const apkg *best = NULL;
    static const int order[] = {PF_S_NEWEST, PF_S_UNIQUE, PF_S_DEVEL};
    for (int pass = 0; pass < 3 && !best; pass++)
        for (size_t i = 0; i < n; i++)
            if (pkgs[i].status == order[pass] &&
                (!best || pf_vercmp4(pf_pool_str(a->pool, pkgs[i].version),
                                     pf_pool_str(a->pool, best->version), vflags(pkgs[i].flags),
                                     vflags(best->flags)) > 0))
                best = &pkgs[i];
    if (!best)
        return;
    const char *bv = pf_pool_str(a->pool, best->version);
    /* the present versions that are candidates besides the history, each
     * once: worked out once per project, not again for every outdated
     * package (that was quadratic in the project's size for each one) */
    for (size_t e = 0; e < n; e++) {
        uint32_t v = pkgs[e].version;
        int fresh = status_trusted(pkgs[e].status);
        for (size_t h = 0; h < nhist && fresh; h++)
            fresh = hist[h].version != v;
        for (size_t f = 0; f < e && fresh; f++)
            fresh = !(pkgs[f].fresh_version && pkgs[f].version == v);
        pkgs[e].fresh_version = fresh;
    }
    for (size_t i = 0; i < n; i++) {
        apkg *p = &pkgs[i];
        if (p->status != PF_S_OUTDATED)
            continue;
        const char *pv = pf_pool_str(a->pool, p->version);
        unsigned pf = vflags(p->flags);
        /* distinct candidate versions in (pv, best]; the lowest is the next one */
        long count = 0;
        uint32_t next = 0;
        int64_t next_first = 0;
        for (size_t k = 0; k < nhist + n; k++) {
            uint32_t v;
            int64_t first;
            if (k < nhist) {
                v = hist[k].version;
                first = hist[k].first_seen;
            } else {
                const apkg *q = &pkgs[k - nhist];
                if (!q->fresh_version) /* untrusted, or counted through the history or earlier */
                    continue;
                v = q->version;
                first = a->now;
            }
            const char *vs = pf_pool_str(a->pool, v);
            if (pf_vercmp4(vs, pv, pf, pf) <= 0 || pf_vercmp4(vs, bv, pf, vflags(best->flags)) > 0)
                continue;
            count++;
            if (!next || pf_vercmp(vs, pf_pool_str(a->pool, next)) < 0 ||
                (v == next && first < next_first)) {
                next = v;
                next_first = first;
            } else if (pf_vercmp(vs, pf_pool_str(a->pool, next)) == 0 && first < next_first) {
                next_first = first;
            }
        }
        p->best = best->version;
        p->newer = count;
        if (next && a->hist_start > 0 && next_first > a->hist_start)
            p->behind = next_first;
    }
}

/* Per (repository, project) facts that the project counts are made of. */
enum {
    RP_NEWEST = 1,      /* a newest or devel package */
    RP_OUTDATED = 2,    /* an outdated package */
    RP_INCORRECT = 4,   /* an incorrect package */
    RP_PROBLEMATIC = 8, /* an ignored, incorrect or untrusted package */
};

/*
 * Fold one project's packages f[0..n) (sorted by repository) into the
 * per-repository counts with sign +1 (new results) or -1 (an incremental
 * analysis taking back the old ones). Lags are collected only by a full
 * analysis (an incremental one reads them from the store afterwards).
 */
static int fold_project(actx *a, const afold *f, size_t n, pf_repo_stats *stats, long sign)
{
    /* As on Repology, a project only shadow repositories have is classified (and
     * its shadow packages count for families and versions elsewhere) but left
     * out of every statistic. */
    int countable = 0;
    for (size_t i = 0; i < n && !countable; i++)
        countable = !(a->repos[f[i].repo].cat && a->repos[f[i].repo].cat->shadow);
    if (!countable)
        return 0;
    int one_family = 1;
    for (size_t i = 1; i < n && one_family; i++)
        one_family = a->repos[f[i].repo].family == a->repos[f[0].repo].family;
    for (size_t i = 0; i < n;) {
        uint32_t r = f[i].repo;
        unsigned bits = 0;
        double lag = -1; /* the smallest known lag of this repository's outdated packages */
        for (; i < n && f[i].repo == r; i++) {
            int s = f[i].status;
            double l = f[i].behind > 0 ? (double)(a->now - f[i].behind) / 86400.0 : -1;
            if (s == PF_S_OUTDATED && l >= 0 && (lag < 0 || l < lag))
                lag = l;
            stats[r].num_packages += sign;
            if (s >= 0 && s < 16)
                stats[r].pkg_status[s] += sign;
            if (s == PF_S_NEWEST || s == PF_S_DEVEL)
                bits |= RP_NEWEST;
            if (s == PF_S_OUTDATED)
                bits |= RP_OUTDATED;
            if (s == PF_S_INCORRECT)
                bits |= RP_INCORRECT;
            if (s == PF_S_IGNORED || s == PF_S_INCORRECT || s == PF_S_UNTRUSTED)
                bits |= RP_PROBLEMATIC;
        }
        pf_repo_stats *st = &stats[r];
        /* Repology's update_repositories.sql: newest = not unique, a newest or
         * devel package and no outdated one */
        int newest = !one_family && (bits & RP_NEWEST) && !(bits & RP_OUTDATED);
        st->num_projects += sign;
        st->num_unique += one_family ? sign : 0;
        st->num_newest += newest ? sign : 0;
        st->num_outdated += bits & RP_OUTDATED ? sign : 0;
        st->num_comparable += newest || (bits & (RP_OUTDATED | RP_INCORRECT)) ? sign : 0;
        st->num_problematic += bits & RP_PROBLEMATIC ? sign : 0;
        if ((bits & RP_OUTDATED) && lag >= 0 && !a->incremental) {
            alag *nl = pf_grow_items(a->lags, &a->caplags, a->nlags, sizeof *nl, 4096);
            if (!nl)
                return -1;
            a->lags = nl;
            a->lags[a->nlags++] = (alag){lag, r};
        }
    }
    return 0;
}

/* Classify one project's packages pkgs[0..n) and work out the staleness of
 * its outdated ones; scratch has room for n. Reads the analysis context
 * only (several threads run this at once on different projects). */
static int classify_one(const actx *a, apkg *pkgs, size_t n, pf_cpkg *scratch, const aseen *hist,
                        size_t nhist)
{
    for (size_t i = 0; i < n; i++) {
        scratch[i].version = pf_pool_str(a->pool, pkgs[i].version);
        scratch[i].flags = pkgs[i].flags;
        scratch[i].repo = (int)pkgs[i].repo;
        scratch[i].family = (int)a->repos[pkgs[i].repo].family;
        scratch[i].flavor = pf_pool_str(a->pool, pkgs[i].flavor);
        scratch[i].branch = pkgs[i].branch ? pf_pool_str(a->pool, pkgs[i].branch) : NULL;
        scratch[i].status = PF_S_NONE;
    }
    if (pf_classify_project(scratch, n) != 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        pkgs[i].status = scratch[i].status;
    project_staleness(a, pkgs, n, hist, nhist);
    return 0;
}

/* Projects of a package array sorted by project (classify_projects). */
typedef struct aprojs {
    const actx *a;
    apkg *pkgs;
    const size_t *start; /* project k is pkgs[start[k] .. start[k + 1]) */
    const aseen *seen;   /* trusted history, sorted by project */
    size_t nseen;
    atomic_int failed; /* out of memory in some slice */
} aprojs;

/* Slice body: classify projects [lo, hi), each with its history (the seen
 * entries of its project id, found by binary search then merged). */
static void classify_slice(void *ctx, size_t lo, size_t hi)
{
    aprojs *c = ctx;
    pf_cpkg *scratch = NULL;
    size_t cap = 0, at = 0, top = c->nseen;
    uint32_t first = c->pkgs[c->start[lo]].project;
    while (at < top) { /* the first history entry of a project >= first */
        size_t mid = at + (top - at) / 2;
        if (c->seen[mid].project < first)
            at = mid + 1;
        else
            top = mid;
    }
    for (size_t k = lo; k < hi; k++) {
        apkg *p = c->pkgs + c->start[k];
        size_t n = c->start[k + 1] - c->start[k];
        if (n > cap) { /* room for twice this project */
            pf_cpkg *ns = realloc(scratch, n * 2 * sizeof *ns);
            if (!ns) {
                c->failed = 1;
                break;
            }
            scratch = ns;
            cap = n * 2;
        }
        while (at < c->nseen && c->seen[at].project < p->project)
            at++;
        size_t end = at;
        while (end < c->nseen && c->seen[end].project == p->project)
            end++;
        if (classify_one(c->a, p, n, scratch, c->seen + at, end - at) != 0) {
            c->failed = 1;
            break;
        }
        at = end;
    }
    free(scratch);
}

/*
 * Classify every project of pkgs[0..n) (sorted by project, then repository)
 * on a->threads threads, then fold the results into stats in project order
 * on this one (so lags and counts come out as with one thread). Adds the
 * number of projects to *projects. 0, or -1 out of memory.
 */
static int classify_projects(actx *a, apkg *pkgs, size_t n, const aseen *seen, size_t nseen,
                             pf_repo_stats *stats, long *projects)
{
    size_t nproj = 0, biggest = 0;
    for (size_t i = 0; i < n; i++)
        nproj += i == 0 || pkgs[i].project != pkgs[i - 1].project;
    size_t *start = malloc((nproj + 1) * sizeof *start);
    if (!start)
        return -1;
    nproj = 0;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || pkgs[i].project != pkgs[i - 1].project)
            start[nproj++] = i;
    start[nproj] = n;
    for (size_t k = 0; k < nproj; k++)
        if (start[k + 1] - start[k] > biggest)
            biggest = start[k + 1] - start[k];
    aprojs c = {.a = a, .pkgs = pkgs, .start = start, .seen = seen, .nseen = nseen};
    atomic_init(&c.failed, 0);
    an_parallel(nproj, a->threads, 16, classify_slice, &c);
    afold *fold = c.failed ? NULL : malloc((biggest + 1) * sizeof *fold);
    int rc = fold ? 0 : -1;
    for (size_t k = 0; k < nproj && rc == 0; k++) {
        size_t m = 0; /* pkgs are sorted by repository within the project: so is fold */
        for (size_t i = start[k]; i < start[k + 1]; i++)
            fold[m++] = (afold){pkgs[i].project, pkgs[i].repo, pkgs[i].status, pkgs[i].behind};
        rc = fold_project(a, fold, m, stats, +1);
    }
    free(fold);
    free(start);
    if (rc == 0)
        *projects += (long)nproj;
    return rc;
}

/* Median and 90th percentile (nearest rank) of each repository's known lags:
 * the lags are bucketed by repository in one pass (counting sort), then the
 * ranks needed are selected in each bucket (percentile.c), no sort. */
static int lag_percentiles(actx *a, pf_repo_stats *stats)
{
    double *buf = malloc((a->nlags + 1) * sizeof *buf);
    size_t *start = calloc(a->nrepos + 2, sizeof *start);
    if (!buf || !start) {
        free(buf);
        free(start);
        return -1;
    }
    for (size_t i = 0; i < a->nlags; i++)
        start[a->lags[i].repo + 2]++;
    for (size_t r = 2; r < a->nrepos + 2; r++)
        start[r] += start[r - 1];
    /* start[r + 1]: where repository r's bucket begins; bumped while filling */
    for (size_t i = 0; i < a->nlags; i++)
        buf[start[a->lags[i].repo + 1]++] = a->lags[i].days;
    for (size_t r = 0; r < a->nrepos; r++) {
        double *b = buf + start[r];
        size_t n = start[r + 1] - start[r];
        an_median_p90(b, n, &stats[r].median_lag_days, &stats[r].p90_lag_days);
    }
    free(buf);
    free(start);
    return 0;
}

/*
 * The naming memo for an analysis with rules (without, naming is cheap):
 * $PKGFRESH_NAME_MEMO_MB sets its budget in MiB (0: no memo), else
 * namememo.c's default. *oom is set when it cannot be made.
 */
static an_memo *naming_memo(const pf_rules *rules, int *oom)
{
    const char *env = getenv("PKGFRESH_NAME_MEMO_MB");
    long mb = env && *env ? strtol(env, NULL, 10) : -1;
    if (!rules || mb == 0)
        return NULL;
    an_memo *m = an_memo_new(mb > 0 ? (size_t)mb << 20 : 0);
    if (!m)
        *oom = 1;
    return m;
}

/* Monotonic seconds. */
static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* $PKGFRESH_TIMINGS: the time since the previous mark, as one line on
 * stderr naming the phase that just ended; then a new mark. */
static void phase(actx *a, const char *what)
{
    if (!a->timings)
        return;
    double t = mono();
    fprintf(stderr, "pkgfresh: analyze: %-34s %8.3f s\n", what, t - a->mark);
    a->mark = t;
}

/* $PKGFRESH_TIMINGS: add the time since *t to pass 2's step k (history
 * read, classify, result writes, history writes, next pool, project
 * summaries), and restart *t. */
static void pass2_step(actx *a, int k, double *t)
{
    if (!a->timings)
        return;
    double now = mono();
    a->pass2_t[k] += now - *t;
    *t = now;
}

/* Free everything the analysis context owns. */
static void actx_free(actx *a)
{
    free(a->pkgs);
    free(a->repos);
    free(a->maints);
    free(a->seen);
    free(a->removed_ids);
    free(a->lags);
    free(a->old);
    free(a->touched);
    free(a->gones);
    free(a->gone_slots);
    free(a->copies);
    an_crew_free(a->crew); /* finishes a posted batch before it is freed */
    free(a->batch);
    free(a->naming);
    free(a->spare);
    free(a->last);
    an_spill_free(a->spill);
    free(a->after);
    free(a->repo_of_name);
    an_memo_free(a->memo);
    ah_free(&a->hist);
    pf_pool_free(a->pool);
    pf_pool_free(a->mpool);
}

/* A new history triple, by its strings: inserts go in the primary key's order. */
typedef struct hnew {
    const char *project, *version, *repo;
    int trusted;
} hnew;

/* Order new triples by project, version, repository name. */
static int cmp_hnew(const void *x, const void *y)
{
    const hnew *a = x, *b = y;
    int c = strcmp(a->project, b->project);
    if (c == 0)
        c = strcmp(a->version, b->version);
    return c ? c : strcmp(a->repo, b->repo);
}

/*
 * Write the history diff: triples seen for the first time are inserted
 * (sorted, so a first analysis fills the index in order), rows that came
 * back or became trusted are updated, rows the snapshot lost get last_seen =
 * the previous analysis (the last one that saw them). Unchanged rows — nearly
 * all of them week to week — cost nothing.
 */
static int write_history(actx *a, pf_analysis_tx *tx, int64_t prev_run)
{
    ah_set *h = &a->hist;
    size_t nnew = 0;
    for (size_t i = 0; i < h->cap; i++)
        nnew += h->ents[i].project && !h->ents[i].stored;
    hnew *fresh = malloc((nnew + 1) * sizeof *fresh);
    if (!fresh)
        return -1;
    int rc = 0;
    nnew = 0;
    for (size_t i = 0; i < h->cap && rc == 0; i++) {
        const ah_ent *e = &h->ents[i];
        if (!e->project)
            continue;
        if (!e->stored)
            fresh[nnew++] =
                (hnew){pf_pool_str(a->pool, e->project), pf_pool_str(a->pool, e->version),
                       pf_pool_str(a->pool, e->repo), e->trusted_now};
        else if (!e->old_present || (e->trusted_now && !e->old_trusted))
            rc = pf_store_seen_update(tx, pf_pool_str(a->pool, e->project),
                                      pf_pool_str(a->pool, e->version),
                                      pf_pool_str(a->pool, e->repo), 0, e->trusted_now);
    }
    if (nnew > 1)
        qsort(fresh, nnew, sizeof *fresh, cmp_hnew);
    for (size_t i = 0; i < nnew && rc == 0; i++)
        rc = pf_store_seen_insert(tx, fresh[i].project, fresh[i].version, fresh[i].repo,
                                  fresh[i].trusted);
    size_t pos = 0;
    for (size_t i = 0; i < h->ngone && rc == 0; i++) {
        const char *project, *version, *repo;
        ah_gone_key(h, &pos, &project, &version, &repo);
        rc = pf_store_seen_update(tx, project, version, repo, prev_run > 0 ? prev_run : a->now, 0);
    }
    free(fresh);
    return rc;
}

/*
 * What stored results depend on besides the snapshot and the history: this
 * code (bump ANALYSIS_EPOCH when seeding, normalization or classification
 * change what an analysis stores), the rules, and the catalog's view of
 * every repository. A different digest makes the next analysis a full one.
 */
#define ANALYSIS_EPOCH "1"

/* Fold a NUL-terminated string (with its NUL) into a running FNV-1a 64. */
static uint64_t digest_str(uint64_t h, const char *s)
{
    do
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    while (*s++);
    return h;
}

/* The digest of the inputs above, as 16 hex digits. */
static void analysis_digest(const pf_catalog *cat, const pf_rules *rules, char *out, size_t len)
{
    uint64_t h = digest_str(1469598103934665603ULL,
                            "pkgfresh " PKGFRESH_VERSION " analysis " ANALYSIS_EPOCH);
    char rd[32];
    snprintf(rd, sizeof rd, "%d:%016llx", rules != NULL,
             (unsigned long long)pf_rules_digest(rules));
    h = digest_str(h, rd);
    for (size_t i = 0; cat && i < cat->nrepos; i++) {
        const pf_repo *r = &cat->repos[i];
        h = digest_str(h, r->id);
        h = digest_str(h, r->family ? r->family : "");
        h = digest_str(h, r->format ? r->format : "");
        h = digest_str(h, r->shadow ? "shadow" : "");
        for (size_t k = 0; k < r->nrulesets; k++)
            h = digest_str(h, r->rulesets[k]);
        h = digest_str(h, "");
    }
    snprintf(out, len, "%016llx", (unsigned long long)h);
}

/* Order old contributions by project, then repository (fold_project's order). */
static int cmp_fold(const void *x, const void *y)
{
    const afold *a = x, *b = y;
    if (a->project != b->project)
        return a->project < b->project ? -1 : 1;
    return a->repo < b->repo ? -1 : a->repo > b->repo;
}

/* Order pool ids. */
static int cmp_u32(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return a < b ? -1 : a > b;
}

/* Repository callback (incremental): which repositories get a statistics
 * row (those with packages), and the previous run's row of each. */
typedef struct aprev {
    actx *a;
    int64_t prev_run;
} aprev;

static int load_prev(void *ctx, const pf_repo_row *row)
{
    aprev *pc = ctx;
    int base = row->has_stats && row->stats_taken_at == pc->prev_run;
    if (row->crawl_packages > 0)
        pc->a->total += row->crawl_packages;
    if (row->crawl_packages <= 0 && !base)
        return 0;
    uint32_t r = repo_index(pc->a, row->repo_id);
    if (pc->a->oom)
        return 1;
    arepo *ar = &pc->a->repos[r];
    ar->emit = row->crawl_packages > 0;
    if (base) {
        ar->base = row->stats;
        ar->base.repo_id = NULL;
        ar->has_base = 1;
    }
    return 0;
}

/* Store filter of scan_touched: is this project in the pool of touched
 * names? Its id there is kept for the row callback, which SQLite calls for
 * the row right after the filter kept it (load_known_row checks the name). */
static int keep_touched(void *ctx, const char *project, size_t len)
{
    actx *a = ctx;
    a->scan_hit = pf_pool_find(a->scan_names, project, len);
    return a->scan_hit != 0;
}

/*
 * The pass: every result row, keeping the touched projects' (names[0..n)).
 * Its filter looks a row's project up in a pool of its own holding only
 * those names: its tables fit in the processor's cache, where the
 * analysis' pool (every name and version) cost a few cache misses a row,
 * for 5 M rows a week on the universe (a third of the pass in a profile).
 */
static int scan_touched(actx *a, const char *const *names, size_t n)
{
    pf_pool *set = pf_pool_new();
    if (!set)
        return a->oom = 1, -1;
    for (size_t i = 0; i < n; i++) /* names[i] is touched[i]'s: id i + 1 in set */
        if (pf_pool_intern(set, names[i], strlen(names[i])) != i + 1) {
            pf_pool_free(set);
            return a->oom = 1, -1;
        }
    a->scan_names = set;
    a->scan_hit = 0;
    int rc = pf_store_each_package_if(a->st, keep_touched, a, load_known_row, a);
    a->scan_names = NULL;
    pf_pool_free(set);
    return rc;
}

/*
 * How to read the touched projects' packages: 1 = one pass over every
 * result row in rowid order, keeping the touched projects' rows; 0 = their
 * rows through the index result_project, project after project (each row
 * then a lookup of its own, anywhere in the table). On the 5 M-package
 * universe a row costs about 2.5 us by the index and a pass about 0.1 us a
 * row, but rows in rowid order cost more to sort by project afterwards
 * than rows that come project by project: a week of gen_db touches
 * 1.2-1.9 M packages (a quarter to two fifths of all), 4.7 s by the index
 * and 1.9 s by a pass, plus 0.3 s more sorting; nix_stable changed touches
 * 215k (4 %), 0.7 s either way, and the sort tips it to the index. So the
 * pass is taken past a SCAN_SHARE-th of the stored packages (counted in
 * the index, stopping there); $PKGFRESH_ANALYZE_SCAN: 0 never, 1 always.
 * -1 on a store error.
 */
#define SCAN_SHARE 10
static int touched_by_scan(actx *a, const char *const *names, size_t n)
{
    const char *env = getenv("PKGFRESH_ANALYZE_SCAN");
    if (env && *env)
        return strcmp(env, "0") != 0;
    long limit = (long)(a->total / SCAN_SHARE);
    long count = pf_store_count_packages_of(a->st, names, n, limit);
    return count < 0 ? -1 : count > limit;
}

/* Incremental loading: previous statistics, the crawls' new packages (rules
 * applied), the deleted ones, then every analyzed package and the version
 * history of each touched project. 0, or -1 (a->oom or a store error). */
static int load_incremental(actx *a, pf_store *st, int64_t prev_run)
{
    aprev pc = {a, prev_run};
    if (pf_store_each_repo(st, load_prev, &pc) != 0 || a->oom ||
        pf_store_each_gone(st, load_gone, a) != 0 || a->oom || index_gones(a) != 0 ||
        pf_store_each_new_package(st, load_new_row, a) != 0 || a->oom || flush_batch(a) != 0)
        return -1;
    /* deleted packages no new row took back: their projects are redone */
    for (size_t i = 0; i < a->ngones; i++) {
        const agone *g = &a->gones[i];
        if (!g->taken && (touch(a, g->project) != 0 ||
                          remember_old(a, g->project, g->repo, g->status, g->behind) != 0))
            return -1;
    }
    if (a->ntouched > 1)
        qsort(a->touched, a->ntouched, sizeof *a->touched, cmp_u32);
    size_t n = 0;
    for (size_t i = 0; i < a->ntouched; i++)
        if (n == 0 || a->touched[i] != a->touched[n - 1])
            a->touched[n++] = a->touched[i];
    a->ntouched = n;
    for (size_t i = 0; i < a->ncopies; i++)
        if (is_touched(a, a->gones[a->copies[i].gone].project) &&
            absorb_copy(a, &a->copies[i]) != 0)
            return -1;
    const char **names = malloc((n + 1) * sizeof *names);
    if (!names)
        return a->oom = 1, -1;
    for (size_t i = 0; i < n; i++)
        names[i] = pf_pool_str(a->pool, a->touched[i]);
    int scan = n ? touched_by_scan(a, names, n) : 0;
    a->scanned = scan == 1;
    int rc = scan < 0 ||
             (scan ? scan_touched(a, names, n)
                   : pf_store_each_package_of(st, names, n, load_known_row, a)) != 0 ||
             a->oom || pf_store_each_seen_of(st, names, n, load_seen, a) != 0 || a->oom;
    free(names);
    return rc ? -1 : 0;
}

/* Incremental: store the results taken back by new rows equal to deleted ones. */
static int write_copies(actx *a, pf_analysis_tx *tx)
{
    int rc = 0;
    for (size_t i = 0; i < a->ncopies && rc == 0; i++) {
        if (a->copies[i].absorbed)
            continue;
        const agone *g = &a->gones[a->copies[i].gone];
        rc = pf_store_analysis_set_all(tx, a->copies[i].id, pf_pool_str(a->pool, g->project),
                                       pf_pool_str(a->pool, g->version), g->flags, g->status,
                                       g->best ? pf_pool_str(a->pool, g->best) : NULL, g->newer,
                                       g->behind, pf_pool_str(a->pool, g->flavor),
                                       g->branch ? pf_pool_str(a->pool, g->branch) : NULL);
    }
    return rc;
}

/* Incremental: take back the old contributions of the touched projects and
 * return the change in the number of projects (new ones minus vanished). */
static long fold_old(actx *a, pf_repo_stats *stats)
{
    if (a->nold > 1)
        qsort(a->old, a->nold, sizeof *a->old, cmp_fold);
    for (size_t i = 0; i < a->nold;) {
        size_t j = i + 1;
        while (j < a->nold && a->old[j].project == a->old[i].project)
            j++;
        if (fold_project(a, a->old + i, j - i, stats, -1) != 0)
            return a->oom = 1, 0;
        i = j;
    }
    long delta = 0;
    size_t o = 0, p = 0;
    for (size_t t = 0; t < a->ntouched; t++) {
        uint32_t proj = a->touched[t];
        while (o < a->nold && a->old[o].project < proj)
            o++;
        while (p < a->n && a->pkgs[p].project < proj)
            p++;
        delta +=
            (p < a->n && a->pkgs[p].project == proj) - (o < a->nold && a->old[o].project == proj);
    }
    return delta;
}

/* Incremental: each touched project's repositories and packages, as this
 * analysis leaves them (a->pkgs, sorted by project then repository, holds
 * every package of every touched project), for the project summary; the
 * projects crawls dirtied without touching them kept their counts (each
 * deleted package was taken back by an equal new one), so the store does not
 * recount them from the package table at its commit. */
static int write_summary(actx *a, pf_analysis_tx *tx)
{
    size_t p = 0;
    for (size_t t = 0; t < a->ntouched; t++) {
        uint32_t proj = a->touched[t];
        while (p < a->n && a->pkgs[p].project < proj)
            p++;
        long packages = 0, repos = 0;
        for (; p < a->n && a->pkgs[p].project == proj; p++, packages++)
            repos += packages == 0 || a->pkgs[p].repo != a->pkgs[p - 1].repo;
        if (pf_store_analysis_summary(tx, pf_pool_str(a->pool, proj), repos, packages) != 0)
            return -1;
    }
    return 0;
}

/* Maintainer list callback (incremental): counted for the repository in a->nlags' slot. */
typedef struct amctx {
    actx *a;
    uint32_t repo;
} amctx;

static int load_maint(void *ctx, const char *text)
{
    amctx *m = ctx;
    add_maintainers(m->a, m->repo, text);
    return m->a->oom;
}

/* Lag callback state (incremental): the rows come grouped by repository,
 * so the last one's name and index answer most lookups. */
typedef struct alctx {
    actx *a;
    uint32_t name; /* pool id of the last repository id, 0 none */
    size_t r;      /* its index, a->nrepos when it has no statistics row */
} alctx;

/* Lag callback (incremental): one (repository, project)'s smallest lag. */
static int load_lag(void *ctx, const char *repo_id, int64_t behind)
{
    alctx *l = ctx;
    actx *a = l->a;
    /* the same repository as the last call: a string compare, no hash */
    uint32_t name = l->name && strcmp(pf_pool_str(a->pool, l->name), repo_id) == 0
                        ? l->name
                        : pf_pool_find(a->pool, repo_id, strlen(repo_id));
    if (!name || name != l->name) {
        l->name = name;
        l->r = a->nrepos;
        for (size_t i = 0; name && i < a->nrepos && l->r == a->nrepos; i++)
            if (a->repos[i].name == name)
                l->r = i;
    }
    if (l->r == a->nrepos)
        return 0; /* no statistics row */
    alag *nl = pf_grow_items(a->lags, &a->caplags, a->nlags, sizeof *nl, 4096);
    if (!nl)
        return a->oom = 1;
    a->lags = nl;
    a->lags[a->nlags++] = (alag){(double)(a->now - behind) / 86400.0, (uint32_t)l->r};
    return 0;
}

/* Distinct maintainers per repository from a->maints (only for repositories
 * with want[r], or all when want is NULL). */
static void count_maintainers(actx *a, pf_repo_stats *stats)
{
    if (a->nmaints > 1)
        qsort(a->maints, a->nmaints, sizeof *a->maints, cmp_maint);
    for (size_t i = 0; i < a->nmaints; i++)
        if (i == 0 || cmp_maint(&a->maints[i], &a->maints[i - 1]) != 0)
            stats[a->maints[i].repo].num_maintainers++;
}

/* Incremental, inside the transaction once the packages are written:
 * maintainers of the changed repositories, lag percentiles of all. */
static int finish_incremental(actx *a, pf_store *st, pf_repo_stats *stats)
{
    for (size_t r = 0; r < a->nrepos; r++) {
        if (!a->repos[r].changed || !a->repos[r].emit)
            continue;
        stats[r].num_maintainers = 0;
        amctx m = {a, (uint32_t)r};
        if (pf_store_each_maintainers(st, pf_pool_str(a->pool, a->repos[r].name), load_maint, &m) !=
                0 ||
            a->oom)
            return -1;
    }
    count_maintainers(a, stats);
    alctx l = {a, 0, a->nrepos};
    if (pf_store_each_lag(st, a->now, load_lag, &l) != 0 || a->oom)
        return -1;
    return lag_percentiles(a, stats);
}

/*
 * Did crawls change so much that a full analysis is cheaper? An incremental
 * one reads each touched project through the index, a full one reads the
 * table in one pass: past about a third of the rows deleted and inserted
 * again, the pass wins (both give the same results).
 * $PKGFRESH_FULL_ABOVE sets the threshold in percent (100: never).
 */
static int mostly_changed(pf_store *st)
{
    int64_t gone, fresh, total;
    const char *env = getenv("PKGFRESH_FULL_ABOVE");
    long pct = env && *env ? strtol(env, NULL, 10) : 35;
    if (pct >= 100)
        return 0;
    if (pf_store_pending(st, &gone, &fresh, &total) != 0)
        return 1; /* a full analysis reports the error if it persists */
    return (gone + fresh) * 100 > total * 2 * pct;
}

/*
 * Write the package rows of pkgs[0..n) whose results changed (in id order:
 * the writes then walk the table's B-tree in order) and mark the history
 * triples a trusted package has. Week to week most rows are unchanged and
 * cost nothing. Each changed row gets the narrowest UPDATE that holds its
 * change: the best version and newer count alone (most of them: outdated
 * packages of a touched project one more version behind), status and
 * staleness, or every result column.
 */
static int write_packages(actx *a, pf_analysis_tx *tx, const apkg *pkgs, size_t n)
{
    achg *chg = malloc((n + 1) * sizeof *chg);
    size_t nchg = 0;
    if (!chg)
        return a->oom = 1, -1;
    for (size_t i = 0; i < n; i++) {
        const apkg *p = &pkgs[i];
        if (!p->old_same_pv || p->old_flags != p->flags || p->old_status != p->status ||
            p->old_best != p->best || p->old_newer != p->newer || p->old_behind != p->behind ||
            p->old_flavor != p->flavor || p->old_branch != p->branch)
            chg[nchg++] = (achg){p->id, i};
        ah_ent *e = ah_find(&a->hist, p->project, p->version, a->repos[p->repo].name);
        if (e && status_trusted(p->status))
            e->trusted_now = 1;
    }
    if (nchg > 1)
        qsort(chg, nchg, sizeof *chg, cmp_chg);
    int rc = 0;
    for (size_t k = 0; k < nchg && rc == 0; k++) {
        const apkg *p = &pkgs[chg[k].at];
        const char *best = p->best ? pf_pool_str(a->pool, p->best) : NULL;
        int rules_same = p->old_same_pv && p->old_flags == p->flags && p->old_flavor == p->flavor &&
                         p->old_branch == p->branch;
        if (rules_same && p->old_status == p->status && p->old_behind == p->behind)
            rc = pf_store_analysis_set_best(tx, p->id, best, p->newer);
        else if (rules_same)
            rc = pf_store_analysis_set_status(tx, p->id, p->status, best, p->newer, p->behind);
        else
            rc = pf_store_analysis_set_all(
                tx, p->id, pf_pool_str(a->pool, p->project), pf_pool_str(a->pool, p->version),
                p->flags, p->status, best, p->newer, p->behind, pf_pool_str(a->pool, p->flavor),
                p->branch ? pf_pool_str(a->pool, p->branch) : NULL);
    }
    free(chg);
    return rc;
}

/*
 * When to stream a full analysis, and in batches of how many packages: 0
 * = in memory. $PKGFRESH_ANALYZE_STREAM: 0 never, N > 0 always, with
 * batches of about N packages (1: a project at a time); unset, above
 * STREAM_ABOVE packages (in memory costs about 300 bytes a package plus the
 * pool: a few hundred MB there), with batches of STREAM_BATCH.
 */
#define STREAM_ABOVE 1500000

/*
 * A full analysis may rewrite every row. Its transaction gets a page cache
 * that holds most of the dirty pages (SQLite allocates it only as pages are
 * used) and no memory map meanwhile (mapped pages count in RSS as well): with
 * the 64 MiB cache it had, every page spilled went to the WAL and again each
 * time it changed after, and looking pages up in a WAL of several GB cost
 * more than the analysis itself (5 M packages, streaming: 221-326 s and
 * 1.36-1.40 GB peak RSS before, 183 s and 1.04 GB after).
 */
#define FULL_CACHE_KIB (768 * 1024)
/*
 * An incremental analysis that read its touched projects in one pass (they
 * hold more than a tenth of the packages, touched_by_scan) rewrites pages
 * all over pkg_result, result_behind and the history, and with the
 * connection's 32 MiB they spilled to the WAL mid-transaction (12 % of a
 * gen_db week's samples). Its transaction gets INC_CACHE_KIB, the map
 * kept. 6-run gen_db, two pairs in turn, weeks 2-6, result and history
 * writes plus commit: 47.7 -> 38.2 s and 51.5 -> 44.5 s; system time 49.2
 * -> 32.7 s and 49.8 -> 38.8 s. A smaller one (nix_stable changed touches
 * 4 %) keeps the connection's cache: with 256 MiB it measured slower in
 * two of three runs (4.78-6.23 s against 4.27-5.56 s, 2026-12-05).
 */
#define INC_CACHE_KIB (256 * 1024)
#define STREAM_BATCH  65536
static size_t stream_batch(pf_store *st, int64_t *total)
{
    int64_t gone, fresh;
    if (pf_store_pending(st, &gone, &fresh, total) != 0)
        return 0; /* the in-memory analysis reports the error if it persists */
    const char *env = getenv("PKGFRESH_ANALYZE_STREAM");
    if (env && *env) {
        long n = strtol(env, NULL, 10);
        return n > 0 ? (size_t)n : 0;
    }
    return *total > STREAM_ABOVE ? STREAM_BATCH : 0;
}

/* Streaming, pass 2: a fresh pool for the next batch, holding the
 * repositories' names and families (their ids change with it) and the map
 * from a name's id to its repository. 0, or -1 out of memory. */
static int stream_pool(actx *a)
{
    pf_pool *np = pf_pool_new();
    if (!np)
        return a->oom = 1, -1;
    for (size_t r = 0; r < a->nrepos; r++) {
        const char *name = pf_pool_str(a->pool, a->repos[r].name);
        const char *fam = pf_pool_str(a->pool, a->repos[r].family);
        uint32_t nid = pf_pool_intern(np, name, strlen(name));
        uint32_t fid = pf_pool_intern(np, fam, strlen(fam));
        if (!nid || !fid) {
            pf_pool_free(np);
            return a->oom = 1, -1;
        }
        a->repos[r].name = nid;
        a->repos[r].family = fid;
    }
    pf_pool_free(a->pool);
    a->pool = np;
    size_t n = (size_t)pf_pool_count(a->pool) + 1;
    if (n > a->nrepo_of_name) {
        uint32_t *m = realloc(a->repo_of_name, n * sizeof *m);
        if (!m)
            return a->oom = 1, -1;
        a->repo_of_name = m;
        a->nrepo_of_name = n;
    }
    memset(a->repo_of_name, 0, a->nrepo_of_name * sizeof *a->repo_of_name);
    for (size_t r = 0; r < a->nrepos; r++)
        a->repo_of_name[a->repos[r].name] = (uint32_t)r + 1;
    return 0;
}

/* Copy a string into a growable buffer (*buf, *cap). 0, or -1 out of memory. */
static int keep_str(char **buf, size_t *cap, const char *s)
{
    size_t n = strlen(s) + 1;
    if (pf_grow(buf, cap, 0, n) != 0)
        return -1;
    memcpy(*buf, s, n);
    return 0;
}

/*
 * Streaming, pass 2: classify the batch held (whole projects, read in
 * project order) with its projects' history — the history rows after the
 * previous batch's last project up to this one's (to the end for the last
 * batch: the rows of projects no package has any more are matched too) —
 * write its changed rows and history, then let it go.
 */
static int stream_flush(actx *a, int final)
{
    double t = a->timings ? mono() : 0;
    if (a->n > a->held)
        a->held = a->n;
    if (a->n > 1)
        qsort(a->pkgs, a->n, sizeof *a->pkgs, cmp_project);
    const char *after = a->has_after ? a->after : NULL;
    const char *upto = final || !a->has_last ? NULL : a->last;
    if (pf_store_each_seen_range(a->st, after, upto, load_seen, a) != 0)
        return a->oom ? -1 : (a->failed = 1, -1);
    if (seen_group_end(a) != 0)
        return -1;
    if (a->nseen > 1)
        qsort(a->seen, a->nseen, sizeof *a->seen, cmp_seen);
    pass2_step(a, 0, &t);
    if (classify_projects(a, a->pkgs, a->n, a->seen, a->nseen, a->stats, &a->projects) != 0)
        return a->oom = 1, -1;
    pass2_step(a, 1, &t);
    if (write_packages(a, a->tx, a->pkgs, a->n) != 0)
        return a->oom ? -1 : (a->failed = 1, -1);
    pass2_step(a, 2, &t);
    if (write_history(a, a->tx, a->prev_run) != 0)
        return a->oom ? -1 : (a->failed = 1, -1);
    pass2_step(a, 3, &t);
    a->analyzed += (long)a->n;
    if (upto) {
        if (keep_str(&a->after, &a->aftercap, upto) != 0)
            return a->oom = 1, -1;
        a->has_after = 1;
    }
    a->n = 0;
    a->nseen = 0;
    a->group = (aseen){0, 0, 0};
    a->group_trusted = 0;
    ah_clear(&a->hist);
    int rc = stream_pool(a);
    pass2_step(a, 4, &t);
    return rc;
}

/* Streaming, pass 2, rebuild mode: the counts of project a->last (every
 * row that names it, as the store would count them) to the store's
 * project summary. 0, or 1 (a->failed). */
static int sum_project(actx *a)
{
    if (!a->sum_all)
        return 0;
    double t = a->timings ? mono() : 0;
    int rc = pf_store_analysis_summary(a->tx, a->last, a->sum_repos, a->sum_pkgs);
    pass2_step(a, 5, &t);
    a->sum_pkgs = a->sum_repos = 0;
    return rc != 0 ? (a->failed = 1) : 0;
}

/* Streaming, pass 2: an analyzed package of repository index repo, in
 * project order; a batch is classified once it holds stream_batch packages
 * and the next project begins. 0, or 1 (a->oom, a->failed). */
static int stream_add(actx *a, const pf_pkg_row *row, uint32_t repo, int renamed)
{
    if (!a->has_last || strcmp(row->project, a->last) != 0) {
        if (a->has_last && sum_project(a) != 0)
            return 1;
        if (a->n >= a->stream_batch && stream_flush(a, 0) != 0)
            return 1;
        if (keep_str(&a->last, &a->lastcap, row->project) != 0)
            return a->oom = 1;
        a->has_last = 1;
    }
    /* rows come by repository within a project */
    a->sum_repos += a->sum_pkgs++ == 0 || repo != a->sum_repo;
    a->sum_repo = repo;
    if (!row->version)
        return 0; /* every row pass 1 named has one */
    pf_rpkg rp;
    stored_rpkg(row, &rp);
    if (add_package(a, row, repo, &rp, 0) != 0)
        return 1;
    if (renamed) /* pass 1 left its new rule results to this pass: written whole */
        a->pkgs[a->n - 1].old_same_pv = 0;
    return 0;
}

/* Store callback (streaming, pass 2, without a spill): an analyzed package,
 * in project order. */
static int stream_row(void *ctx, const pf_pkg_row *row)
{
    actx *a = ctx;
    uint32_t name = pf_pool_find(a->pool, row->repo_id, strlen(row->repo_id));
    if (!name || name >= a->nrepo_of_name || !a->repo_of_name[name])
        return a->failed = 1, a->why = "a package of an unknown repository", 1;
    return stream_add(a, row, a->repo_of_name[name] - 1, 0);
}

/* Spill callback (streaming, pass 2): a row pass 1 named, in project order. */
static int spill_row(void *ctx, const an_srow *r)
{
    actx *a = ctx;
    pf_pkg_row row = {.id = r->id,
                      .project = r->project,
                      .version = r->version,
                      .flags = r->flags,
                      .status = r->status,
                      .best = r->best,
                      .newer = r->newer,
                      .behind_since = r->behind,
                      .flavor = r->flavor,
                      .branch = r->branch};
    return stream_add(a, &row, r->repo, r->renamed);
}

/*
 * Streaming full analysis (see the file comment), inside the write
 * transaction a->tx. Pass 1 names every row (rowid order, rules in batches
 * on every core) and stores the names that changed; pass 2 reads the
 * analyzed rows in project order, a batch of whole projects at a time, with
 * their history. 0, or -1 (a->oom, a->failed).
 */
static int analyze_stream(actx *a)
{
    /* $PKGFRESH_SPILL_KIB: the size of a sorted run (0: no spill) */
    const char *kib = getenv("PKGFRESH_SPILL_KIB");
    long run = kib && *kib ? strtol(kib, NULL, 10) : -1;
    if (run != 0 && !a->no_spill && !(a->spill = an_spill_new(run > 0 ? (size_t)run << 10 : 0)))
        return a->oom = 1, -1;
    if (pf_store_each_package(a->st, load_row, a) != 0 || flush_batch(a) != 0)
        return -1;
    phase(a, a->spill ? "pass 1: read, name, spill" : "pass 1: read, name, store renames");
    if (a->timings && a->memo) {
        size_t hits, misses, entries;
        an_memo_counts(a->memo, &hits, &misses, &entries);
        fprintf(stderr,
                "pkgfresh: analyze: pass 1 renamed %lld rows; naming memo: %zu hits, %zu misses\n",
                (long long)a->renamed, hits, misses);
    }
    an_crew_free(a->crew); /* pass 1 is over */
    a->crew = NULL;
    free(a->batch);
    free(a->spare);
    a->batch = a->spare = NULL;
    /* renamed many: the partial indexes go too, now that no read is under way
     * (but result_project: pass 2's writes keep it in project order, and
     * building it again at the commit was no faster on the 5 M universe,
     * 57.7 / 65.9 s against 63.3 / 58.5 s, and took 150 MB more) */
    if (a->renamed > a->total / RENAMED_REBUILD && pf_store_analysis_rebuild(a->tx) != 0)
        return a->failed = 1, -1;
    an_memo_free(a->memo);
    a->memo = NULL;
    a->stats = calloc(a->nrepos + 1, sizeof *a->stats);
    if (!a->stats || stream_pool(a) != 0)
        return a->oom = 1, -1;
    if ((a->sum_all = pf_store_analysis_summary_all(a->tx)) < 0)
        return a->failed = 1, -1;
    int rc = a->spill ? an_spill_each(a->spill, spill_row, a)
                      : pf_store_each_package_by_project(a->st, stream_row, a);
    if (rc < 0 && a->spill) { /* the spill failed: the analysis starts over without one */
        a->spill_failed = 1;
        a->why = "the spill file could not be read back";
    }
    if (rc != 0) {
        if (!a->oom && !a->failed)
            a->failed = 1;
        return -1;
    }
    an_spill_free(a->spill);
    a->spill = NULL;
    if (a->has_last && sum_project(a) != 0)
        return -1;
    if (stream_flush(a, 1) != 0)
        return -1;
    if (a->timings) {
        const double *t = a->pass2_t;
        fprintf(stderr,
                "pkgfresh: analyze: pass 2 of which: history read %.3f s, classify %.3f s,"
                " result writes %.3f s, history writes %.3f s, next pool %.3f s,"
                " project summaries %.3f s\n",
                t[0], t[1], t[2], t[3], t[4], t[5]);
    }
    phase(a, "pass 2: classify, store results");
    if (lag_percentiles(a, a->stats) != 0)
        return a->oom = 1, -1;
    count_maintainers(a, a->stats);
    phase(a, "lags and maintainers");
    return 0;
}

/* Everything up to the write transaction, in memory: load (all packages,
 * or the incremental reads), classify, fold. 0, or -1 (a->oom, a->failed). */
static int analyze_in_memory(actx *a, int64_t prev_run, int64_t prev_projects)
{
    int lrc = a->incremental ? load_incremental(a, a->st, prev_run)
                             : pf_store_each_package(a->st, load_row, a) || flush_batch(a);
    if (lrc != 0 || a->oom || a->failed)
        return a->oom ? -1 : (a->failed = 1, -1);
    phase(a, a->incremental ? "read changes and touched projects" : "read and name");
    an_memo_free(a->memo); /* every row is named */
    a->memo = NULL;
    if (a->n > 0) /* qsort(NULL, 0, ...) is undefined */
        qsort(a->pkgs, a->n, sizeof *a->pkgs, cmp_project);
    /* every trusted version seen so far */
    if ((!a->incremental && pf_store_each_seen(a->st, load_seen, a) != 0) ||
        seen_group_end(a) != 0 || a->oom)
        return a->oom ? -1 : (a->failed = 1, -1);
    if (a->nseen > 0) /* qsort(NULL, 0, ...) is undefined: no history before the first run */
        qsort(a->seen, a->nseen, sizeof *a->seen, cmp_seen);
    a->held = a->n;
    a->analyzed = (long)a->n;
    a->stats = calloc(a->nrepos + 1, sizeof *a->stats);
    if (!a->stats)
        return a->oom = 1, -1;
    if (a->incremental) {
        for (size_t r = 0; r < a->nrepos; r++)
            if (a->repos[r].has_base)
                a->stats[r] = a->repos[r].base;
        a->projects = (long)prev_projects + fold_old(a, a->stats);
        if (a->oom)
            return -1;
    }
    phase(a, "read history");
    long classified = 0;
    if (classify_projects(a, a->pkgs, a->n, a->seen, a->nseen, a->stats, &classified) != 0)
        return a->oom = 1, -1;
    phase(a, "classify");
    if (!a->incremental) {
        a->projects = classified;
        if (lag_percentiles(a, a->stats) != 0)
            return a->oom = 1, -1;
        count_maintainers(a, a->stats);
    }
    return 0;
}

/* Inside the transaction, after an in-memory classification: packages,
 * history, removed rows, and the incremental leftovers. */
static int write_in_memory(actx *a, int64_t prev_run)
{
    /* incremental: the summary counts come from write_summary */
    if (a->incremental && pf_store_analysis_summary_known(a->tx) != 0)
        return -1;
    int rc = write_packages(a, a->tx, a->pkgs, a->n);
    phase(a, "store results");
    if (rc == 0)
        rc = write_history(a, a->tx, prev_run);
    phase(a, "store history");
    for (size_t i = 0; i < a->n_removed_ids && rc == 0; i++)
        rc = pf_store_analysis_set(a->tx, a->removed_ids[i], NULL, NULL, PF_F_REMOVE, PF_S_NONE);
    if (rc == 0 && a->incremental)
        rc = write_copies(a, a->tx);
    if (rc == 0 && a->incremental)
        rc = write_summary(a, a->tx);
    if (rc == 0 && a->incremental)
        rc = finish_incremental(a, a->st, a->stats);
    if (a->incremental)
        phase(a, "summary, lags, maintainers");
    return rc;
}

/* The analysis' error message into err. */
static void analysis_error(const actx *a, char *err, size_t errlen)
{
    if (a->oom)
        snprintf(err, errlen, "out of memory");
    else if (a->why)
        snprintf(err, errlen, "%s", a->why);
    else
        snprintf(err, errlen, "database: %s", pf_store_errmsg(a->st));
}

/* The analysis pass: full or incremental, in memory or streaming (see the
 * file comment). */
static int analyze_run(pf_store *st, const pf_catalog *cat, const pf_rules *rules, int64_t now,
                       int full, int no_spill, pf_analyze_result *res, char *err, size_t errlen)
{
    double t0 = mono();
    actx a = {.cat = cat,
              .rules = rules,
              .st = st,
              .pool = pf_pool_new(),
              .mpool = pf_pool_new(),
              .now = now,
              .threads = an_threads(),
              .no_spill = no_spill,
              .timings = getenv("PKGFRESH_TIMINGS") && *getenv("PKGFRESH_TIMINGS"),
              .mark = t0};
    int oom = 0;
    a.memo = naming_memo(rules, &oom);
    memset(res, 0, sizeof *res);
    if (oom || !a.pool || !a.mpool || ah_init(&a.hist) != 0) {
        snprintf(err, errlen, "out of memory");
        actx_free(&a);
        return -1;
    }
    char digest[32], stored[32];
    analysis_digest(cat, rules, digest, sizeof digest);
    int64_t first_run = pf_store_first_analysis(st);
    int64_t prev_run = pf_store_last_analysis(st);
    int64_t prev_projects = pf_store_last_run_projects(st);
    int has = first_run < 0 || prev_run < 0 || prev_projects < 0
                  ? -1
                  : pf_store_meta(st, "analysis_digest", stored, sizeof stored);
    if (has < 0) {
        snprintf(err, errlen, "%s", pf_store_errmsg(st));
        actx_free(&a);
        return -1;
    }
    a.incremental =
        !full && prev_run > 0 && has == 1 && strcmp(stored, digest) == 0 && !mostly_changed(st);
    a.stream_batch = a.incremental ? 0 : stream_batch(st, &a.total);
    a.stream = a.stream_batch > 0;
    a.prev_run = prev_run;
    /* the history: where it starts */
    a.hist_start = first_run > 0 && first_run < now ? first_run : 0;
    phase(&a, a.incremental ? "plan (incremental)"
              : a.stream    ? "plan (full, streaming)"
                            : "plan (full)");
    /* in memory: every read inside one read transaction (one snapshot) */
    int rd = a.stream ? 0 : pf_store_read_begin(st);
    if (rd == 0 && !a.stream) {
        rd = analyze_in_memory(&a, prev_run, prev_projects);
        if (pf_store_read_end(st) != 0)
            rd = -1;
    }
    if (rd != 0) {
        analysis_error(&a, err, errlen);
        actx_free(&a);
        free(a.stats);
        return -1;
    }
    a.tx = pf_store_analysis_begin_mode(st, now, a.stream, err, errlen);
    if (!a.tx) {
        free(a.stats);
        actx_free(&a);
        return -1;
    }
    int rc = !a.incremental ? pf_store_analysis_cache(a.tx, FULL_CACHE_KIB, 0)
             : a.scanned    ? pf_store_analysis_cache(a.tx, INC_CACHE_KIB, -1)
                            : 0;
    if (rc == 0)
        rc = a.stream ? analyze_stream(&a) : write_in_memory(&a, prev_run);
    long packages = 0;
    for (size_t r = 0; r < a.nrepos && rc == 0; r++) {
        pf_repo_stats *s = &a.stats[r];
        if (!a.repos[r].emit)
            continue;
        s->repo_id = pf_pool_str(a.pool, a.repos[r].name);
        packages += s->num_packages;
        rc = pf_store_analysis_stats(a.tx, s);
    }
    if (rc == 0)
        rc = pf_store_analysis_meta(a.tx, "analysis_digest", digest);
    if (rc != 0) {
        analysis_error(&a, err, errlen);
        pf_store_analysis_abort(a.tx);
        free(a.stats);
        actx_free(&a);
        return a.spill_failed && !no_spill ? -2 : -1; /* -2: nothing kept, try without */
    }
    res->packages = packages;
    res->removed = a.removed;
    res->projects = a.projects;
    res->repositories = (long)a.nrepos;
    res->incremental = a.incremental;
    res->streamed = a.stream;
    res->scanned = a.scanned;
    res->analyzed = a.analyzed;
    res->held = (long)a.held;
    phase(&a, "statistics");
    res->seconds = mono() - t0;
    rc = pf_store_analysis_commit(a.tx, res->packages, res->projects, res->seconds, err, errlen);
    phase(&a, "commit");
    free(a.stats);
    actx_free(&a);
    return rc;
}

/* analyze_run, and once more without a spill when the spill failed (it
 * rolled back: nothing was kept). */
static int analyze_spill_or_not(pf_store *st, const pf_catalog *cat, const pf_rules *rules,
                                int64_t now, int full, pf_analyze_result *res, char *err,
                                size_t errlen)
{
    int rc = analyze_run(st, cat, rules, now, full, 0, res, err, errlen);
    return rc == -2 ? analyze_run(st, cat, rules, now, full, 1, res, err, errlen) : rc;
}

/* Analysis: incremental when the stored results allow it, else full. */
int pf_analyze(pf_store *st, const pf_catalog *cat, const pf_rules *rules, int64_t now,
               pf_analyze_result *res, char *err, size_t errlen)
{
    return analyze_spill_or_not(st, cat, rules, now, 0, res, err, errlen);
}

/* Full analysis: every package through the rules again. */
int pf_analyze_full(pf_store *st, const pf_catalog *cat, const pf_rules *rules, int64_t now,
                    pf_analyze_result *res, char *err, size_t errlen)
{
    return analyze_spill_or_not(st, cat, rules, now, 1, res, err, errlen);
}
