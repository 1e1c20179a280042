/*
 * test_hostile.c — hostile index content: XML entity tricks (rpm-md,
 * repomd.xml, Void plist), deeply nested and huge JSON (nix, Homebrew),
 * NUL bytes / invalid UTF-8 / terminal escapes in deb822 fields, absurd
 * versions through crawl + analyze + vercmp, tar members with path
 * traversal and links (Arch db, APKINDEX, Gentoo tarballs), entity bombs,
 * depth and 20 MB fields in Solus XML and Cygwin/cask JSON, garbage as an
 * sqlports database, and the regression inputs the fuzzers found
 * (tests/fixtures/hostile/).
 *
 * What every case asserts: no crash, a bounded time, bounded memory, and
 * nothing from outside the input (no /etc/passwd text) in any record.
 * Parsers run in-process over memory (pf_reader_open_mem); the CLI cases
 * run the real binary with --from and read its JSON, table and CSV output.
 */
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "pkgfresh/grow.h"
#include "pkgfresh/format.h"
#include "pkgfresh/reader.h"
#include "pkgfresh/repomd.h"
#include "pkgfresh/rules.h"
#include "pkgfresh/version.h"
#include "testutil.h"

/* Monotonic seconds. */
static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Growable byte buffer for building inputs. */
typedef struct buf {
    char *p;
    size_t len, cap;
} buf;

/* Append n bytes. */
static void b_add(buf *b, const void *p, size_t n)
{
    assert_int_equal(pf_grow(&b->p, &b->cap, b->len, n + 1), 0);
    memcpy(b->p + b->len, p, n);
    b->len += n;
    b->p[b->len] = 0;
}

/* Append a C string. */
static void b_str(buf *b, const char *s)
{
    b_add(b, s, strlen(s));
}

/* Append c n times. */
static void b_rep(buf *b, const char *s, size_t n)
{
    size_t l = strlen(s);
    for (size_t i = 0; i < n; i++)
        b_add(b, s, l);
}

/* One ustar member (type '0' file, '1' hard link, '2' symlink, '5' dir). */
static void tar_add(buf *b, const char *name, char type, const char *link, const char *data)
{
    unsigned char h[512];
    memset(h, 0, sizeof h);
    size_t n = data ? strlen(data) : 0;
    snprintf((char *)h, 100, "%s", name);
    memcpy(h + 100, "0000644", 8);
    memcpy(h + 108, "0000000", 8);
    memcpy(h + 116, "0000000", 8);
    snprintf((char *)h + 124, 12, "%011llo", (unsigned long long)n);
    memcpy(h + 136, "14000000000", 12);
    h[156] = (unsigned char)type;
    if (link)
        snprintf((char *)h + 157, 100, "%s", link);
    memcpy(h + 257, "ustar", 6);
    memcpy(h + 263, "00", 2);
    memset(h + 148, ' ', 8);
    unsigned sum = 0;
    for (size_t i = 0; i < 512; i++)
        sum += h[i];
    snprintf((char *)h + 148, 8, "%06o", sum);
    b_add(b, h, 512);
    if (n) {
        static const char zero[512];
        b_add(b, data, n);
        b_add(b, zero, (512 - n % 512) % 512);
    }
}

/* End-of-archive blocks. */
static void tar_end(buf *b)
{
    static const char zero[1024];
    b_add(b, zero, sizeof zero);
}

/* gzip of b (malloc'd into out). */
static void gzip_into(const buf *in, buf *out)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY), Z_OK);
    size_t cap = deflateBound(&z, in->len) + 64;
    memset(out, 0, sizeof *out);
    out->p = malloc(cap);
    assert_non_null(out->p);
    out->cap = cap;
    z.next_in = (Bytef *)in->p;
    z.avail_in = (uInt)in->len;
    z.next_out = (Bytef *)out->p;
    z.avail_out = (uInt)cap;
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    out->len = z.total_out;
    deflateEnd(&z);
}

/* What a parse produced. */
typedef struct parsed {
    int rc;
    long records;
    int leaked;      /* a field held /etc/passwd-like text */
    int ctrl;        /* a field held a control character (other than tab) */
    size_t longest;  /* longest field seen */
    char first[128]; /* srcname of the first record */
    char err[512];
    double seconds;
} parsed;

/* Emit: count, look for outside text and control bytes. */
static int scan_emit(void *ctx, const pf_record *r)
{
    parsed *p = ctx;
    const char *f[] = {r->srcname,  r->binnames, r->version,  r->maintainers,
                       r->homepage, r->license,  r->category, r->summary};
    if (p->records == 0)
        snprintf(p->first, sizeof p->first, "%s", r->srcname);
    p->records++;
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        if (!f[i])
            continue;
        size_t n = strlen(f[i]);
        if (n > p->longest)
            p->longest = n;
        if (strstr(f[i], "root:") || strstr(f[i], "/bin/sh") || strstr(f[i], "/usr/sbin/nologin"))
            p->leaked = 1;
        for (size_t k = 0; k < n; k++)
            if ((unsigned char)f[i][k] < 0x20 && f[i][k] != '\t')
                p->ctrl = 1;
    }
    return 0;
}

/* Run format `name` over data with a decoded-size cap; time it. */
static parsed parse_with(const char *name, const void *data, size_t len)
{
    parsed p;
    memset(&p, 0, sizeof p);
    const pf_format *f = pf_format_find(name);
    assert_non_null(f);
    pf_reader *rd = pf_reader_open_mem(data, len, PF_CODEC_NONE, p.err, sizeof p.err);
    assert_non_null(rd);
    rd->limit = (uint64_t)256 << 20;
    double t0 = mono();
    p.rc = pf_format_parse(f, rd, scan_emit, &p, &(pf_parse_stats){0, 0}, p.err, sizeof p.err);
    p.seconds = mono() - t0;
    pf_reader_close(rd);
    assert_null(strchr(p.err, '\n'));
    assert_false(p.leaked);
    assert_true(p.seconds < 10);
    return p;
}

/* Peak RSS of this process in MB. */
static long rss_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss / 1024;
}

/* ---------------------------------------------------------------- XML */

#define RPM_HEAD                                                                                   \
    "<metadata xmlns=\"http://linux.duke.edu/metadata/common\" "                                   \
    "xmlns:rpm=\"http://linux.duke.edu/metadata/rpm\" packages=\"1\">\n"
