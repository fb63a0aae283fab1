// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/sysmacros.h>
#include "escape.h"
#include "format.h"
#include "socktap.h"
#include "ssfmt.h"
#include "strbuf.h"
#include "tcpstate.h"
#include "util.h"

#define TCPI_OPT_TIMESTAMPS 1
#define TCPI_OPT_SACK 2
#define TCPI_OPT_WSCALE 4
#define TCPI_OPT_ECN 8
#define TCPI_OPT_ECN_SEEN 16
#define TCPI_OPT_SYN_DATA 32

const char *ss_netid(enum sock_kind k)
{
	static const char *const names[SK_KIND_MAX] = {
		[SK_NETLINK] = "nl",
		[SK_PACKET_RAW] = "p_raw",
		[SK_PACKET_DGRAM] = "p_dgr",
		[SK_UNIX_STREAM] = "u_str",
		[SK_UNIX_DGRAM] = "u_dgr",
		[SK_UNIX_SEQPACKET] = "u_seq",
		[SK_RAW] = "raw",
		[SK_UDP] = "udp",
		[SK_TCP] = "tcp",
	};

	return k < SK_KIND_MAX ? names[k] : "unknown";
}

const char *ss_state(uint8_t state)
{
	/* the kernel reports request sockets as SYN-RECV */
	if (state == SOCKTAP_TCP_NEW_SYN_RECV)
		state = SOCKTAP_TCP_SYN_RECV;
	if (state == SOCKTAP_TCP_BOUND_INACTIVE)
		return "UNDEF";
	return tcp_state_name(state);
}

size_t ss_queue(char *buf, size_t len, uint32_t q)
{
	size_t n;

	if (len < 24) {
		snprintf(buf, len, "%-6u", q);
		return strlen(buf);
	}
	n = fmt_u64(buf, q);
	while (n < 6)
		buf[n++] = ' ';
	buf[n] = '\0';
	return n;
}

static bool is_any6(const uint8_t *a)
{
	static const uint8_t zero[16];

	return !memcmp(a, zero, 16);
}

/* inet_addr_print(): "*" for a dual-stack wildcard, brackets around IPv6. */
static size_t inet_addr_text(char *buf, size_t len, const struct sock_entry *e, const uint8_t *a,
			     uint32_t ifindex, const struct ssfmt_opts *o)
{
	char host[INET6_ADDRSTRLEN + 2], ifbuf[32];
	const char *h = NULL, *ifn = NULL;

	if (o->resolve && o->host && !(e->family == AF_INET6 && !e->v6only && is_any6(a)))
		h = o->host(e->family, a);
	if (e->family == AF_INET && !h && !ifindex && len >= INET_ADDRSTRLEN + 1) {
		/* the common case, without a format string (glibc's inet_ntop
		 * formats IPv4 with sprintf) */
		size_t n = fmt_ipv4(buf, a);

		buf[n++] = ':';
		buf[n] = '\0';
		return n;
	}
	if (e->family == AF_INET) {
		if (!h)
			h = inet_ntop(AF_INET, a, host, sizeof(host));
	} else if (!e->v6only && is_any6(a)) {
		h = "*";
	} else if (!h) {
		char raw[INET6_ADDRSTRLEN];

		inet_ntop(AF_INET6, a, raw, sizeof(raw));
		snprintf(host, sizeof(host), "[%s]", raw);
		h = host;
	} else if (strchr(h, ':')) {
		snprintf(host, sizeof(host), "[%s]", h);
		h = host;
	}
	if (ifindex) {
		ifn = o->ifname ? o->ifname(ifindex, ifbuf, sizeof(ifbuf)) : NULL;
		if (!ifn) {
			snprintf(ifbuf, sizeof(ifbuf), "if%u", ifindex);
			ifn = ifbuf;
		}
		snprintf(buf, len, "%s%%%s:", h, ifn);
	} else {
		snprintf(buf, len, "%s:", h);
	}
	return strlen(buf);
}

