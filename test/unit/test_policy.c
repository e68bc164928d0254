/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of vs_policy.c: VOS3000's gateway-switch decision
 * (doc/user-guide.md §4) as a table, one row per combination that matters -
 * each rule alone, on and off, its edges (the limit reached or not, which
 * codes are busy, which final codes are stop codes) and which rule is named
 * when several forbid the switch - and the parsers of the rules' values. */
#include "unit.h"
#include "vs_policy.h"

/* rules: gateway_switch_limit, switch_stop_after_busy, switch_until_connect,
 * stop_switch_after_sdp. state: attempts, final code, rang, early media, budget
 * spent, canceled. */
typedef struct
{
	const char *what;
	int limit, busy, connect, sdp;
	int attempts, code, rang, early, spent, canceled;
	int want;
} row_t;

#define VOS  \
	0, 1, 0, \
			1 /* VOS3000's defaults: no cap, busy stops, no until-connect, SDP stops */
#define OPEN 0, 0, 1, 0 /* every rule off */

static const row_t rows[] = {
		{"defaults, a silent gateway", VOS, 1, 0, 0, 0, 0, 0, VS_STOP_NONE},
		{"defaults: no cap on gateways", VOS, 60, 0, 0, 0, 0, 0, VS_STOP_NONE},
		{"defaults, 480", VOS, 1, 480, 0, 0, 0, 0, VS_STOP_NONE},
		{"defaults, 503", VOS, 1, 503, 0, 0, 0, 0, VS_STOP_NONE},
		{"defaults, 603 is not busy", VOS, 1, 603, 0, 0, 0, 0, VS_STOP_NONE},
		{"defaults, 486", VOS, 1, 486, 0, 0, 0, 0, VS_STOP_USER_BUSY},
		{"defaults, 600", VOS, 1, 600, 0, 0, 0, 0, VS_STOP_USER_BUSY},
		{"busy rule off, 486", 0, 0, 0, 1, 1, 486, 0, 0, 0, 0, VS_STOP_NONE},
		{"limit 2, one tried", 2, 1, 0, 1, 1, 0, 0, 0, 0, 0, VS_STOP_NONE},
		{"limit 2, two tried", 2, 1, 0, 1, 2, 0, 0, 0, 0, 0, VS_STOP_LIMIT},
		{"limit 2, three tried (script ignored it)", 2, 1, 0, 1, 3, 0, 0, 0, 0,
				0, VS_STOP_LIMIT},
		{"limit 1, one tried", 1, 1, 0, 1, 1, 0, 0, 0, 0, 0, VS_STOP_LIMIT},
		{"limit 100, 99 tried", 100, 1, 0, 1, 99, 0, 0, 0, 0, 0, VS_STOP_NONE},
		{"defaults, ringing reached", VOS, 1, 0, 1, 0, 0, 0, VS_STOP_RINGING},
		{"defaults, rang then 480", VOS, 1, 480, 1, 0, 0, 0, VS_STOP_RINGING},
		{"until connect on, ringing reached", 0, 1, 1, 1, 1, 0, 1, 0, 0, 0,
				VS_STOP_NONE},
		{"defaults, early media (a 183 with SDP also rang)", VOS, 1, 480, 1, 1,
				0, 0, VS_STOP_EARLY_MEDIA},
		{"until connect on, SDP rule on, early media", 0, 1, 1, 1, 1, 480, 1, 1,
				0, 0, VS_STOP_EARLY_MEDIA},
		{"until connect on, SDP rule off, early media", 0, 1, 1, 0, 1, 480, 1,
				1, 0, 0, VS_STOP_NONE},
		{"until connect off, SDP rule off, early media", 0, 1, 0, 0, 1, 480, 1,
				1, 0, 0, VS_STOP_RINGING},
		{"defaults, budget spent", VOS, 1, 0, 0, 0, 1, 0, VS_STOP_BUDGET},
		{"every rule off, budget spent", OPEN, 1, 0, 0, 0, 1, 0,
				VS_STOP_BUDGET},
		{"every rule off, everything happened", OPEN, 99, 486, 1, 1, 0, 0,
				VS_STOP_NONE},
		{"limit reached and budget spent: the limit", 2, 1, 0, 1, 2, 0, 0, 0, 1,
				0, VS_STOP_LIMIT},
		{"busy and limit reached: busy", 2, 1, 0, 1, 2, 486, 0, 0, 0, 0,
				VS_STOP_USER_BUSY},
		{"rang then busy: busy", VOS, 1, 486, 1, 0, 0, 0, VS_STOP_USER_BUSY},
		{"busy off, rang then 486: ringing", 0, 0, 0, 1, 1, 486, 1, 0, 0, 0,
				VS_STOP_RINGING},
		{"busy after early media: busy", VOS, 1, 486, 1, 1, 0, 0,
				VS_STOP_USER_BUSY},
		{"rang and limit reached: ringing", 2, 1, 0, 1, 2, 0, 1, 0, 0, 0,
				VS_STOP_RINGING},
		{"caller CANCELed, nothing else", OPEN, 1, 0, 0, 0, 0, 1,
				VS_STOP_CANCELED},
		{"caller CANCELed, every rule applies", 1, 1, 0, 1, 1, 486, 1, 1, 1, 1,
				VS_STOP_CANCELED},
};

