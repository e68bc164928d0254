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
 * release callback of our RESPONSE_IN registration, i.e. in free_cell(), after it
 * has left both heaps. */
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
#include "modules/tm/h_table.h"
#include "modules/tm/t_hooks.h"
#include "modules/tm/t_lookup.h"
#include "modules/tm/timer.h"

#include "vs_tm.h"
#include "vs_tmi.h"
#include "vs_timer.h"
#include "vs_pset.h"
#include "vs_stats.h"
#include "vs_policy.h"

#define VS_BACKSTOP_MS 1000 /* tm's own FR stays armed this long after ours */

static const char *reason_names[VS_R_COUNT] = {"", "resend_exhausted",
		"invite_timeout", "trying_timeout", "ringing_timeout", "setup_budget",
		"reply"};
static const char *stage_names[] = {"invite", "trying", "ringing", "done"};

const char *vs_reason_name(int r)
{
	return (r >= 0 && r < VS_R_COUNT) ? reason_names[r] : "";
}

const char *vs_stage_name(int s)
{
	return (s >= 0 && s <= VS_ST_DONE) ? stage_names[s] : "";
}

/* values the script set before the transaction existed (this process only) */
static struct
{
	int set;
	unsigned int id;
	int pid;
	vs_values_t v;
	char profile[VS_PROF_NAMELEN];
} pending;

/* the script's values for msg were set before its transaction existed */
static int pending_is(struct sip_msg *msg)
{
	return pending.set && pending.id == msg->id && pending.pid == msg->pid;
}

/* the branch the event route reports on (this process only) */
static vs_view_t *ev_view = NULL;

static void vs_cb_response(struct cell *t, int type, struct tmcb_params *ps);
static void branch_on_reply(
		struct cell *t, vs_txn_t *x, int b, int code, uint64_t at);

/* --------------------------------------------------------------------------- */

vs_txn_t *vs_txn_of(struct cell *t)
{
	struct tm_callback *cb;
	if(t == NULL || t == T_UNDEFINED)
		return NULL;
	for(cb = (struct tm_callback *)t->tmcb_hl.first; cb; cb = cb->next)
		if(cb->callback == vs_cb_response)
			return (vs_txn_t *)cb->param;
	return NULL;
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
	if(br->active)
		vs_stats_scheduled(-1);
	br->active = 0;
	br->reason = reason;
	br->tend = now;
}

/* with x->lock held: arm the expire entry at t (ns) for reason, capped by the
 * setup budget. ms == 0 means no module limit for this stage. */
static void branch_expire_at(
		vs_txn_t *x, int b, uint64_t from, unsigned int ms, int reason)
{
	vs_branch_t *br = &x->br[b];
	uint64_t at = ms ? from + ms_ns(ms) : 0;
	uint32_t key[4];

	if(x->next.budget_ms && x->setup_t0) {
		uint64_t bat = x->setup_t0 + ms_ns(x->next.budget_ms);
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
	if(vs_timer_add(VS_TQ_EXPIRE, at, &br->epos, br, key) < 0)
		LM_ERR("cannot arm the expire timer of branch %d\n", b);
}

/* with x->lock held: the next retransmission, if the schedule has one */
static void branch_resend_next(vs_txn_t *x, int b)
{
	vs_branch_t *br = &x->br[b];
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
			   br, key)
			< 0)
		LM_ERR("cannot arm the resend timer of branch %d\n", b);
}

/* with x->lock held: branch b starts - its first send has just left. Called by the
 * REQUEST_SENT callback of that send or, if a fast gateway's reply reached another
 * worker first, by the RESPONSE_IN callback (then `now` is a few us late). */
