// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "print.h"
#include "procnet.h"
#include "util.h"

char *procnet_read_file(const char *root, const char *rel)
{
	char *path = xasprintf("%s/%s", root, rel);
	size_t len = 0, cap = 4096;
	char *buf = xmalloc(cap);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t r;

	free(path);
	if (fd < 0) {
		free(buf);
		return NULL;
	}
	/* /proc files have no size: read until the end */
	for (;;) {
		if (cap - len < 2048) {
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
		r = read(fd, buf + len, cap - len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += (size_t)r;
	}
	if (r < 0) {
		int err = errno;

		close(fd);
		free(buf);
		errno = err;
		return NULL;
	}
	close(fd);
	buf[len] = '\0';
	return buf;
}

/*
 * netstat -s. Every counter net-tools knows has a sentence and a kind; the
 * tables keep net-tools' order, which is not quite sorted: its binary
 * search misses a few names, which it then prints as "Name: value" (when
 * not 0). Searching the same order with the same bsearch() prints the same.
 */
enum stat_kind {
	ST_NUM, /* always printed */
	ST_OPT, /* printed when not 0 */
	ST_ICMP_IN, /* under "ICMP input histogram:", when not 0 */
	ST_ICMP_OUT, /* under "ICMP output histogram:", when not 0 */
	ST_STATIC, /* configuration, not a counter: not printed */
};

struct stat_entry {
	const char *name;
	const char *out; /* "" for counters netstat never prints */
	enum stat_kind kind;
};

static const struct stat_entry ip_tab[] = {
	{ "DefaultTTL", "Default TTL is %llu", ST_STATIC },
	{ "Forwarding", "Forwarding is %s", ST_STATIC },
	{ "ForwDatagrams", "%llu forwarded", ST_NUM },
	{ "FragCreates", "%llu fragments created", ST_OPT },
	{ "FragFails", "%llu outgoing packets failed fragmentation", ST_OPT },
	{ "FragOKs", "%llu outgoing packets fragmented ok", ST_OPT },
	{ "InAddrErrors", "%llu with invalid addresses", ST_OPT },
	{ "InDelivers", "%llu incoming packets delivered", ST_NUM },
	{ "InDiscards", "%llu incoming packets discarded", ST_NUM },
	{ "InHdrErrors", "%llu with invalid headers", ST_OPT },
	{ "InReceives", "%llu total packets received", ST_NUM },
	{ "InUnknownProtos", "%llu with unknown protocol", ST_OPT },
	{ "OutDiscards", "%llu outgoing packets dropped", ST_OPT },
	{ "OutNoRoutes", "%llu dropped because of missing route", ST_OPT },
	{ "OutRequests", "%llu requests sent out", ST_NUM },
	{ "ReasmFails", "%llu packet reassemblies failed", ST_OPT },
	{ "ReasmOKs", "%llu packets reassembled ok", ST_OPT },
	{ "ReasmReqds", "%llu reassemblies required", ST_OPT },
	{ "ReasmTimeout", "%llu fragments dropped after timeout", ST_OPT },
};

static const struct stat_entry ip6_tab[] = {
	{ "Ip6FragCreates", "%llu fragments created", ST_OPT },
	{ "Ip6FragFails", "%llu outgoing packets failed fragmentation", ST_OPT },
	{ "Ip6FragOKs", "%llu outgoing packets fragmented ok", ST_OPT },
	{ "Ip6InAddrErrors", "%llu with invalid addresses", ST_OPT },
	{ "Ip6InDelivers", "%llu incoming packets delivered", ST_NUM },
	{ "Ip6InDiscards", "%llu incoming packets discarded", ST_NUM },
	{ "Ip6InHdrErrors", "%llu with invalid headers", ST_OPT },
	{ "Ip6InMcastPkts", "%llu incoming multicast packets", ST_OPT },
	{ "Ip6InNoRoutes", "%llu incoming packets with no route", ST_OPT },
	{ "Ip6InReceives", "%llu total packets received", ST_NUM },
	{ "Ip6InTooBigErrors", "%llu with packets too big", ST_OPT },
	{ "Ip6InTruncatedPkts", "%llu with truncated packets", ST_OPT },
	{ "Ip6InUnknownProtos", "%llu with unknown protocol", ST_OPT },
	{ "Ip6OutDiscards", "%llu outgoing packets dropped", ST_OPT },
	{ "Ip6OutForwDatagrams", "%llu forwarded", ST_NUM },
	{ "Ip6OutMcastPkts", "%llu outgoing multicast packets", ST_OPT },
	{ "Ip6OutNoRoutes", "%llu dropped because of missing route", ST_OPT },
	{ "Ip6OutRequests", "%llu requests sent out", ST_NUM },
	{ "Ip6ReasmFails", "%llu packet reassemblies failed", ST_OPT },
	{ "Ip6ReasmOKs", "%llu packets reassembled ok", ST_OPT },
	{ "Ip6ReasmReqds", "%llu reassemblies required", ST_OPT },
	{ "Ip6ReasmTimeout", "%llu fragments dropped after timeout", ST_OPT },
};

static const struct stat_entry icmp_tab[] = {
	{ "InAddrMaskReps", "address mask replies: %llu", ST_ICMP_IN },
	{ "InAddrMasks", "address mask request: %llu", ST_ICMP_IN },
	{ "InDestUnreachs", "destination unreachable: %llu", ST_ICMP_IN },
	{ "InEchoReps", "echo replies: %llu", ST_ICMP_IN },
	{ "InEchos", "echo requests: %llu", ST_ICMP_IN },
	{ "InErrors", "%llu input ICMP message failed", ST_NUM },
	{ "InMsgs", "%llu ICMP messages received", ST_NUM },
	{ "InParmProbs", "wrong parameters: %llu", ST_ICMP_IN },
	{ "InRedirects", "redirects: %llu", ST_ICMP_IN },
	{ "InSrcQuenchs", "source quenches: %llu", ST_ICMP_IN },
	{ "InTimeExcds", "timeout in transit: %llu", ST_ICMP_IN },
	{ "InTimestampReps", "timestamp reply: %llu", ST_ICMP_IN },
	{ "InTimestamps", "timestamp request: %llu", ST_ICMP_IN },
	{ "OutAddrMaskReps", "address mask replies: %llu", ST_ICMP_OUT },
	{ "OutAddrMasks", "address mask requests: %llu", ST_ICMP_OUT },
	{ "OutDestUnreachs", "destination unreachable: %llu", ST_ICMP_OUT },
	{ "OutEchoReps", "echo replies: %llu", ST_ICMP_OUT },
	{ "OutEchos", "echo requests: %llu", ST_ICMP_OUT },
	{ "OutErrors", "%llu ICMP messages failed", ST_NUM },
	{ "OutMsgs", "%llu ICMP messages sent", ST_NUM },
	{ "OutParmProbs", "wrong parameters: %llu", ST_ICMP_OUT },
	{ "OutRedirects", "redirect: %llu", ST_ICMP_OUT },
	{ "OutSrcQuenchs", "source quench: %llu", ST_ICMP_OUT },
	{ "OutTimeExcds", "time exceeded: %llu", ST_ICMP_OUT },
	{ "OutTimestampReps", "timestamp replies: %llu", ST_ICMP_OUT },
	{ "OutTimestamps", "timestamp requests: %llu", ST_ICMP_OUT },
};

static const struct stat_entry icmp6_tab[] = {
	{ "Icmp6InDestUnreachs", "destination unreachable: %llu", ST_ICMP_IN },
	{ "Icmp6InEchoReplies", "echo replies: %llu", ST_ICMP_IN },
	{ "Icmp6InEchos", "echo requests: %llu", ST_ICMP_IN },
	{ "Icmp6InErrors", "%llu input ICMP message failed", ST_NUM },
	{ "Icmp6InGroupMembQueries", "group member queries: %llu", ST_ICMP_IN },
	{ "Icmp6InGroupMembReductions", "group member reductions: %llu", ST_ICMP_IN },
	{ "Icmp6InGroupMembResponses", "group member responses: %llu", ST_ICMP_IN },
	{ "Icmp6InMsgs", "%llu ICMP messages received", ST_NUM },
	{ "Icmp6InNeighborAdvertisements", "neighbour advertisement: %llu", ST_ICMP_IN },
	{ "Icmp6InNeighborSolicits", "neighbour solicits: %llu", ST_ICMP_IN },
	{ "Icmp6InParmProblems", "parameter problem: %llu", ST_ICMP_IN },
	{ "Icmp6InPktTooBigs", "packets too big: %llu", ST_ICMP_IN },
	{ "Icmp6InRedirects", "redirects: %llu", ST_ICMP_IN },
	{ "Icmp6InRouterAdvertisements", "router advertisement: %llu", ST_ICMP_IN },
	{ "Icmp6InRouterSolicits", "router solicits: %llu", ST_ICMP_IN },
	{ "Icmp6InTimeExcds", "received ICMPv6 time exceeded: %llu", ST_ICMP_IN },
	{ "Icmp6OutDestUnreachs", "destination unreachable: %llu", ST_ICMP_OUT },
	{ "Icmp6OutEchoReplies", "echo replies: %llu", ST_ICMP_OUT },
	{ "Icmp6OutEchos", "echo requests: %llu", ST_ICMP_OUT },
	{ "Icmp6OutGroupMembQueries", "group member queries: %llu", ST_ICMP_OUT },
	{ "Icmp6OutGroupMembReductions", "group member reductions: %llu", ST_ICMP_OUT },
	{ "Icmp6OutGroupMembResponses", "group member responses: %llu", ST_ICMP_OUT },
	{ "Icmp6OutMsgs", "%llu ICMP messages sent", ST_NUM },
	{ "Icmp6OutNeighborAdvertisements", "neighbor advertisements: %llu", ST_ICMP_OUT },
	{ "Icmp6OutNeighborSolicits", "neighbor solicits: %llu", ST_ICMP_OUT },
	{ "Icmp6OutParmProblems", "parameter problem: %llu", ST_ICMP_OUT },
	{ "Icmp6OutPktTooBigs", "packets too big: %llu", ST_ICMP_OUT },
	{ "Icmp6OutRedirects", "redirects: %llu", ST_ICMP_OUT },
	{ "Icmp6OutRouterAdvertisements ", "router advertisement: %llu", ST_ICMP_OUT },
	{ "Icmp6OutRouterSolicits", "router solicits: %llu", ST_ICMP_OUT },
	{ "Icmp6OutTimeExcds", "sent ICMPv6 time exceeded: %llu", ST_ICMP_OUT },
};

static const struct stat_entry tcp_tab[] = {
	{ "ActiveOpens", "%llu active connection openings", ST_NUM },
	{ "AttemptFails", "%llu failed connection attempts", ST_NUM },
	{ "CurrEstab", "%llu connections established", ST_NUM },
	{ "EstabResets", "%llu connection resets received", ST_NUM },
	{ "InErrs", "%llu bad segments received", ST_NUM },
	{ "InSegs", "%llu segments received", ST_NUM },
	{ "MaxConn", "", ST_NUM },
	{ "OutRsts", "%llu resets sent", ST_NUM },
	{ "OutSegs", "%llu segments sent out", ST_NUM },
	{ "PassiveOpens", "%llu passive connection openings", ST_NUM },
	{ "RetransSegs", "%llu segments retransmitted", ST_NUM },
	{ "RtoAlgorithm", "RTO algorithm is %s", ST_STATIC },
	{ "RtoMax", "", ST_NUM },
	{ "RtoMin", "", ST_NUM },
};

static const struct stat_entry udp_tab[] = {
	{ "InDatagrams", "%llu packets received", ST_NUM },
	{ "InErrors", "%llu packet receive errors", ST_NUM },
	{ "NoPorts", "%llu packets to unknown port received", ST_NUM },
	{ "OutDatagrams", "%llu packets sent", ST_NUM },
	{ "RcvbufErrors", "%llu receive buffer errors", ST_NUM },
	{ "SndbufErrors", "%llu send buffer errors", ST_NUM },
};

static const struct stat_entry udp6_tab[] = {
	{ "Udp6InDatagrams", "%llu packets received", ST_NUM },
	{ "Udp6InErrors", "%llu packet receive errors", ST_NUM },
	{ "Udp6NoPorts", "%llu packets to unknown port received", ST_NUM },
	{ "Udp6OutDatagrams", "%llu packets sent", ST_NUM },
};

static const struct stat_entry tcpext_tab[] = {
	{ "DelayedACKLocked", "%llu delayed acks further delayed because of locked socket",
	  ST_OPT },
	{ "DelayedACKLost", "Quick ack mode was activated %llu times", ST_OPT },
	{ "DelayedACKs", "%llu delayed acks sent", ST_OPT },
	{ "EmbryonicRsts", "%llu resets received for embryonic SYN_RECV sockets", ST_OPT },
	{ "ListenDrops", "%llu SYNs to LISTEN sockets dropped", ST_OPT },
	{ "ListenOverflows", "%llu times the listen queue of a socket overflowed", ST_OPT },
	{ "LockDroppedIcmps", "%llu ICMP packets dropped because socket was locked", ST_OPT },
	{ "OfoPruned",
	  "%llu packets dropped from out-of-order queue because of socket buffer overrun", ST_OPT },
	{ "OutOfWindowIcmps", "%llu ICMP packets dropped because they were out-of-window", ST_OPT },
	{ "PAWSActive", "%llu active connections rejected because of time stamp", ST_OPT },
	{ "PAWSEstab", "%llu packets rejected in established connections because of timestamp",
	  ST_OPT },
	{ "PAWSPassive", "%llu passive connections rejected because of time stamp", ST_OPT },
	{ "PruneCalled", "%llu packets pruned from receive queue because of socket buffer overrun",
	  ST_OPT },
	{ "RcvPruned", "%llu packets pruned from receive queue", ST_OPT },
	{ "SockMallocOOM", "Ran %llu times out of system memory during packet sending", ST_OPT },
	{ "SyncookiesFailed", "%llu invalid SYN cookies received", ST_OPT },
	{ "SyncookiesRecv", "%llu SYN cookies received", ST_OPT },
	{ "SyncookiesSent", "%llu SYN cookies sent", ST_OPT },
	{ "TCPAbortFailed", "%llu times unable to send RST due to no memory", ST_OPT },
	{ "TCPAbortOnClose", "%llu connections reset due to early user close", ST_OPT },
	{ "TCPAbortOnData", "%llu connections reset due to unexpected data", ST_OPT },
	{ "TCPAbortOnLinger", "%llu connections aborted after user close in linger timeout",
	  ST_OPT },
	{ "TCPAbortOnMemory", "%llu connections aborted due to memory pressure", ST_OPT },
	{ "TCPAbortOnSyn", "%llu connections reset due to unexpected SYN", ST_OPT },
	{ "TCPAbortOnTimeout", "%llu connections aborted due to timeout", ST_OPT },
	{ "TCPDirectCopyFromBacklog", "%llu bytes directly in process context from backlog",
	  ST_OPT },
	{ "TCPDirectCopyFromPrequeue",
	  "%llu bytes directly received in process context from prequeue", ST_OPT },
	{ "TCPDSACKOfoRecv", "%llu DSACKs for out of order packets received", ST_OPT },
	{ "TCPDSACKOfoSent", "%llu DSACKs sent for out of order packets", ST_OPT },
	{ "TCPDSACKOldSent", "%llu DSACKs sent for old packets", ST_OPT },
	{ "TCPDSACKRecv", "%llu DSACKs received", ST_OPT },
	{ "TCPDSackUndo", "%llu congestion window recovered without slow start using DSACK",
	  ST_OPT },
	{ "TCPDSACKUndo", "%llu congestion windows recovered without slow start by DSACK", ST_OPT },
	{ "TCPFACKReorder", "Detected reordering %llu times using FACK", ST_OPT },
	{ "TCPFastRetrans", "%llu fast retransmits", ST_OPT },
	{ "TCPForwardRetrans", "%llu forward retransmits", ST_OPT },
	{ "TCPFullUndo", "%llu congestion windows fully recovered without slow start", ST_OPT },
	{ "TCPHPAcks", "%llu predicted acknowledgments", ST_OPT },
	{ "TCPHPHits", "%llu packet headers predicted", ST_NUM },
	{ "TCPHPHitsToUser", "%llu packet headers predicted and directly queued to user", ST_OPT },
	{ "TCPLossFailures", "%llu timeouts in loss state", ST_OPT },
	{ "TCPLoss", "%llu TCP data loss events", ST_OPT },
	{ "TCPLossUndo", "%llu congestion windows recovered without slow start after partial ack",
	  ST_OPT },
	{ "TCPLostRetransmits", "%llu retransmits lost", ST_OPT },
	{ "TCPMemoryPressures", "TCP ran low on memory %llu times", ST_OPT },
	{ "TCPPartialUndo", "%llu congestion windows partially recovered using Hoe heuristic",
	  ST_OPT },
	{ "TCPPrequeued", "%llu packets directly queued to recvmsg prequeue", ST_OPT },
	{ "TCPPrequeueDropped", "%llu packets dropped from prequeue", ST_OPT },
	{ "TCPPureAcks", "%llu acknowledgments not containing data payload received", ST_OPT },
	{ "TCPRcvCollapsed", "%llu packets collapsed in receive queue due to low socket buffer",
	  ST_OPT },
	{ "TCPRenoFailures", "%llu timeouts after reno fast retransmit", ST_OPT },
	{ "TCPRenoRecoveryFailed", "%llu reno fast retransmits failed", ST_OPT },
	{ "TCPRenoRecoveryFail", "%llu classic Reno fast retransmits failed", ST_OPT },
	{ "TCPRenoRecovery", "%llu times recovered from packet loss due to fast retransmit",
	  ST_OPT },
	{ "TCPRenoReorder", "Detected reordering %llu times using reno fast retransmit", ST_OPT },
	{ "TCPSackFailures", "%llu timeouts after SACK recovery", ST_OPT },
	{ "TCPSackRecoveryFail", "%llu SACK retransmits failed", ST_OPT },
	{ "TCPSackRecovery", "%llu times recovered from packet loss by selective acknowledgements",
	  ST_OPT },
	{ "TCPSACKReneging", "%llu bad SACK blocks received", ST_OPT },
	{ "TCPSACKReorder", "Detected reordering %llu times using SACK", ST_OPT },
	{ "TCPSchedulerFailed", "%llu times receiver scheduled too late for direct processing",
	  ST_OPT },
	{ "TCPSlowStartRetrans", "%llu retransmits in slow start", ST_OPT },
	{ "TCPTimeouts", "%llu other TCP timeouts", ST_OPT },
	{ "TCPTSReorder", "Detected reordering %llu times using time stamp", ST_OPT },
	{ "TWKilled", "%llu TCP sockets finished time wait in slow timer", ST_OPT },
	{ "TW", "%llu TCP sockets finished time wait in fast timer", ST_OPT },
	{ "TWRecycled", "%llu time wait sockets recycled by time stamp", ST_OPT },
};

struct stat_table {
	const char *title;
	const struct stat_entry *v;
	size_t n;
	unsigned int group;
};

static const struct stat_table v4_tables[] = {
	{ "Ip", ip_tab, ARRAY_SIZE(ip_tab), PROCNET_STAT_RAW },
	{ "Icmp", icmp_tab, ARRAY_SIZE(icmp_tab), PROCNET_STAT_RAW },
	{ "Tcp", tcp_tab, ARRAY_SIZE(tcp_tab), PROCNET_STAT_TCP },
	{ "Udp", udp_tab, ARRAY_SIZE(udp_tab), PROCNET_STAT_UDP },
	{ "TcpExt", tcpext_tab, ARRAY_SIZE(tcpext_tab), PROCNET_STAT_TCP },
};

static const struct stat_table v6_tables[] = {
	{ "Ip6", ip6_tab, ARRAY_SIZE(ip6_tab), PROCNET_STAT_RAW },
	{ "Icmp6", icmp6_tab, ARRAY_SIZE(icmp6_tab), PROCNET_STAT_RAW },
	{ "Udp6", udp6_tab, ARRAY_SIZE(udp6_tab), PROCNET_STAT_UDP },
	{ "Tcp6", tcp_tab, ARRAY_SIZE(tcp_tab), PROCNET_STAT_TCP },
};

/*
 * netstat prints as it goes and indents by the kind of the last counter it
 * looked at, even one it did not print: the state carries over between
 * tables, files and unknown counters.
 */
struct stat_printer {
	FILE *out;
	unsigned int groups;
	enum stat_kind last;
	const struct stat_table *table; /* NULL: a table netstat does not know */
	bool on; /* this table's group was asked for */
};

static int indent(enum stat_kind k)
{
	return k == ST_ICMP_IN || k == ST_ICMP_OUT ? 8 : 4;
}

static void stat_begin(struct stat_printer *p, const struct stat_table *tabs, size_t ntabs,
		       const char *title)
{
	for (size_t i = 0; i < ntabs; i++) {
		if (strcmp(title, tabs[i].title) != 0)
			continue;
		p->table = &tabs[i];
		p->on = (p->groups & tabs[i].group) != 0;
		if (p->on)
			fprintf(p->out, "%s:\n", title);
		p->last = ST_NUM;
		return;
	}
	/* unknown tables are always shown, their non-zero counters by name */
	p->table = NULL;
	p->on = true;
	fprintf(p->out, "%s:\n", title);
}

static int entry_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct stat_entry *)elem)->name);
}

