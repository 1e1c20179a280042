/*
 * test_nix_json.c — the nix-json extractor (crawler/formats/fmt_nix_json.c) against
 * the jansson-based reference parser (tests/support/nix_json_ref.c, the
 * parser it replaced): both must give the same records, field by field, the
 * same counters, the same return value and the same error text.
 *
 * Inputs: hand-made entries aimed at the extractor's rules (escapes, \u
 * surrogates, invalid UTF-8, \u0000, numbers, wrong types, duplicates,
 * nested licence lists, every maintainer shape, whitespace everywhere),
 * thousands of deterministic random mutations of them, and the whole real
 * nixpkgs packages.json when ../shared/realdata is there (skipped otherwise).
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nix_json_ref.h"
#include "pkgfresh/grow.h"
#include "pkgfresh/format.h"
#include "pkgfresh/reader.h"
#include "pkgfresh/record.h"

typedef pf_parse_fn stats_parse_fn;

/*
 * What one parser made of one input. Records are serialised into text: each
 * field then 0x1f (a NULL field as 0x01), the flags, then 0x1e per record.
 */
typedef struct run {
    int rc;
    char err[512];
    pf_parse_stats st;
    char *text;
    size_t len, cap;
    long nrec;
} run;

/* Append n bytes to r->text (aborts the test on out of memory). */
static void run_add(run *r, const char *s, size_t n)
{
    assert_int_equal(pf_grow(&r->text, &r->cap, r->len, n + 1), 0);
    memcpy(r->text + r->len, s, n);
    r->len += n;
    r->text[r->len] = '\0';
}

/* Emit callback: serialise the record into the run. */
static int run_emit(void *ctx, const pf_record *rec)
{
    run *r = ctx;
    const char *f[] = {rec->srcname,  rec->binnames, rec->version,  rec->maintainers,
                       rec->homepage, rec->license,  rec->category, rec->summary};
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        if (f[i])
            run_add(r, f[i], strlen(f[i]));
        else
            run_add(r, "\x01", 1);
        run_add(r, "\x1f", 1);
    }
    char fl[32];
    int k = snprintf(fl, sizeof fl, "%u\x1e", rec->flags);
    run_add(r, fl, (size_t)k);
    r->nrec++;
    return 0;
}

/* Run parser fn over a reader into *r (zeroed first). */
static void run_reader(stats_parse_fn fn, pf_reader *rd, run *r)
{
    memset(r, 0, sizeof *r);
    run_add(r, "", 0);
    r->rc = fn(rd, NULL, run_emit, r, &r->st, r->err, sizeof r->err);
}

/* Run parser fn over a memory document. */
static void run_mem(stats_parse_fn fn, const char *doc, size_t len, run *r)
{
    char oerr[256];
    pf_reader *rd = pf_reader_open_mem(doc, len, PF_CODEC_NONE, oerr, sizeof oerr);
    assert_non_null(rd);
    run_reader(fn, rd, r);
    pf_reader_close(rd);
}

/* Free a run's text. */
static void run_free(run *r)
{
    free(r->text);
    memset(r, 0, sizeof *r);
}

/* Index of the record holding byte off of a run's text (for messages). */
static long rec_index(const run *r, size_t off)
{
    long k = 0;
    for (size_t i = 0; i < off && i < r->len; i++)
        k += r->text[i] == '\x1e';
    return k;
}

/*
 * Compare two runs. 0 when identical; otherwise 1 with a one-line account
 * of the first difference in why (control bytes of the records shown as '|').
 */
