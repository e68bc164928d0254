/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vg_rec: the records every gateway source gives (one per row or JSON object, each
 * field a name, a text value and its kind), the join of VOS3000's two gateway tables,
 * and telling the input kinds apart from their first bytes. Pure: libc only. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "vg.h"
#include "vs_sched.h"

static char *dup_n(const char *s, int n)
{
	char *d = malloc((size_t)n + 1);

	if(d != NULL) {
		memcpy(d, s, (size_t)n);
		d[n] = '\0';
	}
	return d;
}

int vg_rec_add(vg_rec_t *r, const char *name, int nlen, const char *val,
		int vlen, int kind)
{
	vg_field_t *nf;

	if(r->n == r->cap) {
		nf = realloc(r->f, sizeof(*nf) * (size_t)(r->cap ? r->cap * 2 : 16));
		if(nf == NULL)
			return -1;
		r->f = nf;
		r->cap = r->cap ? r->cap * 2 : 16;
	}
	nf = &r->f[r->n];
	nf->name = dup_n(name, nlen < 0 ? (int)strlen(name) : nlen);
	nf->val = dup_n(
			val ? val : "", val ? (vlen < 0 ? (int)strlen(val) : vlen) : 0);
	nf->kind = kind;
	if(nf->name == NULL || nf->val == NULL) {
		free(nf->name);
		free(nf->val);
		return -1;
	}
	r->n++;
	return 0;
}

vg_rec_t *vg_recs_new(vg_recs_t *rs, const char *where_fmt, ...)
{
	vg_rec_t *nr;
	va_list ap;

	if(rs->n == rs->cap) {
		nr = realloc(rs->r, sizeof(*nr) * (size_t)(rs->cap ? rs->cap * 2 : 16));
		if(nr == NULL)
			return NULL;
		rs->r = nr;
		rs->cap = rs->cap ? rs->cap * 2 : 16;
	}
	nr = &rs->r[rs->n++];
	memset(nr, 0, sizeof(*nr));
	va_start(ap, where_fmt);
	vsnprintf(nr->where, sizeof(nr->where), where_fmt, ap);
	va_end(ap);
	return nr;
}

const vg_field_t *vg_rec_get(const vg_rec_t *r, const char *name)
{
	int i;

	for(i = 0; i < r->n; i++)
		if(strcasecmp(r->f[i].name, name) == 0)
			return &r->f[i];
	return NULL;
}

static void rec_free(vg_rec_t *r)
{
	int i;

	for(i = 0; i < r->n; i++) {
		free(r->f[i].name);
		free(r->f[i].val);
	}
	free(r->f);
}

void vg_recs_free(vg_recs_t *rs)
{
	int i;

	for(i = 0; i < rs->n; i++)
		rec_free(&rs->r[i]);
	free(rs->r);
	memset(rs, 0, sizeof(*rs));
}

/* ---- the join ---- */

/* a copy of src's fields into dst, except those dst already has (the routing row's
 * id is kept; the setting row's own id is not copied over it) */
static int merge_fields(vg_rec_t *dst, const vg_rec_t *src)
{
	int i;

	for(i = 0; i < src->n; i++) {
		if(vg_rec_get(dst, src->f[i].name) != NULL)
			continue;
		if(vg_rec_add(
				   dst, src->f[i].name, -1, src->f[i].val, -1, src->f[i].kind)
				< 0)
			return -1;
	}
	return 0;
}

/* the routing table's key column: gatewayrouting_id when it has one, else id */
static const char *routing_key(const vg_recs_t *routing)
{
	if(routing->n > 0
			&& vg_rec_get(&routing->r[0], "gatewayrouting_id") != NULL)
		return "gatewayrouting_id";
	return "id";
}

int vg_join(const vg_recs_t *routing, const vg_recs_t *setting, vg_recs_t *out,
		char *how, int howlen, char *err, int errlen)
{
	const char *rkey = routing_key(routing);
	const vg_field_t *sid, *rid;
	vg_rec_t *o;
	int i, j, *used = calloc((size_t)setting->n + 1, sizeof(int));

	if(used == NULL)
		return vs_err(err, errlen, "out of memory");
	snprintf(how, (size_t)howlen,
			"e_gatewayroutingsetting.gatewayrouting_id = e_gatewayrouting.%s",
			rkey);
	for(j = 0; j < setting->n; j++)
		if(vg_rec_get(&setting->r[j], "gatewayrouting_id") == NULL) {
			free(used);
			return vs_err(err, errlen,
					"e_gatewayroutingsetting %s: no gatewayrouting_id column: "
					"cannot tell which gateway it belongs to",
					setting->r[j].where);
		}
	for(i = 0; i < routing->n; i++) {
		rid = vg_rec_get(&routing->r[i], rkey);
		if(rid == NULL && setting->n > 0) {
			free(used);
			return vs_err(err, errlen,
					"e_gatewayrouting %s: no %s column to join "
					"e_gatewayroutingsetting on",
					routing->r[i].where, rkey);
		}
		if((o = vg_recs_new(out, "%s", routing->r[i].where)) == NULL
				|| merge_fields(o, &routing->r[i]) < 0)
			goto oom;
		for(j = 0; rid != NULL && j < setting->n; j++) {
			sid = vg_rec_get(&setting->r[j], "gatewayrouting_id");
			if(strcmp(sid->val, rid->val) != 0)
				continue;
			if(used[j]++ == 0 && merge_fields(o, &setting->r[j]) < 0)
				goto oom;
		}
	}
	for(j = 0; j < setting->n; j++)
		if(!used[j]) {
			sid = vg_rec_get(&setting->r[j], "gatewayrouting_id");
			vs_err(err, errlen,
					"e_gatewayroutingsetting %s: gatewayrouting_id %s matches "
					"no e_gatewayrouting row (%s)",
					setting->r[j].where, sid->val, how);
			free(used);
			return -1;
		}
	free(used);
	return 0;
oom:
	free(used);
	return vs_err(err, errlen, "out of memory");
}

/* ---- input kinds ---- */

static int starts_ci(const char *p, const char *end, const char *w)
{
	size_t n = strlen(w);

	return (size_t)(end - p) >= n && strncasecmp(p, w, n) == 0;
}

int vg_detect(const char *buf, size_t len)
{
	const char *p = buf, *end = buf + (len > 65536 ? 65536 : len), *eol;

	if(len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	while(p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	if(p < end && (*p == '{' || *p == '['))
		return VG_IN_JSON;
	/* a dump: its own header, or SQL statements before any SS_ line */
	for(; p < end; p = eol + 1) {
		if(starts_ci(p, end, "-- MySQL dump")
				|| starts_ci(p, end, "-- MariaDB dump")
				|| starts_ci(p, end, "CREATE TABLE")
				|| starts_ci(p, end, "INSERT INTO")
				|| starts_ci(p, end, "DROP TABLE")
				|| starts_ci(p, end, "LOCK TABLES"))
			return VG_IN_DUMP;
		if(starts_ci(p, end, "SS_"))
			return VG_IN_EXPORT;
		if((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			break;
	}
	return VG_IN_EXPORT;
}

const char *vg_input_name(int kind)
{
	switch(kind) {
		case VG_IN_JSON:
			return "GetGatewayRouting JSON";
		case VG_IN_DUMP:
			return "mysqldump";
	}
	return "parameter export";
}
