/*
 * rpkg.h — for the rules tests: a Debian-like package as rules input, and
 * a ruleset written from text.
 */
#ifndef PKGFRESH_TEST_RPKG_H
#define PKGFRESH_TEST_RPKG_H

#include "pkgfresh/rules.h"

/* Fill p with defaults (repository "test", family debuntu, rulesets
 * debuntu and debian) and the given name and version. */
void tu_rpkg_debian(pf_rpkg *p, const char *name, const char *version);

/* Write yaml as rules.yaml of a fresh temp dir (tu_tmpdir(tag)); the dir. */
const char *tu_rules_write(const char *tag, const char *yaml);

/* tu_rules_write, then load the dir (NULL and err on failure). */
pf_rules *tu_rules_load_text(const char *tag, const char *yaml, char *err, size_t errlen);

#endif
