// SPDX-License-Identifier: GPL-2.0
/*
 * top's screen (top_screen.h). Every text that comes from outside (process
 * names, executable and cgroup paths, host and service names) goes through
 * term_escape() before it reaches the terminal, and every write is clipped
 * to the width left for it: a 40-column terminal gets less, never garbage.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "cgroup.h"
#include "dns_async.h"
#include "names.h"
#include "services.h"
#include "top_screen.h"
#include "tui.h"
#include "units.h"
#include "util.h"

#define COLW 8 /* a number column, as iftop's */
#define TEXT 512 /* one escaped field */
#define ARROW 5 /* " =>  " */
#define PATHS 256 /* executable paths remembered */

/* The number columns, left to right; narrow screens drop them from the right. */
enum col { C_2S, C_10S, C_40S, C_PEAK, C_CUM, C_MAX };
static const char *const col_name[C_MAX] = { "2s", "10s", "40s", "peak", "cum" };

/* What one screen line of a row shows: iftop's line modes. */
enum dir { D_SENT, D_RECV, D_BOTH };

struct layout {
	enum col cols[C_MAX];
	int ncols, x0; /* the number columns start at x0 */
	int per_row; /* screen lines a row takes: 1 or 2 */
	/* connection: local and remote host columns of width hw, the
	 * process after them (one-line modes) or under the local host */
	int hw, proc_x, proc_w;
	/* the other groupings: identity in [0, x0 - ARROW) */
	int id_w;
	int top, bottom; /* the rows' lines: [top, bottom) */
	bool footer;
};

static struct {
	bool open, prompting;
	char edit[sizeof(((struct top_view *)0)->filter)];
	size_t edit_len;
	/* the rows shown when the pause began */
	struct flow_row *snap;
	size_t snap_n, snap_cap;
	struct flow_row snap_total;
	bool have_snap;
	enum flow_group snap_group;
	enum flow_sort snap_sort;
	double scale; /* what a full bar stands for, in the unit shown */
	bool scale_bits;
	int page; /* rows per screen at the last draw */
	struct {
		uint32_t pid;
		uint64_t start;
		bool valid;
		char path[TEXT];
	} paths[PATHS];
} S;

/* A field of width w: text, then suffix kept whole; a long text loses its
 * end, or with keep_tail its start ("...tail"), as paths read best. */
static void put_field(int y, int x, int w, const char *text, const char *suffix, bool keep_tail)
{
	int sw = suffix ? tui_width(suffix) : 0, tw = tui_width(text), room = w - sw;
	int skip, done;

	if (w <= 0)
		return;
	if (room < 8) {
		/* no room for the mark: the text (dimmed by the caller) alone */
		tui_put(y, x, text, w);
		return;
	}
	if (tw > room && keep_tail && room > 3) {
		/* drop columns from the front until the rest fits after "..." */
		size_t b = tui_fit(text, tw - (room - 3), &skip);

		if (skip < tw - (room - 3) && text[b]) /* a wide character on the edge */
			b += tui_fit(text + b, 2, NULL) ? tui_fit(text + b, 2, NULL) : 1;
		done = tui_put(y, x, "...", 3);
		done += tui_put(y, x + done, text + b, room - 3);
	} else {
		done = tui_put(y, x, text, room);
	}
	if (suffix)
		tui_put(y, x + done, suffix, w - done);
}

/* --- the figures of a row --- */

static double rate_of(const struct flow_row *r, enum col c, enum dir d)
{
	double s, rv;

	if (c == C_PEAK) {
		s = r->peak_sent;
		rv = r->peak_received;
		if (d == D_BOTH)
			return r->peak_total;
	} else {
		s = r->avg_sent[c];
		rv = r->avg_received[c];
	}
	return d == D_SENT ? s : d == D_RECV ? rv : s + rv;
}

static uint64_t cum_of(const struct flow_row *r, enum dir d)
{
	return d == D_SENT ? r->bytes_sent :
	       d == D_RECV ? r->bytes_received :
			     r->bytes_sent + r->bytes_received;
}

/* The window the bars and a narrow screen's one column show: the sort's. */
static enum col sort_col(enum flow_sort s)
{
	return s <= FLOW_SORT_40S ? (enum col)(s - FLOW_SORT_2S) : C_2S;
}

