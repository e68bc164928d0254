/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz_codes: the short values of a profile (vs_prof.c) - vs_codes_parse,
 * vs_prof_name_check and vs_key_find. An accepted code list holds at most 16 codes,
 * sorted without duplicates, each 300..699, every code of the text among them; it
 * formats and parses back to the same list. An accepted name is 1..63 characters of
 * [A-Za-z0-9_.-]; a refused one is not. vs_key_find finds only the key names. */
#include "fuzz.h"
#include "vs_prof.h"

static void codes(const uint8_t *data, size_t size)
{
	char err[VS_ERRLEN], buf[8 * VS_CODES_MAX + 8];
	vs_codes_t a, b;
	int i, n;

	memset(err, 0, sizeof(err));
	if(vs_codes_parse((const char *)data, (int)size, &a, err, sizeof(err))
			< 0) {
		FUZZ_CHECK_ERR(err, sizeof(err));
		return;
	}
	FUZZ_CHECK(a.n <= VS_CODES_MAX, "%u codes", a.n);
	for(i = 0; i < a.n; i++) {
		FUZZ_CHECK(a.c[i] >= 300 && a.c[i] <= 699, "code %u", a.c[i]);
		FUZZ_CHECK(i == 0 || a.c[i - 1] < a.c[i], "not sorted at %d", i);
		FUZZ_CHECK(vs_codes_has(&a, a.c[i]), "%u not found", a.c[i]);
	}
	/* every whole number of the text is one of the codes */
	for(i = 0; i < (int)size; i++) {
		int code = 0, j = i;

		if(data[i] < '0' || data[i] > '9'
				|| (i > 0 && data[i - 1] >= '0' && data[i - 1] <= '9'))
			continue;
		while(j < (int)size && data[j] >= '0' && data[j] <= '9' && j - i < 6)
			code = code * 10 + (data[j++] - '0');
		FUZZ_CHECK(vs_codes_has(&a, code), "%d of the text is not in the list",
				code);
	}
	n = vs_codes_format(&a, buf, sizeof(buf));
	FUZZ_CHECK(n == (int)strlen(buf), "format gave %d", n);
	FUZZ_CHECK(vs_codes_parse(buf, n, &b, err, sizeof(err)) == 0,
			"\"%s\" does not parse back: %s", buf, err);
	FUZZ_CHECK(b.n == a.n && memcmp(b.c, a.c, sizeof(a.c[0]) * a.n) == 0,
			"\"%s\" parses back to another list", buf);
}

static int name_char(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
		   || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

static void name(const uint8_t *data, size_t size)
{
	char err[VS_ERRLEN];
	size_t i;
	int want = size >= 1 && size < VS_PROF_NAMELEN, got, k;

	for(i = 0; i < size && want; i++)
		want = name_char(data[i]);
	memset(err, 0, sizeof(err));
	got = vs_prof_name_check((const char *)data, (int)size, err, sizeof(err))
		  == 0;
	FUZZ_CHECK(got == want, "name check says %d, the rule %d", got, want);
	if(!got)
		FUZZ_CHECK_ERR(err, sizeof(err));
	k = vs_key_find((const char *)data, (int)size);
	FUZZ_CHECK(k == -1
					   || (k >= 0 && k < VS_K_COUNT
							   && strlen(vs_key_name(k)) == size
							   && memcmp(vs_key_name(k), data, size) == 0),
			"vs_key_find gave %d", k);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if(size > 4096)
		return 0;
	codes(data, size);
	name(data, size);
	return 0;
}
