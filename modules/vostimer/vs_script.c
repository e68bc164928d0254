/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vs_script: cfg functions and KEMI exports (same names), and $vos(...). Each
 * function parses its argument, logs a bad value with its name and leaves the values
 * in force untouched (returns false); the values live in vs_tm (vs_tm_edit_next). */
#include <string.h>

#include "core/mod_fix.h"
#include "core/dprint.h"
#include "core/kemi.h"
#include "core/pvar.h"
#include "core/pvapi.h"
#include "core/ut.h"
#include "core/mem/mem.h"

#include "vs_script.h"
#include "vs_tm.h"
#include "vs_pset.h"
#include "vs_policy.h"
#include "vs_gw.h"

/* ---- the edits, one per function ---- */

#define KEY(k) (1u << (k))

/* a script function's bad argument: logged with the function and the value; the
 * values in force stay. Returns -1. */
static int refused(const char *fn, const str *s, const char *err)
{
	LM_ERR("%s(\"%.*s\"): %s - values in force kept\n", fn,
			s->len > 64 ? 64 : s->len, s->s, err);
	return -1;
}

static int edit_resend(vs_values_t *v, int *prof, unsigned int *inl, void *arg)
{
	str *s = (str *)arg;
	char err[VS_ERRLEN];
	vs_sched_t sc;
	if(vs_sched_parse(s->s, s->len, &sc, err, sizeof(err)) < 0)
		return refused("vos_resend", s, err);
	v->sched = sc;
	*inl |= KEY(VS_K_RESEND);
	return 1;
}

/* the stage timeouts as the functions name them, in vos_timeouts()' order */
static const struct
{
	const char *stage;
	int key;
} stage_keys[] = {{"invite", VS_K_T_INVITE}, {"trying", VS_K_T_TRYING},
		{"ringing", VS_K_T_RINGING}, {"session_progress", VS_K_T_SP},
		{"session_progress_sdp", VS_K_T_SP_SDP}};
#define N_STAGES (int)(sizeof(stage_keys) / sizeof(stage_keys[0]))

typedef struct
{
	const char *fn; /* the function, for messages */
	int n;			/* timeouts given: 3 or 5 (vos_timeouts), 1 (vos_timeout) */
	int first;		/* stage_keys index of the first one given */
	str v[N_STAGES];
} timeouts_arg_t;

static int edit_timeouts(vs_values_t *v, int *prof, unsigned int *inl, void *arg)
{
	timeouts_arg_t *a = (timeouts_arg_t *)arg;
	vs_values_t n = *v;
	unsigned int set = 0;
	char err[VS_ERRLEN];
	int i, k;
	str *s;

	for(i = 0; i < a->n; i++) {
		s = &a->v[i];
		k = stage_keys[a->first + i].key;
		if(s->len == 0)
			continue; /* empty: keep */
		if(vs_seconds_parse(s->s, s->len, VS_SECONDS_MAX_MS,
				   vs_value_ptr(&n, k), err, sizeof(err))
				< 0) {
			LM_ERR("%s() %s \"%.*s\": %s - values in force kept\n", a->fn,
					stage_keys[a->first + i].stage, s->len > 64 ? 64 : s->len,
					s->s, err);
			return -1;
		}
		set |= KEY(k);
	}
	*v = n;
	*inl |= set;
	return 1;
}

static int edit_codes(vs_values_t *v, int *prof, unsigned int *inl, void *arg)
{
	str *s = (str *)arg;
	char err[VS_ERRLEN];
	vs_codes_t c;
	if(vs_codes_parse(s->s, s->len, &c, err, sizeof(err)) < 0)
		return refused("vos_stop_codes", s, err);
	v->stop_codes = c;
	*inl |= KEY(VS_K_SW_CODES);
	return 1;
}

static int edit_budget(vs_values_t *v, int *prof, unsigned int *inl, void *arg)
{
	str *s = (str *)arg;
	char err[VS_ERRLEN];
	unsigned int ms;
	if(vs_seconds_parse(s->s, s->len, VS_SECONDS_MAX_MS, &ms, err, sizeof(err))
			< 0)
		return refused("vos_setup_budget", s, err);
	v->budget_ms = ms;
	*inl |= KEY(VS_K_BUDGET);
	return 1;
}

