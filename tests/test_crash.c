/*
 * test_crash.c — crash safety of the database: `pkgfresh crawl` and
 * `pkgfresh analyze` are killed with SIGKILL at many points (during a slow
 * loopback download, while a big generated Sources file is parsed and
 * stored, while analysis writes), and after every kill the database must be
 * whole (PRAGMA integrity_check = ok, read with the sqlite3 API), serve the
 * last committed snapshot (never a mix), and accept the next crawl. Also:
 * two crawls of one database at once, and queries while analyze writes.
 *
 * The number of kills that landed (the process died of SIGKILL, not of old
 * age) is printed per phase; docs/reliability.md quotes it.
 */
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "httpd.h"
#include "testutil.h"

#define N_OLD 60000L /* packages in the committed snapshot */
#define N_NEW 60007L /* packages in the file the killed crawls parse */

typedef struct cfx {
    char dir[512], db[600], mirror[600];
    char old_src[700], new_src[700];
    tu_httpd *srv;
    char *b_gz;
    size_t b_len;
    int kills;      /* SIGKILLs that hit a running process, all phases */
    double crawl_s; /* wall time of one whole --from crawl of the big file */
} cfx;

/* Monotonic seconds. */
static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Sleep for s seconds. */
static void sleep_s(double s)
{
    struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    nanosleep(&ts, NULL);
}

/* Build the pkgfresh argv for the test database + args (NULL-terminated list). */
static void make_argv(cfx *t, char **argv, size_t max, va_list ap)
{
    const char *fixed[] = {
        tu_pkgfresh(), "--db",   t->db, "--catalog", tu_fixture("hostile/catalog.yaml"),
        "--mirror",    t->mirror};
    size_t n = 0;
    for (; n < 7; n++)
        argv[n] = (char *)fixed[n];
    const char *a;
    while (n < max - 1 && (a = va_arg(ap, const char *)) != NULL)
        argv[n++] = (char *)a;
    argv[n] = NULL;
}

/* Start pkgfresh with args (NULL-terminated), output to files "<tag>.out/.err" in the test dir. */
static pid_t spawn(cfx *t, const char *tag, ...)
{
    char *argv[40], po[700], pe[700];
    va_list ap;
    va_start(ap, tag);
    make_argv(t, argv, 40, ap);
    va_end(ap);
    snprintf(po, sizeof po, "%s/%s.out", t->dir, tag);
    snprintf(pe, sizeof pe, "%s/%s.err", t->dir, tag);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (!freopen("/dev/null", "r", stdin) || !freopen(po, "w", stdout) ||
            !freopen(pe, "w", stderr))
            _exit(126);
        execv(argv[0], argv);
        _exit(127);
    }
    return pid;
}

/* Wait for pid (at most limit_s, then fail); exit status or 128+signal. */
static int wait_limited(pid_t pid, double limit_s)
{
    double t0 = mono();
    int st = 0;
    while (waitpid(pid, &st, WNOHANG) == 0) {
        if (mono() - t0 > limit_s) {
            kill(pid, SIGKILL);
            waitpid(pid, &st, 0);
            fail_msg("pkgfresh did not finish within %.0f s", limit_s);
        }
        usleep(5000);
    }
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Text of "<tag>.err" (malloc'd). */
static char *tag_err(cfx *t, const char *tag)
{
    char p[700];
    snprintf(p, sizeof p, "%s/%s.err", t->dir, tag);
    char *s = tu_slurp(p, NULL);
    assert_non_null(s);
    return s;
}

/* Run to completion; fail unless the exit status is 0. */
static void run_ok(cfx *t, const char *tag, ...)
{
    char *argv[40], po[700], pe[700];
    va_list ap;
    va_start(ap, tag);
    make_argv(t, argv, 40, ap);
    va_end(ap);
    snprintf(po, sizeof po, "%s/%s.out", t->dir, tag);
    snprintf(pe, sizeof pe, "%s/%s.err", t->dir, tag);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (!freopen("/dev/null", "r", stdin) || !freopen(po, "w", stdout) ||
            !freopen(pe, "w", stderr))
            _exit(126);
        execv(argv[0], argv);
        _exit(127);
    }
    int rc = wait_limited(pid, 120);
    if (rc != 0) {
        char *e = tag_err(t, tag);
        fail_msg("%s: exit %d: %s", tag, rc, e);
    }
}

/* Kill pid with SIGKILL after `delay` seconds; returns 1 if it was still running. */
static int kill_after(pid_t pid, double delay)
{
    sleep_s(delay);
    int landed = kill(pid, SIGKILL) == 0;
    int st = 0;
    waitpid(pid, &st, 0);
    return landed && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL;
}

/* PRAGMA integrity_check must say "ok" (sqlite3 API, read-only). */
static void assert_integrity(cfx *t)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(t->db, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    sqlite3_busy_timeout(db, 10000);
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    const char *v = (const char *)sqlite3_column_text(s, 0);
    if (!v || strcmp(v, "ok") != 0)
        fail_msg("integrity_check: %s", v ? v : "(null)");
    sqlite3_finalize(s);
    sqlite3_close(db);
}

/* Packages of test_bad in the database (sqlite3 API). */
static long db_count(cfx *t)
{
    return (long)tu_sql_int(t->db, "SELECT count(*) FROM package p JOIN repository r"
                                   " ON r.id = p.repository_id WHERE r.name = 'test_bad'");
}

/* Packages of test_bad as `pkgfresh packages` serves them. */
static long cli_count(cfx *t)
{
    run_ok(t, "count", "packages", "test_bad", "--format", "csv", NULL);
    char p[700];
    snprintf(p, sizeof p, "%s/count.out", t->dir);
    size_t len;
    char *s = tu_slurp(p, &len);
    assert_non_null(s);
    long n = -1;
    for (size_t i = 0; i < len; i++)
        n += s[i] == '\n';
    free(s);
    return n;
}

/* A deb822 Sources file of n packages (real field layout, ~150 bytes each). */
static void write_sources(const char *path, long n)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    for (long i = 0; i < n; i++)
        fprintf(fp,
                "Package: pkg%06ld\nBinary: pkg%06ld, libpkg%06ld-dev\nVersion: %ld:1.%ld.%ld-%ld\n"
                "Maintainer: Team %ld <team%ld@example.org>\nSection: misc\n"
                "Homepage: https://example.org/%ld\n\n",
                i, i, i, i % 3, i % 977, i % 13, i % 5 + 1, i % 50, i % 50, i);
    assert_int_equal(fclose(fp), 0);
}

