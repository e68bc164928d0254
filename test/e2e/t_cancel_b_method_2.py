#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""tm's cancel_b_method 2 (a CANCEL even on a branch without a reply, and no
more retransmissions): the caller CANCELs 1 s into "0.5,1,2" to a gateway that
answers only CANCELs (200 + 487); as with tm alone the gateway gets the CANCEL at
once (1.0 s after the INVITE, ±50 ms) and no INVITE after it, and the caller's 487
(the gateway's) comes at once."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc


def scenario(t):
    gw, invite, final, cancels, sends = vc.cancel_b_method_call(t, 2)
    vc.expect_wall(t, "the caller's 487", final, invite, 1.0, tol_ms=50)
    t.expect_sends(gw, [0, 0.5])
    t.check(len(cancels) == len([1.0]) and all(
        abs(c - e) < 0.05 for c, e in zip(cancels, [1.0])),
        "CANCELs at the gateway at %s s, %s expected" % (cancels, [1.0]))
    t.check(vc.vos_stats(t).get("scheduled") == 0, "branches still scheduled")


Test(__file__, timeout=30).run(scenario)
