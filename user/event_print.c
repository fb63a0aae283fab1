// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include "cgroup.h"
#include "event_print.h"
#include "events.h"
#include "print.h"
#include "tcpstate.h"
#include "util.h"

static const struct print_col columns[] = {
	{ "time", "TIME", COL_LEFT, 15 },   { "type", "EVENT", COL_LEFT, 14 },
	{ "pid", "PID", COL_RIGHT, 7 },	    { "comm", "COMM", COL_LEFT, 15 },
	{ "ip", "IP", COL_LEFT, 2 },	    { "laddr", "LADDR", COL_LEFT, 15 },
	{ "lport", "LPORT", COL_RIGHT, 5 }, { "raddr", "RADDR", COL_LEFT, 15 },
	{ "rport", "RPORT", COL_RIGHT, 5 }, { "tx", "TX", COL_RIGHT, 9 },
	{ "rx", "RX", COL_RIGHT, 9 },	    { "ms", "MS", COL_RIGHT, 9 },
	{ "info", "INFO", COL_LEFT, 0 },
};

static bool with_time;

void event_print_begin(bool timestamp)
{
	with_time = timestamp;
	print_table_begin(NULL, timestamp ? columns : columns + 1,
			  timestamp ? ARRAY_SIZE(columns) : ARRAY_SIZE(columns) - 1, TBL_STREAM);
}

static void print_ms(uint64_t ns)
{
	print_strf(PRINT_FP, "ms", "%.3f", (double)ns / 1e6);
}

/*
 * The event's duration as key (JSON) and in the MS column. A socket that
 * was open, connecting or queued before socktap started has no known
 * start: null, and an empty column.
 */
static void print_duration(const char *key, const struct socktap_event *e)
{
	if (e->flags & SOCKTAP_F_PREEXISTING) {
		print_null(PRINT_JSON, key);
		return;
	}
	print_u64(PRINT_JSON, key, e->duration_ns);
	print_ms(e->duration_ns);
}

/* The owner and the socket's namespace, family and protocol. */
static void print_owner(const struct socktap_event *e)
{
	const char *path;

	if (e->flags & SOCKTAP_F_OWNER_KNOWN) {
		char comm[SOCKTAP_COMM_LEN + 1];

		memcpy(comm, e->comm, SOCKTAP_COMM_LEN);
		comm[SOCKTAP_COMM_LEN] = '\0';
		print_u64(PRINT_ANY, "pid", e->pid);
		print_u64(PRINT_JSON, "tid", e->tid);
		print_str(PRINT_ANY, "comm", comm);
		print_u64(PRINT_JSON, "uid", e->uid);
		print_u64(PRINT_JSON, "cgroup", e->cgroup);
		path = cgroup_path_of_id(e->cgroup);
		if (path)
			print_str(PRINT_JSON, "cgroup_path", path);
		else
			print_null(PRINT_JSON, "cgroup_path");
	} else {
		/* not seen being opened or accepted: no owner to name, but the
		 * same fields, so every object has one shape */
		print_null(PRINT_ANY, "pid");
		print_null(PRINT_JSON, "tid");
		print_null(PRINT_ANY, "comm");
		print_null(PRINT_JSON, "uid");
		print_null(PRINT_JSON, "cgroup");
		print_null(PRINT_JSON, "cgroup_path");
	}
	print_u64(PRINT_JSON, "netns", e->netns);
	print_str(PRINT_JSON, "family", family_name(e->family));
	print_str(PRINT_FP, "ip", e->family == AF_INET6 ? "6" : "4");
	print_str(PRINT_JSON, "proto", proto_name(e->proto));
}

/*
 * In JSON the owner's members are the same for every event of a process
 * and namespace, and a third of an event's cost to write: they are
 * written once and replayed, from a small cache keyed by everything they
 * show, renewed every second (a cgroup may be renamed).
 */
#define OWNER_CACHE 64
#define OWNER_JSON 448

