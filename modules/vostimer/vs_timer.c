/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vs_timer: two deadline heaps in shared memory, each served by a process of its own
 * that sleeps with clock_nanosleep(TIMER_ABSTIME) until the earliest deadline (at most
 * 1 ms, to see new entries). Lock: each heap's lock guards its array and the slot
 * indexes written into the owners; it is a leaf lock - held only for heap operations,
 * never while a transaction is looked up, a packet sent or a route run. */
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sched.h>

#include "core/sr_module.h"
#include "core/mem/shm_mem.h"
#include "core/locking.h"
#include "core/pt.h"
#include "core/cfg/cfg_struct.h"
#include "core/dprint.h"

#include "vs_timer.h"

#define VS_POLL_NS 1000000ull /* wake at least every 1 ms to see new entries */

typedef struct vs_tq
{
	gen_lock_t lock;
	vs_heap_t heap;
} vs_tq_t;

static vs_tq_t *tq = NULL; /* shm: VS_TQ_COUNT queues */
int vs_timer_rt_prio =
		0; /* modparam timer_rt_prio: SCHED_FIFO priority, 0 = normal */
static const char *tq_name[VS_TQ_COUNT] = {
		"vostimer resend", "vostimer expire"};

uint64_t vs_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* called with the queue lock held */
static vs_hent_t *tq_grow(vs_hent_t *old, int old_cap, int new_cap)
{
	vs_hent_t *na = shm_malloc(sizeof(vs_hent_t) * new_cap);
	if(na == NULL) {
		SHM_MEM_ERROR;
		return NULL;
	}
	if(old) {
		memcpy(na, old, sizeof(vs_hent_t) * old_cap);
		shm_free(old);
	}
	return na;
}

int vs_timer_init(void)
{
	int i;
	tq = shm_malloc(sizeof(vs_tq_t) * VS_TQ_COUNT);
	if(tq == NULL) {
		SHM_MEM_ERROR;
		return -1;
	}
	memset(tq, 0, sizeof(vs_tq_t) * VS_TQ_COUNT);
	for(i = 0; i < VS_TQ_COUNT; i++)
		lock_init(&tq[i].lock);
	register_procs(VS_TQ_COUNT);
	cfg_register_child(VS_TQ_COUNT);
	return 0;
}

int vs_timer_add(
		int q, uint64_t at, int *pos, void *owner, const uint32_t key[4])
{
	vs_hent_t e;
	int rc;
	e.at = at;
	e.pos = pos;
	e.owner = owner;
	memcpy(e.key, key, sizeof(e.key));
	if(tq == NULL) /* shutting down: tm frees its cells after our mod_destroy */
		return -1;
	lock_get(&tq[q].lock);
	if(*pos != VS_HEAP_NONE) /* one entry per owner and queue: replace */
		vs_heap_remove(&tq[q].heap, *pos);
	rc = vs_heap_push(&tq[q].heap, &e, tq_grow);
	lock_release(&tq[q].lock);
	return rc;
}

void vs_timer_del(int q, int *pos)
{
	if(*pos == VS_HEAP_NONE) /* racy peek is fine: re-checked under the lock */
		return;
	if(tq == NULL) { /* shutting down: the heaps are gone */
		*pos = VS_HEAP_NONE;
		return;
	}
	lock_get(&tq[q].lock);
	if(*pos != VS_HEAP_NONE)
		vs_heap_remove(&tq[q].heap, *pos);
	lock_release(&tq[q].lock);
}

int vs_timer_size(int q)
{
	return tq ? tq[q].heap.n : 0;
}

static void sleep_until(uint64_t at)
{
	struct timespec ts;
	ts.tv_sec = at / 1000000000ull;
	ts.tv_nsec = at % 1000000000ull;
	while(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

/* the process loop: fire everything due (outside the lock), then sleep */
static void tq_loop(int q, vs_timer_fire_f fire)
{
	vs_hent_t e;
	uint64_t now, next;
	int due;

	for(;;) {
		cfg_update();
		for(;;) {
			now = vs_now_ns();
			lock_get(&tq[q].lock);
			due = vs_heap_pop_due(&tq[q].heap, now, &e);
			next = vs_heap_next(&tq[q].heap);
			lock_release(&tq[q].lock);
			if(!due)
				break;
			fire(q, e.key);
		}
		if(next > now + VS_POLL_NS)
			next = now + VS_POLL_NS;
		sleep_until(next);
	}
}

/* a real-time priority keeps the sends on time on a loaded host (doc/performance.md) */
static void set_rt_prio(int q)
{
	struct sched_param sp;
	if(vs_timer_rt_prio <= 0)
		return;
	memset(&sp, 0, sizeof(sp));
	sp.sched_priority = vs_timer_rt_prio;
	if(sched_setscheduler(0, SCHED_FIFO, &sp) < 0)
		LM_WARN("%s: cannot set SCHED_FIFO priority %d: %s\n", tq_name[q],
				vs_timer_rt_prio, strerror(errno));
}

int vs_timer_fork(vs_timer_fire_f fire)
{
	int q, pid;
	for(q = 0; q < VS_TQ_COUNT; q++) {
		/* PROC_TIMER rank: child_init runs as for tm's timers, so the expire
		 * process can run failure_route and event routes */
		pid = fork_process(PROC_TIMER, (char *)tq_name[q], 1);
		if(pid < 0) {
			LM_ERR("cannot fork the %s process\n", tq_name[q]);
			return -1;
		}
		if(pid == 0) {
			if(cfg_child_init()) {
				LM_CRIT("%s: cfg_child_init failed\n", tq_name[q]);
				exit(-1);
			}
			set_rt_prio(q);
			tq_loop(q, fire);
			/* not reached */
		}
	}
	return 0;
}

void vs_timer_destroy(void)
{
	int i;
	if(tq == NULL)
		return;
	for(i = 0; i < VS_TQ_COUNT; i++)
		if(tq[i].heap.a)
			shm_free(tq[i].heap.a);
	shm_free(tq);
	tq = NULL;
}
