#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""VOS3000 migration with the tool: vos2kam turns etc/vos3000-export.txt
(SS_SIP_RESEND_INTERVAL 0.5,1,2,4,4,4, SS_SIP_SEND_RETRY 6, SS_SIP_TIMEOUT_INVITE 8,
TRYING 15, RINGING 90, SS_GATEWAY_SWITCH_LIMIT 3) into a profile file, warning that
the 8 s INVITE stage cuts the list; kamailio loads it (profiles_file) and a route
with vos_profile("vos3000") gives a silent gateway sends at 0, 0.5, 1.5, 3.5, 7.5 s
and invite_timeout at 8 s, as VOS3000 would."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc
import rpc_out

# as kamcmd prints them: the list as numbers, true as 1
IMPORTED = {"resend_interval": [0.5, 1, 2, 4, 4, 4], "send_retry": "6",
            "timeout_invite": "8", "timeout_trying": "15", "timeout_ringing": "90",
            "gateway_switch_limit": "3", "switch_stop_after_busy": "1",
            "stop_switch_after_sdp": "1"}


def scenario(t):
    t.require(os.access(vc.VOS2KAM, os.X_OK), "no %s: make tools" % vc.VOS2KAM)
    rc, prof, err = vc.vos2kam(t)
    t.require(rc == 0 and os.path.exists(prof), "vos2kam exited %d:\n%s" % (rc, err))
    t.check("SS_SIP_TIMEOUT_INVITE" in err and "warning" in err,
            "vos2kam did not warn that timeout_invite cuts the list:\n%s" % err)
    silent, backup = t.gateway("silent"), t.gateway("answer", ring=20)
    t.kamailio(gws=[silent, backup], vos={"profiles_file": prof},
               route='vos_profile("vos3000");')
    rc, shown = t.rpc("vostimer.profile", "vos3000")
    have = rpc_out.kamcmd_struct(shown) or {}
    have["resend_interval"] = rpc_out.numbers(have.get("resend_interval"))
    bad = vc.mismatches(have, IMPORTED)
    t.check(not bad, "vostimer.profile vos3000: " + ", ".join(bad))
    t.expect_sipp_ok(t.sipp("invite", final=200))
    t.expect_sends(silent, [0, 0.5, 1.5, 3.5, 7.5])
    t.expect_failover(silent, backup, 8)
    t.expect_failover_reason(backup, "invite_timeout", sends=5, stage="invite")
    t.check([f.get("profile") for f in vc.vostest(t, "failure")] == ["vos3000"],
            "failure_route's $vos(profile): %s" % vc.vostest(t, "failure"))


Test(__file__, timeout=30).run(scenario)
