/*
 * cmd_vercmp.c — `pkgfresh vercmp`: compare two versions, or a stream of
 * TAB-separated pairs on stdin, with the same rules the analyzer uses.
 *
 * The stdin mode is built for millions of lines: one growable read buffer
 * (lines are split in place, never copied or allocated), a fixed output
 * buffer flushed with fwrite, and counted-string comparisons.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "opts.h"
#include "pkgfresh/version.h"

enum { VC_INBUF = 1 << 20, VC_OUTBUF = 1 << 16 };

/* Sign character for a comparison result. */
static char vc_sign(int r)
{
    return r < 0 ? '<' : r > 0 ? '>' : '=';
}

/* Parse a --flags-* value, naming the option on failure; 0 or -1. */
static int vc_flags_opt(const char *opt, const char *list, unsigned *out)
{
    if (pf_vflags_parse(list, out) == 0)
        return 0;
    pf_err("vercmp: %s: bad flag list '%s' (comma list of p_is_patch, any_is_patch, "
           "lower_bound, upper_bound, or -)",
           opt, list);
    return -1;
}

/* Output buffer for the stdin mode. Invariant: len <= VC_OUTBUF. */
typedef struct vc_out {
    char buf[VC_OUTBUF];
    size_t len;
    int failed; /* a write to stdout failed */
} vc_out;

/* Write the buffered signs to stdout. */
static void vc_flush(vc_out *o)
{
    if (o->len && fwrite(o->buf, 1, o->len, stdout) != o->len)
        o->failed = 1;
    o->len = 0;
}

/*
 * Compare one line (NUL-terminated at `end`, without its newline) in place.
 * Tabs are overwritten with NULs so the flag fields become C strings.
 * Returns the sign character, or 0 after printing an error naming lineno.
 */
static char vc_line(char *s, char *end, long lineno, unsigned dfa, unsigned dfb)
{
    if (end > s && end[-1] == '\r')
        *--end = '\0';
    char *f[4], *p = s;
    int nf = 1;
    f[0] = s;
    while ((p = memchr(p, '\t', (size_t)(end - p))) != NULL) {
        if (nf == 4) {
            nf = 5; /* too many: stop counting */
            break;
        }
        *p++ = '\0';
        f[nf++] = p;
    }
    if (nf != 2 && nf != 4) {
        pf_err("vercmp: line %ld: expected A<TAB>B or A<TAB>B<TAB>FLAGS_A<TAB>FLAGS_B, "
               "got %s",
               lineno,
               nf == 1   ? "no TAB"
               : nf == 3 ? "3 fields"
                         : "more than 4 fields");
        return 0;
    }
    unsigned fa = dfa, fb = dfb;
    size_t alen = (size_t)(f[1] - 1 - f[0]); /* f[1] - 1 is the TAB, now NUL */
    size_t blen = (size_t)((nf == 2 ? end : f[2] - 1) - f[1]);
    if (nf == 4) {
        const char *bad = pf_vflags_parse(f[2], &fa) != 0   ? f[2]
                          : pf_vflags_parse(f[3], &fb) != 0 ? f[3]
                                                            : NULL;
        if (bad) {
            pf_err("vercmp: line %ld: bad flag list '%s' (comma list of p_is_patch, "
                   "any_is_patch, lower_bound, upper_bound, or -)",
                   lineno, bad);
            return 0;
        }
    }
    return vc_sign(pf_vercmp_n(f[0], alen, f[1], blen, fa, fb));
}

/*
 * Stream stdin: one sign per input line. Lines are found with memchr in a
 * buffer that starts at 1 MiB and only grows for a line longer than it.
 * Returns the exit code.
 */
static int vc_stream(unsigned dfa, unsigned dfb)
{
    size_t cap = VC_INBUF, start = 0, end = 0;
    char *buf = malloc(cap + 1); /* +1: room for the NUL after a last unterminated line */
    vc_out *out = malloc(sizeof *out);
    int rc = PF_EXIT_OK, eof = 0;
    long lineno = 0;
    if (!buf || !out) {
        pf_err("vercmp: out of memory");
        free(buf);
        free(out);
        return PF_EXIT_PARTIAL;
    }
    out->len = 0;
    out->failed = 0;
    while (rc == PF_EXIT_OK) {
        char *nl = memchr(buf + start, '\n', end - start);
        if (!nl) {
            if (eof) {
                if (start == end)
                    break;
                nl = buf + end; /* last line without a newline; buf has cap + 1 bytes */
            } else {
                /* keep the partial line, grow only if it fills the buffer */
                memmove(buf, buf + start, end - start);
                end -= start;
                start = 0;
                if (end == cap) {
                    char *nb = realloc(buf, 2 * cap + 1);
                    if (!nb) {
                        pf_err("vercmp: line %ld: out of memory for a %zu-byte line", lineno + 1,
                               end);
                        rc = PF_EXIT_PARTIAL;
                        break;
                    }
                    buf = nb;
                    cap *= 2;
                }
                ssize_t r = read(STDIN_FILENO, buf + end, cap - end);
                if (r < 0) {
                    if (errno == EINTR)
                        continue;
                    pf_err("vercmp: reading stdin: %s", strerror(errno));
                    rc = PF_EXIT_PARTIAL;
                    break;
                }
                if (r == 0)
                    eof = 1;
                end += (size_t)r;
                continue;
            }
        }
        *nl = '\0';
        lineno++;
        char c = vc_line(buf + start, nl, lineno, dfa, dfb);
        if (!c) {
            rc = PF_EXIT_USAGE;
            break;
        }
        if (out->len + 2 > VC_OUTBUF)
            vc_flush(out);
        out->buf[out->len++] = c;
        out->buf[out->len++] = '\n';
        start = nl == buf + end ? end : (size_t)(nl - buf) + 1;
    }
    vc_flush(out);
    if (fflush(stdout) != 0 || out->failed) {
        pf_err("vercmp: writing stdout: %s", strerror(errno));
        if (rc == PF_EXIT_OK)
            rc = PF_EXIT_PARTIAL;
    }
    free(buf);
    free(out);
    return rc;
}

