/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vs_sched: parses, checks and formats VOS3000 resend schedules and second
 * values (doc/user-guide.md §1), in integer milliseconds. Pure C99: no
 * Kamailio header, no floating point, no allocation. Errors come back as -1
 * plus a message naming value and place. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "vs_sched.h"

#define QUOTE_MAX 20 /* quote at most this many characters of a bad value */
#define QUOTE_BYTES (4 * QUOTE_MAX) /* their bytes in UTF-8, at most */
/* Integer seconds saturate here: far above any limit, and * 1000 fits 64 bits. */
#define SEC_CAP 1000000000ULL

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

int vs_err(char *err, int errlen, const char *fmt, ...)
{
	va_list ap;

	if(err == NULL || errlen <= 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(err, (size_t)errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* Bytes of the UTF-8 sequence a lead byte c starts (1 for ASCII); 0 for a byte that
 * cannot start one. */
static int seq_len(unsigned char c)
{
	if(c < 0x80)
		return 1;
	if(c >= 0xC2 && c <= 0xDF)
		return 2;
	if((c & 0xF0) == 0xE0)
		return 3;
	if(c >= 0xF0 && c <= 0xF4)
		return 4;
	return 0;
}

/* The whole UTF-8 character at p[i] (n bytes in all), or 0 when it is not one. */
static int utf8_char(const char *p, int n, int i)
{
	int k = seq_len((unsigned char)p[i]), j;

	if(k == 0 || i + k > n)
		return 0;
	for(j = 1; j < k; j++)
		if(((unsigned char)p[i + j] & 0xC0) != 0x80)
			return 0;
	return k;
}

/* Copy p[0..n) for a message: printable characters only (a whole UTF-8 character is
 * kept, a broken byte or a control becomes '?'), cut at QUOTE_MAX characters. */
static const char *quote(const char *p, int n, char *q)
{
	int i = 0, m = 0, chars = 0, k;

	while(i < n && chars < QUOTE_MAX) {
		k = utf8_char(p, n, i);
		if(k > 1 && m + k <= QUOTE_BYTES) {
			memcpy(q + m, p + i, (size_t)k);
			m += k;
			i += k;
		} else {
			q[m++] = (k == 1 && p[i] >= 0x20 && p[i] < 0x7f && p[i] != '"')
							 ? p[i]
							 : '?';
			i += k > 0 ? k : 1;
		}
		chars++;
	}
	if(i < n) {
		memcpy(q + m, "...", 3);
		m += 3;
	}
	q[m] = '\0';
	return q;
}

/* The 1-based character offset of byte b in s: what a message calls "offset". */
static int char_off(const char *s, int b)
{
	int i, n = 1;

	for(i = 0; i < b; i++)
		n += ((unsigned char)s[i] & 0xC0) != 0x80;
	return n;
}

/* Narrow [*b, *e) past the blanks at both ends. */
static void trim(const char *s, int *b, int *e)
{
	while(*b < *e && is_blank(s[*b]))
		(*b)++;
	while(*e > *b && is_blank(s[*e - 1]))
		(*e)--;
}

/* The text of an argument: its length (len < 0: strlen, NULL: empty) and the span
 * [*b, *e) left after trimming blanks at both ends. Returns the length. */
static int span(const char *s, int len, int *b, int *e)
{
	if(s == NULL)
		len = 0;
	else if(len < 0)
		len = (int)strlen(s);
	*b = 0;
	*e = len;
	if(s != NULL)
		trim(s, b, e);
	return len;
}

/* Why the text after a well-formed number prefix makes the token invalid. */
static const char *junk_reason(const char *p, int i, int scanned)
{
	if(is_blank(p[i]))
		return "space inside a number (missing comma?)";
	if(p[i] == 'e' || p[i] == 'E')
		return "not a number (no exponent allowed)";
	if((p[i] == 'x' || p[i] == 'X') && scanned == 1 && p[i - 1] == '0')
		return "not a number (no hexadecimal allowed)";
	return "trailing garbage after the number";
}

/* Read up to 3 decimals after the point at p[*i]; the point itself is at p[*i - 1]. */
static const char *scan_decimals(const char *p, int n, int *i, unsigned *frac)
{
	int nd = 0;

	if(*i >= n || !is_digit(p[*i]))
		return "not a number (digits must follow the point)";
	for(*frac = 0; *i < n && is_digit(p[*i]); (*i)++, nd++)
		if(nd < 3)
			*frac = *frac * 10 + (unsigned)(p[*i] - '0');
	if(nd > 3)
		return "more than 3 decimals (the limit is 1 ms)";
	for(; nd < 3; nd++)
		*frac *= 10;
	return NULL;
}

/* Scan a trimmed, non-empty token as digits[.ddd] seconds into *ms (saturating).
 * Returns NULL, or the reason it is not acceptable (sign, syntax, precision). */
static const char *scan_number(const char *p, int n, unsigned long long *ms)
{
	unsigned long long sec = 0;
	unsigned frac = 0;
	const char *why;
	int i = (p[0] == '-'), start = i;

	if(p[0] == '+')
		return "not a number (no sign allowed)";
	if(i >= n || !is_digit(p[i]))
		return "not a number";
	for(; i < n && is_digit(p[i]); i++)
		if(sec < SEC_CAP)
			sec = sec * 10 + (unsigned)(p[i] - '0');
	if(i < n && p[i] == '.') {
		i++;
		if((why = scan_decimals(p, n, &i, &frac)) != NULL)
			return why;
	}
	if(i < n)
		return junk_reason(p, i, i - start);
	if(start)
		return "negative";
	*ms = sec * 1000ULL + frac;
	return NULL;
}

/* Check one element s[b..e) (untrimmed) of a list; k is its 1-based index. */
static int parse_elem(const char *s, int b, int e, int k, unsigned *gap,
		char *err, int errlen)
{
	char q[QUOTE_BYTES + 4];
	unsigned long long ms = 0;
	const char *why;

	trim(s, &b, &e);
	if(b == e)
		return vs_err(err, errlen, "element %d at offset %d: empty element", k,
				char_off(s, b));
	if(k > VS_SCHED_MAX)
		return vs_err(err, errlen,
				"element %d at offset %d: more than %d intervals", k,
				char_off(s, b), VS_SCHED_MAX);
	why = scan_number(s + b, e - b, &ms);
	if(why == NULL && ms == 0)
		why = "zero (an interval must be above 0)";
	if(why == NULL && ms > VS_SCHED_MAX_MS)
		why = "above 3600 s";
	if(why != NULL)
		return vs_err(err, errlen, "element %d \"%s\" at offset %d: %s", k,
				quote(s + b, e - b, q), char_off(s, b), why);
	*gap = (unsigned)ms;
	return 0;
}

int vs_sched_parse(
		const char *s, int len, vs_sched_t *out, char *err, int errlen)
{
	vs_sched_t sch;
	int b, e, pos = 0;

	len = span(s, len, &b, &e);
	if(b == e)
		return vs_err(err, errlen, "element 1 at offset 1: empty list");
	for(sch.n = 0;; pos = e + 1) {
		for(e = pos; e < len && s[e] != ','; e++)
			;
		if(parse_elem(s, pos, e, sch.n + 1, &sch.gap_ms[sch.n], err, errlen)
				< 0)
			return -1;
		sch.n++;
		if(e >= len)
			break;
	}
	*out = sch;
	return 0;
}

/* Append ms as seconds, shortest decimals ("0.5", "4", "1.25"). */
static int put_seconds(unsigned ms, char *buf, int buflen)
{
	unsigned frac = ms % 1000;
	int n;

	if(frac == 0)
		n = snprintf(buf, (size_t)buflen, "%u", ms / 1000);
	else if(frac % 100 == 0)
		n = snprintf(buf, (size_t)buflen, "%u.%u", ms / 1000, frac / 100);
	else if(frac % 10 == 0)
		n = snprintf(buf, (size_t)buflen, "%u.%02u", ms / 1000, frac / 10);
	else
		n = snprintf(buf, (size_t)buflen, "%u.%03u", ms / 1000, frac);
	return (n < 0 || n >= buflen) ? -1 : n;
}

int vs_sched_format(const vs_sched_t *s, char *buf, int buflen)
{
	int i, n, len = 0;

	if(buf == NULL || buflen <= 0)
		return -1;
	buf[0] = '\0';
	for(i = 0; i < s->n; i++) {
		if(i > 0) {
			if(len + 1 >= buflen)
				return -1;
			buf[len++] = ',';
			buf[len] = '\0';
		}
		n = put_seconds(s->gap_ms[i], buf + len, buflen - len);
		if(n < 0)
			return -1;
		len += n;
	}
	return len;
}

void vs_sched_cut(vs_sched_t *s, int send_retry)
{
	if(send_retry >= 0 && send_retry + 1 < s->n)
		s->n = send_retry + 1;
}

unsigned int vs_sched_at(const vs_sched_t *s, int k)
{
	unsigned int t = 0;
	int i;

	if(k > s->n)
		k = s->n;
	for(i = 0; i < k; i++)
		t += s->gap_ms[i];
	return t;
}

unsigned int vs_sched_giveup(const vs_sched_t *s)
{
	return vs_sched_at(s, s->n);
}

int vs_seconds_parse(const char *s, int len, unsigned int max_ms,
		unsigned int *out_ms, char *err, int errlen)
{
	char q[QUOTE_BYTES + 4], mx[16];
	unsigned long long ms = 0;
	const char *why;
	int b, e;

	span(s, len, &b, &e);
	if(b == e)
		return vs_err(err, errlen, "value at offset 1: empty");
	why = scan_number(s + b, e - b, &ms);
	if(why == NULL && ms > max_ms) {
		put_seconds(max_ms, mx, sizeof(mx));
		return vs_err(err, errlen, "value \"%s\" at offset %d: above %s s",
				quote(s + b, e - b, q), char_off(s, b), mx);
	}
	if(why != NULL)
		return vs_err(err, errlen, "value \"%s\" at offset %d: %s",
				quote(s + b, e - b, q), char_off(s, b), why);
	*out_ms = (unsigned)ms;
	return 0;
}

int vs_seconds_format(unsigned int ms, char *buf, int buflen)
{
	if(buf == NULL || buflen <= 0)
		return -1;
	return put_seconds(ms, buf, buflen);
}
