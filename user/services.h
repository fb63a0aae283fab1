/* SPDX-License-Identifier: GPL-2.0 */
/* Port numbers as service names (/etc/services), cached, as ss and lsof show them. */
#ifndef SOCKTAP_SERVICES_H
#define SOCKTAP_SERVICES_H

#include <stdint.h>

/*
 * The name of port for proto ("tcp", "udp"), or NULL. Ports in the
 * ephemeral range (ip_local_port_range) are never named, as in ss: a
 * client's random port that happens to be a registered service is noise.
 */
const char *service_name(uint16_t port, const char *proto);
/* The name of port for proto whatever the port (lsof and netstat name ephemeral ones too). */
const char *service_name_any(uint16_t port, const char *proto);
/* net.ipv4.ip_local_port_range, read once ([32768, 60999] if unreadable). */
void ephemeral_range(unsigned int *lo, unsigned int *hi);

#endif
