/*
 * spill.c — rows in sorted runs on a temporary file, merged back in order
 * (see spill.h).
 *
 * A row is one record: a fixed header, then its strings with their NULs.
 * A run is an arena of records and an index of (8-byte big-endian prefix
 * of the project, record) pairs; sorting the index compares most pairs by
 * the prefix alone. A written run is its records in order, back to back.
 * The merge keeps a read buffer per run and picks the least current record
 * of all runs (a linear scan: a few runs).
 */
#include "spill.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pkgfresh/grow.h"
#include "pkgfresh/tempfile.h"

#define DEFAULT_RUN ((size_t)64 << 20)
#define READ_BUF    ((size_t)1 << 20)
#define NSTR        5
#define NO_STR      0xffffu /* a NULL string's length */

/* A record's header; the strings (project, version, best, flavor, branch)
 * follow, each len bytes with its NUL, NULL ones taking none. */
typedef struct srec {
    int64_t id, behind, newer;
    uint32_t repo, flags;
    int32_t status;
    uint16_t len[NSTR]; /* strlen + 1, NO_STR for NULL */
    uint8_t renamed;
} srec;

/* A sort entry of the run being filled. */
typedef struct sent {
    uint64_t key; /* the project's first 8 bytes, big-endian, zero-padded */
    const srec *rec;
} sent;

/* A written run: its bytes in the file. */
typedef struct srun {
    off_t at, end;
} srun;

struct an_spill {
    size_t run_bytes;
    char *arena; /* the run being filled */
    size_t used;
    sent *ents;
    size_t nents, capents;
    size_t count; /* rows added */
    FILE *file;   /* the written runs, NULL before the first */
    srun *runs;
    size_t nruns, capruns;
    off_t written;
};

/* A record's size with its strings, rounded up to 8 (the next header's alignment). */
static size_t rec_size(const srec *r)
{
    size_t n = sizeof *r;
    for (int i = 0; i < NSTR; i++)
        n += r->len[i] == NO_STR ? 0 : r->len[i];
    return (n + 7) & ~(size_t)7;
}

/* Point out[0..NSTR) at a record's strings (NULL where it has none). */
static void rec_strings(const srec *r, const char *out[NSTR])
{
    const char *p = (const char *)(r + 1);
    for (int i = 0; i < NSTR; i++) {
        out[i] = r->len[i] == NO_STR ? NULL : p;
        p += r->len[i] == NO_STR ? 0 : r->len[i];
    }
}

