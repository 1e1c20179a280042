/*
 * xmlsax.c — SAX2 streaming of a big XML document (xmlsax.h).
 *
 * The bytes go from the pf_reader through pf_xml_guard (repomd.h) into
 * xmlParseChunk. Our SAX callbacks keep the depth and, per open element,
 * what a DOM would hold so far (a child at all, a text node first, a text
 * node last): the facts libxml2's areBlanks looks at to drop ignorable
 * white space when XML_PARSE_NOBLANKS builds a tree.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>

#include "pkgfresh/grow.h"
#include "pkgfresh/repomd.h"
#include "pkgfresh/xmlsax.h"
#include "pkgfresh/xmltree.h"

#define XS_CHUNK 65536

/* What an open element holds so far (as a DOM would). */
enum { XS_CHILD = 1, XS_FIRST_TEXT = 2, XS_LAST_TEXT = 4 };

typedef struct xs_run {
    xmlParserCtxtPtr ctxt;
    const pf_xmlsax_handler *h;
    void *ctx;
    unsigned char *open; /* open[d]: XS_* of the open element at depth d */
    size_t cap;
    int depth;     /* depth of the innermost open element, -1 outside the root */
    int stop;      /* a handler's stop value */
    int oom;       /* the depth stack could not grow */
    int doctype;   /* a DOCTYPE reached libxml2 */
    int err_line;  /* line of the first XML error */
    char err[200]; /* first libxml2 error message (not warnings) */
} xs_run;

/* Stop the parser with a handler's value (or out of memory). */
static void xs_stop(xs_run *r, int v)
{
    if (!r->stop)
        r->stop = v;
    xmlStopParser(r->ctxt);
}

/* Note a child of kind `text` (1 text, 0 other) in the innermost open element. */
static void xs_child(xs_run *r, int text)
{
    if (r->depth < 0)
        return;
    unsigned char *o = &r->open[r->depth];
    if (!(*o & XS_CHILD))
        *o |= XS_CHILD | (text ? XS_FIRST_TEXT : 0);
    *o = (unsigned char)(text ? *o | XS_LAST_TEXT : *o & ~XS_LAST_TEXT);
}

/* SAX: an element starts. */
static void xs_start(void *vr, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri,
                     int nns, const xmlChar **ns, int nattr, int ndef, const xmlChar **attrs)
{
    (void)prefix, (void)uri, (void)nns, (void)ns, (void)nattr, (void)ndef, (void)attrs;
    xs_run *r = vr;
    if (r->stop)
        return;
    xs_child(r, 0);
    if (r->depth >= (int)xmlParserMaxDepth && !(r->ctxt->options & XML_PARSE_HUGE)) {
        /* libxml2 checks its depth limit when it builds a node: without nodes, check here */
        if (!r->err[0]) {
            snprintf(r->err, sizeof r->err,
                     "Excessive depth in document: %u use XML_PARSE_HUGE option",
                     xmlParserMaxDepth);
            r->err_line = xmlSAX2GetLineNumber(r->ctxt);
        }
        xmlStopParser(r->ctxt);
        return;
    }
    if (pf_grow((char **)&r->open, &r->cap, (size_t)(r->depth + 1), 1) != 0) {
        r->oom = 1;
        xs_stop(r, -1);
        return;
    }
    r->open[++r->depth] = 0;
    if (r->h->start) {
        int v = r->h->start(r->ctx, (const char *)local, r->depth);
        if (v)
            xs_stop(r, v);
    }
}

/* SAX: an element ends. */
static void xs_end(void *vr, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
    (void)prefix, (void)uri;
    xs_run *r = vr;
    if (r->stop)
        return;
    int d = r->depth--;
    if (r->h->end) {
        int v = r->h->end(r->ctx, (const char *)local, d);
        if (v)
            xs_stop(r, v);
    }
}

