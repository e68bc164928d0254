#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""failover chain silent -> late-100 -> live, values changed per route: the first
branch runs "0.5,1,2" (timeout_invite 0): sends at 0, 0.5, 1.5, resend_exhausted at
3.5 s. failure_route sets vos_resend("0.5,0.5") and vos_timeouts("", "1.5", "") for
the backups: gw2 (100 only to the 2nd copy) gets sends at 3.5 and 4.0 s, its 100 at
4.0 starts a 1.5 s Trying stage: CANCEL and trying_timeout at 5.5 s, when gw3
(answering) gets the call."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc


def scenario(t):
    gw1, gw2 = t.gateway("silent"), t.gateway("trying-after:2")
    gw3 = t.gateway("answer", ring=20)
    t.kamailio(gws=[gw1, gw2, gw3], vos={"timeout_invite": "0"},
               route='vos_resend("0.5,1,2");',
               failover_route='vos_resend("0.5,0.5"); vos_timeouts("", "1.5", "");')
    t.expect_sipp_ok(t.sipp("invite", final=200))
    t0 = vc.first(gw1)
    t.expect_sends(gw1, [0, 0.5, 1.5])
    t.expect_times("gw2 INVITEs from the call's start", gw2.arrivals(), t0, [3.5, 4.0])
    t.expect_times("gw2's 100 from the call's start", vc.sent(gw2, 100)[:1], t0, [4.0])
    t.expect_times("gw2's CANCEL from the call's start", gw2.arrivals("CANCEL"), t0,
                   [5.5])
    t.expect_failover(gw1, gw2, 3.5)
    t.expect_failover(gw1, gw3, 5.5)
    t.expect_count(gw1, 0, "CANCEL")
    t.expect_count(gw3, 1, "INVITE")
    t.expect_failover_reason(gw2, "resend_exhausted", sends=3, stage="invite")
    t.expect_failover_reason(gw3, "trying_timeout", sends=2, stage="trying")
    fails = vc.vostest(t, "failure")
    got = [(f.get("gw"), f.get("reason"), f.get("schedule")) for f in fails]
    t.check(got == [("gw1", "resend_exhausted", "0.5,1,2"),
                    ("gw2", "trying_timeout", "0.5,0.5")],
            "failure_route saw (gw, reason, schedule) %s" % got)


Test(__file__, timeout=25).run(scenario)
