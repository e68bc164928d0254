/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * vs_tmi: the seam to tm's internals - the few tm functions vostimer calls that
 * tm's API (struct tm_binds) does not offer. Each is typed from tm's own header
 * declaration, so a changed signature fails the build. The list, the reasons and
 * the versions checked are at the top of vs_tmi.c and in doc/design.md. */
#ifndef VS_TMI_H
#define VS_TMI_H

#include "modules/tm/h_table.h"
#include "modules/tm/tm_load.h"

extern struct tm_binds vs_tmb;

/* bind tm's API and its internals; one LM_ERR line naming what is missing */
int vs_tmi_bind(void);

/* tm's reply lock of t (REPLY_LOCK), the one relay_reply() releases */
void vs_tmi_lock_replies(struct cell *t);
void vs_tmi_unlock_replies(struct cell *t);

/* End branch b as tm's timer does (timer.c:fake_reply()): a local reply of `code`
 * (vs_tmi_timeout_code() for a timeout, 503 for a send that failed), CANCEL if the
 * branch had a provisional, failure_route. The reply lock of t is held on entry
 * and released inside; t is referenced by the caller, who sets F_RB_TIMEOUT for a
 * timeout (tm's fr path does; its failed retransmission does not). */
void vs_tmi_fake_reply(struct cell *t, int b, int code);

/* tm's cancel_b_method now (its cfg value, which cfg.set may change): 0, 1 or 2 */
int vs_tmi_cancel_b_method(void);

/* TMCB_REQUEST_SENT callbacks for a retransmission of rb (as tm's timer.c does) */
void vs_tmi_retr_sent(struct cell *t, struct retr_buf *rb);

/* the Call-ID of t into buf (cut to size; "" when unknown): for a transaction tm
 * created itself, whose request tm keeps only as its send buffer */
void vs_tmi_callid(struct cell *t, char *buf, int size);

/* the code tm's own timer gives a timed-out branch */
int vs_tmi_timeout_code(void);

#endif
