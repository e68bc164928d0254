/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vs_warn: the sanity checks on timing values (see vs_warn.h), shared by the VOS3000
 * importer (vs_import_warnings: VOS3000 parameter names) and the profile file checks
 * of vostimer.check, vostimer.reload and start-up (profile keys). Pure C: no Kamailio
 * header; the glue passes tm's max_inv_lifetime in and logs or replies the texts. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "vs_warn.h"

#define T1_MS 500 /* SIP's T1: a first interval below it resends too early */
#define DEFAULTS "defaults"

typedef struct out
{
	vs_warn_opts_t o;
	vs_warn_fn add;
	void *ctx;
	int n;
	int level; /* of the next say(): VS_WARN unless a check says otherwise */
} out_t;

static const char *nm(const out_t *w, int key)
{
	const char *n = w->o.name ? w->o.name(key) : NULL;

	return n ? n : vs_key_name(key);
}

static void say(out_t *w, const char *fmt, ...)
		__attribute__((format(printf, 2, 3)));

static void say(out_t *w, const char *fmt, ...)
{
	char text[VS_WARN_LEN];
	va_list ap;
	int n;

	n = snprintf(text, sizeof(text), "%s", w->o.prefix ? w->o.prefix : "");
	if(n < 0 || n >= (int)sizeof(text))
		n = 0;
	va_start(ap, fmt);
	vsnprintf(text + n, sizeof(text) - (size_t)n, fmt, ap);
	va_end(ap);
	w->add(w->ctx, w->level, text);
	w->level = VS_WARN;
	w->n++;
}

/* tm's max_inv_lifetime in seconds ("180"); life_dflt: "default " when assumed */
static const char *life_s(const out_t *w, char *buf, int len)
{
	vs_seconds_format(
			w->o.life_ms ? w->o.life_ms : VS_WARN_LIFE_DEFAULT_MS, buf, len);
	return buf;
}

static const char *life_dflt(const out_t *w)
{
	return w->o.life_ms ? "" : "default ";
}

static void warn_retry(const vs_values_t *v, out_t *w)
{
	vs_sched_t cut = v->sched;
	char list[VS_SCHED_STRLEN], t_cut[16], t_all[16];

	vs_sched_cut(&cut, v->send_retry);
	if(cut.n == v->sched.n)
		return;
	vs_sched_format(&v->sched, list, sizeof(list));
	vs_seconds_format(vs_sched_giveup(&cut), t_cut, sizeof(t_cut));
	vs_seconds_format(vs_sched_giveup(&v->sched), t_all, sizeof(t_all));
	say(w,
			"%s %d is smaller than the %d retransmissions %s %s lists: its "
			"last %d interval%s never used, so the branch gives up at %s s, "
			"not %s s",
			nm(w, VS_K_RETRY), v->send_retry, v->sched.n - 1,
			nm(w, VS_K_RESEND), list, v->sched.n - cut.n,
			v->sched.n - cut.n == 1 ? " is" : "s are", t_cut, t_all);
}

static void warn_invite_cut(const vs_values_t *v, out_t *w)
{
	vs_sched_t s = v->sched;
	char t_inv[16], t_last[16], t_give[16];
	int k, lost = 0;

	if(v->t_invite_ms == 0)
		return;
	vs_sched_cut(&s, v->send_retry);
	for(k = 1; k < s.n; k++)
		lost += vs_sched_at(&s, k) >= v->t_invite_ms;
	vs_seconds_format(v->t_invite_ms, t_inv, sizeof(t_inv));
	vs_seconds_format(vs_sched_giveup(&s), t_give, sizeof(t_give));
	if(lost > 0) {
		vs_seconds_format(
				vs_sched_at(&s, s.n - 1 - lost), t_last, sizeof(t_last));
		say(w,
				"%s %s s ends the INVITE stage before the schedule: sends "
				"after %s s (%d of %d) are never made; a silent gateway "
				"fails with invite_timeout at %s s, not resend_exhausted at "
				"%s s",
				nm(w, VS_K_T_INVITE), t_inv, t_last, lost, s.n, t_inv, t_give);
	} else if(vs_sched_giveup(&s) > v->t_invite_ms) {
		say(w,
				"%s %s s ends the INVITE stage before the schedule gives up "
				"at %s s: all %d sends are made, but a silent gateway fails "
				"with invite_timeout at %s s",
				nm(w, VS_K_T_INVITE), t_inv, t_give, s.n, t_inv);
	}
}

