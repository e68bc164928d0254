#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""etc/kamailio.cfg as shipped, with -A GW_MIN_RECENT=3 -A GW_MIN_ASR=50: the first
gateway by priority rejects every call (503), the second answers. Six calls one after
the other: the first three try the bad gateway and fail over; from the fourth on,
route[GW_CHECK] reads $vosgw(gwBad=>asr_recent) = 0 over its last 3 branches and skips
it - it gets exactly 3 INVITEs, the good one 6, and vostimer.gateways agrees."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc


def scenario(t):
    bad = t.gateway("reject:503", name="gwBad")
    good = t.gateway("answer", name="gwGood")
    t.example_cfg([(bad, "vosprofile=backup"), (good, "vosprofile=backup")],
                  defines={"GW_MIN_RECENT": 3, "GW_MIN_ASR": 50})
    t.expect_sipp_ok(t.sipp("invite", final=200, calls=6, limit=1, timeout=40))
    vc.wait_idle(t)
    t.expect_count(bad, 3)
    t.expect_count(good, 6)
    skips = t.log_lines(r"skipping gwBad: ASR 0% over its last 3 branches")
    t.check(len(skips) == 3, "%d 'skipping gwBad' lines, 3 expected" % len(skips))
    top = vc.gateways(t)
    b, g = top["list"].get("gwBad", {}), top["list"].get("gwGood", {})
    t.check((b.get("tried"), b.get("rejected"), b.get("reply")) == ("3", "3", "3"),
            "gwBad: tried %s, rejected %s, reply %s (3, 3, 3 expected)"
            % (b.get("tried"), b.get("rejected"), b.get("reply")))
    t.check((g.get("tried"), g.get("answered")) == ("6", "6"),
            "gwGood: tried %s, answered %s (6, 6 expected)"
            % (g.get("tried"), g.get("answered")))


Test(__file__, timeout=60).run(scenario)
