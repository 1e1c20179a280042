/*
 * fuzz_nix_json.c — libFuzzer harness for pf_parse_nix_json (format.h): the input is the
 * index as served (compressed or not); see fuzz.h for the checks.
 *
 * Differential as well: every input is also parsed by the jansson-based
 * reference parser (tests/support/nix_json_ref.c, compiled into this
 * harness), and any difference in records, counters, return value or error
 * text aborts.
 */
#include "fuzz_diff.h"

#include "nix_json_ref.c"

/* One input: fz_parse's checks on the parser, then the parser against the reference. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_diff("nix-json", pf_parse_nix_json, nix_ref_parse_stats, data, size);
    return 0;
}
