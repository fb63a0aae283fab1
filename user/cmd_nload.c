// SPDX-License-Identifier: GPL-2.0
/*
 * socktap nload: each interface's traffic from the kernel's own 64-bit
 * counters (rtnetlink), nload's options, units and screen; or, for scripts
 * and tests, a table or NDJSON per interval.
 */
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/timerfd.h>
#include "cli.h"
#include "commands.h"
#include "ifstats.h"
#include "linkstats.h"
#include "nload_screen.h"
#include "parse.h"
#include "print.h"
#include "signals.h"
#include "units.h"
#include "util.h"

#define PROG "nload"

enum {
	OPT_ALL_NETNS = 256,
	OPT_BATCH,
	OPT_INTERVAL,
	OPT_COUNT,
};

static struct {
	double avg_s; /* -a */
	double refresh_s; /* -t, or --interval in batch mode */
	char rate_unit, total_unit; /* -u, -U */
	bool multiple; /* -m */
	uint64_t in_max, out_max; /* -i, -o: kbit/s, 0 auto (the screen's) */
	bool all_netns;
	bool batch;
	double interval;
	uint64_t count;
	char **devs; /* DEV... */
	int ndevs;
} N = { .avg_s = 300, .refresh_s = 0.5, .rate_unit = 'h', .total_unit = 'H' };

static void help(void)
{
	printf("Usage: socktap nload [options] [DEV...]\n\n"
	       "Each interface's incoming and outgoing traffic, from the kernel's own\n"
	       "64-bit counters (what `ip -s link` shows), with nload's options.\n\n"
	       "Options:\n"
	       "  -a SECS           average window (default 300)\n"
	       "  -t MS             refresh interval (default 500)\n"
	       "  -u h|H|b|B|k|K|m|M|g|G   unit of rates (default h: human, bits)\n"
	       "  -U h|H|b|B|k|K|m|M|g|G   unit of totals (default H: human, bytes)\n"
	       "  -m                several devices at once, without graphs\n"
	       "  -i KBITS, -o KBITS  the graphs' 100%% mark, incoming and outgoing (0: auto)\n"
	       "  --all-netns       interfaces of every network namespace\n"
	       "  --batch           a table (or with --json an object per device) per\n"
	       "                    interval; automatic when stdout is not a terminal\n"
	       "  --interval SECS   batch interval (default 1)\n"
	       "  --count N         stop after N intervals\n" CLI_COMMON_HELP);
}

static double parse_secs(const char *opt, const char *s, double min, double max)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (!*s || *end || errno || !isfinite(v) || v < min || v > max)
		usage_error("%s: %s %s: seconds from %g to %g", PROG, opt, s, min, max);
	return v;
}

static char parse_unit(const char *opt, const char *s)
{
	if (!s[0] || s[1] || !nload_unit_valid(s[0]))
		usage_error("%s: %s %s: one of h H b B k K m M g G", PROG, opt, s);
	return s[0];
}

static void parse_args(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "all-netns", no_argument, NULL, OPT_ALL_NETNS },
		{ "batch", no_argument, NULL, OPT_BATCH },
		{ "interval", required_argument, NULL, OPT_INTERVAL },
		{ "count", required_argument, NULL, OPT_COUNT },
		CLI_COMMON_LONGOPTS,
	};
	uint64_t v;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":a:t:u:U:mi:o:" CLI_COMMON_SHORTOPTS, longopts,
				NULL)) != -1) {
		if (cli_common_opt(c, PROG, argv, help))
			continue;
		switch (c) {
		case 'a':
			N.avg_s = parse_secs("-a", optarg, 1, 86400);
			break;
		case 't':
			if (parse_u64(optarg, 10, 3600000, &v))
				usage_error("%s: -t %s: milliseconds from 10 to 3600000", PROG, optarg);
			N.refresh_s = (double)v / 1000;
			break;
		case 'u':
			N.rate_unit = parse_unit("-u", optarg);
			break;
		case 'U':
			N.total_unit = parse_unit("-U", optarg);
			break;
		case 'm':
			N.multiple = true;
			break;
		case 'i':
		case 'o':
			if (parse_u64(optarg, 0, UINT32_MAX, &v))
				usage_error("%s: -%c %s: kbit/s from 0 (0: automatic)", PROG, c, optarg);
			*(c == 'i' ? &N.in_max : &N.out_max) = v;
			break;
		case OPT_ALL_NETNS:
			N.all_netns = true;
			break;
		case OPT_BATCH:
			N.batch = true;
			break;
		case OPT_INTERVAL:
			N.interval = parse_secs("--interval", optarg, 0.1, 3600);
			break;
		case OPT_COUNT:
			if (parse_u64(optarg, 1, UINT32_MAX, &N.count))
				usage_error("%s: --count %s: a number from 1", PROG, optarg);
			break;
		default:
			usage_error("%s: unknown option", PROG);
		}
	}
	N.devs = argv + optind;
	N.ndevs = argc - optind;
	if (g_opts.json || !isatty(STDOUT_FILENO))
		N.batch = true;
	if ((N.interval || N.count) && !N.batch)
		usage_error("%s: --interval and --count are for --batch", PROG);
	if (N.batch) {
		if (!N.interval)
			N.interval = 1;
		N.refresh_s = N.interval;
	}
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int sample(struct link_set *set, char *err, size_t errlen)
{
	set->n = 0;
	return N.all_netns ? linkstats_read_all(set, err, errlen) : linkstats_read(set, err, errlen);
}

