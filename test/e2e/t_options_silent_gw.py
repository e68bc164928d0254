#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""a non-INVITE follows the list too: OPTIONS to a silent gateway with resend_interval
"1,1,1" is sent at 0, 1, 2 s (tm alone would send at 0, 0.5, 1.5, 3.5) and fails over
at 3 s (resend_exhausted)."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test


def scenario(t):
    silent, backup = t.gateway("silent"), t.gateway("answer")
    t.kamailio(gws=[silent, backup], vos={"resend_interval": "1,1,1"})
    t.expect_sipp_ok(t.sipp("options", final=200))
    t.expect_sends(silent, [0, 1, 2], method="OPTIONS")
    t.expect_failover(silent, backup, 3, method="OPTIONS")
    t.expect_failover_reason(backup, "resend_exhausted", sends=3, method="OPTIONS")


Test(__file__, timeout=20).run(scenario)
