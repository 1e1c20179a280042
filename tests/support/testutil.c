/*
 * testutil.c — helpers for tests: realdata and fixture paths, temp dirs,
 * running the pkgfresh binary and capturing its output.
 */
#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* Rotating static buffers so a test can hold a few paths at once. */
static char *tu_buf(void)
{
    static char bufs[8][4096];
    static int next;
    char *b = bufs[next];
    next = (next + 1) % 8;
    return b;
}

/* Locate a realdata file, honouring PKGFRESH_SHARED. */
const char *tu_realdata(const char *rel)
{
    const char *shared = getenv("PKGFRESH_SHARED");
    char *b = tu_buf();
    snprintf(b, 4096, "%s/realdata/%s", shared ? shared : "../shared", rel);
    return access(b, R_OK) == 0 ? b : NULL;
}

/* Path of a fixture file under tests/fixtures. */
const char *tu_fixture(const char *rel)
{
    char *b = tu_buf();
    snprintf(b, 4096, "tests/fixtures/%s", rel);
    return b;
}

/* Remove a directory tree (only what tests create: files and directories). */
static void tu_rmtree(const char *path)
{
    char *argv[] = {"rm", "-rf", (char *)path, NULL};
    pid_t pid = fork();
    if (pid == 0) {
        execvp("rm", argv);
        _exit(127);
    }
    if (pid > 0)
        waitpid(pid, NULL, 0);
}

/* Fresh empty directory tests/tmp/<name>.<pid>. */
const char *tu_tmpdir(const char *name)
{
    char *b = tu_buf();
    mkdir("tests/tmp", 0755);
    snprintf(b, 4096, "tests/tmp/%s.%ld", name, (long)getpid());
    tu_rmtree(b);
    if (mkdir(b, 0755) != 0)
        return NULL;
    return b;
}

/* Read a whole file. */
char *tu_slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    size_t r;
    while (buf && (r = fread(buf + n, 1, cap - n - 1, fp)) > 0) {
        n += r;
        if (cap - n - 1 == 0) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    fclose(fp);
    if (!buf)
        return NULL;
    buf[n] = 0;
    if (len)
        *len = n;
    return buf;
}

/* Append what is readable on fd to a growing buffer; returns 0 at EOF. */
static int tu_drain(int fd, char **buf, size_t *len, size_t *cap)
{
    if (*cap - *len < 4096) {
        size_t ncap = *cap ? *cap * 2 : 8192;
        char *nb = realloc(*buf, ncap);
        if (!nb)
            return 0;
        *buf = nb;
        *cap = ncap;
        (*buf)[*len] = 0;
    }
    ssize_t r = read(fd, *buf + *len, *cap - *len - 1);
    if (r <= 0)
        return 0;
    *len += (size_t)r;
    (*buf)[*len] = 0;
    return 1;
}

/* Run fixed + the NULL-terminated arguments of ap (testutil.h): the tests' pkgfresh runners. */
int tu_runv(char *const fixed[], int nfixed, char **out, char **errout, va_list ap)
{
    char *argv[TU_MAX_ARGS + 1];
    int n = 0;
    while (n < nfixed && n < TU_MAX_ARGS) {
        argv[n] = fixed[n];
        n++;
    }
    const char *a;
    while (n < TU_MAX_ARGS && (a = va_arg(ap, const char *)) != NULL)
        argv[n++] = (char *)a;
    argv[n] = NULL;
    return tu_run(argv, out, errout);
}

/* Run argv, capture stdout and stderr, return the exit status (128+sig if killed). */
int tu_run(char *const argv[], char **out, char **errout)
{
    int po[2], pe[2];
    if (pipe(po) != 0 || pipe(pe) != 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        int devnull = open("/dev/null", O_RDONLY);
        dup2(devnull, 0);
        dup2(po[1], 1);
        dup2(pe[1], 2);
        close(po[0]);
        close(pe[0]);
        execv(argv[0], argv);
        _exit(127);
    }
    close(po[1]);
    close(pe[1]);
    char *ob = NULL, *eb = NULL;
    size_t ol = 0, oc = 0, el = 0, ec = 0;
    struct pollfd fds[2] = {{po[0], POLLIN, 0}, {pe[0], POLLIN, 0}};
    int open_fds = 2;
    while (open_fds > 0) {
        if (poll(fds, 2, -1) < 0 && errno != EINTR)
            break;
        for (int i = 0; i < 2; i++) {
            if (fds[i].fd >= 0 && (fds[i].revents & (POLLIN | POLLHUP))) {
                int more = i == 0 ? tu_drain(fds[i].fd, &ob, &ol, &oc)
                                  : tu_drain(fds[i].fd, &eb, &el, &ec);
                if (!more) {
                    close(fds[i].fd);
                    fds[i].fd = -1;
                    open_fds--;
                }
            }
        }
    }
    int st = 0;
    waitpid(pid, &st, 0);
    if (!ob)
        ob = calloc(1, 1);
    if (!eb)
        eb = calloc(1, 1);
    if (out)
        *out = ob;
    else
        free(ob);
    if (errout)
        *errout = eb;
    else
        free(eb);
    if (WIFEXITED(st))
        return WEXITSTATUS(st);
    return 128 + WTERMSIG(st);
}

/* The binary under test. */
const char *tu_pkgfresh(void)
{
    const char *b = getenv("PKGFRESH_BIN");
    return b ? b : "./pkgfresh";
}

/* One text from the database at path (see testutil.h). */
char *tu_sql_text(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    sqlite3_busy_timeout(db, 10000);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    const unsigned char *t = sqlite3_column_text(q, 0);
    char *v = t ? strdup((const char *)t) : NULL;
    sqlite3_finalize(q);
    sqlite3_close(db);
    return v;
}

/* One integer from the database at path (see testutil.h). */
long long tu_sql_int(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    sqlite3_busy_timeout(db, 10000);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    long long v = sqlite3_column_type(q, 0) == SQLITE_NULL ? -1 : sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    sqlite3_close(db);
    return v;
}

/* See testutil.h. */
uint64_t tu_rand(uint64_t *seed)
{
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    return *seed;
}

/* One mutation of text (see testutil.h). */
size_t tu_mutate(const char *text, size_t len, char *m, uint64_t *seed, const char *const *ins,
                 size_t ni)
{
    memcpy(m, text, len);
    size_t ml = len;
    int edits = 1 + (int)(*seed % 3);
    for (int e = 0; e < edits && ml > 0; e++) {
        *seed ^= *seed >> 12, *seed ^= *seed << 25, *seed ^= *seed >> 27;
        uint64_t r = *seed * 2685821657736338717ull;
        size_t at = (size_t)(r >> 20) % ml;
        switch (r % 5) {
        case 0: /* flip a byte */
            m[at] = (char)(m[at] ^ (1u << ((r >> 8) % 8)));
            break;
        case 4: /* a NUL byte (jansson swallows one after a number or literal) */
            m[at] = 0;
            break;
        case 1: /* delete a byte */
            memmove(m + at, m + at + 1, ml - at - 1);
            ml--;
            break;
        default: { /* insert a token */
            const char *in = ins[(r >> 40) % ni];
            size_t il = strlen(in);
            if (ml + il > len + 60)
                break;
            memmove(m + at + il, m + at, ml - at);
            memcpy(m + at, in, il);
            ml += il;
            break;
        }
        }
    }
    return ml;
}
