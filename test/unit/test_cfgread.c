/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_cfgread: reading a profile file (vs_cfgread.c, through vs_prof_load): anything
 * but a regular file refused, as the file or in an @include at any depth, promptly
 * and naming file and line; a syntax error at a string reported as libconfig reports
 * it, an earlier error still first; and no failed parse losing memory (libconfig 1.5
 * loses the offending string's buffer when it meets such an error itself). */
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"
#include "vs_cfgread.h"
#include "vs_prof.h"

static char dir[64];

/* a fresh directory for each test, removed with what it holds. A load that blocks
 * (a FIFO opened by libconfig) ends the process after 10 s: Check's own timeout
 * does not apply when it runs the tests without forking (CK_FORK=no), and its
 * SIGALRM handler then does nothing. */
static void setup(void)
{
	signal(SIGALRM, SIG_DFL);
	alarm(10);
	strcpy(dir, "/tmp/vs_cfgread_XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[96];

	alarm(0);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if(system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
}

/* dir/name, written with text; the path goes to path (128 bytes) */
static void put(const char *name, const char *text, char *path)
{
	FILE *f;

	snprintf(path, 128, "%s/%s", dir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fputs(text, f) >= 0, 1);
	ck_assert_int_eq(fclose(f), 0);
}

/* loading path fails with exactly want ("%s" in want stands for dir) */
static void refused(const char *path, const char *want_fmt)
{
	char err[512], want[512];
	vs_profset_t *set = vs_prof_load(path, NULL, err, sizeof(err));

	if(set != NULL)
		free(set);
	ck_assert_msg(set == NULL, "%s loaded, expected an error", path);
	snprintf(want, sizeof(want), want_fmt, dir);
	ck_assert_str_eq(err, want);
}

/* ---- regular files only ---- */

/* What an @include may name instead of a file. Before vs_cfgread, libconfig opened
 * each: the FIFO blocked until a writer came (this test then times out), the
 * directory made flex exit the process ("input in flex scanner failed"). */
static const struct
{
	const char *name; /* as the @include line writes it */
	const char *kind;
} odd[] = {
		{"fifo", "not a regular file (a FIFO)"},
		{"subdir", "Is a directory"},
		{"../../dev/zero", "not a regular file (a character device)"},
		{"../../dev/null", "not a regular file (a character device)"},
		{"missing.cfg", "No such file or directory"},
};

static void make_odd(void)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/fifo", dir);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	snprintf(path, sizeof(path), "%s/subdir", dir);
	ck_assert_int_eq(mkdir(path, 0700), 0);
}

START_TEST(include_of_a_non_file_refused)
{
	char text[128], path[128], want[256];

	make_odd();
	snprintf(text, sizeof(text),
			"defaults: {\n  send_retry = 3;\n@include \"%s\"\n};\n",
			odd[_i].name);
	put("main.profiles", text, path);
	snprintf(want, sizeof(want),
			"%%s/main.profiles:3: cannot open include file \"%s\": %s",
			odd[_i].name, odd[_i].kind);
	refused(path, want);
}
END_TEST

START_TEST(include_two_levels_down_refused)
{
	char path[128];

	make_odd();
	put("inner.cfg", "send_retry = 3;\n\n@include \"fifo\"\n", path);
	put("outer.cfg", "# outer\n@include \"inner.cfg\"\n", path);
	put("main.profiles", "defaults: {\n@include \"outer.cfg\"\n};\n", path);
	refused(path,
			"inner.cfg:3: cannot open include file \"fifo\": not a regular file"
			" (a FIFO)");
}
END_TEST

START_TEST(the_file_itself_must_be_regular)
{
	char path[128];

	make_odd();
	snprintf(path, sizeof(path), "%s/fifo", dir);
	refused(path, "%s/fifo: cannot read: not a regular file (a FIFO)");
	refused("/dev/zero",
			"/dev/zero: cannot read: not a regular file (a character device)");
}
END_TEST

/* an @include inside a comment or a string is text, not an include */
START_TEST(include_words_in_comments_and_strings)
{
	char path[128], err[256];
	vs_profset_t *set;

	make_odd();
	put("main.profiles",
			"/*\n@include \"fifo\"\n*/\n# @include \"fifo\"\n"
			"profiles = ( { name = \"a\"; resend_interval = \"1,\n"
			"@include \\\"fifo\\\"\"; } );\n",
			path);
	set = vs_prof_load(path, NULL, err, sizeof(err));
	/* the string is no schedule: refused by the loader, after libconfig read it */
	ck_assert_ptr_null(set);
	ck_assert_has(err, "main.profiles:5: resend_interval");
}
END_TEST

START_TEST(self_include_too_deep)
{
	char path[128];

	put("main.profiles", "@include \"main.profiles\"\n", path);
	refused(path, "main.profiles:1: include file nesting too deep");
}
END_TEST

/* ---- syntax errors at a string ---- */

static const struct
{
	const char *text;
	int line;
	const char *why; /* libconfig's own words */
} at_string[] = {
		/* the string is the offending token */
		{"\"x\" = 1;\n", 1, "syntax error"},
		{"defaults: {\n  send_retry = 3 \"abc\";\n};\n", 2, "syntax error"},
		{"defaults: { send_retry = 3, \"x\" };\n", 1, "syntax error"},
		{"defaults: { send_retry \"x\"; };\n", 1, "syntax error"},
		{"profiles = ( { name = \"a\"; } \"b\" );\n", 1, "syntax error"},
		{"a = [1, 2 \"x\"];\n", 1, "syntax error"},
		{"defaults: {\n}\n\"a\nb\" = 1;\n", 4,
				"syntax error"}, /* its closing line */
		/* an error before the string comes first */
		{"defaults: { send_retry = 3 4; };\n\"x\";\n", 1, "syntax error"},
		{"a = [1, \"x\"];\nb \"y\";\n", 1, "mismatched element type in array"},
		{"a = 1;\na \"x\";\n", 2, "duplicate setting name"},
		/* strings where libconfig takes them are no error of the scan */
		{"a = [\"x\", \"y\" \"z\"];\nb = (\"x\", 1, [\"y\"]);\nc : \"d\";\n", 1,
				"unknown key \"a\" at top level"},
};

START_TEST(syntax_error_at_a_string)
{
	char path[128], want[256], err[512];
	vs_profset_t *set;

	put("main.profiles", at_string[_i].text, path);
	set = vs_prof_load(path, NULL, err, sizeof(err));
	ck_assert_ptr_null(set);
	snprintf(want, sizeof(want), "%s:%d: %s", path, at_string[_i].line,
			at_string[_i].why);
	ck_assert_msg(strncmp(err, want, strlen(want)) == 0,
			"row %d: \"%s\", expected \"%s\"", _i, err, want);
}
END_TEST

START_TEST(syntax_error_at_a_string_in_an_include)
{
	char path[128];

	put("inc.cfg", "send_retry = 3;\ntimeout_invite 2 \"s\";\n", path);
	put("main.profiles", "defaults: {\n@include \"inc.cfg\"\n};\n", path);
	refused(path, "inc.cfg:2: syntax error");
}
END_TEST

START_TEST(nesting_beyond_libconfig_refused)
{
	char path[128];
	char *text = malloc(2 * 4100 + 16);
	int i, n = 0;

	ck_assert_ptr_nonnull(text);
	n += sprintf(text, "a = ");
	for(i = 0; i < 4100; i++)
		text[n++] = '(';
	text[n++] = '\0';
	put("main.profiles", text, path);
	free(text);
	refused(path, "%s/main.profiles:1: memory exhausted");
}
END_TEST

/* ---- no memory lost ---- */

#define NROWS ((int)(sizeof(at_string) / sizeof(at_string[0])))

/* Every broken file of at_string[], a long string token, one in an include, loaded 200 times: not a byte more in
 * use afterwards. libconfig 1.5 alone loses the string token's buffer each time
 * (64 bytes, 1088 for the long one). Under AddressSanitizer mallinfo2() counts
 * nothing: there LeakSanitizer checks the same at exit of each test's process. */
START_TEST(failed_loads_lose_nothing)
{
	char path[128], inc[128], err[512], big[1200];
	size_t before, after;
	int i;

	put("inc.cfg", "send_retry = 3 \"s\";\n", inc);
	if(_i < NROWS)
		put("main.profiles", at_string[_i].text, path);
	else if(_i == NROWS) {
		memset(big, 'x', sizeof(big));
		memcpy(big, "x = 1 \"", 7);
		memcpy(big + sizeof(big) - 4, "\";\n", 4);
		put("main.profiles", big, path);
	} else
		put("main.profiles", "defaults: {\n@include \"inc.cfg\"\n};\n", path);
	for(i = 0; i < 20; i++) /* libc's and libconfig's caches settle */
		ck_assert_ptr_null(vs_prof_load(path, NULL, err, sizeof(err)));
	before = mallinfo2().uordblks;
	for(i = 0; i < 200; i++)
		ck_assert_ptr_null(vs_prof_load(path, NULL, err, sizeof(err)));
	after = mallinfo2().uordblks;
	/* a chunk's size may vary by a few bytes as malloc splits its free space:
	 * a leak per load shows as 200 x 64 bytes at least */
	ck_assert_msg(after < before + 1024, "%s: %zu bytes lost in 200 loads", err,
			after - before);
}
END_TEST

static Suite *cfgread_suite(void)
{
	Suite *s = suite_create("cfgread");
	TCase *tc = tcase_create("files");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(
			tc, include_of_a_non_file_refused, 0, sizeof(odd) / sizeof(odd[0]));
	tcase_add_test(tc, include_two_levels_down_refused);
	tcase_add_test(tc, the_file_itself_must_be_regular);
	tcase_add_test(tc, include_words_in_comments_and_strings);
	tcase_add_test(tc, self_include_too_deep);
	suite_add_tcase(s, tc);

	tc = tcase_create("syntax");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, syntax_error_at_a_string, 0,
			sizeof(at_string) / sizeof(at_string[0]));
	tcase_add_test(tc, syntax_error_at_a_string_in_an_include);
	tcase_add_test(tc, nesting_beyond_libconfig_refused);
	tcase_add_loop_test(tc, failed_loads_lose_nothing, 0, NROWS + 2);
	suite_add_tcase(s, tc);
	return s;
}

VS_UNIT_MAIN(cfgread_suite)
