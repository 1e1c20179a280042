/*
 * jsonfmt_ref.h — jansson-tree reference parsers for the JSON formats
 * (tests/support/jsonfmt_ref.c), same signature as pf_parse_fn.
 */
#ifndef PKGFRESH_JSONFMT_REF_H
#define PKGFRESH_JSONFMT_REF_H

#include "pkgfresh/format.h"

int ref_parse_aur_json(pf_reader *in, const char *variant, pf_emit_fn emit, void *ctx,
                       pf_parse_stats *stats, char *err, size_t errlen);
int ref_parse_alt_json(pf_reader *in, const char *variant, pf_emit_fn emit, void *ctx,
                       pf_parse_stats *stats, char *err, size_t errlen);
int ref_parse_macports_json(pf_reader *in, const char *variant, pf_emit_fn emit, void *ctx,
                            pf_parse_stats *stats, char *err, size_t errlen);
int ref_parse_guix_json(pf_reader *in, const char *variant, pf_emit_fn emit, void *ctx,
                        pf_parse_stats *stats, char *err, size_t errlen);

#endif
