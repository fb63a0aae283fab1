// SPDX-License-Identifier: GPL-2.0
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include "iter_decode.h"
#include "socktap.h"
#include "util.h"

/* Copies the next n bytes of [*p, end) to dst: false if fewer are left. */
static bool take(const char **p, const char *end, void *dst, size_t n)
{
	if ((size_t)(end - *p) < n)
		return false;
	/* NULL: stepped over */
	if (dst)
		memcpy(dst, *p, n);
	*p += n;
	return true;
}

static uint32_t j2ms(uint64_t j, unsigned int hz)
{
	return (uint32_t)(j * 1000 / hz);
}

static uint32_t j2us(uint64_t j, unsigned int hz)
{
	return (uint32_t)(j * 1000000 / hz);
}

/* tcp_get_info()'s conversions and sums over the raw fields. */
static void decode_tcpinfo(struct sock_tcpinfo *o, const struct socktap_iter_tcpinfo *r,
			   unsigned int hz)
{
	uint64_t stats[4] = { 0 };

	o->options = r->options;
	o->snd_wscale = r->snd_wscale;
	o->rcv_wscale = r->rcv_wscale;
	o->backoff = r->backoff;
	o->ca_state = r->ca_state;
	o->delivery_rate_app_limited = r->app_limited;
	memcpy(o->cong, r->cong, sizeof(o->cong));
	o->cong[sizeof(o->cong) - 1] = '\0';
	o->rto_us = j2us(r->rto, hz);
	o->ato_us = j2us(r->ato, hz);
	o->rtt_us = r->srtt_us8 >> 3;
	o->rttvar_us = r->mdev_us4 >> 2;
	o->min_rtt_us = r->min_rtt_us;
	o->rcv_rtt_us = r->rcv_rtt_us8 >> 3;
	o->snd_mss = r->mss_cache;
	o->rcv_mss = r->rcv_mss;
	o->advmss = r->advmss;
	o->pmtu = r->pmtu;
	o->snd_cwnd = r->snd_cwnd;
	o->snd_ssthresh = r->snd_ssthresh;
	o->unacked = r->packets_out;
	o->sacked = r->sacked_out;
	o->lost = r->lost_out;
	o->retrans = r->retrans_out;
	o->total_retrans = r->total_retrans;
	o->reordering = r->reordering;
	o->reord_seen = r->reord_seen;
	o->rcv_space = r->rcv_space;
	o->rcv_ssthresh = r->rcv_ssthresh;
	o->notsent_bytes = r->notsent;
	o->snd_wnd = r->snd_wnd;
	o->rcv_wnd = r->rcv_wnd;
	o->last_data_sent_ms = j2ms(r->since_send, hz);
	o->last_data_recv_ms = j2ms(r->since_recv, hz);
	o->last_ack_recv_ms = j2ms(r->since_ack, hz);
	o->segs_out = r->segs_out;
	o->segs_in = r->segs_in;
	o->data_segs_out = r->data_segs_out;
	o->data_segs_in = r->data_segs_in;
	o->delivered = r->delivered;
	o->delivered_ce = r->delivered_ce;
	o->dsack_dups = r->dsack_dups;
	o->bytes_sent = r->bytes_sent;
	o->bytes_retrans = r->bytes_retrans;
	o->bytes_acked = r->bytes_acked;
	o->bytes_received = r->bytes_received;
	o->pacing_rate = r->pacing_rate;
	o->max_pacing_rate = r->max_pacing_rate;
	/* rate_delivered packets of mss_cache bytes over the sample's interval */
	if (r->rate_delivered && r->rate_interval_us)
		o->delivery_rate =
			r->rate_delivered * r->mss_cache * 1000000ull / r->rate_interval_us;
	/* the running chrono also counts the time since it started */
	for (int i = 1; i <= 3; i++) {
		stats[i] = r->chrono_stat[i - 1];
		if (r->chrono_type == i)
			stats[i] += r->chrono_since;
		/* the kernel's own integer steps: USEC_PER_SEC / HZ per jiffy */
		stats[i] *= 1000000 / hz;
	}
	o->busy_time_us = stats[1] + stats[2] + stats[3];
	/* bbr_get_info(): the rate in packets per us << 24, times the MSS */
	if (r->has_bbr) {
		o->has_bbr = true;
		o->bbr_bw = ((uint64_t)r->bbr_bw * r->mss_cache * 1000000ull) >> 24;
		o->bbr_min_rtt_us = r->bbr_min_rtt_us;
		o->bbr_pacing_gain = r->bbr_pacing_gain;
		o->bbr_cwnd_gain = r->bbr_cwnd_gain;
	}
	o->rwnd_limited_us = stats[2];
	o->sndbuf_limited_us = stats[3];
}

