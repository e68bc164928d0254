/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz_rules: the gateway-switch rules' values (vs_policy.c) - vs_bool_parse,
 * vs_limit_parse and vs_rule_parse - against the rule they are written to: a switch
 * is one of on/true/yes/1 or off/false/no/0 in any case, blanks around; a limit a
 * whole number 0..100 or none/unlimited. Whatever is accepted reads back the same. */
#include <strings.h>

#include "fuzz.h"
#include "vs_policy.h"

/* data[0..size) without the blanks around it */
static void trim(const uint8_t **s, size_t *n)
{
	while(*n > 0 && ((*s)[0] == ' ' || (*s)[0] == '\t'))
		(*s)++, (*n)--;
	while(*n > 0 && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
}

static int is(const uint8_t *s, size_t n, const char *w)
{
	return n == strlen(w) && strncasecmp((const char *)s, w, n) == 0;
}

/* the reference: -1 refused, else the value */
static int ref_bool(const uint8_t *s, size_t n)
{
	trim(&s, &n);
	if(is(s, n, "on") || is(s, n, "true") || is(s, n, "yes") || is(s, n, "1"))
		return 1;
	if(is(s, n, "off") || is(s, n, "false") || is(s, n, "no") || is(s, n, "0"))
		return 0;
	return -1;
}

static int ref_limit(const uint8_t *s, size_t n)
{
	long x = 0;
	size_t i;

	trim(&s, &n);
	if(is(s, n, "none") || is(s, n, "unlimited"))
		return 0;
	if(n == 0)
		return -1;
	for(i = 0; i < n; i++) {
		if(s[i] < '0' || s[i] > '9')
			return -1;
		if((x = x * 10 + (s[i] - '0')) > VS_SW_LIMIT_MAX)
			return -1;
	}
	return (int)x;
}

static void one(int key, const uint8_t *data, size_t size, int want)
{
	char err[VS_ERRLEN], buf[16];
	int out = -7, back = -7, r;

	memset(err, 0, sizeof(err));
	r = vs_rule_parse(
			key, (const char *)data, (int)size, &out, err, sizeof(err));
	FUZZ_CHECK((r == 0) == (want >= 0), "key %d: parser %d, rule %d", key, r,
			want);
	if(r < 0) {
		FUZZ_CHECK_ERR(err, sizeof(err));
		return;
	}
	FUZZ_CHECK(out == want, "key %d: %d, expected %d", key, out, want);
	snprintf(buf, sizeof(buf), "%d", out);
	FUZZ_CHECK(vs_rule_parse(key, buf, -1, &back, err, sizeof(err)) == 0
					   && back == out,
			"key %d: \"%s\" does not read back", key, buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int b, l, out = -7;

	if(size > 4096)
		return 0;
	b = ref_bool(data, size);
	l = ref_limit(data, size);
	one(VS_K_SW_BUSY, data, size, b);
	one(VS_K_SW_CONNECT, data, size, b);
	one(VS_K_SW_SDP, data, size, b);
	one(VS_K_SW_LIMIT, data, size, l);
	FUZZ_CHECK(
			(vs_bool_parse((const char *)data, (int)size, &out, NULL, 0) == 0)
					== (b >= 0),
			"vs_bool_parse without a buffer");
	FUZZ_CHECK(
			(vs_limit_parse((const char *)data, (int)size, &out, NULL, 0) == 0)
					== (l >= 0),
			"vs_limit_parse without a buffer");
	return 0;
}
