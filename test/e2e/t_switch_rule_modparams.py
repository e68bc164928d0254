#!/usr/bin/env python3
"""The four gateway-switch rules as module parameters (the base every profile
inherits): gateway_switch_limit 2 (an integer), switch_stop_after_busy "Off",
switch_until_connect "on", stop_switch_after_sdp 0. vostimer.profile shows them with
source "modparam". A 486 gateway, then a 100+180 gateway (timeout_ringing 1), then
two answering ones: the busy rule is off, so vos_failover() allows gw2; gw2 rings and
times out, until-connect is on, but 2 gateways were tried: stop=switch_limit, the
caller gets 408 and gw3/gw4 never see the call."""
import os, re, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc


def scenario(t):
    gws = [t.gateway("reject:486"), t.gateway("ringing"), t.gateway("answer"),
           t.gateway("answer")]
    t.kamailio(gws=gws, vos={"gateway_switch_limit": 2, "switch_stop_after_busy": "Off",
                             "switch_until_connect": "on", "stop_switch_after_sdp": 0,
                             "timeout_ringing": "1"},
               failover_route=vc.NOSWITCH)
    rc, out = t.rpc("vostimer.profile", "defaults")
    t.note("vostimer.profile defaults:\n" + out)
    for key, val in (("gateway_switch_limit", "2"), ("switch_stop_after_busy", "false"),
                     ("switch_until_connect", "true"), ("stop_switch_after_sdp", "false")):
        m = re.search(r"^\s*%s: (\S+)\s+%s\.from: (.+?)\s*$" % (key, key), out, re.M)
        t.check(m and m.group(1) == val and m.group(2) == "modparam",
                "vostimer.profile defaults: %s %s, expected %s from modparam"
                % (key, m.groups() if m else "missing", val))
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
