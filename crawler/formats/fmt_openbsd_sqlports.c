/*
 * fmt_openbsd_sqlports.c — OpenBSD ports from the sqlports SQLite database.
 *
 * The index is a raw SQLite 3 database (Repology reads
 * https://ftp.fr.openbsd.org/pub/sqlports); the official sqlports-<v>.tgz
 * package (a gzip'd tar with the database at share/sqlports) is accepted
 * too. SQLite needs a file: the decoded bytes are copied to a private
 * temporary file (mkstemp in $TMPDIR, removed before returning; the
 * reader's decoded-size limit bounds it), opened read-only and immutable.
 *
 * The database is never trusted:
 *   - opened with SQLITE_OPEN_READONLY and the "immutable" URI parameter,
 *     defensive mode on, trusted_schema off (functions with side effects
 *     cannot run from a view), and an authorizer that allows only reads,
 *     SELECTs and pure functions (no ATTACH, no PRAGMA);
 *   - a progress handler caps the work of the query (a view the file
 *     defines could loop: a recursive CTE), so a hostile file fails instead
 *     of hanging;
 *   - the schema is checked first: the tables and views of Repology's query
 *     must exist with the columns it reads, else the crawl fails with one
 *     line naming what is missing (a schema change must never look like an
 *     empty repository).
 *
 * Query and mapping (Repology's OpenBSDsqlportsParser; docs/formats.md): for
 * every _Ports row joined with each _Paths row whose Canonical is the port,
 * its Categories_ordered and the maintainer's _Email (ports flagged in
 * _Broken, when that table exists, are skipped and counted):
 *   srcname     the path part of FullPkgPath, before the first ','
 *               ("x11/gtk+3,-main" -> "x11/gtk+3")
 *   binnames    the stem of FULLPKGNAME (packages-specs(7): the components
 *               before the first '-' followed by a digit, flavour suffixes
 *               after the version dropped: "py3-setuptools"). When trailing
 *               stem words are flavours of the path (",-docs" and a stem
 *               "gtk+3-docs"), Repology seeds the project from the stripped
 *               stem: it is then put first ("gtk+3 gtk+3-docs"), as the
 *               analyzer seeds OpenBSD projects from the first binary name
 *   version     the version component, raw ("3.24.43p1", "1.2v0");
 *               PF_VS_OPENBSD strips the trailing "vN" then "pN"
 *   summary     COMMENT; homepage HOMEPAGE, else https://github.com/A/P from
 *               GH_ACCOUNT/GH_PROJECT; maintainers the addresses in the
 *               maintainer text, lower-cased (Repology's extract_maintainers); category the first
 * word of the ordered categories A row whose FULLPKGNAME holds no version component is skipped and
 * counted.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "pkgfresh/archive.h"
#include "pkgfresh/format.h"
#include "pkgfresh/grow.h"
#include "pkgfresh/maintainers.h"
#include "pkgfresh/tempfile.h"

/* Query work cap: progress-handler calls (each OBSD_PROGRESS_OPS VM steps) per input byte. */
#define OBSD_PROGRESS_OPS 10000
#define OBSD_OPS_PER_BYTE 20
#define OBSD_OPS_BASE     ((long long)20000000)

/* Columns the query reads, per table or view: a missing one is a schema change. */
static const struct {
    const char *table;
    const char *columns[8];
} obsd_schema[] = {
    {"_Ports",
     {"FullPkgPath", "COMMENT", "FULLPKGNAME", "HOMEPAGE", "MAINTAINER", "GH_ACCOUNT", "GH_PROJECT",
      NULL}},
    {"_Paths", {"FullPkgPath", "Canonical", NULL}},
    {"Categories_ordered", {"FullPkgPath", "Value", NULL}},
    {"_Email", {"KeyRef", "Value", NULL}},
};

static const char obsd_query[] =
    "SELECT _Paths.FullPkgPath, Categories_ordered.Value, _Ports.COMMENT, _Ports.FULLPKGNAME,"
    " _Ports.HOMEPAGE, _Email.Value, _Ports.GH_ACCOUNT, _Ports.GH_PROJECT%s"
    " FROM _Ports"
    " JOIN _Paths ON _Paths.Canonical = _Ports.FullPkgPath"
    " JOIN Categories_ordered ON Categories_ordered.FullPkgPath = _Ports.FullPkgPath"
    " JOIN _Email ON _Email.KeyRef = _Ports.MAINTAINER%s";