/* switch_stop_codes as written, then a row as above: the failed branch's real
 * final code is in the list; a timer's end (code 0) never is. */
typedef struct
{
	const char *codes;
	row_t r;
} code_row_t;

static const code_row_t code_rows[] = {
		{"404,503", {"404 in the list", VOS, 1, 404, 0, 0, 0, 0, VS_STOP_CODE}},
		{"404,503", {"503 in the list", VOS, 1, 503, 0, 0, 0, 0, VS_STOP_CODE}},
		{"404,503", {"480 not in the list", VOS, 1, 480, 0, 0, 0, 0,
							VS_STOP_NONE}},
		{"404,503", {"603 not in the list", VOS, 1, 603, 0, 0, 0, 0,
							VS_STOP_NONE}},
		{"", {"empty list, 404", VOS, 1, 404, 0, 0, 0, 0, VS_STOP_NONE}},
		{"404,503", {"a timer ended the branch (code 0)", VOS, 1, 0, 0, 0, 0, 0,
							VS_STOP_NONE}},
		{"300,380,400,404,408,480,486,487,500,503,504,600,603,604,606,699",
				{"sixteen codes, a timer ended the branch (code 0)", OPEN, 1,
						0, 0, 0, 0, 0, VS_STOP_NONE}},
		{"503", {"every other rule off, 503", OPEN, 9, 503, 1, 1, 0, 0,
						VS_STOP_CODE}},
		/* the order: canceled, user_busy, stop_code, early_media,
		 * ringing_reached, switch_limit, setup_budget */
		{"486", {"busy rule on, 486 also a stop code: busy", VOS, 1, 486, 0, 0,
						0, 0, VS_STOP_USER_BUSY}},
		{"486", {"busy rule off, 486 a stop code: stop code", 0, 0, 0, 1, 1,
						486, 0, 0, 0, 0, VS_STOP_CODE}},
		{"404", {"busy rule on, 600 not a stop code: busy", VOS, 1, 600, 0, 0,
						0, 0, VS_STOP_USER_BUSY}},
		{"404", {"stop code after early media: stop code", VOS, 1, 404, 1, 1, 0,
						0, VS_STOP_CODE}},
		{"404", {"stop code after ringing: stop code", VOS, 1, 404, 1, 0, 0, 0,
						VS_STOP_CODE}},
		{"404", {"stop code, limit reached: stop code", 2, 1, 0, 1, 2, 404, 0,
						0, 0, 0, VS_STOP_CODE}},
		{"404", {"stop code, budget spent: stop code", VOS, 1, 404, 0, 0, 1, 0,
						VS_STOP_CODE}},
		{"404", {"480 not a stop code, after ringing: ringing", VOS, 1, 480, 1,
						0, 0, 0, VS_STOP_RINGING}},
		{"404", {"480 not a stop code, after early media: early media", VOS, 1,
						480, 1, 1, 0, 0, VS_STOP_EARLY_MEDIA}},
		{"404", {"480 not a stop code, limit reached: limit", 2, 1, 0, 1, 2,
						480, 0, 0, 0, 0, VS_STOP_LIMIT}},
		{"404", {"caller CANCELed, 404 a stop code: canceled", VOS, 1, 404, 0,
						0, 0, 1, VS_STOP_CANCELED}},
};

/* row r decided with rules v (stop codes set by the caller) */
static void check_row(const row_t *r, vs_values_t *v)
{
	vs_call_state_t s = {
			r->attempts, r->code, r->rang, r->early, r->spent, r->canceled};
	int got;

	v->sw_limit = r->limit;
	v->sw_stop_busy = r->busy;
	v->sw_until_connect = r->connect;
	v->sw_stop_sdp = r->sdp;
	got = vs_failover_decide(v, &s);
	ck_assert_msg(got == r->want, "%s: got %s, want %s", r->what,
			got ? vs_stop_name(got) : "(allowed)",
			r->want ? vs_stop_name(r->want) : "(allowed)");
}

START_TEST(decision_table)
{
	vs_values_t v;

	vs_values_vos_defaults(&v);
	check_row(&rows[_i], &v);
}
END_TEST

