// SPDX-License-Identifier: GPL-2.0
/*
 * What export takes from outside besides the request itself: its --listen
 * address (http_parse_listen, http.c) and a scraper's Accept header
 * (prom_wants_openmetrics, prom.c). Input: the text, read as both.
 *
 * Invariants: a refusal says why; an address that parses is an
 * IPv4 or IPv6 socket address of the right length with a port from 1 to
 * 65535, and written back as ADDR:PORT or [ADDR]:PORT it parses again to
 * the same address.
 */
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include "fuzz.h"
#include "http.h"
#include "prom.h"

static void check_listen(const char *s)
{
	struct sockaddr_storage ss, again;
	socklen_t len = 0, len2 = 0;
	char err[256], host[INET6_ADDRSTRLEN], text[INET6_ADDRSTRLEN + 16];

	memset(err, 'x', sizeof(err));
	if (http_parse_listen(s, &ss, &len, err, sizeof(err))) {
		/* the message quotes the value as given, newlines and all: not checked */
		FUZZ_CHECK(memchr(err, '\0', sizeof(err)) && err[0]);
		return;
	}
	if (ss.ss_family == AF_INET) {
		const struct sockaddr_in *a = (const struct sockaddr_in *)&ss;

		FUZZ_CHECK(len == sizeof(*a) && a->sin_port != 0);
		inet_ntop(AF_INET, &a->sin_addr, host, sizeof(host));
		snprintf(text, sizeof(text), "%s:%u", host, ntohs(a->sin_port));
	} else {
		const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)&ss;

		FUZZ_CHECK(ss.ss_family == AF_INET6);
		FUZZ_CHECK(len == sizeof(*a) && a->sin6_port != 0);
		inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof(host));
		snprintf(text, sizeof(text), "[%s]:%u", host, ntohs(a->sin6_port));
	}
	if (http_parse_listen(text, &again, &len2, err, sizeof(err)))
		fprintf(stderr, "%s: parsed, but not its own form %s: %s\n", s, text, err);
	FUZZ_CHECK(len2 == len && memcmp(&ss, &again, len) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_strndup(data, size);

	check_listen(s);
	(void)prom_wants_openmetrics(s);
	free(s);
	return 0;
}
