/*
 * version.h — libversion-compatible version comparison.
 *
 * Implements ../../docs/version-algorithm.md exactly: every string is a valid
 * version, comparison never allocates, runs in O(len) and handles numbers of
 * any length. Flags belong to one argument.
 */
#ifndef PKGFRESH_VERSION_H
#define PKGFRESH_VERSION_H

#include <stddef.h>

enum pf_vflag {
    PF_V_P_IS_PATCH = 1u << 0,   /* a lone "p" is a post-release keyword */
    PF_V_ANY_IS_PATCH = 1u << 1, /* unknown words are post-release */
    PF_V_LOWER_BOUND = 1u << 2,  /* lowest version with this prefix */
    PF_V_UPPER_BOUND = 1u << 3,  /* highest version with this prefix */
};

/* Compare two NUL-terminated versions without flags: -1, 0 or +1. */
int pf_vercmp(const char *a, const char *b);

/* Compare with per-argument flags (PF_V_*): -1, 0 or +1. */
int pf_vercmp4(const char *a, const char *b, unsigned fa, unsigned fb);

/* Same as pf_vercmp4 on counted strings (no NUL needed). */
int pf_vercmp_n(const char *a, size_t alen, const char *b, size_t blen, unsigned fa, unsigned fb);

/*
 * Parse a comma list of flag names ("p_is_patch,any_is_patch,lower_bound,
 * upper_bound"; case-insensitive; "-" or "" = none) into *out.
 * Returns 0, or -1 naming nothing (caller reports the bad list).
 */
int pf_vflags_parse(const char *list, unsigned *out);

#endif