static void branch_start(vs_txn_t *x, struct cell *t, int b, uint64_t now)
{
	vs_branch_t *br = &x->br[b];
	unsigned int giveup;
	int reason;

	const vs_values_t *v = br->has_own ? &br->own : &x->next;
	unsigned int stage_max_ms;
	s_ticks_t left;

	/* the identity exists once the cell is in the hash table (not at REQUEST_IN) */
	x->hash = t->hash_index;
	x->label = t->label;
	br->sched = v->sched;
	vs_sched_cut(&br->sched, v->send_retry);
	br->t_invite_ms = v->t_invite_ms;
	br->t_trying_ms = v->t_trying_ms;
	br->t_ringing_ms = v->t_ringing_ms;
	br->has_own = 0; /* consumed: this index is never started again */
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

	giveup = vs_sched_giveup(&br->sched);
	br->end_ms = giveup;
	reason = VS_R_EXHAUSTED;
	if(br->t_invite_ms && br->t_invite_ms < giveup) {
		br->end_ms = br->t_invite_ms;
		reason = VS_R_INVITE;
	}
	/* tm's transaction lifetime (max_inv_lifetime / max_noninv_lifetime) still caps */
	left = (s_ticks_t)(t->end_of_life - get_ticks_raw());
	if(left <= 0 || TICKS_TO_MS(left) < br->end_ms) {
		/* the INVITE stage is cut by the lifetime: reported as invite_timeout */
		br->end_ms = left > 0 ? TICKS_TO_MS(left) : 1;
		reason = VS_R_INVITE;
	}
	/* tm restarts its FR with fr_inv_timeout on each provisional (t_reply.c): keep
	 * it behind our trying/ringing deadlines. Raised here, before any reply of this
	 * branch can be relayed; a plain store, as t_set_fr() does. */
	stage_max_ms = br->t_trying_ms > br->t_ringing_ms ? br->t_trying_ms
													  : br->t_ringing_ms;
	if(br->is_invite && stage_max_ms
			&& t->fr_inv_timeout < MS_TO_TICKS(stage_max_ms + VS_BACKSTOP_MS))
		t->fr_inv_timeout = MS_TO_TICKS(stage_max_ms + VS_BACKSTOP_MS);
	branch_expire_at(x, b, now, br->end_ms, reason);
	branch_resend_next(x, b);
	vs_stats_branch_started();
	vs_stats_scheduled(1);
}

/* --------------------------------------------------------------------------- */
/* tm callbacks                                                                  */

/* REQUEST_SENT: runs in the process that sent (a SIP worker, or the expire process
 * inside failure_route); the cell is referenced by tm; the reply lock may be held.
 * On a branch's first send, and before tm arms its timer (t_fwd.c), switch tm's
 * retransmissions off and preset fr_expire as a backstop behind our own end. */
