/*
 * fuzz_pkgsrc_index.c — libFuzzer harness for pf_parse_pkgsrc_index (format.h): the input is the
 * index as served (compressed or not); see fuzz.h for the checks.
 */
#include "fuzz.h"

/* One input: parse it to the end. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_parse(pf_parse_pkgsrc_index, data, size);
    return 0;
}