#define RPM_PKG(name)                                                                              \
    "<package type=\"rpm\"><name>" name "</name><arch>src</arch>"                                  \
    "<version epoch=\"0\" ver=\"1.0\" rel=\"1\"/><summary>s</summary>"                             \
    "<url>https://example.org/</url></package>\n"

/* XXE, billion laughs, parameter entities, DOCTYPE behind comments / BOM / PIs: all refused. */
static void test_rpm_md_doctype_tricks(void **state)
{
    static const char *const docs[] = {
        /* external entity */
        "<?xml version=\"1.0\"?>\n<!DOCTYPE metadata [<!ENTITY xxe SYSTEM "
        "\"file:///etc/passwd\">]>\n" RPM_HEAD RPM_PKG("&xxe;") "</metadata>\n",
        /* billion laughs */
        "<?xml version=\"1.0\"?>\n<!DOCTYPE metadata [\n<!ENTITY a \"aaaaaaaaaa\">\n"
        "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n<!ENTITY c "
        "\"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n"
        "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">\n<!ENTITY e "
        "\"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">\n"
        "<!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">\n<!ENTITY g "
        "\"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">\n"
        "<!ENTITY h \"&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;\">\n]>\n" RPM_HEAD RPM_PKG(
            "&h;") "</metadata>\n",
        /* parameter entity pulling an external DTD */
        "<?xml version=\"1.0\"?>\n<!DOCTYPE metadata [<!ENTITY % ext SYSTEM "
        "\"http://127.0.0.1:9/evil.dtd\"> %ext;]>\n" RPM_HEAD RPM_PKG("p") "</metadata>\n",
        /* hidden behind a comment and a processing instruction, after a BOM */
        "\xef\xbb\xbf<?xml version=\"1.0\"?>\n<!-- <!DOCTYPE decoy> -->\n<?pi x?>\n"
        "<!DOCTYPE metadata SYSTEM \"file:///etc/passwd\">\n" RPM_HEAD RPM_PKG("p") "</metadata>\n",
        /* no XML declaration, odd spacing */
        "<!DOCTYPE\n\tmetadata [<!ENTITY x SYSTEM \"/etc/passwd\">]>" RPM_HEAD RPM_PKG(
            "&x;") "</metadata>",
    };
    (void)state;
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        parsed p = parse_with("rpm-md", docs[i], strlen(docs[i]));
        if (p.rc != -1 || !strstr(p.err, "DOCTYPE not allowed"))
            fail_msg("doc %zu: rc %d, %ld records, err '%s'", i, p.rc, p.records, p.err);
        assert_int_equal(p.records, 0);
    }
    /* An entity reference without any DOCTYPE: an error or dropped, never resolved. */
    const char *undef = "<?xml version=\"1.0\"?>\n" RPM_HEAD RPM_PKG("a&xxe;b") "</metadata>\n";
    parsed p = parse_with("rpm-md", undef, strlen(undef));
    assert_true(p.rc == -1 || (p.rc == 0 && p.records <= 1));
}

