#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""a failover branch starts its schedule from zero: two silent gateways, then an
answering one, list "0.5,1,2": gw1 sent at 0, 0.5, 1.5 and given up at 3.5 s; gw2
sent at 3.5, 4, 5 (0, 0.5, 1.5 from its own start) and given up at 7 s; gw3 answers."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test


def scenario(t):
    gw1, gw2, gw3 = t.gateway("silent"), t.gateway("silent"), t.gateway("answer")
    t.kamailio(gws=[gw1, gw2, gw3], route='vos_resend("0.5,1,2");')
    t.expect_sipp_ok(t.sipp("invite", final=200))
    t.expect_sends(gw1, [0, 0.5, 1.5])
    t.expect_sends(gw2, [0, 0.5, 1.5])
    t.expect_failover(gw1, gw2, 3.5)
    t.expect_failover(gw1, gw3, 7)
    t.expect_failover_reason(gw2, "resend_exhausted", sends=3)
    t.expect_failover_reason(gw3, "resend_exhausted", sends=3)


Test(__file__, timeout=25).run(scenario)