/* Parser state. */
typedef struct obsd {
    sqlite3 *db;
    long long budget; /* progress-handler calls left */
    char *buf;        /* record strings, reused per row */
    size_t cap;
    char *mnt; /* maintainer list of the row (pf_maint_extract), reused */
    size_t mntlen, mntcap;
    int oom;
} obsd;

/* Progress handler: a non-zero return interrupts the statement. */
static int obsd_progress(void *arg)
{
    obsd *o = arg;
    return --o->budget < 0;
}

/* Authorizer: reads, SELECTs, pure functions and the transaction of a read only. */
static int obsd_authorize(void *arg, int action, const char *a, const char *b, const char *c,
                          const char *d)
{
    (void)arg, (void)a, (void)b, (void)c, (void)d;
    switch (action) {
    case SQLITE_SELECT:
    case SQLITE_READ:
    case SQLITE_FUNCTION:
    case SQLITE_RECURSIVE:
        return SQLITE_OK;
    case SQLITE_PRAGMA: /* table_info / table_xinfo for the schema check only */
        return a && (strcmp(a, "table_info") == 0 || strcmp(a, "table_xinfo") == 0) ? SQLITE_OK
                                                                                    : SQLITE_DENY;
    default:
        return SQLITE_DENY;
    }
}

/* Copy the rest of `in` into fd. 0 ok, -1 with a message in err. */
static int obsd_copy(pf_reader *in, int fd, char *err, size_t errlen)
{
    char chunk[65536];
    for (;;) {
        ssize_t n = in->read(in, chunk, sizeof chunk);
        if (n < 0) {
            snprintf(err, errlen, "openbsd-sqlports: %s", in->err[0] ? in->err : "read error");
            return -1;
        }
        if (n == 0)
            return 0;
        for (ssize_t off = 0; off < n;) {
            ssize_t w = write(fd, chunk + off, (size_t)(n - off));
            if (w < 0) {
                if (errno == EINTR)
                    continue;
                snprintf(err, errlen, "openbsd-sqlports: cannot write a temporary file: %s",
                         strerror(errno));
                return -1;
            }
            off += w;
        }
    }
}

/* A private temporary file "$TMPDIR/pkgfresh-sqlports-XXXXXX" (name in path). fd or -1 (err set).
 */
static int obsd_mktemp(char *path, size_t pathlen, char *err, size_t errlen)
{
    int fd = pf_temp_fd("sqlports", path, pathlen);
    if (fd < 0) {
        const char *dir = getenv("TMPDIR");
        snprintf(err, errlen, "openbsd-sqlports: cannot create a temporary file in %s: %s",
                 dir && dir[0] ? dir : "/tmp", strerror(errno));
    }
    return fd;
}

/* Does the file at fd start with SQLite's header? */
static int obsd_is_sqlite(int fd)
{
    static const char magic[16] = "SQLite format 3";
    char head[16];
    return pread(fd, head, sizeof head, 0) == (ssize_t)sizeof head &&
           memcmp(head, magic, sizeof magic) == 0;
}

/*
 * The input is not a database: find the share/sqlports member of the tar
 * (sqlports-<v>.tgz) spooled at raw and copy it to a new temporary file
 * (name in db). 0 ok, -1 with a message in err.
 */
static int obsd_unpack(const char *raw, uint64_t limit, char *db, size_t dblen, char *err,
                       size_t errlen)
{
    char why[256] = "";
    pf_reader *rd = pf_reader_open_path(raw, limit, why, sizeof why);
    pf_archive *ar = rd ? pf_archive_open(rd, why, sizeof why) : NULL;
    int found = 0;
    if (ar) {
        const char *name;
        int got;
        while (!found && (got = pf_archive_next(ar, &name, NULL)) == 1) {
            size_t n = strlen(name);
            found = n >= 14 && strcmp(name + n - 14, "share/sqlports") == 0 &&
                    (n == 14 || name[n - 15] == '/');
        }
        if (!found && got < 0)
            snprintf(why, sizeof why, "%s", pf_archive_error(ar));
    }
    int rc = -1;
    if (!found) {
        snprintf(err, errlen,
                 "openbsd-sqlports: neither an SQLite database nor a tar with share/sqlports%s%s",
                 why[0] ? ": " : "", why);
    } else {
        int fd = obsd_mktemp(db, dblen, err, errlen);
        if (fd >= 0) {
            rc = obsd_copy(pf_archive_member(ar), fd, err, errlen);
            if (rc == 0 && !obsd_is_sqlite(fd)) {
                snprintf(err, errlen, "openbsd-sqlports: share/sqlports is not an SQLite database");
                rc = -1;
            }
            close(fd);
        }
    }
    pf_archive_close(ar);
    pf_reader_close(rd);
    return rc;
}

