/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vs_pset: the profile set in force, in shared memory (see vs_pset.h), in two forms.
 * - The full set (names, values and where each value came from) for RPC output:
 *   pset->lock guards pset->set and the block it points to.
 * - The call path's view (rt): names and values only, in one fixed block that is
 *   allocated once and never freed, with a hash index. It is read without any lock
 *   under a sequence counter: a writer makes `seq` odd, rewrites the block, makes it
 *   even again; a reader copies what it needs and retries if `seq` was odd or moved.
 *   Writers (start-up, reload) are serialised by pset->lock.
 * No logging and no shm allocation under pset->lock, except the swap's pointer move. */
#include <string.h>
#include <stdlib.h>
#include <stdint.h>
#include <sched.h>

#include "core/mem/shm_mem.h"
#include "core/locking.h"
#include "core/atomic_ops.h"
#include "core/dprint.h"

#include "vs_pset.h"

#define RT_BUCKETS 512 /* hash chains for VS_PROF_MAX (256) names */

typedef struct rt_prof
{
	char name[VS_PROF_NAMELEN];
	vs_values_t v;
	unsigned int own; /* the keys it sets itself (vs_profile_t.own) */
	int id;			  /* its name's id (vs_pset_name) */
	int next; /* next profile in the same hash chain, -1 at the end */
} rt_prof_t;

typedef struct vs_rt
{
	volatile unsigned int seq; /* odd while a writer rewrites the block */
	int n, def;				   /* profiles, index of default_profile */
	int bucket[RT_BUCKETS];	   /* first profile of each chain, -1 if none */
	rt_prof_t p[VS_PROF_MAX];
} vs_rt_t;

typedef struct vs_pset
{
	gen_lock_t lock;
	vs_profset_t *set;
	char defname[VS_PROF_NAMELEN];
	vs_rt_t rt;
	/* every profile name ever in force, by id (1..): a record keeps a 2-byte id,
	 * not the name. Append-only under lock; an entry never changes once its id
	 * is published (nnames), so readers need no lock. */
	volatile int nnames;
	char names[VS_PSET_NAMES][VS_PROF_NAMELEN];
} vs_pset_t;

static vs_pset_t *pset = NULL;
static int names_full = 0; /* this process's last rt_write ran out of name ids */

static void names_full_log(void)
{
	if(names_full)
		LM_WARN("more than %d profile names since start-up: the newest are "
				"shown without their names (restart to reset)\n",
				VS_PSET_NAMES - 2);
	names_full = 0;
}

