// SPDX-License-Identifier: GPL-2.0
/*
 * iter/tcp with ss -i's TCP internals (iter_tcp.bpf.c): loaded only for a
 * listing that shows them.
 */
#define SOCKTAP_ITER_TCP_INFO 1
#include "iter_tcp.bpf.c"
