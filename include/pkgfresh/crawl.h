/*
 * crawl.h — crawl orchestration: catalog repositories -> fetch -> decode ->
 * parse -> store, one transaction per repository.
 *
 * All downloads of a run happen first, in parallel (fetch.h), into spool
 * files; then each repository is parsed and stored in its own transaction
 * (several repositories are parsed at once on worker threads and stored in
 * turn; docs/ARCHITECTURE.md, Threads).
 * A repository whose download or parse fails gets a "failed" crawl row and
 * keeps its previous snapshot; the others go on.
 */
#ifndef PKGFRESH_CRAWL_H
#define PKGFRESH_CRAWL_H

#include <stdint.h>

#include "pkgfresh/catalog.h"
#include "pkgfresh/fetch.h"
#include "pkgfresh/store.h"

typedef struct pf_crawl_opts {
    const char *const *from; /* --from files, NULL = download: with one repository all
                                are its sources; with n > 1, from[r] is repos[r]'s one
                                file (nfrom must be n) */
    int nfrom;
    const char *from_format; /* parser for --from files instead of the catalog's (e.g. "tsv") */
    int progress;            /* progress lines on stderr */
    uint64_t max_decoded;    /* per source decoded-size cap (default 4 GiB) */
    long min_packages;       /* >= 0 overrides the catalog floor; -1 = catalog */
    pf_fetch_opts fetch;
    int64_t now;
} pf_crawl_opts;

typedef struct pf_crawl_outcome {
    const pf_repo *repo;
    const char *status; /* "ok", "not_modified", "failed" */
    long packages;      /* packages in the snapshot after the crawl */
    uint64_t bytes;     /* bytes downloaded (or read with --from) */
    double seconds;
    long http_status;
    char error[512]; /* one line: source, URL or file, cause */
} pf_crawl_outcome;

void pf_crawl_opts_default(pf_crawl_opts *o);

/*
 * Crawl the n repositories. out[i] describes repos[i]. Returns the number
 * of repositories that failed (0 = all ok or not modified), -1 when nothing
 * could be attempted (e.g. the database is unusable; message in out[0].error).
 */
int pf_crawl_run(pf_store *st, const pf_catalog *cat, const pf_repo *const *repos, size_t n,
                 const pf_crawl_opts *opts, pf_crawl_outcome *out);

#endif
