/*
 * archive.h — reading tar-based indexes (Arch .db, APKINDEX.tar.gz, Void
 * repodata) with libarchive, and grouping binary packages by source name.
 *
 * pf_archive walks the members of a tar stream pulled from a pf_reader. The
 * stream may be plain (the crawler already removed the gzip/xz/zstd layer it
 * recognised) or still compressed (libarchive's own filters decode it).
 * Only regular files with a safe relative path are handed out: directories,
 * symlinks, hardlinks, devices, absolute paths and paths with a ".."
 * component are skipped and counted. Nothing is ever written to disk.
 *
 * pf_srcgroup collects one record per source name (Arch %BASE%, Alpine
 * origin, Void source-revisions) from per-binary-package entries that may
 * come in any order, merging their binary names; the archive parsers emit
 * from it once the whole index has been read.
 */
#ifndef PKGFRESH_ARCHIVE_H
#define PKGFRESH_ARCHIVE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "pkgfresh/format.h"
#include "pkgfresh/reader.h"
#include "pkgfresh/record.h"

typedef struct pf_archive pf_archive;

/*
 * Open a tar reader over `in` (not owned: close it after pf_archive_close).
 * When in->limit is non-zero it also caps the total member data handed out
 * (a guard against a compressed layer only libarchive could decode).
 * Returns NULL with a message in err on failure.
 */
pf_archive *pf_archive_open(pf_reader *in, char *err, size_t errlen);

/*
 * Advance to the next regular-file member with a safe path. Returns 1 with
 * *path (relative, a leading "./" removed; valid until the next call) and
 * *size (-1 when unknown) set, 0 at the end of the archive, -1 on error
 * (pf_archive_error). Unread data of the previous member is skipped.
 */
int pf_archive_next(pf_archive *a, const char **path, int64_t *size);

/* Read up to n bytes of the current member: count, 0 at its end, -1 on error. */
ssize_t pf_archive_read(pf_archive *a, void *buf, size_t n);

/*
 * Read the rest of the current member into *buf (grown with realloc; the
 * caller owns and frees it, *cap is its capacity), NUL-terminated, length in
 * *len. A member larger than max bytes is an error. 0 ok, -1 on error.
 */
int pf_archive_read_all(pf_archive *a, char **buf, size_t *len, size_t *cap, size_t max);

/*
 * A pf_reader over the current member's data, owned by the archive: valid
 * until the next pf_archive_next or pf_archive_close; closing it is a no-op.
 */
pf_reader *pf_archive_member(pf_archive *a);

/* The last error, one line ("" when none). */
const char *pf_archive_error(const pf_archive *a);

/* Members skipped so far as not regular files or unsafe paths. */
long pf_archive_skipped(const pf_archive *a);

/* Free the archive reader; NULL is a no-op. Does not close `in`. */
void pf_archive_close(pf_archive *a);

/* ---------------------------------------------------------------------------------------- */

typedef struct pf_srcgroup pf_srcgroup;

/* An empty group set; NULL on out of memory. */
pf_srcgroup *pf_srcgroup_new(void);

/*
 * Add one binary package: rec->srcname (required) names the group,
 * rec->binnames is this package's single binary name (may be NULL). The
 * strings are copied. The package whose binary name equals the source name
 * is the group's main one: its version, summary, homepage, license,
 * maintainers, category and flags replace those of the first-seen package;
 * absent fields are filled from any member. Binary names are merged in
 * first-seen order without duplicates. 0 ok, -1 out of memory.
 */
int pf_srcgroup_add(pf_srcgroup *g, const pf_record *rec);

/* Number of groups (distinct source names) so far. */
size_t pf_srcgroup_count(const pf_srcgroup *g);

/*
 * Emit one record per group, in first-seen order. Returns 0 or the non-zero
 * value emit returned (stopping there); it cannot fail by itself (buffers
 * are sized while adding). *emitted (may be NULL) receives the number of
 * records emit accepted.
 */
int pf_srcgroup_emit(pf_srcgroup *g, pf_emit_fn emit, void *ctx, long *emitted);

/* Free everything; NULL is a no-op. */
void pf_srcgroup_free(pf_srcgroup *g);

/*
 * Extract the e-mail address of one "Name <email>" (or bare address) value
 * into out (capacity outlen), lower-cased. Returns its length, 0 when the
 * value holds no address (out is then "").
 */
size_t pf_extract_email(const char *s, size_t n, char *out, size_t outlen);

#endif
