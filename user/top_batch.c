// SPDX-License-Identifier: GPL-2.0
/*
 * top's batch output (top_batch.h): a table per interval, as the screen's
 * groupings read in text, or one JSON object per interval in the
 * project's vocabulary.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "cgroup.h"
#include "escape.h"
#include "events.h"
#include "names.h"
#include "ssfmt.h"
#include "top_batch.h"
#include "units.h"

static uint64_t round_u64(double v)
{
	return v > 0 ? (uint64_t)(v + 0.5) : 0;
}

static void json_rates(json_writer_t *jw, const struct flow_row *r)
{
	jsonw_name(jw, "bytes_sent");
	jsonw_u64(jw, r->bytes_sent);
	jsonw_name(jw, "bytes_received");
	jsonw_u64(jw, r->bytes_received);
	jsonw_name(jw, "sent_bps");
	jsonw_u64(jw, round_u64(r->sent_bps));
	jsonw_name(jw, "received_bps");
	jsonw_u64(jw, round_u64(r->received_bps));
	jsonw_name(jw, "avg_sent_bps");
	jsonw_start_array(jw);
	for (int w = 0; w < FLOWS_WINDOWS; w++)
		jsonw_u64(jw, round_u64(r->avg_sent[w]));
	jsonw_end_array(jw);
	jsonw_name(jw, "avg_received_bps");
	jsonw_start_array(jw);
	for (int w = 0; w < FLOWS_WINDOWS; w++)
		jsonw_u64(jw, round_u64(r->avg_received[w]));
	jsonw_end_array(jw);
	jsonw_name(jw, "peak_sent_bps");
	jsonw_u64(jw, round_u64(r->peak_sent));
	jsonw_name(jw, "peak_received_bps");
	jsonw_u64(jw, round_u64(r->peak_received));
}

/* The executable of a row's process, if it still runs: NULL once it is gone
 * (or its pid is another process's by now). */
static const char *exe_of(const struct flow_row *r, char *buf, size_t len)
{
	char link[64];
	ssize_t n;

	if (r->gone || !r->pid)
		return NULL;
	snprintf(link, sizeof(link), "/proc/%u/exe", r->pid);
	n = readlink(link, buf, len - 1);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	return buf;
}

/*
 * A process's members after its pid, as its first connection row wrote
 * them: its other rows (a server's thousands) replay the bytes. Keyed by
 * everything they hold, so a replay is what writing them would give.
 */
struct owner_memo {
	uint32_t pid, uid;
	uint64_t start_time;
	char comm[FLOWS_COMM_LEN];
	size_t len; /* 0: empty, or too long to keep */
	char json[160];
};

#define OWNER_MEMO_SLOTS 256

static void json_owner(json_writer_t *jw, const struct top_view *v, const struct flow_row *r,
		       struct owner_memo *memo)
{
	struct owner_memo *m = NULL;
	size_t mark;

	if (!r->pid) {
		/* closed before any process was seen holding it */
		jsonw_name(jw, "pid");
		jsonw_null(jw);
		jsonw_name(jw, "comm");
		jsonw_null(jw);
		return;
	}
	jsonw_u64_field(jw, "pid", r->pid);
	/* (not with the path, which is read afresh for every row) */
	if (memo && !v->show_path) {
		m = &memo[r->pid % OWNER_MEMO_SLOTS];
		if (m->len && m->pid == r->pid && m->start_time == r->start_time &&
		    m->uid == r->uid && !memcmp(m->comm, r->comm, sizeof(m->comm))) {
			jsonw_raw_members(jw, m->json, m->len);
			return;
		}
	}
	mark = jsonw_mark(jw);
	jsonw_u64_field(jw, "start_time", r->start_time);
	jsonw_string_field(jw, "comm", r->comm);
	jsonw_u64_field(jw, "uid", r->uid);
	if (v->show_path) {
		char path[4096];

		jsonw_string_field(jw, "exe", exe_of(r, path, sizeof(path)));
	}
	if (m) {
		m->len = jsonw_copy_since(jw, mark, m->json, sizeof(m->json));
		m->pid = r->pid;
		m->uid = r->uid;
		m->start_time = r->start_time;
		memcpy(m->comm, r->comm, sizeof(m->comm));
	}
}

/*
 * A connection's members from netns to proto, as the row before wrote
 * them: rows next to each other (a server's, sorted together) mostly share
 * them. Keyed by everything they hold, as the owner's.
 */
