// SPDX-License-Identifier: GPL-2.0
/*
 * sockmix: a known mix of sockets, for the tests that hold socktap's
 * listings (ss, netstat, lsof) against the classic tools.
 *
 * Run inside a network namespace (ip netns exec NS sockmix [options]). It
 * creates every kind of socket a listing must show, in every state that can
 * be held still, owned by several processes, then prints on stdout one JSON
 * line per socket it made:
 *
 *   {"role":"tcp-estab-v4-client","proto":"tcp","family":"inet",
 *    "state":"ESTAB","local":"127.0.0.1","lport":40123,"peer":"127.0.0.1",
 *    "pport":20000,"dev":"","inode":123456,"pid":42,"fd":17,
 *    "owners":[{"pid":42,"fd":17,"comm":"sockmix"}]}
 *
 * and then {"event":"ready"}. proto is ss's Netid (tcp, udp, u_str, u_dgr,
 * u_seq, p_raw, p_dgr), state what ss prints for it. Sockets the kernel holds alone
 * (TIME-WAIT, an orphaned FIN-WAIT-2, a SYN-RECV request, an established
 * connection nobody accepted) have inode 0, pid and fd null and no owners.
 * For Unix sockets, local and peer are the bound names ("@name" for the
 * abstract namespace, "" for none), lport the socket's inode and pport the
 * peer's (0 if none). It holds everything until SIGTERM or SIGINT, or
 * --timeout seconds (default 120): it always ends by itself. A failure is
 * one line on stderr and exit 1, a usage error exit 2.
 *
 * The mix, with N the --base-port (default 20000; all fixed ports are
 * N..N+20, so a test can filter on them):
 *
 *   TCP listeners   127.0.0.1:N (shared by two processes), 0.0.0.0:N+1
 *                   (held through two fds), [::1]:N+2, [::]:N+3 (dual
 *                   stack), 127.0.0.1:N+4 (small receive buffer),
 *                   127.0.0.1:N+5 (TCP_DEFER_ACCEPT), 0.0.0.0:N+6 bound to
 *                   --bind-dev, 127.0.0.1:N+7 (one connection never
 *                   accepted: Recv-Q 1), 127.0.0.1:N+8 (owned by a process
 *                   with a hostile name, --comm); 127.0.0.1:80 (http)
 *   ESTAB           pairs over IPv4 (1000 bytes unread on the accepted side),
 *                   IPv6, v4-mapped (an IPv6 socket to ::ffff:127.0.0.1:N+3),
 *                   from a client bound to 127.0.0.1:N+20 (with a keepalive
 *                   timer, probing every 9 s); the client side
 *                   of the SYN-RECV and of the never-accepted connection
 *   TIME-WAIT       active close completed, kernel-held
 *   FIN-WAIT-2      the client shut down its write side, the peer (in
 *                   CLOSE-WAIT) does not close; and an orphaned one (the
 *                   client closed: kernel-held), its peer in CLOSE-WAIT
 *   FIN-WAIT-1      the peer never reads and its window is closed, then the
 *                   writer shuts down with unsent data queued
 *   SYN-RECV        a client that connects to the TCP_DEFER_ACCEPT listener
 *                   and sends nothing leaves a request socket
 *   SYN-SENT        a non-blocking connect to --syn-sent (198.18.1.2, which
 *                   the test routes to a dummy interface that never answers),
 *                   bound to --syn-sent-dev (dummy0)
 *   UDP             UNCONN 127.0.0.1:N+10 (one 100-byte datagram queued),
 *                   0.0.0.0:N+11, [::1]:N+12, [::]:N+13 (dual stack),
 *                   0.0.0.0:N+16 bound to --bind-dev, 127.0.0.1:53 (domain);
 *                   ESTAB 127.0.0.1:N+14 -> N+10, [::1]:N+15 -> N+12, and an
 *                   autobound IPv6 socket connected to ::ffff:127.0.0.1:N+11
 *   Unix            stream listener DIR/stream.sock and a connected pair on
 *                   it (10 bytes unread), an abstract stream listener
 *                   @sockmix-N.stream, dgram bound to DIR/dgram.sock, an
 *                   autobound dgram (@ and 5 hex digits), an unbound dgram
 *                   socketpair (one datagram queued), a seqpacket listener
 *                   @sockmix-N.seq and a seqpacket socketpair
 *   Packet          p_raw for ethertype 0x88b5 (local experimental: no
 *                   traffic), bound to no device; p_dgr for LLDP (0x88cc,
 *                   which nothing sends here) bound to lo. Left out where
 *                   the kernel refuses them (no CAP_NET_RAW, no AF_PACKET).
 *                   Their local is the ethertype ("0x88b5"), lport the
 *                   device's index, peer "" and pport 0.
 *
 * Owners: the main process ("sockmix"), children "mixkid1" (the accepted
 * sides of the ESTAB pairs, the v6 connected UDP socket, and the listener
 * on N it shares with the main process) and "mixkid2" (the CLOSE-WAIT and
 * FIN-WAIT-1 peers, the accepted Unix stream socket, one seqpacket end),
 * and a child named --comm (default "evil" ESC "[2J") owning one listener.
 * Children die with the main process (PR_SET_PDEATHSIG) and have their
 * own timeout too.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/sockios.h>

#include "testkit.h"

const char testkit_name[] = "sockmix";

/* every wait for the kernel to reach a state gives up after this */
#define STEP_MS 5000
#define MAX_SOCKS 64
#define BACKLOG 128
/* the FIN-WAIT-1 pair: small enough that the window closes at once */
#define SMALL_RCVBUF 2048
#define SMALL_SNDBUF 4096
#define ESTAB_UNREAD 1000
#define UDP_UNREAD 100
#define UNIX_UNREAD 10
/* under 10 s, so that ss prints its timer as N.MMMms */
#define KEEPALIVE_SECS 9
/* a second fd of a socket is put out of the way of the first ones */
#define DUP_FD_MIN 100

