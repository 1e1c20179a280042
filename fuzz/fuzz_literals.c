/*
 * fuzz_literals.c — libFuzzer harness for the namepat literal analyses
 * (analyzer/rules_literals.c), with PCRE2 as the oracle.
 *
 * Input layout: a pattern, then a name after the first newline (no
 * newline: the name is empty). When the pattern compiles with the rules'
 * options (full match) and matches the name, the analyses must hold for it:
 * the name starts with one of pfr_pattern_prefixes' strings, starts with
 * pfr_pattern_literals' prefix and contains its literal. Both analyses run
 * on every input, compiling or not (they must not read past the pattern).
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "../analyzer/rules.h"
#include "fuzz.h"

/* One input: analyse the pattern, and check the analyses on the name. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *nl = memchr(data, '\n', size);
    size_t plen = nl ? (size_t)(nl - (const char *)data) : size;
    size_t nlen = nl ? size - plen - 1 : 0;
    char *pat = malloc(plen + 1), *pre = malloc(plen + 1), *lit = malloc(plen + 1);
    if (!pat || !pre || !lit) {
        free(pat);
        free(pre);
        free(lit);
        return 0;
    }
    memcpy(pat, data, plen);
    pat[plen] = '\0';
    const char *name = nl ? nl + 1 : "";
    pfr_prefixes px;
    int have = pfr_pattern_prefixes(pat, &px) == 0;
    size_t pl, ll;
    pfr_pattern_literals(pat, pre, &pl, lit, &ll);
    int ec;
    PCRE2_SIZE off;
    pcre2_code *code = strlen(pat) == plen
                           ? pcre2_compile((PCRE2_SPTR)pat, plen,
                                           PCRE2_ANCHORED | PCRE2_ENDANCHORED, &ec, &off, NULL)
                           : NULL;
    pcre2_match_data *md = code ? pcre2_match_data_create_from_pattern(code, NULL) : NULL;
    if (md && pcre2_match(code, (PCRE2_SPTR)name, nlen, 0, 0, md, NULL) >= 0) {
        if (have) {
            size_t k = 0;
            while (k < px.n && !(px.len[k] <= nlen && memcmp(name, px.s[k], px.len[k]) == 0))
                k++;
            if (k == px.n)
                fz_fail("a matching name starts with none of the prefixes");
        }
        if (pl > nlen || memcmp(name, pre, pl) != 0)
            fz_fail("a matching name lacks the literal prefix");
        if (ll && !memmem(name, nlen, lit, ll))
            fz_fail("a matching name lacks the literal");
    }
    pcre2_match_data_free(md);
    pcre2_code_free(code);
    free(pat);
    free(pre);
    free(lit);
    return 0;
}
