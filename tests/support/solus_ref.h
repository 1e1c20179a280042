/*
 * solus_ref.h — the DOM-subtree reference of the Solus parser
 * (tests/support/solus_ref.c), same signature as pf_parse_fn.
 */
#ifndef PKGFRESH_SOLUS_REF_H
#define PKGFRESH_SOLUS_REF_H

#include "pkgfresh/format.h"

int ref_parse_solus_eopkg(pf_reader *in, const char *variant, pf_emit_fn emit, void *ctx,
                          pf_parse_stats *stats, char *err, size_t errlen);

#endif
