/*
 * fmt_slackware.c — Slackware PACKAGES.TXT parser.
 *
 * After a free-text preamble, the file holds one block per package:
 *
 *   PACKAGE NAME:  bash-5.2.037-x86_64-1.txz
 *   PACKAGE LOCATION:  ./slackware64/a
 *   PACKAGE SIZE (compressed):  1592 K
 *   PACKAGE SIZE (uncompressed):  7400 K
 *   PACKAGE DESCRIPTION:
 *   bash: bash (sh-compatible shell)
 *   bash:
 *   bash: The GNU Bourne-Again SHell. ...
 *
 * Blocks are separated by blank lines. The file name is
 * <name>-<version>-<arch>-<build><tag>.<ext>, so the name is everything
 * before the last three '-' parts and the version is the third-from-last
 * part. Mapping (docs/formats.md): srcname = name, version, category = last
 * component of PACKAGE LOCATION ("a", "ap", "n", ...: the Slackware series),
 * summary = the first description line without its "name:" prefix (the text
 * in parentheses when it reads "name (text)"). No maintainers, homepage or
 * licence exist in the format.
 *
 * A PACKAGE NAME with fewer than three '-' (or an empty name or version) is
 * skipped and counted; when more than half of the blocks are unusable the
 * file is an error. Everything outside blocks (the preamble) is ignored.
 */
#include <stdio.h>
#include <string.h>

#include "pkgfresh/format.h"

#define SLK_MAX_LINE ((size_t)1 << 20)
#define SLK_FIELD    1024

/* The block being read. Invariant: has_name means name/version are set. */
typedef struct slk_state {
    int in_block; /* a PACKAGE NAME line was seen since the last flush */
    int has_name; /* ...and it parsed */
    int in_desc;  /* after PACKAGE DESCRIPTION: */
    int has_sum;  /* summary taken */
    char name[SLK_FIELD];
    char version[SLK_FIELD];
    char category[SLK_FIELD];
    char summary[SLK_FIELD];
    char first_bad[SLK_FIELD];
} slk_state;

/* Copy s[0..n) trimmed into out (truncated to SLK_FIELD - 1). */
static void slk_copy_trim(char *out, const char *s, size_t n)
{
    while (n > 0 && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n >= SLK_FIELD)
        n = SLK_FIELD - 1;
    memcpy(out, s, n);
    out[n] = '\0';
}

/* Does line start with the literal prefix p? */
static int slk_starts(const char *line, size_t len, const char *p)
{
    size_t n = strlen(p);
    return len >= n && memcmp(line, p, n) == 0;
}

/* Split a package file name into name and version; 0 ok, -1 unusable. */
static int slk_split(slk_state *st, const char *file)
{
    /* Find the last three '-': version starts after the third-from-last. */
    const char *d[3] = {NULL, NULL, NULL};
    size_t n = strlen(file);
    int found = 0;
    for (size_t i = n; i-- > 0 && found < 3;)
        if (file[i] == '-')
            d[found++] = file + i;
    if (found < 3)
        return -1;
    const char *ver = d[2] + 1;
    size_t vlen = (size_t)(d[1] - ver);
    size_t nlen = (size_t)(d[2] - file);
    if (nlen == 0 || vlen == 0 || nlen >= SLK_FIELD || vlen >= SLK_FIELD)
        return -1;
    memcpy(st->name, file, nlen);
    st->name[nlen] = '\0';
    memcpy(st->version, ver, vlen);
    st->version[vlen] = '\0';
    return 0;
}

/* Take the summary from a description line "name: text" of the current block. */
static void slk_desc(slk_state *st, const char *line, size_t len)
{
    size_t nl = strlen(st->name);
    if (st->has_sum || !st->has_name || len <= nl || memcmp(line, st->name, nl) != 0 ||
        line[nl] != ':')
        return;
    const char *t = line + nl + 1;
    size_t tl = len - nl - 1;
    slk_copy_trim(st->summary, t, tl);
    if (!st->summary[0])
        return;
    /* "bash (sh-compatible shell)": keep the text in parentheses. */
    size_t sl = strlen(st->summary);
    if (sl > nl + 3 && strncmp(st->summary, st->name, nl) == 0 && st->summary[nl] == ' ' &&
        st->summary[nl + 1] == '(' && st->summary[sl - 1] == ')') {
        memmove(st->summary, st->summary + nl + 2, sl - nl - 3);
        st->summary[sl - nl - 3] = '\0';
    }
    st->has_sum = st->summary[0] != '\0';
}

