/*
 * tree.c — the output folder, written safely and incrementally.
 *
 * The new site is built in "<out>.new.<pid>". A file whose bytes equal the
 * current site's file of the same path is hard-linked from it (same inode,
 * same mtime: rsync and CI deploys skip it) instead of being written. At the
 * end the staging folder and the current site swap places in one
 * renameat2(RENAME_EXCHANGE) (two renames where the file system cannot), and
 * the previous site is removed. A folder that pkgfresh did not write (no
 * ".pkgfresh-site" marker, not empty) is never replaced.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

#define MARKER ".pkgfresh-site"

/* Remove a folder tree (no symlinks followed); 0 or -1. */
static int rm_tree(int parent, const char *name)
{
    int fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? 0 : unlinkat(parent, name, 0);
    DIR *d = fdopendir(fd);
    if (!d) {
        close(fd);
        return -1;
    }
    int rc = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (e->d_type == DT_DIR) {
            if (rm_tree(fd, e->d_name) != 0)
                rc = -1;
        } else if (unlinkat(fd, e->d_name, 0) != 0) {
            if (errno == EISDIR ? rm_tree(fd, e->d_name) != 0 : 1)
                rc = -1;
        }
    }
    closedir(d);
    if (unlinkat(parent, name, AT_REMOVEDIR) != 0 && errno != ENOENT)
        rc = -1;
    return rc;
}

/* Whether dir is missing, empty, or holds the marker (0), or must not be
 * touched (-1). */
static int replaceable(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return errno == ENOENT ? 0 : -1;
    int entries = 0, marker = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        entries++;
        if (strcmp(e->d_name, MARKER) == 0)
            marker = 1;
    }
    closedir(d);
    return entries == 0 || marker ? 0 : -1;
}

/* Check the output folder, create the staging one. */
int tree_open(site_tree *t, const char *out)
{
    memset(t, 0, sizeof *t);
    size_t n = strlen(out);
    while (n > 1 && out[n - 1] == '/')
        n--;
    t->out = strndup(out, n);
    t->stage = malloc(n + 40);
    if (!t->out || !t->stage) {
        snprintf(t->err, sizeof t->err, "out of memory");
        return -1;
    }
    snprintf(t->stage, n + 40, "%s.new.%ld", t->out, (long)getpid());
    if (replaceable(t->out) != 0) {
        snprintf(t->err, sizeof t->err,
                 "%s: exists and was not written by pkgfresh (no " MARKER " in it); "
                 "refusing to replace it",
                 t->out);
        return -1;
    }
    rm_tree(AT_FDCWD, t->stage);
    if (mkdir(t->stage, 0755) != 0) {
        snprintf(t->err, sizeof t->err, "%s: %s", t->stage, strerror(errno));
        return -1;
    }
    return 0;
}

/* Create the parent folders of rel inside the staging folder (the last
 * folder made is remembered: pages come folder by folder). */
static int make_parents(site_tree *t, const char *rel)
{
    const char *slash = strrchr(rel, '/');
    size_t dl = slash ? (size_t)(slash - rel) : 0;
    if (dl == 0 ||
        (dl < sizeof t->lastdir && strncmp(t->lastdir, rel, dl) == 0 && t->lastdir[dl] == 0))
        return 0;
    char path[4096];
    int n = snprintf(path, sizeof path, "%s/%s", t->stage, rel);
    if (n < 0 || (size_t)n >= sizeof path)
        return -1;
    for (char *p = path + strlen(t->stage) + 1; (p = strchr(p, '/')); p++) {
        *p = 0;
        int rc = mkdir(path, 0755);
        *p = '/';
        if (rc != 0 && errno != EEXIST)
            return -1;
    }
    if (dl < sizeof t->lastdir)
        snprintf(t->lastdir, sizeof t->lastdir, "%.*s", (int)dl, rel);
    return 0;
}

/* Whether the file at path has exactly these bytes. */
static int same_content(const char *path, const void *data, size_t len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return 0;
    struct stat sb;
    int same = fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && (size_t)sb.st_size == len;
    const char *p = data;
    char buf[65536];
    size_t off = 0;
    while (same && off < len) {
        ssize_t r = read(fd, buf, sizeof buf);
        if (r <= 0 || off + (size_t)r > len || memcmp(buf, p + off, (size_t)r) != 0)
            same = 0;
        else
            off += (size_t)r;
    }
    close(fd);
    return same;
}

