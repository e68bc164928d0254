#!/usr/bin/env python3
"""vos_may_switch() and early media: a gateway sends 183 with SDP (the caller may
already hear its announcement), then 480. With switch_until_connect on (so the
ringing rule does not decide) and stop_switch_after_sdp on, the call is not switched:
the caller gets the 480 and the log names the SDP rule; with stop_switch_after_sdp off
the call fails over to the backup and connects."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc

ROUTE = 'if ($rU == "keep") vos_profile("sdp-keep"); else vos_profile("sdp-stop");'


def scenario(t):
    early, backup = t.gateway("early:480", ring=100), t.gateway("answer", ring=20)
    prof = vc.profiles(t, sdp_stop={"switch_until_connect": True,
                                    "stop_switch_after_sdp": True},
                       sdp_keep={"switch_until_connect": True,
                                 "stop_switch_after_sdp": False})
    t.kamailio(gws=[early, backup], vos={"profiles_file": prof}, route=ROUTE,
               failover_route=vc.NOSWITCH)
    res = t.sipp("invite", final=480, user="stop", name="sipp-stop")
    t.expect_sipp_ok(res)
    t.check([c for c, _ in vc.caller_finals(res)] == [480],
            "caller's finals %s, the 480 expected" % vc.caller_finals(res))
    t.expect_count(backup, 0)
    vc.expect_log(t, r"vos_may_switch: no - early media reached the caller", 1)
    t.expect_sipp_ok(t.sipp("invite", final=200, user="keep", name="sipp-keep"))
    t.expect_count(early, 2)
    t.expect_count(backup, 1)
    t.expect_failover_reason(backup, "reply", sends=1)


Test(__file__, timeout=20).run(scenario)