/* the processes that own sockets, as bits of struct sock.owners */
enum proc_idx { P_MAIN, P_KID1, P_KID2, P_EVIL, N_PROCS };
#define OWN(p) (1u << (p))
#define KERNEL 0u

struct proc {
	pid_t pid;
	char comm[16];
};

struct sock {
	const char *role;
	/* ss's Netid */
	const char *proto;
	/* as ss prints it */
	const char *state;
	/* -1: the kernel holds the socket, no process does */
	int fd;
	/* a second fd of the same socket (dup), or -1 */
	int dup_fd;
	unsigned int owners;
	unsigned long inode;
	int family;
	/* inet */
	struct sockaddr_storage local;
	struct sockaddr_storage peer;
	/* SO_BINDTODEVICE, or "" */
	char dev[IFNAMSIZ];
	/* unix: own name as ss prints it, and the socket at the other end */
	char path[sizeof(((struct sockaddr_un *)0)->sun_path) + 1];
	const struct sock *unix_peer;
};

struct opts {
	unsigned int base;
	int timeout_s;
	const char *unix_dir;
	const char *syn_sent;
	const char *syn_sent_dev;
	const char *bind_dev;
	const char *comm;
	bool named_ports;
};

static struct sock socks[MAX_SOCKS];
static int n_socks;
static struct proc procs[N_PROCS];
static bool is_child;
/* the directory we created for the Unix paths (removed at exit), or "" */
static char made_dir[PATH_MAX];
static char unix_dir[PATH_MAX];
static volatile sig_atomic_t stop;

static const char usage_text[] =
	"usage: sockmix [--base-port N] [--timeout SECS] [--unix-dir DIR]\n"
	"               [--syn-sent ADDR | --no-syn-sent] [--syn-sent-dev DEV]\n"
	"               [--bind-dev DEV] [--comm NAME] [--no-named-ports]\n"
	"\n"
	"  --base-port N     first of the fixed ports N..N+20 (default 20000)\n"
	"  --timeout SECS    end after SECS seconds (default 120)\n"
	"  --unix-dir DIR    where the Unix socket paths go (default: a new\n"
	"                    /tmp/sockmix.XXXXXX, removed at exit)\n"
	"  --syn-sent ADDR   IPv4 address that never answers (default 198.18.1.2)\n"
	"  --no-syn-sent     no SYN-SENT socket\n"
	"  --syn-sent-dev D  SO_BINDTODEVICE for the SYN-SENT socket (default dummy0,\n"
	"                    \"\" for none)\n"
	"  --bind-dev DEV    device of the bound listener and UDP socket (default lo)\n"
	"  --comm NAME       name of the process owning the N+8 listener\n"
	"                    (default \"evil\" ESC \"[2J\")\n"
	"  --no-named-ports  no 127.0.0.1:80 listener nor 127.0.0.1:53 UDP socket\n";

/* ---- failures and exit ---- */

/* At exit, and after a failure's message (testkit_cleanup): the main process only. */
static void cleanup(void)
{
	char p[PATH_MAX + 32];
	int i;

	if (is_child)
		return;
	for (i = 1; i < N_PROCS; i++) {
		if (procs[i].pid > 0) {
			kill(procs[i].pid, SIGTERM);
			waitpid(procs[i].pid, NULL, 0);
			procs[i].pid = 0;
		}
	}
	if (unix_dir[0]) {
		snprintf(p, sizeof(p), "%s/stream.sock", unix_dir);
		unlink(p);
		snprintf(p, sizeof(p), "%s/dgram.sock", unix_dir);
		unlink(p);
	}
	if (made_dir[0])
		rmdir(made_dir);
}

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* Setup waits are bounded; a signal meanwhile ends the run. */
static void check_stop(void)
{
	if (stop)
		die("stopped before the mix was ready");
}

/* ---- time ---- */

static uint64_t now_ms(void)
{
	return now_ns() / 1000000;
}

static void nap_ms(int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
	check_stop();
}

/* ---- addresses ---- */

/* ADDR (numeric, either family) and PORT into ss; dies on a bad address. */
static void make_addr(struct sockaddr_storage *ss, const char *addr, unsigned int port)
{
	if (!sa_parse(addr, ss))
		die("'%s' is not a numeric IPv4 or IPv6 address", addr);
	sa_set_port(ss, port);
}

/* ---- socket helpers ---- */

static int new_socket(int family, int type)
{
	return socket_or_die(family, type | SOCK_CLOEXEC);
}

static void set_dev(int fd, const char *dev)
{
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, dev, strlen(dev)))
		die("SO_BINDTODEVICE %s: %s", dev, strerror(errno));
}

static void set_nonblock(int fd, bool on)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK))
		die("fcntl: %s", strerror(errno));
}

static void bind_inet(int fd, const char *addr, unsigned int port)
{
	struct sockaddr_storage ss;

	make_addr(&ss, addr, port);
	if (bind(fd, (struct sockaddr *)&ss, sa_len(&ss)))
		die("bind to %s port %u: %s", addr, port, strerror(errno));
}

/* Waits until fd is ready for events; false after timeout_ms. */
static bool wait_fd(int fd, short events, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = events };
	uint64_t until = now_ms() + timeout_ms;
	int n;

	for (;;) {
		n = poll(&p, 1, timeout_ms);
		if (n >= 0)
			return n > 0;
		if (errno != EINTR)
			die("poll: %s", strerror(errno));
		check_stop();
		timeout_ms = (int)(until > now_ms() ? until - now_ms() : 0);
	}
}

/* A socket of family and type: SO_REUSEADDR, v6only as asked (-1: leave it). */
static int inet_socket(const char *addr, int type, int v6only)
{
	struct sockaddr_storage ss;
	int fd;

	make_addr(&ss, addr, 0);
	fd = new_socket(ss.ss_family, type);
	set_int_opt(fd, SOL_SOCKET, SO_REUSEADDR, 1, "SO_REUSEADDR");
	if (v6only >= 0)
		set_int_opt(fd, IPPROTO_IPV6, IPV6_V6ONLY, v6only, "IPV6_V6ONLY");
	return fd;
}

