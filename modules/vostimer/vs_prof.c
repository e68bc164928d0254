/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vs_prof: profile sets and the libconfig profile file - loading, validating,
 * resolving each key (own value, `extends` chain, `defaults` group, base) and
 * writing back. Pure: libconfig and libc only, no Kamailio header. Errors come back
 * as NULL / -1 plus "file:line: reason" in the caller's buffer. */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libconfig.h>

#include "vs_cfgread.h"
#include "vs_prof.h"

#define DEFAULTS "defaults"
#define VOS_DEFAULT "VOS3000 default"
#define SECONDS_MAX (VS_SECONDS_MAX_MS / 1000u)

/* How a key is written in the file and where it lives in vs_values_t (the public
 * names, enum vs_key_kind, are the same values: vs_key_kind() hands them out). */
enum kind
{
	K_SCHED = VS_KIND_LIST,
	K_INT = VS_KIND_INT,
	K_SECONDS = VS_KIND_SECONDS,
	K_BOOL = VS_KIND_BOOL,
	K_CODES = VS_KIND_CODES
};

static const struct key_desc
{
	const char *name;
	enum kind kind;
	size_t off;
	int max; /* K_INT only */
} keys[VS_K_COUNT] = {
		[VS_K_RESEND] = {"resend_interval", K_SCHED,
				offsetof(vs_values_t, sched), 0},
		[VS_K_RETRY] = {"send_retry", K_INT, offsetof(vs_values_t, send_retry),
				VS_RETRY_MAX},
		[VS_K_T_INVITE] = {"timeout_invite", K_SECONDS,
				offsetof(vs_values_t, t_invite_ms), 0},
		[VS_K_T_TRYING] = {"timeout_trying", K_SECONDS,
				offsetof(vs_values_t, t_trying_ms), 0},
		[VS_K_T_SP] = {"timeout_session_progress", K_SECONDS,
				offsetof(vs_values_t, t_sp_ms), 0},
		[VS_K_T_SP_SDP] = {"timeout_session_progress_sdp", K_SECONDS,
				offsetof(vs_values_t, t_sp_sdp_ms), 0},
		[VS_K_T_RINGING] = {"timeout_ringing", K_SECONDS,
				offsetof(vs_values_t, t_ringing_ms), 0},
		[VS_K_BUDGET] = {"setup_budget", K_SECONDS,
				offsetof(vs_values_t, budget_ms), 0},
		[VS_K_SW_LIMIT] = {"gateway_switch_limit", K_INT,
				offsetof(vs_values_t, sw_limit), VS_SW_LIMIT_MAX},
		[VS_K_SW_BUSY] = {"switch_stop_after_busy", K_BOOL,
				offsetof(vs_values_t, sw_stop_busy), 0},
		[VS_K_SW_CONNECT] = {"switch_until_connect", K_BOOL,
				offsetof(vs_values_t, sw_until_connect), 0},
		[VS_K_SW_SDP] = {"stop_switch_after_sdp", K_BOOL,
				offsetof(vs_values_t, sw_stop_sdp), 0},
		[VS_K_SW_CODES] = {"switch_stop_codes", K_CODES,
				offsetof(vs_values_t, stop_codes), 0},
};

/* One group of the file as written - `defaults` (g[0]) or a profile - before
 * resolution. Settings and strings belong to the config_t and die with it. */
typedef struct group
{
	config_setting_t *s;	  /* the group; NULL for an absent defaults */
	config_setting_t *name_s; /* its name setting (profiles only) */
	config_setting_t *ext;	  /* its extends setting, NULL when none */
	const char *name;
	int parent;		  /* g[] index of the parent; 0 = defaults */
	unsigned int has; /* bit k: key k is written here */
	config_setting_t *at[VS_K_COUNT]; /* where key k is written */
	vs_values_t v;
} group_t;

typedef struct loader
{
	const char *path;
	char *err;
	int errlen;
	group_t *g; /* g[0] = defaults, g[1..n-1] = the profiles in file order */
	int n;
} loader_t;

void vs_values_vos_defaults(vs_values_t *v)
{
	static const unsigned int gaps[] = {
			500, 1000, 2000, 4000, 4000, 4000, 4000, 4000, 4000, 4000};

	memset(v, 0, sizeof(*v));
	v->sched.n = (int)(sizeof(gaps) / sizeof(gaps[0]));
	memcpy(v->sched.gap_ms, gaps, sizeof(gaps));
	v->send_retry = 10;
	v->t_invite_ms = 10000;
	v->t_trying_ms = 20000;
	v->t_sp_ms = 20000;
	v->t_sp_sdp_ms = 120000;
	v->t_ringing_ms = 120000;
	v->budget_ms = 0;
	v->sw_limit = 0;
	v->sw_stop_busy = 1;
	v->sw_until_connect = 0;
	v->sw_stop_sdp = 1;
	v->stop_codes.n = 0;
}

