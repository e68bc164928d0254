/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vs_pset: the profile set in force, in shared memory (see vs_pset.h).
 * Lock: pset->lock guards pset->set and the block it points to. Held for memcpy
 * only - no logging, no allocation of shm under it except the swap's pointer move. */
#include <string.h>
#include <stdlib.h>

#include "core/mem/shm_mem.h"
#include "core/locking.h"
#include "core/dprint.h"

#include "vs_pset.h"

typedef struct vs_pset
{
	gen_lock_t lock;
	vs_profset_t *set;
	char defname[VS_PROF_NAMELEN];
} vs_pset_t;

static vs_pset_t *pset = NULL;

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
	return pset->set ? 0 : -1;
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
	lock_release(&pset->lock);
	/* nobody can still read old: readers copy under the lock and keep no pointer */
	shm_free(old);
	return 0;
}

void vs_pset_default(vs_values_t *v, char *name)
{
	const vs_profile_t *p;
	lock_get(&pset->lock);
	p = vs_prof_find(pset->set, pset->defname, -1);
	if(p == NULL)
		p = &pset->set->p[0];
	*v = p->v;
	if(name)
		memcpy(name, p->name, VS_PROF_NAMELEN);
	lock_release(&pset->lock);
}

int vs_pset_get(const char *name, int len, vs_values_t *v)
{
	const vs_profile_t *p;
	int rc = -1;
	lock_get(&pset->lock);
	p = vs_prof_find(pset->set, name, len);
	if(p) {
		*v = p->v;
		rc = 0;
	}
	lock_release(&pset->lock);
	return rc;
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

const char *vs_pset_default_name(void)
{
	return pset->defname;
}
