/*
 * rpkg.h — a rules input for the rules tests: a Debian-like package.
 */
#ifndef PKGFRESH_TEST_RPKG_H
#define PKGFRESH_TEST_RPKG_H

#include "pkgfresh/rules.h"

/* Fill p with defaults (repository "test", family debuntu, rulesets
 * debuntu and debian) and the given name and version. */
void tu_rpkg_debian(pf_rpkg *p, const char *name, const char *version);

#endif
