// SPDX-License-Identifier: GPL-2.0
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include "services.h"
#include "util.h"

#define CACHE_SLOTS 1024

struct entry {
	uint16_t port;
	char *proto;
	char *name; /* NULL: no name */
	struct entry *next;
};

static struct entry *cache[CACHE_SLOTS];

void ephemeral_range(unsigned int *lo, unsigned int *hi)
{
	static unsigned int l, h;
	FILE *f;

	if (!h) {
		l = 32768;
		h = 60999;
		f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "r");
		if (f) {
			if (fscanf(f, "%u %u", &l, &h) != 2 || l > h) {
				l = 32768;
				h = 60999;
			}
			fclose(f);
		}
	}
	*lo = l;
	*hi = h;
}

const char *service_name_any(uint16_t port, const char *proto)
{
	struct entry **slot = &cache[port % CACHE_SLOTS], *e;
	struct servent *se;

	for (e = *slot; e; e = e->next)
		if (e->port == port && !strcmp(e->proto, proto))
			return e->name;
	e = xcalloc(1, sizeof(*e));
	e->port = port;
	e->proto = xstrdup(proto);
	se = port ? getservbyport(htons(port), proto) : NULL;
	if (se)
		e->name = xstrdup(se->s_name);
	e->next = *slot;
	*slot = e;
	return e->name;
}

const char *service_name(uint16_t port, const char *proto)
{
	unsigned int lo, hi;

	ephemeral_range(&lo, &hi);
	if (port >= lo && port <= hi)
		return NULL;
	return service_name_any(port, proto);
}