START_TEST(stop_code_table)
{
	const code_row_t *c = &code_rows[_i];
	char err[VS_ERRLEN];
	vs_values_t v;

	vs_values_vos_defaults(&v);
	ck_assert_msg(
			vs_codes_parse(c->codes, -1, &v.stop_codes, err, sizeof(err)) == 0,
			"%s: %s", c->r.what, err);
	check_row(&c->r, &v);
}
END_TEST

/* the rules read only the switch keys: the timing values do not change a decision */
START_TEST(timing_values_do_not_matter)
{
	vs_values_t v;
	vs_call_state_t s = {2, 0, 0, 0, 0, 0};

	vs_values_vos_defaults(&v);
	v.sw_limit = 2;
	ck_assert_int_eq(vs_failover_decide(&v, &s), VS_STOP_LIMIT);
	v.t_invite_ms = v.t_trying_ms = v.t_ringing_ms = 0;
	v.budget_ms = 5000;
	v.send_retry = 0;
	v.t_sp_ms = v.t_sp_sdp_ms = 1;
	ck_assert_int_eq(vs_failover_decide(&v, &s), VS_STOP_LIMIT);
	s.attempts = 1;
	ck_assert_int_eq(vs_failover_decide(&v, &s), VS_STOP_NONE);
}
END_TEST

START_TEST(stop_names)
{
	ck_assert_str_eq(vs_stop_name(VS_STOP_NONE), "");
	ck_assert_str_eq(vs_stop_name(VS_STOP_CANCELED), "canceled");
	ck_assert_str_eq(vs_stop_name(VS_STOP_USER_BUSY), "user_busy");
	ck_assert_str_eq(vs_stop_name(VS_STOP_CODE), "stop_code");
	ck_assert_str_eq(vs_stop_name(VS_STOP_EARLY_MEDIA), "early_media");
	ck_assert_str_eq(vs_stop_name(VS_STOP_RINGING), "ringing_reached");
	ck_assert_str_eq(vs_stop_name(VS_STOP_LIMIT), "switch_limit");
	ck_assert_str_eq(vs_stop_name(VS_STOP_BUDGET), "setup_budget");
	ck_assert_str_eq(vs_stop_name(VS_STOP_COUNT), "");
	ck_assert_str_eq(vs_stop_name(-1), "");
}
END_TEST

START_TEST(busy_codes)
{
	ck_assert(vs_is_busy_code(486));
	ck_assert(vs_is_busy_code(600));
	ck_assert(!vs_is_busy_code(480));
	ck_assert(!vs_is_busy_code(603));
	ck_assert(!vs_is_busy_code(0));
}
END_TEST

START_TEST(bool_values)
{
	static const char *const on[] = {
			"On", "on", "ON", "true", "Yes", "1", " On "};
	static const char *const off[] = {
			"Off", "off", "FALSE", "no", "0", "\tOff"};
	char err[VS_ERRLEN];
	size_t i;
	int x;

	for(i = 0; i < sizeof(on) / sizeof(on[0]); i++) {
		x = -1;
		ck_assert_msg(
				vs_bool_parse(on[i], -1, &x, err, sizeof(err)) == 0 && x == 1,
				"\"%s\" is on", on[i]);
	}
	for(i = 0; i < sizeof(off) / sizeof(off[0]); i++) {
		x = -1;
		ck_assert_msg(
				vs_bool_parse(off[i], -1, &x, err, sizeof(err)) == 0 && x == 0,
				"\"%s\" is off", off[i]);
	}
	/* len bounds the value: "Onward" cut to 2 is "On" */
	ck_assert_int_eq(vs_bool_parse("Onward", 2, &x, err, sizeof(err)), 0);
	ck_assert_int_eq(x, 1);
}
END_TEST

START_TEST(bool_refused)
{
	static const char *const bad[] = {"", "2", "Onn", "enabled", "O n", "-1"};
	char err[VS_ERRLEN];
	size_t i;
	int x = 7;

	for(i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		ck_assert_msg(vs_bool_parse(bad[i], -1, &x, err, sizeof(err)) == -1,
				"\"%s\" refused", bad[i]);
		ck_assert_has(err, "not On/Off");
		ck_assert_int_eq(x, 7); /* untouched */
	}
}
END_TEST

START_TEST(limit_values)
{
	char err[VS_ERRLEN];
	int x = -1;

	ck_assert_int_eq(vs_limit_parse("None", -1, &x, err, sizeof(err)), 0);
	ck_assert_int_eq(x, 0);
	x = -1;
	ck_assert_int_eq(vs_limit_parse("unlimited", -1, &x, err, sizeof(err)), 0);
	ck_assert_int_eq(x, 0);
	ck_assert_int_eq(vs_limit_parse(" 3 ", -1, &x, err, sizeof(err)), 0);
	ck_assert_int_eq(x, 3);
	ck_assert_int_eq(vs_limit_parse("0", -1, &x, err, sizeof(err)), 0);
	ck_assert_int_eq(x, 0);
	ck_assert_int_eq(vs_limit_parse("100", -1, &x, err, sizeof(err)), 0);
	ck_assert_int_eq(x, 100);
	ck_assert_int_eq(vs_limit_parse("25xyz", 2, &x, err, sizeof(err)), 0);
	ck_assert_int_eq(x, 25);
}
END_TEST

