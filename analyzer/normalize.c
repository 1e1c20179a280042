/*
 * normalize.c — per-family version normalization (normalize.h).
 *
 * Turns the version an index carries into the version that is compared, plus
 * the flags the cleanup implies, following Repology's parsers
 * (repology-model.md §3). Pure functions: the only memory written is the
 * caller's output buffer, which is always NUL-terminated (when outlen > 0).
 *
 * Debian (PF_VS_DEBIAN), after Repology's DebianVersionParser:
 *   1. Drop the epoch (up to the first ':') and the Debian revision (from the
 *      last '-').
 *   2. "really" anywhere (1.2+really1.1, 5.10.0really5.9) makes the version
 *      INCORRECT; only the text before it is kept.
 *   3. Split the rest at runs of '+', '~', '-' into a base and parts; a run
 *      is classified by its first character ("+~cs1.2" is a '+' part).
 *      - "+~" starts the bundled-component versions (mk-origtargz,
 *        "6.3.0+~cs7.0.4", "2.2.1+~2.2.0"): it and all after it are dropped.
 *      - A part whose leading word is packaging garbage (dfsg, ds, repack,
 *        nmu, debian, deb, ubuntu, build, mx, pristine, stable, orig, cs) is
 *        dropped: "+dfsg1", "~ds", "+deb12u1", "+~cs1.2.3", "-stable2".
 *      - "~alpha/beta/rc/pre/dev" and "~a1"/"~b1" are kept as "-word" and
 *        make the version DEVEL ("1.0~rc1" -> "1.0-rc1").
 *      - Any other "~x" means "before x": the version is INCORRECT (IGNORE
 *        when the base is 0, the usual "0~20200101" snapshot); it and all
 *        that follows are dropped.
 *      - "+post..." is kept as is. Any other "+x" is a post-release snapshot:
 *        IGNORE, plus ANY_IS_PATCH when it starts with a letter
 *        ("+git20210101" must compare above the release it follows); kept.
 *      - "-x" inside the upstream version is kept ("2.00-04"); devel words
 *        make it DEVEL.
 *   4. Inside a part, a garbage word glued to the end ("0.10.dfsg1",
 *      "1.0.orig", "0.0.14ubuntu3", "0.0.6.5stable") is cut off; a garbage
 *      word followed by more version ("1.0dfsg.a2") or "is" between digits
 *      ("1.2is1.1") is INCORRECT, cut there.
 * "+~" components and "cs" are our addition to Repology's rules: without
 * them ~600 node/go packages per Debian release would be IGNOREd although
 * their main version is exact. Garbage glued into '+' parts is only cut at
 * the end, never INCORRECT (hashes like "deb8c38").
 *
 * Other schemes: ARCH cuts the pkgrel at the first '-', the epoch at ':' and
 * anything after '+'; ALPINE strips a trailing "-rN"; FREEBSD drops
 * ",PORTEPOCH" then "_PORTREVISION"; GENTOO cuts at the first '-'; OPENBSD
 * drops a trailing "vN" then "pN"; PLAIN keeps the version.
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

/* ---- Debian ------------------------------------------------------------ */

static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_debsep(char c)
{
    return c == '+' || c == '~' || c == '-';
}

/* Case-insensitive search for word in s[0..n); offset or SIZE_MAX. */
static size_t find_ci(const char *s, size_t n, const char *word)
{
    size_t w = strlen(word);
    for (size_t i = 0; i + w <= n; i++)
        if (strncasecmp(s + i, word, w) == 0)
            return i;
    return SIZE_MAX;
}

/* Does the letter run w[0..n) equal word (case-insensitive)? */
static int word_is(const char *w, size_t n, const char *word)
{
    return strlen(word) == n && strncasecmp(w, word, n) == 0;
}

/* Does the letter run w[0..n) start with prefix (case-insensitive)? */
static int word_starts(const char *w, size_t n, const char *prefix)
{
    size_t p = strlen(prefix);
    return n >= p && strncasecmp(w, prefix, p) == 0;
}

/*
 * Is the letter run w[0..n) a packaging garbage word? whole_part: the run
 * starts a '+'/'~'/'-' part (then "cs" counts too; glued inside a part it
 * would be too easily a real version word).
 */
