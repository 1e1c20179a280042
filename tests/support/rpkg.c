/*
 * rpkg.c — a Debian-like rules input and rulesets from text (rpkg.h),
 * shared by test_rules, test_rules_regex and test_namememo.
 */
#include "rpkg.h"

#include "testutil.h"

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

/* See rpkg.h. */
const char *tu_rules_write(const char *tag, const char *yaml)
{
    const char *dir = tu_tmpdir(tag);
    char path[4096];
    snprintf(path, sizeof path, "%s/rules.yaml", dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(yaml, fp);
    assert_int_equal(fclose(fp), 0);
    return dir;
}

/* See rpkg.h. */
pf_rules *tu_rules_load_text(const char *tag, const char *yaml, char *err, size_t errlen)
{
    return pf_rules_load(tu_rules_write(tag, yaml), err, errlen);
}
