// SPDX-License-Identifier: GPL-2.0
/*
 * top's data source (topsrc.h). The hooks are trace's: the TCP state
 * hook's close event carries a connection's exact final bytes and the
 * owner recorded at connect() or accept(); the UDP per-call hooks count
 * bytes in the process that moves them. Live TCP bytes need no hook: the
 * iterator reads tcp_sock's counters when a refresh asks.
 */
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <bpf/libbpf.h>
#include "cli.h"
#include "ladder.h"
#include "loader.h"
#include "keytab.h"
#include "loader_iter.h"
#include "model.h"
#include "socktap.h"
#include "strbuf.h"
#include "topsrc.h"
#include "util.h"

/* close events kept between two refreshes; more are counted as lost */
#define PENDING_MAX TOPSRC_PENDING_MAX
/* the close events' ring: 11,900 events (176 bytes each with the ring's
 * header), woken at an eighth of it, so a reader off CPU for 0.7 s loses
 * none under a churn of 16,000 closes a second (t_churn: none lost in four
 * runs of a million connections). Its pages count twice in RSS (mapped
 * twice, for wrap-around): 4 MiB would add 8 MiB to top's. */
#define TOPSRC_RING_BYTES (2 * 1024 * 1024)
/* processes checked for exit per refresh, at most */
#define PROCS_MAX 65536

struct udp_seen {
	uint64_t cookie;
	const struct socktap_udp *u;
	bool used;
};

struct topsrc {
	struct topsrc_opts o;
	unsigned long trimmed_at; /* flows_freed() at the last malloc_trim */
	struct loader L;
	struct iter_loader I;
	struct ring_buffer *rb;
	struct strbuf buf;
	struct flow_sample *pending;
	size_t npending, cap_pending;
	uint64_t lost_pending;
	uint64_t anonymous; /* close events without a cookie so far */
	/* counting started again (a new filter): UDP's counts, kept since
	 * socktap started, are then starting points like TCP's */
	bool restarted;
	/* this refresh's UDP counts, by cookie (open addressing) */
	struct udp_seen *udp;
	size_t udp_cap, udp_n;
	struct socktap_udp *udp_vals;
	size_t udp_vals_cap;
	/* for the cost shown: at the last status */
	double last_wall;
	uint64_t last_bpf_ns, last_cpu_ns;
	double bpf_pct, cpu_pct;
	long clk_tck;
	uint32_t *pids;
	uint64_t *starts;
	/* the processes this refresh's walk met holding sockets: alive, no
	 * need to ask /proc */
	struct keytab seen;
};

static double mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static bool wanted(const struct topsrc *S, const struct flow_sample *s)
{
	if (s->proto == IPPROTO_TCP ? !S->o.tcp : !S->o.udp)
		return false;
	if (S->o.family && s->family != S->o.family)
		return false;
	return !S->o.want || S->o.want(s, S->o.want_ctx);
}

void flow_sample_from_event(struct flow_sample *s, const struct socktap_event *e)
{
	memset(s, 0, sizeof(*s));
	s->cookie = e->cookie;
	s->bytes_sent = e->bytes_sent;
	s->bytes_received = e->bytes_received;
	s->cgroup = e->cgroup;
	s->start_time = e->start_time;
	s->pid = e->pid;
	s->uid = e->uid;
	s->netns = e->netns;
	s->family = e->family;
	s->lport = e->sport;
	s->rport = e->dport;
	s->proto = e->proto;
	s->state = e->proto == IPPROTO_TCP || !e->dport ? SOCKTAP_TCP_CLOSE :
							  SOCKTAP_TCP_ESTABLISHED;
	memcpy(s->laddr, e->saddr, 16);
	memcpy(s->raddr, e->daddr, 16);
	memcpy(s->comm, e->comm, sizeof(s->comm));
	s->comm[sizeof(s->comm) - 1] = '\0';
	s->closed = true;
	s->before_start = e->flags & SOCKTAP_F_PREEXISTING;
}

