/*
 * cli.h — what every subcommand receives, and the subcommand table.
 *
 * main.c parses the global options (before the command name) into a
 * pf_cli and dispatches; each cmd_<name>.c parses its own options with
 * pf_opt_* helpers (opts.c) and returns an exit code:
 *   0 ok, 1 partial failure (some repositories failed), 2 usage/configuration.
 */
#ifndef PKGFRESH_CLI_H
#define PKGFRESH_CLI_H

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#include "pkgfresh/catalog.h"
#include "pkgfresh/rules.h"
#include "pkgfresh/store.h"

enum { PF_EXIT_OK = 0, PF_EXIT_PARTIAL = 1, PF_EXIT_USAGE = 2 };

typedef struct pf_cli {
    const char *db_path;      /* --db, PKGFRESH_DB, or default (owned by main) */
    const char *catalog_path; /* --catalog: replaces the embedded catalog */
    const char *config_path;  /* --config: user config (extra repos, mirrors) */
    const char *rules_path;   /* --rules DIR, PKGFRESH_RULES, or the starter rules; "none" = off */
    const char *mirrors[16];  /* --mirror NAME=URL, in order */
    int nmirrors;
    int quiet, verbose;
    int progress;       /* stderr is a terminal and not --quiet */
    int64_t now;        /* PKGFRESH_NOW for reproducible tests, else time(NULL) */
    pf_catalog catalog; /* loaded lazily by pf_cli_catalog */
    int catalog_loaded;
    pf_store *store; /* opened lazily by pf_cli_store */
    pf_rules *rules; /* loaded lazily by pf_cli_rules */
    int rules_loaded;
    /* pf_cli_rules_start: the rules loading on rules_thread (pf_cli_rules joins it) */
    int rules_started;
    pthread_t rules_thread;
    const char *rules_load_path; /* the directory being loaded */
    char *rules_load_owned;      /* the same when found by pkgfresh (freed after the load) */
    char rules_err[512];         /* its error, when rules is NULL after the join */
} pf_cli;

/* Load catalog (+ config, + mirrors) once; prints the error and returns NULL on failure. */
pf_catalog *pf_cli_catalog(pf_cli *cli);
/* Open the database once (and sync the catalog into it); NULL after printing the error. */
pf_store *pf_cli_store(pf_cli *cli);
/* pf_cli_store for a query that reads a few scattered pages (pf_store_read_few). */
pf_store *pf_cli_store_few(pf_cli *cli);

/* Load the rule set once. *ok = 0 after printing an error; the result may be
 * NULL with *ok = 1 when rules are off or none are installed. */
const pf_rules *pf_cli_rules(pf_cli *cli, int *ok);
/* Start loading the rule set on a thread while the caller does other work
 * (crawl overlaps it with parsing); pf_cli_rules then waits for it and
 * reports as usual. Without a thread the load happens in pf_cli_rules. */
void pf_cli_rules_start(pf_cli *cli);

/* Re-execute the program once with glibc's heap on transparent huge pages
 * (hugepages.c); returns when that is not wanted or not possible. */
void pf_cli_hugepages(char **argv);

/* Catalog repository for a user-given id or short name; prints an error and returns NULL. */
const pf_repo *pf_cli_repo(pf_cli *cli, const char *cmd, const char *name);

/* Print "pkgfresh: " + message to stderr. */
void pf_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

typedef int (*pf_cmd_fn)(pf_cli *cli, int argc, char **argv);

int cmd_repos(pf_cli *cli, int argc, char **argv);
int cmd_crawl(pf_cli *cli, int argc, char **argv);
int cmd_analyze(pf_cli *cli, int argc, char **argv);
int cmd_stats(pf_cli *cli, int argc, char **argv);
int cmd_packages(pf_cli *cli, int argc, char **argv);
int cmd_compare(pf_cli *cli, int argc, char **argv);
int cmd_project(pf_cli *cli, int argc, char **argv);
int cmd_outdated(pf_cli *cli, int argc, char **argv);
int cmd_history(pf_cli *cli, int argc, char **argv);
int cmd_search(pf_cli *cli, int argc, char **argv);
int cmd_render(pf_cli *cli, int argc, char **argv);
int cmd_render_badge(pf_cli *cli, int argc, char **argv);
int cmd_site(pf_cli *cli, int argc, char **argv);
int cmd_vercmp(pf_cli *cli, int argc, char **argv);
int cmd_rules(pf_cli *cli, int argc, char **argv);
int cmd_gc(pf_cli *cli, int argc, char **argv);
int cmd_backup(pf_cli *cli, int argc, char **argv);

#endif
