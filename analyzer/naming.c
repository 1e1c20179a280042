/*
 * naming.c — seed, normalization and rules for one package or a batch of
 * them on several threads (see naming.h). A batch is cut into contiguous
 * slices, one per thread; each job writes only its own result.
 */
#include "naming.h"

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pkgfresh/record.h"

/*
 * Project seed of a package, before any rule: the source name lower-cased
 * (Repology's 000.prenormalize does the same), with the family-specific seed
 * rules of repology-model.md §4: Homebrew "python@3.12" seeds "python";
 * the ports formats (FreeBSD, OpenBSD, pkgsrc, MacPorts) seed from the
 * package name (the parser puts it first in binnames), not from the port
 * directory; nixpkgs from pname (in binnames), not from the attribute path
 * that is its srcname (pf_vscheme_seeds_from_binname); Gentoo from the
 * package name of "category/name".
 */
static void project_seed(const pf_pkg_row *row, pf_vscheme scheme, char *out, size_t outlen)
{
    size_t i = 0;
    const char *name = row->srcname;
    if (pf_vscheme_seeds_from_binname(scheme) && row->binnames && *row->binnames)
        name = row->binnames;
    if (scheme == PF_VS_GENTOO && strchr(name, '/'))
        name = strchr(name, '/') + 1;
    for (const char *s = name; *s && *s != ' ' && i + 1 < outlen; s++) {
        if (scheme == PF_VS_HOMEBREW && *s == '@')
            break;
        out[i++] = (char)tolower((unsigned char)*s);
    }
    out[i] = 0;
}

/* Name one package: seed, normalized version, then the rules. */
void an_name(const pf_rules *rules, an_job *job)
{
    const pf_pkg_row *row = job->row;
    pf_rpkg *rp = &job->rp;
    project_seed(row, job->scheme, rp->name, sizeof rp->name);
    rp->flags = row->pflags;
    pf_normalize_version(job->scheme, row->raw_version, rp->version, sizeof rp->version,
                         &rp->flags);
    rp->flavor[0] = rp->branch[0] = 0;
    rp->removed = 0;
    job->rc = 0;
    if (!rules)
        return;
    rp->repo = row->repo_id;
    rp->family = job->family;
    rp->rulesets = job->rulesets;
    rp->nrulesets = job->nrulesets;
    rp->srcname = row->srcname;
    rp->binnames = row->binnames;
    rp->category = row->category;
    rp->homepage = row->homepage;
    rp->maintainers = row->maintainers;
    rp->summary = row->summary;
    job->rc = pf_rules_apply(rules, rp);
}

/* One thread's slice of a batch. */
typedef struct an_slice {
    const pf_rules *rules;
    an_job *jobs;
    size_t n;
} an_slice;

/* Thread body: name every job of the slice. */
static void *name_slice(void *arg)
{
    an_slice *s = arg;
    for (size_t i = 0; i < s->n; i++)
        an_name(s->rules, &s->jobs[i]);
    return NULL;
}

/* Name a batch on up to `threads` threads (at most 8); a thread that cannot
 * be started leaves its slice to the caller's thread. */
void an_name_batch(const pf_rules *rules, an_job *jobs, size_t n, int threads)
{
    if (threads > 8)
        threads = 8;
    if (threads < 2 || n < 64) {
        an_slice all = {rules, jobs, n};
        name_slice(&all);
        return;
    }
    pthread_t tid[8];
    an_slice sl[8];
    int started[8] = {0};
    size_t per = (n + (size_t)threads - 1) / (size_t)threads, at = 0;
    for (int t = 0; t < threads; t++) {
        size_t k = at + per > n ? n - at : per;
        sl[t] = (an_slice){rules, jobs + at, k};
        at += k;
    }
    for (int t = 1; t < threads; t++)
        started[t] = pthread_create(&tid[t], NULL, name_slice, &sl[t]) == 0;
    name_slice(&sl[0]);
    for (int t = 1; t < threads; t++) {
        if (started[t]) {
            pthread_join(tid[t], NULL);
        } else { /* could not start it: do its share here */
            name_slice(&sl[t]);
        }
    }
}

/* $PKGFRESH_THREADS when set (tests compare 1 with many), else the online
 * processors; 1..8. */
int an_threads(void)
{
    const char *env = getenv("PKGFRESH_THREADS");
    long n = env && *env ? strtol(env, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 8 ? 8 : (int)n;
}
