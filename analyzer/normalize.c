/*
 * normalize.c — per-family version normalization (normalize.h).
 *
 * Turns the version an index carries into the version that is compared, plus
 * the flags the cleanup implies, following Repology's parsers
 * (repology-model.md §3). Pure functions: the only memory written is the
 * caller's output buffer, which is always NUL-terminated (when outlen > 0).
 *
 * Debian (PF_VS_DEBIAN) lives in normalize_debian.c, RPM, nixpkgs, Homebrew
 * and Void in their own files too.
 *
 * Other schemes: ARCH cuts the pkgrel at the first '-', the epoch at ':' and
 * anything after '+'; ALPINE strips a trailing "-rN" (Exherbo's -rN too);
 * FREEBSD drops ",PORTEPOCH" then "_PORTREVISION"; EPOCH, TERMUX, PACSTALL,
 * MSYS2, PKGSRC and MACPORTS cut at separators (normalize_strip.c); GENTOO
 * cuts at the first '-'; OPENBSD drops a trailing "vN" then "pN"; CYGWIN
 * (normalize_cygwin.c) cuts the release; PLAIN keeps the version. The AUR
 * uses ARCH and ALT uses RPM (their parsers emit the same raw forms).
 */
#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "pkgfresh/normalize.h"
#include "pkgfresh/record.h"

/* Scheme for a catalog format name; unknown formats compare versions as they are. */
pf_vscheme pf_vscheme_for_format(const char *format)
{
    static const struct {
        const char *format;
        pf_vscheme scheme;
    } map[] = {
        {"deb-sources", PF_VS_DEBIAN},
        {"rpm-md", PF_VS_RPM},
        {"arch-db", PF_VS_ARCH},
        {"apkindex", PF_VS_ALPINE},
        {"freebsd-index", PF_VS_FREEBSD},
        {"nix-json", PF_VS_NIX},
        {"homebrew-json", PF_VS_HOMEBREW},
        {"void-repodata", PF_VS_VOID},
        {"msys2-db", PF_VS_MSYS2},
        {"apkindex-text", PF_VS_ALPINE},
        {"termux-json", PF_VS_TERMUX},
        {"spack-json", PF_VS_EPOCH},
        {"aosc-json", PF_VS_EPOCH},
        {"exherbo-json", PF_VS_ALPINE},
        {"pacstall-json", PF_VS_PACSTALL},
        {"aur-json", PF_VS_ARCH},
        {"alt-json", PF_VS_RPM},
        {"pkgsrc-index", PF_VS_PKGSRC},
        {"macports-json", PF_VS_MACPORTS},
        {"gentoo-md5cache", PF_VS_GENTOO},
        {"gentoo-md5cache-xml", PF_VS_GENTOO},
        {"gentoo-md5cache-lax", PF_VS_GENTOO},
        {"openbsd-sqlports", PF_VS_OPENBSD},
        {"cygwin-json", PF_VS_CYGWIN},
    };
    if (!format)
        return PF_VS_PLAIN;
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(map[i].format, format) == 0)
            return map[i].scheme;
    return PF_VS_PLAIN;
}

/* Project seed from binnames for the ports schemes (normalize.h). */
int pf_vscheme_seeds_from_binname(pf_vscheme scheme)
{
    return scheme == PF_VS_FREEBSD || scheme == PF_VS_OPENBSD || scheme == PF_VS_PKGSRC ||
           scheme == PF_VS_MACPORTS || scheme == PF_VS_NIX;
}

/* Bounded writer into the caller's buffer. Invariant: len <= cap - 1 when cap > 0. */
typedef struct nbuf {
    char *p;
    size_t cap, len;
} nbuf;

