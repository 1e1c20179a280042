/*
 * names.h — realistic package names for the synthetic databases (bench/gen_db).
 *
 * The real snapshots in ../shared/realdata (Debian unstable, nixpkgs, Alpine,
 * Void, Homebrew) are parsed with pkgfresh's own parsers; each name is split
 * into a language kind and a base ("python-requests" in Debian, "py3-requests"
 * in Alpine, "python3.8-requests" in nixpkgs are all (python, requests)).
 * Distinct (kind, base) pairs, the most widespread first, are the projects;
 * each family then spells a project its own way ("libfoo-bar-perl",
 * "perl-Foo-Bar", "p5-Foo-Bar", "python312Packages.foo"), so a real ruleset
 * has real work to do on a generated universe.
 * Ownership: a gn_names owns its strings; free with gn_free.
 */
#ifndef PKGFRESH_BENCH_NAMES_H
#define PKGFRESH_BENCH_NAMES_H

#include <stddef.h>
#include <stdint.h>

/* Language kinds a family spells differently. */
enum gn_kind { GN_PLAIN, GN_PY, GN_PERL, GN_RUBY, GN_NODE, GN_R, GN_HS, GN_NKINDS };

typedef struct gn_names {
    char **base;         /* base names, most widespread first */
    unsigned char *kind; /* enum gn_kind of each */
    size_t n;
} gn_names;

/* Read the snapshots below dir (the realdata folder). Returns the number of
 * distinct names (0 when no snapshot is there), or -1 with a message. */
long gn_load(gn_names *nm, const char *dir, char *err, size_t errlen);
void gn_free(gn_names *nm);

/* Base name and kind of project i of a universe: the real names first, then
 * real names with a derived suffix ("requests-ng", "curl-extras2"), then
 * syllables when there are no real names. out holds at least 96 bytes. */
void gn_project(const gn_names *nm, uint32_t i, char *out, size_t outlen, int *kind);

/* Naming habit of a family (index into the habit table; unknown families
 * spell like Debian's neighbours: plain and "python-foo"). */
int gn_habit(const char *family);

/* Source name and binary name (nixpkgs: the attribute path and pname, as
 * the nix-json parser stores them) of a project of the given kind and base
 * in a family with habit h. */
void gn_spell(int habit, int kind, const char *base, char *src, size_t srclen, char *bin,
              size_t binlen);

#endif
