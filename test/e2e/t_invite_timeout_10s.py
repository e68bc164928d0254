#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""silent gateway, default list, timeout_invite 10 (VOS3000's default): sends at 0,
0.5, 1.5, 3.5, 7.5 s, then the INVITE stage ends the branch at 10 s with reason
invite_timeout (no CANCEL: nothing came back) and the call fails over."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test


def scenario(t):
    silent, backup = t.gateway("silent"), t.gateway("answer", ring=20)
    t.kamailio(gws=[silent, backup], vos={"timeout_invite": "10"})
    t.expect_sipp_ok(t.sipp("invite", final=200))
    t.expect_sends(silent, [0, 0.5, 1.5, 3.5, 7.5])
    t.expect_failover(silent, backup, 10)
    t.expect_failover_reason(backup, "invite_timeout", sends=5, stage="invite")
    t.expect_count(silent, 0, "CANCEL")


Test(__file__, timeout=30).run(scenario)
