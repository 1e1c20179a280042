/*
 * fmt_apkindex.c — Alpine Linux APKINDEX.tar.gz parser.
 *
 * APKINDEX.tar.gz is two concatenated gzip members forming one tar stream:
 * a signature member (".SIGN.RSA.<key>.rsa.pub", skipped), then
 * "DESCRIPTION" (skipped) and "APKINDEX". The APKINDEX member is text:
 * one record per binary package, blank-line-separated, each line "X:value"
 * with a one-letter key. Fields used (repology-model.md §3): P -> binname,
 * o (origin) -> srcname (fallback P), V raw version (PF_VS_ALPINE strips
 * -rN later), T summary, U homepage, L license, m maintainer (e-mail only,
 * lower-cased).
 *
 * Subpackages (musl, musl-dev, musl-dbg, ...) share one origin and are not
 * adjacent (APKINDEX is sorted by package name), so records are collected
 * in a pf_srcgroup — one per origin, binary names merged, the package named
 * like its origin supplying the descriptive fields — and emitted at the end.
 *
 * Streaming: the member is read line by line through pf_lines; only the
 * kept fields of the current record are copied, into one reused buffer.
 * A record without P or V is skipped and counted. Only the first APKINDEX
 * member is parsed; an archive without one is an error.
 *
 * Variant "text" (format apkindex-text): Chimera Linux serves the APKINDEX
 * records themselves as a plain text file (no tar; a compressed one is
 * decoded by the reader as usual). Same record syntax, same mapping. Text
 * with blocks but no usable record at all (a binary index, an HTML page) is
 * an error rather than an empty repository.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkgfresh/archive.h"
#include "pkgfresh/format.h"
#include "pkgfresh/grow.h"

#define APK_MAX_LINE ((size_t)16 << 20)

enum apk_field { F_P, F_O, F_V, F_T, F_U, F_L, F_M, F_COUNT, F_NONE = -1 };

/*
 * One record being read. Invariant: field i, when has[i], is the
 * NUL-terminated string buf + off[i]; len counts the used bytes of buf.
 */
typedef struct apk_state {
    char *buf;
    size_t len, cap;
    size_t off[F_COUNT];
    int has[F_COUNT];
    int in_record;
} apk_state;

/* Which kept field a key letter names. */
static int apk_field_of(char k)
{
    switch (k) {
    case 'P':
        return F_P;
    case 'o':
        return F_O;
    case 'V':
        return F_V;
    case 'T':
        return F_T;
    case 'U':
        return F_U;
    case 'L':
        return F_L;
    case 'm':
        return F_M;
    default:
        return F_NONE;
    }
}

/* Make room for `extra` more bytes. 0 ok, -1 out of memory. */
static int apk_reserve(apk_state *st, size_t extra)
{
    return pf_grow(&st->buf, &st->cap, st->len, extra);
}

/* Store field f (a repeated key replaces the earlier value). 0 ok, -1 out of memory. */
static int apk_set(apk_state *st, int f, const char *v, size_t n)
{
    if (f == F_M) {
        /* Keep only the address: "Name <Addr@Example.org>" -> "addr@example.org". */
        if (apk_reserve(st, n + 1) != 0)
            return -1;
        size_t an = pf_extract_email(v, n, st->buf + st->len, n + 1);
        if (an == 0)
            return 0;
        st->off[f] = st->len;
        st->has[f] = 1;
        st->len += an + 1;
        return 0;
    }
    if (apk_reserve(st, n + 1) != 0)
        return -1;
    memcpy(st->buf + st->len, v, n);
    st->buf[st->len + n] = '\0';
    st->off[f] = st->len;
    st->has[f] = n > 0;
    st->len += n + 1;
    return 0;
}

/* Field f as a C string, NULL when absent or empty. */
static const char *apk_get(const apk_state *st, int f)
{
    return st->has[f] ? st->buf + st->off[f] : NULL;
}

/* Hand the finished record to the group set (or count it as skipped); then reset. */
static int apk_finish(apk_state *st, pf_srcgroup *g, pf_parse_stats *stats)
{
    int rc = 0;
    if (st->in_record) {
        const char *p = apk_get(st, F_P);
        if (!p || !apk_get(st, F_V)) {
            stats->skipped++;
        } else {
            pf_record rec;
            memset(&rec, 0, sizeof rec);
            rec.srcname = apk_get(st, F_O) ? apk_get(st, F_O) : p;
            rec.binnames = p;
            rec.version = apk_get(st, F_V);
            rec.summary = apk_get(st, F_T);
            rec.homepage = apk_get(st, F_U);
            rec.license = apk_get(st, F_L);
            rec.maintainers = apk_get(st, F_M);
            rc = pf_srcgroup_add(g, &rec);
        }
    }
    st->len = 0;
    memset(st->has, 0, sizeof st->has);
    st->in_record = 0;
    return rc;
}

