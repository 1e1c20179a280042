/*
 * fuzz_repomd.c — libFuzzer harness for pf_repomd_primary (repomd.h): the
 * input is a repomd.xml; on success href and checksum must be NUL-terminated
 * within their buffers and href non-empty.
 */
#include "fuzz.h"
#include "pkgfresh/repomd.h"

/* One input: find the primary entry. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[256] = "", href[1024], ck[160];
    pf_reader *rd = pf_reader_open_mem(data, size, PF_CODEC_NONE, err, sizeof err);
    if (!rd)
        return 0;
    rd->limit = FZ_MAX_DECODED;
    memset(href, 'x', sizeof href);
    memset(ck, 'x', sizeof ck);
    int rc = pf_repomd_primary(rd, href, sizeof href, ck, sizeof ck, err, sizeof err);
    if (rc == 0) {
        if (!memchr(href, 0, sizeof href) || !memchr(ck, 0, sizeof ck))
            fz_fail("href or checksum not terminated");
        if (href[0] == 0)
            fz_fail("empty primary href accepted");
    } else if (err[0] == 0) {
        fz_fail("repomd failure without a message");
    }
    pf_reader_close(rd);
    return 0;
}
