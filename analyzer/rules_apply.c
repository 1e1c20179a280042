/*
 * rules_apply.c — run a loaded ruleset over one package (Repology semantics,
 * repology-updater repology/transformer/{matchers,actions}.py).
 *
 * Order semantics. Upstream tries every rule ("entry": a rule with a `name`
 * list counts once per listed name, see analyzer/rules.h) in load order,
 * and a matching rule's actions are visible to all later rules. We must
 * produce exactly that result without trying 32k entries per package.
 *
 * Candidate lists. Every entry sits in exactly one of three groups:
 *   A  by_name[current name]   — entries with a `name` condition equal to it;
 *   B  keyed                   — nameless namepat entries filed under one of
 *                                the name's first 2..4 bytes (by_prefix) or
 *                                under one of its two-byte pieces (by_bigram),
 *                                see rules_literals.c and rules.h;
 *   C  always                  — every other entry (namepat without such a
 *                                key, or no name condition at all).
 * An entry outside A(name) ∪ B(name) ∪ C cannot match a package called
 * `name`: its name condition, its pattern's prefixes or its literal
 * excludes it. tests/test_rules_literals.c holds the index to this against
 * a walk of every entry (pf_rules.linear) on real packages.
 *
 * The walk keeps `pos` (next entry id to consider) and one cursor per list,
 * and always evaluates the smallest candidate id >= pos (a 3-way merge), so
 * entries are evaluated in ascending id order, each at most once. When a
 * matched rule changes the name (setname, replaceinname, tolowername), A and
 * B are looked up again for the new name and their cursors re-positioned by
 * binary search at the first id >= pos: entries before pos are never
 * revisited (upstream does not go back either), entries after it are now
 * drawn from the new name's lists. C is name-independent and keeps its
 * cursor. Hence the set and order of evaluated-and-matching entries equal
 * upstream's linear scan.
 *
 * Inside a rule, cheap conditions run first (ruleset/flag bitsets, literal
 * prefix/substring of namepat, exact versions, version comparisons, URL and
 * category tests) and regexes last; all conditions are ANDed so the order
 * does not change the result. Actions run in upstream's registration order:
 * flag actions, last, addflavor, setflavor, resetflavors, setbranch,
 * setbranchcomps, addflag, setname, setver, replaceinname, tolowername,
 * warning.
 *
 * Package inputs: rulesets/noruleset test the union of p->rulesets and
 * p->family; wwwpart/wwwpat/wwwprefix/sourceforge look at each
 * whitespace-separated URL of p->homepage; maintainer at each comma- or
 * space-separated address of p->maintainers; category at p->category.
 *
 * sourceforge P (upstream's code is not available to us; documented here):
 * after dropping the scheme and a leading "www.", the URL (lower-cased)
 * starts with P.sourceforge.net, P.sourceforge.io or P.sf.net, or with
 * sourceforge.net/projects/P, sourceforge.net/project/P, sourceforge.net/p/P,
 * sf.net/projects/P, sf.net/p/P, downloads.sourceforge.net/project/P,
 * downloads.sourceforge.net/P, prdownloads.sourceforge.net/P or
 * download.sourceforge.net/P, followed by the end, '/', ':', '?' or '#'.
 *
 * Limits: outputs are truncated to the pf_rpkg buffers; at most 16 flavors
 * are kept; lower-casing is ASCII only; regexes match bytes (no UTF mode).
 * Memory: no heap allocation per package — pcre2 match data comes from a
 * small arena on the stack (heap only if pcre2 asks for more) — except the
 * one-time compilation of a regex at its first use (rules_regex.c), which
 * may happen on any of the threads applying rules.
 */
#include "rules.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pkgfresh/record.h"
#include "pkgfresh/version.h"

enum { MAX_FLAVORS = 16, FLAVOR_LEN = 128, NOV = 10 };

/* Stack arena backing pcre2's allocations during one apply call. */
typedef struct stk_arena {
    _Alignas(16) char buf[2048];
    size_t used;
} stk_arena;

/* pcre2 private_malloc: from the stack arena while it lasts, else the heap. */
static void *sa_malloc(PCRE2_SIZE n, void *data)
{
    stk_arena *a = data;
    size_t need = (n + 15) & ~(size_t)15;
    if (sizeof a->buf - a->used >= need) {
        void *p = a->buf + a->used;
        a->used += need;
        return p;
    }
    return malloc(n);
}