/* the call's profile: replaces the call's values, inline ones included */
static int edit_profile(vs_values_t *v, int *prof, unsigned int *inl, void *arg)
{
	str *s = (str *)arg;
	vs_values_t n;
	int id;
	if(s->len <= 0 || s->len >= VS_PROF_NAMELEN
			|| (id = vs_pset_get(s->s, s->len, &n, NULL)) < 0) {
		LM_ERR("vos_profile(\"%.*s\"): no such profile - values in force "
			   "kept\n",
				s->len > 64 ? 64 : s->len, s->s);
		return -1;
	}
	/* the setup budget runs across failovers: a profile without one keeps it */
	*inl &= KEY(VS_K_BUDGET);
	if(n.budget_ms == 0)
		n.budget_ms = v->budget_ms;
	else
		*inl = 0;
	*v = n;
	*prof = id;
	return 1;
}

/* ---- KEMI (and the cfg wrappers call these) ---- */

static int ki_vos_resend(sip_msg_t *msg, str *list)
{
	return vs_tm_edit_next(msg, edit_resend, list);
}

static int ki_vos_timeouts(sip_msg_t *msg, str *inv, str *trying, str *ringing)
{
	timeouts_arg_t a = {"vos_timeouts", 3, 0, {*inv, *trying, *ringing}};
	return vs_tm_edit_next(msg, edit_timeouts, &a);
}

static int ki_vos_timeouts5(sip_msg_t *msg, str *inv, str *trying, str *ringing,
		str *sp, str *sp_sdp)
{
	timeouts_arg_t a = {
			"vos_timeouts", 5, 0, {*inv, *trying, *ringing, *sp, *sp_sdp}};
	return vs_tm_edit_next(msg, edit_timeouts, &a);
}

/* vos_timeout(stage, seconds): one stage's timeout */
static int ki_vos_timeout(sip_msg_t *msg, str *stage, str *secs)
{
	timeouts_arg_t a = {"vos_timeout", 1, 0, {*secs}};
	int i;

	for(i = 0; i < N_STAGES; i++)
		if(stage->len == (int)strlen(stage_keys[i].stage)
				&& strncmp(stage->s, stage_keys[i].stage, stage->len) == 0)
			break;
	if(i == N_STAGES) {
		LM_ERR("vos_timeout(\"%.*s\", ...): no such stage (invite, trying, "
			   "session_progress, session_progress_sdp, ringing) - values in "
			   "force kept\n",
				stage->len > 32 ? 32 : stage->len, stage->s);
		return -1;
	}
	if(secs->len == 0) {
		LM_ERR("vos_timeout(\"%.*s\", \"\"): no seconds given - values in "
			   "force kept\n",
				stage->len, stage->s);
		return -1;
	}
	a.first = i;
	return vs_tm_edit_next(msg, edit_timeouts, &a);
}

static int ki_vos_stop_codes(sip_msg_t *msg, str *codes)
{
	return vs_tm_edit_next(msg, edit_codes, codes);
}

static int ki_vos_setup_budget(sip_msg_t *msg, str *secs)
{
	return vs_tm_edit_next(msg, edit_budget, secs);
}

static int ki_vos_profile(sip_msg_t *msg, str *name)
{
	return vs_tm_edit_next(msg, edit_profile, name);
}

static int ki_vos_failed(sip_msg_t *msg, str *reason)
{
	vs_view_t v;
	const char *r;
	if(vs_tm_view(msg, &v) < 0 || !v.valid)
		return -1;
	r = vs_reason_name(v.reason);
	return (reason->len == (int)strlen(r)
				   && strncmp(reason->s, r, reason->len) == 0)
				   ? 1
				   : -1;
}

/* VOS3000's gateway-switch rules (doc/user-guide.md §4) for the branch
 * failure_route handles: 1 when another gateway may be tried, -1 when a rule
 * forbids it ($vos(stop) names it). Never relays: the script chooses the next
 * gateway. */
