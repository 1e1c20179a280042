/*
 * gen_index_ports.c — synthetic indexes the size of the real ones, for
 * make bench: Gentoo tree, OpenBSD sqlports, Solus eopkg index, Cygwin
 * packages.json, Homebrew cask.json.
 *
 *   gen_index_ports FORMAT OUT
 *
 * FORMAT is one of gentoo-md5cache (a plain tar of ~20k packages, ~30k
 * ebuilds with md5-cache entries, metadata.xml, Manifest and a files/ patch
 * per package, top directory gentoo-20261205/: run-bench compresses it with
 * xz like the daily snapshot), openbsd-sqlports (an SQLite database of ~12k
 * ports with path aliases and multi-packages), solus-eopkg (~30k binary
 * packages of ~10k sources, XML), cygwin-json (~10k source packages) or
 * homebrew-cask-json (~7k casks). Deterministic (fixed PRNG seed); field
 * lengths follow the real files. Exits 2 on usage, 1 on a write error.
 */
#include <archive.h>
#include <archive_entry.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* xorshift64: the fixed-seed generator. */
static uint64_t rnd(void)
{
    static uint64_t s = 0x9e3779b97f4a7c15u;
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
}

/* A pseudo-random lower-case word of 3..10 letters into w (at least 11 bytes). */
static void word(char *w)
{
    int n = 3 + (int)(rnd() % 8);
    for (int i = 0; i < n; i++)
        w[i] = (char)('a' + rnd() % 26);
    w[n] = 0;
}

/* A version "M.m.p" (and sometimes "_pN" / "_rcN") into v. */
static void version(char *v, size_t n)
{
    int k = snprintf(v, n, "%d.%d.%d", (int)(rnd() % 30), (int)(rnd() % 20), (int)(rnd() % 50));
    if (rnd() % 10 == 0)
        snprintf(v + k, n - (size_t)k, rnd() % 2 ? "_p%d" : "_rc%d", (int)(rnd() % 5 + 1));
}

/* Add one member to the tar. Returns 0 or -1. */
static int tar_file(struct archive *a, struct archive_entry *e, const char *path, const char *data)
{
    size_t n = strlen(data);
    archive_entry_clear(e);
    archive_entry_set_pathname(e, path);
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_size(e, (la_int64_t)n);
    archive_entry_set_mtime(e, 1764892800, 0);
    if (archive_write_header(a, e) != ARCHIVE_OK)
        return -1;
    return archive_write_data(a, data, n) == (la_ssize_t)n ? 0 : -1;
}

