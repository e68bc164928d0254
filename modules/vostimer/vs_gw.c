/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vs_gw: per-gateway figures and the branch-end event.
 *
 * The table: one shm block of gateway_max entries, each with its own lock over its
 * figures (vs_gwfig.c does the maths), and a hash index of the names. A branch
 * finds its gateway's entry by name without any lock: the index (chains of entry
 * numbers, the names) is read under a sequence counter, which the insert lock's
 * holder makes odd while it rewrites an entry and even after; a reader retries if
 * it moved. Entries are never freed, so a reader never touches freed memory. A name
 * not in the table is inserted under the insert lock, into a free entry or over the
 * least recently used one (preferably one with no active branch; found by a scan,
 * O(gateway_max), counted as an eviction). Each (re)use bumps the entry's
 * generation; a branch keeps (entry, generation) and its later updates are dropped
 * if the entry was evicted meanwhile. So a branch takes its gateway's entry lock
 * twice (start, end) and no lock shared by all gateways, unless a name is new.
 *
 * The branch-end event: when event_route[vostimer:branch-end] (or the KEMI
 * branch_end_callback) exists, each branch end is copied into a bounded queue in shm
 * (lock-free: producers claim a slot with a compare-and-swap) and a process of its
 * own, "vostimer events", runs the route for it - outside tm, with no lock and no
 * transaction, so a slow route (a database CDR) delays no SIP worker and no timer.
 * A full queue drops the event (counted, logged once per minute). Without the route
 * nothing is queued and the process is not started.
 *
 * Locks, outermost first: vs_txn.lock > insert lock > an entry's lock. Nothing is
 * logged, allocated or run under the insert lock or an entry lock. */
#include <string.h>
#include <sched.h>
#include <unistd.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <linux/futex.h>

#include "core/sr_module.h"
#include "core/dprint.h"
#include "core/mem/shm_mem.h"
#include "core/locking.h"
#include "core/pt.h"
#include "core/route.h"
#include "core/ip_addr.h"
#include "core/pvar.h"
#include "core/timer_ticks.h"
#include "core/cfg/cfg_struct.h"
#include "modules/tm/h_table.h"

#include "vs_gw.h"
#include "vs_tm.h"
#include "vs_timer.h"

int vs_gw_max = 256;
int vs_gw_window = 900;
char *vs_gw_name_fmt = NULL;

typedef struct vs_gw_ent
{
	gen_lock_t lock; /* fig; gen and name are written under it and the seq */
	uint32_t gen;
	uint32_t hash;
	int next; /* hash chain, -1: end */
	int used;
	uint64_t last_ns; /* last start or end: the eviction order (a hint) */
	char name[VS_GW_NAMELEN];
	vs_gwfig_t fig;
} vs_gw_ent_t;

typedef struct vs_gw_tab
{
	gen_lock_t lock; /* insert / evict / reset of the eviction count */
	uint32_t seq;	 /* odd while the index or a name is rewritten */
	int cap, used, mask;
	uint32_t evicted;
	int *bucket; /* mask + 1 chain heads */
	vs_gw_ent_t e[];
} vs_gw_tab_t;

static vs_gw_tab_t *tab = NULL;
static pv_elem_t *name_fmt = NULL;

/* ---- the branch-end queue ---- */

#define EVQ_N 1024 /* power of two */
#define EVQ_LOG_S 60

typedef struct evq_cell
{
	uint32_t seq;
	vs_view_t v;
} evq_cell_t;

typedef struct evq
{
	uint32_t head; /* next slot to claim (producers, CAS) */
	char pad1[60];
	uint32_t tail;		/* next slot to run (the event process only) */
	int wake;			/* futex word */
	int sleeping;		/* the event process waits on `wake` */
	uint32_t dropped;	/* queue full */
	uint32_t logged_at; /* s: when a drop was last logged */
	evq_cell_t c[EVQ_N];
} evq_t;

