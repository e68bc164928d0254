/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vg_json: reads VOS3000's GetGatewayRouting response as saved - {"retCode": 0,
 * "infoGatewayRoutings": [ {...}, ... ]} or the bare array - into one record per
 * gateway. A small strict JSON reader (RFC 8259): errors give line and column in
 * characters. Nested values inside a gateway are kept as text and reported as not
 * mapped. Pure: libc only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "vg.h"
#include "vs_sched.h"

#define DEPTH_MAX 64

typedef struct js
{
	const char *s;
	size_t n, i;
	const char *origin;
	char *err;
	int errlen;
	char *sb; /* the last string read, unescaped */
	size_t sblen, sbcap;
} js_t;

/* line:column of byte i, both 1-based, the column in characters */
static void pos_of(const js_t *j, size_t i, int *line, int *col)
{
	size_t k;

	*line = 1, *col = 1;
	for(k = 0; k < i && k < j->n; k++) {
		if(j->s[k] == '\n')
			(*line)++, *col = 1;
		else if(((unsigned char)j->s[k] & 0xC0) != 0x80)
			(*col)++;
	}
}

static int fail(js_t *j, const char *why)
{
	int line, col;

	pos_of(j, j->i, &line, &col);
	return vs_err(j->err, j->errlen, "%s:%d:%d: %s", j->origin, line, col, why);
}

static void ws(js_t *j)
{
	while(j->i < j->n
			&& (j->s[j->i] == ' ' || j->s[j->i] == '\t' || j->s[j->i] == '\n'
					|| j->s[j->i] == '\r'))
		j->i++;
}

static int sb_put(js_t *j, const char *p, size_t k)
{
	char *nb;

	if(j->sblen + k + 1 > j->sbcap) {
		nb = realloc(j->sb, (j->sbcap + k + 1) * 2);
		if(nb == NULL)
			return -1;
		j->sb = nb;
		j->sbcap = (j->sbcap + k + 1) * 2;
	}
	memcpy(j->sb + j->sblen, p, k);
	j->sblen += k;
	j->sb[j->sblen] = '\0';
	return 0;
}

static int hex4(js_t *j, unsigned *cp)
{
	int k;
	char c;

	*cp = 0;
	for(k = 0; k < 4; k++) {
		c = j->i + k < j->n ? j->s[j->i + k] : 0;
		*cp <<= 4;
		if(c >= '0' && c <= '9')
			*cp |= (unsigned)(c - '0');
		else if((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			*cp |= (unsigned)((c | 0x20) - 'a' + 10);
		else
			return fail(j, "\\u must be followed by 4 hex digits");
	}
	j->i += 4;
	return 0;
}

static int put_cp(js_t *j, unsigned cp)
{
	char u[4];
	size_t k;

	if(cp < 0x80)
		u[0] = (char)cp, k = 1;
	else if(cp < 0x800)
		u[0] = (char)(0xC0 | (cp >> 6)), u[1] = (char)(0x80 | (cp & 0x3F)),
		k = 2;
	else if(cp < 0x10000)
		u[0] = (char)(0xE0 | (cp >> 12)),
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F)),
		u[2] = (char)(0x80 | (cp & 0x3F)), k = 3;
	else
		u[0] = (char)(0xF0 | (cp >> 18)),
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F)),
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F)),
		u[3] = (char)(0x80 | (cp & 0x3F)), k = 4;
	return sb_put(j, u, k);
}

static int escape(js_t *j)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *e;
	unsigned cp, lo;

	if(j->i >= j->n)
		return fail(j, "unterminated string");
	if((e = strchr(from, j->s[j->i])) != NULL && *e) {
		j->i++;
		return sb_put(j, &to[e - from], 1);
	}
	if(j->s[j->i] != 'u')
		return fail(j, "unknown escape in a string");
	j->i++;
	if(hex4(j, &cp) < 0)
		return -1;
	if(cp >= 0xD800 && cp <= 0xDBFF) {
		if(j->i + 1 >= j->n || j->s[j->i] != '\\' || j->s[j->i + 1] != 'u')
			return fail(j, "a \\u surrogate without its pair");
		j->i += 2;
		if(hex4(j, &lo) < 0)
			return -1;
		if(lo < 0xDC00 || lo > 0xDFFF)
			return fail(j, "a \\u surrogate without its pair");
		cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
	} else if(cp >= 0xDC00 && cp <= 0xDFFF) {
		return fail(j, "a \\u surrogate without its pair");
	}
	return put_cp(j, cp);
}

/* A string at j->s[j->i] == '"' into j->sb. */
static int string(js_t *j)
{
	unsigned char c;

	j->i++;
	j->sblen = 0;
	if(sb_put(j, "", 0) < 0)
		return vs_err(j->err, j->errlen, "out of memory");
	while(j->i < j->n) {
		c = (unsigned char)j->s[j->i];
		if(c == '"') {
			j->i++;
			return 0;
		}
		if(c < 0x20)
			return fail(j, "control character inside a string");
		if(c == '\\') {
			j->i++;
			if(escape(j) < 0)
				return -1;
			continue;
		}
		if(sb_put(j, (const char *)&c, 1) < 0)
			return vs_err(j->err, j->errlen, "out of memory");
		j->i++;
	}
	return fail(j, "unterminated string");
}