static void do_listen(int fd)
{
	if (listen(fd, BACKLOG))
		die("listen: %s", strerror(errno));
}

static int tcp_listener(const char *addr, unsigned int port, int v6only)
{
	int fd = inet_socket(addr, SOCK_STREAM, v6only);

	bind_inet(fd, addr, port);
	do_listen(fd);
	return fd;
}

/* Connects fd to addr:port (loopback: completes at once, or fails). */
static void tcp_connect(int fd, const char *addr, unsigned int port)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(int);
	int err = 0;

	make_addr(&ss, addr, port);
	set_nonblock(fd, true);
	if (connect(fd, (struct sockaddr *)&ss, sa_len(&ss)) && errno != EINPROGRESS)
		die("connect to %s port %u: %s", addr, port, strerror(errno));
	if (!wait_fd(fd, POLLOUT, STEP_MS))
		die("connect to %s port %u: no answer in %d ms", addr, port, STEP_MS);
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) || err)
		die("connect to %s port %u: %s", addr, port, strerror(err ? err : errno));
	set_nonblock(fd, false);
}

static int accept_one(int lfd)
{
	int fd;

	if (!wait_fd(lfd, POLLIN, STEP_MS))
		die("accept: no connection in %d ms", STEP_MS);
	fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		die("accept: %s", strerror(errno));
	return fd;
}

/* A client with family_of's family, connected to addr:port. */
static int tcp_client(const char *family_of, const char *addr, unsigned int port)
{
	int fd = inet_socket(family_of, SOCK_STREAM, -1);

	tcp_connect(fd, addr, port);
	return fd;
}

static int tcp_state(int fd)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len))
		die("TCP_INFO: %s", strerror(errno));
	return ti.tcpi_state;
}

static void wait_tcp_state(int fd, int state, const char *what)
{
	uint64_t until = now_ms() + STEP_MS;

	while (tcp_state(fd) != state) {
		if (now_ms() > until)
			die("%s: state %d, not %d after %d ms", what, tcp_state(fd), state,
			    STEP_MS);
		nap_ms(2);
	}
}

/* Waits until fd has at least n bytes to read (SIOCINQ). */
static void wait_inq(int fd, int n, const char *what)
{
	uint64_t until = now_ms() + STEP_MS;
	int q = 0;

	for (;;) {
		if (ioctl(fd, SIOCINQ, &q))
			die("%s: SIOCINQ: %s", what, strerror(errno));
		if (q >= n)
			return;
		if (now_ms() > until)
			die("%s: %d bytes queued, not %d after %d ms", what, q, n, STEP_MS);
		nap_ms(2);
	}
}

static void send_all(int fd, size_t n, const char *what)
{
	char buf[ESTAB_UNREAD > UDP_UNREAD ? ESTAB_UNREAD : UDP_UNREAD];
	ssize_t w;

	memset(buf, 'x', sizeof(buf));
	if (n > sizeof(buf))
		die("%s: %zu bytes is more than one buffer", what, n);
	w = send(fd, buf, n, MSG_NOSIGNAL);
	if (w != (ssize_t)n)
		die("%s: send: %s", what, w < 0 ? strerror(errno) : "short write");
}

/* ---- the record of what we made ---- */

static struct sock *add_sock(const char *role, const char *proto, const char *state, int fd,
			     unsigned int owners)
{
	struct sock *s;
	struct stat st;
	socklen_t len;

	if (n_socks == MAX_SOCKS)
		die("more than %d sockets", MAX_SOCKS);
	s = &socks[n_socks++];
	memset(s, 0, sizeof(*s));
	s->role = role;
	s->proto = proto;
	s->state = state;
	s->fd = fd;
	s->dup_fd = -1;
	s->owners = owners;
	if (fd < 0)
		return s;
	if (fstat(fd, &st))
		die("%s: fstat: %s", role, strerror(errno));
	s->inode = st.st_ino;
	len = sizeof(s->local);
	if (getsockname(fd, (struct sockaddr *)&s->local, &len))
		die("%s: getsockname: %s", role, strerror(errno));
	s->family = s->local.ss_family;
	if (s->family == AF_UNIX || s->family == AF_PACKET)
		return s;
	len = sizeof(s->peer);
	if (getpeername(fd, (struct sockaddr *)&s->peer, &len)) {
		if (errno != ENOTCONN)
			die("%s: getpeername: %s", role, strerror(errno));
		/* unconnected: the wildcard of its family, port 0 */
		memset(&s->peer, 0, sizeof(s->peer));
		s->peer.ss_family = s->family;
	}
	return s;
}

/* A socket the kernel holds alone: the mirror image of client's view. */
static void add_kernel_sock(const char *role, const char *state, const struct sock *client,
			    bool mirror)
{
	struct sock *s = add_sock(role, "tcp", state, -1, KERNEL);

	s->family = client->family;
	s->local = mirror ? client->peer : client->local;
	s->peer = mirror ? client->local : client->peer;
}

static void add_inet(const char *role, const char *proto, const char *state, int fd,
		     unsigned int owners, const char *dev)
{
	struct sock *s = add_sock(role, proto, state, fd, owners);

	if (dev)
		snprintf(s->dev, sizeof(s->dev), "%s", dev);
}

/* ---- TCP ---- */

