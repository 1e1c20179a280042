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

/*
 * DOCTYPE guard shared by the rpm-md XML readers (repomd.xml, primary.xml):
 * fed the bytes of a stream as they arrive, it scans the prolog (BOM, XML
 * declaration, comments, processing instructions, white space) and flags a
 * "<!DOCTYPE" before libxml2 parses it, so no entity or DTD a document
 * declares is ever seen by the parser. Zero-initialise; once `done` is set
 * (the root element began, or the prolog holds something else) feeding is a
 * no-op.
 */
typedef struct pf_xml_guard {
    int state, n, dashes;
    int done;      /* the prolog is over: nothing more to check */
    int doctype;   /* a DOCTYPE was found */
    unsigned line; /* 1-based line of the scan position (of the DOCTYPE when found) */
    char kw[8];
} pf_xml_guard;

/* Scan buf[0..n) of the stream; returns 1 once a DOCTYPE has been seen, else 0. */
int pf_xml_guard_feed(pf_xml_guard *g, const char *buf, size_t n);

#endif
