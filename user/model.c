// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "model.h"
#include "util.h"

int model_read_stats(int fd, uint64_t out[SOCKTAP_STAT_MAX])
{
	int ncpu = libbpf_num_possible_cpus();
	uint64_t *vals;

	if (ncpu <= 0)
		return ncpu ? ncpu : -EINVAL;
	vals = xcalloc((size_t)ncpu, sizeof(*vals));
	for (__u32 k = 0; k < SOCKTAP_STAT_MAX; k++) {
		out[k] = 0;
		if (bpf_map_lookup_elem(fd, &k, vals)) {
			int err = -errno;

			free(vals);
			return err;
		}
		for (int c = 0; c < ncpu; c++)
			out[k] += vals[c];
	}
	free(vals);
	return 0;
}

/*
 * The first key of map fd into key: get_next_key without a key (NULL), as
 * the kernel defines it. 0 or -1 with errno (ENOENT: the map is empty).
 * Every such call goes through here, a frame of its own (not inlined, and
 * not a tail call: the result is mapped), so that the suppression of
 * valgrind's report of a read at NULL (tests/valgrind.supp) names this
 * call alone.
 */
static __attribute__((noinline)) int first_key(int fd, void *key)
{
	return bpf_map_get_next_key(fd, NULL, key) ? -1 : 0;
}

int model_read_state_counts(int fd, struct state_table *t)
{
	struct socktap_state_key key, next;
	size_t cap = 64;
	__u64 v;

	t->n = 0;
	t->rows = xcalloc(cap, sizeof(*t->rows));
	for (int r = first_key(fd, &next); r == 0; r = bpf_map_get_next_key(fd, &key, &next)) {
		key = next;
		/* deleted under us: skip it */
		if (bpf_map_lookup_elem(fd, &key, &v))
			continue;
		if (t->n == cap) {
			cap *= 2;
			t->rows = xrealloc(t->rows, cap * sizeof(*t->rows));
		}
		t->rows[t->n++] = (struct state_count){ .netns = key.netns,
							.from = key.oldstate,
							.to = key.newstate,
							.count = v };
	}
	if (errno != ENOENT) {
		int err = -errno;

		state_table_free(t);
		return err;
	}
	return 0;
}

void state_table_free(struct state_table *t)
{
	free(t->rows);
	t->rows = NULL;
	t->n = 0;
}

uint64_t state_table_get(const struct state_table *t, uint32_t netns, int from, int to)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->rows[i].netns == netns && t->rows[i].from == from && t->rows[i].to == to)
			return t->rows[i].count;
	return 0;
}

uint64_t state_table_diff(const struct state_table *before, const struct state_table *after,
			  uint32_t netns, struct state_table *out)
{
	uint64_t sum = 0;

	out->rows = xcalloc(after->n, sizeof(*out->rows));
	out->n = 0;
	for (size_t i = 0; i < after->n; i++) {
		const struct state_count *a = &after->rows[i];
		uint64_t d;

		if (netns && a->netns != netns)
			continue;
		d = a->count - state_table_get(before, a->netns, a->from, a->to);
		if (!d)
			continue;
		out->rows[out->n] = *a;
		out->rows[out->n++].count = d;
		sum += d;
	}
	return sum;
}

static int cmp_state_count(const void *pa, const void *pb)
{
	const struct state_count *a = pa, *b = pb;

	if (a->netns != b->netns)
		return a->netns < b->netns ? -1 : 1;
	if (a->from != b->from)
		return a->from < b->from ? -1 : 1;
	return (a->to > b->to) - (a->to < b->to);
}

void state_table_sort(struct state_table *t)
{
	if (t->n)
		qsort(t->rows, t->n, sizeof(*t->rows), cmp_state_count);
}

/* Entries per batch: bpf_map_lookup_batch copies this many at a time. */
#define READ_BATCH 256

/*
 * Calls cb for every entry of a hash map (or array) whose keys are ksz
 * bytes and values vsz (a per-CPU map's: all CPUs' values), in batches
 * where the kernel allows, else one entry at a time. 0 or -errno.
 */
