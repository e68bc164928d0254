/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of vs_import.c: every input form operators paste, every mapped
 * parameter, the not-mapped reasons, every warning, and malformed input (bad number,
 * 11 intervals, missing value, binary garbage, a 10 MB line) refused with a message. */
#include <stdio.h>
#include <unistd.h>

#include "unit.h"
#include "vs_import.h"

static vs_import_report_t rep; /* ~120 KB: not on the stack */
static vs_values_t v;
static char err[512];

static void setup(void)
{
	memset(&rep, 0, sizeof(rep));
	vs_values_vos_defaults(&v);
	err[0] = '\0';
}

static int imp_n(const char *text, size_t len)
{
	return vs_import_text(text, len, "x.txt", &v, &rep, err, sizeof(err));
}

static int imp(const char *text)
{
	return imp_n(text, strlen(text));
}

/* Import, then the value warnings, as vos2kam and modparam vos_import do. */
static void imp_ok(const char *text)
{
	ck_assert_msg(imp(text) == 0, "refused: %s", err);
	vs_import_warnings(&v, &rep);
}

/* The error names the origin, the line and a piece of the reason or value. */
static void imp_bad(
		const char *text, size_t len, const char *where, const char *piece)
{
	vs_values_t before = v;

	ck_assert_int_eq(imp_n(text, len), -1);
	ck_assert_has(err, where);
	ck_assert_has(err, piece);
	ck_assert_msg(
			memcmp(&before, &v, sizeof(v)) == 0, "values changed on error");
}

static const vs_import_item_t *item(const char *name)
{
	int i;

	for(i = 0; i < rep.n_items; i++)
		if(strcmp(rep.item[i].name, name) == 0)
			return &rep.item[i];
	ck_abort_msg("%s not in the report", name);
	return NULL;
}

/* The warning containing piece, or NULL. */
static const char *warning(const char *piece)
{
	int i;

	for(i = 0; i < rep.n_warn; i++)
		if(strstr(rep.warn[i], piece) != NULL)
			return rep.warn[i];
	return NULL;
}

static void has_warning(const char *piece)
{
	int i;

	if(warning(piece) != NULL)
		return;
	for(i = 0; i < rep.n_warn; i++)
		fprintf(stderr, "  warning %d: %s\n", i, rep.warn[i]);
	ck_abort_msg("no warning with \"%s\"", piece);
}

static char sched_str[VS_SCHED_STRLEN];

static const char *sched(void)
{
	vs_sched_format(&v.sched, sched_str, sizeof(sched_str));
	return sched_str;
}

/* ---- input forms ---- */

START_TEST(form_name_equals_value)
{
	imp_ok("SS_SIP_RESEND_INTERVAL=0.5,1,2,4\nSS_SIP_TIMEOUT_INVITE=8\n");
	ck_assert_str_eq(sched(), "0.5,1,2,4");
	ck_assert_uint_eq(v.t_invite_ms, 8000);
	ck_assert_int_eq(rep.key_line[VS_K_RESEND], 1);
	ck_assert_int_eq(rep.key_line[VS_K_T_INVITE], 2);
	ck_assert_int_eq(rep.n_items, 2);
}
END_TEST

START_TEST(form_spaces_quotes_crlf)
{
	imp_ok("SS_SIP_RESEND_INTERVAL = \"0.5, 1, 2\"\r\n"
		   "SS_SIP_SEND_RETRY : '3'\r\n"
		   "SS_SIP_TIMEOUT_TRYING=\t15  \r\n");
	ck_assert_str_eq(sched(), "0.5,1,2");
	ck_assert_int_eq(v.send_retry, 3);
	ck_assert_uint_eq(v.t_trying_ms, 15000);
	ck_assert_int_eq(rep.key_line[VS_K_T_TRYING], 3);
	ck_assert_str_eq(item("SS_SIP_RESEND_INTERVAL")->raw, "0.5, 1, 2");
}
END_TEST

START_TEST(form_tab_table_from_client)
{
	imp_ok("Name\tValue\tDefault value\tDescription\n"
		   "SS_SIP_RESEND_INTERVAL\t0.5,1,2,4,4,4\t0.5,1,2,4,4,4,4,4,4,"
		   "4\tResend "
		   "interval (s)\n"
		   "SS_SIP_SEND_RETRY\t6\t10\tResend times\n"
		   "SS_SIP_TIMEOUT_RINGING\t90\t120\tTimeout after ringing (s)\n");
	ck_assert_str_eq(sched(), "0.5,1,2,4,4,4");
	ck_assert_int_eq(v.send_retry, 6);
	ck_assert_uint_eq(v.t_ringing_ms, 90000);
	ck_assert_int_eq(rep.n_skipped, 1);
	ck_assert_int_eq(rep.first_skipped, 1);
	ck_assert_str_eq(item("SS_SIP_SEND_RETRY")->raw, "6");
}
END_TEST

START_TEST(form_space_table_commas_join)
{
	imp_ok("SS_SIP_RESEND_INTERVAL 0.5, 1 ,2   0.5,1,2,4,4,4,4,4,4,4   Resend "
		   "interval\n"
		   "SS_SIP_TIMEOUT_INVITE    12    10    INVITE timeout\n");
	ck_assert_str_eq(sched(), "0.5,1,2");
	ck_assert_uint_eq(v.t_invite_ms, 12000);
}
END_TEST

