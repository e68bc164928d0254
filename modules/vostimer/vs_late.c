/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * vs_late: late answers (modparam late_answer). A 2xx that a gateway sends for a
 * branch this module has ended (vs_reason_ours()) never reaches the caller and
 * never tm: the core's pre-script callback for replies drops it, and the proxy
 * ACKs it and ends that call with a BYE at once, as the caller would; a
 * retransmission of it is ACKed again. With late_answer "relay" nothing is
 * registered and tm does what it does alone (RFC 3261: relay every 2xx).
 *
 * Everything goes through tm's API: t_check() finds the transaction as tm matches
 * replies (it REFs it; t_unref() drops that reference before anything is sent),
 * and the dialog functions (new_dlg_uac, dlg_response_uac, calculate_hooks,
 * t_request_within, free_dlg) build and send the ACK and the BYE. Locks: none of
 * ours but vs_txn.lock inside vs_tm_late(), for the decision only.
 *
 * A gateway retransmits an unacknowledged 2xx for 64*T1 (32 s, RFC 3261 13.3.1.4),
 * longer than tm keeps a completed transaction (wt_timer, 5 s): a copy that gets
 * through only after that (the first ones lost, or our ACK lost) matches no
 * transaction. So each INVITE branch this module ends is also kept for 32 s in a
 * small shm table of abandoned branches, by the Via branch of its request: a 2xx
 * that matches no transaction but one of these is ACKed (and BYEd, once) the same
 * way. The table has its own lock, a leaf: taken by the expire process when it ends
 * a branch (under tm's reply lock) and by a worker for a 2xx without a transaction;
 * nothing is sent or logged under it. */
#include <string.h>

#include "core/sr_module.h"
#include "core/mem/shm_mem.h"
#include "core/locking.h"
#include "core/timer_ticks.h"
#include "core/dprint.h"
#include "core/script_cb.h"
#include "core/forward.h"
#include "core/ut.h"
#include "core/parser/msg_parser.h"
#include "core/parser/parse_cseq.h"
#include "core/parser/parse_from.h"
#include "core/parser/parse_to.h"
#include "core/parser/parse_rr.h"
#include "core/parser/parse_uri.h"
#include "modules/tm/dlg.h"
#include "modules/tm/uac.h"

#include "vs_late.h"
#include "vs_tm.h"
#include "vs_tmi.h"
#include "vs_stats.h"

char *vs_late_answer_param = NULL;

#define ABANDON_SLOTS 4096 /* branches kept; when full, the oldest is reused */
#define ABANDON_PROBE 16   /* slots looked at per insert or lookup */
#define ABANDON_S 32	   /* 64 * T1: how long a gateway retransmits a 2xx */
#define VIA_BRANCH_MAX 64

typedef struct abandoned
{
	ticks_t until; /* 0: free */
	int len;
	char branch[VIA_BRANCH_MAX]; /* the Via branch of the branch's request */
	struct socket_info *sock;	 /* the socket the branch used */
	int n_rr;					 /* Record-Route entries of the caller's request */
	int byed;					 /* the BYE was sent */
} abandoned_t;

static struct
{
	gen_lock_t lock;
	abandoned_t e[ABANDON_SLOTS];
} *ab = NULL;

static unsigned int ab_hash(const char *s, int len)
{
	unsigned int h = 2166136261u;
	int i;
	for(i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h % ABANDON_SLOTS;
}

/* with ab->lock held: the live entry of branch s, or NULL */
static abandoned_t *ab_find(const char *s, int len, ticks_t now)
{
	unsigned int h = ab_hash(s, len);
	abandoned_t *e;
	int i;

	for(i = 0; i < ABANDON_PROBE; i++) {
		e = &ab->e[(h + i) % ABANDON_SLOTS];
		if(e->until && (s_ticks_t)(e->until - now) > 0 && e->len == len
				&& memcmp(e->branch, s, len) == 0)
			return e;
	}
	return NULL;
}

/* the reply's Record-Route entries the gateway's side added: those before the
 * first one naming this proxy; when none does (the script did not record-route),
 * those the branch's request did not carry (n_req entries came with it) */
static int rr_downstream(struct sip_msg *rpl, int n_req)
{
	struct hdr_field *h;
	rr_t *rr, *r;
	struct sip_uri u;
	int n = 0, self = -1;

	for(h = rpl->record_route; h; h = next_sibling_hdr(h)) {
		rr = NULL; /* parse_rr_body() appends to a list it is given */
		if(parse_rr_body(h->body.s, h->body.len, &rr) < 0)
			return -1;
		for(r = rr; r; r = r->next, n++)
			if(self < 0 && parse_uri(r->nameaddr.uri.s, r->nameaddr.uri.len, &u)
							   == 0
					&& check_self(&u.host, u.port_no ? u.port_no : SIP_PORT, 0)
							   == 1)
				self = n;
		free_rr(&rr);
	}
	if(self >= 0)
		return self;
	return n > n_req ? n - n_req : 0;
}

/* drop the route set's first k entries (dlg_response_uac() reversed the reply's
 * Record-Route: the caller's side and this proxy come first) */
static void route_set_drop(dlg_t *d, int k)
{
	rr_t *head = d->route_set, *cut = NULL;

	while(k-- > 0 && head) {
		cut = head;
		head = head->next;
	}
	if(cut == NULL)
		return;
	cut->next = NULL;
	shm_free_rr(&d->route_set);
	d->route_set = head;
}

static int rr_count(rr_t *r)
{
	int n = 0;
	for(; r; r = r->next)
		n++;
	return n;
}

/* the request within the dialog the 2xx set up, as the caller would send it */
static int send_within(dlg_t *d, const char *method)
{
	str m;
	uac_req_t uac_r;

	m.s = (char *)method;
	m.len = strlen(method);
	set_uac_req(&uac_r, &m, NULL, NULL, d, 0, NULL, NULL);
	return vs_tmb.t_request_within(&uac_r);
}

/* ACK the 2xx rpl and, when bye, send a BYE, from a dialog built on the 2xx: the
 * caller's From/tag, the gateway's To/tag and Contact, the INVITE's CSeq, the
 * route set of the gateway's side only, out of the socket the branch used */
static int ack_bye(struct sip_msg *rpl, struct socket_info *sock, int n_req_rr,
		int bye)
{
	struct to_body *from, *to;
	struct cseq_body *cs;
	unsigned int cseq;
	dlg_t *d = NULL;
	int total, down, rc = -1;

	if(parse_headers(rpl, HDR_EOH_F, 0) < 0 || parse_from_header(rpl) < 0
			|| rpl->to == NULL || rpl->callid == NULL || rpl->cseq == NULL)
		return -1;
	from = get_from(rpl);
	to = get_to(rpl);
	cs = get_cseq(rpl);
	if(str2int(&cs->number, &cseq) < 0 || to->tag_value.len == 0)
		return -1;
	if(vs_tmb.new_dlg_uac(&rpl->callid->body, &from->tag_value, cseq, &from->uri,
			   &to->uri, &d)
			< 0)
		return -1;
	if(vs_tmb.dlg_response_uac(d, rpl, IS_TARGET_REFRESH) < 0)
		goto done;
	down = rr_downstream(rpl, n_req_rr);
	total = rr_count(d->route_set);
	if(down < 0)
		goto done;
	if(total > down) {
		route_set_drop(d, total - down);
		if(vs_tmb.calculate_hooks(d) < 0)
			goto done;
	}
	d->send_sock = sock;
	if(send_within(d, "ACK") < 0)
		goto done;
	rc = 0;
	if(bye && send_within(d, "BYE") < 0)
		rc = -1;
done:
	vs_tmb.free_dlg(d);
	return rc;
}

/* the Record-Route entries of the transaction's request (the caller's side) */
static int rr_of_request(struct cell *t);

/* the branch param of the first Via of a request as tm sent it (its buffer) */
static int via_branch(const char *buf, int len, const char **out)
{
	const char *p = buf, *end = buf + len, *v = NULL, *q;

	for(; p < end - 3; p++) /* the first Via header line */
		if(p[0] == '\n'
				&& ((end - p > 5 && strncasecmp(p + 1, "via:", 4) == 0)
						|| (end - p > 3 && strncasecmp(p + 1, "v:", 2) == 0))) {
			v = p + 1;
			break;
		}
	if(v == NULL)
		return -1;
	for(q = v; q < end - 7 && *q != '\r' && *q != '\n'; q++)
		if(strncasecmp(q, "branch=", 7) == 0) {
			*out = q + 7;
			for(q += 7; q < end && *q != ';' && *q != ',' && *q != '\r'
						&& *q != '\n' && *q != ' ';
					q++)
				;
			return (int)(q - *out);
		}
	return -1;
}

void vs_late_abandon(struct cell *t, int b)
{
	struct retr_buf *rb;
	const char *br;
	ticks_t now = get_ticks_raw();
	unsigned int h;
	abandoned_t *e, *pick = NULL;
	int i, len;

	if(ab == NULL || !is_invite(t) || is_local(t) || b < 0
			|| b >= t->nr_of_outgoings)
		return;
	rb = &t->uac[b].request;
	if(rb->buffer == NULL
			|| (len = via_branch(rb->buffer, rb->buffer_len, &br)) <= 0
			|| len > VIA_BRANCH_MAX)
		return;
	h = ab_hash(br, len);
	lock_get(&ab->lock);
	for(i = 0; i < ABANDON_PROBE; i++) {
		e = &ab->e[(h + i) % ABANDON_SLOTS];
		if(e->until == 0 || (s_ticks_t)(e->until - now) <= 0) {
			pick = e; /* free or expired */
			break;
		}
		if(pick == NULL || (s_ticks_t)(e->until - pick->until) < 0)
			pick = e; /* else the oldest */
	}
	pick->until = now + S_TO_TICKS(ABANDON_S);
	pick->len = len;
	memcpy(pick->branch, br, len);
	pick->sock = rb->dst.send_sock;
	pick->n_rr = rr_of_request(t);
	pick->byed = 0;
	lock_release(&ab->lock);
}

/* a late 2xx for a branch in the table: 1 if it is one (*bye: send the BYE too, the
 * first time), 0 if not. byed: the caller sends the BYE itself (the transaction's
 * path): only mark it sent. sock and n_rr may be NULL. */
static int ab_lookup(struct sip_msg *rpl, struct socket_info **sock, int *n_rr,
		int *bye, int byed)
{
	ticks_t now = get_ticks_raw();
	abandoned_t *e;
	str *b;

	if(ab == NULL || rpl->via1 == NULL || rpl->via1->branch == NULL)
		return 0;
	b = &rpl->via1->branch->value;
	if(b->len <= 0 || b->len > VIA_BRANCH_MAX)
		return 0;
	lock_get(&ab->lock);
	e = ab_find(b->s, b->len, now);
	if(e) {
		if(sock)
			*sock = e->sock;
		if(n_rr)
			*n_rr = e->n_rr;
		*bye = !e->byed && !byed;
		e->byed = 1; /* sent now, or by the caller (byed) */
	}
	lock_release(&ab->lock);
	return e != NULL;
}

static int rr_of_request(struct cell *t)
{
	struct sip_msg *req = t->uas.request;
	struct hdr_field *h;
	rr_t *rr;
	int n = 0;

	if(req == NULL || req == FAKED_REPLY)
		return 0;
	for(h = req->headers; h; h = h->next) {
		if(h->type != HDR_RECORDROUTE_T)
			continue;
		rr = NULL;
		if(parse_rr_body(h->body.s, h->body.len, &rr) < 0)
			continue;
		n += rr_count(rr);
		free_rr(&rr);
	}
	return n;
}

/* Pre-script callback of every reply (a SIP worker, before the reply_route and tm):
 * returns 0 to drop a late 2xx, 1 for everything else. */
static int late_reply(struct sip_msg *rpl, unsigned int flags, void *param)
{
	struct cell *t;
	struct socket_info *sock;
	vs_view_t v;
	int code, b = -1, late, reason = 0, n_rr = 0;

	code = rpl->first_line.u.reply.statuscode;
	if(code < 200 || code >= 300)
		return 1;
	if(parse_headers(rpl, HDR_VIA1_F | HDR_CSEQ_F | HDR_CALLID_F | HDR_TO_F, 0)
					< 0
			|| rpl->cseq == NULL || get_cseq(rpl)->method_id != METHOD_INVITE)
		return 1;
	/* tm's own matching (its RESPONSE_IN callbacks run here, once: tm reuses
	 * them for this message); it REFs the transaction */
	if(vs_tmb.t_check(rpl, &b) != 1 || (t = vs_tmb.t_gett()) == NULL
			|| t == T_UNDEFINED) {
		int bye = 0;
		/* no transaction (any more): a branch this module ended lately? */
		if(!ab_lookup(rpl, &sock, &n_rr, &bye, 0))
			return 1;
		if(bye) {
			vs_stats_late_answer();
			LM_NOTICE("late answer: %d for call %.*s after its transaction ended"
					  " - not relayed, ACK and BYE sent\n",
					code, rpl->callid ? rpl->callid->body.len : 0,
					rpl->callid ? rpl->callid->body.s : "");
		}
		if(ack_bye(rpl, sock, n_rr, bye) < 0)
			LM_ERR("late answer for call %.*s: cannot send the %s\n",
					rpl->callid ? rpl->callid->body.len : 0,
					rpl->callid ? rpl->callid->body.s : "",
					bye ? "ACK and BYE" : "ACK");
		return 0;
	}
	late = vs_tm_late(t, b, &reason, &v);
	sock = (late && b < t->nr_of_outgoings) ? t->uac[b].request.dst.send_sock
											 : NULL;
	n_rr = late ? rr_of_request(t) : 0;
	/* the reference t_check() took; tm takes its own if it gets the reply */
	vs_tmb.t_unref(rpl);
	if(late == VS_LATE_NONE)
		return 1;
	if(late == VS_LATE_FIRST) {
		int bye = 0;
		ab_lookup(rpl, NULL, NULL, &bye, 1); /* the BYE goes from here */
		vs_stats_late_answer();
		LM_NOTICE("late answer: %d for call %s from gateway %s (branch %d ended:"
				  " %s) - not relayed, ACK and BYE sent\n",
				code, v.callid, v.dst, b, vs_reason_name(reason));
	}
	if(ack_bye(rpl, sock, n_rr, late == VS_LATE_FIRST) < 0)
		LM_ERR("late answer for call %s from gateway %s: cannot send the %s\n",
				v.callid, v.dst, late == VS_LATE_FIRST ? "ACK and BYE" : "ACK");
	return 0;
}

int vs_late_init(void)
{
	const char *p = vs_late_answer_param;

	if(p == NULL || p[0] == '\0' || strcmp(p, "bye") == 0) {
		if(register_script_cb(late_reply, PRE_SCRIPT_CB | ONREPLY_CB, 0)
				< 0) {
			LM_ERR("cannot register the reply callback of late_answer\n");
			return -1;
		}
		ab = shm_malloc(sizeof(*ab));
		if(ab == NULL) {
			SHM_MEM_ERROR;
			return -1;
		}
		memset(ab, 0, sizeof(*ab));
		lock_init(&ab->lock);
		return 0;
	}
	if(strcmp(p, "relay") == 0)
		return 0;
	LM_ERR("modparam late_answer \"%.40s\": \"bye\" or \"relay\" expected\n", p);
	return -1;
}