static void stat_value(struct stat_printer *p, const char *name, unsigned long long val)
{
	const struct stat_entry *e = NULL;
	bool show;

	if (p->table)
		e = bsearch(name, p->table->v, p->table->n, sizeof(*e), entry_cmp);
	if (!e) {
		if (val)
			fprintf(p->out, "%*s%s: %llu\n", indent(p->last), "", name, val);
		return;
	}
	if (e->kind == ST_STATIC || !e->out[0])
		return;
	if ((e->kind == ST_ICMP_IN || e->kind == ST_ICMP_OUT) && p->last != e->kind)
		fprintf(p->out, "%*s%s\n", indent(p->last), "",
			e->kind == ST_ICMP_IN ? "ICMP input histogram:" : "ICMP output histogram:");
	show = e->kind == ST_NUM || val != 0;
	if (show) {
		fprintf(p->out, "%*s", indent(e->kind), "");
		/* the sentences are net-tools' own formats, each with one %llu */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
		fprintf(p->out, e->out, val);
#pragma GCC diagnostic pop
		fputc('\n', p->out);
	}
	p->last = e->kind;
}

/* The next line of a text being cut up in place (its '\n' removed), or NULL. */
static char *next_line(char **pos)
{
	char *s = *pos, *nl;

	if (!s || !*s)
		return NULL;
	nl = strchr(s, '\n');
	if (nl) {
		*nl = '\0';
		*pos = nl + 1;
	} else {
		*pos = s + strlen(s);
	}
	return s;
}

