// SPDX-License-Identifier: GPL-2.0
/*
 * flowgen: paced traffic with known byte counts, for the tests of socktap
 * top (tests/integration/t_top.sh, t_top_screen.sh, tests/bench/b_top.sh).
 *
 *   flowgen sink --listen ADDR [--port P] [--udp] [--peek] [--count K] [--bytes N]
 *   flowgen send --connect ADDR --port P [--udp] --bytes N [--rate R] [--pre-bytes A]
 *   flowgen burst --connect ADDR --port P --count K --bytes S
 *   flowgen shared --connect ADDR --port P --bytes A --child-bytes B [--rate R]
 *   flowgen fork --connect ADDR --port P --bytes A --child-bytes B [--children N] [--gap S]
 *   flowgen pingpong-server --listen ADDR [--port P] [--udp] [--size M]
 *   flowgen pingpong --connect ADDR --port P [--udp] [--size M] (--seconds S | --count K)
 *   flowgen many --listen ADDR --count N [--size M] [--tick MS]
 *
 * Every mode prints JSON lines on stdout, each with "event" and the pid of
 * the process that printed it, and checks its own counts: a byte count that
 * is not what it should be, like any failure, is one line on stderr and exit
 * 1 (a usage error: exit 2). --timeout SECS (default 60) bounds the whole
 * run of every process. --comm NAME renames the process (before any socket
 * exists). Rates are bytes per second; payload bytes only.
 *
 * sink: TCP: accepts K connections (default 1), reads each to EOF, then
 * closes it; a line {"event":"conn",...} per connection (not with --quiet)
 * and {"event":"done","bytes":total,"connections":K} at the end. UDP: reads
 * datagrams until it has N bytes (--bytes, required); with --peek it first
 * peeks at each datagram (MSG_PEEK), then reads it. With --bytes the total
 * must be exactly N.
 *
 * send: connects and sends N bytes at R bytes/s (0 or none: as fast as it
 * can), a share every --tick ms (default 10) so that any window of a second
 * holds R bytes within a tick's share; "late_max_ms" in the done line says
 * how far behind its schedule a busy machine made it. TCP: then it waits
 * until the peer has acknowledged everything, shuts down its write side,
 * reads the peer's EOF and closes. UDP: datagrams of --size bytes (default
 * 1200) from a connected socket. --pre-bytes A first sends A bytes at once,
 * waits until they are acknowledged (TCP), prints {"event":"waiting"} and
 * waits for SIGUSR1 before sending the N: a connection open before a tool
 * started.
 *
 * burst: K connections one after another, each: connect, S bytes, shut
 * down, read EOF, close; the done line has the longest connection's life
 * (socket to close) and the whole burst's, in ms.
 *
 * shared: connects, forks; parent and child then send A and B bytes on the
 * one socket at the same time (each at R if given); the child exits, the
 * parent closes the connection. Lines "sent" from both, "done" (A + B).
 *
 * fork: connects, sends A, waits until they are acknowledged, forks N
 * children (default 1), waits --gap seconds (default 2), prints "forked"
 * (the children's pids and which one sends: the highest pid) and exits. The
 * children wait until the parent has gone and --gap more; the sender then
 * sends B (at R if given), shuts down and reads EOF, the others only hold
 * the socket; all of them hold it --gap more, then exit, each printing
 * "exit"; the sender prints "done" first.
 *
 * pingpong-server / pingpong: request/response transactions of --size bytes
 * (default 64) each way, TCP (TCP_NODELAY) or UDP; the server echoes until
 * killed (TCP: one client at a time), the client runs --seconds or --count
 * transactions and prints "done" with "transactions" and "elapsed_ns".
 *
 * many: N TCP sockets in this one process (N / 2 connected pairs to a
 * listener on ADDR, which is not counted; RLIMIT_NOFILE is raised to its
 * hard limit), then {"event":"ready","sockets":N}; from then on, every
 * --tick ms (default 10; 1000 for once a second), each pair moves M bytes
 * (default 1200) from its client to its server side, until killed or
 * --timeout.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/sockios.h>

#include "testkit.h"

const char testkit_name[] = "flowgen";

#define BUF_SIZE (256 * 1024)
#define UDP_RCVBUF (32 * 1024 * 1024)
#define MAX_SINK_CONNS 4096
#define MAX_CHILDREN 16
#define MAX_DGRAM 65507

enum mode {
	M_NONE,
	M_SINK,
	M_SEND,
	M_BURST,
	M_SHARED,
	M_FORK,
	M_PP_SERVER,
	M_PINGPONG,
	M_MANY,
};

static const char *const mode_names[] = {
	[M_SINK] = "sink",	   [M_SEND] = "send", [M_BURST] = "burst",
	[M_SHARED] = "shared",	   [M_FORK] = "fork", [M_PP_SERVER] = "pingpong-server",
	[M_PINGPONG] = "pingpong", [M_MANY] = "many",
};

struct opts {
	enum mode mode;
	bool udp, peek, quiet;
	bool has_addr, has_port, has_bytes, has_child_bytes, has_count;
	struct sockaddr_storage addr;
	unsigned int port;
	uint64_t rate, bytes, pre_bytes, child_bytes, count;
	unsigned int children, size;
	int gap_ms, seconds_ms, tick_ms, timeout_ms;
	const char *comm;
};

static unsigned char buf[BUF_SIZE];
static int self_pid;
static int timeout_s = 60;

static const char usage_text[] =
	"usage: flowgen sink --listen ADDR [--port P] [--udp] [--peek] [--count K] [--bytes N]\n"
	"       flowgen send --connect ADDR --port P [--udp] --bytes N [--rate R] [--pre-bytes A]\n"
	"       flowgen burst --connect ADDR --port P --count K --bytes S\n"
	"       flowgen shared --connect ADDR --port P --bytes A --child-bytes B [--rate R]\n"
	"       flowgen fork --connect ADDR --port P --bytes A --child-bytes B [--children N]\n"
	"                    [--gap SECS] [--rate R]\n"
	"       flowgen pingpong-server --listen ADDR [--port P] [--udp] [--size M]\n"
	"       flowgen pingpong --connect ADDR --port P [--udp] [--size M]\n"
	"                    (--seconds S | --count K)\n"
	"       flowgen many --listen ADDR --count N [--size M] [--tick MS]\n"
	"common: [--timeout SECS] [--comm NAME] [--quiet] [--tick MS] [--size M]\n";

/* One JSON line, flushed at once: the tests read the output while we run. */
static void __attribute__((format(printf, 2, 3))) emit(const char *event, const char *fmt, ...)
{
	va_list ap;

	printf("{\"event\":\"%s\",\"pid\":%d", event, self_pid);
	if (fmt && *fmt) {
		putchar(',');
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
	}
	fputs("}\n", stdout);
	if (fflush(stdout))
		die("stdout: %s", strerror(errno));
}