static void put_cells(int y, const struct layout *L, const struct flow_row *r, enum dir d,
		      const struct top_view *v)
{
	char buf[UNITS_LEN];

	for (int i = 0; i < L->ncols; i++) {
		if (L->cols[i] == C_CUM)
			fmt_size(buf, sizeof(buf), cum_of(r, d));
		else
			fmt_rate(buf, sizeof(buf), rate_of(r, L->cols[i], d), v->bits);
		tui_put_right(y, L->x0 + (i + 1) * COLW, buf, 0);
	}
}

static double unit_value(double bytes_per_s, const struct top_view *v)
{
	return v->bits ? bytes_per_s * 8 : bytes_per_s;
}

/* iftop's bar: the start of the line in reverse video, its length the
 * rate's share of the scale on a log scale. */
static void bar(int y, double bytes_per_s, const struct top_view *v, attr_t extra)
{
	int len = (int)(scale_fraction(unit_value(bytes_per_s, v), S.scale) * COLS + 0.5);

	if (len > COLS)
		len = COLS;
	if (len > 0)
		mvchgat(y, 0, len, A_REVERSE | extra, 0, NULL);
}

/* --- names --- */

static bool addr_zero(const uint8_t a[16], int family)
{
	static const uint8_t zero[16];

	return !memcmp(a, zero, family == AF_INET6 ? 16 : 4);
}

/* The host of addr: its name (if asked for and known), else the number;
 * *numeric says which. */
static const char *host_text(char *buf, size_t len, const struct top_view *v, int family,
			     const uint8_t *a, bool *numeric)
{
	const char *name = v->dns ? dns_async_name(family, a) : NULL;

	*numeric = !name;
	if (name)
		return tui_safe(buf, len, name);
	if (!inet_ntop(family == AF_INET6 ? AF_INET6 : AF_INET, a, buf, (socklen_t)len))
		snprintf(buf, len, "?");
	return buf;
}

/* iftop's host column: "host:port" in w columns, the port kept whole and
 * the host cut; an IPv6 number with a port in brackets; "*" unconnected. */
static void put_endpoint(int y, int x, int w, const struct top_view *v, int family,
			 const uint8_t *a, uint16_t port, uint8_t proto)
{
	char host[TEXT], num[TEXT - 8], ptxt[TEXT];
	const char *svc = NULL;
	bool numeric;
	int pw, hw;

	if (addr_zero(a, family))
		snprintf(host, sizeof(host), "*");
	else if (host_text(num, sizeof(num), v, family, a, &numeric) && numeric &&
		 family == AF_INET6 && port)
		snprintf(host, sizeof(host), "[%s]", num);
	else
		snprintf(host, sizeof(host), "%s", num);
	ptxt[0] = '\0';
	if (v->services && port)
		svc = service_name(port, proto == IPPROTO_UDP ? "udp" : "tcp");
	if (svc) {
		char s[TEXT];

		snprintf(ptxt, sizeof(ptxt), ":%s", tui_safe(s, sizeof(s), svc));
	} else if (port) {
		snprintf(ptxt, sizeof(ptxt), ":%u", port);
	} else if (addr_zero(a, family)) {
		snprintf(ptxt, sizeof(ptxt), ":*");
	}
	pw = tui_width(ptxt);
	if (pw > w)
		pw = w;
	if (tui_width(host) > w - pw && w - pw >= 2) {
		/* a cut host says so: "2001:db8:ab..:443", not a wrong address */
		hw = tui_put(y, x, host, w - pw - 2);
		hw += tui_put(y, x + hw, "..", 2);
	} else {
		hw = tui_put(y, x, host, w - pw);
	}
	tui_put(y, x + hw, ptxt, w - hw);
}

/* /proc/PID/exe of a live process, remembered by (pid, start time); NULL
 * if it cannot be read (exited, a kernel thread, no permission). */
static const char *exe_path(uint32_t pid, uint64_t start)
{
	char link[64], path[TEXT];
	unsigned int i = (pid ^ (uint32_t)start) % PATHS;
	ssize_t n;

	if (S.paths[i].valid && S.paths[i].pid == pid && S.paths[i].start == start)
		return S.paths[i].path[0] ? S.paths[i].path : NULL;
	snprintf(link, sizeof(link), "/proc/%u/exe", pid);
	n = readlink(link, path, sizeof(path) - 1);
	path[n > 0 ? n : 0] = '\0';
	S.paths[i].pid = pid;
	S.paths[i].start = start;
	S.paths[i].valid = true;
	tui_safe(S.paths[i].path, sizeof(S.paths[i].path), path);
	return S.paths[i].path[0] ? S.paths[i].path : NULL;
}

