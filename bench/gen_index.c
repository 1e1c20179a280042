/*
 * gen_index.c — synthetic package indexes for make bench, in the true
 * layout of a format and the size of the real file.
 *
 *   gen_index FORMAT COUNT OUT
 *
 * FORMAT is aur-json, pkgsrc-index, alt-json, macports-json or guix-json;
 * COUNT entries are written to OUT, uncompressed (run-bench compresses the
 * AUR file with gzip, as the server sends it). Entries look like the real
 * ones: the fields each parser reads plus the ones it skips (dependency
 * arrays, URLs, timestamps), names and versions varied by a fixed-seed PRNG
 * so every run writes the same bytes. Exits 2 on usage, 1 on a write error.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* xorshift64*: deterministic, good enough for varied names. */
static uint64_t gi_next(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ull;
}

/* A pseudo-word of 3..10 letters into w (>= 11 bytes). */
static const char *gi_word(uint64_t *s, char *w)
{
    static const char syl[][3] = {"ba", "ke", "li", "mo", "nu", "ra", "si", "to", "vy", "ze"};
    int n = 2 + (int)(gi_next(s) % 4);
    w[0] = 0;
    for (int i = 0; i < n; i++)
        strcat(w, syl[gi_next(s) % 10]);
    return w;
}

/* A version "M.m.p" (sometimes with a fourth part) into v (>= 32 bytes). */
static const char *gi_version(uint64_t *s, char *v)
{
    uint64_t r = gi_next(s);
    if (r % 5 == 0)
        snprintf(v, 32, "%u.%u.%u.%u", (unsigned)(r >> 8) % 30, (unsigned)(r >> 16) % 40,
                 (unsigned)(r >> 24) % 100, (unsigned)(r >> 32) % 10);
    else
        snprintf(v, 32, "%u.%u.%u", (unsigned)(r >> 8) % 30, (unsigned)(r >> 16) % 40,
                 (unsigned)(r >> 24) % 100);
    return v;
}

/* One AUR entry (packages-meta-ext-v1 fields). */
static void gi_aur(FILE *f, uint64_t *s, long i)
{
    char a[16], b[16], v[32];
    gi_word(s, a);
    gi_word(s, b);
    gi_version(s, v);
    int vcs = gi_next(s) % 8 == 0;
    fprintf(f,
            "%s{\"ID\":%ld,\"Name\":\"%s-%s%s\",\"PackageBaseID\":%ld,\"PackageBase\":\"%s-%s%s\","
            "\"Version\":\"%s%s-%u\",\"Description\":\"The %s %s library and tools\","
            "\"URL\":\"https://github.com/%s/%s\",\"NumVotes\":%u,\"Popularity\":0.%u,"
            "\"OutOfDate\":null,\"Maintainer\":%s,\"FirstSubmitted\":1500000000,"
            "\"LastModified\":1760000000,\"URLPath\":\"/cgit/aur.git/snapshot/%s-%s.tar.gz\","
            "\"Depends\":[\"glibc\",\"%s\",\"python-%s\"],\"MakeDepends\":[\"git\",\"cmake\"],"
            "\"License\":[\"MIT\"],\"Keywords\":[\"%s\"],\"CoMaintainers\":[]}",
            i ? ",\n" : "[\n", 1000000 + i, a, b, vcs ? "-git" : "", 500000 + i, a, b,
            vcs ? "-git" : "", gi_next(s) % 10 == 0 ? "1:" : "", v, 1 + (unsigned)(gi_next(s) % 3),
            a, b, a, b, (unsigned)(gi_next(s) % 500), (unsigned)(gi_next(s) % 1000),
            gi_next(s) % 7 ? "\"someone\"" : "null", a, b, b, a, a);
}

/* One pkgsrc INDEX line. */
static void gi_pkgsrc(FILE *f, uint64_t *s, long i)
{
    static const char *const cats[] = {"devel", "www", "net", "lang", "textproc", "x11", "math"};
    char a[16], v[32];
    gi_word(s, a);
    gi_version(s, v);
    const char *c = cats[gi_next(s) % 7];
    unsigned nb = (unsigned)(gi_next(s) % 4);
    char nbs[16] = "";
    if (nb)
        snprintf(nbs, sizeof nbs, "nb%u", nb);
    fprintf(f,
            "%s%ld-%s%s|%s/%s%ld|/usr/pkg|Tools for %s processing|/usr/pkgsrc/%s/%s%ld/DESCR|"
            "pkgsrc-users@NetBSD.org|%s|gmake>=3.81:../../devel/gmake "
            "pkgconf>=1.0:../../devel/pkgconf|libiconv>=1.9:../../converters/libiconv|||"
            "https://%s.example.org/\n",
            a, i, v, nbs, c, a, i, a, c, a, i, c, a);
}

