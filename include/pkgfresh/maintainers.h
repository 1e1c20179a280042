/*
 * maintainers.h — maintainer e-mail addresses from free text, as Repology
 * reads them (repology/parsers/maintainers.py: extract_maintainers).
 *
 * Several index formats carry a maintainer as prose: "Jane Doe
 * <Jane@Example.org>", "a@b.org, c@d.org", "John (jd at example dot org)".
 * Repology keeps only what is clearly an address: the text is lower-cased
 * and split at ','; in each part, a word in angle brackets that looks like
 * an address is taken, a bare address-looking word only when the part has no
 * other words (an obfuscated address hides among words). The result is a
 * sorted set.
 *
 * Shared by the formats whose maintainers are prose (json-export dialects,
 * MSYS2's %PACKAGER%); pf_extract_email (archive.h) takes one address out of
 * one "Name <addr>" value instead.
 */
#ifndef PKGFRESH_MAINTAINERS_H
#define PKGFRESH_MAINTAINERS_H

#include <stddef.h>

/*
 * Append the addresses found in s[0..n) to the comma-separated list
 * *list (a malloc'd string of *len bytes, capacity *cap; all three start
 * as NULL/0/0), lower-cased, sorted within s, without duplicates of
 * addresses already in the list. Returns the number of addresses added,
 * or -1 when out of memory (the list stays valid).
 */
int pf_maint_extract(const char *s, size_t n, char **list, size_t *len, size_t *cap);

/*
 * Append one address, lower-cased, unless empty, holding a ',' or a
 * space, or already in the list. Returns 1 added, 0 not, -1 out of memory.
 */
int pf_maint_add(const char *addr, size_t n, char **list, size_t *len, size_t *cap);

#endif
