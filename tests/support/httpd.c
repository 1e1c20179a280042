/*
 * httpd.c — the loopback HTTP/1.1 test server (see httpd.h).
 *
 * Threads: one accept thread, one thread per connection. Shared state
 * (routes, connection list, counters) is guarded by h->mu. Waits use poll()
 * on a wake pipe that tu_httpd_stop() makes readable, so stopping never
 * waits for a sleep to finish. Routes are never freed before stop: a
 * replaced route stays in the list behind its replacement, so a connection
 * may keep using a route pointer after dropping the lock.
 */
#include "httpd.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

typedef struct route {
    tu_route r; /* strings and body owned (copies) */
    int count;
    char *last_req;
    struct route *next;
} route;

typedef struct conn {
    pthread_t th;
    int fd;   /* -1 once closed; changed under h->mu */
    int done; /* thread finished, may be joined */
    struct tu_httpd *h;
    struct conn *next;
} conn;

struct tu_httpd {
    int lfd;
    int port;
    int wake[2];
    pthread_t acc;
    pthread_mutex_t mu;
    route *routes;
    conn *conns;
    int active;                 /* connection threads running */
    int inflight, max_inflight; /* requests between head received and response start */
};

/* strdup that keeps NULL. */
static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* Wait up to ms milliseconds; returns 1 if the server is stopping. */
static int wait_ms(tu_httpd *h, int ms)
{
    struct pollfd p = {h->wake[0], POLLIN, 0};
    return poll(&p, 1, ms) > 0;
}

/* Send everything (no SIGPIPE); 0 on success, -1 if the peer went away. */
static int send_all(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n > 0) {
        ssize_t k = send(fd, c, n, MSG_NOSIGNAL);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        c += k;
        n -= (size_t)k;
    }
    return 0;
}

/* Reason phrase for the statuses tests use. */
static const char *reason(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 301:
        return "Moved Permanently";
    case 302:
        return "Found";
    case 304:
        return "Not Modified";
    case 400:
        return "Bad Request";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    default:
        return "Status";
    }
}

/* Value of request header `name` (case-insensitive) copied into out; 1 if present. */
static int req_header(const char *req, const char *name, char *out, size_t outlen)
{
    size_t nl = strlen(name);
    for (const char *p = strstr(req, "\r\n"); p; p = strstr(p + 2, "\r\n")) {
        const char *h = p + 2;
        if (strncasecmp(h, name, nl) == 0 && h[nl] == ':') {
            h += nl + 1;
            while (*h == ' ' || *h == '\t')
                h++;
            size_t vl = strcspn(h, "\r\n");
            if (vl >= outlen)
                vl = outlen - 1;
            memcpy(out, h, vl);
            out[vl] = 0;
            return 1;
        }
    }
    return 0;
}

/* Send a status line, standard headers, extra lines and an optional body. */
static int send_simple(int fd, int status, const char *extra, const void *body, size_t len)
{
    char head[2048];
    int k = snprintf(head, sizeof head,
                     "HTTP/1.1 %d %s\r\nServer: tu_httpd\r\nConnection: close\r\n"
                     "Content-Length: %zu\r\n%s\r\n",
                     status, reason(status), len, extra ? extra : "");
    if (k < 0 || (size_t)k >= sizeof head)
        return -1;
    if (send_all(fd, head, (size_t)k) < 0)
        return -1;
    return len ? send_all(fd, body, len) : 0;
}

