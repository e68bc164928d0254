#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""the caller CANCELs while ringing: 100+180 gateway, timeout_ringing 5, the caller
sends CANCEL ~1 s after the 180. The gateway gets kamailio's CANCEL at once (±15 ms of
the caller's), the caller gets 200 + 487, and the Ringing stage timer is gone: 6 s
after the 180 no branch-timeout event was logged and the ringing_timeout counter is 0.
In failure_route (the gateway's 487) $vos(stop) is "canceled": no failover."""
import os, sys, time
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test, CFG_DIR
import vos_checks as vc


def scenario(t):
    ringing = t.gateway("ringing")
    t.kamailio(gws=[ringing], vos={"timeout_ringing": "5"})
    # sipp's own "cancel" scenario cannot pause through a 180: CANCEL after the 180
    t.SCENARIOS = dict(Test.SCENARIOS,
                       cancel_ringing=os.path.join(CFG_DIR, "uac_cancel_after_180.xml"))
    res = t.sipp("cancel_ringing", cancel_ms=1000)
    t.expect_sipp_ok(res)
    t.expect_sends(ringing, [0])
    ring = (vc.sent(ringing, 180) or [None])[0]
    cancel = vc.first(ringing, "CANCEL")
    vc.expect_at(t, "gateway's CANCEL after its 180", cancel, ring, 1.0, tol_ms=30)
    t.expect_count(ringing, 1, "CANCEL")
    caller_cancel = [w for w, d, l in vc.caller_trace(res) if d == "out"
                     and l.startswith("CANCEL ")]
    gw_cancel = vc.wall_of(ringing, "CANCEL")
    t.check(caller_cancel, "the caller's CANCEL is not in sipp's trace")
    if caller_cancel:
        vc.expect_wall(t, "CANCEL relayed to the gateway", gw_cancel, caller_cancel[0], 0,
                       tol_ms=15)
    finals = [c for c, _ in vc.caller_finals(res)]
    t.check(487 in finals and 408 not in finals,
            "caller's finals %s: 487 expected, no 408" % finals)
    # past the instant the Ringing stage would have ended (180 + 5 s), plus margin
    if ring is not None:
        wait = ring / 1e9 + 6.0 - time.monotonic()
        if wait > 0:
            time.sleep(wait)
    ev = t.log_lines(r"VOSTEST event")
    t.check(not ev, "branch-timeout event(s) after the caller's CANCEL:\n  %s"
            % "\n  ".join(ev))
    st = vc.vos_stats(t)
    t.check(st.get("ringing_timeout") == 0 and st.get("scheduled") == 0,
            "counters 6 s after the 180: ringing_timeout=%s scheduled=%s (0 and 0 "
            "expected)" % (st.get("ringing_timeout"), st.get("scheduled")))
    late = [r for r in ringing.records("in") if r.get("status") is None
            and r["method"] in ("INVITE", "CANCEL") and cancel and vc.rx_ns(r) > cancel]
    t.check(not late, "the gateway got %d INVITE/CANCEL after the first CANCEL" % len(late))
    reasons = [f.get("reason") for f in vc.vostest(t, "failure")]
    t.check("ringing_timeout" not in reasons, "failure_route saw %s" % reasons)
    stops = [(f.get("stop"), f.get("attempts")) for f in vc.vostest(t, "failure")]
    t.check(stops == [("canceled", "1")], "failure_route saw $vos(stop), $vos(attempts) "
            "%s; [('canceled', '1')] expected: no failover after the caller's CANCEL"
            % stops)


Test(__file__, timeout=20).run(scenario)
