/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vs_rpc: vostimer.* RPC commands (kamcmd, kamcli). */
#ifndef VS_RPC_H
#define VS_RPC_H
#include "vs_prof.h"
int vs_rpc_init(void);
/* log the sanity warnings about the profiles in force (start-up, after vs_pset_init) */
void vs_rpc_startup_warnings(void);
/* set by the module: the file reload re-reads and the base it resolves onto */
extern char *vs_profiles_file;
extern vs_base_t vs_base;
#endif