/* FNV-1a of the name's bytes */
static unsigned int name_hash(const char *s, int len)
{
	uint32_t h = 2166136261u;
	int i;
	for(i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h % RT_BUCKETS;
}

/* with pset->lock held: the id of a name, given one if it has none yet (0 when
 * the table is full: the values still apply, the name shows as "") */
static int name_id(const char *name)
{
	int i, n = pset->nnames;

	for(i = 1; i <= n; i++)
		if(strncmp(pset->names[i], name, VS_PROF_NAMELEN) == 0)
			return i;
	if(n + 1 >= VS_PSET_NAMES)
		return 0; /* logged by the writer, outside the lock (names_full) */
	memcpy(pset->names[n + 1], name, VS_PROF_NAMELEN);
	membar_write();
	pset->nnames = n + 1;
	return n + 1;
}

/* with pset->lock held: copy set's names and values into the call path's view */
static void rt_write(const vs_profset_t *set)
{
	vs_rt_t *rt = &pset->rt;
	const vs_profile_t *d = vs_prof_find(set, pset->defname, -1);
	unsigned int h;
	int i, ids[VS_PROF_MAX];

	for(i = 0; i < set->n && i < VS_PROF_MAX; i++) /* before readers wait */
		if((ids[i] = name_id(set->p[i].name)) == 0)
			names_full = 1;

	rt->seq++; /* odd: readers wait and retry */
	membar_write();
	memset(rt->bucket, -1, sizeof(rt->bucket));
	rt->n = set->n;
	rt->def = d ? (int)(d - set->p) : 0;
	/* chains are built backwards so that the first of two equal names wins, as
	 * in vs_prof_find() */
	for(i = set->n - 1; i >= 0; i--) {
		memcpy(rt->p[i].name, set->p[i].name, VS_PROF_NAMELEN);
		rt->p[i].v = set->p[i].v;
		rt->p[i].own = set->p[i].own;
		rt->p[i].id = ids[i];
		h = name_hash(set->p[i].name, strnlen(set->p[i].name, VS_PROF_NAMELEN));
		rt->p[i].next = rt->bucket[h];
		rt->bucket[h] = i;
	}
	membar_write();
	rt->seq++;
}

/* a profile's index, or -1; safe on a block being rewritten (indexes and steps
 * are bounded: the caller's sequence check throws the answer away then) */
static int rt_find(const vs_rt_t *rt, const char *name, int len)
{
	int i, steps;

	if(len >= VS_PROF_NAMELEN)
		return -1;
	i = rt->bucket[name_hash(name, len)];
	for(steps = 0; i >= 0 && i < VS_PROF_MAX && steps < VS_PROF_MAX; steps++) {
		if(memcmp(rt->p[i].name, name, len) == 0 && rt->p[i].name[len] == '\0')
			return i;
		i = rt->p[i].next;
	}
	return -1;
}

/* copy the values (and own mask) of profile `name`, or of the default profile
 * when name is NULL; returns its name's id, -1 if there is no such profile. No
 * lock: see the top of the file. */
static int rt_read(const char *name, int len, vs_values_t *v, unsigned int *own)
{
	const vs_rt_t *rt = &pset->rt;
	unsigned int seq;
	int i, id = 0;

	if(name && len < 0)
		len = strlen(name);
	for(;;) {
		seq = rt->seq;
		if(seq & 1) { /* a reload is copying: a few microseconds */
			sched_yield();
			continue;
		}
		membar_read();
		i = name ? rt_find(rt, name, len) : rt->def;
		if(i >= 0 && i < VS_PROF_MAX) {
			*v = rt->p[i].v;
			if(own)
				*own = rt->p[i].own;
			id = rt->p[i].id;
		}
		membar_read();
		if(rt->seq == seq)
			return (i >= 0 && i < VS_PROF_MAX) ? id : -1;
	}
}

static vs_profset_t *shm_copy(const vs_profset_t *set)
{
	vs_profset_t *s = shm_malloc(set->size);
	if(s == NULL) {
		SHM_MEM_ERROR;
		return NULL;
	}
	memcpy(s, set, set->size);
	return s;
}

int vs_pset_init(const vs_profset_t *set, const char *default_profile)
{
	pset = shm_malloc(sizeof(*pset));
	if(pset == NULL) {
		SHM_MEM_ERROR;
		return -1;
	}
	memset(pset, 0, sizeof(*pset));
	lock_init(&pset->lock);
	strncpy(pset->defname, default_profile ? default_profile : "defaults",
			VS_PROF_NAMELEN - 1);
	if(vs_prof_find(set, pset->defname, -1) == NULL) {
		LM_ERR("default_profile \"%s\": no such profile\n", pset->defname);
		return -1;
	}
	pset->set = shm_copy(set);
	if(pset->set == NULL)
		return -1;
	rt_write(set);
	names_full_log();
	return 0;
}

void vs_pset_destroy(void)
{
	if(pset == NULL)
		return;
	if(pset->set)
		shm_free(pset->set);
	shm_free(pset);
	pset = NULL;
}

int vs_pset_swap(const vs_profset_t *set, char *err, int errlen)
{
	vs_profset_t *s, *old;
	if(vs_prof_find(set, pset->defname, -1) == NULL) {
		snprintf(err, errlen,
				"the new file has no profile \"%s\" (default_profile)",
				pset->defname);
		return -1;
	}
	s = shm_copy(set);
	if(s == NULL) {
		snprintf(err, errlen, "out of shared memory");
		return -1;
	}
	lock_get(&pset->lock);
	old = pset->set;
	pset->set = s;
	rt_write(s);
	lock_release(&pset->lock);
	names_full_log();
	/* nobody can still read old: RPC readers copy under the lock and keep no
	 * pointer; the call path reads the rt block, never old */
	shm_free(old);
	return 0;
}

int vs_pset_default(vs_values_t *v)
{
	return rt_read(NULL, 0, v, NULL);
}

int vs_pset_get(const char *name, int len, vs_values_t *v, unsigned int *own)
{
	if(name == NULL || len == 0)
		return -1;
	return rt_read(name, len, v, own);
}

const char *vs_pset_name(int id)
{
	if(pset == NULL || id <= 0 || id > pset->nnames)
		return "";
	membar_read();
	return pset->names[id];
}

vs_profset_t *vs_pset_dup(void)
{
	vs_profset_t *s = NULL;
	size_t sz = 0;

	/* allocate outside the lock; a reload in between changes the size: retry */
	for(;;) {
		lock_get(&pset->lock);
		if(s && pset->set->size == sz) {
			memcpy(s, pset->set, sz);
			lock_release(&pset->lock);
			return s;
		}
		sz = pset->set->size;
		lock_release(&pset->lock);
		free(s);
		s = malloc(sz);
		if(s == NULL)
			return NULL;
	}
}
