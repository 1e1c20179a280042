/*
 * fuzz_json_export.c — libFuzzer harness for pf_parse_json_export (format.h):
 * the first input byte picks the dialect (one format row each), the rest is
 * the file as served (compressed or not); see fuzz.h for the checks.
 *
 * Differential as well (fuzz_diff.h): the rest, read as it is, is also
 * parsed by the production reader and by the jansson-tree reference
 * (tests/support/json_export_ref.c, compiled into this harness) in the same
 * dialect; any difference in records, counters, result or error text aborts.
 */
#include "fuzz_diff.h"

#include "json_export_ref.c"

static const char *const dialects[] = {
    "termux-json",   "spack-json",      "exherbo-json",    "aosc-json",
    "crux-json",     "chromebrew-json", "ravenports-json", "yacp-json",
    "pacstall-json", "stalix-ndjson",   "salix-json",      "ptxdist-json",
};

/* One input: parse it to the end in the dialect its first byte names, then both readers. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t n = sizeof dialects / sizeof dialects[0];
    fz_parse_rows(dialects, n, data, size);
    if (size == 0)
        return 0;
    const pf_format *f = pf_format_find(dialects[data[0] % n]);
    fz_diff_variant(f->name, f->variant, f->parse, ref_parse_json_export, data + 1, size - 1);
    return 0;
}