static void mem_of(struct sock_mem *o, const struct socktap_iter_mem *m)
{
	*o = (struct sock_mem){ m->rmem_alloc,	m->rcvbuf, m->wmem_alloc, m->sndbuf, m->fwd_alloc,
				m->wmem_queued, m->optmem, m->backlog,	  m->drops };
}

/*
 * tcp_get_info() tells little of a listener: its rates, reordering and
 * cwnd, and in unacked and sacked its accept queue and backlog.
 */
static void listener_tcpinfo(struct sock_tcpinfo *t, const struct sock_entry *e)
{
	struct sock_tcpinfo l = { 0 };

	memcpy(l.cong, t->cong, sizeof(l.cong));
	l.pacing_rate = t->pacing_rate;
	l.max_pacing_rate = t->max_pacing_rate;
	l.reordering = t->reordering;
	l.snd_cwnd = t->snd_cwnd;
	l.unacked = e->recv_q;
	l.sacked = e->send_q;
	*t = l;
}

/* A TCP or UDP record's fixed part, into e. */
static void sock_of(struct sock_entry *e, const struct socktap_iter_sock *r, enum sock_kind kind,
		    unsigned int hz)
{
	e->kind = kind;
	e->family = r->family;
	e->proto = r->proto;
	e->state = r->state;
	e->shutdown = r->shutdown;
	e->v6only = r->flags & SOCKTAP_ITER_F_V6ONLY;
	e->minisock = r->flags & SOCKTAP_ITER_F_MINISOCK;
	e->bind_known = !e->minisock;
	e->port_bound = r->flags & SOCKTAP_ITER_F_PORT_BOUND;
	e->netns = r->netns;
	memcpy(e->laddr, r->saddr, 16);
	memcpy(e->raddr, r->daddr, 16);
	e->lport = r->sport;
	e->rport = r->dport;
	e->recv_q = r->rqueue;
	e->send_q = r->wqueue;
	e->uid = r->uid;
	e->inode = r->ino;
	e->cookie = r->cookie;
	e->ifindex = r->ifindex;
	e->mark = r->mark;
	e->cgroup = r->cgroup;
	e->timer = (enum sock_timer)r->timer;
	e->timer_expires_ms = j2ms(r->timer_jiffies, hz);
	e->timer_retrans = r->timer_retrans;
}

long iter_decode_socks(const void *buf, size_t len, enum sock_kind kind, unsigned int hz,
		       struct sock_table *t)
{
	const char *p = buf, *end = p + len;
	long n = 0;

