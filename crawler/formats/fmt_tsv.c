/*
 * fmt_tsv.c — plain tab-separated package lists ("tsv" format).
 *
 * For repositories without a native index, or lists made by hand/scripts:
 *
 *   # comment lines and blank lines are ignored
 *   name<TAB>version[<TAB>homepage[<TAB>summary]]
 *
 * Column header (optional): when the first non-blank line, with a leading
 * '#' removed, has TAB-separated cells among which are "name" and "version"
 * (any case), it names the columns of every following line. Known column
 * names (docs/formats.md): name/srcname/package, version, homepage/url/www,
 * summary/description/desc/short_desc/comment, license/licenses,
 * maintainer/maintainers (e-mail addresses extracted, lower-cased),
 * category/section/repo, binnames/subpackages; others are ignored. Without a
 * header the columns are name, version, homepage, summary; extra cells are
 * ignored. This reads Repology-style derived lists as they are, e.g. the
 * Alpine/Void/Homebrew "detail" TSVs with their "name version ..." header.
 *
 * A line with too few cells or an empty name or version is skipped and
 * counted (the first one remembered); more than half of the data lines bad
 * is an error. Values are used exactly as written (no quoting rules), except
 * that a license wrapped in one pair of double quotes loses them.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pkgfresh/format.h"

#define TSV_MAX_LINE ((size_t)1 << 20)
#define TSV_MAX_COLS 64

/* What a column feeds. */
enum tsv_col {
    C_IGNORE,
    C_NAME,
    C_VERSION,
    C_HOMEPAGE,
    C_SUMMARY,
    C_LICENSE,
    C_MAINT,
    C_CATEGORY,
    C_BINNAMES,
    C_KINDS
};

/* Column layout. Invariant: col[k] is the cell index of field kind k, -1 when absent. */
typedef struct tsv_layout {
    int col[C_KINDS];
    int need; /* cells a data line must have at least (1 + max of name/version index) */
} tsv_layout;

/* Field kind named by a header cell. */
static int tsv_kind(const char *s)
{
    static const struct {
        const char *name;
        int kind;
    } names[] = {
        {"name", C_NAME},         {"srcname", C_NAME},       {"package", C_NAME},
        {"version", C_VERSION},   {"homepage", C_HOMEPAGE},  {"url", C_HOMEPAGE},
        {"www", C_HOMEPAGE},      {"summary", C_SUMMARY},    {"description", C_SUMMARY},
        {"desc", C_SUMMARY},      {"short_desc", C_SUMMARY}, {"comment", C_SUMMARY},
        {"license", C_LICENSE},   {"licenses", C_LICENSE},   {"maintainer", C_MAINT},
        {"maintainers", C_MAINT}, {"category", C_CATEGORY},  {"section", C_CATEGORY},
        {"repo", C_CATEGORY},     {"binnames", C_BINNAMES},  {"subpackages", C_BINNAMES},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcasecmp(s, names[i].name) == 0)
            return names[i].kind;
    return C_IGNORE;
}

/* Split line at TABs in place into cells (at most TSV_MAX_COLS kept). Returns the cell count. */
static int tsv_split(char *line, size_t len, char **cells)
{
    int n = 0;
    char *p = line, *end = line + len;
    for (;;) {
        if (n < TSV_MAX_COLS)
            cells[n] = p;
        n++;
        char *tab = memchr(p, '\t', (size_t)(end - p));
        if (!tab)
            return n < TSV_MAX_COLS ? n : TSV_MAX_COLS;
        *tab = '\0';
        p = tab + 1;
    }
}

/* The default layout: name, version, homepage, summary. */
static void tsv_default(tsv_layout *lay)
{
    for (int k = 0; k < C_KINDS; k++)
        lay->col[k] = -1;
    lay->col[C_NAME] = 0;
    lay->col[C_VERSION] = 1;
    lay->col[C_HOMEPAGE] = 2;
    lay->col[C_SUMMARY] = 3;
    lay->need = 2;
}

/* Try cells as a header; 1 and lay filled when it names "name" and "version", else 0. */
static int tsv_header(char **cells, int n, tsv_layout *lay)
{
    tsv_layout h;
    for (int k = 0; k < C_KINDS; k++)
        h.col[k] = -1;
    for (int i = 0; i < n; i++) {
        /* Compare a trimmed copy: the line is restored if it is not a header. */
        const char *c = cells[i];
        while (*c == '#' || *c == ' ')
            c++;
        char name[32];
        size_t l = strlen(c);
        while (l > 0 && c[l - 1] == ' ')
            l--;
        if (l >= sizeof name)
            continue;
        memcpy(name, c, l);
        name[l] = '\0';
        int k = tsv_kind(name);
        if (k != C_IGNORE && h.col[k] < 0)
            h.col[k] = i;
    }
    if (h.col[C_NAME] < 0 || h.col[C_VERSION] < 0)
        return 0;
    h.need = 1 + (h.col[C_NAME] > h.col[C_VERSION] ? h.col[C_NAME] : h.col[C_VERSION]);
    *lay = h;
    return 1;
}

/* Trim spaces in place; returns the trimmed start (NUL-terminated). */
static char *tsv_trim(char *s)
{
    while (*s == ' ')
        s++;
    size_t l = strlen(s);
    while (l > 0 && s[l - 1] == ' ')
        s[--l] = '\0';
    return s;
}