/*
 * Calls fn for every counter of the "Title: names" / "Title: values" line
 * pairs of snmp or netstat (titles starting with prefix only, if not NULL).
 * begin is called once per table and says whether to go through it.
 */
struct pair_visitor {
	bool (*begin)(void *ctx, const char *title);
	void (*value)(void *ctx, const char *name, const char *text, unsigned long long v);
	void *ctx;
};

static void visit_pairs(const char *text, const char *prefix, const struct pair_visitor *vis)
{
	char *dup, *pos, *names, *vals;

	if (!text)
		return;
	dup = pos = xstrdup(text);
	while ((names = next_line(&pos))) {
		char *sp, *np;

		if (!names[0])
			continue;
		vals = next_line(&pos);
		if (!vals)
			break;
		sp = strchr(names, ':');
		np = strchr(vals, ':');
		if (!sp || !np)
			break;
		*sp++ = '\0';
		np++;
		if (prefix && strncmp(names, prefix, strlen(prefix)) != 0)
			continue;
		if (!vis->begin(vis->ctx, names))
			continue;
		for (;;) {
			char *end, *vend;
			unsigned long long v;

			sp += strspn(sp, " \t");
			np += strspn(np, " \t");
			if (!*sp)
				break;
			end = sp + strcspn(sp, " \t");
			if (*end)
				*end++ = '\0';
			/* as netstat: strtoull, so -1 reads as 2^64 - 1 */
			v = strtoull(np, &vend, 10);
			vis->value(vis->ctx, sp, np, v);
			np = vend;
			sp = end;
		}
	}
	free(dup);
}

