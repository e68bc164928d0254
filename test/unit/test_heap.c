/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of vs_heap.c: pop order (duplicates included), pop_due against now,
 * vs_heap_next, removal by handle (top, middle, last), the owners' slot indexes
 * after every operation (a randomized run checked against a reference model),
 * growth through the callback and a refused growth. */
#include <stddef.h>
#include <stdint.h>

#include "unit.h"
#include "vs_heap.h"

/* An owner as vs_timer.c's users keep one: a slot index the heap writes into. */
typedef struct owner
{
	int pos;
	uint64_t at;
	int live; /* reference model: is it in the heap */
} owner_t;

/* the owner an entry belongs to: the heap keeps only the owner's slot field */
static owner_t *owner_of(const vs_hent_t *e)
{
	return e->pos ? (owner_t *)((char *)e->pos - offsetof(owner_t, pos)) : NULL;
}

static int grow_calls, grow_old_cap, grow_new_cap;

static vs_hent_t *grow_realloc(vs_hent_t *old, int old_cap, int new_cap)
{
	grow_calls++;
	grow_old_cap = old_cap;
	grow_new_cap = new_cap;
	return realloc(old, sizeof(vs_hent_t) * (size_t)new_cap);
}

static vs_hent_t *grow_fail(vs_hent_t *old, int old_cap, int new_cap)
{
	(void)old;
	grow_calls++;
	grow_old_cap = old_cap;
	grow_new_cap = new_cap;
	return NULL;
}

static void heap_init(vs_heap_t *h)
{
	h->n = 0;
	h->cap = 0;
	h->a = NULL;
	grow_calls = 0;
	grow_old_cap = grow_new_cap = -1;
}

static void owners_init(owner_t *o, int n)
{
	int k;

	for(k = 0; k < n; k++) {
		o[k].pos = VS_HEAP_NONE;
		o[k].at = 0;
		o[k].live = 0;
	}
}

static vs_hent_t entry(owner_t *o, uint64_t at, uint32_t tag)
{
	vs_hent_t e;

	memset(&e, 0, sizeof(e));
	e.at = at;
	e.pos = o ? &o->pos : NULL;
	e.key[0] = tag;
	e.key[1] = tag ^ 0x5a5a5a5au;
	e.key[2] = tag * 3u;
	e.key[3] = ~tag;
	return e;
}

static void push_ok(vs_heap_t *h, owner_t *o, uint64_t at, uint32_t tag)
{
	vs_hent_t e = entry(o, at, tag);

	ck_assert_int_eq(vs_heap_push(h, &e, grow_realloc), 0);
	if(o) {
		o->at = at;
		o->live = 1;
	}
}

/* Check records a location on every ck_assert (a write to its pipe); these two run
 * after every operation of the randomized test, so they call into Check only when a
 * condition fails (VS_CHECK): same checks, no system call per passing one. */
#define VS_CHECK(cond, ...)            \
	do {                               \
		if(!(cond))                    \
			ck_abort_msg(__VA_ARGS__); \
	} while(0)

/* Heap order, and every slot's owner holds that slot's index. */
static void check_heap(const vs_heap_t *h)
{
	int i;

	VS_CHECK(h->n >= 0 && h->n <= h->cap, "n %d outside [0,cap %d]", h->n,
			h->cap);
	for(i = 0; i < h->n; i++) {
		if(i > 0)
			VS_CHECK(h->a[(i - 1) / 2].at <= h->a[i].at,
					"heap order broken at slot %d", i);
		if(h->a[i].pos)
			VS_CHECK(*h->a[i].pos == i, "slot %d: owner says %d", i,
					*h->a[i].pos);
	}
	VS_CHECK(vs_heap_next(h) == (h->n ? h->a[0].at : UINT64_MAX),
			"vs_heap_next %llu wrong", (unsigned long long)vs_heap_next(h));
}

