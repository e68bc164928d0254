#!/usr/bin/env python3
"""vos_may_switch() after ringing: a 100+180 gateway, timeout_ringing 1: the branch
ends with ringing_timeout 1 s after the 180 and, switch_until_connect being off
(VOS3000's default), no other gateway is tried: the caller gets 408."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc


def scenario(t):
    ringing, backup = t.gateway("ringing"), t.gateway("answer", ring=20)
    t.kamailio(gws=[ringing, backup], vos={"timeout_ringing": "1"},
               failover_route=vc.NOSWITCH)
    res = t.sipp("invite", final=408)
    t.expect_sipp_ok(res)
    t.expect_count(backup, 0)
    t.expect_count(ringing, 1, "CANCEL")
    fails = vc.vostest(t, "failure")
    t.check([f.get("reason") for f in fails] == ["ringing_timeout"],
            "failure_route reasons %s" % fails)
    vc.expect_log(t, r"vos_may_switch: no - ringing was reached", 1)


Test(__file__, timeout=20).run(scenario)
