/*
 * gen_json_export.c — synthetic indexes for make bench, the size of the real
 * ones: the json-export dialects and MSYS2's desc files.
 *
 *   gen_json_export DIALECT N OUT
 *
 * DIALECT is termux, spack, exherbo, aosc, stalix, yacp or msys2. JSON
 * dialects write N entries to the file OUT (plain; run-bench compresses
 * it as the server does, or to time decoding against). msys2 writes N
 * "<name>-<ver>/desc" files under the directory OUT, for tar | zstd. The
 * entries are shaped like the real files (field names, lengths, split
 * packages, several versions per Spack package) and deterministic.
 * Exit 0, or 1 on an I/O error, 2 on usage.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A deterministic version string for entry i. */
static void gen_version(unsigned i, char *out, size_t n)
{
    snprintf(out, n, "%u.%u.%u", i % 9 + 1, (i / 9) % 20, (i * 7) % 31);
}

/* One JSON entry of dialect d for entry i; returns 0, or -1 for an unknown dialect. */
static int gen_entry(FILE *f, const char *d, unsigned i)
{
    char v[32];
    gen_version(i, v, sizeof v);
    if (strcmp(d, "termux") == 0) {
        fprintf(f,
                "%s{\"name\":\"pkg%u\",\"version\":\"%s%s\",\"description\":\"Synthetic "
                "package number %u for the parser benchmark\",\"homepage\":\"https://example.org/"
                "pkg%u\",\"srcurl\":\"https://example.org/pkg%u-%s.tar.gz\",\"maintainer\":\"%s\","
                "\"package_sources_url\":\"https://github.com/termux/termux-packages/tree/master/"
                "packages/pkg%u\"}",
                i ? "," : "", i, i % 10 ? "" : "1:", v, i, i, i, v,
                i % 3 ? "@termux" : "Some One <some.one@example.org>", i);
    } else if (strcmp(d, "spack") == 0) {
        fprintf(f,
                "%s\"pkg%u\":{\"name\":\"pkg%u\",\"homepages\":[\"https://example.org/pkg%u\"],"
                "\"maintainers\":[\"dev%u\",\"dev%u\"],\"categories\":[],\"licenses\":[\"MIT\"],"
                "\"patches\":[],\"dependencies\":[\"cmake\",\"zlib\"],\"version\":[",
                i ? "," : "", i, i, i, i % 97, i % 89);
        for (unsigned k = 0; k < 8; k++)
            fprintf(f,
                    "%s{\"version\":\"%u.%u.%u\",\"downloads\":[\"https://example.org/pkg%u-%u.%u."
                    "%u.tar.gz\"]}",
                    k ? "," : "", i % 5 + 1, k, i % 7, i, i % 5 + 1, k, i % 7);
        if (i % 4 == 0)
            fprintf(f, ",{\"version\":\"develop\",\"branch\":\"develop\",\"downloads\":[]}");
        fprintf(f, "]}");
    } else if (strcmp(d, "exherbo") == 0) {
        fprintf(f,
                "%s{\"name\":\"pkg%u\",\"category\":\"dev-libs\",\"version\":\"%s%s\","
                "\"summary\":\"Synthetic package %u\",\"homepage\":\"https://example.org/pkg%u "
                "https://mirror.example.org/pkg%u\",\"downloads\":\"https://example.org/pkg%u-%s."
                "tar.xz\",\"repository\":\"arbor\",\"exheres_url\":\"https://gitlab.exherbo.org/"
                "exherbo/arbor/-/blob/master/packages/dev-libs/pkg%u/pkg%u-%s.exheres-0\","
                "\"exheres_url_raw\":\"https://gitlab.exherbo.org/exherbo/arbor/-/raw/master/"
                "packages/dev-libs/pkg%u/pkg%u-%s.exheres-0\"}",
                i ? "," : "", i, i % 11 ? v : "scm", i % 3 ? "" : "-r1", i, i, i, i, v, i, i, v, i,
                i, v);
    } else if (strcmp(d, "aosc") == 0) {
        fprintf(f,
                "%s{\"name\":\"pkg%u\",\"dpkg_version\":\"%s-1\",\"version\":\"%s\","
                "\"full_version\":\"%s-1\",\"category\":\"app\",\"section\":\"utils\","
                "\"pkg_section\":\"utils\",\"directory\":\"pkg%u\",\"description\":\"Synthetic "
                "package %u\",\"srctype\":\"Tarball\",\"srcurl\":\"https://example.org/pkg%u.tar."
                "gz\",\"tree\":\"aosc-os-abbs\",\"branch\":\"stable\",\"committer\":\"Dev "
                "<dev@aosc.io>\"}",
                i ? "," : "", i, v, v, v, i, i, i);
    } else if (strcmp(d, "yacp") == 0) {
        fprintf(f,
                "%s{\"name\":\"pkg%u\",\"version\":\"%s\",\"category\":\"Libs\",\"summary\":"
                "\"Synthetic package %u\",\"homepage\":\"https://example.org/pkg%u\","
                "\"subpackages\":[{\"name\":\"mingw64-x86_64-pkg%u\"},{\"name\":\"mingw64-x86_64-"
                "pkg%u-devel\"}]}",
                i ? "," : "", i, v, i, i, i, i);
    } else if (strcmp(d, "stalix") == 0) {
        fprintf(f,
                "{\"pkg_name\":\"pkg%u\",\"pkg_ver\":\"%s\",\"ix_pkg_name\":\"lib/pkg%u\","
                "\"ix_pkg_full_name\":\"lib/pkg%u/ix.sh\",\"category\":\"lib\",\"maintainers\":["
                "\"pg83@stal-ix.org\"],\"upstream_urls\":[\"https://example.org/pkg%u-%s.tar.gz\"]"
                "%s}\n",
                i, v, i, i, i, v, i % 5 ? "" : ",\"lang_module\":\"python\"");
    } else {
        return -1;
    }
    return 0;
}

