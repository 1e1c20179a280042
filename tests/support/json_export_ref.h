/*
 * json_export_ref.h — the jansson-tree reference of the json-export reader
 * (tests/support/json_export_ref.c), same signature as pf_parse_fn.
 */
#ifndef PKGFRESH_JSON_EXPORT_REF_H
#define PKGFRESH_JSON_EXPORT_REF_H

#include "pkgfresh/format.h"

int ref_parse_json_export(pf_reader *in, const char *variant, pf_emit_fn emit, void *ctx,
                          pf_parse_stats *stats, char *err, size_t errlen);

#endif