const char *vs_key_name(int key)
{
	return (key >= 0 && key < VS_K_COUNT) ? keys[key].name : NULL;
}

int vs_key_kind(int key)
{
	return (key >= 0 && key < VS_K_COUNT) ? (int)keys[key].kind : -1;
}

int vs_key_find(const char *name, int len)
{
	int k;

	if(name == NULL)
		return -1;
	if(len < 0)
		len = (int)strlen(name);
	/* memcmp, not strncmp: a NUL inside name[0..len) must not end the comparison
	 * (keys[k].name[len] would then be read past a shorter name) */
	for(k = 0; k < VS_K_COUNT; k++)
		if(strlen(keys[k].name) == (size_t)len
				&& memcmp(keys[k].name, name, (size_t)len) == 0)
			return k;
	return -1;
}

void *vs_value_ptr(vs_values_t *v, int key)
{
	return (key >= 0 && key < VS_K_COUNT) ? (char *)v + keys[key].off : NULL;
}

static const void *key_cptr(const vs_values_t *v, int k)
{
	return (const char *)v + keys[k].off;
}

const void *vs_value_cptr(const vs_values_t *v, int key)
{
	return (v != NULL && key >= 0 && key < VS_K_COUNT) ? key_cptr(v, key)
													   : NULL;
}

static void key_copy(vs_values_t *dst, const vs_values_t *src, int k)
{
	/* the scalars are int or unsigned int: one size */
	size_t size = keys[k].kind == K_SCHED	? sizeof(vs_sched_t)
				  : keys[k].kind == K_CODES ? sizeof(vs_codes_t)
											: sizeof(int);

	memcpy(vs_value_ptr(dst, k), key_cptr(src, k), size);
}

void vs_key_copy(vs_values_t *dst, const vs_values_t *src, int key)
{
	if(key >= 0 && key < VS_K_COUNT)
		key_copy(dst, src, key);
}

void vs_values_overlay(
		vs_values_t *dst, const vs_values_t *src, unsigned int mask)
{
	int k;

	for(k = 0; k < VS_K_COUNT; k++)
		if(mask & (1u << k))
			key_copy(dst, src, k);
}

/* ---- switch_stop_codes ---- */

static void codes_add(vs_codes_t *c, unsigned short code)
{
	int i, j;

	for(i = 0; i < c->n && c->c[i] < code; i++)
		;
	if(i < c->n && c->c[i] == code)
		return; /* given twice: kept once */
	for(j = c->n; j > i; j--)
		c->c[j] = c->c[j - 1];
	c->c[i] = code;
	c->n++;
}

/* The 1-based offset, in characters, of byte b of s: what a message calls "offset". */
static int char_off(const char *s, int b)
{
	int i, n = 1;

	for(i = 0; i < b; i++)
		n += ((unsigned char)s[i] & 0xC0) != 0x80;
	return n;
}

