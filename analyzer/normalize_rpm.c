/*
 * normalize_rpm.c — RPM version normalization (repology-model.md §3, the
 * Fedora/CentOS/openSUSE bullet), after Repology's parse_rpm_version.
 *
 * Input is what the rpm-md parser emits: "EPOCH:VER-REL" or "VER-REL" (or a
 * bare "VER"). Steps:
 *   1. Drop the epoch (digits before the first ':').
 *   2. Split VER at the first '-' (RPM forbids '-' in Version, so the rest,
 *      even if it holds another '-', is the release).
 *   3. Cut the release into parts at distribution tags. Repology configures
 *      the tags per repository; pkgfresh knows no repository here, so one
 *      generic list is used (RPM_DIST_TAGS below): a maximal run of ASCII
 *      letters in the release equal to a tag ends the current part and is
 *      removed ("5.fc44" -> "5." + "44", "1beta3el6" -> "1beta3" + "6"); the
 *      digits after it stay, as in Repology, and are harmless since only
 *      letters, a leading "0" and 20YYMMDD dates matter below. A "module"
 *      run followed by '+' or '_' (modular builds: "1.module+el8.5.0+123+
 *      abcdef12", "1.module_f35+1234+deadbeef") removes everything from
 *      there to the end.
 *   4. In each part, look for the leftmost alpha|beta|rc (case-insensitive),
 *      else dev|pre, optionally followed by digits or by '.' and one or two
 *      digits (".20210101" is too long and is left in the part); when found
 *      the match is appended to the version as "-beta2" and the package is
 *      DEVEL. Otherwise "postN" (digits required) is appended without DEVEL.
 *      The match is cut out of the part, the two sides joined by '.' when
 *      both are non-empty.
 *   5. The cleaned release (parts concatenated) decides IGNORE: "0" or
 *      "0.*" without DEVEL (Fedora's pre-release/snapshot convention), any
 *      letter left, or "20" followed by six digits (a snapshot date).
 *   6. Cut the version at the first '+'.
 * Not done (as Repology): '~' pre-releases inside VER ("1.0~rc1") get no
 * flag; libversion already orders them before the release.
 */
#include <ctype.h>
#include <string.h>

#include "pkgfresh/normalize.h"
#include "pkgfresh/record.h"

/* Distribution tag words (see step 3): Fedora, RHEL/CentOS/EPEL/ELRepo,
 * Amazon, Mageia, openmamba, Mandriva/OpenMandriva/ROSA, PCLinuxOS, ALT,
 * Photon, openEuler, openSUSE Leap/backports and SUSE spellings. */
static const char *const RPM_DIST_TAGS[] = {
    "fc",    "fcrawhide", "rawhide", "el",   "elrepo", "epel",  "amzn",     "mga",
    "mamba", "mdv",       "mdk",     "omv",  "rosa",   "pclos", "alt",      "ph",
    "oe",    "lp",        "bp",      "suse", "sle",    "sles",  "opensuse",
};

/* Bounded string builder over the caller's buffer. Invariant: len < cap, p[len] == 0. */
typedef struct rpm_out {
    char *p;
    size_t len, cap;
} rpm_out;

/* Append s[0..n), truncating at the capacity. */
static void out_add(rpm_out *o, const char *s, size_t n)
{
    if (o->cap == 0)
        return;
    size_t room = o->cap - 1 - o->len;
    if (n > room)
        n = room;
    memcpy(o->p + o->len, s, n);
    o->len += n;
    o->p[o->len] = '\0';
}

/*
 * Running checks over the cleaned release, fed one byte at a time: its
 * length and first two bytes, whether a letter was seen, and whether
 * "20" + six digits occurred (the last 8 bytes are kept in win).
 */
typedef struct rel_check {
    size_t len;
    char first[2];
    int letter;
    int date;
    char win[8];
} rel_check;

/* Feed s[0..n) to the release checks. */
static void check_feed(rel_check *c, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (c->len < 2)
            c->first[c->len] = ch;
        c->len++;
        if (isalpha((unsigned char)ch))
            c->letter = 1;
        memmove(c->win, c->win + 1, 7);
        c->win[7] = ch;
        if (c->len >= 8 && c->win[0] == '2' && c->win[1] == '0') {
            int all = 1;
            for (int k = 2; k < 8; k++)
                all &= isdigit((unsigned char)c->win[k]) != 0;
            c->date |= all;
        }
    }
}

/* Case-insensitive: does s[0..n) start with the lower-case word w? */
static int starts_with_ci(const char *s, size_t n, const char *w)
{
    size_t wl = strlen(w);
    if (wl > n)
        return 0;
    for (size_t i = 0; i < wl; i++)
        if (tolower((unsigned char)s[i]) != w[i])
            return 0;
    return 1;
}

/*
 * Length of the match of one of `words` plus its number at s[0..n) (0 when
 * none starts here). need_digits: the number is mandatory ("postN");
 * otherwise it is optional and is either digits or '.' + one or two digits.
 */