static int on_event(void *ctx, void *data, size_t size)
{
	struct topsrc *S = ctx;
	const struct socktap_event *e = data;
	struct flow_sample s;

	if (size < sizeof(*e))
		return 0;
	if (S->o.on_event)
		S->o.on_event(e, S->o.event_ctx);
	if (e->type != SOCKTAP_EV_CLOSE && e->type != SOCKTAP_EV_UDP_CLOSE)
		return 0;
	flow_sample_from_event(&s, e);
	s.since_start = e->proto == IPPROTO_UDP && !S->restarted;
	/*
	 * No cookie: the hooks could only read one and none was made, so
	 * the iterator never saw this socket (it makes one for each socket
	 * it reads). Nothing to join it to: a key of its own.
	 */
	if (!s.cookie)
		s.cookie = FLOWS_COOKIE_NONE | ++S->anonymous;
	if (!wanted(S, &s))
		return 0;
	if (S->npending >= PENDING_MAX) {
		S->lost_pending++;
		return 0;
	}
	if (S->npending == S->cap_pending) {
		S->cap_pending = S->cap_pending ? S->cap_pending * 2 : 256;
		S->pending = xrealloc(S->pending, S->cap_pending * sizeof(*S->pending));
	}
	S->pending[S->npending++] = s;
	return 0;
}

static size_t udp_slot(const struct topsrc *S, uint64_t cookie)
{
	size_t i = (size_t)(cookie * 0x9e3779b97f4a7c15ull) & (S->udp_cap - 1);

	while (S->udp[i].cookie && S->udp[i].cookie != cookie)
		i = (i + 1) & (S->udp_cap - 1);
	return i;
}

static void on_udp(uint64_t cookie, const struct socktap_udp *u, void *ctx)
{
	struct topsrc *S = ctx;

	if (S->udp_n == S->udp_vals_cap) {
		S->udp_vals_cap = S->udp_vals_cap ? S->udp_vals_cap * 2 : 256;
		S->udp_vals = xrealloc(S->udp_vals, S->udp_vals_cap * sizeof(*S->udp_vals));
	}
	S->udp_vals[S->udp_n] = *u;
	/* the key, kept in the copy's cookie field (the map's is the owner's) */
	S->udp_vals[S->udp_n].owner.cookie = cookie;
	S->udp_n++;
}

/* Reads the UDP counts into a table by cookie. */
static int read_udp(struct topsrc *S)
{
	size_t need;
	int err;

	S->udp_n = 0;
	if (!S->o.udp)
		return 0;
	err = model_read_udp(loader_map_fd(&S->L, LOADER_MAP_UDP_SOCKS), on_udp, S);
	if (err)
		return err;
	for (need = 64; need < S->udp_n * 2; need *= 2)
		;
	if (need != S->udp_cap) {
		free(S->udp);
		S->udp = xcalloc(need, sizeof(*S->udp));
		S->udp_cap = need;
	} else {
		memset(S->udp, 0, need * sizeof(*S->udp));
	}
	for (size_t k = 0; k < S->udp_n; k++) {
		size_t i = udp_slot(S, S->udp_vals[k].owner.cookie);

		S->udp[i].cookie = S->udp_vals[k].owner.cookie;
		S->udp[i].u = &S->udp_vals[k];
	}
	return 0;
}

static void sample_from_udp(const struct topsrc *S, struct flow_sample *s,
			    const struct socktap_udp *u)
{
	memset(s, 0, sizeof(*s));
	s->cookie = u->owner.cookie;
	s->bytes_sent = u->bytes_sent;
	s->bytes_received = u->bytes_received;
	s->cgroup = u->owner.cgroup;
	s->start_time = u->owner.start_time;
	s->pid = u->owner.pid;
	s->uid = u->owner.uid;
	s->netns = u->netns;
	s->family = u->family;
	s->lport = u->sport;
	s->rport = u->dport;
	s->proto = IPPROTO_UDP;
	s->state = u->dport ? SOCKTAP_TCP_ESTABLISHED : SOCKTAP_TCP_CLOSE;
	memcpy(s->laddr, u->saddr, 16);
	memcpy(s->raddr, u->daddr, 16);
	memcpy(s->comm, u->owner.comm, sizeof(s->comm));
	s->comm[sizeof(s->comm) - 1] = '\0';
	s->since_start = !S->restarted;
}

static void sample_from_iter(struct flow_sample *s, const struct socktap_iter_flow *f)
{
	memset(s, 0, sizeof(*s));
	/* no cookie made yet (iter_flows.bpf.c): the inode, stable while the
	 * socket lives, keys it */
	s->cookie = f->cookie ? f->cookie : FLOWS_COOKIE_NONE | FLOWS_COOKIE_INODE | f->ino;
	s->bytes_sent = f->bytes_sent;
	s->bytes_received = f->bytes_received;
	s->cgroup = f->cgroup;
	s->start_time = f->start_time;
	s->pid = f->pid;
	s->uid = f->uid;
	s->netns = f->netns;
	s->ifindex = f->ifindex;
	s->family = f->family;
	s->lport = f->sport;
	s->rport = f->dport;
	s->proto = f->proto;
	s->state = f->state;
	memcpy(s->laddr, f->saddr, 16);
	memcpy(s->raddr, f->daddr, 16);
	memcpy(s->comm, f->comm, sizeof(s->comm));
	s->comm[sizeof(s->comm) - 1] = '\0';
}