static int ki_vos_failover(sip_msg_t *msg)
{
	vs_view_t v;
	char why[128];

	if(vs_tm_failover(msg, &v) < 0)
		return -1;
	switch(v.stop) {
		case VS_STOP_NONE:
			return 1;
		case VS_STOP_USER_BUSY:
			snprintf(why, sizeof(why),
					"the gateway answered %d and switch_stop_after_busy is on",
					v.last_code);
			break;
		case VS_STOP_CODE:
			snprintf(why, sizeof(why),
					"the gateway answered %d, one of switch_stop_codes",
					v.last_code);
			break;
		case VS_STOP_EARLY_MEDIA:
			snprintf(why, sizeof(why),
					"early media (SDP) reached the caller "
					"and stop_switch_after_sdp is on");
			break;
		case VS_STOP_RINGING:
			snprintf(why, sizeof(why),
					"a gateway reached ringing and "
					"switch_until_connect is off");
			break;
		case VS_STOP_LIMIT:
			snprintf(why, sizeof(why),
					"%d gateways tried, gateway_switch_limit %d", v.started,
					v.rules.sw_limit);
			break;
		case VS_STOP_BUDGET:
			snprintf(why, sizeof(why), "the setup budget is spent");
			break;
		default:
			snprintf(why, sizeof(why), "the caller CANCELed");
	}
	LM_INFO("vos_failover: no, stop=%s: %s (call %s)\n", vs_stop_name(v.stop),
			why, v.callid);
	return -1;
}

/* vos_switch_rules()' arguments, in key order VS_K_SW_LIMIT..VS_K_SW_SDP */
typedef struct
{
	str v[VS_K_SW_SDP - VS_K_SW_LIMIT + 1];
} switch_arg_t;

static int edit_switch(vs_values_t *v, int *prof, unsigned int *inl, void *arg)
{
	switch_arg_t *a = (switch_arg_t *)arg;
	vs_values_t n = *v;
	char err[VS_ERRLEN];
	str *s;
	int k;

	for(k = VS_K_SW_LIMIT; k <= VS_K_SW_SDP; k++) {
		s = &a->v[k - VS_K_SW_LIMIT];
		if(s->len == 0) /* empty: keep the value in force */
			continue;
		if(vs_rule_parse(k, s->s, s->len, vs_value_ptr(&n, k), err, sizeof(err))
				< 0) {
			LM_ERR("vos_switch_rules() %s \"%.*s\": %s - values in force "
				   "kept\n",
					vs_key_name(k), s->len > 64 ? 64 : s->len, s->s, err);
			return -1;
		}
		*inl |= KEY(k);
	}
	*v = n;
	return 1;
}

static int ki_vos_switch_rules(
		sip_msg_t *msg, str *limit, str *busy, str *until_connect, str *sdp)
{
	switch_arg_t a = {{*limit, *busy, *until_connect, *sdp}};
	return vs_tm_edit_next(msg, edit_switch, &a);
}

/* ---- cfg wrappers ---- */

static int get_str(sip_msg_t *msg, char *p, str *s, const char *fn)
{
	if(fixup_get_svalue(msg, (gparam_t *)p, s) < 0) {
		LM_ERR("%s(): cannot evaluate the parameter\n", fn);
		return -1;
	}
	return 0;
}

static int w_vos_resend(sip_msg_t *msg, char *p1, char *p2)
{
	str s;
	return get_str(msg, p1, &s, "vos_resend") < 0 ? -1 : ki_vos_resend(msg, &s);
}

static int w_vos_timeouts(sip_msg_t *msg, char *p1, char *p2, char *p3)
{
	str a, b, c;
	if(get_str(msg, p1, &a, "vos_timeouts") < 0
			|| get_str(msg, p2, &b, "vos_timeouts") < 0
			|| get_str(msg, p3, &c, "vos_timeouts") < 0)
		return -1;
	return ki_vos_timeouts(msg, &a, &b, &c);
}

