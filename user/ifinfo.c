// SPDX-License-Identifier: GPL-2.0
/*
 * The interface ioctls netstat -ie and ifconfig read (SIOCGIF*), on one
 * datagram socket: they need no privilege and answer for the caller's
 * namespace.
 */
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include "ifinfo.h"
#include "util.h"

static int ifreq_get(int fd, unsigned long req, const char *name, struct ifreq *r)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->ifr_name, sizeof(r->ifr_name), "%.*s", IFNAMSIZ - 1, name);
	r->ifr_addr.sa_family = AF_INET;
	return ioctl(fd, req, r);
}

static void ipv4_of(uint8_t out[4], const struct sockaddr *sa)
{
	const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;

	memcpy(out, &in->sin_addr, 4);
}

void ifinfo_read(const char *name, struct if_long *l)
{
	struct ifreq r;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	memset(l, 0, sizeof(*l));
	l->txqlen = -1;
	if (fd < 0)
		return;
	if (ifreq_get(fd, SIOCGIFHWADDR, name, &r) == 0) {
		l->hwtype = r.ifr_hwaddr.sa_family;
		memcpy(l->hwaddr, r.ifr_hwaddr.sa_data, sizeof(l->hwaddr));
	}
	if (ifreq_get(fd, SIOCGIFTXQLEN, name, &r) == 0)
		l->txqlen = r.ifr_qlen;
	if (ifreq_get(fd, SIOCGIFMAP, name, &r) == 0) {
		l->mem_start = r.ifr_map.mem_start;
		l->mem_end = r.ifr_map.mem_end;
		l->base_addr = r.ifr_map.base_addr;
		l->irq = r.ifr_map.irq;
		l->dma = r.ifr_map.dma;
	}
	if (ifreq_get(fd, SIOCGIFADDR, name, &r) == 0) {
		l->has_ip = true;
		ipv4_of(l->addr, &r.ifr_addr);
		if (ifreq_get(fd, SIOCGIFDSTADDR, name, &r) == 0)
			ipv4_of(l->dstaddr, &r.ifr_dstaddr);
		if (ifreq_get(fd, SIOCGIFBRDADDR, name, &r) == 0)
			ipv4_of(l->broadaddr, &r.ifr_broadaddr);
		if (ifreq_get(fd, SIOCGIFNETMASK, name, &r) == 0)
			ipv4_of(l->netmask, &r.ifr_netmask);
	}
	close(fd);
}

static bool listed(const struct procnet_iface *v, size_t n, const char *name)
{
	for (size_t k = 0; k < n; k++)
		if (!strcmp(v[k].name, name))
			return true;
	return false;
}

/* SIOCGIFFLAGS's flags (a short: IFF_RUNNING as the kernel reports it) and the MTU. */
static void flags_mtu(int fd, struct procnet_iface *i)
{
	struct ifreq r;

	if (ifreq_get(fd, SIOCGIFFLAGS, i->name, &r) == 0)
		i->flags = (unsigned short)r.ifr_flags;
	if (ifreq_get(fd, SIOCGIFMTU, i->name, &r) == 0)
		i->mtu = r.ifr_mtu;
}

void ifinfo_as_net_tools(struct procnet_iface **v, size_t *n)
{
	struct ifconf ifc = { 0 };
	struct ifreq *reqs = NULL;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return;
	for (size_t k = 0; k < *n; k++)
		flags_mtu(fd, &(*v)[k]);
	/* grown until the kernel's answer leaves room: it does not say its size */
	for (size_t cap = 32;; cap *= 2) {
		reqs = xrealloc(reqs, cap * sizeof(*reqs));
		ifc.ifc_len = (int)(cap * sizeof(*reqs));
		ifc.ifc_req = reqs;
		if (ioctl(fd, SIOCGIFCONF, &ifc) < 0) {
			ifc.ifc_len = 0;
			break;
		}
		if ((size_t)ifc.ifc_len < cap * sizeof(*reqs) || cap >= 65536)
			break;
	}
	for (size_t k = 0; k < (size_t)ifc.ifc_len / sizeof(*reqs); k++) {
		struct procnet_iface *i;
		char name[IFNAMSIZ + 1];

		snprintf(name, sizeof(name), "%.*s", IFNAMSIZ, reqs[k].ifr_name);
		if (listed(*v, *n, name))
			continue;
		*v = xrealloc(*v, (*n + 1) * sizeof(**v));
		i = &(*v)[(*n)++];
		memset(i, 0, sizeof(*i));
		snprintf(i->name, sizeof(i->name), "%s", name);
		i->no_stats = true;
		flags_mtu(fd, i);
	}
	free(reqs);
	close(fd);
	procnet_sort_ifaces(*v, *n);
}
