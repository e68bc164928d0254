/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vs_timer: two deadline heaps in shared memory, each served by a process of its own
 * that sleeps until its earliest deadline - on a futex in shared memory, with that
 * deadline as an absolute CLOCK_MONOTONIC timeout - and is woken early only when an
 * earlier deadline is inserted. An idle heap costs no wake-up at all. Each wake-up
 * handles every entry due in one pass (popped in batches under one lock hold).
 * Lock: each heap's lock guards its array, the slot indexes written into the owners
 * and `sleep_at`; nothing else is taken under it, but the array is (re)allocated in
 * shm under it (growth on insert, shrinking after a peak). It is never held while a
 * transaction is looked up, a packet sent or a route run. */
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sched.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/futex.h>

#include "core/sr_module.h"
#include "core/mem/shm_mem.h"
#include "core/locking.h"
#include "core/pt.h"
#include "core/cfg/cfg_struct.h"
#include "core/dprint.h"

#include "vs_timer.h"

#define VS_BATCH 256	 /* entries popped per lock hold */
#define VS_HEAP_MIN 1024 /* the array never shrinks below this many entries */

typedef struct vs_tq
{
	gen_lock_t lock;
	vs_heap_t heap;
	uint64_t
			sleep_at; /* the deadline the process sleeps until; 0 while awake */
	int wake;		  /* futex word: bumped to wake the process early */
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

/* called with the queue lock held: a new array of new_cap entries holding the
 * first n of old (growth, or shrinking after a peak) */
static vs_hent_t *tq_resize(vs_hent_t *old, int n, int new_cap)
{
	vs_hent_t *na = shm_malloc(sizeof(vs_hent_t) * new_cap);
	if(na == NULL) {
		SHM_MEM_ERROR;
		return NULL;
	}
	if(old) {
		memcpy(na, old, sizeof(vs_hent_t) * n);
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

int vs_timer_add(int q, uint64_t at, int *pos, const uint32_t key[4])
{
	vs_hent_t e;
	int rc, wake;
	e.at = at;
	e.pos = pos;
	memcpy(e.key, key, sizeof(e.key));
	if(tq == NULL) /* shutting down: tm frees its cells after our mod_destroy */
		return -1;
	lock_get(&tq[q].lock);
	if(*pos != VS_HEAP_NONE) /* one entry per owner and queue: replace */
		vs_heap_remove(&tq[q].heap, *pos);
	rc = vs_heap_push(&tq[q].heap, &e, tq_resize);
	/* the process sleeps past this deadline: wake it (once: sleep_at moves) */
	wake = rc == 0 && tq[q].sleep_at && at < tq[q].sleep_at;
	if(wake) {
		tq[q].sleep_at = at;
		tq[q].wake++;
	}
	lock_release(&tq[q].lock);
	if(wake)
		syscall(SYS_futex, &tq[q].wake, FUTEX_WAKE, 1, NULL, NULL, 0);
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

/* sleep until `at` (absolute, CLOCK_MONOTONIC; UINT64_MAX: no deadline) or until
 * woken - at once if the futex word no longer holds `seen` */
static void sleep_until(vs_tq_t *t, uint64_t at, int seen)
{
	struct timespec ts, *tp = NULL;

	if(at != UINT64_MAX) {
		ts.tv_sec = at / 1000000000ull;
		ts.tv_nsec = at % 1000000000ull;
		tp = &ts;
	}
	/* FUTEX_WAIT_BITSET takes an absolute timeout, on CLOCK_MONOTONIC by default;
	 * not FUTEX_PRIVATE: the word is in shm, woken from other processes */
	syscall(SYS_futex, &t->wake, FUTEX_WAIT_BITSET, seen, tp, NULL,
			FUTEX_BITSET_MATCH_ANY);
}

/* the process loop: pop what is due in batches, fire it outside the lock; when
 * nothing is due, note the next deadline and sleep until it or an earlier insert */
static void tq_loop(int q, vs_timer_fire_f fire)
{
	vs_tq_t *t = &tq[q];
	static vs_hent_t batch[VS_BATCH];
	uint64_t now, next;
	int n, i, seen;

	for(;;) {
		cfg_update();
		now = vs_now_ns();
		lock_get(&t->lock);
		for(n = 0; n < VS_BATCH && vs_heap_pop_due(&t->heap, now, &batch[n]);)
			n++;
		next = vs_heap_next(&t->heap);
		if(t->heap.cap > VS_HEAP_MIN && t->heap.n <= t->heap.cap / 4)
			vs_heap_shrink(&t->heap, VS_HEAP_MIN, tq_resize);
		/* awake while firing: inserts need not wake us, we look again after */
		t->sleep_at = n ? 0 : next;
		seen = t->wake;
		lock_release(&t->lock);
		for(i = 0; i < n; i++)
			fire(q, batch[i].key);
		if(n == 0)
			sleep_until(t, next, seen);
	}
}

/* a real-time priority keeps the sends on time on a loaded host (doc/performance.md).
 * The resend process only: it sends retransmissions and runs no route; the expire
 * process runs failure_route and event routes, which must never run at SCHED_FIFO,
 * where a slow script could starve the machine. */
static void set_rt_prio(int q)
{
	struct sched_param sp;
	if(vs_timer_rt_prio <= 0 || q != VS_TQ_RESEND)
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
