/*
 * test_normalize.c — version normalization (analyzer/normalize.c).
 *
 * Table-driven: raw versions as found in real indexes (almost all copied from
 * Debian sid / Ubuntu noble Sources) with the expected compared version and
 * flags. Plus ordering checks through the version comparator, the simple
 * schemes, buffer truncation, and a sweep over every version of the real
 * sid index (skipped when absent).
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkgfresh/format.h"
#include "pkgfresh/normalize.h"
#include "pkgfresh/reader.h"
#include "pkgfresh/record.h"
#include "pkgfresh/version.h"

#define D PF_F_DEVEL
#define I PF_F_IGNORE
#define X PF_F_INCORRECT
#define A PF_F_ANY_IS_PATCH

typedef struct vcase {
    const char *raw;
    const char *want;
    unsigned flags;
} vcase;

/* Debian and Ubuntu versions (all from sid / noble Sources unless marked synthetic). */
static const vcase debian_cases[] = {
    /* epoch and revision */
    {"0.28.0-3", "0.28.0", 0},
    {"1:2008.05.17.4", "2008.05.17.4", 0},
    {"2:1.6", "1.6", 0},
    {"1:2.4.5-3", "2.4.5", 0}, /* synthetic */
    {"7:7.1.5-0+deb13u1", "7.1.5", 0},
    {"5.8.1-1+deb13u1", "5.8.1", 0},
    {"1.0-1ubuntu2", "1.0", 0}, /* synthetic */
    {"0.9.0rc2-1-14", "0.9.0rc2-1", I},
    {"2.5-mhi-15", "2.5-mhi", I},
    /* devel markers after '~' */
    {"1:3.2.4~rc1-3.5", "3.2.4~rc1", D},
    {"1.0~rc8-7", "1.0~rc8", D},
    {"2.0.0~rc1-1", "2.0.0~rc1", D}, /* synthetic */
    {"0.2.0~alpha6-4", "0.2.0~alpha6", D},
    {"0.8~beta-4", "0.8~beta", D},
    {"6.0.0~beta.1-2", "6.0.0~beta.1", D},
    {"3.0.0~dev2-2", "3.0.0~dev2", D},
    {"0.3.0~pre.2-2", "0.3.0~pre.2", D},
    {"2.3.99~b1-1.1", "2.3.99~b1", D},
    {"0.8.0~a3-1", "0.8.0~a3", D},
    {"3.0.1~b26+dfsg-5", "3.0.1~b26", D},
    {"2:1.0~beta3+dfsg1-4", "1.0~beta3", D}, /* synthetic */
    {"4.0.1-b003-3", "4.0.1-b003", I},       /* "-b003" is no devel marker: a snapshot */
    {"1.0beta3-8", "1.0beta3", 0},           /* no '~': left to the rules */
    /* unknown '~x': incorrect, or ignored on a zero base */
    {"2.0~M10-2", "2.0~M10", X},
    {"3.4.4~r2+gbp-2", "3.4.4~r2+gbp", I | X},
    {"1.0.8~git20240522.f5e418d-2", "1.0.8~git20240522.f5e418d", X},
    {"1.15~20180310.4a16df3+dfsg-8.2", "1.15~20180310.4a16df3", X},
    {"0.9.6~unreleased-1", "0.9.6~unreleased", X},
    {"0~20200101-1", "0~20200101", I}, /* synthetic */
    {"0~20230825+dfsg-1", "0~20230825", I},
    {"0~20260831+89b9f09-2", "0~20260831+89b9f09", I},
    {"0~15-5", "0~15", I},
    {"0.0~git20240826.dcb52a0-1", "0.0~git20240826.dcb52a0", I},
    {"4:5.2.4~dev~git20260809.e0909b211b+dfsg-1", "5.2.4~dev~git20260809.e0909b211b", D | X},
    /* packaging garbage */
    {"1.2+dfsg-1", "1.2", 0}, /* synthetic */
    {"1.1+nmu1", "1.1", 0},
    {"1:1.0.5+nmu1", "1.0.5", 0},
    {"2.38.0+ds-2", "2.38.0", 0},
    {"1.34.1+ds1-1", "1.34.1", 0},
    {"0.6.3+repack-1", "0.6.3", 0},
    {"0.5~repack-5", "0.5", 0},
    {"0.3.1+dfsg.1-3", "0.3.1", 0},
    {"2.6.1+dfsg.2-20", "2.6.1", 0},
    {"0.10.dfsg1-1", "0.10.dfsg1", X},
    {"2009.02.17.dfsg.3-3", "2009.02.17.dfsg.3", X},
    {"1:1.2.13.dfsg-3", "1.2.13.dfsg", X},
    {"001.000.dfsg.2+ds1-7", "001.000.dfsg.2", X},
    {"2.31.18+debian0-2", "2.31.18", 0},
    {"16s+debian-1", "16s", 0},
    {"2.1.13-stable-1", "2.1.13", 0},
    {"1.11.0-stable2-2", "1.11.0", 0},
    {"0.0.6.5stable-6", "0.0.6.5stable", X},
    {"1.03+pristine-2", "1.03", 0},
    {"1.0.pristine-5", "1.0.pristine", X},
    {"2.00-04+pristine-8", "2.00-04", I},
    {"3.137ubuntu1", "3.137ubuntu1", X},
    {"0.14.1build1", "0.14.1build1", 0},
    {"20.04~ubuntu6", "20.04", 0},
    {"1:3.2~ubuntu1", "3.2", 0},
    {"1.0.orig-2", "1.0.orig", 0},     /* synthetic */
    {"1.0dfsg.a2-1", "1.0dfsg.a2", X}, /* synthetic: garbage word inside the version */
    {"1.2is1.1-1", "1.2is1.1", X},     /* synthetic */
    /* bundled components (+~): kept; the starter rules cut them */
    {"6.3.0+~cs7.0.4-3", "6.3.0+~cs7.0.4", I | X},
    {"2.2.1+~2.2.0-1", "2.2.1+~2.2.0", I | X},
    {"0.4.5+repack10+~cs98.25.59-13", "0.4.5+~cs98.25.59", I | X},
    /* really: kept, INCORRECT by the embedded-word test */
    {"5.10.0really5.9-1", "5.10.0really5.9", X}, /* synthetic */
    {"1:1.3.dfsg+really1.3.1-3", "1.3.dfsg+really1.3.1", I | X | A},
    {"3.3.4+dfsg+really3.3.3-3", "3.3.4+really3.3.3", I | X | A},
    {"5.0.0+really4.5.2-1", "5.0.0+really4.5.2", I | X | A},
    {"46+really47.0.9-1", "46+really47.0.9", I | X | A},
    {"1.3.0+is-really-1.2.7-2", "1.3.0+is-really-1.2.7", I | X | A},
    {"1.0.0~beta14+really0.0+git20200604.f357d72-1", "1.0.0~beta14+really0.0+git20200604.f357d72",
     D | I | X},
    /* post-release snapshots after '+' */
    {"3.1+git20230101.abcdef-2", "3.1+git20230101.abcdef", I | A}, /* synthetic */
    {"1.5+git20211217.ca2412c-1", "1.5+git20211217.ca2412c", I | A},
    {"0.0.1+git20161023.60.deb8c38-2", "0.0.1+git20161023.60.deb8c38", I | A},
    {"0+git20240106-3", "0+git20240106", I | A},
    {"10.0.0+r36-1", "10.0.0+r36", I | A},
    {"1.0.16+git20160519~repack0-4", "1.0.16+git20160519", I | A},
    {"1.0.1+20181105-8", "1.0.1+20181105", I},
    {"0.14.0~pre4+git20211228-5", "0.14.0~pre4+git20211228", D | I},
    {"5.0.0~beta2+git20260626.e82cd41+dfsg1-1", "5.0.0~beta2+git20260626.e82cd41", D | I},
    {"1.2.0~DEVEL+20220331-2", "1.2.0~DEVEL+20220331", I | X},
    /* post releases are real releases */
    {"0.6.0.post2-2", "0.6.0.post2", 0},
    {"1:0.11.0.post0-4", "0.11.0.post0", 0},
    {"1.0+post1-1", "1.0+post1", 0}, /* synthetic */
    {"0.13.1.+~cs2.19.16-2", "0.13.1.+~cs2.19.16", I | X},
    /* degenerate */
    {"", "", 0},
    {"1:", "", 0},
    {"-1", "", 0},

    /* Repology's own examples and the issue's */
    {"1.1.2dfsg3-1", "1.1.2dfsg3", X},
    {"1.1.2+c1-1", "1.1.2+c1", I | A},
    {"2really1-1", "2really1", X},
    {"2is1-1", "2is1", X},
    {"2.is.really.1-1", "2.is.really.1", X},
    {"1.1.2~a-1", "1.1.2~a", D},
    {"1:1.2-0~rc4-2", "1.2-0~rc4", D | I},
    {"2.1.0+dfsg~b36-1", "2.1.0~b36", D},
    {"0.1.1~r57551-2", "0.1.1~r57551", X},
    {"6.4~pre-1", "6.4~pre", D},
    {"10.2+2.0.1-dmo1", "10.2+2.0.1", I},
    {"1.5.0~rc2+git20210630+ds-2", "1.5.0~rc2+git20210630", D | I},
    {"1.2.post4+dfsg-2", "1.2.post4", 0},
    {"5.0.4+post1-1", "5.0.4+post1", 0},
    {"21.08.1+p20.04+tstable+git20210921.0023-0", "21.08.1+p20.04+tstable+git20210921.0023",
     I | X | A},
    {"0.5+revert-to-0.4.6+dfsg1-1", "0.5+revert-to-0.4.6", I | A},
    {"1.5~rc2-1", "1.5~rc2", D},
    {"2.2.46+really2.2.45-1", "2.2.46+really2.2.45", I | X | A},
    {"0~git20240102.7a9f1c2-1", "0~git20240102.7a9f1c2", I},
    {"0.11.dfsg1-1", "0.11.dfsg1", X},
};