START_TEST(form_row_number_column)
{
	imp_ok("No.\tName\tValue\n1\tSS_SIP_TIMEOUT_INVITE\t7\t10\tdesc\n");
	ck_assert_uint_eq(v.t_invite_ms, 7000);
}
END_TEST

START_TEST(form_comments_blank_lines)
{
	imp_ok("# exported from VOS3000\n\n; ini style\n// c++ style\n-- sql "
		   "style\n"
		   "   \n\t\nSS_SIP_TIMEOUT_INVITE=9 # nine seconds\n"
		   "SS_SIP_TIMEOUT_TRYING=16 ; sixteen\n\n");
	ck_assert_uint_eq(v.t_invite_ms, 9000);
	ck_assert_uint_eq(v.t_trying_ms, 16000);
	ck_assert_int_eq(rep.n_items, 2);
	ck_assert_int_eq(rep.n_skipped, 0);
	ck_assert_int_eq(rep.n_lines, 10);
}
END_TEST

START_TEST(form_lowercase_bom_cr_utf8)
{
	imp_ok("\xef\xbb\xbfss_sip_timeout_invite=6\rSS_SIP_SEND_RETRY\t4\t10\t"
		   "\xe9\x87\x8d\xe5\x8f\x91\xe6\xac\xa1\xe6\x95\xb0\r");
	ck_assert_uint_eq(v.t_invite_ms, 6000);
	ck_assert_int_eq(v.send_retry, 4);
	ck_assert_str_eq(rep.item[0].name, "SS_SIP_TIMEOUT_INVITE");
	ck_assert_int_eq(rep.key_line[VS_K_RETRY], 2);
}
END_TEST

START_TEST(form_no_final_newline)
{
	imp_ok("SS_SIP_TIMEOUT_RINGING=45");
	ck_assert_uint_eq(v.t_ringing_ms, 45000);
	ck_assert_int_eq(rep.n_lines, 1);
}
END_TEST

START_TEST(form_unknown_parameters_mixed_in)
{
	imp_ok("SS_SIP_USER_AGENT_EXPIRE=Auto\n"
		   "SS_SIP_TIMEOUT_INVITE=8\n"
		   "SS_SIP_REGISTER_EXPIRE=3600\n"
		   "SS_SIP_NAT_KEEP_ALIVE_PERIOD=30\n"
		   "SS_SIP_SOMETHING_NEW=1\n"
		   "SS_BILLING_PRECISION=6\n"
		   "SS_GATEWAY_SWITCH_STOP_AFTER_RTP_START=On\n"
		   "SS_SIP_USER_AGENT_STOP_SWITCH_AFTER_INVITE_TIMEOUT=Off\n"
		   "Some free text line\n");
	ck_assert_uint_eq(v.t_invite_ms, 8000);
	ck_assert_int_eq(rep.n_items, 8);
	ck_assert_int_eq(item("SS_SIP_USER_AGENT_EXPIRE")->key, -1);
	ck_assert_has(item("SS_SIP_USER_AGENT_EXPIRE")->note, "uac");
	ck_assert_has(item("SS_SIP_REGISTER_EXPIRE")->note, "registrar");
	ck_assert_has(item("SS_SIP_NAT_KEEP_ALIVE_PERIOD")->note, "nathelper");
	ck_assert_has(item("SS_SIP_SOMETHING_NEW")->note, "not mapped");
	ck_assert_has(item("SS_BILLING_PRECISION")->note, "ignored");
	ck_assert_has(
			item("SS_GATEWAY_SWITCH_STOP_AFTER_RTP_START")->note, "media");
	ck_assert_has(
			item("SS_SIP_USER_AGENT_STOP_SWITCH_AFTER_INVITE_TIMEOUT")->note,
			"failure_route");
	ck_assert_int_eq(item("SS_SIP_REGISTER_EXPIRE")->line, 3);
	ck_assert_int_eq(rep.n_skipped, 1);
	ck_assert_int_eq(rep.first_skipped, 9);
}
END_TEST

START_TEST(form_unmapped_without_value_is_listed)
{
	imp_ok("SS_SIP_PRIVACY\nSS_SIP_TIMEOUT_INVITE=8\n");
	ck_assert_str_eq(item("SS_SIP_PRIVACY")->raw, "");
	ck_assert_has(item("SS_SIP_PRIVACY")->note, "not mapped");
}
END_TEST

/* ---- each mapped parameter ---- */

