// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include "fake_resolver.h"

static int fake_service(void *ctx, const char *name, const char *proto)
{
	static const struct {
		const char *name;
		int tcp, udp;
	} svc[] = {
		{ "ssh", 22, 22 },     { "smtp", 25, 25 },	   { "http", 80, -1 },
		{ "domain", 53, 53 },  { "http-alt", 8080, 8080 }, { "split", 100, 200 },
		{ "ambig", 100, 200 }, { "udponly", -1, 514 },	   { "tcponly", 15000, -1 },
	};

	(void)ctx;
	for (size_t i = 0; i < sizeof(svc) / sizeof(svc[0]); i++) {
		if (strcmp(svc[i].name, name))
			continue;
		if (!proto)
			return svc[i].tcp >= 0 ? svc[i].tcp : svc[i].udp;
		if (!strcmp(proto, "tcp"))
			return svc[i].tcp;
		if (!strcmp(proto, "udp"))
			return svc[i].udp;
		return -1;
	}
	return -1;
}

/* Adds address a of family af to out[n] unless the caller asked for the other family. */
static int put_addr(struct resolved_addr *out, int n, int max, int family, int af, const char *a)
{
	if (n >= max || (family && family != af))
		return n;
	memset(&out[n], 0, sizeof(out[n]));
	out[n].family = (uint16_t)af;
	if (inet_pton(af, a, out[n].addr) != 1)
		abort();
	return n + 1;
}

static int fake_host(void *ctx, const char *name, int family, struct resolved_addr *out, int max)
{
	static const struct {
		const char *name;
		int af;
		const char *addr;
	} hosts[] = {
		{ "localhost", AF_INET, "127.0.0.1" },
		{ "foo", AF_INET, "198.18.0.5" },
		{ "foo", AF_INET6, "2001:db8::5" },
		{ "v4only", AF_INET, "198.18.0.7" },
		{ "v6only", AF_INET6, "::1" },
		{ "both", AF_INET, "10.9.9.9" },
		{ "both", AF_INET6, "::1" },
		{ "zero", AF_INET, "0.0.0.0" },
		{ "many", AF_INET, "10.0.0.1" },
		{ "many", AF_INET, "10.0.0.2" },
		{ "many", AF_INET6, "fe80::1" },
		{ "many", AF_INET, "10.0.0.3" },
		{ "many", AF_INET6, "::ffff:10.0.0.4" },
	};
	int n = 0;

	(void)ctx;
	for (size_t i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++)
		if (!strcmp(hosts[i].name, name))
			n = put_addr(out, n, max, family, hosts[i].af, hosts[i].addr);
	return n ? n : -1;
}

static unsigned int fake_ifindex(void *ctx, const char *name)
{
	(void)ctx;
	if (!strcmp(name, "lo"))
		return 1;
	if (!strcmp(name, "eth0"))
		return 2;
	return 0;
}

static uint64_t fake_cgroup(void *ctx, const char *path)
{
	(void)ctx;
	return strcmp(path, "/system.slice/x.service") == 0 ? 4242 : 0;
}

static long fake_user(void *ctx, const char *name)
{
	(void)ctx;
	if (!strcmp(name, "root"))
		return 0;
	if (!strcmp(name, "alice"))
		return 1000;
	return -1;
}

const struct resolver test_resolver = {
	.service = fake_service,
	.host = fake_host,
	.ifindex = fake_ifindex,
	.cgroup = fake_cgroup,
	.user = fake_user,
};
