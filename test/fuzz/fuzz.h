/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz.h: the one shared helper of the libFuzzer targets in test/fuzz/. An invariant
 * that does not hold aborts with a message: libFuzzer counts it as a finding and
 * keeps the input. */
#ifndef VS_FUZZ_H
#define VS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vs_prof.h"

#define FUZZ_CHECK(cond, ...)                                          \
	do {                                                               \
		if(!(cond)) {                                                  \
			fprintf(stderr, "%s:%d: invariant failed: %s: ", __FILE__, \
					__LINE__, #cond);                                  \
			fprintf(stderr, __VA_ARGS__);                              \
			fputc('\n', stderr);                                       \
			abort();                                                   \
		}                                                              \
	} while(0)

/* an error message must be set, terminated, and fit its buffer */
#define FUZZ_CHECK_ERR(err, errlen)                                       \
	FUZZ_CHECK((err)[0] != '\0' && memchr((err), '\0', (errlen)) != NULL, \
			"refused without a message")

/* data[0..size) as a NUL-terminated copy (the caller frees it) */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if(s == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* Every value of v within what the loader accepts; NULL, or which one is not. */
static inline const char *fuzz_values_bad(const vs_values_t *v)
{
	const unsigned int *ms[] = {&v->t_invite_ms, &v->t_trying_ms, &v->t_sp_ms,
			&v->t_sp_sdp_ms, &v->t_ringing_ms, &v->budget_ms};
	int i;

	if(v->sched.n < 1 || v->sched.n > VS_SCHED_MAX)
		return "resend_interval: count";
	for(i = 0; i < v->sched.n; i++)
		if(v->sched.gap_ms[i] < 1 || v->sched.gap_ms[i] > VS_SCHED_MAX_MS)
			return "resend_interval: an interval";
	if(v->send_retry < 0 || v->send_retry > VS_RETRY_MAX)
		return "send_retry";
	for(i = 0; i < (int)(sizeof(ms) / sizeof(ms[0])); i++)
		if(*ms[i] > VS_SECONDS_MAX_MS)
			return "a timeout";
	if(v->sw_limit < 0 || v->sw_limit > VS_SW_LIMIT_MAX)
		return "gateway_switch_limit";
	if((v->sw_stop_busy | v->sw_until_connect | v->sw_stop_sdp) & ~1)
		return "a switch";
	if(v->stop_codes.n > VS_CODES_MAX)
		return "switch_stop_codes: count";
	for(i = 0; i < v->stop_codes.n; i++)
		if(v->stop_codes.c[i] < 300 || v->stop_codes.c[i] > 699
				|| (i > 0 && v->stop_codes.c[i - 1] >= v->stop_codes.c[i]))
			return "switch_stop_codes: a code";
	return NULL;
}

/* a and b hold the same values (field by field: padding is no value) */
static inline int fuzz_values_eq(const vs_values_t *a, const vs_values_t *b)
{
	return a->sched.n == b->sched.n
		   && memcmp(a->sched.gap_ms, b->sched.gap_ms,
					  sizeof(a->sched.gap_ms[0]) * (size_t)a->sched.n)
					  == 0
		   && a->send_retry == b->send_retry && a->t_invite_ms == b->t_invite_ms
		   && a->t_trying_ms == b->t_trying_ms && a->t_sp_ms == b->t_sp_ms
		   && a->t_sp_sdp_ms == b->t_sp_sdp_ms
		   && a->t_ringing_ms == b->t_ringing_ms && a->budget_ms == b->budget_ms
		   && a->sw_limit == b->sw_limit && a->sw_stop_busy == b->sw_stop_busy
		   && a->sw_until_connect == b->sw_until_connect
		   && a->sw_stop_sdp == b->sw_stop_sdp
		   && a->stop_codes.n == b->stop_codes.n
		   && memcmp(a->stop_codes.c, b->stop_codes.c,
					  sizeof(a->stop_codes.c[0]) * a->stop_codes.n)
					  == 0;
}

#endif