/* repomd.xml with a DOCTYPE / external entity in the href: refused or inert. */
static void test_repomd_doctype(void **state)
{
    (void)state;
    const char *doc =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE repomd [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
        "<repomd xmlns=\"http://linux.duke.edu/metadata/repo\"><data type=\"primary\">"
        "<checksum type=\"sha256\">&x;</checksum><location href=\"repodata/&x;primary.xml.gz\"/>"
        "</data></repomd>\n";
    char err[256] = "", href[1024] = "", ck[160] = "";
    pf_reader *rd = pf_reader_open_mem(doc, strlen(doc), PF_CODEC_NONE, err, sizeof err);
    assert_non_null(rd);
    int rc = pf_repomd_primary(rd, href, sizeof href, ck, sizeof ck, err, sizeof err);
    pf_reader_close(rd);
    if (rc == 0) {
        assert_null(strstr(href, "root:"));
        assert_null(strstr(ck, "root:"));
    } else {
        assert_true(err[0] != 0);
        assert_null(strchr(err, '\n'));
    }
}

/* Void index.plist (in a tar) with an internal subset: entities are never expanded. */
static void test_void_plist_entities(void **state)
{
    (void)state;
    buf x = {0};
    b_str(&x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE plist [\n"
              "<!ENTITY xxe SYSTEM \"file:///etc/passwd\">\n<!ENTITY a \"aaaaaaaaaaaaaaaa\">\n");
    const char *prev = "a";
    char name[8], line[512];
    for (int i = 0; i < 8; i++) { /* 16 * 16^8 bytes if anything expanded */
        snprintf(name, sizeof name, "l%d", i);
        snprintf(line, sizeof line, "<!ENTITY %s \"", name);
        b_str(&x, line);
        for (int k = 0; k < 16; k++) {
            snprintf(line, sizeof line, "&%s;", prev);
            b_str(&x, line);
        }
        b_str(&x, "\">\n");
        static const char *const lv[] = {"l0", "l1", "l2", "l3", "l4", "l5", "l6", "l7"};
        prev = lv[i];
    }
    b_str(&x, "]>\n<plist version=\"1.0\"><dict>\n"
              "<key>evil</key><dict><key>pkgver</key><string>evil-&l7;_1</string>"
              "<key>short_desc</key><string>&xxe;</string>"
              "<key>homepage</key><string>&xxe;</string></dict>\n"
              "<key>zlib</key><dict><key>pkgver</key><string>zlib-1.3.1_1</string>"
              "<key>short_desc</key><string>Compression library</string></dict>\n"
              "</dict></plist>\n");
    buf tar = {0}, gz;
    tar_add(&tar, "index.plist", '0', NULL, x.p);
    tar_end(&tar);
    gzip_into(&tar, &gz);
    parsed p = parse_with("void-repodata", gz.p, gz.len);
    assert_true(p.longest < 100000); /* nothing expanded */
    assert_true(p.rc == 0 || p.rc == -1);
    free(x.p);
    free(tar.p);
    free(gz.p);
}

/* ---------------------------------------------------------------- JSON */

/* nix and Homebrew: 500k nested arrays (at the top and inside an entry) and a 20 MB string. */
static void test_json_nesting_and_huge_fields(void **state)
{
    (void)state;
    if (!pf_format_find("nix-json") || !pf_format_find("homebrew-json"))
        skip();
    size_t depth = 500000;
    buf deep = {0};
    b_rep(&deep, "[", depth);
    b_rep(&deep, "]", depth);
    buf nix = {0};
    b_str(&nix, "{\"version\":2,\"packages\":{\"deep\":{\"name\":\"deep-1.0\",\"pname\":\"deep\","
                "\"version\":\"1.0\",\"meta\":{\"x\":");
    b_add(&nix, deep.p, deep.len);
    b_str(&nix, "}},\"hello\":{\"name\":\"hello-2.10\",\"pname\":\"hello\",\"version\":\"2.10\","
                "\"meta\":{\"description\":\"");
    b_rep(&nix, "x", (size_t)20 << 20);
    b_str(&nix, "\"}}}}");
    buf brew = {0};
    b_str(&brew, "[{\"name\":\"deep\",\"versions\":{\"stable\":\"1.0\"},\"x\":");
    b_add(&brew, deep.p, deep.len);
    b_str(&brew, "},{\"name\":\"hello\",\"versions\":{\"stable\":\"2.12.1\"},\"desc\":\"");
    b_rep(&brew, "y", (size_t)20 << 20);
    b_str(&brew, "\"}]");
    const struct {
        const char *fmt;
        buf *b;
    } cases[] = {{"nix-json", &deep},
                 {"homebrew-json", &deep},
                 {"nix-json", &nix},
                 {"homebrew-json", &brew}};
    for (size_t i = 0; i < 4; i++) {
        parsed p = parse_with(cases[i].fmt, cases[i].b->p, cases[i].b->len);
        assert_true(p.rc == 0 || p.rc == -1);
        if (p.rc == -1)
            assert_true(p.err[0] != 0);
    }
    free(deep.p);
    free(nix.p);
    free(brew.p);
    /* inputs themselves are ~45 MB; anything near a GB would mean a runaway copy */
    assert_true(rss_mb() < 600);
}

/*
 * The formats of issue 12 owned here (aur-json, alt-json, macports-json,
 * guix-json, pkgsrc-index): 500k nested arrays inside an entry, a 20 MB
 * field, every truncation point of a valid document, binary garbage and NUL
 * bytes. Each must end in 0 or a one-line -1, bounded in time and memory.
 */
static void test_issue12_formats_hostile(void **state)
{
    (void)state;
    /* head + VALUE + mid + TEXT + close is a document of two entries. */
    static const struct {
        const char *fmt, *head, *mid, *close, *good;
    } f[] = {
        {"aur-json", "[{\"Name\":\"a\",\"PackageBase\":\"a\",\"Version\":\"1-1\",\"X\":",
         "},{\"Name\":\"b\",\"Version\":\"2-1\",\"Description\":\"", "\"}]",
         "[{\"Name\":\"a\",\"PackageBase\":\"a\",\"Version\":\"1:1.0-1\",\"License\":[\"MIT\"],"
         "\"Maintainer\":\"x\",\"CoMaintainers\":[\"y\"]}]"},
        {"alt-json", "{\"packages\":[{\"name\":\"a\",\"version\":\"1\",\"release\":\"alt1\",\"x\":",
         "},{\"name\":\"b\",\"version\":\"1\",\"release\":\"alt1\",\"summary\":\"", "\"}]}",
         "{\"packages\":[{\"name\":\"a\",\"epoch\":1,\"version\":\"1\",\"release\":\"alt1\","
         "\"binaries\":[{\"name\":\"a\"}],\"packager\":\"A <a@b.c>\"}]}"},
        {"macports-json",
         "{\"ports\":[{\"name\":\"a\",\"version\":\"1\",\"portdir\":\"x/a\",\"x\":",
         "},{\"name\":\"b\",\"version\":\"1\",\"portdir\":\"x/b\",\"description\":\"", "\"}]}",
         "{\"ports\":[{\"name\":\"a-devel\",\"version\":\"1+x\",\"portdir\":\"x/a\","
         "\"maintainers\":[{\"email\":{\"name\":\"n\",\"domain\":\"macports.org\"}}]}]}"},
        {"guix-json", "[{\"name\":\"a\",\"version\":\"1\",\"x\":",
         "},{\"name\":\"b\",\"version\":\"1\",\"synopsis\":\"", "\"}]",
         "[{\"name\":\"a\",\"version\":\"1-1.abcdef0\",\"source\":[{\"type\":\"git\","
         "\"git_ref\":\"abcdef0123\"}]}]"},
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        buf b = {0};
        b_str(&b, f[i].head);
        b_rep(&b, "[", 500000);
        b_rep(&b, "]", 500000);
        b_str(&b, f[i].mid);
        b_str(&b, f[i].close);
        parsed p = parse_with(f[i].fmt, b.p, b.len);
        assert_int_equal(p.rc, -1);
        assert_non_null(strstr(p.err, "nested deeper"));
        free(b.p);

        buf h = {0};
        b_str(&h, f[i].head);
        b_str(&h, "0");
        b_str(&h, f[i].mid);
        b_rep(&h, "z", (size_t)20 << 20);
        b_str(&h, f[i].close);
        p = parse_with(f[i].fmt, h.p, h.len);
        assert_int_equal(p.rc, -1); /* above the 16 MiB entry limit */
        assert_non_null(strstr(p.err, "larger than"));
        assert_int_equal(p.records, 1);
        free(h.p);

        /* Every prefix of a good document: a one-line error (or an empty result), no crash. */
        size_t n = strlen(f[i].good);
        for (size_t k = 0; k < n; k++) {
            p = parse_with(f[i].fmt, f[i].good, k);
            assert_true(p.rc == -1 || (p.rc == 0 && p.records == 0));
        }
        p = parse_with(f[i].fmt, f[i].good, n);
        assert_int_equal(p.rc, 0);
        assert_int_equal(p.records, 1);
    }

    /* pkgsrc: a 20 MB line (over the 4 MiB line limit), every prefix, NUL bytes. */
    buf L = {0};
    b_str(&L, "a-1|c/a|p|");
    b_rep(&L, "s", (size_t)20 << 20);
    b_str(&L, "|d|m|c|||||\n");
    parsed p = parse_with("pkgsrc-index", L.p, L.len);
    assert_int_equal(p.rc, -1);
    assert_non_null(strstr(p.err, "pkgsrc-index: "));
    free(L.p);
    static const char good[] = "a-1|c/a|p|s|d|m@x.org|c|||||h\nb-2|c/b|p|s\0|d|m|c|||||\n";
    for (size_t k = 0; k < sizeof good - 1; k++) {
        p = parse_with("pkgsrc-index", good, k);
        assert_true(p.rc == 0 || p.rc == -1);
    }
    p = parse_with("pkgsrc-index", good, sizeof good - 1);
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.records, 1); /* the NUL line is skipped */

    /* Binary garbage: an error, no records, for every format. */
    unsigned char junk[4096];
    unsigned x = 12345;
    for (size_t k = 0; k < sizeof junk; k++) {
        x = x * 1103515245u + 12345u;
        junk[k] = (unsigned char)(x >> 16);
    }
    static const char *const fmts[] = {"pkgsrc-index", "aur-json", "alt-json", "macports-json",
                                       "guix-json"};
    for (size_t i = 0; i < sizeof fmts / sizeof fmts[0]; i++) {
        p = parse_with(fmts[i], junk, sizeof junk);
        assert_int_equal(p.rc, -1);
        assert_int_equal(p.records, 0);
    }
    assert_true(rss_mb() < 600);
}

/* ---------------------------------------------------------------- CLI */

typedef struct clifx {
    char dir[512], db[600];
} clifx;

/* Run argv (NULL-terminated) with a time limit, stdout/stderr into files; exit status. */
static int run_limited(const char *dir, char *const argv[], const char *in, double limit_s,
                       char **out, char **err)
{
    char po[700], pe[700], pi[700];
    snprintf(po, sizeof po, "%s/stdout", dir);
    snprintf(pe, sizeof pe, "%s/stderr", dir);
    snprintf(pi, sizeof pi, "%s/stdin", dir);
    FILE *fi = fopen(pi, "wb");
    assert_non_null(fi);
    if (in)
        fputs(in, fi);
    fclose(fi);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (!freopen(pi, "r", stdin) || !freopen(po, "w", stdout) || !freopen(pe, "w", stderr))
            _exit(126);
        execv(argv[0], argv);
        _exit(127);
    }
    double t0 = mono();
    int st = 0;
    while (waitpid(pid, &st, WNOHANG) == 0) {
        if (mono() - t0 > limit_s) {
            kill(pid, SIGKILL);
            waitpid(pid, &st, 0);
            fail_msg("%s did not finish within %.0f s", argv[7] ? argv[7] : argv[0], limit_s);
        }
        usleep(5000);
    }
    *out = tu_slurp(po, NULL);
    *err = tu_slurp(pe, NULL);
    assert_non_null(*out);
    assert_non_null(*err);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* pkgfresh on the hostile catalog and the test database, args NULL-terminated. */
static int pfc(clifx *c, const char *in, char **out, char **err, ...)
{
    char *argv[40] = {(char *)tu_pkgfresh(), "--db", c->db, "--catalog",
                      (char *)tu_fixture("hostile/catalog.yaml")};
    int n = 5;
    va_list ap;
    va_start(ap, err);
    const char *a;
    while (n < 39 && (a = va_arg(ap, const char *)) != NULL)
        argv[n++] = (char *)a;
    va_end(ap);
    argv[n] = NULL;
    return run_limited(c->dir, argv, in, 60, out, err);
}

/* Write text to dir/name; returns the path (static, rotating via tu-style buffer). */
static const char *write_file(const char *dir, const char *name, const void *p, size_t n)
{
    static char paths[4][700];
    static int next;
    char *path = paths[next];
    next = (next + 1) % 4;
    snprintf(path, 700, "%s/%s", dir, name);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(p, 1, n, fp), n);
    fclose(fp);
    return path;
}

