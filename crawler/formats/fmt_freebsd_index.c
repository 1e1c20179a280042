/*
 * fmt_freebsd_index.c — FreeBSD ports INDEX parser (INDEX-14 and friends).
 *
 * One port per line, exactly 13 '|'-separated fields:
 *   0 PKGNAME (name-version)   1 port path        2 prefix
 *   3 comment                  4 pkg-descr path   5 maintainer
 *   6 categories               7 build deps       8 run deps
 *   9 www                     10 extract deps    11 patch deps   12 fetch deps
 *
 * Mapping (docs/formats.md):
 *   srcname     origin "category/port" (the last two components of field 1)
 *   binnames    PKGNAME stem (field 0 before its last '-': "ar-aspell")
 *   version     field 0 after its last '-', raw ("1.2.0_1,1": _PORTREVISION
 *               and ,PORTEPOCH are removed by PF_VS_FREEBSD when analysing)
 *   summary     field 3; maintainers field 5 lower-cased; category the first
 *               word of field 6; homepage field 9
 *
 * A line with another field count, a PKGNAME without "-version", an empty
 * name or version, or a port path shorter than category/port is skipped and
 * counted; the first such line is remembered. When more than half of the
 * non-blank lines are unusable the index is an error naming that first line
 * (so a file holding only a broken line fails, as Repology's parser does).
 * Lines are edited in place (pf_lines hands out a writable buffer).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "pkgfresh/format.h"
#include "pkgfresh/linerecords.h"

#define FBSD_FIELDS   13
#define FBSD_MAX_LINE ((size_t)4 << 20)

/* Split line at '|' in place; f[] gets the first FBSD_FIELDS fields. Returns the field count. */
static int fbsd_split(char *line, size_t len, char *f[FBSD_FIELDS])
{
    int n = 0;
    char *p = line, *end = line + len;
    for (;;) {
        if (n < FBSD_FIELDS)
            f[n] = p;
        n++;
        char *bar = memchr(p, '|', (size_t)(end - p));
        if (!bar)
            return n;
        *bar = '\0';
        p = bar + 1;
    }
}

/*
 * Check and map one split line into rec; on failure write the reason into
 * why and return -1. The fields are edited in place.
 */
static int fbsd_record(char **f, int nf, pf_record *rec, char *why, size_t whylen)
{
    if (nf != FBSD_FIELDS) {
        snprintf(why, whylen, "expected %d fields, got %d", FBSD_FIELDS, nf);
        return -1;
    }
    char *pkgname = f[0];
    char *dash = strrchr(pkgname, '-');
    if (!dash) {
        snprintf(why, whylen, "expected <package name>-<version> in the first field");
        return -1;
    }
    *dash = '\0';
    if (!pkgname[0]) {
        snprintf(why, whylen, "empty package name");
        return -1;
    }
    if (!dash[1]) {
        snprintf(why, whylen, "empty version");
        return -1;
    }

    /* Origin: the last two components of the port path, trailing slashes ignored. */
    char *path = f[1];
    size_t plen = strlen(path);
    while (plen > 0 && path[plen - 1] == '/')
        path[--plen] = '\0';
    char *last = memrchr(path, '/', plen);
    char *prev = last && last > path ? memrchr(path, '/', (size_t)(last - path)) : NULL;
    char *origin = prev ? prev + 1 : path;
    if (!last || last == origin || !last[1]) {
        snprintf(why, whylen, "unexpectedly short port path (expected at least category/name)");
        return -1;
    }

    memset(rec, 0, sizeof *rec);
    rec->srcname = origin;
    rec->binnames = pkgname;
    rec->version = dash + 1;
    rec->summary = f[3][0] ? f[3] : NULL;

    char *m = f[5];
    for (char *c = m; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    rec->maintainers = (strchr(m, '@') && !strpbrk(m, " \t,<>")) ? m : NULL;

    char *cat = f[6];
    while (*cat == ' ')
        cat++;
    char *sp = strchr(cat, ' ');
    if (sp)
        *sp = '\0';
    rec->category = cat[0] ? cat : NULL;
    rec->homepage = f[9][0] ? f[9] : NULL;
    return 0;
}

/* One INDEX line: split and mapped in place (see file comment). */
static int fbsd_line(char *line, size_t len, pf_record *rec, char *why, size_t whylen)
{
    char *f[FBSD_FIELDS];
    int nf = fbsd_split(line, len, f);
    return fbsd_record(f, nf, rec, why, whylen);
}

/* Parse a whole INDEX stream (see file comment), filling *stats. */
int pf_parse_freebsd_index(pf_reader *in, const char *variant, pf_emit_fn emit, void *ctx,
                           pf_parse_stats *stats, char *err, size_t errlen)
{
    (void)variant;
    return pf_line_records(in, FBSD_MAX_LINE, "freebsd-index", fbsd_line, emit, ctx, stats, err,
                           errlen);
}
