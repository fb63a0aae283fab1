// SPDX-License-Identifier: GPL-2.0
/*
 * socktap top (and its names iftop and nethogs): live bandwidth per
 * connection, process, remote host and cgroup, on a screen (top_screen.c)
 * or, for scripts and when stdout is not a terminal, as one table or JSON
 * object per interval. The numbers come from topsrc.c, the bookkeeping
 * from flows.c; this file is options, the loop, and the batch output.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include "cgroup.h"
#include "cli.h"
#include "commands.h"
#include "flowfilter.h"
#include "flows.h"
#include "json_writer.h"
#include "parse.h"
#include "privilege.h"
#include "resolve.h"
#include "services.h"
#include "signals.h"
#include "sockets.h"
#include "ssfilter.h"
#include "sysinfo.h"
#include "top_batch.h"
#include "top_screen.h"
#include "top_view.h"
#include "topsrc.h"
#include "util.h"

#define FILTER_WORDS_MAX 64

static struct {
	struct top_view v;
	bool batch, batch_given;
	double interval; /* batch: seconds between tables */
	uint64_t count; /* batch: tables to print, 0: until stopped */
	bool tcp, udp;
	const char *cgroup_arg, *iface;
	struct flowfilter ff; /* which sockets count */
	const char *prog; /* the name it was called by */
} T;

static void help(void)
{
	printf("Usage: socktap %s [options]\n\n"
	       "Live bandwidth per connection, process, remote host and cgroup, counted\n"
	       "in the kernel: TCP from tcp_sock's own counters, UDP per call, the last\n"
	       "bytes of every connection that closed in between included.\n\n"
	       "Options:\n"
	       "  -t, --tcp              TCP only\n"
	       "  -u, --udp              UDP only\n"
	       "  -4, --ipv4             IPv4 only\n"
	       "  -6, --ipv6             IPv6 only\n"
	       "  -i, --interface IFACE  only sockets whose route goes through IFACE\n"
	       "  -f, --filter EXPR      ss's filter language (\"dport = :443\", \"state "
	       "established\")\n"
	       "  -p, --pid PID          only sockets of process PID\n"
	       "      --cgroup PATH      only sockets of cgroup v2 PATH\n"
	       "  -n, --no-dns           no host names\n"
	       "  -N, --no-services      no port names\n"
	       "  -B, --bytes            rates in bytes (default: bits, as iftop)\n"
	       "  -d, --delay SECS       screen refresh (default 1)\n"
	       "  -o, --order KEY        sort by 2s, 10s, 40s, sent or received (default 2s)\n"
	       "  -L, --lines N          at most N rows\n"
	       "  -g, --group GROUP      connection, process, remote or cgroup\n"
	       "      --exe              executable paths (JSON: \"exe\") as well as names\n"
	       "      --batch            one table per interval (default when stdout is\n"
	       "                         not a terminal)\n"
	       "      --interval SECS    batch: seconds between tables (default 1)\n"
	       "      --count N          batch: stop after N tables\n" CLI_COMMON_HELP
	       "\nWith --json (implies --batch): one object per interval, {\"type\":\"top\",\n"
	       "\"time\",\"interval_s\",\"processes\":[...],\"connections\":[...],\"remotes\",\n"
	       "\"cgroups\",\"total\",\"lost\"}; bytes_sent and bytes_received count from "
	       "socktap's\n"
	       "start, sent_bps and received_bps are bytes per second over the interval.\n"
	       "\nKeys: Tab/g grouping, 1/2/3 sort by 2s/10s/40s, s/r by sent/received,\n"
	       "n DNS, N services, B bytes/bits, b bars, t line mode, P pause, e paths,\nj/k "
	       "scroll, "
	       "/ or f filter, h or ? help, q quit.\n",
	       T.prog);
	privilege_help(stdout, "top");
}

enum {
	OPT_CGROUP = 256,
	OPT_BATCH,
	OPT_INTERVAL,
	OPT_COUNT,
	OPT_EXE,
};

