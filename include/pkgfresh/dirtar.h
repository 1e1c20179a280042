/*
 * dirtar.h — a directory tree packed into a tar stream.
 *
 * `crawl --from DIR` hands a parser that reads tar members (gentoo-md5cache:
 * a repository checkout) the tree itself: the crawler packs it into an
 * uncompressed tar in a temporary file and parses that like a download.
 */
#ifndef PKGFRESH_DIRTAR_H
#define PKGFRESH_DIRTAR_H

#include <stddef.h>
#include <stdio.h>

/*
 * Write every regular file below dir into out as a tar (pax) whose member
 * paths are "<basename of dir>/<relative path>". Entries whose name starts
 * with '.' (.git, ...) are left out; symbolic links are not followed. Files
 * are written in name order (a stable member order). 0 ok, -1 with a
 * one-line message in err.
 */
int pf_dirtar(const char *dir, FILE *out, char *err, size_t errlen);

#endif
