/*
 * repomd.c — repomd.xml reader (being written; stub).
 */
#include <stdio.h>

#include "pkgfresh/repomd.h"

/* Not implemented yet. */
int pf_repomd_primary(pf_reader *in, char *href, size_t hreflen, char *checksum, size_t cklen,
                      char *err, size_t errlen)
{
    (void)in, (void)href, (void)hreflen, (void)checksum, (void)cklen;
    snprintf(err, errlen, "repomd.xml reader not implemented yet");
    return -1;
}
