// SPDX-License-Identifier: GPL-2.0
/*
 * trafgen: the traffic generator of socktap's integration tests.
 *
 * It moves exact, known byte counts over TCP or UDP, IPv4 or IPv6, and says
 * on stdout (JSON lines) what it sent and received, so that a test can hold
 * socktap's report against the truth. Every blocking step gives up after
 * --timeout seconds; a failure is one line on stderr and exit 1, a usage
 * error exit 2.
 *
 * TCP, per connection: the client connects, sends --send bytes, shuts down
 * its write side and reads to EOF; the server reads to EOF, sends --send
 * bytes and closes. Each side checks it received exactly --recv bytes.
 * With --rst a side closes abortively instead (SO_LINGER {1, 0}): the client
 * once the server has acknowledged its bytes, the server right after the
 * request, without a reply. The other side, which cannot know, always
 * accepts a reset and reports what it got.
 *
 * UDP, per exchange: the client sends --send bytes in datagrams of at most
 * 1200 bytes from a connected socket (one empty datagram if --send is 0);
 * the server, once it has --recv bytes, answers with --send bytes to the
 * client's address. There is no EOF, so a lost datagram shows as a timeout
 * (exit 1), never as a hang.
 *
 * --hold SECS keeps each connection open SECS seconds once its transfer is
 * done (a TCP side first waits until the peer has acknowledged all it sent,
 * its FIN included, so the socket's counters are final), after a "holding"
 * line: a test can look at the live socket with ss or lsof meanwhile. The
 * TCP client holds once it has the reply, before reading the EOF, so both
 * sockets stay open only if the server holds too. --comm NAME renames the
 * process (PR_SET_NAME, before any socket exists) to test how tools print
 * names made of any bytes.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <net/if.h>
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
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/sockios.h>

#include "testkit.h"

const char testkit_name[] = "trafgen";

#define UDP_MAX_PAYLOAD 1200
#define IO_CHUNK (256 * 1024)
/* Prime, so that data shifted by a lost or repeated chunk never matches. */
#define PATTERN_PERIOD 251
/* Lets the UDP socket buffer hold a 10 MiB burst: UDP has no flow control. */
#define UDP_RCVBUF (32 * 1024 * 1024)
/* "[" addr "]:" port */
#define ENDPOINT_STRLEN (INET6_ADDRSTRLEN + 8)

enum {
	OPT_LISTEN = 256,
	OPT_CONNECT,
	OPT_PORT,
	OPT_SEND,
	OPT_RECV,
	OPT_COUNT,
	OPT_QUIET,
	OPT_RST,
	OPT_BIND,
	OPT_TIMEOUT,
	OPT_EXPECT_REFUSED,
	OPT_HOLD,
	OPT_COMM,
	OPT_PEEK,
	OPT_DELAY,
	OPT_NO_IO,
	OPT_FORKS,
};

struct opts {
	bool server;
	bool udp;
	bool quiet;
	bool rst;
	bool expect_refused;
	bool has_bind;
	/* --listen or --connect, with the port */
	struct sockaddr_storage addr;
	struct sockaddr_storage bind_addr;
	uint64_t send;
	uint64_t recv;
	uint64_t count;
	int timeout_ms;
	/* as given, for messages */
	const char *timeout_str;
	/* --hold: -1 when not given */
	int hold_ms;
	/* --comm, or NULL */
	const char *comm;
	/* --delay: ms between connect and the first send (client, TCP) */
	int delay_ms;
	/* --no-io: server, TCP: close each connection as soon as it is accepted */
	bool no_io;
	/* --forks: server, TCP: children accepting on the one listener */
	unsigned int forks;
};

/* One connection (TCP) or one exchange (UDP). */
struct conn {
	const char *role;
	int fd;
	/* local is filled only when a line will name it (not with --quiet) */
	struct sockaddr_storage local;
	struct sockaddr_storage peer;
	uint64_t sent;
	uint64_t received;
	bool reset;
};

struct totals {
	uint64_t conns;
	uint64_t sent;
	uint64_t received;
	uint64_t start_ns;
};

/* pattern[i] == i % PATTERN_PERIOD; any chunk at any stream offset is a slice. */
static unsigned char pattern[PATTERN_PERIOD + IO_CHUNK];
static unsigned char rxbuf[IO_CHUNK];

/* Fixed for the process, so the per-connection loop makes no syscalls for them. */
static int self_pid;
static int self_tid;
/* comm is at most 15 bytes, each at most 6 once JSON-escaped (\u00XX) */
static char self_comm[6 * 15 + 1];
/* --peek: every UDP datagram is peeked at (MSG_PEEK) before it is read */
static bool peek_first;

static const char usage_text[] =
	"usage: trafgen server [-u] [-6] --listen ADDR [--port PORT] [--send N] [--recv N]\n"
	"                      [--count K] [--quiet] [--rst] [--timeout SECS] [--hold SECS]\n"
	"                      [--comm NAME] [--peek] [--no-io] [--forks N]\n"
	"       trafgen client [-u] [-6] --connect ADDR --port PORT [--send N] [--recv N]\n"
	"                      [--count K] [--quiet] [--rst] [--bind ADDR] [--expect-refused]\n"
	"                      [--timeout SECS] [--hold SECS] [--comm NAME] [--peek]\n"
	"                      [--delay SECS]\n"
	"\n"
	"  -u, --udp         UDP (default TCP)\n"
	"  -6, --ipv6        ADDR must be IPv6 (the family is otherwise taken from ADDR)\n"
	"  --port PORT       server: 0 (the default) picks a free port\n"
	"  --send N          bytes to send per connection (default 0)\n"
	"  --recv N          bytes expected per connection (default 0)\n"
	"  --count K         sequential connections or UDP exchanges (default 1)\n"
	"  --quiet           one summary line at the end instead of one line per connection\n"
	"  --rst             TCP: close with a RST (client: after sending; server: after\n"
	"                    reading the request, sending nothing)\n"
	"  --bind ADDR       client: local address to connect from\n"
	"  --expect-refused  client, TCP: every connect must be refused\n"
	"  --timeout SECS    limit for every blocking step (default 10, fractions allowed)\n"
	"  --hold SECS       keep each connection open SECS seconds (fractions allowed)\n"
	"                    once its transfer is done and the peer has acknowledged it,\n"
	"                    after a line {\"event\":\"holding\",...}; the TCP client holds\n"
	"                    before reading the server's EOF (hold the server too to keep\n"
	"                    both sockets open)\n"
	"  --comm NAME       process name (PR_SET_NAME: any bytes, the kernel keeps 15)\n"
	"  --peek            UDP: peek at each datagram (MSG_PEEK) before reading it\n"
	"  --delay SECS      client, TCP: wait SECS once connected before sending\n"
	"  --no-io           server, TCP: close each connection as soon as it is accepted\n"
	"  --forks N         server, TCP: N pre-forked children accept on the listener\n"
	"                    until --count connections are served in all\n";