/* The table a /proc/net/snmp6 counter belongs to: its name up to the first '6'. */
static void snmp6_title(const char *name, char *title, size_t len)
{
	size_t n = strcspn(name, "6");

	if (name[n] == '6')
		n++;
	snprintf(title, len, "%.*s", (int)n, name);
}

static void visit_snmp6(const char *text, const struct pair_visitor *vis)
{
	char *dup, *pos, *line, title[64] = "";
	bool have = false, on = false;

	if (!text)
		return;
	dup = pos = xstrdup(text);
	while ((line = next_line(&pos))) {
		char name[64], num[32];
		unsigned long long v;

		if (sscanf(line, "%63s %31s", name, num) != 2)
			continue;
		v = strtoull(num, NULL, 10);
		if (!have || !strstr(name, title)) {
			snmp6_title(name, title, sizeof(title));
			on = vis->begin(vis->ctx, title);
			have = true;
		}
		if (on)
			vis->value(vis->ctx, name, num, v);
	}
	free(dup);
}

struct text_ctx {
	struct stat_printer p;
	const struct stat_table *tabs;
	size_t ntabs;
};

static bool text_begin(void *ctx, const char *title)
{
	struct text_ctx *c = ctx;

	stat_begin(&c->p, c->tabs, c->ntabs, title);
	return c->p.on;
}