static int w_vos_timeouts5(
		sip_msg_t *msg, char *p1, char *p2, char *p3, char *p4, char *p5)
{
	str a, b, c, d, e;
	if(get_str(msg, p1, &a, "vos_timeouts") < 0
			|| get_str(msg, p2, &b, "vos_timeouts") < 0
			|| get_str(msg, p3, &c, "vos_timeouts") < 0
			|| get_str(msg, p4, &d, "vos_timeouts") < 0
			|| get_str(msg, p5, &e, "vos_timeouts") < 0)
		return -1;
	return ki_vos_timeouts5(msg, &a, &b, &c, &d, &e);
}

static int w_vos_timeout(sip_msg_t *msg, char *p1, char *p2)
{
	str a, b;
	if(get_str(msg, p1, &a, "vos_timeout") < 0
			|| get_str(msg, p2, &b, "vos_timeout") < 0)
		return -1;
	return ki_vos_timeout(msg, &a, &b);
}

static int w_vos_stop_codes(sip_msg_t *msg, char *p1, char *p2)
{
	str s;
	return get_str(msg, p1, &s, "vos_stop_codes") < 0
				   ? -1
				   : ki_vos_stop_codes(msg, &s);
}

static int w_vos_setup_budget(sip_msg_t *msg, char *p1, char *p2)
{
	str s;
	return get_str(msg, p1, &s, "vos_setup_budget") < 0
				   ? -1
				   : ki_vos_setup_budget(msg, &s);
}

static int w_vos_profile(sip_msg_t *msg, char *p1, char *p2)
{
	str s;
	return get_str(msg, p1, &s, "vos_profile") < 0 ? -1
												   : ki_vos_profile(msg, &s);
}

static int w_vos_failed(sip_msg_t *msg, char *p1, char *p2)
{
	str s;
	return get_str(msg, p1, &s, "vos_failed") < 0 ? -1 : ki_vos_failed(msg, &s);
}

static int w_vos_failover(sip_msg_t *msg, char *p1, char *p2)
{
	return ki_vos_failover(msg);
}

static int w_vos_switch_rules(
		sip_msg_t *msg, char *p1, char *p2, char *p3, char *p4)
{
	str a, b, c, d;
	if(get_str(msg, p1, &a, "vos_switch_rules") < 0
			|| get_str(msg, p2, &b, "vos_switch_rules") < 0
			|| get_str(msg, p3, &c, "vos_switch_rules") < 0
			|| get_str(msg, p4, &d, "vos_switch_rules") < 0)
		return -1;
	return ki_vos_switch_rules(msg, &a, &b, &c, &d);
}

#define VS_SET_ROUTES (REQUEST_ROUTE | FAILURE_ROUTE | BRANCH_ROUTE)

cmd_export_t vs_cmds[] = {
		{"vos_resend", (cmd_function)w_vos_resend, 1, fixup_spve_all,
				fixup_free_spve_all, VS_SET_ROUTES},
		{"vos_timeouts", (cmd_function)w_vos_timeouts, 3, fixup_spve_all,
				fixup_free_spve_all, VS_SET_ROUTES},
		{"vos_timeouts", (cmd_function)w_vos_timeouts5, 5, fixup_spve_all,
				fixup_free_spve_all, VS_SET_ROUTES},
		{"vos_timeout", (cmd_function)w_vos_timeout, 2, fixup_spve_all,
				fixup_free_spve_all, VS_SET_ROUTES},
		{"vos_stop_codes", (cmd_function)w_vos_stop_codes, 1, fixup_spve_all,
				fixup_free_spve_all, VS_SET_ROUTES},
		{"vos_setup_budget", (cmd_function)w_vos_setup_budget, 1,
				fixup_spve_all, fixup_free_spve_all, VS_SET_ROUTES},
		{"vos_profile", (cmd_function)w_vos_profile, 1, fixup_spve_all,
				fixup_free_spve_all, VS_SET_ROUTES},
		{"vos_failed", (cmd_function)w_vos_failed, 1, fixup_spve_all,
				fixup_free_spve_all, FAILURE_ROUTE | EVENT_ROUTE},
		{"vos_switch_rules", (cmd_function)w_vos_switch_rules, 4,
				fixup_spve_all, fixup_free_spve_all, VS_SET_ROUTES},
		{"vos_failover", (cmd_function)w_vos_failover, 0, 0, 0, FAILURE_ROUTE},
		{0, 0, 0, 0, 0, 0}};

