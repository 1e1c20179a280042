/*
 * resolve.c — turning a user's repository name into a catalog repository.
 *
 * Accepted: a repository id ("debian_unstable") or a short name that a
 * repository is the default of ("debian", "ubuntu"). Unknown names get an
 * error listing the closest ids.
 */
#include <string.h>

#include "cli.h"

/* Resolve name or print an error; NULL when unknown or the catalog failed. */
const pf_repo *pf_cli_repo(pf_cli *cli, const char *cmd, const char *name)
{
    pf_catalog *cat = pf_cli_catalog(cli);
    if (!cat)
        return NULL;
    const pf_repo *r = pf_catalog_find(cat, name);
    if (r)
        return r;
    char hint[512] = "";
    size_t used = 0;
    for (size_t i = 0; i < cat->nrepos && used + 64 < sizeof hint; i++) {
        const pf_repo *c = &cat->repos[i];
        if (strstr(c->id, name) || (c->shortname && strstr(name, c->shortname)))
            used +=
                (size_t)snprintf(hint + used, sizeof hint - used, "%s%s", used ? ", " : "", c->id);
    }
    if (used)
        pf_err("%s: unknown repository '%s' (did you mean: %s?)", cmd, name, hint);
    else
        pf_err("%s: unknown repository '%s' (see 'pkgfresh repos')", cmd, name);
    return NULL;
}