/* ---- addresses ---- */

static const char *sa_family_name(const struct sockaddr_storage *ss)
{
	return ss->ss_family == AF_INET ? "inet" : "inet6";
}

/* "198.18.0.1:80" or "[2001:db8::1]:80", for messages. */
static const char *sa_endpoint_str(const struct sockaddr_storage *ss, char buf[ENDPOINT_STRLEN])
{
	char a[INET6_ADDRSTRLEN];

	snprintf(buf, ENDPOINT_STRLEN, ss->ss_family == AF_INET6 ? "[%s]:%u" : "%s:%u",
		 sa_addr_str(ss, a), sa_port(ss));
	return buf;
}

static bool sa_equal(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	const struct sockaddr_in6 *a6 = (const void *)a, *b6 = (const void *)b;
	const struct sockaddr_in *a4 = (const void *)a, *b4 = (const void *)b;

	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET)
		return a4->sin_port == b4->sin_port && a4->sin_addr.s_addr == b4->sin_addr.s_addr;
	return a6->sin6_port == b6->sin6_port &&
	       !memcmp(&a6->sin6_addr, &b6->sin6_addr, sizeof(a6->sin6_addr));
}

/*
 * A numeric address (sa_parse), where IPv6 may have a %scope (interface
 * name or index). Returns false if s is neither.
 */
static bool parse_addr(const char *s, struct sockaddr_storage *ss)
{
	char host[INET6_ADDRSTRLEN];
	const char *scope = strchr(s, '%');
	unsigned long idx;
	size_t hlen;
	char *end;

	if (!scope)
		return sa_parse(s, ss);
	hlen = (size_t)(scope - s);
	if (hlen >= sizeof(host))
		return false;
	memcpy(host, s, hlen);
	host[hlen] = '\0';
	if (!sa_parse(host, ss) || ss->ss_family != AF_INET6)
		return false;
	idx = if_nametoindex(scope + 1);
	if (!idx && scope[1] >= '0' && scope[1] <= '9') {
		idx = strtoul(scope + 1, &end, 10);
		if (*end || idx > UINT32_MAX)
			idx = 0;
	}
	if (!idx)
		return false;
	((struct sockaddr_in6 *)ss)->sin6_scope_id = idx;
	return true;
}

/* ---- option values ---- */

/* A whole decimal number in min..max; one too large for 64 bits is out of range too. */
static uint64_t parse_u64(const char *s, const char *opt, uint64_t min, uint64_t max)
{
	uint64_t v = 0;
	int err = parse_decimal(s, &v);

	if (err == EINVAL)
		usage_err("%s: '%s' is not a number", opt, s);
	if (err || v < min || v > max)
		usage_err("%s: %s is out of range (%" PRIu64 "..%" PRIu64 ")", opt, s, min, max);
	return v;
}

/* Seconds as "10" or "0.25", to milliseconds (min_ms .. 1 day). */
static int parse_secs(const char *s, const char *opt, int min_ms)
{
	const char *frac = strchr(s, '.');
	uint64_t ms = 0, scale = 100;
	char whole[16];
	size_t wlen = frac ? (size_t)(frac - s) : strlen(s);

	if (wlen == 0 || wlen >= sizeof(whole))
		usage_err("%s: '%s' is not a number of seconds", opt, s);
	memcpy(whole, s, wlen);
	whole[wlen] = '\0';
	ms = parse_u64(whole, opt, 0, 86400) * 1000;
	if (frac) {
		const char *p = frac + 1;

		if (!*p)
			usage_err("%s: '%s' is not a number of seconds", opt, s);
		for (; *p; p++, scale /= 10) {
			if (*p < '0' || *p > '9')
				usage_err("%s: '%s' is not a number of seconds", opt, s);
			ms += (uint64_t)(*p - '0') * scale;
		}
	}
	if (ms < (uint64_t)min_ms || ms > 86400 * 1000)
		usage_err("%s: %s is out of range (%s..86400)", opt, s, min_ms ? "0.001" : "0");
	return (int)ms;
}

/* ADDR for --listen/--connect/--bind; -6 only checks that it is IPv6. */
static void parse_addr_opt(const char *s, const char *opt, bool want_v6,
			   struct sockaddr_storage *ss)
{
	if (!parse_addr(s, ss))
		usage_err("%s: '%s' is not a numeric IPv4 or IPv6 address", opt, s);
	if (want_v6 && ss->ss_family != AF_INET6)
		usage_err("%s: '%s' is not an IPv6 address, but -6 was given", opt, s);
}

static const struct option long_opts[] = {
	{ "udp", no_argument, NULL, 'u' },
	{ "ipv6", no_argument, NULL, '6' },
	{ "help", no_argument, NULL, 'h' },
	{ "listen", required_argument, NULL, OPT_LISTEN },
	{ "connect", required_argument, NULL, OPT_CONNECT },
	{ "port", required_argument, NULL, OPT_PORT },
	{ "send", required_argument, NULL, OPT_SEND },
	{ "recv", required_argument, NULL, OPT_RECV },
	{ "count", required_argument, NULL, OPT_COUNT },
	{ "quiet", no_argument, NULL, OPT_QUIET },
	{ "rst", no_argument, NULL, OPT_RST },
	{ "bind", required_argument, NULL, OPT_BIND },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "expect-refused", no_argument, NULL, OPT_EXPECT_REFUSED },
	{ "hold", required_argument, NULL, OPT_HOLD },
	{ "comm", required_argument, NULL, OPT_COMM },
	{ "peek", no_argument, NULL, OPT_PEEK },
	{ "delay", required_argument, NULL, OPT_DELAY },
	{ "no-io", no_argument, NULL, OPT_NO_IO },
	{ "forks", required_argument, NULL, OPT_FORKS },
	{ NULL, 0, NULL, 0 },
};