static double secs_arg(const char *opt, const char *s)
{
	double v;

	if (parse_secs(s, 0.1, 3600, &v))
		usage_error("%s: %s %s: seconds from 0.1 to 3600", T.prog, opt, s);
	return v;
}

static enum flow_group parse_group(const char *s)
{
	static const char *const names[FLOW_GROUP_MAX] = { "connection", "process", "remote",
							   "cgroup" };

	for (int g = 0; g < FLOW_GROUP_MAX; g++)
		if (!strcmp(s, names[g]))
			return (enum flow_group)g;
	usage_error("%s: --group %s: one of connection, process, remote, cgroup", T.prog, s);
}

static enum flow_sort parse_order(const char *s)
{
	static const char *const names[FLOW_SORT_MAX] = { "2s", "10s", "40s", "sent", "received" };

	for (int i = 0; i < FLOW_SORT_MAX; i++)
		if (!strcmp(s, names[i]))
			return (enum flow_sort)i;
	usage_error("%s: -o %s: one of 2s, 10s, 40s, sent, received", T.prog, s);
}

static void parse_args(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "tcp", no_argument, NULL, 't' },
		{ "udp", no_argument, NULL, 'u' },
		{ "ipv4", no_argument, NULL, '4' },
		{ "ipv6", no_argument, NULL, '6' },
		{ "interface", required_argument, NULL, 'i' },
		{ "filter", required_argument, NULL, 'f' },
		{ "pid", required_argument, NULL, 'p' },
		{ "cgroup", required_argument, NULL, OPT_CGROUP },
		{ "no-dns", no_argument, NULL, 'n' },
		{ "no-services", no_argument, NULL, 'N' },
		{ "bytes", no_argument, NULL, 'B' },
		{ "delay", required_argument, NULL, 'd' },
		{ "order", required_argument, NULL, 'o' },
		{ "lines", required_argument, NULL, 'L' },
		{ "group", required_argument, NULL, 'g' },
		{ "exe", no_argument, NULL, OPT_EXE },
		{ "batch", no_argument, NULL, OPT_BATCH },
		{ "interval", required_argument, NULL, OPT_INTERVAL },
		{ "count", required_argument, NULL, OPT_COUNT },
		CLI_COMMON_LONGOPTS,
	};
	char err[256];
	uint64_t v;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":tu46i:f:p:nNBd:o:L:g:" CLI_COMMON_SHORTOPTS, longopts,
				NULL)) != -1) {
		if (cli_common_opt(c, T.prog, argv, help))
			continue;
		switch (c) {
		case 't':
			T.tcp = true;
			break;
		case 'u':
			T.udp = true;
			break;
		case '4':
			T.ff.family = AF_INET;
			break;
		case '6':
			T.ff.family = AF_INET6;
			break;
		case 'i':
			T.iface = optarg;
			break;
		case 'f':
			snprintf(T.v.filter, sizeof(T.v.filter), "%s", optarg);
			break;
		case 'p':
			if (parse_u64(optarg, 1, UINT32_MAX, &v))
				usage_error("%s: -p %s: not a process id", T.prog, optarg);
			T.ff.pid = (uint32_t)v;
			break;
		case OPT_CGROUP:
			T.cgroup_arg = optarg;
			break;
		case 'n':
			T.v.dns = false;
			break;
		case 'N':
			T.v.services = false;
			break;
		case 'B':
			T.v.bits = false;
			break;
		case 'd':
			T.v.refresh_s = secs_arg("-d", optarg);
			break;
		case 'o':
			T.v.sort = parse_order(optarg);
			break;
		case 'L':
			if (parse_u64(optarg, 1, 100000, &v))
				usage_error("%s: -L %s: a number of lines from 1", T.prog, optarg);
			T.v.lines = (unsigned int)v;
			break;
		case 'g':
			T.v.group = parse_group(optarg);
			break;
		case OPT_EXE:
			T.v.show_path = true;
			break;
		case OPT_BATCH:
			T.batch = T.batch_given = true;
			break;
		case OPT_INTERVAL:
			T.interval = secs_arg("--interval", optarg);
			break;
		case OPT_COUNT:
			if (parse_u64(optarg, 1, UINT32_MAX, &T.count))
				usage_error("%s: --count %s: a number from 1", T.prog, optarg);
			break;
		default:
			usage_error("%s: unknown option", T.prog);
		}
	}
	cli_no_args(T.prog, argc, argv);
	if (!T.tcp && !T.udp)
		T.tcp = T.udp = true;
	if (flowfilter_compile(&T.ff, T.v.filter, err, sizeof(err)))
		usage_error("%s: -f: %s", T.prog, err);
	if (T.iface) {
		T.ff.ifindex = if_nametoindex(T.iface);
		if (!T.ff.ifindex)
			usage_error("%s: -i %s: no such interface", T.prog, T.iface);
	}
	if (T.cgroup_arg) {
		T.ff.cgroup = cgroup_id_of_path(T.cgroup_arg);
		if (!T.ff.cgroup)
			usage_error("%s: --cgroup %s: no such cgroup v2", T.prog, T.cgroup_arg);
	}
	if (g_opts.json || !isatty(STDOUT_FILENO))
		T.batch = true;
	if ((T.interval || T.count) && !T.batch)
		usage_error("%s: --interval and --count are for --batch", T.prog);
	if (!T.interval)
		T.interval = T.batch ? 1 : T.v.refresh_s;
}