/* No byte below 0x20 except newline (and tab), and no DEL. */
static void assert_no_ctrl(const char *what, const char *s)
{
    for (const char *p = s; *p; p++)
        if (((unsigned char)*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7f)
            fail_msg("%s output holds control byte 0x%02x at offset %ld", what, (unsigned char)*p,
                     (long)(p - s));
}

/* The display column (code points from the line's start) at which `what`
 * begins on the line of text that starts with `line` (a "\n..." prefix). */
static size_t display_column(const char *text, const char *line, const char *what)
{
    const char *start = strstr(text, line);
    assert_non_null(start);
    start++;
    const char *at = strstr(start, what);
    const char *eol = strchr(start, '\n');
    assert_true(at && (!eol || at < eol));
    size_t col = 0;
    for (const char *p = start; p < at; p++)
        if (((unsigned char)*p & 0xc0) != 0x80)
            col++;
    return col;
}

/* NUL bytes, invalid UTF-8 and ANSI escapes in Sources fields: valid JSON, clean table/CSV. */
static void test_deb822_bytes_to_outputs(void **state)
{
    (void)state;
    clifx c;
    snprintf(c.dir, sizeof c.dir, "%s", tu_tmpdir("hostile-cli"));
    snprintf(c.db, sizeof c.db, "%s/pkgfresh.db", c.dir);
    static const char src[] = "Package: red\x1b[31malert\n"
                              "Binary: red\n"
                              "Version: 1.0\x1b[0m-1\n"
                              "Maintainer: Evil <evil@example.org>\n"
                              "Section: \x1b]0;pwned\x07misc\n"
                              "\n"
                              "Package: badutf\xff\xfe\xc0\xaf\x80x\n"
                              "Version: 2.0\xed\xa0\x80-1\n"
                              "Homepage: https://example.org/\xf8\x88\x80\x80\x80\n"
                              "\n"
                              "Package: nul\0hidden\n"
                              "Version: 3.0\0-9\n"
                              "\n"
                              "Package: bell\a\b\r\x7f\n"
                              "Version: 4.0-1\n"
                              "\n"
                              "Package: plain\n"
                              "Version: 5.0-1\n"
                              "\n"
                              "Package: caf\xc3\xa9-\xe6\x97\xa5\n"
                              "Version: 6.0-1\n";
    const char *path = write_file(c.dir, "Sources", src, sizeof src - 1);
    char *out, *err;
    int rc = pfc(&c, NULL, &out, &err, "crawl", "test_bad", "--from", path, "--min-packages", "0",
                 "--format", "csv", NULL);
    if (rc != 0)
        fail_msg("crawl exit %d: %s", rc, err);
    assert_no_ctrl("crawl csv", out);
    free(out);
    free(err);
    /* JSON: jansson rejects invalid UTF-8, so loading it proves validity */
    rc = pfc(&c, NULL, &out, &err, "packages", "test_bad", "--format", "json", NULL);
    assert_int_equal(rc, 0);
    json_error_t je;
    json_t *j = json_loads(out, 0, &je);
    if (!j)
        fail_msg("invalid JSON (%s): %s", je.text, out);
    assert_true(json_array_size(j) >= 4);
    int saw_esc = 0;
    size_t i;
    json_t *row;
    json_array_foreach(j, i, row)
    {
        const char *n = json_string_value(json_object_get(row, "srcname"));
        assert_non_null(n);
        saw_esc |= strchr(n, 0x1b) != NULL; /* JSON keeps the data, escaped as \u001b */
    }
    assert_true(saw_esc);
    json_decref(j);
    free(out);
    free(err);
    /* table and CSV: no raw ESC or other control byte reaches the terminal */
    static const char *const fmts[] = {"table", "csv"};
    for (size_t k = 0; k < 2; k++) {
        rc = pfc(&c, NULL, &out, &err, "packages", "test_bad", "--format", fmts[k], NULL);
        assert_int_equal(rc, 0);
        assert_null(strchr(out, 0x1b));
        assert_no_ctrl(fmts[k], out);
        assert_non_null(strstr(out, "plain"));
        assert_non_null(strstr(out, "red\\x1b[31malert")); /* escaped, not dropped */
        if (k == 0) /* the table aligns by characters: the versions start in one column */
            assert_int_equal(display_column(out, "\nplain ", "5.0-1"),
                             display_column(out, "\ncaf\xc3\xa9-\xe6\x97\xa5 ", "6.0-1"));
        free(out);
        free(err);
    }
    /* analysis of those names works and the other queries stay clean */
    rc = pfc(&c, NULL, &out, &err, "stats", "--format", "table", NULL);
    assert_int_equal(rc, 0);
    assert_no_ctrl("stats", out);
    free(out);
    free(err);
    rc = pfc(&c, NULL, &out, &err, "search", "red", "--format", "table", NULL);
    assert_no_ctrl("search", out);
    free(out);
    free(err);
}

/* 10,000-character and 1,000-component versions: crawl, analyze, vercmp in bounded time. */
static void test_absurd_versions(void **state)
{
    (void)state;
    clifx c;
    snprintf(c.dir, sizeof c.dir, "%s", tu_tmpdir("hostile-ver"));
    snprintf(c.db, sizeof c.db, "%s/pkgfresh.db", c.dir);
    buf longnum = {0}, comps = {0}, letters = {0}, mixed = {0};
    b_rep(&longnum, "9", 10000);
    b_str(&comps, "1");
    b_rep(&comps, ".1", 999); /* 1,000 components */
    b_rep(&letters, "z", 10000);
    b_rep(&mixed, "1a.", 3333);
    buf s = {0};
    const char *v[] = {longnum.p, comps.p, letters.p, mixed.p};
    const char *names[] = {"bash", "curl", "vim", "zlib"}; /* projects the good repos have too */
    for (size_t i = 0; i < 4; i++) {
        b_str(&s, "Package: ");
        b_str(&s, names[i]);
        b_str(&s, "\nVersion: ");
        b_str(&s, v[i]);
        b_str(&s, "-1\n\n");
    }
    const char *path = write_file(c.dir, "Sources", s.p, s.len);
    char *out, *err;
    int rc = pfc(&c, NULL, &out, &err, "crawl", "test_good_a", "--from",
                 tu_fixture("e2e/a.Sources"), "--no-analyze", NULL);
    assert_int_equal(rc, 0);
    free(out);
    free(err);
    double t0 = mono();
    rc = pfc(&c, NULL, &out, &err, "crawl", "test_bad", "--from", path, "--format", "csv", NULL);
    if (rc != 0)
        fail_msg("crawl exit %d: %s", rc, err);
    assert_non_null(strstr(out, "test_bad,ok,4,"));
    assert_non_null(strstr(err, "analyzed"));
    free(out);
    free(err);
    rc = pfc(&c, NULL, &out, &err, "project", "bash", "--format", "json", NULL);
    assert_int_equal(rc, 0);
    json_t *j = json_loads(out, 0, NULL);
    assert_non_null(j);
    json_decref(j);
    assert_non_null(strstr(out, "newest")); /* 999...9 is newest, bash 5.2 outdated */
    assert_non_null(strstr(out, "outdated"));
    free(out);
    free(err);
    /* vercmp on the command line and on stdin */
    rc = pfc(&c, NULL, &out, &err, "vercmp", longnum.p, comps.p, NULL);
    assert_int_equal(rc, 0);
    assert_string_equal(out, ">\n");
    free(out);
    free(err);
    buf lines = {0};
    for (size_t a = 0; a < 4; a++)
        for (size_t b = 0; b < 4; b++) {
            b_str(&lines, v[a]);
            b_str(&lines, "\t");
            b_str(&lines, v[b]);
            b_str(&lines, "\n");
        }
    rc = pfc(&c, lines.p, &out, &err, "vercmp", "-", NULL);
    assert_int_equal(rc, 0);
    /* 16 answers; the diagonal is '=' and the matrix is antisymmetric */
    char sign[16];
    size_t n = 0;
    for (char *p = out; *p && n < 16; p++)
        if (*p == '<' || *p == '=' || *p == '>')
            sign[n++] = *p;
    assert_int_equal(n, 16);
    for (size_t a = 0; a < 4; a++)
        for (size_t b = 0; b < 4; b++) {
            char x = sign[a * 4 + b], y = sign[b * 4 + a];
            assert_true((x == '=' && y == '=') || (x == '<' && y == '>') || (x == '>' && y == '<'));
            if (a == b)
                assert_int_equal(x, '=');
        }
    assert_true(mono() - t0 < 30);
    free(out);
    free(err);
    assert_int_equal(pf_vercmp(comps.p, comps.p), 0);
    assert_int_equal(pf_vercmp(longnum.p, letters.p), 1);
    free(lines.p);
    free(s.p);
    free(longnum.p);
    free(comps.p);
    free(letters.p);
    free(mixed.p);
}

/* ---------------------------------------------------------------- tar */

/* Arch db: traversal names, symlink and hard link members, a device: parsed as data only. */
static void test_arch_db_traversal_and_links(void **state)
{
    (void)state;
    static const char desc[] = "%NAME%\ngood\n\n%VERSION%\n1.0-1\n\n%DESC%\nfine\n\n";
    static const char evil[] = "%NAME%\nevil\n\n%VERSION%\n6.6.6-1\n\n";
    buf tar = {0}, gz;
    tar_add(&tar, "../../../../tmp/pkgfresh-traversal-1/desc", '0', NULL, evil);
    tar_add(&tar, "/etc/pkgfresh-abs-1/desc", '0', NULL, evil);
    tar_add(&tar, "link-1.0-1/", '5', NULL, NULL);
    tar_add(&tar, "link-1.0-1/desc", '2', "/etc/passwd", NULL);
    tar_add(&tar, "hard-1.0-1/desc", '1', "/etc/passwd", NULL);
    tar_add(&tar, "dev-1.0-1/desc", '3', NULL, NULL);
    tar_add(&tar, "good-1.0-1/", '5', NULL, NULL);
    tar_add(&tar, "good-1.0-1/desc", '0', NULL, desc);
    tar_end(&tar);
    gzip_into(&tar, &gz);
    parsed p = parse_with("arch-db", gz.p, gz.len);
    if (p.rc != 0)
        fail_msg("arch-db: %s", p.err);
    assert_true(p.records >= 1);
    /* nothing written to disk by parsing */
    struct stat sb;
    assert_int_not_equal(stat("/tmp/pkgfresh-traversal-1", &sb), 0);
    assert_int_not_equal(stat("/etc/pkgfresh-abs-1", &sb), 0);
    free(tar.p);
    free(gz.p);
}

/* APKINDEX: the index member as a symlink to /etc/passwd, then a traversal name. */
static void test_apkindex_links(void **state)
{
    (void)state;
    buf tar = {0}, gz;
    tar_add(&tar, "DESCRIPTION", '0', NULL, "edge main\n");
    tar_add(&tar, "APKINDEX", '2', "/etc/passwd", NULL);
    tar_add(&tar, "../APKINDEX", '0', NULL, "P:evil\nV:6.6.6-r0\n\n");
    tar_end(&tar);
    gzip_into(&tar, &gz);
    parsed p = parse_with("apkindex", gz.p, gz.len);
    assert_true(p.rc == 0 || p.rc == -1);
    free(tar.p);
    free(gz.p);
    /* hard link member named APKINDEX */
    buf t2 = {0}, g2;
    tar_add(&t2, "APKINDEX", '1', "/etc/passwd", NULL);
    tar_end(&t2);
    gzip_into(&t2, &g2);
    p = parse_with("apkindex", g2.p, g2.len);
    assert_int_equal(p.records, 0);
    free(t2.p);
    free(g2.p);
}

/* ---------------------------------------------------------------- json-export */

/*
 * The json-export dialects (one per shape: top-level array, list and object
 * under a member, NDJSON) and the text/MSYS2 variants: deep nesting, huge
 * fields, every truncation of a real fixture, wrong types, binary garbage,
 * NUL bytes. No crash, one-line errors, bounded time and memory.
 */
static void test_json_export_hostile(void **state)
{
    (void)state;
    size_t depth = 500000;
    buf deep = {0};
    b_rep(&deep, "[", depth);
    b_rep(&deep, "]", depth);
    static const struct {
        const char *fmt, *head, *tail; /* an entry wrapped around a hostile value */
    } shapes[] = {
        {"termux-json", "[{\"name\":\"a\",\"version\":\"1\",\"description\":", "}]"},
        {"crux-json", "{\"ports\":[{\"name\":\"a\",\"version\":\"1\",\"description\":", "}]}"},
        {"spack-json",
         "{\"packages\":{\"a\":{\"name\":\"a\",\"version\":[{\"version\":\"1\"}],\"x\":", "}}}"},
        {"stalix-ndjson", "{\"pkg_name\":\"a\",\"pkg_ver\":\"1\",\"category\":", "}\n"},
    };
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        /* 500k nested arrays as the whole document and inside an entry */
        parsed p = parse_with(shapes[i].fmt, deep.p, deep.len);
        assert_int_equal(p.rc, -1);
        assert_true(p.err[0] != 0);
        buf b = {0};
        b_str(&b, shapes[i].head);
        b_add(&b, deep.p, deep.len);
        b_str(&b, shapes[i].tail);
        p = parse_with(shapes[i].fmt, b.p, b.len);
        assert_true(p.rc == 0 || (p.rc == -1 && p.err[0]));
        free(b.p);
        /* a 12 MB string value: kept whole or refused, never cut silently */
        buf h = {0};
        b_str(&h, shapes[i].head);
        b_str(&h, "\"");
        b_rep(&h, "z", (size_t)12 << 20);
        b_str(&h, "\"");
        b_str(&h, shapes[i].tail);
        p = parse_with(shapes[i].fmt, h.p, h.len);
        assert_true(p.rc == 0 || (p.rc == -1 && p.err[0]));
        free(h.p);
        /* binary garbage and NUL bytes */
        unsigned char g[4096];
        unsigned x = 2463534242u;
        for (size_t k = 0; k < sizeof g; k++) {
            x ^= x << 13, x ^= x >> 17, x ^= x << 5;
            g[k] = (unsigned char)x;
        }
        g[0] = '[';
        p = parse_with(shapes[i].fmt, g, sizeof g);
        assert_int_equal(p.rc, -1);
        assert_true(p.err[0] != 0);
        static const char nul[] = "[{\"name\":\"a\0b\",\"version\":\"1\"}]\n";
        p = parse_with(shapes[i].fmt, nul, sizeof nul - 1);
        assert_true(p.rc == -1 && p.err[0]);
    }
    free(deep.p);

    /* every field of the wrong type: skipped and counted, then the layout check fails */
    const char *types = "[{\"name\":5,\"version\":\"1\"},{\"name\":\"a\",\"version\":{}},"
                        "{\"name\":[\"a\"],\"version\":null},\"str\",7,null]";
    parsed p = parse_with("chromebrew-json", types, strlen(types));
    assert_int_equal(p.rc, -1);
    assert_int_equal(p.records, 0);
    assert_non_null(strstr(p.err, "layout changed"));
    const char *odd = "[{\"name\":\"a\",\"version\":\"1\",\"homepage\":7,\"license\":[1,null,{}],"
                      "\"description\":[\"x\"],\"maintainer\":{\"a\":1}}]";
    p = parse_with("termux-json", odd, strlen(odd));
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.records, 1);

    /* every 7th prefix of each fixture: a one-line error or a clean (shorter) parse */
    static const char *const fx[][2] = {
        {"termux-json", "json-export/termux.json"},
        {"spack-json", "json-export/spack.json"},
        {"aosc-json", "json-export/aosc.json"},
        {"stalix-ndjson", "json-export/stalix.ndjson"},
        {"ravenports-json", "json-export/ravenports.json"},
        {"apkindex-text", "apkindex-text/APKINDEX"},
        {"msys2-db", "msys2/ucrt64.db.tar.zst"},
    };
    for (size_t i = 0; i < sizeof fx / sizeof fx[0]; i++) {
        size_t len;
        char *data = tu_slurp(tu_fixture(fx[i][1]), &len);
        assert_non_null(data);
        for (size_t n = 0; n < len; n += 7) {
            p = parse_with(fx[i][0], data, n);
            if (p.rc == -1 && !p.err[0])
                fail_msg("%s cut at %zu: error without a message", fx[i][1], n);
        }
        free(data);
    }

    /* a %PACKAGER% of 100,000 addresses: bounded, no crash */
    buf pk = {0};
    b_str(&pk, "%NAME%\nbig\n\n%VERSION%\n1-1\n\n%PACKAGER%\n");
    b_rep(&pk, "A <a@b.org>, ", 100000);
    b_str(&pk, "\n\n");
    buf tar = {0}, gz = {0};
    tar_add(&tar, "big-1-1/desc", '0', NULL, pk.p);
    tar_end(&tar);
    gzip_into(&tar, &gz);
    p = parse_with("msys2-db", gz.p, gz.len);
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.records, 1);
    free(pk.p);
    free(tar.p);
    free(gz.p);
    assert_true(rss_mb() < 600);
}

