/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vs_policy: the gateway-switch decision and its values' parsers (see vs_policy.h). */
#include <string.h>
#include <strings.h>

#include "vs_policy.h"

static const char *const stop_names[VS_STOP_COUNT] = {"", "canceled",
		"user_busy", "stop_code", "early_media", "ringing_reached", "switch_limit",
		"setup_budget"};

const char *vs_stop_name(int stop)
{
	return (stop >= 0 && stop < VS_STOP_COUNT) ? stop_names[stop] : "";
}

int vs_is_busy_code(int code)
{
	return code == 486 || code == 600;
}

int vs_failover_decide(const vs_values_t *r, const vs_call_state_t *s)
{
	if(s->canceled)
		return VS_STOP_CANCELED;
	if(r->sw_stop_busy && vs_is_busy_code(s->last_code))
		return VS_STOP_USER_BUSY;
	if(s->last_code && vs_codes_has(&r->stop_codes, s->last_code))
		return VS_STOP_CODE;
	if(r->sw_stop_sdp && s->early_media)
		return VS_STOP_EARLY_MEDIA;
	if(!r->sw_until_connect && s->rang)
		return VS_STOP_RINGING;
	if(r->sw_limit > 0 && s->attempts >= r->sw_limit)
		return VS_STOP_LIMIT;
	if(s->budget_spent)
		return VS_STOP_BUDGET;
	return VS_STOP_NONE;
}

/* s[0..n) without the blanks around it */
static void trim(const char **s, int *n)
{
	while(*n > 0 && (**s == ' ' || **s == '\t'))
		(*s)++, (*n)--;
	while(*n > 0 && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
}

static int word_is(const char *s, int n, const char *w)
{
	return (size_t)n == strlen(w) && strncasecmp(s, w, (size_t)n) == 0;
}

int vs_bool_parse(const char *s, int len, int *out, char *err, int errlen)
{
	static const char *const on[] = {"on", "true", "yes", "1"};
	static const char *const off[] = {"off", "false", "no", "0"};
	size_t i;
	int n = len < 0 ? (int)strlen(s) : len;

	trim(&s, &n);
	for(i = 0; i < sizeof(on) / sizeof(on[0]); i++) {
		if(word_is(s, n, on[i]))
			return *out = 1, 0;
		if(word_is(s, n, off[i]))
			return *out = 0, 0;
	}
	return vs_err(err, errlen, "not On/Off, true/false, yes/no or 1/0");
}

int vs_limit_parse(const char *s, int len, int *out, char *err, int errlen)
{
	int n = len < 0 ? (int)strlen(s) : len, i;
	long x = 0;

	trim(&s, &n);
	if(word_is(s, n, "none") || word_is(s, n, "unlimited"))
		return *out = 0, 0;
	if(n == 0)
		return vs_err(err, errlen, "empty: not a whole number 0..%d or None",
				VS_SW_LIMIT_MAX);
	for(i = 0; i < n; i++) {
		if(s[i] < '0' || s[i] > '9')
			return vs_err(err, errlen, "not a whole number 0..%d or None",
					VS_SW_LIMIT_MAX);
		if((x = x * 10 + (s[i] - '0')) > VS_SW_LIMIT_MAX)
			return vs_err(err, errlen, "above %d", VS_SW_LIMIT_MAX);
	}
	*out = (int)x;
	return 0;
}

int vs_rule_parse(
		int key, const char *s, int len, int *out, char *err, int errlen)
{
	return key == VS_K_SW_LIMIT ? vs_limit_parse(s, len, out, err, errlen)
								: vs_bool_parse(s, len, out, err, errlen);
}