/* pcre2 private_free: heap blocks only (arena memory dies with the frame). */
static void sa_free(void *p, void *data)
{
    stk_arena *a = data;
    if (p && ((char *)p < a->buf || (char *)p >= a->buf + sizeof a->buf))
        free(p);
}

/* One regex match's captures, copied with their subject (actions may change it). */
typedef struct capt {
    int n; /* pairs usable; -1: no match in this rule */
    PCRE2_SIZE ov[2 * NOV];
    char subj[512];
} capt;

/* Per-call state. */
typedef struct actx {
    const pf_rules *R;
    pf_rpkg *p;
    uint64_t rs[PFR_MAX_RULESETS / 64];
    uint64_t vf[PFR_MAX_VFLAGS / 64];
    char flavors[MAX_FLAVORS][FLAVOR_LEN];
    int nflavors;
    stk_arena arena;
    pcre2_general_context *gctx;
    pcre2_match_data *md;
    capt name, ver;
    pf_rules_trace *t;
} actx;

/* Lazily create the match data (once per call); NULL on failure. */
static pcre2_match_data *match_data(actx *c)
{
    if (!c->md) {
        if (!c->gctx)
            c->gctx = pcre2_general_context_create(sa_malloc, sa_free, &c->arena);
        if (c->gctx)
            c->md = pcre2_match_data_create(NOV, c->gctx);
    }
    return c->md;
}

/*
 * Full-match rx against subj[0..n); 1 match, 0 no match, -1 error. When cap
 * is given, the captures and a copy of the subject are kept there.
 */
static int rx_match(actx *c, pfr_regex *rx, const char *subj, size_t n, capt *cap)
{
    pcre2_match_data *md = match_data(c);
    const pcre2_code *code = pfr_regex_code(rx); /* compiled on first use */
    if (!md || !code)
        return -1;
    int rc = pcre2_match(code, (PCRE2_SPTR)subj, n, 0, 0, md, NULL);
    if (rc == PCRE2_ERROR_NOMATCH)
        return 0;
    if (rc < 0)
        return rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
                       rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT
                   ? 0 /* catastrophic pattern: treated as no match */
                   : -1;
    if (cap) {
        const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        cap->n = rc == 0 ? NOV : rc;
        for (int i = 0; i < 2 * cap->n; i++)
            cap->ov[i] = ov[i];
        size_t m = n < sizeof cap->subj - 1 ? n : sizeof cap->subj - 1;
        memcpy(cap->subj, subj, m);
        cap->subj[m] = '\0';
        for (int i = 0; i < 2 * cap->n; i++) /* never point past the copy */
            if (cap->ov[i] != PCRE2_UNSET && cap->ov[i] > m)
                cap->ov[i] = m;
    }
    return 1;
}

/* Any of ids set in bitset bs. */
static int any_bit(const uint64_t *bs, pfr_ids ids)
{
    for (uint32_t i = 0; i < ids.n; i++)
        if (bs[ids.v[i] >> 6] >> (ids.v[i] & 63) & 1)
            return 1;
    return 0;
}

/* s is one of list (exact). */
static int in_list(const char *s, pfr_strs list)
{
    for (uint32_t i = 0; i < list.n; i++)
        if (strcmp(s, list.v[i]) == 0)
            return 1;
    return 0;
}

/* Python len(re.split('[^a-zA-Z0-9]', v)): separators counted per code point. */
static int count_comps(const char *v)
{
    int n = 1;
    for (const unsigned char *q = (const unsigned char *)v; *q; q++)
        if (!isalnum(*q) && (*q < 0x80 || *q >= 0xC0))
            n++;
    return n;
}

/* Case-insensitive substring (needle already lower-case). */
static int has_ci(const char *hay, size_t hn, const char *needle)
{
    size_t nn = strlen(needle);
    if (nn > hn)
        return 0;
    for (size_t i = 0; i + nn <= hn; i++)
        if (strncasecmp(hay + i, needle, nn) == 0)
            return 1;
    return 0;
}

/* Case-insensitive prefix test of a counted string (prefix lower-case). */
static int starts_ci(const char *s, size_t n, const char *prefix, size_t *plen)
{
    size_t pn = strlen(prefix);
    if (pn > n || strncasecmp(s, prefix, pn) != 0)
        return 0;
    if (plen)
        *plen = pn;
    return 1;
}

