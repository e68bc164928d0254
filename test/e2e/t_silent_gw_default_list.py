#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""silent gateway, default list, tm's own timers untouched: sends at 0, 0.5, 1.5, 3.5,
7.5, 11.5, 15.5, 19.5, 23.5, 27.5 s (10 sends), failover at 31.5 s with reason
resend_exhausted; the backup answers and the caller is connected.
(timeout_invite 0: with VOS3000's 10 s INVITE stage the list would be cut at 10 s.)"""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test

DEFAULT_SENDS = [0, 0.5, 1.5, 3.5, 7.5, 11.5, 15.5, 19.5, 23.5, 27.5]


def scenario(t):
    silent, backup = t.gateway("silent"), t.gateway("answer")
    t.kamailio(gws=[silent, backup], vos={"timeout_invite": "0"})
    t.expect_sipp_ok(t.sipp("invite", final=200))
    t.expect_sends(silent, DEFAULT_SENDS)
    t.expect_failover(silent, backup, 31.5)
    t.expect_failover_reason(backup, "resend_exhausted", sends=10, stage="invite")
    t.expect_count(silent, 0, "CANCEL")  # nothing to cancel: no provisional came


Test(__file__, timeout=60).run(scenario)
