// SPDX-License-Identifier: GPL-2.0
/*
 * ifconfig's long form (net-tools' ife_print_long), as netstat -ie prints
 * it on Debian (net-tools 2.10: one space before the TX line's overruns).
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <stdlib.h>
#include <string.h>
#include "format.h"
#include "ifconfig_fmt.h"
#include "print.h"
#include "util.h"

/* The kernel's IPV6_ADDR_* scope bits in /proc/net/if_inet6 */
#define SCOPE_LOOPBACK 0x0010u
#define SCOPE_LINKLOCAL 0x0020u
#define SCOPE_SITELOCAL 0x0040u
#define SCOPE_COMPATV4 0x0080u

#define IFF_DYNAMIC_ 0x8000u

void ifconfig_parse_inet6(const char *text, struct if_inet6 **v, size_t *n)
{
	size_t cap = 0;

	*v = NULL;
	*n = 0;
	while (text && *text) {
		const char *end = strchr(text, '\n');
		size_t len = end ? (size_t)(end - text) : strlen(text);
		char line[256], hex[33], dev[32];
		unsigned int idx, plen, scope, flags;
		struct if_inet6 *e;

		if (len < sizeof(line)) {
			memcpy(line, text, len);
			line[len] = '\0';
			if (sscanf(line, "%32[0-9a-fA-F] %x %x %x %x %31s", hex, &idx, &plen,
				   &scope, &flags, dev) == 6 &&
			    strlen(hex) == 32) {
				if (*n == cap) {
					cap = cap ? 2 * cap : 8;
					*v = xrealloc(*v, cap * sizeof(**v));
				}
				e = &(*v)[(*n)++];
				for (int k = 0; k < 16; k++) {
					char b[3] = { hex[2 * k], hex[2 * k + 1], '\0' };

					e->addr[k] = (uint8_t)strtoul(b, NULL, 16);
				}
				e->plen = plen;
				e->scope = scope;
				snprintf(e->dev, sizeof(e->dev), "%s", dev);
			}
		}
		text += len + (end ? 1 : 0);
	}
}

void ifconfig_unit(char *buf, size_t len, unsigned long long bytes)
{
	static const struct {
		unsigned long long above;
		const char *unit;
	} units[] = {
		{ 1152921504606846976ull, "EiB" },
		{ 1125899906842624ull, "PiB" },
		{ 1099511627776ull, "TiB" },
		{ 1073741824ull, "GiB" },
		{ 1048576ull, "MiB" },
		{ 1024ull, "KiB" },
	};
	unsigned long long tenths = bytes * 10;
	const char *unit = "B";

	for (size_t k = 0; k < ARRAY_SIZE(units); k++) {
		if (bytes > units[k].above) {
			/* net-tools divides the tenths, except for EiB (no room for them) */
			tenths = k == 0 ? bytes / (units[k].above / 10) : tenths / units[k].above;
			unit = units[k].unit;
			break;
		}
	}
	snprintf(buf, len, "%llu.%llu %s", tenths / 10, tenths % 10, unit);
}

static void flag_names(char *buf, size_t len, unsigned int flags)
{
	static const struct {
		unsigned int bit;
		const char *name;
	} names[] = {
		{ IFF_UP, "UP" },
		{ IFF_BROADCAST, "BROADCAST" },
		{ IFF_DEBUG, "DEBUG" },
		{ IFF_LOOPBACK, "LOOPBACK" },
		{ IFF_POINTOPOINT, "POINTOPOINT" },
		{ IFF_NOTRAILERS, "NOTRAILERS" },
		{ IFF_RUNNING, "RUNNING" },
		{ IFF_NOARP, "NOARP" },
		{ IFF_PROMISC, "PROMISC" },
		{ IFF_ALLMULTI, "ALLMULTI" },
		{ IFF_SLAVE, "SLAVE" },
		{ IFF_MASTER, "MASTER" },
		{ IFF_MULTICAST, "MULTICAST" },
		{ IFF_DYNAMIC_, "DYNAMIC" },
	};
	size_t o = 0;

	for (size_t k = 0; k < ARRAY_SIZE(names); k++)
		if ((flags & names[k].bit) && o < len)
			o += (size_t)snprintf(buf + o, len - o, "%s%s", o ? "," : "",
					      names[k].name);
	if (o >= len)
		buf[len - 1] = '\0';
	if (!o)
		buf[0] = '\0';
}

/* The hardware line's name and title, and how its address prints (net-tools' hwtypes). */
enum hw_print { HW_NONE, HW_COLONS, HW_EMPTY, HW_DASHES };

