/*
 * test_rules_yaml.c — the fast reader of rule files (analyzer/rules_yaml.c)
 * against libyaml: whenever it reads a file, its events (types, scalar
 * styles and texts, lines) are libyaml's.
 *
 * 1. Every file of the community ruleset, of data/rules and of the rule
 *    fixtures; most community files must take the fast way.
 * 2. 30,000 mutations (bytes flipped, deleted, YAML syntax inserted) of a
 *    file using every construct the fast reader knows, and 6,000 of
 *    community files: it reads many of them and agrees on each.
 * 3. Hand-made cases it must leave to libyaml.
 */
#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../analyzer/rules.h"

/* Both readers on buf: -1 the fast one reads it differently (the first
 * difference in msg), 1 they agree, 0 the fast one leaves it to libyaml. */
static int agree(const char *buf, size_t n, char *msg, size_t msglen)
{
    pfr_ystream f = {0}, l = {0};
    int rc = pfr_yaml_fast(&f, buf, n);
    assert_true(rc >= 0);
    if (rc == 0) {
        pfr_ystream_free(&f);
        return 0;
    }
    assert_int_equal(pfr_yaml_libyaml(&l, buf, n), 0);
    int ok = 1;
    if (f.nev != l.nev) {
        snprintf(msg, msglen, "%zu events, libyaml %zu", f.nev, l.nev);
        ok = -1;
    }
    for (size_t i = 0; ok > 0 && i < f.nev; i++) {
        const pfr_yev *a = &f.ev[i], *b = &l.ev[i];
        int text = a->type == PFR_YEV_SCALAR;
        if (!pfr_yev_same(&f, i, &l, i)) {
            snprintf(msg, msglen, "event %zu: type %d line %u '%s', libyaml type %d line %u '%s'",
                     i, a->type, a->line, text ? f.text + a->off : "", b->type, b->line,
                     b->type == PFR_YEV_SCALAR || b->type == PFR_YEV_ERROR ? l.text + b->off : "");
            ok = -1;
        }
    }
    pfr_ystream_free(&f);
    pfr_ystream_free(&l);
    return ok;
}

/* Every *.yaml below dir (recursively): paths appended to *v (malloc'd). */
static void list_yaml(const char *dir, char ***v, size_t *n)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        size_t len = strlen(de->d_name);
        if (len > 5 && strcmp(de->d_name + len - 5, ".yaml") == 0) {
            *v = realloc(*v, (*n + 1) * sizeof **v);
            assert_non_null(*v);
            (*v)[(*n)++] = strdup(path);
        } else {
            list_yaml(path, v, n); /* not a directory: opendir fails */
        }
    }
    closedir(d);
}

