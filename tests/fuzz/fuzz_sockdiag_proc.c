// SPDX-License-Identifier: GPL-2.0
/*
 * The /proc/net files that stand in for missing sock_diag modules
 * (sockdiag_parse.c): /proc/net/raw and raw6 (the layout of /proc/net/tcp),
 * /proc/net/netlink and /proc/net/packet. Input: byte 0 picks the file
 * (and whether a query filters rows), the rest is its text, not
 * NUL-terminated (the parsers take a length).
 *
 * Invariants: as fuzz_sockdiag: -1 leaves the table as it was, else the
 * count of rows added, which are sound and write valid JSON.
 */
#include <string.h>
#include <sys/socket.h>
#include "fuzz.h"
#include "sockdiag_parse.h"
#include "sockets.h"
#include "socktap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sockets_query q = { .kinds = SK_KIND_BIT(SK_RAW) | SK_KIND_BIT(SK_PACKET_RAW),
				   .states = 1u << SOCKTAP_TCP_CLOSE,
				   .family = AF_INET6 };
	const struct sockets_query *qp;
	struct sock_table t = { 0 };
	const char *text;
	size_t len;
	int r;

	if (size < 1)
		return 0;
	qp = data[0] & 8 ? &q : NULL;
	text = (const char *)data + 1;
	len = size - 1;
	sock_table_add(&t)->inode = 42;
	switch (data[0] % 5) {
	case 0:
		r = sockdiag_parse_proc_raw(text, len, AF_INET, qp, 7, &t);
		break;
	case 1:
		r = sockdiag_parse_proc_raw(text, len, AF_INET6, qp, 7, &t);
		break;
	case 2:
		r = sockdiag_parse_proc_netlink(text, len, qp, 7, &t);
		break;
	case 3:
		r = sockdiag_parse_proc_packet(text, len, qp, 7, &t);
		break;
	default:
		/* a family the raw files do not have */
		r = sockdiag_parse_proc_raw(text, len, AF_UNIX, qp, 7, &t);
		FUZZ_CHECK(r == -1);
		break;
	}
	if (r < 0) {
		FUZZ_CHECK(r == -1 && t.n == 1 && t.v[0].inode == 42);
	} else {
		FUZZ_CHECK(t.n == 1 + (size_t)r);
		fuzz_check_rows(&t, 1);
	}
	sock_table_free(&t);
	return 0;
}
