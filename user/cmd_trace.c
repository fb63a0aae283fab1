// SPDX-License-Identifier: GPL-2.0
/*
 * socktap trace: a stream of connect, accept, close (with the lifetime
 * summary), connect_failed, reset, listen and, on request, retransmit and
 * state events, as aligned text columns or NDJSON, flushed per event.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "cgroup.h"
#include "cli.h"
#include "commands.h"
#include "event_print.h"
#include "events.h"
#include "loader.h"
#include "model.h"
#include "netns.h"
#include "parse.h"
#include "print.h"
#include "privilege.h"
#include "signals.h"
#include "sysinfo.h"
#include "util.h"

#define DEFAULT_EVENTS                                                                             \
	((1u << SOCKTAP_EV_CONNECT) | (1u << SOCKTAP_EV_ACCEPT) | (1u << SOCKTAP_EV_CLOSE) |       \
	 (1u << SOCKTAP_EV_CONNECT_FAILED) | (1u << SOCKTAP_EV_RESET) |                            \
	 (1u << SOCKTAP_EV_LISTEN) | (1u << SOCKTAP_EV_UDP_OPEN) | (1u << SOCKTAP_EV_UDP_CLOSE))

/* Events wait at most this long: the kernel side batches its wakeups. */
#define POLL_MS 50
/* ring buffer full, socket table full, program runs skipped, accept queue beyond the seed */
#define LOST_KINDS 4

static struct {
	bool tcp, udp, states, timestamp;
	uint16_t family;
	uint32_t pid, netns;
	const char *comm;
	uint64_t cgroup;
	uint16_t ports[SOCKTAP_PORT_FILTER_MAX];
	int nports;
	event_set events;
	uint32_t ringbuf_bytes;
	bool out_error;
	int out_errno; /* why the output failed: EPIPE is the reader leaving */
} T;

static void help(void)
{
	printf("Usage: socktap trace [options]\n\n"
	       "Streams TCP connection events: connect, accept, close (lifetime bytes,\n"
	       "duration, RTT, retransmits, who closed first), connect_failed (with the\n"
	       "reason), reset, listen; retransmit and state on request.\n\n"
	       "Options:\n"
	       "  -t, --tcp             TCP events only\n"
	       "  -u, --udp             UDP events only\n"
	       "  -4, --ipv4            IPv4 only\n"
	       "  -6, --ipv6            IPv6 only\n"
	       "  -p, --pid PID         sockets owned by process PID\n"
	       "  -c, --comm COMM       sockets owned by processes named COMM\n"
	       "      --port LIST       local or remote port in LIST (80,443,8000-8010)\n"
	       "      --netns INODE     one network namespace (default: all)\n"
	       "      --cgroup PATH     one cgroup v2 (path under the cgroup2 mount)\n"
	       "      --events LIST     event types to show (default: all but retransmit, state)\n"
	       "      --states          also every TCP state transition\n"
	       "  -T, --timestamp       a wall-clock TIME column\n"
	       "      --ringbuf-size N  ring buffer bytes (a power of 2, at least "
	       "4096)\n" CLI_COMMON_HELP
	       "\nJSON (--json) is NDJSON: one object per event with type, time, monotonic_ns,\n"
	       "pid, tid, comm, uid, cgroup, netns, family, proto, laddr, lport, raddr, rport,\n"
	       "cookie and the event's own fields. Lost events are reported, never dropped\n"
	       "silently: {\"type\":\"lost\",...} in JSON, a line on stderr in text.\n");
	privilege_help(stdout, "trace");
}

enum {
	OPT_PORT = 256,
	OPT_NETNS,
	OPT_CGROUP,
	OPT_EVENTS,
	OPT_STATES,
	OPT_RINGBUF,
};

