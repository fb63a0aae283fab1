// SPDX-License-Identifier: GPL-2.0
/*
 * The listing iterators' records (iter_decode.c): socktap_iter_sock (TCP,
 * UDP, with their optional mem and tcpinfo parts), socktap_iter_unix (with
 * mem and the waiting connections' inodes) and socktap_iter_file, as the
 * BPF iterators write them and socktap reads them back. Input: byte 0
 * picks the decoder and the kernel's HZ, the rest is the buffer, handed
 * over at an odd address.
 *
 * Invariants: -1 or the count of records; rows are sound and write valid
 * JSON (fuzz_check_rows); owners land only on rows of their inode.
 */
#include <string.h>
#include "fuzz.h"
#include "iter_decode.h"
#include "sockets.h"

static const unsigned int hzs[4] = { 100, 250, 300, 1000 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sock_table t = { 0 };
	struct file_index fx;
	uint8_t *buf;
	size_t len;
	long r;

	if (size < 1)
		return 0;
	len = size - 1;
	buf = malloc(len + 1);
	if (!buf)
		abort();
	if (len)
		memcpy(buf + 1, data + 1, len);
	switch (data[0] % 4) {
	case 0:
	case 1:
		r = iter_decode_socks(buf + 1, len, data[0] % 4 ? SK_UDP : SK_TCP,
				      hzs[(data[0] / 4) % 4], &t);
		FUZZ_CHECK(r >= -1);
		if (r >= 0)
			FUZZ_CHECK((size_t)r == t.n);
		fuzz_check_rows(&t, 0);
		break;
	case 2:
		r = iter_decode_unix(buf + 1, len, &t);
		FUZZ_CHECK(r >= -1);
		if (r >= 0)
			FUZZ_CHECK((size_t)r == t.n);
		fuzz_check_rows(&t, 0);
		break;
	default:
		/* sockets of inodes 1 to 4, inode 2 twice (two sources) and one of none */
		for (uint64_t ino = 0; ino <= 5; ino++)
			sock_table_add(&t)->inode = ino == 5 ? 2 : ino;
		r = file_index_build(&fx, buf + 1, len);
		FUZZ_CHECK(r == 0 || r == -1);
		FUZZ_CHECK(r == 0 || (!fx.n && !fx.keys));
		/* in two pieces, as entries come while the tables are read */
		file_index_join(&fx, &t, 0, 3);
		file_index_join(&fx, &t, 3, t.n + 2);
		file_index_free(&fx);
		for (size_t i = 0; i < t.n; i++) {
			if (t.v[i].inode == 0)
				FUZZ_CHECK(t.v[i].nowners == 0);
			for (size_t k = 1; k < t.v[i].nowners; k++)
				FUZZ_CHECK(t.v[i].owners[k - 1].pid < t.v[i].owners[k].pid ||
					   (t.v[i].owners[k - 1].pid == t.v[i].owners[k].pid &&
					    t.v[i].owners[k - 1].fd <= t.v[i].owners[k].fd));
		}
		fuzz_check_rows(&t, 0);
		break;
	}
	free(buf);
	sock_table_free(&t);
	return 0;
}
