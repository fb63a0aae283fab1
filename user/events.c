// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include "events.h"
#include "util.h"

static const char *const type_names[SOCKTAP_EV_MAX] = {
	[SOCKTAP_EV_CONNECT] = "connect",     [SOCKTAP_EV_ACCEPT] = "accept",
	[SOCKTAP_EV_CLOSE] = "close",	      [SOCKTAP_EV_CONNECT_FAILED] = "connect_failed",
	[SOCKTAP_EV_RESET] = "reset",	      [SOCKTAP_EV_RETRANSMIT] = "retransmit",
	[SOCKTAP_EV_LISTEN] = "listen",	      [SOCKTAP_EV_UDP_OPEN] = "udp_open",
	[SOCKTAP_EV_UDP_CLOSE] = "udp_close", [SOCKTAP_EV_STATE] = "state",
};

const char *event_type_name(unsigned int type)
{
	return type < ARRAY_SIZE(type_names) ? type_names[type] : NULL;
}

int event_type_parse(const char *name)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(type_names); i++)
		if (type_names[i] && strcmp(type_names[i], name) == 0)
			return (int)i;
	return -1;
}

const char *family_name(unsigned int family)
{
	return family == AF_INET6 ? "inet6" : family == AF_INET ? "inet" : "unknown";
}

const char *proto_name(unsigned int proto)
{
	return proto == IPPROTO_UDP ? "udp" : proto == IPPROTO_TCP ? "tcp" : "unknown";
}

const char *connect_failure_reason(int err)
{
	switch (err) {
	case 0:
		return "aborted";
	case ECONNREFUSED:
		return "refused";
	case ETIMEDOUT:
		return "timeout";
	case EHOSTUNREACH:
	case ENETUNREACH:
	case EHOSTDOWN:
	case ENETDOWN:
		return "unreachable";
	case ECONNRESET:
		return "reset";
	}
	return "error";
}

const char *closed_first_name(uint32_t flags)
{
	if (flags & SOCKTAP_F_LOCAL_CLOSED_FIRST)
		return "local";
	if (flags & SOCKTAP_F_REMOTE_CLOSED_FIRST)
		return "remote";
	return "unknown";
}

void format_addr(char *buf, size_t len, unsigned int family, const uint8_t *addr)
{
	/* IPv4 by hand: glibc's inet_ntop formats it with sprintf */
	if (family != AF_INET6 && len >= INET_ADDRSTRLEN) {
		char *p = buf;

		for (int i = 0; i < 4; i++) {
			unsigned int v = addr[i];

			if (v >= 100)
				*p++ = (char)('0' + v / 100);
			if (v >= 10)
				*p++ = (char)('0' + v / 10 % 10);
			*p++ = (char)('0' + v % 10);
			*p++ = i < 3 ? '.' : '\0';
		}
		return;
	}
	if (!inet_ntop(family == AF_INET6 ? AF_INET6 : AF_INET, addr, buf, (socklen_t)len))
		snprintf(buf, len, "?");
}

int event_set_parse(const char *list, event_set *out, const char **bad)
{
	static char word[64];
	const char *p = list;

	*out = 0;
	while (*p) {
		size_t n = strcspn(p, ",");
		int t;

		snprintf(word, sizeof(word), "%.*s", (int)n, p);
		t = event_type_parse(word);
		if (t < 0) {
			*bad = word;
			return -1;
		}
		*out |= 1u << t;
		p += n;
		if (*p == ',')
			p++;
	}
	if (!*out) {
		*bad = list;
		return -1;
	}
	return 0;
}

uint64_t mono_to_wall_ns(uint64_t mono_ns)
{
	static int64_t offset;
	static int have;

	if (!have) {
		struct timespec m, r;

		clock_gettime(CLOCK_MONOTONIC, &m);
		clock_gettime(CLOCK_REALTIME, &r);
		offset = ((int64_t)r.tv_sec - m.tv_sec) * 1000000000LL + (r.tv_nsec - m.tv_nsec);
		have = 1;
	}
	return (uint64_t)((int64_t)mono_ns + offset);
}

/*
 * strftime's fmt of the whole seconds (UTC or local), then microseconds and
 * suffix. The seconds part is formatted once per second: events come in
 * thousands per second.
 */
struct time_cache {
	time_t sec;
	char base[32];
};

static void format_time(struct time_cache *c, char *buf, size_t len, uint64_t wall_ns, bool utc,
			const char *fmt, const char *suffix)
{
	time_t s = (time_t)(wall_ns / 1000000000ULL);
	struct tm tm;

	if (s != c->sec || !c->base[0]) {
		if (utc)
			gmtime_r(&s, &tm);
		else
			localtime_r(&s, &tm);
		strftime(c->base, sizeof(c->base), fmt, &tm);
		c->sec = s;
	}
	/* by hand: this runs for every event, and snprintf is a tenth of its cost */
	{
		unsigned int us = (unsigned int)(wall_ns % 1000000000ULL / 1000);
		size_t b = strlen(c->base), x = strlen(suffix);
		char frac[8] = ".000000";

		for (int i = 6; i > 0; i--, us /= 10)
			frac[i] = (char)('0' + us % 10);
		if (b + 7 + x >= len) {
			if (len)
				buf[0] = '\0';
			return;
		}
		memcpy(buf, c->base, b);
		memcpy(buf + b, frac, 7);
		memcpy(buf + b + 7, suffix, x + 1);
	}
}

void format_iso_time(char *buf, size_t len, uint64_t wall_ns)
{
	static struct time_cache cache;

	format_time(&cache, buf, len, wall_ns, true, "%Y-%m-%dT%H:%M:%S", "Z");
}

void format_clock_time(char *buf, size_t len, uint64_t wall_ns)
{
	static struct time_cache cache;

	format_time(&cache, buf, len, wall_ns, false, "%H:%M:%S", "");
}
