/*
 * xmlsax.h — a big XML document streamed through libxml2's SAX2 parser.
 *
 * For indexes read field by field (Solus eopkg-index.xml), building even a
 * small DOM subtree per record (xmltree.h) costs more than decompressing
 * the file. pf_xmlsax_run pushes the bytes of a pf_reader into libxml2's
 * push parser and hands the caller's handlers the element starts and ends
 * (local names, namespaces ignored) and the character data, nothing else:
 * no node is built.
 *
 * The text handed out is what a DOM built with XML_PARSE_NOBLANKS (as
 * xmltree builds it) holds in its text and CDATA nodes: libxml2's rule for
 * "ignorable" white space (areBlanks in its parser.c: a run of blanks
 * before a child, in an element without text, outside xml:space="preserve")
 * is applied here, so a reader moving from xmltree yields the same strings.
 *
 * Security as xmltree: XML_PARSE_NONET, entities never expanded (no
 * XML_PARSE_NOENT), no DTD loading, libxml2's size limits left on, input
 * read as UTF-8; a DOCTYPE is refused before libxml2 sees it (pf_xml_guard)
 * or, should one get through, when libxml2 reports it. Errors are one line
 * naming the document and the line, worded as xmltree words them.
 */
#ifndef PKGFRESH_XMLSAX_H
#define PKGFRESH_XMLSAX_H

#include <stddef.h>

#include "pkgfresh/reader.h"

/*
 * The caller's handlers. depth is the nesting of the element (0 = the
 * root); text belongs to the element at depth (its direct text or CDATA
 * child; it may come in several pieces). Each returns 0 to go on, or a
 * non-zero value to stop the parse, which pf_xmlsax_run then returns.
 * NULL handlers are skipped.
 */
typedef struct pf_xmlsax_handler {
    int (*start)(void *ctx, const char *local, int depth);
    int (*end)(void *ctx, const char *local, int depth);
    int (*text)(void *ctx, const char *s, size_t n, int depth);
} pf_xmlsax_handler;

/*
 * Parse the whole of `in` (not owned); `docname` names the document in
 * errors ("eopkg-index.xml"). Returns 0 at the end of a well-formed
 * document, -1 with a one-line message in err (malformed or truncated XML,
 * a DOCTYPE, a read error, out of memory), or a handler's stop value (err
 * untouched).
 */
int pf_xmlsax_run(pf_reader *in, const char *docname, const pf_xmlsax_handler *h, void *ctx,
                  char *err, size_t errlen);

#endif