/* The option getopt_long just rejected, as the user wrote it. */
static const char *bad_opt(char **av, char *buf)
{
	if (optopt > 0 && optopt < 256) {
		buf[0] = '-';
		buf[1] = (char)optopt;
		buf[2] = '\0';
		return buf;
	}
	return av[optind - 1];
}

/* Rejects combinations that would make a test mean something else than it says. */
static void check_opts(const struct opts *o, const char *listen, const char *conn, bool has_port,
		       unsigned int port)
{
	const char *role = o->server ? "server" : "client";

	if (o->server && (conn || o->has_bind || o->expect_refused))
		usage_err("server: --connect, --bind and --expect-refused are client options");
	if (!o->server && listen)
		usage_err("client: --listen is a server option");
	if (o->server && !listen)
		usage_err("server: --listen ADDR is required");
	if (!o->server && !conn)
		usage_err("client: --connect ADDR is required");
	if (!o->server && (!has_port || port == 0))
		usage_err("client: --port PORT (1..65535) is required");
	if (o->udp && (o->rst || o->expect_refused))
		usage_err("%s: --rst and --expect-refused are TCP only", role);
	/* the --rst side never gets to the reply, so a count for it would be ignored */
	if (o->rst && o->server && o->send)
		usage_err(
			"server: with --rst the server resets after the request and sends nothing; "
			"drop --send");
	if (o->rst && !o->server && o->recv)
		usage_err("client: with --rst the client resets without reading the reply; "
			  "drop --recv");
	if ((o->no_io || o->forks) && (!o->server || o->udp))
		usage_err("--no-io and --forks are TCP server options");
	if (o->no_io && (o->send || o->recv || o->rst))
		usage_err("server: --no-io reads and sends nothing; drop --send, --recv and --rst");
	if (o->has_bind && o->bind_addr.ss_family != o->addr.ss_family)
		usage_err("client: --bind and --connect addresses are of different families");
}

static void parse_args(int argc, char **argv, struct opts *o)
{
	const char *listen = NULL, *conn = NULL;
	bool has_port = false, want_v6 = false;
	unsigned int port = 0;
	int ac = argc - 1, c;
	char **av = argv + 1;
	char optbuf[3];

	*o = (struct opts){ .count = 1, .timeout_ms = 10000, .timeout_str = "10", .hold_ms = -1 };
	if (argc < 2)
		usage_err("missing mode, server or client (try --help)");
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(usage_text, stdout);
		exit(0);
	}
	if (!strcmp(argv[1], "server"))
		o->server = true;
	else if (strcmp(argv[1], "client"))
		usage_err("unknown mode '%s', expected server or client (try --help)", argv[1]);

	/* our own one-line messages; "+": a stray argument ends the options */
	opterr = 0;
	while ((c = getopt_long(ac, av, "+:u6h", long_opts, NULL)) != -1) {
		switch (c) {
		case 'u':
			o->udp = true;
			break;
		case '6':
			want_v6 = true;
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
			port = parse_u64(optarg, "--port", 0, 65535);
			has_port = true;
			break;
		case OPT_SEND:
			o->send = parse_u64(optarg, "--send", 0, UINT64_MAX);
			break;
		case OPT_RECV:
			o->recv = parse_u64(optarg, "--recv", 0, UINT64_MAX);
			break;
		case OPT_COUNT:
			o->count = parse_u64(optarg, "--count", 1, UINT64_MAX);
			break;
		case OPT_QUIET:
			o->quiet = true;
			break;
		case OPT_RST:
			o->rst = true;
			break;
		case OPT_BIND:
			parse_addr_opt(optarg, "--bind", false, &o->bind_addr);
			o->has_bind = true;
			break;
		case OPT_TIMEOUT:
			o->timeout_ms = parse_secs(optarg, "--timeout", 1);
			o->timeout_str = optarg;
			break;
		case OPT_EXPECT_REFUSED:
			o->expect_refused = true;
			break;
		case OPT_HOLD:
			o->hold_ms = parse_secs(optarg, "--hold", 0);
			break;
		case OPT_COMM:
			o->comm = optarg;
			break;
		case OPT_PEEK:
			peek_first = true;
			break;
		case OPT_DELAY:
			o->delay_ms = parse_secs(optarg, "--delay", 0);
			break;
		case OPT_NO_IO:
			o->no_io = true;
			break;
		case OPT_FORKS:
			o->forks = (unsigned int)parse_u64(optarg, "--forks", 1, 64);
			break;
		case ':':
			usage_err("option '%s' needs a value (try --help)", bad_opt(av, optbuf));
		default:
			usage_err("unknown option '%s' (try --help)", bad_opt(av, optbuf));
		}
	}
	if (optind < ac)
		usage_err("unexpected argument '%s' (try --help)", av[optind]);
	if (listen)
		parse_addr_opt(listen, "--listen", want_v6, &o->addr);
	if (conn)
		parse_addr_opt(conn, "--connect", want_v6, &o->addr);
	check_opts(o, listen, conn, has_port, port);
	sa_set_port(&o->addr, port);
}

/* ---- output ---- */

/* comm can be any 15 bytes; JSON needs quotes, backslashes and controls escaped. */
static void json_escape(const char *s, char *out)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\') {
			*out++ = '\\';
			*out++ = (char)ch;
		} else if (ch < 0x20 || ch >= 0x7f) {
			out += sprintf(out, "\\u%04x", ch);
		} else {
			*out++ = (char)ch;
		}
	}
	*out = '\0';
}

static void init_self(void)
{
	char comm[17] = "";

	self_pid = getpid();
	self_tid = gettid();
	prctl(PR_GET_NAME, comm, 0, 0, 0);
	json_escape(comm, self_comm);
}

/* Each line is flushed at once: tests read them while we still run. */
static void emit(const char *line)
{
	if (fputs(line, stdout) == EOF || fflush(stdout))
		die("writing to stdout: %s", strerror(errno));
}