static bool dev_wanted(const char *name)
{
	if (!N.ndevs)
		return true;
	for (int i = 0; i < N.ndevs; i++)
		if (!strcmp(N.devs[i], name))
			return true;
	return false;
}

/* Every DEV named must exist now: one line naming the first that does not. */
static void check_devs(const struct link_set *set)
{
	for (int i = 0; i < N.ndevs; i++) {
		bool found = false;

		for (size_t k = 0; k < set->n && !found; k++)
			found = !strcmp(set->v[k].name, N.devs[i]);
		if (!found)
			usage_error("%s: %s: no such device%s", PROG, N.devs[i],
				    N.all_netns ? " in any namespace" : "");
	}
}

static void print_interval(const struct ifstats *S, double interval)
{
	/* the namespace column only when there are several */
	static const struct print_col cols_all[] = {
		{ "netns", "Netns", COL_RIGHT, 0 },
		{ "dev", "Device", COL_LEFT, 0 },
		{ "in", "Incoming", COL_RIGHT, 0 },
		{ "out", "Outgoing", COL_RIGHT, 0 },
		{ "in_total", "In total", COL_RIGHT, 0 },
		{ "out_total", "Out total", COL_RIGHT, 0 },
		{ "state", "", COL_LEFT, 0 },
	};
	const struct print_col *cols = N.all_netns ? cols_all : cols_all + 1;
	size_t ncols = N.all_netns ? ARRAY_SIZE(cols_all) : ARRAY_SIZE(cols_all) - 1;
	struct timespec wall;
	char t[40], buf[64];

	clock_gettime(CLOCK_REALTIME, &wall);
	strftime(t, sizeof(t), "%Y-%m-%dT%H:%M:%S", gmtime(&wall.tv_sec));
	snprintf(t + strlen(t), sizeof(t) - strlen(t), ".%06ldZ", wall.tv_nsec / 1000);
	/* a table per interval; in JSON an object per device */
	print_table_begin(NULL, cols, ncols, 0);
	for (size_t i = 0; i < S->n; i++) {
		const struct if_dev *d = &S->v[i];

		if (!dev_wanted(d->name))
			continue;
		print_row_begin();
		print_str(PRINT_JSON, "type", "nload");
		print_str(PRINT_JSON, "time", t);
		print_float(PRINT_JSON, "interval_s", interval);
		print_str(PRINT_ANY, "dev", d->name);
		print_u64(PRINT_ANY, "netns", d->netns);
		print_u64(PRINT_JSON, "ifindex", (uint64_t)d->ifindex);
		if (d->addr[0])
			print_str(PRINT_JSON, "addr", d->addr);
		else
			print_null(PRINT_JSON, "addr");
		print_u64(PRINT_JSON, "rx_bytes", d->total.rx_bytes);
		print_u64(PRINT_JSON, "tx_bytes", d->total.tx_bytes);
		print_u64(PRINT_JSON, "rx_packets", d->total.rx_packets);
		print_u64(PRINT_JSON, "tx_packets", d->total.tx_packets);
		print_u64(PRINT_JSON, "rx_bps", (uint64_t)(d->interval.rx + 0.5));
		print_u64(PRINT_JSON, "tx_bps", (uint64_t)(d->interval.tx + 0.5));
		print_bool(PRINT_JSON, "up", d->up);
		print_bool(PRINT_JSON, "gone", d->gone);
		fmt_nload(buf, sizeof(buf), d->interval.rx, N.rate_unit, 2, true);
		print_str(PRINT_FP, "in", buf);
		fmt_nload(buf, sizeof(buf), d->interval.tx, N.rate_unit, 2, true);
		print_str(PRINT_FP, "out", buf);
		fmt_nload(buf, sizeof(buf), (double)d->total.rx_bytes, N.total_unit, 2, false);
		print_str(PRINT_FP, "in_total", buf);
		fmt_nload(buf, sizeof(buf), (double)d->total.tx_bytes, N.total_unit, 2, false);
		print_str(PRINT_FP, "out_total", buf);
		print_str(PRINT_FP, "state", d->gone ? "(gone)" : d->up ? "" : "(down)");
		print_row_end();
	}
	print_table_end();
	if (!print_is_json())
		putchar('\n');
	fflush(stdout);
}

