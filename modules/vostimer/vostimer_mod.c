/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vostimer_mod.c: module exports and wiring only - parameters, init, processes.
 * Each concern lives in its own file: vs_sched (schedule maths), vs_prof (profile
 * file), vs_import (VOS3000 exports), vs_heap/vs_timer (timers), vs_tm (tm glue),
 * vs_script ($vos and functions), vs_rpc, vs_stats, vs_pset (profiles in shm),
 * vs_late (late answers), vs_gwfig/vs_gw (per-gateway figures, the branch-end
 * event). */
#include <stdlib.h>
#include <string.h>

#include "core/sr_module.h"
#include "core/dprint.h"
#include "core/kemi.h"
#include "core/mod_fix.h"

#include "vs_sched.h"
#include "vs_prof.h"
#include "vs_policy.h"
#include "vs_import.h"
#include "vs_pset.h"
#include "vs_timer.h"
#include "vs_tm.h"
#include "vs_script.h"
#include "vs_rpc.h"
#include "vs_stats.h"
#include "vs_late.h"
#include "vs_gw.h"

MODULE_VERSION

static char *p_resend = NULL;
static int p_send_retry = -1;
static char *p_t_invite = NULL;
static char *p_t_trying = NULL;
static char *p_t_ringing = NULL;
static char *p_t_sp = NULL;
static char *p_t_sp_sdp = NULL;
static char *p_budget = NULL;
static char *p_stop_codes = NULL;
/* the seconds parameters may also be given as integers: modparam(..., 10) */
static int p_t_invite_i = -1, p_t_trying_i = -1, p_t_ringing_i = -1,
		   p_t_sp_i = -1, p_t_sp_sdp_i = -1, p_budget_i = -1;
/* the switch rules: strings ("None", "On") or integers (2, 1), by key */
static struct
{
	int key;
	char *s;
	int i;
} p_rules[] = {{VS_K_SW_LIMIT, NULL, -1}, {VS_K_SW_BUSY, NULL, -1},
		{VS_K_SW_CONNECT, NULL, -1}, {VS_K_SW_SDP, NULL, -1}};
static char *p_default_profile = NULL;
static char *p_vos_import = NULL;
char *vs_profiles_file = NULL;
vs_base_t vs_base;
extern str vs_event_callback;

static int mod_init(void);
static int child_init(int rank);
static void mod_destroy(void);

static param_export_t params[] = {{"resend_interval", PARAM_STRING, &p_resend},
		{"send_retry", PARAM_INT, &p_send_retry},
		{"timeout_invite", PARAM_STRING, &p_t_invite},
		{"timeout_trying", PARAM_STRING, &p_t_trying},
		{"timeout_ringing", PARAM_STRING, &p_t_ringing},
		{"timeout_session_progress", PARAM_STRING, &p_t_sp},
		{"timeout_session_progress_sdp", PARAM_STRING, &p_t_sp_sdp},
		{"setup_budget", PARAM_STRING, &p_budget},
		{"timeout_invite", PARAM_INT, &p_t_invite_i},
		{"timeout_trying", PARAM_INT, &p_t_trying_i},
		{"timeout_ringing", PARAM_INT, &p_t_ringing_i},
		{"timeout_session_progress", PARAM_INT, &p_t_sp_i},
		{"timeout_session_progress_sdp", PARAM_INT, &p_t_sp_sdp_i},
		{"setup_budget", PARAM_INT, &p_budget_i},
		{"gateway_switch_limit", PARAM_STRING, &p_rules[0].s},
		{"gateway_switch_limit", PARAM_INT, &p_rules[0].i},
		{"switch_stop_after_busy", PARAM_STRING, &p_rules[1].s},
		{"switch_stop_after_busy", PARAM_INT, &p_rules[1].i},
		{"switch_until_connect", PARAM_STRING, &p_rules[2].s},
		{"switch_until_connect", PARAM_INT, &p_rules[2].i},
		{"stop_switch_after_sdp", PARAM_STRING, &p_rules[3].s},
		{"stop_switch_after_sdp", PARAM_INT, &p_rules[3].i},
		{"switch_stop_codes", PARAM_STRING, &p_stop_codes},
		{"gateway_profile", PARAM_STRING, &vs_gateway_profile},
		{"local_profile", PARAM_STRING, &vs_local_profile},
		{"profiles_file", PARAM_STRING, &vs_profiles_file},
		{"default_profile", PARAM_STRING, &p_default_profile},
		{"vos_import", PARAM_STRING, &p_vos_import},
		{"event_callback", PARAM_STR, &vs_event_callback},
		{"timer_rt_prio", PARAM_INT, &vs_timer_rt_prio},
		{"late_answer", PARAM_STRING, &vs_late_answer_param},
		{"gateway_name", PARAM_STRING, &vs_gw_name_fmt},
		{"gateway_max", PARAM_INT, &vs_gw_max},
		{"gateway_window", PARAM_INT, &vs_gw_window},
		{"branch_end_callback", PARAM_STR, &vs_gw_end_callback}, {0, 0, 0}};

