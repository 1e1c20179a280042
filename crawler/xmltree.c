/*
 * xmltree.c — XML subtree iterator over xmlTextReader (xmltree.h).
 *
 * The reader pulls bytes from the pf_reader through xmlReaderForIO. Before
 * libxml2 sees them, the prolog is scanned by pf_xml_guard (repomd.h); a
 * DOCTYPE is refused, or with PF_XT_EXTERNAL_DOCTYPE scanned to its end and
 * refused only when it opens an internal subset. Matching elements are
 * expanded into a subtree; all other elements at the target depth are
 * skipped with xmlTextReaderNext, which builds no nodes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlreader.h>

#include "pkgfresh/grow.h"
#include "pkgfresh/repomd.h"
#include "pkgfresh/xmltree.h"

/* After an accepted DOCTYPE keyword: where the scan of its declaration stands. */
enum { DT_OFF, DT_SCAN, DT_QUOTE1, DT_QUOTE2, DT_DONE };

struct pf_xmltree {
    xmlTextReaderPtr xr;
    pf_reader *in;
    const char *const *names;
    int depth, flags;
    pf_xml_guard guard;
    int dt;            /* DT_* (PF_XT_EXTERNAL_DOCTYPE only) */
    int refused;       /* a DOCTYPE was refused (message in err) */
    int io_failed;     /* the pf_reader failed (message in in->err) */
    int started;       /* the first element was handed out (next call moves past it) */
    int xml_err_line;  /* line of the first XML error */
    char xml_err[200]; /* first libxml2 error message */
    char docname[64];  /* for messages */
    char err[400];     /* the last error, one line */
};

/* Scan bytes of the DOCTYPE declaration after its keyword; 1 = refuse (internal subset). */
static int dt_scan(pf_xmltree *t, const char *buf, size_t n)
{
    for (size_t i = 0; i < n && t->dt != DT_DONE; i++) {
        char c = buf[i];
        if (c == '\n')
            t->guard.line++;
        if (t->dt == DT_QUOTE1)
            t->dt = c == '\'' ? DT_SCAN : DT_QUOTE1;
        else if (t->dt == DT_QUOTE2)
            t->dt = c == '"' ? DT_SCAN : DT_QUOTE2;
        else if (c == '\'')
            t->dt = DT_QUOTE1;
        else if (c == '"')
            t->dt = DT_QUOTE2;
        else if (c == '[')
            return 1;
        else if (c == '>')
            t->dt = DT_DONE;
    }
    return 0;
}

/* Check the prolog bytes of buf; 1 = a DOCTYPE that must be refused. */
static int xt_check(pf_xmltree *t, const char *buf, size_t n)
{
    if (!(t->flags & PF_XT_EXTERNAL_DOCTYPE))
        return !t->guard.done && pf_xml_guard_feed(&t->guard, buf, n);
    size_t i = 0;
    /* Feed the guard byte by byte to know where the DOCTYPE keyword ends. */
    while (t->dt == DT_OFF && !t->guard.done && i < n)
        if (pf_xml_guard_feed(&t->guard, buf + i++, 1))
            t->dt = DT_SCAN;
    if (t->dt == DT_SCAN || t->dt == DT_QUOTE1 || t->dt == DT_QUOTE2)
        return dt_scan(t, buf + i, n - i);
    return 0;
}

/* libxml2 input callback: pull bytes from the pf_reader, guarding the prolog. */
static int xt_io_read(void *ctx, char *buffer, int len)
{
    pf_xmltree *t = ctx;
    if (len <= 0)
        return 0;
    ssize_t n = t->in->read(t->in, buffer, (size_t)len);
    if (n < 0) {
        t->io_failed = 1;
        return -1;
    }
    if (xt_check(t, buffer, (size_t)n)) {
        t->refused = 1;
        return -1; /* libxml2 never sees the declaration */
    }
    return (int)n;
}

/* libxml2 close callback: the pf_reader belongs to the caller. */
static int xt_io_close(void *ctx)
{
    (void)ctx;
    return 0;
}