/* URL (counted) is a SourceForge page of project P (see the file comment). */
static int sf_match(const char *u, size_t n, const char *proj)
{
    size_t k;
    if (starts_ci(u, n, "https://", &k) || starts_ci(u, n, "http://", &k)) {
        u += k;
        n -= k;
    }
    if (starts_ci(u, n, "www.", &k)) {
        u += k;
        n -= k;
    }
    size_t pn = strlen(proj);
    static const char *const hosts[] = {".sourceforge.net", ".sourceforge.io", ".sf.net"};
    static const char *const paths[] = {"sourceforge.net/projects/",
                                        "sourceforge.net/project/",
                                        "sourceforge.net/p/",
                                        "sf.net/projects/",
                                        "sf.net/p/",
                                        "downloads.sourceforge.net/project/",
                                        "downloads.sourceforge.net/",
                                        "prdownloads.sourceforge.net/",
                                        "download.sourceforge.net/"};
    for (size_t i = 0; i < sizeof hosts / sizeof *hosts + sizeof paths / sizeof *paths; i++) {
        const char *s = u;
        size_t m = n;
        if (i < sizeof hosts / sizeof *hosts) {
            if (m < pn || strncasecmp(s, proj, pn) != 0 || !starts_ci(s + pn, m - pn, hosts[i], &k))
                continue;
            s += pn + k;
            m -= pn + k;
        } else {
            if (!starts_ci(s, m, paths[i - sizeof hosts / sizeof *hosts], &k))
                continue;
            s += k;
            m -= k;
            if (m < pn || strncasecmp(s, proj, pn) != 0)
                continue;
            s += pn;
            m -= pn;
        }
        if (m == 0 || *s == '/' || *s == ':' || *s == '?' || *s == '#')
            return 1;
    }
    return 0;
}

/* Next whitespace/sep-delimited token of *s (advanced); its length, 0 at the end. */
static size_t next_tok(const char **s, const char *seps, const char **tok)
{
    const char *q = *s;
    while (*q && strchr(seps, *q))
        q++;
    const char *b = q;
    while (*q && !strchr(seps, *q))
        q++;
    *tok = b;
    *s = q;
    return (size_t)(q - b);
}

/* The URL conditions (wwwpart of the rule, wwwprefix and sourceforge of its
 * rare block, if any) on p's homepage(s); 1 if all that are present hold. */
static int www_match(actx *c, pfr_strs wwwpart, const pfr_rare *rare)
{
    const char *hp = c->p->homepage;
    c->p->read |= PF_RIN_HOMEPAGE;
    if (!hp)
        return 0;
    static const char ws[] = " \t\r\n";
    if (wwwpart.n) {
        int ok = 0;
        const char *s = hp, *u;
        for (size_t n; !ok && (n = next_tok(&s, ws, &u));)
            for (uint32_t i = 0; !ok && i < wwwpart.n; i++)
                ok = has_ci(u, n, wwwpart.v[i]);
        if (!ok)
            return 0;
    }
    if (rare && rare->wwwprefix.n) {
        int ok = 0;
        const char *s = hp, *u;
        for (size_t n; !ok && (n = next_tok(&s, ws, &u));)
            for (uint32_t i = 0; !ok && i < rare->wwwprefix.n; i++)
                ok = starts_ci(u, n, rare->wwwprefix.v[i], NULL);
        if (!ok)
            return 0;
    }
    if (rare && rare->sourceforge.n) {
        int ok = 0;
        const char *s = hp, *u;
        for (size_t n; !ok && (n = next_tok(&s, ws, &u));)
            for (uint32_t i = 0; !ok && i < rare->sourceforge.n; i++)
                ok = sf_match(u, n, rare->sourceforge.v[i]);
        if (!ok)
            return 0;
    }
    return 1;
}