/* `pkgfresh vercmp [--flags-a L] [--flags-b L] A B` or `pkgfresh vercmp -`. */
int cmd_vercmp(pf_cli *cli, int argc, char **argv)
{
    (void)cli;
    const char *flags_a = NULL, *flags_b = NULL;
    const pf_opt opts[] = {
        {"flags-a", 0, PF_OPT_STR, &flags_a, "LIST", "flags for A (comma list, see below)"},
        {"flags-b", 0, PF_OPT_STR, &flags_b, "LIST", "flags for B"},
        {NULL, 0, PF_OPT_FLAG, NULL, NULL, NULL},
    };
    const pf_cmdspec spec = {
        "vercmp",
        "[--flags-a LIST] [--flags-b LIST] A B | -",
        "Compare two versions with pkgfresh's rules (libversion semantics) and print\n"
        "'<', '=' or '>': the sign of A compared with B.",
        "Flags (per argument, comma-separated, case-insensitive; '-' = none):\n"
        "  p_is_patch    a lone 'p' means patch (post-release): 1.0p1 > 1.0\n"
        "  any_is_patch  unknown words are post-release: 1.0foo1 > 1.0\n"
        "  lower_bound   lowest version with this prefix (1.0 lower_bound < 1.0alpha1)\n"
        "  upper_bound   highest version with this prefix (1.0.9 < 1.0 upper_bound)\n"
        "\n"
        "With '-' instead of A B, read lines 'A<TAB>B' or 'A<TAB>B<TAB>FLAGS_A<TAB>FLAGS_B'\n"
        "from stdin and print one sign per line. --flags-a/--flags-b apply to lines\n"
        "without flag fields. A malformed line stops with exit status 2.\n"
        "Every byte other than A-Z a-z 0-9 is a separator, so strip epochs ('1:')\n"
        "and distro revisions ('-3') first if they should not count.\n"
        "Use '--' before a version starting with '-'.\n"
        "\n"
        "Examples:\n"
        "  pkgfresh vercmp 1.0 1.0.0                       =\n"
        "  pkgfresh vercmp 2.0.0~rc1 2.0.0                 <\n"
        "  pkgfresh vercmp 1.0a 1.0.1                      >\n"
        "  pkgfresh vercmp --flags-a p_is_patch 1.0p1 1.0  >\n"
        "  pkgfresh vercmp --flags-b upper_bound 1.0.5 1.0 <\n"
        "  printf '1.0\\t1.1\\n1.0p1\\t1.0\\tp_is_patch\\t-\\n' | pkgfresh vercmp -",
        opts,
    };
    const char *pos[2];
    int npos = pf_opts_parse(&spec, argc, argv, pos, 2);
    if (npos == -2)
        return PF_EXIT_OK;
    if (npos < 0)
        return PF_EXIT_USAGE;
    unsigned fa = 0, fb = 0;
    if ((flags_a && vc_flags_opt("--flags-a", flags_a, &fa) != 0) ||
        (flags_b && vc_flags_opt("--flags-b", flags_b, &fb) != 0))
        return PF_EXIT_USAGE;
    if (npos == 1 && strcmp(pos[0], "-") == 0)
        return vc_stream(fa, fb);
    if (npos != 2) {
        pf_err("vercmp: want two versions A B, or '-' to read pairs from stdin "
               "(see 'pkgfresh vercmp --help')");
        return PF_EXIT_USAGE;
    }
    if (printf("%c\n", vc_sign(pf_vercmp4(pos[0], pos[1], fa, fb))) < 0 || fflush(stdout) != 0) {
        pf_err("vercmp: writing stdout: %s", strerror(errno));
        return PF_EXIT_PARTIAL;
    }
    return PF_EXIT_OK;
}