START_TEST(mapped_all_eleven)
{
	imp_ok("SS_SIP_RESEND_INTERVAL=1,2,4\n"
		   "SS_SIP_SEND_RETRY=7\n"
		   "SS_SIP_TIMEOUT_INVITE=2.5\n"
		   "SS_SIP_TIMEOUT_TRYING=30\n"
		   "SS_SIP_TIMEOUT_RINGING=100\n"
		   "SS_GATEWAY_SWITCH_LIMIT=4\n"
		   "SS_GATEWAY_SWITCH_STOP_AFTER_USER_BUSY=Off\n"
		   "SS_GATEWAY_SWITCH_UNTIL_CONNECT=On\n"
		   "SS_SIP_STOP_SWITCH_AFTER_SDP=false\n"
		   "SS_SIP_TIMEOUT_SESSION_PROGRESS=15\n"
		   "SS_SIP_TIMEOUT_SESSION_PROGRESS_SDP=90.5\n");
	ck_assert_str_eq(sched(), "1,2,4");
	ck_assert_int_eq(v.send_retry, 7);
	ck_assert_uint_eq(v.t_invite_ms, 2500);
	ck_assert_uint_eq(v.t_trying_ms, 30000);
	ck_assert_uint_eq(v.t_ringing_ms, 100000);
	ck_assert_uint_eq(v.t_sp_ms, 15000);
	ck_assert_uint_eq(v.t_sp_sdp_ms, 90500);
	ck_assert_int_eq(v.sw_limit, 4);
	ck_assert_int_eq(v.sw_stop_busy, 0);
	ck_assert_int_eq(v.sw_until_connect, 1);
	ck_assert_int_eq(v.sw_stop_sdp, 0);
	ck_assert_int_eq(rep.key_line[VS_K_SW_SDP], 9);
	ck_assert_int_eq(rep.key_line[VS_K_T_SP], 10);
	ck_assert_int_eq(rep.key_line[VS_K_T_SP_SDP], 11);
	ck_assert_int_eq(rep.key_line[VS_K_BUDGET], 0);
	ck_assert_has(
			item("SS_SIP_RESEND_INTERVAL")->note, "resend_interval \"1,2,4\"");
	ck_assert_has(item("SS_SIP_RESEND_INTERVAL")->note, "gives up at 7 s");
	ck_assert_has(item("SS_SIP_SEND_RETRY")->note, "send_retry 7");
	ck_assert_has(item("SS_SIP_TIMEOUT_INVITE")->note, "timeout_invite 2.5");
	ck_assert_has(item("SS_SIP_TIMEOUT_TRYING")->note, "timeout_trying 30");
	ck_assert_has(item("SS_SIP_TIMEOUT_RINGING")->note, "timeout_ringing 100");
	ck_assert_has(
			item("SS_GATEWAY_SWITCH_LIMIT")->note, "gateway_switch_limit 4");
	ck_assert_has(item("SS_GATEWAY_SWITCH_STOP_AFTER_USER_BUSY")->note,
			"switch_stop_after_busy false");
	ck_assert_has(item("SS_GATEWAY_SWITCH_UNTIL_CONNECT")->note,
			"switch_until_connect true");
	ck_assert_has(item("SS_SIP_STOP_SWITCH_AFTER_SDP")->note,
			"stop_switch_after_sdp false");
	ck_assert_int_eq(item("SS_SIP_TIMEOUT_TRYING")->key, VS_K_T_TRYING);
	ck_assert_int_eq(item("SS_SIP_TIMEOUT_SESSION_PROGRESS")->key, VS_K_T_SP);
	ck_assert_int_eq(
			item("SS_SIP_TIMEOUT_SESSION_PROGRESS_SDP")->key, VS_K_T_SP_SDP);
}
END_TEST

/* VOS3000's two session-progress stages are mapped and explained like the other
 * stage timeouts; they are no session timers (those stay unmapped). */
START_TEST(mapped_session_progress)
{
	const char *text = "SS_SIP_TIMEOUT_SESSION_PROGRESS\t20\t20\tdesc\n"
					   "SS_SIP_TIMEOUT_SESSION_PROGRESS_SDP\t120\t120\tdesc\n"
					   "SS_SIP_SESSION_UPDATE_SEGMENT\t2\t2\tdesc\n";
	const char *sp = "timeout_session_progress 20 "
					 "(session_progress_timeout after 20 s)";
	const char *sdp = "timeout_session_progress_sdp 120 "
					  "(session_progress_sdp_timeout after 120 s)";

	imp_ok(text);
	ck_assert_str_eq(item("SS_SIP_TIMEOUT_SESSION_PROGRESS")->note, sp);
	ck_assert_str_eq(item("SS_SIP_TIMEOUT_SESSION_PROGRESS_SDP")->note, sdp);
	ck_assert_has(
			item("SS_SIP_SESSION_UPDATE_SEGMENT")->note, "session timers");
	ck_assert_int_eq(item("SS_SIP_SESSION_UPDATE_SEGMENT")->key, -1);
	ck_assert_ptr_null(warning("session"));
	setup();
	imp_ok("SS_SIP_TIMEOUT_SESSION_PROGRESS=0\n");
	ck_assert_uint_eq(v.t_sp_ms, 0);
	ck_assert_has(item("SS_SIP_TIMEOUT_SESSION_PROGRESS")->note,
			"timeout_session_progress 0 (0: not limited by vostimer");
	imp_bad("SS_SIP_TIMEOUT_SESSION_PROGRESS_SDP=abc\n", 40,
			"x.txt:1:", "SS_SIP_TIMEOUT_SESSION_PROGRESS_SDP \"abc\"");
	ck_assert_str_eq(
			vs_import_param_name(VS_K_T_SP), "SS_SIP_TIMEOUT_SESSION_PROGRESS");
	ck_assert_str_eq(vs_import_param_name(VS_K_T_SP_SDP),
			"SS_SIP_TIMEOUT_SESSION_PROGRESS_SDP");
}
END_TEST

