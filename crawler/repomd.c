/*
 * repomd.c — find the primary data file in an rpm-md repodata/repomd.xml.
 *
 * repomd.xml is small (a few kB) but is read like primary.xml: libxml2's
 * streaming xmlTextReader over the pf_reader, no DOM, no network, no entity
 * expansion, DOCTYPE rejected before libxml2 sees it (pf_xml_guard), input
 * decoded as UTF-8 whatever it declares. The wanted shape is
 *
 *   <repomd xmlns="http://linux.duke.edu/metadata/repo">
 *     <data type="primary">
 *       <checksum type="sha256">HEX</checksum>
 *       <location href="repodata/HEX-primary.xml.zst"/>
 *
 * Only the first <data type="primary"> counts ("primary_db", "primary_zck"
 * are other types). A primary without <location href> or without a
 * <checksum type=...> (both required by the format; the checksum is what
 * tells an unchanged primary apart) is an error.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <libxml/xmlreader.h>

#include "pkgfresh/repomd.h"

#define REPOMD_NS "http://linux.duke.edu/metadata/repo"

/* Prolog scanner states (pf_xml_guard.state). */
enum { G_TOP, G_LT, G_PI, G_PI_Q, G_BANG, G_COMMENT };

/* Scan the prolog bytes for a DOCTYPE (see repomd.h). */
int pf_xml_guard_feed(pf_xml_guard *g, const char *buf, size_t n)
{
    if (g->line == 0)
        g->line = 1;
    for (size_t i = 0; i < n && !g->done; i++) {
        unsigned char c = (unsigned char)buf[i];
        if (c == '\n')
            g->line++;
        switch (g->state) {
        case G_TOP: /* white space and a UTF-8 BOM may separate prolog items */
            if (c == '<')
                g->state = G_LT;
            else if (!(c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0xEF || c == 0xBB ||
                       c == 0xBF))
                g->done = 1; /* text before the root: libxml2 reports it */
            break;
        case G_LT:
            if (c == '?')
                g->state = G_PI;
            else if (c == '!') {
                g->state = G_BANG;
                g->n = 0;
            } else
                g->done = 1; /* the root element starts: the prolog is over */
            break;
        case G_PI:
            if (c == '?')
                g->state = G_PI_Q;
            break;
        case G_PI_Q:
            g->state = c == '>' ? G_TOP : c == '?' ? G_PI_Q : G_PI;
            break;
        case G_BANG:
            g->kw[g->n++] = (char)c;
            if (g->n == 2 && memcmp(g->kw, "--", 2) == 0) {
                g->state = G_COMMENT;
                g->dashes = 0;
            } else if (g->n <= 7 && strncasecmp(g->kw, "DOCTYPE", (size_t)g->n) == 0) {
                if (g->n == 7) {
                    g->doctype = 1;
                    g->done = 1;
                }
            } else if (!(g->n == 1 && c == '-')) {
                g->done = 1; /* "<![CDATA[" or junk in the prolog: libxml2 reports it */
            }
            break;
        case G_COMMENT:
            if (c == '-')
                g->dashes++;
            else if (c == '>' && g->dashes >= 2)
                g->state = G_TOP;
            else
                g->dashes = 0;
            break;
        default:
            g->done = 1;
        }
    }
    return g->doctype;
}

/* Reader context: the byte source and the first XML error seen. */
typedef struct repomd_ctx {
    pf_reader *in;
    pf_xml_guard guard;
    int io_failed;
    char xml_err[200];
    int xml_err_line;
} repomd_ctx;

/* libxml2 input callback: pull bytes from the pf_reader. */
static int repomd_io_read(void *ctx, char *buffer, int len)
{
    repomd_ctx *c = ctx;
    if (len <= 0)
        return 0;
    ssize_t n = c->in->read(c->in, buffer, (size_t)len);
    if (n < 0) {
        c->io_failed = 1;
        return -1;
    }
    if (!c->guard.done && pf_xml_guard_feed(&c->guard, buffer, (size_t)n))
        return -1; /* a DOCTYPE: libxml2 never sees it */
    return (int)n;
}

/* libxml2 close callback: the pf_reader belongs to the caller. */
static int repomd_io_close(void *ctx)
{
    (void)ctx;
    return 0;
}

