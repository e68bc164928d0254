/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of vs_stage.c: the per-branch stage machine
 * (doc/user-guide.md §2) as a table - every stage against every INVITE
 * response that matters (100, 180 with and without SDP, 181, 182, 183 with and
 * without SDP, 199, 200, 486, 603) and a non-INVITE's - then when the INVITE
 * stage ends and why, and the names. */
#include <limits.h>

#include "unit.h"
#include "vs_stage.h"

enum
{
	INV = VS_ST_INVITE,
	TRY = VS_ST_TRYING,
	SP = VS_ST_SP,
	SDP = VS_ST_SP_SDP,
	RNG = VS_ST_RINGING,
	DONE = VS_ST_DONE
};

/* the branch's stage, the request (1: INVITE), the response and its body;
 * then the step: stage after, timer restarted, final, the callee rings */
typedef struct
{
	int stage, invite, code, sdp;
	int to, restart, final, ringing;
} row_t;

/* INVITE responses; F: a final response, every stage ends */
#define I(st, code, sdp, to, restart, ringing) \
	{st, 1, code, sdp, to, restart, 0, ringing}
#define F(st, code) {st, 1, code, 0, DONE, 0, 1, 0}

static const row_t rows[] = {
		/* invite: every provisional moves the branch, the timer restarts */
		I(INV, 100, 0, TRY, 1, 0),
		I(INV, 180, 0, RNG, 1, 1),
		I(INV, 180, 1, RNG, 1, 1),
		I(INV, 181, 0, SP, 1, 0),
		I(INV, 182, 0, SP, 1, 0),
		I(INV, 183, 0, SP, 1, 0),
		I(INV, 183, 1, SDP, 1, 1),
		I(INV, 199, 0, SP, 1, 0),
		F(INV, 200),
		F(INV, 486),
		F(INV, 603),
		/* trying */
		I(TRY, 100, 0, TRY, 0, 0),
		I(TRY, 180, 0, RNG, 1, 1),
		I(TRY, 180, 1, RNG, 1, 1),
		I(TRY, 181, 0, SP, 1, 0),
		I(TRY, 182, 0, SP, 1, 0),
		I(TRY, 183, 0, SP, 1, 0),
		I(TRY, 183, 1, SDP, 1, 1),
		I(TRY, 199, 0, SP, 1, 0),
		F(TRY, 200),
		F(TRY, 486),
		F(TRY, 603),
		/* session_progress: another 18x without SDP stays (no restart) */
		I(SP, 100, 0, SP, 0, 0),
		I(SP, 180, 0, RNG, 1, 1),
		I(SP, 180, 1, RNG, 1, 1),
		I(SP, 181, 0, SP, 0, 0),
		I(SP, 182, 0, SP, 0, 0),
		I(SP, 183, 0, SP, 0, 0),
		I(SP, 183, 1, SDP, 1, 1),
		I(SP, 199, 0, SP, 0, 0),
		F(SP, 200),
		F(SP, 486),
		F(SP, 603),
		/* session_progress_sdp: an 18x without SDP names another stage */
		I(SDP, 100, 0, SDP, 0, 0),
		I(SDP, 180, 0, RNG, 1, 1),
		I(SDP, 180, 1, RNG, 1, 1),
		I(SDP, 181, 0, SP, 1, 0),
		I(SDP, 182, 0, SP, 1, 0),
		I(SDP, 183, 0, SP, 1, 0),
		I(SDP, 183, 1, SDP, 0, 1),
		I(SDP, 199, 0, SP, 1, 0),
		F(SDP, 200),
		F(SDP, 486),
		F(SDP, 603),
		/* ringing: another 180 stays; a 100 changes nothing */
		I(RNG, 100, 0, RNG, 0, 0),
		I(RNG, 180, 0, RNG, 0, 1),
		I(RNG, 180, 1, RNG, 0, 1),
		I(RNG, 181, 0, SP, 1, 0),
		I(RNG, 182, 0, SP, 1, 0),
		I(RNG, 183, 0, SP, 1, 0),
		I(RNG, 183, 1, SDP, 1, 1),
		I(RNG, 199, 0, SP, 1, 0),
		F(RNG, 200),
		F(RNG, 486),
		F(RNG, 603),
		/* done: nothing more happens */
		I(DONE, 100, 0, DONE, 0, 0),
		I(DONE, 180, 0, DONE, 0, 0),
		I(DONE, 180, 1, DONE, 0, 0),
		I(DONE, 181, 0, DONE, 0, 0),
		I(DONE, 182, 0, DONE, 0, 0),
		I(DONE, 183, 0, DONE, 0, 0),
		I(DONE, 183, 1, DONE, 0, 0),
		I(DONE, 199, 0, DONE, 0, 0),
		F(DONE, 200),
		F(DONE, 486),
		F(DONE, 603),
		/* a body on a 100 or a final changes nothing */
		I(INV, 100, 1, TRY, 1, 0),
		{INV, 1, 200, 1, DONE, 0, 1, 0},
		{RNG, 1, 486, 1, DONE, 0, 1, 0},
		/* other 101-199 codes are session progress too */
		I(INV, 101, 0, SP, 1, 0),
		I(TRY, 199, 1, SDP, 1, 1),
		/* finals of every class */
		F(INV, 300),
		F(SDP, 404),
		F(TRY, 503),
		F(SP, 699),
		/* non-INVITE: only the invite stage; a provisional changes nothing */
		{INV, 0, 100, 0, INV, 0, 0, 0},
		{INV, 0, 180, 0, INV, 0, 0, 0},
		{INV, 0, 183, 0, INV, 0, 0, 0},
		{INV, 0, 183, 1, INV, 0, 0, 0},
		{INV, 0, 199, 0, INV, 0, 0, 0},
		{INV, 0, 200, 0, DONE, 0, 1, 0},
		{INV, 0, 408, 0, DONE, 0, 1, 0},
		{INV, 0, 481, 0, DONE, 0, 1, 0},
		{DONE, 0, 180, 0, DONE, 0, 0, 0},
		{DONE, 0, 200, 0, DONE, 0, 1, 0},
};

