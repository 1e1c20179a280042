/*
 * normalize_strip.c — the version schemes that only cut at separators,
 * as Repology's VersionStripper does (repology/parsers/versions.py) for the
 * parsers that pass a normalizer to set_version:
 *   PF_VS_EPOCH     strip_left(':')                   spack, AOSC: "1:2.3" -> "2.3"
 *   PF_VS_TERMUX    strip_left_greedy(':')            Termux: "a:b:1.2" -> "1.2"
 *   PF_VS_PACSTALL  strip_right('-'), strip_left(':') pacstall: "1:2.3-1" -> "2.3"
 *   PF_VS_MSYS2     strip_right('-'), strip_left('~') MSYS2: "1~2.3-1" -> "2.3"
 *   PF_VS_PKGSRC    strip_right("nb")                 pkgsrc: "1.2nb3" -> "1.2" (PKGREVISION)
 *   PF_VS_MACPORTS  strip_right('+')                  MacPorts: "1.0+q16" -> "1.0"
 * strip_left(s) keeps what follows the first s, strip_left_greedy what
 * follows the last, strip_right what precedes the last; a missing separator
 * keeps the version whole. No flags are implied.
 */
#include <string.h>

#include "pkgfresh/normalize.h"

/* One scheme's steps: cut at the last `cut_last`, then drop through `drop` (0 = no step). */
typedef struct strip_rule {
    pf_vscheme scheme;
    const char *cut_last; /* NULL = no step */
    char drop;
    int drop_greedy; /* drop through the last `drop` instead of the first */
} strip_rule;

static const strip_rule strip_rules[] = {
    {PF_VS_EPOCH, NULL, ':', 0}, {PF_VS_TERMUX, NULL, ':', 1}, {PF_VS_PACSTALL, "-", ':', 0},
    {PF_VS_MSYS2, "-", '~', 0},  {PF_VS_PKGSRC, "nb", 0, 0},   {PF_VS_MACPORTS, "+", 0, 0},
};

/* Normalize raw with one of the stripper schemes into out (see normalize.h). */
size_t pf_normalize_strip(pf_vscheme scheme, const char *raw, char *out, size_t outlen)
{
    const char *s = raw ? raw : "";
    size_t n = strlen(s);
    for (size_t i = 0; i < sizeof strip_rules / sizeof strip_rules[0]; i++) {
        const strip_rule *r = &strip_rules[i];
        if (r->scheme != scheme)
            continue;
        size_t cl = r->cut_last ? strlen(r->cut_last) : 0;
        for (size_t k = n; cl && k >= cl; k--)
            if (memcmp(s + k - cl, r->cut_last, cl) == 0) {
                n = k - cl;
                break;
            }
        if (r->drop) {
            const char *p = r->drop_greedy ? memrchr(s, r->drop, n) : memchr(s, r->drop, n);
            if (p) {
                n -= (size_t)(p + 1 - s);
                s = p + 1;
            }
        }
    }
    if (outlen == 0)
        return 0;
    if (n > outlen - 1)
        n = outlen - 1;
    memcpy(out, s, n);
    out[n] = '\0';
    return n;
}