/* Version comparisons of ru (vergt.., relgt..) against version v. */
static int cmp_match(const pfr_rare *ru, const char *v)
{
    for (int k = 0; k < PFR_NCMP; k++) {
        const char *x = ru->vercmp[k];
        if (!x)
            continue;
        int r = pf_vercmp(v, x);
        int ok = k == PFR_GT   ? r > 0
                 : k == PFR_GE ? r >= 0
                 : k == PFR_LT ? r < 0
                 : k == PFR_LE ? r <= 0
                 : k == PFR_EQ ? r == 0
                               : r != 0;
        if (!ok)
            return 0;
    }
    for (int k = 0; k < PFR_NCMP; k++) {
        const char *x = ru->relcmp[k];
        if (!x)
            continue;
        /* upstream: rel* compare against the release taken as a prefix range */
        int lo = pf_vercmp4(v, x, 0, PF_V_LOWER_BOUND);
        int hi = pf_vercmp4(v, x, 0, PF_V_UPPER_BOUND);
        int ok = k == PFR_GT   ? hi > 0
                 : k == PFR_GE ? lo > 0
                 : k == PFR_LT ? lo < 0
                 : k == PFR_LE ? hi < 0
                 : k == PFR_EQ ? (lo > 0 && hi < 0)
                               : (lo < 0 || hi > 0);
        if (!ok)
            return 0;
    }
    return 1;
}

/* ASCII-lower-case copy of s into buf (cap bytes); returns the length. */
static size_t lower_copy(char *buf, size_t cap, const char *s)
{
    size_t n = 0;
    for (; s[n] && n + 1 < cap; n++)
        buf[n] = (char)tolower((unsigned char)s[n]);
    buf[n] = '\0';
    return n;
}

/*
 * The conditions of a rule's rare block up to maintainer. Upstream's order
 * (see rule_matches) puts noruleset, flag, noflag, hasbranch, notver and
 * vercomps before verlonger; none of them reads an optional input, so
 * testing them after it changes neither the result nor p->read. 1 when all
 * hold.
 */
static int rare_matches(actx *c, const pfr_rare *ru)
{
    pf_rpkg *p = c->p;
    if (ru->noruleset.n && any_bit(c->rs, ru->noruleset))
        return 0;
    if (ru->flag.n && !any_bit(c->vf, ru->flag))
        return 0;
    if (ru->noflag.n && any_bit(c->vf, ru->noflag))
        return 0;
    if (ru->hasbranch >= 0 && (p->branch[0] != '\0') != ru->hasbranch)
        return 0;
    if (ru->notver.n && in_list(p->version, ru->notver))
        return 0;
    if (ru->vercomps >= 0 && count_comps(p->version) != ru->vercomps)
        return 0;
    if (!cmp_match(ru, p->version))
        return 0;
    if (ru->category.n) {
        int ok = 0;
        p->read |= PF_RIN_CATEGORY;
        for (uint32_t i = 0; p->category && !ok && i < ru->category.n; i++)
            ok = strcasecmp(p->category, ru->category.v[i]) == 0;
        if (!ok)
            return 0;
    }
    if (ru->maintainer.n) {
        int ok = 0;
        p->read |= PF_RIN_MAINTAINERS;
        const char *s = p->maintainers ? p->maintainers : "", *m;
        for (size_t n; !ok && (n = next_tok(&s, ", \t", &m));)
            for (uint32_t i = 0; !ok && i < ru->maintainer.n; i++)
                ok =
                    strlen(ru->maintainer.v[i]) == n && strncasecmp(m, ru->maintainer.v[i], n) == 0;
        if (!ok)
            return 0;
    }
    return 1;
}

/* summpart of a rule's rare block; 1 when it holds or is absent. */
static int rare_summary_matches(actx *c, const pfr_rare *ru)
{
    pf_rpkg *p = c->p;
    if (!ru->summpart.n)
        return 1;
    int ok = 0;
    p->read |= PF_RIN_SUMMARY;
    for (uint32_t i = 0; p->summary && !ok && i < ru->summpart.n; i++)
        ok = has_ci(p->summary, strlen(p->summary), ru->summpart.v[i]);
    return ok;
}

/* The regexes of a rule's rare block (after namepat and verpat); 1, 0, or -1 on an error. */
static int rare_regexes_match(actx *c, const pfr_rare *ru)
{
    pf_rpkg *p = c->p;
    int rc;
    if (ru->categorypat) {
        p->read |= PF_RIN_CATEGORY;
        if (!p->category)
            return 0;
        char lc[256] = {0};
        size_t n = lower_copy(lc, sizeof lc, p->category);
        if ((rc = rx_match(c, ru->categorypat, lc, n, NULL)) <= 0)
            return rc;
    }
    if (ru->wwwpat) {
        int ok = 0;
        p->read |= PF_RIN_HOMEPAGE;
        const char *s = c->p->homepage ? c->p->homepage : "", *u;
        for (size_t n; !ok && (n = next_tok(&s, " \t\r\n", &u));) {
            if ((rc = rx_match(c, ru->wwwpat, u, n, NULL)) < 0)
                return rc;
            ok = rc;
        }
        if (!ok)
            return 0;
    }
    return 1;
}