/* Order of two records: project bytes, repository, id. */
static int rec_cmp(const srec *x, const srec *y)
{
    int c = strcmp((const char *)(x + 1), (const char *)(y + 1)); /* the project comes first */
    if (c != 0)
        return c;
    if (x->repo != y->repo)
        return x->repo < y->repo ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* qsort order of sort entries: the prefix, then the records. */
static int ent_cmp(const void *a, const void *b)
{
    const sent *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return rec_cmp(x->rec, y->rec);
}

/* The big-endian 8-byte prefix of s, zero-padded. */
static uint64_t prefix_key(const char *s)
{
    uint64_t k = 0;
    int i = 0;
    for (; i < 8 && s[i]; i++)
        k = k << 8 | (unsigned char)s[i];
    return i == 0 ? 0 : k << (8 * (8 - i)); /* i == 8: no shift */
}

/* See spill.h. */
an_spill *an_spill_new(size_t run_bytes)
{
    an_spill *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->run_bytes = run_bytes ? run_bytes : DEFAULT_RUN;
    s->arena = malloc(s->run_bytes);
    if (!s->arena) {
        free(s);
        return NULL;
    }
    return s;
}

/* An unnamed temporary file (pf_temp_fd, unlinked at once). NULL with
 * errno on failure. */
static FILE *temp_file(void)
{
    char path[4096];
    int fd = pf_temp_fd("spill", path, sizeof path);
    if (fd < 0)
        return NULL;
    unlink(path); /* gone with the last descriptor */
    FILE *f = fdopen(fd, "w+");
    if (!f)
        close(fd);
    return f;
}

/* Sort the run being filled and append it to the file (made on first use).
 * 0, or -1 (errno). */
static int write_run(an_spill *s)
{
    if (s->nents == 0)
        return 0;
    if (!s->file && !(s->file = temp_file()))
        return -1;
    srun *runs = pf_grow_items(s->runs, &s->capruns, s->nruns, sizeof *runs, 16);
    if (!runs)
        return -1;
    s->runs = runs;
    qsort(s->ents, s->nents, sizeof *s->ents, ent_cmp);
    srun *run = &s->runs[s->nruns];
    run->at = s->written;
    for (size_t i = 0; i < s->nents; i++) {
        size_t n = rec_size(s->ents[i].rec);
        if (fwrite(s->ents[i].rec, 1, n, s->file) != n)
            return -1;
        s->written += (off_t)n;
    }
    run->end = s->written;
    s->nruns++;
    s->nents = 0;
    s->used = 0;
    return 0;
}

/* See spill.h. */
int an_spill_add(an_spill *s, const an_srow *r)
{
    const char *str[NSTR] = {r->project, r->version, r->best, r->flavor, r->branch};
    srec h;
    memset(&h, 0, sizeof h); /* the padding too: records are written whole */
    h.id = r->id;
    h.behind = r->behind;
    h.newer = r->newer;
    h.repo = r->repo;
    h.flags = r->flags;
    h.status = r->status;
    h.renamed = r->renamed != 0;
    for (int i = 0; i < NSTR; i++) {
        size_t n = str[i] ? strlen(str[i]) + 1 : 0;
        if (n >= NO_STR || (i < 2 && !str[i])) {
            errno = EINVAL;
            return -1;
        }
        h.len[i] = str[i] ? (uint16_t)n : NO_STR;
    }
    size_t need = rec_size(&h);
    if (need > s->run_bytes) {
        errno = EINVAL;
        return -1;
    }
    if (s->used + need > s->run_bytes && write_run(s) != 0)
        return -1;
    sent *ents = pf_grow_items(s->ents, &s->capents, s->nents, sizeof *ents, 65536);
    if (!ents)
        return -1;
    s->ents = ents;
    srec *rec = (srec *)(s->arena + s->used);
    *rec = h;
    char *p = (char *)(rec + 1);
    for (int i = 0; i < NSTR; i++)
        if (str[i]) {
            memcpy(p, str[i], h.len[i]);
            p += h.len[i];
        }
    memset(p, 0, (size_t)((char *)rec + need - p)); /* up to the next record */
    s->ents[s->nents++] = (sent){prefix_key(r->project), rec};
    s->used += need;
    s->count++;
    return 0;
}

/* See spill.h. */
size_t an_spill_count(const an_spill *s)
{
    return s->count;
}

/* A record as a row (its strings in place). */
static void rec_row(const srec *rec, an_srow *out)
{
    const char *str[NSTR];
    rec_strings(rec, str);
    *out = (an_srow){.id = rec->id,
                     .repo = rec->repo,
                     .flags = rec->flags,
                     .status = rec->status,
                     .newer = (long)rec->newer,
                     .behind = rec->behind,
                     .renamed = rec->renamed,
                     .project = str[0],
                     .version = str[1],
                     .best = str[2],
                     .flavor = str[3],
                     .branch = str[4]};
}

/* The merge's view of one written run. */
typedef struct cursor {
    off_t next, end; /* the file bytes not read yet */
    char *buf;
    size_t pos, len; /* unread bytes: buf[pos, len) */
    const srec *cur; /* the current record (in buf, which malloc aligns), NULL at the end */
} cursor;

/* Make c->cur the next record of its run: read more of the file when the
 * buffer does not hold a whole one. 0, or -1 (errno). */
static int cursor_next(int fd, cursor *c)
{
    c->cur = NULL;
    for (;;) {
        size_t have = c->len - c->pos;
        if (have >= sizeof(srec)) {
            const srec *r = (const srec *)(c->buf + c->pos);
            size_t n = rec_size(r);
            if (n > READ_BUF) {
                errno = EIO; /* not a record this file holds */
                return -1;
            }
            if (have >= n) {
                c->cur = r;
                c->pos += n;
                return 0;
            }
        }
        if (c->next >= c->end) {
            if (have != 0) {
                errno = EIO; /* a record cut short */
                return -1;
            }
            return 0;
        }
        memmove(c->buf, c->buf + c->pos, have); /* records stay 8-aligned: sizes are */
        c->pos = 0;
        c->len = have;
        size_t want = READ_BUF - have;
        if ((off_t)want > c->end - c->next)
            want = (size_t)(c->end - c->next);
        ssize_t got = pread(fd, c->buf + have, want, c->next);
        if (got <= 0) {
            if (got == 0)
                errno = EIO;
            return -1;
        }
        c->len += (size_t)got;
        c->next += got;
    }
}

/* See spill.h. */
int an_spill_each(an_spill *s, int (*fn)(void *ctx, const an_srow *r), void *ctx)
{
    an_srow row;
    if (!s->file) { /* one run, in memory */
        qsort(s->ents, s->nents, sizeof *s->ents, ent_cmp);
        for (size_t i = 0; i < s->nents; i++) {
            rec_row(s->ents[i].rec, &row);
            int rc = fn(ctx, &row);
            if (rc != 0)
                return rc;
        }
        return 0;
    }
    if (write_run(s) != 0 || fflush(s->file) != 0)
        return -1;
    free(s->arena); /* every row is on file: the run's memory goes */
    s->arena = NULL;
    free(s->ents);
    s->ents = NULL;
    s->capents = 0;
    int fd = fileno(s->file);
    cursor *cs = calloc(s->nruns, sizeof *cs);
    if (!cs)
        return -1;
    int rc = 0;
    for (size_t k = 0; k < s->nruns && rc == 0; k++) {
        cs[k] = (cursor){.next = s->runs[k].at, .end = s->runs[k].end, .buf = malloc(READ_BUF)};
        rc = cs[k].buf ? cursor_next(fd, &cs[k]) : -1;
    }
    while (rc == 0) {
        cursor *min = NULL;
        for (size_t k = 0; k < s->nruns; k++)
            if (cs[k].cur && (!min || rec_cmp(cs[k].cur, min->cur) < 0))
                min = &cs[k];
        if (!min)
            break;
        rec_row(min->cur, &row);
        rc = fn(ctx, &row);
        if (rc == 0)
            rc = cursor_next(fd, min);
    }
    for (size_t k = 0; k < s->nruns; k++)
        free(cs[k].buf);
    free(cs);
    return rc;
}

/* See spill.h. */
void an_spill_free(an_spill *s)
{
    if (!s)
        return;
    if (s->file)
        fclose(s->file);
    free(s->arena);
    free(s->ents);
    free(s->runs);
    free(s);
}