/* Server, files, and the committed snapshot of N_OLD packages. */
static int setup(void **state)
{
    cfx *t = calloc(1, sizeof *t);
    assert_non_null(t);
    snprintf(t->dir, sizeof t->dir, "%s", tu_tmpdir("crash"));
    snprintf(t->db, sizeof t->db, "%s/pkgfresh.db", t->dir);
    snprintf(t->old_src, sizeof t->old_src, "%s/old.Sources", t->dir);
    snprintf(t->new_src, sizeof t->new_src, "%s/new.Sources", t->dir);
    t->srv = tu_httpd_start();
    assert_non_null(t->srv);
    snprintf(t->mirror, sizeof t->mirror, "test=%s", tu_httpd_url(t->srv, ""));
    t->b_gz = tu_slurp(tu_fixture("e2e/b.Sources.gz"), &t->b_len);
    assert_non_null(t->b_gz);
    write_sources(t->old_src, N_OLD);
    write_sources(t->new_src, N_NEW);
    setenv("PKGFRESH_NOW", "1764064800", 1);
    double t0 = mono();
    run_ok(t, "base", "crawl", "test_bad", "--from", t->old_src, "--no-analyze", NULL);
    t->crawl_s = mono() - t0;
    assert_int_equal(db_count(t), N_OLD);
    *state = t;
    return 0;
}

/* Report the kill total, stop the server. */
static int teardown(void **state)
{
    cfx *t = *state;
    if (!t) /* setup failed */
        return 0;
    print_message("    kills that landed, all phases: %d\n", t->kills);
    tu_httpd_stop(t->srv);
    free(t->b_gz);
    free(t);
    return 0;
}

/* Kill crawls while they parse and store 60k packages: old or new snapshot, never a mix. */
static void test_kill_during_store(void **state)
{
    cfx *t = *state;
    int landed = 0, saw_old = 0, saw_new = 0;
    /* Delays spread evenly over one measured crawl (startup, parse, store, commit). */
    /* Until 20 kills landed (at most 40 tries: a fast machine may finish first). */
    for (int i = 0; landed < 20 && i < 40; i++) {
        pid_t pid =
            spawn(t, "kill-store", "crawl", "test_bad", "--from", t->new_src, "--no-analyze", NULL);
        landed += kill_after(pid, 0.03 + t->crawl_s * 0.95 * (i % 20) / 19.0);
        assert_integrity(t);
        long n = db_count(t);
        if (n != N_OLD && n != N_NEW)
            fail_msg("kill %d: %ld packages, neither the old nor the new snapshot", i, n);
        saw_old += n == N_OLD;
        saw_new += n == N_NEW;
        if (n == N_NEW) /* it committed before the kill: put the old snapshot back */
            run_ok(t, "restore", "crawl", "test_bad", "--from", t->old_src, "--no-analyze", NULL);
    }
    print_message("    store phase: %d kills landed over a %.2f s crawl (%d left the old snapshot, "
                  "%d had committed)\n",
                  landed, t->crawl_s, saw_old, saw_new);
    t->kills += landed;
    assert_true(landed >= 12);
    assert_true(saw_old >= 1);
    assert_int_equal(cli_count(t), N_OLD);
    run_ok(t, "after-store", "crawl", "test_bad", "--from", t->new_src, "--no-analyze", NULL);
    assert_int_equal(cli_count(t), N_NEW);
    assert_integrity(t);
}