/* Emit the current block (or count it as skipped). Returns 0 or the emit value. */
static int slk_flush(slk_state *st, pf_emit_fn emit, void *ctx, pf_parse_stats *stats)
{
    if (!st->in_block)
        return 0;
    int rc = 0;
    if (st->has_name) {
        pf_record rec;
        memset(&rec, 0, sizeof rec);
        rec.srcname = st->name;
        rec.version = st->version;
        rec.category = st->category[0] ? st->category : NULL;
        rec.summary = st->has_sum ? st->summary : NULL;
        rc = emit(ctx, &rec);
        if (rc == 0)
            stats->records++;
    } else {
        stats->skipped++;
    }
    st->in_block = st->has_name = st->in_desc = st->has_sum = 0;
    st->category[0] = st->summary[0] = '\0';
    return rc;
}

/* Parse a whole PACKAGES.TXT stream (see file comment), filling *stats. */
int pf_parse_slackware(pf_reader *in, const char *variant, pf_emit_fn emit, void *ctx,
                       pf_parse_stats *stats, char *err, size_t errlen)
{
    (void)variant;
    stats->records = stats->skipped = 0;

    pf_lines *lines = pf_lines_new(in, SLK_MAX_LINE);
    if (!lines) {
        snprintf(err, errlen, "slackware: out of memory");
        return -1;
    }
    slk_state st;
    memset(&st, 0, sizeof st);
    int rc = 0;
    for (;;) {
        char *line;
        size_t len;
        int got = pf_lines_next(lines, &line, &len);
        if (got < 0) {
            snprintf(err, errlen, "slackware: %s", pf_lines_error(lines));
            rc = -1;
            break;
        }
        if (got == 0) {
            rc = slk_flush(&st, emit, ctx, stats);
            break;
        }
        size_t k = 0;
        while (k < len && (line[k] == ' ' || line[k] == '\t' || line[k] == '\r'))
            k++;
        if (k == len) {
            /* Blank line: the block ends. */
            if ((rc = slk_flush(&st, emit, ctx, stats)) != 0)
                break;
        } else if (slk_starts(line, len, "PACKAGE NAME:")) {
            if ((rc = slk_flush(&st, emit, ctx, stats)) != 0)
                break;
            char file[SLK_FIELD];
            slk_copy_trim(file, line + 13, len - 13);
            st.in_block = 1;
            st.has_name = slk_split(&st, file) == 0;
            if (!st.has_name && !st.first_bad[0])
                snprintf(st.first_bad, sizeof st.first_bad, "line %llu: \"%.200s\"",
                         (unsigned long long)pf_lines_lineno(lines), file);
        } else if (!st.in_block) {
            continue; /* preamble */
        } else if (slk_starts(line, len, "PACKAGE LOCATION:")) {
            char loc[SLK_FIELD];
            slk_copy_trim(loc, line + 17, len - 17);
            size_t ll = strlen(loc);
            while (ll > 0 && loc[ll - 1] == '/')
                loc[--ll] = '\0';
            const char *slash = strrchr(loc, '/');
            const char *cat = slash ? slash + 1 : loc;
            snprintf(st.category, sizeof st.category, "%s", strcmp(cat, ".") ? cat : "");
        } else if (slk_starts(line, len, "PACKAGE DESCRIPTION:")) {
            st.in_desc = 1;
        } else if (st.in_desc) {
            slk_desc(&st, line, len);
        }
    }
    pf_lines_free(lines);
    if (rc == 0 && stats->skipped > stats->records) {
        snprintf(err, errlen, "slackware: %ld of %ld packages unusable, first at %s",
                 stats->skipped, stats->skipped + stats->records, st.first_bad);
        return -1;
    }
    return rc;
}
