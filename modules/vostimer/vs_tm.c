/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vs_tm: vostimer's tm glue. Per transaction a vs_txn record (shm) holds the values
 * for the next branch and one vs_branch per outgoing branch; the timer processes
 * resend branches and end them (stage timeouts, schedule exhaustion, setup budget)
 * the way tm's fr_timer does: a local timeout reply (408, or tm's reply_408_code),
 * CANCEL if provisional, failure_route. tm internals only through vs_tmi.c.
 *
 * Locks, outermost first: tm's reply lock > vs_txn.lock > a timer queue lock
 * (vs_timer.c). vs_txn.lock is never held while tm is called, a packet is sent or a
 * route runs. References: a timer entry never holds a cell pointer - only (hash,
 * label, branch, seq); the timer processes look the cell up with t_lookup_ident(),
 * which REFs it, and drop that reference with unref_cell() before returning. tm
 * callbacks run with the cell referenced by tm itself. The vs_txn is freed by the
 * release callback of our one per-transaction registration, i.e. in free_cell(),
 * after its branches have left both heaps.
 * Under vs_txn.lock, the per-gateway figures (vs_gw.c) may take the gateway
 * table's insert lock > a gateway's entry lock, at a branch's start and end.
 *
 * Memory: the per-transaction cost is that one tm callback record; the vs_txn (one
 * shm allocation, header + the branches tm has then) comes only when there is
 * something to keep: the script chose values (at REQUEST_IN, or when a script
 * function runs on the transaction), or the first send or reply of a branch. Every
 * path that may create it (workers racing on a fast reply included) publishes it
 * with a compare-and-swap on our callback's param; the loser frees its copy. A
 * branch tm adds later (failover) gets a chunk of its own, once. */
#include <string.h>

#include "core/sr_module.h"
#include "core/dprint.h"
#include "core/mem/shm_mem.h"
#include "core/forward.h"
#include "core/timer_ticks.h"
#include "core/parser/parse_cseq.h"
#include "core/parser/parse_content.h"
#include "core/route.h"
#include "core/fmsg.h"
#include "core/kemi.h"
#include "core/receive.h"
#include "core/ip_addr.h"
#include "core/script_cb.h"
#include "core/pvar.h"
#include "core/pvapi.h"
#include "modules/tm/h_table.h"
#include "modules/tm/t_hooks.h"
#include "modules/tm/t_lookup.h"
#include "modules/tm/timer.h"

#include "vs_tm.h"
#include "vs_tmi.h"
#include "vs_late.h"
#include "vs_timer.h"
#include "vs_pset.h"
#include "vs_stats.h"
#include "vs_policy.h"

#define VS_BACKSTOP_MS 1000 /* tm's own FR stays armed this long after ours */

char *vs_gateway_profile = NULL;
char *vs_local_profile = NULL;
static pv_elem_t *gw_fmt = NULL; /* gateway_profile, parsed */
static int local_tm = 0;		 /* local_profile "tm": leave t_uac to tm */

/* values the script set before the transaction existed (this process only) */
static struct
{
	int set;
	unsigned int id;
	int pid;
	vs_values_t v;
	int prof;
	unsigned int inl;
} pending;

/* the script's values for msg were set before its transaction existed */
static int pending_is(struct sip_msg *msg)
{
	return pending.set && pending.id == msg->id && pending.pid == msg->pid;
}

/* the values msg's next branch gets while it has no vs_txn: what the script set
 * for it before its transaction existed, else the default profile's */
static void values_before_txn(
		struct sip_msg *msg, vs_values_t *v, int *prof, unsigned int *inl)
{
	if(msg && pending_is(msg)) {
		*v = pending.v;
		*prof = pending.prof;
		*inl = pending.inl;
	} else {
		*prof = vs_pset_default(v);
		*inl = 0;
	}
}

/* the values of a transaction tm created itself (t_uac): local_profile's, else the
 * default profile's */
static void values_local(vs_values_t *v, int *prof)
{
	if(vs_local_profile && vs_local_profile[0]
			&& (*prof = vs_pset_get(vs_local_profile, -1, v, NULL)) >= 0)
		return;
	*prof = vs_pset_default(v); /* a local_profile removed by a reload */
}

/* the branch the event route reports on (this process only) */
static vs_view_t *ev_view = NULL;

/* the branch_route now running in this process: its values, kept whole for the next
 * script function in the same branch_route (the branch itself keeps them cut) */
static struct
{
	int set;
	vs_txn_t *x;
	int b;
	vs_values_t v;
	int prof;
	unsigned int inl;
} brv;
static int brv_is(vs_txn_t *x, int b);

/* with x->lock held: the values branch b starts from, before a gateway profile -
 * its branch_route's when that set any in this process, else the call's next ones -
 * with the keys set inline and the call's profile */
static void branch_base(
		vs_txn_t *x, int b, vs_values_t *v, int *prof, unsigned int *inl)
{
	if(brv_is(x, b)) {
		*v = brv.v;
		*prof = brv.prof;
		*inl = brv.inl;
	} else {
		*v = x->next;
		*prof = x->next_prof;
		*inl = x->next_inline;
	}
}
static void view_ids(struct cell *t, int b, vs_view_t *v);

static void vs_cb_tm(struct cell *t, int type, struct tmcb_params *ps);

/* --------------------------------------------------------------------------- */

/* our callback's param on t: where the vs_txn pointer is published (NULL if t has
 * no registration of ours: ACK, CANCEL, local transactions) */
static void **txn_slot(struct cell *t)
{
	struct tm_callback *cb;
	if(t == NULL || t == T_UNDEFINED)
		return NULL;
	for(cb = (struct tm_callback *)t->tmcb_hl.first; cb; cb = cb->next)
		if(cb->callback == vs_cb_tm)
			return &cb->param;
	return NULL;
}

static vs_txn_t *txn_load(void **slot)
{
	return slot ? (vs_txn_t *)__atomic_load_n(slot, __ATOMIC_ACQUIRE) : NULL;
}

vs_txn_t *vs_txn_of(struct cell *t)
{
	return txn_load(txn_slot(t));
}

/* branch b's record, or NULL if no chunk covers it (with x->lock held, or where
 * nothing can add a chunk concurrently) */
static vs_branch_t *br_at(vs_txn_t *x, int b)
{
	vs_brchunk_t *c;
	for(c = x->chunks; c; c = c->next)
		if(b >= c->base && b < c->base + c->cap)
			return &c->br[b - c->base];
	return NULL;
}

static void chunk_init(vs_brchunk_t *c, int base, int cap)
{
	int i;
	memset(c, 0, sizeof(*c) + cap * sizeof(vs_branch_t));
	c->base = base;
	c->cap = cap;
	for(i = 0; i < cap; i++)
		c->br[i].rpos = c->br[i].epos = VS_HEAP_NONE;
}

/* with x->lock held: branch b's record, adding a chunk for the branches tm has
 * added since (up to b at least); NULL if b is out of range or shm is out */
