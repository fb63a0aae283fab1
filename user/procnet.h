/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's network counters in /proc, printed as the classic tools do:
 * `netstat -s` (/proc/net/snmp, /proc/net/netstat, /proc/net/snmp6, with
 * net-tools 2.10's sentences), `netstat -i` (/proc/net/dev plus the MTU and
 * flags from /sys/class/net) and `ss -s` (/proc/net/sockstat, sockstat6 and
 * the Tcp line of snmp, as iproute2 6.1 prints it), each also as JSON through
 * the print layer.
 *
 * The parsers work on text passed in; the readers take the root of /proc
 * and /sys ("/proc", "/sys" on a live system), so unit tests replay
 * recorded files.
 */
#ifndef SOCKTAP_PROCNET_H
#define SOCKTAP_PROCNET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The protocol groups `netstat -s` shows: -w (Ip, Icmp), -t, -u. */
#define PROCNET_STAT_RAW 1u
#define PROCNET_STAT_TCP 2u
#define PROCNET_STAT_UDP 4u
#define PROCNET_STAT_ALL (PROCNET_STAT_RAW | PROCNET_STAT_TCP | PROCNET_STAT_UDP)

/* A whole file under root ("<root>/<rel>"), malloc'ed; NULL (errno set) on failure. */
char *procnet_read_file(const char *root, const char *rel);

/* netstat -s from the text of /proc/net/snmp and /proc/net/netstat (may be NULL). */
void procnet_stats_text(FILE *out, const char *snmp, const char *netstat, unsigned int groups);
/* netstat -s -6 from the text of /proc/net/snmp6 and /proc/net/snmp (its Tcp part). */
void procnet_stats6_text(FILE *out, const char *snmp6, const char *snmp, unsigned int groups);
/*
 * The counters as JSON fields of the current object: one object per table
 * ("tcp", "tcp_ext", "icmp6", ...) of counters in snake_case. snmp6 NULL
 * for IPv4 (snmp and netstat), else IPv6 (snmp6 and the Tcp part of snmp).
 */
void procnet_stats_json(const char *snmp, const char *netstat, const char *snmp6,
			unsigned int groups);
/* Reads the files under proc_root and prints (text or JSON); 0, or -1 with errno. */
int procnet_print_stats(FILE *out, const char *proc_root, bool inet6, unsigned int groups);

/* One line of `netstat -i`. */
struct procnet_iface {
	char name[32];
	int mtu;
	unsigned int flags; /* IFF_*, as SIOCGIFFLAGS reports them (IFF_RUNNING included) */
	unsigned long long rx_packets, rx_errors, rx_dropped, rx_fifo;
	unsigned long long tx_packets, tx_errors, tx_dropped, tx_fifo;
	/* the rest of /proc/net/dev's counters (0 where its version has none): netstat -ie */
	unsigned long long rx_bytes, rx_frame, rx_compressed, rx_multicast;
	unsigned long long tx_bytes, tx_colls, tx_carrier, tx_compressed;
	/* an address label (eth0:1): listed, with no counters of its own, as net-tools does */
	bool no_stats;
};

/* Parses /proc/net/dev; interfaces in netstat's order (names, numbers by value). */
int procnet_parse_dev(const char *text, struct procnet_iface **out, size_t *n);
/* "Ln" "eth10" after "eth9": the order net-tools sorts interface names in. */
int procnet_ifname_cmp(const char *a, const char *b);
/* v in that order. */
void procnet_sort_ifaces(struct procnet_iface *v, size_t n);
/* The Flg column: "BMRU", "LRU", "[NO FLAGS]". */
void procnet_iface_flags(char *buf, size_t len, unsigned int flags);
/* Whether netstat -i lists i: interfaces that are up, and with -a (all) every one. */
bool procnet_iface_listed(const struct procnet_iface *i, bool all);
void procnet_iface_text(FILE *out, const struct procnet_iface *v, size_t n, bool all);
/* One counter of i as a JSON field: null for a label, which has none. */
void procnet_iface_counter(const char *key, const struct procnet_iface *i, unsigned long long v);
/* extra, if not NULL, adds fields to each interface's object (netstat -ie). */
void procnet_iface_json(const struct procnet_iface *v, size_t n, bool all,
			void (*extra)(const struct procnet_iface *i, void *ctx), void *ctx);
/*
 * netstat -i's interfaces: /proc/net/dev under proc_root, in netstat's
 * order, with their counters (free *v). 0, or -1 with errno. Their flags
 * and MTU are the interface ioctls' (ifinfo.c), as netstat's are.
 */
int procnet_read_ifaces(const char *proc_root, struct procnet_iface **v, size_t *n);
/* netstat -i's table of v (text, or JSON in JSON mode), down interfaces
 * only if all; "Kernel Interface table" first if title (netstat -c prints
 * it once). */
void procnet_print_iface_table(FILE *out, const struct procnet_iface *v, size_t n, bool all,
			       bool title);

/* What `ss -s` shows. */
struct procnet_ss_summary {
	int socks, tcp_mem, tcp_total, tcp_orphans, tcp_tws, tcp4_hashed, udp4, raw4, frag4,
		frag4_mem, tcp6_hashed, udp6, raw6, frag6, frag6_mem;
	int tcp_estab; /* Tcp: CurrEstab from snmp */
};

/* Parses sockstat, sockstat6 and snmp (either of the last two may be NULL). */
void procnet_ss_summary_parse(const char *sockstat, const char *sockstat6, const char *snmp,
			      struct procnet_ss_summary *s);
void procnet_ss_summary_text(FILE *out, const struct procnet_ss_summary *s);
/* The summary as JSON fields of the current object. */
void procnet_ss_summary_json(const struct procnet_ss_summary *s);
/* ss -s as text, read under proc_root ("/proc"); 0, or -1 with errno. */
int procnet_print_ss_summary(FILE *out, const char *proc_root);
/* ss -s as one JSON document through the print layer (print_init first). */
int procnet_print_ss_summary_json(const char *proc_root);

#endif