/* Heap order, slot indexes, and the heap holds exactly the live owners. */
static void check_owners(const vs_heap_t *h, const owner_t *o, int n)
{
	int k, live = 0;

	check_heap(h);
	for(k = 0; k < n; k++) {
		if(!o[k].live) {
			VS_CHECK(o[k].pos == VS_HEAP_NONE,
					"owner %d out of the heap but pos %d", k, o[k].pos);
			continue;
		}
		live++;
		VS_CHECK(o[k].pos >= 0 && o[k].pos < h->n,
				"owner %d: pos %d out of [0,%d)", k, o[k].pos, h->n);
		VS_CHECK(owner_of(&h->a[o[k].pos]) == &o[k],
				"owner %d: slot %d holds another", k, o[k].pos);
		VS_CHECK(h->a[o[k].pos].at == o[k].at, "owner %d: at %llu, model %llu",
				k, (unsigned long long)h->a[o[k].pos].at,
				(unsigned long long)o[k].at);
	}
	VS_CHECK(h->n == live, "heap holds %d, model %d live", h->n, live);
}

static void check_key(const vs_hent_t *e, uint32_t tag)
{
	ck_assert_uint_eq(e->key[0], tag);
	ck_assert_uint_eq(e->key[1], tag ^ 0x5a5a5a5au);
	ck_assert_uint_eq(e->key[2], tag * 3u);
	ck_assert_uint_eq(e->key[3], ~tag);
}

/* ---- order ---- */

START_TEST(empty)
{
	vs_heap_t h;
	vs_hent_t out;

	heap_init(&h);
	ck_assert_uint_eq(vs_heap_next(&h), UINT64_MAX);
	ck_assert_int_eq(vs_heap_pop_due(&h, UINT64_MAX, &out), 0);
	vs_heap_remove(&h, 0);
	vs_heap_remove(&h, VS_HEAP_NONE);
	ck_assert_int_eq(h.n, 0);
	ck_assert_int_eq(grow_calls, 0);
}
END_TEST

START_TEST(pop_order_with_duplicates)
{
	static const uint64_t ats[] = {
			50, 10, 30, 10, 90, 30, 30, 0, 70, 10, 50, UINT64_MAX, 20, 0, 90};
	enum
	{
		N = sizeof(ats) / sizeof(ats[0])
	};
	owner_t o[N];
	int seen[N] = {0};
	vs_heap_t h;
	vs_hent_t out;
	uint64_t last = 0;
	int k;

	heap_init(&h);
	owners_init(o, N);
	for(k = 0; k < N; k++) {
		push_ok(&h, &o[k], ats[k], (uint32_t)k);
		check_owners(&h, o, N);
	}
	ck_assert_int_eq(h.n, N);
	ck_assert_uint_eq(vs_heap_next(&h), 0);
	for(k = 0; k < N; k++) {
		int idx;

		ck_assert_int_eq(vs_heap_pop_due(&h, UINT64_MAX, &out), 1);
		ck_assert_uint_ge(out.at, last);
		last = out.at;
		idx = (int)((owner_t *)owner_of(&out) - o);
		ck_assert_int_ge(idx, 0);
		ck_assert_int_lt(idx, N);
		ck_assert_int_eq(seen[idx], 0);
		seen[idx] = 1;
		ck_assert_uint_eq(out.at, ats[idx]);
		ck_assert_ptr_eq(out.pos, &o[idx].pos);
		check_key(&out, (uint32_t)idx);
		ck_assert_int_eq(o[idx].pos, VS_HEAP_NONE);
		o[idx].live = 0;
		check_owners(&h, o, N);
	}
	ck_assert_uint_eq(last, UINT64_MAX);
	ck_assert_int_eq(vs_heap_pop_due(&h, UINT64_MAX, &out), 0);
	ck_assert_uint_eq(vs_heap_next(&h), UINT64_MAX);
	free(h.a);
}
END_TEST