static void text_value(void *ctx, const char *name, const char *text, unsigned long long v)
{
	struct text_ctx *c = ctx;

	(void)text;
	stat_value(&c->p, name, v);
}

void procnet_stats_text(FILE *out, const char *snmp, const char *netstat, unsigned int groups)
{
	struct text_ctx c = { { out, groups, ST_NUM, NULL, false },
			      v4_tables,
			      ARRAY_SIZE(v4_tables) };
	struct pair_visitor vis = { text_begin, text_value, &c };

	visit_pairs(snmp, NULL, &vis);
	visit_pairs(netstat, NULL, &vis);
}

void procnet_stats6_text(FILE *out, const char *snmp6, const char *snmp, unsigned int groups)
{
	struct text_ctx c = { { out, groups, ST_NUM, NULL, false },
			      v6_tables,
			      ARRAY_SIZE(v6_tables) };
	struct pair_visitor vis = { text_begin, text_value, &c };

	visit_snmp6(snmp6, &vis);
	/* netstat -s -6 ends with the IPv4 Tcp table, which counts both */
	c.tabs = v4_tables;
	c.ntabs = ARRAY_SIZE(v4_tables);
	visit_pairs(snmp, "Tcp", &vis);
}

/*
 * "TcpExt" -> "tcp_ext", "Ip6InReceives" -> "ip6_in_receives",
 * "TCPHPHits" -> "tcphp_hits", "DelayedACKs" -> "delayed_acks".
 */
static void snake_case(const char *s, char *buf, size_t len)
{
	size_t o = 0;

	for (size_t i = 0; s[i] && o + 2 < len; i++) {
		char c = s[i];
		bool up = c >= 'A' && c <= 'Z';

		if (up && i > 0) {
			char prev = s[i - 1], next = s[i + 1];
			bool prev_low = (prev >= 'a' && prev <= 'z') ||
					(prev >= '0' && prev <= '9');
			bool prev_up = prev >= 'A' && prev <= 'Z';
			/* a plural acronym ("DelayedACKs") keeps its 's' */
			bool plural = next == 's' && !(s[i + 2] >= 'a' && s[i + 2] <= 'z');

			if (prev_low || (prev_up && next >= 'a' && next <= 'z' && !plural))
				buf[o++] = '_';
		}
		/* a JSON key: an identifier, whatever the kernel's table says */
		if (up)
			buf[o++] = (char)(c - 'A' + 'a');
		else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')
			buf[o++] = c;
	}
	buf[o] = '\0';
}

struct json_ctx {
	const struct stat_table *tabs;
	size_t ntabs;
	unsigned int groups;
	bool open;
};

static bool json_begin(void *ctx, const char *title)
{
	struct json_ctx *c = ctx;
	char key[64];

	if (c->open)
		print_obj_end();
	c->open = false;
	for (size_t i = 0; i < c->ntabs; i++)
		if (strcmp(title, c->tabs[i].title) == 0 && !(c->groups & c->tabs[i].group))
			return false;
	snake_case(title, key, sizeof(key));
	print_obj_begin(key);
	c->open = true;
	return true;
}

static void json_value(void *ctx, const char *name, const char *text, unsigned long long v)
{
	char key[96];

	(void)ctx;
	snake_case(name, key, sizeof(key));
	/* a few counters are signed (Tcp MaxConn is -1) */
	if (text[0] == '-')
		print_s64(PRINT_JSON, key, strtoll(text, NULL, 10));
	else
		print_u64(PRINT_JSON, key, v);
}

void procnet_stats_json(const char *snmp, const char *netstat, const char *snmp6,
			unsigned int groups)
{
	struct json_ctx c = { v4_tables, ARRAY_SIZE(v4_tables), groups, false };
	struct pair_visitor vis = { json_begin, json_value, &c };

	if (snmp6) {
		c.tabs = v6_tables;
		c.ntabs = ARRAY_SIZE(v6_tables);
		visit_snmp6(snmp6, &vis);
		c.tabs = v4_tables;
		c.ntabs = ARRAY_SIZE(v4_tables);
		visit_pairs(snmp, "Tcp", &vis);
	} else {
		visit_pairs(snmp, NULL, &vis);
		visit_pairs(netstat, NULL, &vis);
	}
	if (c.open)
		print_obj_end();
}

