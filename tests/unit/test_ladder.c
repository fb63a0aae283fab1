// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>
#include "ladder.h"
#include "unit.h"

#define MASK_ALL ((1u << HOOK_STATE) | (1u << HOOK_CONNECT))

/*
 * The fake kernel: a probe of "kind/target" fails with the errno of its
 * rule, and works if it has none. Every call is logged.
 */
struct fake_rule {
	const char *attach;
	int err;
};

struct fake {
	const struct fake_rule *rules; /* ends with { NULL } */
	unsigned int calls;
	char log[512]; /* "kind/target " per call */
};

static const char *const kind_name[] = {
	[ATTACH_FENTRY] = "fentry", [ATTACH_KPROBE] = "kprobe",		[ATTACH_TP_BTF] = "tp_btf",
	[ATTACH_RAW_TP] = "raw_tp", [ATTACH_TRACEPOINT] = "tracepoint",
};

static void fake_probe(void *ctx, enum attach_kind kind, const char *target,
		       struct probe_result *res)
{
	struct fake *f = ctx;
	char what[128];
	size_t len = strlen(f->log);

	snprintf(what, sizeof(what), "%s/%s", kind_name[kind], target);
	snprintf(f->log + len, sizeof(f->log) - len, "%s ", what);
	f->calls++;
	memset(res, 0, sizeof(*res));
	for (const struct fake_rule *r = f->rules; r && r->attach; r++) {
		if (strcmp(r->attach, what) == 0) {
			res->err = r->err;
			snprintf(res->detail, sizeof(res->detail), "fake: %s refused", what);
		}
	}
}

#define FENTRY "fentry/tcp_connect"
#define KPROBE "kprobe/tcp_connect"
#define TP_BTF "tp_btf/inet_sock_set_state"
#define RAW_TP "raw_tp/inet_sock_set_state"
#define TRACEPOINT "tracepoint/sock/inet_sock_set_state"

static int choose(unsigned int mask, const struct fake_rule *rules, struct fake *f,
		  struct hook_choice choice[HOOK_MAX])
{
	memset(f, 0, sizeof(*f));
	f->rules = rules;
	/* garbage, to see that ladder_choose initialises every entry */
	memset(choice, 0xa5, sizeof(choice[0]) * HOOK_MAX);
	return ladder_choose(mask, fake_probe, f, choice);
}

TEST(ladder_best_rungs)
{
	struct hook_choice ch[HOOK_MAX];
	struct fake f;

	ASSERT_OK(choose(MASK_ALL, NULL, &f, ch), "ladder_choose");
	ASSERT_EQ(ch[HOOK_STATE].rung, 0, "state rung");
	ASSERT_STREQ(ch[HOOK_STATE].attach, TP_BTF, "state attach");
	ASSERT_STREQ(ladder_prog(&ch[HOOK_STATE]), "stp_state_btf", "state prog");
	ASSERT_EQ(ch[HOOK_CONNECT].rung, 0, "connect rung");
	ASSERT_STREQ(ch[HOOK_CONNECT].attach, FENTRY, "connect attach");
	ASSERT_STREQ(ladder_prog(&ch[HOOK_CONNECT]), "stp_conn_fentry", "connect prog");
	ASSERT_TRUE(ch[HOOK_CONNECT].def == &hook_defs[HOOK_CONNECT], "connect def");
	ASSERT_EQ(ch[HOOK_CONNECT].ntried, 1, "connect: the choice only");
	ASSERT_STREQ(ch[HOOK_CONNECT].tried[0].attach, FENTRY, "tried[0]");
	ASSERT_EQ(ch[HOOK_CONNECT].tried[0].res.err, 0, "tried[0] worked");
	/* carriers first, one probe per hook */
	ASSERT_EQ(f.calls, 2, "probe calls");
	ASSERT_STREQ(f.log, TP_BTF " " FENTRY " ", "probe order");
}

TEST(ladder_kprobe_after_eperm)
{
	static const struct fake_rule rules[] = { { FENTRY, -EPERM }, { NULL, 0 } };
	struct hook_choice ch[HOOK_MAX];
	const struct hook_choice *c = &ch[HOOK_CONNECT];
	struct fake f;

	ASSERT_OK(choose(MASK_ALL, rules, &f, ch), "ladder_choose");
	ASSERT_EQ(c->rung, 1, "connect rung");
	ASSERT_STREQ(c->attach, KPROBE, "connect attach");
	ASSERT_STREQ(ladder_prog(c), "stp_conn_kprobe", "connect prog");
	ASSERT_EQ(c->ntried, 2, "refusal, then the choice");
	ASSERT_STREQ(c->tried[0].attach, FENTRY, "refused attach");
	ASSERT_EQ(c->tried[0].res.err, -EPERM, "refused with EPERM");
	ASSERT_STREQ(c->tried[0].res.detail, "fake: " FENTRY " refused", "refusal detail");
	ASSERT_STREQ(c->tried[1].attach, KPROBE, "chosen attach");
	ASSERT_EQ(c->tried[1].res.err, 0, "chosen worked");
	ASSERT_EQ(ch[HOOK_STATE].rung, 0, "state unaffected");
	ASSERT_EQ(f.calls, 3, "probe calls");
}

