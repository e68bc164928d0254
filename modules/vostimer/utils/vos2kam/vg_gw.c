/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vg_gw: VOS3000 routing gateways -> gateway profiles and dispatcher lines. The
 * field table below is the one place that says what each published field (API
 * name or database column, matched case-insensitively) becomes; a field it does not
 * hold is reported as not understood, never guessed at. Pure: libc only. */
#define _GNU_SOURCE /* strcasestr */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "vg.h"
#include "vs_sched.h"

enum how
{
	F_SECONDS,	 /* integer seconds, 0 = the system value */
	F_FLAG,		 /* a database switch: 1 = on, 0 = the system value */
	F_ALLOW,	 /* an API boolean "allow": true = the rule off, false = on */
	F_ALLOW_POS, /* an API boolean whose true is the key's true */
	F_CODES,	 /* a list of final codes, "" = none of its own */
	F_ERRCODE,	 /* switchAllowErrorCode: the list itself is not in the API */
	F_USED,		 /* read for the name, the address or the join */
	F_IGNORED	 /* known, not mapped: why */
};

#define W_H323 "H.323 stage timeout; Kamailio speaks SIP"
#define W_MEDIA "Kamailio does not see the media"
#define W_ROUTE \
	"number routing is the script's (dispatcher sets, lcr, drouting)"
#define W_DUR "call duration limits belong to the dialog module"
#define W_ADDR "SIP address rewriting is the script's"

static const struct field
{
	const char *name; /* lower case */
	int key;
	enum how how;
	const char *why;
} fields[] = {
		{"timeoutinvite", VS_K_T_INVITE, F_SECONDS, NULL},
		{"timeouttrying", VS_K_T_TRYING, F_SECONDS, NULL},
		{"timeoutsessionprogress", VS_K_T_SP, F_SECONDS, NULL},
		{"timeoutsessionprogresssdp", VS_K_T_SP_SDP, F_SECONDS, NULL},
		{"timeoutringing", VS_K_T_RINGING, F_SECONDS, NULL},
		/* the database: "stop..." and "until connect" switches */
		{"switchuntilconnect", VS_K_SW_CONNECT, F_FLAG, NULL},
		{"stopswitchaftersdp", VS_K_SW_SDP, F_FLAG, NULL},
		{"stopswitchafteruserbusy", VS_K_SW_BUSY, F_FLAG, NULL},
		{"stopswitchsipcodes", VS_K_SW_CODES, F_CODES, NULL},
		/* the API: "allow" switches, the inverse of the database's "stop" */
		{"switchallowring", VS_K_SW_CONNECT, F_ALLOW_POS, NULL},
		{"switchallowsdp", VS_K_SW_SDP, F_ALLOW, NULL},
		{"switchallowbusy", VS_K_SW_BUSY, F_ALLOW, NULL},
		{"switchallowerrorcode", VS_K_SW_CODES, F_ERRCODE, NULL},
		{"stopswitchafterrtpstart", -1, F_IGNORED, W_MEDIA},
		{"switchallowrtp", -1, F_IGNORED, W_MEDIA},
		{"mediacheckdirection", -1, F_IGNORED, W_MEDIA},
		{"name", -1, F_USED, "the profile's name"},
		{"remoteip", -1, F_USED, "the dispatcher destination"},
		{"signalport", -1, F_USED, "the dispatcher destination's port"},
		{"protocol", -1, F_USED, "SIP (1) or H.323 (0)"},
		{"registertype", -1, F_USED,
				"static (0) gateways get a dispatcher line"},
		{"priority", -1, F_USED, "shown in the dispatcher list's comment"},
		{"id", -1, F_USED, "the join"},
		{"gatewayrouting_id", -1, F_USED, "the join"},
		{"prefix", -1, F_IGNORED, W_ROUTE},
		{"prefixstyle", -1, F_IGNORED, W_ROUTE},
		{"capacity", -1, F_IGNORED,
				"concurrent call limits belong to the dialog module or htable"},
		{"locktype", -1, F_IGNORED,
				"locking a gateway is VOS3000 administration (dispatcher: "
				"ds_mark_dst / the list's flags)"},
		{"localip", -1, F_IGNORED,
				"the local address is Kamailio's listen= socket"},
		{"maxcalldurationlower", -1, F_IGNORED, W_DUR},
		{"maxcalldurationupper", -1, F_IGNORED, W_DUR},
		{"timeoutsetup", -1, F_IGNORED, W_H323},
		{"timeoutcallproceeding", -1, F_IGNORED, W_H323},
		{"timeoutcallproceedingolc", -1, F_IGNORED, W_H323},
		{"timeoutalerting", -1, F_IGNORED, W_H323},
		{"sipresponseaddressmethod", -1, F_IGNORED, W_ADDR},
		{"siprequestaddressmethod", -1, F_IGNORED, W_ADDR},
};
#define N_FIELDS ((int)(sizeof(fields) / sizeof(fields[0])))

