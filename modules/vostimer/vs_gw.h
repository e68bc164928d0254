/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vs_gw: the per-gateway figures in shared memory (a table of at most gateway_max
 * gateways, the least recently used evicted) and the branch-end event (a queue in
 * shm, drained by a process of its own that runs event_route[vostimer:branch-end]).
 * vs_tm.c calls in at a branch's naming (REQUEST_FWDED), start, first 18x and end.
 * Locks, outermost first: vs_txn.lock > the table's insert lock > an entry's lock.
 * An entry's lock guards its figures; the insert lock only inserts and evicts; the
 * name index is read under a sequence counter, without a lock. */
#ifndef VS_GW_H
#define VS_GW_H

#include <stdint.h>
#include "core/str.h"
#include "vs_gwfig.h"

#define VS_GW_NAMELEN 64
#define VS_GW_NO_PDD UINT32_MAX

struct cell;
struct sip_msg;
struct vs_branch;
struct vs_view;

/* a branch's gateway, kept in its vs_branch under vs_txn.lock (zeroed: none) */
typedef struct vs_gw_ref
{
	uint32_t slot;	 /* table entry + 1; 0: not named yet */
	uint32_t gen;	 /* the entry's generation when named: evicted since if not
						equal, and then nothing more is counted for the branch */
	uint32_t pdd_ms; /* first send -> first 18x; VS_GW_NO_PDD before */
	uint8_t b;		 /* the branch's index in its transaction (< 32) */
	uint8_t invite;	 /* an INVITE branch that started (the only ones counted) */
	uint8_t on;		 /* ... and has not ended */
	uint8_t counted; /* its start is counted on the entry: its end will be */
	struct cell *cell; /* the transaction, read by vs_gw_end() for the event's
						  Call-ID and destination only: its callers hold the cell;
						  NULL at release (the cell is being freed) */
} vs_gw_ref_t;

/* modparams */
extern int vs_gw_max;		 /* gateway_max: table size, 0 = no figures */
extern int vs_gw_window;	 /* gateway_window: the window's age, s */
extern char *vs_gw_name_fmt; /* gateway_name: a PV format, "" = host:port */
extern str
		vs_gw_end_callback; /* branch_end_callback: KEMI function, "" = none */

int vs_gw_init(void);			/* mod_init, after vs_tm_init() */
int vs_gw_child_init(int rank); /* PROC_MAIN: fork the event process */
void vs_gw_destroy(void);

/* gateway_name is set: tm's REQUEST_FWDED names each branch */
int vs_gw_named(void);

/* REQUEST_FWDED: gateway_name evaluated on the branch's request into *ref (no lock
 * of the caller held: the table may take its insert lock). 1: named, 0: the format
 * gave nothing (the branch start names it by its destination) or no figures. */
int vs_gw_name_branch(struct sip_msg *req, vs_gw_ref_t *ref);

/* vs_txn.lock held. A branch started (its first send left at br->t0): an INVITE
 * branch is named by its destination host:port unless gateway_name named it, and
 * counted as tried; other requests (BYE, OPTIONS) are not counted anywhere. */
void vs_gw_start(vs_gw_ref_t *ref, struct cell *t, int b);

/* vs_txn.lock held: a provisional; the first 18x fixes the post-dial delay */
void vs_gw_progress(vs_gw_ref_t *ref, int code, uint64_t t0, uint64_t now);

/* vs_txn.lock held, the branch leaves the module's control (once): counted on its
 * gateway by reason and final code (br->last_code), with its PDD and time to
 * answer; queued for event_route[vostimer:branch-end] when one is configured. */
void vs_gw_end(struct vs_branch *br, int reason, uint64_t now);

/* the transaction is being freed (free_cell): a branch still active ends now,
 * with no cell to read */
void vs_gw_release(struct vs_branch *br, uint64_t now);

/* vs_txn.lock held: the branch's gateway name and PDD into a view */
void vs_gw_view(const vs_gw_ref_t *ref, struct vs_view *v);

/* ---- readers: RPC and $vosgw ---- */

typedef struct vs_gw_snap
{
	char name[VS_GW_NAMELEN];
	vs_gwfig_t fig;
	vs_gwfig_sum_t sum;
} vs_gw_snap_t;

typedef struct vs_gw_info
{
	int cap, used, window_s, samples;
	uint32_t evicted;
} vs_gw_info_t;

void vs_gw_info(vs_gw_info_t *info);
/* entry i (0 .. cap-1) when it holds a gateway: 1, else 0 */
int vs_gw_snap_at(int i, vs_gw_snap_t *s);
/* the gateway named so: 1, 0 unknown */
int vs_gw_snap_name(const char *name, int len, vs_gw_snap_t *s);
/* reset one gateway's figures (1, 0 unknown) or, name NULL, every gateway's and
 * the eviction count (the number reset) */
int vs_gw_reset(const char *name, int len);

/* $vosgw(name=>field): the fields, by name (-1 unknown); the value, 0 when it has
 * none ($null: no samples, nothing tried) */
int vs_gw_field_id(const char *name, int len);
const char *vs_gw_field_names(void);
int vs_gw_field(const vs_gw_snap_t *s, int id, long *val);

#endif
