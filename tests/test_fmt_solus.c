/*
 * test_fmt_solus.c — the solus-eopkg parser (crawler/formats/fmt_solus_eopkg.c), the
 * SAX streaming it reads through (crawler/xmlsax.c), and the XML subtree
 * iterator (crawler/xmltree.c) its DOM-subtree reference
 * (tests/support/solus_ref.c) reads through: both parsers must give the same
 * records on the fixture, on 3,000 mutations of it and on white-space corner
 * cases.
 *
 * Fixture: tests/fixtures/solus/eopkg-index.xml.xz, an excerpt of a PiSi
 * index in the layout Solus publishes (Distribution, Component, one
 * Package per binary package with History/Update, Source/Packager), xz as
 * served. It holds a source with a -dbginfo subpackage listed before its
 * main package, a -32bit subpackage with a multi-line licence list, two
 * Updates (the first is current), xml:lang Summary variants, a packager
 * without e-mail, and two broken packages (no History, no Source).
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkgfresh/format.h"
#include "pkgfresh/reader.h"
#include "pkgfresh/xmltree.h"
#include "reccollect.h"
#include "solus_ref.h"

/* The fixture, field by field. */
static void test_fixture(void **state)
{
    (void)state;
    rc_set s = {0};
    rc_parse_path(&s, pf_parse_solus_eopkg, NULL, tu_fixture("solus/eopkg-index.xml.xz"));
    assert_int_equal(s.rc, 0);
    const rc_rec *r = rc_find(&s, "nano", NULL);
    assert_non_null(r);
    rc_eq(r->version, "8.3"); /* the first Update */
    rc_eq(r->binnames, "nano-dbginfo nano");
    rc_eq(r->summary, "Small, friendly text editor"); /* from the package named like the source */
    rc_eq(r->category, "system.utils");
    rc_eq(r->license, "GPL-3.0-or-later");
    rc_eq(r->homepage, "https://www.nano-editor.org");
    rc_eq(r->maintainers, "jane@example.org");
    r = rc_find(&s, "libxml2", "2.13.6");
    assert_non_null(r);
    rc_eq(r->binnames, "libxml2-32bit libxml2");
    rc_eq(r->license, "MIT, ISC"); /* two License elements (and the "- X" list of -32bit) */
    rc_eq(r->category, "system.base");
    rc_eq(r->maintainers, "joey@getsol.us");
    r = rc_find(&s, "font-hack-ttf", "3.003");
    assert_non_null(r);
    rc_eq(r->maintainers, NULL);
    rc_eq(r->homepage, NULL);
    assert_null(rc_find(&s, "broken-nohistory", NULL));
    assert_int_equal(s.n, 3);
    assert_int_equal(s.stats.skipped, 2);
    rc_free(&s);
}

/* Parse a literal document; return the set (caller frees). */
static void parse_text(rc_set *s, const char *xml)
{
    rc_parse_mem(s, pf_parse_solus_eopkg, NULL, xml, strlen(xml));
}

/* The "- X" licence list of one element, and a subpackage-only source. */
static void test_license_list(void **state)
{
    (void)state;
    rc_set s = {0};
    parse_text(&s, "<PISI><Package><Name>foo-devel</Name><License>\n- MIT\n-  BSD-3-Clause \n"
                   "</License><History><Update release=\"2\"><Version>1.0</Version></Update>"
                   "</History><Source><Name>foo</Name></Source></Package></PISI>");
    assert_int_equal(s.rc, 0);
    assert_int_equal(s.n, 1);
    rc_eq(s.recs[0].license, "MIT, BSD-3-Clause");
    rc_eq(s.recs[0].binnames, "foo-devel");
    rc_eq(s.recs[0].srcname, "foo");
    rc_free(&s);
}

