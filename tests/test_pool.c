/*
 * test_pool.c — analyzer/pool.c, the string interning every analysis and
 * parser leans on: ids are handed out in order of first sight and never
 * change, lookups find exactly the bytes interned (lengths and every byte
 * position count, NUL bytes included), absent strings are not found and
 * not added, and all of it holds across the hash table's growth.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkgfresh/pool.h"

/* Ids in order of first sight, the same id again for the same bytes. */
static void test_ids_in_order(void **state)
{
    (void)state;
    pf_pool *p = pf_pool_new();
    assert_non_null(p);
    static const char *const words[] = {"python", "python3", "py3", "python", "", "py3", "pytho"};
    static const uint32_t want[] = {1, 2, 3, 1, 4, 3, 5};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        assert_int_equal(pf_pool_intern(p, words[i], strlen(words[i])), want[i]);
    assert_int_equal(pf_pool_count(p), 5);
    assert_string_equal(pf_pool_str(p, 2), "python3");
    assert_string_equal(pf_pool_str(p, 0), "");
    assert_string_equal(pf_pool_str(p, 99), ""); /* out of range */
    assert_int_equal(pf_pool_find(p, "python", 6), 1);
    assert_int_equal(pf_pool_find(p, "pytho", 5), 5);
    assert_int_equal(pf_pool_find(p, "pythons", 7), 0);
    assert_int_equal(pf_pool_find(p, "python", 5), 5); /* a prefix is its own string */
    assert_int_equal(pf_pool_count(p), 5);             /* find adds nothing */
    pf_pool_free(p);
}

/* Strings of every length from 0 to 40 that differ from each other in one
 * byte only, at every position (the hash reads words and a tail), and
 * strings with NUL bytes inside: each is its own string. */
static void test_every_byte_counts(void **state)
{
    (void)state;
    pf_pool *p = pf_pool_new();
    assert_non_null(p);
    char base[41], s[41];
    memset(base, 'a', sizeof base);
    uint32_t next = 1;
    for (size_t len = 0; len <= 40; len++) {
        assert_int_equal(pf_pool_intern(p, base, len), next++);
        for (size_t at = 0; at < len; at++) {
            memcpy(s, base, len);
            s[at] = 'b';
            assert_int_equal(pf_pool_intern(p, s, len), next++);
            s[at] = '\0';
            assert_int_equal(pf_pool_intern(p, s, len), next++);
        }
    }
    /* all of them again: found, same ids, nothing added */
    uint32_t id = 1;
    for (size_t len = 0; len <= 40; len++) {
        assert_int_equal(pf_pool_find(p, base, len), id++);
        for (size_t at = 0; at < len; at++) {
            memcpy(s, base, len);
            s[at] = 'b';
            assert_int_equal(pf_pool_find(p, s, len), id++);
            s[at] = '\0';
            assert_int_equal(pf_pool_find(p, s, len), id);
            assert_memory_equal(pf_pool_str(p, id), s, len);
            id++;
        }
    }
    assert_int_equal(pf_pool_count(p), next - 1);
    s[0] = 'c';
    assert_int_equal(pf_pool_find(p, s, 1), 0);
    pf_pool_free(p);
}

/* 300k names and versions, as an analysis interns them: the table grows many
 * times over, every string keeps its id and bytes, and a name never
 * interned is not found. */
static void test_growth_keeps_ids(void **state)
{
    (void)state;
    pf_pool *p = pf_pool_new();
    assert_non_null(p);
    enum { N = 300000 };
    char s[64];
    for (int i = 0; i < N; i++) {
        int n = i % 2 ? snprintf(s, sizeof s, "python3%dPackages.pkg-%d", i % 7, i)
                      : snprintf(s, sizeof s, "%d.%d.%d", i / 1000, i % 1000, i % 13);
        assert_int_equal(pf_pool_intern(p, s, (size_t)n), (uint32_t)i + 1);
    }
    assert_int_equal(pf_pool_count(p), N);
    for (int i = N; i-- > 0;) {
        int n = i % 2 ? snprintf(s, sizeof s, "python3%dPackages.pkg-%d", i % 7, i)
                      : snprintf(s, sizeof s, "%d.%d.%d", i / 1000, i % 1000, i % 13);
        assert_int_equal(pf_pool_find(p, s, (size_t)n), (uint32_t)i + 1);
        assert_string_equal(pf_pool_str(p, (uint32_t)i + 1), s);
    }
    assert_int_equal(pf_pool_find(p, "python30Packages.pkg-2", 22), 0);
    assert_int_equal(pf_pool_find(p, "300.0.0", 7), 0);
    assert_int_equal(pf_pool_count(p), N);
    pf_pool_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ids_in_order),
        cmocka_unit_test(test_every_byte_counts),
        cmocka_unit_test(test_growth_keeps_ids),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
