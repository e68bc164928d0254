/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vs_late: late answers - a 2xx for a branch vostimer ended gets ACK and BYE from
 * the proxy instead of reaching the caller (modparam late_answer "bye"). */
#ifndef VS_LATE_H
#define VS_LATE_H

extern char *vs_late_answer_param; /* "bye" (default, also "") or "relay" */

/* validate late_answer and, for "bye", register the reply hook (mod_init) */
int vs_late_init(void);

struct cell;
/* the expire process ends INVITE branch b of t (tm's reply lock held, t REFed):
 * keep it 32 s, so that a 2xx for it after its transaction is gone is still ACKed
 * and BYEd (no-op with late_answer "relay") */
void vs_late_abandon(struct cell *t, int b);

#endif