struct place_memo {
	uint64_t cgroup;
	uint32_t netns;
	uint16_t family;
	uint8_t proto;
	size_t len; /* 0: empty, or too long to keep */
	char json[128];
};

static void json_place(json_writer_t *jw, const struct flow_row *r, struct place_memo *m)
{
	size_t mark;

	if (m->len && m->netns == r->netns && m->cgroup == r->cgroup && m->family == r->family &&
	    m->proto == r->proto) {
		jsonw_raw_members(jw, m->json, m->len);
		return;
	}
	mark = jsonw_mark(jw);
	jsonw_u64_field(jw, "netns", r->netns);
	jsonw_u64_field(jw, "cgroup", r->cgroup);
	jsonw_string_field(jw, "family", family_name(r->family));
	jsonw_string_field(jw, "proto", r->proto == IPPROTO_TCP ? "tcp" : "udp");
	m->len = jsonw_copy_since(jw, mark, m->json, sizeof(m->json));
	m->netns = r->netns;
	m->cgroup = r->cgroup;
	m->family = r->family;
	m->proto = r->proto;
}

static void json_connection(json_writer_t *jw, const struct top_view *v, const struct flow_row *r,
			    struct owner_memo *memo, struct place_memo *place)
{
	char a[INET6_ADDRSTRLEN];

	json_owner(jw, v, r, memo);
	json_place(jw, r, place);
	format_addr(a, sizeof(a), r->family, r->laddr);
	jsonw_string_field(jw, "laddr", a);
	jsonw_u64_field(jw, "lport", r->lport);
	format_addr(a, sizeof(a), r->family, r->raddr);
	jsonw_string_field(jw, "raddr", a);
	jsonw_u64_field(jw, "rport", r->rport);
	jsonw_string_field(jw, "state", ss_state(r->state));
	if (r->cookie & FLOWS_COOKIE_NONE)
		jsonw_string_field(jw, "cookie", NULL);
	else
		jsonw_u64_field(jw, "cookie", r->cookie);
	if (r->ifindex)
		jsonw_u64_field(jw, "ifindex", r->ifindex);
	json_rates(jw, r);
	jsonw_name(jw, "closed");
	jsonw_bool(jw, r->gone);
}

static void json_group(json_writer_t *jw, const struct top_view *v, struct flows *F,
		       enum flow_group g, const char *key)
{
	const struct flow_row *rows;
	size_t n = flows_rows(F, g, v->sort, &rows);
	char a[INET6_ADDRSTRLEN];
	struct owner_memo *memo =
		g == FLOW_GROUP_CONNECTION && n ? calloc(OWNER_MEMO_SLOTS, sizeof(*memo)) : NULL;
	struct place_memo place = { 0 };

	jsonw_name(jw, key);
	jsonw_start_array(jw);
	for (size_t i = 0; i < n; i++) {
		const struct flow_row *r = &rows[i];

		/* a closed connection shows once, with its last bytes */
		if (g == FLOW_GROUP_CONNECTION && r->gone && r->gone_at < flows_time(F))
			continue;
		if (v->lines && i >= v->lines)
			break;
		jsonw_start_object(jw);
		switch (g) {
		case FLOW_GROUP_CONNECTION:
			json_connection(jw, v, r, memo, &place);
			break;
		case FLOW_GROUP_PROCESS:
			json_owner(jw, v, r, NULL);
			json_rates(jw, r);
			jsonw_u64_field(jw, "sockets", r->sockets);
			jsonw_name(jw, "exited");
			jsonw_bool(jw, r->gone);
			break;
		case FLOW_GROUP_REMOTE:
			jsonw_string_field(jw, "family", family_name(r->family));
			format_addr(a, sizeof(a), r->family, r->raddr);
			jsonw_string_field(jw, "raddr", a);
			json_rates(jw, r);
			jsonw_u64_field(jw, "sockets", r->sockets);
			break;
		case FLOW_GROUP_CGROUP:
			jsonw_u64_field(jw, "cgroup", r->cgroup);
			jsonw_string_field(jw, "cgroup_path", cgroup_path_of_id(r->cgroup));
			json_rates(jw, r);
			jsonw_u64_field(jw, "sockets", r->sockets);
			break;
		case FLOW_GROUP_MAX:
			break;
		}
		jsonw_end_object(jw);
		/* 10,000 rows are megabytes: written as they come, not kept */
		jsonw_flush_batch(jw);
	}
	jsonw_end_array(jw);
	free(memo);
}

