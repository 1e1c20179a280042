/*
 * normalize.h — per-family version normalization (repology-model.md §3).
 *
 * Turns a version as found in an index into the version that is compared
 * (epoch, distro revision and packaging garbage removed) plus the flags the
 * cleanup implies (DEVEL for ~rc, IGNORE for snapshots, ...). Pure functions:
 * no allocation beyond the caller's buffer.
 */
#ifndef PKGFRESH_NORMALIZE_H
#define PKGFRESH_NORMALIZE_H

#include <stddef.h>

/* Which normalizer a repository uses (from its catalog format). */
typedef enum pf_vscheme {
    PF_VS_PLAIN = 0, /* taken as is */
    PF_VS_DEBIAN,    /* deb-sources */
    PF_VS_RPM,
    PF_VS_ARCH,
    PF_VS_ALPINE,
    PF_VS_FREEBSD,
    PF_VS_NIX,
    PF_VS_HOMEBREW,
    PF_VS_VOID,     /* void-repodata: strip the _revision */
    PF_VS_EPOCH,    /* spack-json, aosc-json: drop through the first ':' */
    PF_VS_TERMUX,   /* termux-json: drop through the last ':' */
    PF_VS_PACSTALL, /* pacstall-json: cut at the last '-', then drop through the first ':' */
    PF_VS_MSYS2,    /* msys2-db: cut at the last '-', then drop through the first '~' */
    PF_VS_PKGSRC,   /* pkgsrc-index: cut the PKGREVISION at the last "nb" */
    PF_VS_MACPORTS, /* macports-json: cut at the last '+' */
    PF_VS_GENTOO,   /* gentoo-md5cache: cut at the first '-' (the -rN revision) */
    PF_VS_OPENBSD,  /* openbsd-sqlports: strip a trailing vN (epoch), then pN (revision) */
    PF_VS_CYGWIN,   /* cygwin-json: cut the -release; pre-releases -> -rcN + DEVEL */
    PF_VS_COUNT     /* number of schemes (keep last) */
} pf_vscheme;

/* Scheme for a catalog format name ("deb-sources" -> PF_VS_DEBIAN). */
pf_vscheme pf_vscheme_for_format(const char *format);

/*
 * Does the scheme's project seed come from the package name (the first of
 * binnames) rather than srcname? The ports formats (FreeBSD, OpenBSD, pkgsrc,
 * MacPorts) put the port directory in srcname, and Repology seeds from the
 * package name ("py312-requests", not "python/py-requests"); nix-json puts
 * the attribute path in srcname and pname in binnames.
 */
int pf_vscheme_seeds_from_binname(pf_vscheme scheme);

/*
 * Normalize raw into out (NUL-terminated, truncated to outlen-1) and OR the
 * implied PF_F_* flags into *flags. Returns the length written.
 */
size_t pf_normalize_version(pf_vscheme scheme, const char *raw, char *out, size_t outlen,
                            unsigned *flags);

/* Scheme implementations that live in their own files (analyzer/normalize_<scheme>.c). */
size_t pf_normalize_debian(const char *raw, char *out, size_t outlen, unsigned *flags);
size_t pf_normalize_rpm(const char *raw, char *out, size_t outlen, unsigned *flags);
size_t pf_normalize_nix(const char *raw, char *out, size_t outlen, unsigned *flags);
size_t pf_normalize_homebrew(const char *raw, char *out, size_t outlen, unsigned *flags);
size_t pf_normalize_void(const char *raw, char *out, size_t outlen, unsigned *flags);
size_t pf_normalize_cygwin(const char *raw, char *out, size_t outlen, unsigned *flags);
/* The separator strippers of Repology's VersionStripper (PF_VS_EPOCH ... PF_VS_MSYS2, PF_VS_PKGSRC,
 * PF_VS_MACPORTS). */
size_t pf_normalize_strip(pf_vscheme scheme, const char *raw, char *out, size_t outlen);

#endif
