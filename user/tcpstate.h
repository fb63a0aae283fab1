/* SPDX-License-Identifier: GPL-2.0 */
/* TCP state names, as ss prints them (the `state` vocabulary). */
#ifndef SOCKTAP_TCPSTATE_H
#define SOCKTAP_TCPSTATE_H

/* ss's name of a kernel TCP state (SOCKTAP_TCP_*), or "UNKNOWN". */
const char *tcp_state_name(unsigned int state);
/* The state named by ss's name (case-insensitive), or -1. */
int tcp_state_parse(const char *name);

#endif
