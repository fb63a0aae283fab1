// SPDX-License-Identifier: GPL-2.0
/*
 * lsof's selection options (lsofspec.c), as `socktap lsof` takes them. Input:
 * one option a line, its first byte naming it and the rest its value:
 * "i" -i SPEC ("i" alone: -i), "s" -s, "p" -p, "u" -u, "c" -c, "a" -a.
 * Names resolve through the fake table (fuzz.h).
 *
 * Invariants: a refused value says why in one line; every table stays
 * within its bounds; every -i entry is a known family and protocol with a
 * port range in order; the finished selection matches, marks and formats
 * the sample sockets without fault.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include "fuzz.h"
#include "lsofspec.h"
#include "sockets.h"

static void check_sel(const struct lsof_sel *s)
{
	FUZZ_CHECK(s->ninet <= LSOF_INET_MAX);
	FUZZ_CHECK(s->ninet_args <= LSOF_INET_ARGS_MAX);
	FUZZ_CHECK(s->npids <= LSOF_IDS_MAX && s->nuids <= LSOF_IDS_MAX);
	FUZZ_CHECK(s->ncmds <= LSOF_CMDS_MAX && s->nrx <= LSOF_RX_MAX);
	FUZZ_CHECK(((s->state_incl | s->state_excl) >> LSOF_NSTATES) == 0);
	for (unsigned int i = 0; i < s->ninet; i++) {
		const struct lsof_inet *in = &s->inet[i];

		FUZZ_CHECK(in->family == 0 || in->family == AF_INET || in->family == AF_INET6);
		FUZZ_CHECK(in->proto == 0 || in->proto == IPPROTO_TCP || in->proto == IPPROTO_UDP ||
			   in->proto == IPPROTO_UDPLITE);
		FUZZ_CHECK(in->sport == -1 ||
			   (in->sport >= 0 && in->sport <= in->eport && in->eport <= 65535));
		FUZZ_CHECK(in->arg < LSOF_INET_ARGS_MAX);
		FUZZ_CHECK(!in->has_addr || in->family != 0);
	}
	for (unsigned int i = 0; i < s->ncmds; i++)
		FUZZ_CHECK(s->cmds[i].len <= LSOF_CMD_LEN &&
			   strlen(s->cmds[i].str) == s->cmds[i].len);
}

static void use_sel(struct lsof_sel *s)
{
	const struct sock_entry *v;
	size_t n;

	v = fuzz_sockets(&n);
	for (size_t i = 0; i < n; i++) {
		const struct sock_owner *o = fuzz_owner(i);

		if (lsof_sel_match(s, &v[i], o))
			lsof_sel_mark(s, &v[i], o);
		if (v[i].family == AF_INET || v[i].family == AF_INET6) {
			/* the header and one row, each a whole line */
			struct lsof_ref ref = lsof_ref_of(&v[i], o);
			char *out = NULL;
			size_t len = 0;
			FILE *f = open_memstream(&out, &len);

			if (!f)
				abort();
			lsof_print_table(f, &ref, 1, NULL);
			fclose(f);
			FUZZ_CHECK(len > 0 && out[len - 1] == '\n' &&
				   (char *)memchr(out, '\n', len) < out + len - 1);
			free(out);
		}
	}
	(void)lsof_sel_all_found(s);
	FUZZ_CHECK((lsof_sel_states(s) >> 14) == 0);
	n = lsof_sel_family(s);
	FUZZ_CHECK(n == 0 || n == AF_INET || n == AF_INET6);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_parts lines;
	struct lsof_sel *s = malloc(sizeof(*s));
	bool ok = true;
	char err[256];

	if (!s)
		abort();
	lsof_sel_init(s);
	fuzz_split(&lines, data, size, '\n', FUZZ_PARTS_MAX);
	for (int i = 0; i < lines.n && ok; i++) {
		const char *val = lines.v[i][0] ? lines.v[i] + 1 : "";
		int r = 0;

		memset(err, 'x', sizeof(err));
		err[0] = '\0';
		switch (lines.v[i][0]) {
		case 'i':
			r = lsof_sel_add_inet(s, lines.len[i] > 1 ? val : NULL, &test_resolver, err,
					      sizeof(err));
			break;
		case 's':
			r = lsof_sel_add_state(s, val, err, sizeof(err));
			break;
		case 'p':
			r = lsof_sel_add_pids(s, val, err, sizeof(err));
			break;
		case 'u':
			r = lsof_sel_add_users(s, val, &test_resolver, err, sizeof(err));
			break;
		case 'c':
			r = lsof_sel_add_cmd(s, val, err, sizeof(err));
			break;
		case 'a':
			s->and = true;
			break;
		default:
			continue;
		}
		FUZZ_CHECK(memchr(err, '\0', sizeof(err)));
		if (r) {
			FUZZ_CHECK(r == -1);
			FUZZ_CHECK(err[0] != '\0' && !strchr(err, '\n'));
			ok = false;
		}
		check_sel(s);
	}
	if (ok && lsof_sel_check(s, err, sizeof(err)) == 0)
		use_sel(s);
	lsof_sel_free(s);
	free(s);
	fuzz_parts_free(&lines);
	return 0;
}
