// SPDX-License-Identifier: GPL-2.0
/* iter/unix: every unix socket of the namespace. */
#include "iter_sock.bpf.h"

/* unix_inq_len(): a stream's queued bytes are summed over its skbs. */
#define UNIX_INQ_MAX_SKBS 64

static __always_inline __u32 unix_inq(struct sock *sk, __u16 type)
{
	struct sk_buff *head = (struct sk_buff *)&sk->sk_receive_queue;
	struct sk_buff *skb = BPF_CORE_READ(sk, sk_receive_queue.next);
	__u32 sum = 0;

	if (type != 1 /* SOCK_STREAM */ && type != 5 /* SOCK_SEQPACKET */)
		return skb && skb != head ? BPF_CORE_READ(skb, len) : 0;
	for (int i = 0; i < UNIX_INQ_MAX_SKBS && skb && skb != head; i++) {
		sum += BPF_CORE_READ(skb, len);
		skb = BPF_CORE_READ(skb, next);
	}
	return sum;
}

/* The socket inode behind sk, 0 if none. */
static __always_inline __u64 sk_ino(const struct sock *sk)
{
	const struct socket *sock = BPF_CORE_READ(sk, sk_socket);

	return sock ? BPF_CORE_READ((const struct socket_alloc *)sock, vfs_inode.i_ino) : 0;
}

/*
 * A listener's waiting connections (unix_diag's UNIX_DIAG_ICONS): each skb
 * in its queue carries the new socket, whose peer is the connecting one.
 */
static __always_inline void write_icons(struct seq_file *seq, struct sock *sk, __u32 n)
{
	struct sk_buff *head = (struct sk_buff *)&sk->sk_receive_queue;
	struct sk_buff *skb = BPF_CORE_READ(sk, sk_receive_queue.next);

	/* exactly n inodes: the queue may shrink meanwhile, and the record
	 * promised n (zeros stand for connections gone) */
	for (__u32 i = 0; i < SOCKTAP_UNIX_ICONS_MAX && i < n; i++) {
		__u64 ino = 0;

		if (skb && skb != head) {
			const struct unix_sock *req =
				(const struct unix_sock *)BPF_CORE_READ(skb, sk);
			const struct sock *peer = BPF_CORE_READ(req, peer);

			ino = peer ? sk_ino(peer) : 0;
			skb = BPF_CORE_READ(skb, next);
		}
		bpf_seq_write(seq, &ino, sizeof(ino));
	}
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
	r.netns = sk->__sk_common.skc_net.net->ns.inum;
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
