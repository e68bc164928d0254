/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of vs_sched.c: the timelines of doc/user-guide.md §1, send_retry
 * cuts, formatting, and every class of bad schedule or seconds value (the
 * table in doc/user-guide.md §1), message included. */
#include <stdio.h>

#include "unit.h"
#include "vs_sched.h"

static vs_sched_t parse_ok(const char *text)
{
	vs_sched_t s;
	char err[VS_ERRLEN] = "";

	ck_assert_msg(vs_sched_parse(text, -1, &s, err, sizeof(err)) == 0,
			"\"%s\" refused: %s", text, err);
	return s;
}

/* The sends happen at S_0..S_{n-1}; the branch gives up at S_n. */
static void check_timeline(
		const vs_sched_t *s, const unsigned *sends, int n, unsigned giveup)
{
	int k;

	ck_assert_int_eq(s->n, n);
	for(k = 0; k < n; k++)
		ck_assert_uint_eq(vs_sched_at(s, k), sends[k]);
	ck_assert_uint_eq(vs_sched_at(s, n), giveup);
	ck_assert_uint_eq(vs_sched_giveup(s), giveup);
}

/* ---- timelines (doc/user-guide.md §1, "The resend schedule") ---- */

START_TEST(default_list)
{
	static const unsigned sends[] = {
			0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500};
	vs_sched_t s = parse_ok(VS_SCHED_DEFAULT);

	check_timeline(&s, sends, 10, 31500);
}
END_TEST

START_TEST(six_values)
{
	static const unsigned sends[] = {0, 500, 1500, 3500, 7500, 11500};
	vs_sched_t s = parse_ok("0.5,1,2,4,4,4");

	check_timeline(&s, sends, 6, 15500);
}
END_TEST

START_TEST(ten_values_pairs)
{
	vs_sched_t s = parse_ok("0.5,0.5,1,1,2,2,4,4,4,4");

	ck_assert_int_eq(s.n, 10);
	ck_assert_uint_eq(vs_sched_at(&s, 2), 1000);
	ck_assert_uint_eq(vs_sched_giveup(&s), 23000);
}
END_TEST

START_TEST(four_values)
{
	static const unsigned sends[] = {0, 1000, 3000, 7000};
	vs_sched_t s = parse_ok("1,2,4,4");

	check_timeline(&s, sends, 4, 11000);
}
END_TEST

START_TEST(single_value)
{
	static const unsigned sends[] = {0};
	vs_sched_t s = parse_ok("2");

	check_timeline(&s, sends, 1, 2000);
}
END_TEST

START_TEST(at_clamps_past_end)
{
	vs_sched_t s = parse_ok("1,2");

	ck_assert_uint_eq(vs_sched_at(&s, 5), 3000);
	ck_assert_uint_eq(vs_sched_at(&s, 0), 0);
}
END_TEST

/* ---- send_retry cuts ---- */

START_TEST(cut_retry_3)
{
	static const unsigned sends[] = {0, 500, 1500, 3500};
	vs_sched_t s = parse_ok(VS_SCHED_DEFAULT);

	vs_sched_cut(&s, 3);
	check_timeline(&s, sends, 4, 7500);
}
END_TEST

START_TEST(cut_retry_0)
{
	static const unsigned sends[] = {0};
	vs_sched_t s = parse_ok(VS_SCHED_DEFAULT);

	vs_sched_cut(&s, 0);
	check_timeline(&s, sends, 1, 500);
}
END_TEST

START_TEST(cut_no_effect)
{
	vs_sched_t s = parse_ok("0.5,1,2,4,4,4");

	vs_sched_cut(&s, -1);
	ck_assert_int_eq(s.n, 6);
	vs_sched_cut(&s, 5); /* 5 retransmissions = all 6 intervals */
	ck_assert_int_eq(s.n, 6);
	vs_sched_cut(&s, 10);
	ck_assert_int_eq(s.n, 6);
	ck_assert_uint_eq(vs_sched_giveup(&s), 15500);
	vs_sched_cut(&s, 4);
	ck_assert_int_eq(s.n, 5);
	ck_assert_uint_eq(vs_sched_giveup(&s), 11500);
}
END_TEST

/* ---- formatting and accepted spellings ---- */

static const struct
{
	const char *in, *out;
} spellings[] = {
		{VS_SCHED_DEFAULT, VS_SCHED_DEFAULT},
		{"0.5,1,2,4", "0.5,1,2,4"},
		{"0.500,1.0,2.00,4", "0.5,1,2,4"},
		{"1.500", "1.5"},
		{"0.001,0.01,0.1,1.25,1.025", "0.001,0.01,0.1,1.25,1.025"},
		{"3600", "3600"},
		{"3599.999,007", "3599.999,7"},
		{" 0.5 , 1 ,\t2\t, 4 ", "0.5,1,2,4"},
		{"\t\t1  ", "1"},
		{"1,   2", "1,2"},
		{"3600,3600,3600,3600,3600,3600,3600,3600,3600,3600",
				"3600,3600,3600,3600,3600,3600,3600,3600,3600,3600"},
};

