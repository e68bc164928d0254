/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of vs_warn.c: every sanity check worded with the profile keys and the
 * profile's name (what vostimer.check, vostimer.reload and start-up say), stage
 * timeouts against tm's max_inv_lifetime (known or assumed), a set of profiles, and a
 * profile file's defaults group overriding values imported from a VOS3000 export. */
#include <stdio.h>
#include <unistd.h>

#include "unit.h"
#include "vs_warn.h"

#define MAXW 64

static char got[MAXW][VS_WARN_LEN];
static int n_got;
static vs_values_t v;

static int got_level[MAXW];

static void collect(void *ctx, int level, const char *text)
{
	ck_assert_ptr_eq(ctx, got);
	if(n_got < MAXW) {
		got_level[n_got] = level;
		snprintf(got[n_got++], VS_WARN_LEN, "%s", text);
	}
}

static void setup(void)
{
	n_got = 0;
	vs_values_vos_defaults(&v);
	/* VOS3000's 10 s cuts the default list (31.5 s): tested on its own */
	v.t_invite_ms = 40000;
}

/* the checks on v as vostimer.check words them for profile p, tm lifetime life_ms */
static int check(const char *p, unsigned int life_ms)
{
	char prefix[96];
	vs_warn_opts_t o = {.name = NULL, .prefix = prefix, .life_ms = life_ms};

	snprintf(prefix, sizeof(prefix), "profile %s: ", p);
	n_got = 0;
	return vs_warn_values(&v, &o, collect, got);
}

static const char *warning(const char *piece)
{
	int i;

	for(i = 0; i < n_got; i++)
		if(strstr(got[i], piece) != NULL)
			return got[i];
	return NULL;
}

static void has_warning(const char *piece)
{
	int i;

	if(warning(piece) != NULL)
		return;
	for(i = 0; i < n_got; i++)
		fprintf(stderr, "  warning %d: %s\n", i, got[i]);
	ck_abort_msg("no warning with \"%s\"", piece);
}

static void no_quotes(void)
{
	int i;

	for(i = 0; i < n_got; i++)
		ck_assert_msg(strchr(got[i], '"') == NULL, "a quote in: %s", got[i]);
}

/* ---- the value checks, worded with the profile keys ---- */

static const char DEFAULTS_CUT[] =
		"profile defaults: timeout_invite 10 s ends the INVITE stage before "
		"the schedule: sends after 7.5 s (5 of 10) are never made; a silent "
		"gateway fails with invite_timeout at 10 s, not resend_exhausted at "
		"31.5 s";
static const char OPEN_INVITE[] =
		"profile open: timeout_invite 0: the INVITE stage is not limited by "
		"vostimer; only the schedule (gives up at 31.5 s or earlier) and "
		"tm's fr_timer end a silent branch";
static const char LONG_RINGING[] =
		"profile long: timeout_ringing 180 s is beyond tm's max_inv_lifetime "
		"180 s (counted from the first send): unless max_inv_lifetime is "
		"raised, tm ends the transaction first";

START_TEST(sane_profile_has_none)
{
	vs_sched_parse("0.5,1,2,4", -1, &v.sched, NULL, 0);
	v.t_invite_ms = 10000;
	ck_assert_int_eq(check("fast", 180000), 0);
	ck_assert_int_eq(n_got, 0);
}
END_TEST

START_TEST(invite_cuts_list_named_by_key_and_profile)
{
	vs_values_vos_defaults(&v);
	ck_assert_int_eq(check("defaults", 180000), 1);
	ck_assert_str_eq(got[0], DEFAULTS_CUT);
	vs_sched_parse("0.5,1,2,4", -1, &v.sched, NULL, 0);
	v.t_invite_ms = 5000;
	check("short", 0);
	has_warning("profile short: timeout_invite 5 s ends the INVITE stage "
				"before the schedule gives up at 7.5 s: all 4 sends are made");
}
END_TEST