const char *ss_nl_proto_name(unsigned int proto)
{
	/* iproute2's nl_protos table */
	static const char *const names[] = {
		"rtnl",	      "unused",	  "usersock", "fw",	"tcpdiag",   "nflog",
		"xfrm",	      "selinux",  "iscsi",    "audit",	"fiblookup", "connector",
		"nft",	      "ip6fw",	  "dec-rt",   "uevent", "genl",	     NULL,
		"scsi-trans", "ecryptfs", "rdma",     "crypto",
	};

	return proto < ARRAY_SIZE(names) ? names[proto] : NULL;
}

/* the names ss 6.1 gives (iproute2's llproto_names, as built against
 * its kernel headers): ETH_P_* values, host order */
static const struct {
	uint16_t id;
	const char *name;
} ll_names[] = {
	{ 0x0001, "802_3" },	{ 0x0002, "ax25" },    { 0x0003, "all" },
	{ 0x0004, "802_2" },	{ 0x0005, "snap" },    { 0x0006, "ddcmp" },
	{ 0x0007, "wan_ppp" },	{ 0x0008, "ppp_mp" },  { 0x0009, "localtalk" },
	{ 0x000c, "can" },	{ 0x0010, "ppptalk" }, { 0x0011, "tr_802_2" },
	{ 0x0015, "mobitex" },	{ 0x0016, "control" }, { 0x0017, "irda" },
	{ 0x0018, "econet" },	{ 0x0060, "loop" },    { 0x0200, "pup" },
	{ 0x0201, "pupat" },	{ 0x0800, "ip" },      { 0x0805, "x25" },
	{ 0x0806, "arp" },	{ 0x0a00, "ieeepup" }, { 0x0a01, "ieeepupat" },
	{ 0x6000, "dec" },	{ 0x6001, "dna_dl" },  { 0x6002, "dna_rc" },
	{ 0x6003, "dna_rt" },	{ 0x6004, "lat" },     { 0x6005, "diag" },
	{ 0x6006, "cust" },	{ 0x6007, "sca" },     { 0x6558, "teb" },
	{ 0x8035, "rarp" },	{ 0x809b, "atalk" },   { 0x80f3, "aarp" },
	{ 0x8100, "802.1Q" },	{ 0x8137, "ipx" },     { 0x86dd, "ipv6" },
	{ 0x8847, "mpls_uc" },	{ 0x8848, "mpls_mc" }, { 0x884c, "atmmpoa" },
	{ 0x8863, "ppp_disc" }, { 0x8864, "ppp_ses" }, { 0x8884, "atmfate" },
	{ 0x8892, "profinet" }, { 0x88a2, "aoe" },     { 0x88a4, "ethercat" },
	{ 0x88a8, "802.1ad" },	{ 0x88ca, "tipc" },    { 0x88cc, "LLDP" },
};

const char *ss_ll_proto_name(unsigned int ethertype)
{
	for (size_t i = 0; i < ARRAY_SIZE(ll_names); i++)
		if (ll_names[i].id == ethertype)
			return ll_names[i].name;
	return NULL;
}

int ss_nl_proto_id(const char *name)
{
	unsigned long v;
	char *end;

	for (unsigned int i = 0; i < 256; i++) {
		const char *n = ss_nl_proto_name(i);

		if (n && !strcmp(n, name))
			return (int)i;
	}
	/* nl_proto_a2n: a number up to 255, base 0 */
	v = strtoul(name, &end, 0);
	return end == name || *end || v > 255 ? -1 : (int)v;
}

int ss_ll_proto_id(const char *name)
{
	unsigned long v;
	char *end;

	/* ll_proto_a2n: the names, case-insensitively ("ipv4" is ip too) */
	if (!strcasecmp(name, "ipv4"))
		return 0x0800;
	for (size_t i = 0; i < ARRAY_SIZE(ll_names); i++)
		if (!strcasecmp(ll_names[i].name, name))
			return ll_names[i].id;
	v = strtoul(name, &end, 0);
	return end == name || *end || v > 0xffff ? -1 : (int)v;
}