static int run_diff(const run *a, const run *b, char *why, size_t whylen)
{
    if (a->rc != b->rc || strcmp(a->err, b->err) != 0) {
        snprintf(why, whylen, "result %d \"%s\" vs reference %d \"%s\"", a->rc, a->err, b->rc,
                 b->err);
        return 1;
    }
    if (a->st.records != b->st.records || a->st.skipped != b->st.skipped) {
        snprintf(why, whylen, "counters %ld/%ld vs reference %ld/%ld", a->st.records, a->st.skipped,
                 b->st.records, b->st.skipped);
        return 1;
    }
    if (a->len == b->len && memcmp(a->text, b->text, a->len) == 0)
        return 0;
    size_t i = 0;
    while (i < a->len && i < b->len && a->text[i] == b->text[i])
        i++;
    size_t from = i;
    while (from > 0 && a->text[from - 1] != '\x1e')
        from--;
    char sa[160], sb[160];
    snprintf(sa, sizeof sa, "%.150s", a->text + from);
    snprintf(sb, sizeof sb, "%.150s", b->text + from);
    for (char *p = sa; *p; p++)
        if ((unsigned char)*p < 0x20)
            *p = '|';
    for (char *p = sb; *p; p++)
        if ((unsigned char)*p < 0x20)
            *p = '|';
    snprintf(why, whylen, "record %ld differs: \"%s\" vs reference \"%s\"", rec_index(a, i), sa,
             sb);
    return 1;
}

/* Run both parsers on doc; fail the test (showing the input) on any difference. */
static void check_doc(const char *doc, size_t len, const char *label, run *fast_out)
{
    run fast, ref;
    char why[600];
    run_mem(pf_parse_nix_json, doc, len, &fast);
    run_mem(nix_ref_parse_stats, doc, len, &ref);
    if (run_diff(&fast, &ref, why, sizeof why) != 0) {
        char shown[400];
        size_t k = 0;
        for (size_t i = 0; i < len && k + 5 < sizeof shown; i++) {
            unsigned char c = (unsigned char)doc[i];
            k += (size_t)snprintf(shown + k, sizeof shown - k,
                                  c >= 0x20 && c < 0x7f ? "%c" : "\\x%02x", c);
        }
        fail_msg("%s: %s\n  input: %s", label, why, shown);
    }
    run_free(&ref);
    if (fast_out)
        *fast_out = fast;
    else
        run_free(&fast);
}

/*
 * Hand-made "packages" members: each is checked alone (wrapped into a whole
 * document) and all together. Comments say what each one aims at.
 */
