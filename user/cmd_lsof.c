// SPDX-License-Identifier: GPL-2.0
/*
 * socktap lsof: the inet sockets of processes, as `lsof -i` lists them: the
 * same options (-i, -s, -p, -u, -c, -a, -n, -P, -t, -l), rows, columns and
 * exit status. Parsing, matching and layout are pure (lsofspec.c); this file
 * reads the socket table and does the name lookups.
 */
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include "cli.h"
#include "commands.h"
#include "lsofspec.h"
#include "names.h"
#include "services.h"
#include "print.h"
#include "privilege.h"
#include "sockjson.h"
#include "resolve.h"
#include "sockets.h"
#include "tcpstate.h"
#include "util.h"

static void help(void)
{
	printf("Usage: socktap lsof [options]\n\n"
	       "Lists the TCP and UDP sockets processes hold, one row per process and fd,\n"
	       "with lsof's options, columns and exit status (1 when something asked for\n"
	       "was not found). Selections are ORed unless -a is given.\n\n"
	       "Options:\n"
	       "  -i [SPEC]       inet sockets; SPEC is\n"
	       "                  "
	       "[46][tcp|udp][@host|@addr|@[v6addr]][:port|service[,...][-port]]\n"
	       "                  (repeatable; -i alone: every inet socket)\n"
	       "  -s TCP:STATES   keep (LISTEN,ESTABLISHED) or drop (^LISTEN) TCP states\n"
	       "  -p PIDS         processes (1,2,^3: ^ excludes)\n"
	       "  -u USERS        users, names or numbers (^ excludes)\n"
	       "  -c COMMAND      commands starting with COMMAND, ^COMMAND excluded,\n"
	       "                  /regex/[bix] matched\n"
	       "  -a              AND the selections instead of OR\n"
	       "  -n              no host names\n"
	       "  -P              no port names\n"
	       "  -l              no user names\n"
	       "  -t              process IDs only, one per line\n" CLI_COMMON_HELP
	       "\nJSON (--json) is an array of objects, one per socket and fd: the process's\n"
	       "pid, comm, uid, user, fd and mode, then the socket's proto, family, state,\n"
	       "recv_q, send_q, laddr, lport, raddr, rport, netns, inode and cookie.\n");
	privilege_help(stdout, "lsof");
}

/* ---- name lookups (names.c caches them, as lsof does) ---- */

static const char *sys_host(void *ctx, int af, const uint8_t *addr, char *buf, size_t len)
{
	(void)ctx;
	(void)buf;
	(void)len;
	return name_of_host(af, addr);
}

static const char *sys_service(void *ctx, uint16_t port, const char *proto, char *buf, size_t len)
{
	(void)ctx;
	(void)buf;
	(void)len;
	/* lsof names ephemeral ports too */
	return service_name_any(port, proto);
}

static const char *sys_user(void *ctx, uint32_t uid, char *buf, size_t len)
{
	(void)ctx;
	(void)buf;
	(void)len;
	return name_of_user(uid);
}

/* ---- output ---- */

static void print_json(const struct lsof_ref *refs, size_t n)
{
	print_arr_begin(NULL);
	for (size_t i = 0; i < n; i++) {
		const struct sock_entry *e = refs[i].e;
		const struct sock_owner *o = refs[i].o;
		char comm[sizeof(o->comm) + 1], mode[2] = { lsof_mode(o->f_mode), 0 };
		const char *user = sys_user(NULL, o->uid, NULL, 0);

		memcpy(comm, o->comm, sizeof(o->comm));
		comm[sizeof(o->comm)] = '\0';
		/* the process and fd of the row, then the socket's own object
		 * (sockjson.c) with the process's uid, as lsof's USER is */
		print_obj_begin(NULL);
		print_u64(PRINT_JSON, "pid", o->pid);
		print_str(PRINT_JSON, "comm", comm);
		print_u64(PRINT_JSON, "uid", o->uid);
		if (user)
			print_str(PRINT_JSON, "user", user);
		else
			print_null(PRINT_JSON, "user");
		print_s64(PRINT_JSON, "fd", o->fd);
		print_str(PRINT_JSON, "mode", mode[0] == ' ' ? "" : mode);
		sock_json_fields(print_json_writer(), e, SOCKJSON_NO_UID);
		print_obj_end();
	}
	print_arr_end();
}

/* ---- options ---- */

struct opts {
	struct lsof_sel sel;
	bool numeric_host, numeric_port, numeric_user, terse;
};

