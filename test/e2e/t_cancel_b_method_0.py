#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""tm's cancel_b_method 0 (a branch without a reply ends at once with a 487):
the caller CANCELs 1 s into "0.5,1,2" to a gateway that never answers the INVITE;
as with tm alone the caller's 487 comes at once (1.0 s after its INVITE, ±50 ms),
the gateway gets no CANCEL and no INVITE after the caller's CANCEL (the send at
1.5 s is not made)."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc


def scenario(t):
    gw, invite, final, cancels, sends = vc.cancel_b_method_call(t, 0)
    vc.expect_wall(t, "the caller's 487", final, invite, 1.0, tol_ms=50)
    t.expect_sends(gw, [0, 0.5])
    t.check(len(cancels) == len([]) and all(
        abs(c - e) < 0.05 for c, e in zip(cancels, [])),
        "CANCELs at the gateway at %s s, %s expected" % (cancels, []))
    t.check(vc.vos_stats(t).get("scheduled") == 0, "branches still scheduled")


Test(__file__, timeout=30).run(scenario)
