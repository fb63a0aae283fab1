// SPDX-License-Identifier: GPL-2.0
#include <netdb.h>
#include <pwd.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include "cgroup.h"
#include "resolve.h"

static int sys_service(void *ctx, const char *name, const char *proto)
{
	struct servent *se = getservbyname(name, proto);

	(void)ctx;
	return se ? ntohs((uint16_t)se->s_port) : -1;
}

static int sys_host(void *ctx, const char *name, int family, struct resolved_addr *out, int max)
{
	struct addrinfo hints = { .ai_family = family ? family : AF_UNSPEC,
				  .ai_socktype = SOCK_STREAM };
	struct addrinfo *res, *ai;
	int n = 0;

	(void)ctx;
	if (getaddrinfo(name, NULL, &hints, &res))
		return -1;
	for (ai = res; ai && n < max; ai = ai->ai_next) {
		memset(&out[n], 0, sizeof(out[n]));
		out[n].family = (uint16_t)ai->ai_family;
		if (ai->ai_family == AF_INET)
			memcpy(out[n].addr, &((struct sockaddr_in *)ai->ai_addr)->sin_addr, 4);
		else if (ai->ai_family == AF_INET6)
			memcpy(out[n].addr, &((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr, 16);
		else
			continue;
		n++;
	}
	freeaddrinfo(res);
	return n ? n : -1;
}

static unsigned int sys_ifindex(void *ctx, const char *name)
{
	(void)ctx;
	return if_nametoindex(name);
}

static uint64_t sys_cgroup(void *ctx, const char *path)
{
	(void)ctx;
	return cgroup_id_of_path(path);
}

static long sys_user(void *ctx, const char *name)
{
	struct passwd *pw = getpwnam(name);

	(void)ctx;
	return pw ? (long)pw->pw_uid : -1;
}

const struct resolver resolver_system = {
	.service = sys_service,
	.host = sys_host,
	.ifindex = sys_ifindex,
	.cgroup = sys_cgroup,
	.user = sys_user,
};
