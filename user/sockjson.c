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

static void addr(json_writer_t *jw, const char *k, const struct sock_entry *e, const uint8_t *a)
{
	char buf[INET6_ADDRSTRLEN];

	jsonw_string_field(jw, k, inet_ntop(e->family, a, buf, sizeof(buf)) ? buf : "");
}

/* A netlink socket's protocol and ports, a packet socket's ethertype and device. */
static void link_fields(json_writer_t *jw, const struct sock_entry *e)
{
	if (e->family == AF_NETLINK) {
		jsonw_u64_field(jw, "protocol", e->proto);
		jsonw_u64_field(jw, "portid", e->nl_portid);
		if (e->nl_connected) {
			jsonw_u64_field(jw, "dst_portid", e->nl_dst_portid);
			jsonw_u64_field(jw, "dst_group", e->nl_dst_group);
		}
		jsonw_u64_field(jw, "groups", e->nl_groups);
		return;
	}
	jsonw_u64_field(jw, "protocol", e->pkt_proto);
	jsonw_u64_field(jw, "ifindex", e->ifindex);
}

static void timer(json_writer_t *jw, const struct sock_entry *e)
{
	static const char *const names[] = { "off", "on", "keepalive", "timewait", "persist" };

	jsonw_name(jw, "timer");
	jsonw_start_object(jw);
	jsonw_string_field(jw, "name", e->timer <= SKT_PERSIST ? names[e->timer] : "unknown");
	jsonw_u64_field(jw, "expires_ms", e->timer_expires_ms);
	jsonw_u64_field(jw, "retrans", e->timer_retrans);
	jsonw_end_object(jw);
}

static void skmem(json_writer_t *jw, const struct sock_mem *m)
{
	jsonw_name(jw, "skmem");
	jsonw_start_object(jw);
	jsonw_u64_field(jw, "rmem_alloc", m->rmem_alloc);
	jsonw_u64_field(jw, "rcvbuf", m->rcvbuf);
	jsonw_u64_field(jw, "wmem_alloc", m->wmem_alloc);
	jsonw_u64_field(jw, "sndbuf", m->sndbuf);
	jsonw_u64_field(jw, "fwd_alloc", m->fwd_alloc);
	jsonw_u64_field(jw, "wmem_queued", m->wmem_queued);
	jsonw_u64_field(jw, "optmem", m->optmem);
	jsonw_u64_field(jw, "backlog", m->backlog);
	jsonw_u64_field(jw, "drops", m->drops);
	jsonw_end_object(jw);
}