/* VOS3000 writes "None" for no limit on gateways per call (also "Unlimited") */
START_TEST(mapped_switch_limit_none)
{
	imp_ok("SS_GATEWAY_SWITCH_LIMIT=None\n");
	ck_assert_int_eq(v.sw_limit, 0);
	ck_assert_has(
			item("SS_GATEWAY_SWITCH_LIMIT")->note, "gateway_switch_limit 0");
	ck_assert_has(item("SS_GATEWAY_SWITCH_LIMIT")->note, "no cap");
	imp_ok("SS_GATEWAY_SWITCH_LIMIT=2\nSS_GATEWAY_SWITCH_LIMIT=unlimited\n");
	ck_assert_int_eq(v.sw_limit, 0);
	imp_bad("SS_GATEWAY_SWITCH_LIMIT=Nonee\n", 30,
			"x.txt:1:", "not a whole number 0..100 or None");
}
END_TEST

START_TEST(mapped_booleans_every_spelling)
{
	static const char *const on[] = {
			"On", "ON", "true", "TRUE", "1", "yes", "Yes"};
	static const char *const off[] = {
			"Off", "off", "false", "False", "0", "no", "NO"};
	char line[96];
	size_t i;

	for(i = 0; i < sizeof(on) / sizeof(on[0]); i++) {
		snprintf(line, sizeof(line), "SS_GATEWAY_SWITCH_UNTIL_CONNECT=%s\n",
				on[i]);
		v.sw_until_connect = 0;
		imp_ok(line);
		ck_assert_msg(v.sw_until_connect == 1, "%s is not on", on[i]);
		snprintf(line, sizeof(line), "SS_GATEWAY_SWITCH_UNTIL_CONNECT\t%s\t0\n",
				off[i]);
		imp_ok(line);
		ck_assert_msg(v.sw_until_connect == 0, "%s is not off", off[i]);
	}
}
END_TEST

START_TEST(mapped_base_kept_for_absent_keys)
{
	v.budget_ms = 20000;
	v.t_trying_ms = 5000;
	imp_ok("SS_SIP_TIMEOUT_INVITE=8\n");
	ck_assert_uint_eq(v.budget_ms, 20000);
	ck_assert_uint_eq(v.t_trying_ms, 5000);
	ck_assert_str_eq(sched(), VS_SCHED_DEFAULT);
}
END_TEST

START_TEST(mapped_param_names)
{
	ck_assert_str_eq(
			vs_import_param_name(VS_K_RESEND), "SS_SIP_RESEND_INTERVAL");
	ck_assert_str_eq(
			vs_import_param_name(VS_K_SW_SDP), "SS_SIP_STOP_SWITCH_AFTER_SDP");
	ck_assert_ptr_null(vs_import_param_name(VS_K_BUDGET));
	ck_assert_ptr_null(vs_import_param_name(-1));
}
END_TEST

START_TEST(mapped_report_null_allowed)
{
	ck_assert_int_eq(vs_import_text("SS_SIP_SEND_RETRY=2\n", 20, NULL, &v, NULL,
							 err, sizeof(err)),
			0);
	ck_assert_int_eq(v.send_retry, 2);
}
END_TEST

/* ---- warnings ---- */

START_TEST(warn_invite_cuts_schedule)
{
	/* VOS3000's own defaults: 10 s INVITE timeout, list giving up at 31.5 s */
	imp_ok("SS_SIP_TIMEOUT_INVITE=10\n");
	has_warning("SS_SIP_TIMEOUT_INVITE 10 s ends the INVITE stage before the "
				"schedule: sends after 7.5 s (5 of 10) are never made");
}
END_TEST

START_TEST(warn_invite_cuts_last_interval_only)
{
	imp_ok("SS_SIP_RESEND_INTERVAL=0.5,1,2,4\nSS_SIP_TIMEOUT_INVITE=5\n");
	has_warning("gives up at 7.5 s: all 4 sends are made");
	ck_assert_ptr_null(warning("never made"));
}
END_TEST

START_TEST(warn_invite_boundary_send_at_timeout)
{
	/* sends at 0, 1, 2, 3: the one at exactly 3 s is never made */
	imp_ok("SS_SIP_RESEND_INTERVAL=1,1,1,1\nSS_SIP_TIMEOUT_INVITE=3\n");
	has_warning("sends after 2 s (1 of 4) are never made");
}
END_TEST

START_TEST(warn_invite_after_send_retry_cut)
{
	/* retry 2 keeps 0.5,1,2: sends at 0, 0.5, 1.5, gives up at 3.5 < 8 */
	imp_ok("SS_SIP_SEND_RETRY=2\nSS_SIP_TIMEOUT_INVITE=8\n");
	ck_assert_ptr_null(warning("ends the INVITE stage"));
	has_warning("SS_SIP_SEND_RETRY 2 is smaller than the 9 retransmissions");
	has_warning("last 7 intervals are never used");
	has_warning("gives up at 3.5 s, not 31.5 s");
}
END_TEST

START_TEST(warn_flat_schedules)
{
	imp_ok("SS_SIP_RESEND_INTERVAL=1,1,1,1,1,1,1,1,1,1\n");
	has_warning("is flat");
	setup();
	imp_ok("SS_SIP_RESEND_INTERVAL=4,4,4\nSS_SIP_TIMEOUT_INVITE=0\n");
	has_warning("SS_SIP_RESEND_INTERVAL 4,4,4 is flat");
}
END_TEST

