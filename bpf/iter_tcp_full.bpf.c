// SPDX-License-Identifier: GPL-2.0
/*
 * iter/tcp with the socket's cgroup and ss -i's TCP internals
 * (iter_tcp.bpf.c, iter_sock.bpf.h): loaded only for a listing that shows
 * them.
 */
#define SOCKTAP_ITER_FULL 1
#include "iter_tcp.bpf.c"