/* Parse the APKINDEX text from r into g. 0 ok, -1 with err set. */
static int apk_parse_index(pf_reader *r, const char *fname, pf_srcgroup *g, pf_parse_stats *stats,
                           char *err, size_t errlen)
{
    pf_lines *lines = pf_lines_new(r, APK_MAX_LINE);
    if (!lines) {
        snprintf(err, errlen, "%s: out of memory", fname);
        return -1;
    }
    apk_state st;
    memset(&st, 0, sizeof st);
    int rc = 0;
    for (;;) {
        char *line;
        size_t len;
        int got = pf_lines_next(lines, &line, &len);
        if (got < 0) {
            snprintf(err, errlen, "%s: APKINDEX: %s", fname, pf_lines_error(lines));
            rc = -1;
            break;
        }
        if (got == 0 || len == 0) {
            if (apk_finish(&st, g, stats) != 0) {
                snprintf(err, errlen, "%s: out of memory", fname);
                rc = -1;
                break;
            }
            if (got == 0)
                break;
            continue;
        }
        st.in_record = 1;
        if (len < 2 || line[1] != ':')
            continue; /* not "X:value": ignored */
        int f = apk_field_of(line[0]);
        if (f == F_NONE)
            continue;
        if (apk_set(&st, f, line + 2, len - 2) != 0) {
            snprintf(err, errlen, "%s: out of memory", fname);
            rc = -1;
            break;
        }
    }
    free(st.buf);
    pf_lines_free(lines);
    return rc;
}

/* The "text" variant: the APKINDEX records straight from in, grouped by origin. */
static int apk_parse_text(pf_reader *in, pf_emit_fn emit, void *ctx, pf_parse_stats *stats,
                          char *err, size_t errlen)
{
    const char *fname = "apkindex-text";
    pf_srcgroup *g = pf_srcgroup_new();
    if (!g) {
        snprintf(err, errlen, "%s: out of memory", fname);
        return -1;
    }
    int rc = apk_parse_index(in, fname, g, stats, err, errlen);
    if (rc == 0 && pf_srcgroup_count(g) == 0 && stats->skipped > 0) {
        snprintf(err, errlen, "%s: no APKINDEX record (P: and V: lines) in %ld text blocks", fname,
                 stats->skipped);
        rc = -1;
    }
    if (rc == 0)
        rc = pf_srcgroup_emit(g, emit, ctx, &stats->records);
    pf_srcgroup_free(g);
    return rc;
}

/* Parse a whole APKINDEX.tar.gz, emitting one record per origin (see file comment). */
int pf_parse_apkindex(pf_reader *in, const char *variant, pf_emit_fn emit, void *ctx,
                      pf_parse_stats *stats, char *err, size_t errlen)
{
    stats->records = stats->skipped = 0;
    int text = variant && strcmp(variant, "text") == 0;
    if (variant && !text) {
        snprintf(err, errlen, "apkindex: unknown variant '%s'", variant);
        return -1;
    }
    if (text)
        return apk_parse_text(in, emit, ctx, stats, err, errlen);
    const char *fname = "apkindex";

    char why[256];
    pf_archive *ar = pf_archive_open(in, why, sizeof why);
    if (!ar) {
        snprintf(err, errlen, "%s: %s", fname, why);
        return -1;
    }
    pf_srcgroup *g = pf_srcgroup_new();
    int rc = 0, found = 0;
    if (!g) {
        snprintf(err, errlen, "%s: out of memory", fname);
        rc = -1;
    }
    while (rc == 0) {
        const char *path;
        int got = pf_archive_next(ar, &path, NULL);
        if (got < 0) {
            snprintf(err, errlen, "%s: %s", fname, pf_archive_error(ar));
            rc = -1;
            break;
        }
        if (got == 0)
            break;
        if (found || strcmp(path, "APKINDEX") != 0)
            continue; /* signature, DESCRIPTION, a second copy */
        found = 1;
        rc = apk_parse_index(pf_archive_member(ar), fname, g, stats, err, errlen);
    }
    if (rc == 0 && !found) {
        snprintf(err, errlen, "%s: no APKINDEX member in the archive", fname);
        rc = -1;
    }
    if (rc == 0)
        rc = pf_srcgroup_emit(g, emit, ctx, &stats->records);
    pf_srcgroup_free(g);
    pf_archive_close(ar);
    return rc;
}
