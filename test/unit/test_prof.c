/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_prof: the profile model and the libconfig profile file (vs_prof.c):
 * precedence (own, extends chain, defaults, base) with its "where from" strings,
 * seconds in every spelling, switch_stop_codes, the keys a profile owns (what it
 * overrides as a gateway profile) and copying them, every validation error with
 * its file:line, writing a set back, and the shipped etc/vostimer.profiles. */
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include "unit.h"
#include "vs_prof.h"

#define SHIPPED "../../etc/vostimer.profiles"

/* the base the tests resolve onto: VOS3000 defaults, send_retry 7 from a modparam */
static vs_base_t test_base(void)
{
	vs_base_t b;
	int k;

	vs_values_vos_defaults(&b.v);
	for(k = 0; k < VS_K_COUNT; k++)
		b.src[k] = "VOS3000 default";
	b.v.send_retry = 7;
	b.src[VS_K_RETRY] = "modparam";
	return b;
}

/* Write text to a fresh /tmp file; its name goes to path (PATH_MAX-free: 64 bytes). */
static void write_tmp(const char *text, char *path)
{
	int fd;
	size_t len = strlen(text);

	strcpy(path, "/tmp/vs_prof_test_XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, len), (ssize_t)len);
	close(fd);
}

/* Load text through a temp file; the file is gone afterwards. */
static vs_profset_t *load_text(
		const char *text, char *path, char *err, int errlen)
{
	vs_profset_t *set;
	vs_base_t b = test_base();

	write_tmp(text, path);
	set = vs_prof_load(path, &b, err, errlen);
	unlink(path);
	return set;
}

/* text must be refused with "<file>:<line>: ..." containing piece */
static void expect_error(const char *text, int line, const char *piece)
{
	char path[64], err[512], prefix[96];
	vs_profset_t *set = load_text(text, path, err, sizeof(err));

	ck_assert_msg(set == NULL, "loaded, expected an error with \"%s\"", piece);
	snprintf(prefix, sizeof(prefix), "%s:%d: ", path, line);
	ck_assert_msg(strncmp(err, prefix, strlen(prefix)) == 0,
			"error \"%s\" does not start with \"%s\"", err, prefix);
	ck_assert_has(err, piece);
}

static const vs_profile_t *must_find(const vs_profset_t *set, const char *name)
{
	const vs_profile_t *p = vs_prof_find(set, name, -1);

	ck_assert_msg(p != NULL, "no profile \"%s\"", name);
	return p;
}

static void src_is(const vs_profile_t *p, int k, const char *fmt,
		const char *path, int line)
{
	char want[VS_PROF_SRCLEN + 64];

	snprintf(want, sizeof(want), fmt, path, line);
	ck_assert_msg(strcmp(p->src[k], want) == 0,
			"%s.%s from \"%s\", expected \"%s\"", p->name, vs_key_name(k),
			p->src[k], want);
}

/* ---- the model ---- */

START_TEST(vos_defaults_are_spec_1)
{
	vs_values_t v;

	memset(&v, 0xff, sizeof(v));
	vs_values_vos_defaults(&v);
	ck_assert_int_eq(v.sched.n, 10);
	ck_assert_uint_eq(v.sched.gap_ms[0], 500);
	ck_assert_uint_eq(v.sched.gap_ms[1], 1000);
	ck_assert_uint_eq(v.sched.gap_ms[2], 2000);
	ck_assert_uint_eq(v.sched.gap_ms[9], 4000);
	ck_assert_uint_eq(vs_sched_giveup(&v.sched), 31500);
	ck_assert_int_eq(v.send_retry, 10);
	ck_assert_uint_eq(v.t_invite_ms, 10000);
	ck_assert_uint_eq(v.t_trying_ms, 20000);
	ck_assert_uint_eq(v.t_sp_ms, 20000);
	ck_assert_uint_eq(v.t_sp_sdp_ms, 120000);
	ck_assert_uint_eq(v.t_ringing_ms, 120000);
	ck_assert_uint_eq(v.budget_ms, 0);
	ck_assert_int_eq(v.sw_limit, 0);
	ck_assert_int_eq(v.sw_stop_busy, 1);
	ck_assert_int_eq(v.sw_until_connect, 0);
	ck_assert_int_eq(v.sw_stop_sdp, 1);
	ck_assert_int_eq(v.stop_codes.n, 0); /* no code ends switching */
}
END_TEST

START_TEST(key_names_and_lookup)
{
	static const char *names[VS_K_COUNT] = {"resend_interval", "send_retry",
			"timeout_invite", "timeout_trying", "timeout_session_progress",
			"timeout_session_progress_sdp", "timeout_ringing", "setup_budget",
			"gateway_switch_limit", "switch_stop_after_busy",
			"switch_until_connect", "stop_switch_after_sdp",
			"switch_stop_codes"};
	int k;

	for(k = 0; k < VS_K_COUNT; k++) {
		ck_assert_str_eq(vs_key_name(k), names[k]);
		ck_assert_int_eq(vs_key_find(names[k], -1), k);
	}
	ck_assert_ptr_null(vs_key_name(-1));
	ck_assert_ptr_null(vs_key_name(VS_K_COUNT));
	ck_assert_int_eq(vs_key_find("send_retryX", 10), VS_K_RETRY);
	ck_assert_int_eq(vs_key_find("send_retry", 4), -1);
	ck_assert_int_eq(vs_key_find("timeout", -1), -1);
	ck_assert_int_eq(
			vs_key_find("timeout_session_progress_sdp", 24), VS_K_T_SP);
	ck_assert_int_eq(vs_key_find(NULL, -1), -1);
	/* a NUL inside the length is part of the name, not its end (fuzz_codes found
	 * vs_key_find reading past "send_retry" here) */
	ck_assert_int_eq(vs_key_find("send_retry\0xyz", 14), -1);
	ck_assert_int_eq(vs_key_find("send_retry\0", 11), -1);
}
END_TEST

/* the kind of each key (what the RPC output types a value as) and where it is read */
START_TEST(key_kinds_and_const_pointer)
{
	static const int kinds[VS_K_COUNT] = {VS_KIND_LIST, VS_KIND_INT,
			VS_KIND_SECONDS, VS_KIND_SECONDS, VS_KIND_SECONDS, VS_KIND_SECONDS,
			VS_KIND_SECONDS, VS_KIND_SECONDS, VS_KIND_INT, VS_KIND_BOOL,
			VS_KIND_BOOL, VS_KIND_BOOL, VS_KIND_CODES};
	vs_values_t v;
	int k;

	vs_values_vos_defaults(&v);
	for(k = 0; k < VS_K_COUNT; k++) {
		ck_assert_msg(vs_key_kind(k) == kinds[k], "%s: kind %d, expected %d",
				vs_key_name(k), vs_key_kind(k), kinds[k]);
		ck_assert_ptr_eq(vs_value_cptr(&v, k), vs_value_ptr(&v, k));
	}
	ck_assert_ptr_eq(vs_value_cptr(&v, VS_K_RESEND), &v.sched);
	ck_assert_ptr_eq(vs_value_cptr(&v, VS_K_T_RINGING), &v.t_ringing_ms);
	ck_assert_ptr_eq(vs_value_cptr(&v, VS_K_SW_SDP), &v.sw_stop_sdp);
	ck_assert_ptr_eq(vs_value_cptr(&v, VS_K_T_SP), &v.t_sp_ms);
	ck_assert_ptr_eq(vs_value_cptr(&v, VS_K_T_SP_SDP), &v.t_sp_sdp_ms);
	ck_assert_ptr_eq(vs_value_cptr(&v, VS_K_SW_CODES), &v.stop_codes);
	ck_assert_int_eq(vs_key_kind(-1), -1);
	ck_assert_int_eq(vs_key_kind(VS_K_COUNT), -1);
	ck_assert_ptr_null(vs_value_cptr(&v, -1));
	ck_assert_ptr_null(vs_value_cptr(&v, VS_K_COUNT));
	ck_assert_ptr_null(vs_value_cptr(NULL, 0));
}
END_TEST

START_TEST(from_base_is_one_defaults_profile)
{
	vs_base_t b = test_base();
	vs_profset_t *set = vs_prof_from_base(&b);

	ck_assert_ptr_nonnull(set);
	ck_assert_int_eq(set->n, 1);
	ck_assert_uint_eq(set->size, sizeof(*set) + sizeof(vs_profile_t));
	ck_assert_str_eq(set->p[0].name, "defaults");
	ck_assert_str_eq(set->p[0].extends, "");
	ck_assert_int_eq(memcmp(&set->p[0].v, &b.v, sizeof(b.v)), 0);
	ck_assert_str_eq(set->p[0].src[VS_K_RETRY], "modparam");
	ck_assert_str_eq(set->p[0].src[VS_K_RESEND], "VOS3000 default");
	free(set);

	set = vs_prof_from_base(NULL);
	ck_assert_ptr_nonnull(set);
	ck_assert_int_eq(set->p[0].v.send_retry, 10);
	ck_assert_str_eq(set->p[0].src[VS_K_RETRY], "VOS3000 default");
	free(set);
}
END_TEST

START_TEST(find_by_name)
{
	char path[64], err[256];
	vs_profset_t *set = load_text("profiles = ( { name = \"fast\"; },"
								  " { name = \"fast-failover\"; } );",
			path, err, sizeof(err));

	ck_assert_msg(set != NULL, "%s", err);
	ck_assert_ptr_eq(vs_prof_find(set, "defaults", -1), &set->p[0]);
	ck_assert_ptr_eq(vs_prof_find(set, "fast", -1), &set->p[1]);
	ck_assert_ptr_eq(vs_prof_find(set, "fast-failover", -1), &set->p[2]);
	ck_assert_ptr_eq(vs_prof_find(set, "fast-failover", 4), &set->p[1]);
	ck_assert_ptr_null(vs_prof_find(set, "fas", -1));
	ck_assert_ptr_null(vs_prof_find(set, "Fast", -1));
	ck_assert_ptr_null(vs_prof_find(set, "", -1));
	ck_assert_ptr_null(vs_prof_find(set, "fast\0x", 6));
	ck_assert_ptr_null(vs_prof_find(set, NULL, -1));
	ck_assert_ptr_null(vs_prof_find(NULL, "fast", -1));
	free(set);
}
END_TEST

START_TEST(name_check)
{
	char err[256], long63[64], long64[65];

	memset(long63, 'a', 63);
	long63[63] = '\0';
	memset(long64, 'b', 64);
	long64[64] = '\0';
	ck_assert_int_eq(
			vs_prof_name_check("gw_1.eu-west", -1, err, sizeof(err)), 0);
	ck_assert_int_eq(vs_prof_name_check(long63, -1, err, sizeof(err)), 0);
	ck_assert_int_eq(vs_prof_name_check(long64, -1, err, sizeof(err)), -1);
	ck_assert_has(err, "longer than 63 characters");
	ck_assert_int_eq(vs_prof_name_check("", -1, err, sizeof(err)), -1);
	ck_assert_has(err, "empty name");
	ck_assert_int_eq(vs_prof_name_check("a/b", -1, err, sizeof(err)), -1);
	ck_assert_has(err, "character '/' at offset 2");
	ck_assert_int_eq(vs_prof_name_check("ab\tc", -1, err, sizeof(err)), -1);
	ck_assert_has(err, "byte 0x09 at offset 3");
	ck_assert_int_eq(vs_prof_name_check("ok x", 2, err, sizeof(err)), 0);
}
END_TEST

/* ---- switch_stop_codes ---- */

/* "300,301,...": n codes from 300 up, comma-separated */
static void code_run(char *buf, int n)
{
	int i;

	buf[0] = '\0';
	for(i = 0; i < n; i++)
		sprintf(buf + strlen(buf), "%s%d", i ? "," : "", 300 + i);
}

static void codes_are(const vs_codes_t *c, const char *what, int n, ...)
{
	va_list ap;
	int i, want;

	ck_assert_msg(c->n == n, "%s: %d codes, expected %d", what, c->n, n);
	va_start(ap, n);
	for(i = 0; i < n; i++) {
		want = va_arg(ap, int);
		ck_assert_msg(c->c[i] == want, "%s: code %d is %d, expected %d", what,
				i + 1, c->c[i], want);
	}
	va_end(ap);
}

START_TEST(codes_accepted)
{
	char err[VS_ERRLEN], text[128];
	vs_codes_t c;

	ck_assert_int_eq(vs_codes_parse("404,503", -1, &c, err, sizeof(err)), 0);
	codes_are(&c, "404,503", 2, 404, 503);
	ck_assert_int_eq(
			vs_codes_parse(" 404 , 408,503 ", -1, &c, err, sizeof(err)), 0);
	codes_are(&c, "blanks", 3, 404, 408, 503);
	ck_assert_int_eq(vs_codes_parse("\t404\t", -1, &c, err, sizeof(err)), 0);
	codes_are(&c, "tabs", 1, 404);
	/* sorted, duplicates kept once */
	ck_assert_int_eq(
			vs_codes_parse("603,404,503,404,603", -1, &c, err, sizeof(err)), 0);
	codes_are(&c, "duplicates", 3, 404, 503, 603);
	/* the edges of 300..699 */
	ck_assert_int_eq(vs_codes_parse("699,300", -1, &c, err, sizeof(err)), 0);
	codes_are(&c, "edges", 2, 300, 699);
	/* the empty list: "", blanks, NULL */
	c.n = 5;
	ck_assert_int_eq(vs_codes_parse("", -1, &c, err, sizeof(err)), 0);
	codes_are(&c, "\"\"", 0);
	c.n = 5;
	ck_assert_int_eq(vs_codes_parse("  \t", -1, &c, err, sizeof(err)), 0);
	codes_are(&c, "blanks only", 0);
	c.n = 5;
	ck_assert_int_eq(vs_codes_parse(NULL, -1, &c, err, sizeof(err)), 0);
	codes_are(&c, "NULL", 0);
	/* len bounds the text */
	ck_assert_int_eq(vs_codes_parse("404,503", 3, &c, err, sizeof(err)), 0);
	codes_are(&c, "len 3", 1, 404);
	/* 16 codes, and a 17th that repeats one of them */
	code_run(text, VS_CODES_MAX);
	ck_assert_int_eq(vs_codes_parse(text, -1, &c, err, sizeof(err)), 0);
	ck_assert_int_eq(c.n, VS_CODES_MAX);
	ck_assert_uint_eq(c.c[VS_CODES_MAX - 1], 315);
	strcat(text, ",300");
	ck_assert_msg(
			vs_codes_parse(text, -1, &c, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(c.n, VS_CODES_MAX);
}
END_TEST

static const struct
{
	const char *text;
	const char *piece; /* the element, its position and the reason */
} bad_codes[] = {
		{"404,", "element 2 \"\" (offset 5): not a SIP code"},
		{",404", "element 1 \"\" (offset 1): not a SIP code"},
		{"404,,503", "element 2 \"\" (offset 5): not a SIP code"},
		{"abc", "element 1 \"abc\" (offset 1): not a SIP code"},
		{" 404 , x", "element 2 \"x\" (offset 8): not a SIP code"},
		{"404 503", "element 1 \"404 503\" (offset 1): not a SIP code"},
		{"404;503", "element 1 \"404;503\" (offset 1): not a SIP code"},
		{"-404", "element 1 \"-404\" (offset 1): not a SIP code"},
		{"4.04", "element 1 \"4.04\" (offset 1): not a SIP code"},
		{"200", "element 1 \"200\" (offset 1): not a final negative code "
				"300..699"},
		{"404,299", "element 2 \"299\" (offset 5): not a final negative "
					"code 300..699"},
		{"700", "element 1 \"700\" (offset 1): not a final negative code "
				"300..699"},
		{"4040", "element 1 \"4040\" (offset 1): not a final negative code"},
		{"40400", "element 1 \"40400\" (offset 1): not a SIP code"},
		/* 24 UTF-8 continuation bytes: the cut to whole characters stops at
		 * the element's start (it once read before it: make fuzz) */
		{"\x8f\x8f\x8f\x8f\x8f\x8f\x8f\x8f\x8f\x8f\x8f\x8f\x8f\x8f\x8f\x8f"
		 "\x8f\x8f\x8f\x8f\x8f\x8f\x8f\x8f,404",
				"element 1 \"\" (offset 1): not a SIP code"},
		{NULL, "element 17 \"316\" (offset 65): more than 16 codes"},
};

START_TEST(codes_refused)
{
	char err[VS_ERRLEN], text[128];
	const char *t = bad_codes[_i].text;
	vs_codes_t c = {1, {999}};

	if(t == NULL) { /* 17 codes */
		code_run(text, VS_CODES_MAX + 1);
		t = text;
	}
	err[0] = '\0';
	ck_assert_msg(vs_codes_parse(t, -1, &c, err, sizeof(err)) == -1,
			"\"%s\" accepted", t);
	ck_assert_has(err, bad_codes[_i].piece);
	ck_assert_int_eq(c.n, 1); /* untouched */
	ck_assert_uint_eq(c.c[0], 999);
}
END_TEST

START_TEST(codes_format_and_has)
{
	char err[VS_ERRLEN], buf[128], text[128];
	vs_codes_t c;

	vs_codes_parse("503,404,603", -1, &c, err, sizeof(err));
	ck_assert_int_eq(vs_codes_format(&c, buf, sizeof(buf)), 11);
	ck_assert_str_eq(buf, "404,503,603");
	/* a short buffer ends at a whole code */
	ck_assert_int_eq(vs_codes_format(&c, buf, 10), 7);
	ck_assert_str_eq(buf, "404,503");
	ck_assert_int_eq(vs_codes_format(&c, buf, 0), 0);
	ck_assert(vs_codes_has(&c, 404));
	ck_assert(vs_codes_has(&c, 603));
	ck_assert(!vs_codes_has(&c, 486));
	ck_assert(!vs_codes_has(&c, 0));
	/* the format parses back to the same list */
	code_run(text, VS_CODES_MAX);
	vs_codes_parse(text, -1, &c, err, sizeof(err));
	ck_assert_int_eq(vs_codes_format(&c, buf, sizeof(buf)), (int)strlen(text));
	ck_assert_str_eq(buf, text);

	c.n = 0;
	buf[0] = 'x';
	ck_assert_int_eq(vs_codes_format(&c, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "");
	ck_assert(!vs_codes_has(&c, 404));
}
END_TEST

/* ---- copying keys ---- */

static size_t value_size(int k)
{
	switch(vs_key_kind(k)) {
		case VS_KIND_LIST:
			return sizeof(vs_sched_t);
		case VS_KIND_CODES:
			return sizeof(vs_codes_t);
	}
	return sizeof(int);
}

/* VOS3000's defaults with every key changed */
static void every_key_changed(vs_values_t *v)
{
	char err[VS_ERRLEN];

	vs_values_vos_defaults(v);
	ck_assert_int_eq(vs_sched_parse("1,2", -1, &v->sched, err, sizeof(err)), 0);
	v->send_retry = 3;
	v->t_invite_ms = 1001;
	v->t_trying_ms = 1002;
	v->t_sp_ms = 1003;
	v->t_sp_sdp_ms = 1004;
	v->t_ringing_ms = 1005;
	v->budget_ms = 1006;
	v->sw_limit = 5;
	v->sw_stop_busy = 0;
	v->sw_until_connect = 1;
	v->sw_stop_sdp = 0;
	ck_assert_int_eq(
			vs_codes_parse("404,503", -1, &v->stop_codes, err, sizeof(err)), 0);
}

/* key j of got equals key j of want */
static int key_eq(const vs_values_t *got, const vs_values_t *want, int j)
{
	return memcmp(vs_value_cptr(got, j), vs_value_cptr(want, j), value_size(j))
		   == 0;
}

START_TEST(overlay_copies_the_masked_keys)
{
	vs_values_t vos, src, dst;
	int k, j;

	vs_values_vos_defaults(&vos);
	every_key_changed(&src);
	for(k = 0; k < VS_K_COUNT; k++) /* the test itself: every key differs */
		ck_assert_msg(!key_eq(&src, &vos, k), "%s", vs_key_name(k));
	/* one key at a time: that one, nothing else */
	for(k = 0; k < VS_K_COUNT; k++) {
		dst = vos;
		vs_values_overlay(&dst, &src, 1u << k);
		for(j = 0; j < VS_K_COUNT; j++)
			ck_assert_msg(key_eq(&dst, j == k ? &src : &vos, j),
					"mask %s: %s %s", vs_key_name(k), vs_key_name(j),
					j == k ? "not copied" : "changed");
	}
	/* two keys */
	dst = vos;
	vs_values_overlay(&dst, &src, (1u << VS_K_T_SP) | (1u << VS_K_SW_CODES));
	ck_assert_uint_eq(dst.t_sp_ms, 1003);
	ck_assert_uint_eq(dst.t_sp_sdp_ms, 120000);
	ck_assert_uint_eq(dst.t_ringing_ms, 120000);
	codes_are(&dst.stop_codes, "overlay", 2, 404, 503);
	/* every key; none; bits past the last key mean nothing */
	dst = vos;
	vs_values_overlay(&dst, &src, (1u << VS_K_COUNT) - 1);
	ck_assert_int_eq(memcmp(&dst, &src, sizeof(dst)), 0);
	dst = vos;
	vs_values_overlay(&dst, &src, 0);
	ck_assert_int_eq(memcmp(&dst, &vos, sizeof(dst)), 0);
	vs_values_overlay(&dst, &src, ~0u << VS_K_COUNT);
	ck_assert_int_eq(memcmp(&dst, &vos, sizeof(dst)), 0);
}
END_TEST

START_TEST(key_copy_one_key)
{
	vs_values_t vos, src, dst;

	vs_values_vos_defaults(&vos);
	every_key_changed(&src);
	dst = vos;
	vs_key_copy(&dst, &src, VS_K_SW_CODES);
	codes_are(&dst.stop_codes, "key_copy", 2, 404, 503);
	vs_key_copy(&dst, &src, VS_K_RESEND);
	ck_assert_int_eq(dst.sched.n, 2);
	ck_assert_uint_eq(dst.sched.gap_ms[1], 2000);
	ck_assert_uint_eq(dst.t_sp_ms, 20000);
	vs_key_copy(&dst, &src, VS_K_T_SP_SDP);
	ck_assert_uint_eq(dst.t_sp_sdp_ms, 1004);
	ck_assert_uint_eq(dst.t_sp_ms, 20000);
	/* out of range: nothing */
	dst = vos;
	vs_key_copy(&dst, &src, -1);
	vs_key_copy(&dst, &src, VS_K_COUNT);
	ck_assert_int_eq(memcmp(&dst, &vos, sizeof(dst)), 0);
}
END_TEST

/* ---- loading: values and precedence ---- */

START_TEST(empty_file_gives_base)
{
	static const char *texts[] = {"", "# only a comment\n\n",
			"defaults: { };\nprofiles = ();\n", "profiles = [];\n"};
	vs_base_t b = test_base();
	char path[64], err[256];
	vs_profset_t *set;
	int k;

	set = load_text(texts[_i], path, err, sizeof(err));
	ck_assert_msg(set != NULL, "%s", err);
	ck_assert_int_eq(set->n, 1);
	ck_assert_str_eq(set->p[0].name, "defaults");
	ck_assert_int_eq(memcmp(&set->p[0].v, &b.v, sizeof(b.v)), 0);
	for(k = 0; k < VS_K_COUNT; k++)
		ck_assert_str_eq(set->p[0].src[k], b.src[k]);
	free(set);
}
END_TEST

START_TEST(null_base_is_vos3000)
{
	char path[64], err[256];
	vs_profset_t *set;

	write_tmp("profiles = ( { name = \"a\"; } );\n", path);
	set = vs_prof_load(path, NULL, err, sizeof(err));
	unlink(path);
	ck_assert_msg(set != NULL, "%s", err);
	ck_assert_int_eq(set->p[1].v.send_retry, 10);
	ck_assert_str_eq(set->p[1].src[VS_K_RETRY], "VOS3000 default");
	free(set);
}
END_TEST

/* own, then the extends chain (nearest ancestor first), then defaults, then base */
START_TEST(precedence_multi_level)
{
	const char *text = "defaults: {\n"									/* 1 */
					   "  timeout_ringing = 90;\n"						/* 2 */
					   "  timeout_trying = 15;\n"						/* 3 */
					   "};\n"											/* 4 */
					   "profiles = (\n"									/* 5 */
					   "  { name = \"c\"; extends = \"b\";\n"			/* 6 */
					   "    timeout_invite = 3; },\n"					/* 7 */
					   "  { name = \"a\";\n"							/* 8 */
					   "    resend_interval = \"1,2,4\";\n"				/* 9 */
					   "    timeout_trying = 12;\n"						/* 10 */
					   "    timeout_invite = 9; },\n"					/* 11 */
					   "  { name = \"b\"; extends = \"a\";\n"			/* 12 */
					   "    timeout_invite = 5; setup_budget = 40; }\n" /* 13 */
					   ");\n";
	char path[64], err[256];
	vs_profset_t *set = load_text(text, path, err, sizeof(err));
	const vs_profile_t *a, *b, *c, *d;

	ck_assert_msg(set != NULL, "%s", err);
	ck_assert_int_eq(set->n, 4);
	d = &set->p[0];
	c = must_find(set, "c");
	a = must_find(set, "a");
	b = must_find(set, "b");
	ck_assert_ptr_eq(c, &set->p[1]); /* file order kept */
	ck_assert_str_eq(d->name, "defaults");
	ck_assert_str_eq(c->extends, "b");
	ck_assert_str_eq(b->extends, "a");
	ck_assert_str_eq(a->extends, "");

	/* own value */
	ck_assert_uint_eq(c->v.t_invite_ms, 3000);
	src_is(c, VS_K_T_INVITE, "%s:%d", path, 7);
	/* from the parent */
	ck_assert_uint_eq(c->v.budget_ms, 40000);
	src_is(c, VS_K_BUDGET, "extends b (%s:%d)", path, 13);
	/* from the grandparent, past a parent that does not set it */
	ck_assert_int_eq(c->v.sched.n, 3);
	ck_assert_uint_eq(vs_sched_giveup(&c->v.sched), 7000);
	src_is(c, VS_K_RESEND, "extends a (%s:%d)", path, 9);
	/* the grandparent beats defaults */
	ck_assert_uint_eq(c->v.t_trying_ms, 12000);
	src_is(c, VS_K_T_TRYING, "extends a (%s:%d)", path, 10);
	/* defaults beats base */
	ck_assert_uint_eq(c->v.t_ringing_ms, 90000);
	src_is(c, VS_K_T_RINGING, "defaults (%s:%d)", path, 2);
	/* base: a modparam, then a VOS3000 default */
	ck_assert_int_eq(c->v.send_retry, 7);
	ck_assert_str_eq(c->src[VS_K_RETRY], "modparam");
	ck_assert_int_eq(c->v.sw_stop_sdp, 1);
	ck_assert_str_eq(c->src[VS_K_SW_SDP], "VOS3000 default");

	/* the middle of the chain resolves on its own */
	ck_assert_uint_eq(b->v.t_invite_ms, 5000);
	src_is(b, VS_K_T_INVITE, "%s:%d", path, 13);
	src_is(b, VS_K_RESEND, "extends a (%s:%d)", path, 9);
	ck_assert_uint_eq(a->v.t_invite_ms, 9000);
	ck_assert_uint_eq(a->v.budget_ms, 0);
	ck_assert_str_eq(a->src[VS_K_BUDGET], "VOS3000 default");

	/* p[0] is the defaults group resolved onto the base */
	ck_assert_uint_eq(d->v.t_ringing_ms, 90000);
	src_is(d, VS_K_T_RINGING, "%s:%d", path, 2);
	ck_assert_uint_eq(d->v.t_invite_ms, 10000);
	ck_assert_str_eq(d->src[VS_K_T_INVITE], "VOS3000 default");
	ck_assert_int_eq(d->v.sched.n, 10);
	free(set);
}
END_TEST

START_TEST(extends_defaults_is_accepted)
{
	char path[64], err[256];
	vs_profset_t *set = load_text("defaults: { send_retry = 3; };\n"
								  "profiles = ( { name = \"x\"; extends = "
								  "\"defaults\"; } );\n",
			path, err, sizeof(err));

	ck_assert_msg(set != NULL, "%s", err);
	ck_assert_str_eq(set->p[1].extends, "defaults");
	ck_assert_int_eq(set->p[1].v.send_retry, 3);
	src_is(&set->p[1], VS_K_RETRY, "defaults (%s:%d)", path, 1);
	free(set);
}
END_TEST

START_TEST(every_key_and_type)
{
	const char *text = "profiles = ( {\n"
					   "  name = \"all\";\n"
					   "  resend_interval = \" 0.5, 1 ,2.25 \";\n"
					   "  send_retry = 0;\n"
					   "  timeout_invite = 2.5;\n"		/* float */
					   "  timeout_trying = \"1.75\";\n" /* string */
					   "  timeout_session_progress = 7;\n"
					   "  timeout_session_progress_sdp = 0.25;\n"
					   "  timeout_ringing = 3600;\n" /* int, the top */
					   "  setup_budget = 0.001;\n"	 /* 1 ms */
					   "  gateway_switch_limit = 100;\n"
					   "  switch_stop_after_busy = false;\n"
					   "  switch_until_connect = 1;\n"
					   "  stop_switch_after_sdp = FALSE;\n"
					   "  switch_stop_codes = \"503, 404\";\n"
					   "} );\n";
	char path[64], err[256];
	vs_profset_t *set = load_text(text, path, err, sizeof(err));
	const vs_profile_t *p;
	int k;

	ck_assert_msg(set != NULL, "%s", err);
	p = must_find(set, "all");
	ck_assert_int_eq(p->v.sched.n, 3);
	ck_assert_uint_eq(p->v.sched.gap_ms[2], 2250);
	ck_assert_int_eq(p->v.send_retry, 0);
	ck_assert_uint_eq(p->v.t_invite_ms, 2500);
	ck_assert_uint_eq(p->v.t_trying_ms, 1750);
	ck_assert_uint_eq(p->v.t_sp_ms, 7000);
	ck_assert_uint_eq(p->v.t_sp_sdp_ms, 250);
	ck_assert_uint_eq(p->v.t_ringing_ms, 3600000);
	ck_assert_uint_eq(p->v.budget_ms, 1);
	ck_assert_int_eq(p->v.sw_limit, 100);
	ck_assert_int_eq(p->v.sw_stop_busy, 0);
	ck_assert_int_eq(p->v.sw_until_connect, 1);
	ck_assert_int_eq(p->v.sw_stop_sdp, 0);
	ck_assert_int_eq(p->v.stop_codes.n, 2);
	ck_assert_uint_eq(p->v.stop_codes.c[0], 404);
	ck_assert_uint_eq(p->v.stop_codes.c[1], 503);
	for(k = 0; k < VS_K_COUNT; k++)
		src_is(p, k, "%s:%d", path, 3 + k);
	free(set);
}
END_TEST

/* floats that are whole milliseconds, however the double rounds */
START_TEST(float_seconds)
{
	static const struct
	{
		const char *text;
		unsigned int ms;
	} cases[] = {{"0.1", 100}, {"0.3", 300}, {"1.001", 1001}, {"2.675", 2675},
			{"0.0", 0}, {"3600.0", 3600000}, {"1e1", 10000}, {"12.345", 12345}};
	char text[128], path[64], err[256];
	vs_profset_t *set;

	snprintf(text, sizeof(text), "defaults: { timeout_invite = %s; };\n",
			cases[_i].text);
	set = load_text(text, path, err, sizeof(err));
	ck_assert_msg(set != NULL, "%s: %s", cases[_i].text, err);
	ck_assert_uint_eq(set->p[0].v.t_invite_ms, cases[_i].ms);
	free(set);
}
END_TEST

/* A src that would not fit VS_PROF_SRCLEN keeps the file's name, not its directory. */
START_TEST(long_path_src_keeps_file_name)
{
	char dir[] = "/tmp/"
				 "vs_prof_a_directory_name_long_enough_to_overflow_the_src_"
				 "field_XXXXXX";
	char path[sizeof(dir) + 16], err[256], own[VS_PROF_SRCLEN + 32];
	vs_profset_t *set;
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/p.cfg", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("profiles = (\n  { name = \"parent\"; send_retry = 4; },\n"
		  "  { name = \"child\"; extends = \"parent\"; }\n);\n",
			f);
	fclose(f);
	set = vs_prof_load(path, NULL, err, sizeof(err));
	unlink(path);
	rmdir(dir);
	ck_assert_msg(set != NULL, "%s", err);
	snprintf(own, sizeof(own), "%s:2", path);
	ck_assert_uint_lt(strlen(own), VS_PROF_SRCLEN);
	ck_assert_str_eq(set->p[1].src[VS_K_RETRY], own);
	ck_assert_str_eq(set->p[2].src[VS_K_RETRY], "extends parent (p.cfg:2)");
	free(set);
}
END_TEST

/* the issue-12 keys: seconds like the others; codes as a string or a list */
START_TEST(new_keys_load)
{
	const char *text = "profiles = (\n"
					   "  { name = \"str\"; timeout_session_progress = 5;\n"
					   "    timeout_session_progress_sdp = \"60.5\";\n"
					   "    switch_stop_codes = \"404,503\"; },\n"
					   "  { name = \"arr\";\n"
					   "    switch_stop_codes = [503, 404]; },\n"
					   "  { name = \"lst\";\n"
					   "    switch_stop_codes = (404, 503, 404); },\n"
					   "  { name = \"none\"; switch_stop_codes = \"\"; },\n"
					   "  { name = \"none_arr\"; switch_stop_codes = []; },\n"
					   "  { name = \"unset\"; }\n"
					   ");\n";
	char path[64], err[256];
	vs_profset_t *set = load_text(text, path, err, sizeof(err));
	const vs_profile_t *p;

	ck_assert_msg(set != NULL, "%s", err);
	p = must_find(set, "str");
	ck_assert_uint_eq(p->v.t_sp_ms, 5000);
	ck_assert_uint_eq(p->v.t_sp_sdp_ms, 60500);
	codes_are(&p->v.stop_codes, "string", 2, 404, 503);
	src_is(p, VS_K_T_SP, "%s:%d", path, 2);
	src_is(p, VS_K_T_SP_SDP, "%s:%d", path, 3);
	src_is(p, VS_K_SW_CODES, "%s:%d", path, 4);
	codes_are(&must_find(set, "arr")->v.stop_codes, "array", 2, 404, 503);
	codes_are(&must_find(set, "lst")->v.stop_codes, "list", 2, 404, 503);
	codes_are(&must_find(set, "none")->v.stop_codes, "\"\"", 0);
	codes_are(&must_find(set, "none_arr")->v.stop_codes, "[]", 0);
	/* not set: VOS3000's defaults, 20 s and 120 s, no codes */
	p = must_find(set, "unset");
	ck_assert_uint_eq(p->v.t_sp_ms, 20000);
	ck_assert_uint_eq(p->v.t_sp_sdp_ms, 120000);
	codes_are(&p->v.stop_codes, "unset", 0);
	ck_assert_str_eq(p->src[VS_K_SW_CODES], "VOS3000 default");
	ck_assert_str_eq(p->src[VS_K_T_SP], "VOS3000 default");
	free(set);
}
END_TEST

#define BIT(k) (1u << (k))

/* own: what a profile sets itself or through extends - never what it takes from
 * the defaults group or the base, even through `extends = "defaults"` */
START_TEST(own_masks)
{
	const char *text = "defaults: {\n"
					   "  timeout_ringing = 90;\n"
					   "  switch_stop_codes = \"503\";\n"
					   "};\n"
					   "profiles = (\n"
					   "  { name = \"a\"; send_retry = 3;\n"
					   "    switch_stop_codes = [404]; },\n"
					   "  { name = \"b\"; extends = \"a\";\n"
					   "    timeout_invite = 5; },\n"
					   "  { name = \"c\"; extends = \"defaults\";\n"
					   "    timeout_trying = 1; },\n"
					   "  { name = \"d\"; },\n"
					   "  { name = \"e\"; timeout_ringing = 90; }\n"
					   ");\n";
	char path[64], err[256];
	vs_profset_t *set = load_text(text, path, err, sizeof(err));
	const vs_profile_t *a, *b, *c, *d, *e;
	vs_values_t call;

	ck_assert_msg(set != NULL, "%s", err);
	a = must_find(set, "a");
	b = must_find(set, "b");
	c = must_find(set, "c");
	d = must_find(set, "d");
	e = must_find(set, "e");
	/* its own keys */
	ck_assert_uint_eq(a->own, BIT(VS_K_RETRY) | BIT(VS_K_SW_CODES));
	codes_are(&a->v.stop_codes, "a", 1, 404);
	/* plus its parent's */
	ck_assert_uint_eq(
			b->own, BIT(VS_K_RETRY) | BIT(VS_K_SW_CODES) | BIT(VS_K_T_INVITE));
	/* the defaults group's values are taken, not owned */
	ck_assert_uint_eq(c->own, BIT(VS_K_T_TRYING));
	ck_assert_uint_eq(c->v.t_ringing_ms, 90000);
	codes_are(&c->v.stop_codes, "c", 1, 503);
	/* nothing set: nothing owned, the base's send_retry included */
	ck_assert_uint_eq(d->own, 0);
	ck_assert_int_eq(d->v.send_retry, 7);
	ck_assert_uint_eq(d->v.t_ringing_ms, 90000);
	/* set to the value defaults has: still its own */
	ck_assert_uint_eq(e->own, BIT(VS_K_T_RINGING));
	/* the defaults group owns what it writes */
	ck_assert_uint_eq(set->p[0].own, BIT(VS_K_T_RINGING) | BIT(VS_K_SW_CODES));

	/* b as a gateway profile over a call on c: b's keys, c's for the rest */
	call = c->v;
	vs_values_overlay(&call, &b->v, b->own);
	ck_assert_int_eq(call.send_retry, 3);
	ck_assert_uint_eq(call.t_invite_ms, 5000);
	codes_are(&call.stop_codes, "overlay", 1, 404);
	ck_assert_uint_eq(call.t_trying_ms, 1000);
	ck_assert_uint_eq(call.t_ringing_ms, 90000);
	free(set);

	/* no file: nothing owned */
	set = vs_prof_from_base(NULL);
	ck_assert_uint_eq(set->p[0].own, 0);
	free(set);
}
END_TEST

/* ---- loading: errors, each with its file:line ---- */

static const struct bad
{
	const char *text;
	int line;
	const char *piece;
} bad[] = {
		/* libconfig syntax */
		{"defaults: {\n  send_retry = ;\n};\n", 2, "syntax error"},
		{"defaults: {\n  send_retry = 1;\n  send_retry = 2;\n};\n", 3,
				"duplicate setting name"},
		{"profiles = (\n  { name = \"a\"; }\n  { name = \"b\"; }\n);\n", 3,
				"syntax error"},
		/* unknown keys */
		{"# x\nresend_interval = \"1\";\n", 2,
				"unknown key \"resend_interval\" at top level"},
		{"defaults: {\n  timeout_invite = 1;\n  resend = \"1\";\n};\n", 3,
				"unknown key \"resend\" in defaults"},
		{"defaults: { name = \"x\"; };\n", 1,
				"unknown key \"name\" in defaults"},
		{"defaults: { extends = \"x\"; };\n", 1,
				"unknown key \"extends\" in defaults"},
		{"profiles = (\n  { name = \"a\";\n    timeout_invit = 1; }\n);\n", 3,
				"unknown key \"timeout_invit\" in profile \"a\""},
		/* shapes */
		{"\ndefaults = 5;\n", 2, "defaults: expected a group"},
		{"profiles = { a = 1; };\n", 1, "profiles: expected a list"},
		{"profiles = [ 1, 2 ];\n", 1, "profiles: expected a list"},
		{"profiles = (\n  { name = \"a\"; },\n  \"b\" );\n", 3,
				"profile #2: expected a group"},
		/* types */
		{"defaults: {\n resend_interval = 4;\n};\n", 2,
				"resend_interval: expected a string like \"0.5,1,2,4\", got an "
				"integer"},
		{"defaults: {\n send_retry = \"10\";\n};\n", 2,
				"send_retry: expected an integer 0..100, got a string"},
		{"defaults: {\n send_retry = 2.0;\n};\n", 2,
				"send_retry: expected an integer 0..100, got a float"},
		{"defaults: {\n timeout_invite = true;\n};\n", 2,
				"timeout_invite: expected seconds"},
		{"defaults: {\n timeout_ringing = [1, 2];\n};\n", 2,
				"timeout_ringing: expected seconds (a number, or a string like "
				"\"2.5\"), got an array"},
		{"defaults: {\n switch_until_connect = \"yes\";\n};\n", 2,
				"switch_until_connect: expected true or false, got a string"},
		{"defaults: {\n stop_switch_after_sdp = 2;\n};\n", 2,
				"stop_switch_after_sdp = 2: expected true or false"},
		{"defaults: {\n gateway_switch_limit = true;\n};\n", 2,
				"gateway_switch_limit: expected an integer 0..100, got a "
				"boolean"},
		/* bad values: schedules (vs_sched_parse's message included) */
		{"defaults: {\n resend_interval = \"0.5,x,2\";\n};\n", 2,
				"resend_interval \"0.5,x,2\": element 2 \"x\""},
		{"defaults: {\n resend_interval = \"1,1,1,1,1,1,1,1,1,1,1\";\n};\n", 2,
				"more than 10 intervals"},
		{"defaults: {\n resend_interval = \"0.5,0\";\n};\n", 2, "zero"},
		{"defaults: {\n resend_interval = \"0.0005\";\n};\n", 2,
				"more than 3 decimals"},
		{"defaults: {\n resend_interval = \"\";\n};\n", 2, "empty list"},
		{"defaults: {\n resend_interval = \"3601\";\n};\n", 2, "above 3600 s"},
		/* bad values: integers */
		{"defaults: {\n send_retry = 101;\n};\n", 2,
				"send_retry = 101: out of range 0..100"},
		{"defaults: {\n send_retry = -1;\n};\n", 2,
				"send_retry = -1: out of range 0..100"},
		{"defaults: {\n gateway_switch_limit = 101;\n};\n", 2,
				"gateway_switch_limit = 101: out of range 0..100"},
		/* bad values: seconds */
		{"defaults: {\n timeout_invite = 3601;\n};\n", 2,
				"timeout_invite = 3601: out of range 0..3600 seconds"},
		{"defaults: {\n timeout_trying = -1;\n};\n", 2,
				"timeout_trying = -1: out of range 0..3600 seconds"},
		{"defaults: {\n timeout_invite = 3600.5;\n};\n", 2,
				"timeout_invite = 3600.5: out of range 0..3600 seconds"},
		{"defaults: {\n timeout_invite = -0.5;\n};\n", 2,
				"timeout_invite = -0.5: out of range"},
		{"defaults: {\n setup_budget = 2.0005;\n};\n", 2,
				"setup_budget = 2.0005: more than 3 decimals (the limit is 1 "
				"ms)"},
		{"defaults: {\n timeout_ringing = 1.0000001;\n};\n", 2,
				"timeout_ringing = 1.0000001: more than 3 decimals"},
		{"defaults: {\n timeout_trying = \"abc\";\n};\n", 2,
				"timeout_trying \"abc\": value \"abc\" at offset 1: not a "
				"number"},
		{"defaults: {\n timeout_trying = \"2.5000\";\n};\n", 2,
				"more than 3 decimals"},
		{"defaults: {\n timeout_trying = \"3600.001\";\n};\n", 2,
				"above 3600 s"},
		/* names */
		{"profiles = (\n  { name = \"a\"; },\n  { send_retry = 1; }\n);\n", 3,
				"profile #2 has no name"},
		{"profiles = (\n  { name = \"\"; }\n);\n", 2, "profile #1: empty name"},
		{"profiles = (\n  {\n    name = 5; }\n);\n", 3,
				"profile #1: name: expected a string, got an integer"},
		{"profiles = (\n  { name = "
		 "\"a123456789b123456789c123456789d123456789e123456789f123456789g123\";"
		 " }\n);\n",
				2, "longer than 63 characters"},
		{"profiles = (\n  { name = \"a b\"; }\n);\n", 2,
				"profile #1: name \"a b\": character ' ' at offset 2 is not "
				"allowed"},
		{"profiles = (\n  { name = \"gw:1\"; }\n);\n", 2, "character ':'"},
		{"profiles = (\n  { name = \"defaults\"; }\n);\n", 2,
				"the name \"defaults\" is reserved"},
		{"profiles = (\n  { name = \"a\"; },\n  { name = \"b\"; },\n"
		 "  { name = \"a\"; }\n);\n",
				4, "duplicate profile name \"a\" (first defined at "},
		/* extends */
		{"profiles = (\n  { name = \"a\";\n    extends = \"zz\"; }\n);\n", 3,
				"profile \"a\" extends unknown profile \"zz\""},
		{"profiles = (\n  { name = \"a\";\n    extends = 1; }\n);\n", 3,
				"profile \"a\": extends: expected a string, got an integer"},
		{"profiles = (\n  { name = \"a\"; extends = \"b\"; },\n"
		 "  { name = \"b\"; extends = \"a\"; }\n);\n",
				2, "profile \"a\": extends cycle a -> b -> a"},
		{"profiles = (\n  { name = \"x\"; },\n"
		 "  { name = \"a\"; extends = \"a\"; }\n);\n",
				3, "profile \"a\": extends cycle a -> a"},
		{"profiles = (\n  { name = \"c\"; extends = \"a\"; },\n"
		 "  { name = \"a\"; extends = \"b\"; },\n"
		 "  { name = \"b\"; extends = \"d\"; },\n"
		 "  { name = \"d\"; extends = \"a\"; }\n);\n",
				3, "profile \"a\": extends cycle a -> b -> d -> a"},
		/* the issue-12 keys */
		{"defaults: {\n timeout_session_progress = 3601;\n};\n", 2,
				"timeout_session_progress = 3601: out of range 0..3600 "
				"seconds"},
		{"defaults: {\n timeout_session_progress_sdp = \"x\";\n};\n", 2,
				"timeout_session_progress_sdp \"x\": value \"x\" at offset 1: "
				"not a number"},
		{"defaults: {\n timeout_session_progress = true;\n};\n", 2,
				"timeout_session_progress: expected seconds"},
		{"defaults: {\n switch_stop_codes = \"404,x\";\n};\n", 2,
				"switch_stop_codes \"404,x\": element 2 \"x\" (offset 5): not "
				"a SIP code"},
		{"defaults: {\n switch_stop_codes = \"200\";\n};\n", 2,
				"switch_stop_codes \"200\": element 1 \"200\" (offset 1): not "
				"a final negative code 300..699"},
		{"profiles = (\n  { name = \"gw\";\n"
		 "    switch_stop_codes = \"404,\"; }\n);\n",
				3, "switch_stop_codes \"404,\": element 2 \"\" (offset 5)"},
		{"defaults: {\n switch_stop_codes = [404, 700];\n};\n", 2,
				"switch_stop_codes [404,700]: element 2 \"700\" (offset 5): "
				"not a final negative code"},
		{"defaults: {\n switch_stop_codes = [-404];\n};\n", 2,
				"switch_stop_codes [-404]: element 1 \"-404\""},
		{"defaults: {\n switch_stop_codes = (404, \"503\");\n};\n", 2,
				"switch_stop_codes: element 2 is a string, not a SIP code"},
		{"defaults: {\n switch_stop_codes = (404, 5.5);\n};\n", 2,
				"switch_stop_codes: element 2 is a float, not a SIP code"},
		{"defaults: {\n switch_stop_codes = 404;\n};\n", 2,
				"switch_stop_codes: expected a string like \"404,503\" or a "
				"list [404, 503], got an integer"},
		{"defaults: {\n switch_stop_codes = true;\n};\n", 2,
				"switch_stop_codes: expected a string like \"404,503\" or a "
				"list [404, 503], got a boolean"},
		{"defaults: {\n switch_stop_codes = [300, 301, 302, 303, 304, 305, "
		 "306, 307, 308, 309, 310, 311, 312, 313, 314, 315, 316];\n};\n",
				2, "switch_stop_codes: 17 codes, at most 16"},
		{"defaults: {\n switch_stop_codes = \"300,301,302,303,304,305,306,"
		 "307,308,309,310,311,312,313,314,315,316\";\n};\n",
				2, "element 17 \"316\" (offset 65): more than 16 codes"},
};

START_TEST(errors_name_file_and_line)
{
	expect_error(bad[_i].text, bad[_i].line, bad[_i].piece);
}
END_TEST

START_TEST(duplicate_names_the_first)
{
	char path[64], err[512], want[128];
	vs_profset_t *set = load_text("profiles = (\n  { name = \"a\"; },\n"
								  "  { name = \"a\"; }\n);\n",
			path, err, sizeof(err));

	ck_assert_ptr_null(set);
	snprintf(want, sizeof(want), "(first defined at %s:2)", path);
	ck_assert_has(err, want);
}
END_TEST

/* At most VS_PROF_MAX in a set, defaults included: 255 from the file load. */
static char *many_profiles(int n)
{
	char *text = malloc((size_t)n * 40 + 32), *p = text;
	int i;

	p += sprintf(p, "profiles = (\n");
	for(i = 0; i < n; i++)
		p += sprintf(p, "  { name = \"p%d\"; }%s\n", i, i + 1 < n ? "," : "");
	sprintf(p, ");\n");
	return text;
}

START_TEST(profile_count_limit)
{
	char path[64], err[256], *text;
	vs_profset_t *set;

	text = many_profiles(VS_PROF_MAX - 1);
	set = load_text(text, path, err, sizeof(err));
	free(text);
	ck_assert_msg(set != NULL, "%s", err);
	ck_assert_int_eq(set->n, VS_PROF_MAX);
	ck_assert_str_eq(set->p[VS_PROF_MAX - 1].name, "p254");
	free(set);

	text = many_profiles(VS_PROF_MAX);
	expect_error(text, VS_PROF_MAX + 1, "too many profiles: 256, at most 255");
	free(text);
}
END_TEST

START_TEST(unreadable_file)
{
	char err[256];
	vs_profset_t *set;

	set = vs_prof_load(
			"/nonexistent/vostimer.profiles", NULL, err, sizeof(err));
	ck_assert_ptr_null(set);
	ck_assert_str_eq(err,
			"/nonexistent/vostimer.profiles: cannot read: No such "
			"file or directory");
	set = vs_prof_load("/tmp", NULL, err, sizeof(err));
	ck_assert_ptr_null(set);
	ck_assert_str_eq(err, "/tmp: cannot read: Is a directory");
	ck_assert_ptr_null(vs_prof_load(NULL, NULL, err, sizeof(err)));
	ck_assert_str_eq(err, "no profile file given");
}
END_TEST

START_TEST(error_in_included_file)
{
	char inc[64], main_text[128], path[64], err[512], want[96];
	vs_profset_t *set;

	write_tmp("send_retry = 3;\n\ntimeout_invite = \"x\";\n", inc);
	snprintf(main_text, sizeof(main_text), "defaults: {\n@include \"%s\"\n};\n",
			strrchr(inc, '/') + 1);
	set = load_text(main_text, path, err, sizeof(err));
	unlink(inc);
	ck_assert_ptr_null(set);
	snprintf(want, sizeof(want), "%s:3: timeout_invite \"x\"",
			strrchr(inc, '/') + 1);
	ck_assert_has(err, want);
}
END_TEST

/* ---- writing ---- */

START_TEST(write_value_as_libconfig)
{
	vs_values_t v;
	char buf[128];

	vs_values_vos_defaults(&v);
	v.t_trying_ms = 2500;
	v.budget_ms = 1;
	ck_assert_int_eq(
			vs_prof_write_value(&v, VS_K_RESEND, buf, sizeof(buf)), 23);
	ck_assert_str_eq(buf, "\"0.5,1,2,4,4,4,4,4,4,4\"");
	vs_prof_write_value(&v, VS_K_RETRY, buf, sizeof(buf));
	ck_assert_str_eq(buf, "10");
	vs_prof_write_value(&v, VS_K_T_INVITE, buf, sizeof(buf));
	ck_assert_str_eq(buf, "10");
	vs_prof_write_value(&v, VS_K_T_TRYING, buf, sizeof(buf));
	ck_assert_str_eq(buf, "2.5");
	vs_prof_write_value(&v, VS_K_BUDGET, buf, sizeof(buf));
	ck_assert_str_eq(buf, "0.001");
	vs_prof_write_value(&v, VS_K_SW_BUSY, buf, sizeof(buf));
	ck_assert_str_eq(buf, "true");
	vs_prof_write_value(&v, VS_K_SW_CONNECT, buf, sizeof(buf));
	ck_assert_str_eq(buf, "false");
	vs_prof_write_value(&v, VS_K_T_SP_SDP, buf, sizeof(buf));
	ck_assert_str_eq(buf, "120");
	ck_assert_int_eq(
			vs_prof_write_value(&v, VS_K_SW_CODES, buf, sizeof(buf)), 2);
	ck_assert_str_eq(buf, "\"\"");
	vs_codes_parse("503,404", -1, &v.stop_codes, buf, sizeof(buf));
	ck_assert_int_eq(
			vs_prof_write_value(&v, VS_K_SW_CODES, buf, sizeof(buf)), 9);
	ck_assert_str_eq(buf, "\"404,503\"");
	ck_assert_int_eq(vs_prof_write_value(&v, VS_K_SW_CODES, buf, 9), -1);
	ck_assert_int_eq(vs_prof_write_value(&v, VS_K_COUNT, buf, sizeof(buf)), -1);
	ck_assert_int_eq(vs_prof_write_value(&v, VS_K_RESEND, buf, 23), -1);
	ck_assert_int_eq(vs_prof_write_value(&v, VS_K_SW_SDP, buf, 4), -1);
}
END_TEST

static vs_profset_t *reload_written(const vs_profset_t *set, int first,
		int count, int flags, char *text, size_t textlen)
{
	char path[64], err[512];
	vs_base_t other;
	vs_profset_t *again;
	FILE *f;
	size_t n;
	int k;

	/* a different base: a written file must not depend on it */
	vs_values_vos_defaults(&other.v);
	other.v.send_retry = 99;
	other.v.t_ringing_ms = 1000;
	for(k = 0; k < VS_K_COUNT; k++)
		other.src[k] = "modparam";
	write_tmp("", path);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(vs_prof_write_file(f, set, first, count, flags), 0);
	fclose(f);
	f = fopen(path, "r");
	n = fread(text, 1, textlen - 1, f);
	text[n] = '\0';
	fclose(f);
	again = vs_prof_load(path, &other, err, sizeof(err));
	unlink(path);
	ck_assert_msg(again != NULL, "%s\n%s", err, text);
	return again;
}

START_TEST(write_file_round_trip)
{
	char path[64], err[256], text[8192];
	vs_profset_t *set, *again;
	int i;

	set = load_text("defaults: { timeout_ringing = 90; };\n"
					"profiles = (\n"
					"  { name = \"a\"; resend_interval = \"0.25,1.5\";"
					" switch_stop_codes = [503, 404];"
					" timeout_session_progress = 4.5; },\n"
					"  { name = \"b\"; extends = \"a\"; setup_budget = 12.345;"
					" switch_until_connect = true;"
					" timeout_session_progress_sdp = 0; }\n"
					");\n",
			path, err, sizeof(err));
	ck_assert_msg(set != NULL, "%s", err);

	again = reload_written(set, 0, -1, VS_PROF_WF_SRC, text, sizeof(text));
	ck_assert_int_eq(again->n, set->n);
	for(i = 0; i < set->n; i++) {
		ck_assert_str_eq(again->p[i].name, set->p[i].name);
		ck_assert_str_eq(again->p[i].extends, set->p[i].extends);
		ck_assert_int_eq(
				memcmp(&again->p[i].v, &set->p[i].v, sizeof(vs_values_t)), 0);
	}
	ck_assert_has(text, "# from extends a (");
	ck_assert_has(text, "# from modparam");
	ck_assert_has(text, "defaults: {");
	ck_assert_has(text, "  switch_stop_codes = \"\";");
	ck_assert_has(text, "    switch_stop_codes = \"404,503\";");
	ck_assert_has(text, "    timeout_session_progress = 4.5;");
	ck_assert_has(text, "    timeout_session_progress_sdp = 0;");
	codes_are(&again->p[2].v.stop_codes, "b reloaded", 2, 404, 503);
	free(again);

	/* b alone: its parent is not written, so neither is `extends` */
	again = reload_written(set, 2, 1, 0, text, sizeof(text));
	ck_assert_int_eq(again->n, 2);
	ck_assert_str_eq(again->p[1].name, "b");
	ck_assert_str_eq(again->p[1].extends, "");
	ck_assert_int_eq(
			memcmp(&again->p[1].v, &set->p[2].v, sizeof(vs_values_t)), 0);
	ck_assert_ptr_null(strstr(text, "defaults"));
	ck_assert_ptr_null(strstr(text, "extends"));
	ck_assert_ptr_null(strstr(text, "#"));
	free(again);

	ck_assert_int_eq(vs_prof_write_file(stdout, set, set->n + 1, 1, 0), -1);
	ck_assert_int_eq(vs_prof_write_file(NULL, set, 0, 1, 0), -1);
	free(set);
}
END_TEST

START_TEST(write_file_own_keys_only)
{
	char path[64], err[256], text[8192];
	vs_profset_t *set, *again;

	/* a gateway profile written with VS_PROF_WF_OWN holds only its own keys and
	 * inherits the defaults group's when loaded back */
	set = load_text("defaults: { timeout_trying = 5; timeout_ringing = 90; };\n"
					"profiles = ( { name = \"gw_x\"; timeout_trying = 3;"
					" switch_stop_codes = \"404\"; } );\n",
			path, err, sizeof(err));
	ck_assert_msg(set != NULL, "%s", err);
	again = reload_written(set, 0, -1, VS_PROF_WF_OWN, text, sizeof(text));
	ck_assert_has(text, "    timeout_trying = 3;");
	ck_assert_has(text, "    switch_stop_codes = \"404\";");
	ck_assert_has(text, "  timeout_invite = 10;"); /* defaults: every key */
	ck_assert_ptr_null(strstr(text, "    timeout_ringing"));
	ck_assert_ptr_null(strstr(text, "    timeout_invite"));
	ck_assert_uint_eq(
			again->p[1].own, (1u << VS_K_T_TRYING) | (1u << VS_K_SW_CODES));
	ck_assert_uint_eq(again->p[1].v.t_ringing_ms, 90000);
	ck_assert_int_eq(
			memcmp(&again->p[1].v, &set->p[1].v, sizeof(vs_values_t)), 0);
	free(again);
	free(set);
}
END_TEST

/* ---- the shipped file ---- */

START_TEST(shipped_profiles_load)
{
	static const struct
	{
		const char *name;
		unsigned int giveup_ms;
		int sends;
	} want[] = {{"standard", 31500, 10}, {"unstable-network", 55500, 10},
			{"fast-failover", 15500, 6}, {"high-reliability", 35000, 10},
			{"aggressive-retry", 23000, 10}, {"backup", 15500, 6},
			{"premium", 15500, 6}, {"capped-setup", 15500, 6}};
	vs_base_t b = test_base();
	char err[256], want_src[128];
	vs_profset_t *set = vs_prof_load(SHIPPED, &b, err, sizeof(err));
	const vs_profile_t *p;
	size_t i;

	ck_assert_msg(set != NULL, "%s", err);
	ck_assert_int_eq(set->n, 9);
	for(i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		p = must_find(set, want[i].name);
		ck_assert_int_eq(p->v.sched.n, want[i].sends);
		ck_assert_uint_eq(vs_sched_giveup(&p->v.sched), want[i].giveup_ms);
	}
	/* the defaults group is all comments: the base shows through */
	ck_assert_int_eq(memcmp(&set->p[0].v, &b.v, sizeof(b.v)), 0);
	p = must_find(set, "backup");
	ck_assert_str_eq(p->extends, "fast-failover");
	ck_assert_uint_eq(p->v.t_invite_ms, 4000);
	ck_assert_uint_lt(p->v.t_trying_ms, 20000);
	ck_assert_uint_lt(p->v.t_ringing_ms, 120000);
	snprintf(want_src, sizeof(want_src), "extends fast-failover (%s:", SHIPPED);
	ck_assert_has(p->src[VS_K_RESEND], want_src);
	ck_assert_uint_eq(must_find(set, "standard")->v.t_invite_ms, 0);
	/* the switch rules the demo's calls rely on (etc/dispatcher.list sets 1-6) */
	ck_assert_int_eq(p->v.sw_limit, 4);
	ck_assert_int_eq(p->v.sw_until_connect, 1);
	ck_assert_int_eq(must_find(set, "standard")->v.sw_until_connect, 0);
	p = must_find(set, "premium");
	ck_assert_int_eq(p->v.sw_limit, 2);
	ck_assert_uint_eq(p->v.t_invite_ms, 4000);
	p = must_find(set, "capped-setup");
	ck_assert_uint_eq(p->v.budget_ms, 6000);
	ck_assert_int_eq(p->v.sw_limit, 4);
	free(set);
}
END_TEST

static Suite *prof_suite(void)
{
	Suite *s = suite_create("prof");
	TCase *tc = tcase_create("model");

	tcase_add_test(tc, vos_defaults_are_spec_1);
	tcase_add_test(tc, key_names_and_lookup);
	tcase_add_test(tc, key_kinds_and_const_pointer);
	tcase_add_test(tc, from_base_is_one_defaults_profile);
	tcase_add_test(tc, find_by_name);
	tcase_add_test(tc, name_check);
	tcase_add_test(tc, codes_accepted);
	tcase_add_loop_test(tc, codes_refused, 0,
			(int)(sizeof(bad_codes) / sizeof(bad_codes[0])));
	tcase_add_test(tc, codes_format_and_has);
	tcase_add_test(tc, overlay_copies_the_masked_keys);
	tcase_add_test(tc, key_copy_one_key);
	suite_add_tcase(s, tc);

	tc = tcase_create("load");
	tcase_add_loop_test(tc, empty_file_gives_base, 0, 4);
	tcase_add_test(tc, null_base_is_vos3000);
	tcase_add_test(tc, precedence_multi_level);
	tcase_add_test(tc, extends_defaults_is_accepted);
	tcase_add_test(tc, every_key_and_type);
	tcase_add_loop_test(tc, float_seconds, 0, 8);
	tcase_add_test(tc, long_path_src_keeps_file_name);
	tcase_add_test(tc, new_keys_load);
	tcase_add_test(tc, own_masks);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_loop_test(tc, errors_name_file_and_line, 0,
			(int)(sizeof(bad) / sizeof(bad[0])));
	tcase_add_test(tc, duplicate_names_the_first);
	tcase_add_test(tc, profile_count_limit);
	tcase_add_test(tc, unreadable_file);
	tcase_add_test(tc, error_in_included_file);
	suite_add_tcase(s, tc);

	tc = tcase_create("write");
	tcase_add_test(tc, write_value_as_libconfig);
	tcase_add_test(tc, write_file_round_trip);
	tcase_add_test(tc, write_file_own_keys_only);
	tcase_add_test(tc, shipped_profiles_load);
	suite_add_tcase(s, tc);
	return s;
}

VS_UNIT_MAIN(prof_suite)
