/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vs_heap: an indexed binary min-heap of deadlines (pure, no Kamailio header).
 * Insert, remove-by-handle and pop are O(log n): each entry's owner keeps the slot
 * index the heap writes back into it (*pos), so a branch can leave the heap at any
 * time. The caller provides storage growth and locking (vs_timer.c: shm + a lock). */
#ifndef VS_HEAP_H
#define VS_HEAP_H

#include <stdint.h>

#define VS_HEAP_NONE (-1)

typedef struct vs_hent
{
	uint64_t at;	 /* deadline, ns on CLOCK_MONOTONIC */
	int *pos;		 /* where the owner keeps this entry's slot (or NONE) */
	uint32_t key[4]; /* identity copied out on pop (hash, label, branch, gen) */
} vs_hent_t;

typedef struct vs_heap
{
	int n, cap;
	vs_hent_t *a;
} vs_heap_t;

/* resize callback: return a block of new_cap entries holding the first n entries of
 * old (old is then the callback's to free), or NULL to keep old as it is */
typedef vs_hent_t *(*vs_heap_grow_f)(vs_hent_t *old, int n, int new_cap);

int vs_heap_push(vs_heap_t *h, const vs_hent_t *e, vs_heap_grow_f grow);
/* After a peak: halve the array while at most a quarter of it is in use and it stays
 * at least min_cap. Returns 1 if it shrank, 0 if not needed, -1 if the callback
 * refused (the heap is unchanged). */
int vs_heap_shrink(vs_heap_t *h, int min_cap, vs_heap_grow_f resize);
void vs_heap_remove(vs_heap_t *h, int i);
/* pop the top if its deadline <= now; returns 1 and copies it, else 0 */
int vs_heap_pop_due(vs_heap_t *h, uint64_t now, vs_hent_t *out);
/* the earliest deadline, or UINT64_MAX when empty */
uint64_t vs_heap_next(const vs_heap_t *h);

#endif
