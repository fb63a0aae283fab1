// SPDX-License-Identifier: GPL-2.0
/*
 * socktap lsof: the inet sockets of processes, as `lsof -i` lists them: the
 * same options (-i, -s, -p, -u, -c, -a, -n, -P, -t, -l), rows, columns and
 * exit status. Parsing, matching and layout are pure (lsofspec.c); this file
 * reads the socket table and does the name lookups.
 */
#include <netdb.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include "cli.h"
#include "commands.h"
#include "lsofspec.h"
#include "print.h"
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
	       "\nJSON (--json) is an array of objects with pid, comm, uid, user, fd, mode,\n"
	       "family, proto, inode, laddr, lport, raddr, rport, state, cookie and netns.\n");
}

/* ---- name lookups: the system's, cached (lsof caches them too) ---- */

struct name_cache {
	struct name_entry {
		int af;
		uint8_t addr[16];
		uint32_t key;
		char *name; /* NULL: no name */
	} * v;
	size_t n, cap;
};

static struct name_cache hosts, users;

static struct name_entry *cache_find(struct name_cache *c, int af, const uint8_t *addr,
				     uint32_t key)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].af == af && c->v[i].key == key &&
		    (!addr || !memcmp(c->v[i].addr, addr, af == AF_INET6 ? 16 : 4)))
			return &c->v[i];
	return NULL;
}

static void cache_add(struct name_cache *c, int af, const uint8_t *addr, uint32_t key,
		      const char *name)
{
	struct name_entry *e;

	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 32;
		c->v = xrealloc(c->v, c->cap * sizeof(*c->v));
	}
	e = &c->v[c->n++];
	memset(e, 0, sizeof(*e));
	e->af = af;
	if (addr)
		memcpy(e->addr, addr, af == AF_INET6 ? 16 : 4);
	e->key = key;
	e->name = name ? xstrdup(name) : NULL;
}

static void cache_free(struct name_cache *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i].name);
	free(c->v);
	memset(c, 0, sizeof(*c));
}

static const char *sys_host(void *ctx, int af, const uint8_t *addr, char *buf, size_t len)
{
	struct sockaddr_storage ss;
	struct name_entry *e;
	char name[NI_MAXHOST];
	socklen_t sl;

	(void)ctx;
	(void)buf;
	(void)len;
	if ((e = cache_find(&hosts, af, addr, 0)))
		return e->name;
	memset(&ss, 0, sizeof(ss));
	if (af == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		memcpy(&s6->sin6_addr, addr, 16);
		sl = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		memcpy(&s4->sin_addr, addr, 4);
		sl = sizeof(*s4);
	}
	if (getnameinfo((struct sockaddr *)&ss, sl, name, sizeof(name), NULL, 0, NI_NAMEREQD))
		cache_add(&hosts, af, addr, 0, NULL);
	else
		cache_add(&hosts, af, addr, 0, name);
	return hosts.v[hosts.n - 1].name;
}

static const char *sys_service(void *ctx, uint16_t port, const char *proto, char *buf, size_t len)
{
	/* /etc/services, every port (lsof names ephemeral ports too) */
	struct servent *se = getservbyport(htons(port), proto);

	(void)ctx;
	if (!se || !se->s_name)
		return NULL;
	snprintf(buf, len, "%s", se->s_name);
	return buf;
}

static const char *sys_user(void *ctx, uint32_t uid, char *buf, size_t len)
{
	struct name_entry *e;
	struct passwd *pw;

	(void)ctx;
	(void)buf;
	(void)len;
	if ((e = cache_find(&users, 0, NULL, uid)))
		return e->name;
	pw = getpwuid(uid);
	cache_add(&users, 0, NULL, uid, pw ? pw->pw_name : NULL);
	return users.v[users.n - 1].name;
}

/* ---- output ---- */

static void print_json(const struct lsof_row *rows, size_t n)
{
	print_arr_begin(NULL);
	for (size_t i = 0; i < n; i++) {
		const struct sock_entry *e = rows[i].e;
		const struct sock_owner *o = rows[i].o;
		char comm[sizeof(o->comm) + 1], mode[2] = { rows[i].mode, 0 };
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
	struct lsof_row *rows = NULL;
	size_t nrows = 0;
	char err[256] = "";
	int status;

	memset(&op, 0, sizeof(op));
	lsof_sel_init(&op.sel);
	parse_args(argc, argv, &op);
	if (!op.numeric_host)
		names.host = sys_host;
	if (!op.numeric_port)
		names.service = sys_service;
	if (!op.numeric_user)
		names.user = sys_user;

	struct sockets_query q = {
		.kinds = SK_KIND_BIT(SK_TCP) | SK_KIND_BIT(SK_UDP),
		.states = lsof_sel_states(&op.sel),
		.family = lsof_sel_family(&op.sel),
		.owners = true,
	};
	/* a state list that keeps nothing lsof can list: no need to ask */
	if (q.states && sockets_collect(&q, &t, err, sizeof(err))) {
		p_err("lsof: %s", err);
		lsof_sel_free(&op.sel);
		return EXIT_RUNTIME;
	}
	sockets_report_source();

	for (size_t i = 0; i < t.n; i++)
		nrows += t.v[i].nowners;
	rows = xcalloc(nrows ? nrows : 1, sizeof(*rows));
	nrows = 0;
	setservent(1);
	for (size_t i = 0; i < t.n; i++) {
		const struct sock_entry *e = &t.v[i];

		for (size_t k = 0; k < e->nowners; k++) {
			if (!lsof_sel_match(&op.sel, e, &e->owners[k]))
				continue;
			lsof_sel_mark(&op.sel, e, &e->owners[k]);
			lsof_fmt_row(&rows[nrows++], e, &e->owners[k], &names);
		}
	}
	endservent();
	lsof_sort_rows(rows, nrows);

	if (op.terse) {
		/* -t is for scripts: PIDs only, JSON or not */
		lsof_print_pids(stdout, rows, nrows);
		status = fflush(stdout) || ferror(stdout) ? EXIT_RUNTIME : 0;
	} else {
		print_init(stdout, g_opts.json);
		if (print_is_json())
			print_json(rows, nrows);
		else
			lsof_print_rows(stdout, rows, nrows);
		status = print_fini() ? EXIT_RUNTIME : 0;
		if (g_opts.json && !status) {
			/* the writer ends a top-level array without a newline */
			putchar('\n');
			status = fflush(stdout) ? EXIT_RUNTIME : 0;
		}
	}
	if (!status && !lsof_sel_all_found(&op.sel))
		status = 1; /* lsof: something asked for was not found */

	free(rows);
	sock_table_free(&t);
	cache_free(&hosts);
	cache_free(&users);
	lsof_sel_free(&op.sel);
	return status;
}