/* ---- $vos(name) ---- */

enum
{
	PV_REASON = 1,
	PV_STAGE,
	PV_SENDS,
	PV_ELAPSED,
	PV_SCHEDULE,
	PV_BUDGET_LEFT,
	PV_PROFILE,
	PV_BRANCHES,
	PV_CALLID,
	PV_DST,
	PV_STOP,
	PV_ATTEMPTS,
	PV_GW_PROFILE,
	PV_CODE,
	PV_NEXT_PROFILE,
	PV_NEXT_SCHEDULE,
	PV_GATEWAY,
	PV_OUTCOME,
	PV_PDD,
	PV_ANSWER_TIME
};

static struct
{
	const char *n;
	int k;
} pv_names[] = {{"reason", PV_REASON}, {"stage", PV_STAGE}, {"sends", PV_SENDS},
		{"elapsed", PV_ELAPSED}, {"schedule", PV_SCHEDULE},
		{"budget_left", PV_BUDGET_LEFT}, {"profile", PV_PROFILE},
		{"branches", PV_BRANCHES}, {"callid", PV_CALLID}, {"dst", PV_DST},
		{"stop", PV_STOP}, {"attempts", PV_ATTEMPTS},
		{"gateway_profile", PV_GW_PROFILE}, {"code", PV_CODE},
		{"next_profile", PV_NEXT_PROFILE},
		{"next_schedule", PV_NEXT_SCHEDULE}, {"gateway", PV_GATEWAY},
		{"outcome", PV_OUTCOME}, {"pdd", PV_PDD},
		{"answer_time", PV_ANSWER_TIME}, {0, 0}};

static int pv_parse_vos(pv_spec_p sp, str *in)
{
	int i;
	for(i = 0; pv_names[i].n; i++) {
		if(in->len == (int)strlen(pv_names[i].n)
				&& strncmp(in->s, pv_names[i].n, in->len) == 0) {
			sp->pvp.pvn.type = PV_NAME_INTSTR;
			sp->pvp.pvn.u.isname.type = 0;
			sp->pvp.pvn.u.isname.name.n = pv_names[i].k;
			return 0;
		}
	}
	LM_ERR("$vos(%.*s): unknown name (reason, stage, sends, elapsed, schedule, "
		   "profile, gateway_profile, code, dst, next_profile, next_schedule, "
		   "budget_left, branches, attempts, callid, stop, gateway, outcome, "
		   "pdd, answer_time)\n",
			in->len, in->s);
	return -1;
}

/* a view's string into one of the core's rotating PV buffers, so that
 * $vos(a) == $vos(b) compares two values; "" is $null */
static int pv_str(
		sip_msg_t *msg, pv_param_t *param, pv_value_t *res, const char *val)
{
	str s;
	if(val[0] == '\0')
		return pv_get_null(msg, param, res);
	s.s = pv_get_buffer();
	s.len = snprintf(s.s, pv_get_buffer_size(), "%s", val);
	if(s.len < 0 || s.len >= pv_get_buffer_size())
		return pv_get_null(msg, param, res);
	return pv_get_strval(msg, param, res, &s);
}