static void parse_args(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "tcp", no_argument, NULL, 't' },
		{ "udp", no_argument, NULL, 'u' },
		{ "ipv4", no_argument, NULL, '4' },
		{ "ipv6", no_argument, NULL, '6' },
		{ "pid", required_argument, NULL, 'p' },
		{ "comm", required_argument, NULL, 'c' },
		{ "port", required_argument, NULL, OPT_PORT },
		{ "netns", required_argument, NULL, OPT_NETNS },
		{ "cgroup", required_argument, NULL, OPT_CGROUP },
		{ "events", required_argument, NULL, OPT_EVENTS },
		{ "states", no_argument, NULL, OPT_STATES },
		{ "timestamp", no_argument, NULL, 'T' },
		{ "ringbuf-size", required_argument, NULL, OPT_RINGBUF },
		CLI_COMMON_LONGOPTS,
	};
	bool events_given = false;
	const char *bad;
	char err[128];
	uint64_t v;
	int c;

	T.events = DEFAULT_EVENTS;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":tu46p:c:T" CLI_COMMON_SHORTOPTS, longopts, NULL)) !=
	       -1) {
		if (cli_common_opt(c, "trace", argv, help))
			continue;
		switch (c) {
		case 't':
			T.tcp = true;
			break;
		case 'u':
			T.udp = true;
			break;
		case '4':
			T.family = T.family == AF_INET6 ? 0 : AF_INET;
			break;
		case '6':
			T.family = T.family == AF_INET ? 0 : AF_INET6;
			break;
		case 'p':
			if (parse_u64(optarg, 1, 4194304, &v))
				usage_error("trace: bad pid '%s'", optarg);
			T.pid = (uint32_t)v;
			break;
		case 'c':
			if (!*optarg || strlen(optarg) >= SOCKTAP_COMM_LEN)
				usage_error("trace: bad comm '%s' (1 to %d bytes)", optarg,
					    SOCKTAP_COMM_LEN - 1);
			T.comm = optarg;
			break;
		case OPT_PORT:
			T.nports = parse_port_list(optarg, T.ports, SOCKTAP_PORT_FILTER_MAX, err,
						   sizeof(err));
			if (T.nports < 0)
				usage_error("trace: --port: %s", err);
			break;
		case OPT_NETNS:
			if (parse_u64(optarg, 1, UINT32_MAX, &v))
				usage_error("trace: bad netns inode '%s'", optarg);
			/* whether one holds it: once the privilege to see them all is known */
			T.netns = (uint32_t)v;
			break;
		case OPT_CGROUP:
			T.cgroup = cgroup_id_of_path(optarg);
			if (!T.cgroup)
				usage_error("trace: no cgroup v2 '%s'", optarg);
			break;
		case OPT_EVENTS:
			if (event_set_parse(optarg, &T.events, &bad))
				usage_error("trace: unknown event type '%s' in --events", bad);
			events_given = true;
			break;
		case OPT_STATES:
			T.states = true;
			break;
		case 'T':
			T.timestamp = true;
			break;
		case OPT_RINGBUF:
			if (parse_u64(optarg, 4096, 1u << 30, &v) || (v & (v - 1)))
				usage_error("trace: bad --ringbuf-size '%s' (a power of 2, 4096 to "
					    "2^30)",
					    optarg);
			T.ringbuf_bytes = (uint32_t)v;
			break;
		}
	}
	cli_no_args("trace", argc, argv);
	if (T.states)
		T.events |= 1u << SOCKTAP_EV_STATE;
	(void)events_given;
	if (!T.tcp && !T.udp)
		T.tcp = T.udp = true;
}

static bool wanted(const struct socktap_event *e)
{
	if (e->type >= SOCKTAP_EV_MAX || !(T.events & (1u << e->type)))
		return false;
	if ((e->proto == IPPROTO_TCP && !T.tcp) || (e->proto == IPPROTO_UDP && !T.udp))
		return false;
	if (T.comm && strncmp(e->comm, T.comm, SOCKTAP_COMM_LEN) != 0)
		return false;
	if (T.cgroup && e->cgroup != T.cgroup)
		return false;
	return true;
}

static int on_event(void *ctx, void *data, size_t size)
{
	const struct socktap_event *e = data;

	(void)ctx;
	if (size < sizeof(*e) || !wanted(e))
		return 0;
	event_print(e);
	/* a full buffer is written mid-batch: a reader gone shows here */
	if (ferror(stdout)) {
		/* the reader went away (socktap trace | head), or a write failed */
		T.out_error = true;
		T.out_errno = errno;
		return -EPIPE;
	}
	return 0;
}

/* Reports losses since the last call, never silently. */
static void report_lost(const struct loader *L, uint64_t last[LOST_KINDS])
{
	static const struct {
		const char *what;
		const char *why;
	} kinds[LOST_KINDS] = {
		{ "events", "ring buffer full" },
		{ "sockets", "socket table full" },
		{ "hook runs", "skipped by the kernel: program already running on that CPU" },
		{ "sockets", "queued for accept at start beyond the " STRINGIFY(
				     SOCKTAP_SEED_QUEUE_MAX) " a listener socktap reads" },
	};
	uint64_t stats[SOCKTAP_STAT_MAX], now[LOST_KINDS];

	if (model_read_stats(loader_map_fd(L, LOADER_MAP_STATS), stats))
		return;
	now[0] = stats[SOCKTAP_STAT_RINGBUF_LOST];
	now[1] = stats[SOCKTAP_STAT_SOCKS_FULL];
	if (loader_missed_runs(L, &now[2]))
		now[2] = last[2];
	now[3] = stats[SOCKTAP_STAT_SEED_QUEUE_SKIPPED];
	for (int i = 0; i < LOST_KINDS; i++) {
		uint64_t n = now[i] - last[i];

		if (!n)
			continue;
		last[i] = now[i];
		if (print_is_json()) {
			/* a row of the stream: after the events before it */
			print_row_begin();
			print_str(PRINT_JSON, "type", "lost");
			print_u64(PRINT_JSON, "count", n);
			print_str(PRINT_JSON, "what", kinds[i].what);
			print_str(PRINT_JSON, "reason", kinds[i].why);
			print_row_end();
		} else {
			fprintf(stderr, "socktap: lost %llu %s (%s)\n", (unsigned long long)n,
				kinds[i].what, kinds[i].why);
		}
	}
}