TEST(ladder_connect_rides_on_state)
{
	static const struct fake_rule rules[] = { { FENTRY, -EPERM },
						  { KPROBE, -ENOENT },
						  { NULL, 0 } };
	struct hook_choice ch[HOOK_MAX];
	const struct hook_choice *c = &ch[HOOK_CONNECT];
	struct fake f;

	ASSERT_OK(choose(MASK_ALL, rules, &f, ch), "ladder_choose");
	ASSERT_EQ(c->rung, 2, "connect rung");
	ASSERT_STREQ(c->attach, TP_BTF, "the state hook's attach");
	ASSERT_NULL(ladder_prog(c), "a ride has no program");
	ASSERT_STREQ(ladder_prog(&ch[HOOK_STATE]), "stp_state_btf", "carrier prog");
	ASSERT_EQ(c->ntried, 3, "two refusals and the ride");
	ASSERT_EQ(c->tried[0].res.err, -EPERM, "fentry EPERM");
	ASSERT_EQ(c->tried[1].res.err, -ENOENT, "kprobe ENOENT");
	ASSERT_STREQ(c->tried[2].attach, TP_BTF, "ride attach");
	ASSERT_EQ(c->tried[2].res.err, 0, "ride works");
	ASSERT_STREQ(c->tried[2].res.detail, "rides on the state hook", "ride detail");
	/* the ride itself is not probed */
	ASSERT_STREQ(f.log, TP_BTF " " FENTRY " " KPROBE " ", "probe log");
}

TEST(ladder_ride_follows_carrier_fallback)
{
	static const struct fake_rule raw_rules[] = { { FENTRY, -EPERM },
						      { KPROBE, -ENOENT },
						      { TP_BTF, -EINVAL },
						      { NULL, 0 } };
	static const struct fake_rule tp_rules[] = { { FENTRY, -EPERM },
						     { KPROBE, -ENOENT },
						     { TP_BTF, -EINVAL },
						     { RAW_TP, -EOPNOTSUPP },
						     { NULL, 0 } };
	struct hook_choice ch[HOOK_MAX];
	struct fake f;

	ASSERT_OK(choose(MASK_ALL, raw_rules, &f, ch), "raw_tp: ladder_choose");
	ASSERT_EQ(ch[HOOK_STATE].rung, 1, "raw_tp: state rung");
	ASSERT_STREQ(ladder_prog(&ch[HOOK_STATE]), "stp_state_raw", "raw_tp: state prog");
	ASSERT_EQ(ch[HOOK_STATE].tried[0].res.err, -EINVAL, "raw_tp: tp_btf refusal");
	ASSERT_STREQ(ch[HOOK_STATE].attach, RAW_TP, "raw_tp: state attach");
	ASSERT_EQ(ch[HOOK_CONNECT].rung, 2, "raw_tp: connect rides");
	ASSERT_STREQ(ch[HOOK_CONNECT].attach, RAW_TP, "raw_tp: connect attach");
	ASSERT_NULL(ladder_prog(&ch[HOOK_CONNECT]), "raw_tp: connect prog");

	ASSERT_OK(choose(MASK_ALL, tp_rules, &f, ch), "tracepoint: ladder_choose");
	ASSERT_EQ(ch[HOOK_STATE].rung, 2, "tracepoint: state rung");
	ASSERT_STREQ(ladder_prog(&ch[HOOK_STATE]), "stp_state_tp", "tracepoint: state prog");
	ASSERT_STREQ(ch[HOOK_STATE].attach, TRACEPOINT, "tracepoint: state attach");
	ASSERT_STREQ(ch[HOOK_CONNECT].attach, TRACEPOINT, "tracepoint: connect attach");
}

TEST(ladder_nothing_works)
{
	static const struct fake_rule rules[] = { { FENTRY, -EPERM },	   { KPROBE, -EPERM },
						  { TP_BTF, -EPERM },	   { RAW_TP, -EPERM },
						  { TRACEPOINT, -EACCES }, { NULL, 0 } };
	struct hook_choice ch[HOOK_MAX];
	struct fake f;

	ASSERT_EQ(choose(MASK_ALL, rules, &f, ch), -1, "ladder_choose");
	for (unsigned int i = 0; i < HOOK_MAX; i++) {
		/* hooks outside the mask are not probed */
		if (!(MASK_ALL & (1u << i))) {
			ASSERT_EQ(ch[i].ntried, 0, hook_defs[i].name);
			continue;
		}
		ASSERT_EQ(ch[i].rung, -1, hook_defs[i].name);
		ASSERT_NULL(ladder_prog(&ch[i]), hook_defs[i].name);
		ASSERT_EQ(ch[i].ntried, 3, hook_defs[i].name);
	}
	ASSERT_STREQ(ch[HOOK_STATE].tried[2].attach, TRACEPOINT, "last state rung");
	ASSERT_EQ(ch[HOOK_STATE].tried[2].res.err, -EACCES, "last state refusal");
	/* the ride fails with its carrier's last error */
	ASSERT_EQ(ch[HOOK_CONNECT].tried[2].res.err, -EACCES, "ride refusal");
	ASSERT_EQ(f.calls, 5, "probe calls");
}

