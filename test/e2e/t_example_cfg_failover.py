#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""etc/kamailio.cfg as shipped: a silent first gateway with the 'backup' profile
(0.5,1,2,4,4,4 and a 4 s INVITE stage) is sent the INVITE at 0, 0.5, 1.5, 3.5 s, ends
at 4 s with invite_timeout, and the call fails over to the next dispatcher gateway,
which answers."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test


def scenario(t):
    silent, live = t.gateway("silent"), t.gateway("answer")
    t.example_cfg([(silent, "vosprofile=backup"), (live, "vosprofile=standard")])
    t.expect_sipp_ok(t.sipp("invite", final=200))
    t.expect_sends(silent, [0, 0.5, 1.5, 3.5])
    t.expect_failover(silent, live, 4)
    fl = t.log_lines(r"VOS .*: %s failed at .*reason=invite_timeout" % silent.name)
    t.check(len(fl) == 1, "kamailio.log: %d 'gw1 failed ... reason=invite_timeout' lines "
            "(1 expected)" % len(fl))


Test(__file__, timeout=25).run(scenario)
