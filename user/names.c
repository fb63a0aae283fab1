// SPDX-License-Identifier: GPL-2.0
#include <netdb.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include "names.h"
#include "util.h"

struct name_cache {
	struct name_entry {
		int af;
		uint8_t addr[16];
		uint32_t key;
		char *name; /* NULL: no name */
	} * v;
	size_t n, cap;
};

static struct name_cache hosts, users;

static struct name_entry *cache_find(struct name_cache *c, int af, const uint8_t *addr,
				     uint32_t key)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].af == af && c->v[i].key == key &&
		    (!addr || !memcmp(c->v[i].addr, addr, af == AF_INET6 ? 16 : 4)))
			return &c->v[i];
	return NULL;
}

static const char *cache_add(struct name_cache *c, int af, const uint8_t *addr, uint32_t key,
			     const char *name)
{
	struct name_entry *e;

	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 32;
		c->v = xrealloc(c->v, c->cap * sizeof(*c->v));
	}
	e = &c->v[c->n++];
	memset(e, 0, sizeof(*e));
	e->af = af;
	if (addr)
		memcpy(e->addr, addr, af == AF_INET6 ? 16 : 4);
	e->key = key;
	e->name = name ? xstrdup(name) : NULL;
	return e->name;
}

const char *name_of_host(int family, const uint8_t *addr)
{
	struct sockaddr_in6 s6 = { .sin6_family = AF_INET6 };
	struct sockaddr_in s4 = { .sin_family = AF_INET };
	struct name_entry *e;
	char name[NI_MAXHOST];
	int err;

	if ((e = cache_find(&hosts, family, addr, 0)))
		return e->name;
	if (family == AF_INET6) {
		memcpy(&s6.sin6_addr, addr, 16);
		err = getnameinfo((struct sockaddr *)&s6, sizeof(s6), name, sizeof(name), NULL, 0,
				  NI_NAMEREQD);
	} else {
		memcpy(&s4.sin_addr, addr, 4);
		err = getnameinfo((struct sockaddr *)&s4, sizeof(s4), name, sizeof(name), NULL, 0,
				  NI_NAMEREQD);
	}
	return cache_add(&hosts, family, addr, 0, err ? NULL : name);
}

const char *name_of_user(uint32_t uid)
{
	struct name_entry *e;
	struct passwd *pw;

	if ((e = cache_find(&users, 0, NULL, uid)))
		return e->name;
	pw = getpwuid(uid);
	return cache_add(&users, 0, NULL, uid, pw ? pw->pw_name : NULL);
}

const char *name_of_proto(int proto)
{
	struct protoent *pe = getprotobynumber(proto);

	return pe ? pe->p_name : NULL;
}

const char *name_of_ifindex(uint32_t ifindex, char *buf, size_t len)
{
	char name[IF_NAMESIZE];

	if (!if_indextoname(ifindex, name))
		return NULL;
	snprintf(buf, len, "%s", name);
	return buf;
}

const char *name_of_process(uint32_t pid, char *buf, size_t len)
{
	char path[64], line[256], *open, *close;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%u/stat", pid);
	f = fopen(path, "re");
	if (!f)
		return NULL;
	n = fread(line, 1, sizeof(line) - 1, f);
	fclose(f);
	line[n] = '\0';
	/* as ss reads it: "%*d (%[^)])", so a name stops at its first ')' */
	open = strchr(line, '(');
	if (!open || open[1] == ')' || open[1] == '\0')
		return NULL;
	close = strchr(open + 1, ')');
	n = close ? (size_t)(close - open - 1) : strlen(open + 1);
	if (n >= len)
		n = len - 1;
	memcpy(buf, open + 1, n);
	buf[n] = '\0';
	return buf;
}
