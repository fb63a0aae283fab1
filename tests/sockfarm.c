// SPDX-License-Identifier: GPL-2.0
/*
 * sockfarm: many TCP sockets on loopback, for the listing benchmark
 * (tests/bench/b_listing.sh).
 *
 * Run inside a network namespace of its own (ip netns exec NS sockfarm
 * [options]): every socket it makes is in the caller's namespace. It makes
 * exactly --sockets N TCP sockets: listeners on 127.0.0.1:P, P+1, ... (one
 * per holder process, and one more when N's parity asks for it) and
 * established pairs, a client 127.0.0.1:<ephemeral> connected to a
 * listener and the side that listener accepted. The sockets are spread over
 * holder processes of at most HOLDER_FDS open files each, as a sandbox may
 * cap open files per process (RLIMIT_NOFILE is raised to its hard limit
 * first). Each holder makes its own listener and pairs, in batches of
 * non-blocking connects followed by as many accepts, so the accept queue
 * never overflows and no SYN is retransmitted.
 *
 * When all exist it prints "ready N" on stdout, and holds them until
 * SIGTERM or SIGINT, or --timeout seconds (default 300): it always ends by
 * itself. Holders die with it (PR_SET_PDEATHSIG) and have their own timeout
 * too. Every pair socket has SO_LINGER 0, so the farm leaves no TIME-WAIT
 * behind. A failure is one line on stderr and exit 1, a usage error exit 2.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testkit.h"

const char testkit_name[] = "sockfarm";

/* open files per holder, all included */
#define HOLDER_FDS 15000
/* what a holder keeps open besides its sockets: stdio, the ready pipe */
#define HOLDER_SPARE 16
#define MAX_HOLDERS 64
/* connects in flight before their accepts: well under somaxconn (4096) */
#define BATCH 256
#define BACKLOG 4096

struct opts {
	long sockets;
	unsigned int port;
	int timeout_s;
};

struct holder {
	pid_t pid;
	unsigned int port;
	int listeners; /* 1, or 2 for the one that takes the odd socket */
	long pairs;
};

static struct holder holders[MAX_HOLDERS];
static int n_holders;
static bool is_child;
static volatile sig_atomic_t stop;
static volatile sig_atomic_t child_died;

static const char usage_text[] =
	"usage: sockfarm [--sockets N] [--port P] [--timeout SECS]\n"
	"\n"
	"  --sockets N     TCP sockets to make, listeners included (default 10000)\n"
	"  --port P        first listening port on 127.0.0.1 (default 30000); one\n"
	"                  port per holder process, P, P+1, ...\n"
	"  --timeout SECS  end after SECS seconds (default 300)\n";

static void kill_holders(void)
{
	int i;

	if (is_child)
		return;
	for (i = 0; i < n_holders; i++) {
		if (holders[i].pid > 0) {
			kill(holders[i].pid, SIGKILL);
			waitpid(holders[i].pid, NULL, 0);
			holders[i].pid = 0;
		}
	}
}

static void on_signal(int sig)
{
	if (sig == SIGCHLD)
		child_died = 1;
	else
		stop = 1;
}

/* ---- a holder ---- */

static void set_linger0(int fd)
{
	struct linger l = { .l_onoff = 1, .l_linger = 0 };

	if (setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l)))
		die("SO_LINGER: %s", strerror(errno));
}

static int make_listener(unsigned int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	int one = 1, fd;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket_or_die(AF_INET, SOCK_STREAM | SOCK_CLOEXEC);
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)))
		die("SO_REUSEADDR: %s", strerror(errno));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)))
		die("bind 127.0.0.1:%u: %s", port, strerror(errno));
	if (listen(fd, BACKLOG))
		die("listen: %s", strerror(errno));
	return fd;
}

/* pairs connected pairs through the listener lfd on port */
static void make_pairs(int lfd, unsigned int port, long pairs)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	long done = 0, i, b;
	int fd;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	while (done < pairs && !stop) {
		b = pairs - done < BATCH ? pairs - done : BATCH;
		for (i = 0; i < b; i++) {
			fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
			if (fd < 0)
				die("socket (pair %ld): %s", done + i, strerror(errno));
			set_linger0(fd);
			if (connect(fd, (struct sockaddr *)&a, sizeof(a)) && errno != EINPROGRESS)
				die("connect to 127.0.0.1:%u (pair %ld): %s", port, done + i,
				    strerror(errno));
		}
		/* blocking: each returns once that handshake is complete */
		for (i = 0; i < b; i++) {
			fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
			if (fd < 0) {
				if (errno == EINTR && !stop)
					continue;
				die("accept (pair %ld): %s", done + i, strerror(errno));
			}
			set_linger0(fd);
		}
		done += b;
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
	sigaddset(&block, SIGCHLD);
	sigprocmask(SIG_BLOCK, &block, &old);
	while (!stop && !child_died)
		sigsuspend(&old);
	sigprocmask(SIG_SETMASK, &old, NULL);
}

