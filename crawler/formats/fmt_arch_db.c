/*
 * fmt_arch_db.c — Arch Linux repository database (<repo>.db) parser.
 *
 * A .db is a tar (usually gzip or zstd compressed) holding one directory
 * per binary package, "<pkgname>-<pkgver>/", with a "desc" file made of
 * blocks: a "%KEY%" line, value lines, then a blank line. Fields used
 * (repology-model.md §3): %BASE% -> srcname (fallback %NAME%), %NAME% ->
 * binnames, %VERSION% raw (PF_VS_ARCH normalizes it later), %DESC% ->
 * summary, %URL% -> homepage, %LICENSE% (one per line, joined with ", ").
 * %PACKAGER% is deliberately ignored, as Repology does: no maintainers.
 *
 * Variant "msys2" (format msys2-db, Repology's MSYS2DescParser): the same
 * database (MSYS2 serves it zstd-compressed, sniffed like any other codec),
 * but %PACKAGER% gives the maintainers (Repology's extract_maintainers:
 * "Name <addr>" -> addr) and the first of %GROUPS% the category. MSYS2's
 * epoch separator is '~' ("1~2.3-1"); its scheme PF_VS_MSYS2 strips it.
 *
 * Split packages: several binary packages share one %BASE%, and members
 * are sorted by package name, so the packages of one base are usually not
 * adjacent (systemd, systemd-libs, ... but also libsystemd-like names
 * elsewhere). Records are therefore collected in a pf_srcgroup (one per
 * base, binary names merged, the package named like its base supplying the
 * descriptive fields) and emitted after the last member. That keeps one
 * small entry per base in memory (an Arch repo has ~15k packages), while
 * each desc file is read into one reused buffer.
 *
 * A desc without %NAME% or %VERSION% is skipped and counted. Members other
 * than "<dir>/desc" (e.g. "files" in a .files db) are ignored.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkgfresh/archive.h"
#include "pkgfresh/format.h"
#include "pkgfresh/maintainers.h"

#define ARCH_MAX_DESC ((size_t)16 << 20)

enum arch_key {
    K_NAME,
    K_BASE,
    K_VERSION,
    K_DESC,
    K_URL,
    K_LICENSE,
    K_PACKAGER,
    K_GROUPS,
    K_COUNT,
    K_NONE = -1
};

/*
 * Parser state. Invariant: val[k] points into desc (NUL-terminated in place)
 * or is NULL; lic[0..lic_len) holds the %LICENSE% lines joined, NUL-terminated.
 */
typedef struct arch_state {
    char *desc; /* the current desc file, reused */
    size_t desc_len, desc_cap;
    const char *val[K_COUNT];
    char *lic;
    size_t lic_len, lic_cap;
    char *maint; /* msys2: the %PACKAGER% addresses, comma-separated */
    size_t maint_len, maint_cap;
} arch_state;

/* Which key a "%KEY%" line names (n = length of KEY without the percent signs). */
static int arch_key_lookup(const char *k, size_t n)
{
    static const char *const names[K_COUNT] = {"NAME", "BASE",    "VERSION",  "DESC",
                                               "URL",  "LICENSE", "PACKAGER", "GROUPS"};
    for (int i = 0; i < K_COUNT; i++)
        if (strlen(names[i]) == n && memcmp(names[i], k, n) == 0)
            return i;
    return K_NONE;
}

/* Append one licence line to st->lic, ", "-separated. 0 ok, -1 out of memory. */
static int arch_add_license(arch_state *st, const char *v, size_t n)
{
    size_t need = st->lic_len + n + 3;
    if (need > st->lic_cap) {
        size_t ncap = st->lic_cap ? st->lic_cap : 256;
        while (ncap < need)
            ncap *= 2;
        char *nb = realloc(st->lic, ncap);
        if (!nb)
            return -1;
        st->lic = nb;
        st->lic_cap = ncap;
    }
    if (st->lic_len) {
        st->lic[st->lic_len++] = ',';
        st->lic[st->lic_len++] = ' ';
    }
    memcpy(st->lic + st->lic_len, v, n);
    st->lic_len += n;
    st->lic[st->lic_len] = '\0';
    return 0;
}

/*
 * Split the desc text in st->desc into fields, in place: every line is
 * NUL-terminated where its '\n' was, so values point straight into it.
 */
