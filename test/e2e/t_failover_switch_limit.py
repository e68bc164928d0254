#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""vos_failover() and gateway_switch_limit (SS_GATEWAY_SWITCH_LIMIT): four silent
gateways, profile "limit2" (list "0.5,0.5", timeout_invite 0, limit 2). Call 1: gw1
gets sends at 0 and 0.5 s, vos_failover() allows gw2 at 1 s ($vos(attempts) 1), gw2
is given up at 2 s and the limit stops the call there: $vos(stop) is switch_limit,
$vos(attempts) 2, gw3 and gw4 never see it and the caller's one final, 408, comes at
2 s. Call 2 raises the limit inline with vos_switch_rules("3", "", "", ""): exactly
three gateways. The counters count each decision once: failover_allowed 3,
stop_switch_limit 2."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc

ROUTE = ('vos_profile("limit2");\n'
         '\tif ($rU == "three") vos_switch_rules("3", "", "", "");')


def scenario(t):
    gws = [t.gateway("silent") for _ in range(4)]
    prof = vc.profiles(t, limit2={"resend_interval": "0.5,0.5", "timeout_invite": 0,
                                  "gateway_switch_limit": 2})
    t.kamailio(gws=gws, vos={"profiles_file": prof}, route=ROUTE,
               failover_route=vc.NOSWITCH)
    res = t.sipp("invite", final=408, user="two", name="sipp-two")
    t.expect_sipp_ok(res)
    t.expect_sends(gws[0], [0, 0.5])
    t.expect_failover(gws[0], gws[1], 1.0)
    t.expect_count(gws[1], 2)
    t.expect_count(gws[2], 0)
    t.expect_count(gws[3], 0)
    finals = vc.caller_finals(res)
    t.check([c for c, _ in finals] == [408], "caller's finals %s, one 408 expected" % finals)
    if finals:
        vc.expect_wall(t, "the caller's 408", finals[0][1], vc.wall_of(gws[0]), 2.0)
    got = ([("switch", n.get("gw"), n.get("attempts"), n.get("stop"))
            for n in vc.vostest(t, "switch")]
           + [("noswitch", n.get("gw"), n.get("attempts"), n.get("stop"))
              for n in vc.vostest(t, "noswitch")])
    t.check(got == [("switch", "gw2", "1", "<null>"),
                    ("noswitch", "gw3", "2", "switch_limit")],
            "vos_failover() decisions (gw asked for, attempts, stop) %s" % got)
    vc.expect_log(t, r"vos_failover: no, stop=switch_limit: 2 gateways tried, "
                     r"gateway_switch_limit 2", 1)

    res = t.sipp("invite", final=408, user="three", name="sipp-three")
    t.expect_sipp_ok(res)
    per_gw = [len(vc.calls(g)) for g in gws]
    t.check(per_gw == [2, 2, 1, 0], "calls per gateway %s after call 2, [2, 2, 1, 0] "
            "expected (call 1 on gw1-2, call 2 on gw1-3)" % per_gw)
    stops = [(n.get("gw"), n.get("attempts"), n.get("stop"))
             for n in vc.vostest(t, "noswitch")]
    t.check(stops[1:] == [("gw4", "3", "switch_limit")],
            "call 2 stopped %s, expected before gw4 with 3 attempts" % stops[1:])
    vc.wait_idle(t)
    want = {"failover_allowed": 3, "stop_switch_limit": 2, "stop_user_busy": 0,
            "stop_ringing_reached": 0, "stop_early_media": 0, "stop_setup_budget": 0,
            "stop_canceled": 0}
    vc.expect_counters(t, want)


Test(__file__, timeout=25).run(scenario)