static const char *const cases[] = {
    /* the ordinary shape, every field */
    "\"hello\":{\"name\":\"hello-2.10\",\"pname\":\"hello\",\"version\":\"2.10\",\"system\":\"x86_"
    "64-"
    "linux\",\"meta\":{\"available\":true,\"description\":\" A\\tprogram\\n that greets \","
    "\"homepage\":\"https://www.gnu.org/software/hello/\",\"license\":{\"spdxId\":\"GPL-3.0-or-"
    "later\",\"fullName\":\"GNU GPL\"},\"maintainers\":[{\"email\":\"Edolstra+Nixpkgs@Gmail.com\","
    "\"github\":\"edolstra\",\"githubId\":1148549,\"name\":\"Eelco\"}],\"platforms\":[\"x86_64-"
    "linux\","
    "\"i686-linux\"],\"position\":\"pkgs/hello.nix:12\"}}",
    /* every escape in kept strings, \u with surrogate pairs, raw UTF-8 */
    "\"caf\\u00e9.x\":{\"name\":\"caf\\u00e9-1\\/2\",\"pname\":\"p\\\"q\\\\r\\b\\f\","
    "\"version\":\"1\\n\\r\\t.0\",\"meta\":{\"description\":\"\\ud83d\\ude00 \\u20AC \\u00e9 "
    "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80 \\\"q\\\" } ] {\",\"homepage\":[\"h\\u0074tp://x\"]}}",
    /* lone and broken surrogates, \u0000, bad escapes: in kept values (fatal) */
    "\"a\":{\"name\":\"a-1\",\"meta\":{\"description\":\"x\\ud83d\"}}",
    "\"a\":{\"name\":\"a-1\",\"meta\":{\"description\":\"x\\ud83d\\u0041\"}}",
    "\"a\":{\"name\":\"a-1\",\"meta\":{\"description\":\"x\\ud83dz\"}}",
    "\"a\":{\"name\":\"a-1\",\"meta\":{\"description\":\"x\\ude00\"}}",
    "\"a\":{\"name\":\"a-1\",\"meta\":{\"description\":\"x\\ud83d\\ud83d\"}}",
    "\"a\":{\"name\":\"a-1\",\"meta\":{\"description\":\"x\\ud83d\\\"}}",
    "\"a\":{\"name\":\"a\\u0000-1\"}",
    "\"a\\u0000\":{\"name\":\"a-1\"}",
    "\"a\":{\"name\":\"a-1\",\"meta\":{\"license\":{\"spdx\\u0000Id\":\"MIT\"}}}",
    "\"a\":{\"name\":\"a-1\",\"meta\":{\"maintainers\":[{\"email\":\"a\\u0000@b\"}]}}",
    "\"a\":{\"name\":\"a\\x-1\"}",
    "\"a\":{\"version\":\"\\u12G4\",\"name\":\"a-1\"}",
    "\"a\":{\"pname\":\"\\U0041\",\"name\":\"a-1\"}",
    "\"a\":{\"pname\":\"\\'\",\"name\":\"a-1\"}",
    "\"a\":{\"pname\":\"\\u00\",\"name\":\"a-1\"}",
    "\"a\\q\":{\"name\":\"a-1\"}",
    /* ... and in skipped members (accepted: only strings and brackets are checked there) */
    "\"a\":{\"name\":\"a-1\",\"system\":\"\\u0000 \\ud800 \\x \\u12\",\"meta\":{\"position\":"
    "\"\\ude00\",\"platforms\":[\"\\q\",tru,01,1e999,\"\xff\"]},\"n\\u0061me\":\"\\x\"}",
    /* invalid UTF-8 in kept values */
    "\"a\":{\"name\":\"a-1\xff\"}",
    "\"a\":{\"name\":\"a-1\xc0\x80\"}",
    "\"a\":{\"name\":\"a-1\xc1\xbf\"}",
    "\"a\":{\"name\":\"a-1\xe0\x80\x80\"}",
    "\"a\":{\"name\":\"a-1\xed\xa0\x80\"}",
    "\"a\":{\"name\":\"a-1\xf4\x90\x80\x80\"}",
    "\"a\":{\"name\":\"a-1\xf0\x8f\xbf\xbf\"}",
    "\"a\":{\"name\":\"a-1\xf0\x80\x81\x80\"}",
    "\"a\":{\"name\":\"a-1\xe0\x9f\xbf\"}",
    "\"a\":{\"name\":\"a-1\xf5\x80\x80\x80\"}",
    "\"a\":{\"name\":\"a-1\xe2\x82\"}",
    "\"a\":{\"name\":\"a-1\x80\"}",
    "\"a\":{\"name\":\"a-1\xf0\x9f\x98\"}",
    "\"a\xe9\":{\"name\":\"a-1\"}",
    "\"a\":{\"name\":\"a-1\",\"meta\":{\"maintainers\":[\"N <\xc3\x28@x>\"]}}",
    "\"a\":{\"name\":\"a-1\xef\xbf\xbf\xf4\x8f\xbf\xbf\xc2\x80\xdf\xbf\xe0\xa0\x80\xf0\x90\x80\x80"
    "\"}",
    /* wrong types: the entry or the field is dropped, as with jansson */
    "\"a\":{\"name\":5}",
    "\"a\":{\"name\":\"a-1\",\"pname\":null,\"version\":[]}",
    "\"a\":{\"name\":\"a-1\",\"pname\":7,\"version\":{}}",
    "\"a\":{\"name\":\"a-1\",\"version\":true}",
    "\"a\":{\"name\":\"a-1\",\"meta\":\"x\"}",
    "\"a\":{\"name\":\"a-1\",\"meta\":[{\"description\":\"d\"}]}",
    "\"a\":{\"name\":\"a-1\",\"meta\":{\"description\":5,\"homepage\":{},\"license\":5,"
    "\"maintainers\":{\"email\":\"a@b\"}}}",
    "\"a\":{\"name\":\"a-1\",\"meta\":{\"homepage\":[5,\"http://x\"],\"license\":true,"
    "\"maintainers\":\"x <a@b>\"}}",
    "\"a\":{\"name\":\"a-1\",\"meta\":{\"homepage\":[],\"license\":null,\"maintainers\":null}}",
    "\"a\":{\"name\":\"a-1\",\"meta\":{\"homepage\":\"\",\"license\":\"\",\"maintainers\":[]}}",
    "\"a\":{\"name\":\"a-1\",\"meta\":{\"homepage\":[\"\",\"http://x\"],\"description\":\" \\n\\t "
    "\\u000b\\f\"}}",
    "\"a\":{\"name\":\"a-1\",\"meta\":{\"homepage\":[[\"http://x\"]],\"description\":\"\"}}",
    "\"pkgs\":5",
    "\"pkgs\":\"x\"",
    "\"pkgs\":[1,2,{\"name\":\"a-1\"}]",
    "\"pkgs\":null",
    "\"pkgs\":[tru]",
    "\"pkgs\":[1e999]",
    "\"pkgs\":\"\\x\"",
    "\"\":5",
    "\"\":{\"name\":\"a-1\"}",
    /* licences: nesting (depth 4 is the limit), objects, duplicates, escaped names */
    "\"l1\":{\"name\":\"l-1\",\"meta\":{\"license\":[[[[\"A\"]]],[[[[\"B\"]]]],\"C\",[\"D\",[\"E\"]"
    "]]}}",
    "\"l2\":{\"name\":\"l-1\",\"meta\":{\"license\":[{\"spdxId\":5,\"fullName\":\"F N\"},"
    "{\"fullname\":\"f n\"},{\"spdxId\":\"\"},{\"spdxId\":\"A\",\"spdxId\":\"B\"},"
    "{\"spdx\\u0049d\":\"X\"},{\"shortName\":\"s\"},{},[],\"\",null,7,{\"spdxId\":null,"
    "\"fullName\":null,\"fullname\":\"last\"}]}}",
    "\"l3\":{\"name\":\"l-1\",\"meta\":{\"license\":{\"spdxId\":\"MIT\",\"spdxId\":5,\"fullName\":"
    "\"Expat\"}}}",
    "\"l4\":{\"name\":\"l-1\",\"meta\":{\"license\":[[[[]]]]}}",
    "\"l5\":{\"name\":\"l-1\",\"meta\":{\"license\":{\"spdxId\":\"A\\u00e9\\ud83d\\ude00\"},"
    "\"license\":[\"second\",\"wins\"]}}",
    "\"l6\":{\"name\":\"l-1\",\"meta\":{\"license\":[1e999]}}",
    "\"l7\":{\"name\":\"l-1\",\"meta\":{\"license\":[\"a\",]}}",
    "\"l8\":{\"name\":\"l-1\",\"meta\":{\"license\":{\"a\":1,}}}",
    "\"l9\":{\"name\":\"l-1\",\"meta\":{\"license\":{\"a\" 1}}}",
    "\"la\":{\"name\":\"l-1\",\"meta\":{\"license\":[\"a\" \"b\"]}}",
    "\"lb\":{\"name\":\"l-1\",\"meta\":{\"license\":{5:1}}}",
    /* maintainers of every shape */
    "\"m\":{\"name\":\"m-1\",\"meta\":{\"maintainers\":[{\"email\":\"Foo@Bar.ORG\"},"
    "{\"email\":\"nope\",\"github\":\"GH\"},{\"github\":\"gh2\"},\"Old Name <Old@Example.org>\","
    "\"no address\",\"x <noat>\",\"<@>\",\"a > b <c@d\",{\"email\":\"a "
    "b@c\",\"github\":\"ignored\"},"
    "{\"email\":\"x@y\",\"email\":5,\"github\":\"g\"},5,null,[],{\"email\":\"FOO@bar.org\"},"
    "{\"email\":\"\\u00c9@x\"},{\"email\":\"a@b\\n\"},{\"github\":\"\"},{\"github\":5},"
    "{\"emai\\u006c\":\"esc@key\"},{\"email\":\"q@r\",\"github\":\"s\",\"email\":\"t@u\"}]}}",
    "\"m2\":{\"name\":\"m-1\",\"meta\":{\"maintainers\":[{\"email\":\"a,b@c\"},{\"email\":\"<a@b>"
    "\"},"
    "\"N <a,b@c>\",\"N <a@b> <c@d>\",{\"email\":\"a@b\",\"githubId\":99999999999999999999}]}}",
    "\"m3\":{\"name\":\"m-1\",\"meta\":{\"maintainers\":[{\"email\":\"a@b\",\"githubId\":"
    "-9223372036854775808,\"x\":[1.5e308,-0,0.0e-0,1E+2,-1e-400]}]}}",
    "\"m4\":{\"name\":\"m-1\",\"meta\":{\"maintainers\":[{\"email\":\"a@b\",\"githubId\":"
    "9223372036854775808}]}}",
    "\"m5\":{\"name\":\"m-1\",\"meta\":{\"maintainers\":[{\"email\":\"a@b\",\"x\":1.8e308}]}}",
    /* name / pname / version: empty, missing, unsplittable */
    "\"v1\":{\"name\":\"foo-1.0\",\"pname\":\"\",\"version\":\"\"}",
    "\"v2\":{\"name\":\"foo-1.0\",\"pname\":\"\"}",
    "\"v3\":{\"pname\":\"foo\"}",
    "\"v4\":{\"pname\":\"foo\",\"version\":\"\"}",
    "\"v5\":{\"name\":\"foo\"}",
    "\"v6\":{\"name\":\"-1\"}",
    "\"v7\":{\"name\":\"a-\"}",
    "\"v8\":{\"name\":\"a-b-2-3\",\"version\":\"9\"}",
    "\"v9\":{\"name\":\"\"}",
    "\"va\":{}",
    "\"vb\":{\"version\":\"1\"}",
    "\"vc\":{\"name\":\"x-1\",\"pname\":\"p\",\"version\":\"v\",\"name\":\"y-2\",\"pname\":\"\","
    "\"version\":5}",
    "\"vd\":{\"name\":\"x-1\",\"name\":5}",
    "\".dot\":{\"name\":\"x-1\"}",
    "\"a.b.c\":{\"name\":\"x-1\"}",
    "\"a..\":{\"name\":\"x-1\"}",
    /* numbers and literals as kept values */
    "\"n1\":{\"name\":\"n-1\",\"version\":1e400}",
    "\"n2\":{\"name\":\"n-1\",\"version\":12345678901234567890}",
    "\"n3\":{\"name\":\"n-1\",\"version\":-9223372036854775808}",
    "\"n4\":{\"name\":\"n-1\",\"version\":-9223372036854775809}",
    "\"n5\":{\"name\":\"n-1\",\"version\":01}",
    "\"n6\":{\"name\":\"n-1\",\"version\":-}",
    "\"n7\":{\"name\":\"n-1\",\"version\":1.}",
    "\"n8\":{\"name\":\"n-1\",\"version\":.5}",
    "\"n9\":{\"name\":\"n-1\",\"version\":1e}",
    "\"na\":{\"name\":\"n-1\",\"version\":1E+5}",
    "\"nb\":{\"name\":\"n-1\",\"version\":tru}",
    "\"nc\":{\"name\":\"n-1\",\"version\":nul}",
    "\"nd\":{\"name\":\"n-1\",\"version\":falsey}",
    "\"ne\":{\"name\":\"n-1\",\"version\":+1}",
    "\"nf\":{\"name\":\"n-1\",\"version\":0x10}",
    "\"ng\":{\"name\":\"n-1\",\"version\":1.5e-999}",
    "\"nh\":{\"name\":\"n-1\",\"version\":-0.0}",
    "\"ni\":{\"name\":\"n-1\",\"version\":true\"x\"}",
    "\"nj\":{\"name\":\"n-1\",\"version\":1\"x\"}",
    "\"nk\":{\"name\":\"n-1\",\"meta\":{\"description\":"
    "0.00000000000000000000000000000000000000000000000000000000000000000000000000001e400}}",
    "\"nl\":{\"name\":\"n-1\",\"meta\":{\"description\":"
    "1000000000000000000000000000000000000000000000000000000000000000000000000000000e230}}",
    "\"nm\":{\"name\":\"n-1\",\"meta\":{\"description\":"
    "1000000000000000000000000000000000000000000000000000000000000000000000000000000e229}}",
    /* duplicates and several meta objects: the last one counts, all kept ones are checked */
    "\"d1\":{\"name\":\"\\x\",\"name\":\"x-1\"}",
    "\"d2\":{\"name\":\"x-1\",\"meta\":{\"description\":\"first\",\"license\":\"L\"},\"meta\":"
    "{\"homepage\":\"h\"}}",
    "\"d3\":{\"name\":\"x-1\",\"meta\":{\"description\":\"first\"},\"meta\":\"str\"}",
    "\"d4\":{\"name\":\"x-1\",\"meta\":{\"description\":\"bad\\x\"},\"meta\":{}}",
    "\"d5\":{\"name\":\"x-1\",\"meta\":{\"description\":\"a\",\"description\":\"b\","
    "\"meta\":{\"description\":\"inner\"}}}",
    "\"d6\":{\"meta\":{\"description\":\"before\"},\"name\":\"x-1\",\"meta\":[1]}",
    /* whitespace everywhere */
    " \"w\" \t:\n{ \"name\" : \"w-1\" , \"meta\" :\r{ \"license\" : [ \"A\" , { \"spdxId\" : "
    "\"B\" } , [ [ \"C\" ] ] ] , \"maintainers\" : [ { \"email\" : \"W@X\" } , \" N <y@z> \" ] , "
    "\"homepage\" : [ \"h\" , 1 ] } } ",
    "\"w2\" : { } ",
    /* structure the scan refuses: jansson decides */
    "\"s1\":{\"name\":\"a-1\",}",
    "\"s2\":{\"name\" \"a-1\"}",
    "\"s3\":{\"name\":\"a-1\" \"x\":1}",
    "\"s4\":{,}",
    "\"s5\":{\"name\":}",
    "\"s6\":{\"meta\":{\"description\":\"d\",},\"name\":\"a-1\"}",
    "\"s7\":{\"platforms\":[1 2],\"name\":\"a-1\"}",
    "\"s8\":{\"platforms\":{\"a\" 1},\"name\":\"a-1\"}",
    "\"s9\":{\"platforms\":x,\"name\":\"a-1\"}",
    "\"sa\":{\"name\":\"a-1\"\"x\"}",
    "\"sb\":{\"name\":[\"a\"}]}",
    /* several entries, some fine, one skipped */
    "\"e1\":{\"name\":\"e-1\"},\"e2\":{\"name\":\"noversion\"},\"e3\":{\"pname\":\"e\","
    "\"version\":\"3\"}",
};