/* netlink_show_one(): "PROTO:" on the left, the port on the right. */
static void nl_local_addr(char *buf, size_t len, const struct sock_entry *e,
			  const struct ssfmt_opts *o)
{
	const char *name = o->numeric ? NULL : ss_nl_proto_name(e->proto);

	if (name)
		snprintf(buf, len, "%s:", name);
	else
		snprintf(buf, len, "%u:", e->proto);
}

/* The port: "kernel" for 0 and "COMM/PID" where a process has that pid, unless -n. */
static void nl_local_port(char *buf, size_t len, const struct sock_entry *e,
			  const struct ssfmt_opts *o)
{
	int32_t port = (int32_t)e->nl_portid;
	char comm[64];

	if (port == -1) {
		snprintf(buf, len, "*");
		return;
	}
	if (!o->numeric && port == 0) {
		snprintf(buf, len, "kernel");
		return;
	}
	if (!o->numeric && port > 0 && o->proc_comm &&
	    o->proc_comm(e->nl_portid, comm, sizeof(comm))) {
		char *c = term_escape(comm);

		snprintf(buf, len, "%s/%d", c, port);
		free(c);
		return;
	}
	snprintf(buf, len, "%d", port);
}

/* packet_stats_print(): "*" for ETH_P_ALL, the ethertype's name unless -n, else "[N]". */
static void pkt_local_addr(char *buf, size_t len, const struct sock_entry *e,
			   const struct ssfmt_opts *o)
{
	const char *name = o->numeric ? NULL : ss_ll_proto_name(e->pkt_proto);

	if (e->pkt_proto == 3)
		snprintf(buf, len, "*:");
	else if (name)
		snprintf(buf, len, "%s:", name);
	else
		snprintf(buf, len, "[%u]:", e->pkt_proto);
}

/* The bound device's name ("if<N>" if it has none), "*" if not bound. */
static void pkt_local_port(char *buf, size_t len, const struct sock_entry *e,
			   const struct ssfmt_opts *o)
{
	char ifbuf[32];
	const char *ifn = NULL;

	if (!e->ifindex) {
		snprintf(buf, len, "*");
		return;
	}
	if (o->ifname)
		ifn = o->ifname(e->ifindex, ifbuf, sizeof(ifbuf));
	if (ifn)
		snprintf(buf, len, "%s", ifn);
	else
		snprintf(buf, len, "if%u", e->ifindex);
}

size_t ss_local_addr(char *buf, size_t len, const struct sock_entry *e, const struct ssfmt_opts *o)
{
	if (e->family == AF_NETLINK) {
		nl_local_addr(buf, len, e, o);
		return strlen(buf);
	}
	if (e->family == AF_PACKET) {
		pkt_local_addr(buf, len, e, o);
		return strlen(buf);
	}
	if (e->family == AF_UNIX) {
		/* unix names are raw bytes: escaped for the terminal */
		char *s = term_escape(e->unix_path && e->unix_path[0] ? e->unix_path : "*");

		snprintf(buf, len, "%s ", s);
		free(s);
		return strlen(buf);
	}
	return inet_addr_text(buf, len, e, e->laddr, e->ifindex, o);
}

size_t ss_peer_addr(char *buf, size_t len, const struct sock_entry *e, const struct ssfmt_opts *o)
{
	/* a connected netlink socket: "GROUP:PORT", in numbers */
	if (e->family == AF_NETLINK && e->nl_connected) {
		snprintf(buf, len, "%d:", (int32_t)e->nl_dst_group);
		return strlen(buf);
	}
	/* any other netlink or packet socket: "*" and an empty port */
	if (e->family == AF_NETLINK || e->family == AF_PACKET) {
		snprintf(buf, len, "*");
		return strlen(buf);
	}
	if (e->family == AF_UNIX) {
		/* ss 6.1 names no unix peer: only its inode */
		snprintf(buf, len, "* ");
		return strlen(buf);
	}
	return inet_addr_text(buf, len, e, e->raddr, 0, o);
}

