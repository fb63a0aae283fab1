// SPDX-License-Identifier: GPL-2.0
/*
 * socktap export: socktap's counters as a Prometheus endpoint.
 *
 * Two threads. This one owns the BPF side: it drains events as they come,
 * takes the sockets' bytes every few seconds, and when the HTTP thread
 * (http.c) asks, refreshes every source and renders both formats. The
 * HTTP thread serves the last render, asking for a new one when it is
 * older than a second: scrapes that come together share one refresh, so
 * many scrapers cost no more than one. Between scrapes it takes the
 * sockets' bytes only when 20 s pass without one or closed sockets pile
 * up.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include "cgroup.h"
#include "cli.h"
#include "commands.h"
#include "flowfilter.h"
#include "http.h"
#include "metrics.h"
#include "parse.h"
#include "privilege.h"
#include "signals.h"
#include "sysinfo.h"
#include "util.h"

#define PROG "export"
/* a render younger than this serves a scrape as it is */
#define FRESH_S 1.0
/*
 * Without a scrape for this long, the sockets' bytes are taken anyway:
 * top keeps a closed socket's row 40 s. Prometheus's usual 15 s interval
 * never waits that long, so an update costs nothing there.
 */
#define UPDATE_S 20.0
/* a scrape waits at most this long for a refresh */
#define WAIT_S 10.0

enum {
	OPT_LISTEN = 256,
	OPT_GROUP_BY,
	OPT_TOP,
	OPT_CGROUP,
};

static struct {
	const char *listen;
	enum metrics_group group;
	unsigned int top;
	const char *cgroup_arg;
	char filter[1024];
	struct flowfilter ff;
} X = { .listen = "127.0.0.1:9464", .top = 20 };

/* What the two threads share, under mu. */
static struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct strbuf text, om; /* the last render, each format */
	double at; /* when (monotonic seconds); 0: none yet */
	unsigned long gen; /* renders made */
	unsigned long asked; /* renders asked for */
	char error[256]; /* the last refresh's failure, or empty */
	int efd; /* eventfd: a render is asked for */
	bool stopping;
} Sh = { .mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER, .efd = -1 };

static double mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void help(void)
{
	printf("Usage: socktap export [options]\n\n"
	       "Serves socktap's counters to Prometheus: per interface, per process\n"
	       "group (TCP and UDP bytes), TCP sockets by state, connects, accepts,\n"
	       "closes, failures, resets, retransmits, connection duration and connect\n"
	       "latency histograms, and socktap's own health. /metrics in Prometheus's\n"
	       "text format (OpenMetrics when asked for), /healthz.\n\n"
	       "Options:\n"
	       "  --listen ADDR:PORT   where to listen (default 127.0.0.1:9464; :PORT for\n"
	       "                       every address, [ADDR6]:PORT for IPv6)\n"
	       "  --group-by comm|cgroup|pid   the process groups' label (default comm)\n"
	       "  --top N              series per protocol beside \"(other)\" (default 20)\n"
	       "  -f, --filter EXPR    only sockets ss's filter EXPR selects count\n"
	       "                       (bytes and events; interfaces and states are the host's)\n"
	       "  -p, --pid PID        only this process's sockets\n"
	       "  --cgroup PATH        only sockets of this cgroup v2\n" CLI_COMMON_HELP);
	privilege_help(stdout, "export");
}

