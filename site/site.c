/*
 * site.c — pf_site_write: load the model, write every page kind into the
 * staging tree, swap it into place. The order does not matter for the
 * result (each page kind only reads the model); a failure anywhere leaves
 * the previous site as it was.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "internal.h"
#include "pkgfresh/utctime.h"

/* Monotonic seconds. */
static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU seconds of the process so far (user + system). */
static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Write the whole site (see site.h). */
int pf_site_write(pf_store *st, const pf_site_opts *o, pf_site_result *res, char *err,
                  size_t errlen)
{
    double t0 = now_s();
    site s;
    site_tree tree;
    memset(&s, 0, sizeof s);
    memset(res, 0, sizeof *res);
    s.st = st;
    s.o = o;
    s.tree = &tree;
    s.title = o->title && *o->title ? o->title : "Package freshness";
    int rc = -1;
    if (tree_open(&tree, o->out) != 0) {
        snprintf(err, errlen, "%s", tree.err);
        tree_free(&tree);
        return -1;
    }
    if (model_load(&s) != 0)
        goto done;
    if (o->verbose)
        fprintf(stderr, "pkgfresh: site: model %.2f s (CPU %.2f s)\n", now_s() - t0, cpu_s());
    if (s.nrepos == 0) {
        snprintf(s.err, sizeof s.err, "no analyzed repository to show (run 'pkgfresh analyze')");
        goto done;
    }
    pf_utc_format(s.taken, PF_UTC_DATE, s.date, sizeof s.date);
    static const char *const names[] = {"static files", "index",    "repositories",
                                        "maintainers",  "projects", "compare",
                                        "search",       "feeds",    "badges"};
    int (*const pages[])(site *) = {ui_static,  ui_index,  ui_repo, ui_maint, ui_project,
                                    ui_compare, ui_search, ui_feed, ui_badges};
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        double tp = now_s();
        if (pages[i](&s) != 0)
            goto done;
        if (o->verbose)
            fprintf(stderr, "pkgfresh: site: %s %.2f s (CPU so far %.2f s)\n", names[i],
                    now_s() - tp, cpu_s());
    }
    double tc = now_s();
    if (tree_commit(&tree) != 0) {
        snprintf(s.err, sizeof s.err, "%s", tree.err);
        goto done;
    }
    if (o->verbose)
        fprintf(stderr, "pkgfresh: site: swap and remove the previous site %.2f s (CPU %.2f s)\n",
                now_s() - tc, cpu_s());
    res->files = tree.files;
    res->written = tree.written;
    res->unchanged = tree.unchanged;
    res->bytes = tree.bytes;
    res->largest_page = tree.largest_page;
    snprintf(res->largest_name, sizeof res->largest_name, "%s", tree.largest_name);
    res->repositories = (long)s.nrepos;
    res->maintainers = (long)s.nmaints;
    for (size_t i = 0; i < s.nprojects; i++)
        res->projects += s.projects[i].has_page;
    for (size_t i = 0; i < o->npairs; i++) {
        int a = model_repo(&s, o->pairs[i].a), b = model_repo(&s, o->pairs[i].b);
        res->compares += a >= 0 && b >= 0 && a != b;
    }
    rc = 0;
done:
    if (rc != 0)
        snprintf(err, errlen, "%s", s.err[0] ? s.err : "failed");
    tree_free(&tree);
    model_free(&s);
    h_free(&s.page);
    res->seconds = now_s() - t0;
    return rc;
}