/* resolve_service(): "*" for 0, a name unless -n, protocols for raw sockets. */
static size_t inet_port(char *buf, size_t len, const struct sock_entry *e, uint16_t port,
			const struct ssfmt_opts *o)
{
	const char *name = NULL;
	size_t n;

	if (!port) {
		snprintf(buf, len, "*");
		return strlen(buf);
	}
	if (!o->numeric) {
		if (e->kind == SK_RAW)
			name = o->protocol ? o->protocol(port) : NULL;
		else if (o->service)
			name = o->service(port, e->kind == SK_UDP ? "udp" : "tcp");
	}
	if (name || len < 24) {
		if (name)
			snprintf(buf, len, "%s", name);
		else
			snprintf(buf, len, "%u", port);
		return strlen(buf);
	}
	n = fmt_u64(buf, port);
	buf[n] = '\0';
	return n;
}

size_t ss_local_port(char *buf, size_t len, const struct sock_entry *e, const struct ssfmt_opts *o)
{
	if (e->family == AF_INET || e->family == AF_INET6)
		return inet_port(buf, len, e, e->lport, o);
	if (e->family == AF_NETLINK)
		nl_local_port(buf, len, e, o);
	else if (e->family == AF_PACKET)
		pkt_local_port(buf, len, e, o);
	else
		snprintf(buf, len, "%" PRIu64, e->inode);
	return strlen(buf);
}

size_t ss_peer_port(char *buf, size_t len, const struct sock_entry *e, const struct ssfmt_opts *o)
{
	if (e->family == AF_INET || e->family == AF_INET6)
		return inet_port(buf, len, e, e->rport, o);
	if (e->family == AF_NETLINK && e->nl_connected)
		snprintf(buf, len, "%d", (int32_t)e->nl_dst_portid);
	else if (e->family == AF_NETLINK || e->family == AF_PACKET)
		buf[0] = '\0';
	else
		snprintf(buf, len, "%" PRIu64, e->unix_peer);
	return strlen(buf);
}

/* ("comm",pid=N,fd= of owner w into sb */
static void owner_head(struct strbuf *sb, const struct sock_owner *w)
{
	char num[24];

	sb_puts(sb, "(\"");
	term_escape_sb(sb, w->comm);
	sb_puts(sb, "\",pid=");
	sb_put(sb, num, fmt_u64(num, w->pid));
	sb_puts(sb, ",fd=");
}

void ss_users(struct strbuf *sb, const struct sock_entry *e, struct ss_users_memo *memo)
{
	char num[24];

	/* ss 6.1 looks up no process for a netlink socket */
	if (!e->nowners || e->kind == SK_NETLINK)
		return;
	sb_puts(sb, " users:(");
	/* ss lists the last process and fd it found first */
	for (size_t i = 0; i < e->nowners; i++) {
		const struct sock_owner *w = &e->owners[e->nowners - 1 - i];

		if (i)
			sb_putc(sb, ',');
		if (!memo) {
			owner_head(sb, w);
		} else if (memo->valid && memo->pid == w->pid &&
			   !memcmp(memo->comm, w->comm, sizeof(w->comm))) {
			sb_put(sb, memo->text, memo->len);
		} else {
			size_t at = sb->len;

			owner_head(sb, w);
			memo->valid = sb->len - at <= sizeof(memo->text);
			if (memo->valid) {
				memo->pid = w->pid;
				memcpy(memo->comm, w->comm, sizeof(w->comm));
				memo->len = sb->len - at;
				memcpy(memo->text, sb->p + at, memo->len);
			}
		}
		if (w->fd < 0)
			sb_putc(sb, '-');
		sb_put(sb, num, fmt_u64(num, (uint64_t)(w->fd < 0 ? -(int64_t)w->fd : w->fd)));
		sb_putc(sb, ')');
	}
	sb_putc(sb, ')');
}

