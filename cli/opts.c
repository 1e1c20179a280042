/*
 * opts.c — the table-driven option parser shared by every subcommand.
 */
#include "opts.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Find the option named `name` (length len) or with short letter c. */
static const pf_opt *find_opt(const pf_opt *opts, const char *name, size_t len, char c)
{
    for (const pf_opt *o = opts; o && o->name; o++) {
        if (c ? o->shortname == c : (strlen(o->name) == len && memcmp(o->name, name, len) == 0))
            return o;
    }
    return NULL;
}

/* Store one option value into its destination; returns -1 on a malformed value. */
static int store_value(const pf_cmdspec *spec, const pf_opt *o, const char *val)
{
    switch (o->kind) {
    case PF_OPT_FLAG:
        *(int *)o->dst = 1;
        return 0;
    case PF_OPT_STR:
        *(const char **)o->dst = val;
        return 0;
    case PF_OPT_INT: {
        char *end;
        errno = 0;
        long v = strtol(val, &end, 10);
        if (errno || end == val || *end) {
            pf_err("%s: --%s wants a whole number, not '%s'", spec->name, o->name, val);
            return -1;
        }
        *(long *)o->dst = v;
        return 0;
    }
    case PF_OPT_LIST: {
        pf_strlist *l = o->dst;
        if (l->n >= (int)(sizeof l->v / sizeof l->v[0])) {
            pf_err("%s: too many --%s options", spec->name, o->name);
            return -1;
        }
        l->v[l->n++] = val;
        return 0;
    }
    }
    return -1;
}

/* Parse argv per the command's option table; see opts.h for the contract. */
int pf_opts_parse(const pf_cmdspec *spec, int argc, char **argv, const char **pos, int maxpos)
{
    int npos = 0, only_pos = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (only_pos || a[0] != '-' || a[1] == 0) {
            if (npos >= maxpos) {
                pf_err("%s: unexpected argument '%s' (see 'pkgfresh %s --help')", spec->name, a,
                       spec->name);
                return -1;
            }
            pos[npos++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_pos = 1;
            continue;
        }
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            pf_opts_help(spec, stdout);
            return -2;
        }
        const pf_opt *o;
        const char *val = NULL;
        if (a[1] == '-') {
            const char *name = a + 2, *eq = strchr(name, '=');
            size_t len = eq ? (size_t)(eq - name) : strlen(name);
            o = find_opt(spec->opts, name, len, 0);
            if (eq)
                val = eq + 1;
        } else {
            o = a[2] == 0 ? find_opt(spec->opts, NULL, 0, a[1]) : NULL;
        }
        if (!o) {
            pf_err("%s: unknown option '%s' (see 'pkgfresh %s --help')", spec->name, a, spec->name);
            return -1;
        }
        if (o->kind == PF_OPT_FLAG) {
            if (val) {
                pf_err("%s: --%s takes no value", spec->name, o->name);
                return -1;
            }
        } else if (!val) {
            if (i + 1 >= argc) {
                pf_err("%s: --%s needs a value (%s)", spec->name, o->name,
                       o->metavar ? o->metavar : "VALUE");
                return -1;
            }
            val = argv[++i];
        }
        if (store_value(spec, o, val) != 0)
            return -1;
    }
    return npos;
}

/* Print help generated from the table, so help and parser never disagree. */
void pf_opts_help(const pf_cmdspec *spec, FILE *fp)
{
    fprintf(fp, "Usage: pkgfresh %s %s\n\n%s\n", spec->name, spec->synopsis, spec->summary);
    if (spec->opts && spec->opts->name) {
        fprintf(fp, "\nOptions:\n");
        for (const pf_opt *o = spec->opts; o->name; o++) {
            char left[64], shortpart[8] = "    ";
            if (o->shortname)
                snprintf(shortpart, sizeof shortpart, "-%c, ", o->shortname);
            snprintf(left, sizeof left, "%s--%s%s%s", shortpart, o->name,
                     o->kind == PF_OPT_FLAG ? "" : " ",
                     o->kind == PF_OPT_FLAG ? "" : (o->metavar ? o->metavar : "VALUE"));
            fprintf(fp, "  %-28s %s\n", left, o->help);
        }
        fprintf(fp, "  %-28s %s\n", "-h, --help", "show this help");
    }
    if (spec->details)
        fprintf(fp, "\n%s\n", spec->details);
}
