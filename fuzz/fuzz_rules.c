/*
 * fuzz_rules.c — libFuzzer harness for the rule loader (rules.h). The input
 * is written as the one file "rules.yaml" of a private temporary directory
 * (created once per process, removed at exit) and loaded with
 * pf_rules_load; a loaded ruleset is applied to one sample package, so the
 * compiled patterns run too. Differential: whenever the fast YAML reader
 * (analyzer/rules_yaml.c) reads the input, its events must be libyaml's.
 */
#include <stdlib.h>
#include <unistd.h>

#include "../analyzer/rules.h"
#include "fuzz.h"
#include "pkgfresh/rules.h"

/* The per-process directory and file the input is written to. */
typedef struct fz_dir {
    char dir[64];
    char file[96];
} fz_dir;

static fz_dir *fz_state(void);

/* Remove the file and directory at exit. */
static void fz_cleanup(void)
{
    fz_dir *d = fz_state();
    unlink(d->file);
    rmdir(d->dir);
}

/* Lazily created temp dir (static: one per fuzzing process). */
static fz_dir *fz_state(void)
{
    static fz_dir d;
    if (!d.dir[0]) {
        snprintf(d.dir, sizeof d.dir, "/tmp/pkgfresh-fuzz-rules.XXXXXX");
        if (!mkdtemp(d.dir))
            fz_fail("mkdtemp");
        snprintf(d.file, sizeof d.file, "%s/rules.yaml", d.dir);
        atexit(fz_cleanup);
    }
    return &d;
}

/* The fast YAML reader, when it reads data, gives libyaml's events. */
static void fz_yaml_agrees(const uint8_t *data, size_t size)
{
    pfr_ystream f = {0}, l = {0};
    if (pfr_yaml_fast(&f, (const char *)data, size) == 1) {
        if (pfr_yaml_libyaml(&l, (const char *)data, size) < 0 || f.nev != l.nev)
            fz_fail("fast YAML reader: other events than libyaml's");
        for (size_t i = 0; i < f.nev; i++)
            if (!pfr_yev_same(&f, i, &l, i))
                fz_fail("fast YAML reader: an event differs from libyaml's");
    }
    pfr_ystream_free(&f);
    pfr_ystream_free(&l);
}

/* One input: compare the YAML readers, write it, load the directory, apply to one package. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_yaml_agrees(data, size);
    fz_dir *d = fz_state();
    FILE *fp = fopen(d->file, "wb");
    if (!fp)
        fz_fail("cannot write the rules file");
    if (size && fwrite(data, 1, size, fp) != size)
        fz_fail("short write");
    fclose(fp);
    char err[512] = "";
    pf_rules *r = pf_rules_load(d->dir, err, sizeof err);
    if (!r) {
        if (!err[0])
            fz_fail("rules load failed without a message");
        return 0;
    }
    for (size_t i = 0; i < pf_rules_nwarnings(r); i++)
        fz_touch(pf_rules_warning(r, i));
    static const char *const sets[] = {"debuntu", "debian"};
    pf_rpkg p;
    memset(&p, 0, sizeof p);
    snprintf(p.name, sizeof p.name, "python-requests");
    snprintf(p.version, sizeof p.version, "2.31.0");
    p.repo = "debian_unstable";
    p.family = "debuntu";
    p.rulesets = sets;
    p.nrulesets = 2;
    p.srcname = "requests";
    p.binnames = "python3-requests";
    p.category = "python";
    p.homepage = "https://requests.readthedocs.io/";
    p.maintainers = "team@example.org";
    p.summary = "HTTP library";
    pf_rules_trace t;
    pf_rules_apply_trace(r, &p, &t);
    if (!memchr(p.name, 0, sizeof p.name) || !memchr(p.version, 0, sizeof p.version) ||
        !memchr(p.flavor, 0, sizeof p.flavor) || !memchr(p.branch, 0, sizeof p.branch))
        fz_fail("output field not terminated");
    pf_rules_free(r);
    return 0;
}