/* ---- the loop ---- */

static int timer_open(double secs)
{
	struct itimerspec it = { 0 };
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);

	if (fd < 0)
		return -1;
	it.it_value.tv_sec = (time_t)secs;
	it.it_value.tv_nsec = (long)((secs - (double)(time_t)secs) * 1e9);
	if (!it.it_value.tv_sec && !it.it_value.tv_nsec)
		it.it_value.tv_nsec = 1;
	it.it_interval = it.it_value;
	if (timerfd_settime(fd, 0, &it, NULL)) {
		close(fd);
		return -1;
	}
	return fd;
}

static int run(struct topsrc *S, struct flows **Fp)
{
	json_writer_t *jw = NULL;
	struct top_status st = { 0 };
	struct pollfd pfd[3];
	uint64_t printed = 0;
	char err[256];
	int tfd, ret = 0;
	bool screen = !T.batch;

	tfd = timer_open(T.interval);
	if (tfd < 0) {
		p_err("cannot make a timer: %s", strerror(errno));
		return EXIT_RUNTIME;
	}
	if (g_opts.json)
		jw = jsonw_new(stdout);
	if (screen) {
		topsrc_status(S, &st);
		top_screen_draw(&T.v, *Fp, &st);
	}
	pfd[0] = (struct pollfd){ .fd = tfd, .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = topsrc_event_fd(S), .events = POLLIN };
	pfd[2] = (struct pollfd){ .fd = screen ? STDIN_FILENO : -1, .events = POLLIN };
	while (!signals_stop) {
		uint64_t ticks;

		if (poll(pfd, 3, -1) < 0) {
			if (errno == EINTR) {
				/* SIGWINCH: the screen follows the new size at once */
				if (screen && top_screen_keys(&T.v) == TOP_KEY_QUIT)
					break;
				if (screen)
					top_screen_draw(&T.v, *Fp, &st);
				continue;
			}
			p_err("poll failed: %s", strerror(errno));
			ret = EXIT_RUNTIME;
			break;
		}
		if (pfd[1].revents & POLLIN)
			topsrc_drain(S);
		if (pfd[2].revents & POLLIN) {
			enum top_key k = top_screen_keys(&T.v);

			if (k == TOP_KEY_QUIT)
				break;
			if (k == TOP_KEY_FILTER) {
				if (!flowfilter_compile(&T.ff, T.v.filter, T.v.filter_error,
							sizeof(T.v.filter_error))) {
					/* counting starts again under the new filter */
					T.v.filter_error[0] = '\0';
					flows_free(*Fp);
					*Fp = flows_new();
					topsrc_set_want(S, flowfilter_want, &T.ff);
					if (topsrc_refresh(S, *Fp, -1, err, sizeof(err))) {
						top_screen_close();
						p_err("%s", err);
						ret = EXIT_RUNTIME;
						break;
					}
				}
			}
			if (k != TOP_KEY_NONE) {
				topsrc_status(S, &st);
				top_screen_draw(&T.v, *Fp, &st);
			}
		}
		if (!(pfd[0].revents & POLLIN) || read(tfd, &ticks, sizeof(ticks)) != sizeof(ticks))
			continue;
		if (topsrc_refresh(S, *Fp, -1, err, sizeof(err))) {
			if (screen)
				top_screen_close();
			p_err("%s", err);
			ret = EXIT_RUNTIME;
			break;
		}
		topsrc_status(S, &st);
		if (screen) {
			top_screen_draw(&T.v, *Fp, &st);
			topsrc_give_back(S, *Fp);
			continue;
		}
		if (jw)
			top_batch_json(jw, &T.v, *Fp, &st);
		else
			top_batch_text(stdout, &T.v, *Fp, &st);
		topsrc_give_back(S, *Fp);
		if (fflush(stdout) || ferror(stdout)) {
			/* the reader left (| head) is no failure; anything else is */
			if (errno != EPIPE) {
				p_err("writing the output failed: %s", strerror(errno));
				ret = EXIT_RUNTIME;
			}
			break;
		}
		if (T.count && ++printed >= T.count)
			break;
	}
	if (jw)
		jsonw_destroy(&jw);
	close(tfd);
	return ret;
}

