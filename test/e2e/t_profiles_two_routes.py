#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""two routes, two profiles: calls to "fast" use vos_profile("fast-failover")
("0.5,0.5": sends at 0, 0.5 s, failover at 1 s), calls to "slow" use
vos_profile("slow-gw") ("1,1,1": sends at 0, 1, 2 s, failover at 3 s); each call's
silent gateway sees its own timeline and failure_route names the profile."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc

ROUTE = 'if ($rU == "fast") vos_profile("fast-failover"); else vos_profile("slow-gw");'


def scenario(t):
    silent, backup = t.gateway("silent"), t.gateway("answer", ring=20)
    prof = vc.profiles(t, fast_failover={"resend_interval": "0.5,0.5", "timeout_invite": 0},
                       slow_gw={"resend_interval": "1,1,1", "timeout_invite": 0})
    t.kamailio(gws=[silent, backup], vos={"profiles_file": prof}, route=ROUTE)
    fast = t.sipp("invite", user="fast", name="sipp-fast", wait=False)
    slow = t.sipp("invite", user="slow", name="sipp-slow", wait=False)
    fast, slow = t.wait_sipp(fast, "sipp-fast", 20), t.wait_sipp(slow, "sipp-slow", 20)
    t.expect_sipp_ok(fast)
    t.expect_sipp_ok(slow)
    cf, cs = (vc.call_ids(fast) or ["?"])[0], (vc.call_ids(slow) or ["?"])[0]
    vc.expect_call(t, "fast", silent, backup, cf, [0, 0.5], 1.0)
    vc.expect_call(t, "slow", silent, backup, cs, [0, 1, 2], 3.0)
    got = sorted((f.get("profile"), f.get("schedule"), f.get("reason"))
                 for f in vc.vostest(t, "failure"))
    t.check(got == [("fast-failover", "0.5,0.5", "resend_exhausted"),
                    ("slow-gw", "1,1,1", "resend_exhausted")],
            "failure_route saw (profile, schedule, reason) %s" % got)


Test(__file__, timeout=20).run(scenario)
