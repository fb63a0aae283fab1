// SPDX-License-Identifier: GPL-2.0
/*
 * nload's split (ifsplit.h). Two tables: the kernel's entries as last read
 * (key: the kernel's key), and the rows they add up to (key: device,
 * grouping, reason and owner), which keep the counts of entries removed
 * from the kernel and their last figures for the rates.
 */
#include <stdlib.h>
#include <string.h>
#include "ifsplit.h"
#include "keytab.h"
#include "util.h"

struct entry {
	struct keynode n; /* key: struct socktap_netdev_key */
	struct socktap_netdev_count c; /* as last read, less start */
	struct socktap_netdev_count raw, start; /* as read; at the first refresh */
	struct split_owner owner;
	bool has_owner;
	uint32_t netns; /* the device's; 0 not known: counted on no device */
	uint64_t cgroup; /* the socket's, where the key has none; 0 not known */
	unsigned long changed, seen; /* refreshes its counts last moved, it was last read */
};

/* IP bytes and packets, both directions */
struct counts {
	uint64_t rx_bytes, tx_bytes, rx_packets, tx_packets;
};

struct rowst {
	struct keynode n; /* key: row_key() */
	struct split_row row; /* identity; figures of the last ifsplit_end */
	struct counts base; /* entries folded in: removed from the kernel */
	struct counts live; /* entries in the kernel now */
	unsigned int entries; /* how many */
	double active_t; /* when its counts last moved */
	uint64_t cur_rx, cur_tx; /* cumulative bytes at refresh ref */
	uint64_t prev_rx, prev_tx; /* and at the one before it was figured */
	double cur_t, prev_t;
	bool has_cur, has_prev; /* cur_* and prev_* hold a refresh's figures */
	unsigned long ref;
};

/* one device's rows of one grouping in out[] */
struct slice {
	uint32_t netns, ifindex;
	enum split_by by;
	size_t off, n;
};

struct ifsplit {
	struct keytab entries, rows;
	unsigned long nref;
	double now, before; /* this refresh's time and the last one's */
	struct socktap_netdev_key *remove;
	size_t nremove, cap_remove;
	struct split_row *out;
	size_t nout, cap_out;
	struct slice *slices;
	size_t nslices, cap_slices;
	struct rowst **tmp;
	size_t cap_tmp;
};

const char *split_reason_name(enum split_reason r)
{
	static const char *const names[SPLIT_REASON_MAX] = {
		[SPLIT_FORWARDED] = "forwarded",       [SPLIT_NO_SOCKET] = "no_socket",
		[SPLIT_OTHER_SOCKET] = "other_socket", [SPLIT_GONE] = "gone",
		[SPLIT_REMAINDER] = "remainder",
	};

	return r < SPLIT_REASON_MAX ? names[r] : NULL;
}

struct ifsplit *ifsplit_new(void)
{
	return xcalloc(1, sizeof(struct ifsplit));
}

void ifsplit_free(struct ifsplit *S)
{
	if (!S)
		return;
	keytab_free(&S->entries, NULL);
	keytab_free(&S->rows, NULL);
	free(S->remove);
	free(S->out);
	free(S->slices);
	free(S->tmp);
	free(S);
}

void ifsplit_begin(struct ifsplit *S, double now)
{
	S->nref++;
	S->before = S->now;
	S->now = now;
	S->nremove = 0;
}

void ifsplit_entry(struct ifsplit *S, const struct socktap_netdev_key *k,
		   const struct socktap_netdev_count *c, uint32_t netns, uint64_t cgroup,
		   const struct split_owner *owner)
{
	uint8_t key[KEYTAB_KEY];
	struct entry *e;
	bool added;

	_Static_assert(sizeof(*k) == KEYTAB_KEY, "a kernel key is a table key");
	memcpy(key, k, sizeof(key));
	e = keytab_get(&S->entries, key, sizeof(*e), &added);
	if (added || memcmp(&e->raw, c, sizeof(*c)))
		e->changed = S->nref;
	/* the first refresh's counts came before the split started */
	if (added && S->nref == 1)
		e->start = *c;
	e->raw = *c;
	e->c.rx_bytes = c->rx_bytes - e->start.rx_bytes;
	e->c.tx_bytes = c->tx_bytes - e->start.tx_bytes;
	e->c.rx_packets = c->rx_packets - e->start.rx_packets;
	e->c.tx_packets = c->tx_packets - e->start.tx_packets;
	e->seen = S->nref;
	/* a namespace, once known, stays (its owner may be forgotten) */
	if (netns)
		e->netns = netns;
	if (cgroup)
		e->cgroup = cgroup;
	/* an owner, once known, stays: a closed socket's is forgotten upstream */
	if (owner) {
		e->owner = *owner;
		e->has_owner = true;
	}
}