static void warn_shape(const vs_values_t *v, out_t *w)
{
	vs_sched_t s = v->sched;
	char list[VS_SCHED_STRLEN], a[16], b[16];
	int k, flat = 1;

	vs_sched_cut(&s, v->send_retry);
	vs_sched_format(&v->sched, list, sizeof(list));
	for(k = 1; k < s.n; k++)
		flat &= s.gap_ms[k] == s.gap_ms[0];
	vs_seconds_format(s.gap_ms[0], a, sizeof(a));
	if(s.n >= 3 && flat)
		say(w,
				"%s %s is flat (every resend %s s after the last): "
				"VOS3000's guide warns against flat lists; a growing list "
				"such as the default " VS_SCHED_DEFAULT " spares a slow "
				"gateway",
				nm(w, VS_K_RESEND), list, a);
	for(k = 1; k < s.n && !flat; k++) {
		if(s.gap_ms[k] >= s.gap_ms[k - 1])
			continue;
		vs_seconds_format(s.gap_ms[k - 1], a, sizeof(a));
		vs_seconds_format(s.gap_ms[k], b, sizeof(b));
		say(w,
				"%s %s shrinks (interval %d is %s s after %s s): resends "
				"speed up while the gateway is slow; intervals should grow "
				"or stay level",
				nm(w, VS_K_RESEND), list, k + 1, b, a);
		break;
	}
	if(s.gap_ms[0] < T1_MS) {
		vs_seconds_format(s.gap_ms[0], a, sizeof(a));
		say(w,
				"%s starts with %s s, below SIP's T1 of 0.5 s: the first "
				"resend may leave before a normal reply can arrive",
				nm(w, VS_K_RESEND), a);
	}
}

/* A stage timeout of 0: what then ends that stage. */
static void warn_zero(const vs_values_t *v, int key, out_t *w)
{
	char t[16], life[16];

	life_s(w, life, sizeof(life));
	w->level = VS_NOTE; /* a 0 is set on purpose more often than not */
	switch(key) {
		case VS_K_T_INVITE:
			vs_seconds_format(vs_sched_giveup(&v->sched), t, sizeof(t));
			say(w,
					"%s 0: the INVITE stage is not limited by vostimer; only "
					"the schedule (gives up at %s s or earlier) and tm's "
					"fr_timer end a silent branch",
					nm(w, key), t);
			return;
		case VS_K_T_TRYING:
			say(w,
					"%s 0: a gateway that sends 100 Trying and then nothing "
					"is held until tm's fr_inv_timer (Kamailio's default "
					"120 s)",
					nm(w, key));
			return;
		case VS_K_T_SP:
			say(w,
					"%s 0: a gateway that sends a 181, 182 or 183 without SDP "
					"and then nothing is held until tm's fr_inv_timer "
					"(Kamailio's default 120 s)",
					nm(w, key));
			return;
		case VS_K_T_SP_SDP:
			say(w,
					"%s 0: early media (a 181, 182 or 183 with SDP) is not "
					"limited by vostimer; tm's fr_inv_timer (default 120 s) "
					"and max_inv_lifetime (%s%s s) still end it",
					nm(w, key), life_dflt(w), life);
			return;
		default:
			say(w,
					"%s 0: ringing is not limited by vostimer; tm's "
					"fr_inv_timer (default 120 s) and max_inv_lifetime "
					"(%s%s s) still end it",
					nm(w, key), life_dflt(w), life);
	}
}

/* The stages after the INVITE stage begin later than the transaction, whose
 * lifetime tm counts from the first send: a timeout as long as that lifetime never
 * fires. (The INVITE stage itself is cut to the lifetime by the tm glue.) */
static void warn_life(unsigned int ms, int key, out_t *w)
{
	unsigned int life = w->o.life_ms ? w->o.life_ms : VS_WARN_LIFE_DEFAULT_MS;
	char t[16], l[16];

	if(key == VS_K_T_INVITE || ms < life)
		return;
	vs_seconds_format(ms, t, sizeof(t));
	say(w,
			"%s %s s is beyond tm's %smax_inv_lifetime %s s (counted from the "
			"first send): unless max_inv_lifetime is raised, tm ends the "
			"transaction first",
			nm(w, key), t, life_dflt(w), life_s(w, l, sizeof(l)));
}

static void warn_stages(const vs_values_t *v, out_t *w)
{
	static const int stage_keys[] = {VS_K_T_INVITE, VS_K_T_TRYING, VS_K_T_SP,
			VS_K_T_SP_SDP, VS_K_T_RINGING};
	unsigned int ms;
	size_t i;

	for(i = 0; i < sizeof(stage_keys) / sizeof(stage_keys[0]); i++) {
		ms = *(const unsigned int *)vs_value_cptr(v, stage_keys[i]);
		if(ms == 0)
			warn_zero(v, stage_keys[i], w);
		else
			warn_life(ms, stage_keys[i], w);
	}
}