static int pv_get_vos(sip_msg_t *msg, pv_param_t *param, pv_value_t *res)
{
	vs_view_t v;
	str s;

	if(vs_tm_view(msg, &v) < 0)
		return pv_get_null(msg, param, res);
	switch(param->pvn.u.isname.name.n) {
		case PV_REASON:
			if(!v.valid || v.reason == VS_R_NONE)
				return pv_get_null(msg, param, res);
			s.s = (char *)vs_reason_name(v.reason);
			s.len = strlen(s.s);
			return pv_get_strval(msg, param, res, &s);
		case PV_STAGE:
			if(!v.valid)
				return pv_get_null(msg, param, res);
			s.s = (char *)vs_stage_name(v.stage);
			s.len = strlen(s.s);
			return pv_get_strval(msg, param, res, &s);
		case PV_SENDS:
			return pv_get_sintval(msg, param, res, v.sends);
		case PV_ELAPSED:
			return pv_get_sintval(msg, param, res, v.elapsed_ms);
		case PV_BRANCHES:
		case PV_ATTEMPTS:
			return pv_get_sintval(msg, param, res, v.started);
		case PV_STOP:
			return pv_str(msg, param, res, vs_stop_name(v.stop));
		case PV_BUDGET_LEFT:
			if(v.budget_left_ms < 0)
				return pv_get_null(msg, param, res);
			return pv_get_sintval(msg, param, res, (int)v.budget_left_ms);
		case PV_SCHEDULE:
			return pv_str(msg, param, res, v.schedule);
		case PV_CALLID:
			return pv_str(msg, param, res, v.callid);
		case PV_DST:
			return pv_str(msg, param, res, v.dst);
		case PV_PROFILE:
			return pv_str(msg, param, res, vs_pset_name(v.prof_id));
		case PV_GW_PROFILE:
			return pv_str(msg, param, res, vs_pset_name(v.gw_id));
		case PV_CODE:
			if(!v.valid || v.last_code <= 0)
				return pv_get_null(msg, param, res);
			return pv_get_sintval(msg, param, res, v.last_code);
		case PV_NEXT_PROFILE:
			return pv_str(msg, param, res, vs_pset_name(v.next_prof));
		case PV_GATEWAY:
			return pv_str(msg, param, res, v.valid ? v.gateway : "");
		case PV_OUTCOME:
			if(!v.valid || (v.reason == VS_R_NONE && v.last_code < 200))
				return pv_get_null(msg, param, res); /* not ended */
			return pv_str(msg, param, res,
					vs_gwfig_outcome_name(v.reason, v.last_code));
		case PV_PDD:
			if(!v.valid || v.pdd_ms < 0)
				return pv_get_null(msg, param, res);
			return pv_get_sintval(msg, param, res, (int)v.pdd_ms);
		case PV_ANSWER_TIME:
			if(!v.valid || v.answer_ms < 0)
				return pv_get_null(msg, param, res);
			return pv_get_sintval(msg, param, res, (int)v.answer_ms);
		case PV_NEXT_SCHEDULE: {
			char buf[VS_SCHED_STRLEN];
			vs_sched_t sc = v.next.sched;
			vs_sched_cut(&sc, v.next.send_retry);
			vs_sched_format(&sc, buf, sizeof(buf));
			return pv_str(msg, param, res, buf);
		}
	}
	return pv_get_null(msg, param, res);
}

/* ---- $vosgw(name=>field): a gateway's figures (vs_gw.c) ---- */

/* the parsed name: the gateway as a format (a pseudo-variable, or text) and the
 * field's id; pkg memory, kept for the life of the process (as every cfg's) */
typedef struct vosgw_name
{
	pv_elem_t *gw;
	int field;
} vosgw_name_t;

static int pv_parse_vosgw(pv_spec_p sp, str *in)
{
	vosgw_name_t *n;
	str gw, field;
	char *sep;

	for(sep = in->s; sep + 1 < in->s + in->len; sep++)
		if(sep[0] == '=' && sep[1] == '>')
			break;
	if(sep + 1 >= in->s + in->len || sep == in->s) {
		LM_ERR("$vosgw(%.*s): not <gateway>=><field>\n", in->len, in->s);
		return -1;
	}
	gw.s = in->s;
	gw.len = sep - in->s;
	field.s = sep + 2;
	field.len = in->s + in->len - field.s;
	n = pkg_malloc(sizeof(*n));
	if(n == NULL) {
		PKG_MEM_ERROR;
		return -1;
	}
	n->field = vs_gw_field_id(field.s, field.len);
	if(n->field < 0) {
		LM_ERR("$vosgw(%.*s): unknown field \"%.*s\" (%s)\n", in->len, in->s,
				field.len, field.s, vs_gw_field_names());
		pkg_free(n);
		return -1;
	}
	if(pv_parse_format(&gw, &n->gw) < 0 || n->gw == NULL) {
		LM_ERR("$vosgw(%.*s): bad gateway name \"%.*s\"\n", in->len, in->s,
				gw.len, gw.s);
		pkg_free(n);
		return -1;
	}
	sp->pvp.pvn.type = PV_NAME_OTHER;
	sp->pvp.pvn.u.dname = n;
	return 0;
}