/* ---------------------------------------------------------------- gentoo, solus, cygwin, casks,
 * openbsd */

/* Solus XML: entity bombs and XXE refused, deep nesting, a 20 MB field, truncation, garbage. */
static void test_solus_xml_tricks(void **state)
{
    (void)state;
    buf bomb = {0};
    b_str(&bomb, "<?xml version=\"1.0\"?>\n<!DOCTYPE PISI [<!ENTITY xxe SYSTEM "
                 "\"file:///etc/passwd\"><!ENTITY a \"aaaaaaaaaaaaaaaaaaaa\">"
                 "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>\n"
                 "<PISI><Package><Name>&xxe;</Name><Summary>&b;</Summary><History><Update>"
                 "<Version>1</Version></Update></History><Source><Name>x</Name></Source>"
                 "</Package></PISI>");
    parsed p = parse_with("solus-eopkg", bomb.p, bomb.len);
    assert_int_equal(p.rc, -1);
    assert_non_null(strstr(p.err, "DOCTYPE not allowed"));
    assert_int_equal(p.records, 0);

    buf deep = {0}, huge = {0};
    b_str(&deep, "<PISI><Package><Name>a</Name>");
    b_rep(&deep, "<x>", 100000);
    b_rep(&deep, "</x>", 100000);
    b_str(&deep, "</Package></PISI>");
    p = parse_with("solus-eopkg", deep.p, deep.len);
    assert_int_equal(p.rc, -1); /* libxml2's depth limit (no XML_PARSE_HUGE) */
    b_str(&huge, "<PISI><Package><Name>big</Name><Summary>");
    b_rep(&huge, "s", (size_t)20 << 20);
    b_str(&huge, "</Summary><History><Update><Version>1</Version></Update></History>"
                 "<Source><Name>big</Name></Source></Package></PISI>");
    p = parse_with("solus-eopkg", huge.p, huge.len);
    assert_true(p.rc == -1 || (p.rc == 0 && p.records == 1));
    if (p.rc == -1)
        assert_true(strncmp(p.err, "solus-eopkg: ", 13) == 0);
    p = parse_with("solus-eopkg", huge.p, huge.len / 2); /* truncated */
    assert_int_equal(p.rc, -1);
    static const unsigned char junk[] = {0x00, 0xff, 0xfe, '<', 0x01, 'P', 0x80, 0x90, '>', 0};
    p = parse_with("solus-eopkg", junk, sizeof junk);
    assert_int_equal(p.rc, -1);
    free(bomb.p);
    free(deep.p);
    free(huge.p);
    assert_true(rss_mb() < 600);
}

