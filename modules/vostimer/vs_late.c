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
 * ours but vs_txn.lock inside vs_tm_late(), for the decision only. */
#include <string.h>

#include "core/sr_module.h"
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
	int code, b = -1, late, reason = 0, n_rr;

	code = rpl->first_line.u.reply.statuscode;
	if(code < 200 || code >= 300)
		return 1;
	if(parse_headers(rpl, HDR_VIA1_F | HDR_CSEQ_F | HDR_CALLID_F | HDR_TO_F, 0)
					< 0
			|| rpl->cseq == NULL || get_cseq(rpl)->method_id != METHOD_INVITE)
		return 1;
	/* tm's own matching (its RESPONSE_IN callbacks run here, once: tm reuses
	 * them for this message); it REFs the transaction */
	if(vs_tmb.t_check(rpl, &b) != 1)
		return 1;
	t = vs_tmb.t_gett();
	if(t == NULL || t == T_UNDEFINED)
		return 1;
	late = vs_tm_late(t, b, &reason, &v);
	sock = (late && b < t->nr_of_outgoings) ? t->uac[b].request.dst.send_sock
											 : NULL;
	n_rr = late ? rr_of_request(t) : 0;
	/* the reference t_check() took; tm takes its own if it gets the reply */
	vs_tmb.t_unref(rpl);
	if(late == VS_LATE_NONE)
		return 1;
	if(late == VS_LATE_FIRST) {
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
		return 0;
	}
	if(strcmp(p, "relay") == 0)
		return 0;
	LM_ERR("modparam late_answer \"%.40s\": \"bye\" or \"relay\" expected\n", p);
	return -1;
}