static int is_garbage(const char *w, size_t n, int whole_part)
{
    static const char *const words[] = {"dfsg",   "ds",    "repack", "nmu",      "debian", "deb",
                                        "ubuntu", "build", "mx",     "pristine", "stable", "orig"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (word_is(w, n, words[i]))
            return 1;
    return whole_part && word_is(w, n, "cs");
}

/*
 * Is the part p[0..n), led by a letter run of length l, a devel marker (rc1,
 * beta, dev, pre2)? short_ab: also "a1"/"b2" (after '~' only; "-b003" is
 * more often a build number).
 */
static int is_devel(const char *p, size_t n, size_t l, int short_ab)
{
    if (l == 0)
        return 0;
    if (word_is(p, l, "alpha") || word_is(p, l, "beta") || word_is(p, l, "rc") ||
        word_starts(p, l, "pre") || word_starts(p, l, "dev"))
        return 1;
    /* "~a1", "~b2": one letter directly followed by a digit. */
    return short_ab && l == 1 && l < n && is_digit(p[1]) && (p[0] == 'a' || p[0] == 'b');
}

/*
 * Length of the part p[0..n) after cutting embedded garbage: a garbage word
 * ending the part (only digits and dots after it) is cut with the dots before
 * it; a garbage word with more after it, or "is" between digits, is
 * INCORRECT: *stop is set and the part is cut there. tail_only: only the
 * first rule (snapshot parts carry hashes such as "deb8c38").
 */
static size_t clean_part(const char *p, size_t n, int tail_only, unsigned *flags, int *stop)
{
    size_t i = 0;
    while (i < n) {
        if (!is_alpha(p[i])) {
            i++;
            continue;
        }
        size_t w = i;
        while (i < n && is_alpha(p[i]))
            i++;
        size_t wl = i - w;
        int is_word =
            w > 0 && is_digit(p[w - 1]) && i < n && is_digit(p[i]) && word_is(p + w, wl, "is");
        if (is_word || is_garbage(p + w, wl, 0)) {
            size_t k = i;
            while (k < n && (is_digit(p[k]) || p[k] == '.'))
                k++;
            if (tail_only && (is_word || k < n))
                continue; /* e.g. a commit hash "deb8c38" in a snapshot part */
            if (is_word || k < n) {
                *flags |= PF_F_INCORRECT;
                *stop = 1;
            }
            size_t cut = w;
            while (cut > 0 && (p[cut - 1] == '.' || p[cut - 1] == '_'))
                cut--;
            return cut;
        }
    }
    return n;
}

/* Emit part p[0..n) after separator sep ('\0' for the base), cleaned. Sets *stop on INCORRECT. */
static void put_part(nbuf *b, char sep, const char *p, size_t n, unsigned *flags, int *stop)
{
    size_t len = clean_part(p, n, sep == '+', flags, stop);
    if (len == 0)
        return;
    if (sep && b->len > 0)
        nb_put(b, &sep, 1);
    nb_put(b, p, len);
}

/* Length of s[0..n) without trailing separators and a trailing "is" ("1.3.0+is-" -> "1.3.0"). */
static size_t trim_really_tail(const char *s, size_t n)
{
    while (n > 0 && !is_alpha(s[n - 1]) && !is_digit(s[n - 1]))
        n--;
    if (n >= 3 && strncasecmp(s + n - 2, "is", 2) == 0 && !is_alpha(s[n - 3]) &&
        !is_digit(s[n - 3])) {
        n -= 2;
        while (n > 0 && !is_alpha(s[n - 1]) && !is_digit(s[n - 1]))
            n--;
    }
    return n;
}

/* Debian/Ubuntu normalization; see the file comment for the rules. */
static size_t norm_debian(const char *raw, char *out, size_t outlen, unsigned *flags)
{
    const char *s = raw;
    size_t n = strlen(raw);
    const char *colon = memchr(s, ':', n);
    if (colon) {
        n -= (size_t)(colon + 1 - s);
        s = colon + 1;
    }
    const char *dash = memrchr(s, '-', n);
    if (dash)
        n = (size_t)(dash - s);
    size_t really = find_ci(s, n, "really");
    if (really != SIZE_MAX) {
        *flags |= PF_F_INCORRECT;
        n = trim_really_tail(s, really);
    }

    nbuf b = {out, outlen, 0};
    if (outlen > 0)
        out[0] = '\0';
    int stop = 0;
    int base_zero = 1; /* the base holds only zeros and dots */
    size_t i = 0;
    char sep = '\0';
    while (!stop) {
        size_t j = i;
        while (j < n && !is_debsep(s[j]))
            j++;
        const char *p = s + i;
        size_t plen = j - i;
        size_t l = 0;
        while (l < plen && is_alpha(p[l]))
            l++;
        if (sep == '\0') {
            for (size_t k = 0; k < plen; k++)
                if (p[k] != '0' && p[k] != '.')
                    base_zero = 0;
            put_part(&b, '\0', p, plen, flags, &stop);
        } else if (plen == 0 || (l > 0 && is_garbage(p, l, 1))) {
            /* empty part or packaging garbage: dropped */
        } else if (sep == '~') {
            if (is_devel(p, plen, l, 1)) {
                *flags |= PF_F_DEVEL;
                put_part(&b, '-', p, plen, flags, &stop);
            } else {
                *flags |= base_zero ? PF_F_IGNORE : PF_F_INCORRECT;
                stop = 1;
            }
        } else if (sep == '+') {
            if (!word_starts(p, l, "post")) {
                *flags |= PF_F_IGNORE;
                if (l > 0)
                    *flags |= PF_F_ANY_IS_PATCH;
            }
            put_part(&b, '+', p, plen, flags, &stop);
        } else {
            if (is_devel(p, plen, l, 0))
                *flags |= PF_F_DEVEL;
            put_part(&b, '-', p, plen, flags, &stop);
        }
        if (j >= n)
            break;
        sep = s[j];
        if (sep == '+' && j + 1 < n && s[j + 1] == '~')
            break; /* "+~cs1.2", "+~2.2.0": bundled components follow, not ours */
        while (j < n && is_debsep(s[j]))
            j++;
        i = j;
    }
    /* No trailing separator ("0.13.1.+~cs2.19" -> "0.13.1"). */
    while (b.len > 0 && !is_alpha(out[b.len - 1]) && !is_digit(out[b.len - 1]))
        out[--b.len] = '\0';
    return b.len;
}

/* ---- simple schemes ---------------------------------------------------- */

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
        return norm_debian(raw, out, outlen, flags);
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
    case PF_VS_PLAIN:
    default:
        return put_result(raw, strlen(raw), out, outlen);
    }
}
