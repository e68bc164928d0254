#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""send_retry 3 on the default list: 3 retransmissions - sends at 0, 0.5, 1.5, 3.5 s -
and the branch gives up at 7.5 s (the list cut to 0.5,1,2,4)."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test


def scenario(t):
    silent, backup = t.gateway("silent"), t.gateway("answer")
    t.kamailio(gws=[silent, backup], vos={"send_retry": 3})
    t.expect_sipp_ok(t.sipp("invite", final=200))
    t.expect_sends(silent, [0, 0.5, 1.5, 3.5])
    t.expect_failover(silent, backup, 7.5)
    t.expect_failover_reason(backup, "resend_exhausted", sends=4)


Test(__file__, timeout=25).run(scenario)