/* DOCTYPE, entities, schema change, truncation, garbage: one-line errors. */
static void test_errors(void **state)
{
    (void)state;
    static const struct {
        const char *doc, *want;
    } cases[] = {
        {"<?xml version=\"1.0\"?>\n<!DOCTYPE PISI [<!ENTITY a \"aaaa\">]>\n<PISI/>",
         "solus-eopkg: line 2: DOCTYPE not allowed in eopkg-index.xml"},
        {"<!DOCTYPE PISI SYSTEM \"http://example.invalid/pisi.dtd\"><PISI/>",
         "DOCTYPE not allowed"},
        {"<Index><Package><Name>a</Name></Package></Index>",
         "solus-eopkg: root element is <Index>, expected <PISI>"},
        {"<PISI><Distribution/></PISI>", "solus-eopkg: no <Package> element under the root"},
        {"<PISI><Package><Name>nano</Name><History><Update>", "solus-eopkg: eopkg-index.xml: line"},
        {"\x89PNG\r\n\x1a\n garbage", "solus-eopkg: eopkg-index.xml: line 1:"},
        {"", "solus-eopkg: "},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rc_set s = {0};
        parse_text(&s, cases[i].doc);
        if (s.rc != -1 || !strstr(s.err, cases[i].want))
            fprintf(stderr, "case %zu: rc %d, message: %s\n", i, s.rc, s.err);
        assert_int_equal(s.rc, -1);
        assert_non_null(strstr(s.err, cases[i].want));
        assert_null(strchr(s.err, '\n'));
        assert_int_equal(s.n, 0);
        rc_free(&s);
    }
}

/* The subtree iterator: depth, names, an accepted external DOCTYPE, text helpers. */
static void test_xmltree(void **state)
{
    (void)state;
    static const char doc[] =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE r SYSTEM \"https://example.invalid/r.dtd\">\n"
        "<r><a><x>one</x></a><b>skip</b><a><x> two &amp; <![CDATA[<three>]]> </x></a>"
        "<c><a><x>nested: not at depth 1</x></a></c></r>";
    static const char *const names[] = {"a", NULL};
    char err[256];
    pf_reader *rd = pf_reader_open_mem(doc, sizeof doc - 1, PF_CODEC_NONE, err, sizeof err);
    assert_non_null(rd);
    pf_xmltree *t = pf_xmltree_open(rd, "r.xml", 1, names, PF_XT_EXTERNAL_DOCTYPE, err, sizeof err);
    assert_non_null(t);
    char *buf = NULL;
    size_t cap = 0, len = 0;
    xmlNodePtr n;
    assert_int_equal(pf_xmltree_next(t, &n), 1);
    size_t off = pf_xml_text(pf_xml_path(n, "x"), 1, &buf, &cap, &len);
    assert_string_equal(buf + off, "one");
    assert_int_equal(pf_xmltree_next(t, &n), 1);
    off = pf_xml_text(pf_xml_path(n, "x"), 1, &buf, &cap, &len);
    assert_string_equal(buf + off, "two & <three>");
    assert_null(pf_xml_path(n, "x/y"));
    assert_int_equal(pf_xmltree_next(t, &n), 0);
    pf_xmltree_close(t);
    pf_reader_close(rd);

    /* the same flag still refuses an internal subset */
    static const char bad[] = "<!DOCTYPE r SYSTEM \"x.dtd\" [<!ENTITY e \"e\">]><r><a/></r>";
    rd = pf_reader_open_mem(bad, sizeof bad - 1, PF_CODEC_NONE, err, sizeof err);
    t = pf_xmltree_open(rd, "r.xml", 1, names, PF_XT_EXTERNAL_DOCTYPE, err, sizeof err);
    if (t) {
        assert_int_equal(pf_xmltree_next(t, &n), -1);
        assert_non_null(strstr(pf_xmltree_error(t), "DOCTYPE with internal subset not allowed"));
        pf_xmltree_close(t);
    } else {
        assert_non_null(strstr(err, "DOCTYPE with internal subset not allowed"));
    }
    pf_reader_close(rd);

    /* whole small documents: the same DOCTYPE rules, a reused parser context */
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    assert_non_null(ctxt);
    static const char ok[] = "<!DOCTYPE m SYSTEM \"m.dtd\"><m><e>x &amp; y</e></m>";
    for (int i = 0; i < 2; i++) {
        xmlDocPtr d = pf_xml_read_mem(i ? ctxt : NULL, ok, sizeof ok - 1, "m.xml",
                                      PF_XT_EXTERNAL_DOCTYPE, err, sizeof err);
        assert_non_null(d);
        len = 0;
        off = pf_xml_text(pf_xml_path(xmlDocGetRootElement(d), "e"), 1, &buf, &cap, &len);
        assert_string_equal(buf + off, "x & y");
        xmlFreeDoc(d);
    }
    assert_null(pf_xml_read_mem(ctxt, bad, sizeof bad - 1, "m.xml", PF_XT_EXTERNAL_DOCTYPE, err,
                                sizeof err));
    assert_non_null(strstr(err, "DOCTYPE with internal subset not allowed in m.xml"));
    assert_null(pf_xml_read_mem(ctxt, ok, sizeof ok - 1, "m.xml", 0, err, sizeof err));
    assert_non_null(strstr(err, "DOCTYPE not allowed"));
    assert_null(pf_xml_read_mem(ctxt, "<m><e></m>", 10, "m.xml", 0, err, sizeof err));
    assert_non_null(strstr(err, "m.xml: malformed XML"));
    xmlFreeParserCtxt(ctxt);
    free(buf);
}

