#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""silent gateway, timeout_invite 0, vos_resend("0.5,1,1"): sends at 0, 0.5, 1.5 s and
the schedule runs out at 2.5 s: reason resend_exhausted, 3 sends, failover at 2.5 s."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test


def scenario(t):
    silent, backup = t.gateway("silent"), t.gateway("answer", ring=20)
    t.kamailio(gws=[silent, backup], vos={"timeout_invite": "0"},
               route='vos_resend("0.5,1,1");')
    t.expect_sipp_ok(t.sipp("invite", final=200))
    t.expect_sends(silent, [0, 0.5, 1.5])
    t.expect_failover(silent, backup, 2.5)
    t.expect_failover_reason(backup, "resend_exhausted", sends=3, stage="invite")


Test(__file__, timeout=20).run(scenario)
