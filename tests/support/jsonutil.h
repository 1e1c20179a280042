/*
 * jsonutil.h — reading pkgfresh's `--format json` output in tests (jansson).
 * Each helper fails the running cmocka test on bad input instead of
 * returning an error.
 */
#ifndef PKGFRESH_TEST_JSONUTIL_H
#define PKGFRESH_TEST_JSONUTIL_H

#include <jansson.h>

/* Parse text (a whole command output); the caller json_decref()s it. */
json_t *tu_json_parse(const char *text);

/* The object of array arr whose string field key equals value, or NULL. */
json_t *tu_json_find(json_t *arr, const char *key, const char *value);

/* The same, failing the test when there is none. */
json_t *tu_json_row(json_t *arr, const char *key, const char *value);

/* Integer field of an object (a JSON number, not a string). */
long long tu_json_int(json_t *obj, const char *key);

#endif
