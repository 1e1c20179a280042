/*
 * utctime.h — the one way pkgfresh writes a unix time as text: in UTC,
 * with an strftime format, "%Y-%m-%dT%H:%M:%SZ" (PF_UTC_ISO: ISO 8601 and
 * RFC 3339, for tables, JSON and feeds) or "%Y-%m-%d" (PF_UTC_DATE: page
 * and chart dates).
 */
#ifndef PKGFRESH_UTCTIME_H
#define PKGFRESH_UTCTIME_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define PF_UTC_ISO  "%Y-%m-%dT%H:%M:%SZ"
#define PF_UTC_DATE "%Y-%m-%d"

/* t formatted with fmt into buf (len bytes); returns buf, "" when the time
 * cannot be broken down or its text does not fit. */
static inline const char *pf_utc_format(int64_t t, const char *fmt, char *buf, size_t len)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (len == 0)
        return buf;
    if (!gmtime_r(&tt, &tm) || !strftime(buf, len, fmt, &tm))
        buf[0] = '\0';
    return buf;
}

#endif