int do_top(int argc, char **argv)
{
	struct topsrc_opts o = { 0 };
	struct topsrc *S;
	struct flows *F;
	char err[256];
	int ret;

	T.prog = argv[0];
	flowfilter_init(&T.ff);
	T.v.dns = true;
	T.v.services = true;
	T.v.bits = true;
	T.v.refresh_s = 1;
	/* iftop's look for iftop, nethogs's for nethogs and for top */
	T.v.group = !strcmp(T.prog, "iftop") ? FLOW_GROUP_CONNECTION : FLOW_GROUP_PROCESS;
	/* iftop draws its bars from the start */
	T.v.bars = T.v.group == FLOW_GROUP_CONNECTION;
	parse_args(argc, argv);
	privilege_require("top", T.v.show_path ? PRIV_EXE : 0);
	if (sysinfo_need_btf(err, sizeof(err))) {
		p_err("%s", err);
		return EXIT_RUNTIME;
	}
	o.tcp = T.tcp;
	o.udp = T.udp;
	o.family = T.ff.family;
	o.route = T.ff.ifindex != 0;
	o.want = flowfilter_want;
	o.want_ctx = &T.ff;
	F = flows_new();
	S = topsrc_open(&o, F, -1, err, sizeof(err));
	if (!S) {
		p_err("%s", err);
		flows_free(F);
		return EXIT_RUNTIME;
	}
	signals_install();
	/* scripts wait for this: from here every byte counts */
	fprintf(stderr, "socktap: counting %s bytes (Ctrl-C to stop)\n",
		T.tcp && T.udp ? "TCP and UDP" :
		T.tcp	       ? "TCP" :
				 "UDP");
	if (!T.batch && top_screen_open(err, sizeof(err))) {
		p_err("%s", err);
		topsrc_close(S);
		flows_free(F);
		return EXIT_RUNTIME;
	}
	ret = run(S, &F);
	if (!T.batch)
		top_screen_close();
	topsrc_close(S);
	flows_free(F);
	flowfilter_free(&T.ff);
	return ret;
}
