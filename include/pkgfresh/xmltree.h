/*
 * xmltree.h — the elements of a big XML document, one subtree at a time.
 *
 * XML package indexes are often one root element holding many small,
 * independent records (Solus's eopkg-index.xml; its parser now streams SAX
 * events instead, xmlsax.h, and this iterator serves the DOM reference it
 * is tested against, tests/support/solus_ref.c). pf_xmltree streams the document
 * with libxml2's xmlTextReader over a pf_reader and hands out each element
 * of a chosen name at a chosen depth as a small DOM subtree
 * (xmlTextReaderExpand), so memory stays bounded by the largest record; the
 * subtree is freed when the next one is asked for. Everything else is
 * skipped without building nodes.
 *
 * Security: XML_PARSE_NONET, no XML_PARSE_NOENT (entities are never
 * expanded), no DTD loading, libxml2's size limits left on (no
 * XML_PARSE_HUGE). By default a DOCTYPE is refused before libxml2 sees it
 * (pf_xml_guard, as rpm-md does). PF_XT_EXTERNAL_DOCTYPE accepts a DOCTYPE
 * that only names an external DTD (`<!DOCTYPE x SYSTEM "...">`, as every
 * Gentoo metadata.xml has; the DTD is not fetched) but still refuses one with
 * an internal subset (`[ ... ]`, where entities would be declared).
 * Errors are one line naming the document and the line.
 */
#ifndef PKGFRESH_XMLTREE_H
#define PKGFRESH_XMLTREE_H

#include <stddef.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "pkgfresh/reader.h"

enum {
    PF_XT_EXTERNAL_DOCTYPE = 1, /* accept a DOCTYPE without internal subset */
};

typedef struct pf_xmltree pf_xmltree;

/*
 * Open a subtree iterator over `in` (not owned). `docname` names the
 * document in errors ("eopkg-index.xml"). Elements whose local name is one
 * of `names` (NULL-terminated) at nesting `depth` (0 = the root element,
 * 1 = its children, ...) are handed out. Returns NULL with a message in err.
 */
pf_xmltree *pf_xmltree_open(pf_reader *in, const char *docname, int depth, const char *const *names,
                            int flags, char *err, size_t errlen);

/*
 * 1 = *node is the next matching element (a subtree valid until the next
 * call or pf_xmltree_close), 0 = end of the document, -1 = error
 * (pf_xmltree_error: malformed or truncated XML, a refused DOCTYPE, a read
 * error of the pf_reader).
 */
int pf_xmltree_next(pf_xmltree *t, xmlNodePtr *node);

/* The last error, one line ("" when none). */
const char *pf_xmltree_error(const pf_xmltree *t);

/* Free the iterator (not the reader); NULL is a no-op. */
void pf_xmltree_close(pf_xmltree *t);

/*
 * Parse a small whole document held in memory (a Gentoo metadata.xml) into
 * a DOM with the same rules as pf_xmltree (no network, no DTD loading,
 * entities never expanded, the DOCTYPE check of `flags`), without the
 * per-document cost of a streaming reader. ctxt (from xmlNewParserCtxt,
 * may be NULL) is reused across documents, which saves its setup for many
 * small ones. Returns the document (free it with xmlFreeDoc) or NULL with a
 * one-line message in err.
 */
xmlDocPtr pf_xml_read_mem(xmlParserCtxtPtr ctxt, const char *buf, size_t len, const char *docname,
                          int flags, char *err, size_t errlen);

/* ---- reading a subtree ---------------------------------------------------------------- */

/* The first child element of parent named `name` (local name), NULL when none. */
xmlNodePtr pf_xml_child(xmlNodePtr parent, const char *name);

/*
 * Follow a '/'-separated path of child element names from parent
 * ("Source/Packager/Email"): the first match at each step. NULL when absent.
 */
xmlNodePtr pf_xml_path(xmlNodePtr parent, const char *path);

/*
 * The text of element el (its text and CDATA children concatenated; entity
 * references and child elements are left out) into *buf (grown with
 * pf_grow from offset *len, NUL-terminated; *len advances past the NUL).
 * Returns the offset of the text in *buf, or (size_t)-1 when out of memory.
 * Leading and trailing white space is trimmed when trim is set.
 */
size_t pf_xml_text(xmlNodePtr el, int trim, char **buf, size_t *cap, size_t *len);

/*
 * libxml2's error message msg on one line into dst (n bytes): trailing new
 * lines and spaces cut, inner new lines and tabs turned into spaces;
 * "malformed XML" when msg is NULL or nothing is left.
 */
void pf_xml_err_text(char *dst, size_t n, const char *msg);

#endif
