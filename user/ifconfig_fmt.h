/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netstat -ie: each interface in ifconfig's long form, as net-tools prints
 * it. Pure: the facts come in (ifinfo.c reads them), the text goes out.
 */
#ifndef SOCKTAP_IFCONFIG_FMT_H
#define SOCKTAP_IFCONFIG_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "procnet.h"

/* What the interface ioctls say of one interface (net-tools' if_fetch). */
struct if_long {
	uint16_t hwtype; /* ARPHRD_* */
	uint8_t hwaddr[8]; /* the first 8 bytes of the hardware address, as net-tools keeps */
	int txqlen; /* -1: unknown */
	bool has_ip; /* an IPv4 address: the primary one of the interface's own label */
	uint8_t addr[4], netmask[4], broadaddr[4], dstaddr[4];
	/* SIOCGIFMAP: "device interrupt ..." where any is set */
	unsigned long mem_start, mem_end;
	unsigned short base_addr;
	unsigned char irq, dma;
};

/* One line of /proc/net/if_inet6. */
struct if_inet6 {
	uint8_t addr[16];
	unsigned int plen, scope; /* scope: IPV6_ADDR_* scope bits, as the kernel writes them */
	char dev[32];
};

/* /proc/net/if_inet6's lines, in its order (free *v); lines that do not parse are skipped. */
void ifconfig_parse_inet6(const char *text, struct if_inet6 **v, size_t *n);
/* "347.6 MiB": net-tools' rounding of a byte count (one decimal, truncated). */
void ifconfig_unit(char *buf, size_t len, unsigned long long bytes);
/* One interface's block, its blank line included; v6: every if_inet6 line (its own are picked). */
void ifconfig_print_long(FILE *out, const struct procnet_iface *i, const struct if_long *l,
			 const struct if_inet6 *v6, size_t n6);
/* The same facts as JSON fields of the current object (print layer). */
void ifconfig_json_long(const struct procnet_iface *i, const struct if_long *l,
			const struct if_inet6 *v6, size_t n6);

#endif