static int arch_parse_desc(arch_state *st)
{
    memset(st->val, 0, sizeof st->val);
    st->lic_len = 0;
    int key = K_NONE;
    int at_block_start = 1;
    char *p = st->desc;
    char *end = st->desc + st->desc_len;
    while (p < end) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        char *eol = nl ? nl : end;
        *eol = '\0'; /* end == desc + len holds the NUL already */
        size_t n = (size_t)(eol - p);
        if (n > 0 && p[n - 1] == '\r')
            p[--n] = '\0';
        if (n == 0) {
            key = K_NONE;
            at_block_start = 1;
        } else if (at_block_start) {
            at_block_start = 0;
            key =
                (n >= 2 && p[0] == '%' && p[n - 1] == '%') ? arch_key_lookup(p + 1, n - 2) : K_NONE;
        } else if (key == K_LICENSE) {
            if (arch_add_license(st, p, n) != 0)
                return -1;
        } else if (key != K_NONE && !st->val[key]) {
            st->val[key] = p; /* single-valued: the first line counts */
        }
        p = eol + 1;
    }
    st->val[K_LICENSE] = st->lic_len ? st->lic : NULL;
    return 0;
}

/* Is path "<dir>/desc" with exactly one directory level? */
static int arch_is_desc(const char *path)
{
    const char *slash = strchr(path, '/');
    return slash && slash != path && strcmp(slash + 1, "desc") == 0;
}

/* Parse a whole .db, emitting one record per %BASE% (see file comment). */
int pf_parse_arch_db(pf_reader *in, const char *variant, pf_emit_fn emit, void *ctx,
                     pf_parse_stats *stats, char *err, size_t errlen)
{
    stats->records = stats->skipped = 0;
    int msys2 = variant && strcmp(variant, "msys2") == 0;
    if (variant && !msys2) {
        snprintf(err, errlen, "arch-db: unknown variant '%s'", variant);
        return -1;
    }
    const char *fname = msys2 ? "msys2-db" : "arch-db"; /* errors start with the format */

    char why[256];
    pf_archive *ar = pf_archive_open(in, why, sizeof why);
    if (!ar) {
        snprintf(err, errlen, "%s: %s", fname, why);
        return -1;
    }
    pf_srcgroup *g = pf_srcgroup_new();
    arch_state st;
    memset(&st, 0, sizeof st);
    int rc = 0;
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
        if (!arch_is_desc(path))
            continue;
        if (pf_archive_read_all(ar, &st.desc, &st.desc_len, &st.desc_cap, ARCH_MAX_DESC) != 0) {
            snprintf(err, errlen, "%s: %s: %s", fname, path, pf_archive_error(ar));
            rc = -1;
            break;
        }
        if (arch_parse_desc(&st) != 0) {
            snprintf(err, errlen, "%s: out of memory", fname);
            rc = -1;
            break;
        }
        const char *name = st.val[K_NAME];
        if (!name || !st.val[K_VERSION]) {
            stats->skipped++;
            continue;
        }
        pf_record rec;
        memset(&rec, 0, sizeof rec);
        rec.srcname = st.val[K_BASE] ? st.val[K_BASE] : name;
        rec.binnames = name;
        rec.version = st.val[K_VERSION];
        rec.summary = st.val[K_DESC];
        rec.homepage = st.val[K_URL];
        rec.license = st.val[K_LICENSE];
        if (msys2) {
            const char *pk = st.val[K_PACKAGER];
            st.maint_len = 0;
            if (pk &&
                pf_maint_extract(pk, strlen(pk), &st.maint, &st.maint_len, &st.maint_cap) < 0) {
                snprintf(err, errlen, "%s: out of memory", fname);
                rc = -1;
                break;
            }
            rec.maintainers = st.maint_len ? st.maint : NULL;
            rec.category = st.val[K_GROUPS];
        }
        if (pf_srcgroup_add(g, &rec) != 0) {
            snprintf(err, errlen, "%s: out of memory", fname);
            rc = -1;
        }
    }
    if (rc == 0)
        rc = pf_srcgroup_emit(g, emit, ctx, &stats->records);
    free(st.desc);
    free(st.lic);
    free(st.maint);
    pf_srcgroup_free(g);
    pf_archive_close(ar);
    return rc;
}
