// SPDX-License-Identifier: GPL-2.0
/*
 * export's HTTP endpoint (http.h). socktap binds the socket itself, so a
 * port in use is one precise line, and hands it to libmicrohttpd, whose
 * epoll thread serves every connection under these bounds: a connection
 * idle for 10 s is closed (slowloris), a request whose headers pass 32 KiB
 * is refused by the library, at most 128 connections at once.
 */
#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <microhttpd.h>
#include "http.h"
#include "prom.h"
#include "util.h"

#define CONN_TIMEOUT_S 10
#define CONN_MAX 128
#define CONN_MEMORY (32 * 1024)

/*
 * libmicrohttpd is opened when export starts serving, not linked: linked,
 * it and the TLS stack it pulls in (gnutls and eight more libraries) cost
 * every socktap command about 3 ms at exec, a tenth of a one-shot listing.
 * Its soname has been 12 since 2014; the package depends on it.
 */
#define MHD_SONAME "libmicrohttpd.so.12"

static struct {
	__typeof__(MHD_start_daemon) *start_daemon;
	__typeof__(MHD_stop_daemon) *stop_daemon;
	__typeof__(MHD_create_response_from_buffer) *create_response_from_buffer;
	__typeof__(MHD_add_response_header) *add_response_header;
	__typeof__(MHD_queue_response) *queue_response;
	__typeof__(MHD_destroy_response) *destroy_response;
	__typeof__(MHD_lookup_connection_value) *lookup_connection_value;
} mhd;

/* Opens the library once: 0, or -1 with one line in err. */
static int mhd_open(char *err, size_t errlen)
{
	static const char *const names[] = {
		"MHD_start_daemon",
		"MHD_stop_daemon",
		"MHD_create_response_from_buffer",
		"MHD_add_response_header",
		"MHD_queue_response",
		"MHD_destroy_response",
		"MHD_lookup_connection_value",
	};
	void **slots[] = {
		(void **)&mhd.start_daemon,
		(void **)&mhd.stop_daemon,
		(void **)&mhd.create_response_from_buffer,
		(void **)&mhd.add_response_header,
		(void **)&mhd.queue_response,
		(void **)&mhd.destroy_response,
		(void **)&mhd.lookup_connection_value,
	};
	void *h;

	if (mhd.start_daemon)
		return 0;
	h = dlopen(MHD_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		snprintf(err, errlen, "cannot load %s (install libmicrohttpd12): %s", MHD_SONAME,
			 dlerror());
		return -1;
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		*slots[i] = dlsym(h, names[i]);
		if (!*slots[i]) {
			snprintf(err, errlen, "%s has no %s", MHD_SONAME, names[i]);
			memset(&mhd, 0, sizeof(mhd));
			dlclose(h);
			return -1;
		}
	}
	/* kept open for the life of the process, as a linked library is */
	return 0;
}

struct http_server {
	struct MHD_Daemon *d;
	http_metrics_fn fn;
	void *ctx;
	int fd;
};

int http_parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *len, char *err,
		      size_t errlen)
{
	char host[INET6_ADDRSTRLEN + 2];
	const char *colon, *port_s;
	unsigned long port;
	char *end;
	size_t hl;

	memset(ss, 0, sizeof(*ss));
	if (s[0] == '[') {
		const char *close = strchr(s, ']');

		if (!close || close[1] != ':')
			goto bad;
		hl = (size_t)(close - s - 1);
		if (hl >= sizeof(host))
			goto bad;
		memcpy(host, s + 1, hl);
		port_s = close + 2;
	} else {
		colon = strrchr(s, ':');
		if (!colon)
			goto bad;
		hl = (size_t)(colon - s);
		if (hl >= sizeof(host))
			goto bad;
		memcpy(host, s, hl);
		port_s = colon + 1;
	}
	host[hl] = '\0';
	errno = 0;
	port = strtoul(port_s, &end, 10);
	if (!*port_s || *end || errno || port == 0 || port > 65535) {
		snprintf(err, errlen, "--listen %s: the port must be a number from 1 to 65535", s);
		return -1;
	}
	if (s[0] == '[' || strchr(host, ':')) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;

		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)port);
		if (inet_pton(AF_INET6, host, &a->sin6_addr) != 1)
			goto bad;
		*len = sizeof(*a);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)ss;

		a->sin_family = AF_INET;
		a->sin_port = htons((uint16_t)port);
		if (hl && inet_pton(AF_INET, host, &a->sin_addr) != 1)
			goto bad;
		if (!hl)
			a->sin_addr.s_addr = htonl(INADDR_ANY);
		*len = sizeof(*a);
	}
	return 0;