static void vs_cb_sent(struct cell *t, int type, struct tmcb_params *ps)
{
	vs_txn_t *x = (vs_txn_t *)*ps->param;
	struct retr_buf *rb = ps->t_rbuf;
	vs_branch_t *br;
	unsigned int end_ms;
	int b, reliable;

	if(ps->flags & (TMCB_RETR_F | TMCB_LOCAL_F))
		return;
	if(rb == NULL || rb->rbtype != TYPE_REQUEST || rb->branch >= x->nbr)
		return;
	b = rb->branch;
	br = &x->br[b];

	lock_get(&x->lock);
	if(br->t0 == 0) /* else a fast reply in another worker started it already */
		branch_start(x, t, b, vs_now_ns());
	end_ms = br->end_ms;
	reliable = br->reliable;
	lock_release(&x->lock);

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
static void finish_siblings(vs_txn_t *x, int b, uint64_t at)
{
	int i;
	for(i = 0; i < x->nbr; i++)
		if(i != b && x->br[i].active)
			branch_finish(&x->br[i], VS_R_NONE, at);
}

/* with x->lock held: a reply of code at instant `at` moves branch b on (stops its
 * retransmissions, changes its stage, ends it on a final). */
static void branch_on_reply(
		struct cell *t, vs_txn_t *x, int b, int code, uint64_t at)
{
	vs_branch_t *br = &x->br[b];

	br->last_code = code;
	/* any response stops the retransmissions (INVITE and non-INVITE alike) */
	vs_timer_del(VS_TQ_RESEND, &br->rpos);
	br->rseq = 0;
	if(code >= 200) {
		branch_finish(br, code >= 300 ? VS_R_REPLY : VS_R_NONE, at);
		br->stage = VS_ST_DONE;
		if(code >= 300)
			vs_stats_reason(VS_R_REPLY);
		if(br->is_invite
				&& (code < 300 || (code >= 600 && !(t->flags & T_DISABLE_6xx))))
			finish_siblings(x, b, at); /* tm CANCELs the other branches */
		return;
	}
	if(!br->is_invite)
		return; /* non-INVITE: the invite-stage deadline stays (Timer F) */
	if(code == 100 && br->stage == VS_ST_INVITE) {
		br->stage = VS_ST_TRYING;
		branch_expire_at(x, b, at, br->t_trying_ms, VS_R_TRYING);
	} else if(code > 100 && br->stage != VS_ST_RINGING) {
		br->stage = VS_ST_RINGING;
		branch_expire_at(x, b, at, br->t_ringing_ms, VS_R_RINGING);
	}
}

/* RESPONSE_IN: a SIP worker, no tm lock held, cell referenced by tm. */
static void vs_cb_response(struct cell *t, int type, struct tmcb_params *ps)
{
	vs_txn_t *x = (vs_txn_t *)*ps->param;
	struct sip_msg *rpl = ps->rpl;
	vs_branch_t *br;
	int b, code = ps->code;
	uint64_t now;

	if(rpl == NULL || rpl == FAKED_REPLY)
		return;
	if(parse_headers(rpl, HDR_CSEQ_F, 0) < 0 || rpl->cseq == NULL
			|| get_cseq(rpl)->method_id == METHOD_CANCEL)
		return; /* a reply to our own CANCEL */
	b = vs_tmb.t_gett_branch();
	if(b < 0 || b >= x->nbr)
		return;
	lock_get(&x->lock);
	now = vs_now_ns(); /* under the lock: never before a t0 another worker set */
	br = &x->br[b];
	if(br->t0 == 0) /* the sender's REQUEST_SENT callback has not run yet */
		branch_start(x, t, b, now);
	if(code > 100 && code < 200 && is_invite(t))
		x->rang = 1; /* for the switch rules: the call reached ringing */
	if(br->active)
		branch_on_reply(t, x, b, code, now);
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
static void vs_cb_response_out(struct cell *t, int type, struct tmcb_params *ps)
{
	vs_txn_t *x = (vs_txn_t *)*ps->param;
	struct sip_msg *rpl = ps->rpl;

	if(ps->code <= 100 || ps->code >= 200 || rpl == NULL || rpl == FAKED_REPLY
			|| !reply_has_sdp(rpl))
		return;
	lock_get(&x->lock);
	x->early_media = 1;
	lock_release(&x->lock);
}

/* E2ECANCEL_IN: the caller CANCELed; tm cancels the branches - nothing more is sent
 * or ended by this module. */
static void vs_cb_cancel(struct cell *t, int type, struct tmcb_params *ps)
{
	vs_txn_t *x = (vs_txn_t *)*ps->param;
	uint64_t now = vs_now_ns();
	int b;

	lock_get(&x->lock);
	for(b = 0; b < x->nbr; b++)
		if(x->br[b].active)
			branch_finish(&x->br[b], VS_R_NONE, now);
	lock_release(&x->lock);
}

/* release of our RESPONSE_IN registration: free_cell(), nobody else holds the cell */
static void vs_txn_release(void *param)
{
	vs_txn_t *x = (vs_txn_t *)param;
	int b;

	for(b = 0; b < x->nbr; b++) {
		branch_stop_timers(&x->br[b]);
		if(x->br[b].active)
			vs_stats_scheduled(-1);
	}
	shm_free(x);
}

/* REQUEST_IN (global): the transaction is being created, in the SIP worker that
 * got the request, under the hash lock: attach our record and callbacks. */
static void vs_cb_request_in(struct cell *t, int type, struct tmcb_params *ps)
{
	struct sip_msg *msg = ps->req;
	vs_txn_t *x;
	size_t sz;
	int b;

	if(msg == NULL || msg->REQ_METHOD & (METHOD_CANCEL | METHOD_ACK))
		return;
	sz = sizeof(vs_txn_t) + sr_dst_max_branches * sizeof(vs_branch_t);
	x = shm_malloc(sz);
	if(x == NULL) {
		SHM_MEM_ERROR;
		return;
	}
	memset(x, 0, sz);
	lock_init(&x->lock);
	x->nbr = sr_dst_max_branches;
	for(b = 0; b < x->nbr; b++)
		x->br[b].rpos = x->br[b].epos = VS_HEAP_NONE;
	if(pending_is(msg)) {
		x->next = pending.v;
		memcpy(x->profile, pending.profile, VS_PROF_NAMELEN);
	} else {
		vs_pset_default(&x->next, x->profile);
	}
	pending.set = 0;

	if(vs_tmb.register_tmcb(
			   0, t, TMCB_RESPONSE_IN, vs_cb_response, x, vs_txn_release)
			<= 0) {
		LM_ERR("cannot register TMCB_RESPONSE_IN\n");
		shm_free(x);
		return;
	}
	/* from here on x belongs to the cell: freed by vs_txn_release */
	if(vs_tmb.register_tmcb(0, t, TMCB_REQUEST_SENT, vs_cb_sent, x, 0) <= 0)
		LM_ERR("cannot register TMCB_REQUEST_SENT\n");
	if(msg->REQ_METHOD == METHOD_INVITE
			&& vs_tmb.register_tmcb(0, t, TMCB_E2ECANCEL_IN, vs_cb_cancel, x, 0)
					   <= 0)
		LM_ERR("cannot register TMCB_E2ECANCEL_IN\n");
	if(msg->REQ_METHOD == METHOD_INVITE
			&& vs_tmb.register_tmcb(
					   0, t, TMCB_RESPONSE_OUT, vs_cb_response_out, x, 0)
					   <= 0)
		LM_ERR("cannot register TMCB_RESPONSE_OUT\n");
}

/* --------------------------------------------------------------------------- */
/* timer actions: run in the resend / expire processes, no lock held on entry     */

/* tm's state says the branch needs nothing more from us (cell REFed by caller) */
static int branch_settled(struct cell *t, int b)
{
	struct retr_buf *rb = &t->uac[b].request;
	return t->uac[b].last_received >= 200 || (t->flags & T_CANCELED)
		   || t->uas.status >= 200
		   || (rb->flags & (F_RB_TIMEOUT | F_RB_CANCELED | F_RB_DEL_TIMER))
		   || rb->buffer == NULL;
}

/* Resend process. Reference: t is REFed by vs_tm_fire's t_lookup_ident(). Locks:
 * x->lock (then a heap lock inside branch_resend_next) only to decide and arm the
 * next send; no lock while sending or running the REQUEST_SENT callbacks - tm's own
 * retransmission handler holds none there either. */
static void do_resend(struct cell *t, vs_txn_t *x, int b, uint32_t seq)
{
	struct retr_buf *rb = &t->uac[b].request;
	vs_branch_t *br = &x->br[b];
	int ok;

	lock_get(&x->lock);
	ok = br->active && br->rseq == seq && br->stage == VS_ST_INVITE
		 && t->uac[b].last_received == 0;
	if(ok && branch_settled(t, b)) {
		/* tm is done with the branch (CANCELed, another branch answered) */
		branch_finish(br, VS_R_NONE, vs_now_ns());
		ok = 0;
	}
	if(ok) {
		br->sends++;
		br->next_k++;
		branch_resend_next(x, b);
	}
	lock_release(&x->lock);
	if(!ok)
		return;
	if(msg_send(&rb->dst, rb->buffer, rb->buffer_len) < 0) {
		LM_WARN("retransmission of branch %d failed\n", b);
		return;
	}
	vs_stats_retransmission();
	/* as tm does for its own retransmissions (timer.c): siptrace & co see it */
	vs_tmi_retr_sent(t, rb);
}

static void run_event_route(vs_view_t *v);
static void view_fill(vs_txn_t *x, int b, vs_view_t *v, uint64_t now);
static void view_ids(struct cell *t, int b, vs_view_t *v);

/* Expire process. Reference: t is REFed by vs_tm_fire's t_lookup_ident() for the
 * whole function, so the cell (and x) outlive failure_route even if it completes the
 * transaction. Locks: tm's reply lock, then x->lock to check the entry is still the
 * live one and mark the branch ended; the reply lock is released inside relay_reply()
 * (failure_route runs there, under it, as on tm's own fr_timer path); none for the
 * event route. If anything else settled the branch first, tm's own timer is left
 * armed, so the branch is never left without a bound. */
static void do_expire(struct cell *t, vs_txn_t *x, int b, uint32_t seq)
{
	vs_branch_t *br = &x->br[b];
	vs_view_t view;
	int reason, ok;
	uint64_t now;

	vs_tmi_lock_replies(t);
	now = vs_now_ns();
	lock_get(&x->lock);
	ok = br->active && br->eseq == seq;
	reason = br->exp_reason;
	if(ok && branch_settled(t, b)) {
		/* tm is done with the branch (a final reply, a CANCEL, its own timer) */
		br->eseq = 0;
		branch_finish(br, VS_R_NONE, now);
		ok = 0;
	}
	if(ok) {
		br->eseq = 0;
		branch_finish(br, reason, now);
		view_fill(x, b, &view, now);
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
	view_ids(t, b, &view);
	vs_stats_reason(reason);
	LM_DBG("branch %d of %u:%u ends: %s after %d sends\n", b, x->hash, x->label,
			vs_reason_name(reason), view.sends);
	vs_tmi_fake_reply(t, b); /* failure_route runs in here */
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
			&& key[2] < (uint32_t)x->nbr) {
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
static int branch_route_index(vs_txn_t *x)
{
	tm_ctx_t *ctx;
	int b;

	if(get_route_type() != BRANCH_ROUTE)
		return -1;
	ctx = vs_tmb.tm_ctx_get();
	b = ctx ? ctx->branch_index : -1;
	return (b >= 0 && b < x->nbr) ? b : -1;
}

int vs_tm_edit_next(struct sip_msg *msg, vs_values_edit_f fn, void *arg)
{
	vs_txn_t *x = vs_txn_of(vs_tmb.t_gett());
	vs_branch_t *br = NULL;
	vs_values_t v;
	char profile[VS_PROF_NAMELEN];
	int b, rc;

	if(x == NULL) { /* before t_relay(): kept in this process until REQUEST_IN */
		if(!pending_is(msg)) {
			vs_pset_default(&pending.v, pending.profile);
			pending.id = msg->id;
			pending.pid = msg->pid;
			pending.set = 1;
		}
		v = pending.v;
		memcpy(profile, pending.profile, VS_PROF_NAMELEN);
		rc = fn(&v, profile, arg);
		if(rc >= 0) {
			pending.v = v;
			memcpy(pending.profile, profile, VS_PROF_NAMELEN);
		}
		return rc;
	}
	/* branch_route runs for each branch before any is sent: values set there are
	 * that branch's own; elsewhere they are the next branches' */
	b = branch_route_index(x);
	if(b >= 0)
		br = &x->br[b];
	lock_get(&x->lock);
	v = (br && br->has_own) ? br->own : x->next;
	memcpy(profile, x->profile, VS_PROF_NAMELEN);
	lock_release(&x->lock);
	rc = fn(&v, profile, arg);
	if(rc < 0)
		return rc;
	lock_get(&x->lock);
	if(br) {
		br->own = v;
		br->has_own = 1;
		/* the setup budget and the switch rules belong to the call, not a branch */
		x->next.budget_ms = v.budget_ms;
		x->next.sw_limit = v.sw_limit;
		x->next.sw_stop_busy = v.sw_stop_busy;
		x->next.sw_until_connect = v.sw_until_connect;
		x->next.sw_stop_sdp = v.sw_stop_sdp;
	} else {
		x->next = v;
	}
	memcpy(x->profile, profile, VS_PROF_NAMELEN);
	lock_release(&x->lock);
	return rc;
}

/* with x->lock held */
static void view_fill(vs_txn_t *x, int b, vs_view_t *v, uint64_t now)
{
	vs_branch_t *br = &x->br[b];
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
	vs_sched_format(br->t0		  ? &br->sched
					: br->has_own ? &br->own.sched
								  : &x->next.sched,
			v->schedule, sizeof(v->schedule));
	memcpy(v->profile, x->profile, VS_PROF_NAMELEN);
	v->next = x->next;
	v->budget_left_ms = -1;
	if(x->next.budget_ms) {
		int64_t left = x->next.budget_ms;
		if(x->setup_t0)
			left -= (int64_t)((now - x->setup_t0) / 1000000ull);
		v->budget_left_ms = left > 0 ? left : 0;
	}
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
	if(b < 0 || b >= t->nr_of_outgoings)
		return;
	dst = &t->uac[b].request.dst;
	su2ip_addr(&ip, &dst->to);
	snprintf(v->dst, sizeof(v->dst), "%s:%s:%u", get_proto_name(dst->proto),
			ip_addr2a(&ip), su_getport(&dst->to));
}

/* the switch rules on what the view shows (doc/user-guide.md §4) */
static void view_decide(vs_view_t *v)
{
	vs_call_state_t cs;

	cs.attempts = v->started;
	cs.last_code = v->last_code >= 300 ? v->last_code : 0;
	cs.rang = v->rang;
	cs.early_media = v->early_media;
	cs.budget_spent = v->budget_left_ms == 0 || v->reason == VS_R_BUDGET;
	cs.canceled = v->canceled;
	v->stop = v->valid ? vs_failover_decide(&v->next, &cs) : VS_STOP_NONE;
}

int vs_tm_view(struct sip_msg *msg, vs_view_t *v)
{
	struct cell *t;
	vs_txn_t *x;
	tm_ctx_t *ctx;
	int b;

	if(ev_view) {
		*v = *ev_view;
		view_decide(v);
		return 0;
	}
	t = vs_tmb.t_gett();
	x = vs_txn_of(t);
	memset(v, 0, sizeof(*v));
	if(x == NULL) {
		vs_values_t nv;
		char profile[VS_PROF_NAMELEN];
		if(pending_is(msg)) {
			nv = pending.v;
			memcpy(profile, pending.profile, VS_PROF_NAMELEN);
		} else {
			vs_pset_default(&nv, profile);
		}
		v->next = nv;
		vs_sched_format(&nv.sched, v->schedule, sizeof(v->schedule));
		memcpy(v->profile, profile, VS_PROF_NAMELEN);
		v->budget_left_ms = nv.budget_ms ? (long)nv.budget_ms : -1;
		return 0;
	}
	ctx = vs_tmb.tm_ctx_get();
	b = ctx ? ctx->branch_index : -1;
	if(b < 0 || b >= x->nbr)
		b = vs_tmb.t_get_picked_branch();
	lock_get(&x->lock);
	if(b >= 0 && b < x->nbr) {
		view_fill(x, b, v, vs_now_ns());
	} else {
		vs_sched_format(&x->next.sched, v->schedule, sizeof(v->schedule));
		memcpy(v->profile, x->profile, VS_PROF_NAMELEN);
		v->next = x->next;
		v->budget_left_ms = -1;
	}
	lock_release(&x->lock);
	view_ids(t, b, v);
	/* a branch tm ended itself (its fr backstop) */
	if(b >= 0 && b < x->nbr && v->reason == VS_R_NONE
			&& (t->uac[b].request.flags & F_RB_TIMEOUT))
		v->reason = v->stage == VS_ST_RINGING  ? VS_R_RINGING
					: v->stage == VS_ST_TRYING ? VS_R_TRYING
											   : VS_R_INVITE;
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

static void run_event_route(vs_view_t *v)
{
	struct run_act_ctx ctx;
	sr_kemi_eng_t *keng = NULL;
	struct sip_msg *fmsg;
	int backup_rt;

	if(ev_rt < 0 && vs_event_callback.len <= 0)
		return;
	if(ev_rt < 0 && (keng = sr_kemi_eng_get()) == NULL)
		return;
	if(faked_msg_init() < 0)
		return;
	fmsg = faked_msg_next();
	ev_view = v;
	backup_rt = get_route_type();
	set_route_type(EVENT_ROUTE);
	init_run_actions_ctx(&ctx);
	if(ev_rt >= 0)
		run_top_route(event_rt.rlist[ev_rt], fmsg, &ctx);
	else if(sr_kemi_route(keng, fmsg, EVENT_ROUTE, &vs_event_callback, &ev_name)
			< 0)
		LM_ERR("error running the event callback %.*s\n", vs_event_callback.len,
				vs_event_callback.s);
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
	int b = x ? branch_route_index(x) : -1;

	if(b >= 0) {
		lock_get(&x->lock);
		if(x->br[b].t0 == 0)
			x->br[b].has_own = 0;
		lock_release(&x->lock);
	}
	return 1;
}

int vs_tm_init(void)
{
	if(vs_tmi_bind() < 0)
		return -1;
	if(vs_tmb.register_tmcb(0, 0, TMCB_REQUEST_IN, vs_cb_request_in, 0, 0)
			<= 0) {
		LM_ERR("cannot register TMCB_REQUEST_IN\n");
		return -1;
	}
	if(register_script_cb(
			   vs_branch_route_pre, PRE_SCRIPT_CB | BRANCH_CB_TYPE, 0)
			< 0) {
		LM_ERR("cannot register the branch_route callback\n");
		return -1;
	}
	ev_rt = route_lookup(&event_rt, ev_name.s);
	if(ev_rt >= 0 && event_rt.rlist[ev_rt] == NULL)
		ev_rt = -1;
	return 0;
}