#define W_DTMF "DTMF settings are the media path's"
#define W_UNKNOWN \
	"not among the published VOS3000 fields: not understood, ignored"

static const struct field *find_field(const char *name)
{
	int i;

	for(i = 0; i < N_FIELDS; i++)
		if(strcasecmp(fields[i].name, name) == 0)
			return &fields[i];
	return NULL;
}

/* snprintf for texts that may be cut: a report line or a source comment */
static void put(char *dst, size_t size, const char *fmt, ...)
		__attribute__((format(printf, 3, 4)));
static void put(char *dst, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(dst, size, fmt, ap);
	va_end(ap);
}

/* ---- values ---- */

static void raw_copy(char *dst, int dstlen, const char *s)
{
	int n = (int)strlen(s);

	if(n >= dstlen) { /* cut on a character boundary, marked */
		n = dstlen - 4;
		while(n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
		memcpy(dst, s, (size_t)n);
		memcpy(dst + n, "...", 4);
		return;
	}
	memcpy(dst, s, (size_t)n + 1);
}

/* the text with full-width digits and commas as ASCII ("４０４，５０３") */
static void ascii_digits(const char *s, char *out, int outlen, int *changed)
{
	const unsigned char *u = (const unsigned char *)s;
	int o = 0;
	unsigned cp;

	*changed = 0;
	while(*u && o < outlen - 1) {
		if(u[0] == 0xEF && u[1] && u[2]) {
			cp = ((u[0] & 0x0Fu) << 12) | ((u[1] & 0x3Fu) << 6)
				 | (u[2] & 0x3Fu);
			if(cp >= 0xFF01 && cp <= 0xFF5E) {
				out[o++] = (char)(cp - 0xFEE0);
				u += 3;
				*changed = 1;
				continue;
			}
		}
		out[o++] = (char)*u++;
	}
	out[o] = '\0';
}

/* A boolean as the source wrote it: 1 true, 0 false, -1 not one. */
static int truth(const vg_field_t *f)
{
	if(strcasecmp(f->val, "true") == 0 || strcmp(f->val, "1") == 0)
		return 1;
	if(strcasecmp(f->val, "false") == 0 || strcmp(f->val, "0") == 0)
		return 0;
	return -1;
}

static const char *stage_word(int key)
{
	switch(key) {
		case VS_K_T_INVITE:
			return "INVITE stage ends after";
		case VS_K_T_TRYING:
			return "trying stage ends after";
		case VS_K_T_SP:
			return "session-progress stage ends after";
		case VS_K_T_SP_SDP:
			return "early-media stage ends after";
	}
	return "ringing stage ends after";
}

typedef struct ctx
{
	vg_gw_t *g;
	const vg_rec_t *r;
	char *err;
	int errlen;
} ctx_t;

static int bad(ctx_t *c, const vg_field_t *f, const char *why)
{
	char q[64];

	raw_copy(q, sizeof(q), f->val);
	return vs_err(c->err, c->errlen, "%s: gateway \"%s\": %s \"%s\": %s",
			c->r->where, c->g->vosname, f->name, q, why);
}

static void set_own(ctx_t *c, vg_item_t *it, const vg_field_t *f, int key)
{
	char val[VS_SCHED_STRLEN + 4];

	c->g->own |= 1u << key;
	vs_prof_write_value(&c->g->v, key, val, sizeof(val));
	put(c->g->src[key], VS_PROF_SRCLEN, "%s = %s, %s", f->name, it->raw,
			c->r->where);
	it->status = VG_MAPPED;
	it->key = key;
	snprintf(it->note + strlen(it->note), sizeof(it->note) - strlen(it->note),
			"%s%s %s", it->note[0] ? ": " : "", vs_key_name(key), val);
}

static void inherit(vg_item_t *it, int key, const char *why)
{
	it->status = VG_INHERITED;
	it->key = key;
	snprintf(it->note, sizeof(it->note), "%s inherited (%s)", vs_key_name(key),
			why);
}

static int map_seconds(ctx_t *c, vg_item_t *it, const vg_field_t *f, int key)
{
	char why[VS_ERRLEN], txt[64];
	unsigned int ms;
	int changed;

	if(f->kind == VG_NULL || f->val[0] == '\0') {
		inherit(it, key, f->kind == VG_NULL ? "NULL" : "empty");
		return 0;
	}
	if(f->kind == VG_BOOL || f->kind == VG_NESTED)
		return bad(c, f, "not a number of seconds");
	ascii_digits(f->val, txt, sizeof(txt), &changed);
	if(txt[0] == '-')
		return bad(c, f,
				"negative: VOS3000 timeouts are seconds, 0 = the "
				"system value");
	if(vs_seconds_parse(txt, -1, VS_SECONDS_MAX_MS, &ms, why, sizeof(why)) < 0)
		return bad(c, f, why);
	if(ms == 0) {
		inherit(it, key, "0 = the system value");
		return 0;
	}
	*(unsigned int *)vs_value_ptr(&c->g->v, key) = ms;
	set_own(c, it, f, key);
	snprintf(it->note + strlen(it->note), sizeof(it->note) - strlen(it->note),
			" (%s %s s%s)", stage_word(key), txt,
			changed ? "; full-width digits read as ASCII" : "");
	return 0;
}

/* switches: F_FLAG (database), F_ALLOW and F_ALLOW_POS (API) */
static int map_switch(
		ctx_t *c, vg_item_t *it, const vg_field_t *f, const struct field *d)
{
	int t;

	if(f->kind == VG_NULL || f->val[0] == '\0') {
		inherit(it, d->key, f->kind == VG_NULL ? "NULL" : "empty");
		return 0;
	}
	if((t = truth(f)) < 0)
		return bad(c, f,
				d->how == F_FLAG ? "not 0 or 1" : "not true/false (or 1/0)");
	if(d->how == F_FLAG && t == 0) {
		inherit(it, d->key, "0 = the system value");
		return 0;
	}
	*(int *)vs_value_ptr(&c->g->v, d->key) = d->how == F_ALLOW ? !t : t;
	set_own(c, it, f, d->key);
	if(d->how == F_ALLOW)
		snprintf(it->note + strlen(it->note),
				sizeof(it->note) - strlen(it->note),
				" (the API's \"allow\" %s is the rule %s)",
				t ? "true" : "false", t ? "off" : "on");
	return 0;
}

static int map_codes(ctx_t *c, vg_item_t *it, const vg_field_t *f)
{
	char why[VS_ERRLEN], txt[256];
	int changed;

	if(f->kind == VG_NULL || f->val[0] == '\0' || strcmp(f->val, "0") == 0) {
		inherit(it, VS_K_SW_CODES,
				f->kind == VG_NULL ? "NULL" : (f->val[0] ? "0" : "empty"));
		return 0;
	}
	ascii_digits(f->val, txt, sizeof(txt), &changed);
	if(vs_codes_parse(txt, -1, &c->g->v.stop_codes, why, sizeof(why)) < 0)
		return bad(c, f, why);
	set_own(c, it, f, VS_K_SW_CODES);
	if(changed)
		snprintf(it->note + strlen(it->note),
				sizeof(it->note) - strlen(it->note),
				" (full-width characters read as ASCII)");
	return 0;
}

static int map_field(ctx_t *c, const vg_field_t *f)
{
	const struct field *d = find_field(f->name);
	vg_item_t *it = &c->g->item[c->g->n_items++];

	memset(it, 0, sizeof(*it));
	snprintf(it->field, sizeof(it->field), "%s", f->name);
	raw_copy(it->raw, sizeof(it->raw), f->kind == VG_NULL ? "NULL" : f->val);
	it->key = -1;
	if(d == NULL) {
		it->status = strcasestr(f->name, "dtmf") ? VG_NOT_MAPPED : VG_UNKNOWN;
		it->why = it->status == VG_NOT_MAPPED ? W_DTMF : W_UNKNOWN;
		return 0;
	}
	switch(d->how) {
		case F_SECONDS:
			return map_seconds(c, it, f, d->key);
		case F_FLAG:
		case F_ALLOW:
		case F_ALLOW_POS:
			return map_switch(c, it, f, d);
		case F_CODES:
			return map_codes(c, it, f);
		case F_ERRCODE:
			it->status = VG_NOT_MAPPED;
			it->why =
					truth(f) == 0
							? "switching stops after listed error codes, but "
							  "the API does not give the list: set "
							  "switch_stop_codes by hand, or read the database "
							  "(stopswitchsipcodes)"
							: "switching is allowed after error codes: no "
							  "switch_stop_codes of its own";
			return 0;
		case F_USED:
			it->status = VG_USED;
			it->why = d->why;
			return 0;
		case F_IGNORED:
			it->status = VG_NOT_MAPPED;
			it->why = d->why;
			return 0;
	}
	return 0;
}

/* ---- names ---- */

void vg_sanitize(const char *vosname, int index, char *out, int outlen)
{
	const unsigned char *s = (const unsigned char *)vosname;
	int o = 0, max = outlen - 1 < 56 ? outlen - 1 : 56, gap = 0;

	for(; *s && o < max; s++) {
		if((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')
				|| (*s >= '0' && *s <= '9') || *s == '_') {
			if(gap && o > 0 && out[o - 1] != '_')
				out[o++] = '_';
			gap = 0;
			if(o < max)
				out[o++] = (char)*s;
		} else if((*s & 0xC0) != 0x80) {
			gap = 1; /* one '_' for a run of other characters */
		}
	}
	out[o] = '\0';
	if(o == 0)
		snprintf(out, (size_t)outlen, "gw_%d", index);
}

static int name_taken(const vg_gws_t *gws, int upto, const char *name)
{
	int i;

	if(strcmp(name, "defaults") == 0)
		return 1;
	for(i = 0; i < upto; i++)
		if(strcmp(gws->g[i].profile, name) == 0)
			return 1;
	return 0;
}

static void name_profile(vg_gws_t *gws, int i)
{
	vg_gw_t *g = &gws->g[i];
	char base[VS_PROF_NAMELEN];
	int k;

	vg_sanitize(g->vosname, i + 1, base, sizeof(base));
	snprintf(g->profile, sizeof(g->profile), "%s", base);
	for(k = 2; name_taken(gws, i, g->profile); k++)
		snprintf(g->profile, sizeof(g->profile), "%.50s_%d", base, k);
	if(g->vosname[0] == '\0')
		snprintf(g->name_note, sizeof(g->name_note), "no name: %s", g->profile);
	else if(strcmp(g->profile, base) != 0)
		snprintf(g->name_note, sizeof(g->name_note),
				"name taken by an earlier gateway: made unique");
	else if(strcmp(g->profile, g->vosname) != 0)
		snprintf(g->name_note, sizeof(g->name_note),
				"name sanitized to letters, digits and _");
}

/* ---- the dispatcher destination ---- */

static int host_ok(const char *h)
{
	if(*h == '\0')
		return 0;
	for(; *h; h++)
		if(!((*h >= 'A' && *h <= 'Z') || (*h >= 'a' && *h <= 'z')
				   || (*h >= '0' && *h <= '9') || *h == '.' || *h == '-'
				   || *h == ':'))
			return 0;
	return 1;
}

static int destination(ctx_t *c)
{
	const vg_field_t *ip = vg_rec_get(c->r, "remoteip"),
					 *port = vg_rec_get(c->r, "signalport"),
					 *proto = vg_rec_get(c->r, "protocol"),
					 *reg = vg_rec_get(c->r, "registertype");
	vg_gw_t *g = c->g;
	long pn = 0;
	char *end;

	if(proto != NULL && proto->kind != VG_NULL
			&& strcmp(proto->val, "1") != 0) {
		snprintf(g->no_uri, sizeof(g->no_uri),
				"protocol %s is not SIP (1): Kamailio cannot reach it",
				proto->val);
		return 0;
	}
	if(reg != NULL && reg->kind != VG_NULL && strcmp(reg->val, "0") != 0) {
		snprintf(g->no_uri, sizeof(g->no_uri),
				"registerType %s (not static): its address is learned at run "
				"time; route to it in the script and select its profile there",
				reg->val);
		return 0;
	}
	if(ip == NULL || ip->kind == VG_NULL || ip->val[0] == '\0') {
		snprintf(g->no_uri, sizeof(g->no_uri), "no remoteIp");
		return 0;
	}
	if(!host_ok(ip->val)) {
		snprintf(g->no_uri, sizeof(g->no_uri),
				"remoteIp \"%.60s\" is not one host name or IP address",
				ip->val);
		return 0;
	}
	if(port != NULL && port->kind != VG_NULL && port->val[0] != '\0') {
		pn = strtol(port->val, &end, 10);
		if(*end != '\0' || pn < 0 || pn > 65535)
			return bad(c, port, "not a port number 0..65535");
	}
	snprintf(g->uri, sizeof(g->uri), "sip:%s%s%s",
			strchr(ip->val, ':') ? "[" : "", ip->val,
			strchr(ip->val, ':') ? "]" : "");
	if(pn > 0)
		snprintf(g->uri + strlen(g->uri), sizeof(g->uri) - strlen(g->uri),
				":%ld", pn);
	return 0;
}

/* ---- all of it ---- */

static void note_unknown(vg_gws_t *gws, const vg_gw_t *g)
{
	int i, j;

	for(i = 0; i < g->n_items; i++) {
		if(g->item[i].status != VG_UNKNOWN)
			continue;
		for(j = 0; j < gws->n_unknown; j++)
			if(strcasecmp(gws->unknown[j], g->item[i].field) == 0)
				break;
		if(j < gws->n_unknown)
			continue;
		if(gws->n_unknown < 16)
			snprintf(
					gws->unknown[gws->n_unknown++], 64, "%s", g->item[i].field);
		else
			gws->n_unknown_more++;
	}
}

static int map_one(
		vg_gws_t *gws, int i, const vg_rec_t *r, char *err, int errlen)
{
	vg_gw_t *g = &gws->g[i];
	const vg_field_t *f;
	ctx_t c = {.g = g, .r = r, .err = err, .errlen = errlen};
	int k;

	snprintf(g->where, sizeof(g->where), "%s", r->where);
	if((f = vg_rec_get(r, "name")) != NULL && f->kind != VG_NULL)
		snprintf(g->vosname, sizeof(g->vosname), "%s", f->val);
	if((f = vg_rec_get(r, "priority")) != NULL && f->kind != VG_NULL)
		raw_copy(g->vos_priority, sizeof(g->vos_priority), f->val);
	if((g->item = calloc((size_t)r->n + 1, sizeof(vg_item_t))) == NULL)
		return vs_err(err, errlen, "out of memory");
	vs_values_vos_defaults(&g->v);
	for(k = 0; k < r->n; k++)
		if(map_field(&c, &r->f[k]) < 0)
			return -1;
	name_profile(gws, i);
	if(destination(&c) < 0)
		return -1;
	gws->n_profiles++;
	gws->n_uris += g->uri[0] != '\0';
	note_unknown(gws, g);
	return 0;
}

int vg_map(const vg_recs_t *recs, vg_gws_t *out, char *err, int errlen)
{
	int i;

	memset(out, 0, sizeof(*out));
	if(recs->n == 0)
		return vs_err(err, errlen, "no routing gateway in the input");
	if((out->g = calloc((size_t)recs->n, sizeof(vg_gw_t))) == NULL)
		return vs_err(err, errlen, "out of memory");
	for(i = 0; i < recs->n; i++) {
		out->n = i + 1;
		if(map_one(out, i, &recs->r[i], err, errlen) < 0)
			return -1;
	}
	return 0;
}

void vg_gws_free(vg_gws_t *gws)
{
	int i;

	for(i = 0; i < gws->n; i++)
		free(gws->g[i].item);
	free(gws->g);
	memset(gws, 0, sizeof(*gws));
}

/* ---- output ---- */

int vg_write_dispatcher(
		FILE *f, const vg_gws_t *gws, int setid, const char *from)
{
	int i, prio = gws->n_uris;

	fprintf(f,
			"# Dispatcher list written by vos2kam from %s.\n"
			"# setid destination flags priority attrs: one line per static SIP "
			"gateway,\n"
			"# priorities descending in the order VOS3000 listed them (its own "
			"priority is\n"
			"# in the comment: rearrange as your routing needs). vosprofile= "
			"names the\n"
			"# gateway profile that modparam(\"vostimer\", "
			"\"gateway_profile\", "
			"...) reads.\n",
			from);
	for(i = 0; i < gws->n; i++) {
		const vg_gw_t *g = &gws->g[i];
		if(g->uri[0] == '\0')
			continue;
		fprintf(f, "# VOS3000 gateway \"");
		for(const char *p = g->vosname; *p; p++)
			fputc(*p == '\n' || *p == '\r' ? ' ' : *p, f);
		fprintf(f, "\"%s%s\n", g->vos_priority[0] ? ", priority " : "",
				g->vos_priority);
		fprintf(f, "%d %s 0 %d name=%s;vosprofile=%s\n", setid, g->uri, prio--,
				g->profile, g->profile);
	}
	return ferror(f) ? -1 : 0;
}

static const char *status_word(int s)
{
	static const char *const w[] = {
			"mapped", "inherited", "not mapped", "not understood", "used"};

	return w[s];
}

void vg_report(FILE *f, const vg_gws_t *gws, const vs_values_t *defaults)
{
	char val[VS_SCHED_STRLEN + 4];
	const vg_item_t *it;
	int i, k, n[5];

	for(i = 0; i < gws->n; i++) {
		const vg_gw_t *g = &gws->g[i];
		memset(n, 0, sizeof(n));
		fprintf(f, "gateway \"%s\" (%s) -> profile \"%s\"%s%s%s, %s%s\n",
				g->vosname, g->where, g->profile, g->name_note[0] ? " (" : "",
				g->name_note, g->name_note[0] ? ")" : "",
				g->uri[0] ? "dispatcher " : "no dispatcher line: ",
				g->uri[0] ? g->uri : g->no_uri);
		for(k = 0; k < g->n_items; k++) {
			it = &g->item[k];
			n[it->status]++;
			if(it->status == VG_MAPPED)
				fprintf(f, "  %s = %s -> %s\n", it->field, it->raw, it->note);
			else if(it->status == VG_INHERITED) {
				vs_prof_write_value(defaults, it->key, val, sizeof(val));
				fprintf(f, "  %s = %s -> %s: %s from defaults\n", it->field,
						it->raw, it->note, val);
			}
		}
		for(k = 0; k < g->n_items; k++) {
			it = &g->item[k];
			if(it->status == VG_NOT_MAPPED || it->status == VG_UNKNOWN)
				fprintf(f, "  %s = %s -> %s: %s\n", it->field, it->raw,
						status_word(it->status), it->why);
		}
		fprintf(f,
				"  (%d mapped, %d inherited, %d not mapped, %d not "
				"understood)\n",
				n[VG_MAPPED], n[VG_INHERITED], n[VG_NOT_MAPPED], n[VG_UNKNOWN]);
	}
}
