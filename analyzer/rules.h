/*
 * analyzer/rules.h — internal layout of a loaded ruleset, shared by
 * rules_load.c (YAML -> pf_rules) and rules_apply.c (matching, actions).
 *
 * Invariants:
 * - Everything a pf_rules owns lives in its arena (strings, arrays, regex
 *   states) or is a pcre2_code owned by exactly one regex state (on the
 *   `regexes` list); pf_rules_free releases both.
 * - "Entries" reproduce Repology's SPLIT_MULTI_NAME_RULES: a rule with a
 *   `name` list becomes one entry per listed name, consecutive, in list
 *   order; every other rule is one entry. Entry numbers are the order in
 *   which rules are tried.
 * - Every entry is in exactly one of three groups:
 *   by_name    name -> ascending ids of entries whose `name` is exactly it;
 *   keyed      nameless namepat entries filed under keys (rules_literals.c):
 *              by_prefix  2..4 bytes -> entries one of whose prefixes
 *                         (pfr_pattern_prefixes, else the first bytes of
 *                         the literal prefix) is the key: looked up with
 *                         the name's first 2, 3 and 4 bytes;
 *              by_bigram  2 bytes -> entries without a prefix whose
 *                         longest literal starts with the key: looked up
 *                         with every two bytes of the name;
 *              an entry with several prefixes is under each of them;
 *              pair_prefix / pair_bigram hold the keys' first two bytes;
 *   always     the other nameless entries, split by their `ruleset`
 *              condition: always_free (no ruleset condition) and, per
 *              ruleset id i, always_ids[always_off[i] .. always_off[i+1])
 *              (an entry with several rulesets is in several lists).
 * - keyed_all / always_all list the entries of the last two groups in
 *   ascending order; by_prefix, by_bigram and the always lists hold *dense
 *   indices* into them (so a union of lists is a bitset over dense indices,
 *   and ascending dense index means ascending entry id). Both groups hold
 *   at most PFR_MAX_DENSE entries.
 */
#ifndef PKGFRESH_ANALYZER_RULES_H
#define PKGFRESH_ANALYZER_RULES_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pkgfresh/rules.h"

/* Most distinct ruleset names / virtual flag names a ruleset may use (bitset sizes). */
enum { PFR_MAX_RULESETS = 4096, PFR_MAX_VFLAGS = 4096, PFR_MAX_DENSE = 16384 };

/* A counted array of NUL-terminated strings (in the arena). */
typedef struct pfr_strs {
    const char **v;
    uint32_t n;
} pfr_strs;

/* A counted array of interned ids (ruleset or virtual flag ids). */
typedef struct pfr_ids {
    const uint16_t *v;
    uint32_t n;
} pfr_ids;

/* One flag action in upstream application order: set (on) or clear PF_F_* bit. */
typedef struct pfr_flagop {
    uint32_t flag;
    uint8_t on;
} pfr_flagop;

enum pfr_cmp { PFR_GT, PFR_GE, PFR_LT, PFR_LE, PFR_EQ, PFR_NE, PFR_NCMP };

enum pfr_flavor_mode { PFR_FLAVOR_NONE = 0, PFR_FLAVOR_AUTO, PFR_FLAVOR_LIST };

/*
 * One regex of a rule (namepat, verpat, wwwpat, categorypat), compiled on
 * first use (analyzer/rules_regex.c). Lives in the arena; the codes it holds
 * are freed by pfr_regex_free (pf_rules_free walks the `next` list).
 */
typedef struct pfr_regex {
    const char *src;            /* PCRE2 source (converted from Python re), in the arena */
    pcre2_code *checked;        /* compiled at load because the scan could not vouch; or NULL */
    _Atomic(pcre2_code *) code; /* compiled (and JIT-compiled) on first use; NULL before */
    struct pfr_regex *next;     /* every regex of the ruleset, for pf_rules_free */
    bool jit;                   /* JIT-compile on first use (PKGFRESH_NO_JIT unset) */
} pfr_regex;

/*
 * The conditions and actions few rules use, out of line so that the rule
 * array stays small (23,775 rules in the community ruleset; fewer pages to
 * fault in and to walk). NULL in a rule that uses none of them.
 */
