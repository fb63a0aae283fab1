// SPDX-License-Identifier: GPL-2.0
/*
 * socktap doctor: what this kernel allows, which path each hook takes and
 * why the better ones were refused, and a selftest through the whole stack.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "cli.h"
#include "commands.h"
#include "loader.h"
#include "loader_iter.h"
#include "parse.h"
#include "print.h"
#include "privilege.h"
#include "selftest.h"
#include "signals.h"
#include "sysinfo.h"
#include "tcpstate.h"
#include "util.h"

static void help(void)
{
	printf("Usage: socktap doctor [options]\n\n"
	       "Reports the kernel's BPF features, the attach path chosen for every hook\n"
	       "(and why better ones were refused), and checks that the programs see a\n"
	       "loopback connection. Exit status 0 when socktap can run here.\n\n"
	       "Options:\n"
	       "  -w, --watch SECS  then keep watching for SECS seconds (0: until Ctrl-C)\n"
	       "                    and report the transitions seen, per network "
	       "namespace\n" CLI_COMMON_HELP);
	privilege_help(stdout, "doctor");
}

static const char *errno_name(int err)
{
	const char *n = strerrorname_np(err < 0 ? -err : err);

	return n ? n : "E?";
}

static void print_system(const struct sysinfo *si, const char *missing)
{
	static const struct print_col cols[] = {
		{ "version", "socktap", COL_LEFT, 0 },
		{ "kernel", "kernel", COL_LEFT, 0 },
		{ "btf", "BTF", COL_LEFT, 0 },
		{ "lockdown", "lockdown", COL_LEFT, 0 },
		{ "capabilities", "capabilities", COL_LEFT, 0 },
		{ "missing_privilege", "privilege", COL_LEFT, 0 },
		{ "bpf_stats_enabled", "bpf_stats", COL_LEFT, 0 },
	};
	char capstr[192] = "";

	print_table_begin(NULL, cols, ARRAY_SIZE(cols), TBL_VERTICAL);
	print_row_begin();
	/* JSON: "version" and "libbpf_version" at the top, before the system */
	print_strf(PRINT_FP, "version", "%s (libbpf %u.%u)", SOCKTAP_VERSION,
		   libbpf_major_version(), libbpf_minor_version());
	print_strf(PRINT_FP, "kernel", "%s (%s)", si->release, si->machine);
	print_obj_begin("kernel");
	print_str(PRINT_JSON, "release", si->release);
	print_str(PRINT_JSON, "machine", si->machine);
	print_obj_end();
	print_strf(PRINT_FP, "btf", "%s", si->btf ? "yes (" SYSINFO_BTF_PATH ")" : "no");
	print_bool(PRINT_JSON, "btf", si->btf);
	print_str(PRINT_ANY, "lockdown", si->lockdown);
	print_arr_begin("capabilities");
	for (size_t i = 0; privilege_caps_named[i] >= 0; i++) {
		const char *name = privilege_cap_name(privilege_caps_named[i]);

		if (!sysinfo_has_cap(si, privilege_caps_named[i]))
			continue;
		if (print_is_json())
			print_str(PRINT_JSON, NULL, name);
		snprintf(capstr + strlen(capstr), sizeof(capstr) - strlen(capstr), "%s%s",
			 capstr[0] ? " " : "", name);
	}
	print_arr_end();
	print_str(PRINT_FP, "capabilities", capstr[0] ? capstr : "none");
	if (missing)
		print_strf(PRINT_ANY, "missing_privilege", "missing %s", missing);
	else
		print_str(PRINT_FP, "missing_privilege", "ok");
	if (si->bpf_stats_enabled < 0)
		print_str(PRINT_FP, "bpf_stats_enabled", "unknown");
	else
		print_str(PRINT_FP, "bpf_stats_enabled", si->bpf_stats_enabled ? "on" : "off");
	print_s64(PRINT_JSON, "bpf_stats_enabled", si->bpf_stats_enabled);
	print_row_end();
	print_table_end();
}

/* JSON: every command's capabilities, the table privilege_require checks */
static void print_privileges(void)
{
	if (!print_is_json())
		return;
	print_arr_begin("privileges");
	for (size_t i = 0; i < privileges_n; i++) {
		const struct privilege *p = &privileges[i];

		print_obj_begin(NULL);
		print_str(PRINT_JSON, "command", p->cmd);
		if (p->when)
			print_str(PRINT_JSON, "when", p->when);
		else
			print_null(PRINT_JSON, "when");
		print_arr_begin("capabilities");
		for (size_t k = 0; privilege_caps_named[k] >= 0; k++)
			if ((p->caps >> privilege_caps_named[k]) & 1)
				print_str(PRINT_JSON, NULL,
					  privilege_cap_name(privilege_caps_named[k]));
		print_arr_end();
		print_str(PRINT_JSON, "why", p->why);
		print_obj_end();
	}
	print_arr_end();
}