int do_trace(int argc, char **argv)
{
	struct loader L = { 0 };
	struct loader_config cfg = { 0 };
	struct ring_buffer *rb = NULL;
	uint64_t lost[LOST_KINDS] = { 0 };
	char error[256];
	unsigned int hooks;
	int ret = EXIT_RUNTIME, err, epfd = -1;

	parse_args(argc, argv);
	loader_set_verbose(g_opts.verbose);
	privilege_require("trace", 0);
	/* a namespace no process and no /run/netns name holds */
	if (T.netns && !netns_exists(T.netns))
		usage_error("trace: --netns %u: no such network namespace", T.netns);
	if (sysinfo_need_btf(error, sizeof(error))) {
		p_err("%s", error);
		return EXIT_RUNTIME;
	}

	hooks = LOADER_CORE_HOOKS;
	cfg.trace = true;
	cfg.states = T.states;
	cfg.retransmits = T.events & (1u << SOCKTAP_EV_RETRANSMIT);
	if (cfg.retransmits)
		hooks |= LOADER_HOOK(HOOK_RETRANSMIT);
	/* the type, protocol and cgroup filters in the kernel, before the ring */
	{
		uint32_t udp_types = 1u << SOCKTAP_EV_UDP_OPEN | 1u << SOCKTAP_EV_UDP_CLOSE;
		uint32_t ev = T.events;

		if (!T.tcp)
			ev &= udp_types;
		if (!T.udp)
			ev &= ~udp_types;
		/* 0 would mean every type: a bit no event has means none */
		cfg.events = ev ? ev : 1u << SOCKTAP_EV_MAX;
	}
	cfg.cgroup = T.cgroup;
	cfg.family = T.family;
	cfg.pid = T.pid;
	cfg.netns = T.netns;
	cfg.ports = T.ports;
	cfg.nports = (size_t)T.nports;
	cfg.ringbuf_bytes = T.ringbuf_bytes;
	/* UDP: required when asked for with -u, else an extra */
	if (loader_plan_udp(&L, hooks, T.tcp, T.udp, &cfg)) {
		p_err("%s", L.error);
		goto out;
	}
	if (L.warning[0])
		p_err("UDP events left out: %s", L.warning);
	if (loader_start(&L, &cfg)) {
		p_err("%s", L.error);
		goto out;
	}
	if (loader_seed_owners(&L)) {
		p_err("%s", L.error);
		goto out;
	}
	rb = ring_buffer__new(loader_map_fd(&L, LOADER_MAP_EVENTS), on_event, NULL, NULL);
	if (!rb) {
		p_err("cannot read the ring buffer: %s", strerror(errno));
		goto out;
	}

	signals_install();
	/* on stderr, so stdout stays pure NDJSON; scripts can wait for it */
	fprintf(stderr, "socktap: tracing %s events (Ctrl-C to stop)\n",
		cfg.udp ? (T.tcp ? "TCP and UDP" : "UDP") : "TCP");
	print_init(stdout, g_opts.json);
	/* one write per batch of events, not per event: lines stay whole */
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	print_set_autoflush(false);
	mono_to_wall_ns(0);
	event_print_begin(T.timestamp);
	/*
	 * Wait for the kernel's wakeups only (edge-triggered): it wakes us
	 * for big batches, and libbpf's own level-triggered wait would return
	 * at once whenever one event waits, turning a busy machine's stream
	 * into a loop of tiny batches, each paying its syscalls.
	 */
	epfd = epoll_create1(EPOLL_CLOEXEC);
	if (epfd < 0 || epoll_ctl(epfd, EPOLL_CTL_ADD, loader_map_fd(&L, LOADER_MAP_EVENTS),
				  &(struct epoll_event){ .events = EPOLLIN | EPOLLET })) {
		p_err("cannot wait on the ring buffer: %s", strerror(errno));
		goto out;
	}
	while (!signals_stop) {
		struct epoll_event ev;

		/* a big batch, or POLL_MS: then whatever waits is read */
		err = epoll_wait(epfd, &ev, 1, POLL_MS) < 0 ? -errno : 0;
		if (err >= 0 || err == -EINTR)
			err = ring_buffer__consume(rb);
		if (err < 0 && err != -EINTR && !T.out_error) {
			p_err("reading the ring buffer failed: %s", strerror(-err));
			goto out;
		}
		if (err < 0 && err != -EINTR)
			break;
		report_lost(&L, lost);
		if (print_flush()) {
			T.out_error = true;
			T.out_errno = errno;
			break;
		}
	}
	/* what is already in the buffer still goes out */
	if (!T.out_error)
		ring_buffer__consume(rb);
	report_lost(&L, lost);
	print_table_end();
	if (print_fini() && !T.out_error) {
		T.out_error = true;
		T.out_errno = errno;
	}
	/* a reader that went away ends the trace; any other failure loses events */
	if (T.out_error && T.out_errno != EPIPE) {
		p_err("writing the output failed: %s", strerror(T.out_errno));
		goto out;
	}
	ret = 0;
out:
	if (epfd >= 0)
		close(epfd);
	ring_buffer__free(rb);
	loader_stop(&L);
	return ret;
}
