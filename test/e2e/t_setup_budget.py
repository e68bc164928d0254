#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""setup budget 12 s (vos_setup_budget("12")), list "0.5,1,2,4,4,4" (15.5 s a
gateway), three silent gateways, failure_route asks vos_failover(): gw1 gets sends
at 0, 0.5, 1.5, 3.5, 7.5, 11.5 s and is ended at 12 s with reason setup_budget; the
budget is spent so no switch, and the caller gets its final 408 at 12 s (±50 ms)."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc


def scenario(t):
    gw1, gw2, gw3 = t.gateway("silent"), t.gateway("silent"), t.gateway("silent")
    t.kamailio(gws=[gw1, gw2, gw3], vos={"timeout_invite": "0"},
               route='vos_setup_budget("12"); vos_resend("0.5,1,2,4,4,4");',
               failover_route=vc.NOSWITCH)
    res = t.sipp("invite", final=408)
    t.expect_sipp_ok(res)
    t.expect_sends(gw1, [0, 0.5, 1.5, 3.5, 7.5, 11.5])
    t.expect_count(gw2, 0)
    t.expect_count(gw3, 0)
    finals = vc.caller_finals(res)
    t.check([c for c, _ in finals] == [408], "caller's finals %s, one 408 expected" % finals)
    if finals:
        vc.expect_wall(t, "the caller's 408", finals[0][1], vc.wall_of(gw1), 12)
    fails = vc.vostest(t, "failure")
    t.check(len(fails) == 1 and fails[0].get("reason") == "setup_budget"
            and fails[0].get("sends") == "6" and fails[0].get("budget_left") == "0",
            "failure_route saw %s; expected reason=setup_budget sends=6 budget_left=0"
            % fails)
    t.check(len(vc.vostest(t, "noswitch")) == 1, "vos_failover() did not say no once")
    vc.expect_log(t, r"vos_failover: no, stop=setup_budget: the setup budget is spent", 1)
    t.check([n.get("stop") for n in vc.vostest(t, "noswitch")] == ["setup_budget"],
            "$vos(stop) %s, setup_budget expected" % vc.vostest(t, "noswitch"))


Test(__file__, timeout=30).run(scenario)