/* Does table `t` exist (as table or view) with every column in cols? Else a message in why. */
static int obsd_has_columns(sqlite3 *db, const char *t, const char *const *cols, char *why,
                            size_t whylen)
{
    char sql[128];
    snprintf(sql, sizeof sql, "PRAGMA table_info(\"%s\")", t);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        snprintf(why, whylen, "cannot inspect %s: %s", t, sqlite3_errmsg(db));
        return 0;
    }
    unsigned found = 0;
    int rows = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        rows++;
        const char *name = (const char *)sqlite3_column_text(st, 1);
        for (int i = 0; name && cols[i]; i++)
            if (strcasecmp(name, cols[i]) == 0)
                found |= 1u << i;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        snprintf(why, whylen, "cannot inspect %s: %s", t, sqlite3_errmsg(db));
        return 0;
    }
    if (rows == 0) {
        snprintf(why, whylen, "no table or view %s", t);
        return 0;
    }
    for (int i = 0; cols[i]; i++)
        if (!(found & (1u << i))) {
            snprintf(why, whylen, "%s has no column %s", t, cols[i]);
            return 0;
        }
    return 1;
}

/* Append s[0..n) as a C string to o->buf at *len: its offset, or (size_t)-1 with o->oom set. */
static size_t obsd_put(obsd *o, size_t *len, const char *s, size_t n)
{
    if (pf_grow(&o->buf, &o->cap, *len, n + 1) != 0) {
        o->oom = 1;
        return (size_t)-1;
    }
    size_t at = *len;
    memcpy(o->buf + at, s, n);
    o->buf[at + n] = 0;
    *len += n + 1;
    return at;
}

/*
 * Split FULLPKGNAME into stem and version (packages-specs(7)): the first
 * '-'-separated component after the first that starts with a digit is the
 * version. Returns 0 with [*stem_n] and [*ver, *ver_n], -1 when none.
 */
static int obsd_split_name(const char *s, size_t *stem_n, const char **ver, size_t *ver_n)
{
    const char *p = strchr(s, '-');
    while (p) {
        if (p[1] >= '0' && p[1] <= '9') {
            *stem_n = (size_t)(p - s);
            *ver = p + 1;
            *ver_n = strcspn(p + 1, "-");
            return 0;
        }
        p = strchr(p + 1, '-');
    }
    return -1;
}

/* Is word w (n bytes) one of the "-flavour" parts of the flavour list fl (",a,-b,...")? */
static int obsd_is_flavour(const char *fl, const char *w, size_t n)
{
    while (fl && *fl) {
        const char *e = strchr(fl, ',');
        size_t len = e ? (size_t)(e - fl) : strlen(fl);
        if (len > 0 && fl[0] == '-') {
            const char *f = fl, *fe = fl + len;
            while (f < fe && *f == '-') /* lstrip('-') */
                f++;
            if ((size_t)(fe - f) == n && memcmp(f, w, n) == 0)
                return 1;
        }
        fl = e ? e + 1 : NULL;
    }
    return 0;
}

/* Length of the stem with trailing words that are path flavours removed (at least one word). */
static size_t obsd_strip_stem(const char *stem, size_t n, const char *flavours)
{
    for (;;) {
        const char *dash = memrchr(stem, '-', n);
        if (!dash || !obsd_is_flavour(flavours, dash + 1, (size_t)(stem + n - dash - 1)))
            return n;
        n = (size_t)(dash - stem);
    }
}

/* Column i of the current row as text, NULL when NULL or empty. */
static const char *obsd_col(sqlite3_stmt *st, int i)
{
    const char *v = (const char *)sqlite3_column_text(st, i);
    return v && v[0] ? v : NULL;
}

