// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <sys/socket.h>
#include "socktap.h"
#include "sockjson.h"
#include "ssfmt.h"

const char *sock_proto_name(const struct sock_entry *e)
{
	return sock_kind_proto(e->kind);
}

static const char *family_name(uint16_t family)
{
	switch (family) {
	case AF_INET:
		return "inet";
	case AF_INET6:
		return "inet6";
	case AF_NETLINK:
		return "netlink";
	case AF_PACKET:
		return "packet";
	default:
		return "unix";
	}
}

static const char *unix_type(enum sock_kind k)
{
	return k == SK_UNIX_STREAM ? "stream" : k == SK_UNIX_SEQPACKET ? "seqpacket" : "dgram";
}

static void u64(json_writer_t *jw, const char *k, uint64_t v)
{
	jsonw_name(jw, k);
	jsonw_u64(jw, v);
}

static void str(json_writer_t *jw, const char *k, const char *v)
{
	jsonw_name(jw, k);
	jsonw_string(jw, v);
}

static void addr(json_writer_t *jw, const char *k, const struct sock_entry *e, const uint8_t *a)
{
	char buf[INET6_ADDRSTRLEN];

	str(jw, k, inet_ntop(e->family, a, buf, sizeof(buf)) ? buf : "");
}

/* A netlink socket's protocol and ports, a packet socket's ethertype and device. */
static void link_fields(json_writer_t *jw, const struct sock_entry *e)
{
	if (e->family == AF_NETLINK) {
		u64(jw, "protocol", e->proto);
		u64(jw, "portid", e->nl_portid);
		if (e->nl_connected) {
			u64(jw, "dst_portid", e->nl_dst_portid);
			u64(jw, "dst_group", e->nl_dst_group);
		}
		u64(jw, "groups", e->nl_groups);
		return;
	}
	u64(jw, "protocol", e->pkt_proto);
	u64(jw, "ifindex", e->ifindex);
}

static void timer(json_writer_t *jw, const struct sock_entry *e)
{
	static const char *const names[] = { "off", "on", "keepalive", "timewait", "persist" };

	jsonw_name(jw, "timer");
	jsonw_start_object(jw);
	str(jw, "name", e->timer <= SKT_PERSIST ? names[e->timer] : "unknown");
	u64(jw, "expires_ms", e->timer_expires_ms);
	u64(jw, "retrans", e->timer_retrans);
	jsonw_end_object(jw);
}

static void skmem(json_writer_t *jw, const struct sock_mem *m)
{
	jsonw_name(jw, "skmem");
	jsonw_start_object(jw);
	u64(jw, "rmem_alloc", m->rmem_alloc);
	u64(jw, "rcvbuf", m->rcvbuf);
	u64(jw, "wmem_alloc", m->wmem_alloc);
	u64(jw, "sndbuf", m->sndbuf);
	u64(jw, "fwd_alloc", m->fwd_alloc);
	u64(jw, "wmem_queued", m->wmem_queued);
	u64(jw, "optmem", m->optmem);
	u64(jw, "backlog", m->backlog);
	u64(jw, "drops", m->drops);
	jsonw_end_object(jw);
}

static void tcpinfo(json_writer_t *jw, const struct sock_tcpinfo *t)
{
	jsonw_name(jw, "tcp_info");
	jsonw_start_object(jw);
	str(jw, "cong", t->cong);
	jsonw_name(jw, "ts");
	jsonw_bool(jw, t->options & 1);
	jsonw_name(jw, "sack");
	jsonw_bool(jw, t->options & 2);
	jsonw_name(jw, "ecn");
	jsonw_bool(jw, t->options & 8);
	if (t->options & 4) {
		u64(jw, "snd_wscale", t->snd_wscale);
		u64(jw, "rcv_wscale", t->rcv_wscale);
	}
	u64(jw, "rto_us", t->rto_us);
	u64(jw, "ato_us", t->ato_us);
	u64(jw, "backoff", t->backoff);
	u64(jw, "rtt_us", t->rtt_us);
	u64(jw, "rttvar_us", t->rttvar_us);
	u64(jw, "min_rtt_us", t->min_rtt_us);
	u64(jw, "rcv_rtt_us", t->rcv_rtt_us);
	u64(jw, "mss_bytes", t->snd_mss);
	u64(jw, "rcv_mss_bytes", t->rcv_mss);
	u64(jw, "advmss_bytes", t->advmss);
	u64(jw, "pmtu_bytes", t->pmtu);
	u64(jw, "cwnd_segs", t->snd_cwnd);
	u64(jw, "ssthresh_segs", t->snd_ssthresh);
	u64(jw, "bytes_sent", t->bytes_sent);
	u64(jw, "bytes_retrans", t->bytes_retrans);
	u64(jw, "bytes_acked", t->bytes_acked);
	u64(jw, "bytes_received", t->bytes_received);
	u64(jw, "segs_out", t->segs_out);
	u64(jw, "segs_in", t->segs_in);
	u64(jw, "data_segs_out", t->data_segs_out);
	u64(jw, "data_segs_in", t->data_segs_in);
	u64(jw, "last_send_ms", t->last_data_sent_ms);
	u64(jw, "last_recv_ms", t->last_data_recv_ms);
	u64(jw, "last_ack_ms", t->last_ack_recv_ms);
	u64(jw, "pacing_rate_bytes_per_second", t->pacing_rate);
	u64(jw, "delivery_rate_bytes_per_second", t->delivery_rate);
	u64(jw, "delivered_segs", t->delivered);
	jsonw_name(jw, "app_limited");
	jsonw_bool(jw, t->delivery_rate_app_limited);
	u64(jw, "busy_us", t->busy_time_us);
	u64(jw, "rwnd_limited_us", t->rwnd_limited_us);
	u64(jw, "sndbuf_limited_us", t->sndbuf_limited_us);
	u64(jw, "unacked_segs", t->unacked);
	u64(jw, "retrans_segs", t->retrans);
	u64(jw, "total_retrans_segs", t->total_retrans);
	u64(jw, "lost_segs", t->lost);
	u64(jw, "sacked_segs", t->sacked);
	u64(jw, "reordering_segs", t->reordering);
	u64(jw, "rcv_space_bytes", t->rcv_space);
	u64(jw, "rcv_ssthresh_bytes", t->rcv_ssthresh);
	u64(jw, "notsent_bytes", t->notsent_bytes);
	u64(jw, "snd_wnd_bytes", t->snd_wnd);
	u64(jw, "rcv_wnd_bytes", t->rcv_wnd);
	if (t->has_bbr) {
		jsonw_name(jw, "bbr");
		jsonw_start_object(jw);
		u64(jw, "bw_bytes_per_second", t->bbr_bw);
		u64(jw, "min_rtt_us", t->bbr_min_rtt_us);
		jsonw_name(jw, "pacing_gain");
		jsonw_float(jw, t->bbr_pacing_gain / 256.0);
		jsonw_name(jw, "cwnd_gain");
		jsonw_float(jw, t->bbr_cwnd_gain / 256.0);
		jsonw_end_object(jw);
	}
	jsonw_end_object(jw);
}