START_TEST(warn_shrinking_and_short_first)
{
	imp_ok("SS_SIP_RESEND_INTERVAL=0.2,2,1\n");
	has_warning("shrinks (interval 3 is 1 s after 2 s)");
	has_warning("starts with 0.2 s, below SIP's T1");
}
END_TEST

START_TEST(warn_zero_timeouts)
{
	imp_ok("SS_SIP_TIMEOUT_INVITE=0\nSS_SIP_TIMEOUT_TRYING=0\n"
		   "SS_SIP_TIMEOUT_RINGING=0\nSS_SIP_TIMEOUT_SESSION_PROGRESS=0\n"
		   "SS_SIP_TIMEOUT_SESSION_PROGRESS_SDP=0\n");
	has_warning("SS_SIP_TIMEOUT_INVITE 0: the INVITE stage is not limited");
	has_warning("SS_SIP_TIMEOUT_TRYING 0:");
	has_warning("SS_SIP_TIMEOUT_RINGING 0:");
	has_warning("SS_SIP_TIMEOUT_SESSION_PROGRESS 0: a gateway that sends a "
				"181, 182 or 183 without SDP");
	has_warning("SS_SIP_TIMEOUT_SESSION_PROGRESS_SDP 0: early media");
	has_warning("max_inv_lifetime (default 180 s) still end it");
	ck_assert_int_eq(rep.n_warn, 5);
	ck_assert_has(item("SS_SIP_TIMEOUT_TRYING")->note, "tm's own timers apply");
}
END_TEST

/* the importer does not know tm's setting: its default, said as such */
START_TEST(warn_beyond_tm_lifetime)
{
	imp_ok("SS_SIP_TIMEOUT_RINGING=300\n");
	has_warning("SS_SIP_TIMEOUT_RINGING 300 s is beyond tm's default "
				"max_inv_lifetime 180 s (counted from the first send): unless "
				"max_inv_lifetime is raised, tm ends the transaction first");
	setup();
	imp_ok("SS_SIP_TIMEOUT_SESSION_PROGRESS_SDP=180\n"
		   "SS_SIP_TIMEOUT_TRYING=179.999\nSS_SIP_TIMEOUT_INVITE=600\n");
	has_warning("SS_SIP_TIMEOUT_SESSION_PROGRESS_SDP 180 s is beyond");
	ck_assert_ptr_null(warning("SS_SIP_TIMEOUT_TRYING"));
	/* the INVITE stage is cut to the lifetime by the module itself */
	ck_assert_ptr_null(warning("SS_SIP_TIMEOUT_INVITE 600 s is beyond"));
}
END_TEST

START_TEST(warn_switch_limit_one_and_duplicates)
{
	imp_ok("SS_GATEWAY_SWITCH_LIMIT=1\nSS_SIP_SEND_RETRY=9\nSS_SIP_SEND_RETRY="
		   "8\n");
	has_warning("only one gateway is tried");
	has_warning("SS_SIP_SEND_RETRY is set on line 2 and again on line 3");
	ck_assert_int_eq(v.send_retry, 8);
}
END_TEST

START_TEST(warn_nothing_mapped)
{
	imp_ok("SS_SIP_PUBLISH_EXPIRE=3600\n");
	has_warning("keeps its base values");
}
END_TEST

START_TEST(warn_none_for_a_sane_profile)
{
	imp_ok("SS_SIP_RESEND_INTERVAL=0.5,1,2,4\nSS_SIP_TIMEOUT_INVITE=10\n");
	ck_assert_int_eq(rep.n_warn, 0);
}
END_TEST

START_TEST(warn_text_only_from_import)
{
	/* vs_import_text itself warns only about the text; values are the caller's */
	ck_assert_int_eq(
			imp("SS_SIP_TIMEOUT_INVITE=10\nSS_SIP_TIMEOUT_INVITE=10\n"), 0);
	ck_assert_int_eq(rep.n_warn, 1);
	ck_assert_has(rep.warn[0], "again on line 2");
	ck_assert_int_eq(vs_import_warnings(&v, &rep), 1);
	ck_assert_has(rep.warn[1], "(5 of 10)");
}
END_TEST

START_TEST(warn_function_alone)
{
	vs_import_report_t *r = calloc(1, sizeof(*r));

	ck_assert_int_eq(vs_import_warnings(&v, r), 1); /* VOS3000 defaults */
	ck_assert_has(r->warn[0], "(5 of 10)");
	ck_assert_int_eq(vs_import_warnings(NULL, r), 0);
	free(r);
}
END_TEST

/* ---- malformed input: exit-2 material, with line and value ---- */

START_TEST(bad_number)
{
	imp_bad("SS_SIP_TIMEOUT_INVITE=8\nSS_SIP_SEND_RETRY=six\n", 46,
			"x.txt:2:", "SS_SIP_SEND_RETRY \"six\": not a whole number");
	imp_bad("SS_SIP_TIMEOUT_TRYING=1.5s\n", 27, "x.txt:1:", "\"1.5s\"");
	imp_bad("SS_SIP_SEND_RETRY=101\n", 22, "x.txt:1:", "above 100");
	imp_bad("SS_GATEWAY_SWITCH_LIMIT=-1\n", 27, "x.txt:1:", "\"-1\"");
	imp_bad("SS_SIP_TIMEOUT_RINGING=3601\n", 28, "x.txt:1:", "above 3600");
	imp_bad("SS_SIP_STOP_SWITCH_AFTER_SDP=2\n", 31, "x.txt:1:", "On/Off");
	imp_bad("SS_SIP_RESEND_INTERVAL=0.5,x,2\n", 31, "x.txt:1:", "element 2");
	imp_bad("SS_SIP_TIMEOUT_INVITE=10 20\n", 28, "x.txt:1:", "\"10 20\"");
}
END_TEST