/*
 * The probe asks whether the kernel has an iterator; whether it takes
 * socktap's program is for the verifier to say (a 6.18 once refused top's
 * while the probe said yes). Load each chosen one; where it is refused, say
 * why and take the next rung, as the commands do.
 */
static void check_iterators(struct loader *L)
{
	for (unsigned int i = 0; i < HOOK_MAX; i++) {
		struct hook_choice *c = &L->choice[i];
		struct hook_attempt *a;
		struct iter_loader I;
		int kind;

		if (!c->def || c->rung < 0 || c->def->rungs[c->rung].kind != ATTACH_ITER ||
		    (kind = iter_kind_by_prog(c->def->rungs[c->rung].prog)) < 0)
			continue;
		if (iter_loader_open(&I, ITER_BIT(kind), &(struct iter_config){ 0 }) == 0) {
			if (kind == ITER_FLOWS && !iter_loader_flows_typed(&I))
				snprintf(c->note, sizeof(c->note),
					 "it reads tcp_sock's counters %s",
					 iter_loader_flows_reads(&I));
			iter_loader_close(&I);
			continue;
		}
		/* the chosen rung's attempt is the last one made */
		a = &c->tried[c->ntried - 1];
		a->res.err = I.err < 0 ? I.err : -EINVAL;
		snprintf(a->res.detail, sizeof(a->res.detail),
			 "the kernel refused socktap's program %s", c->def->rungs[c->rung].prog);
		iter_loader_close(&I);
		/* below an iterator only userspace sources remain, which work */
		c->rung = c->rung + 1 < (int)c->def->nrungs ? c->rung + 1 : -1;
		c->attach[0] = '\0';
		if (c->rung >= 0 && c->ntried < LADDER_MAX_RUNGS) {
			a = &c->tried[c->ntried++];
			memset(a, 0, sizeof(*a));
			ladder_attach_name(&c->def->rungs[c->rung], a->attach, sizeof(a->attach));
			snprintf(c->attach, sizeof(c->attach), "%s", a->attach);
		}
	}
}

static void print_hooks(const struct loader *L)
{
	static const struct print_col cols[] = {
		{ "name", "HOOK", COL_LEFT, 0 },
		{ "attach", "ATTACH", COL_LEFT, 0 },
		{ "reason", "WHY", COL_LEFT, 0 },
	};

	if (!print_is_json())
		putchar('\n');
	print_table_begin("hooks", cols, ARRAY_SIZE(cols), 0);
	for (unsigned int i = 0; i < HOOK_MAX; i++) {
		const struct hook_choice *c = &L->choice[i];
		char reason[512] = "";
		const char *lim;
		size_t len = 0;

		if (!c->def)
			continue;
		print_row_begin();
		print_str(PRINT_ANY, "name", c->def->name);
		print_str(PRINT_JSON, "what", c->def->what);
		print_str(PRINT_ANY, "attach", c->rung >= 0 ? c->attach : "none");
		print_arr_begin("refused");
		for (unsigned int k = 0; k < c->ntried; k++) {
			const struct hook_attempt *a = &c->tried[k];

			if (!a->res.err)
				continue;
			print_obj_begin(NULL);
			print_str(PRINT_JSON, "attach", a->attach);
			print_s64(PRINT_JSON, "errno", -a->res.err);
			print_str(PRINT_JSON, "error", errno_name(a->res.err));
			print_str(PRINT_JSON, "detail", a->res.detail);
			print_obj_end();
			len += (size_t)snprintf(reason + len, sizeof(reason) - len, "%s%s: %s (%s)",
						len ? "; " : "", a->attach, errno_name(a->res.err),
						a->res.detail);
			if (len >= sizeof(reason))
				len = sizeof(reason) - 1;
		}
		print_arr_end();
		lim = c->rung >= 0 ? c->def->rungs[c->rung].limits : NULL;
		if (c->rung < 0)
			print_strf(PRINT_ANY, "reason", "every path refused: %s", reason);
		else if (c->rung == 0)
			print_strf(PRINT_ANY, "reason", "the best path works%s%s",
				   c->note[0] ? "; " : "", c->note);
		else
			print_strf(PRINT_JSON, "reason", "%s refused: %s",
				   c->rung == 1 ? "the better path was" : "the better paths were",
				   reason);
		/* text: the limits of the path taken follow the refusals */
		if (c->rung > 0)
			print_strf(PRINT_FP, "reason", "%s refused: %s%s%s",
				   c->rung == 1 ? "the better path was" : "the better paths were",
				   reason, lim ? ". On this path " : "", lim ? lim : "");
		if (lim)
			print_str(PRINT_JSON, "limits", lim);
		else
			print_null(PRINT_JSON, "limits");
		print_row_end();
	}
	print_table_end();
}

