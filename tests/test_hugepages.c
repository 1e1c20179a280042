/*
 * test_hugepages.c — the binary re-executes itself once with glibc's heap on
 * transparent huge pages (cli/hugepages.c), and only when it should.
 *
 * The process under test crawls from a FIFO, so it waits, after main() has
 * started, until this test opens the other end; the test then reads the
 * environment the kernel holds for it (/proc/PID/environ), which is the one
 * the last execve gave it.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SANITIZED 1
#else
#define SANITIZED 0
#endif

/* Run `pkgfresh crawl` from a FIFO with GLIBC_TUNABLES / PKGFRESH_HUGEPAGES
 * as given (NULL: unset); return the process' GLIBC_TUNABLES once it has
 * opened the FIFO (malloc'd; NULL when it has none). */
static char *tunables_of_run(const char *tunables, const char *hugepages)
{
    const char *dir = tu_tmpdir("hugepages");
    char fifo[600], db[600];
    snprintf(fifo, sizeof fifo, "%s/Sources", dir);
    snprintf(db, sizeof db, "%s/pkgfresh.db", dir);
    unlink(fifo);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (tunables)
            setenv("GLIBC_TUNABLES", tunables, 1);
        else
            unsetenv("GLIBC_TUNABLES");
        if (hugepages)
            setenv("PKGFRESH_HUGEPAGES", hugepages, 1);
        else
            unsetenv("PKGFRESH_HUGEPAGES");
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 2);
        execl(tu_pkgfresh(), "pkgfresh", "-q", "--db", db, "crawl", "debian_13", "--from", fifo,
              "--no-analyze", (char *)NULL);
        _exit(127);
    }
    int w = open(fifo, O_WRONLY); /* returns once the crawl has opened it */
    assert_true(w >= 0);
    char path[64], env[65536];
    snprintf(path, sizeof path, "/proc/%d/environ", (int)pid);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t n = fread(env, 1, sizeof env - 1, f);
    fclose(f);
    env[n] = 0;
    close(w); /* end of input: the crawl finishes */
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFEXITED(st));
    char *found = NULL;
    for (size_t i = 0; i < n; i += strlen(env + i) + 1)
        if (strncmp(env + i, "GLIBC_TUNABLES=", 15) == 0)
            found = strdup(env + i + 15);
    unlink(fifo);
    return found;
}

/* By default the program runs with glibc.malloc.hugetlb=1 (not in sanitizer
 * builds, whose allocator does not read it). */
static void test_default_reexecutes(void **state)
{
    (void)state;
    char *t = tunables_of_run(NULL, NULL);
    if (SANITIZED)
        assert_null(t);
    else {
        assert_non_null(t);
        assert_string_equal(t, "glibc.malloc.hugetlb=1");
    }
    free(t);
}

/* The user's own GLIBC_TUNABLES are kept exactly. */
static void test_user_tunables_kept(void **state)
{
    (void)state;
    char *t = tunables_of_run("glibc.malloc.perturb=0", NULL);
    assert_non_null(t);
    assert_string_equal(t, "glibc.malloc.perturb=0");
    free(t);
}

/* PKGFRESH_HUGEPAGES=0 turns it off. */
static void test_off_switch(void **state)
{
    (void)state;
    char *t = tunables_of_run(NULL, "0");
    assert_null(t);
    free(t);
}

int main(void)
{
    const char *pre = getenv("LD_PRELOAD");
    if (pre && strstr(pre, "vgpreload")) { /* children run under valgrind: no re-execution */
        printf("test_hugepages: skipped under valgrind\n");
        return 0;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_reexecutes),
        cmocka_unit_test(test_user_tunables_kept),
        cmocka_unit_test(test_off_switch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
