/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The event model: names and decoding of struct socktap_event, shared by
 * every view that shows events (trace now, export later).
 */
#ifndef SOCKTAP_EVENTS_H
#define SOCKTAP_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "socktap.h"

/* "connect", "accept", ... ; NULL for an unknown type. */
const char *event_type_name(unsigned int type);
/* The type named name, or -1. */
int event_type_parse(const char *name);

/* "inet", "inet6" (AF_*), "tcp", "udp" (IPPROTO_*): the vocabulary's names. */
const char *family_name(unsigned int family);
const char *proto_name(unsigned int proto);

/* Why a connect failed, from its errno: "refused", "timeout", "unreachable",
 * "reset", "aborted" (closed before it completed) or "error". */
const char *connect_failure_reason(int err);

/* Who closed first: "local", "remote" or "unknown" (from the event flags). */
const char *closed_first_name(uint32_t flags);

/* addr (16 bytes, network order) as inet_ntop writes it. */
void format_addr(char *buf, size_t len, unsigned int family, const uint8_t *addr);

/* A set of event types, as a bit mask of (1 << type). */
typedef uint32_t event_set;
/* Parses "connect,close,..." into a set. -1 on an unknown name (bad set to it). */
int event_set_parse(const char *list, event_set *out, const char **bad);

/* Converts CLOCK_MONOTONIC ns to wall-clock ns, with an offset taken once. */
uint64_t mono_to_wall_ns(uint64_t mono_ns);
/* "2026-11-26T16:40:01.123456Z" (UTC) and "16:40:01.123456" (local). */
void format_iso_time(char *buf, size_t len, uint64_t wall_ns);
void format_clock_time(char *buf, size_t len, uint64_t wall_ns);

#endif
