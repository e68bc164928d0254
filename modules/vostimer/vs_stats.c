/* vs_stats: counters per process, summed by the counters API on read (no lock). */
#include "core/counters.h"
#include "vs_stats.h"
#include "vs_tm.h"

static counter_handle_t h_retr, h_branches, h_scheduled, h_reason[VS_R_COUNT];

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
		{&h_reason[VS_R_RINGING], "ringing_timeout", 0, 0, 0,
				"branches ended: Ringing stage timeout"},
		{&h_reason[VS_R_BUDGET], "setup_budget", 0, 0, 0,
				"branches ended: setup budget spent"},
		{&h_reason[VS_R_REPLY], "reply", 0, 0, 0,
				"branches ended by a negative reply"},
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