typedef struct pfr_rare {
    /* conditions, evaluated after verlonger (noruleset.. summpart) and last (the regexes) */
    pfr_ids noruleset, flag, noflag;
    pfr_strs notver;
    int32_t vercomps; /* -1: absent */
    int8_t hasbranch; /* -1: absent, else 0/1 */
    const char *vercmp[PFR_NCMP], *relcmp[PFR_NCMP];
    pfr_strs wwwprefix, sourceforge, summpart, category, maintainer; /* lower-cased */
    pfr_regex *wwwpat, *categorypat;
    /* actions */
    const char *setbranch, *warning;
    int32_t setbranchcomps; /* -1: absent */
    uint8_t setflavor_mode;
    pfr_strs setflavor;
    pfr_strs repl; /* replaceinname as from,to pairs (n is 2 * pairs) */
} pfr_rare;

/* One rule after loading: conditions (all must hold) then actions. */
typedef struct pfr_rule {
    uint32_t file, line; /* origin, for diagnostics */
    /* conditions (the keys most rules of the community ruleset use) */
    pfr_strs names; /* "$0" already replaced by setname */
    pfr_regex *namepat, *verpat;
    const char *np_prefix, *np_lit; /* required literal prefix / substring of namepat, or NULL */
    uint32_t np_prefixlen, np_litlen;
    pfr_strs ver;
    pfr_ids ruleset;
    pfr_strs wwwpart;     /* lower-cased */
    int32_t verlonger;    /* -1: absent */
    int8_t is_p_is_patch; /* -1: absent, else 0/1 */
    /* actions */
    uint8_t addflavor_mode;
    bool resetflavors, last, tolowername;
    uint32_t nflagops;
    const pfr_flagop *flagops;
    const char *setname, *setver;
    pfr_strs addflavor;
    pfr_ids addflag;
    const pfr_rare *rare; /* the seldom-used conditions and actions, or NULL */
} pfr_rule;

/* String -> (off, cnt) hash index; open addressing, power-of-two size. */
typedef struct pfr_slot {
    const char *key; /* NULL: empty slot; not NUL-terminated in general */
    uint32_t len, hash, off, cnt;
} pfr_slot;

typedef struct pfr_index {
    pfr_slot *slots;
    uint32_t mask; /* slot count - 1 */
    uint32_t *ids; /* the lists, back to back */
} pfr_index;

typedef struct pfr_block pfr_block;

struct pf_rules {
    pfr_block *arena; /* newest block first */
    pfr_rule *rules;
    size_t nrules;
    uint32_t *entry_rule; /* entry id -> rule index */
    size_t nentries;
    char **files; /* relative paths (arena), sorted */
    size_t *file_rules;
    size_t nfiles;
    pfr_index by_name, by_prefix, by_bigram;
    uint64_t *pair_prefix, *pair_bigram; /* 65,536-bit sets: the first two bytes of a
                                            by_prefix key / a by_bigram key (b0 << 8 | b1) */
    uint32_t *always_free;               /* dense indices, ascending */
    size_t nalways_free;
    uint32_t *always_off;  /* nrulesets + 1 offsets into always_ids */
    uint32_t *always_ids;  /* dense indices, ascending within each ruleset's slice */
    uint32_t *always_all;  /* dense index -> entry id, ascending */
    size_t nalways;        /* nameless entries without a key (prefix or literal) */
    uint32_t *keyed_all;   /* dense index -> entry id, ascending */
    size_t nkeyed;         /* nameless entries filed under by_prefix or by_bigram */
    pfr_index ruleset_ids; /* ruleset name -> id (in off) */
    size_t nrulesets, nvflags;
    char **warnings; /* load warnings (arena) */
    size_t nwarnings, capwarnings;
    uint64_t digest;    /* over every file's path and bytes, in load order (rules_load.c) */
    pfr_regex *regexes; /* every regex state, newest first */
    bool linear;        /* tests only: try every entry in turn, as upstream does */
};

/* FNV-1a over n bytes; used by the index builder and lookups alike. */
uint32_t pfr_hash(const char *s, size_t n);

/* Find key (n bytes) in ix; the slot or NULL. */
const pfr_slot *pfr_index_find(const pfr_index *ix, const char *key, size_t n);