START_TEST(send_retry_leaves_intervals_unused)
{
	v.send_retry = 2;
	check("r2", 180000);
	has_warning(
			"profile r2: send_retry 2 is smaller than the 9 "
			"retransmissions resend_interval 0.5,1,2,4,4,4,4,4,4,4 lists: its "
			"last 7 intervals are never used, so the branch gives up at 3.5 "
			"s, not 31.5 s");
	v.send_retry = 8;
	check("r8", 180000);
	has_warning("profile r8: send_retry 8 is smaller than the 9 "
				"retransmissions");
	has_warning("its last 1 interval is never used");
	v.send_retry = 9; /* keeps all 10 intervals */
	ck_assert_int_eq(check("r9", 180000), 0);
}
END_TEST

START_TEST(flat_shrinking_short_first)
{
	vs_sched_parse("1,1,1,1", -1, &v.sched, NULL, 0);
	check("flat", 180000);
	has_warning("profile flat: resend_interval 1,1,1,1 is flat (every resend 1 "
				"s after the last)");
	vs_sched_parse("0.2,2,1", -1, &v.sched, NULL, 0);
	check("odd", 180000);
	has_warning("profile odd: resend_interval 0.2,2,1 shrinks (interval 3 is 1 "
				"s after 2 s)");
	has_warning("profile odd: resend_interval starts with 0.2 s, below SIP's "
				"T1");
	ck_assert_int_eq(n_got, 2);
}
END_TEST

START_TEST(zero_stage_timeouts)
{
	v.t_invite_ms = 0;
	v.t_trying_ms = 0;
	v.t_sp_ms = 0;
	v.t_sp_sdp_ms = 0;
	v.t_ringing_ms = 0;
	ck_assert_int_eq(check("open", 240000), 5);
	ck_assert_str_eq(got[0], OPEN_INVITE);
	has_warning("profile open: timeout_trying 0: a gateway that sends 100 "
				"Trying and then nothing");
	has_warning("profile open: timeout_session_progress 0: a gateway that "
				"sends a 181, 182 or 183 without SDP");
	has_warning(
			"profile open: timeout_session_progress_sdp 0: early media (a "
			"181, 182 or 183 with SDP) is not limited by vostimer; tm's "
			"fr_inv_timer (default 120 s) and max_inv_lifetime (240 s) still "
			"end it");
	has_warning("profile open: timeout_ringing 0: ringing is not limited");
	no_quotes();
}
END_TEST

/* a stage after the INVITE starts later than the transaction: a timeout as long as
 * tm's lifetime never fires */
START_TEST(stage_beyond_max_inv_lifetime)
{
	v.t_ringing_ms = 180000;
	ck_assert_int_eq(check("long", 180000), 1);
	ck_assert_str_eq(got[0], LONG_RINGING);
	/* raised in tm: no warning */
	ck_assert_int_eq(check("long", 181000), 0);
	/* every stage after the INVITE stage; the INVITE stage is the glue's */
	v.t_invite_ms = 90000;
	v.t_trying_ms = 90000;
	v.t_sp_ms = 90000;
	v.t_sp_sdp_ms = 89999;
	v.t_ringing_ms = 120000;
	check("all", 90000);
	has_warning("profile all: timeout_trying 90 s is beyond tm's "
				"max_inv_lifetime 90 s");
	has_warning("profile all: timeout_session_progress 90 s is beyond");
	has_warning("profile all: timeout_ringing 120 s is beyond");
	ck_assert_ptr_null(warning("timeout_session_progress_sdp"));
	ck_assert_ptr_null(warning("timeout_invite 90 s is beyond"));
	ck_assert_int_eq(n_got, 3);
}
END_TEST

START_TEST(lifetime_not_known_is_tm_default)
{
	v.t_sp_sdp_ms = 200000;
	check("x", 0);
	has_warning("profile x: timeout_session_progress_sdp 200 s is beyond tm's "
				"default max_inv_lifetime 180 s");
	v.t_sp_sdp_ms = 179999;
	ck_assert_int_eq(check("x", 0), 0);
}
END_TEST

