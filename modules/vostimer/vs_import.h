/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vs_import: reads a VOS3000 parameter export (the SS_SIP_* text operators
 * copy out of VOS3000's SIP parameter page) into profile values, and explains
 * every parameter it saw and every value it finds inconsistent
 * (doc/migration.md). Pure: no Kamailio header. */
#ifndef VS_IMPORT_H
#define VS_IMPORT_H

#include <stddef.h>
#include "vs_prof.h"

#define VS_IMP_LINE_MAX 8192 /* longer lines are refused: no export has them */
#define VS_IMP_FILE_MAX \
	(16u << 20) /* vs_import_file refuses files above 16 MiB */
#define VS_IMP_MAX_ITEMS \
	256 /* parameters listed in a report; the rest counted */
#define VS_IMP_MAX_WARN 24
#define VS_IMP_NAMELEN 64
#define VS_IMP_RAWLEN 64
#define VS_IMP_NOTELEN 448
#define VS_IMP_WARNLEN 320

/* One parameter the reader saw, in file order. */
typedef struct vs_import_item
{
	char name[VS_IMP_NAMELEN]; /* upper-cased, e.g. "SS_SIP_TIMEOUT_INVITE" */
	char raw[VS_IMP_RAWLEN]; /* the value as written, cut with "..." if long */
	int line;				 /* 1-based */
	int key;				 /* enum vs_key it set, or -1 when not mapped */
	/* mapped: what it became, 'timeout_invite = 8 (INVITE stage ends after 8 s)';
	 * not mapped: why, 'not mapped: registration is not ...' */
	char note[VS_IMP_NOTELEN];
} vs_import_item_t;

typedef struct vs_import_report
{
	int n_items;
	int n_more; /* parameters seen beyond VS_IMP_MAX_ITEMS */
	vs_import_item_t item[VS_IMP_MAX_ITEMS];
	int key_line
			[VS_K_COUNT]; /* line that set each key, 0 when not in the export */
	int n_lines;		  /* lines read */
	int n_skipped;	   /* lines that hold no SS_* parameter (headers, text) */
	int first_skipped; /* the first of them, 0 when none */
	int n_warn;
	int n_warn_more; /* warnings beyond VS_IMP_MAX_WARN */
	char warn[VS_IMP_MAX_WARN][VS_IMP_WARNLEN];
} vs_import_report_t; /* ~120 KB: allocate it, do not put it on a small stack */

/* Read buf[0..len) (NAME=VALUE lines, or NAME VALUE [default] [description] table rows
 * separated by tabs or spaces; quotes, CRLF, comments and blank lines allowed).
 * v is in: the base values; out: the base with the export applied (only on success).
 * rep (may be NULL) is filled with every parameter seen and the warnings about the
 * text itself (a parameter given twice, nothing mapped); for the warnings about the
 * values, call vs_import_warnings(v, rep) next. Returns 0, or -1 with
 * err = "origin:line: reason" naming the parameter and value; v is then untouched. */
int vs_import_text(const char *buf, size_t len, const char *origin,
		vs_values_t *v, vs_import_report_t *rep, char *err, int errlen);

/* vs_import_text on a whole file; origin is the path. path "-" reads stdin. */
int vs_import_file(const char *path, vs_values_t *v, vs_import_report_t *rep,
		char *err, int errlen);

/* Append to rep the warnings about a set of values: intervals SS_SIP_TIMEOUT_INVITE
 * always cuts off, intervals SS_SIP_SEND_RETRY leaves unused, flat or shrinking
 * schedules, stage timeouts of 0 or beyond tm's default max_inv_lifetime, and the
 * like - vs_warn_values() worded with the VOS3000 parameter names. Returns how many
 * it added. */
int vs_import_warnings(const vs_values_t *v, vs_import_report_t *rep);

/* The VOS3000 parameter name that feeds a key ("SS_SIP_TIMEOUT_INVITE"), or NULL. */
const char *vs_import_param_name(int key);

#endif
