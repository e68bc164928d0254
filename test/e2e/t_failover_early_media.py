#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""vos_failover() and early media (SS_SIP_STOP_SWITCH_AFTER_SDP): a gateway sends 100,
183 with SDP (the caller may already hear its announcement), then 480. With
switch_until_connect on (so the ringing rule does not decide) and
stop_switch_after_sdp on, the call is not switched: the caller gets the 183 and the
480, $vos(stop) is early_media. With stop_switch_after_sdp off the call fails over to
the backup and connects. Early media counts only once relayed to the caller: when an
onreply_route drops the 183, the caller hears nothing and the same "sdp-stop"
profile lets the call fail over."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc

ROUTE = ('if ($rU == "keep") vos_profile("sdp-keep"); else vos_profile("sdp-stop");\n'
         '\tif ($rU == "dropped") t_on_reply("DROP_PROVISIONAL");')


def caller_got_183(t, res):
    return any(kind == "received" and first.startswith("SIP/2.0 183 ")
               for _, kind, first, _ in t.sipp_messages(res))


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
    t.check(caller_got_183(t, res), "the caller did not get the 183 (early media)")
    t.expect_count(backup, 0)
    got = [(n.get("stop"), n.get("attempts")) for n in vc.vostest(t, "noswitch")]
    t.check(got == [("early_media", "1")], "vos_failover() said no with (stop, "
            "attempts) %s, [('early_media', '1')] expected" % got)
    vc.expect_log(t, r"vos_failover: no, stop=early_media", 1)

    t.expect_sipp_ok(t.sipp("invite", final=200, user="keep", name="sipp-keep"))
    t.expect_count(early, 2)
    t.expect_count(backup, 1)
    t.expect_failover_reason(backup, "reply", sends=1)

    res = t.sipp("invite", final=200, user="dropped", name="sipp-dropped")
    t.expect_sipp_ok(res)
    t.check(not caller_got_183(t, res), "the onreply_route did not drop the 183")
    t.expect_count(early, 3)
    t.expect_count(backup, 2)
    got = [n.get("gw") for n in vc.vostest(t, "switch")]
    t.check(got == ["gw2", "gw2"], "vos_failover() allowed %s; for the 'keep' and the "
            "'dropped' calls expected" % got)
    t.check(len(vc.vostest(t, "noswitch")) == 1, "vos_failover() said no %d times, 1 "
            "expected" % len(vc.vostest(t, "noswitch")))


Test(__file__, timeout=25).run(scenario)