/* "pid/comm" (or the executable's path with v->show_path), escaped. */
static const char *program_text(char *buf, size_t len, const struct top_view *v,
				const struct flow_row *r)
{
	char comm[FLOWS_COMM_LEN + 1];
	const char *path = NULL;

	memcpy(comm, r->comm, FLOWS_COMM_LEN);
	comm[FLOWS_COMM_LEN] = '\0';
	if (v->show_path && r->pid && !r->gone)
		path = exe_path(r->pid, r->start_time);
	if (path)
		snprintf(buf, len, "%s", path);
	else if (comm[0])
		tui_safe(buf, len, comm);
	else
		snprintf(buf, len, "?");
	return buf;
}

static const char *gone_mark(enum flow_group g)
{
	switch (g) {
	case FLOW_GROUP_CONNECTION:
		return " (closed)";
	case FLOW_GROUP_PROCESS:
		return " (exited)";
	default:
		return " (gone)";
	}
}

/* --- layout --- */

/* The number columns that fit beside an identity of at least idmin. */
static void pick_cols(struct layout *L, int want, int idmin, enum flow_sort sort)
{
	int n = want;

	while (n > 1 && COLS - COLW * n < idmin)
		n--;
	for (int i = 0; i < n; i++)
		L->cols[i] = (enum col)i;
	/* a screen too narrow for the three windows shows the sort's */
	if (n < 3 && (int)sort_col(sort) >= n)
		L->cols[n - 1] = sort_col(sort);
	L->ncols = n;
	L->x0 = COLS - COLW * n;
	if (L->x0 < 0)
		L->x0 = 0;
}

static void make_layout(struct layout *L, const struct top_view *v)
{
	int avail;

	memset(L, 0, sizeof(*L));
	L->per_row = v->line_mode == 0 ? 2 : 1;
	if (v->group == FLOW_GROUP_CONNECTION) {
		/* as iftop: the cumulative column only on a wide screen */
		pick_cols(L, COLS >= 120 ? C_MAX : C_CUM, 2 * 12 + ARROW, v->sort);
		avail = L->x0;
		if (L->per_row == 2) {
			/* the process goes on the <= line, under the local host */
			L->hw = (avail - ARROW) / 2;
			L->proc_x = 1;
			L->proc_w = L->hw - 1;
		} else {
			L->proc_w = avail >= 40 ? avail / 4 : 0;
			if (L->proc_w > 40)
				L->proc_w = 40;
			L->hw = (avail - ARROW - (L->proc_w ? L->proc_w + 1 : 0)) / 2;
			L->proc_x = 2 * L->hw + ARROW + 1;
		}
		if (L->hw < 0)
			L->hw = 0;
	} else {
		pick_cols(L, C_MAX, v->group == FLOW_GROUP_PROCESS ? 27 + ARROW : 16 + ARROW,
			  v->sort);
		L->id_w = L->x0 - ARROW;
		if (L->id_w < 0)
			L->id_w = 0;
	}
	L->top = 1 + (v->bars && LINES >= 8 ? 2 : 0);
	L->footer = LINES >= 12;
	L->bottom = L->footer ? LINES - 5 : LINES - 1;
	if (L->bottom < L->top)
		L->bottom = L->top;
}

/* --- the parts of the screen --- */

static void draw_scale(const struct top_view *v)
{
	char lab[UNITS_LEN];
	int last_end = 0;

	mvhline(1, 0, ACS_HLINE, COLS);
	for (unsigned int n = 1;; n++) {
		double t = scale_tick(n, v->bits);
		int x, lw;

		if (t > S.scale || !fmt_tick(lab, sizeof(lab), n, v->bits))
			break;
		x = (int)(scale_fraction(t, S.scale) * COLS + 0.5);
		if (x >= COLS)
			x = COLS - 1;
		mvaddch(1, x, ACS_BTEE);
		lw = tui_width(lab);
		if (x + lw > COLS)
			x = COLS - lw;
		if (x <= last_end)
			continue;
		tui_put(0, x, lab, lw);
		last_end = x + lw;
	}
	mvaddch(1, 0, ACS_LLCORNER);
}

