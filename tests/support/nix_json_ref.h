/*
 * nix_json_ref.h — the jansson-based reference parser of nixpkgs
 * packages.json (nix_json_ref.c), the oracle of the differential tests.
 */
#ifndef PKGFRESH_NIX_JSON_REF_H
#define PKGFRESH_NIX_JSON_REF_H

#include "pkgfresh/format.h"

/* Same contract as pf_parse_nix_json (format.h). */
int nix_ref_parse_stats(pf_reader *in, const char *variant, pf_emit_fn emit, void *ctx,
                        pf_parse_stats *stats, char *err, size_t errlen);

#endif