/* Every Debian table row gives the expected version and exactly the expected flags. */
static void test_debian_table(void **state)
{
    (void)state;
    int failures = 0;
    for (size_t i = 0; i < sizeof debian_cases / sizeof debian_cases[0]; i++) {
        const vcase *c = &debian_cases[i];
        char out[256];
        unsigned flags = 0;
        size_t n = pf_normalize_version(PF_VS_DEBIAN, c->raw, out, sizeof out, &flags);
        if (strcmp(out, c->want) != 0 || flags != c->flags || n != strlen(out)) {
            print_error("%-45s -> %-35s flags %#x, want %s flags %#x\n", c->raw, out, flags,
                        c->want, c->flags);
            failures++;
        }
    }
    assert_int_equal(failures, 0);
}

/* Flags are OR-ed into *flags, never cleared. */
static void test_flags_accumulate(void **state)
{
    (void)state;
    char out[64];
    unsigned flags = PF_F_ROLLING;
    pf_normalize_version(PF_VS_DEBIAN, "1.0~rc1-1", out, sizeof out, &flags);
    assert_int_equal(flags, PF_F_ROLLING | PF_F_DEVEL);
    flags = PF_F_UNTRUSTED;
    pf_normalize_version(PF_VS_PLAIN, "1.0", out, sizeof out, &flags);
    assert_int_equal(flags, PF_F_UNTRUSTED);
    /* NULL flags pointer is allowed. */
    assert_int_equal(pf_normalize_version(PF_VS_DEBIAN, "1:1.0~rc1-1", out, sizeof out, NULL), 7);
    assert_string_equal(out, "1.0~rc1");
}

