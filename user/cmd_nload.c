// SPDX-License-Identifier: GPL-2.0
/*
 * socktap nload: each interface's traffic from the kernel's own 64-bit
 * counters (rtnetlink), nload's options, units and screen; or, for scripts
 * and tests, a table or NDJSON per interval.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/timerfd.h>
#include "cgroup.h"
#include "cli.h"
#include "commands.h"
#include "events.h"
#include "ifstats.h"
#include "linkstats.h"
#include "nload_config.h"
#include "nload_screen.h"
#include "parse.h"
#include "print.h"
#include "privilege.h"
#include "signals.h"
#include "splitsrc.h"
#include "sysinfo.h"
#include "units.h"
#include "util.h"

#define PROG "nload"

enum {
	OPT_ALL_NETNS = 256,
	OPT_BATCH,
	OPT_INTERVAL,
	OPT_COUNT,
	OPT_BY_PROCESS,
	OPT_BY_CGROUP,
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
	bool by[SPLIT_BY_MAX]; /* --by-process, --by-cgroup */
	char **devs; /* DEV... */
	int ndevs;
	char devices[NLOAD_DEVICES_LEN]; /* shown: DEV... or the settings' ("": all) */
} N = { .avg_s = 300, .refresh_s = 0.5, .rate_unit = 'h', .total_unit = 'H' };

static void help(void)
{
	printf("Usage: socktap nload [options] [DEV...]\n\n"
	       "Each interface's incoming and outgoing traffic, from the kernel's own\n"
	       "64-bit counters (what `ip -s link` shows), with nload's options; on the\n"
	       "screen F2 edits them, F5 saves them to $SOCKTAP_NLOAD_CONFIG or\n"
	       "~/.config/socktap/nload.conf (read at start), F6 reads that back.\n\n"
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
	       "  --count N         stop after N intervals\n"
	       "  --by-process      each device's traffic split by process, with what no\n"
	       "                    process explains as rows of their own; on the screen\n"
	       "                    the pane of p (c by cgroup; again or Esc hides it)\n"
	       "  --by-cgroup       the same split by cgroup\n" CLI_COMMON_HELP);
	privilege_help(stdout, "nload");
}

static double secs_arg(const char *opt, const char *s, double min, double max)
{
	double v;

	if (parse_secs(s, min, max, &v))
		usage_error("%s: %s %s: seconds from %g to %g", PROG, opt, s, min, max);
	return v;
}

static char parse_unit(const char *opt, const char *s)
{
	if (!s[0] || s[1] || !nload_unit_valid(s[0]))
		usage_error("%s: %s %s: one of h H b B k K m M g G", PROG, opt, s);
	return s[0];
}

/* N's options as nload's settings, and back (the screen's, from the
 * settings file and the options window). */
static void settings_get(struct nload_settings *s)
{
	memset(s, 0, sizeof(*s));
	s->avg_s = N.avg_s;
	s->in_max = N.in_max;
	s->out_max = N.out_max;
	s->data_unit = N.total_unit;
	s->traffic_unit = N.rate_unit;
	s->refresh_ms = (unsigned int)(N.refresh_s * 1000 + 0.5);
	s->multiple = N.multiple;
	snprintf(s->devices, sizeof(s->devices), "%s", N.devices[0] ? N.devices : "all");
}

static void settings_put(const struct nload_settings *s)
{
	N.avg_s = s->avg_s;
	N.in_max = s->in_max;
	N.out_max = s->out_max;
	N.total_unit = s->data_unit;
	N.rate_unit = s->traffic_unit;
	N.refresh_s = (double)s->refresh_ms / 1000;
	N.multiple = s->multiple;
	memcpy(N.devices, s->devices, sizeof(N.devices));
}

/* The screen's saved settings, under those the command line gave; a batch
 * run depends on its command line alone. A file with faults is read as
 * far as it goes. */