static void print_listening(const struct opts *o, const struct sockaddr_storage *bound)
{
	char a[INET6_ADDRSTRLEN], line[512];

	snprintf(line, sizeof(line),
		 "{\"event\":\"listening\",\"pid\":%d,\"proto\":\"%s\",\"family\":\"%s\","
		 "\"laddr\":\"%s\",\"lport\":%u}\n",
		 self_pid, o->udp ? "udp" : "tcp", sa_family_name(bound), sa_addr_str(bound, a),
		 sa_port(bound));
	emit(line);
}

static void print_done(const struct opts *o, const struct conn *c)
{
	char la[INET6_ADDRSTRLEN], ra[INET6_ADDRSTRLEN], line[768];

	snprintf(line, sizeof(line),
		 "{\"event\":\"done\",\"role\":\"%s\",\"pid\":%d,\"tid\":%d,\"comm\":\"%s\","
		 "\"proto\":\"%s\",\"family\":\"%s\",\"laddr\":\"%s\",\"lport\":%u,"
		 "\"raddr\":\"%s\",\"rport\":%u,\"bytes_sent\":%" PRIu64
		 ",\"bytes_received\":%" PRIu64 ",\"reset\":%s}\n",
		 c->role, self_pid, self_tid, self_comm, o->udp ? "udp" : "tcp",
		 sa_family_name(&c->peer), sa_addr_str(&c->local, la), sa_port(&c->local),
		 sa_addr_str(&c->peer, ra), sa_port(&c->peer), c->sent, c->received,
		 c->reset ? "true" : "false");
	emit(line);
}

static void print_holding(const struct opts *o, const struct conn *c)
{
	char la[INET6_ADDRSTRLEN], ra[INET6_ADDRSTRLEN], line[768];

	snprintf(line, sizeof(line),
		 "{\"event\":\"holding\",\"role\":\"%s\",\"pid\":%d,\"tid\":%d,\"comm\":\"%s\","
		 "\"proto\":\"%s\",\"family\":\"%s\",\"laddr\":\"%s\",\"lport\":%u,"
		 "\"raddr\":\"%s\",\"rport\":%u,\"bytes_sent\":%" PRIu64
		 ",\"bytes_received\":%" PRIu64 ",\"reset\":%s,\"hold_ms\":%d}\n",
		 c->role, self_pid, self_tid, self_comm, o->udp ? "udp" : "tcp",
		 sa_family_name(&c->peer), sa_addr_str(&c->local, la), sa_port(&c->local),
		 sa_addr_str(&c->peer, ra), sa_port(&c->peer), c->sent, c->received,
		 c->reset ? "true" : "false", o->hold_ms);
	emit(line);
}

static void print_refused(const struct conn *c)
{
	char la[INET6_ADDRSTRLEN], ra[INET6_ADDRSTRLEN], line[512];

	snprintf(line, sizeof(line),
		 "{\"event\":\"refused\",\"role\":\"client\",\"pid\":%d,\"tid\":%d,\"comm\":\"%s\","
		 "\"proto\":\"tcp\",\"family\":\"%s\",\"laddr\":\"%s\",\"lport\":%u,"
		 "\"raddr\":\"%s\",\"rport\":%u}\n",
		 self_pid, self_tid, self_comm, sa_family_name(&c->peer),
		 sa_addr_str(&c->local, la), sa_port(&c->local), sa_addr_str(&c->peer, ra),
		 sa_port(&c->peer));
	emit(line);
}

static void print_summary(const char *role, const struct totals *t)
{
	char line[256];

	snprintf(line, sizeof(line),
		 "{\"event\":\"summary\",\"role\":\"%s\",\"pid\":%d,\"connections\":%" PRIu64
		 ",\"bytes_sent\":%" PRIu64 ",\"bytes_received\":%" PRIu64
		 ",\"elapsed_ns\":%" PRIu64 "}\n",
		 role, self_pid, t->conns, t->sent, t->received,
		 t->conns ? now_ns() - t->start_ns : 0);
	emit(line);
}

/* Counts a finished connection, and prints it unless --quiet. */
static void finish_conn(const struct opts *o, struct totals *t, const struct conn *c)
{
	t->conns++;
	t->sent += c->sent;
	t->received += c->received;
	if (!o->quiet)
		print_done(o, c);
}

/* die() with the role and the peer in front. */
static void __attribute__((noreturn, format(printf, 2, 3)))
conn_die(const struct conn *c, const char *fmt, ...)
{
	char ep[ENDPOINT_STRLEN], msg[384];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	die("%s (peer %s): %s", c->role, sa_endpoint_str(&c->peer, ep), msg);
}

/* ---- socket helpers ---- */

static int new_socket(int family, int type)
{
	return socket_or_die(family, type | SOCK_NONBLOCK | SOCK_CLOEXEC);
}

static void get_local(int fd, struct sockaddr_storage *ss)
{
	socklen_t len = sizeof(*ss);

	if (getsockname(fd, (struct sockaddr *)ss, &len))
		die("getsockname: %s", strerror(errno));
}

static void bind_or_die(int fd, const struct sockaddr_storage *ss)
{
	char ep[ENDPOINT_STRLEN];

	if (bind(fd, (const struct sockaddr *)ss, sa_len(ss)))
		die("bind to %s: %s", sa_endpoint_str(ss, ep), strerror(errno));
}

/* Waits until fd is ready for events; false after timeout_ms. */
static bool wait_fd(int fd, short events, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = events };
	int n;

	do {
		n = poll(&p, 1, timeout_ms);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		die("poll: %s", strerror(errno));
	return n > 0;
}

static void nap_ns(long ns)
{
	struct timespec ts = { .tv_sec = 0, .tv_nsec = ns };

	nanosleep(&ts, NULL);
}