/* Version flags for the comparator from package flags. */
static unsigned vflags(unsigned pflags)
{
    return (pflags & PF_F_ANY_IS_PATCH ? PF_V_ANY_IS_PATCH : 0) |
           (pflags & PF_F_P_IS_PATCH ? PF_V_P_IS_PATCH : 0);
}

/* cmp(normalize(a), normalize(b)) with the flags normalization implied. */
static int norm_cmp(const char *a, const char *b)
{
    char na[128], nb[128];
    unsigned fa = 0, fb = 0;
    pf_normalize_version(PF_VS_DEBIAN, a, na, sizeof na, &fa);
    pf_normalize_version(PF_VS_DEBIAN, b, nb, sizeof nb, &fb);
    return pf_vercmp4(na, nb, vflags(fa), vflags(fb));
}

/* The normalized forms order as upstream releases do. */
static void test_debian_ordering(void **state)
{
    (void)state;
    assert_int_equal(norm_cmp("2.0.0~rc1-1", "2.0.0-1"), -1);
    assert_int_equal(norm_cmp("2.0.0~beta2-1", "2.0.0~rc1-1"), -1);
    assert_int_equal(norm_cmp("2.3.99~b1-1.1", "2.3.99-1"), -1);
    assert_int_equal(norm_cmp("2.0.0~rc1-1", "1.9.9-3"), 1);
    assert_int_equal(norm_cmp("1.2+dfsg-1", "1.2-7"), 0);
    assert_int_equal(norm_cmp("1:1.2-1", "2.0-1"), -1); /* epochs do not cross families */
    assert_int_equal(norm_cmp("1.5+git20211217.ca2412c-1", "1.5-1"), 1);
    assert_int_equal(norm_cmp("1.5+git20211217.ca2412c-1", "1.5.1-1"), -1);
    assert_int_equal(norm_cmp("0.6.0.post2-2", "0.6.0-1"), 1);
    assert_int_equal(norm_cmp("1.5~rc2-1", "1.5-1"), -1);
}