/* Is field a equal to field b (both may be NULL)? */
static int same_field(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/*
 * Parse buf with the production parser and the reference: the same result
 * and, when the reference succeeds, the same counters and records (every
 * field and flag, in order). A failure of both must read as one of ours
 * (the messages may differ when an XML error and a schema check race:
 * the reference's reader parses ahead). Returns 1 when the reference succeeded.
 */
static int same_as_ref(const char *buf, size_t len)
{
    rc_set a = {0}, b = {0};
    rc_parse_mem(&a, pf_parse_solus_eopkg, NULL, buf, len);
    rc_parse_mem(&b, ref_parse_solus_eopkg, NULL, buf, len);
    int ok = a.rc == b.rc;
    if (ok && b.rc == 0) {
        ok = a.n == b.n && a.stats.records == b.stats.records && a.stats.skipped == b.stats.skipped;
        for (size_t i = 0; ok && i < a.n; i++) {
            const rc_rec *x = &a.recs[i], *y = &b.recs[i];
            ok = same_field(x->srcname, y->srcname) && same_field(x->binnames, y->binnames) &&
                 same_field(x->version, y->version) && same_field(x->summary, y->summary) &&
                 same_field(x->license, y->license) && same_field(x->category, y->category) &&
                 same_field(x->homepage, y->homepage) &&
                 same_field(x->maintainers, y->maintainers) && x->flags == y->flags;
        }
    } else if (ok) {
        ok = a.n == 0 && strncmp(a.err, "solus-eopkg: ", 13) == 0 && !strchr(a.err, '\n');
    }
    if (!ok)
        fail_msg(
            "differs from the reference: rc %d '%s' %zu records, ref %d '%s' %zu records on\n%.*s",
            a.rc, a.err, a.n, b.rc, b.err, b.n, (int)(len < 600 ? len : 600), buf);
    int good = b.rc == 0;
    rc_free(&a);
    rc_free(&b);
    return good;
}

/* The fixture and 3,000 mutations of it (XML tokens, white space, comments, CDATA inserted). */
static void test_matches_reference(void **state)
{
    (void)state;
    static const char *const ins[] = {
        "<",        ">",         "</Name>",         "<Name>", " ",       "\t",
        "\n",       "<!--c-->",  "<![CDATA[ x ]]>", "&amp;",  "&bogus;", " xml:space=\"preserve\"",
        "<?pi x?>", "<License>", "</License>",      "<x/>",   "\r",      "\xc3",
        "<Source>", "</Package>"};
    char text[65536];
    size_t len = 0;
    char err[256];
    pf_reader *rd = pf_reader_open_path(tu_fixture("solus/eopkg-index.xml.xz"), 0, err, sizeof err);
    assert_non_null(rd);
    ssize_t got;
    while ((got = rd->read(rd, text + len, sizeof text - 1 - len)) > 0)
        len += (size_t)got;
    assert_true(got == 0);
    pf_reader_close(rd);
    assert_int_equal(same_as_ref(text, len), 1);
    char *m = malloc(len + 64);
    assert_non_null(m);
    uint64_t seed = 0xD1B54A32D192ED03ull;
    int parsed = 0;
    for (int k = 0; k < 3000; k++) {
        size_t ml = tu_mutate(text, len, m, &seed, ins, sizeof ins / sizeof ins[0]);
        parsed += same_as_ref(m, ml);
    }
    free(m);
    assert_true(parsed > 300); /* the mutations must not all break the document */
}

/* White space as a NOBLANKS tree keeps or drops it, next to comments, PIs, CDATA, children. */
static void test_blank_text(void **state)
{
    (void)state;
    static const char *const bodies[] = {
        "<License>\t<!--c-->MIT</License>",
        "<License>\t<x/>MIT</License>",
        "<License><x/>\t</License><Summary>a<x/>b<y/> <z/>c</Summary>",
        "<License>x\t<x/>\tMIT</License><Summary xml:space=\"preserve\"><x/> <y/>c</Summary>",
        "<License>\t<?pi x?>\n <![CDATA[ ]]> \t<x/>MIT</License>",
        "<License>\n\t</License><License><x/>\t<y/>\tA</License>",
        "<License xml:space=\"preserve\">\t<x/>MIT</License><PartOf>  a  </PartOf>",
        "<License>\r\n\t<x/>\r\nMIT\r\n</License><Summary><![CDATA[ s ]]> </Summary>",
        "<Summary>\t<x> <y/> </x>\tS</Summary><License>   </License>",
    };
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        char doc[1024];
        int n = snprintf(doc, sizeof doc,
                         "<PISI>\n <Package>\n  <Name>a</Name>%s<History><Update><Version>1"
                         "</Version></Update></History><Source><Name>a</Name></Source>\n "
                         "</Package>\n</PISI>\n",
                         bodies[i]);
        assert_int_equal(same_as_ref(doc, (size_t)n), 1);
    }
}