/* Gentoo tarballs: traversal and link members, XXE in metadata.xml, an oversized cache entry. */
static void test_gentoo_tar_tricks(void **state)
{
    (void)state;
    static const char md5[] = "DESCRIPTION=fine\nLICENSE=MIT\nHOMEPAGE=https://ok.example/\n";
    buf tar = {0}, gz, big = {0};
    tar_add(&tar, "g/../../etc/passwd", '0', NULL, "root:x:0:0:root:/root:/bin/sh\n");
    tar_add(&tar, "g/metadata/md5-cache/app-misc/../../../etc/x-1", '0', NULL, md5);
    tar_add(&tar, "g/app-misc/link/link-1.ebuild", '2', "/etc/passwd", NULL);
    tar_add(&tar, "g/app-misc/ok/ok-1.ebuild", '0', NULL, "EAPI=8\n");
    tar_add(&tar, "g/app-misc/ok/metadata.xml", '0', NULL,
            "<?xml version=\"1.0\"?><!DOCTYPE pkgmetadata [<!ENTITY x SYSTEM "
            "\"file:///etc/passwd\">]><pkgmetadata><maintainer><email>&x;</email>"
            "</maintainer></pkgmetadata>");
    tar_add(&tar, "g/metadata/md5-cache/app-misc/ok-1", '0', NULL, md5);
    tar_add(&tar, "g/app-misc/big/big-1.ebuild", '0', NULL, "EAPI=8\n");
    b_str(&big, "DESCRIPTION=");
    b_rep(&big, "d", (size_t)2 << 20); /* over the 1 MiB cap: the entry counts as missing */
    b_str(&big, "\n");
    tar_add(&tar, "g/metadata/md5-cache/app-misc/big-1", '0', NULL, big.p);
    tar_end(&tar);
    gzip_into(&tar, &gz);
    parsed p = parse_with("gentoo-md5cache", gz.p, gz.len);
    if (p.rc != 0)
        fail_msg("gentoo-md5cache: %s", p.err);
    assert_int_equal(p.records, 1); /* app-misc/ok only */
    assert_string_equal(p.first, "app-misc/ok");
    free(tar.p);
    free(gz.p);
    free(big.p);
}

