/*
 * fuzz_format_variants.c — libFuzzer harness for the variants of existing
 * parsers: msys2-db (arch-db reading %PACKAGER% and %GROUPS%) and
 * apkindex-text (APKINDEX records without the tar). The first input byte
 * picks the row, the rest is the file as served; see fuzz.h for the checks.
 */
#include "fuzz.h"

static const char *const rows[] = {"msys2-db", "apkindex-text"};

/* One input: parse it to the end with the row its first byte names. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_parse_rows(rows, sizeof rows / sizeof rows[0], data, size);
    return 0;
}
