/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vs_warn: the sanity checks on timing values - what they will do that an operator
 * may not expect (doc/migration.md §5) - as text, worded either with VOS3000's
 * parameter names (an import report) or with the profile keys and the profile's
 * name (vostimer.check, vostimer.reload, start-up). Warnings never refuse anything.
 * Pure: no Kamailio header; tm's max_inv_lifetime comes in as a number. */
#ifndef VS_WARN_H
#define VS_WARN_H

#include "vs_prof.h"

#define VS_WARN_LEN 320 /* one warning, NUL included; longer ones are cut */
#define VS_WARN_LIFE_DEFAULT_MS \
	180000u /* tm's default max_inv_lifetime, when the real one is not known */
#define VS_WARN_IMPORT_SRC \
	"vos_import " /* a base src "vos_import <file>:<line>": an imported value */

/* how much a text matters: a value that does what an operator may not expect
 * (VS_WARN), or a remark on a deliberate setting - a stage timeout of 0, "not
 * limited by vostimer" (VS_NOTE: logged at INFO level, not WARNING) */
enum vs_warn_level
{
	VS_NOTE = 0,
	VS_WARN = 1
};

/* receives each warning, one at a time (text is only valid during the call) */
typedef void (*vs_warn_fn)(void *ctx, int level, const char *text);

typedef struct vs_warn_opts
{
	/* how a key is named in the text: vs_key_name (NULL: the same) or
	 * vs_import_param_name; a NULL answer falls back on vs_key_name */
	const char *(*name)(int key);
	/* put before each text, e.g. "profile fast: "; NULL: none */
	const char *prefix;
	/* tm's max_inv_lifetime; 0: not known (its default 180 s is assumed, and
	 * said so) */
	unsigned int life_ms;
} vs_warn_opts_t;

/* The warnings about one set of values: intervals SS_SIP_SEND_RETRY leaves unused,
 * sends the INVITE timeout always cuts off, flat or shrinking lists or a first
 * interval below T1, stage timeouts of 0, stage timeouts (trying, session progress
 * with and without SDP, ringing) at or beyond max_inv_lifetime, a switch limit of 1.
 * o may be NULL (key names, no prefix, lifetime not known). Returns how many. */
int vs_warn_values(const vs_values_t *v, const vs_warn_opts_t *o,
		vs_warn_fn add, void *ctx);

/* The warnings about a resolved profile file: vs_warn_values for every profile
 * (key names, prefix "profile <name>: ") - a profile's warning that its parent
 * (extends) or the defaults profile already gives word for word is said once, for
 * the parent - then each key the file's `defaults` group sets over a value imported
 * from a VOS3000 export (base->src[k] starting with VS_WARN_IMPORT_SRC; base may be
 * NULL: no import). Returns how many. */
int vs_warn_set(const vs_profset_t *set, const vs_base_t *base,
		unsigned int life_ms, vs_warn_fn add, void *ctx);

#endif
