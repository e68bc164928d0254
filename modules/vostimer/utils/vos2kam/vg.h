/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vg: VOS3000's routing gateways for vos2kam - the records its sources give
 * (GetGatewayRouting JSON, a mysqldump, a live database), the field map onto profile
 * keys, the gateway profiles and the dispatcher list (doc/migration.md).
 * Pure except vg_db.c (libmariadb): no Kamailio header. Every function that can fail
 * returns -1 and a message naming the value and where it came from in err. */
#ifndef VG_H
#define VG_H

#include <stddef.h>
#include <stdio.h>

#include "vs_prof.h"

#define VG_ERRLEN 512
#define VG_WHERELEN 128

/* the kind of a field's value, as the source gave it */
enum vg_kind
{
	VG_NULL = 0, /* SQL NULL, JSON null */
	VG_STR,
	VG_NUM,
	VG_BOOL,  /* JSON true/false: val is "true"/"false" */
	VG_NESTED /* a JSON array or object: val is "[...]" / "{...}" */
};

typedef struct vg_field
{
	char *name; /* as the source spells it */
	char *val;	/* text; "" for VG_NULL */
	int kind;	/* enum vg_kind */
} vg_field_t;

/* One row or object: a routing gateway, or half of one before the join. */
typedef struct vg_rec
{
	char where
			[VG_WHERELEN]; /* "gw.json:12:5", "dump.sql:57 (row 3)", "row 3" */
	int n, cap;
	vg_field_t *f;
} vg_rec_t;

typedef struct vg_recs
{
	int n, cap;
	vg_rec_t *r;
} vg_recs_t;

/* ---- records (vg_rec.c) ---- */
int vg_rec_add(vg_rec_t *r, const char *name, int nlen, const char *val,
		int vlen, int kind);
/* a new empty record at the end of rs, or NULL (out of memory) */
vg_rec_t *vg_recs_new(vg_recs_t *rs, const char *where_fmt, ...)
		__attribute__((format(printf, 2, 3)));
/* the field named name (case-insensitive), or NULL */
const vg_field_t *vg_rec_get(const vg_rec_t *r, const char *name);
void vg_recs_free(vg_recs_t *rs);

/* Join routing rows with setting rows into one record per gateway: a setting row's
 * gatewayrouting_id matches the routing row's gatewayrouting_id column, else its id
 * column. how says which ("e_gatewayroutingsetting.gatewayrouting_id =
 * e_gatewayrouting.id"). A routing row with no setting row keeps its own fields; a
 * setting row that matches no routing row is an error. out is appended to. */
int vg_join(const vg_recs_t *routing, const vg_recs_t *setting, vg_recs_t *out,
		char *how, int howlen, char *err, int errlen);

/* ---- sources ---- */
/* GetGatewayRouting's response body as saved ({"retCode":0,
 * "infoGatewayRoutings":[...]}), or the bare array: one record per gateway. */
int vg_json_read(const char *buf, size_t len, const char *origin,
		vg_recs_t *out, char *err, int errlen);

/* the rows of e_gatewayrouting and e_gatewayroutingsetting in a mysqldump (other
 * tables skipped); *n_tables says how many of the two were found */
int vg_dump_read(FILE *f, const char *origin, vg_recs_t *routing,
		vg_recs_t *setting, int *n_tables, char *err, int errlen);

/* The same from a live database, read-only (vg_db.c). url: mysql://[user@]host[:port]
 * [/database][?socket=PATH]; the password comes from the option file (may be NULL)
 * or MYSQL_PWD. desc says what was read ("database vos3000 on host:port"). */
int vg_db_read(const char *url, const char *option_file, vg_recs_t *routing,
		vg_recs_t *setting, char *desc, int desclen, char *err, int errlen);

/* What kind of text buf holds: the first bytes decide. */
enum vg_input
{
	VG_IN_EXPORT = 0, /* SS_* lines, table rows, CSV, softswitch.conf */
	VG_IN_JSON,		  /* GetGatewayRouting */
	VG_IN_DUMP		  /* mysqldump */
};
int vg_detect(const char *buf, size_t len);
const char *vg_input_name(int kind);

/* ---- gateways (vg_gw.c) ---- */
enum vg_status
{
	VG_MAPPED = 0, /* its own value: set in the gateway profile */
	VG_INHERITED,  /* 0 / empty / NULL: the system value */
	VG_NOT_MAPPED, /* a known field vostimer does not use */
	VG_UNKNOWN,	   /* a field not among the published ones */
	VG_USED		   /* name, address, ids: used, not a timing value */
};

typedef struct vg_item
{
	char field[64];
	char raw[64];
	int status;		 /* enum vg_status */
	int key;		 /* VS_K_*, -1 */
	const char *why; /* VG_NOT_MAPPED / VG_UNKNOWN / VG_USED: why */
	char note[200];	 /* VG_MAPPED / VG_INHERITED: what it became */
} vg_item_t;

typedef struct vg_gw
{
	char vosname[128]; /* the gateway's VOS3000 name as given ("" when none) */
	char where[VG_WHERELEN];
	char profile[VS_PROF_NAMELEN]; /* "" when no profile is written */
	char name_note[160];   /* how the profile name was made, "" when as is */
	char uri[160];		   /* dispatcher destination, "" when none */
	char no_uri[200];	   /* why there is no dispatcher line */
	char vos_priority[24]; /* VOS3000's priority, as given, for a comment */
	vs_values_t v;		   /* own values (only the bits in own count) */
	unsigned int own;
	char src[VS_K_COUNT][VS_PROF_SRCLEN];
	int n_items;
	vg_item_t *item;
} vg_gw_t;

typedef struct vg_gws
{
	int n;
	vg_gw_t *g;
	int n_profiles, n_uris;
	int n_unknown; /* distinct fields not understood */
	char unknown[16][64];
	int n_unknown_more;
} vg_gws_t;

/* Map every record onto a gateway: profile keys from its own values (0, "", NULL
 * inherit), a unique profile name from its VOS3000 name, a dispatcher URI from its
 * address. Values that do not parse are an error naming the gateway, the field, the
 * value and where. */
int vg_map(const vg_recs_t *recs, vg_gws_t *out, char *err, int errlen);
void vg_gws_free(vg_gws_t *gws);

/* the profile name for a VOS3000 gateway name: [A-Za-z0-9_], at most 56 characters,
 * "gw_<index>" when nothing is left. Not made unique here. */
void vg_sanitize(const char *vosname, int index, char *out, int outlen);

/* The dispatcher list: one line per gateway with a URI, in set setid, priorities
 * descending in the order of the source, attrs name=<profile>;vosprofile=<profile>. */
int vg_write_dispatcher(
		FILE *f, const vg_gws_t *gws, int setid, const char *from);

/* The report on the gateways, for stderr. defaults: the values the gateways inherit. */
void vg_report(FILE *f, const vg_gws_t *gws, const vs_values_t *defaults);

#endif
