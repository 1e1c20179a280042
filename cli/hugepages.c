/*
 * hugepages.c — run with the heap on transparent huge pages.
 *
 * A crawl and an analysis touch a few hundred MB of freshly allocated
 * memory (decoder buffers, record chunks, the analysis' arrays, SQLite's
 * page cache), and every 4 KiB page of it costs a page fault on first touch:
 * 57k faults for Debian unstable + 13 + nixpkgs crawled and analyzed, about
 * a sixth of the process' CPU time on this kind of virtual machine. glibc
 * (2.35 and later) backs its heap with huge pages when the tunable
 * glibc.malloc.hugetlb=1 is set, which cuts that to 17k faults (CPU 5.6 s ->
 * 4.7 s). Tunables are read only when a process starts, so main() re-executes
 * the binary once with the tunable added, for the commands that allocate that
 * much (crawl, analyze, site: the flag `big` in main.c's command table, and
 * bench/gen_db, which runs crawls and analyses of a 5 M-package universe);
 * the queries are not worth the second start (about 5 ms of dynamic linking).
 * Nothing happens when the user set
 * GLIBC_TUNABLES (theirs are kept as they are), under valgrind (whose
 * preloaded allocator would not follow the new process), in sanitizer builds
 * (their allocator ignores the tunable), or when /proc/self/exe cannot be
 * executed: the program then simply runs on with 4 KiB pages.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define PF_SANITIZED 1
#else
#define PF_SANITIZED 0
#endif

/* Re-execute once with glibc.malloc.hugetlb=1; returns only when that is
 * not wanted or not possible. PKGFRESH_HUGEPAGES=0 turns it off. */
void pf_cli_hugepages(char **argv)
{
    const char *pre = getenv("LD_PRELOAD"), *want = getenv("PKGFRESH_HUGEPAGES");
    if (PF_SANITIZED || getenv("GLIBC_TUNABLES") || (want && strcmp(want, "0") == 0) ||
        (pre && strstr(pre, "vgpreload")))
        return;
    if (setenv("GLIBC_TUNABLES", "glibc.malloc.hugetlb=1", 1) != 0)
        return;
    execv("/proc/self/exe", argv);
    unsetenv("GLIBC_TUNABLES"); /* not executed: carry on as we are */
}
