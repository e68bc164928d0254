#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""tm's cancel_b_method 1 (the default: a branch without a reply keeps
retransmitting until a reply, which is then CANCELed, or until it times out): the
caller CANCELs 1 s into "0.5,1,2" to a gateway that never answers; as with tm alone
the schedule goes on (the send at 1.5 s is made), no CANCEL goes to the gateway, and
the branch ends when its schedule does, 3.5 s after the INVITE: the caller's 487
comes then (±50 ms), not a second later at tm's backstop."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc


def scenario(t):
    gw, invite, final, cancels, sends = vc.cancel_b_method_call(t, 1)
    vc.expect_wall(t, "the caller's 487", final, invite, 3.5, tol_ms=50)
    t.expect_sends(gw, [0, 0.5, 1.5])
    t.check(len(cancels) == len([]) and all(
        abs(c - e) < 0.05 for c, e in zip(cancels, [])),
        "CANCELs at the gateway at %s s, %s expected" % (cancels, []))
    t.check(vc.vos_stats(t).get("scheduled") == 0, "branches still scheduled")


Test(__file__, timeout=30).run(scenario)
