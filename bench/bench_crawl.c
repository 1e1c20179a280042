/*
 * bench_crawl.c — a crawl of every catalog repository from a loopback HTTP
 * server (issue 12, "Speed").
 *
 *   bench_crawl PKGFRESH OUTDIR [--scale F] [--jobs N[,N...]]
 *
 * For each repository of the built-in catalog this writes synthetic index
 * files in the repository's own format and packing (gzip / xz / bzip2 /
 * brotli / zstd, tar archives for Arch, MSYS2, Alpine, Void and the Gentoo
 * trees, the JSON exports of the json-export dialects, Solus's
 * eopkg-index.xml, repomd.xml plus a primary for rpm-md), as many records as the repository's size
 * floor (min_packages, at least 200) times 1.15 times --scale, spread over its sources; serves them
 * from 127.0.0.1 (tests/support/httpd.c); writes a catalog pointing at them (OUTDIR/catalog.yaml);
 * and times
 *
 *   PKGFRESH --db OUTDIR/crawl.db --catalog OUTDIR/catalog.yaml --rules none
 *            crawl --all --jobs N --no-analyze
 *
 * (wall time, the child's peak RSS; once per --jobs value, default 4), then
 * `analyze` on the last result. Every
 * repository's stored package count is checked against what was generated,
 * so a parser that drops records fails the bench (exit 1).
 *
 * Table-driven: a format contributes one row of `FORMATS` (its name, how
 * the body is packed, a generator). Repositories of formats without a row
 * are listed as skipped. Deterministic: names and versions are functions
 * of the record and repository index.
 */
#include <archive.h>
#include <archive_entry.h>
#include <brotli/encode.h>
#include <bzlib.h>
#include <errno.h>
#include <lzma.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "../tests/support/httpd.h"
#include "pkgfresh/catalog.h"
#include "pkgfresh/grow.h"

/* ---- growing byte buffer ---------------------------------------------------- */

typedef struct gbuf {
    char *p;
    size_t n, cap;
    int oom;
} gbuf;