void top_batch_json(json_writer_t *jw, const struct top_view *v, struct flows *F,
		    const struct top_status *st)
{
	struct timespec ts;
	struct flow_row total;
	char tbuf[64];

	clock_gettime(CLOCK_REALTIME, &ts);
	format_iso_time(tbuf, sizeof(tbuf), (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec);
	jsonw_start_object(jw);
	jsonw_string_field(jw, "type", "top");
	jsonw_string_field(jw, "time", tbuf);
	jsonw_name(jw, "interval_s");
	jsonw_float(jw, flows_interval(F));
	json_group(jw, v, F, FLOW_GROUP_PROCESS, "processes");
	json_group(jw, v, F, FLOW_GROUP_CONNECTION, "connections");
	json_group(jw, v, F, FLOW_GROUP_REMOTE, "remotes");
	json_group(jw, v, F, FLOW_GROUP_CGROUP, "cgroups");
	flows_total(F, &total);
	jsonw_name(jw, "total");
	jsonw_start_object(jw);
	json_rates(jw, &total);
	jsonw_end_object(jw);
	jsonw_name(jw, "lost");
	jsonw_start_object(jw);
	jsonw_u64_field(jw, "events", st->lost_events);
	jsonw_u64_field(jw, "sockets", st->lost_sockets);
	jsonw_u64_field(jw, "runs", st->missed_runs);
	jsonw_end_object(jw);
	jsonw_name(jw, "cost");
	jsonw_start_object(jw);
	jsonw_name(jw, "bpf_cpu_pct");
	if (st->bpf_cpu_pct < 0)
		jsonw_null(jw);
	else
		jsonw_float(jw, st->bpf_cpu_pct);
	jsonw_name(jw, "process_cpu_pct");
	jsonw_float(jw, st->proc_cpu_pct);
	jsonw_end_object(jw);
	jsonw_end_object(jw);
	jsonw_eol(jw);
}

static void text_rates(FILE *out, const struct top_view *v, const struct flow_row *r)
{
	char a[32], b[32], c[32], d[32];

	fmt_rate(a, sizeof(a), r->avg_sent[0], v->bits);
	fmt_rate(b, sizeof(b), r->avg_received[0], v->bits);
	fmt_size(c, sizeof(c), r->bytes_sent);
	fmt_size(d, sizeof(d), r->bytes_received);
	fprintf(out, " %10s %10s %10s %10s", a, b, c, d);
}

/* The text columns before the rates: at most four, each a minimum width */
#define TEXT_COLS 4

static size_t text_cols(enum flow_group g, const char **hdr, size_t *minw)
{
	static const char *conn[] = { "Proto", "Local", "Remote", "PID/Program" };
	static const size_t connw[] = { 5, 28, 28, 22 };
	static const char *proc[] = { "PID", "USER", "PROGRAM" };
	static const size_t procw[] = { 8, 10, 26 };
	const char **h;
	const size_t *w;
	size_t n;

	switch (g) {
	case FLOW_GROUP_CONNECTION:
		h = conn, w = connw, n = 4;
		break;
	case FLOW_GROUP_PROCESS:
		h = proc, w = procw, n = 3;
		break;
	default:
		hdr[0] = g == FLOW_GROUP_REMOTE ? "Remote" : "Cgroup";
		minw[0] = 40;
		return 1;
	}
	for (size_t i = 0; i < n; i++) {
		hdr[i] = h[i];
		minw[i] = w[i];
	}
	return n;
}

/* "addr:port", IPv6 in brackets as ss and the screen write it */
static void addr_port(char *buf, size_t len, const struct flow_row *r, const uint8_t *a,
		      uint16_t port)
{
	char h[INET6_ADDRSTRLEN];

	format_addr(h, sizeof(h), r->family, a);
	snprintf(buf, len, r->family == AF_INET6 ? "[%s]:%u" : "%s:%u", h, port);
}

/* Row r's text cells, escaped (names and paths are anyone's bytes). */
static void text_cells(const struct flow_row *r, enum flow_group g, char **cell)
{
	char a[INET6_ADDRSTRLEN + 16], *comm = term_escape(r->comm);

	switch (g) {
	case FLOW_GROUP_CONNECTION:
		cell[0] = strdup(r->proto == IPPROTO_TCP ? "tcp" : "udp");
		addr_port(a, sizeof(a), r, r->laddr, r->lport);
		cell[1] = strdup(a);
		addr_port(a, sizeof(a), r, r->raddr, r->rport);
		cell[2] = strdup(a);
		if (r->pid && asprintf(&cell[3], "%u/%s", r->pid, comm) < 0)
			cell[3] = NULL;
		else if (!r->pid)
			cell[3] = strdup("-");
		break;
	case FLOW_GROUP_PROCESS: {
		const char *user = name_of_user(r->uid);
		char *u = user ? term_escape(user) : NULL;

		if (asprintf(&cell[0], "%u", r->pid) < 0)
			cell[0] = NULL;
		if (u ? asprintf(&cell[1], "%.10s", u) < 0 : asprintf(&cell[1], "%u", r->uid) < 0)
			cell[1] = NULL;
		if (asprintf(&cell[2], "%s%s", comm, r->gone ? " (exited)" : "") < 0)
			cell[2] = NULL;
		free(u);
		break;
	}
	case FLOW_GROUP_REMOTE:
		format_addr(a, sizeof(a), r->family, r->raddr);
		cell[0] = strdup(a);
		break;
	default: {
		const char *p = cgroup_path_of_id(r->cgroup);

		cell[0] = term_escape(p ? p : "?");
		break;
	}
	}
	free(comm);
}

void top_batch_text(FILE *out, const struct top_view *v, struct flows *F,
		    const struct top_status *st)
{
	const struct flow_row *rows;
	struct flow_row total;
	size_t n = flows_rows(F, v->group, v->sort, &rows);
	const char *hdr[TEXT_COLS];
	size_t w[TEXT_COLS], nc = text_cols(v->group, hdr, w), shown = 0, tw = 0;
	const struct flow_row **keep = calloc(n ? n : 1, sizeof(*keep));
	char **cells = calloc((n ? n : 1) * TEXT_COLS, sizeof(*cells));
	struct timespec ts;
	char tbuf[64];

	if (!keep || !cells) {
		free(keep);
		free(cells);
		return;
	}
	/* the rows shown and their cells first: a column is as wide as its
	 * widest cell, counted in terminal columns, so rows stay aligned */
	for (size_t i = 0; i < n; i++) {
		const struct flow_row *r = &rows[i];

		if (v->group == FLOW_GROUP_CONNECTION && r->gone && r->gone_at < flows_time(F))
			continue;
		if (v->lines && shown >= v->lines)
			break;
		text_cells(r, v->group, &cells[shown * TEXT_COLS]);
		for (size_t c = 0; c < nc; c++) {
			const char *t = cells[shown * TEXT_COLS + c];
			size_t dw = t ? display_width(t) : 0;

			if (dw > w[c])
				w[c] = dw;
		}
		keep[shown++] = r;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	format_iso_time(tbuf, sizeof(tbuf), (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec);
	fprintf(out, "%s  interval %.2f s\n", tbuf, flows_interval(F));
	for (size_t c = 0; c < nc; c++) {
		if (c)
			fputc(' ', out);
		fput_cell(out, hdr[c], w[c], false);
		tw += w[c] + (c ? 1 : 0);
	}
	fprintf(out, " %10s %10s %10s %10s\n", v->bits ? "Sent/s" : "SentB/s",
		v->bits ? "Recv/s" : "RecvB/s", "Sent", "Received");
	for (size_t i = 0; i < shown; i++) {
		for (size_t c = 0; c < nc; c++) {
			const char *t = cells[i * TEXT_COLS + c];

			if (c)
				fputc(' ', out);
			fput_cell(out, t ? t : "?", w[c], false);
		}
		text_rates(out, v, keep[i]);
		fputc('\n', out);
	}
	flows_total(F, &total);
	fput_cell(out, "TOTAL", tw, false);
	text_rates(out, v, &total);
	fputc('\n', out);
	if (st->lost_events || st->lost_sockets || st->missed_runs)
		fprintf(out, "lost: %llu events, %llu sockets, %llu hook runs\n",
			(unsigned long long)st->lost_events, (unsigned long long)st->lost_sockets,
			(unsigned long long)st->missed_runs);
	fputc('\n', out);
	for (size_t i = 0; i < shown * TEXT_COLS; i++)
		free(cells[i]);
	free(cells);
	free(keep);
}
