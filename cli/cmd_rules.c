/*
 * cmd_rules.c — `pkgfresh rules`: inspect a name/version ruleset.
 *
 *   rules check [DIR] [--strict]
 *       Load DIR (default: the ruleset the analysis would use: --rules,
 *       $PKGFRESH_RULES or the starter rules) and print every file with its
 *       rule count, the load warnings and the totals. Exit 0 when it loads
 *       (2 with --strict if there were warnings), 2 when it does not.
 *   rules apply NAME VERSION --repo REPO [--category C] [--homepage URL]
 *               [--srcname S] [--binnames B] [--maintainer M]
 *       Run the ruleset over one package of REPO the way `analyze` does:
 *       seed the project name from NAME (lower-cased; Homebrew's "@X"
 *       dropped), normalize VERSION with the repository's scheme, apply the
 *       rules with the repository's rule sets and family, and print what
 *       came out (project, version, flags, flavor, branch, matched rules).
 *
 * Ownership: a ruleset loaded from DIR is freed here; the CLI's own ruleset
 * (pf_cli_rules) belongs to main.c.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "opts.h"
#include "pkgfresh/normalize.h"
#include "pkgfresh/record.h"

/* Print flags as a comma list ("-" for none) to fp. */
static void rules_print_flags(FILE *fp, unsigned flags)
{
    char buf[256];
    fputs(pf_flags_format(flags, buf, sizeof buf) ? buf : "-", fp);
}

/* Print the per-file counts, warnings and totals of a loaded ruleset. */
static void rules_report(const pf_rules *r, const char *label)
{
    size_t nfiles = pf_rules_nfiles(r);
    printf("ruleset %s\n", label);
    for (size_t i = 0; i < nfiles; i++) {
        size_t n = 0;
        const char *name = pf_rules_file_name(r, i, &n);
        printf("  %6zu  %s\n", n, name ? name : "?");
    }
    size_t nw = pf_rules_nwarnings(r);
    for (size_t i = 0; i < nw; i++)
        printf("warning: %s\n", pf_rules_warning(r, i));
    printf("total: %zu rules (%zu entries) in %zu files, %zu warnings\n", pf_rules_count(r),
           pf_rules_nentries(r), nfiles, nw);
}

/* `rules check [DIR] [--strict]`. */
static int rules_check(pf_cli *cli, int argc, char **argv)
{
    int strict = 0;
    const pf_opt opts[] = {
        {"strict", 0, PF_OPT_FLAG, &strict, NULL, "exit 2 when the ruleset loads with warnings"},
        {NULL, 0, 0, NULL, NULL, NULL}};
    const pf_cmdspec spec = {
        "rules check", "[DIR] [--strict]",
        "Load a ruleset and report its files, rule counts and warnings.",
        "DIR is a directory of Repology-format *.yaml rule files (e.g. a checkout of\n"
        "repology-rules). Without DIR, the ruleset the analysis uses is checked:\n"
        "--rules, else $PKGFRESH_RULES, else pkgfresh's starter rules.\n"
        "Exit status: 0 loaded, 2 load error (or warnings with --strict).",
        opts};
    const char *pos[1];
    int np = pf_opts_parse(&spec, argc, argv, pos, 1);
    if (np == -2)
        return PF_EXIT_OK;
    if (np < 0)
        return PF_EXIT_USAGE;
    if (np == 1) {
        char err[512];
        pf_rules *r = pf_rules_load(pos[0], err, sizeof err);
        if (!r) {
            pf_err("rules %s: %s", pos[0], err);
            return PF_EXIT_USAGE;
        }
        rules_report(r, pos[0]);
        int rc = strict && pf_rules_nwarnings(r) > 0 ? PF_EXIT_USAGE : PF_EXIT_OK;
        pf_rules_free(r);
        return rc;
    }
    int ok;
    const pf_rules *r = pf_cli_rules(cli, &ok);
    if (!ok)
        return PF_EXIT_USAGE;
    if (!r) {
        pf_err("rules check: no ruleset in use (rules are off or none are installed); give DIR");
        return PF_EXIT_USAGE;
    }
    rules_report(r, cli->rules_path            ? cli->rules_path
                    : getenv("PKGFRESH_RULES") ? getenv("PKGFRESH_RULES")
                                               : "(starter rules)");
    return strict && pf_rules_nwarnings(r) > 0 ? PF_EXIT_USAGE : PF_EXIT_OK;
}