static evq_t *evq = NULL;
static int ev_rt = -1;
static str ev_name = str_init("vostimer:branch-end");
str vs_gw_end_callback = STR_NULL; /* modparam branch_end_callback (KEMI) */

static uint32_t now_s(uint64_t now_ns)
{
	return (uint32_t)(now_ns / 1000000000ull);
}

static uint32_t name_hash(const char *s, int len)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	int i;
	for(i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

/* ---- the table ---- */

/* the entry named so (its generation in *gen), or -1; no lock: retried while
 * the sequence counter is odd or moved */
static int tab_find(const char *name, int len, uint32_t h, uint32_t *gen)
{
	uint32_t s;
	int i, steps, found;
	vs_gw_ent_t *e;

	for(;;) {
		s = __atomic_load_n(&tab->seq, __ATOMIC_ACQUIRE);
		if(s & 1) {
			sched_yield();
			continue;
		}
		found = -1;
		i = tab->bucket[h & tab->mask];
		for(steps = 0; i >= 0 && i < tab->cap && steps < tab->cap; steps++) {
			e = &tab->e[i];
			if(e->hash == h && strncmp(e->name, name, len) == 0
					&& e->name[len] == '\0') {
				found = i;
				*gen = e->gen;
				break;
			}
			i = e->next;
		}
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if(__atomic_load_n(&tab->seq, __ATOMIC_RELAXED) == s)
			return found;
	}
}

static void seq_write(void)
{
	__atomic_fetch_add(&tab->seq, 1, __ATOMIC_SEQ_CST);
}

/* insert lock held: the entry to (re)use - a free one, else the least recently
 * used, preferring one with no active branch (a racy read: a hint) */
static int tab_victim(void)
{
	int i, best = -1, best_busy = 1, busy;
	uint64_t t, best_t = 0;

	if(tab->used < tab->cap)
		return tab->used++;
	for(i = 0; i < tab->cap; i++) {
		busy = __atomic_load_n(&tab->e[i].fig.active, __ATOMIC_RELAXED) > 0;
		t = __atomic_load_n(&tab->e[i].last_ns, __ATOMIC_RELAXED);
		if(best < 0 || busy < best_busy || (busy == best_busy && t < best_t)) {
			best = i;
			best_busy = busy;
			best_t = t;
		}
	}
	return best;
}

/* insert lock held, sequence odd: take entry i out of its chain */
static void tab_unlink(int i)
{
	int *p = &tab->bucket[tab->e[i].hash & tab->mask];
	int steps;

	for(steps = 0; *p >= 0 && steps < tab->cap; steps++) {
		if(*p == i) {
			*p = tab->e[i].next;
			return;
		}
		p = &tab->e[*p].next;
	}
}

/* the entry for name: found without a lock, else inserted under the insert lock */
static int tab_get(const char *name, int len, uint32_t *gen)
{
	uint32_t h = name_hash(name, len);
	vs_gw_ent_t *e;
	int i;

	if((i = tab_find(name, len, h, gen)) >= 0)
		return i;
	lock_get(&tab->lock);
	if((i = tab_find(name, len, h, gen)) >= 0) { /* inserted meanwhile */
		lock_release(&tab->lock);
		return i;
	}
	i = tab_victim();
	e = &tab->e[i];
	seq_write();
	if(e->used) {
		tab_unlink(i);
		tab->evicted++;
	}
	lock_get(&e->lock);
	e->gen++;
	memset(&e->fig, 0, sizeof(e->fig));
	memcpy(e->name, name, len);
	e->name[len] = '\0';
	e->hash = h;
	e->used = 1;
	e->last_ns = vs_now_ns();
	*gen = e->gen;
	lock_release(&e->lock);
	e->next = tab->bucket[h & tab->mask];
	tab->bucket[h & tab->mask] = i;
	seq_write();
	lock_release(&tab->lock);
	return i;
}

/* the entry of ref with its lock taken, or NULL if it was evicted since */
static vs_gw_ent_t *ref_lock(const vs_gw_ref_t *ref)
{
	vs_gw_ent_t *e;

	if(tab == NULL || ref->slot == 0 || ref->slot > (uint32_t)tab->cap)
		return NULL;
	e = &tab->e[ref->slot - 1];
	lock_get(&e->lock);
	if(e->gen == ref->gen)
		return e;
	lock_release(&e->lock);
	return NULL;
}

static void ref_set(vs_gw_ref_t *ref, const char *name, int len)
{
	uint32_t gen;
	int i;

	if(len <= 0)
		return;
	if(len >= VS_GW_NAMELEN)
		len = VS_GW_NAMELEN - 1;
	i = tab_get(name, len, &gen);
	ref->slot = i + 1;
	ref->gen = gen;
}

/* ---- the hooks ---- */

int vs_gw_named(void)
{
	return tab != NULL && name_fmt != NULL;
}

int vs_gw_name_branch(struct sip_msg *req, vs_gw_ref_t *ref)
{
	char name[VS_GW_NAMELEN];
	int len;

	if(!vs_gw_named() || req->first_line.type != SIP_REQUEST
			|| req->REQ_METHOD != METHOD_INVITE)
		return 0;
	len = vs_tm_fmt_name(name_fmt, req, name, sizeof(name));
	if(len <= 0)
		return 0; /* nothing (or too long): named by its destination */
	memset(ref, 0, sizeof(*ref));
	ref_set(ref, name, len);
	return 1;
}

void vs_gw_start(vs_gw_ref_t *ref, struct cell *t, int b)
{
	struct dest_info *dst = &t->uac[b].request.dst;
	struct ip_addr ip;
	char name[VS_GW_NAMELEN];
	vs_gw_ent_t *e;
	int len;

	if(!is_invite(t)) /* calls only: not a BYE, not dispatcher's OPTIONS */
		return;
	ref->on = ref->invite = 1;
	ref->pdd_ms = VS_GW_NO_PDD;
	ref->b = (uint8_t)b;
	ref->cell = evq ? t : NULL;
	if(tab == NULL)
		return;
	if(ref->slot == 0) { /* no gateway_name for it: its destination */
		su2ip_addr(&ip, &dst->to);
		len = snprintf(name, sizeof(name), "%s%s%s:%u",
				ip.af == AF_INET6 ? "[" : "", ip_addr2a(&ip),
				ip.af == AF_INET6 ? "]" : "", su_getport(&dst->to));
		if(len > 0 && len < (int)sizeof(name))
			ref_set(ref, name, len);
	}
	if((e = ref_lock(ref)) == NULL)
		return;
	vs_gwfig_start(&e->fig);
	__atomic_store_n(&e->last_ns, vs_now_ns(), __ATOMIC_RELAXED);
	lock_release(&e->lock);
	ref->counted = 1;
}

void vs_gw_progress(vs_gw_ref_t *ref, int code, uint64_t t0, uint64_t now)
{
	if(code >= 180 && code <= 189 && ref->pdd_ms == VS_GW_NO_PDD && now >= t0)
		ref->pdd_ms = (uint32_t)((now - t0) / 1000000ull);
}

/* the event's view of a branch that ended: what the branch record, its gateway
 * and (when the caller holds it) its cell say; no call-level state */
static void end_view(vs_branch_t *br, int reason, int code, const char *gw,
		long pdd_ms, long answer_ms, uint64_t now, vs_view_t *v)
{
	struct cell *t = br->gw.cell;
	struct sip_msg *req;
	struct dest_info *dst;
	struct ip_addr ip;

	memset(v, 0, sizeof(*v));
	v->valid = 1;
	v->reason = reason;
	v->stage = code >= 200 ? VS_ST_DONE : br->stage;
	v->sends = br->sends;
	v->elapsed_ms = br->t0 ? (int)((now - br->t0) / 1000000ull) : 0;
	v->last_code = code;
	v->budget_left_ms = -1;
	v->prof_id = br->prof_id;
	v->gw_id = br->gw_id;
	vs_sched_format(&br->sched, v->schedule, sizeof(v->schedule));
	snprintf(v->gateway, sizeof(v->gateway), "%s", gw);
	v->pdd_ms = pdd_ms;
	v->answer_ms = answer_ms;
	v->is_end = 1;
	if(t == NULL)
		return;
	/* as view_ids() in vs_tm.c: the request's Call-ID (the cell's own field
	 * differs between Kamailio versions) */
	req = t->uas.request;
	if(req && req != FAKED_REPLY && req->callid)
		snprintf(v->callid, sizeof(v->callid), "%.*s", req->callid->body.len,
				req->callid->body.s);
	if(br->gw.b < t->nr_of_outgoings) {
		dst = &t->uac[br->gw.b].request.dst;
		su2ip_addr(&ip, &dst->to);
		snprintf(v->dst, sizeof(v->dst), "%s:%s:%u", get_proto_name(dst->proto),
				ip_addr2a(&ip), su_getport(&dst->to));
	}
}

static void evq_push(const vs_view_t *v);

void vs_gw_end(vs_branch_t *br, int reason, uint64_t now)
{
	vs_gw_ref_t *ref = &br->gw;
	vs_gw_ent_t *e = NULL;
	char gw[VS_GW_NAMELEN] = "";
	int code = br->last_code >= 200 ? br->last_code : 0;
	long pdd = ref->pdd_ms == VS_GW_NO_PDD ? -1 : (long)ref->pdd_ms;
	long ans = (code >= 200 && code < 300 && br->t0 && now >= br->t0)
					   ? (long)((now - br->t0) / 1000000ull)
					   : -1;
	vs_view_t v;

	if(!ref->on)
		return;
	ref->on = 0;
	if(ref->counted && (e = ref_lock(ref)) != NULL) {
		vs_gwfig_end(&e->fig, reason, code, pdd, ans, now_s(now));
		__atomic_store_n(&e->last_ns, now, __ATOMIC_RELAXED);
		if(evq)
			memcpy(gw, e->name, sizeof(gw));
		lock_release(&e->lock);
	}
	ref->counted = 0;
	if(evq) {
		end_view(br, reason, code, gw, pdd, ans, now, &v);
		evq_push(&v);
	}
	ref->cell = NULL;
}

void vs_gw_release(vs_branch_t *br, uint64_t now)
{
	br->gw.cell = NULL;
	vs_gw_end(br, VS_R_NONE, now);
}

void vs_gw_view(const vs_gw_ref_t *ref, vs_view_t *v)
{
	vs_gw_ent_t *e;

	v->pdd_ms = (!ref->invite || ref->pdd_ms == VS_GW_NO_PDD)
						? -1
						: (long)ref->pdd_ms;
	v->answer_ms = -1;
	if((e = ref_lock(ref)) == NULL)
		return;
	memcpy(v->gateway, e->name, sizeof(v->gateway));
	lock_release(&e->lock);
}

/* ---- readers ---- */

void vs_gw_info(vs_gw_info_t *info)
{
	memset(info, 0, sizeof(*info));
	info->window_s = vs_gw_window;
	info->samples = VS_WIN_N;
	if(tab == NULL)
		return;
	info->cap = tab->cap;
	info->used = __atomic_load_n(&tab->used, __ATOMIC_RELAXED);
	info->evicted = __atomic_load_n(&tab->evicted, __ATOMIC_RELAXED);
}

/* copied under the entry's lock, summarised outside it */
static int snap(vs_gw_ent_t *e, uint32_t gen, int check_gen, vs_gw_snap_t *s)
{
	lock_get(&e->lock);
	if(!e->used || (check_gen && e->gen != gen)) {
		lock_release(&e->lock);
		return 0;
	}
	memcpy(s->name, e->name, sizeof(s->name));
	s->fig = e->fig;
	lock_release(&e->lock);
	vs_gwfig_summary(
			&s->fig, now_s(vs_now_ns()), (uint32_t)vs_gw_window, &s->sum);
	return 1;
}

int vs_gw_snap_at(int i, vs_gw_snap_t *s)
{
	if(tab == NULL || i < 0 || i >= tab->cap)
		return 0;
	return snap(&tab->e[i], 0, 0, s);
}

int vs_gw_snap_name(const char *name, int len, vs_gw_snap_t *s)
{
	uint32_t gen;
	int i;

	if(tab == NULL || len <= 0 || len >= VS_GW_NAMELEN)
		return 0;
	i = tab_find(name, len, name_hash(name, len), &gen);
	return i >= 0 ? snap(&tab->e[i], gen, 1, s) : 0;
}

int vs_gw_reset(const char *name, int len)
{
	vs_gw_ref_t ref;
	vs_gw_ent_t *e;
	int i, n = 0;

	if(tab == NULL)
		return 0;
	if(name) {
		if(len <= 0 || len >= VS_GW_NAMELEN)
			return 0;
		memset(&ref, 0, sizeof(ref));
		if((i = tab_find(name, len, name_hash(name, len), &ref.gen)) < 0)
			return 0;
		ref.slot = i + 1;
		if((e = ref_lock(&ref)) == NULL)
			return 0;
		vs_gwfig_reset(&e->fig);
		lock_release(&e->lock);
		return 1;
	}
	for(i = 0; i < tab->cap; i++) {
		e = &tab->e[i];
		lock_get(&e->lock);
		if(e->used) {
			vs_gwfig_reset(&e->fig);
			n++;
		}
		lock_release(&e->lock);
	}
	lock_get(&tab->lock);
	tab->evicted = 0;
	lock_release(&tab->lock);
	return n;
}

/* ---- $vosgw fields ---- */

enum
{
	F_TRIED = 0,
	F_ANSWERED,
	F_BUSY,
	F_REJECTED,
	F_CANCELED,
	F_ACTIVE,
	F_ASR,
	F_ASR_RECENT,
	F_RECENT,
	F_PDD_P50,
	F_PDD_P95,
	F_PDD_MAX,
	F_ANSWER_P50,
	F_ANSWER_P95,
	F_ANSWER_MAX,
	F_REASON /* + the reason: one field per vostimer reason */
};

static const char *field_names[] = {"tried", "answered", "busy", "rejected",
		"canceled", "active", "asr", "asr_recent", "recent", "pdd_p50",
		"pdd_p95", "pdd_max", "answer_p50", "answer_p95", "answer_max", NULL};

int vs_gw_field_id(const char *name, int len)
{
	int i;
	const char *r;

	for(i = 0; field_names[i]; i++)
		if(len == (int)strlen(field_names[i])
				&& strncmp(name, field_names[i], len) == 0)
			return i;
	for(i = VS_R_NONE + 1; i < VS_R_COUNT; i++) {
		r = vs_reason_name(i);
		if(len == (int)strlen(r) && strncmp(name, r, len) == 0)
			return F_REASON + i;
	}
	return -1;
}

const char *vs_gw_field_names(void)
{
	return "tried, answered, busy, rejected, canceled, active, asr, "
		   "asr_recent, recent, pdd_p50, pdd_p95, pdd_max, answer_p50, "
		   "answer_p95, "
		   "answer_max, or a reason (invite_timeout, ...)";
}

int vs_gw_field(const vs_gw_snap_t *s, int id, long *val)
{
	const vs_gwfig_t *f = &s->fig;
	const vs_gwfig_sum_t *m = &s->sum;

	switch(id) {
		case F_TRIED:
			*val = f->tried;
			return 1;
		case F_ANSWERED:
			*val = f->answered;
			return 1;
		case F_BUSY:
			*val = f->busy;
			return 1;
		case F_REJECTED:
			*val = f->rejected;
			return 1;
		case F_CANCELED:
			*val = f->canceled;
			return 1;
		case F_ACTIVE:
			*val = f->active;
			return 1;
		case F_ASR:
			*val = m->asr_bp / 100;
			return m->asr_bp >= 0;
		case F_ASR_RECENT:
			*val = m->asr_recent_bp / 100;
			return m->asr_recent_bp >= 0;
		case F_RECENT:
			*val = m->ends.n;
			return 1;
		case F_PDD_P50:
			*val = m->pdd.p50;
			return m->pdd.n > 0;
		case F_PDD_P95:
			*val = m->pdd.p95;
			return m->pdd.n > 0;
		case F_PDD_MAX:
			*val = m->pdd.max;
			return m->pdd.n > 0;
		case F_ANSWER_P50:
			*val = m->answer.p50;
			return m->answer.n > 0;
		case F_ANSWER_P95:
			*val = m->answer.p95;
			return m->answer.n > 0;
		case F_ANSWER_MAX:
			*val = m->answer.max;
			return m->answer.n > 0;
	}
	if(id > F_REASON && id < F_REASON + VS_R_COUNT) {
		*val = f->reason[id - F_REASON];
		return 1;
	}
	return 0;
}

/* ---- the branch-end queue and its process ---- */

/* any process, vs_txn.lock held: never waits; a full queue drops the event */
static void evq_push(const vs_view_t *v)
{
	uint32_t pos = __atomic_load_n(&evq->head, __ATOMIC_RELAXED), seq, at;
	evq_cell_t *c;
	int32_t d;

	for(;;) {
		c = &evq->c[pos & (EVQ_N - 1)];
		seq = __atomic_load_n(&c->seq, __ATOMIC_ACQUIRE);
		d = (int32_t)(seq - pos);
		if(d == 0) {
			if(__atomic_compare_exchange_n(&evq->head, &pos, pos + 1, 0,
					   __ATOMIC_RELAXED, __ATOMIC_RELAXED))
				break;
		} else if(d < 0) { /* full: the event process is EVQ_N behind */
			__atomic_fetch_add(&evq->dropped, 1, __ATOMIC_RELAXED);
			at = now_s(vs_now_ns());
			seq = __atomic_load_n(&evq->logged_at, __ATOMIC_RELAXED);
			/* one process logs, once per EVQ_LOG_S */
			if((seq == 0 || at - seq >= EVQ_LOG_S)
					&& __atomic_compare_exchange_n(&evq->logged_at, &seq, at, 0,
							__ATOMIC_RELAXED, __ATOMIC_RELAXED))
				LM_WARN("branch-end event queue full: %u events dropped\n",
						evq->dropped);
			return;
		} else {
			pos = __atomic_load_n(&evq->head, __ATOMIC_RELAXED);
		}
	}
	c->v = *v;
	__atomic_store_n(&c->seq, pos + 1, __ATOMIC_RELEASE);
	/* the event process may have found the queue empty and be going to sleep:
	 * it says so before it looks, we look after we published (both seq_cst) */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if(__atomic_load_n(&evq->sleeping, __ATOMIC_SEQ_CST)) {
		__atomic_fetch_add(&evq->wake, 1, __ATOMIC_SEQ_CST);
		syscall(SYS_futex, &evq->wake, FUTEX_WAKE, 1, NULL, NULL, 0);
	}
}

/* the event process only */
static int evq_pop(vs_view_t *v)
{
	uint32_t pos = evq->tail;
	evq_cell_t *c = &evq->c[pos & (EVQ_N - 1)];

	if((int32_t)(__atomic_load_n(&c->seq, __ATOMIC_ACQUIRE) - (pos + 1)) < 0)
		return 0;
	*v = c->v;
	__atomic_store_n(&c->seq, pos + EVQ_N, __ATOMIC_RELEASE);
	evq->tail = pos + 1;
	return 1;
}

static int evq_empty(void)
{
	uint32_t pos = evq->tail;
	evq_cell_t *c = &evq->c[pos & (EVQ_N - 1)];
	return (int32_t)(__atomic_load_n(&c->seq, __ATOMIC_SEQ_CST) - (pos + 1))
		   < 0;
}

static void evq_loop(void)
{
	vs_view_t v;
	int seen;

	for(;;) {
		cfg_update();
		while(evq_pop(&v))
			vs_tm_run_event(ev_rt, &vs_gw_end_callback, &ev_name, &v);
		seen = __atomic_load_n(&evq->wake, __ATOMIC_SEQ_CST);
		__atomic_store_n(&evq->sleeping, 1, __ATOMIC_SEQ_CST);
		if(evq_empty())
			syscall(SYS_futex, &evq->wake, FUTEX_WAIT, seen, NULL, NULL, 0);
		__atomic_store_n(&evq->sleeping, 0, __ATOMIC_SEQ_CST);
	}
}

/* ---- start-up ---- */

int vs_gw_init(void)
{
	str fmt;
	int nb, i;
	size_t sz;

	if(vs_gw_max < 0 || vs_gw_max > 100000) {
		LM_ERR("modparam gateway_max %d: out of range 0..100000\n", vs_gw_max);
		return -1;
	}
	if(vs_gw_window < 0) {
		LM_ERR("modparam gateway_window %d: negative\n", vs_gw_window);
		return -1;
	}
	if(vs_gw_name_fmt && vs_gw_name_fmt[0] && vs_gw_max > 0) {
		fmt.s = vs_gw_name_fmt;
		fmt.len = strlen(fmt.s);
		if(pv_parse_format(&fmt, &name_fmt) < 0 || name_fmt == NULL) {
			LM_ERR("modparam gateway_name \"%.60s\": bad PV format\n",
					vs_gw_name_fmt);
			return -1;
		}
	}
	if(vs_gw_max > 0) {
		for(nb = 16; nb < 2 * vs_gw_max; nb <<= 1)
			;
		sz = sizeof(*tab) + vs_gw_max * sizeof(vs_gw_ent_t) + nb * sizeof(int);
		tab = shm_malloc(sz);
		if(tab == NULL) {
			SHM_MEM_ERROR;
			return -1;
		}
		memset(tab, 0, sz);
		lock_init(&tab->lock);
		tab->cap = vs_gw_max;
		tab->mask = nb - 1;
		tab->bucket = (int *)&tab->e[vs_gw_max];
		for(i = 0; i < nb; i++)
			tab->bucket[i] = -1;
		for(i = 0; i < vs_gw_max; i++)
			lock_init(&tab->e[i].lock);
	}
	ev_rt = route_lookup(&event_rt, ev_name.s);
	if(ev_rt >= 0 && event_rt.rlist[ev_rt] == NULL)
		ev_rt = -1;
	if(ev_rt < 0 && vs_gw_end_callback.len <= 0)
		return 0; /* no branch-end event: no queue, no process */
	evq = shm_malloc(sizeof(*evq));
	if(evq == NULL) {
		SHM_MEM_ERROR;
		return -1;
	}
	memset(evq, 0, sizeof(*evq));
	for(i = 0; i < EVQ_N; i++)
		evq->c[i].seq = i;
	register_procs(1);
	cfg_register_child(1);
	return 0;
}

int vs_gw_child_init(int rank)
{
	int pid;

	if(rank != PROC_MAIN || evq == NULL)
		return 0;
	/* PROC_TIMER rank: child_init runs as for the timer processes (KEMI too) */
	pid = fork_process(PROC_TIMER, "vostimer events", 1);
	if(pid < 0) {
		LM_ERR("cannot fork the vostimer events process\n");
		return -1;
	}
	if(pid == 0) {
		if(cfg_child_init()) {
			LM_CRIT("vostimer events: cfg_child_init failed\n");
			exit(-1);
		}
		evq_loop();
		/* not reached */
	}
	return 0;
}

void vs_gw_destroy(void)
{
	/* the table and the queue stay until shm goes: tm frees its cells (and
	 * calls vs_gw_release()) after this module is destroyed */
}