static int read_hash(int fd, size_t ksz, size_t vsz,
		     void (*cb)(const void *key, const void *val, void *ctx), void *ctx)
{
	char *keys = xcalloc(READ_BATCH, ksz), *vals = xcalloc(READ_BATCH, vsz);
	char *key = xcalloc(2, ksz), *next = key + ksz;
	uint64_t in_batch = 0, out_batch = 0;
	bool first = true;
	__u32 count;
	int err, ret = 0;

	/* batches: a few syscalls for the whole table, not two per entry */
	for (;;) {
		LIBBPF_OPTS(bpf_map_batch_opts, opts);

		count = READ_BATCH;
		err = bpf_map_lookup_batch(fd, first ? NULL : &in_batch, &out_batch, keys, vals,
					   &count, &opts);
		if (err && errno != ENOENT)
			break;
		for (__u32 i = 0; i < count; i++)
			cb(keys + i * ksz, vals + i * vsz, ctx);
		if (err)
			goto out; /* ENOENT: that was the last batch */
		first = false;
		in_batch = out_batch;
	}
	if (!first || (errno != EINVAL && errno != ENOTSUP && errno != EOPNOTSUPP)) {
		ret = -errno;
		goto out;
	}
	/* a kernel without batch operations on hash maps: one entry at a time */
	if (first_key(fd, key)) {
		ret = errno == ENOENT ? 0 : -errno;
		goto out;
	}
	for (;;) {
		if (!bpf_map_lookup_elem(fd, key, vals))
			cb(key, vals, ctx);
		if (bpf_map_get_next_key(fd, key, next)) {
			ret = errno == ENOENT ? 0 : -errno;
			goto out;
		}
		memcpy(key, next, ksz);
	}
out:
	free(keys);
	free(vals);
	free(key);
	return ret;
}

struct udp_read {
	void (*cb)(uint64_t cookie, const struct socktap_udp *u, void *ctx);
	void *ctx;
};

static void on_udp_entry(const void *key, const void *val, void *ctx)
{
	const struct udp_read *r = ctx;
	uint64_t cookie;
	struct socktap_udp u;

	memcpy(&cookie, key, sizeof(cookie));
	memcpy(&u, val, sizeof(u));
	r->cb(cookie, &u, r->ctx);
}

int model_read_udp(int fd, void (*cb)(uint64_t cookie, const struct socktap_udp *u, void *ctx),
		   void *ctx)
{
	struct udp_read r = { cb, ctx };

	return read_hash(fd, sizeof(uint64_t), sizeof(struct socktap_udp), on_udp_entry, &r);
}

/* a reader of the split's per-CPU tables: the callback and the CPUs */
struct netdev_read {
	void (*cb)(const struct socktap_netdev_key *k, const struct socktap_netdev_count *c,
		   void *ctx);
	void *ctx;
	int ncpu;
};

static void on_netdev_entry(const void *key, const void *val, void *ctx)
{
	const struct netdev_read *r = ctx;
	struct socktap_netdev_key k;
	struct socktap_netdev_count sum = { 0 }, c;

	memcpy(&k, key, sizeof(k));
	for (int i = 0; i < r->ncpu; i++) {
		memcpy(&c, (const char *)val + (size_t)i * sizeof(c), sizeof(c));
		sum.tx_bytes += c.tx_bytes;
		sum.tx_packets += c.tx_packets;
		sum.rx_bytes += c.rx_bytes;
		sum.rx_packets += c.rx_packets;
	}
	r->cb(&k, &sum, r->ctx);
}

int model_read_netdev(int fd,
		      void (*cb)(const struct socktap_netdev_key *k,
				 const struct socktap_netdev_count *c, void *ctx),
		      void *ctx)
{
	struct netdev_read r = { cb, ctx, libbpf_num_possible_cpus() };

	if (r.ncpu <= 0)
		return r.ncpu ? r.ncpu : -EINVAL;
	/* per-CPU values come 8-byte aligned, one after another */
	return read_hash(fd, sizeof(struct socktap_netdev_key),
			 (size_t)r.ncpu * sizeof(struct socktap_netdev_count), on_netdev_entry, &r);
}

static void on_pending_slot(const void *key, const void *val, void *ctx)
{
	const struct netdev_read *r = ctx;
	struct socktap_netdev_pending p;

	(void)key;
	for (int i = 0; i < r->ncpu; i++) {
		memcpy(&p, (const char *)val + (size_t)i * sizeof(p), sizeof(p));
		if (p.c.tx_packets || p.c.rx_packets)
			r->cb(&p.key, &p.c, r->ctx);
	}
}

int model_read_netdev_pending(int fd,
			      void (*cb)(const struct socktap_netdev_key *k,
					 const struct socktap_netdev_count *c, void *ctx),
			      void *ctx)
{
	struct netdev_read r = { cb, ctx, libbpf_num_possible_cpus() };

	if (r.ncpu <= 0)
		return r.ncpu ? r.ncpu : -EINVAL;
	return read_hash(fd, sizeof(__u32), (size_t)r.ncpu * sizeof(struct socktap_netdev_pending),
			 on_pending_slot, &r);
}

int model_delete_netdev(int fd, const struct socktap_netdev_key *keys, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (bpf_map_delete_elem(fd, &keys[i]) && errno != ENOENT)
			return -errno;
	return 0;
}

static void count_one(const void *key, const void *val, void *ctx)
{
	(void)key;
	(void)val;
	(*(size_t *)ctx)++;
}

int model_count_entries(int fd, size_t key_size, size_t value_size, size_t *n)
{
	*n = 0;
	return read_hash(fd, key_size, value_size, count_one, n);
}
