// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "cgroup.h"
#include "kbugs.h"
#include "loader.h"
#include "netns.h"
#include "privilege.h"
#include "sockdiag.h"
#include "socktap.skel.h"

static bool verbose_log;

static int print_fn(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	if (!verbose_log)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

void loader_set_verbose(bool verbose)
{
	verbose_log = verbose;
	libbpf_set_print(print_fn);
}

/*
 * SOCKTAP_LADDER_SKIP="tp_btf/sock_send_length ...": rungs to refuse as if
 * the kernel had, so the tests can take the rungs below them here.
 */
static bool skipped(enum attach_kind kind, const char *target)
{
	const char *list = getenv("SOCKTAP_LADDER_SKIP");
	char name[128];
	size_t n;

	if (!list)
		return false;
	snprintf(name, sizeof(name), "%s/%s", attach_kind_sec(kind), target);
	n = strlen(name);
	for (const char *p = list; (p = strstr(p, name)); p += n)
		if ((p == list || p[-1] == ' ' || p[-1] == ',') &&
		    (p[n] == '\0' || p[n] == ' ' || p[n] == ','))
			return true;
	return false;
}

static void probe_cb(void *ctx, enum attach_kind kind, const char *target, struct probe_result *res)
{
	if (skipped(kind, target)) {
		res->err = -EPERM;
		snprintf(res->detail, sizeof(res->detail), "skipped (SOCKTAP_LADDER_SKIP)");
		return;
	}
	probe_attach(ctx, kind, target, res);
}

static bool hook_rides(const struct hook_choice *c)
{
	return c->def && c->rung >= 0 && rung_rides(&c->def->rungs[c->rung]);
}

/* "the udp_close hook (cgroup/sock_release: No such file or directory)" */
static void describe_failure(const struct hook_choice *c, char *buf, size_t len)
{
	const struct hook_attempt *last = &c->tried[c->ntried - 1];

	snprintf(buf, len, "the %s hook (%s: %s)", c->def->name, last->attach,
		 strerror(-last->res.err));
}

/*
 * A backstop whose path is the one the hook it backs took is that hook's
 * program (attached once): doctor says so.
 */
static void note_shared_backstops(struct loader *L)
{
	for (unsigned int i = 0; i < HOOK_MAX; i++) {
		const char *prog = ladder_prog(&L->choice[i]);

		if (!(LOADER_BACKSTOP_HOOKS & LOADER_HOOK(i)) || !prog)
			continue;
		for (unsigned int k = 0; k < HOOK_MAX; k++)
			if (k != i && ladder_prog(&L->choice[k]) &&
			    !strcmp(prog, ladder_prog(&L->choice[k])))
				snprintf(L->choice[i].note, sizeof(L->choice[i].note),
					 "%s took it too: one program serves both",
					 L->choice[k].def->name);
	}
}

int loader_plan(struct loader *L, unsigned int required, unsigned int optional)
{
	unsigned int wanted = required | optional;
	char what[200];

	L->warning[0] = '\0';
	ladder_choose(wanted, probe_cb, &L->probe, L->choice);
	note_shared_backstops(L);
	L->hooks = 0;
	for (unsigned int i = 0; i < HOOK_MAX; i++) {
		const struct hook_choice *c = &L->choice[i];

		if (!(wanted & LOADER_HOOK(i)))
			continue;
		if (c->rung >= 0) {
			L->hooks |= LOADER_HOOK(i);
			/* a hook that rides needs its carrier loaded too */
			if (hook_rides(c))
				L->hooks |= LOADER_HOOK(c->def->rungs[c->rung].via);
			continue;
		}
		describe_failure(c, what, sizeof(what));
		if (required & LOADER_HOOK(i)) {
			snprintf(L->error, sizeof(L->error), "no way to attach %s on this kernel",
				 what);
			return -1;
		}
		if (!L->warning[0] && !(LOADER_BACKSTOP_HOOKS & LOADER_HOOK(i)))
			snprintf(L->warning, sizeof(L->warning), "unavailable on this kernel: %s",
				 what);
	}
	return 0;
}

int loader_plan_udp(struct loader *L, unsigned int hooks, bool tcp, bool udp,
		    struct loader_config *cfg)
{
	const unsigned int udp_hooks = LOADER_HOOK(HOOK_UDP_BYTES) | LOADER_HOOK(HOOK_UDP_CLOSE);
	unsigned int optional = 0;

	cfg->udp = udp;
	if (udp && tcp)
		optional = udp_hooks;
	else if (udp)
		hooks |= udp_hooks;
	if (udp)
		optional |= LOADER_HOOK(HOOK_UDP_RELEASE);
	if (loader_plan(L, hooks, optional))
		return -1;
	if (L->warning[0]) {
		/* the half of the UDP pair the kernel allows would run for nothing */
		cfg->udp = false;
		L->hooks &= ~(udp_hooks | LOADER_HOOK(HOOK_UDP_RELEASE));
	}
	return 0;
}

/* Does the accept hook take its late rung (accept_late.bpf.h)? */
static bool accept_late(const struct loader *L)
{
	const struct hook_choice *c = &L->choice[HOOK_ACCEPT];

	return (L->hooks & LOADER_HOOK(HOOK_ACCEPT)) && c->rung >= 0 &&
	       c->def->rungs[c->rung].kind == ATTACH_TP_BTF;
}

static struct bpf_program *find_prog(const struct loader *L, const char *name)
{
	return name ? bpf_object__find_program_by_name(L->skel->obj, name) : NULL;
}

/* socktap's pid in its own pid namespace, and that namespace (current_is_self) */
static void self_pid(struct socktap_bpf__rodata *ro)
{
	struct stat st;

	if (stat("/proc/self/ns/pid", &st))
		return;
	ro->cfg_self_pid = (__u32)getpid();
	ro->cfg_self_pidns_dev = st.st_dev;
	ro->cfg_self_pidns_ino = st.st_ino;
}

static void configure(struct loader *L, const struct loader_config *cfg)
{
	struct socktap_bpf__rodata *ro = L->skel->rodata;

	ro->cfg_connect_via_state = hook_rides(&L->choice[HOOK_CONNECT]);
	ro->cfg_count_states = cfg->count_states;
	ro->cfg_trace = cfg->trace;
	ro->cfg_owner_at_close = cfg->owner_at_close;
	ro->cfg_accept_late = cfg->trace && accept_late(L);
	ro->cfg_states = cfg->states;
	ro->cfg_retransmits = cfg->retransmits;
	ro->cfg_family = cfg->family;
	ro->cfg_pid = cfg->pid;
	self_pid(ro);
	ro->cfg_netns = cfg->netns;
	ro->cfg_ports = cfg->nports > 0;
	ro->cfg_udp = cfg->udp;
	ro->cfg_events = cfg->events;
	ro->cfg_cgroup = cfg->cgroup;
	if (cfg->ringbuf_bytes)
		bpf_map__set_max_entries(L->skel->maps.events, cfg->ringbuf_bytes);
	/* an eighth of the ring: well before it can fill between two polls */
	ro->cfg_wakeup_bytes = bpf_map__max_entries(L->skel->maps.events) / 8;
}

static int fill_port_filter(struct loader *L, const struct loader_config *cfg)
{
	int fd = bpf_map__fd(L->skel->maps.filter_ports);
	__u8 one = 1;

	for (size_t i = 0; i < cfg->nports; i++) {
		__u16 port = cfg->ports[i];

		if (bpf_map_update_elem(fd, &port, &one, BPF_ANY)) {
			snprintf(L->error, sizeof(L->error), "setting the port filter failed: %s",
				 strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* Sections name every attach point but a cgroup's. */
static struct bpf_link *attach(const struct hook_choice *c, struct bpf_program *prog)
{
	const struct rung *r = &c->def->rungs[c->rung];
	struct bpf_link *link;
	int cg;

	if (!attach_kind_cgroup(r->kind))
		return bpf_program__attach(prog);
	cg = cgroup_open(r->target);
	if (cg < 0) {
		errno = -cg;
		return NULL;
	}
	link = bpf_program__attach_cgroup(prog, cg);
	close(cg);
	return link;
}

/* First time prog is met? A program two hooks share (accept's late rung
 * rides on the UDP and state programs) is attached once. */
static bool once(const struct bpf_program **done, size_t *n, const struct bpf_program *prog)
{
	for (size_t i = 0; i < *n; i++)
		if (done[i] == prog)
			return false;
	done[(*n)++] = prog;
	return true;
}

int loader_start(struct loader *L, const struct loader_config *cfg)
{
	const struct bpf_program *done[HOOK_MAX * LADDER_MAX_PROGS];
	struct bpf_program *prog;
	size_t ndone = 0;
	int err;

	L->skel = socktap_bpf__open();
	if (!L->skel) {
		snprintf(L->error, sizeof(L->error), "cannot open the BPF object: %s",
			 strerror(errno));
		return -1;
	}
	/* load exactly the programs of the chosen rungs */
	bpf_object__for_each_program (prog, L->skel->obj)
		bpf_program__set_autoload(prog, false);
	for (unsigned int i = 0; i < HOOK_MAX; i++) {
		if (!(L->hooks & LOADER_HOOK(i)))
			continue;
		for (unsigned int k = 0; k < LADDER_MAX_PROGS; k++)
			if ((prog = find_prog(L, ladder_prog_n(&L->choice[i], k))))
				bpf_program__set_autoload(prog, true);
	}
	configure(L, cfg);
	if (cfg->trace)
		bpf_program__set_autoload(L->skel->progs.stp_seed_owners, true);
	/* where walking iter/tcp risks the kernel, sock_diag makes the cookies */
	bpf_program__set_autoload(L->skel->progs.stp_seed_cookies_tcp,
				  cfg->seed_cookies && !kbug_tcp_iter(NULL, 0));
	bpf_program__set_autoload(L->skel->progs.stp_seed_cookies_udp, cfg->seed_cookies);

	err = socktap_bpf__load(L->skel);
	if (err) {
		snprintf(L->error, sizeof(L->error),
			 "loading the BPF programs failed: %s (run with -v for the verifier log)",
			 strerror(-err));
		return -1;
	}
	if (fill_port_filter(L, cfg))
		return -1;
	for (unsigned int i = 0; i < HOOK_MAX; i++) {
		if (!(L->hooks & LOADER_HOOK(i)))
			continue;
		for (unsigned int k = 0; k < LADDER_MAX_PROGS; k++) {
			const char *name = ladder_prog_n(&L->choice[i], k);

			if (!(prog = find_prog(L, name)) || !once(done, &ndone, prog))
				continue;
			L->links[i][k] = attach(&L->choice[i], prog);
			if (!L->links[i][k]) {
				snprintf(L->error, sizeof(L->error), "attaching %s (%s) failed: %s",
					 L->choice[i].attach, name, strerror(errno));
				return -1;
			}
		}
	}
	/* the ladder's BTF (megabytes) served the plan: a long run does not keep it */
	btf__free(L->probe.vmlinux);
	L->probe.vmlinux = NULL;
	return 0;
}

int loader_map_fd(const struct loader *L, enum loader_map map)
{
	if (!L->skel)
		return -1;
	switch (map) {
	case LOADER_MAP_STATS:
		return bpf_map__fd(L->skel->maps.stats);
	case LOADER_MAP_STATE_COUNTS:
		return bpf_map__fd(L->skel->maps.state_counts);
	case LOADER_MAP_EVENTS:
		return bpf_map__fd(L->skel->maps.events);
	case LOADER_MAP_UDP_SOCKS:
		return bpf_map__fd(L->skel->maps.udp_socks);
	case LOADER_MAP_NETDEV_SPLIT:
		return bpf_map__fd(L->skel->maps.netdev_split);
	case LOADER_MAP_NETDEV_PENDING:
		return bpf_map__fd(L->skel->maps.netdev_pending);
	case LOADER_MAP_SOCKS:
		return bpf_map__fd(L->skel->maps.socks);
	}
	return -1;
}

/* Runs an iterator program that writes nothing over what it walks. */
static int run_iter(struct loader *L, struct bpf_program *prog)
{
	struct bpf_link *link;
	char buf[64];
	ssize_t n = -1;
	int fd;

	link = bpf_program__attach_iter(prog, NULL);
	if (!link)
		goto fail;
	fd = bpf_iter_create(bpf_link__fd(link));
	if (fd < 0) {
		bpf_link__destroy(link);
		goto fail;
	}
	/* the program writes nothing: reading runs it */
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		;
	close(fd);
	bpf_link__destroy(link);
	if (n == 0)
		return 0;
fail:
	snprintf(L->error, sizeof(L->error), "the %s iterator failed: %s", bpf_program__name(prog),
		 strerror(errno));
	return -1;
}

static bool loaded(const struct bpf_program *prog)
{
	return bpf_program__fd(prog) >= 0;
}

/* The seed's socket iterators, which walk the reading thread's namespace. */
static int seed_here(void *ctx)
{
	struct loader *L = ctx;

	if (!loaded(L->skel->progs.stp_seed_cookies_udp))
		return 0;
	if (loaded(L->skel->progs.stp_seed_cookies_tcp)) {
		if (run_iter(L, L->skel->progs.stp_seed_cookies_tcp))
			return -1;
	} else if (sockdiag_touch(SK_TCP, L->error, sizeof(L->error))) {
		/* without iter/tcp (kbugs.h): a dump makes each socket's cookie */
		return -1;
	}
	return run_iter(L, L->skel->progs.stp_seed_cookies_udp);
}

int loader_seed_owners(struct loader *L)
{
	if (loaded(L->skel->progs.stp_seed_owners) && run_iter(L, L->skel->progs.stp_seed_owners))
		return -1;
	if (!loaded(L->skel->progs.stp_seed_cookies_udp))
		return 0;
	/* entering another namespace takes CAP_SYS_ADMIN: without it (top at
	 * its least privilege), socktap's own only */
	if (!(privilege_effective() & CAPBIT(SYS_ADMIN)))
		return seed_here(L);
	return netns_each(seed_here, L, L->error, sizeof(L->error));
}

int loader_prog_stats(const struct loader *L, struct loader_prog_stats *s)
{
	struct bpf_program *prog;

	memset(s, 0, sizeof(*s));
	if (!L->skel)
		return -1;
	bpf_object__for_each_program (prog, L->skel->obj) {
		struct bpf_prog_info info;
		__u32 len = sizeof(info);
		int fd = bpf_program__fd(prog);

		/* programs of the rungs not taken were never loaded */
		if (fd < 0)
			continue;
		memset(&info, 0, sizeof(info));
		if (bpf_obj_get_info_by_fd(fd, &info, &len))
			return -1;
		s->run_time_ns += info.run_time_ns;
		s->run_cnt += info.run_cnt;
		s->missed += info.recursion_misses;
	}
	return 0;
}

int loader_missed_runs(const struct loader *L, uint64_t *missed)
{
	struct loader_prog_stats s;
	int err = loader_prog_stats(L, &s);

	*missed = s.missed;
	return err;
}

void loader_stop(struct loader *L)
{
	for (unsigned int i = 0; i < HOOK_MAX; i++) {
		for (int k = 0; k < LADDER_MAX_PROGS; k++) {
			bpf_link__destroy(L->links[i][k]);
			L->links[i][k] = NULL;
		}
	}
	socktap_bpf__destroy(L->skel);
	L->skel = NULL;
	probe_ctx_free(&L->probe);
}
