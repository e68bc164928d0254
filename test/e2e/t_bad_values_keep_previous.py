#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""bad values to each script function are refused and change nothing: after
vos_resend("0.5,1") and vos_timeouts("1.2", "", ""), the calls vos_resend("0.5,,1"),
vos_timeouts("x", "", ""), vos_setup_budget("-1") and vos_profile("nope") each return
false and log the value; the silent gateway still gets sends at 0 and 0.5 s and the
INVITE stage still ends it at 1.2 s (invite_timeout, no budget); the backup answers."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc

ROUTE = r'''
	vos_resend("0.5,1");
	vos_timeouts("1.2", "", "");
	if (!vos_resend("0.5,,1")) xlog("L_NOTICE", "VOSTEST refused fn=vos_resend\n");
	if (!vos_timeouts("x", "", "")) xlog("L_NOTICE", "VOSTEST refused fn=vos_timeouts\n");
	if (!vos_setup_budget("-1")) xlog("L_NOTICE", "VOSTEST refused fn=vos_setup_budget\n");
	if (!vos_profile("nope")) xlog("L_NOTICE", "VOSTEST refused fn=vos_profile\n");
	xlog("L_NOTICE", "VOSTEST after schedule=$vos(schedule) profile=$vos(profile) "
		"budget_left=$vos(budget_left)\n");
'''


def scenario(t):
    silent, backup = t.gateway("silent"), t.gateway("answer", ring=20)
    t.kamailio(gws=[silent, backup], route=ROUTE)
    t.expect_sipp_ok(t.sipp("invite", final=200))
    refused = [r.get("fn") for r in vc.vostest(t, "refused")]
    t.check(refused == ["vos_resend", "vos_timeouts", "vos_setup_budget", "vos_profile"],
            "functions that returned false: %s (all four expected)" % refused)
    vc.expect_log(t, r'ERROR:.*vos_resend\("0\.5,,1"\)', 1, "vos_resend's bad value")
    vc.expect_log(t, r'ERROR:.*vos_timeouts.*"x"', 1, "vos_timeouts' bad value")
    vc.expect_log(t, r'ERROR:.*vos_setup_budget\("-1"\)', 1, "vos_setup_budget's bad value")
    vc.expect_log(t, r'ERROR:.*vos_profile\("nope"\)', 1, "vos_profile's bad name")
    after = vc.vostest(t, "after")
    t.check(after and after[0].get("schedule") == "0.5,1"
            and after[0].get("budget_left") == "<null>",
            "values in force after the refusals: %s (schedule 0.5,1, no budget)" % after)
    t.expect_sends(silent, [0, 0.5])
    t.expect_failover(silent, backup, 1.2)
    t.expect_failover_reason(backup, "invite_timeout", sends=2, stage="invite")


Test(__file__, timeout=20).run(scenario)