/* Cygwin and cask JSON: 500k nested arrays inside an entry and a 20 MB string. */
static void test_cygwin_cask_json(void **state)
{
    (void)state;
    size_t depth = 500000;
    buf cyg = {0}, cask = {0};
    b_str(&cyg, "{\"packages\":[{\"name\":\"deep\",\"x\":");
    b_rep(&cyg, "[", depth);
    b_rep(&cyg, "]", depth);
    b_str(&cyg, "},{\"name\":\"curl\",\"versions\":{\"stable\":[\"8.1-1\"]},\"subpackages\":"
                "[{\"name\":\"curl\",\"categories\":[\"Net\"]}],\"summary\":\"");
    b_rep(&cyg, "y", (size_t)20 << 20);
    b_str(&cyg, "\"}]}");
    b_str(&cask, "[{\"token\":\"deep\",\"x\":");
    b_rep(&cask, "[", depth);
    b_rep(&cask, "]", depth);
    b_str(&cask, "},{\"token\":\"big\",\"version\":\"1,2\",\"desc\":\"");
    b_rep(&cask, "z", (size_t)20 << 20);
    b_str(&cask, "\"}]");
    parsed p = parse_with("cygwin-json", cyg.p, cyg.len);
    assert_true(p.rc == 0 || p.rc == -1);
    if (p.rc == -1)
        assert_true(strncmp(p.err, "cygwin-json: ", 13) == 0);
    p = parse_with("homebrew-cask-json", cask.p, cask.len);
    assert_true(p.rc == 0 || p.rc == -1);
    if (p.rc == -1)
        assert_true(strncmp(p.err, "homebrew-cask-json: ", 20) == 0);
    free(cyg.p);
    free(cask.p);
    assert_true(rss_mb() < 600);
}

