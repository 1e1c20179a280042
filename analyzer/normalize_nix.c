/*
 * normalize_nix.c — nixpkgs version normalization (PF_VS_NIX).
 *
 * nixpkgs versions are upstream versions already (no epoch, no revision),
 * so the text is kept; what matters are the flags. After Repology's nix
 * parser and its nix rules (899.version-fixes.global.yaml, ruleset nix),
 * applied in this order, flags accumulating:
 *
 *   "git-2020-01-31", "hg-2020-01-31"   -> the date alone, IGNORE (snapshot)
 *   all hex, >= 7 chars, one of a-f     -> IGNORE (a commit hash)
 *   "2020-01-31" or "2020-01-31-unstable" -> UNTRUSTED (a date is no version)
 *   a date after the start ("1.2-2020-01-31", "0-unstable-2020-01-31")
 *                                       -> IGNORE (snapshot)
 *   "<v>-unstable-2020-01-31"           -> also ANY_IS_PATCH (nixpkgs
 *                                          convention: a snapshot after
 *                                          release <v>, compares above it)
 *   "unstable-2020-01-31"               -> SINK (breaks the convention)
 *   "...-wrapper", "1003.1-2008"        -> IGNORE (not versions)
 *   starts with a digit, has letters and a later "-<digit>", and its
 *   letters are not one of alpha beta rc a b pre post rev q u build
 *   unstable                            -> UNTRUSTED ("1.2-foo-3")
 *
 * Pure function: writes only the caller's buffer.
 */
#include <ctype.h>
#include <string.h>

#include "pkgfresh/normalize.h"
#include "pkgfresh/record.h"

/* Is s[0..10) a date "20YY-MM-DD" (digits only checked, as Repology's pattern)? */
static int nix_is_date(const char *s, size_t n)
{
    if (n < 10 || s[0] != '2' || s[1] != '0')
        return 0;
    static const char shape[] = "dddd-dd-dd";
    for (size_t i = 0; i < 10; i++) {
        if (shape[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != '-')
            return 0;
    }
    return 1;
}

/* Does s[0..n) hold a date at some position > 0? */
static int nix_has_later_date(const char *s, size_t n)
{
    for (size_t i = 1; i + 10 <= n; i++)
        if (nix_is_date(s + i, n - i))
            return 1;
    return 0;
}

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

/* Does s end with suffix? */
static int nix_ends(const char *s, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);
    return n >= k && memcmp(s + n - k, suffix, k) == 0;
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

    /* "git-DATE"/"hg-DATE": the date is the version, and it is a snapshot. */
    if (n == 13 && strncmp(v, "hg-", 3) == 0 && nix_is_date(v + 3, 10)) {
        v += 3;
        n = 10;
        *flags |= PF_F_IGNORE;
    } else if (n == 14 && strncmp(v, "git-", 4) == 0 && nix_is_date(v + 4, 10)) {
        v += 4;
        n = 10;
        *flags |= PF_F_IGNORE;
    }

    if (n >= 7 && nix_is_hash(v, n))
        *flags |= PF_F_IGNORE;
    if (nix_is_date(v, n) && (n == 10 || (n == 19 && strcmp(v + 10, "-unstable") == 0)))
        *flags |= PF_F_UNTRUSTED;
    if (nix_has_later_date(v, n))
        *flags |= PF_F_IGNORE;
    if (n > 20 && nix_is_date(v + n - 10, 10) && nix_ends(v, n - 10, "-unstable-") &&
        n - 10 > strlen("-unstable-"))
        *flags |= PF_F_IGNORE | PF_F_ANY_IS_PATCH;
    if (n == 19 && strncmp(v, "unstable-", 9) == 0 && nix_is_date(v + 9, 10))
        *flags |= PF_F_SINK;
    if (nix_ends(v, n, "-wrapper") || strcmp(v, "1003.1-2008") == 0)
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