/* Append formatted text (printf-style); sets oom on failure. */
static void gb_printf(gbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void gb_printf(gbuf *b, const char *fmt, ...)
{
    for (int pass = 0; pass < 2 && !b->oom; pass++) {
        va_list ap;
        va_start(ap, fmt);
        size_t room = b->cap - b->n;
        int k = vsnprintf(b->p ? b->p + b->n : NULL, room, fmt, ap);
        va_end(ap);
        if (k < 0) {
            b->oom = 1;
            return;
        }
        if ((size_t)k < room) {
            b->n += (size_t)k;
            return;
        }
        if (pf_grow(&b->p, &b->cap, b->n, (size_t)k + 1) != 0)
            b->oom = 1;
    }
}

/* Append raw bytes. */
static void gb_add(gbuf *b, const void *data, size_t n)
{
    if (b->oom || pf_grow(&b->p, &b->cap, b->n, n + 1) != 0) {
        b->oom = 1;
        return;
    }
    memcpy(b->p + b->n, data, n);
    b->n += n;
}

/* ---- names and versions -------------------------------------------------------- */

/* What a generator is asked for: records [first, first + n) of repository r. */
typedef struct gen_ctx {
    size_t first, n;
    unsigned repo; /* index of the repository in the catalog */
} gen_ctx;

/* Project name of record k of repository r: most records come from a shared
 * pool (so repositories overlap as real ones do), one in ten is the
 * repository's own. */
static void rec_name(const gen_ctx *g, size_t k, char *buf, size_t len)
{
    static const char *const stems[] = {"lib", "py-", "perl-", "r-", "", "", "", "go-"};
    if (k % 10 == 9)
        snprintf(buf, len, "own%u-tool%zu", g->repo, k);
    else
        snprintf(buf, len, "%sproj%zu", stems[k % 8], k);
}

/* Upstream version of record k in repository r: repositories lag a little. */
static void rec_version(const gen_ctx *g, size_t k, char *buf, size_t len)
{
    snprintf(buf, len, "%zu.%zu.%u", k % 7 + 1, k % 13, (unsigned)((k + g->repo) % 5));
}

/* n hex digits (n < len) that look random, a function of (k, salt): checksums,
 * which make up much of a real index's compressed size. */
static const char *rand_hex(size_t k, unsigned salt, char *buf, size_t n)
{
    uint64_t x = (uint64_t)k * 0x9e3779b97f4a7c15u + salt;
    for (size_t i = 0; i < n; i++) {
        if (i % 16 == 0) { /* splitmix64 step */
            x += 0x9e3779b97f4a7c15u;
            uint64_t z = x;
            z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
            z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
            x = z ^ (z >> 31);
        }
        buf[i] = "0123456789abcdef"[(x >> (4 * (i % 16))) & 15];
    }
    buf[n] = '\0';
    return buf;
}

/* ---- generators: one per format -------------------------------------------------- */

/* A tar member being written by a generator. */
typedef struct tar_out tar_out;
static void tar_add(tar_out *t, const char *name, const char *data, size_t n);

/* Debian Sources stanzas (about 700 bytes each, like the real ones). */
static void gen_deb_sources(gbuf *o, tar_out *t, const gen_ctx *g)
{
    (void)t;
    char nm[64], v[32], h1[33], h2[33], h3[65];
    for (size_t k = g->first; k < g->first + g->n; k++) {
        rec_name(g, k, nm, sizeof nm);
        rec_version(g, k, v, sizeof v);
        gb_printf(o,
                  "Package: %s\nBinary: %s, %s-doc\nVersion: %s-%zu\n"
                  "Maintainer: Team %zu <team%zu@lists.example.org>\n"
                  "Uploaders: Jane Doe <jane@example.org>\n"
                  "Build-Depends: debhelper-compat (= 13), libfoo-dev (>= 1.2), pkgconf\n"
                  "Architecture: any all\nStandards-Version: 4.7.0\nFormat: 3.0 (quilt)\n"
                  "Files:\n %s 2150 %s_%s-1.dsc\n"
                  " %s %zu %s_%s.orig.tar.xz\n"
                  "Checksums-Sha256:\n %s 2150 %s_%s-1.dsc\n"
                  "Vcs-Git: https://salsa.example.org/team/%s.git\n"
                  "Homepage: https://%s.example.org/\n"
                  "Package-List:\n %s deb misc optional arch=any\n"
                  "Directory: pool/main/%c/%s\nPriority: source\nSection: misc\n\n",
                  nm, nm, nm, v, k % 3 + 1, k % 97, k % 97, rand_hex(k, g->repo, h1, 32), nm, v,
                  rand_hex(k, g->repo + 1000, h2, 32), 100000 + k * 37, nm, v,
                  rand_hex(k, g->repo + 2000, h3, 64), nm, v, nm, nm, nm, nm[0], nm);
    }
}

/* Slackware PACKAGES.TXT blocks. */
static void gen_slackware(gbuf *o, tar_out *t, const gen_ctx *g)
{
    (void)t;
    char nm[64], v[32];
    gb_printf(o, "PACKAGES.TXT;  Fri Nov 22 19:51:49 UTC 2024\n\n");
    for (size_t k = g->first; k < g->first + g->n; k++) {
        rec_name(g, k, nm, sizeof nm);
        rec_version(g, k, v, sizeof v);
        gb_printf(o,
                  "PACKAGE NAME:  %s-%s-x86_64-%zu.txz\nPACKAGE LOCATION:  ./slackware64/ap\n"
                  "PACKAGE SIZE (compressed):  %zu K\nPACKAGE SIZE (uncompressed):  %zu K\n"
                  "PACKAGE DESCRIPTION:\n%s: %s (a synthetic package)\n%s:\n"
                  "%s: It exists to measure the crawler.\n\n",
                  nm, v, k % 3 + 1, 100 + k % 900, 400 + k % 3000, nm, nm, nm, nm);
    }
}

/* Homebrew formula.json: a JSON array of formula objects. */
static void gen_homebrew_json(gbuf *o, tar_out *t, const gen_ctx *g)
{
    (void)t;
    char nm[64], v[32], h[65];
    gb_printf(o, "[\n");
    for (size_t k = g->first; k < g->first + g->n; k++) {
        rec_name(g, k, nm, sizeof nm);
        rec_version(g, k, v, sizeof v);
        gb_printf(o,
                  "%s{\"name\":\"%s\",\"full_name\":\"%s\",\"tap\":\"homebrew/core\","
                  "\"desc\":\"Synthetic formula %zu\",\"license\":\"MIT\","
                  "\"homepage\":\"https://%s.example.org/\",\"versions\":{\"stable\":\"%s\","
                  "\"head\":null,\"bottle\":true},\"urls\":{\"stable\":{\"url\":"
                  "\"https://%s.example.org/%s-%s.tar.gz\",\"checksum\":\"%s\"}},"
                  "\"revision\":0,\"dependencies\":[\"openssl@3\",\"zlib\"]}\n",
                  k > g->first ? "," : "", nm, nm, k, nm, v, nm, nm, v,
                  rand_hex(k, g->repo, h, 64));
    }
    gb_printf(o, "]\n");
}

/* nixpkgs packages.json: {"version":2,"packages":{attr: {...}}}. */
static void gen_nix_json(gbuf *o, tar_out *t, const gen_ctx *g)
{
    (void)t;
    char nm[64], v[32];
    gb_printf(o, "{\"version\":2,\"packages\":{\n");
    for (size_t k = g->first; k < g->first + g->n; k++) {
        rec_name(g, k, nm, sizeof nm);
        rec_version(g, k, v, sizeof v);
        gb_printf(o,
                  "%s\"%s\":{\"name\":\"%s-%s\",\"pname\":\"%s\",\"version\":\"%s\","
                  "\"system\":\"x86_64-linux\",\"outputName\":\"out\",\"outputs\":{\"out\":null},"
                  "\"meta\":{\"available\":true,\"description\":\"Synthetic package %zu\","
                  "\"homepage\":\"https://%s.example.org/\",\"license\":{\"spdxId\":\"MIT\"},"
                  "\"maintainers\":[{\"email\":\"m%zu@example.org\",\"github\":\"m%zu\"}],"
                  "\"position\":\"pkgs/by-name/%s/package.nix:42\"}}\n",
                  k > g->first ? "," : "", nm, nm, v, nm, v, k, nm, k % 500, k % 500, nm);
    }
    gb_printf(o, "}}\n");
}

/* FreeBSD INDEX lines (13 fields separated by '|'). */
static void gen_freebsd_index(gbuf *o, tar_out *t, const gen_ctx *g)
{
    (void)t;
    char nm[64], v[32];
    for (size_t k = g->first; k < g->first + g->n; k++) {
        rec_name(g, k, nm, sizeof nm);
        rec_version(g, k, v, sizeof v);
        gb_printf(o,
                  "%s-%s|/usr/ports/misc/%s|/usr/local|Synthetic port %zu|"
                  "/usr/ports/misc/%s/pkg-descr|ports%zu@FreeBSD.org|misc|gmake-4.4.1|"
                  "gettext-runtime-0.23.1|https://%s.example.org/|||\n",
                  nm, v, nm, k, nm, k % 300, nm);
    }
}

/* APKINDEX records as text into o (Alpine's tar member, Chimera's plain file). */
static void apk_records(gbuf *o, const gen_ctx *g)
{
    char nm[64], v[32], h[27];
    for (size_t k = g->first; k < g->first + g->n; k++) {
        rec_name(g, k, nm, sizeof nm);
        rec_version(g, k, v, sizeof v);
        gb_printf(o,
                  "C:Q1%s=\nP:%s\nV:%s-r%zu\nA:x86_64\nS:%zu\nI:%zu\n"
                  "T:Synthetic package %zu\nU:https://%s.example.org/\nL:MIT\no:%s\n"
                  "m:Maintainer %zu <m%zu@example.org>\nt:1755861905\n"
                  "D:so:libc.musl-x86_64.so.1\n\n",
                  rand_hex(k, g->repo, h, 26), nm, v, k % 4, 10000 + k, 40000 + k, k, nm, nm,
                  k % 200, k % 200);
    }
}

/* Alpine APKINDEX (one member of the tar archive). */
static void gen_apkindex(gbuf *o, tar_out *t, const gen_ctx *g)
{
    tar_add(t, "DESCRIPTION", "synthetic", 9);
    apk_records(o, g);
    tar_add(t, "APKINDEX", o->p, o->n);
    o->n = 0;
}

/* Chimera: the APKINDEX records as a plain text file. */
static void gen_apkindex_text(gbuf *o, tar_out *t, const gen_ctx *g)
{
    (void)t;
    apk_records(o, g);
}

/* Arch sync database: one "<name>-<version>/desc" member per package. */
static void gen_arch_db(gbuf *o, tar_out *t, const gen_ctx *g)
{
    char nm[64], v[32], path[128], h[65];
    for (size_t k = g->first; k < g->first + g->n; k++) {
        rec_name(g, k, nm, sizeof nm);
        rec_version(g, k, v, sizeof v);
        o->n = 0;
        gb_printf(o,
                  "%%FILENAME%%\n%s-%s-1-x86_64.pkg.tar.zst\n\n%%NAME%%\n%s\n\n%%BASE%%\n%s\n\n"
                  "%%VERSION%%\n%s-1\n\n%%DESC%%\nSynthetic package %zu\n\n%%CSIZE%%\n%zu\n\n"
                  "%%SHA256SUM%%\n%s\n\n"
                  "%%URL%%\nhttps://%s.example.org/\n\n%%LICENSE%%\nMIT\n\n%%ARCH%%\nx86_64\n\n"
                  "%%PACKAGER%%\nPackager %zu <p%zu@example.org>\n\n",
                  nm, v, nm, nm, v, k, 10000 + k, rand_hex(k, g->repo, h, 64), nm, k % 50, k % 50);
        snprintf(path, sizeof path, "%s-%s-1/desc", nm, v);
        tar_add(t, path, o->p, o->n);
    }
    o->n = 0;
}

/* Void repodata: index.plist (an XML property list) in a tar archive. */
static void gen_void_repodata(gbuf *o, tar_out *t, const gen_ctx *g)
{
    char nm[64], v[32];
    gb_printf(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<dict>\n");
    for (size_t k = g->first; k < g->first + g->n; k++) {
        rec_name(g, k, nm, sizeof nm);
        rec_version(g, k, v, sizeof v);
        gb_printf(o,
                  "\t<key>%s</key>\n\t<dict>\n\t\t<key>architecture</key>\n"
                  "\t\t<string>x86_64</string>\n\t\t<key>homepage</key>\n"
                  "\t\t<string>https://%s.example.org/</string>\n\t\t<key>installed_size</key>\n"
                  "\t\t<integer>%zu</integer>\n\t\t<key>license</key>\n\t\t<string>MIT</string>\n"
                  "\t\t<key>maintainer</key>\n\t\t<string>M %zu &lt;m%zu@example.org&gt;</string>\n"
                  "\t\t<key>pkgver</key>\n\t\t<string>%s-%s_1</string>\n"
                  "\t\t<key>short_desc</key>\n\t\t<string>Synthetic package %zu</string>\n"
                  "\t\t<key>source-revisions</key>\n\t\t<string>%s:0f3c7a91</string>\n\t</dict>\n",
                  nm, nm, 300000 + k, k % 80, k % 80, nm, v, k, nm);
    }
    gb_printf(o, "</dict>\n</plist>\n");
    tar_add(t, "index-meta.plist", "<plist version=\"1.0\"><dict/></plist>\n", 38);
    tar_add(t, "index.plist", o->p, o->n);
    o->n = 0;
}

/* rpm-md primary.xml: source packages (arch src). */
static void gen_rpm_md(gbuf *o, tar_out *t, const gen_ctx *g)
{
    (void)t;
    char nm[64], v[32], h[65];
    gb_printf(o,
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<metadata "
              "xmlns=\"http://linux.duke.edu/metadata/common\" "
              "xmlns:rpm=\"http://linux.duke.edu/metadata/rpm\" packages=\"%zu\">\n",
              g->n);
    for (size_t k = g->first; k < g->first + g->n; k++) {
        rec_name(g, k, nm, sizeof nm);
        rec_version(g, k, v, sizeof v);
        gb_printf(o,
                  "<package type=\"rpm\">\n  <name>%s</name>\n  <arch>src</arch>\n"
                  "  <version epoch=\"0\" ver=\"%s\" rel=\"%zu.fc44\"/>\n"
                  "  <checksum type=\"sha256\" pkgid=\"YES\">%s</checksum>\n"
                  "  <summary>Synthetic package %zu</summary>\n"
                  "  <description>It exists to measure the crawler.</description>\n"
                  "  <packager>Fedora Project</packager>\n  <url>https://%s.example.org/</url>\n"
                  "  <time file=\"1761189840\" build=\"1761188890\"/>\n"
                  "  <size package=\"%zu\" installed=\"0\" archive=\"0\"/>\n"
                  "  <location href=\"Packages/%c/%s-%s-1.src.rpm\"/>\n  <format>\n"
                  "    <rpm:license>MIT</rpm:license>\n    <rpm:group>Unspecified</rpm:group>\n"
                  "    <rpm:buildhost>buildvm.example.org</rpm:buildhost>\n"
                  "    <rpm:header-range start=\"4504\" end=\"9832\"/>\n  </format>\n"
                  "</package>\n",
                  nm, v, k % 3 + 1, rand_hex(k, g->repo, h, 64), k, nm, 20000 + k, nm[0], nm, v);
    }
    gb_printf(o, "</metadata>\n");
}

/* AUR packages-meta-ext-v1.json: a JSON array (gzip'd by the URL's suffix). */
static void gen_aur_json(gbuf *o, tar_out *t, const gen_ctx *g)
{
    (void)t;
    char nm[64], v[32];
    gb_printf(o, "[\n");
    for (size_t k = g->first; k < g->first + g->n; k++) {
        rec_name(g, k, nm, sizeof nm);
        rec_version(g, k, v, sizeof v);
        gb_printf(o,
                  "%s{\"ID\":%zu,\"Name\":\"%s\",\"PackageBaseID\":%zu,\"PackageBase\":\"%s\","
                  "\"Version\":\"%s-%zu\",\"Description\":\"Synthetic package %zu\","
                  "\"URL\":\"https://%s.example.org/\",\"NumVotes\":%zu,\"Popularity\":0.5,"
                  "\"OutOfDate\":null,\"Maintainer\":\"m%zu\",\"FirstSubmitted\":1500000000,"
                  "\"LastModified\":1760000000,\"URLPath\":\"/cgit/aur.git/snapshot/%s.tar.gz\","
                  "\"Depends\":[\"glibc\",\"zlib\"],\"MakeDepends\":[\"git\"],"
                  "\"License\":[\"MIT\"],\"Keywords\":[],\"CoMaintainers\":[]}\n",
                  k > g->first ? "," : "", k, nm, k, nm, v, k % 3 + 1, k, nm, k % 50, k % 500, nm);
    }
    gb_printf(o, "]\n");
}

/* pkgsrc INDEX lines (12 fields separated by '|'). */
static void gen_pkgsrc_index(gbuf *o, tar_out *t, const gen_ctx *g)
{
    (void)t;
    char nm[64], v[32];
    for (size_t k = g->first; k < g->first + g->n; k++) {
        rec_name(g, k, nm, sizeof nm);
        rec_version(g, k, v, sizeof v);
        gb_printf(o,
                  "%s-%snb%zu|misc/%s|/usr/pkg|Synthetic package %zu|/usr/pkgsrc/misc/%s/DESCR|"
                  "pkgsrc-users@NetBSD.org|misc|gmake>=4.0:../../devel/gmake|"
                  "gettext-lib>=0.22:../../devel/gettext-lib|||https://%s.example.org/\n",
                  nm, v, k % 3 + 1, nm, k, nm, nm);
    }
}

/* ALT export/repology: {"packages": [...]}. */
static void gen_alt_json(gbuf *o, tar_out *t, const gen_ctx *g)
{
    (void)t;
    char nm[64], v[32];
    gb_printf(o, "{\"branch\":\"sisyphus\",\"packages\":[\n");
    for (size_t k = g->first; k < g->first + g->n; k++) {
        rec_name(g, k, nm, sizeof nm);
        rec_version(g, k, v, sizeof v);
        gb_printf(o,
                  "%s{\"name\":\"%s\",\"epoch\":0,\"version\":\"%s\",\"release\":\"alt%zu\","
                  "\"summary\":\"Synthetic package %zu\",\"license\":\"MIT\","
                  "\"category\":\"Development/Other\",\"packager\":\"m%zu@altlinux.org\","
                  "\"url\":\"https://%s.example.org/\",\"homepage\":\"\",\"recipe\":\"\","
                  "\"recipe_raw\":\"\",\"bugzilla\":\"\","
                  "\"binaries\":[{\"name\":\"%s\"},{\"name\":\"%s-devel\"}]}\n",
                  k > g->first ? "," : "", nm, v, k % 3 + 1, k, k % 300, nm, nm, nm);
    }
    gb_printf(o, "]}\n");
}

/* MacPorts PortIndex.json: {"ports": [...]}, every scalar a string. */
static void gen_macports_json(gbuf *o, tar_out *t, const gen_ctx *g)
{
    (void)t;
    char nm[64], v[32];
    gb_printf(o, "{\"ports\":[\n");
    for (size_t k = g->first; k < g->first + g->n; k++) {
        rec_name(g, k, nm, sizeof nm);
        rec_version(g, k, v, sizeof v);
        gb_printf(
            o,
            "%s{\"categories\":[\"devel\"],\"depends_lib\":[\"port:zlib\"],"
            "\"description\":\"Synthetic port %zu\",\"epoch\":\"0\","
            "\"homepage\":\"https://%s.example.org/\",\"license\":\"MIT\","
            "\"maintainers\":[{\"email\":{\"domain\":\"macports.org\",\"name\":\"m%zu\"}}],"
            "\"name\":\"%s\",\"portdir\":\"devel/%s\",\"revision\":\"0\",\"version\":\"%s\"}\n",
            k > g->first ? "," : "", k, nm, k % 300, nm, nm, v);
    }
    gb_printf(o, "]}\n");
}

/* GNU Guix packages.json: a JSON array. */
static void gen_guix_json(gbuf *o, tar_out *t, const gen_ctx *g)
{
    (void)t;
    char nm[64], v[32];
    gb_printf(o, "[\n");
    for (size_t k = g->first; k < g->first + g->n; k++) {
        rec_name(g, k, nm, sizeof nm);
        rec_version(g, k, v, sizeof v);
        gb_printf(o,
                  "%s{\"name\":\"%s\",\"version\":\"%s\",\"source\":[{\"type\":\"url\","
                  "\"urls\":[\"https://%s.example.org/%s-%s.tar.gz\"]}],"
                  "\"synopsis\":\"Synthetic package %zu\",\"homepage\":\"https://%s.example.org/\","
                  "\"location\":\"gnu/packages/misc.scm:%zu\"}\n",
                  k > g->first ? "," : "", nm, v, nm, nm, v, k, nm, 10 + k % 900);
    }
    gb_printf(o, "]\n");
}
/*
 * A json-export dialect: the document around the entries and one entry as a
 * printf format with positional arguments: %1$s the separator before it
 * ("" or ","), %2$s the name, %3$s the version, %4$zu the record number.
 * One record per entry (Spack: one release, no branch).
 */
typedef struct jx_tmpl {
    const char *open, *entry, *close;
} jx_tmpl;

/* Entries of records [first, first + n) in the dialect tm. */
static void gen_jx(gbuf *o, const gen_ctx *g, const jx_tmpl *tm)
{
    char nm[64], v[32];
    gb_printf(o, "%s", tm->open);
    for (size_t k = g->first; k < g->first + g->n; k++) {
        rec_name(g, k, nm, sizeof nm);
        rec_version(g, k, v, sizeof v);
        gb_printf(o, tm->entry, k > g->first ? "," : "", nm, v, k);
    }
    gb_printf(o, "%s", tm->close);
}

static const jx_tmpl JX_TERMUX = {
    "[\n",
    "%1$s{\"name\":\"%2$s\",\"version\":\"%3$s\",\"description\":\"Synthetic package "
    "%4$zu\",\"homepage\":\"https://%2$s.example.org/\",\"srcurl\":\"https://%2$s.example.org/"
    "%2$s-%3$s.tar.gz\",\"maintainer\":\"@termux\"}\n",
    "]\n"};
static const jx_tmpl JX_SPACK = {
    "{\"packages\":{\n",
    "%1$s\"%2$s\":{\"name\":\"%2$s\",\"homepages\":[\"https://%2$s.example.org/\"],"
    "\"maintainers\":[\"dev%4$zu\"],\"patches\":[],\"version\":[{\"version\":\"%3$s\","
    "\"downloads\":[]},{\"version\":\"0.%3$s\",\"downloads\":[]}]}\n",
    "}}\n"};
static const jx_tmpl JX_EXHERBO = {
    "[\n",
    "%1$s{\"name\":\"%2$s\",\"category\":\"dev-libs\",\"version\":\"%3$s-r1\","
    "\"summary\":\"Synthetic package %4$zu\",\"homepage\":\"https://%2$s.example.org/\","
    "\"downloads\":\"\",\"repository\":\"arbor\",\"exheres_url\":\"\",\"exheres_url_raw\":\"\"}\n",
    "]\n"};
static const jx_tmpl JX_AOSC = {
    "{\"packages\":[\n",
    "%1$s{\"name\":\"%2$s\",\"version\":\"%3$s\",\"full_version\":\"%3$s-1\","
    "\"category\":\"app\",\"section\":\"utils\",\"pkg_section\":\"utils\",\"directory\":"
    "\"%2$s\",\"description\":\"Synthetic package %4$zu\",\"srctype\":\"Tarball\",\"srcurl\":"
    "\"https://%2$s.example.org/%2$s.tar.gz\"}\n",
    "]}\n"};
static const jx_tmpl JX_CRUX = {
    "{\"ports\":[\n",
    "%1$s{\"name\":\"%2$s\",\"version\":\"%3$s\",\"description\":\"Synthetic port %4$zu\","
    "\"maintainer\":\"Team, team at example dot org\",\"url\":\"https://%2$s.example.org/\","
    "\"repository\":\"opt\",\"sources\":[]}\n",
    "]}\n"};
static const jx_tmpl JX_CHROMEBREW = {
    "[\n",
    "%1$s{\"name\":\"%2$s\",\"version\":\"%3$s\",\"description\":\"Synthetic package "
    "%4$zu\",\"homepage\":\"https://%2$s.example.org/\",\"license\":\"MIT\"}\n",
    "]\n"};
static const jx_tmpl JX_RAVENPORTS = {
    "{\"ravenports\":[\n",
    "%1$s{\"namebase\":\"%2$s\",\"version\":\"%3$s\",\"keywords\":[\"devel\"],"
    "\"homepage\":\"https://%2$s.example.org/\",\"distfile\":[],\"bucket\":\"A1\","
    "\"variants\":[{\"label\":\"standard\",\"sdesc\":\"Synthetic port %4$zu\"}],"
    "\"contacts\":[{\"email\":\"m%4$zu@example.org\"}]}\n",
    "]}\n"};
static const jx_tmpl JX_YACP = {
    "{\"packages\":[\n",
    "%1$s{\"name\":\"%2$s\",\"version\":\"%3$s\",\"category\":\"Libs\",\"summary\":"
    "\"Synthetic package %4$zu\",\"homepage\":\"https://%2$s.example.org/\",\"subpackages\":"
    "[{\"name\":\"mingw64-x86_64-%2$s\"}]}\n",
    "]}\n"};
static const jx_tmpl JX_PACSTALL = {
    "[\n",
    "%1$s{\"name\":\"%2$s\",\"visibleName\":\"%2$s\",\"version\":\"%3$s-1\","
    "\"description\":\"Synthetic package %4$zu\",\"url\":[],\"packageDetailsUrl\":\"\","
    "\"recipeUrl\":\"\",\"maintainer\":[{\"email\":\"m%4$zu@example.org\"}]}\n",
    "]\n"};
static const jx_tmpl JX_STALIX = {
    "",
    "{\"pkg_name\":\"%2$s\",\"pkg_ver\":\"%3$s\",\"ix_pkg_name\":\"lib/%2$s\","
    "\"ix_pkg_full_name\":\"lib/%2$s/ix.sh\",\"category\":\"lib\",\"maintainers\":[],"
    "\"upstream_urls\":[]%1$.0s}\n",
    ""};
static const jx_tmpl JX_SALIX = {
    "{\"packages\":[\n",
    "%1$s{\"name\":\"%2$s\",\"ver\":\"%3$s\",\"rel\":\"1\",\"arch\":\"x86_64\","
    "\"loc\":\"./l\",\"descs\":\"%2$s (synthetic package %4$zu)\"}\n",
    "]}\n"};
static const jx_tmpl JX_PTXDIST = {
    "[\n",
    "%1$s{\"name\":\"%2$s\",\"version\":\"%3$s\",\"upstream_urls\":\"https://%2$s.example."
    "org/%2$s-%3$s.tar.xz\",\"license\":\"MIT%4$.0zu\"}\n",
    "]\n"};

/* One generator per json-export format row (the row's gen has no other argument). */
#define JX_GEN(fn, tmpl)                                                                           \
    static void fn(gbuf *o, tar_out *t, const gen_ctx *g)                                          \
    {                                                                                              \
        (void)t;                                                                                   \
        gen_jx(o, g, &tmpl);                                                                       \
    }
JX_GEN(gen_termux, JX_TERMUX)
JX_GEN(gen_spack, JX_SPACK)
JX_GEN(gen_exherbo, JX_EXHERBO)
JX_GEN(gen_aosc, JX_AOSC)
JX_GEN(gen_crux, JX_CRUX)
JX_GEN(gen_chromebrew, JX_CHROMEBREW)
JX_GEN(gen_ravenports, JX_RAVENPORTS)
JX_GEN(gen_yacp, JX_YACP)
JX_GEN(gen_pacstall, JX_PACSTALL)
JX_GEN(gen_stalix, JX_STALIX)
JX_GEN(gen_salix, JX_SALIX)
JX_GEN(gen_ptxdist, JX_PTXDIST)

/* Gentoo tree snapshot (tar below one top directory): per record one package with one
 * ebuild (body never read), its metadata.xml and its md5-cache entry. */
static void gen_gentoo_md5cache(gbuf *o, tar_out *t, const gen_ctx *g)
{
    static const char *const cats[] = {"dev-libs", "app-misc", "net-misc",   "dev-python",
                                       "sys-apps", "x11-libs", "media-libs", "dev-perl"};
    char nm[64], v[32], path[256];
    for (size_t k = g->first; k < g->first + g->n; k++) {
        rec_name(g, k, nm, sizeof nm);
        rec_version(g, k, v, sizeof v);
        const char *cat = cats[k % 8];
        snprintf(path, sizeof path, "repo-snapshot/%s/%s/%s-%s.ebuild", cat, nm, nm, v);
        tar_add(t, path, "EAPI=8\n", 7);
        o->n = 0;
        gb_printf(o,
                  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE pkgmetadata SYSTEM "
                  "\"https://www.gentoo.org/dtd/metadata.dtd\">\n<pkgmetadata>\n"
                  "\t<maintainer type=\"person\">\n\t\t<email>dev%zu@gentoo.org</email>\n"
                  "\t</maintainer>\n</pkgmetadata>\n",
                  k % 500);
        snprintf(path, sizeof path, "repo-snapshot/%s/%s/metadata.xml", cat, nm);
        tar_add(t, path, o->p, o->n);
        o->n = 0;
        gb_printf(o,
                  "DEFINED_PHASES=compile configure install\nDESCRIPTION=Synthetic package %zu\n"
                  "EAPI=8\nHOMEPAGE=https://%s.example.org/\nKEYWORDS=~amd64\nLICENSE=MIT\n"
                  "SLOT=0\nSRC_URI=https://%s.example.org/%s-%s.tar.gz\n"
                  "_md5_=0123456789abcdef0123456789abcdef\n",
                  k, nm, nm, nm, v);
        snprintf(path, sizeof path, "repo-snapshot/metadata/md5-cache/%s/%s-%s", cat, nm, v);
        tar_add(t, path, o->p, o->n);
    }
    o->n = 0;
}

/* Solus eopkg-index.xml: one <Package> per source (the binary named like it). */
static void gen_solus_eopkg(gbuf *o, tar_out *t, const gen_ctx *g)
{
    (void)t;
    char nm[64], v[32], hex[48];
    gb_printf(o, "<?xml version=\"1.0\" ?>\n<PISI>\n    <Distribution>\n        <SourceName>Solus"
                 "</SourceName>\n    </Distribution>\n");
    for (size_t k = g->first; k < g->first + g->n; k++) {
        rec_name(g, k, nm, sizeof nm);
        rec_version(g, k, v, sizeof v);
        gb_printf(o,
                  "    <Package>\n        <Name>%s</Name>\n        <Summary xml:lang=\"en\">"
                  "Synthetic package %zu</Summary>\n        <Description xml:lang=\"en\">A longer "
                  "description of %s.</Description>\n        <PartOf>system.utils</PartOf>\n"
                  "        <License>MIT</License>\n        <History>\n            <Update "
                  "release=\"%zu\">\n                <Date>2025-01-15</Date>\n                "
                  "<Version>%s</Version>\n                <Name>Dev</Name>\n            </Update>\n"
                  "        </History>\n        <PackageHash>%s</PackageHash>\n        <Source>\n"
                  "            <Name>%s</Name>\n            <Homepage>https://%s.example.org"
                  "</Homepage>\n            <Packager>\n                <Name>Dev</Name>\n"
                  "                <Email>dev%zu@getsol.us</Email>\n            </Packager>\n"
                  "        </Source>\n    </Package>\n",
                  nm, k, nm, k % 30 + 1, v, rand_hex(k, g->repo, hex, 40), nm, nm, k % 40);
    }
    gb_printf(o, "</PISI>\n");
}

/* Cygwin packages.json: one source package each, a stable version with its release. */
static void gen_cygwin_json(gbuf *o, tar_out *t, const gen_ctx *g)
{
    (void)t;
    char nm[64], v[32];
    gb_printf(o, "{\"repository_name\":\"cygwin\",\"timestamp\":1764892800,\"packages\":[\n");
    for (size_t k = g->first; k < g->first + g->n; k++) {
        rec_name(g, k, nm, sizeof nm);
        rec_version(g, k, v, sizeof v);
        gb_printf(o,
                  "%s{\"name\":\"%s\",\"summary\":\"Synthetic package %zu\",\"versions\":"
                  "{\"stable\":[\"0.9-1\",\"%s-%zu\"]},\"subpackages\":[{\"name\":\"%s\","
                  "\"categories\":[\"Utils\"]},{\"name\":\"%s-debuginfo\",\"categories\":"
                  "[\"Debug\"]}],\"homepage\":\"https://%s.example.org/\",\"license\":\"MIT\","
                  "\"maintainers\":[\"Dev %zu\"]}\n",
                  k > g->first ? "," : "", nm, k, v, k % 3 + 1, nm, nm, nm, k % 200);
    }
    gb_printf(o, "]}\n");
}

/* Homebrew cask.json: one cask each, some versions with a ",build" part. */
static void gen_homebrew_cask_json(gbuf *o, tar_out *t, const gen_ctx *g)
{
    (void)t;
    char nm[64], v[32], hex[72];
    gb_printf(o, "[");
    for (size_t k = g->first; k < g->first + g->n; k++) {
        rec_name(g, k, nm, sizeof nm);
        rec_version(g, k, v, sizeof v);
        gb_printf(o,
                  "%s{\"token\":\"%s\",\"full_token\":\"%s\",\"tap\":\"homebrew/cask\",\"name\":"
                  "[\"%s App\"],\"desc\":\"Synthetic application %zu\",\"homepage\":"
                  "\"https://%s.example.org/\",\"url\":\"https://%s.example.org/%s.dmg\","
                  "\"version\":\"%s%s\",\"sha256\":\"%s\",\"artifacts\":[{\"app\":[\"%s.app\"]}],"
                  "\"auto_updates\":true,\"deprecated\":false}",
                  k > g->first ? ",\n" : "", nm, nm, nm, k, nm, nm, nm, v, k % 5 ? "" : ",1234",
                  rand_hex(k, g->repo, hex, 64), nm);
    }
    gb_printf(o, "]\n");
}

/* How a format's body is packed on the wire. */
typedef enum pack {
    P_FILE,   /* one file, compressed as its URL's suffix says */
    P_TAR,    /* a tar archive, compressed as the suffix says, else with def */
    P_REPOMD, /* rpm-md: the URL is a directory holding repodata/ */
} pack;

typedef enum codec { C_NONE, C_GZIP, C_XZ, C_BZIP2, C_BROTLI, C_ZSTD } codec;

/* One row per format: what the server sends for it. */
typedef struct fmt_row {
    const char *format;
    pack pack;
    codec def; /* tar archives whose URL names no compression */
    void (*gen)(gbuf *o, tar_out *t, const gen_ctx *g);
} fmt_row;

static const fmt_row FORMATS[] = {
    {"deb-sources", P_FILE, C_NONE, gen_deb_sources},
    {"slackware", P_FILE, C_NONE, gen_slackware},
    {"homebrew-json", P_FILE, C_NONE, gen_homebrew_json},
    {"nix-json", P_FILE, C_NONE, gen_nix_json},
    {"freebsd-index", P_FILE, C_NONE, gen_freebsd_index},
    {"apkindex", P_TAR, C_GZIP, gen_apkindex},
    {"arch-db", P_TAR, C_GZIP, gen_arch_db},
    {"void-repodata", P_TAR, C_ZSTD, gen_void_repodata},
    {"rpm-md", P_REPOMD, C_GZIP, gen_rpm_md},
    {"aur-json", P_FILE, C_NONE, gen_aur_json},
    {"pkgsrc-index", P_FILE, C_NONE, gen_pkgsrc_index},
    {"alt-json", P_FILE, C_NONE, gen_alt_json},
    {"macports-json", P_FILE, C_NONE, gen_macports_json},
    {"guix-json", P_FILE, C_NONE, gen_guix_json},
    {"msys2-db", P_TAR, C_ZSTD, gen_arch_db},
    {"apkindex-text", P_FILE, C_NONE, gen_apkindex_text},
    {"termux-json", P_FILE, C_NONE, gen_termux},
    {"spack-json", P_FILE, C_NONE, gen_spack},
    {"exherbo-json", P_FILE, C_NONE, gen_exherbo},
    {"aosc-json", P_FILE, C_NONE, gen_aosc},
    {"crux-json", P_FILE, C_NONE, gen_crux},
    {"chromebrew-json", P_FILE, C_NONE, gen_chromebrew},
    {"ravenports-json", P_FILE, C_NONE, gen_ravenports},
    {"yacp-json", P_FILE, C_NONE, gen_yacp},
    {"pacstall-json", P_FILE, C_NONE, gen_pacstall},
    {"stalix-ndjson", P_FILE, C_NONE, gen_stalix},
    {"salix-json", P_FILE, C_NONE, gen_salix},
    {"ptxdist-json", P_FILE, C_NONE, gen_ptxdist},
    {"solus-eopkg", P_FILE, C_NONE, gen_solus_eopkg},
    {"gentoo-md5cache", P_TAR, C_XZ, gen_gentoo_md5cache},
    {"gentoo-md5cache-lax", P_TAR, C_XZ, gen_gentoo_md5cache},
    {"gentoo-md5cache-xml", P_TAR, C_XZ, gen_gentoo_md5cache},
    {"cygwin-json", P_FILE, C_NONE, gen_cygwin_json},
    {"homebrew-cask-json", P_FILE, C_NONE, gen_homebrew_cask_json},
};

/* ---- packing ------------------------------------------------------------------ */

/* Compression named by a URL's end, C_NONE when it names none. */
static codec codec_of(const char *url)
{
    static const struct {
        const char *suffix;
        codec c;
    } s[] = {
        {".gz", C_GZIP}, {".xz", C_XZ}, {".bz2", C_BZIP2}, {".br", C_BROTLI}, {".zst", C_ZSTD}};
    size_t n = strlen(url);
    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++) {
        size_t l = strlen(s[i].suffix);
        if (n >= l && strcmp(url + n - l, s[i].suffix) == 0)
            return s[i].c;
    }
    return C_NONE;
}

/* Compress in[0..n) with c into out (replacing its contents); 0 or -1. Fast
 * settings: generating is not what is measured. */
static int compress_to(codec c, const char *in, size_t n, gbuf *out)
{
    out->n = 0;
    if (c == C_NONE) {
        gb_add(out, in, n);
        return out->oom ? -1 : 0;
    }
    size_t bound = n + n / 2 + 65536;
    if (pf_grow(&out->p, &out->cap, 0, bound) != 0)
        return -1;
    if (c == C_GZIP) {
        z_stream z;
        memset(&z, 0, sizeof z);
        if (deflateInit2(&z, 1, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK)
            return -1;
        z.next_in = (Bytef *)in;
        z.avail_in = (uInt)n;
        z.next_out = (Bytef *)out->p;
        z.avail_out = (uInt)bound;
        int rc = deflate(&z, Z_FINISH);
        out->n = z.total_out;
        deflateEnd(&z);
        return rc == Z_STREAM_END ? 0 : -1;
    }
    if (c == C_XZ) {
        size_t pos = 0;
        if (lzma_easy_buffer_encode(0, LZMA_CHECK_CRC64, NULL, (const uint8_t *)in, n,
                                    (uint8_t *)out->p, &pos, bound) != LZMA_OK)
            return -1;
        out->n = pos;
        return 0;
    }
    if (c == C_BZIP2) {
        unsigned int len = (unsigned int)bound;
        if (BZ2_bzBuffToBuffCompress(out->p, &len, (char *)in, (unsigned int)n, 9, 0, 0) != BZ_OK)
            return -1;
        out->n = len;
        return 0;
    }
    if (c == C_BROTLI) {
        size_t len = bound;
        if (!BrotliEncoderCompress(1, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_TEXT, n,
                                   (const uint8_t *)in, &len, (uint8_t *)out->p))
            return -1;
        out->n = len;
        return 0;
    }
    size_t len = ZSTD_compress(out->p, bound, in, n, 1);
    if (ZSTD_isError(len))
        return -1;
    out->n = len;
    return 0;
}

/* A tar archive being written into memory. */
struct tar_out {
    struct archive *a;
    gbuf *out;
    int failed;
};

/* libarchive write callback: append to the buffer. */
static la_ssize_t tar_write(struct archive *a, void *ctx, const void *buf, size_t n)
{
    (void)a;
    gbuf *b = ctx;
    gb_add(b, buf, n);
    return b->oom ? -1 : (la_ssize_t)n;
}

/* Add one regular file member. */
static void tar_add(tar_out *t, const char *name, const char *data, size_t n)
{
    if (!t || t->failed)
        return;
    struct archive_entry *e = archive_entry_new();
    archive_entry_set_pathname(e, name);
    archive_entry_set_size(e, (la_int64_t)n);
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_mtime(e, 1764064800, 0);
    if (archive_write_header(t->a, e) != ARCHIVE_OK ||
        (n > 0 && archive_write_data(t->a, data, n) != (la_ssize_t)n))
        t->failed = 1;
    archive_entry_free(e);
}

/* Generate one source's body as served at url (format row f); the bytes in
 * *body. For rpm-md, *body is the gzip'd primary. 0 or -1. */
static int make_body(const fmt_row *f, const char *url, const gen_ctx *g, gbuf *body)
{
    gbuf raw = {0};
    int rc = 0;
    codec c = codec_of(url);
    if (f->pack == P_TAR) {
        gbuf tar = {0}; /* the archive, then compressed as for a plain file */
        tar_out t = {archive_write_new(), &tar, 0};
        if (!t.a || archive_write_add_filter_none(t.a) != ARCHIVE_OK ||
            archive_write_set_format_pax_restricted(t.a) != ARCHIVE_OK ||
            archive_write_open(t.a, &tar, NULL, tar_write, NULL) != ARCHIVE_OK)
            t.failed = 1;
        if (!t.failed)
            f->gen(&raw, &t, g);
        if (t.a && archive_write_close(t.a) != ARCHIVE_OK)
            t.failed = 1;
        archive_write_free(t.a);
        rc = t.failed || raw.oom || tar.oom
                 ? -1
                 : compress_to(c != C_NONE ? c : f->def, tar.p, tar.n, body);
        free(tar.p);
    } else {
        f->gen(&raw, NULL, g);
        rc = raw.oom ? -1 : compress_to(f->pack == P_REPOMD ? f->def : c, raw.p, raw.n, body);
    }
    free(raw.p);
    return rc;
}

/* ---- the run ------------------------------------------------------------------- */

/* Monotonic seconds. */
static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The row for a format, or NULL. */
static const fmt_row *row_for(const char *format)
{
    for (size_t i = 0; i < sizeof FORMATS / sizeof FORMATS[0]; i++)
        if (strcmp(FORMATS[i].format, format) == 0)
            return &FORMATS[i];
    return NULL;
}

/* Run argv with stdout into outfile; wall seconds and the child's peak RSS (kB).
 * Returns the exit status, -1 if it could not run. */
static int run_child(char *const argv[], const char *outfile, double *secs, long *rss_kb)
{
    fflush(stdout); /* or the child's freopen writes our buffer out a second time */
    double t0 = mono();
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        FILE *fp = freopen(outfile, "w", stdout);
        if (!fp)
            _exit(127);
        execv(argv[0], argv);
        _exit(127);
    }
    int status = 0;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) != pid)
        return -1;
    *secs = mono() - t0;
    *rss_kb = ru.ru_maxrss;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Write s as a YAML double-quoted scalar. */
