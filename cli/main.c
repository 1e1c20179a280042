/*
 * main.c — pkgfresh entry point: global options, the command table, and the
 * lazily opened catalog and database every command shares.
 *
 * Global options come before the command name:
 *   pkgfresh [--db PATH] [--catalog PATH] [--config PATH] [--mirror NAME=URL]...
 *            [-q|--quiet] [-v|--verbose] COMMAND [ARGS]
 */
#include <errno.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "pkgfresh/fetch.h"

enum {
    CMD_BIG = 1,    /* allocates hundreds of MB: runs with the heap on huge pages (hugepages.c) */
    CMD_FETCHES = 2 /* downloads: needs libcurl, whose start costs a query 2 ms (OpenSSL) */
};

typedef struct pf_command {
    const char *name;
    pf_cmd_fn fn;
    const char *summary;
    unsigned flags; /* CMD_* */
} pf_command;

static const pf_command commands[] = {
    {"repos", cmd_repos, "list the repository catalog and each repository's last crawl", 0},
    {"crawl", cmd_crawl, "download and parse repository indexes into the database",
     CMD_BIG | CMD_FETCHES},
    {"analyze", cmd_analyze, "map packages to projects, classify versions, record statistics",
     CMD_BIG},
    {"stats", cmd_stats, "per-repository statistics of the latest analysis", 0},
    {"packages", cmd_packages, "one repository's packages with project, version, flags and status",
     0},
    {"compare", cmd_compare, "compare two repositories project by project", 0},
    {"project", cmd_project, "one project in every repository: versions, statuses, lag", 0},
    {"outdated", cmd_outdated, "a repository's outdated packages, most days behind first", 0},
    {"history", cmd_history, "statistics of every analysis run (trends)", 0},
    {"search", cmd_search, "projects whose name contains a text", 0},
    {"render", cmd_render, "draw charts (map, trend, rank) to PNG, SVG or PDF, and badges", 0},
    {"site", cmd_site, "write the analysis as a static website (pages, charts, badges, feeds)",
     CMD_BIG},
    {"vercmp", cmd_vercmp, "compare versions the way pkgfresh does (libversion rules)", 0},
    {"rules", cmd_rules, "check a name/version ruleset, or show what it does to a package", 0},
    {"gc", cmd_gc, "drop crawl and statistics history older than a period", 0},
    {"backup", cmd_backup, "write a compact, consistent copy of the database", 0},
    {NULL, NULL, NULL, 0},
};