static void load_settings(unsigned int given)
{
	char path[PATH_MAX], err[PATH_MAX + 256];
	struct nload_settings cli, s;
	int r;

	if (nload_config_path(path, sizeof(path)))
		return;
	settings_get(&cli);
	s = cli;
	r = nload_config_load(path, &s, err, sizeof(err));
	if (r > 0 || (r < 0 && r != -ENOENT))
		p_err("%s: %s", PROG, err);
	nload_settings_copy(&s, &cli, given);
	settings_put(&s);
}

static void parse_args(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "all-netns", no_argument, NULL, OPT_ALL_NETNS },
		{ "batch", no_argument, NULL, OPT_BATCH },
		{ "interval", required_argument, NULL, OPT_INTERVAL },
		{ "count", required_argument, NULL, OPT_COUNT },
		{ "by-process", no_argument, NULL, OPT_BY_PROCESS },
		{ "by-cgroup", no_argument, NULL, OPT_BY_CGROUP },
		CLI_COMMON_LONGOPTS,
	};
	unsigned int given = 0; /* NLS_BIT()s of the settings given */
	uint64_t v;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":a:t:u:U:mi:o:" CLI_COMMON_SHORTOPTS, longopts,
				NULL)) != -1) {
		if (cli_common_opt(c, PROG, argv, help))
			continue;
		switch (c) {
		case 'a':
			N.avg_s = secs_arg("-a", optarg, 1, 86400);
			given |= NLS_BIT(NLS_AVG);
			break;
		case 't':
			if (parse_u64(optarg, 10, 3600000, &v))
				usage_error("%s: -t %s: milliseconds from 10 to 3600000", PROG,
					    optarg);
			N.refresh_s = (double)v / 1000;
			given |= NLS_BIT(NLS_REFRESH);
			break;
		case 'u':
			N.rate_unit = parse_unit("-u", optarg);
			given |= NLS_BIT(NLS_TRAFFIC_UNIT);
			break;
		case 'U':
			N.total_unit = parse_unit("-U", optarg);
			given |= NLS_BIT(NLS_DATA_UNIT);
			break;
		case 'm':
			N.multiple = true;
			given |= NLS_BIT(NLS_MULTIPLE);
			break;
		case 'i':
		case 'o':
			if (parse_u64(optarg, 0, UINT32_MAX, &v))
				usage_error("%s: -%c %s: kbit/s from 0 (0: automatic)", PROG, c,
					    optarg);
			*(c == 'i' ? &N.in_max : &N.out_max) = v;
			given |= NLS_BIT(c == 'i' ? NLS_IN_MAX : NLS_OUT_MAX);
			break;
		case OPT_ALL_NETNS:
			N.all_netns = true;
			break;
		case OPT_BATCH:
			N.batch = true;
			break;
		case OPT_INTERVAL:
			N.interval = secs_arg("--interval", optarg, 0.1, 3600);
			break;
		case OPT_COUNT:
			if (parse_u64(optarg, 1, UINT32_MAX, &N.count))
				usage_error("%s: --count %s: a number from 1", PROG, optarg);
			break;
		case OPT_BY_PROCESS:
			N.by[SPLIT_BY_PROCESS] = true;
			break;
		case OPT_BY_CGROUP:
			N.by[SPLIT_BY_CGROUP] = true;
			break;
		default:
			usage_error("%s: unknown option", PROG);
		}
	}
	N.devs = argv + optind;
	N.ndevs = argc - optind;
	for (int i = 0; i < N.ndevs; i++) {
		size_t o = strlen(N.devices);

		if (o + strlen(N.devs[i]) + 2 > sizeof(N.devices))
			usage_error("%s: DEV...: more names than %zu characters", PROG,
				    sizeof(N.devices) - 1);
		snprintf(N.devices + o, sizeof(N.devices) - o, "%s%s", o ? " " : "", N.devs[i]);
		given |= NLS_BIT(NLS_DEVICES);
	}
	if (g_opts.json || !isatty(STDOUT_FILENO))
		N.batch = true;
	if ((N.interval || N.count) && !N.batch)
		usage_error("%s: --interval and --count are for --batch", PROG);
	if (N.batch) {
		if (!N.interval)
			N.interval = 1;
		N.refresh_s = N.interval;
	} else {
		load_settings(given);
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
	return N.all_netns ? linkstats_read_all(set, err, errlen) :
			     linkstats_read(set, err, errlen);
}

