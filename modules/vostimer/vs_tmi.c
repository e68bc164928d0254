/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * vs_tmi: the seam to tm. Everything vostimer asks of tm goes through tm's API
 * (struct tm_binds, load_tm_api) except these internals, which the API does not
 * offer; each is typed from tm's own declaration (__typeof__ of the declared
 * symbol), so a changed signature fails the build instead of corrupting memory:
 *
 *   relay_reply()                   t_reply.h  the local timeout reply + failure_route
 *   local_reply()                   t_reply.h  the same for a transaction tm created
 *                                              itself (t_uac): to its callbacks
 *   put_on_wait()                   t_funcs.h  the transaction's wait timer once
 *                                              that reply completed it
 *   tm_reply_mutex_lock()/_unlock() t_reply.h  the reply lock, held around the
 *                                              decision to end a branch
 *   run_trans_callbacks_with_buf()  t_hooks.h  TMCB_REQUEST_SENT for retransmissions
 *   _tm_reply_408_code (6.0 and later, int)
 *                                   t_reply.h  tm's modparam reply_408_code
 *   tm_cfg (void *)                 config.h   tm's cfg group: cancel_b_method
 *                                              (what a CANCEL does to a branch)
 *
 * and one field that changed: struct cell's Call-ID, `callid` (the whole header
 * field) up to 5.6, `callid_val` (the value) from 6.0 (vs_tmi_callid).
 *
 * The CANCEL of a timed-out branch goes through the API's cancel_uacs(). tm.so is
 * dlopen()ed without RTLD_GLOBAL, so the internals are looked up in its handle at
 * start-up; a missing one stops start-up with a line naming it. Checked on 5.6.3,
 * 6.0.1 and 6.1.4 (doc/design.md). Nothing here takes a lock of its own. */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "core/sr_module.h"
#include "core/dprint.h"
#include "modules/tm/t_reply.h"
#include "modules/tm/t_funcs.h"
#include "modules/tm/t_hooks.h"
#include "modules/tm/t_cancel.h"
#include "modules/tm/t_lookup.h"
#include "modules/tm/config.h"

#include "vs_tmi.h"

struct tm_binds vs_tmb;

/* a pointer to tm's internal `sym`, of the type tm declares it with */
#define TMI(sym) static __typeof__(sym) *tmi_##sym
TMI(relay_reply);
TMI(local_reply);
TMI(put_on_wait);
TMI(tm_reply_mutex_lock);
TMI(tm_reply_mutex_unlock);
TMI(run_trans_callbacks_with_buf);
TMI(tm_cfg); /* this process's handle of tm's cfg group (cfg_get(tm, tm_cfg, ..)) */
#if VERSIONVAL >= 6000000
TMI(_tm_reply_408_code); /* 6.0 added modparam("tm", "reply_408_code") */
#endif

static void *tmi_sym(void *h, const char *name)
{
	void *p = dlsym(h, name);
	if(p == NULL)
		LM_ERR("tm.so has no symbol %s: this vostimer.so was built for Kamailio"
			   " " VERSION " and needs that version's tm\n",
				name);
	return p;
}

