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

int model_read_state_counts(int fd, struct state_table *t)
{
	struct socktap_state_key key, next;
	size_t cap = 64;
	void *prev = NULL;
	__u64 v;

	t->n = 0;
	t->rows = xcalloc(cap, sizeof(*t->rows));
	while (bpf_map_get_next_key(fd, prev, &next) == 0) {
		key = next;
		prev = &key;
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
#define UDP_BATCH 256

int model_read_udp(int fd, void (*cb)(uint64_t cookie, const struct socktap_udp *u, void *ctx),
		   void *ctx)
{
	static uint64_t keys[UDP_BATCH];
	static struct socktap_udp vals[UDP_BATCH];
	uint64_t in_batch = 0, out_batch = 0, key, next;
	bool first = true;
	__u32 count;
	int err;

	/* batches: a few syscalls for the whole table, not two per entry */
	for (;;) {
		LIBBPF_OPTS(bpf_map_batch_opts, opts);

		count = UDP_BATCH;
		err = bpf_map_lookup_batch(fd, first ? NULL : &in_batch, &out_batch, keys, vals,
					   &count, &opts);
		if (err && errno != ENOENT)
			break;
		for (__u32 i = 0; i < count; i++)
			cb(keys[i], &vals[i], ctx);
		if (err)
			return 0; /* ENOENT: that was the last batch */
		first = false;
		in_batch = out_batch;
	}
	if (!first || (errno != EINVAL && errno != ENOTSUP && errno != EOPNOTSUPP))
		return -errno;
	/* a kernel without batch operations on hash maps: one entry at a time */
	if (bpf_map_get_next_key(fd, NULL, &key))
		return errno == ENOENT ? 0 : -errno;
	for (;;) {
		struct socktap_udp u;

		if (!bpf_map_lookup_elem(fd, &key, &u))
			cb(key, &u, ctx);
		if (bpf_map_get_next_key(fd, &key, &next))
			return errno == ENOENT ? 0 : -errno;
		key = next;
	}
}
