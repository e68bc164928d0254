#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""modparam switch_until_connect "maybe" (and, in a second start, gateway_switch_limit
"Some"): kamailio refuses to start, with one log line naming the parameter, the value
and what is accepted."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test

CASES = [("switch_until_connect", "maybe", "not On/Off, true/false, yes/no or 1/0"),
         ("gateway_switch_limit", "Some", "not a whole number 0..100 or None"),
         ("stop_switch_after_sdp", 2, "not On/Off")]


def scenario(t):
    for param, value, why in CASES:
        rc = t.kamailio("relay.cfg", vos={param: value}, expect_exit=True)
        t.require(rc is not None, "kamailio still running 10 s after start with %s %r"
                  % (param, value))
        t.check(rc != 0, "kamailio exited with 0 on %s %r" % (param, value))
        want = 'modparam %s "%s": %s' % (param, value, why)
        lines = [l for l in t.log_lines(r"modparam %s" % param) if want in l]
        t.check(len(lines) == 1, "%d log lines say %r (1 expected); log tail:\n%s"
                % (len(lines), want, t.log_tail()))


Test(__file__, timeout=30).run(scenario)
