#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""a backup gateway that answers at once (100 and 180 within a millisecond of the
INVITE) after a failover: the module must see those replies even though the
failover INVITE is sent from the timer process, inside failure_route, and the
replies reach a SIP worker at once. 150 calls (50 cps), each silent ("0.3":
resend_exhausted at 0.3 s) -> ringing gateway, backup values
vos_timeouts("1", "", "1.5"): every backup branch ends with ringing_timeout 1.5 s
after its 180 (CANCEL then), never with invite_timeout at 1 s."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc

# e2e: alone - 150 calls whose 1.5 s ringing timer starts when a worker handles the 180:
# a worker starved by parallel tests starts it late
CALLS = 150


def scenario(t):
    silent, ringing = t.gateway("silent"), t.gateway("ringing")
    t.kamailio(gws=[silent, ringing], vos={"timeout_invite": "0"},
               route='vos_resend("0.3");', failover_route='vos_timeouts("1", "", "1.5");')
    t.expect_sipp_ok(t.sipp("invite", final=408, calls=CALLS, rate=50, limit=CALLS))
    reasons = [f.get("reason") for f in vc.vostest(t, "failure") if f.get("gw") == "gw2"]
    tally = {r: reasons.count(r) for r in sorted(set(reasons))}
    t.check(reasons == ["ringing_timeout"] * CALLS,
            "the %d backup branches ended with %s; all ringing_timeout expected (a "
            "resend_exhausted or invite_timeout means the module missed the gateway's "
            "immediate 100/180)" % (CALLS, tally))
    late = []
    for cid, _ in vc.calls(ringing):
        ring = (vc.sent(ringing, 180, call_id=cid) or [None])[0]
        cancel = vc.first(ringing, "CANCEL", cid)
        if ring is None or cancel is None or abs((cancel - ring) / 1e6 - 1500) > 15:
            late.append("%s: CANCEL %s ms after the 180" % (
                cid, "-" if None in (ring, cancel) else "%.1f" % ((cancel - ring) / 1e6)))
    t.check(not late, "%d calls without the CANCEL 1500 ms after the 180, e.g.\n  %s"
            % (len(late), "\n  ".join(late[:3])))

Test(__file__, timeout=30).run(scenario)
