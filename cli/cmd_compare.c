/*
 * cmd_compare.c — `pkgfresh compare A B`: how two repositories differ,
 * project by project (summary counts, or one kind listed with --list).
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "opts.h"
#include "output.h"
#include "pkgfresh/compare.h"

/* Most days behind first, unknown lags last, then by name (stable output). */
static int by_lag(const void *x, const void *y)
{
    const pf_cmp_item *a = x, *b = y;
    if ((a->lag < 0) != (b->lag < 0))
        return a->lag < 0 ? 1 : -1;
    if (a->lag != b->lag)
        return a->lag > b->lag ? -1 : 1;
    return strcmp(a->project, b->project);
}

/* Compare two repositories and print the summary or a list. */
int cmd_compare(pf_cli *cli, int argc, char **argv)
{
    const char *format = "table", *list = NULL, *match = NULL, *sort = "name";
    long limit = 0;
    const pf_opt opts[] = {
        {"list", 'l', PF_OPT_STR, &list, "KIND",
         "list projects of one kind: newer-a, newer-b, same, uncomparable, only-a, only-b"},
        {"match", 'm', PF_OPT_STR, &match, "TEXT", "with --list: projects containing TEXT"},
        {"limit", 'n', PF_OPT_INT, &limit, "N", "with --list: at most N rows"},
        {"sort", 's', PF_OPT_STR, &sort, "KEY",
         "with --list: name (default) or lag (most days behind first)"},
        {"format", 'f', PF_OPT_STR, &format, "FMT", "table, json or csv"},
        {NULL, 0, 0, NULL, NULL, NULL},
    };
    const pf_cmdspec spec = {
        "compare", "A B [options]", "Compare two repositories project by project.",
        "A and B are repository ids or short names (debian, ubuntu, ...). Every\n"
        "project in A or B counts once: newer in A, newer in B, same version,\n"
        "uncomparable, only in A, only in B (so the six add up to the union). Each\n"
        "side counts by its best trusted version, as Repology's classifier sees it:\n"
        "the highest of its packages that are not rolling and carry no ignore,\n"
        "incorrect, untrusted or noscheme flag (flags the classifier disregards, in a\n"
        "project of one family whose packages all carry one, do not count). A\n"
        "project in both where a side has no trusted version is 'uncomparable'.\n\n"
        "Examples:\n"
        "  pkgfresh compare debian ubuntu\n"
        "  pkgfresh compare debian_unstable debian_13 --list newer-a --limit 20",
        opts};
    const char *pos[2];
    int np = pf_opts_parse(&spec, argc, argv, pos, 2);
    if (np == -2)
        return PF_EXIT_OK;
    pf_outfmt fmt;
    if (np < 0 || pf_outfmt_parse(format, &fmt) != 0)
        return PF_EXIT_USAGE;
    if (np != 2) {
        pf_err("compare: needs two repositories (see 'pkgfresh compare --help')");
        return PF_EXIT_USAGE;
    }
    if (strcmp(sort, "name") != 0 && strcmp(sort, "lag") != 0) {
        pf_err("compare: --sort takes name or lag");
        return PF_EXIT_USAGE;
    }
    int kind = -1;
    if (list && (kind = pf_cmp_kind_parse(list)) < 0) {
        pf_err("compare: unknown --list kind '%s' (newer-a, newer-b, same, uncomparable, "
               "only-a, only-b)",
               list);
        return PF_EXIT_USAGE;
    }
    const pf_repo *a = pf_cli_repo(cli, "compare", pos[0]);
    const pf_repo *b = a ? pf_cli_repo(cli, "compare", pos[1]) : NULL;
    if (!a || !b)
        return PF_EXIT_USAGE;
    pf_store *st = pf_cli_store_few(cli);
    if (!st)
        return PF_EXIT_USAGE;
    pf_comparison cmp;
    char err[512];
    if (pf_compare_repos(st, a->id, b->id, &cmp, err, sizeof err) != 0) {
        pf_err("compare: %s", err);
        return PF_EXIT_PARTIAL;
    }
    if (kind < 0) {
        static const pf_col cols[] = {
            {"kind", PF_COL_STR}, {"projects", PF_COL_INT}, {"percent", PF_COL_REAL}};
        long total = 0;
        for (int k = 0; k < PF_CMP_NKINDS; k++)
            total += cmp.count[k];
        if (fmt == PF_FMT_TABLE)
            printf("A = %s (%s), B = %s (%s): %ld projects in either\n\n", a->id, a->title, b->id,
                   b->title, total);
        pf_out *o = pf_out_new(stdout, fmt, cols, 3);
        for (int k = 0; o && k < PF_CMP_NKINDS; k++) {
            pf_out_str(o, pf_cmp_kind_name(k));
            pf_out_int(o, cmp.count[k]);
            pf_out_real(o, total ? 100.0 * (double)cmp.count[k] / (double)total : 0, 1);
            pf_out_end_row(o);
        }
        pf_out_finish(o);
    } else {
        static const pf_col cols[] = {{"project", PF_COL_STR},      {"version_a", PF_COL_STR},
                                      {"version_b", PF_COL_STR},    {"rawversion_a", PF_COL_STR},
                                      {"rawversion_b", PF_COL_STR}, {"lag_days", PF_COL_REAL}};
        if (strcmp(sort, "lag") == 0)
            qsort(cmp.items, cmp.nitems, sizeof *cmp.items, by_lag);
        pf_out *o = pf_out_new(stdout, fmt, cols, 6);
        long shown = 0;
        for (size_t i = 0; o && i < cmp.nitems; i++) {
            const pf_cmp_item *it = &cmp.items[i];
            if (it->kind != kind || (match && !strstr(it->project, match)))
                continue;
            if (limit > 0 && shown >= limit)
                break;
            pf_out_str(o, it->project);
            pf_out_str(o, it->version_a);
            pf_out_str(o, it->version_b);
            pf_out_str(o, it->raw_a);
            pf_out_str(o, it->raw_b);
            pf_out_real(o, it->lag, 0);
            pf_out_end_row(o);
            shown++;
        }
        pf_out_finish(o);
    }
    pf_comparison_free(&cmp);
    return PF_EXIT_OK;
}