/* Sleeps ms milliseconds in all, signals or not. */
static void sleep_ms(int ms)
{
	uint64_t until = now_ns() + (uint64_t)ms * 1000000;
	struct timespec ts = { .tv_sec = until / 1000000000, .tv_nsec = until % 1000000000 };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

/*
 * --hold: says so on stdout, then keeps c open hold_ms with nothing done
 * on it. The fd stays open (also that of a reset connection), so that a
 * test waiting for the line always gets it.
 */
static void hold_conn(const struct opts *o, struct conn *c)
{
	if (o->hold_ms < 0)
		return;
	/* with --quiet nothing has needed the local address yet */
	if (c->local.ss_family == AF_UNSPEC)
		get_local(c->fd, &c->local);
	print_holding(o, c);
	sleep_ms(o->hold_ms);
}

/* Received data must be the pattern at stream offset off: catches trafgen's own bugs. */
static void check_pattern(const struct conn *c, const unsigned char *buf, size_t n, uint64_t off)
{
	const unsigned char *want = pattern + off % PATTERN_PERIOD;
	size_t i;

	if (!memcmp(buf, want, n))
		return;
	for (i = 0; buf[i] == want[i]; i++)
		;
	conn_die(c, "received data differs from the test pattern at byte %" PRIu64, off + i);
}

/* ---- TCP ---- */

/* Sends n pattern bytes. A reset by the peer ends it early (c->reset). */
static void tcp_send_all(const struct opts *o, struct conn *c, uint64_t n)
{
	while (c->sent < n) {
		uint64_t left = n - c->sent;
		size_t len = left < IO_CHUNK ? left : IO_CHUNK;
		ssize_t r = send(c->fd, pattern + c->sent % PATTERN_PERIOD, len, MSG_NOSIGNAL);

		if (r >= 0) {
			c->sent += r;
		} else if (errno == EAGAIN) {
			if (!wait_fd(c->fd, POLLOUT, o->timeout_ms))
				conn_die(c,
					 "timed out after %s s sending (sent %" PRIu64
					 " of %" PRIu64 " bytes)",
					 o->timeout_str, c->sent, n);
		} else if (errno == ECONNRESET || errno == EPIPE) {
			c->reset = true;
			return;
		} else if (errno != EINTR) {
			conn_die(c, "send: %s", strerror(errno));
		}
	}
}

/* Reads until `until` bytes in all, EOF, or a reset by the peer (c->reset). */
static void tcp_recv_until(const struct opts *o, struct conn *c, uint64_t until)
{
	while (c->received < until) {
		ssize_t r = recv(c->fd, rxbuf, sizeof(rxbuf), 0);

		if (r > 0) {
			check_pattern(c, rxbuf, r, c->received);
			c->received += r;
		} else if (r == 0) {
			return;
		} else if (errno == EAGAIN) {
			if (!wait_fd(c->fd, POLLIN, o->timeout_ms))
				conn_die(c,
					 "timed out after %s s waiting for data or EOF (received "
					 "%" PRIu64 " bytes so far)",
					 o->timeout_str, c->received);
		} else if (errno == ECONNRESET) {
			c->reset = true;
			return;
		} else if (errno != EINTR) {
			conn_die(c, "recv: %s", strerror(errno));
		}
	}
}

/* Reads to EOF, or to a reset by the peer (c->reset). */
static void tcp_recv_to_eof(const struct opts *o, struct conn *c)
{
	tcp_recv_until(o, c, UINT64_MAX);
}

static void tcp_check_received(const struct opts *o, const struct conn *c)
{
	if (!c->reset && c->received != o->recv)
		conn_die(c, "received %" PRIu64 " bytes, expected %" PRIu64, c->received, o->recv);
}

/*
 * An abortive close discards whatever the peer has not acknowledged yet,
 * so wait for the send queue to drain first: the bytes we report sent must
 * have arrived. No poll event exists for this; back off from 20 us to 5 ms.
 */
static void tcp_wait_acked(const struct opts *o, const struct conn *c)
{
	uint64_t deadline = now_ns() + (uint64_t)o->timeout_ms * 1000000;
	long nap = 20000;
	int outq;

	for (;;) {
		if (ioctl(c->fd, SIOCOUTQ, &outq))
			conn_die(c, "SIOCOUTQ: %s", strerror(errno));
		if (outq == 0)
			return;
		if (now_ns() > deadline)
			conn_die(
				c,
				"timed out after %s s waiting for the peer to acknowledge %d bytes",
				o->timeout_str, outq);
		nap_ns(nap);
		if (nap < 5000000)
			nap *= 2;
	}
}

static bool tcp_closed(int fd)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	return !getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) && ti.tcpi_state == TCP_CLOSE;
}

/*
 * A TCP hold: first until the peer has acknowledged all we sent, FIN
 * included (SIOCOUTQ counts it), so that the socket's counters are final
 * while a test reads them. A connection the kernel has closed meanwhile (a
 * reset) has nothing more coming: the wait ends there.
 */
static void tcp_hold(const struct opts *o, struct conn *c)
{
	uint64_t deadline = now_ns() + (uint64_t)o->timeout_ms * 1000000;
	long nap = 20000;
	int outq;

	if (o->hold_ms < 0)
		return;
	while (!c->reset && !tcp_closed(c->fd)) {
		if (ioctl(c->fd, SIOCOUTQ, &outq))
			conn_die(c, "SIOCOUTQ: %s", strerror(errno));
		if (outq == 0)
			break;
		if (now_ns() > deadline)
			conn_die(c,
				 "timed out after %s s waiting for the peer to acknowledge %d "
				 "bytes before holding",
				 o->timeout_str, outq);
		nap_ns(nap);
		if (nap < 5000000)
			nap *= 2;
	}
	hold_conn(o, c);
}

/* close() that sends a RST instead of a FIN. */
static void tcp_close_rst(struct conn *c)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };

	if (setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)))
		conn_die(c, "setsockopt SO_LINGER: %s", strerror(errno));
	close(c->fd);
	c->reset = true;
}

/*
 * Connects c->fd to the server. Returns false if the connection was refused
 * and --expect-refused asked for that; any other outcome that is not a
 * working connection is fatal.
 */
