#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""100-only gateway, timeout_trying 3: the 100 stops the retransmissions (one send),
the Trying stage ends the branch 3 s after the 100 with a CANCEL and reason
trying_timeout; failure_route fails over to the backup at that instant."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc


def scenario(t):
    trying, backup = t.gateway("trying"), t.gateway("answer", ring=20)
    t.kamailio(gws=[trying, backup], vos={"timeout_trying": "3"})
    t.expect_sipp_ok(t.sipp("invite", final=200))
    t.expect_sends(trying, [0])
    hundred = (vc.sent(trying, 100) or [None])[0]
    vc.expect_at(t, "failover after the 100", vc.first(backup), hundred, 3)
    vc.expect_at(t, "CANCEL after the 100", vc.first(trying, "CANCEL"), hundred, 3)
    t.expect_count(trying, 1, "CANCEL")
    t.expect_failover_reason(backup, "trying_timeout", sends=1, stage="trying")
    fails = vc.vostest(t, "failure")
    t.check(fails and fails[0].get("code") == "408",
            "failure_route saw %s, a local 408 expected" % (fails[:1] or "nothing"))


Test(__file__, timeout=20).run(scenario)