START_TEST(all_equal)
{
	enum
	{
		N = 40
	};
	owner_t o[N];
	vs_heap_t h;
	vs_hent_t out;
	int k;

	heap_init(&h);
	owners_init(o, N);
	for(k = 0; k < N; k++)
		push_ok(&h, &o[k], 777, (uint32_t)k);
	check_owners(&h, o, N);
	for(k = 0; k < N; k++) {
		ck_assert_int_eq(vs_heap_pop_due(&h, 777, &out), 1);
		ck_assert_uint_eq(out.at, 777);
		((owner_t *)owner_of(&out))->live = 0;
		check_owners(&h, o, N);
	}
	ck_assert_int_eq(h.n, 0);
	free(h.a);
}
END_TEST

/* ---- pop_due and next ---- */

START_TEST(pop_due_respects_now)
{
	owner_t o[4];
	vs_heap_t h;
	vs_hent_t out;

	heap_init(&h);
	owners_init(o, 4);
	push_ok(&h, &o[0], 100, 0);
	push_ok(&h, &o[1], 200, 1);
	push_ok(&h, &o[2], 100, 2);
	push_ok(&h, &o[3], 300, 3);
	ck_assert_uint_eq(vs_heap_next(&h), 100);

	memset(&out, 0xab, sizeof(out));
	ck_assert_int_eq(vs_heap_pop_due(&h, 0, &out), 0);
	ck_assert_int_eq(vs_heap_pop_due(&h, 99, &out), 0);
	ck_assert_uint_eq(out.at, 0xababababababababull); /* untouched */
	ck_assert_int_eq(h.n, 4);
	check_owners(&h, o, 4);

	/* at == now is due */
	ck_assert_int_eq(vs_heap_pop_due(&h, 100, &out), 1);
	ck_assert_uint_eq(out.at, 100);
	((owner_t *)owner_of(&out))->live = 0;
	ck_assert_int_eq(vs_heap_pop_due(&h, 100, &out), 1);
	ck_assert_uint_eq(out.at, 100);
	((owner_t *)owner_of(&out))->live = 0;
	ck_assert_int_eq(o[0].pos, VS_HEAP_NONE);
	ck_assert_int_eq(o[2].pos, VS_HEAP_NONE);
	ck_assert_int_eq(vs_heap_pop_due(&h, 199, &out), 0);
	ck_assert_uint_eq(vs_heap_next(&h), 200);
	check_owners(&h, o, 4);

	ck_assert_int_eq(vs_heap_pop_due(&h, 250, &out), 1);
	ck_assert_ptr_eq(owner_of(&out), &o[1]);
	check_key(&out, 1);
	o[1].live = 0;
	ck_assert_int_eq(vs_heap_pop_due(&h, 250, &out), 0);
	ck_assert_uint_eq(vs_heap_next(&h), 300);
	ck_assert_int_eq(vs_heap_pop_due(&h, 1000, &out), 1);
	ck_assert_ptr_eq(owner_of(&out), &o[3]);
	o[3].live = 0;
	check_owners(&h, o, 4);
	ck_assert_uint_eq(vs_heap_next(&h), UINT64_MAX);
	free(h.a);
}
END_TEST

START_TEST(next_tracks_minimum)
{
	owner_t o[3];
	vs_heap_t h;

	heap_init(&h);
	owners_init(o, 3);
	push_ok(&h, &o[0], 500, 0);
	ck_assert_uint_eq(vs_heap_next(&h), 500);
	push_ok(&h, &o[1], 700, 1);
	ck_assert_uint_eq(vs_heap_next(&h), 500);
	push_ok(&h, &o[2], 40, 2);
	ck_assert_uint_eq(vs_heap_next(&h), 40);
	vs_heap_remove(&h, o[2].pos);
	o[2].live = 0;
	ck_assert_uint_eq(vs_heap_next(&h), 500);
	vs_heap_remove(&h, o[0].pos);
	o[0].live = 0;
	ck_assert_uint_eq(vs_heap_next(&h), 700);
	check_owners(&h, o, 3);
	vs_heap_remove(&h, o[1].pos);
	o[1].live = 0;
	ck_assert_uint_eq(vs_heap_next(&h), UINT64_MAX);
	check_owners(&h, o, 3);
	free(h.a);
}
END_TEST

/* ---- removal by handle ---- */

enum
{
	RM_N = 31
};

