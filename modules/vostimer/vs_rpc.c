/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vs_rpc: vostimer.profiles / profile / reload / check / timers. A reload parses and
 * validates the whole file in private memory first; only a valid set is swapped in
 * (vs_pset_swap), so a bad file leaves the profiles in force untouched. Replies are
 * typed (numbers, booleans, arrays; the kind of each profile key comes from vs_prof's
 * key table); a failure is a fault. check and reload also carry the sanity warnings
 * about the set (vs_warn: never a failure), which start-up logs too.
 * vostimer.gateways / gateways_reset: the per-gateway figures (vs_gw.c), each
 * gateway copied under its own entry lock, one at a time. */
#include <stdlib.h>
#include <string.h>

#include "core/rpc.h"
#include "core/rpc_lookup.h"
#include "core/dprint.h"
#include "core/cfg/cfg.h"
#include "core/timer_ticks.h"
#include "modules/tm/config.h"

#include "vs_rpc.h"
#include "vs_pset.h"
#include "vs_timer.h"
#include "vs_tm.h"
#include "vs_warn.h"
#include "vs_gw.h"

/* One key as an RPC struct member typed from vs_prof's key table: the list as an
 * array of seconds, seconds as a double, integers as ints, switches as booleans.
 * One member per struct_add: ctl's binrpc reads no further than a '[' in the format. */
static void add_value(rpc_t *rpc, void *h, const vs_values_t *v, int k)
{
	const void *p = vs_value_cptr(v, k);
	const char *name = vs_key_name(k);
	void *arr;
	int i;

	if(p == NULL)
		return;
	switch(vs_key_kind(k)) {
		case VS_KIND_LIST:
			if(rpc->struct_add(h, "[", name, &arr) < 0)
				return;
			for(i = 0; i < ((const vs_sched_t *)p)->n; i++)
				rpc->array_add(arr, "f",
						((const vs_sched_t *)p)->gap_ms[i] / 1000.0);
			break;
		case VS_KIND_INT:
			rpc->struct_add(h, "d", name, *(const int *)p);
			break;
		case VS_KIND_SECONDS:
			rpc->struct_add(h, "f", name, *(const unsigned int *)p / 1000.0);
			break;
		case VS_KIND_BOOL:
			rpc->struct_add(h, "b", name, *(const int *)p ? 1 : 0);
			break;
		case VS_KIND_CODES:
			if(rpc->struct_add(h, "[", name, &arr) < 0)
				return;
			for(i = 0; i < ((const vs_codes_t *)p)->n; i++)
				rpc->array_add(arr, "d", (int)((const vs_codes_t *)p)->c[i]);
			break;
	}
}

static void add_profile(
		rpc_t *rpc, void *ctx, const vs_profile_t *p, int with_src)
{
	void *h;
	int k;

	if(rpc->add(ctx, "{", &h) < 0)
		return;
	rpc->struct_add(h, "s", "name", p->name);
	if(p->extends[0])
		rpc->struct_add(h, "s", "extends", p->extends);
	for(k = 0; k < VS_K_COUNT; k++) {
		add_value(rpc, h, &p->v, k);
		if(with_src) {
			char key[64];
			snprintf(key, sizeof(key), "%s.from", vs_key_name(k));
			rpc->struct_add(h, "s", key, p->src[k]);
		}
	}
	vs_sched_t sc = p->v.sched;
	vs_sched_cut(&sc, p->v.send_retry);
	rpc->struct_add(h, "f", "gives_up_after", vs_sched_giveup(&sc) / 1000.0);
	if(with_src) {
		/* what it sets itself (or through extends): all a gateway profile
		 * overrides; the other keys come from the call's profile */
		void *arr;
		if(rpc->struct_add(h, "[", "sets", &arr) < 0)
			return;
		for(k = 0; k < VS_K_COUNT; k++)
			if(p->own & (1u << k))
				rpc->array_add(arr, "s", vs_key_name(k));
	}
}

