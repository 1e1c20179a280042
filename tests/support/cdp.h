/*
 * cdp.h — drive a headless Chromium over the DevTools protocol on a pipe
 * (--remote-debugging-pipe: JSON messages ending in NUL, the browser reads
 * fd 3 and writes fd 4), so one browser start serves many page loads.
 * Console messages, uncaught exceptions and error/warning log entries
 * (failed resource loads) are collected for the test to check.
 */
#ifndef PKGFRESH_TEST_CDP_H
#define PKGFRESH_TEST_CDP_H

#include <stddef.h>

typedef struct cdp cdp;

/* Start the browser (binary path, an empty profile folder) with one page
 * of width x height CSS pixels. NULL with err set on failure. */
cdp *cdp_start(const char *chromium, const char *profile, int width, int height, char *err,
               size_t errlen);

/* Navigate and wait for the load event (timeout in seconds). 0 or -1. */
int cdp_load(cdp *c, const char *url, double timeout);

/* Evaluate a JavaScript expression; its value as a string (malloc'd), or
 * NULL when it threw or is not a string. */
char *cdp_eval(cdp *c, const char *expr);

/* Save a PNG screenshot of the viewport. 0 or -1. */
int cdp_screenshot(cdp *c, const char *path);

/* Console messages, exceptions and error/warning log entries since the
 * start, one per line ("" when none). */
const char *cdp_messages(const cdp *c);

/* Forget the collected messages. */
void cdp_clear_messages(cdp *c);

/* The last protocol error, for failure messages. */
const char *cdp_error(const cdp *c);

/* Close the browser and wait for it. */
void cdp_stop(cdp *c);

#endif