/* Report an error on stderr with the program prefix. */
void pf_err(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("pkgfresh: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

/* Top-level help: global options and the command list. */
static void usage(FILE *fp)
{
    fprintf(fp,
            "pkgfresh %s — package repository freshness analyzer\n\n"
            "Usage: pkgfresh [GLOBAL OPTIONS] COMMAND [ARGS]\n\nCommands:\n",
            PKGFRESH_VERSION);
    for (const pf_command *c = commands; c->name; c++)
        fprintf(fp, "  %-10s %s\n", c->name, c->summary);
    fprintf(fp, "\nGlobal options:\n"
                "  --db PATH          database file (default: $PKGFRESH_DB, else\n"
                "                     $XDG_DATA_HOME/pkgfresh/pkgfresh.db)\n"
                "  --catalog PATH     repository catalog file or directory, replacing the\n"
                "                     built-in one (data/repos/*.yaml)\n"
                "  --config PATH      extra catalog file: your own repositories and mirrors\n"
                "                     (default: $XDG_CONFIG_HOME/pkgfresh/config.yaml if present)\n"
                "  --mirror NAME=URL  use URL for mirror NAME this run; NAME=apt reads the\n"
                "                     host's /etc/apt/sources.list{,.d/*}\n"
                "  --rules DIR        name/version rules (Repology's ruleset format), e.g. a\n"
                "                     checkout of repology-rules; default: $PKGFRESH_RULES,\n"
                "                     else pkgfresh's starter rules; 'none' turns rules off\n"
                "  -q, --quiet        no progress output\n"
                "  -v, --verbose      more detail on stderr\n"
                "  --version          print the version\n\n"
                "Environment: PKGFRESH_DB (database), PKGFRESH_RULES (rules directory),\n"
                "PKGFRESH_NOW (fixed unix time, for tests).\n"
                "Exit status: 0 ok, 1 some repositories failed, 2 usage or configuration error.\n"
                "Run 'pkgfresh COMMAND --help' for a command's options.\n");
}

/* Default user config: $XDG_CONFIG_HOME/pkgfresh/config.yaml or ~/.config/..., if it exists. */
static char *default_config_path(void)
{
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    char buf[4096];
    if (xdg && *xdg)
        snprintf(buf, sizeof buf, "%s/pkgfresh/config.yaml", xdg);
    else if (home && *home)
        snprintf(buf, sizeof buf, "%s/.config/pkgfresh/config.yaml", home);
    else
        return NULL;
    return access(buf, R_OK) == 0 ? strdup(buf) : NULL;
}

/* Load the catalog once: built-in or --catalog, then the user config, then --mirror overrides. */
pf_catalog *pf_cli_catalog(pf_cli *cli)
{
    char err[512];
    if (cli->catalog_loaded)
        return &cli->catalog;
    int rc = cli->catalog_path
                 ? pf_catalog_load_path(&cli->catalog, cli->catalog_path, err, sizeof err)
                 : pf_catalog_load_default(&cli->catalog, err, sizeof err);
    if (rc == 0 && cli->config_path)
        rc = pf_catalog_load_path(&cli->catalog, cli->config_path, err, sizeof err);
    for (int i = 0; rc == 0 && i < cli->nmirrors; i++)
        rc = pf_catalog_set_mirror(&cli->catalog, cli->mirrors[i], err, sizeof err);
    if (rc != 0) {
        pf_err("catalog: %s", err);
        pf_catalog_free(&cli->catalog);
        return NULL;
    }
    cli->catalog_loaded = 1;
    return &cli->catalog;
}

/* The starter rules shipped with pkgfresh: next to the binary in a build tree
 * (build/<cfg>/pkgfresh -> data/rules), or in $(PREFIX)/share/pkgfresh/rules. */
static char *find_starter_rules(void)
{
    char exe[4096], buf[4200];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = 0;
        char *slash = strrchr(exe, '/');
        if (slash)
            *slash = 0;
        static const char *const rel[] = {"/../../data/rules", "/../share/pkgfresh/rules"};
        for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
            snprintf(buf, sizeof buf, "%s%s", exe, rel[i]);
            struct stat sb;
            if (stat(buf, &sb) == 0 && S_ISDIR(sb.st_mode))
                return strdup(buf);
        }
    }
    struct stat sb;
    if (stat(PKGFRESH_DATADIR "/rules", &sb) == 0 && S_ISDIR(sb.st_mode))
        return strdup(PKGFRESH_DATADIR "/rules");
    return NULL;
}

/* The rules directory to load: --rules, $PKGFRESH_RULES, the config's
 * "rules:", or the starter rules (then *owned holds it, for the caller to
 * free); NULL when rules are off ("none") or none are installed. */
static const char *rules_path(pf_cli *cli, char **owned)
{
    *owned = NULL;
    const char *path = cli->rules_path ? cli->rules_path : getenv("PKGFRESH_RULES");
    pf_catalog *cat = path ? NULL : pf_cli_catalog(cli);
    if (!path && cat)
        path = cat->rules; /* "rules: DIR" in the config file */
    if (path && strcmp(path, "none") == 0)
        return NULL;
    return path && *path ? path : (*owned = find_starter_rules());
}

/* Thread body of pf_cli_rules_start: load cli->rules_load_path. Until
 * pf_cli_rules joins it, only this thread touches cli->rules and
 * cli->rules_err, and nobody changes cli->rules_load_path. */