/* Append lower-cased address a[0..n) to out (comma-separated) unless empty or invalid. */
static void tsv_add_mail(char *out, size_t *olen, const char *a, size_t n)
{
    while (n > 0 && (*a == ' ' || *a == ','))
        a++, n--;
    while (n > 0 && (a[n - 1] == ' ' || a[n - 1] == ','))
        n--;
    if (n == 0 || !memchr(a, '@', n))
        return;
    for (size_t i = 0; i < n; i++)
        if (strchr(" <>\"", a[i]))
            return;
    if (*olen > 0)
        out[(*olen)++] = ',';
    for (size_t i = 0; i < n; i++)
        out[(*olen)++] = (char)tolower((unsigned char)a[i]);
    out[*olen] = '\0';
}

/*
 * Extract the addresses of a maintainer cell ("Name <a@b>, c@d") into out
 * (capacity >= strlen(s) + 1). Returns out, or NULL when none was found.
 */
static char *tsv_maintainers(const char *s, char *out)
{
    size_t olen = 0;
    out[0] = '\0';
    const char *p = s;
    while (*p) {
        const char *lt = strchr(p, '<');
        const char *stop = lt ? lt : p + strlen(p);
        /* Bare addresses before the next '<': words holding an '@'. */
        const char *w = p;
        while (w < stop) {
            while (w < stop && (*w == ' ' || *w == ','))
                w++;
            const char *e = w;
            while (e < stop && *e != ' ' && *e != ',')
                e++;
            if (e > w && memchr(w, '@', (size_t)(e - w)))
                tsv_add_mail(out, &olen, w, (size_t)(e - w));
            w = e;
        }
        if (!lt)
            break;
        const char *gt = strchr(lt, '>');
        if (!gt)
            break;
        tsv_add_mail(out, &olen, lt + 1, (size_t)(gt - lt - 1));
        p = gt + 1;
    }
    return olen ? out : NULL;
}

/* Cell of kind k on this line, trimmed, NULL when absent or empty. */
static char *tsv_cell(const tsv_layout *lay, char **cells, int n, int k)
{
    int i = lay->col[k];
    if (i < 0 || i >= n)
        return NULL;
    char *c = tsv_trim(cells[i]);
    return c[0] ? c : NULL;
}

/* Parse a whole list (see file comment), filling *stats. */
int pf_parse_tsv(pf_reader *in, const char *variant, pf_emit_fn emit, void *ctx,
                 pf_parse_stats *stats, char *err, size_t errlen)
{
    (void)variant;
    stats->records = stats->skipped = 0;

    pf_lines *lines = pf_lines_new(in, TSV_MAX_LINE);
    char *mbuf = malloc(TSV_MAX_LINE + 2);
    if (!lines || !mbuf) {
        pf_lines_free(lines);
        free(mbuf);
        snprintf(err, errlen, "tsv: out of memory");
        return -1;
    }
    tsv_layout lay;
    tsv_default(&lay);
    int seen_first = 0;
    char first_bad[160] = "";
    int rc = 0;
    for (;;) {
        char *line;
        size_t len;
        int got = pf_lines_next(lines, &line, &len);
        if (got < 0) {
            snprintf(err, errlen, "tsv: %s", pf_lines_error(lines));
            rc = -1;
            break;
        }
        if (got == 0)
            break;
        size_t k = 0;
        while (k < len && (line[k] == ' ' || line[k] == '\t'))
            k++;
        if (k == len)
            continue;
        char *cells[TSV_MAX_COLS];
        if (!seen_first) {
            seen_first = 1;
            int n = tsv_split(line, len, cells);
            if (tsv_header(cells, n, &lay))
                continue;
            /* Not a header: undo the split and treat the line as data. */
            for (size_t i = 0; i < len; i++)
                if (line[i] == '\0')
                    line[i] = '\t';
        }
        if (line[0] == '#')
            continue;
        int n = tsv_split(line, len, cells);
        char *name = n >= lay.need ? tsv_cell(&lay, cells, n, C_NAME) : NULL;
        char *version = n >= lay.need ? tsv_cell(&lay, cells, n, C_VERSION) : NULL;
        if (!name || !version) {
            if (stats->skipped++ == 0)
                snprintf(first_bad, sizeof first_bad, "line %llu",
                         (unsigned long long)pf_lines_lineno(lines));
            continue;
        }
        pf_record rec;
        memset(&rec, 0, sizeof rec);
        rec.srcname = name;
        rec.version = version;
        rec.homepage = tsv_cell(&lay, cells, n, C_HOMEPAGE);
        rec.summary = tsv_cell(&lay, cells, n, C_SUMMARY);
        rec.category = tsv_cell(&lay, cells, n, C_CATEGORY);
        rec.binnames = tsv_cell(&lay, cells, n, C_BINNAMES);
        char *lic = tsv_cell(&lay, cells, n, C_LICENSE);
        size_t ll = lic ? strlen(lic) : 0;
        if (ll >= 2 && lic[0] == '"' && lic[ll - 1] == '"' && !memchr(lic + 1, '"', ll - 2)) {
            lic[ll - 1] = '\0';
            lic = ll > 2 ? lic + 1 : NULL;
        }
        rec.license = lic;
        char *m = tsv_cell(&lay, cells, n, C_MAINT);
        rec.maintainers = m ? tsv_maintainers(m, mbuf) : NULL;
        rc = emit(ctx, &rec);
        if (rc != 0)
            break;
        stats->records++;
    }
    pf_lines_free(lines);
    free(mbuf);
    if (rc == 0 && stats->skipped > stats->records) {
        snprintf(err, errlen, "tsv: %ld of %ld lines are not name<TAB>version, first at %s",
                 stats->skipped, stats->skipped + stats->records, first_bad);
        return -1;
    }
    return rc;
}
