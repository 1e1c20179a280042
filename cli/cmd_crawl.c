/*
 * cmd_crawl.c — `pkgfresh crawl`: pick repositories, run the crawl, print one
 * line per repository, then analyze (unless --no-analyze).
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "opts.h"
#include "output.h"
#include "pkgfresh/analyze.h"
#include "pkgfresh/crawl.h"
#include "pkgfresh/format.h"

/* Add repo to the selection unless it is already there. */
static void select_repo(const pf_repo **sel, size_t *n, const pf_repo *repo)
{
    for (size_t i = 0; i < *n; i++)
        if (sel[i] == repo)
            return;
    sel[(*n)++] = repo;
}

/* Resolve names (id, former id, short name, or family) into sel; -1 on an unknown name.
 * A family name stands for its repositories that are not past their end of life. */
static int select_named(const pf_catalog *cat, const char **names, int nnames, int64_t now,
                        const pf_repo **sel, size_t *n)
{
    for (int i = 0; i < nnames; i++) {
        const pf_repo *r = pf_catalog_find(cat, names[i]);
        if (r) {
            select_repo(sel, n, r);
            continue;
        }
        int found = 0, live = 0;
        for (size_t k = 0; k < cat->nrepos; k++) {
            if (strcmp(cat->repos[k].family, names[i]) == 0) {
                if (!pf_repo_is_eol(&cat->repos[k], now)) {
                    select_repo(sel, n, &cat->repos[k]);
                    live = 1;
                }
                found = 1;
            }
        }
        if (!found) {
            pf_err("crawl: no repository or family named '%s' (see 'pkgfresh repos')", names[i]);
            return -1;
        }
        if (!live)
            pf_err("crawl: every repository of family '%s' is past its end of life (name one "
                   "to crawl it anyway)",
                   names[i]);
    }
    return 0;
}

/* Human-readable byte count. */
static void fmt_bytes(char *buf, size_t len, uint64_t b)
{
    if (b >= 1000000)
        snprintf(buf, len, "%.1f MB", (double)b / 1e6);
    else if (b >= 1000)
        snprintf(buf, len, "%.1f kB", (double)b / 1e3);
    else
        snprintf(buf, len, "%llu B", (unsigned long long)b);
}