static void draw_header(int y, const struct layout *L, const struct top_view *v)
{
	attr_t a = A_BOLD | (tui_colours() ? COLOR_PAIR(TUI_PAIR_HEAD) : 0);
	enum col sc = sort_col(v->sort);

	switch (v->group) {
	case FLOW_GROUP_CONNECTION:
		tui_put_attr(y, 0, "local", L->hw, a);
		tui_put_attr(y, L->hw + ARROW, "remote", L->hw, a);
		if (L->per_row == 1 && L->proc_w)
			tui_put_attr(y, L->proc_x, "process", L->proc_w, a);
		break;
	case FLOW_GROUP_PROCESS:
		tui_put_right(y, 7, "PID", a);
		if (L->id_w >= 27) {
			tui_put_attr(y, 8, "USER", 8, a);
			tui_put_attr(y, 17, "PROGRAM", L->id_w - 17, a);
		} else {
			tui_put_attr(y, 8, "PROGRAM", L->id_w - 8, a);
		}
		break;
	case FLOW_GROUP_REMOTE:
		tui_put_attr(y, 0, "REMOTE HOST", L->id_w, a);
		break;
	default:
		tui_put_attr(y, 0, "CGROUP", L->id_w, a);
		break;
	}
	for (int i = 0; i < L->ncols; i++) {
		attr_t ca = a;

		if (L->cols[i] == sc && v->sort <= FLOW_SORT_40S)
			ca |= A_UNDERLINE;
		tui_put_right(y, L->x0 + (i + 1) * COLW, col_name[L->cols[i]], ca);
	}
}

static const char *arrow(enum dir d, int line_mode)
{
	if (line_mode == 3)
		return " <=> ";
	return d == D_SENT ? " =>  " : " <=  ";
}

/* One row: its identity, then a line per direction the line mode shows. */
static void draw_row(int y, const struct layout *L, const struct flow_row *r,
		     const struct top_view *v)
{
	char text[TEXT], prog[TEXT - 16], user[64];
	enum dir dirs[2];
	int nd = 0, idx, w;
	const char *name;
	bool numeric;

	switch (v->line_mode) {
	case 1:
		dirs[nd++] = D_SENT;
		break;
	case 2:
		dirs[nd++] = D_RECV;
		break;
	case 3:
		dirs[nd++] = D_BOTH;
		break;
	default:
		dirs[nd++] = D_SENT;
		dirs[nd++] = D_RECV;
		break;
	}

	switch (r->group) {
	case FLOW_GROUP_CONNECTION:
		put_endpoint(y, 0, L->hw, v, r->family, r->laddr, r->lport, r->proto);
		put_endpoint(y, L->hw + ARROW, L->hw, v, r->family, r->raddr, r->rport, r->proto);
		program_text(prog, sizeof(prog), v, r);
		if (r->pid)
			snprintf(text, sizeof(text), "%u/%s", r->pid, prog);
		else
			snprintf(text, sizeof(text), "?");
		if (L->proc_w)
			put_field(L->per_row == 2 ? y + 1 : y, L->proc_x, L->proc_w, text,
				  r->gone ? gone_mark(r->group) : NULL, false);
		break;
	case FLOW_GROUP_PROCESS:
		snprintf(text, sizeof(text), "%u", r->pid);
		tui_put_right(y, 7, r->pid ? text : "?", 0);
		idx = 8;
		if (L->id_w >= 27) {
			name = name_of_user(r->uid);
			if (name)
				tui_safe(user, sizeof(user), name);
			else
				snprintf(user, sizeof(user), "%u", r->uid);
			tui_put(y, 8, user, 8);
			idx = 17;
		}
		program_text(prog, sizeof(prog), v, r);
		put_field(y, idx, L->id_w - idx, prog, r->gone ? gone_mark(r->group) : NULL,
			  v->show_path);
		break;
	case FLOW_GROUP_REMOTE:
		host_text(text, sizeof(text), v, r->family, r->raddr, &numeric);
		put_field(y, 0, L->id_w, text, r->gone ? gone_mark(r->group) : NULL, false);
		break;
	default:
		name = cgroup_path_of_id(r->cgroup);
		if (name)
			tui_safe(text, sizeof(text), name);
		else
			snprintf(text, sizeof(text), "cgroup %llu", (unsigned long long)r->cgroup);
		put_field(y, 0, L->id_w, text, r->gone ? gone_mark(r->group) : NULL, true);
		break;
	}

	for (int i = 0; i < nd; i++) {
		int ay = y + i, ax = r->group == FLOW_GROUP_CONNECTION ? L->hw : L->x0 - ARROW;

		if (ay >= L->bottom)
			break;
		w = tui_put(ay, ax, arrow(dirs[i], v->line_mode), ARROW);
		(void)w;
		put_cells(ay, L, r, dirs[i], v);
		if (r->gone)
			mvchgat(ay, 0, -1, A_DIM, 0, NULL);
		if (v->bars)
			bar(ay, rate_of(r, sort_col(v->sort), dirs[i]), v, r->gone ? A_DIM : 0);
	}
}

