/*
 * cdp.c — a minimal DevTools protocol client over --remote-debugging-pipe
 * (see cdp.h): commands are sent one at a time and their reply awaited;
 * events that arrive meanwhile are collected (console, exceptions, log) or
 * remembered (the load event).
 */
#include "cdp.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct cdp {
    pid_t pid;
    int to, from; /* our ends: write commands, read replies */
    char *buf;    /* bytes read, not yet a whole message */
    size_t len, cap;
    int next_id;
    char session[128];
    int loaded; /* Page.loadEventFired seen since the last navigation */
    char *msgs; /* collected messages */
    size_t msgs_len;
    char err[512];
};

/* Monotonic seconds. */
static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Append a line to the collected messages. */
static void note(cdp *c, const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    size_t n = strlen(line);
    char *m = realloc(c->msgs, c->msgs_len + n + 2);
    if (!m)
        return;
    c->msgs = m;
    memcpy(c->msgs + c->msgs_len, line, n);
    c->msgs_len += n;
    c->msgs[c->msgs_len++] = '\n';
    c->msgs[c->msgs_len] = 0;
}

/* Handle one event. */
static void on_event(cdp *c, const char *method, json_t *params)
{
    if (strcmp(method, "Page.loadEventFired") == 0) {
        c->loaded = 1;
    } else if (strcmp(method, "Runtime.consoleAPICalled") == 0) {
        json_t *a0 = json_array_get(json_object_get(params, "args"), 0);
        const char *v = json_string_value(json_object_get(a0, "value"));
        note(c, "console.%s: %s", json_string_value(json_object_get(params, "type")),
             v ? v : "(object)");
    } else if (strcmp(method, "Runtime.exceptionThrown") == 0) {
        json_t *d = json_object_get(params, "exceptionDetails");
        json_t *ex = json_object_get(d, "exception");
        const char *desc = json_string_value(json_object_get(ex, "description"));
        note(c, "exception: %s", desc ? desc : json_string_value(json_object_get(d, "text")));
    } else if (strcmp(method, "Log.entryAdded") == 0) {
        json_t *e = json_object_get(params, "entry");
        const char *level = json_string_value(json_object_get(e, "level"));
        if (level && (strcmp(level, "error") == 0 || strcmp(level, "warning") == 0)) {
            const char *u = json_string_value(json_object_get(e, "url"));
            note(c, "log %s: %s %s", level, json_string_value(json_object_get(e, "text")),
                 u ? u : "");
        }
    }
}

/* Read until a whole message is buffered or the deadline passes; returns
 * the parsed message (caller decrefs) or NULL. */
