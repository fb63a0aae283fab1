// SPDX-License-Identifier: GPL-2.0
/*
 * Writes the binary seeds of the fuzz targets: real sock_diag and
 * rtnetlink dump replies recorded from the running kernel (with a few
 * sockets of every kind made here first, so that every reply has rows with
 * their attributes), and iterator records laid out as include/socktap.h
 * says the BPF iterators write them. The dumps are taken in a network
 * namespace of its own, so they hold nothing of the machine but lo. Run as
 * root (a namespace, raw and packet sockets), from the top of the tree:
 *
 *   cc -std=c11 -D_GNU_SOURCE -Iinclude -Iuser -o /tmp/record_seeds tests/fuzz/tools/record_seeds.c
 *   /tmp/record_seeds tests/fuzz/corpus
 *
 * Each recorded reply is cut to its whole messages within 4 KiB, libFuzzer's
 * default input size.
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <sched.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/if_ether.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/netlink_diag.h>
#include <linux/packet_diag.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include "sockets.h"
#include "socktap.h"

#define SEED_MAX 4096

static const char *outdir;

static void die(const char *what)
{
	fprintf(stderr, "record_seeds: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* dir/name with prefix bytes (the target's selector), then data */
static void put(const char *dir, const char *name, const void *prefix, size_t plen,
		const void *data, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", outdir, dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%s/%s", outdir, dir, name);
	f = fopen(path, "w");
	if (!f || fwrite(prefix, 1, plen, f) != plen || fwrite(data, 1, len, f) != len || fclose(f))
		die(path);
}

/* One dump: its first reply buffer, cut to whole messages within max bytes. */
static size_t dump(int proto, const void *req, size_t rlen, uint8_t *buf, size_t max)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	size_t off = 0;
	ssize_t n;
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, proto);

	if (fd < 0)
		die("netlink socket");
	if (sendto(fd, req, rlen, 0, (struct sockaddr *)&kernel, sizeof(kernel)) != (ssize_t)rlen)
		die("netlink send");
	n = recv(fd, buf, 65536, 0);
	close(fd);
	if (n < 0)
		die("netlink recv");
	while ((size_t)n - off >= NLMSG_HDRLEN) {
		const struct nlmsghdr *h = (const struct nlmsghdr *)(buf + off);
		size_t step = NLMSG_ALIGN(h->nlmsg_len);

		if (h->nlmsg_len < NLMSG_HDRLEN || off + h->nlmsg_len > max)
			break;
		off += step < (size_t)n - off ? step : (size_t)n - off;
	}
	return off;
}

/* Appends NLMSG_DONE after len bytes of buf. */
static size_t add_done(uint8_t *buf, size_t len)
{
	struct nlmsghdr done = { .nlmsg_len = NLMSG_LENGTH(4), .nlmsg_type = NLMSG_DONE };

	memcpy(buf + len, &done, sizeof(done));
	memset(buf + len + NLMSG_HDRLEN, 0, 4);
	return len + NLMSG_LENGTH(4);
}

