/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vs_sched: the VOS3000 resend schedule and second values, as pure maths.
 * Parses, validates and formats an SS_SIP_RESEND_INTERVAL list and stage
 * timeouts (doc/user-guide.md §1), in integer milliseconds. No Kamailio header
 * here: unit-tested alone. */
#ifndef VS_SCHED_H
#define VS_SCHED_H

#define VS_SCHED_MAX 10			 /* at most 10 intervals */
#define VS_SCHED_MAX_MS 3600000u /* one interval: 0 < d <= 3600 s */
#define VS_SECONDS_MAX_MS \
	3600000u /* a stage timeout or budget: 0 <= t <= 3600 s */
#define VS_SCHED_DEFAULT "0.5,1,2,4,4,4,4,4,4,4"
#define VS_SCHED_STRLEN 96 /* enough for the longest formatted list */
#define VS_ERRLEN 160

typedef struct vs_sched
{
	int n;							   /* intervals in force, 1..10 */
	unsigned int gap_ms[VS_SCHED_MAX]; /* d1..dn */
} vs_sched_t;

/* Parse a VOS list ("0.5,1,2" - spaces around commas tolerated). len < 0: use
 * strlen. On error returns -1 and writes into err a message naming the value and
 * the 1-based position (element index and character offset) of the fault. */
int vs_sched_parse(
		const char *s, int len, vs_sched_t *out, char *err, int errlen);

/* Format as VOS writes it, shortest decimals ("0.5,1,2,4"). Returns length. */
int vs_sched_format(const vs_sched_t *s, char *buf, int buflen);

/* send_retry R: at most R retransmissions, so keep the first R+1 intervals.
 * R < 0 means no cut. */
void vs_sched_cut(vs_sched_t *s, int send_retry);

/* S_k = d1+..+dk; S_0 = 0 (the first send). Valid for 0 <= k <= n. */
unsigned int vs_sched_at(const vs_sched_t *s, int k);

/* S_n: the give-up instant, ms after the first send. */
unsigned int vs_sched_giveup(const vs_sched_t *s);

/* Parse a duration in seconds, decimals allowed up to 3 ("10", "2.5", "0"),
 * 0 <= value <= max_ms. len < 0: use strlen. -1 and a message on error. */
int vs_seconds_parse(const char *s, int len, unsigned int max_ms,
		unsigned int *out_ms, char *err, int errlen);

/* Format milliseconds as seconds with the shortest decimals ("2.5", "10"). */
int vs_seconds_format(unsigned int ms, char *buf, int buflen);

/* Write a formatted message into err (if any room); always returns -1, so that
 * the pure files can `return vs_err(err, errlen, "...", ...)`. */
int vs_err(char *err, int errlen, const char *fmt, ...)
		__attribute__((format(printf, 3, 4)));

#endif
