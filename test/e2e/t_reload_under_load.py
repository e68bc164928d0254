#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""100 vostimer.reload while calls flow at 50 cps: 600 calls (sipp -r 50) through an
answering gateway, each choosing vos_profile("route"), while the profiles file is
reloaded 100 times (alternating two versions, one every 0.1 s): every reload answers
ok and every call succeeds (sipp: 600 successful, 0 failed)."""
import os, sys, time
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc
import rpc_out

CALLS, RATE, RELOADS = 600, 50, 100


def version(t, k):
    return vc.profiles(t, route={"resend_interval": "0.5,1,%d" % (2 + k),
                                 "timeout_invite": 0},
                       other={"resend_interval": "1,%d" % (1 + k)})


def scenario(t):
    gw = t.gateway("answer", ring=20)
    version(t, 0)
    t.kamailio(gws=[gw], vos={"profiles_file": t.path("vostimer.profiles")},
               route='if (!vos_profile("route")) xlog("L_ERR", "VOSTEST noprofile\\n");')
    calls = t.sipp("invite", calls=CALLS, rate=RATE, limit=200, hold_ms=100, wait=False)
    time.sleep(0.5)
    bad = 0
    for k in range(RELOADS):
        version(t, (k + 1) % 2)
        rc, out = vc.reload(t, check=False)
        bad += not rpc_out.answered_ok(out)
        time.sleep(0.1)
    res = t.wait_sipp(calls, "sipp-invite", 40)
    t.expect_sipp_ok(res)
    t.check(bad == 0, "%d of %d reloads did not answer ok" % (bad, RELOADS))
    counts = vc.sipp_counts(t, res)
    t.note("sipp: %s" % counts)
    t.check(counts.get("ok") == CALLS and counts.get("failed") == 0,
            "sipp counted %s; %d successful and 0 failed expected" % (counts, CALLS))
    t.check(len(vc.calls(gw)) == CALLS, "the gateway got %d calls, %d expected"
            % (len(vc.calls(gw)), CALLS))
    t.check(not vc.vostest(t, "noprofile"), "vos_profile(\"route\") failed %d times"
            % len(vc.vostest(t, "noprofile")))
    reloads = t.log_lines(r"vostimer\.reload: 3 profiles from")
    t.check(len(reloads) == RELOADS, "%d reloads logged, %d expected"
            % (len(reloads), RELOADS))


Test(__file__, timeout=80).run(scenario)