/* 31 entries, a full 5-level tree, with deadlines in a scrambled order. */
static void fill_31(vs_heap_t *h, owner_t *o)
{
	int k;

	heap_init(h);
	owners_init(o, RM_N);
	for(k = 0; k < RM_N; k++)
		push_ok(h, &o[k], (uint64_t)((k * 17) % RM_N) * 10, (uint32_t)k);
	check_owners(h, o, RM_N);
}

static void remove_owner(vs_heap_t *h, owner_t *o, owner_t *victim)
{
	int n = h->n;

	ck_assert_int_ne(victim->pos, VS_HEAP_NONE);
	vs_heap_remove(h, victim->pos);
	ck_assert_int_eq(victim->pos, VS_HEAP_NONE);
	victim->live = 0;
	ck_assert_int_eq(h->n, n - 1);
	check_owners(h, o, RM_N);
}

static owner_t *owner_at(vs_heap_t *h, int slot)
{
	return (owner_t *)owner_of(&h->a[slot]);
}

/* Drain the rest: still in deadline order. */
static void drain_sorted(vs_heap_t *h, owner_t *o)
{
	vs_hent_t out;
	uint64_t last = 0;

	while(h->n) {
		ck_assert_int_eq(vs_heap_pop_due(h, UINT64_MAX, &out), 1);
		ck_assert_uint_ge(out.at, last);
		last = out.at;
		((owner_t *)owner_of(&out))->live = 0;
		check_owners(h, o, RM_N);
	}
	free(h->a);
}

START_TEST(remove_top)
{
	owner_t o[RM_N];
	vs_heap_t h;

	fill_31(&h, o);
	remove_owner(&h, o, owner_at(&h, 0));
	ck_assert_uint_eq(vs_heap_next(&h), 10);
	remove_owner(&h, o, owner_at(&h, 0));
	ck_assert_uint_eq(vs_heap_next(&h), 20);
	drain_sorted(&h, o);
}
END_TEST

START_TEST(remove_last)
{
	owner_t o[RM_N];
	vs_heap_t h;

	fill_31(&h, o);
	remove_owner(&h, o, owner_at(&h, h.n - 1));
	remove_owner(&h, o, owner_at(&h, h.n - 1));
	drain_sorted(&h, o);
}
END_TEST

START_TEST(remove_middle)
{
	owner_t o[RM_N];
	vs_heap_t h;
	int slot;

	fill_31(&h, o);
	/* every inner slot, and leaves in other subtrees than the last one */
	for(slot = 1; slot < 20 && slot < h.n; slot += 3)
		remove_owner(&h, o, owner_at(&h, slot));
	drain_sorted(&h, o);
}
END_TEST

/* The last entry moved into the hole must sift up when it is smaller than
 * the hole's parent (a leaf from another subtree), and sift down otherwise. */
START_TEST(remove_needs_sift_up)
{
	/* slots: 0:0 | 1:100 2:1 | 3:101 4:102 5:2 6:3 | 7:103 8:104 9:105 10:106 11:4 */
	static const uint64_t ats[] = {
			0, 100, 1, 101, 102, 2, 3, 103, 104, 105, 106, 4};
	enum
	{
		N = sizeof(ats) / sizeof(ats[0])
	};
	owner_t o[RM_N];
	vs_heap_t h;
	int k;

	heap_init(&h);
	owners_init(o, RM_N);
	for(k = 0; k < N; k++)
		push_ok(&h, &o[k], ats[k], (uint32_t)k);
	for(k = 0; k < N; k++)
		ck_assert_int_eq(o[k].pos, k); /* already heap-ordered: no moves */
	check_owners(&h, o, RM_N);
	/* remove slot 7 (103): slot 11 (4) fills it and rises to slot 1 */
	remove_owner(&h, o, &o[7]);
	ck_assert_int_eq(o[11].pos, 1);
	ck_assert_int_eq(o[1].pos, 3);	 /* 100 went down one level */
	ck_assert_int_eq(o[3].pos, 7);	 /* 101 into the hole */
	ck_assert_int_eq(o[10].pos, 10); /* untouched */
	/* remove slot 1 (4): slot 10 (106) fills it and sinks to a leaf */
	remove_owner(&h, o, &o[11]);
	ck_assert_int_eq(o[1].pos, 1);	/* 100 back up */
	ck_assert_int_eq(o[3].pos, 3);	/* 101 up */
	ck_assert_int_eq(o[10].pos, 7); /* 106 in 101's old slot */
	drain_sorted(&h, o);
}
END_TEST