static void on_alarm(int sig)
{
	static const char msg[] = "flowgen: timed out\n";
	ssize_t n;

	(void)sig;
	n = write(STDERR_FILENO, msg, sizeof(msg) - 1);
	(void)n;
	_exit(EXIT_FAIL);
}

/* Every process (children too: fork clears alarms) ends by itself. */
static void arm_timeout(void)
{
	signal(SIGALRM, on_alarm);
	alarm(timeout_s);
}

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double wall(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void sleep_until(double t)
{
	struct timespec ts;

	ts.tv_sec = (time_t)t;
	ts.tv_nsec = (long)((t - (double)ts.tv_sec) * 1e9);
	if (ts.tv_nsec >= 1000000000L)
		ts.tv_nsec = 999999999L;
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

static void sleep_ms(int ms)
{
	sleep_until(mono() + ms / 1e3);
}

/* ---- addresses ---- */

/* "laddr":..,"lport":..,"raddr":..,"rport":.. of a connected socket */
static const char *endpoints(int fd, char *out, size_t len)
{
	struct sockaddr_storage l, r;
	socklen_t ll = sizeof(l), rl = sizeof(r);
	char la[INET6_ADDRSTRLEN], ra[INET6_ADDRSTRLEN];

	if (getsockname(fd, (struct sockaddr *)&l, &ll) ||
	    getpeername(fd, (struct sockaddr *)&r, &rl))
		die("getsockname/getpeername: %s", strerror(errno));
	snprintf(out, len, "\"laddr\":\"%s\",\"lport\":%u,\"raddr\":\"%s\",\"rport\":%u",
		 sa_addr_str(&l, la), sa_port(&l), sa_addr_str(&r, ra), sa_port(&r));
	return out;
}

/* ---- options ---- */

/* A whole decimal number in min..max; one too large for 64 bits is not a number. */
static uint64_t parse_u64(const char *s, const char *opt, uint64_t min, uint64_t max)
{
	uint64_t v = 0;

	if (parse_decimal(s, &v))
		usage_err("%s: '%s' is not a number", opt, s);
	if (v < min || v > max)
		usage_err("%s: %s is out of range (%" PRIu64 "..%" PRIu64 ")", opt, s, min, max);
	return v;
}

/* Seconds, fractions allowed, to ms. */
static int parse_secs(const char *s, const char *opt)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (*s < '0' || *s > '9' || *end || errno || v > 86400)
		usage_err("%s: '%s' is not a number of seconds (0..86400)", opt, s);
	return (int)(v * 1000 + 0.5);
}

static void parse_addr(const char *s, const char *opt, struct sockaddr_storage *ss)
{
	if (!sa_parse(s, ss))
		usage_err("%s: '%s' is not a numeric IPv4 or IPv6 address", opt, s);
}

enum {
	OPT_LISTEN = 256,
	OPT_CONNECT,
	OPT_PORT,
	OPT_RATE,
	OPT_BYTES,
	OPT_PRE_BYTES,
	OPT_CHILD_BYTES,
	OPT_COUNT,
	OPT_CHILDREN,
	OPT_GAP,
	OPT_SECONDS,
	OPT_SIZE,
	OPT_TICK,
	OPT_TIMEOUT,
	OPT_COMM,
	OPT_PEEK,
	OPT_QUIET,
};

static const struct option long_opts[] = {
	{ "udp", no_argument, NULL, 'u' },
	{ "help", no_argument, NULL, 'h' },
	{ "listen", required_argument, NULL, OPT_LISTEN },
	{ "connect", required_argument, NULL, OPT_CONNECT },
	{ "port", required_argument, NULL, OPT_PORT },
	{ "rate", required_argument, NULL, OPT_RATE },
	{ "bytes", required_argument, NULL, OPT_BYTES },
	{ "pre-bytes", required_argument, NULL, OPT_PRE_BYTES },
	{ "child-bytes", required_argument, NULL, OPT_CHILD_BYTES },
	{ "count", required_argument, NULL, OPT_COUNT },
	{ "children", required_argument, NULL, OPT_CHILDREN },
	{ "gap", required_argument, NULL, OPT_GAP },
	{ "seconds", required_argument, NULL, OPT_SECONDS },
	{ "size", required_argument, NULL, OPT_SIZE },
	{ "tick", required_argument, NULL, OPT_TICK },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "comm", required_argument, NULL, OPT_COMM },
	{ "peek", no_argument, NULL, OPT_PEEK },
	{ "quiet", no_argument, NULL, OPT_QUIET },
	{ NULL, 0, NULL, 0 },
};