static void sock_diag_seeds(void)
{
	static uint8_t buf[65536 + 64];
	struct {
		struct nlmsghdr h;
		union {
			struct inet_diag_req_v2 inet;
			struct inet_diag_req v1;
			struct unix_diag_req unix;
			struct netlink_diag_req nl;
			struct packet_diag_req pkt;
		};
	} req;
	static const struct {
		const char *name;
		uint8_t kind, family, proto;
	} inet[] = {
		{ "tcp4", SK_TCP, AF_INET, IPPROTO_TCP }, { "tcp6", SK_TCP, AF_INET6, IPPROTO_TCP },
		{ "udp4", SK_UDP, AF_INET, IPPROTO_UDP }, { "udp6", SK_UDP, AF_INET6, IPPROTO_UDP },
		{ "raw4", SK_RAW, AF_INET, IPPROTO_RAW }, { "raw6", SK_RAW, AF_INET6, IPPROTO_RAW },
	};
	uint8_t prefix[2];
	char name[64];
	size_t len;

	for (size_t i = 0; i < sizeof(inet) / sizeof(inet[0]); i++) {
		memset(&req, 0, sizeof(req));
		req.h.nlmsg_len = NLMSG_LENGTH(sizeof(req.inet));
		req.h.nlmsg_type = SOCK_DIAG_BY_FAMILY;
		req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
		req.inet.sdiag_family = inet[i].family;
		req.inet.sdiag_protocol = inet[i].proto;
		req.inet.idiag_states = ~0u;
		req.inet.idiag_ext = 0xff;
		if (inet[i].kind == SK_RAW) /* raw_diag: the protocol in the pad byte */
			req.inet.pad = IPPROTO_ICMP + (inet[i].family == AF_INET6 ? 57 : 0);
		len = dump(NETLINK_SOCK_DIAG, &req, req.h.nlmsg_len, buf, SEED_MAX - 2 - 20);
		len = add_done(buf, len);
		prefix[0] = inet[i].kind;
		prefix[1] = 0;
		snprintf(name, sizeof(name), "%s-dump", inet[i].name);
		put("sockdiag", name, prefix, 2, buf, len);
		/* the same with a query: kinds, listen and established only, v4 */
		prefix[1] = 1 | 2 | 4 | 8 | 32 | 64;
		snprintf(name, sizeof(name), "%s-dump-query", inet[i].name);
		put("sockdiag", name, prefix, 2, buf, len);
		/* kernels without raw_diag (CONFIG_INET_RAW_DIAG unset) answer a
		 * raw dump with an empty one: raw rows are read as inet rows, so
		 * the UDP reply stands in for them */
		if (inet[i].kind == SK_UDP) {
			prefix[0] = SK_RAW;
			prefix[1] = 0;
			snprintf(name, sizeof(name), "raw%c-rows-from-%s", inet[i].name[3],
				 inet[i].name);
			put("sockdiag", name, prefix, 2, buf, len);
		}
	}

	/* TCP of both families in one dump (sockdiag.c): the old request type,
	 * whose replies carry it */
	memset(&req, 0, sizeof(req));
	req.h.nlmsg_len = NLMSG_LENGTH(sizeof(req.v1));
	req.h.nlmsg_type = TCPDIAG_GETSOCK;
	req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.v1.idiag_family = AF_INET;
	req.v1.idiag_states = ~0u;
	req.v1.idiag_ext = 0xff;
	len = add_done(buf, dump(NETLINK_SOCK_DIAG, &req, req.h.nlmsg_len, buf, SEED_MAX - 2 - 20));
	prefix[0] = SK_TCP;
	prefix[1] = 0;
	put("sockdiag", "tcp-both-dump", prefix, 2, buf, len);

	memset(&req, 0, sizeof(req));
	req.h.nlmsg_len = NLMSG_LENGTH(sizeof(req.unix));
	req.h.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.unix.sdiag_family = AF_UNIX;
	req.unix.udiag_states = ~0u;
	req.unix.udiag_show = UDIAG_SHOW_NAME | UDIAG_SHOW_VFS | UDIAG_SHOW_PEER |
			      UDIAG_SHOW_ICONS | UDIAG_SHOW_RQLEN | UDIAG_SHOW_MEMINFO |
			      UDIAG_SHOW_UID;
	len = add_done(buf, dump(NETLINK_SOCK_DIAG, &req, req.h.nlmsg_len, buf, SEED_MAX - 2 - 20));
	prefix[0] = SK_UNIX_STREAM;
	prefix[1] = 0;
	put("sockdiag", "unix-dump", prefix, 2, buf, len);

	memset(&req, 0, sizeof(req));
	req.h.nlmsg_len = NLMSG_LENGTH(sizeof(req.nl));
	req.h.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.nl.sdiag_family = AF_NETLINK;
	req.nl.sdiag_protocol = NDIAG_PROTO_ALL;
	req.nl.ndiag_show = NDIAG_SHOW_GROUPS | NDIAG_SHOW_MEMINFO;
	len = add_done(buf, dump(NETLINK_SOCK_DIAG, &req, req.h.nlmsg_len, buf, SEED_MAX - 2 - 20));
	prefix[0] = SK_NETLINK;
	put("sockdiag", "netlink-dump", prefix, 2, buf, len);

	memset(&req, 0, sizeof(req));
	req.h.nlmsg_len = NLMSG_LENGTH(sizeof(req.pkt));
	req.h.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.pkt.sdiag_family = AF_PACKET;
	req.pkt.pdiag_show = PACKET_SHOW_INFO | PACKET_SHOW_MCLIST | PACKET_SHOW_RING_CFG |
			     PACKET_SHOW_FANOUT | PACKET_SHOW_MEMINFO | PACKET_SHOW_FILTER;
	len = add_done(buf, dump(NETLINK_SOCK_DIAG, &req, req.h.nlmsg_len, buf, SEED_MAX - 2 - 20));
	prefix[0] = SK_PACKET_RAW;
	put("sockdiag", "packet-dump", prefix, 2, buf, len);
}