/* an integer, or $null: an unknown gateway, a ratio with nothing tried, a
 * percentile with no sample in the window */
static int pv_get_vosgw(sip_msg_t *msg, pv_param_t *param, pv_value_t *res)
{
	vosgw_name_t *n = (vosgw_name_t *)param->pvn.u.dname;
	char name[VS_GW_NAMELEN];
	vs_gw_snap_t *s;
	long val;
	int len, ok;

	if(n == NULL)
		return pv_get_null(msg, param, res);
	len = vs_tm_fmt_name(n->gw, msg, name, sizeof(name));
	if(len <= 0)
		return pv_get_null(msg, param, res);
	s = pkg_malloc(sizeof(*s)); /* ~3 KB: not on the route's stack */
	if(s == NULL) {
		PKG_MEM_ERROR;
		return pv_get_null(msg, param, res);
	}
	ok = vs_gw_snap_name(name, len, s) && vs_gw_field(s, n->field, &val);
	pkg_free(s);
	if(!ok)
		return pv_get_null(msg, param, res);
	return pv_get_sintval(msg, param, res, (int)val);
}

pv_export_t vs_pvs[] = {{{"vos", sizeof("vos") - 1}, PVT_OTHER, pv_get_vos, 0,
								pv_parse_vos, 0, 0, 0},
		{{"vosgw", sizeof("vosgw") - 1}, PVT_OTHER, pv_get_vosgw, 0,
				pv_parse_vosgw, 0, 0, 0},
		{{0, 0}, 0, 0, 0, 0, 0, 0, 0}};

/* ---- KEMI table ---- */

/* clang-format off */
static sr_kemi_t vs_kemi_exports[] = {
	{ str_init("vostimer"), str_init("vos_resend"),
		SR_KEMIP_INT, ki_vos_resend,
		{ SR_KEMIP_STR, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("vostimer"), str_init("vos_timeouts"),
		SR_KEMIP_INT, ki_vos_timeouts,
		{ SR_KEMIP_STR, SR_KEMIP_STR, SR_KEMIP_STR,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("vostimer"), str_init("vos_timeouts5"),
		SR_KEMIP_INT, ki_vos_timeouts5,
		{ SR_KEMIP_STR, SR_KEMIP_STR, SR_KEMIP_STR,
			SR_KEMIP_STR, SR_KEMIP_STR, SR_KEMIP_NONE }
	},
	{ str_init("vostimer"), str_init("vos_timeout"),
		SR_KEMIP_INT, ki_vos_timeout,
		{ SR_KEMIP_STR, SR_KEMIP_STR, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("vostimer"), str_init("vos_stop_codes"),
		SR_KEMIP_INT, ki_vos_stop_codes,
		{ SR_KEMIP_STR, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("vostimer"), str_init("vos_setup_budget"),
		SR_KEMIP_INT, ki_vos_setup_budget,
		{ SR_KEMIP_STR, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("vostimer"), str_init("vos_profile"),
		SR_KEMIP_INT, ki_vos_profile,
		{ SR_KEMIP_STR, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("vostimer"), str_init("vos_failed"),
		SR_KEMIP_INT, ki_vos_failed,
		{ SR_KEMIP_STR, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("vostimer"), str_init("vos_switch_rules"),
		SR_KEMIP_INT, ki_vos_switch_rules,
		{ SR_KEMIP_STR, SR_KEMIP_STR, SR_KEMIP_STR,
			SR_KEMIP_STR, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("vostimer"), str_init("vos_failover"),
		SR_KEMIP_INT, ki_vos_failover,
		{ SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ {0, 0}, {0, 0}, 0, NULL, { 0, 0, 0, 0, 0, 0 } }
};
/* clang-format on */

int vs_kemi_register(void)
{
	sr_kemi_modules_add(vs_kemi_exports);
	return 0;
}