static void print_selftest(const struct selftest_result *r, bool ran)
{
	static const struct print_col cols[] = {
		{ "ok", "selftest", COL_LEFT, 0 },
		{ "transitions", "transitions", COL_LEFT, 0 },
	};

	if (!print_is_json())
		putchar('\n');
	print_table_begin("selftest", cols, ARRAY_SIZE(cols), TBL_VERTICAL);
	print_row_begin();
	print_bool(PRINT_JSON, "ok", r->ok);
	if (!ran)
		print_str(PRINT_FP, "ok", "not run");
	else if (r->ok)
		print_strf(PRINT_FP, "ok", "ok: the loopback connection was seen (%llu connect)",
			   (unsigned long long)r->connects);
	else
		print_strf(PRINT_FP, "ok", "FAILED: %s", r->error);
	if (r->error[0])
		print_str(PRINT_JSON, "error", r->error);
	print_u64(PRINT_JSON, "netns", r->netns);
	print_u64(PRINT_JSON, "connects", r->connects);
	print_u64(PRINT_JSON, "transitions", r->transitions);
	if (ran)
		print_strf(PRINT_FP, "transitions", "%llu in netns %u",
			   (unsigned long long)r->transitions, r->netns);
	print_arr_begin("counts");
	for (size_t i = 0; i < r->delta.n; i++) {
		print_obj_begin(NULL);
		print_str(PRINT_JSON, "from", tcp_state_name(r->delta.rows[i].from));
		print_str(PRINT_JSON, "to", tcp_state_name(r->delta.rows[i].to));
		print_u64(PRINT_JSON, "count", r->delta.rows[i].count);
		print_obj_end();
	}
	print_arr_end();
	print_row_end();
	print_table_end();
}

static void print_counters(const struct loader *L)
{
	static const struct print_col cols[] = {
		{ "transitions", "transitions", COL_LEFT, 0 },
		{ "connects", "connects", COL_LEFT, 0 },
		{ "state_map_full", "lost (map full)", COL_LEFT, 0 },
	};
	uint64_t stats[SOCKTAP_STAT_MAX];

	if (!L->skel || model_read_stats(loader_map_fd(L, LOADER_MAP_STATS), stats))
		return;
	print_table_begin("counters", cols, ARRAY_SIZE(cols), TBL_VERTICAL);
	print_row_begin();
	print_u64(PRINT_ANY, "transitions", stats[SOCKTAP_STAT_TRANSITIONS]);
	print_u64(PRINT_ANY, "connects", stats[SOCKTAP_STAT_CONNECTS]);
	print_u64(PRINT_ANY, "state_map_full", stats[SOCKTAP_STAT_STATE_MAP_FULL]);
	print_row_end();
	print_table_end();
}

/* Counts transitions for seconds (< 0: until a signal) into out. */
static int watch(const struct loader *L, double seconds, struct state_table *out)
{
	int fd = loader_map_fd(L, LOADER_MAP_STATE_COUNTS);
	struct state_table t0 = { 0 }, t1 = { 0 };
	int err;

	signals_install();
	err = model_read_state_counts(fd, &t0);
	if (err)
		return err;
	if (seconds < 0)
		fprintf(stderr, "socktap: watching TCP state transitions (Ctrl-C to stop)\n");
	else
		fprintf(stderr, "socktap: watching TCP state transitions for %g s\n", seconds);
	signals_wait(seconds);
	err = model_read_state_counts(fd, &t1);
	if (!err) {
		state_table_diff(&t0, &t1, 0, out);
		state_table_sort(out);
	}
	state_table_free(&t0);
	state_table_free(&t1);
	return err;
}