START_TEST(bad_eleven_intervals)
{
	const char *t =
			"SS_SIP_RESEND_INTERVAL\t1,1,1,1,1,1,1,1,1,1,1\t0.5\tdesc\n";

	imp_bad(t, strlen(t), "x.txt:1: SS_SIP_RESEND_INTERVAL", "more than 10");
}
END_TEST

START_TEST(empty_value_is_not_set)
{
	static const char *const texts[] = {"SS_SIP_TIMEOUT_INVITE\n",
			"SS_SIP_TIMEOUT_INVITE=\n", "SS_SIP_TIMEOUT_INVITE = # none\n",
			"# c\nSS_SIP_TIMEOUT_INVITE\t\t10\tTimeout\n",
			"SS_SIP_TIMEOUT_INVITE=\"\"\n", "SS_SIP_TIMEOUT_INVITE,,10,x\n",
			"\"SS_SIP_TIMEOUT_INVITE\",\"\"\n"};
	size_t i;

	for(i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		setup();
		v.t_invite_ms = 7000;
		ck_assert_msg(imp(texts[i]) == 0, "%s: refused: %s", texts[i], err);
		ck_assert_uint_eq(v.t_invite_ms, 7000);
		ck_assert_int_eq(rep.key_line[VS_K_T_INVITE], 0);
		ck_assert_has(item("SS_SIP_TIMEOUT_INVITE")->note, "not set: the value "
														   "is empty");
	}
}
END_TEST

START_TEST(form_csv)
{
	imp_ok("Name,Value,Default value,Description\n"
		   "SS_SIP_TIMEOUT_INVITE,8,10,Timeout waiting\n"
		   "\"SS_SIP_RESEND_INTERVAL\",\"0.5,1,2\",\"0.5,1,2,4\",\"say "
		   "\"\"x\"\"\"\n"
		   "3,SS_SIP_SEND_RETRY,2\n"
		   "ss_sip_timeout_trying;12;20\n");
	ck_assert_uint_eq(v.t_invite_ms, 8000);
	ck_assert_int_eq(v.sched.n, 3);
	ck_assert_int_eq(v.send_retry, 2);
	ck_assert_uint_eq(v.t_trying_ms, 12000);
	ck_assert_int_eq(rep.n_skipped, 1);
	ck_assert_int_eq(rep.first_skipped, 1);
	setup();
	imp_bad("SS_SIP_TIMEOUT_INVITE,\"8\n", 24,
			"x.txt:1:", "unterminated quote");
}
END_TEST

START_TEST(form_softswitch_conf)
{
	imp_ok("# softswitch.conf\r\nSS_SIP_PORT=\"5060,6060\"\r\n"
		   "SS_SIP_TIMEOUT_RINGING=\"90\"\r\nexport SS_SIP_TIMEOUT_INVITE=9\r\n"
		   "SS_GATEWAY_SWITCH_LIMIT=None\r\n");
	ck_assert_uint_eq(v.t_ringing_ms, 90000);
	ck_assert_uint_eq(v.t_invite_ms, 9000);
	ck_assert_has(item("SS_SIP_PORT")->note, "not mapped");
}
END_TEST

START_TEST(form_chinese_value_words)
{
	imp_ok("SS_GATEWAY_SWITCH_LIMIT\t无限制\tNone\n"
		   "SS_GATEWAY_SWITCH_UNTIL_CONNECT=开\n"
		   "SS_GATEWAY_SWITCH_STOP_AFTER_USER_BUSY=关闭\n"
		   "SS_SIP_STOP_SWITCH_AFTER_SDP=否\n");
	ck_assert_int_eq(v.sw_limit, 0);
	ck_assert_int_eq(v.sw_until_connect, 1);
	ck_assert_int_eq(v.sw_stop_busy, 0);
	ck_assert_int_eq(v.sw_stop_sdp, 0);
	ck_assert_has(item("SS_GATEWAY_SWITCH_LIMIT")->note, "无限制 read as None");
	/* a word with no clear meaning for the value is refused, in clean UTF-8 */
	setup();
	imp_bad("SS_SIP_TIMEOUT_INVITE=无限制\n",
			strlen("SS_SIP_TIMEOUT_INVITE=无限制\n"),
			"x.txt:1: SS_SIP_TIMEOUT_INVITE \"无限制\"",
			"value \"无限制\" at offset 1");
	imp_bad("SS_GATEWAY_SWITCH_UNTIL_CONNECT=也许\n",
			strlen("SS_GATEWAY_SWITCH_UNTIL_CONNECT=也许\n"), "\"也许\"",
			"not On/Off");
}
END_TEST

