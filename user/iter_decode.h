/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Turns the iterators' records (include/socktap.h) into socket table
 * entries, doing the sums and unit conversions tcp_get_info() and the diag
 * modules do in the kernel. Pure: tests feed it recorded buffers.
 */
#ifndef SOCKTAP_ITER_DECODE_H
#define SOCKTAP_ITER_DECODE_H

#include <stddef.h>
#include <stdint.h>
#include "sockets.h"
#include "socktap.h"

/*
 * Appends the socktap_iter_sock records in buf (with their optional parts)
 * as entries of kind (SK_TCP or SK_UDP). hz: the kernel's timer frequency.
 * Returns the number appended, or -1 if buf ends inside a record.
 */
long iter_decode_socks(const void *buf, size_t len, enum sock_kind kind, unsigned int hz,
		       struct sock_table *t);
/*
 * Counts the socktap_iter_sock records of buf by state (counts[state]++ for
 * state < nstates), decoding nothing else. Returns the records, or -1.
 */
long iter_count_socks(const void *buf, size_t len, uint64_t *counts, size_t nstates);
/* The same for socktap_iter_unix records. */
long iter_decode_unix(const void *buf, size_t len, struct sock_table *t);
/*
 * Adds the owners in the socktap_iter_file records of buf to the entries of
 * t with the same inode (ix indexes t). Returns the number of records, or -1.
 */
long iter_decode_files(const void *buf, size_t len, const struct sock_index *ix,
		       struct sock_table *t);
/*
 * Appends the held iterator's records (a socktap_iter_sock, then its
 * holder's socktap_iter_file, per socket fd) to t: one entry per socket,
 * with an owner per fd. Returns the number of records, or -1 if buf ends
 * inside one.
 */
long iter_decode_held(const void *buf, size_t len, unsigned int hz, struct sock_table *t);
/* The size of one of the held iterator's records: a socket's, then its holder's. */
#define ITER_HELD_REC (sizeof(struct socktap_iter_sock) + sizeof(struct socktap_iter_file))
/*
 * The same for one chunk of a walk read piece by piece: ix indexes t's
 * entries by inode across the chunks (sock_index_init with any size; it
 * grows), so a socket seen in an earlier chunk gets the new owner.
 */
long iter_decode_held_chunk(const void *buf, size_t len, unsigned int hz, struct sock_table *t,
			    struct sock_index *ix);

#endif
