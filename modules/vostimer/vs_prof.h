/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vs_prof: the profile model - named sets of VOS3000 timing values
 * (doc/user-guide.md §1) - and the libconfig profile file (doc/profiles.md).
 * Pure: no Kamailio header. A profile set is one flat, pointer-free block
 * (vs_profset_t), so the glue can copy it into shared memory with one
 * allocation and free it with one free. */
#ifndef VS_PROF_H
#define VS_PROF_H

#include <stddef.h>
#include <stdio.h>
#include "vs_sched.h"

#define VS_PROF_NAMELEN 64
#define VS_PROF_SRCLEN 96
#define VS_PROF_MAX \
	256 /* profiles in a set, "defaults" included: a file holds 255 */
#define VS_RETRY_MAX 100	/* send_retry: 0..100 */
#define VS_SW_LIMIT_MAX 100 /* gateway_switch_limit: 0..100 */

/* the values a profile carries; the index names each one (for "where from") */
enum vs_key
{
	VS_K_RESEND = 0, /* resend_interval */
	VS_K_RETRY,		 /* send_retry */
	VS_K_T_INVITE,	 /* timeout_invite */
	VS_K_T_TRYING,	 /* timeout_trying */
	VS_K_T_SP,		 /* timeout_session_progress: 181/182/183 without SDP */
	VS_K_T_SP_SDP,	 /* timeout_session_progress_sdp: early media */
	VS_K_T_RINGING,	 /* timeout_ringing */
	VS_K_BUDGET,	 /* setup_budget (0 = none) */
	VS_K_SW_LIMIT, /* gateway_switch_limit: gateways tried per call, 0 = no cap */
	VS_K_SW_BUSY,	 /* switch_stop_after_busy: a 486/600 ends the call */
	VS_K_SW_CONNECT, /* switch_until_connect: may switch after ringing */
	VS_K_SW_SDP, /* stop_switch_after_sdp: no switch once early media went up */
	VS_K_SW_CODES, /* switch_stop_codes: final codes that end switching */
	VS_K_COUNT
};

#define VS_CODES_MAX 16 /* switch_stop_codes: at most 16 codes */

/* a list of final SIP codes (300..699), sorted, no duplicates */
typedef struct vs_codes
{
	unsigned short n;
	unsigned short c[VS_CODES_MAX];
} vs_codes_t;

typedef struct vs_values
{
	vs_sched_t sched;		  /* the list as written (not cut) */
	int send_retry;			  /* retransmissions cap, 0..100 */
	unsigned int t_invite_ms; /* 0 = not limited by this module */
	unsigned int t_trying_ms;
	unsigned int t_sp_ms;	  /* session_progress: 181/182/183 without SDP */
	unsigned int t_sp_sdp_ms; /* session_progress_sdp: the same with SDP */
	unsigned int t_ringing_ms;
	unsigned int budget_ms; /* whole setup across failovers, 0 = none */
	int sw_limit;			/* 0 = no cap */
	int sw_stop_busy;		/* 0/1 */
	int sw_until_connect;	/* 0/1 */
	int sw_stop_sdp;		/* 0/1 */
	vs_codes_t stop_codes;	/* final codes that end switching; n = 0: none */
} vs_values_t;

typedef struct vs_profile
{
	char name[VS_PROF_NAMELEN];
	char extends[VS_PROF_NAMELEN]; /* "" when none */
	vs_values_t v;				   /* effective values, after resolution */
	unsigned int own; /* bit k: the profile sets key k itself or through its
						 extends chain (not `defaults`, not the base): what it
						 overrides when it is a gateway profile */
	char src[VS_K_COUNT]
			[VS_PROF_SRCLEN]; /* where each came from: "file:line", "extends x", "defaults", "modparam", "VOS3000 default" */
} vs_profile_t;

typedef struct vs_profset
{
	size_t size; /* bytes of this block, header included */
	int n;
	vs_profile_t p[]; /* n profiles; p[0] is "defaults" */
} vs_profset_t;

/* the VOS3000 factory defaults (doc/profiles.md, Keys) */
void vs_values_vos_defaults(vs_values_t *v);

/* the key's name as written in the file ("resend_interval", ...); NULL if out of range */
const char *vs_key_name(int key);

