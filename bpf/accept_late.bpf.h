/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Accept attribution where no cheap accept hook exists (neither fexit nor
 * kretprobe on inet_csk_accept). The accept()/accept4() syscall-exit
 * tracepoints would do, but they put every syscall of every process on the
 * slow path. Instead a passive socket is marked when its handshake
 * completes, and the first process that sends on it, receives from it
 * (sock:sock_send_length/sock_recv_length) or closes it (the FIN_WAIT1 and
 * LAST_ACK transitions) owns it: all three run in the process that holds
 * the socket. The accept itself is not seen, so its event says so and
 * carries the time the connection was ready to be accepted and the longest
 * it can have waited.
 *
 * The mark is the socket's address in a slot of accept_pending chosen by
 * hashing the connection: the per-call hooks, which run for every socket
 * call on the machine, pay one array load and a compare. (A socket
 * storage would be as cheap to test, but allocating and freeing it cost
 * more per connection than the syscall tracepoint did.)
 */
#ifndef SOCKTAP_ACCEPT_LATE_BPF_H
#define SOCKTAP_ACCEPT_LATE_BPF_H

#include "sock.bpf.h"

/*
 * sk's slot: its hash in the established table (skc_hash, set when the
 * connection was hashed and kept), on the socket's first cache line. The
 * address itself may not be hashed: the verifier allows no arithmetic on
 * a pointer.
 */
static __always_inline __u64 *accept_slot(const struct sock *sk, bool btf)
{
	__u32 i = RD(btf, sk, __sk_common.skc_hash) & (SOCKTAP_ACCEPT_SLOTS - 1);

	return bpf_map_lookup_elem(&accept_pending, &i);
}

/* A passive socket just tracked (in softirq): its owner is still to come. */
static __always_inline void accept_late_mark(const struct sock *sk, bool btf)
{
	__u64 *slot;

	if (cfg_accept_late && (slot = accept_slot(sk, btf)))
		*slot = sk_key(sk);
}

/* The socket is going away: a slot it still holds is freed. */
static __always_inline void accept_late_forget(const struct sock *sk, bool btf)
{
	__u64 *slot;

	if (cfg_accept_late && (slot = accept_slot(sk, btf)) && *slot == sk_key(sk))
		__sync_val_compare_and_swap(slot, sk_key(sk), 0);
}

/* The owner of o (sk) is the current process: its accept event. */
static __always_inline void accept_late_emit(const struct sock *sk, bool btf,
					     struct socktap_sock *o, __u32 how)
{
	struct socktap_event *e;

	stat_add(SOCKTAP_STAT_ACCEPTS, 1);
	/* an accept released by socktap's own walk still counts */
	if (how == SOCKTAP_F_OWNER_SEEN_AT_CLOSE)
		owner_releaser(o);
	else
		owner_current(o);
	if (cfg_pid && o->pid != cfg_pid) {
		untrack(sk);
		return;
	}
	/* one seeded from its listener's queue has none yet (seed.bpf.c) */
	if (!o->cookie)
		o->cookie = sk_cookie(sk, btf);
	e = ev_new(SOCKTAP_EV_ACCEPT, sk, btf, o->cookie, o);
	if (!e)
		return;
	e->flags |= SOCKTAP_F_ACCEPT_UNSEEN | how;
	/* queued before socktap started: neither time is known */
	if (!(o->flags & SOCKTAP_F_PREEXISTING)) {
		e->duration_ns = e->ts_ns - o->start_ns;
		e->ts_ns = o->start_ns;
	}
	e->newstate = RD(btf, sk, __sk_common.skc_state);
	ev_submit(e);
}

/*
 * The current process sends or receives on sk (it holds it): if sk is
 * marked, it is the owner. The first of racing threads takes the mark.
 */
static __always_inline void accept_late_claim(const struct sock *sk, bool btf)
{
	struct socktap_sock *o;
	__u64 key = sk_key(sk), *slot;

	if (!cfg_accept_late || !(slot = accept_slot(sk, btf)) || *slot != key ||
	    __sync_val_compare_and_swap(slot, key, 0) != key)
		return;
	o = tracked(sk);
	if (o && (o->flags & SOCKTAP_F_PASSIVE) && !(o->flags & SOCKTAP_F_OWNER_KNOWN))
		accept_late_emit(sk, btf, o, 0);
}

/*
 * close() or shutdown() in the current process: the owner of a passive
 * socket not claimed yet, marked or not (another socket may have taken
 * its slot).
 */
static __always_inline void accept_late_close(const struct sock *sk, bool btf,
					      struct socktap_sock *o)
{
	__u64 key = sk_key(sk), *slot;

	if (!cfg_accept_late || !o)
		return;
	/* marked: whoever takes the mark emits (a thread may be sending) */
	slot = accept_slot(sk, btf);
	if (slot && *slot == key && __sync_val_compare_and_swap(slot, key, 0) != key)
		return;
	if ((o->flags & SOCKTAP_F_PASSIVE) && !(o->flags & SOCKTAP_F_OWNER_KNOWN))
		accept_late_emit(sk, btf, o, SOCKTAP_F_OWNER_SEEN_AT_CLOSE);
}

#endif
