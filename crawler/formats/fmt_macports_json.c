/*
 * fmt_macports_json.c — MacPorts PortIndex.json parser.
 *
 * The file (made from the Tcl PortIndex by portindex2json.tcl) is one JSON
 * object whose "ports" member is an array with an object per port; every
 * scalar is a string, categories an array, maintainers an array of objects
 * ({"email": {"name", "domain"}, "github"}). jsonentries hands out one port
 * at a time.
 *
 * Mapping (docs/formats.md; Repology's MacPortsJsonParser):
 *   srcname      portdir ("python/py-requests"); subports share it
 *   binnames     name ("py312-requests"): the project seed, as for FreeBSD
 *   version      version, raw ("1.2+foo": PF_VS_MACPORTS cuts at the last
 *                '+'); revision and epoch are separate fields, ignored
 *   summary      description      homepage  homepage
 *   category     categories[0]    license   license, one string as written
 *                ("{GPL-2+ OpenSSLException}": braces kept, as Repology)
 *   maintainers  e-mails in domain macports.org as "<name>@macports", GitHub
 *                handles as "<handle>@github", lower-cased; an empty list
 *                gives "nomaintainer@macports.org"
 *   flags        IGNORE when name is the portdir's last component + "-devel"
 *
 * Ports with replaced_by (obsolete stubs) are dropped, as Repology does,
 * and not counted. A port that is not an object or lacks name, version or
 * portdir is skipped and counted; more skipped than kept fails the parse.
 */
#include <stdio.h>
#include <string.h>

#include "pkgfresh/format.h"
#include "pkgfresh/jsonentries.h"
#include "pkgfresh/strlist.h"

typedef struct mp_ctx {
    pf_emit_fn emit;
    void *ectx;
    pf_parse_stats *stats;
    pf_strlist b;
    int oom;
} mp_ctx;

/* Is s[0..n) a plain handle or mailbox name (no separators a maintainer list uses)? */
static int mp_plain(const char *s, size_t n)
{
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] == ' ' || s[i] == '\t' || s[i] == ',' || s[i] == '<' || s[i] == '>' || s[i] == '@')
            return 0;
    return 1;
}

/* Append "<user>@<host>" to the list at start when user is plain. */
static int mp_add(pf_strlist *b, size_t start, const char *user, const char *host)
{
    if (!user || !mp_plain(user, strlen(user)))
        return 0;
    if (pf_strlist_add(b, start, ",", user, strlen(user), 1) != 0)
        return -1;
    return pf_strlist_add(b, b->len, "", host, strlen(host), 0); /* start = len: no separator */
}

/* The maintainers of one port into the list at start (see file comment). */
static int mp_maintainers(pf_strlist *b, size_t start, const json_t *arr)
{
    if (!json_is_array(arr))
        return 0;
    if (json_array_size(arr) == 0)
        return pf_strlist_add(b, start, "", "nomaintainer@macports.org", 25, 0);
    size_t i;
    const json_t *m;
    json_array_foreach(arr, i, m)
    {
        const json_t *email = json_object_get(m, "email");
        const char *domain = pf_json_str(email, "domain");
        if (domain && strcmp(domain, "macports.org") == 0 &&
            mp_add(b, start, pf_json_str(email, "name"), "@macports") != 0)
            return -1;
        if (mp_add(b, start, pf_json_str(m, "github"), "@github") != 0)
            return -1;
    }
    return 0;
}

/* Is name the last component of portdir followed by "-devel"? */
static int mp_is_devel_port(const char *name, const char *portdir)
{
    const char *slash = strrchr(portdir, '/');
    const char *base = slash ? slash + 1 : portdir;
    size_t bl = strlen(base), nl = strlen(name);
    return bl > 0 && nl == bl + 6 && strncmp(name, base, bl) == 0 &&
           strcmp(name + bl, "-devel") == 0;
}

/* One port object: map and emit it, drop it, or count it as skipped. */
static int mp_entry(void *vctx, const json_t *e)
{
    mp_ctx *c = vctx;
    if (json_is_object(e) && json_object_get(e, "replaced_by"))
        return 0;
    const char *name = pf_json_str(e, "name"), *ver = pf_json_str(e, "version"),
               *portdir = pf_json_str(e, "portdir");
    if (!name || !ver || !portdir) {
        c->stats->skipped++;
        return 0;
    }
    pf_strlist *b = &c->b;
    b->len = 0;
    size_t mnt = pf_strlist_begin(b);
    if (mp_maintainers(b, mnt, json_object_get(e, "maintainers")) != 0 ||
        pf_strlist_end(b, mnt) != 0) {
        c->oom = 1;
        return -1;
    }
    const json_t *cats = json_object_get(e, "categories");
    const json_t *cat0 = json_is_array(cats) ? json_array_get(cats, 0) : NULL;

    pf_record rec;
    memset(&rec, 0, sizeof rec);
    rec.srcname = portdir;
    rec.binnames = name;
    rec.version = ver;
    rec.summary = pf_json_str(e, "description");
    rec.homepage = pf_json_str(e, "homepage");
    rec.license = pf_json_str(e, "license");
    rec.category =
        json_is_string(cat0) && json_string_value(cat0)[0] ? json_string_value(cat0) : NULL;
    rec.maintainers = pf_strlist_get(b, mnt);
    if (mp_is_devel_port(name, portdir))
        rec.flags |= PF_F_IGNORE;
    int rc = c->emit(c->ectx, &rec);
    if (rc == 0)
        c->stats->records++;
    return rc;
}

/* Parse a whole PortIndex.json (see file comment), filling *stats. */
int pf_parse_macports_json(pf_reader *in, const char *variant, pf_emit_fn emit, void *ctx,
                           pf_parse_stats *stats, char *err, size_t errlen)
{
    (void)variant;
    stats->records = stats->skipped = 0;
    mp_ctx c = {emit, ctx, stats, {0}, 0};
    int rc = pf_json_entries(in, PF_JS_MEMBER_ARRAY, "ports", "macports-json", mp_entry, &c, err,
                             errlen);
    pf_strlist_free(&c.b);
    if (c.oom) {
        snprintf(err, errlen, "macports-json: out of memory");
        return -1;
    }
    if (rc == 0)
        rc = pf_parse_check_skipped("macports-json", stats,
                                    "ports without name, version or portdir", err, errlen);
    return rc;
}