/* Free a path list. */
static void free_list(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static void test_real_files(void **state)
{
    (void)state;
    char **v = NULL;
    size_t n = 0;
    list_yaml("data/rules", &v, &n);
    list_yaml("tests/fixtures/rules", &v, &n);
    size_t mine = n, fast = 0, fast_comm = 0, bytes = 0, fast_bytes = 0;
    const char *comm = tu_realdata("repology-rules");
    if (comm)
        list_yaml(comm, &v, &n);
    assert_true(n > 0);
    for (size_t i = 0; i < n; i++) {
        size_t len;
        char *buf = tu_slurp(v[i], &len), msg[600];
        assert_non_null(buf);
        int rc = agree(buf, len, msg, sizeof msg);
        if (rc < 0)
            fail_msg("%s: %s", v[i], msg);
        fast += rc;
        if (i >= mine) {
            fast_comm += rc;
            bytes += len;
            fast_bytes += rc ? len : 0;
        }
        free(buf);
    }
    assert_true(fast > 0);
    if (comm) { /* 143 of the 242 files, 90 % of the bytes */
        assert_true(fast_comm >= 140);
        assert_true(fast_bytes > bytes / 100 * 85);
    }
    free_list(v, n);
}

/* Mutations of text: the fast reader reads at least min_read of them, each as libyaml does. */
static void mutate_and_agree(const char *text, size_t len, int rounds, uint64_t seed, int min_read)
{
    static const char *const ins[] = {":",
                                      ": ",
                                      ",",
                                      "{",
                                      "}",
                                      "[",
                                      "]",
                                      "\"",
                                      "'",
                                      "\\",
                                      "#",
                                      " #",
                                      "\n",
                                      "- ",
                                      "-",
                                      "?",
                                      " ",
                                      "\t",
                                      "\\\"",
                                      "''",
                                      ":,",
                                      ":]",
                                      "é",
                                      "\xc2\x85",
                                      "\xe2\x80\xa8",
                                      "\xef\xbb\xbf",
                                      "&a",
                                      "*a",
                                      "!t",
                                      "|",
                                      ">",
                                      "%",
                                      "@",
                                      "`",
                                      "x:y",
                                      "~",
                                      "\r",
                                      "  ",
                                      "- { a: b }\n",
                                      "{}"};
    char *m = malloc(len + 64);
    assert_non_null(m);
    int read = 0;
    for (int i = 0; i < rounds; i++) {
        size_t ml = tu_mutate(text, len, m, &seed, ins, sizeof ins / sizeof *ins);
        char msg[600];
        int rc = agree(m, ml, msg, sizeof msg);
        if (rc < 0)
            fail_msg("mutation %d (%.*s): %s", i, (int)ml, m, msg);
        read += rc;
    }
    free(m);
    if (read < min_read)
        fail_msg("only %d of %d mutations read", read, rounds);
}

static void test_mutations(void **state)
{
    (void)state;
    static const char base[] =
        "# comment\n"
        "- { a: b, c: [d, \"e\"], f: { \"g\": h, 'i': '' } }\n"
        "\n"
        "- { name: rust:$0, setname: \"x\\\\y\\\"z\", verpat: 1\\.0.*?, x: 'it''s' }   # trailing\n"
        "  # indented comment\n"
        "- {   k:   v  w  ,  l: [ ],m: {} }\n"
        "- {}\n"
        "- { a: b, }\n"
        "- { ver: [1.0, 2.0,], ignore: true, name: ƒoo }";
    mutate_and_agree(base, sizeof base - 1, 30000, 0x5eed, 5000);

    const char *comm = tu_realdata("repology-rules/900.version-fixes/c.yaml");
    const char *comm2 = tu_realdata("repology-rules/800.renames-and-merges/r.yaml");
    if (!comm || !comm2)
        return;
    const char *files[] = {comm, comm2};
    for (size_t f = 0; f < 2; f++) {
        size_t len;
        char *buf = tu_slurp(files[f], &len);
        assert_non_null(buf);
        if (len > 4000) { /* the first lines: mutations then land near each other */
            len = 4000;
            while (len && buf[len - 1] != '\n')
                len--;
        }
        mutate_and_agree(buf, len, 3000, 0xc0ffee + f, 500);
        free(buf);
    }
}

static void test_left_to_libyaml(void **state)
{
    (void)state;
    static const char *const cases[] = {
        "- {\ta: b }\n",            /* a tab */
        "- { a: b }\r\n",           /* a carriage return */
        "\xef\xbb\xbf- { a: b }\n", /* a byte order mark */
        "- { a: \xc2\x85 }\n",      /* NEL, a line break to libyaml */
        "- { a: \xff }\n",          /* not UTF-8 */
        "  - { a: b }\n",           /* indented */
        "- name: foo\n  setname: bar\n",
        "- { a: &x b }\n",
        "- { a: *x }\n",
        "- { a: !t b }\n",
        "- { a: x:,y }\n",
        "- { a: \"\\n\" }\n", /* an escape other than \\ and \" */
        "- { a: [b, [c]] }\n",
        "- { a: b,, c: d }\n",
        "- { a: b #c }\n",
        "- { a: b }#c\n",
        "- { a:b }\n",
        "- { a: -b }\n",
        "---\n- { a: b }\n",
        "- { a: b,\n    c: d }\n",
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        pfr_ystream y = {0};
        if (pfr_yaml_fast(&y, cases[i], strlen(cases[i])) != 0)
            fail_msg("the fast reader read case %zu: %s", i, cases[i]);
        pfr_ystream_free(&y);
    }
    /* what it reads: the events, lines from 0, the end after the last line */
    static const char ok[] = "# c\n\n- { name: [a, 'b'], setname: \"c\" } # d\n- {}";
    pfr_ystream y = {0};
    assert_int_equal(pfr_yaml_fast(&y, ok, sizeof ok - 1), 1);
    static const uint8_t types[] = {PFR_YEV_STREAM_START, PFR_YEV_DOC_START, PFR_YEV_SEQ_START,
                                    PFR_YEV_MAP_START,    PFR_YEV_SCALAR,    PFR_YEV_SEQ_START,
                                    PFR_YEV_SCALAR,       PFR_YEV_SCALAR,    PFR_YEV_SEQ_END,
                                    PFR_YEV_SCALAR,       PFR_YEV_SCALAR,    PFR_YEV_MAP_END,
                                    PFR_YEV_MAP_START,    PFR_YEV_MAP_END,   PFR_YEV_SEQ_END,
                                    PFR_YEV_DOC_END,      PFR_YEV_STREAM_END};
    assert_int_equal(y.nev, sizeof types);
    for (size_t i = 0; i < sizeof types; i++)
        assert_int_equal(y.ev[i].type, types[i]);
    assert_int_equal(y.ev[3].line, 2);
    assert_string_equal(y.text + y.ev[7].off, "b");
    assert_int_equal(y.ev[7].style, PFR_YS_SINGLE);
    assert_int_equal(y.ev[12].line, 3);
    assert_int_equal(y.ev[16].line, 4);
    pfr_ystream_free(&y);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_files),
        cmocka_unit_test(test_mutations),
        cmocka_unit_test(test_left_to_libyaml),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
