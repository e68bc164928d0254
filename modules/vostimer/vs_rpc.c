/* vs_rpc: vostimer.profiles / profile / reload / check / timers. A reload parses and
 * validates the whole file in private memory first; only a valid set is swapped in
 * (vs_pset_swap), so a bad file leaves the profiles in force untouched. */
#include <stdlib.h>
#include <string.h>

#include "core/rpc.h"
#include "core/rpc_lookup.h"
#include "core/dprint.h"

#include "vs_rpc.h"
#include "vs_pset.h"
#include "vs_timer.h"

static void add_profile(
		rpc_t *rpc, void *ctx, const vs_profile_t *p, int with_src)
{
	void *h;
	char buf[VS_SCHED_STRLEN];
	int k;

	if(rpc->add(ctx, "{", &h) < 0)
		return;
	rpc->struct_add(h, "s", "name", p->name);
	if(p->extends[0])
		rpc->struct_add(h, "s", "extends", p->extends);
	for(k = 0; k < VS_K_COUNT; k++) {
		vs_prof_write_value(&p->v, k, buf, sizeof(buf));
		rpc->struct_add(h, "s", vs_key_name(k), buf);
		if(with_src) {
			char key[64];
			snprintf(key, sizeof(key), "%s.from", vs_key_name(k));
			rpc->struct_add(h, "s", key, p->src[k]);
		}
	}
	vs_sched_t sc = p->v.sched;
	vs_sched_cut(&sc, p->v.send_retry);
	vs_seconds_format(vs_sched_giveup(&sc), buf, sizeof(buf));
	rpc->struct_add(h, "s", "gives_up_after", buf);
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
	if(vs_pset_swap(s, err, sizeof(err)) < 0) {
		free(s);
		LM_ERR("vostimer.reload: %s - profiles in force kept\n", err);
		rpc->fault(ctx, 500, "%s - profiles in force kept", err);
		return;
	}
	LM_INFO("vostimer.reload: %d profiles from %s\n", s->n, vs_profiles_file);
	rpc->rpl_printf(
			ctx, "ok: %d profiles loaded from %s", s->n, vs_profiles_file);
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
	if(s == NULL) {
		rpc->fault(ctx, 500, "%s", err);
		return;
	}
	rpc->rpl_printf(ctx, "ok: %s is valid, %d profiles", path, s->n);
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

static rpc_export_t vs_rpc_cmds[] = {
		{"vostimer.profiles", rpc_profiles, doc_profiles, RET_ARRAY},
		{"vostimer.profile", rpc_profile, doc_profile, 0},
		{"vostimer.reload", rpc_reload, doc_reload, 0},
		{"vostimer.check", rpc_check, doc_check, 0},
		{"vostimer.timers", rpc_timers, doc_timers, 0}, {0, 0, 0, 0}};

int vs_rpc_init(void)
{
	return rpc_register_array(vs_rpc_cmds);
}