START_TEST(form_full_width_normalized)
{
	imp_ok("SS_SIP_RESEND_INTERVAL=0.5，1，2，4\nSS_SIP_TIMEOUT_INVITE＝８\n"
		   "SS_SIP_TIMEOUT_TRYING\t12\t20\t超时（秒）\n");
	ck_assert_int_eq(v.sched.n, 4);
	ck_assert_uint_eq(v.sched.gap_ms[3], 4000);
	ck_assert_uint_eq(v.t_invite_ms, 8000);
	has_warning(
			"line 1: full-width '，' (U+FF0C) at column 27 read as ',', and 2 "
			"more on the line");
	has_warning("line 2: full-width '８' (U+FF18) at column 23 read as '8'");
	/* the description's full-width brackets are no warning */
	ck_assert_ptr_null(warning("line 3"));
	/* after normalizing, an error points at the character, counted in characters */
	setup();
	imp_bad("SS_SIP_RESEND_INTERVAL=０.５，１，x\n",
			strlen("SS_SIP_RESEND_INTERVAL=０.５，１，x\n"),
			"x.txt:1:", "element 3 \"x\" at offset 7: not a number");
	imp_bad("SS_SIP_RESEND_INTERVAL=1、2\n",
			strlen("SS_SIP_RESEND_INTERVAL=1、2\n"),
			"x.txt:1:", "\"1、2\" at offset 1");
	imp_bad("SS_啊=1\nSS_A=\xff\n", strlen("SS_啊=1\nSS_A=\xff\n"),
			"x.txt:2:", "at column 6");
}
END_TEST

START_TEST(bad_quotes)
{
	imp_bad("SS_SIP_TIMEOUT_INVITE=\"10\n", 26,
			"x.txt:1:", "unterminated quote");
	imp_bad("SS_SIP_TIMEOUT_INVITE=\"10\" 20\n", 30,
			"x.txt:1:", "text after the quoted value");
}
END_TEST

START_TEST(bad_binary_garbage)
{
	static const char nul[] = "SS_SIP_TIMEOUT_INVITE=8\nab\0cd\n";
	static const char ctl[] = "SS_SIP_TIMEOUT_INVITE=8\x01\n";
	static const char inv[] = "SS_SIP_TIMEOUT_INVITE=8\n\n\xff\xfe\xfd\n";
	static const char over[] = "SS_A=\xc0\x80\n";
	static const char surr[] = "SS_A=\xed\xa0\x80\n";
	static const char cut[] = "SS_A=\xe9\x87";
	static const char u16[] = "\xff\xfeS\0S\0_\0";
	unsigned char junk[4096];
	size_t i;

	imp_bad(nul, sizeof(nul) - 1, "x.txt:2:", "NUL byte at column 3");
	imp_bad(ctl, sizeof(ctl) - 1, "x.txt:1:", "control byte 0x01 at column 24");
	imp_bad(inv, sizeof(inv) - 1,
			"x.txt:3:", "byte 0xff at column 1 is not UTF-8");
	imp_bad(over, sizeof(over) - 1, "x.txt:1:", "not UTF-8");
	imp_bad(surr, sizeof(surr) - 1, "x.txt:1:", "not UTF-8");
	imp_bad(cut, sizeof(cut) - 1, "x.txt:1:", "not UTF-8");
	imp_bad(u16, sizeof(u16) - 1, "x.txt:1:", "UTF-16");
	/* pseudo-random bytes: refused, never a crash */
	for(i = 0; i < sizeof(junk); i++)
		junk[i] = (unsigned char)((i * 2654435761u) >> 13);
	ck_assert_int_eq(imp_n((const char *)junk, sizeof(junk)), -1);
	ck_assert_has(err, "x.txt:");
}
END_TEST

START_TEST(bad_ten_megabyte_line)
{
	size_t n = 10u << 20;
	char *big = malloc(n + 64);

	ck_assert_ptr_nonnull(big);
	strcpy(big, "SS_SIP_TIMEOUT_INVITE=8\nSS_SIP_RESEND_INTERVAL=");
	memset(big + strlen(big), '1', n);
	big[n] = '\n';
	imp_bad(big, n + 1, "x.txt:2:", "line longer than 8192 bytes");
	memset(big, 'A', n);
	imp_bad(big, n, "x.txt:1:", "line longer than");
	free(big);
}
END_TEST

START_TEST(bad_empty_or_no_parameter)
{
	imp_bad("", 0, "x.txt", "empty");
	imp_bad("\n\n# only comments\n", 18, "x.txt:3:", "no VOS3000 parameter");
	imp_bad("Name\tValue\nhello world\n", 23,
			"x.txt:2:", "no VOS3000 parameter");
}
END_TEST

START_TEST(bad_long_name_and_long_raw)
{
	char line[200];

	snprintf(line, sizeof(line), "SS_%0100d=1\n", 0);
	imp_bad(line, strlen(line), "x.txt:1:", "too long");
	setup();
	snprintf(line, sizeof(line),
			"SS_SIP_USER_AGENT=%0120d\nSS_SIP_SEND_RETRY=1\n", 7);
	imp_ok(line);
	ck_assert_int_eq(
			(int)strlen(item("SS_SIP_USER_AGENT")->raw), VS_IMP_RAWLEN - 1);
	ck_assert_has(item("SS_SIP_USER_AGENT")->raw, "...");
}
END_TEST

START_TEST(report_caps_items)
{
	size_t cap = 400 * 24, o = 0;
	char *t = malloc(cap);
	int i;

	for(i = 0; i < 300; i++)
		o += (size_t)snprintf(t + o, cap - o, "SS_X_%d=%d\n", i, i);
	ck_assert_int_eq(imp_n(t, o), 0);
	ck_assert_int_eq(rep.n_items, VS_IMP_MAX_ITEMS);
	ck_assert_int_eq(rep.n_more, 300 - VS_IMP_MAX_ITEMS);
	free(t);
}
END_TEST