void ss_ms_timer(char *buf, size_t len, uint32_t ms)
{
	unsigned int secs = ms / 1000, minutes = secs / 60, msecs = ms % 1000;
	size_t n = 0;

	secs %= 60;
	buf[0] = '\0';
	if (minutes) {
		msecs = 0;
		n += (size_t)snprintf(buf + n, len - n, "%umin", minutes);
		if (minutes > 9)
			secs = 0;
	}
	if (secs && n < len) {
		if (secs > 9)
			msecs = 0;
		n += (size_t)snprintf(buf + n, len - n, "%u%s", secs, msecs ? "." : "sec");
	}
	/* ss 6.1 says "ms" after a fraction of seconds too: "1.500ms" */
	if (msecs && n < len)
		snprintf(buf + n, len - n, "%03ums", msecs);
}

void ss_bw(char *buf, size_t len, double bw, bool numeric)
{
	if (numeric)
		snprintf(buf, len, "%.0f", bw);
	else if (bw >= 1e12)
		snprintf(buf, len, "%.3gT", bw / 1e12);
	else if (bw >= 1e9)
		snprintf(buf, len, "%.3gG", bw / 1e9);
	else if (bw >= 1e6)
		snprintf(buf, len, "%.3gM", bw / 1e6);
	else if (bw >= 1e3)
		snprintf(buf, len, "%.3gk", bw / 1e3);
	else
		snprintf(buf, len, "%g", bw);
}

static void sbf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void sbf(struct strbuf *sb, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	sb_puts(sb, buf);
}

static void timer(struct strbuf *sb, const struct sock_entry *e)
{
	static const char *const names[] = { "off",	 "on",	    "keepalive",
					     "timewait", "persist", "unknown" };
	unsigned int t = e->timer > 4 ? 5 : e->timer;
	char ms[64];

	if (!t)
		return;
	ss_ms_timer(ms, sizeof(ms), e->timer_expires_ms);
	sbf(sb, " timer:(%s,%s,%u)", names[t], ms, e->timer_retrans);
}

static void skmem(struct strbuf *sb, const struct sock_mem *m)
{
	sbf(sb, " skmem:(r%u,rb%u,t%u,tb%u,f%u,w%u,o%u,bl%u,d%u)", m->rmem_alloc, m->rcvbuf,
	    m->wmem_alloc, m->sndbuf, m->fwd_alloc, m->wmem_queued, m->optmem, m->backlog,
	    m->drops);
}

