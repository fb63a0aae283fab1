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

static void json_owner(json_writer_t *jw, const struct top_view *v, const struct flow_row *r)
{
	if (!r->pid) {
		/* closed before any process was seen holding it */
		jsonw_name(jw, "pid");
		jsonw_null(jw);
		jsonw_name(jw, "comm");
		jsonw_null(jw);
		return;
	}
	jsonw_u64_field(jw, "pid", r->pid);
	jsonw_u64_field(jw, "start_time", r->start_time);
	jsonw_string_field(jw, "comm", r->comm);
	jsonw_u64_field(jw, "uid", r->uid);
	if (v->show_path) {
		char path[4096];

		jsonw_string_field(jw, "exe", exe_of(r, path, sizeof(path)));
	}
}

static void json_connection(json_writer_t *jw, const struct top_view *v, const struct flow_row *r)
{
	char a[INET6_ADDRSTRLEN];

	json_owner(jw, v, r);
	jsonw_u64_field(jw, "netns", r->netns);
	jsonw_u64_field(jw, "cgroup", r->cgroup);
	jsonw_string_field(jw, "family", family_name(r->family));
	jsonw_string_field(jw, "proto", r->proto == IPPROTO_TCP ? "tcp" : "udp");
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
			json_connection(jw, v, r);
			break;
		case FLOW_GROUP_PROCESS:
			json_owner(jw, v, r);
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
	}
	jsonw_end_array(jw);
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

void top_batch_text(FILE *out, const struct top_view *v, struct flows *F,
		    const struct top_status *st)
{
	const struct flow_row *rows;
	struct flow_row total;
	size_t n = flows_rows(F, v->group, v->sort, &rows);
	char la[INET6_ADDRSTRLEN + 8], ra[INET6_ADDRSTRLEN + 8], name[64];
	struct timespec ts;
	char tbuf[64];
	size_t shown = 0;

	clock_gettime(CLOCK_REALTIME, &ts);
	format_iso_time(tbuf, sizeof(tbuf), (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec);
	fprintf(out, "%s  interval %.2f s\n", tbuf, flows_interval(F));
	switch (v->group) {
	case FLOW_GROUP_CONNECTION:
		fprintf(out, "%-5s %-28s %-28s %-22s", "Proto", "Local", "Remote", "PID/Program");
		break;
	case FLOW_GROUP_PROCESS:
		fprintf(out, "%-8s %-10s %-26s", "PID", "USER", "PROGRAM");
		break;
	case FLOW_GROUP_REMOTE:
		fprintf(out, "%-40s", "Remote");
		break;
	default:
		fprintf(out, "%-40s", "Cgroup");
		break;
	}
	fprintf(out, " %10s %10s %10s %10s\n", v->bits ? "Sent/s" : "SentB/s",
		v->bits ? "Recv/s" : "RecvB/s", "Sent", "Received");
	for (size_t i = 0; i < n; i++) {
		const struct flow_row *r = &rows[i];
		char *comm;

		if (v->group == FLOW_GROUP_CONNECTION && r->gone && r->gone_at < flows_time(F))
			continue;
		if (v->lines && shown >= v->lines)
			break;
		shown++;
		comm = term_escape(r->comm);
		switch (v->group) {
		case FLOW_GROUP_CONNECTION:
			format_addr(la, sizeof(la), r->family, r->laddr);
			snprintf(la + strlen(la), sizeof(la) - strlen(la), ":%u", r->lport);
			format_addr(ra, sizeof(ra), r->family, r->raddr);
			snprintf(ra + strlen(ra), sizeof(ra) - strlen(ra), ":%u", r->rport);
			if (r->pid)
				snprintf(name, sizeof(name), "%u/%s", r->pid, comm);
			else
				snprintf(name, sizeof(name), "-");
			fprintf(out, "%-5s %-28s %-28s %-22s",
				r->proto == IPPROTO_TCP ? "tcp" : "udp", la, ra, name);
			break;
		case FLOW_GROUP_PROCESS: {
			const char *user = name_of_user(r->uid);
			char ubuf[16];

			if (!user) {
				snprintf(ubuf, sizeof(ubuf), "%u", r->uid);
				user = ubuf;
			}
			snprintf(name, sizeof(name), "%s%s", comm, r->gone ? " (exited)" : "");
			fprintf(out, "%-8u %-10.10s %-26s", r->pid, user, name);
			break;
		}
		case FLOW_GROUP_REMOTE:
			format_addr(ra, sizeof(ra), r->family, r->raddr);
			fprintf(out, "%-40s", ra);
			break;
		default: {
			const char *p = cgroup_path_of_id(r->cgroup);

			fprintf(out, "%-40s", p ? p : "?");
			break;
		}
		}
		free(comm);
		text_rates(out, v, r);
		fputc('\n', out);
	}
	flows_total(F, &total);
	fprintf(out, "%-*s",
		v->group == FLOW_GROUP_CONNECTION ? 86 :
		v->group == FLOW_GROUP_PROCESS	  ? 46 :
						    40,
		"TOTAL");
	text_rates(out, v, &total);
	fputc('\n', out);
	if (st->lost_events || st->lost_sockets || st->missed_runs)
		fprintf(out, "lost: %llu events, %llu sockets, %llu hook runs\n",
			(unsigned long long)st->lost_events, (unsigned long long)st->lost_sockets,
			(unsigned long long)st->missed_runs);
	fputc('\n', out);
}
