// SPDX-License-Identifier: GPL-2.0
/*
 * iter/udp with the socket's cgroup (iter_udp.bpf.c, iter_sock.bpf.h):
 * loaded only for a listing that shows it.
 */
#define SOCKTAP_ITER_FULL 1
#include "iter_udp.bpf.c"
