#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""100 + 183 without SDP (session progress, no early media), modparam
timeout_session_progress 2: the session_progress stage ends the branch 2 s after the
183 with one CANCEL, reason session_progress_timeout, stage session_progress,
$vos(code) 183 (the gateway's last reply); a 183 without SDP is not "ringing reached",
so vos_failover() allows the switch (VOS3000's defaults) and the backup, sent the
INVITE at that instant, answers. Counter session_progress_timeout 1."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc


def scenario(t):
    prog, backup = t.gateway("progress:0"), t.gateway("answer", ring=20)
    t.kamailio(gws=[prog, backup], vos={"timeout_session_progress": "2"},
               failover_route=vc.NOSWITCH)
    t.expect_sipp_ok(t.sipp("invite", final=200))
    t.expect_sends(prog, [0])
    p183 = (vc.sent(prog, 183) or [None])[0]
    vc.expect_at(t, "CANCEL after the 183", vc.first(prog, "CANCEL"), p183, 2)
    vc.expect_at(t, "failover after the 183", vc.first(backup), p183, 2)
    t.expect_count(prog, 1, "CANCEL")
    t.expect_failover_reason(backup, "session_progress_timeout", sends=1,
                             stage="session_progress")
    got = [(f.get("gw"), f.get("code"), f.get("reason"), f.get("stage"), f.get("vcode"))
           for f in vc.vostest(t, "failure")]
    t.check(got == [("gw1", "408", "session_progress_timeout", "session_progress", "183")],
            "failure_route saw (gw, code, reason, stage, $vos(code)) %s; expected one: "
            "gw1 408 session_progress_timeout session_progress 183" % got)
    got = [(s.get("gw"), s.get("stop")) for s in vc.vostest(t, "switch")]
    t.check(got == [("gw2", "<null>")] and not vc.vostest(t, "noswitch"),
            "vos_failover() decisions: switch %s, noswitch %s; one switch to gw2 expected "
            "(a 183 without SDP is not ringing)" % (got, vc.vostest(t, "noswitch")))
    ev = [(e.get("reason"), e.get("stage")) for e in vc.vostest(t, "event")]
    t.check(ev == [("session_progress_timeout", "session_progress")],
            "event route calls (reason, stage) %s" % ev)
    vc.wait_idle(t)
    vc.expect_counters(t, {"session_progress_timeout": 1, "session_progress_sdp_timeout": 0,
                           "ringing_timeout": 0, "trying_timeout": 0})


Test(__file__, timeout=20).run(scenario)
