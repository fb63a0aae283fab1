/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One socket as a JSON object, in the project's vocabulary, for every
 * listing view (ss, netstat, lsof): the same keys whichever view asks.
 */
#ifndef SOCKTAP_SOCKJSON_H
#define SOCKTAP_SOCKJSON_H

#include "json_writer.h"
#include "sockets.h"

#define SOCKJSON_OWNERS 1u /* "owners": [{pid, comm, fd}] */
#define SOCKJSON_TIMER 2u /* "timer": {name, expires_ms, retrans} */
#define SOCKJSON_MEM 4u /* "skmem": {...} in bytes */
#define SOCKJSON_TCPINFO 8u /* "tcp_info": {...} with units in the names */
#define SOCKJSON_NO_UID 16u /* no "uid": a row that names a process's own uid */

/* sock_kind_proto() of e's kind: "tcp", "udp", "raw", "unix", "netlink", "packet". */
const char *sock_proto_name(const struct sock_entry *e);
/* Writes e as one object (the keys of `what` on top of the common ones). */
void sock_json(json_writer_t *jw, const struct sock_entry *e, unsigned int what);
/* The same keys into an object the caller opened, to add its own. */
void sock_json_fields(json_writer_t *jw, const struct sock_entry *e, unsigned int what);

#endif
