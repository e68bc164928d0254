#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""a branch over TCP is never retransmitted: silent gateway over TCP, list "1,2":
one send, and the branch still gives up on time, at 3 s, and fails over."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test


def scenario(t):
    silent, backup = t.gateway("silent"), t.gateway("answer")
    t.kamailio(gws=[(silent, "tcp"), backup], route='vos_resend("1,2");')
    t.expect_sipp_ok(t.sipp("invite", final=200))
    t.expect_sends(silent, [0])
    t.check(all(r["proto"] == "tcp" for r in silent.requests()), "the INVITE did not come over TCP")
    t.expect_failover(silent, backup, 3)
    t.expect_failover_reason(backup, "resend_exhausted", sends=1)


Test(__file__, timeout=20).run(scenario)
