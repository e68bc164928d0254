#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""gateway answering 486: failure_route runs at once (no timer involved) and sees
reason `reply`, code 486, one send; the script fails over to the backup immediately;
no branch-timeout event."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc


def scenario(t):
    busy, backup = t.gateway("reject:486"), t.gateway("answer", ring=20)
    t.kamailio(gws=[busy, backup])
    t.expect_sipp_ok(t.sipp("invite", final=200))
    t.expect_sends(busy, [0])
    t.expect_failover(busy, backup, 0, tol_ms=50)
    t.expect_failover_reason(backup, "reply", sends=1)
    fails = vc.vostest(t, "failure")
    t.check(len(fails) == 1 and fails[0].get("code") == "486"
            and fails[0].get("reason") == "reply",
            "failure_route saw %s, expected code=486 reason=reply" % fails)
    t.check(not vc.vostest(t, "event"), "a branch-timeout event ran for a 486: %s"
            % vc.vostest(t, "event"))
    t.expect_count(busy, 0, "CANCEL")


Test(__file__, timeout=20).run(scenario)
