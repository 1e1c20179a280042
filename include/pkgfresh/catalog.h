/*
 * catalog.h — the repository catalog (data/repos/NAME.yaml, embedded by default).
 *
 * A catalog lists repositories: id, family, title, color, format, sources.
 * Source URLs may begin with "{mirror:NAME}" which resolves to the mirror
 * NAME's base URL (catalog "mirrors:" section, overridable per run with
 * --mirror NAME=URL, or NAME=apt to read the host's apt sources).
 * Ownership: pf_catalog_free releases everything reachable from the catalog.
 */
#ifndef PKGFRESH_CATALOG_H
#define PKGFRESH_CATALOG_H

#include <stddef.h>

typedef struct pf_source {
    char *name; /* short label, e.g. "main", "universe" */
    char *url;  /* as written in the catalog, possibly with {mirror:NAME} */
} pf_source;

typedef struct pf_repo {
    char *id;       /* "debian_unstable" */
    char *family;   /* statistics family: "debuntu", "fedora", "nix" ... */
    char *shortname;/* family short name this repo is the default of ("debian"), or NULL */
    char *title;    /* "Debian Unstable" */
    char *color;    /* "#c70036" */
    char *format;   /* "deb-sources" */
    char **rulesets;/* rule set names ("debuntu", "debian") */
    size_t nrulesets;
    pf_source *sources;
    size_t nsources;
    long update_period; /* seconds between crawls when crawling "everything due" */
    long min_packages;  /* a parse with fewer packages is treated as broken */
    int is_default;     /* default repository of its short name */
    int allow_file;     /* file:// URLs allowed (user config only) */
    int tls_insecure;   /* TLS verification off (documented option, per repository) */
} pf_repo;

typedef struct pf_mirror {
    char *name; /* "debian" */
    char *url;  /* base URL without trailing slash */
} pf_mirror;

typedef struct pf_catalog {
    pf_repo *repos;
    size_t nrepos;
    pf_mirror *mirrors;
    size_t nmirrors;
} pf_catalog;

/* The catalog compiled into the binary (every data/repos YAML file, at build time). */
int pf_catalog_load_default(pf_catalog *cat, char *err, size_t errlen);

/* Load one YAML file or every *.yaml in a directory (sorted) and add to cat. */
int pf_catalog_load_path(pf_catalog *cat, const char *path, char *err, size_t errlen);

/* Parse YAML text (name is used in error messages) and add to cat. */
int pf_catalog_load_text(pf_catalog *cat, const char *text, size_t len, const char *name,
                         char *err, size_t errlen);

/* Override (or add) a mirror: "NAME=URL"; URL "apt" reads /etc/apt/sources.list{,.d}. */
int pf_catalog_set_mirror(pf_catalog *cat, const char *spec, char *err, size_t errlen);

/* Find by repository id, or by short name ("debian" -> the default debian repo). */
const pf_repo *pf_catalog_find(const pf_catalog *cat, const char *name);

/* Expand {mirror:NAME} in a source URL; returns malloc'd string or NULL (err set). */
char *pf_catalog_source_url(const pf_catalog *cat, const pf_source *src, char *err, size_t errlen);

void pf_catalog_free(pf_catalog *cat);

#endif