int procnet_print_stats(FILE *out, const char *proc_root, bool inet6, unsigned int groups)
{
	char *snmp = procnet_read_file(proc_root, "net/snmp");
	char *other = procnet_read_file(proc_root, inet6 ? "net/snmp6" : "net/netstat");
	int err = 0;

	if (!snmp || (inet6 && !other)) {
		err = errno;
		free(snmp);
		free(other);
		errno = err;
		return -1;
	}
	if (print_is_json()) {
		print_doc_begin();
		if (inet6)
			procnet_stats_json(snmp, NULL, other, groups);
		else
			procnet_stats_json(snmp, other, NULL, groups);
		print_doc_end();
	} else if (inet6) {
		procnet_stats6_text(out, other, snmp, groups);
	} else {
		procnet_stats_text(out, snmp, other, groups);
	}
	free(snmp);
	free(other);
	return 0;
}

/* netstat -i */

/* Splits a trailing ":N" alias off name (in place); the alias, or NULL. */
static char *cut_alias(char *name)
{
	size_t n = strlen(name);
	bool digit = false;

	for (; n > 0; n--) {
		char c = name[n - 1];

		if (c == ':' && digit) {
			name[n - 1] = '\0';
			return name + n;
		}
		if (c < '0' || c > '9')
			break;
		digit = true;
	}
	return NULL;
}

/* Where the trailing digits of s start. */
static size_t digits_start(const char *s)
{
	size_t n = strlen(s);

	while (n > 0 && s[n - 1] >= '0' && s[n - 1] <= '9')
		n--;
	return n;
}

int procnet_ifname_cmp(const char *a0, const char *b0)
{
	char a[64], b[64], *aal, *bal;
	size_t ai, bi;
	long av, bv;
	int r;

	snprintf(a, sizeof(a), "%s", a0);
	snprintf(b, sizeof(b), "%s", b0);
	aal = cut_alias(a);
	bal = cut_alias(b);
	ai = digits_start(a);
	bi = digits_start(b);
	/* the stems first, then the numbers after them by value */
	r = strncmp(a, b, ai < bi ? ai : bi);
	if (r)
		return r;
	if (ai != bi)
		return ai > bi ? 1 : -1;
	av = atol(a + ai);
	bv = atol(b + bi);
	if (av != bv)
		return av < bv ? -1 : 1;
	r = strcmp(a, b);
	if (r)
		return r;
	av = aal ? atol(aal) : -1;
	bv = bal ? atol(bal) : -1;
	if (av != bv)
		return av < bv ? -1 : 1;
	return aal && bal ? strcmp(aal, bal) : 0;
}

static int iface_cmp(const void *a, const void *b)
{
	return procnet_ifname_cmp(((const struct procnet_iface *)a)->name,
				  ((const struct procnet_iface *)b)->name);
}

int procnet_parse_dev(const char *text, struct procnet_iface **out, size_t *n)
{
	char *dup, *pos, *line;
	size_t cap = 0;
	int version = 1;

	*out = NULL;
	*n = 0;
	if (!text)
		return -1;
	dup = pos = xstrdup(text);
	/* two header lines; the second says which columns there are */
	if (!next_line(&pos) || !(line = next_line(&pos))) {
		free(dup);
		return -1;
	}
	if (strstr(line, "compressed"))
		version = 3;
	else if (strstr(line, "bytes"))
		version = 2;
	while ((line = next_line(&pos))) {
		struct procnet_iface *i;
		unsigned long long f[16] = { 0 };
		char *colon;
		size_t len;

		line += strspn(line, " \t");
		colon = strchr(line, ':');
		if (!colon)
			continue;
		len = (size_t)(colon - line);
		if (*n == cap) {
			cap = cap ? 2 * cap : 16;
			*out = xrealloc(*out, cap * sizeof(**out));
		}
		i = &(*out)[(*n)++];
		memset(i, 0, sizeof(*i));
		snprintf(i->name, sizeof(i->name), "%.*s", (int)len, line);
		/* rx: bytes packets errs drop fifo frame [compressed multicast], tx alike */
		if (version == 3) {
			sscanf(colon + 1,
			       "%llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu "
			       "%llu %llu %llu",
			       &f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6], &f[7], &f[8], &f[9],
			       &f[10], &f[11], &f[12], &f[13], &f[14], &f[15]);
			i->rx_bytes = f[0];
			i->rx_packets = f[1];
			i->rx_errors = f[2];
			i->rx_dropped = f[3];
			i->rx_fifo = f[4];
			i->rx_frame = f[5];
			i->rx_compressed = f[6];
			i->rx_multicast = f[7];
			i->tx_bytes = f[8];
			i->tx_packets = f[9];
			i->tx_errors = f[10];
			i->tx_dropped = f[11];
			i->tx_fifo = f[12];
			i->tx_colls = f[13];
			i->tx_carrier = f[14];
			i->tx_compressed = f[15];
		} else if (version == 2) {
			/* rx: bytes packets errs drop fifo frame; tx: bytes packets errs drop fifo
			 * colls carrier */
			sscanf(colon + 1,
			       "%llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu",
			       &f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6], &f[7], &f[8], &f[9],
			       &f[10], &f[11], &f[12]);
			i->rx_bytes = f[0];
			i->rx_packets = f[1];
			i->rx_errors = f[2];
			i->rx_dropped = f[3];
			i->rx_fifo = f[4];
			i->rx_frame = f[5];
			i->tx_bytes = f[6];
			i->tx_packets = f[7];
			i->tx_errors = f[8];
			i->tx_dropped = f[9];
			i->tx_fifo = f[10];
			i->tx_colls = f[11];
			i->tx_carrier = f[12];
		} else {
			/* no bytes: rx packets errs drop fifo frame; tx ... fifo colls carrier */
			sscanf(colon + 1, "%llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu",
			       &f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6], &f[7], &f[8], &f[9],
			       &f[10]);
			i->rx_packets = f[0];
			i->rx_errors = f[1];
			i->rx_dropped = f[2];
			i->rx_fifo = f[3];
			i->rx_frame = f[4];
			i->tx_packets = f[5];
			i->tx_errors = f[6];
			i->tx_dropped = f[7];
			i->tx_fifo = f[8];
			i->tx_colls = f[9];
			i->tx_carrier = f[10];
		}
	}
	free(dup);
	procnet_sort_ifaces(*out, *n);
	return 0;
}