/* iftop's footer: a rule, then TX, RX and TOTAL with cum, peak and rates
 * (the TOTAL peak is the sum of the two: a bound, flows keeps no other). */
static void draw_footer(const struct layout *L, const struct flow_row *t, const struct top_view *v)
{
	static const char *const label[3] = { "TX:", "RX:", "TOTAL:" };
	static const enum dir dirs[3] = { D_SENT, D_RECV, D_BOTH };
	int y = LINES - 5, rates_x = L->x0 - 7;
	bool has_cum = false, has_peak = false;
	char buf[UNITS_LEN];

	/* cum and peak under their columns when the rows have them, else on
	 * the left as iftop puts them */
	for (int c = 0; c < L->ncols; c++) {
		has_cum |= L->cols[c] == C_CUM;
		has_peak |= L->cols[c] == C_PEAK;
	}

	mvhline(y, 0, ACS_HLINE, COLS);
	for (int i = 0; i < 3; i++) {
		int ly = y + 1 + i;

		tui_put(ly, 0, label[i], 7);
		if (!has_cum && rates_x >= 22) {
			tui_put(ly, 8, "cum:", 4);
			fmt_size(buf, sizeof(buf), cum_of(t, dirs[i]));
			tui_put_right(ly, 21, buf, 0);
		}
		if (!has_peak && rates_x >= 38) {
			tui_put(ly, 23, "peak:", 5);
			fmt_rate(buf, sizeof(buf), rate_of(t, C_PEAK, dirs[i]), v->bits);
			tui_put_right(ly, 36, buf, 0);
		}
		if (i == 0 && rates_x >= 0)
			tui_put(ly, rates_x, "rates:", 6);
		for (int c = 0; c < L->ncols; c++) {
			if (L->cols[c] == C_CUM)
				fmt_size(buf, sizeof(buf), cum_of(t, dirs[i]));
			else
				fmt_rate(buf, sizeof(buf), rate_of(t, L->cols[c], dirs[i]),
					 v->bits);
			tui_put_right(ly, L->x0 + (c + 1) * COLW, buf, 0);
		}
	}
}

static const char *const group_name[FLOW_GROUP_MAX] = { "connections", "processes", "remote hosts",
							"cgroups" };
static const char *const sort_name[FLOW_SORT_MAX] = { "2s", "10s", "40s", "sent", "received" };

/* The last line: socktap's cost, losses and filter on the left; what is
 * shown on the right, when there is room. */
static void draw_status(const struct top_view *v, const struct top_status *st, size_t first,
			size_t shown, size_t n)
{
	attr_t warn = A_BOLD | (tui_colours() ? COLOR_PAIR(TUI_PAIR_WARN) : A_REVERSE);
	char buf[TEXT], esc[TEXT];
	int y = LINES - 1, x = 0;

	if (st) {
		char bpf[32];

		if (st->bpf_cpu_pct < 0)
			snprintf(bpf, sizeof(bpf), "BPF n/a");
		else
			snprintf(bpf, sizeof(bpf), "BPF %.2f%% CPU", st->bpf_cpu_pct);
		snprintf(buf, sizeof(buf), "socktap: %s, process %.2f%% CPU", bpf,
			 st->proc_cpu_pct);
		x += tui_put(y, x, buf, COLS);
		if (st->lost_events || st->lost_sockets || st->missed_runs) {
			int k = snprintf(buf, sizeof(buf), "lost: %llu events, %llu sockets",
					 (unsigned long long)st->lost_events,
					 (unsigned long long)st->lost_sockets);

			if (st->missed_runs)
				snprintf(buf + k, sizeof(buf) - (size_t)k, ", %llu missed runs",
					 (unsigned long long)st->missed_runs);
			x += tui_put(y, x, "  ", 2);
			x += tui_put_attr(y, x, buf, COLS, warn);
		}
	}
	if (v->filter_error[0]) {
		snprintf(buf, sizeof(buf), "filter: %s",
			 tui_safe(esc, sizeof(esc), v->filter_error));
		x += tui_put(y, x, "  ", 2);
		x += tui_put_attr(y, x, buf, COLS, warn);
	} else if (v->filter[0]) {
		snprintf(buf, sizeof(buf), "filter: %s", tui_safe(esc, sizeof(esc), v->filter));
		x += tui_put(y, x, "  ", 2);
		x += tui_put(y, x, buf, COLS);
	}

	/* what is shown, as long as there is room for it */
	for (int form = 0; form < 3; form++) {
		char range[64] = "";

		if (n)
			snprintf(range, sizeof(range), " %zu-%zu/%zu", first + 1, first + shown, n);
		if (form == 0)
			snprintf(buf, sizeof(buf), "%s%s, sort %s%s, h help", group_name[v->group],
				 range, sort_name[v->sort], v->paused ? ", PAUSED" : "");
		else if (form == 1)
			snprintf(buf, sizeof(buf), "%s %s%s h", range + (n ? 1 : 0),
				 sort_name[v->sort], v->paused ? " PAUSED" : "");
		else
			snprintf(buf, sizeof(buf), "%s", v->paused ? "PAUSED" : "");
		if (buf[0] && x + 2 + tui_width(buf) <= COLS - 1) {
			tui_put_attr(y, COLS - 1 - tui_width(buf), buf, COLS,
				     v->paused ? warn : A_BOLD);
			break;
		}
	}
}

