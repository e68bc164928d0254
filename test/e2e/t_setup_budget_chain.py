#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""setup budget 12 s across a failover: list "0.5,1,2,4" (7.5 s a gateway), silent
gateways: gw1 sends at 0, 0.5, 1.5, 3.5 s and resend_exhausted at 7.5 s (budget_left
4.5 s); gw2 starts its own schedule at 7.5 s (7.5, 8, 9, 11 s) and is ended at 12 s
with reason setup_budget; vos_failover() says no, gw3 is never tried and the
caller's 408 comes at 12 s."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc


def scenario(t):
    gw1, gw2, gw3 = t.gateway("silent"), t.gateway("silent"), t.gateway("silent")
    t.kamailio(gws=[gw1, gw2, gw3], vos={"timeout_invite": "0"},
               route='vos_setup_budget("12"); vos_resend("0.5,1,2,4");',
               failover_route=vc.NOSWITCH)
    res = t.sipp("invite", final=408)
    t.expect_sipp_ok(res)
    t0 = vc.first(gw1)
    t.expect_sends(gw1, [0, 0.5, 1.5, 3.5])
    t.expect_times("gw2 INVITEs from the call's start", gw2.arrivals(), t0,
                   [7.5, 8, 9, 11])
    t.expect_count(gw3, 0)
    finals = vc.caller_finals(res)
    t.check([c for c, _ in finals] == [408], "caller's finals %s, one 408 expected" % finals)
    if finals:
        vc.expect_wall(t, "the caller's 408", finals[0][1], vc.wall_of(gw1), 12)
    t.expect_failover_reason(gw2, "resend_exhausted", sends=4, stage="invite")
    fails = vc.vostest(t, "failure")
    got = [(f.get("gw"), f.get("reason"), f.get("sends")) for f in fails]
    t.check(got == [("gw1", "resend_exhausted", "4"), ("gw2", "setup_budget", "4")],
            "failure_route saw (gw, reason, sends) %s" % got)
    if len(fails) == 2:
        left = [int(f.get("budget_left") or -1) for f in fails]
        t.check(abs(left[0] - 4500) <= 20 and left[1] == 0,
                "budget_left in failure_route %s, expected ~4500 then 0" % left)
    got = ([("switch", n.get("attempts"), n.get("stop")) for n in vc.vostest(t, "switch")]
           + [("noswitch", n.get("attempts"), n.get("stop"))
              for n in vc.vostest(t, "noswitch")])
    t.check(got == [("switch", "1", "<null>"), ("noswitch", "2", "setup_budget")],
            "vos_failover() decisions (attempts, $vos(stop)) %s: allowed after gw1, "
            "stop=setup_budget after gw2 expected" % got)


Test(__file__, timeout=30).run(scenario)
