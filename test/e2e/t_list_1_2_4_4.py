#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""modparam resend_interval "1,2,4,4", silent gateway: sends at 0, 1, 3, 7 s,
failover at 11 s (resend_exhausted, 4 sends)."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test


def scenario(t):
    silent, backup = t.gateway("silent"), t.gateway("answer")
    t.kamailio(gws=[silent, backup], vos={"resend_interval": "1,2,4,4", "timeout_invite": "0"})
    t.expect_sipp_ok(t.sipp("invite", final=200))
    t.expect_sends(silent, [0, 1, 3, 7])
    t.expect_failover(silent, backup, 11)
    t.expect_failover_reason(backup, "resend_exhausted", sends=4)


Test(__file__, timeout=30).run(scenario)