static void make_tcp(const struct opts *o)
{
	unsigned int n = o->base;
	struct sock *rec;
	int l_lo, l_any, l_v6, l_dual, l_small, l_defer, l_dev, l_backlog, l_evil;
	int c, s, i, state;
	char buf[64 * 1024];

	l_lo = tcp_listener("127.0.0.1", n, -1);
	l_any = tcp_listener("0.0.0.0", n + 1, -1);
	l_v6 = tcp_listener("::1", n + 2, 1);
	l_dual = tcp_listener("::", n + 3, 0);

	/* accepted sockets inherit the small buffer: the FIN-WAIT-1 peer */
	l_small = inet_socket("127.0.0.1", SOCK_STREAM, -1);
	set_int_opt(l_small, SOL_SOCKET, SO_RCVBUF, SMALL_RCVBUF, "SO_RCVBUF");
	bind_inet(l_small, "127.0.0.1", n + 4);
	do_listen(l_small);

	l_defer = tcp_listener("127.0.0.1", n + 5, -1);
	/* long enough that the request outlives any run */
	set_int_opt(l_defer, IPPROTO_TCP, TCP_DEFER_ACCEPT, 3600, "TCP_DEFER_ACCEPT");
	set_int_opt(l_defer, IPPROTO_TCP, TCP_SYNCNT, 127, "TCP_SYNCNT");

	l_dev = inet_socket("0.0.0.0", SOCK_STREAM, -1);
	set_dev(l_dev, o->bind_dev);
	bind_inet(l_dev, "0.0.0.0", n + 6);
	do_listen(l_dev);

	l_backlog = tcp_listener("127.0.0.1", n + 7, -1);
	l_evil = tcp_listener("127.0.0.1", n + 8, -1);

	add_sock("tcp-listen-v4-lo", "tcp", "LISTEN", l_lo, OWN(P_MAIN) | OWN(P_KID1));
	rec = add_sock("tcp-listen-v4-any", "tcp", "LISTEN", l_any, OWN(P_MAIN));
	rec->dup_fd = fcntl(l_any, F_DUPFD_CLOEXEC, DUP_FD_MIN);
	if (rec->dup_fd < 0)
		die("dup: %s", strerror(errno));
	add_sock("tcp-listen-v6-lo", "tcp", "LISTEN", l_v6, OWN(P_MAIN));
	add_sock("tcp-listen-dual", "tcp", "LISTEN", l_dual, OWN(P_MAIN));
	add_sock("tcp-listen-small-rcvbuf", "tcp", "LISTEN", l_small, OWN(P_MAIN));
	add_sock("tcp-listen-defer", "tcp", "LISTEN", l_defer, OWN(P_MAIN));
	add_inet("tcp-listen-dev", "tcp", "LISTEN", l_dev, OWN(P_MAIN), o->bind_dev);
	add_sock("tcp-listen-backlog", "tcp", "LISTEN", l_backlog, OWN(P_MAIN));
	add_sock("tcp-listen-evil", "tcp", "LISTEN", l_evil, OWN(P_EVIL));
	if (o->named_ports)
		add_sock("tcp-listen-http", "tcp", "LISTEN", tcp_listener("127.0.0.1", 80, -1),
			 OWN(P_MAIN));

	/* ESTAB pairs; the accepted side of the IPv4 one has data it never reads */
	c = tcp_client("127.0.0.1", "127.0.0.1", n);
	s = accept_one(l_lo);
	send_all(c, ESTAB_UNREAD, "tcp-estab-v4");
	wait_inq(s, ESTAB_UNREAD, "tcp-estab-v4");
	add_sock("tcp-estab-v4-client", "tcp", "ESTAB", c, OWN(P_MAIN));
	add_sock("tcp-estab-v4-server", "tcp", "ESTAB", s, OWN(P_KID1));

	c = tcp_client("::1", "::1", n + 2);
	s = accept_one(l_v6);
	add_sock("tcp-estab-v6-client", "tcp", "ESTAB", c, OWN(P_MAIN));
	add_sock("tcp-estab-v6-server", "tcp", "ESTAB", s, OWN(P_KID1));

	c = tcp_client("::", "::ffff:127.0.0.1", n + 3);
	s = accept_one(l_dual);
	add_sock("tcp-estab-mapped-client", "tcp", "ESTAB", c, OWN(P_MAIN));
	add_sock("tcp-estab-mapped-server", "tcp", "ESTAB", s, OWN(P_KID1));

	/*
	 * A client on a fixed port: not autobound. Its keepalive timer runs
	 * all the time, between 0 and KEEPALIVE_SECS: ss -o shows it.
	 */
	c = inet_socket("127.0.0.1", SOCK_STREAM, -1);
	set_int_opt(c, SOL_SOCKET, SO_KEEPALIVE, 1, "SO_KEEPALIVE");
	set_int_opt(c, IPPROTO_TCP, TCP_KEEPIDLE, KEEPALIVE_SECS, "TCP_KEEPIDLE");
	set_int_opt(c, IPPROTO_TCP, TCP_KEEPINTVL, KEEPALIVE_SECS, "TCP_KEEPINTVL");
	bind_inet(c, "127.0.0.1", n + 20);
	tcp_connect(c, "127.0.0.1", n + 1);
	s = accept_one(l_any);
	add_sock("tcp-estab-bound-client", "tcp", "ESTAB", c, OWN(P_MAIN));
	add_sock("tcp-estab-bound-server", "tcp", "ESTAB", s, OWN(P_KID1));

	/* established, never accepted: in the listener's queue, nobody's */
	c = tcp_client("127.0.0.1", "127.0.0.1", n + 7);
	rec = add_sock("tcp-unaccepted-client", "tcp", "ESTAB", c, OWN(P_MAIN));
	add_kernel_sock("tcp-unaccepted-server", "ESTAB", rec, true);

	/* SYN-RECV: the ACK without data is dropped by TCP_DEFER_ACCEPT */
	c = tcp_client("127.0.0.1", "127.0.0.1", n + 5);
	rec = add_sock("tcp-synrecv-client", "tcp", "ESTAB", c, OWN(P_MAIN));
	add_kernel_sock("tcp-synrecv-request", "SYN-RECV", rec, true);

	/* FIN-WAIT-2 held, its peer in CLOSE-WAIT */
	c = tcp_client("127.0.0.1", "127.0.0.1", n);
	s = accept_one(l_lo);
	if (shutdown(c, SHUT_WR))
		die("shutdown: %s", strerror(errno));
	wait_tcp_state(c, TCP_FIN_WAIT2, "tcp-finwait2");
	wait_tcp_state(s, TCP_CLOSE_WAIT, "tcp-closewait");
	add_sock("tcp-finwait2", "tcp", "FIN-WAIT-2", c, OWN(P_MAIN));
	add_sock("tcp-closewait", "tcp", "CLOSE-WAIT", s, OWN(P_KID2));

	/* the same, then the FIN-WAIT-2 side closed: an orphan */
	c = tcp_client("127.0.0.1", "127.0.0.1", n);
	s = accept_one(l_lo);
	if (shutdown(c, SHUT_WR))
		die("shutdown: %s", strerror(errno));
	wait_tcp_state(c, TCP_FIN_WAIT2, "tcp-orphan-finwait2");
	wait_tcp_state(s, TCP_CLOSE_WAIT, "tcp-orphan-closewait");
	rec = add_sock("tcp-orphan-closewait", "tcp", "CLOSE-WAIT", s, OWN(P_KID2));
	add_kernel_sock("tcp-orphan-finwait2", "FIN-WAIT-2", rec, true);
	close(c);

	/* TIME-WAIT: the client closes first, the server after it */
	c = tcp_client("127.0.0.1", "127.0.0.1", n + 1);
	s = accept_one(l_any);
	/* named while connected; then only the kernel holds it */
	rec = add_sock("tcp-timewait", "tcp", "TIME-WAIT", c, KERNEL);
	rec->fd = -1;
	rec->inode = 0;
	if (shutdown(c, SHUT_WR))
		die("shutdown: %s", strerror(errno));
	wait_tcp_state(s, TCP_CLOSE_WAIT, "tcp-timewait-server");
	close(s);
	/* the full socket is CLOSE once its time-wait mini socket took over */
	wait_tcp_state(c, TCP_CLOSE, "tcp-timewait-client");
	close(c);

	/*
	 * FIN-WAIT-1: the peer never reads, so its window closes; the writer
	 * fills its own buffer too, then shuts down with data unsent: its FIN
	 * waits behind the data for a window that never opens.
	 */
	c = inet_socket("127.0.0.1", SOCK_STREAM, -1);
	set_int_opt(c, SOL_SOCKET, SO_SNDBUF, SMALL_SNDBUF, "SO_SNDBUF");
	tcp_connect(c, "127.0.0.1", n + 4);
	s = accept_one(l_small);
	set_nonblock(c, true);
	memset(buf, 'w', sizeof(buf));
	for (i = 0; i < 10000; i++) {
		if (send(c, buf, sizeof(buf), MSG_NOSIGNAL) >= 0)
			continue;
		if (errno != EAGAIN)
			die("tcp-finwait1: send: %s", strerror(errno));
		/* stuck for good once no room appears for a while */
		if (!wait_fd(c, POLLOUT, 300))
			break;
	}
	if (i == 10000)
		die("tcp-finwait1: the peer's window never closed");
	if (shutdown(c, SHUT_WR))
		die("shutdown: %s", strerror(errno));
	nap_ms(50);
	state = tcp_state(c);
	if (state != TCP_FIN_WAIT1)
		die("tcp-finwait1: state %d, not FIN-WAIT-1", state);
	add_sock("tcp-finwait1", "tcp", "FIN-WAIT-1", c, OWN(P_MAIN));
	add_sock("tcp-finwait1-peer", "tcp", "ESTAB", s, OWN(P_KID2));

	/* SYN-SENT: nothing ever answers on the dummy interface */
	if (o->syn_sent) {
		struct sockaddr_storage ss;

		c = inet_socket(o->syn_sent, SOCK_STREAM, -1);
		set_int_opt(c, IPPROTO_TCP, TCP_SYNCNT, 127, "TCP_SYNCNT");
		if (o->syn_sent_dev[0])
			set_dev(c, o->syn_sent_dev);
		set_nonblock(c, true);
		make_addr(&ss, o->syn_sent, n);
		if (!connect(c, (struct sockaddr *)&ss, sa_len(&ss)))
			die("tcp-synsent: %s answered: it must not", o->syn_sent);
		if (errno != EINPROGRESS)
			die("tcp-synsent: connect to %s: %s (is it routed to a dummy interface?)",
			    o->syn_sent, strerror(errno));
		wait_tcp_state(c, TCP_SYN_SENT, "tcp-synsent");
		rec = add_sock("tcp-synsent", "tcp", "SYN-SENT", c, OWN(P_MAIN));
		/* getpeername fails before the connection is made */
		rec->peer = ss;
		snprintf(rec->dev, sizeof(rec->dev), "%s", o->syn_sent_dev);
	}
}