/* The opening and closing text of a JSON dialect's document. */
static void gen_frame(const char *d, const char **open, const char **close)
{
    *open = "[";
    *close = "]\n";
    if (strcmp(d, "spack") == 0) {
        *open = "{\"generated\":\"2026-12-01\",\"packages\":{";
        *close = "}}\n";
    } else if (strcmp(d, "aosc") == 0 || strcmp(d, "yacp") == 0) {
        *open = "{\"packages\":[";
        *close = "],\"last_modified\":\"2026-12-01\"}\n";
    } else if (strcmp(d, "stalix") == 0) {
        *open = *close = "";
    }
}

/* MSYS2: N desc files under dir, every fourth base split into two packages. */
static int gen_msys2(const char *dir, unsigned n)
{
    if (mkdir(dir, 0755) != 0 && errno != EEXIST)
        return -1;
    for (unsigned i = 0; i < n; i++) {
        char v[32], path[4096];
        gen_version(i / 2, v, sizeof v);
        unsigned base = i % 4 == 1 ? i - 1 : i;
        const char *suffix = i % 4 == 1 ? "-libs" : "";
        snprintf(path, sizeof path, "%s/mingw-w64-ucrt-x86_64-pkg%u%s-%s-1", dir, base, suffix, v);
        if (mkdir(path, 0755) != 0 && errno != EEXIST)
            return -1;
        strncat(path, "/desc", sizeof path - strlen(path) - 1);
        FILE *f = fopen(path, "w");
        if (!f)
            return -1;
        fprintf(
            f,
            "%%FILENAME%%\nmingw-w64-ucrt-x86_64-pkg%u%s-%s-1-any.pkg.tar.zst\n\n%%NAME%%\n"
            "mingw-w64-ucrt-x86_64-pkg%u%s\n\n%%BASE%%\nmingw-w64-pkg%u\n\n%%VERSION%%\n%s%s-"
            "1\n\n%%DESC%%\nSynthetic package %u (mingw-w64)\n\n%%CSIZE%%\n123456\n\n%%ISIZE%%\n"
            "654321\n\n%%SHA256SUM%%\n"
            "07cde89258e1957ccd18147a47569e65309ee3ff57a93ecb80a99b9330e9ac32\n\n%%URL%%\n"
            "https://example.org/pkg%u\n\n%%LICENSE%%\nspdx:MIT\n\n%%ARCH%%\nany\n\n"
            "%%BUILDDATE%%\n1733000000\n\n%%PACKAGER%%\n%s\n\n%%DEPENDS%%\n"
            "mingw-w64-ucrt-x86_64-zlib\nmingw-w64-ucrt-x86_64-gcc-libs\n\n",
            base, suffix, v, base, suffix, base, i % 10 ? "" : "1~", v, i, base,
            i % 3 ? "CI (msys2/msys2-autobuild/7d5b4c0f/11446329207)"
                  : "Some One <some.one@example.org>");
        if (fclose(f) != 0)
            return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: gen_json_export DIALECT N OUT\n");
        return 2;
    }
    const char *d = argv[1];
    unsigned n = (unsigned)strtoul(argv[2], NULL, 10);
    if (strcmp(d, "msys2") == 0) {
        if (gen_msys2(argv[3], n) != 0) {
            perror(argv[3]);
            return 1;
        }
        return 0;
    }
    FILE *f = fopen(argv[3], "w");
    if (!f) {
        perror(argv[3]);
        return 1;
    }
    const char *open, *close;
    gen_frame(d, &open, &close);
    fputs(open, f);
    for (unsigned i = 0; i < n; i++)
        if (gen_entry(f, d, i) != 0) {
            fprintf(stderr, "gen_json_export: unknown dialect '%s'\n", d);
            fclose(f);
            return 2;
        }
    fputs(close, f);
    if (fclose(f) != 0) {
        perror(argv[3]);
        return 1;
    }
    return 0;
}