static void parse_args(int argc, char **argv, struct opts *op)
{
	static const struct option longopts[] = { CLI_COMMON_LONGOPTS };
	char err[320];
	int c, rc;

	opterr = 0;
	/* '+': stop at the first word that is no option, so -i can take the next word */
	while ((c = getopt_long(argc, argv, "+:i::s:p:u:c:anPlt" CLI_COMMON_SHORTOPTS, longopts,
				NULL)) != -1) {
		const char *spec;

		if (cli_common_opt(c, "lsof", argv, help))
			continue;
		switch (c) {
		case 'i':
			/* lsof: -i takes the next word too, unless it is an option */
			spec = optarg;
			if (!spec && optind < argc && argv[optind][0] != '-' &&
			    argv[optind][0] != '+')
				spec = argv[optind++];
			rc = lsof_sel_add_inet(&op->sel, spec, &resolver_system, err, sizeof(err));
			break;
		case 's':
			rc = lsof_sel_add_state(&op->sel, optarg, err, sizeof(err));
			break;
		case 'p':
			rc = lsof_sel_add_pids(&op->sel, optarg, err, sizeof(err));
			break;
		case 'u':
			rc = lsof_sel_add_users(&op->sel, optarg, &resolver_system, err,
						sizeof(err));
			break;
		case 'c':
			rc = lsof_sel_add_cmd(&op->sel, optarg, err, sizeof(err));
			break;
		case 'a':
			op->sel.and = true;
			rc = 0;
			break;
		case 'n':
			op->numeric_host = true;
			rc = 0;
			break;
		case 'P':
			op->numeric_port = true;
			rc = 0;
			break;
		case 'l':
			op->numeric_user = true;
			rc = 0;
			break;
		default: /* 't' */
			op->terse = true;
			rc = 0;
			break;
		}
		if (rc)
			usage_error("lsof: %s", err);
	}
	cli_no_args("lsof", argc, argv);
	if (lsof_sel_check(&op->sel, err, sizeof(err)))
		usage_error("lsof: %s", err);
}

int do_lsof(int argc, char **argv)
{
	struct opts op;
	struct lsof_names names = { 0 };
	struct sock_table t = { 0 };
	struct lsof_ref *refs = NULL;
	size_t nrefs = 0;
	char err[256] = "";
	double t_print;
	int status;

	memset(&op, 0, sizeof(op));
	lsof_sel_init(&op.sel);
	parse_args(argc, argv, &op);
	privilege_require("lsof", sockets_forced_fallback() ? PRIV_OWNERS_PROC : PRIV_OWNERS);
	if (!op.numeric_host)
		names.host = sys_host;
	if (!op.numeric_port)
		names.service = sys_service;
	if (!op.numeric_user)
		names.user = sys_user;

	struct sockets_query q = {
		.kinds = lsof_sel_kinds(&op.sel),
		.states = lsof_sel_states(&op.sel),
		.family = lsof_sel_family(&op.sel),
		.owners = true,
		/* the text has nothing the held sockets' one walk lacks; JSON
		 * has the queues and cookies only the socket tables give */
		.held_only = !g_opts.json,
		.cgroup = g_opts.json,
		.cmd = "lsof",
	};
	/* a selection that keeps nothing lsof can list: no need to ask */
	if (q.states && q.kinds && sockets_collect(&q, &t, err, sizeof(err))) {
		p_err("lsof: %s", err);
		lsof_sel_free(&op.sel);
		return EXIT_RUNTIME;
	}
	sockets_report_source();

	t_print = sockets_now_ms();
	for (size_t i = 0; i < t.n; i++)
		nrefs += t.v[i].nowners;
	refs = xcalloc(nrefs ? nrefs : 1, sizeof(*refs));
	nrefs = 0;
	for (size_t i = 0; i < t.n; i++) {
		const struct sock_entry *e = &t.v[i];

		for (size_t k = 0; k < e->nowners; k++) {
			const struct sock_owner *o = &e->owners[k];

			if (lsof_sel_take(&op.sel, e, o))
				refs[nrefs++] = lsof_ref_of(e, o);
		}
	}
	/* sorted before anything is formatted */
	lsof_sort_refs(refs, nrefs);

	if (op.terse) {
		/* -t is for scripts: PIDs only, JSON or not */
		lsof_print_pids(stdout, refs, nrefs);
		status = fflush(stdout) || ferror(stdout) ? EXIT_RUNTIME : 0;
	} else {
		print_init(stdout, g_opts.json);
		/* the services file held open while ports are named; under -P
		 * none is, and opening it costs the name service's set-up */
		if (names.service)
			setservent(1);
		if (print_is_json())
			print_json(refs, nrefs);
		else
			lsof_print_table(stdout, refs, nrefs, &names);
		if (names.service)
			endservent();
		status = print_fini() ? EXIT_RUNTIME : 0;
		if (g_opts.json && !status) {
			/* the writer ends a top-level array without a newline */
			putchar('\n');
			status = fflush(stdout) ? EXIT_RUNTIME : 0;
		}
	}
	if (!status && !lsof_sel_all_found(&op.sel))
		status = 1; /* lsof: something asked for was not found */
	sockets_print_timing(sockets_now_ms() - t_print);

	free(refs);
	sock_table_free(&t);
	lsof_sel_free(&op.sel);
	return status;
}
