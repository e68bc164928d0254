#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""100+180 gateway, timeout_ringing 4, no backup: the Ringing stage ends the branch
4 s after the 180 with a CANCEL, reason ringing_timeout, and the caller (who got the
180) receives a 408 at that instant."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc


def scenario(t):
    ringing = t.gateway("ringing")
    t.kamailio(gws=[ringing], vos={"timeout_ringing": "4"})
    res = t.sipp("invite", final=408)
    t.expect_sipp_ok(res)
    t.expect_sends(ringing, [0])
    ring = (vc.sent(ringing, 180) or [None])[0]
    vc.expect_at(t, "CANCEL after the 180", vc.first(ringing, "CANCEL"), ring, 4)
    t.expect_count(ringing, 1, "CANCEL")
    ring_wall = [r["wall"] for r in ringing.records("out") if r.get("status") == 180]
    finals = vc.caller_finals(res)
    t.check([c for c, _ in finals] == [408], "caller's finals: %s (one 408 expected)"
            % finals)
    if finals and ring_wall:
        vc.expect_wall(t, "408 to the caller after the 180", finals[0][1], ring_wall[0], 4)
    fails = vc.vostest(t, "failure")
    t.check(len(fails) == 1 and fails[0].get("reason") == "ringing_timeout"
            and fails[0].get("stage") == "ringing" and fails[0].get("code") == "408",
            "failure_route saw %s, expected one: code=408 reason=ringing_timeout "
            "stage=ringing" % fails)


Test(__file__, timeout=20).run(scenario)
