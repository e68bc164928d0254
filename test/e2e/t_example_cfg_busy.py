#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""etc/kamailio.cfg as shipped: a gateway answering 486 Busy Here ends the call - the
caller gets the 486 and the next gateway is never tried."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test


def scenario(t):
    busy, live = t.gateway("reject:486"), t.gateway("answer")
    t.example_cfg([(busy, "vosprofile=standard"), (live, "vosprofile=backup")])
    t.expect_sipp_ok(t.sipp("invite", final=486))
    t.expect_count(busy, 1)
    t.expect_count(live, 0)
    t.check(t.log_lines(r"VOS .*: %s failed at .*reason=reply" % busy.name),
            "kamailio.log has no 'gw1 failed ... reason=reply' line")


Test(__file__, timeout=20).run(scenario)
