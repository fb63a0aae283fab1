// SPDX-License-Identifier: GPL-2.0
/* iter/unix: every unix socket of the namespace. */
#include "iter_sock.bpf.h"

/* unix_inq_len(): a stream's queued bytes are summed over its skbs. */
#define UNIX_INQ_MAX_SKBS 64

/*
 * The queue walks run in bpf_loop callbacks: the verifier checks a
 * callback's body once, where it walked an open-coded loop of 64 steps
 * 64 times over (most of the iterator's load time).
 */
struct skb_walk {
	struct seq_file *seq;
	const struct sk_buff *skb, *head;
	__u32 sum;
};

static long inq_step(__u32 i, void *data)
{
	struct skb_walk *w = data;
	/* a local: BPF_CORE_READ would relocate w's own field too */
	const struct sk_buff *skb = w->skb;

	if (!skb || skb == w->head)
		return 1;
	w->sum += BPF_CORE_READ(skb, len);
	w->skb = BPF_CORE_READ(skb, next);
	return 0;
}

static __always_inline __u32 unix_inq(struct sock *sk, __u16 type)
{
	const struct sk_buff *head = (struct sk_buff *)&sk->sk_receive_queue;
	const struct sk_buff *skb = BPF_CORE_READ(sk, sk_receive_queue.next);
	struct skb_walk w = { .skb = skb, .head = head };

	if (type != 1 /* SOCK_STREAM */ && type != 5 /* SOCK_SEQPACKET */)
		return skb && skb != head ? BPF_CORE_READ(skb, len) : 0;
	bpf_loop(UNIX_INQ_MAX_SKBS, inq_step, &w, 0);
	return w.sum;
}

/* The socket inode behind sk, 0 if none. */
static __always_inline __u64 sk_ino(const struct sock *sk)
{
	const struct socket *sock = BPF_CORE_READ(sk, sk_socket);

	return sock ? BPF_CORE_READ((const struct socket_alloc *)sock, vfs_inode.i_ino) : 0;
}

/* One waiting connection's peer inode, 0 once the queue has run out. */
static long icon_step(__u32 i, void *data)
{
	struct skb_walk *w = data;
	const struct sk_buff *skb = w->skb;
	__u64 ino = 0;

	if (skb && skb != w->head) {
		const struct unix_sock *req = (const struct unix_sock *)BPF_CORE_READ(skb, sk);
		const struct sock *peer = BPF_CORE_READ(req, peer);

		ino = peer ? sk_ino(peer) : 0;
		w->skb = BPF_CORE_READ(skb, next);
	}
	bpf_seq_write(w->seq, &ino, sizeof(ino));
	return 0;
}

/*
 * A listener's waiting connections (unix_diag's UNIX_DIAG_ICONS): each skb
 * in its queue carries the new socket, whose peer is the connecting one.
 * Exactly n inodes: the queue may shrink meanwhile, and the record
 * promised n (zeros stand for connections gone).
 */
static __always_inline void write_icons(struct seq_file *seq, struct sock *sk, __u32 n)
{
	struct skb_walk w = { .seq = seq, .head = (struct sk_buff *)&sk->sk_receive_queue };

	w.skb = BPF_CORE_READ(sk, sk_receive_queue.next);
	bpf_loop(n < SOCKTAP_UNIX_ICONS_MAX ? n : SOCKTAP_UNIX_ICONS_MAX, icon_step, &w, 0);
}

SEC("iter/unix")
int stp_iter_unix(struct bpf_iter__unix *ctx)
{
	struct unix_sock *u = ctx->unix_sk;
	struct seq_file *seq = ctx->meta->seq;
	struct socktap_iter_unix r = {};
	const struct unix_address *addr;
	const struct dentry *dentry;
	struct sock *sk, *peer;
	int len;

	if (!u)
		return 0;
	sk = &u->sk;
	r.state = sk->__sk_common.skc_state;
	if (!state_wanted(r.state))
		return 0;
	r.type = sk->sk_type;
	r.cookie = bpf_get_socket_cookie(sk);
	r.ino = socket_ino(sk->sk_socket);
	/* the namespace is the reader's: userspace fills it */
	r.uid = sk->sk_uid.val;
	r.shutdown = BPF_CORE_READ_BITFIELD(sk, sk_shutdown);
	peer = u->peer;
	if (peer)
		r.peer_ino = socket_ino(peer->sk_socket);
	if (r.state == SOCKTAP_TCP_LISTEN) {
		r.rqueue = sk->sk_receive_queue.qlen;
		r.wqueue = sk->sk_max_ack_backlog;
		r.nicons = r.rqueue < SOCKTAP_UNIX_ICONS_MAX ? r.rqueue : SOCKTAP_UNIX_ICONS_MAX;
	} else {
		r.rqueue = unix_inq(sk, r.type);
		r.wqueue = sk->sk_wmem_alloc.refs.counter - 1;
	}
	/* the file a bound socket made (ss -e's ino: and dev:) */
	dentry = u->path.dentry;
	if (dentry) {
		r.vfs_ino = BPF_CORE_READ(dentry, d_inode, i_ino);
		r.vfs_dev = BPF_CORE_READ(dentry, d_sb, s_dev);
	}
	addr = u->addr;
	if (addr) {
		/* len counts sun_family too */
		len = BPF_CORE_READ(addr, len) - (int)sizeof(__u16);
		if (len > 0) {
			if (len > (int)sizeof(r.path))
				len = sizeof(r.path);
			r.path_len = len;
			bpf_probe_read_kernel(r.path, sizeof(r.path), addr->name[0].sun_path);
		}
	}
	if (cfg_mem)
		r.flags |= SOCKTAP_ITER_F_MEM;
	bpf_seq_write(seq, &r, sizeof(r));
	if (cfg_mem)
		write_mem(seq, sk);
	if (r.nicons)
		write_icons(seq, sk, r.nicons);
	return 0;
}