/* Gentoo tree tar: 20k packages in 160 categories. */
static int gen_gentoo(const char *out)
{
    struct archive *a = archive_write_new();
    struct archive_entry *e = archive_entry_new();
    if (!a || !e || archive_write_set_format_pax_restricted(a) != ARCHIVE_OK ||
        archive_write_open_filename(a, out) != ARCHIVE_OK)
        return -1;
    static const char top[] = "gentoo-20261205";
    char cats[160][24], path[512], body[4096], name[16], v[64], w1[16], w2[16];
    for (int c = 0; c < 160; c++) {
        word(w1);
        word(w2);
        snprintf(cats[c], sizeof cats[c], "%.8s-%.8s", w1, w2);
    }
    int rc = 0;
    for (int i = 0; i < 20000 && rc == 0; i++) {
        const char *cat = cats[i % 160];
        word(name);
        snprintf(name + strlen(name), sizeof name - strlen(name), "%d", i % 10);
        snprintf(path, sizeof path, "%s/%s/%s/metadata.xml", top, cat, name);
        snprintf(body, sizeof body,
                 "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE pkgmetadata SYSTEM "
                 "\"https://www.gentoo.org/dtd/metadata.dtd\">\n<pkgmetadata>\n"
                 "\t<maintainer type=\"person\">\n\t\t<email>dev%d@gentoo.org</email>\n"
                 "\t\t<name>Developer %d</name>\n\t</maintainer>\n\t<upstream>\n"
                 "\t\t<remote-id type=\"github\">%s/%s</remote-id>\n\t</upstream>\n"
                 "\t<longdescription>A longer description of %s, as many packages "
                 "have one.</longdescription>\n</pkgmetadata>\n",
                 i % 500, i % 500, name, name, name);
        rc |= tar_file(a, e, path, body);
        snprintf(path, sizeof path, "%s/%s/%s/Manifest", top, cat, name);
        snprintf(body, sizeof body, "DIST %s-1.0.tar.gz 123456 BLAKE2B %0128d SHA512 %0128d\n",
                 name, 0, 0);
        rc |= tar_file(a, e, path, body);
        snprintf(path, sizeof path, "%s/%s/%s/files/%s-fix-build.patch", top, cat, name, name);
        rc |= tar_file(a, e, path,
                       "--- a/Makefile\n+++ b/Makefile\n@@ -1 +1 @@\n-CC=gcc\n+CC?=gcc\n");
        int nebuilds = 1 + (i % 2);
        for (int k = 0; k < nebuilds && rc == 0; k++) {
            version(v, sizeof v);
            if (k == 1 && i % 7 == 0)
                snprintf(v, sizeof v, "9999");
            snprintf(path, sizeof path, "%s/%s/%s/%s-%s.ebuild", top, cat, name, name, v);
            snprintf(body, sizeof body,
                     "# Copyright 1999-2026 Gentoo Authors\n# Distributed under the terms of "
                     "the GNU General Public License v2\n\nEAPI=8\n\ninherit cmake\n\n"
                     "DESCRIPTION=\"Synthetic package %s\"\nHOMEPAGE=\"https://%s.example.org/\"\n"
                     "SRC_URI=\"https://%s.example.org/%s-${PV}.tar.gz\"\n\nLICENSE=\"MIT\"\n"
                     "SLOT=\"0\"\nKEYWORDS=\"~amd64 ~arm64\"\n\nsrc_configure() {\n"
                     "\tlocal mycmakeargs=( -DBUILD_TESTING=OFF )\n\tcmake_src_configure\n}\n",
                     name, name, name, name);
            rc |= tar_file(a, e, path, body);
            snprintf(path, sizeof path, "%s/metadata/md5-cache/%s/%s-%s", top, cat, name, v);
            snprintf(body, sizeof body,
                     "BDEPEND=app-alternatives/ninja >=dev-build/cmake-3.20.5\n"
                     "DEFINED_PHASES=compile configure install prepare test\n"
                     "DESCRIPTION=Synthetic package %s\nEAPI=8\n"
                     "HOMEPAGE=https://%s.example.org/\nINHERIT=cmake\nIUSE=test\n"
                     "KEYWORDS=~amd64 ~arm64\nLICENSE=MIT%s\nSLOT=0\n"
                     "SRC_URI=https://%s.example.org/%s-%s.tar.gz\n"
                     "_eclasses_=cmake 0123456789abcdef0123456789abcdef flag-o-matic "
                     "0123456789abcdef0123456789abcdef\n_md5_=0123456789abcdef0123456789abcdef\n",
                     name, name, i % 3 ? "" : " Apache-2.0", name, name, v);
            rc |= tar_file(a, e, path, body);
        }
    }
    if (archive_write_close(a) != ARCHIVE_OK)
        rc = -1;
    archive_write_free(a);
    archive_entry_free(e);
    return rc;
}