static void rtnl_seeds(void)
{
	static uint8_t buf[65536 + 64];
	struct {
		struct nlmsghdr h;
		union {
			struct ifinfomsg ifi;
			struct ifaddrmsg ifa;
		};
	} req;
	size_t len;

	memset(&req, 0, sizeof(req));
	req.h.nlmsg_len = NLMSG_LENGTH(sizeof(req.ifi));
	req.h.nlmsg_type = RTM_GETLINK;
	req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	len = dump(NETLINK_ROUTE, &req, req.h.nlmsg_len, buf, SEED_MAX - 20);
	put("linkmsg", "getlink-dump", "", 0, buf, add_done(buf, len));

	memset(&req, 0, sizeof(req));
	req.h.nlmsg_len = NLMSG_LENGTH(sizeof(req.ifa));
	req.h.nlmsg_type = RTM_GETADDR;
	req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	len = dump(NETLINK_ROUTE, &req, req.h.nlmsg_len, buf, SEED_MAX - 20);
	put("linkmsg", "getaddr-dump", "", 0, buf, add_done(buf, len));
}

/* Iterator records, as include/socktap.h lays them out. */
static void iter_seeds(void)
{
	struct {
		struct socktap_iter_sock s;
		struct socktap_iter_mem m;
		struct socktap_iter_tcpinfo ti;
		struct socktap_iter_sock s2; /* a listener, no parts */
	} tcp;
	struct {
		struct socktap_iter_unix u;
		struct socktap_iter_mem m;
		uint64_t icons[2];
		struct socktap_iter_unix u2; /* abstract, connected */
	} unx;
	struct socktap_iter_file files[3];
	uint8_t sel;

	memset(&tcp, 0, sizeof(tcp));
	tcp.s.cookie = 0x131ab;
	tcp.s.ino = 351311;
	tcp.s.cgroup = 77;
	inet_pton(AF_INET, "127.0.0.1", tcp.s.saddr);
	inet_pton(AF_INET, "10.1.2.3", tcp.s.daddr);
	tcp.s.netns = 4026531840u;
	tcp.s.uid = 1000;
	tcp.s.rqueue = 11;
	tcp.s.wqueue = 22;
	tcp.s.timer_jiffies = 50;
	tcp.s.sport = 44158;
	tcp.s.dport = 5555;
	tcp.s.family = AF_INET;
	tcp.s.proto = IPPROTO_TCP;
	tcp.s.state = SOCKTAP_TCP_ESTABLISHED;
	tcp.s.timer = SOCKTAP_TIMER_ON;
	tcp.s.flags = SOCKTAP_ITER_F_MEM | SOCKTAP_ITER_F_TCPINFO | SOCKTAP_ITER_F_PORT_BOUND;
	tcp.m = (struct socktap_iter_mem){ 1, 131072, 2, 2626560, 3, 4, 5, 6, 7, 0 };
	tcp.ti.bytes_sent = 1000;
	tcp.ti.pacing_rate = 2500000;
	tcp.ti.max_pacing_rate = ~0ull;
	tcp.ti.rate_delivered = 10;
	tcp.ti.rate_interval_us = 20000;
	tcp.ti.rto = 50;
	tcp.ti.srtt_us8 = 9877;
	tcp.ti.mdev_us4 = 2270;
	tcp.ti.mss_cache = 1448;
	tcp.ti.snd_cwnd = 10;
	tcp.ti.chrono_stat[0] = 100;
	tcp.ti.chrono_type = 2;
	tcp.ti.options = 7;
	tcp.ti.has_bbr = 1;
	tcp.ti.bbr_bw = 1 << 24;
	strcpy(tcp.ti.cong, "bbr");
	tcp.s2 = tcp.s;
	inet_pton(AF_INET6, "::1", tcp.s2.saddr);
	memset(tcp.s2.daddr, 0, 16);
	tcp.s2.family = AF_INET6;
	tcp.s2.state = SOCKTAP_TCP_LISTEN;
	tcp.s2.flags = SOCKTAP_ITER_F_V6ONLY;
	sel = 0;
	put("iter_decode", "tcp-records", &sel, 1, &tcp, sizeof(tcp));
	sel = 1 + 4; /* UDP, HZ 250 */
	tcp.s.proto = IPPROTO_UDP;
	tcp.s.state = SOCKTAP_TCP_CLOSE;
	tcp.s.flags = SOCKTAP_ITER_F_MEM;
	put("iter_decode", "udp-records", &sel, 1, &tcp, sizeof(tcp.s) + sizeof(tcp.m));

	memset(&unx, 0, sizeof(unx));
	unx.u.cookie = 7;
	unx.u.ino = 5001;
	unx.u.type = SOCK_STREAM;
	unx.u.state = SOCKTAP_TCP_LISTEN;
	unx.u.flags = SOCKTAP_ITER_F_MEM;
	unx.u.nicons = 2;
	strcpy(unx.u.path, "/run/socktap.sock");
	unx.u.path_len = (uint16_t)strlen(unx.u.path) + 1;
	unx.u.vfs_dev = 0x801;
	unx.u.vfs_ino = 99;
	unx.icons[0] = 5002;
	unx.icons[1] = 5003;
	unx.u2.ino = 5004;
	unx.u2.peer_ino = 5005;
	unx.u2.type = SOCK_DGRAM;
	unx.u2.state = SOCKTAP_TCP_ESTABLISHED;
	memcpy(unx.u2.path, "\0abstract\0name", 14);
	unx.u2.path_len = 14;
	sel = 2;
	put("iter_decode", "unix-records", &sel, 1, &unx, sizeof(unx));

	memset(files, 0, sizeof(files));
	for (int i = 0; i < 3; i++) {
		files[i].ino = i == 2 ? 9 : 2;
		files[i].pid = 100 + (uint32_t)i;
		files[i].fd = 3 + (uint32_t)i;
		files[i].f_mode = 3;
		strcpy(files[i].comm, i ? "python3" : "sshd");
	}
	sel = 3;
	put("iter_decode", "file-records", &sel, 1, files, sizeof(files));
}

