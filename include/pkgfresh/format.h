/*
 * format.h — the table of index-format parsers.
 *
 * Each format lives in one file crawler/fmt_<name>.c with one entry point:
 * it pulls bytes from a pf_reader and calls emit once per package. It never
 * sees the network or the database. A parser returns 0 on success, -1 on a
 * malformed or truncated index (message in err), or the non-zero value emit
 * returned when the consumer asked it to stop.
 */
#ifndef PKGFRESH_FORMAT_H
#define PKGFRESH_FORMAT_H

#include "pkgfresh/reader.h"
#include "pkgfresh/record.h"

typedef int (*pf_parse_fn)(pf_reader *in, pf_emit_fn emit, void *ctx, char *err, size_t errlen);

typedef struct pf_format {
    const char *name; /* catalog "format:" value, e.g. "deb-sources" */
    pf_parse_fn parse;
    const char *description; /* one line for --help and docs */
} pf_format;

/* Look a format up by name; NULL when unknown. */
const pf_format *pf_format_find(const char *name);

/* All formats, NULL-terminated by a zero entry (name == NULL). */
const pf_format *pf_format_list(void);

/* Counters a parser can report besides the records it emits. */
typedef struct pf_parse_stats {
    long records; /* records emitted */
    long skipped; /* records dropped as unusable (e.g. no Package or Version) */
} pf_parse_stats;

/* Parsers (one per file under crawler/). */
int pf_parse_deb_sources(pf_reader *in, pf_emit_fn emit, void *ctx, char *err, size_t errlen);
/* Same, filling *stats (may be NULL) with what was emitted and skipped. */
int pf_parse_deb_sources_stats(pf_reader *in, pf_emit_fn emit, void *ctx, pf_parse_stats *stats,
                               char *err, size_t errlen);

/* rpm-md primary.xml (Fedora, CentOS Stream, openSUSE): source packages only. */
int pf_parse_rpm_md(pf_reader *in, pf_emit_fn emit, void *ctx, char *err, size_t errlen);
/* Arch Linux repository database (.db: a tar of <pkg>/desc files). */
int pf_parse_arch_db(pf_reader *in, pf_emit_fn emit, void *ctx, char *err, size_t errlen);
/* Alpine APKINDEX.tar.gz (the APKINDEX member). */
int pf_parse_apkindex(pf_reader *in, pf_emit_fn emit, void *ctx, char *err, size_t errlen);
/* Void Linux repodata (index.plist inside the repodata archive). */
int pf_parse_void_repodata(pf_reader *in, pf_emit_fn emit, void *ctx, char *err, size_t errlen);
/* nixpkgs packages.json (version 2), streamed one entry at a time. */
int pf_parse_nix_json(pf_reader *in, pf_emit_fn emit, void *ctx, char *err, size_t errlen);
/* Homebrew formula.json (one array of formulae), streamed one element at a time. */
int pf_parse_homebrew_json(pf_reader *in, pf_emit_fn emit, void *ctx, char *err, size_t errlen);
/* FreeBSD ports INDEX (13 '|'-separated fields per line). */
int pf_parse_freebsd_index(pf_reader *in, pf_emit_fn emit, void *ctx, char *err, size_t errlen);
/* Slackware PACKAGES.TXT. */
int pf_parse_slackware(pf_reader *in, pf_emit_fn emit, void *ctx, char *err, size_t errlen);
/* Plain name<TAB>version[<TAB>...] lists (see docs/formats.md). */
int pf_parse_tsv(pf_reader *in, pf_emit_fn emit, void *ctx, char *err, size_t errlen);

/* The same five, filling *stats (may be NULL) with what was emitted and skipped. */
int pf_parse_nix_json_stats(pf_reader *in, pf_emit_fn emit, void *ctx, pf_parse_stats *stats,
                            char *err, size_t errlen);
int pf_parse_homebrew_json_stats(pf_reader *in, pf_emit_fn emit, void *ctx, pf_parse_stats *stats,
                                 char *err, size_t errlen);
int pf_parse_freebsd_index_stats(pf_reader *in, pf_emit_fn emit, void *ctx, pf_parse_stats *stats,
                                 char *err, size_t errlen);
int pf_parse_slackware_stats(pf_reader *in, pf_emit_fn emit, void *ctx, pf_parse_stats *stats,
                             char *err, size_t errlen);
int pf_parse_tsv_stats(pf_reader *in, pf_emit_fn emit, void *ctx, pf_parse_stats *stats, char *err,
                       size_t errlen);

#endif