static bool tcp_connect(const struct opts *o, struct conn *c)
{
	char ep[ENDPOINT_STRLEN];
	socklen_t len = sizeof(int);
	int err = 0;

	c->fd = new_socket(o->addr.ss_family, SOCK_STREAM);
	if (o->has_bind) {
		/* pick the port at connect(), by 4-tuple, not at bind() by 2-tuple */
		set_int_opt(c->fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, 1,
			    "IP_BIND_ADDRESS_NO_PORT");
		bind_or_die(c->fd, &o->bind_addr);
	}
	if (connect(c->fd, (const struct sockaddr *)&o->addr, sa_len(&o->addr)))
		err = errno;
	/* the SYN is out, so the local address is fixed: also right for a refused connect */
	if (!o->quiet)
		get_local(c->fd, &c->local);
	if (err == EINPROGRESS) {
		if (!wait_fd(c->fd, POLLOUT, o->timeout_ms))
			die("connect to %s: timed out after %s s", sa_endpoint_str(&o->addr, ep),
			    o->timeout_str);
		if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len))
			die("getsockopt SO_ERROR: %s", strerror(errno));
	}
	if (err == ECONNREFUSED && o->expect_refused)
		return false;
	if (err)
		die("connect to %s: %s", sa_endpoint_str(&o->addr, ep), strerror(err));
	if (o->expect_refused)
		die("connect to %s: succeeded, but --expect-refused was given",
		    sa_endpoint_str(&o->addr, ep));
	return true;
}

static void tcp_client_conn(const struct opts *o, struct conn *c)
{
	tcp_send_all(o, c, o->send);
	if (o->rst && !c->reset) {
		tcp_wait_acked(o, c);
		tcp_hold(o, c);
		tcp_close_rst(c);
		return;
	}
	if (!c->reset && shutdown(c->fd, SHUT_WR)) {
		/* the peer reset the connection before we got here */
		if (errno != ENOTCONN && errno != ECONNRESET && errno != EPIPE)
			conn_die(c, "shutdown: %s", strerror(errno));
		c->reset = true;
	}
	if (o->hold_ms >= 0) {
		/* the whole reply, but not the EOF: the server may hold too */
		if (!c->reset)
			tcp_recv_until(o, c, o->recv);
		tcp_hold(o, c);
	}
	if (!c->reset)
		tcp_recv_to_eof(o, c);
	close(c->fd);
	tcp_check_received(o, c);
}

static int tcp_client(const struct opts *o)
{
	struct totals t = { .start_ns = now_ns() };
	uint64_t i;

	for (i = 0; i < o->count; i++) {
		struct conn c = { .role = "client", .peer = o->addr };

		if (!tcp_connect(o, &c)) {
			close(c.fd);
			t.conns++;
			if (!o->quiet)
				print_refused(&c);
			continue;
		}
		if (o->delay_ms)
			sleep_ms(o->delay_ms);
		tcp_client_conn(o, &c);
		finish_conn(o, &t, &c);
	}
	if (o->quiet)
		print_summary("client", &t);
	return 0;
}

/* Accepts the next connection; transient errors the kernel passes on are retried. */
static int tcp_accept(const struct opts *o, int lfd, struct sockaddr_storage *peer, uint64_t done)
{
	for (;;) {
		socklen_t len = sizeof(*peer);
		int fd = accept4(lfd, (struct sockaddr *)peer, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd >= 0)
			return fd;
		if (errno == EAGAIN) {
			if (!wait_fd(lfd, POLLIN, o->timeout_ms))
				die("server: no connection within %s s (%" PRIu64 " of %" PRIu64
				    " done)",
				    o->timeout_str, done, o->count);
		} else if (errno != EINTR && errno != ECONNABORTED && errno != EPROTO) {
			die("accept: %s", strerror(errno));
		}
	}
}

static void tcp_server_conn(const struct opts *o, struct conn *c)
{
	/* the local address from the accepted socket: --listen may be a wildcard */
	if (!o->quiet)
		get_local(c->fd, &c->local);
	if (o->no_io) {
		close(c->fd);
		return;
	}
	tcp_recv_to_eof(o, c);
	tcp_check_received(o, c);
	if (c->reset) {
		tcp_hold(o, c);
		close(c->fd);
		return;
	}
	if (o->rst) {
		tcp_hold(o, c);
		tcp_close_rst(c);
		return;
	}
	tcp_send_all(o, c, o->send);
	tcp_hold(o, c);
	close(c->fd);
}

/*
 * --forks: N children serve the listener, as a pre-forked server does; each
 * takes connections until count have been served in all (a counter they
 * share), then exits. The parent waits for them.
 */