void sock_json(json_writer_t *jw, const struct sock_entry *e, unsigned int what)
{
	jsonw_start_object(jw);
	sock_json_fields(jw, e, what);
	jsonw_end_object(jw);
}

void sock_json_fields(json_writer_t *jw, const struct sock_entry *e, unsigned int what)
{
	str(jw, "proto", sock_proto_name(e));
	str(jw, "family", family_name(e->family));
	if (e->family == AF_UNIX)
		str(jw, "type", unix_type(e->kind));
	if (e->family == AF_PACKET)
		str(jw, "type", e->kind == SK_PACKET_RAW ? "raw" : "dgram");
	str(jw, "state", ss_state(e->state));
	u64(jw, "recv_q", e->recv_q);
	u64(jw, "send_q", e->send_q);
	if (e->family == AF_UNIX) {
		jsonw_name(jw, "path");
		if (e->unix_path && e->unix_path[0])
			jsonw_string(jw, e->unix_path);
		else
			jsonw_null(jw);
		u64(jw, "peer_inode", e->unix_peer);
	} else if (e->family == AF_NETLINK || e->family == AF_PACKET) {
		link_fields(jw, e);
	} else {
		addr(jw, "laddr", e, e->laddr);
		u64(jw, "lport", e->lport);
		addr(jw, "raddr", e, e->raddr);
		u64(jw, "rport", e->rport);
		/* the kernel tells v6only of listening and closed sockets only
		 * (sock_diag): the same for either source */
		if (e->family == AF_INET6 &&
		    (e->state == SOCKTAP_TCP_LISTEN || e->state == SOCKTAP_TCP_CLOSE)) {
			jsonw_name(jw, "v6only");
			jsonw_bool(jw, e->v6only);
		}
		if (e->ifindex)
			u64(jw, "ifindex", e->ifindex);
		if (e->mark)
			u64(jw, "mark", e->mark);
	}
	u64(jw, "netns", e->netns);
	/* netlink_diag tells no owner uid */
	if (!(what & SOCKJSON_NO_UID) && e->family != AF_NETLINK)
		u64(jw, "uid", e->uid);
	u64(jw, "inode", e->inode);
	u64(jw, "cookie", e->cookie);
	if (e->cgroup)
		u64(jw, "cgroup", e->cgroup);
	if (what & SOCKJSON_OWNERS) {
		jsonw_name(jw, "owners");
		jsonw_start_array(jw);
		for (size_t i = 0; i < e->nowners; i++) {
			jsonw_start_object(jw);
			u64(jw, "pid", e->owners[i].pid);
			str(jw, "comm", e->owners[i].comm);
			u64(jw, "fd", (uint64_t)e->owners[i].fd);
			jsonw_end_object(jw);
		}
		jsonw_end_array(jw);
	}
	if ((what & SOCKJSON_TIMER) && (e->family == AF_INET || e->family == AF_INET6))
		timer(jw, e);
	if ((what & SOCKJSON_MEM) && e->has_mem)
		skmem(jw, &e->mem);
	if ((what & SOCKJSON_TCPINFO) && e->has_tcpinfo)
		tcpinfo(jw, &e->tcpi);
}
