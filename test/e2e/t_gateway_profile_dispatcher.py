#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""gateway profiles from the dispatcher attrs (modparam gateway_profile
"$(xavp(_dsdst_=>attrs){param.value,vosprofile})"), the call's profile "call"
("1,1", timeout_trying 2) as default_profile. Calls at once, by dispatcher set:
  set 1  gw1 silent, vosprofile=fast ("0.5,0.5" and nothing else): sends at 0 and
         0.5 s, failover at 1 s; gw2 silent without the attribute keeps the call's
         "1,1" (sends at 1 and 2 s), failover to the answering gateway at 3 s;
         failure_route's $vos(gateway_profile) is fast, then null; $vos(profile) call
  set 2  a 100-only gateway with vosprofile=fast: one send, and the Trying stage the
         profile leaves unset is the call's 2 s (not VOS3000's 20 s): CANCEL and
         failover 2 s after the 100
  set 3  three calls to a silent gateway whose attrs name a profile that does not
         exist: each keeps the call's values (sends at 0 and 1 s, failover at 2 s)
         and kamailio logs the unknown name on ONE line for the three."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc


def scenario(t):
    fast, plain = t.gateway("silent", name="fast"), t.gateway("silent", name="plain")
    trying, bad = t.gateway("trying", name="fast-trying"), t.gateway("silent", name="bad")
    ans = t.gateway("answer", name="ans", ring=20)
    prof = vc.profiles(t, call={"resend_interval": "1,1", "timeout_invite": 0,
                                "timeout_trying": 2},
                       fast={"resend_interval": "0.5,0.5"})
    vc.dispatcher_relay(t, [(fast, "vosprofile=fast", 1), (plain, "", 1), (ans, "", 1),
                            (trying, "vosprofile=fast", 2), (ans, "", 2),
                            (bad, "vosprofile=nosuch", 3), (ans, "", 3)],
                        vos={"profiles_file": prof, "default_profile": "call",
                             "gateway_profile": vc.GATEWAY_PROFILE_PV})
    users = ["1000", "2000", "3001", "3002", "3003"]
    runs = {u: t.sipp("invite", final=200, user=u, name="sipp-" + u, wait=False)
            for u in users}
    res = {u: t.wait_sipp(p, "sipp-" + u, 20) for u, p in runs.items()}
    cid = {}
    for u in users:
        t.expect_sipp_ok(res[u])
        cid[u] = (vc.call_ids(res[u]) or ["?"])[0]

    # set 1: the gateway profile's list on gw1 only
    c = cid["1000"]
    vc.expect_call(t, "set 1, gw1 (vosprofile=fast)", fast, plain, c, [0, 0.5], 1.0)
    t.expect_times("set 1: INVITEs to plain from gw1's first", plain.arrivals("INVITE", c),
                   vc.first(fast, "INVITE", c), [1.0, 2.0])
    vc.expect_at(t, "set 1: failover to ans", vc.first(ans, "INVITE", c),
                 vc.first(fast, "INVITE", c), 3.0)
    # set 2: the gateway profile inherits the call's Trying stage
    c = cid["2000"]
    t.expect_times("set 2: INVITEs to fast-trying", trying.arrivals("INVITE", c),
                   vc.first(trying, "INVITE", c), [0])
    hundred = (vc.sent(trying, 100, call_id=c) or [None])[0]
    vc.expect_at(t, "set 2: CANCEL after the 100", vc.first(trying, "CANCEL", c), hundred, 2)
    vc.expect_at(t, "set 2: failover after the 100", vc.first(ans, "INVITE", c), hundred, 2)
    # set 3: an unknown profile name: the call's values, one log line
    for u in ("3001", "3002", "3003"):
        vc.expect_call(t, "set 3, %s (vosprofile=nosuch)" % u, bad, ans, cid[u], [0, 1.0],
                       2.0)
    lines = [l for l in t.log_lines(r"nosuch") if "VOSTEST" not in l]
    t.check(len(lines) == 1, "%d log lines name the unknown profile nosuch, one expected "
            "for three calls:\n  %s" % (len(lines), "\n  ".join(lines[:5]) or "(none)"))

    got = sorted((f.get("gw"), f.get("reason"), f.get("stage"), f.get("schedule"),
                  f.get("profile"), f.get("gwprofile")) for f in vc.vostest(t, "failure"))
    unknown = [g for g in got if g[0] == "bad"]
    want = sorted([("fast", "resend_exhausted", "invite", "0.5,0.5", "call", "fast"),
                   ("plain", "resend_exhausted", "invite", "1,1", "call", "<null>"),
                   ("fast-trying", "trying_timeout", "trying", "0.5,0.5", "call", "fast")])
    t.check([g for g in got if g[0] != "bad"] == want,
            "failure_route saw (gw, reason, stage, schedule, profile, gateway_profile) "
            "%s, expected %s" % ([g for g in got if g[0] != "bad"], want))
    t.check(len(unknown) == 3 and all(g[1:5] == ("resend_exhausted", "invite", "1,1", "call")
                                      and g[5] != "nosuch" for g in unknown),
            "failure_route for the unknown profile saw %s; three resend_exhausted invite "
            "1,1 call, no gateway profile named nosuch expected" % unknown)


Test(__file__, timeout=25).run(scenario)
