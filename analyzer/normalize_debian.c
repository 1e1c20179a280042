/*
 * normalize_debian.c — Debian/Ubuntu version normalization (PF_VS_DEBIAN).
 *
 * Yields exactly what Repology's Debian version parser yields
 * (repology-updater repology/parsers/versions.py, parse_debian_version;
 * repology-model.md §3), nothing more: policy beyond it (bundled-component
 * "+~cs" suffixes, "+really", ...) lives in the rules (data/rules/).
 *
 *   1. Drop the epoch (up to the first ':') and the revision (from the last
 *      '-').
 *   2. Cut the rest before every '+', '~' or '-': a base and parts that each
 *      start with one separator ("1.0+~cs2" -> "1.0", "+", "~cs2").
 *   3. Each part, in order (case-insensitive matches, whole part):
 *      - garbage, sep + (dfsg|nmu|repack|ds|debian|mx|pristine|stable|
 *        ubuntu) + [.0-9]*: dropped ("+dfsg1", "~ds", "+debian2");
 *      - a long pre-release, sep + (alpha|beta|rc|dev|pre[a-z]*) + [.0-9]*,
 *        or a short one, "~" + [ab] + up to two digits: kept, DEVEL;
 *      - a post-release, [+-] + post[a-z]* + [.0-9]*: kept;
 *      - any other "~x": kept, IGNORE when the base compares equal to 0
 *        ("0~git2021"), else INCORRECT (a made-up future version);
 *      - anything else is a post-release snapshot: kept, IGNORE; also
 *        ANY_IS_PATCH when it is "+" and a letter and the first kept part
 *        with a letter ("1.1+git2021" compares above "1.1").
 *   4. If the result still contains one of the garbage words, "is" or
 *      "real" (case-sensitive, anywhere: "1.1.2dfsg3", "2really1"), it is
 *      INCORRECT.
 * The separators stay as they are: "1.5~rc2" is kept as "1.5~rc2".
 * Pure function: writes only the caller's buffer.
 */
#include <string.h>
#include <strings.h>

#include "pkgfresh/normalize.h"
#include "pkgfresh/record.h"
#include "pkgfresh/version.h"

/* The garbage words of step 3 and 4 (Repology's list, in its order). */
static const char *const deb_garbage[] = {"dfsg", "nmu",      "repack", "ds",    "debian",
                                          "mx",   "pristine", "stable", "ubuntu"};

/* Is c one of the part separators '+', '~', '-'? */
static int deb_is_sep(char c)
{
    return c == '+' || c == '~' || c == '-';
}

/* Is c an ASCII letter? */
static int deb_is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Does p[0..n) consist of digits and dots only (the [.0-9]* tails)? */
static int deb_dots_digits(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != '.' && (p[i] < '0' || p[i] > '9'))
            return 0;
    return 1;
}

/* Letters at the start of p[0..n): their count. */
static size_t deb_letters(const char *p, size_t n)
{
    size_t l = 0;
    while (l < n && deb_is_alpha(p[l]))
        l++;
    return l;
}

/* Does the word w (case-insensitive) start p[0..n), with only [.0-9]* after it? */
static int deb_word_then_num(const char *p, size_t n, const char *w)
{
    size_t k = strlen(w);
    return n >= k && strncasecmp(p, w, k) == 0 && deb_dots_digits(p + k, n - k);
}

/*
 * Does w (case-insensitive) start p[0..n), followed by more letters and then
 * [.0-9]* only ("pre[a-z]*", "post[a-z]*")?
 */
static int deb_prefix_then_num(const char *p, size_t n, const char *w)
{
    size_t k = strlen(w);
    if (n < k || strncasecmp(p, w, k) != 0)
        return 0;
    size_t l = deb_letters(p, n);
    return deb_dots_digits(p + l, n - l);
}

/* Part body p[0..n) (separator excluded) is a garbage word plus [.0-9]*. */
static int deb_part_garbage(const char *p, size_t n)
{
    for (size_t i = 0; i < sizeof deb_garbage / sizeof deb_garbage[0]; i++)
        if (deb_word_then_num(p, n, deb_garbage[i]))
            return 1;
    return 0;
}