START_TEST(switch_limit_one)
{
	v.sw_limit = 1;
	check("one", 180000);
	has_warning("profile one: gateway_switch_limit 1: only one gateway is "
				"tried per call, so no failover happens");
	v.sw_limit = 2;
	ck_assert_int_eq(check("two", 180000), 0);
}
END_TEST

START_TEST(vos_names_no_prefix)
{
	vs_warn_opts_t o = {.name = NULL, .prefix = NULL, .life_ms = 0};

	v.sw_limit = 1;
	ck_assert_int_eq(vs_warn_values(&v, &o, collect, got), 1);
	ck_assert_str_eq(got[0], "gateway_switch_limit 1: only one gateway is "
							 "tried per call, so no failover happens");
	n_got = 0;
	ck_assert_int_eq(vs_warn_values(&v, NULL, collect, got), 1);
	ck_assert_int_eq(vs_warn_values(NULL, NULL, collect, got), 0);
	ck_assert_int_eq(vs_warn_values(&v, NULL, NULL, got), 0);
}
END_TEST

/* ---- a resolved profile file ---- */

static char path[64];

static vs_profset_t *load(const char *text, const vs_base_t *base)
{
	char err[512];
	vs_profset_t *set;
	size_t len = strlen(text);
	int fd;

	strcpy(path, "/tmp/vs_warn_test_XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, len), (ssize_t)len);
	close(fd);
	set = vs_prof_load(path, base, err, sizeof(err));
	unlink(path);
	ck_assert_msg(set != NULL, "%s", err);
	return set;
}

/* the base after modparam vos_import: timeout_invite and send_retry from the export */
static vs_base_t imported_base(void)
{
	vs_base_t b;
	int k;

	vs_values_vos_defaults(&b.v);
	for(k = 0; k < VS_K_COUNT; k++)
		b.src[k] = "VOS3000 default";
	b.v.t_invite_ms = 8000;
	b.src[VS_K_T_INVITE] = "vos_import /etc/kamailio/vos3000-export.txt:7";
	b.v.send_retry = 6;
	b.src[VS_K_RETRY] = "vos_import /etc/kamailio/vos3000-export.txt:6";
	b.v.sw_limit = 3;
	b.src[VS_K_SW_LIMIT] = "modparam";
	return b;
}

START_TEST(set_every_profile_named)
{
	vs_profset_t *set =
			load("defaults: { timeout_invite = 0; };\n"
				 "profiles = (\n"
				 "  { name = \"one\"; gateway_switch_limit = 1; },\n"
				 "  { name = \"fine\"; resend_interval = \"0.5,1,2\"; "
				 "timeout_invite = 4; }\n"
				 ");\n",
					NULL);

	/* one inherits defaults' timeout_invite 0: said once, for defaults */
	ck_assert_int_eq(vs_warn_set(set, NULL, 180000, collect, got), 2);
	ck_assert_has(got[0], "profile defaults: timeout_invite 0:");
	ck_assert_int_eq(got_level[0], VS_NOTE);
	ck_assert_has(got[1], "profile one: gateway_switch_limit 1:");
	ck_assert_int_eq(got_level[1], VS_WARN);
	ck_assert_ptr_null(warning("profile one: timeout_invite"));
	ck_assert_ptr_null(warning("profile fine"));
	no_quotes();
	free(set);
}
END_TEST

/* a child that inherits its parent's cut list is not warned again; a child whose own
 * value changes the text is; a 0 is a note, a cut list a warning */
START_TEST(set_inherited_said_once)
{
	vs_profset_t *set = load("profiles = (\n"
							 "  { name = \"cut\"; resend_interval = "
							 "\"0.5,1,2,4,4,4\"; timeout_invite = 4; },\n"
							 "  { name = \"same\"; extends = \"cut\"; "
							 "gateway_switch_limit = 2; },\n"
							 "  { name = \"other\"; extends = \"cut\"; "
							 "timeout_invite = 5; timeout_trying = 0; }\n"
							 ");\n",
			NULL);

	vs_warn_set(set, NULL, 180000, collect, got);
	ck_assert_ptr_nonnull(warning("profile cut: timeout_invite 4 s"));
	ck_assert_ptr_null(warning("profile same:"));
	ck_assert_ptr_nonnull(warning("profile other: timeout_invite 5 s"));
	ck_assert_ptr_nonnull(warning("profile other: timeout_trying 0:"));
	for(int i = 0; i < n_got; i++)
		ck_assert_int_eq(got_level[i],
				strstr(got[i], " 0: ") != NULL ? VS_NOTE : VS_WARN);
	free(set);
}
END_TEST

START_TEST(set_defaults_override_import)
{
	vs_base_t b = imported_base();
	vs_profset_t *set =
			load("# site profiles\n"
				 "defaults: {\n"
				 "  timeout_invite = 12;\n"
				 "  gateway_switch_limit = 2;\n"
				 "};\n"
				 "profiles = ( { name = \"gw\"; send_retry = 3; } );\n",
					&b);
	char want[256];

	vs_warn_set(set, &b, 180000, collect, got);
	snprintf(want, sizeof(want),
			"defaults group sets timeout_invite (%s:3), overriding the value "
			"imported from /etc/kamailio/vos3000-export.txt:7",
			path);
	has_warning(want);
	/* a modparam under the defaults group, a profile over the export: normal */
	ck_assert_ptr_null(warning("gateway_switch_limit ("));
	ck_assert_ptr_null(warning("sets send_retry"));
	/* and the values: send_retry 6 (defaults), 3 (gw) cut the list; 12 s cuts
	 * defaults' list cut to 19.5 s */
	ck_assert_int_eq(n_got, 4);
	free(set);
}
END_TEST

START_TEST(set_without_file_or_import)
{
	vs_base_t b = imported_base();
	vs_profset_t *set = vs_prof_from_base(&b);

	vs_warn_set(set, &b, 180000, collect, got);
	ck_assert_ptr_null(warning("defaults group"));
	free(set);
	set = load("defaults: { timeout_invite = 12; };\n", NULL);
	n_got = 0;
	vs_warn_set(set, NULL, 180000, collect, got);
	ck_assert_ptr_null(warning("defaults group"));
	ck_assert_int_eq(vs_warn_set(NULL, NULL, 0, collect, got), 0);
	free(set);
}
END_TEST

static Suite *warn_suite(void)
{
	Suite *s = suite_create("vs_warn");
	TCase *vals = tcase_create("values"), *sets = tcase_create("sets");

	tcase_add_checked_fixture(vals, setup, NULL);
	tcase_add_test(vals, sane_profile_has_none);
	tcase_add_test(vals, invite_cuts_list_named_by_key_and_profile);
	tcase_add_test(vals, send_retry_leaves_intervals_unused);
	tcase_add_test(vals, flat_shrinking_short_first);
	tcase_add_test(vals, zero_stage_timeouts);
	tcase_add_test(vals, stage_beyond_max_inv_lifetime);
	tcase_add_test(vals, lifetime_not_known_is_tm_default);
	tcase_add_test(vals, switch_limit_one);
	tcase_add_test(vals, vos_names_no_prefix);
	suite_add_tcase(s, vals);

	tcase_add_checked_fixture(sets, setup, NULL);
	tcase_add_test(sets, set_every_profile_named);
	tcase_add_test(sets, set_inherited_said_once);
	tcase_add_test(sets, set_defaults_override_import);
	tcase_add_test(sets, set_without_file_or_import);
	suite_add_tcase(s, sets);
	return s;
}

VS_UNIT_MAIN(warn_suite)