static struct owner_json {
	uint64_t ts_ns, cgroup;
	uint32_t pid, tid, uid, netns, flags;
	uint16_t family;
	uint8_t proto;
	char comm[SOCKTAP_COMM_LEN];
	size_t len; /* 0: empty */
	char json[OWNER_JSON];
} owners[OWNER_CACHE];

static bool owner_same(const struct owner_json *o, const struct socktap_event *e, uint32_t flags)
{
	return o->len && o->pid == e->pid && o->tid == e->tid && o->uid == e->uid &&
	       o->cgroup == e->cgroup && o->netns == e->netns && o->family == e->family &&
	       o->proto == e->proto && o->flags == flags &&
	       !memcmp(o->comm, e->comm, sizeof(o->comm)) && e->ts_ns - o->ts_ns < 1000000000ull;
}

static void print_owner_cached(const struct socktap_event *e)
{
	uint32_t flags = e->flags & SOCKTAP_F_OWNER_KNOWN;
	struct owner_json *o = &owners[(e->tid * 2654435761u ^ e->netns) % OWNER_CACHE];
	size_t mark;

	if (!print_is_json()) {
		print_owner(e);
		return;
	}
	if (owner_same(o, e, flags)) {
		print_json_replay(o->json, o->len);
		return;
	}
	mark = print_json_mark();
	print_owner(e);
	o->len = print_json_copy(mark, o->json, sizeof(o->json));
	o->ts_ns = e->ts_ns;
	o->pid = e->pid;
	o->tid = e->tid;
	o->uid = e->uid;
	o->cgroup = e->cgroup;
	o->netns = e->netns;
	o->family = e->family;
	o->proto = e->proto;
	o->flags = flags;
	memcpy(o->comm, e->comm, sizeof(o->comm));
}

static void print_identity(const struct socktap_event *e)
{
	uint64_t wall = mono_to_wall_ns(e->ts_ns);
	char buf[64];

	if (print_is_json()) {
		format_iso_time(buf, sizeof(buf), wall);
		print_str(PRINT_JSON, "time", buf);
	} else if (with_time) {
		format_clock_time(buf, sizeof(buf), wall);
		print_str(PRINT_FP, "time", buf);
	}
	print_u64(PRINT_JSON, "monotonic_ns", e->ts_ns);
	print_str(PRINT_ANY, "type", event_type_name(e->type));
	print_owner_cached(e);
	format_addr(buf, sizeof(buf), e->family, e->saddr);
	print_str(PRINT_ANY, "laddr", buf);
	print_u64(PRINT_ANY, "lport", e->sport);
	format_addr(buf, sizeof(buf), e->family, e->daddr);
	print_str(PRINT_ANY, "raddr", buf);
	print_u64(PRINT_ANY, "rport", e->dport);
	print_u64(PRINT_JSON, "cookie", e->cookie);
}

