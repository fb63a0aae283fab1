// SPDX-License-Identifier: GPL-2.0
#include <strings.h>
#include "socktap.h"
#include "tcpstate.h"
#include "util.h"

/* iproute2's sstate_name[]: TCP_CLOSE is shown as UNCONN. */
static const char *const names[SOCKTAP_TCP_NSTATES] = {
	[SOCKTAP_TCP_ESTABLISHED] = "ESTAB",
	[SOCKTAP_TCP_SYN_SENT] = "SYN-SENT",
	[SOCKTAP_TCP_SYN_RECV] = "SYN-RECV",
	[SOCKTAP_TCP_FIN_WAIT1] = "FIN-WAIT-1",
	[SOCKTAP_TCP_FIN_WAIT2] = "FIN-WAIT-2",
	[SOCKTAP_TCP_TIME_WAIT] = "TIME-WAIT",
	[SOCKTAP_TCP_CLOSE] = "UNCONN",
	[SOCKTAP_TCP_CLOSE_WAIT] = "CLOSE-WAIT",
	[SOCKTAP_TCP_LAST_ACK] = "LAST-ACK",
	[SOCKTAP_TCP_LISTEN] = "LISTEN",
	[SOCKTAP_TCP_CLOSING] = "CLOSING",
	[SOCKTAP_TCP_NEW_SYN_RECV] = "NEW-SYN-RECV",
	[SOCKTAP_TCP_BOUND_INACTIVE] = "BOUND-INACTIVE",
};

const char *tcp_state_name(unsigned int state)
{
	if (state < ARRAY_SIZE(names) && names[state])
		return names[state];
	return "UNKNOWN";
}

int tcp_state_parse(const char *name)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(names); i++)
		if (names[i] && strcasecmp(names[i], name) == 0)
			return (int)i;
	return -1;
}
