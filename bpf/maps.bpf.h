/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Maps shared by the BPF programs. maps.bpf.c defines them; every other
 * object sees extern declarations, which bpftool's linker resolves.
 */
#ifndef SOCKTAP_MAPS_BPF_H
#define SOCKTAP_MAPS_BPF_H

#ifdef SOCKTAP_DEFINE_MAPS
#define SOCKTAP_MAP
#else
#define SOCKTAP_MAP extern
#endif

SOCKTAP_MAP struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SOCKTAP_STAT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

SOCKTAP_MAP struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SOCKTAP_STATE_COUNTS_MAX);
	__type(key, struct socktap_state_key);
	__type(value, __u64);
} state_counts SEC(".maps");

#endif
