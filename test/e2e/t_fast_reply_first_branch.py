#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""a gateway that answers at once (100 and 180 within a millisecond of the INVITE):
the module must see those replies, whichever SIP worker gets them. 200 calls (50 cps)
to a ringing gateway, vos_resend("0.3"), timeout_invite 0, timeout_ringing 1: every
branch ends with ringing_timeout 1 s after its 180, never with resend_exhausted at
0.3 s (which would CANCEL a ringing call)."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc

# e2e: alone - 200 calls whose 1 s ringing timer starts when a worker handles the 180:
# a worker starved by parallel tests starts it late
CALLS = 200


def scenario(t):
    ringing = t.gateway("ringing")
    t.kamailio(gws=[ringing], vos={"timeout_invite": "0", "timeout_ringing": "1"},
               route='vos_resend("0.3");')
    t.expect_sipp_ok(t.sipp("invite", final=408, calls=CALLS, rate=50, limit=CALLS))
    reasons = [f.get("reason") for f in vc.vostest(t, "failure")]
    tally = {r: reasons.count(r) for r in sorted(set(reasons))}
    t.check(reasons == ["ringing_timeout"] * CALLS,
            "the %d branches ended with %s; all ringing_timeout expected (resend_exhausted "
            "means the module missed the gateway's immediate 100/180)" % (CALLS, tally))
    late = []
    for cid, _ in vc.calls(ringing):
        ring = (vc.sent(ringing, 180, call_id=cid) or [None])[0]
        cancel = vc.first(ringing, "CANCEL", cid)
        if ring is None or cancel is None or abs((cancel - ring) / 1e6 - 1000) > 15:
            late.append("%s: CANCEL %s ms after the 180" % (
                cid, "-" if None in (ring, cancel) else "%.1f" % ((cancel - ring) / 1e6)))
    t.check(not late, "%d calls without the CANCEL 1000 ms after the 180, e.g.\n  %s"
            % (len(late), "\n  ".join(late[:3])))


Test(__file__, timeout=30).run(scenario)