static vs_branch_t *br_get(vs_txn_t *x, struct cell *t, int b)
{
	vs_brchunk_t *c, **tail;
	int hi;

	if(b < x->nbr)
		return br_at(x, b);
	if(b < 0 || b >= sr_dst_max_branches)
		return NULL;
	hi = (t && t->nr_of_outgoings > b) ? t->nr_of_outgoings : b + 1;
	c = shm_malloc(sizeof(*c) + (hi - x->nbr) * sizeof(vs_branch_t));
	if(c == NULL) {
		SHM_MEM_ERROR;
		return NULL;
	}
	chunk_init(c, x->nbr, hi - x->nbr);
	for(tail = &x->chunks; *tail; tail = &(*tail)->next)
		;
	*tail = c;
	x->nbr = hi;
	return br_at(x, b);
}

/* t's vs_txn, created if there is none yet: with the values the script set before
 * the transaction existed (this process, this message) or the default profile, and
 * a record for each branch t has. Published by a compare-and-swap on our callback's
 * param: whoever comes second frees its own and takes the first one's. */
static vs_txn_t *txn_get(struct cell *t, void **slot, struct sip_msg *msg)
{
	vs_txn_t *x, *cur = NULL;
	int nb;

	if(slot == NULL)
		return NULL;
	if((x = txn_load(slot)) != NULL)
		return x;
	nb = t->nr_of_outgoings > 0 ? t->nr_of_outgoings : 1;
	x = shm_malloc(
			sizeof(*x) + sizeof(vs_brchunk_t) + nb * sizeof(vs_branch_t));
	if(x == NULL) {
		SHM_MEM_ERROR;
		return NULL;
	}
	memset(x, 0, sizeof(*x));
	lock_init(&x->lock);
	x->chunks = (vs_brchunk_t *)(x + 1);
	chunk_init(x->chunks, 0, nb);
	x->nbr = nb;
	if(is_local(t))
		values_local(&x->next, &x->next_prof);
	else
		values_before_txn(msg, &x->next, &x->next_prof, &x->next_inline);
	if(__atomic_compare_exchange_n(
			   slot, &cur, x, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		if(msg && pending_is(msg))
			pending.set = 0; /* consumed */
		return x;
	}
	shm_free(x); /* another process published one first: cur */
	return cur;
}

static uint64_t ms_ns(unsigned int ms)
{
	return (uint64_t)ms * 1000000ull;
}

/* with x->lock held */
static void branch_stop_timers(vs_branch_t *br)
{
	vs_timer_del(VS_TQ_RESEND, &br->rpos);
	vs_timer_del(VS_TQ_EXPIRE, &br->epos);
	br->rseq = br->eseq = 0;
}

/* with x->lock held: the branch leaves this module's control */
static void branch_finish(vs_branch_t *br, int reason, uint64_t now)
{
	branch_stop_timers(br);
	if(br->active) {
		vs_stats_scheduled(-1);
		vs_gw_end(br, reason, now);
	}
	br->active = 0;
	br->reason = reason;
	br->tend = now;
}

/* with x->lock held: arm the expire entry at t (ns) for reason, capped by the
 * setup budget. ms == 0 means no module limit for this stage. */
static void branch_expire_at(vs_txn_t *x, vs_branch_t *br, int b, uint64_t from,
		unsigned int ms, int reason)
{
	uint64_t at = ms ? from + ms_ns(ms) : 0;
	uint32_t key[4];

	if(br->rules.budget_ms && x->setup_t0) {
		uint64_t bat = x->setup_t0 + ms_ns(br->rules.budget_ms);
		if(at == 0 || bat < at) {
			at = bat;
			reason = VS_R_BUDGET;
		}
	}
	if(at == 0) {
		vs_timer_del(VS_TQ_EXPIRE, &br->epos);
		br->eseq = 0;
		return;
	}
	br->exp_reason = reason;
	br->eseq = ++x->seq;
	key[0] = x->hash;
	key[1] = x->label;
	key[2] = b;
	key[3] = br->eseq;
	if(vs_timer_add(VS_TQ_EXPIRE, at, &br->epos, key) < 0)
		LM_ERR("cannot arm the expire timer of branch %d\n", b);
}

/* with x->lock held: the next retransmission, if the schedule has one */
static void branch_resend_next(vs_txn_t *x, vs_branch_t *br, int b)
{
	uint32_t key[4];

	if(br->reliable || br->next_k >= br->sched.n) {
		br->rseq = 0;
		return;
	}
	br->rseq = ++x->seq;
	key[0] = x->hash;
	key[1] = x->label;
	key[2] = b;
	key[3] = br->rseq;
	if(vs_timer_add(VS_TQ_RESEND,
			   br->t0 + ms_ns(vs_sched_at(&br->sched, br->next_k)), &br->rpos,
			   key)
			< 0)
		LM_ERR("cannot arm the resend timer of branch %d\n", b);
}

/* with x->lock held: the values branch b will run with - its own (branch_route,
 * gateway profile), else the transaction's next values; the list cut by send_retry */
static void branch_prepare(
		vs_branch_t *br, const vs_values_t *v, int prof, int gw)
{
	br->sched = v->sched;
	vs_sched_cut(&br->sched, v->send_retry);
	br->stage_ms[VS_ST_INVITE] = v->t_invite_ms;
	br->stage_ms[VS_ST_TRYING] = v->t_trying_ms;
	br->stage_ms[VS_ST_SP] = v->t_sp_ms;
	br->stage_ms[VS_ST_SP_SDP] = v->t_sp_sdp_ms;
	br->stage_ms[VS_ST_RINGING] = v->t_ringing_ms;
	br->rules.budget_ms = v->budget_ms;
	br->rules.stop_codes = v->stop_codes;
	br->rules.sw_limit = (uint8_t)v->sw_limit;
	br->rules.sw_stop_busy = (uint8_t)v->sw_stop_busy;
	br->rules.sw_until_connect = (uint8_t)v->sw_until_connect;
	br->rules.sw_stop_sdp = (uint8_t)v->sw_stop_sdp;
	br->prof_id = (uint16_t)(prof > 0 ? prof : 0);
	br->gw_id = (uint16_t)(gw > 0 ? gw : 0);
	br->prepared = 1;
}

/* the values a branch runs with, as vs_values_t: next's, with the branch's own
 * timing, rules and budget */
static void branch_values(
		const vs_branch_t *br, const vs_values_t *next, vs_values_t *v)
{
	*v = *next;
	v->sched = br->sched;
	v->t_invite_ms = br->stage_ms[VS_ST_INVITE];
	v->t_trying_ms = br->stage_ms[VS_ST_TRYING];
	v->t_sp_ms = br->stage_ms[VS_ST_SP];
	v->t_sp_sdp_ms = br->stage_ms[VS_ST_SP_SDP];
	v->t_ringing_ms = br->stage_ms[VS_ST_RINGING];
	v->budget_ms = br->rules.budget_ms;
	v->stop_codes = br->rules.stop_codes;
	v->sw_limit = br->rules.sw_limit;
	v->sw_stop_busy = br->rules.sw_stop_busy;
	v->sw_until_connect = br->rules.sw_until_connect;
	v->sw_stop_sdp = br->rules.sw_stop_sdp;
}

/* with x->lock held: branch b starts - its first send has just left. Called by the
 * REQUEST_SENT callback of that send or, if a fast gateway's reply reached another
 * worker first, by the RESPONSE_IN callback (then `now` is a few us late). */
static void branch_start(
		vs_txn_t *x, vs_branch_t *br, struct cell *t, int b, uint64_t now)
{
	int reason, st;
	unsigned int stage_max_ms = 0;
	s_ticks_t left;

	/* the identity exists once the cell is in the hash table (not at REQUEST_IN) */
	x->hash = t->hash_index;
	x->label = t->label;
	if(!br->prepared)
		branch_prepare(br, &x->next, x->next_prof, 0);
	br->is_invite = is_invite(t) ? 1 : 0;
	br->reliable = t->uac[b].request.dst.proto != PROTO_UDP;
	br->t0 = now;
	br->sends = 1;
	br->next_k = 1;
	br->stage = VS_ST_INVITE;
	br->reason = VS_R_NONE;
	br->active = 1;
	if(x->setup_t0 == 0)
		x->setup_t0 = now;
	x->started++;
	vs_gw_start(&br->gw, t, b);

	/* tm's transaction lifetime (max_inv_lifetime / max_noninv_lifetime) still caps */
	left = (s_ticks_t)(t->end_of_life - get_ticks_raw());
	reason = vs_stage_invite_end(vs_sched_giveup(&br->sched),
			br->stage_ms[VS_ST_INVITE], left > 0 ? (long)TICKS_TO_MS(left) : 0,
			&br->end_ms);
	/* tm restarts its FR with fr_inv_timeout on each provisional (t_reply.c): keep
	 * it behind our later stages' deadlines. Raised here, before any reply of this
	 * branch can be relayed; a plain store, as t_set_fr() does. */
	for(st = VS_ST_TRYING; st < VS_ST_TIMED; st++)
		if(br->stage_ms[st] > stage_max_ms)
			stage_max_ms = br->stage_ms[st];
	if(br->is_invite && stage_max_ms
			&& t->fr_inv_timeout < MS_TO_TICKS(stage_max_ms + VS_BACKSTOP_MS))
		t->fr_inv_timeout = MS_TO_TICKS(stage_max_ms + VS_BACKSTOP_MS);
	vs_stats_branch_started();
	vs_stats_scheduled(1);
	if(t->flags & T_CANCELED) { /* the caller CANCELed before this send */
		branch_finish(br, VS_R_NONE, now);
		return;
	}
	branch_expire_at(x, br, b, now, br->end_ms, reason);
	branch_resend_next(x, br, b);
}

/* --------------------------------------------------------------------------- */
/* tm callbacks                                                                  */

/* REQUEST_SENT: runs in the process that sent (a SIP worker, the expire process
 * inside failure_route, or whichever process called t_uac() for a transaction tm
 * creates itself: TMCB_LOCAL_F); the cell is referenced by tm (or, for t_uac, not
 * yet visible to any other process); the reply lock may be held.
 * On a branch's first send, and before tm arms its timer (t_fwd.c), switch tm's
 * retransmissions off and preset fr_expire as a backstop behind our own end. */
static void on_sent(struct cell *t, struct tmcb_params *ps)
{
	struct retr_buf *rb = ps->t_rbuf;
	vs_txn_t *x;
	vs_branch_t *br;
	unsigned int end_ms;
	int b, reliable;
	uint64_t sent;

	if(ps->flags & TMCB_RETR_F) /* tm's or our own retransmission */
		return;
	/* a branch's request, not a CANCEL or ACK tm builds (their own types) */
	if(rb == NULL || rb->rbtype != TYPE_REQUEST)
		return;
	/* the send's instant, taken before anything here can wait (shm allocation,
	 * locks): the schedule counts from it */
	sent = vs_now_ns();
	b = rb->branch;
	if((x = txn_get(t, ps->param, ps->req)) == NULL)
		return;
	lock_get(&x->lock);
	br = br_get(x, t, b);
	if(br && br->t0 == 0) /* else a fast reply in another worker started it */
		branch_start(x, br, t, b, sent);
	end_ms = br ? br->end_ms : 0;
	reliable = br ? br->reliable : 1;
	lock_release(&x->lock);
	if(br == NULL)
		return; /* out of shm (logged): tm's own timers keep the branch */

	if(!reliable)
		rb->flags |= F_RB_RETR_DISABLED;
	/* tm's FR as a backstop 1 s behind ours. _set_fr_retr() keeps a preset value
	 * (cmpxchg from 0); a 1xx that already came has set it from fr_inv_timeout -
	 * keep that one. */
	atomic_cmpxchg_int((void *)&rb->fr_expire, 0,
			(int)(get_ticks_raw() + MS_TO_TICKS(end_ms + VS_BACKSTOP_MS)));
}

/* with x->lock held: a 2xx or 6xx ends the INVITE; tm CANCELs every other branch,
 * so nothing more is sent or ended for them by this module */
static void finish_all(vs_txn_t *x, vs_branch_t *except, uint64_t at)
{
	vs_brchunk_t *c;
	int i;
	for(c = x->chunks; c; c = c->next)
		for(i = 0; i < c->cap; i++)
			if(&c->br[i] != except && c->br[i].active)
				branch_finish(&c->br[i], VS_R_NONE, at);
}

/* with x->lock held: a reply of code at instant `at` moves branch b on as the
 * stage machine (vs_stage.c) decides: stops its retransmissions, moves its stage
 * and restarts that stage's timer, ends it on a final. */
static void branch_on_reply(struct cell *t, vs_txn_t *x, vs_branch_t *br, int b,
		const vs_stage_step_t *step, int code, uint64_t at)
{
	/* a 100 that another worker handled after a 18x does not hide the 18x */
	if(code > 100 || br->last_code == 0)
		br->last_code = code;
	/* any response stops the retransmissions (INVITE and non-INVITE alike) */
	vs_timer_del(VS_TQ_RESEND, &br->rpos);
	br->rseq = 0;
	if(br->after_cancel && !step->final) {
		/* the caller CANCELed: tm CANCELs the branch now, its timer bounds it */
		branch_finish(br, VS_R_NONE, at);
		return;
	}
	if(step->final) {
		branch_finish(br, code >= 300 ? VS_R_REPLY : VS_R_NONE, at);
		br->stage = VS_ST_DONE;
		if(code >= 300)
			vs_stats_reason(VS_R_REPLY);
		if(br->is_invite
				&& (code < 300 || (code >= 600 && !(t->flags & T_DISABLE_6xx))))
			finish_all(x, br, at); /* tm CANCELs the other branches */
		return;
	}
	vs_gw_progress(&br->gw, code, br->t0, at);
	br->stage = step->stage;
	if(step->restart)
		branch_expire_at(x, br, b, at, br->stage_ms[step->stage],
				vs_stage_reason(step->stage));
}

static int reply_has_sdp(struct sip_msg *rpl);

/* RESPONSE_IN: a SIP worker, no tm lock held, cell referenced by tm. If the reply
 * beat the sender's REQUEST_SENT callback, the branch starts here. */
static void on_response(struct cell *t, struct tmcb_params *ps)
{
	struct sip_msg *rpl = ps->rpl;
	vs_txn_t *x;
	vs_branch_t *br;
	vs_stage_step_t step;
	int b, code = ps->code, inv = is_invite(t), sdp;
	uint64_t now;

	if(rpl == NULL || rpl == FAKED_REPLY)
		return;
	if(parse_headers(rpl, HDR_CSEQ_F, 0) < 0 || rpl->cseq == NULL
			|| get_cseq(rpl)->method_id == METHOD_CANCEL)
		return; /* a reply to our own CANCEL */
	b = vs_tmb.t_gett_branch();
	if(b < 0 || (x = txn_get(t, ps->param, NULL)) == NULL)
		return;
	/* the body decides a 181/182/183's stage; parsed outside the lock */
	sdp = vs_stage_needs_sdp(inv, code) ? reply_has_sdp(rpl) : 0;
	lock_get(&x->lock);
	now = vs_now_ns(); /* under the lock: never before a t0 another worker set */
	br = br_get(x, t, b);
	if(br && br->t0 == 0) /* the sender's REQUEST_SENT callback has not run yet */
		branch_start(x, br, t, b, now);
	vs_stage_on_reply(br ? br->stage : VS_ST_INVITE, inv, code, sdp, &step);
	if(step.ringing)
		x->rang = 1; /* for the switch rules: the call reached ringing */
	if(br && br->active)
		branch_on_reply(t, x, br, b, &step, code, now);
	lock_release(&x->lock);
}

/* a reply with an SDP body (Content-Type application/sdp, or a multipart body,
 * which carries SDP in practice); tm parsed it only up to CSeq/To */
static int reply_has_sdp(struct sip_msg *rpl)
{
	int mime;
	if(parse_headers(rpl, HDR_CONTENTLENGTH_F | HDR_CONTENTTYPE_F, 0) < 0
			|| rpl->content_length == NULL || get_content_length(rpl) <= 0)
		return 0;
	mime = parse_content_type_hdr(rpl);
	return mime == ((TYPE_APPLICATION << 16) + SUBTYPE_SDP)
		   || (mime >> 16) == TYPE_MULTIPART;
}

/* RESPONSE_OUT (INVITE only): a reply was relayed to the caller - a SIP worker or a
 * timer process, tm's reply lock held (relay_reply), cell referenced by tm. A
 * 101-199 with SDP there is early media the caller may already hear: the
 * stop_switch_after_sdp rule counts it only once relayed, so a provisional that
 * an onreply_route dropped does not count. */
static void on_response_out(struct cell *t, struct tmcb_params *ps)
{
	struct sip_msg *rpl = ps->rpl;
	vs_txn_t *x;

	if(ps->code <= 100 || ps->code >= 200 || rpl == NULL || rpl == FAKED_REPLY
			|| !reply_has_sdp(rpl))
		return;
	if((x = txn_get(t, ps->param, NULL)) == NULL)
		return;
	lock_get(&x->lock);
	x->early_media = 1;
	lock_release(&x->lock);
}

/* E2ECANCEL_IN (INVITE only): the caller CANCELed - a SIP worker, before tm cancels
 * the branches (t_fwd.c), cell referenced by tm. A branch that had a reply is
 * CANCELed by tm and bounded by tm's timer: it leaves this module. One without a
 * reply does what tm's cancel_b_method says, as with tm alone: 0, tm ends it at
 * once (487); 1, tm keeps retransmitting it (here: the schedule goes on) until a
 * reply comes, which tm CANCELs, or until it times out (here: its end, not tm's
 * backstop a second later); 2, tm CANCELs it at once and stops retransmitting,
 * and it ends at the gateway's 487 or at its end. */
static void on_cancel(struct cell *t, struct tmcb_params *ps)
{
	vs_txn_t *x = txn_load(ps->param);
	int method = vs_tmi_cancel_b_method(), i;
	vs_brchunk_t *c;
	vs_branch_t *br;
	uint64_t now = vs_now_ns();

	if(x == NULL)
		return; /* no branch started yet: branch_start sees T_CANCELED */
	lock_get(&x->lock);
	for(c = x->chunks; c; c = c->next)
		for(i = 0; i < c->cap; i++) {
			br = &c->br[i];
			if(!br->active)
				continue;
			if(method == 0 || c->base + i >= t->nr_of_outgoings
					|| t->uac[c->base + i].last_received != 0) {
				branch_finish(br, VS_R_NONE, now);
				continue;
			}
			br->after_cancel = method == 1 ? VS_CB_RETR : VS_CB_CANCEL;
			if(br->after_cancel == VS_CB_CANCEL) { /* tm stops resending it */
				vs_timer_del(VS_TQ_RESEND, &br->rpos);
				br->rseq = 0;
			}
		}
	lock_release(&x->lock);
}

/* ---- gateway profiles ---- */

#define GW_LOG_SLOTS 32
#define GW_LOG_INTERVAL 60 /* s: an unknown gateway profile is logged once per */

/* the unknown gateway-profile names logged lately (shm, all processes) */
static struct gw_log
{
	gen_lock_t lock;
	struct
	{
		char name[VS_PROF_NAMELEN];
		ticks_t at;
	} e[GW_LOG_SLOTS];
} *gw_log = NULL;

/* log an unknown gateway profile once per name per GW_LOG_INTERVAL (a gateway
 * that names a missing profile would otherwise log on every call) */
static void gw_unknown(const char *name, int len)
{
	ticks_t now = get_ticks_raw();
	int i, slot = 0, log = 1;

	if(len >= VS_PROF_NAMELEN)
		len = VS_PROF_NAMELEN - 1;
	lock_get(&gw_log->lock);
	for(i = 0; i < GW_LOG_SLOTS; i++) {
		if(strncmp(gw_log->e[i].name, name, len) == 0
				&& gw_log->e[i].name[len] == '\0') {
			slot = i;
			log = gw_log->e[i].at == 0
				  || TICKS_TO_S(now - gw_log->e[i].at) >= GW_LOG_INTERVAL;
			break;
		}
		if(gw_log->e[i].at < gw_log->e[slot].at)
			slot = i; /* the oldest, if the name is not there */
	}
	if(log) {
		memcpy(gw_log->e[slot].name, name, len);
		gw_log->e[slot].name[len] = '\0';
		gw_log->e[slot].at = now ? now : 1;
	}
	lock_release(&gw_log->lock);
	if(log)
		LM_WARN("gateway_profile \"%.*s\": no such profile - the branch keeps "
				"the call's values (logged once per %d s per name)\n",
				len, name, GW_LOG_INTERVAL);
}

/* a format (gateway_profile, gateway_name) evaluated on msg: the name into buf
 * (NUL-terminated), "" when the format gives nothing (a gateway without the
 * attribute). Elements that are $null add nothing (pv_printf() would write
 * "<null>"). */
int vs_tm_fmt_name(pv_elem_t *fmt, struct sip_msg *msg, char *buf, int size)
{
	pv_elem_t *e;
	pv_value_t val;
	int n = 0, w;

	buf[0] = '\0';
	for(e = fmt; e; e = e->next) {
		if(e->text.len > 0) {
			w = snprintf(buf + n, size - n, "%.*s", e->text.len, e->text.s);
			if(w < 0 || w >= size - n)
				return -1;
			n += w;
		}
		if(e->spec == NULL || e->spec->type == PVT_NONE)
			continue;
		if(pv_get_spec_value(msg, e->spec, &val) != 0
				|| (val.flags & PV_VAL_NULL))
			continue;
		if(val.flags & PV_VAL_STR)
			w = snprintf(buf + n, size - n, "%.*s", val.rs.len, val.rs.s);
		else if(val.flags & PV_VAL_INT)
			w = snprintf(buf + n, size - n, "%ld", (long)val.ri);
		else
			continue;
		if(w < 0 || w >= size - n)
			return -1;
		n += w;
	}
	return n;
}

/* the gateway profile that gateway_profile names for the branch msg prepares: its
 * id (its values and own keys into gv, own), or -1 when there is none or it is not
 * a profile (logged, once per name per GW_LOG_INTERVAL) */
static int gw_profile_of(struct sip_msg *msg, vs_values_t *gv, unsigned int *own)
{
	char name[VS_PROF_NAMELEN + 1];
	int len, gw;

	len = vs_tm_fmt_name(gw_fmt, msg, name, sizeof(name));
	if(len < 0) {
		gw_unknown(name, VS_PROF_NAMELEN);
		return -1;
	}
	if(len == 0)
		return -1; /* no gateway profile for this branch */
	if((gw = vs_pset_get(name, len, gv, own)) < 0)
		gw_unknown(name, len);
	return gw;
}

/* REQUEST_FWDED (registered only when gateway_profile or gateway_name is set): tm
 * has prepared the branch it is adding - after its branch_route, before its send -
 * in the process that relays (a SIP worker, or the expire process in
 * failure_route); the cell is referenced by tm. The branch is t->nr_of_outgoings
 * (add_uac() counts it once prepared). Both formats are evaluated (and the gateway
 * named, maybe inserted in its table) before vs_txn.lock is taken, once. The
 * branch's values: the call's (or its branch_route's), then the gateway profile's
 * own keys, then the keys the script set inline. */
static void on_fwded(struct cell *t, struct tmcb_params *ps)
{
	vs_values_t gv, v;
	unsigned int own = 0, inl;
	vs_gw_ref_t ref;
	vs_txn_t *x;
	vs_branch_t *br;
	int b = t->nr_of_outgoings, gw, named, prof;

	if(ps->req == NULL || b < 0 || b >= sr_dst_max_branches)
		return;
	gw = gw_profile_of(ps->req, &gv, &own);
	named = vs_gw_name_branch(ps->req, &ref) > 0;
	if((gw < 0 && !named) || (x = txn_get(t, ps->param, ps->req)) == NULL)
		return;
	lock_get(&x->lock);
	br = br_get(x, t, b);
	if(br && br->t0 == 0) {
		if(gw >= 0) {
			branch_base(x, b, &v, &prof, &inl);
			vs_values_overlay(&v, &gv, own & ~inl);
			branch_prepare(br, &v, prof, gw);
		}
		if(named)
			br->gw = ref;
	}
	lock_release(&x->lock);
}

/* our one registration on each transaction (one tm callback record) */
static void vs_cb_tm(struct cell *t, int type, struct tmcb_params *ps)
{
	switch(type) {
		case TMCB_REQUEST_SENT:
			on_sent(t, ps);
			break;
		case TMCB_RESPONSE_IN:
		case TMCB_LOCAL_RESPONSE_IN:
			on_response(t, ps);
			break;
		case TMCB_REQUEST_FWDED:
			on_fwded(t, ps);
			break;
		case TMCB_RESPONSE_OUT:
			on_response_out(t, ps);
			break;
		case TMCB_E2ECANCEL_IN:
			on_cancel(t, ps);
			break;
	}
}

/* release of our registration: free_cell(), nobody else holds the cell */
static void vs_txn_release(void *param)
{
	vs_txn_t *x = (vs_txn_t *)param;
	vs_brchunk_t *c, *next;
	int i;

	if(x == NULL)
		return; /* nothing was ever kept for this transaction */
	for(c = x->chunks; c; c = next) {
		next = c->next;
		for(i = 0; i < c->cap; i++) {
			branch_stop_timers(&c->br[i]);
			if(c->br[i].active) {
				vs_stats_scheduled(-1);
				vs_gw_release(&c->br[i], vs_now_ns());
			}
		}
		if(c != (vs_brchunk_t *)(x + 1)) /* the first one is x's own block */
			shm_free(c);
	}
	shm_free(x);
}

/* REQUEST_IN (global): the transaction is being created, in the SIP worker that
 * got the request, under the hash lock: one registration for every event vostimer
 * needs, and a record only if the script already chose values for this request. */
static void vs_cb_request_in(struct cell *t, int type, struct tmcb_params *ps)
{
	struct sip_msg *msg = ps->req;
	vs_txn_t *x = NULL;
	int types = TMCB_REQUEST_SENT | TMCB_RESPONSE_IN;

	if(msg == NULL || msg->REQ_METHOD & (METHOD_CANCEL | METHOD_ACK))
		return;
	if(msg->REQ_METHOD == METHOD_INVITE)
		types |= TMCB_E2ECANCEL_IN | TMCB_RESPONSE_OUT;
	/* tm copies each branch's URIs for it: only when asked for */
	if(gw_fmt || vs_gw_named())
		types |= TMCB_REQUEST_FWDED;
	if(vs_tmb.register_tmcb(0, t, types, vs_cb_tm, NULL, vs_txn_release) <= 0) {
		LM_ERR("cannot register the transaction callbacks\n");
		return;
	}
	if(pending_is(msg)) {
		x = txn_get(t, txn_slot(t), msg);
		if(x == NULL)
			LM_ERR("no shm for the values the script set: defaults apply\n");
	}
	pending.set = 0;
}

/* LOCAL_REQUEST_IN (global): a transaction tm creates itself (t_uac: dispatcher
 * keepalives, uac, dialog's BYEs), in the process that calls t_uac(), before its
 * first send; nobody else sees the cell yet. One registration, as for a received
 * request; its values come from local_profile when the record is made. */
static void vs_cb_local_in(struct cell *t, int type, struct tmcb_params *ps)
{
	if(local_tm || (t->method.len == 3 && memcmp(t->method.s, "ACK", 3) == 0))
		return;
	if(vs_tmb.register_tmcb(0, t, TMCB_REQUEST_SENT | TMCB_LOCAL_RESPONSE_IN,
			   vs_cb_tm, NULL, vs_txn_release)
			<= 0)
		LM_ERR("cannot register the callbacks of a local transaction: tm's "
			   "timers keep it\n");
}

/* Late answers: a SIP worker, in the core's pre-script callback of a reply (before
 * tm and the script see it); t REFed by the caller's t_check(). */
int vs_tm_late(struct cell *t, int b, int *reason, vs_view_t *v)
{
	vs_txn_t *x = vs_txn_of(t);
	vs_branch_t *br;
	int late = VS_LATE_NONE;

	if(x == NULL || b < 0 || b >= sr_dst_max_branches)
		return VS_LATE_NONE;
	lock_get(&x->lock);
	br = br_at(x, b);
	/* our RESPONSE_IN callback (run by that t_check()) has already finished a
	 * branch this 2xx reached first: then its reason is not ours and tm relays it */
	if(br && !br->active && vs_reason_ours(br->reason)) {
		late = br->late ? VS_LATE_AGAIN : VS_LATE_FIRST;
		br->late = 1;
		*reason = br->reason;
	}
	lock_release(&x->lock);
	if(late != VS_LATE_NONE) {
		memset(v, 0, sizeof(*v));
		view_ids(t, b, v);
	}
	return late;
}

/* --------------------------------------------------------------------------- */
/* timer actions: run in the resend / expire processes, no lock held on entry     */

/* tm's state says the branch needs nothing more from us (cell REFed by caller).
 * After the caller's CANCEL a branch that cancel_b_method keeps (br->after_cancel)
 * goes on until it gets a reply (tm CANCELs it then) or tm ends it. */
static int branch_settled(struct cell *t, int b, const vs_branch_t *br)
{
	struct retr_buf *rb = &t->uac[b].request;
	unsigned int done = F_RB_TIMEOUT | F_RB_DEL_TIMER;

	if(br->after_cancel) {
		if(t->uac[b].last_received != 0)
			return 1;
	} else {
		if(t->flags & T_CANCELED)
			return 1;
		done |= F_RB_CANCELED;
	}
	return t->uac[b].last_received >= 200 || t->uas.status >= 200
		   || (rb->flags & done) || rb->buffer == NULL;
}

/* Resend process. Reference: t is REFed by vs_tm_fire's t_lookup_ident(). Locks:
 * x->lock (then a heap lock inside branch_resend_next) only to decide and arm the
 * next send; no lock while sending or running the REQUEST_SENT callbacks - tm's own
 * retransmission handler holds none there either. */
static void send_failed(vs_txn_t *x, int b);

static void do_resend(struct cell *t, vs_txn_t *x, int b, uint32_t seq)
{
	struct retr_buf *rb = &t->uac[b].request;
	vs_branch_t *br;
	int ok;

	lock_get(&x->lock);
	br = br_at(x, b);
	ok = br && br->active && br->rseq == seq && br->stage == VS_ST_INVITE
		 && t->uac[b].last_received == 0;
	if(ok && branch_settled(t, b, br)) {
		/* tm is done with the branch (CANCELed, another branch answered) */
		branch_finish(br, VS_R_NONE, vs_now_ns());
		ok = 0;
	}
	if(ok) {
		br->sends++;
		br->next_k++;
		branch_resend_next(x, br, b);
	}
	lock_release(&x->lock);
	if(!ok)
		return;
	if(msg_send(&rb->dst, rb->buffer, rb->buffer_len) < 0) {
		send_failed(x, b);
		return;
	}
	vs_stats_retransmission();
	/* as tm does for its own retransmissions (timer.c): siptrace & co see it */
	vs_tmi_retr_sent(t, rb);
}

/* Resend process, no lock held: a retransmission could not be sent. tm's own
 * retransmission timer ends such a branch with a local 503 (timer.c,
 * retransmission_handler); so does this module, from the expire process (which runs
 * failure_route; this one never runs script): its expire entry is moved to now,
 * with the reason send_failed. */
static void send_failed(vs_txn_t *x, int b)
{
	vs_branch_t *br;
	uint32_t key[4];
	int n = 0;

	lock_get(&x->lock);
	br = br_at(x, b);
	if(br && br->active) { /* else a reply or the expire process came first */
		n = br->sends;
		vs_timer_del(VS_TQ_RESEND, &br->rpos);
		br->exp_reason = VS_R_SEND;
		br->eseq = ++x->seq;
		key[0] = x->hash;
		key[1] = x->label;
		key[2] = b;
		key[3] = br->eseq;
		if(vs_timer_add(VS_TQ_EXPIRE, vs_now_ns(), &br->epos, key) < 0)
			LM_ERR("cannot arm the expire timer of branch %d\n", b);
	}
	lock_release(&x->lock);
	if(n)
		LM_WARN("send %d of branch %d of %u:%u failed: the branch ends (local "
				"503, send_failed)\n",
				n, b, x->hash, x->label);
}

static void run_event_route(vs_view_t *v);
static int event_route_set(void);
static void view_fill(
		vs_txn_t *x, vs_branch_t *br, int b, vs_view_t *v, uint64_t now);

/* Expire process. Reference: t is REFed by vs_tm_fire's t_lookup_ident() for the
 * whole function, so the cell (and x) outlive failure_route even if it completes the
 * transaction. Locks: tm's reply lock, then x->lock to check the entry is still the
 * live one and mark the branch ended; the reply lock is released inside relay_reply()
 * (failure_route runs there, under it, as on tm's own fr_timer path); none for the
 * event route. If anything else settled the branch first, tm's own timer is left
 * armed, so the branch is never left without a bound. */
static void do_expire(struct cell *t, vs_txn_t *x, int b, uint32_t seq)
{
	vs_branch_t *br;
	vs_view_t view;
	int reason = VS_R_NONE, ok, ev = event_route_set();
	uint64_t now;

	vs_tmi_lock_replies(t);
	now = vs_now_ns();
	lock_get(&x->lock);
	br = br_at(x, b);
	ok = br && br->active && br->eseq == seq;
	if(ok)
		reason = br->exp_reason;
	if(ok && branch_settled(t, b, br)) {
		/* tm is done with the branch (a final reply, a CANCEL, its own timer) */
		br->eseq = 0;
		branch_finish(br, VS_R_NONE, now);
		ok = 0;
	}
	if(ok) {
		br->eseq = 0;
		branch_finish(br, reason, now);
		if(ev) /* what the event route will show: only if there is one */
			view_fill(x, br, b, &view, now);
	}
	lock_release(&x->lock);
	if(!ok) { /* tm's own timer of the branch is untouched: it still bounds it */
		vs_tmi_unlock_replies(t);
		return;
	}
	/* tm's FR timer of this branch (our backstop) is dead from here on: its handler
	 * drops a timer marked so, and tm's cleanup deletes it. No timer_del() here:
	 * it could wait for tm's handler, which waits for the reply lock we hold. */
	t->uac[b].request.flags |= F_RB_DEL_TIMER;
	vs_stats_reason(reason);
	LM_DBG("branch %d of %u:%u ends: %s\n", b, x->hash, x->label,
			vs_reason_name(reason));
	if(ev)
		view_ids(t, b, &view);
	/* failure_route runs in here; a failed send ends as tm's does, with 503 and
	 * without F_RB_TIMEOUT (t_branch_timeout() is false, as with tm) */
	/* a 2xx the gateway sends for it later, even after the transaction: ACK+BYE */
	vs_late_abandon(t, b);
	if(reason != VS_R_SEND)
		t->uac[b].request.flags |= F_RB_TIMEOUT;
	vs_tmi_fake_reply(t, b, reason == VS_R_SEND ? 503 : vs_tmi_timeout_code());
	if(ev)
		run_event_route(&view);
}

/* Both timer processes: a due heap entry (hash, label, branch, seq), popped under
 * the heap lock, which is already released. The cell is looked up and REFed here and
 * unrefed before returning; no cell pointer was kept in the heap. */
void vs_tm_fire(int q, const uint32_t key[4])
{
	struct cell *t = NULL;
	vs_txn_t *x;

	if(vs_tmb.t_lookup_ident(&t, key[0], key[1]) < 0 || t == NULL)
		return; /* the transaction is gone */
	/* t is REFed by the lookup until unref_cell() below */
	x = vs_txn_of(t);
	if(x && x->hash == key[0] && x->label == key[1]
			&& key[2] < (uint32_t)sr_dst_max_branches) {
		if(q == VS_TQ_RESEND)
			do_resend(t, x, key[2], key[3]);
		else
			do_expire(t, x, key[2], key[3]);
	}
	vs_tmb.unref_cell(t);
	vs_tmb.t_sett(T_UNDEFINED, T_BR_UNDEFINED);
}

/* --------------------------------------------------------------------------- */
/* script side                                                                   */

/* the branch a branch_route is running for (tm sets it in its context), or -1 */
static int branch_route_index(void)
{
	tm_ctx_t *ctx;
	int b;

	if(get_route_type() != BRANCH_ROUTE)
		return -1;
	ctx = vs_tmb.tm_ctx_get();
	b = ctx ? ctx->branch_index : -1;
	return (b >= 0 && b < sr_dst_max_branches) ? b : -1;
}

/* this process's branch_route is running for branch b of x and set values there */
static int brv_is(vs_txn_t *x, int b)
{
	return brv.set && brv.x == x && brv.b == b;
}

int vs_tm_edit_next(struct sip_msg *msg, vs_values_edit_f fn, void *arg)
{
	struct cell *t = vs_tmb.t_gett();
	void **slot = txn_slot(t);
	vs_txn_t *x;
	vs_branch_t *br;
	vs_values_t v;
	unsigned int inl;
	int b, rc, prof;

	if(slot == NULL) { /* before t_relay(): kept in this process until REQUEST_IN */
		if(!pending_is(msg)) {
			pending.prof = vs_pset_default(&pending.v);
			pending.inl = 0;
			pending.id = msg->id;
			pending.pid = msg->pid;
			pending.set = 1;
		}
		v = pending.v;
		prof = pending.prof;
		inl = pending.inl;
		rc = fn(&v, &prof, &inl, arg);
		if(rc >= 0) {
			pending.v = v;
			pending.prof = prof;
			pending.inl = inl;
		}
		return rc;
	}
	if((x = txn_get(t, slot, msg)) == NULL)
		return -1;
	/* branch_route runs for each branch before any is sent: values set there are
	 * that branch's own; elsewhere they are the next branches' */
	b = branch_route_index();
	lock_get(&x->lock);
	branch_base(x, b, &v, &prof, &inl);
	lock_release(&x->lock);
	rc = fn(&v, &prof, &inl, arg);
	if(rc < 0)
		return rc;
	lock_get(&x->lock);
	if(b >= 0) {
		/* published on the branch at once: a fast reply may start it elsewhere
		 * (with gateway_profile set, tm's REQUEST_FWDED prepares it again, with
		 * the gateway profile, before the send) */
		br = br_get(x, t, b);
		if(br && br->t0 == 0)
			branch_prepare(br, &v, prof, 0);
		brv.set = 1;
		brv.x = x;
		brv.b = b;
		brv.v = v;
		brv.prof = prof;
		brv.inl = inl;
		/* the setup budget belongs to the call, not a branch */
		x->next.budget_ms = v.budget_ms;
	} else {
		x->next = v;
		x->next_prof = prof;
		x->next_inline = inl;
	}
	lock_release(&x->lock);
	return rc;
}

/* with x->lock held: budget left of a budget of ms, -1 when none */
static long budget_left(vs_txn_t *x, unsigned int ms, uint64_t now)
{
	int64_t left = ms;

	if(ms == 0)
		return -1;
	if(x->setup_t0)
		left -= (int64_t)((now - x->setup_t0) / 1000000ull);
	return left > 0 ? left : 0;
}

/* the list a branch with values v runs: cut by send_retry */
static void view_schedule(const vs_sched_t *sc, int send_retry, char *buf, int n)
{
	vs_sched_t c = *sc;
	if(send_retry >= 0)
		vs_sched_cut(&c, send_retry);
	vs_sched_format(&c, buf, n);
}

/* with x->lock held: the next branch's values into v */
static void view_next(vs_txn_t *x, vs_view_t *v)
{
	v->next = x->next;
	v->next_prof = x->next_prof;
}

/* with x->lock held: branch b's view (br: its record). A branch not prepared yet
 * shows what it would start with: its branch_route's values, else the next ones. */
static void view_fill(
		vs_txn_t *x, vs_branch_t *br, int b, vs_view_t *v, uint64_t now)
{
	uint64_t end = br->active ? now : br->tend;

	memset(v, 0, sizeof(*v));
	v->valid = 1;
	v->reason = br->reason;
	v->stage = br->stage;
	v->sends = br->sends;
	v->elapsed_ms = br->t0 ? (int)((end - br->t0) / 1000000ull) : 0;
	v->started = x->started;
	v->last_code = br->last_code;
	v->rang = x->rang;
	v->early_media = x->early_media;
	view_next(x, v);
	if(br->prepared) {
		branch_values(br, &x->next, &v->rules);
		v->prof_id = br->prof_id;
		v->gw_id = br->gw_id;
		vs_sched_format(&br->sched, v->schedule, sizeof(v->schedule));
	} else {
		v->rules = brv_is(x, b) ? brv.v : x->next;
		v->prof_id = brv_is(x, b) ? brv.prof : x->next_prof;
		view_schedule(&v->rules.sched, v->rules.send_retry, v->schedule,
				sizeof(v->schedule));
	}
	v->budget_left_ms = budget_left(x, v->rules.budget_ms, now);
	vs_gw_view(&br->gw, v);
}

/* no branch in context (request_route before t_relay(), or none recorded): the
 * branch names show what the next branch would start with */
static void view_unbranched(
		const vs_values_t *next, int prof, long budget_left_ms, vs_view_t *v)
{
	v->next = *next;
	v->next_prof = prof;
	v->rules = *next;
	v->prof_id = prof;
	view_schedule(&next->sched, next->send_retry, v->schedule,
			sizeof(v->schedule));
	v->budget_left_ms = budget_left_ms;
}

/* the call and the gateway, for logs and for marking a gateway down (cell REFed) */
static void view_ids(struct cell *t, int b, vs_view_t *v)
{
	struct sip_msg *req = t->uas.request;
	struct ip_addr ip;
	struct dest_info *dst;

	if(req && req != FAKED_REPLY && req->callid)
		snprintf(v->callid, sizeof(v->callid), "%.*s", req->callid->body.len,
				req->callid->body.s);
	else if(is_local(t))
		vs_tmi_callid(t, v->callid, sizeof(v->callid));
	if(b < 0 || b >= t->nr_of_outgoings)
		return;
	dst = &t->uac[b].request.dst;
	su2ip_addr(&ip, &dst->to);
	snprintf(v->dst, sizeof(v->dst), "%s:%s:%u", get_proto_name(dst->proto),
			ip_addr2a(&ip), su_getport(&dst->to));
}

/* the switch rules on what the view shows (doc/user-guide.md §4): the failed
 * branch's own rules (its gateway profile's, its branch_route's) decide */
static void view_decide(vs_view_t *v)
{
	vs_call_state_t cs;

	cs.attempts = v->started;
	cs.last_code = v->last_code >= 300 ? v->last_code : 0;
	cs.rang = v->rang;
	cs.early_media = v->early_media;
	cs.budget_spent = v->budget_left_ms == 0 || v->reason == VS_R_BUDGET;
	cs.canceled = v->canceled;
	v->stop = v->valid ? vs_failover_decide(&v->rules, &cs) : VS_STOP_NONE;
}

int vs_tm_view(struct sip_msg *msg, vs_view_t *v)
{
	struct cell *t;
	vs_txn_t *x;
	vs_branch_t *br;
	tm_ctx_t *ctx;
	vs_values_t nv;
	unsigned int inl;
	int b, prof;

	if(ev_view) {
		*v = *ev_view;
		if(!v->is_end) /* a branch-end event has no call-level state */
			view_decide(v);
		return 0;
	}
	t = vs_tmb.t_gett();
	x = vs_txn_of(t);
	memset(v, 0, sizeof(*v));
	if(x == NULL) {
		values_before_txn(msg, &nv, &prof, &inl);
		view_unbranched(&nv, prof, nv.budget_ms ? (long)nv.budget_ms : -1, v);
		return 0;
	}
	ctx = vs_tmb.tm_ctx_get();
	b = ctx ? ctx->branch_index : -1;
	if(b < 0 || b >= sr_dst_max_branches)
		b = vs_tmb.t_get_picked_branch();
	lock_get(&x->lock);
	br = (b >= 0) ? br_at(x, b) : NULL;
	if(br)
		view_fill(x, br, b, v, vs_now_ns());
	else
		view_unbranched(&x->next, x->next_prof,
				budget_left(x, x->next.budget_ms, vs_now_ns()), v);
	lock_release(&x->lock);
	view_ids(t, b, v);
	/* a branch tm ended itself (its fr backstop) */
	if(br && v->reason == VS_R_NONE && (t->uac[b].request.flags & F_RB_TIMEOUT))
		v->reason = vs_stage_reason(v->stage < VS_ST_DONE ? v->stage
														  : VS_ST_INVITE);
	v->canceled = (t->flags & T_CANCELED) != 0;
	view_decide(v);
	return 0;
}

int vs_tm_failover(struct sip_msg *msg, vs_view_t *v)
{
	vs_txn_t *x;
	int count = 0;

	if(vs_tm_view(msg, v) < 0 || !v->valid)
		return -1;
	x = ev_view ? NULL : vs_txn_of(vs_tmb.t_gett());
	if(x) { /* REFed by tm for the failure_route */
		lock_get(&x->lock);
		if(x->decided != x->started) {
			x->decided = x->started;
			count = 1;
		}
		lock_release(&x->lock);
	}
	if(count)
		vs_stats_stop(v->stop);
	return 0;
}

/* event_route[vostimer:branch-timeout], outside every lock */
static str ev_name = str_init("vostimer:branch-timeout");
static int ev_rt = -1;
str vs_event_callback = STR_NULL; /* KEMI: modparam event_callback */

/* an event route or KEMI event callback is configured */
static int event_route_set(void)
{
	return ev_rt >= 0 || vs_event_callback.len > 0;
}

/* only when event_route_set() */
static void run_event_route(vs_view_t *v)
{
	vs_tm_run_event(ev_rt, &vs_event_callback, &ev_name, v);
}

void vs_tm_run_event(int rt, str *cb, str *name, vs_view_t *v)
{
	struct run_act_ctx ctx;
	sr_kemi_eng_t *keng = NULL;
	struct sip_msg *fmsg;
	int backup_rt;

	if(rt < 0 && (keng = sr_kemi_eng_get()) == NULL)
		return;
	if(faked_msg_init() < 0)
		return;
	fmsg = faked_msg_next();
	ev_view = v;
	backup_rt = get_route_type();
	set_route_type(EVENT_ROUTE);
	init_run_actions_ctx(&ctx);
	if(rt >= 0)
		run_top_route(event_rt.rlist[rt], fmsg, &ctx);
	else if(sr_kemi_route(keng, fmsg, EVENT_ROUTE, cb, name) < 0)
		LM_ERR("error running the event callback %.*s\n", cb->len, cb->s);
	set_route_type(backup_rt);
	ksr_msg_env_reset(); /* AVPs/XAVPs the route set must not reach the next one */
	ev_view = NULL;
}

/* --------------------------------------------------------------------------- */

/* before every branch_route (cfg or KEMI): the branch index may be one whose
 * earlier branch_route run set values but was dropped - start it clean */
static int vs_branch_route_pre(
		struct sip_msg *msg, unsigned int flags, void *param)
{
	vs_txn_t *x = vs_txn_of(vs_tmb.t_gett());
	int b = branch_route_index();
	vs_branch_t *br;

	brv.set = 0;
	if(x && b >= 0) {
		lock_get(&x->lock);
		br = br_at(x, b);
		if(br && br->t0 == 0)
			br->prepared = 0;
		lock_release(&x->lock);
	}
	return 1;
}

int vs_tm_init(void)
{
	str fmt;

	if(vs_tmi_bind() < 0)
		return -1;
	if(vs_gateway_profile && vs_gateway_profile[0]) {
		fmt.s = vs_gateway_profile;
		fmt.len = strlen(fmt.s);
		if(pv_parse_format(&fmt, &gw_fmt) < 0 || gw_fmt == NULL) {
			LM_ERR("modparam gateway_profile \"%.60s\": not a valid "
				   "pseudo-variable format\n",
					vs_gateway_profile);
			return -1;
		}
		gw_log = shm_malloc(sizeof(*gw_log));
		if(gw_log == NULL) {
			SHM_MEM_ERROR;
			return -1;
		}
		memset(gw_log, 0, sizeof(*gw_log));
		lock_init(&gw_log->lock);
	}
	local_tm = vs_local_profile && strcmp(vs_local_profile, "tm") == 0;
	if(vs_local_profile && vs_local_profile[0] && !local_tm) {
		vs_values_t v;
		if(vs_pset_get(vs_local_profile, -1, &v, NULL) < 0) {
			LM_ERR("modparam local_profile \"%.60s\": no such profile (\"\" for "
				   "the default profile, \"tm\" for tm's own timers)\n",
					vs_local_profile);
			return -1;
		}
	}
	if(vs_tmb.register_tmcb(0, 0, TMCB_REQUEST_IN, vs_cb_request_in, 0, 0)
			<= 0) {
		LM_ERR("cannot register TMCB_REQUEST_IN\n");
		return -1;
	}
	if(!local_tm
			&& vs_tmb.register_tmcb(
					   0, 0, TMCB_LOCAL_REQUEST_IN, vs_cb_local_in, 0, 0)
					   <= 0) {
		LM_ERR("cannot register TMCB_LOCAL_REQUEST_IN\n");
		return -1;
	}
	if(register_script_cb(
			   vs_branch_route_pre, PRE_SCRIPT_CB | BRANCH_CB, 0)
			< 0) {
		LM_ERR("cannot register the branch_route callback\n");
		return -1;
	}
	ev_rt = route_lookup(&event_rt, ev_name.s);
	if(ev_rt >= 0 && event_rt.rlist[ev_rt] == NULL)
		ev_rt = -1;
	return 0;
}
