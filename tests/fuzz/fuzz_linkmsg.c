// SPDX-License-Identifier: GPL-2.0
/*
 * rtnetlink link and address messages (linkmsg.c), as nload and top read
 * them from RTM_GETLINK and RTM_GETADDR dumps. Input: the bytes of one
 * recv(), split into messages as nl_dump (nldump.c) splits them; each is
 * read both as a link and as an address, as either dump's callback would.
 *
 * Invariants: results are -1, 0 or 1; a link's name is terminated within
 * IFNAMSIZ; an address read is a dotted IPv4 address.
 */
#include <string.h>
#include <arpa/inet.h>
#include <linux/netlink.h>
#include "fuzz.h"
#include "linkmsg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t off = 0;

	while (size - off >= NLMSG_HDRLEN) {
		const uint8_t *m = data + off;
		struct link_sample ls;
		struct nlmsghdr h;
		struct in_addr a4;
		char addr[16];
		int r, ifindex;

		memcpy(&h, m, sizeof(h));
		if (h.nlmsg_len < NLMSG_HDRLEN || h.nlmsg_len > size - off)
			break;
		off += NLMSG_ALIGN(h.nlmsg_len) < size - off ? NLMSG_ALIGN(h.nlmsg_len) :
							       size - off;
		if (h.nlmsg_type == NLMSG_DONE || h.nlmsg_type == NLMSG_ERROR)
			continue;
		/* nl_dump's buffer is malloc'ed and messages start 4-aligned: so here */
		memset(&ls, 0xa5, sizeof(ls));
		r = linkmsg_parse_link(m, h.nlmsg_len, 7, &ls);
		FUZZ_CHECK(r >= -1 && r <= 1);
		if (r == 1) {
			FUZZ_CHECK(memchr(ls.name, '\0', sizeof(ls.name)));
			FUZZ_CHECK(memchr(ls.addr, '\0', sizeof(ls.addr)));
			FUZZ_CHECK(ls.netns == 7 && ls.up <= 1);
		}
		memset(addr, 'x', sizeof(addr));
		r = linkmsg_parse_addr(m, h.nlmsg_len, &ifindex, addr);
		FUZZ_CHECK(r >= -1 && r <= 1);
		if (r == 1)
			FUZZ_CHECK(memchr(addr, '\0', sizeof(addr)) &&
				   inet_pton(AF_INET, addr, &a4) == 1);
	}
	return 0;
}
