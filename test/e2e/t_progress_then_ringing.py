#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""100 + 183 without SDP, then 180 1 s later, vos_timeouts("", "", "3", "2", "")
(ringing 3 s, session_progress 2 s): the 180 moves the branch to the ringing stage
and restarts its timer there - nothing ends at 2 s after the 183 (session_progress)
nor at 3 s (a ringing timer counted from the 183); the one CANCEL comes 3 s after the
180 (4 s after the 183), reason ringing_timeout, stage ringing. The 180 is "ringing
reached": vos_failover() says no (stop=ringing_reached) and the caller gets the 408."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc


def scenario(t):
    gw, backup = t.gateway("progress-ring", ring=1000), t.gateway("answer", ring=20)
    t.kamailio(gws=[gw, backup], failover_route=vc.NOSWITCH,
               route='if (!vos_timeouts("", "", "3", "2", "")) '
                     'xlog("L_ERR", "VOSTEST bad vos_timeouts\\n");')
    res = t.sipp("invite", final=408)
    t.expect_sipp_ok(res)
    t.check(not t.log_lines(r"VOSTEST bad"), "vos_timeouts() with 5 values returned false")
    t.expect_sends(gw, [0])
    p183, p180 = (vc.sent(gw, 183) or [None])[0], (vc.sent(gw, 180) or [None])[0]
    vc.expect_at(t, "the gateway's 180 after its 183", p180, p183, 1)
    t.expect_times("CANCELs from the 183 (none at 2 or 3 s)", gw.arrivals("CANCEL"), p183,
                   [4])
    vc.expect_at(t, "CANCEL after the 180", vc.first(gw, "CANCEL"), p180, 3)
    t.expect_count(backup, 0)
    finals = vc.caller_finals(res)
    t.check([c for c, _ in finals] == [408], "caller's finals: %s (one 408 expected)"
            % finals)
    w183 = [r["wall"] for r in gw.records("out") if r.get("status") == 183]
    if finals and w183:
        vc.expect_wall(t, "408 to the caller after the 183", finals[0][1], w183[0], 4)
    got = [(f.get("code"), f.get("reason"), f.get("stage")) for f in vc.vostest(t, "failure")]
    t.check(got == [("408", "ringing_timeout", "ringing")],
            "failure_route saw (code, reason, stage) %s; expected one: 408 "
            "ringing_timeout ringing" % got)
    got = [(n.get("stop"), n.get("attempts")) for n in vc.vostest(t, "noswitch")]
    t.check(got == [("ringing_reached", "1")], "vos_failover() said no with (stop, "
            "attempts) %s, [('ringing_reached', '1')] expected" % got)
    vc.wait_idle(t)
    vc.expect_counters(t, {"ringing_timeout": 1, "session_progress_timeout": 0,
                           "session_progress_sdp_timeout": 0})


Test(__file__, timeout=20).run(scenario)
