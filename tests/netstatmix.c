// SPDX-License-Identifier: GPL-2.0
/*
 * netstatmix: holds a known mix of sockets so a test can list them with
 * netstat and socktap side by side. TCP (IPv4, IPv6 and v4-mapped): listeners,
 * established pairs, a connection left in the accept queue, one with unread
 * bytes, a CLOSE_WAIT / FIN_WAIT2 pair and a TIME_WAIT; UDP unconnected and
 * connected; raw ICMP and ICMPv6; unix stream and datagram sockets (bound to
 * a path, abstract, unnamed, socketpairs). Nothing moves once it is set up,
 * so two listings taken one after the other see the same sockets.
 *
 *   netstatmix PORT DIR   ports PORT..PORT+9, unix paths under DIR
 *
 * Prints "ready" once everything is in place, then waits for a signal.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int port_base;

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static int sock(int family, int type, int proto)
{
	int fd = socket(family, type, proto);
	int one = 1;

	if (fd < 0)
		die("socket");
	if (family != AF_UNIX)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	return fd;
}

/* An inet address: "4" family with a dotted quad, "6" with an IPv6 literal. */
static socklen_t addr(struct sockaddr_storage *ss, int family, const char *host, int port_off)
{
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(port_base + port_off);
		inet_pton(AF_INET, host, &sin->sin_addr);
		return sizeof(*sin);
	}
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons(port_base + port_off);
	inet_pton(AF_INET6, host, &sin6->sin6_addr);
	return sizeof(*sin6);
}

static int bound(int family, int type, const char *host, int port_off, int v6only)
{
	struct sockaddr_storage ss;
	socklen_t len = addr(&ss, family, host, port_off);
	int fd = sock(family, type, 0);

	if (family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof(int)))
		die("IPV6_V6ONLY");
	if (bind(fd, (struct sockaddr *)&ss, len))
		die("bind");
	return fd;
}

static int tcp_listen(int family, const char *host, int port_off, int v6only)
{
	int fd = bound(family, SOCK_STREAM, host, port_off, v6only);

	if (listen(fd, 16))
		die("listen");
	return fd;
}

static int connect_to(int fd, int family, const char *host, int port_off)
{
	struct sockaddr_storage ss;
	socklen_t len = addr(&ss, family, host, port_off);

	return connect(fd, (struct sockaddr *)&ss, len);
}

static int tcp_client(int family, const char *host, int port_off)
{
	int fd = sock(family, SOCK_STREAM, 0);

	if (connect_to(fd, family, host, port_off))
		die("connect");
	return fd;
}

static int unix_sock(int type, const char *path, bool abstract)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = sock(AF_UNIX, type, 0);
	socklen_t len;

	if (!path)
		return fd;
	if (abstract) {
		snprintf(sun.sun_path + 1, sizeof(sun.sun_path) - 1, "%s", path);
		len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(path));
	} else {
		snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
		unlink(path);
		len = sizeof(sun);
	}
	if (bind(fd, (struct sockaddr *)&sun, len))
		die("bind unix");
	return fd;
}

static void unix_connect(int fd, const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)))
		die("connect unix");
}

static void on_signal(int sig)
{
	(void)sig;
}

int main(int argc, char **argv)
{
	char stream_path[108], dgram_path[108], abstract[64];
	char buf[1000] = { 0 };
	int l4, l4lo, l6any, l6lo, c, a, sv[2], fd, u;
	struct sigaction sa = { .sa_handler = on_signal };

	if (argc != 3) {
		fprintf(stderr, "usage: netstatmix PORT DIR\n");
		return 2;
	}
	port_base = atoi(argv[1]);
	snprintf(stream_path, sizeof(stream_path), "%s/stream.sock", argv[2]);
	snprintf(dgram_path, sizeof(dgram_path), "%s/dgram.sock", argv[2]);
	snprintf(abstract, sizeof(abstract), "netstatmix-%d", (int)getpid());

	/* TCP listeners: any and loopback, IPv4, dual-stack and v6-only */
	l4 = tcp_listen(AF_INET, "0.0.0.0", 0, 0);
	l4lo = tcp_listen(AF_INET, "127.0.0.1", 1, 0);
	l6any = tcp_listen(AF_INET6, "::", 2, 0);
	l6lo = tcp_listen(AF_INET6, "::1", 3, 1);

	/* established pairs; the accepted v4 side keeps 1000 unread bytes */
	c = tcp_client(AF_INET, "127.0.0.1", 1);
	a = accept(l4lo, NULL, NULL);
	if (a < 0 || write(c, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
		die("v4 pair");
	tcp_client(AF_INET6, "::1", 3);
	if (accept(l6lo, NULL, NULL) < 0)
		die("v6 pair");
	/* v4 client to the dual-stack listener: a v4-mapped tcp6 row */
	tcp_client(AF_INET, "127.0.0.1", 2);
	if (accept(l6any, NULL, NULL) < 0)
		die("mapped pair");
	/* left in the listener's accept queue (Recv-Q 1, no owner) */
	tcp_client(AF_INET, "127.0.0.1", 0);
	/* CLOSE_WAIT on the accepted side, FIN_WAIT2 on the client */
	c = tcp_client(AF_INET6, "::1", 3);
	if (accept(l6lo, NULL, NULL) < 0)
		die("close-wait pair");
	shutdown(c, SHUT_WR);
	/* TIME_WAIT: the client closes first, then the server */
	c = tcp_client(AF_INET, "127.0.0.1", 1);
	a = accept(l4lo, NULL, NULL);
	close(c);
	usleep(50000);
	close(a);

	/* UDP: unconnected any/loopback, connected v4 and v6 */
	u = bound(AF_INET, SOCK_DGRAM, "0.0.0.0", 4, 0);
	fd = bound(AF_INET, SOCK_DGRAM, "127.0.0.1", 5, 0);
	if (connect_to(fd, AF_INET, "127.0.0.1", 4))
		die("udp connect");
	bound(AF_INET6, SOCK_DGRAM, "::", 6, 1);
	fd = bound(AF_INET6, SOCK_DGRAM, "::1", 7, 1);
	if (connect_to(fd, AF_INET6, "::1", 6))
		die("udp6 connect");
	(void)u;
	(void)l4;

	/* raw ICMP sockets */
	sock(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	sock(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6);

	/* unix: a listener with an accepted pair, abstract listener, datagrams */
	fd = unix_sock(SOCK_STREAM, stream_path, false);
	if (listen(fd, 8))
		die("unix listen");
	c = unix_sock(SOCK_STREAM, NULL, false);
	unix_connect(c, stream_path);
	if (accept(fd, NULL, NULL) < 0)
		die("unix accept");
	fd = unix_sock(SOCK_STREAM, abstract, true);
	if (listen(fd, 8))
		die("unix abstract listen");
	unix_sock(SOCK_DGRAM, dgram_path, false);
	c = unix_sock(SOCK_DGRAM, NULL, false);
	unix_connect(c, dgram_path);
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) || socketpair(AF_UNIX, SOCK_DGRAM, 0, sv))
		die("socketpair");
	unix_sock(SOCK_SEQPACKET, NULL, false);

	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	printf("ready\n");
	fflush(stdout);
	pause();
	unlink(stream_path);
	unlink(dgram_path);
	return 0;
}