bad:
	snprintf(err, errlen,
		 "--listen %s: not ADDR:PORT (an IPv4 address, [an IPv6 address], or none for all)",
		 s);
	return -1;
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned int status, const char *type,
			     const void *body, size_t len)
{
	struct MHD_Response *r =
		mhd.create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	mhd.add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	ret = mhd.queue_response(c, status, r);
	mhd.destroy_response(r);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **state)
{
	static const char text[] = "text/plain; charset=utf-8";
	struct http_server *H = cls;
	struct strbuf body = { 0 };
	enum MHD_Result ret;
	bool om;

	(void)version;
	(void)upload;
	/* the first call only announces the request: answer on the second */
	if (!*state) {
		*state = H;
		return MHD_YES;
	}
	/* a body is not wanted: dropped as it comes */
	if (*upload_size) {
		*upload_size = 0;
		return MHD_YES;
	}
	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD))
		return reply(c, MHD_HTTP_METHOD_NOT_ALLOWED, text, "only GET and HEAD\n", 18);
	if (!strcmp(url, "/healthz"))
		return reply(c, MHD_HTTP_OK, text, "ok\n", 3);
	if (strcmp(url, "/metrics"))
		return reply(c, MHD_HTTP_NOT_FOUND, text, "not found: /metrics and /healthz\n", 33);
	om = prom_wants_openmetrics(
		mhd.lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT));
	if (H->fn(H->ctx, om, &body)) {
		sb_free(&body);
		return reply(c, MHD_HTTP_SERVICE_UNAVAILABLE, text, "metrics unavailable\n", 20);
	}
	ret = reply(c, MHD_HTTP_OK, om ? PROM_OM_CONTENT_TYPE : PROM_CONTENT_TYPE,
		    body.p ? body.p : "", body.len);
	sb_free(&body);
	return ret;
}

struct http_server *http_start(const struct sockaddr_storage *addr, socklen_t len,
			       http_metrics_fn fn, void *ctx, char *err, size_t errlen)
{
	struct http_server *H = xcalloc(1, sizeof(*H));
	char shown[INET6_ADDRSTRLEN + 16];
	sigset_t block, old;
	int one = 1;

	if (mhd_open(err, errlen)) {
		free(H);
		return NULL;
	}
	if (addr->ss_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)addr)->sin6_addr, shown,
			  sizeof(shown));
	else
		inet_ntop(AF_INET, &((const struct sockaddr_in *)addr)->sin_addr, shown,
			  sizeof(shown));
	snprintf(shown + strlen(shown), sizeof(shown) - strlen(shown), ":%u",
		 ntohs(((const struct sockaddr_in *)addr)->sin_port));
	H->fn = fn;
	H->ctx = ctx;
	H->fd = -1;
	H->fd = socket(addr->ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (H->fd < 0 || setsockopt(H->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(H->fd, (const struct sockaddr *)addr, len) || listen(H->fd, 64)) {
		snprintf(err, errlen, "cannot listen on %s: %s", shown, strerror(errno));
		goto fail;
	}
	/* the daemon's thread inherits this mask: Ctrl-C goes to the caller's */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	H->d = mhd.start_daemon(MHD_USE_EPOLL_INTERNAL_THREAD, 0, NULL, NULL, on_request, H,
				MHD_OPTION_LISTEN_SOCKET, H->fd, MHD_OPTION_CONNECTION_TIMEOUT,
				(unsigned int)CONN_TIMEOUT_S, MHD_OPTION_CONNECTION_LIMIT,
				(unsigned int)CONN_MAX, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
				(size_t)CONN_MEMORY, MHD_OPTION_END);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!H->d) {
		snprintf(err, errlen, "cannot serve HTTP on %s", shown);
		goto fail;
	}
	return H;
fail:
	http_stop(H);
	return NULL;
}

void http_stop(struct http_server *H)
{
	if (!H)
		return;
	/* the daemon closes the listen socket it was given */
	if (H->d)
		mhd.stop_daemon(H->d);
	else if (H->fd >= 0)
		close(H->fd);
	free(H);
}