/* Map the current row and emit it. 0 or the emit value to stop; o->oom when out of memory. */
static int obsd_row(obsd *o, sqlite3_stmt *st, int has_broken, pf_emit_fn emit, void *ctx,
                    pf_parse_stats *stats)
{
    const char *path = obsd_col(st, 0), *fullname = obsd_col(st, 3);
    if (has_broken && sqlite3_column_type(st, 8) != SQLITE_NULL) {
        stats->skipped++;
        return 0;
    }
    size_t stem_n, ver_n;
    const char *ver;
    if (!path || !fullname || obsd_split_name(fullname, &stem_n, &ver, &ver_n) != 0 || ver_n == 0 ||
        stem_n == 0) {
        stats->skipped++;
        return 0;
    }
    const char *comma = strchr(path, ',');
    size_t path_n = comma ? (size_t)(comma - path) : strlen(path);
    size_t strip_n = obsd_strip_stem(fullname, stem_n, comma);

    size_t len = 0, o_home = (size_t)-1, o_cat = (size_t)-1, o_mnt = (size_t)-1;
    o->oom = 0;
    size_t o_src = obsd_put(o, &len, path, path_n);
    /* binnames: the stem, after the stripped stem when that differs ("gtk+3 gtk+3-docs") */
    size_t o_bin = obsd_put(o, &len, fullname, strip_n < stem_n ? strip_n : stem_n);
    if (strip_n < stem_n && !o->oom) {
        o->buf[o_bin + strip_n] = ' '; /* the NUL becomes the separator */
        obsd_put(o, &len, fullname, stem_n);
    }
    size_t o_ver = obsd_put(o, &len, ver, ver_n);
    const char *home = obsd_col(st, 4), *gha = obsd_col(st, 6), *ghp = obsd_col(st, 7);
    if (home) {
        o_home = obsd_put(o, &len, home, strlen(home));
    } else if (gha && ghp) {
        char gh[512];
        int n = snprintf(gh, sizeof gh, "https://github.com/%s/%s", gha, ghp);
        if (n > 0 && (size_t)n < sizeof gh)
            o_home = obsd_put(o, &len, gh, (size_t)n);
    }
    const char *cats = obsd_col(st, 1);
    if (cats) {
        while (*cats == ' ')
            cats++;
        size_t cn = strcspn(cats, " \t");
        if (cn)
            o_cat = obsd_put(o, &len, cats, cn);
    }
    const char *m = obsd_col(st, 5);
    if (m) { /* Repology: extract_maintainers(maintainer) */
        o->mntlen = 0;
        if (pf_maint_extract(m, strlen(m), &o->mnt, &o->mntlen, &o->mntcap) < 0)
            o->oom = 1;
        else if (o->mntlen)
            o_mnt = obsd_put(o, &len, o->mnt, o->mntlen);
    }
    if (o->oom)
        return 0; /* obsd_run reports it */
#define OBSD_AT(x) ((x) == (size_t)-1 ? NULL : o->buf + (x))
    pf_record rec = {
        .srcname = OBSD_AT(o_src),
        .binnames = OBSD_AT(o_bin),
        .version = OBSD_AT(o_ver),
        .maintainers = OBSD_AT(o_mnt),
        .homepage = OBSD_AT(o_home),
        .category = OBSD_AT(o_cat),
        .summary = obsd_col(st, 2),
    };
#undef OBSD_AT
    int rc = emit(ctx, &rec);
    if (rc == 0)
        stats->records++;
    return rc;
}