START_TEST(remove_out_of_range_is_noop)
{
	owner_t o[RM_N];
	vs_heap_t h;
	owner_t *victim;

	fill_31(&h, o);
	vs_heap_remove(&h, VS_HEAP_NONE);
	vs_heap_remove(&h, -7);
	vs_heap_remove(&h, h.n);
	vs_heap_remove(&h, h.n + 100);
	ck_assert_int_eq(h.n, RM_N);
	check_owners(&h, o, RM_N);
	/* a second removal through the (now NONE) handle does nothing */
	victim = owner_at(&h, 3);
	remove_owner(&h, o, victim);
	vs_heap_remove(&h, victim->pos);
	ck_assert_int_eq(h.n, RM_N - 1);
	check_owners(&h, o, RM_N);
	drain_sorted(&h, o);
}
END_TEST

/* vs_timer_add's replace: remove by handle, push again with a new deadline. */
START_TEST(replace_by_handle)
{
	owner_t o[RM_N];
	vs_heap_t h;
	vs_hent_t e;
	int k;

	fill_31(&h, o);
	for(k = 0; k < RM_N; k++) {
		uint64_t at = (uint64_t)((k * 7) % 13) * 25;

		remove_owner(&h, o, &o[k]);
		e = entry(&o[k], at, (uint32_t)k);
		ck_assert_int_eq(vs_heap_push(&h, &e, grow_realloc), 0);
		o[k].at = at;
		o[k].live = 1;
		check_owners(&h, o, RM_N);
	}
	drain_sorted(&h, o);
}
END_TEST

START_TEST(entries_without_pos)
{
	owner_t o[2];
	vs_heap_t h;
	vs_hent_t out;

	heap_init(&h);
	owners_init(o, 2);
	push_ok(&h, NULL, 30, 100);
	push_ok(&h, &o[0], 20, 0);
	push_ok(&h, NULL, 10, 101);
	push_ok(&h, &o[1], 40, 1);
	check_heap(&h);
	ck_assert_int_eq(vs_heap_pop_due(&h, 10, &out), 1);
	ck_assert_ptr_null(out.pos);
	check_key(&out, 101);
	vs_heap_remove(&h, o[0].pos);
	ck_assert_int_eq(o[0].pos, VS_HEAP_NONE);
	ck_assert_int_eq(vs_heap_pop_due(&h, 100, &out), 1);
	check_key(&out, 100);
	ck_assert_int_eq(o[1].pos, 0);
	ck_assert_int_eq(h.n, 1);
	check_heap(&h);
	free(h.a);
}
END_TEST

/* ---- randomized run against a reference model ---- */

static uint64_t rng_state;

static uint32_t rng(void)
{
	/* xorshift64*: fixed seed, same run on every platform */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545f4914f6cdd1dull) >> 32);
}

