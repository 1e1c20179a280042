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
#include "pkgfresh/jsonobj.h"
#include "pkgfresh/strlist.h"

enum { M_NAME, M_VERSION, M_PORTDIR, M_DESC, M_HOME, M_LICENSE, M_CATS, M_MAINTS, M_REPLACED, M_N };
static const char *const mp_keys[M_N] = {"name",        "version",     "portdir",
                                         "description", "homepage",    "license",
                                         "categories",  "maintainers", "replaced_by"};

/* Is s[0..n) a plain handle or mailbox name (no separators a maintainer list uses)? */
static int mp_plain(const char *s)
{
    return s && s[0] && !strpbrk(s, " \t,<>@");
}

/* Append "<user><host>" to the list at start when user is plain. */
static int mp_add(pf_strlist *b, size_t start, const char *user, const char *host)
{
    if (!mp_plain(user))
        return 0;
    if (pf_strlist_add(b, start, ",", user, strlen(user), 1) != 0)
        return -1;
    return pf_strlist_add(b, b->len, "", host, strlen(host), 0); /* start = len: no separator */
}

/* The maintainers of one port into the list at start (file comment). 0, -1 out of memory, -2 bad.
 */
static int mp_maintainers(pf_json_parse *c, size_t start, pf_jv arr)
{
    static const char *const mkeys[2] = {"email", "github"};
    static const char *const ekeys[2] = {"name", "domain"};
    if (!pf_jv_is_array(arr))
        return 0;
    size_t pos = 0;
    pf_jv m;
    int r, any = 0;
    while ((r = pf_jarr_next(arr, &pos, &m)) == 1) {
        any = 1;
        pf_jv mf[2], ef[2] = {{NULL, 0}, {NULL, 0}};
        const char *ename = NULL, *domain = NULL, *gh = NULL;
        if (pf_jobj_scan(m, mkeys, 2, mf) != 0)
            continue; /* not an object: nothing to take */
        if (pf_jobj_scan(mf[0], ekeys, 2, ef) < 0 || pf_jdec_str(&c->dec, ef[0], &ename) < 0 ||
            pf_jdec_str(&c->dec, ef[1], &domain) < 0 || pf_jdec_str(&c->dec, mf[1], &gh) < 0)
            return -2;
        if (domain && strcmp(domain, "macports.org") == 0 &&
            mp_add(&c->lists, start, ename, "@macports") != 0)
            return -1;
        if (mp_add(&c->lists, start, gh, "@github") != 0)
            return -1;
    }
    if (r < 0)
        return -2;
    if (!any)
        return pf_strlist_add(&c->lists, start, "", "nomaintainer@macports.org", 25, 0);
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

/* A decoded string field, NULL when empty. */
static const char *mp_nonempty(const char *s)
{
    return s && s[0] ? s : NULL;
}

/* One port object: map and emit it, drop it, or count it as skipped. */
static int mp_entry(void *vctx, const pf_js_entry *e, char *err, size_t errlen)
{
    pf_json_parse *c = vctx;
    pf_jv f[M_N];
    const char *s[M_N] = {NULL};
    int sc = pf_jobj_scan((pf_jv){e->text, e->len}, mp_keys, M_N, f);
    if (sc == 0 && f[M_REPLACED].p)
        return 0;
    if (sc == 0 && pf_jdec_reset(&c->dec, e->len) != 0) {
        c->oom = 1;
        return -1;
    }
    int bad = sc != 0;
    for (int k = M_NAME; !bad && k <= M_LICENSE; k++)
        bad = pf_jdec_str(&c->dec, f[k], &s[k]) < 0;
    const char *cat = NULL;
    size_t pos = 0;
    pf_jv c0;
    if (!bad && pf_jarr_next(f[M_CATS], &pos, &c0) == 1)
        bad = pf_jdec_str(&c->dec, c0, &cat) < 0;
    c->lists.len = 0;
    size_t mnt = pf_strlist_begin(&c->lists);
    int mr = 0;
    if (!bad)
        bad = (mr = mp_maintainers(c, mnt, f[M_MAINTS])) == -2;
    if (bad) {
        return pf_json_refused(c, e, err, errlen);
    }
    if (mr != 0 || pf_strlist_end(&c->lists, mnt) != 0) {
        c->oom = 1;
        return -1;
    }
    const char *name = mp_nonempty(s[M_NAME]), *ver = mp_nonempty(s[M_VERSION]),
               *portdir = mp_nonempty(s[M_PORTDIR]);
    if (!name || !ver || !portdir) {
        c->stats->skipped++;
        return 0;
    }
    pf_record rec;
    memset(&rec, 0, sizeof rec);
    rec.srcname = portdir;
    rec.binnames = name;
    rec.version = ver;
    rec.summary = mp_nonempty(s[M_DESC]);
    rec.homepage = mp_nonempty(s[M_HOME]);
    rec.license = mp_nonempty(s[M_LICENSE]);
    rec.category = mp_nonempty(cat);
    rec.maintainers = pf_strlist_get(&c->lists, mnt);
    if (mp_is_devel_port(name, portdir))
        rec.flags |= PF_F_IGNORE;
    return pf_json_emit(c, &rec);
}

/* Parse a whole PortIndex.json (see file comment), filling *stats. */
int pf_parse_macports_json(pf_reader *in, const char *variant, pf_emit_fn emit, void *ctx,
                           pf_parse_stats *stats, char *err, size_t errlen)
{
    (void)variant;
    pf_json_parse c = {0};
    return pf_json_parse_all(&c, in, PF_JS_MEMBER_ARRAY, "ports", "macports-json",
                             "ports without name, version or portdir", mp_entry, &c, emit, ctx,
                             stats, err, errlen);
}
