/*
 * fmt_pkgsrc_index.c — pkgsrc INDEX parser (current and the quarterly branches).
 *
 * One package per line, exactly 12 '|'-separated fields:
 *   0 PKGNAME (name-version)   1 PKGPATH         2 prefix
 *   3 COMMENT                  4 DESCR path      5 MAINTAINER
 *   6 CATEGORIES               7 build deps      8 run deps
 *   9, 10 (unused)            11 HOMEPAGE
 *
 * Mapping (docs/formats.md; Repology's PkgsrcIndexParser):
 *   srcname     PKGPATH ("www/curl"); one PKGPATH may give several lines
 *               (Python/Ruby flavours)
 *   binnames    PKGNAME before its last '-' ("py312-requests"): the project
 *               seed, as for FreeBSD (analyze.c)
 *   version     PKGNAME after its last '-', raw ("8.10.1nb1": PF_VS_PKGSRC
 *               cuts the PKGREVISION at the last "nb")
 *   summary     COMMENT; maintainers MAINTAINER lower-cased when it is an
 *               address (packages with only OWNER have none); category the
 *               first word of CATEGORIES; homepage the first word of HOMEPAGE
 *
 * Lines are trimmed of surrounding white space (as Repology's strip()). A
 * line with another field count, a NUL byte, an empty PKGNAME, no "-version", an empty
 * name, version or PKGPATH is skipped and counted, the first one remembered;
 * more skipped than kept fails the parse naming that line.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "pkgfresh/format.h"
#include "pkgfresh/linerecords.h"

#define PKGSRC_FIELDS   12
#define PKGSRC_MAX_LINE ((size_t)4 << 20)

/* Split line at '|' in place; f[] gets the first PKGSRC_FIELDS fields. Returns the field count. */
static int pkgsrc_split(char *line, char *f[PKGSRC_FIELDS])
{
    int n = 0;
    char *p = line;
    for (;;) {
        if (n < PKGSRC_FIELDS)
            f[n] = p;
        n++;
        char *bar = strchr(p, '|');
        if (!bar)
            return n;
        *bar = '\0';
        p = bar + 1;
    }
}

/* The first space-separated word of s, cut in place; NULL when there is none. */
static char *pkgsrc_first_word(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strcspn(s, " \t");
    s[n] = '\0';
    return n ? s : NULL;
}

/* Map one split line into rec, or write why it is unusable and return -1. */
static int pkgsrc_record(char **f, int nf, pf_record *rec, char *why, size_t whylen)
{
    if (nf != PKGSRC_FIELDS) {
        snprintf(why, whylen, "expected %d fields, got %d", PKGSRC_FIELDS, nf);
        return -1;
    }
    char *pkgname = f[0];
    if (!pkgname[0]) {
        snprintf(why, whylen, "empty package name");
        return -1;
    }
    char *dash = strrchr(pkgname, '-');
    if (!dash || dash == pkgname || !dash[1]) {
        snprintf(why, whylen, "expected <name>-<version> in the first field");
        return -1;
    }
    if (!f[1][0]) {
        snprintf(why, whylen, "empty PKGPATH");
        return -1;
    }
    *dash = '\0';
    memset(rec, 0, sizeof *rec);
    rec->srcname = f[1];
    rec->binnames = pkgname;
    rec->version = dash + 1;
    rec->summary = f[3][0] ? f[3] : NULL;
    char *m = f[5];
    for (char *c = m; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    rec->maintainers = (strchr(m, '@') && !strpbrk(m, " \t,<>")) ? m : NULL;
    rec->category = pkgsrc_first_word(f[6]);
    rec->homepage = pkgsrc_first_word(f[11]);
    return 0;
}

/* Trim white space around line[0..*len) in place; returns the new start. */
static char *pkgsrc_trim(char *line, size_t *len)
{
    size_t n = *len;
    while (n > 0 && isspace((unsigned char)line[n - 1]))
        n--;
    line[n] = '\0';
    while (n > 0 && isspace((unsigned char)*line))
        line++, n--;
    *len = n;
    return line;
}

/* One INDEX line (see file comment): trimmed, checked, split and mapped in place. */
static int pkgsrc_line(char *line, size_t len, pf_record *rec, char *why, size_t whylen)
{
    if (strlen(line) != len) {
        snprintf(why, whylen, "NUL byte in the line");
        return -1;
    }
    line = pkgsrc_trim(line, &len);
    if (len == 0)
        return 1;
    char *f[PKGSRC_FIELDS];
    return pkgsrc_record(f, pkgsrc_split(line, f), rec, why, whylen);
}

/* Parse a whole INDEX stream (see file comment), filling *stats. */
int pf_parse_pkgsrc_index(pf_reader *in, const char *variant, pf_emit_fn emit, void *ctx,
                          pf_parse_stats *stats, char *err, size_t errlen)
{
    (void)variant;
    return pf_line_records(in, PKGSRC_MAX_LINE, "pkgsrc-index", pkgsrc_line, emit, ctx, stats, err,
                           errlen);
}
