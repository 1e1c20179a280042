/*
 * fuzz_catalog.c — libFuzzer harness for pf_catalog_load_text (catalog.h).
 * The input is one YAML catalog (not NUL-terminated: the loader is given
 * the length). On success every repository must have its required fields
 * and every source URL must expand or fail with a message.
 */
#include "fuzz.h"
#include "pkgfresh/catalog.h"

/* One input: load, walk, expand, free. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pf_catalog cat;
    memset(&cat, 0, sizeof cat);
    char err[512] = "";
    char *text = malloc(size ? size : 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    if (pf_catalog_load_text(&cat, text, size, "fuzz.yaml", err, sizeof err) == 0) {
        for (size_t i = 0; i < cat.nrepos; i++) {
            const pf_repo *r = &cat.repos[i];
            if (!r->id || !r->format)
                fz_fail("repository without id or format");
            fz_touch(r->family);
            fz_touch(r->title);
            for (size_t s = 0; s < r->nsources; s++) {
                char e2[256] = "";
                char *u = pf_catalog_source_url(&cat, &r->sources[s], e2, sizeof e2);
                if (!u && !e2[0])
                    fz_fail("source URL failed without a message");
                fz_touch(u);
                free(u);
            }
            if (pf_catalog_find(&cat, r->id) == NULL)
                fz_fail("repository not found by its own id");
        }
    } else if (!err[0]) {
        fz_fail("catalog failure without a message");
    }
    pf_catalog_free(&cat);
    free(text);
    return 0;
}
