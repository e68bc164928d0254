#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""vos_resend("0.5,0.5,1,1,2,2,4,4,4,4") in request_route, silent gateway: sends at
0, 0.5, 1, 2, 3, 5, 7, 11, 15, 19 s, failover at 23 s (resend_exhausted)."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test


def scenario(t):
    silent, backup = t.gateway("silent"), t.gateway("answer")
    t.kamailio(gws=[silent, backup], vos={"timeout_invite": "0"},
               route='vos_resend("0.5,0.5,1,1,2,2,4,4,4,4");')
    t.expect_sipp_ok(t.sipp("invite", final=200))
    t.expect_sends(silent, [0, 0.5, 1, 2, 3, 5, 7, 11, 15, 19])
    t.expect_failover(silent, backup, 23)
    t.expect_failover_reason(backup, "resend_exhausted", sends=10)


Test(__file__, timeout=50).run(scenario)