static void warn_switch(const vs_values_t *v, out_t *w)
{
	if(v->sw_limit == 1)
		say(w,
				"%s 1: only one gateway is tried per call, so no failover "
				"happens",
				nm(w, VS_K_SW_LIMIT));
}

int vs_warn_values(const vs_values_t *v, const vs_warn_opts_t *o,
		vs_warn_fn add, void *ctx)
{
	out_t w = {.add = add, .ctx = ctx, .level = VS_WARN};

	if(v == NULL || add == NULL || v->sched.n < 1)
		return 0;
	if(o != NULL)
		w.o = *o;
	warn_retry(v, &w);
	warn_invite_cut(v, &w);
	warn_shape(v, &w);
	warn_stages(v, &w);
	warn_switch(v, &w);
	return w.n;
}

/* The defaults group of the file (p[0]'s own keys) over values from a VOS3000
 * export: the export is meant to be the source of truth (vos_import), so say it. */
static int warn_overrides(const vs_profset_t *set, const vs_base_t *base,
		vs_warn_fn add, void *ctx)
{
	size_t len = strlen(VS_WARN_IMPORT_SRC);
	const vs_profile_t *d = &set->p[0];
	out_t w = {.add = add, .ctx = ctx, .level = VS_WARN};
	int k;

	if(base == NULL || set->n < 1 || strcmp(d->name, DEFAULTS) != 0)
		return 0;
	for(k = 0; k < VS_K_COUNT; k++) {
		if(!(d->own & (1u << k)) || base->src[k] == NULL
				|| strncmp(base->src[k], VS_WARN_IMPORT_SRC, len) != 0)
			continue;
		say(&w,
				"defaults group sets %s (%s), overriding the value imported "
				"from %s",
				vs_key_name(k), d->src[k], base->src[k] + len);
	}
	return w.n;
}

/* the texts (no prefix) one profile's values give: to leave out in its children */
#define SEEN_MAX 32
typedef struct seen
{
	int n;
	char text[SEEN_MAX][VS_WARN_LEN];
} seen_t;

static void seen_add(void *p, int level, const char *text)
{
	seen_t *s = p;

	(void)level;
	if(s->n < SEEN_MAX)
		snprintf(s->text[s->n++], VS_WARN_LEN, "%s", text);
}

static void seen_of(const vs_values_t *v, unsigned int life_ms, seen_t *s)
{
	vs_warn_opts_t o = {.name = NULL, .prefix = NULL, .life_ms = life_ms};

	s->n = 0;
	vs_warn_values(v, &o, seen_add, s);
}

static int seen_has(const seen_t *s, const char *text)
{
	int i;

	for(i = 0; i < s->n; i++)
		if(strcmp(s->text[i], text) == 0)
			return 1;
	return 0;
}

/* one profile's warnings, less those its parent or the defaults profile gives */
typedef struct own
{
	const char *prefix;
	const seen_t *parent, *defaults;
	vs_warn_fn add;
	void *ctx;
	int n;
} own_t;

static void own_add(void *p, int level, const char *text)
{
	own_t *o = p;
	char full[VS_WARN_LEN];

	if((o->parent && seen_has(o->parent, text))
			|| (o->defaults && seen_has(o->defaults, text)))
		return;
	snprintf(full, sizeof(full), "%s%s", o->prefix, text);
	o->add(o->ctx, level, full);
	o->n++;
}

int vs_warn_set(const vs_profset_t *set, const vs_base_t *base,
		unsigned int life_ms, vs_warn_fn add, void *ctx)
{
	static seen_t defaults, parent; /* ~20 KB each: not on a worker's stack */
	char prefix[VS_PROF_NAMELEN + 16];
	vs_warn_opts_t o = {.name = NULL, .prefix = NULL, .life_ms = life_ms};
	const vs_profile_t *p, *par;
	own_t own = {.prefix = prefix, .add = add, .ctx = ctx};
	int i;

	if(set == NULL || add == NULL || set->n < 1)
		return 0;
	seen_of(&set->p[0].v, life_ms, &defaults);
	for(i = 0; i < set->n; i++) {
		p = &set->p[i];
		snprintf(prefix, sizeof(prefix), "profile %s: ", p->name);
		own.defaults = i > 0 ? &defaults : NULL;
		own.parent = NULL;
		par = p->extends[0] ? vs_prof_find(set, p->extends, -1) : NULL;
		if(par && par != p) {
			seen_of(&par->v, life_ms, &parent);
			own.parent = &parent;
		}
		vs_warn_values(&p->v, &o, own_add, &own);
	}
	return own.n + warn_overrides(set, base, add, ctx);
}