static void parse_args(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "listen", required_argument, NULL, OPT_LISTEN },
		{ "group-by", required_argument, NULL, OPT_GROUP_BY },
		{ "top", required_argument, NULL, OPT_TOP },
		{ "filter", required_argument, NULL, 'f' },
		{ "pid", required_argument, NULL, 'p' },
		{ "cgroup", required_argument, NULL, OPT_CGROUP },
		CLI_COMMON_LONGOPTS,
	};
	char err[256];
	uint64_t v;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":f:p:" CLI_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
		if (cli_common_opt(c, PROG, argv, help))
			continue;
		switch (c) {
		case OPT_LISTEN:
			X.listen = optarg;
			break;
		case OPT_GROUP_BY:
			if (!strcmp(optarg, "comm"))
				X.group = METRICS_BY_COMM;
			else if (!strcmp(optarg, "cgroup"))
				X.group = METRICS_BY_CGROUP;
			else if (!strcmp(optarg, "pid"))
				X.group = METRICS_BY_PID;
			else
				usage_error("%s: --group-by %s: one of comm, cgroup, pid", PROG,
					    optarg);
			break;
		case OPT_TOP:
			if (parse_u64(optarg, 1, 10000, &v))
				usage_error("%s: --top %s: a number from 1 to 10000", PROG, optarg);
			X.top = (unsigned int)v;
			break;
		case 'f':
			snprintf(X.filter, sizeof(X.filter), "%s", optarg);
			break;
		case 'p':
			if (parse_u64(optarg, 1, UINT32_MAX, &v))
				usage_error("%s: -p %s: not a process id", PROG, optarg);
			X.ff.pid = (uint32_t)v;
			break;
		case OPT_CGROUP:
			X.cgroup_arg = optarg;
			break;
		default:
			usage_error("%s: unknown option", PROG);
		}
	}
	cli_no_args(PROG, argc, argv);
	if (flowfilter_compile(&X.ff, X.filter, err, sizeof(err)))
		usage_error("%s: -f: %s", PROG, err);
	if (X.cgroup_arg) {
		X.ff.cgroup = cgroup_id_of_path(X.cgroup_arg);
		if (!X.ff.cgroup)
			usage_error("%s: --cgroup %s: no such cgroup v2", PROG, X.cgroup_arg);
	}
}

/* The HTTP thread's side: the last render, or a new one if it is stale. */
static int serve(void *ctx, bool openmetrics, struct strbuf *out)
{
	struct timespec until;
	const struct strbuf *r;
	uint64_t one = 1;
	int ret = -1;

	(void)ctx;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += (time_t)WAIT_S;
	pthread_mutex_lock(&Sh.mu);
	if (!Sh.at || mono_now() - Sh.at > FRESH_S) {
		unsigned long want = Sh.gen + 1;

		if (Sh.asked < want) {
			Sh.asked = want;
			if (write(Sh.efd, &one, sizeof(one)) < 0 && errno != EAGAIN)
				goto out;
		}
		while (Sh.gen < want && !Sh.stopping)
			if (pthread_cond_timedwait(&Sh.cv, &Sh.mu, &until) == ETIMEDOUT)
				break;
	}
	r = openmetrics ? &Sh.om : &Sh.text;
	if (Sh.at && r->len) {
		sb_put(out, r->p, r->len);
		ret = 0;
	}
out:
	pthread_mutex_unlock(&Sh.mu);
	return ret;
}

/* This thread's side: refresh and render both formats. */
static void render(struct metrics *M)
{
	struct strbuf text = { 0 }, om = { 0 };
	char err[256] = "";
	struct prom p;

	if (metrics_refresh(M, err, sizeof(err)) == 0) {
		prom_begin(&p, &text, false);
		metrics_render(M, &p);
		prom_begin(&p, &om, true);
		metrics_render(M, &p);
	}
	pthread_mutex_lock(&Sh.mu);
	if (!err[0]) {
		sb_free(&Sh.text);
		sb_free(&Sh.om);
		Sh.text = text;
		Sh.om = om;
		Sh.at = mono_now();
	} else {
		sb_free(&text);
		sb_free(&om);
	}
	snprintf(Sh.error, sizeof(Sh.error), "%s", err);
	Sh.gen++;
	pthread_cond_broadcast(&Sh.cv);
	pthread_mutex_unlock(&Sh.mu);
	if (err[0])
		p_err("%s: %s", PROG, err);
}