static void parse_args(int argc, char **argv, struct opts *o)
{
	const char *listen = NULL, *conn = NULL;
	size_t i;
	int c;

	memset(o, 0, sizeof(*o));
	o->count = 1;
	o->children = 1;
	o->gap_ms = 2000;
	o->tick_ms = 10;
	o->size = 0;
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(usage_text, argc < 2 ? stderr : stdout);
		exit(argc < 2 ? EXIT_USAGE : 0);
	}
	for (i = 0; i < sizeof(mode_names) / sizeof(mode_names[0]); i++)
		if (mode_names[i] && !strcmp(argv[1], mode_names[i]))
			o->mode = (enum mode)i;
	if (o->mode == M_NONE)
		usage_err("unknown mode '%s' (flowgen --help)", argv[1]);
	optind = 2;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "uh", long_opts, NULL)) != -1) {
		switch (c) {
		case 'u':
			o->udp = true;
			break;
		case 'h':
			fputs(usage_text, stdout);
			exit(0);
		case OPT_LISTEN:
			listen = optarg;
			break;
		case OPT_CONNECT:
			conn = optarg;
			break;
		case OPT_PORT:
			o->port = (unsigned int)parse_u64(optarg, "--port", 0, 65535);
			o->has_port = true;
			break;
		case OPT_RATE:
			o->rate = parse_u64(optarg, "--rate", 0, UINT64_C(1) << 40);
			break;
		case OPT_BYTES:
			o->bytes = parse_u64(optarg, "--bytes", 0, UINT64_C(1) << 50);
			o->has_bytes = true;
			break;
		case OPT_PRE_BYTES:
			o->pre_bytes = parse_u64(optarg, "--pre-bytes", 1, UINT64_C(1) << 40);
			break;
		case OPT_CHILD_BYTES:
			o->child_bytes = parse_u64(optarg, "--child-bytes", 0, UINT64_C(1) << 40);
			o->has_child_bytes = true;
			break;
		case OPT_COUNT:
			o->count = parse_u64(optarg, "--count", 1, UINT64_C(1) << 40);
			o->has_count = true;
			break;
		case OPT_CHILDREN:
			o->children =
				(unsigned int)parse_u64(optarg, "--children", 1, MAX_CHILDREN);
			break;
		case OPT_GAP:
			o->gap_ms = parse_secs(optarg, "--gap");
			break;
		case OPT_SECONDS:
			o->seconds_ms = parse_secs(optarg, "--seconds");
			break;
		case OPT_SIZE:
			o->size = (unsigned int)parse_u64(optarg, "--size", 1, MAX_DGRAM);
			break;
		case OPT_TICK:
			o->tick_ms = (int)parse_u64(optarg, "--tick", 1, 1000);
			break;
		case OPT_TIMEOUT:
			timeout_s = (int)parse_u64(optarg, "--timeout", 1, 86400);
			break;
		case OPT_COMM:
			o->comm = optarg;
			break;
		case OPT_PEEK:
			o->peek = true;
			break;
		case OPT_QUIET:
			o->quiet = true;
			break;
		default:
			usage_err("%s: unknown option or missing value", argv[optind - 1]);
		}
	}
	if (optind < argc)
		usage_err("unexpected argument '%s'", argv[optind]);
	if (o->mode == M_SINK || o->mode == M_PP_SERVER || o->mode == M_MANY) {
		if (!listen || conn)
			usage_err("%s needs --listen ADDR (and no --connect)", argv[1]);
		parse_addr(listen, "--listen", &o->addr);
	} else {
		if (!conn || listen || !o->has_port || !o->port)
			usage_err("%s needs --connect ADDR and --port P", argv[1]);
		parse_addr(conn, "--connect", &o->addr);
	}
	sa_set_port(&o->addr, o->port);
	if (o->udp && o->mode != M_SINK && o->mode != M_SEND && o->mode != M_PP_SERVER &&
	    o->mode != M_PINGPONG)
		usage_err("--udp: not with %s", argv[1]);
	if (o->peek && !(o->udp && o->mode == M_SINK))
		usage_err("--peek: only with sink --udp");
	if (o->mode == M_SINK && o->udp && !o->has_bytes)
		usage_err("sink --udp needs --bytes N (UDP has no EOF)");
	if ((o->mode == M_SEND || o->mode == M_BURST || o->mode == M_SHARED || o->mode == M_FORK) &&
	    !o->has_bytes)
		usage_err("%s needs --bytes", argv[1]);
	if ((o->mode == M_SHARED || o->mode == M_FORK) && !o->has_child_bytes)
		usage_err("%s needs --child-bytes", argv[1]);
	if (o->mode == M_BURST && !o->has_count)
		usage_err("burst needs --count");
	if (o->mode == M_MANY && (!o->has_count || o->count % 2 || o->count > 1000000))
		usage_err("many needs --count N, even, at most 1000000");
	if (o->mode == M_PINGPONG && !o->seconds_ms == !o->has_count)
		usage_err("pingpong needs one of --seconds and --count");
	if (o->pre_bytes && (o->mode != M_SEND || o->udp))
		usage_err("--pre-bytes: only with send over TCP");
	if (!o->size)
		o->size = o->mode == M_PINGPONG || o->mode == M_PP_SERVER ? 64 : 1200;
	if (o->size > BUF_SIZE)
		usage_err("--size: at most %d", BUF_SIZE);
}