static void rpc_profiles(rpc_t *rpc, void *ctx)
{
	vs_profset_t *s = vs_pset_dup();
	int i;
	if(s == NULL) {
		rpc->fault(ctx, 500, "out of memory");
		return;
	}
	for(i = 0; i < s->n; i++)
		add_profile(rpc, ctx, &s->p[i], 0);
	free(s);
}

static void rpc_profile(rpc_t *rpc, void *ctx)
{
	vs_profset_t *s;
	const vs_profile_t *p;
	str name;
	if(rpc->scan(ctx, "S", &name) < 1) {
		rpc->fault(ctx, 400, "usage: vostimer.profile <name>");
		return;
	}
	s = vs_pset_dup();
	if(s == NULL) {
		rpc->fault(ctx, 500, "out of memory");
		return;
	}
	p = vs_prof_find(s, name.s, name.len);
	if(p)
		add_profile(rpc, ctx, p, 1);
	else
		rpc->fault(ctx, 404, "no such profile: %.*s", name.len, name.s);
	free(s);
}

/* tm's max_inv_lifetime in ms, as this process sees tm's config (modparam or
 * cfg.set), through the core's handle of the "tm" group (tm.so is dlopen()ed
 * without RTLD_GLOBAL: its tm_cfg symbol is not ours); 0 when not known */
static unsigned int tm_lifetime_ms(void)
{
	void **h = cfg_get_handle("tm");

	if(h == NULL || *h == NULL)
		return 0;
	return (unsigned int)TICKS_TO_MS(cfg_get(tm, *h, tm_max_inv_lifetime));
}

/* where a set's sanity warnings go: the reply's array (when there is one), the log
 * (when log names the occasion) */
struct warn_out
{
	rpc_t *rpc;
	void *arr;
	const char *log;
};

static void warn_out(void *p, int level, const char *text)
{
	struct warn_out *o = p;

	if(o->log != NULL && level == VS_WARN)
		LM_WARN("%s%s%s\n", o->log, o->log[0] ? ": " : "", text);
	else if(o->log != NULL)
		LM_INFO("%s%s%s\n", o->log, o->log[0] ? ": " : "", text);
	if(o->arr != NULL)
		o->rpc->array_add(o->arr, "s", text);
}

/* the sanity warnings about set (vs_warn), logged at start-up: once per profile and
 * warning (mod_init runs once) */
void vs_rpc_startup_warnings(void)
{
	struct warn_out o = {NULL, NULL, NULL};
	vs_profset_t *s = vs_pset_dup();

	if(s == NULL)
		return;
	o.log = vs_profiles_file ? vs_profiles_file : "";
	vs_warn_set(s, &vs_base, tm_lifetime_ms(), warn_out, &o);
	free(s);
}

/* the reply of a reload or a check that passed (a failure is a fault): ok, the
 * profiles, the file, and the warnings about the set - also logged when log names
 * the command (reload); warnings never make it fail */
static void add_result(rpc_t *rpc, void *ctx, char *file,
		const vs_profset_t *set, const char *log)
{
	struct warn_out o = {rpc, NULL, log};
	void *h;

	if(rpc->add(ctx, "{", &h) >= 0) {
		rpc->struct_add(h, "bds", "ok", 1, "profiles", set->n, "file", file);
		if(rpc->struct_add(h, "[", "warnings", &o.arr) < 0)
			o.arr = NULL;
	}
	vs_warn_set(set, &vs_base, tm_lifetime_ms(), warn_out, &o);
}

/* a profile the configuration names (modparam local_profile) must stay: -1 and why
 * in err when set lacks it (default_profile is vs_pset_swap's own check) */
static int names_kept(const vs_profset_t *set, char *err, int errlen)
{
	if(vs_local_profile == NULL || vs_local_profile[0] == '\0'
			|| strcmp(vs_local_profile, "tm") == 0
			|| vs_prof_find(set, vs_local_profile, -1) != NULL)
		return 0;
	snprintf(err, errlen, "the file has no profile \"%s\" (local_profile)",
			vs_local_profile);
	return -1;
}