START_TEST(limit_refused)
{
	char err[VS_ERRLEN];
	int x = 7;

	ck_assert_int_eq(vs_limit_parse("101", -1, &x, err, sizeof(err)), -1);
	ck_assert_has(err, "above 100");
	ck_assert_int_eq(vs_limit_parse("-1", -1, &x, err, sizeof(err)), -1);
	ck_assert_has(err, "not a whole number 0..100 or None");
	ck_assert_int_eq(vs_limit_parse("2.5", -1, &x, err, sizeof(err)), -1);
	ck_assert_has(err, "not a whole number");
	ck_assert_int_eq(vs_limit_parse("", -1, &x, err, sizeof(err)), -1);
	ck_assert_has(err, "empty");
	ck_assert_int_eq(
			vs_limit_parse("99999999999999999999", -1, &x, err, sizeof(err)),
			-1);
	ck_assert_has(err, "above 100");
	ck_assert_int_eq(x, 7);
}
END_TEST

/* one parser per rule key, writing the field vs_value_ptr() names */
START_TEST(rule_parse_by_key)
{
	char err[VS_ERRLEN];
	vs_values_t v;

	vs_values_vos_defaults(&v);
	ck_assert_ptr_eq(vs_value_ptr(&v, VS_K_SW_LIMIT), &v.sw_limit);
	ck_assert_ptr_eq(vs_value_ptr(&v, VS_K_SW_BUSY), &v.sw_stop_busy);
	ck_assert_ptr_eq(vs_value_ptr(&v, VS_K_SW_CONNECT), &v.sw_until_connect);
	ck_assert_ptr_eq(vs_value_ptr(&v, VS_K_SW_SDP), &v.sw_stop_sdp);
	ck_assert_ptr_eq(vs_value_ptr(&v, VS_K_T_TRYING), &v.t_trying_ms);
	ck_assert_ptr_null(vs_value_ptr(&v, VS_K_COUNT));
	ck_assert_int_eq(vs_rule_parse(VS_K_SW_LIMIT, "None", -1,
							 vs_value_ptr(&v, VS_K_SW_LIMIT), err, sizeof(err)),
			0);
	ck_assert_int_eq(v.sw_limit, 0);
	ck_assert_int_eq(vs_rule_parse(VS_K_SW_LIMIT, "7", -1, &v.sw_limit, err,
							 sizeof(err)),
			0);
	ck_assert_int_eq(v.sw_limit, 7);
	/* "None" is a limit, not a switch; "On" is a switch, not a limit */
	ck_assert_int_eq(vs_rule_parse(VS_K_SW_CONNECT, "None", -1,
							 &v.sw_until_connect, err, sizeof(err)),
			-1);
	ck_assert_has(err, "not On/Off");
	ck_assert_int_eq(vs_rule_parse(VS_K_SW_LIMIT, "On", -1, &v.sw_limit, err,
							 sizeof(err)),
			-1);
	ck_assert_has(err, "or None");
	ck_assert_int_eq(vs_rule_parse(VS_K_SW_SDP, "off", -1, &v.sw_stop_sdp, err,
							 sizeof(err)),
			0);
	ck_assert_int_eq(v.sw_stop_sdp, 0);
	ck_assert_int_eq(v.sw_limit, 7);
}
END_TEST

static Suite *policy_suite(void)
{
	Suite *su = suite_create("vs_policy");
	TCase *dt = tcase_create("decision"), *pv = tcase_create("values");

	tcase_add_loop_test(dt, decision_table, 0, sizeof(rows) / sizeof(rows[0]));
	tcase_add_loop_test(dt, stop_code_table, 0,
			sizeof(code_rows) / sizeof(code_rows[0]));
	tcase_add_test(dt, timing_values_do_not_matter);
	tcase_add_test(dt, stop_names);
	tcase_add_test(dt, busy_codes);
	tcase_add_test(pv, bool_values);
	tcase_add_test(pv, bool_refused);
	tcase_add_test(pv, limit_values);
	tcase_add_test(pv, limit_refused);
	tcase_add_test(pv, rule_parse_by_key);
	suite_add_tcase(su, dt);
	suite_add_tcase(su, pv);
	return su;
}

VS_UNIT_MAIN(policy_suite)
