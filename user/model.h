/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The model layer: turns the kernel's maps into plain tables that views
 * choose rows from. It takes map fds from the loader and never sees the
 * skeleton.
 */
#ifndef SOCKTAP_MODEL_H
#define SOCKTAP_MODEL_H

#include <stddef.h>
#include <stdint.h>
#include "socktap.h"

/* Sums the per-CPU stats array. Returns 0 or -errno. */
int model_read_stats(int fd, uint64_t out[SOCKTAP_STAT_MAX]);

struct state_count {
	uint32_t netns;
	uint8_t from, to; /* SOCKTAP_TCP_* */
	uint64_t count;
};

struct state_table {
	struct state_count *rows;
	size_t n;
};

/* Reads the state_counts map. Returns 0 or -errno; free with state_table_free. */
int model_read_state_counts(int fd, struct state_table *t);
void state_table_free(struct state_table *t);
/*
 * out = after - before, rows with a zero difference left out; netns 0 keeps
 * every namespace. Returns the sum of the differences.
 */
uint64_t state_table_diff(const struct state_table *before, const struct state_table *after,
			  uint32_t netns, struct state_table *out);
/* Orders rows by netns, then from, then to. */
void state_table_sort(struct state_table *t);
/* The count of from->to in netns (0 if absent). */
uint64_t state_table_get(const struct state_table *t, uint32_t netns, int from, int to);

/*
 * Calls cb for every entry of the udp_socks map (UDP sockets counted by the
 * per-call hooks), read in batches where the kernel allows. 0 or -errno.
 */
int model_read_udp(int fd, void (*cb)(uint64_t cookie, const struct socktap_udp *u, void *ctx),
		   void *ctx);

/*
 * Calls cb for every entry of the netdev_split map (nload's split), its
 * per-CPU counts summed. 0 or -errno.
 */
int model_read_netdev(int fd,
		      void (*cb)(const struct socktap_netdev_key *k,
				 const struct socktap_netdev_count *c, void *ctx),
		      void *ctx);
/*
 * Calls cb for each CPU's pending counts in netdev_pending (those not yet
 * moved into netdev_split). Read after netdev_split: a move in between is
 * then missed once, never counted twice. 0 or -errno.
 */
int model_read_netdev_pending(int fd,
			      void (*cb)(const struct socktap_netdev_key *k,
					 const struct socktap_netdev_count *c, void *ctx),
			      void *ctx);
/* How many entries a hash map holds now (read in batches). 0 or -errno. */
int model_count_entries(int fd, size_t key_size, size_t value_size, size_t *n);
/* Removes entries of the netdev_split map (absent ones are no error). 0 or -errno. */
int model_delete_netdev(int fd, const struct socktap_netdev_key *keys, size_t n);

#endif