/* Wrap one "packages" body into a whole document (malloc'd, *len set). */
static char *wrap(const char *body, size_t *len)
{
    static const char pre[] = "{\"version\":2,\"packages\":{", post[] = "},\"x\":[1]}";
    size_t n = strlen(body);
    char *doc = malloc(sizeof pre + n + sizeof post);
    assert_non_null(doc);
    memcpy(doc, pre, sizeof pre - 1);
    memcpy(doc + sizeof pre - 1, body, n);
    memcpy(doc + sizeof pre - 1 + n, post, sizeof post);
    *len = sizeof pre - 1 + n + sizeof post - 1;
    return doc;
}

/* Every hand-made case alone, then the valid ones together. */
static void test_nix_cases(void **state)
{
    (void)state;
    size_t ok = 0, failed = 0, records = 0, skipped = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len;
        char *doc = wrap(cases[i], &len);
        char label[32];
        snprintf(label, sizeof label, "case %zu", i);
        run fast;
        check_doc(doc, len, label, &fast);
        if (fast.rc == 0) {
            ok++;
            records += (size_t)fast.st.records;
            skipped += (size_t)fast.st.skipped;
        } else {
            failed++;
        }
        run_free(&fast);
        free(doc);
    }
    print_message("nix-json cases: %zu parsed (%zu records, %zu skipped), %zu rejected\n", ok,
                  records, skipped, failed);
    /* The cases exercise every outcome, so agreeing is not vacuous. */
    assert_true(records >= 40);
    assert_true(skipped >= 15);
    assert_true(failed >= 40);

    /* Some expected values, to pin that both did the right thing (not just the same thing). */
    size_t len;
    char *doc = wrap(cases[0], &len);
    run fast;
    check_doc(doc, len, "case 0", &fast);
    assert_string_equal(fast.text, "hello\x1fhello\x1f"
                                   "2.10\x1f"
                                   "edolstra+nixpkgs@gmail.com\x1f"
                                   "https://www.gnu.org/software/hello/\x1fGPL-3.0-or-later\x1f\x01"
                                   "\x1f"
                                   "A program  that greets\x1f"
                                   "0\x1e");
    run_free(&fast);
    free(doc);
}

