/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vs_heap: indexed binary min-heap of deadlines; see vs_heap.h. Every move of an
 * entry writes its new slot through e->pos, which is what makes removal O(log n). */
#include <stddef.h>
#include "vs_heap.h"

static void place(vs_heap_t *h, int i, const vs_hent_t *e)
{
	h->a[i] = *e;
	if(e->pos)
		*e->pos = i;
}

static void sift_up(vs_heap_t *h, int i)
{
	vs_hent_t e = h->a[i];
	while(i > 0) {
		int p = (i - 1) / 2;
		if(h->a[p].at <= e.at)
			break;
		place(h, i, &h->a[p]);
		i = p;
	}
	place(h, i, &e);
}

static void sift_down(vs_heap_t *h, int i)
{
	vs_hent_t e = h->a[i];
	for(;;) {
		int c = 2 * i + 1;
		if(c >= h->n)
			break;
		if(c + 1 < h->n && h->a[c + 1].at < h->a[c].at)
			c++;
		if(e.at <= h->a[c].at)
			break;
		place(h, i, &h->a[c]);
		i = c;
	}
	place(h, i, &e);
}

int vs_heap_push(vs_heap_t *h, const vs_hent_t *e, vs_heap_grow_f grow)
{
	if(h->n == h->cap) {
		int ncap = h->cap ? 2 * h->cap : 1024;
		vs_hent_t *na = grow(h->a, h->cap, ncap);
		if(na == NULL)
			return -1;
		h->a = na;
		h->cap = ncap;
		/* owners' slot indexes are unchanged by a move of the whole array */
	}
	h->a[h->n] = *e;
	sift_up(h, h->n++);
	return 0;
}

int vs_heap_shrink(vs_heap_t *h, int min_cap, vs_heap_grow_f resize)
{
	int ncap = h->cap;
	vs_hent_t *na;

	while(ncap / 2 >= min_cap && h->n <= ncap / 4)
		ncap /= 2;
	if(ncap == h->cap)
		return 0;
	na = resize(h->a, h->n, ncap);
	if(na == NULL)
		return -1;
	/* slot indexes are unchanged: the first n entries keep their places */
	h->a = na;
	h->cap = ncap;
	return 1;
}

void vs_heap_remove(vs_heap_t *h, int i)
{
	if(i < 0 || i >= h->n)
		return;
	if(h->a[i].pos)
		*h->a[i].pos = VS_HEAP_NONE;
	h->n--;
	if(i == h->n)
		return;
	place(h, i, &h->a[h->n]);
	if(i > 0 && h->a[(i - 1) / 2].at > h->a[i].at)
		sift_up(h, i);
	else
		sift_down(h, i);
}

int vs_heap_pop_due(vs_heap_t *h, uint64_t now, vs_hent_t *out)
{
	if(h->n == 0 || h->a[0].at > now)
		return 0;
	*out = h->a[0];
	vs_heap_remove(h, 0);
	return 1;
}

uint64_t vs_heap_next(const vs_heap_t *h)
{
	return h->n ? h->a[0].at : UINT64_MAX;
}