	if (!hz)
		hz = 250;
	sock_table_reserve(t, len / sizeof(struct socktap_iter_sock));
	while (p < end) {
		struct socktap_iter_sock r;
		struct sock_entry *e;

		if (!take(&p, end, &r, sizeof(r)))
			return -1;
		e = sock_table_add(t);
		sock_of(e, &r, kind, hz);
		if (r.flags & SOCKTAP_ITER_F_MEM) {
			struct socktap_iter_mem m;

			if (!take(&p, end, &m, sizeof(m)))
				return -1;
			e->has_mem = true;
			mem_of(&e->mem, &m);
		}
		if (r.flags & SOCKTAP_ITER_F_TCPINFO) {
			struct socktap_iter_tcpinfo ti;

			if (!take(&p, end, &ti, sizeof(ti)))
				return -1;
			e->has_tcpinfo = true;
			decode_tcpinfo(sock_entry_tcpinfo(e), &ti, hz);
			if (e->state == SOCKTAP_TCP_LISTEN)
				listener_tcpinfo(e->tcpi, e);
			/* inet_diag asks the congestion control of sockets
			 * before TIME-WAIT in the state order only */
			if (e->state >= SOCKTAP_TCP_TIME_WAIT)
				e->tcpi->has_bbr = false;
		}
		n++;
	}
	return n;
}

long iter_count_socks(const void *buf, size_t len, uint64_t *counts, size_t nstates)
{
	const char *p = buf, *end = p + len;
	long n = 0;

	while (p < end) {
		struct socktap_iter_sock r;

		if (!take(&p, end, &r, sizeof(r)))
			return -1;
		/* the optional parts, stepped over */
		if ((r.flags & SOCKTAP_ITER_F_MEM) &&
		    !take(&p, end, NULL, sizeof(struct socktap_iter_mem)))
			return -1;
		if ((r.flags & SOCKTAP_ITER_F_TCPINFO) &&
		    !take(&p, end, NULL, sizeof(struct socktap_iter_tcpinfo)))
			return -1;
		if (r.state < nstates)
			counts[r.state]++;
		n++;
	}
	return n;
}

/* ss's form of a unix address: abstract names start with '@', as do their NULs. */
static char *unix_path(const struct socktap_iter_unix *r)
{
	size_t n = r->path_len < sizeof(r->path) ? r->path_len : sizeof(r->path);
	char *s;

	if (!n)
		return NULL;
	s = xmalloc(n + 1);
	if (r->path[0] == '\0') {
		for (size_t i = 0; i < n; i++)
			s[i] = r->path[i] ? r->path[i] : '@';
		s[n] = '\0';
	} else {
		memcpy(s, r->path, n);
		s[n] = '\0';
	}
	return s;
}

long iter_decode_unix(const void *buf, size_t len, struct sock_table *t)
{
	const char *p = buf, *end = p + len;
	long n = 0;

	sock_table_reserve(t, len / sizeof(struct socktap_iter_unix));
	while (p < end) {
		struct socktap_iter_unix r;
		struct sock_entry *e;

		if (!take(&p, end, &r, sizeof(r)))
			return -1;
		e = sock_table_add(t);
		switch (r.type) {
		case SOCK_STREAM:
			e->kind = SK_UNIX_STREAM;
			break;
		case SOCK_SEQPACKET:
			e->kind = SK_UNIX_SEQPACKET;
			break;
		default:
			e->kind = SK_UNIX_DGRAM;
			break;
		}
		e->family = AF_UNIX;
		e->state = r.state;
		e->shutdown = r.shutdown;
		e->netns = r.netns;
		e->recv_q = r.rqueue;
		e->send_q = r.wqueue;
		e->uid = r.uid;
		e->inode = r.ino;
		e->cookie = r.cookie;
		e->unix_path = unix_path(&r);
		e->unix_peer = r.peer_ino;
		e->unix_vfs_ino = r.vfs_ino;
		e->unix_vfs_dev = r.vfs_dev;
		if (r.flags & SOCKTAP_ITER_F_MEM) {
			struct socktap_iter_mem m;

			if (!take(&p, end, &m, sizeof(m)))
				return -1;
			e->has_mem = true;
			mem_of(&e->mem, &m);
		}
		if (r.state == SOCKTAP_TCP_LISTEN) {
			e->has_icons = true;
			if (r.nicons) {
				e->unix_icons = xmalloc(r.nicons * sizeof(uint64_t));
				e->unix_nicons = r.nicons;
				if (!take(&p, end, e->unix_icons, r.nicons * sizeof(uint64_t)))
					return -1;
			}
		}
		n++;
	}
	return n;
}