struct module_exports exports = {
		"vostimer",		 /* module name */
		DEFAULT_DLFLAGS, /* dlopen flags */
		vs_cmds,		 /* cmd (cfg function) exports */
		params,			 /* param exports */
		0,				 /* RPC method exports (registered in mod_init) */
		vs_pvs,			 /* pseudo-variables exports */
		0,				 /* response handling function */
		mod_init,		 /* module init function */
		child_init,		 /* per-child init function */
		mod_destroy		 /* module destroy function */
};

int mod_register(char *path, int *dlflags, void *p1, void *p2)
{
	return vs_kemi_register();
}

/* one modparam in seconds onto the base; -1 (logged) when invalid */
static int base_seconds(
		const char *name, const char *val, int ival, int key, unsigned int *out)
{
	char err[VS_ERRLEN];
	if(ival != -1) {
		if(ival < 0 || ival > (int)(VS_SECONDS_MAX_MS / 1000)) {
			LM_ERR("modparam %s %d: out of range 0..%u\n", name, ival,
					VS_SECONDS_MAX_MS / 1000);
			return -1;
		}
		*out = (unsigned int)ival * 1000;
		vs_base.src[key] = "modparam";
		return 0;
	}
	if(val == NULL)
		return 0;
	if(vs_seconds_parse(val, -1, VS_SECONDS_MAX_MS, out, err, sizeof(err))
			< 0) {
		LM_ERR("modparam %s \"%.40s\": %s\n", name, val, err);
		return -1;
	}
	vs_base.src[key] = "modparam";
	return 0;
}

/* one switch-rule modparam (string val, or ival when not -1) onto the base; -1
 * (logged) when invalid */
static int base_rule(int key, const char *val, int ival)
{
	char err[VS_ERRLEN], num[16];

	if(ival != -1) {
		snprintf(num, sizeof(num), "%d", ival);
		val = num;
	}
	if(val == NULL)
		return 0;
	if(vs_rule_parse(
			   key, val, -1, vs_value_ptr(&vs_base.v, key), err, sizeof(err))
			< 0) {
		LM_ERR("modparam %s \"%.40s\": %s\n", vs_key_name(key), val, err);
		return -1;
	}
	vs_base.src[key] = "modparam";
	return 0;
}