/*
 * All conditions of ru hold for the package; 1, 0, or -1 on a regex error.
 * Upstream's order: ruleset, noruleset, flag, noflag, is_p_is_patch,
 * hasbranch, namepat's literals, ver, notver, vercomps, verlonger, version
 * comparisons, category, maintainer, wwwpart/wwwprefix/sourceforge,
 * summpart, then the regexes namepat, verpat, categorypat, wwwpat. The
 * result is their AND; the order matters for p->read only, so every
 * condition that reads an optional input keeps its place.
 */
static int rule_matches(actx *c, const pfr_rule *ru)
{
    pf_rpkg *p = c->p;
    const pfr_rare *rare = ru->rare;
    c->name.n = c->ver.n = -1;
    if (ru->ruleset.n && !any_bit(c->rs, ru->ruleset))
        return 0;
    if (ru->is_p_is_patch >= 0 && !!(p->flags & PF_F_P_IS_PATCH) != ru->is_p_is_patch)
        return 0;
    size_t nlen = strlen(p->name);
    if (ru->np_prefix && !c->R->linear &&
        (nlen < ru->np_prefixlen || memcmp(p->name, ru->np_prefix, ru->np_prefixlen)))
        return 0;
    if (ru->np_lit && !c->R->linear && !memmem(p->name, nlen, ru->np_lit, ru->np_litlen))
        return 0;
    if (ru->ver.n && !in_list(p->version, ru->ver))
        return 0;
    if (ru->verlonger >= 0 && count_comps(p->version) <= ru->verlonger)
        return 0;
    if (rare && !rare_matches(c, rare))
        return 0;
    if ((ru->wwwpart.n || (rare && (rare->wwwprefix.n || rare->sourceforge.n))) &&
        !www_match(c, ru->wwwpart, rare))
        return 0;
    if (rare && !rare_summary_matches(c, rare))
        return 0;
    /* regexes last */
    int rc;
    if (ru->namepat && (rc = rx_match(c, ru->namepat, p->name, nlen, &c->name)) <= 0)
        return rc;
    if (ru->verpat) {
        /* zero-filled: JIT code may read ahead past the subject (valgrind) */
        char lv[sizeof p->version] = {0};
        size_t n = lower_copy(lv, sizeof lv, p->version);
        if ((rc = rx_match(c, ru->verpat, lv, n, &c->ver)) <= 0)
            return rc;
    }
    return rare ? rare_regexes_match(c, rare) : 1;
}

/* Bounded string builder. */
typedef struct sbuf {
    char *b;
    size_t n, cap;
} sbuf;

/* Append m bytes (truncating at cap - 1). */
static void sb_put(sbuf *s, const char *x, size_t m)
{
    if (s->n + m > s->cap - 1)
        m = s->cap - 1 - s->n;
    memcpy(s->b + s->n, x, m);
    s->n += m;
    s->b[s->n] = '\0';
}

/*
 * Upstream's sub_*_dollars: with a regex match in this rule, every $D is
 * replaced by capture D (empty when unset); without one only $0 is, by full.
 */
static size_t subst(char *out, size_t cap, const char *tmpl, const capt *m, const char *full)
{
    sbuf s = {out, 0, cap};
    out[0] = '\0';
    for (const char *q = tmpl; *q;) {
        if (q[0] == '$' && isdigit((unsigned char)q[1])) {
            int d = q[1] - '0';
            if (m->n >= 0) {
                if (d < m->n && m->ov[2 * d] != PCRE2_UNSET)
                    sb_put(&s, m->subj + m->ov[2 * d], m->ov[2 * d + 1] - m->ov[2 * d]);
                q += 2;
                continue;
            }
            if (d == 0) {
                sb_put(&s, full, strlen(full));
                q += 2;
                continue;
            }
        }
        sb_put(&s, q, 1);
        q++;
    }
    return s.n;
}

