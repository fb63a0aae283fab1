// SPDX-License-Identifier: GPL-2.0
/*
 * export's HTTP request path: raw bytes from a scraper, through
 * libmicrohttpd, to socktap's request handler (http.c's on_request: the
 * method, the path, the Accept header, the metrics body or an error).
 * http.c is compiled into this target so that its handler, static there,
 * serves a daemon driven from here: no listening socket, no thread; each
 * input is written into one end of a socketpair handed to the daemon as a
 * connection, the writing side shut, and the daemon run until it has
 * answered and closed the connection. The metrics function writes a small
 * exposition, or fails (503) when the input's length is odd.
 *
 * Invariants: the daemon ends every connection; anything it answered is an
 * HTTP/1.x status line.
 */
#include <signal.h>
#include <sys/socket.h>
#include "fuzz.h"
#include "http.c" /* user/http.c: on_request is static */

static struct MHD_Daemon *daemon_;
static struct http_server server;
static bool fail_next;

static int fake_metrics(void *ctx, bool openmetrics, struct strbuf *out)
{
	static const struct prom_label l[] = { { "comm", "a\"b\\c\nd" } };
	struct prom p;

	(void)ctx;
	if (fail_next)
		return -1;
	prom_begin(&p, out, openmetrics);
	prom_family(&p, "socktap_bytes", PROM_COUNTER, "bytes\\sent\n");
	prom_sample_u64(&p, l, 1, 42);
	prom_end(&p);
	return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char err[256];

	(void)argc;
	(void)argv;
	signal(SIGPIPE, SIG_IGN);
	/* the handler calls the library through what http_start opens */
	if (mhd_open(err, sizeof(err)))
		abort();
	server.fn = fake_metrics;
	server.fd = -1;
	/* export's bounds (http_start), without its thread and socket */
	daemon_ = MHD_start_daemon(MHD_USE_NO_LISTEN_SOCKET, 0, NULL, NULL, on_request, &server,
				   MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)CONN_TIMEOUT_S,
				   MHD_OPTION_CONNECTION_LIMIT, (unsigned int)CONN_MAX,
				   MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONN_MEMORY,
				   MHD_OPTION_END);
	if (!daemon_)
		abort();
	return 0;
}

static unsigned int connections(void)
{
	const union MHD_DaemonInfo *i =
		MHD_get_daemon_info(daemon_, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);

	return i ? i->num_connections : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sockaddr_in peer = { .sin_family = AF_INET,
				    .sin_port = htons(40000),
				    .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	static char resp[1 << 16];
	size_t got = 0;
	bool eof = false;
	int sv[2];

	if (size > 1 << 16)
		return 0;
	fail_next = size % 2;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv))
		abort();
	if (size && send(sv[1], data, size, MSG_NOSIGNAL) != (ssize_t)size)
		abort();
	shutdown(sv[1], SHUT_WR);
	/* the daemon closes sv[0] when it is done with the connection */
	if (MHD_add_connection(daemon_, sv[0], (struct sockaddr *)&peer, sizeof(peer)) != MHD_YES)
		abort();
	for (int i = 0; i < 1000 && !eof; i++) {
		ssize_t n;

		MHD_run(daemon_);
		while ((n = recv(sv[1], resp + got, sizeof(resp) - 1 - got, 0)) > 0)
			got += (size_t)n;
		if (n == 0 || got == sizeof(resp) - 1)
			eof = true;
	}
	FUZZ_CHECK(eof);
	close(sv[1]);
	for (int i = 0; i < 100 && connections(); i++)
		MHD_run(daemon_);
	FUZZ_CHECK(connections() == 0);
	resp[got] = '\0';
	if (got)
		FUZZ_CHECK(!strncmp(resp, "HTTP/1.", 7));
	return 0;
}