/* `rules apply NAME VERSION --repo REPO ...`. */
static int rules_apply(pf_cli *cli, int argc, char **argv)
{
    const char *repo_name = NULL, *category = NULL, *homepage = NULL, *srcname = NULL;
    const char *binnames = NULL, *maintainer = NULL;
    const pf_opt opts[] = {
        {"repo", 'r', PF_OPT_STR, &repo_name, "REPO", "repository id or short name (required)"},
        {"category", 0, PF_OPT_STR, &category, "CAT", "package category (nix: attribute set)"},
        {"homepage", 0, PF_OPT_STR, &homepage, "URL", "upstream URL(s), space-separated"},
        {"srcname", 0, PF_OPT_STR, &srcname, "NAME", "source name as in the index (default NAME)"},
        {"binnames", 0, PF_OPT_STR, &binnames, "NAMES", "binary names (nix: attribute path)"},
        {"maintainer", 0, PF_OPT_STR, &maintainer, "ADDR", "maintainer address(es)"},
        {NULL, 0, 0, NULL, NULL, NULL}};
    const pf_cmdspec spec = {
        "rules apply", "NAME VERSION --repo REPO [options]",
        "Show what the rules make of one package.",
        "NAME is the package's name as the index gives it (the project seed is made\n"
        "from it as the analysis does), VERSION its raw version. Prints the project\n"
        "name, the normalized version, the flags, flavor and branch, and which rules\n"
        "matched. The ruleset is --rules, $PKGFRESH_RULES or the starter rules.",
        opts};
    const char *pos[2];
    int np = pf_opts_parse(&spec, argc, argv, pos, 2);
    if (np == -2)
        return PF_EXIT_OK;
    if (np < 0)
        return PF_EXIT_USAGE;
    if (np != 2 || !repo_name) {
        pf_err(
            "rules apply: need NAME, VERSION and --repo REPO (see 'pkgfresh rules apply --help')");
        return PF_EXIT_USAGE;
    }
    if (!pf_cli_catalog(cli))
        return PF_EXIT_USAGE;
    const pf_repo *repo = pf_cli_repo(cli, "rules apply", repo_name);
    if (!repo)
        return PF_EXIT_USAGE;
    int ok;
    const pf_rules *r = pf_cli_rules(cli, &ok);
    if (!ok)
        return PF_EXIT_USAGE;

    pf_vscheme scheme = pf_vscheme_for_format(repo->format);
    pf_rpkg p;
    memset(&p, 0, sizeof p);
    /* The seed, as analyze.c makes it: lower-cased up to the first space;
     * Homebrew drops "@X"; FreeBSD seeds from the package name (NAME here). */
    size_t n = 0;
    for (const char *s = pos[0]; *s && *s != ' ' && n + 1 < sizeof p.name; s++) {
        if (scheme == PF_VS_HOMEBREW && *s == '@')
            break;
        p.name[n++] = (char)tolower((unsigned char)*s);
    }
    p.name[n] = 0;
    pf_normalize_version(scheme, pos[1], p.version, sizeof p.version, &p.flags);
    printf("seed:     %s\nversion:  %s -> %s (", p.name, pos[1], p.version);
    rules_print_flags(stdout, p.flags);
    printf(")\n");
    p.repo = repo->id;
    p.family = repo->family;
    p.rulesets = (const char *const *)repo->rulesets;
    p.nrulesets = repo->nrulesets;
    p.srcname = srcname ? srcname : pos[0];
    p.binnames = binnames ? binnames : pos[0];
    p.category = category;
    p.homepage = homepage;
    p.maintainers = maintainer;
    if (!r) {
        printf("rules:    none in use\n");
        return PF_EXIT_OK;
    }
    pf_rules_trace t;
    if (pf_rules_apply_trace(r, &p, &t) != 0) {
        pf_err("rules apply: internal error while applying the rules");
        return PF_EXIT_PARTIAL;
    }
    printf("project:  %s\nversion:  %s\nflags:    ", p.name, p.version);
    rules_print_flags(stdout, p.flags);
    printf("\nflavor:   %s\nbranch:   %s\nremoved:  %s\n", p.flavor[0] ? p.flavor : "-",
           p.branch[0] ? p.branch : "-", p.removed ? "yes" : "no");
    printf("rules:    %zu checked, %zu matched", t.checked, t.matched);
    if (t.last_file)
        printf(", last match %s:%zu", t.last_file, t.last_line);
    printf("\n");
    for (size_t i = 0; i < t.nwarnings && i < 4; i++)
        printf("warning:  %s\n", t.warnings[i]);
    return PF_EXIT_OK;
}

/* `pkgfresh rules SUBCOMMAND ...`: dispatch to check or apply. */
int cmd_rules(pf_cli *cli, int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        FILE *fp = argc < 2 ? stderr : stdout;
        fprintf(fp, "Usage: pkgfresh rules check [DIR] [--strict]\n"
                    "       pkgfresh rules apply NAME VERSION --repo REPO [options]\n\n"
                    "Inspect name/version rules (Repology's ruleset format).\n"
                    "  check  load a ruleset, print rule counts per file and warnings\n"
                    "  apply  show what the rules make of one package\n"
                    "Run 'pkgfresh rules SUBCOMMAND --help' for the options.\n");
        return argc < 2 ? PF_EXIT_USAGE : PF_EXIT_OK;
    }
    if (strcmp(argv[1], "check") == 0)
        return rules_check(cli, argc - 1, argv + 1);
    if (strcmp(argv[1], "apply") == 0)
        return rules_apply(cli, argc - 1, argv + 1);
    pf_err("rules: unknown subcommand '%s' (check or apply)", argv[1]);
    return PF_EXIT_USAGE;
}
