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
/* copy the default profile's values and name (no lock) */
void vs_pset_default(vs_values_t *v, char *name);
/* copy a named profile's values (no lock; found by hash); -1 if unknown */
int vs_pset_get(const char *name, int len, vs_values_t *v);
/* a malloc()ed copy of the whole set, for RPC output; free() it */
vs_profset_t *vs_pset_dup(void);

#endif
