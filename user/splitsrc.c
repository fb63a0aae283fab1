// SPDX-License-Identifier: GPL-2.0
/*
 * nload's split source (splitsrc.h). The owners are top's: its source
 * loads the split's hooks with its own, and its connection rows (live
 * sockets, and for 40 s those that closed) name each cookie's holder.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if_arp.h>
#include "flows.h"
#include "keytab.h"
#include "model.h"
#include "splitsrc.h"
#include "topsrc.h"
#include "util.h"

/* an entry idle this long (seconds) leaves the kernel's table, its counts kept */
#define IDLE_S 10.0

struct owner_ent {
	struct keynode n; /* key: the cookie */
	struct split_owner o;
};

/* this refresh's counts of one kernel key: its entry plus CPUs' pending */
struct merged {
	struct keynode n; /* key: struct socktap_netdev_key */
	struct socktap_netdev_count c;
	bool pending; /* a CPU holds counts of it still */
};

/* what a socket's egress keys say of it */
struct sock_ent {
	struct keynode n; /* key: the cookie */
	uint32_t netns;
	uint64_t cgroup;
};

struct dev_base {
	uint32_t netns, ifindex;
	struct if_count base; /* the device's totals when the split started */
};

struct splitsrc {
	struct topsrc *T;
	struct flows *F;
	struct ifsplit *X;
	struct keytab owners; /* this refresh's cookie -> owner */
	struct keytab merged; /* this refresh's kernel keys and counts */
	struct keytab sockets; /* cookie -> namespace and cgroup, from the merged keys */
	unsigned int idle; /* refreshes */
	struct dev_base *bases;
	size_t nbases, cap_bases;
	struct split_dev *devs;
	size_t cap_devs;
	bool started; /* a read came before this end */
};

struct splitsrc *splitsrc_open(double refresh_s, char *err, size_t errlen)
{
	struct splitsrc *S = xcalloc(1, sizeof(*S));
	struct topsrc_opts o = { .tcp = true, .udp = true, .netdev = true };

	S->F = flows_new();
	S->X = ifsplit_new();
	S->idle = refresh_s > 0 ? (unsigned int)ceil(IDLE_S / refresh_s) : 20;
	if (S->idle < 2)
		S->idle = 2;
	S->T = topsrc_open(&o, S->F, -1, err, errlen);
	if (!S->T) {
		splitsrc_close(S);
		return NULL;
	}
	return S;
}

int splitsrc_event_fd(const struct splitsrc *S)
{
	return topsrc_event_fd(S->T);
}

void splitsrc_drain(struct splitsrc *S)
{
	topsrc_drain(S->T);
}

/* cookie -> owner, from top's connection rows (the closed ones too) */
static void index_owners(struct splitsrc *S)
{
	const struct flow_row *rows;
	size_t n = flows_rows(S->F, FLOW_GROUP_CONNECTION, FLOW_SORT_2S, &rows);

	keytab_free(&S->owners, NULL);
	for (size_t i = 0; i < n; i++) {
		const struct flow_row *r = &rows[i];
		uint8_t key[KEYTAB_KEY] = { 0 };
		struct owner_ent *e;
		bool added;

		if (!r->pid || (r->cookie & FLOWS_COOKIE_NONE))
			continue;
		memcpy(key, &r->cookie, sizeof(r->cookie));
		e = keytab_get(&S->owners, key, sizeof(*e), &added);
		e->o.pid = r->pid;
		e->o.uid = r->uid;
		e->o.start_time = r->start_time;
		e->o.cgroup = r->cgroup;
		e->o.netns = r->netns;
		memcpy(e->o.comm, r->comm, sizeof(e->o.comm));
	}
}

static void add_counts(struct splitsrc *S, const struct socktap_netdev_key *k,
		       const struct socktap_netdev_count *c, bool pending)
{
	uint8_t key[KEYTAB_KEY];
	struct merged *m;
	bool added;

	memcpy(key, k, sizeof(key));
	m = keytab_get(&S->merged, key, sizeof(*m), &added);
	m->c.tx_bytes += c->tx_bytes;
	m->c.tx_packets += c->tx_packets;
	m->c.rx_bytes += c->rx_bytes;
	m->c.rx_packets += c->rx_packets;
	m->pending |= pending;
}

static void on_entry(const struct socktap_netdev_key *k, const struct socktap_netdev_count *c,
		     void *ctx)
{
	add_counts(ctx, k, c, false);
}

static void on_pending(const struct socktap_netdev_key *k, const struct socktap_netdev_count *c,
		       void *ctx)
{
	add_counts(ctx, k, c, true);
}

/*
 * A socket's namespace and cgroup from its egress keys (the ingress hook
 * reads neither: a helper each, every packet), into S->sockets.
 */
static void index_sockets(struct splitsrc *S)
{
	keytab_free(&S->sockets, NULL);
	for (size_t i = 0; i < S->merged.nb; i++) {
		for (struct keynode *n = S->merged.b[i]; n; n = n->next) {
			struct socktap_netdev_key k;
			uint8_t key[KEYTAB_KEY] = { 0 };
			struct sock_ent *s;
			bool added;

			memcpy(&k, n->key, sizeof(k));
			if (!k.cookie || !k.netns)
				continue;
			memcpy(key, &k.cookie, sizeof(k.cookie));
			s = keytab_get(&S->sockets, key, sizeof(*s), &added);
			s->netns = k.netns;
			if (k.cgroup)
				s->cgroup = k.cgroup;
		}
	}
}

