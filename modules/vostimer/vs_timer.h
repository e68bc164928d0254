/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vs_timer: the module's own millisecond timers - two shared-memory deadline heaps
 * (resend, expire), each guarded by its own lock and served by its own process. */
#ifndef VS_TIMER_H
#define VS_TIMER_H

#include <stdint.h>
#include "vs_heap.h"

enum
{
	VS_TQ_RESEND = 0,
	VS_TQ_EXPIRE = 1,
	VS_TQ_COUNT
};

/* what a process gets for a due entry: key = (hash, label, branch, gen) */
typedef void (*vs_timer_fire_f)(int q, const uint32_t key[4]);

extern int
		vs_timer_rt_prio; /* SCHED_FIFO priority of the resend process, 0 = none */
uint64_t vs_now_ns(void);
int vs_timer_init(void); /* mod_init: shm heaps + locks, register 2 procs */
int vs_timer_fork(
		vs_timer_fire_f f); /* child_init(PROC_MAIN): fork the processes */
void vs_timer_destroy(void);
/* add/remove: take the queue's lock (no other lock is taken under it; the heap array
 * may be reallocated in shm under it). An add that becomes the earliest deadline
 * wakes the queue's process (a futex wake, after the lock is released). */
int vs_timer_add(int q, uint64_t at, int *pos, const uint32_t key[4]);
void vs_timer_del(int q, int *pos);
int vs_timer_size(int q);

#endif