START_TEST(randomized_against_model)
{
	enum
	{
		OWNERS = 1500,
		OPS = 10000
	};
	static owner_t o[OWNERS];
	vs_heap_t h;
	vs_hent_t e, out;
	int op, pushes = 0, removes = 0, pops = 0, misses = 0, max_n = 0;

	rng_state = 0x9e3779b97f4a7c15ull;
	heap_init(&h);
	owners_init(o, OWNERS);
	for(op = 0; op < OPS; op++) {
		uint32_t r = rng() % 100;
		owner_t *w = &o[rng() % OWNERS];

		if(r < 50) { /* push (or replace, as vs_timer_add does) */
			/* small range: many duplicate deadlines */
			uint64_t at = rng() % 2000;

			if(w->live) {
				vs_heap_remove(&h, w->pos);
				ck_assert_int_eq(w->pos, VS_HEAP_NONE);
				w->live = 0;
			}
			e = entry(w, at, (uint32_t)(w - o));
			ck_assert_int_eq(vs_heap_push(&h, &e, grow_realloc), 0);
			w->at = at;
			w->live = 1;
			pushes++;
		} else if(r < 80) { /* remove by handle, live or not */
			int was = w->live, n = h.n;

			vs_heap_remove(&h, w->pos);
			ck_assert_int_eq(w->pos, VS_HEAP_NONE);
			ck_assert_int_eq(h.n, was ? n - 1 : n);
			w->live = 0;
			removes += was;
		} else { /* pop_due at a random now */
			uint64_t now = rng() % 2200, min = UINT64_MAX;
			int k, got;

			for(k = 0; k < OWNERS; k++)
				if(o[k].live && o[k].at < min)
					min = o[k].at;
			got = vs_heap_pop_due(&h, now, &out);
			ck_assert_int_eq(got, min <= now);
			if(got) {
				owner_t *p = (owner_t *)owner_of(&out);

				ck_assert_uint_eq(out.at, min);
				ck_assert_ptr_nonnull(p);
				ck_assert_int_eq(p->live, 1);
				ck_assert_uint_eq(p->at, out.at);
				ck_assert_ptr_eq(out.pos, &p->pos);
				ck_assert_int_eq(p->pos, VS_HEAP_NONE);
				check_key(&out, (uint32_t)(p - o));
				p->live = 0;
				pops++;
			} else {
				misses++;
			}
		}
		check_owners(&h, o, OWNERS);
		if(h.n > max_n)
			max_n = h.n;
	}
	/* the mix really exercised everything */
	ck_assert_int_gt(pushes, 4000);
	ck_assert_int_gt(removes, 500);
	ck_assert_int_gt(pops, 500);
	ck_assert_int_gt(misses, 50);
	ck_assert_int_gt(max_n, 100);
	/* drain: sorted, and the model empties with it */
	{
		uint64_t last = 0;

		while(vs_heap_pop_due(&h, UINT64_MAX, &out)) {
			ck_assert_uint_ge(out.at, last);
			last = out.at;
			((owner_t *)owner_of(&out))->live = 0;
		}
		check_owners(&h, o, OWNERS);
		ck_assert_int_eq(h.n, 0);
	}
	free(h.a);
}
END_TEST

/* ---- growth ---- */

START_TEST(growth_doubles_from_1024)
{
	enum
	{
		N = 4097
	};
	static owner_t o[N];
	vs_heap_t h;
	vs_hent_t out;
	int k;

	heap_init(&h);
	owners_init(o, N);
	for(k = 0; k < N; k++) {
		/* descending deadlines: every push sifts to the top */
		push_ok(&h, &o[k], (uint64_t)(N - k), (uint32_t)k);
		switch(k + 1) {
			case 1:
				ck_assert_int_eq(grow_calls, 1);
				ck_assert_int_eq(grow_old_cap, 0);
				ck_assert_int_eq(grow_new_cap, 1024);
				ck_assert_int_eq(h.cap, 1024);
				break;
			case 1024:
				ck_assert_int_eq(grow_calls, 1);
				ck_assert_int_eq(h.cap, 1024);
				check_owners(&h, o, N);
				break;
			case 1025:
				ck_assert_int_eq(grow_calls, 2);
				ck_assert_int_eq(grow_old_cap, 1024);
				ck_assert_int_eq(grow_new_cap, 2048);
				ck_assert_int_eq(h.cap, 2048);
				check_owners(&h, o, N);
				break;
			case 2048:
				ck_assert_int_eq(grow_calls, 2);
				break;
			case 2049:
				ck_assert_int_eq(grow_calls, 3);
				ck_assert_int_eq(grow_old_cap, 2048);
				ck_assert_int_eq(grow_new_cap, 4096);
				ck_assert_int_eq(h.cap, 4096);
				check_owners(&h, o, N);
				break;
			case 4097:
				ck_assert_int_eq(grow_calls, 4);
				ck_assert_int_eq(grow_old_cap, 4096);
				ck_assert_int_eq(grow_new_cap, 8192);
				ck_assert_int_eq(h.cap, 8192);
				break;
		}
	}
	check_owners(&h, o, N);
	/* all entries survived the moves, in order */
	for(k = N - 1; k >= 0; k--) {
		ck_assert_int_eq(vs_heap_pop_due(&h, UINT64_MAX, &out), 1);
		ck_assert_ptr_eq(owner_of(&out), &o[k]);
		check_key(&out, (uint32_t)k);
		o[k].live = 0;
	}
	check_owners(&h, o, N);
	/* no shrink, and no grow while below cap again */
	ck_assert_int_eq(h.cap, 8192);
	push_ok(&h, &o[0], 1, 0);
	ck_assert_int_eq(grow_calls, 4);
	free(h.a);
}
END_TEST