static void yaml_quoted(FILE *fp, const char *s)
{
    fputc('"', fp);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', fp);
        fputc(*s, fp);
    }
    fputc('"', fp);
}

/* Per-repository bookkeeping. */
typedef struct brepo {
    const pf_repo *r;
    const fmt_row *f;
    long records; /* generated */
    long stored;  /* in the database after the crawl (from `repos`) */
} brepo;

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_crawl PKGFRESH OUTDIR [--scale F] [--jobs N[,N...]]\n");
        return 2;
    }
    const char *pf = argv[1], *dir = argv[2];
    double scale = 1.0;
    const char *jobs = "4";
    for (int i = 3; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--scale") == 0)
            scale = atof(argv[i + 1]);
        else if (strcmp(argv[i], "--jobs") == 0)
            jobs = argv[i + 1];
    }
    if (!(scale > 0) || mkdir(dir, 0755) != 0) {
        if (!(scale > 0) || errno != EEXIST) {
            fprintf(stderr, "bench_crawl: bad --scale, or cannot create %s\n", dir);
            return 2;
        }
    }
    pf_catalog cat = {0};
    char err[512];
    if (pf_catalog_load_default(&cat, err, sizeof err) != 0) {
        fprintf(stderr, "bench_crawl: catalog: %s\n", err);
        return 1;
    }
    tu_httpd *srv = tu_httpd_start();
    if (!srv) {
        fprintf(stderr, "bench_crawl: cannot start the loopback server\n");
        return 1;
    }
    char path[1024];
    snprintf(path, sizeof path, "%s/catalog.yaml", dir);
    FILE *yc = fopen(path, "w");
    brepo *br = calloc(cat.nrepos + 1, sizeof *br);
    if (!yc || !br) {
        fprintf(stderr, "bench_crawl: %s: %s\n", path, strerror(errno));
        return 1;
    }
    fprintf(yc, "# bench_crawl: every catalog repository, served from 127.0.0.1\nrepositories:\n");
    double g0 = mono();
    long nrepos = 0, nsources = 0, nskipped = 0, records = 0;
    unsigned long long served = 0;
    gbuf body = {0};
    for (size_t i = 0; i < cat.nrepos; i++) {
        const pf_repo *r = &cat.repos[i];
        br[i].r = r;
        br[i].f = row_for(r->format);
        if (!br[i].f) {
            printf("skip %-28s no generator for format %s\n", r->id, r->format);
            nskipped++;
            continue;
        }
        long floor = r->min_packages > 200 ? r->min_packages : 200;
        size_t total = (size_t)((double)floor * 1.15 * scale);
        if (total < r->nsources)
            total = r->nsources;
        fprintf(yc, "  - id: %s\n    family: %s\n    title: ", r->id, r->family);
        yaml_quoted(yc, r->title);
        fprintf(yc, "\n    format: %s\n    min_packages: 0\n    sources:\n", r->format);
        size_t first = 0;
        for (size_t s = 0; s < r->nsources; s++) {
            gen_ctx g = {first, total / r->nsources + (s < total % r->nsources), (unsigned)i};
            first += g.n;
            char *url = pf_catalog_source_url(&cat, &r->sources[s], err, sizeof err);
            const char *base = url ? strrchr(url, '/') : NULL;
            char route[512];
            snprintf(route, sizeof route, "/%s/%zu%s", r->id, s, base ? base : "/index");
            if (!url || make_body(br[i].f, url, &g, &body) != 0) {
                fprintf(stderr, "bench_crawl: %s: cannot generate source %zu\n", r->id, s);
                return 1;
            }
            free(url);
            if (br[i].f->pack == P_REPOMD) {
                char prim[600], repomd[1024];
                snprintf(prim, sizeof prim, "/%s/%zu/repodata/%04zu-primary.xml.gz", r->id, s, i);
                tu_route pr = {.path = prim, .body = body.p, .body_len = body.n};
                tu_httpd_route(srv, &pr);
                served += body.n;
                int l = snprintf(repomd, sizeof repomd,
                                 "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<repomd "
                                 "xmlns=\"http://linux.duke.edu/metadata/repo\">\n"
                                 "  <data type=\"primary\">\n    <checksum type=\"sha256\">"
                                 "%064zx</checksum>\n"
                                 "    <location href=\"repodata/%04zu-primary.xml.gz\"/>\n"
                                 "  </data>\n</repomd>\n",
                                 i * 1000 + s, i);
                snprintf(route, sizeof route, "/%s/%zu/repodata/repomd.xml", r->id, s);
                tu_route rr = {.path = route, .body = repomd, .body_len = (size_t)l};
                tu_httpd_route(srv, &rr);
                served += (size_t)l;
                snprintf(route, sizeof route, "/%s/%zu/", r->id, s);
            } else {
                tu_route rt = {.path = route, .body = body.p, .body_len = body.n};
                tu_httpd_route(srv, &rt);
                served += body.n;
            }
            fprintf(yc, "      - name: ");
            yaml_quoted(yc, r->sources[s].name);
            fprintf(yc, "\n        url: \"%s\"\n", tu_httpd_url(srv, route));
            nsources++;
        }
        br[i].records = (long)total;
        records += (long)total;
        nrepos++;
    }
    fclose(yc);
    free(body.p);
    printf("generated %ld repositories (%ld sources, %ld records, %.1f MB as served) in %.1f s; "
           "%ld skipped\n",
           nrepos, nsources, records, (double)served / 1e6, mono() - g0, nskipped);
    fflush(stdout);

    char db[1024], out[1024];
    snprintf(db, sizeof db, "%s/crawl.db", dir);
    snprintf(out, sizeof out, "%s/crawl.out", dir);
    /* one crawl per --jobs value (a comma list), each into a new database; the
     * last one's database is analyzed and checked */
    double secs = 0;
    long rss = 0;
    int rc = 0;
    for (const char *jp = jobs; *jp && rc == 0;) {
        char jv[16];
        size_t jl = strcspn(jp, ",");
        snprintf(jv, sizeof jv, "%.*s", (int)(jl < 15 ? jl : 15), jp);
        jp += jl + (jp[jl] == ',');
        static const char *const sfx[] = {"", "-wal", "-shm"};
        for (size_t k = 0; k < 3; k++) {
            char p[1100];
            snprintf(p, sizeof p, "%s%s", db, sfx[k]);
            unlink(p);
        }
        char *crawl_argv[] = {(char *)pf,     "--db",     db,      "--catalog", path,     "--rules",
                              "none",         "-q",       "crawl", "--all",     "--jobs", jv,
                              "--no-analyze", "--format", "csv",   NULL};
        rc = run_child(crawl_argv, out, &secs, &rss);
        printf("crawl --all --jobs %s: %.2f s wall, peak RSS %.1f MB, exit %d\n", jv, secs,
               (double)rss / 1024.0, rc);
    }
    char *an_argv[] = {(char *)pf, "--db", db,   "--catalog", path,
                       "--rules",  "none", "-q", "analyze",   NULL};
    snprintf(out, sizeof out, "%s/analyze.out", dir);
    double asecs = 0;
    long arss = 0;
    int arc = run_child(an_argv, out, &asecs, &arss);
    printf("analyze (no rules): %.2f s wall, peak RSS %.1f MB, exit %d\n", asecs,
           (double)arss / 1024.0, arc);

    /* every repository stored exactly what was generated */
    char *rp_argv[] = {(char *)pf, "--db", db, "--catalog", path, "repos", "--format", "csv", NULL};
    snprintf(out, sizeof out, "%s/repos.csv", dir);
    double rs;
    long rr;
    int bad = run_child(rp_argv, out, &rs, &rr) != 0;
    FILE *fp = fopen(out, "r");
    char line[2048];
    long stored = 0;
    while (fp && fgets(line, sizeof line, fp)) {
        char id[256];
        size_t n = strcspn(line, ",");
        snprintf(id, sizeof id, "%.*s", (int)n, line);
        /* columns: id,family,format,title,sources,packages,... (title may be quoted) */
        const char *p = line;
        int col = 0, inq = 0;
        for (; *p && col < 5; p++) {
            if (*p == '"')
                inq = !inq;
            else if (*p == ',' && !inq)
                col++;
        }
        long pk = strtol(p, NULL, 10);
        for (size_t i = 0; i < cat.nrepos; i++)
            if (br[i].f && strcmp(br[i].r->id, id) == 0) {
                br[i].stored = pk;
                stored += pk;
            }
    }
    if (fp)
        fclose(fp);
    for (size_t i = 0; i < cat.nrepos; i++)
        if (br[i].f && br[i].stored != br[i].records) {
            printf("MISMATCH %s (%s): generated %ld records, stored %ld\n", br[i].r->id,
                   br[i].r->format, br[i].records, br[i].stored);
            bad = 1;
        }
    printf("stored %ld of %ld generated records (%.0f records/s over the crawl)\n", stored, records,
           secs > 0 ? (double)stored / secs : 0.0);
    tu_httpd_stop(srv);
    free(br);
    pf_catalog_free(&cat);
    return bad || rc != 0 || arc != 0 ? 1 : 0;
}