/* libxml2's depth limit (256 without XML_PARSE_HUGE) holds without nodes too, to the level. */
static void test_depth_limit(void **state)
{
    (void)state;
    for (int levels = 253; levels <= 256; levels++) {
        char doc[4096];
        size_t n = (size_t)snprintf(doc, sizeof doc, "<PISI><Package><Name>a</Name>");
        for (int i = 0; i < levels; i++)
            n += (size_t)snprintf(doc + n, sizeof doc - n, "<x>");
        for (int i = 0; i < levels; i++)
            n += (size_t)snprintf(doc + n, sizeof doc - n, "</x>");
        n += (size_t)snprintf(doc + n, sizeof doc - n,
                              "<History><Update><Version>1</Version></Update></History>"
                              "<Source><Name>a</Name></Source></Package></PISI>");
        assert_true(n < sizeof doc);
        rc_set s = {0};
        rc_parse_mem(&s, pf_parse_solus_eopkg, NULL, doc, n);
        assert_int_equal(s.rc, levels <= 255 ? 0 : -1);
        if (s.rc)
            assert_non_null(strstr(s.err, "line 1: Excessive depth in document: 256"));
        rc_free(&s);
        same_as_ref(doc, n);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixture),
        cmocka_unit_test(test_license_list),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_xmltree),
        cmocka_unit_test(test_matches_reference),
        cmocka_unit_test(test_blank_text),
        cmocka_unit_test(test_depth_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