static void draw_prompt(const struct top_view *v)
{
	const char *label = "filter (Enter sets, Esc cancels): ";
	int y = LINES - 1, lw = tui_width(label), room, x;
	const char *tail = S.edit;

	move(y, 0);
	clrtoeol();
	if (lw > COLS / 2)
		label = "filter: ";
	x = tui_put_attr(y, 0, label, COLS, A_BOLD);
	room = COLS - 1 - x - 1;
	if (room < 1)
		room = 1;
	/* the end of what is typed, where the cursor is */
	if ((int)S.edit_len > room)
		tail = S.edit + S.edit_len - (size_t)room;
	x += tui_put(y, x, tail, room);
	if (v->filter_error[0] && LINES >= 2) {
		char buf[TEXT], esc[TEXT];

		snprintf(buf, sizeof(buf), "refused: %s",
			 tui_safe(esc, sizeof(esc), v->filter_error));
		move(y - 1, 0);
		clrtoeol();
		tui_put_attr(y - 1, 0, buf, COLS,
			     A_BOLD | (tui_colours() ? COLOR_PAIR(TUI_PAIR_WARN) : A_REVERSE));
	}
	move(y, x < COLS ? x : COLS - 1);
}

static const char *const help_text[] = {
	"socktap top: keys",
	"Tab g   next grouping (connections, processes,",
	"        remote hosts, cgroups)",
	"t       lines: sent and received, sent, received, sum",
	"1 2 3   sort by the 2 s, 10 s, 40 s average",
	"s r     sort by sent, by received",
	"j k     scroll (arrows, PgUp, PgDn, Home, End)",
	"n N     host names (looked up aside), port names",
	"b B     bars, bits or bytes",
	"P       pause the screen (counting goes on)",
	"e       executable paths instead of names",
	"/ f     filter, ss syntax (Enter sets, Esc cancels)",
	"h ?     this help          q  quit",
	"=> sent  <= received  <=> both  cum: since start",
};

static void draw_help(const struct layout *L, const struct top_status *st)
{
	int n = (int)ARRAY_SIZE(help_text) + (st && st->source ? 1 : 0);
	int w = 0, h, y0, x0;
	char src[TEXT], esc[TEXT];

	for (size_t i = 0; i < ARRAY_SIZE(help_text); i++)
		if (tui_width(help_text[i]) > w)
			w = tui_width(help_text[i]);
	if (st && st->source) {
		snprintf(src, sizeof(src), "bytes: %s", tui_safe(esc, sizeof(esc), st->source));
		if (tui_width(src) > w)
			w = tui_width(src);
	}
	w += 4;
	if (w > COLS)
		w = COLS;
	h = n + 2;
	if (h > L->bottom - L->top)
		h = L->bottom - L->top;
	y0 = L->top;
	x0 = (COLS - w) / 2;
	for (int i = 0; i < h; i++) {
		move(y0 + i, x0);
		for (int k = 0; k < w && x0 + k < COLS; k++)
			addch(' ');
	}
	if (w >= 2 && h >= 2) {
		mvhline(y0, x0, ACS_HLINE, w);
		mvhline(y0 + h - 1, x0, ACS_HLINE, w);
	}
	for (int i = 0; i + 2 < h && i < n; i++) {
		const char *s = i < (int)ARRAY_SIZE(help_text) ? help_text[i] : src;

		tui_put_attr(y0 + 1 + i, x0 + 2, s, w - 4, i == 0 ? A_BOLD : 0);
	}
}

