/*
 * jsonutil.c — JSON output helpers shared by the command-line tests (see
 * jsonutil.h).
 */
#include "jsonutil.h"

#include <string.h>

#include "testutil.h"

/* Parse, failing the test on a parse error. */
json_t *tu_json_parse(const char *text)
{
    json_error_t jerr;
    json_t *j = json_loads(text, 0, &jerr);
    if (!j)
        fail_msg("bad JSON (%s): %s", jerr.text, text);
    return j;
}

/* Linear search of an array of objects by one string field. */
json_t *tu_json_find(json_t *arr, const char *key, const char *value)
{
    size_t i;
    json_t *row;
    json_array_foreach(arr, i, row)
    {
        const char *v = json_string_value(json_object_get(row, key));
        if (v && strcmp(v, value) == 0)
            return row;
    }
    return NULL;
}

/* tu_json_find that must find. */
json_t *tu_json_row(json_t *arr, const char *key, const char *value)
{
    json_t *r = tu_json_find(arr, key, value);
    if (!r)
        fail_msg("no row with %s=%s", key, value);
    return r;
}

/* An integer field, failing the test for any other type. */
long long tu_json_int(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    if (!json_is_integer(v))
        fail_msg("field %s is not an integer", key);
    return json_integer_value(v);
}
