/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Maps and configuration shared by the BPF programs. maps.bpf.c defines
 * them; every other object sees extern declarations, which bpftool's linker
 * resolves.
 */
#ifndef SOCKTAP_MAPS_BPF_H
#define SOCKTAP_MAPS_BPF_H

#ifdef SOCKTAP_DEFINE_MAPS
#define SOCKTAP_MAP
#define SOCKTAP_CONFIG(type, name) const volatile type name = 0
#else
#define SOCKTAP_MAP extern
#define SOCKTAP_CONFIG(type, name) extern const volatile type name
#endif

/* Work done and anything lost (SOCKTAP_STAT_*), per CPU. */
SOCKTAP_MAP struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SOCKTAP_STAT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

/* TCP state transitions per network namespace. */
SOCKTAP_MAP struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SOCKTAP_STATE_COUNTS_MAX);
	__type(key, struct socktap_state_key);
	__type(value, __u64);
} state_counts SEC(".maps");

/* Sockets being traced, by struct sock address; removed at close. */
SOCKTAP_MAP struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SOCKTAP_SOCKS_MAX);
	__type(key, __u64);
	__type(value, struct socktap_sock);
} socks SEC(".maps");

/* UDP sockets seen sending or receiving, by cookie; removed at release. */
SOCKTAP_MAP struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SOCKTAP_SOCKS_MAX);
	__type(key, __u64);
	__type(value, struct socktap_udp);
} udp_socks SEC(".maps");

/*
 * Passive sockets whose owner is still to be learnt (accept_late.bpf.h), by
 * a hash of their address: one array load tells the per-call hooks that a
 * socket is not one of them. A later socket may take an earlier one's slot:
 * that one's owner is then learnt at its close (its socks entry says so).
 */
SOCKTAP_MAP struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SOCKTAP_ACCEPT_SLOTS);
	__type(key, __u32);
	__type(value, __u64);
} accept_pending SEC(".maps");

/* nload's split: traffic per (netns, device, socket), per CPU (netdev.bpf.c). */
SOCKTAP_MAP struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, SOCKTAP_NETDEV_SPLIT_MAX);
	__type(key, struct socktap_netdev_key);
	__type(value, struct socktap_netdev_count);
} netdev_split SEC(".maps");

/* nload's split: each CPU's counts of recent keys, not yet in netdev_split. */
SOCKTAP_MAP struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SOCKTAP_NETDEV_SLOTS);
	__type(key, __u32);
	__type(value, struct socktap_netdev_pending);
} netdev_pending SEC(".maps");

/* Events for userspace; the loader may resize it before load. */
SOCKTAP_MAP struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 22);
} events SEC(".maps");

/* Ports to trace (local or remote), when cfg_ports is set. */
SOCKTAP_MAP struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SOCKTAP_PORT_FILTER_MAX);
	__type(key, __u16);
	__type(value, __u8);
} filter_ports SEC(".maps");

/* Configuration, set by the loader before load: rodata, so the verifier
 * prunes whatever is off. */
SOCKTAP_CONFIG(__u8, cfg_count_states); /* count transitions per netns */
SOCKTAP_CONFIG(__u8, cfg_trace); /* track sockets and emit events */
SOCKTAP_CONFIG(__u8, cfg_states); /* emit every TCP state transition */
SOCKTAP_CONFIG(__u8, cfg_retransmits); /* emit retransmit events */
SOCKTAP_CONFIG(__u8, cfg_connect_via_state); /* the connect hook rides on state */
SOCKTAP_CONFIG(__u8, cfg_ports); /* filter_ports is in use */
SOCKTAP_CONFIG(__u8, cfg_udp); /* account UDP sockets */
/* no accept hook: a passive socket's owner is the process that closes it */
SOCKTAP_CONFIG(__u8, cfg_owner_at_close);
/* no accept hook: owners learnt at first I/O or close (accept_late.bpf.h) */
SOCKTAP_CONFIG(__u8, cfg_accept_late);
SOCKTAP_CONFIG(__u16, cfg_family); /* AF_INET or AF_INET6; 0: both */
SOCKTAP_CONFIG(__u32, cfg_pid); /* owner tgid; 0: all */
SOCKTAP_CONFIG(__u32, cfg_netns); /* netns inode; 0: all */
SOCKTAP_CONFIG(__u32, cfg_wakeup_bytes); /* wake the reader once this much waits */
SOCKTAP_CONFIG(__u32, cfg_events); /* event types to emit, 1 << SOCKTAP_EV_*; 0: all */
SOCKTAP_CONFIG(__u64, cfg_cgroup); /* owner's cgroup v2 id; 0: all */
/* socktap's own process: its pid as its pid namespace (device, inode of
 * /proc/self/ns/pid) numbers it; 0: unknown */
SOCKTAP_CONFIG(__u32, cfg_self_pid);
SOCKTAP_CONFIG(__u64, cfg_self_pidns_dev);
SOCKTAP_CONFIG(__u64, cfg_self_pidns_ino);

#endif