/* tcp_stats_print(): each field only when non-zero, in ss's order. */
static void tcpinfo(struct strbuf *sb, const struct sock_entry *e, const struct ssfmt_opts *o)
{
	const struct sock_tcpinfo *t = e->tcpi;
	double rtt = t->rtt_us / 1000.0;
	char b[64];

	if (o->options) {
		if (t->options & TCPI_OPT_TIMESTAMPS)
			sb_puts(sb, " ts");
		if (t->options & TCPI_OPT_SACK)
			sb_puts(sb, " sack");
		if (t->options & TCPI_OPT_ECN)
			sb_puts(sb, " ecn");
		if (t->options & TCPI_OPT_ECN_SEEN)
			sb_puts(sb, " ecnseen");
		if (t->options & TCPI_OPT_SYN_DATA)
			sb_puts(sb, " fastopen");
	}
	if (t->cong[0]) {
		char *c = term_escape(t->cong);

		sbf(sb, " %s", c);
		free(c);
	}
	if (t->options & TCPI_OPT_WSCALE)
		sbf(sb, " wscale:%u,%u", t->snd_wscale, t->rcv_wscale);
	if (t->rto_us && t->rto_us != 3000000)
		sbf(sb, " rto:%g", t->rto_us / 1000.0);
	if (t->backoff)
		sbf(sb, " backoff:%u", t->backoff);
	if (t->rtt_us)
		sbf(sb, " rtt:%g/%g", rtt, t->rttvar_us / 1000.0);
	if (t->ato_us)
		sbf(sb, " ato:%g", t->ato_us / 1000.0);
	if (t->snd_mss)
		sbf(sb, " mss:%u", t->snd_mss);
	if (t->pmtu)
		sbf(sb, " pmtu:%u", t->pmtu);
	if (t->rcv_mss)
		sbf(sb, " rcvmss:%u", t->rcv_mss);
	if (t->advmss)
		sbf(sb, " advmss:%u", t->advmss);
	if (t->snd_cwnd)
		sbf(sb, " cwnd:%u", t->snd_cwnd);
	if (t->snd_ssthresh && t->snd_ssthresh < 0xFFFF)
		sbf(sb, " ssthresh:%u", t->snd_ssthresh);
	if (t->bytes_sent)
		sbf(sb, " bytes_sent:%" PRIu64, t->bytes_sent);
	if (t->bytes_retrans)
		sbf(sb, " bytes_retrans:%" PRIu64, t->bytes_retrans);
	if (t->bytes_acked)
		sbf(sb, " bytes_acked:%" PRIu64, t->bytes_acked);
	if (t->bytes_received)
		sbf(sb, " bytes_received:%" PRIu64, t->bytes_received);
	if (t->segs_out)
		sbf(sb, " segs_out:%u", t->segs_out);
	if (t->segs_in)
		sbf(sb, " segs_in:%u", t->segs_in);
	if (t->data_segs_out)
		sbf(sb, " data_segs_out:%u", t->data_segs_out);
	if (t->data_segs_in)
		sbf(sb, " data_segs_in:%u", t->data_segs_in);
	if (t->has_bbr) {
		ss_bw(b, sizeof(b), t->bbr_bw * 8.0, o->numeric);
		sbf(sb, " bbr:(bw:%sbps,mrtt:%g", b, t->bbr_min_rtt_us / 1000.0);
		if (t->bbr_pacing_gain)
			sbf(sb, ",pacing_gain:%g", t->bbr_pacing_gain / 256.0);
		if (t->bbr_cwnd_gain)
			sbf(sb, ",cwnd_gain:%g", t->bbr_cwnd_gain / 256.0);
		sb_putc(sb, ')');
	}
	if (t->rtt_us && t->snd_mss && t->snd_cwnd) {
		ss_bw(b, sizeof(b), (double)t->snd_cwnd * t->snd_mss * 8000000.0 / t->rtt_us,
		      o->numeric);
		sbf(sb, " send %sbps", b);
	}
	if (t->last_data_sent_ms)
		sbf(sb, " lastsnd:%u", t->last_data_sent_ms);
	if (t->last_data_recv_ms)
		sbf(sb, " lastrcv:%u", t->last_data_recv_ms);
	if (t->last_ack_recv_ms)
		sbf(sb, " lastack:%u", t->last_ack_recv_ms);
	if (t->pacing_rate && t->pacing_rate != UINT64_MAX) {
		ss_bw(b, sizeof(b), t->pacing_rate * 8.0, o->numeric);
		sbf(sb, " pacing_rate %sbps", b);
		if (t->max_pacing_rate && t->max_pacing_rate != UINT64_MAX) {
			ss_bw(b, sizeof(b), t->max_pacing_rate * 8.0, o->numeric);
			sbf(sb, "/%sbps", b);
		}
	}
	if (t->delivery_rate) {
		ss_bw(b, sizeof(b), t->delivery_rate * 8.0, o->numeric);
		sbf(sb, " delivery_rate %sbps", b);
	}
	if (t->delivered)
		sbf(sb, " delivered:%u", t->delivered);
	if (t->delivered_ce)
		sbf(sb, " delivered_ce:%u", t->delivered_ce);
	if (t->delivery_rate_app_limited)
		sb_puts(sb, " app_limited");
	if (t->busy_time_us) {
		sbf(sb, " busy:%" PRIu64 "ms", t->busy_time_us / 1000);
		if (t->rwnd_limited_us)
			sbf(sb, " rwnd_limited:%" PRIu64 "ms(%.1f%%)", t->rwnd_limited_us / 1000,
			    100.0 * t->rwnd_limited_us / t->busy_time_us);
		if (t->sndbuf_limited_us)
			sbf(sb, " sndbuf_limited:%" PRIu64 "ms(%.1f%%)",
			    t->sndbuf_limited_us / 1000,
			    100.0 * t->sndbuf_limited_us / t->busy_time_us);
	}
	if (t->unacked)
		sbf(sb, " unacked:%u", t->unacked);
	if (t->retrans || t->total_retrans)
		sbf(sb, " retrans:%u/%u", t->retrans, t->total_retrans);
	if (t->lost)
		sbf(sb, " lost:%u", t->lost);
	if (t->sacked && e->state != SOCKTAP_TCP_LISTEN)
		sbf(sb, " sacked:%u", t->sacked);
	if (t->dsack_dups)
		sbf(sb, " dsack_dups:%u", t->dsack_dups);
	if (t->reordering != 3)
		sbf(sb, " reordering:%u", t->reordering);
	if (t->reord_seen)
		sbf(sb, " reord_seen:%u", t->reord_seen);
	if (t->rcv_rtt_us)
		sbf(sb, " rcv_rtt:%g", t->rcv_rtt_us / 1000.0);
	if (t->rcv_space)
		sbf(sb, " rcv_space:%u", t->rcv_space);
	if (t->rcv_ssthresh)
		sbf(sb, " rcv_ssthresh:%u", t->rcv_ssthresh);
	if (t->notsent_bytes)
		sbf(sb, " notsent:%u", t->notsent_bytes);
	if (t->min_rtt_us && t->min_rtt_us != UINT32_MAX)
		sbf(sb, " minrtt:%g", t->min_rtt_us / 1000.0);
	if (t->snd_wnd)
		sbf(sb, " snd_wnd:%u", t->snd_wnd);
}

