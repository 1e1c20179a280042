/*
 * fuzz_aur_json.c — libFuzzer harness for pf_parse_aur_json (format.h): the input is the
 * index as served (compressed or not); see fuzz.h for the checks.
 *
 * Differential as well (fuzz_diff.h): every input is also parsed by the
 * jansson-tree reference parser (tests/support/jsonfmt_ref.c, compiled into
 * this harness); any difference in records, counters, result or error text
 * aborts.
 */
#include "fuzz_diff.h"

#include "jsonfmt_ref.c"

/* One input: parse it with both parsers and compare. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_diff("aur_json", pf_parse_aur_json, ref_parse_aur_json, data, size);
    return 0;
}