/* ---- sockets ---- */

static int new_socket(const struct opts *o)
{
	return socket_or_die(o->addr.ss_family, o->udp ? SOCK_DGRAM : SOCK_STREAM);
}

static int connect_to(const struct opts *o)
{
	int fd = new_socket(o);
	char a[INET6_ADDRSTRLEN];

	if (connect(fd, (const struct sockaddr *)&o->addr, sa_len(&o->addr)))
		die("connect to %s port %u: %s", sa_addr_str(&o->addr, a), o->port,
		    strerror(errno));
	return fd;
}

/* Bound (and for TCP listening) on --listen; prints "listening". */
static int listen_on(const struct opts *o)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	int fd = new_socket(o), one = 1;
	char a[INET6_ADDRSTRLEN];

	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	/* UDP has no flow control: a burst must fit the receive buffer */
	if (o->udp)
		grow_rcvbuf(fd, UDP_RCVBUF);
	if (bind(fd, (const struct sockaddr *)&o->addr, sa_len(&o->addr)))
		die("bind to %s port %u: %s", sa_addr_str(&o->addr, a), o->port, strerror(errno));
	if (!o->udp && listen(fd, 1024))
		die("listen: %s", strerror(errno));
	if (getsockname(fd, (struct sockaddr *)&ss, &len))
		die("getsockname: %s", strerror(errno));
	emit("listening", "\"proto\":\"%s\",\"addr\":\"%s\",\"port\":%u", o->udp ? "udp" : "tcp",
	     sa_addr_str(&ss, a), sa_port(&ss));
	return fd;
}

