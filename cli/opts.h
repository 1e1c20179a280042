/*
 * opts.h — the one option parser every subcommand uses.
 *
 * A command declares its options as a table; pf_opts_parse fills the
 * destinations, collects positional arguments, prints "--help" from the table
 * and reports unknown or malformed options as usage errors. Options may come
 * before or after positionals; "--" ends options; "-" alone is positional.
 * Both "--name value" and "--name=value" are accepted.
 */
#ifndef PKGFRESH_OPTS_H
#define PKGFRESH_OPTS_H

#include <stdio.h>

typedef enum pf_opt_kind {
    PF_OPT_FLAG, /* int *: set to 1 */
    PF_OPT_STR,  /* const char **: last value wins */
    PF_OPT_INT,  /* long *: decimal, checked */
    PF_OPT_LIST, /* pf_strlist *: every value appended */
} pf_opt_kind;

typedef struct pf_strlist {
    const char *v[64];
    int n;
} pf_strlist;

typedef struct pf_opt {
    const char *name; /* long name without "--" */
    char shortname;   /* single-letter alias or 0 */
    pf_opt_kind kind;
    void *dst;
    const char *metavar; /* for help: "FILE" */
    const char *help;    /* one line */
} pf_opt;

typedef struct pf_cmdspec {
    const char *name;     /* "crawl" */
    const char *synopsis; /* "[REPO...] [options]" */
    const char *summary;  /* one line: what the command does */
    const char *details;  /* more text after the option list, or NULL */
    const pf_opt *opts;   /* terminated by an entry with name == NULL */
} pf_cmdspec;

/*
 * Parse argv[1..argc-1] (argv[0] is the command name). Positionals are
 * stored in pos (at most maxpos). Returns the number of positionals, -1 on a
 * usage error (already printed), -2 when --help was printed.
 */
int pf_opts_parse(const pf_cmdspec *spec, int argc, char **argv, const char **pos, int maxpos);

/* Print the command's help (synopsis, summary, options, details) to fp. */
void pf_opts_help(const pf_cmdspec *spec, FILE *fp);

#endif