static int base_from_modparams(void)
{
	char err[VS_ERRLEN];
	int k;

	vs_values_vos_defaults(&vs_base.v);
	for(k = 0; k < VS_K_COUNT; k++)
		vs_base.src[k] = "VOS3000 default";
	if(p_resend) {
		if(vs_sched_parse(p_resend, -1, &vs_base.v.sched, err, sizeof(err))
				< 0) {
			LM_ERR("modparam resend_interval \"%.40s\": %s\n", p_resend, err);
			return -1;
		}
		vs_base.src[VS_K_RESEND] = "modparam";
	}
	if(p_send_retry != -1) {
		if(p_send_retry < 0 || p_send_retry > 100) {
			LM_ERR("modparam send_retry %d: out of range 0..100\n",
					p_send_retry);
			return -1;
		}
		vs_base.v.send_retry = p_send_retry;
		vs_base.src[VS_K_RETRY] = "modparam";
	}
	if(base_seconds("timeout_invite", p_t_invite, p_t_invite_i, VS_K_T_INVITE,
			   &vs_base.v.t_invite_ms)
					< 0
			|| base_seconds("timeout_trying", p_t_trying, p_t_trying_i,
					   VS_K_T_TRYING, &vs_base.v.t_trying_ms)
					   < 0
			|| base_seconds("timeout_ringing", p_t_ringing, p_t_ringing_i,
					   VS_K_T_RINGING, &vs_base.v.t_ringing_ms)
					   < 0
			|| base_seconds("timeout_session_progress", p_t_sp, p_t_sp_i,
					   VS_K_T_SP, &vs_base.v.t_sp_ms)
					   < 0
			|| base_seconds("timeout_session_progress_sdp", p_t_sp_sdp,
					   p_t_sp_sdp_i, VS_K_T_SP_SDP, &vs_base.v.t_sp_sdp_ms)
					   < 0
			|| base_seconds("setup_budget", p_budget, p_budget_i, VS_K_BUDGET,
					   &vs_base.v.budget_ms)
					   < 0)
		return -1;
	for(k = 0; k < (int)(sizeof(p_rules) / sizeof(p_rules[0])); k++)
		if(base_rule(p_rules[k].key, p_rules[k].s, p_rules[k].i) < 0)
			return -1;
	if(p_stop_codes) {
		if(vs_codes_parse(p_stop_codes, -1, &vs_base.v.stop_codes, err,
				   sizeof(err))
				< 0) {
			LM_ERR("modparam switch_stop_codes \"%.60s\": %s\n", p_stop_codes,
					err);
			return -1;
		}
		vs_base.src[VS_K_SW_CODES] = "modparam";
	}
	return 0;
}

/* modparam vos_import: a VOS3000 export becomes the base (the default profile) */
static int base_from_import(void)
{
	static char src[VS_K_COUNT][VS_PROF_SRCLEN];
	vs_import_report_t *rep;
	char err[512];
	int k;

	if(p_vos_import == NULL || p_vos_import[0] == '\0')
		return 0;
	rep = malloc(sizeof(*rep));
	if(rep == NULL)
		return -1;
	if(vs_import_file(p_vos_import, &vs_base.v, rep, err, sizeof(err)) < 0) {
		LM_ERR("modparam vos_import: %s\n", err);
		free(rep);
		return -1;
	}
	for(k = 0; k < VS_K_COUNT; k++) {
		if(rep->key_line[k] == 0)
			continue;
		snprintf(src[k], sizeof(src[k]), "vos_import %s:%d", p_vos_import,
				rep->key_line[k]);
		vs_base.src[k] = src[k];
	}
	vs_import_warnings(&vs_base.v, rep);
	for(k = 0; k < rep->n_warn; k++)
		LM_WARN("vos_import %s: %s\n", p_vos_import, rep->warn[k]);
	LM_INFO("vos_import: %s imported as the default profile\n", p_vos_import);
	free(rep);
	return 0;
}

static int mod_init(void)
{
	char err[512];
	vs_profset_t *set;
	int rc;

	if(vs_timer_rt_prio < 0 || vs_timer_rt_prio > 99) {
		LM_ERR("modparam timer_rt_prio %d: out of range 0..99\n",
				vs_timer_rt_prio);
		return -1;
	}
	if(base_from_modparams() < 0 || base_from_import() < 0)
		return -1;
	if(vs_profiles_file && vs_profiles_file[0]) {
		set = vs_prof_load(vs_profiles_file, &vs_base, err, sizeof(err));
		if(set == NULL) {
			LM_ERR("profiles_file: %s\n", err);
			return -1;
		}
	} else {
		set = vs_prof_from_base(&vs_base);
		if(set == NULL)
			return -1;
	}
	rc = vs_pset_init(set, p_default_profile);
	free(set);
	if(rc < 0)
		return -1;
	vs_rpc_startup_warnings();
	if(vs_tm_init() < 0 || vs_late_init() < 0 || vs_gw_init() < 0
			|| vs_timer_init() < 0
			|| vs_stats_init() < 0 || vs_rpc_init() < 0) {
		LM_ERR("initialisation failed\n");
		return -1;
	}
	return 0;
}

static int child_init(int rank)
{
	if(rank != PROC_MAIN)
		return 0;
	if(vs_gw_child_init(rank) < 0)
		return -1;
	return vs_timer_fork(vs_tm_fire);
}

static void mod_destroy(void)
{
	vs_pset_destroy();
	vs_timer_destroy();
	vs_gw_destroy();
}
