// SPDX-License-Identifier: GPL-2.0
/*
 * top's live counters (iter_flows.bpf.c) with typed reads of each TCP
 * socket's counters, through bpf_rdonly_cast (Linux 6.2+). The loader
 * tries this one first and falls back to the probe-read build.
 */
#define SOCKTAP_ITER_TYPED 1
#include "iter_flows.bpf.c"