/* Part body is a long pre-release marker: (alpha|beta|rc|dev|pre[a-z]*)[.0-9]*. */
static int deb_part_prerelease(const char *p, size_t n)
{
    return deb_word_then_num(p, n, "alpha") || deb_word_then_num(p, n, "beta") ||
           deb_word_then_num(p, n, "rc") || deb_word_then_num(p, n, "dev") ||
           deb_prefix_then_num(p, n, "pre");
}

/* Part body after '~' is a short pre-release marker: [ab][0-9]{0,2}. */
static int deb_part_short_pre(const char *p, size_t n)
{
    if (n < 1 || n > 3 || (p[0] != 'a' && p[0] != 'b' && p[0] != 'A' && p[0] != 'B'))
        return 0;
    for (size_t i = 1; i < n; i++)
        if (p[i] < '0' || p[i] > '9')
            return 0;
    return 1;
}

/* Does s[0..n) contain word w (case-sensitive)? */
static int deb_contains(const char *s, size_t n, const char *w)
{
    size_t k = strlen(w);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(s + i, w, k) == 0)
            return 1;
    return 0;
}

/* Step 4: garbage that cannot be separated from the version. */
static int deb_embedded_garbage(const char *s, size_t n)
{
    for (size_t i = 0; i < sizeof deb_garbage / sizeof deb_garbage[0]; i++)
        if (deb_contains(s, n, deb_garbage[i]))
            return 1;
    return deb_contains(s, n, "is") || deb_contains(s, n, "real");
}

/* Append s[0..n) to out (capacity outlen, NUL kept), truncating. */
static void deb_put(char *out, size_t outlen, size_t *len, const char *s, size_t n)
{
    if (outlen == 0)
        return;
    size_t room = outlen - 1 - *len;
    if (n > room)
        n = room;
    memcpy(out + *len, s, n);
    *len += n;
    out[*len] = '\0';
}

/* Normalize a Debian version (see the file comment). Returns the length written. */
size_t pf_normalize_debian(const char *raw, char *out, size_t outlen, unsigned *flags)
{
    const char *s = raw ? raw : "";
    size_t n = strlen(s);
    const char *colon = memchr(s, ':', n);
    if (colon) {
        n -= (size_t)(colon + 1 - s);
        s = colon + 1;
    }
    const char *dash = memrchr(s, '-', n);
    if (dash)
        n = (size_t)(dash - s);

    size_t len = 0;
    if (outlen > 0)
        out[0] = '\0';
    size_t base = 0;
    while (base < n && !deb_is_sep(s[base]))
        base++;
    deb_put(out, outlen, &len, s, base);
    /* Does the base compare equal to "0" (libversion: "0", "0.0", "")? */
    int base_zero = pf_vercmp_n(s, base, "0", 1, 0, 0) == 0;
    size_t alpha_parts = 0;
    size_t i = base;
    while (i < n) {
        char sep = s[i];
        size_t j = i + 1;
        while (j < n && !deb_is_sep(s[j]))
            j++;
        const char *p = s + i + 1; /* the part's body, after its separator */
        size_t pl = j - i - 1;
        i = j;
        if (deb_part_garbage(p, pl))
            continue;
        int first_alpha = 0;
        for (size_t k = 0; k < pl; k++)
            if (deb_is_alpha(p[k])) {
                first_alpha = alpha_parts == 0;
                alpha_parts++;
                break;
            }
        if (deb_part_prerelease(p, pl) || (sep == '~' && deb_part_short_pre(p, pl))) {
            *flags |= PF_F_DEVEL;
        } else if (sep != '~' && deb_prefix_then_num(p, pl, "post")) {
            /* a meaningful post-release part */
        } else if (sep == '~') {
            *flags |= base_zero ? PF_F_IGNORE : PF_F_INCORRECT;
        } else {
            if (first_alpha && sep == '+' && pl > 0 && deb_is_alpha(p[0]))
                *flags |= PF_F_ANY_IS_PATCH;
            *flags |= PF_F_IGNORE;
        }
        deb_put(out, outlen, &len, p - 1, pl + 1);
    }
    if (deb_embedded_garbage(out, len))
        *flags |= PF_F_INCORRECT;
    return len;
}
