#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""modparam resend_interval "0.5,,1": kamailio refuses to start, and says so on one
log line naming the parameter, the value and the position of the empty element."""
import os, re, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test

BAD = "0.5,,1"


def scenario(t):
    rc = t.kamailio("relay.cfg", vos={"resend_interval": BAD}, expect_exit=True)
    t.require(rc is not None, "kamailio still running 10 s after start with resend_interval %r"
              % BAD)
    t.check(rc != 0, "kamailio exited with 0 on resend_interval %r" % BAD)
    lines = t.log_lines(r"resend_interval")
    named = [l for l in lines if BAD in l]
    t.check(len(named) == 1, "%d log lines name resend_interval and %r (1 expected):\n%s"
            % (len(named), BAD, "\n".join(lines) or t.log_tail()))
    # the empty element is the 2nd one, at character 5 of the value
    pos = [l for l in named if re.search(r"(element|position|item|index)\D{0,3}2\b|"
                                         r"(offset|char\w*|column|col)\D{0,3}5\b", l)]
    t.check(pos, "the line does not give the position (element 2 / offset 5): %s"
            % (named[:1] or ["-"])[0])


Test(__file__, timeout=30).run(scenario)
