/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vs_stats: vostimer's counters (Kamailio counters API, group "vostimer"), read with
 * `kamcmd stats.get_statistics vostimer:` or `kamcmd cnt.grp_get_all vostimer`. */
#ifndef VS_STATS_H
#define VS_STATS_H

int vs_stats_init(void);
void vs_stats_retransmission(void);
void vs_stats_branch_started(void);
void vs_stats_scheduled(int delta);
void vs_stats_reason(int reason);
/* a vos_failover() decision: VS_STOP_NONE (allowed) or the rule that stopped it */
void vs_stats_stop(int stop);
/* a 2xx for a branch vostimer had ended (late_answer bye) */
void vs_stats_late_answer(void);

#endif
