#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""VOS3000 migration without the tool: modparam vos_import pointing at
etc/vos3000-export.txt makes the export the default profile - no vos_profile() in
the script - so a silent gateway gets the imported timeline: sends at 0, 0.5, 1.5,
3.5, 7.5 s and invite_timeout at 8 s; vostimer.profile defaults says each value came
from the export's line, the two session-progress timeouts (10 and 60 s) included."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc
import rpc_out

FROM = {"resend_interval": 5, "send_retry": 6, "timeout_invite": 7, "timeout_trying": 8,
        "timeout_ringing": 9, "timeout_session_progress": 10,
        "timeout_session_progress_sdp": 11}


def scenario(t):
    silent, backup = t.gateway("silent"), t.gateway("answer", ring=20)
    t.kamailio(gws=[silent, backup], vos={"vos_import": vc.EXPORT})
    rc, shown = t.rpc("vostimer.profile", "defaults")
    have = rpc_out.kamcmd_struct(shown) or {}
    t.check(rpc_out.numbers(have.get("resend_interval")) == [0.5, 1, 2, 4, 4, 4] and
            have.get("timeout_invite") == "8" and
            have.get("timeout_session_progress") == "10" and
            have.get("timeout_session_progress_sdp") == "60",
            "vostimer.profile defaults:\n%s" % shown)
    bad = ["%s.from=%s" % (k, have.get(k + ".from")) for k, line in FROM.items()
           if "%s:%d" % (vc.EXPORT, line) not in (have.get(k + ".from") or "")]
    t.check(not bad, "not traced to the export's lines: " + ", ".join(bad))
    t.expect_sipp_ok(t.sipp("invite", final=200))
    t.expect_sends(silent, [0, 0.5, 1.5, 3.5, 7.5])
    t.expect_failover(silent, backup, 8)
    t.expect_failover_reason(backup, "invite_timeout", sends=5, stage="invite")


Test(__file__, timeout=30).run(scenario)