static bool dev_wanted(const char *name)
{
	return nload_devices_has(N.devices, name);
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

static bool split_wanted(void)
{
	return N.by[SPLIT_BY_PROCESS] || N.by[SPLIT_BY_CGROUP];
}

/* The label of a split row in the text table's device column. */
static void split_label(char *buf, size_t len, const struct split_row *r, enum split_by by)
{
	const char *path;

	if (r->reason != SPLIT_OWNED) {
		snprintf(buf, len, "  (%s)", split_reason_name(r->reason));
	} else if (by == SPLIT_BY_CGROUP) {
		path = cgroup_path_of_id(r->cgroup);
		if (path)
			snprintf(buf, len, "  %s", path);
		else
			snprintf(buf, len, "  cgroup %llu", (unsigned long long)r->cgroup);
	} else {
		/* the table escapes what it prints */
		snprintf(buf, len, "  %s/%u", r->comm, r->pid);
	}
}

/* A device's split rows, after its own row: in the table, or objects. */
static void print_split(const struct splitsrc *X, const struct if_dev *d, const char *t)
{
	for (int by = 0; by < SPLIT_BY_MAX; by++) {
		const struct split_row *rows;
		size_t n;

		if (!N.by[by])
			continue;
		n = splitsrc_rows(X, d->netns, (uint32_t)d->ifindex, by, &rows);
		for (size_t i = 0; i < n; i++) {
			const struct split_row *r = &rows[i];
			char buf[160];

			print_row_begin();
			print_str(PRINT_JSON, "type", "nload_split");
			print_str(PRINT_JSON, "time", t);
			split_label(buf, sizeof(buf), r, by);
			print_str(PRINT_FP, "dev", buf);
			print_str(PRINT_JSON, "dev", d->name);
			print_u64(PRINT_ANY, "netns", d->netns);
			print_u64(PRINT_JSON, "ifindex", (uint64_t)d->ifindex);
			print_str(PRINT_JSON, "by", by == SPLIT_BY_CGROUP ? "cgroup" : "process");
			if (by == SPLIT_BY_PROCESS && r->reason == SPLIT_OWNED) {
				print_u64(PRINT_JSON, "pid", r->pid);
				print_u64(PRINT_JSON, "start_time", r->start_time);
				print_str(PRINT_JSON, "comm", r->comm);
				print_u64(PRINT_JSON, "uid", r->uid);
				print_u64(PRINT_JSON, "cgroup", r->cgroup);
			} else if (by == SPLIT_BY_PROCESS) {
				print_null(PRINT_JSON, "pid");
				print_null(PRINT_JSON, "comm");
			} else if (r->reason == SPLIT_OWNED) {
				const char *path = cgroup_path_of_id(r->cgroup);

				print_u64(PRINT_JSON, "cgroup", r->cgroup);
				if (path)
					print_str(PRINT_JSON, "cgroup_path", path);
				else
					print_null(PRINT_JSON, "cgroup_path");
			} else {
				print_null(PRINT_JSON, "cgroup");
			}
			if (r->reason != SPLIT_OWNED)
				print_str(PRINT_JSON, "reason", split_reason_name(r->reason));
			print_u64(PRINT_JSON, "rx_bytes", r->rx_bytes);
			print_u64(PRINT_JSON, "tx_bytes", r->tx_bytes);
			print_u64(PRINT_JSON, "rx_packets", r->rx_packets);
			print_u64(PRINT_JSON, "tx_packets", r->tx_packets);
			print_u64(PRINT_JSON, "rx_bps", (uint64_t)(r->rx_bps + 0.5));
			print_u64(PRINT_JSON, "tx_bps", (uint64_t)(r->tx_bps + 0.5));
			fmt_nload(buf, sizeof(buf), r->rx_bps, N.rate_unit, 2, true);
			print_str(PRINT_FP, "in", buf);
			fmt_nload(buf, sizeof(buf), r->tx_bps, N.rate_unit, 2, true);
			print_str(PRINT_FP, "out", buf);
			fmt_nload(buf, sizeof(buf), (double)r->rx_bytes, N.total_unit, 2, false);
			print_str(PRINT_FP, "in_total", buf);
			fmt_nload(buf, sizeof(buf), (double)r->tx_bytes, N.total_unit, 2, false);
			print_str(PRINT_FP, "out_total", buf);
			print_str(PRINT_FP, "state", "");
			print_row_end();
		}
	}
}

static void print_interval(const struct ifstats *S, const struct splitsrc *X, double interval)
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
	format_iso_time(t, sizeof(t),
			(uint64_t)wall.tv_sec * 1000000000ull + (uint64_t)wall.tv_nsec);
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
		if (X)
			print_split(X, d, t);
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

/* Where netns/name is among the devices shown, else at: the device shown
 * stays in view when Devices or ifstats change under it. */
static size_t shown_index(const struct ifstats *S, const size_t *shown, size_t n, uint32_t netns,
			  const char *name, size_t at)
{
	for (size_t i = 0; i < n; i++)
		if (S->v[shown[i]].netns == netns && !strcmp(S->v[shown[i]].name, name))
			return i;
	return at;
}

/* The screen's refresh: every secs from now. */
static int arm_timer(int tfd, double secs)
{
	struct itimerspec it = { 0 };

	it.it_interval.tv_sec = (time_t)secs;
	it.it_interval.tv_nsec = (long)((secs - (double)(time_t)secs) * 1e9);
	it.it_value = it.it_interval;
	return timerfd_settime(tfd, 0, &it, NULL);
}

static bool settings_action(enum nload_key k)
{
	return k == NLOAD_KEY_APPLY || k == NLOAD_KEY_SAVE || k == NLOAD_KEY_RELOAD;
}

/*
 * The options window's settings applied (APPLY), and saved (SAVE, F5), or
 * the settings file's read over those shown (RELOAD, F6); what F5 and F6
 * did, or what went wrong, in v->status. ifstats counts its windows in
 * samples: a new refresh interval or average window starts it over, from
 * a fresh sample, and the timer follows the interval.
 */
static void settings_key(enum nload_key k, struct nload_view *v, struct nload_settings *s, int tfd,
			 struct ifstats *S, struct link_set *set)
{
	char path[PATH_MAX], msg[PATH_MAX + 256];
	bool path_ok = !nload_config_path(path, sizeof(path));
	int r;

	if (k == NLOAD_KEY_RELOAD) {
		*s = v->set;
		if (!path_ok) {
			nload_screen_status(v, "%s", path);
			return;
		}
		/* what it cannot read, or the faults of what it read */
		r = nload_config_load(path, s, msg, sizeof(msg));
		nload_screen_status(v, r ? "%s" : "Read %s", msg);
		if (r < 0)
			return;
	}
	if (s->refresh_ms != v->set.refresh_ms && arm_timer(tfd, (double)s->refresh_ms / 1000)) {
		nload_screen_status(v, "cannot set the refresh timer: %s", strerror(errno));
		s->refresh_ms = v->set.refresh_ms;
	}
	if (s->refresh_ms != v->set.refresh_ms || s->avg_s != v->set.avg_s) {
		size_t graph_cap = S->graph_cap;

		ifstats_free(S);
		ifstats_init(S, (double)s->refresh_ms / 1000, s->avg_s, graph_cap);
		if (sample(set, msg, sizeof(msg)))
			nload_screen_status(v, "%s", msg);
		else
			ifstats_update(S, set, now_s());
	}
	v->set = *s;
	settings_put(s);
	if (k != NLOAD_KEY_SAVE)
		return;
	if (!path_ok)
		nload_screen_status(v, "%s", path);
	else if (nload_config_save(path, s, msg, sizeof(msg)))
		nload_screen_status(v, "not saved: %s", msg);
	else
		nload_screen_status(v, "Saved to %s", path);
}

/* Closes the split: its pane goes, why in the status line. */
static void split_stop(struct nload_view *v, struct splitsrc **X, const char *why)
{
	splitsrc_close(*X);
	*X = NULL;
	v->split = NULL;
	v->split_shown = false;
	nload_screen_status(v, "The split stopped: %s", why);
}

/*
 * One refresh of the screen: with the split, its table before the
 * devices' counters and its rows after them, as in batch mode, so no row
 * holds a packet its device has not counted. -1 with err when the
 * counters cannot be read; a split that fails is closed (split_stop).
 */
static int screen_refresh(struct nload_view *v, struct splitsrc **X, struct ifstats *S,
			  struct link_set *set, char *err, size_t errlen)
{
	char serr[256];
	bool split_ok = true;

	if (*X && splitsrc_read(*X, now_s(), serr, sizeof(serr)))
		split_ok = false;
	if (sample(set, err, errlen))
		return -1;
	ifstats_update(S, set, now_s());
	if (*X && split_ok && splitsrc_end(*X, S->v, S->n, serr, sizeof(serr)))
		split_ok = false;
	if (!split_ok) {
		split_stop(v, X, serr);
	} else if (*X) {
		struct top_status st;

		splitsrc_status(*X, &st);
		v->split_lost = st.lost_split;
	}
	return 0;
}

/* Opens the split with stderr held in a temporary file, not written over
 * the screen: the last line the loader wrote there (a warning) in warn. */
static struct splitsrc *split_open_quiet(char *err, size_t errlen, char *warn, size_t warnlen)
{
	FILE *tf = tmpfile();
	int saved = -1;
	struct splitsrc *X;
	char line[512];

	warn[0] = '\0';
	fflush(stderr);
	if (tf) {
		saved = dup(STDERR_FILENO);
		if (saved >= 0 && dup2(fileno(tf), STDERR_FILENO) < 0) {
			close(saved);
			saved = -1;
		}
	}
	X = splitsrc_open(N.refresh_s, err, errlen);
	if (saved >= 0) {
		fflush(stderr);
		dup2(saved, STDERR_FILENO);
		close(saved);
		rewind(tf);
		while (fgets(line, sizeof(line), tf)) {
			line[strcspn(line, "\n")] = '\0';
			if (line[0])
				snprintf(warn, warnlen, "%s", line);
		}
	}
	if (tf)
		fclose(tf);
	return X;
}

/*
 * The split loaded for the pane p or c (or --by-process, --by-cgroup)
 * showed: the pane says "loading..." while the hooks load (a moment),
 * then a refresh of everything, whose split table and device counters are
 * the split's starting points, on a timer started over from there. A
 * split that does not load is one status line, its pane hidden. -1 with
 * err when the devices' counters cannot be read.
 */
static int split_load(struct nload_view *v, struct splitsrc **X, int tfd, struct ifstats *S,
		      struct link_set *set, const size_t *shown, size_t n, char *err, size_t errlen)
{
	char serr[512], warn[512];

	nload_screen_draw(v, S, shown, n);
	/* what batch mode checks first: the capabilities, not a hook's EPERM */
	if (privilege_check(PROG, PRIV_SPLIT, privilege_effective(), serr, sizeof(serr), NULL, 0) ||
	    sysinfo_need_btf(serr, sizeof(serr))) {
		v->split_shown = false;
		nload_screen_status(v, "No split: %s", serr);
		return 0;
	}
	*X = split_open_quiet(serr, sizeof(serr), warn, sizeof(warn));
	/* what the loader wrote or the failure's line went under the screen */
	nload_screen_repaint();
	if (!*X) {
		v->split_shown = false;
		nload_screen_status(v, "No split: %s", serr);
		return 0;
	}
	if (screen_refresh(v, X, S, set, err, errlen))
		return -1;
	if (!*X)
		return 0;
	v->split = *X;
	v->split_since = time(NULL);
	if (warn[0])
		nload_screen_status(v, "%s", warn);
	if (arm_timer(tfd, N.refresh_s))
		nload_screen_status(v, "cannot set the refresh timer: %s", strerror(errno));
	return 0;
}

static int run_screen(struct ifstats *S, struct link_set *set)
{
	struct nload_view v = { .show_netns = N.all_netns };
	struct splitsrc *X = NULL;
	struct nload_settings want;
	size_t *shown = NULL, cap = 0, n;
	struct pollfd pfd[3];
	char err[256];
	int tfd, ret = EXIT_RUNTIME;

	settings_get(&v.set);
	tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (tfd < 0 || arm_timer(tfd, N.refresh_s)) {
		p_err("cannot set the refresh timer: %s", strerror(errno));
		goto out;
	}
	if (nload_screen_open(err, sizeof(err))) {
		p_err("%s", err);
		goto out;
	}
	n = shown_devs(S, &shown, &cap);
	/* --by-process, --by-cgroup: the pane from the start (by process
	 * when both are given: c switches) */
	if (split_wanted() && v.set.multiple) {
		nload_screen_status(&v, "The split shows under one device: -m is on (F2 to turn "
					"it off, then p or c)");
	} else if (split_wanted()) {
		v.split_shown = true;
		v.split_by = N.by[SPLIT_BY_PROCESS] ? SPLIT_BY_PROCESS : SPLIT_BY_CGROUP;
		if (split_load(&v, &X, tfd, S, set, shown, n, err, sizeof(err)))
			goto fail;
		n = shown_devs(S, &shown, &cap);
	}
	nload_screen_draw(&v, S, shown, n);
	pfd[0] = (struct pollfd){ .fd = tfd, .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = STDIN_FILENO, .events = POLLIN };
	while (!signals_stop) {
		uint64_t ticks;
		bool draw = false;

		/* the split's close events, taken as they come */
		pfd[2] = (struct pollfd){ .fd = X ? splitsrc_event_fd(X) : -1, .events = POLLIN };
		if (poll(pfd, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			nload_screen_close();
			p_err("poll failed: %s", strerror(errno));
			goto out;
		}
		if (X && (pfd[2].revents & POLLIN))
			splitsrc_drain(X);
		if (pfd[0].revents & POLLIN) {
			if (read(tfd, &ticks, sizeof(ticks)) < 0 && errno != EAGAIN)
				break;
			if (screen_refresh(&v, &X, S, set, err, sizeof(err)))
				goto fail;
			n = shown_devs(S, &shown, &cap);
			draw = true;
		}
		if (pfd[1].revents & (POLLIN | POLLHUP)) {
			enum nload_key k;

			while (settings_action(k = nload_screen_keys(&v, n, &want)) ||
			       k == NLOAD_KEY_SPLIT) {
				size_t was = v.current < n ? shown[v.current] : S->n;
				char name[LINK_NAME_LEN] = "";
				unsigned int refresh_ms = v.set.refresh_ms;
				double avg_s = v.set.avg_s;
				uint32_t netns = 0;

				if (was < S->n) {
					memcpy(name, S->v[was].name, sizeof(name));
					netns = S->v[was].netns;
				}
				if (k != NLOAD_KEY_SPLIT) {
					settings_key(k, &v, &want, tfd, S, set);
					/* the devices' totals started over: so does the split */
					if (X && (v.set.refresh_ms != refresh_ms ||
						  v.set.avg_s != avg_s)) {
						splitsrc_close(X);
						X = NULL;
						v.split = NULL;
					}
				}
				if (v.split_shown && !X &&
				    split_load(&v, &X, tfd, S, set, shown, n, err, sizeof(err)))
					goto fail;
				n = shown_devs(S, &shown, &cap);
				v.current = shown_index(S, shown, n, netns, name, v.current);
				draw = true;
			}
			if (k == NLOAD_KEY_QUIT)
				break;
			draw |= k == NLOAD_KEY_REDRAW;
		}
		if (draw)
			nload_screen_draw(&v, S, shown, n);
	}
	nload_screen_close();
	ret = 0;
	goto out;
fail:
	nload_screen_close();
	p_err("%s", err);
out:
	splitsrc_close(X);
	free(shown);
	if (tfd >= 0)
		close(tfd);
	return ret;
}

/*
 * Sleeps until the absolute time at; with the split, taking the close
 * events as they come (the ring would fill in a long interval). 1 when
 * asked to stop.
 */
static int wait_until(const struct timespec *at, struct splitsrc *X)
{
	while (!signals_stop) {
		struct timespec now;
		struct pollfd p;
		double left;

		if (!X) {
			if (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, at, NULL) != EINTR)
				return 0;
			continue;
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		left = (double)(at->tv_sec - now.tv_sec) +
		       (double)(at->tv_nsec - now.tv_nsec) / 1e9;
		if (left <= 0)
			return 0;
		p = (struct pollfd){ .fd = splitsrc_event_fd(X), .events = POLLIN };
		if (poll(&p, 1, (int)(left * 1000) + 1) > 0)
			splitsrc_drain(X);
	}
	return 1;
}

/* Says on stderr, once each time they grow, what the split could not count. */
static void report_lost(struct splitsrc *X, struct top_status *was)
{
	struct top_status st;

	splitsrc_status(X, &st);
	if (st.lost_split == was->lost_split && st.lost_events == was->lost_events &&
	    st.missed_runs == was->missed_runs)
		return;
	p_err("%s: lost so far: %llu packets not split (the table was full: they are in the "
	      "remainder), %llu close events and %llu hook runs (their sockets' traffic may be "
	      "other_socket)",
	      PROG, (unsigned long long)st.lost_split, (unsigned long long)st.lost_events,
	      (unsigned long long)st.missed_runs);
	*was = st;
}

int do_nload(int argc, char **argv)
{
	struct top_status lost = { 0 };
	struct splitsrc *X = NULL;
	struct link_set set = { 0 };
	struct ifstats S;
	struct timespec next;
	char err[256];
	double t0;
	int ret = EXIT_RUNTIME;

	parse_args(argc, argv);
	/* on the screen a split that cannot load is a status line (split_load) */
	privilege_require(PROG, (N.all_netns ? PRIV_ALL_NETNS : 0) |
					(N.batch && split_wanted() ? PRIV_SPLIT : 0));
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
	/* the split starts here: the devices' counters of the sample above
	 * and the kernel's table as first read are its starting points */
	if (split_wanted()) {
		if (sysinfo_need_btf(err, sizeof(err))) {
			p_err("%s", err);
			goto done;
		}
		X = splitsrc_open(N.interval, err, sizeof(err));
		if (!X || splitsrc_read(X, t0, err, sizeof(err)) ||
		    splitsrc_end(X, S.v, S.n, err, sizeof(err))) {
			p_err("%s: %s", PROG, err);
			goto done;
		}
	}
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
		if (wait_until(&next, X))
			break;
		t = now_s();
		/* the split's table before the devices' counters: no packet in
		 * a row that its device has not counted yet */
		if (X && splitsrc_read(X, t, err, sizeof(err))) {
			p_err("%s: %s", PROG, err);
			goto done;
		}
		if (sample(&set, err, sizeof(err))) {
			p_err("%s", err);
			goto done;
		}
		ifstats_update(&S, &set, t);
		if (X && splitsrc_end(X, S.v, S.n, err, sizeof(err))) {
			p_err("%s: %s", PROG, err);
			goto done;
		}
		print_interval(&S, X, t - t0);
		if (fflush(stdout) || ferror(stdout)) {
			/* the reader left (| head) is no failure; anything else is */
			if (errno != EPIPE) {
				p_err("writing the output failed: %s", strerror(errno));
				goto done;
			}
			break;
		}
		if (X)
			report_lost(X, &lost);
		t0 = t;
	}
	ret = 0;
done:
	if (print_fini() && ret == 0 && errno != EPIPE) {
		p_err("writing the output failed: %s", strerror(errno));
		ret = EXIT_RUNTIME;
	}
	splitsrc_close(X);
	ifstats_free(&S);
out:
	link_set_free(&set);
	return ret;
}
