/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading ahead on another thread: a producer fills chunks (nldump.c: a
 * netlink dump's datagrams) while the caller handles the ones before, in
 * order, on its own thread. Where the kernel does its work inside the read
 * (filling a dump's next datagram), the two overlap on two CPUs.
 */
#ifndef SOCKTAP_READAHEAD_H
#define SOCKTAP_READAHEAD_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ra_chunk {
	struct ra_chunk *next;
	uint8_t *buf; /* cap bytes (a fill may grow it), len of them filled */
	size_t len, cap;
};

/*
 * Fills k (k->len is 0 on entry): 1 if more is to come, 0 if this is the
 * last chunk, -1 with errno. Runs on the reader thread.
 */
typedef int (*ra_fill_fn)(void *ctx, struct ra_chunk *k);

struct readahead {
	ra_fill_fn fill;
	void *ctx;
	size_t chunk_size;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct ra_chunk *head, *tail; /* filled, not yet taken */
	struct ra_chunk *spare; /* given back, for reuse */
	bool ended; /* no more will be queued */
	bool stop; /* the caller gave up */
	int err; /* errno of a failed fill, 0 if none */
};

/* Starts the reader: 0, or -1 if no thread could be had (nothing to stop). */
int ra_start(struct readahead *r, ra_fill_fn fill, void *ctx, size_t chunk_size);
/* The next chunk, waiting for it; NULL once all are taken (or a fill failed). */
struct ra_chunk *ra_next(struct readahead *r);
/* Gives a chunk taken back for reuse. */
void ra_put(struct readahead *r, struct ra_chunk *k);
/* Stops the reader (if it still runs) and frees everything: the errno of a
 * failed fill, or 0. */
int ra_stop(struct readahead *r);

#endif