/* Write len bytes to a new file. */
static int write_new(const char *path, const void *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        return -1;
    const char *p = data;
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            close(fd);
            return -1;
        }
        p += w;
        len -= (size_t)w;
    }
    return close(fd);
}

/* Carry over or write one file. */
int tree_put(site_tree *t, const char *rel, const void *data, size_t len)
{
    char old[4096], neu[4096];
    if (snprintf(old, sizeof old, "%s/%s", t->out, rel) >= (int)sizeof old ||
        snprintf(neu, sizeof neu, "%s/%s", t->stage, rel) >= (int)sizeof neu ||
        make_parents(t, rel) != 0) {
        snprintf(t->err, sizeof t->err, "%s/%s: %s", t->stage, rel,
                 errno ? strerror(errno) : "path too long");
        return -1;
    }
    if (same_content(old, data, len) && link(old, neu) == 0) {
        t->unchanged++;
    } else if (write_new(neu, data, len) == 0) {
        t->written++;
    } else {
        snprintf(t->err, sizeof t->err, "%s: %s", neu, strerror(errno));
        return -1;
    }
    t->files++;
    t->bytes += len;
    size_t rl = strlen(rel);
    if (rl > 5 && strcmp(rel + rl - 5, ".html") == 0 && len > t->largest_page) {
        t->largest_page = len;
        snprintf(t->largest_name, sizeof t->largest_name, "%s", rel);
    }
    return 0;
}

/* Read a scratch file into memory, put it, remove it. */
int tree_put_path(site_tree *t, const char *rel, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(t->err, sizeof t->err, "%s: %s", path, strerror(errno));
        return -1;
    }
    hbuf b = {0};
    char buf[65536];
    size_t r;
    while ((r = fread(buf, 1, sizeof buf, f)) > 0)
        h_rawn(&b, buf, r);
    int bad = ferror(f) || b.oom;
    fclose(f);
    unlink(path);
    int rc = -1;
    if (bad)
        snprintf(t->err, sizeof t->err, "%s: cannot read", path);
    else
        rc = tree_put(t, rel, b.p ? b.p : "", b.len);
    h_free(&b);
    return rc;
}

/* "<stage>/.scratch-<name>" (removed by tree_put_path). */
void tree_scratch(const site_tree *t, const char *name, char *out, size_t outlen)
{
    snprintf(out, outlen, "%s/.scratch-%s", t->stage, name);
}

/* Swap in the new site, drop the previous one. */
int tree_commit(site_tree *t)
{
    site_tree counts = *t; /* the marker is not counted as a file of the site */
    if (tree_put(t, MARKER, "pkgfresh site\n", 14) != 0)
        return -1;
    t->files = counts.files;
    t->written = counts.written;
    t->unchanged = counts.unchanged;
    t->bytes = counts.bytes;
    struct stat sb;
    if (lstat(t->out, &sb) != 0) {
        if (rename(t->stage, t->out) != 0)
            goto fail;
        return 0;
    }
    if (renameat2(AT_FDCWD, t->stage, AT_FDCWD, t->out, RENAME_EXCHANGE) != 0) {
        if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
            goto fail;
        /* no atomic exchange here: move the old site aside, then the new in */
        char aside[4200];
        snprintf(aside, sizeof aside, "%s.old.%ld", t->out, (long)getpid());
        if (rename(t->out, aside) != 0)
            goto fail;
        if (rename(t->stage, t->out) != 0) {
            rename(aside, t->out);
            goto fail;
        }
        rm_tree(AT_FDCWD, aside);
        return 0;
    }
    rm_tree(AT_FDCWD, t->stage); /* now the previous site */
    return 0;
fail:
    snprintf(t->err, sizeof t->err, "%s: cannot move the new site into place: %s", t->out,
             strerror(errno));
    return -1;
}

/* Drop whatever is left in the staging folder and free t's strings. */
void tree_free(site_tree *t)
{
    if (!t)
        return;
    if (t->stage)
        rm_tree(AT_FDCWD, t->stage);
    free(t->out);
    free(t->stage);
    t->out = t->stage = NULL;
}
