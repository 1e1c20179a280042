/*
 * normalize_nix.c — nixpkgs version normalization (PF_VS_NIX).
 *
 * nixpkgs versions are upstream versions already (no epoch, no revision),
 * so the text is kept. The flags are exactly those Repology's nix parser
 * sets (repology-updater parsers/nix.py), nothing more:
 *
 *   all hex, >= 7 chars, one of a-f     -> IGNORE (a commit hash)
 *   starts with a digit, has letters and a later "-<digit>", and its
 *   letters are not one of alpha beta rc a b pre post rev q u build
 *   unstable                            -> UNTRUSTED ("1.2-foo-3")
 *
 * Dates, "-unstable-DATE" snapshots, "git-DATE" and "-wrapper" are policy:
 * the rules flag them (Repology's 899.version-fixes.global.yaml, ruleset
 * nix; pkgfresh's data/rules/899.versions.yaml).
 *
 * Pure function: writes only the caller's buffer.
 */
#include <ctype.h>
#include <string.h>

#include "pkgfresh/normalize.h"
#include "pkgfresh/record.h"

/* All lower-case hex with at least one letter a-f. */
static int nix_is_hash(const char *s, size_t n)
{
    int letter = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] >= 'a' && s[i] <= 'f')
            letter = 1;
        else if (!isdigit((unsigned char)s[i]))
            return 0;
    }
    return letter;
}

/*
 * Repology's "suspicious version" test: the lower-cased version matches
 * [0-9].*[a-z].*-[0-9] from its start, and its letters joined together are
 * not one of the known words.
 */
static int nix_suspicious(const char *s, size_t n)
{
    if (n == 0 || !isdigit((unsigned char)s[0]))
        return 0;
    size_t first_letter = n;
    for (size_t i = 1; i < n; i++)
        if (isalpha((unsigned char)s[i])) {
            first_letter = i;
            break;
        }
    int dash_digit = 0;
    for (size_t i = first_letter + 1; i + 1 < n && first_letter < n; i++)
        if (s[i] == '-' && isdigit((unsigned char)s[i + 1])) {
            dash_digit = 1;
            break;
        }
    if (!dash_digit)
        return 0;
    char letters[32];
    size_t ln = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isalpha((unsigned char)s[i]))
            continue;
        if (ln + 1 >= sizeof letters)
            return 1; /* far longer than any whitelisted word */
        letters[ln++] = (char)tolower((unsigned char)s[i]);
    }
    letters[ln] = '\0';
    static const char *const ok[] = {"alpha", "beta", "rc", "a", "b",     "pre",
                                     "post",  "rev",  "q",  "u", "build", "unstable"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        if (strcmp(letters, ok[i]) == 0)
            return 0;
    return 1;
}

/* Normalize a nixpkgs version (see file comment). Returns the length written. */
size_t pf_normalize_nix(const char *raw, char *out, size_t outlen, unsigned *flags)
{
    unsigned dummy = 0;
    if (!flags)
        flags = &dummy;
    const char *v = raw ? raw : "";
    size_t n = strlen(v);

    if (n >= 7 && nix_is_hash(v, n))
        *flags |= PF_F_IGNORE;
    if (nix_suspicious(raw ? raw : "", raw ? strlen(raw) : 0))
        *flags |= PF_F_UNTRUSTED;

    if (outlen == 0)
        return 0;
    if (n >= outlen)
        n = outlen - 1;
    memcpy(out, v, n);
    out[n] = '\0';
    return n;
}