void procnet_sort_ifaces(struct procnet_iface *v, size_t n)
{
	if (n > 1)
		qsort(v, n, sizeof(*v), iface_cmp);
}

void procnet_iface_flags(char *buf, size_t len, unsigned int flags)
{
	static const struct {
		unsigned int bit;
		char c;
	} letters[] = {
		{ IFF_ALLMULTI, 'A' },	{ IFF_BROADCAST, 'B' },
		{ IFF_DEBUG, 'D' },	{ IFF_LOOPBACK, 'L' },
		{ IFF_MULTICAST, 'M' }, { 0x8000 /* IFF_DYNAMIC */, 'd' },
		{ IFF_PROMISC, 'P' },	{ IFF_NOTRAILERS, 'N' },
		{ IFF_NOARP, 'O' },	{ IFF_POINTOPOINT, 'P' },
		{ IFF_SLAVE, 's' },	{ IFF_MASTER, 'm' },
		{ IFF_RUNNING, 'R' },	{ IFF_UP, 'U' },
	};
	size_t o = 0;

	if (!len)
		return;
	if (!(flags & 0xffff)) {
		snprintf(buf, len, "[NO FLAGS]");
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(letters) && o + 1 < len; i++)
		if (flags & letters[i].bit)
			buf[o++] = letters[i].c;
	buf[o] = '\0';
}

bool procnet_iface_listed(const struct procnet_iface *i, bool all)
{
	return all || (i->flags & IFF_UP);
}

void procnet_iface_text(FILE *out, const struct procnet_iface *v, size_t n, bool all)
{
	fputs("Iface             MTU    RX-OK RX-ERR RX-DRP RX-OVR    TX-OK TX-ERR TX-DRP TX-OVR "
	      "Flg\n",
	      out);
	for (size_t k = 0; k < n; k++) {
		const struct procnet_iface *i = &v[k];
		char flags[32];

		if (!procnet_iface_listed(i, all))
			continue;
		procnet_iface_flags(flags, sizeof(flags), i->flags);
		if (i->no_stats)
			fprintf(out, "%-15.15s %5d %-56s%s\n", i->name, i->mtu,
				"     - no statistics available -", flags);
		else
			fprintf(out,
				"%-15.15s %5d %8llu %6llu %6llu %-6llu %8llu %6llu %6llu %6llu "
				"%s\n",
				i->name, i->mtu, i->rx_packets, i->rx_errors, i->rx_dropped,
				i->rx_fifo, i->tx_packets, i->tx_errors, i->tx_dropped, i->tx_fifo,
				flags);
	}
}

void procnet_iface_counter(const char *key, const struct procnet_iface *i, unsigned long long v)
{
	if (i->no_stats)
		print_null(PRINT_JSON, key);
	else
		print_u64(PRINT_JSON, key, v);
}

void procnet_iface_json(const struct procnet_iface *v, size_t n, bool all,
			void (*extra)(const struct procnet_iface *i, void *ctx), void *ctx)
{
	print_arr_begin("interfaces");
	for (size_t k = 0; k < n; k++) {
		const struct procnet_iface *i = &v[k];
		char flags[32];

		if (!procnet_iface_listed(i, all))
			continue;
		procnet_iface_flags(flags, sizeof(flags), i->flags);
		print_obj_begin(NULL);
		print_str(PRINT_JSON, "iface", i->name);
		print_s64(PRINT_JSON, "mtu", i->mtu);
		procnet_iface_counter("rx_ok", i, i->rx_packets);
		procnet_iface_counter("rx_err", i, i->rx_errors);
		procnet_iface_counter("rx_drp", i, i->rx_dropped);
		procnet_iface_counter("rx_ovr", i, i->rx_fifo);
		procnet_iface_counter("tx_ok", i, i->tx_packets);
		procnet_iface_counter("tx_err", i, i->tx_errors);
		procnet_iface_counter("tx_drp", i, i->tx_dropped);
		procnet_iface_counter("tx_ovr", i, i->tx_fifo);
		print_str(PRINT_JSON, "flags", flags);
		print_u64(PRINT_JSON, "flags_raw", i->flags);
		if (extra)
			extra(i, ctx);
		print_obj_end();
	}
	print_arr_end();
}

int procnet_read_ifaces(const char *proc_root, struct procnet_iface **v, size_t *n)
{
	char *dev = procnet_read_file(proc_root, "net/dev");

	if (!dev)
		return -1;
	procnet_parse_dev(dev, v, n);
	free(dev);
	return 0;
}

void procnet_print_iface_table(FILE *out, const struct procnet_iface *v, size_t n, bool all,
			       bool title)
{
	if (print_is_json()) {
		print_doc_begin();
		procnet_iface_json(v, n, all, NULL, NULL);
		print_doc_end();
	} else {
		if (title)
			fputs("Kernel Interface table\n", out);
		procnet_iface_text(out, v, n, all);
	}
}

/* ss -s */

/* Tcp's CurrEstab from snmp, found by its position in the names line, as ss does. */
static int snmp_value(const char *snmp, const char *table, const char *key, int *out)
{
	char *dup, *pos, *names, *vals;
	int ret = -1;

	*out = 0;
	if (!snmp)
		return -1;
	dup = pos = xstrdup(snmp);
	while ((names = next_line(&pos))) {
		size_t tl = strlen(table);
		char *tok, *save;
		int idx = -1, k = 0;

		if (strncmp(names, table, tl) != 0 || names[tl] != ':')
			continue;
		for (tok = strtok_r(names + tl + 1, " ", &save); tok;
		     tok = strtok_r(NULL, " ", &save), k++)
			if (!strcmp(tok, key))
				idx = k;
		vals = next_line(&pos);
		if (idx < 0 || !vals || strncmp(vals, table, tl) != 0)
			break;
		k = 0;
		for (tok = strtok_r(vals + tl + 1, " ", &save); tok;
		     tok = strtok_r(NULL, " ", &save), k++) {
			if (k == idx) {
				*out = atoi(tok);
				ret = 0;
				break;
			}
		}
		break;
	}
	free(dup);
	return ret;
}

