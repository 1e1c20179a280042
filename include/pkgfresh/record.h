/*
 * record.h — one package as a format parser emits it.
 *
 * Parsers fill a pf_record with pointers into their own buffers and call the
 * emit callback once per package; the pointers are valid only during the
 * call (the consumer copies what it keeps). Strings are NUL-terminated UTF-8
 * as found in the index; NULL means "absent".
 */
#ifndef PKGFRESH_RECORD_H
#define PKGFRESH_RECORD_H

#include <stddef.h>

/* Package flags, as Repology's PackageFlags: set by parsers, rules and normalization. */
enum pf_pkgflag {
    PF_F_REMOVE = 1u << 0,
    PF_F_DEVEL = 1u << 1,
    PF_F_IGNORE = 1u << 2,
    PF_F_INCORRECT = 1u << 3,
    PF_F_UNTRUSTED = 1u << 4,
    PF_F_NOSCHEME = 1u << 5,
    PF_F_ROLLING = 1u << 7,
    PF_F_SINK = 1u << 8,
    PF_F_LEGACY = 1u << 9,
    PF_F_P_IS_PATCH = 1u << 10,
    PF_F_ANY_IS_PATCH = 1u << 11,
    PF_F_TRACE = 1u << 12,
    PF_F_WEAK_DEVEL = 1u << 13,
    PF_F_STABLE = 1u << 14,
    PF_F_ALTVER = 1u << 15,
    PF_F_VULNERABLE = 1u << 16,
    PF_F_ALTSCHEME = 1u << 17,
    PF_F_NOLEGACY = 1u << 18,
    PF_F_OUTDATED = 1u << 19,
    PF_F_RECALLED = 1u << 20,
};
#define PF_F_ANY_IGNORE (PF_F_IGNORE | PF_F_INCORRECT | PF_F_UNTRUSTED | PF_F_NOSCHEME)

/* Package status, numbered as Repology's PackageStatus (0 = not classified). */
enum pf_status {
    PF_S_NONE = 0,
    PF_S_NEWEST = 1,
    PF_S_OUTDATED = 2,
    PF_S_IGNORED = 3,
    PF_S_UNIQUE = 4,
    PF_S_DEVEL = 5,
    PF_S_LEGACY = 6,
    PF_S_INCORRECT = 7,
    PF_S_UNTRUSTED = 8,
    PF_S_NOSCHEME = 9,
    PF_S_ROLLING = 10,
    PF_S_COUNT
};

/* Lower-case name of a status ("newest", ...); "unprocessed" for PF_S_NONE. */
const char *pf_status_name(int status);

/* flags as Repology's flag names in bit order, comma-separated, lower case as
 * the rules spell them ("ignore,any_is_patch"), into buf (always
 * NUL-terminated, cut at a whole name when too small: 256 bytes hold all).
 * Returns the number of names written, 0 for none (buf ""). */
size_t pf_flags_format(unsigned flags, char *buf, size_t len);

typedef struct pf_record {
    const char *srcname;     /* source package name: the project seed (required) */
    const char *binnames;    /* binary package names, space-separated */
    const char *version;     /* version exactly as in the index (required) */
    const char *maintainers; /* lower-cased e-mail addresses, comma-separated */
    const char *homepage;
    const char *license;
    const char *category; /* Debian Section, rpm group, nix attr prefix ... */
    const char *summary;
    unsigned flags; /* PF_F_* the format itself knows (e.g. ROLLING for head) */
} pf_record;

/* Receives one record; returns 0 to go on, non-zero to stop the parser. */
typedef int (*pf_emit_fn)(void *ctx, const pf_record *rec);

#endif
