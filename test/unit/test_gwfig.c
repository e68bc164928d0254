/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of vs_gwfig.c: a gateway's figures - nearest-rank percentiles, the
 * window (its sample cap and its age), how a branch's end is classified, the
 * counters' invariant, ASR in basis points and reset. */
#include "unit.h"
#include "vs_gwfig.h"

/* n sorted samples, pct -> the 1-based rank (ceil(pct * n / 100)) */
static const struct
{
	int n, pct, rank;
} ranks[] = {{0, 50, 0}, {1, 50, 1}, {1, 95, 1}, {2, 50, 1}, {2, 95, 2},
		{10, 50, 5}, {10, 95, 10}, {20, 95, 19}, {100, 95, 95}, {101, 95, 96},
		{128, 50, 64}, {128, 95, 122}, {3, 100, 3}, {7, 1, 1}};

START_TEST(test_rank_table)
{
	ck_assert_int_eq(vs_win_rank(ranks[_i].n, ranks[_i].pct), ranks[_i].rank);
}
END_TEST

START_TEST(test_summary_known_samples)
{
	vs_win_t w;
	vs_win_sum_t s;
	/* 1..20 in a scrambled order: p50 = 10 (rank 10), p95 = 19 (rank 19) */
	static const uint32_t v[] = {7, 19, 3, 20, 1, 12, 5, 16, 9, 14, 2, 18, 11,
			4, 15, 6, 13, 8, 17, 10};
	unsigned int i;

	memset(&w, 0, sizeof(w));
	for(i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		vs_win_add(&w, v[i], 100);
	vs_win_summary(&w, 100, 0, &s);
	ck_assert_int_eq(s.n, 20);
	ck_assert_uint_eq(s.p50, 10);
	ck_assert_uint_eq(s.p95, 19);
	ck_assert_uint_eq(s.max, 20);
	ck_assert_uint_eq(s.sum, 210);
}
END_TEST

START_TEST(test_summary_empty)
{
	vs_win_t w;
	vs_win_sum_t s;

	memset(&w, 0, sizeof(w));
	vs_win_summary(&w, 5, 60, &s);
	ck_assert_int_eq(s.n, 0);
	ck_assert_uint_eq(s.p50 + s.p95 + s.max + s.sum, 0);
}
END_TEST

/* more samples than the window holds: the oldest go, the newest VS_WIN_N stay */
START_TEST(test_window_keeps_last_n)
{
	vs_win_t w;
	vs_win_sum_t s;
	uint32_t i;

	memset(&w, 0, sizeof(w));
	for(i = 1; i <= VS_WIN_N + 72; i++)
		vs_win_add(&w, i, 10);
	vs_win_summary(&w, 10, 0, &s);
	ck_assert_int_eq(s.n, VS_WIN_N);
	ck_assert_uint_eq(s.max, VS_WIN_N + 72);
	/* the window is 73 .. 200: rank 64 of it is 136 */
	ck_assert_uint_eq(s.p50, 72 + vs_win_rank(VS_WIN_N, 50));
	ck_assert_uint_eq(s.p95, 72 + vs_win_rank(VS_WIN_N, 95));
}
END_TEST

/* samples older than the age are left out; one taken "after now" counts */
START_TEST(test_window_ages)
{
	vs_win_t w;
	vs_win_sum_t s;

	memset(&w, 0, sizeof(w));
	vs_win_add(&w, 5000, 100); /* 901 s old at 1001: out */
	vs_win_add(&w, 300, 101);  /* 900 s old: in */
	vs_win_add(&w, 200, 1000);
	vs_win_add(&w, 100, 1002); /* stamped by another process after now */
	vs_win_summary(&w, 1001, 900, &s);
	ck_assert_int_eq(s.n, 3);
	ck_assert_uint_eq(s.max, 300);
	ck_assert_uint_eq(s.p50, 200);
	vs_win_summary(&w, 1001, 0, &s); /* no age: all four */
	ck_assert_int_eq(s.n, 4);
	ck_assert_uint_eq(s.max, 5000);
}
END_TEST

/* reason, final code -> outcome and its name */
static const struct
{
	int reason, code, outcome;
	const char *name;
} outcomes[] = {{VS_R_NONE, 200, VS_GWO_ANSWERED, "answered"},
		{VS_R_NONE, 299, VS_GWO_ANSWERED, "answered"},
		{VS_R_REPLY, 486, VS_GWO_BUSY, "busy"},
		{VS_R_REPLY, 600, VS_GWO_BUSY, "busy"},
		{VS_R_REPLY, 404, VS_GWO_REJECTED, "rejected"},
		{VS_R_REPLY, 603, VS_GWO_REJECTED, "rejected"},
		{VS_R_REPLY, 487, VS_GWO_REJECTED, "rejected"},
		{VS_R_NONE, 0, VS_GWO_CANCELED, "canceled"},
		{VS_R_NONE, 180, VS_GWO_CANCELED, "canceled"},
		{VS_R_INVITE, 0, VS_GWO_REASON, "invite_timeout"},
		{VS_R_EXHAUSTED, 0, VS_GWO_REASON, "resend_exhausted"},
		{VS_R_RINGING, 180, VS_GWO_REASON, "ringing_timeout"},
		{VS_R_SP_SDP, 183, VS_GWO_REASON, "session_progress_sdp_timeout"},
		{VS_R_BUDGET, 100, VS_GWO_REASON, "setup_budget"},
		/* a reply without a final code (cannot happen): not a timer */
		{VS_R_REPLY, 0, VS_GWO_CANCELED, "canceled"}};

START_TEST(test_outcome_table)
{
	ck_assert_int_eq(vs_gwfig_outcome(outcomes[_i].reason, outcomes[_i].code),
			outcomes[_i].outcome);
	ck_assert_str_eq(
			vs_gwfig_outcome_name(outcomes[_i].reason, outcomes[_i].code),
			outcomes[_i].name);
}
END_TEST

/* tried = answered + busy + rejected + canceled + timer reasons + active */
START_TEST(test_counters_add_up)
{
	vs_gwfig_t f;
	uint32_t timers = 0;
	int r, i;

	memset(&f, 0, sizeof(f));
	for(i = 0; i < 12; i++)
		vs_gwfig_start(&f);
	vs_gwfig_end(&f, VS_R_NONE, 200, 150, 900, 1);
	vs_gwfig_end(&f, VS_R_NONE, 200, -1, 40, 1); /* answered without an 18x */
	vs_gwfig_end(&f, VS_R_REPLY, 486, -1, -1, 1);
	vs_gwfig_end(&f, VS_R_REPLY, 600, -1, -1, 1);
	vs_gwfig_end(&f, VS_R_REPLY, 503, -1, -1, 1);
	vs_gwfig_end(&f, VS_R_NONE, 180, 120, -1, 1);
	vs_gwfig_end(&f, VS_R_INVITE, 0, -1, -1, 1);
	vs_gwfig_end(&f, VS_R_RINGING, 180, 300, -1, 1);
	vs_gwfig_end(&f, VS_R_EXHAUSTED, 0, -1, -1, 1);
	ck_assert_uint_eq(f.tried, 12);
	ck_assert_uint_eq(f.active, 3);
	ck_assert_uint_eq(f.answered, 2);
	ck_assert_uint_eq(f.busy, 2);
	ck_assert_uint_eq(f.rejected, 1);
	ck_assert_uint_eq(f.canceled, 1);
	ck_assert_uint_eq(f.reason[VS_R_REPLY], 3);
	ck_assert_uint_eq(f.reason[VS_R_INVITE], 1);
	for(r = VS_R_NONE + 1; r < VS_R_COUNT; r++)
		if(r != VS_R_REPLY)
			timers += f.reason[r];
	ck_assert_uint_eq(timers, 3);
	ck_assert_uint_eq(f.tried,
			f.answered + f.busy + f.rejected + f.canceled + timers + f.active);
	/* PDD from every branch that had an 18x; answer time only when answered */
	ck_assert_uint_eq(f.pdd.n, 3);
	ck_assert_uint_eq(f.answer.n, 2);
	ck_assert_uint_eq(f.ends.n, 9);
}
END_TEST

START_TEST(test_active_never_below_zero)
{
	vs_gwfig_t f;

	memset(&f, 0, sizeof(f));
	vs_gwfig_end(&f, VS_R_NONE, 200, -1, 10, 1);
	ck_assert_uint_eq(f.active, 0);
}
END_TEST

static const struct
{
	uint32_t answered, tried;
	int bp;
} asrs[] = {{0, 0, -1}, {0, 5, 0}, {5, 5, 10000}, {1, 3, 3333}, {2, 3, 6666},
		{10, 30, 3333}, {7, 8, 8750}, {9, 5, 10000}};

START_TEST(test_asr_bp)
{
	ck_assert_int_eq(
			vs_gwfig_asr_bp(asrs[_i].answered, asrs[_i].tried), asrs[_i].bp);
}
END_TEST

START_TEST(test_summary_and_recent_asr)
{
	vs_gwfig_t f;
	vs_gwfig_sum_t s;
	int i;

	memset(&f, 0, sizeof(f));
	vs_gwfig_summary(&f, 10, 900, &s);
	ck_assert_int_eq(s.asr_bp, -1);
	ck_assert_int_eq(s.asr_recent_bp, -1);
	/* 4 old ends (2 answered) aged out, 4 recent (1 answered) */
	for(i = 0; i < 8; i++) {
		vs_gwfig_start(&f);
		vs_gwfig_end(&f, VS_R_NONE, (i % 4 == 0 || i == 1) ? 200 : 0, 100 + i,
				1000 + i, i < 4 ? 10 : 2000);
	}
	vs_gwfig_summary(&f, 2000, 900, &s);
	ck_assert_int_eq(s.asr_bp, 3 * 10000 / 8);
	ck_assert_int_eq(s.ends.n, 4);
	ck_assert_int_eq(s.asr_recent_bp, 2500);
	ck_assert_int_eq(s.answer.n, 1);
	ck_assert_uint_eq(s.answer.max, 1004);
	ck_assert_int_eq(s.pdd.n, 4);
	ck_assert_uint_eq(s.pdd.p50, 105);
	ck_assert_uint_eq(s.pdd.max, 107);
}
END_TEST

START_TEST(test_reset_keeps_active)
{
	vs_gwfig_t f;

	memset(&f, 0, sizeof(f));
	vs_gwfig_start(&f);
	vs_gwfig_start(&f);
	vs_gwfig_end(&f, VS_R_NONE, 200, 10, 20, 1);
	vs_gwfig_reset(&f);
	ck_assert_uint_eq(f.tried, 0);
	ck_assert_uint_eq(f.answered, 0);
	ck_assert_uint_eq(f.pdd.n + f.answer.n + f.ends.n, 0);
	ck_assert_uint_eq(f.active, 1);
	vs_gwfig_end(&f, VS_R_REPLY, 486, -1, -1, 2); /* the one still running */
	ck_assert_uint_eq(f.active, 0);
	ck_assert_uint_eq(f.busy, 1);
}
END_TEST

static Suite *gwfig_suite(void)
{
	Suite *s = suite_create("gwfig");
	TCase *tc = tcase_create("core");
	tcase_add_loop_test(
			tc, test_rank_table, 0, sizeof(ranks) / sizeof(ranks[0]));
	tcase_add_test(tc, test_summary_known_samples);
	tcase_add_test(tc, test_summary_empty);
	tcase_add_test(tc, test_window_keeps_last_n);
	tcase_add_test(tc, test_window_ages);
	tcase_add_loop_test(
			tc, test_outcome_table, 0, sizeof(outcomes) / sizeof(outcomes[0]));
	tcase_add_test(tc, test_counters_add_up);
	tcase_add_test(tc, test_active_never_below_zero);
	tcase_add_loop_test(tc, test_asr_bp, 0, sizeof(asrs) / sizeof(asrs[0]));
	tcase_add_test(tc, test_summary_and_recent_asr);
	tcase_add_test(tc, test_reset_keeps_active);
	suite_add_tcase(s, tc);
	return s;
}

VS_UNIT_MAIN(gwfig_suite)