static void send_all(int fd, size_t n)
{
	while (n) {
		ssize_t w = send(fd, buf, n < BUF_SIZE ? n : BUF_SIZE, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			die("send: %s", w < 0 ? strerror(errno) : "sent nothing");
		n -= (size_t)w;
	}
}

/* Until the peer has acknowledged everything sent (and a FIN, if sent). */
static void wait_acked(int fd)
{
	int outq;

	for (;;) {
		if (ioctl(fd, SIOCOUTQ, &outq))
			die("SIOCOUTQ: %s", strerror(errno));
		if (outq == 0)
			return;
		sleep_ms(1);
	}
}

/* Reads to EOF; the count must be 0 (nobody sends to the senders). */
static void read_eof(int fd)
{
	for (;;) {
		ssize_t r = recv(fd, buf, BUF_SIZE, 0);

		if (r == 0)
			return;
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			die("recv: %s", strerror(errno));
		die("received %zd bytes where none were due", r);
	}
}

/* TCP end of a sender: everything acknowledged, then an orderly close. */
static void tcp_finish(int fd)
{
	wait_acked(fd);
	if (shutdown(fd, SHUT_WR))
		die("shutdown: %s", strerror(errno));
	read_eof(fd);
	if (close(fd))
		die("close: %s", strerror(errno));
}

/*
 * Sends n bytes at rate bytes/s (0: at once): at every tick, what the
 * schedule says is due by now. UDP sends whole datagrams of size bytes,
 * the last one shorter. Returns how late the ticks came at worst, in ms.
 */
static double paced_send(const struct opts *o, int fd, uint64_t n, uint64_t rate)
{
	double t0 = mono(), tick = o->tick_ms / 1e3, late_max = 0;
	uint64_t sent = 0, k;

	if (!rate) {
		if (!o->udp) {
			send_all(fd, n);
			return 0;
		}
		rate = UINT64_C(1) << 40;
	}
	for (k = 1; sent < n; k++) {
		double due_t = t0 + k * tick, now, late;
		uint64_t due;

		if (rate < (UINT64_C(1) << 40))
			sleep_until(due_t);
		now = mono();
		late = now - due_t;
		if (late > late_max)
			late_max = late;
		due = (uint64_t)((now - t0) * (double)rate);
		if (due > n)
			due = n;
		if (!o->udp) {
			if (due > sent)
				send_all(fd, due - sent);
			sent = sent > due ? sent : due;
		} else {
			while (sent < due && (sent + o->size <= due || due == n)) {
				uint64_t d = n - sent < o->size ? n - sent : o->size;

				send_all(fd, d);
				sent += d;
			}
		}
		/* ticks missed while blocked are not made up one by one */
		if (now - t0 > (k + 1) * tick)
			k = (uint64_t)((now - t0) / tick);
	}
	return late_max > 0 ? late_max * 1e3 : 0;
}

/* ---- sink ---- */

static int sink_udp(const struct opts *o)
{
	int fd = listen_on(o);
	uint64_t got = 0, peeked = 0, dgrams = 0;
	double t0 = 0;

	while (got < o->bytes) {
		ssize_t r;

		if (o->peek) {
			r = recv(fd, buf, BUF_SIZE, MSG_PEEK | MSG_TRUNC);
			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0)
				die("recv MSG_PEEK: %s", strerror(errno));
			peeked += (uint64_t)r;
		}
		r = recv(fd, buf, BUF_SIZE, MSG_TRUNC);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			die("recv: %s", strerror(errno));
		if (!dgrams++)
			t0 = wall();
		got += (uint64_t)r;
	}
	emit("done",
	     "\"proto\":\"udp\",\"bytes\":%" PRIu64 ",\"datagrams\":%" PRIu64 ",\"peeked\":%" PRIu64
	     ",\"start\":%.3f,\"end\":%.3f",
	     got, dgrams, peeked, t0, wall());
	if (got != o->bytes)
		die("received %" PRIu64 " bytes, expected %" PRIu64, got, o->bytes);
	if (o->peek && peeked != got)
		die("peeked at %" PRIu64 " bytes but read %" PRIu64, peeked, got);
	close(fd);
	return 0;
}

struct sink_conn {
	int fd;
	uint64_t bytes;
	char ep[160];
};

