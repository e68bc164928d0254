#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""a TCP branch to a 100-only gateway, timeout_trying 2: one INVITE over TCP (never
retransmitted), the Trying stage ends the branch 2 s after the 100 with a CANCEL sent
over the same TCP transport, reason trying_timeout; the backup gets the call then."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Test
import vos_checks as vc


def scenario(t):
    trying, backup = t.gateway("trying"), t.gateway("answer", ring=20)
    t.kamailio(gws=[(trying, "tcp"), backup], vos={"timeout_trying": "2"},
               route='vos_resend("0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5");')
    t.expect_sipp_ok(t.sipp("invite", final=200))
    t.expect_sends(trying, [0])
    t.expect_count(trying, 1, "INVITE")
    hundred = (vc.sent(trying, 100) or [None])[0]
    vc.expect_at(t, "CANCEL after the 100", vc.first(trying, "CANCEL"), hundred, 2)
    vc.expect_at(t, "failover after the 100", vc.first(backup), hundred, 2)
    t.expect_count(trying, 1, "CANCEL")
    protos = [(r["method"], r["proto"]) for r in trying.records("in")
              if r.get("status") is None]
    t.check(protos and all(p == "tcp" for _, p in protos),
            "requests to the TCP gateway came over %s, all tcp expected" % protos)
    t.expect_failover_reason(backup, "trying_timeout", sends=1, stage="trying")
    fails = vc.vostest(t, "failure")
    t.check([(f.get("reason"), f.get("code")) for f in fails] == [("trying_timeout", "408")],
            "failure_route saw %s, one trying_timeout with a local 408 expected" % fails)


Test(__file__, timeout=20).run(scenario)