/*
 * Random mutations of the cases (fixed seed, so a failure repeats): bytes
 * replaced, snippets that matter to the extractor inserted, ranges deleted.
 */
static void test_nix_mutations(void **state)
{
    (void)state;
    static const char *const snip[] = {
        "\\u0000",
        "\\ud83d",
        "\\ude00",
        "\\ud83d\\ude00",
        "\xc3\xa9",
        "\xff",
        "\xed\xa0\x80",
        "\xf0\x9f\x98\x80",
        "\xf0\x8f\xbf\xbf",
        "\xe0\x9f\xbf",
        "1e400",
        "\"",
        "\\",
        "[",
        "]",
        "{",
        "}",
        ",",
        ":",
        " ",
        "\"name\":\"x-1\",",
        "\"meta\":{},",
        "null",
        "-0",
        "01",
        "\"license\":[",
        "\"maintainers\":[{\"email\":",
        "\"pname\":",
        "\"version\":",
        "\\n",
        "\\\"",
        "<a@B>",
        "\"description\":\"",
        "\"homepage\":[",
        "\\u00",
        "tru",
        "9223372036854775808",
    };
    static const char alpha[] = "\"\\{}[],:u0d8Dc9e.-+ tfnl\x80\xc3\xff";
    uint64_t seed = 0x9e3779b97f4a7c15u;
    size_t ncase = sizeof cases / sizeof cases[0];
    long iters = getenv("NIX_MUTATIONS") ? atol(getenv("NIX_MUTATIONS")) : 20000;
    for (long it = 0; it < iters; it++) {
        const char *base = cases[tu_rand(&seed) % ncase];
        size_t blen = strlen(base);
        char buf[4096];
        size_t n = blen < 2048 ? blen : 2048;
        memcpy(buf, base, n);
        int muts = 1 + (int)(tu_rand(&seed) % 3);
        for (int m = 0; m < muts; m++) {
            size_t pos = n ? (size_t)(tu_rand(&seed) % (n + 1)) : 0;
            switch (tu_rand(&seed) % 3) {
            case 0:
                if (pos < n)
                    buf[pos] = alpha[tu_rand(&seed) % (sizeof alpha - 1)];
                break;
            case 1: {
                const char *s = snip[tu_rand(&seed) % (sizeof snip / sizeof snip[0])];
                size_t sl = strlen(s);
                if (n + sl < sizeof buf) {
                    memmove(buf + pos + sl, buf + pos, n - pos);
                    memcpy(buf + pos, s, sl);
                    n += sl;
                }
                break;
            }
            default: {
                size_t dl = (size_t)(tu_rand(&seed) % 4) + 1;
                if (pos + dl <= n) {
                    memmove(buf + pos, buf + pos + dl, n - pos - dl);
                    n -= dl;
                }
                break;
            }
            }
        }
        buf[n] = '\0';
        size_t len;
        char *doc = wrap(buf, &len);
        char label[48];
        snprintf(label, sizeof label, "mutation %ld", it);
        check_doc(doc, len, label, NULL);
        free(doc);
    }
}