static int sink_tcp(const struct opts *o)
{
	static struct pollfd pfd[MAX_SINK_CONNS + 1];
	static struct sink_conn conns[MAX_SINK_CONNS];
	int lfd = listen_on(o);
	uint64_t accepted = 0, closed = 0, total = 0;
	size_t n = 0, i;
	double t0 = 0;

	while (closed < o->count) {
		int ready;

		pfd[0].fd = accepted < o->count ? lfd : -1;
		pfd[0].events = POLLIN;
		for (i = 0; i < n; i++) {
			pfd[i + 1].fd = conns[i].fd;
			pfd[i + 1].events = POLLIN;
		}
		ready = poll(pfd, n + 1, -1);
		if (ready < 0 && errno == EINTR)
			continue;
		if (ready < 0)
			die("poll: %s", strerror(errno));
		for (i = n; i-- > 0;) {
			struct sink_conn *c = &conns[i];
			ssize_t r;

			if (!pfd[i + 1].revents)
				continue;
			r = recv(c->fd, buf, BUF_SIZE, 0);
			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0)
				die("recv: %s", strerror(errno));
			if (r > 0) {
				c->bytes += (uint64_t)r;
				total += (uint64_t)r;
				continue;
			}
			if (close(c->fd))
				die("close: %s", strerror(errno));
			closed++;
			if (!o->quiet)
				emit("conn", "%s,\"bytes\":%" PRIu64, c->ep, c->bytes);
			conns[i] = conns[--n];
		}
		if (pfd[0].fd >= 0 && pfd[0].revents) {
			int fd = accept(lfd, NULL, NULL);

			if (fd < 0)
				die("accept: %s", strerror(errno));
			if (n == MAX_SINK_CONNS)
				die("more than %d connections at once", MAX_SINK_CONNS);
			if (!accepted++)
				t0 = wall();
			conns[n].fd = fd;
			conns[n].bytes = 0;
			endpoints(fd, conns[n].ep, sizeof(conns[n].ep));
			n++;
		}
	}
	close(lfd);
	emit("done",
	     "\"proto\":\"tcp\",\"bytes\":%" PRIu64 ",\"connections\":%" PRIu64
	     ",\"start\":%.3f,\"end\":%.3f",
	     total, closed, t0, wall());
	if (o->has_bytes && total != o->bytes)
		die("received %" PRIu64 " bytes, expected %" PRIu64, total, o->bytes);
	return 0;
}

/* ---- senders ---- */

static int run_send(const struct opts *o)
{
	char ep[160];
	sigset_t usr1;
	double t0, t1, late;
	int fd, sig;

	/* blocked before anyone can know our pid: an early signal waits */
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	fd = connect_to(o);
	emit("connected", "\"proto\":\"%s\",%s", o->udp ? "udp" : "tcp",
	     endpoints(fd, ep, sizeof(ep)));
	if (o->pre_bytes) {
		send_all(fd, o->pre_bytes);
		wait_acked(fd);
		emit("waiting", "\"pre_bytes\":%" PRIu64, o->pre_bytes);
		if (sigwait(&usr1, &sig))
			die("sigwait failed");
	}
	t0 = wall();
	late = paced_send(o, fd, o->bytes, o->rate);
	if (!o->udp) {
		wait_acked(fd);
		t1 = wall();
		tcp_finish(fd);
	} else {
		t1 = wall();
		close(fd);
	}
	emit("done",
	     "\"proto\":\"%s\",\"bytes\":%" PRIu64 ",\"pre_bytes\":%" PRIu64 ",\"rate\":%" PRIu64
	     ",\"start\":%.3f,\"end\":%.3f,\"late_max_ms\":%.1f",
	     o->udp ? "udp" : "tcp", o->bytes, o->pre_bytes, o->rate, t0, t1, late);
	return 0;
}

static int run_burst(const struct opts *o)
{
	double t0 = mono(), w0 = wall(), longest = 0;
	uint64_t i;

	for (i = 0; i < o->count; i++) {
		double c0 = mono(), life;
		int fd = connect_to(o);

		send_all(fd, o->bytes);
		tcp_finish(fd);
		life = mono() - c0;
		if (life > longest)
			longest = life;
	}
	emit("done",
	     "\"connections\":%" PRIu64 ",\"bytes\":%" PRIu64 ",\"bytes_each\":%" PRIu64
	     ",\"longest_ms\":%.3f,\"elapsed_ms\":%.3f,\"start\":%.3f,\"end\":%.3f",
	     o->count, o->count * o->bytes, o->bytes, longest * 1e3, (mono() - t0) * 1e3, w0,
	     wall());
	return 0;
}

static void reap(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			die("waitpid: %s", strerror(errno));
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		die("child %d failed (status 0x%x)", (int)pid, st);
}

static void read_byte(int fd, char *c)
{
	ssize_t r;

	do {
		r = read(fd, c, 1);
	} while (r < 0 && errno == EINTR);
	if (r != 1)
		die("pipe: %s", r < 0 ? strerror(errno) : "closed early");
}

/* Until every writer of fd has closed it (read returns 0). */
static void wait_closed(int fd)
{
	char c;
	ssize_t r;

	do {
		r = read(fd, &c, 1);
	} while (r > 0 || (r < 0 && errno == EINTR));
}

