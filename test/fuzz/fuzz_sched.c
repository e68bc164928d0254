/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz_sched: vs_sched_parse and vs_seconds_parse (vs_sched.c). An accepted list has
 * 1..10 intervals of 1 ms..3600 s, formats into VS_SCHED_STRLEN and parses back to
 * the same list; an accepted duration is within its maximum and formats and parses
 * back to the same; the text with its length and as a C string give one answer. */
#include "fuzz.h"
#include "vs_sched.h"

static void sched(const uint8_t *data, size_t size)
{
	char err[VS_ERRLEN], buf[VS_SCHED_STRLEN], *s = fuzz_cstr(data, size);
	vs_sched_t a, b, c;
	int i, r, n;
	unsigned int sum = 0;

	memset(err, 0, sizeof(err));
	r = vs_sched_parse((const char *)data, (int)size, &a, err, sizeof(err));
	/* the C string stops at a NUL: the same answer when there is none */
	if(memchr(data, '\0', size) == NULL) {
		FUZZ_CHECK(vs_sched_parse(s, -1, &c, NULL, 0) == r,
				"length and strlen disagree");
		FUZZ_CHECK(r < 0
						   || memcmp(c.gap_ms, a.gap_ms, sizeof(unsigned) * a.n)
									  == 0,
				"length and strlen give different lists");
	}
	free(s);
	if(r < 0) {
		FUZZ_CHECK_ERR(err, sizeof(err));
		return;
	}
	FUZZ_CHECK(a.n >= 1 && a.n <= VS_SCHED_MAX, "n = %d", a.n);
	for(i = 0; i < a.n; i++) {
		FUZZ_CHECK(a.gap_ms[i] >= 1 && a.gap_ms[i] <= VS_SCHED_MAX_MS,
				"interval %d = %u ms", i + 1, a.gap_ms[i]);
		sum += a.gap_ms[i];
		FUZZ_CHECK(vs_sched_at(&a, i + 1) == sum, "S_%d", i + 1);
	}
	FUZZ_CHECK(vs_sched_giveup(&a) == sum, "give-up %u, sum %u",
			vs_sched_giveup(&a), sum);
	n = vs_sched_format(&a, buf, sizeof(buf));
	FUZZ_CHECK(n > 0 && n < (int)sizeof(buf) && (int)strlen(buf) == n,
			"format gave %d", n);
	FUZZ_CHECK(vs_sched_parse(buf, n, &b, err, sizeof(err)) == 0,
			"\"%s\" does not parse back: %s", buf, err);
	FUZZ_CHECK(
			b.n == a.n
					&& memcmp(b.gap_ms, a.gap_ms, sizeof(unsigned) * a.n) == 0,
			"\"%s\" parses back to another list", buf);
	vs_sched_cut(&b, (int)(size % 12) - 1);
	FUZZ_CHECK(b.n >= 1 && b.n <= a.n, "cut to %d of %d", b.n, a.n);
}

static void seconds(const uint8_t *data, size_t size)
{
	/* the first byte picks the maximum: the module's, or a smaller one */
	static const unsigned int max[] = {VS_SECONDS_MAX_MS, 0, 999, 1000, 60000};
	char err[VS_ERRLEN], buf[32];
	unsigned int lim, ms = 0, back = 0;
	int r, n;

	if(size == 0)
		return;
	lim = max[data[0] % (sizeof(max) / sizeof(max[0]))];
	memset(err, 0, sizeof(err));
	r = vs_seconds_parse(
			(const char *)data + 1, (int)size - 1, lim, &ms, err, sizeof(err));
	if(r < 0) {
		FUZZ_CHECK_ERR(err, sizeof(err));
		return;
	}
	FUZZ_CHECK(ms <= lim, "%u ms above %u", ms, lim);
	n = vs_seconds_format(ms, buf, sizeof(buf));
	FUZZ_CHECK(n > 0 && n < (int)sizeof(buf), "format gave %d", n);
	FUZZ_CHECK(vs_seconds_parse(buf, n, lim, &back, err, sizeof(err)) == 0
					   && back == ms,
			"\"%s\" does not parse back to %u ms", buf, ms);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if(size > 4096)
		return 0;
	sched(data, size);
	seconds(data, size);
	return 0;
}