/* One merged key to ifsplit, with its owner, namespace and cgroup. */
static void feed(struct splitsrc *S, const struct merged *m)
{
	struct socktap_netdev_key k;
	const struct owner_ent *e = NULL;
	const struct sock_ent *so = NULL;
	uint32_t netns;

	memcpy(&k, m->n.key, sizeof(k));
	netns = k.netns;
	if (k.cookie) {
		uint8_t key[KEYTAB_KEY] = { 0 };

		memcpy(key, &k.cookie, sizeof(k.cookie));
		e = (const struct owner_ent *)keytab_find(&S->owners, key);
		so = (const struct sock_ent *)keytab_find(&S->sockets, key);
	}
	/* an ingress key: the socket's namespace (the device's: it took the
	 * packet) from its egress, else its owner's (ifsplit keeps it) */
	if (!netns)
		netns = so ? so->netns : e ? e->o.netns : 0;
	ifsplit_entry(S->X, &k, &m->c, netns, so ? so->cgroup : 0, e ? &e->o : NULL);
	/* a CPU holds some of its counts: deleting its entry would count
	 * those twice (read now, and again once moved into a new entry) */
	if (m->pending)
		ifsplit_keep(S->X, &k);
}

int splitsrc_read(struct splitsrc *S, double now, char *err, size_t errlen)
{
	int e;

	if (topsrc_refresh(S->T, S->F, now, err, errlen))
		return -1;
	index_owners(S);
	keytab_free(&S->merged, NULL);
	/* the table first, then what CPUs hold back: a move between the two
	 * reads is missed this once, never counted twice */
	e = model_read_netdev(topsrc_map_fd(S->T, LOADER_MAP_NETDEV_SPLIT), on_entry, S);
	if (!e)
		e = model_read_netdev_pending(topsrc_map_fd(S->T, LOADER_MAP_NETDEV_PENDING),
					      on_pending, S);
	if (e) {
		snprintf(err, errlen, "cannot read the split's table: %s", strerror(-e));
		return -1;
	}
	index_sockets(S);
	ifsplit_begin(S->X, now);
	for (size_t i = 0; i < S->merged.nb; i++)
		for (struct keynode *n = S->merged.b[i]; n; n = n->next)
			feed(S, (const struct merged *)n);
	S->started = true;
	return 0;
}

static struct if_count *base_of(struct splitsrc *S, const struct if_dev *d)
{
	struct dev_base *b;

	for (size_t i = 0; i < S->nbases; i++)
		if (S->bases[i].netns == d->netns && S->bases[i].ifindex == (uint32_t)d->ifindex)
			return &S->bases[i].base;
	/* first met: the split of this device starts now */
	if (S->nbases == S->cap_bases) {
		S->cap_bases = S->cap_bases ? S->cap_bases * 2 : 16;
		S->bases = xrealloc(S->bases, S->cap_bases * sizeof(*S->bases));
	}
	b = &S->bases[S->nbases++];
	b->netns = d->netns;
	b->ifindex = (uint32_t)d->ifindex;
	b->base = d->total;
	return &b->base;
}

/* A device's count since the split started; a total that went back (the
 * caller started its totals over) starts the device's split over too. */
static uint64_t since(uint64_t total, uint64_t *base)
{
	if (total < *base)
		*base = total;
	return total - *base;
}

/* What the device counts per packet beyond its IP packet. */
static unsigned int link_header(const struct if_dev *d)
{
	/* Ethernet and veth count the frame; loopback counts from the IP
	 * header (its frame header is pulled before it counts); tunnels and
	 * the rest carry no link header */
	return d->last.type == ARPHRD_ETHER ? 14 : 0;
}

int splitsrc_end(struct splitsrc *S, const struct if_dev *devs, size_t n, char *err, size_t errlen)
{
	const struct socktap_netdev_key *rm;
	size_t nrm;
	int e;

	if (!S->started) {
		snprintf(err, errlen, "the split was not read");
		return -1;
	}
	S->started = false;
	if (n > S->cap_devs) {
		S->cap_devs = n;
		S->devs = xrealloc(S->devs, n * sizeof(*S->devs));
	}
	for (size_t i = 0; i < n; i++) {
		struct if_count *b = base_of(S, &devs[i]);
		struct split_dev *d = &S->devs[i];

		d->netns = devs[i].netns;
		d->ifindex = (uint32_t)devs[i].ifindex;
		d->hdr = link_header(&devs[i]);
		d->rx_bytes = since(devs[i].total.rx_bytes, &b->rx_bytes);
		d->tx_bytes = since(devs[i].total.tx_bytes, &b->tx_bytes);
		d->rx_packets = since(devs[i].total.rx_packets, &b->rx_packets);
		d->tx_packets = since(devs[i].total.tx_packets, &b->tx_packets);
	}
	nrm = ifsplit_end(S->X, S->devs, n, S->idle, &rm);
	e = model_delete_netdev(topsrc_map_fd(S->T, LOADER_MAP_NETDEV_SPLIT), rm, nrm);
	if (e) {
		snprintf(err, errlen, "cannot prune the split's table: %s", strerror(-e));
		return -1;
	}
	return 0;
}

size_t splitsrc_rows(const struct splitsrc *S, uint32_t netns, uint32_t ifindex, enum split_by by,
		     const struct split_row **rows)
{
	return ifsplit_rows(S->X, netns, ifindex, by, rows);
}

void splitsrc_status(struct splitsrc *S, struct top_status *st)
{
	topsrc_status(S->T, st);
}

void splitsrc_close(struct splitsrc *S)
{
	if (!S)
		return;
	topsrc_close(S->T);
	flows_free(S->F);
	ifsplit_free(S->X);
	keytab_free(&S->owners, NULL);
	keytab_free(&S->merged, NULL);
	keytab_free(&S->sockets, NULL);
	free(S->bases);
	free(S->devs);
	free(S);
}