static void tcpinfo(json_writer_t *jw, const struct sock_tcpinfo *t)
{
	jsonw_name(jw, "tcp_info");
	jsonw_start_object(jw);
	jsonw_string_field(jw, "cong", t->cong);
	jsonw_name(jw, "ts");
	jsonw_bool(jw, t->options & 1);
	jsonw_name(jw, "sack");
	jsonw_bool(jw, t->options & 2);
	jsonw_name(jw, "ecn");
	jsonw_bool(jw, t->options & 8);
	if (t->options & 4) {
		jsonw_u64_field(jw, "snd_wscale", t->snd_wscale);
		jsonw_u64_field(jw, "rcv_wscale", t->rcv_wscale);
	}
	jsonw_u64_field(jw, "rto_us", t->rto_us);
	jsonw_u64_field(jw, "ato_us", t->ato_us);
	jsonw_u64_field(jw, "backoff", t->backoff);
	jsonw_u64_field(jw, "rtt_us", t->rtt_us);
	jsonw_u64_field(jw, "rttvar_us", t->rttvar_us);
	jsonw_u64_field(jw, "min_rtt_us", t->min_rtt_us);
	jsonw_u64_field(jw, "rcv_rtt_us", t->rcv_rtt_us);
	jsonw_u64_field(jw, "mss_bytes", t->snd_mss);
	jsonw_u64_field(jw, "rcv_mss_bytes", t->rcv_mss);
	jsonw_u64_field(jw, "advmss_bytes", t->advmss);
	jsonw_u64_field(jw, "pmtu_bytes", t->pmtu);
	jsonw_u64_field(jw, "cwnd_segs", t->snd_cwnd);
	jsonw_u64_field(jw, "ssthresh_segs", t->snd_ssthresh);
	jsonw_u64_field(jw, "bytes_sent", t->bytes_sent);
	jsonw_u64_field(jw, "bytes_retrans", t->bytes_retrans);
	jsonw_u64_field(jw, "bytes_acked", t->bytes_acked);
	jsonw_u64_field(jw, "bytes_received", t->bytes_received);
	jsonw_u64_field(jw, "segs_out", t->segs_out);
	jsonw_u64_field(jw, "segs_in", t->segs_in);
	jsonw_u64_field(jw, "data_segs_out", t->data_segs_out);
	jsonw_u64_field(jw, "data_segs_in", t->data_segs_in);
	jsonw_u64_field(jw, "last_send_ms", t->last_data_sent_ms);
	jsonw_u64_field(jw, "last_recv_ms", t->last_data_recv_ms);
	jsonw_u64_field(jw, "last_ack_ms", t->last_ack_recv_ms);
	jsonw_u64_field(jw, "pacing_rate_bytes_per_second", t->pacing_rate);
	jsonw_u64_field(jw, "delivery_rate_bytes_per_second", t->delivery_rate);
	jsonw_u64_field(jw, "delivered_segs", t->delivered);
	jsonw_name(jw, "app_limited");
	jsonw_bool(jw, t->delivery_rate_app_limited);
	jsonw_u64_field(jw, "busy_us", t->busy_time_us);
	jsonw_u64_field(jw, "rwnd_limited_us", t->rwnd_limited_us);
	jsonw_u64_field(jw, "sndbuf_limited_us", t->sndbuf_limited_us);
	jsonw_u64_field(jw, "unacked_segs", t->unacked);
	jsonw_u64_field(jw, "retrans_segs", t->retrans);
	jsonw_u64_field(jw, "total_retrans_segs", t->total_retrans);
	jsonw_u64_field(jw, "lost_segs", t->lost);
	jsonw_u64_field(jw, "sacked_segs", t->sacked);
	jsonw_u64_field(jw, "reordering_segs", t->reordering);
	jsonw_u64_field(jw, "rcv_space_bytes", t->rcv_space);
	jsonw_u64_field(jw, "rcv_ssthresh_bytes", t->rcv_ssthresh);
	jsonw_u64_field(jw, "notsent_bytes", t->notsent_bytes);
	jsonw_u64_field(jw, "snd_wnd_bytes", t->snd_wnd);
	jsonw_u64_field(jw, "rcv_wnd_bytes", t->rcv_wnd);
	if (t->has_bbr) {
		jsonw_name(jw, "bbr");
		jsonw_start_object(jw);
		jsonw_u64_field(jw, "bw_bytes_per_second", t->bbr_bw);
		jsonw_u64_field(jw, "min_rtt_us", t->bbr_min_rtt_us);
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
	jsonw_string_field(jw, "proto", sock_proto_name(e));
	jsonw_string_field(jw, "family", family_name(e->family));
	if (e->family == AF_UNIX)
		jsonw_string_field(jw, "type", unix_type(e->kind));
	if (e->family == AF_PACKET)
		jsonw_string_field(jw, "type", e->kind == SK_PACKET_RAW ? "raw" : "dgram");
	jsonw_string_field(jw, "state", ss_state(e->state));
	jsonw_u64_field(jw, "recv_q", e->recv_q);
	jsonw_u64_field(jw, "send_q", e->send_q);
	if (e->family == AF_UNIX) {
		jsonw_name(jw, "path");
		if (e->unix_path && e->unix_path[0])
			jsonw_string(jw, e->unix_path);
		else
			jsonw_null(jw);
		jsonw_u64_field(jw, "peer_inode", e->unix_peer);
	} else if (e->family == AF_NETLINK || e->family == AF_PACKET) {
		link_fields(jw, e);
	} else {
		addr(jw, "laddr", e, e->laddr);
		jsonw_u64_field(jw, "lport", e->lport);
		addr(jw, "raddr", e, e->raddr);
		jsonw_u64_field(jw, "rport", e->rport);
		/* the kernel tells v6only of listening and closed sockets only
		 * (sock_diag): the same for either source */
		if (e->family == AF_INET6 &&
		    (e->state == SOCKTAP_TCP_LISTEN || e->state == SOCKTAP_TCP_CLOSE)) {
			jsonw_name(jw, "v6only");
			jsonw_bool(jw, e->v6only);
		}
		if (e->ifindex)
			jsonw_u64_field(jw, "ifindex", e->ifindex);
		if (e->mark)
			jsonw_u64_field(jw, "mark", e->mark);
	}
	jsonw_u64_field(jw, "netns", e->netns);
	/* netlink_diag tells no owner uid */
	if (!(what & SOCKJSON_NO_UID) && e->family != AF_NETLINK)
		jsonw_u64_field(jw, "uid", e->uid);
	jsonw_u64_field(jw, "inode", e->inode);
	jsonw_u64_field(jw, "cookie", e->cookie);
	if (e->cgroup)
		jsonw_u64_field(jw, "cgroup", e->cgroup);
	if (what & SOCKJSON_OWNERS) {
		jsonw_name(jw, "owners");
		jsonw_start_array(jw);
		for (size_t i = 0; i < e->nowners; i++) {
			jsonw_start_object(jw);
			jsonw_u64_field(jw, "pid", e->owners[i].pid);
			jsonw_string_field(jw, "comm", e->owners[i].comm);
			jsonw_u64_field(jw, "fd", (uint64_t)e->owners[i].fd);
			jsonw_end_object(jw);
		}
		jsonw_end_array(jw);
	}
	if ((what & SOCKJSON_TIMER) && (e->family == AF_INET || e->family == AF_INET6))
		timer(jw, e);
	if ((what & SOCKJSON_MEM) && e->has_mem)
		skmem(jw, &e->mem);
	if ((what & SOCKJSON_TCPINFO) && e->has_tcpinfo)
		tcpinfo(jw, e->tcpi);
}
