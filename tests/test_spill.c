/*
 * test_spill.c — analyzer/spill.c: rows added in any order come back in
 * (project bytes, repository, id) order with every field as added — NULL
 * strings, empty and long ones, bytes above 0x7f, projects that share
 * their first 8 bytes — from one run in memory and from many runs on the
 * temporary file; a row too big for a run or without a project is refused;
 * a callback's nonzero return stops the merge and is returned.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../analyzer/spill.h"

#define NROWS 5000

/* A reference copy of a row. */
typedef struct ref {
    an_srow r;
    char project[80], version[24], best[24], flavor[16], branch[16];
} ref;

/* Reference order: project bytes, repository, id. */
static int ref_cmp(const void *a, const void *b)
{
    const ref *x = a, *y = b;
    int c = strcmp(x->project, y->project);
    if (c != 0)
        return c;
    if (x->r.repo != y->r.repo)
        return x->r.repo < y->r.repo ? -1 : 1;
    return x->r.id < y->r.id ? -1 : x->r.id > y->r.id;
}

/* Compare two optional strings. */
static int same(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

typedef struct check {
    const ref *refs;
    size_t at, stop_at;
} check;

/* Each row must be the next reference row. */
static int expect(void *ctx, const an_srow *r)
{
    check *c = ctx;
    if (c->at == c->stop_at)
        return 7;
    const ref *e = &c->refs[c->at++];
    assert_int_equal(r->id, e->r.id);
    assert_int_equal(r->repo, e->r.repo);
    assert_int_equal(r->flags, e->r.flags);
    assert_int_equal(r->status, e->r.status);
    assert_int_equal(r->newer, e->r.newer);
    assert_int_equal(r->behind, e->r.behind);
    assert_string_equal(r->project, e->r.project);
    assert_string_equal(r->version, e->r.version);
    assert_true(same(r->best, e->r.best));
    assert_true(same(r->flavor, e->r.flavor));
    assert_true(same(r->branch, e->r.branch));
    return 0;
}

/* NROWS rows with colliding prefixes, NULLs and odd bytes, in random order. */
static ref *make_refs(void)
{
    ref *refs = calloc(NROWS, sizeof *refs);
    assert_non_null(refs);
    static const char *const stems[] = {
        "python:requests", "python:requests-oauthlib", "", "z", "\xc3\xa9tude",
        "perl:libwww",     "perl:libwww-perl"};
    uint64_t rng = 42;
    for (size_t i = 0; i < NROWS; i++) {
        rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
        unsigned v = (unsigned)(rng >> 33);
        ref *e = &refs[i];
        snprintf(e->project, sizeof e->project, "%s%s", stems[v % 7],
                 v % 3 ? "" : (v % 2 ? "x" : "-9"));
        snprintf(e->version, sizeof e->version, "%u.%u", v % 13, v % 7);
        snprintf(e->best, sizeof e->best, "%u.0", v % 5);
        snprintf(e->flavor, sizeof e->flavor, "f%u", v % 3);
        snprintf(e->branch, sizeof e->branch, "%u", v % 4);
        e->r = (an_srow){.id = (int64_t)(v % 900) * 1000 + (int64_t)i,
                         .repo = v % 6,
                         .flags = v % 16,
                         .status = (int)(v % 11),
                         .newer = v % 4 ? -1 : (long)(v % 9),
                         .behind = v % 5 ? 0 : 1700000000LL + v,
                         .project = e->project,
                         .version = e->version,
                         .best = v % 2 ? e->best : NULL,
                         .flavor = v % 3 ? NULL : e->flavor,
                         .branch = v % 5 ? NULL : e->branch};
    }
    return refs;
}

/* The same rows, in order, from runs of several sizes. */
static void test_order_and_fields(void **state)
{
    (void)state;
    static const size_t runs[] = {0, 1024, 4096, 100000};
    for (size_t k = 0; k < sizeof runs / sizeof runs[0]; k++) {
        ref *refs = make_refs();
        an_spill *s = an_spill_new(runs[k]);
        assert_non_null(s);
        for (size_t i = 0; i < NROWS; i++)
            assert_int_equal(an_spill_add(s, &refs[i].r), 0);
        assert_int_equal(an_spill_count(s), NROWS);
        qsort(refs, NROWS, sizeof *refs, ref_cmp);
        /* the pointers in refs[].r follow their copies */
        for (size_t i = 0; i < NROWS; i++) {
            refs[i].r.project = refs[i].project;
            refs[i].r.version = refs[i].version;
            if (refs[i].r.best)
                refs[i].r.best = refs[i].best;
            if (refs[i].r.flavor)
                refs[i].r.flavor = refs[i].flavor;
            if (refs[i].r.branch)
                refs[i].r.branch = refs[i].branch;
        }
        check c = {refs, 0, (size_t)-1};
        assert_int_equal(an_spill_each(s, expect, &c), 0);
        assert_int_equal(c.at, NROWS);
        an_spill_free(s);
        free(refs);
    }
    an_spill_free(NULL);
}

/* Refused rows leave the spill usable; a callback stops the merge. */
static void test_refused_and_stopped(void **state)
{
    (void)state;
    an_spill *s = an_spill_new(1024);
    assert_non_null(s);
    char big[2048];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    an_srow r = {.id = 1, .project = "p", .version = "1"};
    an_srow too_big = r, no_project = r;
    too_big.version = big;
    no_project.project = NULL;
    assert_int_equal(an_spill_add(s, &too_big), -1);
    assert_int_equal(an_spill_add(s, &no_project), -1);
    ref refs[40];
    for (int i = 0; i < 40; i++) {
        snprintf(refs[i].project, sizeof refs[i].project, "p%02d", i);
        r.project = refs[i].project;
        r.id = i;
        refs[i].r = r;
        assert_int_equal(an_spill_add(s, &r), 0);
    }
    assert_int_equal(an_spill_count(s), 40);
    check c = {refs, 0, 25};
    assert_int_equal(an_spill_each(s, expect, &c), 7);
    assert_int_equal(c.at, 25);
    an_spill_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order_and_fields),
        cmocka_unit_test(test_refused_and_stopped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
