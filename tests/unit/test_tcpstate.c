// SPDX-License-Identifier: GPL-2.0
#include "socktap.h"
#include "tcpstate.h"
#include "unit.h"

/* iproute2's sstate_name[], indexed by the kernel's TCP state numbers. */
static const struct {
	unsigned int state;
	const char *name;
} ss_names[] = {
	{ 1, "ESTAB" },		  { 2, "SYN-SENT" },  { 3, "SYN-RECV" }, { 4, "FIN-WAIT-1" },
	{ 5, "FIN-WAIT-2" },	  { 6, "TIME-WAIT" }, { 7, "UNCONN" },	 { 8, "CLOSE-WAIT" },
	{ 9, "LAST-ACK" },	  { 10, "LISTEN" },   { 11, "CLOSING" }, { 12, "NEW-SYN-RECV" },
	{ 13, "BOUND-INACTIVE" },
};

#define NNAMES (sizeof(ss_names) / sizeof(ss_names[0]))

TEST(tcpstate_names)
{
	ASSERT_EQ(NNAMES, SOCKTAP_TCP_NSTATES - 1, "every state listed");
	for (unsigned int i = 0; i < NNAMES; i++)
		ASSERT_STREQ(tcp_state_name(ss_names[i].state), ss_names[i].name, ss_names[i].name);
	ASSERT_STREQ(tcp_state_name(SOCKTAP_TCP_ESTABLISHED), "ESTAB", "ESTABLISHED");
	ASSERT_STREQ(tcp_state_name(SOCKTAP_TCP_CLOSE), "UNCONN", "CLOSE");
	ASSERT_STREQ(tcp_state_name(SOCKTAP_TCP_LISTEN), "LISTEN", "LISTEN");
}

TEST(tcpstate_unknown)
{
	ASSERT_STREQ(tcp_state_name(0), "UNKNOWN", "state 0");
	ASSERT_STREQ(tcp_state_name(SOCKTAP_TCP_NSTATES), "UNKNOWN", "NSTATES");
	ASSERT_STREQ(tcp_state_name(255), "UNKNOWN", "255");
	ASSERT_STREQ(tcp_state_name(~0u), "UNKNOWN", "UINT_MAX");
}

TEST(tcpstate_parse)
{
	ASSERT_EQ(tcp_state_parse("ESTAB"), 1, "ESTAB");
	ASSERT_EQ(tcp_state_parse("estab"), 1, "estab");
	ASSERT_EQ(tcp_state_parse("Listen"), 10, "Listen");
	ASSERT_EQ(tcp_state_parse("time-wait"), 6, "time-wait");
	ASSERT_EQ(tcp_state_parse("unconn"), 7, "unconn");
	ASSERT_EQ(tcp_state_parse("bound-inactive"), 13, "bound-inactive");
	ASSERT_EQ(tcp_state_parse("UNKNOWN"), -1, "UNKNOWN is no state");
	ASSERT_EQ(tcp_state_parse(""), -1, "empty");
	ASSERT_EQ(tcp_state_parse("ESTABLISHED"), -1, "kernel name");
	ASSERT_EQ(tcp_state_parse("ESTAB "), -1, "trailing space");
	ASSERT_EQ(tcp_state_parse("TIME_WAIT"), -1, "underscore");
}

TEST(tcpstate_round_trip)
{
	for (unsigned int s = 1; s < SOCKTAP_TCP_NSTATES; s++)
		ASSERT_EQ(tcp_state_parse(tcp_state_name(s)), s, tcp_state_name(s));
}
