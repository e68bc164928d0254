/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vs_stats: counters per process, summed by the counters API on read (no lock). */
#include "core/counters.h"
#include "vs_stats.h"
#include "vs_tm.h"
#include "vs_policy.h"

static counter_handle_t h_retr, h_branches, h_scheduled, h_reason[VS_R_COUNT],
		h_stop[VS_STOP_COUNT], h_late;

static counter_def_t defs[] = {{&h_retr, "retransmissions", 0, 0, 0,
									   "retransmissions sent by vostimer"},
		{&h_branches, "branches", 0, 0, 0, "branches started under vostimer"},
		{&h_scheduled, "scheduled", 0, 0, 0,
				"branches vostimer currently drives"},
		{&h_reason[VS_R_EXHAUSTED], "resend_exhausted", 0, 0, 0,
				"branches ended: schedule exhausted"},
		{&h_reason[VS_R_INVITE], "invite_timeout", 0, 0, 0,
				"branches ended: INVITE stage timeout"},
		{&h_reason[VS_R_TRYING], "trying_timeout", 0, 0, 0,
				"branches ended: Trying stage timeout"},
		{&h_reason[VS_R_SP], "session_progress_timeout", 0, 0, 0,
				"branches ended: session-progress stage timeout (18x without "
				"SDP)"},
		{&h_reason[VS_R_SP_SDP], "session_progress_sdp_timeout", 0, 0, 0,
				"branches ended: early-media stage timeout (18x with SDP)"},
		{&h_reason[VS_R_RINGING], "ringing_timeout", 0, 0, 0,
				"branches ended: Ringing stage timeout"},
		{&h_reason[VS_R_BUDGET], "setup_budget", 0, 0, 0,
				"branches ended: setup budget spent"},
		{&h_reason[VS_R_REPLY], "reply", 0, 0, 0,
				"branches ended by a negative reply"},
		{&h_reason[VS_R_SEND], "send_failed", 0, 0, 0,
				"branches ended: a retransmission could not be sent (local "
				"503)"},
		{&h_late, "late_answers", 0, 0, 0,
				"2xx for branches vostimer had ended: ACKed and ended with a "
				"BYE, not relayed"},
		{&h_stop[VS_STOP_NONE], "failover_allowed", 0, 0, 0,
				"vos_failover(): another gateway allowed"},
		{&h_stop[VS_STOP_CANCELED], "stop_canceled", 0, 0, 0,
				"vos_failover(): stopped, the caller CANCELed"},
		{&h_stop[VS_STOP_USER_BUSY], "stop_user_busy", 0, 0, 0,
				"vos_failover(): stopped by switch_stop_after_busy"},
		{&h_stop[VS_STOP_CODE], "stop_code", 0, 0, 0,
				"vos_failover(): stopped, the final code is in "
				"switch_stop_codes"},
		{&h_stop[VS_STOP_EARLY_MEDIA], "stop_early_media", 0, 0, 0,
				"vos_failover(): stopped by stop_switch_after_sdp"},
		{&h_stop[VS_STOP_RINGING], "stop_ringing_reached", 0, 0, 0,
				"vos_failover(): stopped, ringing reached "
				"(switch_until_connect "
				"off)"},
		{&h_stop[VS_STOP_LIMIT], "stop_switch_limit", 0, 0, 0,
				"vos_failover(): stopped by gateway_switch_limit"},
		{&h_stop[VS_STOP_BUDGET], "stop_setup_budget", 0, 0, 0,
				"vos_failover(): stopped, setup budget spent"},
		{0, 0, 0, 0, 0, 0}};

int vs_stats_init(void)
{
	return counter_register_array("vostimer", defs);
}

void vs_stats_retransmission(void)
{
	counter_inc(h_retr);
}

void vs_stats_branch_started(void)
{
	counter_inc(h_branches);
}

void vs_stats_scheduled(int delta)
{
	counter_add(h_scheduled, delta);
}

void vs_stats_reason(int reason)
{
	if(reason > 0 && reason < VS_R_COUNT)
		counter_inc(h_reason[reason]);
}

void vs_stats_stop(int stop)
{
	if(stop >= 0 && stop < VS_STOP_COUNT)
		counter_inc(h_stop[stop]);
}

void vs_stats_late_answer(void)
{
	counter_inc(h_late);
}
