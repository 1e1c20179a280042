/*
 * status.c — names of package statuses, as Repology spells them.
 */
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