/* ---- UDP ---- */

static int udp_socket(const char *addr, unsigned int port, int v6only)
{
	int fd = inet_socket(addr, SOCK_DGRAM, v6only);

	bind_inet(fd, addr, port);
	return fd;
}

static void udp_connect(int fd, const char *addr, unsigned int port)
{
	struct sockaddr_storage ss;

	make_addr(&ss, addr, port);
	if (connect(fd, (struct sockaddr *)&ss, sa_len(&ss)))
		die("udp connect to %s port %u: %s", addr, port, strerror(errno));
}

static void make_udp(const struct opts *o)
{
	unsigned int n = o->base;
	int u_lo, c, dev;

	u_lo = udp_socket("127.0.0.1", n + 10, -1);
	add_sock("udp-unconn-v4-lo", "udp", "UNCONN", u_lo, OWN(P_MAIN));
	add_sock("udp-unconn-v4-any", "udp", "UNCONN", udp_socket("0.0.0.0", n + 11, -1),
		 OWN(P_MAIN));
	add_sock("udp-unconn-v6-lo", "udp", "UNCONN", udp_socket("::1", n + 12, 1), OWN(P_MAIN));
	add_sock("udp-unconn-dual", "udp", "UNCONN", udp_socket("::", n + 13, 0), OWN(P_MAIN));

	dev = inet_socket("0.0.0.0", SOCK_DGRAM, -1);
	set_dev(dev, o->bind_dev);
	bind_inet(dev, "0.0.0.0", n + 16);
	add_inet("udp-unconn-dev", "udp", "UNCONN", dev, OWN(P_MAIN), o->bind_dev);
	if (o->named_ports)
		add_sock("udp-unconn-domain", "udp", "UNCONN", udp_socket("127.0.0.1", 53, -1),
			 OWN(P_MAIN));

	/* connected; the IPv4 one leaves a datagram in u_lo's queue */
	c = udp_socket("127.0.0.1", n + 14, -1);
	udp_connect(c, "127.0.0.1", n + 10);
	send_all(c, UDP_UNREAD, "udp-estab-v4");
	if (!wait_fd(u_lo, POLLIN, STEP_MS))
		die("udp-estab-v4: the datagram did not arrive");
	add_sock("udp-estab-v4", "udp", "ESTAB", c, OWN(P_MAIN));

	c = udp_socket("::1", n + 15, 1);
	udp_connect(c, "::1", n + 12);
	add_sock("udp-estab-v6", "udp", "ESTAB", c, OWN(P_KID1));

	/* autobound by connect */
	c = inet_socket("::", SOCK_DGRAM, 0);
	udp_connect(c, "::ffff:127.0.0.1", n + 11);
	add_sock("udp-estab-mapped", "udp", "ESTAB", c, OWN(P_MAIN));
}