/* One ALT export package. */
static void gi_alt(FILE *f, uint64_t *s, long i)
{
    char a[16], v[32];
    gi_word(s, a);
    gi_version(s, v);
    fprintf(f,
            "%s{\"name\":\"%s%ld\",\"epoch\":%u,\"version\":\"%s\",\"release\":\"alt%u\","
            "\"summary\":\"The %s library\",\"license\":\"GPL-2.0-or-later\","
            "\"category\":\"Development/C\",\"packager\":\"Some One <someone@altlinux.org>\","
            "\"url\":\"https://%s.example.org/\","
            "\"homepage\":\"https://packages.altlinux.org/en/sisyphus/srpms/%s%ld/\","
            "\"recipe\":\"https://git.altlinux.org/gears/%c/%s%ld.git?a=blob;f=%s.spec\","
            "\"recipe_raw\":\"https://git.altlinux.org/gears/%c/%s%ld.git?a=blob_plain;f=%s.spec\","
            "\"bugzilla\":\"https://bugzilla.altlinux.org/buglist.cgi?component=%s%ld\","
            "\"binaries\":[{\"name\":\"%s%ld\"},{\"name\":\"lib%s%ld\"},{\"name\":\"lib%s%ld-"
            "devel\"}]}",
            i ? ",\n" : "{\"branch\":\"sisyphus\",\"packages\":[\n", a, i,
            gi_next(s) % 10 == 0 ? 1u : 0u, v, 1 + (unsigned)(gi_next(s) % 3), a, a, a, i, a[0], a,
            i, a, a[0], a, i, a, a, i, a, i, a, i, a, i);
}

/* One MacPorts port (portindex2json.tcl's shape). */
static void gi_macports(FILE *f, uint64_t *s, long i)
{
    char a[16], v[32];
    gi_word(s, a);
    gi_version(s, v);
    fprintf(
        f,
        "%s{\"categories\":[\"devel\",\"net\"],\"depends_lib\":[\"port:zlib\",\"port:openssl3\"],"
        "\"description\":\"The %s "
        "library\",\"epoch\":\"0\",\"homepage\":\"https://%s.example.org/\","
        "\"license\":\"BSD\",\"long_description\":\"%s is a library for many things, with "
        "bindings for several "
        "languages.\",\"maintainers\":[{\"email\":{\"domain\":\"macports.org\","
        "\"name\":\"someone\"},\"github\":\"someone\"}],\"name\":\"%s%ld\",\"platforms\":"
        "\"darwin\","
        "\"portdir\":\"devel/%s%ld\",\"revision\":\"%u\",\"variants\":[\"universal\",\"debug\"],"
        "\"version\":\"%s\"}",
        i ? ",\n" : "{\"ports\":[\n", a, a, a, a, i, a, i, (unsigned)(gi_next(s) % 3), v);
}

/* One Guix package. */
static void gi_guix(FILE *f, uint64_t *s, long i)
{
    char a[16], v[32];
    gi_word(s, a);
    gi_version(s, v);
    if (gi_next(s) % 6 == 0)
        fprintf(
            f,
            "%s{\"name\":\"%s%ld\",\"version\":\"%s-1.0123abc\",\"source\":[{\"type\":\"git\","
            "\"git_url\":\"https://git.example.org/%s.git\",\"git_ref\":"
            "\"0123abcdef0123abcdef0123abcdef01234567\"}],\"synopsis\":\"The %s tool\","
            "\"homepage\":\"https://%s.example.org/\",\"location\":\"gnu/packages/%s.scm:%ld\"}",
            i ? ",\n" : "[\n", a, i, v, a, a, a, a, 10 + i % 900);
    else
        fprintf(
            f,
            "%s{\"name\":\"%s%ld\",\"version\":\"%s\",\"cpe_name\":\"%s\",\"source\":[{\"type\":"
            "\"url\",\"urls\":[\"https://%s.example.org/%s-%s.tar.gz\",\"https://bordeaux.guix"
            ".gnu.org/file/"
            "%s-%s.tar.gz\"],\"integrity\":\"sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"}"
            "],"
            "\"synopsis\":\"The %s tool\",\"homepage\":\"https://%s.example.org/\","
            "\"location\":\"gnu/packages/%s.scm:%ld\"}",
            i ? ",\n" : "[\n", a, i, v, a, a, a, v, a, v, a, a, a, 10 + i % 900);
}

/* gen_index FORMAT COUNT OUT (see the file comment). */
int main(int argc, char **argv)
{
    static const struct {
        const char *fmt;
        void (*entry)(FILE *, uint64_t *, long);
        const char *close, *empty;
    } gens[] = {
        {"aur-json", gi_aur, "\n]\n", "[]\n"},
        {"pkgsrc-index", gi_pkgsrc, "", ""},
        {"alt-json", gi_alt, "\n]}\n", "{\"packages\":[]}\n"},
        {"macports-json", gi_macports, "\n]}\n", "{\"ports\":[]}\n"},
        {"guix-json", gi_guix, "\n]\n", "[]\n"},
    };
    if (argc != 4) {
        fprintf(stderr, "usage: gen_index FORMAT COUNT OUT\n");
        return 2;
    }
    long n = atol(argv[2]);
    for (size_t g = 0; g < sizeof gens / sizeof gens[0]; g++) {
        if (strcmp(gens[g].fmt, argv[1]) != 0)
            continue;
        FILE *f = fopen(argv[3], "wb");
        if (!f) {
            perror(argv[3]);
            return 1;
        }
        uint64_t seed = 0x9e3779b97f4a7c15ull;
        for (long i = 0; i < n; i++)
            gens[g].entry(f, &seed, i);
        fputs(n > 0 ? gens[g].close : gens[g].empty, f);
        if (fclose(f) != 0) {
            perror(argv[3]);
            return 1;
        }
        return 0;
    }
    fprintf(stderr, "gen_index: unknown format '%s'\n", argv[1]);
    return 2;
}