/* dlsym() returns void *: converted to the type tm's header gives the symbol */
#define TMI_BIND(h, sym) \
	((tmi_##sym = (__typeof__(tmi_##sym))tmi_sym((h), #sym)) != NULL)

/* 6.1.4 added tm's reply_matching: at 1 (its default) tm matches no reply to a
 * completed transaction, so a gateway's 487 to the CANCEL after a local timeout
 * reply is relayed statelessly to the caller, who already had the 408 (tm's own
 * fr_timer does the same: kamailio issue #4881). Said once at start-up; the
 * remedy is a modparam, which an operator may have reasons not to set. */
static void warn_reply_matching(struct sr_module *m)
{
#ifdef TM_REPLY_MATCHING_ACTIVE
	modparam_t type;
	int *rm = find_param_export(m, "reply_matching", PARAM_INT, &type);

	if(rm && (*rm & TM_REPLY_MATCHING_ACTIVE))
		LM_WARN("tm's reply_matching is %d: a gateway's 487 after a branch"
				" vostimer ended reaches the caller after its 408 and is not"
				" ACKed - set modparam(\"tm\", \"reply_matching\", 0)"
				" (doc/user-guide.md, Kamailio versions)\n",
				*rm);
#endif
}

int vs_tmi_bind(void)
{
	struct sr_module *m;
	int ok;

	if(load_tm_api(&vs_tmb) < 0) {
		LM_ERR("cannot bind the tm API: load tm before vostimer\n");
		return -1;
	}
	m = find_module_by_name("tm");
	if(m == NULL || m->handle == NULL) {
		LM_ERR("tm is not loaded as a module: vostimer needs tm.so\n");
		return -1;
	}
	ok = TMI_BIND(m->handle, relay_reply);
	ok &= TMI_BIND(m->handle, local_reply);
	ok &= TMI_BIND(m->handle, put_on_wait);
	ok &= TMI_BIND(m->handle, tm_reply_mutex_lock);
	ok &= TMI_BIND(m->handle, tm_reply_mutex_unlock);
	ok &= TMI_BIND(m->handle, run_trans_callbacks_with_buf);
	ok &= TMI_BIND(m->handle, tm_cfg);
#if VERSIONVAL >= 6000000
	ok &= TMI_BIND(m->handle, _tm_reply_408_code);
#endif
	if(!ok)
		return -1;
	warn_reply_matching(m);
	return 0;
}

void vs_tmi_lock_replies(struct cell *t)
{
	tmi_tm_reply_mutex_lock(t);
}

void vs_tmi_unlock_replies(struct cell *t)
{
	tmi_tm_reply_mutex_unlock(t);
}

int vs_tmi_timeout_code(void)
{
#if VERSIONVAL >= 6000000
	return *tmi__tm_reply_408_code;
#else
	return 408;
#endif
}

/* tm's timer.c:fake_reply(): relay_reply() for a transaction created from a
 * received request (failure_route runs), local_reply() for one tm created itself
 * (t_uac: the reply goes to the callback of whoever asked for the request) */
void vs_tmi_fake_reply(struct cell *t, int b, int code)
{
	struct cancel_info cd, cb;
	short do_cancel;
	enum rps st;

	init_cancel_info(&cd);
	do_cancel = is_invite(t) && prepare_cancel_branch(t, b, 0);
	t->uac[b].request.flags |= F_RB_CANCELED | F_RB_RELAYREPLY;
	if(is_local(t))
		st = tmi_local_reply(t, FAKED_REPLY, b, code, &cd);
	else
		st = tmi_relay_reply(t, FAKED_REPLY, b, code, &cd, 0);
	if(st == RPS_TGONE)
		return;
	if(do_cancel) {
		/* this branch only, as fake_reply() does, with relay_reply()'s reason */
		init_cancel_info(&cb);
		cb.cancel_bitmap = 1 << b;
		cb.reason = cd.reason;
		vs_tmb.cancel_uacs(t, &cb, 0);
	}
	if(st == RPS_COMPLETED)
		tmi_put_on_wait(t);
}

/* tm keeps cancel_b_method as flags (t_cancel.c, cancel_b_flags_get()) */
int vs_tmi_cancel_b_method(void)
{
	unsigned int f = cfg_get(tm, *tmi_tm_cfg, cancel_b_flags);

	if(f & F_CANCEL_B_FORCE_C)
		return 2;
	if(f & F_CANCEL_B_FORCE_RETR)
		return 1;
	return 0;
}

void vs_tmi_retr_sent(struct cell *t, struct retr_buf *rb)
{
	if(has_tran_tmcbs(t, TMCB_REQUEST_SENT))
		tmi_run_trans_callbacks_with_buf(
				TMCB_REQUEST_SENT, rb, 0, 0, TMCB_RETR_F);
}

void vs_tmi_callid(struct cell *t, char *buf, int size)
{
#if VERSIONVAL >= 6000000
	snprintf(buf, size, "%.*s", t->callid_val.len, t->callid_val.s);
#else
	/* "Call-ID: value\r\n" (h_table.h: the entire header field) */
	char *p, *end = t->callid.s + t->callid.len;
	char *colon = t->callid.s ? memchr(t->callid.s, ':', t->callid.len) : NULL;

	buf[0] = '\0';
	if(colon == NULL)
		return;
	for(p = colon + 1; p < end && (*p == ' ' || *p == '\t'); p++)
		;
	while(end > p && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
		end--;
	snprintf(buf, size, "%.*s", (int)(end - p), p);
#endif
}