/* libxml2 error callback: keep the first error with its line. */
static void repomd_xml_error(void *arg, const char *msg, xmlParserSeverities severity,
                             xmlTextReaderLocatorPtr locator)
{
    repomd_ctx *c = arg;
    if (severity == XML_PARSER_SEVERITY_WARNING ||
        severity == XML_PARSER_SEVERITY_VALIDITY_WARNING || c->xml_err[0])
        return;
    snprintf(c->xml_err, sizeof c->xml_err, "%s", msg ? msg : "malformed XML");
    size_t n = strlen(c->xml_err);
    while (n > 0 && (c->xml_err[n - 1] == '\n' || c->xml_err[n - 1] == ' '))
        c->xml_err[--n] = '\0';
    for (size_t i = 0; i < n; i++) /* libxml2 messages may span lines: errors are one line */
        if (c->xml_err[i] == '\n' || c->xml_err[i] == '\r' || c->xml_err[i] == '\t')
            c->xml_err[i] = ' ';
    c->xml_err_line = locator ? xmlTextReaderLocatorLineNumber(locator) : 0;
}

/* Is the current element (ns, name) of repomd (no namespace accepted too)? */
static int repomd_is(xmlTextReaderPtr xr, const char *name)
{
    const char *local = (const char *)xmlTextReaderConstLocalName(xr);
    const char *uri = (const char *)xmlTextReaderConstNamespaceUri(xr);
    return local && strcmp(local, name) == 0 && (!uri || strcmp(uri, REPOMD_NS) == 0);
}

/* Copy attribute `name` of the current element into out; 1 copied, 0 absent, -1 too long. */
static int repomd_attr(xmlTextReaderPtr xr, const char *name, char *out, size_t outlen)
{
    int rc = 0;
    if (xmlTextReaderMoveToAttribute(xr, (const xmlChar *)name) == 1) {
        const char *v = (const char *)xmlTextReaderConstValue(xr);
        rc = v && snprintf(out, outlen, "%s", v) < (int)outlen ? 1 : -1;
        xmlTextReaderMoveToElement(xr);
    }
    return rc;
}

/* Trim spaces, tabs and newlines from both ends of s in place. */
static void repomd_trim(char *s)
{
    size_t n = strlen(s), a = 0;
    while (a < n && strchr(" \t\r\n", s[a]))
        a++;
    while (n > a && strchr(" \t\r\n", s[n - 1]))
        n--;
    memmove(s, s + a, n - a);
    s[n - a] = '\0';
}