/* Copies the rows to show while paused. */
static void take_snapshot(const struct top_view *v, struct flows *F)
{
	const struct flow_row *rows = NULL;
	size_t n = F ? flows_rows(F, v->group, v->sort, &rows) : 0;

	if (n > S.snap_cap) {
		S.snap = xrealloc(S.snap, n * sizeof(*S.snap));
		S.snap_cap = n;
	}
	if (n)
		memcpy(S.snap, rows, n * sizeof(*rows));
	S.snap_n = n;
	memset(&S.snap_total, 0, sizeof(S.snap_total));
	if (F)
		flows_total(F, &S.snap_total);
	S.snap_group = v->group;
	S.snap_sort = v->sort;
	S.have_snap = true;
}

void top_screen_draw(struct top_view *v, struct flows *F, const struct top_status *st)
{
	const struct flow_row *rows = NULL;
	struct flow_row total;
	struct layout L;
	size_t n, first, shown = 0, cap;
	double peak = 0;

	if (!S.open)
		return;
	tui_follow_size();
	if (v->group >= FLOW_GROUP_MAX)
		v->group = FLOW_GROUP_CONNECTION;
	if (v->sort >= FLOW_SORT_MAX)
		v->sort = FLOW_SORT_2S;
	if (v->line_mode < 0 || v->line_mode > 3)
		v->line_mode = 0;
	if (v->paused) {
		if (!S.have_snap || S.snap_group != v->group || S.snap_sort != v->sort)
			take_snapshot(v, F);
		rows = S.snap;
		n = S.snap_n;
		total = S.snap_total;
	} else {
		S.have_snap = false;
		n = F ? flows_rows(F, v->group, v->sort, &rows) : 0;
		memset(&total, 0, sizeof(total));
		if (F)
			flows_total(F, &total);
	}
	if (v->lines && n > v->lines)
		n = v->lines;

	make_layout(&L, v);
	cap = (size_t)((L.bottom - L.top) / L.per_row);
	S.page = cap ? (int)cap : 1;
	if (v->scroll > n - (n < cap ? n : cap))
		v->scroll = (unsigned int)(n - (n < cap ? n : cap));
	first = v->scroll;
	shown = n - first < cap ? n - first : cap;

	/* the bar scale grows to the largest bar shown, as iftop's */
	if (S.scale_bits != v->bits) {
		S.scale = 0;
		S.scale_bits = v->bits;
	}
	for (size_t i = first; i < first + shown; i++) {
		double s = rate_of(&rows[i], sort_col(v->sort), D_SENT),
		       r = rate_of(&rows[i], sort_col(v->sort), D_RECV);
		double m = v->line_mode == 3 ? s + r : s > r ? s : r;

		if (m > peak)
			peak = m;
	}
	S.scale = scale_max(unit_value(peak, v), S.scale, v->bits);

	erase();
	if (L.top == 3)
		draw_scale(v);
	draw_header(L.top - 1, &L, v);
	for (size_t i = 0; i < shown; i++)
		draw_row(L.top + (int)i * L.per_row, &L, &rows[first + i], v);
	if (!n)
		tui_put_attr(L.top, 0,
			     v->paused ? "(nothing was counted when the pause began)" :
					 "(no traffic counted yet)",
			     COLS, A_DIM);
	if (L.footer)
		draw_footer(&L, &total, v);
	if (v->help)
		draw_help(&L, st);
	if (S.prompting) {
		draw_prompt(v);
		curs_set(1);
	} else {
		draw_status(v, st, first, shown, n);
		curs_set(0);
	}
	refresh();
}

/* --- keys --- */

#define CTRL_KEY(c) ((c)&0x1f)