/* Is (pid, start) still running? Its start time in /proc says. */
static bool process_alive(const struct topsrc *S, uint32_t pid, uint64_t start_ns)
{
	char path[64], buf[1024];
	unsigned long long ticks;
	const char *p;
	ssize_t n;
	int fd, field;

	if (!pid)
		return true;
	snprintf(path, sizeof(path), "/proc/%u/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	/* the name may hold anything: fields count from the last ')' */
	p = strrchr(buf, ')');
	if (!p)
		return true;
	/* after ')' come the state (field 3) ... starttime (field 22) */
	for (field = 2; *p && field < 22; p++)
		if (*p == ' ')
			field++;
	if (sscanf(p, "%llu", &ticks) != 1 || !start_ns)
		return true;
	return ticks == start_ns / (1000000000ull / (uint64_t)S->clk_tck);
}

static void process_key(uint8_t key[KEYTAB_KEY], uint32_t pid, uint64_t start)
{
	memset(key, 0, KEYTAB_KEY);
	memcpy(key, &pid, sizeof(pid));
	memcpy(key + 8, &start, sizeof(start));
}

static void mark_seen(struct topsrc *S, uint32_t pid, uint64_t start)
{
	uint8_t key[KEYTAB_KEY];
	bool added;

	process_key(key, pid, start);
	keytab_get(&S->seen, key, sizeof(struct keynode), &added);
}

static bool was_seen(const struct topsrc *S, uint32_t pid, uint64_t start)
{
	uint8_t key[KEYTAB_KEY];

	process_key(key, pid, start);
	return keytab_find(&S->seen, key) != NULL;
}

static int read_iter(struct topsrc *S, struct flows *F, char *err, size_t errlen)
{
	const size_t rec = sizeof(struct socktap_iter_flow);

	S->buf.len = 0;
	if (loader_iter_read(&S->I, ITER_FLOWS, &S->buf)) {
		snprintf(err, errlen, "%s", S->I.error);
		return -1;
	}
	for (size_t off = 0; off + rec <= S->buf.len; off += rec) {
		struct socktap_iter_flow f;
		struct flow_sample s;

		memcpy(&f, S->buf.p + off, sizeof(f));
		sample_from_iter(&s, &f);
		mark_seen(S, s.pid, s.start_time);
		if (s.proto == IPPROTO_UDP) {
			size_t i;

			if (!S->o.udp)
				continue;
			/* bytes from the per-call counts; none yet if not there */
			i = udp_slot(S, s.cookie);
			if (S->udp[i].cookie == s.cookie) {
				S->udp[i].used = true;
				s.bytes_sent = S->udp[i].u->bytes_sent;
				s.bytes_received = S->udp[i].u->bytes_received;
			}
			s.since_start = !S->restarted;
		}
		if (wanted(S, &s))
			flows_add(F, &s);
	}
	/* counted sockets no process holds now (being released): their
	 * first user owns them */
	for (size_t k = 0; k < S->udp_n; k++) {
		size_t i = udp_slot(S, S->udp_vals[k].owner.cookie);
		struct flow_sample s;

		if (S->udp[i].used)
			continue;
		sample_from_udp(S, &s, &S->udp_vals[k]);
		if (wanted(S, &s))
			flows_add(F, &s);
	}
	return 0;
}

int topsrc_refresh(struct topsrc *S, struct flows *F, double now, char *err, size_t errlen)
{
	size_t np;
	int e;

	/* close events first: a socket gone from the tables has its last bytes there */
	topsrc_drain(S);
	if (S->udp_cap == 0) {
		S->udp_cap = 64;
		S->udp = xcalloc(S->udp_cap, sizeof(*S->udp));
	}
	e = read_udp(S);
	if (e) {
		snprintf(err, errlen, "cannot read the UDP counts: %s", strerror(-e));
		return -1;
	}
	/* the refresh's time is when the counters are read, not when it was
	 * due: a late refresh then still gives the right rate */
	flows_begin(F, now >= 0 ? now : mono_now());
	keytab_free(&S->seen, NULL);
	for (size_t i = 0; i < S->npending; i++)
		flows_add(F, &S->pending[i]);
	S->npending = 0;
	/* a burst of closes grew the queue: give it back */
	if (S->cap_pending > 4096) {
		free(S->pending);
		S->pending = NULL;
		S->cap_pending = 0;
	}
	if (read_iter(S, F, err, errlen)) {
		flows_end(F);
		return -1;
	}
	np = flows_processes(F, S->pids, S->starts, PROCS_MAX);
	for (size_t i = 0; i < np; i++)
		if (!was_seen(S, S->pids[i], S->starts[i]) &&
		    !process_alive(S, S->pids[i], S->starts[i]))
			flows_process_exited(F, S->pids[i], S->starts[i]);
	flows_end(F);
	return 0;
}

void topsrc_give_back(struct topsrc *S, const struct flows *F)
{
	/* rows of thousands of closed connections freed: the heap keeps
	 * their pages unless asked (a churn must not leave socktap bigger) */
	if (flows_freed(F) - S->trimmed_at > 1024) {
		S->trimmed_at = flows_freed(F);
		malloc_trim(0);
	}
}

int topsrc_map_fd(const struct topsrc *S, enum loader_map map)
{
	if (!S->o.netdev && (map == LOADER_MAP_NETDEV_SPLIT || map == LOADER_MAP_NETDEV_PENDING))
		return -1;
	return loader_map_fd(&S->L, map);
}

size_t topsrc_pending(const struct topsrc *S)
{
	return S->npending;
}

int topsrc_event_fd(const struct topsrc *S)
{
	return ring_buffer__epoll_fd(S->rb);
}

void topsrc_drain(struct topsrc *S)
{
	ring_buffer__consume(S->rb);
}

static uint64_t cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void topsrc_status(struct topsrc *S, struct top_status *st)
{
	struct loader_prog_stats ps;
	uint64_t stats[SOCKTAP_STAT_MAX] = { 0 };
	double now = mono_now(), dt = now - S->last_wall;
	uint64_t cpu = cpu_ns();
	bool have_ps = !loader_prog_stats(&S->L, &ps);

	memset(st, 0, sizeof(*st));
	/* over the last second or more: steadier than one refresh */
	if (dt >= 1.0) {
		S->cpu_pct = (double)(cpu - S->last_cpu_ns) / 1e9 / dt * 100;
		S->bpf_pct = have_ps && ps.run_time_ns ?
				     (double)(ps.run_time_ns - S->last_bpf_ns) / 1e9 / dt * 100 :
				     -1;
		S->last_wall = now;
		S->last_cpu_ns = cpu;
		S->last_bpf_ns = have_ps ? ps.run_time_ns : 0;
	}
	st->proc_cpu_pct = S->cpu_pct;
	st->bpf_cpu_pct = S->bpf_pct;
	model_read_stats(loader_map_fd(&S->L, LOADER_MAP_STATS), stats);
	st->lost_events = stats[SOCKTAP_STAT_RINGBUF_LOST] + S->lost_pending;
	st->lost_sockets = stats[SOCKTAP_STAT_SOCKS_FULL];
	st->lost_split = stats[SOCKTAP_STAT_NETDEV_FULL];
	st->lost_transitions = stats[SOCKTAP_STAT_STATE_MAP_FULL];
	st->missed_runs = have_ps ? ps.missed : 0;
	st->bpf_run_ns = have_ps ? ps.run_time_ns : 0;
	st->bpf_runs = have_ps ? ps.run_cnt : 0;
	st->source = "TCP: tcp_sock counters; UDP: per-call hooks";
}

void topsrc_set_want(struct topsrc *S, bool (*want)(const struct flow_sample *, void *), void *ctx)
{
	S->o.want = want;
	S->o.want_ctx = ctx;
	S->npending = 0;
	S->restarted = true;
}

struct topsrc *topsrc_open(const struct topsrc_opts *o, struct flows *F, double now, char *err,
			   size_t errlen)
{
	struct topsrc *S = xcalloc(1, sizeof(*S));
	struct loader_config cfg = { 0 };
	struct iter_config icfg = { 0 };
	/* the iterator is in the plan so that a kernel without it says so */
	unsigned int hooks = LOADER_CORE_HOOKS | LOADER_HOOK(HOOK_TOP_BYTES);
	const unsigned int netdev_hooks = LOADER_HOOK(HOOK_NETDEV_TX) |
					  LOADER_HOOK(HOOK_NETDEV_RX) |
					  LOADER_HOOK(HOOK_SOCK_COOKIE);

	S->o = *o;
	if (o->netdev)
		hooks |= netdev_hooks;
	S->clk_tck = sysconf(_SC_CLK_TCK);
	if (S->clk_tck <= 0)
		S->clk_tck = 100;
	S->pids = xcalloc(PROCS_MAX, sizeof(*S->pids));
	S->starts = xcalloc(PROCS_MAX, sizeof(*S->starts));
	for (unsigned int k = 0; k < ITER_MAX; k++)
		S->I.links[k] = -1;
	cfg.trace = true;
	/* iter_flows.bpf.c may only read cookies: make those of the sockets
	 * already open */
	cfg.seed_cookies = true;
	cfg.family = o->family;
	/* close events only, drained as they come: a small ring (its pages
	 * are all resident, twice over) */
	cfg.ringbuf_bytes = TOPSRC_RING_BYTES;
	/* only the close events: the bytes of sockets that go between refreshes */
	cfg.events = (o->tcp ? 1u << SOCKTAP_EV_CLOSE : 0) |
		     (o->udp ? 1u << SOCKTAP_EV_UDP_CLOSE : 0) | o->events;
	cfg.count_states = o->count_states;
	cfg.retransmits = o->events & (1u << SOCKTAP_EV_RETRANSMIT);
	if (cfg.retransmits)
		hooks |= LOADER_HOOK(HOOK_RETRANSMIT);
	/* UDP: required with -u, else an extra this kernel may lack */
	if (loader_plan_udp(&S->L, hooks, o->tcp, o->udp, &cfg)) {
		snprintf(err, errlen, "%s", S->L.error);
		goto fail;
	}
	/*
	 * Below the probes on inet_csk_accept, an accept hook costs every
	 * syscall (the syscall-exit tracepoint) or every socket call (the late
	 * rung). top needs an accepted socket's owner only if it closes
	 * between two refreshes, and the process that closes it is that
	 * owner: learn it there instead.
	 */
	if (S->L.choice[HOOK_ACCEPT].rung >= 0 &&
	    S->L.choice[HOOK_ACCEPT].def->rungs[S->L.choice[HOOK_ACCEPT].rung].kind !=
		    ATTACH_FEXIT &&
	    S->L.choice[HOOK_ACCEPT].def->rungs[S->L.choice[HOOK_ACCEPT].rung].kind !=
		    ATTACH_KRETPROBE) {
		S->L.hooks &= ~LOADER_HOOK(HOOK_ACCEPT);
		cfg.owner_at_close = true;
	}
	if (S->L.warning[0]) {
		fprintf(stderr, "socktap: UDP left out: %s\n", S->L.warning);
		S->o.udp = false;
		cfg.events &= ~(1u << SOCKTAP_EV_UDP_CLOSE);
	}
	if (loader_start(&S->L, &cfg) || loader_seed_owners(&S->L)) {
		snprintf(err, errlen, "%s", S->L.error);
		goto fail;
	}
	S->rb = ring_buffer__new(loader_map_fd(&S->L, LOADER_MAP_EVENTS), on_event, S, NULL);
	if (!S->rb) {
		snprintf(err, errlen, "cannot read the ring buffer: %s", strerror(errno));
		goto fail;
	}
	icfg.family = o->family;
	icfg.route = o->route;
	if (iter_loader_open(&S->I, ITER_BIT(ITER_FLOWS), &icfg)) {
		snprintf(err, errlen, "%s", S->I.error);
		goto fail;
	}
	if (g_opts.verbose)
		fprintf(stderr, "socktap: live TCP counters read %s\n",
			iter_loader_flows_reads(&S->I));
	S->last_wall = mono_now();
	S->last_cpu_ns = cpu_ns();
	S->bpf_pct = -1;
	/* the starting point of every socket already open */
	if (topsrc_refresh(S, F, now, err, errlen))
		goto fail;
	/* loading parsed the kernel's BTF (megabytes, freed since): a
	 * long-running view gives that memory back */
	malloc_trim(0);
	return S;
fail:
	topsrc_close(S);
	return NULL;
}

void topsrc_close(struct topsrc *S)
{
	if (!S)
		return;
	ring_buffer__free(S->rb);
	iter_loader_close(&S->I);
	loader_stop(&S->L);
	sb_free(&S->buf);
	free(S->pending);
	free(S->udp);
	free(S->udp_vals);
	free(S->pids);
	free(S->starts);
	keytab_free(&S->seen, NULL);
	free(S);
}