/* OpenBSD sqlports: the fixture's schema, 12k ports, a path alias each, every 10th a -docs. */
static int gen_openbsd(const char *out)
{
    remove(out);
    sqlite3 *db = NULL;
    if (sqlite3_open(out, &db) != SQLITE_OK)
        return -1;
    const char *schema =
        "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; BEGIN;"
        "CREATE TABLE _Paths (Id INTEGER PRIMARY KEY, FullPkgPath TEXT NOT NULL UNIQUE,"
        " PkgPath INTEGER, Canonical INTEGER);"
        "CREATE TABLE _Email (KeyRef INTEGER PRIMARY KEY, Value TEXT NOT NULL UNIQUE);"
        "CREATE TABLE _CategoryKeys (KeyRef INTEGER PRIMARY KEY, Value TEXT NOT NULL UNIQUE);"
        "CREATE TABLE _Categories (FullPkgPath INTEGER NOT NULL, Value INTEGER NOT NULL, N "
        "INTEGER);"
        "CREATE INDEX cat_path ON _Categories(FullPkgPath);"
        "CREATE INDEX paths_canon ON _Paths(Canonical);"
        "CREATE TABLE _Ports (FullPkgPath INTEGER PRIMARY KEY, PkgPath INTEGER, COMMENT TEXT,"
        " FULLPKGNAME TEXT, HOMEPAGE TEXT, MAINTAINER INTEGER, GH_ACCOUNT TEXT, GH_PROJECT TEXT,"
        " DIST_SUBDIR TEXT, PKGSTEM TEXT);"
        "CREATE TABLE _Broken (FullPkgPath INTEGER NOT NULL, Arch INTEGER, Value TEXT);"
        "CREATE VIEW Categories_ordered AS SELECT FullPkgPath, group_concat(Value, ' ') AS Value"
        " FROM (SELECT _Categories.FullPkgPath AS FullPkgPath, _CategoryKeys.Value AS Value"
        " FROM _Categories JOIN _CategoryKeys ON _CategoryKeys.KeyRef = _Categories.Value"
        " ORDER BY _Categories.FullPkgPath, _Categories.N) GROUP BY FullPkgPath;";
    if (sqlite3_exec(db, schema, NULL, NULL, NULL) != SQLITE_OK)
        return -1;
    char sql[1024], name[16], v[64], w[16];
    for (int k = 1; k <= 40; k++) {
        word(w);
        snprintf(sql, sizeof sql, "INSERT INTO _CategoryKeys VALUES (%d, '%s%d');", k, w, k);
        sqlite3_exec(db, sql, NULL, NULL, NULL);
    }
    for (int k = 1; k <= 300; k++) {
        snprintf(sql, sizeof sql, "INSERT INTO _Email VALUES (%d, 'Dev %d <dev%d@openbsd.org>');",
                 k, k, k);
        sqlite3_exec(db, sql, NULL, NULL, NULL);
    }
    int id = 0, pid = 0;
    for (int i = 0; i < 12000; i++) {
        word(name);
        version(v, sizeof v);
        int cat = 1 + (int)(rnd() % 40), nsub = i % 10 == 0 ? 2 : 1;
        for (int s = 0; s < nsub; s++) {
            int port = ++id;
            snprintf(sql, sizeof sql,
                     "INSERT INTO _Paths VALUES (%d, 'cat%d/%s%d%s', %d, %d);"
                     "INSERT INTO _Ports VALUES (%d, %d, 'synthetic port %s', '%s%d%s-%sp%d', "
                     "'https://%s.example.org/', %d, NULL, NULL, NULL, '%s');"
                     "INSERT INTO _Categories VALUES (%d, %d, 0);",
                     ++pid, cat, name, i, s ? ",-docs" : ",-main", port, port, port, port, name,
                     name, i, s ? "-docs" : "", v, (int)(rnd() % 3), name, 1 + (int)(rnd() % 300),
                     name, port, cat);
            if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
                return -1;
            if (s == 0) { /* the path without flavour is an alias of the main package */
                snprintf(sql, sizeof sql, "INSERT INTO _Paths VALUES (%d, 'cat%d/%s%d', %d, %d);",
                         ++pid, cat, name, i, port, port);
                sqlite3_exec(db, sql, NULL, NULL, NULL);
            }
        }
    }
    int rc = sqlite3_exec(db, "COMMIT; VACUUM;", NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
    sqlite3_close(db);
    return rc;
}

/* Solus eopkg-index.xml: 10k sources, ~3 binary packages each. */
static int gen_solus(FILE *f)
{
    char name[16], v[64];
    fputs("<?xml version=\"1.0\" ?>\n<PISI>\n    <Distribution>\n        <SourceName>Solus"
          "</SourceName>\n        <Version>1</Version>\n    </Distribution>\n",
          f);
    for (int i = 0; i < 10000; i++) {
        word(name);
        version(v, sizeof v);
        static const char *const suffix[] = {"", "-devel", "-dbginfo", "-32bit"};
        int nbin = 1 + (int)(rnd() % 4);
        for (int b = 0; b < nbin; b++)
            fprintf(f,
                    "    <Package>\n        <Name>%s%d%s</Name>\n"
                    "        <Summary xml:lang=\"en\">Synthetic package %s%s</Summary>\n"
                    "        <Description xml:lang=\"en\">A longer description of the synthetic "
                    "package %s, a few lines as in the real index.</Description>\n"
                    "        <PartOf>system.utils</PartOf>\n        <License>MIT</License>\n"
                    "        <RuntimeDependencies>\n            <Dependency release=\"%d\">glibc"
                    "</Dependency>\n        </RuntimeDependencies>\n        <History>\n"
                    "            <Update release=\"%d\">\n                <Date>2025-01-15</Date>\n"
                    "                <Version>%s</Version>\n                <Comment>Update"
                    "</Comment>\n                <Name>Dev</Name>\n                <Email>"
                    "dev@getsol.us</Email>\n            </Update>\n            <Update release=\"%d"
                    "\">\n                <Date>2024-01-15</Date>\n                <Version>0.9"
                    "</Version>\n            </Update>\n        </History>\n"
                    "        <BuildHost>solus-builder</BuildHost>\n        <Architecture>x86_64"
                    "</Architecture>\n        <InstalledSize>1048576</InstalledSize>\n"
                    "        <PackageSize>262144</PackageSize>\n        <PackageHash>"
                    "0123456789abcdef0123456789abcdef01234567</PackageHash>\n        <PackageURI>"
                    "%c/%s/%s-%s-1-x86_64.eopkg</PackageURI>\n        <Source>\n            <Name>"
                    "%s%d</Name>\n            <Homepage>https://%s.example.org</Homepage>\n"
                    "            <Packager>\n                <Name>Dev</Name>\n"
                    "                <Email>dev@getsol.us</Email>\n            </Packager>\n"
                    "        </Source>\n    </Package>\n",
                    name, i, suffix[b], name, suffix[b], name, i % 300 + 1, i % 300 + 2, v,
                    i % 300 + 1, name[0], name, name, v, name, i, name);
    }
    fputs("</PISI>\n", f);
    return ferror(f) ? -1 : 0;
}

/* Cygwin packages.json: 10k source packages. */
static int gen_cygwin(FILE *f)
{
    char name[16], v[64];
    fputs("{\"repository_name\": \"cygwin\", \"timestamp\": 1764892800, \"packages\": [\n", f);
    for (int i = 0; i < 10000; i++) {
        word(name);
        version(v, sizeof v);
        fprintf(f,
                "%s{\"name\": \"%s%d\", \"summary\": \"Synthetic package %s\", \"versions\": "
                "{\"stable\": [\"0.9-1\", \"%s-%d\"]%s}, \"subpackages\": [{\"name\": \"%s%d\", "
                "\"categories\": [\"Utils\", \"Net\"]}, {\"name\": \"lib%s%d\", \"categories\": "
                "[\"Libs\"]}, {\"name\": \"%s%d-debuginfo\", \"categories\": [\"Debug\"]}], "
                "\"homepage\": \"https://%s.example.org/\", \"license\": \"MIT\", "
                "\"maintainers\": [\"Dev %d\"], \"build_recipe\": "
                "\"https://cygwin.com/cgit/cygwin-packages/%s/tree/%s.cygport\"}\n",
                i ? "," : "", name, i, name, v, (int)(rnd() % 3 + 1),
                i % 20 ? "" : ", \"test\": [\"9.9-0.1rc1\"]", name, i, name, i, name, i, name,
                i % 200, name, name);
    }
    fputs("]}\n", f);
    return ferror(f) ? -1 : 0;
}

/* Homebrew cask.json: 7k casks with the fields the API serves. */
static int gen_cask(FILE *f)
{
    char name[16], v[64];
    fputc('[', f);
    for (int i = 0; i < 7000; i++) {
        word(name);
        version(v, sizeof v);
        fprintf(f,
                "%s{\"token\":\"%s%d\",\"full_token\":\"%s%d\",\"old_tokens\":[],\"tap\":"
                "\"homebrew/cask\",\"name\":[\"%s App\"],\"desc\":\"Synthetic application %s\","
                "\"homepage\":\"https://%s.example.org/\",\"url\":\"https://%s.example.org/"
                "download/%s-%s.dmg\",\"url_specs\":{},\"version\":\"%s%s\",\"autobump\":true,"
                "\"installed\":null,\"installed_time\":null,\"bundle_version\":null,"
                "\"bundle_short_version\":null,\"outdated\":false,\"sha256\":\"%064d\","
                "\"artifacts\":[{\"app\":[\"%s.app\"]},{\"zap\":[{\"trash\":[\"~/Library/"
                "Preferences/org.%s.plist\",\"~/Library/Caches/%s\"]}]}],\"caveats\":null,"
                "\"depends_on\":{\"macos\":{\">=\":[\"11\"]}},\"conflicts_with\":null,"
                "\"container\":null,\"auto_updates\":true,\"deprecated\":false,"
                "\"deprecation_date\":null,\"disabled\":false,\"languages\":[],"
                "\"ruby_source_path\":\"Casks/%c/%s%d.rb\",\"ruby_source_checksum\":{\"sha256\":"
                "\"%064d\"}}",
                i ? ",\n" : "", name, i, name, i, name, name, name, name, name, v, v,
                i % 5 ? "" : ",1234", 0, name, name, name, name[0], name, i, 0);
    }
    fputs("]\n", f);
    return ferror(f) ? -1 : 0;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: gen_index_ports gentoo-md5cache|openbsd-sqlports|solus-eopkg|"
                        "cygwin-json|homebrew-cask-json OUT\n");
        return 2;
    }
    const char *fmt = argv[1], *out = argv[2];
    int rc;
    if (strcmp(fmt, "gentoo-md5cache") == 0) {
        rc = gen_gentoo(out);
    } else if (strcmp(fmt, "openbsd-sqlports") == 0) {
        rc = gen_openbsd(out);
    } else {
        int (*gen)(FILE *) = strcmp(fmt, "solus-eopkg") == 0          ? gen_solus
                             : strcmp(fmt, "cygwin-json") == 0        ? gen_cygwin
                             : strcmp(fmt, "homebrew-cask-json") == 0 ? gen_cask
                                                                      : NULL;
        if (!gen) {
            fprintf(stderr, "gen_index_ports: unknown format '%s'\n", fmt);
            return 2;
        }
        FILE *f = fopen(out, "w");
        rc = f ? gen(f) : -1;
        if (f && fclose(f) != 0)
            rc = -1;
    }
    if (rc != 0) {
        fprintf(stderr, "gen_index_ports: cannot write %s\n", out);
        return 1;
    }
    return 0;
}
