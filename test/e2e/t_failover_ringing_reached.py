#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""vos_failover() after ringing (SS_GATEWAY_SWITCH_UNTIL_CONNECT): a 100+180 gateway,
timeout_ringing 1: the branch ends with ringing_timeout 1 s after the 180 (CANCELed).
With switch_until_connect off (VOS3000's default) no other gateway is tried: the
caller gets 408, $vos(stop) is ringing_reached. With it on (inline,
vos_switch_rules("", "", "on", "")) the call switches to the backup, which answers."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc

ROUTE = 'if ($rU == "connect") vos_switch_rules("", "", "on", "");'


def scenario(t):
    ringing, backup = t.gateway("ringing"), t.gateway("answer", ring=20)
    t.kamailio(gws=[ringing, backup], vos={"timeout_ringing": "1"}, route=ROUTE,
               failover_route=vc.NOSWITCH)
    res = t.sipp("invite", final=408, user="stop", name="sipp-stop")
    t.expect_sipp_ok(res)
    t.expect_count(backup, 0)
    t.expect_count(ringing, 1, "CANCEL")
    fails = vc.vostest(t, "failure")
    t.check([f.get("reason") for f in fails] == ["ringing_timeout"],
            "failure_route reasons %s" % fails)
    got = [(n.get("stop"), n.get("attempts")) for n in vc.vostest(t, "noswitch")]
    t.check(got == [("ringing_reached", "1")], "vos_failover() said no with (stop, "
            "attempts) %s, [('ringing_reached', '1')] expected" % got)
    vc.expect_log(t, r"vos_failover: no, stop=ringing_reached", 1)

    res = t.sipp("invite", final=200, user="connect", name="sipp-connect")
    t.expect_sipp_ok(res)
    t.expect_count(ringing, 2)
    t.expect_count(backup, 1)
    t.expect_failover_reason(backup, "ringing_timeout", stage="ringing")
    got = [(n.get("gw"), n.get("attempts")) for n in vc.vostest(t, "switch")]
    t.check(got == [("gw2", "1")], "vos_failover() allowed %s, [('gw2', '1')] expected"
            % got)
    # the backup's INVITE left 1 s after the 180 of the first gateway
    c2 = vc.calls(ringing)[1][0]
    r180 = vc.sent(ringing, 180, call_id=c2)
    if r180:
        vc.expect_at(t, "the backup's INVITE", backup.arrivals()[0], r180[0], 1.0)


Test(__file__, timeout=20).run(scenario)
