#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""vos_resend() in a branch_route sets the schedule of that branch: request_route sets
"0.5,0.5,0.5,0.5", branch_route (t_on_branch) overrides it with "1,1" - the silent
gateway gets sends at 0 and 1.0 s only (not 0.5, 1.0, 1.5) and the branch gives up at
2.0 s (resend_exhausted, schedule 1,1, 2 sends): the backup gets the call then."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc


def scenario(t):
    silent, backup = t.gateway("silent"), t.gateway("answer", ring=20)
    t.kamailio("relay_branch.cfg", gws=[silent, backup], vos={"timeout_invite": "0"},
               route='vos_resend("0.5,0.5,0.5,0.5");',
               BRANCH_ROUTE='if (!vos_resend("1,1")) xlog("L_ERR", "VOSTEST bad\\n");')
    t.expect_sipp_ok(t.sipp("invite", final=200))
    t.expect_sends(silent, [0, 1.0])
    t.expect_failover(silent, backup, 2.0)
    t.expect_failover_reason(backup, "resend_exhausted", sends=2, stage="invite")
    t.check(not t.log_lines(r"VOSTEST bad"), "vos_resend() failed in branch_route")
    br = vc.vostest(t, "branch")
    t.check(len(br) == 1, "branch_route ran %d times, once expected: %s" % (len(br), br))
    fails = vc.vostest(t, "failure")
    got = [(f.get("gw"), f.get("reason"), f.get("schedule"), f.get("code")) for f in fails]
    t.check(got == [("gw1", "resend_exhausted", "1,1", "408")],
            "failure_route saw (gw, reason, schedule, code) %s; expected gw1 "
            "resend_exhausted 1,1 408" % got)


Test(__file__, timeout=20).run(scenario)