START_TEST(reply_table)
{
	const row_t *r = &rows[_i];
	vs_stage_step_t st;

	memset(&st, 0x55, sizeof(st)); /* every field must be written */
	vs_stage_on_reply(r->stage, r->invite, r->code, r->sdp, &st);
	ck_assert_msg(st.stage == r->to && st.restart == r->restart
						  && st.final == r->final && st.ringing == r->ringing,
			"%s, %s %d%s: got %s restart %d final %d ringing %d, want %s "
			"restart %d final %d ringing %d",
			vs_stage_name(r->stage), r->invite ? "INVITE" : "non-INVITE",
			r->code, r->sdp ? "+SDP" : "", vs_stage_name(st.stage),
			st.restart, st.final, st.ringing, vs_stage_name(r->to), r->restart,
			r->final, r->ringing);
}
END_TEST

/* one branch through a call: the timer restarts only when the stage changes */
START_TEST(a_call_in_sequence)
{
	static const struct
	{
		int code, sdp;
		int to, restart;
	} seq[] = {{100, 0, TRY, 1}, {100, 0, TRY, 0}, {183, 0, SP, 1},
			{183, 0, SP, 0}, {180, 0, RNG, 1}, {100, 0, RNG, 0},
			{180, 0, RNG, 0}, {183, 1, SDP, 1}, {180, 1, RNG, 1},
			{200, 1, DONE, 0}};
	vs_stage_step_t st;
	int stage = INV;
	size_t i;

	for(i = 0; i < sizeof(seq) / sizeof(seq[0]); i++) {
		vs_stage_on_reply(stage, 1, seq[i].code, seq[i].sdp, &st);
		ck_assert_msg(st.stage == seq[i].to && st.restart == seq[i].restart,
				"step %zu (%d): %s restart %d", i + 1, seq[i].code,
				vs_stage_name(st.stage), st.restart);
		stage = st.stage;
	}
	ck_assert_int_eq(st.final, 1);
}
END_TEST