/* ---- Unix ---- */

/* name: a path, or "@name" for the abstract namespace. */
static socklen_t make_sun(struct sockaddr_un *sun, const char *name)
{
	size_t len = strlen(name);

	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (len >= sizeof(sun->sun_path))
		die("unix name too long: %s", name);
	memcpy(sun->sun_path, name, len);
	if (name[0] == '@')
		sun->sun_path[0] = '\0';
	else
		len++;
	return offsetof(struct sockaddr_un, sun_path) + len;
}

static struct sock *add_unix(const char *role, const char *proto, const char *state, int fd,
			     unsigned int owners, const char *name)
{
	struct sock *s = add_sock(role, proto, state, fd, owners);
	struct sockaddr_un *sun = (struct sockaddr_un *)&s->local;
	socklen_t len = sizeof(s->local);

	if (name) {
		snprintf(s->path, sizeof(s->path), "%s", name);
		return s;
	}
	/* what the kernel gave it (autobind), or nothing */
	if (getsockname(fd, (struct sockaddr *)sun, &len))
		die("%s: getsockname: %s", role, strerror(errno));
	len -= offsetof(struct sockaddr_un, sun_path);
	if (len > 0 && sun->sun_path[0] == '\0') {
		s->path[0] = '@';
		memcpy(s->path + 1, sun->sun_path + 1, len - 1);
		s->path[len] = '\0';
	} else if (len > 0) {
		snprintf(s->path, sizeof(s->path), "%s", sun->sun_path);
	}
	return s;
}

static int unix_bound(int type, const char *name)
{
	struct sockaddr_un sun;
	socklen_t len = make_sun(&sun, name);
	int fd = new_socket(AF_UNIX, type);

	if (bind(fd, (struct sockaddr *)&sun, len))
		die("bind to unix %s: %s", name, strerror(errno));
	if (type != SOCK_DGRAM && listen(fd, BACKLOG))
		die("listen on unix %s: %s", name, strerror(errno));
	return fd;
}

static void pair_up(struct sock *a, struct sock *b)
{
	a->unix_peer = b;
	b->unix_peer = a;
}

static void make_unix(const struct opts *o)
{
	char stream[PATH_MAX + 16], dgram[PATH_MAX + 16], abs_stream[64], abs_seq[64];
	struct sockaddr_un sun;
	struct sock *a, *b;
	int l, c, s, sv[2];
	socklen_t len;

	snprintf(stream, sizeof(stream), "%s/stream.sock", unix_dir);
	snprintf(dgram, sizeof(dgram), "%s/dgram.sock", unix_dir);
	snprintf(abs_stream, sizeof(abs_stream), "@sockmix-%u.stream", o->base);
	snprintf(abs_seq, sizeof(abs_seq), "@sockmix-%u.seq", o->base);
	unlink(stream);
	unlink(dgram);

	l = unix_bound(SOCK_STREAM, stream);
	add_unix("unix-stream-listen", "u_str", "LISTEN", l, OWN(P_MAIN), stream);
	c = new_socket(AF_UNIX, SOCK_STREAM);
	len = make_sun(&sun, stream);
	if (connect(c, (struct sockaddr *)&sun, len))
		die("connect to unix %s: %s", stream, strerror(errno));
	s = accept_one(l);
	send_all(c, UNIX_UNREAD, "unix-stream");
	wait_inq(s, UNIX_UNREAD, "unix-stream");
	a = add_unix("unix-stream-client", "u_str", "ESTAB", c, OWN(P_MAIN), "");
	/* the accepted socket has the listener's name */
	b = add_unix("unix-stream-server", "u_str", "ESTAB", s, OWN(P_KID2), stream);
	pair_up(a, b);

	add_unix("unix-stream-abstract", "u_str", "LISTEN", unix_bound(SOCK_STREAM, abs_stream),
		 OWN(P_MAIN), abs_stream);
	add_unix("unix-dgram-bound", "u_dgr", "UNCONN", unix_bound(SOCK_DGRAM, dgram), OWN(P_MAIN),
		 dgram);

	/* autobind: an address of the family alone */
	c = new_socket(AF_UNIX, SOCK_DGRAM);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (bind(c, (struct sockaddr *)&sun, sizeof(sa_family_t)))
		die("autobind: %s", strerror(errno));
	add_unix("unix-dgram-autobound", "u_dgr", "UNCONN", c, OWN(P_MAIN), NULL);

	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv))
		die("socketpair: %s", strerror(errno));
	send_all(sv[0], UNIX_UNREAD, "unix-dgram-pair");
	if (!wait_fd(sv[1], POLLIN, STEP_MS))
		die("unix-dgram-pair: the datagram did not arrive");
	a = add_unix("unix-dgram-pair-a", "u_dgr", "ESTAB", sv[0], OWN(P_MAIN), "");
	b = add_unix("unix-dgram-pair-b", "u_dgr", "ESTAB", sv[1], OWN(P_MAIN), "");
	pair_up(a, b);

	add_unix("unix-seq-listen", "u_seq", "LISTEN", unix_bound(SOCK_SEQPACKET, abs_seq),
		 OWN(P_MAIN), abs_seq);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
		die("socketpair: %s", strerror(errno));
	a = add_unix("unix-seq-pair-a", "u_seq", "ESTAB", sv[0], OWN(P_MAIN), "");
	b = add_unix("unix-seq-pair-b", "u_seq", "ESTAB", sv[1], OWN(P_KID2), "");
	pair_up(a, b);
}

