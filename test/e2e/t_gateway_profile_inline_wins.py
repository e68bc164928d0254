#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""values set inline by the script beat the branch's gateway profile: a silent
dispatcher gateway with vosprofile=fast ("0.5,0.5"), three calls at once:
  plain   nothing inline: the gateway profile's sends at 0 and 0.5 s, failover at 1 s
  branch  vos_resend("1,1") in branch_route: sends at 0 and 1 s, failover at 2 s
  route   vos_resend("1,1,1") in request_route before t_relay(): sends at 0, 1 and
          2 s, failover at 3 s
failure_route names the gateway profile (fast) for all three and shows the schedule
the branch really had."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc

# user: (sends, failover at, schedule)
CALLS = {"plain": ([0, 0.5], 1.0, "0.5,0.5"), "branch": ([0, 1.0], 2.0, "1,1"),
         "route": ([0, 1.0, 2.0], 3.0, "1,1,1")}


def scenario(t):
    silent, ans = t.gateway("silent", name="fast"), t.gateway("answer", name="ans", ring=20)
    prof = vc.profiles(t, fast={"resend_interval": "0.5,0.5"})
    vc.dispatcher_relay(t, [(silent, "vosprofile=fast"), (ans, "")],
                        vos={"profiles_file": prof, "timeout_invite": "0",
                             "gateway_profile": vc.GATEWAY_PROFILE_PV},
                        route='if ($rU == "route") vos_resend("1,1,1");',
                        branch_route='if ($rU == "branch" && $avp(gw) == "fast") '
                                     'vos_resend("1,1");')
    runs = {u: t.sipp("invite", final=200, user=u, name="sipp-" + u, wait=False)
            for u in CALLS}
    res = {u: t.wait_sipp(p, "sipp-" + u, 20) for u, p in runs.items()}
    for u, (sends, fo, _) in CALLS.items():
        t.expect_sipp_ok(res[u])
        cid = (vc.call_ids(res[u]) or ["?"])[0]
        vc.expect_call(t, u, silent, ans, cid, sends, fo)
    got = sorted((f.get("schedule"), f.get("gw"), f.get("reason"), f.get("gwprofile"))
                 for f in vc.vostest(t, "failure"))
    want = sorted((s, "fast", "resend_exhausted", "fast") for _, _, s in CALLS.values())
    t.check(got == want, "failure_route saw (schedule, gw, reason, gateway_profile) %s, "
            "expected %s" % (got, want))


Test(__file__, timeout=20).run(scenario)
