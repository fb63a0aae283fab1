// SPDX-License-Identifier: GPL-2.0
/*
 * sock_diag dump replies (sockdiag_parse.c): inet_diag (TCP, UDP, raw),
 * unix_diag, netlink_diag and packet_diag messages, as the fallback
 * listing reads them from the kernel. Input: byte 0 picks the kind (the
 * dump asked for), byte 1 the query (none, or kinds, states, family), the
 * rest is the reply buffer, handed over at an odd address (the parser
 * promises to need no alignment).
 *
 * Invariants: the result is -1 or the count of rows added, and a refused
 * buffer leaves the table as it was; the rows are sound and write valid
 * JSON (fuzz_check_rows).
 */
#include <string.h>
#include <sys/socket.h>
#include "fuzz.h"
#include "sockdiag_parse.h"
#include "sockets.h"
#include "socktap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sockets_query q = { 0 }, *qp = NULL;
	struct sock_table t = { 0 };
	enum sock_kind kind;
	uint8_t *buf;
	size_t len;
	int r;

	if (size < 2)
		return 0;
	kind = (enum sock_kind)(data[0] % (SK_KIND_MAX + 1));
	if (data[1] & 1) {
		qp = &q;
		q.kinds = data[1] & 2 ? SK_KIND_BIT(kind) : 0;
		q.states = data[1] & 4 ? 1u << SOCKTAP_TCP_LISTEN | 1u << SOCKTAP_TCP_ESTABLISHED :
					 0;
		q.family = data[1] & 8 ? AF_INET : data[1] & 16 ? AF_INET6 : 0;
		q.mem = data[1] & 32;
		q.tcpinfo = data[1] & 64;
	}
	len = size - 2;
	/* one row there already: a refusal must leave it, and only it */
	sock_table_add(&t)->inode = 42;
	buf = malloc(len + 1);
	if (!buf)
		abort();
	if (len)
		memcpy(buf + 1, data + 2, len);
	r = sockdiag_parse(buf + 1, len, kind, qp, 4026531840u, &t);
	free(buf);
	if (kind >= SK_KIND_MAX)
		FUZZ_CHECK(r == -1);
	if (r < 0) {
		FUZZ_CHECK(r == -1 && t.n == 1 && t.v[0].inode == 42);
	} else {
		FUZZ_CHECK(t.n == 1 + (size_t)r);
		fuzz_check_rows(&t, 1);
	}
	sock_table_free(&t);
	return 0;
}