static json_t *read_message(cdp *c, double deadline)
{
    for (;;) {
        char *nul = c->len ? memchr(c->buf, 0, c->len) : NULL;
        if (nul) {
            size_t n = (size_t)(nul - c->buf);
            json_error_t je;
            json_t *m = json_loadb(c->buf, n, 0, &je);
            memmove(c->buf, nul + 1, c->len - n - 1);
            c->len -= n + 1;
            if (!m)
                snprintf(c->err, sizeof c->err, "bad JSON from the browser: %s", je.text);
            return m;
        }
        double left = deadline - mono();
        if (left <= 0) {
            snprintf(c->err, sizeof c->err, "timeout waiting for the browser");
            return NULL;
        }
        struct pollfd p = {c->from, POLLIN, 0};
        int r = poll(&p, 1, (int)(left * 1000) + 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            continue;
        if (c->cap - c->len < 65536) {
            size_t cap = c->cap ? c->cap * 2 : 1 << 20;
            char *b = realloc(c->buf, cap);
            if (!b)
                return NULL;
            c->buf = b;
            c->cap = cap;
        }
        ssize_t got = read(c->from, c->buf + c->len, c->cap - c->len);
        if (got <= 0) {
            snprintf(c->err, sizeof c->err, "the browser closed the pipe");
            return NULL;
        }
        c->len += (size_t)got;
    }
}

/* Send a command (params: JSON object text, or NULL) on the page session
 * (or to the browser); returns its id, or -1. */
static int send_cmd(cdp *c, int on_page, const char *method, const char *params)
{
    int id = ++c->next_id;
    char head[512];
    int n = snprintf(head, sizeof head, "{\"id\":%d,%s%s%s\"method\":\"%s\",\"params\":", id,
                     on_page ? "\"sessionId\":\"" : "", on_page ? c->session : "",
                     on_page ? "\"," : "", method);
    const char *p = params ? params : "{}";
    size_t plen = strlen(p);
    char *msg = malloc((size_t)n + plen + 3);
    if (!msg)
        return -1;
    memcpy(msg, head, (size_t)n);
    memcpy(msg + n, p, plen);
    msg[n + plen] = '}';
    msg[n + plen + 1] = 0;
    size_t total = (size_t)n + plen + 2, off = 0;
    while (off < total) {
        ssize_t w = write(c->to, msg + off, total - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            free(msg);
            snprintf(c->err, sizeof c->err, "%s: cannot write to the browser", method);
            return -1;
        }
        off += (size_t)w;
    }
    free(msg);
    return id;
}

/* Send a command and wait for its reply; returns the "result" object
 * (caller decrefs) or NULL. Events arriving meanwhile are handled. */
static json_t *call(cdp *c, int on_page, const char *method, const char *params, double timeout)
{
    int id = send_cmd(c, on_page, method, params);
    if (id < 0)
        return NULL;
    double deadline = mono() + timeout;
    for (;;) {
        json_t *m = read_message(c, deadline);
        if (!m)
            return NULL;
        json_t *mid = json_object_get(m, "id");
        if (mid && json_integer_value(mid) == id) {
            json_t *e = json_object_get(m, "error");
            json_t *r = json_object_get(m, "result");
            if (e || !r) {
                snprintf(c->err, sizeof c->err, "%s: %s", method,
                         e ? json_string_value(json_object_get(e, "message")) : "no result");
                json_decref(m);
                return NULL;
            }
            json_incref(r);
            json_decref(m);
            return r;
        }
        const char *ev = json_string_value(json_object_get(m, "method"));
        if (ev)
            on_event(c, ev, json_object_get(m, "params"));
        json_decref(m);
    }
}

/* Call and drop the result; 0 or -1. */
static int call0(cdp *c, int on_page, const char *method, const char *params)
{
    json_t *r = call(c, on_page, method, params, 30);
    if (!r)
        return -1;
    json_decref(r);
    return 0;
}

/* Spawn the browser with the pipe on fds 3 and 4, open a page, attach. */
cdp *cdp_start(const char *chromium, const char *profile, int width, int height, char *err,
               size_t errlen)
{
    int in[2], out[2]; /* in: we -> browser (its fd 3); out: browser -> we (its fd 4) */
    if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0) {
        snprintf(err, errlen, "pipe: %s", strerror(errno));
        return NULL;
    }
    cdp *c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    char prof[4200];
    snprintf(prof, sizeof prof, "--user-data-dir=%s", profile);
    c->pid = fork();
    if (c->pid == 0) {
        if (dup2(in[0], 3) < 0 || dup2(out[1], 4) < 0)
            _exit(127);
        int devnull = open("/dev/null", O_RDWR);
        if (devnull >= 0) {
            dup2(devnull, 1);
            dup2(devnull, 2);
        }
        execl(chromium, chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
              "--no-first-run", "--disable-background-networking", "--disable-component-update",
              "--disable-sync", "--hide-scrollbars", "--remote-debugging-pipe", prof, "about:blank",
              (char *)NULL);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    c->to = in[1];
    c->from = out[0];
    if (c->pid < 0) {
        snprintf(err, errlen, "fork: %s", strerror(errno));
        cdp_stop(c);
        return NULL;
    }
    signal(SIGPIPE, SIG_IGN);
    json_t *r = call(c, 0, "Target.createTarget", "{\"url\":\"about:blank\"}", 60);
    const char *tid = r ? json_string_value(json_object_get(r, "targetId")) : NULL;
    char params[512];
    snprintf(params, sizeof params, "{\"targetId\":\"%s\",\"flatten\":true}", tid ? tid : "");
    json_decref(r);
    r = tid ? call(c, 0, "Target.attachToTarget", params, 30) : NULL;
    const char *sid = r ? json_string_value(json_object_get(r, "sessionId")) : NULL;
    if (sid)
        snprintf(c->session, sizeof c->session, "%s", sid);
    json_decref(r);
    snprintf(params, sizeof params,
             "{\"width\":%d,\"height\":%d,\"deviceScaleFactor\":1,\"mobile\":false}", width,
             height);
    if (!sid || call0(c, 1, "Page.enable", NULL) != 0 || call0(c, 1, "Runtime.enable", NULL) != 0 ||
        call0(c, 1, "Log.enable", NULL) != 0 ||
        call0(c, 1, "Emulation.setDeviceMetricsOverride", params) != 0) {
        snprintf(err, errlen, "%s", c->err[0] ? c->err : "cannot open a page");
        cdp_stop(c);
        return NULL;
    }
    return c;
}

/* Navigate, then read events until the load event. */
int cdp_load(cdp *c, const char *url, double timeout)
{
    json_t *u = json_string(url);
    char *q = u ? json_dumps(u, JSON_ENCODE_ANY) : NULL;
    json_decref(u);
    if (!q)
        return -1;
    char *params = malloc(strlen(q) + 16);
    if (!params) {
        free(q);
        return -1;
    }
    sprintf(params, "{\"url\":%s}", q);
    free(q);
    c->loaded = 0;
    json_t *r = call(c, 1, "Page.navigate", params, timeout);
    free(params);
    if (!r)
        return -1;
    const char *nerr = json_string_value(json_object_get(r, "errorText"));
    if (nerr) {
        snprintf(c->err, sizeof c->err, "navigate %s: %s", url, nerr);
        json_decref(r);
        return -1;
    }
    json_decref(r);
    double deadline = mono() + timeout;
    while (!c->loaded) {
        json_t *m = read_message(c, deadline);
        if (!m)
            return -1;
        const char *ev = json_string_value(json_object_get(m, "method"));
        if (ev)
            on_event(c, ev, json_object_get(m, "params"));
        json_decref(m);
    }
    return 0;
}

/* Runtime.evaluate with returnByValue. */
char *cdp_eval(cdp *c, const char *expr)
{
    json_t *p = json_pack("{s:s,s:b}", "expression", expr, "returnByValue", 1);
    char *params = p ? json_dumps(p, 0) : NULL;
    json_decref(p);
    if (!params)
        return NULL;
    json_t *r = call(c, 1, "Runtime.evaluate", params, 30);
    free(params);
    const char *v = json_string_value(json_object_get(json_object_get(r, "result"), "value"));
    char *out = v && !json_object_get(r, "exceptionDetails") ? strdup(v) : NULL;
    json_decref(r);
    return out;
}

/* Value of one base64 character, -1 for others. */
static int b64(int ch)
{
    if (ch >= 'A' && ch <= 'Z')
        return ch - 'A';
    if (ch >= 'a' && ch <= 'z')
        return ch - 'a' + 26;
    if (ch >= '0' && ch <= '9')
        return ch - '0' + 52;
    return ch == '+' ? 62 : ch == '/' ? 63 : -1;
}

/* Page.captureScreenshot, base64-decoded into path. */
int cdp_screenshot(cdp *c, const char *path)
{
    json_t *r = call(c, 1, "Page.captureScreenshot", "{\"format\":\"png\"}", 60);
    const char *data = json_string_value(json_object_get(r, "data"));
    int rc = -1;
    FILE *f = data ? fopen(path, "wb") : NULL;
    if (f) {
        unsigned acc = 0;
        int bits = 0;
        for (const char *p = data; *p; p++) {
            int v = b64((unsigned char)*p);
            if (v < 0)
                continue;
            acc = (acc << 6) | (unsigned)v;
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                fputc((int)((acc >> bits) & 0xff), f);
            }
        }
        rc = fclose(f) == 0 ? 0 : -1;
    }
    json_decref(r);
    return rc;
}

/* Collected messages. */
const char *cdp_messages(const cdp *c)
{
    return c->msgs ? c->msgs : "";
}

/* Drop the collected messages. */
void cdp_clear_messages(cdp *c)
{
    c->msgs_len = 0;
    if (c->msgs)
        c->msgs[0] = 0;
}

/* Last error. */
const char *cdp_error(const cdp *c)
{
    return c->err;
}

/* Browser.close, wait for the exit (killing it after 10 s), free. */
void cdp_stop(cdp *c)
{
    if (!c)
        return;
    if (c->pid > 0) {
        send_cmd(c, 0, "Browser.close", NULL); /* it exits rather than answers */
        close(c->to);
        close(c->from);
        double deadline = mono() + 10;
        int status;
        while (waitpid(c->pid, &status, WNOHANG) == 0) {
            if (mono() > deadline) {
                kill(c->pid, SIGKILL);
                waitpid(c->pid, &status, 0);
                break;
            }
            usleep(20000);
        }
    } else {
        close(c->to);
        close(c->from);
    }
    free(c->buf);
    free(c->msgs);
    free(c);
}