static void print_details(const struct socktap_event *e)
{
	const char *err;

	switch (e->type) {
	case SOCKTAP_EV_CONNECT:
		print_duration("latency_ns", e);
		print_u64(PRINT_JSON, "srtt_us", e->srtt_us);
		break;
	case SOCKTAP_EV_ACCEPT:
		if (e->flags & SOCKTAP_F_ACCEPT_UNSEEN) {
			/* no accept hook (accept_late.bpf.h): the time is when it
			 * could first be accepted, the wait known only as a bound */
			print_null(PRINT_JSON, "queue_ns");
			if (e->flags & SOCKTAP_F_PREEXISTING)
				print_null(PRINT_JSON, "queue_max_ns");
			else
				print_u64(PRINT_JSON, "queue_max_ns", e->duration_ns);
			print_str(PRINT_JSON, "owner_seen",
				  e->flags & SOCKTAP_F_OWNER_SEEN_AT_CLOSE ? "close" : "io");
		} else {
			print_duration("queue_ns", e);
			print_null(PRINT_JSON, "queue_max_ns");
			print_str(PRINT_JSON, "owner_seen", "accept");
		}
		print_str(PRINT_JSON, "state", tcp_state_name(e->newstate));
		break;
	case SOCKTAP_EV_CLOSE:
		print_duration("duration_ns", e);
		print_u64(PRINT_JSON, "bytes_sent", e->bytes_sent);
		print_u64(PRINT_JSON, "bytes_received", e->bytes_received);
		print_u64(PRINT_JSON, "bytes_retrans", e->bytes_retrans);
		print_u64(PRINT_JSON, "segs_out", e->segs_out);
		print_u64(PRINT_JSON, "segs_in", e->segs_in);
		print_u64(PRINT_JSON, "retransmits", e->retransmits);
		print_u64(PRINT_JSON, "srtt_us", e->srtt_us);
		print_str(PRINT_JSON, "closed_first", closed_first_name(e->flags));
		print_str(PRINT_JSON, "state", tcp_state_name(e->oldstate));
		print_bool(PRINT_JSON, "reset",
			   e->flags & (SOCKTAP_F_RESET_SENT | SOCKTAP_F_RESET_RECEIVED));
		print_u64(PRINT_FP, "tx", e->bytes_sent);
		print_u64(PRINT_FP, "rx", e->bytes_received);
		print_strf(PRINT_FP, "info", "%s closed first%s%s", closed_first_name(e->flags),
			   e->flags & SOCKTAP_F_RESET_SENT ? ", reset sent" : "",
			   e->flags & SOCKTAP_F_RESET_RECEIVED ? ", reset received" : "");
		break;
	case SOCKTAP_EV_CONNECT_FAILED:
		/* glibc names errno 0 "0": no error is null */
		err = e->error ? strerrorname_np(e->error) : NULL;
		print_str(PRINT_FP, "info", connect_failure_reason(e->error));
		print_str(PRINT_JSON, "reason", connect_failure_reason(e->error));
		if (err)
			print_str(PRINT_JSON, "error", err);
		else
			print_null(PRINT_JSON, "error");
		print_s64(PRINT_JSON, "errno", e->error);
		print_duration("duration_ns", e);
		break;
	case SOCKTAP_EV_RESET:
		print_str(PRINT_JSON, "direction",
			  e->flags & SOCKTAP_F_RESET_SENT ? "sent" : "received");
		print_str(PRINT_JSON, "state", tcp_state_name(e->oldstate));
		print_strf(PRINT_FP, "info", "%s in %s",
			   e->flags & SOCKTAP_F_RESET_SENT ? "sent" : "received",
			   tcp_state_name(e->oldstate));
		break;
	case SOCKTAP_EV_RETRANSMIT:
		print_str(PRINT_ANY, "state", tcp_state_name(e->oldstate));
		print_u64(PRINT_JSON, "retransmits", e->retransmits);
		print_strf(PRINT_FP, "info", "in %s, %u so far", tcp_state_name(e->oldstate),
			   e->retransmits);
		break;
	case SOCKTAP_EV_STATE:
		print_str(PRINT_JSON, "oldstate", tcp_state_name(e->oldstate));
		print_str(PRINT_JSON, "newstate", tcp_state_name(e->newstate));
		print_strf(PRINT_FP, "info", "%s -> %s", tcp_state_name(e->oldstate),
			   tcp_state_name(e->newstate));
		break;
	case SOCKTAP_EV_LISTEN:
		print_str(PRINT_JSON, "state", "LISTEN");
		break;
	case SOCKTAP_EV_UDP_CLOSE:
		print_u64(PRINT_JSON, "duration_ns", e->duration_ns);
		print_u64(PRINT_ANY, "bytes_sent", e->bytes_sent);
		print_u64(PRINT_ANY, "bytes_received", e->bytes_received);
		print_u64(PRINT_FP, "tx", e->bytes_sent);
		print_u64(PRINT_FP, "rx", e->bytes_received);
		print_ms(e->duration_ns);
		break;
	}
}

void event_print(const struct socktap_event *e)
{
	print_row_begin();
	print_identity(e);
	print_details(e);
	print_row_end();
}