/* Check the schema, run the query and emit every row. 0, -1 (err set) or the emit value. */
static int obsd_run(obsd *o, off_t size, pf_emit_fn emit, void *ctx, pf_parse_stats *stats,
                    char *err, size_t errlen)
{
    char why[256];
    for (size_t i = 0; i < sizeof obsd_schema / sizeof obsd_schema[0]; i++)
        if (!obsd_has_columns(o->db, obsd_schema[i].table, obsd_schema[i].columns, why,
                              sizeof why)) {
            snprintf(err, errlen, "openbsd-sqlports: unexpected database schema: %s", why);
            return -1;
        }
    static const char *const broken_cols[] = {"FullPkgPath", NULL};
    int has_broken = obsd_has_columns(o->db, "_Broken", broken_cols, why, sizeof why);
    char sql[1024];
    snprintf(sql, sizeof sql, obsd_query, has_broken ? ", _Broken.Value" : "",
             has_broken ? " LEFT JOIN _Broken ON _Broken.FullPkgPath = _Ports.FullPkgPath" : "");
    o->budget = (OBSD_OPS_BASE + (long long)size * OBSD_OPS_PER_BYTE) / OBSD_PROGRESS_OPS;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(o->db, sql, -1, &st, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "openbsd-sqlports: unexpected database schema: %s",
                 sqlite3_errmsg(o->db));
        return -1;
    }
    int rc = 0, step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        rc = obsd_row(o, st, has_broken, emit, ctx, stats);
        if (o->oom) {
            snprintf(err, errlen, "openbsd-sqlports: out of memory");
            rc = -1;
        }
        if (rc != 0)
            break;
    }
    if (rc == 0 && step != SQLITE_DONE) {
        if (step == SQLITE_INTERRUPT || o->budget < 0)
            snprintf(err, errlen,
                     "openbsd-sqlports: query needs too much work for the file size "
                     "(a looping view?)");
        else
            snprintf(err, errlen, "openbsd-sqlports: %s", sqlite3_errmsg(o->db));
        rc = -1;
    }
    sqlite3_finalize(st);
    if (rc == 0 && stats->records == 0 && stats->skipped == 0) {
        snprintf(err, errlen, "openbsd-sqlports: the query found no ports");
        rc = -1;
    }
    return rc;
}

/* Open the spooled database read-only, immutable, defensive. 0 ok, -1 with err set. */
static int obsd_open(obsd *o, const char *path, char *err, size_t errlen)
{
    char uri[4200];
    snprintf(uri, sizeof uri, "file:%s?immutable=1", path);
    int rc = sqlite3_open_v2(uri, &o->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "openbsd-sqlports: cannot open the database: %s",
                 o->db ? sqlite3_errmsg(o->db) : sqlite3_errstr(rc));
        return -1;
    }
    sqlite3_db_config(o->db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);
    sqlite3_db_config(o->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, (int *)NULL);
    sqlite3_db_config(o->db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, (int *)NULL);
    sqlite3_limit(o->db, SQLITE_LIMIT_ATTACHED, 0);
    sqlite3_limit(o->db, SQLITE_LIMIT_LENGTH, 1 << 20);
    sqlite3_set_authorizer(o->db, obsd_authorize, NULL);
    sqlite3_progress_handler(o->db, OBSD_PROGRESS_OPS, obsd_progress, o);
    return 0;
}

/* Make err one line: SQLite's messages may quote the file's schema text (newlines, tabs). */
static void obsd_oneline(char *err)
{
    for (; *err; err++)
        if ((unsigned char)*err < 0x20 || *err == 0x7f)
            *err = ' ';
}

/* Parse a whole sqlports database (see file comment), filling *stats. */
int pf_parse_openbsd_sqlports(pf_reader *in, const char *variant, pf_emit_fn emit, void *ctx,
                              pf_parse_stats *stats, char *err, size_t errlen)
{
    (void)variant;
    stats->records = stats->skipped = 0;
    err[0] = 0;
    char raw[4096], db[4096] = "";
    int fd = obsd_mktemp(raw, sizeof raw, err, errlen);
    if (fd < 0)
        return -1;
    obsd o = {0};
    int rc = obsd_copy(in, fd, err, errlen);
    int plain = rc == 0 && obsd_is_sqlite(fd);
    close(fd);
    if (rc == 0 && !plain)
        rc = obsd_unpack(raw, in->limit, db, sizeof db, err, errlen);
    const char *path = plain ? raw : db;
    struct stat sb;
    off_t size = rc == 0 && stat(path, &sb) == 0 ? sb.st_size : 0;
    if (rc == 0)
        rc = obsd_open(&o, path, err, errlen);
    if (rc == 0)
        rc = obsd_run(&o, size, emit, ctx, stats, err, errlen);
    sqlite3_close(o.db);
    unlink(raw);
    if (db[0])
        unlink(db);
    free(o.buf);
    free(o.mnt);
    if (rc == -1)
        obsd_oneline(err);
    return rc;
}