/* cg_id_to_path(): a cgroup not found is "unreachable:ID" (hex) */
static void cgroup(struct strbuf *sb, const struct sock_entry *e, const struct ssfmt_opts *o)
{
	const char *path = o->cgroup_path ? o->cgroup_path(e->cgroup) : NULL;

	if (path) {
		/* a cgroup's name is anyone's bytes */
		sb_puts(sb, " cgroup:");
		term_escape_sb(sb, path);
	} else {
		sbf(sb, " cgroup:unreachable:%" PRIx64, e->cgroup);
	}
}

static void inet_ext(struct strbuf *sb, const struct sock_entry *e, const struct ssfmt_opts *o)
{
	if (o->options)
		timer(sb, e);
	if (o->details) {
		if (e->uid)
			sbf(sb, " uid:%u", e->uid);
		sbf(sb, " ino:%" PRIu64, e->inode);
		sbf(sb, " sk:%" PRIx64, e->cookie);
		if (e->mark)
			sbf(sb, " fwmark:0x%x", e->mark);
		if (e->cgroup && !e->minisock)
			cgroup(sb, e, o);
		/* the attributes only full sockets carry */
		if (!e->minisock) {
			/* the kernel tells v6only of listening and closed sockets only */
			if (e->family == AF_INET6 &&
			    (e->state == SOCKTAP_TCP_LISTEN || e->state == SOCKTAP_TCP_CLOSE))
				sbf(sb, " v6only:%u", e->v6only);
			sbf(sb, " %c-%c", e->shutdown & 1 ? '-' : '<', e->shutdown & 2 ? '-' : '>');
		}
	}
	if (o->cgroup && e->cgroup && !e->minisock)
		cgroup(sb, e, o);
	if (o->mem || (o->info && e->kind != SK_UDP)) {
		if (!o->oneline)
			sb_puts(sb, "\n\t");
		if (o->mem && e->has_mem)
			skmem(sb, &e->mem);
		if (o->info && e->has_tcpinfo)
			tcpinfo(sb, e, o);
	}
}

/* netlink_show_sock(): -e's words (sk and cb are 0 from sock_diag), then -m after a tab. */
static void nl_ext(struct strbuf *sb, const struct sock_entry *e, const struct ssfmt_opts *o)
{
	const struct sock_link_details *d = e->link;

	if (o->details)
		sbf(sb, " sk=%" PRIx64 " cb=%" PRIx64 " groups=0x%08x", d ? d->nl_sk : 0,
		    d ? d->nl_cb : 0, e->nl_groups);
	if (o->mem) {
		sb_putc(sb, '\t');
		if (e->has_mem)
			skmem(sb, &e->mem);
	}
}

