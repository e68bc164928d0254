#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""a gateway that answers 100 only to the 3rd copy of the INVITE (after the second
retransmission, 1.5 s): sends at 0, 0.5, 1.5 s and none after the 100; the Trying
stage (vos_timeouts("", "2", "")) then ends the branch at 3.5 s with a CANCEL,
reason trying_timeout, and the call fails over."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test


def scenario(t):
    late, backup = t.gateway("trying-after:3"), t.gateway("answer")
    t.kamailio(gws=[late, backup], route='vos_timeouts("", "2", "");')
    t.expect_sipp_ok(t.sipp("invite", final=200))
    t.expect_sends(late, [0, 0.5, 1.5])
    t.expect_failover(late, backup, 3.5)
    t.expect_failover_reason(backup, "trying_timeout", sends=3, stage="trying")
    t.expect_count(late, 1, "CANCEL")


Test(__file__, timeout=25).run(scenario)