/* ---- owners ---- */

/* Closes every fd of a socket p does not own. */
static void keep_own(enum proc_idx p)
{
	int i;

	for (i = 0; i < n_socks; i++) {
		if (socks[i].fd < 0 || (socks[i].owners & OWN(p)))
			continue;
		close(socks[i].fd);
		if (socks[i].dup_fd >= 0)
			close(socks[i].dup_fd);
	}
}

/* Blocks until SIGTERM, SIGINT or the alarm. */
static void hold(void)
{
	sigset_t block, old;

	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGALRM);
	sigprocmask(SIG_BLOCK, &block, &old);
	while (!stop)
		sigsuspend(&old);
	sigprocmask(SIG_SETMASK, &old, NULL);
}

static void __attribute__((noreturn))
child_main(enum proc_idx p, pid_t parent, int ready_fd, int timeout_s)
{
	is_child = true;
	testkit_quick_exit = true;
	/* dies with the main process, whatever kills it */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent)
		_exit(EXIT_FAIL);
	alarm(timeout_s + 5);
	if (prctl(PR_SET_NAME, procs[p].comm, 0, 0, 0))
		die("PR_SET_NAME: %s", strerror(errno));
	keep_own(p);
	if (write(ready_fd, "x", 1) != 1)
		die("child: write: %s", strerror(errno));
	close(ready_fd);
	hold();
	_exit(0);
}

static void spawn_children(const struct opts *o)
{
	pid_t parent = getpid();
	int pipefd[2], p, got = 0;
	char c;

	snprintf(procs[P_KID1].comm, sizeof(procs[P_KID1].comm), "mixkid1");
	snprintf(procs[P_KID2].comm, sizeof(procs[P_KID2].comm), "mixkid2");
	/* what the kernel will keep of it */
	snprintf(procs[P_EVIL].comm, sizeof(procs[P_EVIL].comm), "%.15s", o->comm);
	if (pipe2(pipefd, O_CLOEXEC))
		die("pipe: %s", strerror(errno));
	fflush(stdout);
	for (p = P_KID1; p < N_PROCS; p++) {
		pid_t pid = fork();

		if (pid < 0)
			die("fork: %s", strerror(errno));
		if (pid == 0) {
			close(pipefd[0]);
			child_main(p, parent, pipefd[1], o->timeout_s);
		}
		procs[p].pid = pid;
	}
	close(pipefd[1]);
	keep_own(P_MAIN);
	/* every child has dropped what is not its own */
	while (got < N_PROCS - 1) {
		if (!wait_fd(pipefd[0], POLLIN, STEP_MS))
			die("the children did not get ready in %d ms", STEP_MS);
		if (read(pipefd[0], &c, 1) != 1)
			die("a child died before it was ready");
		got++;
	}
	close(pipefd[0]);
}

/* ---- output ---- */

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20 || ch >= 0x7f)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

/* ---- packet sockets ---- */

/* A packet socket for ethertype proto, bound to dev if not NULL; -1 if the kernel refuses. */
static int packet_socket(int type, uint16_t proto, const char *dev)
{
	struct sockaddr_ll ll = { .sll_family = AF_PACKET, .sll_protocol = htons(proto) };
	int fd = socket(AF_PACKET, type | SOCK_CLOEXEC, htons(proto));

	if (fd < 0) {
		if (errno == EPERM || errno == EACCES || errno == EAFNOSUPPORT)
			return -1;
		die("packet socket: %s", strerror(errno));
	}
	if (dev) {
		ll.sll_ifindex = (int)if_nametoindex(dev);
		if (!ll.sll_ifindex || bind(fd, (struct sockaddr *)&ll, sizeof(ll)))
			die("packet socket on %s: %s", dev, strerror(errno));
	}
	return fd;
}

/* Ethertypes nothing sends in the namespace: their queues stay empty. */
static void make_packet(void)
{
	int fd = packet_socket(SOCK_RAW, 0x88b5, NULL);

	if (fd < 0)
		return;
	add_sock("packet-raw", "p_raw", "UNCONN", fd, OWN(P_MAIN));
	fd = packet_socket(SOCK_DGRAM, ETH_P_LLDP, "lo");
	if (fd >= 0)
		add_sock("packet-dgram-lo", "p_dgr", "UNCONN", fd, OWN(P_MAIN));
}

static const char *family_name(int family)
{
	switch (family) {
	case AF_INET:
		return "inet";
	case AF_INET6:
		return "inet6";
	case AF_PACKET:
		return "packet";
	default:
		return "unix";
	}
}

static void print_owner(bool *first, enum proc_idx p, int fd)
{
	printf("%s{\"pid\":%d,\"fd\":%d,\"comm\":", *first ? "" : ",", (int)procs[p].pid, fd);
	json_str(stdout, procs[p].comm);
	putchar('}');
	*first = false;
}