/* addflavor / setflavor: compute the flavors, strip '-', append non-empty ones. */
static void add_flavors(actx *c, uint8_t mode, pfr_strs list)
{
    uint32_t n = mode == PFR_FLAVOR_AUTO ? 1 : list.n;
    for (uint32_t i = 0; i < n; i++) {
        char f[FLAVOR_LEN];
        subst(f, sizeof f, mode == PFR_FLAVOR_AUTO ? c->p->name : list.v[i], &c->name, c->p->name);
        char *b = f, *e = f + strlen(f);
        while (*b == '-')
            b++;
        while (e > b && e[-1] == '-')
            e--;
        if (e > b && c->nflavors < MAX_FLAVORS) {
            memcpy(c->flavors[c->nflavors], b, (size_t)(e - b));
            c->flavors[c->nflavors][e - b] = '\0';
            c->nflavors++;
        }
    }
}

/* Replace every occurrence of from by to in name (Python str.replace). */
static void replace_all(char *name, size_t cap, const char *from, const char *to)
{
    size_t fn = strlen(from), tn = strlen(to);
    if (!fn || !strstr(name, from))
        return;
    char tmp[512];
    sbuf s = {tmp, 0, sizeof tmp < cap ? sizeof tmp : cap};
    tmp[0] = '\0';
    for (const char *q = name; *q;) {
        if (strncmp(q, from, fn) == 0) {
            sb_put(&s, to, tn);
            q += fn;
        } else {
            sb_put(&s, q, 1);
            q++;
        }
    }
    memcpy(name, tmp, s.n + 1);
}

/* setbranch / setbranchcomps of a rule's rare block. */
static void rare_branch(actx *c, const pfr_rare *ru)
{
    pf_rpkg *p = c->p;
    if (ru->setbranch)
        subst(p->branch, sizeof p->branch, ru->setbranch, &c->ver, p->version);
    if (ru->setbranchcomps >= 0) {
        /* '.'.join(re.split('[^a-zA-Z0-9]', version)[:N]) */
        sbuf s = {p->branch, 0, sizeof p->branch};
        p->branch[0] = '\0';
        int part = 0;
        for (const unsigned char *q = (const unsigned char *)p->version;
             *q && ru->setbranchcomps > 0; q++) {
            if (isalnum(*q)) {
                sb_put(&s, (const char *)q, 1);
            } else if (*q < 0x80 || *q >= 0xC0) {
                if (++part >= ru->setbranchcomps)
                    break;
                sb_put(&s, ".", 1);
            }
        }
    }
}

/* Run ru's actions; sets *renamed when the name may have changed, *stop on `last`. */
static void rule_apply(actx *c, const pfr_rule *ru, int *renamed, int *stop)
{
    pf_rpkg *p = c->p;
    const pfr_rare *rare = ru->rare;
    for (uint32_t i = 0; i < ru->nflagops; i++) {
        if (ru->flagops[i].on)
            p->flags |= ru->flagops[i].flag;
        else
            p->flags &= ~ru->flagops[i].flag;
    }
    if (ru->last)
        *stop = 1;
    if (ru->addflavor_mode)
        add_flavors(c, ru->addflavor_mode, ru->addflavor);
    if (rare && rare->setflavor_mode) {
        c->nflavors = 0;
        add_flavors(c, rare->setflavor_mode, rare->setflavor);
    }
    if (ru->resetflavors)
        c->nflavors = 0;
    if (rare)
        rare_branch(c, rare);
    for (uint32_t i = 0; i < ru->addflag.n; i++)
        c->vf[ru->addflag.v[i] >> 6] |= (uint64_t)1 << (ru->addflag.v[i] & 63);
    if (ru->setname) {
        char tmp[sizeof p->name];
        size_t n = subst(tmp, sizeof tmp, ru->setname, &c->name, p->name);
        memcpy(p->name, tmp, n + 1);
        *renamed = 1;
    }
    if (ru->setver) {
        char tmp[sizeof p->version];
        size_t n = subst(tmp, sizeof tmp, ru->setver, &c->ver, p->version);
        memcpy(p->version, tmp, n + 1);
    }
    for (uint32_t i = 0; rare && i + 1 < rare->repl.n; i += 2) {
        replace_all(p->name, sizeof p->name, rare->repl.v[i], rare->repl.v[i + 1]);
        *renamed = 1;
    }
    if (ru->tolowername) {
        for (char *q = p->name; *q; q++)
            *q = (char)tolower((unsigned char)*q);
        *renamed = 1;
    }
    if (rare && rare->warning && c->t) {
        if (c->t->nwarnings < sizeof c->t->warnings / sizeof *c->t->warnings)
            c->t->warnings[c->t->nwarnings] = rare->warning;
        c->t->nwarnings++;
    }
}