static void hw_kind(uint16_t type, const char **name, const char **title, enum hw_print *how)
{
	static const struct {
		uint16_t type;
		const char *name, *title;
		enum hw_print how;
	} kinds[] = {
		{ ARPHRD_ETHER, "ether", "Ethernet", HW_COLONS },
		{ ARPHRD_LOOPBACK, "loop", "Local Loopback", HW_NONE },
		{ ARPHRD_TUNNEL, "tunnel", "IPIP Tunnel", HW_EMPTY },
		{ ARPHRD_SIT, "sit", "IPv6-in-IPv4", HW_NONE },
		{ ARPHRD_PPP, "ppp", "Point-to-Point Protocol", HW_NONE },
		{ ARPHRD_SLIP, "slip", "Serial Line IP", HW_NONE },
		{ ARPHRD_CSLIP, "cslip", "VJ Serial Line IP", HW_NONE },
		{ ARPHRD_SLIP6, "slip6", "6-bit Serial Line IP", HW_NONE },
		{ ARPHRD_CSLIP6, "cslip6", "VJ 6-bit Serial Line IP", HW_NONE },
		{ ARPHRD_ADAPT, "adaptive", "Adaptive Serial Line IP", HW_NONE },
	};

	for (size_t k = 0; k < ARRAY_SIZE(kinds); k++) {
		if (kinds[k].type == type) {
			*name = kinds[k].name;
			*title = kinds[k].title;
			*how = kinds[k].how;
			return;
		}
	}
	/* any other type is net-tools' "unspec": 16 bytes, 8 of them known */
	*name = "unspec";
	*title = "UNSPEC";
	*how = HW_DASHES;
}

static void hw_addr_text(char *buf, size_t len, const struct if_long *l, enum hw_print how)
{
	size_t o = 0;

	buf[0] = '\0';
	if (how == HW_COLONS)
		snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", l->hwaddr[0], l->hwaddr[1],
			 l->hwaddr[2], l->hwaddr[3], l->hwaddr[4], l->hwaddr[5]);
	else if (how == HW_DASHES)
		for (int k = 0; k < 16 && o + 3 < len; k++)
			o += (size_t)snprintf(buf + o, len - o, k ? "-%02X" : "%02X",
					      k < 8 ? l->hwaddr[k] : 0);
}

static void ipv4_text(char *buf, const uint8_t a[4])
{
	buf[fmt_ipv4(buf, a)] = '\0';
}

/* An IPv6 address; a v4-mapped one as its IPv4 part, as net-tools prints it. */
static void ipv6_text(char *buf, const uint8_t a[16])
{
	static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };

	if (!memcmp(a, mapped, sizeof(mapped)))
		ipv4_text(buf, a + 12);
	else
		inet_ntop(AF_INET6, a, buf, INET6_ADDRSTRLEN);
}

/* "0x20<link>": the scope bits and their names, as net-tools writes them. */
static void scope_text(char *buf, size_t len, unsigned int scope)
{
	char names[64] = "";
	unsigned int s = scope;

	if (s & SCOPE_COMPATV4) {
		strcat(names, "compat,");
		s -= SCOPE_COMPATV4;
	}
	if (s == 0)
		strcat(names, "global,");
	if (s & SCOPE_LINKLOCAL)
		strcat(names, "link,");
	if (s & SCOPE_SITELOCAL)
		strcat(names, "site,");
	if (s & SCOPE_LOOPBACK)
		strcat(names, "host,");
	if (names[0])
		names[strlen(names) - 1] = '\0';
	snprintf(buf, len, names[0] ? "0x%x<%s>" : "0x%x%s", scope, names);
}

/* The RX and TX lines; compressed counts only for compressed SLIP, as 2.10 (always, then). */
static void print_counters(FILE *out, const struct procnet_iface *i, bool compressed)
{
	char unit[32];

	ifconfig_unit(unit, sizeof(unit), i->rx_bytes);
	fprintf(out, "        RX packets %llu  bytes %llu (%s)\n", i->rx_packets, i->rx_bytes,
		unit);
	if (compressed)
		fprintf(out, "        RX compressed:%llu\n", i->rx_compressed);
	fprintf(out, "        RX errors %llu  dropped %llu  overruns %llu  frame %llu\n",
		i->rx_errors, i->rx_dropped, i->rx_fifo, i->rx_frame);
	ifconfig_unit(unit, sizeof(unit), i->tx_bytes);
	fprintf(out, "        TX packets %llu  bytes %llu (%s)\n", i->tx_packets, i->tx_bytes,
		unit);
	if (compressed)
		fprintf(out, "        TX compressed %llu\n", i->tx_compressed);
	fprintf(out,
		"        TX errors %llu  dropped %llu overruns %llu  carrier %llu  collisions "
		"%llu\n",
		i->tx_errors, i->tx_dropped, i->tx_fifo, i->tx_carrier, i->tx_colls);
}