START_TEST(format_round_trip)
{
	char buf[VS_SCHED_STRLEN], again[VS_SCHED_STRLEN];
	vs_sched_t s = parse_ok(spellings[_i].in), t;
	int len = vs_sched_format(&s, buf, sizeof(buf));

	ck_assert_str_eq(buf, spellings[_i].out);
	ck_assert_int_eq(len, (int)strlen(spellings[_i].out));
	t = parse_ok(buf);
	ck_assert_int_eq(vs_sched_format(&t, again, sizeof(again)), len);
	ck_assert_str_eq(again, buf);
}
END_TEST

START_TEST(format_longest_fits)
{
	char buf[VS_SCHED_STRLEN];
	vs_sched_t s = parse_ok("3599.999,3599.999,3599.999,3599.999,3599.999,"
							"3599.999,3599.999,3599.999,3599.999,3599.999");

	ck_assert_int_eq(vs_sched_format(&s, buf, sizeof(buf)), 89);
}
END_TEST

START_TEST(format_too_small)
{
	char buf[16];
	vs_sched_t s = parse_ok("0.5,1,2,4");

	ck_assert_int_eq(vs_sched_format(&s, buf, 9), -1); /* no room for the NUL */
	ck_assert_int_eq(vs_sched_format(&s, buf, 8), -1);
	ck_assert_int_eq(vs_sched_format(&s, buf, 10), 9);
	ck_assert_str_eq(buf, "0.5,1,2,4");
}
END_TEST

START_TEST(explicit_length)
{
	vs_sched_t s;
	char err[VS_ERRLEN];

	ck_assert_int_eq(vs_sched_parse("0.5,1,2", 3, &s, err, sizeof(err)), 0);
	ck_assert_int_eq(s.n, 1);
	ck_assert_uint_eq(s.gap_ms[0], 500);
	ck_assert_int_eq(vs_sched_parse("1,2x", 3, &s, err, sizeof(err)), 0);
	ck_assert_int_eq(s.n, 2);
}
END_TEST

/* ---- refusals: return value and message ---- */

static const struct
{
	const char *in;
	const char *piece[3]; /* each must appear in the message */
} bad[] = {
		{"", {"empty list", "offset 1", ""}},
		{" \t ", {"empty list", "offset 1", ""}},
		{"0.5,,1", {"element 2 at offset 5", "empty element", ""}},
		{",1", {"element 1 at offset 1", "empty element", ""}},
		{"1,2,", {"element 3 at offset 5", "empty element", ""}},
		{"1, ,2", {"element 2 at offset 4", "empty element", ""}},
		{"0.5,1,abc", {"element 3 \"abc\" at offset 7", "not a number", ""}},
		{"1e3", {"element 1 \"1e3\" at offset 1", "not a number", "exponent"}},
		{"0x10", {"element 1 \"0x10\" at offset 1", "not a number", "hex"}},
		{"+1", {"element 1 \"+1\" at offset 1", "not a number", "sign"}},
		{"1,.5", {"element 2 \".5\" at offset 3", "not a number", ""}},
		{"1.", {"element 1 \"1.\" at offset 1", "not a number", ""}},
		{"-", {"element 1 \"-\" at offset 1", "not a number", ""}},
		{"-1", {"element 1 \"-1\" at offset 1", "negative", ""}},
		{"0.5, -0.5", {"element 2 \"-0.5\" at offset 6", "negative", ""}},
		{"0", {"element 1 \"0\" at offset 1", "zero", ""}},
		{"1,0.000", {"element 2 \"0.000\" at offset 3", "zero", ""}},
		{"3600.001", {"element 1 \"3600.001\" at offset 1", "above 3600", ""}},
		{"1,99999999999999999999",
				{"element 2 \"99999999999999999999\" at offset 3", "above 3600",
						""}},
		{"1,1,1,1,1,1,1,1,1,1,1",
				{"element 11 at offset 21: more than 10 intervals", "", ""}},
		{"0.0005", {"element 1 \"0.0005\" at offset 1", "more than 3 decimals",
						   ""}},
		{"1,1.2345", {"element 2 \"1.2345\" at offset 3",
							 "more than 3 decimals", ""}},
		{"1,2x", {"element 2 \"2x\" at offset 3", "trailing garbage", ""}},
		{"1;2", {"element 1 \"1;2\" at offset 1", "trailing garbage", ""}},
		{"1 2", {"element 1 \"1 2\" at offset 1", "space inside a number", ""}},
		{"0.5, 1 .5", {"element 2 \"1 .5\" at offset 6", "space inside", ""}},
		{" 0.5 , 1 , x ", {"element 3 \"x\" at offset 12", "not a number", ""}},
		{"1,2\n", {"element 2 \"2?\" at offset 3", "trailing garbage", ""}},
};

