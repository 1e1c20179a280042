/*
 * formats.c — the table of index-format parsers (format.h).
 *
 * One entry per crawler/fmt_<name>.c. The catalog validates its "format:"
 * values against this table, and the crawler picks the parser from it.
 * Invariant: the table ends with a zero entry (name == NULL).
 */
#include <string.h>

#include "pkgfresh/format.h"

static const pf_format pf_formats[] = {
    {"deb-sources", pf_parse_deb_sources,
     "Debian/Ubuntu source index (dists/<suite>/<component>/source/Sources)"},
    {"rpm-md", pf_parse_rpm_md,
     "rpm-md repository (repodata/repomd.xml -> primary.xml): Fedora, CentOS, openSUSE"},
    {"arch-db", pf_parse_arch_db, "Arch Linux repository database (<repo>.db tar of desc files)"},
    {"apkindex", pf_parse_apkindex, "Alpine APKINDEX.tar.gz"},
    {"void-repodata", pf_parse_void_repodata, "Void Linux <arch>-repodata (index.plist)"},
    {"nix-json", pf_parse_nix_json, "nixpkgs packages.json (version 2)"},
    {"homebrew-json", pf_parse_homebrew_json, "Homebrew formula.json"},
    {"freebsd-index", pf_parse_freebsd_index, "FreeBSD ports INDEX-NN"},
    {"slackware", pf_parse_slackware, "Slackware PACKAGES.TXT"},
    {"tsv", pf_parse_tsv, "name<TAB>version[<TAB>...] lines, for your own repositories"},
    {NULL, NULL, NULL},
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

/* Every known format, terminated by an entry whose name is NULL. */
const pf_format *pf_format_list(void)
{
    return pf_formats;
}
