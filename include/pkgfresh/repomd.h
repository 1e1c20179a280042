/*
 * repomd.h — reading an rpm-md repository's index of data files.
 *
 * repodata/repomd.xml lists the repository's metadata files; pkgfresh needs
 * the one of type "primary": where it is (href relative to the repository
 * base) and its checksum, so an unchanged primary is never downloaded twice.
 */
#ifndef PKGFRESH_REPOMD_H
#define PKGFRESH_REPOMD_H

#include <stddef.h>

#include "pkgfresh/reader.h"

/*
 * Find the primary data file in a repomd.xml stream. href receives the
 * location (e.g. "repodata/abc-primary.xml.zst"), checksum "TYPE:HEX" of the
 * compressed file (<checksum>, stable per file). Returns 0, or -1 with a
 * one-line cause in err (no primary entry, malformed XML).
 */
int pf_repomd_primary(pf_reader *in, char *href, size_t hreflen, char *checksum, size_t cklen,
                      char *err, size_t errlen);

#endif