void ifconfig_print_long(FILE *out, const struct procnet_iface *i, const struct if_long *l,
			 const struct if_inet6 *v6, size_t n6)
{
	unsigned int flags = i->flags & 0xffff;
	/* net-tools keeps them in a short: IFF_DYNAMIC makes the number negative */
	int shown = (int16_t)flags;
	const char *hwname, *hwtitle;
	enum hw_print how;
	char names[160], a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN], hw[64];

	flag_names(names, sizeof(names), flags);
	/* net-tools drops the closing '>' where no name was written, and its
	 * opening '<' too unless there are no flags at all */
	if (names[0])
		fprintf(out, "%s: flags=%d<%s>  mtu %d\n", i->name, shown, names, i->mtu);
	else
		fprintf(out, "%s: flags=%d%s  mtu %d\n", i->name, shown, flags ? "" : "<", i->mtu);
	if (l->has_ip) {
		ipv4_text(a, l->addr);
		ipv4_text(b, l->netmask);
		fprintf(out, "        inet %s  netmask %s", a, b);
		if (flags & IFF_BROADCAST) {
			ipv4_text(a, l->broadaddr);
			fprintf(out, "  broadcast %s", a);
		}
		if (flags & IFF_POINTOPOINT) {
			ipv4_text(a, l->dstaddr);
			fprintf(out, "  destination %s", a);
		}
		fputc('\n', out);
	}
	for (size_t k = 0; k < n6; k++) {
		if (strcmp(v6[k].dev, i->name))
			continue;
		ipv6_text(a, v6[k].addr);
		scope_text(b, sizeof(b), v6[k].scope);
		fprintf(out, "        inet6 %s  prefixlen %u  scopeid %s\n", a, v6[k].plen, b);
	}
	hw_kind(l->hwtype, &hwname, &hwtitle, &how);
	hw_addr_text(hw, sizeof(hw), l, how);
	fprintf(out, how == HW_NONE ? "        %s" : "        %s %s", hwname, hw);
	if (l->txqlen != -1)
		fprintf(out, "  txqueuelen %d", l->txqlen);
	fprintf(out, "  (%s)\n", hwtitle);
	/* a label has no counters of its own */
	if (!i->no_stats)
		print_counters(out, i, l->hwtype == ARPHRD_CSLIP || l->hwtype == ARPHRD_CSLIP6);
	if (l->irq || l->mem_start || l->dma || l->base_addr >= 0x100) {
		fputs("        device ", out);
		if (l->irq)
			fprintf(out, "interrupt %u  ", l->irq);
		if (l->base_addr >= 0x100)
			fprintf(out, "base 0x%x  ", l->base_addr);
		if (l->mem_start)
			fprintf(out, "memory 0x%lx-%lx  ", l->mem_start, l->mem_end);
		if (l->dma)
			fprintf(out, "  dma 0x%x", l->dma);
		fputc('\n', out);
	}
	fputc('\n', out);
}

void ifconfig_json_long(const struct procnet_iface *i, const struct if_long *l,
			const struct if_inet6 *v6, size_t n6)
{
	const char *hwname, *hwtitle;
	enum hw_print how;
	char a[INET6_ADDRSTRLEN], hw[64];

	procnet_iface_counter("rx_bytes", i, i->rx_bytes);
	procnet_iface_counter("rx_frame", i, i->rx_frame);
	procnet_iface_counter("rx_compressed", i, i->rx_compressed);
	procnet_iface_counter("tx_bytes", i, i->tx_bytes);
	procnet_iface_counter("tx_carrier", i, i->tx_carrier);
	procnet_iface_counter("tx_collisions", i, i->tx_colls);
	procnet_iface_counter("tx_compressed", i, i->tx_compressed);
	hw_kind(l->hwtype, &hwname, &hwtitle, &how);
	hw_addr_text(hw, sizeof(hw), l, how);
	print_str(PRINT_JSON, "hwtype", hwname);
	if (how == HW_NONE || how == HW_EMPTY)
		print_null(PRINT_JSON, "hwaddr");
	else
		print_str(PRINT_JSON, "hwaddr", hw);
	if (l->txqlen != -1)
		print_s64(PRINT_JSON, "txqueuelen", l->txqlen);
	else
		print_null(PRINT_JSON, "txqueuelen");
	if (l->has_ip) {
		print_obj_begin("inet");
		ipv4_text(a, l->addr);
		print_str(PRINT_JSON, "addr", a);
		ipv4_text(a, l->netmask);
		print_str(PRINT_JSON, "netmask", a);
		ipv4_text(a, l->broadaddr);
		if (i->flags & IFF_BROADCAST)
			print_str(PRINT_JSON, "broadcast", a);
		ipv4_text(a, l->dstaddr);
		if (i->flags & IFF_POINTOPOINT)
			print_str(PRINT_JSON, "destination", a);
		print_obj_end();
	} else {
		print_null(PRINT_JSON, "inet");
	}
	print_arr_begin("inet6");
	for (size_t k = 0; k < n6; k++) {
		if (strcmp(v6[k].dev, i->name))
			continue;
		print_obj_begin(NULL);
		ipv6_text(a, v6[k].addr);
		print_str(PRINT_JSON, "addr", a);
		print_u64(PRINT_JSON, "prefixlen", v6[k].plen);
		print_u64(PRINT_JSON, "scopeid", v6[k].scope);
		print_obj_end();
	}
	print_arr_end();
}