static int run_shared(const struct opts *o)
{
	int fd = connect_to(o), go[2];
	char ep[160], c = 'g';
	pid_t child;

	emit("connected", "\"proto\":\"tcp\",%s", endpoints(fd, ep, sizeof(ep)));
	if (pipe(go))
		die("pipe: %s", strerror(errno));
	fflush(stdout);
	child = fork();
	if (child < 0)
		die("fork: %s", strerror(errno));
	if (child == 0) {
		self_pid = getpid();
		arm_timeout();
		close(go[1]);
		read_byte(go[0], &c);
		paced_send(o, fd, o->child_bytes, o->rate);
		emit("sent", "\"role\":\"child\",\"parent\":%d,\"bytes\":%" PRIu64, (int)getppid(),
		     o->child_bytes);
		_exit(0);
	}
	close(go[0]);
	emit("forked", "\"child\":%d", (int)child);
	/* both start together: the bytes interleave on the one socket */
	if (write(go[1], &c, 1) != 1)
		die("pipe: %s", strerror(errno));
	paced_send(o, fd, o->bytes, o->rate);
	emit("sent", "\"role\":\"parent\",\"child\":%d,\"bytes\":%" PRIu64, (int)child, o->bytes);
	reap(child);
	tcp_finish(fd);
	emit("done",
	     "\"child\":%d,\"bytes\":%" PRIu64 ",\"parent_bytes\":%" PRIu64
	     ",\"child_bytes\":%" PRIu64,
	     (int)child, o->bytes + o->child_bytes, o->bytes, o->child_bytes);
	return 0;
}

/*
 * fork: the children learn their role from a pipe of their own that only
 * the parent writes, and that the parent's exit closes; the holders wait
 * for the sender through a pipe that only the sender keeps open.
 */
static int run_fork(const struct opts *o)
{
	int fd = connect_to(o), role[MAX_CHILDREN][2], done[2];
	pid_t kids[MAX_CHILDREN], sender = 0;
	char ep[160], list[MAX_CHILDREN * 12 + 1] = "";
	unsigned int i, j;
	size_t len = 0;

	emit("connected", "\"proto\":\"tcp\",%s", endpoints(fd, ep, sizeof(ep)));
	paced_send(o, fd, o->bytes, o->rate);
	wait_acked(fd);
	emit("sent", "\"role\":\"parent\",\"bytes\":%" PRIu64, o->bytes);
	if (pipe(done))
		die("pipe: %s", strerror(errno));
	for (i = 0; i < o->children; i++)
		if (pipe(role[i]))
			die("pipe: %s", strerror(errno));
	fflush(stdout);
	for (i = 0; i < o->children; i++) {
		char r;

		kids[i] = fork();
		if (kids[i] < 0)
			die("fork: %s", strerror(errno));
		if (kids[i])
			continue;
		self_pid = getpid();
		arm_timeout();
		for (j = 0; j < o->children; j++) {
			close(role[j][1]);
			if (j != i)
				close(role[j][0]);
		}
		read_byte(role[i][0], &r);
		wait_closed(role[i][0]); /* the parent has gone */
		if (r != 's') {
			close(done[1]);
			wait_closed(done[0]);
			emit("exit", "\"role\":\"holder\"");
			_exit(0);
		}
		close(done[0]);
		sleep_ms(o->gap_ms);
		paced_send(o, fd, o->child_bytes, o->rate);
		tcp_finish(fd);
		emit("done", "\"role\":\"sender\",\"bytes\":%" PRIu64, o->child_bytes);
		sleep_ms(o->gap_ms);
		emit("exit", "\"role\":\"sender\"");
		_exit(0);
	}
	close(done[0]);
	close(done[1]);
	for (i = 0; i < o->children; i++) {
		close(role[i][0]);
		if (kids[i] > sender)
			sender = kids[i];
		len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%d", i ? "," : "",
					(int)kids[i]);
	}
	sleep_ms(o->gap_ms);
	for (i = 0; i < o->children; i++) {
		char r = kids[i] == sender ? 's' : 'h';

		if (write(role[i][1], &r, 1) != 1)
			die("pipe: %s", strerror(errno));
	}
	emit("forked", "\"children\":[%s],\"sender\":%d,\"bytes\":%" PRIu64, list, (int)sender,
	     o->bytes);
	/* exit closes the role pipes: the children go on without us */
	return 0;
}

/* ---- ping-pong ---- */

static void recv_exact(int fd, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = recv(fd, buf + got, n - got, 0);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			die("recv: %s", strerror(errno));
		if (r == 0)
			die("EOF after %zu of %zu bytes", got, n);
		got += (size_t)r;
	}
}

