/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vs_tm: the tm glue - per-transaction records, tm callbacks, the resend and expire
 * actions run by the timer processes, and deciding to end a branch (vs_tmi.c ends
 * it as tm's fr_timer does).
 * Locks, outermost first: tm's reply lock > vs_txn.lock > a timer queue lock. */
#ifndef VS_TM_H
#define VS_TM_H

#include <stdint.h>
#include "core/locking.h"
#include "core/parser/msg_parser.h"
#include "core/pvar.h"
#include "modules/tm/tm_load.h"
#include "vs_prof.h"
#include "vs_stage.h"
#include "vs_gw.h"

/* the switch rules and budget a branch runs with (its own: its gateway profile's
 * or branch_route's values included); vos_failover() decides on the failed
 * branch's */
typedef struct vs_brules
{
	unsigned int budget_ms;
	vs_codes_t stop_codes;
	uint8_t sw_limit, sw_stop_busy, sw_until_connect, sw_stop_sdp;
} vs_brules_t;

/* one outgoing branch (~160 bytes); lives in a vs_brchunk of its vs_txn, guarded
 * by vs_txn.lock. The heaps keep pointers to rpos/epos: a branch never moves. */
typedef struct vs_branch
{
	int rpos, epos; /* slots in the resend/expire heaps, VS_HEAP_NONE if out */
	uint32_t rseq, eseq; /* identity of the live heap entries (0 = none) */
	uint64_t t0, tend;	 /* ns, CLOCK_MONOTONIC: first send, end */
	unsigned int end_ms; /* end of the invite stage, ms after t0 */
	unsigned int stage_ms[VS_ST_TIMED]; /* each stage's timeout, 0: none */
	vs_sched_t sched;					/* after the send_retry cut */
	vs_brules_t rules;
	uint16_t prof_id; /* the call's profile when the branch was prepared */
	uint16_t gw_id;	  /* its gateway profile, 0: none (vs_pset_name) */
	uint8_t prepared; /* values set (branch_route, gateway, or at the start) */
	uint8_t active;	  /* 1 while this module drives the branch */
	uint8_t stage, reason, exp_reason;
	uint8_t reliable, is_invite;
	uint8_t sends, next_k;
	uint8_t late;		 /* a 2xx came after we ended it: ACKed, BYE sent */
	uint8_t after_cancel; /* the caller CANCELed an unanswered branch and tm's
							 cancel_b_method keeps it: VS_CB_* */
	int16_t last_code;
	vs_gw_ref_t gw; /* its gateway, for the per-gateway figures (vs_gw.c) */
} vs_branch_t;

/* branches [base, base + cap) of a transaction; chunks are added as tm adds
 * branches (failover), never moved or freed before the transaction */
typedef struct vs_brchunk
{
	struct vs_brchunk *next;
	int base, cap;
	vs_branch_t br[];
} vs_brchunk_t;

/* what tm's cancel_b_method leaves to a branch that had no reply when the caller
 * CANCELed (0: tm ends it at once with a 487: nothing is left) */
enum vs_cancel_b
{
	VS_CB_NONE = 0,
	VS_CB_RETR,	 /* 1: retransmissions go on until a reply (then tm CANCELs) or
					the branch's end */
	VS_CB_CANCEL /* 2: tm CANCELs it at once; it ends at the gateway's 487 or at
					the branch's end */
};

/* one transaction: shm, one allocation (with the branches known then), made when
 * there is something to keep - the script's values, or the first send or reply -
 * and owned by tm through the release callback of our registration, freed when tm
 * frees the cell */
typedef struct vs_txn
{
	gen_lock_t lock;
	unsigned int hash, label;
	uint32_t seq;	  /* heap entry counter */
	vs_values_t next;		  /* values for the next branch */
	unsigned int next_inline; /* keys of `next` the script set inline */
	int next_prof;			  /* the call's profile (vs_pset_name id) */
	uint64_t setup_t0; /* first send of the first branch (ns), 0 before */
	int started;	   /* branches started */
	int rang;		   /* a branch got a 101-199: a gateway reached ringing */
	int early_media;   /* a 101-199 with SDP was relayed to the caller */
	int decided; /* `started` when vos_failover() last counted a decision */
	int nbr;	 /* branches covered by the chunks: 0 .. nbr-1 */
	vs_brchunk_t *chunks;
} vs_txn_t;

/* what $vos(...) shows: a copy taken under the lock. The branch's values (valid:
 * there is one) and the next branch's are kept apart. */
typedef struct vs_view
{
	int valid;
	int reason, stage, sends, elapsed_ms, started, last_code;
	int rang, early_media, canceled; /* the call, for the switch rules */
	int stop;			 /* vs_failover_decide(): VS_STOP_NONE or the rule */
	long budget_left_ms; /* -1: no budget */
	char schedule[VS_SCHED_STRLEN]; /* the branch's (cut by send_retry) */
	int prof_id, gw_id;				/* the branch's profiles (vs_pset_name) */
	char callid[128]; /* the transaction's Call-ID (cut if longer) */
	char dst[80];	  /* the branch's destination, "udp:10.0.0.1:5060" */
	vs_values_t rules; /* what vos_failover() decides on: the branch's */
	vs_values_t next;  /* what the next branch starts with */
	int next_prof;
	char gateway[VS_GW_NAMELEN]; /* the branch's gateway (vs_gw.c) */
	long pdd_ms, answer_ms;		 /* -1: none (no 18x, not answered) */
	int is_end; /* event_route[vostimer:branch-end]: no call-level state */
} vs_view_t;


/* modparams: gateway_profile (a pseudo-variable format, "" = none) and
 * local_profile ("" = the default profile, "tm" = tm's own timers, or a name) */
extern char *vs_gateway_profile;
extern char *vs_local_profile;

int vs_tm_init(void);

/* a 2xx to an INVITE on branch b of t (REFed by the caller): */
enum vs_late
{
	VS_LATE_NONE = 0, /* not a branch this module ended: tm's as usual */
	VS_LATE_FIRST,	  /* the first 2xx for it: ACK and BYE */
	VS_LATE_AGAIN	  /* a retransmission of it: ACK again */
};
/* under vs_txn.lock: is it late, and mark it; *reason (why the branch ended), the
 * view's callid and dst (the gateway) filled when it is */
int vs_tm_late(struct cell *t, int b, int *reason, vs_view_t *v);
void vs_tm_fire(int q, const uint32_t key[4]);
vs_txn_t *vs_txn_of(struct cell *t);

/* the values the script changes for this message: the transaction's "next" values
 * when it exists (in branch_route: that branch's own), else a pending copy applied
 * when tm creates it. fn runs on a copy, outside every lock; the result is stored
 * under vs_txn.lock if fn succeeds. Returns fn's result. fn sets in *inl the keys it
 * set inline (they beat a gateway profile); vos_profile() sets *prof and clears
 * *inl. */
typedef int (*vs_values_edit_f)(
		vs_values_t *v, int *prof, unsigned int *inl, void *arg);
int vs_tm_edit_next(struct sip_msg *msg, vs_values_edit_f fn, void *arg);

/* fill a view for the branch failure_route handles (or the event route's branch) */
int vs_tm_view(struct sip_msg *msg, vs_view_t *v);

/* vos_failover(): the view, and the decision counted once per failed branch (a
 * second call in the same failure_route does not count again). */
int vs_tm_failover(struct sip_msg *msg, vs_view_t *v);

/* run an event route (rt >= 0) or, rt < 0, the KEMI function cb with the event
 * name, on a faked message; $vos(...) shows v there. No lock may be held. */
void vs_tm_run_event(int rt, str *cb, str *name, vs_view_t *v);

/* a pseudo-variable format evaluated on msg into buf (NUL-terminated): its length,
 * 0 when it gives nothing ($null parts add nothing), -1 when buf is too short */
int vs_tm_fmt_name(pv_elem_t *fmt, struct sip_msg *msg, char *buf, int size);

#endif
