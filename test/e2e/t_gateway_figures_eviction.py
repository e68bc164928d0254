#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""gateway_max 2, three gateways named by default (host:port): a call ringing on
gw1 while gw2 answers one, then gw3's first call evicts gw2 - the idle one, not gw1,
older but with a branch still active; once gw1's call is CANCELed, gw2 comes back
and evicts gw3 (now the least recently used) with its figures from zero. The
eviction count, the lists and the counters are exact at each step, and
vostimer.gateways_reset zeroes one gateway, then all (evictions included)."""
import os, sys, time
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test, CFG_DIR
import vos_checks as vc


def scenario(t):
    ring, gw2, gw3 = (t.gateway("ringing", name="gw1"), t.gateway("answer", name="gw2"),
                      t.gateway("answer", name="gw3"))
    name = {g: "127.0.0.1:%d" % g.port for g in (ring, gw2, gw3)}
    route = ('if ($rU == "b") $du = "%s"; else if ($rU == "c") $du = "%s";'
             % (gw2.uri(), gw3.uri()))
    t.kamailio(gws=[ring], route=route, vos={"gateway_max": 2})

    def expect(step, names, evicted, fields):
        top = vc.gateways(t)
        t.check(sorted(top["list"]) == sorted(name[g] for g in names),
                "%s: the table holds %s, %s expected" % (
                    step, sorted(top["list"]), sorted(name[g] for g in names)))
        t.check(top.get("evicted") == str(evicted), "%s: evicted %s, %d expected"
                % (step, top.get("evicted"), evicted))
        for g, want in fields.items():
            got = top["list"].get(name[g], {})
            bad = vc.mismatches({k: int(got[k]) for k in want if k in got}, want)
            t.check(not bad, "%s: %s %s" % (step, g.name, ", ".join(bad)))

    # sipp's own "cancel" scenario cannot pause through a 180: CANCEL after the 180
    t.SCENARIOS = dict(Test.SCENARIOS,
                       cancel_ringing=os.path.join(CFG_DIR, "uac_cancel_after_180.xml"))
    ringing = t.sipp("cancel_ringing", cancel_ms=3000, user="a", wait=False,
                     name="sipp-ring")
    time.sleep(0.5)
    t.expect_sipp_ok(t.sipp("invite", final=200, user="b", name="sipp-b1"))
    expect("gw1 ringing, gw2 answered", [ring, gw2], 0,
           {ring: {"tried": 1, "active": 1}, gw2: {"tried": 1, "answered": 1}})
    t.expect_sipp_ok(t.sipp("invite", final=200, user="c", name="sipp-c"))
    expect("gw3's first call", [ring, gw3], 1,
           {ring: {"tried": 1, "active": 1}, gw3: {"tried": 1, "answered": 1}})
    t.expect_sipp_ok(t.wait_sipp(ringing, "sipp-ring", 10))
    vc.wait_idle(t)
    expect("gw1's call CANCELed", [ring, gw3], 1,
           {ring: {"tried": 1, "canceled": 1, "active": 0}})
    t.expect_sipp_ok(t.sipp("invite", final=200, user="b", name="sipp-b2"))
    vc.wait_idle(t)
    expect("gw2 again", [ring, gw2], 2,
           {ring: {"tried": 1, "canceled": 1}, gw2: {"tried": 1, "answered": 1}})

    rc, out = t.rpc("vostimer.gateways_reset", name[gw2])
    t.check("reset: 1" in out, "gateways_reset %s: %s" % (name[gw2], out.strip()))
    expect("gw2 reset", [ring, gw2], 2,
           {ring: {"tried": 1, "canceled": 1}, gw2: {"tried": 0, "answered": 0}})
    rc, out = t.rpc("vostimer.gateways_reset", "127.0.0.1:1", check=False)
    t.check("404" in out, "gateways_reset of an unknown gateway: %s" % out.strip())
    rc, out = t.rpc("vostimer.gateways_reset")
    t.check("reset: 2" in out, "gateways_reset: %s" % out.strip())
    expect("all reset", [ring, gw2], 0, {ring: {"tried": 0, "canceled": 0}})


Test(__file__, timeout=60).run(scenario)
