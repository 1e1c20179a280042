/*
 * test_site.c — `pkgfresh site` (pf_site_write) on a small database filled
 * through the store API: three repositories in three families, two crawls
 * and analyses a week apart, with hostile names, versions, addresses and
 * URLs (markup, javascript: and data: links, control characters, invalid
 * UTF-8).
 *
 * Asserts: every page kind is written; hostile strings come out escaped and
 * inert and only http(s) links from indexes survive; every internal href and
 * src resolves to a file of the site; feeds and badges are well-formed XML;
 * a re-run writes no file (same inodes), a change rewrites only some and
 * removes pages that are gone; a folder pkgfresh did not write is never
 * replaced and a failed run leaves the previous site as it was; badges fit
 * their text. When Debian's `tidy` is installed every page passes `tidy -e`;
 * when `chromium` is installed one headless browser (DevTools protocol on a
 * pipe, tests/support/cdp.c) loads the site from file:// (no console
 * messages, images decoded, sorting and search work) and saves screenshots
 * under build/site-shots/.
 */
#include "testutil.h"
#include "cdp.h"

#include <dirent.h>
#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cairo.h>

#include "pkgfresh/analyze.h"
#include "pkgfresh/catalog.h"
#include "pkgfresh/render.h"
#include "pkgfresh/site.h"
#include "pkgfresh/store.h"

#define T0  1748736000 /* 2025-06-01 00:00 UTC */
#define DAY 86400

#define HOSTILE_NAME "<script>alert(1)</script>"
#define HOSTILE_VER  "1.0\"><img src=x onerror=alert(1)>"
#define HOSTILE_MAIL "\"><svg onload=alert(1)>@evil.example"
#define HOSTILE_CTRL "ctl\x1b[31mred\xff\xfe-pkg"
#define HOSTILE_URL  "javascript:alert(1)"
#define GOOD_URL     "https://example.org/curl?a=1&b=2"

/* One package of a crawl. */
typedef struct pk {
    const char *src, *ver, *maint, *home;
} pk;

/* Shared by the tests: the database, the catalog, the output folder. */
typedef struct fixture {
    char dir[4096], db[4200], out[4200];
    pf_catalog cat;
    pf_store *st;
} fixture;

/* Replace a repository's snapshot with these packages. */
static void crawl(pf_store *st, const char *repo, const pk *v, size_t n, int64_t t)
{
    char err[512] = "";
    pf_crawl_tx *tx = pf_store_crawl_begin(st, repo, err, sizeof err);
    if (!tx)
        fail_msg("crawl %s: %s", repo, err);
    assert_int_equal(pf_store_crawl_source(tx, "main", NULL), 0);
    for (size_t i = 0; i < n; i++) {
        pf_record r = {.srcname = v[i].src,
                       .version = v[i].ver,
                       .maintainers = v[i].maint,
                       .homepage = v[i].home};
        assert_int_equal(pf_store_crawl_add(tx, &r), 0);
    }
    pf_crawl_info ci = {.started = t, .finished = t, .status = "ok", .packages = (long)n};
    if (pf_store_crawl_commit(tx, &ci, err, sizeof err) != 0)
        fail_msg("commit %s: %s", repo, err);
}

/* Analyze at time t (no rules: project names are the seeds). */
static void analyze(fixture *fx, int64_t t)
{
    char err[512] = "";
    pf_analyze_result res;
    if (pf_analyze(fx->st, &fx->cat, NULL, t, &res, err, sizeof err) != 0)
        fail_msg("analyze: %s", err);
}

