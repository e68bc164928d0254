#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The four gateway-switch rules as module parameters (the base every profile
inherits): gateway_switch_limit 2 (an integer), switch_stop_after_busy "Off",
switch_until_connect "on", stop_switch_after_sdp 0. vostimer.profile shows them - 2
and, as kamcmd prints booleans, 0, 1, 0 - with source "modparam". A 486 gateway, then
a 100+180 gateway (timeout_ringing 1), then two answering ones: the busy rule is off,
so vos_failover() allows gw2; gw2 rings and times out, until-connect is on, but 2
gateways were tried: stop=switch_limit, the caller gets 408 and gw3/gw4 never see the
call."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc
import rpc_out


def scenario(t):
    gws = [t.gateway("reject:486"), t.gateway("ringing"), t.gateway("answer"),
           t.gateway("answer")]
    t.kamailio(gws=gws, vos={"gateway_switch_limit": 2, "switch_stop_after_busy": "Off",
                             "switch_until_connect": "on", "stop_switch_after_sdp": 0,
                             "timeout_ringing": "1"},
               failover_route=vc.NOSWITCH)
    rc, out = t.rpc("vostimer.profile", "defaults")
    t.note("vostimer.profile defaults:\n" + out)
    have = rpc_out.kamcmd_struct(out) or {}
    for key, val in (("gateway_switch_limit", "2"), ("switch_stop_after_busy", "0"),
                     ("switch_until_connect", "1"), ("stop_switch_after_sdp", "0")):
        got = (have.get(key), have.get(key + ".from"))
        t.check(got == (val, "modparam"),
                "vostimer.profile defaults: %s %s, expected %s from modparam"
                % (key, got, val))
    res = t.sipp("invite", final=408)
    t.expect_sipp_ok(res)
    t.expect_count(gws[0], 1)
    t.expect_count(gws[1], 1)
    t.expect_count(gws[2], 0)
    t.expect_count(gws[3], 0)
    got = ([("switch", n.get("attempts"), n.get("stop")) for n in vc.vostest(t, "switch")]
           + [("noswitch", n.get("attempts"), n.get("stop"))
              for n in vc.vostest(t, "noswitch")])
    t.check(got == [("switch", "1", "<null>"), ("noswitch", "2", "switch_limit")],
            "vos_failover() decisions (attempts, stop) %s" % got)


Test(__file__, timeout=20).run(scenario)