static void sockstat_lines(const char *text, struct procnet_ss_summary *s)
{
	char *dup, *pos, *line;

	if (!text)
		return;
	dup = pos = xstrdup(text);
	while ((line = next_line(&pos))) {
		char id[64];
		int off = 0;
		const char *rem;

		/* "ID: word N word N ...": the numbers by position, as ss reads them */
		if (sscanf(line, "%63s %n", id, &off) != 1 || !off)
			continue;
		rem = line + off;
		if (!strcmp(id, "sockets:"))
			sscanf(rem, "%*s%d", &s->socks);
		else if (!strcmp(id, "UDP:"))
			sscanf(rem, "%*s%d", &s->udp4);
		else if (!strcmp(id, "UDP6:"))
			sscanf(rem, "%*s%d", &s->udp6);
		else if (!strcmp(id, "RAW:"))
			sscanf(rem, "%*s%d", &s->raw4);
		else if (!strcmp(id, "RAW6:"))
			sscanf(rem, "%*s%d", &s->raw6);
		else if (!strcmp(id, "TCP6:"))
			sscanf(rem, "%*s%d", &s->tcp6_hashed);
		else if (!strcmp(id, "FRAG:"))
			sscanf(rem, "%*s%d%*s%d", &s->frag4, &s->frag4_mem);
		else if (!strcmp(id, "FRAG6:"))
			sscanf(rem, "%*s%d%*s%d", &s->frag6, &s->frag6_mem);
		else if (!strcmp(id, "TCP:"))
			sscanf(rem, "%*s%d%*s%d%*s%d%*s%d%*s%d", &s->tcp4_hashed, &s->tcp_orphans,
			       &s->tcp_tws, &s->tcp_total, &s->tcp_mem);
	}
	free(dup);
}

void procnet_ss_summary_parse(const char *sockstat, const char *sockstat6, const char *snmp,
			      struct procnet_ss_summary *s)
{
	memset(s, 0, sizeof(*s));
	sockstat_lines(sockstat, s);
	sockstat_lines(sockstat6, s);
	snmp_value(snmp, "Tcp", "CurrEstab", &s->tcp_estab);
}

static int ss_closed(const struct procnet_ss_summary *s)
{
	/* allocated TCP sockets that are in no hash table (TIME-WAIT aside) */
	return s->tcp_total - (s->tcp4_hashed + s->tcp6_hashed - s->tcp_tws);
}

void procnet_ss_summary_text(FILE *out, const struct procnet_ss_summary *s)
{
	int ip = s->raw4 + s->udp4 + s->tcp4_hashed, ip6 = s->raw6 + s->udp6 + s->tcp6_hashed;

	fprintf(out, "Total: %d\n", s->socks);
	fprintf(out, "TCP:   %d (estab %d, closed %d, orphaned %d, timewait %d)\n",
		s->tcp_total + s->tcp_tws, s->tcp_estab, ss_closed(s), s->tcp_orphans, s->tcp_tws);
	fprintf(out, "\nTransport Total     IP        IPv6\n");
	fprintf(out, "RAW\t  %-9d %-9d %-9d\n", s->raw4 + s->raw6, s->raw4, s->raw6);
	fprintf(out, "UDP\t  %-9d %-9d %-9d\n", s->udp4 + s->udp6, s->udp4, s->udp6);
	fprintf(out, "TCP\t  %-9d %-9d %-9d\n", s->tcp4_hashed + s->tcp6_hashed, s->tcp4_hashed,
		s->tcp6_hashed);
	fprintf(out, "INET\t  %-9d %-9d %-9d\n", ip + ip6, ip, ip6);
	fprintf(out, "FRAG\t  %-9d %-9d %-9d\n\n", s->frag4 + s->frag6, s->frag4, s->frag6);
}

static void json_transport(const char *key, int v4, int v6)
{
	print_obj_begin(key);
	print_s64(PRINT_JSON, "total", v4 + v6);
	print_s64(PRINT_JSON, "ip", v4);
	print_s64(PRINT_JSON, "ipv6", v6);
	print_obj_end();
}

void procnet_ss_summary_json(const struct procnet_ss_summary *s)
{
	print_s64(PRINT_JSON, "total", s->socks);
	print_obj_begin("tcp");
	print_s64(PRINT_JSON, "total", s->tcp_total + s->tcp_tws);
	print_s64(PRINT_JSON, "estab", s->tcp_estab);
	print_s64(PRINT_JSON, "closed", ss_closed(s));
	print_s64(PRINT_JSON, "orphaned", s->tcp_orphans);
	print_s64(PRINT_JSON, "timewait", s->tcp_tws);
	print_obj_end();
	print_obj_begin("transport");
	json_transport("raw", s->raw4, s->raw6);
	json_transport("udp", s->udp4, s->udp6);
	json_transport("tcp", s->tcp4_hashed, s->tcp6_hashed);
	json_transport("inet", s->raw4 + s->udp4 + s->tcp4_hashed,
		       s->raw6 + s->udp6 + s->tcp6_hashed);
	json_transport("frag", s->frag4, s->frag6);
	print_obj_end();
}

static int read_summary(const char *proc_root, struct procnet_ss_summary *s)
{
	char *st = procnet_read_file(proc_root, "net/sockstat");
	char *st6, *snmp;

	if (!st)
		return -1;
	st6 = procnet_read_file(proc_root, "net/sockstat6");
	snmp = procnet_read_file(proc_root, "net/snmp");
	procnet_ss_summary_parse(st, st6, snmp, s);
	free(st);
	free(st6);
	free(snmp);
	return 0;
}

int procnet_print_ss_summary(FILE *out, const char *proc_root)
{
	struct procnet_ss_summary s;

	if (read_summary(proc_root, &s))
		return -1;
	procnet_ss_summary_text(out, &s);
	return 0;
}

int procnet_print_ss_summary_json(const char *proc_root)
{
	struct procnet_ss_summary s;

	if (read_summary(proc_root, &s))
		return -1;
	print_doc_begin();
	procnet_ss_summary_json(&s);
	print_doc_end();
	return 0;
}
