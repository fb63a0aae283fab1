/* SPDX-License-Identifier: GPL-2.0 */
/*
 * export's HTTP endpoint (libmicrohttpd, one thread of its own): GET or
 * HEAD /metrics (the body from the caller's function, in the format the
 * scraper's Accept header asks for) and /healthz; anything else is 404 or
 * 405. Slow, oversized and numerous clients are bounded by timeouts and
 * limits, so none can block or exhaust the endpoint.
 */
#ifndef SOCKTAP_HTTP_H
#define SOCKTAP_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>
#include "strbuf.h"

/* Fills out with the metrics (called on the HTTP thread): 0, or -1 (503). */
typedef int (*http_metrics_fn)(void *ctx, bool openmetrics, struct strbuf *out);

struct http_server;

/*
 * Parses "ADDR:PORT", "[ADDR6]:PORT" or ":PORT" (every address) into ss.
 * 0, or -1 with one line in err.
 */
int http_parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *len, char *err,
		      size_t errlen);
/* Listens on addr and serves. NULL with one line in err (a port in use, say). */
struct http_server *http_start(const struct sockaddr_storage *addr, socklen_t len,
			       http_metrics_fn fn, void *ctx, char *err, size_t errlen);
void http_stop(struct http_server *H);

#endif
