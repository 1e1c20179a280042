/*
 * tempfile.h — the one way pkgfresh makes a private temporary file: in
 * $TMPDIR, else /tmp (tmpfile(3) ignores TMPDIR), named
 * "pkgfresh-STEM-XXXXXX". Used where a file must be reopened by name
 * (the OpenBSD sqlports database) and for the analysis' spill, which
 * unlinks it at once.
 */
#ifndef PKGFRESH_TEMPFILE_H
#define PKGFRESH_TEMPFILE_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

/* Create the file, its name into path (pathlen bytes). Returns its
 * descriptor, or -1 with errno set (path then ""). */
static inline int pf_temp_fd(const char *stem, char *path, size_t pathlen)
{
    const char *dir = getenv("TMPDIR");
    if (!dir || !dir[0])
        dir = "/tmp";
    int n = snprintf(path, pathlen, "%s/pkgfresh-%s-XXXXXX", dir, stem);
    int fd = -1;
    if (n < 0 || (size_t)n >= pathlen)
        errno = ENAMETOOLONG;
    else
        fd = mkstemp(path);
    if (fd < 0 && pathlen)
        path[0] = '\0';
    return fd;
}

#endif