static const pk DEB1[] = {
    {"curl", "8.5.0-1", "curl@example.org,team@lists.example.org", GOOD_URL},
    {"bash", "5.2-1", "doko@example.org", "http://ok.example/bash\"onmouseover=\"x"},
    {"zlib", "1.3-1", "team@lists.example.org", "data:text/html,<script>x</script>"},
    {HOSTILE_NAME, HOSTILE_VER, HOSTILE_MAIL, HOSTILE_URL},
    {HOSTILE_CTRL, "2.0\x1b]0;title\x07", "ctl@example.org", "https://ex\x01ample.org/"},
    {"onlydeb", "1.0-1", "doko@example.org", NULL},
};
static const pk NIX1[] = {
    {"curl", "8.6.0", "nix@example.org", GOOD_URL},
    {"bash", "5.2", NULL, NULL},
    {"zlib", "1.3", NULL, NULL},
    {HOSTILE_NAME, "1.1", HOSTILE_MAIL, HOSTILE_URL},
};
static const pk ALP1[] = {
    {"curl", "8.6.0-r0", "alp@example.org", NULL},
    {"zlib", "1.3-r0", NULL, NULL},
};
/* a week later: curl 8.7.0 in nixpkgs (Alpine's 8.6.0 becomes outdated),
 * bash 5.3 in Debian (updated) */
static const pk DEB2[] = {
    {"curl", "8.5.0-1", "curl@example.org,team@lists.example.org", GOOD_URL},
    {"bash", "5.3-1", "doko@example.org", NULL},
    {"zlib", "1.3-1", "team@lists.example.org", NULL},
    {HOSTILE_NAME, HOSTILE_VER, HOSTILE_MAIL, HOSTILE_URL},
    {HOSTILE_CTRL, "2.0\x1b]0;title\x07", "ctl@example.org", NULL},
    {"onlydeb", "1.0-1", "doko@example.org", NULL},
};
static const pk NIX2[] = {
    {"curl", "8.7.0", "nix@example.org", GOOD_URL},
    {"bash", "5.3", NULL, NULL},
    {"zlib", "1.3", NULL, NULL},
    {HOSTILE_NAME, "1.1", HOSTILE_MAIL, HOSTILE_URL},
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* The database with two analyses. */
static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    assert_non_null(fx);
    snprintf(fx->dir, sizeof fx->dir, "%s", tu_tmpdir("site"));
    snprintf(fx->db, sizeof fx->db, "%s/pkgfresh.db", fx->dir);
    snprintf(fx->out, sizeof fx->out, "%s/site", fx->dir);
    char err[512] = "";
    if (pf_catalog_load_path(&fx->cat, tu_fixture("site/catalog.yaml"), err, sizeof err) != 0)
        fail_msg("catalog: %s", err);
    fx->st = pf_store_open(fx->db, err, sizeof err);
    if (!fx->st)
        fail_msg("open: %s", err);
    assert_int_equal(pf_store_sync_catalog(fx->st, &fx->cat), 0);
    crawl(fx->st, "st_deb", DEB1, N(DEB1), T0);
    crawl(fx->st, "st_nix", NIX1, N(NIX1), T0);
    crawl(fx->st, "st_alp", ALP1, N(ALP1), T0);
    analyze(fx, T0);
    crawl(fx->st, "st_deb", DEB2, N(DEB2), T0 + 7 * DAY);
    crawl(fx->st, "st_nix", NIX2, N(NIX2), T0 + 7 * DAY);
    analyze(fx, T0 + 7 * DAY);
    *state = fx;
    return 0;
}

/* Close everything. */
static int teardown(void **state)
{
    fixture *fx = *state;
    pf_store_close(fx->st);
    pf_catalog_free(&fx->cat);
    free(fx);
    cairo_debug_reset_static_data();
    return 0;
}

static const pf_site_pair PAIRS[] = {{"st_deb", "st_nix"}, {"st_alp", "st_nix"}};

/* Write the site into out; returns pf_site_write's result. */
static int write_site(fixture *fx, const char *out, pf_site_result *res, char *err, size_t n)
{
    pf_site_opts o = {out, "Test <site>", NULL, NULL, 0, PAIRS, N(PAIRS), &fx->cat, 0, 0, 0};
    return pf_site_write(fx->st, &o, res, err, n);
}

/* Write the site, failing the test on error. */
static void write_ok(fixture *fx, pf_site_result *res)
{
    char err[1024] = "";
    if (write_site(fx, fx->out, res, err, sizeof err) != 0)
        fail_msg("pf_site_write: %s", err);
}

