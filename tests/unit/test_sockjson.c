// SPDX-License-Identifier: GPL-2.0
/* One socket as a JSON object: exact text, keys only when asked for. */
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include "json_writer.h"
#include "socktap.h"
#include "sockjson.h"
#include "unit.h"

/* sock_json(e, what) as a string (malloc'ed). */
static char *to_json(const struct sock_entry *e, unsigned int what)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	json_writer_t *jw;

	if (!f)
		return NULL;
	jw = jsonw_new(f);
	if (jw) {
		sock_json(jw, e, what);
		jsonw_destroy(&jw);
	}
	fclose(f);
	return buf;
}

static struct sock_entry tcp4(void)
{
	struct sock_entry e = { 0 };

	e.kind = SK_TCP;
	e.family = AF_INET;
	e.proto = IPPROTO_TCP;
	e.state = SOCKTAP_TCP_ESTABLISHED;
	inet_pton(AF_INET, "127.0.0.1", e.laddr);
	inet_pton(AF_INET, "10.0.0.2", e.raddr);
	e.lport = 44158;
	e.rport = 5555;
	e.send_q = 5;
	e.netns = 4026531840u;
	e.uid = 1000;
	e.inode = 351311;
	e.cookie = 0x131ab;
	return e;
}

#define TCP4_COMMON                                                                                \
	"{\"proto\":\"tcp\",\"family\":\"inet\",\"state\":\"ESTAB\",\"recv_q\":0,\"send_q\":5,"    \
	"\"laddr\":\"127.0.0.1\",\"lport\":44158,\"raddr\":\"10.0.0.2\",\"rport\":5555,"           \
	"\"netns\":4026531840,\"uid\":1000,\"inode\":351311,\"cookie\":78251"

TEST(sockjson_tcp4_common_keys)
{
	struct sock_entry e = tcp4();
	char *s;

	ASSERT_STREQ(sock_proto_name(&e), "tcp", "proto name");
	s = to_json(&e, 0);
	ASSERT_STREQ(s, TCP4_COMMON "}", "common keys only");
	free(s);
	/* asked for, but the parts were not read: still no keys */
	s = to_json(&e, SOCKJSON_MEM | SOCKJSON_TCPINFO);
	ASSERT_STREQ(s, TCP4_COMMON "}", "mem and tcp_info not read");
	free(s);
	e.owners = NULL;
	s = to_json(&e, SOCKJSON_OWNERS);
	ASSERT_STREQ(s, TCP4_COMMON ",\"owners\":[]}", "no owners: empty array");
	free(s);
	e.state = SOCKTAP_TCP_NEW_SYN_RECV;
	e.cgroup = 77;
	e.ifindex = 3;
	e.mark = 0x10;
	s = to_json(&e, 0);
	ASSERT_STREQ(s,
		     "{\"proto\":\"tcp\",\"family\":\"inet\",\"state\":\"SYN-RECV\",\"recv_q\":0,"
		     "\"send_q\":5,\"laddr\":\"127.0.0.1\",\"lport\":44158,\"raddr\":\"10.0.0.2\","
		     "\"rport\":5555,\"ifindex\":3,\"mark\":16,\"netns\":4026531840,\"uid\":1000,"
		     "\"inode\":351311,\"cookie\":78251,\"cgroup\":77}",
		     "device, mark, cgroup");
	free(s);
}

TEST(sockjson_owners_and_hostile_comm)
{
	struct sock_owner w[2] = {
		{ .pid = 10, .fd = 3, .comm = "nginx" },
		{ .pid = 20, .fd = 4, .comm = "a\x1b[2J\"\\" },
	};
	struct sock_entry e = tcp4();
	char *s;

	e.owners = w;
	e.nowners = 2;
	s = to_json(&e, SOCKJSON_OWNERS);
	ASSERT_STREQ(s,
		     TCP4_COMMON ",\"owners\":[{\"pid\":10,\"comm\":\"nginx\",\"fd\":3},"
				 "{\"pid\":20,\"comm\":\"a\\u001b[2J\\\"\\\\\",\"fd\":4}]}",
		     "owners, comm escaped");
	free(s);
	s = to_json(&e, 0);
	ASSERT_STREQ(s, TCP4_COMMON "}", "owners only when asked");
	free(s);
}