/* Find the primary's location and checksum (see the file comment and repomd.h). */
int pf_repomd_primary(pf_reader *in, char *href, size_t hreflen, char *checksum, size_t cklen,
                      char *err, size_t errlen)
{
    repomd_ctx c;
    memset(&c, 0, sizeof c);
    c.in = in;
    if (hreflen == 0 || cklen == 0) {
        snprintf(err, errlen, "repomd: no room for the result");
        return -1;
    }
    href[0] = checksum[0] = '\0';

    xmlTextReaderPtr xr = xmlReaderForIO(repomd_io_read, repomd_io_close, &c, "repomd.xml", "UTF-8",
                                         XML_PARSE_NONET | XML_PARSE_NOBLANKS);
    if (!xr) {
        if (c.guard.doctype)
            snprintf(err, errlen, "repomd: line %u: DOCTYPE not allowed in repomd.xml",
                     c.guard.line);
        else
            snprintf(err, errlen, "repomd: cannot create XML reader%s%s", c.io_failed ? ": " : "",
                     c.io_failed ? in->err : "");
        return -1;
    }
    xmlTextReaderSetErrorHandler(xr, repomd_xml_error, &c);

    /* depth: 0 outside, 1 in <repomd>, 2 in the primary <data>, 3 in its <checksum>. */
    int depth = 0, found = 0, done = 0, rc = 0, skip;
    char cktype[64] = "";
    char ckhex[256] = "";
    size_t hexlen = 0;
    int ret = xmlTextReaderRead(xr);
    while (ret == 1 && !done && rc == 0) {
        skip = 0;
        int type = xmlTextReaderNodeType(xr);
        if (type == XML_READER_TYPE_DOCUMENT_TYPE) {
            snprintf(err, errlen, "repomd: line %d: DOCTYPE not allowed in repomd.xml",
                     xmlTextReaderGetParserLineNumber(xr));
            rc = -1;
            break;
        }
        if (type == XML_READER_TYPE_ELEMENT) {
            int empty = xmlTextReaderIsEmptyElement(xr);
            if (depth == 0) {
                if (!repomd_is(xr, "repomd")) {
                    snprintf(err, errlen, "repomd: line %d: root element is <%s>, not <repomd>",
                             xmlTextReaderGetParserLineNumber(xr),
                             (const char *)xmlTextReaderConstLocalName(xr));
                    rc = -1;
                    break;
                }
                depth = empty ? 0 : 1;
            } else if (depth == 1) {
                char dtype[32];
                if (!found && repomd_is(xr, "data") &&
                    repomd_attr(xr, "type", dtype, sizeof dtype) == 1 &&
                    strcmp(dtype, "primary") == 0) {
                    found = 1;
                    depth = empty ? 1 : 2;
                    done = empty;
                } else {
                    skip = 1;
                }
            } else if (depth == 2) {
                if (repomd_is(xr, "location")) {
                    if (repomd_attr(xr, "href", href, hreflen) < 0) {
                        snprintf(err, errlen, "repomd: primary location href longer than %zu bytes",
                                 hreflen - 1);
                        rc = -1;
                    }
                    skip = 1;
                } else if (repomd_is(xr, "checksum") && !cktype[0]) {
                    if (repomd_attr(xr, "type", cktype, sizeof cktype) < 0)
                        cktype[0] = '\0';
                    hexlen = 0;
                    ckhex[0] = '\0';
                    if (!empty)
                        depth = 3;
                } else {
                    skip = 1;
                }
            } else {
                skip = 1; /* an element inside <checksum>: ignored */
            }
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            if (depth == 3)
                depth = 2;
            else if (depth == 2) {
                depth = 1;
                done = 1; /* the primary entry is complete */
            } else if (depth == 1)
                depth = 0;
        } else if (depth == 3 && (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
                                  type == XML_READER_TYPE_WHITESPACE ||
                                  type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE)) {
            const char *v = (const char *)xmlTextReaderConstValue(xr);
            size_t n = v ? strlen(v) : 0;
            if (hexlen + n >= sizeof ckhex) {
                snprintf(err, errlen, "repomd: primary checksum longer than %zu bytes",
                         sizeof ckhex - 1);
                rc = -1;
                break;
            }
            memcpy(ckhex + hexlen, v, n);
            hexlen += n;
            ckhex[hexlen] = '\0';
        }
        if (rc != 0 || done)
            break;
        ret = skip ? xmlTextReaderNext(xr) : xmlTextReaderRead(xr);
    }

    if (rc == 0 && ret < 0) {
        if (c.guard.doctype)
            snprintf(err, errlen, "repomd: line %u: DOCTYPE not allowed in repomd.xml",
                     c.guard.line);
        else if (c.io_failed)
            snprintf(err, errlen, "repomd: %s", in->err[0] ? in->err : "read error");
        else
            snprintf(err, errlen, "repomd: line %d: %s",
                     c.xml_err_line > 0 ? c.xml_err_line : xmlTextReaderGetParserLineNumber(xr),
                     c.xml_err[0] ? c.xml_err : "malformed or truncated XML");
        rc = -1;
    }
    xmlFreeTextReader(xr);
    if (rc != 0)
        return rc;
    if (!found) {
        snprintf(err, errlen, "repomd: no <data type=\"primary\"> entry");
        return -1;
    }
    repomd_trim(href);
    if (!href[0]) {
        snprintf(err, errlen, "repomd: primary entry has no <location href>");
        return -1;
    }
    repomd_trim(ckhex);
    repomd_trim(cktype);
    if (!ckhex[0] || !cktype[0]) {
        /* Required by the format; without it an unchanged primary could not be told apart. */
        snprintf(err, errlen, "repomd: primary entry has no <checksum type=...>");
        return -1;
    }
    if (snprintf(checksum, cklen, "%s:%s", cktype, ckhex) >= (int)cklen) {
        checksum[0] = '\0';
        snprintf(err, errlen, "repomd: primary checksum does not fit in %zu bytes", cklen);
        return -1;
    }
    return 0;
}