/* The comparison itself can fail: a changed field, counter or error is reported. */
static void test_nix_diff_detects(void **state)
{
    (void)state;
    size_t la, lb;
    char *a = wrap("\"a\":{\"name\":\"a-1\",\"meta\":{\"license\":\"MIT\"}}", &la);
    char *b = wrap("\"a\":{\"name\":\"a-1\",\"meta\":{\"license\":\"BSD\"}}", &lb);
    run ra, rb;
    char why[600];
    run_mem(pf_parse_nix_json, a, la, &ra);
    run_mem(nix_ref_parse_stats, b, lb, &rb);
    assert_int_equal(run_diff(&ra, &rb, why, sizeof why), 1);
    assert_non_null(strstr(why, "record 0 differs"));
    run_free(&rb);
    run_mem(nix_ref_parse_stats, a, la, &rb);
    assert_int_equal(run_diff(&ra, &rb, why, sizeof why), 0);
    rb.st.skipped++;
    assert_int_equal(run_diff(&ra, &rb, why, sizeof why), 1);
    rb.st.skipped--;
    snprintf(rb.err, sizeof rb.err, "x");
    assert_int_equal(run_diff(&ra, &rb, why, sizeof why), 1);
    run_free(&ra);
    run_free(&rb);
    free(a);
    free(b);
}