/*
 * A network namespace of its own, with lo up: the dumps then hold this
 * program's sockets and lo only, nothing of the machine it ran on.
 */
static void lo_netns(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int fd;

	if (unshare(CLONE_NEWNET))
		die("unshare(CLONE_NEWNET) (root?)");
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || ioctl(fd, SIOCGIFFLAGS, &ifr))
		die("lo flags");
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr))
		die("lo up");
	close(fd);
}

/* A few sockets of every kind, so that the dumps have rows. */
static void make_sockets(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	socklen_t al = sizeof(a);
	int l = socket(AF_INET, SOCK_STREAM, 0), c = socket(AF_INET, SOCK_STREAM, 0);
	int l6 = socket(AF_INET6, SOCK_STREAM, 0), u = socket(AF_INET, SOCK_DGRAM, 0);
	int u6 = socket(AF_INET6, SOCK_DGRAM, 0);
	int ul = socket(AF_UNIX, SOCK_STREAM, 0), uc = socket(AF_UNIX, SOCK_STREAM, 0);
	int sp[2];

	if (bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 8) ||
	    getsockname(l, (struct sockaddr *)&a, &al) ||
	    connect(c, (struct sockaddr *)&a, sizeof(a)))
		die("tcp sockets");
	if (bind(l6, (struct sockaddr *)&a6, sizeof(a6)) || listen(l6, 8))
		die("tcp6 listener");
	a.sin_port = 0;
	a6.sin6_port = 0;
	if (bind(u, (struct sockaddr *)&a, sizeof(a)) ||
	    bind(u6, (struct sockaddr *)&a6, sizeof(a6)) ||
	    connect(u6, (struct sockaddr *)&a6, sizeof(a6)))
		die("udp sockets");
	memcpy(un.sun_path, "\0socktap-fuzz-seed", 18);
	if (bind(ul, (struct sockaddr *)&un, offsetof(struct sockaddr_un, sun_path) + 18) ||
	    listen(ul, 8) ||
	    connect(uc, (struct sockaddr *)&un, offsetof(struct sockaddr_un, sun_path) + 18))
		die("unix sockets");
	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sp))
		die("socketpair");
	if (socket(AF_INET, SOCK_RAW, IPPROTO_ICMP) < 0 ||
	    socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6) < 0 ||
	    socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL)) < 0 ||
	    socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_IP)) < 0)
		die("raw and packet sockets (root?)");
	/* left open until exit: the dumps list them */
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: record_seeds CORPUS_DIR\n");
		return 2;
	}
	outdir = argv[1];
	lo_netns();
	make_sockets();
	sock_diag_seeds();
	rtnl_seeds();
	iter_seeds();
	return 0;
}