static void *rules_thread_main(void *arg)
{
    pf_cli *cli = arg;
    cli->rules = pf_rules_load(cli->rules_load_path, cli->rules_err, sizeof cli->rules_err);
    return NULL;
}

/* Start the rules loading on a thread (see cli.h); nothing to start when
 * they are loaded already, off, or not installed. */
void pf_cli_rules_start(pf_cli *cli)
{
    if (cli->rules_loaded || cli->rules_started)
        return;
    cli->rules_load_path = rules_path(cli, &cli->rules_load_owned);
    if (cli->rules_load_path)
        cli->rules_started = pthread_create(&cli->rules_thread, NULL, rules_thread_main, cli) == 0;
}

/* Load the rules once (rules_path says from where), or wait for the thread
 * pf_cli_rules_start began; print an error once. */
const pf_rules *pf_cli_rules(pf_cli *cli, int *ok)
{
    *ok = 1;
    if (cli->rules_loaded)
        return cli->rules;
    cli->rules_loaded = 1;
    if (cli->rules_started) {
        pthread_join(cli->rules_thread, NULL);
        cli->rules_started = 0;
    } else if (!cli->rules_load_path) {
        cli->rules_load_path = rules_path(cli, &cli->rules_load_owned);
        if (cli->rules_load_path)
            cli->rules = pf_rules_load(cli->rules_load_path, cli->rules_err, sizeof cli->rules_err);
    }
    if (cli->rules_load_path && !cli->rules) {
        pf_err("rules %s: %s", cli->rules_load_path, cli->rules_err);
        *ok = 0;
    } else if (cli->rules && cli->verbose) {
        fprintf(stderr, "pkgfresh: %zu rules from %s\n", pf_rules_count(cli->rules),
                cli->rules_load_path);
    }
    free(cli->rules_load_owned);
    cli->rules_load_owned = NULL;
    cli->rules_load_path = NULL;
    return cli->rules;
}

/* Open the database once and make its repository table match the catalog. */
pf_store *pf_cli_store(pf_cli *cli)
{
    char err[512];
    if (cli->store)
        return cli->store;
    pf_catalog *cat = pf_cli_catalog(cli);
    if (!cat)
        return NULL;
    cli->store = pf_store_open(cli->db_path, err, sizeof err);
    if (!cli->store) {
        pf_err("database %s: %s", cli->db_path, err);
        return NULL;
    }
    if (pf_store_sync_catalog(cli->store, cat) != 0) {
        pf_err("database %s: cannot record the catalog: %s", cli->db_path,
               pf_store_errmsg(cli->store));
        pf_store_close(cli->store);
        cli->store = NULL;
        return NULL;
    }
    return cli->store;
}

/* The store for a short query: pages read with pread, not mapped (see
 * pf_store_read_few); NULL after printing the error. */
pf_store *pf_cli_store_few(pf_cli *cli)
{
    pf_store *st = pf_cli_store(cli);
    if (st && pf_store_read_few(st) != 0) {
        pf_err("database %s: %s", cli->db_path, pf_store_errmsg(st));
        return NULL;
    }
    return st;
}

/* Value of a global option "--name VALUE" or "--name=VALUE" at argv[*i]; NULL if not it. */
static const char *global_value(int argc, char **argv, int *i, const char *name, int *bad)
{
    size_t n = strlen(name);
    const char *a = argv[*i];
    if (strncmp(a, name, n) != 0)
        return NULL;
    if (a[n] == '=')
        return a + n + 1;
    if (a[n] != 0)
        return NULL;
    if (*i + 1 >= argc) {
        pf_err("%s needs a value", name);
        *bad = 1;
        return NULL;
    }
    return argv[++*i];
}