/* The type of a key's value, from the same key table the loader reads. */
enum vs_key_kind
{
	VS_KIND_LIST =
			0,	 /* resend_interval: a vs_sched_t, each interval in seconds */
	VS_KIND_INT, /* an int (send_retry, gateway_switch_limit) */
	VS_KIND_SECONDS, /* an unsigned int of ms, shown as seconds (2.5) */
	VS_KIND_BOOL,	 /* an int, 0 or 1 */
	VS_KIND_CODES	 /* a vs_codes_t: "404,503" */
};

/* the kind of a key (enum vs_key_kind); -1 if out of range */
int vs_key_kind(int key);

/* vs_value_ptr for reading: NULL when the key is out of range */
const void *vs_value_cptr(const vs_values_t *v, int key);

/* Where a key's value lives in v: vs_sched_t * for resend_interval, unsigned int *
 * (ms) for the seconds keys, int * for send_retry and the switch rules, vs_codes_t *
 * for switch_stop_codes; NULL when the key is out of range. */
void *vs_value_ptr(vs_values_t *v, int key);

/* the key index of a name as written in the file; -1 when unknown. len < 0: strlen */
int vs_key_find(const char *name, int len);

/* copy key k's value from src to dst */
void vs_key_copy(vs_values_t *dst, const vs_values_t *src, int key);

/* dst takes from src every key whose bit is set in mask (bit k = key k) */
void vs_values_overlay(
		vs_values_t *dst, const vs_values_t *src, unsigned int mask);

/* A list of final codes as written: "404,503", "404, 408 ,503"; "" is the empty
 * list. Each a whole number 300..699, at most VS_CODES_MAX; duplicates are kept
 * once; stored sorted. len < 0: strlen. 0 and *out set, or -1 and why in err
 * (naming the element and its 1-based position). */
int vs_codes_parse(
		const char *s, int len, vs_codes_t *out, char *err, int errlen);

/* "404,503" ("" for the empty list); returns the length. A short buffer ends
 * after the last code that fits whole. */
int vs_codes_format(const vs_codes_t *c, char *buf, int buflen);

/* code is in the list */
int vs_codes_has(const vs_codes_t *c, int code);

/* The base a file resolves onto: VOS3000 defaults overridden by modparams.
 * base_src[k] says "modparam" or "VOS3000 default" for each key. */
typedef struct vs_base
{
	vs_values_t v;
	const char *src[VS_K_COUNT];
} vs_base_t;

/* Load and validate a libconfig profile file. On success returns a malloc()ed set
 * (caller frees with free()); on failure NULL and err says "file:line: reason". */
vs_profset_t *vs_prof_load(
		const char *path, const vs_base_t *base, char *err, int errlen);

/* A set holding only "defaults" = base (no file). */
vs_profset_t *vs_prof_from_base(const vs_base_t *base);

/* Find a profile by name (len < 0: strlen). NULL when absent. */
const vs_profile_t *vs_prof_find(
		const vs_profset_t *set, const char *name, int len);

/* Write one value as libconfig text: "0.5,1,2" (quotes included), 10, 2.5, true.
 * Returns the length written (NUL excluded), or -1 if the key is unknown or buf is
 * too small. */
int vs_prof_write_value(const vs_values_t *v, int key, char *buf, int buflen);

/* 0 when name[0..len) is a valid profile name: 1..63 characters of [A-Za-z0-9_.-].
 * Else -1 and why in err. Does not refuse "defaults" (the loader does). len < 0: strlen */
int vs_prof_name_check(const char *name, int len, char *err, int errlen);

/* Write profiles first..first+count-1 of a set (count < 0: to the end) as a loadable
 * libconfig file: p[0], when included, as the `defaults` group, the others in the
 * `profiles` list. Every key is written, so the file loads to the same values onto any
 * base; `extends` is kept when its parent is written too (or is "defaults").
 * VS_PROF_WF_SRC adds a comment after each value saying where it came from.
 * VS_PROF_WF_OWN writes, for each profile but `defaults`, only the keys of its `own`
 * mask: a gateway profile that sets only what the gateway sets itself, and inherits
 * the rest when it is loaded. Returns 0, or -1 on bad arguments or a write error. */
#define VS_PROF_WF_SRC 1
#define VS_PROF_WF_OWN 2
#define VS_PROF_ALL_KEYS ((1u << VS_K_COUNT) - 1)
int vs_prof_write_file(
		FILE *f, const vs_profset_t *set, int first, int count, int flags);

#endif