/* Every file of the site (relative paths), into a newline-joined list. */
static void list_files(const char *root, const char *rel, char **list, size_t *len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s%s%s", root, *rel ? "/" : "", rel);
    DIR *d = opendir(path);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char sub[4096];
        snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", e->d_name);
        char full[8200];
        snprintf(full, sizeof full, "%s/%s", root, sub);
        struct stat sb;
        assert_int_equal(stat(full, &sb), 0);
        if (S_ISDIR(sb.st_mode)) {
            list_files(root, sub, list, len);
        } else {
            size_t n = strlen(sub);
            *list = realloc(*list, *len + n + 2);
            assert_non_null(*list);
            memcpy(*list + *len, sub, n);
            (*list)[*len + n] = '\n';
            *len += n + 1;
            (*list)[*len] = 0;
        }
    }
    closedir(d);
}

/* Write the site and list its files (newline-separated, malloc'd). */
static char *site_files(fixture *fx)
{
    pf_site_result res;
    write_ok(fx, &res);
    char *list = NULL;
    size_t len = 0;
    list_files(fx->out, "", &list, &len);
    return list;
}

/* Whether name ends with suffix. */
static int ends(const char *name, const char *suffix)
{
    size_t n = strlen(name), k = strlen(suffix);
    return n > k && strcmp(name + n - k, suffix) == 0;
}

/* Whether a file exists under the site. */
static int site_has(const fixture *fx, const char *rel)
{
    char p[8400];
    snprintf(p, sizeof p, "%s/%s", fx->out, rel);
    return access(p, F_OK) == 0;
}

/* Read one file of the site. */
static char *site_read(const fixture *fx, const char *rel)
{
    char p[8400];
    snprintf(p, sizeof p, "%s/%s", fx->out, rel);
    char *s = tu_slurp(p, NULL);
    if (!s)
        fail_msg("cannot read %s", p);
    return s;
}

/* Every page kind is there, with the counts the data implies. */
static void test_pages(void **state)
{
    fixture *fx = *state;
    pf_site_result res;
    write_ok(fx, &res);
    assert_int_equal(res.repositories, 3);
    assert_int_equal(res.compares, 2);
    /* curl, bash, zlib and the hostile project are in two families or more */
    assert_int_equal(res.projects, 4);
    static const char *const must[] = {
        "index.html",
        "search.html",
        "search-index.js",
        "style.css",
        "site.js",
        "img/map.png",
        "img/map.svg",
        "img/rank.png",
        "repo/st_deb.html",
        "repo/st_nix.html",
        "repo/st_alp.html",
        "repo/st_deb.atom",
        "repo/st_deb-outdated.csv",
        "img/trend-st_deb-newest.png",
        "project/curl.html",
        "project/bash.html",
        "badge/project/curl.svg",
        "badge/repo/st_nix.svg",
        "compare/st_deb--st_nix.html",
        "compare/st_alp--st_nix.html",
        "maintainer/doko~40example.org.html",
        "maintainer/doko~40example.org.atom",
        "maintainer/team~40lists.example.org.html",
    };
    for (size_t i = 0; i < N(must); i++)
        if (!site_has(fx, must[i]))
            fail_msg("missing %s", must[i]);
    assert_false(site_has(fx, "project/onlydeb.html")); /* one family: search only */
    char *idx = site_read(fx, "index.html");
    assert_non_null(strstr(idx, "Data of 2025-06-08"));
    assert_non_null(strstr(idx, "pkgfresh " PKGFRESH_VERSION));
    assert_non_null(strstr(idx, "Test &lt;site&gt;"));
    assert_non_null(strstr(idx, "ST nixpkgs &lt;b&gt;&amp;&lt;/b&gt;"));
    assert_non_null(strstr(idx, "<table class=\"sortable\" id=\"stats\">"));
    free(idx);
    char *curl = site_read(fx, "project/curl.html");
    assert_non_null(strstr(curl, "<td class=\"st-outdated\">8.5.0-1</td>"));
    assert_non_null(strstr(curl, "<td class=\"st-newest\">8.7.0</td>"));
    assert_non_null(strstr(curl, "href=\"https://example.org/curl?a=1&amp;b=2\""));
    free(curl);
    /* the repository's feed: bash 5.3-1 is new in Debian; Alpine's curl
     * became outdated when 8.7.0 appeared */
    char *feed = site_read(fx, "repo/st_deb.atom");
    assert_non_null(strstr(feed, "<title>bash 5.3-1 is new in ST Debian</title>"));
    free(feed);
    feed = site_read(fx, "repo/st_alp.atom");
    assert_non_null(strstr(feed, "<title>curl 8.6.0-r0 is outdated in ST Alpine</title>"));
    free(feed);
    char *csv = site_read(fx, "repo/st_deb-outdated.csv");
    assert_non_null(strstr(csv, "project,srcname,version,best_version,newer_versions,"));
    assert_non_null(strstr(csv, "\ncurl,curl,8.5.0-1,8.7.0,2,"));
    free(csv);
}