/* Kill crawls during a slow download (one byte every 3 ms): nothing in the db changes. */
static void test_kill_during_download(void **state)
{
    cfx *t = *state;
    tu_route slow = {
        .path = "/bad/Sources.gz", .body = t->b_gz, .body_len = t->b_len, .drip_ms = 3};
    tu_httpd_route(t->srv, &slow);
    long before = db_count(t);
    int landed = 0;
    for (int i = 0; i < 6; i++) {
        pid_t pid = spawn(t, "kill-dl", "crawl", "test_bad", NULL);
        landed += kill_after(pid, 0.1 + 0.15 * i);
        assert_integrity(t);
        assert_int_equal(db_count(t), before);
    }
    print_message("    download phase: %d kills landed\n", landed);
    t->kills += landed;
    assert_int_equal(landed, 6);
    /* the next crawl gets the whole body and replaces the snapshot */
    run_ok(t, "after-dl", "crawl", "test_bad", "--format", "csv", NULL);
    assert_int_equal(cli_count(t), 7);
    assert_integrity(t);
    run_ok(t, "back", "crawl", "test_bad", "--from", t->old_src, "--no-analyze", NULL);
}

/* Kill analyze at varied points: the database stays whole and stats still answer.
 * Full analyses (--full): after the first one, a plain analyze with nothing
 * changed is incremental and over before most kills. */
static void test_kill_during_analyze(void **state)
{
    cfx *t = *state;
    /* One whole analysis first: its length spaces the kills. */
    double t0 = mono();
    run_ok(t, "analyze-whole", "analyze", "--full", NULL);
    double whole = mono() - t0;
    int landed = 0;
    for (int i = 0; landed < 8 && i < 16; i++) {
        pid_t pid = spawn(t, "kill-an", "analyze", "--full", NULL);
        landed += kill_after(pid, 0.03 + whole * 0.6 * (i % 8) / 7.0);
        assert_integrity(t);
        assert_int_equal(db_count(t), N_OLD);
        run_ok(t, "stats-after-kill", "stats", "--format", "csv", NULL);
    }
    print_message("    analyze phase: %d kills landed (one analysis takes %.2f s)\n", landed,
                  whole);
    t->kills += landed;
    assert_true(landed >= 4);
    run_ok(t, "analyze-after", "analyze", NULL);
    assert_integrity(t);
    assert_int_equal(cli_count(t), N_OLD);
}

/* Two crawls of one database at once: both succeed (the second waits) or one says why. */
static void test_concurrent_crawls(void **state)
{
    cfx *t = *state;
    pid_t a = spawn(t, "conc-a", "crawl", "test_bad", "--from", t->new_src, "--no-analyze", NULL);
    pid_t b = spawn(t, "conc-b", "crawl", "test_bad", "--from", t->old_src, "--no-analyze", NULL);
    int ra = wait_limited(a, 120), rb = wait_limited(b, 120);
    const char *tags[2] = {"conc-a", "conc-b"};
    int rcs[2] = {ra, rb};
    for (int i = 0; i < 2; i++) {
        char *e = tag_err(t, tags[i]);
        if (rcs[i] != 0 && !strstr(e, "locked") && !strstr(e, "busy"))
            fail_msg("%s: exit %d without a clear message: %s", tags[i], rcs[i], e);
        free(e);
    }
    assert_true(ra == 0 || rb == 0);
    assert_integrity(t);
    long n = db_count(t);
    assert_true(n == N_OLD || n == N_NEW);
    print_message("    concurrent crawls: exit %d and %d, %ld packages after\n", ra, rb, n);
}

/* stats and packages queries while analyze writes: every query answers, no error text. */
static void test_queries_during_analyze(void **state)
{
    cfx *t = *state;
    pid_t an = spawn(t, "an-bg", "analyze", NULL);
    int queries = 0, st = 0;
    double t0 = mono();
    while (waitpid(an, &st, WNOHANG) == 0) {
        if (mono() - t0 > 120) {
            kill(an, SIGKILL);
            waitpid(an, &st, 0);
            fail_msg("analyze did not finish");
        }
        run_ok(t, "q-stats", "stats", "--format", "csv", NULL);
        char *e = tag_err(t, "q-stats");
        assert_null(strstr(e, "error"));
        assert_null(strstr(e, "locked"));
        free(e);
        queries++;
    }
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    print_message("    %d stats queries answered while analyze ran\n", queries);
    assert_true(queries >= 1);
    assert_integrity(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kill_during_store),      cmocka_unit_test(test_kill_during_download),
        cmocka_unit_test(test_kill_during_analyze),    cmocka_unit_test(test_concurrent_crawls),
        cmocka_unit_test(test_queries_during_analyze),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