static void tcp_prefork(const struct opts *o, int lfd)
{
	uint64_t *served = mmap(NULL, sizeof(*served), PROT_READ | PROT_WRITE,
				MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int status, bad = 0;

	if (served == MAP_FAILED)
		die("mmap: %s", strerror(errno));
	for (unsigned int k = 0; k < o->forks; k++) {
		pid_t pid = fork();

		if (pid < 0)
			die("fork: %s", strerror(errno));
		if (pid)
			continue;
		self_pid = getpid();
		self_tid = gettid();
		for (;;) {
			struct conn c = { .role = "server" };
			socklen_t len = sizeof(c.peer);
			uint64_t waited = 0;

			/* poll in short steps: another child may serve the last one */
			while ((c.fd = accept4(lfd, (struct sockaddr *)&c.peer, &len,
					       SOCK_NONBLOCK | SOCK_CLOEXEC)) < 0) {
				if (__atomic_load_n(served, __ATOMIC_SEQ_CST) >= o->count)
					_exit(0);
				if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
					die("accept: %s", strerror(errno));
				if (waited > (uint64_t)o->timeout_ms)
					die("server: no connection within %s s", o->timeout_str);
				wait_fd(lfd, POLLIN, 20);
				waited += 20;
				len = sizeof(c.peer);
			}
			tcp_server_conn(o, &c);
			if (!o->quiet)
				print_done(o, &c);
			__atomic_add_fetch(served, 1, __ATOMIC_SEQ_CST);
		}
	}
	close(lfd);
	while (wait(&status) > 0)
		bad |= !WIFEXITED(status) || WEXITSTATUS(status);
	if (bad)
		die("server: a child failed");
}

static int tcp_server(const struct opts *o)
{
	struct sockaddr_storage bound;
	struct totals t = { 0 };
	int lfd = new_socket(o->addr.ss_family, SOCK_STREAM);
	uint64_t i;

	/* a test may reuse a fixed port while old connections sit in TIME_WAIT */
	set_int_opt(lfd, SOL_SOCKET, SO_REUSEADDR, 1, "SO_REUSEADDR");
	bind_or_die(lfd, &o->addr);
	if (listen(lfd, SOMAXCONN))
		die("listen: %s", strerror(errno));
	get_local(lfd, &bound);
	print_listening(o, &bound);
	if (o->forks) {
		tcp_prefork(o, lfd);
		return 0;
	}

	for (i = 0; i < o->count; i++) {
		struct conn c = { .role = "server" };

		c.fd = tcp_accept(o, lfd, &c.peer, i);
		/* time the work, not the wait for the client to start */
		if (i == 0)
			t.start_ns = now_ns();
		tcp_server_conn(o, &c);
		finish_conn(o, &t, &c);
	}
	close(lfd);
	if (o->quiet)
		print_summary("server", &t);
	return 0;
}

/* ---- UDP ---- */

/* Room for one IPv4 or IPv6 pktinfo, aligned for cmsg access. */
union pktinfo_buf {
	char buf[2 * CMSG_SPACE(sizeof(struct in6_pktinfo))];
	struct cmsghdr align;
};

/* The destination address of a received datagram, when the kernel gave it. */
static void pktinfo_dst(struct msghdr *msg, struct sockaddr_storage *dst)
{
	struct cmsghdr *cm;

	for (cm = CMSG_FIRSTHDR(msg); cm; cm = CMSG_NXTHDR(msg, cm)) {
		if (cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_PKTINFO &&
		    dst->ss_family == AF_INET) {
			struct in_pktinfo pi;

			memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
			((struct sockaddr_in *)dst)->sin_addr = pi.ipi_addr;
		} else if (cm->cmsg_level == IPPROTO_IPV6 && cm->cmsg_type == IPV6_PKTINFO &&
			   dst->ss_family == AF_INET6) {
			struct sockaddr_in6 *d6 = (struct sockaddr_in6 *)dst;
			struct in6_pktinfo pi;

			memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
			d6->sin6_addr = pi.ipi6_addr;
			d6->sin6_scope_id = IN6_IS_ADDR_LINKLOCAL(&pi.ipi6_addr) ? pi.ipi6_ifindex :
										   0;
		}
	}
}

/* Fills ctl with one control message; returns the msg_controllen for it. */
static size_t put_cmsg(union pktinfo_buf *ctl, int level, int type, const void *data, size_t len)
{
	struct msghdr msg = { .msg_control = ctl->buf, .msg_controllen = sizeof(ctl->buf) };
	struct cmsghdr *cm;

	memset(ctl, 0, sizeof(*ctl));
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = level;
	cm->cmsg_type = type;
	cm->cmsg_len = CMSG_LEN(len);
	memcpy(CMSG_DATA(cm), data, len);
	return CMSG_SPACE(len);
}

/* A control message that makes the reply leave from src (a wildcard leaves the choice). */
static size_t pktinfo_src(const struct sockaddr_storage *src, union pktinfo_buf *ctl)
{
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)src;
	const struct sockaddr_in *s4 = (const struct sockaddr_in *)src;
	struct in6_pktinfo pi6 = { .ipi6_addr = s6->sin6_addr, .ipi6_ifindex = s6->sin6_scope_id };
	struct in_pktinfo pi4 = { .ipi_spec_dst = s4->sin_addr };

	if (src->ss_family == AF_INET)
		return put_cmsg(ctl, IPPROTO_IP, IP_PKTINFO, &pi4, sizeof(pi4));
	return put_cmsg(ctl, IPPROTO_IPV6, IPV6_PKTINFO, &pi6, sizeof(pi6));
}

/*
 * Sends n pattern bytes in datagrams of at most UDP_MAX_PAYLOAD bytes, each
 * starting at pattern offset 0 so that reordering cannot fake corruption.
 * The client sends one empty datagram for n == 0 (at_least_one): the
 * server learns the client's address only from a datagram. The server
 * (dst != NULL) addresses each datagram and picks its source with pktinfo.
 */
static void udp_send_all(const struct opts *o, struct conn *c, uint64_t n, bool at_least_one,
			 const struct sockaddr_storage *dst)
{
	struct iovec iov = { .iov_base = pattern };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	union pktinfo_buf ctl;

	if (dst) {
		msg.msg_name = (void *)dst;
		msg.msg_namelen = sa_len(dst);
		msg.msg_control = ctl.buf;
		msg.msg_controllen = pktinfo_src(&c->local, &ctl);
	}
	while (c->sent < n || at_least_one) {
		uint64_t left = n - c->sent;
		ssize_t r;

		iov.iov_len = left < UDP_MAX_PAYLOAD ? left : UDP_MAX_PAYLOAD;
		r = sendmsg(c->fd, &msg, MSG_NOSIGNAL);
		if (r >= 0) {
			c->sent += r;
			at_least_one = false;
		} else if (errno == EAGAIN || errno == ENOBUFS) {
			/* ENOBUFS: a full device queue, which poll does not report */
			if (errno == ENOBUFS)
				nap_ns(1000000);
			if (!wait_fd(c->fd, POLLOUT, o->timeout_ms))
				conn_die(c, "timed out after %s s sending", o->timeout_str);
		} else if (errno != EINTR) {
			conn_die(c, "send: %s", strerror(errno));
		}
	}
}

/* One datagram into rxbuf, without blocking; -1 and errno as recvmsg. */
static ssize_t udp_recv_one(int fd, struct sockaddr_storage *from, struct sockaddr_storage *dst,
			    int flags)
{
	struct iovec iov = { .iov_base = rxbuf, .iov_len = sizeof(rxbuf) };
	union pktinfo_buf ctl;
	struct msghdr msg = {
		.msg_name = from,
		.msg_namelen = sizeof(*from),
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = ctl.buf,
		.msg_controllen = sizeof(ctl.buf),
	};
	ssize_t n;

	/* the datagram stays queued: the read below takes it */
	if (peek_first && !(flags & MSG_PEEK))
		recv(fd, rxbuf, sizeof(rxbuf), MSG_PEEK | MSG_DONTWAIT);
	n = recvmsg(fd, &msg, flags | MSG_DONTWAIT);

	if (n >= 0 && dst)
		pktinfo_dst(&msg, dst);
	return n;
}