START_TEST(refused)
{
	vs_sched_t s = {.n = 7, .gap_ms = {42}};
	char err[VS_ERRLEN] = "";
	int i;

	ck_assert_int_eq(vs_sched_parse(bad[_i].in, -1, &s, err, sizeof(err)), -1);
	for(i = 0; i < 3; i++)
		ck_assert_has(err, bad[_i].piece[i]);
	ck_assert_int_eq(s.n, 7); /* out untouched on error */
	ck_assert_uint_eq(s.gap_ms[0], 42);
}
END_TEST

/* ---- very long input: clean error, short quote, no overflow ---- */

#define HUGE_LEN (100 * 1024)

static char *huge(char fill)
{
	char *p = malloc(HUGE_LEN + 1);

	ck_assert_ptr_nonnull(p);
	memset(p, fill, HUGE_LEN);
	p[HUGE_LEN] = '\0';
	return p;
}

START_TEST(huge_digits)
{
	char err[VS_ERRLEN] = "", *p = huge('9');
	vs_sched_t s;

	ck_assert_int_eq(vs_sched_parse(p, -1, &s, err, sizeof(err)), -1);
	ck_assert_has(err, "element 1 \"99999999999999999999...\" at offset 1");
	ck_assert_has(err, "above 3600");
	free(p);
}
END_TEST