TEST(sockjson_tcp6_timer_mem_info)
{
	struct sock_tcpinfo ti = { 0 };
	struct sock_entry e = { 0 };
	char *s;

	e.kind = SK_TCP;
	e.family = AF_INET6;
	e.state = SOCKTAP_TCP_LISTEN;
	inet_pton(AF_INET6, "::", e.laddr);
	inet_pton(AF_INET6, "::", e.raddr);
	e.lport = 5556;
	e.recv_q = 2;
	e.send_q = 128;
	e.inode = 7;
	e.cookie = 255;
	e.timer = SKT_KEEPALIVE;
	e.timer_expires_ms = 74000;
	e.timer_retrans = 2;
	s = to_json(&e, SOCKJSON_TIMER);
	ASSERT_STREQ(s,
		     "{\"proto\":\"tcp\",\"family\":\"inet6\",\"state\":\"LISTEN\",\"recv_q\":2,"
		     "\"send_q\":128,\"laddr\":\"::\",\"lport\":5556,\"raddr\":\"::\",\"rport\":0,"
		     "\"v6only\":false,\"netns\":0,\"uid\":0,\"inode\":7,\"cookie\":255,"
		     "\"timer\":{\"name\":\"keepalive\",\"expires_ms\":74000,\"retrans\":2}}",
		     "inet6 with timer");
	free(s);

	e.v6only = true;
	e.timer = SKT_OFF;
	e.timer_expires_ms = 0;
	e.timer_retrans = 0;
	e.has_mem = true;
	e.mem = (struct sock_mem){ 1, 131072, 2, 2626560, 3, 4, 5, 6, 7 };
	s = to_json(&e, SOCKJSON_TIMER | SOCKJSON_MEM);
	ASSERT_STREQ(s,
		     "{\"proto\":\"tcp\",\"family\":\"inet6\",\"state\":\"LISTEN\",\"recv_q\":2,"
		     "\"send_q\":128,\"laddr\":\"::\",\"lport\":5556,\"raddr\":\"::\",\"rport\":0,"
		     "\"v6only\":true,\"netns\":0,\"uid\":0,\"inode\":7,\"cookie\":255,"
		     "\"timer\":{\"name\":\"off\",\"expires_ms\":0,\"retrans\":0},"
		     "\"skmem\":{\"rmem_alloc\":1,\"rcvbuf\":131072,\"wmem_alloc\":2,"
		     "\"sndbuf\":2626560,\"fwd_alloc\":3,\"wmem_queued\":4,\"optmem\":5,"
		     "\"backlog\":6,\"drops\":7}}",
		     "v6only, timer off, skmem");
	free(s);

	e.has_tcpinfo = true;
	e.tcpi = &ti;
	strcpy(e.tcpi->cong, "cubic");
	e.tcpi->options = 1 | 4;
	e.tcpi->snd_wscale = 7;
	e.tcpi->rcv_wscale = 9;
	e.tcpi->rto_us = 200000;
	e.tcpi->rtt_us = 1234;
	e.tcpi->snd_cwnd = 10;
	e.tcpi->pacing_rate = 2500000;
	e.tcpi->delivery_rate = 724000;
	e.tcpi->busy_time_us = 620000;
	s = to_json(&e, SOCKJSON_TCPINFO);
	ASSERT_OK_PTR(s, "json");
	if (s) {
		ASSERT_TRUE(!strstr(s, "\"skmem\"") && !strstr(s, "\"timer\""),
			    "only what is asked");
		ASSERT_OK_PTR(strstr(s, ",\"tcp_info\":{\"cong\":\"cubic\",\"ts\":true,"
					"\"sack\":false,\"ecn\":false,\"snd_wscale\":7,"
					"\"rcv_wscale\":9,\"rto_us\":200000,"),
			      "tcp_info opens with cong, options, rto");
		ASSERT_OK_PTR(strstr(s, "\"rtt_us\":1234,"), "rtt_us");
		ASSERT_OK_PTR(strstr(s, "\"cwnd_segs\":10,"), "cwnd");
		ASSERT_OK_PTR(strstr(s, "\"pacing_rate_bytes_per_second\":2500000,"), "pacing");
		ASSERT_OK_PTR(strstr(s, "\"delivery_rate_bytes_per_second\":724000,"),
			      "delivery rate");
		ASSERT_OK_PTR(strstr(s, "\"busy_us\":620000,"), "busy");
		ASSERT_TRUE(strlen(s) > 2 && !strcmp(s + strlen(s) - 2, "}}"), "closed");
	}
	free(s);
	e.tcpi->options = 1;
	s = to_json(&e, SOCKJSON_TCPINFO);
	ASSERT_TRUE(s && !strstr(s, "wscale"), "no wscale without the option");
	free(s);
}

TEST(sockjson_unix)
{
	struct sock_entry e = { 0 };
	char path[] = "/tmp/a\nb";
	char *s;

	e.kind = SK_UNIX_STREAM;
	e.family = AF_UNIX;
	e.state = SOCKTAP_TCP_LISTEN;
	e.recv_q = 1;
	e.send_q = 5;
	e.inode = 653605;
	e.cookie = 9;
	e.unix_path = path;
	ASSERT_STREQ(sock_proto_name(&e), "unix", "proto name");
	s = to_json(&e, SOCKJSON_TIMER);
	ASSERT_STREQ(s,
		     "{\"proto\":\"unix\",\"family\":\"unix\",\"type\":\"stream\","
		     "\"state\":\"LISTEN\",\"recv_q\":1,\"send_q\":5,\"path\":\"/tmp/a\\nb\","
		     "\"peer_inode\":0,\"netns\":0,\"uid\":0,\"inode\":653605,\"cookie\":9}",
		     "bound stream, no timer for unix");
	free(s);
	e.kind = SK_UNIX_DGRAM;
	e.state = SOCKTAP_TCP_ESTABLISHED;
	e.unix_path = NULL;
	e.unix_peer = 653606;
	s = to_json(&e, 0);
	ASSERT_STREQ(
		s,
		"{\"proto\":\"unix\",\"family\":\"unix\",\"type\":\"dgram\",\"state\":\"ESTAB\","
		"\"recv_q\":1,\"send_q\":5,\"path\":null,\"peer_inode\":653606,\"netns\":0,"
		"\"uid\":0,\"inode\":653605,\"cookie\":9}",
		"unbound dgram: path null");
	free(s);
	e.kind = SK_UNIX_SEQPACKET;
	path[0] = '\0';
	e.unix_path = path;
	s = to_json(&e, 0);
	ASSERT_OK_PTR(s ? strstr(s, "\"type\":\"seqpacket\"") : NULL, "seqpacket");
	ASSERT_OK_PTR(s ? strstr(s, "\"path\":null,") : NULL, "empty path is null");
	free(s);
}

TEST(sockjson_udp_raw_names)
{
	struct sock_entry e = tcp4();

	e.kind = SK_UDP;
	ASSERT_STREQ(sock_proto_name(&e), "udp", "udp");
	e.kind = SK_RAW;
	ASSERT_STREQ(sock_proto_name(&e), "raw", "raw");
}