/* Crawl the chosen repositories and report. */
int cmd_crawl(pf_cli *cli, int argc, char **argv)
{
    int force = 0, all = 0, no_analyze = 0;
    long jobs = 4, min_packages = -1;
    /* Limits and retry policy (defaults as in fetch.h / crawl.h); tests shrink them. */
    long max_bytes = 1L << 30, max_decoded = 4L << 30, timeout = 60, retries = 3,
         retry_delay = 1000;
    const char *format = "table", *from_format = NULL;
    pf_strlist from = {0};
    const pf_opt opts[] = {
        {"force", 0, PF_OPT_FLAG, &force, NULL, "crawl even when the update period has not passed"},
        {"all", 'a', PF_OPT_FLAG, &all, NULL,
         "every catalog repository not past its end of life (--force, no names)"},
        {"jobs", 'j', PF_OPT_INT, &jobs, "N", "parallel downloads (default 4; at most 2 per host)"},
        {"from", 0, PF_OPT_LIST, &from, "FILE",
         "parse FILE or tree DIR instead of downloading (one repository: repeat per source; "
         "several: one each, in order)"},
        {"from-format", 0, PF_OPT_STR, &from_format, "FMT",
         "parser for --from files, if not the repository's own (e.g. tsv)"},
        {"no-analyze", 0, PF_OPT_FLAG, &no_analyze, NULL, "do not run 'analyze' afterwards"},
        {"min-packages", 0, PF_OPT_INT, &min_packages, "N",
         "treat fewer than N parsed packages as a broken index (default: catalog)"},
        {"format", 'f', PF_OPT_STR, &format, "FMT", "summary as table, json or csv"},
        {"max-bytes", 0, PF_OPT_INT, &max_bytes, "N",
         "largest download accepted, in bytes (default 1 GiB)"},
        {"max-decoded", 0, PF_OPT_INT, &max_decoded, "N",
         "largest decompressed index accepted, in bytes (default 4 GiB)"},
        {"timeout", 0, PF_OPT_INT, &timeout, "SEC",
         "abort a download slower than 1 kB/s for SEC seconds (default 60)"},
        {"retries", 0, PF_OPT_INT, &retries, "N",
         "extra attempts after timeouts, resets, 429 and 5xx (default 3)"},
        {"retry-delay", 0, PF_OPT_INT, &retry_delay, "MS",
         "first retry delay in ms, doubled each time (default 1000)"},
        {NULL, 0, 0, NULL, NULL, NULL},
    };
    const pf_cmdspec spec = {
        "crawl", "[REPO|FAMILY ...] [options]",
        "Download and parse repository indexes into the database.",
        "With no names, crawls every repository whose last successful crawl is older\n"
        "than its update period (catalog 'update_period', default 1 day), leaving\n"
        "out repositories past their end of life (catalog 'valid_till'; their\n"
        "history stays). Naming repositories crawls them now; a family name means\n"
        "its repositories not past their end of life. Requests are conditional (ETag,\n"
        "Last-Modified): an unchanged index is reported 'not_modified' and not parsed.\n"
        "A failed download or parse keeps the repository's previous snapshot.\n"
        "For rpm-md, --from takes the tree directory, its repodata/ directory,\n"
        "repomd.xml (the primary it names is read) or a primary file, plain or\n"
        "compressed.\n\n"
        "Examples:\n"
        "  pkgfresh crawl                       # everything that is due\n"
        "  pkgfresh crawl debian ubuntu         # two repositories, now\n"
        "  pkgfresh crawl debian_unstable --from sid-main-Sources.xz\n"
        "  pkgfresh crawl ubuntu_24_04 --from noble-main-Sources.xz \\\n"
        "                 --from noble-universe-Sources.xz\n"
        "  pkgfresh crawl alpine_edge --from alpine-edge-origins.tsv --from-format tsv\n"
        "  pkgfresh crawl debian_unstable nix_unstable --from sid-main-Sources.xz \\\n"
        "                 --from packages.json.xz    # one file each, parsed at once\n"
        "  pkgfresh crawl fedora_43 --from fedora/43/Everything/source/tree/repodata",
        opts};
    const char *names[256];
    int nnames = pf_opts_parse(&spec, argc, argv, names, 256);
    if (nnames == -2)
        return PF_EXIT_OK;
    pf_outfmt fmt;
    if (nnames < 0 || pf_outfmt_parse(format, &fmt) != 0)
        return PF_EXIT_USAGE;
    if (jobs < 1 || jobs > 64) {
        pf_err("crawl: --jobs must be between 1 and 64");
        return PF_EXIT_USAGE;
    }
    if (max_bytes < 1 || max_decoded < 1 || timeout < 1 || retries < 0 || retries > 20 ||
        retry_delay < 0) {
        pf_err("crawl: --max-bytes, --max-decoded and --timeout must be positive, --retries "
               "between 0 and 20, --retry-delay not negative");
        return PF_EXIT_USAGE;
    }
    if (from_format && !pf_format_find(from_format)) {
        pf_err("crawl: unknown --from-format '%s' (see 'pkgfresh repos --formats')", from_format);
        return PF_EXIT_USAGE;
    }
    if (from_format && from.n == 0) {
        pf_err("crawl: --from-format goes with --from");
        return PF_EXIT_USAGE;
    }
    if (from.n > 0 && (nnames < 1 || (nnames > 1 && from.n != nnames))) {
        pf_err("crawl: --from needs one repository name, or one --from per name (in order)");
        return PF_EXIT_USAGE;
    }
    pf_catalog *cat = pf_cli_catalog(cli);
    if (!cat)
        return PF_EXIT_USAGE;
    const pf_repo **sel = calloc(cat->nrepos + 1, sizeof *sel);
    if (!sel)
        return PF_EXIT_USAGE;
    size_t nsel = 0;
    if (select_named(cat, names, nnames, cli->now, sel, &nsel) != 0) {
        free(sel);
        return PF_EXIT_USAGE;
    }
    if (from.n > 0 && nsel != 1 && nsel != (size_t)from.n) {
        pf_err("crawl: %zu repositories selected for %d --from files (name one repository, or "
               "give one --from per repository)",
               nsel, from.n);
        free(sel);
        return PF_EXIT_USAGE;
    }
    pf_store *st = pf_cli_store(cli);
    if (!st) {
        free(sel);
        return PF_EXIT_USAGE;
    }
    if (nnames == 0) {
        for (size_t i = 0; i < cat->nrepos; i++) {
            const pf_repo *r = &cat->repos[i];
            if (pf_repo_is_eol(r, cli->now))
                continue; /* past valid_till: its history stays, nothing new is fetched */
            int64_t last = pf_store_last_success(st, r->id);
            if (force || all || last == 0 || cli->now - last >= r->update_period)
                sel[nsel++] = r;
        }
        if (nsel == 0 && !cli->quiet)
            fprintf(stderr, "pkgfresh: every repository was crawled within its update period "
                            "(use --force to crawl anyway)\n");
    }

    /* Rules are loaded before crawling, so a broken rule file costs no
     * download; from --from files (nothing to download) they load on a
     * thread while the indexes are parsed. */
    int rules_ok = 1;
    if (!no_analyze && from.n > 0)
        pf_cli_rules_start(cli);
    else if (!no_analyze)
        pf_cli_rules(cli, &rules_ok);
    if (!rules_ok) {
        free(sel);
        return PF_EXIT_USAGE;
    }
    pf_crawl_opts co;
    pf_crawl_opts_default(&co);
    co.from = from.v;
    co.nfrom = from.n;
    co.from_format = from_format;
    co.progress = cli->progress;
    co.min_packages = min_packages;
    co.fetch.jobs = (int)jobs;
    co.max_decoded = (uint64_t)max_decoded;
    co.fetch.max_bytes = (uint64_t)max_bytes;
    co.fetch.low_speed_time = timeout;
    co.fetch.connect_timeout = timeout < 30 ? timeout : 30;
    co.fetch.retries = (int)retries;
    co.fetch.retry_base_ms = retry_delay;
    co.now = cli->now;
    pf_crawl_outcome *out = calloc(nsel + 1, sizeof *out);
    if (!out) {
        free(sel);
        return PF_EXIT_USAGE;
    }
    int failed = nsel ? pf_crawl_run(st, cat, sel, nsel, &co, out) : 0;
    if (failed < 0) {
        pf_err("crawl: %s", out[0].error);
        free(out);
        free(sel);
        return PF_EXIT_PARTIAL;
    }
    int changed = 0;
    for (size_t i = 0; i < nsel; i++) {
        if (strcmp(out[i].status, "failed") == 0)
            pf_err("crawl %s: %s", out[i].repo->id, out[i].error);
        if (strcmp(out[i].status, "ok") == 0)
            changed = 1;
    }
    static const pf_col cols[] = {{"repository", PF_COL_STR}, {"status", PF_COL_STR},
                                  {"packages", PF_COL_INT},   {"bytes", PF_COL_INT},
                                  {"seconds", PF_COL_REAL},   {"error", PF_COL_STR}};
    if (nsel > 0 && (!cli->quiet || fmt != PF_FMT_TABLE)) {
        pf_out *o = pf_out_new(stdout, fmt, cols, 6);
        for (size_t i = 0; o && i < nsel; i++) {
            pf_out_str(o, out[i].repo->id);
            pf_out_str(o, out[i].status);
            if (strcmp(out[i].status, "ok") == 0)
                pf_out_int(o, out[i].packages);
            else
                pf_out_null(o);
            if (fmt == PF_FMT_TABLE) {
                char b[32];
                fmt_bytes(b, sizeof b, out[i].bytes);
                pf_out_str(o, b);
            } else {
                pf_out_int(o, (long long)out[i].bytes);
            }
            pf_out_real(o, out[i].seconds, 2);
            pf_out_str(o, out[i].error[0] ? out[i].error : NULL);
            pf_out_end_row(o);
        }
        pf_out_finish(o);
    }
    free(out);
    free(sel);

    fflush(stdout);
    const pf_rules *rules = no_analyze ? NULL : pf_cli_rules(cli, &rules_ok);
    if (!rules_ok)
        return PF_EXIT_USAGE;
    if (!no_analyze && changed) {
        char err[512];
        pf_analyze_result res;
        if (pf_analyze(st, cat, rules, cli->now, &res, err, sizeof err) != 0) {
            pf_err("analyze: %s", err);
            return PF_EXIT_PARTIAL;
        }
        if (!cli->quiet)
            fprintf(stderr, "pkgfresh: analyzed %ld packages in %ld projects (%.2f s)\n",
                    res.packages, res.projects, res.seconds);
    }
    return failed ? PF_EXIT_PARTIAL : PF_EXIT_OK;
}