/* Parse global options, run the command, release shared state. */
int main(int argc, char **argv)
{
    pf_cli cli;
    memset(&cli, 0, sizeof cli);
    char *db_default = NULL, *config_default = NULL;
    int i, bad = 0;
    for (i = 1; i < argc && argv[i][0] == '-' && !bad; i++) {
        const char *a = argv[i], *v;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return PF_EXIT_OK;
        } else if (strcmp(a, "--version") == 0) {
            printf("pkgfresh %s\n", PKGFRESH_VERSION);
            return PF_EXIT_OK;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            cli.quiet = 1;
        } else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
            cli.verbose = 1;
        } else if ((v = global_value(argc, argv, &i, "--db", &bad))) {
            cli.db_path = v;
        } else if ((v = global_value(argc, argv, &i, "--catalog", &bad))) {
            cli.catalog_path = v;
        } else if ((v = global_value(argc, argv, &i, "--config", &bad))) {
            cli.config_path = v;
        } else if ((v = global_value(argc, argv, &i, "--rules", &bad))) {
            cli.rules_path = v;
        } else if ((v = global_value(argc, argv, &i, "--mirror", &bad))) {
            if (cli.nmirrors >= (int)(sizeof cli.mirrors / sizeof cli.mirrors[0])) {
                pf_err("too many --mirror options");
                return PF_EXIT_USAGE;
            }
            cli.mirrors[cli.nmirrors++] = v;
        } else if (!bad) {
            pf_err("unknown global option '%s' (see 'pkgfresh --help')", a);
            return PF_EXIT_USAGE;
        }
    }
    if (bad)
        return PF_EXIT_USAGE;
    if (i >= argc) {
        usage(stderr);
        return PF_EXIT_USAGE;
    }
    const pf_command *cmd = NULL;
    for (const pf_command *c = commands; c->name; c++)
        if (strcmp(c->name, argv[i]) == 0)
            cmd = c;
    if (!cmd) {
        pf_err("unknown command '%s' (see 'pkgfresh --help')", argv[i]);
        return PF_EXIT_USAGE;
    }
    if (cmd->flags & CMD_BIG) /* re-executes, so before anything is opened */
        pf_cli_hugepages(argv);
    else /* blocks up to 4 MiB from the heap, not mmap: a query's table buffer
          * and page cache then reuse what the catalog's YAML freed instead of
          * faulting in fresh pages (history: 128 fewer faults, 1.5-2 ms here) */
        mallopt(M_MMAP_THRESHOLD, 4 << 20);
    if (!cli.db_path)
        cli.db_path = db_default = pf_store_default_path();
    if (!cli.config_path && !cli.catalog_path)
        cli.config_path = config_default = default_config_path();
    const char *now = getenv("PKGFRESH_NOW");
    cli.now = now && *now ? strtoll(now, NULL, 10) : (int64_t)time(NULL);
    cli.progress = !cli.quiet && isatty(STDERR_FILENO);

    if (pf_store_global_init() != 0) {
        pf_err("cannot initialise SQLite");
        return PF_EXIT_USAGE;
    }
    int fetches = (cmd->flags & CMD_FETCHES) != 0;
    if (fetches && pf_fetch_global_init() != 0) {
        pf_err("cannot initialise libcurl");
        return PF_EXIT_USAGE;
    }
    int rc = cmd->fn(&cli, argc - i, argv + i);
    if (fflush(stdout) != 0 && rc == PF_EXIT_OK) {
        pf_err("cannot write output: %s", strerror(errno));
        rc = PF_EXIT_PARTIAL;
    }
    if (cli.rules_started) { /* a command that started the load and returned early */
        int ok;
        pf_cli_rules(&cli, &ok);
    }
    if (cli.store)
        pf_store_close(cli.store);
    if (cli.catalog_loaded)
        pf_catalog_free(&cli.catalog);
    pf_rules_free(cli.rules);
    if (fetches)
        pf_fetch_global_cleanup();
    free(db_default);
    free(config_default);
    return rc;
}