static void print_sock(const struct sock *s)
{
	char la[INET6_ADDRSTRLEN], pa[INET6_ADDRSTRLEN];
	bool first = true;
	int p;

	printf("{\"role\":\"%s\",\"proto\":\"%s\",\"family\":\"%s\",\"state\":\"%s\",\"local\":",
	       s->role, s->proto, family_name(s->family), s->state);
	if (s->family == AF_UNIX) {
		json_str(stdout, s->path);
		printf(",\"lport\":%lu,\"peer\":", s->inode);
		json_str(stdout, s->unix_peer ? s->unix_peer->path : "");
		printf(",\"pport\":%lu", s->unix_peer ? s->unix_peer->inode : 0);
	} else if (s->family == AF_PACKET) {
		const struct sockaddr_ll *ll = (const struct sockaddr_ll *)&s->local;

		printf("\"0x%04x\",\"lport\":%d,\"peer\":\"\",\"pport\":0", ntohs(ll->sll_protocol),
		       ll->sll_ifindex);
	} else {
		printf("\"%s\",\"lport\":%u,\"peer\":\"%s\",\"pport\":%u",
		       sa_addr_str(&s->local, la), sa_port(&s->local), sa_addr_str(&s->peer, pa),
		       sa_port(&s->peer));
	}
	printf(",\"dev\":\"%s\",\"inode\":%lu,", s->dev, s->inode);
	for (p = 0; p < N_PROCS; p++) {
		if (s->owners & OWN(p))
			break;
	}
	if (p == N_PROCS)
		printf("\"pid\":null,\"fd\":null");
	else
		printf("\"pid\":%d,\"fd\":%d", (int)procs[p].pid, s->fd);
	printf(",\"owners\":[");
	for (p = 0; p < N_PROCS; p++) {
		if (!(s->owners & OWN(p)))
			continue;
		print_owner(&first, p, s->fd);
		if (s->dup_fd >= 0)
			print_owner(&first, p, s->dup_fd);
	}
	printf("]}\n");
}

/* ---- options ---- */

enum {
	OPT_BASE = 256,
	OPT_TIMEOUT,
	OPT_UNIX_DIR,
	OPT_SYN_SENT,
	OPT_NO_SYN_SENT,
	OPT_SYN_SENT_DEV,
	OPT_BIND_DEV,
	OPT_COMM,
	OPT_NO_NAMED,
};

static const struct option long_opts[] = {
	{ "base-port", required_argument, NULL, OPT_BASE },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "unix-dir", required_argument, NULL, OPT_UNIX_DIR },
	{ "syn-sent", required_argument, NULL, OPT_SYN_SENT },
	{ "no-syn-sent", no_argument, NULL, OPT_NO_SYN_SENT },
	{ "syn-sent-dev", required_argument, NULL, OPT_SYN_SENT_DEV },
	{ "bind-dev", required_argument, NULL, OPT_BIND_DEV },
	{ "comm", required_argument, NULL, OPT_COMM },
	{ "no-named-ports", no_argument, NULL, OPT_NO_NAMED },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void parse_args(int argc, char **argv, struct opts *o)
{
	int c;

	*o = (struct opts){
		.base = 20000,
		.timeout_s = 120,
		.syn_sent = "198.18.1.2",
		.syn_sent_dev = "dummy0",
		.bind_dev = "lo",
		.comm = "evil\x1b[2J",
		.named_ports = true,
	};
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", long_opts, NULL)) != -1) {
		switch (c) {
		case OPT_BASE:
			/* below 1024 would meet the named ports, N+20 must fit */
			o->base = parse_num(optarg, "--base-port", 1024, 65535 - 20);
			break;
		case OPT_TIMEOUT:
			o->timeout_s = parse_num(optarg, "--timeout", 1, 86400);
			break;
		case OPT_UNIX_DIR:
			o->unix_dir = optarg;
			break;
		case OPT_SYN_SENT:
			o->syn_sent = optarg;
			break;
		case OPT_NO_SYN_SENT:
			o->syn_sent = NULL;
			break;
		case OPT_SYN_SENT_DEV:
			o->syn_sent_dev = optarg;
			break;
		case OPT_BIND_DEV:
			o->bind_dev = optarg;
			break;
		case OPT_COMM:
			o->comm = optarg;
			break;
		case OPT_NO_NAMED:
			o->named_ports = false;
			break;
		case 'h':
			fputs(usage_text, stdout);
			exit(0);
		default:
			usage_err("unknown option or missing value: %s (see --help)",
				  argv[optind - 1]);
		}
	}
	if (optind < argc)
		usage_err("unexpected argument '%s' (see --help)", argv[optind]);
	if (strlen(o->bind_dev) >= IFNAMSIZ || strlen(o->syn_sent_dev) >= IFNAMSIZ)
		usage_err("a device name has at most %d bytes", IFNAMSIZ - 1);
	if (!o->comm[0])
		usage_err("--comm: the name must not be empty");
	if (o->syn_sent) {
		struct in_addr a;

		if (inet_pton(AF_INET, o->syn_sent, &a) != 1)
			usage_err("--syn-sent: '%s' is not a numeric IPv4 address", o->syn_sent);
	}
}

static void setup_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	/* no SA_RESTART: a signal interrupts a setup wait, which then stops */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static void setup_unix_dir(const struct opts *o)
{
	if (o->unix_dir) {
		if (strlen(o->unix_dir) > 80)
			usage_err("--unix-dir: '%s' is too long for a Unix socket path",
				  o->unix_dir);
		snprintf(unix_dir, sizeof(unix_dir), "%s", o->unix_dir);
		return;
	}
	snprintf(made_dir, sizeof(made_dir), "/tmp/sockmix.XXXXXX");
	if (!mkdtemp(made_dir)) {
		made_dir[0] = '\0';
		die("mkdtemp: %s", strerror(errno));
	}
	snprintf(unix_dir, sizeof(unix_dir), "%s", made_dir);
}

int main(int argc, char **argv)
{
	struct opts o;
	int i;

	/* a failure ends the children and removes the Unix paths too */
	testkit_cleanup = cleanup;
	parse_args(argc, argv, &o);
	setup_signals();
	alarm(o.timeout_s);
	procs[P_MAIN].pid = getpid();
	prctl(PR_GET_NAME, procs[P_MAIN].comm, 0, 0, 0);
	setup_unix_dir(&o);

	make_tcp(&o);
	make_udp(&o);
	make_unix(&o);
	make_packet();
	spawn_children(&o);
	/* the last ACKs of the closed connections are through loopback */
	nap_ms(50);

	for (i = 0; i < n_socks; i++)
		print_sock(&socks[i]);
	printf("{\"event\":\"ready\",\"pid\":%d,\"sockets\":%d}\n", (int)getpid(), n_socks);
	if (fflush(stdout))
		die("writing to stdout: %s", strerror(errno));

	hold();
	cleanup();
	return 0;
}
