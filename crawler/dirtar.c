/*
 * dirtar.c — pack a directory tree into a tar with libarchive (dirtar.h).
 */
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pkgfresh/dirtar.h"

#define DT_MAX_DEPTH 64

/* Writer state: the archive, a reusable entry and the first error. */
typedef struct dt_ctx {
    struct archive *a;
    struct archive_entry *e;
    char err[300];
} dt_ctx;

/* qsort comparator: names in byte order. */
static int dt_cmp(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* Append the regular file at path as member `name`. 0 ok, -1 (c->err set). */
static int dt_file(dt_ctx *c, const char *path, const char *name, const struct stat *sb)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW);
    if (fd < 0) {
        snprintf(c->err, sizeof c->err, "%s: %s", path, strerror(errno));
        return -1;
    }
    archive_entry_clear(c->e);
    archive_entry_set_pathname(c->e, name);
    archive_entry_set_filetype(c->e, AE_IFREG);
    archive_entry_set_perm(c->e, 0644);
    archive_entry_set_size(c->e, sb->st_size);
    archive_entry_set_mtime(c->e, sb->st_mtime, 0);
    int rc = archive_write_header(c->a, c->e) == ARCHIVE_OK ? 0 : -1;
    char buf[65536];
    la_int64_t left = sb->st_size;
    while (rc == 0 && left > 0) {
        ssize_t n = read(fd, buf, sizeof buf < (size_t)left ? sizeof buf : (size_t)left);
        if (n <= 0) {
            snprintf(c->err, sizeof c->err, "%s: %s", path, n < 0 ? strerror(errno) : "shrank");
            rc = -1;
            break;
        }
        if (archive_write_data(c->a, buf, (size_t)n) != n)
            rc = -1;
        left -= n;
    }
    if (rc != 0 && !c->err[0])
        snprintf(c->err, sizeof c->err, "%s", archive_error_string(c->a));
    close(fd);
    return rc;
}

/* Walk dir (member prefix `name`) recursively in name order. 0 ok, -1 (c->err set). */
static int dt_walk(dt_ctx *c, const char *dir, const char *name, int depth)
{
    if (depth > DT_MAX_DEPTH) {
        snprintf(c->err, sizeof c->err, "%s: directories nested too deep", dir);
        return -1;
    }
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(c->err, sizeof c->err, "%s: %s", dir, strerror(errno));
        return -1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    struct dirent *de;
    while (rc == 0 && (de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 64;
            char **nn = realloc(names, ncap * sizeof *nn);
            if (!nn) {
                rc = -1;
                break;
            }
            names = nn;
            cap = ncap;
        }
        if (!(names[n] = strdup(de->d_name)))
            rc = -1;
        else
            n++;
    }
    closedir(d);
    if (rc != 0)
        snprintf(c->err, sizeof c->err, "out of memory");
    if (n)
        qsort(names, n, sizeof *names, dt_cmp);
    for (size_t i = 0; i < n && rc == 0; i++) {
        size_t pl = strlen(dir) + strlen(names[i]) + 2, ml = strlen(name) + strlen(names[i]) + 2;
        char *path = malloc(pl), *member = malloc(ml);
        struct stat sb;
        if (!path || !member) {
            snprintf(c->err, sizeof c->err, "out of memory");
            rc = -1;
        } else {
            snprintf(path, pl, "%s/%s", dir, names[i]);
            snprintf(member, ml, "%s/%s", name, names[i]);
            if (lstat(path, &sb) != 0) {
                snprintf(c->err, sizeof c->err, "%s: %s", path, strerror(errno));
                rc = -1;
            } else if (S_ISDIR(sb.st_mode)) {
                rc = dt_walk(c, path, member, depth + 1);
            } else if (S_ISREG(sb.st_mode)) {
                rc = dt_file(c, path, member, &sb);
            }
        }
        free(path);
        free(member);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

/* Pack dir into out (see dirtar.h). */
int pf_dirtar(const char *dir, FILE *out, char *err, size_t errlen)
{
    dt_ctx c = {0};
    c.a = archive_write_new();
    c.e = archive_entry_new();
    int rc = -1;
    if (!c.a || !c.e || archive_write_set_format_pax_restricted(c.a) != ARCHIVE_OK ||
        archive_write_open_FILE(c.a, out) != ARCHIVE_OK) {
        snprintf(err, errlen, "cannot start a tar: %s",
                 c.a && archive_error_string(c.a) ? archive_error_string(c.a) : "out of memory");
    } else {
        /* The top directory's own name prefixes every member. */
        size_t dl = strlen(dir);
        while (dl > 1 && dir[dl - 1] == '/')
            dl--;
        const char *base = dir + dl;
        while (base > dir && base[-1] != '/')
            base--;
        char top[256];
        snprintf(top, sizeof top, "%.*s", (int)(dir + dl - base), base);
        if (!top[0] || strcmp(top, ".") == 0 || strcmp(top, "..") == 0)
            snprintf(top, sizeof top, "tree");
        rc = dt_walk(&c, dir, top, 0);
        if (archive_write_close(c.a) != ARCHIVE_OK && rc == 0) {
            snprintf(c.err, sizeof c.err, "%s", archive_error_string(c.a));
            rc = -1;
        }
        if (rc != 0)
            snprintf(err, errlen, "%s", c.err[0] ? c.err : "cannot write the tar");
    }
    if (c.a)
        archive_write_free(c.a);
    if (c.e)
        archive_entry_free(c.e);
    return rc;
}
