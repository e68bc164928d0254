/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vs_script: what the routing script sees - cfg functions, their KEMI twins, and
 * the $vos(...) pseudo-variable. */
#ifndef VS_SCRIPT_H
#define VS_SCRIPT_H

#include "core/sr_module.h"
#include "core/pvar.h"

extern cmd_export_t vs_cmds[];
extern pv_export_t vs_pvs[];
int vs_kemi_register(void);

#endif