/* The indices of the devices to show, in the order they came. */
static size_t shown_devs(const struct ifstats *S, size_t **shown, size_t *cap)
{
	size_t n = 0;

	if (*cap < S->n) {
		*cap = S->n;
		*shown = xrealloc(*shown, *cap * sizeof(**shown));
	}
	for (size_t i = 0; i < S->n; i++)
		if (dev_wanted(S->v[i].name))
			(*shown)[n++] = i;
	return n;
}

static int run_screen(struct ifstats *S, struct link_set *set)
{
	struct nload_view v = {
		.rate_unit = N.rate_unit,
		.total_unit = N.total_unit,
		.multiple = N.multiple,
		.in_max = N.in_max,
		.out_max = N.out_max,
		.show_netns = N.all_netns,
	};
	struct itimerspec it = { 0 };
	size_t *shown = NULL, cap = 0, n;
	struct pollfd pfd[2];
	char err[256];
	int tfd, ret = EXIT_RUNTIME;

	tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	it.it_interval.tv_sec = (time_t)N.refresh_s;
	it.it_interval.tv_nsec = (long)((N.refresh_s - (double)(time_t)N.refresh_s) * 1e9);
	it.it_value = it.it_interval;
	if (tfd < 0 || timerfd_settime(tfd, 0, &it, NULL)) {
		p_err("cannot set the refresh timer: %s", strerror(errno));
		goto out;
	}
	if (nload_screen_open(err, sizeof(err))) {
		p_err("%s", err);
		goto out;
	}
	n = shown_devs(S, &shown, &cap);
	nload_screen_draw(&v, S, shown, n);
	pfd[0] = (struct pollfd){ .fd = tfd, .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = STDIN_FILENO, .events = POLLIN };
	while (!signals_stop) {
		uint64_t ticks;
		bool draw = false;

		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			nload_screen_close();
			p_err("poll failed: %s", strerror(errno));
			goto out;
		}
		if (pfd[0].revents & POLLIN) {
			if (read(tfd, &ticks, sizeof(ticks)) < 0 && errno != EAGAIN)
				break;
			if (sample(set, err, sizeof(err))) {
				nload_screen_close();
				p_err("%s", err);
				goto out;
			}
			ifstats_update(S, set, now_s());
			n = shown_devs(S, &shown, &cap);
			draw = true;
		}
		if (pfd[1].revents & (POLLIN | POLLHUP)) {
			enum nload_key k = nload_screen_keys(&v, n);

			if (k == NLOAD_KEY_QUIT)
				break;
			draw |= k == NLOAD_KEY_REDRAW;
		}
		if (draw)
			nload_screen_draw(&v, S, shown, n);
	}
	nload_screen_close();
	ret = 0;
out:
	free(shown);
	if (tfd >= 0)
		close(tfd);
	return ret;
}

int do_nload(int argc, char **argv)
{
	struct link_set set = { 0 };
	struct ifstats S;
	struct timespec next;
	char err[256];
	double t0;
	int ret = EXIT_RUNTIME;

	parse_args(argc, argv);
	if (sample(&set, err, sizeof(err))) {
		p_err("%s", err);
		goto out;
	}
	check_devs(&set);
	/* a graph's history: as many values as the widest terminal has columns */
	ifstats_init(&S, N.refresh_s, N.avg_s, 1024);
	t0 = now_s();
	ifstats_update(&S, &set, t0);
	signals_install();
	if (!N.batch) {
		ret = run_screen(&S, &set);
		ifstats_free(&S);
		goto out;
	}
	print_init(stdout, g_opts.json);
	clock_gettime(CLOCK_MONOTONIC, &next);
	for (uint64_t n = 0; !signals_stop && (!N.count || n < N.count); n++) {
		double t;

		/* on a fixed cadence: a slow sample does not shift the next */
		next.tv_sec += (time_t)N.interval;
		next.tv_nsec += (long)((N.interval - (double)(time_t)N.interval) * 1e9);
		if (next.tv_nsec >= 1000000000L) {
			next.tv_sec++;
			next.tv_nsec -= 1000000000L;
		}
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) == EINTR)
			if (signals_stop)
				break;
		if (signals_stop)
			break;
		t = now_s();
		if (sample(&set, err, sizeof(err))) {
			p_err("%s", err);
			goto done;
		}
		ifstats_update(&S, &set, t);
		print_interval(&S, t - t0);
		t0 = t;
	}
	ret = 0;
done:
	if (print_fini() && ret == 0) {
		p_err("writing the output failed: %s", strerror(errno));
		ret = EXIT_RUNTIME;
	}
	ifstats_free(&S);
out:
	link_set_free(&set);
	return ret;
}
