/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vs_stage: the per-branch stage machine (doc/user-guide.md §2) as pure decisions -
 * which stage a response puts a branch in, whether that stage's timer starts afresh,
 * when the INVITE stage ends and with which reason. The tm glue (vs_tm.c) only
 * applies what these functions decide. No Kamailio header: unit-tested alone. */
#ifndef VS_STAGE_H
#define VS_STAGE_H

/* VOS3000's five SIP setup states, then the end */
enum vs_stage
{
	VS_ST_INVITE = 0,	  /* sent, no response yet */
	VS_ST_TRYING,		  /* a 100 came */
	VS_ST_SP,			  /* a 181/182/183 (or other 1xx) without SDP */
	VS_ST_SP_SDP,		  /* the same with SDP: early media */
	VS_ST_RINGING,		  /* a 180, with or without SDP */
	VS_ST_DONE,			  /* a final response */
	VS_ST_TIMED = VS_ST_DONE /* stages with a timeout: 0 .. VS_ST_TIMED-1 */
};

/* why a branch ended */
enum vs_reason
{
	VS_R_NONE = 0,
	VS_R_EXHAUSTED, /* resend_exhausted: the schedule ran out */
	VS_R_INVITE,	/* invite_timeout */
	VS_R_TRYING,	/* trying_timeout */
	VS_R_SP,		/* session_progress_timeout */
	VS_R_SP_SDP,	/* session_progress_sdp_timeout */
	VS_R_RINGING,	/* ringing_timeout */
	VS_R_BUDGET,	/* setup_budget */
	VS_R_REPLY,		/* reply: a real negative reply */
	VS_R_SEND,		/* send_failed: a retransmission could not be sent */
	VS_R_COUNT
};

/* "invite", "trying", "session_progress", "session_progress_sdp", "ringing",
 * "done"; "" out of range */
const char *vs_stage_name(int stage);

/* "resend_exhausted", "invite_timeout", ...; "" for VS_R_NONE or out of range */
const char *vs_reason_name(int reason);

/* the branch was ended by this module (a timeout, the budget, a failed send),
 * not by a reply, the caller or tm */
int vs_reason_ours(int reason);

/* the reason a stage's timer gives when it expires (VS_R_NONE for VS_ST_DONE) */
int vs_stage_reason(int stage);

/* the stage a reason names (invite_timeout -> invite, ...); -1 if it names none */
int vs_reason_stage(int reason);

/* The response needs its body looked at: an INVITE's 101-199 other than 180 (its
 * stage depends on an SDP body). The glue parses nothing for the others. */
int vs_stage_needs_sdp(int is_invite, int code);

/* What one response does to a branch. */
typedef struct vs_stage_step
{
	int stage;		 /* the branch's stage after the response */
	int restart;	 /* the stage's timer starts afresh at this response */
	int final;		 /* a final response: the branch is over */
	int ringing;	 /* the callee rings (180, or a 1xx with SDP): the
						switch_until_connect rule counts it */
} vs_stage_step_t;

/* The transition for a response `code` (100..699) on a branch in `stage`:
 * - any final ends every stage (done);
 * - INVITE: 100 moves invite -> trying (a 100 after a later stage changes nothing);
 *   180 -> ringing; any other 101-199 -> session_progress or session_progress_sdp
 *   by its body; moving to another stage restarts the timer, staying does not;
 * - non-INVITE: only the invite stage applies - a provisional changes nothing.
 * Every response stops the retransmissions; that is the glue's, not a decision. */
void vs_stage_on_reply(int stage, int is_invite, int code, int has_sdp,
		vs_stage_step_t *out);

/* When the INVITE stage of a branch ends, in ms after its first send, and why:
 * the schedule's give-up instant (resend_exhausted), cut by timeout_invite when
 * shorter (invite_timeout, 0: not limited) and by what is left of tm's transaction
 * lifetime (life_left_ms < 0: no limit; reported as invite_timeout). Returns the
 * reason; *end_ms is at least 1. */
int vs_stage_invite_end(unsigned int giveup_ms, unsigned int t_invite_ms,
		long life_left_ms, unsigned int *end_ms);

#endif