/* the glue parses the body only when it can change the step */
START_TEST(needs_sdp)
{
	vs_stage_step_t a, b;
	int stage, inv, code;

	ck_assert(vs_stage_needs_sdp(1, 183));
	ck_assert(vs_stage_needs_sdp(1, 181));
	ck_assert(vs_stage_needs_sdp(1, 101));
	ck_assert(vs_stage_needs_sdp(1, 199));
	ck_assert(!vs_stage_needs_sdp(1, 100));
	ck_assert(!vs_stage_needs_sdp(1, 180));
	ck_assert(!vs_stage_needs_sdp(1, 200));
	ck_assert(!vs_stage_needs_sdp(1, 486));
	ck_assert(!vs_stage_needs_sdp(0, 183));
	/* where it is not needed, the body does not change the step */
	for(stage = 0; stage <= VS_ST_DONE; stage++)
		for(inv = 0; inv <= 1; inv++)
			for(code = 100; code <= 699; code++) {
				if(vs_stage_needs_sdp(inv, code))
					continue;
				vs_stage_on_reply(stage, inv, code, 0, &a);
				vs_stage_on_reply(stage, inv, code, 1, &b);
				ck_assert_msg(a.stage == b.stage && a.restart == b.restart
									  && a.final == b.final
									  && a.ringing == b.ringing,
						"%s, %d, %d: the body matters",
						vs_stage_name(stage), inv, code);
			}
}
END_TEST

/* ---- when the INVITE stage ends ---- */

static const struct
{
	const char *what;
	unsigned int giveup_ms, t_invite_ms;
	long life_left_ms;
	unsigned int end_ms;
	int reason;
} ends[] = {
		{"VOS defaults: timeout_invite 10 s before the list's 31.5 s", 31500,
				10000, -1, 10000, VS_R_INVITE},
		{"timeout_invite 0: the list runs out", 31500, 0, -1, 31500,
				VS_R_EXHAUSTED},
		{"timeout_invite longer than the list", 15500, 20000, -1, 15500,
				VS_R_EXHAUSTED},
		{"timeout_invite equal to the list: the list ran out", 15500, 15500,
				-1, 15500, VS_R_EXHAUSTED},
		{"timeout_invite 1 ms shorter", 15500, 15499, -1, 15499, VS_R_INVITE},
		{"the lifetime cuts timeout_invite", 31500, 10000, 5000, 5000,
				VS_R_INVITE},
		{"the lifetime cuts the list", 31500, 0, 20000, 20000, VS_R_INVITE},
		{"the lifetime longer than timeout_invite", 31500, 10000, 60000, 10000,
				VS_R_INVITE},
		{"the lifetime longer than the list", 31500, 0, 60000, 31500,
				VS_R_EXHAUSTED},
		{"the lifetime equal to the list", 31500, 0, 31500, 31500,
				VS_R_EXHAUSTED},
		{"the lifetime spent: 1 ms, not 0", 31500, 10000, 0, 1, VS_R_INVITE},
		{"the lifetime spent, timeout_invite 0", 31500, 0, 0, 1, VS_R_INVITE},
		{"the lifetime above 2^32 ms", 31500, 0, LONG_MAX, 31500,
				VS_R_EXHAUSTED},
		{"an empty list gives up at 0: 1 ms", 0, 0, -1, 1, VS_R_EXHAUSTED},
		{"timeout_invite 1 ms", 31500, 1, -1, 1, VS_R_INVITE},
};

START_TEST(invite_end_table)
{
	unsigned int end = 12345;
	int reason = vs_stage_invite_end(ends[_i].giveup_ms, ends[_i].t_invite_ms,
			ends[_i].life_left_ms, &end);

	ck_assert_msg(end == ends[_i].end_ms && reason == ends[_i].reason,
			"%s: %u ms %s, want %u ms %s", ends[_i].what, end,
			vs_reason_name(reason), ends[_i].end_ms,
			vs_reason_name(ends[_i].reason));
}
END_TEST

