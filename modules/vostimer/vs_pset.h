/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vs_pset: the profile set in force, in shared memory. RPC reads the full set under
 * a lock; the call path (vs_pset_default, vs_pset_get) reads a fixed block of names
 * and values by hash, without a lock (a sequence counter: vs_pset.c). */
#ifndef VS_PSET_H
#define VS_PSET_H

#include "vs_prof.h"

int vs_pset_init(const vs_profset_t *set, const char *default_profile);
void vs_pset_destroy(void);
/* install a new set (pkg/malloc copy made by the caller, not consumed) */
int vs_pset_swap(const vs_profset_t *set, char *err, int errlen);
#define VS_PSET_NAMES 1024 /* profile names remembered since start-up, +1 */

/* copy the default profile's values (no lock); returns its name's id */
int vs_pset_default(vs_values_t *v);
/* copy a named profile's values and own-key mask (own may be NULL; no lock;
 * found by hash); returns its name's id (>= 0), -1 if unknown. len < 0: strlen */
int vs_pset_get(const char *name, int len, vs_values_t *v, unsigned int *own);
/* the name of an id that vs_pset_default/vs_pset_get returned; "" for 0. Ids are
 * stable for the life of the process: a reload keeps a name's id. */
const char *vs_pset_name(int id);
/* a malloc()ed copy of the whole set, for RPC output; free() it */
vs_profset_t *vs_pset_dup(void);

#endif
