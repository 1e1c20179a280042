/*
 * fuzz_json_export.c — libFuzzer harness for pf_parse_json_export (format.h):
 * the first input byte picks the dialect (one format row each), the rest is
 * the file as served (compressed or not); see fuzz.h for the checks.
 */
#include "fuzz.h"

static const char *const dialects[] = {
    "termux-json",   "spack-json",      "exherbo-json",    "aosc-json",
    "crux-json",     "chromebrew-json", "ravenports-json", "yacp-json",
    "pacstall-json", "stalix-ndjson",   "salix-json",      "ptxdist-json",
};

/* One input: parse it to the end in the dialect its first byte names. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_parse_rows(dialects, sizeof dialects / sizeof dialects[0], data, size);
    return 0;
}