int vs_codes_parse(
		const char *s, int len, vs_codes_t *out, char *err, int errlen)
{
	vs_codes_t c;
	int i = 0, pos = 0, start, end, code;

	memset(&c, 0, sizeof(c));
	if(s == NULL)
		len = 0;
	else if(len < 0)
		len = (int)strlen(s);
	while(i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if(i == len) { /* "" or blanks: no codes */
		*out = c;
		return 0;
	}
	for(;;) {
		pos++;
		while(i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		start = i;
		code = 0;
		while(i < len && s[i] >= '0' && s[i] <= '9' && i - start < 4)
			code = code * 10 + (s[i++] - '0');
		end = i;
		while(i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if(end == start || (i < len && s[i] != ',')) {
			for(end = start; end < len && s[end] != ','; end++)
				;
			if(end - start > 20) /* cut whole UTF-8 characters only */
				for(end = start + 20;
						end > start && ((unsigned char)s[end] & 0xC0) == 0x80;
						end--)
					;
			return vs_err(err, errlen,
					"element %d \"%.*s\" (offset %d): not a SIP code", pos,
					end - start, s + start, char_off(s, start));
		}
		if(code < 300 || code > 699)
			return vs_err(err, errlen,
					"element %d \"%d\" (offset %d): not a final negative "
					"code 300..699",
					pos, code, char_off(s, start));
		if(c.n >= VS_CODES_MAX && !vs_codes_has(&c, code))
			return vs_err(err, errlen,
					"element %d \"%d\" (offset %d): more than %d codes", pos,
					code, char_off(s, start), VS_CODES_MAX);
		codes_add(&c, (unsigned short)code);
		if(i == len)
			break;
		i++; /* the comma */
	}
	*out = c;
	return 0;
}

int vs_codes_format(const vs_codes_t *c, char *buf, int buflen)
{
	int i, n = 0, w;

	if(buflen <= 0)
		return 0;
	buf[0] = '\0';
	for(i = 0; i < c->n && i < VS_CODES_MAX; i++) {
		w = snprintf(
				buf + n, (size_t)(buflen - n), "%s%u", i ? "," : "", c->c[i]);
		if(w < 0 || w >= buflen - n) {
			buf[n] = '\0'; /* no part of a code */
			break;
		}
		n += w;
	}
	return n;
}

int vs_codes_has(const vs_codes_t *c, int code)
{
	int i;

	for(i = 0; i < c->n && i < VS_CODES_MAX; i++)
		if(c->c[i] == code)
			return 1;
	return 0;
}

int vs_prof_name_check(const char *name, int len, char *err, int errlen)
{
	int i;
	char c;

	if(name == NULL)
		len = 0;
	else if(len < 0)
		len = (int)strlen(name);
	if(len == 0)
		return vs_err(err, errlen, "empty name");
	if(len >= VS_PROF_NAMELEN)
		return vs_err(err, errlen,
				"name \"%.20s...\": longer than %d characters", name,
				VS_PROF_NAMELEN - 1);
	for(i = 0; i < len; i++) {
		c = name[i];
		if((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
				|| (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-')
			continue;
		if(c >= 0x20 && c < 0x7f)
			return vs_err(err, errlen,
					"name \"%.*s\": character '%c' at offset %d is not allowed"
					" (only A-Z a-z 0-9 _ . -)",
					len, name, c, i + 1);
		return vs_err(err, errlen,
				"name: byte 0x%02x at offset %d is not allowed"
				" (only A-Z a-z 0-9 _ . -)",
				(unsigned char)c, i + 1);
	}
	return 0;
}

/* ---- loading: messages ---- */

static const char *file_of(const loader_t *ld, const config_setting_t *s)
{
	const char *f = s != NULL ? config_setting_source_file(s) : NULL;

	return f != NULL ? f : ld->path;
}

/* "file:line: reason" for setting s (or "path: reason" without one); returns -1. */
static int fail(loader_t *ld, const config_setting_t *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	if(ld->err == NULL || ld->errlen <= 0)
		return -1;
	if(s != NULL)
		n = snprintf(ld->err, (size_t)ld->errlen, "%s:%d: ", file_of(ld, s),
				(int)config_setting_source_line(s));
	else
		n = snprintf(ld->err, (size_t)ld->errlen, "%s: ", ld->path);
	if(n < 0 || n >= ld->errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(ld->err + n, (size_t)(ld->errlen - n), fmt, ap);
	va_end(ap);
	return -1;
}

static const char *type_name(const config_setting_t *s)
{
	switch(config_setting_type(s)) {
		case CONFIG_TYPE_INT:
		case CONFIG_TYPE_INT64:
			return "an integer";
		case CONFIG_TYPE_FLOAT:
			return "a float";
		case CONFIG_TYPE_STRING:
			return "a string";
		case CONFIG_TYPE_BOOL:
			return "a boolean";
		case CONFIG_TYPE_GROUP:
			return "a group";
		case CONFIG_TYPE_ARRAY:
			return "an array";
		case CONFIG_TYPE_LIST:
			return "a list";
	}
	return "nothing";
}

static int is_int(const config_setting_t *s)
{
	return config_setting_type(s) == CONFIG_TYPE_INT
		   || config_setting_type(s) == CONFIG_TYPE_INT64;
}

/* ---- loading: one value ---- */

static int get_sched(loader_t *ld, config_setting_t *s, vs_sched_t *out)
{
	const char *name = config_setting_name(s), *str;
	char why[VS_ERRLEN];

	if(config_setting_type(s) != CONFIG_TYPE_STRING)
		return fail(ld, s, "%s: expected a string like \"0.5,1,2,4\", got %s",
				name, type_name(s));
	str = config_setting_get_string(s);
	if(vs_sched_parse(str, -1, out, why, sizeof(why)) < 0)
		return fail(ld, s, "%s \"%.60s\": %s", name, str, why);
	/* unused slots zeroed: equal sets are equal blocks (memcmp) */
	memset(out->gap_ms + out->n, 0,
			sizeof(out->gap_ms) - (size_t)out->n * sizeof(out->gap_ms[0]));
	return 0;
}

static int get_int(loader_t *ld, config_setting_t *s, int max, int *out)
{
	const char *name = config_setting_name(s);
	long long x;

	if(!is_int(s))
		return fail(ld, s, "%s: expected an integer 0..%d, got %s", name, max,
				type_name(s));
	x = config_setting_get_int64(s);
	if(x < 0 || x > max)
		return fail(ld, s, "%s = %lld: out of range 0..%d", name, x, max);
	*out = (int)x;
	return 0;
}

/* libconfig hands floats over as doubles: take them when they are whole ms
 * (2.5 is 2500.0000000000 ms; 2.0005 is not). No libm: the module links none. */
static int get_float_seconds(
		loader_t *ld, config_setting_t *s, unsigned int *out)
{
	const char *name = config_setting_name(s);
	double x = config_setting_get_float(s), ms, off;

	if(!(x >= 0 && x <= SECONDS_MAX))
		return fail(ld, s, "%s = %.10g: out of range 0..%u seconds", name, x,
				SECONDS_MAX);
	ms = (double)(unsigned long)(x * 1000.0 + 0.5);
	off = x * 1000.0 - ms;
	if(off <= -1e-6 || off >= 1e-6)
		return fail(ld, s,
				"%s = %.10g: more than 3 decimals (the limit is 1 ms)", name,
				x);
	*out = (unsigned int)ms;
	return 0;
}

static int get_seconds(loader_t *ld, config_setting_t *s, unsigned int *out)
{
	const char *name = config_setting_name(s), *str;
	char why[VS_ERRLEN];
	long long x;

	if(config_setting_type(s) == CONFIG_TYPE_FLOAT)
		return get_float_seconds(ld, s, out);
	if(config_setting_type(s) == CONFIG_TYPE_STRING) {
		str = config_setting_get_string(s);
		if(vs_seconds_parse(str, -1, VS_SECONDS_MAX_MS, out, why, sizeof(why))
				< 0)
			return fail(ld, s, "%s \"%.40s\": %s", name, str, why);
		return 0;
	}
	if(!is_int(s))
		return fail(ld, s,
				"%s: expected seconds (a number, or a string like \"2.5\"),"
				" got %s",
				name, type_name(s));
	x = config_setting_get_int64(s);
	if(x < 0 || x > SECONDS_MAX)
		return fail(ld, s, "%s = %lld: out of range 0..%u seconds", name, x,
				SECONDS_MAX);
	*out = (unsigned int)x * 1000u;
	return 0;
}

/* true/false; 0 and 1 too, as VOS3000 writes its switches */
static int get_bool(loader_t *ld, config_setting_t *s, int *out)
{
	const char *name = config_setting_name(s);
	long long x;

	if(config_setting_type(s) == CONFIG_TYPE_BOOL) {
		*out = config_setting_get_bool(s) ? 1 : 0;
		return 0;
	}
	if(!is_int(s))
		return fail(ld, s, "%s: expected true or false, got %s", name,
				type_name(s));
	x = config_setting_get_int64(s);
	if(x != 0 && x != 1)
		return fail(ld, s, "%s = %lld: expected true or false (or 1 or 0)",
				name, x);
	*out = (int)x;
	return 0;
}

/* "404,503", or a list/array of integers [404, 503] */
static int get_codes(loader_t *ld, config_setting_t *s, vs_codes_t *out)
{
	const char *name = config_setting_name(s), *str;
	char why[VS_ERRLEN], text[8 * VS_CODES_MAX + 8];
	config_setting_t *e;
	int i, n, len = 0;

	if(config_setting_type(s) == CONFIG_TYPE_STRING) {
		str = config_setting_get_string(s);
		if(vs_codes_parse(str, -1, out, why, sizeof(why)) < 0)
			return fail(ld, s, "%s \"%.60s\": %s", name, str, why);
		return 0;
	}
	if(!config_setting_is_array(s) && !config_setting_is_list(s))
		return fail(ld, s,
				"%s: expected a string like \"404,503\" or a list [404, 503],"
				" got %s",
				name, type_name(s));
	n = config_setting_length(s);
	if(n > VS_CODES_MAX)
		return fail(ld, s, "%s: %d codes, at most %d", name, n, VS_CODES_MAX);
	text[0] = '\0';
	for(i = 0; i < n; i++) {
		e = config_setting_get_elem(s, (unsigned int)i);
		if(!is_int(e))
			return fail(ld, s, "%s: element %d is %s, not a SIP code", name,
					i + 1, type_name(e));
		len += snprintf(text + len, sizeof(text) - (size_t)len, "%s%lld",
				i ? "," : "", config_setting_get_int64(e));
		if(len >= (int)sizeof(text))
			return fail(ld, s, "%s: element %d is not a SIP code", name, i + 1);
	}
	if(vs_codes_parse(text, len, out, why, sizeof(why)) < 0)
		return fail(ld, s, "%s [%s]: %s", name, text, why);
	return 0;
}

static int get_key(loader_t *ld, config_setting_t *s, int k, vs_values_t *v)
{
	switch(keys[k].kind) {
		case K_SCHED:
			return get_sched(ld, s, vs_value_ptr(v, k));
		case K_INT:
			return get_int(ld, s, keys[k].max, vs_value_ptr(v, k));
		case K_SECONDS:
			return get_seconds(ld, s, vs_value_ptr(v, k));
		case K_BOOL:
			return get_bool(ld, s, vs_value_ptr(v, k));
		case K_CODES:
			return get_codes(ld, s, vs_value_ptr(v, k));
	}
	return -1;
}

/* ---- loading: groups ---- */

/* The value keys of group g; `what` names it in messages. */
static int read_keys(loader_t *ld, group_t *g, const char *what)
{
	config_setting_t *m;
	const char *name;
	int i, k, len = config_setting_length(g->s);

	for(i = 0; i < len; i++) {
		m = config_setting_get_elem(g->s, (unsigned int)i);
		name = config_setting_name(m);
		if(m == g->name_s || m == g->ext)
			continue;
		k = vs_key_find(name, -1);
		if(k < 0)
			return fail(ld, m, "unknown key \"%s\" in %s", name, what);
		if(get_key(ld, m, k, &g->v) < 0)
			return -1;
		g->has |= 1u << k;
		g->at[k] = m;
	}
	return 0;
}

static int read_name(loader_t *ld, int idx)
{
	group_t *g = &ld->g[idx];
	char why[VS_ERRLEN];
	int j;

	g->name_s = config_setting_get_member(g->s, "name");
	if(g->name_s == NULL)
		return fail(ld, g->s, "profile #%d has no name", idx);
	if(config_setting_type(g->name_s) != CONFIG_TYPE_STRING)
		return fail(ld, g->name_s,
				"profile #%d: name: expected a string, got %s", idx,
				type_name(g->name_s));
	g->name = config_setting_get_string(g->name_s);
	if(vs_prof_name_check(g->name, -1, why, sizeof(why)) < 0)
		return fail(ld, g->name_s, "profile #%d: %s", idx, why);
	if(strcmp(g->name, DEFAULTS) == 0)
		return fail(ld, g->name_s,
				"profile #%d: the name \"defaults\" is reserved for the"
				" defaults group",
				idx);
	for(j = 1; j < idx; j++)
		if(strcmp(ld->g[j].name, g->name) == 0)
			return fail(ld, g->name_s,
					"duplicate profile name \"%s\" (first defined at %s:%d)",
					g->name, file_of(ld, ld->g[j].name_s),
					(int)config_setting_source_line(ld->g[j].name_s));
	return 0;
}

static int read_profile(loader_t *ld, int idx, config_setting_t *s)
{
	group_t *g = &ld->g[idx];
	char what[VS_PROF_NAMELEN + 16];

	g->s = s;
	if(!config_setting_is_group(s))
		return fail(ld, s,
				"profile #%d: expected a group { name = \"...\"; ... }, got %s",
				idx, type_name(s));
	if(read_name(ld, idx) < 0)
		return -1;
	g->ext = config_setting_get_member(s, "extends");
	if(g->ext != NULL && config_setting_type(g->ext) != CONFIG_TYPE_STRING)
		return fail(ld, g->ext,
				"profile \"%s\": extends: expected a string, got %s", g->name,
				type_name(g->ext));
	snprintf(what, sizeof(what), "profile \"%s\"", g->name);
	return read_keys(ld, g, what);
}

static int read_root(loader_t *ld, config_setting_t *root)
{
	config_setting_t *m, *defs = NULL, *profs = NULL;
	const char *name;
	int i, nprof;

	for(i = 0; i < config_setting_length(root); i++) {
		m = config_setting_get_elem(root, (unsigned int)i);
		name = config_setting_name(m);
		if(strcmp(name, DEFAULTS) == 0)
			defs = m;
		else if(strcmp(name, "profiles") == 0)
			profs = m;
		else
			return fail(ld, m,
					"unknown key \"%s\" at top level (expected defaults or"
					" profiles)",
					name);
	}
	if(defs != NULL && !config_setting_is_group(defs))
		return fail(ld, defs, "defaults: expected a group { ... }, got %s",
				type_name(defs));
	nprof = profs != NULL ? config_setting_length(profs) : 0;
	if(profs != NULL && !config_setting_is_list(profs)
			&& !(config_setting_is_array(profs) && nprof == 0))
		return fail(ld, profs,
				"profiles: expected a list ( { ... }, { ... } ), got %s",
				type_name(profs));
	if(nprof > VS_PROF_MAX - 1)
		return fail(ld, config_setting_get_elem(profs, VS_PROF_MAX - 1),
				"too many profiles: %d, at most %d", nprof, VS_PROF_MAX - 1);
	ld->g = calloc((size_t)nprof + 1, sizeof(group_t));
	if(ld->g == NULL)
		return fail(ld, NULL, "out of memory");
	ld->n = nprof + 1;
	ld->g[0].s = defs;
	ld->g[0].name = DEFAULTS;
	if(defs != NULL && read_keys(ld, &ld->g[0], DEFAULTS) < 0)
		return -1;
	for(i = 1; i < ld->n; i++)
		if(read_profile(
				   ld, i, config_setting_get_elem(profs, (unsigned int)(i - 1)))
				< 0)
			return -1;
	return 0;
}

/* ---- loading: extends ---- */

static int link_parents(loader_t *ld)
{
	group_t *g = ld->g;
	const char *pname;
	int i, j;

	for(i = 1; i < ld->n; i++) {
		if(g[i].ext == NULL)
			continue;
		pname = config_setting_get_string(g[i].ext);
		if(strcmp(pname, DEFAULTS) == 0)
			continue; /* g[i].parent is already 0 */
		for(j = 1; j < ld->n && strcmp(g[j].name, pname) != 0; j++)
			;
		if(j == ld->n)
			return fail(ld, g[i].ext,
					"profile \"%s\" extends unknown profile \"%.63s\"",
					g[i].name, pname);
		g[i].parent = j;
	}
	return 0;
}

static void append(char *buf, size_t size, size_t *len, const char *s)
{
	int n;

	if(*len >= size)
		return;
	n = snprintf(buf + *len, size - *len, "%s", s);
	*len += n > 0 ? (size_t)n : 0;
}

/* g[i] is on a cycle: say "extends cycle a -> b -> a" at its extends line. */
static int fail_cycle(loader_t *ld, int i)
{
	char chain[256];
	size_t len = 0;
	int j = i, steps;

	chain[0] = '\0';
	append(chain, sizeof(chain), &len, ld->g[i].name);
	for(steps = 0; steps < ld->n; steps++) {
		j = ld->g[j].parent;
		append(chain, sizeof(chain), &len, " -> ");
		append(chain, sizeof(chain), &len, ld->g[j].name);
		if(j == i)
			break;
	}
	return fail(ld, ld->g[i].ext, "profile \"%s\": extends cycle %s",
			ld->g[i].name, chain);
}

/* The first profile in file order that lies on a cycle is reported. */
static int check_cycles(loader_t *ld)
{
	int i, j, steps;

	for(i = 1; i < ld->n; i++) {
		j = ld->g[i].parent;
		for(steps = 0; j != 0 && j != i && steps < ld->n; steps++)
			j = ld->g[j].parent;
		if(j == i)
			return fail_cycle(ld, i);
	}
	return 0;
}

/* ---- loading: resolution ---- */

/* "<lead>(file:line)", or "file:line" with no lead; the file's directory goes
 * when the whole does not fit. */
static void src_where(char *dst, const char *lead, const char *file, int line)
{
	const char *slash;
	int n;

	for(;;) {
		if(lead[0] != '\0')
			n = snprintf(dst, VS_PROF_SRCLEN, "%s(%s:%d)", lead, file, line);
		else
			n = snprintf(dst, VS_PROF_SRCLEN, "%s:%d", file, line);
		if(n < VS_PROF_SRCLEN || (slash = strrchr(file, '/')) == NULL)
			return;
		file = slash + 1;
	}
}

static void resolve_key(const loader_t *ld, const vs_base_t *base, int i, int k,
		vs_profile_t *p)
{
	const group_t *g = ld->g;
	char lead[VS_PROF_NAMELEN + 16];
	unsigned int bit = 1u << k;
	int j = i;

	while(j != 0 && !(g[j].has & bit))
		j = g[j].parent;
	if(!(g[j].has & bit)) {
		key_copy(&p->v, &base->v, k);
		snprintf(p->src[k], VS_PROF_SRCLEN, "%s",
				base->src[k] != NULL ? base->src[k] : VOS_DEFAULT);
		return;
	}
	key_copy(&p->v, &g[j].v, k);
	if(j != 0 || i == 0)
		p->own |= bit; /* its own, or its extends chain's (not defaults) */
	if(j == i)
		lead[0] = '\0';
	else if(j == 0)
		snprintf(lead, sizeof(lead), "%s ", DEFAULTS);
	else
		snprintf(lead, sizeof(lead), "extends %s ", g[j].name);
	src_where(p->src[k], lead, file_of(ld, g[j].at[k]),
			(int)config_setting_source_line(g[j].at[k]));
}

static vs_profset_t *set_alloc(int n)
{
	size_t size = sizeof(vs_profset_t) + (size_t)n * sizeof(vs_profile_t);
	vs_profset_t *set = calloc(1, size);

	if(set == NULL)
		return NULL;
	set->size = size;
	set->n = n;
	return set;
}

static vs_profset_t *build_set(loader_t *ld, const vs_base_t *base)
{
	vs_profset_t *set = set_alloc(ld->n);
	vs_profile_t *p;
	int i, k;

	if(set == NULL) {
		fail(ld, NULL, "out of memory");
		return NULL;
	}
	for(i = 0; i < ld->n; i++) {
		p = &set->p[i];
		snprintf(p->name, sizeof(p->name), "%s", ld->g[i].name);
		if(ld->g[i].ext != NULL)
			snprintf(p->extends, sizeof(p->extends), "%s",
					config_setting_get_string(ld->g[i].ext));
		for(k = 0; k < VS_K_COUNT; k++)
			resolve_key(ld, base, i, k, p);
	}
	return set;
}

/* ---- loading: the file ---- */

/* regular files only, the libconfig 1.5 leak avoided: vs_cfgread.c */
static int read_file(loader_t *ld, config_t *cf)
{
	return vs_cfgread(cf, ld->path, ld->err, ld->errlen);
}

static const vs_base_t *base_or_vos(const vs_base_t *base, vs_base_t *vos)
{
	int k;

	if(base != NULL)
		return base;
	vs_values_vos_defaults(&vos->v);
	for(k = 0; k < VS_K_COUNT; k++)
		vos->src[k] = VOS_DEFAULT;
	return vos;
}

vs_profset_t *vs_prof_load(
		const char *path, const vs_base_t *base, char *err, int errlen)
{
	loader_t ld = {.path = path, .err = err, .errlen = errlen};
	vs_profset_t *set = NULL;
	vs_base_t vos;
	config_t cf;

	if(err != NULL && errlen > 0)
		err[0] = '\0';
	if(path == NULL || path[0] == '\0') {
		vs_err(err, errlen, "no profile file given");
		return NULL;
	}
	base = base_or_vos(base, &vos);
	config_init(&cf);
	if(read_file(&ld, &cf) == 0 && read_root(&ld, config_root_setting(&cf)) == 0
			&& link_parents(&ld) == 0 && check_cycles(&ld) == 0)
		set = build_set(&ld, base);
	free(ld.g);
	config_destroy(&cf);
	return set;
}

vs_profset_t *vs_prof_from_base(const vs_base_t *base)
{
	vs_profset_t *set = set_alloc(1);
	vs_base_t vos;
	int k;

	if(set == NULL)
		return NULL;
	base = base_or_vos(base, &vos);
	snprintf(set->p[0].name, sizeof(set->p[0].name), "%s", DEFAULTS);
	set->p[0].v = base->v;
	for(k = 0; k < VS_K_COUNT; k++)
		snprintf(set->p[0].src[k], VS_PROF_SRCLEN, "%s",
				base->src[k] != NULL ? base->src[k] : VOS_DEFAULT);
	return set;
}

const vs_profile_t *vs_prof_find(
		const vs_profset_t *set, const char *name, int len)
{
	int i;

	if(set == NULL || name == NULL)
		return NULL;
	if(len < 0)
		len = (int)strlen(name);
	if(len == 0 || len >= VS_PROF_NAMELEN)
		return NULL;
	for(i = 0; i < set->n; i++)
		if(memcmp(set->p[i].name, name, (size_t)len) == 0
				&& set->p[i].name[len] == '\0')
			return &set->p[i];
	return NULL;
}

/* ---- writing ---- */

int vs_prof_write_value(const vs_values_t *v, int key, char *buf, int buflen)
{
	char tmp[VS_SCHED_STRLEN];
	const void *p;
	int n = -1;

	if(v == NULL || key < 0 || key >= VS_K_COUNT || buf == NULL || buflen <= 0)
		return -1;
	p = key_cptr(v, key);
	switch(keys[key].kind) {
		case K_SCHED:
			if(vs_sched_format(p, tmp, sizeof(tmp)) <= 0)
				return -1;
			n = snprintf(buf, (size_t)buflen, "\"%s\"", tmp);
			break;
		case K_INT:
			n = snprintf(buf, (size_t)buflen, "%d", *(const int *)p);
			break;
		case K_SECONDS:
			if(vs_seconds_format(*(const unsigned int *)p, tmp, sizeof(tmp))
					< 0)
				return -1;
			n = snprintf(buf, (size_t)buflen, "%s", tmp);
			break;
		case K_BOOL:
			n = snprintf(buf, (size_t)buflen, "%s",
					*(const int *)p ? "true" : "false");
			break;
		case K_CODES:
			vs_codes_format(p, tmp, sizeof(tmp));
			n = snprintf(buf, (size_t)buflen, "\"%s\"", tmp);
			break;
	}
	return (n < 0 || n >= buflen) ? -1 : n;
}

/* a libconfig string literal */
static void put_string(FILE *f, const char *s)
{
	fputc('"', f);
	for(; *s != '\0'; s++) {
		if(*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static int put_keys(FILE *f, const vs_profile_t *p, const char *indent,
		int flags, unsigned int mask)
{
	char val[VS_SCHED_STRLEN + 4];
	const char *c;
	int k;

	for(k = 0; k < VS_K_COUNT; k++) {
		if(!(mask & (1u << k)))
			continue;
		if(vs_prof_write_value(&p->v, k, val, sizeof(val)) < 0)
			return -1;
		fprintf(f, "%s%s = %s;", indent, keys[k].name, val);
		if(flags & VS_PROF_WF_SRC) {
			fputs("  # from ", f);
			for(c = p->src[k]; *c != '\0'; c++)
				fputc(*c == '\n' || *c == '\r' ? ' ' : *c, f);
		}
		fputc('\n', f);
	}
	return 0;
}

/* Keep `extends` only when the file being written can resolve it. */
static int parent_written(
		const vs_profset_t *set, const vs_profile_t *p, int first, int end)
{
	const vs_profile_t *q;
	int j;

	if(p->extends[0] == '\0')
		return 0;
	if(strcmp(p->extends, DEFAULTS) == 0)
		return 1;
	q = vs_prof_find(set, p->extends, -1);
	if(q == NULL)
		return 0;
	j = (int)(q - set->p);
	return j >= 1 && j >= first && j < end;
}

static int put_profile(
		FILE *f, const vs_profset_t *set, int i, int first, int end, int flags)
{
	const vs_profile_t *p = &set->p[i];

	fputs("  {\n    name = ", f);
	put_string(f, p->name);
	fputs(";\n", f);
	if(parent_written(set, p, first, end)) {
		fputs("    extends = ", f);
		put_string(f, p->extends);
		fputs(";\n", f);
	}
	if(put_keys(f, p, "    ", flags,
			   (flags & VS_PROF_WF_OWN) ? p->own : VS_PROF_ALL_KEYS)
			< 0)
		return -1;
	fputs("  }", f);
	return 0;
}

int vs_prof_write_file(
		FILE *f, const vs_profset_t *set, int first, int count, int flags)
{
	int i, end, written = 0;

	if(f == NULL || set == NULL || first < 0 || first > set->n)
		return -1;
	end = (count < 0 || count > set->n - first) ? set->n : first + count;
	if(first == 0 && end > 0) {
		fputs("defaults: {\n", f);
		if(put_keys(f, &set->p[0], "  ", flags, VS_PROF_ALL_KEYS) < 0)
			return -1;
		fputs("};\n", f);
	}
	for(i = first > 1 ? first : 1; i < end; i++) {
		fputs(written++ == 0 ? "profiles = (\n" : ",\n", f);
		if(put_profile(f, set, i, first, end, flags) < 0)
			return -1;
	}
	if(written > 0)
		fputs("\n);\n", f);
	return ferror(f) ? -1 : 0;
}
