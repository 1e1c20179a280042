/*
 * rpkg.c — a Debian-like rules input (rpkg.h), shared by test_rules and
 * test_rules_regex.
 */
#include "rpkg.h"

#include <stdio.h>
#include <string.h>

/* See rpkg.h. The rulesets array is static: p may outlive the call. */
void tu_rpkg_debian(pf_rpkg *p, const char *name, const char *version)
{
    static const char *const deb[] = {"debuntu", "debian"};
    memset(p, 0, sizeof *p);
    snprintf(p->name, sizeof p->name, "%s", name);
    snprintf(p->version, sizeof p->version, "%s", version);
    p->repo = "test";
    p->family = "debuntu";
    p->rulesets = deb;
    p->nrulesets = 2;
}
