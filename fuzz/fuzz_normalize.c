/*
 * fuzz_normalize.c — libFuzzer harness for the version normalizers
 * (normalize.h). Byte 0 picks the scheme, byte 1 the output buffer size
 * (1..256), the rest is the raw version (up to its first NUL). Checked: the
 * returned length equals strlen(out) and fits the buffer; nothing is written
 * past outlen (canary); only PF_F_* bits that exist are set; normalizing
 * twice gives the same result (pure function).
 */
#include "fuzz.h"
#include "pkgfresh/normalize.h"

#define FZ_KNOWN_FLAGS 0x001fffbfu /* PF_F_REMOVE .. PF_F_RECALLED (bit 6 unused) */

/* One input: normalize with every entry point the scheme has. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    pf_vscheme scheme = (pf_vscheme)(data[0] % PF_VS_COUNT);
    size_t outlen = (size_t)data[1] + 1;
    char *raw = malloc(size - 1);
    if (!raw)
        return 0;
    memcpy(raw, data + 2, size - 2);
    raw[size - 2] = 0;
    char out[258], again[258];
    memset(out, 0x5a, sizeof out);
    unsigned flags = 0, flags2 = 0;
    size_t n = pf_normalize_version(scheme, raw, out, outlen, &flags);
    if (n >= outlen || strlen(out) != n)
        fz_fail("length wrong or past the buffer");
    for (size_t i = outlen; i < sizeof out; i++)
        if ((unsigned char)out[i] != 0x5a)
            fz_fail("wrote past outlen");
    if (flags & ~FZ_KNOWN_FLAGS)
        fz_fail("unknown flag bits");
    size_t n2 = pf_normalize_version(scheme, raw, again, outlen, &flags2);
    if (n2 != n || strcmp(out, again) != 0 || flags2 != flags)
        fz_fail("not deterministic");
    free(raw);
    return 0;
}
