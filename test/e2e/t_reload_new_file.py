#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""vostimer.reload of a changed profiles file changes the next call, not the call in
progress: call A starts under profile "route" = "1,1,1" (sends at 0, 1, 2 s, failover
at 3 s); 0.4 s later the file says "0.5,0.5" and is reloaded; call B, placed after the
reload, gets sends at 0, 0.5 s and fails over at 1 s while call A keeps its own
timeline to the end."""
import os, sys, time
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc
import rpc_out


def scenario(t):
    silent, backup = t.gateway("silent"), t.gateway("answer", ring=20)
    prof = vc.profiles(t, route={"resend_interval": "1,1,1", "timeout_invite": 0})
    t.kamailio(gws=[silent, backup], vos={"profiles_file": prof},
               route='vos_profile("route");')
    a = t.sipp("invite", name="sipp-a", wait=False)
    deadline = time.monotonic() + 3
    while not silent.arrivals() and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.4)
    vc.profiles(t, route={"resend_interval": "0.5,0.5", "timeout_invite": 0})
    rc, out = vc.reload(t)
    t.check(rpc_out.answered_ok(out), "vostimer.reload said: %s" % out.strip())
    rc, out = t.rpc("vostimer.profile", "route")
    route = rpc_out.kamcmd_struct(out) or {}
    t.check(rpc_out.numbers(route.get("resend_interval")) == [0.5, 0.5],
            "vostimer.profile route after the reload: %s" % out.strip())
    b = t.sipp("invite", name="sipp-b", wait=False)
    a, b = t.wait_sipp(a, "sipp-a", 20), t.wait_sipp(b, "sipp-b", 20)
    t.expect_sipp_ok(a)
    t.expect_sipp_ok(b)
    ca, cb = (vc.call_ids(a) or ["?"])[0], (vc.call_ids(b) or ["?"])[0]
    vc.expect_call(t, "call A (before the reload)", silent, backup, ca, [0, 1, 2], 3.0)
    vc.expect_call(t, "call B (after the reload)", silent, backup, cb, [0, 0.5], 1.0)


Test(__file__, timeout=20).run(scenario)
