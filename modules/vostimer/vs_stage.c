/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vs_stage: the per-branch stage machine (see vs_stage.h). */
#include "vs_stage.h"

static const char *const stage_names[] = {"invite", "trying",
		"session_progress", "session_progress_sdp", "ringing", "done"};

static const char *const reason_names[VS_R_COUNT] = {"", "resend_exhausted",
		"invite_timeout", "trying_timeout", "session_progress_timeout",
		"session_progress_sdp_timeout", "ringing_timeout", "setup_budget",
		"reply", "send_failed"};

/* stage -> the reason its timer gives */
static const int stage_reasons[] = {VS_R_INVITE, VS_R_TRYING, VS_R_SP,
		VS_R_SP_SDP, VS_R_RINGING, VS_R_NONE};

const char *vs_stage_name(int stage)
{
	return (stage >= 0 && stage <= VS_ST_DONE) ? stage_names[stage] : "";
}

const char *vs_reason_name(int reason)
{
	return (reason >= 0 && reason < VS_R_COUNT) ? reason_names[reason] : "";
}

int vs_reason_ours(int reason)
{
	return reason != VS_R_NONE && reason != VS_R_REPLY && reason > 0
		   && reason < VS_R_COUNT;
}

int vs_stage_reason(int stage)
{
	return (stage >= 0 && stage <= VS_ST_DONE) ? stage_reasons[stage]
											   : VS_R_NONE;
}

int vs_reason_stage(int reason)
{
	int s;

	if(reason == VS_R_NONE)
		return -1;
	for(s = 0; s < VS_ST_DONE; s++)
		if(stage_reasons[s] == reason)
			return s;
	return -1;
}

int vs_stage_needs_sdp(int is_invite, int code)
{
	return is_invite && code > 100 && code < 200 && code != 180;
}

void vs_stage_on_reply(int stage, int is_invite, int code, int has_sdp,
		vs_stage_step_t *out)
{
	int to = stage;

	out->final = code >= 200;
	out->ringing = 0;
	out->restart = 0;
	if(out->final || stage == VS_ST_DONE) {
		out->stage = VS_ST_DONE;
		return;
	}
	if(!is_invite) { /* non-INVITE: the invite stage's bound stays (Timer F) */
		out->stage = stage;
		return;
	}
	if(code == 100)
		to = stage == VS_ST_INVITE ? VS_ST_TRYING : stage;
	else if(code == 180)
		to = VS_ST_RINGING;
	else
		to = has_sdp ? VS_ST_SP_SDP : VS_ST_SP;
	out->ringing = code == 180 || (code > 100 && has_sdp);
	out->restart = to != stage;
	out->stage = to;
}

int vs_stage_invite_end(unsigned int giveup_ms, unsigned int t_invite_ms,
		long life_left_ms, unsigned int *end_ms)
{
	int reason = VS_R_EXHAUSTED;

	*end_ms = giveup_ms;
	if(t_invite_ms && t_invite_ms < *end_ms) {
		*end_ms = t_invite_ms;
		reason = VS_R_INVITE;
	}
	if(life_left_ms >= 0 && (unsigned long)life_left_ms < *end_ms) {
		/* tm's transaction lifetime cuts the INVITE stage */
		*end_ms = (unsigned int)life_left_ms;
		reason = VS_R_INVITE;
	}
	if(*end_ms == 0)
		*end_ms = 1;
	return reason;
}