/*
 * More containers than the splitter records (PF_JS_MAX_SPANS) before and
 * after the kept members: past the limit the extractor scans them itself.
 */
static void test_nix_many_containers(void **state)
{
    (void)state;
    size_t cap = 200000, n = 0;
    char *body = malloc(cap);
    assert_non_null(body);
    n += (size_t)snprintf(body + n, cap - n, "\"many\":{");
    for (int i = 0; i < 5000; i++)
        n += (size_t)snprintf(body + n, cap - n, "\"x%d\":[{\"q\":[1]},\"]\"],", i);
    n += (size_t)snprintf(
        body + n, cap - n,
        "\"name\":\"many-1\",\"meta\":{\"platforms\":[[],{}],\"license\":[\"L\"]},");
    for (int i = 0; i < 100; i++)
        n += (size_t)snprintf(body + n, cap - n, "\"y%d\":{\"a\":[]},", i);
    n += (size_t)snprintf(body + n, cap - n, "\"version\":\"2\"}");
    size_t len;
    char *doc = wrap(body, &len);
    run fast;
    check_doc(doc, len, "many containers", &fast);
    assert_int_equal(fast.nrec, 1);
    assert_non_null(strstr(fast.text, "many\x1fmany\x1f"
                                      "2\x1f\x01\x1f\x01\x1fL\x1f"));
    run_free(&fast);
    free(doc);
    free(body);
}

