// SPDX-License-Identifier: GPL-2.0
/* The one definition of the shared maps (see maps.bpf.h). */
#define SOCKTAP_DEFINE_MAPS
#include "common.bpf.h"

char LICENSE[] SEC("license") = "GPL";