static void rpc_reload(rpc_t *rpc, void *ctx)
{
	char err[512];
	vs_profset_t *s;

	if(vs_profiles_file == NULL || vs_profiles_file[0] == '\0') {
		rpc->fault(ctx, 500, "no profiles_file configured");
		return;
	}
	s = vs_prof_load(vs_profiles_file, &vs_base, err, sizeof(err));
	if(s == NULL) {
		LM_ERR("vostimer.reload: %s - profiles in force kept\n", err);
		rpc->fault(ctx, 500, "%s - profiles in force kept", err);
		return;
	}
	if(names_kept(s, err, sizeof(err)) < 0
			|| vs_pset_swap(s, err, sizeof(err)) < 0) {
		free(s);
		LM_ERR("vostimer.reload: %s - profiles in force kept\n", err);
		rpc->fault(ctx, 500, "%s - profiles in force kept", err);
		return;
	}
	LM_INFO("vostimer.reload: %d profiles from %s\n", s->n, vs_profiles_file);
	add_result(rpc, ctx, vs_profiles_file, s, "vostimer.reload");
	free(s);
}

static void rpc_check(rpc_t *rpc, void *ctx)
{
	char err[512];
	char *path;
	vs_profset_t *s;
	if(rpc->scan(ctx, "s", &path) < 1) {
		rpc->fault(ctx, 400, "usage: vostimer.check <file>");
		return;
	}
	s = vs_prof_load(path, &vs_base, err, sizeof(err));
	if(s == NULL || names_kept(s, err, sizeof(err)) < 0) {
		rpc->fault(ctx, 500, "%s", err);
		free(s);
		return;
	}
	add_result(rpc, ctx, path, s, NULL);
	free(s);
}

static void rpc_timers(rpc_t *rpc, void *ctx)
{
	void *h;
	if(rpc->add(ctx, "{", &h) < 0)
		return;
	rpc->struct_add(h, "dd", "resend_entries", vs_timer_size(VS_TQ_RESEND),
			"expire_entries", vs_timer_size(VS_TQ_EXPIRE));
}

/* a distribution over the window: {n, p50, p95, max} in ms (0 when n is 0) */
static void add_dist(rpc_t *rpc, void *h, const char *name, const vs_win_sum_t *d)
{
	void *sub;

	if(rpc->struct_add(h, "{", name, &sub) < 0)
		return;
	rpc->struct_add(sub, "d", "n", d->n);
	rpc->struct_add(sub, "d", "p50", (int)d->p50);
	rpc->struct_add(sub, "d", "p95", (int)d->p95);
	rpc->struct_add(sub, "d", "max", (int)d->max);
}

static void add_gateway(rpc_t *rpc, void *arr, const vs_gw_snap_t *s)
{
	const vs_gwfig_t *f = &s->fig;
	void *h;
	int r;

	if(rpc->array_add(arr, "{", &h) < 0)
		return;
	rpc->struct_add(h, "s", "name", s->name);
	rpc->struct_add(h, "d", "tried", (int)f->tried);
	rpc->struct_add(h, "d", "answered", (int)f->answered);
	rpc->struct_add(h, "d", "busy", (int)f->busy);
	rpc->struct_add(h, "d", "rejected", (int)f->rejected);
	rpc->struct_add(h, "d", "canceled", (int)f->canceled);
	/* percent, 2 decimals; 0 when nothing was tried (or ended in the window) */
	rpc->struct_add(h, "f", "asr",
			s->sum.asr_bp < 0 ? 0.0 : s->sum.asr_bp / 100.0);
	rpc->struct_add(h, "f", "asr_recent",
			s->sum.asr_recent_bp < 0 ? 0.0 : s->sum.asr_recent_bp / 100.0);
	for(r = VS_R_NONE + 1; r < VS_R_COUNT; r++)
		rpc->struct_add(h, "d", vs_reason_name(r), (int)f->reason[r]);
	rpc->struct_add(h, "d", "active", (int)f->active);
	add_dist(rpc, h, "pdd_ms", &s->sum.pdd);
	add_dist(rpc, h, "answer_ms", &s->sum.answer);
}