static void pkt_ring(struct strbuf *sb, const char *name, const struct sock_packet_ring *r,
		     const struct ssfmt_opts *o)
{
	sbf(sb, "%s%s(blk_size:%d,blk_nr:%d,frm_size:%d,frm_nr:%d,tmo:%d,features:0x%x)",
	    o->oneline ? " " : "\n\t", name, (int)r->block_size, (int)r->block_nr,
	    (int)r->frame_size, (int)r->frame_nr, (int)r->retire_tmo, r->features);
}

/* packet_show_sock(): -e's common words, then the socket's own on a tab-indented line. */
static void pkt_ext(struct strbuf *sb, const struct sock_entry *e, const struct ssfmt_opts *o)
{
	static const char *const fanout_types[] = { "hash", "lb", "cpu", "roll", "random", "qm" };
	const struct sock_link_details *d = e->link;

	if (o->details) {
		if (e->uid)
			sbf(sb, " uid:%u", e->uid);
		sbf(sb, " ino:%" PRIu64, e->inode);
		sbf(sb, " sk:%" PRIx64, e->cookie);
		if (e->mark)
			sbf(sb, " fwmark:0x%x", e->mark);
		if (e->cgroup)
			cgroup(sb, e, o);
	}
	if (o->details && d && d->has_info) {
		sbf(sb, "%sver:%d cpy_thresh:%d flags( ", o->oneline ? " " : "\n\t",
		    (int)d->version, (int)d->copy_thresh);
		/* ss's spacing: the first flag without a blank, the others with one */
		if (d->flags & 0x1)
			sb_puts(sb, "running");
		if (d->flags & 0x2)
			sb_puts(sb, " auxdata");
		if (d->flags & 0x4)
			sb_puts(sb, " origdev");
		if (d->flags & 0x8)
			sb_puts(sb, " vnethdr");
		if (d->flags & 0x10)
			sb_puts(sb, " loss");
		if (!d->flags)
			sb_puts(sb, "0");
		sb_puts(sb, " )");
	}
	if (o->details && d && d->has_rx_ring)
		pkt_ring(sb, "ring_rx", &d->rx_ring, o);
	if (o->details && d && d->has_tx_ring)
		pkt_ring(sb, "ring_tx", &d->tx_ring, o);
	if (o->details && d && d->has_fanout) {
		unsigned int type = d->fanout >> 16;

		sbf(sb, "%sfanout(id:%d,type:", o->oneline ? " " : "\n\t",
		    (int)(d->fanout & 0xffff));
		if (type < ARRAY_SIZE(fanout_types))
			sb_puts(sb, fanout_types[type]);
		else
			sbf(sb, "0x%x", type);
		sb_putc(sb, ')');
	}
	if (o->mem && e->has_mem)
		skmem(sb, &e->mem);
}

void ss_ext(struct strbuf *sb, const struct sock_entry *e, const struct ssfmt_opts *o)
{
	if (e->family == AF_NETLINK) {
		nl_ext(sb, e, o);
		return;
	}
	if (e->family == AF_PACKET) {
		pkt_ext(sb, e, o);
		return;
	}
	if (e->family != AF_UNIX) {
		inet_ext(sb, e, o);
		return;
	}
	if (o->mem && e->has_mem)
		skmem(sb, &e->mem);
	if (o->details) {
		sbf(sb, " %c-%c", e->shutdown & 1 ? '-' : '<', e->shutdown & 2 ? '-' : '>');
		/* glibc's major()/minor() of the kernel's dev_t, as ss prints it */
		if (e->unix_vfs_ino)
			sbf(sb, " ino:%" PRIu64 " dev:%u/%u", e->unix_vfs_ino,
			    major(e->unix_vfs_dev), minor(e->unix_vfs_dev));
		/* a listener's waiting connections, by their peers' inodes */
		if (e->has_icons) {
			sb_puts(sb, " peers:");
			for (size_t i = 0; i < e->unix_nicons; i++)
				sbf(sb, " %" PRIu64, e->unix_icons[i]);
		}
	}
}