/* pop the entries tagged from..to-1, which must come out in that order */
static void pop_in_order(vs_heap_t *h, owner_t *o, int from, int to)
{
	vs_hent_t out;
	int k;

	for(k = from; k < to; k++) {
		ck_assert_int_eq(vs_heap_pop_due(h, UINT64_MAX, &out), 1);
		check_key(&out, (uint32_t)k);
		o[k].live = 0;
	}
}

/* After a peak the array halves while at most a quarter is used, down to min_cap;
 * every entry keeps its slot and order; a refused shrink leaves the heap as it was. */
START_TEST(shrink_after_peak)
{
	enum
	{
		N = 5000
	};
	static owner_t o[N];
	vs_heap_t h;
	int k;

	heap_init(&h);
	owners_init(o, N);
	for(k = 0; k < N; k++)
		push_ok(&h, &o[k], (uint64_t)(k + 1), (uint32_t)k);
	ck_assert_int_eq(h.cap, 8192);
	ck_assert_int_eq(vs_heap_shrink(&h, 1024, grow_realloc), 0); /* 5000 > 2048 */
	pop_in_order(&h, o, 0, N - 1000); /* down to 1000 entries */
	grow_calls = 0;
	ck_assert_int_eq(vs_heap_shrink(&h, 1024, grow_fail), -1);
	ck_assert_int_eq(h.cap, 8192);
	check_owners(&h, o, N);
	/* 8192 -> 4096 -> 2048 (1000 <= 1024), not 1024 (1000 > 256) */
	ck_assert_int_eq(vs_heap_shrink(&h, 1024, grow_realloc), 1);
	ck_assert_int_eq(h.cap, 2048);
	ck_assert_int_eq(grow_old_cap, 1000); /* the entries copied */
	ck_assert_int_eq(grow_new_cap, 2048);
	check_owners(&h, o, N);
	ck_assert_int_eq(vs_heap_shrink(&h, 1024, grow_realloc), 0);
	pop_in_order(&h, o, N - 1000, N - 10);
	/* 10 left: never below min_cap */
	ck_assert_int_eq(vs_heap_shrink(&h, 1024, grow_realloc), 1);
	ck_assert_int_eq(h.cap, 1024);
	check_owners(&h, o, N);
	pop_in_order(&h, o, N - 10, N);
	ck_assert_int_eq(vs_heap_shrink(&h, 1024, grow_realloc), 0);
	ck_assert_int_eq(h.cap, 1024);
	free(h.a);
}
END_TEST