void ifsplit_keep(struct ifsplit *S, const struct socktap_netdev_key *k)
{
	uint8_t key[KEYTAB_KEY];
	struct entry *e;

	memcpy(key, k, sizeof(key));
	e = (struct entry *)keytab_find(&S->entries, key);
	if (e)
		e->changed = S->nref;
}

/* Row key: netns, ifindex, grouping, reason, then the owner's identity. */
static void row_key(uint8_t key[KEYTAB_KEY], uint32_t netns, uint32_t ifindex, enum split_by by,
		    enum split_reason reason, uint64_t id1, uint64_t id2)
{
	memset(key, 0, KEYTAB_KEY);
	memcpy(key, &netns, 4);
	memcpy(key + 4, &ifindex, 4);
	key[8] = (uint8_t)by;
	key[9] = (uint8_t)reason;
	memcpy(key + 16, &id1, 8);
	memcpy(key + 24, &id2, 8);
}

static struct rowst *row_get(struct ifsplit *S, uint32_t netns, uint32_t ifindex, enum split_by by,
			     enum split_reason reason, uint64_t id1, uint64_t id2)
{
	uint8_t key[KEYTAB_KEY];
	struct rowst *r;
	bool added;

	row_key(key, netns, ifindex, by, reason, id1, id2);
	r = keytab_get(&S->rows, key, sizeof(*r), &added);
	if (added)
		r->row.reason = reason;
	return r;
}

/* The row of an entry in a grouping, its identity filled when new. */
static struct rowst *row_of(struct ifsplit *S, const struct entry *e, enum split_by by)
{
	struct socktap_netdev_key k;
	struct rowst *r;

	memcpy(&k, e->n.key, sizeof(k));
	if (k.reason == SOCKTAP_NETDEV_FORWARDED)
		return row_get(S, e->netns, k.ifindex, by, SPLIT_FORWARDED, 0, 0);
	if (k.reason != SOCKTAP_NETDEV_SOCKET)
		return row_get(S, e->netns, k.ifindex, by, SPLIT_NO_SOCKET, 0, 0);
	/* no cookie: a socket nothing asked about, the kernel's own */
	if (!k.cookie || (by == SPLIT_BY_PROCESS && !e->has_owner))
		return row_get(S, e->netns, k.ifindex, by, SPLIT_OTHER_SOCKET, 0, 0);
	if (by == SPLIT_BY_CGROUP) {
		/* the socket's own cgroup (the key's, or its other keys'); a
		 * TIME-WAIT socket's is its owner's */
		uint64_t cg = k.cgroup	   ? k.cgroup :
			      e->cgroup	   ? e->cgroup :
			      e->has_owner ? e->owner.cgroup :
					     0;

		if (!cg)
			return row_get(S, e->netns, k.ifindex, by, SPLIT_OTHER_SOCKET, 0, 0);
		r = row_get(S, e->netns, k.ifindex, by, SPLIT_OWNED, cg, 0);
		r->row.cgroup = cg;
		return r;
	}
	r = row_get(S, e->netns, k.ifindex, by, SPLIT_OWNED, e->owner.pid, e->owner.start_time);
	if (!r->row.pid) {
		r->row.pid = e->owner.pid;
		r->row.start_time = e->owner.start_time;
		r->row.uid = e->owner.uid;
		r->row.cgroup = e->owner.cgroup;
		memcpy(r->row.comm, e->owner.comm, sizeof(r->row.comm));
		r->row.comm[sizeof(r->row.comm) - 1] = '\0';
	}
	return r;
}

static void counts_add(struct counts *to, const struct socktap_netdev_count *c)
{
	to->rx_bytes += c->rx_bytes;
	to->tx_bytes += c->tx_bytes;
	to->rx_packets += c->rx_packets;
	to->tx_packets += c->tx_packets;
}

