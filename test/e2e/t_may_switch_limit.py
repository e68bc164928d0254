#!/usr/bin/env python3
"""vos_may_switch() with gateway_switch_limit 2 (profile "limit2", list "0.5,0.5",
timeout_invite 0): three silent gateways; gw1 is given up at 1 s, gw2 is tried and
given up at 2 s, then the limit stops the switch: gw3 never gets the call and the
caller's 408 comes at 2 s."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc


def scenario(t):
    gws = [t.gateway("silent"), t.gateway("silent"), t.gateway("silent")]
    prof = vc.profiles(t, limit2={"resend_interval": "0.5,0.5", "timeout_invite": 0,
                                  "gateway_switch_limit": 2})
    t.kamailio(gws=gws, vos={"profiles_file": prof}, route='vos_profile("limit2");',
               failover_route=vc.NOSWITCH)
    res = t.sipp("invite", final=408)
    t.expect_sipp_ok(res)
    t.expect_sends(gws[0], [0, 0.5])
    t.expect_failover(gws[0], gws[1], 1.0)
    t.expect_count(gws[2], 0)
    finals = vc.caller_finals(res)
    t.check([c for c, _ in finals] == [408], "caller's finals %s, one 408 expected" % finals)
    if finals:
        vc.expect_wall(t, "the caller's 408", finals[0][1], vc.wall_of(gws[0]), 2.0)
    t.check([n.get("gw") for n in vc.vostest(t, "noswitch")] == ["gw3"],
            "vos_may_switch() said no %s, expected once, before gw3"
            % vc.vostest(t, "noswitch"))
    vc.expect_log(t, r"vos_may_switch: no - gateway_switch_limit", 1)


Test(__file__, timeout=20).run(scenario)