/* libxml2 error callback: keep the first error (not warnings) with its line, on one line. */
static void xt_xml_error(void *arg, const char *msg, xmlParserSeverities severity,
                         xmlTextReaderLocatorPtr locator)
{
    pf_xmltree *t = arg;
    if (severity == XML_PARSER_SEVERITY_WARNING || severity == XML_PARSER_SEVERITY_VALIDITY_WARNING)
        return;
    if (t->xml_err[0])
        return;
    pf_xml_err_text(t->xml_err, sizeof t->xml_err, msg);
    t->xml_err_line = locator ? xmlTextReaderLocatorLineNumber(locator) : 0;
}

/* libxml2's message msg on one line into dst (see xmltree.h). */
void pf_xml_err_text(char *dst, size_t n, const char *msg)
{
    snprintf(dst, n, "%s", msg && *msg ? msg : "malformed XML");
    size_t len = strlen(dst);
    while (len > 0 && (dst[len - 1] == '\n' || dst[len - 1] == ' '))
        dst[--len] = '\0';
    for (size_t i = 0; i < len; i++)
        if (dst[i] == '\n' || dst[i] == '\r' || dst[i] == '\t')
            dst[i] = ' ';
    if (!dst[0])
        snprintf(dst, n, "malformed XML");
}

/* Fill t->err with the cause of a failed read: refusal, I/O, or the XML error. */
static void xt_set_error(pf_xmltree *t)
{
    if (t->refused)
        snprintf(t->err, sizeof t->err,
                 "line %u: DOCTYPE %snot allowed in %s (entities are never expanded)",
                 t->guard.line, (t->flags & PF_XT_EXTERNAL_DOCTYPE) ? "with internal subset " : "",
                 t->docname);
    else if (t->io_failed)
        snprintf(t->err, sizeof t->err, "%s", t->in->err[0] ? t->in->err : "read error");
    else
        snprintf(t->err, sizeof t->err, "%s: line %d: %s", t->docname,
                 t->xml_err_line > 0 ? t->xml_err_line
                                     : (t->xr ? xmlTextReaderGetParserLineNumber(t->xr) : 0),
                 t->xml_err[0] ? t->xml_err : "malformed or truncated XML");
}

/* Open an iterator (see xmltree.h). */
pf_xmltree *pf_xmltree_open(pf_reader *in, const char *docname, int depth, const char *const *names,
                            int flags, char *err, size_t errlen)
{
    pf_xmltree *t = calloc(1, sizeof *t);
    if (!t) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    t->in = in;
    t->names = names;
    t->depth = depth;
    t->flags = flags;
    snprintf(t->docname, sizeof t->docname, "%s", docname ? docname : "XML document");
    t->xr = xmlReaderForIO(xt_io_read, xt_io_close, t, NULL, "UTF-8",
                           XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_COMPACT);
    if (!t->xr) {
        if (t->refused || t->io_failed)
            xt_set_error(t);
        else
            snprintf(t->err, sizeof t->err, "cannot create XML reader");
        snprintf(err, errlen, "%s", t->err);
        free(t);
        return NULL;
    }
    xmlTextReaderSetErrorHandler(t->xr, xt_xml_error, t);
    return t;
}

/* Is the reader's current element one of the wanted names? */
static int xt_wanted(const pf_xmltree *t)
{
    const char *local = (const char *)xmlTextReaderConstLocalName(t->xr);
    if (!local)
        return 0;
    for (const char *const *n = t->names; *n; n++)
        if (strcmp(*n, local) == 0)
            return 1;
    return 0;
}

/* Advance to the next matching element and expand it (see xmltree.h). */
int pf_xmltree_next(pf_xmltree *t, xmlNodePtr *node)
{
    *node = NULL;
    /* Move past the subtree handed out last (its nodes are freed by the reader). */
    int ret = t->started ? xmlTextReaderNext(t->xr) : xmlTextReaderRead(t->xr);
    t->started = 1;
    while (ret == 1) {
        int type = xmlTextReaderNodeType(t->xr);
        if (type == XML_READER_TYPE_DOCUMENT_TYPE && !(t->flags & PF_XT_EXTERNAL_DOCTYPE)) {
            t->refused = 1;
            t->guard.line = (unsigned)xmlTextReaderGetParserLineNumber(t->xr);
            xt_set_error(t);
            return -1;
        }
        if (type == XML_READER_TYPE_ELEMENT) {
            int d = xmlTextReaderDepth(t->xr);
            if (d == t->depth && xt_wanted(t)) {
                xmlNodePtr n = xmlTextReaderExpand(t->xr);
                if (!n)
                    break; /* malformed inside the subtree: reported below */
                *node = n;
                return 1;
            }
            if (d >= t->depth) {
                ret = xmlTextReaderNext(t->xr);
                continue;
            }
        }
        ret = xmlTextReaderRead(t->xr);
    }
    if (ret == 0 && !t->xml_err[0] && !t->io_failed && !t->refused)
        return 0;
    xt_set_error(t);
    return -1;
}