/* A key on the filter prompt; TOP_KEY_FILTER on Enter. */
static enum top_key prompt_key(struct top_view *v, int c)
{
	switch (c) {
	case '\n':
	case '\r':
	case KEY_ENTER:
		S.edit[S.edit_len] = '\0';
		memcpy(v->filter, S.edit, S.edit_len + 1);
		v->filter_error[0] = '\0';
		S.prompting = false;
		return TOP_KEY_FILTER;
	case 27: /* Esc */
	case CTRL_KEY('g'):
		S.prompting = false;
		return TOP_KEY_REDRAW;
	case KEY_BACKSPACE:
	case 127:
	case CTRL_KEY('h'):
		if (S.edit_len)
			S.edit_len--;
		break;
	case CTRL_KEY('u'):
		S.edit_len = 0;
		break;
	case CTRL_KEY('w'):
		while (S.edit_len && S.edit[S.edit_len - 1] == ' ')
			S.edit_len--;
		while (S.edit_len && S.edit[S.edit_len - 1] != ' ')
			S.edit_len--;
		break;
	default:
		/* the filter language is ASCII: nothing else is taken */
		if (c >= 0x20 && c < 0x7f && S.edit_len + 1 < sizeof(S.edit))
			S.edit[S.edit_len++] = (char)c;
		break;
	}
	S.edit[S.edit_len] = '\0';
	return TOP_KEY_REDRAW;
}

static void scroll_by(struct top_view *v, long d)
{
	long s = (long)v->scroll + d;

	/* the end is clamped by the next draw, which knows the rows */
	v->scroll = s < 0 ? 0 : s > 1000000000L ? 1000000000u : (unsigned int)s;
}

enum top_key top_screen_keys(struct top_view *v)
{
	enum top_key res = TOP_KEY_NONE;
	int c;

	if (!S.open)
		return TOP_KEY_NONE;
	while ((c = getch()) != ERR) {
		if (S.prompting) {
			res = prompt_key(v, c);
			if (res == TOP_KEY_FILTER)
				return res;
			continue;
		}
		switch (c) {
		case 'q':
			return TOP_KEY_QUIT;
		case '\t':
		case 'g':
			v->group = (enum flow_group)((v->group + 1) % FLOW_GROUP_MAX);
			v->scroll = 0;
			break;
		case KEY_BTAB:
			v->group =
				(enum flow_group)((v->group + FLOW_GROUP_MAX - 1) % FLOW_GROUP_MAX);
			v->scroll = 0;
			break;
		case 'n':
			v->dns = !v->dns;
			break;
		case 'N':
			v->services = !v->services;
			break;
		case 'P':
			v->paused = !v->paused;
			break;
		case 'e':
			v->show_path = !v->show_path;
			break;
		case 'B':
			v->bits = !v->bits;
			break;
		case 'b':
			v->bars = !v->bars;
			break;
		case 't':
			v->line_mode = (v->line_mode + 1) % 4;
			break;
		case '1':
		case '2':
		case '3':
			v->sort = (enum flow_sort)(FLOW_SORT_2S + (c - '1'));
			break;
		case 's':
			v->sort = FLOW_SORT_SENT;
			break;
		case 'r':
			v->sort = FLOW_SORT_RECEIVED;
			break;
		case 'j':
		case KEY_DOWN:
			scroll_by(v, 1);
			break;
		case 'k':
		case KEY_UP:
			scroll_by(v, -1);
			break;
		case KEY_NPAGE:
		case ' ':
			scroll_by(v, S.page);
			break;
		case KEY_PPAGE:
			scroll_by(v, -S.page);
			break;
		case KEY_HOME:
			v->scroll = 0;
			break;
		case KEY_END:
			scroll_by(v, 1000000000L);
			break;
		case '/':
		case 'f':
			S.prompting = true;
			S.edit_len = strnlen(v->filter, sizeof(S.edit) - 1);
			memcpy(S.edit, v->filter, S.edit_len);
			S.edit[S.edit_len] = '\0';
			v->help = false;
			break;
		case 'h':
		case '?':
			v->help = !v->help;
			break;
		case 27: /* Esc closes the help */
			if (!v->help)
				continue;
			v->help = false;
			break;
		case CTRL_KEY('l'):
			clearok(curscr, TRUE);
			break;
		case KEY_RESIZE:
			break;
		default:
			continue;
		}
		res = TOP_KEY_REDRAW;
	}
	return res;
}

/* --- the terminal --- */

int top_screen_open(char *err, size_t len)
{
	if (S.open)
		return 0;
	if (tui_open(err, len, "use -b for batch output"))
		return -1;
	S.open = true;
	return 0;
}

void top_screen_close(void)
{
	if (!S.open)
		return;
	S.open = false;
	S.prompting = false;
	tui_close();
	dns_async_stop();
	free(S.snap);
	S.snap = NULL;
	S.snap_n = S.snap_cap = 0;
	S.have_snap = false;
}
