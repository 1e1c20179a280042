/*
 * naming.c — seed, normalization and rules for one package or a batch of
 * them on several threads (see naming.h): a batch is cut into contiguous
 * slices (parallel.h); each job writes only its own result.
 */
#include "naming.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "pkgfresh/record.h"

#include "namememo.h"

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

/* See naming.h. */
void an_name_slice(void *ctx, size_t lo, size_t hi)
{
    an_batch *b = ctx;
    for (size_t i = lo; i < hi; i++)
        an_name(b->rules, &b->jobs[b->idx ? b->idx[i] : i]);
}

/* See naming.h. */
size_t an_name_begin(an_batch *b, const pf_rules *rules, an_memo *memo, an_job *jobs, size_t n,
                     size_t *idx)
{
    *b = (an_batch){rules, jobs, NULL, memo};
    if (!memo || !rules || !idx) /* every row is named */
        return n;
    size_t nmiss = 0;
    for (size_t i = 0; i < n; i++)
        if (!jobs[i].memo_class || !an_memo_get(memo, jobs[i].memo_class, &jobs[i]))
            idx[nmiss++] = i;
    b->idx = idx;
    return nmiss;
}

/* See naming.h. */
void an_name_end(const an_batch *b, size_t nmiss)
{
    if (!b->idx)
        return;
    for (size_t k = 0; k < nmiss; k++) {
        const an_job *j = &b->jobs[b->idx[k]];
        if (j->memo_class && j->rc == 0)
            an_memo_put(b->memo, j->memo_class, j);
    }
}

/* Name a batch on up to `threads` threads, slices of at least 32 jobs; with
 * a memo, only the rows it does not name already (see naming.h). */
void an_name_batch(const pf_rules *rules, an_memo *memo, an_job *jobs, size_t n, int threads)
{
    an_batch b;
    size_t *idx = memo && rules && n ? malloc(n * sizeof *idx) : NULL;
    size_t nmiss = an_name_begin(&b, rules, idx ? memo : NULL, jobs, n, idx);
    an_parallel(nmiss, threads, 32, an_name_slice, &b);
    an_name_end(&b, nmiss);
    free(idx);
}