TEST(ladder_mask_limits_probes)
{
	struct hook_choice ch[HOOK_MAX];
	struct fake f;

	ASSERT_OK(choose(0, NULL, &f, ch), "empty mask");
	ASSERT_EQ(f.calls, 0, "empty mask: no probe");
	ASSERT_EQ(ch[HOOK_STATE].rung, -1, "empty mask: state rung");
	ASSERT_NULL(ladder_prog(&ch[HOOK_STATE]), "empty mask: state prog");

	ASSERT_OK(choose(1u << HOOK_STATE, NULL, &f, ch), "state only");
	ASSERT_STREQ(f.log, TP_BTF " ", "state only: connect not probed");
	ASSERT_EQ(ch[HOOK_STATE].rung, 0, "state only: state rung");
	ASSERT_EQ(ch[HOOK_CONNECT].rung, -1, "state only: connect rung");
	ASSERT_TRUE(ch[HOOK_CONNECT].def == NULL, "state only: connect not chosen");
	ASSERT_NULL(ladder_prog(&ch[HOOK_CONNECT]), "state only: connect prog");

	/* the carrier of a wanted ride is probed, wanted or not */
	ASSERT_OK(choose(1u << HOOK_CONNECT, NULL, &f, ch), "connect only");
	ASSERT_STREQ(f.log, TP_BTF " " FENTRY " ", "connect only: carrier probed");
	ASSERT_EQ(ch[HOOK_CONNECT].rung, 0, "connect only: connect rung");
}

/*
 * Only the connect hook is wanted and fentry works: that the state hook,
 * probed as a possible carrier, has no rung must not fail the choice
 * (loader_plan() then fails with no hook to blame in its message).
 */
TEST(ladder_unwanted_carrier_failure)
{
	static const struct fake_rule rules[] = { { TP_BTF, -ENOENT },
						  { RAW_TP, -ENOENT },
						  { TRACEPOINT, -ENOENT },
						  { NULL, 0 } };
	struct hook_choice ch[HOOK_MAX];
	struct fake f;
	int ret = choose(1u << HOOK_CONNECT, rules, &f, ch);

	ASSERT_EQ(ch[HOOK_CONNECT].rung, 0, "connect rung");
	ASSERT_STREQ(ladder_prog(&ch[HOOK_CONNECT]), "stp_conn_fentry", "connect prog");
	ASSERT_EQ(ch[HOOK_STATE].rung, -1, "state rung");
	ASSERT_OK(ret, "ladder_choose with every wanted hook placed");
}

TEST(ladder_attach_name)
{
	const struct rung kp = { .kind = ATTACH_KPROBE, .target = "tcp_connect", .prog = "p" };
	const struct rung tp = { .kind = ATTACH_TRACEPOINT,
				 .target = "sock/inet_sock_set_state",
				 .prog = "p" };
	char buf[96], small[7];

	ladder_attach_name(&kp, buf, sizeof(buf));
	ASSERT_STREQ(buf, KPROBE, "kprobe");
	ladder_attach_name(&tp, buf, sizeof(buf));
	ASSERT_STREQ(buf, TRACEPOINT, "tracepoint");
	ladder_attach_name(&kp, small, sizeof(small));
	ASSERT_STREQ(small, "kprobe", "truncated");
}

TEST(ladder_every_program_of_a_rung)
{
	/* the rung's second program cannot attach: the whole rung is refused */
	static const struct fake_rule rules[] = { { "tp_btf/tcp_send_reset", -ENOENT },
						  { NULL, 0 } };
	struct hook_choice ch[HOOK_MAX];
	const struct hook_choice *c = &ch[HOOK_RESET];
	struct fake f;

	ASSERT_OK(choose(1u << HOOK_RESET, rules, &f, ch), "ladder_choose");
	ASSERT_EQ(c->rung, 1, "reset takes raw_tp");
	ASSERT_STREQ(c->attach, "raw_tp/tcp_receive_reset", "reset attach");
	ASSERT_STREQ(c->tried[0].attach, "tp_btf/tcp_send_reset", "refusal names the target");
	ASSERT_EQ(c->tried[0].res.err, -ENOENT, "refused with ENOENT");
	ASSERT_STREQ(ladder_prog_n(c, 1), "stp_srst_raw", "second program of the rung");
	ASSERT_STREQ(f.log,
		     "tp_btf/tcp_receive_reset tp_btf/tcp_send_reset raw_tp/tcp_receive_reset "
		     "raw_tp/tcp_send_reset ",
		     "each program's target probed");
}