/* Waits for the peer's next datagram; a timeout means datagrams were lost or never sent. */
static void udp_wait(const struct opts *o, const struct conn *c, uint64_t want)
{
	if (!wait_fd(c->fd, POLLIN, o->timeout_ms))
		conn_die(c,
			 "timed out after %s s waiting for datagrams (received %" PRIu64
			 " of %" PRIu64 " bytes)",
			 o->timeout_str, c->received, want);
}

/*
 * Without an EOF, datagrams beyond the expected count are seen only if they
 * have already arrived: a best-effort check, made without waiting. Takes
 * them only from the peer, and leaves the next client's for the next round.
 */
static void udp_take_extra(struct conn *c)
{
	struct sockaddr_storage from;
	ssize_t n;

	while ((n = udp_recv_one(c->fd, &from, NULL, MSG_PEEK)) >= 0 && sa_equal(&from, &c->peer)) {
		udp_recv_one(c->fd, &from, NULL, 0);
		c->received += n;
	}
}

static void udp_check_received(const struct opts *o, const struct conn *c)
{
	if (c->received != o->recv)
		conn_die(c, "received %" PRIu64 " bytes in datagrams, expected %" PRIu64,
			 c->received, o->recv);
}

/* Client side: the connected socket receives from the server only. */
static void udp_client_recv(const struct opts *o, struct conn *c)
{
	while (c->received < o->recv) {
		ssize_t n;

		if (peek_first)
			recv(c->fd, rxbuf, sizeof(rxbuf), MSG_PEEK | MSG_DONTWAIT);
		n = recv(c->fd, rxbuf, sizeof(rxbuf), MSG_DONTWAIT);

		if (n >= 0) {
			check_pattern(c, rxbuf, n, 0);
			c->received += n;
		} else if (errno == EAGAIN) {
			udp_wait(o, c, o->recv);
		} else if (errno != EINTR) {
			/* ECONNREFUSED: an ICMP port unreachable came back */
			conn_die(c, "recv: %s", strerror(errno));
		}
	}
	udp_take_extra(c);
	udp_check_received(o, c);
}

static void udp_client_conn(const struct opts *o, struct conn *c)
{
	char ep[ENDPOINT_STRLEN];

	c->fd = new_socket(o->addr.ss_family, SOCK_DGRAM);
	if (o->recv)
		grow_rcvbuf(c->fd, UDP_RCVBUF);
	if (o->has_bind)
		bind_or_die(c->fd, &o->bind_addr);
	if (connect(c->fd, (const struct sockaddr *)&o->addr, sa_len(&o->addr)))
		die("connect to %s: %s", sa_endpoint_str(&o->addr, ep), strerror(errno));
	if (!o->quiet)
		get_local(c->fd, &c->local);
	udp_send_all(o, c, o->send, true, NULL);
	udp_client_recv(o, c);
	hold_conn(o, c);
	close(c->fd);
}

static int udp_client(const struct opts *o)
{
	struct totals t = { .start_ns = now_ns() };
	uint64_t i;

	for (i = 0; i < o->count; i++) {
		struct conn c = { .role = "client", .peer = o->addr };

		udp_client_conn(o, &c);
		finish_conn(o, &t, &c);
	}
	if (o->quiet)
		print_summary("client", &t);
	return 0;
}

/*
 * Server side of one exchange: the first datagram names the client (and,
 * by pktinfo, our address it was sent to); then datagrams until --recv
 * bytes. Any other sender meanwhile is an error: exchanges are sequential.
 */
static void udp_server_recv(const struct opts *o, struct conn *c, uint64_t done)
{
	struct sockaddr_storage from;
	bool first = true;

	while (first || c->received < o->recv) {
		ssize_t n = udp_recv_one(c->fd, &from, first ? &c->local : NULL, 0);
		char ep[ENDPOINT_STRLEN];

		if (n < 0 && errno == EAGAIN) {
			if (!first)
				udp_wait(o, c, o->recv);
			else if (!wait_fd(c->fd, POLLIN, o->timeout_ms))
				die("server: no datagram within %s s (%" PRIu64 " of %" PRIu64
				    " done)",
				    o->timeout_str, done, o->count);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("server: recv: %s", strerror(errno));
		if (first)
			c->peer = from;
		else if (!sa_equal(&from, &c->peer))
			conn_die(c, "unexpected datagram from %s", sa_endpoint_str(&from, ep));
		first = false;
		check_pattern(c, rxbuf, n, 0);
		c->received += n;
	}
	udp_take_extra(c);
	udp_check_received(o, c);
}

static int udp_server(const struct opts *o)
{
	struct sockaddr_storage bound;
	struct totals t = { 0 };
	int fd = new_socket(o->addr.ss_family, SOCK_DGRAM);
	uint64_t i;

	grow_rcvbuf(fd, UDP_RCVBUF);
	if (o->addr.ss_family == AF_INET)
		set_int_opt(fd, IPPROTO_IP, IP_PKTINFO, 1, "IP_PKTINFO");
	else
		set_int_opt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1, "IPV6_RECVPKTINFO");
	bind_or_die(fd, &o->addr);
	get_local(fd, &bound);
	print_listening(o, &bound);

	for (i = 0; i < o->count; i++) {
		/* local starts as the bound address, refined by pktinfo */
		struct conn c = { .role = "server", .fd = fd, .local = bound };

		udp_server_recv(o, &c, i);
		if (i == 0)
			t.start_ns = now_ns();
		udp_send_all(o, &c, o->send, false, &c.peer);
		hold_conn(o, &c);
		finish_conn(o, &t, &c);
	}
	close(fd);
	if (o->quiet)
		print_summary("server", &t);
	return 0;
}

int main(int argc, char **argv)
{
	struct opts o;
	size_t i;

	parse_args(argc, argv, &o);
	/* before init_self reads it back, and before any socket exists */
	if (o.comm && prctl(PR_SET_NAME, o.comm, 0, 0, 0))
		die("prctl PR_SET_NAME: %s", strerror(errno));
	/* a closed stdout is reported by emit(), rather than killing us without a word */
	signal(SIGPIPE, SIG_IGN);
	init_self();
	for (i = 0; i < sizeof(pattern); i++)
		pattern[i] = i % PATTERN_PERIOD;

	if (o.server)
		return o.udp ? udp_server(&o) : tcp_server(&o);
	return o.udp ? udp_client(&o) : tcp_client(&o);
}