/* Answer one request on fd according to the matching route. */
static void serve(tu_httpd *h, int fd, const char *req)
{
    char method[16], path[1024];
    if (sscanf(req, "%15s %1023s", method, path) != 2) {
        send_simple(fd, 400, NULL, "bad request\n", 12);
        return;
    }
    pthread_mutex_lock(&h->mu);
    route *rt = h->routes;
    while (rt && strcmp(rt->r.path, path) != 0)
        rt = rt->next;
    int nth = 0;
    if (rt) {
        nth = ++rt->count;
        free(rt->last_req);
        rt->last_req = strdup(req);
    }
    pthread_mutex_unlock(&h->mu);
    if (!rt) {
        send_simple(fd, 404, NULL, "not found\n", 10);
        return;
    }
    const tu_route *r = &rt->r;
    /* Requests in flight are counted from head received to response start: the client
     * cannot see a response (and start another request) before the count drops. */
    pthread_mutex_lock(&h->mu);
    if (++h->inflight > h->max_inflight)
        h->max_inflight = h->inflight;
    pthread_mutex_unlock(&h->mu);
    int stopping = nth > r->fail_first && r->delay_ms && wait_ms(h, r->delay_ms);
    pthread_mutex_lock(&h->mu);
    h->inflight--;
    pthread_mutex_unlock(&h->mu);
    if (stopping)
        return;
    char extra[1536];
    if (nth <= r->fail_first) {
        snprintf(extra, sizeof extra, "%s%s%s", r->retry_after ? "Retry-After: " : "",
                 r->retry_after ? r->retry_after : "", r->retry_after ? "\r\n" : "");
        send_simple(fd, r->fail_status ? r->fail_status : 503, extra, "try later\n", 10);
        return;
    }
    if (r->redirect) {
        snprintf(extra, sizeof extra, "Location: %s\r\n", r->redirect);
        send_simple(fd, 302, extra, "moved\n", 6);
        return;
    }
    char v[512];
    size_t el = 0;
    extra[0] = 0;
    if (r->etag)
        el += (size_t)snprintf(extra + el, sizeof extra - el, "ETag: %s\r\n", r->etag);
    if (r->last_modified)
        el += (size_t)snprintf(extra + el, sizeof extra - el, "Last-Modified: %s\r\n",
                               r->last_modified);
    if ((r->etag && req_header(req, "If-None-Match", v, sizeof v) && strstr(v, r->etag)) ||
        (r->last_modified && req_header(req, "If-Modified-Since", v, sizeof v) &&
         strcmp(v, r->last_modified) == 0)) {
        send_simple(fd, 304, extra, NULL, 0);
        return;
    }
    if (r->headers)
        snprintf(extra + el, sizeof extra - el, "%s", r->headers);
    int status = r->status ? r->status : 200;
    if (r->endless) {
        char head[2048];
        int k = snprintf(head, sizeof head,
                         "HTTP/1.1 %d %s\r\nServer: tu_httpd\r\nConnection: close\r\n%s\r\n",
                         status, reason(status), extra);
        if (send_all(fd, head, (size_t)k) < 0)
            return;
        char *fill = malloc(65536);
        if (!fill)
            return;
        memset(fill, 'z', 65536);
        for (uint64_t sent = 0; sent < r->endless;) {
            size_t n = r->endless - sent < 65536 ? (size_t)(r->endless - sent) : 65536;
            if (send_all(fd, fill, n) < 0)
                break;
            sent += n;
        }
        free(fill);
        return;
    }
    char head[2048];
    unsigned long long announced = r->content_length ? r->content_length : r->body_len;
    int k = snprintf(head, sizeof head,
                     "HTTP/1.1 %d %s\r\nServer: tu_httpd\r\nConnection: close\r\n"
                     "Content-Length: %llu\r\n%s\r\n",
                     status, reason(status), announced, extra);
    if (k < 0 || (size_t)k >= sizeof head || send_all(fd, head, (size_t)k) < 0)
        return;
    if (r->head_stall_ms && wait_ms(h, r->head_stall_ms))
        return;
    size_t half = r->body_len / 2;
    if (r->reset) {
        /* Half the body, then close with SO_LINGER 0: the peer sees a reset, not an EOF. */
        if (send_all(fd, r->body, half) < 0)
            return;
        struct linger lg = {1, 0};
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
        return;
    }
    if (r->drip_ms) {
        for (size_t i = 0; i < r->body_len; i++)
            if (send_all(fd, (const char *)r->body + i, 1) < 0 || wait_ms(h, r->drip_ms))
                return;
        return;
    }
    if (r->truncate || r->stall_ms) {
        if (send_all(fd, r->body, half) < 0)
            return;
        if (r->truncate)
            return;
        if (wait_ms(h, r->stall_ms))
            return;
        send_all(fd, (const char *)r->body + half, r->body_len - half);
        return;
    }
    send_all(fd, r->body, r->body_len);
}