START_TEST(huge_commas)
{
	char err[VS_ERRLEN] = "", *p = huge(',');
	vs_sched_t s;

	ck_assert_int_eq(vs_sched_parse(p, -1, &s, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "element 1 at offset 1: empty element");
	free(p);
}
END_TEST

START_TEST(huge_list)
{
	char err[VS_ERRLEN] = "", *p = huge(',');
	vs_sched_t s;
	int i;

	for(i = 0; i < HUGE_LEN; i += 2)
		p[i] = '1';
	ck_assert_int_eq(vs_sched_parse(p, -1, &s, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "element 11 at offset 21: more than 10 intervals");
	free(p);
}
END_TEST

START_TEST(huge_blanks_and_garbage)
{
	char err[VS_ERRLEN] = "", *p = huge(' ');
	vs_sched_t s;

	p[0] = '1';
	p[1] = ',';
	p[HUGE_LEN / 2] = '2';
	ck_assert_int_eq(vs_sched_parse(p, -1, &s, err, sizeof(err)), 0);
	ck_assert_int_eq(s.n, 2);
	ck_assert_uint_eq(vs_sched_giveup(&s), 3000);
	memset(p + HUGE_LEN / 2 + 1, 'x', HUGE_LEN / 2 - 1);
	ck_assert_int_eq(vs_sched_parse(p, -1, &s, err, sizeof(err)), -1);
	ck_assert_has(err, "element 2 \"2xxxxxxxxxxxxxxxxxxx...\"");
	ck_assert_has(err, "trailing garbage");
	free(p);
}
END_TEST

START_TEST(small_err_buffers)
{
	char err[16];
	vs_sched_t s;

	memset(err, '#', sizeof(err));
	ck_assert_int_eq(vs_sched_parse("1,abc", -1, &s, err, 8), -1);
	ck_assert_str_eq(err, "element");
	ck_assert_int_eq(err[8], '#');
	ck_assert_int_eq(vs_sched_parse("1,abc", -1, &s, NULL, 0), -1);
	ck_assert_int_eq(vs_sched_parse(NULL, 0, &s, err, sizeof(err)), -1);
}
END_TEST

/* ---- seconds ---- */

static const struct
{
	const char *in;
	unsigned ms;
	const char *out;
} secs_ok[] = {
		{"10", 10000, "10"},
		{"2.5", 2500, "2.5"},
		{"0", 0, "0"},
		{"0.000", 0, "0"},
		{"0.001", 1, "0.001"},
		{" 20 ", 20000, "20"},
		{"1.250", 1250, "1.25"},
		{"120.05", 120050, "120.05"},
		{"3600", 3600000, "3600"},
};

START_TEST(seconds_ok)
{
	char err[VS_ERRLEN] = "", buf[16];
	unsigned ms = 12345;

	ck_assert_msg(vs_seconds_parse(secs_ok[_i].in, -1, VS_SECONDS_MAX_MS, &ms,
						  err, sizeof(err))
						  == 0,
			"\"%s\" refused: %s", secs_ok[_i].in, err);
	ck_assert_uint_eq(ms, secs_ok[_i].ms);
	ck_assert_int_eq(vs_seconds_format(ms, buf, sizeof(buf)),
			(int)strlen(secs_ok[_i].out));
	ck_assert_str_eq(buf, secs_ok[_i].out);
}
END_TEST

static const struct
{
	const char *in;
	unsigned max_ms;
	const char *piece[2];
} secs_bad[] = {
		{"", VS_SECONDS_MAX_MS, {"offset 1", "empty"}},
		{"abc", VS_SECONDS_MAX_MS, {"\"abc\" at offset 1", "not a number"}},
		{" 1e3", VS_SECONDS_MAX_MS, {"\"1e3\" at offset 2", "not a number"}},
		{"+5", VS_SECONDS_MAX_MS, {"\"+5\" at offset 1", "not a number"}},
		{"-1", VS_SECONDS_MAX_MS, {"\"-1\" at offset 1", "negative"}},
		{"1.2345", VS_SECONDS_MAX_MS, {"\"1.2345\"", "more than 3 decimals"}},
		{"10s", VS_SECONDS_MAX_MS, {"\"10s\"", "trailing garbage"}},
		{"1,5", VS_SECONDS_MAX_MS, {"\"1,5\"", "trailing garbage"}},
		{"1 5", VS_SECONDS_MAX_MS, {"\"1 5\"", "space inside"}},
		{"3600.001", VS_SECONDS_MAX_MS, {"\"3600.001\"", "above 3600 s"}},
		{"121", 120000, {"\"121\" at offset 1", "above 120 s"}},
		{"0.5", 250, {"\"0.5\"", "above 0.25 s"}},
};

START_TEST(seconds_refused)
{
	char err[VS_ERRLEN] = "";
	unsigned ms = 777;

	ck_assert_int_eq(vs_seconds_parse(secs_bad[_i].in, -1, secs_bad[_i].max_ms,
							 &ms, err, sizeof(err)),
			-1);
	ck_assert_has(err, secs_bad[_i].piece[0]);
	ck_assert_has(err, secs_bad[_i].piece[1]);
	ck_assert_uint_eq(ms, 777);
}
END_TEST

START_TEST(seconds_huge)
{
	char err[VS_ERRLEN] = "", *p = huge('7');
	unsigned ms = 0;

	ck_assert_int_eq(
			vs_seconds_parse(p, -1, VS_SECONDS_MAX_MS, &ms, err, sizeof(err)),
			-1);
	ck_assert_has(err, "\"77777777777777777777...\"");
	ck_assert_has(err, "above 3600 s");
	free(p);
}
END_TEST

START_TEST(seconds_format_edges)
{
	char buf[16];

	ck_assert_int_eq(vs_seconds_format(1, buf, sizeof(buf)), 5);
	ck_assert_str_eq(buf, "0.001");
	ck_assert_int_eq(vs_seconds_format(31500, buf, sizeof(buf)), 4);
	ck_assert_str_eq(buf, "31.5");
	ck_assert_int_eq(vs_seconds_format(31500, buf, 4), -1);
}
END_TEST

#define N_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))

static Suite *sched_suite(void)
{
	Suite *su = suite_create("vs_sched");
	TCase *tl = tcase_create("timeline"), *fm = tcase_create("format");
	TCase *rf = tcase_create("refused"), *sc = tcase_create("seconds");

	tcase_add_test(tl, default_list);
	tcase_add_test(tl, six_values);
	tcase_add_test(tl, ten_values_pairs);
	tcase_add_test(tl, four_values);
	tcase_add_test(tl, single_value);
	tcase_add_test(tl, at_clamps_past_end);
	tcase_add_test(tl, cut_retry_3);
	tcase_add_test(tl, cut_retry_0);
	tcase_add_test(tl, cut_no_effect);
	tcase_add_loop_test(fm, format_round_trip, 0, N_OF(spellings));
	tcase_add_test(fm, format_longest_fits);
	tcase_add_test(fm, format_too_small);
	tcase_add_test(fm, explicit_length);
	tcase_add_loop_test(rf, refused, 0, N_OF(bad));
	tcase_add_test(rf, huge_digits);
	tcase_add_test(rf, huge_commas);
	tcase_add_test(rf, huge_list);
	tcase_add_test(rf, huge_blanks_and_garbage);
	tcase_add_test(rf, small_err_buffers);
	tcase_add_loop_test(sc, seconds_ok, 0, N_OF(secs_ok));
	tcase_add_loop_test(sc, seconds_refused, 0, N_OF(secs_bad));
	tcase_add_test(sc, seconds_huge);
	tcase_add_test(sc, seconds_format_edges);
	suite_add_tcase(su, tl);
	suite_add_tcase(su, fm);
	suite_add_tcase(su, rf);
	suite_add_tcase(su, sc);
	return su;
}

VS_UNIT_MAIN(sched_suite)