static void __attribute__((noreturn))
holder_main(const struct holder *h, pid_t parent, int ready_fd, int timeout_s)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	long made;
	int lfd, i;

	is_child = true;
	/* dies with the main process, whatever kills it */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent)
		_exit(EXIT_FAIL);
	sigemptyset(&dfl.sa_mask);
	sigaction(SIGTERM, &dfl, NULL);
	sigaction(SIGINT, &dfl, NULL);
	sigaction(SIGCHLD, &dfl, NULL);
	alarm(timeout_s + 5);
	lfd = make_listener(h->port);
	for (i = 1; i < h->listeners; i++)
		make_listener(h->port + (unsigned int)n_holders);
	make_pairs(lfd, h->port, h->pairs);
	if (stop)
		_exit(0);
	made = h->listeners + 2 * h->pairs;
	if (write(ready_fd, &made, sizeof(made)) != sizeof(made))
		die("holder: write: %s", strerror(errno));
	close(ready_fd);
	hold();
	/* SIGALRM only: SIGTERM and SIGINT kill at once */
	_exit(0);
}

/* ---- the main process ---- */

/* The holders, their ports and their shares of o->sockets. */
static void plan(const struct opts *o, long per_holder)
{
	long pairs, listeners;
	int i;

	n_holders = (int)((o->sockets + per_holder - 1) / per_holder);
	if (n_holders > MAX_HOLDERS)
		usage_err("--sockets: at most %ld here (%d holders of %ld)",
			  per_holder * MAX_HOLDERS, MAX_HOLDERS, per_holder);
	if (o->port + (unsigned int)n_holders > 65535)
		usage_err("--port: %u..%u must be ports", o->port, o->port + n_holders);
	listeners = n_holders + (o->sockets - n_holders) % 2;
	pairs = (o->sockets - listeners) / 2;
	for (i = 0; i < n_holders; i++) {
		holders[i].port = o->port + (unsigned int)i;
		holders[i].listeners = 1;
		holders[i].pairs = pairs / n_holders + (i < pairs % n_holders);
	}
	/* the odd socket out: a second listener, on port P + n_holders */
	if (listeners > n_holders)
		holders[0].listeners = 2;
}

static void raise_nofile(long *per_holder)
{
	struct rlimit r;
	long fds;

	if (getrlimit(RLIMIT_NOFILE, &r))
		die("getrlimit: %s", strerror(errno));
	r.rlim_cur = r.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &r))
		die("setrlimit: %s", strerror(errno));
	fds = r.rlim_max == RLIM_INFINITY || r.rlim_max > HOLDER_FDS ? HOLDER_FDS :
								       (long)r.rlim_max;
	/* room for the extra listener too */
	*per_holder = fds - HOLDER_SPARE - 2;
	if (*per_holder < 64)
		die("RLIMIT_NOFILE's hard limit is %ld: too few open files", (long)r.rlim_max);
}

enum { OPT_SOCKETS = 256, OPT_PORT, OPT_TIMEOUT };

static const struct option long_opts[] = {
	{ "sockets", required_argument, NULL, OPT_SOCKETS },
	{ "port", required_argument, NULL, OPT_PORT },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void parse_args(int argc, char **argv, struct opts *o)
{
	int c;

	*o = (struct opts){ .sockets = 10000, .port = 30000, .timeout_s = 300 };
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", long_opts, NULL)) != -1) {
		switch (c) {
		case OPT_SOCKETS:
			o->sockets = (long)parse_num(optarg, "--sockets", 1, 1000000);
			break;
		case OPT_PORT:
			o->port = parse_num(optarg, "--port", 1, 65535);
			break;
		case OPT_TIMEOUT:
			o->timeout_s = parse_num(optarg, "--timeout", 1, 86400);
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
}

static void setup_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	/* no SA_RESTART: a signal interrupts the wait for the holders */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
	sigaction(SIGCHLD, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

int main(int argc, char **argv)
{
	long per_holder, made, total = 0;
	int pfd[2], i, reported = 0;
	pid_t self = getpid();
	ssize_t n;
	struct opts o;

	/* a failure ends the holders; it exits with _exit(), in a holder too */
	testkit_cleanup = kill_holders;
	testkit_quick_exit = true;
	parse_args(argc, argv, &o);
	raise_nofile(&per_holder);
	plan(&o, per_holder);
	setup_signals();
	alarm(o.timeout_s);
	if (pipe2(pfd, O_CLOEXEC))
		die("pipe: %s", strerror(errno));
	fflush(NULL);
	for (i = 0; i < n_holders; i++) {
		holders[i].pid = fork();
		if (holders[i].pid < 0)
			die("fork: %s", strerror(errno));
		if (holders[i].pid == 0) {
			close(pfd[0]);
			holder_main(&holders[i], self, pfd[1], o.timeout_s);
		}
	}
	close(pfd[1]);
	/* each holder writes its count once; EOF early means one failed */
	while (reported < n_holders && !stop) {
		n = read(pfd[0], &made, sizeof(made));
		if (n < 0 && errno == EINTR) {
			if (child_died && !stop)
				die("a holder failed during setup");
			continue;
		}
		if (n != sizeof(made))
			die("a holder failed during setup");
		total += made;
		reported++;
	}
	close(pfd[0]);
	if (!stop) {
		if (total != o.sockets)
			die("made %ld sockets, not %ld", total, o.sockets);
		fprintf(stderr,
			"sockfarm: %ld sockets: listeners on 127.0.0.1:%u..%u, %d holders of "
			"<= %d open files\n",
			total, o.port, o.port + n_holders - (holders[0].listeners == 1), n_holders,
			HOLDER_FDS);
		printf("ready %ld\n", total);
		if (fflush(stdout))
			die("writing to stdout: %s", strerror(errno));
		hold();
		if (child_died && !stop)
			die("a holder died");
	}
	kill_holders();
	return 0;
}
