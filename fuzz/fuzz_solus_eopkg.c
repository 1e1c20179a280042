/*
 * fuzz_solus_eopkg.c — libFuzzer harness for pf_parse_solus_eopkg (format.h): the input is the
 * index as served (compressed or not); see fuzz.h for the checks.
 *
 * Differential as well (fuzz_diff.h): the input, read as it is, is also
 * parsed by the DOM-subtree reference (tests/support/solus_ref.c, compiled
 * into this harness); any difference in records, counters or result aborts
 * (two failures may word their message differently: the reference's
 * xmlTextReader parses ahead of the records it hands out).
 */
#include "fuzz_diff.h"

#include "solus_ref.c"

/* One input: parse it to the end, then with both parsers. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_parse(pf_parse_solus_eopkg, data, size);
    fz_diff_opt("solus_eopkg", NULL, pf_parse_solus_eopkg, ref_parse_solus_eopkg, data, size, 0);
    return 0;
}
