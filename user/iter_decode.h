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
 * The file iterator's records by inode, to join them to entries as the
 * entries come (file_index_join), where the walk ended before the tables
 * were read: records point into the caller's buffer, which must outlive
 * the index.
 */
struct file_index {
	const char *rec; /* socktap_iter_file records, back to back */
	size_t n;
	uint64_t *keys; /* inode, 0: empty slot */
	uint32_t *first; /* the slot's first record */
	uint32_t *next; /* per record: the next with the same inode, UINT32_MAX: none */
	size_t mask;
};

/* Indexes buf's records. 0, or -1 if buf ends inside one (fx then empty). */
int file_index_build(struct file_index *fx, const void *buf, size_t len);
/* Adds to entries [from, to) of t the holders fx has for their inodes. */
void file_index_join(const struct file_index *fx, struct sock_table *t, size_t from, size_t to);
void file_index_free(struct file_index *fx);

/* The size of one of the held iterator's records: a socket's, then its holder's. */
#define ITER_HELD_REC (sizeof(struct socktap_iter_sock) + sizeof(struct socktap_iter_file))
/*
 * Appends the held iterator's records in buf (a socktap_iter_sock, then its
 * holder's socktap_iter_file, per socket fd) to t: one entry per socket,
 * with an owner per fd. The walk is read chunk by chunk: ix indexes t's
 * entries by inode across the chunks (sock_index_init with any size; it
 * grows), so a socket met in an earlier chunk gets the new owner. Returns
 * the number of records, or -1 if buf ends inside one.
 */
long iter_decode_held_chunk(const void *buf, size_t len, unsigned int hz, struct sock_table *t,
			    struct sock_index *ix);

#endif