typedef struct scase {
    pf_vscheme scheme;
    const char *raw;
    const char *want;
} scase;

/* The one-line schemes (examples from repology-model.md §3 and real indexes). */
static void test_simple_schemes(void **state)
{
    (void)state;
    static const scase cases[] = {
        {PF_VS_ARCH, "1:1.2.8-7", "1.2.8"},
        {PF_VS_ARCH, "2.42.0-1", "2.42.0"},
        {PF_VS_ARCH, "1.0.0+r12+gabcdef-1", "1.0.0"},
        {PF_VS_ARCH, "6.6.1.arch1-1", "6.6.1.arch1"},
        {PF_VS_ARCH, "20240101", "20240101"},
        {PF_VS_ALPINE, "1.36.1-r15", "1.36.1"},
        {PF_VS_ALPINE, "3.0_git20240101-r0", "3.0_git20240101"},
        {PF_VS_ALPINE, "2.4-r", "2.4-r"},
        {PF_VS_ALPINE, "1.0", "1.0"},
        {PF_VS_FREEBSD, "1.4.0_10,3", "1.4.0"},
        {PF_VS_FREEBSD, "2.7.1,1", "2.7.1"},
        {PF_VS_FREEBSD, "0.9.5_1", "0.9.5"},
        {PF_VS_FREEBSD, "20240101", "20240101"},
        {PF_VS_PLAIN, "1:2.0-1+dfsg", "1:2.0-1+dfsg"},
        {PF_VS_RPM, "1.2.3", "1.2.3"},
        {PF_VS_HOMEBREW, "3.4_1", "3.4_1"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[64];
        unsigned flags = 0;
        size_t n = pf_normalize_version(cases[i].scheme, cases[i].raw, out, sizeof out, &flags);
        if (strcmp(out, cases[i].want) != 0)
            fail_msg("scheme %d: %s -> %s, want %s", cases[i].scheme, cases[i].raw, out,
                     cases[i].want);
        assert_int_equal(n, strlen(out));
        assert_int_equal(flags, 0);
    }
}

/* Output is truncated to outlen - 1 and always NUL-terminated; outlen 0 writes nothing. */
static void test_truncation(void **state)
{
    (void)state;
    char out[8];
    memset(out, 'z', sizeof out);
    unsigned flags = 0;
    size_t n = pf_normalize_version(PF_VS_DEBIAN, "1:12345.6789~rc1-1", out, 6, &flags);
    assert_int_equal(n, 5);
    assert_string_equal(out, "12345");
    assert_int_equal(out[6], 'z');
    assert_int_equal(flags, PF_F_DEVEL);
    n = pf_normalize_version(PF_VS_PLAIN, "abcdef", out, 1, NULL);
    assert_int_equal(n, 0);
    assert_string_equal(out, "");
    out[0] = 'q';
    n = pf_normalize_version(PF_VS_ARCH, "1.0-1", out, 0, NULL);
    assert_int_equal(n, 0);
    assert_int_equal(out[0], 'q');
    n = pf_normalize_version(PF_VS_DEBIAN, NULL, out, sizeof out, NULL);
    assert_int_equal(n, 0);
}

/* Formats map to schemes; unknown ones compare as is. */
static void test_scheme_for_format(void **state)
{
    (void)state;
    assert_int_equal(pf_vscheme_for_format("deb-sources"), PF_VS_DEBIAN);
    assert_int_equal(pf_vscheme_for_format("arch-db"), PF_VS_ARCH);
    assert_int_equal(pf_vscheme_for_format("apkindex"), PF_VS_ALPINE);
    assert_int_equal(pf_vscheme_for_format("freebsd-index"), PF_VS_FREEBSD);
    assert_int_equal(pf_vscheme_for_format("rpm-md"), PF_VS_RPM);
    assert_int_equal(pf_vscheme_for_format("nix-json"), PF_VS_NIX);
    assert_int_equal(pf_vscheme_for_format("homebrew-json"), PF_VS_HOMEBREW);
    assert_int_equal(pf_vscheme_for_format("something-else"), PF_VS_PLAIN);
    assert_int_equal(pf_vscheme_for_format(NULL), PF_VS_PLAIN);
}

typedef struct sweep {
    long n, flagged, devel, ignore, incorrect, bad;
} sweep;

/* Normalize one real record's version and check what must always hold. */
static int sweep_emit(void *ctx, const pf_record *rec)
{
    sweep *s = ctx;
    char out[512];
    unsigned flags = 0;
    size_t n = pf_normalize_version(PF_VS_DEBIAN, rec->version, out, sizeof out, &flags);
    s->n++;
    s->flagged += flags != 0;
    s->devel += (flags & PF_F_DEVEL) != 0;
    s->ignore += (flags & PF_F_IGNORE) != 0;
    s->incorrect += (flags & PF_F_INCORRECT) != 0;
    /* Never longer, never an epoch; what Repology keeps of a '~' part or a garbage word is flagged.
     */
    if (n > strlen(rec->version) || strchr(out, ':') ||
        (strchr(out, '~') && !(flags & (PF_F_DEVEL | PF_F_IGNORE | PF_F_INCORRECT))) ||
        ((strstr(out, "dfsg") || strstr(out, "really")) && !(flags & PF_F_INCORRECT))) {
        print_error("bad: %s -> %s (%#x)\n", rec->version, out, flags);
        s->bad++;
    }
    return 0;
}

/* Every version of Debian sid normalizes sanely; most need no flag at all. */
static void test_real_sid_sweep(void **state)
{
    (void)state;
    const char *path = tu_realdata("debian/sid-main-Sources.xz");
    if (!path)
        skip();
    char err[256];
    pf_reader *r = pf_reader_open_path(path, 0, err, sizeof err);
    assert_non_null(r);
    sweep s = {0};
    assert_int_equal(
        pf_parse_deb_sources(r, NULL, sweep_emit, &s, &(pf_parse_stats){0, 0}, err, sizeof err), 0);
    pf_reader_close(r);
    printf("# sid: %ld versions, %ld flagged (devel %ld, ignore %ld, incorrect %ld)\n", s.n,
           s.flagged, s.devel, s.ignore, s.incorrect);
    assert_int_equal(s.n, 42990);
    assert_int_equal(s.bad, 0);
    assert_true(s.flagged < s.n / 10);
    assert_true(s.devel > 100);
    assert_true(s.ignore > 1000);
    assert_true(s.incorrect > 100);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_debian_table),    cmocka_unit_test(test_flags_accumulate),
        cmocka_unit_test(test_debian_ordering), cmocka_unit_test(test_simple_schemes),
        cmocka_unit_test(test_truncation),      cmocka_unit_test(test_scheme_for_format),
        cmocka_unit_test(test_real_sid_sweep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
