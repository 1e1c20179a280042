/*
 * bench_rules.c — the rule engine on real data.
 *
 * 1. Load the full community ruleset ($PKGFRESH_SHARED or ../shared,
 *    realdata/repology-rules); target < 0.5 s.
 * 2. Apply it to every source package of Debian unstable
 *    (realdata/debian/sid-main-Sources.xz, read beforehand so only the rules
 *    are timed): seed = lower-cased source name, version normalized with
 *    PF_VS_DEBIAN, rulesets {debuntu, debian}, family debuntu; target < 1 s.
 *
 * Prints one line per measurement; exits 0 without output lines for a
 * missing input (with a note on stderr).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pkgfresh/format.h"
#include "pkgfresh/normalize.h"
#include "pkgfresh/reader.h"
#include "pkgfresh/record.h"
#include "pkgfresh/rules.h"

/* One package kept in memory for the timed run; strings point into a shared buffer. */
typedef struct bpkg {
    char name[128];
    char version[128];
    unsigned flags;
    size_t homepage, category, maintainers; /* offsets into the text buffer, or SIZE_MAX */
} bpkg;

typedef struct coll {
    bpkg *v;
    size_t n, cap;
    char *text;
    size_t tn, tcap;
} coll;

/* Monotonic seconds. */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* CPU seconds of this thread (robust against a busy machine). */
static double cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Keep s in the text buffer; its offset, SIZE_MAX for NULL or on no memory. */
static size_t keep(coll *c, const char *s)
{
    if (!s)
        return SIZE_MAX;
    size_t n = strlen(s) + 1;
    if (c->tn + n > c->tcap) {
        size_t cap = c->tcap ? c->tcap * 2 : (1u << 22);
        while (cap < c->tn + n)
            cap *= 2;
        char *t = realloc(c->text, cap);
        if (!t)
            return SIZE_MAX;
        c->text = t;
        c->tcap = cap;
    }
    memcpy(c->text + c->tn, s, n);
    c->tn += n;
    return c->tn - n;
}

/* Parser callback: copy what the rules look at. */
static int collect(void *ctx, const pf_record *rec)
{
    coll *c = ctx;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 65536;
        bpkg *v = realloc(c->v, cap * sizeof *v);
        if (!v)
            return 1;
        c->v = v;
        c->cap = cap;
    }
    bpkg *b = &c->v[c->n++];
    size_t i = 0;
    for (; rec->srcname[i] && i + 1 < sizeof b->name; i++)
        b->name[i] = (char)tolower((unsigned char)rec->srcname[i]);
    b->name[i] = '\0';
    b->flags = rec->flags;
    pf_normalize_version(PF_VS_DEBIAN, rec->version, b->version, sizeof b->version, &b->flags);
    b->homepage = keep(c, rec->homepage);
    b->category = keep(c, rec->category);
    b->maintainers = keep(c, rec->maintainers);
    return 0;
}

int main(void)
{
    const char *shared = getenv("PKGFRESH_SHARED");
    char dir[4096], src[4096], err[512];
    snprintf(dir, sizeof dir, "%s/realdata/repology-rules", shared ? shared : "../shared");
    snprintf(src, sizeof src, "%s/realdata/debian/sid-main-Sources.xz",
             shared ? shared : "../shared");

    double t0 = now(), c0 = cpu();
    pf_rules *r = pf_rules_load(dir, err, sizeof err);
    double t1 = now(), c1 = cpu();
    if (!r) {
        fprintf(stderr, "bench_rules: %s\n", err);
        return 0;
    }
    printf(
        "rules load: %zu rules (%zu entries, %zu files) in %.3f s, %.3f s CPU (target < 0.5 s)\n",
        pf_rules_count(r), pf_rules_nentries(r), pf_rules_nfiles(r), t1 - t0, c1 - c0);

    pf_reader *in = pf_reader_open_path(src, 0, err, sizeof err);
    if (!in) {
        fprintf(stderr, "bench_rules: %s\n", err);
        pf_rules_free(r);
        return 0;
    }
    coll c = {0};
    if (pf_parse_deb_sources(in, NULL, collect, &c, &(pf_parse_stats){0, 0}, err, sizeof err) < 0)
        fprintf(stderr, "bench_rules: %s\n", err);
    pf_reader_close(in);

    static const char *const rulesets[] = {"debuntu", "debian"};
    size_t renamed = 0, removed = 0, flagged = 0, flavored = 0, checked = 0, failed = 0;
    double t2 = now(), c2 = cpu();
    for (size_t i = 0; i < c.n; i++) {
        bpkg *b = &c.v[i];
        pf_rpkg p;
        memcpy(p.name, b->name, sizeof b->name);
        memcpy(p.version, b->version, sizeof b->version);
        p.flags = b->flags;
        p.repo = "debian_unstable";
        p.family = "debuntu";
        p.rulesets = rulesets;
        p.nrulesets = 2;
        p.srcname = b->name;
        p.binnames = p.summary = NULL;
        p.homepage = b->homepage == SIZE_MAX ? NULL : c.text + b->homepage;
        p.category = b->category == SIZE_MAX ? NULL : c.text + b->category;
        p.maintainers = b->maintainers == SIZE_MAX ? NULL : c.text + b->maintainers;
        pf_rules_trace tr;
        if (pf_rules_apply_trace(r, &p, &tr) < 0)
            failed++;
        checked += tr.checked;
        renamed += strcmp(p.name, b->name) != 0;
        removed += p.removed;
        flagged += p.flags != b->flags;
        flavored += p.flavor[0] != '\0';
    }
    double t3 = now(), c3 = cpu();
    printf("rules apply: %zu debian packages in %.3f s, %.3f s CPU = %.0f k/s (%.1f rules tried "
           "each; renamed %zu, removed %zu, flags changed %zu, flavored %zu, errors %zu) "
           "(target < 1 s)\n",
           c.n, t3 - t2, c3 - c2, (double)c.n / (t3 - t2) / 1e3,
           c.n ? (double)checked / (double)c.n : 0.0, renamed, removed, flagged, flavored, failed);
    free(c.v);
    free(c.text);
    pf_rules_free(r);
    return 0;
}