/* ---- names ---- */

START_TEST(stage_and_reason_names)
{
	static const char *const stages[] = {"invite", "trying",
			"session_progress", "session_progress_sdp", "ringing", "done"};
	static const char *const reasons[VS_R_COUNT] = {"", "resend_exhausted",
			"invite_timeout", "trying_timeout", "session_progress_timeout",
			"session_progress_sdp_timeout", "ringing_timeout", "setup_budget",
			"reply", "send_failed"};
	int i;

	for(i = 0; i <= VS_ST_DONE; i++)
		ck_assert_str_eq(vs_stage_name(i), stages[i]);
	ck_assert_str_eq(vs_stage_name(-1), "");
	ck_assert_str_eq(vs_stage_name(VS_ST_DONE + 1), "");
	for(i = 0; i < VS_R_COUNT; i++)
		ck_assert_str_eq(vs_reason_name(i), reasons[i]);
	ck_assert_str_eq(vs_reason_name(-1), "");
	ck_assert_str_eq(vs_reason_name(VS_R_COUNT), "");
	/* the reasons of a branch this module ended (a late 2xx gets ACK + BYE) */
	for(i = 0; i < VS_R_COUNT; i++)
		ck_assert_int_eq(vs_reason_ours(i),
				i != VS_R_NONE && i != VS_R_REPLY);
	ck_assert_int_eq(vs_reason_ours(VS_R_COUNT), 0);
}
END_TEST

/* each timed stage's timer gives its own reason; the reason names it back */
START_TEST(stage_reason_round_trip)
{
	static const int want[VS_ST_TIMED] = {VS_R_INVITE, VS_R_TRYING, VS_R_SP,
			VS_R_SP_SDP, VS_R_RINGING};
	int s;

	for(s = 0; s < VS_ST_TIMED; s++) {
		ck_assert_int_eq(vs_stage_reason(s), want[s]);
		ck_assert_int_eq(vs_reason_stage(vs_stage_reason(s)), s);
	}
	ck_assert_str_eq(vs_reason_name(vs_stage_reason(VS_ST_SP)),
			"session_progress_timeout");
	ck_assert_str_eq(vs_reason_name(vs_stage_reason(VS_ST_SP_SDP)),
			"session_progress_sdp_timeout");
	/* done has no timer; out of range neither */
	ck_assert_int_eq(vs_stage_reason(VS_ST_DONE), VS_R_NONE);
	ck_assert_int_eq(vs_stage_reason(-1), VS_R_NONE);
	ck_assert_int_eq(vs_stage_reason(VS_ST_DONE + 1), VS_R_NONE);
	/* reasons that are no stage's timeout */
	ck_assert_int_eq(vs_reason_stage(VS_R_NONE), -1);
	ck_assert_int_eq(vs_reason_stage(VS_R_EXHAUSTED), -1);
	ck_assert_int_eq(vs_reason_stage(VS_R_BUDGET), -1);
	ck_assert_int_eq(vs_reason_stage(VS_R_REPLY), -1);
	ck_assert_int_eq(vs_reason_stage(VS_R_COUNT), -1);
	ck_assert_int_eq(vs_reason_stage(-1), -1);
}
END_TEST

static Suite *stage_suite(void)
{
	Suite *su = suite_create("vs_stage");
	TCase *tr = tcase_create("replies"), *te = tcase_create("invite_end"),
		  *tn = tcase_create("names");

	tcase_add_loop_test(tr, reply_table, 0, sizeof(rows) / sizeof(rows[0]));
	tcase_add_test(tr, a_call_in_sequence);
	tcase_add_test(tr, needs_sdp);
	tcase_add_loop_test(
			te, invite_end_table, 0, sizeof(ends) / sizeof(ends[0]));
	tcase_add_test(tn, stage_and_reason_names);
	tcase_add_test(tn, stage_reason_round_trip);
	suite_add_tcase(su, tr);
	suite_add_tcase(su, te);
	suite_add_tcase(su, tn);
	return su;
}

VS_UNIT_MAIN(stage_suite)