/*
 * Literal analysis of a namepat (after newline removal): the literal prefix
 * every fully matching name starts with, and the longest literal every such
 * name contains. Conservative: unknown syntax gives empty results. Writes
 * into prefix/lit (each at least strlen(pat)+1 bytes) and their lengths.
 */
void pfr_pattern_literals(const char *pat, char *prefix, size_t *plen, char *lit, size_t *llen);

/*
 * Prefix analysis of a namepat (rules_literals.c): strings s[i][0..len[i])
 * of 2..PFR_PREFIX_LEN bytes such that every fully matching name starts
 * with one of them. 0 with the set in *out, or -1 when no such set is known
 * (unknown syntax, or a match may start with fewer than 2 known bytes).
 */
enum { PFR_PREFIX_LEN = 4, PFR_PREFIXES_MAX = 64 };
typedef struct pfr_prefixes {
    size_t n;
    char s[PFR_PREFIXES_MAX][PFR_PREFIX_LEN];
    uint8_t len[PFR_PREFIXES_MAX];
} pfr_prefixes;
int pfr_pattern_prefixes(const char *pat, pfr_prefixes *out);

/*
 * Regexes (rules_regex.c). pfr_regex_convert turns a Python-re pattern into
 * PCRE2 source (malloc'd; NULL on no memory). pfr_regex_init checks src (it
 * must outlive rx) and sets rx up uncompiled: 0, or -1 with PCRE2's message
 * and offset in err. pfr_regex_code gives the compiled code, compiling it on
 * the first call (any thread; NULL only when out of memory).
 * pfr_regex_plain: src is in the subset that compiles without a check.
 */
char *pfr_regex_convert(const char *pat, int lower);
int pfr_regex_init(pfr_regex *rx, const char *src, bool jit, char *err, size_t errlen);
const pcre2_code *pfr_regex_code(pfr_regex *rx);
bool pfr_regex_compiled(pfr_regex *rx);
bool pfr_regex_plain(const char *src);
void pfr_regex_free(pfr_regex *rx);

/*
 * A rule file's YAML as events (rules_yaml.c). Scalar texts (and an error's
 * message) are NUL-terminated at off in the stream's text buffer; lines
 * count from 0, as libyaml's marks do.
 */
enum pfr_yev_type {
    PFR_YEV_ERROR, /* libyaml's syntax error: text is its message, line its place */
    PFR_YEV_STREAM_START,
    PFR_YEV_STREAM_END,
    PFR_YEV_DOC_START,
    PFR_YEV_DOC_END,
    PFR_YEV_ALIAS,
    PFR_YEV_SCALAR,
    PFR_YEV_SEQ_START,
    PFR_YEV_SEQ_END,
    PFR_YEV_MAP_START,
    PFR_YEV_MAP_END
};
enum pfr_yscalar_style { PFR_YS_PLAIN, PFR_YS_SINGLE, PFR_YS_DOUBLE, PFR_YS_OTHER };

typedef struct pfr_yev {
    uint8_t type, style, tagged;
    uint32_t line, off, len;
} pfr_yev;

typedef struct pfr_ystream {
    pfr_yev *ev;
    size_t nev, capev;
    char *text;
    size_t ntext, captext;
} pfr_ystream;

/* The events of buf[0..n): pfr_yaml_fast if the file is in its subset, else
 * libyaml's. 0, or -1 when out of memory. ys is reused from file to file. */
int pfr_yaml_read(pfr_ystream *ys, const char *buf, size_t n);
/* The fast reader alone: 1 read, 0 not in its subset, -1 out of memory. */
int pfr_yaml_fast(pfr_ystream *ys, const char *buf, size_t n);
/* libyaml alone: 0 (a syntax error ends the events with PFR_YEV_ERROR), -1 out of memory. */
int pfr_yaml_libyaml(pfr_ystream *ys, const char *buf, size_t n);
void pfr_ystream_free(pfr_ystream *ys);
/* Is event i of x the same as event j of y (type, line, style, tag, and a
 * scalar's text)? How the tests and fuzz_rules hold the fast reader to
 * libyaml. */
int pfr_yev_same(const pfr_ystream *x, size_t i, const pfr_ystream *y, size_t j);

#endif