/* Hostile strings are escaped or dropped everywhere; only http(s) links. */
static void test_escaping(void **state)
{
    fixture *fx = *state;
    char *list = site_files(fx);
    int seen_escaped = 0;
    for (char *f = strtok(list, "\n"); f; f = strtok(NULL, "\n")) {
        if (ends(f, ".png"))
            continue;
        /* a CSV is data (text/csv), not markup: only controls and bad bytes */
        int csv = ends(f, ".csv");
        char *s = site_read(fx, f);
        static const char *const bad[] = {"<script>alert", "<img src=x", "<svg onload",
                                          "javascript:",   "data:text",  "onmouseover",
                                          "\x1b",          "\xff",       "\x07"};
        for (size_t i = csv ? 6 : 0; i < N(bad); i++)
            if (strstr(s, bad[i]))
                fail_msg("%s contains '%s'", f, bad[i]);
        if (strstr(s, "&lt;script&gt;alert(1)&lt;/script&gt;"))
            seen_escaped++;
        /* links: relative, or http(s) */
        for (const char *p = s; (p = strstr(p, "href=\"")); p += 6) {
            const char *v = p + 6;
            if (strncmp(v, "http://", 7) == 0 || strncmp(v, "https://", 8) == 0)
                continue;
            const char *colon = strchr(v, ':'), *end = strchr(v, '"');
            if (colon && end && colon < end)
                fail_msg("%s: link with a scheme: %.60s", f, v);
        }
        free(s);
    }
    free(list);
    assert_true(seen_escaped >= 3); /* project page, repository page, maintainer page ... */
    /* the hostile project has its page under a safe file name */
    assert_true(site_has(fx, "project/~3cscript~3ealert~281~29~3c~2fscript~3e.html"));
    char *pg = site_read(fx, "project/~3cscript~3ealert~281~29~3c~2fscript~3e.html");
    assert_non_null(strstr(pg, "1.0&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
    free(pg);
}

/* Resolve every internal href/src of an HTML file against the site. */
static void check_links(const fixture *fx, const char *rel, long *checked)
{
    char *s = site_read(fx, rel);
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", rel);
    char *slash = strrchr(dir, '/');
    if (slash)
        slash[1] = 0;
    else
        dir[0] = 0;
    static const char *const attrs[] = {"href=\"", "src=\""};
    for (size_t a = 0; a < 2; a++) {
        for (const char *p = s; (p = strstr(p, attrs[a])); p++) {
            const char *v = p + strlen(attrs[a]);
            size_t n = strcspn(v, "\"?#");
            if (n == 0 || strncmp(v, "http://", 7) == 0 || strncmp(v, "https://", 8) == 0)
                continue;
            char target[8400], path[4096];
            snprintf(path, sizeof path, "%s%.*s", dir, (int)n, v);
            snprintf(target, sizeof target, "%s/%s", fx->out, path);
            if (access(target, F_OK) != 0)
                fail_msg("%s: broken link %.*s", rel, (int)n, v);
            (*checked)++;
        }
    }
    free(s);
}

/* No broken internal link anywhere; feeds and SVGs parse as XML. */
static void test_links_and_xml(void **state)
{
    fixture *fx = *state;
    char *list = site_files(fx);
    long checked = 0, xml = 0;
    for (char *f = strtok(list, "\n"); f; f = strtok(NULL, "\n")) {
        if (ends(f, ".html"))
            check_links(fx, f, &checked);
        if (ends(f, ".atom") || ends(f, ".svg")) {
            char p[8400];
            snprintf(p, sizeof p, "%s/%s", fx->out, f);
            xmlDocPtr doc = xmlReadFile(p, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR);
            if (!doc)
                fail_msg("%s is not well-formed XML", f);
            xmlFreeDoc(doc);
            xml++;
        }
    }
    free(list);
    xmlCleanupParser();
    assert_true(checked > 200);
    assert_true(xml > 10);
}

/* Inode and modification time of a site file. */
static void ino_of(const fixture *fx, const char *rel, struct stat *sb)
{
    char p[8400];
    snprintf(p, sizeof p, "%s/%s", fx->out, rel);
    assert_int_equal(stat(p, sb), 0);
}

/* Whether the site's parent folder holds staging or aside folders. */
static int leftovers(const fixture *fx)
{
    DIR *d = opendir(fx->dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += strncmp(e->d_name, "site.new.", 9) == 0 || strncmp(e->d_name, "site.old.", 9) == 0;
    closedir(d);
    return n;
}

/* A re-run writes nothing; a change rewrites some files and drops pages
 * that are gone. Runs last: it changes the database. */
static void test_incremental(void **state)
{
    fixture *fx = *state;
    pf_site_result r1, r2, r3;
    write_ok(fx, &r1);
    struct stat a, b;
    ino_of(fx, "index.html", &a);
    write_ok(fx, &r2);
    ino_of(fx, "index.html", &b);
    assert_int_equal(r2.written, 0);
    assert_int_equal(r2.unchanged, r2.files);
    assert_int_equal(r2.files, r1.files);
    assert_true(a.st_ino == b.st_ino && a.st_mtime == b.st_mtime);
    assert_int_equal(leftovers(fx), 0);
    assert_true(site_has(fx, "project/zlib.html"));

    /* a week later zlib is gone from nixpkgs and Alpine: one family left */
    static const pk ALP3[] = {{"curl", "8.7.0-r0", "alp@example.org", NULL}};
    static const pk NIX3[] = {{"curl", "8.7.0", "nix@example.org", GOOD_URL},
                              {"bash", "5.3", NULL, NULL}};
    crawl(fx->st, "st_alp", ALP3, N(ALP3), T0 + 14 * DAY);
    crawl(fx->st, "st_nix", NIX3, N(NIX3), T0 + 14 * DAY);
    analyze(fx, T0 + 14 * DAY);
    write_ok(fx, &r3);
    assert_true(r3.written > 0);
    assert_true(r3.unchanged > 0); /* style.css, site.js, unchanged badges ... */
    assert_false(site_has(fx, "project/zlib.html"));
    assert_false(site_has(fx, "badge/project/zlib.svg"));
    assert_int_equal(leftovers(fx), 0);
    char *idx = site_read(fx, "index.html");
    assert_non_null(strstr(idx, "Data of 2025-06-15"));
    free(idx);
}

/* A folder pkgfresh did not write is refused; a failing run keeps the
 * previous site. */
static void test_safety(void **state)
{
    fixture *fx = *state;
    char other[4300], keep[4400], err[1024] = "";
    snprintf(other, sizeof other, "%s/precious", fx->dir);
    snprintf(keep, sizeof keep, "%s/notes.txt", other);
    assert_int_equal(mkdir(other, 0755), 0);
    FILE *f = fopen(keep, "w");
    assert_non_null(f);
    fputs("mine\n", f);
    fclose(f);
    pf_site_result res;
    assert_int_equal(write_site(fx, other, &res, err, sizeof err), -1);
    assert_non_null(strstr(err, "not written by pkgfresh"));
    assert_int_equal(access(keep, F_OK), 0);

    /* an existing site, then a run that fails (a database with no analysis) */
    write_ok(fx, &res);
    struct stat a, b;
    ino_of(fx, "index.html", &a);
    char empty[4300];
    snprintf(empty, sizeof empty, "%s/empty.db", fx->dir);
    pf_store *st = pf_store_open(empty, err, sizeof err);
    assert_non_null(st);
    pf_site_opts o = {fx->out, NULL, NULL, NULL, 0, NULL, 0, &fx->cat, 0, 0, 0};
    assert_int_equal(pf_site_write(st, &o, &res, err, sizeof err), -1);
    assert_non_null(strstr(err, "no analyzed repository"));
    pf_store_close(st);
    ino_of(fx, "index.html", &b);
    assert_true(a.st_ino == b.st_ino);
    assert_int_equal(leftovers(fx), 0);
}

/* A number attribute of the first element carrying it. */
static double attr_num(const char *svg, const char *name)
{
    const char *p = strstr(svg, name);
    assert_non_null(p);
    return atof(p + strlen(name));
}

/* Badges from the store: rows, colors, widths that fit the text. */
static void test_badges(void **state)
{
    fixture *fx = *state;
    char err[512] = "";
    size_t len = 0;
    char *v = pf_site_badge(fx->st, &fx->cat, "curl", NULL, &len, err, sizeof err);
    if (!v)
        fail_msg("badge: %s", err);
    assert_int_equal(strlen(v), len);
    assert_non_null(strstr(v, ">Packaging status</text>"));
    assert_non_null(strstr(v, ">ST Debian</text>"));
    assert_non_null(strstr(v, ">ST nixpkgs &lt;b&gt;&amp;&lt;/b&gt;</text>"));
    assert_non_null(strstr(v, "fill=\"#e05d44\"")); /* Debian's 8.5.0-1 is outdated */
    assert_non_null(strstr(v, "fill=\"#4c1\""));
    pf_text_measure *m = pf_text_measure_new(11, 0);
    double need =
        pf_text_measure_width(m, "ST nixpkgs <b>&</b>") + pf_text_measure_width(m, "8.5.0-1");
    assert_true(need > 50);
    assert_true(attr_num(v, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"") >= need);
    free(v);
    v = pf_site_badge(fx->st, &fx->cat, "curl", "st_deb", &len, err, sizeof err);
    assert_non_null(v);
    assert_non_null(strstr(v, ">8.5.0-1</text>"));
    need = pf_text_measure_width(m, "ST Debian") + pf_text_measure_width(m, "8.5.0-1");
    assert_true(attr_num(v, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"") >= need);
    free(v);
    pf_text_measure_free(m);
    v = pf_site_badge(fx->st, &fx->cat, NULL, "st_nix", &len, err, sizeof err);
    assert_non_null(v);
    assert_non_null(strstr(v, "% newest</text>"));
    free(v);
    assert_null(pf_site_badge(fx->st, &fx->cat, "no-such-project", NULL, &len, err, sizeof err));
    assert_non_null(strstr(err, "no-such-project"));
}

/* Run the pkgfresh binary on the fixture database; returns its exit status
 * and its standard error in *errout (malloc'd). */
static int run_cli(fixture *fx, const char *const *args, size_t n, char **errout)
{
    char *argv[24];
    size_t k = 0;
    argv[k++] = (char *)tu_pkgfresh();
    argv[k++] = "--db";
    argv[k++] = fx->db;
    argv[k++] = "--catalog";
    argv[k++] = (char *)tu_fixture("site/catalog.yaml");
    for (size_t i = 0; i < n && k < 23; i++)
        argv[k++] = (char *)args[i];
    argv[k] = NULL;
    char *out = NULL;
    int rc = tu_run(argv, &out, errout);
    free(out);
    return rc;
}

/* `pkgfresh site` and `pkgfresh render badge`: exit codes, files, errors. */
static void test_cli(void **state)
{
    fixture *fx = *state;
    char out[4300], svg[4300], *err = NULL;
    snprintf(out, sizeof out, "%s/cli-site", fx->dir);
    snprintf(svg, sizeof svg, "%s/curl.svg", fx->dir);
    const char *site[] = {"site", "--out", out, "--compare", "stdeb,stnix", "--title", "CLI"};
    assert_int_equal(run_cli(fx, site, N(site), &err), 0);
    assert_non_null(strstr(err, "wrote"));
    free(err);
    char idx[4400];
    snprintf(idx, sizeof idx, "%s/compare/st_deb--st_nix.html", out);
    assert_int_equal(access(idx, F_OK), 0);
    const char *no_out[] = {"site"};
    assert_int_equal(run_cli(fx, no_out, N(no_out), &err), 2);
    assert_non_null(strstr(err, "--out"));
    free(err);
    const char *bad_pair[] = {"site", "--out", out, "--compare", "stdeb"};
    assert_int_equal(run_cli(fx, bad_pair, N(bad_pair), &err), 2);
    free(err);
    const char *badge[] = {"render", "badge", "curl", "--out", svg};
    assert_int_equal(run_cli(fx, badge, N(badge), &err), 0);
    free(err);
    char *b = tu_slurp(svg, NULL);
    assert_non_null(b);
    assert_non_null(strstr(b, ">Packaging status</text>"));
    free(b);
    const char *version[] = {"render", "badge", "curl", "--repo", "stdeb", "--out", svg};
    assert_int_equal(run_cli(fx, version, N(version), &err), 0);
    free(err);
    b = tu_slurp(svg, NULL);
    assert_non_null(strstr(b, ">8.5.0-1</text>"));
    free(b);
    const char *unknown[] = {"render", "badge", "no-such", "--out", svg};
    assert_int_equal(run_cli(fx, unknown, N(unknown), &err), 1);
    assert_non_null(strstr(err, "no-such"));
    free(err);
    const char *png[] = {"render", "badge", "curl", "--out", "x.png"};
    assert_int_equal(run_cli(fx, png, N(png), &err), 2);
    free(err);
}

/* Full path of a program in PATH, or NULL. */
static const char *which(const char *prog, char *buf, size_t len)
{
    const char *path = getenv("PATH");
    if (!path)
        path = "/usr/bin:/bin";
    while (*path) {
        size_t n = strcspn(path, ":");
        snprintf(buf, len, "%.*s/%s", (int)n, path, prog);
        if (access(buf, X_OK) == 0)
            return buf;
        path += n + (path[n] == ':');
    }
    return NULL;
}

/* Every HTML page passes `tidy -e` without errors (warnings allowed). */
static void test_tidy(void **state)
{
    fixture *fx = *state;
    char tidy[4096];
    if (!which("tidy", tidy, sizeof tidy))
        skip();
    char *list = site_files(fx);
    int pages = 0;
    for (char *f = strtok(list, "\n"); f; f = strtok(NULL, "\n")) {
        if (!ends(f, ".html"))
            continue;
        char p[8400];
        snprintf(p, sizeof p, "%s/%s", fx->out, f);
        char *argv[] = {tidy, "-e", "-q", p, NULL};
        char *out = NULL, *errout = NULL;
        int rc = tu_run(argv, &out, &errout);
        if (rc >= 2)
            fail_msg("tidy -e %s: exit %d\n%s", f, rc, errout ? errout : "");
        free(out);
        free(errout);
        pages++;
    }
    free(list);
    assert_true(pages > 10);
}

/* The self-check result site.js leaves on <html> (?selftest), read after
 * the load event (polled briefly: the load handlers run first). */
static void expect_selftest(cdp *c, const char *url, const char *want)
{
    char *r = NULL;
    for (int i = 0; i < 50 && !r; i++) {
        r = cdp_eval(c, "document.documentElement.getAttribute('data-selftest')");
        if (!r)
            usleep(20000);
    }
    if (!r)
        fail_msg("%s: no self-check result (did site.js run?) %s", url, cdp_error(c));
    if (strncmp(r, "ok", 2) != 0 || (want && !strstr(r, want)))
        fail_msg("%s: self-check: %s", url, r);
    printf("  %s: %s\n", url, r);
    free(r);
}

/* Chromium loads the site from file:// (one browser, driven over the
 * DevTools pipe): no console message, exception or failed load; images
 * decode; sorting and search work; screenshots saved. */
static void test_browser(void **state)
{
    fixture *fx = *state;
    char bin[4096];
    if (!which("chromium", bin, sizeof bin) && !which("chromium-browser", bin, sizeof bin))
        skip();
    pf_site_result res;
    write_ok(fx, &res);
    char root[4096], url[8400], shots[4096], err[512] = "";
    assert_non_null(realpath(fx->out, root));
    assert_int_equal(system("mkdir -p build/site-shots"), 0);
    assert_non_null(realpath("build/site-shots", shots));
    cdp *c = cdp_start(bin, tu_tmpdir("site-chromium"), 1280, 1400, err, sizeof err);
    if (!c)
        fail_msg("chromium: %s", err);
    /* the checks can fail: a broken page outside the site is caught */
    char bad[4300], top[4096];
    assert_non_null(realpath(fx->dir, top));
    snprintf(bad, sizeof bad, "%s/broken.html", top);
    FILE *f = fopen(bad, "w");
    assert_non_null(f);
    fputs("<!DOCTYPE html><title>x</title><img src=\"missing.png\" alt=\"\">"
          "<script>console.error('boom'); nosuch();</script>\n",
          f);
    fclose(f);
    snprintf(url, sizeof url, "file://%s", bad);
    assert_int_equal(cdp_load(c, url, 60), 0);
    unlink(bad);
    assert_non_null(strstr(cdp_messages(c), "console.error: boom"));
    assert_non_null(strstr(cdp_messages(c), "nosuch is not defined"));
    cdp_clear_messages(c);
    /* each page: the self-check, then a screenshot */
    static const char *const pages[][3] = {
        {"index.html", "site-index.png", "images: 2"},
        {"repo/st_deb.html", "site-repo.png", "images: 3"},
        {"project/curl.html", "site-project.png", "images: 1"},
        {"search.html?q=cur&", NULL, "search: 1 projects"},
    };
    for (size_t i = 0; i < N(pages); i++) {
        const char *sep = strchr(pages[i][0], '?') ? "" : "?";
        snprintf(url, sizeof url, "file://%s/%s%sselftest", root, pages[i][0], sep);
        if (cdp_load(c, url, 60) != 0)
            fail_msg("%s: %s", url, cdp_error(c));
        expect_selftest(c, url, pages[i][2]);
        if (!pages[i][1])
            continue;
        char shot[8400];
        snprintf(shot, sizeof shot, "%s/%s", shots, pages[i][1]);
        unlink(shot);
        struct stat sb;
        if (cdp_screenshot(c, shot) != 0 || stat(shot, &sb) != 0 || sb.st_size < 10000)
            fail_msg("no screenshot %s: %s", shot, cdp_error(c));
    }
    char *link = cdp_eval(c, "document.querySelector('#results a').getAttribute('href')");
    assert_non_null(link);
    assert_string_equal(link, "project/curl.html");
    free(link);
    const char *msgs = cdp_messages(c);
    if (*msgs)
        fail_msg("browser messages:\n%s", msgs);
    cdp_stop(c);
}

/* LeakSanitizer hook (SAN=1 builds): fontconfig's one-time allocations. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig\n";
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pages),         cmocka_unit_test(test_escaping),
        cmocka_unit_test(test_links_and_xml), cmocka_unit_test(test_badges),
        cmocka_unit_test(test_safety),        cmocka_unit_test(test_cli),
        cmocka_unit_test(test_tidy),          cmocka_unit_test(test_browser),
        cmocka_unit_test(test_incremental),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
