/*
 * test_parsepool.c — the crawl's parse pool (crawler/parsepool.c): records
 * of several repositories parsed on worker threads reach the consumer
 * whole, in order, source by source; a failed source ends with its message;
 * a cancelled repository stops its worker and the next one still arrives;
 * a budget far smaller than one chunk (every push waits) neither loses
 * records nor deadlocks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "../crawler/parsepool.h"

#define NREPOS 5
#define NSRC   2

/* The fake parser's plan: records per (repository, source), and which source fails. */
typedef struct plan {
    long nrec[NREPOS][NSRC];
    int fail_repo, fail_src; /* -1: none */
} plan;

/* pf_pool_parse_fn: emit nrec records "rR-sK-I" with version "I", homepage on even ones. */
static int fake_parse(void *ctx, size_t r, size_t k, pf_emit_fn emit, void *ectx, char *err,
                      size_t errlen)
{
    const plan *p = ctx;
    char name[64], ver[32], summary[200];
    memset(summary, 'x', sizeof summary - 1);
    summary[sizeof summary - 1] = 0;
    for (long i = 0; i < p->nrec[r][k]; i++) {
        snprintf(name, sizeof name, "r%zu-s%zu-%ld", r, k, i);
        snprintf(ver, sizeof ver, "%ld", i);
        pf_record rec = {.srcname = name,
                         .version = ver,
                         .homepage = i % 2 ? NULL : "https://example.org/",
                         .summary = summary,
                         .flags = (unsigned)i & 7u};
        int rc = emit(ectx, &rec);
        if (rc != 0)
            return rc;
    }
    if ((int)r == p->fail_repo && (int)k == p->fail_src) {
        snprintf(err, errlen, "file%zu: truncated", r);
        return -1;
    }
    return 0;
}

/* Read source k of repository r and check every record; returns the end item's rc. */
static int read_source(pf_parsepool *pool, const plan *p, size_t r, size_t k, long stop_after)
{
    pf_pool_item it;
    char want[64];
    for (long i = 0;; i++) {
        if (stop_after >= 0 && i == stop_after)
            return 0;
        assert_int_equal(pf_parsepool_next(pool, r, &it), 0);
        if (it.end) {
            if (it.rc == 0)
                assert_int_equal(i, p->nrec[r][k]);
            return it.rc;
        }
        snprintf(want, sizeof want, "r%zu-s%zu-%ld", r, k, i);
        assert_string_equal(it.rec.srcname, want);
        assert_int_equal(atol(it.rec.version), i);
        assert_int_equal(it.rec.flags, (unsigned)i & 7u);
        if (i % 2)
            assert_null(it.rec.homepage);
        else
            assert_string_equal(it.rec.homepage, "https://example.org/");
        assert_null(it.rec.binnames);
        assert_int_equal(strlen(it.rec.summary), 199);
    }
}

/* Every record of every repository arrives in order, with any budget and thread count. */
static void test_all_records_in_order(void **state)
{
    (void)state;
    plan p = {.fail_repo = -1, .fail_src = -1};
    size_t nsrc[NREPOS];
    for (size_t r = 0; r < NREPOS; r++) {
        nsrc[r] = r == 2 ? 0 : NSRC; /* repository 2 has nothing to parse */
        for (size_t k = 0; k < NSRC; k++)
            p.nrec[r][k] = r == 2 ? 0 : (long)(3000 * (r + 1) + 7 * k); /* several chunks */
    }
    p.nrec[4][1] = 0; /* an empty source still ends */
    static const size_t budgets[] = {1, 64u << 20};
    for (int threads = 1; threads <= 3; threads++) {
        for (size_t b = 0; b < 2; b++) {
            pf_parsepool *pool =
                pf_parsepool_start(NREPOS, nsrc, threads, budgets[b], fake_parse, &p);
            assert_non_null(pool);
            for (size_t r = 0; r < NREPOS; r++)
                for (size_t k = 0; k < nsrc[r]; k++)
                    assert_int_equal(read_source(pool, &p, r, k, -1), 0);
            pf_parsepool_free(pool);
        }
    }
}

/* A failing source ends with its message (records before it intact); cancelling a
 * repository in the middle stops it; the repositories after both still arrive. */
static void test_failure_and_cancel(void **state)
{
    (void)state;
    plan p = {.fail_repo = 1, .fail_src = 1};
    size_t nsrc[NREPOS];
    for (size_t r = 0; r < NREPOS; r++) {
        nsrc[r] = NSRC;
        for (size_t k = 0; k < NSRC; k++)
            p.nrec[r][k] = 20000; /* about 5 MB: several chunks */
    }
    pf_parsepool *pool = pf_parsepool_start(NREPOS, nsrc, 2, 1, fake_parse, &p);
    assert_non_null(pool);
    /* repository 0: the consumer gives up in the middle of its first source */
    assert_int_equal(read_source(pool, &p, 0, 0, 12345), 0);
    pf_parsepool_cancel(pool, 0);
    pf_pool_item it;
    assert_int_equal(pf_parsepool_next(pool, 0, &it), -1);
    /* repository 1: source 0 whole, source 1 fails after its records */
    assert_int_equal(read_source(pool, &p, 1, 0, -1), 0);
    long n = 0;
    for (;;) {
        assert_int_equal(pf_parsepool_next(pool, 1, &it), 0);
        if (it.end)
            break;
        n++;
    }
    assert_int_equal(n, 20000);
    assert_int_equal(it.rc, -1);
    assert_string_equal(it.err, "file1: truncated");
    pf_parsepool_cancel(pool, 1);
    for (size_t r = 2; r < NREPOS; r++)
        for (size_t k = 0; k < NSRC; k++)
            assert_int_equal(read_source(pool, &p, r, k, -1), 0);
    pf_parsepool_free(pool);
}

/* Freeing a pool whose repositories were never read stops the waiting workers. */
static void test_free_unread(void **state)
{
    (void)state;
    plan p = {.fail_repo = -1, .fail_src = -1};
    size_t nsrc[NREPOS];
    for (size_t r = 0; r < NREPOS; r++) {
        nsrc[r] = NSRC;
        for (size_t k = 0; k < NSRC; k++)
            p.nrec[r][k] = 20000;
    }
    pf_parsepool *pool = pf_parsepool_start(NREPOS, nsrc, 2, 1, fake_parse, &p);
    assert_non_null(pool);
    pf_parsepool_free(pool);
    pf_parsepool_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_all_records_in_order),
        cmocka_unit_test(test_failure_and_cancel),
        cmocka_unit_test(test_free_unread),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