/* vostimer.gateways [name]: the table's size, evictions and window, then every
 * gateway (or the one named) */
static void rpc_gateways(rpc_t *rpc, void *ctx)
{
	vs_gw_snap_t *s;
	vs_gw_info_t info;
	str name = STR_NULL;
	void *h, *arr;
	int i;

	if(rpc->scan(ctx, "*S", &name) < 1)
		name.len = 0;
	s = malloc(sizeof(*s));
	if(s == NULL) {
		rpc->fault(ctx, 500, "out of memory");
		return;
	}
	if(name.len > 0 && !vs_gw_snap_name(name.s, name.len, s)) {
		rpc->fault(ctx, 404, "no such gateway: %.*s", name.len, name.s);
		free(s);
		return;
	}
	vs_gw_info(&info);
	if(rpc->add(ctx, "{", &h) < 0) {
		free(s);
		return;
	}
	rpc->struct_add(h, "d", "gateway_max", info.cap);
	rpc->struct_add(h, "d", "gateways", info.used);
	rpc->struct_add(h, "d", "evicted", (int)info.evicted);
	rpc->struct_add(h, "d", "window_s", info.window_s);
	rpc->struct_add(h, "d", "window_samples", info.samples);
	if(rpc->struct_add(h, "[", "list", &arr) < 0) {
		free(s);
		return;
	}
	if(name.len > 0)
		add_gateway(rpc, arr, s);
	else
		for(i = 0; i < info.cap; i++)
			if(vs_gw_snap_at(i, s))
				add_gateway(rpc, arr, s);
	free(s);
}

/* vostimer.gateways_reset [name] */
static void rpc_gateways_reset(rpc_t *rpc, void *ctx)
{
	str name = STR_NULL;
	void *h;
	int n;

	if(rpc->scan(ctx, "*S", &name) < 1)
		name.len = 0;
	n = vs_gw_reset(name.len > 0 ? name.s : NULL, name.len);
	if(name.len > 0 && n == 0) {
		rpc->fault(ctx, 404, "no such gateway: %.*s", name.len, name.s);
		return;
	}
	if(rpc->add(ctx, "{", &h) < 0)
		return;
	rpc->struct_add(h, "d", "reset", n);
}

static const char *doc_profiles[] = {
		"List the profiles and their effective values", 0};
static const char *doc_profile[] = {
		"Show one profile with where each value came from", 0};
static const char *doc_reload[] = {
		"Re-read profiles_file; on error keep the profiles in force", 0};
static const char *doc_check[] = {
		"Validate a profile file without applying it", 0};
static const char *doc_timers[] = {
		"Entries in the resend and expire timer heaps", 0};
static const char *doc_gateways[] = {
		"Per-gateway figures: all gateways, or the one named", 0};
static const char *doc_gateways_reset[] = {
		"Reset the per-gateway figures: all gateways, or the one named", 0};

static rpc_export_t vs_rpc_cmds[] = {
		{"vostimer.profiles", rpc_profiles, doc_profiles, RET_ARRAY},
		{"vostimer.profile", rpc_profile, doc_profile, 0},
		{"vostimer.reload", rpc_reload, doc_reload, 0},
		{"vostimer.check", rpc_check, doc_check, 0},
		{"vostimer.timers", rpc_timers, doc_timers, 0},
		{"vostimer.gateways", rpc_gateways, doc_gateways, 0},
		{"vostimer.gateways_reset", rpc_gateways_reset, doc_gateways_reset, 0},
		{0, 0, 0, 0}};

int vs_rpc_init(void)
{
	return rpc_register_array(vs_rpc_cmds);
}