/* First index in ids[0..n) holding a value >= pos. */
static size_t lower_bound(const uint32_t *ids, size_t n, uint32_t pos)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (ids[mid] < pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Words of a bitset over PFR_MAX_DENSE dense indices. */
enum { DENSE_WORDS = PFR_MAX_DENSE / 64 };

/* Set the bits of dense indices ids[0..n). */
static void set_bits(uint64_t *bits, const uint32_t *ids, size_t n)
{
    for (size_t i = 0; i < n; i++)
        bits[ids[i] >> 6] |= (uint64_t)1 << (ids[i] & 63);
}

/* First set bit >= from among n bits; n when there is none. */
static size_t next_bit(const uint64_t *bits, size_t n, size_t from)
{
    if (from >= n)
        return n;
    size_t w = from >> 6;
    uint64_t x = bits[w] & (~(uint64_t)0 << (from & 63));
    size_t nw = (n + 63) >> 6;
    while (!x) {
        if (++w >= nw)
            return n;
        x = bits[w];
    }
    size_t b = (w << 6) + (size_t)__builtin_ctzll(x);
    return b < n ? b : n;
}

/* Whether some key of a pair set (pf_rules.pair_prefix/pair_bigram) starts with s[0..1]. */
static inline int pair_in(const uint64_t *bits, const char *s)
{
    unsigned b = (unsigned)(unsigned char)s[0] << 8 | (unsigned char)s[1];
    return (int)(bits[b >> 6] >> (b & 63) & 1);
}

/* The name-dependent candidates (A: by name, B: keyed) and their cursors. */
typedef struct cands {
    const uint32_t *a; /* entry ids, ascending */
    size_t na, ia;
    size_t ib; /* dense index cursor into keyed_all, over bbits */
    uint64_t bbits[DENSE_WORDS];
} cands;

/*
 * Look the lists up for the current name and position both cursors at the
 * first entry id >= pos. B is the union (bitset) of the by_prefix lists of
 * the name's first 2, 3 and 4 bytes and the by_bigram lists of every 2-byte
 * substring of the name; the pair sets skip probes that would find nothing.
 */
static void cands_lookup(const pf_rules *R, const char *name, uint32_t pos, cands *k)
{
    size_t n = strlen(name);
    const pfr_slot *s = pfr_index_find(&R->by_name, name, n);
    k->a = s ? R->by_name.ids + s->off : NULL;
    k->na = s ? s->cnt : 0;
    k->ia = lower_bound(k->a, k->na, pos);
    memset(k->bbits, 0, ((R->nkeyed + 63) / 64) * sizeof *k->bbits);
    if (n >= 2 && pair_in(R->pair_prefix, name))
        for (size_t i = 2; i <= n && i <= PFR_PREFIX_LEN; i++)
            if ((s = pfr_index_find(&R->by_prefix, name, i)))
                set_bits(k->bbits, R->by_prefix.ids + s->off, s->cnt);
    for (size_t i = 0; i + 1 < n; i++)
        if (pair_in(R->pair_bigram, name + i) && (s = pfr_index_find(&R->by_bigram, name + i, 2)))
            set_bits(k->bbits, R->by_bigram.ids + s->off, s->cnt);
    k->ib = next_bit(k->bbits, R->nkeyed, lower_bound(R->keyed_all, R->nkeyed, pos));
}

/* Bitset of the always entries that can apply with these ruleset bits. */
static void always_for(const pf_rules *R, const uint64_t *rs, uint64_t *bits)
{
    memset(bits, 0, ((R->nalways + 63) / 64) * sizeof *bits);
    set_bits(bits, R->always_free, R->nalways_free);
    for (size_t w = 0; w < (R->nrulesets + 63) / 64; w++)
        for (uint64_t x = rs[w]; x; x &= x - 1) {
            size_t id = (w << 6) + (size_t)__builtin_ctzll(x);
            set_bits(bits, R->always_ids + R->always_off[id],
                     R->always_off[id + 1] - R->always_off[id]);
        }
}

/* The name of entry e, a rule with a `name` list: its place in the list is
 * its distance from the rule's first entry. */
static const char *entry_name(const pf_rules *R, uint32_t e)
{
    uint32_t first = e;
    while (first > 0 && R->entry_rule[first - 1] == R->entry_rule[e])
        first--;
    return R->rules[R->entry_rule[e]].names.v[e - first];
}

/* Order flavors for the joined output. */
static int str_cmp(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

int pf_rules_apply_trace(const pf_rules *R, pf_rpkg *p, pf_rules_trace *t)
{
    if (t)
        memset(t, 0, sizeof *t);
    p->flavor[0] = '\0';
    p->branch[0] = '\0';
    p->removed = 0;
    p->read = 0;
    if (!R)
        return 0;
    actx cx; /* not zero-initialized as a whole: ~7 KiB, most of it scratch */
    actx *c = &cx;
    c->R = R;
    c->p = p;
    c->t = t;
    c->nflavors = 0;
    c->arena.used = 0;
    c->gctx = NULL;
    c->md = NULL;
    c->name.n = c->ver.n = -1;
    /* Only the words the ruleset can address need zeroing. */
    memset(c->rs, 0, ((R->nrulesets + 63) / 64) * sizeof *c->rs);
    memset(c->vf, 0, ((R->nvflags + 63) / 64) * sizeof *c->vf);
    for (size_t i = 0; i <= p->nrulesets; i++) {
        const char *nm = i < p->nrulesets ? p->rulesets[i] : p->family;
        const pfr_slot *s = nm ? pfr_index_find(&R->ruleset_ids, nm, strlen(nm)) : NULL;
        if (s)
            c->rs[s->off >> 6] |= (uint64_t)1 << (s->off & 63);
    }
    int rc = 0;
    uint32_t pos = 0;
    uint64_t cbits[DENSE_WORDS];
    always_for(R, c->rs, cbits);
    size_t ic = next_bit(cbits, R->nalways, 0);
    cands k;
    cands_lookup(R, p->name, 0, &k);
    for (;;) {
        /* 3-way merge: the smallest candidate entry id >= pos (groups are disjoint) */
        uint32_t e = UINT32_MAX;
        int from = 0;
        if (k.ia < k.na)
            e = k.a[k.ia], from = 1;
        if (k.ib < R->nkeyed && R->keyed_all[k.ib] < e)
            e = R->keyed_all[k.ib], from = 2;
        if (ic < R->nalways && R->always_all[ic] < e)
            e = R->always_all[ic], from = 3;
        if (R->linear) /* the reference walk (tests): every entry in turn */
            e = pos, from = pos < R->nentries ? 4 : 0;
        if (!from)
            break;
        if (from == 1)
            k.ia++;
        else if (from == 2)
            k.ib = next_bit(k.bbits, R->nkeyed, k.ib + 1);
        else if (from == 3)
            ic = next_bit(cbits, R->nalways, ic + 1);
        pos = e + 1;
        const pfr_rule *ru = &R->rules[R->entry_rule[e]];
        if (R->linear && ru->names.n && strcmp(p->name, entry_name(R, e)) != 0)
            continue; /* the name test the by_name lists stand for */
        if (t)
            t->checked++;
        int m = rule_matches(c, ru);
        if (m < 0) {
            rc = -1;
            break;
        }
        if (!m)
            continue;
        if (t) {
            t->matched++;
            t->last_file = R->files[ru->file];
            t->last_line = ru->line;
        }
        int renamed = 0, stop = 0;
        rule_apply(c, ru, &renamed, &stop);
        if (stop)
            break;
        if (renamed)
            cands_lookup(R, p->name, pos, &k);
    }
    if (c->nflavors) {
        qsort(c->flavors, (size_t)c->nflavors, sizeof c->flavors[0], str_cmp);
        sbuf s = {p->flavor, 0, sizeof p->flavor};
        for (int i = 0; i < c->nflavors; i++) {
            if (i)
                sb_put(&s, "_", 1);
            sb_put(&s, c->flavors[i], strlen(c->flavors[i]));
        }
    }
    p->removed = !!(p->flags & PF_F_REMOVE);
    if (c->md)
        pcre2_match_data_free(c->md);
    if (c->gctx)
        pcre2_general_context_free(c->gctx);
    return rc;
}

int pf_rules_apply(const pf_rules *r, pf_rpkg *p)
{
    return pf_rules_apply_trace(r, p, NULL);
}
