/*
 * format.h — the table of index-format parsers.
 *
 * Each format lives in one file crawler/formats/fmt_<name>.c with one entry
 * point of type pf_parse_fn: it pulls bytes from a pf_reader and calls emit
 * once per package. It never sees the network or the database. Adding a
 * format = that file + one row in crawler/formats.c + its fixture + its fuzz
 * target (docs/formats.md).
 *
 * Shared helpers for the patterns that repeat across formats:
 *   reader.h      pf_lines: line-oriented records (Sources stanzas, INDEX lines, ...)
 *   linerecords.h pf_line_records: one record per line, unusable lines counted,
 *                 a majority of them an error (FreeBSD and pkgsrc INDEX)
 *   archive.h     pf_archive: members of a tar/cpio/zip stream; pf_srcgroup:
 *                 binary packages grouped into one record per source name
 *   jsonstream.h  pf_jsonstream: the elements of a huge JSON array or the members
 *                 of a huge JSON object, one at a time
 *   jsonentries.h pf_json_parse_all: the entry loop of a JSON format (jsonstream,
 *                 one callback per entry, counters, schema-change check)
 *   jsonobj.h     pf_jobj_scan, pf_jdec_str: the members of one JSON entry read
 *                 from its text, validated as jansson would
 *   strlist.h     pf_strlist: the list fields of a record (names, licences,
 *                 maintainers) in one reusable buffer
 *   ndjson.h      pf_ndjson: newline-delimited JSON, one parsed value per line
 *   maintainers.h pf_maint_extract: e-mail addresses out of prose, as Repology does
 *   jsoneach.h    pf_json_each: jsonstream + jansson, a callback per parsed entry
 *   xmltree.h     pf_xmltree: the records of a big XML document as small subtrees
 *                 (libxml2 xmlTextReader; entities never expanded, DOCTYPE refused)
 *   dirtar.h      pf_dirtar: a directory tree packed into a tar (crawl --from DIR)
 */
#ifndef PKGFRESH_FORMAT_H
#define PKGFRESH_FORMAT_H

#include "pkgfresh/reader.h"
#include "pkgfresh/record.h"

/* Counters every parser fills besides the records it emits. */
typedef struct pf_parse_stats {
    long records; /* records emitted */
    long skipped; /* entries dropped as unusable (e.g. no name or no version) */
} pf_parse_stats;

/*
 * A parser. `variant` is the format row's variant string (NULL for most
 * formats: one reader serving several dialects, like json-export, picks its
 * field mapping by it). `stats` must not be NULL; the parser zeroes it first.
 * Returns 0 on success, -1 on a malformed or truncated index (a one-line
 * message in err, which starts with the format's name), or the non-zero
 * value emit returned when the consumer asked it to stop.
 */
typedef int (*pf_parse_fn)(pf_reader *in, const char *variant, pf_emit_fn emit, void *ctx,
                           pf_parse_stats *stats, char *err, size_t errlen);

typedef struct pf_format {
    const char *name; /* catalog "format:" value, e.g. "deb-sources" */
    pf_parse_fn parse;
    const char *description; /* one line for --help and docs */
    const char *variant;     /* passed to parse (NULL for most formats) */
} pf_format;

/* Look a format up by name; NULL when unknown. */
const pf_format *pf_format_find(const char *name);

/* All formats, NULL-terminated by a zero entry (name == NULL). */
const pf_format *pf_format_list(void);

/* Run fmt's parser on in (fills *stats; see pf_parse_fn). */
int pf_format_parse(const pf_format *fmt, pf_reader *in, pf_emit_fn emit, void *ctx,
                    pf_parse_stats *stats, char *err, size_t errlen);

/*
 * After a parse that returned 0: when more entries were skipped than
 * emitted, the index is not what the parser expects (a renamed field, a new
 * layout); fail with "<fmt>: S of N <what>" in err and return -1, so the
 * crawl fails instead of keeping a near-empty repository. Otherwise 0.
 */
int pf_parse_check_skipped(const char *fmt, const pf_parse_stats *stats, const char *what,
                           char *err, size_t errlen);

/* The parsers, one per file under crawler/formats/ (signature: pf_parse_fn). */
#define PF_PARSER(name)                                                                            \
    int pf_parse_##name(pf_reader *in, const char *variant, pf_emit_fn emit, void *ctx,            \
                        pf_parse_stats *stats, char *err, size_t errlen)
PF_PARSER(deb_sources);   /* Debian/Ubuntu Sources */
PF_PARSER(rpm_md);        /* rpm-md primary.xml: source packages only */
PF_PARSER(arch_db);       /* Arch Linux repository database (tar of <pkg>/desc) */
PF_PARSER(apkindex);      /* Alpine APKINDEX.tar.gz (the APKINDEX member) */
PF_PARSER(void_repodata); /* Void Linux repodata (index.plist in the archive) */
PF_PARSER(nix_json);      /* nixpkgs packages.json (version 2), streamed */
PF_PARSER(homebrew_json); /* Homebrew formula.json, streamed */
PF_PARSER(freebsd_index); /* FreeBSD ports INDEX (13 '|'-separated fields) */
PF_PARSER(slackware);     /* Slackware PACKAGES.TXT */
PF_PARSER(tsv);           /* name<TAB>version[<TAB>...] lists */
PF_PARSER(aur_json);      /* AUR packages-meta-ext-v1.json, streamed */
PF_PARSER(pkgsrc_index);  /* pkgsrc INDEX (12 '|'-separated fields) */
PF_PARSER(alt_json);      /* ALT Linux export/repology JSON, streamed */
PF_PARSER(macports_json); /* MacPorts PortIndex.json, streamed */
PF_PARSER(guix_json);     /* GNU Guix packages.json, streamed */
PF_PARSER(json_export);   /* JSON files written for Repology (dialect = variant) */
PF_PARSER(gentoo_md5cache);    /* Gentoo tree tarball: ebuilds, metadata.xml, md5-cache */
PF_PARSER(openbsd_sqlports);   /* OpenBSD sqlports SQLite database */
PF_PARSER(solus_eopkg);        /* Solus eopkg-index.xml */
PF_PARSER(cygwin_json);        /* Cygwin packages.json */
PF_PARSER(homebrew_cask_json); /* Homebrew cask.json */

/*
 * nixpkgs entries Repology's parser drops although they parse (garbage
 * names such as "node-_at..." or "cudatoolkit-10.0-cudnn-7.4.2", and name
 * parts that leaked into the version: "liblqr" "1-0.4.2", "75dpi-1.0.3").
 * name, pname, version as in the entry (NULL = absent). Shared by the
 * nix-json parser and its test reference.
 */
int pf_nix_dropped(const char *name, const char *pname, const char *version);

#endif
