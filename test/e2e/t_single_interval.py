#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""a one-interval list "2", silent gateway: one send, no retransmission, failover at
2 s (resend_exhausted, 1 send)."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test


def scenario(t):
    silent, backup = t.gateway("silent"), t.gateway("answer")
    t.kamailio(gws=[silent, backup], route='vos_resend("2");')
    t.expect_sipp_ok(t.sipp("invite", final=200))
    t.expect_sends(silent, [0])
    t.expect_failover(silent, backup, 2)
    t.expect_failover_reason(backup, "resend_exhausted", sends=1)


Test(__file__, timeout=20).run(scenario)