/* Connection thread: read one request head, answer it, close. */
static void *conn_main(void *arg)
{
    conn *c = arg;
    tu_httpd *h = c->h;
    char req[16384];
    size_t n = 0;
    for (;;) {
        struct pollfd p[2] = {{c->fd, POLLIN, 0}, {h->wake[0], POLLIN, 0}};
        if (poll(p, 2, 10000) <= 0 || (p[1].revents & POLLIN))
            break;
        ssize_t k = recv(c->fd, req + n, sizeof req - 1 - n, 0);
        if (k <= 0)
            break;
        n += (size_t)k;
        req[n] = 0;
        if (strstr(req, "\r\n\r\n")) {
            serve(h, c->fd, req);
            break;
        }
        if (n == sizeof req - 1)
            break;
    }
    pthread_mutex_lock(&h->mu);
    close(c->fd);
    c->fd = -1;
    c->done = 1;
    h->active--;
    pthread_mutex_unlock(&h->mu);
    return NULL;
}

/* Join and free connection threads that have finished (all of them when `all`). */
static void reap(tu_httpd *h, int all)
{
    pthread_mutex_lock(&h->mu);
    conn **pp = &h->conns;
    while (*pp) {
        conn *c = *pp;
        if (all && c->fd >= 0)
            shutdown(c->fd, SHUT_RDWR);
        if (c->done || all) {
            *pp = c->next;
            pthread_mutex_unlock(&h->mu);
            pthread_join(c->th, NULL);
            free(c);
            pthread_mutex_lock(&h->mu);
            pp = &h->conns;
            continue;
        }
        pp = &c->next;
    }
    pthread_mutex_unlock(&h->mu);
}

/* Accept thread: hand each connection to a new thread until stopped. */
static void *accept_main(void *arg)
{
    tu_httpd *h = arg;
    for (;;) {
        struct pollfd p[2] = {{h->lfd, POLLIN, 0}, {h->wake[0], POLLIN, 0}};
        if (poll(p, 2, 200) < 0 && errno != EINTR)
            break;
        if (p[1].revents & POLLIN)
            break;
        reap(h, 0);
        if (!(p[0].revents & POLLIN))
            continue;
        int fd = accept(h->lfd, NULL, NULL);
        if (fd < 0)
            continue;
        conn *c = calloc(1, sizeof *c);
        if (!c) {
            close(fd);
            continue;
        }
        c->fd = fd;
        c->h = h;
        pthread_mutex_lock(&h->mu);
        h->active++;
        if (pthread_create(&c->th, NULL, conn_main, c) != 0) {
            h->active--;
            pthread_mutex_unlock(&h->mu);
            close(fd);
            free(c);
            continue;
        }
        c->next = h->conns;
        h->conns = c;
        pthread_mutex_unlock(&h->mu);
    }
    return NULL;
}

/* Bind 127.0.0.1:0, start the accept thread. */
tu_httpd *tu_httpd_start(void)
{
    tu_httpd *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->lfd = socket(AF_INET, SOCK_STREAM, 0);
    if (h->lfd < 0 || pipe(h->wake) != 0) {
        if (h->lfd >= 0)
            close(h->lfd);
        free(h);
        return NULL;
    }
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t al = sizeof a;
    if (bind(h->lfd, (struct sockaddr *)&a, sizeof a) != 0 || listen(h->lfd, 64) != 0 ||
        getsockname(h->lfd, (struct sockaddr *)&a, &al) != 0) {
        close(h->lfd);
        close(h->wake[0]);
        close(h->wake[1]);
        free(h);
        return NULL;
    }
    h->port = ntohs(a.sin_port);
    pthread_mutex_init(&h->mu, NULL);
    if (pthread_create(&h->acc, NULL, accept_main, h) != 0) {
        pthread_mutex_destroy(&h->mu);
        close(h->lfd);
        close(h->wake[0]);
        close(h->wake[1]);
        free(h);
        return NULL;
    }
    return h;
}