START_TEST(grow_failure_from_empty)
{
	owner_t o[1];
	vs_heap_t h;
	vs_hent_t e;

	heap_init(&h);
	owners_init(o, 1);
	e = entry(&o[0], 5, 0);
	ck_assert_int_eq(vs_heap_push(&h, &e, grow_fail), -1);
	ck_assert_int_eq(grow_calls, 1);
	ck_assert_int_eq(grow_old_cap, 0);
	ck_assert_int_eq(grow_new_cap, 1024);
	ck_assert_int_eq(h.n, 0);
	ck_assert_int_eq(h.cap, 0);
	ck_assert_ptr_null(h.a);
	ck_assert_int_eq(o[0].pos, VS_HEAP_NONE);
	ck_assert_uint_eq(vs_heap_next(&h), UINT64_MAX);
	/* a later successful grow works normally */
	ck_assert_int_eq(vs_heap_push(&h, &e, grow_realloc), 0);
	ck_assert_int_eq(h.cap, 1024);
	ck_assert_int_eq(o[0].pos, 0);
	free(h.a);
}
END_TEST

START_TEST(grow_failure_when_full)
{
	enum
	{
		N = 1025
	};
	static owner_t o[N];
	static vs_hent_t before[1024];
	vs_heap_t h;
	vs_hent_t e, *a;
	int k;

	heap_init(&h);
	owners_init(o, N);
	for(k = 0; k < 1024; k++)
		push_ok(&h, &o[k], (uint64_t)((k * 389) % 1024), (uint32_t)k);
	ck_assert_int_eq(h.n, 1024);
	ck_assert_int_eq(h.cap, 1024);
	check_owners(&h, o, N);
	memcpy(before, h.a, sizeof(before));
	a = h.a;

	/* a deadline that would go to the top if it got in */
	e = entry(&o[1024], 0, 1024);
	o[1024].pos = VS_HEAP_NONE;
	grow_calls = 0;
	ck_assert_int_eq(vs_heap_push(&h, &e, grow_fail), -1);
	ck_assert_int_eq(grow_calls, 1);
	ck_assert_int_eq(grow_old_cap, 1024);
	ck_assert_int_eq(grow_new_cap, 2048);
	ck_assert_int_eq(h.n, 1024);
	ck_assert_int_eq(h.cap, 1024);
	ck_assert_ptr_eq(h.a, a);
	ck_assert_int_eq(memcmp(before, h.a, sizeof(before)), 0);
	ck_assert_int_eq(o[1024].pos, VS_HEAP_NONE);
	check_owners(&h, o, N);

	/* still fully usable: pop, then the push fits without growing */
	{
		vs_hent_t out;

		ck_assert_int_eq(vs_heap_pop_due(&h, 0, &out), 1);
		ck_assert_uint_eq(out.at, 0);
		((owner_t *)owner_of(&out))->live = 0;
	}
	ck_assert_int_eq(vs_heap_push(&h, &e, grow_fail), 0);
	o[1024].at = 0;
	o[1024].live = 1;
	ck_assert_int_eq(o[1024].pos, 0);
	check_owners(&h, o, N);
	free(h.a);
}
END_TEST

static Suite *heap_suite(void)
{
	Suite *su = suite_create("vs_heap");
	TCase *od = tcase_create("order"), *rm = tcase_create("remove");
	TCase *rn = tcase_create("random"), *gr = tcase_create("grow");

	tcase_add_test(od, empty);
	tcase_add_test(od, pop_order_with_duplicates);
	tcase_add_test(od, all_equal);
	tcase_add_test(od, pop_due_respects_now);
	tcase_add_test(od, next_tracks_minimum);
	tcase_add_test(rm, remove_top);
	tcase_add_test(rm, remove_last);
	tcase_add_test(rm, remove_middle);
	tcase_add_test(rm, remove_needs_sift_up);
	tcase_add_test(rm, remove_out_of_range_is_noop);
	tcase_add_test(rm, replace_by_handle);
	tcase_add_test(rm, entries_without_pos);
	tcase_add_test(rn, randomized_against_model);
	tcase_set_timeout(rn, 60);
	tcase_add_test(gr, growth_doubles_from_1024);
	tcase_add_test(gr, grow_failure_from_empty);
	tcase_add_test(gr, grow_failure_when_full);
	tcase_add_test(gr, shrink_after_peak);
	suite_add_tcase(su, od);
	suite_add_tcase(su, rm);
	suite_add_tcase(su, rn);
	suite_add_tcase(su, gr);
	return su;
}

VS_UNIT_MAIN(heap_suite)