static int number(js_t *j, size_t *b)
{
	size_t i = j->i;
	const char *s = j->s;

	*b = i;
	if(i < j->n && s[i] == '-')
		i++;
	if(i >= j->n || s[i] < '0' || s[i] > '9')
		return fail(j, "not a JSON value");
	while(i < j->n && s[i] >= '0' && s[i] <= '9')
		i++;
	if(i < j->n && s[i] == '.') {
		for(i++; i < j->n && s[i] >= '0' && s[i] <= '9'; i++)
			;
	}
	if(i < j->n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if(i < j->n && (s[i] == '+' || s[i] == '-'))
			i++;
		while(i < j->n && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	j->i = i;
	return 0;
}

static int word(js_t *j, const char *w)
{
	size_t k = strlen(w);

	if(j->n - j->i < k || memcmp(j->s + j->i, w, k) != 0)
		return fail(j, "not a JSON value");
	j->i += k;
	return 0;
}

static int skip_value(js_t *j, int depth);

static int skip_container(js_t *j, char close, int depth)
{
	int first = 1;

	if(depth > DEPTH_MAX)
		return fail(j, "nested too deep");
	j->i++;
	for(;;) {
		ws(j);
		if(j->i < j->n && j->s[j->i] == close && first) {
			j->i++;
			return 0;
		}
		if(close == '}') {
			if(j->i >= j->n || j->s[j->i] != '"')
				return fail(j, "expected a member name in quotes");
			if(string(j) < 0)
				return -1;
			ws(j);
			if(j->i >= j->n || j->s[j->i] != ':')
				return fail(j, "expected ':' after the member name");
			j->i++;
		}
		if(skip_value(j, depth + 1) < 0)
			return -1;
		ws(j);
		first = 0;
		if(j->i < j->n && j->s[j->i] == ',') {
			j->i++;
			continue;
		}
		if(j->i < j->n && j->s[j->i] == close) {
			j->i++;
			return 0;
		}
		return fail(j,
				close == '}' ? "expected ',' or '}'" : "expected ',' or ']'");
	}
}

/* Any value: its kind, and its text in [*b, j->i) (strings: unescaped in j->sb). */
static int value(js_t *j, int depth, int *kind, size_t *b)
{
	char c;

	ws(j);
	if(j->i >= j->n)
		return fail(j, "unexpected end of the text");
	c = j->s[j->i];
	*b = j->i;
	switch(c) {
		case '"':
			*kind = VG_STR;
			return string(j);
		case '{':
		case '[':
			*kind = VG_NESTED;
			return skip_container(j, c == '{' ? '}' : ']', depth);
		case 't':
			*kind = VG_BOOL;
			return word(j, "true");
		case 'f':
			*kind = VG_BOOL;
			return word(j, "false");
		case 'n':
			*kind = VG_NULL;
			return word(j, "null");
	}
	*kind = VG_NUM;
	return number(j, b);
}

static int skip_value(js_t *j, int depth)
{
	size_t b;
	int kind;

	return value(j, depth, &kind, &b);
}

/* One InfoGatewayRouting object into a new record. */
static int gateway(js_t *j, vg_recs_t *out)
{
	int line, col, kind, first = 1, rc;
	size_t b;
	char *name;
	vg_rec_t *r;

	pos_of(j, j->i, &line, &col);
	if(j->s[j->i] != '{')
		return fail(j, "expected a gateway object { ... } in the list");
	if((r = vg_recs_new(out, "%s:%d:%d", j->origin, line, col)) == NULL)
		return vs_err(j->err, j->errlen, "out of memory");
	j->i++;
	for(;;) {
		ws(j);
		if(first && j->i < j->n && j->s[j->i] == '}') {
			j->i++;
			return 0;
		}
		if(j->i >= j->n || j->s[j->i] != '"')
			return fail(j, "expected a member name in quotes");
		if(string(j) < 0)
			return -1;
		if((name = strdup(j->sb)) == NULL)
			return vs_err(j->err, j->errlen, "out of memory");
		ws(j);
		if(j->i >= j->n || j->s[j->i] != ':') {
			free(name);
			return fail(j, "expected ':' after the member name");
		}
		j->i++;
		if(value(j, 1, &kind, &b) < 0) {
			free(name);
			return -1;
		}
		rc = kind == VG_STR
					 ? vg_rec_add(r, name, -1, j->sb, (int)j->sblen, kind)
			 : kind == VG_NULL
					 ? vg_rec_add(r, name, -1, "", 0, kind)
					 : vg_rec_add(r, name, -1, j->s + b, (int)(j->i - b), kind);
		free(name);
		if(rc < 0)
			return vs_err(j->err, j->errlen, "out of memory");
		ws(j);
		first = 0;
		if(j->i < j->n && j->s[j->i] == ',') {
			j->i++;
			continue;
		}
		if(j->i < j->n && j->s[j->i] == '}') {
			j->i++;
			return 0;
		}
		return fail(j, "expected ',' or '}'");
	}
}

static int gateway_list(js_t *j, vg_recs_t *out)
{
	int first = 1;

	ws(j);
	if(j->i >= j->n || j->s[j->i] != '[')
		return fail(j, "infoGatewayRoutings: expected a list [ ... ]");
	j->i++;
	for(;;) {
		ws(j);
		if(first && j->i < j->n && j->s[j->i] == ']') {
			j->i++;
			return 0;
		}
		if(j->i >= j->n)
			return fail(j, "unexpected end of the text");
		if(gateway(j, out) < 0)
			return -1;
		ws(j);
		first = 0;
		if(j->i < j->n && j->s[j->i] == ',') {
			j->i++;
			continue;
		}
		if(j->i < j->n && j->s[j->i] == ']') {
			j->i++;
			return 0;
		}
		return fail(j, "expected ',' or ']'");
	}
}

/* The response object: infoGatewayRoutings read, retCode checked, the rest skipped. */
static int response(js_t *j, vg_recs_t *out)
{
	int first = 1, found = 0, kind, line, col;
	long ret = 0;
	size_t b, at = 0;
	char exc[200] = "";

	j->i++;
	for(;;) {
		ws(j);
		if(first && j->i < j->n && j->s[j->i] == '}') {
			j->i++;
			break;
		}
		if(j->i >= j->n || j->s[j->i] != '"')
			return fail(j, "expected a member name in quotes");
		if(string(j) < 0)
			return -1;
		ws(j);
		if(j->i >= j->n || j->s[j->i] != ':')
			return fail(j, "expected ':' after the member name");
		j->i++;
		ws(j);
		if(strcasecmp(j->sb, "infoGatewayRoutings") == 0) {
			if(gateway_list(j, out) < 0)
				return -1;
			found = 1;
		} else if(strcasecmp(j->sb, "retCode") == 0) {
			at = j->i;
			if(value(j, 1, &kind, &b) < 0)
				return -1;
			ret = kind == VG_NUM ? strtol(j->s + b, NULL, 10) : -1;
		} else if(strcasecmp(j->sb, "exception") == 0) {
			if(value(j, 1, &kind, &b) < 0)
				return -1;
			if(kind == VG_STR)
				snprintf(exc, sizeof(exc), "%s", j->sb);
		} else if(skip_value(j, 1) < 0) {
			return -1;
		}
		ws(j);
		first = 0;
		if(j->i < j->n && j->s[j->i] == ',') {
			j->i++;
			continue;
		}
		if(j->i < j->n && j->s[j->i] == '}') {
			j->i++;
			break;
		}
		return fail(j, "expected ',' or '}'");
	}
	if(ret != 0) {
		pos_of(j, at, &line, &col);
		return vs_err(j->err, j->errlen,
				"%s:%d:%d: retCode %ld: VOS3000 refused the request%s%s",
				j->origin, line, col, ret, exc[0] ? ": " : "", exc);
	}
	if(!found)
		return vs_err(j->err, j->errlen,
				"%s: no infoGatewayRoutings list: not a GetGatewayRouting "
				"response",
				j->origin);
	return 0;
}

/* valid UTF-8 throughout, or the line:column of the first bad byte */
static int check_utf8(js_t *j)
{
	const unsigned char *s = (const unsigned char *)j->s;
	size_t i = 0, k, need;

	while(i < j->n) {
		if(s[i] < 0x80) {
			i++;
			continue;
		}
		need = (s[i] >= 0xC2 && s[i] <= 0xDF)	? 1
			   : ((s[i] & 0xF0) == 0xE0)		? 2
			   : (s[i] >= 0xF0 && s[i] <= 0xF4) ? 3
												: 0;
		for(k = 1; need && k <= need; k++)
			if(i + k >= j->n || (s[i + k] & 0xC0) != 0x80)
				need = 0;
		if(need == 0) {
			j->i = i;
			return fail(j, "not UTF-8: save the response as UTF-8");
		}
		i += need + 1;
	}
	return 0;
}

int vg_json_read(const char *buf, size_t len, const char *origin,
		vg_recs_t *out, char *err, int errlen)
{
	js_t j = {
			.s = buf, .n = len, .origin = origin, .err = err, .errlen = errlen};
	int rc;

	if(len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		j.i = 3;
	if(check_utf8(&j) < 0)
		return -1;
	ws(&j);
	if(j.i < j.n && j.s[j.i] == '{')
		rc = response(&j, out);
	else
		rc = gateway_list(&j, out);
	if(rc == 0) {
		ws(&j);
		if(j.i < j.n)
			rc = fail(&j, "text after the end of the JSON value");
	}
	free(j.sb);
	return rc;
}
