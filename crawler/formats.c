/*
 * formats.c — the table of index-format parsers (format.h).
 *
 * One entry per crawler/formats/fmt_<name>.c (several when one reader serves
 * several dialects through its variant). The catalog validates its "format:"
 * values against this table, and the crawler picks the parser from it.
 * Invariant: the table ends with a zero entry (name == NULL).
 */
#include <stdio.h>
#include <string.h>

#include "pkgfresh/format.h"

static const pf_format pf_formats[] = {
    {"deb-sources", pf_parse_deb_sources,
     "Debian/Ubuntu source index (dists/<suite>/<component>/source/Sources)", NULL},
    {"rpm-md", pf_parse_rpm_md,
     "rpm-md repository (repodata/repomd.xml -> primary.xml): Fedora, CentOS, openSUSE", NULL},
    {"arch-db", pf_parse_arch_db, "Arch Linux repository database (<repo>.db tar of desc files)",
     NULL},
    {"msys2-db", pf_parse_arch_db,
     "MSYS2 repository database (arch-db with %PACKAGER% as maintainer)", "msys2"},
    {"apkindex", pf_parse_apkindex, "Alpine APKINDEX.tar.gz", NULL},
    {"apkindex-text", pf_parse_apkindex, "APKINDEX records as plain text (Chimera Linux)", "text"},
    {"void-repodata", pf_parse_void_repodata, "Void Linux <arch>-repodata (index.plist)", NULL},
    {"nix-json", pf_parse_nix_json, "nixpkgs packages.json (version 2)", NULL},
    {"homebrew-json", pf_parse_homebrew_json, "Homebrew formula.json", NULL},
    {"freebsd-index", pf_parse_freebsd_index, "FreeBSD ports INDEX-NN", NULL},
    {"slackware", pf_parse_slackware, "Slackware PACKAGES.TXT", NULL},
    {"tsv", pf_parse_tsv, "name<TAB>version[<TAB>...] lines, for your own repositories", NULL},
    {"aur-json", pf_parse_aur_json, "AUR packages-meta-ext-v1.json.gz", NULL},
    {"pkgsrc-index", pf_parse_pkgsrc_index, "pkgsrc INDEX (12 '|'-separated fields)", NULL},
    {"alt-json", pf_parse_alt_json, "ALT Linux export/repology/<branch> JSON", NULL},
    {"macports-json", pf_parse_macports_json, "MacPorts PortIndex.json", NULL},
    {"guix-json", pf_parse_guix_json, "GNU Guix packages.json", NULL},
    /* json-export: the files distributions write for Repology, one row per dialect */
    {"termux-json", pf_parse_json_export, "Termux / TUR repology-metadata packages.json", "termux"},
    {"spack-json", pf_parse_json_export, "Spack repology.json", "spack"},
    {"exherbo-json", pf_parse_json_export, "Exherbo packages.json (summer)", "exherbo"},
    {"aosc-json", pf_parse_json_export, "AOSC packages list.json", "aosc"},
    {"crux-json", pf_parse_json_export, "CRUX repology-<release>.json", "crux"},
    {"chromebrew-json", pf_parse_json_export, "Chromebrew repology.json", "chromebrew"},
    {"ravenports-json", pf_parse_json_export, "Ravenports repology.json", "ravenports"},
    {"yacp-json", pf_parse_json_export, "YACP packages.json", "yacp"},
    {"pacstall-json", pf_parse_json_export, "pacstall repology API", "pacstall"},
    {"stalix-ndjson", pf_parse_json_export, "stal/IX dump.json (one object per line)", "stalix"},
    {"salix-json", pf_parse_json_export, "Salix PACKAGES.json", "salix"},
    {"ptxdist-json", pf_parse_json_export, "PTXdist repology.json", "ptxdist"},
    {"gentoo-md5cache", pf_parse_gentoo_md5cache,
     "Gentoo repository tree tarball (ebuilds + metadata/md5-cache): Gentoo, LiGurOS, GURU", NULL},
    {"gentoo-md5cache-xml", pf_parse_gentoo_md5cache,
     "Gentoo tree tarball, packages without metadata.xml dropped (Science overlay)", "xml"},
    {"gentoo-md5cache-lax", pf_parse_gentoo_md5cache,
     "Gentoo tree tarball, ebuilds without md5-cache kept (Pentoo, Calculate)", "lax"},
    {"openbsd-sqlports", pf_parse_openbsd_sqlports,
     "OpenBSD sqlports SQLite database (or the sqlports-<v>.tgz package)", NULL},
    {"solus-eopkg", pf_parse_solus_eopkg, "Solus eopkg-index.xml", NULL},
    {"cygwin-json", pf_parse_cygwin_json, "Cygwin packages.json", NULL},
    {"homebrew-cask-json", pf_parse_homebrew_cask_json, "Homebrew Casks cask.json", NULL},
    {NULL, NULL, NULL, NULL},
};

/* Look a format up by its catalog name; NULL when unknown or name is NULL. */
const pf_format *pf_format_find(const char *name)
{
    if (!name)
        return NULL;
    for (const pf_format *f = pf_formats; f->name; f++)
        if (strcmp(f->name, name) == 0)
            return f;
    return NULL;
}

/* Run fmt's parser on in with its variant (format.h). */
int pf_format_parse(const pf_format *fmt, pf_reader *in, pf_emit_fn emit, void *ctx,
                    pf_parse_stats *stats, char *err, size_t errlen)
{
    return fmt->parse(in, fmt->variant, emit, ctx, stats, err, errlen);
}

/* Every known format, terminated by an entry whose name is NULL. */
const pf_format *pf_format_list(void)
{
    return pf_formats;
}

/* Fail a parse whose entries were mostly unusable (see format.h). */
int pf_parse_check_skipped(const char *fmt, const pf_parse_stats *stats, const char *what,
                           char *err, size_t errlen)
{
    if (stats->skipped == 0 || stats->skipped <= stats->records)
        return 0;
    snprintf(err, errlen, "%s: %ld of %ld %s (has the format changed?)", fmt, stats->skipped,
             stats->skipped + stats->records, what);
    return -1;
}
