/*
 * status.c — names of package statuses and flags, as Repology spells them.
 */
#include <string.h>

#include "pkgfresh/record.h"

/* Lower-case status name; "unprocessed" for PF_S_NONE and unknown values. */
const char *pf_status_name(int status)
{
    static const char *const names[PF_S_COUNT] = {
        "unprocessed", "newest",    "outdated",  "ignored",  "unique",  "devel",
        "legacy",      "incorrect", "untrusted", "noscheme", "rolling",
    };
    return status > 0 && status < PF_S_COUNT ? names[status] : names[0];
}

/* Names of the PF_F_* flags, in bit order. */
static const struct {
    unsigned bit;
    const char *name;
} flag_names[] = {
    {PF_F_REMOVE, "remove"},
    {PF_F_DEVEL, "devel"},
    {PF_F_IGNORE, "ignore"},
    {PF_F_INCORRECT, "incorrect"},
    {PF_F_UNTRUSTED, "untrusted"},
    {PF_F_NOSCHEME, "noscheme"},
    {PF_F_ROLLING, "rolling"},
    {PF_F_SINK, "sink"},
    {PF_F_LEGACY, "legacy"},
    {PF_F_P_IS_PATCH, "p_is_patch"},
    {PF_F_ANY_IS_PATCH, "any_is_patch"},
    {PF_F_TRACE, "trace"},
    {PF_F_WEAK_DEVEL, "weak_devel"},
    {PF_F_STABLE, "stable"},
    {PF_F_ALTVER, "altver"},
    {PF_F_VULNERABLE, "vulnerable"},
    {PF_F_ALTSCHEME, "altscheme"},
    {PF_F_NOLEGACY, "nolegacy"},
    {PF_F_OUTDATED, "outdated"},
    {PF_F_RECALLED, "recalled"},
};

/* Comma list of the names of the bits set in flags (unknown bits are left
 * out); stops at the last whole name that fits. */
size_t pf_flags_format(unsigned flags, char *buf, size_t len)
{
    size_t used = 0, count = 0;
    if (len == 0)
        return 0;
    buf[0] = 0;
    for (size_t i = 0; i < sizeof flag_names / sizeof flag_names[0]; i++) {
        if (!(flags & flag_names[i].bit))
            continue;
        size_t n = strlen(flag_names[i].name) + (count > 0);
        if (used + n + 1 > len)
            break;
        if (count > 0)
            buf[used++] = ',';
        memcpy(buf + used, flag_names[i].name, n - (count > 0) + 1);
        used += n - (count > 0);
        count++;
    }
    return count;
}