/* The last error (see xmltree.h). */
const char *pf_xmltree_error(const pf_xmltree *t)
{
    return t->err;
}

/* Free the iterator (see xmltree.h). */
void pf_xmltree_close(pf_xmltree *t)
{
    if (!t)
        return;
    xmlFreeTextReader(t->xr);
    free(t);
}

/* Parse a small document in memory (see xmltree.h). */
xmlDocPtr pf_xml_read_mem(xmlParserCtxtPtr ctxt, const char *buf, size_t len, const char *docname,
                          int flags, char *err, size_t errlen)
{
    pf_xmltree t;
    memset(&t, 0, sizeof t);
    t.flags = flags;
    snprintf(t.docname, sizeof t.docname, "%s", docname ? docname : "XML document");
    if (len > (size_t)INT32_MAX) {
        snprintf(err, errlen, "%s: too large", t.docname);
        return NULL;
    }
    if (xt_check(&t, buf, len)) {
        t.refused = 1;
        xt_set_error(&t);
        snprintf(err, errlen, "%s", t.err);
        return NULL;
    }
    int opts = XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_COMPACT | XML_PARSE_NOERROR |
               XML_PARSE_NOWARNING;
    xmlDocPtr d = ctxt ? xmlCtxtReadMemory(ctxt, buf, (int)len, NULL, "UTF-8", opts)
                       : xmlReadMemory(buf, (int)len, NULL, "UTF-8", opts);
    if (!d)
        snprintf(err, errlen, "%s: malformed XML", t.docname);
    return d;
}

/* First child element of parent with local name `name` (see xmltree.h). */
xmlNodePtr pf_xml_child(xmlNodePtr parent, const char *name)
{
    if (!parent)
        return NULL;
    for (xmlNodePtr c = parent->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && c->name && strcmp((const char *)c->name, name) == 0)
            return c;
    return NULL;
}

/* Follow a '/'-separated path of child names (see xmltree.h). */
xmlNodePtr pf_xml_path(xmlNodePtr parent, const char *path)
{
    char step[64];
    while (parent && *path) {
        const char *slash = strchr(path, '/');
        size_t n = slash ? (size_t)(slash - path) : strlen(path);
        if (n >= sizeof step)
            return NULL;
        memcpy(step, path, n);
        step[n] = 0;
        parent = pf_xml_child(parent, step);
        path += n + (slash ? 1 : 0);
    }
    return parent;
}

/* Is c XML white space? */
static int xt_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Concatenate the text children of el into *buf (see xmltree.h). */
size_t pf_xml_text(xmlNodePtr el, int trim, char **buf, size_t *cap, size_t *len)
{
    size_t start = *len;
    for (xmlNodePtr c = el ? el->children : NULL; c; c = c->next) {
        if ((c->type != XML_TEXT_NODE && c->type != XML_CDATA_SECTION_NODE) || !c->content)
            continue;
        size_t n = strlen((const char *)c->content);
        if (pf_grow(buf, cap, *len, n + 1) != 0)
            return (size_t)-1;
        memcpy(*buf + *len, c->content, n);
        *len += n;
    }
    if (pf_grow(buf, cap, *len, 1) != 0)
        return (size_t)-1;
    size_t end = *len, s = start;
    if (trim) {
        while (s < end && xt_space((*buf)[s]))
            s++;
        while (end > s && xt_space((*buf)[end - 1]))
            end--;
        memmove(*buf + start, *buf + s, end - s);
        end = start + (end - s);
    }
    (*buf)[end] = 0;
    *len = end + 1;
    return start;
}
