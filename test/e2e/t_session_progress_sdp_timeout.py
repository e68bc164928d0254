#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""100 + 183 with SDP (early media), vos_timeout("session_progress_sdp", "3") in
request_route: the session_progress_sdp stage ends the branch 3 s after the 183 with
one CANCEL, reason session_progress_sdp_timeout; the early media reached the caller,
so vos_failover() says no (stop=early_media), the backup gets no INVITE and the
caller gets the 408 at that instant. Counter session_progress_sdp_timeout 1."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc


def scenario(t):
    early, backup = t.gateway("early:0"), t.gateway("answer", ring=20)
    t.kamailio(gws=[early, backup], failover_route=vc.NOSWITCH,
               route='if (!vos_timeout("session_progress_sdp", "3")) '
                     'xlog("L_ERR", "VOSTEST bad vos_timeout\\n");')
    res = t.sipp("invite", final=408)
    t.expect_sipp_ok(res)
    t.check(not t.log_lines(r"VOSTEST bad"), "vos_timeout() returned false")
    t.expect_sends(early, [0])
    p183 = (vc.sent(early, 183) or [None])[0]
    vc.expect_at(t, "CANCEL after the 183 with SDP", vc.first(early, "CANCEL"), p183, 3)
    t.expect_count(early, 1, "CANCEL")
    t.expect_count(backup, 0)
    finals = vc.caller_finals(res)
    t.check([c for c, _ in finals] == [408], "caller's finals: %s (one 408 expected)"
            % finals)
    w183 = [r["wall"] for r in early.records("out") if r.get("status") == 183]
    if finals and w183:
        vc.expect_wall(t, "408 to the caller after the 183", finals[0][1], w183[0], 3)
    got = [(f.get("code"), f.get("reason"), f.get("stage")) for f in vc.vostest(t, "failure")]
    t.check(got == [("408", "session_progress_sdp_timeout", "session_progress_sdp")],
            "failure_route saw (code, reason, stage) %s; expected one: 408 "
            "session_progress_sdp_timeout session_progress_sdp" % got)
    got = [(n.get("stop"), n.get("attempts")) for n in vc.vostest(t, "noswitch")]
    t.check(got == [("early_media", "1")], "vos_failover() said no with (stop, attempts) "
            "%s, [('early_media', '1')] expected" % got)
    vc.wait_idle(t)
    vc.expect_counters(t, {"session_progress_sdp_timeout": 1, "session_progress_timeout": 0,
                           "ringing_timeout": 0, "stop_early_media": 1})


Test(__file__, timeout=20).run(scenario)