/* The whole real packages.json: identical records, in the same order. */
static void test_nix_real_diff(void **state)
{
    (void)state;
    const char *path = tu_realdata("nixpkgs/packages.json.xz");
    if (!path)
        skip();
    run fast, ref;
    char oerr[256], why[600];
    pf_reader *rd = pf_reader_open_path(path, 0, oerr, sizeof oerr);
    assert_non_null(rd);
    run_reader(pf_parse_nix_json, rd, &fast);
    pf_reader_close(rd);
    rd = pf_reader_open_path(path, 0, oerr, sizeof oerr);
    assert_non_null(rd);
    run_reader(nix_ref_parse_stats, rd, &ref);
    pf_reader_close(rd);
    if (run_diff(&fast, &ref, why, sizeof why) != 0)
        fail_msg("real packages.json: %s", why);
    assert_int_equal(fast.rc, 0);
    /* 36 entries more than the unsplittable ones are skipped as Repology's parser drops them. */
    assert_int_equal(fast.nrec, 47124);
    assert_int_equal(fast.st.skipped, 399);
    print_message("nix-json real file: %ld records identical to the reference (%zu bytes)\n",
                  fast.nrec, fast.len);
    run_free(&fast);
    run_free(&ref);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nix_diff_detects), cmocka_unit_test(test_nix_cases),
        cmocka_unit_test(test_nix_mutations),    cmocka_unit_test(test_nix_many_containers),
        cmocka_unit_test(test_nix_real_diff),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
