/*
 * fmt_arch_db.c — Arch .db parser (being written; stub).
 */
#include <stdio.h>

#include "pkgfresh/format.h"

/* Not implemented yet: reports an error. */
int pf_parse_arch_db(pf_reader *in, pf_emit_fn emit, void *ctx, char *err, size_t errlen)
{
    (void)in, (void)emit, (void)ctx;
    snprintf(err, errlen, "format not implemented yet");
    return -1;
}