static int pp_server(const struct opts *o)
{
	int lfd = listen_on(o), one = 1;

	if (o->udp) {
		for (;;) {
			struct sockaddr_storage from;
			socklen_t fl = sizeof(from);
			ssize_t r = recvfrom(lfd, buf, BUF_SIZE, 0, (struct sockaddr *)&from, &fl);

			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0)
				die("recvfrom: %s", strerror(errno));
			if (sendto(lfd, buf, (size_t)r, 0, (struct sockaddr *)&from, fl) != r)
				die("sendto: %s", strerror(errno));
		}
	}
	for (;;) {
		int fd = accept(lfd, NULL, NULL);

		if (fd < 0 && errno == EINTR)
			continue;
		if (fd < 0)
			die("accept: %s", strerror(errno));
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		for (;;) {
			ssize_t r = recv(fd, buf, BUF_SIZE, 0);

			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0)
				break;
			send_all(fd, (size_t)r);
		}
		close(fd);
	}
}

static int pp_client(const struct opts *o)
{
	int fd = connect_to(o), one = 1;
	struct timeval tv = { .tv_sec = 2 };
	double t0, t1, end;
	uint64_t n = 0;

	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	/* a lost datagram must end the run, not hang it */
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	t0 = mono();
	end = t0 + o->seconds_ms / 1e3;
	for (;;) {
		send_all(fd, o->size);
		if (o->udp) {
			ssize_t r = recv(fd, buf, BUF_SIZE, 0);

			if (r < 0 && errno == EINTR)
				continue;
			if (r != (ssize_t)o->size)
				die("reply %zd: %s", r,
				    r < 0 ? strerror(errno) : "not the size sent");
		} else {
			recv_exact(fd, o->size);
		}
		n++;
		if (o->has_count ? n >= o->count : mono() >= end)
			break;
	}
	t1 = mono();
	close(fd);
	emit("done",
	     "\"proto\":\"%s\",\"size\":%u,\"transactions\":%" PRIu64
	     ",\"elapsed_ns\":%.0f,\"rate\":%.1f",
	     o->udp ? "udp" : "tcp", o->size, n, (t1 - t0) * 1e9, n / (t1 - t0));
	return 0;
}

/* ---- many ---- */

static int run_many(const struct opts *o)
{
	size_t pairs = (size_t)(o->count / 2), i;
	int lfd = listen_on(o), *cli, *srv;
	struct rlimit rl;
	double next;
	struct sockaddr_storage to;
	socklen_t len = sizeof(to);

	if (!getrlimit(RLIMIT_NOFILE, &rl)) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (getsockname(lfd, (struct sockaddr *)&to, &len))
		die("getsockname: %s", strerror(errno));
	cli = calloc(pairs, sizeof(*cli));
	srv = calloc(pairs, sizeof(*srv));
	if (!cli || !srv)
		die("out of memory");
	for (i = 0; i < pairs; i++) {
		cli[i] = new_socket(o);
		if (connect(cli[i], (const struct sockaddr *)&to, len))
			die("connect %zu of %zu: %s", i + 1, pairs, strerror(errno));
		srv[i] = accept(lfd, NULL, NULL);
		if (srv[i] < 0)
			die("accept %zu of %zu: %s", i + 1, pairs, strerror(errno));
	}
	emit("ready", "\"sockets\":%zu,\"port\":%u", 2 * pairs, sa_port(&to));
	next = mono();
	for (;;) {
		next += o->tick_ms / 1e3;
		sleep_until(next);
		for (i = 0; i < pairs; i++)
			send_all(cli[i], o->size);
		for (i = 0; i < pairs; i++)
			recv_exact(srv[i], o->size);
		if (mono() > next + o->tick_ms / 1e3)
			next = mono();
	}
}

int main(int argc, char **argv)
{
	struct opts o;

	/* the children's messages say whose they are; none flushes the others' stdio */
	testkit_show_pid = true;
	testkit_quick_exit = true;
	self_pid = getpid();
	parse_args(argc, argv, &o);
	if (o.comm && prctl(PR_SET_NAME, o.comm, 0, 0, 0))
		die("prctl PR_SET_NAME: %s", strerror(errno));
	signal(SIGPIPE, SIG_IGN);
	/* a script's background job starts with SIGINT ignored: Ctrl-C and a
	 * bench's stop (SIGINT) must still end us */
	signal(SIGINT, SIG_DFL);
	arm_timeout();
	memset(buf, 'f', sizeof(buf));
	switch (o.mode) {
	case M_SINK:
		return o.udp ? sink_udp(&o) : sink_tcp(&o);
	case M_SEND:
		return run_send(&o);
	case M_BURST:
		return run_burst(&o);
	case M_SHARED:
		return run_shared(&o);
	case M_FORK:
		return run_fork(&o);
	case M_PP_SERVER:
		return pp_server(&o);
	case M_PINGPONG:
		return pp_client(&o);
	case M_MANY:
		return run_many(&o);
	case M_NONE:
		break;
	}
	return EXIT_USAGE;
}