/* Sums the entries into their rows; folds and lists the idle ones. */
static void gather(struct ifsplit *S, unsigned int idle)
{
	for (size_t i = 0; i < S->rows.nb; i++) {
		for (struct keynode *n = S->rows.b[i]; n; n = n->next) {
			memset(&((struct rowst *)n)->live, 0, sizeof(struct counts));
			((struct rowst *)n)->entries = 0;
		}
	}
	for (size_t i = 0; i < S->entries.nb; i++) {
		for (struct keynode **pn = &S->entries.b[i], *n; (n = *pn);) {
			struct entry *e = (struct entry *)n;
			/* gone from the kernel (not by us), or still too long */
			bool fold = e->seen != S->nref || (idle && S->nref - e->changed >= idle);

			/* no device known (a raw socket's ingress): its
			 * packets stay in their device's remainder */
			for (int by = 0; e->netns && by < SPLIT_BY_MAX; by++) {
				struct rowst *r = row_of(S, e, by);

				counts_add(fold ? &r->base : &r->live, &e->c);
				r->entries += !fold;
			}
			if (!fold) {
				pn = &n->next;
				continue;
			}
			if (e->seen == S->nref) {
				if (S->nremove == S->cap_remove) {
					S->cap_remove = S->cap_remove ? S->cap_remove * 2 : 64;
					S->remove = xrealloc(S->remove,
							     S->cap_remove * sizeof(*S->remove));
				}
				memcpy(&S->remove[S->nremove++], n->key, KEYTAB_KEY);
			}
			*pn = n->next;
			S->entries.n--;
			free(n);
		}
	}
}

/* A row's cumulative figures with the link headers, and its rates. */
static void figure(struct ifsplit *S, struct rowst *r, unsigned int hdr)
{
	struct split_row *o = &r->row;

	o->rx_packets = r->base.rx_packets + r->live.rx_packets;
	o->tx_packets = r->base.tx_packets + r->live.tx_packets;
	o->rx_bytes = r->base.rx_bytes + r->live.rx_bytes + (uint64_t)hdr * o->rx_packets;
	o->tx_bytes = r->base.tx_bytes + r->live.tx_bytes + (uint64_t)hdr * o->tx_packets;
	if (r->ref != S->nref) {
		/* new: it had nothing at the last refresh (the first has none) */
		if (!r->ref) {
			r->cur_t = S->before;
			r->has_cur = S->nref > 1;
		}
		r->prev_rx = r->cur_rx;
		r->prev_tx = r->cur_tx;
		r->prev_t = r->cur_t;
		r->has_prev = r->has_cur;
		r->ref = S->nref;
	}
	if (!r->has_cur || o->rx_bytes != r->cur_rx || o->tx_bytes != r->cur_tx)
		r->active_t = S->now;
	r->cur_rx = o->rx_bytes;
	r->cur_tx = o->tx_bytes;
	r->cur_t = S->now;
	r->has_cur = true;
	o->rx_bps = o->tx_bps = 0;
	/* a row whose owner became known later may jump: never a negative rate */
	if (r->has_prev && S->now > r->prev_t) {
		if (r->cur_rx > r->prev_rx)
			o->rx_bps = (double)(r->cur_rx - r->prev_rx) / (S->now - r->prev_t);
		if (r->cur_tx > r->prev_tx)
			o->tx_bps = (double)(r->cur_tx - r->prev_tx) / (S->now - r->prev_t);
	}
}

static int cmp_rows(const void *pa, const void *pb)
{
	const struct split_row *a = pa, *b = pb;
	double ra = a->rx_bps + a->tx_bps, rb = b->rx_bps + b->tx_bps;
	uint64_t ta = a->rx_bytes + a->tx_bytes, tb = b->rx_bytes + b->tx_bytes;

	if (a->reason != b->reason)
		return a->reason < b->reason ? -1 : 1;
	if (ra != rb)
		return ra > rb ? -1 : 1;
	if (ta != tb)
		return ta > tb ? -1 : 1;
	if (a->pid != b->pid)
		return a->pid < b->pid ? -1 : 1;
	return (a->cgroup > b->cgroup) - (a->cgroup < b->cgroup);
}

static uint64_t less(uint64_t total, uint64_t part)
{
	return total > part ? total - part : 0;
}

/*
 * Past IFSPLIT_OWNERS_KEEP owners' rows in S->tmp[0..n), all those with
 * no entry in the kernel and still for IFSPLIT_GONE_S fold into the "gone"
 * row, their figures at the last refresh with them (its rate does not
 * jump). Returns how many rows are left in S->tmp.
 */
static size_t fold_gone(struct ifsplit *S, const struct split_dev *d, enum split_by by, size_t n)
{
	struct rowst *gone = NULL;
	size_t owners = 0, k = 0;

	for (size_t i = 0; i < n; i++)
		owners += S->tmp[i]->row.reason == SPLIT_OWNED;
	if (owners <= IFSPLIT_OWNERS_KEEP)
		return n;
	for (size_t i = 0; i < n; i++) {
		struct rowst *r = S->tmp[i];

		if (r->row.reason != SPLIT_OWNED || r->entries ||
		    S->now - r->active_t < IFSPLIT_GONE_S) {
			S->tmp[k++] = r;
			continue;
		}
		if (!gone)
			gone = row_get(S, d->netns, d->ifindex, by, SPLIT_GONE, 0, 0);
		gone->base.rx_bytes += r->base.rx_bytes;
		gone->base.tx_bytes += r->base.tx_bytes;
		gone->base.rx_packets += r->base.rx_packets;
		gone->base.tx_packets += r->base.tx_packets;
		gone->cur_rx += r->cur_rx;
		gone->cur_tx += r->cur_tx;
		keytab_remove(&S->rows, &r->n);
		free(r);
	}
	/* a new gone row joins this refresh's rows */
	if (gone && !gone->ref)
		S->tmp[k++] = gone;
	return k;
}