static void owner_of(struct sock_owner *o, const struct socktap_iter_file *r)
{
	memset(o, 0, sizeof(*o));
	o->pid = r->pid;
	o->fd = (int32_t)r->fd;
	o->uid = r->uid;
	o->f_mode = r->f_mode;
	memcpy(o->comm, r->comm, sizeof(o->comm) - 1);
}

static uint64_t rec_inode(const struct file_index *fx, size_t i)
{
	uint64_t ino;

	memcpy(&ino,
	       fx->rec + i * sizeof(struct socktap_iter_file) +
		       offsetof(struct socktap_iter_file, ino),
	       sizeof(ino));
	return ino;
}

int file_index_build(struct file_index *fx, const void *buf, size_t len)
{
	const size_t rec = sizeof(struct socktap_iter_file);
	size_t slots = 64;

	memset(fx, 0, sizeof(*fx));
	if (len % rec || len / rec >= UINT32_MAX)
		return -1;
	fx->rec = buf;
	fx->n = len / rec;
	/* half full at most: probes stay short */
	while (slots < fx->n * 2)
		slots *= 2;
	fx->mask = slots - 1;
	fx->keys = xcalloc(slots, sizeof(*fx->keys));
	fx->first = xcalloc(slots, sizeof(*fx->first));
	fx->next = xcalloc(fx->n ? fx->n : 1, sizeof(*fx->next));
	/* backwards, each record put before the ones after it: a chain in walk order */
	for (size_t i = fx->n; i-- > 0;) {
		uint64_t ino = rec_inode(fx, i);
		size_t h;

		fx->next[i] = UINT32_MAX;
		if (!ino)
			continue;
		h = sock_inode_slot(fx->keys, fx->mask, ino);
		if (fx->keys[h])
			fx->next[i] = fx->first[h];
		fx->keys[h] = ino;
		fx->first[h] = (uint32_t)i;
	}
	return 0;
}

void file_index_join(const struct file_index *fx, struct sock_table *t, size_t from, size_t to)
{
	if (!fx->n)
		return;
	for (size_t i = from; i < to && i < t->n; i++) {
		struct sock_entry *e = &t->v[i];
		uint64_t ino = e->inode;
		size_t h;

		if (!ino)
			continue;
		h = sock_inode_slot(fx->keys, fx->mask, ino);
		if (!fx->keys[h])
			continue;
		for (uint32_t k = fx->first[h]; k != UINT32_MAX; k = fx->next[k]) {
			struct socktap_iter_file r;
			struct sock_owner o;

			memcpy(&r, fx->rec + k * sizeof(r), sizeof(r));
			owner_of(&o, &r);
			sock_entry_add_owner(t, e, &o);
		}
	}
}

void file_index_free(struct file_index *fx)
{
	free(fx->keys);
	free(fx->first);
	free(fx->next);
	memset(fx, 0, sizeof(*fx));
}

long iter_decode_held_chunk(const void *buf, size_t len, unsigned int hz, struct sock_table *t,
			    struct sock_index *ix)
{
	const char *p = buf, *end = p + len;
	long n = 0;

	if (!hz)
		hz = 250;
	while (p < end) {
		struct socktap_iter_sock r;
		struct socktap_iter_file f;
		struct sock_owner o;
		struct sock_entry *e;

		if (!take(&p, end, &r, sizeof(r)) || !take(&p, end, &f, sizeof(f)))
			return -1;
		/* a socket held by several fds: one entry, an owner per fd */
		e = sock_index_find(ix, t, f.ino);
		if (!e) {
			e = sock_table_add(t);
			sock_of(e, &r, r.proto == IPPROTO_UDP ? SK_UDP : SK_TCP, hz);
			e->inode = f.ino;
			sock_index_put(ix, t, t->n - 1);
		}
		owner_of(&o, &f);
		sock_entry_add_owner(t, e, &o);
		n++;
	}
	return n;
}