static int run(struct metrics *M)
{
	struct epoll_event ev[4];
	double next_update = mono_now() + UPDATE_S;
	int ep = epoll_create1(EPOLL_CLOEXEC);
	char err[256];

	if (ep < 0) {
		p_err("%s: epoll: %s", PROG, strerror(errno));
		return EXIT_RUNTIME;
	}
	ev[0] = (struct epoll_event){ .events = EPOLLIN, .data.u32 = 0 };
	ev[1] = (struct epoll_event){ .events = EPOLLIN, .data.u32 = 1 };
	if (epoll_ctl(ep, EPOLL_CTL_ADD, metrics_event_fd(M), &ev[0]) ||
	    epoll_ctl(ep, EPOLL_CTL_ADD, Sh.efd, &ev[1])) {
		p_err("%s: epoll: %s", PROG, strerror(errno));
		close(ep);
		return EXIT_RUNTIME;
	}
	while (!signals_stop) {
		double left = next_update - mono_now();
		int n = epoll_wait(ep, ev, 4, left > 0 ? (int)(left * 1000) + 1 : 0);

		if (n < 0 && errno != EINTR) {
			p_err("%s: epoll: %s", PROG, strerror(errno));
			break;
		}
		for (int i = 0; i < n; i++) {
			if (ev[i].data.u32 == 0) {
				metrics_drain(M);
				/* a burst of closes: take them before the queue fills */
				if (metrics_backlogged(M))
					next_update = 0;
			} else {
				uint64_t v;

				if (read(Sh.efd, &v, sizeof(v)) < 0 && errno != EAGAIN)
					break;
				render(M);
				next_update = mono_now() + UPDATE_S;
			}
		}
		if (mono_now() >= next_update) {
			if (metrics_update(M, err, sizeof(err)))
				p_err("%s: %s", PROG, err);
			next_update = mono_now() + UPDATE_S;
		}
	}
	close(ep);
	return 0;
}

int do_export(int argc, char **argv)
{
	struct metrics_opts o = { 0 };
	struct sockaddr_storage addr;
	struct http_server *H = NULL;
	struct metrics *M = NULL;
	socklen_t alen;
	char err[512];
	int ret = EXIT_RUNTIME;

	flowfilter_init(&X.ff);
	parse_args(argc, argv);
	if (http_parse_listen(X.listen, &addr, &alen, err, sizeof(err)))
		usage_error("%s: %s", PROG, err);
	privilege_require(PROG, 0);
	if (sysinfo_need_btf(err, sizeof(err))) {
		p_err("%s", err);
		return EXIT_RUNTIME;
	}
	signals_install();
	Sh.efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (Sh.efd < 0) {
		p_err("%s: eventfd: %s", PROG, strerror(errno));
		return EXIT_RUNTIME;
	}
	/* the port first: one in use is said before anything loads; a
	 * scrape that comes while loading waits for the first render */
	H = http_start(&addr, alen, serve, NULL, err, sizeof(err));
	if (!H) {
		p_err("%s", err);
		goto out;
	}
	o.group = X.group;
	o.top = X.top;
	o.filter = &X.ff;
	M = metrics_open(&o, err, sizeof(err));
	if (!M) {
		p_err("%s", err);
		goto out;
	}
	render(M);
	/* scripts wait for this line */
	fprintf(stderr, "socktap: serving metrics on http://%s/metrics (Ctrl-C to stop)\n",
		X.listen);
	ret = run(M);
out:
	pthread_mutex_lock(&Sh.mu);
	Sh.stopping = true;
	pthread_cond_broadcast(&Sh.cv);
	pthread_mutex_unlock(&Sh.mu);
	http_stop(H);
	metrics_close(M);
	flowfilter_free(&X.ff);
	sb_free(&Sh.text);
	sb_free(&Sh.om);
	close(Sh.efd);
	return ret;
}