/* The rows of one device and grouping into out[], the remainder last. */
static void device_rows(struct ifsplit *S, const struct split_dev *d, enum split_by by)
{
	struct slice *sl;
	struct rowst *rem;
	struct split_row sum = { 0 };
	size_t n = 0;

	for (size_t i = 0; i < S->rows.nb; i++) {
		for (struct keynode *k = S->rows.b[i]; k; k = k->next) {
			struct rowst *r = (struct rowst *)k;
			uint32_t netns, ifindex;

			memcpy(&netns, k->key, 4);
			memcpy(&ifindex, k->key + 4, 4);
			if (netns != d->netns || ifindex != d->ifindex || k->key[8] != by ||
			    r->row.reason == SPLIT_REMAINDER)
				continue;
			if (n == S->cap_tmp) {
				S->cap_tmp = S->cap_tmp ? S->cap_tmp * 2 : 64;
				S->tmp = xrealloc(S->tmp, S->cap_tmp * sizeof(*S->tmp));
			}
			S->tmp[n++] = r;
		}
	}
	n = fold_gone(S, d, by, n);
	if (S->nout + n + 1 > S->cap_out) {
		S->cap_out = (S->nout + n + 1) * 2;
		S->out = xrealloc(S->out, S->cap_out * sizeof(*S->out));
	}
	if (S->nslices == S->cap_slices) {
		S->cap_slices = S->cap_slices ? S->cap_slices * 2 : 16;
		S->slices = xrealloc(S->slices, S->cap_slices * sizeof(*S->slices));
	}
	sl = &S->slices[S->nslices++];
	sl->netns = d->netns;
	sl->ifindex = d->ifindex;
	sl->by = by;
	sl->off = S->nout;
	for (size_t i = 0; i < n; i++) {
		figure(S, S->tmp[i], d->hdr);
		sum.rx_bytes += S->tmp[i]->row.rx_bytes;
		sum.tx_bytes += S->tmp[i]->row.tx_bytes;
		sum.rx_packets += S->tmp[i]->row.rx_packets;
		sum.tx_packets += S->tmp[i]->row.tx_packets;
		S->out[S->nout++] = S->tmp[i]->row;
	}
	/* what the device counted beyond the rows: never below zero (a packet
	 * the driver then dropped was counted by the hook, not the device) */
	rem = row_get(S, d->netns, d->ifindex, by, SPLIT_REMAINDER, 0, 0);
	memset(&rem->base, 0, sizeof(rem->base));
	rem->live.rx_bytes = less(d->rx_bytes, sum.rx_bytes);
	rem->live.tx_bytes = less(d->tx_bytes, sum.tx_bytes);
	rem->live.rx_packets = less(d->rx_packets, sum.rx_packets);
	rem->live.tx_packets = less(d->tx_packets, sum.tx_packets);
	figure(S, rem, 0);
	S->out[S->nout++] = rem->row;
	sl->n = S->nout - sl->off;
	qsort(S->out + sl->off, sl->n, sizeof(*S->out), cmp_rows);
}

size_t ifsplit_end(struct ifsplit *S, const struct split_dev *devs, size_t n, unsigned int idle,
		   const struct socktap_netdev_key **remove)
{
	gather(S, idle);
	S->nout = 0;
	S->nslices = 0;
	for (size_t i = 0; i < n; i++)
		for (int by = 0; by < SPLIT_BY_MAX; by++)
			device_rows(S, &devs[i], by);
	*remove = S->remove;
	return S->nremove;
}

size_t ifsplit_rows(const struct ifsplit *S, uint32_t netns, uint32_t ifindex, enum split_by by,
		    const struct split_row **rows)
{
	for (size_t i = 0; i < S->nslices; i++) {
		const struct slice *sl = &S->slices[i];

		if (sl->netns == netns && sl->ifindex == ifindex && sl->by == by) {
			*rows = S->out + sl->off;
			return sl->n;
		}
	}
	*rows = NULL;
	return 0;
}