/* Append n bytes, silently truncating at cap - 1. */
static void nb_put(nbuf *b, const char *s, size_t n)
{
    if (b->cap == 0)
        return;
    size_t room = b->cap - 1 - b->len;
    if (n > room)
        n = room;
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

/* Copy s[0..n) as the whole result. */
static size_t put_result(const char *s, size_t n, char *out, size_t outlen)
{
    nbuf b = {out, outlen, 0};
    if (outlen > 0)
        out[0] = '\0';
    nb_put(&b, s, n);
    return b.len;
}

/* ---- simple schemes ---------------------------------------------------- */

/* Is c an ASCII digit? */
static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Arch: "1:1.2.8-7" -> "1.2.8": cut pkgrel at the first '-', epoch, then at the first '+'. */
static size_t norm_arch(const char *raw, char *out, size_t outlen)
{
    const char *s = raw;
    size_t n = strcspn(s, "-");
    const char *colon = memchr(s, ':', n);
    if (colon) {
        n -= (size_t)(colon + 1 - s);
        s = colon + 1;
    }
    const char *plus = memchr(s, '+', n);
    if (plus)
        n = (size_t)(plus - s);
    return put_result(s, n, out, outlen);
}

/* Alpine: strip a trailing "-rN" (package release). */
static size_t norm_alpine(const char *raw, char *out, size_t outlen)
{
    size_t n = strlen(raw);
    size_t k = n;
    while (k > 0 && is_digit(raw[k - 1]))
        k--;
    if (k < n && k >= 2 && raw[k - 1] == 'r' && raw[k - 2] == '-')
        n = k - 2;
    return put_result(raw, n, out, outlen);
}

/* FreeBSD: "1.4.0_10,3" -> "1.4.0": drop ",PORTEPOCH" then "_PORTREVISION". */
static size_t norm_freebsd(const char *raw, char *out, size_t outlen)
{
    size_t n = strlen(raw);
    const char *comma = memrchr(raw, ',', n);
    if (comma)
        n = (size_t)(comma - raw);
    const char *us = memrchr(raw, '_', n);
    if (us)
        n = (size_t)(us - raw);
    return put_result(raw, n, out, outlen);
}

/* Gentoo: "8.10.1-r1" -> "8.10.1": cut at the first '-' (Repology: strip_right_greedy('-')). */
static size_t norm_gentoo(const char *raw, char *out, size_t outlen)
{
    return put_result(raw, strcspn(raw, "-"), out, outlen);
}

/* Cut a trailing <letter><digits> (one or more digits) off raw[0..n); the new length. */
static size_t cut_letter_number(const char *raw, size_t n, char letter)
{
    size_t k = n;
    while (k > 0 && is_digit(raw[k - 1]))
        k--;
    return k < n && k > 0 && raw[k - 1] == letter ? k - 1 : n;
}

/* OpenBSD: "1.2p3v1" -> "1.2": drop a trailing "vN" (package epoch), then "pN" (REVISION). */
static size_t norm_openbsd(const char *raw, char *out, size_t outlen)
{
    size_t n = cut_letter_number(raw, strlen(raw), 'v');
    return put_result(raw, cut_letter_number(raw, n, 'p'), out, outlen);
}

/* Normalize raw with scheme into out, OR-ing implied flags into *flags (see normalize.h). */
size_t pf_normalize_version(pf_vscheme scheme, const char *raw, char *out, size_t outlen,
                            unsigned *flags)
{
    unsigned dummy = 0;
    if (!flags)
        flags = &dummy;
    if (!raw)
        raw = "";
    switch (scheme) {
    case PF_VS_DEBIAN:
        return pf_normalize_debian(raw, out, outlen, flags);
    case PF_VS_ARCH:
        return norm_arch(raw, out, outlen);
    case PF_VS_ALPINE:
        return norm_alpine(raw, out, outlen);
    case PF_VS_FREEBSD:
        return norm_freebsd(raw, out, outlen);
    case PF_VS_RPM:
        return pf_normalize_rpm(raw, out, outlen, flags);
    case PF_VS_NIX:
        return pf_normalize_nix(raw, out, outlen, flags);
    case PF_VS_HOMEBREW:
        return pf_normalize_homebrew(raw, out, outlen, flags);
    case PF_VS_VOID:
        return pf_normalize_void(raw, out, outlen, flags);
    case PF_VS_GENTOO:
        return norm_gentoo(raw, out, outlen);
    case PF_VS_OPENBSD:
        return norm_openbsd(raw, out, outlen);
    case PF_VS_CYGWIN:
        return pf_normalize_cygwin(raw, out, outlen, flags);
    case PF_VS_EPOCH:
    case PF_VS_TERMUX:
    case PF_VS_PACSTALL:
    case PF_VS_MSYS2:
    case PF_VS_PKGSRC:
    case PF_VS_MACPORTS:
        return pf_normalize_strip(scheme, raw, out, outlen);
    case PF_VS_PLAIN:
    default:
        return put_result(raw, strlen(raw), out, outlen);
    }
}