/* ---- files ---- */

START_TEST(file_read_and_errors)
{
	char path[] = "/tmp/test_import.XXXXXX";
	int fd = mkstemp(path);
	FILE *f;

	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	fputs("SS_SIP_TIMEOUT_INVITE\t8\t10\tdesc\nSS_SIP_SEND_RETRY\tten\n", f);
	fclose(f);
	ck_assert_int_eq(vs_import_file(path, &v, &rep, err, sizeof(err)), -1);
	ck_assert_has(err, path);
	ck_assert_has(err, ":2: SS_SIP_SEND_RETRY \"ten\"");
	f = fopen(path, "w");
	fputs("SS_SIP_TIMEOUT_INVITE\t8\t10\tdesc\n", f);
	fclose(f);
	ck_assert_int_eq(vs_import_file(path, &v, &rep, err, sizeof(err)), 0);
	ck_assert_uint_eq(v.t_invite_ms, 8000);
	unlink(path);
	ck_assert_int_eq(vs_import_file(path, &v, &rep, err, sizeof(err)), -1);
	ck_assert_has(err, "cannot open");
}
END_TEST

START_TEST(file_too_large)
{
	char path[] = "/tmp/test_import.XXXXXX";
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, (off_t)VS_IMP_FILE_MAX + 1), 0);
	close(fd);
	ck_assert_int_eq(vs_import_file(path, &v, &rep, err, sizeof(err)), -1);
	ck_assert_has(err, "larger than 16 MiB");
	unlink(path);
}
END_TEST

static Suite *import_suite(void)
{
	Suite *s = suite_create("vs_import");
	TCase *forms = tcase_create("forms"), *maps = tcase_create("mapped"),
		  *warns = tcase_create("warnings"), *bad = tcase_create("malformed");

	tcase_add_checked_fixture(forms, setup, NULL);
	tcase_add_test(forms, form_name_equals_value);
	tcase_add_test(forms, form_spaces_quotes_crlf);
	tcase_add_test(forms, form_tab_table_from_client);
	tcase_add_test(forms, form_space_table_commas_join);
	tcase_add_test(forms, form_row_number_column);
	tcase_add_test(forms, form_comments_blank_lines);
	tcase_add_test(forms, form_lowercase_bom_cr_utf8);
	tcase_add_test(forms, form_no_final_newline);
	tcase_add_test(forms, form_unknown_parameters_mixed_in);
	tcase_add_test(forms, form_unmapped_without_value_is_listed);
	suite_add_tcase(s, forms);

	tcase_add_checked_fixture(maps, setup, NULL);
	tcase_add_test(maps, mapped_all_eleven);
	tcase_add_test(maps, mapped_session_progress);
	tcase_add_test(maps, mapped_switch_limit_none);
	tcase_add_test(maps, mapped_booleans_every_spelling);
	tcase_add_test(maps, mapped_base_kept_for_absent_keys);
	tcase_add_test(maps, mapped_param_names);
	tcase_add_test(maps, mapped_report_null_allowed);
	suite_add_tcase(s, maps);

	tcase_add_checked_fixture(warns, setup, NULL);
	tcase_add_test(warns, warn_invite_cuts_schedule);
	tcase_add_test(warns, warn_invite_cuts_last_interval_only);
	tcase_add_test(warns, warn_invite_boundary_send_at_timeout);
	tcase_add_test(warns, warn_invite_after_send_retry_cut);
	tcase_add_test(warns, warn_flat_schedules);
	tcase_add_test(warns, warn_shrinking_and_short_first);
	tcase_add_test(warns, warn_zero_timeouts);
	tcase_add_test(warns, warn_beyond_tm_lifetime);
	tcase_add_test(warns, warn_switch_limit_one_and_duplicates);
	tcase_add_test(warns, warn_nothing_mapped);
	tcase_add_test(warns, warn_none_for_a_sane_profile);
	tcase_add_test(warns, warn_text_only_from_import);
	tcase_add_test(warns, warn_function_alone);
	suite_add_tcase(s, warns);

	tcase_add_checked_fixture(bad, setup, NULL);
	tcase_set_timeout(bad, 30);
	tcase_add_test(bad, bad_number);
	tcase_add_test(bad, bad_eleven_intervals);
	tcase_add_test(bad, empty_value_is_not_set);
	tcase_add_test(forms, form_csv);
	tcase_add_test(forms, form_softswitch_conf);
	tcase_add_test(forms, form_chinese_value_words);
	tcase_add_test(forms, form_full_width_normalized);
	tcase_add_test(bad, bad_quotes);
	tcase_add_test(bad, bad_binary_garbage);
	tcase_add_test(bad, bad_ten_megabyte_line);
	tcase_add_test(bad, bad_empty_or_no_parameter);
	tcase_add_test(bad, bad_long_name_and_long_raw);
	tcase_add_test(bad, report_caps_items);
	tcase_add_test(bad, file_read_and_errors);
	tcase_add_test(bad, file_too_large);
	suite_add_tcase(s, bad);
	return s;
}

VS_UNIT_MAIN(import_suite)