/* The bound port. */
int tu_httpd_port(const tu_httpd *h)
{
    return h->port;
}

/* Absolute URL of a path on this server (rotating static buffers). */
const char *tu_httpd_url(const tu_httpd *h, const char *path)
{
    static char bufs[8][1200];
    static int next;
    char *b = bufs[next];
    next = (next + 1) % 8;
    snprintf(b, sizeof bufs[0], "http://127.0.0.1:%d%s", h->port, path);
    return b;
}

/* Register a route (copied); a newer route for the same path hides the older one. */
void tu_httpd_route(tu_httpd *h, const tu_route *r)
{
    route *rt = calloc(1, sizeof *rt);
    if (!rt)
        return;
    rt->r = *r;
    rt->r.path = dup_or_null(r->path ? r->path : "/");
    rt->r.headers = dup_or_null(r->headers);
    rt->r.etag = dup_or_null(r->etag);
    rt->r.last_modified = dup_or_null(r->last_modified);
    rt->r.retry_after = dup_or_null(r->retry_after);
    rt->r.redirect = dup_or_null(r->redirect);
    void *body = malloc(r->body_len + 1);
    if (body && r->body_len)
        memcpy(body, r->body, r->body_len);
    rt->r.body = body;
    pthread_mutex_lock(&h->mu);
    rt->next = h->routes;
    h->routes = rt;
    pthread_mutex_unlock(&h->mu);
}

/* Find the live route for path (caller holds mu). */
static route *find_route(tu_httpd *h, const char *path)
{
    route *rt = h->routes;
    while (rt && strcmp(rt->r.path, path) != 0)
        rt = rt->next;
    return rt;
}

/* Requests seen for path. */
int tu_httpd_count(tu_httpd *h, const char *path)
{
    pthread_mutex_lock(&h->mu);
    route *rt = find_route(h, path);
    int n = rt ? rt->count : 0;
    pthread_mutex_unlock(&h->mu);
    return n;
}

/* Copy of the last request head for path. */
char *tu_httpd_last_request(tu_httpd *h, const char *path)
{
    pthread_mutex_lock(&h->mu);
    route *rt = find_route(h, path);
    char *s = rt && rt->last_req ? strdup(rt->last_req) : NULL;
    pthread_mutex_unlock(&h->mu);
    return s;
}

/* Peak number of requests being answered at once. */
int tu_httpd_max_concurrent(tu_httpd *h)
{
    pthread_mutex_lock(&h->mu);
    int n = h->max_inflight;
    pthread_mutex_unlock(&h->mu);
    return n;
}

/* Stop the server and free everything. */
void tu_httpd_stop(tu_httpd *h)
{
    if (!h)
        return;
    if (write(h->wake[1], "x", 1) != 1)
        perror("tu_httpd_stop: wake");
    pthread_join(h->acc, NULL);
    reap(h, 1);
    close(h->lfd);
    close(h->wake[0]);
    close(h->wake[1]);
    route *rt = h->routes;
    while (rt) {
        route *next = rt->next;
        free((char *)rt->r.path);
        free((char *)rt->r.headers);
        free((char *)rt->r.etag);
        free((char *)rt->r.last_modified);
        free((char *)rt->r.retry_after);
        free((char *)rt->r.redirect);
        free((void *)rt->r.body);
        free(rt->last_req);
        free(rt);
        rt = next;
    }
    pthread_mutex_destroy(&h->mu);
    free(h);
}
