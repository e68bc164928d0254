/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vs_policy: VOS3000's gateway-switch rules (doc/user-guide.md §4) as one pure
 * decision - may this call try another gateway after a branch failed, and if
 * not, which rule forbids it - and the parsers for the rules' values as
 * scripts, modparams and VOS3000 exports write them. No Kamailio header:
 * unit-tested alone. */
#ifndef VS_POLICY_H
#define VS_POLICY_H

#include "vs_prof.h"

/* the rule that forbids another gateway; VS_STOP_NONE: another one may be tried.
 * When several apply, the first in this order is named (vs_failover_decide). */
enum vs_stop
{
	VS_STOP_NONE = 0,
	VS_STOP_CANCELED,	 /* the caller CANCELed: tm takes no new branch */
	VS_STOP_USER_BUSY,	 /* 486/600 with switch_stop_after_busy */
	VS_STOP_CODE,		 /* the final code is in switch_stop_codes */
	VS_STOP_EARLY_MEDIA, /* SDP reached the caller, stop_switch_after_sdp */
	VS_STOP_RINGING,	 /* a gateway rang, switch_until_connect off */
	VS_STOP_LIMIT,		 /* gateway_switch_limit gateways tried */
	VS_STOP_BUDGET,		 /* the setup budget is spent */
	VS_STOP_COUNT
};

/* what the call has been through, as the module saw it */
typedef struct vs_call_state
{
	int attempts; /* gateways (branches) tried so far, this call */
	int last_code; /* final reply code the gateway sent for the failed branch;
					  0: a timer of this module (or tm's) ended it */
	int rang;	   /* some branch of the call got a 101-199 (ringing stage) */
	int early_media;  /* a 101-199 with SDP was relayed to the caller */
	int budget_spent; /* a setup budget is set and nothing of it is left */
	int canceled;	  /* the caller CANCELed the call */
} vs_call_state_t;

/* The decision: VS_STOP_NONE when the rules allow another gateway, else the rule
 * that forbids it. Order when several forbid it: canceled, user_busy, stop_code,
 * early_media, ringing_reached, switch_limit, setup_budget - what the callee did
 * before the caps, so that the name points at the cause (raising switch_limit would not
 * have helped a busy callee). */
int vs_failover_decide(const vs_values_t *rules, const vs_call_state_t *s);

/* "canceled", "user_busy", "stop_code", "early_media", "ringing_reached",
 * "switch_limit", "setup_budget"; "" for VS_STOP_NONE or out of range */
const char *vs_stop_name(int stop);

/* a reply code the busy rule counts: 486 Busy Here, 600 Busy Everywhere */
int vs_is_busy_code(int code);

/* A switch: On/Off, true/false, yes/no, 1/0, any case. len < 0: strlen.
 * 0 and *out set, or -1 and why in err (the caller names the value). */
int vs_bool_parse(const char *s, int len, int *out, char *err, int errlen);

/* One switch rule's value as written, for key VS_K_SW_LIMIT (vs_limit_parse) or
 * VS_K_SW_BUSY, VS_K_SW_CONNECT, VS_K_SW_SDP (vs_bool_parse) - the one parser of
 * modparams, vos_switch_rules() and VOS3000 exports. Same contract as those two. */
int vs_rule_parse(
		int key, const char *s, int len, int *out, char *err, int errlen);

/* gateway_switch_limit: a whole number 0..VS_SW_LIMIT_MAX, or "None" / "unlimited"
 * (any case), which VOS3000 writes for "no limit" and which is 0 here.
 * len < 0: strlen. 0 and *out set, or -1 and why in err. */
int vs_limit_parse(const char *s, int len, int *out, char *err, int errlen);

#endif