static void print_watch(const struct state_table *t)
{
	static const struct print_col cols[] = {
		{ "netns", "NETNS", COL_RIGHT, 0 },
		{ "from", "FROM", COL_LEFT, 0 },
		{ "to", "TO", COL_LEFT, 0 },
		{ "count", "COUNT", COL_RIGHT, 0 },
	};

	if (!print_is_json())
		putchar('\n');
	print_table_begin("watch", cols, ARRAY_SIZE(cols), 0);
	for (size_t i = 0; i < t->n; i++) {
		print_row_begin();
		print_u64(PRINT_ANY, "netns", t->rows[i].netns);
		print_str(PRINT_ANY, "from", tcp_state_name(t->rows[i].from));
		print_str(PRINT_ANY, "to", tcp_state_name(t->rows[i].to));
		print_u64(PRINT_ANY, "count", t->rows[i].count);
		print_row_end();
	}
	print_table_end();
}

int do_doctor(int argc, char **argv)
{
	static const struct option longopts[] = { { "watch", required_argument, NULL, 'w' },
						  CLI_COMMON_LONGOPTS };
	struct state_table watched = { 0 };
	double watch_secs = 0;
	bool watching = false;
	uint64_t v;
	struct loader L = { 0 };
	struct selftest_result st = { 0 };
	struct sysinfo si;
	char error[512] = "", btf_error[512], missing[256] = "";
	bool missing_any = false;
	bool ran = false, ok = false;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":w:" CLI_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
		if (cli_common_opt(c, "doctor", argv, help))
			continue;
		/* c == 'w' */
		if (parse_u64(optarg, 0, 86400, &v))
			usage_error("doctor: bad --watch value '%s' (seconds, 0 to 86400)", optarg);
		watching = true;
		watch_secs = v ? (double)v : -1;
	}
	cli_no_args("doctor", argc, argv);
	loader_set_verbose(g_opts.verbose);

	sysinfo_read(&si);
	if (privilege_check("doctor", 0, si.caps.effective, error, sizeof(error), missing,
			    sizeof(missing)))
		missing_any = true;
	/* what can be loaded is, so that the hooks say what a missing
	 * capability costs (a cgroup program refused: EPERM) */
	if (!privilege_lacking(PRIV_LOAD_BPF, si.caps.effective) &&
	    sysinfo_need_btf(error[0] ? btf_error : error, sizeof(error)) == 0 &&
	    loader_plan(&L, LOADER_CORE_HOOKS, LOADER_ALL_HOOKS & ~LOADER_CORE_HOOKS) == 0 &&
	    loader_start(&L, &(struct loader_config){ .count_states = true }) == 0) {
		check_iterators(&L);
		selftest_loopback(loader_map_fd(&L, LOADER_MAP_STATS),
				  loader_map_fd(&L, LOADER_MAP_STATE_COUNTS), &st);
		ran = true;
		ok = st.ok && !missing_any;
		if (missing_any)
			; /* the missing privilege is the error */
		else if (!st.ok)
			snprintf(error, sizeof(error), "selftest failed: %s", st.error);
		else if (watching && watch(&L, watch_secs, &watched))
			snprintf(error, sizeof(error), "reading the maps failed: %s",
				 strerror(errno));
	} else if (!error[0]) {
		snprintf(error, sizeof(error), "%s", L.error);
	}

	print_init(stdout, g_opts.json);
	print_doc_begin();
	print_bool(PRINT_JSON, "ok", ok);
	print_str(PRINT_JSON, "version", SOCKTAP_VERSION);
	print_strf(PRINT_JSON, "libbpf_version", "%u.%u", libbpf_major_version(),
		   libbpf_minor_version());
	if (error[0])
		print_str(PRINT_JSON, "error", error);
	if (L.warning[0])
		print_str(PRINT_JSON, "warning", L.warning);
	print_system(&si, missing_any ? missing : NULL);
	print_bool(PRINT_JSON, "tracefs_mounted", L.probe.tracefs_mounted);
	print_hooks(&L);
	print_selftest(&st, ran);
	print_counters(&L);
	print_privileges();
	if (watching && ok)
		print_watch(&watched);
	print_doc_end();
	if (!print_is_json()) {
		printf("\nstatus: %s\n",
		       ok ? "ok, socktap can run here" : "socktap cannot run here");
		if (L.warning[0])
			printf("warning: %s\n", L.warning);
	}
	selftest_free(&st);
	state_table_free(&watched);
	loader_stop(&L);
	if (print_fini())
		return EXIT_RUNTIME;
	if (!ok) {
		p_err("%s%s", missing_any ? "doctor: " : "", error);
		return EXIT_RUNTIME;
	}
	return 0;
}