static size_t match_at(const char *s, size_t n, const char *const *words, size_t nwords,
                       int need_digits)
{
    for (size_t w = 0; w < nwords; w++) {
        if (!starts_with_ci(s, n, words[w]))
            continue;
        size_t j = strlen(words[w]);
        size_t d = j;
        while (d < n && isdigit((unsigned char)s[d]))
            d++;
        if (d > j)
            return d;
        if (need_digits)
            continue;
        if (j < n && s[j] == '.') {
            size_t k = j + 1;
            while (k < n && isdigit((unsigned char)s[k]))
                k++;
            if (k - (j + 1) >= 1 && k - (j + 1) <= 2)
                return k;
        }
        return j;
    }
    return 0;
}

/* Leftmost match of words in s[0..n): sets *at and *mlen, returns 1 when found. */
static int find_leftmost(const char *s, size_t n, const char *const *words, size_t nwords,
                         int need_digits, size_t *at, size_t *mlen)
{
    for (size_t i = 0; i < n; i++) {
        size_t m = match_at(s + i, n - i, words, nwords, need_digits);
        if (m > 0) {
            *at = i;
            *mlen = m;
            return 1;
        }
    }
    return 0;
}

/* Process one release part: append a pre/post-release match to the version, feed the rest. */
static void do_part(const char *s, size_t n, rpm_out *o, rel_check *c, unsigned *devel)
{
    static const char *const pre[] = {"alpha", "beta", "rc"};
    static const char *const pre_fallback[] = {"dev", "pre"};
    static const char *const post[] = {"post"};
    size_t at, m;
    int found = 0;
    if (find_leftmost(s, n, pre, 3, 0, &at, &m) ||
        find_leftmost(s, n, pre_fallback, 2, 0, &at, &m)) {
        *devel = 1;
        found = 1;
    } else if (find_leftmost(s, n, post, 1, 1, &at, &m)) {
        found = 1;
    }
    if (!found) {
        check_feed(c, s, n);
        return;
    }
    out_add(o, "-", 1);
    out_add(o, s + at, m);
    check_feed(c, s, at);
    if (at > 0 && at + m < n)
        check_feed(c, ".", 1);
    check_feed(c, s + at + m, n - at - m);
}

/* Is s[0..n) (a run of letters) one of the distribution tags? */
static int is_dist_tag(const char *s, size_t n)
{
    for (size_t i = 0; i < sizeof RPM_DIST_TAGS / sizeof RPM_DIST_TAGS[0]; i++)
        if (strlen(RPM_DIST_TAGS[i]) == n && memcmp(RPM_DIST_TAGS[i], s, n) == 0)
            return 1;
    return 0;
}

/* Normalize an RPM "EPOCH:VER-REL" (see the file comment). */
size_t pf_normalize_rpm(const char *raw, char *out, size_t outlen, unsigned *flags)
{
    rpm_out o = {out, 0, outlen};
    if (outlen > 0)
        out[0] = '\0';

    /* 1. Epoch: digits followed by ':'. */
    const char *v = raw;
    size_t k = 0;
    while (isdigit((unsigned char)v[k]))
        k++;
    if (k > 0 && v[k] == ':')
        v += k + 1;

    /* 2. Version and release. */
    const char *dash = strchr(v, '-');
    size_t vlen = dash ? (size_t)(dash - v) : strlen(v);
    const char *rel = dash ? dash + 1 : v + vlen;
    size_t rlen = strlen(rel);
    out_add(&o, v, vlen);

    /* 3-4. Parts between distribution tags. */
    rel_check chk;
    memset(&chk, 0, sizeof chk);
    unsigned devel = 0;
    size_t part = 0, i = 0;
    while (i < rlen) {
        if (!isalpha((unsigned char)rel[i])) {
            i++;
            continue;
        }
        size_t a = i;
        while (i < rlen && isalpha((unsigned char)rel[i]))
            i++;
        if (i - a == 6 && memcmp(rel + a, "module", 6) == 0 && i < rlen &&
            (rel[i] == '+' || rel[i] == '_')) {
            rlen = a; /* a modular build suffix: the rest of the release is dropped */
            break;
        }
        if (is_dist_tag(rel + a, i - a)) {
            do_part(rel + part, a - part, &o, &chk, &devel);
            part = i;
        }
    }
    do_part(rel + part, rlen - part, &o, &chk, &devel);

    /* 5. Flags from the cleaned release. */
    unsigned f = devel ? PF_F_DEVEL : 0;
    int zero = (chk.len == 1 && chk.first[0] == '0') ||
               (chk.len >= 2 && chk.first[0] == '0' && chk.first[1] == '.');
    if (zero && !devel)
        f |= PF_F_IGNORE;
    if (chk.letter || chk.date)
        f |= PF_F_IGNORE;
    *flags |= f;

    /* 6. Cut at the first '+'. */
    char *plus = outlen > 0 ? strchr(out, '+') : NULL;
    if (plus) {
        *plus = '\0';
        o.len = (size_t)(plus - out);
    }
    return o.len;
}