/* Is s[0..n) blank in libxml2's sense (space, tab, CR, LF)? */
static int xs_blank(const xmlChar *s, int n)
{
    for (int i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
            return 0;
    return 1;
}

/*
 * Would a NOBLANKS tree drop the blank run s[0..n)? libxml2 2.9's
 * areBlanks, for a parser building a tree: not under xml:space="preserve"
 * (nor in the state -2 it starts elements in), only before a '<' or CR,
 * not as the only content of an element ("<a> </a>"), and not once the
 * element has a text node first or last. The byte after the run is read
 * where libxml2 reads it: right after s when s lies in the input buffer
 * (libxml2 has not moved its cursor yet when it calls us), else at the
 * cursor (the run was copied out and the cursor is past it).
 */
static int xs_ignorable(const xs_run *r, const xmlChar *s, int n)
{
    const xmlParserCtxtPtr c = r->ctxt;
    if (r->depth < 0 || !c->space || *c->space == 1 || *c->space == -2 || !c->input ||
        !c->input->cur)
        return 0;
    const xmlChar *end = c->input->end;
    const xmlChar *next = s >= c->input->base && s < end ? s + n : c->input->cur;
    int raw = next < end ? next[0] : 0;
    if (raw != '<' && raw != 0xD)
        return 0;
    unsigned o = r->open[r->depth];
    if (!(o & XS_CHILD))
        return !(raw == '<' && next + 1 < end && next[1] == '/');
    return !(o & (XS_LAST_TEXT | XS_FIRST_TEXT));
}

/* Hand text to the handler. */
static void xs_emit_text(xs_run *r, const xmlChar *s, int n)
{
    if (r->h->text && r->depth >= 0) {
        int v = r->h->text(r->ctx, (const char *)s, (size_t)n, r->depth);
        if (v)
            xs_stop(r, v);
    }
}

/* SAX: character data (ignorable white space is dropped as a NOBLANKS tree drops it). */
static void xs_chars(void *vr, const xmlChar *s, int n)
{
    xs_run *r = vr;
    if (r->stop || n <= 0)
        return;
    if (xs_blank(s, n) && xs_ignorable(r, s, n))
        return;
    xs_child(r, 1);
    xs_emit_text(r, s, n);
}

/* SAX: a CDATA section (a child node of its own, not a text node). */
static void xs_cdata(void *vr, const xmlChar *s, int n)
{
    xs_run *r = vr;
    if (r->stop)
        return;
    xs_child(r, 0);
    if (n > 0)
        xs_emit_text(r, s, n);
}

/* SAX: a comment (a child node: it counts for the white-space rule). */
static void xs_comment(void *vr, const xmlChar *s)
{
    (void)s;
    xs_child(vr, 0);
}

/* SAX: a processing instruction (a child node, as a comment). */
static void xs_pi(void *vr, const xmlChar *target, const xmlChar *data)
{
    (void)target, (void)data;
    xs_child(vr, 0);
}

/* SAX: a DOCTYPE that got past the guard: refuse it. */
static void xs_doctype(void *vr, const xmlChar *name, const xmlChar *eid, const xmlChar *sid)
{
    (void)name, (void)eid, (void)sid;
    xs_run *r = vr;
    r->doctype = xmlSAX2GetLineNumber(r->ctxt);
    xs_stop(r, -1);
}

/* SAX: keep the first error (not warnings) and its line, on one line. */
static void xs_error(void *vr, xmlErrorPtr e)
{
    xs_run *r = vr;
    if (!e || e->level < XML_ERR_ERROR || r->err[0])
        return;
    pf_xml_err_text(r->err, sizeof r->err, e->message);
    r->err_line = e->line;
}

/* Feed the whole reader to the parser; 0, or -1 with the cause in err. */
static int xs_feed(xs_run *r, pf_reader *in, const char *docname, char *err, size_t errlen)
{
    pf_xml_guard guard;
    memset(&guard, 0, sizeof guard);
    char *buf = malloc(XS_CHUNK);
    if (!buf) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int rc = 0;
    for (;;) {
        ssize_t n = in->read(in, buf, XS_CHUNK);
        if (n < 0) {
            snprintf(err, errlen, "%s", in->err[0] ? in->err : "read error");
            rc = -1;
            break;
        }
        if (n > 0 && !guard.done && pf_xml_guard_feed(&guard, buf, (size_t)n)) {
            snprintf(err, errlen,
                     "line %u: DOCTYPE not allowed in %s (entities are never expanded)", guard.line,
                     docname);
            rc = -1;
            break;
        }
        xmlParseChunk(r->ctxt, buf, (int)n, n == 0);
        if (r->stop || r->ctxt->disableSAX || n == 0)
            break; /* a fatal error stops libxml2: the rest is not read */
    }
    free(buf);
    return rc;
}

/* Parse the whole document (see xmlsax.h). */
int pf_xmlsax_run(pf_reader *in, const char *docname, const pf_xmlsax_handler *h, void *ctx,
                  char *err, size_t errlen)
{
    xmlSAXHandler sax;
    memset(&sax, 0, sizeof sax);
    sax.initialized = XML_SAX2_MAGIC;
    sax.startElementNs = xs_start;
    sax.endElementNs = xs_end;
    sax.characters = xs_chars;
    sax.ignorableWhitespace = xs_chars; /* the same: libxml2 leaves the decision to xs_chars */
    sax.cdataBlock = xs_cdata;
    sax.comment = xs_comment;
    sax.processingInstruction = xs_pi;
    sax.internalSubset = xs_doctype;
    sax.serror = xs_error;
    xs_run r;
    memset(&r, 0, sizeof r);
    r.h = h;
    r.ctx = ctx;
    r.depth = -1;
    r.ctxt = xmlCreatePushParserCtxt(&sax, &r, NULL, 0, docname);
    if (!r.ctxt) {
        snprintf(err, errlen, "cannot create XML parser");
        return -1;
    }
    xmlCtxtUseOptions(r.ctxt, XML_PARSE_NONET);
    xmlCharEncodingHandlerPtr utf8 = xmlFindCharEncodingHandler("UTF-8");
    if (utf8)
        xmlSwitchToEncoding(r.ctxt, utf8);
    int rc = xs_feed(&r, in, docname, err, errlen);
    if (rc == 0 && r.oom) {
        snprintf(err, errlen, "out of memory");
        rc = -1;
    } else if (rc == 0 && r.doctype) {
        snprintf(err, errlen, "line %d: DOCTYPE not allowed in %s (entities are never expanded)",
                 r.doctype, docname);
        rc = -1;
    } else if (rc == 0 && r.stop) {
        rc = r.stop;
    } else if (rc == 0 && (r.err[0] || !r.ctxt->wellFormed)) {
        snprintf(err, errlen, "%s: line %d: %s", docname,
                 r.err_line > 0 ? r.err_line : xmlSAX2GetLineNumber(r.ctxt),
                 r.err[0] ? r.err : "malformed or truncated XML");
        rc = -1;
    }
    xmlFreeParserCtxt(r.ctxt);
    free(r.open);
    return rc;
}