/* openbsd-sqlports: binary garbage and a gzip bomb-like stream are refused quickly. */
static void test_openbsd_garbage(void **state)
{
    (void)state;
    buf g = {0}, gz;
    for (int i = 0; i < 200000; i++) {
        unsigned char c = (unsigned char)(i * 2654435761u >> 24);
        b_add(&g, &c, 1);
    }
    parsed p = parse_with("openbsd-sqlports", g.p, g.len);
    assert_int_equal(p.rc, -1);
    assert_true(strncmp(p.err, "openbsd-sqlports: ", 18) == 0);
    buf zeros = {0};
    b_rep(&zeros, "\x01", (size_t)8 << 20);
    gzip_into(&zeros, &gz);
    p = parse_with("openbsd-sqlports", gz.p, gz.len);
    assert_int_equal(p.rc, -1);
    free(g.p);
    free(gz.p);
    free(zeros.p);
}

/* ---------------------------------------------------------------- fuzz regressions */

/* Inputs the fuzzers found (tests/fixtures/hostile/): each once crashed or broke a rule. */
static void test_fuzz_regressions(void **state)
{
    (void)state;
    static const struct {
        const char *file, *fmt;
        int want_rc; /* -1, 0, or 2 = either */
    } r[] = {
        /* libxml2 message with an embedded newline: the error must stay one line */
        {"hostile/rpm-md-bad-utf8.xml", "rpm-md", -1},
        {"hostile/void-bad-utf8.tar", "void-repodata", -1},
        /* a package named "" read past its end (heap overflow) in nix_split_name */
        {"hostile/nix-empty-name.json", "nix-json", 2},
        /* a NUL byte after a number: jansson swallows it, the fast JSON reader must too */
        {"hostile/aur-nul-after-number.json", "aur-json", 0},
        {"hostile/alt-nul-after-number.json", "alt-json", -1},
        /* binaries[] holding a non-object: its "name" was read uninitialized (SEGV) */
        {"hostile/alt-binary-not-object.json", "alt-json", 2},
        /* SQLite's "malformed database schema" message quotes the schema with its newlines */
        {"hostile/openbsd-schema-newline.sqlite", "openbsd-sqlports", -1},
    };
    for (size_t i = 0; i < sizeof r / sizeof r[0]; i++) {
        size_t len;
        char *data = tu_slurp(tu_fixture(r[i].file), &len);
        assert_non_null(data);
        parsed p = parse_with(r[i].fmt, data, len);
        if (r[i].want_rc != 2 && p.rc != r[i].want_rc)
            fail_msg("%s: rc %d (%s)", r[i].file, p.rc, p.err);
        if (p.rc == -1)
            assert_true(p.err[0] != 0);
        free(data);
    }
    /* an empty rules file: the loader sorted an empty index with qsort(NULL, 0) (UB) */
    char dir[700];
    snprintf(dir, sizeof dir, "%s", tu_tmpdir("hostile-rules"));
    write_file(dir, "empty.yaml", "", 0);
    char err[256] = "";
    pf_rules *rules = pf_rules_load(dir, err, sizeof err);
    if (rules) {
        assert_int_equal(pf_rules_count(rules), 0);
        pf_rules_free(rules);
    } else {
        assert_true(err[0] != 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rpm_md_doctype_tricks),
        cmocka_unit_test(test_repomd_doctype),
        cmocka_unit_test(test_void_plist_entities),
        cmocka_unit_test(test_json_nesting_and_huge_fields),
        cmocka_unit_test(test_issue12_formats_hostile),
        cmocka_unit_test(test_deb822_bytes_to_outputs),
        cmocka_unit_test(test_absurd_versions),
        cmocka_unit_test(test_arch_db_traversal_and_links),
        cmocka_unit_test(test_apkindex_links),
        cmocka_unit_test(test_json_export_hostile),
        cmocka_unit_test(test_solus_xml_tricks),
        cmocka_unit_test(test_gentoo_tar_tricks),
        cmocka_unit_test(test_cygwin_cask_json),
        cmocka_unit_test(test_openbsd_garbage),
        cmocka_unit_test(test_fuzz_regressions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
